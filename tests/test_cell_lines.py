"""Tables written one cell per line (extractor/cell_lines.py): a flattened HTML score sheet
with its headings broken over lines, a standard table's tabbed cells with codes, a 三公 table
with a two-level header, and runs whose rhythm breaks, which are left unread."""
from __future__ import annotations

from decimal import Decimal

from conftest import doc_from_text

from extractor.cell_lines import SOURCE, find_cell_grids
from extractor.checks import run_checks
from extractor.extract import extract

SCORE_SHEET = [
    "项目支出绩效自评表",
    "（2025年度）",
    "项目名称",
    "示例河道保洁经费",
    "项目资金",
    "(万元)",
    " ",
    "年初",
    "预算数",
    "全年",
    "预算数",
    "全年",
    "执行数",
    "分值",
    "执行率",
    "得分",
    "年度资金总额",
    "58.6",
    "61.4",
    "52.19",
    "10",
    "85%",
    "8.5",
    "其中:当年财政拨款",
    "58.6",
    "61.4",
    "52.19",
    " ",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度",
    "指标值",
    "实际",
    "完成值",
    "分值",
    "得分",
    "偏差原因分析及改进措施",
    "产出指标",
    "数量指标",
    "指标1保洁河道长度",
    "26",
    "26",
    "20",
    "20",
    " ",
    "质量指标",
    "指标1验收合格率",
    "100%",
    "92%",
    "20",
    "20",
    "部分河段复查未通过",
    "效益指标",
    "社会效益",
    "指标",
    "指标1群众满意度",
    "95%",
    "97%",
    "10",
    "10",
    " ",
]


def test_a_score_sheet_one_cell_per_line_is_read_with_its_broken_headings_joined():
    doc = doc_from_text("\n".join(SCORE_SHEET) + "\n")
    ext = extract(doc)
    assert ext.problems == []
    budget = next(r for s in ext.sheets for r in s.budget_rows if r.label == "年度资金总额")
    assert {k: q.value for k, q in budget.values.items()} == {
        "initial": Decimal("58.6"), "budget": Decimal("61.4"), "actual": Decimal("52.19"),
        "weight": Decimal("10"), "rate": Decimal("85"), "score": Decimal("8.5")}
    rows = [r for s in ext.sheets for r in s.indicators]
    assert [(r.level1, r.level2, r.name) for r in rows] == [
        ("产出指标", "数量指标", "指标1保洁河道长度"),
        ("产出指标", "质量指标", "指标1验收合格率"),
        ("效益指标", "社会效益指标", "指标1群众满意度"),  # "社会效益" / "指标" joined
    ]
    missed = rows[1]
    assert (missed.actual.value, missed.score.value) == (Decimal("92"), Decimal("20"))
    # evidence quotes the real cell, at its own line
    assert doc.quote(missed.name_span) == "指标1验收合格率"
    # 52.19 / 61.4 = 85.0 %, as stated; a target missed and scored full is said
    findings, problems = run_checks(doc, ext)
    assert problems == []
    assert any(f.check == "score.target_missed_full" for f in findings), [f.check for f in findings]
    assert not any(f.check == "rate.execution" for f in findings)


GENERAL_BUDGET_TABLE = [
    "示例局2025年度部门决算",
    "",
    "一般公共预算财政拨款支出决算表",
    "编制单位：示例局\t金额单位：万元",
    "\t科目编码", "\t科目名称", "\t本年支出", "",
    "\t", "\t", "\t合计", "\t基本支出", "\t项目支出", "",
    "\t合计", "\t612.40", "\t418.25", "\t194.15", "",
    "\t213", "\t农林水支出", "\t612.40", "\t418.25", "\t194.15", "",
    "\t21303", "\t水利", "\t612.40", "\t418.25", "\t194.15", "",
    "\t2130301", "\t行政运行", "\t418.25", "\t418.25", "\t0.00", "",
    "\t2130306", "\t水利工程运行与维护", "\t194.15", "\t0.00", "\t194.15", "",
    "一、一般公共预算财政拨款支出决算情况",
    "农林水支出（类）水利（款）水利工程运行与维护（项）支出决算为1194.15万元。",
    "",
]


def test_a_general_budget_table_in_tabbed_cells_keeps_its_codes_and_columns():
    doc = doc_from_text("\n".join(GENERAL_BUDGET_TABLE))
    grids = find_cell_grids(doc)
    assert [g.source for g in grids] == [SOURCE]
    ext = extract(doc)
    (table,) = [t for t in ext.tables if t.kind == "一般公共预算支出表"]
    rows = {r.code: r for r in table.rows if r.code}
    assert set(rows) == {"213", "21303", "2130301", "2130306"}
    maintenance = rows["2130306"]
    assert maintenance.label == "水利工程运行与维护"
    assert {table.columns[k].name: q.value for k, q in maintenance.cells.items()} == {
        "本年支出合计": Decimal("194.15"), "本年支出基本支出": Decimal("0.00"), "本年支出项目支出": Decimal("194.15")}
    assert doc.quote(maintenance.cells[0].span) == "194.15"
    # the prose's 1194.15 now meets the row of the same item
    findings, problems = run_checks(doc, ext)
    assert problems == []
    assert any(f.check.startswith("xref.") and Decimal("1194.15") in (f.stated, f.computed) for f in findings), [
        (f.check, f.stated, f.computed) for f in findings]


SANGONG_TABLE = [
    "示例局2025年度部门预算",
    "",
    "一般公共预算“三公”经费支出预算表",
    "单位：万元",
    "\t预算数", "",
    "\t合计", "\t因公出国（境）费", "\t公务用车购置及运行费", "\t公务接待费", "",
    "\t", "\t", "\t小计", "\t公务用车购置费", "\t公务用车运行费", "\t", "",
    "\t31.70", "\t2.00", "\t24.30", "\t16.00", "\t8.30", "\t5.40", "",
    "",
]


def test_a_sangong_table_with_a_two_level_header_names_each_column():
    doc = doc_from_text("\n".join(SANGONG_TABLE))
    ext = extract(doc)
    assert ext.problems == []
    cells = {f.subject.item: f.quantity.value for f in ext.figures if f.cell is not None}
    assert cells == {
        "三公经费": Decimal("31.70"), "因公出国（境）费": Decimal("2.00"), "公务用车购置及运行费": Decimal("24.30"),
        "公务用车购置费": Decimal("16.00"), "公务用车运行维护费": Decimal("8.30"), "公务接待费": Decimal("5.40")}
    # 2.00 + 24.30 + 5.40 = 31.70 and 16.00 + 8.30 = 24.30: nothing to say
    findings, problems = run_checks(doc, ext)
    assert problems == [] and [f for f in findings if f.severity != "info"] == []


def test_a_sangong_table_that_does_not_add_up_is_said():
    lines = list(SANGONG_TABLE)
    lines[lines.index("\t8.30")] = "\t9.30"  # 16.00 + 9.30 ≠ 24.30
    doc = doc_from_text("\n".join(lines))
    findings, problems = run_checks(doc, extract(doc))
    assert problems == []
    assert any(Decimal("24.30") in (f.stated, f.computed) and f.severity != "info" for f in findings), [
        (f.check, f.stated, f.computed) for f in findings]


def test_an_indicator_row_short_of_a_cell_leaves_its_table_unread():
    # the second indicator lost its 实际完成值 cell: 20 could be the actual or the weight
    lines = SCORE_SHEET[: SCORE_SHEET.index("质量指标")] + ["质量指标", "指标1验收合格率", "100%", "20", "20", " "]
    ext = extract(doc_from_text("\n".join(lines) + "\n"))
    # the budget rows above keep their rhythm and are read; the indicator table is not
    assert [r.label for s in ext.sheets for r in s.budget_rows][:1] == ["年度资金总额"]
    assert [r for s in ext.sheets for r in s.indicators] == []


def test_a_tabbed_row_with_a_cell_too_many_leaves_its_table_unread():
    lines = list(GENERAL_BUDGET_TABLE)
    at = lines.index("\t2130301")
    lines[at + 2 : at + 2] = ["\t3.00"]  # four figures where the header has three columns
    doc = doc_from_text("\n".join(lines))
    assert find_cell_grids(doc) == []
    intact = doc_from_text("\n".join(GENERAL_BUDGET_TABLE))
    assert len(find_cell_grids(intact)) == 1


def test_a_coded_table_in_bare_cell_lines_starts_a_row_at_each_code():
    lines = ["示例局2025年度部门决算", "", "一般公共预算财政拨款支出决算表", "单位：万元",
             "科目编码", "科目名称", "合计", "基本支出", "项目支出",
             "合计", "305.60", "240.10", "65.50",
             "208", "社会保障和就业支出", "305.60", "240.10", "65.50",
             "20805", "行政事业单位养老支出", "305.60", "240.10", "65.50",
             "2080501", "行政单位离退休", "65.50", "0.00", "65.50",
             "2080505", "机关事业单位基本养老保险缴费支出", "240.10", "240.10", "0.00",
             "一、一般公共预算财政拨款支出决算情况",
             "社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）支出决算为56.50万元。", ""]
    doc = doc_from_text("\n".join(lines))
    ext = extract(doc)
    (table,) = [t for t in ext.tables if t.kind == "一般公共预算支出表"]
    rows = {r.code: {table.columns[k].name: q.value for k, q in r.cells.items()} for r in table.rows if r.code}
    assert rows["2080501"] == {"合计": Decimal("65.50"), "基本支出": Decimal("0.00"), "项目支出": Decimal("65.50")}
    assert set(rows) == {"208", "20805", "2080501", "2080505"}
    findings, problems = run_checks(doc, ext)
    assert problems == []
    assert any(f.check.startswith("xref.") and Decimal("56.50") in (f.stated, f.computed) for f in findings), [
        (f.check, f.stated, f.computed) for f in findings]
    # a row that lost a cell: the table is left unread (to the title reader, as before)
    assert len(find_cell_grids(doc)) == 1
    lines.remove("240.10")
    assert find_cell_grids(doc_from_text("\n".join(lines))) == []


def test_a_budget_row_short_of_an_amount_leaves_the_budget_block_unread():
    # a part row may lack the 分值 / 执行率 / 得分 merged over it, not one of its amounts:
    # with 61.4 lost (and no blank line in its place), 52.19 would stand under 全年预算数
    at = SCORE_SHEET.index("其中:当年财政拨款")
    lines = SCORE_SHEET[: at + 2] + SCORE_SHEET[at + 3 : at + 4] + SCORE_SHEET[at + 5 :]
    assert lines[at : at + 4] == ["其中:当年财政拨款", "58.6", "52.19", "一级指标"]
    ext = extract(doc_from_text("\n".join(lines) + "\n"))
    assert [r for s in ext.sheets for r in s.budget_rows] == []
    assert len([r for s in ext.sheets for r in s.indicators]) == 3  # the indicator table is read
    whole = extract(doc_from_text("\n".join(SCORE_SHEET) + "\n"))
    part = next(r for s in whole.sheets for r in s.budget_rows if r.label == "其中:当年财政拨款")
    assert set(part.values) == {"initial", "budget", "actual"}


def test_tabbed_rows_read_each_line_as_the_slicing_loop_did():
    """cell_lines._tabbed_rows matches a cell line with one pattern (speed only): the same rows,
    spans and end as slicing each line and testing its tabs, for lines with tabs, spaces and
    full-width spaces on either side, a tab inside a cell, and blank lines."""
    from itertools import product

    from extractor.cell_lines import _tabbed_rows
    from extractor.records import Cell, Span, SpanSet

    def as_written(text, start, skip):  # the loop before, a line sliced and tested at a time
        rows, row, pos, end = [], [], start, start
        for raw in text[start:].split("\n"):
            line_start, pos = pos, pos + len(raw) + 1
            if not skip.empty and skip.covers(line_start):
                break
            if raw.startswith("\t") and "\t" not in raw.rstrip("\t ")[1:]:
                body = raw[1:].strip(" \t\u3000")
                offset = raw.index(body) if body else 0
                row.append(Cell(body, Span(line_start + offset, line_start + offset + len(body))) if body else Cell(""))
                end = line_start + len(raw)
                continue
            if raw.strip() or not row:
                break  # a line of words, or a second blank line, ends the rows
            rows, row = rows + [row], []
        return rows + [row] * bool(row), end

    pieces = ["\t", " ", "\u3000", "预", "1", "\r"]
    lines = ["".join(p) for n in range(4) for p in product(pieces, repeat=n)]
    for k, line in enumerate(lines):
        text = "\t表\n" + line + "\n\t 2 \t\n\n" + lines[-1 - k] + "\n"
        for skip in (SpanSet([]), SpanSet([Span(len(text) - 3, len(text))])):
            doc = doc_from_text(text, "t.txt")
            assert _tabbed_rows(doc, 0, skip) == as_written(doc.text, 0, skip), repr(text)
