"""The document model behind every synthetic report.

A report is built from *figures* (the underlying quantities: 基本支出, a row's 得分 …) and
*slots* (each place a figure is printed, with its unit and precision). Blocks of text and
tables refer to slots, so one figure printed in the narrative and in a table is one value
until an injection overrides a single slot.

*Relations* (relations.py) record every consistency rule the report obeys (sums, rates, score
totals, copies of the same figure …). `evaluate` runs them over the printed values: on a clean
report nothing fires, and on an injected one exactly the contradictions the gold must list
fire. The gold findings are therefore computed, not hand-written, which keeps them complete
when one injection disturbs more than one rule.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Optional, Union

D = Decimal
UNIT_FACTOR = {"万元": D(10000), "元": D(1), "亿元": D(10) ** 8}
PLACEHOLDERS = ("XX", "××", "**", "xx")
GRADE_BANDS = [(D(90), "优"), (D(80), "良"), (D(60), "中"), (D(-1), "差")]


def q(value: Decimal, dec: int) -> Decimal:
    """Round half-up to `dec` places, as a spreadsheet would print it."""
    return value.quantize(D(1).scaleb(-dec), rounding=ROUND_HALF_UP)


def fmt_number(value: Decimal, dec: int, commas: bool = False) -> str:
    v = q(value, dec)
    return f"{v:,.{dec}f}" if commas else f"{v:.{dec}f}"


def grade_of(score: Decimal) -> str:
    for floor, word in GRADE_BANDS:
        if score >= floor:
            return word
    return "差"


def half_ulp(dec: int) -> Decimal:
    return D(5) * D(10) ** (-(dec + 1))


# --------------------------------------------------------------------------- slots


@dataclass
class Slot:
    id: str
    fig: str
    unit: str = ""  # unit as printed: 万元 元 % 分 人 … ("" for a bare number)
    dec: int = 2
    commas: bool = False
    place: str = "table"  # "narrative" | "table"
    label: str = ""  # canonical label for the gold's figure list
    pre: str = ""  # words printed just before the number and kept in its quote (narrative)
    show_unit: bool = True  # print the unit after the number
    figure: bool = False  # list in the gold's `figures`
    column: Optional[str] = None  # column name for cells of multi-column budget tables
    row: Optional[str] = None  # row name, where the label names the column (预算执行率 of 合计)
    text_fig: bool = False  # a word, not a number (自评等级, 增长/下降)
    auto_dec: bool = False  # print as few decimals as the value needs, up to `dec` (10, 9.5, 9.84)
    order: int = 0  # position in the document, set when blocks are laid out
    tbl: str = ""  # the standard table a cell belongs to (部门决算/预算 tables; "" elsewhere)
    zero_text: Optional[str] = None  # how a zero prints in this place ("" blank, "-" …); None: as a number


@dataclass
class Override:
    value: Optional[Decimal] = None  # printed number, in the slot's unit
    text: Optional[str] = None  # placeholder ("XX"), "" for blank, or a replacement word
    unit: Optional[str] = None  # unit printed instead of the slot's (a unit slip)


@dataclass
class Printed:
    status: str  # "num" | "blank" | "placeholder" | "word"
    value: Optional[Decimal]  # in the printed unit
    unit: str
    dec: int
    word: Optional[str] = None
    overridden: bool = False
    prec: Optional[int] = None  # digits the value is exact to; auto_dec slots print fewer (10 for 10.00)

    @property
    def factor(self) -> Decimal:
        return UNIT_FACTOR.get(self.unit, D(1))

    @property
    def base(self) -> Optional[Decimal]:
        return None if self.value is None else self.value * self.factor

    @property
    def hu(self) -> Decimal:
        """Half a unit in the last printed place, in base units (元 for money)."""
        return half_ulp(self.dec if self.prec is None else self.prec) * self.factor

    @property
    def number(self) -> Decimal:
        """Value in base units, blanks and placeholders read as 0 (what a naive reader sums)."""
        return self.base if self.base is not None else D(0)


# --------------------------------------------------------------------------- blocks


@dataclass
class Ref:
    slot: str


Part = Union[str, Ref]


@dataclass
class Cell:
    parts: list
    span: int = 1  # columns covered
    merge_up: bool = False  # vertically merged with the cell above (printed blank in text)


@dataclass
class Block:
    kind: str  # "title" | "heading" | "para" | "table" | "note"
    parts: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # list[list[Cell]] for tables
    ncols: int = 0
    name: str = ""


# --------------------------------------------------------------------------- results


@dataclass
class Result:
    check: str
    stated: Optional[Decimal]
    computed: Optional[Decimal]
    label: str
    slots: tuple  # slots involved, for notes and attribution
    undetermined: bool = False  # fired only when blanks/placeholders are read as 0
    note: str = ""


@dataclass
class HardNegative:
    kind: str
    note: str


# --------------------------------------------------------------------------- the document


class Doc:
    def __init__(self, doc_id: str, report_type: str, layout: str):
        self.id = doc_id
        self.report_type = report_type
        self.layout = layout
        self.meta: dict = {}
        self.figs: dict[str, object] = {}
        self.derived: list[tuple[str, Callable[["Doc"], object]]] = []
        self.pinned: set[str] = set()
        self.slots: dict[str, Slot] = {}
        self.overrides: dict[str, Override] = {}
        self.relations: list = []
        self.blocks: list[Block] = []
        self.extra_hard_negatives: list[HardNegative] = []
        self.no_copy_check: set[str] = set()  # figures whose slots are not copies of each other
        self._n = 0

    # -- figures ------------------------------------------------------------
    def set(self, fig: str, value) -> str:
        self.figs[fig] = value
        return fig

    def derive(self, fig: str, fn: Callable[["Doc"], object]) -> str:
        """A figure computed from others; recomputed after injections unless pinned."""
        self.derived.append((fig, fn))
        self.figs[fig] = None
        return fig

    def pin(self, fig: str, value) -> None:
        self.figs[fig] = value
        self.pinned.add(fig)

    def finalize(self) -> None:
        for fig, fn in self.derived:
            if fig not in self.pinned:
                self.figs[fig] = fn(self)

    # -- slots --------------------------------------------------------------
    def slot(self, fig: str, sid: Optional[str] = None, **kw) -> Ref:
        if sid is None:
            self._n += 1
            sid = f"{fig}@{self._n}"
        if sid in self.slots:
            raise ValueError(f"duplicate slot {sid}")
        self.slots[sid] = Slot(id=sid, fig=fig, **kw)
        return Ref(sid)

    def slots_of(self, fig: str) -> list[Slot]:
        return sorted((s for s in self.slots.values() if s.fig == fig), key=lambda s: s.order)

    def printed(self, sid: str) -> Printed:
        s = self.slots[sid]
        ov = self.overrides.get(sid)
        unit = ov.unit if ov and ov.unit is not None else s.unit
        if ov and ov.text is not None:
            if ov.text == "":
                return Printed("blank", None, unit, s.dec, overridden=True)
            if s.text_fig:
                return Printed("word", None, unit, s.dec, word=ov.text, overridden=True)
            return Printed("placeholder", None, unit, s.dec, word=ov.text, overridden=True)
        if s.text_fig:
            return Printed("word", None, unit, s.dec, word=str(self.figs[s.fig]), overridden=bool(ov))
        if ov and ov.value is not None:
            value, overridden = D(ov.value), True
        else:
            raw = self.figs[s.fig]
            if raw is None or raw == "":
                return Printed("blank", None, unit, s.dec, overridden=bool(ov))
            value = D(raw) / UNIT_FACTOR[s.unit] if s.unit in UNIT_FACTOR else D(raw)
            overridden = bool(ov)
        dec = s.dec
        if s.auto_dec:
            value = q(value, s.dec)
            dec = max(0, -value.normalize().as_tuple().exponent) if value != 0 else 0
        return Printed("num", q(value, dec), unit, dec, overridden=overridden, prec=s.dec if s.auto_dec else None)

    def text_of(self, sid: str, with_pre: bool = True) -> str:
        s = self.slots[sid]
        p = self.printed(sid)
        if p.status == "blank":
            body = ""
        elif p.status in ("placeholder",):
            body = p.word + (p.unit if s.show_unit else "")
        elif p.status == "word":
            body = p.word
        elif s.zero_text is not None and p.value == 0:
            body = s.zero_text
        else:
            body = fmt_number(p.value, p.dec, s.commas) + (p.unit if s.show_unit else "")
        return (s.pre + body) if with_pre else body

    def override(self, sid: str, **kw) -> None:
        self.overrides[sid] = Override(**kw)

    # -- building helpers -----------------------------------------------------
    def add(self, kind: str, parts=None, rows=None, ncols=0, name="") -> Block:
        b = Block(kind, parts or [], rows or [], ncols, name)
        self.blocks.append(b)
        return b

    def layout_order(self) -> None:
        """Number slots in reading order: narrative-vs-table and first/second mention depend on it."""
        n = 0
        for b in self.blocks:
            parts = list(b.parts)
            for row in b.rows:
                for c in row:
                    parts.extend(c.parts)
            for note in getattr(b, "notes", ()):  # notes under a standard table (fiscal_render.FBlock)
                parts.extend(note)
            for p in parts:
                if isinstance(p, Ref):
                    n += 1
                    self.slots[p.slot].order = n

    def prune(self) -> None:
        """Drop slots no block prints (e.g. the narrative of an xlsx) and the relations using them."""
        used = set()
        for b in self.blocks:
            notes = [p for note in getattr(b, "notes", ()) for p in note]
            for p in list(b.parts) + [p for row in b.rows for c in row for p in c.parts] + notes:
                if isinstance(p, Ref):
                    used.add(p.slot)
        dropped = set(self.slots) - used
        for sid in dropped:
            del self.slots[sid]

        def refs(rel):
            for v in vars(rel).values():
                for x in (v if isinstance(v, (list, tuple)) else [v]):
                    if isinstance(x, str):
                        yield x

        self.relations = [r for r in self.relations if not any(x in dropped for x in refs(r))]

    def render_parts(self, parts: list) -> str:
        return "".join(p if isinstance(p, str) else self.text_of(p.slot) for p in parts)

    # -- audit ----------------------------------------------------------------
    def evaluate(self) -> tuple[list[Result], list[HardNegative]]:
        results: list[Result] = []
        negatives: list[HardNegative] = list(self.extra_hard_negatives)
        for rel in self.relations:
            r, hn = rel.evaluate(self)
            results.extend(r)
            negatives.extend(hn)
        from .fiscal_relations import evaluate_copies_fiscal  # relations need Doc: import late
        from .relations import evaluate_copies, evaluate_placeholders

        # 部门决算/预算 documents pair their copies as the check catalogue does (fiscal_relations.py)
        r, hn = (evaluate_copies_fiscal if self.meta.get("fiscal") else evaluate_copies)(self)
        results.extend(r)
        negatives.extend(hn)
        results.extend(evaluate_placeholders(self))
        return results, negatives
