"""Recall of the rate and score checks on layouts and phrasings they used to miss, each with
hard negatives that must stay silent."""
from __future__ import annotations

from decimal import Decimal

from extractor.extract import extract
from conftest import doc_from_text, extraction_of, findings_for

HEADER = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分"
ROWS = [
    "产出指标(60分)\t数量指标\t改造户数\t≥200户\t210户\t40\t40",
    "\t质量指标\t验收合格率\t100%\t100%\t20\t20",
    "效益指标(30分)\t社会效益指标\t受益人数\t≥1000人\t1200人\t30\t30",
    "满意度指标(10分)\t服务对象满意度指标\t服务对象满意度\t≥90%\t95%\t10\t10",
]


def of(text: str, check_id: str) -> list[tuple]:
    return [(f.stated, f.computed) for f in findings_for(text) if f.check == check_id]


def sheet(rows: list[str], tail: list[str]) -> str:
    return "\n".join(["项目支出绩效自评表", "", HEADER, *rows, *tail]) + "\n"


# -- rate.growth: this year's figure stated in the sentence before ---------------------------

GROWTH = "2024年度我局部门整体支出8553.84万元，其中：基本支出2323.94万元；项目支出6229.90万元。\n部门整体支出较上年的8368.14万元{}，主要是项目支出随重点工作任务相应调整。\n"


def test_growth_takes_this_years_figure_from_the_sentence_before():
    assert of(GROWTH.format("增长10.1%"), "rate.growth") == [(Decimal("10.1"), Decimal("2.22"))]


def test_growth_consistent_with_the_sentence_before_is_silent():
    assert of(GROWTH.format("增长2.2%"), "rate.growth") == []
    (growth,) = [st for st in extraction_of(GROWTH.format("增长2.2%")).statements if st.kind == "growth"]
    assert (growth.values["current"].value, growth.values["previous"].value, growth.values["rate"].value) == (
        Decimal("8553.84"), Decimal("8368.14"), Decimal("2.2"))


def test_growth_against_a_named_earlier_year():
    text = "2024年部门整体支出8553.84万元，比2023年的8368.14万元增长12%。\n"
    assert of(text, "rate.growth") == [(Decimal("12"), Decimal("2.22"))]


def test_change_amount_is_not_last_years_figure():
    # "较上年减少120万元" is the change: 8553.84 − 120 is not a −98.6% growth
    text = "2024年部门整体支出8553.84万元，较上年减少120万元，下降1.4%。\n"
    assert of(text, "rate.growth") == []
    ext = extraction_of(text)  # the 120 is read as a change, never as last year's level
    assert [(f.quantity.value, f.role) for f in ext.figures if f.quantity.value == 120] == [(Decimal(120), "change")]
    assert not any("previous" in st.values for st in ext.statements if st.kind == "growth")


# -- rate.completion: counts are exact, targets are set -----------------------------------


def test_completion_of_whole_counts_is_exact():
    text = "三、绩效目标完成情况\n改造乡镇卫生院：年度目标≥10所，实际完成9所，完成率96%。\n"
    assert of(text, "rate.completion") == [(Decimal("96"), Decimal("90"))]
    assert of(text.replace("96%", "90%"), "rate.completion") == []


def test_completion_against_a_set_target():
    text = "治理水土流失面积：年度目标25平方公里，实际完成24平方公里，完成率100%。\n"
    assert of(text, "rate.completion") == [(Decimal("100"), Decimal("96"))]
    assert of(text.replace("100%", "96%"), "rate.completion") == []
    # an actual printed to fewer places than it was measured still rounds
    assert of("年度目标12万亩，实际完成12.6万亩，完成率105.2%。\n", "rate.completion") == []


# -- rate.execution_score and rate.execution ---------------------------------------------

BUDGET = "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n\t年度资金总额\t1929.20\t1949.28\t1861.41\t10\t95.49%\t{}\n"


def test_integer_score_is_the_score_given():
    assert of(BUDGET.format("10"), "rate.execution_score") == [(Decimal("10"), Decimal("9.55"))]


def test_score_rounded_to_its_printed_places_is_silent():
    assert of(BUDGET.format("9.55"), "rate.execution_score") == []
    assert of(BUDGET.format("9.5"), "rate.execution_score") == []
    (row,) = extraction_of(BUDGET.format("9.55")).sheets[0].budget_rows
    assert (row.values["rate"].value, row.values["weight"].value, row.values["score"].value) == (Decimal("95.49"), 10, Decimal("9.55"))


def test_worked_execution_rate_formula_is_an_execution_finding():
    text = ("2025年度预算执行率=（支出决算数÷调整预算数）×100%=（248,214,818.47元÷291,871,130.72元）×100%=100.00%\n")
    found = [(f.check, f.stated, f.computed) for f in findings_for(text)]
    assert found == [("rate.execution", Decimal("100.00"), Decimal("85.04"))]
    other = "资金到位率=（56,172,895.39元÷60,000,000.00元）×100%=100%\n"
    assert [f.check for f in findings_for(other)] == ["rate.formula"]


def test_budget_amount_that_looks_like_a_date():
    text = (
        "部门预算安排资金（万元）\t资金来源\t年初预算数\t年中预算调整数\t调整后预算数\t实际支出数\t预算执行率(%)\n"
        "\t其中：一般公共预算拨款\t12118.98\t2005.01\t14123.99\t13283.88\t94.05%\n"
    )
    doc = doc_from_text(text)
    rows = extract(doc).sheets[0].budget_rows
    assert rows[0].label == "其中：一般公共预算拨款"
    assert rows[0].values["adjust"].value == Decimal("2005.01")
    assert of(text, "rate.execution") == []


# -- score.grade from the table's 自评等级 row ----------------------------------------------


def test_grade_row_of_the_table():
    text = sheet(ROWS, ["总分\t\t\t\t\t100\t79", "自评等级\t优"])
    assert of(text, "score.grade") == [(Decimal("79"), None)]


def test_grade_row_matching_the_total_is_silent():
    assert of(sheet(ROWS, ["总分\t\t\t\t\t100\t90", "自评等级\t优"]), "score.grade") == []
    ext = extraction_of(sheet(ROWS, ["总分\t\t\t\t\t100\t90", "自评等级\t优"]))
    assert [st.words["grade"] for st in ext.statements if st.kind == "grade"] == ["优"] and ext.sheets[0].total_score.value == 90


def test_grade_legend_is_not_a_grade():
    assert of(sheet(ROWS, ["总分\t\t\t\t\t100\t79", "评价等级\t优\t良\t中\t差"]), "score.grade") == []
    ext = extraction_of(sheet(ROWS, ["总分\t\t\t\t\t100\t79", "评价等级\t优\t良\t中\t差"]))
    assert ext.sheets[0].total_score.value == 79 and not [st for st in ext.statements if st.kind == "grade"]


# -- score.weights_total / category_weight: the grade row is not an indicator -------------


def test_grade_row_does_not_hide_the_weights_total():
    rows = ROWS[:3] + ["满意度指标(10分)\t服务对象满意度指标\t服务对象满意度\t≥90%\t95%\t9\t9"]
    assert of(sheet(rows, ["自评等级\t优"]), "score.weights_total") == [(Decimal(100), Decimal("99.00"))]
    assert of(sheet(rows, ["自评等级\t优"]), "score.category_weight") == [(Decimal(10), Decimal(9))]
    assert of(sheet(ROWS, ["自评等级\t优"]), "score.weights_total") == []


def test_placeholder_score_keeps_the_row_in_its_columns():
    rows = ROWS[:2] + ["效益指标(30分)\t社会效益指标\t受益人数\t≥1000人\t1200人\t28\tXX"] + ROWS[3:]
    assert of(sheet(rows, []), "score.weights_total") == [(Decimal(100), Decimal("98.00"))]


# -- PDF layout: a table wrapped over lines stays one table -------------------------------

PDF_TABLE = """\
一级指标          二级指标        三级指标          年初目标值        实际完成值        分值        得分      偏差原因分析
产出              数量指标        养护里程          ≥2900公里         2544公里          8           7         实际申报对象少于预期，
指标                                                                                                                  将加强政策宣传
（45分）

                  数量指标        办理登记业务      ≥37000件 32857件                    8           6.22 宣传引导力度不足，群众
                  质量指标        工程质量合格率    ≥95%              96%               7           7
效益指标(35分)    社会效益指标    交通运输安全水平  好                好                35          35
满意度指标(10分)  满意度指标      群众满意度        ≥85%              94.72%            10          10
总分                                                                                    68          65.22
"""


def test_pdf_table_wrapped_over_a_blank_line_is_one_sheet():
    sheets = extract(doc_from_text(PDF_TABLE)).sheets
    assert len(sheets) == 1
    rows = sheets[0].indicators
    assert [r.name for r in rows] == ["养护里程", "办理登记业务", "工程质量合格率", "交通运输安全水平", "群众满意度"]
    assert [r.score.value for r in rows] == [Decimal("7"), Decimal("6.22"), Decimal("7"), Decimal("35"), Decimal("10")]
    assert [(c.name, c.points.value) for c in sheets[0].categories][0] == ("产出指标", Decimal(45))


def test_pdf_table_scores_add_up_and_weights_are_not_cut_short():
    # a sheet cut after its first row used to report Σ分值 = 8 ≠ 100
    assert of(PDF_TABLE, "score.weights_total") == []
    assert of(PDF_TABLE, "score.sum") == []
    (read,) = extraction_of(PDF_TABLE).sheets  # all five rows, their weights summing to the stated 68
    assert len(read.indicators) == 5 and sum(r.weight.value for r in read.indicators) == read.total_weight.value == 68
