"""Narrative figures by a schema-constrained model call per chunk: grounded, re-asked, cached,
logged, with `concurrency` requests in flight for the whole run.

One `LLMExtractor` serves a batch. Its thread pool and its openai/instructor client are built
once, before the first request, and live until `close()`.

  submit(doc, narrative)  main thread: chunks (chunk.py) and cache rows (the store is read
                          only here), then one pool job per chunk -> `Submitted`
  worker                  the cached answer validated again, or one instructor call (re-asks on
                          grounding errors, transport retries inside) holding one of the
                          `concurrency` request slots; then, the slot given back, building the
                          chunk's records (figures_from, relations_from), so neither the calling
                          thread nor a request slot waits on that work
  collect(submitted)      main thread: the chunks' outcomes written to the store, and the
                          document's LLMResult, in document order whatever order chunks finished

`ordered(items, …)` is the batch loop: it keeps `concurrency` chunks submitted and ready to
leave (their requests built by their workers) beyond those in flight, so a slot that frees is
taken at once by the next request without waiting for the calling thread; runs the rules'
reading of each document while its requests are out; and finishes documents in input order as
their answers come, so the pool never drains between documents.

When the re-asks are exhausted, the last attempt whose JSON still parses is validated again
in lenient mode: the grounded items are kept, the rest dropped and logged (never stored as a
figure). A chunk with nothing parseable, or whose transport retries ran out, is a failure: it
adds a problem line, is not cached, and the other chunks go on. An endpoint that cannot be
used at all (unreachable, key refused, unknown model) raises LLMEndpointError.
"""
from __future__ import annotations

import gc
import hashlib
import json
import logging
import re
import threading
import time
from bisect import bisect_left, insort
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any, Callable, Iterable, Iterator, Optional, TypeVar

from .. import canon, vocab
from ..narrative import classify_parts
from ..quantity import moved
from ..records import Document, Figure, PartOf, Span
from ..subjects import named_subject, read_lead
from .cache import cache_key, encode, schema_hash
from .chunk import Chunk, chunk_narrative, halves, is_heading
from .client import CallLog, CallRecord, Transport, short_error
from .config import LLMConfig, LLMEndpointError
from .ground import Match, contains, find_all, is_cut
from .prompt import Prompt, load_prompt
from .schemas import FigureItem, NarrativeExtraction, PartOfItem
from .tokens import counter_for

log = logging.getLogger("jixiao.llm")
# the same leads recur across chunks and documents ("基本支出", "其中："); a Lead is only read here
_lead = lru_cache(maxsize=8192)(read_lead)

_CLAUSE = "，,；;：:、。"
_SENTENCE_END = "。！？!?\n"
_SENTENCE_MARK = re.compile("[" + re.escape(_SENTENCE_END) + "]")
_PREVIOUS = re.compile(vocab.PREVIOUS_YEAR)

T = TypeVar("T")
R = TypeVar("R")


# ---- results -----------------------------------------------------------------------------


@dataclass
class LLMStats:
    calls: int = 0  # HTTP attempts, failed ones and re-asks included
    cache_hits: int = 0  # chunks answered from the cache
    input_tokens: int = 0  # as the endpoint reports them (usage.prompt_tokens)
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
    tokens_sent: int = 0  # every HTTP attempt as counted here (prompt, schema, chunk, re-asks)
    narrative_tokens: int = 0  # the document's narrative, counted the same way
    token_counter: str = ""  # how they were counted (tokens.py)

    def __add__(self, other: "LLMStats") -> "LLMStats":
        summed = {k: getattr(self, k) + getattr(other, k) for k in self.__dataclass_fields__ if k != "token_counter"}
        return LLMStats(**summed, token_counter=self.token_counter or other.token_counter)

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
        if self.tokens_sent and self.narrative_tokens:
            line += (f"，发送 {self.tokens_sent} tokens，为叙述文字本身 {self.narrative_tokens} tokens 的 "
                     f"{self.tokens_sent / self.narrative_tokens:.2f} 倍（计数：{self.token_counter}）")
        return line


@dataclass
class Dropped:
    kind: str  # "figure" | "relation"
    chunk: Span
    item: Any  # what the model sent
    reason: str  # the grounding error, in Chinese


@dataclass
class LLMResult:
    figures: list[Figure] = field(default_factory=list)  # grounded only, in document order
    relations: list[PartOf] = field(default_factory=list)
    stats: LLMStats = field(default_factory=LLMStats)
    dropped: list[Dropped] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # one Chinese line per failed chunk
    calls: list[dict] = field(default_factory=list)  # the ledger rows of this extraction

    def summary_line(self) -> str:
        return self.stats.summary_line()


@dataclass
class _Outcome:
    """What a worker hands back for one chunk: the answer, and the records built from it."""

    chunk: Chunk
    key: str
    status: str  # "ok" | "salvaged" | "cache-hit" | "failed"
    extraction: Optional[NarrativeExtraction] = None
    dropped: list[dict] = field(default_factory=list)
    records: list[CallRecord] = field(default_factory=list)
    problem: Optional[str] = None
    fatal: Optional[LLMEndpointError] = None
    figures: list[Figure] = field(default_factory=list)
    relations: list[PartOf] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # ledger rows, filled when recorded


@dataclass
class Submitted:
    """A document whose chunks are in the pool."""

    doc: Document
    chunks: list[Chunk]
    futures: list[Future]
    narrative_tokens: int

    def done(self) -> bool:
        return all(f.done() for f in self.futures)

    def open_chunks(self) -> int:
        return sum(not f.done() for f in self.futures)


@contextmanager
def _uncollected() -> Iterator[None]:
    """The cyclic garbage collector off for a while (speed, issue 14)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


class _Ticket:
    """A submitted chunk, counted among the unsent until its first request takes a slot."""

    __slots__ = ("left",)

    def __init__(self) -> None:
        self.left = False


class _Cancelled(BaseException):
    """The batch stopped while a chunk waited for a request slot (a BaseException, so that
    instructor's and tenacity's handlers of failed requests pass it through)."""


class _Slot:
    """A chunk's hold on one of the `concurrency` request slots, around each of its HTTP calls
    (the transport retries included), so that building a request happens before the wait and
    parsing and grounding an answer after it: the slots count requests in flight, and a freed
    slot goes to a request that is ready to leave (speed, issue 14). Once the batch is stopped
    no request starts (`_Cancelled`). Used by one worker thread at a time."""

    def __init__(self, slots: threading.BoundedSemaphore, abort: threading.Event, on_taken: Callable[[], None] = lambda: None) -> None:
        self._slots, self._abort, self._held, self._on_taken = slots, abort, False, on_taken

    def __enter__(self) -> "_Slot":
        if not self._held:
            self._slots.acquire()
            self._held = True
            self._on_taken()
        if self._abort.is_set():
            self.__exit__()
            raise _Cancelled
        return self

    def __exit__(self, *exc: Any) -> None:
        if self._held:
            self._held = False
            self._slots.release()


@lru_cache(maxsize=1)
def response_model() -> type[NarrativeExtraction]:
    """NarrativeExtraction as instructor wraps it for a request, wrapped once (speed, issue 14):
    given the plain model, instructor builds a new wrapper class for every request, and with it
    the tool schema, which its schema cache then never finds again. The same class and schema,
    so the same requests and answers."""
    try:
        from instructor.v2.core.function_calls import response_schema
    except ImportError:  # another instructor: let it wrap the model itself
        return NarrativeExtraction
    return response_schema(NarrativeExtraction)


# ---- the extractor -----------------------------------------------------------------------


class LLMExtractor:
    """One endpoint, prompt, client and thread pool for a batch of documents."""

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
        # what is loaded and built here lives as long as the batch: no full collection of it on
        # the way (≈0.2 s before the first request); it is frozen right after
        with _uncollected():
            # imported here, before the first request, not by the first workers in parallel
            import instructor.core  # noqa: F401
            from instructor.mode import Mode

            self.config = config
            self.store = store
            self.prompt: Prompt = load_prompt(config.prompt_version)
            self.transport = Transport(config, sleep=sleep, http_client=http_client, rng=rng, clock=clock)
            self.counter = counter_for(config.model)
            self.mode = {"tools": Mode.TOOLS, "json_schema": Mode.JSON_SCHEMA, "json": Mode.JSON, "md_json": Mode.MD_JSON}[config.mode]
            self._abort = threading.Event()
            self._fatal: Optional[LLMEndpointError] = None
            # twice as many threads as requests in flight: a worker that is building a document's
            # records has given its request slot to the next chunk already
            self._slots = threading.BoundedSemaphore(config.concurrency)
            self._thread = threading.local()  # the worker's _Slot, for its requests
            # chunks submitted whose request has not left yet, so that `ordered` keeps a window of
            # them ready for the slots that free (speed, issue 14); notified when one leaves or ends
            self._unsent = 0
            self._state = threading.Condition()
            self._pool = ThreadPoolExecutor(max_workers=2 * config.concurrency, thread_name_prefix="jixiao-llm")
            self._warm_up()
        # what is alive now (openai, pydantic, instructor: ≈190,000 objects) lives as long as the
        # batch: frozen until close(), a full collection scans only what the batch made, instead
        # of holding every thread for ≈0.2 s while answers wait to be read (speed, issue 14)
        gc.freeze()
        self._frozen = True
        quiet = logging.getLogger("instructor")
        if quiet.level == logging.NOTSET:
            # instructor logs every handled re-ask and transport error at ERROR; the ledger has
            # them all, so keep them off the user's terminal unless asked for
            quiet.setLevel(logging.CRITICAL)

    def _warm_up(self) -> None:
        """What the first request would otherwise load while others wait (≈0.5 s): openai's
        resource classes, instructor's OpenAI handlers and the response schema."""
        from instructor.core import patch
        from instructor.v2.core.providers import Provider
        from instructor.v2.core.registry import mode_registry

        self.transport.client.chat.completions  # noqa: B018 — openai imports its resources on first use
        mode_registry.get_handlers(Provider.OPENAI, self.mode)
        patch(create=self.transport.create_for(CallLog()), mode=self.mode)
        NarrativeExtraction.model_json_schema()
        response_model()

    # -- public
    def extract(self, doc: Document, narrative: list[Span]) -> LLMResult:
        return self.extract_many([(doc, narrative)])[0]

    def extract_many(self, items: Iterable[tuple]) -> list[LLMResult]:
        """Several documents over the pool, each (document, narrative[, year]); results in input order."""
        submitted = [self.submit(*item) for item in items]
        try:
            return [self.collect(s) for s in submitted]
        except BaseException:
            self.cancel()
            raise

    def submit(self, doc: Document, narrative: list[Span], year: Optional[str] = None) -> Submitted:
        """Chunk a document and put its chunks in the pool (cache rows are read here, in the
        calling thread, which owns the store). `year` is the year the document reports on, where
        known: a figure of that year has no period of its own, as in the rules' reading."""
        cfg = self.config
        chunks = chunk_narrative(doc.text, narrative, cfg.chunk_tokens)
        futures = []
        for chunk in chunks:
            key = cache_key(cfg.model, self.prompt.version, self.prompt.sha256, cfg.mode, chunk.text)
            row = self.store.llm_cache_get(key) if self.store is not None and cfg.use_cache else None
            ticket = _Ticket()
            with self._state:
                self._unsent += 1
            future = self._pool.submit(self._work, doc, chunk, key, row, year, ticket)
            future.add_done_callback(lambda _f, t=ticket: self._left(t))  # after the result is set
            futures.append(future)
        own = self.counter.count("\n".join(doc.text[s.start : s.end] for s in sorted(narrative)))
        return Submitted(doc, chunks, futures, own)

    def collect(self, submitted: Submitted) -> LLMResult:
        """Wait for a document's chunks, store what they did, and build its result."""
        outcomes = [f.result() for f in submitted.futures]
        for o in outcomes:
            if o is not None:
                self._record(submitted.doc, o)
        fatal = self._fatal if self._abort.is_set() else None
        if fatal is not None and (any(o is None or o.fatal for o in outcomes)):
            raise fatal
        return self._result(submitted, [o for o in outcomes if o is not None])

    def ordered(
        self,
        items: Iterable[T],
        prepare: Callable[[T], Any],
        narrative_of: Callable[[Any], Optional[tuple[Document, list[Span], Optional[str]]]],
        finish: Callable[[T, Any, Optional[LLMResult]], R],
        after_submit: Optional[Callable[[Any], Any]] = None,
    ) -> Iterator[R]:
        """`finish(item, prepare(item), its LLMResult or None)` for each item, in input order,
        while the next documents are read and submitted as earlier ones wait for their answers.
        `narrative_of(prepared)` gives the document, its narrative spans and its year, or None
        for an item with nothing to send; `after_submit(prepared)` (the rules' reading, say) then
        runs while its requests are out, and its result replaces `prepared`.

        The calling thread does one thing at a time, the first of (speed, issue 14):
        1. read and submit the next document while fewer than `concurrency` chunks wait for a
           request slot, so a slot that frees finds a request ready to leave, built by its
           worker beforehand (the worker that frees it does not wait for this thread);
        2. finish the first document, once its answers are in;
        3. the put-off `after_submit` readings, oldest first, so a document's rules extraction
           runs while its requests are out and not after its answers came;
        4. read ahead while fewer than 3 × `concurrency` chunks are open;
        5. otherwise wait for one of these to become possible.
        At most 3 × `concurrency` documents are held between reading and finishing."""
        # [item, prepared, submitted, whether after_submit is still to run on prepared]
        queue: deque[list] = deque()
        source = iter(items)
        more = True
        concurrency = self.config.concurrency
        lookahead = 3 * concurrency

        def read_next() -> None:
            nonlocal more
            try:
                item = next(source)
            except StopIteration:
                more = False
                return
            prepared = prepare(item)
            work = narrative_of(prepared)
            submitted = self.submit(*work) if work is not None else None
            queue.append([item, prepared, submitted, after_submit is not None])

        def head_done() -> bool:
            return bool(queue) and (queue[0][2] is None or queue[0][2].done())

        def starving() -> bool:
            return more and len(queue) < lookahead and self._unsent < concurrency

        def open_chunks() -> int:
            return sum(e[2].open_chunks() for e in queue if e[2] is not None)

        try:
            while more or queue:
                if starving() or not queue:
                    read_next()
                elif head_done():
                    head = queue.popleft()
                    if head[3]:  # its answers came before its own reading ran
                        head[1], head[3] = after_submit(head[1]), False
                    item, prepared, submitted, _pending = head
                    yield finish(item, prepared, self.collect(submitted) if submitted is not None else None)
                elif (put_off := next((e for e in queue if e[3]), None)) is not None:
                    put_off[1], put_off[3] = after_submit(put_off[1]), False
                elif more and len(queue) < lookahead and open_chunks() < lookahead:
                    read_next()
                else:
                    with self._state:  # woken when a chunk's request leaves or a chunk ends
                        self._state.wait_for(lambda: head_done() or starving(), timeout=1.0)
        except BaseException:  # Ctrl-C, an unusable endpoint, or a caller that stopped reading
            self.cancel()
            raise

    def cancel(self) -> None:
        """Start nothing more: chunks not yet started are dropped; requests in flight end on their own."""
        self._abort.set()

    def close(self) -> None:
        self._pool.shutdown(wait=not self._abort.is_set(), cancel_futures=True)
        self.transport.close()
        if self._frozen:  # the collector sees them again
            self._frozen = False
            gc.unfreeze()

    # -- one chunk, in a worker thread
    def _left(self, ticket: "_Ticket") -> None:
        """A chunk's request left (or the chunk ended without one): wake the batch loop."""
        with self._state:
            if not ticket.left:
                ticket.left = True
                self._unsent -= 1
            self._state.notify_all()

    def _work(self, doc: Document, chunk: Chunk, key: str, row: Optional[dict], year: Optional[str],
              ticket: Optional["_Ticket"] = None) -> Optional[_Outcome]:
        if self._abort.is_set():
            return None
        outcome = self._from_cache(chunk, key, row) if row is not None else None
        if outcome is None:
            if self._abort.is_set():
                return None
            self._thread.slot = _Slot(self._slots, self._abort, (lambda: self._left(ticket)) if ticket is not None else (lambda: None))
            try:
                outcome = self._run_chunk(chunk, key)
            except _Cancelled:  # the batch was stopped while this chunk waited for a slot
                return None
        if outcome.extraction is not None and outcome.fatal is None:
            outcome.figures = figures_from(doc, outcome.chunk, outcome.extraction.figures, year)
            outcome.relations = relations_from(outcome.chunk, outcome.extraction.relations, outcome.figures)
        return outcome

    def _from_cache(self, chunk: Chunk, key: str, row: dict) -> Optional[_Outcome]:
        ctx: dict = {"source": chunk.text, "breaks": chunk.breaks, "lenient": True, "dropped": []}
        try:
            extraction = NarrativeExtraction.model_validate_json(row["response"], context=ctx)
        except Exception as exc:  # a row written by an older schema: ask again
            log.warning("LLM cache row %s unreadable, asking again: %s", key[:12], short_error(exc))
            return None
        dropped = json.loads(row["dropped"] or "[]") + ctx["dropped"]
        if _all_rejected(extraction, dropped):  # cached by an older version: not an answer, ask again
            return None
        return _Outcome(chunk, key, "cache-hit", extraction, dropped, [CallRecord(0, "cache-hit", "ok", 0, 0, 0.0)])

    def _run_chunk(self, chunk: Chunk, key: str) -> _Outcome:
        calls = CallLog()
        try:
            extraction, dropped, status, problem = self._ask(chunk.text, chunk.breaks, calls, depth=0)
        except LLMEndpointError as exc:
            self._fatal = self._fatal or exc
            self._abort.set()  # before this worker takes another chunk
            return _Outcome(chunk, key, "failed", None, [], calls.records, str(exc), fatal=exc)
        if status == "salvaged" and _all_rejected(extraction, dropped):
            # every item the model gave was refused: that is no reading of the chunk, and caching
            # it would make every later run take "nothing here" for an answer
            status, problem = "failed", f"模型回答的 {len(dropped)} 项在重问 {self.config.max_reasks} 次后仍全部无法在原文中找到依据"
        return _Outcome(chunk, key, status, extraction, dropped, calls.records, problem)

    def _ask(self, text: str, breaks: tuple[int, ...], calls: CallLog, depth: int) -> tuple[Optional[NarrativeExtraction], list[dict], str, Optional[str]]:
        import openai
        from instructor.core import Hooks, IncompleteOutputException, InstructorRetryException, patch

        cfg = self.config
        hooks = Hooks()
        hooks.on("parse:error", calls.on_parse_error)
        create = patch(create=self.transport.create_for(calls, getattr(self._thread, "slot", None)), mode=self.mode)
        kwargs: dict[str, Any] = {"model": cfg.model, "messages": self.prompt.messages()}
        if cfg.temperature is not None:
            kwargs["temperature"] = cfg.temperature
        if cfg.extra_body:
            kwargs["extra_body"] = cfg.extra_body
        try:
            extraction = create(
                response_model=response_model(), context={"source": text, "breaks": breaks}, max_retries=cfg.max_reasks,
                hooks=hooks, **kwargs
            )
            return extraction, [], "ok", None
        except IncompleteOutputException:
            if calls.records:
                calls.records[-1].outcome, calls.records[-1].error = "error", "输出被截断（finish_reason=length）"
            return self._split_and_ask(text, breaks, calls, depth)
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, IncompleteOutputException):
                return self._split_and_ask(text, breaks, calls, depth)
            if isinstance(cause, openai.APIError) and self._is_fatal(cause):
                raise self._endpoint_error(cause) from cause
            salvaged = self._salvage(exc, text, breaks)
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

    def _split_and_ask(self, text: str, breaks: tuple[int, ...], calls: CallLog, depth: int):
        """The answer did not fit in the model's output limit: ask for each half separately and
        validate the union against the whole chunk."""
        if depth >= 2 or len(text) < 300:
            return None, [], "failed", "模型输出被截断（输出长度上限不够）"
        merged: dict = {"figures": [], "relations": []}
        dropped: list[dict] = []
        for s, e in halves(text):
            part, part_dropped, status, problem = self._ask(text[s:e], tuple(b - s for b in breaks if s <= b < e), calls, depth + 1)
            if part is None:
                return None, [], "failed", problem
            dumped = part.model_dump()
            merged["figures"] += dumped["figures"]
            merged["relations"] += dumped["relations"]
            dropped += part_dropped
        ctx: dict = {"source": text, "breaks": breaks, "lenient": True, "dropped": dropped}
        return NarrativeExtraction.model_validate(merged, context=ctx), ctx["dropped"], "salvaged" if dropped else "ok", None

    def _salvage(self, exc: Any, text: str, breaks: tuple[int, ...]) -> Optional[tuple[NarrativeExtraction, list[dict]]]:
        """The grounded part of the latest answer that still parses, validated leniently."""
        from instructor.v2.core.providers import Provider
        from instructor.v2.core.registry import mode_registry

        parser = mode_registry.get_handlers(Provider.OPENAI, self.mode).response_parser
        for attempt in reversed(getattr(exc, "failed_attempts", None) or []):
            if attempt.completion is None:
                continue
            ctx: dict = {"source": text, "breaks": breaks, "lenient": True, "dropped": []}
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

    def _result(self, submitted: Submitted, outcomes: list[_Outcome]) -> LLMResult:
        result = LLMResult()
        st = result.stats
        st.chars_document = len(submitted.doc.text)
        st.chunks = len(submitted.chunks)
        st.chars_chunked = sum(len(c.text) for c in submitted.chunks)
        st.narrative_tokens = submitted.narrative_tokens
        st.token_counter = self.counter.name
        for o in sorted(outcomes, key=lambda o: (o.chunk.start, o.chunk.end)):
            result.calls.extend(o.rows)
            http = [r for r in o.records if r.kind != "cache-hit"]
            st.calls += len(http)
            st.cache_hits += o.status == "cache-hit"
            st.reasks += sum(r.kind == "reask" for r in http)
            st.transport_retries += sum(r.kind == "transport-retry" for r in http)
            st.input_tokens += sum(r.input_tokens or 0 for r in http)
            st.output_tokens += sum(r.output_tokens or 0 for r in http)
            st.tokens_sent += sum(r.tokens_sent for r in http)
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
            result.figures.extend(o.figures)
            result.relations.extend(o.relations)
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


def _role(item_role: Optional[str], lead_role: str, unit: Optional[str]) -> str:
    """The printed words win where they mark a role ("比上年增加", "占", "完成预算的", "执行率"):
    a change or a share is never read as a level. Otherwise the model's role, where the unit
    allows it, else the rules' default for the unit."""
    if lead_role != "level":
        return {"change": "change_pct" if unit == "%" else "change"}.get(lead_role, lead_role)
    percent_only = ("change_pct", "share", "completion", "rate")
    if item_role in percent_only and unit != "%" or item_role == "score" and unit != "分":
        item_role = None
    if item_role is not None:
        return item_role
    if unit == "分":
        return "score"
    return "level" if unit in ("元", "%", None) else "count"


def _subject(item: FigureItem, chunk: Chunk, at: int, clause: str):
    """The model's subject when its words are printed in the chunk before the number (in the
    figure's own clause: stated; on a heading line: heading; elsewhere before it: inherited).
    None when the words are not there or name nothing the vocabulary knows."""
    words = (item.subject or "").strip()
    if not words:
        return None, "none"
    subject = named_subject(words)
    if subject is None:
        return None, "none"
    if contains(clause, words):
        return subject, "stated"
    before = [m for m in find_all(words, chunk.text[:at], chunk.breaks)]
    if not before:
        return None, "none"
    line_start = chunk.text.rfind("\n", 0, before[-1].start) + 1
    line_end = chunk.text.find("\n", before[-1].end)
    line = chunk.text[line_start : line_end if line_end != -1 else len(chunk.text)]
    return subject, "heading" if is_heading(line) else "inherited"


def _sentence_ends(text: str) -> list[int]:
    """Where each sentence of `text` ends (the positions of its sentence marks), ascending."""
    return [m.start() for m in _SENTENCE_MARK.finditer(text)]


def _sentence(chunk: Chunk, start: int, end: int, ends: Optional[list[int]] = None) -> Optional[Span]:
    """The document span of the sentence around chunk text[start:end]; `ends` are
    `_sentence_ends(chunk.text)`, found once per chunk (speed only)."""
    ends = _sentence_ends(chunk.text) if ends is None else ends
    before = bisect_left(ends, start)  # the last mark before `start` closes the sentence before
    lo = ends[before - 1] + 1 if before else 0
    after = bisect_left(ends, end)  # the first mark from `end` on closes this one
    hi = ends[after] + 1 if after < len(ends) else len(chunk.text)
    return chunk.to_doc(lo, hi) or chunk.to_doc(start, end)


def figures_from(doc: Document, chunk: Chunk, items: list[FigureItem], year: Optional[str] = None) -> list[Figure]:
    """Figures with offsets into Document.text. Where a quote occurs more than once, each item
    takes the first occurrence whose number no earlier item has taken and that the quote does
    not cut short ("城市380元" inside "城市380元/人·月"). A place that is not one stretch of the
    document (it crosses a join of the chunk) does not count."""
    taken: set[Span] = set()  # the same number parses to the same span
    out: list[Figure] = []
    quotes: list[tuple[FigureItem, Figure, Match]] = []
    sentence_ends = _sentence_ends(chunk.text)
    for item in items:
        candidates = []
        for m, q in zip(item.grounded.matches, item.grounded.quantities):
            number, evidence = chunk.to_doc(q.span.start, q.span.end), chunk.to_doc(m.start, m.end)
            if number is None or evidence is None:
                continue
            candidates.append((number in taken, m, q, number, evidence))
        if not candidates:
            continue
        # prefer a place no earlier item took, then one where the quote does not cut a number,
        # then the first; whether a quote cuts a number is read only where it decides (speed only)
        least_taken = min(c[0] for c in candidates)
        best = sorted((c for c in candidates if c[0] == least_taken), key=lambda c: c[1].start)
        chosen = best[0] if len(best) == 1 else next((c for c in best if not is_cut(c[1], c[2], chunk.text)), best[0])
        _, m, q, number, evidence = chosen
        q = moved(q, number)
        taken.add(q.span)
        label = canon.trim_label(item.label) or item.label.strip()
        prefix = _label_prefix(doc.text, q.span.start)
        quoted = chunk.text[m.start : m.end]
        # what the figure is, read from the words the document prints before it (the same
        # reading the rules do) and from what the model says, where the words bear it out
        lead = _lead(prefix)
        named = _lead(label)
        role = _role(item.role, lead.role, q.unit)
        subject, confidence = _subject(item, chunk, m.start, prefix + quoted)
        if subject is None and named.subject is not None and lead.role == "level":
            subject, confidence = named.subject, "stated"
        # a year counts only when it is printed with the figure (its clause or its quote)
        period = item.year if item.year and item.year in prefix + quoted else None
        if lead.period == "上年" or named.period == "上年" or (item.period and _PREVIOUS.search(item.period) and _PREVIOUS.search(prefix + quoted)):
            period = str(int(year) - 1) if year else "上年"
        if period == year:
            period = None  # the report's own year, as the rules store it
        measure = named.measure or lead.measure
        if measure is None and item.measure and contains(chunk.text[: m.end], item.measure):
            measure = item.measure
        canonical = subject.item if subject is not None else (canon.canonical(label) if q.unit in ("分", "%", None) else None)
        if role not in ("level", "score", "rate") or period is not None and (year or period == "上年") or confidence == "heading" or (canonical or "").startswith("fn:"):
            canonical = None  # a change, last year's amount or a guess from a heading is not the figure itself
        figure = Figure(
            label=label,
            quantity=q,
            span=evidence,
            canonical=canonical,
            measure=measure,
            source="llm",
            context="narrative",
            period=period,
            subject=subject,
            role=role,
            confidence=confidence if subject is not None else "none",
            sentence=_sentence(chunk, m.start, m.end, sentence_ends),
        )
        out.append(figure)
        quotes.append((item, figure, m))
    _bases(chunk, quotes, out)
    return out


def _bases(chunk: Chunk, quotes: list[tuple[FigureItem, Figure, Match]], figures: list[Figure]) -> None:
    """A change, share or completion takes as its base the figure whose quote the model named,
    when that figure stands before it in the chunk."""
    for item, figure, m in quotes:
        if not item.base or figure.role not in ("change", "change_pct", "share", "completion"):
            continue
        used = {i for i, f in enumerate(figures) if f is figure}
        matches = tuple(x for x in find_all(item.base, chunk.text, chunk.breaks) if x.end <= m.end)
        base = _figure_for(matches, chunk, figures, used)
        if base is not None and base.quantity.span.start < figure.quantity.span.start:
            figure.base = base


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _figure_for(matches: tuple[Match, ...], chunk: Chunk, figures: list[Figure], used: set[int]) -> Optional[Figure]:
    best, best_score = None, 0
    for m in matches:
        span = chunk.to_doc(m.start, m.end)
        if span is None:
            continue
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
    # speed only (issue 14): the numbers' spans by start, so that a model figure is compared
    # with the figures whose numbers can reach its own, not with every figure of the document
    starts = sorted((r.quantity.span.start, i) for i, r in enumerate(out))
    longest = max((r.quantity.span.end - r.quantity.span.start for r in out), default=0)
    for f in llm_figures:
        s, e = f.quantity.span.start, f.quantity.span.end
        near = starts[bisect_left(starts, (s - longest + 1, -1)) : bisect_left(starts, (e, -1))]
        clashes = sorted(i for _start, i in near if f.quantity.span.overlaps(out[i].quantity.span))
        if not clashes:
            out.append(f)
            insort(starts, (s, len(out) - 1))
            longest = max(longest, e - s)
        elif f.canonical is not None and len(clashes) == 1 and out[clashes[0]].canonical is None and out[clashes[0]].source != "llm":
            i = clashes[0]
            starts.remove((out[i].quantity.span.start, i))
            out[i] = f
            insort(starts, (s, i))
            longest = max(longest, e - s)
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
    "LLMExtractor", "LLMResult", "LLMStats", "Dropped", "Submitted",
    "extract_figures_llm", "extract_many", "merge_figures", "merge_relations", "figures_from", "relations_from",
]
