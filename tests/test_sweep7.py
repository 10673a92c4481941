"""Families of false alarms met on the seventh sweep of published pages: each test is a short
made-up text in the shape that misled a rule, with the wrong variant the rule must still catch."""
from __future__ import annotations

from conftest import extraction_of
from test_sweep_prose import errors

BOTH_LISTS = ("区文旅局部门2025年财政拨款收支总预算2450.80万元。收入包括：本年一般公共预算拨款收入2100.00万元、上年结转资金300.00万元，"
              "政府性基金预算拨款收入50.80万元；支出包括：文化旅游体育与传媒支出2000.00万元、社会保障和就业支出250.80万元、住房保障支出200.00万元。\n")


def test_a_list_that_names_its_own_whole_after_a_semicolon_takes_no_total_from_the_group_before():
    # "收入包括：A、B、C；支出包括：X、Y、Z": C is the last income, not the spending the second
    # list breaks down (its total is the 收支总预算 stated a sentence before)
    assert errors(BOTH_LISTS) == []
    assert not [r for r in extraction_of(BOTH_LISTS).relations if r.total.quantity.text == "50.80万元"]
    # a list whose total stands in its own clause group is still checked against it
    own = BOTH_LISTS.replace("；支出包括：", "。支出合计2450.80万元，包括：")
    assert errors(own) == []
    assert errors(own.replace("住房保障支出200.00万元", "住房保障支出250.00万元")) == ["sum.breakdown"]


SHARES = ("2025年一般公共预算当年拨款1860.00万元,其中:基本支出1674.00万元,占90%,其中人员经费1374.00万元,公用经费300.00万元;"
          "项目支出186.00,占10%。\n")


def test_a_share_after_an_amount_printed_without_its_unit_is_that_amounts():
    # "项目支出186.00,占10%": the share is of the unit-less amount just before it, which cannot be
    # read; 公用经费 further back is not its part
    assert errors(SHARES) == []
    # the shares of amounts with their unit are still checked
    assert errors(SHARES.replace("占90%", "占95%")) == ["rate.share"]


TARGET_ROWS = [
    "部门预算项目绩效目标申报表(2025年度)",
    "| 金额单位:元 | | | | | | | | | | | |",
    "| 单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 | 指标方向性 |",
    "| 301001-某县河口镇人民政府 | 河道保洁经费 | 1,250,000.00 | 保持镇域河道整洁 | 产出指标 | 数量指标 | 保洁河道长度 | ≥ | 42 | 公里 | 30 | 正向指标 |",
    "| 产出指标 | 质量指标 | 河面漂浮物清理率 | ≥ | 98 | % | 20 | 正向指标 |",
    "| 效益指标 | 生态效益指标 | 河道水质达标率 | ≥ | 90 | % | 30 | 正向指标 |",
    "| 满意度指标 | 服务对象满意度指标 | 沿河群众满意度 | ≥ | 90 | % | 20 | 正向指标 |",
    "| 村级公益岗位补贴 | 480,000.00 | 按月发放公益岗位补贴 | 产出指标 | 数量指标 | 公益岗位人数 | = | 40 | 人 | 40 | 正向指标 |",
    "| 产出指标 | 时效指标 | 按月发放率 | = | 100 | % | 20 | 正向指标 |",
    "| 效益指标 | 社会效益指标 | 脱贫人口就业增收 | ≥ | 1000 | 元/人 | 20 | 正向指标 |",
    "| 满意度指标 | 服务对象满意度指标 | 岗位人员满意度 | ≥ | 95 | % | 20 | 正向指标 |",
]


def test_a_department_target_table_gives_each_project_its_own_weights():
    # a row that names a project and its budget before the level words opens that project's
    # indicators: the weights of two projects are not one sum
    text = "\n".join(TARGET_ROWS) + "\n"
    sheets = extraction_of(text).sheets
    assert [sum(r.weight.value for r in s.indicators) for s in sheets] == [100, 100]
    assert errors(text) == []
    # one project's weights over the full mark are still found
    assert errors(text.replace("| 95 | % | 20 |", "| 95 | % | 30 |")) == ["score.weights_total"]


def test_indicator_weights_of_ninety_leave_ten_points_to_the_budget_block():
    # "绩效指标(90分)": a form without a stated total whose indicators carry 90 points gives the
    # other 10 to the budget execution, which this table does not hold
    text = "\n".join(TARGET_ROWS[:7]).replace("| 90 | % | 20 |", "| 90 | % | 10 |") + "\n"
    assert errors(text) == []
    assert errors(text.replace("| 90 | % | 10 |", "| 90 | % | 5 |")) == ["score.weights_total"]


def test_a_bracketed_aside_names_no_subject_for_the_change_after_it():
    # "合计A（包括基本支出和项目支出安排的经费），同比减少C，下降P%": the aside says what A covers;
    # the change and its rate are A's, not 项目支出's
    text = "2024年度，区本级一般公共预算财政拨款三公经费支出合计320.50万元（包括基本支出和项目支出安排的经费），同比减少79.50万元，下降19.88%。\n"
    assert errors(text) == []
    assert errors(text.replace("下降19.88%", "下降25.00%")) == ["rate.growth"]
