"""The import speaks the staff's language: values as they type them, prices in pounds
and euros, a French spreadsheet's semicolon CSV, errors that name the column, the value
and what is accepted, files refused early when too large, a forged confirm step refused
plainly, a template file, and a clear choice for the demo data."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from shop.catalog.imports import (
    MAX_FILE_BYTES,
    CatalogImportRefused,
    DemoPolicy,
    ModuleResource,
    SystemResource,
    catalog_file_read,
    catalog_import,
    import_problems,
)
from shop.catalog.selectors import catalog_is_demo
from shop.models import Module, System
from shop.tests.test_catalog_import import admin_import, hidden_inputs, staff

pytestmark = pytest.mark.django_db

HEADER = (
    "part_number;brand;generation;form_factor;capacity_gb;kit_size;speed_mts;cas_latency;"
    "voltage_mv;ecc;registered;price_gbp;price_eur;stock;is_active"
)


def french_rows(count, first=0):
    return [
        f"FR{index:04d}-8S;Offtek;ddr4;SO-DIMM;8;1;3200;22;1200;non;non;"
        f"{19 + index},99;{22 + index},49;{index};oui"
        for index in range(first, first + count)
    ]


def french_csv(tmp_path, rows, *, header=HEADER, name="catalogue.csv"):
    """A French spreadsheet's CSV export: semicolons, decimal commas, Windows encoding."""
    path = tmp_path / name
    path.write_bytes("\r\n".join([header, *rows, ""]).encode("cp1252"))
    return path


def test_a_french_semicolon_csv_imports_with_a_dry_run_first(tmp_path):
    path = french_csv(tmp_path, french_rows(15))
    out = io.StringIO()
    call_command("import_catalog", str(path), "--kind", "modules", "--dry-run", stdout=out)
    assert "Dry run: would import modules" in out.getvalue() and "15 new" in out.getvalue()
    assert not Module.objects.exists()
    call_command("import_catalog", str(path), "--kind", "modules", stdout=io.StringIO())
    module = Module.objects.get(part_number="FR0003-8S")
    assert (module.generation, module.form_factor, module.ecc) == ("DDR4", "SODIMM", False)
    assert (module.price_pence, module.price_eur_cents) == (2299, 2549)


def test_the_admin_takes_the_same_french_file(tmp_path):
    rows = [row.replace("Offtek", "Mémoire Générale") for row in french_rows(4)]
    page = admin_import(staff(), "fr", "module", french_csv(tmp_path, rows), "csv")
    assert page.status_code == 200
    assert "import_file_name" in hidden_inputs(page.content.decode())  # ready to confirm


@pytest.mark.parametrize(
    ("text", "pence"),
    [("45.99", 4599), ("45,99", 4599), ("£45.99", 4599), ("1 234,50", 123450), ("7", 700)],
)
def test_prices_are_taken_as_staff_type_them(tmp_path, text, pence):
    row = f"P1;Offtek;DDR4;sodimm;8;1;3200;22;1200;no;no;{text};9,99;1;yes"
    dataset = catalog_file_read(french_csv(tmp_path, [row]))
    catalog_import(kind="modules", dataset=dataset, dry_run=False)
    assert Module.objects.get().price_pence == pence


BAD_CELLS = [
    # column, bad value, what the message must offer
    ("generation", "DDR6", "DDR3, DDR3L, DDR4, DDR5"),
    ("form_factor", "SIMM", "DIMM, SO-DIMM, RDIMM, LRDIMM"),
    ("ecc", "peut-être", "yes, no, oui, non"),
    ("price_gbp", "45,9x", "45.99 or 45,99"),
    ("capacity_gb", "", "a whole number of gigabytes per module"),
    ("speed_mts", "fast", "a whole number of at least 1"),
    ("stock", "-3", "a whole number of at least 0"),
]


@pytest.mark.parametrize(("column", "value", "accepted"), BAD_CELLS)
def test_every_error_names_the_column_the_value_and_what_is_accepted(
    tmp_path, column, value, accepted
):
    columns = HEADER.split(";")
    cells = french_rows(1)[0].split(";")
    cells[columns.index(column)] = value
    dataset = catalog_file_read(french_csv(tmp_path, [";".join(cells)]))
    result = catalog_import(kind="modules", dataset=dataset, dry_run=True)
    problems = import_problems(result, resource=ModuleResource(), headers=dataset.headers)
    assert len(problems) == 1, problems
    assert f"column {column}, value “{value}”" in problems[0]
    assert accepted in problems[0]
    assert "slug" not in problems[0] and "null" not in problems[0]
    assert not Module.objects.exists()


def test_a_file_too_large_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # 50 MB, never read
    with pytest.raises(CommandError, match="the import takes files of up to 5 MB"):
        call_command("import_catalog", str(path), "--kind", "modules")


def test_a_workbook_that_unpacks_too_large_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (30 * 1024 * 1024))
    assert path.stat().st_size < MAX_FILE_BYTES
    with pytest.raises(CatalogImportRefused, match="unpacks to 30 MB"):
        catalog_file_read(path)


def test_the_admin_refuses_an_upload_too_large_with_a_message(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"part_number\n" + b"x" * (MAX_FILE_BYTES + 10))
    page = admin_import(staff(), "en", "module", path, "csv").content.decode()
    assert "the import takes files of up to 5 MB" in page


@pytest.mark.parametrize("name", ["../../../../etc/passwd", "tmpnothere123", "settings.py"])
def test_a_forged_file_name_at_confirmation_is_refused_plainly(name):
    client = staff()
    response = client.post(
        "/en/admin/shop/module/process_import/",
        {"import_file_name": name, "original_file_name": "x.csv", "format": "0", "demo": "keep"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/admin/shop/module/import/")
    page = client.get(response["Location"]).content.decode()
    assert "choose the file again" in page or "choose it again" in page
    assert not Module.objects.exists()


def test_the_template_file_has_an_example_row_that_imports(tmp_path):
    client = staff()
    page = client.get("/en/admin/shop/module/import/").content.decode()
    assert 'href="/en/admin/shop/module/import-template/"' in page
    response = client.get("/en/admin/shop/module/import-template/")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / "template.csv"
    path.write_bytes(response.content)
    result = catalog_import(kind="modules", dataset=catalog_file_read(path), dry_run=True)
    assert not result.has_errors() and not result.has_validation_errors()
    assert Client().get("/en/admin/shop/module/import-template/").status_code == 302


def demo_loaded():
    call_command("load_demo_catalog", "--modules", "40", "--systems", "42", "--replace")
    return Module.objects.filter(is_demo=True, is_active=True).count()


def real_modules(tmp_path):
    return catalog_file_read(french_csv(tmp_path, french_rows(15)))


def test_an_import_refuses_to_mix_with_demo_data_unless_told(tmp_path):
    demo_loaded()
    with pytest.raises(CommandError, match="Demo data is still on sale"):
        call_command(
            "import_catalog", str(french_csv(tmp_path, french_rows(15))), "--kind", "modules"
        )
    assert not Module.objects.filter(is_demo=False).exists()
    assert catalog_is_demo()


def test_keeping_the_demo_data_keeps_the_banner_while_it_is_on_sale(tmp_path):
    on_sale = demo_loaded()
    catalog_import(kind="modules", dataset=real_modules(tmp_path), dry_run=False, demo="keep")
    assert Module.objects.filter(is_demo=False).count() == 15
    assert Module.objects.filter(is_demo=True, is_active=True).count() == on_sale
    assert catalog_is_demo()  # 15 real modules do not hide the demo ones
    assert "Demo catalog:" in Client().get("/en/memory/").content.decode()


def test_replacing_the_demo_data_takes_it_off_sale_and_ends_the_banner(tmp_path):
    demo_loaded()
    catalog_import(
        kind="modules", dataset=real_modules(tmp_path), dry_run=False, demo=DemoPolicy.REPLACE
    )
    assert not Module.objects.filter(is_demo=True, is_active=True).exists()
    assert Module.objects.filter(is_demo=False, is_active=True).count() == 15
    assert not catalog_is_demo()
    assert "Demo catalog:" not in Client().get("/en/memory/").content.decode()


def test_a_dry_run_with_replace_changes_nothing(tmp_path):
    on_sale = demo_loaded()
    catalog_import(kind="modules", dataset=real_modules(tmp_path), dry_run=True, demo="replace")
    assert Module.objects.filter(is_demo=True, is_active=True).count() == on_sale


SYSTEM_HEADER = (
    "manufacturer;model_line;model;kind;slots;max_per_slot_gb;max_total_gb;generations;"
    "form_factor;ecc;supports_registered"
)


def test_systems_take_values_as_typed_and_say_what_an_empty_cell_needs(tmp_path):
    good = "HP;Z;Z440;workstation;8;16;128;ddr4;DIMM;optional;non"
    empty_kind = "HP;Z;Z640;;8;16;128;DDR4;SO-DIMM;oui;non"
    path = french_csv(tmp_path, [good, empty_kind], header=SYSTEM_HEADER, name="systems.csv")
    dataset = catalog_file_read(path)
    result = catalog_import(kind="systems", dataset=dataset, dry_run=True)
    problems = import_problems(result, resource=SystemResource(), headers=dataset.headers)
    assert problems == [
        "Row 3, column kind, value “”: The cell is empty. "
        "Accepted: Laptop, Desktop, Mini PC, Server, Workstation."
    ]
    path = french_csv(tmp_path, [good], header=SYSTEM_HEADER, name="good.csv")
    catalog_import(kind="systems", dataset=catalog_file_read(path), dry_run=False)
    system = System.objects.get(model="Z440")
    assert (system.generations, system.form_factor, system.ecc_support) == (
        "DDR4",
        "DIMM",
        "optional",
    )


def test_an_imported_row_over_a_demo_row_is_real_data(tmp_path):
    demo_loaded()
    demo = Module.objects.filter(is_demo=True).first()
    row = f"{demo.part_number};Offtek;DDR4;SO-DIMM;8;1;3200;22;1200;no;no;30,00;35,00;4;yes"
    dataset = catalog_file_read(french_csv(tmp_path, [row]))
    catalog_import(kind="modules", dataset=dataset, dry_run=False, demo="keep")
    demo.refresh_from_db()
    assert not demo.is_demo and demo.price_pence == 3000
