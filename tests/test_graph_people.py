"""The graph for people on the seed workspace: nodes by name, Chinese labels, plumbing folded
into its parents in the neighbourhood and in GraphML."""

from __future__ import annotations

import pytest

from api.errors import InvalidParameter

pytestmark = pytest.mark.slow

R = "https://policykg.org/region/"


def test_find_nodes_by_name(seed_service):
    found = seed_service.find_nodes("枣庄市")
    assert found[0]["id"] == R + "370400" and found[0]["kind"] == "region" and found[0]["match"] == "exact"
    assert {"body", "document"} <= {m["kind"] for m in found}
    topic = seed_service.find_nodes("美育", kind="topic")[0]
    assert topic["label"] != topic["id"].rsplit("/", 1)[-1]  # a Chinese label, not the English id
    assert seed_service.find_nodes("新时代基础教育扩优提质", kind="document")
    with pytest.raises(InvalidParameter, match="kind"):
        seed_service.find_nodes("枣庄市", kind="clause")
    with pytest.raises(InvalidParameter, match="q"):
        seed_service.find_nodes(" ")


def test_neighbourhood_takes_a_name(seed_service):
    assert seed_service.neighbourhood("枣庄市")["center"] == R + "370400"
    with pytest.raises(InvalidParameter, match="did you mean 枣庄市"):
        seed_service.neighbourhood("枣庄")
