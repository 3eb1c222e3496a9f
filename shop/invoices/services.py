"""Issuing invoices and credit notes. A document is written once, with every amount
and both parties frozen, numbered in the same transaction; its PDF is rendered
afterwards by a task (shop.invoices.tasks). Nothing here ever changes an issued one."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from privacy.consent.purposes import uses_personal_data
from shop.invoices.freeze import order_vat_freeze
from shop.invoices.numbering import number_take
from shop.invoices.rules import vat_treatment
from shop.invoices.vat import TaxedLine, allocate, rate_split, vat_breakdown
from shop.models import Document, DocumentKind, DocumentLine, Order, Refund, RefundStatus


class DocumentRefused(Exception):
    """No document can be issued for this (an unpaid order, a refund that never
    counted towards its order)."""


def _seller_facts(treatment) -> dict:
    seller = settings.SHOP_SELLER
    vat_numbers = {"GB": seller["vat_number"], "FR": seller["vat_number_fr"]}
    return {
        "key": settings.SHOP_INVOICE_SERIES,
        "name": seller["name"],
        "address": list(seller["address_lines"]),
        "postcode": seller["postcode"],
        "city": seller["city"],
        "country": seller["country"],
        "registration": seller["registration_number"],
        "vat_number": vat_numbers[treatment.seller_vat_number],
    }


def _mention(treatment) -> str:
    if not treatment.mention:
        return ""
    return str(treatment.mention) % {"ioss": settings.SHOP_SELLER["ioss_number"]}


@uses_personal_data("tax-records", categories=["contact", "identity"])
def _buyer(order: Order) -> dict:
    lines = [order.delivery_line1, order.delivery_line2, order.delivery_city]
    lines += [order.delivery_postcode, order.delivery_country]
    return {"buyer_name": order.delivery_name, "buyer_address": "\n".join(lines)}


def _create(*, order, kind, lines, descriptions, quantities, invoice=None, refund=None):
    """Number and write one document. A credit note names the seller and carries the VAT
    mention exactly as its invoice did."""
    if invoice is None:
        treatment = vat_treatment(
            destination=order.vat_country,
            goods_amount=order.subtotal_pence,
            currency=order.currency,
        )
        seller_facts, vat_note = _seller_facts(treatment), _mention(treatment)
    else:
        seller_facts, vat_note = invoice.seller_facts, invoice.vat_note
    seller = settings.SHOP_INVOICE_SERIES
    sequence, number = number_take(seller=seller)
    net = sum(line.net for line in lines)
    vat = sum(line.vat for line in lines)
    document = Document.objects.create(
        kind=kind,
        seller=seller,
        sequence=sequence,
        number=number,
        order=order,
        invoice=invoice,
        refund=refund,
        issued_at=timezone.now(),
        language=order.language,
        currency=order.currency,
        vat_country=order.vat_country,
        net_total=net,
        vat_total=vat,
        gross_total=net + vat,
        vat_breakdown=vat_breakdown(lines),
        seller_facts=seller_facts,
        vat_note=vat_note,
        **_buyer(order),
    )
    DocumentLine.objects.bulk_create(
        DocumentLine(
            document=document,
            position=position,
            description=description[:200],
            quantity=quantity,
            net=line.net,
            rate_bp=line.rate_bp,
            vat=line.vat,
            gross=line.gross,
        )
        for position, (line, description, quantity) in enumerate(
            zip(lines, descriptions, quantities, strict=True), start=1
        )
    )
    return document


def _order_lines(order: Order) -> tuple[list[TaxedLine], list[str], list[int]]:
    """The order's frozen lines and its delivery (a line of its own when it costs
    something)."""
    if order.delivery_vat_rate_bp is None:  # placed before VAT was frozen on orders
        order_vat_freeze(order=order)
        order.refresh_from_db()
    taxed, descriptions, quantities = [], [], []
    for line in order.lines.all():
        taxed.append(TaxedLine(line.total_pence, line.net_minor, line.vat_minor, line.vat_rate_bp))
        descriptions.append(f"{line.part_number} {line.description}")
        quantities.append(line.quantity)
    if order.delivery_pence:
        taxed.append(
            TaxedLine(
                order.delivery_pence,
                order.delivery_net_minor,
                order.delivery_vat_minor,
                order.delivery_vat_rate_bp,
            )
        )
        descriptions.append(_("Delivery (%(option)s)") % {"option": order.delivery_option})
        quantities.append(1)
    return taxed, descriptions, quantities


@transaction.atomic
def invoice_issue(*, order: Order) -> Document:
    """The order's invoice, issued once when it is paid (an existing one is returned)."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    existing = Document.objects.filter(order=order, kind=DocumentKind.INVOICE).first()
    if existing is not None:
        return existing
    if order.paid_at is None:
        raise DocumentRefused(f"{order.number} is not paid")
    with translation.override(order.language):
        lines, descriptions, quantities = _order_lines(order)
    return _create(
        order=order,
        kind=DocumentKind.INVOICE,
        lines=lines,
        descriptions=descriptions,
        quantities=quantities,
    )


def _refund_lines(invoice: Document, amount: int, full: bool):
    """A refund's lines: the invoice's own lines when it gives everything back at
    once; otherwise one line per VAT rate, the amount shared between the invoice's
    rates in proportion to what each one cost."""
    if full:
        lines = list(invoice.lines.all())
        taxed = [TaxedLine(line.gross, line.net, line.vat, line.rate_bp) for line in lines]
        return taxed, [line.description for line in lines], [line.quantity for line in lines]
    rates = invoice.vat_breakdown
    shares = allocate(amount, [rate["basis"] + rate["vat"] for rate in rates])
    taxed = []
    for rate, share in zip(rates, shares, strict=True):
        if share:
            net, vat = rate_split(share, rate["rate_bp"])
            taxed.append(TaxedLine(share, net, vat, rate["rate_bp"]))
    description = _("Refund on invoice %(number)s") % {"number": invoice.number}
    return taxed, [description] * len(taxed), [1] * len(taxed)


@transaction.atomic
def credit_note_issue(*, refund: Refund) -> Document:
    """The credit note of a succeeded refund that counts towards its order, issued
    once; it references the order's invoice (issued first if it was not yet)."""
    refund = Refund.objects.select_related("payment__order").get(pk=refund.pk)
    existing = Document.objects.filter(refund=refund).first()
    if existing is not None:
        return existing
    if refund.status != RefundStatus.SUCCEEDED or not refund.counts_towards_order:
        raise DocumentRefused(f"refund {refund.pk} does not count towards its order")
    invoice = invoice_issue(order=refund.payment.order)
    order = Order.objects.select_for_update().get(pk=invoice.order_id)
    credited = sum(invoice.credit_notes.values_list("gross_total", flat=True))
    full = credited == 0 and refund.amount_pence == invoice.gross_total
    with translation.override(order.language):
        lines, descriptions, quantities = _refund_lines(invoice, refund.amount_pence, full)
    return _create(
        order=order,
        kind=DocumentKind.CREDIT_NOTE,
        lines=lines,
        descriptions=descriptions,
        quantities=quantities,
        invoice=invoice,
        refund=refund,
    )
