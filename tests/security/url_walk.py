"""Every URL pattern of the site as a concrete path, for tests that must reach them all."""

import re

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

ROUTE_PART = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
REGEX_GROUP = re.compile(r"\((?:\?P<\w+>)?([^()?]*)\)")
SAMPLE = {"int": "1", "uuid": "00000000-0000-0000-0000-000000000001"}


def _route_sample(match):
    return SAMPLE.get(match["converter"], "x1")


def _regex_sample(match):
    body = match[1]
    if re.fullmatch(r"[\w|]+", body):
        return body.split("|")[0]  # an alternation of names: the first one
    return "1"


def _sample(pattern) -> str:
    if isinstance(pattern, LocalePrefixPattern):
        return "en/"
    if isinstance(pattern, RoutePattern):
        return ROUTE_PART.sub(_route_sample, str(pattern))
    if isinstance(pattern, RegexPattern):
        return REGEX_GROUP.sub(_regex_sample, str(pattern).lstrip("^").rstrip("$"))
    raise TypeError(f"unknown URL pattern type: {pattern!r}")


def url_paths(resolver=None, prefix="/", namespace=""):
    """(qualified name or route, concrete path) of every view; the path resolves back
    to the same view (checked by the callers)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        path = prefix + _sample(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_paths(entry, path, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or str(entry.pattern)}", path, entry.callback
