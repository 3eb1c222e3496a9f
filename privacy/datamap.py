"""The shop's data map in fideslang's resources, built from the policy registry.

`datamap_build()` returns the manifest (organization, systems, dataset): a system for
the shop and one per processor, each with privacy declarations (data use, data
categories, data subjects, legal basis); one dataset with a collection per table that
holds declared personal data (history tables included) and a field per declared
field. `datamap_problems()` validates it with fideslang's own models and checks every
key against fideslang's default taxonomy.
"""

import warnings

from django.utils import translation

from privacy import policy, registry
from privacy.policy import fides

SHOP_SYSTEM = "offtek_shop"
DATASET = "offtek_database"
ORGANIZATION = "offtek"

# Our broad categories, for what a processor receives (it sees no table of ours).
CATEGORY_FIDES = {
    "contact": ("user.contact",),
    "identity": ("user.name",),
    "financial": ("user.financial",),
    "transaction": ("user.behavior.purchase_history",),
    "technical": ("user.device",),
    "marketing": ("user.privacy_preferences",),
    "correspondence": ("user.content.private",),
}


def processor_key(key: str) -> str:
    return f"processor_{key.replace('-', '_')}"


def _purpose_categories(purpose) -> set[str]:
    return {fides_key for c in purpose.categories for fides_key in CATEGORY_FIDES[c]}


def _declared_categories() -> dict[str, set[str]]:
    """Purpose key -> the fideslang categories of the fields declared under it."""
    by_purpose: dict[str, set[str]] = {}
    for declaration in registry.declarations():
        for name in declaration.fields:
            category = fides.field_category(declaration.label, name)
            if category:
                by_purpose.setdefault(declaration.purpose, set()).add(category)
    return by_purpose


def _declaration(purpose, categories) -> dict:
    declaration = {
        "name": str(purpose.label),
        "data_use": fides.PURPOSE_USES[purpose.key],
        "data_categories": sorted(categories),
        "data_subjects": list(policy.purpose_subjects(purpose.key)),
        "legal_basis_for_processing": fides.BASIS_NAMES[purpose.basis],
        "dataset_references": [],
    }
    rules = [r for r in policy.RETENTION.values() if r.purpose == purpose.key]
    if rules:
        declaration["retention_period"] = "; ".join(
            f"{rule.label}: {rule.period_label}" for rule in rules
        )
    return declaration


def _shop_system(declared: dict[str, set[str]], in_use: policy.PolicyInUse) -> dict:
    used = sorted(in_use.processors)
    controller = policy.controller()
    declarations = []
    for purpose in in_use.purposes:
        entry = _declaration(
            purpose, _purpose_categories(purpose) | declared.get(purpose.key, set())
        )
        entry["dataset_references"] = [DATASET] if purpose.key in declared else []
        declarations.append(entry)
    return {
        "fides_key": SHOP_SYSTEM,
        "organization_fides_key": ORGANIZATION,
        "name": "Offtek web shop",
        "description": "The Offtek shop: catalog, orders, payments, accounts and privacy rights.",
        "system_type": "Application",
        "dataset_references": [DATASET],
        "egress": [{"fides_key": processor_key(key), "type": "system"} for key in used],
        "privacy_declarations": declarations,
        "legal_name": controller["name"],
        "legal_address": controller["address"],
        "processes_personal_data": True,
    }


def _processor_system(processor, in_use: policy.PolicyInUse) -> dict:
    purposes = [p for p in in_use.purposes if processor.key in p.processors]
    system = {
        "fides_key": processor_key(processor.key),
        "organization_fides_key": ORGANIZATION,
        "name": str(processor.label),
        "description": f"{processor.role}; receives {processor.receives} ({processor.locations})",
        "system_type": "Service",
        "ingress": [{"fides_key": SHOP_SYSTEM, "type": "system"}],
        "privacy_declarations": [_declaration(p, _purpose_categories(p)) for p in purposes],
        "does_international_transfers": processor.outside_eea,
        "processes_personal_data": True,
    }
    if processor.outside_eea:
        system["legal_basis_for_transfers"] = list(
            fides.TRANSFER_BASES.get(processor.key, ("Other",))
        )
    return system


def _collection(table: str, declaration, note: str = "") -> dict:
    fields = []
    for name in declaration.fields:
        field = declaration.model._meta.get_field(name)
        category = fides.field_category(declaration.label, name)
        fields.append(
            {
                "name": getattr(field, "column", None) or name,
                "data_categories": [category] if category else [],
            }
        )
    rule = policy.RETENTION[declaration.retention]
    name = declaration.model._meta.verbose_name
    description = f"{name}{note}. Retention: {rule.label}, {rule.period_label}."
    return {"name": table, "description": description, "fields": fields}


# Where the framework keeps personal data outside any declared model: the sessions, the
# shared cache (a table, or Redis) and allauth's two-factor devices. Each is scanned by
# privacy_scan; the sessions and the cache copies of them are encrypted whole
# (privacy/sessions.py).
STORES = (
    (
        "django_session",
        "session_data",
        ("user.contact.email", "user.authorization.credentials", "user.name"),
        "Signed-in sessions: sign-in state with the address typed, the display name and "
        "messages, encrypted whole. Deleted at sign-out, at closure, or when they expire.",
    ),
    (
        "cache",
        "value",
        (
            "user.authorization.credentials",
            "user.unique_id.pseudonymous",
            "user.name",
            "user.contact.address",
            "user.contact.phone_number",
            "user.behavior.purchase_history",
        ),
        "The shared cache (the database cache table, or Redis): copies of the encrypted "
        "sessions, rate-limit counters keyed by a keyed hash of the IP address, catalog "
        "pages without personal parts, and a signed-in person's own pages (orders, "
        "basket, checkout) encrypted under a key made from a token that any change to "
        "their data, and the account's erasure, deletes. Entries expire on their own.",
    ),
    (
        "mfa_authenticator",
        "data",
        ("user.authorization.credentials",),
        "Two-factor devices (TOTP secret, recovery codes) of an account; deleted with it.",
    ),
)


def _stores() -> list[dict]:
    return [
        {
            "name": table,
            "description": description,
            "fields": [{"name": column, "data_categories": list(categories)}],
        }
        for table, column, categories, description in STORES
    ]


def _dataset() -> dict:
    collections = _stores()
    for declaration in registry.declarations():
        collections.append(_collection(declaration.model._meta.db_table, declaration))
        history = declaration.history_model
        if history is not None:
            collections.append(
                _collection(history._meta.db_table, declaration, " (history copies)")
            )
    return {
        "fides_key": DATASET,
        "organization_fides_key": ORGANIZATION,
        "name": "Offtek database",
        "description": "Every table that holds personal data, with each declared field.",
        "collections": collections,
    }


def datamap_build() -> dict:
    """The manifest, in English (fideslang resources carry one language)."""
    with translation.override("en"):
        declared = _declared_categories()
        in_use = policy.policy_in_use()
        systems = [_shop_system(declared, in_use)]
        systems += [_processor_system(p, in_use) for p in in_use.processors.values()]
        return {
            "organization": [{"fides_key": ORGANIZATION, "name": policy.controller()["name"]}],
            "system": systems,
            "dataset": [_dataset()],
        }


def _taxonomy_keys():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fideslang's own pydantic deprecations
        from fideslang.default_taxonomy import DEFAULT_TAXONOMY
    return (
        {c.fides_key for c in DEFAULT_TAXONOMY.data_category},
        {u.fides_key for u in DEFAULT_TAXONOMY.data_use},
        {s.fides_key for s in DEFAULT_TAXONOMY.data_subject},
    )


def datamap_problems(manifest: dict) -> list[str]:
    """What is wrong with the manifest: fideslang validation errors, keys that are not
    in the taxonomy, declared fields with no category. Empty when it is sound."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fideslang.models import Dataset, Organization, System
        from pydantic import ValidationError

    problems = []
    for kind, model in (("organization", Organization), ("system", System), ("dataset", Dataset)):
        for resource in manifest.get(kind, []):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    model.model_validate(resource)
            except ValidationError as error:
                problems.append(f"{kind} {resource.get('fides_key')}: {error}")
    categories, uses, subjects = _taxonomy_keys()
    for system in manifest.get("system", []):
        for entry in system["privacy_declarations"]:
            where = f"system {system['fides_key']} / {entry['name']}"
            if entry["data_use"] not in uses:
                problems.append(f"{where}: data use {entry['data_use']!r} is not in the taxonomy")
            problems += [
                f"{where}: data category {c!r} is not in the taxonomy"
                for c in entry["data_categories"]
                if c not in categories
            ]
            problems += [
                f"{where}: data subject {s!r} is not in the taxonomy"
                for s in entry["data_subjects"]
                if s not in subjects
            ]
    for dataset in manifest.get("dataset", []):
        for collection in dataset["collections"]:
            for field in collection["fields"]:
                where = f"{collection['name']}.{field['name']}"
                if not field["data_categories"]:
                    problems.append(f"{where}: declared field with no data category")
                problems += [
                    f"{where}: data category {c!r} is not in the taxonomy"
                    for c in field["data_categories"]
                    if c not in categories
                ]
    return problems
