"""Builders for the hostile inputs of issue 12: small files that unpack, expand or block
without bound. Plain functions, each writes `path` and returns it; used by
tests/test_robustness.py and bench/bench_hostile.py (which builds the full-size ones).

None of them allocates what it describes: the xlsx files are patched at the XML level (openpyxl
itself would create a MergedCell for every cell of a merge), and the docx bomb is streamed into
the zip in chunks.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path

import make_fixtures as mf

MB = 1 << 20


def _rewrite_zip(path, replace: dict[str, bytes]) -> Path:
    """Copy the zip at `path` with some members replaced."""
    src = Path(path).read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = replace.get(info.filename, None)
            zout.writestr(info.filename, data if data is not None else zin.read(info.filename))
    Path(path).write_bytes(out.getvalue())
    return Path(path)


def _small_xlsx(path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "项目支出绩效自评表"
    ws["A2"] = "主管部门"
    ws["B2"] = "某县民政局"
    wb.save(str(path))
    return Path(path)


def xlsx_far_cells(path) -> Path:
    """Two cells, A1 and XFD1048576 (the last cell of a sheet): a 5 KB file whose used range
    is 16384 x 1048576 cells."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "绩效自评表"
    ws["XFD1048576"] = "末格"
    wb.save(str(path))
    return Path(path)


def xlsx_whole_sheet_merge(path) -> Path:
    """A1 merged over the whole sheet (A1:XFD1048576), written straight into the XML."""
    _small_xlsx(path)
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode("utf-8")
    sheet = sheet.replace("</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>', 1)
    return _rewrite_zip(path, {"xl/worksheets/sheet1.xml": sheet.encode("utf-8")})


def html_huge_spans(path, cells: int = 32) -> Path:
    """A 2 KB page whose cells span 1000 columns and 1000 rows each."""
    rows = "".join(f'<tr><td colspan="1000" rowspan="1000">指标{i}</td><td>10</td></tr>' for i in range(cells))
    html = f"<!DOCTYPE html><html><body><p>绩效自评报告</p><table>{rows}</table></body></html>"
    Path(path).write_text(html, encoding="utf-8")
    return Path(path)


def html_deep_nesting(path, depth: int = 5000) -> Path:
    """Tags nested thousands deep (a recursive walker runs out of stack)."""
    html = "<html><body>" + "<div>" * depth + "绩效自评报告 得分95分" + "</div>" * depth + "</body></html>"
    Path(path).write_text(html, encoding="utf-8")
    return Path(path)


def docx_bomb(path, unpacked: int = 340 * MB) -> Path:
    """A real docx whose word/document.xml is replaced by `unpacked` bytes of repeated
    paragraphs; deflate shrinks it about 300 times (340 MB -> ~1 MB)."""
    good = mf.make_docx(Path(path).with_suffix(".src.docx"))
    with zipfile.ZipFile(good) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    good.unlink()
    head = re.match(rb"(?s)(.*?<w:body>)", members["word/document.xml"]).group(1)
    tail = b"<w:sectPr/></w:body></w:document>"
    para = "<w:p><w:r><w:t>绩效自评报告正文重复段落</w:t></w:r></w:p>".encode("utf-8")
    block = para * (MB // len(para))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, data in members.items():
            if name != "word/document.xml":
                z.writestr(name, data)
        with z.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(head)
            written = len(head)
            while written + len(block) + len(tail) <= unpacked:
                out.write(block)
                written += len(block)
            out.write(para * max(0, (unpacked - written - len(tail)) // len(para)))
            out.write(tail)
    return Path(path)


def fifo(path) -> Path:
    """A named pipe with no writer: open() blocks for ever."""
    os.mkfifo(path)
    return Path(path)


def link_to_dev_zero(path) -> Path:
    """A symlink named like a report pointing at /dev/zero: read() never ends."""
    os.symlink("/dev/zero", path)
    return Path(path)


def mixed_encoding_text(path) -> Path:
    """A GBK report with one line saved as UTF-8 (a paragraph pasted from another file)."""
    gbk = "一、部门概况\n县民政局为正科级行政机关。\n".encode("gbk")
    utf8 = "二、部门整体支出1,023.89万元，其中基本支出623.89万元。\n".encode("utf-8")
    tail = "三、自评得分95分。\n".encode("gbk")
    Path(path).write_bytes(gbk + utf8 + tail)
    return Path(path)


HOSTILE = {
    "xlsx_far_cells.xlsx": xlsx_far_cells,
    "xlsx_sheet_merge.xlsx": xlsx_whole_sheet_merge,
    "html_spans.html": html_huge_spans,
    "html_nesting.html": html_deep_nesting,
    "docx_bomb.docx": docx_bomb,
    "pipe.txt": fifo,
    "zero.txt": link_to_dev_zero,
}
