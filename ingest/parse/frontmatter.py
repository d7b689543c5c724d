"""Source front matter: what a database export, a government web page or a Word/HTML header
prints above the document — metadata, never its title or a clause.

Forms read (labels from ``ingest/data/front_matter_fields.tsv``):
- ``北大法宝【法宝引证码】 CLI.12.1201081`` and ``原文链接：https://…`` (PKULaw), ``【发布部门】…``;
- ``label：value`` lines, several pairs on one line (``索引号：… 主题分类：…``);
- a table cell holding just a label with the value in the next cell (信息公开 tables as the
  .docx/.html readers lay them out);
- a bare URL line, and web page chrome (breadcrumbs, 字号 大中小, 打印/关闭) around them.

``read_front_matter(lines, start)`` returns the fields and the line idxs they use; the
document proper starts at ``FrontMatter.end``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from ingest.parse.lines import Line
from ingest.parse.normalise import squeeze

_URL_RE = re.compile(r"https?://\S+|www\.\S+")
_CHROME_RE = re.compile(
    r"^(?:首页|当前位置|您当前的位置|您的位置)\s*[:：>＞»›]|[>＞»›]\s*(?:正文|政策文件|通知公告|政府信息公开)"
    r"|^[【\[]?\s*(?:打印|关闭|关闭窗口|打印本页|收藏|分享到)\s*[】\]]?$"
    r"|^(?:字号|字体)\s*[:：]?\s*[【\[]?\s*大\s*[】\]]?\s*[【\[]?\s*中"
    r"|^(?:浏览次数|访问量|阅读次数|点击数)\s*[:：]"
    r"|^(?:特急|加急|平急|特提)$"
)
_MAX_FIELD_LINE = 300  # a longer line is text, whatever it opens with
_BRAND_RE = re.compile(r"^(?:北大法宝|威科先行|法信|中国法律法规数据库)\s*")


@lru_cache(maxsize=1)
def field_labels() -> dict[str, str]:
    """Label (spaces removed) → field name, from ingest/data/front_matter_fields.tsv."""
    text = resources.files("ingest").joinpath("data/front_matter_fields.tsv").read_text("utf-8")
    out: dict[str, str] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, name = line.split("\t")[:2]
        out[label.strip()] = name.strip()
    return out


@lru_cache(maxsize=1)
def _label_re() -> re.Pattern:
    labels = sorted(field_labels(), key=len, reverse=True)
    alt = "|".join(re.escape(x) for x in labels)
    # 【label】value, label：value (label at the start or after a space/tab)
    return re.compile(rf"【\s*(?P<b>{alt})\s*】|(?:(?<=^)|(?<=\s))(?P<c>{alt})\s*[:：]")


@dataclass
class FrontMatter:
    fields: dict[str, str] = field(default_factory=dict)  # field name → value as written
    idxs: set[int] = field(default_factory=set)  # line idxs that are front matter
    end: int = 0  # line idx where the document proper begins


def _squeezed(s: str) -> str:
    return squeeze(s).text


def parse_field_line(s: str) -> list[tuple[str, str]]:
    """``索引号：000014349/2015-00185 主题分类：教育`` → [(index_no, …), (subject, 教育)];
    ``北大法宝【法宝引证码】 CLI.4.304424`` → [(source_id, CLI.4.304424)]; other lines → []."""
    s = _BRAND_RE.sub("", s.strip())
    # drop spaces inside labels (标　　题：) but keep those separating pairs
    squeezed = re.sub(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff]{1,3}\s*[:：])", "", s)
    labels = field_labels()
    found = list(_label_re().finditer(squeezed))
    if not found or found[0].start() > 0:
        return []
    out = []
    for n, m in enumerate(found):
        label = m.group("b") or m.group("c")
        end = found[n + 1].start() if n + 1 < len(found) else len(squeezed)
        value = squeezed[m.end():end].strip(" \t\u3000：:")
        out.append((labels[label], value))
    return out


def read_front_matter(lines: list[Line], start: int = 0, limit: int = 40) -> FrontMatter:
    """Front matter from ``start``: consecutive field, URL and chrome lines (blank lines
    between them allowed), at most ``limit`` content lines."""
    fm = FrontMatter(end=start)
    labels = field_labels()
    k = start
    seen = 0
    pending: str | None = None  # a table cell holding only a label: the value comes next
    while k < len(lines) and seen < limit:
        ln = lines[k]
        if ln.blank:
            k += 1
            continue
        seen += 1
        s = ln.text
        bare = _squeezed(s).rstrip("：:")
        if pending is not None:
            if not s.rstrip("：:") in labels:
                fm.fields.setdefault(pending, s)
                fm.idxs.add(k)
                pending = None
                k += 1
                fm.end = k
                continue
            pending = None
        if ln.indent_tab and bare in labels:
            pending = labels[bare]
            fm.idxs.add(k)
            k += 1
            fm.end = k
            continue
        pairs = parse_field_line(s) if len(s) <= _MAX_FIELD_LINE else []
        if pairs:
            for name, value in pairs:
                if value:
                    fm.fields.setdefault(name, value)
            fm.idxs.add(k)
        elif len(s) <= _MAX_FIELD_LINE and _URL_RE.fullmatch(s.strip()):
            fm.fields.setdefault("source_url", s.strip())
            fm.idxs.add(k)
        elif _CHROME_RE.search(s):
            fm.idxs.add(k)
        else:
            break
        k += 1
        fm.end = k
    url = fm.fields.get("source_url")
    if url:
        m = _URL_RE.search(url)
        fm.fields["source_url"] = m.group(0) if m else url
    return fm
