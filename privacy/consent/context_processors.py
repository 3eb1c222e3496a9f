from privacy.consent.cookies import CookieChoice, cookie_choice_for


def cookie_consent(request):
    """What every page needs to honour the visitor's cookie choice. Analytics or
    advertising code must be wrapped in ``{% if analytics_allowed %}`` /
    ``{% if marketing_allowed %}``."""
    choice = cookie_choice_for(request)
    effective = choice or CookieChoice.necessary_only()
    return {
        "cookie_choice": effective,
        "cookie_choice_made": choice is not None,
        "gpc_honoured": effective.from_gpc,
        "analytics_allowed": effective.analytics,
        "marketing_allowed": effective.marketing,
    }
