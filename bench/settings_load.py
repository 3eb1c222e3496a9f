"""Settings for bench/load.py: the shop's production settings (DJANGO_DEBUG off), with
the static files collected into the benchmark's own temporary folder instead of the
project's staticfiles/."""

import os

from offtek.settings import *  # noqa: F403

STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
