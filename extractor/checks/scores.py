"""Score tables: Σ得分 = 总分, Σ分值 = 100, category points, 0 ≤ 得分 ≤ 分值, targets met or
missed against the score given (respecting ≥ and ≤), qualitative bands, grades."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, Optional

from .. import vocab
from ..records import Finding, IndicatorRow, Quantity, ScoreSheet, Span
from ..tolerance import compare, exact, printed
from . import Context, check, fmt

HUNDRED = Decimal(100)
NINETY = Decimal(90)
SCORED = ("自评报告", "自评表")  # forms with actuals and scores (not 绩效目标表, not 预决算)
MET_WORDS = re.compile(vocab.MET_WORDS)
PARTLY_WORDS = re.compile(vocab.PARTLY_WORDS)
MISSED_WORDS = re.compile(vocab.MISSED_WORDS)
COST_NAMES = re.compile(vocab.COST_NAMES)


def _scored(sheet: ScoreSheet) -> list[IndicatorRow]:
    return [r for r in sheet.indicators if r.score is not None]


_SPACE = re.compile(r"\s")


def _compared(row: IndicatorRow) -> Optional[tuple[str, Decimal, Decimal]]:
    """(operator, target, actual) in one unit, when both are numbers of a comparable kind.
    A target without an operator is a floor, except for cost-like indicators (a ceiling)."""
    t, a = row.target, row.actual
    # a bare actual ("1700") is read in the target's unit ("≤2300张")
    if t is not None and a is not None and (t.unit == a.unit or a.unit is None and a.scale is None) and (t.unit or t.op):
        op = t.op or ("≤" if COST_NAMES.search(row.name + (row.level2 or "")) else "≥")
        bare = a.unit is None and a.scale is None  # "78" under "≥78万头" is 78万头
        tv, av = (t.value, a.value) if bare else (t.base_value, a.base_value)
        return op, tv, av
    return None


def target_met(row: IndicatorRow) -> Optional[bool]:
    """Whether the actual value meets the target, or None when that cannot be told."""
    compared = _compared(row)
    if compared is not None:
        op, tv, av = compared
        return {"≥": av >= tv, ">": av > tv, "≤": av <= tv, "<": av < tv, "=": av == tv}[op]
    actual = _SPACE.sub("", row.actual_text)
    if MISSED_WORDS.search(actual):
        return False
    if MET_WORDS.match(actual):
        return True
    return None


@check("score.sum", "各项得分之和不等于总分（自评得分）")
def score_sum(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        rows = _scored(sheet)
        if sheet.total_score is None or not rows:
            continue
        parts = [r.score for r in rows]
        if sheet.budget_score is not None:
            parts.insert(0, sheet.budget_score)
        value = sum((q.value for q in parts), Decimal(0))
        stated = sheet.total_score
        verdict = compare(printed(stated), exact(value), stated.decimals)
        if verdict.status == "ok":
            continue
        budget = f"预算执行得分{fmt(sheet.budget_score.value)}分 + " if sheet.budget_score is not None else ""
        msg = f"总分（自评得分）填报{fmt(stated.value)}分，但{budget}{len(rows)}项指标得分合计为{fmt(value)}分"
        spans = [(sheet.total_span or stated.span, "stated")]
        if sheet.budget_score is not None:
            spans.append((sheet.budget_score.span, "part"))
        spans += [(r.score.span, "part") for r in rows]
        yield ctx.finding("score.sum", msg, stated.value, value, spans, verdict, "分", stated.decimals)


@check("score.sum_stated", "正文所述自评总分不等于所列各类得分之和")
def score_sum_stated(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind != "score_sum":
            continue
        stated = st.values["total"]
        parts = [q for k, q in st.values.items() if k.startswith("part")]
        value = sum((q.value for q in parts), Decimal(0))
        verdict = compare(printed(stated), exact(value), stated.decimals)
        if verdict.status == "ok":
            continue
        msg = f"正文称总分{fmt(stated.value)}分，但所列各类得分{' + '.join(fmt(q.value) for q in parts)} = {fmt(value)}分"
        spans = [(st.spans["total"], "stated")] + [(st.spans[k], "part") for k in st.values if k.startswith("part")]
        yield ctx.finding("score.sum_stated", msg, stated.value, value, spans, verdict, "分", max(q.decimals for q in [stated, *parts]))


@check("score.weights_total", "各项分值之和不等于100分（或表中总分值）")
def weights_total(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        rows = [r for r in sheet.indicators if r.name or r.score is not None]
        if not rows or any(r.weight is None for r in rows) or sheet.cut:
            continue  # (a cut form: the weights of the rows on the page are not all its weights)
        if sheet.total_weight is None and sheet.total_score is None and len(rows) < 3:
            continue  # a few indicator rows with no total: an excerpt, not the whole form
        weights = [r.weight for r in rows]
        budget_weight = next((b.values["weight"] for b in sheet.budget_rows if "weight" in b.values and not b.is_part), None)
        budget_weight = budget_weight or sheet.budget_points
        if budget_weight is not None:
            weights.insert(0, budget_weight)
        value = sum((q.value for q in weights), Decimal(0))
        target = sheet.total_weight.value if sheet.total_weight is not None else HUNDRED
        if value == target:
            continue
        if value == NINETY and budget_weight is None and sheet.total_weight is None and sheet.total_score is None:
            # "绩效指标(90分)": the form gives its indicators 90 points and the budget execution
            # the other 10, in a block this table does not hold
            continue
        where = f"表中总分值{fmt(target)}分" if sheet.total_weight is not None else "满分100分"
        msg = f"各项分值合计{fmt(value)}分，与{where}不符"
        spans = ([(sheet.total_weight.span, "stated")] if sheet.total_weight is not None else []) + [
            (q.span, "part") for q in weights
        ]
        yield ctx.finding("score.weights_total", msg, target, value, spans, None, "分", 2)


@check("score.category_weight", "指标类别标注的分值与其下各指标分值之和不符")
def category_weight(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        for cat in sheet.categories:
            if cat.points is None or sheet.cut and sheet.indicators[-1].category is cat:
                continue  # the category a cut form stops in may go on past the page
            rows = [r for r in sheet.indicators if r.category is cat and (r.name or r.score is not None)]
            if not rows:
                continue
            points = cat.points.value
            if all(r.weight is not None for r in rows):
                value = sum((r.weight.value for r in rows), Decimal(0))
                if value == points:
                    continue
                msg = f"{cat.name}标注{fmt(points)}分，但其下{len(rows)}项指标分值合计{fmt(value)}分"
                yield ctx.finding("score.category_weight", msg, points, value,
                                  [(cat.points.span, "stated")] + [(r.weight.span, "part") for r in rows], None, "分", 2)
            elif all(r.weight is None and r.score is not None for r in rows):
                # No 分值 column: the scores given are all we can add up.
                value = sum((r.score.value for r in rows), Decimal(0))
                spans = [(cat.points.span, "stated")] + [(r.score.span, "part") for r in rows]
                if value > points:
                    msg = f"{cat.name}标注{fmt(points)}分，但其下{len(rows)}项指标得分合计已达{fmt(value)}分，超过该类分值"
                    yield ctx.finding("score.category_weight", msg, points, value, spans, None, "分", 2)
                elif value < points and all(target_met(r) for r in rows):
                    msg = f"{cat.name}标注{fmt(points)}分，其下{len(rows)}项指标均填报完成，但得分合计仅{fmt(value)}分：分值分配与类别分值不符或扣分无依据"
                    yield ctx.finding("score.category_weight", msg, points, value, spans, None, "分", 2, severity="warning")


@check("score.over_max", "指标得分超过分值或为负")
def over_max(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        for r in sheet.indicators:
            if r.score is None:
                continue
            if r.score.value < 0:
                yield ctx.finding("score.over_max", f"{r.name}：得分{fmt(r.score.value)}分为负数", r.score.value, Decimal(0),
                                  [(r.score.span, "stated")], None, "分", 2)
            elif r.weight is not None and r.score.value > r.weight.value:
                msg = f"{r.name}：得分{fmt(r.score.value)}分超过分值{fmt(r.weight.value)}分"
                yield ctx.finding("score.over_max", msg, r.score.value, r.weight.value,
                                  [(r.score.span, "stated"), (r.weight.span, "basis")], None, "分", 2)


@check("score.target_missed_full", "指标未达到目标值却给满分", severity="warning", kinds=SCORED)
def target_missed_full(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        for r in sheet.indicators:
            if r.score is None or r.weight is None or r.score.value < r.weight.value:
                continue
            if target_met(r) is False:
                msg = f"{r.name}：目标值“{r.target_text}”，实际完成“{r.actual_text}”，未达到目标，但得满分{fmt(r.score.value)}分"
                due = proportional_score(r)
                if due is not None:
                    how = "指标值÷实际值" if _compared(r)[0] in ("≤", "<") else "实际值÷指标值"  # type: ignore[index]
                    msg += f"；按完成比例（{how}×分值）计约{fmt(due)}分"
                spans = [(r.score.span, "stated")] + [(r.cell_spans[k], "basis") for k in ("target", "actual") if k in r.cell_spans]
                yield ctx.finding("score.target_missed_full", msg, r.score.value, due, spans, None, "分", 2)


def proportional_score(row: IndicatorRow) -> Optional[Decimal]:
    """The score a missed quantitative target earns by the usual rule of the 自评 guidance:
    the weight times the share of the target reached (actual ÷ target for a floor, target ÷
    actual for a ceiling such as a cost or a balance rate). None for an exact target, or when
    the two are not numbers of one kind. A reference for the auditor, not a ruling."""
    compared = _compared(row)
    if compared is None or row.weight is None:
        return None
    op, tv, av = compared
    if op == "=" or tv <= 0 or av < 0:
        return None
    ratio = av / tv if op in ("≥", ">") else (tv / av if av > 0 else None)
    if ratio is None:
        return None
    return (row.weight.value * min(ratio, Decimal(1))).quantize(Decimal("0.01"))


# the score bands of the 自评 guidance: a target reached to 80–100 % earns 80–100 % of the points,
# 60–80 % earns 60–80 %, below 60 % less than 60 % (score.qualitative_band applies them to words)
MISSED_CEILING, PARTLY_CEILING = Decimal(60), Decimal(80)  # the most a 未达成 / 部分达成 target earns, % of its points
MISSED_BANDS = ((MISSED_CEILING, MISSED_CEILING), (PARTLY_CEILING, PARTLY_CEILING))  # (reached below %, score at most %)


@check("score.target_missed_high", "指标未达到目标值，得分却高于完成比例所在档次", severity="warning", kinds=SCORED)
def target_missed_high(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        for r in sheet.indicators:
            if r.score is None or r.weight is None or r.weight.value <= 0 or r.score.value >= r.weight.value:
                continue  # a full score is score.target_missed_full's
            compared = _compared(r)
            if compared is None or target_met(r) is not False:
                continue
            op, tv, av = compared
            if op == "=" or tv <= 0 or av < 0 or (op in ("≤", "<") and av <= 0):
                continue
            reached = (av / tv if op in ("≥", ">") else tv / av) * HUNDRED
            ceiling = next((top for below, top in MISSED_BANDS if reached < below), None)
            share = r.score.value / r.weight.value * HUNDRED
            if ceiling is None or share <= ceiling:
                continue
            msg = (f"{r.name}：目标值“{r.target_text}”，实际完成“{r.actual_text}”，只完成{fmt(round(reached, 1))}%，"
                   f"得分却为{fmt(r.score.value)}/{fmt(r.weight.value)}分（{fmt(round(share, 1))}%），高于该档得分上限（分值的{fmt(ceiling)}%）")
            spans = [(r.score.span, "stated")] + [(r.cell_spans[k], "basis") for k in ("target", "actual") if k in r.cell_spans]
            yield ctx.finding("score.target_missed_high", msg, r.score.value, r.weight.value * ceiling / HUNDRED, spans, None, "分", 2)


@check("score.target_met_deducted", "指标已达到目标值却被扣分", severity="info", kinds=SCORED)
def target_met_deducted(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        for r in sheet.indicators:
            if r.score is None or r.weight is None or r.score.value >= r.weight.value or r.target is None:
                continue
            if target_met(r) is True:
                msg = f"{r.name}：实际完成“{r.actual_text}”已达到目标“{r.target_text}”，但得分{fmt(r.score.value)}分低于分值{fmt(r.weight.value)}分，扣分理由待核"
                spans = [(r.score.span, "stated")] + [(r.cell_spans[k], "basis") for k in ("target", "actual") if k in r.cell_spans]
                yield ctx.finding("score.target_met_deducted", msg, r.score.value, r.weight.value, spans, None, "分", 2)


@check("score.qualitative_band", "定性指标的完成程度与得分档次不符", severity="warning", kinds=SCORED)
def qualitative_band(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        for r in sheet.indicators:
            if r.score is None or r.weight is None or r.actual is not None or r.weight.value <= 0:
                continue
            actual = _SPACE.sub("", r.actual_text)
            share = r.score.value / r.weight.value * HUNDRED
            if MISSED_WORDS.search(actual):
                band, ceiling = "未达成", MISSED_CEILING
            elif PARTLY_WORDS.search(actual):
                band, ceiling = "部分达成", PARTLY_CEILING
            else:
                continue
            if share > ceiling:
                msg = f"{r.name}：实际完成情况为“{r.actual_text}”（{band}，得分应不高于分值的{fmt(ceiling)}%），但得分{fmt(r.score.value)}/{fmt(r.weight.value)}分"
                yield ctx.finding("score.qualitative_band", msg, r.score.value, r.weight.value * ceiling / HUNDRED,
                                  [(r.score.span, "stated"), (r.cell_spans.get("actual"), "basis")], None, "分", 2)


GRADES = [(band, Decimal(floor)) for band, floor in vocab.GRADE_FLOORS]
GRADE_WORDS = vocab.GRADE_WORDS


def grade_for(score: Decimal) -> str:
    return next(name for name, floor in GRADES if score >= floor)


def _sheet_total_at(ctx: Context, at: int) -> Optional[Quantity]:
    """The total score of the table a grade row closes: the last sheet begun before it."""
    before = [s for s in ctx.ext.sheets if s.span.start <= at and s.total_score is not None]
    return before[-1].total_score if before else None


def _stated_grades(ctx: Context, totals: dict) -> Iterable[tuple[Span, str, Optional[Quantity]]]:
    """(evidence span, grade word, score it is judged against) for the narrative's grade
    statements and the score tables' grade rows."""
    only_total = next(iter(totals.values())) if len(totals) == 1 else None
    for st in ctx.ext.statements:
        if st.kind == "grade" and st.words.get("source") == "table":
            yield st.span, st.words["grade"], _sheet_total_at(ctx, st.span.start) or only_total
        elif st.kind == "grade":
            yield st.span, st.words["grade"], st.values.get("score") or only_total


@check("score.grade", "自评等级与自评得分不符")
def grade(ctx: Context) -> Iterable[Finding]:
    if not any(st.kind == "grade" for st in ctx.ext.statements):
        return  # nothing to judge: a grade is only ever stated in a grade statement
    totals = {s.total_score.value: s.total_score for s in ctx.ext.sheets if s.total_score is not None}
    if not totals:  # no table total: the narrative's own 自评得分, when it states one value
        totals = {f.quantity.value: f.quantity for f in ctx.ext.figures
                  if f.canonical == "自评得分" and ctx.same_period(f.period)}
    for span, word, score in _stated_grades(ctx, totals):
        if score is None:
            continue
        expected = grade_for(score.value)
        if GRADE_WORDS[word] != expected:
            msg = f"自评等级写作“{word}”，但得分{fmt(score.value)}分对应等级应为“{expected}”（优≥90，良≥80，中≥60）"
            yield ctx.finding("score.grade", msg, score.value, None, [(span, "stated"), (score.span, "basis")], None, "分", 2)
