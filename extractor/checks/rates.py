"""Rates against their operands: 执行率 = 执行数/预算数, its score, worked formulas,
completion and growth percentages with their direction words."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import replace
from decimal import Decimal
from typing import Iterable, Optional

from .. import vocab
from ..records import Finding, Quantity
from ..tolerance import Interval, compare, exact, in_scale, operand, printed, ratio_percent
from . import Context, check, demoted, evidence_figures, fmt, one_sentence, unit_label, with_unit

HUNDRED = Decimal(100)
UP_WORDS, DOWN_WORDS = vocab.UP_WORDS, vocab.DOWN_WORDS


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
                   exact_denominator: bool = False, spans: Optional[list] = None) -> Optional[Finding]:
    """A printed percentage against num ÷ den × 100 of the printed operands.
    `describe(value)` words the message for the recomputed percentage."""
    computed = _ratio(num, den, exact_denominator)
    if computed is None or rate.unit != "%":
        return None
    verdict = compare(_percent(rate), computed, rate.decimals)
    if verdict.status == "ok":
        return None
    value = _exact_ratio(num, den)
    spans = spans or [(rate.span, "stated"), (num.span, "basis"), (den.span, "basis")]
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
    for st in ctx.ext.statements:
        if st.kind != "execution":
            continue
        rate = st.values["rate"]
        readings = [(a, b) for a in [st.values["actual"], *st.alternatives.get("actual", [])]
                    for b in [st.values["budget"], *st.alternatives.get("budget", [])]]
        if any((r := _ratio(a, b)) is not None and compare(_percent(rate), r, rate.decimals).status != "contradiction"
               for a, b in readings):
            continue  # some budget the text states gives the rate (within its rounding)
        actual, budget = st.values["actual"], st.values["budget"]
        base = st.words.get("base") or "预算"
        f = _ratio_finding(ctx, "rate.execution", rate, actual, budget,
                           lambda value: f"执行率填报{fmt(rate.value)}%，但执行数{actual.text}÷{base}{budget.text}={fmt(round(value, 2))}%"
                           + ("（按文中其他预算数计算也不相符）" if len(readings) > 1 else ""),
                           spans=_evidence(st, ("rate", "actual", "budget")))
        if f:
            yield f
    for st in ctx.ext.statements:
        if st.kind == "paid_rate":
            f = _paid_finding(ctx, st)
            if f:
                yield f


def _paid_finding(ctx: Context, st) -> Optional[Finding]:
    """"支付a，未支付b，支付率P%": P against a ÷ (a + b)."""
    rate, paid, unpaid = st.values["rate"], st.values["paid"], st.values["unpaid"]
    mult = paid.multiplier
    whole = printed(paid, mult) + printed(unpaid, mult)
    if whole.lo <= 0:
        return None
    computed = ratio_percent(printed(paid, mult), whole)
    if computed is None:
        return None
    verdict = compare(_percent(rate), computed, rate.decimals)
    if verdict.status == "ok":
        return None
    value = paid.base_value / (paid.base_value + unpaid.base_value) * HUNDRED
    msg = (f"{st.words.get('word', '支付率')}填报{fmt(rate.value)}%，但已支付{paid.text}÷（已支付{paid.text}+未支付{unpaid.text}）"
           f"={fmt(round(value, 2))}%")
    return ctx.finding("rate.execution", msg, rate.value, value, _evidence(st, ("rate", "paid", "unpaid")),
                       verdict, "%", max(rate.decimals, 2))


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


@check("rate.formula", "文中算式的结果与其数字不符")
def formula(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind == "formula":
            num, den, rate = st.values["numerator"], st.values["denominator"], st.values["rate"]
            check_id = "rate.execution" if st.words.get("execution") else "rate.formula"
            f = _ratio_finding(ctx, check_id, rate, num, den,
                               lambda value: f"算式写明结果为{fmt(rate.value)}%，但{num.text}÷{den.text}×100%={fmt(round(value, 2))}%")
            if f:
                yield f


def _evidence(st, order: tuple[str, ...]) -> list[tuple]:
    """A statement's evidence: the spans of its operands (label and number) where known."""
    out = []
    for k, role in zip(order, ("stated",) + ("basis",) * (len(order) - 1)):
        span = st.spans.get(k) or (st.values[k].span if k in st.values else None)
        if span is not None:
            out.append((span, role))
    return out


@check("rate.completion", "完成率不等于实际完成值除以目标值")
def completion(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind == "completion":
            target, actual, rate = st.values["target"], st.values["actual"], st.values["rate"]
            base = st.words.get("base") or "目标"
            f = _ratio_finding(ctx, "rate.completion", rate, actual, target,
                               lambda value: f"完成率填报{fmt(rate.value)}%，但实际{actual.text}÷{base}{target.text}={fmt(round(value, 2))}%",
                               exact_denominator=base == "目标", spans=_evidence(st, ("rate", "actual", "target")))
            if f:
                yield f


def _previous(st, cur: Quantity) -> Optional[Quantity]:
    """Last year's amount: stated, or the current amount less the stated change."""
    if "previous" in st.values:
        return st.values["previous"]
    amount = st.values.get("amount")
    if amount is None:
        return None
    word = st.words.get("amount_direction") or st.words.get("direction", "")
    sign = Decimal(1) if word in UP_WORDS else Decimal(-1)
    value = cur.value - sign * amount.base_value / cur.multiplier
    return Quantity(value, cur.unit, cur.scale, None, max(cur.decimals, amount.decimals), fmt(value), cur.span)


def _growth_verdict(st, cur: Quantity):
    """(verdict, previous, computed %) of a growth statement read with `cur` as this year's
    amount; None when it cannot be computed (no previous amount, or growth from nothing)."""
    prev, rate = _previous(st, cur), st.values["rate"]
    if prev is None:
        return None
    mult = prev.multiplier
    p, c = printed(prev, mult), printed(cur, mult)
    if "previous" not in st.values:  # derived from current − change: both printed intervals count
        amount = st.values["amount"]
        half = amount.half_ulp * amount.multiplier / mult
        p = Interval(p.lo - half, p.hi + half)
    if p.lo <= 0:
        return None  # growth from nothing is not a percentage ("增长100%" is a habit, not a figure)
    change = Interval((c.lo - p.hi) / p.hi * HUNDRED, (c.hi - p.lo) / p.lo * HUNDRED)
    sign = 1 if st.words.get("direction", "") in UP_WORDS else -1
    verdict = compare(_percent(rate).scaled(Decimal(sign)), change, rate.decimals)
    value = (cur.base_value - prev.base_value) / prev.base_value * HUNDRED
    return verdict, prev, value, change, sign


@check("rate.growth", "增减幅度或增减方向与前后两个数值不符")
def growth(ctx: Context) -> Iterable[Finding]:
    # a rate checked against an amount of another sentence rests on the pairing: a warning
    return (f if one_sentence(ctx, f) else demoted(f) for f in _growth(ctx))


def _growth(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind == "direction":
            # "减0.04万元，增0.01%": the amount and the rate of one change point opposite ways
            rate, amount = st.values["rate"], st.values["amount"]
            msg = (f"同一变动的金额写作“{st.words['amount_direction']}{amount.text}”，幅度却写作“{st.words['direction']}{rate.text}”："
                   "增减方向自相矛盾")
            yield ctx.finding("rate.growth", msg, rate.value, None, _evidence(st, ("rate", "amount")), None, "%", max(rate.decimals, 2))
            continue
        if st.kind != "growth" or st.words.get("ambiguous") or st.words.get("direction") not in UP_WORDS + DOWN_WORDS:
            continue
        readings = [st.values["current"], *st.alternatives.get("current", [])]
        results = [(cur, r) for cur in readings if (r := _growth_verdict(st, cur)) is not None]
        if not results or any(r[0].status == "ok" for _cur, r in results):
            continue  # some reading of the sentence is consistent
        rate = st.values["rate"]
        # report the reading nearest to what was written: the amount the author most likely meant
        cur, (verdict, prev, value, change, sign) = min(results, key=lambda cr: abs(cr[1][2] - cr[1][4] * rate.value))
        word = st.words.get("direction", "")
        direction_wrong = (sign > 0 and change.hi < 0) or (sign < 0 and change.lo > 0)
        actual_word = "增长" if value > 0 else "下降"
        what = f"方向写作“{word}”，实际为{actual_word}" if direction_wrong else f"写作{word}{fmt(rate.value)}%"
        derived = "" if "previous" in st.values else f"（上年数按{cur.text}与变动额{st.values['amount'].text}推算）"
        msg = f"{what}：由{prev.text}到{cur.text}，变动{fmt(round(value, 2))}%{derived}"
        spans = _evidence(st, ("rate", "previous", "current", "amount"))
        yield ctx.finding("rate.growth", msg, rate.value, value, spans, verdict, "%", max(rate.decimals, 2))


@check("rate.change", "增减金额与前后两个数值不符")
def change(ctx: Context) -> Iterable[Finding]:
    return (f if one_sentence(ctx, f) else demoted(f) for f in _change(ctx))


def _change(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind == "change" and st.words.get("unsigned"):
            yield from _unsigned_change(ctx, st)
            continue
        if st.kind != "change" or st.words.get("ambiguous") or st.words.get("direction") not in UP_WORDS + DOWN_WORDS:
            continue
        amount = st.values["amount"]
        word = st.words.get("direction", "")
        up = word in UP_WORDS
        readings = [st.values["current"], *st.alternatives.get("current", [])]
        if "previous" in st.values:
            prev = st.values["previous"]
            verdicts = []
            for cur in readings:
                mult = cur.multiplier
                stated = printed(amount, mult).scaled(Decimal(1 if up else -1))
                computed = printed(cur, mult) + printed(prev, mult).scaled(Decimal(-1))
                verdicts.append(compare(stated, computed, amount.decimals))
            if any(v.status == "ok" for v in verdicts):
                loose = _integer_level_as_exact(ctx, st, amount, prev, readings, up, word)
                if loose is not None:
                    yield loose
                continue
            cur = readings[0]
            value = in_scale(cur, cur.multiplier) - in_scale(prev, cur.multiplier)
            msg = f"写作{word}{amount.text}，但由{prev.text}到{cur.text}实际变动{fmt(value)}"
            yield ctx.finding("rate.change", msg, amount.value, abs(value), _evidence(st, ("amount", "previous", "current")),
                              verdicts[0], unit_label(amount), max(amount.decimals, cur.decimals))
        elif up and all(in_scale(amount, cur.multiplier) > printed(cur, cur.multiplier).hi for cur in readings):
            # an increase larger than the amount itself means a negative amount before
            cur = readings[0]
            value = in_scale(cur, cur.multiplier) - in_scale(amount, cur.multiplier)
            msg = f"{cur.text}比上期{word}{amount.text}，则上期应为{fmt(value)}，金额不可能为负：增减额与所述金额不符"
            yield ctx.finding("rate.change", msg, amount.value, in_scale(cur, cur.multiplier), _evidence(st, ("amount", "current")),
                              None, unit_label(amount), max(amount.decimals, cur.decimals))


def _tight(q: Quantity, places: int, mult: Decimal) -> Interval:
    """A level printed without decimals beside figures with `places` decimals: read to those places."""
    if q.decimals == 0 and places > 0:
        return printed(replace(q, decimals=places), mult)
    return printed(q, mult)


def _integer_level_as_exact(ctx: Context, st, amount: Quantity, prev: Quantity, readings: list, up: bool,
                            word: str) -> Optional[Finding]:
    """"2025年预算8万元，2024年预算12.5万元，减少4.35万元": the change fits the levels only if
    "8" may be anything in [7.5, 8.5]; but a sentence that prints its other amounts to two
    places writes a whole number because it is one. Where every reading contradicts with the
    integer level taken to that precision, a warning (not an error: it may still be rounded)."""
    figures = [amount, prev, *readings]
    if len({q.multiplier for q in figures}) != 1 or all(q.decimals for q in (prev, *readings)):
        return None  # different scales (290万元 beside 2,900,000元), or no whole-number level
    places = max(q.decimals for q in figures)
    if places == 0:
        return None
    mult = amount.multiplier
    stated = printed(amount, mult).scaled(Decimal(1 if up else -1))
    verdicts = [compare(stated, _tight(cur, places, mult) + _tight(prev, places, mult).scaled(Decimal(-1)), amount.decimals)
                for cur in readings]
    if any(v.status != "contradiction" for v in verdicts):
        return None
    cur = readings[0]
    value = in_scale(cur, mult) - in_scale(prev, mult)
    msg = (f"写作{word}{amount.text}，但由{prev.text}到{cur.text}实际变动{fmt(value)}"
           f"（同句金额印到{places}位小数，整数金额按精确值计）")
    return ctx.finding("rate.change", msg, amount.value, abs(value), _evidence(st, ("amount", "previous", "current")),
                       verdicts[0], unit_label(amount), max(amount.decimals, cur.decimals), severity="warning")


def _unsigned_change(ctx: Context, st) -> Iterable[Finding]:
    """"差值0.30万元" between two amounts: the gap either way."""
    amount, cur, prev = st.values["amount"], st.values["current"], st.values["previous"]
    mult = cur.multiplier
    gap = printed(cur, mult) + printed(prev, mult).scaled(Decimal(-1))
    if gap.mid < 0:
        gap = gap.scaled(Decimal(-1))
    verdict = compare(printed(amount, mult), gap, amount.decimals)
    if verdict.status == "ok":
        return
    value = abs(in_scale(cur, mult) - in_scale(prev, mult))
    msg = f"写作{st.words.get('direction', '相差')}{amount.text}，但{prev.text}与{cur.text}相差{fmt(value)}{unit_label(amount) or ''}"
    yield ctx.finding("rate.change", msg, amount.value, value, _evidence(st, ("amount", "previous", "current")),
                      verdict, unit_label(amount), max(amount.decimals, cur.decimals))


@check("rate.share", "占比不等于分项除以总额")
def share(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind != "share":
            continue
        rate, part = st.values["rate"], st.values["part"]
        whole = st.values.get("whole")
        also = ""
        whole_span = st.spans.get("whole")
        if whole is None:
            found = _whole_from_figures(ctx, st)
            if found is None:
                continue
            whole, whole_span = found.quantity, found.span
            if st.words.get("whole_unscoped"):
                # "占本年支出的P%" in a section of one fund: that fund's total, or all funds' total
                other = _whole_from_figures(ctx, st, replace(st.whole, scope=None))
                if other is not None and (r := _ratio(part, other.quantity)) is not None and compare(
                        _percent(rate), r, rate.decimals).status != "contradiction":
                    continue
                if other is not None and other.quantity.base_value > 0:
                    also = f"；按全部资金的{other.quantity.text}计为{fmt(round(_exact_ratio(part, other.quantity), 2))}%，也不相符"
        if whole.base_value <= 0:
            continue
        spans = _evidence(st, ("rate", "part")) + ([(whole_span, "basis")] if whole_span else [])
        f = _ratio_finding(ctx, "rate.share", rate, part, whole,
                           lambda value: f"占比填报{fmt(rate.value)}%，但{with_unit(part)}÷{with_unit(whole)}={fmt(round(value, 2))}%{also}", spans=spans)
        if f:
            yield f if _share_sure(ctx, f) else demoted(f)


def _share_sure(ctx: Context, f: Finding) -> bool:
    """The part and the whole each named in their own clause (or table cells) or read in one
    sentence, and the share read as the part's: a part carried over from the clause before and
    a whole from another sentence, or a share whose own subject is another item, is a pairing
    the reader chose."""
    rate, *operands = evidence_figures(ctx, f)
    if len(operands) < 2 or None in operands[:2]:
        return False
    part, whole = operands[:2]
    named = all(g.cell is not None or g.confidence == "stated" for g in (part, whole))
    together = part.sentence is not None and part.sentence == whole.sentence
    return (named or together) and (rate is None or rate.subject is None or part.subject is None
                                    or rate.subject.item == part.subject.item)


def _whole_from_figures(ctx: Context, st, whole=None):
    """"占本年支出合计的100.00%": the whole is named, and stated elsewhere (often in a table)."""
    whole = whole or st.whole
    if whole is None:
        return None
    measure = _measure_at(ctx, st.span.start)
    wanted = (whole.item, ctx.scope(whole.scope), whole.part)
    candidates = [f for f in ctx.once(_by_subject).get(wanted, ())
                  if measure is None or f.measure in (measure, None)]
    values = {f.quantity.base_value for f in candidates}
    return candidates[0] if len(values) == 1 else None


def _by_subject(ctx: Context) -> dict[tuple, list]:
    """The keyed figures by (item, scope, part), in reading order: indexed once per document,
    not scanned for each share statement."""
    index: dict[tuple, list] = {}
    for f, key in ctx.keyed:
        index.setdefault(key[:3], []).append(f)
    return index


def _measured(ctx: Context) -> tuple[list[int], list[tuple], int]:
    """The figures that name a measure, by where their span starts (once per document), and
    the longest such span: only a figure starting that far back can cover an offset."""
    spans = sorted((f.span.start, i, f.span.end, f.measure) for i, f in enumerate(ctx.ext.figures) if f.measure)
    return [s[0] for s in spans], spans, max((end - start for start, _i, end, _m in spans), default=0)


def _measure_at(ctx: Context, at: int) -> Optional[str]:
    """The measure of the first figure (in reading order) whose span, or the character after
    it, covers `at`."""
    starts, spans, longest = ctx.once(_measured)
    first = None
    for start, i, end, measure in spans[bisect_left(starts, at - longest):bisect_right(starts, at)]:
        if at <= end and (first is None or i < first[0]):
            first = (i, measure)
    return first[1] if first else None
