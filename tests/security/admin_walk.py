"""Every URL of the staff admin, found through the URL resolver, and the role-matrix row
that governs it (None when it has none: the role-matrix test then fails)."""

from dataclasses import dataclass

from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver

from privacy import role_matrix

# standard ModelAdmin view -> the action the matrix must grant for a GET
MODEL_VIEWS = {
    "changelist": "view",
    "add": "add",
    "change": "view",
    "delete": "delete",
    "history": "view",
    "simple_history": "view",
    "redirect": "view",  # <id>/ -> <id>/change/
}


@dataclass(frozen=True)
class AdminUrl:
    name: str | None
    route: tuple  # the pattern strings from the admin root down
    model_label: str | None  # the ModelAdmin it belongs to, if any

    @property
    def view(self) -> str | None:
        """changelist/add/... for a standard model view, None for a page of its own."""
        if self.model_label is None:
            return None
        if self.name is None:
            return "redirect"
        info = self.model_label.replace(".", "_") + "_"
        suffix = self.name.removeprefix(info)
        return suffix if self.name.startswith(info) and suffix in MODEL_VIEWS else None

    @property
    def page_key(self) -> str | None:
        if self.view is not None:
            return None
        if self.name is None and self.model_label is None:
            return "final_catch_all"
        return self.name

    def matrix_row(self):
        if self.view is not None:
            return role_matrix.MODELS.get(self.model_label)
        return role_matrix.PAGES.get(self.page_key)

    def __str__(self):
        return f"{self.name or self.page_key} ({''.join(self.route)})"


def _admin_resolver():
    def find(resolver):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    return entry
                found = find(entry)
                if found is not None:
                    return found
        return None

    return find(get_resolver())


def admin_urls(resolver=None, route=(), model_label=None, site=None):
    """Every view under the admin namespace, with the model it belongs to."""
    resolver = resolver or _admin_resolver()
    prefixes = {
        f"{model._meta.app_label}/{model._meta.model_name}/": model._meta.label_lower
        for model in (site or admin.site)._registry
    }
    for entry in resolver.url_patterns:
        here = (*route, str(entry.pattern))
        if isinstance(entry, URLResolver):
            label = prefixes.get(str(entry.pattern), model_label)
            yield from admin_urls(entry, here, label, site)
        elif isinstance(entry, URLPattern):
            yield AdminUrl(entry.name, here, model_label)


def urls_without_a_row(urls) -> list[AdminUrl]:
    return [url for url in urls if url.matrix_row() is None]
