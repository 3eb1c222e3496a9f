"""The record of processing in the admin: a printable page and a CSV download, for the
Privacy Officer (and superusers), in the language of the admin's URL."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from privacy.records.processing import (
    controller,
    processing_activities,
    processing_record_csv,
    processors,
    security_measures,
)

# Who may read the record: the Privacy Officer's role holds this permission.
RECORD_PERMISSION = "privacy.view_privacyrequest"


def _require_record_reader(request) -> None:
    if not request.user.has_perm(RECORD_PERMISSION):
        raise PermissionDenied


def processing_record(request):
    _require_record_reader(request)
    context = {
        **admin.site.each_context(request),
        "title": _("Record of processing activities"),
        "activities": processing_activities(),
        "measures": security_measures(),
        "processors": processors(),
        "controller": controller(),
        "generated_at": timezone.now(),
    }
    return TemplateResponse(request, "privacy/records/processing_record.html", context)


def processing_record_download(request):
    _require_record_reader(request)
    response = HttpResponse(processing_record_csv(), content_type="text/csv; charset=utf-8")
    filename = f"record-of-processing-{get_language()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
