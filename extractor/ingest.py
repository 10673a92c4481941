"""Read a report file (txt / pdf / docx / xlsx / html) into a `Document`.

The format is sniffed from the bytes, never from the extension: reports arrive renamed,
re-saved and mislabelled.  Anything we cannot read becomes a one-line `InputError`; no raw
library exception leaves this module.  Offsets in every Span index `Document.text` exactly.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import os
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Optional

from .errors import InputError
from .limits import DEFAULT_LIMITS, Limits, check_xlsx_sheets, check_zip, read_regular_file
from .records import Cell, Document, Grid, LaidLine, Piece, Span

__all__ = ["read_document", "sniff_format", "decode_text", "Limits", "DEFAULT_LIMITS"]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls / .wps / .et
LEGACY = "旧版 Office/WPS 格式（.doc/.xls/.wps），不支持，请另存为 .docx/.xlsx"
HTML_STARTS = ("<!doctype html", "<html", "<table", "<body", "<meta", "<head")
PLAUSIBLE = re.compile(r"[\s!-~\u00a0-\u024f\u2000-\u206f\u2100-\u27bf\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # C0/C1 except tab, newlines, form feed
CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class _Reading:
    """What one read of one file may use (limits) and what it has to say (notes)."""

    limits: Limits = DEFAULT_LIMITS
    notes: list[str] = field(default_factory=list)


def read_document(path: str | os.PathLike, limits: Limits = DEFAULT_LIMITS, notes: Optional[list[str]] = None) -> Document:
    """Read any supported report file; raise a one-line InputError for anything unreadable or
    over a limit. Only regular files are read. `notes` receives one line per problem found in
    a document that was read all the same (e.g. mixed text encodings)."""
    name = str(path)
    data = read_regular_file(name, limits)
    if not data:
        raise InputError(name, "文件为空 (0 字节)")
    doc = Document(path=name, format="", text="", sha256=hashlib.sha256(data).hexdigest())
    reading = _Reading(limits, notes if notes is not None else [])
    try:
        doc.format = sniff_format(data, name)
        if doc.format in ("docx", "xlsx"):
            with zipfile.ZipFile(io.BytesIO(data)) as book:
                check_zip(name, book, limits)
                if doc.format == "xlsx":
                    check_xlsx_sheets(name, book, limits)
        READERS[doc.format](data, doc, reading)
    except InputError:
        raise
    except RecursionError:
        raise InputError(name, f"无法解析 {doc.format} 文件：结构嵌套过深") from None
    except Exception as e:  # a library choked on a damaged file: say so, in one line
        raise InputError(name, f"无法解析 {doc.format or ''} 文件，可能已损坏 ({_short(e)})") from e
    if not doc.text.strip():
        raise InputError(name, "文件没有可读的文字")
    return doc


def sniff_format(data: bytes, name: str = "") -> str:
    if data.startswith(b"%PDF-") or data[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            members = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile as e:
            raise InputError(name, f"zip 文件已损坏，无法作为 docx/xlsx 打开 ({_short(e)})") from None
        if "word/document.xml" in members:
            return "docx"
        if "xl/workbook.xml" in members:
            return "xlsx"
        raise InputError(name, "不支持的 zip 文件 (既不是 docx 也不是 xlsx)")
    if data.startswith(OLE2_MAGIC):
        raise InputError(name, LEGACY)
    if data[:16].lstrip().startswith(b"{\\rtf"):
        raise InputError(name, "RTF 格式不支持，请另存为 .docx")
    head, _ = decode_text(data[:4096], name, partial=True)
    start = head.lstrip("\ufeff \t\r\n")[:32].lower()  # speed only: the prefixes below are short; lowering 4 KB is not
    if start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise InputError(name, "Excel 2003 XML 表格不支持，请另存为 .xlsx")
    return "html" if start.startswith(HTML_STARTS) else "txt"


# ---------------------------------------------------------------- text decoding

def decode_text(data: bytes, name: str = "", partial: bool = False, notes: Optional[list[str]] = None) -> tuple[str, str]:
    """Return (text with "\\n" line ends, encoding).  `partial` tolerates a cut-off tail.
    A text that mixes UTF-8 and GB18030 lines is decoded line by line, and `notes` gets a line
    saying so."""
    errors = "ignore" if partial else "strict"  # only the sniffer reads a truncated head
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return _checked(data.decode(enc, errors), enc, name)
    if b"\x00" in data:
        # UTF-16 without BOM: ASCII characters (digits, newlines) put their NUL byte always on
        # the same side.  NULs scattered on both sides mean binary data.  Even a long Chinese
        # text has few ASCII characters, so a handful of NULs is enough, provided the result
        # reads as Chinese/ASCII rather than as random code points.
        sample = data[:65536]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        enc = "utf-16-le" if odd > 9 * even else "utf-16-be" if even > 9 * odd else None
        if enc and even + odd >= 2:
            try:
                text = data.decode(enc, errors)
            except UnicodeDecodeError:
                text = ""
            if len(PLAUSIBLE.findall(text)) >= 0.9 * len(text) > 0:
                return _checked(text, enc, name)
        raise InputError(name, "二进制文件，不是报告 (含 NUL 字节)")
    try:
        return _checked(data.decode("utf-8", errors), "utf-8", name)
    except UnicodeDecodeError:
        pass
    mixed = None if partial else _mixed_utf8_gb18030(data, name)
    if mixed is not None:
        text, note = mixed
        if notes is not None:
            notes.append(note)
        return _checked(text, "gb18030+utf-8", name)
    try:  # gb18030 is a superset of GBK and GB2312
        return _checked(data.decode("gb18030", errors), "gb18030", name)
    except UnicodeDecodeError:
        pass
    import charset_normalizer  # last resort: Big5, Shift-JIS, cp1252 …

    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise InputError(name, "无法识别文本编码 (可能是二进制文件)")
    return _checked(str(best), best.encoding, name)


def _mixed_utf8_gb18030(data: bytes, name: str) -> Optional[tuple[str, str]]:
    """Text and a note when some lines are UTF-8 and the others GB18030 (a paragraph pasted
    from another file). GB18030 decodes UTF-8 bytes too, as the wrong characters, so this is
    checked line by line: a line that is valid UTF-8 and holds Chinese characters is UTF-8
    (GBK text forms valid UTF-8 with two or more Chinese characters only by rare accident)."""
    lines = data.split(b"\n")
    utf8: list[int] = []
    other = 0
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            other += 1
            continue
        if len(CJK.findall(decoded)) >= 2:
            utf8.append(i)
        else:
            other += 1
    if not utf8 or not other:
        return None
    wanted = set(utf8)
    try:
        text = "\n".join(ln.decode("utf-8" if i in wanted else "gb18030") for i, ln in enumerate(lines))
    except UnicodeDecodeError:  # the other lines are not GB18030 either
        return None
    minority, rest = ("UTF-8", "GB18030") if len(utf8) <= other else ("GB18030", "UTF-8")
    numbers = [i + 1 for i in utf8] if minority == "UTF-8" else [
        i + 1 for i, ln in enumerate(lines) if i not in wanted and not ln.isascii()]
    shown = "、".join(map(str, numbers[:5])) + (f" 等 {len(numbers)} 行" if len(numbers) > 5 else " 行")
    return text, f"{name}: 文本混用两种编码：第 {shown}是 {minority}，其余是 {rest}；已逐行解码，请核对这些行"


def _checked(text: str, enc: str, name: str) -> tuple[str, str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = len(CONTROL_CHARS.findall(text))
    if controls > max(2, len(text) // 50):
        raise InputError(name, "二进制文件，不是报告 (控制字符过多)")
    return text, enc


def _read_txt(data: bytes, doc: Document, reading: _Reading) -> None:
    doc.text, doc.encoding = decode_text(data, doc.path, notes=reading.notes)


# ---------------------------------------------------------------- text assembly

class _Builder:
    """Appends lines to a growing text and hands back where each piece landed."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.blank = True  # at start or right after an empty line

    def line(self, s: str = "") -> int:
        start = self.pos
        self.parts.append(s + "\n")
        self.pos += len(s) + 1
        self.blank = s == ""
        return start

    def gap(self) -> None:
        """One empty line, never two in a row."""
        if not self.blank:
            self.line()

    def grid(self, rows: list[list[tuple[str, object]]], source: str, name: Optional[str] = None,
             gap_before: bool = True, squeeze: bool = False) -> Grid:
        """Render a table one line per row, cells joined by tab.  Each entry is (text, key): the
        first entry with a given key owns the value; later ones are merged copies, printed as an
        empty field (the value shows once) but in the Grid repeating the owner's text and span.
        Key None means a cell of its own.  `squeeze`: a run of empty rows prints one empty line."""
        if gap_before:
            self.gap()
        owners: dict[object, Cell] = {}
        out: list[list[Cell]] = []
        first = self.pos
        for row in rows:
            if squeeze and out and not any(t for t, _ in row) and not any(c.text for c in out[-1]):
                out.append([Cell("") for _ in row])
                continue
            cells, fields, offset = [], [], self.pos
            for text, key in row:
                if key is not None and key in owners:
                    cells.append(Cell(owners[key].text, owners[key].span, carried=True))
                    fields.append("")
                else:
                    cells.append(Cell(text, Span(offset, offset + len(text)) if text else None))
                    fields.append(text)
                    if key is not None:
                        owners[key] = cells[-1]
                offset += len(fields[-1]) + 1
            self.line("\t".join(fields).rstrip("\t"))
            out.append(cells)
        grid = Grid(out, Span(first, max(first, self.pos - 1)), source, name)
        self.gap()
        return grid

    def text(self) -> str:
        return "".join(self.parts).rstrip("\n")


def _cell_text(s: str) -> str:
    """A cell on one line: inner line breaks and tabs become a single space."""
    return re.sub(r"[ \t]*[\r\n\t][\s]*", " ", s).strip()


# ---------------------------------------------------------------- pdf

def _read_pdf(data: bytes, doc: Document) -> None:
    import logging

    import pypdf

    from .pdf_layout import page_lines

    # pypdf reports damaged files through logging; our one-line errors already say so. (Set
    # here, where pypdf is used, so that a command reading no PDF does not import logging.)
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    reader = pypdf.PdfReader(io.BytesIO(data))
    if reader.is_encrypted and not reader.decrypt(""):  # many reports only set an owner password
        raise InputError(doc.path, "PDF 已加密，需要密码才能打开")
    # Layout mode, not plain: plain mode emits every table cell on its own line, so a table row
    # is lost. Layout mode places text by its x position, which keeps one row per line with
    # columns 2+ spaces apart; `page_lines` also keeps each run's x so that columns can be
    # told apart by position (pdf_layout.py).
    pages, pos = [], 0
    for number, page in enumerate(reader.pages, start=1):
        if pages:
            pos += 1  # the "\n" between pages
        start = pos
        for line in page_lines(page):
            doc.layout.append(LaidLine(pos, line.text, number, [
                Piece(pos + r.col0, pos + min(r.col1, len(line.text)), r.x0, r.x1) for r in line.runs], line.y))
            pos += len(line.text) + 1
        pos = max(start, pos - 1)
        pages.append(Span(start, pos))
    doc.text = "\n".join(ln.text for ln in _join_pages(doc.layout, pages))
    if not doc.text.strip():
        raise InputError(doc.path, "PDF 无文本层（可能是扫描件），需先做 OCR")
    doc.pages = pages


def _join_pages(layout: list[LaidLine], pages: list[Span]) -> list[LaidLine]:
    """Lines of every page in order; an empty page still takes one (empty) line so that page
    spans and line offsets agree."""
    out: list[LaidLine] = []
    for number, span in enumerate(pages, start=1):
        lines = [ln for ln in layout if ln.page == number]
        out.extend(lines or [LaidLine(span.start, "", number)])
    return out


# ---------------------------------------------------------------- docx

def _read_docx(data: bytes, doc: Document, reading: _Reading) -> None:
    import docx
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    word = docx.Document(io.BytesIO(data))
    out = _Builder()

    def walk(parent) -> None:
        for el in parent.iterchildren():
            if el.tag == qn("w:p"):
                for ln in Paragraph(el, word).text.replace("\r", "\n").split("\n"):
                    out.line(ln) if ln.strip() else out.gap()
            elif el.tag == qn("w:tbl"):
                doc.grids.append(out.grid(_docx_rows(el, word, doc.path, reading.limits), "docx"))
            elif el.tag == qn("w:sdt"):  # content controls wrap ordinary paragraphs
                for content in el.iterchildren(qn("w:sdtContent")):
                    walk(content)

    walk(word.element.body)
    doc.text = out.text()


def _docx_rows(tbl, word, path: str, limits: Limits) -> list[list[tuple[str, object]]]:
    """Rows of a <w:tbl> on its layout grid, as python-docx's `_Row.cells` gives them: a cell
    repeated over its horizontal span (gridSpan), and a vertical continuation (vMerge) standing
    for the cell above it. Worked out here in one pass, with every span and the table's size
    checked before the row is built (python-docx looks each continuation up recursively)."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    def number(props, tag: str, default: int) -> int:
        found = props.find(qn(tag)) if props is not None else None
        try:
            return int(found.get(qn("w:val"))) if found is not None else default
        except (TypeError, ValueError):
            return default

    texts: dict[object, str] = {}
    above: dict[int, object] = {}  # grid column -> the cell that owns it in the row above
    rows: list[list[tuple[str, object]]] = []
    total = 0
    for tr in tbl.iterchildren(qn("w:tr")):
        before = max(0, number(tr.find(qn("w:trPr")), "w:gridBefore", 0))
        if before > limits.span:
            raise limits.exceeded(path, f"表格一行前空 {before} 列 (gridBefore)", "span")
        cells: list[tuple[str, object]] = [("", None)] * before
        owners: dict[int, object] = {}
        for tc in tr.iterchildren(qn("w:tc")):
            tc_pr = tc.find(qn("w:tcPr"))
            span = max(1, number(tc_pr, "w:gridSpan", 1))
            if span > limits.span:
                raise limits.exceeded(path, f"表格单元格横跨 {span} 列 (gridSpan)", "span")
            merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
            at = len(cells)
            owner = above.get(at, tc) if merge is not None and merge.get(qn("w:val"), "continue") == "continue" else tc
            total += span + (before if not owners else 0)
            if total > limits.cells:
                raise limits.exceeded(path, "表格单元格过多", "cells")
            if owner not in texts:
                # all paragraphs, those of nested tables included (cell.text skips them)
                texts[owner] = _cell_text("\n".join(Paragraph(p, word).text for p in owner.iter(qn("w:p"))))
            for i in range(span):
                owners[at + i] = owner
            cells.extend([(texts[owner], owner)] * span)
        above = owners
        rows.append(cells)
    return rows


# ---------------------------------------------------------------- xlsx

def _read_xlsx(data: bytes, doc: Document, reading: _Reading) -> None:
    import openpyxl

    limits = reading.limits
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)  # cached formula values
    out = _Builder()
    for ws in book.worksheets:
        out.gap()
        out.line(f"【{ws.title}】")
        values = {}
        # the stored cells only: iter_rows() would make a cell for every position of the
        # sheet's dimension, which a file can declare as all 17 billion
        for (r, c), cell in sorted(ws._cells.items()):
            text = _cell_text(_excel_text(cell.value, cell.number_format))
            if text:
                values[(r, c)] = text
        # a merged range counts when its top-left cell has a value; the used range is the box
        # around the values and those ranges, worked out from their corners before any row
        # of it is built (one cell at XFD1048576 makes a box of 17 billion cells)
        merges = [rng for rng in ws.merged_cells.ranges if (rng.min_row, rng.min_col) in values]
        if not values:
            continue
        r0 = min([r for r, _ in values] + [m.min_row for m in merges])
        r1 = max([r for r, _ in values] + [m.max_row for m in merges])
        c0 = min([c for _, c in values] + [m.min_col for m in merges])
        c1 = max([c for _, c in values] + [m.max_col for m in merges])
        area = (r1 - r0 + 1) * (c1 - c0 + 1)
        if area > limits.cells:
            raise limits.exceeded(
                doc.path, f"工作表「{ws.title}」的数据区 {_xl(r0, c0)}:{_xl(r1, c1)} 有 {area} 个单元格", "cells"
            )
        origin = {}  # (row, col) of every merged position inside the used range -> its top-left
        for rng in ws.merged_cells.ranges:
            for r in range(max(rng.min_row, r0), min(rng.max_row, r1) + 1):
                for c in range(max(rng.min_col, c0), min(rng.max_col, c1) + 1):
                    origin[(r, c)] = (rng.min_row, rng.min_col)
        rows = [[(values.get(origin.get((r, c), (r, c)), ""), origin.get((r, c)))
                 for c in range(c0, c1 + 1)] for r in range(r0, r1 + 1)]
        doc.grids.append(out.grid(rows, "xlsx", ws.title, gap_before=False, squeeze=True))
    doc.text = out.text()


def _xl(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _excel_text(value, fmt: Optional[str]) -> str:
    """What Excel shows for a cell value, for the number formats reports actually use."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):  # datetime included; Excel stores dates as datetimes
        timed = isinstance(value, dt.datetime) and value.time() != dt.time()
        return value.strftime("%Y-%m-%d %H:%M:%S" if timed else "%Y-%m-%d")
    if isinstance(value, (dt.time, dt.timedelta)):
        return str(value)
    if isinstance(value, (int, float)):
        return _format_number(value, fmt or "General")
    return str(value)


def _plain(d: Decimal) -> str:
    s = format(d, "f")  # never scientific notation
    return s.rstrip("0").rstrip(".") if "." in s else s


def _format_number(value: float, fmt: str) -> str:
    # Excel keeps 15 significant digits: 0.1+0.2 shows 0.3 and 86.40000000000001 shows 86.4.
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    d = Decimal(value) if isinstance(value, int) else Decimal(f"{value:.15g}")
    sections = re.findall(r'(?:"[^"]*"|\\.|[^;])+', fmt) or ["General"]
    section = sections[0]
    if d < 0 and len(sections) >= 2:  # the negative section prints its own sign, if any
        section, d = sections[1], -d
    elif d == 0 and len(sections) >= 3:
        section = sections[2]
    literal, pattern, i = [], "", 0  # split the section into literal text and the digit pattern
    while i < len(section):
        ch = section[i]
        if ch == '"':
            j = section.find('"', i + 1)
            j = len(section) if j < 0 else j
            literal.append(section[i + 1 : j])
            i = j
        elif ch in "\\_*":
            if ch == "\\":
                literal.append(section[i + 1 : i + 2])
            i += 1  # _x pads and *x fills with x: nothing a reader would quote
        elif ch == "[":
            i = max(i, section.find("]", i))  # [Red], [$-804] …
        elif ch in "0#?.,":
            if not pattern:
                literal.append("\0")  # where the number goes
            pattern += ch
        elif ch == "%":
            literal.append("%")
            d *= 100
        elif m := re.match(r"general|g/通用格式|@", section[i:], re.I):  # G/通用格式: Chinese Excel
            literal.append("\0")
            pattern = "general"
            i += len(m.group()) - 1
        else:
            literal.append(ch)
        i += 1
    text = "".join(literal)
    if pattern == "general" or not re.search(r"[0#?]", pattern):
        number = _plain(d) if pattern == "general" else ""
        return (text.replace("\0", number) if "\0" in text else text + number).strip()
    int_pat, _, dec_pat = pattern.partition(".")
    most = len(re.findall(r"[0#?]", dec_pat))
    least = dec_pat.count("0")
    q = d.quantize(Decimal(1).scaleb(-most), rounding=ROUND_HALF_UP)
    whole, _, frac = format(abs(q), "f").partition(".")
    frac = frac[: most].ljust(least, "0")
    while len(frac) > least and frac.endswith("0"):
        frac = frac[:-1]
    if "," in int_pat.strip(","):
        whole = f"{int(whole):,}"
    if whole == "0" and "0" not in int_pat:
        whole = ""
    number = ("-" if q < 0 else "") + whole + ("." + frac if frac else "")
    return text.replace("\0", number).strip()


# ---------------------------------------------------------------- html

HTML_DROP = {"script", "style", "noscript", "template", "head"}
HTML_BLOCK = set("p div li ul ol h1 h2 h3 h4 h5 h6 tr section article header footer blockquote pre "
                 "dl dt dd caption center form hr address figure main nav aside tbody".split())


def _read_html(data: bytes, doc: Document, reading: _Reading) -> None:
    from bs4 import BeautifulSoup

    doc.text, doc.encoding = decode_text(data, doc.path, notes=reading.notes)
    soup = BeautifulSoup(doc.text, "lxml")
    out = _Builder()
    bound = _HtmlBound(doc.path, reading.limits)

    def table(tag, depth: int) -> None:
        doc.grids.append(out.grid(_html_rows(tag, bound, depth), "html"))

    _walk_html(soup, lambda ln: out.line(ln), table, bound)
    doc.text = out.text()


@dataclass(frozen=True)
class _HtmlBound:
    path: str
    limits: Limits

    def depth(self, depth: int) -> None:
        if depth > self.limits.depth:
            raise self.limits.exceeded(self.path, "HTML 标签嵌套过深", "depth")


def _walk_html(root, emit: Callable[[str], object], on_table: Optional[Callable] = None,
               bound: Optional[_HtmlBound] = None, depth: int = 0) -> None:
    from bs4 import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction

    buf: list[str] = []

    def flush() -> None:
        line = re.sub(r"[ \t\n\r\f]+", " ", "".join(buf)).strip()
        buf.clear()
        if line:
            emit(line)

    def walk(node, depth: int) -> None:
        if bound is not None:
            bound.depth(depth)
        for child in node.children:
            if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                buf.append(str(child))
            elif child.name in HTML_DROP:
                continue
            elif child.name == "br":
                flush()
            elif child.name == "table" and on_table:
                flush()
                on_table(child, depth + 1)
            elif child.name in ("td", "th"):  # a nested table's cells: keep them apart
                buf.append(" ")
                walk(child, depth + 1)
                buf.append(" ")
            elif child.name in HTML_BLOCK:
                flush()
                walk(child, depth + 1)
                flush()
            else:
                walk(child, depth + 1)

    walk(root, depth)
    flush()


def _html_rows(table, bound: Optional[_HtmlBound] = None, depth: int = 0) -> list[list[tuple[str, object]]]:
    """Rows of `table` (not of tables nested in it) with rowspan/colspan expanded. As in a
    browser, a rowspan ends with the table; each span and the expanded size are checked
    against the limits before the cells are made."""
    limits = bound.limits if bound is not None else DEFAULT_LIMITS
    rows: list[list[tuple[str, object]]] = []
    pending: dict[tuple[int, int], tuple[str, object]] = {}  # filled by a rowspan from above
    trs = [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]
    total = 0
    for r, tr in enumerate(trs):
        row: list[tuple[str, object]] = []
        for td in tr.find_all(["td", "th"], recursive=False):
            while (r, len(row)) in pending:
                row.append(pending.pop((r, len(row))))
            colspan, rowspan = _span_attr(td, "colspan"), _span_attr(td, "rowspan")
            if bound is not None and max(colspan, rowspan) > limits.span:
                raise limits.exceeded(bound.path, f"表格单元格跨 {colspan} 列 {rowspan} 行", "span")
            rowspan = min(rowspan, len(trs) - r)
            total += colspan * rowspan
            if bound is not None and total > limits.cells:
                raise limits.exceeded(bound.path, "表格按跨行跨列展开后单元格过多", "cells")
            lines: list[str] = []
            _walk_html(td, lines.append, None, bound, depth + 1)
            entry = (_cell_text("\n".join(lines)), id(td))
            for _ in range(colspan):
                row.append(entry)
                for dr in range(1, rowspan):
                    pending[(r + dr, len(row) - 1)] = entry
        while (r, len(row)) in pending:
            row.append(pending.pop((r, len(row))))
        rows.append(row)
    return rows


def _span_attr(tag, attr: str) -> int:
    try:
        return max(1, int(str(tag.get(attr, "1")).strip()))
    except ValueError:
        return 1


def _short(e: BaseException) -> str:
    text = " ".join(str(e).split())
    return f"{type(e).__name__}: {text[:160]}" if text else type(e).__name__


READERS = {"txt": _read_txt, "pdf": lambda data, doc, _reading: _read_pdf(data, doc), "docx": _read_docx, "xlsx": _read_xlsx,
           "html": _read_html}
