"""Table grids from every layout become the same score sheet, and the checks see it."""
from __future__ import annotations

from decimal import Decimal

import docx
import openpyxl

from extractor.checks import run_checks
from extractor.extract import extract
from extractor.ingest import read_document
from extractor.records import Cell, Grid, Span
from extractor.segment import segment
from extractor.tables import read_sheets
from conftest import doc_from_text
from make_fixtures import make_pdf

HEADER = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
ROWS = [
    ["产出指标(60分)", "数量指标", "改造户数", "≥200户", "210户", "30", "30"],
    ["产出指标(60分)", "质量指标", "验收合格率", "100%", "100%", "30", "30"],
    ["效益指标(30分)", "社会效益指标", "受益人数", "≥1000人", "1200人", "30", "30"],
    ["满意度指标(10分)", "满意度指标", "服务对象满意度", "≥90%", "95%", "10", "10"],
]
TOTAL = ["总分", "", "", "", "", "100", "90"]  # the scores add up to 100: a score.sum error


def score_sum_findings(doc):
    findings, problems = run_checks(doc, extract(doc))
    assert problems == []
    return [(f.stated, f.computed) for f in findings if f.check == "score.sum"]


def test_tab_cells_layout_with_continuations_and_split_rows():
    cells = lambda row: "\n".join("\t" + c for c in row)  # noqa: E731
    text = "\n\n".join(
        [
            "项目自评表",
            cells(["绩效指标"] + ["一级", *HEADER[1:]]).replace("\t一级", "\t一级\n指标"),
            cells(["", "产出", *ROWS[0][1:]]).replace("\t产出", "\t产出\n指标\n(60分)"),
            # a stray blank line splits this row in two: it must be rejoined
            cells(["", "", *ROWS[1][1:4]]) + "\n\n" + cells(ROWS[1][4:]),
            cells(["", *ROWS[2]]),
            cells(["", *ROWS[3]]),
            cells(["总分", "100", "90"]),
        ]
    )
    doc = doc_from_text(text)
    grid = segment(doc).grids[0]
    assert grid.source == "tab-cells"
    for row in grid.rows:
        for c in row:
            assert c.span is None or doc.text[c.span.start : c.span.end] == c.text
    sheet = read_sheets(grid)[0]
    assert [r.name for r in sheet.indicators] == ["改造户数", "验收合格率", "受益人数", "服务对象满意度"]
    assert [c.name for c in sheet.categories] == ["产出指标", "效益指标", "满意度指标"]
    assert sheet.categories[0].points.value == 60
    assert score_sum_findings(doc) == [(Decimal(90), Decimal(100))]


def test_tab_rows_layout_carries_merged_category_down():
    text = "\n".join("\t".join(r) for r in [HEADER, *[[r[0] if i in (0, 2, 3) else "", *r[1:]] for i, r in enumerate(ROWS)], TOTAL])
    doc = doc_from_text(text)
    sheet = read_sheets(segment(doc).grids[0])[0]
    assert [r.level1 for r in sheet.indicators] == ["产出指标", "产出指标", "效益指标", "满意度指标"]
    assert score_sum_findings(doc) == [(Decimal(90), Decimal(100))]


def test_docx_table(tmp_path):
    d = docx.Document()
    d.add_paragraph("项目支出绩效自评表")
    table = d.add_table(rows=1 + len(ROWS) + 1, cols=len(HEADER))
    for i, row in enumerate([HEADER, *ROWS, TOTAL]):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    table.cell(1, 0).merge(table.cell(2, 0))  # 产出指标 spans two rows, as in real forms
    table.cell(1, 0).text = "产出指标(60分)"
    path = tmp_path / "sheet.docx"
    d.save(path)
    doc = read_document(path)
    assert doc.grids and doc.grids[0].source == "docx"
    assert score_sum_findings(doc) == [(Decimal(90), Decimal(100))]


def test_xlsx_table_with_merged_cells(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "自评表"
    for row in [HEADER, *ROWS, TOTAL]:
        ws.append([float(v) if v.replace(".", "").isdigit() else v for v in row])
    ws["A3"] = None
    ws.merge_cells("A2:A3")
    path = tmp_path / "sheet.xlsx"
    wb.save(path)
    doc = read_document(path)
    assert score_sum_findings(doc) == [(Decimal(90), Decimal(100))]


def test_pdf_space_aligned_columns(tmp_path):
    short = ["三级指标", "指标值", "实际完成值", "分值", "得分"]
    rows = [r[2:] for r in ROWS]
    path = make_pdf(tmp_path / "sheet.pdf", [["项目支出绩效自评表", "", short, *rows, ["总分", "", "", "100", "90"]]])
    doc = read_document(path)
    grids = segment(doc).grids
    assert grids and grids[0].source == "spaces"
    assert score_sum_findings(doc) == [(Decimal(90), Decimal(100))]
    findings, _ = run_checks(doc, extract(doc))
    assert all(e.page == 1 for f in findings for e in f.evidence)


def test_merged_category_repeated_on_each_row_is_one_category():
    text = "\n".join("\t".join(r) for r in [HEADER, *ROWS, TOTAL])
    sheet = read_sheets(segment(doc_from_text(text)).grids[0])[0]
    assert [(c.name, c.points.value) for c in sheet.categories] == [("产出指标", 60), ("效益指标", 30), ("满意度指标", 10)]
    findings, _ = run_checks(doc_from_text(text), extract(doc_from_text(text)))
    assert not [f for f in findings if f.check == "score.category_weight"]


def test_budget_block_with_header_label_and_points():
    text = "\n".join(
        [
            "基本支出总额\t891.48万元\t项目支出总额\t3,621.22万元",
            "预算执行情况（万元）（20分）\t部门整体支出总额\t预算数（A）\t执行数（B）\t执行率（B/A）\t得分（20分*执行率）",
            "\t\t5,617.29\t5,617.29\t100%\t20",
        ]
    )
    sheet = read_sheets(segment(doc_from_text(text)).grids[0])[0]
    row = sheet.budget_rows[0]
    assert row.label == "部门整体支出总额" and row.values["actual"].value == Decimal("5617.29")
    assert sheet.budget_points.value == 20 and sheet.budget_score.value == 20
    assert {f.canonical: f.quantity.value for f in sheet.figures} == {"基本支出": Decimal("891.48"), "项目支出": Decimal("3621.22")}


def test_goal_row_with_merged_cells_is_read_once():
    def cells(texts, carried_from=1):
        out, pos = [], 0
        for i, t in enumerate(texts):
            out.append(Cell(t, Span(pos, pos + len(t)), carried=i >= carried_from and texts[i] == texts[i - 1]))
            pos += len(t) + 1
        return out

    target, actual = "全年完成89000人城乡居民养老保险补助", "实际完成102051人，完成103%"
    header = cells(["年度总体目标", "预期目标", "预期目标", "实际完成情况", "实际完成情况"])
    data = cells(["年度总体目标", target, target, actual, actual], carried_from=0)
    data[0].carried = True
    indicators = [cells(HEADER), cells(ROWS[0])]  # a sheet needs more than its goals
    sheets = read_sheets(Grid([header, data, *indicators], Span(0, 200), "docx"))
    assert [(g[1], g[3]) for s in sheets for g in s.goals] == [(target, actual)]


def _best_shift_as_written(row, roles, numeric, parse) -> int:
    """tables._best_shift before it judged each cell once (the reference for the test below)."""
    from extractor.tables import PLACEHOLDER_RE, _at

    best, best_score = 0, None
    filled = [i for i, c in enumerate(row) if not c.blank]
    for shift in (0, -1, 1, -2, 2, -3):
        score = 0.0
        for role, col in roles.items():
            cell = _at(row, col + shift)
            if role in numeric:
                if cell is None or cell.blank:
                    continue
                if PLACEHOLDER_RE.match(cell.text.strip()):
                    continue
                score += 2 if parse(cell) is not None else -3
        lost = sum(1 for i in filled if not (0 <= i - shift < len(row) + 3))
        score -= 2 * lost
        if best_score is None or score > best_score:
            best, best_score = shift, score
    return best


def test_best_shift_judges_each_cell_once_and_chooses_as_before(monkeypatch):
    """_best_shift (speed only) judges each cell once instead of once per shift tried: on
    every row the score sheets of the seeds and the synthetic text reports ask about, with
    shifted copies of each, it must choose the shift the loop as written chose."""
    from pathlib import Path

    from extractor import tables

    asked = []
    original = tables._best_shift

    def recording(row, roles, numeric, parse):
        asked.append((row, dict(roles), numeric, parse))
        return original(row, roles, numeric, parse)

    monkeypatch.setattr(tables, "_best_shift", recording)
    root = Path(__file__).resolve().parent.parent / "eval_sets"
    for path in sorted(root.glob("seeds/*.txt")) + sorted(root.glob("synthetic*/*.txt")):
        extract(read_document(str(path)))
    assert len(asked) > 100
    for row, roles, numeric, parse in asked:
        for variant in (row, row[1:], [Cell("", None)] + row, row[:-1]):
            assert original(variant, roles, numeric, parse) == _best_shift_as_written(variant, roles, numeric, parse)


def test_a_cells_blankness_is_known_from_the_start():
    """Cell.blank is set when the cell is made (speed only), as the property reads it."""
    from dataclasses import replace

    assert Cell(" \t\u3000").blank and Cell("").blank and not Cell(" 1 ").blank
    assert replace(Cell("x"), text="  ").blank and not replace(Cell(" "), text="y").blank
    assert Cell("a", Span(0, 1)) == Cell("a", Span(0, 1)) and "blank" not in repr(Cell("a"))


def test_split_glued_is_read_once_per_run_of_text():
    """fiscal_tables._split_glued is cached (speed only): it returns tuples, never a list a
    caller could change under the next line that has the same run."""
    from extractor import fiscal_tables

    pieces = fiscal_tables._split_glued("2,106.662,106.66")
    assert pieces == (("2,106.66", 0), ("2,106.66", 8)) and isinstance(pieces, tuple)
    assert fiscal_tables._split_glued("2,106.662,106.66") is pieces


def test_key_cells_are_read_once_per_text():
    """tables._key_of (speed only) reads a cell's key once per text: the same answers as the
    patterns and the vocabulary give, from the cache on the second asking."""
    from extractor import canon
    from extractor.tables import BUDGET_SCORE_RE, SELF_SCORE_RE, _key_of, _norm

    for text in ["自评得分(满分100分)", "预算执行(10分)", "基本支出总额", "部门整体支出 合计", "其他"]:
        norm = _norm(text)
        expected = (norm, SELF_SCORE_RE.match(norm) is not None, BUDGET_SCORE_RE.match(norm) is not None, canon.canonical(norm))
        assert _key_of(text) == expected
        hits = _key_of.cache_info().hits
        assert _key_of(text) == expected and _key_of.cache_info().hits == hits + 1


def test_row_roles_are_roles_of_each_table():
    """tables._row_roles (speed only) reads a row's header roles for both tables in one pass:
    the same two answers as _roles per table, on every row of the seeds' grids and of rows
    made to hold both tables' headings, in either order, with blanks and repeats."""
    from conftest import SEEDS
    from extractor.ingest import read_document
    from extractor.tables import BUDGET_HEADER_RES, INDICATOR_HEADER_RES, _header_roles, _row_roles

    def _roles(row, table):  # the plain reading: one pass over the row per table
        roles = {}
        for i, cell in enumerate(row):
            if cell.blank or len(cell.text) > 40:
                continue
            for role in _header_roles(cell.text, id(table)):
                if role not in roles:
                    roles[role] = i
                    break
        return roles

    rows = []
    for path in SEEDS:
        rows += [row for grid in segment(read_document(str(path))).grids for row in grid.rows]
    words = ["年初预算数", "全年预算数", "全年执行数", "分值", "得分", "指标值", "实际完成值", "一级指标", "二级指标", "三级指标", "", " ", "x" * 41]
    rows += [[Cell(w) for w in words], [Cell(w) for w in reversed(words)], [Cell(w) for w in words * 2]]
    assert len(rows) > 100
    for row in rows:
        assert _row_roles(row) == (_roles(row, BUDGET_HEADER_RES), _roles(row, INDICATOR_HEADER_RES))


def test_grade_rows_are_found_where_finditer_finds_them():
    """tables.grade_rows tries its pattern only at a character a match can begin with (speed only):
    the same grade rows as finditer, for each qualifier, heading word, gap and grade, a legend, and
    a qualifier doubled or left half."""
    from extractor.tables import TABLE_GRADE_RE, grade_rows

    rows = [f"{q}{w}{gap}{g}" for q in ("", "自评", "绩效", "评价", "综合评价", "考核", "评定", "自评自评", "综合")
            for w in ("等级", "等次", "等级（分）") for gap in ("  ", "\t", " \t ", "\u3000\u3000") for g in ("优", "良", "中", "差")]
    texts = ["\n".join(rows[k : k + 5]) + "\n" for k in range(0, len(rows), 5)] + ["等级\t优\t良\t中\n自评等级\t良", "说明。评价等级为优"]
    for text in texts:
        found = [(st.span, st.words["grade"]) for st in grade_rows(text)]
        assert found == [(Span(m.start(), m.end()), m.group(1)) for m in TABLE_GRADE_RE.finditer(text)], text
    assert sum(len(grade_rows(text)) for text in texts) > len(rows) // 2  # (the rows are read: not a test of nothing)
