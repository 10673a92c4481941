"""A bare 收入/支出 that follows an amount of the other flow. Made-up texts in the shapes met on
published pages."""
from __future__ import annotations

from conftest import extraction_of
from test_sweep_prose import errors


INCOME_THEN_SPENDING = ("本单位2025年政府性基金预算拨款收入120.00万元；支出95.00万元，包括：城乡社区支出80.00万元、其他支出15.00万元。\n"
                        "三、政府性基金预算收入说明\n政府性基金预算拨款收入120.00万元，全部为国有土地使用权出让收入安排的支出。\n")


def test_a_bare_spending_after_an_income_is_not_that_income():
    # "收入120；支出95": two flows of one fund, not one amount stated twice
    assert errors(INCOME_THEN_SPENDING) == []
    ext = extraction_of(INCOME_THEN_SPENDING)
    (spent,) = [f for f in ext.figures if f.quantity.text == "95.00万元"]
    assert spent.subject is not None and spent.subject.item == "支出合计" and spent.subject.scope == "政府性基金"


def test_the_fund_spending_stated_twice_with_two_values_still_conflicts():
    text = INCOME_THEN_SPENDING + "四、政府性基金预算支出说明\n政府性基金预算拨款支出90.00万元，主要用于城乡社区建设。\n"
    assert errors(text) == ["xref.conflict"]
    assert errors(text.replace("支出90.00万元", "支出95.00万元")) == []


def test_a_bare_income_after_an_income_still_takes_its_subject():
    # the same flow: "收入" right after an income is still that income (its total stated once more)
    text = "本单位2025年政府性基金预算拨款收入120.00万元，全年收入120.00万元。\n政府性基金预算拨款收入120.00万元。\n"
    assert errors(text) == []
