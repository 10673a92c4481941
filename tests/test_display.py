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


def test_show_prints_every_value_with_its_unit(tmp_path):
    report = tmp_path / "某站决算.txt"
    report.write_text("某站2022年度单位决算\n目录\n第二部分 2021年度单位决算情况说明\n"
                      "一、收入支出决算总体情况说明\n2022年度收、支总计均为640.20万元。\n"
                      "二、支出决算情况说明\n2022年度支出合计200.00万元，其中基本支出150.00万元，占支出合计的76.00%。\n",
                      encoding="utf-8")
    db = tmp_path / "a.db"
    assert invoke("audit", report, "--db", db, "--quiet").exit_code == 0
    out = invoke("show", report, "--db", db).output
    assert "填报 2021年  计算 2022年  差额 -1年  容差 —" in out  # (a year has no tolerance)
    share = next(line for line in out.splitlines() if line.strip().startswith("填报 76%"))
    assert "计算 75%" in share and "差额 1%" in share and "容差 ±0." in share and share.rstrip().endswith("%")
