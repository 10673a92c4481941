"""The standard 预算/决算 tables against themselves: 类 = Σ 款 = Σ 项, the total row, a row's
合计 against its columns, the 收支总表 balance, 三公 = 出国 + 接待 + 公务用车, and the same figure
printed in two tables."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable, Optional

from ..fiscal_tables import dash, table_figures
from ..records import CellRef, FiscalRow, FiscalTable, Figure, Finding, Quantity
from ..text import fold
from ..tolerance import ZERO, compare, in_scale, printed, total
from . import FISCAL_KINDS, Context, check, fmt, unit_label


def _cell(table: FiscalTable, row: FiscalRow, k: int) -> CellRef:
    return CellRef(table.title, row.label or "（无行名）", table.columns[k].name or f"第{k + 1}列")


def _where(cell: CellRef) -> str:
    return f"“{cell.table}”{cell.row}行{cell.column}列"


def _sum_finding(ctx: Context, check_id: str, table: FiscalTable, head: tuple[FiscalRow, int],
                 parts: list[tuple[FiscalRow, int]], what: str) -> Optional[Finding]:
    """A table total against the cells that make it up, with printed-precision tolerance. A
    part printed as a dash is zero; a total printed as a dash states no amount to check."""
    hrow, hk = head
    tq = hrow.cells[hk]
    parts = [(r, k) for r, k in parts if not dash(r.cells[k])]  # (they add nothing: left out of the sum shown)
    if dash(tq) or not parts:
        return None
    mult = tq.multiplier
    qs = [r.cells[k] for r, k in parts]
    if _adds_up(tq, qs):
        return None
    computed = total(printed(q, mult) for q in qs)
    verdict = compare(printed(tq), computed, tq.decimals)
    if verdict.status == "ok":
        return None
    value = sum((in_scale(q, mult) for q in qs), Decimal(0))
    unit = unit_label(tq) or "元"
    cell = _cell(table, hrow, hk)
    terms = " + ".join(q.text for q in qs[:8]) + (" + …" if len(qs) > 8 else "")
    msg = f"{_where(cell)}为{tq.text}，但{what}{terms} = {fmt(value)}（{unit}），相差{fmt(abs(tq.value - value))}"
    spans = [(tq.span, "stated", cell)] + [(r.cells[k].span, "part", _cell(table, r, k)) for r, k in parts]
    return ctx.finding(check_id, msg, tq.value, value, spans, verdict, unit, max([tq.decimals] + [q.decimals for q in qs]))


def _adds_up(tq: Quantity, qs: list[Quantity]) -> bool:
    """The parts' printed values add up to the total's exactly: then the printed intervals
    overlap and the verdict is "ok" (speed only: most cells add up, and this skips making
    the intervals). The midpoints are worked out as `printed` works them and summed as
    `total` sums them; Decimal rounding is monotone, so each interval still holds its
    midpoint."""
    mult = tq.multiplier
    mid = ZERO
    for q in qs:
        mid += q.value * q.multiplier / mult  # q.base_value, without the property's call
    return mid == tq.value * mult / mult


def _code_children(rows: list[FiscalRow]) -> dict[tuple, list[FiscalRow]]:
    """Rows one level below a coded row: 款 under 类 (3 -> 5 digits), 项 under 款 (5 -> 7), by
    (side, the parent's code), in table order: indexed once per table, not scanned per row."""
    children: dict[tuple, list[FiscalRow]] = {}
    for r in rows:
        if r.code:
            children.setdefault((r.side, r.code[:-2]), []).append(r)
    return children


@check("table.rows_sum", "表中上级科目不等于其下级科目之和（类≠Σ款，款≠Σ项，合计≠Σ类）", kinds=FISCAL_KINDS)
def rows_sum(ctx: Context) -> Iterable[Finding]:
    for table in ctx.ext.tables:
        rows = table.rows
        coded = _code_children(rows)
        for row in rows:
            if not row.code or len(row.code) not in (3, 5):
                continue
            children = coded.get((row.side, row.code), [])
            if not children:
                continue
            for k in row.cells:
                parts = [(c, k) for c in children if k in c.cells]
                if not parts:
                    continue
                level = "款" if len(row.code) == 3 else "项"
                f = _sum_finding(ctx, "table.rows_sum", table, (row, k), parts, f"其下各{level}之和")
                if f:
                    yield f
        # the 合计 row against the top-level coded rows of its side
        for row in rows:
            if row.code or fold(row.label) not in ("合计", "总计") or table.kind in ("收支总表", "财政拨款收支总表"):
                continue
            tops = [r for r in rows if r.code and r.side == row.side and len(r.code) == 3]
            for k in row.cells:
                parts = [(r, k) for r in tops if k in r.cells]
                if parts and len(parts) == len([r for r in tops if r.cells]):
                    f = _sum_finding(ctx, "table.rows_sum", table, (row, k), parts, "各类之和")
                    if f:
                        yield f


TOTAL_COLUMN = re.compile(r"合计|小计|总计")


def _total_column(table: FiscalTable, side: int) -> Optional[int]:
    cols = [k for k, c in enumerate(table.columns) if c.side == side]
    named = [k for k in cols if TOTAL_COLUMN.search(fold(table.columns[k].name))]
    return named[0] if named and named[0] == cols[0] else None


@check("table.columns_sum", "表中合计栏不等于各分栏之和（合计≠基本支出+项目支出、≠各收入来源之和）", kinds=FISCAL_KINDS)
def columns_sum(ctx: Context) -> Iterable[Finding]:
    for table in ctx.ext.tables:
        if table.kind == "三公表":
            continue  # its columns are items and measures (table.sangong)
        for side in sorted({c.side for c in table.columns}):
            tk = _total_column(table, side)
            if tk is None:
                continue
            others = [k for k, c in enumerate(table.columns) if c.side == side and k != tk]
            if not others:
                continue
            for row in table.rows:
                if tk not in row.cells or row.side != side and table.sides:
                    continue
                parts = [k for k in others if k in row.cells]
                if not parts:
                    continue
                if _adds_up(row.cells[tk], [row.cells[k] for k in parts]):
                    continue  # most rows: what _nested_ok and _sum_finding would each work out first
                if _nested_ok(row, tk, parts):
                    continue
                f = _sum_finding(ctx, "table.columns_sum", table, (row, tk), [(row, k) for k in parts], "各分栏之和")
                if f:
                    yield f


def _nested_ok(row: FiscalRow, tk: int, parts: list[int]) -> bool:
    """A header may nest columns (基本支出 over 人员经费 | 公用经费): the row adds up when one
    column is the sum of others, so leaving any one column out balances it."""
    head = row.cells[tk]
    mult = head.multiplier
    if _adds_up(head, [row.cells[k] for k in parts]):
        return False  # the plain sum holds
    values = {k: printed(row.cells[k], mult) for k in parts}
    if compare(printed(head), total(values.values()), head.decimals).status != "contradiction":
        return False  # nothing to excuse: the plain sum holds (or only rounding differs)
    for skip in parts:
        rest = [v for k, v in values.items() if k != skip]
        if rest and compare(printed(head), total(rest), head.decimals).status == "ok":
            return True
    return False


def _row_named(table: FiscalTable, pattern: re.Pattern, side: Optional[int] = None) -> Optional[FiscalRow]:
    for r in table.rows:
        # (the side and the cells first: the same row, with a name read only on the side asked; speed only)
        if (side is None or r.side == side) and r.cells and pattern.search(fold(r.label)):
            return r
    return None


# the 总计 rows of a 收支总表, and the rows each adds up (本年合计 and the 结转结余), by side
GRAND_TOTALS = (re.compile(r"^(收入)?总计$"), re.compile(r"^(支出)?总计$"))
TOTAL_PARTS = (re.compile(r"^本年收入合计$|^收入合计$|年初.*结转|上年结转|使用.*结余|用事业基金弥补"),
               re.compile(r"^本年支出合计$|^支出合计$|年末.*结转|结转下年|结余分配"))
SUBTOTAL = re.compile(r"合计$")


@check("table.balance", "收支总表不平衡：收入总计不等于支出总计，或合计与各项不符", kinds=FISCAL_KINDS)
def balance(ctx: Context) -> Iterable[Finding]:
    for table in ctx.ext.tables:
        if table.kind not in ("收支总表", "财政拨款收支总表") or len({c.side for c in table.columns}) < 2:
            continue
        left = _row_named(table, GRAND_TOTALS[0], 0)
        right = _row_named(table, GRAND_TOTALS[1], 1)
        if left and right:
            lk, rk = min(left.cells), min(right.cells)
            f = None if dash(right.cells[rk]) else _sum_finding(ctx, "table.balance", table, (left, lk), [(right, rk)], "支出总计")
            if f:
                yield f
        # 总计 = 本年合计 + 结转 (each side; the older template adds 用事业基金弥补收支差额 to income)
        for side, total_row, parts_re in ((0, left, TOTAL_PARTS[0]), (1, right, TOTAL_PARTS[1])):
            if total_row is None:
                continue
            k = min(total_row.cells)
            named = [r for r in table.rows if r.side == side and r is not total_row and parts_re.search(fold(r.label))]
            parts = [r for r in named if k in r.cells]
            # a 结转 row printed with no figure at all carries nothing over (预算 tables often)
            carried = [r for r in named if not SUBTOTAL.search(fold(r.label))]
            blank_carry = bool(carried) and not any(r.cells for r in carried)
            if any(SUBTOTAL.search(fold(r.label)) for r in parts) and (len(parts) >= 2 or blank_carry):
                f = _sum_finding(ctx, "table.balance", table, (total_row, k), [(r, k) for r in parts], "本年合计与结转结余之和")
                if f:
                    yield f


SANGONG_PARTS = {"三公经费": ["因公出国（境）费", "公务用车购置及运行费", "公务接待费"],
                 "公务用车购置及运行费": ["公务用车购置费", "公务用车运行维护费"]}


def _all_heads(whole: str, items) -> bool:
    """Whether the table gives a cell for every item that makes up `whole` (公务用车 by its
    subtotal or by both of its parts), a figure or a dash."""
    for name in SANGONG_PARTS[whole]:
        if name not in items and not (name in SANGONG_PARTS and all(n in items for n in SANGONG_PARTS[name])):
            return False
    return True


@check("table.sangong", "“三公”经费表中合计不等于出国（境）、公务用车、公务接待之和", kinds=FISCAL_KINDS)
def sangong_table(ctx: Context) -> Iterable[Finding]:
    figures = [f for f in ctx.ext.figures if f.context == "table" and f.cell and f.subject and "三公" in f.cell.table]
    groups: dict[tuple, dict[str, Figure]] = {}
    unclear: set[tuple] = set()
    for f in figures:
        key = (f.cell.table, f.span.start // 100000, f.measure, f.period)
        seen = groups.setdefault(key, {}).setdefault(f.subject.item, f)
        if seen is not f and seen.cell.row == f.cell.row and seen.quantity.value != f.quantity.value:
            unclear.add(key)  # two columns of one row read as the same item: which is which is unknown
    # the items a cell gives as a dash: zero, stated (a blank cell may hold the rest of the total)
    dashed: dict[tuple, set[str]] = {}
    for table in ctx.ext.tables:
        if "三公" in table.title and any(dash(q) for r in table.rows for q in r.cells.values()):
            for f in table_figures(table, ctx.ext.kind, ctx.ext.year, {}, dashes=True):
                if f.subject:
                    dashed.setdefault((f.cell.table, f.span.start // 100000, f.measure, f.period), set()).add(f.subject.item)
    for key, items in groups.items():
        if key in unclear:
            continue
        for whole, names in SANGONG_PARTS.items():
            head = items.get(whole)
            parts = [items[n] for n in names if n in items]
            if head is None or not parts:
                continue
            if whole == "三公经费" and "公务用车购置及运行费" not in items and ("公务用车购置费" in items or "公务用车运行维护费" in items):
                parts += [items[n] for n in ("公务用车购置费", "公务用车运行维护费") if n in items]
            tq = head.quantity
            computed = total(printed(p.quantity, tq.multiplier) for p in parts)
            verdict = compare(printed(tq), computed, tq.decimals)
            if verdict.status == "ok":
                continue
            value = sum((in_scale(p.quantity, tq.multiplier) for p in parts), Decimal(0))
            if value < tq.value and not _all_heads(whole, items.keys() | dashed.get(key, set())):
                continue  # an item with no cell (left blank, or lost by a crawler) may hold the rest: only parts over the total contradict it
            msg = f"{_where(head.cell)}为{tq.text}，但{'、'.join(p.subject.item for p in parts)}之和为{fmt(value)}"
            yield ctx.finding("table.sangong", msg, tq.value, value, [ctx.ev(head)] + [ctx.ev(p, "part") for p in parts],
                              verdict, unit_label(tq), max([tq.decimals] + [p.quantity.decimals for p in parts]))


@check("table.cross", "同一数字在不同表格中填报不一致", kinds=FISCAL_KINDS)
def cross(ctx: Context) -> Iterable[Finding]:
    groups: dict[tuple, list[Figure]] = {}
    for f, key in ctx.keyed:
        if f.cell is None:
            continue  # standard-table cells only
        groups.setdefault(key, []).append(f)
    for figs in groups.values():
        tables = {f.cell.table for f in figs}
        if len(tables) < 2:
            continue
        first = figs[0]
        reported: set[tuple] = set()
        for other in figs[1:]:
            if other.cell.table == first.cell.table:
                continue
            a, b = first.quantity, other.quantity
            verdict = compare(printed(a, a.multiplier), printed(b, a.multiplier), max(a.decimals, b.decimals))
            if verdict.status == "ok":
                continue
            value = in_scale(b, a.multiplier)
            if (other.cell.table, value) in reported:
                continue
            reported.add((other.cell.table, value))
            unit = unit_label(a)
            msg = f"{first.subject.name}在{_where(first.cell)}为{a.text}，在{_where(other.cell)}为{b.text}，两表不一致"
            yield ctx.finding("table.cross", msg, a.value, value, [ctx.ev(first), ctx.ev(other, "basis")], verdict, unit,
                              max(a.decimals, b.decimals))
