"""Families of false alarms met on the fifth sweep of published pages (and the causes left from
the fourth): each test is a short made-up text in the shape that misled a rule, with the wrong
variant the rule must still catch where there is one."""
from __future__ import annotations

from conftest import extraction_of
from test_sweep_prose import errors, figure


def test_a_publication_stamp_does_not_vote_for_the_report_year():
    # a 决算 is put out the year after: the stamp's year and the report's year tie once each,
    # and the stamp must not win the tie
    text = ("目录\n发布日期：2026年9月3日\n第一部分 单位概况" + "." * 40 + "3\n"
            "第二部分 2025年度单位决算情况说明" + "." * 30 + "5\n一、收入支出决算总表\n")
    assert extraction_of(text).year == "2025"
    assert errors(text) == []
    # a heading naming another year is still one
    assert errors(text + "第三部分 2023年度单位决算情况说明" + "." * 30 + "9\n") == ["text.wrong_year"]


def test_a_closing_comparison_is_about_the_item_its_clause_names():
    # "“三公”经费支出决算数等于预算数的主要原因…" after the parts: the total's two amounts, not
    # the last part's actual against the total's budget
    text = ("2024年度一般公共预算财政拨款“三公”经费支出预算为8万元，支出决算为8万元，完成预算的100%。其中：公务接待费支出决算为2万元，"
            "完成预算的100%；公务用车运行维护费支出决算为6万元，完成预算的100%。2024年度一般公共预算财政拨款“三公”经费支出决算数"
            "等于预算数的主要原因是严格控制支出。\n")
    (st,) = [st for st in extraction_of(text).statements if st.kind == "comparison"]
    assert st.values["actual"].text == st.values["budget"].text == "8万元"
    assert errors(text) == []
    assert errors(text.replace("决算数等于预算数", "决算数大于预算数")) == ["text.comparison"]


def test_a_change_of_the_actual_in_a_paragraph_of_its_own_is_measured_from_the_actual():
    # the actual took its subject from the budget in its sentence; the change named 决算 in the
    # next paragraph is of the actual, not of the budget stated first
    text = ("2024年度一般公共预算财政拨款“三公”经费支出预算为20.00万元，支出决算为6.00万元，完成预算的30%。\n"
            "2024年度一般公共预算财政拨款“三公”经费支出决算数比上年减少4.00万元，下降40%。\n")
    changes = [st for st in extraction_of(text).statements if st.kind in ("change", "growth")]
    assert changes and {st.values["current"].text for st in changes} == {"6.00万元"}
    assert errors(text) == []
    assert errors(text.replace("下降40%", "下降50%")) == ["rate.growth"]


def test_a_rate_after_a_parts_named_change_is_the_parts():
    # "其中：…公务接待费支出决算减少0.5万元，下降100%": the rate follows the part's named amount,
    # so it is the part's (from 0.5 to 0), not the total's that the list broke down earlier
    text = ("（一）一般公共预算财政拨款“三公”经费支出决算总体情况\n2024年度一般公共预算财政拨款“三公”经费支出决算为3.00万元，其中：公务用车运行维护费支出决算为3.00万元；公务接待费支出决算为0.00万元。"
            "2024年度一般公共预算财政拨款“三公”经费支出决算数比上年减少0.50万元，下降14.29%。其中：公务用车运行维护费支出决算减少0.00万元，"
            "下降0.00%；公务接待费支出决算减少0.50万元，下降100.00%。\n")
    (st,) = [st for st in extraction_of(text).statements if st.kind == "growth" and st.values["rate"].text == "100.00%"]
    assert st.values["current"].text == "0.00万元" and st.subject.item == "公务接待费"
    assert errors(text) == []
    assert errors(text.replace("下降100.00%", "下降60.00%")) == ["rate.growth"]


def test_the_parts_of_a_prior_years_total_in_bare_wan_are_of_that_year():
    # the earlier year's breakdown follows this year's, its total written "万" (no 元): its parts
    # are that year's, not a second statement of this year's
    text = ("2024年的“三公”经费决算数合计为500.00万，其中：公务用车运行维护费300.00万元、公务接待费200.00万元。"
            "2023年的“三公”经费决算数合计为400.00万，其中：公务用车运行维护费250.00万元、公务接待费150.00万元。"
            "公务接待费增加50.00万元，原因是接待任务增加。\n")
    assert figure(extraction_of(text), "150.00万元").period == "2023"
    assert errors(text) == []
    assert errors(text.replace("增加50.00万元", "增加60.00万元")) == ["rate.change"]


def test_the_years_actual_spending_is_the_units_total():
    # "全年实际支出" names the year's spending in all, not the carry-over named just before it
    text = "全年实际收入800.00万元，其中财政拨款收入700.00万元，上年结转结余100.00万元；全年实际支出750.00万元，其中基本支出600.00万元，项目支出150.00万元。\n"
    ext = extraction_of(text)
    assert figure(ext, "750.00万元").subject.item == "支出合计" and figure(ext, "800.00万元").subject.item == "收入合计"
    assert errors(text) == []
    assert errors(text.replace("项目支出150.00万元", "项目支出160.00万元")) == ["sum.total_basic_project"]


def test_a_list_breaks_down_the_amount_of_its_own_clause_group():
    # after "；" the second list breaks down the spending before it, not the carry-over that closed
    # the first list (though the carry-over, like the parts, names no measure)
    text = "本年收入合计790.00万元，其中财政拨款收入700.00万元，上年结转结余90.00万元；本年支出决算合计750.00万元，其中基本支出600.00万元，项目支出150.00万元。\n"
    totals = {r.total.quantity.text for r in extraction_of(text).relations}
    assert totals == {"790.00万元", "750.00万元"}
    assert errors(text) == []
    assert errors(text.replace("项目支出150.00万元", "项目支出160.00万元")) == ["sum.total_basic_project"]


def test_a_change_after_the_last_part_of_a_list_may_be_the_totals():
    # "总预算A，其中：…，项目支出c，同比增加C，增长P%": the change closes the total's sentence and
    # names nothing; read as the total's it holds, so it is no contradiction
    text = "事业运行经费总预算安排5000.00元，其中：基本支出预算1000.00元，项目支出预算4000.00元，同比增加1000.00元，增长25%。\n"
    (st,) = [st for st in extraction_of(text).statements if st.kind == "growth"]
    assert "5000.00元" in {q.text for q in st.alternatives.get("current", [])}
    assert errors(text) == []
    # wrong on either reading: still reported
    assert errors(text.replace("增长25%", "增长40%")) == ["rate.growth"]


def test_a_change_with_its_verb_left_out_is_not_a_second_statement():
    # "比2023年增加10万元，增长50%。其中：公务用车购置及运行费支出决算5.00万元，增长33.33%": in the
    # list of changes the verb was dropped; taken as the change from 20.00万元 it gives the rate
    # printed after it, so it is that change, not the item stated a second time
    text = ("（一）一般公共预算财政拨款“三公”经费支出决算总体情况\n2024年度一般公共预算财政拨款“三公”经费支出决算为30.00万元，"
            "其中：公务用车购置及运行费支出决算为20.00万元，公务接待费支出决算为10.00万元。2024年度一般公共预算财政拨款“三公”经费支出"
            "决算数比2023年增加10.00万元，增长50%。其中：公务用车购置及运行费支出决算5.00万元，增长33.33%；公务接待费支出决算增加"
            "5.00万元，增长100%。\n")
    assert errors(text) == []
    # an amount that is no such change is a second statement still
    assert errors(text.replace("支出决算5.00万元，增长33.33%", "支出决算6.00万元，增长33.33%")) == ["xref.conflict"]


def test_the_staff_in_post_are_no_part_of_the_establishment():
    # "编制…，其中全额编制…，实际在岗…": the staff in post stand beside the establishment
    text = "医院编制人数200人，其中全额编制人数40人，实际在岗350人（其中临时人员150人）。\n"
    assert errors(text) == []
    assert errors("医院编制人数200人，其中全额编制人数40人，差额编制人数170人。\n") == ["sum.breakdown"]


SHORT_ROW_SHEET = ("项目支出绩效自评表\n\n绩效指标\t一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
                   "产出指标(50分)\t数量指标\t新建冷库面积\t≥800平方米\t820平方米\t20\t20\n"
                   "\t\t烘干设备购置\t450\t450\t20\t20\n"
                   "新装变压器2台\t2\t10\t10\n"
                   "效益指标(50分)\t社会效益指标\t带动农户增收\t有效\t有效\t50\t50\n")


def test_a_row_short_of_one_cell_before_its_scores_is_no_blank_score():
    # "新装变压器2台 | 2 | 10 | 10": a cell is missing before the scores, so read from the left the
    # 得分 falls on the empty end of the row; its last two numbers may well be 分值 and 得分
    (row,) = [r for s in extraction_of(SHORT_ROW_SHEET).sheets for r in s.indicators if r.name == "新装变压器2台"]
    assert row.short and row.score is None
    assert errors(SHORT_ROW_SHEET) == []
    # a row that states a score column and leaves it blank is still a blank
    blank = SHORT_ROW_SHEET.replace("\t\t烘干设备购置\t450\t450\t20\t20", "\t\t烘干设备购置\t450\t450%\t20\t")
    assert errors(blank) == ["complete.blank"]


def test_a_bare_rate_in_brackets_after_a_change_is_its_rate():
    # "较上年减少3.00万元（20%）": the bracket holds the change's rate, not an amount of its own
    text = "2024年本部门一般公共预算“三公”经费预算支出12.00万元，较上年减少3.00万元（20%），主要原因是压减公务接待。\n"
    assert figure(extraction_of(text), "20%").role == "change_pct"
    assert errors(text) == []
    assert errors(text.replace("（20%）", "（25%）")) == ["rate.growth"]
