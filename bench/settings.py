"""Settings for every benchmark: the shop's own settings (production or development, as
DJANGO_DEBUG says), with what benchmarks need on top, chosen by the environment:

- always: the URL conf that adds a hello-world view to compare against and the layout
  alone (bench/urls.py; production URLs stay clean);
- BENCH_STATIC_ROOT=<dir>: collected static files go to the benchmark's temporary
  folder instead of the checkout's staticfiles/ (production-mode servers);
- BENCH_QUERY_LOG=off: DEBUG off even with the development settings, whose query log
  (thousands of batched statements) would otherwise be measured as memory;
- BENCH_STATIC_FROM_APPS=on: production settings serve static files straight from the
  app folders, as development does (fault tests need no collectstatic run).
"""

import os

from offtek.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]

if os.environ.get("BENCH_QUERY_LOG") == "off":
    DEBUG = False

if os.environ.get("BENCH_STATIC_FROM_APPS") == "on":
    WHITENOISE_USE_FINDERS = True
    STORAGES = {
        **STORAGES,  # noqa: F405
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
