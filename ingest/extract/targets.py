"""Quantitative targets (指标) from a clause's text: a pure function over text + offsets.

A number becomes a target when it is followed by a counting word (名, 所, 个, 节, %, 万元 …)
and is not one of the number shapes that are not commitments: years and dates, 文号, clause
labels, ordinals (第一, 一是), programme names and slogans (1+1+X+N, “三名”, 一校一品),
numbers inside 《…》 or “…”, durations without a bound (三年行动). Rules are right here: the
shapes are regular (see ../shared/dev-gold/GUIDE.md).

Context fields are read from the text before the number: the comparator from the words
around it (至少/不少于 … 以上 → >=; 不超过 … 以内 → <=), the frequency (每学期 …) from the
same clause of the sentence, the deadline (到2027年, 从2019学年起) and period (三年内, 年内)
from the same sentence, so a 到2027年 heading a sentence that lists several targets applies
to each of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from ingest.extract.numbers import CN_NUM_CHARS, NumberSpan, find_numbers

# Counting words, longest first so 万元 wins over 元 and 节次 over 节. Units that only name a
# structure or an order (级, 类, 种, 届, 批) are left out on purpose: 两级联动, 三种类别 and 一批
# are slogans, not commitments (the gold marks them borderline at most).
UNITS = sorted(
    [
        "个百分点", "百分点", "%", "％", "‰",
        "亿元", "万元", "千元", "元",
        "万平方米", "平方米", "亩",
        "课时", "学时", "学分", "学年", "学期", "小时", "分钟", "节次", "节课", "节", "人次", "万人", "人", "名", "位",
        "所", "个", "项", "门", "场", "篇", "件", "套", "台", "间", "家", "支", "期", "条",
        "周", "天", "个月", "年", "次", "份", "本", "部", "册", "万册", "座", "处", "轮", "届",
        "张", "块", "组", "队", "批",
    ],
    key=len,
    reverse=True,
)
_NON_TARGET_UNITS = {"届", "批"}
_COUNTED_AFTER_GE = ("学分", "学时", "课时", "小时", "工作日")  # recognised so the number is consumed, never a target
_PERCENT_UNITS = {"%", "％"}

_GE_PREFIX = ("不少于", "不低于", "不小于", "不下于", "至少", "最少", "超过", "高于", "多于", "不少於",
              "不得低于", "不得少于", "不得小于", "不应低于", "不应少于")
_LE_PREFIX = ("不超过", "不高于", "不多于", "最多", "控制在", "低于", "少于", "不大于",
              "不得超过", "不得高于", "不得多于", "不应超过")
_GE_SUFFIX = ("及以上", "以上", "以外")
_LE_SUFFIX = ("及以下", "以下", "以内", "之内")
_APPROX = ("余", "多")

_SENTENCE_END = "。！？!?\n"
_FRAGMENT_END = "。！？!?\n；;"
_OBJECT_STOP = "，,。；;：:、！？!?（(）)“”\"《》\n "

# a year that bounds a commitment: 到2027年 / 2027年底前 / 从2019学年起 / 至2025年
_YEAR_RE = re.compile(r"(?:到|至|于|在|从|自)?\s*(20\d{2})\s*(?:学)?年")
_FREQ_RE = re.compile(
    rf"每(?:个)?(?:[{CN_NUM_CHARS}\d]+(?:个)?)?(?:学年|学期|年度|季度|(?:培养|评选|考核|工作)?周期|年|月|周|星期|天|日|课时)"
)
_PERIOD_VERBS = "(?:评选|提升|提高|建成|建设|培养|培育|认定|遴选|新增|增加|达到|完成|实现|打造|创建)"
_PERIOD_RE = re.compile(
    rf"(?:(?:近|未来|今后)?(?:[{CN_NUM_CHARS}\d]+(?:\s*[-—~至]\s*[{CN_NUM_CHARS}\d]+)?|半)(?:个)?(?:学年|年|学期)(?:内|之内|时间内)"
    rf"|(?:近|未来|今后)(?:[{CN_NUM_CHARS}\d]+|半)(?:个)?年"
    # 三年评选…800个, 合格率三年提升…10%: a span heading the verb that reaches the target
    rf"|(?<![\d{CN_NUM_CHARS}每])(?:[{CN_NUM_CHARS}]{{1,3}}|\d{{1,2}})(?:个)?(?:学年|年)(?={_PERIOD_VERBS})"
    rf"|(?<![{CN_NUM_CHARS}\d学])年内|本学年|本学期)"
)
# slogans made of numbered pairs: 一校一品, 一初中一项目一方案, 一年一考核
_SLOGAN_RE = re.compile(r"(?<![统唯同之单万第逐])一[^一，。、；\s“”]{1,3}一[^，。、；\s“”]{1,3}")
# a counted word followed by one of these is the name of a rule set or programme (十项准则,
# 八项规定, 三项工程), not a commitment
_NAME_AFTER_RE = re.compile(r"(准则|规定|禁令|原则|工程|战略|理念|模式|要求|举措)")
# verbs that make a bare 一 (one) a count of something done or built
_ONE_VERBS = (
    "组织", "开展", "举办", "召开", "确定", "建成", "接受", "参加", "认定", "评选", "设立", "举行",
    "配备", "安排", "完成", "申报", "遴选", "提早", "提前", "增加", "新建", "扩建", "挂职", "上好",
    "办好", "建好", "培养", "形成", "掌握", "学会",
)
# lexicalised words that read as numeral + counting word: 二次研发 (secondary development)
_NUMERAL_WORDS = ("二次",)
# a counting word that is really the first character of a noun (部门, 人口, 名单 …)
_UNIT_WORDS = ("部门", "人口", "名单", "名称", "所有", "所以", "期间", "年级", "条件", "周边", "人员", "门类", "位一")
# after a Chinese numeral and 个, these nouns enumerate aspects of an idea (四个维度, 三个方面),
# they do not count things to be delivered
_ASPECT_RE = re.compile(r"(维度|环节|方面|层面|阶段|领域|要素|原则|途径|板块|模块|抓手|导向|意识|自信|结合|坚持|转变|面向|着力点|关键)")


@dataclass
class TargetCandidate:
    value: float | None
    value_max: float | None
    placeholder: bool
    unit: str
    object: str | None
    comparator: str
    deadline: int | None
    frequency: str | None
    period: str | None
    start: int  # offsets in the text given (add the clause offset for the document)
    end: int
    quote: str
    number_start: int
    number_end: int


def _enclosing_pairs(text: str, opening: str, closing: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    depth_start: int | None = None
    for i, ch in enumerate(text):
        if ch == opening and depth_start is None:
            depth_start = i
        elif ch == closing and depth_start is not None:
            spans.append((depth_start, i + 1))
            depth_start = None
    return spans


def _entity_quotes(text: str) -> str:
    """HTML quote entities some exports keep (&quot;三个办法&quot;, “三个办法&quot;) as quote
    marks of the same length: an entity opens a quote unless one is open, then it closes it."""
    out: list[str] = []
    open_ = False
    i = 0
    while i < len(text):
        if text.startswith("&quot;", i):
            out.append(("”" if open_ else "“") + "\0" * 5)
            open_ = not open_
            i += 6
            continue
        ch = text[i]
        if ch == "“":
            open_ = True
        elif ch == "”":
            open_ = False
        out.append(ch)
        i += 1
    return "".join(out)


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    text = _entity_quotes(text) if "&quot;" in text else text
    spans = _enclosing_pairs(text, "《", "》") + _enclosing_pairs(text, "“", "”")
    spans += _enclosing_pairs(text, "〔", "〕") + _enclosing_pairs(text, "[", "]")
    # straight double quotes alternate
    positions = [i for i, ch in enumerate(text) if ch == '"']
    spans += [(positions[i], positions[i + 1] + 1) for i in range(0, len(positions) - 1, 2)]
    return spans


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _unit_at(text: str, pos: int) -> tuple[str | None, int, bool]:
    """The unit starting at ``pos`` (after optional 余/多 and spaces): (unit, end, approx)."""
    i = pos
    while i < len(text) and text[i] == " ":
        i += 1
    approx = False
    if i < len(text) and text[i] in _APPROX:
        approx = True
        i += 1
    for unit in UNITS:
        if text.startswith(unit, i):
            # 2个学分, 72个学时: 个 is a classifier and the noun after it is the unit
            if unit == "个":
                noun = next((u for u in _COUNTED_AFTER_GE if text.startswith(u, i + 1)), None)
                if noun:
                    return noun, i + 1 + len(noun), approx
            return unit, i + len(unit), approx
    return None, pos, approx


def _bounds(text: str, pos: int, stops: str) -> tuple[int, int]:
    left = max((text.rfind(ch, 0, pos) for ch in stops), default=-1) + 1
    rights = [j for j in (text.find(ch, pos) for ch in stops) if j != -1]
    return left, min(rights) if rights else len(text)


def _is_non_target(text: str, num: NumberSpan, unit: str, unit_end: int,
                   quoted: list[tuple[int, int]]) -> bool:
    s, e = num.start, num.end
    before = text[max(0, s - 2):s]
    after = text[unit_end:unit_end + 4]
    if unit in _NON_TARGET_UNITS:
        return True
    if _inside(s, quoted):
        return True
    if before.endswith("第") or (num.chinese and text[e:e + 1] == "是"):
        return True
    # 1+1+X+N, D-16, 2.0 versions, model names
    neighbours = (text[s - 1:s] if s else "") + text[e:e + 1]
    if "+" in neighbours or re.search(r"[A-Za-z]", text[s - 1:s] if s else ""):
        return True
    if not num.chinese and not num.placeholder and num.value is not None:
        # years and dates: 2024年, 7月, 3日
        if unit in ("年", "学年") and num.value >= 1900:
            return True
        if text[e:e + 1] in "月日号":
            return True
    if text[s:unit_end] in _NUMERAL_WORDS:
        return True
    if text[unit_end - 1:unit_end + 1] in _UNIT_WORDS:  # 三部门, xx万人口: the unit is part of a word
        return True
    frag_left, _ = _bounds(text, s, _OBJECT_STOP.replace("、", "").replace(" ", ""))
    if text[frag_left:frag_left + 1] == "即":  # 即1个区域由1所龙头校带动X所学校: a model's definition
        return True
    if num.chinese:
        if _SLOGAN_RE.search(text, max(0, s - 4), min(len(text), unit_end + 6)) and _slogan_covers(text, s):
            return True
        # 三名工程, 三名三坛 (programme names), 十四五 (plan names)
        if unit == "名" and re.match(r"[工校师班]|名", text[unit_end:unit_end + 1] or "x") \
                and text[unit_end:unit_end + 2] not in ("教师", "校长", "班主任"):
            return True
        if unit == "个" and _ASPECT_RE.match(text, unit_end):
            return True
        if _NAME_AFTER_RE.match(text, unit_end):
            return True
        if text[s - 1:s] == "每" or before.endswith("每一"):
            return True
        if num.value == 1 and num.value_max is None and not num.text.startswith("十"):
            return not _one_is_count(text, s, unit, unit_end)
    # a duration (三年行动, 五年来) is context, not a target, unless bounded
    if unit in ("年", "周", "天", "个月", "学年", "学期") and not _has_bound(text, s, unit_end) \
            and (unit not in ("周", "学期") or not _one_is_count(text, s, unit, unit_end)):
        return True
    if unit == "年" and text[unit_end:unit_end + 1] in "内来级度":
        return True
    return bool(after.startswith(("以来", "之内")) and unit in ("年", "个月"))


def _slogan_covers(text: str, s: int) -> bool:
    for m in _SLOGAN_RE.finditer(text, max(0, s - 6), min(len(text), s + 12)):
        if m.start() <= s < m.end():
            return True
    return False


def _has_bound(text: str, s: int, unit_end: int) -> bool:
    left = text[max(0, s - 4):s]
    right = text[unit_end:unit_end + 3]
    return any(left.endswith(p) for p in _GE_PREFIX + _LE_PREFIX) or right.startswith(
        _GE_SUFFIX + _LE_SUFFIX
    )


def _one_is_count(text: str, s: int, unit: str, unit_end: int) -> bool:
    """Is this 一 a count ('at least one key project', 'once a year') rather than a word
    (一个班级, 一次性)?"""
    if text[unit_end:unit_end + 1] == "性":
        return False
    left = text[max(0, s - 6):s]
    if _has_bound(text, s, unit_end):
        return True
    if any(left.endswith(v) for v in _ONE_VERBS):
        return True
    if unit in ("次", "期", "轮") and text[unit_end:unit_end + 1] in "，。；,;）)":
        return True  # 提升培训一次，: a count closing the fragment
    frag_left, _ = _bounds(text, s, _OBJECT_STOP.replace("、", ""))
    if text[s - 1:s] in "和及与、" and re.search(
        rf"[\d{CN_NUM_CHARS}]+[项个名所次节门]", text[frag_left:s - 1]
    ):  # 两项体育运动技能和一项艺术特长: one of a coordinated pair of counts
        return True
    frag_left, _ = _bounds(text, s, _OBJECT_STOP.replace("、", ""))
    return bool(_FREQ_RE.search(text, frag_left, s)) and unit in ("次", "期", "轮", "场")


def _comparator(text: str, s: int, unit_end: int, approx: bool) -> tuple[str, int, int]:
    """(comparator, left extent, right extent) of the words that bound the number. A bound
    word may stand a few characters before the number (至少学习掌握两项) within the same
    comma-delimited fragment."""
    frag_left, _ = _bounds(text, s, _OBJECT_STOP.replace("、", "").replace(" ", ""))
    window_start = max(frag_left, s - 30)
    best: tuple[int, int, str] | None = None  # (end, length, comparator)
    for words, comp in ((_GE_PREFIX, ">="), (_LE_PREFIX, "<=")):
        for word in words:
            pos = text.rfind(word, window_start, s)
            if pos == -1:
                continue
            if comp == "<=" and word in ("少于", "低于") and text[pos - 1:pos] == "不":
                continue
            key = (pos + len(word), len(word), comp)
            if best is None or key[:2] > best[:2]:
                best = key
    start, end = s, unit_end
    comparator = "="
    if best is not None and not re.search(r"\d|[%％]", text[best[0]:s]):
        comparator, start = best[2], best[0] - best[1]
        if _has_count(text[best[0]:s]):  # 至少…两项…和一项: the bound is shared, the quote is not
            start = s
    right = text[unit_end:unit_end + 4]
    for word in _GE_SUFFIX:
        if right.startswith(word):
            comparator, end = ">=", unit_end + len(word)
            break
    else:
        for word in _LE_SUFFIX:
            if right.startswith(word):
                comparator, end = "<=", unit_end + len(word)
                break
    if comparator == "=" and right.startswith("基础上") and "在" in text[frag_left:s]:
        comparator = ">="  # 在…800万元基础上（增加）: the amount is a floor
    if approx and comparator == "=":
        comparator = ">="
    return comparator, start, end


# Object boundaries. What is counted sits right after the unit (100名市级名师) or, when the
# unit closes the phrase, before the number (联盟型初中集团4个, 听评课不少于30节). Rules,
# not a parser: jieba's part-of-speech tags read 示范/达标/占 as verbs inside these noun
# phrases, so a short list of the commitment verbs that introduce an object is more reliable.
_OBJ_MAX = 24
# hard stops for an object (a comma, a full stop, a colon …); 、 and brackets are handled apart
_OBJ_HARD_STOP = "，,。；;：:！？!?\n"
# verbs that introduce what is counted: the object starts after the last of them
_OBJ_VERBS = (
    "差额培养", "定向培养", "评选推广", "评选认定", "建设完成", "培养", "培育", "评选", "认定",
    "遴选", "选树", "选拔", "开发", "建立", "打造", "创建", "推广", "设立", "举办", "组织", "开展",
    "完成", "确保", "实现", "新增", "引进", "招录", "安排", "配备", "聘任", "推出", "形成", "建成",
    "办好", "申请", "争创", "接受", "参加", "覆盖",
)
_OBJ_LEAD_RE = re.compile(
    rf"^(?:(?:近|未来|今后)?[{CN_NUM_CHARS}\d]+(?:个)?(?:学年|年|学期)(?:内|之内)?|年内|本学年|本学期"
    r"|(?:每个|每)[^，。、\s]{0,4}?(?:周期|学年|学期|年度|年|月|周|天|日)(?:内)?"
    r"|[对向为在到给从将](?:全市|全区|全县|全省|县区|本校)?|内|之内|建设|新建|落实|保证|推动|推进|力争|争取|努力|积极|逐步|全市|全区|全县|全省"
    r"|的|和|及|与|或|、)+"
)
_OBJ_TAIL_RE = re.compile(
    r"(?:不少于|不低于|不超过|不高于|至少|最多|持续巩固|巩固在|巩固|稳定在|保持在|保持|力争达到|力争"
    r"|争取|均达到|达到|提高到|提升到|增加到|增至|控制在|达|为|在|有|占|均|都|要|应|将|能)+$"
)
# right after the unit, a word that closes the phrase instead of naming what is counted
_OBJ_GENERIC_RE = re.compile(r"(?:要求|目标|基础上|左右|标准|水平|任务|以上|以下|以内|之内|的目标|的要求|的?下限|的?上限)")
_AFTER_CUT_RE = re.compile(r"(?:分配|用于|作为|等|在[^线]|左右)")
_COORD_COUNT_RE = re.compile(rf"[和及与或、](?:[{CN_NUM_CHARS}\d]+|x{{1,3}}|X{{1,3}})\s*[^\s，。]?")


def _skip_space(text: str, j: int) -> int:
    while j < len(text) and text[j] in " \t\r\n\u3000":
        j += 1
    return j


def _soft_break(text: str, j: int) -> bool:
    """A line break inside a sentence (国家级教学⏎⏎成果): the line does not end with
    punctuation and the next line goes on with a CJK character that is not a clause label."""
    prev = text[j - 1:j]
    nxt = _skip_space(text, j)
    after = text[nxt:nxt + 2]
    def cjk(ch: str) -> bool:
        return "\u4e00" <= ch <= "\u9fff"

    return bool(prev and after and cjk(prev) and cjk(after[0])
                and not re.match(rf"[{CN_NUM_CHARS}]、|第", after))


def _balanced_run(text: str, i: int, limit: int, allow_list: bool) -> int:
    """End of the noun run starting at ``i``: stops at hard punctuation, at an unbalanced
    closing bracket, at 、 unless ``allow_list``; brackets and “quotes” inside are kept."""
    depth = 0
    j = i
    while j < len(text) and j - i < limit:
        ch = text[j]
        if ch == "\n" and _soft_break(text, j):
            j = _skip_space(text, j)
            continue
        if ch in _OBJ_HARD_STOP:
            break
        if ch in "（(“《":
            depth += 1
        elif ch in "）)”》":
            if depth == 0:
                break
            depth -= 1
        elif ch == "、" and not allow_list and depth == 0:
            break
        j += 1
    return j


def _cut_coordinated_count(text: str, i: int, j: int) -> int:
    """体育运动技能和一项艺术特长: the object ends before a second count joined by 和/及/、."""
    for m in _COORD_COUNT_RE.finditer(text, i, j):
        k = m.start() + 1
        nums = find_numbers(text[k:k + 6])
        if nums and nums[0].start == 0:
            unit, _, _ = _unit_at(text, k + nums[0].end)
            if unit is not None or nums[0].placeholder:
                return m.start()
    return j


def _has_count(run: str) -> bool:
    quoted = _quoted_spans(run)
    return any(_unit_at(run, n.end)[0] is not None and not _inside(n.start, quoted)
               for n in find_numbers(run))


def _object_after(text: str, i: int) -> tuple[str | None, int]:
    if text[i:i + 1] == "的":
        i += 1
    if _OBJ_GENERIC_RE.match(text, i):
        return None, i
    j = _balanced_run(text, i, _OBJ_MAX, allow_list=True)
    j = _cut_coordinated_count(text, i, j)
    run = text[i:j]
    # a list (课程与教学、人工智能、科学教育实验校) is kept only when no number sits in it
    if "、" in run and _has_count(run):
        j = i + run.index("、")
        run = text[i:j]
    m = _AFTER_CUT_RE.search(run, 2)
    if m:
        j = i + m.start()
        run = text[i:j]
    if len(run) < 2 and not run.startswith("“"):
        return None, i
    verb_first = re.match(r"(?:分配|达到|用于|作为|为|是|等|和|及|或)", run)
    relative = run.find("的", 2)  # 一所达到标准的特殊教育学校: a relative clause, then the noun
    if verb_first and not (run.startswith("达到") and 0 < relative < 8 and len(run) - relative > 2):
        return None, i
    return re.sub(r"\s+", "", run), j


_SHARE_RE = re.compile(r"^(.{2,}?)(?:不得低于|不应低于|不低于|不少于|不得少于|不超过|不高于|达到|占)(?:规定)?(.{2,}?)的?$")


def _object_before(text: str, num_start: int) -> str | None:
    # the fragment before the number: back to a hard stop, or an unbalanced bracket
    depth = 0
    k = num_start
    while k > 0 and num_start - k < 40:
        ch = text[k - 1]
        if ch in _OBJ_HARD_STOP:
            break
        if ch in "）)”》":
            depth += 1
        elif ch in "（(“《":
            if depth == 0:
                break
            depth -= 1
        k -= 1
    before = text[k:num_start]
    # an earlier count in the fragment (初中集团4个和跨学段集团2个): start after it
    for num in reversed(find_numbers(before)):
        unit, unit_end, _ = _unit_at(before, num.end)
        if unit in ("年", "个月", "学期", "周", "天"):  # a span (三年提升), not an earlier count
            continue
        if unit is not None and not _inside(num.start, _quoted_spans(before)):
            before = before[unit_end:]
            break
    if "、" in before:
        before = before[before.rindex("、") + 1:]
    before = _FREQ_RE.sub("", before)
    # X不低于Y的20%: a share of a base — the object is X as a share of Y (X占Y比例)
    share = _SHARE_RE.search(before)
    if share and re.match(rf"(?:[\d.]+|[{CN_NUM_CHARS}]+)\s*[%％]", text[num_start:num_start + 8]):
        whole, base = share.group(1), share.group(2)
        for _ in range(2):
            whole = _OBJ_LEAD_RE.sub("", _OBJ_TAIL_RE.sub("", whole))
        if len(whole) >= 2 and len(base) >= 2:
            return f"{whole}占{base}比例"[-_OBJ_MAX:]
    for _ in range(3):
        before = _OBJ_TAIL_RE.sub("", before)
        cut = max(((before.rfind(v), v) for v in _OBJ_VERBS), default=(-1, ""))
        if cut[0] != -1 and len(before) - cut[0] - len(cut[1]) >= 2:
            before = before[cut[0] + len(cut[1]):]
        before = _OBJ_LEAD_RE.sub("", before)
    before = before.strip()
    if len(before) > _OBJ_MAX:
        before = before[-_OBJ_MAX:]
    return before if len(before) >= 2 else None


def _object(text: str, num_start: int, end: int) -> tuple[str | None, int]:
    """What is counted: the noun phrase after the unit (100名市级名师), else the phrase before
    the number (联盟型初中集团4个, 听评课不少于30节), cut at verbs and punctuation, modifiers
    (市级, 省级, 首批) kept. Returns (object, end of the object in ``text``)."""
    obj, j = _object_after(text, end)
    if obj:
        return obj, j
    return _object_before(text, num_start), end


# a paragraph that opens with its deadline (（三）工作目标。到2020年，…。…25所…) sets it for every
# goal of the paragraph, also in later sentences
_PARAGRAPH_YEAR_RE = re.compile(r"^[\s　]*(?:[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*)?(?:[^。；\n]{0,12}。)?(?:[^。；\n]{0,24}?[：:，,])?"
                                r"(?:力争|争取)?(?:到|至)\s*(20\d{2})\s*年(?:底|末)?(?:前)?[，,：:]")


def _context_year(text: str, s: int) -> int | None:
    sent_left, _ = _bounds(text, s, _SENTENCE_END)
    years = [m for m in _YEAR_RE.finditer(text, sent_left, s)
             if not re.match(r"\s*[-—–~至]\s*20\d{2}", text[m.end(1):m.end(1) + 8])
             and not re.match(r"[\d]{0,2}\s*月\s*\d{1,2}\s*日", text[m.end():m.end() + 6])]
    if years:
        return int(years[-1].group(1))
    para_left = text.rfind("\n", 0, s) + 1
    head = _PARAGRAPH_YEAR_RE.match(text, para_left)
    if head and not _YEAR_RE.search(text, head.end(), sent_left):
        return int(head.group(1))
    return None


def _context_frequency(text: str, s: int) -> str | None:
    """每学期 … in the number's comma fragment, or heading the sentence as a short adverbial
    (每学年，由市教育局…组织一次抽样检测)."""
    frag_left, _ = _bounds(text, s, _FRAGMENT_END + "，,")
    found = list(_FREQ_RE.finditer(text, frag_left, s))
    if found:
        return found[-1].group(0)
    sent_left, _ = _bounds(text, s, _FRAGMENT_END)
    head = text[sent_left:frag_left].split("，")[0].split(",")[0]
    m = _FREQ_RE.fullmatch(head.strip())
    return m.group(0) if m else None


def _context_period(text: str, s: int) -> str | None:
    sent_left, _ = _bounds(text, s, _SENTENCE_END)
    found = list(_PERIOD_RE.finditer(text, sent_left, s))
    return found[-1].group(0) if found else None


def extract_target_candidates(text: str, skip_until: int = 0) -> list[TargetCandidate]:
    """Targets in ``text`` (offsets relative to ``text``). Numbers before ``skip_until`` (the
    clause label) are ignored."""
    quoted = _quoted_spans(text)
    out: list[TargetCandidate] = []
    for num in find_numbers(text):
        if num.start < skip_until:
            continue
        if num.percent_prefix:
            unit, unit_end, approx = "%", num.end, False
        elif num.fraction:
            unit, unit_end, approx = "比例", num.end, False
        else:
            unit, unit_end, approx = _unit_at(text, num.end)
        if unit is None:
            continue
        if _is_non_target(text, num, unit, unit_end, quoted):
            continue
        if unit in _PERCENT_UNITS:
            unit = "%"
        comparator, q_start, q_end = _comparator(text, num.start, unit_end, approx)
        obj, obj_end = _object(text, num.start, q_end)
        q_end = max(q_end, obj_end)
        # a frequency word right before the bound belongs to the quote (每学期不少于50节)
        freq = _context_frequency(text, num.start)
        out.append(
            TargetCandidate(
                value=num.value,
                value_max=num.value_max,
                placeholder=num.placeholder,
                unit=unit,
                object=obj,
                comparator=comparator,
                deadline=_context_year(text, num.start),
                frequency=freq,
                period=_context_period(text, num.start),
                start=q_start,
                end=q_end,
                quote=text[q_start:q_end],
                number_start=num.start,
                number_end=num.end,
            )
        )
    _fill_elliptical_objects(text, out)
    _share_bounds(text, out)
    return out


def _share_bounds(text: str, found: list[TargetCandidate]) -> None:
    """分别不低于65%和85%: a bound (and the object) written once before coordinated numbers of
    the same unit applies to each."""
    for prev, cur in pairwise(found):
        between = text[prev.number_end:cur.number_start]
        if cur.comparator != "=" or prev.comparator == "=" or prev.unit != cur.unit:
            continue
        if not re.fullmatch(r"\s*(?:[%％]|[^\s，。；]{0,2})?\s*[和、及与]\s*", between):
            continue
        cur.comparator = prev.comparator
        if cur.object is None:
            cur.object = prev.object


def _fill_elliptical_objects(text: str, found: list[TargetCandidate]) -> None:
    """示范区x个、示范校x所: a short object listed right after a fuller one shares its
    modifiers (省级普通高中新课程新教材示范校), so it takes the fuller one's prefix."""
    for prev, cur in pairwise(found):
        if not prev.object or not cur.object or len(cur.object) > 4 or len(prev.object) <= len(cur.object):
            continue
        between = text[prev.end:cur.start]
        if len(between) > 12 or not re.search(r"[、和及]", between) or re.search(r"[，,。；;]", between):
            continue
        pos = prev.object.find(cur.object[:2])
        if pos > 0 and not prev.object.startswith(cur.object):
            cur.object = prev.object[:pos] + cur.object
