"""Settings for benchmarks: the project's, plus stand-ins for templates that other
branches own (the cookie banner) until they are merged."""

from pathlib import Path

from offtek.settings import *  # noqa: F403
from offtek.settings import BASE_DIR, TEMPLATES

if not (
    BASE_DIR / "privacy" / "templates" / "privacy" / "includes" / "cookie_banner.html"
).exists():
    TEMPLATES[0]["DIRS"] = [
        *TEMPLATES[0]["DIRS"],
        Path(BASE_DIR / "shop" / "tests" / "stub_templates"),
    ]
