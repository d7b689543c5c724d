"""Lexicons of the body rules: organisation suffixes and their kinds, stop words, generic
qualifiers, level prefixes, role words, and the data files of ingest/data (abbreviations,
branch bureaus) read once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "data"

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
    "中心": "城区组点任化教协机制", "教育部": "门", "厅": "长级", "中学": "生段部", "小学": "生段部", "学校": "长", "局": "长势面限部级",
    "大学": "生习", "学院": "长派", "政府": "性", "委员会": "委员", "分局": "长",
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
    "达到|成为|实现|做好|加快|确保|课程|教学|重点|我|本|该|的|和|与|及|或|等|[0-9xX×*]|[所个批类]$|"
    # verbs and pronouns of a phrase that runs into a school word (整合学校, 专业人士到中小学, 研究学校)
    "整合|创新|目前|调动|写入|这|那|人士|到|研究|统筹|履行|要|让|使|把|向|被|工作|进入|走进|在|每|各种|面向|"
    "城市|两岸|资源|改进|实行|基层|当地|考核|督导|美育|部分|有条件|贫困|偏远|边疆|民族地区|"
    "阻碍|提高|重视|骨干|拓展|服务|引领|保障|要求|进行|参加|参与|带动|辐射")
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
_DUTY_LINE_RE = re.compile(r"(牵头|责任|配合|参与|协办|主办)(?:单位|部门)[：:]\s*(?=([^\n。；;]+))")
_DUTY_ROLE = {"牵头": "lead", "主办": "lead", "责任": "responsible", "配合": "participant",
              "参与": "participant", "协办": "participant"}
_DUTY_HEADER_RE = re.compile(r"(牵头|责任|配合|参与|协办|主办)(单位|部门)|责任主体|实施主体")


@dataclass(frozen=True)
class Abbreviation:
    full: str  # may hold {prefix}
    uses: frozenset[str]  # dept, tail, school



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


_PROVINCE_FORMS = {"教育局": "教育厅", "财政局": "财政厅", "人力资源和社会保障局": "人力资源和社会保障厅",
                   "住房和城乡建设局": "住房和城乡建设厅", "自然资源局": "自然资源厅",
                   "自然资源和规划局": "自然资源厅", "民政局": "民政厅", "公安局": "公安厅",
                   "司法局": "司法厅", "审计局": "审计厅", "科学技术局": "科学技术厅",
                   "文化和旅游局": "文化和旅游厅", "农业农村局": "农业农村厅", "生态环境局": "生态环境厅",
                   "交通运输局": "交通运输厅", "应急管理局": "应急管理厅", "卫生健康局": "卫生健康委员会",
                   "发展和改革局": "发展和改革委员会", "体育局": "体育局", "经济和信息化局": "经济和信息化厅"}


