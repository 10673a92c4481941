"""Transport: one openai client, tenacity retries for transport errors, one ledger record per
HTTP attempt.

Two retry loops, kept apart on purpose:
* transport (here): 429, 408/409, 5xx, timeouts and connection errors are retried by tenacity
  with exponential backoff and full jitter, honouring Retry-After / retry-after-ms; the openai
  client's own retries are off (`max_retries=0`), so this is the only transport retry;
* validation (instructor): a response that fails the schema or grounding is sent back to the
  model with the error, `LLMConfig.max_reasks` times. Instructor wraps *our* create function,
  so every re-ask goes through the transport loop too.

Sleeps go through an injectable `sleep` so tests never wait.
"""
from __future__ import annotations

import email.utils
import json
import random
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import timezone
from typing import Any, Callable, ContextManager, Optional

from .config import LLMConfig
from .tokens import counter_for


def request_parts(kwargs: dict) -> list[str]:
    """What a request puts before the model: the message contents and the schema it carries."""
    parts = []
    for m in kwargs.get("messages") or []:
        if isinstance(m, dict):
            parts.append(str(m.get("content") or "") + (json.dumps(m["tool_calls"], ensure_ascii=False) if m.get("tool_calls") else ""))
    for key in ("tools", "response_format"):
        if kwargs.get(key):
            parts.append(json.dumps(kwargs[key], ensure_ascii=False))
    return parts


def request_text(kwargs: dict) -> str:
    return "".join(request_parts(kwargs))


@dataclass
class CallRecord:
    """One row of the `llm_calls` ledger (document and chunk are added when it is stored)."""

    attempt: int  # 1-based HTTP attempt within the chunk (0 for a cache hit)
    kind: str  # "call" | "reask" | "transport-retry" | "cache-hit"
    outcome: str  # "ok" | "validation-error" | "http-429" | "http-5xx" | "timeout" | "error"
    input_tokens: Optional[int] = 0
    output_tokens: Optional[int] = 0
    latency_ms: float = 0.0
    error: Optional[str] = None
    created_at: float = field(default_factory=time.time)
    tokens_sent: int = 0  # the request as counted here (tokens.py), whatever the endpoint reports


class CallLog:
    """Ledger records for one chunk. Used by one worker thread at a time."""

    def __init__(self) -> None:
        self.records: list[CallRecord] = []
        self._next_kind = "call"

    def add(self, outcome: str, latency_ms: float, usage: Any = None, error: Optional[str] = None, sent: int = 0) -> CallRecord:
        rec = CallRecord(
            attempt=len(self.records) + 1,
            kind=self._next_kind,
            outcome=outcome,
            input_tokens=getattr(usage, "prompt_tokens", None) if usage is not None else (0 if outcome != "ok" else None),
            output_tokens=getattr(usage, "completion_tokens", None) if usage is not None else (0 if outcome != "ok" else None),
            latency_ms=round(latency_ms, 1),
            error=error,
            tokens_sent=sent,
        )
        self.records.append(rec)
        self._next_kind = "transport-retry" if outcome != "ok" else "call"
        return rec

    def on_parse_error(self, error: Exception, **_meta: Any) -> None:
        """instructor's `parse:error` hook: the last HTTP attempt came back but did not validate;
        the next attempt is a re-ask."""
        if self.records:
            self.records[-1].outcome = "validation-error"
            self.records[-1].error = short_error(error)
        self._next_kind = "reask"


def short_error(exc: BaseException, limit: int = 1000) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def retry_after_seconds(headers: Any, now: Optional[float] = None) -> Optional[float]:
    """Seconds a server asked us to wait: `retry-after-ms`, then `retry-after` as seconds or as
    an HTTP date. None when there is no usable header."""
    if not headers:
        return None
    get = headers.get
    ms = get("retry-after-ms")
    if ms:
        try:
            return max(0.0, float(ms) / 1000.0)
        except ValueError:
            pass
    value = get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    now_ts = time.time() if now is None else now
    return max(0.0, when.timestamp() - now_ts)


def _status(exc: BaseException) -> Optional[int]:
    return getattr(exc, "status_code", None)


def classify(exc: BaseException) -> str:
    import openai

    if isinstance(exc, openai.APITimeoutError):
        return "timeout"
    status = _status(exc)
    if status == 429:
        return "http-429"
    if status is not None and status >= 500:
        return "http-5xx"
    return "error"


def is_transient(exc: BaseException) -> bool:
    import openai

    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    status = _status(exc)
    return status is not None and (status in (408, 409, 429) or status >= 500)


class Transport:
    """The openai client plus the transport retry loop. Thread-safe: share one per batch."""

    def __init__(
        self,
        config: LLMConfig,
        *,
        sleep: Callable[[float], None] = time.sleep,
        http_client: Any = None,
        rng: Optional[random.Random] = None,
        clock: Optional[Callable[[], float]] = None,
    ) -> None:
        import openai

        self.config = config
        self.sleep = sleep
        self.clock = clock or time.time
        self._rng = rng or random.Random()
        self._rng_lock = threading.Lock()
        kwargs: dict[str, Any] = {"base_url": config.base_url, "api_key": config.api_key, "max_retries": 0, "timeout": config.timeout}
        if http_client is not None:
            kwargs["http_client"] = http_client
        self.client = openai.OpenAI(**kwargs)
        self.counter = counter_for(config.model)
        # the system prompt and the schema are the same in every request: counted once
        self._count = lru_cache(maxsize=64)(self.counter.count)

    def backoff(self, attempt_number: int) -> float:
        ceiling = min(self.config.backoff_max, self.config.backoff_base * (2 ** (attempt_number - 1)))
        with self._rng_lock:
            return self._rng.uniform(0, ceiling)

    def _wait(self, retry_state: Any) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        response = getattr(exc, "response", None)
        asked = retry_after_seconds(getattr(response, "headers", None), now=self.clock())
        if asked is not None:
            return min(asked, self.config.max_retry_after)
        return self.backoff(retry_state.attempt_number)

    def create_for(self, log: CallLog, hold: Optional[ContextManager] = None) -> Callable[..., Any]:
        """A chat.completions.create for instructor to wrap, logging every HTTP attempt in `log`.
        Each call, its transport retries included, runs inside `hold` (a request slot, say)."""
        from tenacity import Retrying, retry_if_exception, stop_after_attempt

        raw_create = self.client.chat.completions.create

        def one_attempt(kwargs: dict) -> Any:
            sent = sum(self._count(part) for part in request_parts(kwargs))
            t0 = time.perf_counter()
            try:
                response = raw_create(**kwargs)
            except Exception as exc:
                log.add(classify(exc), (time.perf_counter() - t0) * 1000, error=short_error(exc), sent=sent)
                raise
            log.add("ok", (time.perf_counter() - t0) * 1000, usage=getattr(response, "usage", None), sent=sent)
            return response

        def create(*args: Any, **kwargs: Any) -> Any:
            retrying = Retrying(
                stop=stop_after_attempt(self.config.max_transport_retries + 1),
                wait=self._wait,
                retry=retry_if_exception(is_transient),
                sleep=self.sleep,
                reraise=True,
            )
            with hold if hold is not None else nullcontext():
                for attempt in retrying:
                    with attempt:
                        return one_attempt(kwargs)
            raise AssertionError("unreachable")  # pragma: no cover

        return create

    def close(self) -> None:
        self.client.close()


__all__ = ["request_parts", "request_text", "CallRecord", "CallLog", "Transport", "classify", "is_transient", "retry_after_seconds", "short_error"]
