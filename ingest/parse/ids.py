"""Document ids derived from content, stable across machines, encodings and formats."""

from __future__ import annotations

import hashlib
import unicodedata


def document_id(text: str) -> str:
    """First 16 hex digits of sha256 over the text with all whitespace (and BOMs, bold marks
    added by the .docx reader) removed, after NFC: the same characters give the same id
    whether the file was UTF-8, GB18030, UTF-16, .docx or .html."""
    s = unicodedata.normalize("NFC", text).replace("\ufeff", "").replace("**", "")
    s = "".join(s.split())
    return hashlib.sha256(s.encode("utf-8")).hexdigest()[:16]
