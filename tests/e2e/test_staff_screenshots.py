"""The staff guide's screenshots, taken from the real admin in Chromium: the order list
with an order held for review, that order's page with its review action, the Privacy
Officer's requests with their due dates, the breach register and the catalog import.
Each page is checked for what the guide says it shows before it is photographed.

Screenshots go to test-artifacts/screenshots/; with OFFTEK_DOCS_SCREENSHOTS=1 (`make
screenshots`) they also replace the guide's images in docs/_static/screenshots/."""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from privacy.models import PersonalDataBreach, PrivacyRequest
from privacy.tests.factories import UserFactory
from shop.models import OrderStatus
from shop.tests.factories_orders import OrderFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DOCS = Path(__file__).resolve().parents[2] / "docs" / "_static" / "screenshots"


@pytest.fixture
def staff_page(live_server, page):
    staff = UserFactory(email="staff@offtek.example", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = Client()
    client.force_login(staff)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.set_viewport_size({"width": 1280, "height": 720})
    # The admin's navigation sidebar folded, as staff can: the page itself is the subject.
    page.add_init_script("localStorage.setItem('django.admin.navSidebarIsOpen', 'false')")
    return page


def shoot(page, artifacts_dir, name):
    folder = artifacts_dir / "screenshots"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    if os.environ.get("OFFTEK_DOCS_SCREENSHOTS"):
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, DOCS / path.name)


def test_the_staff_guide_pages(live_server, staff_page, artifacts_dir):
    page, base = staff_page, live_server.url
    held = OrderFactory(status=OrderStatus.HELD_FOR_REVIEW)
    OrderFactory(status=OrderStatus.PAID)
    PrivacyRequest.objects.create(
        reference="PR-2026-0042",
        kind="access",
        email="someone@example.org",
        message="Please send me a copy of my data.",
        status="open",
        received_at=timezone.now(),
        due_date=timezone.localdate() + datetime.timedelta(days=30),
    )
    PersonalDataBreach.objects.create(
        summary="Courier label sheet sent to the wrong depot", found_at=timezone.now()
    )

    page.goto(f"{base}/en/admin/shop/order/")
    expect(page.get_by_role("link", name=held.number)).to_be_visible()
    expect(page.locator("#result_list")).to_contain_text("Held for review")
    shoot(page, artifacts_dir, "admin-orders")

    page.get_by_role("link", name=held.number).click()
    expect(page.locator("body")).to_contain_text("Held for review")
    shoot(page, artifacts_dir, "admin-order-held")

    page.goto(f"{base}/en/admin/privacy/privacyrequest/")
    expect(page.locator("#result_list")).to_contain_text("PR-2026-0042")
    shoot(page, artifacts_dir, "admin-privacy-requests")

    page.goto(f"{base}/en/admin/privacy/personaldatabreach/")
    expect(page.locator("#result_list")).to_contain_text("Courier label sheet")
    shoot(page, artifacts_dir, "admin-breaches")

    page.goto(f"{base}/en/admin/shop/module/import/")
    expect(page.locator("input[type=file]").first).to_be_attached()
    shoot(page, artifacts_dir, "admin-module-import")
