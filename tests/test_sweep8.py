"""Families of false alarms met on the eighth sweep of published pages: each test is a short
made-up text in the shape that misled a rule, with the wrong variant the rule must still catch."""
from __future__ import annotations

from conftest import extraction_of
from test_sweep_prose import errors

FUND_SPLIT = ("本年收入合计640.50万元，包括财政拨款收入598.30万元(其中,一般公共预算598.30万元,政府性基金预算0万元,"
              "国有资本经营预算0万元)，占收入合计93.41%；事业收入42.20万元，占收入合计6.59%。\n")


def test_a_split_of_a_grant_by_fund_names_each_funds_own_amount():
    # "财政拨款收入X(其中,一般公共预算X,政府性基金预算0,…)": the zeros are the other funds' amounts,
    # not the 一般公共预算 part stated a second time
    assert errors(FUND_SPLIT) == []
    scopes = [(f.quantity.text, f.subject.scope) for f in extraction_of(FUND_SPLIT).figures if f.label.endswith("预算")]
    assert scopes == [("598.30万元", "一般公共预算"), ("0万元", "政府性基金"), ("0万元", "国有资本经营")]
    # a fund's amount stated again with another value is still two statements of one figure
    again = FUND_SPLIT.replace("政府性基金预算0万元", "政府性基金预算15.00万元").replace("一般公共预算598.30万元", "一般公共预算583.30万元")
    assert errors(again) == []
    assert errors(again + "本年政府性基金预算财政拨款收入25.00万元。\n") == ["xref.conflict"]
    # with the other funds at 0, the 一般公共预算 share is the whole grant: a smaller one contradicts it
    assert errors(FUND_SPLIT.replace("一般公共预算598.30万元", "一般公共预算590.30万元")) == ["xref.conflict"]


COUNT_SPLIT = "年度目标下设26个三级绩效指标，包括18个数量指标、2个质量指标、1个时效指标、1个成本指标、2个社会效益指标、2个满意度指标。\n"


def test_a_count_split_into_counted_kinds_is_not_a_list_of_names():
    # the six items each carry their own count (18+2+1+1+2+2 = 26): not six names against 26
    assert errors(COUNT_SPLIT) == []
    # a split that does not add up is still reported, once, as a breakdown
    assert errors(COUNT_SPLIT.replace("18个数量指标", "19个数量指标")) == ["sum.breakdown"]
    # a count of named items is still checked against the names
    assert errors("局机关内设科室6个，包括办公室、规划股、财务股和信息中心。\n") == ["count.listed"]
