"""Records that flow between pipeline stages.

Every record that carries a number also carries the `Span` of the text it came from:
offsets always index `Document.text` exactly as stored (never a normalised copy).
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from typing import Any, Iterable, Optional

from .vocab import SEVERITY_ORDER


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __init__(self, start: int, end: int) -> None:
        # speed only: the dataclass __init__ of a frozen class sets each field through
        # object.__setattr__ and then calls __post_init__; spans are made by the thousand
        if start < 0 or end < start:
            raise ValueError(f"bad span {start}..{end}")
        fields = self.__dict__
        fields["start"] = start
        fields["end"] = end

    def shift(self, offset: int) -> "Span":
        return Span(self.start + offset, self.end + offset)

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


class SpanSet:
    """Spans merged and sorted once, to ask whether an offset falls inside any of them in
    log time (a document with many tables asks once per line or per grid)."""

    def __init__(self, spans: Iterable[Span]):
        merged: list[list[int]] = []
        for s in sorted(spans):
            if s.end <= s.start:
                continue
            if merged and s.start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], s.end)
            else:
                merged.append([s.start, s.end])
        self._starts = [m[0] for m in merged]
        self._ends = [m[1] for m in merged]
        # no span at all: a reader asking line by line can skip `covers` (an attribute, not a call)
        self.empty = not merged

    def covers(self, offset: int) -> bool:
        """`offset` is inside a span (start ≤ offset < end)."""
        i = bisect.bisect_right(self._starts, offset) - 1
        return i >= 0 and offset < self._ends[i]

    def gaps(self, start: int, end: int) -> list[tuple[int, int]]:
        """The stretches of start..end outside every span, in order, as (start, end)."""
        out = []
        at = start
        for s, e in zip(self._starts, self._ends):
            if e <= at:
                continue
            if s >= end:
                break
            if s > at:
                out.append((at, s))
            at = e
        if at < end:
            out.append((at, end))
        return out


def line_stretches(text: str, start: int, end: int, outside: Optional[SpanSet]) -> list[tuple[int, int]]:
    """The lines of text[start:end] (`start` the start of a line) that begin outside every span of
    `outside`, as stretches (a, b) of whole lines: `text[a:b].split("\n")` gives them in order,
    the first at offset a, the last cut at `end`. A span's lines are passed over without a look
    (speed only: a line is not asked one by one whether a span covers it)."""
    stretches = [(start, end + 1)] if outside is None or outside.empty else outside.gaps(start, end + 1)
    out = []
    for a, b in stretches:
        if a != start and text[a - 1] != "\n":
            a = text.find("\n", a, end) + 1  # the first line that starts in the stretch
            if a == 0:
                break
        if a >= b:
            continue
        stop = text.find("\n", b - 1, end)  # the end of the last line that starts in it
        out.append((a, end if stop == -1 else stop))
    return out


@dataclass
class Cell:
    """One table cell. `span` is None for a blank cell that has no text of its own."""

    text: str
    span: Optional[Span] = None
    # True when the value was copied from a merged range or carried down from the row above.
    carried: bool = False

    def __init__(self, text: str, span: Optional[Span] = None, carried: bool = False) -> None:
        # speed only: the dataclass __init__ and a __post_init__ call, in one (cells are made by
        # the hundred per document). `blank` is asked for every cell under every column alignment
        # tried; set here, where it costs a dict write, rather than on first use
        fields = self.__dict__
        fields["text"] = text
        fields["span"] = span
        fields["carried"] = carried
        fields["blank"] = not text.strip()

    @cached_property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Grid:
    """A table as rows of cells, either parsed from text or taken from a docx/xlsx/html table."""

    rows: list[list[Cell]]
    span: Span
    source: str  # "tab-cells" | "tab-rows" | "spaces" | "cell-lines" | "docx" | "xlsx" | "html"
    name: Optional[str] = None  # sheet or caption, where known


@dataclass
class Piece:
    """A run of text drawn in one go on a PDF page: its characters in `Document.text` and where
    it stood on the page (x in PDF points)."""

    start: int
    end: int
    x0: float
    x1: float


@dataclass
class LaidLine:
    """One line of a PDF page as laid out: where it starts in `Document.text`, and the pieces
    of text on it with their page x positions (empty when the reader could not place them)."""

    start: int
    text: str
    page: int
    pieces: list[Piece] = field(default_factory=list)
    y: float = 0.0  # baseline height on the page (PDF points, larger is higher)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def x_range(self, start: int, end: int) -> Optional[tuple[float, float]]:
        """Page x range of the characters start..end (offsets in `Document.text`), interpolated
        inside a piece by glyph width (a CJK glyph is about twice as wide as a digit)."""
        lo = hi = None
        for p in self.pieces:
            if p.end <= start or p.start >= end:
                continue
            weights = [2 if _is_wide(ch) else 1 for ch in self.text[p.start - self.start : p.end - self.start]]
            unit = (p.x1 - p.x0) / (sum(weights) or 1)
            a, b = max(start, p.start), min(end, p.end)
            x0 = p.x0 + unit * sum(weights[: a - p.start])
            x1 = p.x0 + unit * sum(weights[: b - p.start])
            lo = x0 if lo is None else min(lo, x0)
            hi = x1 if hi is None else max(hi, x1)
        return None if lo is None else (lo, hi)


def _is_wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef" or "\u3000" <= ch <= "\u303f"


@dataclass
class Document:
    path: str  # as given by the user
    format: str  # "txt" | "pdf" | "docx" | "xlsx" | "html"
    text: str  # decoded text; "\r\n" and "\r" are stored as "\n"
    sha256: str  # of the raw file bytes
    pages: list[Span] = field(default_factory=list)  # page i+1 covers pages[i]; empty when unpaged
    grids: list[Grid] = field(default_factory=list)  # tables whose structure the file format gives us
    encoding: Optional[str] = None  # for text files
    layout: list[LaidLine] = field(default_factory=list)  # PDF only: every line of `text`, with x positions

    def page_of(self, offset: int) -> Optional[int]:
        """1-based page number holding `offset`, or None for unpaged formats."""
        if not self.pages:
            return None
        starts = self.__dict__.get("_page_starts")
        if starts is None or len(starts) != len(self.pages):  # once per document, not once per figure
            starts = self.__dict__["_page_starts"] = [p.start for p in self.pages]
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

    def __init__(self, value: Decimal, unit: Optional[str], scale: Optional[str], op: Optional[str], decimals: int,
                 text: str, span: Span) -> None:
        # speed only: as Span's, the frozen dataclass __init__ sets each field through
        # object.__setattr__; a quantity is made for every table cell and every number read
        fields = self.__dict__
        fields["value"], fields["unit"], fields["scale"], fields["op"] = value, unit, scale, op
        fields["decimals"], fields["text"], fields["span"] = decimals, text, span

    @property
    def multiplier(self) -> Decimal:
        return SCALE_MULTIPLIERS.get(self.scale or "", _ONE)

    @property
    def base_value(self) -> Decimal:
        """Value in the base unit: "5.56万人" -> 55600."""
        return self.value * self.multiplier

    @property
    def half_ulp(self) -> Decimal:
        """Half a unit in the last printed place, in the printed scale."""
        known = _HALF_ULPS.get(self.decimals)  # speed only: the same few values, asked by every check
        return known if known is not None else _half_ulp(self.decimals)


def _half_ulp(decimals: int) -> Decimal:
    return Decimal(5) * Decimal(10) ** (-(decimals + 1))


_HALF_ULPS = {decimals: _half_ulp(decimals) for decimals in range(12)}
_ONE = Decimal(1)


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


@dataclass(frozen=True)
class Subject:
    """What a figure is about. Two figures are the same statement only when their subjects
    (and measure and period) agree.

    `item` is a canonical key: a named item ("支出合计", "基本支出", "三公经费", "人员经费"…),
    "fn:<code>" for a 功能分类 item, "econ:<code>" for an 经济分类 item, or "fn:<name path>" when
    the code is not known. `scope` is the fund scope (None: all funds or not said); `part` a split
    of the item (the 基本支出 column of a 功能分类 row)."""

    item: str
    name: str  # as an auditor names it: "住房公积金（2210201）"
    scope: Optional[str] = None
    part: Optional[str] = None

    def __init__(self, item: str, name: str, scope: Optional[str] = None, part: Optional[str] = None) -> None:
        # speed only: as Span's (a subject is made for every table cell)
        fields = self.__dict__
        fields["item"], fields["name"], fields["scope"], fields["part"] = item, name, scope, part

    @property
    def key(self) -> tuple:
        return (self.item, self.scope, self.part)


@dataclass(frozen=True)
class CellRef:
    """A table cell as an auditor finds it: table title, row label, column header."""

    table: str
    row: str
    column: str

    def __init__(self, table: str, row: str, column: str) -> None:
        # speed only: as Span's (a reference is made for every table cell)
        fields = self.__dict__
        fields["table"], fields["row"], fields["column"] = table, row, column


class Origin(StrEnum):
    """Who read a figure. Stored and compared as its string ("rules", "table", "llm")."""

    RULES = "rules"  # the rule reader, in the narrative
    TABLE = "table"  # a table cell
    LLM = "llm"  # the model, grounded in the narrative


@dataclass
class Figure:
    """A figure with its evidence, as a statement: subject, measure, period and role.

    "基本支出1546.46万元" is a level of 基本支出; "比上年减少221万元" a change whose base is last
    year; "占71.73%" a share whose base is the whole its list opened with."""

    label: str  # as written, trimmed of filler
    quantity: Quantity
    span: Span  # label through number: what an auditor reads as the evidence
    canonical: Optional[str] = None  # subject item for named items ("部门整体支出"); None for free labels
    measure: Optional[str] = None  # 预算 / 年初预算 / 调整预算 / 决算 / 到位 / 拨付 …, when the text says so
    source: Origin = Origin.RULES  # a plain "rules" / "table" / "llm" is the same value
    context: str = "narrative"  # "narrative" | "table"
    period: Optional[str] = None  # a year ("2023") or "上年"; None = the report's own year
    subject: Optional[Subject] = None  # None: the reader could not tell what the figure is about
    role: str = "level"  # one of vocab.STATEMENT_ROLES: level, change, change_pct, share, completion …
    base: Optional["Figure"] = None  # the figure a change, share or completion is relative to, when stated
    confidence: str = "stated"  # stated (named in its clause) | inherited (from its sentence/item) | heading
    cell: Optional[CellRef] = None  # for table cells
    sentence: Optional[Span] = None  # for narrative figures: the sentence they stand in


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
    placeholders: dict[str, str] = field(default_factory=dict)  # role -> the placeholder text ("XX%") left in the cell
    # the row ends at its 分值 while the cell before holds a number no larger: one cell may be
    # missing before the scores ("A | 3 | 9.3 | 9.3"), so a blank 得分 may be no blank at all
    short: bool = False


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
    # the document ends inside the table before any printed total (a page cut in the middle of
    # the form): its rows are those that happen to be there (its last row, maybe cut itself, is dropped)
    cut: bool = False


@dataclass
class FiscalColumn:
    name: str  # the header as printed, its lines joined
    side: int  # 0 for the left (收入) half of a two-sided table, 1 for the right
    x0: float
    x1: float


@dataclass
class FiscalRow:
    label: str
    label_span: Optional[Span]
    code: Optional[str]  # 功能分类 / 经济分类 code as digits: "2010601", "30101"
    side: int
    cells: dict[int, Quantity]  # column index -> value (blank cells are absent)
    span: Span


@dataclass
class FiscalTable:
    """A standard table of a 部门预算/决算 disclosure, rebuilt with its columns."""

    title: str
    title_span: Span
    kind: str  # vocab.TABLE_KINDS: 收支总表, 收入表, 支出表, 财政拨款收支总表, 一般公共预算支出表, 基本支出表, 三公表 …
    scale: Optional[str]  # "万" for 万元 tables, None for 元
    unit_stated: bool  # the table says its unit ("单位：万元") rather than us assuming it
    columns: list[FiscalColumn]
    rows: list[FiscalRow]
    notes: list[tuple[str, Span]]
    span: Span
    sides: list[str] = field(default_factory=list)  # ["收入", "支出"] for two-sided tables


@dataclass
class Evidence:
    span: Span
    quote: str = ""
    page: Optional[int] = None
    role: str = "stated"  # "stated" | "part" | "basis"
    cell: Optional[CellRef] = None  # a table cell: which table, row and column

    def to_json(self) -> dict:
        """The quote and where it stands, and for a table cell the table, row and column (the
        role is the store's and the export's, not the JSON output's)."""
        out = {"quote": self.quote, "start": self.span.start, "end": self.span.end, "page": self.page}
        if self.cell is not None:
            out.update({"table": self.cell.table, "row": self.cell.row, "column": self.cell.column})
        return out

    @classmethod
    def from_json(cls, e: dict) -> "Evidence":
        cell = CellRef(e["table"], e["row"], e["column"]) if "table" in e else None
        return cls(Span(e["start"], e["end"]), e["quote"], e.get("page"), e.get("role") or "stated", cell)


class Severity(StrEnum):
    """How bad a finding is. Stored and written to JSON as its string. The members are listed
    in vocab.SEVERITY_ORDER's order, worst first, so iterating Severity follows it too."""

    ERROR = "error"  # an arithmetic contradiction beyond rounding
    WARNING = "warning"  # a likely problem that needs judgement
    INFO = "info"  # a note

    @property
    def rank(self) -> int:
        """0 for error: sorting by rank puts the worst first."""
        return SEVERITY_ORDER[self.value]

    @property
    def zh(self) -> str:
        return SEVERITY_ZH[self.value]


SEVERITY_ZH = {"error": "错误", "warning": "警示", "info": "提示"}
REVIEW_STATUSES = ("unreviewed", "confirmed", "dismissed")


def json_number(value: Any) -> Optional[float | int]:
    """A Decimal (or its stored text) as JSON writes it: 100 for an integer, 97.36 otherwise."""
    if value is None:
        return None
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() else float(d)


def display_number(value: Any, unit: str = "") -> str:
    """A finding's value as the terminal and the review page print it: grouped by thousands
    (2,995.39), except a year, which is never grouped ("2024", not "2,024"); "—" for none."""
    if value is None:
        return "—"
    value = json_number(value)
    if unit == "年":
        return str(value)
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6f}".rstrip("0").rstrip(".")


def _decimal(text: Optional[str]) -> Optional[Decimal]:
    return None if text is None else Decimal(text)


@dataclass
class Finding:
    """One finding, the only shape there is: the checks build it, the store writes it
    (`store.Store._finding_row`) and reads it back (`from_row`), and the terminal, the JSON
    (`to_json`), the review pages and the export render it."""

    check: str
    severity: Severity
    message: str  # 中文
    stated: Optional[Decimal]
    computed: Optional[Decimal]
    tolerance: Optional[Decimal]
    evidence: list[Evidence]
    unit: Optional[str] = None  # unit of stated/computed as printed ("万元", "%", "分")
    fingerprint: Optional[str] = None  # document sha256 + check + evidence spans (store.fingerprint), once the document is known
    review: Optional[dict] = None  # the auditor's decision in force: {"decision", "note", "reviewer", "decided_at"}

    def __post_init__(self) -> None:
        self.severity = Severity(self.severity)

    @property
    def difference(self) -> Optional[Decimal]:
        if self.stated is None or self.computed is None:
            return None
        return self.stated - self.computed

    @property
    def status(self) -> str:
        """unreviewed, confirmed or dismissed (a note alone leaves a finding unreviewed)."""
        return (self.review or {}).get("decision") or "unreviewed"

    def to_json(self) -> dict:
        """The stable JSON shape of README.md."""
        return {
            "check": self.check,
            "severity": self.severity.value,
            "message": self.message,
            "stated": json_number(self.stated),
            "computed": json_number(self.computed),
            "evidence": [e.to_json() for e in self.evidence],
            "unit": self.unit,
            "difference": json_number(self.difference),
            "tolerance": json_number(self.tolerance),
            "fingerprint": self.fingerprint,
            "review": self.review,
        }

    @classmethod
    def from_row(cls, row: dict) -> "Finding":
        """A row of the store's `findings` table."""
        return cls(
            check=row["check_id"], severity=Severity(row["severity"]), message=row["message"],
            stated=_decimal(row["stated"]), computed=_decimal(row["computed"]), tolerance=_decimal(row["tolerance"]),
            evidence=[Evidence.from_json(e) for e in json.loads(row["evidence"])], unit=row["unit"],
            fingerprint=row["fingerprint"],
        )


@dataclass
class Extraction:
    """Everything the extract stages produced for one document; the checks read only this."""

    sheets: list[ScoreSheet] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    relations: list[PartOf] = field(default_factory=list)
    statements: list["Statement"] = field(default_factory=list)
    narrative: list[Span] = field(default_factory=list)  # text outside every table
    tables: list[FiscalTable] = field(default_factory=list)
    kind: Optional[str] = None  # vocab.DOC_KINDS: 部门决算, 部门预算, 自评报告, 自评表, 绩效目标表, 三公说明
    year: Optional[str] = None  # the year the document reports on
    problems: list[str] = field(default_factory=list)  # a part that could not be read, and why


@dataclass
class Statement:
    """A claim that a check can recompute: a formula, a completion, growth or share rate, a
    change amount, a 大于/小于 comparison, a grade, a note about a table. `values` holds the
    operands by role and `spans` the evidence of each where it is not the quantity's own."""

    kind: str  # formula | completion | growth | change | share | comparison | grade | empty_note | year | placeholder | count
    values: dict[str, Quantity]
    span: Span
    words: dict[str, str] = field(default_factory=dict)  # e.g. {"direction": "增长", "grade": "优"}
    subject: Optional[Subject] = None
    spans: dict[str, Span] = field(default_factory=dict)  # role -> evidence span (a figure's label+number)
    whole: Optional[Subject] = None  # for shares: what the share is of
    # other readings of an operand where the text does not say which amount it means: a check
    # reports only when no reading is consistent ({"current": [q1, q2]})
    alternatives: dict[str, list[Quantity]] = field(default_factory=dict)
    context: str = "narrative"  # "narrative" | "table" (a form's cells, or prose laid out in columns)
    sentence: Optional[Span] = None  # the sentence it was read from
