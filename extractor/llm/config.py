"""Settings for the LLM extractor, endpoint presets, and the errors it raises on purpose.

Nothing here imports openai or instructor: `jixiao audit` without `--llm` must not pay for them.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from typing import Optional
from urllib.parse import urlparse

from ..errors import JixiaoError

MODES = ("tools", "json_schema", "json", "md_json")
DEFAULT_PROMPT = "figures.v2"


class LLMConfigError(JixiaoError):
    """The LLM extractor is not configured: a missing key or model, a bad mode or URL. One line."""


class LLMEndpointError(JixiaoError):
    """The endpoint cannot be used at all (unreachable, key refused, no such model). Names the base_url."""

    def __init__(self, base_url: str, problem: str):
        self.base_url = base_url
        self.problem = problem
        super().__init__(_one_line(f"LLM 端点 {base_url} 不可用：{problem}"))


def _one_line(text: str, limit: int = 300) -> str:
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True)
class Preset:
    name: str
    base_url: str
    mode: str
    note: str


# Default modes per endpoint. Hosted APIs honour forced tool calls; local servers differ
# (see docs/llm.md): vLLM and Ollama (>= 0.5) enforce response_format json_schema with a
# grammar, llama.cpp's llama-server enforces json_schema but not tool schemas, and
# llama-cpp-python rejects json_schema (HTTP 500) but honours tools.
PRESETS: dict[str, Preset] = {
    p.name: p
    for p in [
        Preset("openai", "https://api.openai.com/v1", "tools", "OpenAI"),
        Preset("deepseek", "https://api.deepseek.com/v1", "tools", "DeepSeek (deepseek-chat)"),
        Preset("dashscope", "https://dashscope.aliyuncs.com/compatible-mode/v1", "tools", "通义千问 Qwen，DashScope 兼容模式"),
        Preset("glm", "https://open.bigmodel.cn/api/paas/v4", "tools", "智谱 GLM"),
        Preset("moonshot", "https://api.moonshot.cn/v1", "tools", "Moonshot / Kimi"),
        Preset("vllm", "http://localhost:8000/v1", "json_schema", "vLLM (guided decoding)"),
        Preset("ollama", "http://localhost:11434/v1", "json_schema", "Ollama >= 0.5, local"),
        Preset("llamacpp", "http://localhost:8080/v1", "json_schema", "llama.cpp llama-server"),
        Preset("llama-cpp-python", "http://localhost:8000/v1", "tools", "llama-cpp-python server"),
    ]
}

_HOSTED_TOOLS = ("api.openai.com", "deepseek.com", "aliyuncs.com", "bigmodel.cn", "moonshot.cn", "moonshot.ai")
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1", "0.0.0.0")


def is_local(base_url: str) -> bool:
    host = (urlparse(base_url).hostname or "").lower()
    return host in _LOCAL_HOSTS or host.startswith("127.")


def infer_mode(base_url: str) -> str:
    """The mode for an endpoint when none is given: tools for the hosted APIs we know, json_schema
    for Ollama's port, and md_json (schema in the prompt, no response_format, no tools) for any
    other server, because it is the one mode every OpenAI-compatible server accepts."""
    parsed = urlparse(base_url)
    host = (parsed.hostname or "").lower()
    if any(host == h or host.endswith("." + h) for h in _HOSTED_TOOLS):
        return "tools"
    if is_local(base_url) and parsed.port == 11434:
        return "json_schema"
    return "md_json"


# Transport settings a site may need to change without a code change (a slow local model).
_TUNING = (("JIXIAO_LLM_TIMEOUT", "timeout", float), ("JIXIAO_LLM_RETRIES", "max_transport_retries", int),
           ("JIXIAO_LLM_CHUNK_TOKENS", "chunk_tokens", int))


@dataclass(frozen=True)
class LLMConfig:
    base_url: str
    api_key: str
    model: str
    mode: str = "tools"  # "tools" | "json_schema" | "json" | "md_json"
    prompt_version: str = DEFAULT_PROMPT
    concurrency: int = 4  # chunks in flight at once, over all documents of a batch
    timeout: float = 60.0  # seconds, per HTTP attempt
    max_transport_retries: int = 4  # extra HTTP attempts on 429/5xx/timeout/connection errors
    max_reasks: int = 2  # extra model turns after a validation/grounding error
    use_cache: bool = True  # False: never read the cache (results are still written)
    chunk_tokens: int = 2500  # narrative per request, estimated tokens (tokens.py): most reports go in one or two
    temperature: Optional[float] = 0.0  # None: leave it out of the request (reasoning models)
    max_retry_after: float = 120.0  # cap on a server's Retry-After, seconds
    backoff_base: float = 1.0  # first backoff ceiling, seconds; doubles per attempt, full jitter
    backoff_max: float = 30.0
    extra_body: dict = field(default_factory=dict)  # provider-specific request fields

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise LLMConfigError(f"LLM 配置错误：mode 须为 {'/'.join(MODES)} 之一，而不是 {self.mode!r}")
        scheme = urlparse(self.base_url).scheme
        if scheme not in ("http", "https"):
            raise LLMConfigError(f"LLM 配置错误：OPENAI_BASE_URL 须以 http:// 或 https:// 开头：{self.base_url!r}")
        if not self.api_key:
            raise LLMConfigError("LLM 配置错误：未设置 OPENAI_API_KEY（本地服务可填任意非空值，如 EMPTY）")
        if not self.model:
            raise LLMConfigError("LLM 配置错误：未设置模型名（JIXIAO_MODEL 或 --model）")
        if self.concurrency < 1 or self.max_reasks < 0 or self.max_transport_retries < 0 or self.chunk_tokens < 100:
            raise LLMConfigError("LLM 配置错误：concurrency ≥ 1，max_reasks/max_transport_retries ≥ 0，chunk_tokens ≥ 100")

    @classmethod
    def from_env(
        cls,
        model: Optional[str] = None,
        mode: Optional[str] = None,
        *,
        base_url: Optional[str] = None,
        api_key: Optional[str] = None,
        preset: Optional[str] = None,
        env: Optional[dict] = None,
        **overrides,
    ) -> "LLMConfig":
        """Arguments first, then OPENAI_BASE_URL / OPENAI_API_KEY / JIXIAO_MODEL / JIXIAO_LLM_MODE /
        JIXIAO_LLM_PRESET, then the preset's defaults. A local endpoint needs no key ("EMPTY")."""
        env = os.environ if env is None else env
        preset_name = preset or env.get("JIXIAO_LLM_PRESET") or None
        chosen: Optional[Preset] = None
        if preset_name:
            chosen = PRESETS.get(preset_name.lower())
            if chosen is None:
                raise LLMConfigError(f"LLM 配置错误：未知预设 {preset_name!r}，可选 {', '.join(PRESETS)}")
        url = (base_url or env.get("OPENAI_BASE_URL") or (chosen.base_url if chosen else "") or PRESETS["openai"].base_url).strip()
        key = (api_key or env.get("OPENAI_API_KEY") or "").strip()
        if not key:
            if is_local(url):
                key = "EMPTY"
            else:
                raise LLMConfigError(f"LLM 配置错误：未设置 OPENAI_API_KEY（端点 {url}）")
        name = (model or env.get("JIXIAO_MODEL") or "").strip()
        if not name:
            raise LLMConfigError(f"LLM 配置错误：未设置模型名：用 --model 或 JIXIAO_MODEL 指定端点 {url} 上的模型")
        how = (mode or env.get("JIXIAO_LLM_MODE") or (chosen.mode if chosen else "") or infer_mode(url)).strip().lower()
        for var, name_, kind in _TUNING:
            if env.get(var) and name_ not in overrides:
                try:
                    overrides[name_] = kind(env[var])
                except ValueError:
                    raise LLMConfigError(f"LLM 配置错误：{var} 须为数字，而不是 {env[var]!r}") from None
        return cls(base_url=url, api_key=key, model=name, mode=how, **overrides)


    def fingerprint(self) -> dict:
        """What changes an LLM extraction's result: for the analysis options hash. No key."""
        d = asdict(self)
        for k in ("api_key", "concurrency", "timeout", "max_transport_retries", "use_cache", "max_retry_after", "backoff_base", "backoff_max"):
            d.pop(k, None)
        return d
