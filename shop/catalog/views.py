"""The shopper's catalog pages: the module list, a module, the memory finder, search.

Each view parses its form, asks the selectors and renders. The catalog part of each
page is cached as HTML per catalog version and language (shop/catalog/cache.py); the
layout around it is rendered for every request. Bad input in the URL is cleaned by the
forms; unknown slugs are 404s.
"""

from functools import lru_cache

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from shop.catalog import selectors
from shop.catalog.cache import catalog_cached, catalog_fragment
from shop.catalog.forms import FinderForm, ModuleFilterForm, SearchForm
from shop.catalog.page_cache import shared_page
from shop.catalog.system_names import name_indexes_used
from shop.markets.selectors import market_for_request
from shop.models.catalog import volts

MODULES_PER_PAGE = 24
SYSTEMS_PER_PAGE = 30
FITTING_SYSTEMS_PER_PAGE = 20
SEARCH_RESULTS_SHOWN = 20
REMEMBERED_QUERY_LENGTH = 500
# The finder's examples: real machines of the demo catalog (the first rows of
# shop/catalog/demo/real_systems.csv), so trying one finds it.
FINDER_EXAMPLES = ("T460p", "OptiPlex 7040")


def demo_catalog_shown():
    """Whether pages carry the "demo data" banner; cached per catalog version, which
    changes with the flag."""
    return catalog_cached(("demo-catalog",), selectors.catalog_is_demo)


def _page(queryset, number, per_page):
    """A page of results; a page past the end shows the last page."""
    return Paginator(queryset, per_page).get_page(number)


def _page_number(request):
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and len(value) < 8 else 1


BUY_FORM_MARKER = "<!-- basket form -->"


def _catalog_page(request, *, key, template, context, extra=None):
    """Render the layout around the cached catalog fragment; 404 if there is none.

    Fragments are kept per market as well (their prices are the market's), and
    `context()` gets the market as its argument."""
    market = market_for_request(request)

    def priced():
        values = context(market)
        return None if values is None else {**values, "market": market}

    fragment = catalog_fragment(key=(market.code, key), template=template, context=priced)
    if fragment is None:
        raise Http404
    # The basket form needs this visitor's CSRF token, so it is rendered here, where the
    # fragment marks its place.
    before, _marker, after = fragment["html"].partition(BUY_FORM_MARKER)
    buy = fragment.get("buy")
    return render(
        request,
        "shop/catalog_page.html",
        {
            "title": fragment["title"],
            "description": fragment.get("description", ""),
            "demo_catalog": demo_catalog_shown(),
            "fragment": before,
            "fragment_after": after,
            "buy_module": {"pk": buy} if buy else None,
            **(extra or {}),
        },
    )


def manufacturers_listed():
    return catalog_cached(("manufacturers",), lambda: list(selectors.manufacturers_with_systems()))


@lru_cache(maxsize=2048)
def _canonical_module_query(raw_query):
    """The clean form of a catalog query string (a pure function of it, so remembered)."""
    return ModuleFilterForm(QueryDict(raw_query)).canonical_query()


@require_GET
@shared_page
def module_list(request):
    raw_query = request.GET.urlencode()
    if len(raw_query) <= REMEMBERED_QUERY_LENGTH:
        canonical = _canonical_module_query(raw_query)
    else:
        canonical = ModuleFilterForm(request.GET).canonical_query()
    if canonical != raw_query:
        return redirect(f"{request.path}?{canonical}" if canonical else request.path)

    def context(market):
        form = ModuleFilterForm(request.GET, market=market)
        modules = selectors.modules_filtered(**form.filters())
        page = _page(modules, form.page_number(), MODULES_PER_PAGE)
        return {
            "title": _("Memory modules"),
            "description": _(
                "Memory modules for laptops, desktops and servers: filter by generation, "
                "form factor, capacity, speed and price."
            ),
            "form": form,
            "page": page,
            "query": request.GET,
        }

    return _catalog_page(
        request,
        key=canonical,
        template="shop/module_list.html",
        context=context,
    )


@require_GET
@shared_page
def module_detail(request, slug):
    number = _page_number(request)

    def context(market):
        module = selectors.module_for_page(slug=slug)
        if module is None:
            return None
        systems = _page(selectors.systems_compatible_with(module), number, FITTING_SYSTEMS_PER_PAGE)
        return {
            "title": module,
            "description": _("%(module)s: specifications, price, stock and the computers it fits.")
            % {"module": module},
            "module": module,
            "systems": systems,
            "query": {"page": number},
            "buy": module.pk if module.stock > 0 else None,
        }

    return _catalog_page(
        request,
        key=(slug, number),
        template="shop/module_detail.html",
        context=context,
    )


@require_GET
@shared_page
def finder(request):
    form = FinderForm(request.GET)
    criteria = form.criteria()
    number = form.page_number()
    manufacturer = criteria["manufacturer"]

    def context(market):
        searching = manufacturer is not None or bool(criteria["query"])
        systems = (
            _page(selectors.systems_matching(**criteria), number, SYSTEMS_PER_PAGE)
            if searching
            else None
        )
        query = {"manufacturer": getattr(manufacturer, "slug", ""), "q": criteria["query"]}
        return {
            "title": _("Memory finder"),
            "description": _(
                "Find the memory that fits your computer: choose its manufacturer and model, "
                "see its maximum and the modules that fit."
            ),
            "examples": FINDER_EXAMPLES,
            "form": form,
            "manufacturer": manufacturer,
            "query": {key: value for key, value in query.items() if value},
            "search": criteria["query"],
            "manufacturers": manufacturers_listed(),
            "systems": systems,
        }

    return _catalog_page(
        request,
        key=(getattr(manufacturer, "pk", None), criteria["query"], number),
        template="shop/finder.html",
        context=context,
        extra={"finder_script": True},
    )


@require_GET
def finder_suggestions(request):
    """Type-ahead for the finder: at most ten systems, as JSON. On PostgreSQL they are
    not cached: the indexed queries cost less than a shared-cache miss (two reads and a
    write), and nearly every query typed is new."""
    criteria = FinderForm(request.GET).criteria()
    if name_indexes_used():
        return JsonResponse({"systems": selectors.system_suggestions(**criteria)})
    suggestions = catalog_cached(
        # The suggestions hold page addresses, which carry the language.
        (
            "suggestions",
            get_language(),
            getattr(criteria["manufacturer"], "pk", None),
            criteria["query"],
        ),
        lambda: selectors.system_suggestions(**criteria),
    )
    return JsonResponse({"systems": suggestions})


def _voltage_limit_label(system):
    limit = selectors.module_voltage_limit_mv(system)
    return None if limit is None else volts(limit)


@require_GET
@shared_page
def system_detail(request, slug):
    number = _page_number(request)

    def context(market):
        system = selectors.system_for_page(slug=slug)
        if system is None:
            return None
        compatible = selectors.modules_compatible_with(system).order_by(
            *selectors.module_ordering("-capacity", market=market)
        )
        return {
            "title": _("Memory for %(system)s") % {"system": system},
            "description": _(
                "Memory upgrades for %(system)s: its slots, its maximum and the modules "
                "that fit it."
            )
            % {"system": system},
            "system": system,
            "advice": selectors.upgrade_advice_for(system, compatible=compatible),
            "voltage_limit": _voltage_limit_label(system),
            "modules": _page(compatible, number, MODULES_PER_PAGE),
            "query": {"page": number},
        }

    return _catalog_page(
        request,
        key=(slug, number),
        template="shop/system_detail.html",
        context=context,
    )


@require_GET
@shared_page
def search(request):
    query = SearchForm(request.GET).query()

    def context(market):
        modules = selectors.modules_searched(query=query, market=market)
        systems = selectors.systems_searched(query=query)
        return {
            "title": _("Search"),
            "description": _("Search memory modules and computer models."),
            "query": query,
            "finder_url_query": urlencode({"q": query}),
            "modules": list(modules[:SEARCH_RESULTS_SHOWN]),
            "module_count": modules.count() if query else 0,
            "systems": list(systems[:SEARCH_RESULTS_SHOWN]),
            "system_count": systems.count() if query else 0,
        }

    return _catalog_page(
        request,
        key=query,
        template="shop/search_results.html",
        context=context,
    )


@require_safe
@shared_page
def home(request):
    return render(
        request,
        "shop/home.html",
        {"manufacturers": manufacturers_listed(), "demo_catalog": demo_catalog_shown()},
    )
