"""The privacy page, the cookie page and the record of processing (HTML and CSV) say the
same thing, in English and in French: each is parsed from what it renders and compared
with the others. A processor is on them exactly while the configuration uses it."""

import csv
import io
import json

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from privacy import policy

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr"]
RECORD = "/{lang}/admin/privacy/record-of-processing/"
DOWNLOAD = "/{lang}/admin/privacy/record-of-processing/csv/"
# Every processor the shop can use, switched on (SENTRY_DSN on Sentry's EU region).
ALL_CONFIGURED = {
    "PAYMENT_GATEWAY": "stripe",
    "SMS_BACKEND": "http",
    "REVIEW_PROVIDER_BACKEND": "trustpilot",
    "SENTRY_DSN": "https://key@o1.ingest.de.sentry.io/2",
}


def text(element) -> str:
    return " ".join(element.text_content().split())


def find(element, tag: str, *, id_prefix: str = "", cls: str = "", id_is: str = ""):
    """Descendants by tag and id prefix or class (lxml's XPath, no extra package)."""
    path = f".//{tag}"
    if id_prefix:
        path += f'[starts-with(@id, "{id_prefix}")]'
    if id_is:
        path += f'[@id="{id_is}"]'
    if cls:
        path += f'[contains(concat(" ", @class, " "), " {cls} ")]'
    return element.xpath(path)


def rendered(client, lang):
    """The four outputs in one language: privacy page, cookie page, record, CSV."""
    with translation.override(lang):
        privacy = client.get(reverse("privacy:policy"))
        cookies = client.get(reverse("privacy:cookies"))
    record = client.get(RECORD.format(lang=lang))
    download = client.get(DOWNLOAD.format(lang=lang))
    for response in (privacy, cookies, record, download):
        assert response.status_code == 200
    return (
        lxml.html.fromstring(privacy.content.decode()),
        lxml.html.fromstring(cookies.content.decode()),
        lxml.html.fromstring(record.content.decode()),
        list(csv.reader(io.StringIO(download.content.decode())))[1:],
    )


def privacy_facts(page, not_needed):
    purposes = {}
    for row in find(page, "tr", id_prefix="purpose-"):
        cells = [text(cell) for cell in find(row, "td")]
        purposes[cells[0]] = cells[1]
    processors = {}
    for row in find(page, "tr", id_prefix="processor-"):
        cells = [text(cell) for cell in find(row, "td")]
        processors[cells[0]] = (cells[3], "" if cells[4] == not_needed else cells[4])
    retention = set()
    for row in find(page, "tr", id_prefix="retention-"):
        cells = [text(cell) for cell in find(row, "td")]
        retention.add(f"{cells[0]}: {cells[2]} ({cells[3]})")
    return purposes, processors, retention


def record_facts(page, not_needed):
    purposes, retention_cells = {}, []
    for section in find(page, "section", id_prefix="activity-"):
        cells = [text(cell) for cell in find(section, "td")]
        purposes[text(find(section, "h2")[0])] = cells[0]
        retention_cells.append(cells[5])
    processors = {}
    for row in find(find(page, "section", id_is="processors")[0], "tr", id_prefix="processor-"):
        cells = [text(cell) for cell in find(row, "td")]
        processors[cells[0]] = (cells[2], "" if cells[3] == not_needed else cells[3])
    return purposes, processors, retention_cells


def cookie_facts(page, not_needed):
    purposes, processors = {}, {}
    for row in [*find(page, "tr", id_prefix="cookie-"), *find(page, "tr", id_prefix="visit-")]:
        purpose, basis = find(row, "td", cls="purpose"), find(row, "td", cls="basis")
        if purpose and text(purpose[0]) != "—":
            purposes[text(purpose[0])] = text(basis[0])
    for row in find(page, "tr", id_prefix="visit-"):
        where, safeguard = (
            text(find(row, "td", cls="where")[0]),
            text(find(row, "td", cls="safeguard")[0]),
        )
        processors[text(find(row, "td", cls="processor")[0])] = (
            where,
            "" if safeguard == not_needed else safeguard,
        )
    return purposes, processors


def leftover(cell: str, parts) -> str:
    """What remains of a joined cell once every expected part is taken out of it."""
    for part in sorted(parts, key=len, reverse=True):
        cell = cell.replace(part, "")
    return cell.replace(";", "").strip()


def assert_agree(client, lang):
    """Parse the four outputs and compare them with each other; returns the privacy
    page's processors and purposes for the callers' own checks."""
    html_privacy, html_cookies, html_record, csv_rows = rendered(client, lang)
    with translation.override(lang):
        not_needed, none = _("not needed"), _("none")
        see_schedule = _("see the retention schedule")
    purposes, processors, retention = privacy_facts(html_privacy, not_needed)
    record_purposes, record_processors, record_retention = record_facts(html_record, not_needed)
    assert purposes and processors and retention

    # Purposes and their lawful bases: the same on the privacy page, the record, the CSV.
    assert record_purposes == purposes
    assert {row[0]: row[1] for row in csv_rows} == purposes
    # Processors with where they work and their safeguard: the same on the page and record.
    assert record_processors == processors
    # The CSV names exactly those processors as recipients, with the same locations, and
    # exactly those outside the UK and EEA as transfers, with the same safeguard.
    recipients = {f"{label} ({where})" for label, (where, _safe) in processors.items()}
    transfers = {
        f"{label} ({where}): {safe}" for label, (where, safe) in processors.items() if safe
    }
    named, transferred = set(), set()
    for row in csv_rows:
        assert leftover(row[4], recipients) in ("", none), row[4]
        assert leftover(row[5], transfers) in ("", none), row[5]
        named |= {part for part in recipients if part in row[4]}
        transferred |= {part for part in transfers if part in row[5]}
    assert named == recipients
    assert transferred == transfers
    # Retention periods: each activity's rules are rows of the privacy page's schedule,
    # and between them the activities name every row of it.
    for cells in (record_retention, [row[6] for row in csv_rows]):
        found = set()
        for cell in cells:
            assert leftover(cell, retention) in ("", see_schedule), cell
            found |= {rule for rule in retention if rule in cell}
        assert found == retention
    # The cookie page: every purpose it names has the privacy page's basis, and every
    # service it names is on the privacy page with the same place and safeguard.
    cookie_purposes, cookie_processors = cookie_facts(html_cookies, not_needed)
    assert cookie_purposes and cookie_purposes.items() <= purposes.items()
    assert cookie_processors.items() <= processors.items()
    return processors, cookie_processors, purposes


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pages_and_the_record_agree_as_configured_for_tests(staff_client, lang):
    processors, cookie_processors, _purposes = assert_agree(staff_client, lang)
    with translation.override(lang):
        in_use = {str(p.label) for p in policy.processors_in_use().values()}
    assert set(processors) == in_use
    assert cookie_processors == {}  # no Stripe, no error tracker: nobody sees a visit


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_pages_and_the_record_agree_with_every_processor_configured(
    staff_client, settings, lang
):
    for name, value in ALL_CONFIGURED.items():
        setattr(settings, name, value)
    processors, cookie_processors, purposes = assert_agree(staff_client, lang)
    with translation.override(lang):
        expected = {str(p.label) for p in policy.PROCESSORS.values()}
        stripe, sentry = (
            str(policy.PROCESSORS["payment"].label),
            str(policy.PROCESSORS["error-tracker"].label),
        )
        errors = str(policy.PURPOSES["error-reports"].label)
    assert set(processors) == expected
    assert set(cookie_processors) == {stripe, sentry}
    assert errors in purposes
    # Sentry's EU region is named as such, with its safeguard.
    assert processors[sentry] == cookie_processors[sentry]
    assert "Germany" in processors[sentry][0] or "Allemagne" in processors[sentry][0]


def test_control_a_record_that_leaves_out_a_purpose_is_caught(staff_client, monkeypatch):
    from privacy.records import views

    activities = views.processing_activities
    monkeypatch.setattr(views, "processing_activities", lambda: activities()[1:])
    with pytest.raises(AssertionError):
        assert_agree(staff_client, "en")


def outputs_text(client, lang) -> str:
    with translation.override(lang):
        pages = [
            client.get(reverse(name)).content.decode()
            for name in ("privacy:policy", "privacy:cookies")
        ]
    pages += [client.get(url.format(lang=lang)).content.decode() for url in (RECORD, DOWNLOAD)]
    return "\n".join(pages)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sentry_is_on_all_four_when_configured_and_on_none_without(staff_client, settings, lang):
    with translation.override(lang):
        sentry = str(policy.PROCESSORS["error-tracker"].label)
        errors = str(policy.PURPOSES["error-reports"].label)
    settings.SENTRY_DSN = "https://key@o1.ingest.us.sentry.io/2"
    with translation.override(lang):
        pages = [
            staff_client.get(reverse(name)).content.decode()
            for name in ("privacy:policy", "privacy:cookies")
        ]
    pages += [
        staff_client.get(url.format(lang=lang)).content.decode() for url in (RECORD, DOWNLOAD)
    ]
    for page in pages:
        assert sentry in page and errors in page
    settings.SENTRY_DSN = ""
    everything = outputs_text(staff_client, lang)
    assert sentry not in everything and errors not in everything
    assert "Sentry" not in everything


def test_a_self_hosted_error_tracker_is_named_with_its_server_and_no_transfer(settings):
    settings.SENTRY_DSN = "https://key@errors.offtek.example/4"
    tracker = policy.processors_in_use()["error-tracker"]
    assert "errors.offtek.example" in str(tracker.locations)
    assert not tracker.outside_eea and not tracker.safeguard


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_output_names_a_processor_the_configuration_does_not_use(staff_client, lang):
    in_use = policy.processors_in_use()
    absent = [p for key, p in policy.PROCESSORS.items() if key not in in_use]
    assert {p.key for p in absent} == {"payment", "sms", "reviews", "error-tracker"}
    everything = outputs_text(staff_client, lang)
    everything += json.dumps(datamap_manifest())
    with translation.override(lang):
        for processor in absent:
            assert str(processor.label) not in everything, processor.key
    for brand in ("Stripe", "Sentry"):
        assert brand not in everything
    # Control: the same check finds a processor that the configuration does use.
    with translation.override(lang):
        assert str(in_use["couriers"].label) in everything


def datamap_manifest() -> dict:
    out = io.StringIO()
    call_command("privacy_datamap", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_the_data_map_has_a_system_per_processor_in_use(settings):
    assert {s["fides_key"] for s in datamap_manifest()["system"]} == {
        "offtek_shop",
        "processor_couriers",
        "processor_email",
    }
    settings.SENTRY_DSN = "https://key@o1.ingest.us.sentry.io/2"
    systems = {s["fides_key"]: s for s in datamap_manifest()["system"]}
    tracker = systems["processor_error_tracker"]
    assert tracker["does_international_transfers"] is True
    assert tracker["legal_basis_for_transfers"] == ["SCCs"]
    assert "United States" in tracker["description"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_controller_is_the_configured_seller(staff_client, settings, lang):
    settings.SHOP_SELLER = {
        **settings.SHOP_SELLER,
        "name": "Memoire Vive Ltd",
        "address_lines": ("4 Quay Street",),
        "postcode": "BS1 4DB",
        "city": "Bristol",
        "registration_number": "Companies House 12345678",
        "privacy_email": "dpo@memoire.example",
    }
    with translation.override(lang):
        page = staff_client.get(reverse("privacy:policy")).content.decode()
    record = staff_client.get(RECORD.format(lang=lang)).content.decode()
    for output in (page, record):
        assert "Memoire Vive Ltd" in output
        assert "4 Quay Street, BS1 4DB Bristol" in output
        assert "Companies House 12345678" in output
        assert "dpo@memoire.example" in output
        assert "Claremont House" not in output and "(fictional)" not in output
