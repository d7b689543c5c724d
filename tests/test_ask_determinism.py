"""The same question gets the same answer in every process: three questions asked in separate
processes under different PYTHONHASHSEED values, compared byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["哪些地区要求校长每学期听课", "What targets does Chengde set for teacher training?",
             "哪些地区要求建设名师工作室"]
SCRIPT = """
import json, sys
from api.service import PolicyKG
with PolicyKG(sys.argv[1], read_only=True) as service:
    answers = [service.ask(q) for q in json.loads(sys.argv[2])]
sys.stdout.write(json.dumps(answers, ensure_ascii=False, sort_keys=False))
"""


def _answers(workspace: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(workspace), json.dumps(QUESTIONS)],
                          capture_output=True, env=env, cwd=ROOT, timeout=600, check=False)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    return done.stdout


def test_answers_are_identical_across_processes_and_hash_seeds(seed_workspace, seed_service):
    seed_service.close()  # the subprocesses open the store read-only; let go of this process's lock
    outputs = [_answers(seed_workspace, seed) for seed in ("0", "1", "4242")]
    assert outputs[0] and json.loads(outputs[0])[0]["answer"], "the first question has an answer"
    assert outputs[0] == outputs[1] == outputs[2]
