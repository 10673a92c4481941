"""Issue 12, "Nothing lost, nothing silent": every defect listed under its "Why", as a test.

Hostile inputs run through the real command in a child process, under a 2 GB address-space cap
(so a runaway reader cannot take the machine down) with the child's peak RSS read back; the
concurrent-writers test runs two `jixiao audit` processes released by one barrier beside the
review server, and compares the database with a serial run. No test touches the network; the
model is tests/llm_server.py on 127.0.0.1.
"""
from __future__ import annotations

import io
import json
import multiprocessing
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner

import hostile
from conftest import ROOT, SEED_DIR, SEEDS, invoke
from make_fixtures import make_text, seed_copies
from test_llm_cli import env_for
from test_llm_cli import invoke as invoke_with_env

SEED_003 = SEED_DIR / "003_29d121b4221180d5.txt"  # one score.sum error
CHILD_CAP = 2 << 30  # bytes of address space for a child jixiao
HANG_GUARD = 120  # seconds: only so that a hanging reader fails the test instead of blocking it


def jixiao_child(*args, cap: int = CHILD_CAP, env: dict | None = None) -> dict:
    """`jixiao ARGS` in a child process under an address-space cap; its exit code, output and
    peak RSS (measured by a wrapper process whose only child it is)."""
    wrapper = (
        "import json, resource, subprocess, sys\n"
        "cap = int(sys.argv[1])\n"
        "def limit():\n"
        "    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))\n"
        "p = subprocess.run(sys.argv[2:], capture_output=True, text=True, preexec_fn=limit)\n"
        "rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'code': p.returncode, 'out': p.stdout, 'err': p.stderr, 'rss_mb': rss}))\n"
    )
    cmd = [sys.executable, "-c", wrapper, str(cap), sys.executable, "-c", "from cli import main; main()", *map(str, args)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=HANG_GUARD, env={**os.environ, **(env or {})})
    return json.loads(done.stdout)


def lines_naming(output: str, name: str) -> list[str]:
    return [ln for ln in output.splitlines() if name in ln]


# ---------------------------------------------------------------- 1. bounded readers

@pytest.mark.parametrize("name", list(hostile.HOSTILE))
def test_a_hostile_file_is_one_line_in_bounded_memory_and_the_batch_goes_on(tmp_path, name):
    folder = tmp_path / "batch"
    folder.mkdir()
    hostile.HOSTILE[name](folder / name)
    shutil.copy(SEED_003, folder / "good.txt")
    out = tmp_path / "out.json"
    run = jixiao_child("audit", folder, "--db", tmp_path / "a.db", "--json", out)
    output = run["out"] + run["err"]
    assert "Traceback" not in output and "MemoryError" not in output
    [line] = lines_naming(output, name)  # one line, naming the file ...
    assert re.search(r"上限 \w+=\d+|不是普通文件|嵌套过深", line), line  # ... and the limit or the reason
    assert run["rss_mb"] < 1024, f"peak RSS {run['rss_mb']:.0f} MB"
    assert run["code"] == 0  # the good report was read
    reports = {Path(r["source"]).name: r for r in json.loads(out.read_text("utf-8"))["reports"]}
    assert "error" in reports[name] and reports["good.txt"]["findings"]


def test_a_limit_can_be_raised_for_a_run(tmp_path):
    html = hostile.html_huge_spans(tmp_path / "spans.html", cells=1)  # one cell of 1000 x 1 after clipping
    assert invoke("audit", html, "--no-store", "--limit", "cells=500").exit_code == 2  # over: nothing read
    assert invoke("audit", html, "--no-store", "--limit", "cells=2000").exit_code == 0
    bad = invoke("audit", html, "--no-store", "--limit", "cels=5")
    assert bad.exit_code == 2 and "--limit" in bad.output and "cells" in bad.output


# ---------------------------------------------------------------- 2. concurrent writers

def _audit_at_barrier(barrier, args: list[str], codes) -> None:
    """A child process: wait for the others, then run `jixiao audit ARGS`."""
    from cli import main

    barrier.wait()
    try:
        main(["audit", *args, "--min-severity", "error"], standalone_mode=False)
        codes.put(0)
    except SystemExit as exc:
        codes.put(exc.code)
    except BaseException as exc:  # database is locked, …
        codes.put(repr(exc))


def _dump(db_path: Path) -> dict:
    """Everything an audit and a review write, without times and row order."""
    con = sqlite3.connect(db_path)
    out = {}
    for table, cols in {
        "documents": "sha256, format, encoding, chars, pages, text, page_starts, first_path",
        "runs": "id, code_version, options, status, documents, errors",
        "run_documents": "run_id, path, sha256, analysis_id, error",
        "analyses": "id, sha256, code_version, options_hash, figures, findings, problems, incomplete",
        "figures": "*",
        "findings": "*",
    }.items():
        out[table] = sorted(con.execute(f"select {cols} from {table}").fetchall(), key=repr)
    out["reviews"] = con.execute("select fingerprint, sha256, check_id, decision, note, reviewer from reviews order by id").fetchall()
    con.close()
    return out


def test_two_audits_and_serve_decisions_at_once_equal_a_serial_run(tmp_path):
    from werkzeug.serving import make_server

    from extractor.review.decisions import record_decision
    from extractor.review.server import create_app

    first, shared, own = (seed_copies(tmp_path / n, SEEDS, 24, n) for n in ("first", "shared", "own"))
    together, serial = tmp_path / "together.db", tmp_path / "serial.db"
    for db in (together, serial):
        assert invoke("audit", first, "--db", db, "--min-severity", "error").exit_code == 0
    fingerprints = [r[0] for r in sqlite3.connect(together).execute("select distinct fingerprint from findings order by 1")]

    ctx = multiprocessing.get_context("spawn")
    barrier, codes = ctx.Barrier(3), ctx.Queue()
    jobs = [["--db", str(together), str(shared)], ["--db", str(together), str(shared), str(own)]]
    procs = [ctx.Process(target=_audit_at_barrier, args=(barrier, job, codes)) for job in jobs]
    app = create_app(together, reviewer="并发")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PORT"] = server.server_port
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    posted = []
    try:
        for p in procs:
            p.start()
        barrier.wait()  # both audits start now; decisions are posted while they run
        url = f"http://127.0.0.1:{server.server_port}"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        while any(p.is_alive() for p in procs) or len(posted) < 20:
            fp = fingerprints[len(posted) % len(fingerprints)]
            decision = ("confirmed", "dismissed")[len(posted) % 2]
            body = json.dumps({"fingerprint": fp, "decision": decision, "note": f"第{len(posted)}次"}).encode()
            req = urllib.request.Request(url + "/api/decisions", data=body, method="POST",
                                         headers={"Content-Type": "application/json", "Origin": url})
            with opener.open(req, timeout=HANG_GUARD) as resp:
                assert resp.status == 200
            posted.append((fp, decision, f"第{len(posted)}次"))
        for p in procs:
            p.join(HANG_GUARD)
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
    assert sorted(codes.get(timeout=5) for _ in procs) == [0, 0]

    for job in jobs:  # the same work, one after the other
        assert invoke("audit", *[a.replace(str(together), str(serial)) for a in job], "--min-severity", "error").exit_code == 0
    db = sqlite_utils.Database(serial)
    for fp, decision, note in posted:
        record_decision(db, fp, decision, note, reviewer="并发")
    assert _dump(together) == _dump(serial)


# ---------------------------------------------------------------- 3. outputs that cannot destroy

@pytest.fixture
def reviewed(audited):
    fp = sqlite_utils.Database(audited).execute("select fingerprint from findings where check_id = 'score.sum' limit 1").fetchone()[0]
    assert invoke("review", fp, "--confirm", "--note", "已核实", "--db", audited).exit_code == 0
    return audited, fp


@pytest.mark.parametrize("command", [
    ["audit", SEED_003, "--json", "{db}"],
    ["audit", SEED_003, "--no-store", "--json", "{db}"],
    ["export", "--format", "json", "-o", "{db}"],
    ["export", "--format", "xlsx", "-o", "{db}"],
    ["html", "-o", "{db}"],
])
def test_an_output_that_is_the_database_is_refused(reviewed, command):
    db, fp = reviewed
    before = Path(db).read_bytes()
    result = invoke(*[str(a).replace("{db}", str(db)) for a in command], "--db", db)
    assert result.exit_code == 1 and "数据库" in result.output and "Traceback" not in result.output
    assert Path(db).read_bytes() == before
    assert sqlite_utils.Database(db)["reviews"].count == 1


def test_an_output_that_is_an_input_is_refused(tmp_path):
    report = tmp_path / "report.txt"
    shutil.copy(SEED_003, report)
    result = invoke("audit", report, "--no-store", "--json", report)
    assert result.exit_code == 1 and "正在审核的报告" in result.output
    assert report.read_bytes() == SEED_003.read_bytes()


def test_an_unwritable_json_path_is_one_line_before_the_work(tmp_path):
    result = CliRunner().invoke(__import__("cli").main, ["audit", str(SEED_003), "--no-store", "--json", str(tmp_path / "no" / "such" / "out.json")])
    assert result.exit_code == 1 and "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    [line] = [ln for ln in result.output.splitlines() if ln.strip()]
    assert "out.json" in line and "不存在" in line


def test_a_full_disk_leaves_the_previous_json_whole(tmp_path):
    """The child may not write a file past 64 KB (RLIMIT_FSIZE, as a full disk or a quota would
    stop it); the previous JSON, written without the limit, is bigger than that."""
    out = tmp_path / "out.json"
    assert invoke("audit", SEED_DIR, "--no-store", "--json", out).exit_code == 0
    before = out.read_bytes()
    assert len(before) > 64 * 1024 // 4
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({len(before) // 2}, {len(before) // 2}))\n"
        "from cli import main\n"
        "main()\n"
    )
    run = subprocess.run([sys.executable, "-c", code, "audit", str(SEED_DIR), "--no-store", "--json", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=HANG_GUARD)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert [ln for ln in run.stderr.splitlines() if "out.json" in ln][0].count("原文件未改动") == 1
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]  # no temporary file left


def test_json_dash_goes_to_standard_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(__import__("cli").main, ["audit", str(SEED_003), "--no-store", "--json", "-"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["reports"][0]["findings"][0]["check"] == "score.sum"
    assert not (tmp_path / "-").exists()


# ---------------------------------------------------------------- 4. no silence

def test_skipped_paths_are_named_and_nothing_read_is_exit_2(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    (folder / "locked").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(SEED_003, tmp_path / "elsewhere" / "r.txt")
    os.symlink(tmp_path / "elsewhere", folder / "linked")
    for name in ("old.doc", "old.xls", "old.wps"):
        (folder / name).write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    real_scandir = os.scandir

    def scandir(path="."):  # root reads any folder, so the permission error is made here
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    out = tmp_path / "out.json"
    result = invoke("audit", folder, "--no-store", "--json", out)
    assert result.exit_code == 2  # no report read
    text = result.output
    assert re.search(r"locked.*没有读取权限", text) and re.search(r"linked.*链接", text)
    for name in ("old.doc", "old.xls", "old.wps"):
        [line] = lines_naming(text, name)
        assert "请另存为 .docx/.xlsx" in line
    data = json.loads(out.read_text("utf-8"))
    assert {Path(s["path"]).name for s in data["skipped"]} == {"locked", "linked"}
    assert data["summary"]["read"] == 0 and data["summary"]["unreadable"] == 3


def test_a_batch_where_every_file_fails_exits_2_with_a_marker(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.pdf").write_bytes(b"%PDF-1.4 garbage")
    out = tmp_path / "out.json"
    result = invoke("audit", tmp_path / "a.txt", tmp_path / "b.pdf", "--no-store", "--json", out)
    assert result.exit_code == 2 and "没有读到任何报告" in result.output
    data = json.loads(out.read_text("utf-8"))
    assert all("error" in r for r in data["reports"]) and data["summary"]["read"] == 0


def test_a_glob_takes_only_report_files(tmp_path):
    shutil.copy(SEED_003, tmp_path / "003.txt")
    (tmp_path / "003.gold.yaml").write_text("findings: []\n", encoding="utf-8")
    (tmp_path / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    out = tmp_path / "out.json"
    result = invoke("audit", str(tmp_path / "*"), "--no-store", "--json", out)
    data = json.loads(out.read_text("utf-8"))
    assert [Path(r["source"]).name for r in data["reports"]] == ["003.txt"]
    assert {Path(s["path"]).name for s in data["skipped"]} == {"003.gold.yaml", "table.csv"}
    assert "2 个非报告文件" in result.output


def test_a_mixed_encoding_text_is_flagged(tmp_path):
    path = hostile.mixed_encoding_text(tmp_path / "mixed.txt")
    out = tmp_path / "out.json"
    result = invoke("audit", path, "--db", tmp_path / "a.db", "--json", out)
    [line] = lines_naming(result.output, "mixed.txt")
    assert "两种编码" in line and "第 3 行" in line
    report = json.loads(out.read_text("utf-8"))["reports"][0]
    assert report["problems"] == [line.strip()]
    text = sqlite_utils.Database(tmp_path / "a.db").execute("select text from documents").fetchone()[0]
    assert "部门整体支出1,023.89万元，其中基本支出623.89万元" in text  # the UTF-8 line reads right


# ---------------------------------------------------------------- 4. no silence: the model

REPORT = (
    "XX县民政局2023年部门整体支出绩效自评报告\n\n"
    "一、部门整体支出情况\n"
    "2023年度我局部门整体支出1,023.89万元，其中：基本支出623.89万元，项目支出400万元。\n"
    "与基本支出相比，培训费支出多了300万元。\n"
)


def llm_env(server) -> dict:
    return {**env_for(server), "JIXIAO_LLM_RETRIES": "0"}  # a failed request fails at once


@pytest.fixture
def report(tmp_path):
    return make_text(tmp_path / "report.txt", REPORT)


def audit_llm(args, env):
    return invoke_with_env(["audit", *map(str, args), "--llm"], env)


def test_every_chunk_failing_is_marked_in_the_json_and_exits_1(tmp_path, report):
    from llm_server import FakeLLMServer

    out = tmp_path / "out.json"
    with FakeLLMServer() as server:  # no script: every request gets HTTP 500
        result = audit_llm([report, "--db", tmp_path / "a.db", "--json", out], llm_env(server))
    assert result.exit_code == 1 and "都没有得到可用的回答" in result.output
    data = json.loads(out.read_text("utf-8"))
    assert data["reports"][0]["llm"]["failed_chunks"] == 1 and data["summary"]["llm_failed_chunks"] == 1
    assert "段失败" in next(ln for ln in result.output.splitlines() if ln.startswith("LLM："))


def test_a_fully_rejected_answer_is_not_cached_and_is_asked_again(tmp_path, report):
    from llm_server import FakeLLMServer

    invented = {"figures": [{"quote": "基本支出999万元", "label": "基本支出", "value": "999", "unit": "万元"}], "relations": [], "report": None}
    db = tmp_path / "a.db"
    with FakeLLMServer(responder=lambda request: invented) as server:
        first = audit_llm([report, "--db", db], llm_env(server))
        asked = server.count
        second = audit_llm([report, "--db", db], llm_env(server))
        assert server.count == 2 * asked  # asked again: nothing usable had been kept
    assert "全部无法在原文中找到依据" in first.output and first.exit_code == 1
    assert sqlite_utils.Database(db)["llm_cache"].count == 0
    assert second.exit_code == 1


def test_reasks_and_transport_retries_are_counted_apart(tmp_path, report):
    from llm_server import FakeLLMServer, Reply, rules_responder

    out = tmp_path / "out.json"
    with FakeLLMServer([Reply.status(429, retry_after="0")], responder=rules_responder) as server:
        env = {**llm_env(server), "JIXIAO_LLM_RETRIES": "2"}
        result = audit_llm([report, "--no-store", "--json", out], env)
    assert result.exit_code == 0, result.output
    llm = json.loads(out.read_text("utf-8"))["reports"][0]["llm"]
    assert (llm["transport_retries"], llm["reasks"], llm["failed_chunks"]) == (1, 0, 0)
    assert "传输重试 1 次" in result.output and "重问 0 次" in result.output


# ---------------------------------------------------------------- 5. LLM pairing

def test_a_label_paired_with_the_wrong_number_of_its_quote_is_refused(tmp_path, report):
    """The model reads '与基本支出相比，培训费支出多了300万元' as 基本支出 = 300万元: both are in
    the quote, but 300 belongs to 培训费支出. That figure must not reach the checks (it would
    be an xref.conflict error with 基本支出623.89万元 that the rules alone do not produce)."""
    from llm_server import FakeLLMServer, rules_responder

    mispaired = {"quote": "与基本支出相比，培训费支出多了300万元", "label": "基本支出", "value": "300", "unit": "万元",
                 "period": None, "comparison": None}

    def model(request):
        answer = rules_responder(request)
        answer["figures"].append(mispaired)
        return answer

    rules, llm = tmp_path / "rules.json", tmp_path / "llm.json"
    assert invoke("audit", report, "--no-store", "--json", rules).exit_code == 0
    with FakeLLMServer(responder=model) as server:
        result = audit_llm([report, "--no-store", "--json", llm], llm_env(server))
        reasked = [r for r in server.requests if "不相连" in json.dumps(r, ensure_ascii=False)]
    assert result.exit_code == 0, result.output
    findings = json.loads(llm.read_text("utf-8"))["reports"][0]["findings"]
    assert not [f for f in findings if f["check"] == "xref.conflict"]
    assert findings == json.loads(rules.read_text("utf-8"))["reports"][0]["findings"]
    assert reasked and "丢弃 1 个无依据数字" in result.output


def test_pairing_rule():
    from extractor.llm.ground import GroundingError, locate_value

    assert locate_value("623.89", "万元", "基本支出：623.89万元", "基本支出").text == "623.89万元"
    assert locate_value("400", "万元", "基本支出、项目支出分别为623.89万元、400万元", "项目支出").text == "400万元"
    assert locate_value("653.89", "万元", "在基本支出方面，全年实际支出653.89万元", "基本支出").text == "653.89万元"
    for text in ("与基本支出相比，培训费支出多了300万元", "300万元用于基本支出"):
        with pytest.raises(GroundingError, match="不相连"):
            locate_value("300", "万元", text, "基本支出")


# ---------------------------------------------------------------- 6. server hardening

@pytest.fixture
def app_8765(audited):
    from extractor.review.server import create_app

    return create_app(audited, reviewer="测试员", port=8765).test_client()


@pytest.mark.parametrize("host, origin, status", [
    ("127.0.0.1:8765", "http://127.0.0.1:8765", 200),
    ("localhost:8765", "http://localhost:8765", 200),
    ("127.0.0.1:8765", "http://evil.example://127.0.0.1", 403),  # the old check split on "://"
    ("127.0.0.1:8765", "http://127.0.0.1:9999", 403),  # another local app on another port
    ("127.0.0.1:8765", "https://127.0.0.1:8765", 403),
    ("127.0.0.1:8765", "http://localhost.evil.example:8765", 403),
    ("127.0.0.1:9999", None, 403),
    ("evil.example:8765", None, 403),
])
def test_host_and_origin_must_match_exactly(app_8765, audited, host, origin, status):
    fp = sqlite_utils.Database(audited).execute("select fingerprint from findings limit 1").fetchone()[0]
    headers = {"Host": host, **({"Origin": origin} if origin else {})}
    response = app_8765.post("/api/decisions", json={"fingerprint": fp, "decision": "confirmed"}, headers=headers)
    assert response.status_code == status
    assert sqlite_utils.Database(audited)["reviews"].count == (status == 200)


def test_a_body_over_the_limit_and_a_long_note_are_refused(app_8765, audited):
    fp = sqlite_utils.Database(audited).execute("select fingerprint from findings limit 1").fetchone()[0]
    local = {"Host": "127.0.0.1:8765", "Origin": "http://127.0.0.1:8765"}
    huge = app_8765.post("/api/decisions", json={"fingerprint": fp, "decision": "confirmed", "note": "备" * 200_000}, headers=local)
    assert huge.status_code == 413 and "上限" in huge.json["error"]
    long = app_8765.post("/api/decisions", json={"fingerprint": fp, "decision": "confirmed", "note": "备" * 2001}, headers=local)
    assert long.status_code == 400 and "备注过长" in long.json["error"]
    assert sqlite_utils.Database(audited)["reviews"].count == 0
    cli = invoke("review", fp, "--confirm", "--note", "备" * 2001, "--db", audited)
    assert cli.exit_code == 1 and "备注过长" in cli.output


def test_spreadsheet_cells_that_look_like_formulas_are_neutralised(reviewed, tmp_path):
    from openpyxl import load_workbook

    db, fp = reviewed
    evil = '=HYPERLINK("http://evil.example","点此")'
    invoke("review", fp, "--dismiss", "--note", evil, "--db", db)
    sqlite_utils.Database(db).execute("update documents set first_path = '=cmd|calc.txt'")
    sqlite_utils.Database(db).execute("update run_documents set path = '@SUM(A1)-' || path")
    csv_text = invoke("export", "--db", db, "--format", "csv").output
    for bad in (evil, "=cmd|calc.txt", "@SUM(A1)-"):
        assert not re.search(r'(^|,)"?' + re.escape(bad.replace('"', '""')), csv_text, re.M)
    assert "'=HYPERLINK(" in csv_text and "'@SUM(A1)-" in csv_text
    out = tmp_path / "f.xlsx"
    assert invoke("export", "--db", db, "--format", "xlsx", "-o", out).exit_code == 0
    cells = [c for row in load_workbook(out).active.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert cells and all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_a_port_in_use_is_one_chinese_line(audited):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, "-c", "from cli import main; main()", "serve", "--db", str(audited), "--port", str(port)],
                             cwd=ROOT, capture_output=True, text=True, timeout=HANG_GUARD)
    assert run.returncode == 1
    assert f"端口 {port} 已被占用" in run.stderr and "--port" in run.stderr
    assert "Port" not in run.stderr and "Traceback" not in run.stderr and "Address already in use" not in run.stderr


def test_serve_open_opens_the_browser(audited, monkeypatch):
    import webbrowser

    from extractor.review import server

    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    monkeypatch.setattr(server, "serve", lambda db, port, reviewer, on_ready: on_ready(f"http://127.0.0.1:{port}/"))
    result = invoke("serve", "--db", audited, "--port", "8799", "--open")
    assert result.exit_code == 0 and opened == ["http://127.0.0.1:8799/"]


# ---------------------------------------------------------------- 7. the first hour

def test_findings_read_at_80_columns_grouped_by_file_with_titles():
    from rich.console import Console

    from extractor.pipeline import AuditOptions, audit
    from extractor.report import triage_table

    results = list(audit([str(SEED_DIR)], None, AuditOptions()))
    console = Console(width=80, record=True, file=io.StringIO(), color_system=None)
    console.print(triage_table(results, "warning", width=80))
    lines = console.export_text().splitlines()
    from rich.cells import cell_len

    assert max(cell_len(ln) for ln in lines) <= 80
    headers = [ln for ln in lines if re.match(r"\d{3}_\w+\.txt", ln)]
    assert [h[:3] for h in headers] == ["004", "001", "003", "002"]  # by file, files with errors first (002 has warnings only)
    assert any("score.sum  各项得分之和不等于总分" in ln for ln in lines)
    for f in (f.to_json() for r in results for f in r.findings if f.severity != "info"):
        stated = f"填报 {f['stated']:,}{f['unit'] or ''}" if f["stated"] is not None else None
        if stated:
            assert any(stated.replace(".0", "") in ln or stated in ln for ln in lines), stated  # number and unit on one line


def test_the_progress_bar_has_a_total_rate_and_the_current_file():
    run = subprocess.run([sys.executable, "-c", "from cli import main; main()", "audit", str(SEED_DIR), "--no-store"],
                         cwd=ROOT, capture_output=True, text=True, timeout=HANG_GUARD,
                         env={**os.environ, "TTY_COMPATIBLE": "1", "TTY_INTERACTIVE": "1", "COLUMNS": "120"})
    assert run.returncode == 0
    assert "4/4" in run.stderr and "份/秒" in run.stderr and "004_df0fe8f85887eca6.txt"[:12] in run.stderr


def test_ctrl_c_says_what_was_saved_writes_the_json_and_exits_130(tmp_path, monkeypatch):
    from extractor import pipeline

    real, calls = pipeline.audit_one, []

    def interrupted_on_third(*args):
        calls.append(args[0])
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)

    monkeypatch.setattr(pipeline, "audit_one", interrupted_on_third)
    out, db = tmp_path / "out.json", tmp_path / "a.db"
    result = CliRunner().invoke(__import__("cli").main, ["audit", str(SEED_DIR), "--db", str(db), "--json", str(out)])
    assert result.exit_code == 130
    assert "已中断：已完成 2/4 份，再次运行可继续" in result.output and "Aborted" not in result.output
    data = json.loads(out.read_text("utf-8"))
    assert len(data["reports"]) == 2 and data["summary"]["interrupted"] is True
    assert sqlite_utils.Database(db).execute("select status from runs").fetchall() == [("interrupted",)]


def test_click_speaks_chinese():
    missing = invoke("audit")
    assert missing.exit_code == 2 and "用法:" in missing.output and "缺少参数" in missing.output
    assert "Usage" not in missing.output and "Missing" not in missing.output
    unknown = invoke("audit", SEED_003, "--jsno", "x")
    assert "没有选项" in unknown.output and "No such option" not in unknown.output
    assert "显示此帮助并退出" in invoke("--help").output


def test_a_note_is_kept_without_a_decision(audited, tmp_path):
    fp = sqlite_utils.Database(audited).execute("select fingerprint from findings where check_id = 'score.sum' limit 1").fetchone()[0]
    result = invoke("review", fp[:8], "--note", "待与财政局核对", "--db", audited)
    assert result.exit_code == 0 and "备注已记下" in result.output
    rows = sqlite_utils.Database(audited).execute("select decision, note from reviews").fetchall()
    assert rows == [(None, "待与财政局核对")]
    out = tmp_path / "out.json"
    invoke("audit", SEED_DIR, "--db", audited, "--json", out)
    review = next(f["review"] for r in json.loads(out.read_text("utf-8"))["reports"] for f in r.get("findings", []) if f["fingerprint"] == fp)
    assert review["decision"] is None and review["note"] == "待与财政局核对"
    assert "待与财政局核对" in invoke("review", fp[:8], "--db", audited).output


def test_show_fingerprint_shows_the_decision(reviewed):
    db, fp = reviewed
    out = invoke("show", fp[:8], "--db", db).output
    assert "已确认" in out and "已核实" in out and "各项得分之和不等于总分" in out


def test_check_titles_in_the_web_filter_and_index(audited):
    from extractor.review.server import create_app

    page = create_app(audited).test_client().get("/").get_data(as_text=True)
    assert re.search(r'<option value="score\.sum"[^>]*>score\.sum\s+各项得分之和不等于总分', page)
    assert re.search(r'<span class="chip" title="score\.sum">各项得分之和不等于总分', page)


def test_the_department_of_an_xlsx_form_comes_from_its_主管部门_cell(tmp_path):
    from extractor.review.data import load_summaries

    form = hostile._small_xlsx(tmp_path / "form.xlsx")  # 项目支出绩效自评表, 主管部门 | 某县民政局
    db = tmp_path / "a.db"
    assert invoke("audit", form, "--db", db).exit_code == 0
    [summary] = load_summaries(sqlite_utils.Database(db))
    assert summary.department == "某县民政局"
    # the synthetic set's xlsx forms: 8 of 20 had no department before
    from extractor.ingest import read_document
    from extractor.review.meta import HEAD_CHARS, report_department

    forms = sorted((ROOT / "eval_sets" / "synthetic").glob("*.xlsx"))
    assert len(forms) == 20 and all(report_department(read_document(p).text[:HEAD_CHARS]) for p in forms)
