"""What the privacy and cookie pages show, read from the policy registry."""

from django.urls import reverse

from privacy import policy, registry


def _purposes():
    for purpose in policy.PURPOSES.values():
        yield {
            "purpose": purpose,
            "basis": policy.BASES[purpose.basis],
            "categories": [policy.CATEGORIES[key] for key in purpose.categories],
            "processors": [policy.PROCESSORS[key] for key in purpose.processors],
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
    return {
        "controller": policy.CONTROLLER,
        "complaints": policy.COMPLAINTS,
        "collection_sources": policy.COLLECTION_SOURCES,
        "categories": list(policy.CATEGORIES.values()),
        "bases": list(policy.BASES.values()),
        "purposes": list(_purposes()),
        "processors": list(policy.PROCESSORS.values()),
        "retention_rules": list(policy.RETENTION.values()),
        "tax_rule": policy.RETENTION["tax-records"],
        "warranty_rule": policy.RETENTION["lifetime-warranty"],
        "marketing_purposes": [policy.PURPOSES[key] for key in policy.MARKETING_PURPOSES],
        "review_processor": policy.PROCESSORS["reviews"],
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


def cookies_page() -> dict:
    cookies = policy.cookies()
    categories = []
    for key, category in policy.COOKIE_CATEGORIES.items():
        purpose = policy.PURPOSES.get(category["purpose"]) if category["purpose"] else None
        categories.append(
            {
                "key": key,
                "label": category["label"],
                "description": category["description"],
                "purpose": purpose,
                "processors": [policy.PROCESSORS[p] for p in purpose.processors] if purpose else [],
                "cookies": [cookie for cookie in cookies if cookie.category == key],
            }
        )
    return {
        "cookie_categories": categories,
        "consent_cookie_days": policy.CONSENT_COOKIE_DAYS,
        "version": policy.version_current(),
    }
