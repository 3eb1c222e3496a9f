"""Admin for the catalog: modules (with history and bulk price/stock actions),
systems (with compatibility overrides inline) and manufacturers. Modules and systems can
be imported from CSV or XLSX files (shop/catalog/imports.py), by staff who may add and
change them."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportMixin
from simple_history.admin import SimpleHistoryAdmin

from shop.catalog.imports import IMPORT_FORMATS, ModuleResource, SystemResource
from shop.catalog.services import (
    MAX_PERCENT,
    MIN_PERCENT,
    CatalogChangeRefused,
    modules_reprice,
    modules_stock_set,
)
from shop.models import CatalogSource, Manufacturer, Module, System, SystemModuleOverride


class RepriceForm(forms.Form):
    percent = forms.DecimalField(
        label=_("Change prices by (%)"),
        min_value=MIN_PERCENT,
        max_value=MAX_PERCENT,
        decimal_places=2,
        help_text=_("10 raises prices by 10 per cent, -10 lowers them by 10 per cent."),
    )


class StockSetForm(forms.Form):
    stock = forms.IntegerField(label=_("New stock"), min_value=0, max_value=1_000_000)


def _action_with_form(modeladmin, request, queryset, *, form_class, title, apply):
    """An admin action that asks for a value on an intermediate page, then applies it."""
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            try:
                changed = apply(form.cleaned_data)
            except CatalogChangeRefused as refusal:
                modeladmin.message_user(request, str(refusal), messages.ERROR)
                return None
            modeladmin.message_user(
                request,
                ngettext("%(count)d module changed.", "%(count)d modules changed.", changed)
                % {"count": changed},
                messages.SUCCESS,
            )
            return None
    else:
        form = form_class()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "queryset": queryset,
        "opts": modeladmin.model._meta,
        "action": request.POST.get("action"),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    return TemplateResponse(request, "admin/shop/module/action_form.html", context)


class CatalogImportMixin(ImportMixin):
    """The import page, for staff who may both add and change the model's rows."""

    import_formats = IMPORT_FORMATS

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)


@admin.register(Module)
class ModuleAdmin(CatalogImportMixin, SimpleHistoryAdmin):
    resource_classes = [ModuleResource]
    list_display = [
        "part_number",
        "brand",
        "generation",
        "form_factor",
        "capacity_gb",
        "kit_size",
        "speed_mts",
        "price_pence",
        "stock",
        "is_active",
    ]
    list_editable = ["price_pence", "stock"]
    list_filter = [
        "generation",
        "form_factor",
        "brand",
        "ecc",
        "registered",
        "is_active",
        "kit_size",
        "capacity_gb",
    ]
    search_fields = ["part_number", "brand", "slug"]
    prepopulated_fields = {"slug": ["part_number"]}
    list_per_page = 50
    actions = ["reprice", "set_stock"]
    history_list_display = ["price_pence", "stock"]

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # simple-history 3.13 calls select_related() with no field names for a model
        # without foreign keys, which Django 6.1 deprecates (a warning, an error in tests).
        return history_manager.filter(**{pk_name: object_id}).select_related("history_user")

    @admin.action(description=_("Change the price of the selected modules by a percentage"))
    def reprice(self, request, queryset):
        return _action_with_form(
            self,
            request,
            queryset,
            form_class=RepriceForm,
            title=_("Change prices"),
            apply=lambda values: modules_reprice(
                modules=queryset, percent=values["percent"], user=request.user
            ),
        )

    @admin.action(description=_("Set the stock of the selected modules"))
    def set_stock(self, request, queryset):
        return _action_with_form(
            self,
            request,
            queryset,
            form_class=StockSetForm,
            title=_("Set stock"),
            apply=lambda values: modules_stock_set(
                modules=queryset, stock=values["stock"], user=request.user
            ),
        )


class SystemModuleOverrideInline(admin.TabularInline):
    model = SystemModuleOverride
    extra = 0
    autocomplete_fields = ["module"]


@admin.register(System)
class SystemAdmin(CatalogImportMixin, SimpleHistoryAdmin):
    resource_classes = [SystemResource]
    list_display = [
        "__str__",
        "kind",
        "form_factor",
        "generations",
        "slots",
        "soldered_gb",
        "max_per_slot_gb",
        "max_total_gb",
        "max_speed_mts",
    ]
    list_filter = ["manufacturer", "kind", "form_factor", "generations", "ecc_support"]
    search_fields = ["model", "model_line", "manufacturer__name", "slug"]
    list_select_related = ["manufacturer"]
    prepopulated_fields = {"slug": ["model_line", "model"]}
    inlines = [SystemModuleOverrideInline]
    list_per_page = 50


@admin.register(Manufacturer)
class ManufacturerAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(CatalogSource)
class CatalogSourceAdmin(admin.ModelAdmin):
    """Staff clear the "demo data" flag here once the catalog is real."""

    list_display = ["__str__", "is_demo", "changed_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
