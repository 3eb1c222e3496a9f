"""Caching for the catalog pages. Nothing here is personal: what is cached depends only
on the catalog, the language and the URL's query, never on who is asking.

- Result lists (the ids on one page and the total count) are cached under the *catalog
  version*, a value replaced after every committed change to a module, system,
  manufacturer or compatibility override (signals, and the bulk services call
  catalog_version_bump). Writes that bypass signals (QuerySet.update) are covered by a
  short time-to-live.
- The catalog part of a page (everything but the layout around it) is cached as HTML
  the same way, per language, rendered without the request (see catalog_fragment).
  The layout (header, basket, account links) is rendered for each request.
- Stock and prices therefore show a change as soon as it is committed through a model
  save or a catalog service. Code that writes stock with QuerySet.update() must call
  catalog_version_bump(); if it forgets, pages catch up within RESULTS_TTL_SECONDS.
"""

import hashlib
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.translation import get_language

from shop.models import CatalogSource, Manufacturer, Module, System, SystemModuleOverride

CATALOG_VERSION_KEY = "catalog:version"
RESULTS_TTL_SECONDS = 60


def catalog_version():
    version = cache.get(CATALOG_VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(CATALOG_VERSION_KEY, version, None)
    return version


def catalog_version_bump():
    """Retire every cached result list, once the current transaction commits."""
    transaction.on_commit(lambda: cache.set(CATALOG_VERSION_KEY, time.time_ns(), None))


def _on_catalog_change(sender, **kwargs):
    catalog_version_bump()


for _model in (Module, System, Manufacturer, SystemModuleOverride, CatalogSource):
    post_save.connect(_on_catalog_change, sender=_model, dispatch_uid=f"catalog-save-{_model}")
    post_delete.connect(_on_catalog_change, sender=_model, dispatch_uid=f"catalog-del-{_model}")


def _key(*parts):
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"catalog:{catalog_version()}:{digest}"


def catalog_cached(key, compute):
    """The value of compute() for `key` in this version of the catalog ("" stands for
    a cached None)."""
    cache_key = _key("value", key)
    value = cache.get(cache_key)
    if value is None:
        value = compute()
        cache.set(cache_key, "" if value is None else value, RESULTS_TTL_SECONDS)
    return value


def catalog_fragment(*, key, template, context):
    """The HTML of `template` for `key`, in this catalog version and language.

    It is rendered without the request, so no context processor runs: the fragment
    cannot hold the visitor's name, basket, CSRF token or CSP nonce, and one visitor's
    page can never reach another. `context()` is only called on a cache miss; it
    returns the template's context with the page's "title" (and, on a module's page,
    "buy": the module's id while it is in stock), or None for "no such page".
    Returns {"title": ..., "html": ..., "buy": ...} or None."""

    def render():
        values = context()
        if values is None:
            return None
        html = render_to_string(template, values)
        return {
            "title": str(values["title"]),
            "description": str(values.get("description", "")),
            "html": html,
            "buy": values.get("buy"),
        }

    return catalog_cached(("fragment", get_language(), template, key), render) or None
