"""The legal pages, one template per language (long prose reads better written whole
in each language than sentence by sentence in a catalogue). The seller's facts come
from settings.SHOP_SELLER (offtek/seller.py)."""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import get_language

from shop.checkout.delivery import DELIVERY_OPTIONS
from shop.returns.period import REFUND_DAYS, WITHDRAWAL_DAYS

LANGUAGES = ("en", "fr")


def legal_page(request, page: str):
    language = (get_language() or "en")[:2]
    language = language if language in LANGUAGES else "en"
    context = {
        "seller": settings.SHOP_SELLER,
        "delivery_options": DELIVERY_OPTIONS.values(),
        "withdrawal_days": WITHDRAWAL_DAYS,
        "refund_days": REFUND_DAYS,
        "page": page,
    }
    return render(request, f"shop/legal/{language}/{page}.html", context)
