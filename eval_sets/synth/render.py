"""Write a Doc as txt (two table layouts, UTF-8 or GBK), PDF, docx or xlsx — byte-for-byte
reproducibly — and read the text back the way a reader would, to check the gold quotes.
"""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

from .model import Block, Doc, Ref, fmt_number

LAYOUTS = ("tab-cells", "tab-rows", "gbk-txt", "pdf", "docx", "xlsx")
EXTENSIONS = {"tab-cells": "txt", "tab-rows": "txt", "gbk-txt": "txt", "pdf": "pdf", "docx": "docx", "xlsx": "xlsx"}
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def cell_text(doc: Doc, cell) -> str:
    return "" if cell.merge_up else doc.render_parts(cell.parts)


# --------------------------------------------------------------------------- txt


def table_as_tab_cells(doc: Doc, b: Block) -> str:
    """Layout (a): one cell per line led by a TAB, continuation lines without, blank line between rows."""
    out = []
    for row in b.rows:
        for c in row:
            lines = cell_text(doc, c).split("\n")
            out.append("\t" + lines[0])
            out.extend(lines[1:])
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def table_as_tab_rows(doc: Doc, b: Block, rng) -> str:
    """Layout (b): one row per line, TAB-separated; a merged continuation row sometimes loses
    its leading empty cell, as rows do in real exports."""
    out = []
    for row in b.rows:
        cells = []
        for c in row:
            cells.append(cell_text(doc, c).replace("\n", ""))
            cells.extend([""] * (c.span - 1))
        if cells and cells[0] == "" and rng.random() < 0.25:
            cells = cells[1:]
        out.append("\t".join(cells))
    return "\n".join(out) + "\n"


def render_text(doc: Doc, table_layout: str, rng) -> str:
    sep = "\n\n" if rng.random() < 0.6 else "\n"
    pieces = []
    for b in doc.blocks:
        if b.kind == "table":
            pieces.append(table_as_tab_cells(doc, b) if table_layout == "tab-cells" else table_as_tab_rows(doc, b, rng))
        else:
            pieces.append(doc.render_parts(b.parts))
    return sep.join(p.rstrip("\n") for p in pieces) + "\n"


# --------------------------------------------------------------------------- pdf

FONT = "STSong-Light"
UNITS = "万元|元|万人次|人次|万人|人|户|个|张|所|平方公里|公里|亩|座|处|场|件|台|套|期|条|份|万头|分"
UNBREAKABLE = re.compile(rf"[≥≤=]?[0-9][0-9.,]*(?:%|{UNITS})?|[A-Za-z×*]+")
_font_registered = False


def _register_font():
    global _font_registered
    if not _font_registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _font_registered = True


def _protected_spans(doc: Doc, parts: list) -> tuple[str, list]:
    """Text of a paragraph and the spans a line break must not split (every printed figure)."""
    text, spans = "", []
    for p in parts:
        piece = p if isinstance(p, str) else doc.text_of(p.slot)
        if isinstance(p, Ref):
            spans.append((len(text), len(text) + len(piece)))
        text += piece
    for m in UNBREAKABLE.finditer(text):
        spans.append((m.start(), m.end()))
    return text, spans


def wrap(text: str, width: float, size: float, spans=()) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = []
    for para in text.split("\n"):
        start = 0
        while start < len(para):
            end, w = start, 0.0
            while end < len(para) and w + stringWidth(para[end], FONT, size) <= width:
                w += stringWidth(para[end], FONT, size)
                end += 1
            if end >= len(para):
                lines.append(para[start:])
                break
            end = max(end, start + 1)
            for s, e in spans:
                if s < end < e:  # would split a figure: break before it, or after it if it fills the line
                    end = s if s > start else e
                    break
            lines.append(para[start:end])
            start = end
        if not para:
            lines.append("")
    return lines


class PdfWriter:
    W, H = 595.27, 841.89
    LEFT, RIGHT, TOP, BOTTOM = 56, 56, 60, 56

    def __init__(self, path: str, title: str):
        from reportlab.pdfgen import canvas

        _register_font()
        self.c = canvas.Canvas(path, pagesize=(self.W, self.H), invariant=1)
        self.c.setTitle(title)
        self.c.setCreator("jixiao-audit eval_sets/generate.py")
        self.width = self.W - self.LEFT - self.RIGHT
        self.y = self.H - self.TOP

    def need(self, h: float):
        if self.y - h < self.BOTTOM:
            self.c.showPage()
            self.y = self.H - self.TOP

    def lines(self, lines, size, leading, indent=0.0, center=False):
        for k, line in enumerate(lines):
            self.need(leading)
            self.y -= leading
            self.c.setFont(FONT, size)
            if center:
                self.c.drawCentredString(self.W / 2, self.y, line)
            else:
                self.c.drawString(self.LEFT + (indent if k == 0 else 0), self.y, line)

    def table(self, doc: Doc, b: Block, gap=8.0):
        texts = [[cell_text(doc, c) for c in row] for row in b.rows]
        # wide tables get a smaller font, so no figure has to overflow into the next column
        for size in (7.0, 6.5, 6.0, 5.5, 5.0):
            least, natural = self._column_widths(b, texts, size)
            if sum(least) + gap * b.ncols <= self.width:
                break
        self._draw_table(b, texts, size, size * 1.45, gap, least, natural)

    def _column_widths(self, b: Block, texts, size):
        from reportlab.pdfbase.pdfmetrics import stringWidth

        def width(t):
            return stringWidth(t, FONT, size)

        # a column is at least as wide as its widest unbreakable figure ("19519.82万元", "≥6000人次")
        least, natural = [18.0] * b.ncols, [18.0] * b.ncols
        for row, trow in zip(b.rows, texts):
            col = 0
            for c, t in zip(row, trow):
                if c.span == 1:
                    tokens = [m.group() for m in UNBREAKABLE.finditer(t)]
                    least[col] = max([least[col]] + [width(x) for x in tokens])
                    natural[col] = max(natural[col], min(max((width(x) for x in t.split("\n")), default=0), 110.0))
                col += c.span
        return least, natural

    def _draw_table(self, b: Block, texts, size, leading, gap, least, natural):
        widths = [max(n, m) for n, m in zip(natural, least)]
        room = self.width - gap * b.ncols
        if sum(widths) > room:
            slack = [w - m for w, m in zip(widths, least)]
            excess = sum(widths) - room
            if sum(slack) >= excess:
                widths = [w - s * excess / sum(slack) for w, s in zip(widths, slack)]
            else:
                widths = [m * room / sum(least) for m in least]
        else:
            widths = [w + (room - sum(widths)) / b.ncols for w in widths]
        widths = [w + gap for w in widths]
        xs = [self.LEFT + sum(widths[:i]) for i in range(len(widths))]
        for row, trow in zip(b.rows, texts):
            cells, col = [], 0
            for c, t in zip(row, trow):
                cw = sum(widths[col:col + c.span]) - gap
                spans = [(m.start(), m.end()) for m in UNBREAKABLE.finditer(t)]
                cells.append((xs[col], wrap(t, cw, size, spans) if t else []))
                col += c.span
            n = max([len(ls) for _, ls in cells] + [1])
            self.need(n * leading + 3)
            for j in range(n):
                self.y -= leading
                # one text object per printed line, cells ended by a space: pypdf misjudges the
                # width of CID-font digits and would otherwise glue "19,843.65" to the next cell
                to = self.c.beginText(self.LEFT, self.y)
                to.setFont(FONT, size)
                x0 = self.LEFT
                line = [(x, ls[j]) for x, ls in cells if j < len(ls) and ls[j]]
                for k, (x, text) in enumerate(line):
                    to.moveCursor(x - x0, 0)
                    x0 = x
                    to.textOut(text + (" " if k < len(line) - 1 else ""))
                self.c.drawText(to)
            self.y -= 3
            self.c.setStrokeGray(0.6)
            self.c.setLineWidth(0.3)
            self.c.line(self.LEFT, self.y + 1.5, self.LEFT + self.width, self.y + 1.5)

    def save(self):
        self.c.save()


def write_pdf(doc: Doc, path: str) -> None:
    title = next(doc.render_parts(b.parts) for b in doc.blocks if b.kind == "title")
    pw = PdfWriter(path, title)
    for b in doc.blocks:
        if b.kind == "title":
            pw.lines(wrap(doc.render_parts(b.parts), pw.width, 14), 14, 24, center=True)
        elif b.kind == "heading":
            pw.lines(wrap(doc.render_parts(b.parts), pw.width, 11), 11, 19)
        elif b.kind in ("para", "note"):
            text, spans = _protected_spans(doc, b.parts)
            size = 10 if b.kind == "para" else 9
            pw.lines(wrap(text, pw.width, size, spans), size, 16)
        elif b.kind == "table":
            pw.y -= 6
            pw.table(doc, b)
    pw.save()


# --------------------------------------------------------------------------- zip normalisation


def normalized_zip(data: bytes, core_time: str) -> bytes:
    """Rewrite an OOXML package with fixed member timestamps and fixed core.xml dates."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            blob = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = blob.decode("utf-8")
                text = re.sub(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)", rf"\g<1>{core_time}\g<3>", text)
                blob = text.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, blob)
    return out.getvalue()


def _vertical_runs(rows):
    """(column, first row, last row) for every cell that later rows merge into (merge_up)."""
    runs = []
    for r, row in enumerate(rows):
        col = 0
        for c in row:
            if c.merge_up and c.span == 1 and r > 0:
                for run in runs:
                    if run[0] == col and run[2] == r - 1:
                        run[2] = r
                        break
                else:
                    runs.append([col, r - 1, r])
            col += c.span
    return runs


# --------------------------------------------------------------------------- docx


def write_docx(doc: Doc, path: str) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for b in doc.blocks:
        if b.kind == "title":
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(doc.render_parts(b.parts))
            run.bold, run.font.size = True, Pt(16)
        elif b.kind == "heading":
            d.add_paragraph().add_run(doc.render_parts(b.parts)).bold = True
        elif b.kind == "para":
            p = d.add_paragraph(doc.render_parts(b.parts))
            p.paragraph_format.first_line_indent = Pt(21)
        elif b.kind == "note":
            d.add_paragraph(doc.render_parts(b.parts))
        elif b.kind == "table":
            t = d.add_table(rows=len(b.rows), cols=b.ncols)
            t.style = "Table Grid"
            for r, row in enumerate(b.rows):
                col = 0
                for c in row:
                    cell = t.cell(r, col)
                    if c.span > 1:
                        cell = cell.merge(t.cell(r, col + c.span - 1))
                    if not c.merge_up:
                        cell.text = cell_text(doc, c)
                    col += c.span
            for col, r0, r1 in _vertical_runs(b.rows):
                top_text = t.cell(r0, col).text
                merged = t.cell(r0, col).merge(t.cell(r1, col))
                merged.text = top_text
    year = doc.meta["year"]
    cp = d.core_properties
    cp.author = cp.last_modified_by = ""
    cp.title = next(doc.render_parts(b.parts) for b in doc.blocks if b.kind == "title")
    cp.created = cp.modified = dt.datetime(year + 1, 3, 1, 9, 0, 0)
    cp.revision = 1
    buf = io.BytesIO()
    d.save(buf)
    with open(path, "wb") as f:
        f.write(normalized_zip(buf.getvalue(), f"{year + 1}-03-01T09:00:00Z"))


# --------------------------------------------------------------------------- xlsx


def _xlsx_value(doc: Doc, cell):
    """A lone number becomes a numeric cell with a display format; anything else is text."""
    if cell.merge_up:
        return None, None
    if len(cell.parts) == 1 and isinstance(cell.parts[0], Ref):
        sid = cell.parts[0].slot
        s, p = doc.slots[sid], doc.printed(sid)
        if p.status == "num" and (p.unit == "%" or not s.show_unit or p.unit == ""):
            if p.unit == "%":
                return float(p.value) / 100, "0" + ("." + "0" * p.dec if p.dec else "") + "%"
            fmt = ("#,##0" if s.commas else "0") + ("." + "0" * p.dec if p.dec else "")
            return (int(p.value) if p.dec == 0 else float(p.value)), fmt
        if p.status == "blank":
            return None, None
    text = cell_text(doc, cell)
    return (text if text else None), None


def write_xlsx(doc: Doc, path: str) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    r = 1
    ncols = max(b.ncols for b in doc.blocks if b.kind == "table")
    for b in doc.blocks:
        if b.kind in ("title", "note"):
            ws.cell(r, 1, doc.render_parts(b.parts))
            if b.kind == "title":
                ws.cell(r, 1).font = Font(bold=True, size=14)
                ws.cell(r, 1).alignment = Alignment(horizontal="center")
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
            r += 1
        elif b.kind == "table":
            top = r
            for row in b.rows:
                col = 1
                for c in row:
                    value, fmt = _xlsx_value(doc, c)
                    cell = ws.cell(r, col)
                    if value is not None:
                        cell.value = value
                    if fmt:
                        cell.number_format = fmt
                    cell.alignment = Alignment(wrap_text=True, vertical="center")
                    if c.span > 1:
                        ws.merge_cells(start_row=r, start_column=col, end_row=r, end_column=col + c.span - 1)
                    col += c.span
                r += 1
            for col, r0, r1 in _vertical_runs(b.rows):
                ws.merge_cells(start_row=top + r0, start_column=col + 1, end_row=top + r1, end_column=col + 1)
            r += 1
    for k in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(k)].width = 16 if k > 1 else 20
    year = doc.meta["year"]
    stamp = dt.datetime(year + 1, 3, 1, 9, 0, 0)
    wb.properties.creator = "jixiao-synth"
    wb.properties.lastModifiedBy = None
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    with open(path, "wb") as f:
        f.write(normalized_zip(buf.getvalue(), f"{year + 1}-03-01T09:00:00Z"))


# --------------------------------------------------------------------------- reading back


def xlsx_display(value, fmt: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    dec = len(fmt.split(".")[1].rstrip("%")) if "." in fmt else 0
    if fmt.endswith("%"):
        return fmt_number(Decimal(repr(value * 100)), dec) + "%"
    return fmt_number(Decimal(repr(value)), dec, commas=fmt.startswith("#,##"))


def extract_text(path: str, layout: str) -> str:
    """The text a reader gets from the file (pypdf for PDFs, cell display text for xlsx)."""
    if layout in ("tab-cells", "tab-rows"):
        return open(path, encoding="utf-8").read()
    if layout == "gbk-txt":
        return open(path, encoding="gbk").read()
    if layout == "pdf":
        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(path).pages)
    if layout == "docx":
        import docx

        d = docx.Document(path)
        out = [p.text for p in d.paragraphs]
        for t in d.tables:
            for row in t.rows:
                seen, cells = None, []
                for c in row.cells:
                    if c._tc is not seen:
                        cells.append(c.text)
                    seen = c._tc
                out.append("\t".join(cells))
        return "\n".join(out)
    if layout == "xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        return "\n".join("\n".join("\t".join(xlsx_display(c.value, c.number_format) for c in row) for row in ws.iter_rows())
                         for ws in book.worksheets)
    if layout == "html":
        from .fiscal_render import html_text

        return html_text(path)
    raise ValueError(layout)
