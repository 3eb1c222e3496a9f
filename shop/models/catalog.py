"""The catalog: memory modules, the computer systems they go in, and staff overrides."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from privacy.history import HistoricalRecords


def gigabytes(size):
    """A size in the shopper's language: "16 GB", or "16 Go" in French."""
    return gettext("%(size)s GB") % {"size": size}


def volts(millivolts):
    """A voltage in the active language's number format: "1.35 V", "1,35 V"."""
    return f"{number_format(Decimal(millivolts) / 1000, 2)} V"


class Generation(models.TextChoices):
    DDR3 = "DDR3", "DDR3"
    DDR3L = "DDR3L", "DDR3L"
    DDR4 = "DDR4", "DDR4"
    DDR5 = "DDR5", "DDR5"


class FormFactor(models.TextChoices):
    DIMM = "DIMM", "DIMM"
    SODIMM = "SODIMM", "SO-DIMM"
    RDIMM = "RDIMM", "RDIMM"
    LRDIMM = "LRDIMM", "LRDIMM"


# What a computer's memory can be: the generations we sell modules of, and the soldered
# low-power ones a system may have instead.
SYSTEM_GENERATIONS = [*Generation.values, "LPDDR3", "LPDDR4", "LPDDR4X", "LPDDR5", "LPDDR5X"]


def _listed_values(value):
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def validate_generation_list(value):
    unknown = [item for item in _listed_values(value) if item not in SYSTEM_GENERATIONS]
    if unknown or not _listed_values(value):
        raise ValidationError(
            _("Give one or more memory generations, separated by commas, from: %(known)s."),
            code="unknown_generation",
            params={"known": ", ".join(SYSTEM_GENERATIONS)},
        )


def validate_form_factor_list(value):
    if any(item not in FormFactor.values for item in _listed_values(value)):
        raise ValidationError(
            _("Give the form factors separated by commas, from: %(known)s (or leave it empty)."),
            code="unknown_form_factor",
            params={"known": ", ".join(FormFactor.values)},
        )


class EccSupport(models.TextChoices):
    """What a system says of ECC modules: it needs them, takes either, or takes none."""

    REQUIRED = "required", _("ECC modules only")
    OPTIONAL = "optional", _("ECC or non-ECC modules")
    NONE = "none", _("non-ECC modules only")


class EccCondition(models.TextChoices):
    """A processor condition on ECC, as the system's source states it."""

    NONE = "", _("No condition")
    XEON_I3_PENTIUM = (
        "xeon-i3-pentium",
        _(
            "ECC works only with an Intel Xeon, Core i3 or Pentium processor; with a Core i5 "
            "or i7, use non-ECC modules."
        ),
    )


class SystemKind(models.TextChoices):
    LAPTOP = "laptop", _("Laptop")
    DESKTOP = "desktop", _("Desktop")
    MINI = "mini", _("Mini PC")
    SERVER = "server", _("Server")
    WORKSTATION = "workstation", _("Workstation")


class Module(models.Model):
    """A memory module (or a kit of identical modules) that we sell."""

    part_number = models.CharField(_("part number"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    brand = models.CharField(_("brand"), max_length=64)
    generation = models.CharField(_("generation"), max_length=8, choices=Generation.choices)
    form_factor = models.CharField(_("form factor"), max_length=8, choices=FormFactor.choices)
    capacity_gb = models.PositiveSmallIntegerField(_("capacity per module (GB)"))
    kit_size = models.PositiveSmallIntegerField(_("modules in the kit"), default=1)
    speed_mts = models.PositiveIntegerField(_("speed (MT/s)"))
    cas_latency = models.PositiveSmallIntegerField(_("CAS latency"))
    voltage_mv = models.PositiveIntegerField(_("voltage (mV)"))
    ecc = models.BooleanField(_("ECC"), default=False)
    registered = models.BooleanField(_("registered"), default=False)
    ranks = models.PositiveSmallIntegerField(
        _("ranks"), null=True, blank=True, help_text=_("Empty if the maker does not state it.")
    )
    price_pence = models.PositiveIntegerField(_("price in pence, VAT included"))
    # The France market's own price list: euro cents, French VAT included. Set by staff
    # (or the import), never converted from pounds at checkout.
    price_eur_cents = models.PositiveIntegerField(_("price in euro cents, VAT included"))
    stock = models.PositiveIntegerField(_("stock"), default=0)
    warranty_years = models.PositiveSmallIntegerField(
        _("warranty (years)"), null=True, blank=True, help_text=_("Empty for a lifetime warranty.")
    )
    is_active = models.BooleanField(_("on sale"), default=True, db_index=True)
    # Loaded by load_demo_catalog: demo price and stock (a real part number's facts may
    # still be real). A banner tells shoppers while any such module is on sale.
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("memory module")
        verbose_name_plural = _("memory modules")
        ordering = ["generation", "capacity_gb", "price_pence"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stock__gte=0), name="module_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(price_pence__gt=0), name="module_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(price_eur_cents__gt=0), name="module_price_eur_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(kit_size__gte=1), name="module_kit_size_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity_gb__gt=0), name="module_capacity_positive"
            ),
        ]
        indexes = [
            models.Index(fields=["generation", "form_factor", "capacity_gb"]),
            models.Index(fields=["price_pence"]),
        ]

    def __str__(self):
        return (
            f"{self.brand} {self.total_capacity_label} {self.generation}-{self.speed_mts} "
            f"{self.get_form_factor_display()}"
        )

    def get_absolute_url(self):
        return reverse("shop:module-detail", kwargs={"slug": self.slug})

    @property
    def total_capacity_gb(self):
        return self.capacity_gb * self.kit_size

    @property
    def total_capacity_label(self):
        if self.kit_size > 1:
            return gettext("%(total)s GB (%(kit)s x %(size)s GB)") % {
                "total": self.total_capacity_gb,
                "kit": self.kit_size,
                "size": self.capacity_gb,
            }
        return gigabytes(self.capacity_gb)

    @property
    def voltage_label(self):
        """ "1.20 V", or "1,20 V" in French: the active language's decimal separator."""
        return volts(self.voltage_mv)

    @property
    def warranty_lifetime(self):
        return self.warranty_years is None


class Manufacturer(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("manufacturer")
        verbose_name_plural = _("manufacturers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class System(models.Model):
    """A computer model and the memory it takes. An empty number means the source of the
    facts does not say (never "none" or "any")."""

    manufacturer = models.ForeignKey(Manufacturer, on_delete=models.PROTECT, related_name="systems")
    model_line = models.CharField(_("model line"), max_length=64)
    model = models.CharField(_("model"), max_length=96)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=SystemKind.choices)
    year = models.PositiveSmallIntegerField(_("year of release"), null=True, blank=True)
    slots = models.PositiveSmallIntegerField(_("memory slots"))
    soldered_gb = models.PositiveSmallIntegerField(
        _("soldered memory (GB)"),
        null=True,
        blank=True,
        default=0,
        help_text=_("0 for none; empty when it depends on the configuration bought."),
    )
    max_per_slot_gb = models.PositiveSmallIntegerField(
        _("maximum per slot (GB)"), null=True, blank=True, help_text=_("Empty if not stated.")
    )
    max_total_gb = models.PositiveIntegerField(_("maximum in total (GB)"))
    generations = models.CharField(
        _("supported generations"),
        max_length=32,
        validators=[validate_generation_list],
        help_text=_("Comma-separated, e.g. DDR4 or DDR3,DDR3L."),
    )
    form_factor = models.CharField(
        _("form factors"),
        max_length=32,
        blank=True,
        validators=[validate_form_factor_list],
        help_text=_("Comma-separated, e.g. SODIMM or RDIMM,LRDIMM; empty if none or not stated."),
    )
    max_speed_mts = models.PositiveIntegerField(
        _("maximum speed (MT/s)"), null=True, blank=True, help_text=_("Empty if not stated.")
    )
    ecc_support = models.CharField(
        _("ECC"), max_length=8, choices=EccSupport.choices, default=EccSupport.NONE
    )
    ecc_condition = models.CharField(
        _("condition on ECC"), max_length=24, choices=EccCondition.choices, blank=True, default=""
    )
    max_ranks = models.PositiveSmallIntegerField(
        _("most ranks per module"), null=True, blank=True, help_text=_("Empty if not stated.")
    )
    max_module_voltage_mv = models.PositiveIntegerField(
        _("highest module voltage (mV)"),
        null=True,
        blank=True,
        help_text=_("Empty if not stated; 1350 for a system that takes only DDR3L (1.35 V)."),
    )
    supports_registered = models.BooleanField(_("supports registered"), default=False)
    # A made-up machine of the demo catalog (real machines keep is_demo False: their
    # facts are real, from real_systems.csv).
    is_demo = models.BooleanField(_("demo data"), default=False)
    source_url = models.URLField(
        _("source of the memory facts"),
        max_length=500,
        blank=True,
        help_text=_("The manufacturer's manual or specification page the facts come from."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("computer system")
        verbose_name_plural = _("computer systems")
        ordering = ["manufacturer__name", "model_line", "model"]
        constraints = [
            models.UniqueConstraint(
                fields=["manufacturer", "model_line", "model"], name="system_unique_model"
            ),
        ]

    def __str__(self):
        return f"{self.manufacturer.name} {self.name}"

    def get_absolute_url(self):
        return reverse("shop:system-detail", kwargs={"slug": self.slug})

    @property
    def name(self):
        """The model as sold: "ThinkPad T480" (line ThinkPad T, model ThinkPad T480) or
        "Latitude 5000 5490" when the model alone does not name the line."""
        family = self.model_line.split()[0] if self.model_line else ""
        if family and self.model.startswith(family):
            return self.model
        return f"{self.model_line} {self.model}".strip()

    @property
    def generation_list(self):
        return _listed_values(self.generations)

    @property
    def form_factor_list(self):
        return _listed_values(self.form_factor)

    @property
    def takes_ecc(self):
        return self.ecc_support != EccSupport.NONE

    @property
    def form_factor_labels(self):
        return [FormFactor(code).label for code in self.form_factor_list]


class CatalogSource(models.Model):
    """Where the catalog comes from: one row, saying whether it is the generated demo
    catalog (a banner then says so on every catalog page)."""

    is_demo = models.BooleanField(_("the catalog is demo data"), default=False)
    changed_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("catalog source")
        verbose_name_plural = _("catalog source")

    def __str__(self):
        return str(_("Demo catalog") if self.is_demo else _("Real catalog"))


class OverrideKind(models.TextChoices):
    PIN = "pin", _("Pinned: always shown as compatible")
    EXCLUDE = "exclude", _("Excluded: never shown as compatible")


class SystemModuleOverride(models.Model):
    """Staff's word on one module in one system, over what the specification says."""

    system = models.ForeignKey(System, on_delete=models.CASCADE, related_name="overrides")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="overrides")
    kind = models.CharField(_("override"), max_length=8, choices=OverrideKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("compatibility override")
        verbose_name_plural = _("compatibility overrides")
        constraints = [
            models.UniqueConstraint(fields=["system", "module"], name="override_unique_pair"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.module} / {self.system}"
