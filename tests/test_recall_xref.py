"""Recall of the cross-reference, identity and completeness checks on the ways prose restates
a report's tables; each positive case failed before its rule, each hard negative stays silent."""
from __future__ import annotations

from decimal import Decimal

from conftest import budget_cells, extraction_of, figure_values, findings_for

BUDGET_HEADER = "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率（%）\t得分"
FUND_ROWS = [
    "\t年度资金总额\t20.15\t20.15\t14.21\t10\t70.52%\t7.05",
    "\t其中：当年财政拨付\t11.83\t15.61\t14.21",
    "\t上年结转资金\t8.32\t4.54\t0.00",
    "\t其他资金\t0.00\t0.00\t0.00",
]
INDICATORS = [
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分",
    "产出指标(50分)\t数量指标\t培训教师人次\t≥3500人次\t3500人次\t50\t50",
    "效益指标(30分)\t社会效益指标\t教师能力提升\t明显\t明显\t30\t30",
    "满意度指标(10分)\t服务对象满意度指标\t参训教师满意度\t≥90%\t95%\t3\t3",
    "总分\t100\t93.05",
]
DEPT_TABLE = [
    "部门预算安排资金（万元）\t资金来源\t年初预算数\t年中预算调整数\t调整后预算数\t实际支出数\t预算执行率(%)",
    "\t合计\t13,396.46\t1,740.84\t15,137.30\t15,029.44\t99.29%",
    "\t其中：一般公共预算拨款\t13,396.46\t1,740.84\t15,137.30\t15,029.44\t99.29%",
    "\t其他资金\t0.00\t0.00\t0.00\t0.00",
]


def project(prose: str, rows: list[str] = FUND_ROWS, goal: str | None = None) -> str:
    lines = [prose, "专项资金绩效自评表", BUDGET_HEADER, *rows]
    if goal:
        lines += ["年度总体目标\t预期目标\t\t实际完成情况", goal]
    return "\n".join(lines + INDICATORS) + "\n"


def department(prose: str) -> str:
    return prose + "\n2024年度部门整体绩效自评表\n" + "\n".join(DEPT_TABLE) + "\n"


def of(text: str, check_id: str):
    return [f for f in findings_for(text) if f.check == check_id and f.severity != "info"]


def one(text: str, check_id: str):
    found = of(text, check_id)
    assert len(found) == 1, [(f.check, f.message) for f in findings_for(text)]
    return found[0]


# -- a prose amount named like a budget row -------------------------------------------------

def test_fund_row_amount_written_in_yuan_is_a_unit_slip():
    f = one(project("2024年度项目年度资金总额20.15万元，其中：当年财政拨付15.61元。"), "xref.unit_slip")
    assert (f.stated, f.computed, f.unit) == (Decimal("15.61"), Decimal("156100"), "元")
    assert f.evidence[0].quote.endswith("15.61元") and "当年财政拨付" in f.message
    assert of(project("2024年度项目年度资金总额20.15万元，其中：当年财政拨付15.61元。"), "xref.narrative_table") == []


def test_fund_row_amount_that_matches_no_column():
    f = one(project("2024年度项目年度资金总额20.15万元，其中：当年财政拨付16.61万元。"), "xref.narrative_table")
    assert (f.stated, f.computed) == (Decimal("16.61"), Decimal("15.61"))


def test_fund_row_amount_matching_any_column_or_in_yuan_is_silent():
    for prose in (
        "2024年度项目年度资金总额20.15万元，其中：当年财政拨付156,100.00元。",
        "2024年度项目年度资金总额20.15万元，其中：当年财政拨付11.83万元。",  # the 年初预算数 column
        "项目全年执行14.21万元，中央资金总额30.00万元，上年结转资金8.32万元。",  # a free label, a 上年 amount
        "本项目资金总额比上年增加5.00万元。",  # a change, not the figure
    ):
        assert of(project(prose), "xref.unit_slip") + of(project(prose), "xref.narrative_table") == [], prose
    # each prose amount and the fund rows it could be compared with were read
    first, second, third, change = (extraction_of(project(prose)) for prose in (
        "2024年度项目年度资金总额20.15万元，其中：当年财政拨付156,100.00元。",
        "2024年度项目年度资金总额20.15万元，其中：当年财政拨付11.83万元。",
        "项目全年执行14.21万元，中央资金总额30.00万元，上年结转资金8.32万元。",
        "本项目资金总额比上年增加5.00万元。"))
    assert budget_cells(first, "当年财政拨付") == {"initial": Decimal("11.83"), "budget": Decimal("15.61"), "actual": Decimal("14.21")}
    assert Decimal("156100.00") in figure_values(first, "财政拨付") and Decimal("11.83") in figure_values(second, "财政拨付")
    assert [f.period for f in third.figures if f.label == "上年结转资金"] == ["上年"]
    assert [f.role for f in change.figures if f.context == "narrative"] == ["change"]


def test_unit_budget_in_prose_against_the_total_row():
    f = one(department("2024年度某市民政局部门预算年初预算数13396.46元，调整后预算数15137.30万元，实际支出15029.44万元。"), "xref.unit_slip")
    assert (f.stated, f.computed) == (Decimal("13396.46"), Decimal("133964600"))
    g = one(department("2024年度部门预算年初预算数13396.46万元，调整后预算数15237.30万元，实际支出15029.44万元。"), "xref.narrative_table")
    assert (g.stated, g.computed) == (Decimal("15237.30"), Decimal("15137.30"))


def test_unit_budget_is_silent_when_it_agrees_or_names_something_else():
    none = department("2024年度部门预算年初预算数133,964,600.00元，调整后预算数15137.30万元，实际支出15029.44万元。"
                      "一般公共预算财政拨款收入年初预算数12000.00万元，中央补助资金年初预算数100.00万元。")
    assert of(none, "xref.unit_slip") + of(none, "xref.narrative_table") == []
    ext = extraction_of(none)  # 133,964,600.00元 = 13,396.46万元, the table's 合计 年初预算数
    assert Decimal("133964600.00") in figure_values(ext, "年初预算数") and budget_cells(ext, "合计")["initial"] == Decimal("13396.46")


def test_slip_is_the_smaller_amount_whichever_comes_first():
    f = one("2024年“三公”经费支出21.01元。\n全年共计支出“三公”经费21.01万元。\n", "xref.unit_slip")
    assert (f.stated, f.computed) == (Decimal("21.01"), Decimal("210100"))


# -- a prose rate against the table ---------------------------------------------------------

def test_prose_execution_rate_against_the_total_row():
    f = one(project("截至2024年12月31日，项目全年执行14.21万元，预算执行率为100%。"), "xref.narrative_table")
    assert (f.stated, f.computed) == (Decimal("100"), Decimal("70.52"))


def test_worked_execution_formula_against_the_total_row():
    text = department("2024年度预算执行率=（支出决算数÷调整预算数）×100%=（150,294,400.00元÷151,373,000.00元）×100%=95.00%")
    f = one(text, "xref.narrative_table")
    assert (f.stated, f.computed) == (Decimal("95.00"), Decimal("99.29"))


def test_prose_rate_of_something_else_or_rounded_is_silent():
    for prose in (
        "截至2024年12月31日，项目全年执行14.21万元，预算执行率为70.5%。",  # rounding
        "其他项目支出50.00万元，预算执行率为100%。",  # not the table's amounts: another scope
    ):
        assert of(project(prose), "xref.narrative_table") == [], prose
    rounded = extraction_of(project("截至2024年12月31日，项目全年执行14.21万元，预算执行率为70.5%。"))
    assert Decimal("70.5") in figure_values(rounded) and budget_cells(rounded, "年度资金总额")["rate"] == Decimal("70.52")
    other = extraction_of(project("其他项目支出50.00万元，预算执行率为100%。"))
    assert [f.quantity.value for f in other.figures if f.role == "rate"] == [100]


def test_prose_completion_rate_against_the_annual_goal_cells():
    prose = "培训教师人次：年度目标≥3500人次，实际完成4013人次，完成率114.66%。"
    goal = "\t全年完成3500人次教师培训\t\t实际完成4013人次，完成103%"
    f = one(project(prose, goal=goal), "xref.narrative_table")
    assert (f.stated, f.computed) == (Decimal("114.66"), Decimal("103"))
    assert of(project(prose, goal=goal.replace("103%", "114.7%")), "xref.narrative_table") == []
    other = "\t全年完成3600人次教师培训\t\t实际完成4013人次，完成111.5%"  # another target: another goal
    assert of(project(prose, goal=other), "xref.narrative_table") == []


def test_prose_full_marks_against_a_lower_table_total():
    f = one(project("经自评，该项目自评得分为100分。", rows=FUND_ROWS).replace("总分\t100\t93.05", "总分\t100\t99.50"), "xref.narrative_table")
    assert (f.stated, f.computed) == (Decimal("100"), Decimal("99.50"))
    assert of(project("经自评，该项目自评得分为99.5分。").replace("总分\t100\t93.05", "总分\t100\t99.50"), "xref.narrative_table") == []


# -- identities, completeness ---------------------------------------------------------------

TOTALS_TABLE = (
    "\n部门整体支出绩效自评表\n基本支出总额\t1856.35万元\t项目支出总额\t11630.44万元\n"
    "预算执行情况（万元）（20分）\t年初预算数\t年中调整数\t全年预算数\t全年执行数\t执行率\t分值\t得分\n"
    "部门整体支出总额\t7,824.57\t6,138.12\t13,962.69\t13,962.69\t100.00%\t20\t20\n"
)


def test_table_stating_the_identity_is_judged_beside_the_prose():
    prose = "2024年度我局部门整体支出13962.69万元，其中：基本支出1856.35万元；项目支出11630.44万元。"
    found = of(prose + TOTALS_TABLE, "sum.total_basic_project")
    assert sorted(e.quote for f in found for e in f.evidence if e.role == "stated") == ["13,962.69", "部门整体支出13962.69万元"]
    assert {(f.stated, f.computed) for f in found} == {(Decimal("13962.69"), Decimal("13486.79"))}
    # a table with only the total: the prose parts were already judged once
    only_total = TOTALS_TABLE.replace("基本支出总额\t1856.35万元\t项目支出总额\t11630.44万元\n", "")
    assert len(of(prose + only_total, "sum.total_basic_project")) == 1


def test_placeholder_in_prose_names_its_figure():
    f = one("2024年基本支出为2010.77万元，其中：工资福利支出1389.38万元，商品和服务支出××万元，对个人和家庭补助支出172.78万元。",
            "complete.placeholder")
    assert "商品和服务支出" in f.message and f.evidence[0].quote.startswith("商品和服务支出")



def test_a_unit_with_no_number_before_it_is_a_number_never_typed_in():
    f = one("2024年度基本支出120.00万元，商品和服务支出占基本支出的比重为%。", "complete.placeholder")
    assert "缺少数字" in f.message and f.evidence[0].quote.endswith("比重为%")
    assert len(of("全年支出决算为万元，比上年增长%。", "complete.placeholder")) == 2
    # a unit named as such, or a number that is there, is no placeholder
    for text in ("本表金额单位为万元，详见附表。", "以万元为单位列示。", "指标值单位：%，详见表。", "完成率（%）", "同比增长5%。"):
        assert of(text, "complete.placeholder") == [], text
    assert [st.kind for st in extraction_of("同比增长%。").statements] == ["placeholder_number"]
    # a change whose amount was left out, a space where it belongs
    assert len(of("“三公”经费支出12.00万元，比上年减少 万元，下降 %。", "complete.placeholder")) == 2
    assert len(of("“三公”经费支出12.00万元，比上年增加万元。", "complete.placeholder")) == 1
    assert of("“三公”经费支出12.00万元，比上年减少3.00万元，下降20.00%。", "complete.placeholder") == []

def test_more_rates_that_cannot_exceed_100():
    rows = INDICATORS[:3] + ["满意度指标(10分)\t质量指标\t档案资料完整率\t≥95%\t101%\t3\t3", INDICATORS[4]]
    f = one(project("", rows=FUND_ROWS).replace("\n".join(INDICATORS), "\n".join(rows)), "complete.percent_range")
    assert (f.stated, f.computed) == (Decimal("101"), Decimal("100"))
    assert of("培训教师人次完成率101%。", "complete.percent_range") == []


def test_rate_read_into_a_money_column_is_not_an_adjusted_budget():
    shifted = "\t一般公共预算拨款\t14123.99\t13283.88\t94.05%\t94.05%\t94.05%"  # cells out of line
    assert of("\n".join(DEPT_TABLE[:2] + [shifted]) + "\n", "sum.adjusted_budget") == []
    row = extraction_of("\n".join(DEPT_TABLE[:2] + [shifted]) + "\n").sheets[0].budget_rows[1]
    # the row was read; the rate under 调整后预算数 is taken for no amount
    assert row.values["initial"].value == Decimal("14123.99") and "budget" not in row.values and "budget" not in row.blanks
