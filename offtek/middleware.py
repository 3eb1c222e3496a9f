"""Response headers Django has no setting for, and a watch on the proxy setting."""

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger("offtek.proxy")


class XSSAuditorOffMiddleware:
    """Sends `X-XSS-Protection: 0` on every response.

    The header drives the "XSS auditor" of old browsers (Internet Explorer, old Chrome and
    Safari). Its blocking mode could be abused to learn about a page across sites, and
    its filtering mode to disable the page's own scripts, so current advice (OWASP, MDN)
    is to switch it off and rely on the Content-Security-Policy, which the shop sends
    with nonces and no 'unsafe-inline'. Browsers without an auditor ignore the header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("X-XSS-Protection", "0")
        return response


class TrustedProxyWatchMiddleware:
    """Logs a warning (once per process) when DJANGO_TRUSTED_PROXY_COUNT is 0 although
    the shop plainly sits behind a proxy: `RUN` requests in a row arrive from one
    private address, each carrying X-Forwarded-For. Every customer then counts as that
    proxy's network (`manage.py check --deploy` warns about the setting too, shop.W002).
    """

    RUN = 50

    def __init__(self, get_response):
        self.get_response = get_response
        self.proxy = ""
        self.seen = 0
        self.warned = False

    def __call__(self, request):
        if not self.warned and settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0:
            self._watch(request.META)
        return self.get_response(request)

    def _watch(self, meta) -> None:
        address = meta.get("REMOTE_ADDR", "")
        if not (meta.get("HTTP_X_FORWARDED_FOR") and _private(address)):
            self.proxy, self.seen = "", 0
            return
        if address != self.proxy:
            self.proxy, self.seen = address, 0
        self.seen += 1
        if self.seen >= self.RUN:
            self.warned = True
            logger.warning(
                "The last %d requests all came from the private address %s with an "
                "X-Forwarded-For header, and DJANGO_TRUSTED_PROXY_COUNT is 0: every "
                "customer counts as this proxy's network (stock limits, sign-in rate "
                "limits, fraud rules). Set DJANGO_TRUSTED_PROXY_COUNT to the number of "
                "proxies in front of the shop.",
                self.seen,
                address,
            )


def _private(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).is_private
    except ValueError:
        return False
