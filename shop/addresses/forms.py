from django import forms

from shop.models import Address


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = ["name", "line1", "line2", "city", "postcode", "country", "phone"]
