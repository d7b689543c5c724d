"""The one error type of ingestion: every bad input names the file and the reason."""

from __future__ import annotations


class IngestError(Exception):
    """A file could not be ingested. ``file`` is the path as given, ``reason`` says why."""

    def __init__(self, file: str, reason: str) -> None:
        self.file = str(file)
        self.reason = reason
        super().__init__(f"{self.file}: {reason}")
