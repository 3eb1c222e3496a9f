"""The Content Security Policy, as one function so that tests can build the same
policy the shop runs with (with Stripe's hosts, or a local stand-in for them).

Stripe's security guide lists what Stripe.js and the Payment Element need:
scripts and frames from `https://js.stripe.com` and `https://*.js.stripe.com`,
connections to `https://api.stripe.com`, and frames from `https://hooks.stripe.com`
(3-D Secure)."""

from django.utils.csp import CSP

STRIPE_HOSTS = {
    "js": ["https://js.stripe.com", "https://*.js.stripe.com"],
    "api": ["https://api.stripe.com"],
    "hooks": ["https://hooks.stripe.com"],
}


def csp_policy(*, stripe: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """The policy; `stripe` (hosts by role, as STRIPE_HOSTS) allows Stripe.js."""
    js = stripe["js"] if stripe else []
    return {
        "default-src": [CSP.SELF],
        "script-src": [CSP.SELF, CSP.NONCE, *js],
        "style-src": [CSP.SELF, CSP.NONCE],
        "img-src": [CSP.SELF, "data:"],
        "font-src": [CSP.SELF],
        "connect-src": [CSP.SELF, *(stripe["api"] if stripe else [])],
        "frame-src": [CSP.SELF, *js, *(stripe["hooks"] if stripe else [])],
        "frame-ancestors": [CSP.NONE],
        "form-action": [CSP.SELF],
        "base-uri": [CSP.SELF],
        "object-src": [CSP.NONE],
    }
