"""api/settings.py: configuration read once, from options and the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.settings import MB, Limits, Settings


def test_options_win_over_the_environment_and_defaults_fill_the_rest(tmp_path):
    env = {"POLICYKG_DATA": str(tmp_path / "env-ws"), "POLICYKG_STORE": "http://env/query",
           "POLICYKG_ENCODER": "use", "POLICYKG_TOKEN": "t", "POLICYKG_MAX_FILE_MB": "1.5"}
    s = Settings.from_env(tmp_path / "cli-ws", None, environ=env)
    assert s.data_dir == (tmp_path / "cli-ws").resolve() and s.store_url == "http://env/query"
    assert s.encoder == "use" and s.token == "t" and s.limits.max_file_bytes == int(1.5 * MB)
    bare = Settings.from_env(environ={})
    assert bare.data_dir == Path("policykg-data").resolve() and bare.store_url is None
    assert bare.token is None and bare.limits == Limits()
    assert Settings.from_env(environ={}, sparql_rows=5).limits.sparql_rows == 5


@pytest.mark.parametrize("value", ["lots", "0", "-3"])
def test_a_bad_size_limit_names_the_variable(value):
    with pytest.raises(ValueError, match="POLICYKG_MAX_FILE_MB"):
        Settings.from_env(environ={"POLICYKG_MAX_FILE_MB": value})


def test_kg_and_embeddings_read_no_environment():
    root = Path(__file__).resolve().parent.parent
    for package in ("kg", "embeddings"):
        for path in (root / package).glob("*.py"):
            text = path.read_text(encoding="utf-8")
            assert "os.environ.get" not in text and "getenv" not in text, path
