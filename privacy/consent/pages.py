"""What the privacy and cookie pages show, read from the policy registry."""

from django.urls import reverse

from privacy import policy, registry
from privacy.consent.cookies import gpc_signal


def _purposes(in_use: policy.PolicyInUse):
    for purpose in in_use.purposes:
        yield {
            "purpose": purpose,
            "basis": policy.BASES[purpose.basis],
            "categories": [policy.CATEGORIES[key] for key in purpose.categories],
            "processors": in_use.processors_of(purpose),
        }


def stored_in_clear() -> list[dict]:
    """The columns the registry declares stored unencrypted, with their reason: the
    page lists exactly these (the raw-database scan accepts nothing else in clear)."""
    rows = []
    for entry in registry.clear_columns():
        meta = entry.model._meta
        rows.append(
            {
                "what": meta.verbose_name_plural,
                "field": meta.get_field(entry.field).verbose_name,
                "reason": entry.reason,
            }
        )
    return rows


def policy_page() -> dict:
    in_use = policy.policy_in_use()
    review_purpose = policy.PURPOSES["review-invitations"]
    return {
        "controller": policy.controller(),
        "complaints": policy.COMPLAINTS,
        "collection_sources": policy.COLLECTION_SOURCES,
        "categories": list(policy.CATEGORIES.values()),
        "bases": list(policy.BASES.values()),
        "purposes": list(_purposes(in_use)),
        "processors": list(in_use.processors.values()),
        "retention_rules": in_use.retention,
        "tax_rule": policy.RETENTION["tax-records"],
        "warranty_rule": policy.RETENTION["lifetime-warranty"],
        "marketing_purposes": [policy.PURPOSES[key] for key in policy.MARKETING_PURPOSES],
        "review_purpose": review_purpose,
        "review_processor": in_use.processors.get("reviews"),
        "version": policy.version_current(),
        "versions": list(reversed(policy.VERSIONS)),
        "declared_models": len(registry.declarations()),
        "stored_in_clear": stored_in_clear(),
        "kept_pages": [
            {"label": option.label, "url": reverse(option.page)}
            for option in registry.closure_options()
            if option.page
        ],
    }


def cookies_page(request) -> dict:
    """The cookies the running site sets, and the services that receive data from a
    visit itself, each with the purposes it serves and their lawful basis."""
    in_use = policy.policy_in_use()
    cookies = policy.cookies()
    categories = [
        {
            "key": key,
            "label": category["label"],
            "description": category["description"],
            "cookies": [
                {
                    "cookie": cookie,
                    "purpose": policy.PURPOSES.get(cookie.purpose_key),
                    "set_by": in_use.processors.get(cookie.set_by),
                }
                for cookie in cookies
                if cookie.category == key
            ],
        }
        for key, category in policy.COOKIE_CATEGORIES.items()
    ]
    visit = [
        {
            "processor": processor,
            "purposes": [p for p in in_use.purposes if processor.key in p.processors],
        }
        for processor in in_use.processors.values()
        if processor.during_visit
    ]
    return {
        "cookie_categories": categories,
        "visit_processors": visit,
        "gpc_signal": gpc_signal(request),
        "version": policy.version_current(),
    }
