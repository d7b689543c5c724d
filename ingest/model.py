"""The data model of ingestion: plain dataclasses, no RDF, no vectors.

Everything downstream (kg/, embeddings/, api/) consumes these. Offsets are character
offsets into ``Document.text`` (for .txt files the decoded file content unchanged), so any
fact can point at an exact span: ``document.text[start:end] == quote``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, get_args

RegionLevel = Literal["country", "province", "prefecture", "county", "township"]
REGION_LEVELS: tuple[str, ...] = get_args(RegionLevel)

# ---------------------------------------------------------------- documents and clauses


@dataclass
class Clause:
    """One numbered (or heading) unit of a document.

    ``path`` is the position in the tree, 1-based, dot separated (``3.2.12``); attachments
    use the prefix ``A{n}`` (``A1.2``). ``label`` is the numbering as written (``（四）``,
    ``12.``, ``一是``, ``第三条``), empty for an unnumbered heading. ``heading`` is the bold or
    first short sentence (``加强培训体系建设``) or None. ``text`` is the clause's own text
    (label and heading included, children excluded) and equals
    ``document.text[start:end]``. ``end_all`` is the end of the clause with its children.
    ``kind`` names the numbering scheme: chapter, section, article, item, subitem, point,
    enumeration (一是…), paragraph, heading.
    """

    path: str
    label: str
    heading: str | None
    text: str
    start: int
    end: int
    end_all: int
    kind: str
    children: list[Clause] = field(default_factory=list)

    def walk(self) -> Iterator[Clause]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def depth(self) -> int:
        return self.path.count(".") + 1


@dataclass
class CitedDocument:
    title: str | None
    doc_number: str | None = None
    issuer: str | None = None


@dataclass
class Table:
    """A table as rows of cells; ``header`` names the columns when known."""

    header: list[str]
    rows: list[list[str]]
    start: int = 0
    end: int = 0


@dataclass
class Attachment:
    """附件N: kept with its own clause tree (paths ``A{n}…``) and any tables as rows."""

    number: int
    title: str | None
    start: int
    end: int
    clauses: list[Clause] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    issued: bool = False  # a document the wrapper notice issues (印发《X》和《Y》: both)


@dataclass
class Source:
    file: str  # file name as given (basename)
    sha256: str  # of the raw bytes
    format: str  # txt, html, docx, pdf
    encoding: str | None = None  # for .txt/.html: the encoding the bytes were decoded with


@dataclass
class Document:
    """A policy document: metadata, the normalised text and its clause tree.

    ``id`` is derived from the content (the text), so the same text always gets the same id
    on any machine. ``kind`` is ``plan`` (action plans, 实施方案, notices) or ``statute``
    (第X章/第X条 laws and regulations).

    ``title`` is the document's own title; for a notice that issues or forwards another
    document (关于印发《X》的通知) it is X, and ``notice_title`` keeps the notice's title.
    ``issuer`` is the (first) issuing body, ``issuers`` every joint issuer in order.
    ``source_id``/``source_url``/``front_matter`` come from source front matter (PKULaw
    法宝引证码 and 原文链接, a government site's 信息公开 table, Word/HTML header fields),
    which is metadata and never title or clause text.
    """

    id: str
    title: str | None
    text: str
    source: Source
    kind: str = "plan"
    issuer: str | None = None
    forwarded_by: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd: the issue date of the plan itself
    doc_number: str | None = None  # 文号, e.g. 枣教发〔2024〕3号
    period: str | None = None  # "2020-2022"
    public: bool | None = None  # 主动公开 / 公开发布 mark
    addressees: str | None = None  # 各中学、中心小学…：
    cc: str | None = None  # 抄送 line
    printed: str | None = None  # 印发 line (…办公室 2020年5月27日印发)
    notice: str | None = None  # text of the wrapper notice(s) (关于印发/转发…的通知)
    body_start: int = 0  # offset where the plan itself begins (after any wrapper notice)
    cited: list[CitedDocument] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    history: list[str] = field(default_factory=list)  # statutes: adoption/amendment lines
    notice_title: str | None = None  # 关于印发《X》的通知 when the title is the issued X
    issuers: list[str] = field(default_factory=list)  # joint issuers, ``issuer`` first
    source_id: str | None = None  # PKULaw 法宝引证码 (CLI.12.1201081), 索引号 …
    source_url: str | None = None  # 原文链接
    front_matter: dict[str, str] = field(default_factory=dict)  # field name → value as given

    def walk(self) -> Iterator[Clause]:
        """Every clause, the plan's then each attachment's, in document order."""
        for clause in self.clauses:
            yield from clause.walk()
        for attachment in self.attachments:
            for clause in attachment.clauses:
                yield from clause.walk()

    def clause(self, path: str) -> Clause | None:
        return next((c for c in self.walk() if c.path == path), None)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------- extracted facts


@dataclass
class Evidence:
    """Where a fact comes from: the clause path and the exact span of Document.text."""

    clause: str
    quote: str
    start: int
    end: int


@dataclass
class Region:
    """An administrative division (GB/T 2260). ``code`` is the 6-digit adcode; an anonymised
    region (xx市) has ``anonymised=True`` and a code ``anon-{doc_id}-{level}``, never a guess.
    The whole country is code ``100000``."""

    code: str
    name: str
    level: RegionLevel  # country, province, prefecture, county, township
    parent: str | None = None  # parent code
    province: str | None = None  # province name (None for the country)
    full_name: str | None = None  # 福建省厦门市翔安区
    anonymised: bool = False
    lon: float | None = None
    lat: float | None = None


@dataclass
class RegionMention:
    region: Region
    role: str  # applies-to, pilot, partner, parent, sub-region, mentioned
    evidence: Evidence | None = None


BodyKind = Literal["education-bureau", "school", "teaching-research", "supervision", "finance",
                   "government-office", "government", "university", "leading-group", "party",
                   "legislature", "collective", "other"]
BODY_KINDS: tuple[str, ...] = get_args(BodyKind)
BodyRoleName = Literal["issuer", "forwarder", "addressee", "lead", "responsible", "participant"]
BODY_ROLES: tuple[str, ...] = get_args(BodyRoleName)


@dataclass
class Body:
    """An organisation. ``name`` is the normalised full name in the plan's jurisdiction;
    ``slug`` is stable and readable (used in IRIs); ``aliases`` are the forms as written.
    ``collective`` marks a generic plural (各级教育行政部门, 各县（市、区）人民政府, 各级各类学校):
    kind ``collective``, at the plan's jurisdiction, so a query can keep or drop them."""

    name: str
    slug: str
    kind: BodyKind
    region: str | None = None  # adcode of its jurisdiction
    aliases: list[str] = field(default_factory=list)
    collective: bool = False

    def __post_init__(self) -> None:
        if self.kind not in BODY_KINDS:
            raise ValueError(f"Body {self.name!r}: unknown kind {self.kind!r} (one of {', '.join(BODY_KINDS)})")


@dataclass
class BodyRole:
    body: str  # Body.slug
    role: BodyRoleName  # issuer, forwarder, addressee, lead (牵头), responsible, participant
    evidence: Evidence | None = None

    def __post_init__(self) -> None:
        if self.role not in BODY_ROLES:
            raise ValueError(f"BodyRole {self.body!r}: unknown role {self.role!r} (one of {', '.join(BODY_ROLES)})")


@dataclass
class Target:
    """A quantitative target (指标); see ../shared/dev-gold/GUIDE.md."""

    n: int  # 1-based number within the document (IRI …/doc/{id}/target/{n})
    value: float | None
    placeholder: bool
    unit: str | None
    object: str | None
    comparator: str  # "=", ">=", "<="
    deadline: int | None
    frequency: str | None
    period: str | None
    topics: list[str]
    evidence: Evidence
    value_max: float | None = None  # upper end of a range (3-5项 → value 3, value_max 5)
    measure: str | None = None  # clause path of the measure it belongs to


@dataclass
class Measure:
    """One numbered item that prescribes action."""

    clause: str  # clause path
    heading: str | None
    topics: list[str] = field(default_factory=list)
    bodies: list[BodyRole] = field(default_factory=list)
    targets: list[int] = field(default_factory=list)  # Target.n


@dataclass
class TopicConcept:
    """A concept of the topic scheme (kg/topics.ttl is the source; kg loads it into these)."""

    id: str
    label_zh: str
    label_en: str
    alt_zh: list[str] = field(default_factory=list)
    alt_en: list[str] = field(default_factory=list)
    definition: str | None = None


@dataclass
class DocumentFacts:
    """Everything extraction found in one document."""

    doc_id: str
    region: Region | None  # the region the plan applies to
    region_chain: list[Region] = field(default_factory=list)  # region, parent, …, province
    regions_mentioned: list[RegionMention] = field(default_factory=list)
    bodies: list[Body] = field(default_factory=list)
    document_bodies: list[BodyRole] = field(default_factory=list)  # issuer, forwarder
    measures: list[Measure] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    clause_topics: dict[str, list[str]] = field(default_factory=dict)  # clause path → topics

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
