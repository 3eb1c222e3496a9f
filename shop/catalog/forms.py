"""The shopper's forms for the catalog: list filters, the memory finder and search.

They validate what comes in the URL and keep only what is valid: a bad value is
dropped, never an error page, so any bookmarked or hand-edited URL shows a page.
"""

from urllib.parse import urlencode

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from offtek.money import Money
from shop.catalog.selectors import DEFAULT_MODULE_SORT, SEARCH_MAX_LENGTH
from shop.markets.rules import Market
from shop.models import FormFactor, Generation, Manufacturer
from shop.models.catalog import gigabytes

CAPACITY_CHOICES_GB = [2, 4, 8, 16, 32, 48, 64, 96, 128, 192, 256, 512]
SPEED_CHOICES_MTS = [1333, 1600, 1866, 2400, 2666, 2933, 3200, 3600, 4800, 5600, 6000]
MAX_PRICE_UNITS = 100_000  # whole pounds or euros
capacity_label = lazy(gigabytes, str)


class BoundedSearchField(forms.CharField):
    """A search box that shortens instead of refusing: long input is cut, not an error."""

    def to_python(self, value):
        return " ".join(super().to_python(value)[:SEARCH_MAX_LENGTH].split())


class ModuleFilterForm(forms.Form):
    generation = forms.MultipleChoiceField(
        label=_("Generation"),
        choices=Generation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    form_factor = forms.MultipleChoiceField(
        label=_("Form factor"),
        choices=FormFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    capacity = forms.TypedChoiceField(
        label=_("Capacity"),
        choices=[("", _("Any"))] + [(str(gb), capacity_label(gb)) for gb in CAPACITY_CHOICES_GB],
        coerce=int,
        empty_value=None,
        required=False,
    )
    speed = forms.TypedChoiceField(
        label=_("Speed at least"),
        choices=[("", _("Any"))] + [(str(mts), f"{mts} MT/s") for mts in SPEED_CHOICES_MTS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    ecc = forms.ChoiceField(
        label=_("ECC"),
        choices=[("", _("Any")), ("yes", _("ECC only")), ("no", _("Non-ECC only"))],
        required=False,
    )
    # In whole units of the market's currency; the labels name it (see __init__).
    price_min = forms.IntegerField(min_value=0, max_value=MAX_PRICE_UNITS, required=False)
    price_max = forms.IntegerField(min_value=0, max_value=MAX_PRICE_UNITS, required=False)
    in_stock = forms.BooleanField(label=_("In stock only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        choices=[
            ("price", _("Price, lowest first")),
            ("-price", _("Price, highest first")),
            ("-capacity", _("Capacity, largest first")),
            ("capacity", _("Capacity, smallest first")),
            ("-speed", _("Speed, fastest first")),
            ("newest", _("Newest first")),
        ],
        required=False,
    )
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)

    def __init__(self, *args, market: Market | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.market = market
        if market is not None:
            symbol = market.symbol
            self.fields["price_min"].label = _("Price from (%(symbol)s)") % {"symbol": symbol}
            self.fields["price_max"].label = _("Price up to (%(symbol)s)") % {"symbol": symbol}

    def filters(self):
        """Keyword arguments for selectors.modules_filtered, from the valid fields only:
        price bounds in the currency of the market the form was made for."""
        self.is_valid()
        data = self.cleaned_data
        ecc = {"yes": True, "no": False}.get(data.get("ecc") or "")
        price_min, price_max = data.get("price_min"), data.get("price_max")
        currency = self.market.currency
        return {
            "market": self.market,
            "generations": data.get("generation") or (),
            "form_factors": data.get("form_factor") or (),
            "capacity_gb": data.get("capacity"),
            "min_speed_mts": data.get("speed"),
            "ecc": ecc,
            "min_price": None if price_min is None else Money.from_units(price_min, currency),
            "max_price": None if price_max is None else Money.from_units(price_max, currency),
            "in_stock": bool(data.get("in_stock")),
            "sort": data.get("sort") or DEFAULT_MODULE_SORT,
        }

    def page_number(self):
        self.is_valid()
        return self.cleaned_data.get("page") or 1

    def canonical_query(self):
        """The query string with only valid, non-default values, in field order: the
        clean, bookmarkable form of whatever the shopper's URL said."""
        self.is_valid()
        pairs = []
        for name in self.fields:
            value = self.cleaned_data.get(name)
            if value in (None, "", [], False) or (name == "page" and value == 1):
                continue
            if name == "sort" and value == DEFAULT_MODULE_SORT:
                continue
            if isinstance(value, list):
                pairs.extend((name, item) for item in value)
            elif value is True:
                pairs.append((name, "on"))
            else:
                pairs.append((name, str(value)))
        return urlencode(pairs)


class FinderForm(forms.Form):
    manufacturer = forms.ModelChoiceField(
        label=_("Manufacturer"),
        queryset=Manufacturer.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All manufacturers"),
    )
    q = BoundedSearchField(label=_("Model"), required=False, strip=True)
    page = forms.IntegerField(min_value=1, max_value=1_000_000, required=False)

    def criteria(self):
        self.is_valid()
        return {
            "manufacturer": self.cleaned_data.get("manufacturer"),
            "query": self.cleaned_data.get("q") or "",
        }

    def page_number(self):
        self.is_valid()
        return self.cleaned_data.get("page") or 1


class SearchForm(forms.Form):
    q = BoundedSearchField(label=_("Search"), required=False, strip=True)

    def query(self):
        self.is_valid()
        return self.cleaned_data.get("q") or ""
