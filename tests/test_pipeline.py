"""Batches: bad files do not stop the batch, reruns add no rows, a crash loses nothing."""
from __future__ import annotations

import json
import shutil

import pytest
import sqlite_utils

from extractor import pipeline
from extractor.pipeline import AuditOptions, audit, expand_inputs
from extractor.store import Store
from conftest import SEEDS

TABLES = ["documents", "runs", "run_documents", "analyses", "figures", "findings"]


def counts(db_file) -> dict:
    db = sqlite_utils.Database(db_file)
    return {t: db[t].count for t in TABLES}


@pytest.fixture
def batch(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    for p in SEEDS:
        shutil.copy(p, folder / p.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "notes.bin").write_bytes(b"ignored: not a report suffix")
    return folder


def run(patterns, db_file):
    return list(audit([str(p) for p in patterns], Store(db_file), AuditOptions()))


def test_bad_files_get_one_line_errors_and_the_batch_goes_on(batch, db_path):
    results = run([batch], db_path)
    by_name = {r.source.rsplit("/", 1)[-1]: r for r in results}
    assert set(by_name) == {p.name for p in SEEDS} | {"empty.txt", "binary.txt"}
    for name in ("empty.txt", "binary.txt"):
        err = by_name[name].error
        assert err and "\n" not in err and name in err
    assert sum(r.count("error") for r in results) == 8
    assert counts(db_path)["run_documents"] == 6


def test_rerun_adds_no_rows_and_reuses_findings(batch, db_path):
    first = run([batch], db_path)
    before = counts(db_path)
    second = run([batch], db_path)
    assert counts(db_path) == before
    assert all(r.reused for r in second if r.error is None)
    assert [r.findings for r in first] == [r.findings for r in second]


def test_crash_mid_batch_loses_nothing_and_rerun_completes(batch, db_path, monkeypatch):
    real = pipeline.audit_one
    calls = {"n": 0}

    def crash_on_third(path, store, options, *rest):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt  # the process dies here
        return real(path, store, options, *rest)

    monkeypatch.setattr(pipeline, "audit_one", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        run([batch], db_path)
    assert counts(db_path)["analyses"] == 2  # the two finished documents are committed
    monkeypatch.setattr(pipeline, "audit_one", real)
    results = run([batch], db_path)
    assert sum(r.reused for r in results) == 2
    assert counts(db_path)["analyses"] == 4
    fresh = tmp_db_counts(batch, db_path.parent / "fresh.db")
    assert {t: counts(db_path)[t] for t in ("documents", "figures", "findings")} == fresh


def tmp_db_counts(batch, db_file):
    run([batch], db_file)
    c = counts(db_file)
    return {t: c[t] for t in ("documents", "figures", "findings")}


def test_expand_inputs_files_folders_globs_and_missing(batch):
    got = expand_inputs([str(batch / "001_*.txt"), str(batch), str(batch / "nope*.pdf")])
    paths = [p for p, _ in got]
    assert paths[0].endswith("001_dcdae65a502864fc.txt") and len(set(paths)) == len(paths)
    assert not any(p.endswith("notes.bin") for p in paths)
    assert got[-1][1] is not None and got[-1][0].endswith("nope*.pdf")


def test_stored_findings_match_json_and_quotes(batch, db_path):
    results = run([batch / SEEDS[3].name], db_path)
    db = sqlite_utils.Database(db_path)
    rows = list(db["findings"].rows)
    assert len(rows) == len(results[0].findings) > 0
    text = db["documents"].get(results[0].sha256)["text"]
    for row in rows:
        for e in json.loads(row["evidence"]):
            assert text[e["start"] : e["end"]] == e["quote"]
    figures = list(db["figures"].rows_where("canonical = ?", ["基本支出"]))
    assert figures and figures[0]["value"] == "891.48"


def test_a_document_is_written_in_one_transaction(batch, db_path, monkeypatch):
    """If the last write of a document fails, none of its rows stay behind."""
    store = Store(db_path)
    real_upsert = type(store.db["analyses"]).upsert

    def failing_upsert(table, *args, **kwargs):
        if table.name == "analyses":
            raise RuntimeError("disk full")
        return real_upsert(table, *args, **kwargs)

    monkeypatch.setattr(type(store.db["analyses"]), "upsert", failing_upsert)
    results = list(audit([str(batch / SEEDS[3].name)], store, AuditOptions()))
    assert results[0].error and "disk full" in results[0].error
    monkeypatch.undo()
    c = counts(db_path)
    assert (c["documents"], c["figures"], c["findings"], c["analyses"]) == (0, 0, 0, 0)
