"""The standard-table reader does per-column work once per column and per-line work once per
line: counted in function calls, not timed (timing is in bench/). Per cell, table_figures used to
read its column's heading again and _read_table to find its column once per column; per line,
_ends_table rescanned the whole body for a note."""
from __future__ import annotations

import sys
from collections import Counter

from conftest import doc_from_text
from extractor.extract import extract

COLUMNS = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出"]


def spending_table(rows: int) -> str:
    lines = ["某县财政局2024年度部门决算", "", "第二部分　2024年度部门决算表", "", "2024年度支出决算表", "单位：万元",
             "科目编码\t科目名称\t" + "\t".join(COLUMNS)]
    for i in range(rows):
        lines.append(f"20101{i:02d}\t行政运行{i}\t{3 * i + 3}.00\t{2 * i + 2}.00\t{i + 1}.00\t0.00")
    return "\n".join(lines) + "\n"


def fiscal_calls(rows: int) -> tuple[Counter, int, list]:
    """Calls per function of fiscal_tables while the table is read, all calls, and the tables."""
    doc = doc_from_text(spending_table(rows), "spending.txt")
    by_name: Counter = Counter()
    total = 0

    def profile(frame, event, arg):
        nonlocal total
        if event == "call" and frame.f_code.co_filename.endswith("fiscal_tables.py"):
            by_name[frame.f_code.co_name] += 1
            total += 1

    sys.setprofile(profile)
    try:
        extraction = extract(doc)
    finally:
        sys.setprofile(None)
    return by_name, total, extraction.tables


def test_a_column_is_read_once_and_a_number_placed_once():
    for rows in (5, 40):
        calls, _total, tables = fiscal_calls(rows)
        assert [(len(t.rows), [c.name for c in t.columns]) for t in tables] == [(rows, COLUMNS)]  # the table is read
        assert calls["_column_of"] == rows * len(COLUMNS), (rows, calls["_column_of"])
        for per_column in ("_read_column", "column_measure", "column_period"):
            assert calls[per_column] == len(COLUMNS), (rows, per_column, calls[per_column])
        assert calls["row_subject"] == rows


def empty_caches() -> None:
    """Empty the reader's caches: a cell text already seen costs no call, so a table read after
    others (in another test, or the smaller one here) would count the misses of its new rows only."""
    from extractor import fiscal_tables

    for value in vars(fiscal_tables).values():
        if hasattr(value, "cache_clear"):
            value.cache_clear()


def test_eight_times_the_rows_cost_about_eight_times_the_calls():
    empty_caches()
    _, small, _ = fiscal_calls(20)
    empty_caches()
    _, large, _ = fiscal_calls(160)
    assert large / small < 8.8, (small, large)


def calls_while(work, counted) -> int:
    """How many profile events `counted(event, frame, arg)` accepts while `work()` runs."""
    n = 0

    def profile(frame, event, arg):
        nonlocal n
        n += bool(counted(event, frame, arg))

    sys.setprofile(profile)
    try:
        work()
    finally:
        sys.setprofile(None)
    return n


def test_a_number_is_placed_in_its_column_without_measuring_every_column():
    """_column_of bisects the columns' right edges: a few distances per number, however wide
    the table (it measured the distance to each column)."""
    from extractor.fiscal_tables import find_tables

    for width in (4, 16):
        head = "科目编码\t科目名称\t" + "\t".join(f"第{k}项支出" for k in range(width))
        rows = [f"20101{i:02d}\t行政运行{i}\t" + "\t".join(f"{i + k}.00" for k in range(width)) for i in range(10)]
        doc = doc_from_text("\n".join(["某县财政局2024年度部门决算", "", "2024年度支出决算表", "单位：万元", head, *rows]) + "\n")
        tables = []
        measured = calls_while(lambda: tables.extend(find_tables(doc)),
                               lambda event, frame, arg: event == "c_call" and arg is abs and frame.f_code.co_name == "_column_of")
        assert [len(t.columns) for t in tables] == [width] and len(tables[0].rows) == 10
        assert measured <= 4 * 10 * width, (width, measured)  # at most four per number, not one per column


def test_a_tabbed_line_counts_no_separators_per_cell():
    """A tab-separated line is tokenised in one pass: its separators are not counted again
    before each cell (three str.count calls per cell before)."""
    from extractor.fiscal_tables import _line_tokens

    raw = "\t".join(["2010101", "行政运行"] + [f"{k}.00" for k in range(30)])
    tokens = []
    counts = calls_while(lambda: tokens.extend(_line_tokens(raw, 0, None)),
                         lambda event, frame, arg: event == "c_call" and getattr(arg, "__name__", "") == "count")
    assert [t.x0 for t in tokens] == [k * 100.0 for k in range(32)]  # each cell placed by its index
    assert counts <= 2, counts


def test_the_lines_of_a_grid_and_before_the_first_title_are_not_made():
    """find_tables makes a line object only for the lines it reads: from the first title on,
    outside the grids (a table written one cell per line is a grid, read by tables_from_grids)."""
    from extractor.cell_lines import find_cell_grids
    from extractor import fiscal_tables

    prose = [f"第{i}段：本部门严格执行预算管理制度，资金使用规范。" for i in range(200)]
    cells = ["\t项目", "\t决算数", ""] + [x for i in range(60) for x in (f"\t第{i}项收入", f"\t{i + 1}.00", "")]
    text = "\n".join(["某县财政局2024年度部门决算", *prose, "2024年度收入决算表", "单位：万元", *cells, "2024年度支出决算表", "单位：万元",
                      "科目编码\t科目名称\t本年支出合计", "2010101\t行政运行\t5.00"]) + "\n"
    doc = doc_from_text(text)
    grids = find_cell_grids(doc)
    assert len(grids) == 1  # the cells make a grid
    tables = []
    made = calls_while(lambda: tables.extend(fiscal_tables.find_tables(doc, [g.span for g in grids])),
                       lambda event, frame, arg: event == "call" and frame.f_code is fiscal_tables._TextLine.__init__.__code__)
    assert [t.title for t in tables] == ["2024年度支出决算表"] and len(tables[0].rows) == 1
    assert made < 20, made  # not the 200 lines of prose before the first title nor the 180 of the grid


def test_a_line_is_cut_into_segments_once():
    """A line's segments are made once, though _find_titles, find_tables and _read_table each ask
    whether it holds data (the header line and the first row were segmented twice)."""
    for rows in (5, 40):
        calls, _total, tables = fiscal_calls(rows)
        assert [len(t.rows) for t in tables] == [rows]
        assert calls["_segments"] == rows + 1, (rows, calls["_segments"])  # the header line and each row
