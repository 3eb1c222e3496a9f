"""A generic JSON-over-HTTPS text-message provider.

POST `SMS_HTTP_URL` with `Authorization: Bearer SMS_HTTP_TOKEN` and the JSON body
`{"to": "+447700900123", "body": "...", "sender": "Offtek"}`; a 2xx answer with
`{"id": "..."}` means accepted; each message carries its own `Idempotency-Key`, the
same on every attempt. Anything else is an SmsError, retried later unless the
provider refused the message itself (a 4xx other than 408 and 429)."""

import json
import urllib.error
import urllib.request

from django.conf import settings

from shop.fulfilment.sms.base import SmsBackend, SmsError

TIMEOUT_SECONDS = 10


class HttpSmsBackend(SmsBackend):
    name = "http"

    def send(self, *, to: str, body: str, key: str = "") -> str:
        url = settings.SMS_HTTP_URL
        if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
            raise SmsError("SMS_HTTP_URL must be an https:// address")
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            url,
            data=json.dumps({"to": to, "body": body, "sender": settings.SMS_SENDER}).encode(),
            headers={
                "Authorization": f"Bearer {settings.SMS_HTTP_TOKEN}",
                "Content-Type": "application/json",
                "Accept": "application/json",
                # The same on every attempt: the provider takes the message once.
                **({"Idempotency-Key": key} if key else {}),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            # 408 (slow), 429 (busy) and 5xx are worth another try; another 4xx is
            # this message refused.
            transient = error.code in (408, 429) or error.code >= 500
            raise SmsError(f"provider answered HTTP {error.code}", transient=transient) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"provider unreachable: {error}") from error
        except ValueError as error:
            raise SmsError("provider answered something that is not JSON") from error
        reference = str(answer.get("id", "")) if isinstance(answer, dict) else ""
        if not reference:
            raise SmsError("provider gave no message id")
        return reference[:100]
