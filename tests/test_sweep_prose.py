"""Families of false alarms met on published reports read end to end: each test is a short
made-up text in the shape that misled a rule, with the wrong variant the rule must still catch."""
from __future__ import annotations

from conftest import extraction_of, findings_for


def errors(text: str) -> list[str]:
    return sorted(f.check for f in findings_for(text) if f.severity in ("error", "warning"))


def figure(ext, printed: str):
    (f,) = [f for f in ext.figures if f.quantity.text == printed]
    return f


def test_revenue_and_spending_change_verbs_are_changes():
    # 增收/减收, 增支/减支: the amount after them is a change, not last year's level
    text = "2023年全镇一般公共预算收入完成5200万元，比上年增收400万元，增长8.3%；一般公共预算支出6100万元，比上年减支305万元，下降4.8%。\n"
    ext = extraction_of(text)
    assert figure(ext, "400万元").role == figure(ext, "305万元").role == "change"
    assert errors(text) == []
    assert errors(text.replace("增长8.3%", "增长12.5%")) == ["rate.growth"]
