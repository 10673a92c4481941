"""Relations of the 部门决算 / 部门预算 documents, and how one figure printed in several places
is compared there.

They follow docs/checks.md: a statement is judged on its printed values, each standing for
its printed interval (v ± ½ unit of the last digit), and a gap no larger than one unit of the
stated figure's last digit beyond that is a rounding habit (at most an info note, never a
finding). Stated and computed are what the catalogue says each check reports.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from .model import D, UNIT_FACTOR, Doc, HardNegative, Printed, Result, Slot, fmt_number, q

EPS = D("1e-9")


def unit_of(p: Printed) -> Decimal:
    """One unit of the last printed digit, in base units."""
    return D(10) ** (-(p.dec if p.prec is None else p.prec)) * p.factor


def in_unit(base: Decimal, unit: str) -> Decimal:
    return base / UNIT_FACTOR.get(unit, D(1))


def disagree(a: Printed, b: Printed) -> bool:
    """The two printed intervals are apart by more than one unit of a's last digit."""
    return abs(a.base - b.base) - (a.hu + b.hu) > unit_of(a) + EPS


def within_rounding(a: Printed, b: Printed) -> bool:
    return a.base != b.base and not disagree(a, b)


def dec_of(*ps: Printed) -> int:
    return max(p.dec for p in ps)


UP = ("增加", "增长", "提高", "上升", "增幅", "多", "超支", "大于", "高于", "多于", "超过")
DOWN = ("减少", "下降", "降低", "减幅", "降幅", "少", "节约", "小于", "低于", "少于")


def direction(word: Optional[str]) -> int:
    """+1 for 增加/增长/增幅/增/多/高于…, -1 for 减少/下降/降幅/减/少/低于…, 0 otherwise."""
    if not word:
        return 0
    if word[0] in "增多超大高提上":
        return 1
    if word[0] in "减下降少节小低":
        return -1
    return 0


# --------------------------------------------------------------------------- ratios


@dataclass
class RatioRel:
    """A printed percentage against num ÷ den × 100: rate.share (占…%) and rate.completion
    (完成年初预算的…%). Counts (dec 0 and exact=True) are exact operands."""

    check: str
    rate: str
    num: str
    den: str
    label: str
    exact_counts: bool = False
    describe: str = ""

    def evaluate(self, doc: Doc):
        r, n, d = doc.printed(self.rate), doc.printed(self.num), doc.printed(self.den)
        if any(x.status != "num" for x in (r, n, d)) or d.base <= 0:
            return [], []
        nh = D(0) if self.exact_counts else n.hu
        dh = D(0) if self.exact_counts else d.hu
        exact = n.base / d.base * 100
        tol = r.hu + 100 * (nh / d.base + n.base * dh / d.base ** 2)
        gap = abs(r.value - exact) - tol
        if gap > D(10) ** (-r.dec) + EPS:
            return [Result(self.check, r.value, q(exact, 2), self.label, (self.rate, self.num, self.den))], []
        if gap > EPS:
            return [], [HardNegative("rounding", f"{self.describe or self.label}：印出{fmt_number(r.value, r.dec)}%，按所列数字计算为"
                                                 f"{fmt_number(q(exact, 3), 3)}%，相差在末位一个单位以内，属舍入（或为凑足100%的调整），不是矛盾")]
        return [], []


# --------------------------------------------------------------------------- growth and change


@dataclass
class GrowthRelF:
    """增长/下降 P% against this year's amount and last year's — printed (`prev`) or derived
    from a change amount (`amount`, with its own direction word)."""

    pct: str
    word: str  # the direction word of the percentage (text slot)
    cur: str
    label: str
    prev: Optional[str] = None
    amount: Optional[str] = None
    amount_word: Optional[str] = None

    def evaluate(self, doc: Doc):
        p, c = doc.printed(self.pct), doc.printed(self.cur)
        if p.status != "num" or c.status != "num":
            return [], []
        sign = direction(doc.printed(self.word).word)
        if sign == 0:
            return [], []
        if self.prev is not None:
            pv = doc.printed(self.prev)
            if pv.status != "num":
                return [], []
            prev, half = pv.base, pv.hu
        else:
            a = doc.printed(self.amount)
            if a.status != "num":
                return [], []
            s = direction(doc.printed(self.amount_word).word) if self.amount_word else sign
            prev, half = c.base - s * a.base, c.hu + a.hu
        if prev - half <= 0:
            return [], [HardNegative("zero_base_growth", f"{self.label}上年为零（或未安排），增长率无可比基数，"
                                                         f"写作{fmt_number(p.value, p.dec)}%不是可核对的数字")]
        exact = (c.base - prev) / prev * 100
        lo = (c.base - c.hu - (prev + half)) / (prev + half) * 100
        hi = (c.base + c.hu - (prev - half)) / (prev - half) * 100
        s_lo, s_hi = sign * p.value - p.hu, sign * p.value + p.hu
        gap = max(lo - s_hi, s_lo - hi, D(0))
        if gap > D(10) ** (-p.dec) + EPS:
            return [Result("rate.growth", p.value, q(exact, 2), self.label, tuple(x for x in (self.pct, self.word, self.cur,
                                                                                            self.prev, self.amount) if x))], []
        return [], []


@dataclass
class ChangeRel:
    """增加/减少 X against the two amounts it is the difference of (rate.change). Without a
    printed last-year amount only the impossible case is judged: an increase larger than this
    year's amount."""

    amount: str
    word: str
    cur: str
    label: str
    prev: Optional[str] = None

    def evaluate(self, doc: Doc):
        a, c = doc.printed(self.amount), doc.printed(self.cur)
        if a.status != "num" or c.status != "num":
            return [], []
        sign = direction(doc.printed(self.word).word)
        if sign == 0:
            return [], []
        if self.prev is None:
            if sign > 0 and a.base > c.base + c.hu + EPS:
                return [Result("rate.change", a.value, c.value if c.unit == a.unit else q(in_unit(c.base, a.unit), 2),
                               self.label, (self.amount, self.cur))], []
            return [], []
        pv = doc.printed(self.prev)
        if pv.status != "num":
            return [], []
        diff = c.base - pv.base
        gap = abs(sign * a.base - diff) - (a.hu + c.hu + pv.hu)
        if gap > unit_of(a) + EPS:
            return [Result("rate.change", a.value, q(in_unit(abs(diff), c.unit), dec_of(a, c)), self.label,
                           (self.amount, self.cur, self.prev))], []
        return [], []


# --------------------------------------------------------------------------- words against numbers


COMPARE = {"大于": 1, "高于": 1, "多于": 1, "超过": 1, "小于": -1, "低于": -1, "少于": -1, "等于": 0, "持平": 0, "一致": 0,
           "相等": 0, "基本持平": 0}


@dataclass
class ComparisonRel:
    """决算数大于/小于/持平预算数 against the two printed amounts (text.comparison)."""

    word: str
    actual: str
    budget: str
    label: str

    def evaluate(self, doc: Doc):
        w = doc.printed(self.word).word or ""
        a, b = doc.printed(self.actual), doc.printed(self.budget)
        if w not in COMPARE or a.status != "num" or b.status != "num":
            return [], []
        diff = a.base - b.base
        real = (diff > 0) - (diff < 0)
        claimed = COMPARE[w]
        if claimed == 0:
            if real == 0 or (w == "基本持平" and b.base and abs(diff) <= abs(b.base) * D("0.01")):
                hn = [] if real == 0 else [HardNegative("loose_flat", f"{self.label}：决算{fmt_number(a.value, a.dec)}与预算"
                                                                      f"{fmt_number(b.value, b.dec)}相差不到1%，写作“基本持平”不是矛盾")]
                return [], hn
        elif claimed == real:
            return [], []
        return [Result("text.comparison", a.value, b.value, self.label, (self.word, self.actual, self.budget))], []


@dataclass
class CountListedRel:
    """“内设机构N个，分别为：A、B、C” (count.listed); a list ending in 等 is not counted."""

    count: str
    items: str  # text slot: the enumeration joined by 、
    label: str

    def evaluate(self, doc: Doc):
        c = doc.printed(self.count)
        text = doc.printed(self.items).word or ""
        if c.status != "num" or not text or text.rstrip("。").endswith("等"):
            return [], []
        n = len([x for x in text.rstrip("。").split("、") if x])
        if D(n) != c.value:
            return [Result("count.listed", c.value, D(n), self.label, (self.count, self.items))], []
        return [], []


NIL_WORDS = ("无政府性基金", "没有政府性基金", "未发生政府性基金", "无国有资本经营", "没有国有资本经营", "不涉及政府性基金")


@dataclass
class NilClaimRel:
    """A sentence saying the unit had no money of a scope, against the non-zero amounts of that
    scope printed anywhere (text.nil_claim). Stated is the first such amount in reading order."""

    claim: str  # text slot
    amounts: list  # slots of that scope (levels), any place
    label: str

    def evaluate(self, doc: Doc):
        text = doc.printed(self.claim).word or ""
        if not any(w in text for w in NIL_WORDS):
            return [], []
        hits = [s for s in sorted(self.amounts, key=lambda x: doc.slots[x].order)
                if doc.printed(s).status == "num" and doc.printed(s).value != 0]
        if not hits:
            return [], []
        p = doc.printed(hits[0])
        return [Result("text.nil_claim", p.value, D(0), self.label, (self.claim, hits[0]))], []


@dataclass
class EmptyTableRel:
    """A note calling a table empty while the table has non-zero figures (text.empty_table).
    Stated is the number of non-zero amount cells."""

    note: str  # text slot (empty when the table has no note)
    cells: list
    label: str

    def evaluate(self, doc: Doc):
        text = doc.printed(self.note).word or ""
        if not text:
            return [], []
        filled = [s for s in self.cells if doc.printed(s).status == "num" and doc.printed(s).value != 0]
        if filled:
            return [Result("text.empty_table", D(len(filled)), D(0), self.label, (self.note, *filled))], []
        return [], []


@dataclass
class WrongYearRel:
    """A heading or the 截至…12月31日 date naming another year than the document's (text.wrong_year)."""

    year: str
    doc_year: int
    label: str = "年度"

    def evaluate(self, doc: Doc):
        y = doc.printed(self.year)
        if y.status == "num" and y.value != self.doc_year:
            return [Result("text.wrong_year", y.value, D(self.doc_year), self.label, (self.year,))], []
        return [], []


PLACEHOLDER_TOKENS = ("XX", "××", "xx", "ＸＸ")


@dataclass
class PlaceholderNameRel:
    """A name left as XX局 / ××县 (complete.placeholder_name); the label is the placeholder
    with the character after it, as it stands in the text."""

    slot: str

    def evaluate(self, doc: Doc):
        w = doc.printed(self.slot).word or ""
        for tok in PLACEHOLDER_TOKENS:
            i = w.find(tok)
            if i >= 0:
                j = i + len(tok)
                while j < len(w) and w[j] in "XxＸ×":
                    j += 1
                return [Result("complete.placeholder_name", None, None, w[i:j + 1], (self.slot,))], []
        return [], []


# --------------------------------------------------------------------------- copies


def evaluate_copies_fiscal(doc: Doc):
    """A figure printed in several places, compared the way docs/checks.md pairs statements:

    * narrative: the first statement against each later one (xref.conflict);
    * narrative against the table cells of the same statement, when it agrees with none of
      them: (narrative, first cell) — xref.narrative_table;
    * tables: the first cell against each cell of another table (table.cross).

    A pair whose ratio is 10⁴/10⁸ is xref.unit_slip (stated: the smaller, the slipped place),
    one whose digits differ by one dropped or doubled digit xref.digit_slip.
    """
    results, negatives = [], []
    for fig in sorted({s.fig for s in doc.slots.values()}):
        if fig in doc.no_copy_check:
            continue
        copies = [s for s in doc.slots_of(fig) if not s.text_fig]
        pr = {s.id: doc.printed(s.id) for s in copies}
        copies = [s for s in copies if pr[s.id].status == "num"]
        if len(copies) < 2:
            continue
        narr = [s for s in copies if s.place == "narrative"]
        tabs = [s for s in copies if s.place == "table"]
        for s in narr[1:]:
            if disagree(pr[narr[0].id], pr[s.id]):
                results.append(_pair(doc, "xref.conflict", narr[0], s, pr))
        if tabs:
            seen = set()
            for s in narr:
                if all(disagree(pr[s.id], pr[t.id]) for t in tabs):
                    key = pr[s.id].base
                    if key not in seen:
                        seen.add(key)
                        results.append(_pair(doc, "xref.narrative_table", s, tabs[0], pr))
            first = tabs[0]
            for t in tabs[1:]:
                if t.tbl == first.tbl:
                    continue
                if disagree(pr[first.id], pr[t.id]):
                    results.append(_pair(doc, "table.cross", first, t, pr, slips=False))
                elif within_rounding(pr[first.id], pr[t.id]):
                    negatives.append(HardNegative("rounding_between_tables", f"{first.label or t.label or fig}在两张表中分别为"
                                                  f"{doc.text_of(first.id)}与{doc.text_of(t.id)}，相差末位一个单位，属舍入，不是矛盾"))
        units = {pr[s.id].unit for s in copies}
        if len(units) > 1 and not results_for(results, copies):
            negatives.append(HardNegative("unit_equivalent", f"{copies[0].label or fig}在不同位置分别以{'、'.join(sorted(units))}书写，"
                                                             f"换算后一致，不是矛盾"))
    return results, negatives


def results_for(results: list[Result], copies: list[Slot]) -> bool:
    ids = {s.id for s in copies}
    return any(set(r.slots) & ids for r in results)


def _slip(a: Printed, b: Printed) -> bool:
    if a.base == 0 or b.base == 0:
        return False
    r = a.base / b.base
    for f in (D(10) ** 4, D(10) ** 8):
        for x in (r, 1 / r):
            if abs(x - f) <= f * D("0.001"):
                return True
    return False


def digit_slip(a: Printed, b: Printed) -> bool:
    """One digit dropped or doubled, both read in a's unit and places."""
    other = q(in_unit(b.base, a.unit), a.dec)
    x = fmt_number(abs(a.value), a.dec).replace(".", "")
    y = fmt_number(abs(other), a.dec).replace(".", "")
    if x == y or abs(len(x) - len(y)) != 1:
        return False
    long, short = (x, y) if len(x) > len(y) else (y, x)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _pair(doc: Doc, check: str, first: Slot, other: Slot, pr, slips: bool = True) -> Result:
    a, b = pr[first.id], pr[other.id]
    label = first.label or other.label or first.fig
    if slips and _slip(a, b):
        wrong, right = sorted((first, other), key=lambda s: pr[s.id].base)
        w, r = pr[wrong.id], pr[right.id]
        return Result("xref.unit_slip", w.value, q(in_unit(r.base, w.unit), dec_of(w, r)), label, (wrong.id, right.id))
    if slips and digit_slip(a, b):
        return Result("xref.digit_slip", a.value, q(in_unit(b.base, a.unit), dec_of(a, b)), label, (first.id, other.id))
    return Result(check, a.value, q(in_unit(b.base, a.unit), dec_of(a, b)), label, (first.id, other.id))
