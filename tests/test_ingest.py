"""extractor.ingest: every format read into a Document whose spans quote the stored text."""
from __future__ import annotations

import hashlib
import random
import re
import zipfile
from pathlib import Path

import pytest

import make_fixtures as mf
from extractor import ingest
from extractor.errors import InputError
from extractor.ingest import read_document
from extractor.records import Document

SEEDS = sorted(Path(__file__).resolve().parent.parent.glob("eval_sets/seeds/*.txt"))
REPORT = "一、部门概况\r\n县民政局为正科级行政机关，预算执行率100%。\r\n二、自评得分：95分（满分100分）\n"


def assert_spans_quote(doc: Document) -> None:
    for grid in doc.grids:
        assert grid.span.end <= len(doc.text)
        for row in grid.rows:
            for cell in row:
                if not cell.blank:
                    assert cell.span is not None
                    assert doc.text[cell.span.start : cell.span.end] == cell.text
                    assert grid.span.start <= cell.span.start <= cell.span.end <= grid.span.end


# ---------------------------------------------------------------- docx

def test_docx_keeps_order_and_table_structure(tmp_path):
    path = mf.make_docx(tmp_path / "report.docx")
    doc = read_document(path)
    assert doc.format == "docx" and doc.path == str(path) and doc.pages == []
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    text = doc.text
    assert text.index("县民政局属") < text.index("指标名称\t指标值") < text.index("二、绩效目标完成情况")
    assert "行政机关。\n\n指标名称" in text and "4.5\n\n二、绩效" in text  # blank line around the table
    [grid] = doc.grids
    assert grid.source == "docx"
    assert [len(r) for r in grid.rows] == [5, 5, 5, 5]
    assert [c.text for c in grid.rows[0]] == mf.SCORE_HEADER
    h0, h1 = grid.rows[1][0], grid.rows[1][1]  # horizontal merge
    assert (h0.text, h0.carried, h1.text, h1.carried) == ("产出指标", False, "产出指标", True)
    assert h1.span == h0.span
    v0, v1 = grid.rows[2][0], grid.rows[3][0]  # vertical merge
    assert (v0.text, v0.carried, v1.text, v1.carried) == ("数量指标", False, "数量指标", True)
    assert v1.span == v0.span
    assert text.count("产出指标") == 1 and text.count("数量指标") == 1  # the value shows once
    assert grid.rows[3][1].text == "资金 到位率"  # newline inside a cell -> one space
    assert_spans_quote(doc)
    assert doc.quote(grid.span).startswith("指标名称") and doc.quote(grid.span).endswith("4.5")
    assert len(doc.quote(grid.span).split("\n")) == 4


# ---------------------------------------------------------------- xlsx

def test_xlsx_sheets_merges_and_number_formats(tmp_path):
    doc = read_document(mf.make_xlsx(tmp_path / "report.xlsx"))
    assert doc.format == "xlsx"
    lines = doc.text.split("\n")
    assert lines[0] == "【自评表】" and lines[1] == "2024年度部门整体绩效自评表"
    assert doc.text.index("【自评表】") < doc.text.index("【说明】")
    assert "产出指标\t覆盖率\t95%\t10\t86.40" in lines
    assert "\t合计\t0.3\t1,234,567.89\t3" in lines  # 0.1+0.2 and 3.0 printed as people see them
    assert "2024-12-31\t86.4\t100000000000000000000\t-5.00\t-\t95.50%" in lines
    assert "自评说明\n\n第二段 换行" in doc.text  # three empty rows -> one empty line
    sheet1, sheet2 = doc.grids
    assert (sheet1.source, sheet1.name, sheet2.name) == ("xlsx", "自评表", "说明")
    title = sheet1.rows[0]
    assert [c.text for c in title[:5]] == ["2024年度部门整体绩效自评表"] * 5
    assert [c.carried for c in title[:5]] == [False, True, True, True, True]
    assert len({c.span for c in title[:5]}) == 1
    assert (sheet1.rows[3][0].text, sheet1.rows[3][0].carried) == ("产出指标", True)
    assert doc.text.count("产出指标") == 1
    assert len(sheet2.rows) == 5 and sheet2.rows[2][0].blank
    assert_spans_quote(doc)


@pytest.mark.parametrize(
    "value, fmt, shown",
    [
        (0.95, "0%", "95%"),
        (0.955, "0.00%", "95.50%"),
        (86.4, "0.00", "86.40"),
        (2.675, "0.00", "2.68"),  # Excel rounds the decimal it shows, half away from zero
        (0.1 + 0.2, "General", "0.3"),
        (86.40000000000001, "General", "86.4"),
        (3.0, "General", "3"),
        (1e-7, "General", "0.0000001"),
        (1234567.891, "#,##0.00", "1,234,567.89"),
        (-1234.5, "#,##0.00_);[Red](#,##0.00)", "(1,234.50)"),
        (12.5, '0.0"万元"', "12.5万元"),
        (3.14159, "0.0#", "3.14"),
        (3.1, "0.0#", "3.1"),
        (0, '_ * #,##0.00_ ;_ * \\-#,##0.00_ ;_ * "-"??_ ;_ @_ ', "-"),
        (42, "@", "42"),
        (12.5, "G/通用格式", "12.5"),  # Chinese Excel / WPS spelling of General
        (12.5, 'G/通用格式"万元"', "12.5万元"),
        (3, "0.00_ ", "3.00"),
        (1234.5, "#,##0", "1,235"),
        (None, "0.00", ""),
    ],
)
def test_excel_number_formats(value, fmt, shown):
    assert ingest._excel_text(value, fmt) == shown


# ---------------------------------------------------------------- pdf

def test_pdf_chinese_text_pages_and_table_rows(tmp_path):
    doc = read_document(mf.make_pdf(tmp_path / "report.pdf"))
    assert doc.format == "pdf" and len(doc.pages) == 2
    assert "县民政局属县人民政府组成局" in doc.text
    p2 = doc.text.index("三、自评得分")
    assert doc.page_of(p2) == 2
    assert doc.page_of(doc.text.index("二、绩效目标")) == 1
    assert doc.quote(doc.pages[1]).startswith("三、自评得分")
    rows = [ln for ln in doc.text.split("\n") if ln.startswith(("指标名称", "低保对象覆盖率"))]
    assert len(rows) == 2
    for line, cells in zip(rows, [mf.SCORE_HEADER, mf.SCORE_ROWS[0]]):
        assert re.split(r" {2,}", line) == cells  # one row per line, 2+ spaces between columns
    assert all(ln == ln.rstrip() for ln in doc.text.split("\n"))
    assert not doc.text.startswith(" ") and "\n\n\n" not in doc.text


def test_pdf_with_owner_password_only_opens(tmp_path):
    doc = read_document(mf.make_encrypted_pdf(tmp_path / "locked.pdf", user_password=""))
    assert "自评得分" in doc.text


# ---------------------------------------------------------------- text and html

@pytest.mark.parametrize(
    "encoding, bom, expected",
    [
        ("utf-8", False, "utf-8"),
        ("utf-8", True, "utf-8-sig"),
        ("gbk", False, "gb18030"),
        ("utf-16-le", True, "utf-16"),
        ("utf-16-be", True, "utf-16"),
        ("utf-16-le", False, "utf-16-le"),
    ],
)
def test_text_encodings(tmp_path, encoding, bom, expected):
    path = mf.make_text(tmp_path / "report.txt", REPORT, encoding, bom)
    doc = read_document(path)
    assert (doc.format, doc.encoding, doc.pages, doc.grids) == ("txt", expected, [], [])
    assert doc.text == REPORT.replace("\r\n", "\n")  # full-width punctuation untouched


def test_utf16_without_bom_mostly_chinese(tmp_path):
    text = "绩效自评报告" * 500 + "\n得分95分\n"  # very few ASCII characters, so few NULs
    doc = read_document(mf.make_text(tmp_path / "r.txt", text, "utf-16-le"))
    assert (doc.encoding, doc.text) == ("utf-16-le", text)


def test_lone_cr_becomes_newline(tmp_path):
    path = tmp_path / "mac.txt"
    path.write_bytes("第一行\r第二行\r\n第三行".encode("utf-8"))
    assert read_document(path).text == "第一行\n第二行\n第三行"


def test_format_comes_from_bytes_not_extension(tmp_path):
    assert read_document(mf.make_text(tmp_path / "report.pdf", REPORT)).format == "txt"
    assert read_document(mf.make_docx(tmp_path / "report.txt")).format == "docx"
    assert read_document(mf.make_html(tmp_path / "page.txt")).format == "html"


@pytest.mark.parametrize("head", ["<!DOCTYPE HTML>", "  <TABLE>", "\ufeff<meta charset=utf-8>"])
def test_html_sniffing(head):
    assert ingest.sniff_format((head + "<p>绩效</p>").encode("utf-8")) == "html"
    assert ingest.sniff_format(("绩效\n" + head).encode("utf-8")) == "txt"


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_html_text_and_tables(tmp_path, encoding):
    doc = read_document(mf.make_html(tmp_path / "report.html", encoding))
    assert doc.format == "html"
    assert "<" not in doc.text and "var x" not in doc.text and "color" not in doc.text
    assert "忽略" not in doc.text  # <title> lives in <head>
    assert doc.text.startswith("绩效自评报告\n一、部门概况：")
    assert "县民政局为正科级行政机关。" in doc.text
    assert doc.text.endswith("二、结论\n得分95分")
    [grid] = doc.grids
    assert grid.source == "html" and [len(r) for r in grid.rows] == [3, 3, 3]
    assert (grid.rows[2][0].text, grid.rows[2][0].carried) == ("产出指标", True)  # rowspan
    assert (grid.rows[2][2].text, grid.rows[2][2].carried) == ("合计 10", True)  # colspan
    assert "指标名称\t指标值\t得分\n产出指标\t≥95%\t10\n\t合计 10" in doc.text
    assert_spans_quote(doc)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_seed_reports(seed):
    doc = read_document(seed)
    assert (doc.format, doc.encoding) == ("txt", "utf-8")
    assert doc.text == seed.read_bytes().decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


# ---------------------------------------------------------------- unreadable input

def _writer(data: bytes):
    def build(path):
        path.write_bytes(data)
        return path

    return build


def _binary(path):
    path.write_bytes(random.Random(7).randbytes(4096) + b"\x00\x01\x02\x00")
    return path


def _control_chars(path):
    path.write_bytes(bytes(range(1, 9)) * 200)
    return path


def _other_zip(path):
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("content.xml", "<office:document/>")  # e.g. an .odt
    return path


def _corrupt_pdf(path):
    path.write_bytes(b"%PDF-1.7\n" + random.Random(3).randbytes(2000))
    return path


def _ole2(path):
    path.write_bytes(ingest.OLE2_MAGIC + b"\x00" * 1000)
    return path


@pytest.mark.parametrize(
    "name, build, words",
    [
        ("empty.txt", _writer(b""), "空"),
        ("blank.txt", _writer(" \n\t\r\n　\n".encode("utf-8")), "文字"),
        ("blob.txt", _binary, "二进制"),
        ("ctl.txt", _control_chars, "二进制"),
        ("locked.pdf", mf.make_encrypted_pdf, "加密"),
        ("scan.pdf", mf.make_image_only_pdf, "OCR"),
        ("broken.pdf", _corrupt_pdf, "pdf"),
        ("broken.docx", mf.make_corrupt_docx, "docx"),
        ("half.docx", mf.make_truncated_docx, "zip"),
        ("other.zip", _other_zip, "zip"),
        ("old.doc", _ole2, ".doc"),
        ("missing.txt", lambda p: p, "不存在"),
        ("a_directory", lambda p: p.mkdir() or p, "无法读取"),
    ],
)
def test_unreadable_input_raises_one_line_input_error(tmp_path, name, build, words):
    path = build(tmp_path / name)
    with pytest.raises(InputError) as info:
        read_document(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message and words in message
    assert info.value.path == str(path)


def test_library_errors_do_not_escape(tmp_path, monkeypatch):
    def boom(data, doc, reading):
        raise KeyError("deep inside a parser\nwith two lines")

    monkeypatch.setitem(ingest.READERS, "txt", boom)
    with pytest.raises(InputError, match="KeyError") as info:
        read_document(mf.make_text(tmp_path / "r.txt", REPORT))
    assert "\n" not in str(info.value)
