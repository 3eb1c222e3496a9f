"""Weak passwords are refused at sign-up, with the reason in the page's language, and
no account is created."""

import pytest
from django.urls import reverse

from privacy.models import User

pytestmark = pytest.mark.django_db

EMAIL = "marguerite.perey@example.com"
WEAK = {
    # password: (English reason, French reason)
    "Mv8#kq2": (
        "This password is too short. It must contain at least 10 characters.",
        "Ce mot de passe est trop court. Il doit contenir au minimum 10 caractères.",
    ),
    "8203948571620": (
        "This password is entirely numeric.",
        "Ce mot de passe est entièrement numérique.",
    ),
    "password123": (
        "This password is too common.",
        "Ce mot de passe est trop courant.",
    ),
    "marguerite.perey": (
        "The password is too similar to the e-mail address.",
        "Le mot de passe est trop semblable",
    ),
}


def sign_up(client, lang, password):
    url = reverse("account_signup").replace("/en/", f"/{lang}/")
    return client.post(url, {"email": EMAIL, "password1": password, "password2": password})


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("password", list(WEAK))
def test_weak_password_is_refused_with_a_translated_reason(client, lang, password):
    response = sign_up(client, lang, password)
    assert response.status_code == 200
    reason = WEAK[password][0 if lang == "en" else 1]
    assert reason in response.content.decode().replace("&#x27;", "'")
    assert not User.objects.filter(email=EMAIL).exists()


def test_a_strong_password_is_accepted(client):
    """The control: the same form with a good password creates the account."""
    response = sign_up(client, "en", "plum-orchard-sunrise-81")
    assert response.status_code == 302
    assert User.objects.filter(email=EMAIL).exists()
