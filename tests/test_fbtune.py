"""Families met on the fiscal-blind tuning split (eval_sets/fiscal-blind-tune): whole 决算/预算
documents in the layouts of the blind set. Each test is a short made-up text in the shape that
misled a rule or slipped past it, with the near-miss that must stay silent."""
from __future__ import annotations

from conftest import extraction_of
from test_sweep_prose import errors

BASIC_TABLE = ("白鹭县气象局2025年度部门决算\n一般公共预算财政拨款基本支出决算表\n单位：万元\n"
               "人员经费\t\t\t公用经费\t\t\n"
               "科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\n"
               "301\t工资福利支出\t356.20\t302\t商品和服务支出\t48.10\n"
               "30101\t基本工资\t88.40\t30201\t办公费\t20.60\n"
               "30102\t津贴补贴\t140.30\t30211\t差旅费\t27.50\n"
               "30107\t绩效工资\t127.50\t\t\t\n"
               "人员经费合计\t\t356.20\t公用经费合计\t\t48.10\n\n")
BASIC_PROSE = ("六、一般公共预算财政拨款基本支出决算情况说明\n2025年度一般公共预算财政拨款基本支出404.30万元，其中：人员经费356.20万元，公用经费48.10万元。\n"
               "人员经费中，基本工资88.40万元、津贴补贴140.30万元、绩效工资127.50万元。\n")


def test_a_list_among_an_item_names_its_parts_not_the_item():
    # "人员经费中，基本工资a、津贴补贴b": a non-exhaustive list inside 人员经费, not its level
    text = BASIC_TABLE + BASIC_PROSE
    assert errors(text) == []
    (wage,) = [f for f in extraction_of(text).figures if f.quantity.text == "88.40万元"]
    assert wage.subject is not None and wage.subject.key[0] == "人员经费" and wage.subject.part == "基本工资"
    # the level itself stated with another value is still a contradiction with the table
    assert "xref.narrative_table" in errors(text.replace("人员经费356.20万元", "人员经费365.20万元"))
    # "其中，" lists the amount before it: its first item is no part of a frame
    assert errors("2025年度公用经费48.10万元，其中，办公费20.60万元、差旅费27.50万元。\n") == []
