"""Reading a catalog file as staff save it: CSV (UTF-8 or a Windows spreadsheet's
encoding, comma or semicolon separated) or XLSX, with headers in any case, refused
before parsing when too large (a 50 MB CSV, or a workbook unpacking to hundreds of
megabytes, would hold a web worker)."""

import csv
import io
import re
import zipfile
from pathlib import Path

import tablib
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX

# A catalog of a few thousand rows is well under a megabyte.
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 25 * 1024 * 1024  # an XLSX is a zip: its sheets unpacked
MAX_ROWS = 20_000


class CatalogImportRefused(ValueError):
    """A file the import cannot read (unknown kind or format, too large) or may not
    import (demo data on sale and the choice was to refuse)."""


def _size_label(size):
    return f"{size // (1024 * 1024)} MB"


def file_size_check(size):
    if size > MAX_FILE_BYTES:
        raise CatalogImportRefused(
            _("The file is %(size)s; the import takes files of up to %(limit)s.")
            % {
                "size": _size_label(size) if size >= 1024 * 1024 else f"{size} B",
                "limit": _size_label(MAX_FILE_BYTES),
            }
        )


def _unpacked_size_check(content):
    """An XLSX file is a zip archive: refuse one whose contents unpack past the limit,
    reading only the archive's directory."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(entry.file_size for entry in archive.infolist())
    except zipfile.BadZipFile as error:
        raise CatalogImportRefused(
            _("The file cannot be read as an Excel workbook (XLSX).")
        ) from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise CatalogImportRefused(
            _("The workbook unpacks to %(size)s; the import takes up to %(limit)s.")
            % {"size": _size_label(unpacked), "limit": _size_label(MAX_UNPACKED_BYTES)}
        )


def _rows_check(dataset):
    if dataset.height > MAX_ROWS:
        raise CatalogImportRefused(
            _("The file has %(rows)s rows; the import takes up to %(limit)s at a time.")
            % {"rows": dataset.height, "limit": MAX_ROWS}
        )


# Headers as staff type them: any case, spaces or hyphens for underscores, and a few
# French names.
HEADER_ALIASES = {
    "reference": "part_number",
    "référence": "part_number",
    "marque": "brand",
    "génération": "generation",
    "generation_memoire": "generation",
    "format": "form_factor",
    "capacite_go": "capacity_gb",
    "capacité_go": "capacity_gb",
    "prix_eur": "price_eur",
    "prix_gbp": "price_gbp",
    "fabricant": "manufacturer",
}


def _header(name):
    key = re.sub(r"[\s\-]+", "_", str(name or "").strip().lower())
    return HEADER_ALIASES.get(key, key)


def _text(content):
    if isinstance(content, bytes):
        try:
            return content.decode("utf-8-sig")
        except UnicodeDecodeError:
            return content.decode("cp1252")  # a spreadsheet's "CSV" on Windows
    return content


def _delimiter(text):
    """Semicolons (a French spreadsheet's CSV) or commas: whichever the header has more of."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


class SniffedCSV(CSV):
    """CSV in UTF-8 (or a Windows spreadsheet's encoding), comma or semicolon separated.
    Read as bytes, so the admin's upload is decoded here, not by the temporary store."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = _text(in_stream)
        file_size_check(len(text.encode("utf-8")))
        reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
        rows = [row for row in reader if any(cell.strip() for cell in row)]
        dataset = tablib.Dataset()
        if rows:
            dataset.headers = [_header(name) for name in rows[0]]
            width = len(rows[0])
            for row in rows[1 : MAX_ROWS + 2]:
                dataset.append((row + [""] * width)[:width])
        _rows_check(dataset)
        return dataset


class CheckedXLSX(XLSX):
    """XLSX, refused before it is unpacked if its contents are too large."""

    def create_dataset(self, in_stream, **kwargs):
        file_size_check(len(in_stream))
        _unpacked_size_check(in_stream)
        dataset = super().create_dataset(in_stream, **kwargs)
        dataset.headers = [_header(name) for name in dataset.headers or []]
        _rows_check(dataset)
        return dataset


def catalog_file_read(path) -> object:
    """The rows of a CSV (UTF-8 or Windows, comma or semicolon) or XLSX file as a
    tablib Dataset; a file too large, or unpacking too large, is refused unread."""
    formats = {".csv": SniffedCSV, ".xlsx": CheckedXLSX}
    file_format = formats.get(Path(path).suffix.lower())
    if file_format is None:
        raise CatalogImportRefused(_("Give a .csv or .xlsx file."))
    file_size_check(Path(path).stat().st_size)
    content = Path(path).read_bytes()
    try:
        return file_format().create_dataset(content)
    except CatalogImportRefused:
        raise
    except Exception as error:  # noqa: BLE001 - a file that is not what its name says
        raise CatalogImportRefused(
            _("The file cannot be read as %(format)s.") % {"format": file_format().get_title()}
        ) from error


# The downloadable template: every column staff fill in, and one example row.
TEMPLATE_ROWS = {
    "module": {
        "part_number": "CT16G4SFRA32A",
        "brand": "Crucial",
        "generation": "DDR4",
        "form_factor": "SO-DIMM",
        "capacity_gb": "16",
        "kit_size": "1",
        "speed_mts": "3200",
        "cas_latency": "22",
        "voltage_mv": "1200",
        "ecc": "no",
        "registered": "no",
        "ranks": "1",
        "price_gbp": "45.99",
        "price_eur": "52.99",
        "stock": "25",
        "warranty_years": "",
        "is_active": "yes",
    },
    "system": {
        "manufacturer": "Lenovo",
        "model_line": "ThinkPad",
        "model": "ThinkPad T460p",
        "kind": "laptop",
        "year": "2016",
        "slots": "2",
        "soldered_gb": "0",
        "max_per_slot_gb": "16",
        "max_total_gb": "32",
        "generations": "DDR4",
        "form_factor": "SO-DIMM",
        "max_speed_mts": "2133",
        "ecc": "none",
        "max_ranks": "",
        "max_module_voltage_mv": "",
        "supports_registered": "no",
        "source_url": "https://example.com/manual.pdf",
        "pinned_modules": "",
        "excluded_modules": "",
    },
}


def import_template_csv(model_name: str) -> str:
    """A CSV file staff can fill in: the header and one example row."""
    example = TEMPLATE_ROWS[model_name]
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(example.keys())
    writer.writerow(example.values())
    return output.getvalue()
