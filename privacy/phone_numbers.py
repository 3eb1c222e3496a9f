"""Phone numbers: checked with the ``phonenumbers`` library (through
django-phonenumber-field's PhoneNumber), stored in E.164 ("+447911123456"), shown in
the reader's national format ("07911 123456").

The fields stay encrypted CharFields (django-cryptography): a PhoneNumberField would
store the number in clear. Forms clean what the customer types with ``PhoneField``;
model ``clean()`` methods call ``phone_normalise`` so the admin stores E.164 too.

Numbers typed without a country code are read as British, then as French (a
customer's delivery country, where there is one, is tried first).
"""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from phonenumber_field.phonenumber import PhoneNumber

DEFAULT_REGIONS = ("GB", "FR")
# The country whose numbers a reader of each language writes without a prefix.
HOME_REGION = {"en": "GB", "fr": "FR"}
INVALID_MESSAGE = _(
    "This is not a phone number we can use. Type it as you would dial it, for example "
    "07911 123456, or with the country code: +33 6 12 34 56 78."
)


def phone_parse(raw: str, *, regions=DEFAULT_REGIONS) -> PhoneNumber | None:
    """The valid number ``raw`` stands for, or None."""
    text = (raw or "").strip()
    if not text or len(text) > 32:
        return None
    for region in dict.fromkeys(region for region in regions if region):
        try:
            number = PhoneNumber.from_string(text, region=region)
        except phonenumbers.NumberParseException:
            return None
        if number.is_valid():
            return number
    return None


def phone_normalise(raw: str, *, regions=DEFAULT_REGIONS) -> str:
    """``raw`` in E.164; "" for nothing typed. Raises ValidationError (translated)
    for anything that is not a valid number."""
    if not (raw or "").strip():
        return ""
    number = phone_parse(raw, regions=regions)
    if number is None:
        raise ValidationError(INVALID_MESSAGE, code="invalid")
    return number.as_e164


def phone_e164_or_none(raw: str) -> str | None:
    """For sending: ``raw`` in E.164 if it can be dialled at all (a number stored
    before validation existed may be merely possible), else None."""
    text = (raw or "").strip()
    if not text:
        return None
    for region in DEFAULT_REGIONS:
        try:
            number = PhoneNumber.from_string(text, region=region)
        except phonenumbers.NumberParseException:
            return None
        if phonenumbers.is_possible_number(number):
            return number.as_e164
    return None


def phone_display(value: str, *, language: str = "en") -> str:
    """A stored number as the reader writes it: national format for their own
    country's numbers, international for others. What cannot be read is shown as is."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        number = PhoneNumber.from_string(text, region=DEFAULT_REGIONS[0])
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_possible_number(number):
        return text
    home = HOME_REGION.get((language or "en")[:2], DEFAULT_REGIONS[0])
    if number.country_code == phonenumbers.country_code_for_region(home):
        return number.as_national
    return number.as_international


class PhoneField(forms.CharField):
    """A form field whose cleaned value is the number in E.164 ("" when left empty).
    ``regions`` are tried in order for numbers typed without a country code."""

    default_error_messages = {"invalid": INVALID_MESSAGE}

    def __init__(self, *args, regions=DEFAULT_REGIONS, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)
        self.regions = tuple(regions)
        self.widget.attrs.setdefault("autocomplete", "tel")
        self.widget.attrs.setdefault("inputmode", "tel")

    def prepare_value(self, value):
        """A stored E.164 number is shown as the customer would type it."""
        return phone_display(value, language=get_language() or "en") if value else value

    def clean(self, value):
        value = super().clean(value)
        return phone_normalise(value, regions=self.regions)
