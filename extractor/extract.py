"""One document in, one `Extraction` out: kind and year → standard tables → score sheets →
narrative statements, each subject tied to the tables' codes.

Every stage is guarded: a table or a paragraph that trips a reader becomes a line in
`Extraction.problems`, and the rest of the document is still read and checked.
"""
from __future__ import annotations

import traceback
from dataclasses import dataclass, replace
from typing import Callable, Optional, TypeVar

from . import canon
from .cell_lines import find_cell_grids
from .doctype import document_kind, document_year
from .fiscal_tables import class_codes, find_tables, name_paths, table_figures, tables_from_grids
from .narrative import extract_narrative, goal_statements, title_years
from .records import Document, Extraction, Figure, FiscalTable, Span, SpanSet, Subject
from .segment import Segments, segment
from .tables import grade_rows, grid_totals, join_split_sheets, read_sheets
from .text import fold

BUDGET_MEASURES = {"initial": "年初预算", "budget": "调整预算", "actual": "决算"}
FISCAL_KINDS = ("部门决算", "部门预算", "三公说明")
T = TypeVar("T")


def _budget_row_figures(sheet) -> list[Figure]:
    """Budget rows whose label is a known figure (部门整体支出总额 …) become figures per column."""
    out = []
    for row in sheet.budget_rows:
        name = canon.canonical(row.label)
        if name not in ("部门整体支出", "基本支出", "项目支出", "三公经费") or row.is_part:
            continue
        for role, measure in BUDGET_MEASURES.items():
            q = row.values.get(role)
            if q is not None and q.unit == "元":
                out.append(Figure(row.label, q, q.span, name, measure, "table", "table", subject=Subject(name, name)))
    return out


def _ends_document(doc: Document, sheet) -> bool:
    """Whether the page stops inside the sheet's last indicator row: nothing but blank text after
    it, no total row printed (a form that ends with its 总分/合计 row is whole), and the row short
    of what every row above it has (a name, a target, an actual, a 分值 or a 得分), or not closed by
    the pipe that closes the rows above it ("… | 10" under "… | 10 | 正向指标 |")."""
    rows = sheet.indicators
    if sheet.total_weight is not None or sheet.total_score is not None or len(rows) < 2:
        return False
    last, above = rows[-1], rows[:-1]
    if doc.text[last.row_span.end:].strip():
        return False
    cells = {"name": lambda r: r.name, "target": lambda r: r.target_text.strip(), "actual": lambda r: r.actual_text.strip(),
             "weight": lambda r: r.weight, "score": lambda r: r.score}
    if any(all(has(r) for r in above) and not has(last) for has in cells.values()):
        return True
    at = above[-1].row_span.end
    stop = doc.text.find("\n", at)
    line = doc.text[doc.text.rfind("\n", 0, at) + 1 : stop if stop != -1 else len(doc.text)]
    return line.rstrip().endswith("|") and not doc.text.rstrip().endswith("|")


def _table_pieces(doc: Document, grids: list) -> list[list]:
    """Consecutive grids with nothing between them but a page footer or a blank line are
    pieces of one table."""
    groups: list[list] = []
    for grid in grids:
        if groups:
            between = doc.text[groups[-1][-1].span.end : grid.span.start]
            if grid.source == groups[-1][-1].source and len("".join(between.split())) <= 12 and "。" not in between:
                groups[-1].append(grid)
                continue
        groups.append([grid])
    return groups


def _grid_title(doc: Document, grid) -> str:
    """What an auditor calls a grid: its caption or sheet name, else the line just above it."""
    if grid.name:
        return grid.name
    above = doc.text[max(0, grid.span.start - 200) : grid.span.start].rstrip().rsplit("\n", 1)[-1].strip()
    return above if above and len(above) <= 40 and not above.endswith("。") else "表格"


def _guard(problems: list[str], what: str, work: Callable[[], T], default: T) -> T:
    """Run one reader; its failure is a problem of the document, not the end of it."""
    try:
        return work()
    except Exception as exc:  # a reader must never take the document down
        where = traceback.extract_tb(exc.__traceback__)[-1]
        problems.append(f"{what}: {type(exc).__name__}: {exc} ({where.name}:{where.lineno})")
        return default


@dataclass
class Layout:
    """What a document is and where its parts stand: its kind and year, the standard tables,
    and the segments (grids and the narrative between them). The rules read on from here;
    the model reads `segments.narrative`, the same text the rules read as prose."""

    kind: Optional[str]
    year: Optional[str]
    tables: list[FiscalTable]
    segments: Segments
    problems: list[str]


def read_layout(doc: Document) -> Layout:
    problems: list[str] = []
    kind = _guard(problems, "文档类型", lambda: document_kind(doc), None)
    year = _guard(problems, "年度", lambda: document_year(doc), None)
    structured = [g for g in doc.grids]
    # tables written one cell per line: read as grids, like the tables a file format gives
    structured += _guard(problems, "逐行单元格表格", lambda: find_cell_grids(doc, [g.span for g in structured]), [])
    tables = _guard(problems, "预决算表格", lambda: find_tables(doc, [g.span for g in structured]), [])
    tables += _guard(problems, "预决算表格", lambda: tables_from_grids(doc, structured), [])
    tables.sort(key=lambda t: t.span.start)
    # a 绩效目标表 is indicator rows, read as a score sheet (targets, no actuals); the others are
    # the standard tables, read by fiscal_tables
    targets = [t.span for t in tables if t.kind == "绩效目标表"]
    tables = [t for t in tables if t.kind != "绩效目标表"]
    given = doc if len(structured) == len(doc.grids) else replace(doc, grids=structured)
    segments = segment(given, [t.span for t in tables], space_tables=kind not in FISCAL_KINDS, table_regions=targets)
    return Layout(kind, year, tables, segments, problems)


def extract(doc: Document, layout: Optional[Layout] = None) -> Extraction:
    layout = layout or read_layout(doc)
    kind, year, tables, segments, problems = layout.kind, layout.year, layout.tables, layout.segments, list(layout.problems)
    table_spans = [t.span for t in tables]
    result = Extraction(narrative=segments.narrative, tables=tables, kind=kind, year=year, problems=problems)
    in_tables = SpanSet(table_spans)
    groups = _table_pieces(doc, [g for g in segments.grids if not in_tables.covers(g.span.start)])
    sheets = [sheet for group in groups for sheet in _guard(problems, "评分表", lambda group=group: read_sheets(*group), [])]
    for group in groups:
        result.relations.extend(_guard(problems, "表格合计行", lambda group=group: grid_totals(_grid_title(doc, group[0]), *group), []))
    for sheet in join_split_sheets(sheets):
        sheet.cut = _ends_document(doc, sheet)
        if sheet.cut:
            # the row the page stops in: its empty cells are not blanks, and a row short of cells
            # is read in the wrong columns
            sheet.indicators.pop()
        result.sheets.append(sheet)
        result.figures.extend(sheet.figures)
        result.figures.extend(_budget_row_figures(sheet))
        for target_span, target_text, actual_span, actual_text in sheet.goals:
            result.statements.extend(goal_statements(target_text, target_span, actual_text, actual_span, context="table"))
    result.statements.extend(_guard(problems, "等级行", lambda: grade_rows(doc.text), []))
    codes = class_codes(tables)
    for table in tables:
        result.figures.extend(_guard(problems, f"表格“{table.title}”", lambda table=table: table_figures(table, kind, year, codes), []))
        result.statements.extend(title_years(doc.text[table.title_span.start : table.title_span.end], table.title_span.start, kind))
    narrative = _guard(problems, "正文", lambda: extract_narrative(doc, segments.narrative, kind, year), Extraction())
    result.figures.extend(narrative.figures)
    result.relations.extend(narrative.relations)
    result.statements.extend(narrative.statements)
    problems.extend(narrative.problems)
    _tie_to_codes(result, tables)
    result.figures.sort(key=lambda f: f.span.start)
    return result


def _tie_to_codes(result: Extraction, tables) -> None:
    """Narrative subjects named by 功能分类 names ("一般公共服务支出/财政事务/行政运行") take the
    code the document's own tables give those names, so that they meet the table rows."""
    paths = name_paths(tables)
    if not paths:
        return
    leaves: dict[str, list[str]] = {}
    joined: dict[str, str] = {}  # "类款项" written as one run of names -> code
    for path, code in paths.items():
        leaves.setdefault(path.split("/")[-1], []).append(code)
        joined.setdefault(path.replace("/", ""), code)

    def coded(subject: Optional[Subject]) -> Optional[Subject]:
        if subject is None or not subject.item.startswith("fn:") or subject.item[3:].isdigit():
            return subject
        path = fold(subject.item[3:])
        run = path.replace("/", "")
        # "…缴费支出支出决算为": the measure's 支出 follows the 项 name
        code = paths.get(path) or joined.get(run) or (joined.get(run[:-2]) if run.endswith("支出") else None)
        if code is None:
            # the 款 in prose sometimes differs from the table's; the 项 name alone, when the
            # tables have one such 项, still names it
            candidates = sorted(set(leaves.get(path.split("/")[-1], [])))
            if "/" in path:
                # a 项 of the 类 the prose names: "住房公积金" is also an 经济分类 row (30113) of
                # the 基本支出 table, and 行政运行 a 项 of many 款
                cls = paths.get(path.split("/")[0])
                candidates = [c for c in candidates if len(c) == 7 and (cls is None or c.startswith(cls))]
            if len(candidates) == 1:
                code = candidates[0]
        return replace(subject, item=f"fn:{code}", name=f"{subject.name}（{code}）") if code else subject

    for f in result.figures:
        f.subject = coded(f.subject)
    for st in result.statements:
        st.subject = coded(st.subject)
        st.whole = coded(st.whole)


__all__ = ["extract", "Span"]
