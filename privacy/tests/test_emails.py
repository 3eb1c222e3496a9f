"""E-mails: HTML and text, in the recipient's language, sent through a task."""

import pytest
from django.core import mail
from django.urls import reverse

from privacy.emails import email_send
from privacy.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def greeting_template(settings, tmp_path):
    (tmp_path / "greeting_subject.txt").write_text('{% load i18n %}{% translate "Sign in" %}\n')
    (tmp_path / "greeting.txt").write_text(
        "{% load i18n %}{% autoescape off %}"
        "{% translate 'My account' %}: {{ name }}{% endautoescape %}"
    )
    (tmp_path / "greeting.html").write_text(
        '{% extends "email/base.html" %}{% block content %}<p>{{ name }}</p>{% endblock %}'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    return "greeting"


def test_email_is_sent_in_the_recipients_language_with_html(
    greeting_template, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to="client@example.fr",
            template=greeting_template,
            context={"name": "<Zoé>"},
            language="fr",
        )
    message = mail.outbox[0]
    assert message.to == ["client@example.fr"]
    assert message.subject == "Se connecter"
    assert message.body == "Mon compte: <Zoé>"  # text part is not HTML-escaped
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="fr">' in html
    assert "&lt;Zoé&gt;" in html  # HTML part is escaped
    assert "Offtek ne vous demandera jamais" in html


def test_signup_confirmation_has_an_html_part_in_french(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/fr/accounts/signup/",
            {"email": "nouveau@example.fr", "password1": PASSWORD, "password2": PASSWORD},
        )
    html, _ = mail.outbox[0].alternatives[0]
    assert "Confirmer mon adresse e-mail" in html
    assert (
        reverse("account_confirm_email", args=["x"]).split("/x/")[0].replace("/en/", "/fr/") in html
    )
