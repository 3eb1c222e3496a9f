"""The policy in Fides' open taxonomy (the `fideslang` package), for the data map.

Our own vocabulary (purposes, bases, subjects, declared fields) is mapped here onto
fideslang's data uses, legal bases, data subjects and data categories, so that any
privacy tool that reads fideslang can read the shop's data map
(`manage.py privacy_datamap`). Every declared field must resolve to a category that
the taxonomy knows; a test walks the registry and fails on a gap.
"""

# Purpose key -> fideslang data use.
PURPOSE_USES = {
    "orders": "essential.service.operations",
    "account": "essential.service.authentication",
    "customer-care": "essential.service.operations.support",
    "fraud-prevention": "essential.fraud_detection",
    "security-audit": "essential.service.security",
    "statistics": "analytics.reporting",
    "tax-records": "essential.legal_obligation",
    "warranty": "essential.service.operations.support",
    "marketing-email": "marketing.communications.email",
    "marketing-sms": "marketing.communications.sms",
    "review-invitations": "marketing.communications.email",
    "error-reports": "essential.service.operations.improve",
}

# Lawful basis key -> fideslang's LegalBasisForProcessingEnum value.
BASIS_NAMES = {
    "contract": "Contract",
    "legal-obligation": "Legal obligations",
    "legitimate-interests": "Legitimate interests",
    "consent": "Consent",
}

# Transfer safeguard in the policy -> fideslang's LegalBasisForTransfersEnum value.
TRANSFER_BASES = {
    "payment": ("Adequacy Decision", "SCCs"),
    "error-tracker": ("SCCs",),
}

# Declared field name -> fideslang data category. A field whose meaning differs by
# model is listed under FIELD_OVERRIDES as "app_label.model.field". These are the
# privacy app's own fields; every other app adds its own with field_categories_declare.
FIELD_CATEGORIES = {
    "email": "user.contact.email",
    "attempted_email": "user.contact.email",
    "email_address": "user.contact.email",
    "email_digest": "user.unique_id.pseudonymous",
    "first_name": "user.name.first",
    "last_name": "user.name.last",
    "name": "user.name",
    "phone": "user.contact.phone_number",
    "language": "user.demographic.language",
    "ip_address": "user.device.ip_address",
    "ip_shortened": "user.location.imprecise",
    "ip_hash": "user.unique_id.pseudonymous",
    "user_agent": "user.device",
    "message": "user.content.private",
    "response": "user.content.private",
    "notes": "user.content.private",
    "kind": "system.operations",
    "processor": "system.operations",
    "reference": "system.operations",
    "fields": "system.operations",
    "outcome": "system.operations",
    "attempt": "system.operations",
    "verified": "user.account.settings",
    "primary": "user.account.settings",
    "created_at": "system.operations",
    "created": "system.operations",
    "sent": "system.operations",
    "purpose": "user.privacy_preferences",
    "granted": "user.privacy_preferences",
    "policy_version": "user.privacy_preferences",
    "source": "user.privacy_preferences",
    "gpc_honoured_at": "user.privacy_preferences",
    "to": "user.contact.email",
    "template": "system.operations",
    "payload": "user.content.private",
    "buyer_name": "user.name",
    "buyer_address": "user.contact.address",
    "issued_at": "user.behavior.purchase_history",
    "gross_total": "user.behavior.purchase_history",
    "pdf": "user.behavior.purchase_history",
    "rendered_at": "system.operations",
}

FIELD_OVERRIDES = {
    "privacy.privacyrequest.kind": "user.privacy_preferences",
}


def field_categories_declare(categories: dict, overrides: dict | None = None) -> None:
    """An app's fields for the data map: name -> fideslang category, and
    ``"app_label.model.field"`` -> category where one model means something else."""
    for table, rows in ((FIELD_CATEGORIES, categories), (FIELD_OVERRIDES, overrides or {})):
        clash = {name for name, value in rows.items() if table.get(name, value) != value}
        if clash:
            raise ValueError(f"Fields mapped to another data category already: {sorted(clash)}")
        table.update(rows)


def field_category(label: str, field: str) -> str | None:
    """The fideslang category of a declared field, or None where none is mapped."""
    return FIELD_OVERRIDES.get(f"{label}.{field}") or FIELD_CATEGORIES.get(field)
