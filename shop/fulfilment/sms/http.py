"""A generic JSON-over-HTTPS text-message provider (shop.fulfilment.provider_http).

POST `SMS_HTTP_URL` with `Authorization: Bearer SMS_HTTP_TOKEN` and the JSON body
`{"to": "+447700900123", "body": "...", "sender": "Offtek"}`; each message carries its
own `Idempotency-Key`, the same on every attempt. A refusal is an SmsError, retried
later unless the provider refused the message itself (a 4xx other than 408 and 429)."""

from django.conf import settings

from shop.fulfilment.provider_http import ProviderRefused, provider_post
from shop.fulfilment.sms.base import SmsBackend, SmsError


class HttpSmsBackend(SmsBackend):
    name = "http"

    def send(self, *, to: str, body: str, key: str = "") -> str:
        try:
            return provider_post(
                url=settings.SMS_HTTP_URL,
                token=settings.SMS_HTTP_TOKEN,
                payload={"to": to, "body": body, "sender": settings.SMS_SENDER},
                key=key,
                setting="SMS_HTTP_URL",
            )
        except ProviderRefused as error:
            raise SmsError(str(error), transient=error.transient) from error
