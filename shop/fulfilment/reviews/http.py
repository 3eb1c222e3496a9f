"""A JSON-over-HTTPS review service (shop.fulfilment.provider_http).

POST `REVIEW_HTTP_URL` with `Authorization: Bearer REVIEW_HTTP_TOKEN` and the JSON body
`{"name": "...", "email": "...", "order_number": "...", "language": "fr"}`, keyed by the
order number (`Idempotency-Key: review-<order number>`), so a provider asked twice for
one order invites once. A refusal is a ReviewProviderError: the order stays due and
the next run tries again."""

from django.conf import settings

from shop.fulfilment.provider_http import ProviderRefused, provider_post
from shop.fulfilment.reviews.base import ReviewProvider, ReviewProviderError


class HttpReviewProvider(ReviewProvider):
    name = "http"

    def invite(self, *, name: str, email: str, order_number: str, language: str) -> str:
        try:
            return provider_post(
                url=settings.REVIEW_HTTP_URL,
                token=settings.REVIEW_HTTP_TOKEN,
                payload={
                    "name": name,
                    "email": email,
                    "order_number": order_number,
                    "language": language,
                },
                key=f"review-{order_number}",
                setting="REVIEW_HTTP_URL",
            )
        except ProviderRefused as error:
            raise ReviewProviderError(str(error)) from error
