"""Batches: bad files do not stop the batch, reruns add no rows, a crash loses nothing."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
import sqlite_utils

from extractor import pipeline
from extractor.pipeline import AuditOptions, audit, expand_inputs
from extractor.errors import StoreError
from extractor.store import Store
from conftest import ROOT, SEEDS

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


def test_a_failed_group_write_leaves_no_row_of_it_and_says_which_database(batch, db_path):
    """The group's transaction fails at its last statement: none of its rows stay behind, and
    the batch stops with one line naming the database and what to do."""
    store = Store(db_path)
    store.db.execute("create trigger full_disk before insert on run_documents begin select raise(abort, 'disk full'); end")
    with pytest.raises(StoreError) as caught:
        list(audit([str(p) for p in SEEDS], store, AuditOptions()))
    message = str(caught.value)
    assert "disk full" in message and str(db_path) in message and "再次运行" in message and "\n" not in message
    c = counts(db_path)
    assert (c["documents"], c["figures"], c["findings"], c["analyses"], c["run_documents"]) == (0, 0, 0, 0, 0)


def test_documents_are_written_a_group_per_transaction(batch, db_path):
    """Four documents: the run's start, one group, the run's end — not two commits per document."""
    store = Store(db_path)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    results = list(audit([str(p) for p in SEEDS], store, AuditOptions()))
    assert len(results) == 4 and all(r.error is None for r in results)
    assert sum(s.strip().upper() == "COMMIT" for s in statements) == 3
    assert counts(db_path)["analyses"] == 4 and counts(db_path)["run_documents"] == 4


KILLED_ON_FOURTH = """
import os, sys
from extractor import pipeline, store
store.GROUP_DOCUMENTS, store.GROUP_SECONDS = 2, 3600.0
real, calls = pipeline.audit_one, []
def killed_on_fourth(*args):
    calls.append(args[0])
    if len(calls) == 4:
        os._exit(9)  # killed: no finally, no flush
    return real(*args)
pipeline.audit_one = killed_on_fourth
list(pipeline.audit(sys.argv[1:-1], store.Store(sys.argv[-1]), pipeline.AuditOptions()))
"""


def test_a_killed_process_loses_at_most_the_open_group_and_a_rerun_completes_it(batch, db_path):
    paths = [str(batch / p.name) for p in SEEDS]
    killed = subprocess.run([sys.executable, "-c", KILLED_ON_FOURTH, *paths, str(db_path)], cwd=ROOT, timeout=120)
    assert killed.returncode == 9
    # groups of two: documents 1-2 were committed, document 3 waited in the open group
    assert counts(db_path)["analyses"] == 2
    results = run(paths, db_path)
    assert [r.reused for r in results] == [True, True, False, False]
    fresh = tmp_db_counts(batch, db_path.parent / "fresh.db")
    assert {t: counts(db_path)[t] for t in ("documents", "figures", "findings")} == fresh
