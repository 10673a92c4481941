"""Tolerance from printed precision (after Arelle's ValidateXbrlCalcs).

A printed amount "1285.95" stands for any value in [1285.945, 1285.955]. A sum or ratio of
printed amounts is an interval too; two statements contradict each other only when their
intervals are disjoint. Scores are different: a "4" in a score column is exactly 4 (it was
assigned, not measured), so score sums use exact parts.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Iterable, Optional

from . import vocab
from .records import Quantity

ZERO = Decimal(0)


@dataclass(frozen=True)
class Interval:
    lo: Decimal
    hi: Decimal

    def __init__(self, lo: Decimal, hi: Decimal) -> None:
        # speed only: the dataclass __init__ of a frozen class sets each field through
        # object.__setattr__; the checks make intervals by the ten thousand
        fields = self.__dict__
        fields["lo"] = lo
        fields["hi"] = hi

    @property
    def mid(self) -> Decimal:
        return (self.lo + self.hi) / 2

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(self.lo + other.lo, self.hi + other.hi)

    def scaled(self, factor: Decimal) -> "Interval":
        a, b = self.lo * factor, self.hi * factor
        return Interval(min(a, b), max(a, b))

    def gap(self, other: "Interval") -> Decimal:
        """Distance between the intervals; 0 when they overlap."""
        if self.hi < other.lo:
            return other.lo - self.hi
        if other.hi < self.lo:
            return self.lo - other.hi
        return ZERO


def exact(value: Decimal) -> Interval:
    return Interval(value, value)


def printed(q: Quantity, multiplier: Optional[Decimal] = None) -> Interval:
    """The interval a printed quantity stands for, expressed in units of `multiplier`
    (default: the quantity's own printed scale)."""
    own = q.multiplier  # speed only: asked once, not three times (base_value is value × multiplier)
    unit = multiplier if multiplier is not None else own
    half = q.half_ulp * own / unit
    value = q.value * own / unit
    return Interval(value - half, value + half)


COUNT_UNITS = vocab.COUNT_UNITS  # things counted one by one: "9所" is nine schools, not [8.5, 9.5]


def is_count(q: Quantity) -> bool:
    return q.unit in COUNT_UNITS and q.scale is None and q.decimals == 0


def operand(q: Quantity, multiplier: Optional[Decimal] = None) -> Interval:
    """An operand of a worked ratio: a whole count is exact, any other amount stands for its
    printed interval."""
    if is_count(q):
        value = q.base_value / (multiplier if multiplier is not None else q.multiplier)
        return Interval(value, value)
    return printed(q, multiplier)


def in_scale(q: Quantity, multiplier: Decimal) -> Decimal:
    return q.base_value / multiplier


def total(intervals: Iterable[Interval]) -> Interval:
    lo = hi = ZERO  # speed only: the bounds added in the same order as Interval.__add__, one Interval made
    for i in intervals:
        lo += i.lo
        hi += i.hi
    return Interval(lo, hi)


def ratio_percent(numerator: Interval, denominator: Interval) -> Optional[Interval]:
    """numerator / denominator × 100, for positive amounts."""
    if denominator.lo <= 0 or numerator.lo < 0:
        return None
    with localcontext() as ctx:
        ctx.prec = 28
        return Interval(numerator.lo / denominator.hi * 100, numerator.hi / denominator.lo * 100)


@dataclass(frozen=True)
class Verdict:
    status: str  # "ok" | "rounding" | "contradiction"
    gap: Decimal
    tolerance: Decimal  # half-width of the stated interval plus that of the computed one

    def __init__(self, status: str, gap: Decimal, tolerance: Decimal) -> None:
        fields = self.__dict__  # speed only, as Interval's
        fields["status"] = status
        fields["gap"] = gap
        fields["tolerance"] = tolerance


def compare(stated: Interval, computed: Interval, decimals: int) -> Verdict:
    """Disjoint intervals contradict each other, unless the gap is within one unit in the
    stated figure's last printed place: that is a rounding habit (truncation, rounding of
    rounded parts), reported as info, never as an error. The band is capped at 1% of the
    stated value, so an integer score of 9 where 10 is due is not "rounding"."""
    tol = (stated.hi - stated.lo) / 2 + (computed.hi - computed.lo) / 2
    gap = stated.gap(computed)
    if gap == 0:
        return Verdict("ok", gap, tol)
    band = Decimal(10) ** (-decimals)
    if stated.mid != 0:
        band = min(band, abs(stated.mid) / 100)
    if gap <= band:
        return Verdict("rounding", gap, tol)
    return Verdict("contradiction", gap, tol)


def rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(10) ** (-decimals)) if decimals >= 0 else value
