"""Vehicles bought in the year against the 公务用车购置费 of the year (count.vehicles): cars bought
while the purchase cost is 0, or none bought while it is not. The fleet, cars transferred, another
year's purchases, plans, cars bought with other money and a cost stated only as a budget are no
contradiction."""
from __future__ import annotations

from decimal import Decimal

import pytest
from make_fixtures import make_text

from extractor.checks import run_checks
from extractor.extract import extract
from extractor.ingest import read_document


def vehicle_findings(tmp_path, paragraph: str, kind: str = "部门决算", year: str = "2024年度"):
    text = "\n".join([f"示例水务中心{year}{kind}", "", "三、“三公”经费支出情况说明", paragraph, ""])
    doc = read_document(make_text(tmp_path / "cars.txt", text))
    ext = extract(doc)
    findings, problems = run_checks(doc, ext)
    assert problems == [] and ext.problems == []
    return [f for f in findings if f.check == "count.vehicles"]


def test_vehicles_bought_with_a_purchase_cost_of_nothing_is_an_error(tmp_path):
    (f,) = vehicle_findings(tmp_path, "本年度购置（更新）执法执勤用车3辆，公务用车购置费决算为0.00万元，公务用车运行维护费8.20万元。")
    assert f.severity == "error" and f.stated == Decimal("0.00"), f.message
    assert "3辆" in f.message and "购置了车辆却无购置费" in f.message


def test_a_purchase_count_named_as_such_is_read_too(tmp_path):
    (f,) = vehicle_findings(tmp_path, "公务用车购置数2辆，公务用车保有量9辆；公务用车购置费0元，公务用车运行维护费31,500.00元。")
    assert f.severity == "error", f.message


def test_no_vehicle_bought_with_a_purchase_cost_is_an_error(tmp_path):
    (f,) = vehicle_findings(tmp_path, "2024年度单位没有购置公务用车。公务用车购置费支出6.40万元，公务用车运行维护费2.10万元。")
    assert f.severity == "error" and f.stated == Decimal("6.40"), f.message
    assert "未购置车辆却有购置费" in f.message


def test_a_count_of_none_with_a_purchase_cost_is_an_error(tmp_path):
    (f,) = vehicle_findings(tmp_path, "购置车辆0辆，公务用车购置支出25,000.00元。")
    assert f.severity == "error" and f.stated == Decimal("25000.00"), f.message


def test_a_cost_the_sentence_inherits_is_only_a_warning(tmp_path):
    (f,) = vehicle_findings(tmp_path, "本年度未购置公务用车。公务用车购置费年初预算0万元，决算为2.30万元。")
    assert f.severity == "warning" and f.stated == Decimal("2.30"), f.message


@pytest.mark.parametrize("paragraph", [
    # consistent
    "购置公务用车2辆，公务用车购置费46.80万元。",
    "公务用车购置费0.00万元，主要原因是本年度未购置车辆。",
    "公务用车购置支出0元，购置车辆0辆。",
    # the fleet, not the purchase
    "年末公务用车保有量6辆，公务用车购置费0万元。",
    # transferred, not bought
    "上级调拨公务用车2辆，公务用车购置费0万元。",
    # another year's purchase
    "上年购置公务用车3辆，本年公务用车购置费0万元。",
    "上年未购置公务用车，本年公务用车购置费15.00万元。",
    # a plan
    "下年度计划购置公务用车1辆，本年公务用车购置费0万元。",
    # other money than the 财政拨款 the cost covers
    "使用单位自有资金购置公务用车1辆，财政拨款公务用车购置费0万元。",
    # a budget of nothing against an actual purchase: a budget/actual difference, not this check's
    "公务用车购置费预算为0万元，实际购置执法用车1辆，决算为18.00万元。",
    "公务用车购置费预算0万元，本年度购置公务用车1辆。",
    # a change is not a level
    "本年度未购置公务用车，公务用车购置费比上年减少20.00万元。",
])
def test_near_misses_are_no_contradiction(tmp_path, paragraph):
    assert vehicle_findings(tmp_path, paragraph) == []


def test_a_budget_document_plans_are_not_judged(tmp_path):
    paragraph = "2024年公务用车购置费预算0万元，拟购置公务用车2辆。"
    assert vehicle_findings(tmp_path, paragraph, kind="部门预算") == []


def test_a_report_without_a_year_reads_another_year_s_claim_as_such(tmp_path):
    paragraph = "上年未购置公务用车，本年公务用车购置费15.00万元。"
    assert vehicle_findings(tmp_path, paragraph, year="") == []


def test_prose_lines_a_crawler_closed_with_a_pipe_are_still_prose(tmp_path):
    """A page whose title and one long paragraph each end in " |" is prose, not a one-column
    table of two cells: its figures are read and judged."""
    text = ("示例林业站2024年度“三公”经费决算说明 |\n"
            "一、“三公”经费决算情况。本年度使用财政拨款购置公务用车2辆，公务用车购置费为0万元，"
            "公务用车运行维护费5.6万元。 |\n")
    doc = read_document(make_text(tmp_path / "piped.txt", text))
    findings, _problems = run_checks(doc, extract(doc))
    assert [f.check for f in findings if f.check == "count.vehicles"] == ["count.vehicles"]


def test_short_cells_closed_with_a_pipe_stay_a_table(tmp_path):
    """Lines of short cells each closed with its pipe ("项目 |", "4.00 |") are still a table's cells."""
    from extractor.segment import find_text_grids
    text = "项目 |\n预算数 |\n决算数 |\n合计 |\n6 |\n4.00 |\n"
    doc = read_document(make_text(tmp_path / "cells.txt", text))
    assert [g.source for g in find_text_grids(doc, [])] == ["tab-rows"]
