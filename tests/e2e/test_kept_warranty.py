"""A former customer who kept a lifetime warranty at closure finds it from the privacy
page, proves it is theirs through the link e-mailed to the address kept with it, makes
a claim, then deletes the kept warranty."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from privacy.rights.erasure import account_close
from shop.fulfilment.dispatch import order_dispatch
from shop.models import Order, WarrantyClaim
from shop.tests.factories_orders import paid_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {
        "link": "Keep my lifetime warranties",
        "send_link": "Send me the link",
        "sent": "We have sent an e-mail to that address",
        "send": "Send the claim",
        "done": "is open",
        "delete": "Delete the kept warranty",
        "deleted": "Kept warranty deleted",
    },
    "fr": {
        "link": "Garder mes garanties à vie",
        "send_link": "M’envoyer le lien",
        "sent": "Nous avons envoyé un e-mail à cette adresse",
        "send": "Envoyer la demande",
        "done": "est ouverte",
        "delete": "Supprimer la garantie conservée",
        "deleted": "Garantie conservée supprimée",
    },
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_former_customer_claims_then_deletes_a_kept_warranty(
    page, live_server, settings, artifacts_dir, lang
):
    settings.SITE_URL = live_server.url
    order = paid_order(user__language=lang, user__email=f"former-{lang}@example.org")
    order_dispatch(order=order, courier="dpd", tracking_number="DPD777")
    account_close(user=order.user, keep=frozenset({"lifetime-warranty"}))
    line = order.lines.get()
    text = TEXT[lang]

    page.goto(f"{live_server.url}/{lang}/privacy/#kept-warranties")
    expect(page.locator("#kept-warranties a")).to_have_text(text["link"])
    page.locator("#kept-warranties a").click()
    page.fill("input[name=number]", order.number)
    page.fill("input[name=email]", f"former-{lang}@example.org")
    page.get_by_role("button", name=text["send_link"]).click()
    expect(page.get_by_test_id("kept-warranty-sent")).to_contain_text(text["sent"])

    link = re.search(r"https?://\S+/warranty/kept/\S+/", mail.outbox[-1].body)[0]
    page.goto(link)
    form = page.get_by_test_id(f"kept-claim-form-{line.pk}")
    form.locator("select[name=reason]").select_option("errors")
    form.locator("textarea[name=symptoms]").fill("Errors at 0x3F00 since last week.")
    form.get_by_role("button", name=text["send"]).click()
    claim = WarrantyClaim.objects.get()
    expect(page.locator(".message-success")).to_contain_text(f"{claim.number} {text['done']}")
    expect(page.get_by_test_id("warranty-claims")).to_contain_text(claim.number)
    assert claim.user_id is None and claim.symptoms == "Errors at 0x3F00 since last week."
    page.screenshot(path=str(artifacts_dir / f"kept-warranty-claim-{lang}.png"), full_page=True)

    deletion = page.get_by_test_id("kept-warranty-delete")
    deletion.locator("input[name=confirm]").check()
    deletion.get_by_role("button", name=text["delete"]).click()
    expect(page.get_by_test_id("kept-warranty-deleted")).to_be_visible()
    expect(page.locator("h1")).to_have_text(text["deleted"])
    kept = Order.objects.get(pk=order.pk)
    assert (kept.warranty_kept, kept.warranty_email) == (False, "")
    assert not WarrantyClaim.objects.exists()
