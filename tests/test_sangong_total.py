"""A 三公 table that gives no cell for an item (left blank, or lost by a crawler that flattened
the table) may hold the rest of the total in it: only parts that already exceed the total
contradict it. The 合计 row of a 三公 table laid out by rows (项目 | 预算数, one row per item)
is the 三公经费 itself, and the table's sum is checked against it."""
from __future__ import annotations

from decimal import Decimal

from make_fixtures import make_text

from extractor.checks import run_checks
from extractor.extract import extract
from extractor.ingest import read_document


def audit(path):
    doc = read_document(path)
    ext = extract(doc)
    findings, problems = run_checks(doc, ext)
    assert problems == [] and ext.problems == []
    return ext, findings


def row_table(rows: list[str], unit: str = "万元", heading: str = "项目\t2023年预算数") -> str:
    return "\n".join(["样例中心2023年度部门预算", "", "2023年度财政拨款“三公”经费支出预算表", f"单位：{unit}", heading,
                      *rows, "", "八、政府性基金预算支出情况", "本单位无政府性基金预算支出。", ""])


def sangong_errors(findings):
    return [f for f in findings if f.check == "table.sangong" and f.severity != "info"]


def test_the_total_row_of_a_row_laid_sangong_table_is_the_sangong_figure(tmp_path):
    rows = ["合计\t6.30", "因公出国（境）费\t0.70", "公务用车购置及运行维护费\t3.20", "其中：公务用车购置费\t1.00",
            "　　　公务用车运行维护费\t2.20", "公务接待费\t2.40"]
    ext, findings = audit(make_text(tmp_path / "rows.txt", row_table(rows)))
    totals = [f for f in ext.figures if f.cell is not None and f.cell.row == "合计"]
    assert [(f.subject.item, f.quantity.value, f.measure) for f in totals] == [("三公经费", Decimal("6.30"), "预算")]
    assert sangong_errors(findings) == [], [f.message for f in findings]


def test_a_total_row_that_is_not_the_sum_of_the_item_rows_is_found(tmp_path):
    # 0.50 + 4.10 + 1.90 = 6.50, not 7.30
    rows = ["合计\t7.30", "因公出国（境）费\t0.50", "公务用车购置及运行维护费\t4.10", "其中：公务用车购置费\t0.00",
            "　　　公务用车运行维护费\t4.10", "公务接待费\t1.90"]
    _ext, findings = audit(make_text(tmp_path / "rows.txt", row_table(rows)))
    (f,) = sangong_errors(findings)
    assert f.stated == Decimal("7.30") and f.computed == Decimal("6.50"), f.message
    assert f.message.startswith("“2023年度财政拨款“三公”经费支出预算表”合计行")


def test_a_total_in_yuan_that_adds_up_is_no_contradiction(tmp_path):
    rows = ["合计\t52,480.00", "因公出国（境）费\t0.00", "公务用车购置及运行维护费\t31,240.00", "其中：公务用车购置费\t0.00",
            "　　　公务用车运行维护费\t31,240.00", "公务接待费\t21,240.00"]
    _ext, findings = audit(make_text(tmp_path / "yuan.txt", row_table(rows, unit="元")))
    assert sangong_errors(findings) == [], [f.message for f in findings]


def test_a_total_one_hundredth_off_its_rounded_items_is_no_contradiction(tmp_path):
    # 0.70 + 3.20 + 2.40 = 6.30: each item rounded to the hundredth, 6.31 is within reach
    rows = ["合计\t6.31", "因公出国（境）费\t0.70", "公务用车购置及运行维护费\t3.20", "公务接待费\t2.40"]
    _ext, findings = audit(make_text(tmp_path / "round.txt", row_table(rows)))
    assert sangong_errors(findings) == [], [f.message for f in findings]


def test_two_measure_columns_are_each_checked_against_their_own_total(tmp_path):
    # 预算 5.60 = 0 + 3.10 + 2.50; 决算 4.90 ≠ 0 + 2.30 + 2.10 = 4.40
    rows = ["合计\t5.60\t4.90", "因公出国（境）费\t0.00\t0.00", "公务用车购置及运行维护费\t3.10\t2.30",
            "公务接待费\t2.50\t2.10"]
    _ext, findings = audit(make_text(tmp_path / "two.txt", row_table(rows, heading="项目\t预算数\t决算数")))
    (f,) = sangong_errors(findings)
    assert (f.stated, f.computed) == (Decimal("4.90"), Decimal("4.40")), f.message


def test_an_item_row_with_a_blank_cell_may_hold_the_rest_of_the_total(tmp_path):
    # 出国 blank: 2.60 + 1.80 = 4.40 under 5.00, the blank cell may be 0.60
    rows = ["合计\t5.00", "因公出国（境）费\t", "公务用车购置及运行维护费\t2.60", "公务接待费\t1.80"]
    _ext, findings = audit(make_text(tmp_path / "blank.txt", row_table(rows)))
    assert sangong_errors(findings) == [], [f.message for f in findings]


def test_items_over_the_total_contradict_it_though_an_item_is_blank(tmp_path):
    # 出国 blank: 3.70 + 2.20 = 5.90 already over 5.00, whatever the blank cell held
    rows = ["合计\t5.00", "因公出国（境）费\t", "公务用车购置及运行维护费\t3.70", "公务接待费\t2.20"]
    _ext, findings = audit(make_text(tmp_path / "over.txt", row_table(rows)))
    (f,) = sangong_errors(findings)
    assert (f.stated, f.computed) == (Decimal("5.00"), Decimal("5.90")), f.message


def column_table(figures: str) -> str:
    return "\n".join(["样例中心2023年度部门决算", "", "2023年度财政拨款“三公”经费支出决算表", "单位：万元",
                      "合计\t因公出国（境）费\t公务用车购置及运行费\t公务接待费", figures, "", ""])


def test_a_blank_item_column_under_the_total_is_not_a_contradiction(tmp_path):
    # 出国 blank: 2.60 + 1.80 = 4.40 under 5.00
    _ext, findings = audit(make_text(tmp_path / "cols.txt", column_table("5.00\t\t2.60\t1.80")))
    assert sangong_errors(findings) == [], [f.message for f in findings]


def test_items_over_the_total_contradict_it_though_an_item_column_is_blank(tmp_path):
    _ext, findings = audit(make_text(tmp_path / "cols.txt", column_table("5.00\t\t3.70\t2.20")))
    (f,) = sangong_errors(findings)
    assert (f.stated, f.computed) == (Decimal("5.00"), Decimal("5.90")), f.message


def test_a_flattened_table_whose_item_cells_were_lost_is_not_added_up(tmp_path):
    # a crawler gave each cell a line and dropped the empty ones: the rows end at the last
    # figure, and 公务用车 / 公务接待 have no cell at all
    lines = ["样例站2022年预算“三公”经费情况说明", "一、2022年“三公”经费支出预算表", "项目", "预算数(万元)",
             "合计", "4.6", "因公出国(境)费", "0", "公务接待费", "公务用车购置及运行费", "其中:公务用车运行维护费",
             "公务用车购置", "二、2022年“三公”经费支出预算情况说明",
             "样例站2022年度“三公”经费支出预算为4.6万元,其中公务接待费4.6万元,公务用车购置及运行费0万元。", ""]
    ext, findings = audit(make_text(tmp_path / "flat.txt", "\n".join(lines)))
    totals = [f for f in ext.figures if f.cell is not None and f.cell.row == "合计"]
    assert [f.subject.item for f in totals] == ["三公经费"]
    assert sangong_errors(findings) == [], [f.message for f in findings]


def test_a_subtotal_row_of_a_sangong_table_is_the_official_car_subtotal(tmp_path):
    # 小计 under 公务用车 is that item's own total (as a 小计 column is), not the 三公经费
    rows = ["合计\t8.20", "因公出国（境）费\t1.10", "公务用车购置及运行维护费\t", "小计\t4.30", "公务用车购置费\t2.00",
            "公务用车运行维护费\t2.30", "公务接待费\t2.80"]
    text = row_table(rows).replace("八、", "七、“三公”经费预算情况\n2023年“三公”经费预算8.20万元。\n\n八、")
    ext, findings = audit(make_text(tmp_path / "sub.txt", text))
    items = {f.cell.row: f.subject.item for f in ext.figures if f.cell is not None}
    assert items["小计"] == "公务用车购置及运行费" and items["合计"] == "三公经费"
    assert [f for f in findings if f.severity != "info"] == [], [f.message for f in findings]
