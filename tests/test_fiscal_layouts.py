"""Layouts of the standard 预决算 tables that shift or blur their columns: a tab-separated row
that lost its leading empty cell, a merged group heading exported into its first cell only, a
sheet whose first row is the title, PDF headers whose blank column has no figures to stand
over, and a 功能分类 path written without （类）（款）（项）."""
from __future__ import annotations

from decimal import Decimal

from make_fixtures import make_fiscal_pdf, make_text

from extractor.checks import run_checks
from extractor.extract import extract
from extractor.ingest import read_document
from extractor.subjects import named_subject, read_lead


def audit(path):
    doc = read_document(path)
    ext = extract(doc)
    findings, problems = run_checks(doc, ext)
    assert problems == [] and ext.problems == []
    return ext, [f for f in findings if f.severity != "info"]


def table_of(ext, kind):
    (table,) = [t for t in ext.tables if t.kind == kind]
    return table


def by_label(table):
    return {r.label: {table.columns[k].name: q.value for k, q in r.cells.items()} for r in table.rows}


# ---- tab-separated exports -------------------------------------------------------------------

TOTAL_TABLE = [
    "收入支出决算总表",
    "编制单位：示例局\t单位：万元",
    "收入\t\t\t支出\t\t",
    "项目\t行次\t决算数\t项目\t行次\t决算数",
    "一、一般公共预算财政拨款收入\t1\t1,276.10\t一、一般公共服务支出\t4\t382.19",
    "二、政府性基金预算财政拨款收入\t2\t\t二、教育支出\t5\t13.18",
    # an export dropped the leading empty cell of these rows: 行次 6 stands where 行次 4 did
    "6\t\t三、城乡社区支出\t6\t880.73",
    "7\t\t四、农林水支出\t7\t",
    "本年收入合计\t3\t1,276.10\t本年支出合计\t8\t1,276.10",
    "\t\t\t\t9\t",
    "总计\t10\t1,276.10\t总计\t11\t1,276.10",
]


def test_a_tab_row_that_lost_its_leading_cell_keeps_its_columns(tmp_path):
    ext, findings = audit(make_text(tmp_path / "total.txt", "示例局2024年度部门决算\n\n" + "\n".join(TOTAL_TABLE) + "\n"))
    table = table_of(ext, "收支总表")
    assert [c.name for c in table.columns] == ["决算数", "决算数"]  # both 行次 columns known as such
    rows = {r.label: (r.side, {k: q.value for k, q in r.cells.items()}) for r in table.rows}
    assert rows["三、城乡社区支出"] == (1, {1: Decimal("880.73")})
    assert rows["四、农林水支出"] == (1, {})
    assert not [f for f in findings if f.check in ("table.balance", "table.cross")], [f.message for f in findings]


def sangong_tab_table(group_line: str) -> str:
    return "\n".join([
        "示例局2024年度部门决算",
        "",
        "2024年度财政拨款“三公”经费支出决算表",
        "编制单位：示例局\t单位：万元",
        group_line,
        "合计\t因公出国（境）费\t公务用车购置及运行费\t公务接待费\t合计\t因公出国（境）费\t公务用车购置及运行费\t公务接待费",
        "1\t2\t3\t4\t5\t6\t7\t8",
        # 预算 10.00 = 2.00 + 5.00 + 3.00; 决算 8.00 = 1.00 + 4.00 + 3.00
        "10.00\t2.00\t5.00\t3.00\t8.00\t1.00\t4.00\t3.00",
        "",
    ])


def test_a_merged_group_heading_in_a_tab_export_names_the_cells_it_spans(tmp_path):
    ext, findings = audit(make_text(tmp_path / "sangong.txt", sangong_tab_table("预算数\t\t\t\t决算数\t\t\t")))
    names = [c.name for c in table_of(ext, "三公表").columns]
    assert names == ["预算数合计", "预算数因公出国（境）费", "预算数公务用车购置及运行费", "预算数公务接待费",
                     "决算数合计", "决算数因公出国（境）费", "决算数公务用车购置及运行费", "决算数公务接待费"]
    assert not [f for f in findings if f.check == "table.sangong"], [f.message for f in findings]


def test_two_columns_read_as_the_same_item_are_not_added_up(tmp_path):
    # headings with their year are not read as group headings: the 预算 and 决算 items keep
    # the same names, and which 因公出国 goes with which 合计 is unknown
    ext, findings = audit(make_text(tmp_path / "sangong.txt", sangong_tab_table("2024年预算数\t\t\t\t2024年决算数\t\t\t")))
    names = [c.name for c in table_of(ext, "三公表").columns]
    assert names.count("因公出国（境）费") == 2
    assert not [f for f in findings if f.check == "table.sangong"], [f.message for f in findings]


def test_a_sangong_table_with_one_cell_per_line_names_no_item_from_its_run_together_headers(tmp_path):
    # each cell on a line of its own: the reader takes all the headings as one column's name,
    # which ends like the last column (运行费) but names every head; no cell may be that item's
    lines = ["示例局2024年度部门预算", "", "一般公共预算“三公”经费支出预算表", "单位：万元", "\t预算数", "",
             "\t合计", "\t因公出国（境）费", "\t公务用车购置及运行费", "\t公务接待费", "",
             "\t小计", "\t公务用车购置费", "\t公务用车运行费", "",
             "\t12.40", "\t-", "\t9.60", "\t7.10", "\t2.50", "\t2.80", "",
             "七、“三公”经费预算情况", "公务用车购置及运行费9.60万元（其中：公务用车购置费7.10万元，公务用车运行维护费2.50万元）。", ""]
    ext, findings = audit(make_text(tmp_path / "cells.txt", "\n".join(lines)))
    cells = [f for f in ext.figures if f.cell is not None and f.cell.table.endswith("“三公”经费支出预算表")]
    assert table_of(ext, "三公表").rows and cells == []
    assert not [f for f in findings if f.check.startswith("xref.")], [f.message for f in findings]


# ---- grids ----------------------------------------------------------------------------------------


def test_a_sheet_title_merged_over_the_first_row_names_no_column(tmp_path):
    rows = [
        '<tr><td colspan="4">2024年度一般公共预算财政拨款“三公”经费支出决算表</td></tr>',
        '<tr><td colspan="2">预算数</td><td colspan="2">决算数</td></tr>',
        "<tr><td>合计</td><td>公务接待费</td><td>合计</td><td>公务接待费</td></tr>",
        "<tr><td>3.00</td><td>3.00</td><td>2.50</td><td>2.50</td></tr>",
    ]
    html = ("<html><body><p>示例局2024年度部门决算</p><p>一般公共预算财政拨款“三公”经费支出决算表</p><table>"
            + "".join(rows) + "</table></body></html>")
    path = tmp_path / "sheet.html"
    path.write_text(html, encoding="utf-8")
    ext, _findings = audit(path)
    table = table_of(ext, "三公表")
    assert [c.name for c in table.columns] == ["预算数合计", "预算数公务接待费", "决算数合计", "决算数公务接待费"]
    measures = {f.cell.column: f.measure for f in ext.figures if f.cell is not None and f.cell.table == table.title}
    assert measures["预算数公务接待费"] == "预算" and measures["决算数公务接待费"] == "决算"


def fund_table_html(rows: list[str], note: str) -> str:
    head = "<tr><td>科目编码</td><td>科目名称</td><td>本年收入</td><td>本年支出</td></tr>"
    return ("<html><body><p>示例局2024年度部门决算</p><p>政府性基金预算财政拨款收入支出决算表</p><p>单位：万元</p><table>"
            + head + "".join(rows) + f"</table><p>{note}</p><p>国有资本经营预算财政拨款支出决算表</p></body></html>")


def test_a_note_under_a_grid_belongs_to_its_table(tmp_path):
    # html/docx/xlsx grids end before the note printed under them ("注：本表无数据。")
    path = tmp_path / "fund.html"
    filled = ["<tr><td>合计</td><td></td><td>86.50</td><td>86.50</td></tr>",
              "<tr><td>212</td><td>城乡社区支出</td><td>86.50</td><td>86.50</td></tr>"]
    path.write_text(fund_table_html(filled, "注：本表无数据。"), encoding="utf-8")
    ext, findings = audit(path)
    assert [note for note, _span in table_of(ext, "政府性基金表").notes] == ["注：本表无数据。"]
    assert [f.check for f in findings if f.check == "text.empty_table"] == ["text.empty_table"]
    path.write_text(fund_table_html(["<tr><td>合计</td><td></td><td></td><td></td></tr>"], "注：本表无数据。"), encoding="utf-8")
    _ext, findings = audit(path)
    assert [f for f in findings if f.check == "text.empty_table"] == []


# ---- PDF headers over blank columns ------------------------------------------------------------


def centred(cx: float, text: str) -> tuple:
    return (cx - 5 * len(text), text)  # 10-point CJK glyphs


def wrapped_total_table(figures) -> list:
    """财政拨款收支总表, 支出 side: 合计 | 一般公共预算财政拨款 | 政府性基金预算财政拨款 | 国有资本经营…,
    the headings wrapped over a different number of lines, each centred on its cell."""
    c1, c2, c3, c4 = 260, 320, 380, 440
    return [
        [(200, "财政拨款收入支出决算总表")],
        [(400, "单位：万元")],
        [(100, "收入"), (300, "支出")],
        [centred(c3, "政府性基"), centred(c4, "国有资本")],
        [centred(c2, "一般公共")],
        [(40, "项目"), (160, "决算数"), (200, "项目"), centred(c1, "合计"), centred(c3, "金预算财"), centred(c4, "经营预算")],
        [centred(c2, "预算财政")],
        [centred(c2, "拨款"), centred(c3, "政拨款"), centred(c4, "财政拨款")],
        [(40, "一、一般公共预算财政拨款"), (190, "100.00", "r"), (200, "一、教育支出"), *figures(c1, c2, c3, c4)],
        [(40, "二、政府性基金预算财政拨款"), (200, "二、农林水支出")],
        [(40, "本年收入合计"), (190, "100.00", "r"), (200, "本年支出合计"), *figures(c1, c2, c3, c4)],
        [(40, "总计"), (190, "100.00", "r"), (200, "总计"), *figures(c1, c2, c3, c4)],
    ]


NO_FUND = ["示例局2024年度部门决算", "本年度无政府性基金预算财政拨款安排的支出，故政府性基金预算财政拨款收入支出决算表为空表。"]


def test_a_wrapped_heading_over_a_blank_column_does_not_name_its_neighbour(tmp_path):
    # the 政府性基金 and 国有资本 columns are blank, and the figures reach nearly to the next
    # heading's middle (as pypdf measures them)
    table = wrapped_total_table(lambda c1, c2, c3, c4: [(c1 + 33, "100.00", "r"), (c2 + 33, "100.00", "r")])
    ext, findings = audit(make_fiscal_pdf(tmp_path / "total.pdf", [NO_FUND, table]))
    names = [c.name for c in table_of(ext, "财政拨款收支总表").columns]
    assert names[-2:] == ["合计", "一般公共预算财政拨款"], names
    assert not [f for f in findings if f.check == "text.nil_claim"], [f.message for f in findings]


def test_a_wide_figure_does_not_make_the_column_step_look_short(tmp_path):
    # wide figures overhang their cells, so two neighbouring right edges stand closer than a
    # column's width; the headings are still one to a column
    wide = lambda c1, c2, c3, c4: [(c1 + 33, "1,946,142.67", "r"), (c2 + 33, "1,946,142.67", "r"),  # noqa: E731
                                   (c3 + 45, "0.00", "r"), (c4 + 10, "0.00", "r")]
    ext, findings = audit(make_fiscal_pdf(tmp_path / "total.pdf", [NO_FUND, wrapped_total_table(wide)]))
    names = [c.name for c in table_of(ext, "财政拨款收支总表").columns]
    assert names[2] == "一般公共预算财政拨款", names
    assert not [f for f in findings if f.check == "text.nil_claim"], [f.message for f in findings]


def test_a_heading_right_of_the_figures_heads_the_blank_column_beside_them(tmp_path):
    # 三公 预算: 合计 | 出国经费 (blank) | 接待费; the 合计 figure reaches under the next heading
    table = [
        [(150, "一般公共预算“三公”经费支出预算表")],
        [(440, "单位：万元")],
        [centred(100, "合计"), centred(180, "出国经费"), centred(380, "接待费")],
        [(155, "5.00", "r"), (400, "5.00", "r")],
    ]
    ext, _findings = audit(make_fiscal_pdf(tmp_path / "sangong.pdf", [["示例局2024年度部门预算"], table]))
    names = [c.name for c in table_of(ext, "三公表").columns]
    assert names == ["合计", "接待费"], names


def test_a_heading_between_two_columns_names_the_one_it_stands_left_of(tmp_path):
    # 合计 | 基本支出 | 项目支出 in 元: the wide totals overhang their cells to the left, so 基本支出
    # is as near the 合计 figures as its own 0.00
    c1, c2, c3 = 320, 390, 460
    line = lambda code, name: [(0, code), (60, name), (c1 + 25, "4,344,871.65", "r"), (c2 + 40, "0.00", "r"),  # noqa: E731
                               (c3 + 25, "4,344,871.65", "r")]
    table = [
        [(160, "政府性基金预算支出预算表")],
        [(440, "金额单位：元")],
        [(20, "科目编码"), centred(c2, "本年政府性基金预算支出")],
        [(60, "科目名称")],
        [centred(c1, "合计"), centred(c2, "基本支出"), centred(c3, "项目支出")],
        line("212", "城乡社区支出"),
        line("21208", "国有土地使用权出让收入安排的支出"),
    ]
    ext, _findings = audit(make_fiscal_pdf(tmp_path / "fund.pdf", [["示例局2024年度部门预算"], table], left=20))
    names = [c.name for c in table_of(ext, "政府性基金表").columns]
    assert [n.removeprefix("本年政府性基金预算支出") for n in names] == ["合计", "基本支出", "项目支出"], names


# ---- narrative ----------------------------------------------------------------------------------


def test_a_path_after_a_class_name_that_ends_in_a_class_name_is_the_item():
    # 小学教育支出 ends in 教育支出, but the figure is about the 项 under 教育支出 / 普通教育
    subject = named_subject("2、教育支出普通教育小学教育支出决算为")
    assert subject is not None and subject.item == "fn:教育支出/普通教育小学教育支出"
    assert named_subject("一般公共服务支出和教育支出").item == "fn:教育支出"  # two classes, not a path


SANGONG_CHANGE = ("2024年“三公”经费支出149,778.95元，其中：因公出国（境）费0.00元，公务用车购置及运行维护费95,749.20元，"
                  "公务接待费54,029.75元。较上年的219,550.66元减少{amount}元。")


def test_a_change_in_a_sentence_after_a_list_is_of_the_lists_total(tmp_path):
    # the change compares the 三公 total (219,550.66 → 149,778.95), not its last part
    text = "示例局2024年度部门决算\n\n七、“三公”经费支出决算情况说明\n\n" + SANGONG_CHANGE + "\n"
    _ext, findings = audit(make_text(tmp_path / "right.txt", text.format(amount="69,771.71")))
    assert not [f for f in findings if f.check.startswith("rate.")], [f.message for f in findings]
    _ext, findings = audit(make_text(tmp_path / "wrong.txt", text.format(amount="55,771.34")))
    (f,) = [f for f in findings if f.check == "rate.change"]
    assert (f.stated, f.computed) == (Decimal("55771.34"), Decimal("69771.71"))


def test_a_figure_carried_to_the_next_line_stays_in_its_paragraph(tmp_path):
    # ragged lines: "11.17%" did not fit and moved whole to the next line, which starts at the margin
    long = "主要用于上级部门检查指导、兄弟单位交流学习等公务接待，全年国内公务接待三十五批次。"
    page = ["示例局2024年度部门决算", "七、“三公”经费支出决算情况说明",
            "    2024年“三公”经费支出40.62万元，比上年减少1.00万元，" + long,
            long + long[:8] + "，",
            "    3.公务接待费：支出决算为4.54万元，年初预算4.77万元，完成年初预算的95.09%，占“三公”经费的",
            "11.17%。与上年相比，减少1.03万元，下降18.49%，" + long,
            long]
    ext, findings = audit(make_fiscal_pdf(tmp_path / "wrapped.pdf", [page]))
    (share,) = [f for f in ext.figures if f.quantity.text == "11.17%"]
    assert share.role == "share" and share.subject.item == "公务接待费"
    assert not [f for f in findings if f.check.startswith("rate.")], [f.message for f in findings]


def test_a_total_with_blank_carry_over_rows_is_this_years_total(tmp_path):
    # 预算 tables print 上年结转 / 结转下年 with no figure: 总计 is then 本年收入合计 alone
    rows = [
        "收支预算总表",
        "编制单位：示例局\t单位：万元",
        "收入\t\t支出\t",
        "项目\t预算数\t项目\t预算数",
        "一、一般公共预算拨款收入\t739.40\t一、农林水支出\t739.40",
        "本年收入合计\t739.40\t本年支出合计\t739.40",
        "上年结转\t\t结转下年\t",
        "收入总计\t750.96\t支出总计\t739.40",
    ]
    _ext, findings = audit(make_text(tmp_path / "budget.txt", "示例局2024年度部门预算\n\n" + "\n".join(rows) + "\n"))
    balance = [f for f in findings if f.check == "table.balance"]
    assert len(balance) == 2 and all((f.stated, f.computed) == (Decimal("750.96"), Decimal("739.4")) for f in balance), [
        f.message for f in balance]


def test_a_list_after_a_comparison_sentence_breaks_down_the_amount_before_it(tmp_path):
    text = ("示例局2025年度部门预算\n\n七、“三公”经费预算情况\n\n2025年“三公”经费预算8.91万元。与上年预算相比，减少4.62万元，"
            "下降34.15%。其中：因公出国（境）费0.00万元；公务用车购置及运行费7.63万元；公务接待费1.88万元。\n")
    _ext, findings = audit(make_text(tmp_path / "budget.txt", text))
    (f,) = [f for f in findings if f.check == "sum.sangong"]
    assert (f.stated, f.computed) == (Decimal("8.91"), Decimal("9.51"))


def test_a_completion_rate_with_its_budget_in_the_next_sentence(tmp_path):
    text = ("示例局2024年度部门决算\n\n一般公共预算财政拨款支出决算具体情况\n\n1、卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）"
            "支出决算为482,174.17元，为年初预算的{rate}%。年初预算为478,862.76元，决算数与年初预算数基本持平。\n")
    _ext, findings = audit(make_text(tmp_path / "wrong.txt", text.format(rate="89.37")))
    (f,) = [f for f in findings if f.check == "rate.completion"]
    assert (f.stated, f.computed) == (Decimal("89.37"), Decimal("100.69"))
    _ext, findings = audit(make_text(tmp_path / "right.txt", text.format(rate="100.69")))
    assert not [f for f in findings if f.check == "rate.completion"]


def test_a_clause_of_wancheng_alone_after_budget_and_actual_is_their_rate(tmp_path):
    text = ("示例局2024年度部门决算\n\n一般公共预算财政拨款支出决算具体情况\n\n（3）行政运行（2010101）：年初预算4,624,198.31元，"
            "支出决算4,436,135.20元，完成89.98%，决算数小于年初预算数的主要原因是人员变动。\n")
    _ext, findings = audit(make_text(tmp_path / "rate.txt", text))
    (f,) = [f for f in findings if f.check == "rate.completion"]
    assert (f.stated, f.computed) == (Decimal("89.98"), Decimal("95.93"))
    assert read_lead("项目进度完成").role == "level"  # progress of work, not a rate of the budget
