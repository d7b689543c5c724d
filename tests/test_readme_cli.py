"""README's command-line section stays true: every `policykg …` line names a command the CLI
has, with options that command takes."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import typer

from api.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"


def _commands():
    group = typer.main.get_command(app)
    return group, group.commands


def _readme_lines() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = text.split("## What you can ask it", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    lines = [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.startswith("policykg ")]
    return [part.strip() if part.startswith("policykg ") else f"policykg {part.strip()}" for line in lines for part in line.split("; policykg ")]


def test_every_readme_command_and_option_exists():
    group, commands = _commands()
    global_opts = {o for p in group.params for o in p.opts}
    lines = _readme_lines()
    assert len(lines) >= 10
    for line in lines:
        words = shlex.split(line)[1:]
        while words and words[0] in global_opts:
            words = words[2:]
        name = words[0]
        assert name in commands, f"README: `{line}`: no command {name!r}"
        opts = {o for p in commands[name].params for o in (*p.opts, *getattr(p, "secondary_opts", []))}
        for word in words[1:]:
            if re.match(r"^--?[a-z]", word):
                assert word in opts, f"README: `{line}`: {name} has no option {word}"


def test_every_command_is_in_the_readme():
    _, commands = _commands()
    named = {shlex.split(line)[1] for line in _readme_lines()}
    text = README.read_text(encoding="utf-8")
    missing = [c for c in commands if c not in named and f"policykg {c}" not in text]
    assert not missing, f"commands the README does not mention: {missing}"
