"""The same figure stated twice: two values (or a ×10⁴/×10⁸ unit slip), and narrative
figures against the table they summarise."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Optional

from ..records import Figure, Finding, Quantity, ScoreSheet, Span
from ..tolerance import compare, exact, in_scale, printed
from . import Context, check, fmt, unit_label

SLIP_FACTORS = {Decimal(10) ** 4: "万", Decimal(10) ** 8: "亿"}
SCORE_LABELS = {"自评得分", "预算执行情况得分", "产出指标得分", "效益指标得分", "满意度指标得分"}
CATEGORY_OF = {"产出指标得分": "产出指标", "效益指标得分": "效益指标", "满意度指标得分": "满意度指标"}


def _comparable(ctx: Context) -> list[Figure]:
    return [
        f
        for f in ctx.ext.figures
        if f.canonical
        and f.quantity.op is None
        and f.qualifier != "上年"
        and ctx.same_period(f.period)
        and (f.quantity.unit == "元" or f.canonical in SCORE_LABELS and f.quantity.unit in ("分", None))
    ]


def _slip(a: Quantity, b: Quantity) -> Optional[str]:
    if b.base_value == 0 or a.base_value == 0:
        return None
    ratio = a.base_value / b.base_value
    for factor, name in SLIP_FACTORS.items():
        for r in (ratio, 1 / ratio):
            if compare(exact(r), exact(factor), 0).status == "ok" or abs(r - factor) <= factor * Decimal("0.001"):
                return name
    return None


def _disagree(a: Quantity, b: Quantity) -> bool:
    mult = a.multiplier
    return compare(printed(a), printed(b, mult), a.decimals).status == "contradiction"


def _pairs(ctx: Context, same_context: bool) -> Iterable[tuple[Figure, Figure]]:
    """First statement of each figure against each later statement with another value."""
    groups: dict[tuple, list[Figure]] = {}
    for f in _comparable(ctx):
        groups.setdefault((f.canonical, f.qualifier), []).append(f)
    if not same_context:
        # a narrative total with no qualifier is the amount spent: pair it with 执行 columns
        for (name, qual), figs in list(groups.items()):
            if qual == "执行" and (name, None) in groups:
                groups[(name, None)] = groups[(name, None)] + figs
    for figs in groups.values():
        first_by_context: dict[str, Figure] = {}
        for f in sorted(figs, key=lambda f: f.span.start):
            for ctx_name, first in first_by_context.items():
                if (ctx_name == f.context) != same_context:
                    continue
                if _disagree(first.quantity, f.quantity):
                    yield first, f
            first_by_context.setdefault(f.context, f)


def _report_pair(ctx: Context, first: Figure, other: Figure, check_id: str) -> Finding:
    a, b = first.quantity, other.quantity
    mult = a.multiplier
    value = in_scale(b, mult)
    unit = unit_label(a) or ""
    where = "正文与表格" if first.context != other.context else "前后"
    msg = f"{first.label}{where}不一致：{a.text}与{b.text}（相差{fmt(abs(a.value - value))}{unit}）"
    spans = [(first.span, "stated"), (other.span, "basis")]
    return ctx.finding(check_id, msg, a.value, value, spans, None, unit or None, max(a.decimals, b.decimals))


def _report_slip(ctx: Context, first: Figure, other: Figure, slip: str) -> Finding:
    """The slipped statement is the smaller amount (stated): a dropped "万" is the usual typo,
    so "15.61元" beside "15.61万元" is the wrong one. Computed is the other in its unit."""
    wrong, right = sorted((other, first), key=lambda f: f.quantity.base_value)
    a, b = right.quantity, wrong.quantity
    msg = f"{first.label}前后填报为{first.quantity.text}与{other.quantity.text}，相差约1{slip}倍，疑似单位错写（元/{slip}元）"
    spans = [(wrong.span, "stated"), (right.span, "basis")]
    return ctx.finding("xref.unit_slip", msg, b.value, in_scale(a, b.multiplier), spans, None, unit_label(b), max(a.decimals, b.decimals))


@check("xref.conflict", "同一数字前后填报不一致")
def conflict(ctx: Context) -> Iterable[Finding]:
    for first, other in _pairs(ctx, same_context=True):
        if not _slip(first.quantity, other.quantity):
            yield _report_pair(ctx, first, other, "xref.conflict")


@check("xref.unit_slip", "同一金额相差一万（一亿）倍：元与万元错写")
def unit_slip(ctx: Context) -> Iterable[Finding]:
    for same_context in (True, False):
        for first, other in _pairs(ctx, same_context):
            slip = _slip(first.quantity, other.quantity)
            if slip:
                yield _report_slip(ctx, first, other, slip)


@check("xref.narrative_table", "正文所述数字与表格不一致")
def narrative_table(ctx: Context) -> Iterable[Finding]:
    for first, other in _pairs(ctx, same_context=False):
        if not _slip(first.quantity, other.quantity):
            yield _report_pair(ctx, first, other, "xref.narrative_table")
    if len(ctx.ext.sheets) != 1:
        return  # with several tables, a narrative score may summarise any of them
    sheet = ctx.ext.sheets[0]
    for f in ctx.ext.figures:
        if f.context != "narrative" or f.canonical not in SCORE_LABELS or f.quantity.unit not in ("分", None):
            continue
        if f.qualifier == "上年" or not ctx.same_period(f.period):
            continue  # last year's score is not this table's
        table = _table_score(sheet, f.canonical)
        if table is None:
            continue
        value, spans = table
        stated = f.quantity
        verdict = compare(printed(stated), exact(value), stated.decimals)
        if verdict.status == "ok":
            continue
        msg = f"正文称{f.label}{fmt(stated.value)}分，但表中相应得分为{fmt(value)}分"
        yield ctx.finding("xref.narrative_table", msg, stated.value, value, [(f.span, "stated")] + [(s, "basis") for s in spans], verdict, "分", stated.decimals)


def _table_score(sheet: ScoreSheet, label: str) -> Optional[tuple[Decimal, list[Span]]]:
    if label == "自评得分" and sheet.total_score is not None:
        return sheet.total_score.value, [sheet.total_score.span]
    if label == "预算执行情况得分" and sheet.budget_score is not None:
        return sheet.budget_score.value, [sheet.budget_score.span]
    category = CATEGORY_OF.get(label)
    if category:
        rows = [r for r in sheet.indicators if r.level1 == category and r.score is not None]
        if rows:
            return sum((r.score.value for r in rows), Decimal(0)), [r.score.span for r in rows]
    return None
