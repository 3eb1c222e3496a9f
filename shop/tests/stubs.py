"""Test-only stand-ins for templates other branches own and base.html includes
(the cookie banner comes with the privacy branch). Inert once the real ones exist."""

from pathlib import Path

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

STUB_TEMPLATES = Path(__file__).resolve().parent / "stub_templates"


def stub_missing_templates(settings) -> None:
    try:
        get_template("privacy/includes/cookie_banner.html")
    except TemplateDoesNotExist:
        engines = [dict(engine) for engine in settings.TEMPLATES]
        engines[0]["DIRS"] = [*engines[0]["DIRS"], STUB_TEMPLATES]
        settings.TEMPLATES = engines
