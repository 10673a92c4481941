"""A whole's change against its parts' changes (sum.change_breakdown), and a bare 收入/支出 that
follows an amount of the other flow. Made-up texts in the shapes met on published pages."""
from __future__ import annotations

from decimal import Decimal

from conftest import extraction_of, findings_for
from test_sweep_prose import errors

SANGONG = ("2025年“三公”经费支出合计36.40万元，比上年减少8.75万元，其中：公务接待费同比增加1.25万元，"
           "公务用车购置及运行费同比减少9.60万元，因公出国（境）费同比减少0.40万元。\n")


def _change_relations(text: str):
    return [r for r in extraction_of(text).relations if r.check == "sum.change_breakdown"]


def test_parts_changes_that_add_up_with_their_signs_are_silent():
    # +1.25 − 9.60 − 0.40 = −8.75: an increase among decreases counts against them
    assert errors(SANGONG) == []
    (rel,) = _change_relations(SANGONG)
    assert [p.quantity.value for p in rel.parts] == [Decimal("1.25"), Decimal("-9.60"), Decimal("-0.40")]


def test_parts_changes_that_do_not_add_up_to_the_whole_change():
    wrong = SANGONG.replace("同比减少0.40万元", "同比减少0.55万元")
    assert errors(wrong) == ["sum.change_breakdown"]
    (f,) = [f for f in findings_for(wrong) if f.check == "sum.change_breakdown"]
    assert (f.stated, f.computed) == (Decimal("-8.75"), Decimal("-8.90"))
    # a direction word read the wrong way is caught too (the amounts alone add up: 1.25 + 9.60 − 0.40 ≠ −8.75)
    assert errors(SANGONG.replace("同比增加1.25万元", "同比减少1.25万元")) == ["sum.change_breakdown"]


SECTION = ("（二）“三公”经费支出情况\n2025年“三公”经费支出合计48.60万元，比上年减少6.20万元。\n"
           "其中：因公出国（境）费0万元，比上年减少1.50万元。公务用车购置及运行费30.40万元，比上年减少5.10万元（公务用车购置费0万元，"
           "比上年减少0万元；公务用车运行维护费30.40万元，比上年减少5.10万元）。公务接待费18.20万元，比上年增加0.40万元。\n")


def test_changes_after_each_items_amount_across_sentences_and_paragraphs():
    # "A x万元，比上年减少a": the change is the item's named just before it; the list runs over
    # the sentences and paragraphs of its section: −1.50 − 5.10 + 0.40 = −6.20, and 0 − 5.10 = −5.10
    assert errors(SECTION) == []
    assert len(_change_relations(SECTION)) == 2
    assert errors(SECTION.replace("比上年增加0.40万元", "比上年增加0.60万元")) == ["sum.change_breakdown"]
    assert errors(SECTION.replace("运行维护费30.40万元，比上年减少5.10万元", "运行维护费30.40万元，比上年减少4.10万元")) == ["sum.change_breakdown"]


def test_a_heading_ends_the_list():
    # the parts' changes in the next section are of another account, not of this whole
    text = SECTION.replace("\n其中：", "\n（三）机关运行经费情况\n")
    assert [r.total.quantity.value for r in _change_relations(text)] == [Decimal("-5.10")]


def test_a_part_that_did_not_change_is_exactly_zero():
    # "减少0万元" is no change, not anything below half a 万元 that could hide 0.07
    text = ("“三公”经费支出比上年减少12.30万元，其中：公务接待费同比减少0万元，公务用车购置及运行费同比减少12.30万元，"
            "因公出国（境）费同比减少0.07万元。\n")
    assert errors(text) == ["sum.change_breakdown"]
    assert errors(text.replace("减少0.07万元", "减少0万元")) == []


def test_spending_total_change_against_basic_and_project_changes():
    text = "2025年本年支出合计比上年增加64.00万元，其中：基本支出比上年增加22.50万元，项目支出比上年增加47.50万元。\n"
    assert errors(text) == ["sum.change_breakdown"]
    assert errors(text.replace("增加47.50万元", "增加41.50万元")) == []


def test_rounded_parts_are_at_most_info():
    # within the printed intervals (each part ±0.005): silent
    assert findings_for(SANGONG.replace("同比减少0.40万元", "同比减少0.41万元")) == []
    # one unit in the last place beyond them: a rounding habit, info only
    text = SANGONG.replace("同比减少0.40万元", "同比减少0.43万元")
    assert errors(text) == []
    assert [f.severity for f in findings_for(text) if f.check == "sum.change_breakdown"] == ["info"]


def test_the_same_change_in_another_unit_adds_up():
    # 290万元 is 2,900,000元
    text = ("“三公”经费支出比上年减少290.00万元，其中：公务接待费同比减少1,000,000元，公务用车购置及运行费同比减少"
            "1,500,000元，因公出国（境）费同比减少400,000元。\n")
    assert len(_change_relations(text)) == 1
    assert errors(text) == []


def test_a_list_of_some_parts_bounds_nothing():
    # two of the three items: the third may have risen or fallen by anything
    text = "“三公”经费支出比上年减少3.00万元，其中：公务接待费同比减少2.40万元，公务用车购置及运行费同比减少4.10万元。\n"
    assert _change_relations(text) == []
    assert errors(text) == []


def test_parts_compared_with_another_base_are_not_parts_of_the_change():
    # the whole against last year, the parts against the budget
    text = ("“三公”经费支出比上年减少8.75万元，其中：公务接待费比预算增加1.25万元，公务用车购置及运行费比预算减少4.60万元，"
            "因公出国（境）费比预算减少0.40万元。\n")
    assert _change_relations(text) == []
    assert errors(text) == []


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
