"""The API contract: pydantic models of every response (OpenAPI at ``/docs`` shows them).

The service returns plain dicts; the HTTP routers declare these as ``response_model`` (FastAPI
validates and serialises through them) and ``policykg … --json`` prints
``dump(Model, value)`` — the same JSON. Declared fields are what a client can rely on;
models accept extra fields (``extra="allow"``) so that a field added by the service is passed
on rather than dropped, but it is not part of the contract until it is declared here.

Enum-like strings are ``StrEnum``s: ``RegionLevel``, ``BodyKind``, ``BodyRole``,
``DocumentKind``, ``Comparator``, ``Intent``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, TypeAdapter


class Model(BaseModel):
    model_config = ConfigDict(extra="allow")


# ---------------------------------------------------------------------- enums


class RegionLevel(StrEnum):
    country = "country"
    province = "province"
    prefecture = "prefecture"
    county = "county"
    township = "township"


class BodyKind(StrEnum):
    education_bureau = "education-bureau"
    school = "school"
    teaching_research = "teaching-research"
    supervision = "supervision"
    finance = "finance"
    government_office = "government-office"
    government = "government"
    university = "university"
    leading_group = "leading-group"
    party = "party"
    collective = "collective"  # 各级教育行政部门, 各级各类学校 … (ingest.model.Body.collective)
    other = "other"


class BodyRole(StrEnum):
    """Measure level: lead (牵头), responsible, participant; document level: issuer,
    forwarder, addressee."""

    lead = "lead"
    responsible = "responsible"
    participant = "participant"
    issuer = "issuer"
    forwarder = "forwarder"
    addressee = "addressee"


class DocumentKind(StrEnum):
    plan = "plan"
    statute = "statute"


class Comparator(StrEnum):
    eq = "="
    ge = ">="
    le = "<="
    gt = ">"
    lt = "<"


class Intent(StrEnum):
    regions = "regions"
    documents = "documents"
    bodies = "bodies"
    count = "count"
    targets = "targets"
    search = "search"


# ---------------------------------------------------------------------- shared parts


class RegionRef(Model):
    code: str = Field(description="GB/T 2260 adcode, or anon-{doc}-{level} for an anonymised region")
    name: str | None
    full_name: str | None = Field(None, description="with its parents: 福建省厦门市翔安区; the country 中华人民共和国")
    level: RegionLevel | None
    province: str | None = None
    anonymised: bool = False


class Region(RegionRef):
    """A row of ``/regions``: the region with its parent, coordinates and counts."""

    id: str = Field(description="IRI")
    parent: str | None = Field(None, description="adcode of the parent region")
    lon: float | None = None
    lat: float | None = None
    documents: int = Field(description="documents of this region itself")
    documents_total: int = Field(description="documents of this region and its sub-regions")
    targets: int = Field(description="targets in documents of this region and its sub-regions")


class Source(Model):
    file: str | None
    sha256: str | None


class Evidence(Model):
    """Where a fact is stated: the clause path, the quote and its offsets in the text."""

    clause: str | None = None
    quote: str | None = None
    start: int | None = None
    end: int | None = None


class BodyRef(Model):
    id: str
    name: str | None
    kind: BodyKind | None = None
    role: BodyRole | None = None


class MeasureRef(Model):
    id: str
    path: str | None
    heading: str | None = None
    topics: list[str] = []


# ---------------------------------------------------------------------- documents and clauses


class DocumentRow(Model):
    id: str
    title: str | None
    issuer: str | None
    forwarded_by: str | None
    date: str | None = Field(description="ISO date")
    doc_number: str | None = Field(description="文号")
    region: RegionRef | None
    anonymised: bool
    period: str | None = Field(description="the plan's period as written, e.g. 2024-2025")
    kind: DocumentKind | None = None
    source: Source
    clauses: int = Field(description="number of clauses")


class ClauseNode(Model):
    id: str
    path: str
    label: str | None = None
    heading: str | None = None
    text: str | None = None
    start: int | None = None
    end: int | None = None
    kind: str | None = Field(None, description="the numbering scheme: chapter, article, item, point …")
    children: list[ClauseNode] = []


class Citation(Model):
    title: str | None
    doc_number: str | None


class TargetFields(Model):
    """What a quantitative target says: a value or a range (value … value_max), a placeholder
    (xx%), a deadline year, a frequency (每年) or a period."""

    id: str
    value: int | float | None
    value_max: int | float | None = None
    placeholder: bool = False
    unit: str | None = None
    object: str | None = None
    comparator: Comparator | None = None
    deadline: int | None = Field(None, description="deadline year")
    frequency: str | None = None
    period: str | None = None
    topics: list[str] = []
    evidence: Evidence | None = None


class Target(TargetFields):
    """A row of ``/targets``: the target with its document, region, clause, measure and bodies."""

    n: int
    doc: str
    title: str | None
    source_file: str | None
    region: RegionRef | None
    clause_id: str | None
    measure: MeasureRef | None = None
    bodies: list[BodyRef] = []


class DocumentDetail(DocumentRow):
    clauses: list[ClauseNode]  # type: ignore[assignment]
    clauses_count: int | None
    cited: list[Citation]
    targets: list[Target]


class ClauseHit(Model):
    """A clause with its document, region, topics, targets, measure and bodies; a search hit
    adds ``score`` and ``highlight`` (the best sentence's span in ``text``)."""

    clause_id: str
    doc: str | None
    title: str | None
    source_file: str | None
    region: RegionRef | None
    path: str | None
    heading: str | None = None
    text: str | None
    topics: list[str]
    targets: list[TargetFields]
    bodies: list[BodyRef]
    measure: MeasureRef | None
    score: float | None = None
    highlight: list[int] | None = None


class SearchResponse(Model):
    query: str
    results: list[ClauseHit]
    interpreted: dict[str, Any] | None = Field(None, description="e.g. the English → Chinese expansion")
    filters: dict[str, Any] | None = None


class PrecedentDocument(Model):
    doc: str | None
    title: str | None
    source_file: str | None
    clauses: list[ClauseHit]


class PrecedentGroup(Model):
    region: RegionRef | None
    documents: list[PrecedentDocument]


class PrecedentsResponse(Model):
    text: str
    exclude_region: str | None
    groups: list[PrecedentGroup]
    results: list[ClauseHit]


# ---------------------------------------------------------------------- catalogue


class BodyRow(Model):
    id: str
    name: str | None
    kind: BodyKind | None
    region: RegionRef | None
    measures: int
    documents: int


class Topic(Model):
    id: str
    iri: str
    label_zh: str
    label_en: str
    alt_zh: list[str]
    alt_en: list[str]
    definition: str | None
    measures: int
    targets: int


# ---------------------------------------------------------------------- graph, health, ingest


class GraphNode(Model):
    """A node of kg.projection's graph; its literal attributes (text, path, value, deadline …)
    come as extra fields."""

    id: str
    label: str | None
    kind: str | None = Field(description="document, clause, measure, target, region, body, topic, citation, …")


class GraphEdge(Model):
    source: str
    target: str
    predicate: str | None = Field(description="the predicate IRI")
    label: str


class NodeMatch(Model):
    """A node found by name (PolicyKG.find_nodes, kg.lookup)."""

    id: str = Field(description="the node's IRI (what neighbourhood and export take)")
    label: str
    kind: str = Field(description="region, topic, body or document")
    matched: str = Field(description="the name that matched")
    match: str = Field(description="exact, prefix, contains or within")
    detail: str | None = Field(None, description="a region's full name, a topic's English label, a document's 文号 and date …")


class Neighbourhood(Model):
    center: str
    depth: int
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool


class Health(Model):
    workspace: str
    status: Literal["ok", "degraded", "error"]
    store: dict[str, Any]
    manifest: dict[str, Any]
    index: dict[str, Any]
    model: str | None
    warning: str | None = None
    read_only: bool | None = Field(None, description="the workspace is served read-only: writes are refused "
                                                     "(409) saying why")
    pid: int | None = Field(None, description="the process that answered (one of several with "
                                              "`policykg serve --workers N`)")


class LineageRefresh(Model):
    dropped: list[str] = Field(default_factory=list, description="documents whose lineage graph was dropped")
    rebuilt: list[str] = Field(default_factory=list, description="documents whose lineage graph was rebuilt")


class IngestedDocument(Model):
    id: str
    file: str
    title: str | None
    clauses: int
    targets: int
    region: str | None
    replaced: list[str] | None = Field(None, description="ids of earlier versions from the same source")
    lineage: LineageRefresh | None = Field(None, description="lineage graphs dropped or rebuilt for the replaced versions")


class UnchangedDocument(Model):
    id: str
    file: str
    title: str | None


class DuplicateDocument(Model):
    file: str
    duplicate_of: str = Field(description="the id of the document already stored")
    title: str | None
    stored_from: str | None = Field(description="where the stored document was read from")


class FailedFile(Model):
    file: str
    error: str


class IngestReport(Model):
    added: list[IngestedDocument]
    unchanged: list[UnchangedDocument]
    duplicates: list[DuplicateDocument]
    failed: list[FailedFile]


# ---------------------------------------------------------------------- /ask


class Interpretation(Model):
    intent: Intent
    language: Literal["zh", "en"]
    topic: str | None = None
    topic_label: str | None = None
    topic_via: str | None = None
    year: int | None = None
    region: dict[str, Any] | None = None
    with_targets: bool | None = None
    funding: bool | None = None
    requirement: str | None = None
    object: str | None = None
    matched: list[str] = []
    source: str | None = Field(None, description="what the answer was read from")


class AskEvidence(Model):
    """A target (kind "target": value, unit, object, deadline …) or a clause (kind "clause":
    quote, score) or a measure (kind "measure": role, measure), with its document and clause."""

    kind: Literal["target", "clause", "measure", "document"]
    doc: str | None = None
    title: str | None = None
    source_file: str | None = None
    path: str | None = None
    clause_id: str | None = None
    quote: str | None = None


class AskDocumentRef(Model):
    id: str | None
    title: str | None
    source_file: str | None


class RegionGroup(Model):
    """A region that answers: its documents listed (at most the answer's ``per_region``, best
    first) with their evidence; ``documents_total`` counts every document of it that answers."""

    region: RegionRef | None
    documents: list[AskDocumentRef]
    evidence: list[AskEvidence]
    documents_total: int | None = Field(
        None, description="every document of the region that answers, listed or not (documents lists "
        "at most per_region of them)")
    count: dict[str, int | float] | None = Field(
        None, description="(count questions) totals by unit, over every document of the region, listed or not")


class DocumentGroup(Model):
    id: str | None
    title: str | None
    source_file: str | None
    evidence: list[AskEvidence]


class BodyAnswer(Model):
    id: str
    name: str | None
    kind: BodyKind | None
    region: RegionRef | None
    level: Literal["measure", "document"]
    evidence: list[AskEvidence] = Field(description="the measures (or documents), at most per_region of them")
    evidence_total: int | None = Field(None, description="every piece of evidence of the body, listed or not")


class AskBase(Model):
    question: str
    interpretation: Interpretation
    fallback: bool
    summary: str | None = Field(None, description="the complete answer's counts, whatever per_region left out")
    documents_total: int | None = Field(
        None, description="the documents that answer, all of them (listed or not; 0 when none does)")
    per_region: int | None = Field(
        None, description="the cap applied: at most this many documents listed per region (bodies: pieces of "
        "evidence per body); null when every one is listed")


class RegionsAnswer(AskBase):
    """intent regions, count or targets: regions with the targets or clauses as evidence."""

    answer: list[RegionGroup]


class DocumentsAnswer(AskBase):
    """intent documents: the documents that answer, at most ``per_region`` of each region."""

    answer: list[DocumentGroup]


class BodiesAnswer(AskBase):
    """Bodies responsible for measures on the topic; when none, ``answer`` is empty and
    ``document_level_bodies`` lists, labelled by ``note``, those tied to the documents."""

    answer: list[BodyAnswer]
    document_level_bodies: list[BodyAnswer] | None = None
    note: str | None = None


class SearchAnswer(AskBase):
    """Nothing fits: the most similar clauses, grouped by region (``fallback`` true)."""

    answer: list[Any]
    groups: list[RegionGroup] = []
    results: list[ClauseHit] = []


def _ask_tag(value: Any) -> str:
    interp = value.get("interpretation") if isinstance(value, dict) else getattr(value, "interpretation", None)
    intent = interp.get("intent") if isinstance(interp, dict) else getattr(interp, "intent", None)
    intent = str(getattr(intent, "value", intent) or "search")
    return {"count": "regions", "targets": "regions"}.get(intent, intent)


AskAnswer = Annotated[
    Annotated[RegionsAnswer, Tag("regions")]
    | Annotated[DocumentsAnswer, Tag("documents")]
    | Annotated[BodiesAnswer, Tag("bodies")]
    | Annotated[SearchAnswer, Tag("search")],
    Discriminator(_ask_tag),
]


# ---------------------------------------------------------------------- the analyst's page


class DocumentRef(Model):
    id: str
    title: str | None
    date: str | None = None
    region: RegionRef | None = None
    issuer: str | None = None


class OverviewCounts(Model):
    documents: int
    clauses: int
    targets: int
    regions: int = Field(description="regions with a document of their own")
    provinces: int
    anonymised: int = Field(description="documents whose region is anonymised (xx市)")


class RegionCount(Model):
    region: RegionRef | None
    documents: int
    targets: int


class YearCount(Model):
    year: int
    documents: int


class KindCount(Model):
    kind: str
    documents: int


class ExampleQuestion(Model):
    question: str
    topic: str | None = None


class Overview(Model):
    """What is loaded: counts, documents by region and year, the newest, example questions."""

    counts: OverviewCounts
    by_region: list[RegionCount]
    by_year: list[YearCount]
    by_kind: list[KindCount]
    newest: list[DocumentRef]
    examples: list[ExampleQuestion]


class TargetRef(TargetFields):
    doc: str | None = None
    title: str | None = None
    clause_id: str | None = None
    id: str | None = None  # type: ignore[assignment]
    value: int | float | None = None


class MatrixCell(Model):
    region: str = Field(description="region code (the column)")
    count: int
    targets: list[TargetRef] = Field(description="the targets themselves when an object is compared")


class MatrixRow(Model):
    topic: str
    label_zh: str
    label_en: str
    cells: list[MatrixCell]


class CompareMatrix(Model):
    """Topic × region: targets per cell, or (with ``object``) the values side by side."""

    object: str | None
    topic: str | None
    regions: list[RegionRef]
    rows: list[MatrixRow]


class MeasureBrief(Model):
    path: str | None
    heading: str | None


class DocumentCell(Model):
    doc: str
    measures: list[MeasureBrief]
    targets: list[TargetRef]


class DocumentTopicRow(Model):
    topic: str
    label_zh: str
    label_en: str
    cells: list[DocumentCell]


class CompareDocuments(Model):
    """Documents side by side by topic: each one's measures and targets on the topic."""

    documents: list[DocumentRef]
    rows: list[DocumentTopicRow]


# ---------------------------------------------------------------------- output


def dump(model: Any, value: Any) -> Any:
    """``value`` validated by ``model`` (a model, ``list[Model]`` or a union) and dumped to
    JSON-ready Python: what the HTTP API sends, for the CLI's ``--json``."""
    return TypeAdapter(model).dump_python(TypeAdapter(model).validate_python(value), mode="json")


# ---------------------------------------------------------------------- errors


class ErrorBody(Model):
    """What went wrong: ``type`` (the error class), ``message`` (names the parameter and the
    reason), ``param`` when one parameter is at fault; ``request_id`` on a 500 (the server log
    has the traceback under it)."""

    type: str
    message: str
    param: str | None = None
    request_id: str | None = None


class ErrorResponse(Model):
    error: ErrorBody
