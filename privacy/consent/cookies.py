"""The visitor's cookie choice: read from and written to the first-party
``cookie_consent`` cookie (and, for signed-in customers, the consent ledger).

A browser that sends Global Privacy Control (``Sec-GPC: 1``) and has made no choice on
the site gets "Reject all": analytics and marketing cookies stay off and the banner
does not ask. A choice the visitor makes on the site afterwards stands."""

from dataclasses import dataclass

from privacy import policy

OPTIONAL_CATEGORIES = ("analytics", "marketing")


@dataclass(frozen=True)
class CookieChoice:
    analytics: bool = False
    marketing: bool = False
    # True when no choice was made on the site and the browser's GPC signal decided.
    from_gpc: bool = False

    def allows(self, category: str) -> bool:
        return category == "necessary" or bool(getattr(self, category, False))

    def cookie_value(self) -> str:
        return "|".join(f"{name}:{int(getattr(self, name))}" for name in OPTIONAL_CATEGORIES)

    def ledger_choices(self) -> dict[str, bool]:
        return {policy.COOKIE_PURPOSES[name]: getattr(self, name) for name in OPTIONAL_CATEGORIES}

    @classmethod
    def everything(cls):
        return cls(**dict.fromkeys(OPTIONAL_CATEGORIES, True))

    @classmethod
    def necessary_only(cls):
        return cls()


def cookie_choice_parse(value: str | None) -> CookieChoice | None:
    """The choice stored in the cookie, or None if there is none (or it is unreadable)."""
    if not value:
        return None
    answers = {}
    for part in value.split("|"):
        name, _, flag = part.partition(":")
        if name in OPTIONAL_CATEGORIES and flag in ("0", "1"):
            answers[name] = flag == "1"
    if set(answers) != set(OPTIONAL_CATEGORIES):
        return None
    return CookieChoice(**answers)


def gpc_signal(request) -> bool:
    """True when the browser sends the Global Privacy Control signal."""
    return request.headers.get("Sec-GPC", "").strip() == "1"


def cookie_choice_for(request) -> CookieChoice | None:
    """The choice made on the site; failing that, "Reject all" when the browser sends
    GPC; failing that, None (the banner asks)."""
    choice = cookie_choice_parse(request.COOKIES.get(policy.CONSENT_COOKIE_NAME))
    if choice is None and gpc_signal(request):
        return CookieChoice(from_gpc=True)
    return choice
