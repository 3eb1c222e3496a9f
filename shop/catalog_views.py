"""The shopper's catalog pages: the module list, a module, the memory finder, search.

Each view parses its form, asks one selector and renders. Bad input in the URL is
cleaned by the forms; unknown slugs are 404s.
"""

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from shop import selectors
from shop.forms.catalog import FinderForm, ModuleFilterForm, SearchForm

MODULES_PER_PAGE = 24
SYSTEMS_PER_PAGE = 30
FITTING_SYSTEMS_PER_PAGE = 20
SEARCH_RESULTS_SHOWN = 20


def _page(queryset, number, per_page):
    """A page of results; a page past the end shows the last page."""
    return Paginator(queryset, per_page).get_page(number)


def _page_number(request):
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and len(value) < 8 else 1


@require_GET
def module_list(request):
    form = ModuleFilterForm(request.GET)
    canonical = form.canonical_query()
    if canonical != request.GET.urlencode():
        return redirect(f"{request.path}?{canonical}" if canonical else request.path)
    modules = selectors.modules_filtered(**form.filters())
    page = _page(modules, form.page_number(), MODULES_PER_PAGE)
    return render(request, "shop/module_list.html", {"form": form, "page": page})


@require_GET
def module_detail(request, slug):
    module = selectors.module_for_page(slug=slug)
    if module is None:
        raise Http404
    systems = _page(
        selectors.systems_compatible_with(module), _page_number(request), FITTING_SYSTEMS_PER_PAGE
    )
    return render(request, "shop/module_detail.html", {"module": module, "systems": systems})


@require_GET
def finder(request):
    form = FinderForm(request.GET)
    criteria = form.criteria()
    searching = criteria["manufacturer"] is not None or bool(criteria["query"])
    systems = (
        _page(selectors.systems_matching(**criteria), form.page_number(), SYSTEMS_PER_PAGE)
        if searching
        else None
    )
    return render(
        request,
        "shop/finder.html",
        {
            "form": form,
            "manufacturer": criteria["manufacturer"],
            "query": criteria["query"],
            "manufacturers": selectors.manufacturers_with_systems(),
            "systems": systems,
        },
    )


@require_GET
def finder_suggestions(request):
    """Type-ahead for the finder: at most ten systems, as JSON."""
    form = FinderForm(request.GET)
    return JsonResponse({"systems": selectors.system_suggestions(**form.criteria())})


@require_GET
def system_detail(request, slug):
    system = selectors.system_for_page(slug=slug)
    if system is None:
        raise Http404
    compatible = selectors.modules_compatible_with(system).order_by(
        "-total_gb", "price_pence", "pk"
    )
    advice = selectors.upgrade_advice_for(system, compatible=compatible)
    modules = _page(compatible, _page_number(request), MODULES_PER_PAGE)
    return render(
        request,
        "shop/system_detail.html",
        {"system": system, "advice": advice, "modules": modules},
    )


@require_GET
def search(request):
    query = SearchForm(request.GET).query()
    modules = selectors.modules_searched(query=query)
    systems = selectors.systems_searched(query=query)
    return render(
        request,
        "shop/search_results.html",
        {
            "query": query,
            "modules": modules[:SEARCH_RESULTS_SHOWN],
            "module_count": modules.count() if query else 0,
            "systems": systems[:SEARCH_RESULTS_SHOWN],
            "system_count": systems.count() if query else 0,
        },
    )
