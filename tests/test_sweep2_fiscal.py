"""Families of false alarms met on a second sweep of published 预算/决算 notes: each test is a
short made-up text in the shape that misled a rule, with the wrong variant the rule must still
catch."""
from __future__ import annotations

from conftest import extraction_of, findings_for


def errors(text: str) -> list[str]:
    return sorted(f.check for f in findings_for(text) if f.severity in ("error", "warning"))


def figure(ext, printed: str):
    (f,) = [f for f in ext.figures if f.quantity.text == printed]
    return f


def test_a_publication_stamp_above_the_title_is_not_the_report_year():
    # a 决算 comes out the year after the one it reports on: the stamp's year is no title year
    text = ("目录\n发布时间：2023年8月30日\n第一部分 单位概况\n第二部分 2022年度单位决算情况说明\n"
            "一、收入支出决算总体情况说明\n2022年度收、支总计均为640.20万元。\n")
    assert extraction_of(text).year == "2022"
    assert errors(text) == []
    # a heading that names another year than a real title still does
    titled = "某站2022年度单位决算\n" + text.replace("第二部分 2022年度", "第二部分 2021年度")
    assert extraction_of(titled).year == "2022"
    assert errors(titled) == ["text.wrong_year"]


def test_the_basic_and_project_split_of_an_unnamed_spending_line_is_that_lines():
    # "行政运行X元，其中：基本支出A元，项目支出B元": each 功能分类 line splits its own amount; its
    # 基本支出 is no second statement of the department's
    text = ("某所2022年单位预算\n五、一般公共预算支出情况说明\n"
            "2022年一般公共预算拨款支出860000元，其中：基本支出800000元，项目支出60000元。\n"
            "（一）按支出功能分类科目划分。\n"
            "行政运行520000元，其中：基本支出520000元，项目支出0元。\n"
            "一般行政管理事务60000元，其中：基本支出0元，项目支出60000元。\n"
            "住房公积金280000元，其中：基本支出280000元，项目支出0元。\n")
    ext = extraction_of(text)
    (line_basic,) = [f for f in ext.figures if f.quantity.text == "280000元" and f.label == "基本支出"]
    assert line_basic.subject.item == "基本支出" and line_basic.subject.part == "住房公积金"
    assert errors(text) == []
    # the department's own split is still summed, and so is each line's
    assert errors(text.replace("基本支出800000元", "基本支出810000元")) == ["sum.total_basic_project"]
    assert "sum.breakdown" in errors(text.replace("基本支出280000元", "基本支出290000元"))


def test_gongche_is_the_short_name_of_the_official_car_items():
    # "公车购置及运行费" is 公务用车购置及运行费: its parts are summed against it
    text = ("某县2020年三公经费决算说明\n全县三公经费决算数640万元。分项情况是：因公出国（境）经费20万元；公务接待费300万元；"
            "公车购置及运行费320万元（其中公务用车购置费50万元，公车运行费270万元）。\n")
    ext = extraction_of(text)
    assert figure(ext, "320万元").subject.item == "公务用车购置及运行费"
    assert errors(text) == []
    assert errors(text.replace("公车运行费270万元", "公车运行费280万元")) == ["sum.breakdown"]


def test_the_rate_after_the_budget_it_is_taken_of_is_a_completion_rate():
    # "完成全年预算X万元的P%": P is the amount spent over the budget X just named
    text = ("某局2022年度三公经费支出决算情况说明\n2022年度本局三公经费财政拨款支出决算为36.40万元，完成全年预算52.00万元的70%，"
            "比上年决算数减少3.60万元，下降9%。其中：公务接待费支出决算为6.00万元，完成预算8.00万元的75%。\n")
    ext = extraction_of(text)
    assert figure(ext, "70%").role == figure(ext, "75%").role == "completion"
    assert errors(text) == []
    assert errors(text.replace("的70%", "的77%")) == ["rate.completion"]
    assert errors(text.replace("的75%", "的57%")) == ["rate.completion"]


def test_the_change_after_a_part_of_the_same_item_is_the_parts():
    # "总支出X，其中本年支出Y，较上年减少C": the change is of this year's spending, not of the
    # total with the carry-over
    text = ("某中心2022年度单位决算\n（二）本单位2022年度总支出600.00万元，其中本年支出500.00万元，较上年减少100.00万元，下降16.67%。\n")
    assert errors(text) == []
    assert errors(text.replace("下降16.67%", "下降20%")) == ["rate.growth"]


def test_a_numbered_paragraph_wrapped_at_a_narrow_width_is_one_paragraph():
    # "1.…收入250.00万元，为本级财政" is no heading: it holds a clause mark, and the next line
    # carries on its sentence, so the change there is of the amount on the first line
    text = ("某站2022年度单位决算\n（一）收入决算情况\n"
            "1.一般公共预算财政拨款收入250.00万元，为本级财政\n当年拨付的资金。较上年减少50.00万元，下降16.67%。\n"
            "（二）支出决算情况\n本年支出260.00万元。\n")
    assert errors(text) == []
    assert errors(text.replace("下降16.67%", "下降26.67%")) == ["rate.growth"]
    # a heading line without a clause mark still stands alone
    assert "支出决算情况" not in figure(extraction_of(text), "260.00万元").label


def test_shangnian_jiezhuan_is_this_years_opening_carry_over():
    # "上年结转和结余" is 年初结转和结余 by another name: this year's figure, not last year's
    text = ("某所2022年度单位决算\n本年收入合计160.00万元，上年结转和结余40.00万元，收入总计200.00万元。"
            "上年结转和结余40.00万元，较上年增加8.00万元，增长25%。\n")
    ext = extraction_of(text)
    carried = [f for f in ext.figures if f.quantity.text == "40.00万元"]
    assert all(f.subject.item == "年初结转和结余" and f.period is None for f in carried)
    assert errors(text) == []
    assert errors(text.replace("增长25%", "增长20%")) == ["rate.growth"]
    assert errors(text.replace("较上年增加8.00万元，增长25%。", "较上年增加8.00万元。上年结转和结余44.00万元。")) == ["xref.conflict"]


def test_the_comment_a_saved_page_opens_with_is_no_text_of_the_report():
    # "<!-- saved from url=… -->": its digits are no figures and its words no label
    text = ("<!-- saved from url=(0052)http://czj.example.gov.cn:8080/2023/0412/558.html -->\n"
            "三公经费预算30.00万元，其中：公务接待费10.00万元，公务用车运行维护费20.00万元。\n")
    ext = extraction_of(text)
    assert [f.quantity.text for f in ext.figures] == ["30.00万元", "10.00万元", "20.00万元"]
    assert errors(text) == []
    (wrong,) = findings_for(text.replace("运行维护费20.00万元", "运行维护费25.00万元"))
    assert wrong.check == "sum.sangong" and "-->" not in wrong.message


def test_shares_in_a_sentence_opening_among_an_item_are_of_that_item():
    # "…三公经费支出决算中，A a，占p%": the shares are of the 三公经费 stated in an earlier paragraph
    text = ("某局2022年度三公经费支出决算情况说明\n（一）总体情况\n2022年度三公经费财政拨款支出决算为40.00万元。\n"
            "（二）具体情况\n2022年度三公经费财政拨款支出决算中，公务接待费10.00万元，占25%；公务用车购置及运行维护费30.00万元，占75%。\n")
    assert errors(text) == []
    assert errors(text.replace("占25%", "占35%")) == ["rate.share"]


def test_shangnian_jiezhuan_as_a_budget_income_row_is_this_years():
    # "上年结转" is the 收支总表 row of this year's income brought forward, a part of the income
    text = ("某镇2024年部门预算\n2024年收入预算500.00万元，其中：本年财政拨款收入420.00万元，占84%；上年结转80.00万元，占16%。\n")
    assert figure(extraction_of(text), "80.00万元").period is None
    assert errors(text) == []
    assert errors(text.replace("上年结转80.00万元", "上年结转90.00万元")) == ["rate.share", "sum.breakdown"]


def test_a_change_after_a_closed_bracket_is_of_the_amount_before_it():
    # "X（其中：A，B），比上年减少C，下降P%": the change is X's, not the last part inside the bracket
    text = ("某局2022年三公经费决算说明\n2022年公务用车购置及运行维护费40万元（其中：购置费15万元，运行维护费25万元），"
            "比上年减少10万元，下降20%。\n")
    assert figure(extraction_of(text), "10万元").subject.part is None
    assert errors(text) == []
    assert errors(text.replace("下降20%", "下降28.57%")) == ["rate.growth"]


def test_a_list_in_parentheses_after_a_count_says_what_it_covers():
    # "车辆N辆（包括A、B和C）" names the units the vehicles belong to, not N items
    text = "示例部2024年度部门决算\n截至年底，本部及所属单位共有车辆312辆（包括本级机关、直属学校和直属单位）。\n"
    assert errors(text) == []
    assert errors(text.replace("（包括本级机关、直属学校和直属单位）", "，包括：执法用车、通勤用车")) == ["count.listed"]


def test_the_older_template_adds_the_business_fund_to_income():
    # the 2010s 收支决算总表: 收入总计 = 本年收入合计 + 上年结转和结余 + 用事业基金弥补收支差额
    rows = ["示例部2012年度部门决算", "示例部2012年度收支决算总表", "单位：万元",
            "项目\t金额\t项目\t金额",
            "一、财政拨款\t900.00\t一、教育\t950.00",
            "二、事业收入\t100.00\t二、科学技术\t110.00",
            "本年收入合计\t1,000.00\t本年支出合计\t1,060.00",
            "三、上年结转和结余\t50.00\t三、年末结转和结余\t20.00",
            "四、用事业基金弥补收支差额\t30.00\t四、结余分配\t0.00",
            "收入总计\t1,080.00\t支出总计\t1,080.00", ""]
    text = "\n".join(rows)
    assert errors(text) == []
    assert errors(text.replace("四、用事业基金弥补收支差额\t30.00", "四、用事业基金弥补收支差额\t40.00")) == ["table.balance"]


def test_a_report_on_a_whole_areas_finances_gets_notes_not_errors():
    # 全县 revenue in several calibres (大口径, 一般公共预算, 基金; 全县 and 县级): what the checks
    # find is only a note; a department's own 部门预算 filed under 政府预算 stays a 部门预算
    report = ("关于示例县2024年预算执行情况和2025年预算草案的报告\n各位代表：\n"
              "2024年，全县一般公共预算收入完成52000万元，比上年减少13000万元，下降20.0%。\n")
    assert extraction_of(report).kind == "财政报告"
    assert findings_for(report) == []  # 13000 ÷ 65000 = 20%
    noted = findings_for(report.replace("下降20.0%", "下降25.0%"))
    assert [(f.check, f.severity) for f in noted] == [("rate.growth", "info")] and "仅供参考" in noted[0].message
    department = "分类：政府预算\n示例乡人民政府2025年部门预算\n一、部门预算收支总体情况\n"
    assert extraction_of(department).kind == "部门预算"
