"""Staff load a real catalog from a file: in the admin (dry run, then confirm) and with
`manage.py import_catalog`. Bad rows are reported in plain words, in English and French,
and nothing is written; each saved row has a history record; cached pages are retired;
the "demo data" banner goes."""

import csv
import io
import re
from html import unescape

import openpyxl
import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.test import Client

from privacy.models import User
from shop.catalog.cache import catalog_version
from shop.catalog.services import catalog_source_set
from shop.models import CatalogSource, Module, OverrideKind, System, SystemModuleOverride
from shop.tests.french import french_catalogue_compiled

pytestmark = pytest.mark.django_db

MODULE_COLUMNS = [
    "part_number", "brand", "generation", "form_factor", "capacity_gb", "kit_size",
    "speed_mts", "cas_latency", "voltage_mv", "ecc", "registered", "price_pence",
    "price_eur_cents", "stock", "warranty_years", "is_active",
]  # fmt: skip
SYSTEM_COLUMNS = [
    "manufacturer", "model_line", "model", "kind", "year", "slots", "soldered_gb",
    "max_per_slot_gb", "max_total_gb", "generations", "form_factor", "max_speed_mts",
    "ecc", "supports_registered", "source_url", "pinned_modules", "excluded_modules",
]  # fmt: skip


def module_rows(count):
    return [
        {
            "part_number": f"OT{index:05d}-16S32", "brand": "Offtek", "generation": "DDR4",
            "form_factor": "SODIMM", "capacity_gb": 16, "kit_size": 1 + index % 2,
            "speed_mts": 3200, "cas_latency": 22, "voltage_mv": 1200, "ecc": "no",
            "registered": "no", "price_pence": 2999 + index,
            "price_eur_cents": 3499 + index, "stock": index % 40,
            "warranty_years": "" if index % 3 else 5, "is_active": "yes",
        }
        for index in range(count)
    ]  # fmt: skip


def system_rows(count):
    return [
        {
            "manufacturer": f"Maker {index % 7}", "model_line": "Book", "model": f"Book {index}",
            "kind": "laptop", "year": 2018, "slots": 2, "soldered_gb": 0,
            "max_per_slot_gb": 32, "max_total_gb": 64, "generations": "DDR4",
            "form_factor": "SODIMM", "max_speed_mts": 3200, "ecc": "no",
            "supports_registered": "no", "source_url": "https://example.com/manual.pdf",
            "pinned_modules": "OT00001-16S32" if index == 0 else "",
            "excluded_modules": "OT00002-16S32" if index == 0 else "",
        }
        for index in range(count)
    ]  # fmt: skip


def csv_file(tmp_path, name, columns, rows):
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def xlsx_file(tmp_path, name, columns, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row[column] for column in columns])
    path = tmp_path / name
    book.save(path)
    return path


def staff(*, superuser=True, permissions=(), group=None, email="catalog@offtek.example"):
    if superuser:
        user = User.objects.create_superuser(email, "a-long-staff-password")
    else:
        user = User.objects.create_user(email, "a-long-staff-password", is_staff=True)
        user.user_permissions.set(Permission.objects.filter(codename__in=permissions))
        if group:
            user.groups.add(Group.objects.get(name=group))
    Authenticator.objects.create(user=user, type="totp", data={"secret": "x"})
    client = Client()
    client.force_login(user)
    return client


def hidden_inputs(html):
    return {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
        if name != "csrfmiddlewaretoken"
    }


def admin_import(client, language, model, path, file_format):
    """The admin's two steps: upload (dry run), then confirm. Returns both pages."""
    url = f"/{language}/admin/shop/{model}/import/"
    page = client.get(url).content.decode()
    formats = dict(
        (label.strip().lower(), value)
        for value, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', page)
    )
    with path.open("rb") as upload:
        dry_run = client.post(
            url, {"format": formats[file_format], "import_file": upload, "resource": "0"}
        )
    return dry_run


def confirm(client, language, model, dry_run):
    fields = hidden_inputs(dry_run.content.decode())
    return client.post(f"/{language}/admin/shop/{model}/process_import/", fields)


def test_a_thousand_rows_import_through_the_admin_with_a_dry_run_first(
    tmp_path, django_capture_on_commit_callbacks
):
    catalog_source_set(is_demo=True)
    client = staff()
    modules = csv_file(tmp_path, "modules.csv", MODULE_COLUMNS, module_rows(1000))
    dry_run = admin_import(client, "en", "module", modules, "csv")
    page = dry_run.content.decode()
    assert dry_run.status_code == 200
    assert "OT00999-16S32" in page and "New" in page
    assert not Module.objects.exists(), "the dry run writes nothing"
    before = catalog_version()
    with django_capture_on_commit_callbacks(execute=True):
        done = confirm(client, "en", "module", dry_run)
    assert done.status_code == 302
    assert Module.objects.count() == 1000
    module = Module.objects.get(part_number="OT00010-16S32")
    record = module.history.get()
    assert record.history_change_reason == "catalog import"
    assert record.history_user.email == "catalog@offtek.example"
    assert catalog_version() != before, "cached catalog pages are retired"

    systems = xlsx_file(tmp_path, "systems.xlsx", SYSTEM_COLUMNS, system_rows(1000))
    dry_run = admin_import(client, "en", "system", systems, "xlsx")
    assert dry_run.status_code == 200
    assert not System.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, "en", "system", dry_run)
    assert System.objects.count() == 1000
    first = System.objects.get(model="Book 0")
    assert (first.manufacturer.name, first.max_total_gb, first.form_factor) == (
        "Maker 0",
        64,
        "SODIMM",
    )
    assert first.history.get().history_change_reason == "catalog import"
    overrides = set(SystemModuleOverride.objects.values_list("module__part_number", "kind"))
    assert overrides == {
        ("OT00001-16S32", OverrideKind.PIN),
        ("OT00002-16S32", OverrideKind.EXCLUDE),
    }
    assert not CatalogSource.objects.get().is_demo, "a real catalog ends the demo banner"


def test_changing_stock_and_price_by_import_updates_rows_and_history(
    tmp_path, django_capture_on_commit_callbacks
):
    client = staff()
    rows = module_rows(3)
    path = csv_file(tmp_path, "modules.csv", MODULE_COLUMNS, rows)
    confirm(client, "en", "module", admin_import(client, "en", "module", path, "csv"))
    rows[1].update(price_pence=1234, stock=0)
    path = csv_file(tmp_path, "again.csv", MODULE_COLUMNS, rows)
    before = catalog_version()
    with django_capture_on_commit_callbacks(execute=True):
        confirm(client, "en", "module", admin_import(client, "en", "module", path, "csv"))
    module = Module.objects.get(part_number=rows[1]["part_number"])
    assert (module.price_pence, module.stock) == (1234, 0)
    assert module.history.count() == 2
    assert Module.objects.get(part_number=rows[0]["part_number"]).history.count() == 1
    assert catalog_version() != before


BAD_MODULES = [
    (
        "price_pence",
        "twelve",
        {"en": "“twelve” is not a whole number", "fr": "« twelve » n’est pas un nombre entier"},
    ),
    (
        "generation",
        "DDR9",
        {
            "en": "“DDR9” is not accepted here. Accepted: DDR3, DDR3L, DDR4, DDR5.",
            "fr": "« DDR9 » n’est pas accepté ici. Valeurs acceptées : DDR3, DDR3L, DDR4, DDR5.",
        },
    ),
    ("stock", "-3", {"en": "-3 is out of range", "fr": "-3 est hors limites"}),
    (
        "ecc",
        "perhaps",
        {"en": "“perhaps” is not yes or no.", "fr": "« perhaps » n’est ni oui ni non."},
    ),
]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_bad_rows_are_listed_in_plain_words_and_nothing_is_written(language, tmp_path, settings):
    french_catalogue_compiled(settings=settings, directory=tmp_path)
    client = staff()
    rows = module_rows(10)
    for index, (column, value, _messages) in enumerate(BAD_MODULES):
        rows[2 + index][column] = value
    path = csv_file(tmp_path, "bad.csv", MODULE_COLUMNS, rows)
    response = admin_import(client, language, "module", path, "csv")
    page = response.content.decode()
    assert response.status_code == 200
    for _column, _value, messages in BAD_MODULES:
        assert messages[language] in page
    assert "Traceback" not in page
    assert "process_import" not in page, "no confirm step for a file with errors"
    assert not Module.objects.exists()


def test_only_staff_who_may_add_and_change_can_import(tmp_path):
    # Staff rights come from their role (privacy.role_matrix, issue 15): a staff account
    # with hand-given permissions and no role reaches nothing, so the viewer and the
    # editor are the roles that view modules (Privacy Officer) and run the catalog
    # (Shop staff).
    viewer = staff(superuser=False, permissions=["view_module"], email="viewer@offtek.example")
    assert viewer.get("/en/admin/shop/module/import/").status_code == 403
    officer = staff(superuser=False, group="Privacy Officer", email="officer@offtek.example")
    assert officer.get("/en/admin/shop/module/").status_code == 200
    assert officer.get("/en/admin/shop/module/import/").status_code == 403
    editor = staff(superuser=False, group="Shop staff", email="editor@offtek.example")
    assert editor.get("/en/admin/shop/module/import/").status_code == 200


def test_the_command_imports_a_good_file_and_reports_counts(tmp_path):
    modules = csv_file(tmp_path, "modules.csv", MODULE_COLUMNS, module_rows(50))
    out = io.StringIO()
    call_command("import_catalog", str(modules), "--kind", "modules", "--dry-run", stdout=out)
    assert "would import" in out.getvalue() and "50 new" in out.getvalue()
    assert not Module.objects.exists()
    call_command("import_catalog", str(modules), "--kind", "modules", stdout=out)
    assert Module.objects.count() == 50
    systems = xlsx_file(tmp_path, "systems.xlsx", SYSTEM_COLUMNS, system_rows(20))
    out = io.StringIO()
    call_command("import_catalog", str(systems), "--kind", "systems", stdout=out)
    assert "20 new" in out.getvalue()
    assert System.objects.count() == 20


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"max_total_gb": "lots"},
            "Row 4, column max_total_gb, value “lots”: “lots” is not a whole number",
        ),
        (
            {"generations": "DDR4,DDR7"},
            "Row 4, column generations, value “DDR4,DDR7”: “DDR7” is not accepted here. "
            "Accepted: DDR3, DDR3L, DDR4, DDR5, LPDDR3",
        ),
        (
            {"form_factor": "SIMM"},
            "Row 4, column form_factor, value “SIMM”: “SIMM” is not accepted here. "
            "Accepted: DIMM, SO-DIMM, RDIMM, LRDIMM.",
        ),
        (
            {"pinned_modules": "NOPE-1"},
            "Row 4, column pinned_modules, value “NOPE-1”: No module has the part number NOPE-1.",
        ),
        (
            {"manufacturer": ""},
            "Row 4, column manufacturer, value “”: The manufacturer is missing.",
        ),
        (
            {"kind": "toaster"},
            "Row 4, column kind, value “toaster”: “toaster” is not accepted here. "
            "Accepted: Laptop, Desktop, Mini PC, Server, Workstation.",
        ),
        (
            {"pinned_modules": "OT00001-16S32", "excluded_modules": " OT00001-16S32 "},
            "Row 4, column excluded_modules, value “ OT00001-16S32 ”: A module cannot be both "
            "pinned and excluded: OT00001-16S32.",
        ),
    ],
)
def test_the_command_lists_bad_rows_writes_nothing_and_fails(tmp_path, change, message):
    call_command(
        "import_catalog",
        str(csv_file(tmp_path, "modules.csv", MODULE_COLUMNS, module_rows(3))),
        "--kind",
        "modules",
        stdout=io.StringIO(),
    )
    rows = system_rows(5)
    rows[0]["pinned_modules"] = rows[0]["excluded_modules"] = ""
    rows[2].update(change)
    path = csv_file(tmp_path, "systems.csv", SYSTEM_COLUMNS, rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_catalog", str(path), "--kind", "systems", stderr=err)
    assert unescape(message) in err.getvalue()
    assert not System.objects.exists()
    assert not System.history.exists()


@pytest.mark.parametrize(
    ("name", "content", "arguments"),
    [
        ("modules.txt", b"part_number\nX", ["--kind", "modules"]),
        ("modules.xlsx", b"not a spreadsheet", ["--kind", "modules"]),
        ("modules.csv", b"part_number\nX", ["--kind", "gadgets"]),
    ],
)
def test_the_command_refuses_unreadable_files_and_kinds(tmp_path, name, content, arguments):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError):
        call_command("import_catalog", str(path), *arguments)
    with pytest.raises(CommandError):
        call_command("import_catalog", str(tmp_path / "missing.csv"), "--kind", "modules")
    assert not Module.objects.exists()
