"""Split a document's text into narrative sections and table grids, keeping exact offsets.

Text tables come in three shapes in the wild:
- "tab-cells": one cell per line behind a TAB, rows separated by a blank line, a cell may run
  on over following lines (Word tables pasted as text, as in many published reports);
- "tab-rows": one row per line, cells separated by TABs (Excel exports);
- "spaces": one row per line, columns separated by runs of spaces (pypdf's text layer).
docx/xlsx/html tables arrive already structured in `Document.grids` and are not re-parsed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .records import Cell, Document, Grid, Span, SpanSet, line_stretches
from . import vocab
from .text import HEADER_NOISE, compiled_roles, fold, is_header_word

NUMBER_RE = re.compile(r"[-+]?[\d.,]+[%％分]?")
SPACE_COLUMN_RE = re.compile(r"\S+(?: \S+)*")  # a column: text with at most single spaces inside


@dataclass
class Line:
    text: str
    start: int

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def is_tab_cell(self) -> bool:
        """A single cell behind a tab: '\\tvalue' (a trailing tab is tolerated)."""
        return self.text.startswith("\t") and "\t" not in self.text.rstrip()[1:]

    @property
    def is_tab_row(self) -> bool:
        """Several cells on one line separated by tabs (or by "|", as text exports of tables
        and markdown write them)."""
        body = self.text.rstrip()
        # = not self.is_tab_cell, read off the stripped body at hand (speed only: asked of every line)
        if "\t" in body and not (body[0] == "\t" and "\t" not in body[1:]):
            return True
        return "|" in body and _PIPE_ROW.search(body) is not None


@dataclass
class Segments:
    grids: list[Grid]
    narrative: list[Span]  # text outside every table


def split_lines(text: str, start: int = 0, end: int | None = None, skip: SpanSet | None = None) -> list[Line]:
    """The lines of text[start:end], but those that begin inside `skip` (no Line is made for a
    line of a table read already: speed only, in a 决算 most lines are)."""
    end = len(text) if end is None else end
    lines: list[Line] = []
    if start > end:
        return lines
    for a, b in line_stretches(text, start, end, skip):
        pos = a
        for piece in text[a:b].split("\n"):  # speed only: one split, not a find and a slice per line
            lines.append(Line(piece, pos))
            pos += len(piece) + 1
    return lines


_CELL_SPACE = " \t\u3000\n"


# "实际 完成值 |": a cell the flattening broke onto a line of its own ends in its pipe
_PIPE_ROW = re.compile(r"\S\s*\|\s*\S|^\s*\||\S[ \t]*\|[ \t]*$")
_PROSE_CELL = re.compile(r"[。；;]")  # a sentence inside a cell: written text, not a table's cell


def _split_on_tabs(text: str, line: Line) -> list[Cell]:
    sep = "\t" if "\t" in line.text else "|"
    cells, pos = [], line.start
    for part in line.text.split(sep):  # as _cells, from the parts at hand (speed only: no bounds, no slices)
        stripped = part.strip(_CELL_SPACE)
        if stripped:
            s = pos + len(part) - len(part.lstrip(_CELL_SPACE))
            cells.append(Cell(stripped, Span(s, s + len(stripped))))
        else:
            cells.append(_BLANK)
        pos += len(part) + 1
    return cells


def _tab_cell_rows(text: str, lines: list[Line]) -> list[list[Cell]]:
    """Rows of a tab-cells block: blank lines end a row; untabbed lines continue a cell."""
    rows: list[list[Cell]] = []
    row: list[list[int]] = []  # [start, end] of each cell's raw text, after its tab
    for line in lines:
        body = line.text  # (speed only: `end` and `blank` read off it, not asked of the line)
        if body.startswith("\t"):
            row.append([line.start + 1, line.start + len(body)])
        elif not body.strip():
            if row:
                rows.append(_cells(text, row))
                row = []
        elif row:  # continuation of the previous cell
            row[-1][1] = line.start + len(body)
    if row:
        rows.append(_cells(text, row))
    return rows


def _cells(text: str, bounds) -> list[Cell]:
    """A cell per (start, end) of `text`, its span covering its stripped text; one loop, no call per
    cell (speed only: a tab-separated export has hundreds of cells, most of them empty, and a
    tab-cells table a cell per line)."""
    cells = []
    for s, e in bounds:
        part = text[s:e]
        stripped = part.strip(_CELL_SPACE)
        if stripped:
            offset = len(part) - len(part.lstrip(_CELL_SPACE))  # = part.index(stripped), without the search
            cells.append(Cell(stripped, Span(s + offset, s + offset + len(stripped))))
        else:
            cells.append(_BLANK)
    return cells


# the one blank cell (speed only: an export has more blank cells than filled ones; no reader
# changes a cell, and none tells blank cells apart)
_BLANK = Cell("", None)


def _is_full_row(row: list[Cell]) -> bool:
    if len(row) < 4:
        return False
    filled = 0
    for c in row:  # = sum(not c.blank …) >= 3, stopping at the third (speed only: no generator per row)
        if not c.blank:
            filled += 1
            if filled == 3:
                return True
    return False


def _merge_fragments(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Rejoin a row that a stray blank line split into two or three pieces: only when the
    pieces together fill exactly the width of the last full row and no piece does alone."""
    out: list[list[Cell]] = []
    width = 0
    i = 0
    while i < len(rows):
        row = rows[i]
        if width and len(row) < width:
            total = len(row)
            for j in range(i + 1, min(i + 3, len(rows))):
                total += len(rows[j])
                if total > width or len(rows[j]) >= width:
                    break
                if total == width:
                    row = [c for r in rows[i : j + 1] for c in r]
                    i = j
                    break
        if _is_full_row(row):
            width = len(row)
        out.append(row)
        i += 1
    return out



def _column_of(line: str, index: int) -> float:
    """Where pypdf meant a piece to stand: its padding counts a wide (CJK) glyph as one
    character though it spans about one and a half, so positions drift right after them."""
    return index + 0.5 * sum(1 for ch in line[:index] if ch >= "\u2e80")


def _assign_wrapped(pieces: list[float], cells: list[float], texts: list[str], words: list[str]) -> list[int]:
    """The cell each wrapped piece belongs to. pypdf's layout padding scales differently from
    line to line, so positions only roughly agree: a piece that completes a known heading
    ("实际完" + "成值") goes to the next such cell, in order; any other piece to the nearest
    cell that holds text rather than a number."""
    out, after = [], -1
    for piece, word in zip(pieces, words):
        completes = [k for k in range(after + 1, len(texts)) if is_header_word(texts[k] + word)]
        if completes:
            after = completes[0]
            out.append(after)
            continue
        textual = [k for k, t in enumerate(texts) if not re.fullmatch(r"[\d.,%％≥≤<>=+-]+", t)] or list(range(len(texts)))
        out.append(min(textual, key=lambda k: abs(cells[k] - piece)))
    return out


def _space_rows(text: str, block: list[Line]) -> list[list[Cell]]:
    """Rows of a space-aligned block. A PDF cell too narrow for its text wraps onto the next
    line ("实际完" / "成值"): a line of a few short pieces continues the row above, each piece
    joining the cell it stands under."""
    rows: list[list[Cell]] = []
    columns: list[list[float]] = []
    for line in block:
        chunks = list(SPACE_COLUMN_RE.finditer(line.text))
        # numbers do not wrap: a short line with a number is a row of its own ("总分 90 95")
        if rows and _is_wrap_line(line, most=len(rows[-1]) // 2):
            pieces = [_column_of(line.text, m.start()) for m in chunks]
            texts = [c.text for c in rows[-1]]
            for m, k in zip(chunks, _assign_wrapped(pieces, columns[-1], texts, [m.group() for m in chunks])):
                cell = rows[-1][k]
                end = line.start + m.end()
                rows[-1][k] = Cell(cell.text + m.group(), Span(cell.span.start, end) if cell.span else None, cell.carried)
            continue
        cells, starts = [], []
        for m in chunks:
            for piece in _split_numbers(m):
                cells.append(Cell(piece.group(), Span(line.start + piece.start(), line.start + piece.end())))
                starts.append(_column_of(line.text, piece.start()))
        rows.append(cells)
        columns.append(starts)
    return rows


# a number with its unit, whatever the unit (件, 公里, 平方米 …)
QUANTITY_TOKEN_RE = re.compile(r"[≥≤<>=]?[-+]?[\d.,]+(?:[%％]|[万亿]?[\u4e00-\u9fff]{1,4})?")


def _split_numbers(chunk: re.Match) -> list[re.Match]:
    """Columns set one space apart run together ("≤1761.71万元 1761.71万元 9"): a chunk made
    only of quantities separated by single spaces is one cell per quantity."""
    tokens = list(re.finditer(r"\S+", chunk.string[chunk.start() : chunk.end()]))
    if len(tokens) > 1 and all(QUANTITY_TOKEN_RE.fullmatch(t.group()) for t in tokens):
        return [_Piece(t.group(), chunk.start() + t.start()) for t in tokens]
    # "6.82 宣传引导力度不足，群众": a score cell run into the remark after it
    lead = next((k for k, t in enumerate(tokens) if not QUANTITY_TOKEN_RE.fullmatch(t.group())), 0)
    rest = chunk.group()[tokens[lead].start() :] if lead else ""
    if lead and len(rest) >= 5 and re.match(r"[\u4e00-\u9fff]", rest):
        pieces = [_Piece(t.group(), chunk.start() + t.start()) for t in tokens[:lead]]
        return pieces + [_Piece(rest, chunk.start() + tokens[lead].start())]
    return [chunk]


class _Piece:
    """A slice of a line that quacks like the re.Match the row builder reads."""

    def __init__(self, text: str, start: int):
        self._text, self._start = text, start

    def group(self) -> str:
        return self._text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._start + len(self._text)


def _is_wrap_line(line: Line, most: int = 3) -> bool:
    """A line of a few short text pieces (no numbers): wrapped cells of the row above."""
    chunks = list(SPACE_COLUMN_RE.finditer(line.text))
    # an indented piece may be a longer wrap; only a piece at the margin could start prose
    return 0 < len(chunks) <= most and all(
        len(c.group()) <= (5 if c.start() == 0 else 14) and not NUMBER_RE.fullmatch(c.group()) for c in chunks
    )


def _is_cell_pair(line: Line) -> bool:
    """Two wide cells far apart ("全年完成…    实际完成…，完成93.1%"): a row of a table whose
    other cells are merged, when more table rows follow."""
    # the gap first (speed only): prose lines have none, and counting columns lists them all
    return bool(_WIDE_GAP.search(line.text)) and len(SPACE_COLUMN_RE.findall(line.text)) == 2


_WIDE_GAP = re.compile(r"\S {6,}\S")


def _is_space_row(line: Line) -> bool:
    # the double space first (speed only), as in _is_cell_pair
    return "  " in line.text.strip() and len(SPACE_COLUMN_RE.findall(line.text)) >= 3


# A form's funds block copied from a web page, its cells apart by single spaces:
# "项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分" / "年度资金总额 29 29 27.8 10 95.86% 9"
_FUNDS_HEADS = compiled_roles(vocab.BUDGET_HEADER)
_FUNDS_MONEY = ("initial", "budget", "actual")
_DASH = re.compile(r"[-－—–/／]+")
_WORD_RUN = re.compile(r"\S+")
_FUND_SOURCE = re.compile(vocab.FUND_SOURCE_ROW)


def _funds_columns(line: Line) -> int:
    """How many funds columns a line heads: three or more funds headings, one a money column, and
    at most two other words (0 when it is no such header)."""
    tokens = line.text.split()
    roles = [next((r for r, p in _FUNDS_HEADS if p.fullmatch(HEADER_NOISE.sub("", fold(t)))), None) for t in tokens]
    named = [r for r in roles if r]
    return len(named) if len(named) >= 3 and len(tokens) - len(named) <= 2 and any(r in _FUNDS_MONEY for r in named) else 0


def _numbers_in_funds_line(line: Line) -> int:
    """A funds row under such a header: one or two words, then only numbers ("其中:当年财政拨款 29 29
    27.8"): how many numbers (0 for a source row printed empty, "其他资金"); -1 for any other line."""
    tokens = line.text.split()
    numeric = [bool(NUMBER_RE.fullmatch(t) or _DASH.fullmatch(t)) for t in tokens]
    words = numeric.index(True) if True in numeric else len(tokens)
    if not 1 <= words <= 2 or not all(numeric[words:]) or any(len(t) > 14 for t in tokens[:words]):
        return -1
    if words == len(tokens):  # no number: only a source row of the block, not the heading after it
        return 0 if _FUND_SOURCE.search(tokens[-1]) else -1
    return len(tokens) - words


def _funds_block(lines: list[Line], i: int, columns: int) -> tuple[int, list[Line]]:
    """The end of a single-spaced funds block whose header is lines[i] (heading `columns`
    columns), and its rows that fill every column: with single spaces a shorter row does not
    show which of its cells is blank ("880 880 880 10 10" under six columns), so it is not read."""
    j, full = i + 1, []
    while j < len(lines) and (numbers := _numbers_in_funds_line(lines[j])) >= 0:
        if numbers == columns:
            full.append(lines[j])
        j += 1
    return j, full


def find_text_grids(doc: Document, skip: list[Span], space_tables: bool = True, table_regions: list[Span] = ()) -> list[Grid]:
    """Table grids in the plain text, outside the spans of tables the format already gave us.
    `space_tables=False` leaves lines laid out with wide gaps as prose: in a 预决算 document the
    tables are found by their titles (fiscal_tables), and a justified paragraph of its
    情况说明 must not pass for a table; `table_regions` (its 绩效目标表) are read as grids anyway."""
    outside, regions = SpanSet(skip), SpanSet(table_regions)  # each line asks in log time, not per table
    lines = split_lines(doc.text, skip=outside)
    grids: list[Grid] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        text = line.text
        if "\t" not in text and "|" not in text and "  " not in text and "执行" not in text:
            i += 1  # speed only: prose; a tab row needs a tab or a "|", a tab cell a tab, a space row two spaces,
            continue  # a single-spaced funds header its 执行数/执行率
        if line.is_tab_row:
            j = i
            while j < len(lines) and lines[j].is_tab_row:
                j += 1
            block = lines[i:j]
            rows = [_split_on_tabs(doc.text, ln) for ln in block]
            # prose lines a crawler closed with a stray "|" ("…下降18%。 |") are no one-column table
            if not all(sum(not c.blank for c in r) <= 1 for r in rows) or not any(
                    _PROSE_CELL.search(c.text) for r in rows for c in r if not c.blank):
                grids.append(Grid(rows, Span(block[0].start, block[-1].end), "tab-rows"))
            i = j
        elif line.is_tab_cell:
            j = i
            while j < len(lines):
                cur = lines[j]
                body = cur.text
                if not body or body[0] == "\t" and body.find("\t", 1) == -1 and "|" not in body:
                    j += 1  # speed only: an empty line or a cell behind its one tab, neither a tab row nor narrative
                    continue
                if cur.is_tab_row:
                    break
                if not cur.blank and not cur.text.startswith("\t") and j > 0 and lines[j - 1].blank:
                    break  # narrative resumes after a blank line
                j += 1
            block = lines[i:j]
            while block and block[-1].blank and not block[-1].text.startswith("\t"):
                block.pop()
            rows = _merge_fragments(_tab_cell_rows(doc.text, block))
            # paragraphs indented with a tab are prose, not a one-column table
            if any(len(r) >= 2 for r in rows):
                grids.append(Grid(rows, Span(block[0].start, block[-1].end), "tab-cells"))
            i = max(j, i + 1)
        elif (space_tables or regions.covers(line.start)) and _is_space_row(line) and i + 1 < len(lines) and (
            _is_space_row(lines[i + 1]) or _is_wrap_line(lines[i + 1]) and i + 2 < len(lines) and _is_space_row(lines[i + 2])
        ):
            j = i
            while j < len(lines) and (
                _is_space_row(lines[j])
                or (lines[j].blank and j + 1 < len(lines) and _is_space_row(lines[j + 1]))
                or _is_wrap_line(lines[j])
                or (_is_cell_pair(lines[j]) and j + 1 < len(lines) and _is_space_row(lines[j + 1]))
            ):
                j += 1
            block = [ln for ln in lines[i:j] if not ln.blank]
            grids.append(Grid(_space_rows(doc.text, block), Span(block[0].start, block[-1].end), "spaces"))
            i = j
        elif " " in text.strip() and (columns := _funds_columns(line)) and (funds := _funds_block(lines, i, columns))[1]:
            j, full = funds
            rows = [[Cell(m.group(), Span(ln.start + m.start(), ln.start + m.end())) for m in _WORD_RUN.finditer(ln.text)] for ln in [line, *full]]
            grids.append(Grid(rows, Span(line.start, lines[j - 1].end), "spaces"))
            i = j
        else:
            i += 1
    return grids


def segment(doc: Document, exclude: list[Span] = (), space_tables: bool = True, table_regions: list[Span] = ()) -> Segments:
    """Grids and narrative outside `exclude` (the standard tables read by fiscal_tables);
    `table_regions` are tables found by their titles whose rows are read here as grids."""
    exclude = list(exclude)
    excluded = SpanSet(exclude)
    structured = [g for g in doc.grids if not excluded.covers(g.span.start)]
    grids = structured + find_text_grids(doc, [g.span for g in doc.grids] + exclude, space_tables, list(table_regions))
    grids.sort(key=lambda g: g.span.start)
    table_spans = sorted([g.span for g in grids] + exclude + list(table_regions), key=lambda s: s.start)
    narrative, pos = [], 0
    for span in table_spans:
        if span.start > pos:
            narrative.append(Span(pos, span.start))
        pos = max(pos, span.end)
    if pos < len(doc.text):
        narrative.append(Span(pos, len(doc.text)))
    return Segments(grids, narrative)
