"""VAT arithmetic on VAT-inclusive prices (EN 16931), and rates as data by period."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shop.invoices import vat
from shop.invoices.rules import VatTreatment, vat_treatment
from shop.invoices.vat import (
    VatRateMissing,
    allocate,
    lines_tax,
    rate_split,
    vat_breakdown,
    vat_rate_on,
)
from shop.tests.invoice_steps import rate_changed


def _half_up(numerator, denominator):
    return (2 * numerator + denominator) // (2 * denominator)


def test_a_gross_amount_splits_into_basis_and_the_basis_times_the_rate():
    assert rate_split(12000, 2000) == (10000, 2000)
    assert rate_split(4999, 2000) == (4166, 833)  # 4165.83 -> 4166; 833.2 -> 833
    assert rate_split(0, 2000) == (0, 0)


def test_vat_is_the_basis_times_the_rate_rounded_whenever_a_basis_allows_it():
    for gross in range(1, 800):
        basis, vat = rate_split(gross, 2000)
        exact = [b for b in range(gross + 1) if b + _half_up(b * 2000, 10000) == gross]
        assert basis + vat == gross
        if exact:
            assert vat == _half_up(basis * 2000, 10000)


def test_a_total_no_basis_reaches_keeps_what_was_paid_within_one_minor_unit():
    # At 20 %, bases 2 and 3 give totals 2 and 4: no basis gives 3.
    basis, vat = rate_split(3, 2000)
    assert basis + vat == 3
    assert abs(vat * 10000 - basis * 2000) < 10000


def test_allocate_shares_exactly_by_largest_remainder():
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(10, [0, 5, 5]) == [0, 5, 5]
    assert allocate(0, [0, 0]) == [0, 0]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=2_000_000), st.sampled_from([2000, 550, 0])),
        min_size=1,
        max_size=12,
    )
)
def test_line_nets_add_up_to_each_rates_basis_and_lines_to_what_is_paid(lines):
    taxed = lines_tax(lines)
    assert [line.gross for line in taxed] == [gross for gross, _rate in lines]
    assert all(line.net + line.vat == line.gross and line.net >= 0 for line in taxed)
    for rate in vat_breakdown(taxed):
        paid = sum(gross for gross, bp in lines if bp == rate["rate_bp"])
        assert rate["basis"] + rate["vat"] == paid
        assert (rate["basis"], rate["vat"]) == rate_split(paid, rate["rate_bp"])
        assert abs(rate["vat"] * 10000 - rate["basis"] * rate["rate_bp"]) < 10000


def test_the_rate_of_the_day_comes_from_the_table_and_a_new_period_starts_a_new_row(
    monkeypatch,
):
    assert vat_rate_on(country="GB", day=datetime.date(2026, 12, 7)) == 2000
    assert vat_rate_on(country="FR", day=datetime.date(2026, 12, 7)) == 2000
    monkeypatch.setattr(vat, "VAT_RATES", rate_changed("FR", 2100, datetime.date(2027, 4, 1)))
    assert vat_rate_on(country="FR", day=datetime.date(2027, 3, 31)) == 2000
    assert vat_rate_on(country="FR", day=datetime.date(2027, 4, 1)) == 2100
    with pytest.raises(VatRateMissing):
        vat_rate_on(country="DE", day=datetime.date(2026, 12, 7))
    with pytest.raises(VatRateMissing):
        vat_rate_on(country="GB", day=datetime.date(2010, 1, 1))


@pytest.mark.parametrize(
    ("scheme", "destination", "goods", "currency", "seller_vat", "ioss"),
    [
        ("ioss", "GB", 99_999, "GBP", "GB", False),
        ("ioss", "FR", 15_000, "EUR", "GB", True),  # EUR 150 exactly: still IOSS
        ("ioss", "FR", 15_001, "EUR", "FR", False),  # above: imported by the seller
        ("ioss", "FR", 13_100, "GBP", "FR", False),  # GBP 131 is above EUR 150 at 1.15
        ("eu_establishment", "FR", 100, "EUR", "FR", False),
        ("eu_establishment", "FR", 90_000, "EUR", "FR", False),
    ],
)
def test_who_owes_the_vat_follows_the_rule_table(
    settings, scheme, destination, goods, currency, seller_vat, ioss
):
    settings.SHOP_VAT_SCHEME_FR = scheme
    treatment = vat_treatment(destination=destination, goods_amount=goods, currency=currency)
    assert isinstance(treatment, VatTreatment)
    assert treatment.vat_country == destination
    assert treatment.seller_vat_number == seller_vat
    assert treatment.uses_ioss is ioss
