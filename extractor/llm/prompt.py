"""Versioned prompt files: `prompts/<version>.md`, split into system and user messages.

The sha256 of the whole file is stored with every call and cache entry, so a stored
extraction always names the exact prompt that produced it.
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import LLMConfigError

PLACEHOLDER = "{{ source }}"
_SECTION = re.compile(r"^## (system|user)[ \t]*$", re.M)
_JINJA = re.compile(r"\{\{|\{%|\{#")


def prompts_dir() -> Path:
    """JIXIAO_PROMPTS_DIR, else the checkout's prompts/, else the copy a `pip install .` put in
    site-packages as jixiao_prompts/ (pyproject maps the one onto the other)."""
    env = os.environ.get("JIXIAO_PROMPTS_DIR")
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parents[2] / "prompts"
    if checkout.is_dir():
        return checkout
    spec = importlib.util.find_spec("jixiao_prompts")
    if spec is not None and spec.submodule_search_locations:
        return Path(list(spec.submodule_search_locations)[0])
    return checkout


@dataclass(frozen=True)
class Prompt:
    version: str  # "figures.v1"
    sha256: str  # of the file's bytes
    system: str
    user: str  # holds PLACEHOLDER exactly once

    def messages(self) -> list[dict]:
        """Messages with the placeholder left in: instructor renders it from the validation
        context, so chunk text is never parsed as a template (a "{{" in a report is safe)."""
        return [{"role": "system", "content": self.system}, {"role": "user", "content": self.user}]

    def render_user(self, source: str) -> str:
        return self.user.replace(PLACEHOLDER, source)


@lru_cache(maxsize=16)
def load_prompt(version: str, directory: str | None = None) -> Prompt:
    path = Path(directory) if directory else prompts_dir()
    path = path / f"{version}.md"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LLMConfigError(f"LLM 配置错误：找不到提示词文件 {path}（{exc.strerror}）") from exc
    text = raw.decode("utf-8").replace("\r\n", "\n")
    parts = _SECTION.split(text)
    # ["doc", "system", body, "user", body]
    sections = {parts[i]: parts[i + 1].strip("\n") for i in range(1, len(parts) - 1, 2)}
    system, user = sections.get("system", "").strip(), sections.get("user", "").strip()
    if not system or not user or user.count(PLACEHOLDER) != 1:
        raise LLMConfigError(f"LLM 配置错误：提示词文件 {path} 须含 '## system' 与 '## user' 两节，user 节含一次 {PLACEHOLDER}")
    if _JINJA.search(system) or _JINJA.search(user.replace(PLACEHOLDER, "")):
        raise LLMConfigError(f"LLM 配置错误：提示词文件 {path} 除 {PLACEHOLDER} 外不得含模板标记")
    return Prompt(version, hashlib.sha256(raw).hexdigest(), system, user)


__all__ = ["Prompt", "load_prompt", "prompts_dir", "PLACEHOLDER"]
