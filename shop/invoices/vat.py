"""VAT on VAT-inclusive prices, in integer minor units, by EN 16931's arithmetic.

How a gross (VAT-inclusive) total is split, per VAT rate:

1. Every line of one rate (modules and delivery) is added up: G, what the customer pays.
2. The rate's taxable basis B is G / (1 + rate), rounded half up; its VAT is G - B, so
   the document's total is exactly what was paid. VAT is then B x rate rounded (EN 16931
   BR-CO-17) whenever some whole basis allows it (no other basis does better than this
   one). Some totals have none (at 20 %, a basis of 2 gives 2 + 0.40 and of 3 gives 3 +
   0.60: nothing gives 3); VAT then differs from B x rate by at most (1 + rate) / 2 of a
   minor unit, within the standard's tolerance of one unit.
3. B is shared between the rate's lines in proportion to their gross amounts by largest
   remainder, so the line net amounts add up to the basis exactly; each line's VAT is
   its gross less its net.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

ONE = 10_000  # basis points in 100 %


@dataclass(frozen=True)
class VatPeriod:
    """A country's standard VAT rate over a period (its last day included)."""

    country: str
    rate_bp: int  # 2000 is 20 %
    valid_from: date
    valid_to: date | None = None


# The standard rates, as data. A change of rate closes the period in force (valid_to)
# and adds one from its first day: orders keep the rate frozen on them when placed.
VAT_RATES: list[VatPeriod] = [
    VatPeriod(country="GB", rate_bp=2000, valid_from=date(2011, 1, 4)),
    VatPeriod(country="FR", rate_bp=2000, valid_from=date(2014, 1, 1)),
]


class VatRateMissing(Exception):
    """No VAT rate is configured for a country on a day."""


@dataclass(frozen=True)
class TaxedLine:
    gross: int
    net: int
    vat: int
    rate_bp: int


def vat_rate_on(*, country: str, day: date) -> int:
    """The country's VAT rate in basis points on `day`, from VAT_RATES."""
    for period in VAT_RATES:
        ended = period.valid_to is not None and period.valid_to < day
        if period.country == country and period.valid_from <= day and not ended:
            return period.rate_bp
    raise VatRateMissing(f"no VAT rate for {country} on {day}")


def _half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def rate_split(gross: int, rate_bp: int) -> tuple[int, int]:
    """(taxable basis, VAT) of a VAT-inclusive amount at one rate (step 2 above)."""
    basis = _half_up(gross * ONE, ONE + rate_bp)
    return basis, gross - basis


def allocate(total: int, weights: list[int]) -> list[int]:
    """`total` shared in proportion to `weights` by largest remainder: the parts add
    up to `total` exactly."""
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    parts = [total * weight // whole for weight in weights]
    remainders = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in remainders[: total - sum(parts)]:
        parts[i] += 1
    return parts


def lines_tax(lines: list[tuple[int, int]]) -> list[TaxedLine]:
    """Split VAT-inclusive lines, given as (gross, rate in basis points), into net and
    VAT by the method above; the result is in the same order."""
    by_rate: dict[int, list[int]] = defaultdict(list)
    for index, (_gross, rate_bp) in enumerate(lines):
        by_rate[rate_bp].append(index)
    taxed: list[TaxedLine | None] = [None] * len(lines)
    for rate_bp, indexes in by_rate.items():
        grosses = [lines[i][0] for i in indexes]
        basis, _vat = rate_split(sum(grosses), rate_bp)
        for i, gross, net in zip(indexes, grosses, allocate(basis, grosses), strict=True):
            taxed[i] = TaxedLine(gross=gross, net=net, vat=gross - net, rate_bp=rate_bp)
    return [line for line in taxed if line is not None]


def vat_breakdown(lines: list[TaxedLine]) -> list[dict]:
    """The VAT per rate of taxed lines: [{"rate_bp", "basis", "vat"}], highest rate first."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        totals[line.rate_bp][0] += line.net
        totals[line.rate_bp][1] += line.vat
    return [
        {"rate_bp": rate, "basis": basis, "vat": vat}
        for rate, (basis, vat) in sorted(totals.items(), reverse=True)
    ]
