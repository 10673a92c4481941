"""The four real reports: the known contradictions are found, and nothing else is an error."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.checks import run_checks
from extractor.extract import extract
from extractor.ingest import read_document
from conftest import SEEDS

D = Decimal


def audit(name: str):
    path = next(p for p in SEEDS if p.name.startswith(name))
    doc = read_document(path)
    findings, problems = run_checks(doc, extract(doc))
    assert problems == []
    for f in findings:  # every piece of evidence quotes the text at its offsets
        for e in f.evidence:
            assert doc.text[e.span.start : e.span.end] == e.quote
    return findings


def errors(findings):
    return sorted((f.check, f.stated, f.computed) for f in findings if f.severity == "error")


def test_001_basic_expenditure_conflict_breakdown_and_execution_rate():
    assert errors(audit("001")) == [
        ("rate.execution", D(100), D("111.57")),
        ("sum.basic_breakdown", D("1285.95"), D("1285.77989")),
        ("xref.conflict", D("1546.46"), D("1285.95")),
    ]


def test_002_target_table_is_read_and_only_its_blank_targets_are_reported():
    doc = read_document(next(p for p in SEEDS if p.name.startswith("002")))
    (sheet,) = extract(doc).sheets  # 61 indicator rows over four duties, cells shifted by the export
    assert len(sheet.indicators) == 61 and sum(1 for r in sheet.indicators if r.target_text) == 58
    assert ("城市低保", "≥10141人次") in [(r.name, r.target_text) for r in sheet.indicators]
    found = audit("002")
    assert {f.severity for f in found} == {"warning"} and {f.check for f in found} == {"target.blank"}
    assert sorted(f.evidence[0].quote for f in found) == ["受益群体满意度", "持续发挥作用的期限", "补助资金发放准确率"]


def test_003_self_score_is_not_the_sum():
    assert errors(audit("003")) == [("score.sum", D("97.36"), D("100.00"))]


def test_004_totals_scores_and_categories():
    found = audit("004")
    assert errors(found) == [
        ("score.category_weight", D(40), D(44)),
        ("score.sum", D(95), D(99)),
        ("sum.total_basic_project", D("5617.29"), D("4512.70")),
        ("xref.narrative_table", D(40), D(44)),
    ]
    warnings = [(f.check, f.stated, f.computed) for f in found if f.severity == "warning"]
    assert ("score.category_weight", D(40), D(35)) in warnings


def test_004_yuan_and_wanyuan_statements_of_one_amount_agree():
    """56,172,895.39元 in the narrative is the table's 5,617.29万元: no cross-reference finding."""
    assert not [f for f in audit("004") if f.check.startswith("xref.") and "5617" in f.message.replace(",", "")]
    ext = extract(read_document(next(p for p in SEEDS if p.name.startswith("004"))))  # both were read
    values = {f.quantity.base_value for f in ext.figures}
    assert D("56172895.39") in values and D("56172900") in values


def test_findings_have_chinese_messages_and_evidence():
    found = [f for name in ("001", "002", "003", "004") for f in audit(name)]
    assert len([f for f in found if f.severity != "info"]) >= 9  # the labelled contradictions, at least
    for f in found:
        assert f.evidence and f.message and any("\u4e00" <= ch <= "\u9fff" for ch in f.message)
