"""What the review views show, read from the store: one summary per audited report (from
the latest run that read it) and, for one report, its text and findings with decisions."""
from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import sqlite_utils

from .. import store
from ..errors import JixiaoError
from ..records import REVIEW_STATUSES, Finding, Severity
from ..store import Store, latest_analyses
from .decisions import decision_history, history_counts, latest_decisions
from .meta import HEAD_CHARS, report_department, report_year

SEVERITIES = tuple(s.value for s in Severity)  # worst first (vocab.SEVERITY_ORDER)
STATUSES = REVIEW_STATUSES


class ReviewDataError(JixiaoError):
    """The database cannot back a review: missing, or nothing audited yet."""


def open_review_db(path: str | os.PathLike) -> sqlite_utils.Database:
    """An existing, migrated audit database (never creates one by accident)."""
    if not Path(path).is_file():
        raise ReviewDataError(f"{path}: 数据库不存在，请先运行 jixiao audit 报告文件夹 --db {path}")
    db = Store(path).db  # applies pending migrations, e.g. the reviews table
    if not store.has_analyses(db):
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
        return (*(-self.severities[name] for name in SEVERITIES), self.path)


@dataclass
class ReportView:
    summary: ReportSummary
    text: Optional[str]
    page_starts: list[int]
    findings: list[Finding]  # each with its review in force
    histories: dict[str, list[dict]] = field(default_factory=dict)  # fingerprint -> every entry, when there is more than one
    problem: Optional[str] = None  # why the text cannot be shown, in one line
    tables: list[dict] = field(default_factory=list)  # rebuilt tables a finding cites (store.table_grid_json)


def load_summaries(db: sqlite_utils.Database) -> list[ReportSummary]:
    """Every audited report, most errors first, then most warnings."""
    picked = latest_analyses(db)
    summaries = {sha: ReportSummary(sha, path, analysis) for sha, (analysis, path) in picked.items()}
    for row in store.document_heads(db, list(summaries), HEAD_CHARS):
        s = summaries[row["sha256"]]
        s.format, s.department, s.year = row["format"] or "", report_department(row["head"] or ""), report_year(row["head"] or "")
    analysis_to_sha = {analysis: sha for sha, (analysis, _) in picked.items()}
    for row in store.analysis_kinds(db, list(analysis_to_sha)):
        s = summaries[analysis_to_sha[row["id"]]]
        s.kind, s.year = row["kind"], row["year"] or s.year  # the extraction read the title; prefer it
    decided = latest_decisions(db)
    for row in store.finding_labels(db, list(analysis_to_sha)):
        s = summaries[analysis_to_sha[row["analysis_id"]]]
        s.severities[row["severity"]] += 1
        s.checks[row["check_id"]] += 1
        s.statuses[(decided.get(row["fingerprint"]) or {}).get("decision") or "unreviewed"] += 1
    return sorted(summaries.values(), key=lambda s: s.sort_key)


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
    text, page_starts = store.document_text(db, sha256) or (None, [])
    findings = [Finding.from_row(row) for row in store.findings_of(db, summary.analysis_id)]
    decided = latest_decisions(db, [f.fingerprint for f in findings])
    counts = history_counts(db) if decided else {}
    histories = {}
    for f in findings:
        f.review = decided.get(f.fingerprint)
        if counts.get(f.fingerprint, 0) > 1:
            histories[f.fingerprint] = decision_history(db, f.fingerprint)
    problem = None
    if text is None:
        problem = "数据库中没有这份报告的原文，无法显示证据位置；请重新运行 jixiao audit 这份报告。"
    elif any(e.span.end > len(text) for f in findings for e in f.evidence):
        problem = "部分证据的位置超出了所存原文，这些证据只显示引文。"
    return ReportView(summary, text, page_starts, findings, histories, problem, cited_tables(db, summary.analysis_id, findings))


def cited_tables(db: sqlite_utils.Database, analysis_id: str, findings: list[Finding]) -> list[dict]:
    """The rebuilt tables that hold a finding's evidence, in document order."""
    starts = [e.span.start for f in findings for e in f.evidence]
    return [t for t in store.analysis_tables(db, analysis_id) if t.get("span") and any(t["span"][0] <= s < t["span"][1] for s in starts)]
