"""Turn table grids into score sheets: budget rows, indicator rows, category headers, totals.

Real exports shift cells: a row may lose a leading empty cell, or a merged category cell may
push its neighbours. Columns are therefore matched by what the header says and what the cell
holds (a 分值 cell holds a bare number or N分), trying small shifts and keeping the best fit.
"""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from decimal import Decimal
from typing import Optional

from . import canon, vocab
from .quantity import parse_quantity
from .text import HEADER_NOISE, compiled_roles, matches_at
from .records import (BudgetRow, CategoryHeader, Cell, CellRef, Figure, Grid, IndicatorRow, Origin, PartOf, Quantity, ScoreSheet, Span,
                      Statement, Subject)

NUMERIC_BUDGET_ROLES = vocab.MONEY_ROLES + ("weight", "rate", "score")

_PARENTHESIS_ON = re.compile(r"\(.*")
KEY_TOTALS = ("基本支出", "项目支出", "部门整体支出", "三公经费")  # the totals a key/value pair states
_TOTAL_WORD = re.compile(r"总额|合计|支出$")
POINTS_RE = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分")
TOTAL_LABEL_RE = re.compile(vocab.TOTAL_LABEL)
SELF_SCORE_RE = re.compile(vocab.SELF_SCORE_LABEL)
NEW_HEAD_RE = re.compile(r"^([一二三四五六七八九十]+、|\d+[.、]|\([一二三四五六七八九十]+\)|合计|总计|小计)")
BUDGET_SCORE_RE = re.compile(vocab.BUDGET_SCORE_LABEL)
GRADE_LABEL_RE = re.compile(vocab.GRADE_LABEL)
GOAL_HEADER_RE = re.compile(vocab.GOAL_HEADER)
LEVEL1_WORDS, LEVEL2_WORDS = vocab.LEVEL1_WORDS, vocab.LEVEL2_WORDS
LEVEL_WORDS = LEVEL1_WORDS + LEVEL2_WORDS  # a cell that starts with one is a level cell


_norm = canon.normalise  # (speed only: asked of every cell in turn, with no frame of its own)


BUDGET_HEADER_RES = compiled_roles(vocab.BUDGET_HEADER)
INDICATOR_HEADER_RES = compiled_roles(vocab.INDICATOR_HEADER)


_HEADER_TABLES = {id(t): t for t in (BUDGET_HEADER_RES, INDICATOR_HEADER_RES)}


@lru_cache(maxsize=1 << 16)
def _header_roles(text: str, table_id: int) -> tuple[str, ...]:
    """The roles whose header pattern a cell's text matches, in the table's order: every row
    of every sheet is tried as a header, and most cells repeat from report to report."""
    norm = HEADER_NOISE.sub("", _norm(text))
    return tuple(role for role, pattern in _HEADER_TABLES[table_id] if pattern.fullmatch(norm))


_BUDGET_ID, _INDICATOR_ID = id(BUDGET_HEADER_RES), id(INDICATOR_HEADER_RES)


@lru_cache(maxsize=1 << 16)
def _cell_roles(text: str) -> Optional[tuple[tuple[str, ...], tuple[str, ...]]]:
    """A cell's header roles in both tables, in one cache lookup per cell (speed only); None
    when it names no column of either (most cells: no unpacking, no loops)."""
    roles = _header_roles(text, _BUDGET_ID), _header_roles(text, _INDICATOR_ID)
    return roles if roles[0] or roles[1] else None


@lru_cache(maxsize=1 << 14)
def _is_grade_label(norm: str) -> bool:
    """"自评等级" as a row's first cell (speed only: asked of every row, and first cells recur)."""
    return GRADE_LABEL_RE.fullmatch(HEADER_NOISE.sub("", norm)) is not None


def _row_roles(row: list[Cell]) -> tuple[dict[str, int], dict[str, int]]:
    """The first column of each header role a row names, for the budget headers and for the
    indicator headers, in one pass over the row (speed only: every row is tried as both
    headers; tests/test_tables.py::test_row_roles_are_roles_of_each_table compares it with a
    pass per table)."""
    budget: dict[str, int] = {}
    indicator: dict[str, int] = {}
    for i, cell in enumerate(row):
        if cell.blank or len(cell.text) > 40:
            continue
        roles = _cell_roles(cell.text)
        if roles is None:
            continue
        budget_roles, indicator_roles = roles
        for role in budget_roles:
            if role not in budget:
                budget[role] = i
                break
        for role in indicator_roles:
            if role not in indicator:
                indicator[role] = i
                break
    return budget, indicator


@lru_cache(maxsize=1 << 14)
def _key_of(text: str) -> tuple[str, bool, bool, Optional[str]]:
    """What _SheetBuilder._key_values asks of a cell's text: its matching copy, whether it is a
    self-score or a budget-score label, and its canonical name (speed only: asked once per
    text, not once per row it stands in and per sheet)."""
    norm = _norm(text)
    return norm, SELF_SCORE_RE.match(norm) is not None, BUDGET_SCORE_RE.match(norm) is not None, canon.canonical(norm)


@lru_cache(maxsize=1 << 14)
def _key_cell(text: str) -> Optional[tuple[str, bool, bool, Optional[str]]]:
    """_key_of a cell that a branch of _SheetBuilder._key_values reads (a self-score or a
    budget-score label, or a key total), else None (speed only: most cells are neither, and
    are passed over on one lookup)."""
    norm = _norm(text)
    if _TOTAL_WORD.search(norm) is None and SELF_SCORE_RE.match(norm) is None and BUDGET_SCORE_RE.match(norm) is None:
        return None  # (speed only: the key totals' branch reads a cell only with a total word, so its name is not looked up)
    key = _key_of(text)
    return key if key[1] or key[2] or key[3] in KEY_TOTALS else None


def _is_budget_header(roles: dict[str, int]) -> bool:
    # two of initial, budget, actual (speed only: three lookups, no set made per row)
    return ("initial" in roles) + ("budget" in roles) + ("actual" in roles) >= 2


def _is_indicator_header(roles: dict[str, int]) -> bool:
    return ("name" in roles or "level2" in roles) and ("target" in roles or "actual" in roles) and (
        "weight" in roles or "score" in roles
    )


def _is_target_header(roles: dict[str, int]) -> bool:
    """A 绩效目标表 header: indicator levels and 指标值, no actuals, weights or scores."""
    return ("name" in roles or "level2" in roles) and "target" in roles and "level1" in roles and not (
        roles.keys() & {"actual", "weight", "score"}
    )


# "指标1:" numbers a row of a target table; "职能1: 社会救助" names the duty a block serves
ROW_NUMBER_RE = re.compile(r"^指标\s*\d+\s*[:：]?$")
# a project's budget in a row of a department's target table: "3,309,840.00", "85.50"
PROJECT_AMOUNT_RE = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d\d")
DUTY_RE = re.compile(r"^(?:职能|核心职能)\s*\d*\s*[:：]")


LABELLED_NUMBER_RE = re.compile(r"^([^\d\-－]{2,20}?)[:：]?\s*([-－]?\d.*)$")


def _opens_project(cells: list[Cell]) -> bool:
    """Cells before a row's level words that name a project and give its budget."""
    filled = [_norm(c.text) for c in cells if not c.blank]
    return any(PROJECT_AMOUNT_RE.fullmatch(t) for t in filled) and any(_worded(t) for t in filled)


def _header_piece(row: list[Cell], cells: Optional[list[Cell]] = None) -> bool:
    """A row of short words, no figures: a header, or a piece of one. `cells`: the row's filled
    cells, when the caller has them."""
    cells = [c for c in row if not c.blank] if cells is None else cells
    for c in cells:  # = all(_worded(…)), without a generator per row (speed only: asked of every row)
        if not _worded(c.text):
            return False
    return bool(cells)


@lru_cache(maxsize=1 << 14)  # speed only: every row is asked, and cell texts recur
def _worded(text: str) -> bool:
    """A short cell with no figure outside its noise ("(10分)")."""
    return len(text) <= 30 and not any(ch.isdigit() for ch in HEADER_NOISE.sub("", text))


def _names_columns(row: list[Cell]) -> bool:
    """Whether every cell of a row of words but its first names a column of either header."""
    cells = [c for c in row if not c.blank]
    named = [c for c in cells if _header_roles(c.text, _BUDGET_ID) or _header_roles(c.text, _INDICATOR_ID)]
    return bool(named) and len(named) >= len(cells) - 1


def _is_header_row(row: list[Cell]) -> bool:
    budget, indicator = _row_roles(row)
    return _is_budget_header(budget) or _is_indicator_header(indicator) or _is_target_header(indicator)


def _is_label_heading(row: list[Cell]) -> bool:
    """One cell of words naming no column ("预算资金 (万元)"): the heading of the row labels."""
    cells = [c for c in row if not c.blank]
    return len(cells) == 1 and not _names_columns(row)


def _trimmed(row: list[Cell]) -> list[Cell]:
    """A row without its trailing empty cells."""
    end = len(row)
    while end and row[end - 1].blank:
        end -= 1
    return row[:end]


def _opens_with_value(row: list[Cell]) -> bool:
    """A row that starts with a figure ("15 | 6 | 8.0 |", "≥95% | 98% | 10 | 10"): the rest of a
    row whose words stand on the line above."""
    first = row[0] if row else None
    return first is not None and not first.blank and any(ch.isdigit() for ch in first.text) and not WORDS_CELL_RE.search(first.text)


def _is_name_part(row: list[Cell]) -> bool:
    """Level words and an indicator's name, no figure: the words of a row broken after its name."""
    filled = [c for c in row if not c.blank]
    return 1 <= len(filled) <= 3 and all(WORDS_CELL_RE.search(c.text) for c in filled) and any(
        not _norm(c.text).startswith(LEVEL_WORDS) for c in filled)


def _score_number(cell: Optional[Cell]) -> Optional[Quantity]:
    """A 分值/得分 cell: a bare number or N分, nothing else."""
    if cell is None or cell.blank or cell.span is None:
        return None
    q = parse_quantity(cell.text, cell.span.start)
    # points live in 0..100: a larger bare number is an amount in a shifted column
    if q is None or q.unit not in (None, "分") or q.op or q.scale or abs(q.value) > 100:
        return None
    return q


def _number(cell: Optional[Cell]) -> Optional[Quantity]:
    if cell is None or cell.blank or cell.span is None:
        return None
    return parse_quantity(cell.text, cell.span.start)


PLAIN_AMOUNT_RE = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+\.\d+")


def _amount(cell: Optional[Cell]) -> Optional[Quantity]:
    """A budget cell: "2005.01" under 年中调整数 is 2005.01万元, not January 2005."""
    q = _number(cell)
    if q is None and cell is not None and cell.span is not None and PLAIN_AMOUNT_RE.fullmatch(cell.text.strip()):
        text = cell.text.strip()
        decimals = len(text.split(".")[1]) if "." in text else 0
        q = Quantity(Decimal(text.replace(",", "")), None, None, None, decimals, text, cell.span)
    return q


def _at(row: list[Cell], i: int) -> Optional[Cell]:
    return row[i] if 0 <= i < len(row) else None


PLACEHOLDER_RE = re.compile(vocab.PLACEHOLDER_CELL)
BARE_NUMBER_RE = re.compile(r"[-+]?[\d.,]+[%％分]?")
WORDS_CELL_RE = re.compile(r"[\u4e00-\u9fff]{2,}")
GROUP_HEADING_RE = re.compile(r"预算数|执行数|预算金额")
DASH_CELL_RE = re.compile(r"[-－—–/／]+")  # "—" or "/": not applicable, in any column


@lru_cache(maxsize=1 << 14)
def _no_evidence(text: str) -> bool:
    """"XX" or "—" where a number belongs (speed only: asked of each cell under a numeric
    header, and cell texts recur)."""
    text = text.strip()
    return PLACEHOLDER_RE.match(text) is not None or DASH_CELL_RE.fullmatch(text) is not None


def _best_shift(row: list[Cell], roles: dict[str, int], numeric: tuple[str, ...], parse) -> int:
    """The shift that puts numbers under numeric headers and text elsewhere."""
    best, best_score = 0, None
    evidence: dict[int, int] = {}  # speed only: each cell judged once, not once per shift tried
    numeric_cols = [col for role, col in roles.items() if role in numeric]
    for shift in (0, -1, 1, -2, 2, -3):
        score = 0.0
        for col in numeric_cols:
            i = col + shift
            judged = evidence.get(i)
            if judged is None:
                cell = _at(row, i)
                if cell is None or cell.blank or _no_evidence(cell.text):
                    judged = 0  # "XX" or "—" stands where a number belongs: no evidence either way
                else:
                    judged = 2 if parse(cell) is not None else -3
                evidence[i] = judged
            score += judged
        # the filled cells i with not (0 <= i - shift < len(row) + 3): for the shifts tried
        # (-3 … 2), only those before a positive shift (speed only: no list of filled cells)
        lost = sum(not c.blank for c in row[:shift]) if shift > 0 else 0
        score -= 2 * lost
        if best_score is None or score > best_score:
            best, best_score = shift, score
            if score == 2 * len(numeric_cols):
                break  # speed only: the most any shift can score (a number under each numeric header, nothing lost); a later shift must score more to win
    return best


def _row_span(row: list[Cell], fallback: Span) -> Span:
    lo = hi = None  # the least start and the greatest end, in one loop (speed only: asked of every row read)
    for cell in row:
        span = cell.span
        if span is not None:
            if lo is None:
                lo, hi = span.start, span.end
            else:
                if span.start < lo:
                    lo = span.start
                if span.end > hi:
                    hi = span.end
    return fallback if lo is None else Span(lo, hi)


def _points(cell: Cell) -> Optional[Quantity]:
    m = POINTS_RE.search(cell.text)
    if not m or cell.span is None:
        return None
    start = m.start(1)
    text = cell.text[start : m.end()]
    return parse_quantity(text, cell.span.start + start)


def _with_scale(q: Quantity, scale: Optional[str]) -> Quantity:
    """A bare number in a table headed （万元） is in 万元."""
    if scale and q.unit is None and q.scale is None:
        return replace(q, unit="元", scale=scale)
    return q


class _SheetBuilder:
    def __init__(self, grid: Grid):
        self.grid = grid
        self.sheets: list[ScoreSheet] = []
        self.sheet: Optional[ScoreSheet] = None
        self.mode: Optional[str] = None
        self.roles: dict[str, int] = {}
        self.scale: Optional[str] = None
        self.budget_label: Optional[tuple[str, Optional[Span]]] = None
        self.in_parts = False
        self.level1: Optional[str] = None
        self.level2: Optional[str] = None
        self.category: Optional[CategoryHeader] = None
        self.fragment: Optional[list[Cell]] = None  # a header row the flattening cut short
        # an indicator row broken after its name ("产出指标 | 数量指标 | 扶持主体数量 |" then "15 | 6 |
        # 8.0 |"): the name part, and the indicator read from it alone
        self.name_part: Optional[tuple[list[Cell], IndicatorRow]] = None

    def current(self) -> ScoreSheet:
        if self.sheet is None:
            self.sheet = ScoreSheet(span=self.grid.span, title=self.grid.name)
            self.sheets.append(self.sheet)
        return self.sheet

    def new_sheet_if_done(self) -> None:
        if self.sheet is not None and (self.sheet.total_score is not None or self.sheet.indicators):
            self.sheet = None
            self.level1 = self.level2 = self.category = None

    def feed(self, row: list[Cell]) -> None:
        filled = [c for c in row if not c.blank]  # speed only: listed once for the tests below
        if not filled:
            return
        name_part, self.name_part = self.name_part, None
        if name_part is not None and self.mode == "indicator" and _opens_with_value(row):
            part, read = name_part
            if self.sheet is not None and self.sheet.indicators and self.sheet.indicators[-1] is read:
                self.sheet.indicators.pop()  # read again with its figures
            self.fragment = None
            row = _trimmed(part) + row
            filled = [c for c in row if not c.blank]
        given, row = row, self._join_header(row, filled)
        if row is None:
            return
        first = filled[0] if row is given else next((c for c in row if not c.blank), None)
        first_norm = _norm(first.text) if first else ""
        if self.mode == "budget" and (SELF_SCORE_RE.match(first_norm) or BUDGET_SCORE_RE.match(first_norm)):
            self.mode = None  # "自评得分 | 97.36 | 预算执行(10分) | 10.00" follows the budget block
        if self.mode != "budget":
            # in a budget block "部门整体支出总额 | 7701.41 | …" is a data row, not a key/value pair
            self._key_values(row)
        budget_roles, indicator_roles = _row_roles(row)
        if _is_indicator_header(indicator_roles):
            self.mode, self.roles = "indicator", indicator_roles
            self.current()
        elif _is_target_header(indicator_roles):
            self.mode, self.roles = "targets", indicator_roles
            self.current()
        elif _is_budget_header(budget_roles):
            self.new_sheet_if_done()
            self.mode, self.roles = "budget", budget_roles
            self._budget_header(row)
        elif TOTAL_LABEL_RE.match(first_norm):
            self._total(row, first)
        elif _is_grade_label(first_norm):
            self.mode = None  # "自评等级 | 优" closes the indicator rows; it is not one of them
        elif first_norm.startswith(("年度总体目标", "总体目标")) or self.mode == "goals":
            self.mode = "goals"
            self._goal(row)
        elif self.mode is None and (self._labelled_budget_row(row) or self._bare_indicator_row(row)):
            pass
        elif self.mode == "budget":
            self._budget_row(row)
        elif self.mode == "indicator":
            self._indicator_row(row)
        elif self.mode == "targets":
            self._target_row(row)

    def _join_header(self, row: list[Cell], filled: Optional[list[Cell]] = None) -> Optional[list[Cell]]:
        """Rows flattened one per line ("a | b | c |") break a header where a cell broke: "一级指标 |
        … | 年度 指标值 |", then "实际 完成值 |", then "分值 | 得分 | …". A row of words that ends in
        an empty cell continues on the next row of words: the pieces are joined when together
        they make a header with more columns, or put the row-label heading ("预算资金(万元) |")
        over a budget header's labels. A piece that names columns but makes no header yet is
        held back, not read as a data row. Returns the row to read, or None. `filled`: the row's
        filled cells, when the caller has them."""
        if not _header_piece(row, filled):
            self.fragment = None
            return row
        fragment, self.fragment = self.fragment, None
        # a whole header that ended in an empty cell is not continued by a row of words that names
        # no column: that is the first indicator row ("产出指标 | 数量指标 | 扶持主体数量 |")
        if fragment is not None and not (_is_header_row(fragment) and not _names_columns(row)):
            joined = _trimmed(fragment) + row
            budget, indicator = _row_roles(row)
            joined_budget, joined_indicator = _row_roles(joined)
            header = _is_budget_header(joined_budget) or _is_indicator_header(joined_indicator) or _is_target_header(joined_indicator)
            label_head = _is_budget_header(budget) and _is_label_heading(fragment)
            if self.mode == "budget" and _is_label_heading(fragment) and (
                    _is_indicator_header(joined_indicator) or _is_target_header(joined_indicator)):
                self._drop_heading_row(fragment)
            if header and (len(joined_budget) + len(joined_indicator) > len(budget) + len(indicator) or label_head):
                row = joined
            elif _names_columns(fragment) and _names_columns(row) and row[-1].blank:
                self.fragment = joined  # still short of a header: wait for the next piece
                return None
        if row[-1].blank:
            self.fragment = row
            if _names_columns(row) and not _is_header_row(row) and self.mode is not None:
                return None
        return row

    def _drop_heading_row(self, fragment: list[Cell]) -> None:
        """A lone "绩 效 指 标 |" heads the indicator block under the funds rows: it was read as a funds
        row without figures, and is none."""
        rows = self.sheet.budget_rows if self.sheet is not None else []
        cell = next(c for c in fragment if not c.blank)
        if rows and not rows[-1].values and rows[-1].label_span == cell.span:
            rows.pop()

    def _labelled_budget_row(self, row: list[Cell]) -> bool:
        """A funds row whose cells carry their own headings: "年度资金总额 | 全年预算数150.00 |
        全年执行数136.50 | 执行率91.00%". Read only when every cell after the label is heading +
        number and the headings name two of 年初预算数/全年预算数/全年执行数."""
        cells = [c for c in row if not c.blank and c.span is not None]
        if len(cells) < 3 or _amount(cells[0]) is not None or len(cells[0].text) > 30:
            return False
        values: dict[str, Quantity] = {}
        for cell in cells[1:]:
            m = LABELLED_NUMBER_RE.match(cell.text)
            roles = _header_roles(m.group(1).strip(), _BUDGET_ID) if m else ()
            if not roles or roles[0] in values:
                return False
            start = m.start(2)
            q = _amount(Cell(cell.text[start:], Span(cell.span.start + start, cell.span.end)))
            if q is None or (roles[0] == "rate") != (q.unit == "%"):
                return False
            values[roles[0]] = _with_scale(q, "万" if "万元" in m.group(1) else None) if roles[0] in vocab.MONEY_ROLES else q
        if not _is_budget_header(values):
            return False
        label = cells[0]
        is_part = _norm(label.text).startswith("其中")
        self.current().budget_rows.append(BudgetRow(label.text, label.span, values, {}, _row_span(row, self.grid.span), is_part, None))
        return True

    def _bare_indicator_row(self, row: list[Cell]) -> bool:
        """An indicator row with no header above it, in the form's own order: 一级 | 二级 | 三级 |
        指标值 | 实际完成值 | 分值 | 得分. Read only when all seven cells are there, the levels are
        level words and the score is a score no larger than the weight."""
        at = [i for i, c in enumerate(row) if not c.blank and c.span is not None]
        if len(at) != 7:
            return False
        cells = [row[i] for i in at]
        level1, level2 = _norm(cells[0].text), _norm(cells[1].text)
        weight, score = _score_number(cells[5]), _score_number(cells[6])
        if (level1 not in LEVEL1_WORDS or not level2.startswith(LEVEL2_WORDS) or _number(cells[2]) is not None
                or weight is None or score is None or score.value > weight.value):
            return False
        saved = self.roles
        self.roles = dict(zip(("level1", "level2", "name", "target", "actual", "weight", "score"), at))
        try:
            self._indicator_row(row)
        finally:
            self.roles = saved
        return True

    def _goal(self, row: list[Cell]) -> None:
        """年度总体目标 | target | actual. Merged cells repeat their text: read each cell once,
        and skip the headings (预期目标 / 实际完成情况) and the row label."""
        texts = [c for c in row if not c.blank and not c.carried and c.span and not GOAL_HEADER_RE.fullmatch(_norm(c.text))]
        if len(texts) >= 2:
            self.current().goals.append((texts[0].span, texts[0].text, texts[1].span, texts[1].text))

    # -- key/value cells: "基本支出总额 | 891.48万元", "自评得分(满分100分) | 97.36"
    def _key_values(self, row: list[Cell]) -> None:
        n = len(row)
        for i, cell in enumerate(row):
            if cell.blank or cell.span is None:
                continue
            key = _key_cell(cell.text)
            if key is None:
                continue  # speed only: no branch below reads this cell
            norm, self_score, budget_score, label = key
            # the next filled cell, when it is one of the next three
            value_cell = next((row[k] for k in range(i + 1, min(i + 4, n)) if not row[k].blank), None)
            if value_cell is None:
                continue
            if self_score:
                q = _score_number(value_cell)
                if q is not None:
                    sheet = self.current()
                    sheet.total_score, sheet.total_span = q, Span(cell.span.start, value_cell.span.end)
            elif budget_score and self.mode != "budget":
                q = _score_number(value_cell)
                if q is not None:
                    sheet = self.current()
                    sheet.budget_points = _points(cell)
                    sheet.budget_score = q
            else:
                if label in KEY_TOTALS and _TOTAL_WORD.search(norm):
                    q = _number(value_cell)
                    if q is not None and q.unit in (None, "元") and value_cell.span:
                        q = _with_scale(q, self.scale or ("万" if "万元" in cell.text else None))
                        self.current().figures.append(
                            Figure(cell.text, q, Span(cell.span.start, value_cell.span.end), label, None, "table", "table",
                                   subject=Subject(label, label))
                        )

    def _budget_header(self, row: list[Cell]) -> None:
        sheet = self.current()
        text = "".join(c.text for c in row)
        self.scale = "万" if "万元" in text else None
        first_role = min(self.roles.values())
        # "年度预算数(万元)" over 年初预算 | 调整后预算数 heads a group of columns, it names no row
        label_cells = [c for c in row[:first_role] if not c.blank and not GROUP_HEADING_RE.search(HEADER_NOISE.sub("", _norm(c.text)))]
        # "部门整体支出总额" standing over the numbers names the row below it
        self.budget_label = (label_cells[-1].text, label_cells[-1].span) if len(label_cells) >= 2 else None
        for cell in label_cells:
            if sheet.budget_points is None and "分" in cell.text:
                sheet.budget_points = _points(cell)
        score_col = self.roles.get("score")
        if score_col is not None and sheet.budget_points is None:
            sheet.budget_points = _points(row[score_col])
        self.in_parts = False

    def _budget_row(self, row: list[Cell]) -> None:
        shift = _best_shift(row, self.roles, NUMERIC_BUDGET_ROLES, _amount)
        first_num = min(self.roles[r] for r in self.roles if r in NUMERIC_BUDGET_ROLES) + shift
        label_cell = next((c for c in reversed(row[: max(first_num, 0)])
                           if not c.blank and _amount(c) is None and not DASH_CELL_RE.fullmatch(c.text.strip())), None)
        values: dict[str, Quantity] = {}
        blanks: dict[str, Span] = {}
        span = _row_span(row, self.grid.span)
        for role, col in self.roles.items():
            cell = _at(row, col + shift)
            q = _score_number(cell) if role in ("weight", "score") else _amount(cell)
            if q is not None and q.unit not in ((None, "%") if role == "rate" else (None, "元") if role in vocab.MONEY_ROLES else (q.unit,)):
                continue  # "每条控制在150字以内": a count in words where money stands is no amount, nor a blank
            if q is not None:
                values[role] = _with_scale(q, self.scale) if role in vocab.MONEY_ROLES else q
            elif cell is None or cell.blank or not DASH_CELL_RE.fullmatch(cell.text.strip()):
                blanks[role] = span  # (a printed "—" is filled in: not applicable, not left blank)
        if not values and sum(1 for c in [c for c in row if not c.blank][1:] if WORDS_CELL_RE.search(c.text)) >= 2:
            self.mode = None  # "资金管理情况 | 情况说明 | 存在问题…": words where the money stands, a new block
            return
        if label_cell is None and not values:
            return
        if label_cell is not None and len(label_cell.text) > 30:
            self.mode = None  # narrative cells such as 部门职能概述 end the budget block
            return
        if label_cell is None:
            label, label_span = self.budget_label or ("合计", None)
        else:
            label, label_span = label_cell.text, label_cell.span
        norm = _norm(label)
        if NEW_HEAD_RE.match(norm):
            self.in_parts = False  # "二、教育支出" or "小计" starts a new total, not another part
        is_part = norm.startswith("其中") or self.in_parts
        if norm.startswith("其中"):
            self.in_parts = True
        sheet = self.current()
        sheet.budget_rows.append(BudgetRow(label, label_span, values, blanks, span, is_part, self.scale))
        if "score" in values and not is_part and sheet.budget_score is None:
            sheet.budget_score = values["score"]

    def _total(self, row: list[Cell], first: Cell) -> None:
        numbers = [q for c in row[row.index(first) + 1 :] if (q := _score_number(c)) is not None]
        sheet = self.current()
        if len(numbers) >= 2:
            sheet.total_weight, sheet.total_score = numbers[0], numbers[1]
        elif numbers:
            sheet.total_score = numbers[0]
        sheet.total_span = _row_span(row, self.grid.span)
        self.mode = None

    def _level_cells(self, cells: list[Cell]) -> list[Cell]:
        """Set the current 一级/二级 indicator from the level cells among `cells` and return
        the others."""
        rest = []
        norms = [_norm(c.text) for c in cells]  # speed only: each cell's matching copy once
        levels = [c for c, norm in zip(cells, norms) if norm.startswith(LEVEL_WORDS)]
        for cell, norm in zip(cells, norms):
            word = _PARENTHESIS_ON.sub("", norm) if "(" in norm else norm  # (speed only: nothing to cut)
            # 满意度指标 is a first- and a second-level word: the first of two level cells is 一级
            first_of_two = len(levels) > 1 and cell is levels[0]
            if word in LEVEL1_WORDS and (word not in LEVEL2_WORDS or first_of_two or _points(cell) is not None):
                if word != self.level1 or self.category is None:
                    self.level1, self.level2 = word, None
                    self.category = CategoryHeader(word, _points(cell), cell.span)
                    self.current().categories.append(self.category)
            elif norm.startswith(LEVEL2_WORDS):
                self.level2 = norm
            else:
                rest.append(cell)
        return rest

    def _target_row(self, row: list[Cell]) -> None:
        """A row of a targets-only table (绩效目标表). Exports shift these rows by a cell or two,
        so cells are read by order, not column: after the level words, the row number
        ("指标2:") and the duty ("职能1: 社会救助"), the last cell is the 指标值 and the one
        before it the indicator; a row with one cell left is an indicator whose 指标值 is blank."""
        cells = [c for c in row if not c.blank and not c.carried and c.span is not None]
        cells = [c for c in self._level_cells(cells) if not ROW_NUMBER_RE.match(norm := _norm(c.text)) and not DUTY_RE.match(norm)]
        if not cells or len(cells) > 2:
            return
        name_cell, target_cell = (cells[0], cells[1]) if len(cells) == 2 else (cells[0], None)
        if _number(name_cell) is not None and target_cell is None:
            return  # a lone figure is no indicator
        spans = {"name": name_cell.span} | ({"target": target_cell.span} if target_cell else {})
        self.current().indicators.append(
            IndicatorRow(
                level1=self.level1, level2=self.level2, name=name_cell.text, name_span=name_cell.span,
                target_text=target_cell.text if target_cell else "", target=_number(target_cell),
                actual_text="", actual=None, weight=None, score=None,
                row_span=_row_span(row, self.grid.span), category=self.category, cell_spans=spans,
                placeholders={"target": target_cell.text.strip()} if target_cell and PLACEHOLDER_RE.match(target_cell.text.strip()) else {},
            )
        )

    def _level_shift(self, row: list[Cell], shift: int) -> int:
        """A row that opens with its level cell ("产出指标 | 质量指标 | 完成… | = | 100" under
        "绩效指标(90分) | 一级指标 | …") is placed by that cell's column when the scores give no
        shift, or when the shift they give puts a level word under 三级指标."""
        roles = self.roles
        # the first two filled cells (speed only: most rows stop at the first, no list of them all)
        filled = []
        for i, c in enumerate(row):
            if not c.blank:
                filled.append((i, c))
                if len(filled) == 2 or not _norm(c.text).startswith(LEVEL_WORDS):
                    break
        if not filled or not _norm(filled[0][1].text).startswith(LEVEL_WORDS):
            return shift
        at, lead = filled[0]
        word = _PARENTHESIS_ON.sub("", _norm(lead.text))
        second_level = len(filled) > 1 and _norm(filled[1][1].text).startswith(LEVEL_WORDS)
        role = "level1" if word in LEVEL1_WORDS and (word not in LEVEL2_WORDS or second_level) else "level2"
        if role not in roles or at == roles[role] + shift:
            return shift
        scored = any(_score_number(_at(row, roles[r] + shift)) for r in ("weight", "score") if r in roles)
        name = _at(row, roles.get("name", roles.get("level2", 0)) + shift)
        if not scored or (name is not None and _norm(name.text).startswith(LEVEL_WORDS)):
            return at - roles[role]
        return shift

    def _indicator_row(self, row: list[Cell]) -> None:
        roles = self.roles
        filled = [c for c in row if not c.blank]
        if len(filled) <= 3 and _norm(filled[0].text).startswith("其中"):
            return  # "其中桃树种植面积 | 1.5亩 | 1.5亩": a part of the indicator above, with no points of its own
        shift = _best_shift(row, roles, ("weight", "score"), _score_number)
        shift = self._level_shift(row, shift)
        name_col = roles.get("name", roles.get("level2", 0)) + shift
        levels: list[tuple[int, Cell]] = []
        for i, cell in enumerate(row[: max(name_col + 1, 0)]):
            if not cell.blank and _norm(cell.text).startswith(LEVEL_WORDS):  # (speed only: a blank cell holds no word)
                levels.append((i, cell))
        if levels and self.sheet is not None and self.sheet.indicators and _opens_project(row[: levels[0][0]]):
            # a department's target table lists its projects one after another: a row that names
            # a project and its budget before the level words starts that project's indicators
            self.sheet = None
            self.level1 = self.level2 = self.category = None
        name_cell = _at(row, name_col)
        if name_cell is None or name_cell.blank or any(name_cell is c for _, c in levels):
            name_cell = next(
                (c for c in reversed(row[: max(name_col, 0)]) if not c.blank and not any(c is lc for _, lc in levels)),
                None,
            )
        level1_col = roles.get("level1", -9) + shift
        for k, (i, cell) in enumerate(levels):
            norm = _norm(cell.text)
            word = _PARENTHESIS_ON.sub("", norm) if "(" in norm else norm  # (speed only: nothing to cut)
            # 满意度指标/成本指标 are both first- and second-level words: position decides.
            is_level1 = word in LEVEL1_WORDS and (
                word not in LEVEL2_WORDS or _points(cell) is not None or (k == 0 and len(levels) > 1) or i == level1_col
            )
            if is_level1:
                # a merged category cell repeats on every row it spans: same word, same category
                if word != self.level1 or self.category is None:
                    self.level1, self.level2 = word, None
                    self.category = CategoryHeader(word, _points(cell), cell.span)
                    self.current().categories.append(self.category)
            else:
                self.level2 = norm
        cells = {role: _at(row, col + shift) for role, col in roles.items()}
        weight, score = _score_number(cells.get("weight")), _score_number(cells.get("score"))
        target_cell, actual_cell = cells.get("target"), cells.get("actual")
        if name_cell is not None and BARE_NUMBER_RE.fullmatch(name_cell.text.strip()):
            name_cell = None  # "合计 | 100": a lone figure names no indicator
        if name_cell is None and weight is None and score is None:
            return
        if name_cell is not None and target_cell is name_cell:
            target_cell = None
        spans: dict[str, Span] = {}
        placeholders: dict[str, str] = {}
        for role, c in cells.items():  # (speed only: one pass for both)
            if c is not None and c.span is not None:
                spans[role] = c.span
                if role in ("target", "actual", "weight", "score") and PLACEHOLDER_RE.match(c.text.strip()):
                    placeholders[role] = c.text.strip()
        before_weight = _score_number(_at(row, roles["weight"] + shift - 1)) if score is None and weight is not None and "weight" in roles else None
        short = before_weight is not None and before_weight.value >= weight.value and all(
            c.blank for c in row[roles["weight"] + shift + 1 :])
        self.current().indicators.append(
            IndicatorRow(
                level1=self.level1,
                level2=self.level2,
                name=name_cell.text if name_cell else "",
                name_span=name_cell.span if name_cell else None,
                target_text=target_cell.text if target_cell else "",
                target=_number(target_cell),
                actual_text=actual_cell.text if actual_cell else "",
                actual=_number(actual_cell),
                weight=weight,
                score=score,
                row_span=_row_span(row, self.grid.span),
                category=self.category,
                cell_spans=spans,
                placeholders=placeholders,
                short=short,
            )
        )
        if row[-1].blank and _is_name_part(row):
            self.name_part = (row, self.current().indicators[-1])  # its figures may be on the next line


def read_sheets(grid: Grid, *more: Grid) -> list[ScoreSheet]:
    """Score sheets in a grid, or in several grids that are pieces of one table (a page
    break cuts a PDF table in two: the second piece has no header of its own)."""
    builder = _SheetBuilder(grid)
    for piece in (grid, *more):
        for row in piece.rows:
            builder.feed(row)
    if more:
        for sheet in builder.sheets:
            sheet.span = Span(sheet.span.start, more[-1].span.end)
    return [s for s in builder.sheets if s.budget_rows or s.indicators or s.total_score or s.figures]


def join_split_sheets(sheets: list[ScoreSheet]) -> list[ScoreSheet]:
    """A page break or a blank line can cut one self-evaluation form into a budget part and
    an indicator part: join a budget-only sheet to the indicator sheet that follows it."""
    out: list[ScoreSheet] = []
    for sheet in sheets:
        prev = out[-1] if out else None
        if (
            prev is not None and prev.budget_rows and not prev.indicators and prev.total_score is None
            and sheet.indicators and not sheet.budget_rows
        ):
            sheet.budget_rows = prev.budget_rows + sheet.budget_rows
            sheet.budget_points = sheet.budget_points or prev.budget_points
            sheet.budget_score = sheet.budget_score or prev.budget_score
            sheet.figures = prev.figures + sheet.figures
            sheet.goals = prev.goals + sheet.goals
            sheet.span = Span(prev.span.start, sheet.span.end)
            out[-1] = sheet
        else:
            out.append(sheet)
    return out


# "自评等级 | 良" as a table row: the label cell, a cell break (tabs, or the wide gap of a PDF
# layout), then the grade alone in its cell; a legend "等级 | 优 | 良 | 中" is not a grade.
TABLE_GRADE_RE = re.compile(
    r"(?:自评|绩效|评价|综合评价|考核|评定)?(?:等级|等次)(?:[（(][^）)\n]{0,12}[）)])?(?:[ \u3000]{2,}|\s*\t\s*)"
    + vocab.GRADE_WORD + r"(?=(?:\t+\1)*[ \u3000\t]*(?:\n|$))"
)
# the first character of every TABLE_GRADE_RE match: its qualifier's or 等's (speed only: the
# pattern, with no fixed first character, is otherwise tried whole at every character of the text)
TABLE_GRADE_FIRST = re.compile("[自绩评综考等]")


def grade_rows(text: str) -> list:
    """The grade rows of the self-evaluation forms in a text, as grade statements (their score
    is the total of the form they close: the check looks it up)."""
    if "等级" not in text and "等次" not in text:  # speed only: in every TABLE_GRADE_RE match
        return []
    return [Statement("grade", {}, Span(m.start(), m.end()), {"grade": m.group(1), "source": "table"}, context="table")
            for m in matches_at(TABLE_GRADE_RE, TABLE_GRADE_FIRST, text)]


# ---- the 合计 rows of other grids ------------------------------------------------------------

SUMMED_COLUMN_RE = re.compile(vocab.SUMMED_COLUMN)
NOT_SUMMED_COLUMN_RE = re.compile(vocab.NOT_SUMMED_COLUMN)
GRID_TOTAL_RE = re.compile(vocab.GRID_TOTAL_ROW)
GRID_SUBTOTAL_RE = re.compile(vocab.GRID_SUBTOTAL_ROW)
NOTHING_CELL_RE = re.compile(r"[-－—–]+|[/／]|0+(?:\.0+)?")  # "—" under an amount: nothing spent
MAX_SUMMED_ROWS = 300  # the nesting guard compares runs of rows: bounded, whatever the grid
HEADER_ROWS_SEARCHED = 12


def grid_totals(title: str, grid: Grid, *more: Grid) -> list[PartOf]:
    """A grid that is neither a standard table nor a score sheet, with a 合计 row: in each
    money column the 合计 is the sum of the rows above it (or of the 小计 rows that close their
    groups), or, written first, of the rows below it. Silence where the rows may nest (a row
    "其中…", a row equal to the sum of the rows after it), where a cell is blank or words, or
    where the rows do not all have the header's width: a total that might not be a full sum
    is never compared as one."""
    rows = (row for piece in (grid, *more) for row in piece.rows if not all(c.blank for c in row))
    # a header stands at the top of its table; a grid of thousands of rows is not searched through
    summed: list[int] = []
    for _k, header in zip(range(HEADER_ROWS_SEARCHED), rows):
        summed = _summed_columns(header)
        if summed:
            break
    if not summed:
        return []
    first_summed = min(summed)
    body: list[tuple[str, str, list[Cell]]] = []  # (kind, label, row)
    for row in rows:
        if len(row) != len(header) or len(body) > MAX_SUMMED_ROWS:
            return []  # a row split or merged by the export: the columns cannot be trusted
        label = "".join(_norm(c.text) for c in row[:first_summed] if not c.blank)
        kind = "total" if GRID_TOTAL_RE.fullmatch(label) else "subtotal" if GRID_SUBTOTAL_RE.fullmatch(label) else "part"
        if kind == "part" and (not label or label.startswith("其中")):
            return []  # an unnamed or a "其中" row: parts of parts
        body.append((kind, label, row))
        if kind == "total" and len(body) > 1:
            break  # a total that closes the rows above ends the table; what follows is another
    kinds = [k for k, _l, _r in body]
    if kinds.count("total") != 1:
        return []
    out: list[PartOf] = []
    for col in summed:
        out.extend(_column_totals(title, "".join(header[col].text.split()), body, col))
    return out


def _summed_columns(row: list[Cell]) -> list[int]:
    """The money columns of a header row (none when the row holds a number: it is not a header)."""
    if not SUMMED_COLUMN_RE.search("".join(c.text for c in row)):
        return []  # speed only: most rows name no money at all
    cols = [i for i, c in enumerate(row) if i > 0 and not c.blank
            and SUMMED_COLUMN_RE.search(_norm(c.text)) and not NOT_SUMMED_COLUMN_RE.search(_norm(c.text))]
    if cols and any(_amount(c) is not None for c in row if not c.blank):
        return []  # words first, numbers only where the words would make a header
    return cols


def _column_totals(title: str, head: str, body: list[tuple[str, str, list[Cell]]], col: int) -> list[PartOf]:
    scale = "万" if "万元" in head else "亿" if "亿元" in head else None
    figures: list[Optional[Figure]] = []
    for _kind, label, row in body:
        cell = row[col]
        if cell.blank or cell.span is None:
            return []  # blank: nothing spent, or not filled in — no telling which
        if NOTHING_CELL_RE.fullmatch(cell.text.strip()):
            figures.append(None)
            continue
        q = _amount(cell)
        if q is None or q.op or q.unit not in (None, "元"):
            return []  # words, a target or a rate in a money column
        q = _with_scale(q, scale) if q.unit is None else q
        q = q if q.unit == "元" else replace(q, unit="元")
        figures.append(Figure(label, q, cell.span, None, None, Origin.TABLE, "table", cell=CellRef(title, label, head)))
    kinds = [k for k, _l, _r in body]
    total_at = kinds.index("total")
    if total_at == 0:
        if "subtotal" in kinds:
            return []
        groups = [(0, list(range(1, len(body))))]
    elif total_at == len(body) - 1:
        groups, loose = [], []
        for i, kind in enumerate(kinds[:-1]):
            if kind == "part":
                loose.append(i)
            elif kind == "subtotal":
                if not loose:
                    return []  # a 小计 that closes nothing: it heads its group, not closes it
                groups.append((i, loose))
                loose = []
        subtotals = [i for i, _parts in groups]
        if subtotals and loose:
            return []  # rows after the last 小计: the 合计 may or may not count them
        groups.append((total_at, subtotals or loose))
    else:
        return []
    out = []
    for total_at, members in groups:
        total_fig = figures[total_at]
        parts = [figures[i] for i in members if figures[i] is not None]
        if total_fig is None or len(parts) < 2 or _nested(parts):
            continue
        total_fig = replace(total_fig, label=f"{total_fig.label}（{head}）")
        out.append(PartOf(total_fig, parts, True, "sum.table_total", Span(parts[0].span.start, total_fig.span.end)
                          if parts[0].span.start < total_fig.span.start else Span(total_fig.span.start, parts[-1].span.end)))
    return out


def _nested(parts: list[Figure]) -> bool:
    """Whether one row is the sum of a run of the rows after it: a heading row and its items,
    listed in one column — summing them all would count the items twice."""
    values = [p.quantity.base_value for p in parts]
    for i, head in enumerate(values):
        if head == 0:
            continue
        # the heading row may be rounded on its own: one unit in its last place
        slack = Decimal(10) ** (-parts[i].quantity.decimals) * parts[i].quantity.multiplier
        run = Decimal(0)
        for v in values[i + 1 :]:
            run += v
            if abs(run - head) <= slack:
                return True
            if run > head + slack:
                break
    return False
