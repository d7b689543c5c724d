"""General rules of ask's reading, without a workspace: wildcard counts and cycles, amounts in
a unit, departments in every written form, verb phrases joined by 或, the tail of a list.
The sentences are written for the tests (no document text)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

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


def test_a_broad_name_of_a_school_kind_takes_its_narrower_kinds_but_not_the_reverse():
    from api.ask.terms import synonym_sets

    texts = ["中等职业学校要推行现代学徒制。", "高职院校要推行现代学徒制。", "高等院校要成立学生艺术社团。"]
    passages = [Passage(f"urn:v{i}/clause/1", f"v{i}", t) for i, t in enumerate(texts)]
    corpus = AskCorpus.build(passages, {f"v{i}": {"id": f"v{i}", "source": {"file": f"v{i}.txt"}}
                                        for i in range(len(texts))})

    def docs(question):
        req = requirement_terms(question, "zh", corpus, _tokenizer())
        return {corpus.units[k].doc_id for k in _answers(req, corpus)}

    assert docs("职业院校 推行 现代学徒制") == {"v0", "v1"}
    assert docs("中等职业学校 推行 现代学徒制") == {"v0"}
    assert docs("高校 学生艺术社团") == {"v2"}
    assert "高职院校" not in synonym_sets().get("中等职业学校", ())


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


def test_the_term_index_finds_exactly_the_units_that_state_a_term():
    corpus = _corpus()
    words = {t[i:i + n] for t in TEXTS for n in (1, 2, 3, 5) for i in range(0, max(1, len(t) - n), 7)}
    words |= {"美育教师", "不存在的词语", "音乐", "。", "A1"}
    for w in sorted(words):
        assert corpus.texts_with(w) == {u.distinct for u in corpus.distinct if w in u.text}, w
        assert corpus.keys_with(w).tolist() == sorted(corpus.texts_with(w))
        assert corpus.doc_frequency(w) == sum(w in u.text for u in corpus.units), w


def test_a_provision_copied_word_for_word_is_read_once_and_counted_per_copy():
    texts = [TEXTS[0], TEXTS[2], TEXTS[0], TEXTS[0]]  # a province's sentence copied by two cities
    passages = [Passage(f"urn:c{i}/clause/1", f"c{i}", t) for i, t in enumerate(texts)]
    corpus = AskCorpus.build(passages, {f"c{i}": {"id": f"c{i}", "source": {"file": f"c{i}.txt"}}
                                        for i in range(len(texts))})
    assert len(corpus.units) == 4 and len(corpus.distinct) == 2
    copied = corpus.units[0].distinct
    assert [corpus.units[k].doc_id for k in corpus.members(copied)] == ["c0", "c2", "c3"]
    assert corpus.doc_frequency("专职美育教师") == 3 and corpus.texts_with("专职美育教师") == {copied}


def test_the_units_read_are_those_that_can_reach_the_floor():
    corpus = _corpus()
    req = requirement_terms("配齐专职美育教师或解决美育教师短缺", "zh", corpus, _tokenizer())
    for branch in req.alternatives():
        sc = Scorer(branch, corpus)
        exact = {k: sc.coverage(k) for k in range(len(corpus.distinct))}  # summed per text
        for floor in (0.0001, 0.5, 0.7, 1.0):
            assert sc.reaching(floor) == {k for k, c in exact.items() if c >= floor}
        assert {k: sc.coverage(k) for k in exact} == exact  # the same floats from the numpy sums


# ---------------------------------------------------------------- a34: forms plans write, read as asked

GENRE = [  # one provision each, written for the test
    "小学阶段美育课程课时不低于总课时的9%。",
    "普通高中要保证美育类必修课程不低于6个学分。",
    "乡镇中心小学至少配备音乐、美术专职教师各1名。",
    "学校每学年进行一次美育工作自评。",
    "音乐课程开设齐全，教师队伍稳定。",
    "三年内将校长轮训一遍。",
    "每2年举办一次教师基本功比赛。",
    "逐步提高专职教师比例。",
    "加强分管干部培训。",
]


def _genre_corpus() -> AskCorpus:
    passages = [Passage(f"urn:g{i}/clause/1", f"g{i}", t) for i, t in enumerate(GENRE)]
    docs = {f"g{i}": {"id": f"g{i}", "source": {"file": f"g{i}.txt"}} for i in range(len(GENRE))}
    return AskCorpus.build(passages, docs)


def test_a_verb_the_dictionary_lacks_is_still_a_verb():
    from api.ask.terms import _is_verb

    assert _is_verb("修满") and _is_verb("自评")  # not in jieba's dictionary: the tagger reads them
    assert not _is_verb("学分") and not _is_verb("普通高中")
    corpus = _genre_corpus()
    req = requirement_terms("普通高中 艺术类 必修课程 修满 学分", "zh", corpus, _tokenizer())
    sc = Scorer(req.groups, corpus)
    assert req.groups[sc.heavy].asked != "修满"  # plans vary the verb (保证…学分): never the word a unit must state


def test_a_share_is_stated_by_a_percentage():
    corpus = _genre_corpus()
    req = requirement_terms("小学阶段 美育课程 课时 比例", "zh", corpus, _tokenizer())
    (share,) = [g for g in req.groups if "比例" in g.alternatives]
    assert "%" in share.alternatives and share.tail  # the framing of a number: light
    assert "g0" in {corpus.units[k].doc_id for k in _answers(req, corpus)}


@pytest.mark.parametrize("asked, read, states, does_not", [
    # credits are a unit in both languages
    ("at least two credits", (2, "学分", ">="), "选修课程不低于2个学分", "每周不少于2个课时"),
    ("修满6个学分", (6, "学分", "="), "必修课程不低于6个学分", None),
    # a cap is at most its number; of an age, in years of age
    ("Which regions cap the age of part-time arts teachers at 65?", (65, "岁", "<="),
     "兼职教师原则上不超过65岁", "兼职教师不超过70岁"),
    ("cap class size at 45 students", (45, "名", "<="), None, None),
])
def test_an_asked_quantity_is_read_and_checked_against_a_plans_sentence(asked, read, states, does_not):
    (q,) = quantities(asked)
    assert (q.value, q.unit, q.comparator) == read
    if states:
        assert any(x.satisfies(q) for x in quantities(states)), states
    if does_not:
        assert not any(x.satisfies(q) for x in quantities(does_not)), does_not


def test_a_question_for_a_deadline_asks_any_stated_year():
    from api.ask.terms import strip_words

    _, en = strip_words("By what year must they have teaching researchers", "en", "asks_deadline")
    assert en == ["by what year"]
    _, zh = strip_words("要求哪一年前配齐教研员", "zh", "asks_deadline")
    assert zh == ["哪一年前"]


def test_a_compound_written_around_a_coordination_is_stated():
    from api.ask.terms import SPLIT_CREDIT, credit

    assert credit("音乐教师", "至少配备音乐、美术专职教师各1名") == SPLIT_CREDIT
    assert credit("音乐教师", "音乐课程开设齐全，教师队伍稳定") < 0.5  # another comma-piece: not one compound
    corpus = _genre_corpus()
    req = requirement_terms("乡镇 中心小学 音乐教师", "zh", corpus, _tokenizer())
    assert {corpus.units[k].doc_id for k in _answers(req, corpus)} == {"g2"}


def test_art_and_aesthetic_forms_of_school_subjects_are_one():
    from api.ask.terms import synonym_sets

    assert "美育类" in synonym_sets()["艺术类"] and "美育教师" in synonym_sets()["艺术教师"]
    corpus = _genre_corpus()
    req = requirement_terms("普通高中 艺术类 必修课程", "zh", corpus, _tokenizer())
    assert "g1" in {corpus.units[k].doc_id for k in _answers(req, corpus)}


def test_a_level_word_is_light_and_the_word_after_a_list_is_asked_when_only_a_number_agrees():
    corpus = _genre_corpus()
    level = requirement_terms("县（区）一级 举办 展演", "zh", corpus, _tokenizer())
    assert all(g.tail for g in level.groups if "一级" in g.alternatives)
    req = requirement_terms("校长、教师或分管干部培训", "zh", corpus, _tokenizer())
    sc = Scorer(req.groups, corpus)
    contest = next(u.key for u in corpus.units if u.doc_id == "g6")  # teachers, a cycle, but no training
    assert sc.specific_stated(contest) and not sc.specific_stated(contest, strict=True)


def _expander(corpus: AskCorpus):
    from embeddings.expand import QueryExpander

    return QueryExpander(in_corpus=lambda t: corpus.doc_frequency(t) > 0)


def test_english_glossary_phrases_and_coordination():
    corpus = AskCorpus.build([Passage("urn:e0/clause/1", "e0", "建立美育工作部门联席会议制度，配齐专职音乐、美术教研员。"),
                              Passage("urn:e1/clause/1", "e1", "学校每学年进行一次美育工作自评。")],
                             {d: {"id": d, "source": {"file": f"{d}.txt"}} for d in ("e0", "e1")})
    tok, exp = _tokenizer(), _expander(corpus)
    req = requirement_terms("joint inter-departmental meeting system", "en", corpus, tok, exp)
    assert any("联席会议制度" in g.alternatives for g in req.groups)  # the modifier inside does not break it
    req = requirement_terms("self-evaluation", "en", corpus, tok, exp)
    assert [g.alternatives for g in req.groups] == [("自评",)]
    req = requirement_terms("full-time music and art teaching researchers", "en", corpus, tok, exp)
    assert any("教研员" in g.alternatives for g in req.groups)  # the head is asked of both
    assert any("音乐" in g.alternatives and "美术" in g.alternatives for g in req.groups)


def test_english_chunks_sharing_a_head_coordinate_their_modifiers():
    corpus = AskCorpus.build([Passage("urn:e0/clause/1", "e0", "发挥专业协会和美育协会的作用。"),
                              Passage("urn:e1/clause/1", "e1", "推进美育工作，组建学生社团。"),
                              Passage("urn:e2/clause/1", "e2", "组织抽测和第三方抽查学生艺术素质测评。")],
                             {d: {"id": d, "source": {"file": f"{d}.txt"}} for d in ("e0", "e1", "e2")})
    tok, exp = _tokenizer(), _expander(corpus)
    req = requirement_terms("professional associations or arts-education associations", "en", corpus, tok, exp)
    heads = [g for g in req.groups if "协会" in g.alternatives or "社团" in g.alternatives]
    assert heads and not any("美育" in g.alternatives for g in heads)  # arts education is no kind of association
    assert any("专业" in g.alternatives and "美育" in g.alternatives for g in req.groups)
    # a verb before the head is no modifier: third party stays beside the checks
    req = requirement_terms("provide spot checks or third-party sampling", "en", corpus, tok, exp)
    assert not any("第三方" in g.alternatives and "提供" in g.alternatives for g in req.groups)


def test_what_the_asker_rules_out_is_not_asked():
    corpus = AskCorpus.build([Passage("urn:e0/clause/1", "e0", "加强师德建设，开展师德考核。"),
                              Passage("urn:e1/clause/1", "e1", "建设高尚情操的教师队伍。")],
                             {d: {"id": d, "source": {"file": f"{d}.txt"}} for d in ("e0", "e1")})
    tok, exp = _tokenizer(), _expander(corpus)
    req = requirement_terms("strengthen professional ethics, beyond simply calling for teachers of high moral character",
                            "en", corpus, tok, exp)
    assert any("师德" in g.alternatives for g in req.groups)
    assert not any("情操" in a for g in req.groups for a in g.alternatives)
    assert any("beyond" in w for w in req.ignored)  # said, not silently dropped
    req = requirement_terms("开展师德考核（不包括高尚情操）", "zh", corpus, tok)
    assert not any("情操" in a for g in req.groups for a in g.alternatives)
    assert any("不包括" in w for w in req.ignored)


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


def test_or_after_a_comma_starts_a_clause_of_its_own_and_it_stands_for_the_thing_before():
    texts = ["把艺术活动纳入课后服务。", "对参与课后服务的教师给予补助。", "成立艺术教育委员会。", "依托艺术教育委员会推进美育工作。",
             "依托高校推进美育工作。"]
    passages = [Passage(f"urn:doc{i}/clause/1", f"doc{i}", t) for i, t in enumerate(texts)]
    corpus = AskCorpus.build(passages, {f"doc{i}": {"id": f"doc{i}", "source": {"file": f"doc{i}.txt"}}
                                        for i in range(len(texts))})
    # ，或 joins two clauses, even when the second opens with a preposition (对): never two nouns
    req = requirement_terms("把艺术活动纳入课后服务，或对参与课后服务的教师给予补助", "zh", corpus, _tokenizer())
    assert len(req.branches) == 2
    assert not any({"课后服务", "参与"} <= set(g.alternatives) for g in req.groups)
    assert any("补助" in g.alternatives for g in req.branches[1])
    assert not any("补助" in g.alternatives for g in req.branches[0])
    # 它 in the second clause is the first clause's object: the committee must be stated there too
    req = requirement_terms("成立艺术教育委员会，或依托它推进美育工作", "zh", corpus, _tokenizer())
    assert len(req.branches) == 2
    assert any(any("委员会" in a for a in g.alternatives) for g in req.branches[1])
    assert {corpus.units[k].doc_id for k in _answers(req, corpus)} == {"doc2", "doc3"}  # not doc4: no committee


def test_an_english_number_word_is_a_whole_word():
    # "often teachers" holds "ten teachers", "someone" holds "one": neither is a number
    assert quantities("Which regions say how often teachers must take part in training?") == []
    assert quantities("where someone teaches art") == []
    assert [(q.value, q.unit) for q in quantities("at least ten teachers")] == [(10.0, "名")]


def test_an_english_example_is_not_a_requirement():
    from api.ask.terms import _en_chunks

    words = " ".join(c for c, _ in _en_chunks("teachers take part in training, for example festivals, or in particular"))
    assert "example" not in words and "festivals" not in words and "training" in words


def test_a_dictionary_guess_is_light_until_the_closest_clauses_use_it():
    from api.ask.terms import adapt

    texts = ["委托第三方机构研究编制并发布学校美育发展年度报告。", "机构编制部门要核定教师编制。",
             "各地编制美育工作规划。"]
    corpus = AskCorpus.build([Passage(f"urn:t{i}/clause/1", f"t{i}", t) for i, t in enumerate(texts)],
                             {f"t{i}": {"id": f"t{i}", "source": {"file": f"t{i}.txt"}} for i in range(len(texts))})
    tok, exp = _tokenizer(), _expander(corpus)
    req = requirement_terms("compile an annual report", "en", corpus, tok, exp)
    compile_ = next(g for g in req.groups if g.asked.startswith("compile"))
    assert compile_.guess and "编制" in compile_.alternatives
    assert not any("编办" in a or "机构编制" in a for a in compile_.alternatives)  # a verb, not a department
    assert any("年度报告" in g.alternatives and not g.guess for g in req.groups)  # the glossary's phrase
    # one close clause writing the guess is chance; two are the corpus's usage
    once = next(g for g in adapt(req, texts[:1] + ["无关的条款。"] * 3, tok, corpus).groups if g.asked == compile_.asked)
    twice = next(g for g in adapt(req, [texts[0], texts[2]], tok, corpus).groups if g.asked == compile_.asked)
    assert once.tail and once.weight < compile_.weight
    assert not twice.tail and twice.weight == compile_.weight


def test_a_glossary_phrase_the_closest_clauses_write_keeps_its_renderings():
    from api.ask.terms import Group, Requirement, adapt

    closest = ["发挥少先队在学校美育中的作用。", "少年宫开展艺术活动。", "少年宫面向学生开放。", "少年宫组织艺术实践。"]
    texts = closest + [f"第{i}条 加强学校体育工作。" for i in range(200)]
    corpus = AskCorpus.build([Passage(f"urn:y{i}/clause/1", f"y{i}", t) for i, t in enumerate(texts)],
                             {f"y{i}": {"id": f"y{i}", "source": {"file": f"y{i}.txt"}} for i in range(len(texts))})
    asked = Requirement([Group("young pioneers", ("少先队",), 5.0)], [])
    (group,) = adapt(asked, closest, _tokenizer(), corpus).groups
    assert group.alternatives == ("少先队",)  # not 少年宫, a word of the same length and first character
    guessed = Requirement([Group("pioneering", ("少先队",), 5.0)], [])  # no glossary phrase: the corpus's word joins
    (group,) = adapt(guessed, closest, _tokenizer(), corpus).groups
    assert "少年宫" in group.alternatives


def test_genre_terms_an_english_question_names_have_their_chinese_names():
    from embeddings.expand import _norm_phrase, glossary

    known = glossary()
    assert "科技节" in known[_norm_phrase("science festival")]
    assert "国培计划" in known[_norm_phrase("national teacher training scheme")]
    assert "现代学徒制" in known[_norm_phrase("modern apprenticeship")]


def test_a_frequency_word_inside_a_glossary_name_is_not_a_frequency_asked():
    from api.ask.terms import in_glossary_phrase

    q = "Which regions commission a third party to publish an annual report?"
    i = q.index("annual")
    assert in_glossary_phrase(q, i, i + len("annual"))
    q = "Which regions hold an arts festival every year?"
    i = q.index("every year")
    assert not in_glossary_phrase(q, i, i + len("every year"))  # the frequency is the whole phrase


def test_verbs_joined_by_or_share_the_object_after_them():
    from api.ask.terms import verb_phrases

    tok = _tokenizer()
    assert verb_phrases("设立或依托学校美育研究中心", tok) == ["设立学校美育研究中心", "依托学校美育研究中心"]
    assert verb_phrases("配齐专职美育教师或解决美育教师短缺", tok) == ["配齐专职美育教师", "解决美育教师短缺"]
    assert verb_phrases("文化部门支持或组织戏曲进校园", tok) == ["文化部门支持戏曲进校园", "组织戏曲进校园"]
    # 把 X 列为 A、B或C: 或 joins what the one verb makes of X, not two verb phrases
    assert verb_phrases("把妇联列为学校美育工作的责任单位、配合部门或参与力量", tok) == \
        ["把妇联列为学校美育工作的责任单位、配合部门或参与力量"]


def test_the_education_department_as_subject_is_not_a_department_a_unit_must_name():
    texts = ["各地要配齐专职音乐、美术教研员。", "教育部门要配齐专职教研员。", "文化部门要支持高雅艺术进校园活动。"]
    corpus = AskCorpus.build([Passage(f"urn:a{i}/clause/1", f"a{i}", t) for i, t in enumerate(texts)],
                             {f"a{i}": {"id": f"a{i}", "source": {"file": f"a{i}.txt"}} for i in range(len(texts))})
    req = requirement_terms("education authorities full-time teaching researchers", "en", corpus, _tokenizer(),
                            _expander(corpus))
    actor = next(g for g in req.groups if "教育部门" in g.alternatives)
    assert actor.tail and not actor.body
    culture = requirement_terms("文化部门 高雅艺术进校园", "zh", corpus, _tokenizer())
    assert any(g.body for g in culture.groups)  # another department stays one the unit must name


def test_class_hours_are_stated_as_either_unit_plans_write():
    (asked,) = quantities("at least 72 class hours of art courses")
    assert any(x.satisfies(asked) for x in quantities("公共艺术课程不少于72学时"))
    assert not any(x.satisfies(asked) for x in quantities("公共艺术课程不少于36学时"))


def test_quantifiers_and_participation_are_english_framing():
    from api.ask.terms import strip_scaffold

    core, removed = strip_scaffold("give the Youth League a role in aesthetic education", "en")
    assert "role" not in core.split() and removed
    core, _ = strip_scaffold("require every school to hold a campus arts festival", "en")
    assert "school" not in core.split() and "festival" in core.split()


def test_a_range_of_english_numbers_and_a_verb_with_its_into_are_read_whole():
    from api.ask.terms import _en_chunks, strip_scaffold

    # "one or two" is a range: the words around it are one requirement, not two alternatives
    assert len(_en_chunks("one or two heritage projects in school courses")) == 1
    assert len(_en_chunks("music or art teachers")) == 2
    # "built into" is a glossary phrase (纳入): the generic verb "built" is not taken out of it
    core, _ = strip_scaffold("heritage projects built into school courses", "en")
    assert "built into" in core
    core, _ = strip_scaffold("art rooms to be built in every school", "en")
    assert "built" not in core


def test_a_parenthesis_inside_a_compound_gives_both_compounds():
    texts = ["发挥乡村学校少年宫在美育中的作用。", "建好农村学校少年宫。", "乡村学校要开齐开足美育课程。"]
    corpus = AskCorpus.build([Passage(f"urn:p{i}/clause/1", f"p{i}", t) for i, t in enumerate(texts)],
                             {f"p{i}": {"id": f"p{i}", "source": {"file": f"p{i}.txt"}} for i in range(len(texts))})
    req = requirement_terms("发挥乡村（农村）学校少年宫作用", "zh", corpus, _tokenizer())
    assert any(set(g.alternatives) >= {"乡村学校", "农村学校"} for g in req.groups), req.groups


def test_a_cycle_of_years_is_a_frequency():
    from api.ask.numbers import frequencies

    (cycle,) = frequencies("以5年为一个周期开展督导")
    (asked,) = [f for f in frequencies("以五年为周期的教育督导") if f.every == 5]
    assert cycle.satisfies(asked) and not any(f.satisfies(asked) for f in frequencies("每年开展一次督导"))


def test_a_single_noun_after_or_is_a_list_item_not_a_verb_phrase():
    from api.ask.terms import verb_phrases

    assert verb_phrases("开展课堂器乐教学或活动", _tokenizer()) == ["开展课堂器乐教学或活动"]


def test_a_year_something_starts_from_is_not_a_deadline():
    from api.ask.numbers import start_years, years

    q = "Which regions, starting in 2016, bring aesthetic education into the evaluation?"
    assert [y for y, _, _ in start_years(q)] == [2016]
    assert [y for y, _, _ in start_years("2016年起，将美育纳入本科教学工作审核评估")] == [2016]
    assert not years("2016年起，将美育纳入本科教学工作审核评估", stated=True)
    assert not start_years("from 2016 to 2020 the plan runs") and not start_years("到2020年配齐")


def _small_corpus(texts: list[str]) -> AskCorpus:
    return AskCorpus.build([Passage(f"urn:p{i}/clause/1", f"p{i}", t) for i, t in enumerate(texts)],
                           {f"p{i}": {"id": f"p{i}", "source": {"file": f"p{i}.txt"}} for i in range(len(texts))})


def test_a_parenthesis_glosses_the_word_that_touches_it_not_the_heaviest_of_the_phrase():
    corpus = _small_corpus(["依托条件较好的学校建立学科教研基地。", "建立美育教研基地。", "依托高校开展研究。",
                            "纳入学业水平测试。", "纳入学业水平考试。"])
    req = requirement_terms("依托条件较好的学校建立美育（或学科）教研基地", "zh", corpus, _tokenizer())
    assert any(set(g.alternatives) == {"美育", "学科"} for g in req.groups), req.groups
    assert not any("学科" in g.alternatives and "依托" in g.alternatives for g in req.groups)
    req = requirement_terms("纳入学业水平考试（测试）", "zh", corpus, _tokenizer())
    assert any({"考试", "测试"} <= set(g.alternatives) for g in req.groups), req.groups


def test_a_long_parenthesis_names_the_whole_compound_before_it():
    corpus = _small_corpus(["实施特岗计划补充教师。", "实施农村义务教育学校教师特设岗位计划。", "制定工作计划。"])
    req = requirement_terms("通过特岗计划（农村义务教育学校教师特设岗位计划）补充教师", "zh", corpus, _tokenizer())
    group = next(g for g in req.groups if "特岗计划" in g.alternatives)
    assert "农村义务教育学校教师特设岗位计划" in group.alternatives
    assert not any(g.alternatives == ("计划",) for g in req.groups)  # 计划 alone is not asked


def test_a_quoted_name_is_one_word_and_its_parenthesis_explains_it():
    corpus = _small_corpus(["努力打造“三队两组”的校级艺术团队。", "组建合唱队和舞蹈队。", "成立三个小组。"])
    req = requirement_terms("打造“三队两组”（合唱队、舞蹈队）校级艺术团队", "zh", corpus, _tokenizer())
    assert any(g.alternatives == ("三队两组",) for g in req.groups), req.groups
    assert not any("合唱队" in g.alternatives for g in req.groups)


def test_a_concept_named_twice_is_asked_once():
    corpus = _small_corpus(["建立学区备课制度。", "坚持集体备课制度。", "组织学科教研活动。"])
    req = requirement_terms("建立集体备课（或学区备课）制度、组织学科集体备课活动", "zh", corpus, _tokenizer())
    assert sum("集体备课" in g.alternatives for g in req.groups) == 1, req.groups


def test_a_clause_of_examples_and_an_explaining_parenthesis_are_not_requirements():
    corpus = _small_corpus(["创作校歌，传唱校歌。", "设立美育专项课题。", "在教育科学规划项目中单列课题。"])
    req = requirement_terms("在校歌方面提出了要求，比如创作校歌、传唱校歌或加强校歌宣传教育", "zh", corpus, _tokenizer())
    assert [g.alternatives for g in req.groups if not g.tail] == [("校歌",)], req.groups
    req = requirement_terms("设立美育专项课题（在教育科学规划项目中单列美育课题）", "zh", corpus, _tokenizer())
    assert not any("项目" in g.alternatives for g in req.groups), req.groups


def test_a_side_that_lent_its_object_is_not_an_alternative():
    corpus = _small_corpus(["不得挤占美育课时。", "不得削减美育课时。", "保证美育课时。"])
    req = requirement_terms("不得挤占、削减或停上美育课时", "zh", corpus, _tokenizer())
    for branch in req.alternatives():  # no branch asks 美育课时 alone
        assert any({"挤占", "削减"} & set(g.alternatives) for g in branch), branch


def test_a_scope_word_is_light_and_lessons_are_counted_in_either_unit():
    corpus = _small_corpus(["全市每年举办一次合唱比赛。", "省级每两年举办合唱比赛。"])
    req = requirement_terms("全市（全省）合唱比赛", "zh", corpus, _tokenizer())
    assert all(g.tail for g in req.groups if "全市" in g.alternatives)
    (asked,) = quantities("每周增设一节舞蹈课")
    assert any(x.satisfies(asked) for x in quantities("有条件的要增设每周一课时的舞蹈课"))


def test_html_entities_left_in_a_text_export_are_decoded_with_paired_quotes():
    from ingest.readers import unescape_entities

    assert unescape_entities("打造“三队两组&quot;（三队即）") == "打造“三队两组”（三队即）"
    assert unescape_entities("开展&quot;一师一优课&quot;活动") == "开展“一师一优课”活动"
    assert unescape_entities("R&D 5 & 6 &amp; 7") == "R&D 5 & 6 & 7"


def test_a_list_of_phrases_the_corpus_writes_gives_the_phrases_as_alternatives():
    corpus = _small_corpus(["定期开展优质课评比。", "组织美育教师赛课。", "开展课堂教学评选活动。", "举办优质课展示活动。",
                            "开展合唱、舞蹈、器乐比赛。", "组织高雅艺术进校园。", "推动戏曲进校园。",
                            "弘扬优秀传统文化艺术。"])
    req = requirement_terms("开展优质课评比、赛课、课堂教学评选或优质课展示等活动", "zh", corpus, _tokenizer())
    assert any({"优质课评比", "赛课", "课堂教学评选", "优质课展示"} <= set(g.alternatives) for g in req.groups), req.groups
    req = requirement_terms("开展合唱、舞蹈、器乐比赛", "zh", corpus, _tokenizer())
    assert any(g.alternatives[:3] == ("合唱", "舞蹈", "器乐") for g in req.groups), req.groups  # words stay words
    req = requirement_terms("组织高雅艺术、优秀传统文化艺术、戏曲进校园", "zh", corpus, _tokenizer())
    group = next(g for g in req.groups if "优秀传统文化艺术" in g.alternatives)
    assert "高雅艺术" in group.alternatives and "组织高雅艺术" not in group.alternatives


def test_a_prohibition_is_stated_with_any_of_its_verbs():
    from api.ask.terms import synonym_sets

    assert {"严禁", "杜绝", "禁止"} <= set(synonym_sets()["不得"])


def test_names_quoted_one_after_another_are_alternatives():
    corpus = _small_corpus(["开展“送教下乡”活动。", "以“送课下乡”等形式促进农村学校美育。", "开展“送培下乡”。"])
    req = requirement_terms("以“送教下乡”“送课下乡”、“送培下乡”等方式支持农村学校", "zh", corpus, _tokenizer())
    assert any({"送教下乡", "送课下乡", "送培下乡"} <= set(g.alternatives) for g in req.groups), req.groups


def test_an_english_glossary_phrase_with_and_inside_is_one_concept():
    corpus = _small_corpus(["中小学校要明确分管美育的校级负责人。", "小学开设书法课。", "中学加强体育。"])
    req = requirement_terms("primary and secondary schools to name a leader for aesthetic education", "en",
                            corpus, _tokenizer(), _expander(corpus))
    school = next(g for g in req.groups if "中小学校" in g.alternatives)
    assert "小学" not in school.alternatives  # not "primary" or "secondary schools"
    req = requirement_terms("music or art teachers", "en", corpus, _tokenizer(), _expander(corpus))
    assert len(req.groups) <= 2  # an "or" outside a glossary phrase still joins alternatives


def test_a_person_is_not_found_by_the_verb_it_starts_with():
    from api.ask.terms import credit

    assert credit("负责人", "实行校长负责制") == 0.0
    assert credit("资源库", "开发地方美育课程资源") == 0.0  # a repository is not any resource
    assert credit("中小学生", "面向全体中小学") > 0  # the head of a compound may vary


def test_indicator_alone_asks_no_number_unless_a_target_is_set():
    from api.ask.terms import strip_words

    _, asks = strip_words("把美育课程开课率作为学校评价考核的重要指标", "zh", "asks_number")
    assert asks == []
    rest, asks = strip_words("哪些地区设定了教师培训指标", "zh", "asks_number")
    assert asks == ["指标"] and "教师培训" in rest and "指标" not in rest
    _, asks = strip_words("名师工作室数量指标", "zh", "asks_number")
    assert asks == ["数量指标"]


def test_abbreviations_of_the_genre_stay_words():
    from embeddings.bm25 import Tokenizer

    assert {"非遗", "传承人"} <= set(Tokenizer([]).tokens("邀请非遗传承人进校园"))
    corpus = _small_corpus(["聘请非物质文化遗产传承人担任兼职教师。", "开展遗传学讲座。"])
    req = requirement_terms("非遗传承人进校园", "zh", corpus, _tokenizer())
    assert any("非物质文化遗产" in g.alternatives for g in req.groups), req.groups


def test_a_framing_verb_after_or_begins_the_other_side_of_the_requirement():
    corpus = _small_corpus(["配齐配强各级教育行政部门艺术专干。", "各级教育部门要明确专门人员负责美育工作。", "加强美育工作。"])
    req = requirement_terms("教育部门配备艺术专干或明确专人负责美育", "zh", corpus, _tokenizer())
    assert len(req.branches) == 2, req.groups  # 明确 (tagged an adverb) opens a verb phrase
    assert any("专门人员" in g.alternatives for b in req.branches for g in b)
    from api.ask.terms import strip_scaffold

    assert strip_scaffold("要求配备专干或明确专人", "zh")[0].count("明确") == 1
    assert "明确" not in strip_scaffold("明确了美育教师配备标准", "zh")[0]


def test_a_programme_code_is_asked_as_written_in_either_plus():
    corpus = _small_corpus(["深入推进“体育艺术2＋1项目”。", "每所学校建设1个艺术项目。", "推进体育艺术教育。"])
    for q, lang in (("体育艺术2+1项目", "zh"), ("the 'Sports and Arts 2+1' project", "en")):
        req = requirement_terms(q, lang, corpus, _tokenizer(), _expander(corpus) if lang == "en" else None)
        assert any(g.alternatives == ("2＋1",) for g in req.groups), (lang, req.groups)
    assert quantities("推进体育艺术2+1项目") == []  # a programme's name, not one project


def test_an_annual_report_is_made_every_year_but_a_given_year_is_not():
    (f,) = frequencies("同时发布全省学校艺术教育发展年度报告", stated=True)
    (every_year,) = frequencies("每年发布报告")
    assert f.satisfies(every_year) and f.of == "报告"
    assert frequencies("发布年度报告") == []  # a question's word: only a plan's sentence is read so
    for text in ("2019年度工作总结", "本年度考核", "纳入年度工作计划"):
        assert frequencies(text, stated=True) == [], text


def test_a_glossary_phrase_does_not_reach_over_a_preposition_and_another_word():
    corpus = _small_corpus(["对教育质量提升显著的学校和教师给予奖励。", "加强教师教育。"])
    req = requirement_terms("reward teachers for improving education quality", "en", corpus, _tokenizer(),
                            _expander(corpus))
    assert not any("教师教育" in g.alternatives for g in req.groups), req.groups
    assert any("教育质量" in g.alternatives for g in req.groups), req.groups


def test_two_compounds_with_one_head_joined_by_or_are_two_whole_alternatives():
    from api.ask.terms import verb_phrases

    assert verb_phrases("推行校长职级制或校长聘任制", _tokenizer()) == ["推行校长职级制", "推行校长聘任制"]
    assert verb_phrases("开展美育教学或活动", _tokenizer()) == ["开展美育教学或活动"]


def test_a_year_something_began_in_is_a_start_and_goals_are_framing():
    from api.ask.numbers import start_years
    from api.ask.terms import strip_scaffold

    q = "Which regions began a full drive to strengthen arts education in 2016?"
    ((year, start, end),) = start_years(q)
    assert year == 2016 and q[start:end] == "in 2016"  # the verb and its object stay the requirement
    assert start_years("Which regions hold a festival in 2016?") == []  # no verb of starting
    core, _ = strip_scaffold("documents set goals for school aesthetic education to reach by 2035", "en")
    assert "goals" not in core.split()


def test_a_glossary_phrase_that_ends_in_a_scaffold_word_is_kept_whole():
    from api.ask.terms import strip_scaffold

    core, removed = strip_scaffold("Which regions use the rural teacher support plan to train art teachers?", "en")
    assert "rural teacher support plan" in core and "plan" not in removed
    core, removed = strip_scaffold("Which plans require schools to hold art festivals?", "en")
    assert "plans" not in core.split() and "which plans" in removed


def test_an_adverb_of_manner_is_a_light_word():
    texts = ["合理计算美育教师工作量。", "科学合理地计算教师工作量。", "教师工作量核定。"]
    corpus = AskCorpus.build([Passage(f"urn:w{i}/clause/1", f"w{i}", t) for i, t in enumerate(texts)],
                             {f"w{i}": {"id": f"w{i}", "source": {"file": f"w{i}.txt"}} for i in range(len(texts))})
    req = requirement_terms("科学合理地计算教师工作量", "zh", corpus, _tokenizer())
    (manner,) = [g for g in req.groups if "科学合理" in g.alternatives]
    assert manner.tail  # how it is done: plans write 合理计算, 科学计算 or nothing
    assert not any(g.tail for g in req.groups if "工作量" in g.alternatives)


def test_a_five_year_plan_period_is_a_name_not_a_number():
    texts = ["“十三五”期间，各地要加强学校美育设施建设。", "每五年举办一次展演。", "“十二五”期间完成校舍改造。"]
    corpus = AskCorpus.build([Passage(f"urn:p{i}/clause/1", f"p{i}", t) for i, t in enumerate(texts)],
                             {f"p{i}": {"id": f"p{i}", "source": {"file": f"p{i}.txt"}} for i in range(len(texts))})
    req = requirement_terms("“十三五”期间的学校美育建设任务", "zh", corpus, _tokenizer())
    assert any(g.alternatives == ("十三五",) and not g.tail for g in req.groups)
    assert not any("十二五" in g.alternatives for g in req.groups)
    # a count is still a number, not a word to find
    assert not any("三五" in a or "十三" == a for g in requirement_terms("三五个学校", "zh", corpus, _tokenizer()).groups
                   for a in g.alternatives)


def test_a_list_ending_in_or_is_one_list_and_a_kind_of_education_is_no_verb():
    texts = ["建立健全美育教研室。", "学校成立美育教研组。", "高校健全美育研究所。", "推进美育工作。", "配齐美育教师。",
             "初步形成大中小幼美育相互衔接的体系。", "形成各学段美育相互衔接的体系。"]
    corpus = AskCorpus.build([Passage(f"urn:p{i}/clause/1", f"p{i}", t) for i, t in enumerate(texts)],
                             {f"p{i}": {"id": f"p{i}", "source": {"file": f"p{i}.txt"}} for i in range(len(texts))})
    req = requirement_terms("设立美育教研室、美育教研组或美育研究所", "zh", corpus, _tokenizer())
    assert not req.branches  # 或 ends the list: no verb phrase after it
    assert not any("美育" in g.alternatives and len(g.alternatives) > 1 for g in req.groups), req.groups
    assert {corpus.units[k].doc_id for k in _answers(req, corpus)} == {"p0", "p1", "p2"}
    # a parenthesis after a word cut short (大中小幼 → 大中小) gives no compound of that short word
    req = requirement_terms("形成大中小幼（各学段）美育相互衔接的体系", "zh", corpus, _tokenizer())
    assert {corpus.units[k].doc_id for k in _answers(req, corpus)} == {"p5", "p6"}


def test_an_english_focusing_adverb_is_not_a_requirement():
    corpus = AskCorpus.build([Passage("urn:e0/clause/1", "e0", "选用国家审定的教材，按照课程标准编写教材，单一的课程不足。")],
                             {"e0": {"id": "e0", "source": {"file": "e0.txt"}}})
    req = requirement_terms("textbooks written to curriculum standards, or only approved textbooks", "en", corpus,
                            _tokenizer(), _expander(corpus))
    assert not any("only" in g.asked.split() or "单一" in g.alternatives for g in req.groups), req.groups


def test_a_clause_after_comma_or_is_whole_even_when_the_first_ends_in_a_verbal_noun():
    texts = ["加强教师师德师风建设。", "提升教师师德水平。", "加强校舍建设。"]
    corpus = AskCorpus.build([Passage(f"urn:p{i}/clause/1", f"p{i}", t) for i, t in enumerate(texts)],
                             {f"p{i}": {"id": f"p{i}", "source": {"file": f"p{i}.txt"}} for i in range(len(texts))})
    req = requirement_terms("加强教师师德师风建设，或提升教师师德水平", "zh", corpus, _tokenizer())
    assert len(req.branches) == 2
    assert not any("水平" in g.alternatives for g in req.branches[0])  # 建设 lends no object
    assert {corpus.units[k].doc_id for k in _answers(req, corpus)} == {"p0", "p1"}
