from django import forms
from django.utils.translation import gettext_lazy as _

from privacy.phone_numbers import PhoneField
from shop.models import Address


class AddressForm(forms.ModelForm):
    phone = PhoneField(label=_("phone"), required=False)

    class Meta:
        model = Address
        fields = ["name", "line1", "line2", "city", "postcode", "country", "phone"]
