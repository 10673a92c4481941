"""What the model must return, with the grounding checks as pydantic validators.

The Chinese `description`s are the instructions the model sees with the schema (as the tool's
parameters, the response_format schema, or the schema text in the prompt, by mode).

Validators read the chunk through instructor's validation context: `context={"source": text}`
in `create(...)` (the 1.17 keyword; it reaches `model_validate_json(..., context=...)`).
Without a "source" they only check types, so the schema can be built and cached JSON read
without a chunk.

Two validation passes use the same models:
* strict (the default): any ungrounded figure, relation or report field raises, so instructor
  sends the error text back to the model and asks again (`max_retries` = re-asks);
* lenient (`context["lenient"] = True`), used only after the re-asks are exhausted: each bad
  item is dropped and described in `context["dropped"]`, the grounded rest is kept.
"""
from __future__ import annotations

import re
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, field_validator, model_validator

from .ground import Grounded, GroundingError, Match, contains, find_all, ground_figure, locate_value

_OPS = {
    "≥": "≥", ">=": "≥", "不低于": "≥", "不少于": "≥", "以上": "≥", "至少": "≥",
    "≤": "≤", "<=": "≤", "不高于": "≤", "不超过": "≤", "以内": "≤", "以下": "≤",
    ">": ">", "超过": ">", "大于": ">", "高于": ">", "<": "<", "低于": "<", "小于": "<", "少于": "<", "=": "=", "＝": "=",
}
REPORT_TYPES = ("部门整体支出", "项目支出", "专项资金", "绩效目标", "其他")


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


class FigureItem(BaseModel):
    """叙述文字中印出的一个数字。"""

    model_config = ConfigDict(extra="ignore")

    quote: str = Field(description="包含该数字及其名称的原文片段，从原文逐字复制（一个分句以内，≤240字），不得改写、省略或补字")
    label: str = Field(description="该数字所指的名称，逐字取自 quote 中紧挨数字之前的文字，如“基本支出”“农村低保对象”")
    value: str = Field(description="数字本身，按原文照抄（保留千分位逗号与小数位），如“1,023.89”“95”；不得计算、换算或推断")
    unit: Optional[str] = Field(default=None, description="紧跟数字的单位，按原文照抄，如“万元”“元”“人次”“%”；万元保持万元；原文无单位填空字符串")
    period: Optional[str] = Field(default=None, description="原文在该数字旁写明的年份，如“2023年”；未写明填 null")
    comparison: Optional[str] = Field(default=None, description="目标值的比较符：≥ ≤ > < =（原文“不低于”填 ≥，“不高于”填 ≤）；普通数字填 null")

    _grounded: Optional[Grounded] = PrivateAttr(default=None)

    @field_validator("value", mode="before")
    @classmethod
    def _value_text(cls, v: Any) -> Any:
        return _as_text(v)

    @field_validator("unit", "period", "comparison", mode="before")
    @classmethod
    def _optional_text(cls, v: Any) -> Any:
        return _blank_to_none(v)

    @field_validator("comparison")
    @classmethod
    def _op(cls, v: Optional[str]) -> Optional[str]:
        return None if v is None else _OPS.get(v.strip())

    @model_validator(mode="after")
    def _ground(self, info: ValidationInfo) -> "FigureItem":
        source = _ctx(info).get("source")
        if source is not None:
            self._grounded = ground_figure(self.quote, self.value, self.unit, self.label, source)
        return self

    @property
    def grounded(self) -> Grounded:
        assert self._grounded is not None, "validated without a source"
        return self._grounded

    @property
    def year(self) -> Optional[str]:
        m = re.search(r"(?:19|20)\d{2}", self.period or "")
        return m.group() if m else None


class PartOfItem(BaseModel):
    """一处“其中”关系：总数及其分项。"""

    model_config = ConfigDict(extra="ignore")

    total_quote: str = Field(description="总数那一项在 figures 中的 quote，原样照抄")
    part_quotes: list[str] = Field(min_length=1, description="“其中”之后各分项在 figures 中的 quote，原样照抄，按原文顺序")

    _total: tuple[Match, ...] = PrivateAttr(default=())
    _parts: list[tuple[Match, ...]] = PrivateAttr(default_factory=list)

    @model_validator(mode="after")
    def _ground(self, info: ValidationInfo) -> "PartOfItem":
        source = _ctx(info).get("source")
        if source is None:
            return self
        self._total = tuple(find_all(self.total_quote, source))
        if not self._total:
            raise GroundingError(f"relations 的 total_quote「{self.total_quote}」在原文中找不到：须与 figures 中总数的 quote 相同")
        self._parts = []
        for q in self.part_quotes:
            ms = tuple(find_all(q, source))
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


class ReportMeta(BaseModel):
    """报告信息，原文写明才填。"""

    model_config = ConfigDict(extra="ignore")

    department: Optional[str] = Field(default=None, description="单位名称，逐字摘自原文；未写明填 null")
    year: Optional[str] = Field(default=None, description="报告年度，如“2024”；未写明填 null")
    report_type: Optional[str] = Field(default=None, description="报告类型：部门整体支出 / 项目支出 / 专项资金 / 绩效目标 / 其他；不能确定填 null")
    self_score: Optional[str] = Field(default=None, description="自评得分，照抄原文数字，如“96.5”；未写明填 null")
    self_score_quote: Optional[str] = Field(default=None, description="写有自评得分的原文片段，逐字复制；无得分填 null")

    @field_validator("department", "year", "report_type", "self_score", "self_score_quote", mode="before")
    @classmethod
    def _optional_text(cls, v: Any) -> Any:
        return _blank_to_none(v)

    @field_validator("report_type")
    @classmethod
    def _type(cls, v: Optional[str]) -> Optional[str]:
        if v is None:
            return None
        return next((t for t in REPORT_TYPES if t in v), "其他")

    @model_validator(mode="after")
    def _ground(self, info: ValidationInfo) -> "ReportMeta":
        ctx = _ctx(info)
        source = ctx.get("source")
        if source is None:
            return self
        problems = []
        if self.department and not contains(source, self.department):
            problems.append(("department", f"report.department「{self.department}」不在原文中：须逐字摘录，未写明填 null"))
        if self.year and not re.fullmatch(r"(?:19|20)\d{2}", self.year.strip().removesuffix("年").removesuffix("度")):
            problems.append(("year", f"report.year「{self.year}」须为四位年份，如“2024”"))
        elif self.year and self.year.strip()[:4] not in source:
            problems.append(("year", f"report.year「{self.year}」不在原文中：未写明填 null"))
        if self.self_score is not None:
            try:
                if not self.self_score_quote or not find_all(self.self_score_quote, source):
                    raise GroundingError(f"report.self_score_quote「{self.self_score_quote}」在原文中找不到：须逐字复制写有得分的原文")
                m = find_all(self.self_score_quote, source)[0]
                locate_value(self.self_score, None, source[m.start : m.end])
            except GroundingError as exc:
                problems.append(("self_score", str(exc)))
        if problems and not ctx.get("lenient"):
            raise GroundingError("；".join(p for _f, p in problems))
        for fieldname, reason in problems:
            ctx.setdefault("dropped", []).append({"kind": "report", "item": {fieldname: getattr(self, fieldname)}, "reason": reason})
            setattr(self, fieldname, None)
            if fieldname == "self_score":
                self.self_score_quote = None
        if self.year:
            self.year = self.year.strip()[:4]
        return self


class NarrativeExtraction(BaseModel):
    """从绩效自评报告一段叙述文字中摘录的全部数字、“其中”关系和报告信息。只摘录，不计算。"""

    model_config = ConfigDict(extra="ignore")

    figures: list[FigureItem] = Field(default_factory=list, description="原文中印出的每一个数字，按原文顺序；同一数字出现几次摘录几次")
    relations: list[PartOfItem] = Field(default_factory=list, description="原文中“其中”给出的总数与分项关系；没有则为空列表")
    report: Optional[ReportMeta] = Field(default=None, description="报告信息（单位、年度、类型、自评得分），原文写明才填，否则为 null")

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

    @field_validator("report", mode="wrap")
    @classmethod
    def _report(cls, value: Any, handler: Any, info: ValidationInfo) -> Any:
        ctx = _ctx(info)
        if not ctx.get("lenient"):
            return handler(value)
        try:
            return handler(value)
        except ValidationError as exc:
            ctx.setdefault("dropped", []).append({"kind": "report", "item": value, "reason": _reason(exc)})
            return None

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


__all__ = ["FigureItem", "PartOfItem", "ReportMeta", "NarrativeExtraction", "REPORT_TYPES", "schema_json"]
