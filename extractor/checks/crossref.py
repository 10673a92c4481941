"""The same figure stated twice: two values (or a ×10⁴/×10⁸ unit slip), and narrative
figures against the table they summarise."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable, Iterable, Optional

from .. import canon, vocab
from ..records import BudgetRow, Figure, Finding, Quantity, ScoreSheet, Span
from ..subjects import flow_named
from ..tolerance import Verdict, compare, exact, in_scale, operand, printed, ratio_percent
from . import Context, check, demoted, fmt, unit_label

SLIP_FACTORS = {Decimal(10) ** 4: "万", Decimal(10) ** 8: "亿"}
SCORE_LABELS = {"自评得分", "预算执行情况得分", "产出指标得分", "效益指标得分", "满意度指标得分"}
CATEGORY_OF = {"产出指标得分": "产出指标", "效益指标得分": "效益指标", "满意度指标得分": "满意度指标"}
# which budget columns a narrative amount may quote, by its measure; an unqualified one may
# quote any (a fund row's 年度资金总额 is usually its budget, an amount "执行" its actual)
COLUMNS_OF = {"年初预算": ("initial",), "调整预算": ("budget",), "预算": ("budget", "initial"), "决算": ("actual",),
              None: ("budget", "initial", "actual")}
# "部门预算年初预算数" / "调整后预算数": a budget figure of the unit as a whole, i.e. the table's total row
# ("中央补助资金年初预算数" is one source, not the whole)
WHOLE_UNIT = re.compile(r"(?:^|部门|单位|项目|项目资金|专项资金)$")


def _slip(a: Quantity, b: Quantity) -> Optional[str]:
    if b.base_value == 0 or a.base_value == 0:
        return None
    ratio = a.base_value / b.base_value
    for factor, name in SLIP_FACTORS.items():
        for r in (ratio, 1 / ratio):
            if compare(exact(r), exact(factor), 0).status == "ok" or abs(r - factor) <= factor * Decimal("0.001"):
                return name
    return None


def digit_slip(a: Quantity, b: Quantity) -> bool:
    """One digit dropped or doubled: "887.36" for 87.36, "2,206" for 22,06 … Both read in a's
    printed scale and places."""
    decimals = a.decimals
    other = in_scale(b, a.multiplier).quantize(Decimal(10) ** -decimals) if decimals else in_scale(b, a.multiplier).to_integral_value()
    x = format(abs(a.value).quantize(Decimal(10) ** -decimals) if decimals else abs(a.value), "f").replace(".", "")
    y = format(abs(other), "f").replace(".", "")
    if x == y or abs(len(x) - len(y)) != 1:
        return False
    long, short = (x, y) if len(x) > len(y) else (y, x)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _disagree(a: Quantity, b: Quantity) -> bool:
    mult = a.multiplier
    return compare(printed(a), printed(b, mult), a.decimals).status == "contradiction"


def _money_or_score(f: Figure) -> bool:
    q = f.quantity
    return q.unit == "元" or f.canonical in SCORE_LABELS and q.unit in ("分", None)


def _groups(ctx: Context, context: Optional[str]) -> dict[tuple, list[Figure]]:
    groups: dict[tuple, list[Figure]] = {}
    for f, key in ctx.keyed:
        if context is not None and f.context != context or not _money_or_score(f):
            continue
        groups.setdefault(key, []).append(f)
    return groups


def _narrative_pairs(ctx: Context) -> list[tuple[Figure, Figure]]:
    """The first statement of each figure in the narrative against each later one with another value."""
    return [(figs[0], f) for figs in _groups(ctx, "narrative").values() for f in figs[1:] if _disagree(figs[0].quantity, f.quantity)]


def _as_printed(q: Quantity) -> tuple:
    """What `_disagree` reads of a quantity: cells printed alike are compared once."""
    return (q.value, q.scale, q.decimals)


def _table_pairs(ctx: Context) -> list[tuple[Figure, Figure]]:
    """Each narrative figure against the table cells of the same statement, when it agrees
    with none of them: (narrative figure, the first such cell)."""
    table = _groups(ctx, "table")
    # the cells of one statement as distinct printed values: a bundle of reports repeats the
    # same cells, and comparing every prose figure with every copy grows with the square;
    # made for the statements the prose states (most cells are stated in tables only)
    printed_cells: dict[tuple, list[Quantity]] = {}
    seen: set[tuple] = set()
    pairs = []
    for f, key in ctx.keyed:
        if f.context != "narrative" or not _money_or_score(f):
            continue
        cells = table.get(key, [])
        if not cells:
            continue
        distinct = printed_cells.get(key)
        if distinct is None:
            distinct = printed_cells[key] = list({_as_printed(c.quantity): c.quantity for c in cells}.values())
        if any(not _disagree(f.quantity, q) for q in distinct):
            continue
        value_key = (key, f.quantity.value)
        if value_key in seen:
            continue  # the same sentence printed twice is one finding
        seen.add(value_key)
        pairs.append((f, cells[0]))
    return pairs


def _report_pair(ctx: Context, first: Figure, other: Figure, check_id: str) -> Finding:
    a, b = first.quantity, other.quantity
    mult = a.multiplier
    value = in_scale(b, mult)
    unit = unit_label(a) or ""
    name = _name(first)
    flows = flow_named(first.label or ""), flow_named(other.label or "")  # "收入总计": 收入
    if other.cell is not None:
        msg = f"{name}正文写{_shown(a)}，但{_cell_text(other)}为{_shown(b)}（相差{fmt(abs(a.value - value))}{unit}）"
    elif first.subject is not None and first.subject.item == "总计" and None not in flows and flows[0] != flows[1]:
        # 收入总计 and 支出总计 are one figure (a 决算 balances), so the message says which side is which
        msg = (f"{name}：{flows[0]}总计{_shown(a)}与{flows[1]}总计{_shown(b)}应相等，"
               f"但相差{fmt(abs(a.value - value))}{unit}")
    else:
        msg = f"{name}前后不一致：{_shown(a)}与{_shown(b)}（相差{fmt(abs(a.value - value))}{unit}）"
    spans = [ctx.ev(first), ctx.ev(other, "basis")]
    return ctx.finding(check_id, msg, a.value, value, spans, None, unit or None, max(a.decimals, b.decimals))


def _name(f: Figure) -> str:
    """A figure's subject as an auditor names it, with its measure and period."""
    if f.subject is None:
        return f.label
    measure = f"（{f.measure}）" if f.measure else ""
    period = f"{f.period}年" if f.period and f.period.isdigit() else ""
    return f"{period}{f.subject.name}{measure}"


def _cell_text(f: Figure) -> str:
    return f"“{f.cell.table}”{f.cell.row}行{f.cell.column}列" if f.cell else "表中"


def _shown(q: Quantity) -> str:
    """A table cell under a "（万元）" header as the reader takes it: "15.61" -> "15.61万元"."""
    unit = unit_label(q)
    return q.text if not unit or q.text.endswith(unit[-1]) else f"{q.text}{unit}"


def _report_slip(ctx: Context, first: Figure, other: Figure, slip: str) -> Finding:
    """The slipped statement is the smaller amount (stated): a dropped "万" is the usual typo,
    so "15.61元" beside "15.61万元" is the wrong one. Computed is the other in its unit."""
    wrong, right = sorted((other, first), key=lambda f: f.quantity.base_value)
    a, b = right.quantity, wrong.quantity
    where = "正文与表格分别" if first.context != other.context else "前后"
    name = _name(first)
    if other.context == "table" and other.cell is None and other.label not in name:
        name = f"{name}（表中{other.label}）"
    msg = f"{name}{where}填报为{_shown(first.quantity)}与{_shown(other.quantity)}，相差约1{slip}倍，疑似单位错写（元/{slip}元）"
    spans = [ctx.ev(wrong), ctx.ev(right, "basis")]
    return ctx.finding("xref.unit_slip", msg, b.value, in_scale(a, b.multiplier), spans, None, unit_label(b), max(a.decimals, b.decimals))


def _report_digit(ctx: Context, stated: Figure, other: Figure) -> Finding:
    a, b = stated.quantity, other.quantity
    value = in_scale(b, a.multiplier)
    where = _cell_text(other) if other.cell else "另一处"
    msg = f"{_name(stated)}写作{_shown(a)}，{where}为{_shown(b)}（折合{fmt(round(value, max(a.decimals, 2)))}），疑似多写或漏写一位数字"
    return ctx.finding("xref.digit_slip", msg, a.value, value, [ctx.ev(stated), ctx.ev(other, "basis")], None,
                       unit_label(a), max(a.decimals, b.decimals))


@check("xref.conflict", "同一数字前后填报不一致")
def conflict(ctx: Context) -> Iterable[Finding]:
    for first, other in ctx.once(_narrative_pairs):
        if _change_read_as_level(ctx, first, other) or _change_read_as_level(ctx, other, first):
            continue
        if not _slip(first.quantity, other.quantity) and not digit_slip(first.quantity, other.quantity):
            f = _report_pair(ctx, first, other, "xref.conflict")
            yield f if _plainly_named(first) and _plainly_named(other) else demoted(f)
    yield from _execution_indicators(ctx)


def _plainly_named(f: Figure) -> bool:
    """A table cell, or a figure named in its own clause by a label that is itself a standard
    name ("公务接待费"): a subject inherited from the sentence, or found inside a longer label
    ("…项目资金总额", "市本级政府采购规模"), may be another figure of the same item."""
    if f.cell is not None or f.confidence == "stated" and f.subject is not None and f.subject.item.startswith("fn:"):
        return True  # a table cell, or a 功能分类 item named by its path or code
    label = _FUND_HEAD.sub("", _ORDINAL.sub("", f.label))  # "2.财政拨款公务接待费": 公务接待费 as named
    return f.confidence == "stated" and (canon.canonical(label) is not None or canon.without_qualifiers(label) in ("收入", "支出"))


_ORDINAL = re.compile(r"^\s*(?:[（(]?[\d一二三四五六七八九十]{1,3}[)）.、．]\s*)+")  # a list number, no word of the label
_FUND_HEAD = re.compile("^(?:" + "|".join(p for s, p in vocab.SCOPES if s in (*vocab.FISCAL_SCOPES, "财政拨款")) + ")+")


def _change_read_as_level(ctx: Context, level: Figure, other: Figure) -> bool:
    """"比上年增加C，其中：A支出决算174,732.10元，增长176.55%": an amount that, taken as the change
    from the item's other amount, gives the rate printed right after it is that change with its
    增加 left out, not a second statement of the item."""
    rate = ctx.once(_next_figures).get(id(other))
    if rate is None or rate.role != "change_pct" or rate.sentence != other.sentence or rate.quantity.unit != "%":
        return False
    mult = level.quantity.multiplier
    a, b = in_scale(level.quantity, mult), in_scale(other.quantity, mult)
    half = Decimal(5) * Decimal(10) ** -(rate.quantity.decimals + 1)
    return any(base > 0 and abs(b / base * HUNDRED - rate.quantity.value) <= half for base in (a - b, a + b))


def _next_figures(ctx: Context) -> dict[int, Figure]:
    """Each figure's successor in reading order, by identity (once per document: looking a figure
    up in the list for every pair grew with pairs × figures)."""
    figures = ctx.ext.figures
    following: dict[int, Figure] = {}
    for f, g in zip(figures, figures[1:]):
        following.setdefault(id(f), g)
    return following


HUNDRED = Decimal(100)


def _execution_indicators(ctx: Context) -> Iterable[Finding]:
    """A 预算执行率 indicator states the sheet's execution rate a second time: its 实际完成值
    against the funds row (全年执行数 ÷ 全年预算数, and the 执行率 the row states). Reported when
    it agrees with neither; a wrong 执行率 cell alone is rate.execution's. Silent when the sheet
    has several funds totals (which one the indicator means is not known), and for 100% where
    the funds ran over budget (the indicator is capped)."""
    for sheet in ctx.ext.sheets:
        heads = [r for r in sheet.budget_rows if not r.is_part and r.values.keys() & {"rate", "actual"}]
        if len(heads) != 1:
            continue
        row = heads[0]
        v = row.values
        rate = v["rate"] if "rate" in v and v["rate"].unit == "%" else None
        base = v.get("budget") or v.get("initial")
        actual = v.get("actual")
        computed = None
        if actual is not None and base is not None and base.base_value > 0 and actual.unit == base.unit:
            computed = ratio_percent(operand(actual, base.multiplier), operand(base, base.multiplier))
        readings = ([(printed(rate), rate.span)] if rate is not None else []) + ([(computed, actual.span)] if computed else [])
        if not readings:
            continue
        for ind in sheet.indicators:
            q = ind.actual
            if q is None or q.unit != "%" or q.op or canon.canonical(canon.normalise(ind.name)) != "预算执行率":
                continue
            if q.value == HUNDRED and computed is not None and computed.lo >= HUNDRED:
                continue
            verdicts = [compare(printed(q), interval, q.decimals) for interval, _span in readings]
            if any(vd.status == "ok" for vd in verdicts):
                continue
            verdict = next((vd for vd in verdicts if vd.status == "rounding"), verdicts[0])
            worked = ""
            if computed is not None:
                value = actual.base_value / base.base_value * HUNDRED
                worked = f"执行数{actual.text}÷预算数{base.text}={fmt(round(value, 2))}%"
            funds = f"执行率填{rate.text}" + (f"（{worked}）" if worked else "") if rate is not None else worked
            msg = f"“{ind.name}”指标的实际完成值填{q.text}，但同表资金栏“{row.label}”{funds}"
            stated_rate = rate.value if rate is not None else round(actual.base_value / base.base_value * HUNDRED, 2)
            spans = [(ind.cell_spans.get("actual", q.span), "stated")] + [(span, "basis") for _i, span in readings]
            yield ctx.finding("xref.conflict", msg, q.value, stated_rate, spans, verdict, "%", max(q.decimals, 2))


@check("xref.unit_slip", "同一金额相差一万（一亿）倍：元与万元错写")
def unit_slip(ctx: Context) -> Iterable[Finding]:
    for first, other in ctx.once(_narrative_pairs) + ctx.once(_table_pairs):
        slip = _slip(first.quantity, other.quantity)
        if slip:
            yield _report_slip(ctx, first, other, slip)
    for stated, cell, slip in ctx.once(_row_pairs):
        if slip:
            yield _report_slip(ctx, stated, cell, slip)
    for first, other, slip in _scope_slips(ctx):
        yield demoted(_report_slip(ctx, first, other, slip))


# digits enough that two amounts printed alike are one amount, not a coincidence ("0", "5")
SLIP_DIGITS = 3


def _scope_slips(ctx: Context) -> Iterable[tuple[Figure, Figure, str]]:
    """"年末结转和结余5862.89万元" and, a paragraph on, "一般公共预算财政拨款年末结转和结余5862.89元":
    the same item restated under its fund scope with the same digits and one unit ×10⁴ apart. The
    scopes make them two statements (the fund's part need not be the whole), but a part that is
    the whole to the last digit divided by 10⁴ is no amount a report states: a unit slip. A
    warning, as the pair was matched across scopes."""
    # (item, part, measure, period, printed value) -> the statements so far with their scopes:
    # only amounts printed alike are paired (looking through all of an item's statements for
    # each one grew with their square)
    seen: dict[tuple, list[tuple[Figure, Optional[str]]]] = {}
    for f, key in ctx.keyed:
        if f.context != "narrative" or f.quantity.unit != "元" or f.quantity.value == 0:
            continue
        if len(format(abs(f.quantity.value), "f").replace(".", "").lstrip("0")) < SLIP_DIGITS:
            continue
        item, scope, part, measure, period = key
        alike = seen.setdefault((item, part, measure, period, f.quantity.value), [])
        for g, other_scope in alike:
            if other_scope != scope and g.quantity.multiplier != f.quantity.multiplier:
                slip = _slip(g.quantity, f.quantity)
                if slip:
                    yield g, f, slip
        alike.append((f, scope))


@check("xref.digit_slip", "同一金额多写或漏写一位数字")
def digit_slips(ctx: Context) -> Iterable[Finding]:
    for first, other in ctx.once(_narrative_pairs) + ctx.once(_table_pairs):
        if not _slip(first.quantity, other.quantity) and digit_slip(first.quantity, other.quantity):
            yield _report_digit(ctx, first, other)


@check("xref.narrative_table", "正文所述数字与表格不一致")
def narrative_table(ctx: Context) -> Iterable[Finding]:
    for stated, cell in ctx.once(_table_pairs):
        if not _slip(stated.quantity, cell.quantity) and not digit_slip(stated.quantity, cell.quantity):
            yield _report_pair(ctx, stated, cell, "xref.narrative_table")
    for stated, cell, slip in ctx.once(_row_pairs):
        if not slip:
            yield _report_pair(ctx, stated, cell, "xref.narrative_table")
    yield from _execution_rates(ctx)
    yield from _completion_rates(ctx)
    if len(ctx.ext.sheets) != 1:
        return  # with several tables, a narrative score may summarise any of them
    sheet = ctx.ext.sheets[0]
    for f in ctx.ext.figures:
        if f.context != "narrative" or f.canonical not in SCORE_LABELS or f.quantity.unit not in ("分", None):
            continue
        if not ctx.same_period(f.period):
            continue  # last year's score is not this table's
        table = _table_score(sheet, f.canonical)
        if table is None:
            continue
        value, spans = table
        stated = f.quantity
        verdict = compare(printed(stated), exact(value), stated.decimals)
        if _claims_full_marks(sheet, f.canonical, stated, value):
            verdict = Verdict("contradiction", stated.value - value, verdict.tolerance)
        if verdict.status == "ok":
            continue
        msg = f"正文称{f.label}{fmt(stated.value)}分，但表中相应得分为{fmt(value)}分"
        decimals = max(stated.decimals, -value.as_tuple().exponent)
        yield ctx.finding("xref.narrative_table", msg, stated.value, value, [(f.span, "stated")] + [(s, "basis") for s in spans], verdict, "分", decimals)


def _claims_full_marks(sheet: ScoreSheet, label: str, stated: Quantity, table: Decimal) -> bool:
    """"自评得分100分" beside a table total of 99.50: rounding never turns a deduction into
    full marks, so a stated full score against a lower table score is a contradiction."""
    if label == "自评得分":
        full = sheet.total_weight.value if sheet.total_weight is not None else Decimal(100)
    elif label == "预算执行情况得分" and sheet.budget_points is not None:
        full = sheet.budget_points.value
    else:
        return False
    return stated.value == full and table < full


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


# -- narrative amounts and rates against the budget table ----------------------------------

def _row_key(label: str) -> str:
    """A budget row's name for matching: "其中：当年财政拨付" and "当年财政拨付" -> "财政拨付";
    "合计" -> "" (too generic to be named in prose)."""
    return canon.without_qualifiers(canon.trim_label(canon.normalise(label)))


ROW_NAME_PREFIX = re.compile(r"(?:项目|专项|部门|单位)?(?:年度|全年|当年|本年)?")


def _row_index(rows: list[BudgetRow]) -> dict[str, list[BudgetRow]]:
    """Budget rows by their matching key, built once per document (keys under 3 characters
    are too generic to be named in prose)."""
    index: dict[str, list[BudgetRow]] = {}
    for r in rows:
        key = _row_key(r.label)
        if len(key) >= 3:
            index.setdefault(key, []).append(r)
    return index


def _rows_named(label: str, index: dict[str, list[BudgetRow]]) -> list[BudgetRow]:
    """The rows a prose label names: "项目年度资金总额" names the row "年度资金总额" (its key ends
    with the row's, after at most a 项目/年度 prefix); "中央资金总额" does not. Looked up by
    each suffix of the label, so the cost is the label's length, not the number of rows."""
    mine = _row_key(label)
    named: list[BudgetRow] = []
    for cut in range(len(mine) - 2):
        rows = index.get(mine[cut:])
        if rows and ROW_NAME_PREFIX.fullmatch(mine[:cut]):
            named.extend(rows)
    return named


def _money_rows(ctx: Context) -> list[BudgetRow]:
    return [r for s in ctx.ext.sheets for r in s.budget_rows if any(q.unit == "元" for q in r.values.values())]


def _head_rows(ctx: Context) -> list[BudgetRow]:
    """The total row of each budget block (合计 / 年度资金总额 / 部门整体支出总额)."""
    return [r for r in _money_rows(ctx) if not r.is_part]


def _narrative_amounts(ctx: Context) -> list[Figure]:
    """Prose amounts without a named subject (those are paired by their statement keys)."""
    return [
        f
        for f in ctx.ext.figures
        if f.context == "narrative" and f.canonical is None and f.quantity.unit == "元" and f.quantity.op is None
        and f.role == "level" and ctx.same_period(f.period) and f.subject is None
    ]


def _row_of(f: Figure, index: dict[str, list[BudgetRow]], heads: list[BudgetRow]) -> Optional[BudgetRow]:
    named = _rows_named(f.label, index)
    if named:
        return named[0] if len(named) == 1 else None  # several tables name the row: which one?
    if f.measure and len(heads) == 1 and WHOLE_UNIT.search(_row_key(f.label)):
        return heads[0]
    return None


def _row_pairs(ctx: Context) -> list[tuple[Figure, Figure, Optional[str]]]:
    """A prose amount named like a budget row ("当年财政拨付", "年初预算数" of the unit as a whole)
    that agrees with none of the row's columns it may quote: (prose figure, table cell, slip)."""
    return list(_row_pairs_in(ctx))


def _listed_elsewhere(ctx: Context) -> Callable[[Figure, BudgetRow], bool]:
    """Whether a prose figure is a part of a "其中" list whose total is not its form's total
    ("其中村卫生室补助471.23万元，其中中央补助189.63万元"): the 中央补助 of that part, not the form's
    中央补助 source row. (Indexed once: a bundle of many forms is paired in linear time.)"""
    total_of = {p.span: rel.total for rel in ctx.ext.relations if rel.total.context == "narrative" for p in rel.parts}
    heads_of = {id(r): [q for h in s.budget_rows if not h.is_part for q in h.values.values() if q.unit == "元"]
                for s in ctx.ext.sheets for r in s.budget_rows}

    def elsewhere(f: Figure, row: BudgetRow) -> bool:
        total = total_of.get(f.span)
        return total is not None and all(_disagree(total.quantity, q) for q in heads_of.get(id(row), []))
    return elsewhere


def _row_pairs_in(ctx: Context) -> Iterable[tuple[Figure, Figure, Optional[str]]]:
    index, heads = _row_index(_money_rows(ctx)), _head_rows(ctx)
    elsewhere = _listed_elsewhere(ctx)
    for f in _narrative_amounts(ctx):
        row = _row_of(f, index, heads)
        if row is None or row.is_part and elsewhere(f, row):
            continue
        cells = [(c, row.values[c]) for c in COLUMNS_OF.get(f.measure, COLUMNS_OF[None]) if c in row.values and row.values[c].unit == "元"]
        if not cells or any(not _disagree(f.quantity, q) for _c, q in cells):
            continue
        slipped = [(c, q, _slip(f.quantity, q)) for c, q in cells if _slip(f.quantity, q)]
        column, cell, slip = slipped[0] if slipped else (*cells[0], None)
        name = f"{re.sub(r'^其中[:：]?', '', row.label)}{COLUMN_NAMES[column]}"
        yield f, Figure(name, cell, cell.span, None, f.measure, "table", "table"), slip


COLUMN_NAMES = {role: vocab.BUDGET_ROLE_NAMES[role] for role in ("initial", "budget", "actual")}


def _narrative_rates(ctx: Context) -> list[tuple[Quantity, Span]]:
    """Prose 预算执行率: "预算执行率为95.25%", or the result of "预算执行率=（A÷B）×100%=R%"."""
    out = [
        (f.quantity, f.span)
        for f in ctx.ext.figures
        if f.context == "narrative" and f.canonical == "预算执行率" and f.quantity.unit == "%" and f.quantity.op is None
        and ctx.same_period(f.period)
    ]
    for st in ctx.ext.statements:
        sent = st.sentence if st.kind == "formula" and st.words.get("execution") else None
        if sent:
            rate = st.values["rate"]
            if all(q.span != rate.span for q, _s in out):
                out.append((rate, Span(sent.start, rate.span.end)))
    return out


def _sentence_of(ctx: Context, at: int) -> Optional[Span]:
    """The sentence the extraction read the figure or formula at `at` from."""
    for f in ctx.ext.figures:
        if f.sentence is not None and f.quantity.span.start <= at < f.quantity.span.end:
            return f.sentence
    return None


def _anchored(ctx: Context, rate_at: int, row: BudgetRow) -> bool:
    """A prose rate belongs to the table's total row when its sentence also states that
    row's budget or actual amount (a department report has rates of many projects)."""
    sent = _sentence_of(ctx, rate_at)
    if sent is None:
        return False
    amounts = [f.quantity for f in ctx.ext.figures if f.context == "narrative" and f.quantity.unit == "元" and sent.start <= f.quantity.span.start < sent.end]
    cells = [q for c, q in row.values.items() if c in COLUMN_NAMES and q.unit == "元"]
    return any(not _disagree(a, q) for a in amounts for q in cells)


def _execution_rates(ctx: Context) -> Iterable[Finding]:
    heads = [r for r in _head_rows(ctx) if r.values.get("rate") is not None and r.values["rate"].unit == "%"]
    if len(heads) != 1:
        return  # several budget tables: a prose rate may be any of them
    row, table_rate = heads[0], heads[0].values["rate"]
    for rate, span in _narrative_rates(ctx):
        if not _anchored(ctx, rate.span.start, row):
            continue
        verdict = compare(printed(rate), printed(table_rate), rate.decimals)
        if verdict.status == "ok":
            continue
        msg = f"正文称预算执行率{rate.text}，但表中{row.label}执行率为{table_rate.text}"
        yield ctx.finding("xref.narrative_table", msg, rate.value, table_rate.value, [(span, "stated"), (table_rate.span, "basis")],
                          verdict, "%", max(rate.decimals, table_rate.decimals))


def _same_amount(a: Quantity, b: Quantity) -> bool:
    return a.unit == b.unit and a.base_value > 0 and not _disagree(a, b)


def _completion_rates(ctx: Context) -> Iterable[Finding]:
    """A prose completion rate against the 年度总体目标 cells of the same target and actual."""
    stated = [s for s in ctx.ext.statements if s.kind == "completion"]
    prose = [s for s in stated if s.context == "narrative"]
    table = [s for s in stated if s.context == "table"]
    for p in prose:
        t = next((t for t in table if _same_amount(p.values["target"], t.values["target"]) and _same_amount(p.values["actual"], t.values["actual"])), None)
        if t is None:
            continue
        rate, table_rate = p.values["rate"], t.values["rate"]
        verdict = compare(printed(rate), printed(table_rate), rate.decimals)
        if verdict.status == "ok":
            continue
        msg = (f"正文称完成率{rate.text}，但表中年度总体目标（目标{t.values['target'].text}、实际{t.values['actual'].text}）"
               f"的完成率为{table_rate.text}")
        yield ctx.finding("xref.narrative_table", msg, rate.value, table_rate.value, [(p.span, "stated"), (t.span, "basis")],
                          verdict, "%", max(rate.decimals, table_rate.decimals))
