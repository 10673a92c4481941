"""Audit a batch: expand inputs, read, extract, check, store — one document at a time, so a
bad file or a crash costs only that file, and a rerun skips what is already stored.

With the LLM extractor, one pool of `--concurrency` workers serves the whole run
(`LLMExtractor.ordered`): documents are read and their narrative submitted while earlier ones
wait for the model, and each is merged, checked and stored on its own, in input order."""
from __future__ import annotations

import glob
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Optional

from . import __version__
from .checks import run_checks
from .errors import InputError, JixiaoError
from .extract import Layout, extract, read_layout
from .ingest import read_document
from .limits import DEFAULT_LIMITS, Limits
from .records import Document, Extraction, Finding
from .store import Store, fingerprint, short_hash

if TYPE_CHECKING:  # the LLM stack is imported only when --llm is used
    from .llm import LLMConfig, LLMExtractor, LLMResult, LLMStats

NOT_ANALYSIS = {"evaluate.py", "eval_report.py", "eval_phrasing.py", "report.py"}  # modules outside code_version()
SUPPORTED_SUFFIXES = {".txt", ".text", ".pdf", ".docx", ".xlsx", ".html", ".htm"}
# taken from folders and globs too, so that each gets its own line ("请另存为 .docx/.xlsx"), and
# because many systems export HTML tables under these names, which are read as HTML
LEGACY_SUFFIXES = {".doc", ".xls", ".wps", ".et", ".rtf"}


@dataclass
class AuditOptions:
    llm: Optional["LLMConfig"] = None  # None: rules only

    @property
    def extractor(self) -> str:
        return "rules+llm" if self.llm is not None else "rules"

    def as_dict(self) -> dict:
        """What changes the result: the extractor, and for the LLM the model, mode, prompt file."""
        d: dict = {"extractor": self.extractor}
        if self.llm is not None:
            from .llm import load_prompt

            d["llm"] = self.llm.fingerprint()
            d["prompt_sha256"] = load_prompt(self.llm.prompt_version).sha256
        return d

    @cached_property
    def hash(self) -> str:  # asked several times per document; the options do not change in a run
        return short_hash(json.dumps(self.as_dict(), sort_keys=True))


@dataclass
class ReportResult:
    source: str  # the path as given
    sha256: Optional[str] = None
    findings: list[Finding] = field(default_factory=list)
    error: Optional[str] = None
    reused: bool = False  # findings came from an earlier identical analysis
    llm: Optional["LLMStats"] = None  # this document's model calls, when --llm
    problems: list[str] = field(default_factory=list)  # a part that could not be read, mixed encodings, a failed LLM chunk
    kind: Optional[str] = None  # 部门决算 / 部门预算 / 自评报告 / 自评表 / 绩效目标表 / 三公说明

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


@dataclass
class Skipped:
    """A path met in a folder or a glob that is not audited, and why (one Chinese phrase)."""

    path: str
    reason: str


@dataclass
class Batch:
    """What `jixiao audit PATHS` will read: (path, error) per input, in order, and the paths
    passed over with their reasons."""

    inputs: list[tuple[str, Optional[str]]] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [p for p, _ in self.inputs]


@lru_cache(maxsize=1)
def code_version() -> str:
    """Package version plus a hash of the source that reads and checks a report: any change to
    it re-analyses. The review UI, the eval harness and the terminal output change no finding."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        if path.parts[-2] == "review" or path.name in NOT_ANALYSIS:
            continue
        h.update(path.relative_to(root).as_posix().encode())
        h.update(path.read_bytes())
    return f"{__version__}+{h.hexdigest()[:10]}"


def plan_inputs(patterns: list[str]) -> Batch:
    """Files as given (any name: the format is read from the bytes); folders walked for report
    files (subfolders that are links are not followed, unreadable ones are named); globs
    expanded to report files only. Everything passed over is named with its reason, and a
    pattern that matches nothing is kept with an error so the user hears about it."""
    batch = Batch()
    seen: set[str] = set()

    def add(path: str, error: Optional[str] = None) -> None:
        if path not in seen:
            seen.add(path)
            batch.inputs.append((path, error))

    def take(path: str) -> None:
        """A file met in a folder or a glob: a report, or skipped with its reason."""
        if Path(path).suffix.lower() in SUPPORTED_SUFFIXES | LEGACY_SUFFIXES:
            add(path)
        else:
            batch.skipped.append(Skipped(path, "不是报告文件类型（只取 .txt .pdf .docx .xlsx .html 及旧版 .doc .xls .wps）"))

    for pattern in patterns:
        if os.path.isdir(pattern):
            _walk(pattern, take, batch.skipped)
        elif os.path.lexists(pattern):
            add(pattern)
        else:
            matches = sorted(glob.glob(pattern, recursive=True))
            if not matches:
                add(pattern, "文件不存在或通配符没有匹配到文件")
            for m in matches:
                if os.path.isdir(m):
                    batch.skipped.append(Skipped(m, "是文件夹：通配符只取文件，要审核整个文件夹请直接给出它"))
                else:
                    take(m)
    return batch


def _walk(folder: str, take: Callable[[str], None], skipped: list[Skipped]) -> None:
    def unreadable(exc: OSError) -> None:
        reason = "没有读取权限" if isinstance(exc, PermissionError) else (exc.strerror or type(exc).__name__)
        skipped.append(Skipped(exc.filename or folder, f"无法进入文件夹：{reason}"))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs.sort()
        for name in list(dirs):
            if os.path.islink(os.path.join(root, name)):
                dirs.remove(name)
                skipped.append(Skipped(os.path.join(root, name), "是指向文件夹的链接，未进入（要审核请直接给出它）"))
        for name in sorted(files):
            if not name.startswith("."):
                take(os.path.join(root, name))


def expand_inputs(patterns: list[str]) -> list[tuple[str, Optional[str]]]:
    """(path, error) pairs of `plan_inputs`."""
    return plan_inputs(patterns).inputs


def analysis_id_for(sha256: str, options: AuditOptions) -> str:
    """One document read by this code with these options: the unit a rerun reuses."""
    return short_hash(sha256, code_version(), options.hash)


@dataclass
class _Pending:
    """A document read, waiting for its rules extraction and its narrative figures from the model."""

    path: str
    doc: Document
    analysis_id: str
    extraction: Optional[Extraction]  # None: extracted when finished (the LLM path sends the narrative first)
    notes: list[str] = field(default_factory=list)  # what the reader said about the document
    layout: Optional[Layout] = None  # read first on the LLM path, so the model gets the rules' narrative


def _prepare(path: str, store: Optional[Store], options: AuditOptions, limits: Limits = DEFAULT_LIMITS,
             defer: bool = False) -> ReportResult | _Pending:
    notes: list[str] = []
    doc = read_document(path, limits, notes)
    analysis_id = analysis_id_for(doc.sha256, options)
    reusable = options.llm is None or options.llm.use_cache  # --no-cache asks the model again
    if store is not None and reusable and store.has_analysis(analysis_id):
        meta = store.analysis_meta(analysis_id)
        stored = [p for p in meta.get("problems", []) if p not in notes]
        return ReportResult(path, doc.sha256, [Finding.from_row(r) for r in store.findings_for(analysis_id)], reused=True,
                            problems=notes + stored, kind=meta.get("kind"))
    return _Pending(path, doc, analysis_id, None if defer else extract(doc), notes)


def _finish(job: _Pending, store: Optional[Store], options: AuditOptions, llm: Optional["LLMResult"]) -> ReportResult:
    """Merge the model's grounded figures into the rules' (checks never learn who read what),
    check, and store in one transaction."""
    extraction = job.extraction if job.extraction is not None else extract(job.doc)  # deferred behind the model's requests
    llm_problems = [f"{job.path}: {p}" for p in llm.problems] if llm is not None else []
    findings, problems = analyse(job.doc, extraction, llm)
    if store is not None:
        # a failed chunk leaves the analysis incomplete: the next run asks again (cache hits
        # for the chunks that worked) instead of reusing it
        store.save_analysis(job.analysis_id, job.doc, code_version(), options.hash, extraction.figures, findings,
                            job.notes + extraction.problems + problems + llm_problems, complete=not llm_problems,
                            kind=extraction.kind, year=extraction.year, tables=extraction.tables)
    return ReportResult(job.path, job.doc.sha256, findings,
                        llm=llm.stats if llm is not None else None,
                        problems=job.notes + extraction.problems + problems + llm_problems, kind=extraction.kind)


def analyse(doc: Document, extraction: Extraction, llm: Optional["LLMResult"] = None,
            only: Optional[set[str]] = None) -> tuple[list[Finding], list[str]]:
    """From a document's extraction to its findings, the one path `audit` and `eval` share:
    the model's grounded figures (when there are any) merged into the rules', the checks (all,
    or `only` these), each finding named by its fingerprint. Returns (findings, problems)."""
    if llm is not None:
        merge_llm(extraction, llm)
    findings, problems = run_checks(doc, extraction, only)
    for f in findings:
        f.fingerprint = fingerprint(doc.sha256, f)
    return findings, problems


def merge_llm(extraction: Extraction, llm: "LLMResult") -> None:
    """The model's grounded figures and "其中" relations into the rules' extraction, in place."""
    from .llm import merge_figures, merge_relations

    extraction.figures = merge_figures(extraction.figures, llm.figures)
    extraction.relations = merge_relations(extraction.relations, llm.relations, extraction.figures)


def _guarded(path: str, work: Callable[[], ReportResult | _Pending]) -> ReportResult | _Pending:
    """Bad input becomes this file's one-line error; the batch goes on."""
    try:
        return work()
    except JixiaoError as exc:
        if _is_endpoint_error(exc):
            raise
        return ReportResult(path, error=str(exc))
    except MemoryError:  # a reader outgrew the machine after all: this file only
        return ReportResult(path, error=str(InputError(path, "内存不足，无法处理这个文件")))
    except Exception as exc:  # an unforeseen reader failure must not stop the batch
        return ReportResult(path, error=str(InputError(path, f"处理失败: {type(exc).__name__}: {exc}")))


def _is_endpoint_error(exc: BaseException) -> bool:
    from .llm.config import LLMEndpointError

    return isinstance(exc, LLMEndpointError)


def audit_one(path: str, store: Optional[Store], options: AuditOptions, limits: Limits = DEFAULT_LIMITS) -> ReportResult:
    """One document with the rules alone (the LLM path goes through `LLMExtractor.ordered`)."""
    prepared = _prepare(path, store, options, limits)
    return prepared if isinstance(prepared, ReportResult) else _finish(prepared, store, options, None)


def audit(
    patterns: list[str] | Batch,
    store: Optional[Store],
    options: AuditOptions,
    on_result: Optional[Callable[[ReportResult], None]] = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    on_start: Optional[Callable[[str], None]] = None,
) -> Iterator[ReportResult]:
    """Results one per input, in input order (`patterns` may be a `plan_inputs` batch).
    An LLM endpoint that cannot be used at all (LLMEndpointError) stops the batch: what was
    finished is stored, the run is marked aborted; Ctrl-C marks it interrupted. `on_start(path)`
    is called before each document is read."""
    batch = patterns if isinstance(patterns, Batch) else plan_inputs(patterns)
    inputs = batch.inputs
    run_id = short_hash(code_version(), options.hash, *sorted(p for p, _ in inputs))
    if store is not None:
        store.start_run(run_id, code_version(), options.as_dict())
    errors = 0
    done = 0

    def settle(path: str, result: ReportResult) -> ReportResult:
        nonlocal errors, done
        errors += result.error is not None
        done += 1
        if store is not None:
            analysis = analysis_id_for(result.sha256, options) if result.sha256 else None
            store.record_input(run_id, path, result.sha256, analysis, result.error)
            store.attach_reviews(result.findings)  # a decided finding reruns as decided, not new
        if on_result:
            on_result(result)
        return result

    llm = None
    try:
        if options.llm is None:
            for path, problem in inputs:
                if on_start:
                    on_start(path)
                if problem:
                    result = ReportResult(path, error=f"{path}: {problem}")
                else:
                    result = _guarded(path, lambda: audit_one(path, store, options, limits))
                yield settle(path, result)
        else:
            from .llm import LLMExtractor

            llm = LLMExtractor(options.llm, store)

            def prepare(item: tuple[str, Optional[str]]) -> ReportResult | _Pending:
                path, problem = item
                if on_start:
                    on_start(path)
                if problem:
                    return ReportResult(path, error=f"{path}: {problem}")
                return _guarded(path, lambda: _prepare(path, store, options, limits, defer=True))

            def narrative_of(prepared: ReportResult | _Pending) -> Optional[tuple]:
                """What the model reads: the narrative between the standard tables and the
                grids, as the rules read it (the layout is kept for the rules, which run after the
                request has left)."""
                if not isinstance(prepared, _Pending):
                    return None
                try:
                    prepared.layout = read_layout(prepared.doc)
                    return prepared.doc, prepared.layout.segments.narrative, prepared.layout.year
                except Exception:  # nothing for the model; the rules' reading says what failed
                    return None

            def rules(prepared: ReportResult | _Pending) -> ReportResult | _Pending:
                if not isinstance(prepared, _Pending):
                    return prepared
                return _guarded(prepared.path, lambda: replace(prepared, extraction=extract(prepared.doc, prepared.layout)))

            def finish(item: tuple[str, Optional[str]], prepared: ReportResult | _Pending, answer: Optional["LLMResult"]) -> ReportResult:
                if isinstance(prepared, _Pending):
                    prepared = _guarded(item[0], lambda: _finish(prepared, store, options, answer))
                return settle(item[0], prepared)

            # one pool for the whole run: documents are read while earlier ones wait for the model
            yield from llm.ordered(inputs, prepare, narrative_of, finish, rules)
    except JixiaoError:
        if store is not None:
            store.finish_run(run_id, done, errors, status="aborted")
        raise
    except (KeyboardInterrupt, GeneratorExit):  # Ctrl-C, or the caller stopped reading
        if store is not None:
            store.finish_run(run_id, done, errors, status="interrupted")
        raise
    finally:
        if llm is not None:
            llm.close()
    if store is not None:
        store.finish_run(run_id, len(inputs), errors)
