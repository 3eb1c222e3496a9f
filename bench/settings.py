"""Settings for benchmark runs only: the shop's settings, with the URL conf that adds a
hello-world view to compare against (production URLs stay clean)."""

from offtek.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
