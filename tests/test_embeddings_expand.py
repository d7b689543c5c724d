"""English → Chinese query expansion: CC-CEDICT first, then curated terms, corpus-aware."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from embeddings.expand import QueryExpander, glossary, is_english, stem_bag, word_forms


@dataclass
class Concept:
    label_zh: str
    label_en: str
    alt_zh: list[str] = field(default_factory=list)
    alt_en: list[str] = field(default_factory=list)


def test_language_detection():
    assert is_english("per-pupil funding for rural schools")
    assert not is_english("校长听课 every term 每学期")
    assert not is_english("听评课")


def test_dictionary_alone_translates_phrases_and_words():
    expander = QueryExpander(use_glossary=False)
    result = expander.expand("compulsory education")  # a whole CC-CEDICT gloss
    assert result.terms == ["义务教育"] and result.sources["义务教育"] == "cedict"
    result = expander.expand("the myopia of the students")
    assert "近视" in result.terms
    assert not {"the", "of"} & set(result.unmatched)  # stopwords are skipped, not "unmatched"


def test_corpus_decides_between_dictionary_senses():
    # "term" is 学期 (school term), 术语 (word), 条件 (condition) … in CC-CEDICT; the corpus
    # of school plans uses 学期, so that is the rendering kept
    words = {"学期": 40, "任期": 2}
    expander = QueryExpander(use_glossary=False, in_corpus=lambda t: t in words,
                             frequency=lambda t: words.get(t, 0))
    assert expander.expand("term").terms == ["学期"]  # 任期 is too rare to join it
    assert expander.expand("quokka").terms == []  # nothing the corpus uses: no noise terms


def test_word_forms_reach_the_dictionary_entry():
    assert "class" in word_forms("classes") and "fund" in word_forms("funding")
    assert "program" in word_forms("programme")
    expander = QueryExpander(use_glossary=False)
    assert expander.expand("classes").terms  # via "class"
    assert expander.expand("programmes").unmatched == []


def test_topic_labels_match_in_any_word_order_and_pick_aligned_alt_labels():
    concept = Concept("课程与课堂教学", "Curriculum and classroom teaching",
                      alt_zh=["作业", "作业设计", "公开课", "听评课"],
                      alt_en=["lesson observation", "homework"])
    expander = QueryExpander([concept], use_glossary=False)
    result = expander.expand("observe lessons")
    assert result.terms[0] == "课程与课堂教学"
    # three altLabels at most: 听评课 (last in scheme order) makes it because it shares the
    # dictionary rendering of "lesson" (课), and 作业设计 does not
    assert len(result.terms) == 4 and "听评课" in result.terms and "作业设计" not in result.terms
    assert stem_bag(["observe", "lessons"]) == stem_bag(["lesson", "observation"])


def test_glossary_is_general_and_can_be_switched_off():
    terms = glossary()
    assert len(terms) >= 200
    assert terms["compulsory education"] == ("义务教育",)
    on = QueryExpander().expand("class teacher")
    assert on.terms[0] == "班主任" and on.sources["班主任"] == "glossary"
    off = QueryExpander(use_glossary=False).expand("class teacher")
    assert "班主任" not in off.terms or off.sources["班主任"] != "glossary"


def test_chinese_typed_inside_an_english_query_is_kept():
    result = QueryExpander(use_glossary=False).expand("schools running 集团化办学 pilots")
    assert "集团化办学" in result.terms and result.sources["集团化办学"] == "query"


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="max_cedict_terms"):
        QueryExpander(max_cedict_terms=0)


def test_phrases_sharing_their_stems_match_only_as_written():
    """"boarding school" and "school board" reduce to the same stems; their renderings have
    nothing in common, so a reordered variant must not pick either one by accident."""
    expander = QueryExpander([])
    assert expander.expand("boarding schools").terms[0] == "寄宿制学校"
    assert expander.expand("school board").terms[0] != "寄宿制学校"
    assert "寄宿制学校" not in expander.expand("schools boarding").terms
    assert "家长委员会" not in expander.expand("schools boarding").terms
    # a reordered phrase whose variants agree still matches in any order
    assert set(expander.expand("student teacher ratio").terms) & {"生师比", "师生比"}


def test_the_reversed_dictionary_is_built_once_per_installation(tmp_path, monkeypatch):
    from embeddings import expand

    monkeypatch.setattr(expand, "CACHE_DIR", tmp_path)
    expand.cedict_index.cache_clear()
    try:
        built = expand.cedict_index()
        assert list(tmp_path.glob("cedict-index-*.pickle"))
        expand.cedict_index.cache_clear()

        def refuse():
            raise AssertionError("the dictionary was reversed again")

        monkeypatch.setattr(expand, "_build_cedict_index", refuse)
        assert expand.cedict_index() == built  # read, not built
        for path in tmp_path.glob("cedict-index-*.pickle"):
            path.write_bytes(b"damaged")
        expand.cedict_index.cache_clear()
        monkeypatch.undo()
        monkeypatch.setattr(expand, "CACHE_DIR", tmp_path)
        assert expand.cedict_index() == built  # a damaged file is built again
    finally:
        expand.cedict_index.cache_clear()


def test_a_possessive_is_its_noun():
    # teachers' skills are the teachers' (教师), not Teachers' Day (教师节); a school's plan is the school's
    expander = QueryExpander()
    assert "教师节" not in expander.expand("teachers' digital skills").terms
    assert "教师" in expander.expand("teachers' digital skills").terms
    assert expander.expand("a school's plan").terms == expander.expand("a school plan").terms


def test_a_direction_keeps_a_programme_apart_from_its_words_reordered():
    # "art into schools" (艺术进校园) is a programme; "school arts" is arts in schools
    assert stem_bag(["art", "into", "schools"]) != stem_bag(["school", "arts"])
    assert "艺术进校园" not in QueryExpander().expand("school arts targets").terms
    assert "艺术进校园" in QueryExpander().expand("art into schools").terms
    assert stem_bag(["training", "of", "teachers"]) == stem_bag(["teacher", "training"])


def test_the_genres_word_stands_in_only_where_the_dictionary_has_none_the_plans_write():
    from embeddings.expand import genre_words

    assert genre_words()["lend"] and all(" " not in k for k in genre_words())
    words = {"借用": 3, "开放": 9, "借": 5, "学校": 50}
    expander = QueryExpander(in_corpus=lambda t: t in words, frequency=lambda t: words.get(t, 0))
    # CC-CEDICT renders "lend" by one character (借, mostly another sense): the genre's words join it
    got = expander.expand("lend")
    assert {"借用", "开放"} & set(got.terms) and got.sources[next(t for t in got.terms if t != "借")] == "genre"
    # a word the dictionary renders with a word the plans write keeps the dictionary's alone
    assert expander.expand("school").terms == ["学校"]
    # without the glossaries (to measure them) the genre's words are off too
    assert "借用" not in QueryExpander(use_glossary=False, in_corpus=lambda t: t in words).expand("lend").terms


def test_a_phrasal_verb_is_rendered_whole():
    got = QueryExpander(in_corpus=lambda t: t in {"制定", "绘画", "时间表"}).expand("draw up a timetable")
    assert "制定" in got.terms and "绘画" not in got.terms  # draw up is not draw
