"""The customer's address book: only their own entries, ever."""

from django.db import transaction

from shop.models import Address


def addresses_for(*, user):
    return Address.objects.filter(user=user)


@transaction.atomic
def address_save(*, user, values: dict, address: Address | None = None) -> Address:
    """Add an address (``address`` None) or change one of the customer's own."""
    if address is None:
        address = Address(user=user)
    elif address.user_id != user.pk:
        raise Address.DoesNotExist
    for name, value in values.items():
        setattr(address, name, value)
    address.save()
    return address


@transaction.atomic
def address_delete(*, user, address_id: int) -> bool:
    """Delete one of the customer's addresses; False if it is not theirs or gone."""
    deleted, _ = Address.objects.filter(user=user, pk=address_id).delete()
    return bool(deleted)
