"""`make run PORT=...`: the real Makefile recipe, run with a stand-in interpreter that
records what it was asked to do, so the port and the links in e-mails (SITE_URL) are
read from what make actually executes."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def recorder(tmp_path):
    log = tmp_path / "calls.log"
    script = tmp_path / "python"
    script.write_text(f'#!/bin/sh\necho "SITE_URL=$SITE_URL ARGS=$*" >> "{log}"\n')
    script.chmod(0o755)
    return script, log


def make_run(recorder, *args, env=None):
    if shutil.which("make") is None:
        pytest.fail("make is needed: the README's two commands are make targets")
    script, log = recorder
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | (env or {})
    command = ["make", "-s", "--no-print-directory", "run", f"PY={script}"]
    subprocess.run(
        [*command, f"PYTHON={sys.executable}", *args],
        cwd=ROOT, env=environment, check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return [line for line in log.read_text().splitlines() if "runserver" in line]


def test_make_run_serves_on_the_port_given_and_links_follow_it(recorder):
    assert make_run(recorder, "PORT=9123") == [
        "SITE_URL=http://127.0.0.1:9123 ARGS=manage.py runserver 127.0.0.1:9123"
    ]


def test_make_run_defaults_to_8000(recorder):
    assert make_run(recorder) == [
        "SITE_URL=http://127.0.0.1:8000 ARGS=manage.py runserver 127.0.0.1:8000"
    ]


def test_a_site_url_set_by_the_operator_wins(recorder):
    lines = make_run(recorder, "PORT=9123", env={"SITE_URL": "https://shop.example"})
    assert lines == ["SITE_URL=https://shop.example ARGS=manage.py runserver 127.0.0.1:9123"]
