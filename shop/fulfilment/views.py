"""Fulfilment's one view: a courier's signed delivery update, without a language prefix."""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop.fulfilment.dispatch import CourierUpdateRefused, courier_update_apply


@csrf_exempt
@require_POST
def courier_update(request):
    """A courier's signed delivery update (see `courier_update_apply`)."""
    try:
        payload = json.loads(request.body or b"{}")
        if not isinstance(payload, dict):
            raise ValueError
    except ValueError:
        return JsonResponse({"error": _("The update is not a JSON object.")}, status=400)
    try:
        order = courier_update_apply(
            body=request.body,
            signature=request.headers.get("X-Offtek-Signature", ""),
            payload=payload,
        )
    except CourierUpdateRefused as refusal:
        return JsonResponse({"error": str(refusal)}, status=403)
    return JsonResponse({"order": order.number, "status": order.status})
