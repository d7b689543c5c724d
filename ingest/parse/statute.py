"""Statutes (laws, regulations): 第X章/第X节/第X条 with （一） items inside articles; opening
adoption and amendment history lines give the issuer and the date."""

from __future__ import annotations

import re

from ingest.parse.dates import find_dates
from ingest.parse.lines import Line
from ingest.parse.normalise import clean_title

ARTICLE_LINE = re.compile(r"^第\s*[一二三四五六七八九十百零〇两\d]+\s*条")
STRUCTURE_LINE = re.compile(r"^第\s*[一二三四五六七八九十百零〇两\d]+\s*[章节条]")
HISTORY_WORDS = re.compile(r"通过|修正|修订|公布|施行|发布|批准|颁布|国务院令")
STATUTE_TITLE = re.compile(r"(?:法|条例|规定|办法|细则|规则|规程|决定)(?:[（(][^）)]*[）)])?$")


def looks_like_statute(lines: list[Line], has_notice: bool) -> bool:
    if has_notice:
        return False
    articles = sum(1 for ln in lines if ARTICLE_LINE.match(ln.text))
    if articles >= 3:
        return True
    first = next((ln for ln in lines if not ln.blank), None)
    return bool(first and STATUTE_TITLE.search(clean_title(first.text))
                and len(first.text) <= 60 and "通知" not in first.text
                and not re.search(r"方案|计划|要点|意见", first.text))


def statute_header(lines: list[Line]) -> tuple[str | None, int, list[str], list[int]]:
    """Title, the line idx where the articles (or preamble) begin, history lines and their
    line idxs."""
    content = [ln for ln in lines if not ln.blank]
    if not content:
        return None, 0, [], []
    title = clean_title(content[0].text)
    history: list[str] = []
    idxs: list[int] = []
    body = content[0].idx + 1
    for ln in content[1:]:
        s = ln.text
        if STRUCTURE_LINE.match(s):
            break
        inner = s.strip("（）() ")
        if len(s) <= 200 and find_dates(s) and HISTORY_WORDS.search(s) and "。" not in inner:
            history.append(inner)
            idxs.append(ln.idx)
            body = ln.idx + 1
            continue
        if s in ("目录", "目 录"):
            body = ln.idx + 1
            continue
        break
    return title, body, history, idxs


def history_issuer(history: list[str], title: str | None = None) -> str | None:
    """``2024年8月22日 上海市第十六届人民代表大会常务委员会第十五次会议通过`` → 上海市人民代表大会常务委员会."""
    for h in history:
        s = re.sub(r"^\s*[（(]?\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*", "", h)
        s = s.replace("人大常委会", "人民代表大会常务委员会")
        m = re.match(r"(?P<body>.*?(?:常务委员会|代表大会|人民政府|国务院|委员会|政府))"
                     r"(?:第[一二三四五六七八九十百零〇\d]+次|令|常务会议|全体会议|会议|第|公布|通过|批准"
                     r"|发布|公告)", s)
        if not m:
            continue
        body = re.sub(r"第?[一二三四五六七八九十百零〇\d]+届", "", m.group("body"))
        body = re.sub(r"^根据", "", body).strip()
        if body == "中华人民共和国国务院":
            body = "国务院"
        if body[:1] in ("市", "省") and title:  # 市十四届人大常委会: the region is in the title
            region = re.match(r"^(.+?[省市])", title)
            if region:
                body = region.group(1) + body[1:]
        return body or None
    return None


def history_date(history: list[str]) -> str | None:
    """The latest date among the history lines (the version in hand), leaving out dates that
    only say when it takes effect (施行)."""
    dates: list[str] = []
    for h in history:
        found = find_dates(h)
        for k, d in enumerate(found):
            nxt = found[k + 1].start if k + 1 < len(found) else len(h)
            if re.fullmatch(r"\s*(?:起)?施行[\s　。）)]*", h[d.end:nxt]):
                continue
            dates.append(d.iso)
    return max(dates) if dates else None
