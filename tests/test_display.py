"""How a finding's values are printed: the terminal summary and the review page use one formatter."""
from __future__ import annotations

from conftest import invoke
from extractor.records import display_number


def test_amounts_are_grouped_by_thousands_but_a_year_never_is():
    assert display_number(2995.39, "万元") == "2,995.39"
    assert display_number(12000, "元") == "12,000"
    assert display_number(2023, "年") == "2023"
    assert display_number(-1, "年") == "-1"
    assert display_number(None, "年") == "—"


def test_a_wrong_year_finding_prints_its_years_as_years(tmp_path):
    report = tmp_path / "某站决算.txt"
    report.write_text("某站2022年度单位决算\n目录\n第二部分 2021年度单位决算情况说明\n"
                      "一、收入支出决算总体情况说明\n2022年度收、支总计均为640.20万元。\n", encoding="utf-8")
    out = invoke("audit", report, "--no-store").output
    assert "text.wrong_year" in out
    assert "填报 2021年" in out and "计算 2022年" in out
    assert "2,02" not in out
