"""Families of false alarms met on the ninth sweep of published pages: each test is a short
made-up text in the shape that misled a rule, with the wrong variant the rule must still catch."""
from __future__ import annotations

from conftest import extraction_of, findings_for
from test_sweep_prose import errors

REASON_THEN_LIST = ("2024年度支出合计356.40万元，较上年减少41.20万元，下降10.36%，主要原因是上年有一次性设备购置经费38.50万元。"
                    "其中：基本支出300.10万元，占84.20%；项目支出56.30万元，占15.80%。\n")


def test_an_amount_in_a_reason_clause_is_not_the_total_of_the_next_list():
    # "…，主要原因是上年有…经费38.50万元。其中：A a，占p；B b，占q": the list breaks down the
    # sentence's total, not the amount that explains its change
    assert errors(REASON_THEN_LIST) == []
    totals = [(r.total.quantity.text, [p.quantity.text for p in r.parts]) for r in extraction_of(REASON_THEN_LIST).relations]
    assert totals == [("356.40万元", ["300.10万元", "56.30万元"])]
    # parts that do not add up to the real total are still reported
    assert "rate.share" in errors(REASON_THEN_LIST.replace("300.10万元", "320.10万元"))


def test_a_reason_given_with_other_words_explains_too():
    text = ("本年收入合计128.60万元，比上年增加12.00万元，增长10.29%，原因为新增聘用人员经费10.50万元。"
            "其中：财政拨款收入120.60万元，占93.78%；其他收入8.00万元，占6.22%。\n")
    assert errors(text) == []
    assert [r.total.quantity.text for r in extraction_of(text).relations] == ["128.60万元"]
    # a share that does not follow from the real total is still wrong
    assert errors(text.replace("占93.78%", "占83.78%")) == ["rate.share"]


CARRY_OVER = "2024年度上年结转和结余为56.20万元，本年收入842.10万元，本年支出860.30万元，结余分配0万元，年末结转和结余为38.00万元。\n"


def test_a_bare_income_or_spending_after_a_carry_over_is_not_that_carry_over():
    # "上年结转和结余X，本年收入Y，支出Z": the year's flows follow the opening balance in one list;
    # they are not the balance stated twice with other values
    assert errors(CARRY_OVER) == []
    figures = {f.quantity.text: f for f in extraction_of(CARRY_OVER).figures}
    assert figures["56.20万元"].subject.item == "年初结转和结余"
    assert figures["842.10万元"].subject is None and figures["860.30万元"].subject is None
    # the balance itself stated again with another value is still a contradiction
    assert errors(CARRY_OVER + "年初结转和结余为65.20万元。\n") == ["xref.conflict"]


def test_a_bare_spending_after_an_item_of_the_year_is_still_that_item():
    # near miss: after an item that is itself spent in the year, a bare 支出 is its spending
    text = "2024年公务接待费预算3.00万元，支出2.40万元。\n"
    (spent,) = [f for f in extraction_of(text).figures if f.quantity.text == "2.40万元"]
    assert spent.subject is not None and spent.subject.item == "公务接待费"


COUNTED_AMOUNTS = ("本年度共实施项目12个，资金总额860.00万元。其中新建项目5个，资金410.00万元；"
                   "续建项目7个，资金450.00万元。\n")


def test_a_list_of_items_each_with_a_count_and_an_amount_breaks_down_both_totals():
    # "其中A项目5个，资金a；B项目7个，资金b": the counts break down the 12 projects and the
    # amounts the 860.00万元, each against its own total
    assert errors(COUNTED_AMOUNTS) == []
    read = {r.total.quantity.text: [p.quantity.text for p in r.parts] for r in extraction_of(COUNTED_AMOUNTS).relations}
    assert read == {"12个": ["5个", "7个"], "860.00万元": ["410.00万元", "450.00万元"]}
    # amounts that exceed their total are reported, as counts that exceed theirs are
    assert errors(COUNTED_AMOUNTS.replace("450.00万元", "550.00万元")) == ["sum.breakdown"]
    assert errors(COUNTED_AMOUNTS.replace("续建项目7个", "续建项目9个")) == ["sum.breakdown"]


def test_amounts_of_counted_items_with_no_total_of_their_own_are_left_alone():
    # near miss: no amount before the list, so the amounts break down nothing stated
    text = "本年度共实施项目12个。其中新建项目5个，资金410.00万元；续建项目7个，资金450.00万元。\n"
    assert errors(text) == []
    assert [r.total.quantity.text for r in extraction_of(text).relations] == ["12个"]


BALANCE_TWICE = ("2024年度年初结转和结余为46.50万元，年末结转和结余为2731.64万元。\n"
                 "2024年度一般公共预算财政拨款年初结转和结余46.50万元，一般公共预算财政拨款年末结转和结余2731.64元。\n")


def test_an_amount_restated_under_its_fund_with_the_same_digits_in_yuan_is_a_unit_slip():
    # the fund's part may be less than the whole, but not the whole's digits divided by 10⁴
    found = [(f.check, f.severity) for f in findings_for(BALANCE_TWICE)]
    assert found == [("xref.unit_slip", "warning")]
    # near misses: another amount of the fund, or a slip-free restatement, is no slip
    assert errors(BALANCE_TWICE.replace("2731.64元", "2620.18万元")) == []
    assert errors(BALANCE_TWICE.replace("2731.64元", "2731.64万元")) == []
    # a few digits alike are a coincidence, not a slip
    assert errors(BALANCE_TWICE.replace("2731.64万元", "25万元").replace("2731.64元", "25元")) == []


UNCHOSEN = ("本年收入总计48.20万元，与上年相比增加（减少）48.20万元，增长（下降）100%。\n"
            "年末结转和结余0万元，较上年增加(减少)0万元。\n")


def test_a_template_wording_left_with_both_directions_is_a_placeholder():
    # "增加（减少）X万元": the template offered both words and neither was struck out
    found = [(f.check, f.severity) for f in findings_for(UNCHOSEN)]
    assert found == [("complete.placeholder", "warning")] * 2  # once a paragraph
    (first, _second) = [f for f in findings_for(UNCHOSEN)]
    assert "共2处" in first.message


def test_both_directions_named_where_no_amount_follows_are_no_placeholder():
    # near misses: a column heading that names both directions, a reason in brackets
    assert errors("附表列示“增加（减少）额”一栏。\n") == []
    assert errors("本年收入48.20万元，比上年增加（主要是人员增加）5.00万元。\n") == []


FUND_YEAR = "2024年度财政拨款年初结转和结余12.40万元，财政拨款收入530.20万元，财政拨款支出520.10万元，财政拨款年末结转和结余22.50万元。\n"


def test_a_funds_closing_balance_is_its_opening_plus_income_minus_spending():
    assert errors(FUND_YEAR) == []
    found = [(f.check, f.severity) for f in findings_for(FUND_YEAR.replace("年末结转和结余22.50万元", "年末结转和结余32.50万元"))]
    assert found == [("sum.carryover", "warning")]


def test_the_units_own_balance_is_not_judged_without_its_other_moves():
    # near miss: the unit as a whole also uses 非财政拨款结余 and distributes 结余; with those two
    # unstated, a closing balance that differs from a + b − c is no contradiction
    whole = "2024年度年初结转和结余12.40万元，本年收入合计530.20万元，本年支出合计520.10万元，年末结转和结余30.00万元。\n"
    assert errors(whole) == []
    stated = whole.replace("年末结转和结余30.00万元", "使用非财政拨款结余0万元，结余分配2.50万元，年末结转和结余30.00万元")
    assert errors(stated) == ["sum.carryover"]
    assert errors(stated.replace("30.00万元", "20.00万元")) == []
