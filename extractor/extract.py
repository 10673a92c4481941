"""One document in, one `Extraction` out: segments → score sheets → narrative figures.

Table figures and narrative figures end up in one list; checks never ask who produced them.
"""
from __future__ import annotations

from . import canon
from .narrative import extract_narrative, goal_statements
from .records import Document, Extraction, Figure
from .segment import segment
from .tables import join_split_sheets, read_sheets

BUDGET_QUALIFIERS = {"initial": "年初预算", "budget": "预算", "actual": "执行"}


def _budget_row_figures(sheet) -> list[Figure]:
    """Budget rows whose label is a known figure (部门整体支出总额 …) become figures per column."""
    out = []
    for row in sheet.budget_rows:
        name = canon.canonical(row.label)
        if name not in ("部门整体支出", "基本支出", "项目支出", "三公经费") or row.is_part:
            continue
        for role, qualifier in BUDGET_QUALIFIERS.items():
            q = row.values.get(role)
            if q is not None and q.unit == "元":
                out.append(Figure(row.label, q, q.span, name, qualifier, "table", "table"))
    return out


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


def extract(doc: Document) -> Extraction:
    segments = segment(doc)
    result = Extraction(narrative=segments.narrative)
    sheets = [sheet for group in _table_pieces(doc, segments.grids) for sheet in read_sheets(*group)]
    for sheet in join_split_sheets(sheets):
        result.sheets.append(sheet)
        result.figures.extend(sheet.figures)
        result.figures.extend(_budget_row_figures(sheet))
        for target_span, target_text, actual_span, actual_text in sheet.goals:
            result.statements.extend(goal_statements(target_text, target_span, actual_text, actual_span))
    narrative = extract_narrative(doc, segments.narrative)
    result.figures.extend(narrative.figures)
    result.relations.extend(narrative.relations)
    result.statements.extend(narrative.statements)
    result.figures.sort(key=lambda f: f.span.start)
    return result
