"""Narrative figures by a schema-constrained model call per chunk: grounded, re-asked, cached,
logged.

Flow for one batch (`LLMExtractor.extract_many`):
  documents -> narrative spans -> chunks (chunk.py) -> cache lookup (main thread)
  -> misses run in a thread pool of `config.concurrency`, each one instructor call with the
     chunk as validation context (re-asks on grounding errors, transport retries inside)
  -> outcomes written to the store from the calling thread (sqlite connections are per thread)
  -> per document: figures and "其中" relations in document order, whatever order chunks
     finished in.

When the re-asks are exhausted, the last attempt whose JSON still parses is validated again
in lenient mode: the grounded items are kept, the rest dropped and logged (never stored as a
figure). A chunk with nothing parseable, or whose transport retries ran out, is a failure: it
adds a problem line, is not cached, and the other chunks go on. An endpoint that cannot be
used at all (unreachable, key refused, unknown model) raises LLMEndpointError.
"""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Callable, Iterable, Optional

from .. import canon
from ..subjects import read_lead
from ..narrative import classify_parts
from ..records import Document, Figure, PartOf, Span
from .cache import cache_key, encode, schema_hash
from .chunk import Chunk, chunk_narrative, halves
from .client import CallLog, CallRecord, Transport, short_error
from .config import LLMConfig, LLMEndpointError
from .ground import GroundingError, Match, find_all, is_cut, locate_value, quantity_at
from .prompt import Prompt, load_prompt
from .schemas import FigureItem, NarrativeExtraction, PartOfItem

log = logging.getLogger("jixiao.llm")

_CLAUSE = "，,；;：:、。"


# ---- results -----------------------------------------------------------------------------


@dataclass
class LLMStats:
    calls: int = 0  # HTTP attempts, failed ones and re-asks included
    cache_hits: int = 0  # chunks answered from the cache
    input_tokens: int = 0
    output_tokens: int = 0
    reasks: int = 0  # attempts that sent a rejected answer back to the model
    transport_retries: int = 0  # attempts that repeated a request after a 429/5xx/timeout/connection error
    dropped: int = 0  # figures the model gave that did not ground, after the re-asks
    dropped_relations: int = 0
    failures: int = 0  # chunks that gave nothing (transport retries exhausted, nothing parseable)
    latency_ms: float = 0.0  # summed over HTTP attempts
    chunks: int = 0
    chars_sent: int = 0  # chunk characters sent over HTTP (cache hits not counted)
    chars_chunked: int = 0  # characters in all chunks
    chars_document: int = 0  # len(Document.text)

    def __add__(self, other: "LLMStats") -> "LLMStats":
        return LLMStats(**{k: getattr(self, k) + getattr(other, k) for k in self.__dataclass_fields__})

    def summary_line(self) -> str:
        line = (
            f"LLM：调用 {self.calls} 次，缓存命中 {self.cache_hits} 次，输入 {self.input_tokens} / 输出 {self.output_tokens} tokens，"
            f"重问 {self.reasks} 次，传输重试 {self.transport_retries} 次，丢弃 {self.dropped} 个无依据数字"
        )
        if self.dropped_relations:
            line += f"、{self.dropped_relations} 个无依据“其中”关系"
        if self.failures:
            line += f"，{self.failures} 段失败（下次运行重问）"
        if self.latency_ms:
            line += f"，耗时 {self.latency_ms / 1000:.1f} 秒"
        return line


@dataclass
class ReportInfo:
    department: Optional[str] = None
    year: Optional[str] = None
    report_type: Optional[str] = None
    self_score: Optional[Decimal] = None
    self_score_span: Optional[Span] = None  # the quote that states it, in Document.text


@dataclass
class Dropped:
    kind: str  # "figure" | "relation" | "report"
    chunk: Span
    item: Any  # what the model sent
    reason: str  # the grounding error, in Chinese


@dataclass
class LLMResult:
    figures: list[Figure] = field(default_factory=list)  # grounded only, in document order
    relations: list[PartOf] = field(default_factory=list)
    report: ReportInfo = field(default_factory=ReportInfo)
    stats: LLMStats = field(default_factory=LLMStats)
    dropped: list[Dropped] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one Chinese line per failed chunk
    calls: list[dict] = field(default_factory=list)  # the ledger rows of this extraction

    def summary_line(self) -> str:
        return self.stats.summary_line()


@dataclass
class _Outcome:
    """What a worker hands back for one chunk; turned into rows and records in the main thread."""

    doc: int
    chunk: Chunk
    key: str
    status: str  # "ok" | "salvaged" | "cache-hit" | "failed"
    extraction: Optional[NarrativeExtraction] = None
    dropped: list[dict] = field(default_factory=list)
    records: list[CallRecord] = field(default_factory=list)
    problem: Optional[str] = None
    rows: list[dict] = field(default_factory=list)  # ledger rows, filled when recorded
    fatal: Optional[LLMEndpointError] = None


# ---- the extractor -----------------------------------------------------------------------


class LLMExtractor:
    """One endpoint, prompt and thread pool size for a batch of documents. Reuse it across
    documents so the HTTP connections and the concurrency limit are shared."""

    def __init__(
        self,
        config: LLMConfig,
        store: Any = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        http_client: Any = None,
        rng: Any = None,
        clock: Optional[Callable[[], float]] = None,
    ) -> None:
        from instructor.mode import Mode

        self.config = config
        self.store = store
        self.prompt: Prompt = load_prompt(config.prompt_version)
        self.transport = Transport(config, sleep=sleep, http_client=http_client, rng=rng, clock=clock)
        self.mode = {"tools": Mode.TOOLS, "json_schema": Mode.JSON_SCHEMA, "json": Mode.JSON, "md_json": Mode.MD_JSON}[config.mode]
        self._abort = threading.Event()
        quiet = logging.getLogger("instructor")
        if quiet.level == logging.NOTSET:
            # instructor logs every handled re-ask and transport error at ERROR; the ledger has
            # them all, so keep them off the user's terminal unless asked for
            quiet.setLevel(logging.CRITICAL)

    # -- public
    def extract(self, doc: Document, narrative: list[Span]) -> LLMResult:
        return self.extract_many([(doc, narrative)])[0]

    def extract_many(self, items: Iterable[tuple[Document, list[Span]]]) -> list[LLMResult]:
        docs = list(items)
        cfg = self.config
        outcomes: list[_Outcome] = []
        pending: list[_Outcome] = []
        per_doc_chunks: list[list[Chunk]] = []
        for d, (doc, narrative) in enumerate(docs):
            chunks = chunk_narrative(doc.text, narrative, cfg.chunk_chars)
            per_doc_chunks.append(chunks)
            for chunk in chunks:
                key = cache_key(cfg.model, self.prompt.version, self.prompt.sha256, cfg.mode, chunk.text)
                hit = self._from_cache(d, chunk, key)
                if hit is not None:
                    outcomes.append(hit)
                    self._record(docs[d][0], hit)
                else:
                    pending.append(_Outcome(d, chunk, key, "pending"))

        self._abort.clear()
        fatal: Optional[LLMEndpointError] = None
        if pending:
            with ThreadPoolExecutor(max_workers=min(cfg.concurrency, len(pending)), thread_name_prefix="jixiao-llm") as pool:
                futures = {pool.submit(self._run_chunk, job): job for job in pending}
                try:
                    for fut in as_completed(futures):
                        outcome = fut.result()
                        if outcome is None:  # skipped after an abort
                            continue
                        self._record(docs[outcome.doc][0], outcome)
                        if outcome.fatal is not None:
                            fatal = fatal or outcome.fatal
                            self._abort.set()
                            continue
                        outcomes.append(outcome)
                except KeyboardInterrupt:  # Ctrl-C: start nothing more; requests in flight end on their own
                    self._abort.set()
                    for fut in futures:
                        fut.cancel()
                    raise
        if fatal is not None:
            raise fatal
        return [self._result(doc, d, per_doc_chunks[d], [o for o in outcomes if o.doc == d]) for d, (doc, _n) in enumerate(docs)]

    def close(self) -> None:
        self.transport.close()

    # -- cache
    def _from_cache(self, d: int, chunk: Chunk, key: str) -> Optional[_Outcome]:
        if self.store is None or not self.config.use_cache:
            return None
        row = self.store.llm_cache_get(key)
        if row is None:
            return None
        ctx: dict = {"source": chunk.text, "lenient": True, "dropped": []}
        try:
            extraction = NarrativeExtraction.model_validate_json(row["response"], context=ctx)
        except Exception as exc:  # a row written by an older schema: ask again
            log.warning("LLM cache row %s unreadable, asking again: %s", key[:12], short_error(exc))
            return None
        dropped = json.loads(row["dropped"] or "[]") + ctx["dropped"]
        if _all_rejected(extraction, dropped):  # cached by an older version: not an answer, ask again
            return None
        return _Outcome(d, chunk, key, "cache-hit", extraction, dropped, [CallRecord(0, "cache-hit", "ok", 0, 0, 0.0)])

    # -- one chunk, in a worker thread
    def _run_chunk(self, job: _Outcome) -> Optional[_Outcome]:
        if self._abort.is_set():
            return None
        calls = CallLog()
        try:
            extraction, dropped, status, problem = self._ask(job.chunk.text, calls, depth=0)
        except LLMEndpointError as exc:
            self._abort.set()  # before this worker takes another chunk
            return _Outcome(job.doc, job.chunk, job.key, "failed", None, [], calls.records, str(exc), fatal=exc)
        if status == "salvaged" and _all_rejected(extraction, dropped):
            # every item the model gave was refused: that is no reading of the chunk, and caching
            # it would make every later run take "nothing here" for an answer
            status, problem = "failed", f"模型回答的 {len(dropped)} 项在重问 {self.config.max_reasks} 次后仍全部无法在原文中找到依据"
        return _Outcome(job.doc, job.chunk, job.key, status, extraction, dropped, calls.records, problem)

    def _ask(self, text: str, calls: CallLog, depth: int) -> tuple[Optional[NarrativeExtraction], list[dict], str, Optional[str]]:
        import openai
        from instructor.core import Hooks, IncompleteOutputException, InstructorRetryException, patch

        cfg = self.config
        hooks = Hooks()
        hooks.on("parse:error", calls.on_parse_error)
        create = patch(create=self.transport.create_for(calls), mode=self.mode)
        kwargs: dict[str, Any] = {"model": cfg.model, "messages": self.prompt.messages()}
        if cfg.temperature is not None:
            kwargs["temperature"] = cfg.temperature
        if cfg.extra_body:
            kwargs["extra_body"] = cfg.extra_body
        try:
            extraction = create(
                response_model=NarrativeExtraction, context={"source": text}, max_retries=cfg.max_reasks, hooks=hooks, **kwargs
            )
            return extraction, [], "ok", None
        except IncompleteOutputException:
            if calls.records:
                calls.records[-1].outcome, calls.records[-1].error = "error", "输出被截断（finish_reason=length）"
            return self._split_and_ask(text, calls, depth)
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, IncompleteOutputException):
                return self._split_and_ask(text, calls, depth)
            if isinstance(cause, openai.APIError) and self._is_fatal(cause):
                raise self._endpoint_error(cause) from cause
            salvaged = self._salvage(exc, text)
            if salvaged is not None:
                extraction, dropped = salvaged
                for item in dropped:
                    log.info("LLM item dropped after %d re-asks: %s", cfg.max_reasks, item["reason"])
                return extraction, dropped, "salvaged", None
            if isinstance(cause, openai.APIError):
                return None, [], "failed", f"模型调用失败：{short_error(cause, 200)}"
            return None, [], "failed", f"模型 {cfg.max_reasks + 1} 次回答都无法解析：{short_error(cause or exc, 200)}"
        except openai.APIError as exc:  # raised outside instructor's loop (should not happen)
            if self._is_fatal(exc):
                raise self._endpoint_error(exc) from exc
            return None, [], "failed", f"模型调用失败：{short_error(exc, 200)}"

    def _split_and_ask(self, text: str, calls: CallLog, depth: int):
        """The answer did not fit in the model's output limit: ask for each half separately and
        validate the union against the whole chunk."""
        if depth >= 2 or len(text) < 300:
            return None, [], "failed", "模型输出被截断（输出长度上限不够）"
        merged: dict = {"figures": [], "relations": [], "report": None}
        dropped: list[dict] = []
        for s, e in halves(text):
            part, part_dropped, status, problem = self._ask(text[s:e], calls, depth + 1)
            if part is None:
                return None, [], "failed", problem
            dumped = part.model_dump()
            merged["figures"] += dumped["figures"]
            merged["relations"] += dumped["relations"]
            merged["report"] = merged["report"] or dumped["report"]
            dropped += part_dropped
        ctx: dict = {"source": text, "lenient": True, "dropped": dropped}
        return NarrativeExtraction.model_validate(merged, context=ctx), ctx["dropped"], "salvaged" if dropped else "ok", None

    def _salvage(self, exc: Any, text: str) -> Optional[tuple[NarrativeExtraction, list[dict]]]:
        """The grounded part of the latest answer that still parses, validated leniently."""
        from instructor.v2.core.providers import Provider
        from instructor.v2.core.registry import mode_registry

        parser = mode_registry.get_handlers(Provider.OPENAI, self.mode).response_parser
        for attempt in reversed(getattr(exc, "failed_attempts", None) or []):
            if attempt.completion is None:
                continue
            ctx: dict = {"source": text, "lenient": True, "dropped": []}
            try:
                parsed = parser(response=attempt.completion, response_model=NarrativeExtraction, validation_context=ctx, strict=False, stream=False, is_async=False)
            except Exception:
                continue
            if isinstance(parsed, NarrativeExtraction):
                return parsed, ctx["dropped"]
        return None

    @staticmethod
    def _is_fatal(exc: BaseException) -> bool:
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return False
        if isinstance(exc, openai.APIConnectionError):
            return True
        return getattr(exc, "status_code", None) in (401, 403, 404)

    def _endpoint_error(self, exc: BaseException) -> LLMEndpointError:
        import openai

        status = getattr(exc, "status_code", None)
        if isinstance(exc, openai.APIConnectionError):
            cause = exc.__cause__ or exc
            return LLMEndpointError(self.config.base_url, f"无法连接（重试 {self.config.max_transport_retries} 次后）：{short_error(cause, 160)}")
        if status in (401, 403):
            return LLMEndpointError(self.config.base_url, f"HTTP {status}，API key 被拒绝：请检查 OPENAI_API_KEY")
        return LLMEndpointError(self.config.base_url, f"HTTP {status}：请检查 OPENAI_BASE_URL 与模型名 {self.config.model}")

    # -- main thread: persistence and results
    def _record(self, doc: Document, o: _Outcome) -> None:
        cfg, p = self.config, self.prompt
        base = {
            "sha256": doc.sha256, "chunk_start": o.chunk.start, "chunk_end": o.chunk.end, "base_url": cfg.base_url,
            "model": cfg.model, "prompt_version": p.version, "prompt_hash": p.sha256, "mode": cfg.mode, "cache_key": o.key,
        }
        o.rows = [
            {**base, "attempt": r.attempt, "kind": r.kind, "input_tokens": r.input_tokens, "output_tokens": r.output_tokens,
             "latency_ms": r.latency_ms, "outcome": r.outcome, "error": r.error, "created_at": r.created_at}
            for r in o.records
        ]
        if self.store is None:
            return
        if o.status in ("ok", "salvaged") and o.extraction is not None:
            response, dropped = encode(o.extraction, o.dropped)
            self.store.llm_cache_put(
                {"key": o.key, "model": cfg.model, "prompt_version": p.version, "prompt_hash": p.sha256, "schema_hash": schema_hash(),
                 "mode": cfg.mode, "chunk_sha256": hashlib.sha256(o.chunk.text.encode("utf-8")).hexdigest(),
                 "response": response, "dropped": dropped}
            )
        extraction_row = {
            "sha256": doc.sha256, "chunk_start": o.chunk.start, "chunk_end": o.chunk.end, "cache_key": o.key, "model": cfg.model,
            "prompt_version": p.version, "prompt_hash": p.sha256, "mode": cfg.mode, "status": o.status,
            "figures": len(o.extraction.figures) if o.extraction else 0, "relations": len(o.extraction.relations) if o.extraction else 0,
            "dropped": json.dumps(o.dropped, ensure_ascii=False, default=str), "problem": o.problem,
        }
        self.store.llm_log(o.rows, extraction_row)

    def _result(self, doc: Document, d: int, chunks: list[Chunk], outcomes: list[_Outcome]) -> LLMResult:
        result = LLMResult()
        st = result.stats
        st.chars_document = len(doc.text)
        st.chunks = len(chunks)
        st.chars_chunked = sum(len(c.text) for c in chunks)
        for o in sorted(outcomes, key=lambda o: (o.chunk.start, o.chunk.end)):
            result.calls.extend(o.rows)
            http = [r for r in o.records if r.kind != "cache-hit"]
            st.calls += len(http)
            st.cache_hits += o.status == "cache-hit"
            st.reasks += sum(r.kind == "reask" for r in http)
            st.transport_retries += sum(r.kind == "transport-retry" for r in http)
            st.input_tokens += sum(r.input_tokens or 0 for r in http)
            st.output_tokens += sum(r.output_tokens or 0 for r in http)
            st.latency_ms += sum(r.latency_ms for r in http)
            if http:
                st.chars_sent += len(o.chunk.text)
            for item in o.dropped:
                result.dropped.append(Dropped(item.get("kind", "figure"), o.chunk.span, item.get("item"), item.get("reason", "")))
            st.dropped += sum(1 for item in o.dropped if item.get("kind") == "figure")
            st.dropped_relations += sum(1 for item in o.dropped if item.get("kind") == "relation")
            if o.status == "failed" or o.extraction is None:
                st.failures += 1
                result.problems.append(f"第 {o.chunk.start}–{o.chunk.end} 字未能由 LLM 摘录：{o.problem or '无结果'}")
                continue
            figures = figures_from(doc, o.chunk, o.extraction.figures)
            result.figures.extend(figures)
            result.relations.extend(relations_from(o.chunk, o.extraction.relations, figures))
            _merge_report(result.report, o.chunk, o.extraction)
        result.figures = _dedupe(result.figures)
        result.relations.sort(key=lambda r: (r.span.start, r.span.end))
        st.latency_ms = round(st.latency_ms, 1)
        return result


def _all_rejected(extraction: Optional[NarrativeExtraction], dropped: list[dict]) -> bool:
    """The answer had figures or relations, and not one of them grounded."""
    refused = [item for item in dropped if item.get("kind") in ("figure", "relation")]
    return bool(refused) and (extraction is None or not (extraction.figures or extraction.relations))


# ---- model items -> records ----------------------------------------------------------------


def _label_prefix(text: str, number_start: int) -> str:
    """Text between the last clause mark and the number, like the rules extractor's raw label."""
    cut = max(text.rfind(ch, 0, number_start) for ch in _CLAUSE)
    return text[cut + 1 : number_start]


def figures_from(doc: Document, chunk: Chunk, items: list[FigureItem]) -> list[Figure]:
    """Figures with offsets into Document.text. Where a quote occurs more than once, each item
    takes the first occurrence whose number no earlier item has taken and that the quote does
    not cut short ("城市380元" inside "城市380元/人·月")."""
    taken: list[Span] = []
    out: list[Figure] = []
    for item in items:
        candidates = []
        for m in item.grounded.matches:
            try:
                q = quantity_at(m, item.value, item.unit, item.label, chunk.text)
            except GroundingError:
                continue
            free = not any(q.span.overlaps(t) for t in taken)
            # prefer a place no earlier item took, then one where the quote does not cut a number
            candidates.append((not free, is_cut(m, q, chunk.text), m.start, m, q))
        if not candidates:
            continue
        _, _, _, m, q = min(candidates, key=lambda c: c[:3])
        taken.append(q.span)
        q = _shift_quantity(q, chunk.start)
        label = canon.trim_label(item.label) or item.label.strip()
        prefix = _label_prefix(doc.text, q.span.start)
        # what the figure is, read from the words the document prints before it (the same
        # reading the rules do): a change or a prior-year amount is never the figure itself
        lead = read_lead(prefix)
        named = read_lead(label)
        subject = named.subject if lead.role == "level" else None
        role = {"change": "change_pct" if q.unit == "%" else "change"}.get(lead.role, lead.role)
        if role == "level" and q.unit == "分":
            role = "score"
        canonical = subject.item if subject is not None else (canon.canonical(label) if q.unit in ("分", "%", None) else None)
        # a year counts only when it is printed with the figure (its clause or its quote)
        period = item.year if item.year and item.year in prefix + chunk.text[m.start : m.end] else None
        if lead.period == "上年" or named.period == "上年":
            period = "上年"
        out.append(
            Figure(
                label=label,
                quantity=q,
                span=Span(chunk.start + m.start, chunk.start + m.end),
                canonical=canonical if role in ("level", "score", "rate") else None,
                measure=named.measure or lead.measure,
                source="llm",
                context="narrative",
                period=period,
                subject=subject,
                role=role,
                confidence="stated" if subject is not None else "none",
            )
        )
    return out


def _shift_quantity(q, offset: int):
    from dataclasses import replace

    return replace(q, span=q.span.shift(offset))


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _figure_for(matches: tuple[Match, ...], chunk: Chunk, figures: list[Figure], used: set[int]) -> Optional[Figure]:
    best, best_score = None, 0
    for m in matches:
        span = Span(chunk.start + m.start, chunk.start + m.end)
        for i, f in enumerate(figures):
            if i in used:
                continue
            score = _overlap(span, f.span) + (1000 if f.span == span else 0)
            if score > best_score:
                best, best_score = i, score
    if best is None:
        return None
    used.add(best)
    return figures[best]


def _same_kind(a, b) -> bool:
    return a.unit == b.unit and a.unit is not None and a.unit != "%"


def relations_from(chunk: Chunk, items: list[PartOfItem], figures: list[Figure]) -> list[PartOf]:
    """"其中" relations over this chunk's figures, judged like the rules extractor's: parts in
    the total's unit only, and the identity check when the labels form a known breakdown."""
    out = []
    for rel in items:
        used: set[int] = set()
        total = _figure_for(rel.total_matches, chunk, figures, used)
        parts = [p for ms in rel.part_matches if (p := _figure_for(ms, chunk, figures, used)) is not None]
        if total is None or not parts:
            continue
        relation = part_of(total, parts)
        if relation is not None:
            out.append(relation)
    return out


def part_of(total: Figure, parts: list[Figure]) -> Optional[PartOf]:
    parts = [p for p in parts if _same_kind(p.quantity, total.quantity) and p.quantity.op is None]
    if not parts:
        return None
    relation = classify_parts(total, parts)
    spans = [total.span] + [p.span for p in parts]
    relation.span = Span(min(s.start for s in spans), max(s.end for s in spans))
    return relation


def _merge_report(info: ReportInfo, chunk: Chunk, ex: NarrativeExtraction) -> None:
    meta = ex.report
    if meta is None:
        return
    info.department = info.department or meta.department
    info.year = info.year or meta.year
    info.report_type = info.report_type or meta.report_type
    if info.self_score is None and meta.self_score and meta.self_score_quote:
        ms = find_all(meta.self_score_quote, chunk.text)
        if ms:
            try:
                q = locate_value(meta.self_score, None, chunk.text[ms[0].start : ms[0].end])
            except GroundingError:
                return
            info.self_score = q.value
            info.self_score_span = Span(chunk.start + ms[0].start, chunk.start + ms[0].end)


def _dedupe(figures: list[Figure]) -> list[Figure]:
    """One figure per printed number, in document order."""
    seen: set[tuple[int, int]] = set()
    out = []
    for f in sorted(figures, key=lambda f: (f.quantity.span.start, f.span.start, f.span.end)):
        key = (f.quantity.span.start, f.quantity.span.end)
        if key in seen:
            continue
        seen.add(key)
        out.append(f)
    return out


# ---- public helpers -------------------------------------------------------------------------


def extract_figures_llm(
    doc: Document, narrative: list[Span], config: LLMConfig, store: Any = None, **options: Any
) -> LLMResult:
    """Narrative figures of one document by the model. `options` go to LLMExtractor (sleep,
    http_client, rng, clock). For a batch, use one LLMExtractor and `extract_many`."""
    extractor = LLMExtractor(config, store, **options)
    try:
        return extractor.extract(doc, narrative)
    finally:
        extractor.close()


def extract_many(
    items: Iterable[tuple[Document, list[Span]]], config: LLMConfig, store: Any = None, **options: Any
) -> list[LLMResult]:
    """Several documents over one pool of `config.concurrency` workers; results in input order."""
    extractor = LLMExtractor(config, store, **options)
    try:
        return extractor.extract_many(items)
    finally:
        extractor.close()


def merge_figures(rule_figures: list[Figure], llm_figures: list[Figure]) -> list[Figure]:
    """One figure per printed number, document order. Where both read the same number the rule
    figure stays, unless only the model's label is a known one: the rules read "全年支出" where
    the model quoted "基本支出方面，全年支出653.89万元". Either label is verbatim in the source,
    so the canonical one may reach the checks whoever found it."""
    out = list(rule_figures)
    for f in llm_figures:
        clashes = [i for i, r in enumerate(out) if f.quantity.span.overlaps(r.quantity.span)]
        if not clashes:
            out.append(f)
        elif f.canonical is not None and len(clashes) == 1 and out[clashes[0]].canonical is None and out[clashes[0]].source != "llm":
            out[clashes[0]] = f
    return sorted(out, key=lambda f: (f.span.start, f.quantity.span.start))


def merge_relations(rule_relations: list[PartOf], llm_relations: list[PartOf], figures: list[Figure]) -> list[PartOf]:
    """Rule relations, plus LLM relations whose total no rule relation already has. Members the
    rules also read are swapped for the rule figure (same number, canonical label)."""
    by_number = {(f.quantity.span.start, f.quantity.span.end): f for f in figures}

    def swap(f: Figure) -> Figure:
        return by_number.get((f.quantity.span.start, f.quantity.span.end), f)

    out = list(rule_relations)
    for r in llm_relations:
        if any(r.total.quantity.span.overlaps(x.total.quantity.span) for x in rule_relations):
            continue
        relation = part_of(swap(r.total), [swap(p) for p in r.parts])
        if relation is not None:
            out.append(relation)
    return sorted(out, key=lambda r: (r.span.start, r.span.end))


__all__ = [
    "LLMExtractor", "LLMResult", "LLMStats", "ReportInfo", "Dropped",
    "extract_figures_llm", "extract_many", "merge_figures", "merge_relations", "figures_from", "relations_from",
]
