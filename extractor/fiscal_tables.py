"""Rebuild the standard tables of 部门预算/决算 disclosures: 收支总表, 收入表, 支出表, 财政拨款收支总表,
一般公共预算支出表 (功能分类 类/款/项), 基本支出表 (经济分类), 三公表, 政府性基金 / 国有资本 tables.

Each table is found by its title ("收入支出决算总表", "2024年部门支出预算总表" …, vocab.TABLE_KINDS),
runs to the next title or the next part of the document, and says its unit once above the
header ("单位：万元"). Rows are read as tokens with their page x positions (PDF, from
pdf_layout) or character columns (text) or cell indexes (docx/xlsx/html grids):

- numbers are assigned to columns by their right edge, since figures are right-aligned; the
  columns are the clusters of those edges, named by the header text standing above them;
- a row's label is the text before its numbers; two-sided tables (收入 | 支出, 经济分类
  301 | 302) have a second label column, found as a second cluster of label positions;
- leading integers before a label are its 功能分类/经济分类 code ("201 06 01", "2010601");
- a line of a few characters under a label with no numbers is the rest of a wrapped label.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import accumulate
from operator import attrgetter
from decimal import Decimal
from typing import Iterable, Optional

from . import vocab
from .quantity import to_decimal
from .records import CellRef, Document, Figure, FiscalColumn, FiscalRow, FiscalTable, Grid, Quantity, Span, SpanSet, Subject, line_stretches
from .subjects import named_subject
from .text import PAGE_NUMBER, fold

TITLE_RE = re.compile(vocab.TABLE_TITLE)
KIND_RES = [(kind, re.compile(p)) for kind, p in vocab.TABLE_KINDS]
UNIT_RE = re.compile(r"(?:金额)?单位[:：]\s*(万元|元|亿元|千元)")
NUMBER_RE = re.compile(r"[-－]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
CJK = re.compile(r"[\u4e00-\u9fff]")
ORDINAL_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[.、．]|[（(][一二三四五六七八九十\d]+[）)])")
CODE_WORDS = re.compile(r"^(类|款|项|类款项)$")
TOTAL_WORDS = re.compile(vocab.TOTAL_ROW_WORDS)
PART_HEADING = re.compile(r"^第[一二三四五六七八九十]+部分")
EMPTY_NOTE = re.compile(vocab.EMPTY_TABLE_NOTE)
TABLE_NOTE = re.compile(r"^\s*(注|说明)[:：\d]")  # a note line under a table


@dataclass
class Token:
    text: str
    start: int  # offset in Document.text
    x0: float
    x1: float

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def is_number(self) -> bool:
        return _is_number(self.text)


@lru_cache(maxsize=16384)  # speed only: every reader of a row asks it of each token, and cell texts recur ("0.00")
def _is_number(text: str) -> bool:
    return NUMBER_RE.fullmatch(text) is not None


@dataclass
class Line:
    start: int
    text: str
    tokens: list[Token]
    page: Optional[int] = None
    y: Optional[float] = None  # baseline height (PDF only)
    # the printed dashes ("-", "—", "／") of its amount cells: zero or not applicable, no token
    # of the row, but not the same as a cell left blank (unknown: a crawler loses cells)
    dashes: list[Token] = field(default_factory=list)

    @property
    def folded(self) -> str:
        # folded once per line (speed only: each reader of a body line asks it, a line's text never changes)
        folded = self.__dict__.get("_folded")
        if folded is None:
            folded = self.__dict__["_folded"] = fold(self.text)
        return folded


# ---- lines and tokens --------------------------------------------------------------------------


# Cells of a grid (docx/xlsx/html) or of a tab-separated line have no print position: a cell's
# index places it, at CELL_PITCH per cell, so the table reader treats them like PDF columns.
CELL_PITCH, CELL_WIDTH = 100.0, 90.0
# "-", "—", "--" in an amount cell: printed for zero or nothing, never a label
BLANK_CELL = re.compile(r"^[-－—–]{1,3}$|^[/／]$")


def _in_a_cell(t: "Token") -> bool:
    """A token placed by its cell index rather than by where it prints."""
    return t.x0 % CELL_PITCH == 0 and t.x1 - t.x0 == CELL_WIDTH


def _placed_by_cell(lines: list[Line]) -> bool:
    """Whether these lines' tokens are placed by cell index (most of them: a stray line such
    as "公开03表" between tables has print columns)."""
    total = sum(len(ln.tokens) for ln in lines)
    if not total:
        return False
    # counted until the answer is known (speed only: a grid's tokens are all placed by cell)
    need = 0.8 * total
    placed = left = 0
    for ln in lines:
        for t in ln.tokens:
            left += 1
            if t.x0 % CELL_PITCH == 0 and t.x1 - t.x0 == CELL_WIDTH:  # _in_a_cell(t), without a call per token (speed only)
                placed += 1
                if placed >= need:
                    return True
            elif placed + total - left < need:
                return False
    return placed >= need


_RUN = re.compile(r"[^\s|｜]+")


def _text_lines(doc: Document, start: int = 0, outside: Optional[SpanSet] = None) -> list[Line]:
    """The lines of the document from `start` (the start of a line) on, but those that start
    inside a span of `outside`, as tokens with x positions: page x for PDF, the cell index for
    a tab-separated line, else the character column (a CJK character counts two, as it prints).
    Each line makes its tokens when first read. (Speed only: the lines before `start` and
    those of the grids are never read, so no line is made for them.)"""
    laid = {ln.start: ln for ln in doc.layout}
    out: list[Line] = []
    text = doc.text
    for a, b in line_stretches(text, start, len(text), outside):
        pos = a
        for raw in text[a:b].split("\n"):
            ln = laid.get(pos)
            page, y = ln.page if ln is not None else None, ln.y if ln is not None and ln.pieces else None
            out.append(_TextLine(pos, raw, ln, page, y))
            pos += len(raw) + 1
    return out


class _TextLine(Line):
    """A line of the document whose tokens are made when first read (speed only: find_tables
    reads the tokens of the lines after a title, and a document with a title in its prose and
    no table would tokenise every line after it for nothing)."""

    def __init__(self, start: int, text: str, laid, page: Optional[int], y: Optional[float]):
        self.start, self.text, self.page, self.y = start, text, page, y
        self._laid = laid
        self.dashes = []  # (filled when the tokens are made)

    @cached_property
    def tokens(self) -> list[Token]:
        return _line_tokens(self.text, self.start, self._laid, self.dashes)


def _line_tokens(raw: str, pos: int, ln, dashes: Optional[list[Token]] = None) -> list[Token]:
    """The tokens of the line `raw` at offset `pos`, `ln` its layout line (PDF) or None; the
    dashes of its cells go to `dashes`."""
    # a tab- or "|"-separated export: cells, not print columns
    tabbed = ln is None and ("\t" in raw or raw.count("|") + raw.count("｜") >= 2)
    if tabbed:
        return _cell_tokens(raw, pos, dashes)
    tokens = []
    columns = None  # display column of each character, for lines without page positions
    for m in _RUN.finditer(raw):  # "|" separates cells in text exports
        if BLANK_CELL.match(m.group()):
            if dashes is not None:
                start = pos + m.start()
                xr = ln.x_range(start, start + len(m.group())) if ln is not None else None
                if xr is None:
                    col = _glyph_units(raw[: m.start()])
                    xr = (float(col * 5), float((col + _glyph_units(m.group())) * 5))
                dashes.append(Token(m.group(), start, xr[0], xr[1]))
            continue
        for piece_text, offset in _split_glued(m.group()):
            start = pos + m.start() + offset
            end = start + len(piece_text)
            xr = ln.x_range(start, end) if ln is not None else None
            if xr is None:
                if columns is None:
                    columns = list(accumulate((2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in raw), initial=0))
                col = columns[m.start() + offset]
                xr = (float(col * 5), float((col + _glyph_units(piece_text)) * 5))
            tokens.append(Token(piece_text, start, xr[0], xr[1]))
    return tokens


# a cell separator, or a run of a cell's text (runs hold no separator: one pass tells both)
_SEPARATOR_OR_RUN = re.compile(r"[\t|｜]|[^\s|｜]+")


def _cell_tokens(raw: str, pos: int, dashes: Optional[list[Token]] = None) -> list[Token]:
    """The tokens of a tab- or "|"-separated line: each run of text placed by the index of its
    cell (the separators before it), as tables_from_grids places grid cells. One pass over the
    line (speed only: the separators before each run are not counted again per run)."""
    if "|" not in raw and "｜" not in raw:
        # tabs only: the cells are the texts between tabs (a run never holds a tab), most of them
        # one run (speed only: no match per separator)
        tokens = []
        at = pos
        for cell, text in enumerate(raw.split("\t")):
            if text:
                x0 = cell * CELL_PITCH
                if _RUN.fullmatch(text):  # one run, no space in it
                    if BLANK_CELL.match(text):
                        pieces = ()
                        if dashes is not None:
                            dashes.append(Token(text, at, x0, x0 + CELL_WIDTH))
                    else:
                        pieces = _split_glued(text)
                else:
                    pieces = _cell_pieces(text)
                    if dashes is not None:
                        dashes.extend(Token(m.group(), at + m.start(), x0, x0 + CELL_WIDTH)
                                      for m in _RUN.finditer(text) if BLANK_CELL.match(m.group()))
                for piece_text, offset in pieces:
                    tokens.append(Token(piece_text, at + offset, x0, x0 + CELL_WIDTH))
            at += len(text) + 1
        return tokens
    tokens = []
    cell = 0
    for m in _SEPARATOR_OR_RUN.finditer(raw):
        run = m.group()
        if run == "\t" or run == "|" or run == "｜":
            cell += 1
            continue
        if BLANK_CELL.match(run):
            if dashes is not None:
                dashes.append(Token(run, pos + m.start(), cell * CELL_PITCH, cell * CELL_PITCH + CELL_WIDTH))
            continue
        at, x0 = pos + m.start(), cell * CELL_PITCH
        for piece_text, offset in _split_glued(run):
            tokens.append(Token(piece_text, at + offset, x0, x0 + CELL_WIDTH))
    return tokens


def _first_title(doc: Document) -> Optional[int]:
    """Where the first line that reads as a table title starts (tables are read from there on)."""
    pos = 0
    for raw in doc.text.split("\n"):
        if "表" in raw and _is_title(Line(pos, raw, [])):  # every title names a 表 (vocab.TABLE_TITLE)
            return pos
        pos += len(raw) + 1
    return None


def _cell_pieces(text: str) -> tuple[tuple[str, int], ...]:
    """The pieces of the runs of one cell's text (a tabbed line's) but blank runs ("-"), each
    with its offset in the text."""
    out: list[tuple[str, int]] = []
    for m in _RUN.finditer(text):
        run = m.group()
        if not BLANK_CELL.match(run):
            at = m.start()
            for piece_text, offset in _split_glued(run):
                out.append((piece_text, at + offset))
    return tuple(out)


GLUED_AMOUNTS = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}")
# amounts carry two decimals; three, five or seven more digits are a 功能/经济分类 code that the
# PDF drew against the amount (two-block tables: 人员经费 | 公用经费 side by side)
CODE_GLUED = re.compile(r"(?:2|3|5)\d{2}(?:\d{2}){0,2}")
DATE_WORD = re.compile(r"[年月日号期届次个人项件万亿元]")
AMOUNT_THEN_CODE = re.compile(r"([-－]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2})((?:2|3|5)\d{2}(?:\d{2}){0,2})")
AMOUNT_RE = re.compile(r"[-－]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)")


_GLUED_PIECE = re.compile(r"[-－]?[\d,.]*\d|[^\d]+?(?=[-－]?\d|$)")
_DIGITS_RUN = re.compile(r"[-－]?[\d,.]+")


@lru_cache(maxsize=16384)  # speed only: the same runs recur line after line ("0.00", labels); a tuple, shared
def _split_glued(token: str) -> tuple[tuple[str, int], ...]:
    """Pieces of a run the PDF drew without a gap: "2,940.05一、一般公共服务支出" is a cell and
    a label, "2,106.662,106.66" two cells; "2024年度" and "（类）" stay as they are."""
    out: list[tuple[str, int]] = []
    for m in _GLUED_PIECE.finditer(token):
        piece = m.group()
        if not piece:
            continue
        glued_code = AMOUNT_THEN_CODE.fullmatch(piece)
        if glued_code:  # "1,274.35302": an amount, then the 经济分类 code of the next block's row
            out.extend([(glued_code.group(1), m.start()), (glued_code.group(2), m.start() + glued_code.start(2))])
            continue
        if _DIGITS_RUN.fullmatch(piece) and piece.count(".") >= 2:
            cells = list(GLUED_AMOUNTS.finditer(piece))
            if cells and cells[0].start() == 0 and all(a.end() == b.start() for a, b in zip(cells, cells[1:])) and cells[-1].end() == len(piece):
                out.extend((c.group(), m.start() + c.start()) for c in cells)
                continue
        out.append((piece, m.start()))
    # only an amount (decimals or thousands) next to text is a cell of its own; any other
    # number next to text belongs to it ("2024年", "第3", "(1)")
    merged: list[tuple[str, int]] = []
    for piece, offset in out:
        # "2210108老旧小区改造": a 科目编码 drawn against its name stays a code of its own
        code_before_name = merged and CODE_GLUED.fullmatch(merged[-1][0]) and CJK.match(piece) and not DATE_WORD.match(piece)
        if merged and not code_before_name and not (AMOUNT_RE.fullmatch(piece) or AMOUNT_RE.fullmatch(merged[-1][0])):
            prev, at = merged[-1]
            merged[-1] = (prev + piece, at)
        else:
            merged.append((piece, offset))
    return tuple(merged)


# ---- titles and extents -------------------------------------------------------------------------


_SELF_EVALUATION = re.compile(r"自评|评价")
_SEE_ALSO = re.compile(r"(详|参|具体)?见")
_TITLE_NUMBER = re.compile(r"^[\d一二三四五六七八九十]+[.、．]")
_ALL_TABLES = re.compile(r"部门(预算|决算)表$")
_COMPILED_BY = re.compile(r"编制(部门|单位)[:：]")
_HEADER_WORDS = re.compile(r"项目|科目|预算数|决算数|合计|金额|小计")


def table_kind(title: str) -> Optional[str]:
    """The standard table a title names, or None (self-evaluation forms are read by tables.py)."""
    t = fold(title)
    if _SELF_EVALUATION.search(t):
        return None
    for kind, pattern in KIND_RES:
        if pattern.search(t):
            return kind
    return None


def _is_title(line: Line) -> bool:
    t = line.folded
    if not t or len(t) > 48 or "…" in t or "..." in t or "。" in t or PART_HEADING.match(t) or _SEE_ALSO.match(t):
        return False
    t = _TITLE_NUMBER.sub("", t)
    return TITLE_RE.match(t) is not None and table_kind(t) is not None and not _ALL_TABLES.search(t)


def _header_like(line: Line) -> bool:
    t = line.folded
    if UNIT_RE.search(t) or _COMPILED_BY.search(t):
        return True
    return len(set(_HEADER_WORDS.findall(t))) >= 2


def _find_titles(lines: list[Line]) -> list[int]:
    """Indexes of table title lines: a title that a unit line or a header follows (a table of
    contents lists the same titles with nothing under them)."""
    out = []
    for i, line in enumerate(lines):
        if "表" not in line.text or not _is_title(line):  # every title names a 表 (vocab.TABLE_TITLE): a cheap first test
            continue
        after = [ln for ln in lines[i + 1 : i + 10] if ln.text.strip()][:5]
        for ln in after:
            if _is_title(ln) or PART_HEADING.match(ln.folded):
                break
            if _header_like(ln) or _is_data(ln):
                out.append(i)
                break
    return out


def _is_prose(line: Line) -> bool:
    t = line.folded
    return len(t) >= 20 and "。" in t and not t.startswith(("注", "说明", "备注"))


# ---- one table ------------------------------------------------------------------------------------


@dataclass
class _Row:
    line: Line
    segments: list["_Segment"] = field(default_factory=list)


@dataclass
class _Segment:
    label: list[Token]
    codes: list[Token]
    numbers: list[Token]

    @property
    def x0(self) -> float:
        first = (self.codes or self.label or self.numbers)[0]
        return first.x0


def _is_code_run(tokens: list[Token]) -> bool:
    texts = [t.text for t in tokens]
    if not texts or not all(_INTEGER.fullmatch(t) for t in texts):
        return False
    if len(texts) == 1:
        return len(texts[0]) in (3, 5, 7)
    # "301 2" is 30102 with its leading zero lost in the PDF
    return len(texts[0]) in (1, 3) and all(len(t) in (1, 2) for t in texts[1:]) and len(texts) <= 3


def code_of(tokens: list[str]) -> str:
    """"201 06 01" -> "2010601"; "301 2" -> "30102"."""
    if len(tokens) == 1:
        return tokens[0]
    return tokens[0] + "".join(t.zfill(2) for t in tokens[1:])


_INTEGER = re.compile(r"\d+")  # (speed only: compiled once, not looked up in re's cache per token)


def _segments(tokens: list[Token]) -> list[_Segment]:
    """A row's tokens as (codes, label, numbers) segments: a label starts a segment, the
    integers just before it are its code, the numbers after it its cells."""
    segs: list[_Segment] = []
    i = 0
    n = len(tokens)
    code_header = None  # "类 款 项" over the codes: asked of the row's tokens only when a label token is one (speed only)
    while i < n:
        # leading integers followed by a label: a code
        j = i
        while j < n and _INTEGER.fullmatch(tokens[j].text):
            j += 1
        codes: list[Token] = []
        if j < n and j > i and not _is_number(tokens[j].text) and _is_code_run(tokens[i:j]):
            codes, i = tokens[i:j], j
        label: list[Token] = []
        while i < n and not _is_number(tokens[i].text):  # (the function, not the property: asked of every token)
            tok = tokens[i]
            # a second label after a wide gap, or one that opens with its own ordinal, is the
            # other half of a two-sided row whose first half has no numbers
            if label and (tok.x0 - label[-1].x1 > 4 * _gap_unit(label[-1]) or ORDINAL_RE.match(tok.text)):
                break
            if CODE_WORDS.match(tok.text):
                if code_header is None:
                    code_header = sum(1 for t in tokens if CODE_WORDS.match(t.text)) >= 2
                if code_header:
                    i += 1
                    continue
            label.append(tok)
            i += 1
        numbers: list[Token] = []
        while i < n and _is_number(tokens[i].text):
            # integers that are the code of the next segment's label
            k = i
            while k < n and _INTEGER.fullmatch(tokens[k].text):
                k += 1
            if k < n and k > i and not _is_number(tokens[k].text) and _is_code_run(tokens[i:k]) and (label or codes or numbers):
                break
            numbers.append(tokens[i])
            i += 1
        if codes or label or numbers:
            segs.append(_Segment(label, codes, numbers))
    return segs


def _gap_unit(tok: Token) -> float:
    """About one glyph's width, measured on the token itself."""
    return (tok.x1 - tok.x0) / max(1, _glyph_units(tok.text)) * 2


@lru_cache(maxsize=16384)  # speed only: asked of a label's every token, and labels recur
def _glyph_units(text: str) -> int:
    """A text's width in half-glyphs: 2 per CJK character, 1 per other character."""
    return sum(2 if CJK.match(c) else 1 for c in text)


def _cluster(values: list[float], tol: float) -> list[list[float]]:
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return groups


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{3,}")  # three or more CJK characters and nothing else


def _glyph(lines: list[Line]) -> float:
    # (a word of CJK characters starts with one: a comparison, not a match, for the figures, speed only)
    widths = [(t.x1 - t.x0) / len(t.text) for ln in lines for t in ln.tokens if "\u4e00" <= t.text[:1] <= "\u9fff" and _CJK_WORD.fullmatch(t.text)]
    widths.sort()
    return widths[len(widths) // 2] if widths else 10.0


def _read_table(title: Line, body: list[Line], kind: str) -> Optional[FiscalTable]:
    unit_line = next((ln for ln in body[:6] if UNIT_RE.search(ln.folded)), None)
    unit = UNIT_RE.search(unit_line.folded).group(1) if unit_line else None
    notes = []
    rows_lines = []
    for ln in body:  # (one pass for both, speed only: a note line is never a row line)
        text = ln.text
        if TABLE_NOTE.match(text):
            notes.append((text.strip(), Span(ln.start + len(text) - len(text.lstrip()), ln.start + len(text.rstrip()))))
        elif ln is not unit_line and text.strip() and not PAGE_NUMBER.match(text) and not ("制" in text and _COMPILED_BY.search(ln.folded)):
            rows_lines.append(ln)  # (编制… names 制, which folding keeps: a cheap first test)
    glyph = _glyph(body + [title])
    # the header is what stands above the first line with a code or an amount
    first_data = next((k for k, ln in enumerate(rows_lines) if _is_data(ln)), None)
    if first_data is None:
        return _empty_table(title, body, kind, unit, notes)
    header, data = rows_lines[:first_data], _without_repeated_headers(rows_lines[first_data:])
    _align_pages(data, glyph)
    by_cell = _placed_by_cell(data)  # (asked once: restoring lost cells shifts tokens by whole cells, which keeps them placed by cell)
    if by_cell:
        _restore_lost_cells(data)
        _align_sub_headings(header, data)
    rows = [_Row(ln, _line_segments(ln)) for ln in data]
    rows = [r for r in rows if r.segments and not (not any(s.numbers for s in r.segments) and _is_header_repeat(r.line))]  # (figures first: the cheap test)
    rows = [r for r in rows if not _is_numbering_row(r)]
    # label columns: where labels start; two well-separated clusters make a two-sided table
    label_x = [s.x0 for r in rows for s in r.segments if s.label or s.codes]
    label_cols = [g for g in _cluster(label_x, 3 * glyph) if len(g) >= max(2, len(rows) // 6)]
    label_starts = sorted(min(g) for g in label_cols) or [0.0]
    label_starts = _two_sides(label_starts, rows, header)
    # numeric columns: clusters of right edges
    edges = [t.x1 for r in rows for s in r.segments for t in s.numbers]
    groups = _merge_exclusive(_cluster(edges, 0.9 * glyph), rows, 2.5 * glyph)
    if by_cell and kind == "三公表":
        # each cell of a 三公 table is an item: one printed as a dash in every row still has its
        # column (a stated zero, which tells the item is not left blank)
        dashed = sorted({d.x1 for r in rows for d in r.line.dashes} - set(edges))
        if dashed:
            groups = sorted(groups + [[x] for x in dashed])
    # where each column's figures start: one pass over the numbers, each put in its group by
    # bisection (speed only: not a scan of every number for each group). Groups are clusters of
    # the sorted edges, so they do not overlap and each edge lies in the last one starting at or before it.
    firsts = [g[0] for g in groups]
    lows: dict[int, float] = {}
    for r in rows:
        for s in r.segments:
            for t in s.numbers:
                n = bisect_right(firsts, t.x1) - 1
                if n >= 0 and t.x1 <= groups[n][-1] and (n not in lows or t.x0 < lows[n]):
                    lows[n] = t.x0
    columns: list[FiscalColumn] = []
    for n, g in enumerate(groups):
        lo = lows[n] if n in lows else g[-1] - CELL_WIDTH  # (a column of dashes only, placed by cell)
        side = max((k for k, x in enumerate(label_starts) if x <= lo), default=0)
        columns.append(FiscalColumn("", side, lo, g[-1]))
    for column, name in zip(columns, _column_names(header, columns, glyph, by_cell)):
        column.name = name
    # the column of each number, found once (speed only: _numbering_columns asked it per column)
    right_edges = [c.x1 for c in columns]
    column_at = {id(t): _column_of(t, right_edges) for r in rows for s in r.segments for t in s.numbers}
    numbering = _numbering_columns(columns, rows, column_at)
    out_rows: list[FiscalRow] = []
    last_by_side: dict[int, FiscalRow] = {}
    pending: dict[int, list[Token]] = {}  # the first line of a label wrapped above its row
    scale = _scale(unit)  # (once per table, not per cell)
    one_side = len(label_starts) == 1  # every segment on side 0 (no call per segment, speed only)
    for n, r in enumerate(rows):
        segs = r.segments
        dashed = _dash_cells(r, columns, right_edges, numbering, glyph, by_cell) if r.line.dashes else {}
        for s in segs:
            side = 0 if one_side else _side_of(s, label_starts, glyph)
            if not s.numbers and not s.codes and s.label and _fragment(s):
                prev = last_by_side.get(side)
                if prev is not None and _continues_label(s, prev, glyph) and not _closer_below(rows, n, prev):
                    prev.label += "".join(t.text for t in s.label)
                    prev.label_span = Span(prev.label_span.start, s.label[-1].end) if prev.label_span else prev.label_span
                    continue
                if _closer_below(rows, n, prev):
                    pending.setdefault(side, []).extend(s.label)  # a cell centred on two lines
                    continue
            if side in pending and (s.codes or s.numbers):
                if s.label and TOTAL_WORDS.fullmatch(fold("".join(t.text for t in s.label))):
                    # "年初结转和结余" left blank above "总计 307.82": a total's label is whole in
                    # itself, so the line above is a blank row of its own, not the total's first line
                    head = pending.pop(side)
                    out_rows.append(FiscalRow("".join(t.text for t in head), Span(head[0].start, head[-1].end), None, side, {},
                                              Span(head[0].start, head[-1].end)))
                else:
                    s.label = pending.pop(side) + s.label
            cells: dict[int, Quantity] = {}
            for t in s.numbers:
                k = column_at[id(t)]
                if k is not None and k not in cells and k not in numbering:
                    # a cell's amount (no call per cell, speed only)
                    value, decimals = _cell_value(t.text)
                    cells[k] = Quantity(value, "元", scale, None, decimals, t.text, Span(t.start, t.start + len(t.text)))
            label = "".join([t.text for t in s.label])  # (a list, not a generator resumed per token: speed only)
            code = code_of([t.text for t in s.codes]) if s.codes else None
            if not label and not code and not cells:
                continue
            for k, d in dashed.get(id(s), {}).items():
                if k not in cells:
                    cells[k] = Quantity(Decimal(0), "元", scale, None, 0, d.text, Span(d.start, d.end))
            label_span = Span(s.label[0].start, s.label[-1].end) if s.label else None
            tokens = s.codes + s.label + s.numbers
            row = FiscalRow(label, label_span, code, side, cells, Span(min(map(_START, tokens)), max([t.start + len(t.text) for t in tokens])))
            out_rows.append(row)
            last_by_side[side] = row
    if numbering:  # drop the 行次 columns and renumber the cells of the others
        kept = [k for k in range(len(columns)) if k not in numbering]
        new_index = {old: new for new, old in enumerate(kept)}
        columns = [columns[k] for k in kept]
        for row in out_rows:
            row.cells = {new_index[k]: q for k, q in row.cells.items() if k in new_index}
    span = Span(title.start, max(ln.start + len(ln.text) for ln in body) if body else title.start + len(title.text))
    table = FiscalTable(
        title=title.text.strip(), title_span=Span(title.start + len(title.text) - len(title.text.lstrip()), title.start + len(title.text.rstrip())),
        kind=kind, scale=_scale(unit), unit_stated=unit is not None, columns=columns, rows=out_rows, notes=notes, span=span,
        sides=_side_names(header, len(label_starts)),
    )
    return table


# (speed only: a row's extent is read without a generator per row, and its end without a call of Token.end per token)
_START = attrgetter("start")


def _dash_cells(row: _Row, columns: list[FiscalColumn], right_edges: list[float], numbering: set[int], glyph: float,
                by_cell: bool) -> dict[int, dict[int, Token]]:
    """id(segment) -> column -> the dash printed in that cell of the row: a dash stands in the
    column whose figures it stands over (in a grid, the column of its cell), and belongs to the
    segment (side) it stands right of."""
    out: dict[int, dict[int, Token]] = {}
    segs = row.segments
    for d in row.line.dashes:
        k = _column_of(d, right_edges)
        if k is None or k in numbering:
            continue
        c = columns[k]
        if by_cell and d.x1 != c.x1 or not by_cell and (d.x1 < c.x0 - glyph or d.x0 > c.x1 + glyph):
            continue  # over no column with figures
        seg = next((sg for sg in reversed(segs) if sg.x0 <= d.x0), segs[0])
        out.setdefault(id(seg), {}).setdefault(k, d)
    return out


def _align_pages(data: list[Line], glyph: float) -> None:
    """pypdf measures x from the leftmost text of each page, so a table that runs over a page
    break has its columns shifted on the next page. Shift each later page by the offset that
    lines up most of its numbers' right edges with the first page's."""
    pages = [ln.page for ln in data if ln.page is not None]
    if len(set(pages)) <= 1:
        return
    def edges(page: int) -> list[float]:
        return [t.x1 for ln in data if ln.page == page for t in ln.tokens if t.is_number]

    reference = edges(pages[0])
    for page in dict.fromkeys(pages[1:]):
        if page == pages[0]:
            continue
        diffs = sorted(r - e for r in reference for e in edges(page))
        best: list[float] = []
        for group in _cluster(diffs, glyph / 3):
            if len(group) > len(best):
                best = group
        if not best:
            continue
        shift = sum(best) / len(best)
        if abs(shift) < glyph / 3:
            continue
        for ln in data:
            if ln.page == page:
                for t in ln.tokens + ln.dashes:
                    t.x0 += shift
                    t.x1 += shift


def _cell_count(line: Line) -> int:
    return line.text.count("\t") + line.text.count("|") + line.text.count("｜") + 1


def _restore_lost_cells(data: list[Line]) -> None:
    """A tab-separated row that lost its leading empty cell(s) in the export has its cells one
    or more places to the left ("11⇥⇥十一、城乡社区支出⇥37⇥868.09" in a 项目|行次|金额 ×2
    table). Move such a short row right by the shift that best puts its labels in the label
    cells and its numbers in the number cells of the full-width rows; a row that fits as it
    stands (trailing cells lost instead) stays."""
    count_of = {id(ln): _cell_count(ln) for ln in data}  # each line's cells, counted once (speed only)
    counts = [count_of[id(ln)] for ln in data if ln.tokens]
    if not counts:
        return
    full = max(set(counts), key=lambda n: (counts.count(n), n))
    # the short rows (speed only: found first, so that a table with none, as most grids, reads no
    # further; moving one row's tokens changes no other row)
    short = [ln for ln in data if count_of[id(ln)] < full and ln.tokens and all(_in_a_cell(t) for t in ln.tokens)]
    if not short:
        return
    kinds: dict[int, list[int]] = {}  # cell -> [labels, numbers] over the full-width rows
    for ln in data:
        if count_of[id(ln)] != full:
            continue
        for t in ln.tokens:
            if _in_a_cell(t):
                kinds.setdefault(int(t.x0 // CELL_PITCH), [0, 0])[t.is_number] += 1

    def fit(line: Line, shift: int) -> int:
        score = 0
        for t in line.tokens:
            seen = kinds.get(int(t.x0 // CELL_PITCH) + shift)
            if seen is None or seen[0] == seen[1]:
                continue
            score += 1 if (seen[1] > seen[0]) == t.is_number else -1
        return score

    for ln in short:
        lost = full - count_of[id(ln)]
        best = max(range(lost + 1), key=lambda s: (fit(ln, s), -s))
        if best:
            for t in ln.tokens + ln.dashes:
                t.x0 += best * CELL_PITCH
                t.x1 += best * CELL_PITCH


def _align_sub_headings(header: list[Line], data: list[Line]) -> None:
    """A header row under a row of parent headings that lost blank cells in the export
    ("合计|因公出国（境）费|公务用车购置及运行费|||公务接待费" over "|小计|公务用车购置费|公务用车运行费|",
    a cell short of the rows with figures) puts its sub-headings under the wrong parents. Move
    it right by the one shift that puts each sub-heading under a parent spanning several
    cells, the parent's first sub-heading under the parent's own cell; a row that fits as it
    stands, or in more than one way, or in none, stays."""
    counts = [_cell_count(ln) for ln in data if ln.tokens]
    if not counts or len(header) < 2:
        return
    full = max(set(counts), key=lambda n: (counts.count(n), n))
    for upper, lower in zip(header, header[1:]):
        lost = full - _cell_count(lower)
        if lost <= 0 or _cell_count(upper) != full or not lower.tokens or not upper.tokens \
                or not all(_in_a_cell(t) for t in upper.tokens + lower.tokens):
            continue
        parents = sorted({int(t.x0 // CELL_PITCH) for t in upper.tokens})
        subs = sorted({int(t.x0 // CELL_PITCH) for t in lower.tokens})
        fits = [s for s in range(lost + 1) if _under_parents(parents, [c + s for c in subs], full)]
        if len(fits) == 1 and fits[0]:
            for t in lower.tokens:
                t.x0 += fits[0] * CELL_PITCH
                t.x1 += fits[0] * CELL_PITCH


def _under_parents(parents: list[int], cells: list[int], width: int) -> bool:
    """Whether sub-headings in `cells` stand under parents (`parents`: the cells of the row above
    that hold a heading; each spans the blank cells after it) as sub-headings do: only under a
    parent that spans several cells, and side by side from the parent's own cell on."""
    if not cells or cells[0] < parents[0] or cells[-1] >= width:
        return False
    ends = parents[1:] + [width]
    for start, end in zip(parents, ends):
        under = [c for c in cells if start <= c < end]
        if under and (end - start < 2 or under != list(range(start, start + len(under)))):
            return False
    return True


def _merge_exclusive(groups: list[list[float]], rows: list[_Row], reach: float) -> list[list[float]]:
    """Neighbouring edge clusters that never share a row are one column whose figures the PDF
    placed a little unevenly."""
    def rows_of(g: list[float]) -> set[int]:
        return {i for i, r in enumerate(rows) for s in r.segments for t in s.numbers if g[0] <= t.x1 <= g[-1]}

    out: list[list[float]] = []
    for g in groups:
        if out and g[0] - out[-1][-1] <= reach and not (rows_of(out[-1]) & rows_of(g)):
            out[-1] = out[-1] + g
        else:
            out.append(g)
    return out


# Row and column numbers of the national layout: "栏次 | 1 | 2 | 3" under the header, and a
# 行次 column beside the labels. They are references, never amounts.
NUMBERING_WORDS = re.compile(r"^(?:栏次|行次|栏号|行号|序号)+$")  # a merged cell repeats: 栏次栏次
BARE_INTEGER = re.compile(r"^\d{1,3}$")


def _is_numbering_row(row: _Row) -> bool:
    """"栏次 | 1 | 2 | 3", or the numbers alone (1 2 3 … counting up) under a wide header."""
    # (asked before the row's numbers are listed, and stopped at the first that is no small integer: most rows fail)
    if not all(BARE_INTEGER.match(t.text) for s in row.segments for t in s.numbers + s.codes):
        return False
    numbers = [t for s in row.segments for t in s.numbers + s.codes]
    labels = [fold("".join(t.text for t in s.label)) for s in row.segments if s.label]  # (after the test: most rows fail it)
    if labels:
        return all(NUMBERING_WORDS.match(x) for x in labels)
    values = [int(t.text) for t in numbers]
    return len(values) >= 3 and values == list(range(values[0], values[0] + len(values)))


def _numbering_columns(columns: list[FiscalColumn], rows: list[_Row], column_at: dict[int, Optional[int]]) -> set[int]:
    """Columns headed 行次, or holding only small integers that count up row by row
    (`column_at`: id of each number token -> its column)."""
    out = set()
    by_column: dict[Optional[int], list[Token]] = {}
    for r in rows:
        for s in r.segments:
            for t in s.numbers:
                by_column.setdefault(column_at[id(t)], []).append(t)
    for k, column in enumerate(columns):
        tokens = by_column.get(k, [])
        if not tokens or not all(BARE_INTEGER.match(t.text) for t in tokens):
            continue
        values = [int(t.text) for t in tokens]
        counting = len(values) >= 3 and all(b > a for a, b in zip(values, values[1:]))
        if re.search(r"行次|栏次|行号|栏号", column.name) or counting:
            out.add(k)
    return out


def _line_segments(line: Line) -> list[_Segment]:
    """The segments of a line's tokens, made once per line (speed only: _find_titles, find_tables
    and _read_table each ask for them). Segmenting looks at the gaps within a line only, so they
    stay right when the whole line is moved (_align_pages, _restore_lost_cells)."""
    segs = line.__dict__.get("_segments")
    if segs is None:
        segs = line.__dict__["_segments"] = _segments(line.tokens)
    return segs


def _is_data(line: Line) -> bool:
    segs = _line_segments(line)
    return any(s.codes or s.numbers for s in segs)


def _without_repeated_headers(lines: list[Line]) -> list[Line]:
    """A table continued on the next page repeats its header, wrapped over two or three lines
    ("本年收入合 | 财政拨款收" then "计 | 入"): drop it, down to the next line with figures."""
    out, in_header = [], False
    for ln in lines:
        if _is_header_repeat(ln) and not any(s.numbers for s in _line_segments(ln)):
            in_header = True
            continue
        if in_header and not _is_data(ln):
            continue
        in_header = False
        out.append(ln)
    return out


_HEADER_REPEAT = re.compile(r"科目(编码|名称)|预算数|决算数|^项目$")  # asked of every row (speed only: compiled once)


def _is_header_repeat(line: Line) -> bool:
    # each heading names 目 or 数, which folding keeps (speed only: most rows name neither and are not folded)
    return ("目" in line.text or "数" in line.text) and bool(_HEADER_REPEAT.search(line.folded))


def _two_sides(starts: list[float], rows: list[_Row], header: list[Line]) -> list[float]:
    """At most two label columns, and two only when the header names both halves (项目 …
    项目, 科目名称 … 科目名称) or many rows carry two labels."""
    if len(starts) <= 1:
        return starts[:1] or [0.0]
    words = [fold(t.text) for ln in header for t in ln.tokens]
    repeated = any(words.count(w) >= 2 for w in ("项目", "科目名称", "经济分类", "科目编码", "收入", "支出"))
    if repeated or _rows_have_two_labels(rows):
        xs = [s.x0 for r in rows for s in r.segments]  # (read once, not again for each start)
        return [starts[0], max(starts[1:], key=lambda x: sum(1 for x0 in xs if abs(x0 - x) < 20))]
    return starts[:1]


def _rows_have_two_labels(rows: list[_Row]) -> bool:
    return sum(1 for r in rows if sum(1 for s in r.segments if s.label) >= 2) >= 3


def _side_of(seg: _Segment, starts: list[float], glyph: float) -> int:
    x = seg.x0
    if len(starts) == 1:
        return 0
    if seg.label or seg.codes:
        return 0 if x < starts[1] - 2 * glyph else 1
    return 0 if x < starts[1] else 1


def _fragment(seg: _Segment) -> bool:
    """A short piece of label with nothing else on its line: half of a wrapped label ("其中：…"
    opens a row of its own, blank or not; a grid cell is never half of one)."""
    text = "".join(t.text for t in seg.label)
    if seg.label and _in_a_cell(seg.label[0]):
        return False
    return len(text) <= 10 and not ORDINAL_RE.match(text) and not TOTAL_WORDS.fullmatch(fold(text)) and not fold(text).startswith("其中")


def _closer_below(rows: list["_Row"], n: int, prev: Optional[FiscalRow]) -> bool:
    """Whether a label-only line stands nearer the data row below it than the one above (a
    cell whose text wraps is centred on the row: its first line sits above the numbers)."""
    line = rows[n].line
    below = next((r.line for r in rows[n + 1 :] if any(s.numbers or s.codes for s in r.segments)), None)
    above = next((r.line for r in reversed(rows[:n]) if any(s.numbers or s.codes for s in r.segments)), None)
    if below is None or line.y is None or below.y is None or below.page != line.page:
        return False
    if above is None or above.y is None or above.page != line.page:
        return prev is None
    return abs(line.y - below.y) < abs(line.y - above.y)


def _continues_label(seg: _Segment, prev: FiscalRow, glyph: float) -> bool:
    text = "".join(t.text for t in seg.label)
    if len(text) > 10 or ORDINAL_RE.match(text) or TOTAL_WORDS.fullmatch(fold(text)):
        return False
    return prev.label_span is not None and not TOTAL_WORDS.fullmatch(fold(prev.label))


def _column_of(tok: Token, edges: list[float]) -> Optional[int]:
    """The column whose right edge is nearest the token's (the first of equals); `edges` are the
    columns' right edges, which rise from column to column (clusters of sorted edges). Speed
    only: found by bisection, not by measuring every column: the distance falls up to the
    token's edge and rises after it, so the nearest is one of the two around it, or an equal
    one further left."""
    if not edges:
        return None
    x = tok.x1
    k = bisect_left(edges, x)
    if k == len(edges) or k > 0 and abs(x - edges[k - 1]) <= abs(x - edges[k]):
        k -= 1
    while k > 0 and abs(x - edges[k - 1]) <= abs(x - edges[k]):
        k -= 1
    return k


# Words of a heading that stands over a group of columns (a merged cell in the original):
# 预算数 | 决算数 over the two halves of a 三公 table, 本年预算数 over 合计 | 基本支出 | 项目支出.
GROUP_WORDS = re.compile(r"^(?:本年|上年|全年)?(?:预算|决算|执行)数?$|^(?:收入|支出)$|^本年(?:支出|收入)$")


def _group_heading(ln: Line, columns: list[FiscalColumn], glyph: float) -> Optional[dict[int, str]]:
    """column -> heading for a header line of group headings only, or None. Each heading is
    centred over its group, so the groups split at the midpoints between headings."""
    if not columns:
        return None
    left = min(c.x0 for c in columns) - 2 * glyph
    tokens = [t for t in ln.tokens if t.x1 > left]
    # one heading alone is as likely a column's own (上年预算数 beside a group) as a group's
    if len(tokens) < 2 or 2 * len(tokens) >= len(columns) or not all(GROUP_WORDS.match(fold(t.text)) for t in tokens):
        return None
    centres = [(t.x0 + t.x1) / 2 for t in tokens]
    bounds = [(a + b) / 2 for a, b in zip(centres, centres[1:])]
    out = {}
    for k, c in enumerate(columns):
        mid = (c.x0 + c.x1) / 2
        out[k] = tokens[sum(1 for b in bounds if mid > b)].text
    return out


def _group_cells(ln: Line, columns: list[FiscalColumn]) -> Optional[dict[int, str]]:
    """The same for a line of cells: an export keeps a merged heading in its first cell and
    leaves the cells it spanned empty ("预算数⇥⇥⇥⇥⇥⇥决算数⇥⇥⇥⇥⇥"), so each heading stands over
    its own cell and the empty ones after it. A column's own heading that spans the header's
    rows stands in the same line ("预算数⇥…⇥决算数⇥…⇥机关运行经费"): it ends the group before it
    and names its own cell only."""
    tokens = sorted(ln.tokens, key=lambda t: t.x0)
    grouping = [GROUP_WORDS.match(fold(t.text)) is not None for t in tokens]
    if len(tokens) < 2 or 2 * len(tokens) >= len(columns) or sum(grouping) < 2 or 2 * sum(grouping) <= len(tokens):
        return None
    out = {}
    for k, c in enumerate(columns):
        over = [n for n, t in enumerate(tokens) if t.x0 <= c.x0]
        if over and (grouping[over[-1]] or tokens[over[-1]].x0 == c.x0):
            out[k] = tokens[over[-1]].text
    return out


# Headings of the label columns, never of a figure column
LABEL_HEADINGS = re.compile(r"^(?:项目|项目名称|科目编码|科目名称|功能分类科目|经济分类科目|类|款|项|单位名称|收入|支出)$")


def _column_names(header: list[Line], columns: list[FiscalColumn], glyph: float, by_cell: bool = False) -> list[str]:
    """The header text above each column, its lines read top to bottom ("本年支出合" + "计").
    A header token goes to every column it stands over. A token over no column (a narrow
    figure under a wide heading, or a heading centred over two sub-columns) goes to the
    nearest column within three glyphs, if any. Cells placed by index name only their own
    column."""
    if not by_cell:
        stacked = _names_over_measure_leaves(header, columns, glyph)
        if stacked is not None:
            return stacked
    names: list[list[list]] = [[] for _ in columns]  # per column, per header line: its headings (Token, or text)
    pad = glyph / 2
    # one column step: the lower median between neighbours on a side (a blank column between
    # two makes a double step; a wide figure that overhangs its column a short one)
    steps = sorted(b.x1 - a.x1 for a, b in zip(columns, columns[1:]) if a.side == b.side and b.x1 > a.x1)
    pitch = steps[(len(steps) - 1) // 2] if steps else None

    def right_of(t: Token, c: FiscalColumn) -> bool:
        """A printed heading narrower than a column step whose middle stands right of the
        column's right-aligned figures heads the column beside it, one left blank (决算
        因公出国（境） with no figures): it does not name this one."""
        if pitch is None or _in_a_cell(t) or t.x1 - t.x0 >= pitch:
            return False
        return (t.x0 + t.x1) / 2 > c.x1 + glyph

    columns_at: dict[float, list[int]] = {}  # x0 -> the columns starting there (speed only: not every column per cell)
    for k, c in enumerate(columns):
        columns_at.setdefault(c.x0, []).append(k)
    for ln in header:
        parts: dict[int, list[str]] = {}
        near: dict[int, tuple[float, str]] = {}
        line_by_cell = by_cell and re.search(r"[\t|｜]", ln.text) is not None and _placed_by_cell([ln])
        if by_cell and not line_by_cell:
            continue  # a line of free text above a grid ("单位：万元") names no column
        standing: set[int] = set()  # columns a heading of this line truly stands over
        groups = _group_heading(ln, columns, glyph) if not line_by_cell else _group_cells(ln, columns)
        if groups is not None:
            for k, text in groups.items():
                names[k].append([text])
            continue
        for t in ln.tokens:
            if line_by_cell:
                for k in columns_at.get(t.x0, ()):
                    parts.setdefault(k, []).append(t)
                continue
            # figures are right-aligned: a column's header may start left of its numbers
            overlap = {k: min(t.x1, c.x1) - max(t.x0, c.x0 - 2 * pad) for k, c in enumerate(columns)}
            over = [k for k, v in overlap.items() if v > 0]
            if len(over) > 1:
                # a heading centred over its own column grazes the next one's edge: it names the
                # column it mostly stands over; one spanning several (本年预算数 over 合计 |
                # 基本支出 | 项目支出) names each it covers well
                best = max(over, key=lambda k: overlap[k])
                width = max(t.x1 - t.x0, 1.0)
                if overlap[best] >= 0.6 * width:
                    over = [best]
                else:
                    over = [k for k in over if overlap[k] >= 0.3 * min(width, columns[k].x1 - columns[k].x0 + 2 * pad)]
            # a heading over a column with no figures (决算 因公出国 left blank) only grazes its
            # neighbour's widened edge: it does not name a column that has its own heading here
            over = [k for k in over if not (k in standing and min(t.x1, columns[k].x1) - max(t.x0, columns[k].x0) < 0.5 * (t.x1 - t.x0))]
            over = [k for k in over if not right_of(t, columns[k])]
            for k in over:
                parts.setdefault(k, []).append(t)
                if min(t.x1, columns[k].x1) - max(t.x0, columns[k].x0) > 0:
                    standing.add(k)
            if over or not columns:
                continue
            gaps = [(max(0.0, t.x0 - c.x1, c.x0 - t.x1), k) for k, c in enumerate(columns)]
            gap, k = min(gaps)
            # within reach of two columns (a wide figure overhangs its cell to the left): the
            # one whose figures it stands over or left of
            reach = [k for g, k in gaps if g <= 3 * glyph]
            if len(reach) > 1:
                k = min(reach, key=lambda k: _off_centre(t.x0, t.x1, columns[k]))
                gap = gaps[k][0]
            if gap <= 3 * glyph and not right_of(t, columns[k]) and (k not in near or gap < near[k][0]):
                near[k] = (gap, t)
        if not parts and not line_by_cell:
            # "项目 | 预算数 | 决算数" centred far from right-aligned figures: one heading per
            # column, in order, when the line has exactly as many headings as there are columns
            # cells of the printed line: split at "|" or at a wide gap ("项 目" is one cell)
            cells = [c for c in re.split(r"\s*[|｜]\s*|\s{2,}|\t", ln.text.strip()) if c.strip()]
            headings = [c for c in cells if not LABEL_HEADINGS.match(fold(c))]
            if columns and len(headings) == len(columns) and _between_neighbours(ln, columns):
                parts = {k: [c] for k, c in enumerate(headings)}
                near = {}
        for k in range(len(columns)):
            if k in parts:
                names[k].append(parts[k])
            elif k in near:
                names[k].append([near[k][1]])
    if pitch is not None and not by_cell:
        _one_heading_each(names, columns, _header_stacks(header, glyph, pitch), pitch)
    return ["".join(p.text if isinstance(p, Token) else p for line in parts for p in line) for parts in names]


def _names_over_measure_leaves(header: list[Line], columns: list[FiscalColumn], glyph: float) -> Optional[list[str]]:
    """Names for a header whose lowest line prints one measure per cell (预算数 | 决算数 | 预算数 …)
    under item headings, each centred over the cells it spans (合计 over a 预算数/决算数 pair,
    公务用车购置及运行费 over three pairs, the table's own heading over all). Figures stand under
    few of these cells, and a heading centred over a pair stands over neither figure, so the
    columns are the cells of the lowest line: each heading above spans the smallest run of cells
    centred under it that takes in whole the runs of the headings below it, and a column is
    named by the headings over its cell, top down, then its measure. None for any other header."""
    lines = [ln for ln in header if ln.tokens]
    if len(lines) < 2 or not columns or any(c.side for c in columns):
        return None
    leaves = sorted(lines[-1].tokens, key=lambda t: t.x0)
    words = [fold(t.text) for t in leaves]
    if len(leaves) < 4 or len(leaves) < len(columns) or len(set(words)) < 2 or not all(GROUP_WORDS.match(w) for w in words):
        return None
    centres = [(t.x0 + t.x1) / 2 for t in leaves]
    steps = sorted(b - a for a, b in zip(centres, centres[1:]))
    step = steps[len(steps) // 2]
    if step <= 0:
        return None
    bounds = [(a + b) / 2 for a, b in zip(centres, centres[1:])]
    edges = [centres[0] - step / 2] + bounds + [centres[-1] + step / 2]  # cell k runs from edges[k] to edges[k + 1]
    # each column's figures are right-aligned in one cell: right of its measure's middle, left of the next's
    slot_of = []
    for c in columns:
        k = sum(1 for b in bounds if c.x1 > b)
        if c.x1 <= centres[k] or k in slot_of:
            return None
        slot_of.append(k)
    # headings above: a heading wrapped over lines is one (因公出国 / （境）费)
    stacks = _header_stacks(lines[:-1], glyph, step)
    order = {id(t): n for n, ln in enumerate(lines[:-1]) for t in ln.tokens}
    headings, seen = [], set()
    for ln in lines[:-1]:
        for t in ln.tokens:
            stack = stacks[id(t)]
            if id(stack) in seen or LABEL_HEADINGS.match(fold(t.text)):
                continue
            seen.add(id(stack))
            pieces = sorted(stack, key=lambda x: (order[id(x)], x.x0))
            headings.append((max(order[id(x)] for x in pieces), "".join(x.text for x in pieces),
                             (min(x.x0 for x in pieces) + max(x.x1 for x in pieces)) / 2))
    placed: list[tuple[int, int, int, str]] = []  # (first cell, last cell, line, text)
    n = len(leaves)
    for level, text, middle in sorted(headings, key=lambda h: -h[0]):  # the lowest line first
        runs = []
        for i in range(n):
            for j in range(i, n):
                off = abs((edges[i] + edges[j + 1]) / 2 - middle)
                if off > 0.4 * step:
                    continue
                # runs nest: each run placed below lies apart from this one or inside it, never the same
                if all(b < i or a > j or (i <= a and b <= j and (a, b) != (i, j)) for a, b, _l, _t in placed):
                    runs.append((j - i, off, i, j))
        if not runs:
            continue
        # the runs centred under it (a run's middle moves by half a cell at a time): the smallest,
        # but a heading alone on the top line over a run centred on the whole table spans it all
        best = min(off for _w, off, _i, _j in runs)
        runs = [r for r in runs if r[1] <= best + step / 8]
        top = level == 0 and len([h for h in headings if h[0] == 0]) == 1
        _w, _o, i, j = max(runs) if top and max(runs)[2:] == (0, n - 1) else min(runs)
        placed.append((i, j, level, text))
    names = []
    for k in slot_of:
        over = sorted((level, text) for i, j, level, text in placed if i <= k <= j)
        names.append("".join(text for _level, text in over) + leaves[k].text)
    return names


def _between_neighbours(ln: Line, columns: list[FiscalColumn]) -> bool:
    """Whether the headings of a line, taken in order, each stand between the figures of the
    columns either side of theirs: "小计 购置费 运行费" under 公务用车购置及运行费 are as many as
    the columns with figures when the others are left blank, but stand over none of them."""
    toks = [t for t in ln.tokens if not LABEL_HEADINGS.match(fold(t.text))]
    if len(toks) != len(columns):
        return True  # headings not printed one token each ("项 目"): nothing to place them by
    for k, t in enumerate(toks):
        middle = (t.x0 + t.x1) / 2
        if k and middle <= columns[k - 1].x1 or k + 1 < len(columns) and middle >= columns[k + 1].x0:
            return False
    return True


def _off_centre(x0: float, x1: float, c: FiscalColumn) -> float:
    """How far a heading's middle stands from its column's figures, counted double to the
    right: headings are centred on the cell and figures right-aligned in it, so a column's
    own heading stands over its figures or left of them."""
    h, middle = (x0 + x1) / 2, (c.x0 + c.x1) / 2
    return 2 * (h - middle) if h > middle else middle - h


def _header_stacks(header: list[Line], glyph: float, pitch: float) -> dict[int, list[Token]]:
    """id(token) -> the tokens of its heading: a heading wrapped over lines ("政府性基金" /
    "预算财政拨" / "款") keeps its middle (centred) or its left edge from line to line. A
    heading wider than a column spans several (公务用车购置及运行费 over 小计 | 购置费 | 运行费)
    and is not wrapped onto the one centred under it."""
    lines = [ln.tokens for ln in header if ln.tokens]
    stacks: dict[int, list[Token]] = {id(t): [t] for toks in lines for t in toks}
    # headings of fewer lines are centred on the same rows, so a wrap may skip a line
    for n, upper in enumerate(lines):
        for a in (a for a in upper if a.x1 - a.x0 < pitch):
            for b in (b for lower in lines[n + 1 : n + 4] for b in lower):
                same = abs((a.x0 + a.x1) - (b.x0 + b.x1)) / 2 <= glyph / 2 or abs(a.x0 - b.x0) <= glyph / 2
                if same and stacks[id(a)] is not stacks[id(b)]:
                    merged = stacks[id(a)] + stacks[id(b)]
                    for t in merged:
                        stacks[id(t)] = merged
    return stacks


def _one_heading_each(names: list[list[list]], columns: list[FiscalColumn], stacks: dict[int, list[Token]], pitch: float) -> None:
    """A column that two narrow headings standing side by side both name has a neighbour left
    blank (no figures, so no column of its own): the 财政拨款收支总表's 政府性基金 | 国有资本经营
    under a wrapped header. Keep the heading centred nearest the figures; a heading right of
    them belongs to the blank column beyond (figures are right-aligned, headings centred)."""
    for k, c in enumerate(columns):
        tokens = [p for line in names[k] for p in line if isinstance(p, Token) and id(p) in stacks]
        heads: dict[int, list[Token]] = {}
        for t in tokens:
            stack = stacks[id(t)]
            if max(x.x1 for x in stack) - min(x.x0 for x in stack) < pitch:
                heads[id(stack)] = stack
        if len(heads) < 2:
            continue
        extents = sorted((min(x.x0 for x in st), max(x.x1 for x in st), key) for key, st in heads.items())
        if any(b[0] < a[1] for a, b in zip(extents, extents[1:])):
            continue  # overlapping: one heading, not two side by side
        keep = min(extents, key=lambda e: _off_centre(e[0], e[1], c))[2]
        drop = {id(t) for key, st in heads.items() if key != keep for t in st}
        names[k] = [[p for p in line if not (isinstance(p, Token) and id(p) in drop)] for line in names[k]]


def _side_names(header: list[Line], sides: int) -> list[str]:
    if sides < 2:
        return []
    words = [fold(t.text) for ln in header for t in ln.tokens]
    if "收入" in words and "支出" in words:
        return ["收入", "支出"]
    return []


@lru_cache(maxsize=16384)  # speed only: cell texts recur ("0.00"); a Decimal never changes, so cells may share one
def _cell_value(text: str) -> tuple[Decimal, int]:
    """A cell's amount as printed ("－1.50"): its value and decimals."""
    return to_decimal(text.replace("－", "-"))


def _scale(unit: Optional[str]) -> Optional[str]:
    return {"万元": "万", "亿元": "亿", "千元": "千"}.get(unit or "万元") if unit != "元" else None


def _empty_table(title: Line, body: list[Line], kind: str, unit: Optional[str], notes) -> FiscalTable:
    end = max((ln.start + len(ln.text) for ln in body), default=title.start + len(title.text))
    return FiscalTable(title.text.strip(), Span(title.start, title.start + len(title.text)), kind, _scale(unit), unit is not None,
                       [], [], notes, Span(title.start, end))


# ---- the document ---------------------------------------------------------------------------------


def find_tables(doc: Document, skip: Iterable[Span] = ()) -> list[FiscalTable]:
    """Every standard table of the document, in order."""
    skip = list(skip)
    first = _first_title(doc)
    if first is None:
        return []
    outside = SpanSet(skip)
    lines = _text_lines(doc, first, outside)  # (a line before the first title is never a title nor under one)
    titles = _find_titles(lines)
    grid_starts = sorted(g.start for g in skip)
    tables: list[FiscalTable] = []
    for n, i in enumerate(titles):
        stop = titles[n + 1] if n + 1 < len(titles) else len(lines)
        body: list[Line] = []
        noted = False  # whether a body line is a note: kept as lines are added, not rescanned per line (speed only)
        for ln in lines[i + 1 : stop]:
            if _ends_table(ln, body, noted):
                break
            body.append(ln)
            noted = noted or TABLE_NOTE.match(ln.text) is not None
        kind = table_kind(lines[i].text)
        region_end = lines[stop].start if stop < len(lines) else len(doc.text)
        # a grid starts under the title (the first grid start after it, found by bisection, is
        # asked before the body's rows are read for data: only beside a grid are they needed)
        after = bisect_right(grid_starts, lines[i].start)
        if after < len(grid_starts) and grid_starts[after] < region_end and not any(_is_data(ln) for ln in body):
            continue  # the title of a grid (docx/xlsx/html): tables_from_grids reads it
        table = _read_table(lines[i], body, kind)
        if table is not None:
            tables.append(table)
    return tables


_SECTION_END = re.compile(r"(情况)?说明$|情况$")


def _ends_table(line: Line, body: list[Line], noted: bool) -> bool:
    """The next part of the document begins: a part heading, prose, a section title, or
    anything but more note after a table's closing note (`noted`: a line of `body` is a note)."""
    text = line.text
    # a part heading names 部分, a section title 说明 or 情况, prose 。, and folding makes none of
    # these characters: a line without them ends no table but after a note (speed only: most
    # rows are not folded here)
    if not noted and "分" not in text and "明" not in text and "况" not in text and "。" not in text:
        return False
    t = line.folded
    if not t:
        return False
    if PART_HEADING.match(t):
        return True
    if noted and not _note_goes_on(body) and not re.match(r"^\s*(注|说明)", line.text):
        return True
    # the line's tokens are looked at last: most lines end with no 说明/情况 (speed only)
    if body and len(t) >= 6 and _SECTION_END.search(t) and not any(tok.is_number for tok in line.tokens):
        return True
    return _is_prose(line) and bool(body) and not _note_goes_on(body)


def _note_goes_on(body: list[Line]) -> bool:
    """A note ("注：…") may run over several lines."""
    last = next((ln for ln in reversed(body) if ln.text.strip()), None)
    return last is not None and re.match(r"^\s*(注|说明)", last.text) is not None and not last.text.rstrip().endswith("。")


_SPACES_ONLY = re.compile(r"[\s]+")  # asked of every cell (speed only: compiled once)


def tables_from_grids(doc: Document, grids: list[Grid]) -> list[FiscalTable]:
    """Standard tables that a docx/xlsx/html file gives as grids: the title is the line just
    above the grid (or the grid's caption or sheet name)."""
    out = []
    for grid in grids:
        before = doc.text[max(0, grid.span.start - 200) : grid.span.start].rstrip("\n").split("\n")
        candidates = [grid.name or ""] + [b for b in reversed(before[-4:]) if b.strip()]
        title_text = next((c for c in candidates if c and table_kind(c) and len(fold(c)) <= 48), None)
        if title_text is None:
            continue
        pos = doc.text.rfind(title_text, 0, grid.span.start) if title_text != grid.name else grid.span.start
        title = Line(max(pos, 0), title_text, [])
        body = []
        # a merged header cell (预算数 over six columns) names each column it spans; in the
        # rows with figures a merged cell is read once
        first_figures = next((r for r, row in enumerate(grid.rows) if any(AMOUNT_RE.fullmatch(c.text.strip()) for c in row)), len(grid.rows))
        for r, row in enumerate(grid.rows):
            texts = {cell.text.strip() for cell in row if not cell.blank} if r < first_figures else set()  # (read above the figures only)
            if r < first_figures and len(texts) == 1 and _is_title(Line(0, next(iter(texts)), [])):
                continue  # the title merged across the sheet's first row names no column
            tokens, dashes = [], []
            for c, cell in enumerate(row):
                if cell.blank or cell.span is None or (cell.carried and r >= first_figures):
                    continue
                if BLANK_CELL.match(cell.text.strip()):
                    at = cell.span.start + len(cell.text) - len(cell.text.lstrip())
                    dashes.append(Token(cell.text.strip(), at, c * CELL_PITCH, c * CELL_PITCH + CELL_WIDTH))
                    continue
                for piece, offset in _grid_cell_pieces(cell.text):
                    tokens.append(Token(piece, cell.span.start + offset, c * CELL_PITCH, c * CELL_PITCH + CELL_WIDTH))
            start = min(map(_START, tokens), default=grid.span.start)
            body.append(Line(start, "\t".join([c.text for c in row]), tokens, dashes=dashes))
        body += _notes_after(doc, grid)
        unit_text = doc.text[max(0, grid.span.start - 200) : grid.span.start]
        m = UNIT_RE.search(fold(unit_text)) or UNIT_RE.search(fold(" ".join(c.text for c in grid.rows[0]))) if grid.rows else None
        if m:
            body.insert(0, Line(grid.span.start, m.group(0), []))
        table = _read_table(title, body, table_kind(title_text))
        if table is not None:
            table.span = Span(min(table.title_span.start, grid.span.start), grid.span.end)
            out.append(table)
    return out


@lru_cache(maxsize=16384)  # speed only: cell texts recur ("0.00"), and each is cut once
def _grid_cell_pieces(text: str) -> tuple[tuple[str, int], ...]:
    """The tokens' texts of a grid cell and their offsets in it: none for a blank cell ("-")."""
    if BLANK_CELL.match(text.strip()):
        return ()
    out = []
    for piece, offset in _split_glued(text):
        if not _SPACES_ONLY.fullmatch(piece):
            out.append((piece.strip(), offset))
    return tuple(out)


def _notes_after(doc: Document, grid: Grid) -> list[Line]:
    """The note lines ("注：本表无数据。") printed under a grid, before anything else: in a text
    table they are body lines; a docx/xlsx/html grid ends before them."""
    out = []
    at = grid.span.end
    for _ in range(3):
        end = doc.text.find("\n", at + 1)
        end = len(doc.text) if end == -1 else end
        line = doc.text[at:end]
        if line.strip():
            if not TABLE_NOTE.match(line):
                break
            lead = len(line) - len(line.lstrip())
            out.append(Line(at + lead, line.strip(), []))
        at = end
    return out


def zero(q: Quantity) -> bool:
    return q.value == Decimal(0)


def dash(q: Quantity) -> bool:
    """A cell that prints a dash: zero or not applicable, stated, where a blank cell (no entry in
    FiscalRow.cells) is unknown."""
    return BLANK_CELL.match(q.text) is not None


# ---- cells as statements ------------------------------------------------------------------------

# A fund table (政府性基金/国有资本经营 收入支出表) gives each 功能分类 row its carry-over, income and
# spending side by side: the columns other than 本年支出 hold other quantities of the row.
FUND_TABLE_COLUMNS = [("年初结转和结余", r"年初.*结转|上年结转"), ("年末结转和结余", r"年末.*结转|结转下年"),
                      ("本年收入", r"本年收入")]
COLUMN_PARTS = [("基本支出", r"基本支出"), ("项目支出", r"项目支出"), ("人员经费", r"人员经费"), ("公用经费", r"公用经费"),
                ("上缴上级支出", r"上缴上级"), ("经营支出", r"经营支出"), ("对附属单位补助支出", r"对附属单位补助")]
COLUMN_SCOPES = [(s, re.compile(p)) for s, p in vocab.SCOPES]
# the leaf heading of a 三公 table column is the end of its joined header text
_MEASURE_END = r"(?:预算数|决算数|预算|决算)?$"
SANGONG_COLUMNS = [
    ("机关运行经费", r"机关运行经费"),
    ("公务用车购置及运行费", r"(?:小计|购置及运行(?:维护)?费)" + _MEASURE_END),
    ("公务用车购置费", r"购置费" + _MEASURE_END),
    ("公务用车运行维护费", r"运行(?:维护)?费" + _MEASURE_END),
    ("因公出国（境）费", r"因公出国.*费" + _MEASURE_END),
    ("公务接待费", r"公务接待费" + _MEASURE_END),
    ("三公经费", r"合计" + _MEASURE_END),
]
# the three 三公 heads: one column (with its parent header) names one of them
SANGONG_HEADS = ("因公出国", "公务用车", "公务接待")
BARE_MEASURE = re.compile(r"(?:预算|决算|执行)数?")
ROW_ITEMS = [
    ("总计", r"^(收入|支出)?总计$"),
    ("收入合计", r"^本年收入(合计)?$|^收入合计$"),
    ("支出合计", r"^本年支出(合计)?$|^支出合计$"),
    ("年初结转和结余", r"年初.*结转.*结余|^上年结转(结余)?$"),  # a budget says 上年结转 / 结转下年
    ("年末结转和结余", r"年末.*结转.*结余|^结转下年$"),
    ("结余分配", r"^结余分配$"),
    ("使用非财政拨款结余", r"非财政拨款结余"),
    ("人员经费", r"^人员经费(合计)?$"),
    ("公用经费", r"^公用经费(合计)?$"),
]
_ROW_ITEM_RES = [(item, re.compile(p)) for item, p in ROW_ITEMS]  # asked of every row (speed only: compiled once)
_ANY_ROW_ITEM = re.compile("|".join(f"(?:{p})" for _, p in ROW_ITEMS))  # matches where one of them does (speed only: most rows name none)
_ROW_ORDINAL = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}[.、．])")
TABLE_TOTAL_ITEM = {"收入表": "收入合计", "支出表": "支出合计", "一般公共预算支出表": "支出合计", "基本支出表": "基本支出",
                    "政府性基金表": "支出合计", "国有资本表": "支出合计", "财政拨款收支总表": "支出合计", "三公表": "三公经费",
                    "机关运行经费表": "机关运行经费", "政府采购表": "政府采购", "项目支出表": "项目支出"}
# Tables whose rows list the lines of one whole (经济分类 items, purchases, projects): their 合计 row
# is that whole, in the columns that hold money (not a 数量 or a rate); a 小计 closes a group of lines.
WHOLE_TABLES = ("机关运行经费表", "政府采购表", "项目支出表")
_MONEY_COLUMN = re.compile(vocab.SUMMED_COLUMN + r"|合计|小计|总计")
_NOT_MONEY_COLUMN = re.compile(vocab.NOT_SUMMED_COLUMN)


def column_measure(name: str, default: Optional[str]) -> Optional[str]:
    t = fold(name)
    if "年初" in t:
        return "年初预算"
    if re.search(r"调整|全年预算", t):
        return "调整预算"
    if re.search(r"决算|执行", t):
        return "决算"
    if re.search(r"预算数|预算$", t) and not re.search(r"(一般公共|经营)预算$", t):
        return "预算"
    return default


def column_period(name: str, year: Optional[str]) -> Optional[str]:
    t = fold(name)
    m = re.search(vocab.YEAR, t)
    if m and m.group(1) != year:
        return m.group(1)
    if re.search(r"上年|上一年", t):
        return str(int(year) - 1) if year else "上年"
    return None


def row_subject(table: FiscalTable, row: FiscalRow, class_codes: dict[str, str]) -> Optional[tuple[str, str]]:
    """(item key, name) of a row: a 功能分类/经济分类 code, a named total, or a 类 by its name."""
    if row.code:
        prefix = "econ" if table.kind == "基本支出表" or row.code.startswith(("3", "5")) and len(row.code) in (3, 5) else "fn"
        return f"{prefix}:{row.code}", f"{row.label}（{row.code}）"
    label = _ROW_ORDINAL.sub("", fold(row.label))  # (after the code: a coded row is named by it)
    if label in ("合计", "小计"):
        if label == "小计" and table.kind in WHOLE_TABLES:
            return None
        item = TABLE_TOTAL_ITEM.get(table.kind)
        if table.kind == "三公表" and label == "小计":
            item = "公务用车购置及运行费"  # as a 小计 column is (SANGONG_COLUMNS): the one item the table breaks down
        if table.kind == "收支总表" or item is None:
            item = "收入合计" if row.side == 0 and table.sides else ("支出合计" if table.sides else item)
        return (item, item) if item else None
    if _ANY_ROW_ITEM.search(label):
        for item, pattern in _ROW_ITEM_RES:
            if pattern.search(label):
                return item, item
    if table.kind == "三公表" and (named := named_subject(label)) is not None and not named.item.startswith("fn:"):
        # a 三公 row names its item, though the 基本支出表 codes the same name (30217 公务接待费)
        return named.item, named.name
    if label in class_codes:
        return f"fn:{class_codes[label]}", f"{label}（{class_codes[label]}）"
    if label.endswith("支出") and any(label == c for c in vocab.FUNCTION_CLASSES):
        return f"fn:{label}", label
    if table.kind in ("收支总表", "财政拨款收支总表") and (row.side == 0 or not table.sides):
        for scope, pattern in COLUMN_SCOPES:
            if pattern.search(label):
                return "收入合计", f"{scope}收入"
    named = named_subject(label)
    if named is not None and not named.item.startswith("fn:"):
        return named.item, named.name  # "机关运行经费", "政府采购" rows of other tables
    return None


def table_figures(table: FiscalTable, doc_kind: Optional[str], year: Optional[str], class_codes: dict[str, str],
                  dashes: bool = False) -> list:
    """Every cell of a table as a statement: subject from its row (and column), scope from the
    table and column, measure and period from the column, with a CellRef for evidence. A dash
    states no figure to compare with the text; `dashes`: the dash cells alone, read the same way."""
    default_measure = {"部门决算": "决算", "部门预算": "预算"}.get(doc_kind or "")
    out = []
    carried_over: set[int] = set()  # sides whose rows now break down 年初结转和结余
    # what each column says, read once per column, not again for each of its cells (speed only)
    read: dict[int, Optional[tuple[Optional[str], Optional[str], Optional[str]]]] = {}
    measured: dict[int, tuple[Optional[str], Optional[str]]] = {}
    whole: dict[int, Optional[str]] = {}  # what the 合计 row of a WHOLE_TABLES table holds in each column
    by_columns = table.kind == "三公表"  # the one kind whose columns may name their cells' item (_read_column)
    two_sided_total = table.kind in ("收支总表", "财政拨款收支总表")
    income_table = table.kind == "收入表"
    for row in table.rows:
        named = row_subject(table, row, class_codes)
        if named and named[0] in ("年初结转和结余", "年末结转和结余"):
            carried_over.add(row.side)
        elif row.side in carried_over and named and named[0] == "收入合计":
            continue  # "一、一般公共预算财政拨款 21.63" (or indented, no ordinal) under 年初结转和结余 is part of the carry-over
        elif named and named[0] in ("总计", "收入合计", "支出合计"):
            carried_over.discard(row.side)
        if named is None and not by_columns:
            continue  # the row names no item and no column does: none of its cells is a figure (speed only)
        # what the row says, once for all its cells (speed only)
        row_item, row_name = named if named else (None, row.label)
        income_row = two_sided_total and named is not None and named[1].endswith("收入")
        for k, q in row.cells.items():
            if dash(q) != dashes:
                continue
            col = table.columns[k]
            if k not in read:
                read[k] = _read_column(table, k)
            if read[k] is None:
                continue
            by_column, part, scope = read[k]
            item, name = row_item, row_name
            if by_column is not None:
                item, name = by_column, by_column
            elif table.kind in WHOLE_TABLES and named and item == TABLE_TOTAL_ITEM[table.kind]:
                if k not in whole:
                    whole[k] = _whole_column(table, k)
                if whole[k] is None:
                    continue
                item = name = whole[k]
                scope = scope or next((s for s, p in COLUMN_SCOPES if p.search(fold(table.title))), None)
            if income_row and item == "收入合计":
                scope = next((s for s, p in COLUMN_SCOPES if p.search(fold(row.label))), scope)
            if income_table and item and item.startswith("fn:"):
                part = "收入"
            if item is None:
                continue
            if part and item in ("支出合计", "基本支出", "总计") and part in ("基本支出", "项目支出", "人员经费", "公用经费"):
                item, part = part, None
                name = item
            shown = name if not scope or item.startswith(("fn:", "econ:")) or name.startswith(scope) else f"{scope}{name}"
            subject = Subject(item, shown, scope, part)
            cell = CellRef(table.title, row.label or "（无行名）", col.name or f"第{k + 1}列")
            if k not in measured:
                measured[k] = column_measure(col.name, default_measure), column_period(col.name, year)
            measure, period = measured[k]
            out.append(Figure(label=f"{row.label}{col.name}", quantity=q, span=q.span,
                              canonical=item if not item.startswith(("fn:", "econ:")) else None,
                              measure=measure, source="table", context="table",
                              period=period, subject=subject, cell=cell))
    return out


def _whole_column(table: FiscalTable, k: int) -> Optional[str]:
    """What the 合计 row of a WHOLE_TABLES table holds in column k: the table's whole in a column
    of money (or its only column), a kind of purchase in a 政府采购 column naming one (货物,
    授予中小企业合同金额), nothing in a column of counts or rates."""
    cname = fold(table.columns[k].name)
    if table.kind == "政府采购表" and cname:
        named = named_subject(cname)
        if named is not None and named.item != "政府采购" and (named.item.startswith("政府采购") or named.item in vocab.BOUNDED_BY):
            return named.item
    alone = sum(1 for c in table.columns if c.side == table.columns[k].side) == 1
    if alone or _MONEY_COLUMN.search(cname) and not _NOT_MONEY_COLUMN.search(cname):
        return TABLE_TOTAL_ITEM[table.kind]
    return None


def _read_column(table: FiscalTable, k: int) -> Optional[tuple[Optional[str], Optional[str], Optional[str]]]:
    """What a column's heading says of its cells: (the 三公 item it names, part, scope), or None
    when its cells are not read."""
    col = table.columns[k]
    cname = fold(col.name)
    if not cname and sum(1 for c in table.columns if c.side == col.side) > 1:
        return None  # an unnamed column beside others: its measure (预算? 决算?) is unknown
    scope = vocab.TABLE_SCOPES.get(table.kind)
    part = by_column = None
    if table.kind == "三公表":
        if sum(1 for word in SANGONG_HEADS if word in cname) > 1:
            return None  # the headers of several columns run together (one cell per line): which item is unknown
        by_column = next((it for it, p in SANGONG_COLUMNS if re.search(p, cname)), None)
        # None: a 三公 table laid out by rows, the row names the item
        # the wide table of a 决算 pairs 预算数 | 决算数 under each item's heading
        paired = {"预算", "决算"} <= {column_measure(c.name, None) for c in table.columns}
        if by_column is None and paired and column_measure(cname, None) == "决算" and BARE_MEASURE.fullmatch(cname):
            # a bare 决算数 closes the pair the column before it opened, whose heading names the item
            before = _read_column(table, k - 1) if k > 0 and table.columns[k - 1].side == col.side else None
            if before is not None and before[0] is not None:
                by_column = before[0]
        after = table.columns[k + 1] if k + 1 < len(table.columns) and table.columns[k + 1].side == col.side else None
        if paired and column_measure(cname, None) is None and after is not None and BARE_MEASURE.fullmatch(fold(after.name)):
            return None  # the first of a pair whose heading lost its 预算数 (space-aligned): which measure is unknown
    else:
        for pname, p in COLUMN_PARTS:
            if re.search(p, cname):
                part = pname
        for sname, p in COLUMN_SCOPES:
            if p.search(cname):
                scope = sname
                break
    if table.kind in ("政府性基金表", "国有资本表"):
        part = next((pname for pname, p in FUND_TABLE_COLUMNS if re.search(p, cname)), part)
    return by_column, part, scope


def class_codes(tables: list[FiscalTable]) -> dict[str, str]:
    """功能分类 names the document's own tables give codes to: "一般公共服务支出" -> "201"."""
    out: dict[str, str] = {}
    for t in tables:
        for r in t.rows:
            if r.code and r.label:
                out.setdefault(fold(r.label), r.code)
    return out


def name_paths(tables: list[FiscalTable]) -> dict[str, str]:
    """"一般公共服务支出/财政事务/行政运行" -> "2010601": the name path of every coded row."""
    names: dict[str, str] = {}
    for t in tables:
        for r in t.rows:
            if r.code and r.label:
                names.setdefault(r.code, fold(r.label))
    out: dict[str, str] = {}
    for code, name in names.items():
        parts = [names.get(code[:n]) for n in (3, 5, 7) if len(code) >= n]
        if all(parts):
            out["/".join(parts)] = code
        out.setdefault(name, code) if len(code) == 3 else None
    return out
