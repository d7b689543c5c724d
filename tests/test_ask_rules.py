"""General rules of ask's reading, without a workspace: wildcard counts and cycles, amounts in
a unit, departments in every written form, verb phrases joined by 或, the tail of a list.
The sentences are written for the tests (no document text)."""

from __future__ import annotations

from dataclasses import dataclass

from api.ask.bodies import department_forms
from api.ask.corpus import AskCorpus
from api.ask.numbers import frequencies, quantities
from api.ask.terms import Scorer, requirement_terms


def test_some_years_asks_for_any_cycle_of_years():
    asked = frequencies("每隔若干年把教师培训一遍")
    assert asked and asked[0].unit == "年"
    for stated in ("三年内将全体教师轮训一遍", "每五年接受一次专题培训", "2年内对校长培训一次"):
        assert any(f.satisfies(a) for f in frequencies(stated) for a in asked), stated
    assert not any(f.satisfies(a) for f in frequencies("每年举办一次培训") for a in asked)


def test_once_within_n_years_is_a_cycle_of_n_years():
    (f,) = frequencies("确保3年内将本地教师轮训一遍")
    assert (f.every, f.unit, f.times) == (3, "年", 1)
    (three,) = frequencies("每三年举办一次")
    assert f.satisfies(three)
    assert quantities("3年内将本地教师轮训一遍") == []  # the years are the cycle's, not a quantity


def test_annual_and_amounts_given_in_a_unit():
    asked_f = frequencies("an annual amount of money")
    assert asked_f and asked_f[0].every == 1 and asked_f[0].unit == "年"
    (unit,) = quantities("a specific amount (in 10,000 yuan)")
    assert unit.comparator == "any" and unit.unit == "万元"
    assert any(x.satisfies(unit) for x in quantities("每年安排资金50万元"))
    assert not any(x.satisfies(unit) for x in quantities("覆盖率达到50%"))
    (least,) = quantities("at least 10,000 yuan")
    assert least.value == 10000 and least.unit == "元"
    assert any(x.satisfies(least) for x in quantities("安排2万元"))
    assert not any(x.satisfies(least) for x in quantities("安排0.5万元"))


def test_departments_in_every_written_form():
    culture = department_forms("文化部门")
    for form in ("文广新局", "文化广电新闻出版局", "文体广", "文化等有关部门"):
        assert form in culture, form
    assert "文化" not in culture  # alone it is mostly not the department
    league = department_forms("共青团组织")
    assert {"团委", "团市委", "团省委"} <= set(league)
    assert "财政局" in department_forms("财政部门") and "文广新局" not in department_forms("财政部门")
    assert department_forms("政府") == () and department_forms("美育") == ()


@dataclass
class Passage:
    id: str
    doc_id: str
    text: str


TEXTS = [  # one provision each, written for the test
    "县级政府要在两年内配齐专职美育教师。",
    "三年内解决学校美育教师短缺问题。",
    "加强美育教师培训。",
    "团市委要配合开展学校美育工作。",
    "文广新局负责组织艺术家进校园活动。",
    "各地要组织校长轮训，校长每年参加培训。",
    "分管干部要参加专题培训。",
    "校长每学期听评课不少于20节。",
]


def _corpus() -> AskCorpus:
    passages = [Passage(f"urn:doc{i}/clause/1", f"doc{i}", t) for i, t in enumerate(TEXTS)]
    docs = {f"doc{i}": {"id": f"doc{i}", "source": {"file": f"doc{i}.txt"}} for i in range(len(TEXTS))}
    return AskCorpus.build(passages, docs)


def _tokenizer():
    from embeddings.bm25 import Tokenizer

    return Tokenizer([])


def _answers(req, corpus: AskCorpus) -> set[int]:
    out = set()
    for branch in req.alternatives():
        sc = Scorer(branch, corpus)
        out |= {k for k in sc.candidates() if sc.coverage(k) >= 0.7 and sc.heaviest_stated(k)}
    return out


def test_verb_phrases_joined_by_or_are_alternatives():
    corpus = _corpus()
    req = requirement_terms("配齐专职美育教师或解决美育教师短缺", "zh", corpus, _tokenizer())
    assert len(req.branches) == 2
    keys = _answers(req, corpus)
    assert {corpus.units[k].doc_id for k in keys} == {"doc0", "doc1"}


def test_a_department_question_finds_its_other_names():
    corpus = _corpus()
    req = requirement_terms("共青团组织 学校美育工作", "zh", corpus, _tokenizer())
    assert any("团市委" in g.alternatives for g in req.groups)
    assert "doc3" in {corpus.units[k].doc_id for k in _answers(req, corpus)}
    req = requirement_terms("文化部门 艺术家进校园", "zh", corpus, _tokenizer())
    assert "doc4" in {corpus.units[k].doc_id for k in _answers(req, corpus)}


def test_the_word_after_a_list_is_not_the_word_a_unit_must_state():
    corpus = _corpus()
    req = requirement_terms("校长、教师或分管干部", "zh", corpus, _tokenizer())
    tails = [g for g in req.groups if g.tail]
    assert [g.alternatives for g in tails] == [("干部",)]
    sc = Scorer(req.groups, corpus)
    assert not req.groups[sc.heavy].tail


def test_a_ratio_to_classes_asks_for_a_number_per_classes():
    (asked,) = quantities("which regions set a ratio of art teachers to classes?")
    assert asked.comparator == "ratio" and asked.per_unit == "班"
    assert any(x.satisfies(asked) for x in quantities("每6个班配备1名美术教师"))
    assert not any(x.satisfies(asked) for x in quantities("专职教师比例不低于60%"))


def test_a_deadline_is_read_as_a_plan_writes_it():
    from api.ask.numbers import years

    for text in ("到2019年，各级学校开齐课程", "建立制度，2017年配齐教研员", "2017年底前配齐", "于2019年5月底前报送"):
        assert [y for y, _, _ in years(text, stated=True)][:1] in ([2017], [2019]), text
    for text in ("根据某发〔2019〕21号文件", "2019年3月印发本方案"):
        assert years(text, stated=True) == [], text


def test_a_parenthesis_item_is_one_alternative_and_scope_remarks_are_ignored():
    corpus = _corpus()
    req = requirement_terms("教师（分管干部、团市委），包括探索和试点", "zh", corpus, _tokenizer())
    (group,) = [g for g in req.groups if "教师" in g.alternatives]
    assert "分管干部" in group.alternatives and "团市委" in group.alternatives
    assert not any("试点" in g.alternatives for g in req.groups)
    assert any("试点" in w for w in req.ignored)


def test_a_word_takes_the_synonyms_the_genre_writes():
    from api.ask.terms import synonym_sets

    assert "中招" in synonym_sets()["中考"]
    corpus = _corpus()
    req = requirement_terms("校长 听课", "zh", corpus, _tokenizer())
    (listen,) = [g for g in req.groups if g.asked.startswith("听")]
    assert "听评课" in listen.alternatives
    assert "doc7" in {corpus.units[k].doc_id for k in _answers(req, corpus)}


def test_a_question_asking_by_when_takes_any_deadline_a_sentence_states():
    from api.ask.numbers import deadline
    from api.ask.terms import strip_words

    for q, lang in (("配齐专职教研员的完成年限", "zh"), ("by what year must schools have full-time art teachers", "en"),
                    ("Which regions set a deadline for staffing art teachers", "en")):
        rest, found = strip_words(q, lang, "asks_deadline")
        assert found, q
        assert not any(w in rest for w in ("年限", "by what year", "deadline"))
    assert deadline("到2020年，配齐音乐、美术专职教研员") == 2020
    assert deadline("2018年底前，全市薄弱学校美育条件得到改善") == 2018
    assert deadline("力争用两年时间配齐美育教师") == "用两年时间"
    assert deadline("每年举办一次艺术节") is None
    assert deadline("2019年3月印发的通知") is None  # a date in passing is no deadline


def test_a_year_is_a_rate_only_with_its_count():
    assert frequencies("set a year by which conditions must improve") == []
    assert [f.label() for f in frequencies("held once a year")] == ["每年1次"]
    assert [f.label() for f in frequencies("twice a year")] == ["每年2次"]
    assert [f.label() for f in frequencies("every year")] == ["每年"]


def test_chinese_written_beside_english_words_replaces_their_dictionary_renderings():
    from api.ask.terms import _glosses

    glosses, glossed = _glosses("make the staffing authority (机构编制部门 / 编办) responsible for art teachers")
    assert glosses == [["机构编制部门", "编办"]]
    assert {"staffing", "authority"} <= glossed and "teachers" not in glossed
    glosses, glossed = _glosses("art teachers 美育教师 and more")
    assert glosses == [["美育教师"]] and not glossed  # outside parentheses: a group of its own


BODY_TEXTS = [  # one provision each, written for the test
    "文化部门要支持高雅艺术进校园活动。",
    "市、县财政设立美育专项经费。",
    "组织优秀传统文化艺术进校园活动。",  # 文化 here is culture, not the department
    "加大财政投入，设立美育专项经费。",  # 财政投入 is money, not the department acting
    "文化和旅游部门组织戏曲进校园。",
]


def test_a_department_the_question_names_must_be_named_by_the_answer():
    passages = [Passage(f"urn:b{i}/clause/1", f"b{i}", t) for i, t in enumerate(BODY_TEXTS)]
    corpus = AskCorpus.build(passages, {f"b{i}": {"id": f"b{i}", "source": {"file": f"b{i}.txt"}}
                                        for i in range(len(BODY_TEXTS))})

    def answering(question: str) -> set[str]:
        req = requirement_terms(question, "zh", corpus, _tokenizer())
        assert any(g.body for g in req.groups), req.groups
        out = set()
        for branch in req.alternatives():
            sc = Scorer(branch, corpus)
            out |= {corpus.units[k].doc_id for k in sc.candidates()
                    if sc.coverage(k) >= 0.7 and sc.heaviest_stated(k) and sc.bodies_stated(k)}
        return out

    assert answering("文化部门支持或组织艺术进校园") == {"b0", "b4"}  # the subject of both verbs
    assert answering("财政部门设立美育专项经费") == {"b1"}  # 财政 alone, as the subject
