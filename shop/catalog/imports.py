"""Loading a real catalog from a file: modules and systems (with their compatibility and
staff's pinned or excluded modules), from CSV or XLSX, built on django-import-export.

The same resources serve the admin's import page (dry run, then confirm) and
`manage.py import_catalog`. Every bad value is a field error in plain words, in the
reader's language; a file with any bad row writes nothing. Each saved row gets a history
record ("catalog import", by the staff member who imported it), cached catalog pages
are retired. Demo data still on sale is refused, replaced (taken off sale) or kept
(marked, with its banner), as staff choose (DemoPolicy). Reading files (CSV with commas
or semicolons, XLSX, size limits) is import_files.py; the cells, import_widgets.py.
"""

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from import_export import fields, resources

from shop.catalog.cache import catalog_version_bump
from shop.catalog.import_files import (
    MAX_FILE_BYTES,
    CatalogImportRefused,
    CheckedXLSX,
    SniffedCSV,
    catalog_file_read,
    file_size_check,
    import_template_csv,
)
from shop.catalog.import_widgets import (
    ChoiceListWidget,
    ChoiceWidget,
    ManufacturerWidget,
    MoneyWidget,
    WholeNumberWidget,
    YesNoWidget,
)
from shop.catalog.services import catalog_source_set, demo_data_remove
from shop.models import (
    EccSupport,
    FormFactor,
    Generation,
    Module,
    OverrideKind,
    System,
    SystemKind,
    SystemModuleOverride,
)
from shop.models.catalog import SYSTEM_GENERATIONS

CHANGE_REASON = "catalog import"


# Files are refused before they are parsed past these: a catalog of a few thousand rows
# is well under a megabyte; a bigger file would hold a web worker for minutes.
class DemoPolicy:
    """What an import does to the demo catalog's rows when they are still on sale."""

    REPLACE = "replace"  # take every demo module off sale, delete the made-up systems
    KEEP = "keep"  # keep them on sale, marked demo (the banner stays)
    REFUSE = "refuse"  # import nothing while demo data is on sale
    CHOICES = [
        (REFUSE, _lazy("Refuse to mix: import nothing while demo data is on sale")),
        (REPLACE, _lazy("Replace the demo data: take demo modules off sale")),
        (KEEP, _lazy("Keep the demo data on sale, marked as demo")),
    ]


def _number(attribute, *, minimum=0):
    return fields.Field(
        attribute=attribute, column_name=attribute, widget=WholeNumberWidget(minimum=minimum)
    )


def _yes_no(attribute):
    return fields.Field(attribute=attribute, column_name=attribute, widget=YesNoWidget())


def _choice(attribute, choices, *, column=None, aliases=None):
    return fields.Field(
        attribute=attribute,
        column_name=column or attribute,
        widget=ChoiceWidget(choices, aliases=aliases),
    )


def _money(attribute, *, column, currency):
    return fields.Field(
        attribute=attribute, column_name=column, widget=MoneyWidget(currency=currency)
    )


FORM_FACTOR_ALIASES = {"UDIMM": FormFactor.DIMM, "SO DIMM": FormFactor.SODIMM}
ECC_ALIASES = {
    "yes": EccSupport.REQUIRED,
    "oui": EccSupport.REQUIRED,
    "obligatoire": EccSupport.REQUIRED,
    "either": EccSupport.OPTIONAL,
    "facultatif": EccSupport.OPTIONAL,
    "no": EccSupport.NONE,
    "non": EccSupport.NONE,
    "aucun": EccSupport.NONE,
}
KIND_ALIASES = {
    "portable": SystemKind.LAPTOP,
    "serveur": SystemKind.SERVER,
    "bureau": SystemKind.DESKTOP,
}


def demo_mix_check(demo):
    """Refuse, when the choice is to refuse, while demo modules are on sale."""
    if demo == DemoPolicy.REFUSE and Module.objects.filter(is_demo=True, is_active=True).exists():
        raise CatalogImportRefused(
            _(
                "Demo data is still on sale. Choose to replace it (demo modules are "
                "taken off sale) or to keep it on sale, marked as demo."
            )
        )


class CatalogResource(resources.ModelResource):
    """What both kinds of row share: history, cache, the demo data and errors that name
    the column, the value and what is accepted."""

    # Column -> what it accepts, said when a needed cell is empty.
    EXPECTED = {}

    def __init__(self, *, demo=DemoPolicy.REFUSE, **kwargs):
        self.demo = demo
        super().__init__(**kwargs)

    def before_import(self, dataset, **kwargs):
        demo_mix_check(self.demo)

    def before_save_instance(self, instance, row, **kwargs):
        instance.is_demo = False  # a row staff import is real data, even over a demo row
        instance._change_reason = CHANGE_REASON
        user = kwargs.get("user")
        if user is not None and user.is_authenticated:
            instance._history_user = user

    def after_import(self, dataset, result, **kwargs):
        if kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        if self.demo == DemoPolicy.REPLACE:
            demo_data_remove()
        catalog_version_bump()
        catalog_source_set(is_demo=Module.objects.filter(is_demo=True, is_active=True).exists())

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's checks, less its CheckConstraints (the widgets already hold each
        number to its minimum, the database still enforces them, and checking them costs
        queries). An empty needed cell is said in words: the column and what it takes."""
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(
                exclude=errors.keys(), validate_unique=validate_unique, validate_constraints=False
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                if field in errors:
                    continue
                if field == "slug" and "part_number" in error.message_dict:
                    continue  # the slug comes from the part number: one error is enough
                if field in self.EXPECTED and any(
                    code in ("null", "blank", "required")
                    for code in (e.code for e in error.error_dict[field])
                ):
                    messages = [
                        _("The cell is empty. Accepted: %(expected)s.")
                        % {"expected": self.EXPECTED[field]}
                    ]
                errors[field] = ValidationError(messages)
        if errors:
            raise ValidationError(errors)


class ModuleResource(CatalogResource):
    generation = _choice("generation", Generation.choices)
    form_factor = _choice("form_factor", FormFactor.choices, aliases=FORM_FACTOR_ALIASES)
    price_gbp = _money("price_pence", column="price_gbp", currency=_lazy("pounds"))
    price_eur = _money("price_eur_cents", column="price_eur", currency=_lazy("euros"))
    ranks = _number("ranks", minimum=1)
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
            "ranks",
            "price_gbp",
            "price_pence",
            "price_eur",
            "price_eur_cents",
            "stock",
            "warranty_years",
            "is_active",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    EXPECTED = {
        "part_number": _lazy("the maker's part number"),
        "brand": _lazy("the maker's name"),
        "generation": ", ".join(Generation.values),
        "form_factor": ", ".join(str(label) for _value, label in FormFactor.choices),
        "capacity_gb": _lazy("a whole number of gigabytes per module, such as 16"),
        "speed_mts": _lazy("the speed in MT/s, such as 3200"),
        "cas_latency": _lazy("a whole number, such as 22"),
        "voltage_mv": _lazy("the voltage in millivolts, such as 1200"),
        "price_pence": _lazy("price_gbp such as 45.99, or price_pence such as 4599"),
        "price_eur_cents": _lazy("price_eur such as 52,99, or price_eur_cents such as 5299"),
    }

    def import_instance(self, instance, row, **kwargs):
        try:
            super().import_instance(instance, row, **kwargs)
        finally:  # a bad cell elsewhere must not add a spurious "slug is blank"
            if not instance.slug and instance.part_number:
                instance.slug = slugify(instance.part_number)[:80]


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
    kind = _choice("kind", SystemKind.choices, aliases=KIND_ALIASES)
    generations = fields.Field(
        attribute="generations",
        column_name="generations",
        widget=ChoiceListWidget([(value, value) for value in SYSTEM_GENERATIONS]),
    )
    form_factor = fields.Field(
        attribute="form_factor",
        column_name="form_factor",
        widget=ChoiceListWidget(FormFactor.choices, aliases=FORM_FACTOR_ALIASES),
    )
    ecc_support = _choice("ecc_support", EccSupport.choices, column="ecc", aliases=ECC_ALIASES)
    max_ranks = _number("max_ranks", minimum=1)
    max_module_voltage_mv = _number("max_module_voltage_mv", minimum=1)
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
            "ecc_support",
            "max_ranks",
            "max_module_voltage_mv",
            "supports_registered",
            "source_url",
            "pinned_modules",
            "excluded_modules",
        ]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    EXPECTED = {
        "model_line": _lazy("the line the model is listed under, such as ThinkPad"),
        "model": _lazy("the model's name, such as ThinkPad T460p"),
        "kind": ", ".join(str(label) for _value, label in SystemKind.choices),
        "slots": _lazy("a whole number of memory slots, 0 if none"),
        "max_total_gb": _lazy("the most memory in gigabytes, such as 32"),
        "ecc_support": ", ".join(EccSupport.values),
    }

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


def _column_for(resource, attribute, values):
    """The file's column behind a model field (price_pence may come from price_gbp):
    the one the row has a value in."""
    columns = [
        field.column_name for field in resource.get_import_fields() if field.attribute == attribute
    ]
    present = [column for column in columns if values.get(column, "---") != "---"]
    return (present or columns or [attribute])[0]


def import_problems(result, *, resource=None, headers=()) -> list[str]:
    """Every problem, in plain words, naming the row (the header is row 1, as in a
    spreadsheet), the column, the value and what would be accepted."""
    return [
        problem["text"]
        for problem in import_problem_rows(result, resource=resource, headers=headers)
    ]


def import_problem_rows(result, *, resource=None, headers=()) -> list[dict]:
    """The problems as rows for a table: row, column, value and text."""
    problems = [
        {
            "row": None,
            "column": None,
            "value": None,
            "text": _("File: %(error)s") % {"error": error.error},
        }
        for error in result.base_errors
    ]
    for number, errors in result.row_errors():
        for error in errors:
            problems.append(
                {
                    "row": number + 1,
                    "column": None,
                    "value": None,
                    "text": _("Row %(row)s: %(error)s") % {"row": number + 1, "error": error.error},
                }
            )
    for row in result.invalid_rows:
        values = dict(zip(result.diff_headers, row.values, strict=False))
        for field, messages in row.error_dict.items():
            column = _column_for(resource, field, values) if resource else field
            value = values.get(column, "")
            value = "" if value in ("---", None) else value
            for message in messages:
                problems.append(
                    {
                        "row": row.number + 1,
                        "column": column,
                        "value": value,
                        "text": _("Row %(row)s, column %(column)s, value “%(value)s”: %(error)s")
                        % {
                            "row": row.number + 1,
                            "column": column,
                            "value": value,
                            "error": message,
                        },
                    }
                )
    return problems


def catalog_import(*, kind: str, dataset, dry_run: bool, user=None, demo=DemoPolicy.REFUSE):
    """Import `dataset` as `kind` ("modules" or "systems"). Nothing is written when
    `dry_run` is True or when any row is bad. `demo` says what happens to demo data
    still on sale (DemoPolicy). Returns django-import-export's Result."""
    resource_class = RESOURCES.get(kind)
    if resource_class is None:
        raise CatalogImportRefused(_("The kind of rows must be modules or systems."))
    if demo not in {value for value, _label in DemoPolicy.CHOICES}:
        raise CatalogImportRefused(_("Say what happens to the demo data: replace, keep or refuse."))
    demo_mix_check(demo)
    return resource_class(demo=demo).import_data(
        dataset,
        dry_run=dry_run,
        use_transactions=True,
        rollback_on_validation_errors=True,
        user=user,
    )


IMPORT_FORMATS = [SniffedCSV, CheckedXLSX]
__all__ = [
    "IMPORT_FORMATS",
    "MAX_FILE_BYTES",
    "CatalogImportRefused",
    "DemoPolicy",
    "catalog_file_read",
    "catalog_import",
    "file_size_check",
    "import_problem_rows",
    "import_problems",
    "import_template_csv",
]
