"""LLM extraction of narrative figures: schema-constrained, grounded in the source, retried,
cached, logged. See docs/llm.md.

    from extractor.llm import LLMConfig, extract_figures_llm, merge_figures
    config = LLMConfig.from_env()                      # OPENAI_BASE_URL / OPENAI_API_KEY / JIXIAO_MODEL
    result = extract_figures_llm(doc, segment(doc).narrative, config, store)
    figures = merge_figures(rule_figures, result.figures)
    print(result.summary_line())

Importing this package does not import openai or instructor; the first extraction does.
"""
from .config import MODES, PRESETS, LLMConfig, LLMConfigError, LLMEndpointError, infer_mode
from .extract_llm import (
    Dropped,
    LLMExtractor,
    LLMResult,
    LLMStats,
    Submitted,
    extract_figures_llm,
    extract_many,
    merge_figures,
    merge_relations,
)
from .prompt import Prompt, load_prompt

__all__ = [
    "MODES", "PRESETS", "LLMConfig", "LLMConfigError", "LLMEndpointError", "infer_mode",
    "Dropped", "LLMExtractor", "LLMResult", "LLMStats", "Submitted",
    "extract_figures_llm", "extract_many", "merge_figures", "merge_relations",
    "Prompt", "load_prompt",
]
