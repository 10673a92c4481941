"""Families of false alarms met on a second sweep of published 预算/决算 notes: each test is a
short made-up text in the shape that misled a rule, with the wrong variant the rule must still
catch."""
from __future__ import annotations

from conftest import extraction_of, findings_for


def errors(text: str) -> list[str]:
    return sorted(f.check for f in findings_for(text) if f.severity in ("error", "warning"))


def figure(ext, printed: str):
    (f,) = [f for f in ext.figures if f.quantity.text == printed]
    return f


def test_a_publication_stamp_above_the_title_is_not_the_report_year():
    # a 决算 comes out the year after the one it reports on: the stamp's year is no title year
    text = ("目录\n发布时间：2023年8月30日\n第一部分 单位概况\n第二部分 2022年度单位决算情况说明\n"
            "一、收入支出决算总体情况说明\n2022年度收、支总计均为640.20万元。\n")
    assert extraction_of(text).year == "2022"
    assert errors(text) == []
    # a heading that names another year than a real title still does
    titled = "某站2022年度单位决算\n" + text.replace("第二部分 2022年度", "第二部分 2021年度")
    assert extraction_of(titled).year == "2022"
    assert errors(titled) == ["text.wrong_year"]
