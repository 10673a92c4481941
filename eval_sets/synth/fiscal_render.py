"""Layouts of the 部门决算 / 部门预算 documents: the standard tables as real disclosures print them.

A standard table (`FBlock`) has a title, an optional number line ("公开01表"), a unit line
("单位：万元", often with "编制单位：…" on its left), a header of one to three rows with cells
spanning columns and rows, and body rows of codes, names and amounts; notes follow it.

In PDF every column stands at a fixed x position: amounts are right-aligned to the column's
right edge, codes and names left-aligned, header text centred in its (merged) box; a long
name wraps onto a second line (the amounts then sit on the first line or in the middle, as
spreadsheets print them); wide tables go on landscape pages; a table that does not fit
continues on the next page, with or without its header repeated. Pages carry a footer page
number. The same blocks are written as docx tables, html tables, one xlsx sheet per table,
and TAB-separated txt.
"""
from __future__ import annotations

import datetime as dt
import html as htmllib
import io
from dataclasses import dataclass, field

from .model import Block, Cell, Doc, Ref
from .render import FONT, _protected_spans, _register_font, _vertical_runs, cell_text, normalized_zip, wrap


@dataclass
class FBlock(Block):
    code_line: str = ""  # 公开01表
    unit_line: str = ""  # 单位：万元
    org_line: str = ""  # 编制单位：…
    nhead: int = 0  # header rows at the top of `rows`
    col_kinds: list = field(default_factory=list)  # code | name | num | rowno
    col_weights: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # parts lists
    landscape: bool = False
    repeat_header: bool = True
    valign: str = "top"  # where amounts stand beside a wrapped name: top | middle
    cont_title: bool = False  # a "（续表）" line on continuation pages
    sheet: str = ""  # xlsx sheet name
    flow: bool = False  # start where the previous block ended (else on a new page)
    row_lead: float = 1.5  # line height as a multiple of the font size


def note_texts(doc: Doc, b: FBlock) -> list[str]:
    return [t for t in (doc.render_parts(n) for n in b.notes) if t]


# --------------------------------------------------------------------------- pdf


class FiscalPdf:
    A4 = (595.27, 841.89)
    MARGIN = 50

    def __init__(self, path: str, title: str, footer: str, rng):
        from reportlab.pdfgen import canvas

        _register_font()
        self.c = canvas.Canvas(path, pagesize=self.A4, invariant=1)
        self.c.setTitle(title)
        self.c.setCreator("jixiao-audit eval_sets/generate.py")
        self.footer = footer  # "dash" | "plain" | "none"
        self.page = 1
        self.landscape = False
        self.rng = rng
        self._reset()

    @property
    def size(self):
        return (self.A4[1], self.A4[0]) if self.landscape else self.A4

    def _reset(self):
        self.W, self.H = self.size
        self.left = self.MARGIN
        self.width = self.W - 2 * self.MARGIN
        self.y = self.H - 56
        self.bottom = 60

    def new_page(self, landscape=None):
        self._footer()
        self.c.showPage()
        self.page += 1
        if landscape is not None and landscape != self.landscape:
            self.landscape = landscape
        self.c.setPageSize(self.size)
        self._reset()

    def _footer(self):
        if self.footer == "none":
            return
        self.c.setFont(FONT, 9)
        text = f"— {self.page} —" if self.footer == "dash" else str(self.page)
        self.c.drawCentredString(self.W / 2, 30, text)

    def need(self, h):
        if self.y - h < self.bottom:
            self.new_page()

    def text_lines(self, lines, size, leading, indent=0.0, center=False, right=False):
        for k, line in enumerate(lines):
            self.need(leading)
            self.y -= leading
            self.c.setFont(FONT, size)
            if center:
                self.c.drawCentredString(self.W / 2, self.y, line)
            elif right:
                self.c.drawRightString(self.left + self.width, self.y, line)
            else:
                self.c.drawString(self.left + (indent if k == 0 else 0), self.y, line)

    def paragraph(self, doc: Doc, b: Block, size=10.5, indent=True):
        text, spans = _protected_spans(doc, b.parts)
        first = 2 * size if indent else 0
        lines = wrap(text, self.width, size, spans)
        # the first line is shorter by its indent: re-wrap it when it overflows
        from reportlab.pdfbase.pdfmetrics import stringWidth
        if lines and indent and stringWidth(lines[0], FONT, size) > self.width - first:
            head = wrap(text, self.width - first, size, spans)[0]
            lines = [head] + wrap(text[len(head):], self.width, size, [(s - len(head), e - len(head)) for s, e in spans if s >= len(head)])
        self.text_lines(lines, size, size * 1.65, indent=first)

    # -- tables ---------------------------------------------------------------
    def table(self, doc: Doc, b: FBlock):
        if b.landscape != self.landscape or (self.y < self.H - 120 and not b.flow) or self.y < self.bottom + 120:
            self.new_page(landscape=b.landscape)
        elif b.flow:
            self.y -= 18
        size = 8.0 if not b.landscape else 8.5
        lead = size * b.row_lead
        weights = b.col_weights or [1.0] * b.ncols
        tot = sum(weights)
        widths = [self.width * w / tot for w in weights]
        xs = [self.left + sum(widths[:i]) for i in range(b.ncols + 1)]

        def heading():
            if b.code_line:
                self.text_lines([b.code_line], 9, 13, right=True)
            self.text_lines(wrap(b.name, self.width, 14), 14, 22, center=True)
            if b.org_line or b.unit_line:
                self.need(16)
                self.y -= 16
                self.c.setFont(FONT, 9)
                if b.org_line:
                    self.c.drawString(self.left, self.y, b.org_line)
                if b.unit_line:
                    self.c.drawRightString(self.left + self.width, self.y, b.unit_line)
            self.y -= 4

        heading()
        header, body = b.rows[: b.nhead], b.rows[b.nhead:]
        texts = [[cell_text(doc, c) for c in row] for row in b.rows]
        head_texts, body_texts = texts[: b.nhead], texts[b.nhead:]

        def col_range(row, k):
            col = sum(c.span for c in row[:k])
            return col, col + row[k].span

        # header: lines per cell, row heights, then boxes spanning merged rows
        def draw_header():
            heights = []
            cells = []
            for r, (row, trow) in enumerate(zip(header, head_texts)):
                hmax = 1
                for k, (c, t) in enumerate(zip(row, trow)):
                    a, z = col_range(row, k)
                    lines = wrap(t, xs[z] - xs[a] - 4, size) if t else []
                    cells.append((r, a, z, lines, c.merge_up))
                    if not c.merge_up:
                        rowspan = 1
                        for rr in range(r + 1, len(header)):
                            below = header[rr]
                            col = 0
                            found = False
                            for cc in below:
                                if col == a and cc.merge_up:
                                    found = True
                                col += cc.span
                            if found:
                                rowspan += 1
                            else:
                                break
                        if rowspan == 1:
                            hmax = max(hmax, len(lines))
                heights.append(hmax * lead + 4)
            total_h = sum(heights)
            self.need(total_h + lead * 2)
            top = self.y
            tops = [top - sum(heights[:r]) for r in range(len(header) + 1)]
            self.c.setStrokeGray(0.3)
            self.c.setLineWidth(0.4)
            for (r, a, z, lines, merged) in cells:
                if merged:
                    continue
                r1 = r + 1
                while r1 < len(header) and any(cc.merge_up and col_range(header[r1], kk)[0] == a
                                               for kk, cc in enumerate(header[r1])):
                    r1 += 1
                y0, y1 = tops[r], tops[r1]
                self.c.rect(xs[a], y1, xs[z] - xs[a], y0 - y1)
                mid = (y0 + y1) / 2 + (len(lines) * lead) / 2 - size
                self.c.setFont(FONT, size)
                for i, ln in enumerate(lines):
                    self.c.drawCentredString((xs[a] + xs[z]) / 2, mid - i * lead, ln)
            self.y = tops[-1]

        if header:
            draw_header()
        for row, trow in zip(body, body_texts):
            cells = []
            nlines = 1
            for k, (c, t) in enumerate(zip(row, trow)):
                a, z = col_range(row, k)
                kind = b.col_kinds[a] if a < len(b.col_kinds) else "name"
                if kind == "name" and t:
                    lines = wrap(t, xs[z] - xs[a] - 4, size)
                else:
                    lines = [t] if t else []
                cells.append((a, z, kind, lines))
                nlines = max(nlines, len(lines))
            h = nlines * lead + 3
            if self.y - h < self.bottom:
                self.new_page(landscape=b.landscape)
                if b.cont_title:
                    self.text_lines([f"{b.name}（续表）"], 10, 16, center=True)
                    self.y -= 2
                if b.repeat_header and header:
                    draw_header()
            top = self.y
            self.c.setFont(FONT, size)
            first_base = top - lead + 2
            mid_base = top - h / 2 - size / 3
            for a, z, kind, lines in cells:
                if not lines:
                    continue
                if kind == "num" or kind == "rowno":
                    base = first_base if b.valign == "top" or nlines == 1 else mid_base
                    if kind == "num":
                        self.c.drawRightString(xs[z] - 3, base, lines[0])
                    else:
                        self.c.drawCentredString((xs[a] + xs[z]) / 2, base, lines[0])
                elif kind == "code":
                    base = first_base if b.valign == "top" or nlines == 1 else mid_base
                    self.c.drawString(xs[a] + 3, base, lines[0])
                else:
                    for i, ln in enumerate(lines):
                        self.c.drawString(xs[a] + 3, first_base - i * lead, ln)
            self.c.setStrokeGray(0.55)
            self.c.setLineWidth(0.3)
            self.c.line(xs[0], top - h, xs[-1], top - h)
            for x in xs:
                self.c.line(x, top, x, top - h)
            self.y = top - h
        for text in note_texts(doc, b):
            self.text_lines(wrap(text, self.width, 9), 9, 14)

    def save(self):
        self._footer()
        self.c.save()


def write_fiscal_pdf(doc: Doc, path: str, rng) -> None:
    title = next(doc.render_parts(b.parts) for b in doc.blocks if b.kind == "title")
    pdf = FiscalPdf(path, title, doc.meta.get("footer", "dash"), rng)
    first = True
    for b in doc.blocks:
        if isinstance(b, FBlock):
            pdf.table(doc, b)
        elif b.kind == "title":
            if not first:
                pdf.new_page(landscape=False)
            pdf.y -= 40 if first else 0
            pdf.text_lines(wrap(doc.render_parts(b.parts), pdf.width, 18), 18, 30, center=True)
            pdf.y -= 10
        elif b.kind == "part":
            if pdf.y < pdf.H - 80 or pdf.landscape:
                pdf.new_page(landscape=False)
            pdf.text_lines(wrap(doc.render_parts(b.parts), pdf.width, 15), 15, 26, center=True)
        elif b.kind == "heading":
            pdf.text_lines(wrap(doc.render_parts(b.parts), pdf.width, 11.5), 11.5, 20)
        elif b.kind == "para":
            if pdf.landscape:
                pdf.new_page(landscape=False)
            pdf.paragraph(doc, b)
        elif b.kind == "note":
            pdf.text_lines(wrap(doc.render_parts(b.parts), pdf.width, 9.5), 9.5, 15)
        first = False
    pdf.save()


# --------------------------------------------------------------------------- docx


def write_fiscal_docx(doc: Doc, path: str) -> None:
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = docx.Document()
    normal = d.styles["Normal"]
    normal.font.name = "宋体"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    for b in doc.blocks:
        if isinstance(b, FBlock):
            if b.code_line:
                d.add_paragraph(b.code_line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run(b.name).bold = True
            if b.org_line or b.unit_line:
                line = (b.org_line + "\u3000\u3000\u3000\u3000" if b.org_line else "") + b.unit_line
                d.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT if not b.org_line else WD_ALIGN_PARAGRAPH.LEFT
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
            for text in note_texts(doc, b):
                d.add_paragraph(text)
        elif b.kind in ("title", "part"):
            p = d.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(doc.render_parts(b.parts))
            run.bold, run.font.size = True, Pt(16 if b.kind == "title" else 14)
        elif b.kind == "heading":
            d.add_paragraph().add_run(doc.render_parts(b.parts)).bold = True
        elif b.kind == "para":
            p = d.add_paragraph(doc.render_parts(b.parts))
            p.paragraph_format.first_line_indent = Pt(21)
        elif b.kind == "note":
            d.add_paragraph(doc.render_parts(b.parts))
    _ = WD_ORIENT
    year = doc.meta["year"]
    cp = d.core_properties
    cp.author = cp.last_modified_by = ""
    cp.title = next(doc.render_parts(b.parts) for b in doc.blocks if b.kind == "title")
    cp.created = cp.modified = dt.datetime(year + 1, 8, 1, 9, 0, 0)
    cp.revision = 1
    buf = io.BytesIO()
    d.save(buf)
    with open(path, "wb") as f:
        f.write(normalized_zip(buf.getvalue(), f"{year + 1}-08-01T09:00:00Z"))


# --------------------------------------------------------------------------- html


def _html_table(doc: Doc, rows: list, ncols: int) -> str:
    runs = {(r0, col): r1 - r0 + 1 for col, r0, r1 in _vertical_runs(rows)}
    out = ['<table border="1" cellspacing="0" cellpadding="3">']
    for r, row in enumerate(rows):
        tds, col = [], 0
        for c in row:
            if c.merge_up:
                col += c.span
                continue
            attrs = (f' colspan="{c.span}"' if c.span > 1 else "") + (f' rowspan="{runs[(r, col)]}"' if (r, col) in runs else "")
            text = htmllib.escape(cell_text(doc, c)).replace("\n", "<br>")
            tds.append(f"<td{attrs}>{text}</td>")
            col += c.span
        out.append("<tr>" + "".join(tds) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def write_html(doc: Doc, path: str) -> None:
    title = next(doc.render_parts(b.parts) for b in doc.blocks if b.kind == "title")
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">', f"<title>{htmllib.escape(title)}</title>",
           "</head><body>", '<div class="article">']
    for b in doc.blocks:
        if isinstance(b, FBlock):
            if b.code_line:
                out.append(f'<p style="text-align:right">{htmllib.escape(b.code_line)}</p>')
            out.append(f'<p style="text-align:center"><strong>{htmllib.escape(b.name)}</strong></p>')
            if b.org_line or b.unit_line:
                out.append(f"<p>{htmllib.escape(b.org_line)}{'　　' if b.org_line else ''}{htmllib.escape(b.unit_line)}</p>")
            out.append(_html_table(doc, b.rows, b.ncols))
            for text in note_texts(doc, b):
                out.append(f"<p>{htmllib.escape(text)}</p>")
        elif b.kind == "table":
            out.append(_html_table(doc, b.rows, b.ncols))
        elif b.kind in ("title", "part"):
            tag = "h1" if b.kind == "title" else "h2"
            out.append(f'<{tag} style="text-align:center">{htmllib.escape(doc.render_parts(b.parts))}</{tag}>')
        elif b.kind == "heading":
            out.append(f"<p><strong>{htmllib.escape(doc.render_parts(b.parts))}</strong></p>")
        else:
            out.append(f'<p style="text-indent:2em">{htmllib.escape(doc.render_parts(b.parts))}</p>')
    out += ["</div>", "</body></html>", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def html_text(path: str) -> str:
    """Paragraph texts and cell texts, one per line (what a reader of the page gets)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(open(path, encoding="utf-8").read(), "html.parser")
    out = []
    for tag in soup.find_all(["p", "h1", "h2", "td", "title"]):
        out.append(tag.get_text("\n"))
    return "\n".join(out)


# --------------------------------------------------------------------------- xlsx


def write_fiscal_xlsx(doc: Doc, path: str) -> None:
    """One sheet per standard table (tables-only workbooks, as 公开表 are published)."""
    import openpyxl
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from .render import _xlsx_value

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    used = set()
    for n, b in enumerate([b for b in doc.blocks if isinstance(b, FBlock)], 1):
        name = (b.sheet or f"表{n}")[:31]
        while name in used:
            name = name[:28] + f"_{n}"
        used.add(name)
        ws = wb.create_sheet(name)
        r = 1
        if b.code_line:
            ws.cell(r, b.ncols, b.code_line)
            r += 1
        ws.cell(r, 1, b.name).font = Font(bold=True, size=14)
        ws.cell(r, 1).alignment = Alignment(horizontal="center")
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=b.ncols)
        r += 1
        if b.org_line:
            ws.cell(r, 1, b.org_line)
        if b.unit_line:
            ws.cell(r, b.ncols, b.unit_line)
        r += 1
        top = r
        for row in b.rows:
            col = 1
            for c in row:
                value, fmt = _xlsx_value(doc, c)
                if value is not None and isinstance(value, str) and value == "":
                    value = None
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
        for text in note_texts(doc, b):
            ws.cell(r, 1, text)
            r += 1
        for k in range(1, b.ncols + 1):
            kind = b.col_kinds[k - 1] if k - 1 < len(b.col_kinds) else "num"
            ws.column_dimensions[get_column_letter(k)].width = {"name": 34, "code": 10, "rowno": 6}.get(kind, 15)
    year = doc.meta["year"]
    stamp = dt.datetime(year + 1, 8, 1, 9, 0, 0)
    wb.properties.creator = "jixiao-synth"
    wb.properties.lastModifiedBy = None
    wb.properties.created = wb.properties.modified = stamp
    buf = io.BytesIO()
    wb.save(buf)
    with open(path, "wb") as f:
        f.write(normalized_zip(buf.getvalue(), f"{year + 1}-08-01T09:00:00Z"))


# --------------------------------------------------------------------------- txt


def fblock_text(doc: Doc, b: FBlock, layout: str, rng) -> str:
    from .render import table_as_tab_cells, table_as_tab_rows

    lines = []
    if b.code_line:
        lines.append(b.code_line)
    lines.append(b.name)
    if b.org_line or b.unit_line:
        lines.append((b.org_line + "\t" if b.org_line else "") + b.unit_line)
    body = table_as_tab_cells(doc, b) if layout == "tab-cells" else table_as_tab_rows(doc, b, rng)
    return "\n".join(lines) + "\n" + body + "".join(t + "\n" for t in note_texts(doc, b))


def render_fiscal_text(doc: Doc, layout: str, rng) -> str:
    """txt: paragraphs one per line (blank line between), standard tables as TAB rows or cells."""
    pieces = []
    for b in doc.blocks:
        if isinstance(b, FBlock):
            pieces.append(fblock_text(doc, b, layout, rng))
        else:
            pieces.append(doc.render_parts(b.parts))
    return "\n\n".join(p.rstrip("\n") for p in pieces) + "\n"


def cell(*parts, span=1, merge_up=False) -> Cell:
    return Cell(list(parts), span, merge_up)


__all__ = ["FBlock", "write_fiscal_pdf", "write_fiscal_docx", "write_html", "write_fiscal_xlsx", "fblock_text",
           "html_text", "cell", "Ref"]
