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


def test_eight_times_the_rows_cost_about_eight_times_the_calls():
    _, small, _ = fiscal_calls(20)
    _, large, _ = fiscal_calls(160)
    assert large / small < 8.8, (small, large)
