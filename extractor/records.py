"""Records that flow between pipeline stages.

Every record that carries a number also carries the `Span` of the text it came from:
offsets always index `Document.text` exactly as stored (never a normalised copy).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span {self.start}..{self.end}")

    def shift(self, offset: int) -> "Span":
        return Span(self.start + offset, self.end + offset)

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Cell:
    """One table cell. `span` is None for a blank cell that has no text of its own."""

    text: str
    span: Optional[Span] = None
    # True when the value was copied from a merged range or carried down from the row above.
    carried: bool = False

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Grid:
    """A table as rows of cells, either parsed from text or taken from a docx/xlsx/html table."""

    rows: list[list[Cell]]
    span: Span
    source: str  # "tab-cells" | "tab-rows" | "spaces" | "docx" | "xlsx" | "html"
    name: Optional[str] = None  # sheet or caption, where known


@dataclass
class Document:
    path: str  # as given by the user
    format: str  # "txt" | "pdf" | "docx" | "xlsx" | "html"
    text: str  # decoded text; "\r\n" and "\r" are stored as "\n"
    sha256: str  # of the raw file bytes
    pages: list[Span] = field(default_factory=list)  # page i+1 covers pages[i]; empty when unpaged
    grids: list[Grid] = field(default_factory=list)  # tables whose structure the file format gives us
    encoding: Optional[str] = None  # for text files

    def page_of(self, offset: int) -> Optional[int]:
        """1-based page number holding `offset`, or None for unpaged formats."""
        if not self.pages:
            return None
        starts = [p.start for p in self.pages]
        i = bisect.bisect_right(starts, offset) - 1
        return i + 1 if i >= 0 else 1

    def quote(self, span: Span) -> str:
        return self.text[span.start : span.end]


@dataclass(frozen=True)
class Quantity:
    """A number as printed, with its unit, scale and (for targets) comparison operator."""

    value: Decimal  # in the printed scale: "5.56万人" -> 5.56
    unit: Optional[str]  # base unit: 元 人 户 人次 个 张 % 分 …; None for a bare number
    scale: Optional[str]  # "万" / "亿" / "千" / "百" as written, else None
    op: Optional[str]  # "≥" "≤" "=" "<" ">" for targets, else None
    decimals: int  # digits printed after the decimal point (0 for integers and Chinese numerals)
    text: str  # the matched source text
    span: Span  # where `text` stands in the source

    @property
    def multiplier(self) -> Decimal:
        return SCALE_MULTIPLIERS.get(self.scale or "", Decimal(1))

    @property
    def base_value(self) -> Decimal:
        """Value in the base unit: "5.56万人" -> 55600."""
        return self.value * self.multiplier

    @property
    def half_ulp(self) -> Decimal:
        """Half a unit in the last printed place, in the printed scale."""
        return Decimal(5) * Decimal(10) ** (-(self.decimals + 1))


SCALE_MULTIPLIERS = {
    "十": Decimal(10),
    "百": Decimal(100),
    "千": Decimal(1000),
    "万": Decimal(10) ** 4,
    "十万": Decimal(10) ** 5,
    "百万": Decimal(10) ** 6,
    "千万": Decimal(10) ** 7,
    "亿": Decimal(10) ** 8,
}


# ---- structured records built from tables and narrative -------------------------------


@dataclass
class Figure:
    """A labelled figure with its evidence: "基本支出1546.46万元"."""

    label: str  # as written, trimmed of filler
    quantity: Quantity
    span: Span  # label through number: what an auditor reads as the evidence
    canonical: Optional[str] = None  # e.g. "部门整体支出"; None for labels outside the synonym table
    qualifier: Optional[str] = None  # "年初预算" / "预算" / "执行" / "上年" … when the text says so
    source: str = "rules"  # "rules" | "table" | "llm"
    context: str = "narrative"  # "narrative" | "table"
    period: Optional[str] = None  # a year written with the label ("2023年"); None = the report's year


@dataclass
class PartOf:
    """"X，其中：A a，B b" — parts of a total, exhaustive when they form a known full breakdown."""

    total: Figure
    parts: list[Figure]
    exhaustive: bool
    check: str  # the check id that judges this relation
    span: Span


@dataclass
class BudgetRow:
    """One row of a budget block: 年度资金总额 / 其中：当年财政拨付 / 合计 …"""

    label: str
    label_span: Optional[Span]
    values: dict[str, Quantity]  # role -> value; roles: initial adjust budget actual weight rate score
    blanks: dict[str, Span]  # role -> span of the row where that cell is blank (for evidence)
    row_span: Span
    is_part: bool = False  # a "其中" / source row under the total
    unit_scale: Optional[str] = None  # "万" when the header says （万元）


@dataclass
class CategoryHeader:
    name: str  # 产出指标 / 效益指标 / 满意度指标 …
    points: Optional[Quantity]
    span: Span


@dataclass
class IndicatorRow:
    level1: Optional[str]
    level2: Optional[str]
    name: str
    name_span: Optional[Span]
    target_text: str
    target: Optional[Quantity]
    actual_text: str
    actual: Optional[Quantity]
    weight: Optional[Quantity]  # 分值
    score: Optional[Quantity]  # 得分
    row_span: Span
    category: Optional[CategoryHeader] = None
    cell_spans: dict[str, Span] = field(default_factory=dict)  # role -> span of a non-blank cell


@dataclass
class ScoreSheet:
    """A self-evaluation table: budget block, indicator rows, totals."""

    span: Span
    title: Optional[str] = None
    budget_rows: list[BudgetRow] = field(default_factory=list)
    budget_points: Optional[Quantity] = None  # "预算执行(10分)"
    budget_score: Optional[Quantity] = None  # the score the sheet gives for budget execution
    indicators: list[IndicatorRow] = field(default_factory=list)
    categories: list[CategoryHeader] = field(default_factory=list)
    total_weight: Optional[Quantity] = None  # 总分 row, 分值 column
    total_score: Optional[Quantity] = None  # 总分 row 得分 / 自评得分
    total_span: Optional[Span] = None
    goals: list[tuple[Span, str, Span, str]] = field(default_factory=list)  # 年度总体目标 (target, actual) cells
    figures: list[Figure] = field(default_factory=list)  # key/value cells: 基本支出总额 891.48万元


@dataclass
class Evidence:
    span: Span
    quote: str = ""
    page: Optional[int] = None
    role: str = "stated"  # "stated" | "part" | "basis"


@dataclass
class Finding:
    check: str
    severity: str  # "error" | "warning" | "info"
    message: str  # 中文
    stated: Optional[Decimal]
    computed: Optional[Decimal]
    tolerance: Optional[Decimal]
    evidence: list[Evidence]
    unit: Optional[str] = None  # unit of stated/computed as printed ("万元", "%", "分")

    @property
    def difference(self) -> Optional[Decimal]:
        if self.stated is None or self.computed is None:
            return None
        return self.stated - self.computed


@dataclass
class Extraction:
    """Everything the extract stages produced for one document; the checks read only this."""

    sheets: list[ScoreSheet] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    relations: list[PartOf] = field(default_factory=list)
    statements: list["Statement"] = field(default_factory=list)
    narrative: list[Span] = field(default_factory=list)  # text outside every table


@dataclass
class Statement:
    """A sentence-level claim that a check can recompute: a formula, a completion or growth rate,
    a grade. `values` holds the operands by role."""

    kind: str  # "formula" | "completion" | "growth" | "grade"
    values: dict[str, Quantity]
    span: Span
    words: dict[str, str] = field(default_factory=dict)  # e.g. {"direction": "增长", "grade": "优"}
