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


def test_split_lines_as_the_find_loop_did():
    """segment.split_lines splits once (speed only): the same lines and offsets as finding each
    newline in turn, for every slice of texts with empty lines at either end."""
    from extractor.segment import Line, split_lines

    def as_written(text, start=0, end=None):
        end = len(text) if end is None else end
        lines, pos = [], start
        while pos <= end:
            nl = text.find("\n", pos, end)
            if nl == -1:
                lines.append(Line(text[pos:end], pos))
                break
            lines.append(Line(text[pos:nl], pos))
            pos = nl + 1
        return lines

    for text in ["", "\n", "a", "a\n", "\na", "a\n\nb\n", "\n\n", "表1\t2\n\t3\n"]:
        for start in range(len(text) + 2):
            for end in [None, *range(len(text) + 1)]:
                assert split_lines(text, start, end) == as_written(text, start, end), (text, start, end)


def test_a_span_made_by_hand_is_the_dataclass_span():
    """records.Span has an __init__ of its own (speed only): it checks and compares, orders,
    hashes, prints and copies as the dataclass did."""
    import copy
    import pickle
    from dataclasses import fields, replace

    import pytest

    s = Span(3, 7)
    assert (s.start, s.end) == (3, 7) and s == Span(start=3, end=7) and hash(s) == hash(Span(3, 7))
    assert sorted([Span(4, 5), Span(3, 9), Span(3, 4)]) == [Span(3, 4), Span(3, 9), Span(4, 5)]
    assert repr(s) == "Span(start=3, end=7)" and [f.name for f in fields(Span)] == ["start", "end"]
    assert replace(s, end=9) == Span(3, 9) and pickle.loads(pickle.dumps(s)) == s == copy.deepcopy(s)
    for bad in [(-1, 2), (5, 4)]:
        with pytest.raises(ValueError):
            Span(*bad)
    with pytest.raises(AttributeError):
        s.start = 1  # still frozen
