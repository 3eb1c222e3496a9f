"""A document's Factur-X PDF: the page drawn by WeasyPrint from a template, as PDF/A-3b,
with its EN 16931 CII XML embedded by the `factur-x` library (which checks the XML
against the standard's XSD on the way)."""

import gc
import threading

import facturx
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from shop.invoices.cii import buyer_of, cii_xml
from shop.models import Document

# One font configuration for the process (a new one for every PDF would load the
# system's fonts again each time: slower, and more memory until it is collected), used
# by one thread at a time: fontconfig and Pango are not safe to share between threads.
FONTS = FontConfiguration()
RENDERING = threading.Lock()


_frozen = False


def _layout_collect() -> None:
    """A rendered page's boxes refer to their parents, so only the cyclic garbage
    collector frees them, and its full passes are rare: a process rendering many PDFs
    would grow. Collect after each PDF; what was alive before the first one (modules,
    settings, caches) is frozen once, so each pass looks only at what rendering made."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True
    gc.collect()


def document_html(document: Document, lines) -> str:
    with translation.override(document.language):
        return render_to_string(
            "shop/invoices/document.html",
            {
                "document": document,
                "lines": lines,
                "buyer": buyer_of(document),
                "seller": document.seller_facts,
            },
        )


def document_pdf(document: Document) -> bytes:
    """The Factur-X PDF of `document` (bytes)."""
    lines = list(document.lines.all())
    xml = cii_xml(document, lines)
    html = document_html(document, lines)
    with RENDERING:
        page = HTML(string=html).write_pdf(pdf_variant="pdf/a-3b", font_config=FONTS)
        _layout_collect()
    return facturx.generate_from_binary(
        page,
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        lang=document.language,
        pdf_metadata={
            "author": document.seller_facts["name"],
            "keywords": "Factur-X",
            "title": f"{document.seller_facts['name']}: {document.number}",
            "subject": document.number,
        },
    )
