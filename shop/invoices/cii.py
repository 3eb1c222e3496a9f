"""A document's EN 16931 data in UN/CEFACT CII, the XML that Factur-X embeds in the
PDF (profile EN 16931, which Factur-X calls "en16931" and its XSD checks).

Amounts are the document's integer minor units written with two decimals; the unit
net price, which need not be a whole number of cents, with four."""

from decimal import Decimal

from lxml import etree

from privacy.consent.purposes import uses_personal_data
from shop.models import Document

NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
    "qdt": "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
}
PROFILE = "urn:cen.eu:en16931:2017"
TYPE_CODES = {"invoice": "380", "credit_note": "381"}  # UNTDID 1001
BUYER_ADDRESS_PARTS = ("line1", "line2", "city", "postcode", "country")


@uses_personal_data("tax-records", categories=["contact", "identity"])
def buyer_of(document: Document) -> dict:
    """The buyer as issued: name and address by part (empty once anonymised)."""
    parts = document.buyer_address.split("\n")
    parts += [""] * (len(BUYER_ADDRESS_PARTS) - len(parts))
    return {"name": document.buyer_name, **dict(zip(BUYER_ADDRESS_PARTS, parts, strict=False))}


def money(minor: int) -> str:
    return f"{Decimal(minor) / 100:.2f}"


def percent(rate_bp: int) -> str:
    return f"{Decimal(rate_bp) / 100:.2f}"


def unit_price(net: int, quantity: int) -> str:
    return f"{Decimal(net) / 100 / quantity:.4f}"


def _el(parent, tag: str, text=None, **attributes):
    prefix, name = tag.split(":")
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{name}", attributes)
    if text is not None:
        element.text = str(text)
    return element


def _date(parent, tag: str, document: Document, qualified: bool = False):
    holder = _el(parent, tag)
    kind = "qdt:DateTimeString" if qualified else "udt:DateTimeString"
    _el(holder, kind, document.issued_at.strftime("%Y%m%d"), format="102")


def _address(party, *, line1, line2, city, postcode, country):
    address = _el(party, "ram:PostalTradeAddress")
    if postcode:
        _el(address, "ram:PostcodeCode", postcode)
    if line1:
        _el(address, "ram:LineOne", line1)
    if line2:
        _el(address, "ram:LineTwo", line2)
    if city:
        _el(address, "ram:CityName", city)
    _el(address, "ram:CountryID", country)


def _seller(agreement, facts: dict):
    party = _el(agreement, "ram:SellerTradeParty")
    _el(party, "ram:Name", facts["name"])
    legal = _el(party, "ram:SpecifiedLegalOrganization")
    _el(legal, "ram:ID", facts["registration"])
    lines = list(facts["address"]) + ["", ""]
    _address(
        party,
        line1=lines[0],
        line2=lines[1],
        city=facts["city"],
        postcode=facts["postcode"],
        country=facts["country"],
    )
    registration = _el(party, "ram:SpecifiedTaxRegistration")
    _el(registration, "ram:ID", facts["vat_number"], schemeID="VA")


def _line(transaction, line):
    item = _el(transaction, "ram:IncludedSupplyChainTradeLineItem")
    _el(_el(item, "ram:AssociatedDocumentLineDocument"), "ram:LineID", line.position)
    _el(_el(item, "ram:SpecifiedTradeProduct"), "ram:Name", line.description)
    agreement = _el(item, "ram:SpecifiedLineTradeAgreement")
    price = _el(agreement, "ram:NetPriceProductTradePrice")
    _el(price, "ram:ChargeAmount", unit_price(line.net, line.quantity))
    delivery = _el(item, "ram:SpecifiedLineTradeDelivery")
    _el(delivery, "ram:BilledQuantity", line.quantity, unitCode="C62")
    settlement = _el(item, "ram:SpecifiedLineTradeSettlement")
    tax = _el(settlement, "ram:ApplicableTradeTax")
    _el(tax, "ram:TypeCode", "VAT")
    _el(tax, "ram:CategoryCode", "S")
    _el(tax, "ram:RateApplicablePercent", percent(line.rate_bp))
    summation = _el(settlement, "ram:SpecifiedTradeSettlementLineMonetarySummation")
    _el(summation, "ram:LineTotalAmount", money(line.net))


def cii_xml(document: Document, lines=None) -> bytes:
    """The document as CII XML (UTF-8 bytes)."""
    lines = list(document.lines.all()) if lines is None else lines
    root = etree.Element(f"{{{NS['rsm']}}}CrossIndustryInvoice", nsmap=NS)
    context = _el(root, "rsm:ExchangedDocumentContext")
    _el(_el(context, "ram:GuidelineSpecifiedDocumentContextParameter"), "ram:ID", PROFILE)
    header = _el(root, "rsm:ExchangedDocument")
    _el(header, "ram:ID", document.number)
    _el(header, "ram:TypeCode", TYPE_CODES[document.kind])
    _date(header, "ram:IssueDateTime", document)
    if document.vat_note:
        _el(_el(header, "ram:IncludedNote"), "ram:Content", document.vat_note)

    transaction = _el(root, "rsm:SupplyChainTradeTransaction")
    for line in lines:
        _line(transaction, line)
    agreement = _el(transaction, "ram:ApplicableHeaderTradeAgreement")
    _seller(agreement, document.seller_facts)
    buyer = buyer_of(document)
    party = _el(agreement, "ram:BuyerTradeParty")
    _el(party, "ram:Name", buyer["name"] or "-")
    _address(
        party,
        line1=buyer["line1"],
        line2=buyer["line2"],
        city=buyer["city"],
        postcode=buyer["postcode"],
        country=buyer["country"] or document.vat_country,
    )
    order_reference = _el(agreement, "ram:BuyerOrderReferencedDocument")
    _el(order_reference, "ram:IssuerAssignedID", document.order.number)
    _el(transaction, "ram:ApplicableHeaderTradeDelivery")

    settlement = _el(transaction, "ram:ApplicableHeaderTradeSettlement")
    _el(settlement, "ram:InvoiceCurrencyCode", document.currency)
    for rate in document.vat_breakdown:
        tax = _el(settlement, "ram:ApplicableTradeTax")
        _el(tax, "ram:CalculatedAmount", money(rate["vat"]))
        _el(tax, "ram:TypeCode", "VAT")
        _el(tax, "ram:BasisAmount", money(rate["basis"]))
        _el(tax, "ram:CategoryCode", "S")
        _el(tax, "ram:RateApplicablePercent", percent(rate["rate_bp"]))
    totals = _el(settlement, "ram:SpecifiedTradeSettlementHeaderMonetarySummation")
    _el(totals, "ram:LineTotalAmount", money(document.net_total))
    _el(totals, "ram:TaxBasisTotalAmount", money(document.net_total))
    _el(totals, "ram:TaxTotalAmount", money(document.vat_total), currencyID=document.currency)
    _el(totals, "ram:GrandTotalAmount", money(document.gross_total))
    _el(totals, "ram:TotalPrepaidAmount", money(document.gross_total))  # paid by card
    _el(totals, "ram:DuePayableAmount", money(0))
    if document.invoice_id:
        invoice = document.invoice
        referenced = _el(settlement, "ram:InvoiceReferencedDocument")
        _el(referenced, "ram:IssuerAssignedID", invoice.number)
        _date(referenced, "ram:FormattedIssueDateTime", invoice, qualified=True)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
