"""Rates against their operands: 执行率 = 执行数/预算数, its score, worked formulas,
completion and growth percentages with their direction words."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, Optional

from ..records import Finding, Quantity
from ..tolerance import Interval, compare, exact, operand, printed, ratio_percent
from . import Context, check, fmt

HUNDRED = Decimal(100)
UP_WORDS = ("增长", "增加", "提高", "上升", "增幅")


def _percent(q: Quantity) -> Interval:
    return printed(q)


def _assigned(score: Quantity) -> Interval:
    """A score as given: "10" is exactly 10 (not anything in [9.5, 10.5]); a score with
    decimals may be weight × rate rounded to its printed places."""
    return exact(score.value) if score.decimals == 0 else printed(score)


def _ratio(num: Quantity, den: Quantity, exact_denominator: bool = False):
    mult = den.multiplier
    # a target is set, not measured: "25平方公里" is 25, whatever the actual's rounding
    base = exact(den.base_value / mult) if exact_denominator else operand(den, mult)
    return ratio_percent(operand(num, mult), base)


def _exact_ratio(num: Quantity, den: Quantity) -> Decimal:
    """The ratio of the printed values, as the report's author would have worked it out."""
    return num.base_value / den.base_value * HUNDRED


def _ratio_finding(ctx: Context, check_id: str, rate: Quantity, num: Quantity, den: Quantity, describe,
                   exact_denominator: bool = False) -> Optional[Finding]:
    """A printed percentage against num ÷ den × 100 of the printed operands.
    `describe(value)` words the message for the recomputed percentage."""
    computed = _ratio(num, den, exact_denominator)
    if computed is None or rate.unit != "%":
        return None
    verdict = compare(_percent(rate), computed, rate.decimals)
    if verdict.status == "ok":
        return None
    value = _exact_ratio(num, den)
    spans = [(rate.span, "stated"), (num.span, "basis"), (den.span, "basis")]
    return ctx.finding(check_id, describe(value), rate.value, value, spans, verdict, "%", max(rate.decimals, 2))


@check("rate.execution", "执行率不等于执行数除以预算数")
def execution(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        for row in sheet.budget_rows:
            v = row.values
            base_role = "budget" if "budget" in v else "initial"
            if not {"rate", "actual", base_role} <= v.keys():
                continue
            rate, actual, base = v["rate"], v["actual"], v[base_role]
            f = _ratio_finding(
                ctx, "rate.execution", rate, actual, base,
                lambda value: f"{row.label}：执行率填报{fmt(rate.value)}%，但执行数{fmt(actual.value)}÷预算数{fmt(base.value)}"
                f"={fmt(round(value, 2))}%{'（执行数超过预算数）' if value > HUNDRED else ''}",
            )
            if f:
                yield f


@check("rate.execution_score", "执行率得分不等于分值×执行率")
def execution_score(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        # a row with no numbers (a wrapped header line) cannot be the one the score is for
        heads = [r for r in sheet.budget_rows if not r.is_part and r.values]
        for row in heads:
            v = dict(row.values)
            weight = v.get("weight") or sheet.budget_points
            if "score" not in v and row is heads[0] and sheet.budget_score is not None:
                v["score"] = sheet.budget_score  # "预算执行(10分) | 9.00" stated beside the table
            if "score" not in v or weight is None:
                continue
            base_role = "budget" if "budget" in v else "initial"
            if "rate" in v and v["rate"].unit == "%":
                rate, rate_value = _percent(v["rate"]), v["rate"].value
                basis = [(v["rate"].span, "basis")]
            elif {"actual", base_role} <= v.keys() and (rate := _ratio(v["actual"], v[base_role])) is not None:
                rate_value = _exact_ratio(v["actual"], v[base_role])
                basis = [(v["actual"].span, "basis"), (v[base_role].span, "basis")]
            else:
                continue
            # 得分 = 分值 × min(执行率, 100%): over-execution earns no extra points
            expected = Interval(min(rate.lo, HUNDRED), min(rate.hi, HUNDRED)).scaled(weight.value / HUNDRED)
            score = v["score"]
            verdict = compare(_assigned(score), expected, score.decimals)
            if verdict.status == "ok":
                continue
            value = weight.value * min(rate_value, HUNDRED) / HUNDRED
            msg = f"{row.label}：执行率得分填报{fmt(score.value)}分，按分值{fmt(weight.value)}分×执行率应为{fmt(round(value, 2))}分"
            spans = [(score.span, "stated")] + basis + [(weight.span, "basis")]
            yield ctx.finding("rate.execution_score", msg, score.value, value, spans, verdict, "分", max(score.decimals, 2))


def _formula_names_execution_rate(ctx: Context, st) -> bool:
    """"预算执行率=（支出决算数÷调整预算数）×100%=（A÷B）×100%=R%": a worked 执行率 is judged
    as an execution rate, whichever way it is written."""
    line_start = ctx.doc.text.rfind("\n", 0, st.span.start) + 1
    lead = ctx.doc.text[max(line_start, st.span.start - 60) : st.span.start]
    return bool(re.search(r"执行率[^。；;，,]*[=＝]", lead))


@check("rate.formula", "文中算式的结果与其数字不符")
def formula(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind == "formula":
            num, den, rate = st.values["numerator"], st.values["denominator"], st.values["rate"]
            check_id = "rate.execution" if _formula_names_execution_rate(ctx, st) else "rate.formula"
            f = _ratio_finding(ctx, check_id, rate, num, den,
                               lambda value: f"算式写明结果为{fmt(rate.value)}%，但{num.text}÷{den.text}×100%={fmt(round(value, 2))}%")
            if f:
                yield f


@check("rate.completion", "完成率不等于实际完成值除以目标值")
def completion(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind == "completion":
            target, actual, rate = st.values["target"], st.values["actual"], st.values["rate"]
            f = _ratio_finding(ctx, "rate.completion", rate, actual, target,
                               lambda value: f"完成率填报{fmt(rate.value)}%，但实际{actual.text}÷目标{target.text}={fmt(round(value, 2))}%",
                               exact_denominator=True)
            if f:
                yield f


@check("rate.growth", "增减幅度或增减方向与前后两个数值不符")
def growth(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind != "growth":
            continue
        prev, cur, rate = st.values["previous"], st.values["current"], st.values["rate"]
        mult = prev.multiplier
        p, c = printed(prev, mult), printed(cur, mult)
        if p.lo <= 0:
            continue
        change = Interval((c.lo - p.hi) / p.hi * HUNDRED, (c.hi - p.lo) / p.lo * HUNDRED)
        sign = 1 if st.words.get("direction", "") in UP_WORDS else -1
        stated = _percent(rate).scaled(Decimal(sign))
        verdict = compare(stated, change, rate.decimals)
        if verdict.status == "ok":
            continue
        value = (cur.base_value - prev.base_value) / prev.base_value * HUNDRED
        word = st.words.get("direction", "")
        direction_wrong = (sign > 0 and change.hi < 0) or (sign < 0 and change.lo > 0)
        actual_word = "增长" if value > 0 else "下降"
        what = f"方向写作“{word}”，实际为{actual_word}" if direction_wrong else f"写作{word}{fmt(rate.value)}%"
        msg = f"{what}：由{prev.text}到{cur.text}，变动{fmt(round(value, 2))}%"
        spans = [(rate.span, "stated"), (prev.span, "basis"), (cur.span, "basis")]
        yield ctx.finding("rate.growth", msg, rate.value, value, spans, verdict, "%", max(rate.decimals, 2))

