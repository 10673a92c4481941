"""`jixiao export`: findings with their decisions and evidence, one row per finding, for the
audit working papers (csv for any tool, xlsx for Excel, json for scripts)."""
from __future__ import annotations

import csv
import io
import json
from typing import Iterator

import sqlite_utils

from ..records import SEVERITY_ZH
from ..report import check_title
from .data import load_report, load_summaries
from .decisions import STATUS_ZH

COLUMNS = [
    ("path", "文件"), ("sha256", "sha256"), ("department", "部门"), ("year", "年度"), ("kind", "文档类型"),
    ("check", "检查"), ("check_title", "检查名称"), ("severity", "级别"), ("message", "说明"),
    ("stated", "填报值"), ("computed", "计算值"), ("difference", "差额"), ("unit", "单位"), ("tolerance", "容差"),
    ("evidence", "证据（位置与引文）"), ("fingerprint", "fingerprint"),
    ("decision", "复核结论"), ("note", "复核备注"), ("reviewer", "复核人"), ("decided_at", "复核时间"),
]


def finding_records(db: sqlite_utils.Database) -> Iterator[dict]:
    """One dict per finding of each report's latest analysis, reports in index order."""
    summaries = load_summaries(db)
    for summary in summaries:
        view = load_report(db, summary.sha256, summaries)
        for f in view.findings:
            out, review = f.to_json(), f.review or {}
            yield {
                "path": summary.path, "sha256": summary.sha256, "department": summary.department, "year": summary.year,
                "kind": summary.kind, "check": f.check, "check_title": check_title(f.check) or f.check, "severity": out["severity"],
                "message": f.message, "stated": out["stated"], "computed": out["computed"], "difference": out["difference"],
                "unit": f.unit, "tolerance": out["tolerance"],
                "evidence": [e.to_json() | {"role": e.role} for e in f.evidence],
                "fingerprint": f.fingerprint, "decision": review.get("decision"), "note": review.get("note"),
                "reviewer": review.get("reviewer"), "decided_at": review.get("decided_at"),
            }


def evidence_text(evidence: list[dict]) -> str:
    """"[1282:1300 第3页] 自评得分(满分100分) 97.36", one line per span, for a spreadsheet cell."""
    lines = []
    for e in evidence:
        where = f"{e['start']}:{e['end']}" + (f" 第{e['page']}页" if e.get("page") else "")
        if e.get("table"):  # a table cell: "收入支出决算总表 · 总计 · 决算数"
            where += " " + " · ".join(str(e[k]) for k in ("table", "row", "column") if e.get(k))
        lines.append(f"[{where}] {' '.join(e['quote'].split())}")
    return "\n".join(lines)


def _flat(record: dict) -> dict:
    """A record for one spreadsheet row: evidence as text, severity and decision in Chinese."""
    row = dict(record, evidence=evidence_text(record["evidence"]), severity=SEVERITY_ZH.get(record["severity"], record["severity"]))
    row["decision"] = STATUS_ZH[record["decision"]] if record["decision"] else STATUS_ZH["unreviewed"]
    return row


def to_json(records: list[dict]) -> str:
    return json.dumps({"findings": records}, ensure_ascii=False, indent=2) + "\n"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet may take for a formula


def neutralise(value):
    """Text that a spreadsheet would run as a formula ("=HYPERLINK(…)" in a note or a file
    name) gets a leading apostrophe, which Excel and LibreOffice show as text. Numbers stay
    numbers (a negative difference is data)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(records: list[dict]) -> str:
    """With a UTF-8 BOM, so Excel opens the Chinese text correctly, whether it goes to a file
    or to standard output."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([title for _, title in COLUMNS])
    for record in records:
        row = _flat(record)
        writer.writerow(["" if row[key] is None else neutralise(row[key]) for key, _ in COLUMNS])
    return buffer.getvalue()


def _cell(value):
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # PDF text can carry control characters that xlsx cannot hold
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def to_xlsx(records: list[dict], fh) -> None:
    """The workbook, written to the binary file `fh`."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = "发现与复核"
    sheet.append([title for _, title in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for record in records:
        row = _flat(record)
        sheet.append([_cell(row[key]) for key, _ in COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                # xlsx keeps the text as it is, as a string cell with Excel's quote prefix: shown
                # as typed, never run as a formula, not even after the cell is edited
                cell.data_type = "s"
                cell.quotePrefix = True
    widths = {"path": 36, "message": 60, "evidence": 60, "note": 30, "check": 24, "check_title": 30, "fingerprint": 18, "decided_at": 26}
    for i, (key, _) in enumerate(COLUMNS, 1):
        letter = sheet.cell(row=1, column=i).column_letter
        sheet.column_dimensions[letter].width = widths.get(key, 12)
        if key in ("message", "evidence", "note"):
            for (cell,) in sheet.iter_rows(min_row=2, min_col=i, max_col=i):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(fh)
