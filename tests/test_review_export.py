"""`jixiao export`: one row per finding with its decision and evidence, as csv, xlsx and json."""
from __future__ import annotations

import csv
import io
import json

import pytest
import sqlite_utils
from openpyxl import load_workbook

from conftest import invoke



@pytest.fixture
def reviewed(audited):
    """Seeds audited; 003's score.sum confirmed with a note."""
    db_path = audited
    db = sqlite_utils.Database(db_path)
    fp = db.execute(
        "select f.fingerprint from findings f join documents d on d.sha256 = f.sha256"
        " where f.check_id = 'score.sum' and d.first_path like '%003_%'"
    ).fetchone()[0]
    assert invoke("review", fp, "--confirm", "--note", "总分=97.36，明细合计100", "--reviewer", "赵六", "--db", db_path).exit_code == 0
    return db_path, fp


def test_json_export_has_every_finding_with_decision_and_evidence(reviewed, tmp_path):
    db_path, fp = reviewed
    out = tmp_path / "f.json"
    assert invoke("export", "--db", db_path, "--format", "json", "-o", out).exit_code == 0
    records = json.loads(out.read_text(encoding="utf-8"))["findings"]
    assert len(records) == sqlite_utils.Database(db_path)["findings"].count == 13  # 10 on the scored reports, 3 blank targets in 002
    row = next(r for r in records if r["fingerprint"] == fp)
    assert (row["check"], row["severity"], row["stated"], row["computed"], row["difference"], row["unit"]) == (
        "score.sum", "error", 97.36, 100, -2.64, "分")
    assert row["decision"] == "confirmed" and row["reviewer"] == "赵六" and row["note"].startswith("总分") and row["decided_at"]
    assert row["department"] == "柳州市民政局" and row["year"] == "2022" and len(row["sha256"]) == 64
    first = row["evidence"][0]
    assert set(first) == {"quote", "start", "end", "page", "role"} and first["role"] == "stated" and "97.36" in first["quote"]
    assert sum(r["decision"] is None for r in records) == 12


def test_csv_export_opens_in_excel_and_stdout_works(reviewed, tmp_path):
    db_path, fp = reviewed
    out = tmp_path / "f.csv"
    invoke("export", "--db", db_path, "--format", "csv", "-o", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the Chinese correctly
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 13
    row = next(r for r in rows if r["fingerprint"] == fp)
    assert row["复核结论"] == "已确认" and row["级别"] == "错误" and row["填报值"] == "97.36" and row["复核人"] == "赵六"
    assert row["证据（位置与引文）"].startswith("[") and "97.36" in row["证据（位置与引文）"]
    assert {r["复核结论"] for r in rows} == {"已确认", "待复核"}
    stdout = invoke("export", "--db", db_path, "--format", "csv").output
    assert stdout.startswith("\ufeff文件,sha256,") and fp in stdout  # the BOM on standard output too


def test_xlsx_export(reviewed, tmp_path):
    db_path, fp = reviewed
    out = tmp_path / "f.xlsx"
    assert invoke("export", "--db", db_path, "--format", "xlsx", "-o", out).exit_code == 0
    sheet = load_workbook(out).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in r])) for r in sheet.iter_rows(min_row=2)]
    assert len(rows) == 13 and header[0] == "文件" and "fingerprint" in header
    row = next(r for r in rows if r["fingerprint"] == fp)
    assert row["填报值"] == 97.36 and row["计算值"] == 100 and row["复核结论"] == "已确认"
    assert row["复核备注"] == "总分=97.36，明细合计100"


def test_a_note_that_looks_like_a_formula_stays_text(reviewed, tmp_path):
    db_path, fp = reviewed
    invoke("review", fp, "--dismiss", "--note", "=1+1", "--db", db_path)
    out = tmp_path / "f.xlsx"
    invoke("export", "--db", db_path, "--format", "xlsx", "-o", out)
    cell = next(c for r in load_workbook(out).active.iter_rows() for c in r if c.value == "=1+1")
    assert cell.data_type == "s" and cell.quotePrefix
