"""What changed in an adapted pair: targets compared aspect by aspect, and the character diff."""

from __future__ import annotations

import pytest


def _t(**kw):
    base = {"value": None, "value_max": None, "comparator": "=", "unit": "次", "object": "艺术展演活动",
            "deadline": None, "frequency": None}
    return base | kw


@pytest.mark.parametrize(("local", "source", "verdict"), [
    (_t(value=3, comparator=">="), _t(value=2, comparator=">="), "stronger"),  # at least more
    (_t(value=1, comparator=">="), _t(value=2, comparator=">="), "weaker"),
    (_t(value=40, comparator="<=", unit="人"), _t(value=45, comparator="<=", unit="人"), "stronger"),  # at most fewer
    (_t(value=2, deadline=2018), _t(value=2, deadline=2020), "stronger"),  # due earlier
    (_t(value=2, deadline=2021), _t(value=2, deadline=2020), "weaker"),
    (_t(value=1, frequency="每学期"), _t(value=1, frequency="每年"), "stronger"),  # more often
    (_t(value=1, frequency="每三年"), _t(value=1, frequency="每两年"), "weaker"),
    (_t(value=2, object="农村学校艺术展演活动"), _t(value=2), "weaker"),  # narrower scope
    (_t(value=2), _t(value=2), "same"),
    (_t(value=3, deadline=2021), _t(value=2, deadline=2020), "mixed"),
])
def test_compare_target(local, source, verdict):
    from api.lineage.changes import compare_target

    assert compare_target(local, source).verdict == verdict


def test_per_year():
    from api.lineage.changes import per_year

    assert per_year("每学期") == 2 and per_year("每年") == 1 and per_year("每两年") == 0.5
    assert per_year("每3年") == pytest.approx(1 / 3) and per_year("不定期") is None


def test_compare_targets_pairs_by_unit_and_object():
    from api.lineage.changes import compare_targets

    local = [_t(value=3, unit="%", object="美育课时占比"), _t(value=10, unit="所", object="美育特色学校")]
    source = [_t(value=5, unit="所", object="美育特色学校"), _t(value=1, unit="次", object="师资培训")]
    out = compare_targets(local, source)
    verdicts = [(c.verdict, (c.local or {}).get("unit"), (c.source or {}).get("unit")) for c in out]
    assert ("new", "%", None) in verdicts
    assert ("stronger", "所", "所") in verdicts
    assert ("weaker", None, "次") in verdicts  # a target no longer carried
    assert out[-1].aspects[0].name == "dropped"
    d = out[1].to_dict()
    assert d["aspects"][0]["name"] == "value" and d["aspects"][0]["source"] == 5


def test_char_diff_rebuilds_both_texts_and_groups_changes():
    from api.lineage.changes import change_summary, char_diff

    source, local = "到2020年，全省建成50所美育示范学校。", "到2018年，全市建成80所美育示范学校，并逐年增加。"
    ops = char_diff(source, local)
    assert "".join(o.source for o in ops) == source and "".join(o.local for o in ops) == local
    for o in ops:
        assert source[o.source_start:o.source_end] == o.source and local[o.local_start:o.local_end] == o.local
    summary = change_summary(ops)
    assert "2020→2018" in summary.replace("年", "") or "20→18" in summary
    assert "省" in summary and "市" in summary
    assert change_summary(char_diff(source, source)) == ""


def test_milestones_compared_from_the_text():
    """Milestone years (到2018年, 2020年底前) are compared even without an extracted target; a
    start year (从2016年起) is not a milestone."""
    from api.lineage.changes import compare_milestones, milestones, pair_verdict

    assert milestones("从2016年起，到2018年取得突破，2020年底前基本完成") == [2018, 2020]
    assert compare_milestones("到2020年完成", "到2018年完成").verdict == "stronger"
    assert compare_milestones("到2018年完成", "到2019年完成").verdict == "weaker"
    assert compare_milestones("从2015年起，到2020年完成", "从2016年起，到2020年完成").verdict == "same"
    assert compare_milestones("逐步完成", "2020年前完成").verdict == "new"
    assert compare_milestones("2020年前完成", "逐步完成").verdict == "weaker"
    assert compare_milestones("逐步完成", "尽快完成") is None
    assert pair_verdict([], None) is None
    assert pair_verdict([], compare_milestones("到2020年", "到2018年")) == "stronger"
