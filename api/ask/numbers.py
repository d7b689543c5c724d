"""Numbers, frequencies, quantities and years in questions and in clause text.

One reader serves both sides, so that what a question asks (每三年, every 3 years, 三年一届,
不低于10%, 每6个班1名, by 2020, 2027年前) is compared with what a sentence states in the same
normal form:

- ``number("三")`` → 3.0 (Chinese numerals through cn2an, Arabic numerals, 两 = 2);
- ``frequencies(text)`` → ``Frequency(every, unit, times, start, end)``: 每三年举办一次 →
  (3, 年, 1); 三年一届 → (3, 年, 1); 每学期 → (1, 学期, None); 每年 → (1, 年, None);
  English: every three years, once every 3 years, each term, annually;
- ``quantities(text)`` → ``Quantity(value, unit, comparator, per, per_unit)``: 不低于10% →
  (10, %, >=); 每6个班1名 → (1, 名, =, per 6 班); at least 10% → (10, %, >=);
- ``years(text)`` → deadline years (到2020年, 2027年前, by 2020, before 2027).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

CN_DIGITS = "零〇一二两三四五六七八九十百千万"
NUM = rf"(?:\d+(?:\.\d+)?|[{CN_DIGITS}]+)"
SOME = "若干"  # "some number of": a question's wildcard (若干年内, 每隔若干年), never a sentence's
NUM_Q = rf"(?:{NUM}|{SOME})"
EN_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
              "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "twenty": 20, "hundred": 100,
              "a": 1, "an": 1, "once": 1, "twice": 2}
EN_NUM = r"(?<![A-Za-z])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty)"

# period words: Chinese as written → canonical unit; English → the same units
PERIODS_ZH = {"年": "年", "学年": "学年", "学期": "学期", "季度": "季度", "月": "月", "周": "周",
              "星期": "周", "天": "天", "日": "天"}
PERIODS_EN = {"year": "年", "years": "年", "annually": "年", "annual": "年", "yearly": "年",
              "school year": "学年", "academic year": "学年", "semester": "学期", "semesters": "学期",
              "term": "学期", "terms": "学期", "quarter": "季度", "month": "月", "months": "月",
              "monthly": "月", "week": "周", "weeks": "周", "weekly": "周", "day": "天", "days": "天",
              "daily": "天"}
TIMES_ZH = r"(?:次|届|轮|回|期|场|遍)"

_PERIOD_ZH = "|".join(sorted(PERIODS_ZH, key=len, reverse=True))
# 每(三)年(至少)(举办/组织…)(一)次 — the verb part is any short run of Han characters
FREQ_ZH = re.compile(
    rf"每(?:隔)?(?P<n>{NUM_Q})?(?:个)?(?P<p>{_PERIOD_ZH})(?:(?:至少|不少于|不低于)?[\u4e00-\u9fff]{{0,6}}?(?P<t>{NUM}){TIMES_ZH})?")
# 3年内将…轮训一遍 / 2年内对…培训一次: once within N years (a cycle of N years)
FREQ_ZH_WITHIN = re.compile(
    rf"(?P<n>{NUM_Q})(?:个)?(?P<p>年|学年)(?:内|之内|以内)[^。；;，,]{{0,30}}?(?:至少|不少于)?(?P<t>{NUM})(?:次|遍|轮)")
# 三年一届 / 两年一次 / 一年一度
FREQ_ZH_RATE = re.compile(rf"(?P<n>{NUM})(?:个)?(?P<p>{_PERIOD_ZH})(?P<t>{NUM})(?:{TIMES_ZH}|度)")
# 以五年为周期 / 以3年为一个周期: a cycle of N years
FREQ_ZH_CYCLE = re.compile(rf"以(?P<n>{NUM})(?:个)?(?P<p>{_PERIOD_ZH})为(?:一个|1个)?(?:周期|一轮|一个轮次)")
_PERIOD_EN = "|".join(sorted(PERIODS_EN, key=len, reverse=True))
FREQ_EN = re.compile(
    rf"\b(?:(?P<t>{EN_NUM}|once|twice)\s+(?:times?\s+)?)?(?P<art>a|an|per|every|each)\s+"
    rf"(?:(?P<n>{EN_NUM})\s+)?(?P<p>{_PERIOD_EN})\b|\b(?P<adv>annually|annual|yearly|monthly|weekly|daily)\b",
    re.IGNORECASE)

UNITS = ("万元", "亿元", "千元", "元", "%", "％", "个学分", "学分", "个百分点", "名", "人", "个", "所", "节", "课时", "学时",
         "小时", "分钟", "项", "次", "届", "门", "类", "种", "支", "班", "平方米", "册", "台", "套", "天",
         "周", "年", "家", "间", "场", "期", "岁")
UNIT_FORMS = {"％": "%", "个学分": "学分"}  # a unit as written → its normal form
COUNT_UNITS = frozenset({"学分", "名", "人", "个", "所", "节", "项", "次", "届", "门", "类", "种", "支", "台", "套", "家", "间", "场", "期"})
_UNIT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
GE_ZH = r"(?:不少于|不低于|至少|达到|达|超过|以上|及以上|以上的|高于|大于|≥|>=)"
LE_ZH = r"(?:不超过|不高于|不多于|低于|少于|以内|以下|之内|≤|<=|控制在)"
QTY_ZH = re.compile(rf"(?:(?P<pre>{GE_ZH}|{LE_ZH})(?:[\u4e00-\u9fff]{{0,6}}?(?={NUM}))?)?(?P<v>{NUM})(?:\s*[-~～至到]\s*(?P<v2>{NUM}))?\s*(?P<u>{_UNIT})(?P<post>{GE_ZH}|{LE_ZH})?")
# 每6个班(配备/至少配备)1名 — a ratio
RATIO_ZH = re.compile(rf"每(?P<per>{NUM})?(?:个)?(?P<pu>班|所|校|人|名)[^，。；\d{CN_DIGITS}]{{0,8}}?(?P<v>{NUM})(?P<u>名|个|人|所)")
GE_EN = r"(?:at least|no less than|not less than|no fewer than|not fewer than|more than|over|above|minimum of|≥)"
LE_EN = r"(?:at most|no more than|not more than|up to|less than|under|below|within|maximum of|≤)"
EN_UNITS = {"%": "%", "percent": "%", "per cent": "%", "credits": "学分", "credit": "学分", "hours": "小时", "hour": "小时",
            "class hours": "课时", "periods": "节", "lessons": "节", "classes": "节", "teachers": "名",
            "students": "名", "schools": "所", "yuan": "元", "times": "次", "projects": "项",
            "years old": "岁", "years of age": "岁"}
_EN_UNIT = "|".join(re.escape(u) for u in sorted(EN_UNITS, key=len, reverse=True))
# "(in 10,000 yuan)": the unit an amount is given in, not an amount
UNIT_EN = re.compile(r"\bin\s+(?P<u>10,?000\s+yuan|ten thousand yuan|yuan|percent|per cent|hours|class hours)\b", re.IGNORECASE)
UNIT_EN_NAMES = {"10000 yuan": "万元", "ten thousand yuan": "万元", "yuan": "元", "percent": "%", "per cent": "%",
                 "hours": "小时", "class hours": "课时"}
MONEY = {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}  # amounts compare in yuan
QTY_EN = re.compile(rf"(?:(?P<pre>{GE_EN}|{LE_EN})\s+)?(?P<v>{EN_NUM})\s*(?P<u>{_EN_UNIT})(?![A-Za-z])", re.IGNORECASE)
# "cap the age of part-time teachers at 65", "capped class size at 45": at most that number;
# of an age, in years of age (岁)
CAP_EN = re.compile(rf"\bcap(?:s|ped|ping)?\b(?P<what>(?:\s+[\w'’-]+){{1,8}}?)\s+at\s+(?P<v>{EN_NUM})(?![\w,.]*\d)",
                    re.IGNORECASE)
QTY_EN_BARE = re.compile(rf"(?P<pre>{GE_EN}|{LE_EN})\s+(?P<v>{EN_NUM})\b", re.IGNORECASE)  # at least one (art activity)
RATIO_EN = re.compile(rf"(?P<v>{EN_NUM})\s+\w+(?:\s+\w+)?\s+(?:for|per)\s+(?:every\s+)?(?P<per>{EN_NUM})\s+(?P<pu>classes|schools|students)",
                      re.IGNORECASE)
EN_PER_UNIT = {"classes": "班", "schools": "所", "students": "人"}
# "a ratio of art teachers to classes": some number per some number of classes (每6个班1名)
RATIO_OF_EN = re.compile(r"\bratios?\s+of\b(?:\s+[\w-]+){1,4}?\s+to\s+(?P<pu>classes|schools|students)\b", re.IGNORECASE)

YEAR = r"(?:19[5-9]\d|20\d\d)"
YEAR_ZH = re.compile(rf"(?:到|至|截至|截止到?|力争|争取|在)?(?P<y>{YEAR})年(?:前|底|末|之前|以前|年底|年末)?")
YEAR_EN = re.compile(rf"\b(?:by|before|until|till|in|from)?\s*(?:the end of\s+)?(?P<y>{YEAR})\b", re.IGNORECASE)


ANY = 0.0  # the value of 若干 (a question's "some number"): any stated number of that unit


@lru_cache(maxsize=4096)
def number(text: str) -> float | None:
    """A numeral as written (3, 3.5, 三, 十二, 两, three) → its value, None when unreadable."""
    text = text.strip()
    if not text:
        return None
    low = text.lower().replace(",", "")
    if low == SOME:
        return ANY
    if low in EN_NUMBERS:
        return float(EN_NUMBERS[low])
    try:
        return float(low)
    except ValueError:
        pass
    try:
        import cn2an

        return float(cn2an.cn2an(text.replace("〇", "零").replace("两", "二"), "smart"))
    except Exception:  # noqa: BLE001 - cn2an raises ValueError and others on odd strings
        return None


@dataclass(frozen=True)
class Frequency:
    every: float  # how many periods: 3 for 每三年
    unit: str  # canonical period: 年, 学年, 学期, 月, 周, 天
    times: float | None  # how many times per that span, when stated
    start: int = 0
    end: int = 0
    of: str | None = None  # what the frequency is of, when the word says it (年度报告: 报告)

    def label(self) -> str:
        n = "" if self.every == 1 else (SOME if self.every == ANY else _fmt(self.every))
        t = "" if self.times is None else f"{_fmt(self.times)}次"
        return f"每{n}{self.unit}{t}"

    def satisfies(self, asked: Frequency) -> bool:
        """This (stated) frequency is the one ``asked``: same span (any span of the unit when
        the question says 若干, but a cycle, not every single year); same count when both say it."""
        if _unit_family(self.unit) != _unit_family(asked.unit):
            return False
        if asked.every == ANY:
            if self.every <= 1:
                return False
        elif self.every != asked.every:
            return False
        return asked.times is None or self.times is None or self.times == asked.times


def _quantity_unit(unit: str) -> str:
    """Units plans write for the same measure: 课时, 学时 and 节 (class hours: 72学时 of art
    courses; 每周1课时 = 每周一节)."""
    return {"学时": "课时", "节": "课时"}.get(unit, unit)


def _unit_family(unit: str) -> str:
    return {"学年": "年"}.get(unit, unit)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


# 年度报告, 年度考核: a report or a review made every year (not 2019年度, 本年度, 学年度: a given
# year; not 年度计划, 年度预算: the year's plan, whatever is done how often)
ANNUAL_ZH = re.compile(rf"(?<![\d{CN_DIGITS}本上下该当学同])年度(?:[\u4e00-\u9fff]{{0,4}}?)(?P<of>报告|报表|考核|测评|总结)")


def frequencies(text: str, stated: bool = False) -> list[Frequency]:
    """The frequencies ``text`` states; ``stated``: read a plan's sentence, where an annual
    thing (年度报告) is done every year."""
    out: list[Frequency] = []
    for m in FREQ_ZH.finditer(text):
        n = number(m.group("n")) if m.group("n") else 1.0
        t = number(m.group("t")) if m.group("t") else None
        if n is not None:
            out.append(Frequency(n, PERIODS_ZH[m.group("p")], t, m.start(), m.end()))
    for m in FREQ_ZH_WITHIN.finditer(text):
        n, t = number(m.group("n")), number(m.group("t"))
        if n is not None and t and not any(f.start <= m.start() < f.end for f in out):
            # the span is the period (3年内): what is done within it is the words asked
            out.append(Frequency(n, PERIODS_ZH[m.group("p")], t, m.start(), m.end("p") + 2))
    for m in FREQ_ZH_CYCLE.finditer(text):
        n = number(m.group("n"))
        if n and not any(f.start <= m.start() < f.end for f in out):
            out.append(Frequency(n, PERIODS_ZH[m.group("p")], None, m.start(), m.end()))
    for m in FREQ_ZH_RATE.finditer(text):
        n, t = number(m.group("n")), number(m.group("t"))
        if n and t and not any(f.start <= m.start() < f.end for f in out):
            out.append(Frequency(n, PERIODS_ZH[m.group("p")], t, m.start(), m.end()))
    for m in FREQ_EN.finditer(text):
        if m.group("adv"):
            out.append(Frequency(1.0, PERIODS_EN[m.group("adv").lower()], None, m.start(), m.end()))
            continue
        n = number(m.group("n")) if m.group("n") else 1.0
        t = number(m.group("t")) if m.group("t") else None
        if t is not None and t > 100:  # "by 2020 every year": a year, not a count
            t = None
        if m.group("art").lower() in ("a", "an") and not m.group("t"):
            if m.group("p").lower() in ("annual", "annually", "yearly", "monthly", "weekly", "daily"):
                out.append(Frequency(1.0, PERIODS_EN[m.group("p").lower()], None, m.start("p"), m.end()))
            continue  # "a year by which": a rate needs its count (once a year, twice a year)
        if n:
            out.append(Frequency(n, PERIODS_EN[m.group("p").lower()], t, m.start(), m.end()))
    if stated:
        for m in ANNUAL_ZH.finditer(text):
            if not any(f.start <= m.start() < f.end for f in out):
                out.append(Frequency(1.0, "年", None, m.start(), m.end(), of=m.group("of")))
    return sorted(out, key=lambda f: (f.start, f.end))


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str
    comparator: str = "="  # =, >=, <=
    value_max: float | None = None
    per: float | None = None  # a ratio: 1 名 per 6 班
    per_unit: str | None = None
    start: int = 0
    end: int = 0

    def label(self) -> str:
        if self.comparator == "any":
            return f"an amount in {self.unit}"
        if self.comparator == "ratio":
            return f"a number per so many {self.per_unit}"
        cmp = {"=": "", ">=": "≥", "<=": "≤"}[self.comparator]
        per = f"每{_fmt(self.per)}{self.per_unit}" if self.per is not None else ""
        rng = f"–{_fmt(self.value_max)}" if self.value_max is not None else ""
        return f"{per}{cmp}{_fmt(self.value)}{rng}{self.unit}"

    def satisfies(self, asked: Quantity) -> bool:
        """This stated quantity meets what ``asked`` says (unit, ratio base, value by comparator)."""
        if asked.comparator == "ratio":  # a ratio to classes: any number per so many classes
            return self.per is not None and self.per_unit == asked.per_unit
        if asked.comparator == "any":  # "in 10,000 yuan": any amount of that kind of unit
            return self.unit == asked.unit or (asked.unit in MONEY and self.unit in MONEY)
        if asked.unit == "" and self.unit not in COUNT_UNITS:
            return False  # "at least one (activity)": a count, never a share or a sum of money
        if self.unit in MONEY and asked.unit in MONEY and self.unit != asked.unit:
            scale = MONEY[self.unit] / MONEY[asked.unit]
            stated = Quantity(self.value * scale, asked.unit, self.comparator,
                              None if self.value_max is None else self.value_max * scale)
            return stated.satisfies(asked)
        if (asked.unit and _quantity_unit(self.unit) != _quantity_unit(asked.unit)) or (asked.per is not None and (self.per != asked.per or self.per_unit != asked.per_unit)):
            return False
        if asked.comparator == ">=":
            return self.value >= asked.value
        if asked.comparator == "<=":
            return self.value <= asked.value
        return self.value == asked.value or (self.value_max is not None and self.value <= asked.value <= self.value_max)


_GE = re.compile(GE_ZH + "|" + GE_EN, re.IGNORECASE)
_LE = re.compile(LE_ZH + "|" + LE_EN, re.IGNORECASE)
_CMP_ZH = re.compile(f"{GE_ZH}|{LE_ZH}")
_PERIOD_END = re.compile(r"\d\s*[-－—–~～至到]\s*$")
_START_WORD = re.compile(r"\s*(?:起|开始|以来|始)")
_YEAR_ONLY = re.compile(YEAR)


def _comparator(*words: str | None) -> str:
    for w in words:
        if w and _GE.fullmatch(w):
            return ">="
        if w and _LE.fullmatch(w):
            return "<="
    return "="


def _in_code(text: str, start: int, end: int) -> bool:
    """The number at ``text[start:end]`` is part of a code (2+1, 1+X)."""
    return (start > 0 and text[start - 1] in "+＋") or text[end:end + 1] in ("+", "＋")


def quantities(text: str) -> list[Quantity]:
    out: list[Quantity] = []
    spans: list[tuple[int, int]] = [(f.start, f.end) for f in frequencies(text)]
    for m in RATIO_ZH.finditer(text):
        v, per = number(m.group("v")), number(m.group("per")) if m.group("per") else 1.0
        if v is not None and per is not None:
            gap = text[m.end("pu"):m.start("v")]
            cmp = _comparator(*_CMP_ZH.findall(gap))
            out.append(Quantity(v, m.group("u"), cmp, None, per, {"校": "所"}.get(m.group("pu"), m.group("pu")),
                                m.start(), m.end()))
            spans.append((m.start(), m.end()))
    for m in RATIO_EN.finditer(text):
        v, per = number(m.group("v")), number(m.group("per"))
        if v is not None and per is not None:
            out.append(Quantity(v, "名", "=", None, per, EN_PER_UNIT[m.group("pu").lower()], m.start(), m.end()))
            spans.append((m.start(), m.end()))
    for m in RATIO_OF_EN.finditer(text):  # the span is "ratio of": the words between are asked
        out.append(Quantity(ANY, "", "ratio", None, ANY, EN_PER_UNIT[m.group("pu").lower()],
                            m.start(), m.start() + len("ratio of")))
        spans.append((m.start(), m.end()))
    for m in UNIT_EN.finditer(text):
        unit = UNIT_EN_NAMES[re.sub(r"\s+", " ", m.group("u").lower().replace(",", ""))]
        out.append(Quantity(ANY, unit, "any", start=m.start(), end=m.end()))
        spans.append((m.start(), m.end()))
    for m in CAP_EN.finditer(text):
        v = number(m.group("v"))
        if v is not None:
            named = re.match(rf"\s*(?P<u>{_EN_UNIT})(?![A-Za-z])", text[m.end():], re.IGNORECASE)
            unit = (EN_UNITS[named.group("u").lower()] if named
                    else "岁" if re.search(r"\bages?\b", m.group("what"), re.IGNORECASE) else "")
            end = m.end() + (named.end() if named else 0)
            out.append(Quantity(v, unit, "<=", start=m.start("v"), end=end))
    for m in QTY_EN.finditer(text):
        v = number(m.group("v"))
        taken = spans + [(q.start, q.end) for q in out]
        if not m.group("pre") and m.group("u") == "%":
            continue  # a bare 10%: the Chinese reading below takes its comparator (不低于10%)
        if v is not None and not any(a < m.end() and m.start() < b for a, b in taken):
            out.append(Quantity(v, EN_UNITS[m.group("u").lower()], _comparator(m.group("pre")),
                                start=m.start(), end=m.end()))
    for m in QTY_ZH.finditer(text):
        if any(a <= m.start("v") < b or a < m.end() <= b for a, b in spans + [(q.start, q.end) for q in out]):
            continue
        if _in_code(text, m.start("v"), m.end("v")):
            continue  # 体育艺术2+1项目: a programme's name, not one project
        if _YEAR_ONLY.fullmatch(m.group("v") or "") and m.group("u") == "年":
            continue  # a year, not a quantity
        v = number(m.group("v"))
        if v is None or (m.group("u") in ("次", "届") and text[max(0, m.start() - 6):m.start()].find("每") >= 0):
            continue  # 每三年一次: a frequency, read by frequencies()
        v2 = number(m.group("v2")) if m.group("v2") else None
        out.append(Quantity(v, UNIT_FORMS.get(m.group("u"), m.group("u")), _comparator(m.group("pre"), m.group("post")), v2,
                            start=m.start(), end=m.end()))
    for m in QTY_EN_BARE.finditer(text):
        v = number(m.group("v"))
        if v is not None and not any(q.start < m.end() and m.start() < q.end for q in out):
            out.append(Quantity(v, "", _comparator(m.group("pre")), start=m.start(), end=m.end()))
    return sorted(out, key=lambda q: (q.start, q.end))


_HAN = re.compile(r"[\u4e00-\u9fff]")
_LEADS = "，,、：:"
_MONTH_DUE = re.compile(r"\d{1,2}月(?:\d{1,2}日)?(?:底|末)?(?:前|之前|以前|底|末)")  # 2019年5月底前


def years(text: str, stated: bool = False) -> list[tuple[int, int, int]]:
    """Deadline-like years in ``text``: (year, start, end); the end of a span of years
    (2010-2020年, a plan's period) and a start (2016年起) are not deadlines. English years
    (by 2020) only in a text without Chinese (a document number 〔2019〕 is no year).

    ``stated``: read a plan's sentence, where a deadline is written as one: 到/至/力争…2020年,
    2020年前/底/末, or a year opening the sentence or a comma-piece (2020年，全市…; ，2017年配齐…);
    a date in passing (2019年3月印发) is not."""
    out = []
    for m in YEAR_ZH.finditer(text):
        if _PERIOD_END.search(text[max(0, m.start("y") - 3):m.start("y")]) or _START_WORD.match(text[m.end():m.end() + 3]):
            continue
        if stated:
            marked = m.group(0) != m.group("y") + "年" or bool(_MONTH_DUE.match(text, m.end()))
            before = text[:m.start()].rstrip()
            opens = (not before or before[-1] in _LEADS + "。；;（(") and not re.match(r"\s*\d{1,2}月", text[m.end():])
            if not (marked or opens):
                continue
        out.append((int(m.group("y")), m.start(), m.end()))
    if not out and not _HAN.search(text):
        out = [(int(m.group("y")), m.start(), m.end()) for m in YEAR_EN.finditer(text)]
    return out


START_EN = re.compile(rf"\b(?:starting|beginning|from|since|as of)\s+(?:in\s+)?(?P<y>{YEAR})\b"
                      rf"(?!\s*(?:to|until|till|through|-|–)\s*{YEAR})"  # not a period
                      # began / started / launched … in 2016: the year something starts from
                      rf"|\b(?:began|begin|begins|started|start|starts|launched|launch|launches)\b"
                      rf"[^.?!;]{{0,80}}?\bin\s+(?P<y2>{YEAR})\b", re.IGNORECASE)


def start_years(text: str) -> list[tuple[int, int, int]]:
    """Years from which something holds (2016年起, 从2016年开始; starting in 2016, since 2016):
    (year, start, end). ``years`` leaves them out: a start is not a deadline."""
    out = [(int(m.group("y")), m.start(), m.end()) for m in YEAR_ZH.finditer(text)
           if _START_WORD.match(text[m.end():m.end() + 3])]
    if not out and not _HAN.search(text):
        # "began … in 2016": the span is "in 2016" (the verb and its object stay the requirement)
        out = [(int(m.group("y")), m.start(), m.end()) if m.group("y") else
               (int(m.group("y2")), text.rindex("in", m.start(), m.start("y2")), m.end()) for m in START_EN.finditer(text)]
    return out


RELATIVE_DUE = re.compile(rf"(?:(?:用|在)?(?P<n>{NUM}|[一二两三四五六七八九十]+)年(?:内|之内|时间内?|左右)|(?:今|本|明)年(?:底|内|年底)前?)")


def deadline(sentence: str) -> int | str | None:
    """The deadline a plan's sentence states: a year (到2020年, 2018年底前; ``years`` with
    ``stated``), else a relative one (两年内, 3年时间, 今年底前) as written; None when none."""
    stated = years(sentence, stated=True)
    if stated:
        return stated[0][0]
    m = RELATIVE_DUE.search(sentence)
    return m.group(0) if m else None
