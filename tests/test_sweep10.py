"""Families of false alarms met on the tenth sweep of published pages: each test is a short
made-up text in the shape that misled a rule, with the variant the rule must still catch."""
from __future__ import annotations

from conftest import extraction_of
from test_sweep_prose import errors

# a budget's income list: the year's grant, the carry-over, then each other fund at 0
CARRY_THEN_FUND = ("（一）收入预算：2026年年初预算数842.60万元，其中：一般公共预算拨款本年收入815.10万元，"
                   "上年结转27.50万元；政府性基金预算拨款0万元，国有资本经营预算收入0万元，事业收入0万元。\n")


def _subject(text: str, printed: str, label_end: str):
    (f,) = [f for f in extraction_of(text).figures if f.quantity.text == printed and f.label.endswith(label_end)]
    return f.subject


def test_a_fund_named_alone_after_the_carry_over_is_not_the_carry_over():
    # "政府性基金预算拨款0万元" is that fund's money, not 上年结转 stated a second time as 0
    assert errors(CARRY_THEN_FUND) == []
    assert _subject(CARRY_THEN_FUND, "27.50万元", "上年结转").item == "年初结转和结余"  # the carry-over itself is read
    assert _subject(CARRY_THEN_FUND, "0万元", "政府性基金预算拨款") is None
    # a carry-over that breaks the list's sum is still reported
    assert errors(CARRY_THEN_FUND.replace("上年结转27.50万元", "上年结转37.50万元")) == ["sum.breakdown"]


def test_a_fund_named_alone_after_another_funds_income_is_not_that_income():
    # "一般公共预算拨款收入X，政府性基金预算拨款Y": Y is the other fund's, not 一般公共预算 income again
    text = "2026年收入预算503.00万元，其中：一般公共预算拨款收入480.00万元，政府性基金预算拨款23.00万元。\n"
    assert errors(text) == []
    assert _subject(text, "480.00万元", "收入").scope == "一般公共预算"
    assert _subject(text, "23.00万元", "政府性基金预算拨款") is None
    # the parts still have to add up to the total the sentence opens with
    assert errors(text.replace("480.00万元", "490.00万元")) == ["sum.breakdown"]


def test_a_carry_over_split_by_fund_is_not_the_carry_over_restated():
    # "年初结转和结余20万元，其中：一般公共预算…15万元，政府性基金…5万元": parts, not two more totals
    text = "年初结转和结余20.00万元，其中：一般公共预算财政拨款15.00万元，政府性基金预算财政拨款5.00万元。\n"
    assert errors(text) == []
    assert errors(text.replace("5.00万元", "6.00万元")) == ["sum.breakdown"]


def test_a_fund_split_in_parentheses_still_names_each_funds_amount():
    # the bracketed split of a grant by fund keeps its reading (see test_sweep8): each fund's own amount
    text = ("本年收入合计640.50万元，包括财政拨款收入598.30万元(其中,一般公共预算583.30万元,政府性基金预算15.00万元,"
            "国有资本经营预算0万元)，占收入合计93.41%；事业收入42.20万元，占收入合计6.59%。\n")
    assert _subject(text, "15.00万元", "政府性基金预算").scope == "政府性基金"
    assert errors(text + "本年政府性基金预算财政拨款收入25.00万元。\n") == ["xref.conflict"]


# a 预算 whose part headings put a colon after the mark ("第二部分：…"), as some provinces' templates do
PART_COLON = ("示例幼儿园2026年部门预算公开说明\n"
              "第一部分：示例幼儿园概况\n"
              "一、主要职责\n"
              "实施学前教育，为幼儿提供保育和教育服务。\n"
              "第二部分：示例幼儿园{year}年预算情况说明\n"
              "一、收支预算情况说明\n"
              "2026年收支总预算412.60万元，同比增加12.40万元，同比增长3.10%。\n")


def test_a_part_heading_with_a_colon_after_its_mark_is_a_heading():
    # the part's title names last year's 预算: a stale year in a heading of this year's accounts
    assert errors(PART_COLON.format(year=2025)) == ["text.wrong_year"]
    assert errors(PART_COLON.format(year=2026)) == []
    # a line that only opens with a part's mark and goes on into a clause is still no heading
    clause = PART_COLON.format(year=2026).replace("第二部分：示例幼儿园2026年预算情况说明", "第二部分：2025年预算情况说明，详见附表")
    assert errors(clause) == []
