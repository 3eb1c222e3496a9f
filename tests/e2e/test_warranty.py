"""A customer opens a warranty claim on a dispatched lifetime-warranty module."""

import pytest
from playwright.sync_api import expect

from privacy.tests.factories import PASSWORD
from shop.fulfilment.dispatch import order_dispatch
from shop.models import ClaimStatus, WarrantyClaim
from shop.tests.factories_orders import paid_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = {
    "en": {"open": "Open a warranty claim for", "send": "Send the claim", "done": "is open"},
    "fr": {
        "open": "Ouvrir une demande de garantie pour",
        "send": "Envoyer la demande",
        "done": "est ouverte",
    },
}


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_customer_opens_a_warranty_claim(page, live_server, artifacts_dir, lang):
    order = paid_order(user__language=lang)
    order_dispatch(order=order, courier="dpd", tracking_number="DPD777")
    line = order.lines.get()
    text = TEXT[lang]

    page.goto(f"{live_server.url}/{lang}/accounts/login/")
    page.fill("input[name=login]", order.user.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/{lang}/orders/{order.number}/")
    expect(page.get_by_test_id("order-tracking")).to_contain_text("DPD777")
    page.get_by_text(f"{text['open']} {line.part_number}").click()
    form = page.get_by_test_id(f"claim-form-{line.pk}")
    form.locator("select[name=reason]").select_option("not_detected")
    form.locator("textarea[name=symptoms]").fill("The laptop beeps three times and stops.")
    form.get_by_role("button", name=text["send"]).click()

    claim = WarrantyClaim.objects.get()
    expect(page.locator(".message-success")).to_contain_text(f"{claim.number} {text['done']}")
    expect(page.get_by_test_id("warranty-claims")).to_contain_text(claim.number)
    page.screenshot(path=str(artifacts_dir / f"warranty-claim-{lang}.png"), full_page=True)
    assert claim.status == ClaimStatus.OPEN
    assert claim.symptoms == "The laptop beeps three times and stops."
    # The line now has a claim in progress: no second form is offered.
    expect(page.get_by_test_id(f"claim-form-{line.pk}")).to_have_count(0)
