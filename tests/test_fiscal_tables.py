"""The standard 预决算 tables rebuilt from PDF positions: columns by where figures stand, codes,
wrapped names, tables over a page break, and the checks over them (table arithmetic, the same
figure in two tables, a note calling a filled table empty, narrative against table cells)."""
from __future__ import annotations

from decimal import Decimal

from make_fixtures import make_fiscal_pdf

from extractor.checks import run_checks
from extractor.extract import extract
from extractor.ingest import read_document

# column x positions of a 支出决算表: code, name, then 合计 | 基本支出 | 项目支出 right-aligned
CODE, NAME, TOTAL, BASIC, PROJECT = 40, 110, 330, 410, 490
HEADER = [
    [(NAME, "科目名称"), (TOTAL - 50, "本年支出合"), (BASIC - 45, "基本支出"), (PROJECT - 45, "项目支出")],
    [(CODE, "科目编码"), (TOTAL - 20, "计")],
]


def row(code: str, name: str, total: str, basic: str = "", project: str = "") -> list[tuple]:
    cells = [(CODE, code), (NAME, name), (TOTAL, total, "r")]
    if basic:
        cells.append((BASIC, basic, "r"))
    if project:
        cells.append((PROJECT, project, "r"))
    return cells


def expenditure_table(class_total: str = "2,106.66", item_basic: str = "1,503.52", title: str = "支出决算表") -> list:
    return [
        [(200, title)],
        [(440, "单位：万元")],
        *HEADER,
        row("201", "一般公共服务支出", class_total, "1,503.52", "603.14"),
        row("20106", "财政事务", "2,106.66", "1,503.52", "603.14"),
        row("2010601", "行政运行", "1,511.89", item_basic, "8.37"),
        row("2010602", "一般行政管理事务", "10.00", project="10.00"),
        row("2010607", "信息化建设", "135.25", project="135.25"),
        row("2010608", "财政委托业务支出", "449.52", project="449.52"),
    ]


NARRATIVE = [
    "第三部分 示例局2024年度部门决算情况说明",
    "一、支出决算情况说明",
    "本年支出合计2106.66万元，其中：基本支出1503.52万元，占71.37%；项目支出603.14万元，占28.63%。",
    "二、一般公共预算财政拨款支出决算情况说明",
    "1、一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为1560.05万元，支出决算为1511.89万元。",
    "决算数小于预算数的主要原因：人员变化。",
]


def audit(tmp_path, pages):
    path = make_fiscal_pdf(tmp_path / "decision.pdf", [["示例局2024年度部门决算"], *pages])
    doc = read_document(path)
    ext = extract(doc)
    findings, problems = run_checks(doc, ext)
    assert problems == [] and ext.problems == []
    return doc, ext, findings


def cells(ext, code: str) -> dict[str, Decimal]:
    (table,) = [t for t in ext.tables if t.kind in ("支出表", "一般公共预算支出表")]
    (r,) = [r for r in table.rows if r.code == code]
    return {table.columns[k].name: q.value for k, q in r.cells.items()}


def test_columns_follow_the_figures_positions(tmp_path):
    _doc, ext, findings = audit(tmp_path, [expenditure_table(), NARRATIVE])
    assert ext.kind == "部门决算" and ext.year == "2024"
    # a blank 基本支出 cell leaves 10.00 under 项目支出, where it stands, not in the next column
    assert cells(ext, "2010602") == {"本年支出合计": Decimal("10.00"), "项目支出": Decimal("10.00")}
    assert cells(ext, "2010601") == {"本年支出合计": Decimal("1511.89"), "基本支出": Decimal("1503.52"), "项目支出": Decimal("8.37")}
    assert [f for f in findings if f.severity != "info"] == []


def test_class_that_is_not_the_sum_of_its_items(tmp_path):
    _doc, _ext, findings = audit(tmp_path, [expenditure_table(class_total="2,116.66"), NARRATIVE])
    (f,) = [f for f in findings if f.check == "table.rows_sum"]
    assert (f.stated, f.computed, f.severity) == (Decimal("2116.66"), Decimal("2106.66"), "error")
    assert f.evidence[0].cell.table == "支出决算表" and f.evidence[0].cell.row == "一般公共服务支出"
    assert f.evidence[0].cell.column == "本年支出合计"


def test_row_total_that_is_not_basic_plus_project(tmp_path):
    _doc, _ext, findings = audit(tmp_path, [expenditure_table(item_basic="1,493.52"), NARRATIVE])
    checks = {f.check for f in findings if f.severity == "error"}
    assert "table.columns_sum" in checks  # 1511.89 ≠ 1493.52 + 8.37
    (f,) = [f for f in findings if f.check == "table.columns_sum"]
    assert (f.stated, f.computed) == (Decimal("1511.89"), Decimal("1501.89"))


def test_table_over_a_page_break_keeps_its_columns(tmp_path):
    table = expenditure_table()
    # pypdf measures x from the leftmost text of each page: the first page's starts at its
    # 编制部门 line, the second's at the codes, so the same column lands elsewhere
    shifted = [[(x + 60, *rest) for x, *rest in r] for r in table]  # a wide left margin: a 100 pt offset
    first, second = [[(0, "编制部门：示例局")], *shifted[:6]], shifted[6:]
    narrative_page = ["  " + NARRATIVE[0], *NARRATIVE[1:]]
    _doc, ext, findings = audit(tmp_path, [first, second, narrative_page])
    assert cells(ext, "2010607") == {"本年支出合计": Decimal("135.25"), "项目支出": Decimal("135.25")}
    assert not [f for f in findings if f.check.startswith("table.") and f.severity == "error"]


GENERAL = "一般公共预算财政拨款支出决算表"  # the table the 一般公共预算 section's items are about


def test_narrative_item_against_its_table_row(tmp_path):
    narrative = [line.replace("支出决算为1511.89万元", "支出决算为1521.89万元") for line in NARRATIVE]
    doc, _ext, findings = audit(tmp_path, [expenditure_table(title=GENERAL), narrative])
    (f,) = [f for f in findings if f.check == "xref.narrative_table"]
    assert (f.stated, f.computed) == (Decimal("1521.89"), Decimal("1511.89"))
    assert f.evidence[0].quote.endswith("1521.89万元") and f.evidence[1].cell.row == "行政运行"
    assert "行政运行" in f.message and GENERAL in f.message
    # the all-funds 支出决算表 is another statement (another fund scope): no finding against it
    _doc, _ext, findings = audit(tmp_path, [expenditure_table(), narrative])
    assert not [f for f in findings if f.check == "xref.narrative_table"]


def test_a_figure_with_a_doubled_digit_is_a_digit_slip(tmp_path):
    narrative = [line.replace("支出决算为1511.89万元", "支出决算为11511.89万元") for line in NARRATIVE]
    _doc, _ext, findings = audit(tmp_path, [expenditure_table(title=GENERAL), narrative])
    # the wording "决算数小于预算数" no longer fits the figure either
    assert sorted(f.check for f in findings if f.severity == "error") == ["text.comparison", "xref.digit_slip"]


def test_note_calling_a_filled_table_empty(tmp_path):
    sangong = [
        [(180, "部门“三公”经费和机关运行经费预算表")],
        [(440, "单位：万元")],
        [(60, "合计"), (150, "因公出国(境)费"), (260, "公务接待费"), (380, "机关运行经费")],
        [(90, "47.91", "r"), (200, "0", "r"), (300, "1.35", "r"), (420, "443.18", "r")],
        "注：本部门2024年无“三公”经费和机关运行经费预算，故本表为空表。",
    ]
    _doc, _ext, findings = audit(tmp_path, [sangong, NARRATIVE])
    (f,) = [f for f in findings if f.check == "text.empty_table"]
    assert f.severity == "error" and "47.91" in f.message


def test_two_sided_total_table_balances(tmp_path):
    def line(left, lv, right, rv):
        cells = [(40, left), (330, right)]
        if lv:
            cells.append((270, lv, "r"))
        if rv:
            cells.append((540, rv, "r"))
        return cells

    total = [
        [(200, "收入支出决算总表")],
        [(440, "单位：万元")],
        [(80, "收入"), (400, "支出")],
        [(60, "项目"), (230, "决算数"), (360, "项目"), (500, "决算数")],
        line("一、一般公共预算财政拨款收入", "2,106.66", "一、一般公共服务支出", "2,106.66"),
        line("二、政府性基金预算财政拨款收入", "", "二、外交支出", ""),
        line("本年收入合计", "2,106.66", "本年支出合计", "2,106.66"),
        line("总计", "2,106.66", "总计", "2,116.66"),
    ]
    _doc, ext, findings = audit(tmp_path, [total, expenditure_table(), NARRATIVE])
    (t,) = [t for t in ext.tables if t.kind == "收支总表"]
    assert [(r.side, r.label) for r in t.rows[:4]] == [(0, "一、一般公共预算财政拨款收入"), (1, "一、一般公共服务支出"),
                                                      (0, "二、政府性基金预算财政拨款收入"), (1, "二、外交支出")]
    assert "table.balance" in {f.check for f in findings if f.severity == "error"}


def test_review_page_draws_the_cited_table_as_a_grid_with_the_cell_marked(tmp_path):
    import html as htmllib
    import re

    import sqlite_utils
    from conftest import invoke

    from extractor.review.data import load_report, load_summaries
    from extractor.review.server import create_app

    path = make_fiscal_pdf(tmp_path / "decision.pdf", [["示例局2024年度部门决算"], expenditure_table(class_total="2,116.66"), NARRATIVE])
    db_path = tmp_path / "a.db"
    assert invoke("audit", path, "--db", db_path).exit_code in (0, 1)
    db = sqlite_utils.Database(db_path)
    (summary,) = load_summaries(db)
    view = load_report(db, summary.sha256)
    (table,) = view.tables  # only the table a finding cites
    assert table["title"] == "支出决算表" and table["unit"] == "万元"
    assert [c["name"] for c in table["columns"]][:1] == ["本年支出合计"]
    page = create_app(db_path, reviewer="测试").test_client().get(f"/report/{summary.sha256}").get_data(as_text=True)
    grid = re.search(r'<table class="grid">(.*?)</table>', page, re.S).group(1)
    fp = db.execute("select fingerprint from findings where check_id = 'table.rows_sum'").fetchone()[0]
    marked = re.findall(r'<mark class="ev sev-error" data-f="([0-9a-f ]+)" data-s="\d+">([^<]*)</mark>', grid)
    assert any(fp in fps.split() and htmllib.unescape(v) == "2,116.66" for fps, v in marked), marked
    assert "一般公共服务支出" in grid and "2010601" in grid and "本年支出合计" in grid
    # the evidence names its cell beside the quote, and the index names the document kind
    assert "支出决算表 · 一般公共服务支出 · 本年支出合计" in htmllib.unescape(page)
    assert summary.kind == "部门决算" and ">部门决算<" in create_app(db_path, reviewer="测试").test_client().get("/").get_data(as_text=True)


def numbered_total_table(right_total: str = "2,106.66") -> list:
    """A 收支总表 in the national layout: a 行次 column on each side and a 栏次 row."""
    def line(left, ln, lv, right, rn, rv):
        cells = [(40, left), (330, right), (215, ln, "r"), (500, rn, "r")]
        if lv:
            cells.append((290, lv, "r"))
        if rv:
            cells.append((560, rv, "r"))
        return cells

    return [
        [(200, "收入支出决算总表")],
        [(440, "单位：万元")],
        [(80, "收入"), (400, "支出")],
        [(60, "项目"), (200, "行次"), (250, "决算数"), (360, "项目"), (485, "行次"), (520, "决算数")],
        [(60, "栏次"), (290, "1", "r"), (360, "栏次"), (560, "2", "r")],
        line("一、一般公共预算财政拨款收入", "1", "2,106.66", "一、一般公共服务支出", "32", "2,106.66"),
        line("二、政府性基金预算财政拨款收入", "2", "", "二、外交支出", "33", ""),
        line("本年收入合计", "3", "2,106.66", "本年支出合计", "34", right_total),
        line("总计", "4", "2,106.66", "总计", "35", right_total),
    ]


def column_number_row() -> list:
    return [(NAME, "栏次"), (TOTAL, "1", "r"), (BASIC, "2", "r"), (PROJECT, "3", "r")]


def test_row_and_column_numbers_are_not_amounts(tmp_path):
    table = expenditure_table()
    table.insert(2 + len(HEADER), column_number_row())  # "栏次 1 2 3" under the header
    _doc, ext, findings = audit(tmp_path, [numbered_total_table(), table, NARRATIVE])
    (total,) = [t for t in ext.tables if t.kind == "收支总表"]
    assert [c.name for c in total.columns] == ["决算数", "决算数"]  # the 行次 columns are gone
    assert [(r.label, {total.columns[k].side: q.value for k, q in r.cells.items()}) for r in total.rows][:2] == [
        ("一、一般公共预算财政拨款收入", {0: Decimal("2106.66")}), ("一、一般公共服务支出", {1: Decimal("2106.66")})]
    assert not [r for t in ext.tables for r in t.rows if r.label == "栏次"]
    assert not [f for f in findings if f.severity != "info"], [(f.check, f.message) for f in findings]


def test_a_numbered_total_table_still_balances(tmp_path):
    _doc, _ext, findings = audit(tmp_path, [numbered_total_table(right_total="2,116.66"), expenditure_table(), NARRATIVE])
    (f,) = [f for f in findings if f.check == "table.balance" and f.severity == "error"][:1]
    assert {f.stated, f.computed} >= {Decimal("2116.66")} or Decimal("2116.66") in (f.stated, f.computed)
