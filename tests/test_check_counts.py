"""The checks do per-row work once per row: counted in function calls, not timed (timing is in
bench/). table.columns_sum asked whether a row adds up twice, in _nested_ok and again in
_sum_finding, for every row of every table, though nearly all rows do."""
from __future__ import annotations

import sys
from collections import Counter

from conftest import doc_from_text
from extractor.checks import run_checks
from extractor.extract import extract
from test_fiscal_counts import COLUMNS, spending_table


def check_calls(rows: int, only: set[str]) -> tuple[Counter, list]:
    """Calls per function of checks/fiscal.py while `only` these checks run, and the findings."""
    doc = doc_from_text(spending_table(rows), "spending.txt")
    extraction = extract(doc)
    by_name: Counter = Counter()

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_filename.endswith("fiscal.py"):
            by_name[frame.f_code.co_name] += 1

    sys.setprofile(profile)
    try:
        findings, problems = run_checks(doc, extraction, only)
    finally:
        sys.setprofile(None)
    assert not problems
    assert [len(t.rows) for t in extraction.tables] == [rows] and [c.name for c in extraction.tables[0].columns] == COLUMNS
    return by_name, findings


def test_a_row_that_adds_up_is_summed_once():
    for rows in (5, 40):
        calls, findings = check_calls(rows, {"table.columns_sum"})
        assert findings == []  # every row's 合计 is 基本 + 项目 + 上缴
        assert calls["columns_sum"] == 1
        assert calls["_adds_up"] == rows, (rows, calls["_adds_up"])
        assert calls["_nested_ok"] == calls["_sum_finding"] == 0
