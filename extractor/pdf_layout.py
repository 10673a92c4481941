"""PDF pages as fixed-width text lines that remember where each piece of text stood.

pypdf's layout mode pads every line so that text stands roughly at its x position, which keeps
a table row on one line with its columns apart. Roughly is not enough for the standard
预决算 tables: a CJK glyph is wider than the fixed character width, so columns drift, and a
number under 基本支出 can look as if it stood under 项目支出. So this module runs the same steps
as pypdf's layout mode (`PageObject._layout_mode_text`) but keeps, for each piece of text, the
page x coordinates where it starts and ends. The text is exactly what pypdf's layout mode
gives (tidied as below); the pieces let the table reader assign cells to columns by position.

The layout-mode helpers live in a private pypdf package; if they are missing or fail on a page,
the page falls back to `extract_text(extraction_mode="layout")` without positions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from math import ceil


@dataclass
class Run:
    """A piece of text on a line: columns col0..col1 of the line, page x0..x1."""

    col0: int
    col1: int
    x0: float
    x1: float


@dataclass
class PageLine:
    text: str
    runs: list[Run] = field(default_factory=list)
    y: float = 0.0  # baseline height on the page (PDF points, larger is higher)


def page_lines(page) -> list[PageLine]:
    """The page's tidied lines with the positions of their runs (none when unknown)."""
    try:
        lines = _positioned_lines(page)
    except Exception:  # a private pypdf API or an odd content stream: keep the text at least
        try:
            raw = page.extract_text(extraction_mode="layout")
        except Exception:
            raw = page.extract_text()
        lines = [PageLine(ln) for ln in (raw or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return tidy_lines(lines)


def _positioned_lines(page) -> list[PageLine]:
    from pypdf._text_extraction import _layout_mode
    from pypdf.generic import ArrayObject, ContentStream, StreamObject

    fonts = page._layout_mode_fonts()
    contents = page.get("/Contents")
    if contents is not None:
        contents = contents.get_object()
    if not isinstance(contents, (ArrayObject, StreamObject)):
        return []
    ops = iter(ContentStream(contents, page.pdf, "bytes").operations)
    bt_groups = _layout_mode.text_show_operations(ops, fonts, True, None)
    if not bt_groups:
        return []
    ty_groups = _layout_mode.y_coordinate_groups(bt_groups, None)
    char_width = _layout_mode.fixed_char_width(bt_groups, 1.25)
    return _fixed_width_lines(ty_groups, char_width)


# pypdf's own limits for blank lines and padding (fixed_width_page)
NEWLINE_LIMIT = 50
WHITESPACE_LIMIT = 200
_CONTROL = str.maketrans(dict.fromkeys(range(14, 32), " "))


def _fixed_width_lines(ty_groups: dict, char_width: float) -> list[PageLine]:
    """pypdf's `fixed_width_page` (space_vertically=True, font_height_weight=1), keeping runs."""
    lines: list[PageLine] = []
    last_y = 0
    for y, line_data in ty_groups.items():
        if lines:
            fh = line_data[0]["font_height"]
            blank = 0 if fh == 0 else int(abs(y - last_y) / fh) - 1
            lines.extend(PageLine("") for _ in range(min(max(blank, 0), NEWLINE_LIMIT)))
        parts: list[str] = []
        runs: list[Run] = []
        length = 0
        last_disp = 0.0
        for op in line_data:
            tx = op["tx"]
            offset = int(tx // char_width) if char_width else length
            needed = offset - length
            if needed > 0 and ceil(last_disp) < int(tx):
                needed = min(needed, WHITESPACE_LIMIT)
                parts.append(" " * needed)
                length += needed
            text = op["text"].translate(_CONTROL)
            parts.append(text)
            if text.strip():
                runs.append(Run(length, length + len(text), tx, op["displaced_tx"]))
            length += len(text)
            last_disp = op["displaced_tx"]
        full = "".join(parts).rstrip()
        if full.strip() or lines:
            lines.append(PageLine(full, [r for r in runs if r.col0 < len(full)], float(y)))
        last_y = y
    return lines


def tidy_lines(lines: list[PageLine]) -> list[PageLine]:
    """Keep what carries meaning in a layout page: the 2+ space gaps between columns, and the
    indentation of lines in a block that has columns (a wrapped cell must stay under its
    column). Drop the rest: trailing spaces, runs of empty lines, the common indent, and the
    indent of narrative lines and titles. Run columns follow the characters they index."""
    lines = [PageLine(ln.text.rstrip(), ln.runs, ln.y) for ln in lines]
    indents = [len(ln.text) - len(ln.text.lstrip(" ")) for ln in lines if ln.text]
    common = min(indents, default=0)
    lines = [_drop_lead(ln, common) for ln in lines]
    out: list[PageLine] = []
    block: list[PageLine] = []
    for ln in lines + [PageLine("")]:
        if ln.text:
            block.append(ln)
            continue
        if block:
            tabular = any(re.search(r"\S {2,}\S", b.text) for b in block)
            out.extend(block if tabular else [_drop_lead(b, len(b.text) - len(b.text.lstrip(" "))) for b in block])
            block = []
        if out and out[-1].text:
            out.append(PageLine(""))
    while out and not out[0].text:
        out.pop(0)
    while out and not out[-1].text:
        out.pop()
    return out


def _drop_lead(line: PageLine, n: int) -> PageLine:
    if n <= 0:
        return line
    runs = [Run(max(r.col0 - n, 0), r.col1 - n, r.x0, r.x1) for r in line.runs if r.col1 > n]
    return PageLine(line.text[n:], runs, line.y)
