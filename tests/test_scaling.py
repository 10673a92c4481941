"""Work grows linearly with the document: counted in function calls, not timed (timing is in
bench/bench_size.py). A bundle of 64 reports must cost about four times a bundle of 16; the
pair loops this replaced (prose amounts × budget rows in crossref, every line × every table in
segment and fiscal_tables, every prose figure × every copy of a cell) cost over five."""
from __future__ import annotations

import sys

from conftest import SEEDS, doc_from_text
from extractor.checks import run_checks
from extractor.extract import extract
from extractor.records import Span, SpanSet


def bundle(copies: int) -> str:
    texts = [p.read_text("utf-8") for p in SEEDS]
    return "".join(texts[i % len(texts)] + f"\n<!-- copy {i} -->\n" for i in range(copies))


def calls_to_audit(text: str) -> int:
    doc = doc_from_text(text, "bundle.txt")
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        count += event == "call"

    sys.setprofile(profile)
    try:
        findings, _problems = run_checks(doc, extract(doc))
    finally:
        sys.setprofile(None)
    assert findings  # the bundle is read, not skipped
    return count


def test_four_times_the_text_costs_about_four_times_the_work():
    small, large = calls_to_audit(bundle(16)), calls_to_audit(bundle(64))
    assert large / small < 4.4, (small, large)


def test_a_span_set_answers_like_a_scan_of_its_spans():
    spans = [Span(10, 20), Span(15, 30), Span(40, 40), Span(50, 55), Span(55, 60), Span(0, 3)]
    index = SpanSet(spans)
    for offset in range(-1, 70):
        assert index.covers(offset) == any(s.start <= offset < s.end for s in spans), offset
    assert not SpanSet([]).covers(0)
