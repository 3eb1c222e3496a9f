"""Stand-ins for templates other branches provide (remove once they are merged).

The layout includes privacy/includes/cookie_banner.html, which the privacy branch
ships. Until it is merged, a fallback template loader placed after the real ones
supplies an empty banner; when the real template exists it wins.
"""

from pathlib import Path

from django.template import TemplateDoesNotExist
from django.template.loader import get_template

FALLBACK_TEMPLATES = Path(__file__).resolve().parent / "fallback_templates"


def templates_with_fallback(templates):
    """A copy of the TEMPLATES setting with the fallback loader last."""
    patched = []
    for engine in templates:
        engine = {**engine, "OPTIONS": {**engine.get("OPTIONS", {})}}
        if engine["BACKEND"].endswith("DjangoTemplates"):
            engine["APP_DIRS"] = False
            engine["OPTIONS"]["loaders"] = [
                (
                    "django.template.loaders.cached.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                        ("django.template.loaders.filesystem.Loader", [str(FALLBACK_TEMPLATES)]),
                    ],
                )
            ]
        patched.append(engine)
    return patched


def cookie_banner_missing():
    try:
        get_template("privacy/includes/cookie_banner.html")
    except TemplateDoesNotExist:
        return True
    return False
