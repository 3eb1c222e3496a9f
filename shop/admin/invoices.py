"""Staff side of invoices and credit notes: read-only (an issued document never
changes), with the PDF to open and a page to send it to the customer again."""

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from shop.invoices.emails import document_email_send
from shop.invoices.views import document_pdf_response
from shop.models import Document, DocumentFile, DocumentLine


class DocumentLineInline(admin.TabularInline):
    model = DocumentLine
    extra = 0
    can_delete = False
    fields = ["position", "description", "quantity", "net", "rate_bp", "vat", "gross"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "order", "issued_at", "currency", "gross_total"]
    list_filter = ["kind", "currency", "vat_country", "issued_at"]
    search_fields = ["number", "order__number"]
    date_hierarchy = "issued_at"
    list_select_related = ["order"]
    inlines = [DocumentLineInline]
    readonly_fields = [
        *[f.name for f in Document._meta.concrete_fields],
        "pdf_links",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("PDF"))
    def pdf_links(self, obj):
        if not DocumentFile.objects.filter(document=obj).exists():
            return _("being rendered")
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:shop_document_pdf", args=[obj.pk]),
            _("Open the PDF"),
            reverse("admin:shop_document_resend", args=[obj.pk]),
            _("Send it to the customer again"),
        )

    def get_urls(self):
        return [
            path(
                "<int:document_id>/pdf/",
                self.admin_site.admin_view(self.pdf_view),
                name="shop_document_pdf",
            ),
            path(
                "<int:document_id>/resend/",
                self.admin_site.admin_view(self.resend_view),
                name="shop_document_resend",
            ),
            *super().get_urls(),
        ]

    def pdf_view(self, request, document_id: int):
        document = Document.objects.filter(pk=document_id).first()
        response = document_pdf_response(document, disposition="inline")
        # Staff opening a customer's invoice is written to the customer's security log.
        self.matrix_log_view(request, document_id, response, detail="pdf")
        return response

    def resend_view(self, request, document_id: int):
        document = get_object_or_404(Document.objects.select_related("order"), pk=document_id)
        change_url = reverse("admin:shop_document_change", args=[document.pk])
        if request.method == "POST":
            if not DocumentFile.objects.filter(document=document).exists():
                self.message_user(request, _("The PDF is not rendered yet."), messages.ERROR)
            elif document_email_send(document=document):
                self.message_user(request, _("Sent to the customer again."), messages.SUCCESS)
            else:
                self.message_user(
                    request,
                    _("The customer closed their account: nobody to send it to."),
                    messages.ERROR,
                )
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Send %(number)s again") % {"number": document.number},
            "document": document,
            "change_url": change_url,
        }
        return render(request, "shop/admin/document_resend.html", context)
