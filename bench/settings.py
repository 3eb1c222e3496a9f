"""Settings for benchmark runs only: the shop's settings, with the URL conf that adds a
hello-world view to compare against (production URLs stay clean)."""

from offtek.settings import *  # noqa: F403
from offtek.settings import TEMPLATES

ROOT_URLCONF = "bench.urls"


def _with_cookie_banner_stand_in(templates):
    """Until the privacy branch's cookie banner template is merged, let a stand-in
    (placed after the real loaders, so the real one wins) keep the layout rendering."""
    from shop.tests.stand_ins import templates_with_fallback

    return templates_with_fallback(templates)


TEMPLATES = _with_cookie_banner_stand_in(TEMPLATES)
