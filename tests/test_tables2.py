"""Table readers on crawled and generated layouts: a 三公 table laid out by columns whose
sub-heading row lost the blank cells of a rowspan, a printed dash told from a blank cell, and
the 合计 row of the 机关运行经费 / 政府采购 / 项目支出 tables read as the table's whole."""
from __future__ import annotations

from decimal import Decimal

import pytest
from make_fixtures import make_text
from test_sangong_total import audit

from extractor.fiscal_tables import _under_parents


def report(title: str, lines: list[str], unit: str = "万元") -> str:
    return "\n".join(["示例服务中心2024年度部门决算", "", title, f"单位：{unit}", *lines, "",
                      "九、政府性基金预算财政拨款支出情况", "本单位无政府性基金预算财政拨款支出。", ""])


def of_check(findings, check):
    return [f for f in findings if f.check == check and f.severity != "info"]


def cells(ext, table_word: str) -> dict:
    return {(f.measure, f.subject.item): f.quantity.value for f in ext.figures
            if f.cell is not None and table_word in f.cell.table}


# ---- 1. a 三公 table by columns, its sub-heading row short of cells ------------------------------

PARENTS = "合计\t因公出国（境）费\t公务用车购置及运行费\t\t\t公务接待费"
SUBS_SHORT = "\t小计\t公务用车购置费\t公务用车运行费\t"  # one leading blank lost: five cells for six
SUBS_FULL = "\t\t小计\t公务用车购置费\t公务用车运行费\t"


def sangong_by_columns(subs: str, values: str) -> str:
    return report("2024年度财政拨款“三公”经费支出决算表", [PARENTS, subs, values])


def test_a_short_sub_heading_row_is_placed_under_its_parent(tmp_path):
    # 2.10 + 7.40 + 3.25 = 12.75; 7.40 = 4.00 + 3.40
    ext, findings = audit(make_text(tmp_path / "short.txt", sangong_by_columns(SUBS_SHORT, "12.75\t2.10\t7.40\t4.00\t3.40\t3.25")))
    read = cells(ext, "三公")
    assert read == {("决算", "三公经费"): Decimal("12.75"), ("决算", "因公出国（境）费"): Decimal("2.10"),
                    ("决算", "公务用车购置及运行费"): Decimal("7.40"), ("决算", "公务用车购置费"): Decimal("4.00"),
                    ("决算", "公务用车运行维护费"): Decimal("3.40"), ("决算", "公务接待费"): Decimal("3.25")}
    assert of_check(findings, "table.sangong") == [], [f.message for f in findings]


def test_a_short_sub_heading_row_reads_as_the_full_one(tmp_path):
    values = "12.75\t2.10\t7.40\t4.00\t3.40\t3.25"
    short, _ = audit(make_text(tmp_path / "short.txt", sangong_by_columns(SUBS_SHORT, values)))
    full, _ = audit(make_text(tmp_path / "full.txt", sangong_by_columns(SUBS_FULL, values)))
    assert cells(short, "三公") == cells(full, "三公")


def test_once_placed_a_total_that_does_not_add_up_is_found(tmp_path):
    # 2.10 + 7.40 + 3.25 = 12.75, not 13.75; the 公务用车 subtotal adds up (4.00 + 3.40)
    _ext, findings = audit(make_text(tmp_path / "bad.txt", sangong_by_columns(SUBS_SHORT, "13.75\t2.10\t7.40\t4.00\t3.40\t3.25")))
    (f,) = of_check(findings, "table.sangong")
    assert f.stated == Decimal("13.75") and f.computed == Decimal("12.75"), f.message


def test_two_measures_and_a_heading_spanning_the_header_rows(tmp_path):
    # 预算数 over six columns, 决算数 over six, 机关运行经费 its own column down the three header rows;
    # each sub-heading row lost its first blank cell; the 决算 因公出国 cell is blank
    lines = ["预算数\t\t\t\t\t\t决算数\t\t\t\t\t\t机关运行经费",
             PARENTS + "\t" + PARENTS + "\t",
             "\t小计\t公务用车购置费\t公务用车运行费\t\t\t\t小计\t公务用车购置费\t公务用车运行费\t\t",
             "3,600.00\t500.00\t2,300.00\t1,800.00\t500.00\t800.00\t3,050.00\t\t2,250.00\t1,760.00\t490.00\t800.00\t41,200.00"]
    ext, findings = audit(make_text(tmp_path / "two.txt", report("2024年度财政拨款“三公”经费支出决算表", lines, unit="元")))
    read = cells(ext, "三公")
    assert read[("预算", "因公出国（境）费")] == Decimal("500.00")
    assert read[("预算", "公务用车购置及运行费")] == Decimal("2300.00")
    assert read[("决算", "三公经费")] == Decimal("3050.00") and read[("决算", "公务用车购置费")] == Decimal("1760.00")
    assert read[("决算", "公务接待费")] == Decimal("800.00")
    assert ("决算", "因公出国（境）费") not in read
    assert of_check(findings, "table.sangong") == [], [f.message for f in findings]


# the sub-heading row two cells short, one short, and whole
@pytest.mark.parametrize("subs", ["\t合计\t基本支出\t项目支出", "\t\t合计\t基本支出\t项目支出", "\t\t\t合计\t基本支出\t项目支出"])
def test_a_short_sub_heading_row_of_an_expense_table_is_placed_under_this_years_budget(tmp_path, subs):
    # 上年预算数 is one column, 本年预算数 spans 合计 | 基本支出 | 项目支出; this year's 合计 is 41.00 = 30.50 + 10.50
    lines = ["科目编码\t科目名称\t上年预算数\t本年预算数\t\t", subs,
             "\t合计\t38.00\t41.00\t30.50\t10.50", "205\t教育支出\t38.00\t41.00\t30.50\t10.50"]
    text = report("2024年度一般公共预算支出预算表", lines).replace("部门决算", "部门预算")
    ext, findings = audit(make_text(tmp_path / "exp.txt", text))
    (table,) = [t for t in ext.tables if t.kind == "一般公共预算支出表"]
    assert [c.name for c in table.columns] == ["上年预算数", "本年预算数合计", "基本支出", "项目支出"]
    assert of_check(findings, "table.columns_sum") == [], [f.message for f in findings]


def test_the_placement_of_sub_headings():
    parents = [0, 1, 2, 5]  # 合计 | 因公出国 | 公务用车 (three cells) | 公务接待
    assert _under_parents(parents, [2, 3, 4], 6)
    assert not _under_parents(parents, [1, 2, 3], 6)  # 小计 under 因公出国, a single cell
    assert not _under_parents(parents, [3, 4], 6)  # not from the parent's own cell
    assert not _under_parents(parents, [3, 4, 5, 6], 7)  # a sub-heading under 公务接待


def test_a_sub_heading_row_that_fits_no_placement_stays_as_it_is(tmp_path):
    # four sub-headings for a parent of three cells: no shift places them, the row is not moved
    # and the misplaced columns are not read as 三公 items they might not be
    subs = "小计\t公务用车购置费\t公务用车运行费\t其他"
    values = "12.75\t2.10\t7.40\t4.00\t3.40\t3.25"
    _ext, findings = audit(make_text(tmp_path / "nofit.txt", sangong_by_columns(subs, values)))
    assert of_check(findings, "table.sangong") == [], [f.message for f in findings]


# the same table crawled one cell per line ("cell |", a lone "|" for a blank cell)

def sangong_cell_lines(parents: list[str], values: list[str], total_word: str = "“三公”经费合计") -> str:
    lines = ["示例局2024年一般公共预算“三公”经费预算", "一、2024年一般公共预算“三公”经费支出预算表", "单位:万元",
             f"{total_word} |", *[f"{p} |" for p in parents], "||", "小计 |", "公务用车购置费 |", "公务用车运行费 |", "|||",
             *[f"{v} |" if v else "|" for v in values],
             "二、2024年一般公共预算“三公”经费支出预算情况说明", "本单位严格控制“三公”经费，各项支出均按标准执行。", ""]
    return "\n".join(lines)


PARENT_CELLS = ["因公出国(境)费", "公务用车购置及运行费", "公务接待费"]


def test_a_sangong_table_in_cell_lines_is_read_by_its_two_header_rows(tmp_path):
    # 合计 | 出国 | 小计 购置 运行 (in place of 公务用车购置及运行费) | 接待: 26.5 = 2 + 18 + 6.5, 18 = 12 + 6
    ext, findings = audit(make_text(tmp_path / "cl.txt", sangong_cell_lines(PARENT_CELLS, ["26.5", "2", "18", "12", "6", "6.5"])))
    read = {item: v for (_m, item), v in cells(ext, "三公").items()}
    assert read == {"三公经费": Decimal("26.5"), "因公出国（境）费": Decimal("2"), "公务用车购置及运行费": Decimal("18"),
                    "公务用车购置费": Decimal("12"), "公务用车运行维护费": Decimal("6"), "公务接待费": Decimal("6.5")}
    assert of_check(findings, "table.sangong") == [], [f.message for f in findings]


def test_a_cell_lines_sangong_total_that_does_not_add_up_is_found(tmp_path):
    # 接待 before 公务用车, 公务接待费 broken over two lines, 购置费 blank: 1.5 + 2.2 + 9.0 = 12.7, not 13.7
    parents = ["因公出国(境)费", "公务", "接待费", "公务用车购置及运行费"]
    _ext, findings = audit(make_text(tmp_path / "cl.txt", sangong_cell_lines(parents, ["13.7", "1.5", "2.2", "9.0", "", "9.0"])))
    (f,) = of_check(findings, "table.sangong")
    assert f.stated == Decimal("13.7") and f.computed == Decimal("12.7"), f.message


def test_a_cell_lines_sangong_table_a_figure_short_is_not_read(tmp_path):
    ext, findings = audit(make_text(tmp_path / "cl.txt", sangong_cell_lines(PARENT_CELLS, ["26.5", "2", "18", "12", "6"])))
    assert cells(ext, "三公") == {}
    assert of_check(findings, "table.sangong") == []


# ---- 2. a printed dash is zero, stated; a blank cell is unknown -----------------------------------

def sangong_rows(outgoing: str, total: str = "9.60") -> str:
    # by rows: 合计 | 因公出国 | 公务用车 (其中 购置 / 运行) | 公务接待
    return report("2024年度财政拨款“三公”经费支出决算表",
                  ["项目\t决算数", f"合计\t{total}", f"因公出国（境）费\t{outgoing}", "公务用车购置及运行费\t5.10",
                   "其中：公务用车购置费\t0.00", "公务用车运行维护费\t5.10", "公务接待费\t2.20"])


def test_a_dash_item_is_zero_so_a_total_over_the_parts_is_found(tmp_path):
    # 0 + 5.10 + 2.20 = 7.30, not 9.60: the dash says 因公出国 holds nothing
    _ext, findings = audit(make_text(tmp_path / "dash.txt", sangong_rows("—")))
    (f,) = of_check(findings, "table.sangong")
    assert f.stated == Decimal("9.60") and f.computed == Decimal("7.30"), f.message


def test_a_blank_item_may_hold_the_rest_of_the_total(tmp_path):
    _ext, findings = audit(make_text(tmp_path / "blank.txt", sangong_rows("")))
    assert of_check(findings, "table.sangong") == [], [f.message for f in findings]


def test_a_dash_item_that_balances_is_no_contradiction(tmp_path):
    _ext, findings = audit(make_text(tmp_path / "ok.txt", sangong_rows("-", total="7.30")))
    assert of_check(findings, "table.sangong") == [], [f.message for f in findings]


def test_a_dash_cell_is_read_as_a_stated_zero_and_states_no_figure(tmp_path):
    ext, _ = audit(make_text(tmp_path / "dash.txt", sangong_rows("／")))
    (table,) = [t for t in ext.tables if t.kind == "三公表"]
    row = next(r for r in table.rows if r.label.startswith("因公出国"))
    ((k, q),) = row.cells.items()
    assert q.value == 0 and q.text == "／"
    assert not [f for f in ext.figures if f.cell is not None and f.cell.row.startswith("因公出国")]


EXPENSE_HEAD = "科目编码\t科目名称\t合计\t基本支出\t项目支出"


def expense_table(rows: list[str]) -> str:
    return report("2024年度支出决算表", [EXPENSE_HEAD, *rows])


def test_a_dash_part_adds_nothing_and_a_dash_total_is_not_checked(tmp_path):
    rows = ["\t合计\t86.40\t60.20\t26.20",
            "201\t一般公共服务支出\t70.00\t60.20\t9.80",
            "208\t社会保障和就业支出\t16.40\t—\t16.40",
            "213\t农林水支出\t—\t—\t3.00"]
    _ext, findings = audit(make_text(tmp_path / "exp.txt", expense_table(rows)))
    msgs = [f.message for f in of_check(findings, "table.columns_sum")]
    assert msgs == [], msgs  # 16.40 = — + 16.40; 农林水's dash total states nothing to check


@pytest.mark.parametrize("cell, checked", [("—", True), ("", False)])
def test_the_total_row_is_checked_when_classes_print_dashes_not_when_blank(tmp_path, cell, checked):
    # 基本支出: 208 and 213 print dashes (zero, given), so the classes add to 60.20, not 62.20; with
    # those cells blank (lost by a crawler) 208 and 213 may hold the 2.00
    rows = ["\t合计\t88.40\t62.20\t26.20",
            "201\t一般公共服务支出\t70.00\t60.20\t9.80",
            f"208\t社会保障和就业支出\t14.40\t{cell}\t14.40",
            f"213\t农林水支出\t2.00\t{cell}\t2.00"]
    _ext, findings = audit(make_text(tmp_path / "exp.txt", expense_table(rows)))
    got = [(f.stated, f.computed) for f in of_check(findings, "table.rows_sum")]
    assert ((Decimal("62.20"), Decimal("60.20")) in got) == checked, got


# ---- 3. the 合计 row of the 机关运行经费 / 政府采购 / 项目支出 tables is the table's whole --------------

def whole_figures(ext, table_word: str) -> list:
    return sorted((f.subject.item, f.subject.scope, f.measure, f.quantity.value) for f in ext.figures
                  if f.cell is not None and table_word in f.cell.table and f.cell.row in ("合计", "小计"))


def running_costs(narrative: str) -> str:
    return "\n".join(["示例服务中心2024年度部门决算", "", narrative, "", "2024年度一般公共预算财政拨款机关运行经费支出决算表",
                      "单位：万元", "科目编码\t科目名称\t决算数", "\t合计\t41.30", "302\t商品和服务支出\t41.30",
                      "30201\t办公费\t12.80", "30211\t差旅费\t9.50", "30229\t福利费\t19.00", "",
                      "九、政府性基金预算财政拨款支出情况", "本单位无政府性基金预算财政拨款支出。", ""])


def test_the_total_row_of_a_running_cost_table_is_the_running_cost(tmp_path):
    ext, findings = audit(make_text(tmp_path / "ok.txt", running_costs("2024年度本单位机关运行经费支出41.30万元，主要用于办公费、差旅费等。")))
    assert whole_figures(ext, "机关运行经费") == [("机关运行经费", "一般公共预算", "决算", Decimal("41.30"))]
    assert of_check(findings, "xref.narrative_table") == [], [f.message for f in findings]


def test_a_running_cost_the_text_gives_otherwise_is_found(tmp_path):
    _ext, findings = audit(make_text(tmp_path / "bad.txt", running_costs("2024年度本单位机关运行经费支出46.30万元，主要用于办公费、差旅费等。")))
    (f,) = of_check(findings, "xref.narrative_table")
    assert {f.stated, f.computed} == {Decimal("46.30"), Decimal("41.30")}, f.message


def procurement(lines: list[str], title: str = "2024年度政府采购支出决算表") -> str:
    return report(title, lines)


def test_a_procurement_total_row_gives_the_total_and_each_kind_by_its_column(tmp_path):
    lines = ["单位名称\t合计\t货物\t工程\t服务", "合计\t58.60\t20.10\t30.00\t8.50", "示例服务中心\t58.60\t20.10\t30.00\t8.50"]
    ext, _ = audit(make_text(tmp_path / "gp.txt", procurement(lines)))
    got = whole_figures(ext, "政府采购")
    assert ("政府采购", None, "决算", Decimal("58.60")) in got
    assert ("政府采购货物", None, "决算", Decimal("20.10")) in got and ("政府采购服务", None, "决算", Decimal("8.50")) in got
    assert not [g for g in got if g[0] == "政府采购" and g[3] != Decimal("58.60")]


def test_a_count_column_of_a_procurement_table_is_not_the_total(tmp_path):
    lines = ["采购项目\t采购品目\t数量\t预算金额", "合计\t\t14\t36.40", "办公电脑\t台式计算机\t10\t6.40", "印刷服务\t印刷服务\t4\t30.00"]
    text = procurement(lines, "2024年度政府采购预算表").replace("部门决算", "部门预算")
    ext, _ = audit(make_text(tmp_path / "gp.txt", text))
    assert whole_figures(ext, "政府采购") == [("政府采购", None, "预算", Decimal("36.40"))]


def test_a_subtotal_row_of_a_project_table_is_not_the_whole(tmp_path):
    lines = ["项目名称\t决算数", "合计\t95.00", "一、业务类项目", "小计\t60.00", "道路养护\t60.00", "二、其他项目", "小计\t35.00",
             "设备购置\t35.00"]
    ext, _ = audit(make_text(tmp_path / "pj.txt", report("2024年度一般公共预算财政拨款项目支出决算表", lines)))
    assert whole_figures(ext, "项目支出") == [("项目支出", "一般公共预算", "决算", Decimal("95.00"))]
