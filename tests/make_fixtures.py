"""Builders for report files in every input format, generated at test time (no binary fixtures
in the repo).  Plain functions: each writes `path` and returns it, so any test can reuse them.

The PDF builders use reportlab's built-in CID font STSong-Light: it needs no system font and
pypdf extracts its Chinese text correctly.
"""
from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Sequence, Union

SCORE_HEADER = ["指标名称", "指标值", "实际完成值", "分值", "得分"]
SCORE_ROWS = [
    ["低保对象覆盖率", "≥95%", "98.5%", "10", "10"],
    ["资金到位率", "100%", "100%", "5", "4.5"],
]

# A page is a list of lines: a str is a narrative line, a list/tuple is a table row whose cells
# are drawn at fixed x positions (as report generators lay out score tables).
PdfLine = Union[str, Sequence[str]]
SAMPLE_PDF_PAGES: list[list[PdfLine]] = [
    [
        "隆回县民政局2024年部门整体支出绩效自评报告",
        "一、部门概况：县民政局属县人民政府组成局，为正科级行政机关。",
        "",
        SCORE_HEADER,
        *SCORE_ROWS,
        "",
        "二、绩效目标完成情况：全年预算执行率为100%。",
    ],
    [
        "三、自评得分：2024年度部门整体绩效自评得分为95分。",
        "四、存在的问题：部分项目资金拨付进度偏慢。",
    ],
]
PDF_COLUMNS = [60, 200, 290, 380, 450]  # x of each table column, in points


def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def make_pdf(path, pages: Sequence[Sequence[PdfLine]] = SAMPLE_PDF_PAGES, **canvas_kw) -> Path:
    """A text-layer PDF, one entry of `pages` per page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _cjk_font()
    c = canvas.Canvas(str(path), pagesize=A4, **canvas_kw)
    for page in pages:
        c.setFont(font, 11)
        y = 780
        for line in page:
            if isinstance(line, str):
                if line:
                    c.drawString(PDF_COLUMNS[0], y, line)
            else:
                for x, cell in zip(PDF_COLUMNS, line):
                    c.drawString(x, y, cell)
            y -= 18
        c.showPage()
    c.save()
    return Path(path)


# A page of a 预决算 PDF: a str is a prose line drawn at the left margin; a list of
# (x, text, align) draws each piece at x, right-aligned when align is "r" (figures), as the
# standard tables are typeset.
FiscalLine = Union[str, Sequence[tuple]]


def make_fiscal_pdf(path, pages: Sequence[Sequence[FiscalLine]], left: float = 40) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = _cjk_font()
    c = canvas.Canvas(str(path), pagesize=A4)
    for page in pages:
        c.setFont(font, 10)
        y = 800
        for line in page:
            if isinstance(line, str):
                if line:
                    c.drawString(left, y, line)
            else:
                for x, text, *align in line:
                    if align and align[0] == "r":
                        c.drawRightString(x, y, text)
                    else:
                        c.drawString(x, y, text)
            y -= 16
        c.showPage()
    c.save()
    return Path(path)


def make_encrypted_pdf(path, user_password: str = "secret", owner_password: str = "owner") -> Path:
    """`user_password=""` gives a PDF that opens without a password (owner restrictions only)."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    enc = StandardEncryption(user_password, ownerPassword=owner_password, canPrint=0, canCopy=0)
    return make_pdf(path, encrypt=enc)


def make_image_only_pdf(path, pages: int = 1) -> Path:
    """Pages with drawings but no text layer, like a scan."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        c.rect(72, 400, 300, 200, stroke=1, fill=1)
        c.showPage()
    c.save()
    return Path(path)


def make_docx(path) -> Path:
    """Paragraph, a 4x5 score table with a horizontal merge (row 1, cols 0-1) and a vertical
    merge (col 0, rows 2-3), then a closing paragraph."""
    import docx

    d = docx.Document()
    d.add_paragraph("一、部门概况")
    d.add_paragraph("县民政局属县人民政府组成局，为正科级行政机关。")
    t = d.add_table(rows=4, cols=5)
    for c, text in enumerate(SCORE_HEADER):
        t.cell(0, c).text = text
    t.cell(1, 0).merge(t.cell(1, 1)).text = "产出指标"
    for c, text in zip(range(2, 5), ["合计", "50", "48"]):
        t.cell(1, c).text = text
    t.cell(2, 0).merge(t.cell(3, 0)).text = "数量指标"
    for r, row in zip((2, 3), SCORE_ROWS):
        for c in range(1, 5):
            t.cell(r, c).text = row[c]
    t.cell(3, 1).text = "资金\n到位率"  # a line break inside a cell
    d.add_paragraph("二、绩效目标完成情况：全年预算执行率为100%。")
    d.save(str(path))
    return Path(path)


def make_xlsx(path) -> Path:
    """Two sheets: 自评表 (title merged over A1:E1, vertical merge A3:A4, number formats) and
    说明 (text with a run of empty rows)."""
    import datetime as dt

    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "2024年度部门整体绩效自评表"
    ws.merge_cells("A1:E1")
    ws.append(SCORE_HEADER)
    ws.append(["产出指标", "覆盖率", 0.95, 10, 86.4])
    ws.append([None, "合计", 0.1 + 0.2, 1234567.891, 3.0])
    ws.merge_cells("A3:A4")
    ws["C3"].number_format = "0%"
    ws["E3"].number_format = "0.00"
    ws["D4"].number_format = "#,##0.00"
    ws["A6"] = dt.datetime(2024, 12, 31)
    ws["B6"] = 86.40000000000001
    ws["C6"] = 1e20
    ws["D6"] = -5
    ws["D6"].number_format = '_ * #,##0.00_ ;_ * \\-#,##0.00_ ;_ * "-"??_ ;_ @_ '
    ws["E6"] = 0
    ws["E6"].number_format = '_ * #,##0.00_ ;_ * \\-#,##0.00_ ;_ * "-"??_ ;_ @_ '
    ws["F6"] = 0.955
    ws["F6"].number_format = "0.00%"
    ws2 = wb.create_sheet("说明")
    ws2["A1"] = "自评说明"
    ws2["A5"] = "第二段\n换行"
    wb.save(str(path))
    return Path(path)


def make_corrupt_docx(path) -> Path:
    """A zip that claims to be a docx but whose document.xml is garbage."""
    with zipfile.ZipFile(str(path), "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"\x00garbage<w:document")
    return Path(path)


def make_truncated_docx(path) -> Path:
    """A real docx cut in half: the zip directory is gone."""
    data = make_docx(path).read_bytes()
    Path(path).write_bytes(data[: len(data) // 2])
    return Path(path)


def make_html(path, encoding: str = "utf-8") -> Path:
    html = """<!DOCTYPE html><html><head><meta charset="{enc}"><title>忽略</title>
<style>p {{color: red}}</style><script>var x = "不要";</script></head><body>
<h1>绩效自评报告</h1><p>一、部门概况：&nbsp;县民政局<b>为正科级</b>行政机关。</p>
<table border="1">
<tr><th>指标名称</th><th>指标值</th><th>得分</th></tr>
<tr><td rowspan="2">产出指标</td><td>≥95%</td><td>10</td></tr>
<tr><td colspan="2">合计 10</td></tr>
</table>
<div>二、结论<br>得分95分</div></body></html>""".format(enc=encoding)
    Path(path).write_bytes(html.encode(encoding))
    return Path(path)


def make_text(path, text: str, encoding: str = "utf-8", bom: bool = False) -> Path:
    boms = {"utf-8": b"\xef\xbb\xbf", "utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}
    Path(path).write_bytes((boms[encoding] if bom else b"") + text.encode(encoding))
    return Path(path)


def seed_copies(folder, seeds: Sequence[Path], count: int, tag: str) -> Path:
    """`count` distinct reports in `folder` (created): the seeds round-robin, each with a
    trailing line of its own, so every copy has its own sha256 and is a new document."""
    folder = Path(folder)
    folder.mkdir(parents=True)
    for i in range(count):
        seed = seeds[i % len(seeds)]
        (folder / f"{tag}{i:04d}_{seed.name}").write_bytes(seed.read_bytes() + f"\n<!-- {tag} copy {i} -->\n".encode())
    return folder
