"""Families of false alarms and misses met on the sixth sweep of published pages: each test is a
short made-up text in the shape that misled a rule, with the wrong variant the rule must still
catch where there is one."""
from __future__ import annotations

from conftest import extraction_of
from test_sweep_prose import errors


def test_a_split_in_half_width_brackets_ends_at_its_closing_bracket():
    # "总投资A万元(其中建筑工程a万元)，二批…": the list in brackets breaks down A alone; the
    # amounts after the bracket are no parts of it
    text = ("我局承担道路建设项目，一批项目批复总投资300.5万元(其中建筑工程280万元)，二批项目批复总投资120万元"
            "(其中建筑工程110万元)，合计批复总投资420.5万元(其中建筑工程390万元)。\n")
    totals = {r.total.quantity.text: [p.quantity.text for p in r.parts] for r in extraction_of(text).relations}
    assert totals["300.5万元"] == ["280万元"] and totals["120万元"] == ["110万元"]
    assert errors(text) == []
    assert errors(text.replace("其中建筑工程110万元", "其中建筑工程130万元")) == ["sum.breakdown"]



HEAD_ONCE = ("2024年，全县政府采购规模为40.00亿元。从结构看，货物、工程、服务政府采购规模分别为10.00亿元、12.00亿元和18.00亿元，"
             "占全县政府采购规模比例为25.00%、30.00%和45.00%。")


def test_a_respectively_list_with_its_head_noun_written_once_names_no_amount_the_whole():
    # "货物、工程、服务政府采购规模分别为a、b和c": the head noun after the last name does not make
    # c the whole; the shares listed after the amounts are theirs in order
    assert errors(HEAD_ONCE + "\n") == []
    assert errors(HEAD_ONCE.replace("比例为25.00%", "比例为35.00%") + "\n") == ["rate.share"]
    # a name the vocabulary does not know leaves the amounts unnamed too: no part is the whole
    text = ("2024年，全县政府采购规模为40.00亿元，县直单位、乡镇单位的政府采购规模分别为30.00亿元和10.00亿元，"
            "占全县政府采购规模的75.00%和25.00%。\n")
    assert errors(text) == []
    assert errors(text.replace("的75.00%", "的70.00%")) == ["rate.share"]


def test_an_amount_is_bounded_by_an_amount_not_by_a_percentage():
    # the bare shares after the list take the procurement's name, but "45.00%" of it bounds no
    # amount awarded to small firms
    text = HEAD_ONCE + "全县政府采购授予中小企业合同金额为30.00亿元。\n"
    assert errors(text) == []
    assert errors(text.replace("合同金额为30.00亿元", "合同金额为45.00亿元")) == ["sum.bounded"]


def test_the_governments_own_level_is_no_second_statement_of_its_areas():
    # "全县…规模为A。县本级…规模为B": B is the county government's own share of the item
    text = "2024年，全县政府采购规模为40.00亿元。县本级政府采购规模为15.00亿元，占全县政府采购规模的37.50%。\n"
    assert errors(text) == []
    assert errors(text.replace("的37.50%", "的40.00%")) == ["rate.share"]
    # two statements of the area's own amount still disagree
    assert errors(text.rstrip() + "2024年全县政府采购规模为41.00亿元。\n") == ["xref.conflict"]


def test_a_saving_rate_after_the_saving_itself_is_no_change_of_the_amount_before():
    # "规模A，较采购计划节约资金B，节约率p": p is B over the plan (A + B), which is not printed; it
    # is no rate of change from A to B
    text = "2024年，全县政府采购规模为32.00亿元，较采购计划节约资金8.00亿元，资金节约率达20.00%。\n"
    assert errors(text) == []
    # a saving stated beside the two amounts it lies between is still checked
    text = "2024年，全县政府采购预算为40.00亿元，实际采购32.00亿元，节约8.00亿元。\n"
    assert errors(text) == []
    assert errors(text.replace("节约8.00亿元", "节约9.00亿元")) == ["rate.change"]


def test_small_and_micro_firms_written_together_are_the_small_firms_awards():
    # "授予中小微企业（中小微型公司）的合同金额": the awards to small firms, a part of the
    # procurement, not a second statement of its total
    text = "2024年全县政府采购规模为40.00亿元，授予中小微企业的合同金额为30.00亿元，占全县政府采购规模的75.00%。\n"
    assert errors(text) == []
    assert errors(text.replace("合同金额为30.00亿元，占全县政府采购规模的75.00%", "合同金额为45.00亿元")) == ["sum.bounded"]


def test_the_offices_inside_a_unit_are_no_part_of_the_count_of_units():
    # "单位共2个，包括内设非独立核算的机构9个": the offices are inside the units, not among them
    text = "纳入本部门决算汇编范围的单位共2个，包括内设非独立核算的机构9个。\n"
    assert errors(text) == []
    # units broken down into units are still added up
    assert errors("纳入本部门决算汇编范围的单位共2个，其中行政单位1个，事业单位2个。\n") == ["sum.breakdown"]


def test_a_placeholder_before_wan_is_a_number_not_a_name():
    # "光伏扶贫xxx万": a number of 万元 left unfilled, not a name
    text = "其中光伏扶贫xxx万；基础设施建设资金已拨付到位。\n"
    assert "complete.placeholder_name" not in errors(text)
    assert "complete.placeholder_name" in errors("其中XX局光伏扶贫资金已拨付到位。\n")


def test_the_parts_listed_for_two_years_break_down_each_years_total():
    # "2025年预算A，2024年预算B。其中：1、X 2025年a1，2024年b1。2、Y 2025年a2，2024年b2": each
    # year's items add up to that year's total, the later item in a sentence of its own
    text = ("2025年“三公”经费预算安排40万元，2024年“三公”经费预算安排52.5万元，比上年减少12.5万元。其中：1、公务接待费"
            "2025年预算10万元，2024年预算14.5万元，比上年减少4.5万元。2、公务用车运行维护费2025年预算30万元，2024年预算38万元，"
            "比上年减少8万元。\n")
    totals = {r.total.quantity.text: [p.quantity.text for p in r.parts] for r in extraction_of(text).relations}
    assert totals == {"40万元": ["10万元", "30万元"], "52.5万元": ["14.5万元", "38万元"]}
    assert errors(text) == []
    wrong = text.replace("2024年预算14.5万元，比上年减少4.5万元", "2024年预算15.5万元，比上年减少5.5万元")
    assert errors(wrong) == ["sum.sangong"]


NUMBERED = ("2025年度专项经费总额为60万元，其中：\n1、设备维护经费为20万元，用于机房设备的日常维护。\n"
            "2、宣传经费为15万元，用于政策宣传资料印制。\n3、培训经费为25万元，用于业务人员培训。\n公用经费总额为30万元。\n")


def test_items_numbered_on_lines_of_their_own_break_down_the_total_that_closed_the_line_before():
    # "总额为X万元，其中：" ending its line, then "1、…", "2、…", "3、…" on lines of their own
    (rel,) = extraction_of(NUMBERED).relations
    assert rel.total.quantity.text == "60万元" and [p.quantity.text for p in rel.parts] == ["20万元", "15万元", "25万元"]
    assert errors(NUMBERED) == []
    assert errors(NUMBERED.replace("培训经费为25万元", "培训经费为35万元")) == ["sum.breakdown"]



def test_one_item_written_in_yuan_among_items_in_wan_is_a_unit_slip_when_it_makes_the_list_add_up():
    # the list need not be full, but read in 万元 the odd item makes it add up to the total exactly
    assert errors(NUMBERED.replace("培训经费为25万元", "培训经费为25元")) == ["xref.unit_slip"]
    # short of the total in any reading: a list that need not be full says nothing
    assert errors(NUMBERED.replace("培训经费为25万元", "培训经费为5元")) == []


def test_a_numbered_items_amount_is_of_the_totals_own_measure():
    # under a total of spending, "1、A预算为a，支出决算为b" lists b
    text = ("2025年度专项经费支出决算为60万元，其中：\n1、设备维护经费预算为30万元，支出决算为20万元。\n"
            "2、宣传经费预算为30万元，支出决算为40万元。\n")
    (rel,) = extraction_of(text).relations
    assert [p.quantity.text for p in rel.parts] == ["20万元", "40万元"]
    assert errors(text) == []


def test_numbered_items_the_vocabulary_names_outside_the_total_are_no_parts_of_it():
    # under a total of one item, lines naming items that are no parts of it by the vocabulary
    # (spending by kind under 三公经费) are another account, not its breakdown
    text = ("2025年“三公”经费支出决算为10万元，其中：\n1、基本支出决算为8万元，用于保障机构运转。\n"
            "2、项目支出决算为6万元，用于专项业务。\n")
    assert extraction_of(text).relations == []
    assert errors(text) == []
