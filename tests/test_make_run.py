"""`make run` from a fresh clone: what it runs, read from the Makefile itself (`make -n`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def _planned_commands(*args: str, **env: str) -> list[str]:
    environment = {key: value for key, value in os.environ.items() if key != "PUBLIC_BASE_URL"}
    plan = subprocess.run(["make", "-n", "run", *args], cwd=ROOT, env={**environment, **env},
                          capture_output=True, text=True, check=True)
    return plan.stdout.splitlines()


def _command_running(lines: list[str], flask_command: str) -> str:
    return next(line for line in lines if f"wsgi {flask_command}" in line)


def test_the_demo_is_seeded_for_the_port_it_is_served_on():
    lines = _planned_commands("PORT=5106")

    assert _command_running(lines, "seed demo").startswith("PUBLIC_BASE_URL=http://127.0.0.1:5106 ")
    assert _command_running(lines, "run").startswith("PUBLIC_BASE_URL=http://127.0.0.1:5106 ")


def test_a_public_base_url_wins_over_the_port_for_seed_and_server():
    lines = _planned_commands(PUBLIC_BASE_URL="https://shop.example")

    assert _command_running(lines, "seed demo").startswith("PUBLIC_BASE_URL=https://shop.example ")
    assert _command_running(lines, "run").startswith("PUBLIC_BASE_URL=https://shop.example ")
