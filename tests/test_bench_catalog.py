"""`python -m bench.catalog` builds its shop as a fresh machine would: production
settings, no CACHE_URL (so the database cache, whose table must exist before the demo
catalog writes its pages' cache version), a new SQLite database in a temporary folder."""

import sqlite3
import subprocess
import sys

import pytest

from bench.catalog import ROOT, environment, shop_build


@pytest.fixture
def fresh_machine(tmp_path):
    """The benchmark's environment with no CACHE_URL, whatever the caller has set."""
    return {k: v for k, v in environment(tmp_path).items() if k != "CACHE_URL"}


def test_the_benchmarks_shop_builds_without_a_cache_url(tmp_path, fresh_machine):
    shop_build(fresh_machine, modules=30, systems=10)

    database = sqlite3.connect(tmp_path / "bench.sqlite3")
    try:
        modules = database.execute("SELECT COUNT(*) FROM shop_module").fetchone()[0]
        cached = database.execute("SELECT COUNT(*) FROM offtek_cache").fetchone()[0]
    finally:
        database.close()
    assert modules == 30
    assert cached >= 1  # the catalog's page-cache version, written by the demo catalog


def test_control_the_demo_catalog_fails_there_without_the_cache_table(tmp_path, fresh_machine):
    """What `bench.catalog` did before: the catalog loaded right after migrate."""
    manage = [sys.executable, "manage.py"]
    subprocess.run(
        [*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=fresh_machine, check=True
    )
    loaded = subprocess.run(
        [*manage, "load_demo_catalog", "--seed", "1", "--modules", "30", "--systems", "10"],
        cwd=ROOT,
        env=fresh_machine,
        capture_output=True,
        text=True,
    )
    assert loaded.returncode != 0
    assert "offtek_cache" in loaded.stderr
