"""SPARQL syntax errors name the line and column of the query as the user wrote it (not of
the text with the project's prefixes prepended), the reason, and the line itself."""

from __future__ import annotations

import pytest
from kg_fixtures import fresh_store

from kg.sparql import PREFIX_BLOCK, store_syntax_error
from kg.store import SparqlSyntaxError, run_readonly


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = fresh_store("oxigraph", tmp_path_factory.mktemp("sparql-errors"))
    yield s
    s.close()


def test_a_parse_error_is_placed_in_the_users_text(store):
    query = "SELECT ?x\nWHERE {\n  ?x a pkg:Region .\n  FILTER(\n}"
    with pytest.raises(SparqlSyntaxError, match=r"at line 4, column 3: .*: FILTER\($"):
        run_readonly(store, query, timeout_s=5, limit=10)


def test_a_store_error_is_placed_in_the_users_text_and_says_why(store):
    query = "SELECT ?x\nWHERE {\n  ?x a pkg:Region .\n  ?x foo:bar ?y\n}"
    with pytest.raises(SparqlSyntaxError) as info:
        run_readonly(store, query, timeout_s=5, limit=10)
    message = str(info.value)
    assert message.startswith("SPARQL syntax error at line 4, column ") and "prefix not found" in message
    assert message.endswith("?x foo:bar ?y") and "\\u{" not in message  # no character-class dump


def test_store_message_rewriting():
    lines = PREFIX_BLOCK.count("\n")
    text = store_syntax_error(f"error at {lines + 2}:5: expected one of Prefix not found, ['%'], [':']", "A\nBCDEF")
    assert text == "SPARQL syntax error at line 2, column 5: prefix not found: BCDEF"
    assert store_syntax_error("something else", "A") == "SPARQL syntax error: something else"
