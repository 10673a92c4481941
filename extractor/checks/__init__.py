"""The check catalogue: small functions over an `Extraction`, each with a stable id.

Checks never raise: a check that fails on unexpected input is skipped and the failure is
reported to the caller, so one odd table cannot hide the findings of the others.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, replace
from functools import cached_property
from decimal import Decimal
from typing import Callable, Iterable, Optional, TypeVar

from ..records import Document, Evidence, Extraction, Figure, Finding, Quantity
from ..tolerance import Verdict, rounded
from ..vocab import GOVERNMENT_FINANCE, IMPLIED_SCOPES, SEVERITY_ORDER


@dataclass(frozen=True)
class CheckInfo:
    id: str
    title: str  # 中文标题
    severity: str  # severity of a contradiction; rounding-only differences are always info
    func: Callable[["Context"], Iterable[Finding]]
    kinds: Optional[frozenset[str]] = None  # document kinds the check applies to; None: all


CATALOGUE: dict[str, CheckInfo] = {}
T = TypeVar("T")

FISCAL_KINDS = frozenset({"部门决算", "部门预算", "三公说明"})
SELF_EVALUATION_KINDS = frozenset({"自评报告", "自评表", "绩效目标表"})


def check(check_id: str, title: str, severity: str = "error", kinds: Optional[Iterable[str]] = None):
    def register(func):
        CATALOGUE[check_id] = CheckInfo(check_id, title, severity, func, frozenset(kinds) if kinds else None)
        return func

    return register


def applies(info: CheckInfo, kind: Optional[str]) -> bool:
    """A check runs on the kinds it names; on a document of unknown kind every check runs."""
    return info.kinds is None or kind is None or kind in info.kinds


@dataclass
class Context:
    doc: Document
    ext: Extraction

    def once(self, compute: Callable[["Context"], T]) -> T:
        """What several checks read (crossref's figure pairs), computed once per document."""
        memo = self.__dict__.setdefault("_once", {})
        if compute not in memo:
            memo[compute] = compute(self)
        return memo[compute]

    @property
    def main_period(self) -> Optional[str]:
        """The report's year, as extraction read it (doctype.document_year: the title's, else the
        one the text names most often). A figure with no year belongs to it."""
        return self.ext.year

    def same_period(self, period: Optional[str]) -> bool:
        return period is None or period == self.main_period

    @cached_property
    def general_is_all_fiscal(self) -> bool:
        """财政拨款 is all 一般公共预算 when the document shows no 政府性基金 or 国有资本经营 money."""
        for f in self.ext.figures:
            s = f.subject
            if s is not None and s.scope in ("政府性基金", "国有资本经营") and f.quantity.value != 0 and f.role == "level":
                return False
        return True

    def scope(self, scope: Optional[str]) -> Optional[str]:
        if scope == "一般公共预算" and self.general_is_all_fiscal:
            return "财政拨款"
        return scope

    @cached_property
    def keyed(self) -> list[tuple[Figure, tuple]]:
        """The figures that have a key, with it, in reading order: worked out once per document
        (the crossref groups, table.cross, sum.bounded, the identities and rate.share each went
        over every figure asking its key; no check changes a figure)."""
        return [(f, k) for f in self.ext.figures if (k := self.key(f)) is not None]

    def key(self, f: Figure) -> Optional[tuple]:
        """What makes two figures the same statement: subject, fund scope, part, measure,
        period. None when the figure's subject is unknown or only guessed from a heading."""
        s = f.subject
        if s is None or f.confidence not in ("stated", "inherited") or f.role not in ("level", "score") or f.quantity.op is not None:
            return None
        period = None if self.same_period(f.period) else f.period
        measure = f.measure
        if measure is None and f.quantity.unit == "元" and self.ext.kind not in FISCAL_KINDS:
            measure = "决算"  # in a self-evaluation an amount with no measure is the amount spent
        scope = s.scope or IMPLIED_SCOPES.get(s.item)
        return (s.item, self.scope(scope), s.part, measure, period)

    @staticmethod
    def ev(f: Figure, role: str = "stated") -> tuple:
        """A figure as evidence: its span, its role in the finding, and its table cell."""
        return (f.span, role, f.cell)

    def finding(
        self,
        check_id: str,
        message: str,
        stated: Optional[Decimal],
        computed: Optional[Decimal],
        spans: list[tuple],
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
        for item in spans:
            span, role = item[0], item[1]
            cell = item[2] if len(item) > 2 else None
            if span is None or (span.start, span.end) in seen:
                continue
            seen.add((span.start, span.end))
            evidence.append(Evidence(span, self.doc.quote(span), self.doc.page_of(span.start), role, cell))
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


def with_unit(q: Quantity) -> str:
    """A quantity as printed, with the unit its table's header gave it where the cell printed
    none ("1.71" in a 万元 table reads "1.71万元")."""
    label = unit_label(q)
    return q.text + label if label and q.text[-1:].isdigit() else q.text


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
        if not applies(info, ext.kind):
            continue
        try:
            for f in info.func(ctx):
                key = (f.check, tuple((e.span.start, e.span.end) for e in f.evidence), f.stated, f.computed)
                if key not in seen:
                    seen.add(key)
                    findings.append(f)
        except Exception as exc:  # a check must never take the batch down
            problems.append(f"{info.id}: {type(exc).__name__}: {exc} @ {traceback.format_exc(limit=-1).strip()}")
    if ext.kind == GOVERNMENT_FINANCE:
        # a whole area's finances: which calibre a figure is in is often not said, so what the
        # checks find is a note for the auditor, not a contradiction the tool vouches for
        findings = [replace(f, severity="info", message=f"{f.message}（{GOVERNMENT_NOTE}）") for f in findings]
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.evidence[0].span.start if f.evidence else 0, f.check))
    return findings, problems


GOVERNMENT_NOTE = "政府财政收支报告，口径多且常未写明，仅供参考"


def _figures_by_span(ctx: "Context") -> dict[tuple[int, int], Figure]:
    return {(f.span.start, f.span.end): f for f in ctx.ext.figures}


def evidence_figures(ctx: "Context", finding: Finding) -> list[Optional[Figure]]:
    """The figure read at each evidence span of a finding (None where the evidence is no figure)."""
    by_span = ctx.once(_figures_by_span)
    return [by_span.get((e.span.start, e.span.end)) for e in finding.evidence]


def one_sentence(ctx: "Context", finding: Finding) -> bool:
    """Every prose operand of the finding stands in one sentence: a rate or change checked
    against an amount read from another sentence rests on which amount the reader paired."""
    return len({f.sentence for f in evidence_figures(ctx, finding) if f is not None and f.context == "narrative"}) <= 1


def demoted(finding: Finding) -> Finding:
    """An error whose reading the tool cannot be sure of is a warning (info stays info)."""
    return replace(finding, severity="warning") if finding.severity == "error" else finding


# Registration: importing the modules fills CATALOGUE (they import Context and check from here).
from . import arithmetic, completeness, crossref, fiscal, rates, scores, wording  # noqa: E402,F401
