"""Error reports carry nothing personal. A request from a signed-in customer, with
their e-mail, phone and address in the URL, the headers and the body, crashes in a view
whose message and local variables hold them too; the real SDK sends the report to a
local endpoint that stands in for the error tracker, and the envelope it receives is
searched for each of them (and for the session cookie)."""

import gzip
import http.server
import threading

import pytest
import sentry_sdk
from django.test import Client, override_settings
from django.urls import path

from offtek.operations.error_reports import error_reports_init
from privacy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EMAIL = "zq.crash.customer@example.org"
PHONE = "+447911123499"
ADDRESS = "17 Zqcrashstreet"


def crashing_view(request):
    customer_email = request.POST["email"]
    delivery = f"{request.POST['line1']}, {request.POST['phone']}"
    raise ValueError(f"cannot deliver to {customer_email} at {delivery}")


urlpatterns = [path("crash/", crashing_view)]


class Envelopes(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            import brotli

            body = brotli.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def tracker():
    """A local stand-in for the error tracker's ingest endpoint (127.0.0.1 only)."""
    Envelopes.received = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Envelopes)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://publickey@127.0.0.1:{server.server_address[1]}/1"
    sentry_sdk.init()  # no DSN: nothing more is sent
    server.shutdown()
    server.server_close()
    thread.join()


def crash(release=""):
    client = Client(raise_request_exception=False, HTTP_USER_AGENT=f"Zq/1.0 ({EMAIL})")
    client.force_login(UserFactory(email=EMAIL))
    response = client.post(
        f"/crash/?email={EMAIL}&phone={PHONE}",
        {"email": EMAIL, "phone": PHONE, "line1": ADDRESS},
        HTTP_REFERER=f"https://shop.test/en/account/?email={EMAIL}",
    )
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    return client.cookies["sessionid"].value, b"\n".join(Envelopes.received).decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_crash_report_holds_no_email_phone_address_or_session(tracker):
    error_reports_init(dsn=tracker, environment="test")
    session, envelope = crash()
    assert "ValueError" in envelope, "the report arrived"
    assert "crashing_view" in envelope, "with its stack"
    leaked = [value for value in (EMAIL, PHONE, ADDRESS, session) if value in envelope]
    assert leaked == []


@override_settings(ROOT_URLCONF=__name__)
def test_control_a_marker_planted_in_a_kept_field_is_found(tracker):
    error_reports_init(dsn=tracker, environment="test", release=EMAIL)
    _session, envelope = crash()
    assert EMAIL in envelope
