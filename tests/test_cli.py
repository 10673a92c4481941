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


def test_the_table_shows_the_top_findings_and_counts_the_rest():
    seeds = str(ROOT / "eval_sets" / "seeds")
    full = invoke("audit", seeds, "--no-store", "--top", "0").output
    shown = full.count("  错误  ") + full.count("  警示  ")
    assert shown == 13 and "及另外" not in full  # 10 on the scored reports, 3 blank targets in 002
    cut = invoke("audit", seeds, "--no-store", "--top", "3").output
    assert cut.count("  错误  ") + cut.count("  警示  ") == 3
    assert "…及另外 10 条，见 --json / jixiao show" in cut
    assert "错误 8 条，警示 5 条" in cut  # the summary still counts every finding


def test_quiet_and_json_on_stdout_render_no_table(tmp_path):
    from click.testing import CliRunner

    from cli import main

    seeds = str(ROOT / "eval_sets" / "seeds")
    quiet = invoke("audit", seeds, "--no-store", "--quiet").output
    assert "审核结果" not in quiet and "score.sum" not in quiet and "共 4 份" in quiet
    piped = CliRunner().invoke(main, ["audit", seeds, "--no-store", "--json", "-"])
    assert piped.exit_code == 0
    assert "审核结果" not in piped.stderr and "score.sum" not in piped.stderr and "共 4 份" in piped.stderr
    assert json.loads(piped.stdout)["summary"]["errors"] == 8


HEAVY = ("rich", "flask", "jinja2", "sqlite_utils", "openai", "instructor", "pypdf", "docx", "openpyxl", "bs4",
         "extractor.pipeline", "extractor.checks", "extractor.store", "extractor.review.data")


def test_help_imports_no_command_s_machinery():
    """`jixiao --help` (and any command's help) loads click and the command table only."""
    import subprocess
    import sys

    code = ("import sys; sys.argv = ['jixiao'] + sys.argv[1:]; from cli import main\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)")
    for args in (["--help"], ["audit", "--help"], ["review", "--help"]):
        run = subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert run.returncode == 0 and "用法" in run.stdout
        assert run.stderr.strip().splitlines()[-1] == "[]", (args, run.stderr)


def test_a_batch_runs_with_fewer_garbage_collections_and_restores_them(monkeypatch):
    import gc

    from cli import BATCH_GC_THRESHOLD
    from extractor import pipeline

    real, during = pipeline.audit_one, []

    def watched(*args):
        during.append(gc.get_threshold()[0])
        return real(*args)

    monkeypatch.setattr(pipeline, "audit_one", watched)
    before = gc.get_threshold()
    assert invoke("audit", ROOT / "eval_sets" / "seeds", "--no-store", "--quiet").exit_code == 0
    assert during == [BATCH_GC_THRESHOLD] * 4 and gc.get_threshold() == before
