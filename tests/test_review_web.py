"""The review web app through Flask's test client (index filters, report view, decisions,
local-only guards), the static review file, and department/year labels."""
from __future__ import annotations

import html
import re
import subprocess
import sys
import urllib.request

import pytest
import sqlite_utils

from conftest import ROOT, SEEDS, invoke
from extractor.review.data import load_summaries
from extractor.review.meta import report_department, report_year
from extractor.review.server import create_app
from extractor.review.static_html import build_static_html



@pytest.fixture
def client(audited):
    app = create_app(audited, reviewer="测试员")
    return app.test_client()


def shown_reports(page: str) -> list[str]:
    return re.findall(r'<tr class="report-row" data-sha="[0-9a-f]+".*?title="[^"]*/(\d{3})_', page, re.S)


def sha_of(db_path, prefix: str) -> str:
    return next(s.sha256 for s in load_summaries(sqlite_utils.Database(db_path)) if s.name.startswith(prefix))


def fingerprint_of(db_path, check: str, prefix: str) -> str:
    sha = sha_of(db_path, prefix)
    db = sqlite_utils.Database(db_path)
    return db.execute("select fingerprint from findings where sha256 = ? and check_id = ? limit 1", [sha, check]).fetchone()[0]


def test_department_and_year_from_the_seed_heads():
    labels = [(report_department(p.read_text(encoding="utf-8")[:3000]), report_year(p.read_text(encoding="utf-8")[:3000])) for p in SEEDS]
    assert labels == [("隆回县民政局", "2024"), ("渚源县民政局", "2024"), ("柳州市民政局", "2022"), ("咸宁市民政局", "2020")]


def test_index_sorts_by_errors_then_warnings(client):
    page = client.get("/").get_data(as_text=True)
    assert shown_reports(page) == ["004", "001", "003", "002"]  # 4 errors, 3, 1, none
    assert 'data-count="reports">4</b> / 4' in page and 'data-count="error">8<' in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ("check=score.sum", ["004", "003"]),
        ("severity=warning", ["004", "001", "002"]),
        ("department=柳州市民政局", ["003"]),
        ("year=2024", ["001", "002"]),
        ("status=confirmed", []),
        ("status=unreviewed&check=rate.execution", ["001"]),
    ],
)
def test_index_filters(client, query, expected):
    page = client.get(f"/?{query}").get_data(as_text=True)
    assert shown_reports(page) == expected
    assert f'data-count="reports">{len(expected)}</b> / 4' in page


def test_decision_is_stored_at_once_and_changes_the_review_status(client, audited):
    fp = fingerprint_of(audited, "score.sum", "003")
    response = client.post("/api/decisions", json={"fingerprint": fp, "decision": "confirmed", "note": "总分错"})
    assert response.status_code == 200 and response.json["review"]["decision"] == "confirmed"
    row = sqlite_utils.Database(audited).execute("select decision, note, reviewer from reviews where fingerprint = ?", [fp]).fetchall()
    assert row == [("confirmed", "总分错", "测试员")]
    assert shown_reports(client.get("/?status=confirmed").get_data(as_text=True)) == ["003"]
    assert "003" not in shown_reports(client.get("/?status=unreviewed").get_data(as_text=True))  # its one finding is decided
    page = client.get(f"/report/{sha_of(audited, '003')}").get_data(as_text=True)
    assert f'data-fp="{fp}" data-status="confirmed"' in page and "总分错" in page


def test_bad_decision_requests_get_one_line_errors(client, audited):
    fp = fingerprint_of(audited, "score.sum", "003")
    assert client.post("/api/decisions", json={"fingerprint": fp, "decision": "maybe"}).status_code == 400
    assert client.post("/api/decisions", json={"fingerprint": "0" * 16, "decision": "confirmed"}).status_code == 404
    form = client.post("/api/decisions", data={"fingerprint": fp, "decision": "confirmed"})  # a cross-site form post
    assert form.status_code == 400 and "JSON" in form.json["error"]
    assert sqlite_utils.Database(audited)["reviews"].count == 0


def test_only_local_hosts_and_origins_are_served(audited):
    client = create_app(audited, reviewer="测试员", port=8765).test_client()
    fp = fingerprint_of(audited, "score.sum", "003")
    local = {"Host": "127.0.0.1:8765"}
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 403  # DNS rebinding
    assert client.get("/", headers=local).status_code == 200
    evil = client.post("/api/decisions", json={"fingerprint": fp, "decision": "dismissed"}, headers={**local, "Origin": "http://evil.example"})
    assert evil.status_code == 403
    ok = client.post("/api/decisions", json={"fingerprint": fp, "decision": "dismissed"}, headers={**local, "Origin": "http://127.0.0.1:8765"})
    assert ok.status_code == 200


def test_report_view_highlights_every_evidence_span_in_the_unchanged_text(client, audited):
    sha = sha_of(audited, "004")
    page = client.get(f"/report/{sha}").get_data(as_text=True)
    text = sqlite_utils.Database(audited).execute("select text from documents where sha256 = ?", [sha]).fetchone()[0]
    pre = re.search(r'<pre class="doc-text">(.*?)</pre>', page, re.S).group(1)
    assert html.unescape(re.sub(r"<[^>]+>", "", pre)) == text  # highlighting adds marks, never changes text
    marks = re.findall(r'<mark class="ev sev-(\w+)[^"]*" data-f="([0-9a-f ]+)" data-s="(\d+)">', pre)
    db = sqlite_utils.Database(audited)
    for fp, evidence in db.execute("select fingerprint, evidence from findings where sha256 = ?", [sha]):
        for start in re.findall(r'"start": (\d+)', evidence):
            assert any(s == start and fp in fps.split() for _, fps, s in marks), (fp, start)
    assert 'href="/checks#score.sum"' in page and "填报值" in page and "容差" in page


def test_report_view_and_catalogue_links(client, audited):
    assert client.get("/report/" + "0" * 64).status_code == 404
    catalogue = client.get("/checks").get_data(as_text=True)
    assert '<a id="score.sum"></a>' in catalogue and "各项得分之和不等于总分" in catalogue
    page = client.get(f"/report/{sha_of(audited, '001')}?severity=error").get_data(as_text=True)
    # [ and ] step through the filtered list, in index order: 004, 001, 003
    assert re.search(r'class="prev-report" href="/report/' + sha_of(audited, "004") + r'\?severity=error"', page)
    assert re.search(r'class="next-report" href="/report/' + sha_of(audited, "003") + r'\?severity=error"', page)


def test_serve_refuses_a_missing_or_empty_database(tmp_path):
    missing = invoke("serve", "--db", tmp_path / "none.db")
    assert missing.exit_code == 1 and "数据库不存在" in missing.output
    sqlite_utils.Database(tmp_path / "empty.db")["x"].insert({"a": 1})
    empty = invoke("html", "--db", tmp_path / "empty.db", "-o", tmp_path / "r.html")
    assert empty.exit_code == 1 and "还没有审核结果" in empty.output


def test_serve_command_listens_on_localhost_only(audited):
    """The real command, as a user runs it: --port 0 picks a free port and prints the URL."""
    server = subprocess.Popen(
        [sys.executable, "-u", "-c", "from cli import main; main()", "serve", "--db", str(audited), "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        line = server.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=10) as response:
            assert response.status == 200 and "报告列表" in response.read().decode("utf-8")
    finally:
        server.terminate()
        server.wait(timeout=10)


EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""", re.I)


def test_static_file_is_self_contained_and_embeds_every_report(audited, tmp_path):
    fp = fingerprint_of(audited, "score.sum", "004")
    invoke("review", fp, "--dismiss", "--note", "已与财政局核实", "--db", audited)
    out = tmp_path / "review.html"
    result = invoke("html", "--db", audited, "-o", out)
    assert result.exit_code == 0 and "review.html" in result.output
    page = out.read_text(encoding="utf-8")
    assert not EXTERNAL.search(page) and "http://" not in page and "https://" not in page
    assert page.count('<script type="text/html" id="r-') == 4
    fragment = re.search(r'<script type="text/html" id="r-' + sha_of(audited, "004") + r'">(.*?)</script>', page, re.S).group(1)
    assert f'data-fp="{fp}" data-status="dismissed"' in fragment and "已与财政局核实" in fragment
    assert 'class="confirm"' not in fragment and "<textarea" not in fragment  # read-only: no decision controls
    assert 'href="#checks/score.sum"' in fragment and '<a id="score.sum"></a>' in page
    assert 'data-mode="static"' in page and "只读副本" in page


def test_static_html_builds_from_the_store_alone(audited):
    page = build_static_html(sqlite_utils.Database(audited), "audit.db")
    assert page.startswith("<!doctype html>") and page.count('class="report-row"') == 4
