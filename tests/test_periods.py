"""Figures of another year, another fund scope, or a subset are not the same figure: each test is a
short made-up text in a shape real reports use, with the variant that is a contradiction."""
from __future__ import annotations

from conftest import extraction_of
from test_sweep_prose import errors

SMALL_FIRMS = "2024年政府采购合同金额1000万元，其中授予中小企业合同金额800万元，授予小微企业合同金额600万元。\n"


def test_a_subset_listed_beside_its_superset_is_no_part_of_the_total():
    # the small firms are among the SMEs: 800 + 600 is no sum of the awards
    assert errors(SMALL_FIRMS) == []
    assert {f.subject.item for f in extraction_of(SMALL_FIRMS).figures} >= {"中小企业合同", "小微企业合同"}
    # the superset itself above the total is still a breakdown over it
    assert errors(SMALL_FIRMS.replace("中小企业合同金额800", "中小企业合同金额1100")) == ["sum.bounded", "sum.breakdown"]
    # the subset above its superset is still bounded by it, and by nothing else
    assert errors(SMALL_FIRMS.replace("小微企业合同金额600", "小微企业合同金额900")) == ["sum.bounded"]


def test_a_subtotal_of_a_subset_under_its_superset():
    superset = "2024年授予中小企业合同金额800万元，其中授予小微企业合同金额600万元。\n"
    assert errors(superset) == []
    assert errors(superset.replace("600万元", "900万元")) == ["sum.bounded", "sum.breakdown"]


CARRIED = "本年收入总计880万元，包括税收收入600万元，加上年结余150万元，加调入资金130万元。\n"


def test_the_carry_over_is_a_line_of_this_years_revenue():
    # "加上年结余X": the balance brought in is this year's money, a part of this year's total
    assert [f.period for f in extraction_of(CARRIED).figures] == [None, None, None, None]
    assert errors(CARRIED) == []
    assert errors(CARRIED.replace("调入资金130", "调入资金140")) == ["sum.breakdown"]
    named = "2024年度收入合计300.00万元，其中：财政拨款收入240.00万元，上年结转结余收入60.00万元。\n"
    assert errors(named) == []
    assert errors(named.replace("60.00", "70.00")) == ["sum.breakdown"]
    # last year's revenue itself is still last year's
    last = extraction_of("2024年度收入合计300.00万元，上年收入合计280.00万元。\n").figures
    assert [f.period for f in last] == [None, "2023"]


def test_the_year_before_a_list_reaches_each_item_of_it():
    both = "2024年度基本支出480.00万元、项目支出170.00万元；上年基本支出450.00万元、项目支出160.00万元。\n"
    # this year's and last year's of the same items, both stated: no contradiction
    assert errors(both) == []
    assert [f.period for f in extraction_of(both).figures] == [None, None, "2023", "2023"]
    # an item that says it is this year's is this year's
    assert errors(both.replace("、项目支出160", "、本年项目支出160")) == ["xref.conflict"]


def test_last_years_list_is_checked_against_last_years_total():
    lists = ("2024年度支出合计650.00万元，其中：基本支出480.00万元，项目支出170.00万元。"
             "上年支出合计610.00万元，其中：基本支出450.00万元，项目支出160.00万元。\n")
    assert errors(lists) == []
    bad = errors(lists.replace("基本支出450.00", "基本支出460.00"))
    assert bad == ["sum.total_basic_project"]


def test_a_growth_rate_over_both_years_is_still_checked():
    rate = "2024年度支出合计650.00万元，上年支出合计610.00万元，比上年增长6.56%。\n"
    assert errors(rate) == []
    assert errors(rate.replace("6.56%", "7.56%")) == ["rate.growth"]


def test_with_last_year_and_a_verb_is_a_comparison():
    # "与上年下降X": a change against last year, like "比上年下降X" — summed over the 三公 items
    sangong = ("2024年“三公”经费支出20.00万元，比上年减少10.00万元。其中：因公出国（境）费0万元，与上年下降1.00万元；"
               "公务接待费6.00万元，与上年下降4.00万元；公务用车购置及运行费14.00万元，与上年下降5.00万元。\n")
    assert errors(sangong) == []
    assert errors(sangong.replace("与上年下降5.00", "与上年下降4.00")) == ["sum.change_breakdown"]


def test_two_fund_scopes_of_one_item_are_two_figures():
    scopes = "2024年度财政拨款项目支出210.00万元。2024年度项目支出全部资金260.00万元。\n"
    assert errors(scopes) == []
    assert errors(scopes + "2024年度财政拨款项目支出230.00万元。\n") == ["xref.conflict"]
