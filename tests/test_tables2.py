"""Table readers on crawled and generated layouts: a 三公 table laid out by columns whose
sub-heading row lost the blank cells of a rowspan, a printed dash told from a blank cell, and
the 合计 row of the 机关运行经费 / 政府采购 / 项目支出 tables read as the table's whole."""
from __future__ import annotations

from decimal import Decimal

from make_fixtures import make_text

from extractor.checks import run_checks
from extractor.extract import extract
from extractor.fiscal_tables import _under_parents
from extractor.ingest import read_document


def audit(path):
    doc = read_document(path)
    ext = extract(doc)
    findings, problems = run_checks(doc, ext)
    assert problems == [] and ext.problems == []
    return ext, findings


def report(title: str, lines: list[str], unit: str = "万元") -> str:
    return "\n".join(["示例服务中心2024年度部门决算", "", title, f"单位：{unit}", *lines, "",
                      "九、政府性基金预算财政拨款支出情况", "本单位无政府性基金预算财政拨款支出。", ""])


def of_check(findings, check):
    return [f for f in findings if f.check == check and f.severity != "info"]


def cells(ext, table_word: str) -> dict:
    return {(f.measure, f.subject.item): f.quantity.value for f in ext.figures
            if f.cell is not None and table_word in f.cell.table}


# ---- 1. a 三公 table by columns, its sub-heading row short of cells ------------------------------

PARENTS = "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费"
SUBS_SHORT = "\t小计\t公务用车购置费\t公务用车运行费\t"  # one leading blank lost: five cells for six
SUBS_FULL = "\t\t小计\t公务用车购置费\t公务用车运行费\t"


def sangong_by_columns(subs: str, values: str) -> str:
    return report("2024年度财政拨款“三公”经费支出决算表", [PARENTS, subs, values])


def test_a_short_sub_heading_row_is_placed_under_its_parent(tmp_path):
    # 2.10 + 7.40 + 3.25 = 12.75; 7.40 = 4.00 + 3.40
    ext, findings = audit(make_text(tmp_path / "short.txt", sangong_by_columns(SUBS_SHORT, "12.75\t2.10\t7.40\t4.00\t3.40\t3.25")))
    read = cells(ext, "三公")
    assert read == {("决算", "三公经费"): Decimal("12.75"), ("决算", "因公出国（境）费"): Decimal("2.10"),
                    ("决算", "公务用车购置及运行费"): Decimal("7.40"), ("决算", "公务用车购置费"): Decimal("4.00"),
                    ("决算", "公务用车运行维护费"): Decimal("3.40"), ("决算", "公务接待费"): Decimal("3.25")}
    assert of_check(findings, "table.sangong") == [], [f.message for f in findings]


def test_a_short_sub_heading_row_reads_as_the_full_one(tmp_path):
    values = "12.75\t2.10\t7.40\t4.00\t3.40\t3.25"
    short, _ = audit(make_text(tmp_path / "short.txt", sangong_by_columns(SUBS_SHORT, values)))
    full, _ = audit(make_text(tmp_path / "full.txt", sangong_by_columns(SUBS_FULL, values)))
    assert cells(short, "三公") == cells(full, "三公")


def test_once_placed_a_total_that_does_not_add_up_is_found(tmp_path):
    # 2.10 + 7.40 + 3.25 = 12.75, not 13.75; the 公务用车 subtotal adds up (4.00 + 3.40)
    _ext, findings = audit(make_text(tmp_path / "bad.txt", sangong_by_columns(SUBS_SHORT, "13.75\t2.10\t7.40\t4.00\t3.40\t3.25")))
    (f,) = of_check(findings, "table.sangong")
    assert f.stated == Decimal("13.75") and f.computed == Decimal("12.75"), f.message


def test_two_measures_and_a_heading_spanning_the_header_rows(tmp_path):
    # 预算数 over six columns, 决算数 over six, 机关运行经费 its own column down the three header rows;
    # each sub-heading row lost its first blank cell; the 决算 因公出国 cell is blank
    lines = ["预算数\t\t\t\t\t\t决算数\t\t\t\t\t\t机关运行经费",
             PARENTS + "\t" + PARENTS + "\t",
             "\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t\t",
             "3,600.00\t500.00\t2,300.00\t1,800.00\t500.00\t800.00\t3,050.00\t\t2,250.00\t1,760.00\t490.00\t800.00\t41,200.00"]
    ext, findings = audit(make_text(tmp_path / "two.txt", report("2024年度财政拨款“三公”经费支出决算表", lines, unit="元")))
    read = cells(ext, "三公")
    assert read[("预算", "因公出国（境）费")] == Decimal("500.00")
    assert read[("预算", "公务用车购置及运行费")] == Decimal("2300.00")
    assert read[("决算", "三公经费")] == Decimal("3050.00") and read[("决算", "公务用车购置费")] == Decimal("1760.00")
    assert read[("决算", "公务接待费")] == Decimal("800.00")
    assert ("决算", "因公出国（境）费") not in read
    assert of_check(findings, "table.sangong") == [], [f.message for f in findings]


def test_the_placement_of_sub_headings():
    parents = [0, 1, 2, 5]  # 合计 | 因公出国 | 公务用车 (three cells) | 公务接待
    assert _under_parents(parents, [2, 3, 4], 6)
    assert not _under_parents(parents, [1, 2, 3], 6)  # 小计 under 因公出国, a single cell
    assert not _under_parents(parents, [3, 4], 6)  # not from the parent's own cell
    assert not _under_parents(parents, [3, 4, 5, 6], 7)  # a sub-heading under 公务接待


def test_a_sub_heading_row_that_fits_no_placement_stays_as_it_is(tmp_path):
    # four sub-headings for a parent of three cells: no shift places them, the row is not moved
    # and the misplaced columns are not read as 三公 items they might not be
    subs = "小计\t公务用车购置费\t公务用车运行费\t其他"
    values = "12.75\t2.10\t7.40\t4.00\t3.40\t3.25"
    _ext, findings = audit(make_text(tmp_path / "nofit.txt", sangong_by_columns(subs, values)))
    assert of_check(findings, "table.sangong") == [], [f.message for f in findings]
