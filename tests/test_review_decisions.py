"""Review decisions: the append-only reviews table, lookups by fingerprint (prefix), the
`jixiao review` command, and decisions reappearing in `jixiao audit` output on a rerun,
also after a code change that re-analyses every document."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

import extractor.pipeline as pipeline
from conftest import SEED_DIR, invoke
from extractor.records import Finding, Severity
from extractor.review.decisions import ReviewError, decision_history, latest_decisions, record_decision, resolve_fingerprint
from extractor.store import Store

SEEDS = str(SEED_DIR)


def fingerprint_of(db_path, check: str, source_prefix: str) -> str:
    db = sqlite_utils.Database(db_path)
    return db.execute(
        "select f.fingerprint from findings f join documents d on d.sha256 = f.sha256"
        " where f.check_id = ? and d.first_path like ? limit 1",
        [check, f"%/{source_prefix}%"],
    ).fetchone()[0]


def test_decisions_keep_their_history_and_the_latest_is_in_force(audited):
    db = sqlite_utils.Database(audited)
    fp = fingerprint_of(audited, "score.sum", "003")
    record_decision(db, fp, "confirmed", "总分算错", reviewer="张三")
    latest = record_decision(db, fp, "dismissed", "  ", reviewer="李四")
    assert latest["decision"] == "dismissed" and latest["note"] is None and latest["reviewer"] == "李四"
    history = decision_history(db, fp)
    assert [(h["decision"], h["reviewer"], h["note"]) for h in history] == [("confirmed", "张三", "总分算错"), ("dismissed", "李四", None)]
    assert latest_decisions(db)[fp]["decision"] == "dismissed"
    row = db.execute("select sha256, check_id from reviews order by id desc limit 1").fetchone()
    assert row[1] == "score.sum" and len(row[0]) == 64


def test_bad_decisions_are_refused(audited):
    db = sqlite_utils.Database(audited)
    fp = fingerprint_of(audited, "score.sum", "003")
    with pytest.raises(ReviewError):
        record_decision(db, fp, "maybe")
    with pytest.raises(ReviewError):
        record_decision(db, "0" * 16, "confirmed")
    with pytest.raises(Exception):  # the table itself refuses what the code would not write
        db.execute("insert into reviews (fingerprint, decision, decided_at) values ('x', 'maybe', 'now')")
    assert db["reviews"].count == 0


def test_fingerprint_prefixes_resolve_only_when_unique(audited):
    db = sqlite_utils.Database(audited)
    fp = fingerprint_of(audited, "score.sum", "003")
    assert resolve_fingerprint(db, fp[:8].upper()) == fp
    with pytest.raises(ReviewError, match="没有"):
        resolve_fingerprint(db, "ffffffffffff0000")
    with pytest.raises(ReviewError, match="不是"):
        resolve_fingerprint(db, "xyz")


def test_review_command_records_and_reports_one_line_errors(audited):
    fp = fingerprint_of(audited, "score.sum", "003")
    out = invoke("review", fp[:10], "--confirm", "--note", "已核对原表", "--reviewer", "王五", "--db", audited)
    assert out.exit_code == 0 and "已确认" in out.output and fp in out.output and "003_" in out.output
    shown = invoke("review", fp[:10], "--db", audited).output
    assert "已确认" in shown and "王五" in shown and "已核对原表" in shown
    unknown = invoke("review", "abcdef0123", "--dismiss", "--db", audited)
    assert unknown.exit_code == 1 and unknown.output.count("\n") == 1 and "没有" in unknown.output
    missing = invoke("review", fp, "--confirm", "--db", audited.parent / "nope.db")
    assert missing.exit_code == 1 and "数据库不存在" in missing.output
    assert not (audited.parent / "nope.db").exists()  # never creates an empty database by accident


def test_ambiguous_prefix_is_one_line_error(audited):
    db = sqlite_utils.Database(audited)
    fp = fingerprint_of(audited, "score.sum", "003")
    # a second finding sharing the first 6 hex digits makes that prefix ambiguous
    row = dict(next(db["findings"].rows_where("fingerprint = ?", [fp])))
    db["findings"].insert(dict(row, id="twin", fingerprint=fp[:6] + "0" * 10))
    out = invoke("review", fp[:6], "--confirm", "--db", audited)
    assert out.exit_code == 1 and "多条" in out.output and out.output.count("\n") == 1
    assert invoke("review", fp[:12], "--confirm", "--db", audited).exit_code == 0


def test_attach_reviews_marks_decided_findings_only(audited):
    store = Store(audited)
    fp = fingerprint_of(audited, "score.sum", "003")
    record_decision(store.db, fp, "confirmed")
    findings = [Finding("score.sum", Severity.ERROR, "", None, None, None, [], fingerprint=fp),
                Finding("score.sum", Severity.ERROR, "", None, None, None, [], fingerprint="nothing")]
    store.attach_reviews(findings)
    assert findings[0].review["decision"] == "confirmed" and findings[0].status == "confirmed"
    assert findings[1].review is None and findings[1].status == "unreviewed"


def test_rerun_shows_the_decision_in_the_table_and_the_json(audited, tmp_path):
    fp = fingerprint_of(audited, "score.sum", "003")
    dismissed = fingerprint_of(audited, "score.sum", "004")
    invoke("review", fp, "--confirm", "--note", "自评得分与明细不符", "--db", audited)
    invoke("review", dismissed, "--dismiss", "--db", audited)
    out_json = tmp_path / "rerun.json"
    result = invoke("audit", SEEDS, "--db", audited, "--json", out_json)
    assert "已确认" in result.output and "已排除" in result.output
    findings = {f["fingerprint"]: f for r in json.loads(out_json.read_text(encoding="utf-8"))["reports"] for f in r["findings"]}
    assert findings[fp]["review"]["decision"] == "confirmed" and findings[fp]["review"]["note"] == "自评得分与明细不符"
    assert findings[dismissed]["review"]["decision"] == "dismissed"
    assert sum(f["review"] is None for f in findings.values()) == len(findings) - 2


def test_dismissed_findings_do_not_fail_the_batch(audited, tmp_path):
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "003.txt").write_bytes(next(Path(SEEDS).glob("003_*.txt")).read_bytes())
    assert invoke("audit", folder, "--db", audited, "--fail-on", "error").exit_code == 1
    invoke("review", fingerprint_of(audited, "score.sum", "003"), "--dismiss", "--db", audited)
    assert invoke("audit", folder, "--db", audited, "--fail-on", "error").exit_code == 0


def test_decision_survives_a_code_change_that_reanalyses(audited, tmp_path, monkeypatch):
    db = sqlite_utils.Database(audited)
    fp = fingerprint_of(audited, "score.sum", "003")
    invoke("review", fp, "--dismiss", "--db", audited)
    before = {r[0] for r in db.execute("select id from analyses")}
    monkeypatch.setattr(pipeline, "code_version", lambda: "9.9.9+changed")
    out_json = tmp_path / "changed.json"
    invoke("audit", SEEDS, "--db", audited, "--json", out_json)
    after = {r[0] for r in db.execute("select id from analyses")}
    assert len(after - before) == 4  # every document analysed again, under new analysis ids
    reports = json.loads(out_json.read_text(encoding="utf-8"))["reports"]
    finding = next(f for r in reports for f in r["findings"] if f["fingerprint"] == fp)
    assert finding["review"]["decision"] == "dismissed"


def test_no_store_keeps_the_json_shape(tmp_path):
    out_json = tmp_path / "plain.json"
    invoke("audit", SEEDS, "--no-store", "--json", out_json)
    findings = [f for r in json.loads(out_json.read_text(encoding="utf-8"))["reports"] for f in r["findings"]]
    assert findings and all("review" in f and f["review"] is None for f in findings)
