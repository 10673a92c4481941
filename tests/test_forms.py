"""自评表 / 绩效目标表 forms as crawled pages print them: each test is a made-up form in the shape
a published page gave, read end to end, with the variant the checks must still report."""
from __future__ import annotations

from conftest import doc_from_text, extraction_of, findings_for
from extractor.cell_lines import find_cell_grids


def reported(text: str) -> list[str]:
    return sorted(f.check for f in findings_for(text) if f.severity in ("error", "warning"))


# Two projects' target tables one after the other; the page stops inside the second project's
# rows (the crawler kept the first N characters): 10 + 20 + 10 + 10 of its weights are on the page.
TWO_PROJECTS = """| 部门预算项目绩效目标申报表(2024年度) | |||||||||
| 单位名称 | 项目名称 | 预算数 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 权重 | 指标方向性 |
| 301001-某镇人民政府 | 村级公益岗位补贴 | 1,250,000.00 | 产出指标 | 数量指标 | 公益岗位人数 | ≥ | 48 | 人 | 30 | 正向指标 |
| 产出指标 | 时效指标 | 补贴按月发放 | ≥ | 12 | 月 | 20 | 正向指标 | ||
| 效益指标 | 社会效益指标 | 增加低收入户收入 | ≥ | 90 | % | 30 | 正向指标 | ||
| 满意度指标 | 服务对象满意度指标 | 岗位人员满意度 | ≥ | 92 | % | 20 | 正向指标 | ||
| 河道保洁经费 | 386,000.00 | 产出指标 | 数量指标 | 保洁河道长度 | ≥ | 26 | 公里 | 10 | 正向指标 | |
| 产出指标 | 质量指标 | 河面漂浮物清理率 | ≥ | 95 | % | 20 | 正向指标 | ||
| 效益指标 | 生态效益指标 | 水质达标断面比例 | ≥ | 90 | % | 10 | 正向指标 | ||
| 效益指标 | 可持续影响指标 | 长效管护机制 | = | 1 | 项 | 10"""


def test_a_page_cut_inside_a_form_gives_no_weight_sum():
    ext = extraction_of(TWO_PROJECTS)
    first, second = ext.sheets
    assert [r.weight.value for r in first.indicators] == [30, 20, 30, 20]
    # the last row, cut after its 权重, is dropped: what is left of the project is its first rows
    assert [r.weight.value for r in second.indicators] == [10, 20, 10]
    assert (first.cut, second.cut) == (False, True)
    # the second project's weights on the page add up to 50: the rest is past the end of the page
    assert reported(TWO_PROJECTS) == []


def test_a_form_that_goes_on_after_its_rows_is_whole():
    # the same rows, then the page goes on (a note under the table): the sum is over the whole form
    text = TWO_PROJECTS + " | 正向指标 |\n\n注：权重合计应为100。\n"
    assert [s.cut for s in extraction_of(text).sheets] == [False, False]
    assert reported(text) == ["score.weights_total"]
    # and the first project, whole on the page, is still checked: 30 + 20 + 30 + 25 = 105
    wrong = TWO_PROJECTS.replace("| 92 | % | 20 |", "| 92 | % | 25 |")
    assert reported(wrong) == ["score.weights_total"]


# A self-evaluation form whose page stops inside the indicator rows, after the 得分 column of the
# last row that is on the page: the last row is cut, not blank.
CUT_SELF_EVALUATION = """项目支出绩效自评表 | ||||||
(2024年度) | ||||||
项目资金 (万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |
年度资金总额 | 80.00 | 80.00 | 76.00 | 10 | 95.00% | 9.5 |
一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因分析及改进措施 |
产出指标(50分) | 数量指标 | 培训农技人员 | ≥300人次 | 318人次 | 20 | 20 | |
质量指标 | 培训考核合格率 | ≥90% | 94% | 15 | 15 | |
时效指标 | 培训完成时间 | 2024年11月前 | 2024年10月 | 15 | 15 | |
效益指标(30分) | 社会效益指标 | 农户技术应用率 | ≥60% | 58% | 15"""


def test_the_cut_last_row_of_a_form_is_not_a_blank_score():
    ext = extraction_of(CUT_SELF_EVALUATION)
    (sheet,) = ext.sheets
    assert sheet.cut
    assert [r.name for r in sheet.indicators] == ["培训农技人员", "培训考核合格率", "培训完成时间"]
    # the cut row's 得分 is past the end of the page, and so are the other 15 points of 效益指标(30分)
    assert reported(CUT_SELF_EVALUATION) == []


def test_a_blank_score_above_the_cut_is_still_blank():
    text = CUT_SELF_EVALUATION.replace("| 15 | 15 | |\n时效指标", "| 15 | | |\n时效指标")
    assert reported(text) == ["complete.blank"]
    # a form that ends with its 总分 row is whole, however the page ends: its blank 得分 is blank
    whole = CUT_SELF_EVALUATION + " | |\n总分 | 100 | 59.5 |"
    assert not extraction_of(whole).sheets[0].cut
    assert "complete.blank" in reported(whole)


# A form whose rows break after the indicator's name (the name cell wrapped on the page): the
# words on one line, the figures on the next.
BROKEN_ROWS = """项目支出绩效自评表 | ||||||
预算执行情况(万元)(20分) | 预算数(A) | 执行数(B) | 执行率(B/A) | 得分 (20分*执行率) |
年度财政资金总额 | 400 | 360 | 90% | 18 | ||
一级指标 | 二级指标 | 三级指标 | 年初目标值(A) | 实际完成值(B) | 得分 |
产出指标 | 数量指标 | 新建冷链仓储点 (个) |
12 | 12 | 20 | |
数量指标 | 受益合作社(家) | 35 | 37 | 20 | ||
效益指标 | 经济效益指标 | 带动农户增收 (元/户) |
1500 | 1620 | 20 | |
满意度指标 | 服务对象满意度指标 | 满意度(%) | 90 | 96 | 20 | |
总分 | 98 | |||||
"""


def rows_of(text: str) -> list[tuple]:
    """(一级, 二级, 三级, 指标值, 实际完成值, 分值, 得分) of the one sheet's indicator rows."""
    (sheet,) = extraction_of(text).sheets
    return [(r.level1, r.level2, r.name, r.target_text, r.actual_text, r.weight and r.weight.value, r.score and r.score.value)
            for r in sheet.indicators]


def test_a_row_broken_after_the_indicator_name_is_one_row():
    assert rows_of(BROKEN_ROWS) == [
        ("产出指标", "数量指标", "新建冷链仓储点 (个)", "12", "12", None, 20),
        ("产出指标", "数量指标", "受益合作社(家)", "35", "37", None, 20),
        ("效益指标", "经济效益指标", "带动农户增收 (元/户)", "1500", "1620", None, 20),
        ("满意度指标", "服务对象满意度指标", "满意度(%)", "90", "96", None, 20),
    ]
    assert reported(BROKEN_ROWS) == []
    # read whole, the rows' scores are checked against the 总分: 18 + 4 × 20 = 98
    assert reported(BROKEN_ROWS.replace("总分 | 98 |", "总分 | 96 |")) == ["score.sum"]


def test_a_row_of_words_before_another_row_of_words_stays_a_row():
    # the 实际完成值 of the first row was left blank: the next line starts with words, not figures
    text = BROKEN_ROWS.replace("产出指标 | 数量指标 | 新建冷链仓储点 (个) |\n12 | 12 | 20 | |\n", "产出指标 | 数量指标 | 新建冷链仓储点 (个) |\n")
    rows = rows_of(text)
    assert rows[0] == ("产出指标", "数量指标", "新建冷链仓储点 (个)", "", "", None, None)
    assert rows[1][2:] == ("受益合作社(家)", "35", "37", None, 20)


# An indicator followed by its "其中" parts, each on a row of its own with the part's target and
# actual but no points: the parts are no indicators.
PARTS_UNDER_AN_INDICATOR = """项目支出绩效自评表 | ||||||||
一级指标 | 二级指标 | 三级指标 | 分值 | 年度指标值 | 全年实际值 | 得分 | 未完成原因 | |
产出指标(60分) | 数量指标 | 补助果蔬种植面积 | 30 | 42亩 | 42亩 | 30 | |
其中葡萄种植面积 | 12亩 | 12亩 | ||||||
其中大棚蔬菜面积 | 30亩 | 30亩 | ||||||
补助家禽养殖数量 | 30 | 260只 | 240只 | 27 | |||
其中蛋鸡养殖数量 | 200只 | 190只 | ||||||
满意度指标(40分) | 服务对象满意度指标 | 受益农户满意度 | 40 | ≥90% | 95% | 40 | |
总分 | 100 | 97 | ||||||
"""


def test_the_parts_of_an_indicator_are_not_indicators():
    (sheet,) = extraction_of(PARTS_UNDER_AN_INDICATOR).sheets
    assert [(r.name, r.weight.value, r.score.value) for r in sheet.indicators] == [
        ("补助果蔬种植面积", 30, 30), ("补助家禽养殖数量", 30, 27), ("受益农户满意度", 40, 40)]
    assert reported(PARTS_UNDER_AN_INDICATOR) == []
    # an indicator of its own that happens to start with 其中 keeps its points and its score
    text = PARTS_UNDER_AN_INDICATOR.replace("其中蛋鸡养殖数量 | 200只 | 190只 | ||||||", "其中蛋鸡养殖数量 | 10 | 200只 | 190只 | 9 | |||")
    names = [r.name for r in extraction_of(text).sheets[0].indicators]
    assert "其中蛋鸡养殖数量" in names


def cell_lines(*cells: str) -> str:
    """A form flattened one cell per line, each line closed by its pipe; "" is a blank cell."""
    return "\n".join(f"{c} |" if c else "|" for c in cells) + "\n"


# A crawled form one cell per line: a blank corner cell before the level headings (the page wrote
# "绩效指标" down the side), 分值 before the target, targets written ">=80人", a 元/人·月 unit, and a
# level heading that carries its points; merged level cells print as lone pipes on later rows.
ONE_CELL_A_LINE = cell_lines(
    "绩效目标自评表 (2024年度)", "项目名称", "困难群众救助补助",
    "", "一级指标", "二级指标", "三级指标", "分值", "年度指标值", "全年实际值", "得分", "未完成原因及拟采取的改进措施",
    "", "产出指标(60分)", "数量指标", "城乡低保对象人数", "20", ">=1800人", "1830人", "20", "",
    "", "", "", "临时救助人次", "20", ">=150人次", "162人次", "20", "",
    "", "", "质量指标", "农村低保标准", "20", ">=620元/人·月", "650元/人·月", "20", "",
    "", "效益指标(30分)", "社会效益指标", "困难群众基本生活保障率", "30", "100%", "100%", "30", "",
    "", "满意度指标(10分)", "服务对象满意度指标", "受助对象满意度", "10", ">=90%", "96%", "10", "",
) + "填报说明：定量指标按完成比例计分，得分不得超过该指标分值。\n"


def test_a_form_one_cell_a_line_after_a_corner_cell():
    assert rows_of(ONE_CELL_A_LINE) == [
        ("产出指标", "数量指标", "城乡低保对象人数", ">=1800人", "1830人", 20, 20),
        ("产出指标", "数量指标", "临时救助人次", ">=150人次", "162人次", 20, 20),
        ("产出指标", "质量指标", "农村低保标准", ">=620元/人·月", "650元/人·月", 20, 20),
        ("效益指标", "社会效益指标", "困难群众基本生活保障率", "100%", "100%", 30, 30),
        ("满意度指标", "服务对象满意度指标", "受助对象满意度", ">=90%", "96%", 10, 10),
    ]
    assert reported(ONE_CELL_A_LINE) == []
    # read, a target missed with full points is reported
    missed = ONE_CELL_A_LINE.replace("162人次 |", "138人次 |")
    assert reported(missed) == ["score.target_missed_full"]


def test_a_form_one_cell_a_line_cut_inside_its_last_row():
    # the page stops after the 分值 and the target of the satisfaction row: the rows before it are
    # read, the weights are not summed (80 on the page), and the cut row's score is not blank
    at = ONE_CELL_A_LINE.index(">=90% |")
    cut = ONE_CELL_A_LINE[: at + len(">=90%")]
    (sheet,) = extraction_of(cut).sheets
    assert [r.name for r in sheet.indicators] == ["城乡低保对象人数", "临时救助人次", "农村低保标准", "困难群众基本生活保障率"]
    assert sheet.cut
    assert reported(cut) == []
    # a row short of a cell with more of the page after it is a table out of rhythm, left unread as before
    short = ONE_CELL_A_LINE.replace("1830人 |\n", "", 1)
    assert find_cell_grids(doc_from_text(short)) == []
    assert find_cell_grids(doc_from_text(ONE_CELL_A_LINE)) != []
