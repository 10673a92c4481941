"""What the model must return, with the grounding checks as pydantic validators.

The schema the model sees (as the tool's parameters, the response_format schema, or the schema
text in the prompt, by mode) is compact: field names and types only, since it travels with every
request. What each field means is said once, in the prompt file (prompts/figures.v2.md).

A figure is a statement, as the rules extractor reads one (records.Figure): the verbatim quote,
its label and value as printed, and what it is about (subject), which amount it is (measure:
vocab.MEASURES), when (period), what kind of number (role: vocab.STATEMENT_ROLES) and, for a change, share or
completion, the quote of the figure it is relative to (base). Only quote, label, value and unit
are grounded here; the rest is checked against the document where it becomes a record
(extract_llm.figures_from).

Validators read the chunk through instructor's validation context: `context={"source": text}`
in `create(...)` (the 1.17 keyword; it reaches `model_validate_json(..., context=...)`).
Without a "source" they only check types, so the schema can be built and cached JSON read
without a chunk.

Two validation passes use the same models:
* strict (the default): any ungrounded figure or relation raises, so instructor
  sends the error text back to the model and asks again (`max_retries` = re-asks);
* lenient (`context["lenient"] = True`), used only after the re-asks are exhausted: each bad
  item is dropped and described in `context["dropped"]`, the grounded rest is kept.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator, model_validator

from .. import vocab
from .ground import Grounded, GroundingError, Match, find_all, ground_figure

# The roles a figure can have (vocab.STATEMENT_ROLES), and the measures of vocab.MEASURES: the
# model names one of each; anything else is read as "not said".
ROLES = vocab.STATEMENT_ROLES
_ROLE_ALIASES = {"change%": "change_pct", "change_percent": "change_pct", "share%": "share", "completion%": "completion"}
MEASURE_NAMES = tuple(dict.fromkeys(m for m, _p in vocab.MEASURES))
_MEASURE_RES = [(m, re.compile(p)) for m, p in vocab.MEASURES]
# Keys of the JSON schema that cost tokens on every request and that the model does not need:
# the instructions are in the prompt file.
_SCHEMA_NOISE = ("title", "description", "default")


def _ctx(info: ValidationInfo) -> dict:
    return info.context if isinstance(info.context, dict) else {}


def _as_text(v: Any) -> Any:
    """Models sometimes send 95 for "95": keep the text form (Decimal comparison follows)."""
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return repr(v) if isinstance(v, float) else str(v)
    return v


def _blank_to_none(v: Any) -> Any:
    v = _as_text(v)
    if isinstance(v, str) and (not v.strip() or v.strip().lower() in ("null", "none", "无")):
        return None
    return v


def _reason(exc: ValidationError) -> str:
    return "；".join(str(e.get("msg", "")).removeprefix("Value error, ") for e in exc.errors())


def _measure(v: Optional[str]) -> Optional[str]:
    """A measure as vocab.MEASURES names it ("执行数" -> 决算), or None."""
    if v is None:
        return None
    v = v.strip()
    if v in MEASURE_NAMES:
        return v
    return next((m for m, pattern in _MEASURE_RES if pattern.search(v)), None)


def _role(v: Optional[str]) -> Optional[str]:
    if v is None:
        return None
    v = v.strip().lower().replace(" ", "")
    v = _ROLE_ALIASES.get(v, v)
    return v if v in ROLES else None


class FigureItem(BaseModel):
    model_config = ConfigDict(extra="ignore")

    quote: str
    label: str
    value: str
    unit: Optional[str] = ""
    subject: Optional[str] = ""
    measure: Optional[str] = ""
    period: Optional[str] = ""
    role: Optional[str] = ""
    base: Optional[str] = ""  # the quote of the figure a change, share or completion is relative to

    _grounded: Optional[Grounded] = PrivateAttr(default=None)

    @field_validator("value", mode="before")
    @classmethod
    def _value_text(cls, v: Any) -> Any:
        return _as_text(v)

    @field_validator("unit", "subject", "measure", "period", "role", "base", mode="before")
    @classmethod
    def _optional_text(cls, v: Any) -> Any:
        return _blank_to_none(v)

    @field_validator("measure")
    @classmethod
    def _known_measure(cls, v: Optional[str]) -> Optional[str]:
        return _measure(v)

    @field_validator("role")
    @classmethod
    def _known_role(cls, v: Optional[str]) -> Optional[str]:
        return _role(v)

    @model_validator(mode="after")
    def _ground(self, info: ValidationInfo) -> "FigureItem":
        ctx = _ctx(info)
        source = ctx.get("source")
        if source is not None:
            self._grounded = ground_figure(self.quote, self.value, self.unit, self.label, source, ctx.get("breaks", ()))
        return self

    @property
    def grounded(self) -> Grounded:
        assert self._grounded is not None, "validated without a source"
        return self._grounded

    @property
    def year(self) -> Optional[str]:
        m = re.search(vocab.BARE_YEAR, self.period or "")
        return m.group() if m else None


class PartOfItem(BaseModel):
    model_config = ConfigDict(extra="ignore")

    total_quote: str
    part_quotes: list[str] = Field(min_length=1)

    _total: tuple[Match, ...] = PrivateAttr(default=())
    _parts: list[tuple[Match, ...]] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _ground(self, info: ValidationInfo) -> "PartOfItem":
        ctx = _ctx(info)
        source = ctx.get("source")
        if source is None:
            return self
        breaks = ctx.get("breaks", ())
        self._total = tuple(find_all(self.total_quote, source, breaks))
        if not self._total:
            raise GroundingError(f"relations 的 total_quote「{self.total_quote}」在原文中找不到：须与 figures 中总数的 quote 相同")
        self._parts = []
        for q in self.part_quotes:
            ms = tuple(find_all(q, source, breaks))
            if not ms:
                raise GroundingError(f"relations 的 part_quotes「{q}」在原文中找不到：须与 figures 中分项的 quote 相同")
            self._parts.append(ms)
        return self

    @property
    def total_matches(self) -> tuple[Match, ...]:
        return self._total

    @property
    def part_matches(self) -> list[tuple[Match, ...]]:
        return self._parts


def _compact(schema: Any, top: bool = True) -> Any:
    """The JSON schema without titles, descriptions and defaults below the top level (the tool's
    name is the top-level title)."""
    if isinstance(schema, dict):
        options = schema.get("anyOf")
        if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
            # Optional[str]: the model may send null, but "string" is all it needs to read
            schema = {**{k: v for k, v in schema.items() if k != "anyOf"}, **next(o for o in options if o != {"type": "null"})}
        return {k: _compact(v, False) for k, v in schema.items() if top or k not in _SCHEMA_NOISE or not isinstance(v, (str, type(None)))}
    if isinstance(schema, list):
        return [_compact(v, False) for v in schema]
    return schema


class NarrativeExtraction(BaseModel):
    """摘录叙述文字中的数字，见系统提示。"""

    model_config = ConfigDict(extra="ignore")

    figures: list[FigureItem] = Field(default_factory=list)
    relations: list[PartOfItem] = Field(default_factory=list)

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict:
        # instructor builds the tool, response_format and md_json schema from this: keep it small
        return _compact(super().model_json_schema(*args, **kwargs))

    @field_validator("figures", "relations", mode="wrap")
    @classmethod
    def _keep_grounded(cls, value: Any, handler: Any, info: ValidationInfo) -> Any:
        ctx = _ctx(info)
        if value is None:
            return []
        if not ctx.get("lenient") or not isinstance(value, list):
            return handler(value)
        kept = []
        kind = "figure" if info.field_name == "figures" else "relation"
        for item in value:
            try:
                kept.extend(handler([item]))
            except ValidationError as exc:
                ctx.setdefault("dropped", []).append({"kind": kind, "item": item, "reason": _reason(exc)})
        return kept

    @model_validator(mode="after")
    def _relations_name_figures(self, info: ValidationInfo) -> "NarrativeExtraction":
        """Every relation quote must be the quote of an extracted figure (overlapping it)."""
        ctx = _ctx(info)
        if ctx.get("source") is None:
            return self
        spans = [m for f in self.figures for m in f.grounded.matches]

        def names_figure(matches: tuple[Match, ...]) -> bool:
            return any(m.start < s.end and s.start < m.end for m in matches for s in spans)

        kept = []
        for rel in self.relations:
            missing = [q for q, ms in [(rel.total_quote, rel.total_matches), *zip(rel.part_quotes, rel.part_matches)] if not names_figure(ms)]
            if not missing:
                kept.append(rel)
                continue
            reason = f"relations 中的「{'」「'.join(missing)}」不对应 figures 中任何一项：关系里的每个 quote 都须先作为数字摘录在 figures 中"
            if not ctx.get("lenient"):
                raise GroundingError(reason)
            ctx.setdefault("dropped", []).append({"kind": "relation", "item": rel.model_dump(), "reason": reason})
        self.relations = kept
        return self


def schema_json() -> dict:
    return NarrativeExtraction.model_json_schema()


__all__ = ["FigureItem", "PartOfItem", "NarrativeExtraction", "ROLES", "MEASURE_NAMES", "schema_json"]
