from django import forms
from django.utils.translation import gettext_lazy as _

from offtek.money import CURRENCY_CHOICES, Money
from privacy.phone_numbers import PhoneField
from shop.addresses.layout import address_lines
from shop.checkout.delivery import DELIVERY_OPTIONS
from shop.checkout.services import DeliveryAddress
from shop.models import Address, Country

ADDRESS_FIELDS = ["name", "line1", "line2", "city", "postcode", "country", "phone"]
REQUIRED_ADDRESS_FIELDS = ["name", "line1", "city", "postcode", "country"]


class CheckoutForm(forms.Form):
    saved_address = forms.ModelChoiceField(
        label=_("Deliver to"),
        queryset=Address.objects.none(),
        required=False,
        empty_label=_("A new address"),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of your addresses.")},
    )
    name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    line1 = forms.CharField(label=_("Address line 1"), max_length=150, required=False)
    line2 = forms.CharField(label=_("Address line 2 (optional)"), max_length=150, required=False)
    city = forms.CharField(label=_("Town or city"), max_length=100, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=16, required=False)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=Country.choices,
        required=False,
        error_messages={"invalid_choice": _("We deliver to the United Kingdom and France only.")},
    )
    phone = PhoneField(label=_("Phone for the courier (optional)"), required=False)
    save_address = forms.BooleanField(
        label=_("Keep this address in my address book for next time"), required=False
    )
    delivery = forms.ChoiceField(
        label=_("Delivery"),
        choices=[(code, option.label) for code, option in DELIVERY_OPTIONS.items()],
        initial="standard",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a delivery option."),
            "invalid_choice": _("Choose a delivery option."),
        },
    )

    # What the shopper was shown, sent back with the order: the order is placed only if
    # the server's prices for the delivery country come to the same (see order_place).
    currency = forms.ChoiceField(
        choices=CURRENCY_CHOICES,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("We could not tell which prices you saw: please check them again."),
            "invalid_choice": _("Prices are in pounds or euros only: please check them again."),
        },
    )
    shown_subtotal = forms.IntegerField(
        min_value=0,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("We could not tell which prices you saw: please check them again."),
            "invalid": _("We could not tell which prices you saw: please check them again."),
            "min_value": _("We could not tell which prices you saw: please check them again."),
        },
    )

    def __init__(self, *args, user, shown: Money | None = None, **kwargs):
        """`shown` is the basket's subtotal as the page shows it (the hidden fields'
        values when the form is rendered)."""
        if shown is not None:
            kwargs.setdefault("initial", {}).update(
                {"currency": shown.currency, "shown_subtotal": shown.minor}
            )
        super().__init__(*args, **kwargs)
        self.fields["saved_address"].queryset = Address.objects.filter(user=user)
        self.fields["saved_address"].label_from_instance = lambda a: ", ".join(address_lines(a))

    def clean(self):
        cleaned = super().clean()
        # Hidden fields: their errors are said once, at the top of the form.
        hidden = {
            str(e) for name in ("currency", "shown_subtotal") for e in self.errors.pop(name, [])
        }
        for message in sorted(hidden):
            self.add_error(None, message)
        if cleaned.get("saved_address") is None:
            for name in REQUIRED_ADDRESS_FIELDS:
                if not cleaned.get(name):
                    self.add_error(name, _("This field is required."))
        return cleaned

    def delivery_address(self) -> DeliveryAddress:
        saved = self.cleaned_data.get("saved_address")
        if saved is not None:
            return DeliveryAddress.from_address(saved)
        return DeliveryAddress(**{name: self.cleaned_data[name].strip() for name in ADDRESS_FIELDS})

    def shown_subtotal_money(self) -> Money:
        return Money(self.cleaned_data["shown_subtotal"], self.cleaned_data["currency"])

    @property
    def save_address_wanted(self) -> bool:
        return self.cleaned_data.get("saved_address") is None and self.cleaned_data["save_address"]
