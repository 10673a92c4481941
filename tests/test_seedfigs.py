"""Figures of performance reports read as an auditor names them: the funds rows of a 自评表, the
budget sentences of a report, and how the eval scorer sees them. Made-up texts in the shapes of
real reports (the seeds and the sweeps), with new names and numbers."""
from __future__ import annotations

from decimal import Decimal

from conftest import extraction_of

# A 部门整体绩效自评表 whose funds block is followed by a narrative row with a count in its words.
FORM = (
    "2023年度部门整体绩效自评表\t\t\t\t\t\t\t\t\n"
    "部门名称\t某市林业局\t\t\t\t部门编码\t317\t\t\n"
    "部门预算安排资金(万元)\t资金来源\t年初预算数\t\t年中预算调整数\t调整后预算数\t实际支出数\t预算执行率(%)\t\t\n"
    "\t合计\t8120.40\t\t-310.20\t7810.20\t7733.10\t99.01%\t\t\n"
    "\t其中：一般公共预算拨款\t7920.40\t\t-310.20\t7610.20\t7533.10\t98.99%\t\t\n"
    "\t政府性基金\t200.00\t\t0\t200.00\t200.00\t100.00%\t\t\n"
    "其他资金\t0\t\t0\t0\t0\t\t\t\t\n"
    "部门职能概述 (分条填写, 每条不超过120字。)\t负责全市林地保护利用规划的编制和实施，组织森林资源调查监测和林业统计工作。\t\t\t\t\t\t\t\t\n"
    "\t组织指导植树造林和国土绿化工作，监督管理林木种苗和森林防火。\t\t\t\t\t\t\t\t\n"
)


def _funds_rows(text: str):
    (sheet,) = [s for s in extraction_of(text).sheets if s.budget_rows]
    return sheet.budget_rows


def test_a_count_in_the_words_after_a_funds_block_is_no_amount():
    # "每条不超过120字" is an instruction: 120字 is read as no 年初预算数 of any row
    rows = _funds_rows(FORM)
    assert [r.label for r in rows] == ["合计", "其中：一般公共预算拨款", "政府性基金", "其他资金"]
    assert all(q.unit in (None, "元", "%") for r in rows for q in r.values.values())
    # the funds rows themselves are read whole
    assert rows[0].values["actual"].value == Decimal("7733.10")
    assert rows[1].values["adjust"].value == Decimal("-310.20")


def test_an_amount_printed_with_its_unit_in_a_funds_cell_is_still_read():
    # "200.00万元" in a money column is money: a unit in the cell is not a reason to drop it
    rows = _funds_rows(FORM.replace("\t200.00\t\t0\t200.00\t200.00\t", "\t200.00万元\t\t0\t200.00万元\t200.00万元\t"))
    assert rows[2].values["initial"].value == Decimal("200.00") and rows[2].values["actual"].text == "200.00万元"


# ---- how the eval scorer sees the figures read (extractor/evaluate.py) ------------------------

from extractor import evaluate  # noqa: E402

PROJECT_FORM = (
    "项目支出绩效自评表\n（2023年度）\n"
    "项目名称\t乡村道路养护补助\n主管部门\t某县交通运输局\t实施单位\t某县公路事务中心\n"
    "项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率（%）\t得分\n"
    "\t年度资金总额\t64.00\t64.00\t57.60\t10\t90%\t9\n"
    "\t其中：当年财政拨款\t64.00\t64.00\t57.60\t—\t—\t—\n"
    "\t上年结转资金\t\t\t\t—\t—\t—\n\t其他资金\t\t\t\t—\t—\t—\n"
    "总分\t\t\t\t\t100\t\t93\n"
)


def _gold(*figures: dict) -> dict:
    return {"figures": list(figures)}


def _fig(label: str, value: str, unit: str, place: str, **names: str) -> dict:
    return {"label": label, "value": value, "unit": unit, "place": place, **names}


def _score(text: str, gold: dict) -> tuple[int, list[dict], list[str]]:
    return evaluate.score_figures(gold, evaluate.figure_views(extraction_of(text)))


def _form_gold(source_row: str) -> dict:
    """Every labelled figure of PROJECT_FORM, its source row named `source_row`."""
    figs = [_fig("年度资金总额", v, "万元", "table", column=c) for v, c in (("64.00", "年初预算数"), ("64.00", "全年预算数"), ("57.60", "全年执行数"))]
    figs += [_fig(source_row, v, "万元", "table", column=c) for v, c in (("64.00", "年初预算数"), ("64.00", "全年预算数"), ("57.60", "全年执行数"))]
    figs += [_fig("预算执行率", "90", "%", "table", row="年度资金总额"), _fig("预算执行得分", "9", "分", "table", row="年度资金总额"),
             _fig("自评得分", "93", "分", "table")]
    return _gold(*figs)


def test_a_source_row_under_the_total_is_scored_by_its_name_without_the_qizhong_mark():
    matched, missed, _extra = _score(PROJECT_FORM, _form_gold("当年财政拨款"))
    assert (matched, missed) == (9, [])
    # the total row's figures are not the source row's
    assert _score(PROJECT_FORM, _gold(_fig("年度资金总额", "57.60", "万元", "table", column="年初预算数")))[0] == 0


def test_a_score_cell_read_as_its_rows_score_and_as_the_sheets_budget_score_is_one_reading():
    assert _score(PROJECT_FORM, _form_gold("其中：当年财政拨款")) == (9, [], [])


def test_another_reading_of_a_matched_number_under_other_names_still_counts_against_precision():
    # a number read twice, once as what it is and once as something else, is one error
    ext = extraction_of(PROJECT_FORM)
    views = evaluate.figure_views(ext)
    (score_cell,) = [v for v in views if v.names == frozenset({"预算执行得分", "年度资金总额"})]
    wrong = evaluate.FigureView(frozenset({evaluate.name_key("自评得分")}), score_cell.quantity, "table")
    assert evaluate.score_figures(_form_gold("其中：当年财政拨款"), views + [wrong])[2] == ["自评得分=9"]


BUDGET_LINES = ("某区卫生健康局2023年度部门整体支出绩效自评报告\n一、部门预算执行情况\n"
                "2023年度收入年初预算数为4,518,200.00元，调整预算数为5,020,417.36元，决算数为5,020,417.36元。\n"
                "2023年度支出年初预算数为4,518,200.00元，调整预算数为5,020,417.36元，决算数为4,906,031.12元。\n")


def test_a_spending_budget_sentence_is_scored_under_its_measures():
    # "支出年初预算数为a，调整预算数为b，决算数为c": the department's 年初预算数, 调整后预算数 and 执行数
    gold = _gold(_fig("年初预算数", "4518200.00", "元", "narrative"), _fig("调整后预算数", "5020417.36", "元", "narrative"),
                 _fig("全年执行数", "4906031.12", "元", "narrative"))
    assert _score(BUDGET_LINES, gold)[:2] == (3, [])


def test_an_income_budget_sentence_is_no_execution_figure():
    # 收入决算数 is income, not an 执行数: the income line alone gives no 全年执行数
    income = "\n".join(BUDGET_LINES.split("\n")[:3]) + "\n"
    assert [f.measure for f in extraction_of(income).figures] == ["年初预算", "调整预算", "决算"]  # read, with measures
    matched, missed, _extra = _score(income, _gold(_fig("全年执行数", "5020417.36", "元", "narrative")))
    assert matched == 0 and len(missed) == 1


def test_a_final_accounts_note_names_its_spending_by_item_not_by_a_forms_columns():
    # a 部门决算 names "支出决算数" as its 支出合计: the form's 全年执行数 is a self-evaluation's name
    accounts = BUDGET_LINES.replace("部门整体支出绩效自评报告", "2023年度部门决算").replace("一、部门预算执行情况", "第三部分 2023年度部门决算情况说明")
    ext = extraction_of(accounts)
    assert ext.kind == "部门决算" and [f.measure for f in ext.figures][-1] == "决算"
    assert _score(accounts, _gold(_fig("全年执行数", "4906031.12", "元", "narrative")))[0] == 0


# ---- a part of another total is not the table's source row ----------------------------------

from test_sweep_prose import errors  # noqa: E402

SUBSIDY_FORM = (
    "某县卫生健康局基本药物补助资金绩效自评表\n（2023年度）\n"
    "项目资金（万元）\t全年预算数\t全年执行数\t执行率\n"
    "年度资金总额\t1200.00\t1200.00\t100%\n"
    "其中：中央补助\t300.00\t300.00\t100%\n"
    "地方资金\t900.00\t900.00\t100%\n"
    "年度完成基层医疗机构药物补助1200.00万元，中央补助300.00万元，地方资金900.00万元；"
    "其中完成村卫生室药物补助260.00万元，其中中央补助110.00万元，地方资金150.00万元。\n"
)


def test_the_sources_of_a_part_listed_under_it_are_not_the_tables_source_rows():
    # 110.00 and 150.00 are the 村卫生室 part's 中央补助 and 地方资金, under its own total 260.00
    assert errors(SUBSIDY_FORM) == []
    ext = extraction_of(SUBSIDY_FORM)
    assert [[p.quantity.text for p in r.parts] for r in ext.relations if r.total.quantity.text == "260.00万元"] == [["110.00万元", "150.00万元"]]
    # the whole's own 中央补助 against the table is still compared
    assert errors(SUBSIDY_FORM.replace("中央补助300.00万元", "中央补助320.00万元")) == ["xref.narrative_table"]


def test_a_list_under_the_tables_total_still_names_its_source_rows():
    # a "其中" list whose total is the table's total: its parts are the source rows
    listed = SUBSIDY_FORM.replace("万元，中央补助300.00万元，地方资金900.00万元；", "万元，其中中央补助310.00万元，地方资金890.00万元；")
    assert errors(listed).count("xref.narrative_table") == 2


# ---- a form's funds block copied from a web page, cells apart by single spaces ----------------

SPACED_FORM = (
    "某县水利局项目支出绩效自评表\n（2023年度）\n项目名称 小型水库维修养护\n主管部门 某县水利局 实施单位 某县水库管理站\n"
    "项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
    "(万元) 年度资金总额 48 48 45.6 10 95% 9.5\n"
    "其中:当年财政拨款 48 48 45.6 — — —\n"
    "  上年结转资金\n"
    "  其他资金\n"
    "年度总体目标 预期目标 实际完成情况\n"
    "完成全县12座小型水库的维修养护。 完成12座。\n"
)


def test_a_single_spaced_funds_block_is_read_as_the_forms_funds_rows():
    rows = _funds_rows(SPACED_FORM)
    # (the source rows printed empty carry no figure and are not read)
    assert [r.label for r in rows] == ["年度资金总额", "其中:当年财政拨款"]
    assert {k: q.text for k, q in rows[0].values.items()} == {
        "initial": "48", "budget": "48", "actual": "45.6", "weight": "10", "rate": "95%", "score": "9.5"}
    assert rows[1].is_part and rows[1].values["actual"].value == Decimal("45.6")
    assert errors(SPACED_FORM) == []
    # a rate that does not follow from its row is now seen
    assert errors(SPACED_FORM.replace("10 95% 9.5", "10 98% 9.8")) == ["rate.execution"]


def test_a_rate_written_as_a_fraction_is_not_judged_as_a_percentage():
    # "0.95" under 执行率 has no "%": it is not compared with 95%
    fraction = SPACED_FORM.replace("10 95% 9.5", "10 0.95 9.5")
    assert errors(fraction) == []
    assert _funds_rows(fraction)[0].values["rate"].text == "0.95"  # read, as a bare number


def test_words_naming_the_funds_columns_in_prose_are_no_table():
    prose = ("三、预算执行情况\n全年预算数 全年执行数 执行率 三项均按表式填报\n"
             "本项目全年预算数48万元，全年执行数45.6万元，执行率95%。\n")
    assert extraction_of(prose).sheets == [] or all(not s.budget_rows for s in extraction_of(prose).sheets)
    assert [f.quantity.text for f in extraction_of(prose).figures if f.context == "narrative"] == ["48万元", "45.6万元", "95%"]


def test_a_heading_after_a_single_spaced_funds_block_stays_in_the_prose():
    # "二、绩效目标完成情况" after the rows starts the next part: the block ends at the source rows
    from conftest import doc_from_text
    from extractor.segment import segment

    text = SPACED_FORM.replace("年度总体目标 预期目标 实际完成情况\n", "二、绩效目标完成情况\n")
    at = text.index("二、绩效目标完成情况")
    grids = [g for g in segment(doc_from_text(text)).grids if g.source == "spaces"]
    assert len(grids) == 1 and grids[0].span.end < at and text.index("其他资金") < grids[0].span.end


def test_a_single_spaced_row_short_of_a_cell_is_not_read():
    # "48 48 45.6 10 9.5" under six columns: the 执行率 or the 得分 was left out, single spaces do
    # not say which; reading it left to right would call the 得分 blank
    short = SPACED_FORM.replace("10 95% 9.5", "10 9.5")
    assert [r.label for r in _funds_rows(short)] == ["其中:当年财政拨款"]
    assert errors(short) == []
