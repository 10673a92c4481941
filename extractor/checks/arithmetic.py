"""Totals against their parts: 整体 = 基本 + 项目, 基本支出 breakdowns, 三公, fund sources per
column, 调整后 = 年初 + 调整, and any "其中" list (≤ the total unless it is a full breakdown)."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Optional

from .. import canon, vocab
from ..records import BudgetRow, Figure, Finding, PartOf, Quantity
from ..tolerance import Interval, Verdict, compare, exact, in_scale, is_count, operand, printed, total
from . import FISCAL_KINDS, Context, as_printed, check, demoted, fmt, unit_label

MONEY_ROLES = {role: vocab.BUDGET_ROLE_NAMES[role] for role in vocab.MONEY_ROLES}


def _judge(ctx: Context, check_id: str, total_fig: Figure, parts: list[Figure], exhaustive: bool) -> Optional[Finding]:
    tq = total_fig.quantity
    mult = tq.multiplier
    stated = operand(tq)  # a count ("车辆6辆") is exact; an amount stands for its printed interval
    computed = total(operand(p.quantity, mult) for p in parts)
    value = sum((in_scale(p.quantity, mult) for p in parts), Decimal(0))
    unit = unit_label(tq) or ""
    terms = " + ".join(as_printed(p.quantity, mult) for p in parts)
    spans = [ctx.ev(total_fig)] + [ctx.ev(p, "part") for p in parts]
    if exhaustive:
        verdict = compare(stated, computed, tq.decimals)
        if verdict.status == "ok":
            return None
        slipped = _slipped_part(tq, parts)
        if slipped is not None and tq.unit == "元":
            return _slip_finding(ctx, total_fig, parts, *slipped)
        msg = f"{total_fig.label}{fmt(tq.value)}{unit}，但其组成 {terms} = {fmt(value)}{unit}，相差{fmt(abs(tq.value - value))}{unit}"
        msg += _total_slip_note(tq, computed)
        return ctx.finding(check_id, msg, tq.value, value, spans, verdict, unit or None, max(tq.decimals, max(p.quantity.decimals for p in parts)))
    slipped = _slipped_part(tq, parts) if tq.unit == "元" and computed.hi < stated.lo else None
    if slipped is not None and (slipped[0].quantity.scale or "") not in {p.quantity.scale or "" for p in parts if p is not slipped[0]}:
        # "总额84万元，其中：…36、16、12、5万元，…15元": a list that need not be full, short of its
        # total, adds up to it exactly once the one part written in another unit than all the
        # others is read in theirs
        return _slip_finding(ctx, total_fig, parts, *slipped)
    if computed.lo <= stated.hi:
        return None
    gap = computed.lo - stated.hi
    # things counted one by one are never rounded: 2 + 2 vehicles of 3 is one too many
    counted = is_count(tq) and all(is_count(p.quantity) for p in parts)
    status = "rounding" if gap <= Decimal(10) ** (-tq.decimals) and not counted else "contradiction"
    verdict = Verdict(status, gap, (stated.hi - stated.lo) / 2 + (computed.hi - computed.lo) / 2)
    msg = f"“其中”所列各项合计 {terms} = {fmt(value)}{unit}，超过总数{total_fig.label}{fmt(tq.value)}{unit}"
    msg += _total_slip_note(tq, computed)
    return ctx.finding(check_id, msg, tq.value, value, spans, verdict, unit or None, max(tq.decimals, max(p.quantity.decimals for p in parts)))


def _slip_finding(ctx: Context, total_fig: Figure, parts: list[Figure], part: Figure, factor: Decimal) -> Finding:
    tq = total_fig.quantity
    right = part.quantity.value * factor
    # the reading that adds up, in the total's unit, as an auditor says it ("15元按15万元计算",
    # not "按150000元")
    reading = part.quantity.base_value * factor / tq.multiplier
    msg = (f"{total_fig.label}{fmt(tq.value)}{unit_label(tq) or ''}，各组成中{part.label}{part.quantity.text}按{fmt(reading)}"
           f"{unit_label(tq) or ''}计算时才相加相符（相差{fmt(factor)}倍），疑似单位错写（元/万元）")
    return ctx.finding("xref.unit_slip", msg, part.quantity.value, right, [ctx.ev(part)] + [ctx.ev(total_fig, "basis")]
                       + [ctx.ev(p, "part") for p in parts if p is not part], None, unit_label(part.quantity), part.quantity.decimals)


SLIP_FACTORS = [Decimal(10) ** k for k in (1, 2, 3, 4, -1, -2, -3, -4)]
MONEY_SCALES = ("", "万", "亿")  # 元, 万元, 亿元: a unit step is 10⁴


def _total_slip_note(tq: Quantity, computed) -> str:
    """What an auditor looks at first when a total of money is off by a unit step from its parts
    ("471.23元" over parts of 189.63万元 and 281.60万元): say so in the message."""
    if tq.unit != "元" or tq.value == 0 or (tq.scale or "") not in MONEY_SCALES:
        return ""
    at = MONEY_SCALES.index(tq.scale or "")
    for steps in (1, -1, 2, -2):
        if not 0 <= at + steps < len(MONEY_SCALES):
            continue
        if compare(printed(tq).scaled(Decimal(10) ** (4 * steps)), computed, tq.decimals).status == "ok":
            return f"；总数若为{fmt(tq.value)}{MONEY_SCALES[at + steps]}元则与各项合计相符，疑似单位错写"
    return ""


def _slipped_part(tq: Quantity, parts: list[Figure]) -> Optional[tuple[Figure, Decimal]]:
    """The one part that, read 10ⁿ times larger or smaller, makes a full breakdown add up:
    "基本支出402,150.00元" where 402.15万元 was meant."""
    if len(parts) < 2:
        return None
    mult = tq.multiplier
    hits = []
    stated = printed(tq)
    # speed only: each part as printed once, not once per other part; the other parts' sum is the
    # same for every factor
    as_printed_in_total = [printed(p.quantity, mult) for p in parts]
    for part, part_printed in zip(parts, as_printed_in_total):
        others = total(pp for p, pp in zip(parts, as_printed_in_total) if p is not part)
        for factor in SLIP_FACTORS:
            scaled = part_printed.scaled(factor)
            # a factor that makes the part vanish only says the part should not be there
            if scaled.mid < tq.base_value / mult / 100:
                continue
            if part.quantity.value != 0 and compare(stated, others + scaled, tq.decimals).status == "ok":
                hits.append((part, factor))
    return hits[0] if len(hits) == 1 else None


def _relations(ctx: Context, check_id: str) -> Iterable[PartOf]:
    return [r for r in ctx.ext.relations if r.check == check_id]


def _money_figures(ctx: Context) -> list[Figure]:
    return [f for f, _key in ctx.keyed if f.canonical and f.quantity.unit == "元"]


def _tables_first(ctx: Context) -> list[Figure]:
    """The money figures, a table's before prose's: the same for the three identities, so
    listed once per document (ctx.once; speed only)."""
    return sorted(_money_figures(ctx), key=lambda f: f.context != "table")


def _single_value(figs: list[Figure]) -> Optional[Figure]:
    """The one figure when every statement of it agrees; None when they conflict (the
    cross-reference check reports conflicts, and pairing either value here would guess)."""
    if not figs:
        return None
    first = figs[0]
    for f in figs[1:]:
        if compare(printed(first.quantity, Decimal(1)), printed(f.quantity, Decimal(1)), 0).status == "contradiction":
            return None
    return first


def _identity_check(ctx: Context, check_id: str) -> Iterable[Finding]:
    """Judge "其中" relations of this identity, then the identity over figures stated apart
    (a table's 基本支出总额 and 项目支出总额 beside its 部门整体支出总额)."""
    judged_totals = []
    for rel in _relations(ctx, check_id):
        judged_totals.append(rel.total)
        f = _judge(ctx, check_id, rel.total, rel.parts, rel.exhaustive)
        if f:
            yield f
    if ctx.ext.kind in FISCAL_KINDS:
        return  # the standard tables state these identities themselves (checks/fiscal.py)
    total_name = next(k for k, (cid, _b) in canon.IDENTITIES.items() if cid == check_id)
    _cid, breakdowns = canon.IDENTITIES[total_name]
    # a table states the department's totals in one place: prefer it to prose
    figures = ctx.once(_tables_first)
    for measures in (("决算", None), ("调整预算", "预算"), ("年初预算",)):
        pool = [f for f in figures if f.measure in measures and ctx.same_period(f.period)]
        tot = _single_value([f for f in pool if f.canonical == total_name])
        if tot is None:
            continue
        for names in breakdowns:
            parts = [_single_value([f for f in pool if f.canonical == n]) for n in sorted(names)]
            if not all(parts):
                continue
            # the prose "其中" already judged this total; a table that states the total and
            # its parts itself is a second, separate statement of the identity
            in_table = all(f.context == "table" for f in [tot, *parts])  # type: ignore[union-attr]
            if not in_table and any(_single_value([tot, t]) is not None for t in judged_totals):
                break
            f = _judge(ctx, check_id, tot, parts, True)  # type: ignore[arg-type]
            if f:
                yield f
            break


@check("sum.total_basic_project", "部门整体支出不等于基本支出与项目支出之和")
def total_basic_project(ctx: Context) -> Iterable[Finding]:
    return _identity_check(ctx, "sum.total_basic_project")


@check("sum.basic_breakdown", "基本支出不等于其经济分类（工资福利、商品和服务、对个人和家庭补助）之和")
def basic_breakdown(ctx: Context) -> Iterable[Finding]:
    return _identity_check(ctx, "sum.basic_breakdown")


@check("sum.sangong", "“三公”经费合计不等于出国（境）、公务接待、公务用车之和")
def sangong(ctx: Context) -> Iterable[Finding]:
    return _identity_check(ctx, "sum.sangong")


def _judge_relations(ctx: Context, check_id: str) -> Iterable[Finding]:
    for rel in _relations(ctx, check_id):
        f = _judge(ctx, check_id, rel.total, rel.parts, rel.exhaustive)
        if f:
            yield f


@check("sum.breakdown", "“其中”所列各项合计超过总数")
def breakdown(ctx: Context) -> Iterable[Finding]:
    for rel in _relations(ctx, "sum.breakdown"):
        f = _judge(ctx, "sum.breakdown", rel.total, rel.parts, rel.exhaustive)
        if f is None:
            continue
        yield f if f.check != "sum.breakdown" or rel.exhaustive or _sure_list(rel) else demoted(f)


def _sure_list(rel: PartOf) -> bool:
    """A list that need not be full is a contradiction for sure only when its items are parts
    of its total: table cells, items of one known breakdown of the total, or a total one unit
    step off their sum. Free or inherited labels (a change, a standard, a headcount of another
    kind among the parts) are the reader's guess of what the list splits."""
    tq = rel.total.quantity
    figs = [rel.total, *rel.parts]
    if all(f.cell is not None for f in figs):
        return True
    if _total_slip_note(tq, total(operand(p.quantity, tq.multiplier) for p in rel.parts)):
        return True
    if any(f.subject is None or f.confidence != "stated" for f in figs):
        return False
    items = [p.subject.item for p in rel.parts]
    return len(set(items)) == len(items) and any(set(items) <= bd for bd in vocab.FULL_BREAKDOWNS.get(rel.total.subject.item, ()))


def _signed_words(value: Decimal) -> str:
    """A signed change as the report words it: "减少0.11"."""
    return f"{'增加' if value > 0 else '减少' if value < 0 else '变动'}{fmt(abs(value))}"


@check("sum.change_breakdown", "总数的增减额不等于其各组成部分增减额之和")
def change_breakdown(ctx: Context) -> Iterable[Finding]:
    # the narrative reader signs each change by its direction word and keeps only full
    # breakdowns: a list of some parts bounds nothing, their changes may go either way
    for rel in _relations(ctx, "sum.change_breakdown"):
        tq = rel.total.quantity
        mult = tq.multiplier
        # "同比减少0万元" says nothing changed: no rounding hides a change in it
        computed = total(exact(Decimal(0)) if p.quantity.value == 0 else printed(p.quantity, mult) for p in rel.parts)
        verdict = compare(printed(tq), computed, tq.decimals)
        if verdict.status == "ok":
            continue
        value = sum((in_scale(p.quantity, mult) for p in rel.parts), Decimal(0))
        unit = unit_label(tq) or ""
        name = rel.total.subject.name if rel.total.subject else rel.total.label
        # a change often names nothing itself ("…585.53万元，同比减少144.92万元"): its subject does
        terms = "、".join(f"{p.subject.name if p.subject else p.label}{_signed_words(in_scale(p.quantity, mult))}" for p in rel.parts)
        msg = (f"{name}{_signed_words(tq.value)}{unit}，但其组成的增减额（{terms}）合计{_signed_words(value)}{unit}，"
               f"相差{fmt(abs(tq.value - value))}{unit}")
        spans = [ctx.ev(rel.total)] + [ctx.ev(p, "part") for p in rel.parts]
        yield ctx.finding("sum.change_breakdown", msg, tq.value, value, spans, verdict, unit or None,
                          max(tq.decimals, max(p.quantity.decimals for p in rel.parts)))


@check("sum.table_total", "表中合计（小计）行不等于其所合计各行之和")
def table_total(ctx: Context) -> Iterable[Finding]:
    return _judge_relations(ctx, "sum.table_total")


def _row_figure(row: BudgetRow, role: str) -> Figure:
    q = row.values[role]
    return Figure(row.label, q, q.span, None, None, "table", "table")


@check("sum.fund_sources", "资金总额不等于各资金来源之和")
def fund_sources(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        rows = sheet.budget_rows
        for i, head in enumerate(rows):
            if head.is_part:
                continue
            parts = []
            for row in rows[i + 1 :]:
                if not row.is_part:
                    break
                parts.append(row)
            if not parts:
                continue
            # "其他…" closes a list of sources: with it every source is named.
            complete = any(canon.normalise(p.label).startswith(("其他", "其它")) for p in parts)
            for role, col_name in MONEY_ROLES.items():
                if role not in head.values:
                    continue
                filled = [p for p in parts if role in p.values]
                if not filled:
                    continue
                exhaustive = complete and len(filled) == len(parts)
                if not exhaustive and role == "adjust":
                    continue  # an unlisted source may have been cut: adjustments have no ceiling
                total_fig = _row_figure(head, role)
                total_fig.label = f"{head.label}（{col_name}）"
                f = _judge(ctx, "sum.fund_sources", total_fig, [_row_figure(p, role) for p in filled], exhaustive)
                if f:
                    yield f


@check("sum.adjusted_budget", "调整后预算数不等于年初预算数加调整数")
def adjusted_budget(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        for row in sheet.budget_rows:
            v = row.values
            if not {"initial", "adjust", "budget"} <= v.keys():
                continue
            if any(v[c].unit == "%" for c in ("initial", "adjust", "budget")):
                continue  # a rate in a money column: the row was read out of line
            stated: Quantity = v["budget"]
            mult = stated.multiplier
            computed = printed(v["initial"], mult) + printed(v["adjust"], mult)
            verdict = compare(printed(stated), computed, stated.decimals)
            if verdict.status == "ok":
                continue
            value = in_scale(v["initial"], mult) + in_scale(v["adjust"], mult)
            msg = (
                f"{row.label}：调整后预算数{fmt(stated.value)}，但年初预算数{fmt(v['initial'].value)}"
                f"加调整数{fmt(v['adjust'].value)}为{fmt(value)}"
            )
            spans = [(stated.span, "stated"), (v["initial"].span, "part"), (v["adjust"].span, "part")]
            yield ctx.finding("sum.adjusted_budget", msg, stated.value, value, spans, verdict, unit_label(stated), stated.decimals)


# the carry-over identity of a year's money: 年末 = 年初 + 本年收入 − 本年支出 (+ 使用非财政拨款结余
# − 结余分配 for the unit as a whole), by item and sign
CARRY_OVER = {"年初结转和结余": 1, "收入合计": 1, "使用非财政拨款结余": 1, "支出合计": -1, "结余分配": -1}
CARRY_NAMES = {"年初结转和结余": "年初结转和结余", "收入合计": "本年收入", "使用非财政拨款结余": "使用非财政拨款结余",
               "支出合计": "本年支出", "结余分配": "结余分配"}


@check("sum.carryover", "年末结转和结余不等于年初结转和结余加本年收入减本年支出", severity="warning")
def carryover(ctx: Context) -> Iterable[Finding]:
    """"一般公共预算财政拨款上年结转a，收入b，支出c，年末结转和结余e" in one sentence: e = a + b − c.
    Judged only where one sentence states the four of one fund scope; for the unit as a whole
    (no scope) the sentence must state 使用非财政拨款结余 and 结余分配 too, which a fund's money has
    none of. A warning: the four are read from prose, each once in the sentence."""
    by_sentence: dict[tuple, dict[str, list[Figure]]] = {}
    for f, key in ctx.keyed:
        item, scope, part, measure, period = key
        if f.context != "narrative" or f.quantity.unit != "元" or f.sentence is None or part is not None or period is not None:
            continue
        if measure not in ("决算", None) or (item not in CARRY_OVER and item != "年末结转和结余"):
            continue
        by_sentence.setdefault((f.sentence.start, scope), {}).setdefault(item, []).append(f)
    for (_at, scope), items in by_sentence.items():
        if not {"年初结转和结余", "收入合计", "支出合计", "年末结转和结余"} <= items.keys() or any(len(v) != 1 for v in items.values()):
            continue
        if scope is None and not {"使用非财政拨款结余", "结余分配"} <= items.keys():
            continue  # the unit's own balance moves with these two as well; unstated, not judged
        (end,) = items["年末结转和结余"]
        terms = [(CARRY_OVER[item], figs[0]) for item, figs in items.items() if item in CARRY_OVER]
        mult = end.quantity.multiplier
        lo = hi = Decimal(0)
        for sign, f in terms:
            i = printed(f.quantity, mult)
            lo, hi = (lo + i.lo, hi + i.hi) if sign > 0 else (lo - i.hi, hi - i.lo)
        verdict = compare(printed(end.quantity), Interval(lo, hi), end.quantity.decimals)
        if verdict.status == "ok":
            continue
        value = sum((sign * in_scale(f.quantity, mult) for sign, f in terms), Decimal(0))
        unit = unit_label(end.quantity) or ""
        worked = "".join(f"{'＋' if sign > 0 and k else '－' if sign < 0 else ''}{CARRY_NAMES[_item_of(f)]}{f.quantity.text}"
                         for k, (sign, f) in enumerate(terms))
        msg = f"{end.label.rstrip('为是：:')}{end.quantity.text}，但{worked}＝{fmt(value)}{unit}（相差{fmt(abs(end.quantity.value - value))}{unit}）"
        spans = [ctx.ev(end)] + [ctx.ev(f, "part") for _sign, f in terms]
        yield ctx.finding("sum.carryover", msg, end.quantity.value, value, spans, verdict, unit or None, end.quantity.decimals)


def _item_of(f: Figure) -> str:
    return f.subject.item if f.subject is not None else ""
