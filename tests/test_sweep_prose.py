"""Families of false alarms met on published reports read end to end: each test is a short
made-up text in the shape that misled a rule, with the wrong variant the rule must still catch."""
from __future__ import annotations

from conftest import extraction_of, findings_for


def errors(text: str) -> list[str]:
    return sorted(f.check for f in findings_for(text) if f.severity in ("error", "warning"))


def figure(ext, printed: str):
    (f,) = [f for f in ext.figures if f.quantity.text == printed]
    return f


def test_revenue_and_spending_change_verbs_are_changes():
    # 增收/减收, 增支/减支: the amount after them is a change, not last year's level
    text = "2023年全镇一般公共预算收入完成5200万元，比上年增收400万元，增长8.3%；一般公共预算支出6100万元，比上年减支305万元，下降4.8%。\n"
    ext = extraction_of(text)
    assert figure(ext, "400万元").role == figure(ext, "305万元").role == "change"
    assert findings_for(text) == []
    # (a town's own finances: the finding is a note, see test_sweep2_fiscal)
    assert [(f.check, f.severity) for f in findings_for(text.replace("增长8.3%", "增长12.5%"))] == [("rate.growth", "info")]


def test_a_change_after_an_unnamed_amount_is_about_that_amount():
    # 罚没收入 is no item the vocabulary knows: its change and rate are about it, not about 收入合计
    text = "收入合计900万元，比上年增加90万元，增长11.1%。其中：罚没收入300万元，比上年增加60万元，增长25%。\n"
    ext = extraction_of(text)
    assert figure(ext, "60万元").role == "change" and figure(ext, "60万元").subject is None
    assert figure(ext, "90万元").subject.item == "收入合计"
    assert errors(text) == []
    # still checked against the amount it follows
    assert errors(text.replace("增长25%", "增长35%")) == ["rate.growth"]


def test_the_budget_an_amount_is_completed_against_is_the_same_subject():
    # "完成年初预算数X万元的p%": X is the budget of what the sentence is about, so the change
    # after it is still about the sentence's subject
    text = "全县一般公共预算收入累计完成2400万元，完成年初预算数6000万元的40%，比上年减收100万元，下降4%。\n"
    ext = extraction_of(text)
    assert figure(ext, "6000万元").subject.item == figure(ext, "100万元").subject.item == "收入合计"
    assert findings_for(text) == []
    # (a county's own finances: the finding is a note, see test_sweep2_fiscal)
    assert [(f.check, f.severity) for f in findings_for(text.replace("下降4%", "下降9%"))] == [("rate.growth", "info")]


def test_a_parts_change_is_not_measured_against_the_totals_earlier_amount():
    # "较2023年的320万元" is last year's 三公经费: the base of the total's change only, and no
    # total of the list that follows
    text = ("2024年三公经费预算为300万元，较2023年的320万元减少20万元，下降6.3%；其中：公务接待费60万元，较上年减少5万元，"
            "下降7.7%；公务用车购置及运行维护费240万元，较上年减少15万元，下降5.9%。\n")
    ext = extraction_of(text)
    assert figure(ext, "320万元").subject.item == "三公经费"
    (relation,) = ext.relations
    assert relation.total.quantity.text == "300万元"
    assert errors(text) == []
    assert errors(text.replace("下降7.7%", "下降17.7%")) == ["rate.growth"]
    assert errors(text.replace("240万元", "250万元")) == ["sum.sangong"]


def test_a_change_takes_the_item_named_earlier_in_its_clause_group():
    text = ("三公经费支出决算总额为6万元，比上年增加1万元，增长20%。其中，因公出国（境）费支出决算比预算无增减变化，比上年无增减变化；"
            "公务接待费支出决算比预算无增减变化，比上年增加0.4万元，增长25%。\n")
    ext = extraction_of(text)
    assert figure(ext, "0.4万元").subject.item == "公务接待费"
    assert figure(ext, "1万元").subject.item == "三公经费"
    assert errors(text) == []


def test_a_list_ends_at_a_half_width_semicolon():
    text = "本单位内设3个股室,分别是综合股、业务股、财务股;2个下属单位,分别是检测站、服务站。\n"
    assert errors(text) == []
    assert errors(text.replace("内设3个", "内设4个")) == ["count.listed"]


def test_a_list_whose_last_two_items_are_joined_by_he():
    text = "本局下设科室4个，分别为办公室、财务股、规划股和法规股。\n"
    assert errors(text) == []
    assert errors(text.replace("科室4个", "科室6个")) == ["count.listed"]


def test_an_amount_after_includes_is_of_the_component_named():
    text = "本单位2023年支出合计200万元，其中：基本支出120万元，项目支出80万元。项目支出包括培训经费30万元，宣传经费20万元。\n"
    ext = extraction_of(text)
    assert figure(ext, "30万元").subject is None
    assert errors(text) == []
    # a component the vocabulary names is that component
    named = extraction_of("本单位2023年基本支出120万元。基本支出包括人员经费100万元，公用经费20万元。\n")
    assert figure(named, "100万元").subject.item == "人员经费"
    assert errors(text.replace("项目支出80万元", "项目支出90万元")) == ["sum.total_basic_project"]


def test_an_items_total_in_a_fund_scope_is_that_items_total():
    # "三公经费财政拨款支出合计" closes the 三公经费, not the department's spending
    text = "2023年“三公”经费财政拨款支出合计12.00万元，其中：因公出国（境）费0.00万元，公务接待费4.00万元，公务用车购置及运行费8.00万元。\n"
    ext = extraction_of(text)
    assert figure(ext, "12.00万元").subject.item == "三公经费"
    assert errors(text) == []
    assert errors(text.replace("公务接待费4.00万元", "公务接待费5.00万元")) == ["sum.sangong"]


def test_other_x_is_not_x():
    text = "2023年工资福利支出决算数为300万元。其他工资福利支出决算数为20万元，主要是伙食补助费。\n"
    ext = extraction_of(text)
    assert figure(ext, "300万元").subject.item == "工资福利支出" and figure(ext, "20万元").subject is None
    assert errors(text) == []



def test_a_list_of_several_figures_per_item_is_not_one_breakdown():
    # each item gives its spending, its budget and the gap: the gaps are not parts of anything
    # the spending and budgets add up to
    text = ("2023年三公经费支出5.00万元，年初预算为6.00万元，差值为1.00万元。其中：公务接待费支出2.00万元，年初预算为2.50万元，"
            "差值为0.50万元；公务用车运行维护费支出3.00万元，年初预算为3.50万元，差值为0.50万元。\n")
    assert figure(extraction_of(text), "2.50万元").subject.item == "公务接待费"
    assert errors(text) == []
    # where the total is of one measure, the parts of that measure are still its parts
    budgets = ("2023年三公经费支出5.00万元，年初预算为6.00万元。其中：公务接待费支出2.00万元，年初预算为2.50万元；"
               "公务用车运行维护费支出3.00万元，年初预算为3.50万元。\n")
    assert errors(budgets) == []
    assert errors(budgets.replace("3.50万元", "4.50万元")) == ["sum.sangong"]


def test_a_list_that_adds_up_before_its_last_items_ended_there():
    text = "本单位在职职工40人，其中高级职称6人，中级职称20人，初级职称14人，退休职工15人。\n"
    assert errors(text) == []
    assert errors(text.replace("初级职称14人", "初级职称24人")) == ["sum.breakdown"]


def test_an_economic_item_listed_under_project_spending_is_the_projects_share():
    text = ("1. 基本支出预算500000元，其中：工资福利支出预算400000元，商品和服务支出预算100000元。\n"
            "2. 项目支出60000元，其中：商品和服务支出预算60000元，同比减少10000元，下降14.29%。\n")
    ext = extraction_of(text)
    goods = [f for f in ext.figures if f.quantity.text in ("100000元", "60000元") and f.subject and f.subject.item == "商品和服务支出"]
    assert len(goods) == 2 and goods[0].subject.key != goods[1].subject.key
    assert errors(text) == []
    assert errors(text.replace("下降14.29%", "下降24.29%")) == ["rate.growth"]


def test_a_saved_pages_comment_line_is_no_title():
    # "<!-- saved from url=… -->" heads pages saved by a browser: the title is the line below it
    text = "<!-- saved from url=(0031)http://www.example.org/js.html -->\n示例县农业局2023年度部门决算\n2023年度支出合计为320.50万元。\n"
    assert figure(extraction_of(text), "320.50万元").measure == "决算"


def test_a_change_against_the_budget_keeps_its_own_base_after_a_year_on_year_change():
    text = ("示例局2023年度部门决算\n2023年度一般公共预算财政拨款支出决算为530.00万元，与上年相比减少20.00万元，下降3.64%；"
            "完成年初预算的100%，决算数大于预算数30.00万元，主要原因是追加了项目。\n")
    assert errors(text) == ["rate.completion"]
    assert errors(text.replace("完成年初预算的100%", "完成年初预算的106.00%")) == []


def test_completed_budget_without_de_and_the_budget_it_is_taken_of():
    # "完成年初预算100%" is a completion rate; "完成年初预算数X万元的p%": X is the reference of
    # the completion, not the amount that changed
    text = ("示例局2023年度部门决算\n2023年度一般公共预算财政拨款支出决算为530.00万元，完成年初预算100%，"
            "决算数大于预算数30.00万元，主要原因是追加了项目。\n")
    assert errors(text) == ["rate.completion"]
    running = "示例县2024年1-4月财政预算执行情况\n一般公共预算收入累计完成2400万元，完成年初预算数6000万元的40%，比上年减收100万元，下降4%。\n"
    assert figure(extraction_of(running), "6000万元").measure == "年初预算"
    assert findings_for(running) == []
    assert [(f.check, f.severity) for f in findings_for(running.replace("下降4%", "下降9%"))] == [("rate.growth", "info")]


def test_the_parts_of_last_years_total_are_last_years():
    text = ("示例局2023年三公经费预算说明\n一、2023年三公经费预算情况\n"
            "2023年度三公经费预算31.00万元，其中：公务接待费11.00万元，公务用车运行维护费20.00万元。\n"
            "二、2022年三公经费决算情况\n2022年度三公经费合计支出30.00万元，其中：公务接待费12.00万元，公务用车运行维护费18.00万元。\n")
    assert figure(extraction_of(text), "12.00万元").period == "2022"
    assert errors(text) == []
    assert errors(text.replace("公务接待费11.00万元", "公务接待费12.00万元")) == ["sum.sangong"]


def test_an_items_grand_total_is_that_items_total():
    text = ("示例局2023年度三公经费预算总计21.00万元，其中：因公出国（境）费0.00万元，公务接待费11.00万元，公务用车运行维护费10.00万元。"
            "本单位2023年收支预算总计500.00万元。\n")
    assert figure(extraction_of(text), "21.00万元").subject.item == "三公经费"
    assert errors(text) == []
    assert errors(text.replace("公务接待费11.00万元", "公务接待费12.00万元")) == ["sum.sangong"]


def test_a_bare_zeng_after_a_change_opens_its_rate():
    text = "2023年基本支出1000.00万元，较上年增100.00万元，增11.11%。\n"
    assert figure(extraction_of(text), "11.11%").role == "change_pct"
    assert errors(text) == []
    assert errors(text.replace("增11.11%", "增21.11%")) == ["rate.growth"]
