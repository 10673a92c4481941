"""The check catalogue: small functions over an `Extraction`, each with a stable id.

Checks never raise: a check that fails on unexpected input is skipped and the failure is
reported to the caller, so one odd table cannot hide the findings of the others.
"""
from __future__ import annotations

import re
import traceback
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from decimal import Decimal
from typing import Callable, Iterable, Optional

from ..records import Document, Evidence, Extraction, Finding, Quantity, Span
from ..tolerance import Verdict, rounded


@dataclass(frozen=True)
class CheckInfo:
    id: str
    title: str  # 中文标题
    severity: str  # severity of a contradiction; rounding-only differences are always info
    func: Callable[["Context"], Iterable[Finding]]


CATALOGUE: dict[str, CheckInfo] = {}


def check(check_id: str, title: str, severity: str = "error"):
    def register(func):
        CATALOGUE[check_id] = CheckInfo(check_id, title, severity, func)
        return func

    return register


@dataclass
class Context:
    doc: Document
    ext: Extraction

    @cached_property
    def main_period(self) -> Optional[str]:
        """The report's year: the year the text names most often (a tie goes to the later
        year, since reports look back, not ahead). A figure with no year belongs to it."""
        years = Counter(re.findall(r"((?:19|20)\d{2})\s*年", self.doc.text))
        if not years:
            return None
        return max(years, key=lambda y: (years[y], y))

    def same_period(self, period: Optional[str]) -> bool:
        return period is None or period == self.main_period

    def finding(
        self,
        check_id: str,
        message: str,
        stated: Optional[Decimal],
        computed: Optional[Decimal],
        spans: list[tuple[Span, str]],
        verdict: Optional[Verdict] = None,
        unit: Optional[str] = None,
        decimals: int = 2,
        severity: Optional[str] = None,
    ) -> Finding:
        """Build a finding; a rounding-only verdict downgrades it to info."""
        info = CATALOGUE[check_id]
        sev = severity or info.severity
        if verdict is not None and verdict.status == "rounding":
            sev = "info"
            message = f"{message}（差异在舍入范围附近，仅供参考）"
        evidence, seen = [], set()
        for span, role in spans:
            if span is None or (span.start, span.end) in seen:
                continue
            seen.add((span.start, span.end))
            evidence.append(Evidence(span, self.doc.quote(span), self.doc.page_of(span.start), role))
        return Finding(
            check=check_id,
            severity=sev,
            message=message,
            stated=stated,
            computed=rounded(computed, decimals) if computed is not None else None,
            tolerance=rounded(verdict.tolerance, max(decimals + 2, 4)).normalize() if verdict is not None else None,
            evidence=evidence,
            unit=unit,
        )


def unit_label(q: Quantity) -> Optional[str]:
    if q.unit is None:
        return None
    return f"{q.scale or ''}{q.unit}"


def fmt(value: Optional[Decimal]) -> str:
    """A number as an auditor writes it: no exponent, no trailing zeros beyond need."""
    if value is None:
        return "—"
    text = format(value.normalize(), "f")
    return text


def as_printed(q: Quantity, multiplier: Decimal) -> str:
    """A part as the report prints it when it is in the total's scale ("99.3620"), else converted."""
    if q.multiplier == multiplier:
        return f"{q.value:.{q.decimals}f}"
    return fmt(q.base_value / multiplier)


def run_checks(doc: Document, ext: Extraction, only: Optional[set[str]] = None) -> tuple[list[Finding], list[str]]:
    """Run every check (or those in `only`); returns findings and internal problems."""
    ctx = Context(doc, ext)
    findings: list[Finding] = []
    problems: list[str] = []
    seen: set[tuple] = set()
    for info in CATALOGUE.values():
        if only is not None and info.id not in only:
            continue
        try:
            for f in info.func(ctx):
                key = (f.check, tuple((e.span.start, e.span.end) for e in f.evidence), f.stated, f.computed)
                if key not in seen:
                    seen.add(key)
                    findings.append(f)
        except Exception as exc:  # a check must never take the batch down
            problems.append(f"{info.id}: {type(exc).__name__}: {exc} @ {traceback.format_exc(limit=-1).strip()}")
    order = {"error": 0, "warning": 1, "info": 2}
    findings.sort(key=lambda f: (order[f.severity], f.evidence[0].span.start if f.evidence else 0, f.check))
    return findings, problems


# Registration: importing the modules fills CATALOGUE (they import Context and check from here).
from . import arithmetic, completeness, crossref, rates, scores  # noqa: E402,F401
