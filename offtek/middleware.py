"""Response headers Django has no setting for."""


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
