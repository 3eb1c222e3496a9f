"""One test per declared model with a change history: a customer's life leaves history
rows of it, and closing the account erases them (or, for a model kept under a legal
hold, detaches them from the login)."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from privacy import registry
from privacy.models import User
from tests.test_raw_database import PASSWORD, START, M, _client, _close, lifecycle

pytestmark = pytest.mark.django_db

WITH_HISTORY = [d for d in registry.declarations() if d.history_model is not None]


@pytest.mark.parametrize("declaration", WITH_HISTORY, ids=lambda d: d.label)
def test_closure_erases_the_history_rows_of(
    declaration, raw_settings, django_capture_on_commit_callbacks
):
    client = _client()
    with time_machine.travel(START, tick=True):
        lifecycle(client, django_capture_on_commit_callbacks)
    user = User.objects.get(email=M["email"])
    history = declaration.history_model.objects
    pk_name = declaration.model._meta.pk.attname
    ids = list(declaration.rows_for(user).values_list("pk", flat=True))
    rows = history.filter(**{f"{pk_name}__in": ids})
    assert rows.exists(), f"the lifecycle left no history of {declaration.label}"
    with time_machine.travel(START + datetime.timedelta(days=1), tick=True):
        client.post(reverse("account_logout"))
        client.post(reverse("account_login"), {"login": M["email"], "password": PASSWORD})
        _close(client, django_capture_on_commit_callbacks)
    if declaration.closure == registry.Closure.HOLD:
        assert rows.exists()
        if declaration.detach:
            assert not rows.exclude(**{declaration.detach: None}).exists()
    else:
        assert not rows.exists()
