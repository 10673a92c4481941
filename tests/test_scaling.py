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


def calls_in(work) -> tuple[int, object]:
    """How many Python calls `work()` makes, and what it returns."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        count += event == "call"

    sys.setprofile(profile)
    try:
        result = work()
    finally:
        sys.setprofile(None)
    return count, result


def calls_to_audit(text: str) -> int:
    doc = doc_from_text(text, "bundle.txt")
    count, (findings, _problems) = calls_in(lambda: run_checks(doc, extract(doc)))
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


def test_no_line_is_made_inside_a_table_read_already(monkeypatch):
    """segment.find_text_grids makes no Line for a line that begins inside a span it skips (a
    standard table fiscal_tables read: most of a 决算), and keeps the same lines as filtering."""
    import extractor.segment as seg

    text = "说明一段。\n" + "".join(f"\t支出{i}\n\t{i}.00\n\n" for i in range(40)) + "说明又一段。\n\t甲\t乙\n"
    table = Span(6, text.index("说明又一段"))
    # (several spans, touching or not, starting mid-line or on a line's first character, one past the text)
    lines_at = [ln.start for ln in seg.split_lines(text)]
    several = [[Span(a, a + w) for a in lines_at[first::step]] for first in (0, 1, 2) for step in (2, 3, 7) for w in (1, 5, 11)]
    for spans in ([], [table], [table, Span(0, 2)], [Span(3, 3)], [Span(0, 6), Span(6, 9)], [Span(len(text) - 1, len(text) + 5)], *several):
        skip = SpanSet(spans)
        assert seg.split_lines(text, skip=skip) == [ln for ln in seg.split_lines(text) if not skip.covers(ln.start)], spans
    made = []

    class Counted(seg.Line):
        def __init__(self, text: str, start: int) -> None:
            made.append(start)
            super().__init__(text, start)

    monkeypatch.setattr(seg, "Line", Counted)
    seg.find_text_grids(doc_from_text(text, "t.txt"), [table])
    assert made and not [at for at in made if table.start <= at < table.end]


def test_split_lines_asks_no_span_set_per_line(monkeypatch):
    """segment.split_lines walks the skipped spans along with the lines (speed only): a 决算 of
    a thousand lines, most inside its tables, asks SpanSet.covers not once, not once per line."""
    import extractor.segment as seg

    text = "".join(f"\t支出{i}\n\t{i}.00\n\n" if i % 50 else "说明一段。\n" for i in range(400))
    skip = SpanSet([Span(i * 7, i * 7 + 30) for i in range(0, len(text) // 7, 9)])
    asked = []
    monkeypatch.setattr(SpanSet, "covers", lambda self, offset: asked.append(offset) or False)
    lines = seg.split_lines(text, skip=skip)
    assert asked == [] and 0 < len(lines) < text.count("\n")


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


def test_an_interval_or_verdict_made_by_hand_is_the_dataclass():
    """tolerance.Interval and Verdict have an __init__ of their own (speed only): they compare,
    hash, print, copy and stay frozen as the dataclasses did."""
    import copy
    import pickle
    from dataclasses import FrozenInstanceError, astuple, fields, replace
    from decimal import Decimal

    import pytest

    from extractor.tolerance import Interval, Verdict

    i = Interval(Decimal("1.5"), Decimal("2.50"))
    assert (i.lo, i.hi) == (Decimal("1.5"), Decimal("2.50")) and i == Interval(lo=Decimal("1.50"), hi=Decimal("2.5"))
    assert hash(i) == hash(Interval(Decimal("1.5"), Decimal("2.5"))) and i != Interval(Decimal(1), Decimal("2.5"))
    assert repr(i) == "Interval(lo=Decimal('1.5'), hi=Decimal('2.50'))" and [f.name for f in fields(Interval)] == ["lo", "hi"]
    assert replace(i, hi=Decimal(3)) == Interval(Decimal("1.5"), Decimal(3)) and pickle.loads(pickle.dumps(i)) == i == copy.deepcopy(i)
    v = Verdict("rounding", Decimal("0.01"), Decimal("0.005"))
    assert astuple(v) == ("rounding", Decimal("0.01"), Decimal("0.005")) and v == Verdict(status="rounding", gap=Decimal("0.01"), tolerance=Decimal("0.005"))
    assert repr(v) == "Verdict(status='rounding', gap=Decimal('0.01'), tolerance=Decimal('0.005'))" and pickle.loads(pickle.dumps(v)) == v
    for frozen, name in ((i, "lo"), (v, "status")):
        with pytest.raises(FrozenInstanceError):
            setattr(frozen, name, None)


# -- the checks alone, on many statements of one kind -----------------------------------------

def lines_in_checks(text: str) -> tuple[list, int]:
    """The checks' findings on a text and the Python lines they executed (a loop's every turn
    counts, a comprehension's too: a scan of every figure inside one shows, as calls would not)."""
    doc = doc_from_text(text, "many.txt")
    extraction = extract(doc)
    lines = 0

    def trace(frame, event, arg):
        nonlocal lines
        lines += event == "line"
        return trace

    before = sys.gettrace()  # a coverage run's tracer, put back after
    sys.settrace(trace)
    try:
        findings, problems = run_checks(doc, extraction)
    finally:
        sys.settrace(before)
    assert problems == []
    return findings, lines


def sangong_units(units: int) -> str:
    """A city's 三公 note with a paragraph per unit: each states the same items with its own
    amounts, so every item's statements pair up across units (xref.conflict)."""
    out = ["某市各单位2023年度“三公”经费支出情况说明\n"]
    for i in range(units):
        cut = 1 + i % 5
        out.append(f"（{i + 1}）第{i + 1}单位：2023年度“三公”经费支出{21 + i % 17 + cut}.{i % 10}0万元，比上年减少{cut}.00万元，"
                   f"下降{cut * 3}.{i % 7}0%。其中：公务接待费{20 + i % 17}.{i % 9}0万元，比上年减少{cut}.50万元，下降{cut + 4}.{i % 3}0%；"
                   f"公务用车运行维护费{cut}.{i % 10}0万元，比上年增加0.{i % 8}0万元，增长{i % 6 + 1}.00%。\n")
    return "".join(out)


def spending_shares(items: int) -> str:
    """A 决算 note stating its 本年支出合计 once and the share of it of many 项 (every tenth
    share wrong by one point): each share's whole is found among the figures."""
    names = [f"{a}{b}{c}事务" for a in "东南西北春夏秋冬山水林田湖草金木火土" for b in "农水交科文卫环城商旅" for c in "甲乙丙"]
    out = ["某局2023年度部门决算情况说明\n一、收入支出决算总体情况\n", f"2023年度本年支出合计{100 * items}.00万元。\n二、支出决算情况\n"]
    for i in range(items):
        amount = i % 90 + 5
        out.append(f"{names[i]}支出（项）{amount}.00万元，占本年支出合计的{amount / items + (i % 10 == 0):.2f}%。\n")
    return "".join(out)


def test_checks_of_change_sentences_grow_with_the_sentences():
    """Pairs of one item's statements are judged from per-document maps: a check that looks
    each pair's figures up among all the figures (c927d18) costs 6× for 4× the units."""
    (few, small), (many, large) = lines_in_checks(sangong_units(50)), lines_in_checks(sangong_units(200))
    conflicts = [f for f in many if f.check == "xref.conflict"]
    assert len(conflicts) > 500 and sum(f.check == "xref.conflict" for f in few) > 100  # the pairs are there
    assert large / small < 4.4, (small, large)


def test_checks_of_share_statements_grow_with_the_statements():
    """A share's whole is looked up in a per-document index: scanning every figure for each
    share statement (5c4c2f0) costs 14× for 4× the statements."""
    (few, small), (many, large) = lines_in_checks(spending_shares(50)), lines_in_checks(spending_shares(200))
    assert sum(f.check == "rate.share" for f in few) == 5 and sum(f.check == "rate.share" for f in many) == 20
    assert large / small < 4.4, (small, large)


def test_a_heading_text_is_read_once_however_often_it_stands():
    """narrative reads what a heading sets (subjects.heading_subject) once per heading text: in four
    copies of the seed reports the same headings stand four times, and are read once."""
    from extractor import narrative, subjects
    from extractor.extract import read_layout
    from extractor.text import paragraphs

    narrative._heading_subject.cache_clear()
    doc = doc_from_text(bundle(4 * len(SEEDS)), "bundle.txt")
    headings = [p.text for p in paragraphs(doc, read_layout(doc).segments.narrative) if p.heading is not None]
    runs = 0

    def profile(frame, event, arg):
        nonlocal runs
        runs += event == "call" and frame.f_code is subjects.heading_subject.__code__

    sys.setprofile(profile)
    try:
        extract(doc)
    finally:
        sys.setprofile(None)
    assert 0 < runs and runs * 3 < len(headings), (runs, len(headings), len(set(headings)))


def change_section(sentences: int) -> str:
    """One 三公 whole's change, then many changes of its items in the same section."""
    lines = ["三公经费决算情况说明", "2024年三公经费支出合计12.5万元，比上年减少1.5万元。"]
    lines += [f"公务接待费支出{i % 7 + 1}.{i % 10}万元，比上年减少0.{i % 9 + 1}万元。" for i in range(sentences)]
    return "\n".join(lines) + "\n"


def calls_to_extract(text: str) -> int:
    doc = doc_from_text(text, "changes.txt")
    return calls_in(lambda: extract(doc))[0]


def test_a_whole_change_is_not_paired_with_every_later_change_again_per_paragraph():
    """narrative._change_sums offers each change to the section's open wholes once; rescanning
    every change after each whole for each new paragraph made a section's cost quadratic."""
    small, large = calls_to_extract(change_section(100)), calls_to_extract(change_section(400))
    assert large / small < 4.4, (small, large)
