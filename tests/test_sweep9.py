"""Families of false alarms met on the ninth sweep of published pages: each test is a short
made-up text in the shape that misled a rule, with the wrong variant the rule must still catch."""
from __future__ import annotations

from conftest import extraction_of
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
