"""Tables written one cell per line ("cell-lines").

A crawler that flattens an HTML table, or a copy out of a PDF viewer, gives each cell a line of
its own, with nothing to say where a row ends:

    年初 / 预算数 / 全年 / 预算数 / … / 年度资金总额 / 43.2 / 43.2 / 37.24 / 10 / 86% / 9 / …

This module rebuilds the rows of such runs and hands them on as `Grid`s (source "cell-lines",
each cell's span on its own line), so that the score-sheet reader (tables.read_sheets) and the
standard-table reader (fiscal_tables.tables_from_grids) read them as they read any grid.

Three shapes are read:
- bare lines after a header of known column words (a self-evaluation form): the header says
  how many label, value and remark columns a row has, and a row starts at its label cell;
  header words broken over two lines ("年初" / "预算数") are joined when the joined word is a
  known column word;
- bare lines under the title of a standard table with a one-level header (科目编码 / 科目名称 /
  合计 / 基本支出 / 项目支出): a row starts at its code (3, 5 or 7 digits before a name) or at a
  label after the figures of the row before, and has one figure per value heading;
- tabbed lines under the title of a standard table, a blank line after each row (the
  "tab-cells" text of a 预决算 table): the rows are given, and a header row whose cells span
  several columns is spread over them, where the blank cells of the header row below show
  which columns each one spans; a header row whose first cell spans the label columns (栏次,
  项目) is padded as the 合计 row is.
A line "cell |" (and a lone "|" for a blank cell), as some crawlers flatten an HTML table, is a
bare line: its one trailing pipe is no column separator.
A run whose rows do not keep the rhythm (a value cell where a label must stand, a row with
more cells than the header has columns) is left unread: a misread table gives false alarms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from . import vocab
from .fiscal_tables import AMOUNT_RE, LABEL_HEADINGS, NUMBERING_WORDS, SANGONG_COLUMNS, UNIT_RE, table_kind
from .records import Cell, Document, Grid, Span, SpanSet
from .tables import LEVEL_WORDS
from .text import HEADER_NOISE, compiled_roles, fold, is_header_word

SOURCE = "cell-lines"
FIGURE_KINDS = ("value", "amount")
# a value cell: a number with its unit or percent sign, or a cell that says "nothing"
VALUE_RE = re.compile(r"(?:[<>]=|[≥≤<>=])?[-－+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:[%％‰]|[万亿]?元|分|万?人次?|个|次|天|户|家|项|台|辆|套|件|名)?(?:/[\u4e00-\u9fff][\u4e00-\u9fff*·]{0,3})?")
NOTHING_RE = re.compile(r"[-－—–/／]{1,3}|无")
POINTS_TAIL_RE = re.compile(r"[(（]\s*\d+(?:\.\d+)?\s*分?\s*[)）]$")
ELLIPSIS_RE = re.compile(r"[…\.。]{2,}|…")  # a template row left unfilled ("指标2 / ……")
CODE_RE = re.compile(r"\d{3}(?:\d{2}){0,2}")
TOTAL_RE = re.compile(vocab.TOTAL_ROW_WORDS)
LONGEST_CELL = 120  # a longer line is prose, never a cell
BROKEN_PIECE = 12  # longest piece of a heading broken over lines ("偏差原因分析及" / "改进措施")
SHORT_CELL = 20  # a table's cells are mostly this short or shorter

_ROLES = [(role, pattern) for role, pattern in compiled_roles(vocab.BUDGET_HEADER)] + [
    (role, pattern) for role, pattern in compiled_roles(vocab.INDICATOR_HEADER)
]
LABEL_ROLES = ("level1", "level2", "name")
TEXT_ROLES = ("desc", "deviation")


@dataclass
class _Cell:
    text: str  # stripped; "" for a blank cell (a line of spaces only)
    start: int
    end: int

    @property
    def blank(self) -> bool:
        return not self.text

    def cell(self) -> Cell:
        return Cell(self.text, Span(self.start, self.end) if self.text else None)


def _is_value(c: _Cell) -> bool:
    return c.blank or bool(VALUE_RE.fullmatch(c.text) or NOTHING_RE.fullmatch(c.text))


@lru_cache(maxsize=1 << 14)
def _is_level(text: str) -> bool:
    """An indicator level cell: 产出指标, 数量指标, 经济效益指标 …, not a column heading."""
    t = POINTS_TAIL_RE.sub("", fold(text))  # "产出指标(50分)": a level word with its points
    return t in LEVEL_WORDS or t in vocab.LEVEL2_WORDS or (
        re.fullmatch(r"[\u4e00-\u9fff]{2,6}指标", t) is not None and _role(t) is None and not is_header_word(t)
    )


@lru_cache(maxsize=1 << 14)  # every cell is tried as the start of a header
def _role(text: str) -> Optional[str]:
    norm = HEADER_NOISE.sub("", fold(text))
    return next((role for role, pattern in _ROLES if pattern.fullmatch(norm)), None)


def _bare_cells(doc: Document, skip: SpanSet) -> list[list[_Cell]]:
    """Runs of untabbed one-cell lines: a line of spaces is a blank cell, an empty line separates
    nothing (some exports put one after every cell), a long line of prose ends the run."""
    runs: list[list[_Cell]] = []
    run: list[_Cell] = []
    pos = 0
    unclosed = False  # the last cell line was not closed by its own pipe
    for raw in doc.text.split("\n"):
        start, pos = pos, pos + len(raw) + 1
        body = raw.strip(" \u3000\u00a0")
        if not skip.empty and skip.covers(start) or "\t" in raw or len(body) > LONGEST_CELL or raw.startswith("<!--"):
            if len(run) >= 6:
                runs.append(run)
            run = []
            continue
        if not raw:
            continue
        if body == "|" and unclosed:
            # "合 计" / "|" / "0.36" / "|": the pipe on a line of its own closes the cell above it
            # (two pipes in a row are a blank cell)
            unclosed = False
            continue
        unclosed = bool(body) and not body.endswith("|")
        if body.endswith("|") and body.count("|") == 1:
            # "合 计 |" / "|": a crawler's cell per line, each ending in its pipe (a lone pipe is a blank cell)
            body = body[:-1].rstrip(" \u3000\u00a0")
        offset = len(raw) - len(raw.lstrip(" \u3000\u00a0"))
        run.append(_Cell(body, start + offset, start + offset + len(body)))
    if len(run) >= 6:
        runs.append(run)
    return runs


def _join_broken(cells: list[_Cell], i: int) -> tuple[Optional[_Cell], int]:
    """The header or level word that starts at cell i, joined over two or three lines when it
    was broken ("年初" / "预算数", "经济效益" / "指标"), and the index after it; None when the
    cell is neither."""
    c = cells[i]
    own = _role(c.text)
    for n in (3, 2):
        parts = cells[i : i + n]
        # the pieces of a broken heading are short (speed only: most cells are not tried)
        if len(parts) < n or any(x.blank or len(x.text) > BROKEN_PIECE for x in parts):
            continue
        joined = "".join(x.text for x in parts)
        role = _role(joined)
        # "执行数" + "分值" are two headings, not one broken word
        if role and role != own and not (own and _role(parts[1].text)) or not own and _is_level(joined) and not _is_level(c.text):
            return _Cell(joined, c.start, parts[-1].end), i + n
    return (c, i + 1) if (own or is_header_word(c.text) or _is_level(c.text)) else (None, i)


def _header(cells: list[_Cell], i: int) -> Optional[tuple[list[_Cell], list[str], int]]:
    """A header of known column words starting at cell i: its cells, each one's kind (label,
    value or text) and the index after it; None when fewer than three value columns follow."""
    out: list[_Cell] = []
    kinds: list[str] = []
    j = i
    while j < len(cells):
        c, k = _join_broken(cells, j)
        if c is not None and _role(c.text) is None and not is_header_word(c.text):
            c = None  # a level cell (产出指标) starts the rows
        if c is None:
            if cells[j].blank and not out:  # the blank corner cell above the row labels
                out.append(cells[j])
                kinds.append("corner")
                j += 1
                continue
            if out and re.fullmatch(r"[(（].{1,6}[)）]", cells[j].text):  # "项目资金" / "(万元)"
                out[-1] = _Cell(out[-1].text + cells[j].text, out[-1].start, cells[j].end)
                j += 1
                continue
            break
        role = _role(c.text)
        kinds.append("label" if role is None or role in LABEL_ROLES else "text" if role in TEXT_ROLES else "amount" if role in vocab.MONEY_ROLES else "value")
        out.append(c)
        j = k
    figures = [n for n, kind in enumerate(kinds) if kind in FIGURE_KINDS]
    if len(figures) < 3 or "text" in kinds[: figures[-1]]:
        return None
    return out, kinds, j


def _rows(cells: list[_Cell], i: int, kinds: list[str], cut: bool = False) -> tuple[list[list[Cell]], int, bool]:
    """Data rows after a header: [level cells] label, values, remarks. Returns the rows, the index
    after the last cell read, and whether every row kept the rhythm. `cut`: the document ends with
    these cells, so the last row may stop short (a page kept for its first few thousand characters)."""
    first = next(n for n, kind in enumerate(kinds) if kind in FIGURE_KINDS)
    labels = max(first, 1)  # a header without a corner cell still has rows with labels
    values = sum(kind in FIGURE_KINDS for kind in kinds)
    amounts = kinds.count("amount")
    remarks = len(kinds) - first - values
    # a blank corner before named label columns (一级指标 | 二级指标 | 三级指标) heads a column of its
    # own, blank on every row ("绩效指标" written down the side); alone, it stands over the labels
    corner = kinds.count("corner") if first > kinds.count("corner") else 0
    levels = labels - corner - 1 if labels - corner >= 2 else 0  # 一级指标 / 二级指标 before the indicator's name
    rows: list[list[Cell]] = []
    carried: list[Optional[Cell]] = [None] * levels
    empty_run = 0
    while i < len(cells):
        c = cells[i]
        if c.blank or ELLIPSIS_RE.fullmatch(c.text):
            i += 1  # a stray blank or a template's "……" row
            continue
        if _role(c.text) or _header(cells, i) is not None:
            break  # the next header: the rows end here
        if _is_value(c):
            return rows, i, False  # a value where a label must stand
        head: list[_Cell] = []
        while levels and i < len(cells) and len(head) < levels:
            word, k = _join_broken(cells, i)
            if word is None or not _is_level(word.text):
                break
            head.append(word)
            i = k
        if i >= len(cells) or _is_value(cells[i]) or _is_level(cells[i].text) and head:
            return rows, i, False
        label = cells[i]
        i += 1
        vals: list[_Cell] = []
        while i < len(cells) and len(vals) < values:
            nxt = cells[i]
            # a target or an actual may be words ("较好"); weights and scores are numbers
            worded = levels and len(vals) < values - 2 and not _is_level(nxt.text) and _role(nxt.text) is None
            if not (_is_value(nxt) or worded and vals or worded and i + 1 < len(cells) and _is_value(cells[i + 1])):
                break
            vals.append(nxt)
            i += 1
        if levels and len(vals) not in (0, values):
            if cut and i >= len(cells):  # the page stops inside this row: keep what is there
                level_cells = [w.cell() for w in head] + [Cell("")] * (levels - len(head))
                rows.append([Cell("")] * corner + level_cells + [label.cell()] + [v.cell() for v in vals] + [Cell("")] * (values - len(vals)))
                return rows, i, True
            return rows, i, False  # an indicator row short of a cell: which one is unknown
        if not levels and any(not v.blank for v in vals) and len(vals) < max(amounts, 1):
            # a budget row may lack the 分值 / 执行率 / 得分 merged over the rows below the first,
            # never one of its amounts
            return rows, i, False
        if levels and any(v.blank or not _is_value(v) for v in vals[-2:]):  # weights and scores are numbers
            return rows, i, False
        notes: list[_Cell] = []
        while len(vals) == values and len(notes) < remarks and i < len(cells) and not _is_level(cells[i].text) and not (
            not cells[i].blank and i + 1 < len(cells) and _is_value(cells[i + 1]) and not cells[i + 1].blank
        ):
            notes.append(cells[i])
            i += 1
        empty_run = 0 if vals else empty_run + 1
        if empty_run >= 4:
            break
        level_cells: list[Optional[Cell]] = [None] * levels
        if len(head) == levels:
            level_cells = [w.cell() for w in head]
        elif head:
            word = fold(head[0].text)
            slot = 0 if word in vocab.LEVEL1_WORDS and word not in vocab.LEVEL2_WORDS else levels - 1
            level_cells[slot] = head[0].cell()
        own = [c is not None for c in level_cells]
        for k in range(levels):
            # a merged level cell stands over the rows below it, until the row names a new one
            if level_cells[k] is None and carried[k] is not None and not any(own[:k]):
                level_cells[k] = Cell(carried[k].text, carried[k].span, carried=True)
            carried[k] = level_cells[k]
        row = [Cell("")] * corner + [c if c is not None else Cell("") for c in level_cells] + [label.cell()]
        row += [v.cell() for v in vals] + [Cell("")] * (values - len(vals))
        row += [n.cell() for n in notes]
        rows.append(row)
    while rows and all(c.blank for c in rows[-1][labels:]):
        rows.pop()  # label-only rows after the last figures belong to what follows
    return rows, i, True


CODE_HEADING = re.compile(r"(?:功能分类|经济分类|支出功能分类|支出经济分类)?科目编码|编码")


def _is_title(c: _Cell) -> bool:
    return len(c.text) <= 48 and table_kind(c.text) is not None


def _coded_table(cells: list[_Cell], t: int) -> tuple[Optional[Grid], int]:
    """A standard table in bare cell lines under its title (cells[t]): a one-level header of
    label headings (科目编码, 科目名称, 项目) and value headings, then rows of [code] label and one
    value per value heading. Returns the grid (None when the rows break the rhythm or the header
    has more than one level) and the index to go on from."""
    i = t + 1
    while i < len(cells) and (UNIT_RE.search(fold(cells[i].text)) or "编制单位" in cells[i].text or cells[i].blank):
        i += 1
    first = next((k for k in range(i, len(cells)) if not cells[k].blank and _is_value(cells[k])), None)
    if first is None or first - 1 <= i:
        return None, t + 1
    if table_kind(cells[t].text) == "三公表":
        grid = _sangong_by_columns(cells, i, first)
        if grid is not None:
            return grid
    start = first - 1  # the first row's label stands just before its first figure ...
    if start - 1 >= i and CODE_RE.fullmatch(cells[start - 1].text):
        start -= 1  # ... after its code
    later = next((k for k in range(i, start) if _is_title(cells[k])), None)
    if later is not None:
        return None, later  # a page heading over the table's own title: read from that title
    head = [c for c in cells[i:start] if not c.blank]
    labels = 0
    while labels < len(head) and LABEL_HEADINGS.match(fold(head[labels].text)):
        labels += 1
    values = len(head) - labels
    coded = labels == 2 and CODE_HEADING.fullmatch(fold(head[0].text)) is not None
    # two sides (项目 … 项目 …) or 类 / 款 / 项 code columns: where each cell goes is not this reader's to guess
    if not 1 <= labels <= 2 or labels == 2 and not coded or values < 1 or any(LABEL_HEADINGS.match(fold(c.text)) for c in head[labels:]):
        return None, start
    rows: list[list[Cell]] = []
    k = start
    while k < len(cells):
        c = cells[k]
        if c.blank:
            k += 1
            continue
        if _is_title(c):
            break
        code = None
        if coded and CODE_RE.fullmatch(c.text) and k + 1 < len(cells) and not _is_value(cells[k + 1]):
            code, k = c, k + 1
        if _is_value(cells[k]):
            return None, k  # a figure where a label must stand
        label = cells[k]
        vals = []
        n = k + 1
        while n < len(cells) and len(vals) < values and _is_value(cells[n]):
            if coded and CODE_RE.fullmatch(cells[n].text) and n + 1 < len(cells) and not _is_value(cells[n + 1]):
                break  # the next row's code, not a figure
            vals.append(cells[n])
            n += 1
        if not vals and code is None:
            break  # prose or the next part: the rows end at the last figures
        if len(vals) != values:
            return None, n  # a row a cell short: which one is unknown
        row = ([code.cell() if code else Cell("")] if coded else []) + [label.cell()] + [v.cell() for v in vals]
        if coded and code is None:
            row[0], row[1] = row[1], row[0]  # 合计 stands over the code and name columns
        rows.append(row)
        k = n
    if not rows:
        return None, k
    last = max(c.span.end for c in rows[-1] if c.span is not None)
    header = [Cell(c.text, Span(c.start, c.end)) for c in head]
    return Grid([header] + rows, Span(head[0].start, last), SOURCE), k


# the 三公 items as column headings: the heading that spans sub-headings (公务用车购置及运行费) and
# the sub-headings under it (小计, 公务用车购置费, 公务用车运行费)
_SANGONG_HEADING = [(item, re.compile(p)) for item, p in SANGONG_COLUMNS]
_SPANNING, _SUB_ITEMS = "公务用车购置及运行费", ("公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费")


def _sangong_item(text: str) -> Optional[str]:
    t = fold(text)
    return next((item for item, p in _SANGONG_HEADING if p.search(t)), None)


def _sangong_by_columns(cells: list[_Cell], i: int, first: int) -> Optional[tuple[Grid, int]]:
    """A 三公 table laid out by columns in bare cell lines: its parent headings (合计, 因公出国（境）费,
    公务用车购置及运行费, 公务接待费, in any order), then the sub-headings of 公务用车购置及运行费
    (小计, 购置费, 运行费), then one row of figures (a blank cell "|" among them). The columns are
    the parents with the spanning one replaced, where it stands, by its sub-headings; the grid is
    read only when the figures are exactly as many as those columns and each heading names one
    item. A heading broken over two lines ("公务" / "接待费") is joined when only the joined text
    names an item."""
    head = [c for c in cells[i:first] if not c.blank and c.text.strip("|")]
    names: list[_Cell] = []
    k = 0
    while k < len(head):
        c = head[k]
        if _sangong_item(c.text) is None and k + 1 < len(head) and _sangong_item(c.text + head[k + 1].text) is not None:
            c, k = _Cell(c.text + head[k + 1].text, c.start, head[k + 1].end), k + 1
        if _sangong_item(c.text) is None:
            return None
        names.append(c)
        k += 1
    items = [_sangong_item(c.text) for c in names]
    spanning = [n for n, it in enumerate(items) if it == _SPANNING and "小计" not in fold(names[n].text)]
    if len(spanning) != 1 or "三公经费" not in items:
        return None
    p = spanning[0]
    subs = [n for n in range(p + 1, len(names)) if items[n] in _SUB_ITEMS and n not in spanning]
    # the sub-headings close the header, after every parent
    if not subs or subs != list(range(len(names) - len(subs), len(names))) or len(set(items[n] for n in subs)) != len(subs):
        return None
    parents = list(range(len(names) - len(subs)))
    leaves = parents[:p] + subs + parents[p + 1 :]
    values = cells[first : first + len(leaves)]
    if len(values) != len(leaves) or not all(_is_value(v) for v in values) or values[0].blank:
        return None
    after = first + len(leaves)
    if after < len(cells) and not cells[after].blank and _is_value(cells[after]):
        return None  # more figures than columns: another layout
    header = [Cell(names[n].text, Span(names[n].start, names[n].end)) for n in leaves]
    row = [v.cell() for v in values]
    last = max(c.span.end for c in row if c.span is not None)
    return Grid([header, row], Span(names[0].start, last), SOURCE), after


# Lines that _bare_cells makes value cells (`_is_value`): a figure (any line of VALUE_RE's
# characters with a digit holds every VALUE_RE line), "nothing", or spaces only. Speed only: a
# grid needs one (a coded table's first figure is one; a header's rows are dropped while all
# their cells after the label are blank, and remarks follow only a full set of values, so
# without value cells there is nothing but blank fillers). Three searches, each from a "\n"
# (one alternation of the three is several times slower).
_VALUE_LINE_RES = [re.compile(p) for p in (
    r"\n[ \u3000\u00a0≥≤<>=+\-－]*\d[\d,.\s%％‰万亿元分人次个天户家项台辆套件名]*\|?(?=\n|\Z)",  # "1.71 |": see _bare_cells
    r"\n[ \u3000\u00a0]*(?:" + NOTHING_RE.pattern + r")[ \u3000\u00a0]*(?=\n|\Z)",
    r"\n[ \u3000\u00a0]+(?=\n|\Z)",
)]


def _bare_grids(doc: Document, skip: SpanSet) -> list[Grid]:
    grids: list[Grid] = []
    lines = "\n" + doc.text  # every line behind a "\n", the first too
    if not any(pattern.search(lines) for pattern in _VALUE_LINE_RES):
        return grids
    for cells in _bare_cells(doc, skip):
        if 3 * sum(1 for c in cells if len(c.text) <= SHORT_CELL) < len(cells):
            continue  # speed only: a run of prose lines holds no table (a table's cells are mostly short)
        i = 0
        while i < len(cells):
            if _is_title(cells[i]):
                grid, i = _coded_table(cells, i)
                if grid is not None:
                    grids.append(grid)
                continue
            found = _header(cells, i)
            if found is None:
                i += 1
                continue
            head, kinds, j = found
            rows, end, regular = _rows(cells, j, kinds, cut=not doc.text[cells[-1].end:].strip(" \n\u3000|"))
            if regular and rows:
                header = [Cell("")] * (kinds[0] in FIGURE_KINDS) + [Cell(c.text, Span(c.start, c.end)) if c.text else Cell("") for c in head]
                last = max(c.span.end for c in rows[-1] if c.span is not None)
                grids.append(Grid([header] + rows, Span(head[0].start, last), SOURCE))
            i = max(end, j)
    return grids


# ---- tabbed cells under a standard table's title ----------------------------------------------

# a line of one cell behind its tab: no tab in the cell, trailing tabs and spaces allowed ("\t预算数",
# "\t", "\t0.00\t"); one match a line instead of slicing and testing it (speed only)
_CELL_LINE = re.compile(r"\t([^\t\n]*)[\t ]*(?=\n|\Z)")


def _tabbed_rows(doc: Document, start: int, skip: SpanSet) -> tuple[list[list[Cell]], int]:
    """Rows of '\\tcell' lines from `start`, a blank line after each row; the end offset."""
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    pos, end = start, start
    text = doc.text
    while pos <= len(text):  # line by line (the rows end within a few lines: no split of the rest)
        if not skip.empty and skip.covers(pos):
            break
        cell = _CELL_LINE.match(text, pos)
        if cell is not None:
            # (= raw[1:].strip(" \t\u3000") of the line, its span behind the spaces it strips: the
            # cell holds no tab)
            raw = cell.group(1)
            body = raw.strip(" \u3000")
            at = cell.start(1) + len(raw) - len(raw.lstrip(" \u3000"))
            row.append(Cell(body, Span(at, at + len(body))) if body else Cell(""))
            end = cell.end()
            pos = end + 1
            continue
        stop = text.find("\n", pos)
        stop = len(text) if stop == -1 else stop
        raw, pos = text[pos:stop], stop + 1
        if not raw.strip():
            if row:
                rows.append(row)
                row = []
            else:
                break
        else:
            break
    if row:
        rows.append(row)
    return rows, end


def _spread(parent: list[Cell], child: list[Cell]) -> Optional[list[Cell]]:
    """A header row whose cells span several columns, spread over the columns of the row below:
    a blank child cell stands under a parent of its own, a run of filled child cells under one
    parent; without blank cells, parents that split the row evenly."""
    runs: list[list[int]] = []
    for k, c in enumerate(child):
        if c.blank or not runs or child[k - 1].blank:
            runs.append([k])
        else:
            runs[-1].append(k)
    if len(runs) != len(parent) and not any(c.blank for c in child):
        # a two-sided table (收入 | 支出): each side starts at its label heading (项目)
        starts = [k for k, c in enumerate(child) if LABEL_HEADINGS.match(fold(c.text))]
        if len(starts) == len(parent) and starts[0] == 0:
            runs = [list(range(a, b)) for a, b in zip(starts, starts[1:] + [len(child)])]
        elif len(child) % len(parent) == 0:
            width = len(child) // len(parent)
            runs = [list(range(p * width, p * width + width)) for p in range(len(parent))]
    if len(parent) > len(runs) and any(c.blank for c in child):
        runs = _split_repeated(runs, len(parent) - len(runs) + 1, child)
    if len(runs) != len(parent):
        return None
    out: list[Cell] = []
    for owner, cols in zip(parent, runs):
        out += [owner] + [Cell(owner.text, owner.span, carried=True) for _ in cols[1:]]
    return out


def _split_repeated(runs: list[list[int]], pieces: int, child: list[Cell]) -> list[list[int]]:
    """Parents with no blank child cell between them (预算数 | 决算数 over two halves that print the
    same sub-headings, 合计 … 公务接待费 twice, beside a 机关运行经费 of its own): the one run that
    splits evenly into `pieces` with the same headings in each. The runs as they were otherwise."""
    fits = []
    for n, run in enumerate(runs):
        if len(run) % pieces or len(run) < 2 * pieces:
            continue
        width = len(run) // pieces
        parts = [run[p * width : p * width + width] for p in range(pieces)]
        if all([child[k].text for k in part] == [child[k].text for k in parts[0]] for part in parts):
            fits.append(runs[:n] + parts + runs[n + 1 :])
    return fits[0] if len(fits) == 1 else runs


# a heading over all the label columns (code and name) in one cell: the row of column numbers
# (栏次), the subject as a whole (项目, 功能分类科目) or the code and name named together
SPANNING_LABELS = re.compile(r"项目(?:名称)?|(?:支出)?(?:功能|经济)分类科目|(?:科目)?编码[及和与/、]?(?:科目)?名称")


def _spans_labels(row: list[Cell], body: list[list[Cell]], width: int) -> bool:
    """Whether a header row is short only because its first cell spans the label columns, as the
    合计 row's does: it is short by one cell fewer than the columns before the first figure."""
    head = fold(row[0].text)
    if not (NUMBERING_WORDS.match(head) or SPANNING_LABELS.fullmatch(head)):
        return False
    labels = next((k for k in range(width) if any(AMOUNT_RE.fullmatch(r[k].text) for r in body if len(r) == width)), width)
    return labels >= 2 and len(row) == width - labels + 1


def _tabbed_grids(doc: Document, skip: SpanSet) -> list[Grid]:
    grids: list[Grid] = []
    pos = 0
    lines = doc.text.split("\n")
    behind_tab = [raw[:1] == "\t" for raw in lines]  # (speed only: asked of the three lines after each short line)
    for n, raw in enumerate(lines):
        line_start, pos = pos, pos + len(raw) + 1
        if "\t" in raw or not raw.strip() or len(raw) > 60:
            continue
        # (speed only: the cells start within the three lines after the title, each behind a tab)
        if True not in behind_tab[n + 1 : n + 4] or table_kind(raw) is None or skip.covers(line_start):
            continue
        # the title, then a line or two of unit and compiler, then the tabbed cells
        at = pos
        for extra in lines[n + 1 : n + 3]:
            if extra.startswith("\t"):
                break
            if not (UNIT_RE.search(fold(extra)) or "编制单位" in extra or "公开" in extra and len(extra) < 12):
                break
            at += len(extra) + 1
        rows, end = _tabbed_rows(doc, at, skip)
        if len(rows) < 2:
            continue
        first = next((r for r, row in enumerate(rows) if any(AMOUNT_RE.fullmatch(c.text) for c in row)), None)
        if first is None:
            continue
        width = max(len(row) for row in rows[first:])
        body = []
        for row in rows[first:]:
            if len(row) < width and TOTAL_RE.fullmatch(fold(row[0].text)):
                row = row[:1] + [Cell("") for _ in range(width - len(row))] + row[1:]  # 合计 over the code and name columns
            body.append(row)
        if any(len(row) != width for row in body if any(not c.blank for c in row)):
            continue  # rows of different widths: where a cell is missing is unknown
        header = rows[:first]
        for r in range(len(header) - 1, -1, -1):
            below = header[r + 1] if r + 1 < len(header) else None
            if len(header[r]) < width and _spans_labels(header[r], body, width):
                header[r] = header[r][:1] + [Cell("") for _ in range(width - len(header[r]))] + header[r][1:]  # as the 合计 row
                continue
            if len(header[r]) < width and below is not None and len(below) == width and not all(c.blank for c in header[r]):
                spread = _spread(header[r], below)
                if spread is None:
                    break  # which columns a heading spans is unknown: the table is left unread
                header[r] = spread
        if any(len(row) != width and any(not c.blank for c in row) for row in header):
            continue
        grids.append(Grid(header + body, Span(at, end), SOURCE))
    return grids


def find_cell_grids(doc: Document, skip: list[Span] = ()) -> list[Grid]:
    """The tables written one cell per line, outside `skip` (the grids the file format gave)."""
    if doc.layout:
        return []  # a PDF's lines carry their x positions: its tables are read from those
    outside = SpanSet(skip)  # (a text file has no grids of its own: empty, its lines are not asked one by one)
    grids = _tabbed_grids(doc, outside) + _bare_grids(doc, outside)
    grids.sort(key=lambda g: g.span.start)
    return grids
