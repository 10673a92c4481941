"""A 三公 table that gives no cell for an item (left blank, or lost by a crawler that flattened
the table) may hold the rest of the total in it: only parts that already exceed the total
contradict it."""
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


def sangong_errors(findings):
    return [f for f in findings if f.check == "table.sangong" and f.severity != "info"]


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
