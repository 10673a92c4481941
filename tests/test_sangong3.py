"""三公 tables whose header stands on three levels: in a PDF, a line of 预算数 | 决算数 under each
item, the items centred over their pair of cells and 公务用车购置及运行费 over three pairs; in a
tab-cells export, 预算数 | 决算数 (and 机关运行经费) over the items over 小计 | 购置费 | 运行费. Each
column is named by the headings stacked over it, so the 预算 and 决算 halves are two measures,
a 合计 centred over its pair keeps its name, and a cell printed as a dash is a stated zero."""
from __future__ import annotations

from decimal import Decimal

from make_fixtures import make_fiscal_pdf, make_text
from test_fiscal_layouts import audit, centred

TITLE = "财政拨款“三公”经费支出决算表"
ITEMS = ["三公经费", "因公出国（境）费", "公务用车购置及运行费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]


def cells_read(ext) -> dict[tuple, Decimal]:
    """(item, measure) -> value of every 三公 table cell the audit reads."""
    return {(f.subject.item, f.measure): f.quantity.value for f in ext.figures
            if f.cell is not None and "三公" in f.cell.table and f.subject is not None}


def sangong_findings(findings):
    return [f for f in findings if f.check == "table.sangong"]


# ---- PDF: measures on the lowest header line -------------------------------------------------

PITCH, FIRST = 46, 50  # the twelve cells of the lowest line, centred 46 pt apart


def pair_middle(k: int) -> float:
    return FIRST + PITCH * (2 * k) + PITCH / 2


def pdf_table(budget: list[str], final: list[str]) -> list:
    """合计 | 因公出国（境）费 | 小计 | 购置费 | 运行费 | 公务接待费, each a 预算数/决算数 pair; a
    cell given as "" is left blank."""
    figures = []
    for k, (b, a) in enumerate(zip(budget, final)):
        for n, value in enumerate((b, a)):
            if value:
                figures.append((FIRST + PITCH * (2 * k + n) + 6, value, "r"))  # right-aligned in its cell
    return [
        [(150, TITLE)],
        [(470, "单位：万元")],
        [centred(FIRST + PITCH * 5.5, "财政拨款“三公”经费")],
        [centred(pair_middle(0), "合计"), centred(pair_middle(1), "因公出国（境）费"),
         centred(pair_middle(3), "公务用车购置及运行费"), centred(pair_middle(5), "公务接待费")],
        [centred(pair_middle(2), "小计"), centred(pair_middle(3), "购置费"), centred(pair_middle(4), "运行费")],
        [centred(FIRST + PITCH * k, "预算数" if k % 2 == 0 else "决算数") for k in range(12)],
        figures,
    ]


def pdf_audit(tmp_path, budget, final, prose=()):
    pages = [["示例中心2024年度部门决算"], pdf_table(budget, final)]
    if prose:
        pages.append(list(prose))
    return audit(make_fiscal_pdf(tmp_path / "sangong.pdf", pages))


# 预算 7.30 = 1.10 + 4.60 + 1.60, 4.60 = 2.50 + 2.10; 决算 6.40 = 0.70 + 4.20 + 1.50, 4.20 = 2.30 + 1.90
BUDGET = ["7.30", "1.10", "4.60", "2.50", "2.10", "1.60"]
FINAL = ["6.40", "0.70", "4.20", "2.30", "1.90", "1.50"]


def test_each_pdf_column_is_named_by_the_headings_over_its_cell(tmp_path):
    ext, findings = pdf_audit(tmp_path, BUDGET, FINAL)
    read = cells_read(ext)
    assert read == {**{(item, "预算"): Decimal(v) for item, v in zip(ITEMS, BUDGET)},
                    **{(item, "决算"): Decimal(v) for item, v in zip(ITEMS, FINAL)}}, read
    (table,) = [t for t in ext.tables if t.kind == "三公表"]
    assert table.columns[0].name == "财政拨款“三公”经费合计预算数"
    assert table.columns[7].name == "财政拨款“三公”经费公务用车购置及运行费购置费决算数"
    assert sangong_findings(findings) == [], [f.message for f in findings]


def test_a_pdf_final_total_that_is_not_its_items_sum_is_found_in_its_own_half(tmp_path):
    final = ["6.90"] + FINAL[1:]  # 0.70 + 4.20 + 1.50 = 6.40
    _ext, findings = pdf_audit(tmp_path, BUDGET, final)
    (f,) = sangong_findings(findings)
    assert (f.stated, f.computed, f.severity) == (Decimal("6.90"), Decimal("6.40"), "error"), f.message
    assert f.evidence[0].cell.column.endswith("合计决算数")


def test_a_pdf_column_left_blank_loses_no_name_and_may_hold_the_rest(tmp_path):
    # 因公出国 blank in both halves: 4.60 + 1.60 = 6.20 under 7.30, the blank cell may be 1.10
    budget = [BUDGET[0], ""] + BUDGET[2:]
    final = [FINAL[0], ""] + FINAL[2:]
    ext, findings = pdf_audit(tmp_path, budget, final)
    read = cells_read(ext)
    assert ("因公出国（境）费", "预算") not in read and read[("公务接待费", "决算")] == Decimal("1.50")
    assert read[("三公经费", "预算")] == Decimal("7.30") and read[("三公经费", "决算")] == Decimal("6.40")
    assert sangong_findings(findings) == [], [f.message for f in findings]


def test_the_prose_final_amount_pairs_with_the_final_half(tmp_path):
    prose = ["七、“三公”经费财政拨款支出决算情况说明",
             "2024年度“三公”经费财政拨款支出年初预算为7.30万元，支出决算为6.40万元，完成预算的87.67%。"]
    _ext, findings = pdf_audit(tmp_path, BUDGET, FINAL, prose)
    assert [f for f in findings if f.check.startswith(("xref.", "table.sangong"))] == [], [f.message for f in findings]


# ---- tab-cells: 预算数 | 决算数 | 机关运行经费 over the items over 小计 | 购置费 | 运行费 -------------


def tab_cells(title: str, rows: list[list[str]]) -> str:
    """One cell a line behind a tab, a blank line after each row."""
    lines = ["示例中心2024年度部门决算" if "决算" in title else "示例中心2025年度部门预算", "", title, "单位：万元"]
    for row in rows:
        lines += ["\t" + c for c in row] + [""]
    return "\n".join(lines + ["七、其他说明", "本单位无政府性基金预算支出。", ""])


HALF = ["合计", "因公出国（境）费", "公务用车购置及运行费", "公务接待费"]
SUBS = ["", "", "小计", "公务用车购置费", "公务用车运行费", ""]


def running_table(final_total: str) -> str:
    header = [["预算数", "决算数", "机关运行经费"], HALF + HALF + [""], SUBS + SUBS + [""]]
    # 预算 5.20 = 0.40 + 3.10 + 1.70; 决算 = 0.30 + 2.80 + 1.60 = 4.70; 机关运行经费 186.35
    data = ["5.20", "0.40", "3.10", "1.20", "1.90", "1.70", final_total, "0.30", "2.80", "1.00", "1.80", "1.60", "186.35"]
    return tab_cells("一般公共预算财政拨款“三公”经费支出决算表", header + [data])


def test_a_tab_cells_header_with_its_own_running_cost_column_is_read(tmp_path):
    ext, findings = audit(make_text(tmp_path / "running.txt", running_table("4.70")))
    read = cells_read(ext)
    assert read[("三公经费", "预算")] == Decimal("5.20") and read[("三公经费", "决算")] == Decimal("4.70")
    assert read[("公务用车购置费", "决算")] == Decimal("1.00") and read[("机关运行经费", "决算")] == Decimal("186.35")
    assert sangong_findings(findings) == [], [f.message for f in findings]


def test_a_tab_cells_final_total_off_its_items_is_found(tmp_path):
    _ext, findings = audit(make_text(tmp_path / "running.txt", running_table("4.90")))
    (f,) = sangong_findings(findings)
    assert (f.stated, f.computed) == (Decimal("4.90"), Decimal("4.70")), f.message


def budget_only(abroad: str, total: str = "7.00", subtotal: str = "4.00", buy: str = "-", run: str = "4.00") -> str:
    header = [["预算数"], HALF, SUBS]
    return tab_cells("一般公共预算“三公”经费支出预算表", header + [[total, abroad, subtotal, buy, run, "2.50"]])


def test_a_dash_is_a_stated_zero(tmp_path):
    # 因公出国 "-": the table gives every item, and 0 + 4.00 + 2.50 = 6.50 is not 7.00
    ext, findings = audit(make_text(tmp_path / "dash.txt", budget_only("-")))
    (f,) = sangong_findings(findings)
    assert (f.stated, f.computed) == (Decimal("7.00"), Decimal("6.50")), f.message
    assert ("因公出国（境）费", "预算") not in cells_read(ext)  # a dash states no figure to compare prose with


def test_a_blank_cell_stays_unknown(tmp_path):
    # 因公出国 left blank: it may hold the 0.50 the others leave
    _ext, findings = audit(make_text(tmp_path / "blank.txt", budget_only("")))
    assert sangong_findings(findings) == [], [f.message for f in findings]


def test_a_subtotal_one_hundredth_off_its_rounded_parts_is_no_contradiction(tmp_path):
    # 1.33 + 2.67 = 4.00 against a 小计 of 4.01; 0 + 4.01 + 2.50 = 6.51
    text = budget_only("-", total="6.51", subtotal="4.01", buy="1.33", run="2.67")
    _ext, findings = audit(make_text(tmp_path / "round.txt", text))
    assert sangong_findings(findings) == [], [f.message for f in findings]
