from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shop.addresses.forms import AddressForm
from shop.addresses.services import address_delete, address_save, addresses_for


@login_required
def address_list(request):
    return render(
        request, "shop/addresses/address_list.html", {"addresses": addresses_for(user=request.user)}
    )


@login_required
def address_edit(request, address_id: int | None = None):
    address = None
    if address_id is not None:
        address = get_object_or_404(addresses_for(user=request.user), pk=address_id)
    form = AddressForm(request.POST or None, instance=address)
    if request.method == "POST" and form.is_valid():
        address_save(user=request.user, values=form.cleaned_data, address=address)
        messages.success(request, _("Your address book is saved."))
        return redirect("shop:address-list")
    return render(request, "shop/addresses/address_edit.html", {"form": form, "address": address})


@login_required
@require_POST
def address_remove(request, address_id: int):
    if not address_delete(user=request.user, address_id=address_id):
        raise Http404  # another customer's address, or none: the same answer
    messages.success(request, _("The address is deleted."))
    return redirect("shop:address-list")
