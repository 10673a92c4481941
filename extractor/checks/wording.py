"""What the words say against what the figures say: 大于/小于/持平 against the two amounts, a
note calling a table empty while it has figures, a year that is not the report's, names left
as placeholders, and parts bounded by a whole (awards to SMEs within all procurement)."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from .. import vocab
from ..records import Finding
from ..text import fold
from ..tolerance import compare, in_scale, printed, total
from . import FISCAL_KINDS, Context, check, demoted, evidence_figures, fmt, unit_label

EMPTY_NOTE = re.compile(vocab.EMPTY_TABLE_NOTE)
PLACEHOLDER = re.compile(vocab.PLACEHOLDER_NAME)
FLAT_BAND = Decimal("0.01")  # "基本持平": within 1 % of the budget


@check("text.comparison", "“决算数大于/小于/持平预算数”的表述与两个数字不符")
def comparison(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind != "comparison":
            continue
        actual, budget = st.values["actual"], st.values["budget"]
        word = st.words["word"]
        claimed = vocab.COMPARE_WORDS[word]
        mult = budget.multiplier
        # the author compares the two printed figures, so the printed values decide
        diff = in_scale(actual, mult) - in_scale(budget, mult)
        real = (diff > 0) - (diff < 0)
        if claimed == 0:
            basic = bool(st.words.get("basic"))
            gap = abs(in_scale(actual, mult) - in_scale(budget, mult))
            if real == 0 or basic and budget.value and gap <= abs(in_scale(budget, mult)) * FLAT_BAND:
                continue
        elif claimed == real:
            continue
        truth = {1: "大于", -1: "小于", 0: "等于"}[real]
        msg = f"文中写“决算数{word}预算数”，但决算数{actual.text}{truth}预算数{budget.text}"
        spans = [(st.span, "stated"), (st.spans.get("actual", actual.span), "basis"), (st.spans.get("budget", budget.span), "basis")]
        f = ctx.finding("text.comparison", msg, actual.value, budget.value, spans, None, unit_label(actual), max(actual.decimals, budget.decimals))
        # the two amounts compared must be one item's: a part's 决算 against the whole's 预算 is a pairing the reader chose
        yield f if _same_item(evidence_figures(ctx, f)[1:]) else demoted(f)


def _same_item(figures: list) -> bool:
    items = {g.subject.item if g is not None and g.subject is not None else None for g in figures}
    return len(figures) == 2 and len(items) == 1 and None not in items


@check("text.empty_table", "表注称本表为空表（无数据），但表中有数字", kinds=FISCAL_KINDS)
def empty_table(ctx: Context) -> Iterable[Finding]:
    for table in ctx.ext.tables:
        for note, span in table.notes:
            if not EMPTY_NOTE.search(fold(note)):
                continue
            filled = [(r, k, q) for r in table.rows for k, q in r.cells.items() if q.value != 0]
            if not filled:
                continue
            r, k, q = filled[0]
            msg = f"“{table.title}”的表注称“{note.strip()[:40]}”，但表中有{len(filled)}个非零数字（如{r.label or table.columns[k].name}{q.text}）"
            spans = [(span, "stated")] + [(q.span, "basis") for _r, _k, q in filled[:6]]
            yield ctx.finding("text.empty_table", msg, Decimal(len(filled)), Decimal(0), spans, None, None, 0)


@check("text.nil_claim", "文中称没有某项收支（如政府性基金），但文中或表中有该项金额")
def nil_claim(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind != "nil":
            continue
        scope, item, measure = st.words.get("scope") or None, st.words.get("item") or None, st.words.get("measure") or None
        # the subject first: it rules out most figures (speed only; every test is a plain comparison)
        hits = [f for f in ctx.ext.figures if f.subject is not None and (scope and f.subject.scope == scope or item and f.subject.item == item)
                and f.role == "level" and f.quantity.value != 0 and f.quantity.unit == "元" and ctx.same_period(f.period)
                and f.confidence != "heading" and (measure is None or f.measure in (measure, None))]
        if not hits:
            continue
        f = hits[0]
        where = f"“{f.cell.table}”{f.cell.row}行{f.cell.column}列" if f.cell else "正文"
        msg = f"文中称“{st.words['text']}”，但{where}有{f.subject.name}{f.quantity.text}"
        yield ctx.finding("text.nil_claim", msg, f.quantity.value, Decimal(0), [(st.span, "stated"), ctx.ev(f, "basis")],
                          None, unit_label(f.quantity), f.quantity.decimals)


@check("count.listed", "所称个数与其后列出的项数不符")
def count_listed(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind != "count":
            continue
        q = st.values["count"]
        # "A、B和C": two items by its 、, three when 和 joins two — a count of either is consistent
        fewest = Decimal(st.words["items"])
        most = Decimal(st.words.get("items_joined", st.words["items"]))
        if fewest <= q.value <= most:
            continue
        listed = fewest if q.value < fewest else most
        msg = f"称{q.text}，但其后列出{int(listed)}项：{st.words.get('listed', '')}"
        yield ctx.finding("count.listed", msg, q.value, listed, [(q.span, "stated"), (st.span, "basis")], None, q.unit, 0)


@check("count.vehicles", "称购置了公务用车而公务用车购置费为0，或称未购置公务用车而有购置费", severity="warning")
def vehicles(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind != "vehicles":
            continue
        cost = st.values["cost"]
        label = re.sub(r"(?:为|是|[:：])+$", "", st.words["cost_label"])  # "购置费决算为" + "为0万元"
        if st.words["claim"] == "bought":
            msg = f"文中称“{st.words['said']}”，但{label}为{cost.text}：购置了车辆却无购置费"
        else:
            msg = f"文中称“{st.words['said']}”，但{label}为{cost.text}：未购置车辆却有购置费"
        # unmistakable (both in one paragraph, the cost named in its own clause, one value): an error
        severity = "error" if st.words.get("sure") else None
        yield ctx.finding("count.vehicles", msg, cost.value, None, [(st.spans["claim"], "stated"), (st.spans["cost"], "basis")],
                          None, unit_label(cost), cost.decimals, severity)


@check("text.wrong_year", "标题或日期中的年度与报告年度不符", severity="warning", kinds=FISCAL_KINDS)
def wrong_year(ctx: Context) -> Iterable[Finding]:
    year = ctx.ext.year
    if not year:
        return
    for st in ctx.ext.statements:
        if st.kind != "year":
            continue
        q = st.values["year"]
        if str(int(q.value)) == year:
            continue
        what = st.words.get("what", "标题")
        msg = f"{what}写作{int(q.value)}年，但本报告是{year}年度的：“{st.words.get('text', '')[:40]}”"
        yield ctx.finding("text.wrong_year", msg, q.value, Decimal(year), [(st.span, "stated")], None, "年", 0)


@check("complete.placeholder_name", "名称仍是占位符（XX局、××县）", severity="warning")
def placeholder_name(ctx: Context) -> Iterable[Finding]:
    for st in ctx.ext.statements:
        if st.kind == "placeholder":
            text = st.words.get("text", "")
            yield ctx.finding("complete.placeholder_name", f"“{text}”中的名称仍是占位符，未填写实际名称", None, None, [(st.span, "stated")])


BOUNDED_ITEMS = set(vocab.BOUNDED_BY) | set(vocab.BOUNDED_BY.values())


@check("sum.bounded", "分项金额之和超过其所属总额（如中小企业中标金额超过政府采购总额）")
def bounded(ctx: Context) -> Iterable[Finding]:
    figures = [f for f, _key in ctx.keyed if f.subject.item in BOUNDED_ITEMS]
    for part_item, whole_item in vocab.BOUNDED_BY.items():
        for whole in [f for f in figures if f.subject.item == whole_item]:
            wkey = ctx.key(whole)
            parts: dict[tuple, object] = {}
            for f in figures:
                k = ctx.key(f)
                # a whole of one kind of project bounds the parts of that kind; a whole with no
                # kind bounds them all
                same_kind = whole.subject.part is None or f.subject.part == whole.subject.part
                # (an amount is bounded by an amount: "42.7%" of all procurement is no whole for it)
                if f.subject.item == part_item and k[1] == wkey[1] and k[4] == wkey[4] and same_kind and f.quantity.unit == whole.quantity.unit:
                    parts.setdefault(k, f)  # a part stated twice counts once
            if not parts:
                continue
            items = list(parts.values())
            wq = whole.quantity
            computed = total(printed(p.quantity, wq.multiplier) for p in items)
            if computed.lo <= printed(wq).hi:
                continue
            value = sum((in_scale(p.quantity, wq.multiplier) for p in items), Decimal(0))
            verdict = compare(printed(wq), computed, wq.decimals)
            names = " + ".join(f"{p.subject.name}{p.quantity.text}" for p in items)
            msg = f"{names}合计{fmt(value)}，超过{whole.subject.name}{wq.text}"
            yield ctx.finding("sum.bounded", msg, wq.value, value, [ctx.ev(whole)] + [ctx.ev(p, "part") for p in items],
                              verdict, unit_label(wq), max([wq.decimals] + [p.quantity.decimals for p in items]))
            break
