"""Self-evaluation forms flattened one table row per line, cells joined by " | ": merged cells
written once, header cells broken over two lines, empty cells run together as "|||"."""
from __future__ import annotations

from decimal import Decimal

from conftest import doc_from_text, findings_for
from extractor.extract import extract


def sheets_of(text: str):
    return extract(doc_from_text(text)).sheets


def values(row) -> dict:
    return {role: q.value for role, q in row.values.items()}


BROKEN_HEADER = """项目支出绩效自评表 | ||||||
(2025年度) | ||||||
资金情况 (万元) |
年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 | ||||
年度资金总额 | 640.00 | 620.00 | 589.00 | 10 | 95.00% | 9.5 | |||
其中:财政拨款 | 640.00 | 620.00 | 589.00 | — | 95.00% | — | |||
上年结转资金 | — | — | |||||||
绩 效 指 标 |
一级指标 | 二级指标 | 三级指标 | 年度 指标值 |
实际 完成值 |
分值 | 得分 | 偏差原因 | |||||
产出指标 | 数量指标 | 新建泵站数量 | ≥6 | 7 | 20 | 20 | ||||
维修渠道长度 | ≥12公里 | 12.5公里 | 20 | 20 | |||||
质量指标 | 验收合格率 | 100% | 98% | 15 | 15 | ||||
效益指标 | 社会效益指标 | 受益农户 | ≥800户 | 830户 | 25 | 24 | ||||
"""


def test_header_broken_over_lines_and_merged_levels():
    (sheet,) = sheets_of(BROKEN_HEADER)
    got = [(r.level1, r.level2, r.name, r.target_text, r.actual_text, r.weight.value, r.score.value) for r in sheet.indicators]
    assert got == [
        ("产出指标", "数量指标", "新建泵站数量", "≥6", "7", 20, 20),
        ("产出指标", "数量指标", "维修渠道长度", "≥12公里", "12.5公里", 20, 20),
        ("产出指标", "质量指标", "验收合格率", "100%", "98%", 15, 15),
        ("效益指标", "社会效益指标", "受益农户", "≥800户", "830户", 25, 24),
    ]


def test_missed_target_scored_full_is_found_in_a_flattened_sheet():
    found = findings_for(BROKEN_HEADER, {"score.target_missed_full"})
    assert [f.message for f in found if "验收合格率" in f.message]


def test_funds_rows_under_a_heading_of_their_own_line():
    (sheet,) = sheets_of(BROKEN_HEADER)
    rows = {r.label: r for r in sheet.budget_rows}
    assert list(rows) == ["年度资金总额", "其中:财政拨款", "上年结转资金"]
    assert values(rows["年度资金总额"]) == {"initial": Decimal("640.00"), "budget": Decimal("620.00"), "actual": Decimal("589.00"),
                                           "weight": 10, "rate": Decimal("95.00"), "score": Decimal("9.5")}
    # the dashes of the part row stand in the weight and score columns: the numbers keep theirs
    assert values(rows["其中:财政拨款"]) == {"initial": Decimal("640.00"), "budget": Decimal("620.00"), "actual": Decimal("589.00"),
                                            "rate": Decimal("95.00")}
    assert rows["其中:财政拨款"].is_part and values(rows["上年结转资金"]) == {}
    # the heading "资金情况 (万元)" gives the columns their scale
    assert rows["年度资金总额"].values["budget"].scale == "万"


GROUP_HEADING = """部门预算项目支出绩效自评表(2025年度) | ||||||||
预算执行情况(10分) | 年度预算数(万元) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 | 权重 | 得分 | 原因 | |
总额 | 48.00 | 52.00 | 46.80 | {rate} | 10 | 9 | 说明 | ||
其中:财政资金 | 48.00 | 52.00 | 46.80 | {rate} | / | / | ||||
单位资金 | 0.00 | 0.00 | 0.00 | 0.00% | / | / | ||||
"""


def test_group_heading_over_the_budget_columns():
    (sheet,) = sheets_of(GROUP_HEADING.format(rate="90.00%"))
    total, part, unit = sheet.budget_rows
    assert (total.label, values(total)) == ("总额", {"initial": Decimal("48.00"), "budget": Decimal("52.00"), "actual": Decimal("46.80"),
                                                    "rate": Decimal("90.00"), "weight": 10, "score": 9})
    assert part.label == "其中:财政资金" and values(part)["actual"] == Decimal("46.80")
    assert unit.label == "单位资金"
    assert findings_for(GROUP_HEADING.format(rate="90.00%"), {"rate.execution"}) == []
    wrong = findings_for(GROUP_HEADING.format(rate="80.00%"), {"rate.execution"})
    assert sorted(f.message.split("：")[0] for f in wrong) == ["其中:财政资金", "总额"]


LABELLED = """项目支出绩效自评表（2025年度）
年度资金总额 | 全年预算数260.00 | 全年执行数221.00 | 执行率{rate}
产出指标 | 数量指标 | 预算执行率 | 100% | {indicator} | 15 | 12
"""


def test_execution_indicator_against_the_funds_row():
    found = findings_for(LABELLED.format(rate="85.00%", indicator="88.2%"), {"xref.conflict"})
    assert len(found) == 1
    assert "“预算执行率”指标的实际完成值填88.2%" in found[0].message and "执行率填85.00%" in found[0].message
    assert "221.00÷预算数260.00=85%" in found[0].message
    assert (found[0].stated, found[0].computed) == (Decimal("88.2"), Decimal("85.00"))
    assert findings_for(LABELLED.format(rate="85.00%", indicator="85%"), {"xref.conflict"}) == []


def test_execution_indicator_agreeing_with_the_worked_rate_is_not_reported():
    # the stated 执行率 is wrong (rate.execution says so); the indicator agrees with 221÷260
    assert findings_for(LABELLED.format(rate="87.00%", indicator="85.0%"), {"xref.conflict"}) == []
    assert [f.check for f in findings_for(LABELLED.format(rate="87.00%", indicator="85.0%"), {"rate.execution"})] == ["rate.execution"]


def test_capped_execution_indicator_is_not_reported():
    over = "项目支出绩效自评表（2025年度）\n年度资金总额 | 全年预算数100.00 | 全年执行数104.00 | 执行率104.00%\n产出指标 | 数量指标 | 预算执行率 | 100% | 100% | 15 | 15\n"
    assert findings_for(over, {"xref.conflict"}) == []
    (sheet,) = sheets_of(over)  # read, and silent
    assert values(sheet.budget_rows[0])["actual"] == Decimal("104.00") and sheet.indicators[0].actual.value == 100


UNREAD = """部门预算项目支出绩效自评表(2025年度) | ||||||||||
绩效指标(90分) | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 | 权重 | 得分 | 未完成原因分析 |
产出指标 | 质量指标 | 设备验收合格率 | ≥ | 95 | % | 97 |
合计 | 100 | |||||||||
资金投入情况(万元) | 全年预算数(A) | 全年执行数(B) | 预算执行率(B/A×100%) | |||
年度资金总额 | 75.00 | 72.00 | 96% | |||
资金管理情况 | 情况说明 | 存在问题和改进措施 | |||
分配科学性 | 按因素法分配 | 暂无 | |||
"""


def test_what_cannot_be_aligned_stays_unread():
    sheets = sheets_of(UNREAD)
    indicators = [r for s in sheets for r in s.indicators]
    # the row without scores is placed by its level cells, not read one column off; "合计 | 100"
    # is no indicator
    assert [(r.name, r.target_text, r.actual_text) for r in indicators] == [("设备验收合格率", "95", "97")]
    # the 资金管理情况 block that follows the funds rows is not funds rows
    assert [r.label for s in sheets for r in s.budget_rows] == ["年度资金总额"]


def test_self_labelled_funds_row_and_headerless_indicator_row():
    (sheet,) = sheets_of(LABELLED.format(rate="85.00%", indicator="88.2%"))
    (row,) = sheet.budget_rows
    assert (row.label, values(row)) == ("年度资金总额", {"budget": Decimal("260.00"), "actual": Decimal("221.00"), "rate": Decimal("85.00")})
    (ind,) = sheet.indicators
    assert (ind.level1, ind.level2, ind.name, ind.target_text, ind.actual_text, ind.weight.value, ind.score.value) == (
        "产出指标", "数量指标", "预算执行率", "100%", "88.2%", 15, 12)


def test_headerless_rows_that_do_not_fill_the_form_stay_unread():
    head = "项目支出绩效自评表（2025年度）\n"
    # the full shapes are read (so the silences below are the guards', not a reader that reads nothing)
    assert [len(s.indicators) for s in sheets_of(head + "产出指标 | 数量指标 | 预算执行率 | 100% | 88% | 15 | 12\n")] == [1]
    assert [len(s.budget_rows) for s in sheets_of(head + "年度资金总额 | 全年预算数260.00 | 全年执行数221.00 | 执行率85.00%\n")] == [1]
    # six cells: which of 指标值 / 实际完成值 is missing cannot be told
    assert sheets_of(head + "产出指标 | 数量指标 | 预算执行率 | 100% | 15 | 12\n") == []
    # a score above its weight: the last two cells may be 得分 | 分值, not 分值 | 得分
    assert sheets_of(head + "产出指标 | 数量指标 | 预算执行率 | 100% | 88% | 12 | 15\n") == []
    # a cell whose heading names no budget column: the row is not read by halves
    assert sheets_of(head + "年度资金总额 | 全年预算数260.00 | 全年执行数221.00 | 结余39.00\n") == []
    assert sheets_of(head + "年度资金总额 | 全年预算数260.00 | 221.00 | 执行率85.00%\n") == []
