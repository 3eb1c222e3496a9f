"""The memory finder's suggestions (the type-ahead under the model box): what they find,
their limit and bad input on every database; on PostgreSQL, that their queries are
served by the name indexes of migration 0019 (shop/catalog/system_names.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shop.catalog.demo.bulk import rows_write, tables_settle
from shop.catalog.selectors import system_suggestions
from shop.models import System
from shop.tests.factories import ManufacturerFactory, SystemFactory

pytestmark = pytest.mark.django_db

URL = "/en/finder/suggestions/"


def labels(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [system["label"] for system in response.json()["systems"]]


def test_models_that_start_with_the_query_come_first_in_order(client):
    acme = ManufacturerFactory(name="Acme (demo)", slug="acme-demo")
    for model in ("Roadbook 150", "Roadbook 140 Pro", "Roadbook 140"):
        SystemFactory(manufacturer=acme, model_line="Roadbook", model=model)
    SystemFactory(manufacturer=acme, model_line="Deskmate", model="Deskmate Road 1")
    assert labels(client, q="Roadbook 14") == [
        "Acme (demo) Roadbook 140",
        "Acme (demo) Roadbook 140 Pro",
    ]
    assert labels(client, q="roadbook")[:3] == [
        "Acme (demo) Roadbook 140",
        "Acme (demo) Roadbook 140 Pro",
        "Acme (demo) Roadbook 150",
    ]
    assert "Acme (demo) Deskmate Road 1" in labels(client, q="road")


def test_every_word_counts_and_the_makers_name_is_one_of_them(client):
    SystemFactory(model="T460p")
    SystemFactory(manufacturer=ManufacturerFactory(name="Dell", slug="dell"), model="T460")
    assert labels(client, q="lenovo t46") == ["Lenovo ThinkPad T460p"]
    assert labels(client, q="THINKPAD t460P") == ["Lenovo ThinkPad T460p"]
    assert labels(client, q="460") == ["Dell ThinkPad T460", "Lenovo ThinkPad T460p"]
    assert labels(client, q="lenovo 9999") == []


def test_typing_a_makers_name_suggests_its_systems_maker_by_maker(client):
    acer = ManufacturerFactory(name="Acer", slug="acer")
    acme = ManufacturerFactory(name="Acme (demo)", slug="acme-demo")
    SystemFactory(manufacturer=acme, model_line="Roadbook", model="Roadbook 140")
    SystemFactory(manufacturer=acer, model_line="Aspire", model="Aspire 5")
    SystemFactory(model="T480")
    assert labels(client, q="Ac") == ["Acer Aspire 5", "Acme (demo) Roadbook 140"]
    assert labels(client, q="acme (demo) road") == ["Acme (demo) Roadbook 140"]
    assert labels(client, q="Acme (de") == ["Acme (demo) Roadbook 140"]


def test_accented_names_are_found_whatever_the_letter_case(client):
    maker = ManufacturerFactory(name="Société Générale d'Informatique", slug="sgi")
    SystemFactory(
        manufacturer=maker, model_line="Écran", model="Écran Portable 3", slug="sgi-ecran-3"
    )
    expected = ["Société Générale d'Informatique Écran Portable 3"]
    assert labels(client, q="Écran port") == expected
    assert labels(client, q="société PORTABLE") == expected
    if connection.vendor == "postgresql":  # SQLite's LIKE folds the case of ASCII only
        assert labels(client, q="écran") == expected


def test_at_most_ten_suggestions(client):
    for number in range(15):
        SystemFactory(model=f"T{400 + number}")
    assert len(labels(client, q="T4")) == 10
    assert len(system_suggestions(query="ThinkPad")) == 10


def test_the_manufacturer_chosen_narrows_them(client):
    SystemFactory(model="X1 Carbon")
    SystemFactory(manufacturer=ManufacturerFactory(name="Dell", slug="dell"), model="X1 Tower")
    assert labels(client, q="X1", manufacturer="dell") == ["Dell ThinkPad X1 Tower"]
    assert len(labels(client, q="X1", manufacturer="no-such-maker")) == 2


@pytest.mark.parametrize(
    "query",
    ["", "   ", "x" * 500, "%_" * 250, "\x00\x01", "((,,))", "é" * 500, "a b c d e f g h i j"],
)
def test_bad_input_gets_a_plain_answer(client, query):
    SystemFactory(model="T480")
    found = labels(client, q=query)
    assert isinstance(found, list)
    if not query.strip() or query == "((,,))":
        assert found == []


@pytest.mark.postgres
def test_on_postgresql_the_suggestions_are_served_by_the_name_indexes():
    """Each query of a suggestion can be served by one of the name indexes: explained with
    sequential scans priced out (at a test's few thousand rows reading the table is
    rightly cheaper), none reads the whole table. Control: the plain case-insensitive
    search the finder used before cannot use them."""
    if connection.vendor != "postgresql":
        pytest.skip("the trigram and prefix indexes exist on PostgreSQL only (set DATABASE_URL)")
    makers = [ManufacturerFactory(name=name) for name in ("Lenovo", "Dell", "HP", "Acer", "Asus")]
    rows_write(
        System,
        (
            SystemFactory.build(
                manufacturer=makers[number % 5], model=f"T{number}", slug=f"t{number}"
            )
            for number in range(3000)
        ),
    )
    tables_settle(System)  # as the demo catalog leaves them
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # until the test's transaction ends
    plans = {}
    for query in ("T41", "t2999", "zq7 x", "lenovo t29", "leno"):
        with CaptureQueriesContext(connection) as captured:
            system_suggestions(query=query)
        plans[query] = [
            explained(q["sql"]) for q in captured.captured_queries if '"shop_system"' in q["sql"]
        ]
    assert ["system_model_prefix" in plan for plan in plans["T41"]] == [True], plans["T41"]
    for query in ("t2999", "zq7 x"):  # first the models starting with it, then every word
        starting, holding = plans[query]
        assert "system_model_prefix" in starting, starting
        assert "system_name_trigram" in holding, holding
    for query in ("lenovo t29", "leno"):  # the maker's name typed, then perhaps the model
        assert "system_maker_model_prefix" in plans[query][0], plans[query][0]
    every_plan = "\n".join(plan for found in plans.values() for plan in found)
    assert "Seq Scan on shop_system" not in every_plan

    before = System.objects.filter(model__icontains="zq7").values("pk").explain()
    assert "system_name_trigram" not in before and "system_model_prefix" not in before


def explained(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())
