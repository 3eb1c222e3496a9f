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
    "analytics-cookies": "analytics.reporting.content_performance",
    "advertising-cookies": "marketing.advertising.third_party.targeted",
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
    "payment": ("SCCs",),
    "analytics": ("Adequacy Decision", "SCCs"),
    "social-media": ("SCCs",),
}

# Declared field name -> fideslang data category. A field whose meaning differs by
# model is listed under FIELD_OVERRIDES as "app_label.model.field".
FIELD_CATEGORIES = {
    "email": "user.contact.email",
    "attempted_email": "user.contact.email",
    "email_address": "user.contact.email",
    "email_digest": "user.unique_id.pseudonymous",
    "first_name": "user.name.first",
    "last_name": "user.name.last",
    "name": "user.name",
    "delivery_name": "user.name",
    "phone": "user.contact.phone_number",
    "delivery_phone": "user.contact.phone_number",
    "to_number": "user.contact.phone_number",
    "line1": "user.contact.address.street",
    "line2": "user.contact.address.street",
    "delivery_line1": "user.contact.address.street",
    "delivery_line2": "user.contact.address.street",
    "city": "user.contact.address.city",
    "delivery_city": "user.contact.address.city",
    "postcode": "user.contact.address.postal_code",
    "delivery_postcode": "user.contact.address.postal_code",
    "country": "user.contact.address.country",
    "delivery_country": "user.contact.address.country",
    "language": "user.demographic.language",
    "ip_address": "user.device.ip_address",
    "ip_shortened": "user.location.imprecise",
    "client_ip_hash": "user.unique_id.pseudonymous",
    "ip_hash": "user.unique_id.pseudonymous",
    "user_agent": "user.device",
    "card_brand": "user.financial.credit_card",
    "card_last4": "user.financial.credit_card",
    "card_country": "user.financial.credit_card",
    "cvc_check": "user.financial.credit_card",
    "postcode_check": "user.financial.credit_card",
    "risk_level": "user.financial",
    "failure_message": "user.financial",
    "amount_pence": "user.behavior.purchase_history",
    "total_pence": "user.behavior.purchase_history",
    "number": "user.behavior.purchase_history",
    "courier": "user.behavior.purchase_history",
    "tracking_number": "user.unique_id.pseudonymous",
    "message": "user.content.private",
    "response": "user.content.private",
    "notes": "user.content.private",
    "reason": "user.content.private",
    "symptoms": "user.content.private",
    "statement": "user.content.private",
    "note": "user.content.private",
    "body": "user.content.private",
    "kind": "system.operations",
    "status": "system.operations",
    "to_status": "system.operations",
    "provider": "system.operations",
    "processor": "system.operations",
    "reference": "system.operations",
    "fields": "system.operations",
    "verified": "user.account.settings",
    "primary": "user.account.settings",
    "created_at": "system.operations",
    "received_at": "system.operations",
    "updated_at": "system.operations",
    "created": "system.operations",
    "sent": "system.operations",
    "purpose": "user.privacy_preferences",
    "granted": "user.privacy_preferences",
    "policy_version": "user.privacy_preferences",
    "source": "user.privacy_preferences",
    "gpc_honoured_at": "user.privacy_preferences",
    "warranty_email": "user.contact.email",
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
    "shop.reviewinvitation.provider": "user.privacy_preferences",
}


def field_category(label: str, field: str) -> str | None:
    """The fideslang category of a declared field, or None where none is mapped."""
    return FIELD_OVERRIDES.get(f"{label}.{field}") or FIELD_CATEGORIES.get(field)
