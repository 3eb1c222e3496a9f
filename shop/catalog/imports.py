"""Loading a real catalog from a file: modules and systems (with their compatibility and
staff's pinned or excluded modules), from CSV or XLSX, built on django-import-export.

The same resources serve the admin's import page (dry run, then confirm) and
`manage.py import_catalog`. Every bad value is a field error in plain words, in the
reader's language; a file with any bad row writes nothing. Each saved row gets a history
record ("catalog import", by the staff member who imported it), cached catalog pages
are retired, and the "demo data" banner goes once a real catalog is loaded.
"""

from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from shop.catalog.cache import catalog_version_bump
from shop.catalog.services import catalog_source_set
from shop.models import Manufacturer, Module, OverrideKind, System, SystemModuleOverride

IMPORT_FORMATS = [CSV, XLSX]
CHANGE_REASON = "catalog import"


class CatalogImportRefused(ValueError):
    """A file the import cannot read (unknown kind or format)."""


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number of at least `minimum`; empty is None (the model says if allowed)."""

    def __init__(self, *, minimum=0, **kwargs):
        self.minimum = minimum
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a whole number.") % {"value": value})
        if number < self.minimum or number.adjusted() > 9:
            raise ValueError(
                _("%(value)s is out of range: give a whole number of at least %(minimum)s.")
                % {"value": value, "minimum": self.minimum}
            )
        return int(number)


class YesNoWidget(widgets.BooleanWidget):
    """yes/no (also oui/non, true/false, 1/0); empty is "no"."""

    YES = {"yes", "y", "oui", "o", "true", "1", "x"}
    NO = {"no", "n", "non", "false", "0", ""}

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip().lower()
        if text in self.YES or value is True:
            return True
        if text in self.NO or value is False:
            return False
        raise ValueError(_("“%(value)s” is not yes or no.") % {"value": value})


class ManufacturerWidget(widgets.ForeignKeyWidget):
    """The manufacturer by name; a new name adds the manufacturer."""

    def __init__(self):
        super().__init__(Manufacturer, field="name")

    def clean(self, value, row=None, **kwargs):
        name = str(value or "").strip()
        if not name:
            raise ValueError(_("The manufacturer is missing."))
        if len(name) > 64:
            raise ValueError(_("The manufacturer's name is longer than 64 characters."))
        manufacturer = Manufacturer.objects.filter(name__iexact=name).first()
        if manufacturer is None:
            manufacturer = Manufacturer.objects.create(name=name, slug=slugify(name)[:80])
        return manufacturer


def _number(attribute, *, minimum=0):
    return fields.Field(
        attribute=attribute, column_name=attribute, widget=WholeNumberWidget(minimum=minimum)
    )


def _yes_no(attribute):
    return fields.Field(attribute=attribute, column_name=attribute, widget=YesNoWidget())


class CatalogResource(resources.ModelResource):
    """What both kinds of row share: history, cache and the demo flag."""

    def before_save_instance(self, instance, row, **kwargs):
        instance._change_reason = CHANGE_REASON
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        catalog_version_bump()
        catalog_source_set(is_demo=False)


class ModuleResource(CatalogResource):
    capacity_gb = _number("capacity_gb", minimum=1)
    kit_size = _number("kit_size", minimum=1)
    speed_mts = _number("speed_mts", minimum=1)
    cas_latency = _number("cas_latency", minimum=1)
    voltage_mv = _number("voltage_mv", minimum=1)
    price_pence = _number("price_pence", minimum=1)
    price_eur_cents = _number("price_eur_cents", minimum=1)
    stock = _number("stock")
    warranty_years = _number("warranty_years", minimum=1)
    ecc = _yes_no("ecc")
    registered = _yes_no("registered")
    is_active = _yes_no("is_active")

    class Meta:
        model = Module
        import_id_fields = ["part_number"]
        fields = [
            "part_number",
            "slug",
            "brand",
            "generation",
            "form_factor",
            "capacity_gb",
            "kit_size",
            "speed_mts",
            "cas_latency",
            "voltage_mv",
            "ecc",
            "registered",
            "price_pence",
            "price_eur_cents",
            "stock",
            "warranty_years",
            "is_active",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        if not instance.slug:
            instance.slug = slugify(instance.part_number)[:80]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's checks, less its CheckConstraints: the widgets above already hold
        each of those numbers to its minimum (the database still enforces them), and
        checking them costs four queries a row."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=errors.keys(), validate_unique=validate_unique, validate_constraints=False
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def _part_numbers(text):
    parts = str(text or "").replace(",", ";").split(";")
    return sorted({part.strip() for part in parts if part.strip()})


class SystemResource(CatalogResource):
    manufacturer = fields.Field(
        attribute="manufacturer", column_name="manufacturer", widget=ManufacturerWidget()
    )
    year = _number("year", minimum=1990)
    slots = _number("slots")
    soldered_gb = _number("soldered_gb")
    max_per_slot_gb = _number("max_per_slot_gb", minimum=1)
    max_total_gb = _number("max_total_gb", minimum=1)
    max_speed_mts = _number("max_speed_mts", minimum=1)
    supports_ecc = _yes_no("supports_ecc")
    supports_registered = _yes_no("supports_registered")
    pinned_modules = fields.Field(column_name="pinned_modules", readonly=True)
    excluded_modules = fields.Field(column_name="excluded_modules", readonly=True)

    class Meta:
        model = System
        import_id_fields = ["manufacturer", "model_line", "model"]
        fields = [
            "manufacturer",
            "model_line",
            "model",
            "slug",
            "kind",
            "year",
            "slots",
            "soldered_gb",
            "max_per_slot_gb",
            "max_total_gb",
            "generations",
            "form_factor",
            "max_speed_mts",
            "supports_ecc",
            "supports_registered",
            "source_url",
            "pinned_modules",
            "excluded_modules",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_or_init_instance(self, instance_loader, row):
        """The system is found by its manufacturer: a bad manufacturer is a field error
        like any other, not a failure of the row."""
        try:
            return super().get_or_init_instance(instance_loader, row)
        except ValueError as error:
            raise ValidationError({"manufacturer": [str(error)]}) from error

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not instance.slug and instance.model:
            maker = getattr(instance, "manufacturer", None) if instance.manufacturer_id else None
            instance.slug = slugify(f"{maker or ''} {instance.model_line} {instance.model}")[:150]
        instance.override_parts = {}
        for column, kind in (
            ("pinned_modules", OverrideKind.PIN),
            ("excluded_modules", OverrideKind.EXCLUDE),
        ):
            if column not in row:
                continue
            parts = _part_numbers(row[column])
            known = set(
                Module.objects.filter(part_number__in=parts).values_list("part_number", flat=True)
            )
            if unknown := [part for part in parts if part not in known]:
                errors[column] = ValidationError(
                    _("No module has the part number %(parts)s.") % {"parts": ", ".join(unknown)}
                )
            instance.override_parts[kind] = parts
        both = set(instance.override_parts.get(OverrideKind.PIN, ())) & set(
            instance.override_parts.get(OverrideKind.EXCLUDE, ())
        )
        if both:
            errors["excluded_modules"] = ValidationError(
                _("A module cannot be both pinned and excluded: %(parts)s.")
                % {"parts": ", ".join(sorted(both))}
            )
        if errors:
            raise ValidationError(errors)

    def _overrides_changed(self, instance):
        """The kinds whose pinned or excluded part numbers the row changes."""
        changed = []
        for kind, parts in getattr(instance, "override_parts", {}).items():
            current = []
            if instance.pk:
                current = list(
                    SystemModuleOverride.objects.filter(system=instance, kind=kind)
                    .order_by("module__part_number")
                    .values_list("module__part_number", flat=True)
                )
            if current != parts:
                changed.append(kind)
        return changed

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """Unchanged only if the pinned and excluded modules are unchanged too."""
        instance.overrides_changed = self._overrides_changed(instance)
        if instance.overrides_changed:
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        for kind in getattr(instance, "overrides_changed", ()):
            parts = instance.override_parts[kind]
            SystemModuleOverride.objects.filter(system=instance, kind=kind).delete()
            SystemModuleOverride.objects.filter(
                system=instance, module__part_number__in=parts
            ).delete()
            SystemModuleOverride.objects.bulk_create(
                SystemModuleOverride(system=instance, module=module, kind=kind)
                for module in Module.objects.filter(part_number__in=parts)
            )


RESOURCES = {"modules": ModuleResource, "systems": SystemResource}


def catalog_file_read(path) -> object:
    """The rows of a CSV (UTF-8) or XLSX file as a tablib Dataset."""
    formats = {".csv": CSV, ".xlsx": XLSX}
    file_format = formats.get(Path(path).suffix.lower())
    if file_format is None:
        raise CatalogImportRefused(_("Give a .csv or .xlsx file."))
    content = Path(path).read_bytes()
    try:
        if file_format is CSV:
            content = content.decode("utf-8-sig")
        return file_format().create_dataset(content)
    except Exception as error:  # noqa: BLE001 - a file that is not what its name says
        raise CatalogImportRefused(
            _("The file cannot be read as %(format)s.") % {"format": file_format().get_title()}
        ) from error


def import_problems(result) -> list[str]:
    """Every row's errors, in plain words: "Row 3, price_pence: ..." (the header is
    row 1, as in a spreadsheet)."""
    problems = [_("File: %(error)s") % {"error": error.error} for error in result.base_errors]
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(_("Row %(row)s: %(error)s") % {"row": number + 1, "error": error.error})
    for row in result.invalid_rows:
        for field, messages in row.error_dict.items():
            for message in messages:
                problems.append(
                    _("Row %(row)s, %(field)s: %(error)s")
                    % {"row": row.number + 1, "field": field, "error": message}
                )
    return problems


def catalog_import(*, kind: str, dataset, dry_run: bool, user=None):
    """Import `dataset` as `kind` ("modules" or "systems"). Nothing is written when
    `dry_run` is True or when any row is bad. Returns django-import-export's Result."""
    resource_class = RESOURCES.get(kind)
    if resource_class is None:
        raise CatalogImportRefused(_("The kind of rows must be modules or systems."))
    return resource_class().import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
    )
