"""One Finding (issue 13): the checks build it, the store writes it and reads it back, and the
JSON, the terminal, the review pages and the export render that one type; severity and
origin are enums whose values are the strings the JSON and the database keep. `audit` and
`eval` take a document from its extraction to its findings through one function."""
from __future__ import annotations

import json
from decimal import Decimal

import sqlite_utils

from conftest import SEED_DIR, SEEDS
from extractor import pipeline
from extractor.evaluate import EvalOptions, load_set, run_cases
from extractor.pipeline import AuditOptions, audit
from extractor.records import Evidence, Finding, Origin, Severity, Span
from extractor.store import Store


def test_a_stored_finding_reads_back_as_the_same_finding(db_path):
    fresh = list(audit([str(p) for p in SEEDS], Store(db_path), AuditOptions()))
    again = list(audit([str(p) for p in SEEDS], Store(db_path), AuditOptions()))
    assert all(r.reused for r in again) and sum(len(r.findings) for r in fresh) == 13  # 10 on the scored reports, 3 blank targets in 002
    for first, second in zip(fresh, again):
        assert [f.to_json() for f in first.findings] == [f.to_json() for f in second.findings]
        assert first.findings == second.findings  # Decimals, evidence, roles and table cells alike
    rows = list(sqlite_utils.Database(db_path).query("select * from findings"))
    back = [Finding.from_row(r) for r in rows]
    assert {f.fingerprint for f in back} == {f.fingerprint for r in fresh for f in r.findings}
    assert all(isinstance(f.severity, Severity) and isinstance(f.stated, (Decimal, type(None))) for f in back)


def test_the_json_keeps_strings_and_numbers_as_before():
    f = Finding("score.sum", "error", "总分不符", Decimal("97.36"), Decimal("100"), Decimal("0.005"),
                [Evidence(Span(3, 9), "自评得分", None, "stated")], "分", fingerprint="abc")
    assert f.severity is Severity.ERROR and f.severity.rank == 0 and f.severity.zh == "错误"
    out = f.to_json()
    assert json.loads(json.dumps(out, ensure_ascii=False)) == {
        "check": "score.sum", "severity": "error", "message": "总分不符", "stated": 97.36, "computed": 100,
        "evidence": [{"quote": "自评得分", "start": 3, "end": 9, "page": None}], "unit": "分",
        "difference": -2.64, "tolerance": 0.005, "fingerprint": "abc", "review": None,
    }
    assert f.status == "unreviewed"
    f.review = {"decision": "dismissed", "note": None, "reviewer": "x", "decided_at": "2025-01-01T00:00:00+08:00"}
    assert f.status == "dismissed"


def test_the_severity_order_is_defined_once():
    """vocab.SEVERITY_ORDER is the order; the enum, the command's choices, the review index's
    sort and the store's ORDER BY follow it."""
    import cli
    from extractor.review.data import SEVERITIES, ReportSummary
    from extractor.store import BY_SEVERITY
    from extractor.vocab import SEVERITY_ORDER

    worst_first = sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.get)
    assert [s.value for s in Severity] == worst_first == list(SEVERITIES) == cli.SEVERITIES
    assert [s.rank for s in Severity] == [SEVERITY_ORDER[s] for s in worst_first]
    assert cli.FAIL_ON == worst_first[:-1]
    assert all(f"when '{s}' then {r}" in BY_SEVERITY for s, r in SEVERITY_ORDER.items())
    a, b = ReportSummary("a", "a.txt", "x"), ReportSummary("b", "b.txt", "y")
    a.severities.update({"warning": 5}), b.severities.update({"error": 1})
    assert sorted([a, b], key=lambda s: s.sort_key)[0] is b  # one error outranks any number of warnings


def test_figure_origins_are_stored_as_their_strings(db_path):
    list(audit([str(p) for p in SEEDS], Store(db_path), AuditOptions()))
    sources = {r[0] for r in sqlite_utils.Database(db_path).execute("select distinct source from figures")}
    assert sources and sources <= {o.value for o in Origin}
    assert Origin.TABLE == "table" and Origin("llm") is Origin.LLM


def test_audit_and_eval_analyse_documents_through_one_function(monkeypatch):
    seen: list[str] = []
    real = pipeline.run_checks

    def spy(doc, ext, only=None):
        seen.append(doc.sha256)
        return real(doc, ext, only)

    monkeypatch.setattr(pipeline, "run_checks", spy)
    list(audit([str(SEED_DIR)], None, AuditOptions()))
    audited, seen[:] = list(seen), []
    run_cases(load_set(SEED_DIR), EvalOptions())
    assert len(audited) == 4 and sorted(seen) == sorted(audited)
