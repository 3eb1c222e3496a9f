"""Admin for the catalog: modules (with history and bulk price/stock actions),
systems (with compatibility overrides inline) and manufacturers. Modules and systems can
be imported from CSV or XLSX files (shop/catalog/imports.py), by staff who may add and
change them."""

import re

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportMixin
from import_export.forms import ConfirmImportForm, ImportForm
from simple_history.admin import SimpleHistoryAdmin

from shop.catalog.imports import (
    IMPORT_FORMATS,
    CatalogImportRefused,
    DemoPolicy,
    ModuleResource,
    SystemResource,
    file_size_check,
    import_problem_rows,
    import_template_csv,
)
from shop.catalog.services import (
    MAX_PERCENT,
    MIN_PERCENT,
    CatalogChangeRefused,
    demo_data_remove,
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


DEMO_FIELD = forms.ChoiceField(
    label=_("Demo data still on sale"),
    choices=DemoPolicy.CHOICES,
    initial=DemoPolicy.REFUSE,
    required=False,  # not given: refuse, the safe choice
)
# The confirm step's file is one the import step wrote: a random name, nothing else.
TEMPORARY_NAME = re.compile(r"^tmp[A-Za-z0-9_]{1,40}$")


class CatalogImportForm(ImportForm):
    demo = DEMO_FIELD

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        try:
            file_size_check(upload.size)
        except CatalogImportRefused as refusal:
            raise forms.ValidationError(str(refusal)) from refusal
        return upload


class CatalogConfirmForm(ConfirmImportForm):
    demo = forms.ChoiceField(choices=DemoPolicy.CHOICES, widget=forms.HiddenInput, required=False)

    def clean_import_file_name(self):
        name = super().clean_import_file_name()
        if not TEMPORARY_NAME.match(name):
            raise forms.ValidationError(_("This import has expired: choose the file again."))
        return name


class CatalogImportMixin(ImportMixin):
    """The import page, for staff who may both add and change the model's rows: the
    demo data choice, problems in a table of row, column, value and what is accepted,
    and a template file with an example row."""

    import_formats = IMPORT_FORMATS
    import_form_class = CatalogImportForm
    confirm_form_class = CatalogConfirmForm
    import_template_name = "admin/shop/catalog_import.html"

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None and import_form.is_valid():
            initial["demo"] = import_form.cleaned_data["demo"]
        return initial

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        demo = DemoPolicy.REFUSE
        if form is not None and hasattr(form, "cleaned_data"):
            demo = form.cleaned_data.get("demo") or demo
        return {**super().get_import_resource_kwargs(request, **kwargs), "demo": demo}

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        result = response.context_data.get("result")
        if result is not None and (result.has_errors() or result.has_validation_errors()):
            resource = self.get_import_resource_classes(request)[0]()
            response.context_data["problems"] = import_problem_rows(
                result, resource=resource, headers=result.diff_headers
            )
        response.context_data["template_url"] = reverse(
            "admin:{}_{}_import_template".format(*self.get_model_info()),
            current_app=self.admin_site.name,
        )
        return response

    def process_import(self, request, **kwargs):
        """The confirm step: a file name that is not the import's own, or a file gone
        (expired, already imported), is said plainly, never a server error."""
        try:
            response = super().process_import(request, **kwargs)
        except (OSError, CatalogImportRefused) as problem:
            messages.error(
                request, _("This import cannot go on: %(problem)s") % {"problem": _plain(problem)}
            )
            return redirect("admin:{}_{}_import".format(*self.get_model_info()))
        if getattr(response, "context_data", {}).get("errors"):
            messages.error(request, _("This import has expired: choose the file again."))
            return redirect("admin:{}_{}_import".format(*self.get_model_info()))
        return response

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import-template/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            return redirect("admin:index")
        name = self.model._meta.model_name
        response = HttpResponse(import_template_csv(name), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="offtek-{name}-template.csv"'
        return response


def _plain(problem):
    if isinstance(problem, OSError):
        return _("the uploaded file is no longer there; choose it again.")
    return str(problem)


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
        "price_eur_cents",
        "stock",
        "is_active",
    ]
    # Each market's own price list; the column names say pence or euro cents.
    list_editable = ["price_pence", "price_eur_cents", "stock"]
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
    history_list_display = ["price_pence", "price_eur_cents", "stock"]

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
    """Staff end the demo here: clearing "the catalog is demo data" takes every demo
    module off sale and deletes the made-up systems (the banner follows the demo
    modules on sale, so a flag alone could not hide them)."""

    list_display = ["__str__", "is_demo", "changed_at"]

    def save_model(self, request, obj, form, change):
        if not obj.is_demo and Module.objects.filter(is_demo=True, is_active=True).exists():
            taken_off = demo_data_remove()
            messages.success(
                request,
                ngettext(
                    "%(count)d demo module was taken off sale.",
                    "%(count)d demo modules were taken off sale.",
                    taken_off,
                )
                % {"count": taken_off},
            )
            return
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
