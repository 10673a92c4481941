"""The jixiao command: help, audit with JSON and exit codes, show."""
from __future__ import annotations

import json


from conftest import SEEDS, ROOT, invoke


def test_help_is_complete():
    out = invoke("--help").output
    assert "audit" in out and "show" in out
    audit_help = invoke("audit", "--help").output
    for option in ("--db", "--json", "--fail-on", "--min-severity"):
        assert option in audit_help


def test_audit_writes_the_stable_json_shape(tmp_path):
    out_json = tmp_path / "out.json"
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    result = invoke("audit", str(ROOT / "eval_sets" / "seeds"), str(bad), "--db", str(tmp_path / "a.db"), "--json", str(out_json))
    assert result.exit_code == 0, result.output
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(data["reports"]) == 5
    failed = [r for r in data["reports"] if "error" in r]
    assert len(failed) == 1 and failed[0]["source"] == str(bad) and "findings" not in failed[0]
    report = next(r for r in data["reports"] if r["source"].endswith("003_29d121b4221180d5.txt"))
    finding = next(f for f in report["findings"] if f["check"] == "score.sum")
    assert finding["severity"] == "error" and finding["stated"] == 97.36 and finding["computed"] == 100
    assert set(finding["evidence"][0]) == {"quote", "start", "end", "page"}
    report1 = next(r for r in data["reports"] if r["source"].endswith("001_dcdae65a502864fc.txt"))
    rate = next(f for f in report1["findings"] if f["check"] == "rate.execution")
    assert rate["stated"] == 100 and rate["computed"] == 111.57  # percentages as 95, not 0.95


def test_fail_on_sets_the_exit_code(tmp_path):
    seeds = str(ROOT / "eval_sets" / "seeds")
    assert invoke("audit", seeds, "--no-store", "--fail-on", "error").exit_code == 1
    no_errors = str(next(p for p in SEEDS if p.name.startswith("002")))  # three blank targets: warnings only
    assert invoke("audit", no_errors, "--no-store", "--fail-on", "error").exit_code == 0
    assert invoke("audit", no_errors, "--no-store", "--fail-on", "warning").exit_code == 1


def test_show_prints_evidence_in_context(tmp_path):
    db = str(tmp_path / "a.db")
    path = str(next(p for p in SEEDS if p.name.startswith("004")))
    invoke("audit", path, "--db", db)
    out = invoke("show", path, "--db", db).output
    assert "score.sum" in out and "总分" in out and "sum.total_basic_project" in out
    assert invoke("show", "nonexistent", "--db", db).exit_code != 0
    import sqlite_utils

    fp = next(sqlite_utils.Database(db)["findings"].rows_where("check_id = ?", ["score.sum"]))["fingerprint"]
    one = invoke("show", fp[:8], "--db", db).output
    assert "score.sum" in one and "sum.total_basic_project" not in one
