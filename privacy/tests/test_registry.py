"""Every model that holds personal data is declared, or exempt for a written reason."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django_cryptography.fields import EncryptedMixin

from privacy import policy, registry
from privacy.models import ConsentRecord, SecurityEvent, User
from privacy.purposes import purpose
from privacy.tests.factories import ConsentRecordFactory, UserFactory

# Words that make a field personal wherever they appear in its name.
PERSONAL_WORDS = {
    "name",
    "phone",
    "mobile",
    "address",
    "postcode",
    "ip",
    "agent",
    "message",
    "email",
    "body",
}

# Models whose fields look personal but hold no personal data, with the reason. Apps
# of our own should rather call registry.exempt() in their personal_data.py.
EXEMPT = {
    "auth.group": "The name of a staff role (Shop staff, Privacy Officer), not of a person.",
    "auth.permission": "The name of a permission, not of a person.",
    "django_tasks_database.dbtaskresult": (
        "Queue and backend names of background tasks; tasks take primary keys as "
        "arguments, never personal data."
    ),
    "admin.logentry": (
        "Staff audit trail: change_message lists the names of changed fields, never their "
        "values. object_repr may show a customer's login e-mail; account erasure must "
        "rewrite it (the erasure issue)."
    ),
}


def looks_personal(model_field) -> bool:
    if isinstance(model_field, EncryptedMixin):
        return True
    words = set(model_field.name.split("_"))
    return bool(words & PERSONAL_WORDS) or model_field.name == "user_agent"


def personal_fields(model):
    return [f.name for f in model._meta.concrete_fields if looks_personal(f)]


def test_every_model_with_personal_fields_is_declared():
    undeclared, undeclared_fields = [], []
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        fields = personal_fields(model)
        if not fields or label in EXEMPT or registry.exemption_for(model):
            continue
        declaration = registry.declaration_for(model)
        if declaration is None:
            undeclared.append(f"{label} {fields}")
            continue
        missing = [name for name in fields if name not in declaration.fields]
        if missing:
            undeclared_fields.append(f"{label} {missing}")
    assert undeclared == [], f"Declare these models in their app personal_data.py: {undeclared}"
    assert undeclared_fields == [], f"Add these fields to the declarations: {undeclared_fields}"


def test_the_walk_sees_historical_models_and_exemptions_have_reasons():
    labels = {m._meta.label_lower for m in apps.get_models(include_auto_created=True)}
    assert "privacy.historicaluser" in labels
    assert registry.declaration_for(apps.get_model("privacy", "HistoricalUser")).model is User
    assert all(len(reason) > 20 for reason in EXEMPT.values())


def test_privacy_declares_its_own_models():
    declared = {declaration.model for declaration in registry.declarations()}
    assert {User, ConsentRecord, SecurityEvent} <= declared


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"purpose": "selling-data"}, "unknown purpose"),
        ({"retention": "forever"}, "unknown retention rule"),
        ({"categories": ["health"]}, "unknown categories"),
        ({"fields": ["shoe_size"]}, "no such fields"),
        ({"erase": registry.Erase.ANONYMISE}, "needs anonymise"),
        ({"owner": "customer"}, "owner path"),
    ],
)
def test_a_declaration_that_does_not_match_the_policy_fails_at_start_up(override, message):
    arguments = {
        "categories": ["marketing"],
        "purpose": "account",
        "fields": ["purpose"],
        "retention": "consent-ledger",
        "owner": "user",
    }
    with pytest.raises(ImproperlyConfigured, match=message):
        registry.declare(ConsentRecord, **{**arguments, **override})
    assert registry.declaration_for(ConsentRecord).retention == "consent-ledger"


def test_an_exemption_needs_a_reason():
    with pytest.raises(ImproperlyConfigured):
        registry.exempt(ConsentRecord, reason=" ")


@pytest.mark.django_db
def test_a_declaration_finds_and_exports_a_customers_rows():
    user = UserFactory(first_name="Ada")
    ConsentRecordFactory(user=user)
    ConsentRecordFactory()  # someone else's
    consent = registry.declaration_for(ConsentRecord)
    rows = list(consent.rows_for(user))
    assert len(rows) == 1
    assert consent.export_row(rows[0])["purpose"] == "marketing-email"
    user_declaration = registry.declaration_for(User)
    with purpose(policy.OWN_DATA, subject=user):
        exported = user_declaration.export_row(user_declaration.rows_for(user).get())
    assert exported["first_name"] == "Ada"
