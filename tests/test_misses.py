"""Real contradictions earlier sweeps saw the tool miss, each as a family in made-up words,
with the near-misses beside them that are no contradiction."""
from __future__ import annotations

from decimal import Decimal

from conftest import extraction_of, findings_for


def of(text: str, check_id: str):
    return [f for f in findings_for(text) if f.check == check_id]


# ---- every share of a "分别为a、b和c，占比分别为p、q和r" run --------------------------------

SHARE_RUN = ("机关2025年“三公”经费说明\n2025年“三公”经费财政拨款支出决算为40.00万元，其中：因公出国（境）费、"
             "公务接待费和公务用车购置及运行费分别为8.00万元、20.00万元和12.00万元，占比分别为{}。\n")


def test_later_shares_of_a_run_are_checked():
    found = of(SHARE_RUN.format("20%、30%和50%"), "rate.share")
    # 8/40 = 20 % is right; 20/40 = 50 % and 12/40 = 30 % were swapped
    assert sorted(f.stated for f in found) == [Decimal(30), Decimal(50)]
    assert sorted(round(f.computed) for f in found) == [Decimal(30), Decimal(50)]
    assert all(f.severity == "error" for f in found)


def test_a_run_of_right_or_rounded_shares_is_silent():
    text = SHARE_RUN.format("20.0%、50.0%和30.0%")
    assert len([s for s in extraction_of(text).statements if s.kind == "share"]) == 3
    assert of(text, "rate.share") == []
    # 2.00/6.00 = 33.33…%: "33.3%" is its rounding, not a contradiction
    rounded = SHARE_RUN.replace("40.00", "6.00").replace("8.00万元、20.00万元和12.00万元", "2.00万元、2.00万元和2.00万元")
    assert [f for f in of(rounded.format("33.3%、33.3%和33.3%"), "rate.share") if f.severity != "info"] == []


def test_a_run_in_yuan_against_a_whole_in_wan_yuan():
    text = ("局2025年部门决算说明\n2025年本年支出合计290.00万元，其中：基本支出、项目支出分别为2,030,000.00元和870,000.00元，"
            "占比分别为70.00%和30.00%。\n")
    assert len([s for s in extraction_of(text).statements if s.kind == "share"]) == 2
    assert of(text, "rate.share") == []
    swapped = text.replace("70.00%和30.00%", "70.00%和35.00%")
    assert [(f.stated, round(f.computed)) for f in of(swapped, "rate.share")] == [(Decimal("35.00"), Decimal(30))]


def test_more_shares_than_amounts_say_not_whose_they_are():
    text = SHARE_RUN.format("20%、30%、40%和50%")
    assert of(text, "rate.share") == []


# ---- a whole-number level beside amounts printed to two places ----------------------------------

CHANGE = "单位2025年“三公”经费预算说明\n其中：1、公务用车运行费2025年预算{}，2024年预算{}；对比减少{}，原因是车辆减少。\n"


def test_change_against_a_whole_number_level_read_to_the_sentence_precision():
    # 16.5 − 11 = 5.5, not 5.38; read as [10.5, 11.5] the 11 would hide it
    found = of(CHANGE.format("11万元", "16.5万元", "5.38万元"), "rate.change")
    assert [(f.severity, f.stated, f.computed) for f in found] == [("warning", Decimal("5.38"), Decimal("5.50"))]


def test_whole_number_levels_that_fit_or_no_decimals_are_silent():
    assert of(CHANGE.format("11万元", "16.5万元", "5.50万元"), "rate.change") == []
    # every figure a whole number: "11" may be 10.6, the change is within rounding
    assert of(CHANGE.format("11万元", "16万元", "5万元"), "rate.change") == []
    # the sentence's other amounts have no decimals either: nothing says 11 is exact
    text = CHANGE.format("11万元", "17万元", "5.8万元")
    assert any(s.kind == "change" for s in extraction_of(text).statements)
    assert [f for f in of(text, "rate.change") if f.severity != "info"] == []


def test_whole_number_level_in_another_scale_is_not_tightened():
    # "11万元" beside amounts in 元 to the fen: its places are those of 万元, not of the 元 figures
    text = CHANGE.format("11万元", "165,000.00元", "53,800.00元")
    assert any(s.kind == "change" for s in extraction_of(text).statements)
    assert [f for f in of(text, "rate.change") if f.severity != "info"] == []


# ---- a 三公 table a crawler flattened to one "cell |" per line ----------------------------------

PIPE_TABLE = """某镇卫生院2025年度“三公”经费支出决算公开
一、2025年度一般公共预算财政拨款“三公”经费支出决算表
单位:万元
项 目 |
预 算 数 |
决 算 数 |
合 计 |
6 |
4.00 |
因公出国(境)费 |
|
|
公务接待费 |
2.5 |
1.00 |
公务用车购置及运行维护费 |
3.5 |
3.00 |
二、2025年度“三公”经费支出决算情况说明
2025年度一般公共预算财政拨款“三公”经费支出预算为6万元，支出决算为4.00万元，完成预算的66.67%。
2025年度一般公共预算财政拨款“三公”经费支出决算中，公务接待费支出决算1.00万元，占{};公务用车购置及运行维护费支出决算3.00万元，占{}。
"""


def test_pipe_cell_lines_table_is_read_as_a_grid():
    ext = extraction_of(PIPE_TABLE.format("25%", "75%"))
    cells = {(f.subject.item, f.measure): f.quantity.value for f in ext.figures
             if f.cell is not None and f.subject is not None}
    assert cells[("公务接待费", "预算")] == Decimal("2.5")
    assert cells[("公务用车购置及运行费", "决算")] == Decimal("3.00")


def test_swapped_shares_against_a_pipe_cell_lines_table():
    found = of(PIPE_TABLE.format("75%", "25%"), "rate.share")
    assert sorted((f.stated, f.computed) for f in found) == [(Decimal(25), Decimal(75)), (Decimal(75), Decimal(25))]
    assert of(PIPE_TABLE.format("25%", "75%"), "rate.share") == []


def test_a_share_of_a_table_total_names_the_header_unit():
    """The 合计 cell prints "4.00" under "单位:万元": the message reads it as 4.00万元."""
    messages = sorted(f.message for f in of(PIPE_TABLE.format("75%", "25%"), "rate.share"))
    assert messages == ["占比填报25%，但3.00万元÷4.00万元=75%", "占比填报75%，但1.00万元÷4.00万元=25%"]


# ---- a paying-out rate against the paid amount and the unpaid rest -------------------------------

PAID = "某县2025年度农村道路养护项目绩效自评报告\n截至年底，项目{}，{}，资金支付率{}。\n"


def test_paid_rate_against_paid_plus_unpaid():
    found = of(PAID.format("已支付资金82.40万元", "未支付资金17.60万元", "90.00%"), "rate.execution")
    assert [(f.severity, f.stated, f.computed) for f in found] == [("error", Decimal("90.00"), Decimal("82.40"))]


def test_paid_rate_that_fits_or_mixes_units_or_names_no_unpaid_rest_is_silent():
    text = PAID.format("已支付资金82.40万元", "未支付资金17.60万元", "82.40%")
    assert any(s.kind == "paid_rate" for s in extraction_of(text).statements)
    assert of(text, "rate.execution") == []
    # 824,000元 and 17.6万元: one whole of 100万元, whatever unit each is written in
    assert of(PAID.format("已支付资金824,000.00元", "未支付资金17.60万元", "82.40%"), "rate.execution") == []
    # no unpaid rest: the rate is of a budget the sentence does not give, nothing to recompute
    other = PAID.format("已支付资金82.40万元", "结余资金17.60万元", "90.00%")
    assert not any(s.kind == "paid_rate" for s in extraction_of(other).statements)


# ---- a missed target scored near full ------------------------------------------------------------

def scored(*rows: str) -> str:
    head = "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分"
    return "\n".join(["项目支出绩效自评表", "", head, *rows, "总分\t100\t90"]) + "\n"


def test_missed_target_scored_above_its_band():
    # 960 of 1500 is 64 %: the 60–80 % band, but 18 of 20 points is 90 %
    text = scored("产出指标(50分)\t数量指标\t技能培训人次\t≥1500人次\t960人次\t20\t18",
                  "\t质量指标\t培训合格率\t≥95%\t96%\t30\t30")
    found = of(text, "score.target_missed_high")
    assert [(f.severity, f.stated, f.computed) for f in found] == [("warning", Decimal(18), Decimal("16.00"))]
    # a ceiling overrun the same way: 50 ÷ 80 is 62.5 %
    over = scored("产出指标(50分)\t成本指标\t单次培训成本\t≤50万元\t80万元\t20\t19")
    assert len(of(over, "score.target_missed_high")) == 1


def test_missed_target_scored_within_its_band_or_met_is_silent():
    rows = ["产出指标(50分)\t数量指标\t技能培训人次\t≥1500人次\t1300人次\t20\t18",  # 86.7 %: any score below full
            "\t数量指标\t宣传册印发\t≤2300张\t1700张\t10\t10",  # a ceiling met
            "\t成本指标\t单次培训成本\t≤50万元\t80万元\t10\t7",  # 62.5 % scored 70 %: within 60–80 %
            "\t质量指标\t验收合格率\t≥90%\t50%\t10\t5"]  # 55.6 % scored 50 %
    text = scored(*rows)
    assert len(extraction_of(text).sheets[0].indicators) == 4
    assert of(text, "score.target_missed_high") == []
