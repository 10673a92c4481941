"""Prose amounts paired with the table cell they restate, in 部门决算/预算 notes: each test is a
made-up note in the shape where the pair was missed (so a contradiction could never be found),
with the near-misses that must stay silent."""
from __future__ import annotations

from decimal import Decimal

from conftest import extraction_of
from make_fixtures import make_fiscal_pdf
from test_fiscal_tables import BASIC, CODE, NAME, PROJECT, TOTAL, audit, row as _row
from test_sweep_prose import errors

from extractor.checks import run_checks
from extractor.extract import extract
from extractor.ingest import read_document


def audit_pdf(tmp_path, pages):
    _doc, ext, findings = audit(tmp_path, pages)  # (a 部门决算 title page first)
    return ext, findings


def _side_line(left, lv, right, rv):
    return [(40, left), (330, right)] + [(x, v, "r") for x, v in ((270, lv), (540, rv)) if v]


def balance_table(total: str = "1,234.50") -> list:
    """A 收支总表 of a unit with nothing carried over: its 结余 and 结转 lines are left blank, the
    last of them right above the 总计 line."""
    return [
        [(200, "收入支出决算总表")],
        [(440, "单位：万元")],
        [(80, "收入"), (400, "支出")],
        [(60, "项目"), (230, "决算数"), (360, "项目"), (500, "决算数")],
        _side_line("一、一般公共预算财政拨款收入", total, "一、一般公共服务支出", total),
        _side_line("本年收入合计", total, "本年支出合计", total),
        _side_line("使用非财政拨款结余", "", "结余分配", ""),
        _side_line("年初结转和结余", "", "年末结转和结余", ""),
        _side_line("总计", total, "总计", total),
    ]


def note(total: str) -> list:
    return ["第三部分 示例中心2024年度部门决算情况说明", "一、收入支出决算总体情况说明",
            f"示例中心2024年度收入支出总计{total}。与2023年度相比，收入支出总计增加1,234.50万元，增长100.00%。"]


def test_a_total_row_under_a_blank_carried_over_line_keeps_its_own_name(tmp_path):
    ext, findings = audit_pdf(tmp_path, [balance_table(), note("1,234.50万元")])
    (t,) = [t for t in ext.tables if t.kind == "收支总表"]
    rows = {(r.label, r.side): {k: q.value for k, q in r.cells.items()} for r in t.rows}
    assert rows[("总计", 0)] == {0: Decimal("1234.50")} and rows[("年初结转和结余", 0)] == {}
    assert not [f for f in findings if f.severity != "info"], [(f.check, f.message) for f in findings]
    # the prose 总计 now meets the table's: another value is a contradiction of two plainly named figures
    _ext, wrong = audit_pdf(tmp_path, [balance_table(), note("1,243.50万元")])
    # (the growth rate of 100% then fails too: the change is the whole 1,234.50)
    assert [f.severity for f in wrong if f.check == "xref.narrative_table"] == ["error"]
    # the same amount in 元 is the same figure; the change 增加1,234.50万元 is no second 总计
    _ext, in_yuan = audit_pdf(tmp_path, [balance_table(), note("12,345,000.00元")])
    assert not [f for f in in_yuan if f.severity != "info"]


def spending_table() -> list:
    return [
        [(200, "一般公共预算财政拨款支出决算表")],
        [(440, "单位：万元")],
        [(NAME, "科目名称"), (TOTAL - 40, "合计"), (BASIC - 45, "基本支出"), (PROJECT - 45, "项目支出")],
        [(CODE, "科目编码")],
        _row("201", "一般公共服务支出", "300.00", "260.00", "40.00"),
        _row("20101", "人大事务", "120.00", "120.00"),
        _row("2010101", "行政运行", "120.00", "120.00"),
        _row("20106", "财政事务", "180.00", "140.00", "40.00"),
        _row("2010601", "行政运行", "140.00", "140.00"),
        _row("2010602", "一般行政管理事务", "40.00", project="40.00"),
        _row("221", "住房保障支出", "86.40", "86.40"),
        _row("22102", "住房改革支出", "86.40", "86.40"),
        _row("2210201", "住房公积金", "52.80", "52.80"),
        _row("2210203", "购房补贴", "33.60", "33.60"),
    ]


def basic_table() -> list:
    """The 基本支出 table by 经济分类: its 住房公积金 row (30113) shares the 项's name."""
    return [
        [(200, "一般公共预算财政拨款基本支出决算表")],
        [(440, "单位：万元")],
        [(NAME, "经济分类科目名称"), (TOTAL - 40, "决算数")],
        [(CODE, "科目编码")],
        _row("301", "工资福利支出", "300.00"),
        _row("30101", "基本工资", "247.20"),
        _row("30113", "住房公积金", "52.80"),
    ]


def fn_note(housing: str, admin: str = "140.00") -> list:
    return ["第三部分 示例中心2024年度部门决算情况说明", "五、一般公共预算财政拨款支出决算情况说明",
            "1、一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为140.00万元，"
            f"支出决算为{admin}万元。",
            # the 款 misnamed in prose (it is 住房改革支出 in the table), the 类 and 项 plain
            "2、住房保障支出（类）住房保障支出（款）住房公积金（项）。年初预算为52.80万元，"
            f"支出决算为{housing}万元。"]


def test_an_item_whose_name_an_economic_class_shares_meets_its_row_under_the_class_named(tmp_path):
    ext, findings = audit_pdf(tmp_path, [spending_table(), basic_table(), fn_note("52.80")])
    housing = [f for f in ext.figures if f.context == "narrative" and f.quantity.text == "52.80万元" and f.measure == "决算"]
    assert [f.subject.item for f in housing] == ["fn:2210201"]
    assert not [f for f in findings if f.severity != "info"], [(f.check, f.message) for f in findings]
    _ext, wrong = audit_pdf(tmp_path, [spending_table(), basic_table(), fn_note("58.20")])
    assert [f.check for f in wrong if f.severity == "error"] == ["xref.narrative_table"]
    # the budget of the item is printed by no 决算 table: 年初预算 52.80 against 决算 58.20 is no pair
    assert "52.80" not in {str(f.stated) for f in wrong if f.check == "xref.narrative_table"}


def test_a_sub_item_under_two_headings_of_one_class_is_not_guessed(tmp_path):
    # 行政运行 stands under two 款 of 一般公共服务支出: with the 款 misnamed, which one the prose
    # means is not known, so a different amount is no finding
    text = fn_note("52.80", admin="150.00")
    text[2] = text[2].replace("财政事务（款）", "税收事务（款）")
    ext, findings = audit_pdf(tmp_path, [spending_table(), basic_table(), text])
    admin = [f for f in ext.figures if f.context == "narrative" and f.quantity.text == "150.00万元"]
    assert admin and not admin[0].subject.item[3:].isdigit()
    assert not [f for f in findings if f.severity != "info"], [(f.check, f.message) for f in findings]
    # named by its right 款 it meets its row, and 150.00 against 140.00 is reported
    _ext, plain = audit_pdf(tmp_path, [spending_table(), basic_table(), fn_note("52.80", admin="150.00")])
    assert [f.check for f in plain if f.severity == "error"] == ["xref.narrative_table"]


def _pipe_table(title: str, column: str, rows: list[tuple[str, str]]) -> str:
    """A table as a crawler leaves it: one cell a line, each closed by "|"."""
    cells = ["项目 |", f"{column} |"] + [f"{c} |" for pair in rows for c in pair]
    return "\n".join([title, "单位:万元", *cells]) + "\n"


SANGONG_ROWS = [("合计", "586"), ("1.因公出国(境)费用", "12"), ("2.公务接待费", "104"), ("3.公务用车购置及运行维护费", "470"),
                ("其中:公务用车运行维护费", "318"), ("公务用车购置", "152")]


def sangong_note(reception: str = "104", cars: str = "470", running: str = "318", buying: str = "152") -> str:
    return ("经汇总，2023年一般公共预算“三公”经费支出预算为586万元，与上年基本持平，其中：因公出国(境)费用12万元，"
            f"公务接待费{reception}万元，公务用车购置及运行维护费{cars}万元(包括：公务用车运行维护费{running}万元、"
            f"公务用车购置{buying}万元)。\n")


def test_the_parts_of_a_budget_total_are_budget_amounts():
    text = sangong_note() + _pipe_table("2023年“三公”经费预算支出表", "预算数", SANGONG_ROWS)
    ext = extraction_of(text)
    parts = {f.subject.item: f.measure for f in ext.figures if f.context == "narrative" and f.subject is not None}
    assert parts["公务接待费"] == parts["公务用车购置费"] == "预算"
    assert not errors(text)
    # each part now meets its table cell: a part stated otherwise is reported (the prose's own
    # parts still add up, 12 + 114 + 460 = 586)
    wrong = sangong_note(reception="114", cars="460", buying="142") + _pipe_table("2023年“三公”经费预算支出表", "预算数", SANGONG_ROWS)
    assert errors(wrong) == ["xref.narrative_table"] * 3


def test_the_parts_of_a_budget_total_in_a_final_accounts_note_are_not_spending():
    # a 决算 note: "年初预算为30万元，其中：…" lists the budget, and the table prints what was
    # spent; the budget's parts are no statement of the spending
    text = ("示例中心2024年度部门决算\n七、财政拨款“三公”经费支出决算情况说明\n"
            "2024年度“三公”经费财政拨款支出年初预算为30.00万元，其中：公务接待费10.00万元，公务用车购置及运行维护费20.00万元。"
            "支出决算为26.00万元，完成年初预算的86.67%。\n"
            + _pipe_table("财政拨款“三公”经费支出决算表", "决算数", [("合计", "26.00"), ("1.因公出国(境)费", "0.00"), ("2.公务接待费", "8.00"),
                                                          ("3.公务用车购置及运行维护费", "18.00")]))
    ext = extraction_of(text)
    assert {f.measure for f in ext.figures if f.context == "narrative" and f.subject is not None and f.subject.item == "公务接待费"} == {"年初预算"}
    assert errors(text) == []
    # the spending stated with a value the table does not print is still reported
    assert errors(text.replace("完成年初预算的86.67%。", "完成年初预算的86.67%。公务接待费支出决算为9.00万元。")) == ["xref.narrative_table"]


def _separated_table(title: str, column: str, rows: list[tuple[str, str]]) -> str:
    """A table as another crawler leaves it: each cell on a line, a lone "|" line after each (a
    blank cell is a "|" with nothing before it)."""
    cells = ["项 目", column] + [c for pair in rows for c in pair]
    return "\n".join([title, "单位:万元", *(f"{c}\n|" if c else "|" for c in cells)]) + "\n"


def separated_note(reception_cell: str = "2.40") -> str:
    table = _separated_table("一、2022年一般公共预算“三公”经费支出预算表", "预 算 数",
                             [("合 计", "2.40"), ("因公出国(境)费", ""), ("公务接待费", reception_cell), ("公务用车购置及运行费", "")])
    return table + ("二、2022年“三公”经费支出预算情况说明\n示例站2022年一般公共预算“三公”经费支出预算为2.40万元，比2021年预算减少0.20万元。"
                    "其中：因公出国(境)费支出预算为0万元，公务接待费支出预算为2.40万元，公务用车购置及运行费支出预算为0万元。\n")


def test_a_table_whose_cells_are_closed_by_pipes_on_lines_of_their_own():
    ext = extraction_of(separated_note())
    cells = {f.cell.row: f.quantity.text for f in ext.figures if f.cell is not None}
    assert cells == {"合 计": "2.40", "公务接待费": "2.40"}  # the blank cells stay blank
    assert errors(separated_note()) == []
    # the prose 公务接待费 now meets its own cell, not the 合计's
    assert errors(separated_note(reception_cell="2.10")) == ["xref.narrative_table"]


def sangong_budget_table(total: str = "1.20", reception: str = "1.20") -> list:
    """A 三公 and 机关运行经费 budget table whose blank columns (出国, 公务用车) print no figure: its
    sub-headings 小计 | 购置费 | 运行费 are then as many as the columns with figures."""
    return [
        [(170, "2025年部门“三公”经费和机关运行经费预算表")],
        [(500, "单位:万元")],
        [(198, "“三公”经费预算数")],
        [(315, "公务用车购置及运行费"), (487, "机关运行经费预算")],
        [(30, "合计"), (86, "因公出国(境)费"), (178, "公务接待费"), (521, "数")],
        [(273, "小计"), (349, "购置费"), (430, "运行费")],
        [(74, total, "r"), (235, reception, "r"), (565, "150.30", "r")],
    ]


SANGONG_BUDGET_NOTE = ["其他相关情况说明", "一、2025年“三公”经费预算情况说明",
                       "2025年“三公”经费预算数为1.20万元，与2024年预算持平。其中：（一）因公出国（境）费0万元。"
                       "（二）公务用车购置及运行费0万元。（三）公务接待费1.20万元。",
                       "二、机关运行经费预算", "2025年示例中心财政拨款的机关运行经费预算为150.30万元。"]


def test_sub_headings_over_blank_columns_name_no_column_with_figures(tmp_path):
    pages = [sangong_budget_table(), SANGONG_BUDGET_NOTE]
    path = make_fiscal_pdf(tmp_path / "budget.pdf", [["示例中心2025年部门预算"], *pages])
    doc = read_document(path)
    ext = extract(doc)
    (t,) = [t for t in ext.tables if "三公" in t.title]
    items = {f.subject.item: f.quantity.text for f in ext.figures if f.cell is not None and f.cell.table == t.title}
    assert items == {"三公经费": "1.20", "公务接待费": "1.20", "机关运行经费": "150.30"}
    findings, _problems = run_checks(doc, ext)
    assert not [f for f in findings if f.severity != "info"], [(f.check, f.message) for f in findings]
    # the prose 公务接待费 meets its own cell: another value there is reported
    path = make_fiscal_pdf(tmp_path / "budget2.pdf", [["示例中心2025年部门预算"], sangong_budget_table(reception="1.10"), SANGONG_BUDGET_NOTE])
    doc = read_document(path)
    findings, _problems = run_checks(doc, extract(doc))
    assert [f.check for f in findings if f.severity == "error"] == ["xref.narrative_table"]
