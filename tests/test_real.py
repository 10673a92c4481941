"""The real published 预算/决算 PDFs of ../shared/real against our gold (eval_sets/real): every
labelled contradiction found, nothing reported outside the labels, every document read. The
PDFs are not in the repository: the tests skip where ../shared is missing."""
from __future__ import annotations

import json

import pytest
from conftest import ROOT

from extractor.evaluate import SetUnavailable, load_set, run_cases, EvalOptions

MANIFEST = ROOT / "eval_sets" / "real" / "manifest.json"


@pytest.fixture(scope="module")
def results():
    try:
        cases = load_set(MANIFEST.parent)
    except SetUnavailable as exc:
        pytest.skip(str(exc))
    return {r.case: r for r in run_cases(cases, EvalOptions())}


def test_every_real_document_is_read_without_problems(results):
    assert len(results) == len(json.loads(MANIFEST.read_text("utf-8"))["docs"])
    assert [r.case for r in results.values() if r.error] == []


def test_every_labelled_contradiction_is_found(results):
    assert {name: [m["label"] for m in r.fn] for name, r in results.items() if r.fn} == {}


def test_no_finding_outside_the_labels(results):
    assert {name: [m["message"] for m in r.fp] for name, r in results.items() if r.fp} == {}


def test_clean_documents_stay_clean(results):
    # R06 is labelled only for its 地上建筑面积 breakdown; R07, R08 and R11 are clean
    for name in ("R07.pdf", "R08.pdf", "R11.pdf"):
        assert results[name].tp == [] and results[name].fp == []


def test_figures_know_what_they_are_about(results):
    gold = sum(r.figures_gold for r in results.values())
    right = sum(r.figures_matched for r in results.values())
    wrong = sum(len(r.figures_extra) for r in results.values())
    assert right / gold >= 0.95 and right / (right + wrong) >= 0.95
