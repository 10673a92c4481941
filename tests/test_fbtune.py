"""Families met on the fiscal-blind tuning split (eval_sets/fiscal-blind-tune): whole 决算/预算
documents in the layouts of the blind set. Each test is a short made-up text in the shape that
misled a rule or slipped past it, with the near-miss that must stay silent."""
from __future__ import annotations

from conftest import extraction_of
from test_sweep_prose import errors

BASIC_TABLE = ("白鹭县气象局2025年度部门决算\n一般公共预算财政拨款基本支出决算表\n单位：万元\n"
               "人员经费\t\t\t公用经费\t\t\n"
               "科目编码\t科目名称\t决算数\t科目编码\t科目名称\t决算数\n"
               "301\t工资福利支出\t356.20\t302\t商品和服务支出\t48.10\n"
               "30101\t基本工资\t88.40\t30201\t办公费\t20.60\n"
               "30102\t津贴补贴\t140.30\t30211\t差旅费\t27.50\n"
               "30107\t绩效工资\t127.50\t\t\t\n"
               "人员经费合计\t\t356.20\t公用经费合计\t\t48.10\n\n")
BASIC_PROSE = ("六、一般公共预算财政拨款基本支出决算情况说明\n2025年度一般公共预算财政拨款基本支出404.30万元，其中：人员经费356.20万元，公用经费48.10万元。\n"
               "人员经费中，基本工资88.40万元、津贴补贴140.30万元、绩效工资127.50万元。\n")


def test_a_list_among_an_item_names_its_parts_not_the_item():
    # "人员经费中，基本工资a、津贴补贴b": a non-exhaustive list inside 人员经费, not its level
    text = BASIC_TABLE + BASIC_PROSE
    assert errors(text) == []
    (wage,) = [f for f in extraction_of(text).figures if f.quantity.text == "88.40万元"]
    assert wage.subject is not None and wage.subject.key[0] == "人员经费" and wage.subject.part == "基本工资"
    # the level itself stated with another value is still a contradiction with the table
    assert "xref.narrative_table" in errors(text.replace("人员经费356.20万元", "人员经费365.20万元"))
    # "其中，" lists the amount before it: its first item is no part of a frame
    assert errors("2025年度公用经费48.10万元，其中，办公费20.60万元、差旅费27.50万元。\n") == []


SANGONG_SPACED = (
    "青岩县档案馆2025年度部门决算\n财政拨款“三公”经费支出决算表\n单位：元\n"
    "合计                  因公出国（境）费          公务用车购置及运行维护费                                                                    公务接待费\n"
    "                                                小计                                 公务用车购置费          公务用车运行维护费\n"
    "预算数     决算数     预算数            决算数  预算数                    决算数     预算数          决算数  预算数              决算数     预算数      决算数\n"
    "50,000.00  46,210.00              0.00    0.00                 38,000.00  35,640.00            0.00    0.00           38,000.00  35,640.00   12,000.00  10,570.00\n"
    "注：本表反映部门本年度“三公”经费支出预决算情况。\n\n"
    "七、财政拨款“三公”经费支出决算情况说明\n"
    "2025年度“三公”经费财政拨款支出决算中，公务用车购置及运行维护费支出决算35,640.00元，公务接待费支出决算10,570.00元。\n")
SANGONG_TABBED = (
    "青岩县档案馆2025年度部门决算\n财政拨款“三公”经费支出决算表\n单位：万元\n"
    "合计\t\t因公出国（境）费\t\t公务用车购置及运行维护费\t\t\t\t\t\t公务接待费\t\n"
    "\t\t\t\t小计\t\t公务用车购置费\t\t公务用车运行维护费\t\t\t\n"
    "预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\t预算数\t决算数\n"
    "5.00\t4.62\t0.00\t0.00\t3.80\t3.56\t0.00\t0.00\t3.80\t3.56\t1.20\t1.06\n"
    "注：本表反映部门本年度“三公”经费支出预决算情况。\n\n")


def test_the_wide_sangong_tables_decided_columns_are_read_as_their_items():
    # a bare 决算数 closes the pair its item's heading opened: the prose 决算 amount is compared
    # with it, not with the 预算数 beside it (a space-aligned heading that lost its 预算数 is not
    # taken for the 决算 column either)
    assert errors(SANGONG_SPACED) == []
    assert errors(SANGONG_SPACED.replace("公务接待费支出决算10,570.00元", "公务接待费支出决算10,750.00元")) == ["xref.narrative_table"]
    # the 决算 小计 is checked against its 购置费 + 运行维护费 (3.56 ≠ 0.00 + 3.65)
    assert errors(SANGONG_TABBED) == []
    assert errors(SANGONG_TABBED.replace("3.80\t3.56\t1.20", "3.80\t3.65\t1.20")) == ["table.sangong"]
    # a table laid out by rows (项目 | 预算数 | 决算数) still takes the item from the row
    rows = ("青岩县档案馆2025年度部门决算\n财政拨款“三公”经费支出决算表\n单位：万元\n项目\t预算数\t决算数\n"
            "合计\t5.00\t4.62\n1.因公出国（境）费\t0.00\t0.00\n2.公务用车购置及运行维护费\t3.80\t3.56\n3.公务接待费\t1.20\t1.06\n\n"
            "2025年度公务接待费支出决算1.06万元。\n")
    assert errors(rows) == []
    assert errors(rows.replace("支出决算1.06万元", "支出决算1.16万元")) == ["xref.narrative_table"]


def test_a_standard_tables_title_with_another_year_than_the_report():
    # a stale year in a table's title, written one cell per line or with tab cells
    cells = "\t项目\n\t决算数\n\n\t本年收入合计\n\t812.40\n\n\t本年支出合计\n\t812.40\n注：本表反映部门本年度的总收支情况。\n\n"
    doc = "青岩县档案馆2025年度部门决算\n{title}\n单位：万元\n" + cells + "2025年度收入、支出总计均为812.40万元。\n"
    assert errors(doc.format(title="收入支出决算总表")) == []
    assert errors(doc.format(title="2025年度收入支出决算总表")) == []
    assert errors(doc.format(title="2024年度收入支出决算总表")) == ["text.wrong_year"]
    budget = ("青岩县档案馆2026年部门预算\n{title}\n单位：万元\n项目\t预算数\n收入总计\t640.00\n支出总计\t640.00\n\n"
              "2026年收入预算640.00万元。\n")
    assert errors(budget.format(title="2026年部门财务收支预算总表")) == []
    assert errors(budget.format(title="2025年部门财务收支预算总表")) == ["text.wrong_year"]


SANGONG_ROWS = ("青岩县档案馆2025年度部门决算\n一般公共预算财政拨款基本支出决算表\n单位：万元\n"
                "科目编码\t科目名称\t决算数\n302\t商品和服务支出\t5.54\n30217\t公务接待费\t1.06\n30231\t公务用车运行维护费\t3.56\n"
                "30299\t其他商品和服务支出\t0.92\n\n"
                "财政拨款“三公”经费支出决算表\n单位：万元\n"
                "\t项目\n\t预算数\n\t决算数\n\n\t合计\n\t5.00\n\t4.62\n\n\t1.因公出国（境）费\n\t0.00\n\t0.00\n\n"
                "\t2.公务用车购置及运行维护费\n\t3.80\n\t3.56\n\n\t  其中：公务用车购置费\n\t0.00\n\t0.00\n\n"
                "\t        公务用车运行维护费\n\t3.80\n\t3.56\n\n\t3.公务接待费\n\t1.20\n\t1.06\n"
                "注：本表反映部门本年度“三公”经费支出预决算情况。\n\n")


def test_a_sangong_row_names_its_item_though_the_economic_table_codes_the_name():
    # "3.公务接待费" in the 三公 table is the 三公 item, not the 基本支出表's 30217 row: its 合计 is
    # checked against its rows
    assert errors(SANGONG_ROWS) == []
    assert errors(SANGONG_ROWS.replace("\t合计\n\t5.00\n\t4.62", "\t合计\n\t5.00\n\t4.72")) == ["table.sangong"]
    # the 预算数 column of the same items adds up on its own: no finding from the 决算 one beside it
    assert errors(SANGONG_ROWS.replace("\t3.公务接待费\n\t1.20", "\t3.公务接待费\n\t1.10")) == ["table.sangong"]
