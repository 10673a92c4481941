"""Audit a batch: expand inputs, read, extract, check, store — one document at a time, so a
bad file or a crash costs only that file, and a rerun skips what is already stored."""
from __future__ import annotations

import glob
import hashlib
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator, Optional

from . import __version__
from .checks import run_checks
from .errors import InputError, JixiaoError
from .extract import extract
from .ingest import read_document
from .records import Finding
from .store import Store, fingerprint, short_hash

SUPPORTED_SUFFIXES = {".txt", ".text", ".pdf", ".docx", ".xlsx", ".html", ".htm"}


@dataclass
class AuditOptions:
    extractor: str = "rules"

    def as_dict(self) -> dict:
        return {"extractor": self.extractor}

    @property
    def hash(self) -> str:
        return short_hash(json.dumps(self.as_dict(), sort_keys=True))


@dataclass
class ReportResult:
    source: str  # the path as given
    sha256: Optional[str] = None
    findings: list[dict] = field(default_factory=list)  # JSON-ready, see finding_json()
    error: Optional[str] = None
    reused: bool = False  # findings came from an earlier identical analysis

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f["severity"] == severity)


@lru_cache(maxsize=1)
def code_version() -> str:
    """Package version plus a hash of the extractor's source: any code change re-analyses."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:10]}"


def expand_inputs(patterns: list[str]) -> list[tuple[str, Optional[str]]]:
    """(path, error) pairs: files as given, folders walked for report files, globs expanded.
    A pattern that matches nothing is kept with an error so the user hears about it."""
    out: list[tuple[str, Optional[str]]] = []
    seen: set[str] = set()

    def add(path: str, error: Optional[str] = None) -> None:
        if path not in seen:
            seen.add(path)
            out.append((path, error))

    for pattern in patterns:
        if os.path.isdir(pattern):
            for root, dirs, files in os.walk(pattern):
                dirs.sort()
                for name in sorted(files):
                    if Path(name).suffix.lower() in SUPPORTED_SUFFIXES and not name.startswith("."):
                        add(os.path.join(root, name))
        elif os.path.exists(pattern):
            add(pattern)
        else:
            matches = sorted(glob.glob(pattern, recursive=True))
            files = [m for m in matches if os.path.isfile(m)]
            if files:
                for m in files:
                    add(m)
            else:
                add(pattern, "文件不存在或通配符没有匹配到文件")
    return out


def json_number(value) -> Optional[float | int]:
    if value is None:
        return None
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() else float(d)


def finding_json(sha256: str, f: Finding) -> dict:
    return {
        "check": f.check,
        "severity": f.severity,
        "message": f.message,
        "stated": json_number(f.stated),
        "computed": json_number(f.computed),
        "evidence": [{"quote": e.quote, "start": e.span.start, "end": e.span.end, "page": e.page} for e in f.evidence],
        "unit": f.unit,
        "difference": json_number(f.difference),
        "tolerance": json_number(f.tolerance),
        "fingerprint": fingerprint(sha256, f),
    }


def row_json(row: dict) -> dict:
    evidence = json.loads(row["evidence"])
    return {
        "check": row["check_id"],
        "severity": row["severity"],
        "message": row["message"],
        "stated": json_number(row["stated"]),
        "computed": json_number(row["computed"]),
        "evidence": [{k: e[k] for k in ("quote", "start", "end", "page")} for e in evidence],
        "unit": row["unit"],
        "difference": json_number(row["difference"]),
        "tolerance": json_number(row["tolerance"]),
        "fingerprint": row["fingerprint"],
    }


def analysis_id_for(sha256: str, options: AuditOptions) -> str:
    """One document read by this code with these options: the unit a rerun reuses."""
    return short_hash(sha256, code_version(), options.hash)


def audit_one(path: str, store: Optional[Store], options: AuditOptions) -> ReportResult:
    doc = read_document(path)
    analysis_id = analysis_id_for(doc.sha256, options)
    if store is not None and store.has_analysis(analysis_id):
        return ReportResult(path, doc.sha256, [row_json(r) for r in store.findings_for(analysis_id)], reused=True)
    extraction = extract(doc)
    findings, problems = run_checks(doc, extraction)
    if store is not None:
        store.save_analysis(analysis_id, doc, code_version(), options.hash, extraction.figures, findings, problems)
    return ReportResult(path, doc.sha256, [finding_json(doc.sha256, f) for f in findings])


def audit(
    patterns: list[str],
    store: Optional[Store],
    options: AuditOptions,
    on_result: Optional[Callable[[ReportResult], None]] = None,
) -> Iterator[ReportResult]:
    inputs = expand_inputs(patterns)
    run_id = short_hash(code_version(), options.hash, *sorted(p for p, _ in inputs))
    if store is not None:
        store.start_run(run_id, code_version(), options.as_dict())
    errors = 0
    for path, problem in inputs:
        if problem:
            result = ReportResult(path, error=f"{path}: {problem}")
        else:
            try:
                result = audit_one(path, store, options)
            except JixiaoError as exc:
                result = ReportResult(path, error=str(exc))
            except Exception as exc:  # an unforeseen reader failure must not stop the batch
                result = ReportResult(path, error=str(InputError(path, f"处理失败: {type(exc).__name__}: {exc}")))
        errors += result.error is not None
        if store is not None:
            analysis = analysis_id_for(result.sha256, options) if result.sha256 else None
            store.record_input(run_id, path, result.sha256, analysis, result.error)
        if on_result:
            on_result(result)
        yield result
    if store is not None:
        store.finish_run(run_id, len(inputs), errors)
