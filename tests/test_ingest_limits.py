"""Per-file parsing limits: a file that takes longer than its budget fails with the reason;
the budget comes from the call or POLICYKG_PARSE_TIMEOUT."""

from __future__ import annotations

import pytest

from ingest import IngestError, load_document


@pytest.fixture()
def long_file(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("".join(f"{n % 40 + 1}.第{n}项要求。\n" for n in range(20000)), "utf-8")
    return path


def test_time_limit_refuses_with_reason(long_file):
    with pytest.raises(IngestError) as err:
        load_document(long_file, time_limit=1e-6)
    assert err.value.file == str(long_file)
    assert "per-file limit" in err.value.reason and "POLICYKG_PARSE_TIMEOUT" in err.value.reason


def test_limit_from_environment(long_file, monkeypatch):
    monkeypatch.setenv("POLICYKG_PARSE_TIMEOUT", "0.000001")
    with pytest.raises(IngestError, match="per-file limit"):
        load_document(long_file)
    monkeypatch.setenv("POLICYKG_PARSE_TIMEOUT", "0")  # 0: no limit
    assert sum(1 for _ in load_document(long_file).walk()) == 20000
    monkeypatch.setenv("POLICYKG_PARSE_TIMEOUT", "soon")
    with pytest.raises(IngestError, match="POLICYKG_PARSE_TIMEOUT"):
        load_document(long_file)


def test_no_limit_parses_everything(long_file):
    doc = load_document(long_file, time_limit=None)
    assert sum(1 for _ in doc.walk()) == 20000


def test_a_long_first_line_is_text_not_front_matter(tmp_path):
    path = tmp_path / "one.txt"
    path.write_text("标题：" + "学校美育工作要求。" * 100 + "\n一、总体要求\n坚持立德树人。\n", "utf-8")
    doc = load_document(path)
    assert doc.front_matter == {}
    assert any("学校美育工作要求" in c.text for c in doc.walk())
