"""What the review views show, read from the store: one summary per audited report (from
the latest run that read it) and, for one report, its text and findings with decisions."""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import sqlite_utils

from ..checks import CATALOGUE
from ..errors import JixiaoError
from ..pipeline import row_json
from ..report import SEVERITY_ZH
from ..store import Store
from .decisions import STATUS_ZH, decision_history, history_counts, latest_decisions, query_rows
from .meta import HEAD_CHARS, report_department, report_year

SEVERITIES = ("error", "warning", "info")
STATUSES = ("unreviewed", "confirmed", "dismissed")
_CHUNK = 500


class ReviewDataError(JixiaoError):
    """The database cannot back a review: missing, or nothing audited yet."""


def open_review_db(path: str | os.PathLike) -> sqlite_utils.Database:
    """An existing, migrated audit database (never creates one by accident)."""
    if not Path(path).is_file():
        raise ReviewDataError(f"{path}: 数据库不存在，请先运行 jixiao audit 报告文件夹 --db {path}")
    db = Store(path).db  # applies pending migrations, e.g. the reviews table
    if not db.execute("select 1 from analyses limit 1").fetchone():
        raise ReviewDataError(f"{path}: 数据库中还没有审核结果，请先运行 jixiao audit 报告文件夹 --db {path}")
    return db


@dataclass
class ReportSummary:
    sha256: str
    path: str
    analysis_id: str
    format: str = ""
    department: Optional[str] = None
    year: Optional[str] = None
    kind: Optional[str] = None  # document kind read at extraction (vocab.DOC_KINDS)
    severities: Counter = field(default_factory=Counter)
    checks: Counter = field(default_factory=Counter)
    statuses: Counter = field(default_factory=Counter)

    @property
    def name(self) -> str:
        return Path(self.path).name

    @property
    def total(self) -> int:
        return sum(self.severities.values())

    @property
    def reviewed(self) -> int:
        return self.statuses["confirmed"] + self.statuses["dismissed"]

    @property
    def sort_key(self) -> tuple:
        s = self.severities
        return (-s["error"], -s["warning"], -s["info"], self.path)


@dataclass
class FindingView:
    finding: dict  # the stable JSON shape (pipeline.row_json) plus "review"
    title: str
    roles: list[str]
    history: list[dict]

    @property
    def fingerprint(self) -> str:
        return self.finding["fingerprint"]

    @property
    def status(self) -> str:
        return (self.finding.get("review") or {}).get("decision") or "unreviewed"


@dataclass
class ReportView:
    summary: ReportSummary
    text: Optional[str]
    page_starts: list[int]
    findings: list[FindingView]
    problem: Optional[str] = None  # why the text cannot be shown, in one line
    tables: list[dict] = field(default_factory=list)  # rebuilt tables a finding cites (store.table_grid_json)


def latest_analyses(db: sqlite_utils.Database) -> dict[str, tuple[str, str]]:
    """sha256 -> (analysis id, path) from the most recent run that read the document; a
    document stored without a run falls back to its newest analysis."""
    picked: dict[str, tuple[str, str]] = {}
    for sha, path, analysis in db.execute(
        "select rd.sha256, rd.path, rd.analysis_id from run_documents rd join runs r on r.id = rd.run_id"
        " join analyses a on a.id = rd.analysis_id order by r.started_at desc, rd.rowid desc"
    ).fetchall():
        picked.setdefault(sha, (analysis, path))
    for sha, analysis, path in db.execute(
        "select a.sha256, a.id, d.first_path from analyses a join documents d on d.sha256 = a.sha256 order by a.created_at desc"
    ).fetchall():
        picked.setdefault(sha, (analysis, path))
    return picked


def _in_chunks(db: sqlite_utils.Database, sql: str, values: list[str]) -> list[dict]:
    """`sql` has one `{marks}` placeholder for an IN list."""
    rows: list[dict] = []
    for i in range(0, len(values), _CHUNK):
        chunk = values[i : i + _CHUNK]
        rows += query_rows(db, sql.format(marks=",".join("?" * len(chunk))), chunk)
    return rows


def load_summaries(db: sqlite_utils.Database) -> list[ReportSummary]:
    """Every audited report, most errors first, then most warnings."""
    picked = latest_analyses(db)
    summaries = {sha: ReportSummary(sha, path, analysis) for sha, (analysis, path) in picked.items()}
    heads = _in_chunks(
        db, f"select sha256, format, substr(text, 1, {HEAD_CHARS}) as head from documents where sha256 in ({{marks}})", list(summaries)
    )
    for row in heads:
        s = summaries[row["sha256"]]
        s.format, s.department, s.year = row["format"] or "", report_department(row["head"] or ""), report_year(row["head"] or "")
    analysis_to_sha = {analysis: sha for sha, (analysis, _) in picked.items()}
    if "kind" in db["analyses"].columns_dict:
        for row in _in_chunks(db, "select id, kind, year from analyses where id in ({marks})", list(analysis_to_sha)):
            s = summaries[analysis_to_sha[row["id"]]]
            s.kind, s.year = row["kind"], row["year"] or s.year  # the extraction read the title; prefer it
    findings = _in_chunks(
        db, "select analysis_id, fingerprint, check_id, severity from findings where analysis_id in ({marks})", list(analysis_to_sha)
    )
    decided = latest_decisions(db)
    for row in findings:
        s = summaries[analysis_to_sha[row["analysis_id"]]]
        s.severities[row["severity"]] += 1
        s.checks[row["check_id"]] += 1
        s.statuses[(decided.get(row["fingerprint"]) or {}).get("decision") or "unreviewed"] += 1
    return sorted(summaries.values(), key=lambda s: s.sort_key)


def unreadable_files(db: sqlite_utils.Database, limit: int = 200) -> list[str]:
    """One-line read errors of files that no later run read successfully."""
    rows = db.execute(
        "select rd.error from run_documents rd join runs r on r.id = rd.run_id where rd.error is not null"
        " and not exists (select 1 from run_documents ok join runs r2 on r2.id = ok.run_id"
        "   where ok.path = rd.path and ok.error is null and r2.started_at > r.started_at)"
        " order by r.started_at desc limit ?",
        [limit],
    ).fetchall()
    return list(dict.fromkeys(r[0] for r in rows))


@dataclass
class IndexFilter:
    check: str = ""
    severity: str = ""
    department: str = ""
    year: str = ""
    kind: str = ""
    status: str = ""

    @classmethod
    def from_args(cls, args) -> "IndexFilter":
        return cls(**{name: (args.get(name) or "").strip() for name in cls.__dataclass_fields__})

    def as_args(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if v}

    def matches(self, s: ReportSummary) -> bool:
        # Each filter keeps a report that has at least one finding of that kind.
        return (
            (not self.check or s.checks[self.check] > 0)
            and (not self.severity or s.severities[self.severity] > 0)
            and (not self.department or s.department == self.department)
            and (not self.year or s.year == self.year)
            and (not self.kind or s.kind == self.kind)
            and (not self.status or s.statuses[self.status] > 0)
        )


def filter_choices(summaries: list[ReportSummary]) -> dict[str, list[str]]:
    """The values each filter can take in this database, for the filter menus."""
    checks = sorted({c for s in summaries for c in s.checks})
    return {
        "check": checks,
        "severity": list(SEVERITIES),
        "department": sorted({s.department for s in summaries if s.department}),
        "year": sorted({s.year for s in summaries if s.year}, reverse=True),
        "kind": sorted({s.kind for s in summaries if s.kind}),
        "status": list(STATUSES),
    }


def totals(summaries: list[ReportSummary]) -> dict[str, int]:
    out = Counter()
    for s in summaries:
        out.update(s.severities)
        out.update(s.statuses)
        out["reports"] += 1
        out["findings"] += s.total
    return dict(out)


def load_report(db: sqlite_utils.Database, sha256: str, summaries: Optional[list[ReportSummary]] = None) -> Optional[ReportView]:
    """One report's text and findings (latest run's analysis), each with its decision and history."""
    summary = next((s for s in (summaries or load_summaries(db)) if s.sha256 == sha256), None)
    if summary is None:
        return None
    doc = db.execute("select text, page_starts from documents where sha256 = ?", [sha256]).fetchone()
    text, page_starts = (doc[0], json.loads(doc[1] or "[]")) if doc else (None, [])
    rows = query_rows(
        db,
        "select * from findings where analysis_id = ?"
        " order by case severity when 'error' then 0 when 'warning' then 1 else 2 end, start",
        [summary.analysis_id],
    )
    decided = latest_decisions(db, [r["fingerprint"] for r in rows])
    counts = history_counts(db) if decided else {}
    views = []
    for row in rows:
        finding = row_json(row)
        finding["review"] = decided.get(row["fingerprint"])
        evidence = json.loads(row["evidence"])
        history = decision_history(db, row["fingerprint"]) if counts.get(row["fingerprint"], 0) > 1 else []
        info = CATALOGUE.get(row["check_id"])
        views.append(FindingView(finding, info.title if info else row["check_id"], [e.get("role") or "" for e in evidence], history))
    problem = None
    if text is None:
        problem = "数据库中没有这份报告的原文，无法显示证据位置；请重新运行 jixiao audit 这份报告。"
    elif any(e["end"] > len(text) for v in views for e in v.finding["evidence"]):
        problem = "部分证据的位置超出了所存原文，这些证据只显示引文。"
    return ReportView(summary, text, page_starts, views, problem, cited_tables(db, summary.analysis_id, views))


def cited_tables(db: sqlite_utils.Database, analysis_id: str, views: list[FindingView]) -> list[dict]:
    """The rebuilt tables that hold a finding's evidence, in document order."""
    row = db.execute("select tables from analyses where id = ?", [analysis_id]).fetchone() if "tables" in db["analyses"].columns_dict else None
    if not row or not row[0]:
        return []
    starts = [e["start"] for v in views for e in v.finding["evidence"]]
    return [t for t in json.loads(row[0]) if t.get("span") and any(t["span"][0] <= s < t["span"][1] for s in starts)]
