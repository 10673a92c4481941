"""The LLM response cache key, and what a cache row holds.

key = sha256 over (model, prompt version, prompt sha256, response schema JSON, mode, chunk text).
The row holds the *validated* extraction (only grounded items) plus the items that were
dropped, so a rerun gives the same figures and the same drop count with zero HTTP requests.
A chunk that produced nothing usable (transport failure, nothing parseable) is never cached.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from .schemas import NarrativeExtraction


@lru_cache(maxsize=1)
def schema_text() -> str:
    return json.dumps(NarrativeExtraction.model_json_schema(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def schema_hash() -> str:
    return hashlib.sha256(schema_text().encode("utf-8")).hexdigest()


def cache_key(model: str, prompt_version: str, prompt_sha256: str, mode: str, chunk_text: str) -> str:
    h = hashlib.sha256()
    for part in (model, prompt_version, prompt_sha256, schema_text(), mode, chunk_text):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def encode(extraction: NarrativeExtraction, dropped: list[dict]) -> tuple[str, str]:
    return extraction.model_dump_json(), json.dumps(dropped, ensure_ascii=False, default=str)


__all__ = ["cache_key", "schema_text", "schema_hash", "encode"]
