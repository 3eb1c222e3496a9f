"""bench/scale.py, the catalog benchmark at a real catalog's size: what it types into
the finder, the memory it reads, and a clear stop when PostgreSQL is missing."""

import os
import socket

import pytest
from django.db import connection

from bench.scale import BenchDatabase, children, rss_mb, typed_queries


def test_names_are_typed_letter_by_letter_from_two_characters_as_the_finder_asks():
    assert typed_queries(["T460p", "Node 1U"]) == [
        "T4",
        "T46",
        "T460",
        "T460p",
        "No",
        "Nod",
        "Node",  # "Node " is trimmed, as finder.js trims, and not asked twice
        "Node 1",
        "Node 1U",
    ]


def test_resident_memory_is_read_for_a_process_and_its_children():
    assert 5 < rss_mb(os.getpid()) < 2000
    assert os.getpid() in children(os.getppid())


def test_without_a_reachable_postgresql_the_run_stops_and_names_the_address(monkeypatch):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("DATABASE_URL", f"postgres://nobody@127.0.0.1:{port}/offtek_bench")
    with pytest.raises(
        SystemExit, match=f"no PostgreSQL answers at postgres://nobody@127.0.0.1:{port}/postgres"
    ):
        BenchDatabase("postgres").create()


def test_sqlite_runs_need_no_server(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://nobody@127.0.0.1:1/offtek_bench")
    database = BenchDatabase("sqlite")
    assert database.create() == ""
    database.drop()  # nothing to drop


@pytest.mark.postgres
@pytest.mark.django_db
def test_on_postgresql_a_fresh_database_is_created_and_dropped(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs a PostgreSQL server (set DATABASE_URL)")
    settings = connection.settings_dict
    server = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/offtek_scale"
    monkeypatch.setenv("DATABASE_URL", server)
    database = BenchDatabase("postgres")
    url = database.create()
    assert url.rsplit("/", 1)[1].startswith("offtek_scale_")
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name])
            assert cursor.fetchone() == (1,)
    finally:
        database.drop()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database.name])
        assert cursor.fetchone() is None
