"""The fideslang data map: valid by fideslang's own models and taxonomy, and complete
against the registry and against the models that really hold encrypted data."""

import json
import warnings

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django_cryptography.fields import EncryptedMixin

from privacy import policy, registry
from privacy.policy import fides

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # fideslang's own pydantic deprecations
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY
    from fideslang.models import Dataset, System

CATEGORIES = {c.fides_key for c in DEFAULT_TAXONOMY.data_category}
USES = {u.fides_key for u in DEFAULT_TAXONOMY.data_use}
SUBJECTS = {s.fides_key for s in DEFAULT_TAXONOMY.data_subject}


@pytest.fixture
def manifest(tmp_path, settings):
    """The map with every processor the shop can use configured (the data map lists a
    processor only while it is: privacy/tests/test_policy_pages_agree.py)."""
    settings.PAYMENT_GATEWAY = "stripe"
    settings.SMS_BACKEND = "http"
    settings.REVIEW_PROVIDER_BACKEND = "provider"
    settings.SENTRY_DSN = "https://key@o1.ingest.us.sentry.io/2"
    path = tmp_path / "datamap.json"
    call_command("privacy_datamap", "--format", "json", "--output", str(path))
    return json.loads(path.read_text())


def test_every_resource_validates_with_fideslang(manifest):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        systems = [System.model_validate(s) for s in manifest["system"]]
        datasets = [Dataset.model_validate(d) for d in manifest["dataset"]]
    assert {s.fides_key for s in systems} == {"offtek_shop"} | {
        f"processor_{key.replace('-', '_')}" for key in policy.PROCESSORS
    }
    for system in systems:
        for declaration in system.privacy_declarations:
            assert declaration.data_use in USES
            assert set(declaration.data_categories) <= CATEGORIES
            assert set(declaration.data_subjects) <= SUBJECTS
            assert declaration.data_categories
    assert len(datasets) == 1


def test_the_shop_declares_every_purpose_with_its_basis(manifest):
    shop = next(s for s in manifest["system"] if s["fides_key"] == "offtek_shop")
    by_use_and_name = {d["name"]: d for d in shop["privacy_declarations"]}
    assert len(by_use_and_name) == len(policy.PURPOSES)
    consent = by_use_and_name["Newsletters and special offers by e-mail"]
    assert consent["legal_basis_for_processing"] == "Consent"
    assert consent["data_use"] == "marketing.communications.email"


def test_processors_outside_the_eea_say_so_with_a_transfer_basis(manifest):
    for key, processor in policy.PROCESSORS.items():
        system = next(
            s for s in manifest["system"] if s["fides_key"].endswith(key.replace("-", "_"))
        )
        assert system["does_international_transfers"] is processor.outside_eea
        if processor.outside_eea:
            assert system["legal_basis_for_transfers"]


def test_every_declared_field_and_its_history_copy_has_a_taxonomy_category(manifest):
    collections = {c["name"]: c for c in manifest["dataset"][0]["collections"]}
    for declaration in registry.declarations():
        tables = [declaration.model._meta.db_table]
        if declaration.history_model is not None:
            tables.append(declaration.history_model._meta.db_table)
        for table in tables:
            fields = {f["name"]: f["data_categories"] for f in collections[table]["fields"]}
            for name in declaration.fields:
                column = declaration.model._meta.get_field(name).column
                assert fields[column], f"{table}.{column} has no category"
                assert set(fields[column]) <= CATEGORIES


def test_every_table_with_an_encrypted_column_is_in_the_data_map(manifest):
    """Ground truth from the models, not the declarations: any model with an
    encrypted field (live or history) holds personal data and must be mapped."""
    tables = {c["name"] for c in manifest["dataset"][0]["collections"]}
    # The key canary (privacy.canary) is encrypted and about no one: exempt, with a reason.
    encrypted = {
        model._meta.db_table
        for model in apps.get_models()
        if any(isinstance(f, EncryptedMixin) for f in model._meta.concrete_fields)
        and not registry.exemption_for(model)
    }
    assert encrypted, "no encrypted model found: the walk itself is broken"
    assert encrypted <= tables, sorted(encrypted - tables)


def test_a_declared_field_with_no_category_fails_the_command(monkeypatch):
    monkeypatch.delitem(fides.FIELD_CATEGORIES, "tracking_number")
    with pytest.raises(CommandError, match="problem"):
        call_command("privacy_datamap", "--check")


def test_a_category_outside_the_taxonomy_fails_the_command(monkeypatch, capsys):
    monkeypatch.setitem(fides.FIELD_CATEGORIES, "email", "user.contact.telepathy")
    with pytest.raises(CommandError):
        call_command("privacy_datamap", "--check")
    assert "user.contact.telepathy" in capsys.readouterr().err


def test_an_unwritable_output_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot write"):
        call_command("privacy_datamap", "--output", str(tmp_path / "missing" / "map.yaml"))


def test_yaml_output_is_the_default(capsys):
    call_command("privacy_datamap")
    out = capsys.readouterr().out
    assert out.startswith("organization:")
    assert "fides_key: offtek_database" in out


def test_sessions_the_cache_and_two_factor_devices_are_in_the_data_map(manifest):
    collections = {c["name"]: c for c in manifest["dataset"][0]["collections"]}
    for table in ("django_session", "cache", "mfa_authenticator"):
        assert collections[table]["fields"][0]["data_categories"], table
    assert "user.contact.email" in collections["django_session"]["fields"][0]["data_categories"]
