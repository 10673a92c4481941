"""Relations: the consistency rules a report obeys, each able to say whether it fires.

Every relation reads *printed* values (after injections), converts 元/万元, and allows half a
unit in the last printed digit of each input — so a 0.01 rounding gap between a total and its
rounded parts never fires, while any planted contradiction (always far larger) does. A
relation that fires only because a blank or placeholder was read as 0 is `undetermined`:
such findings go to the gold's `acceptable` list.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .model import D, UNIT_FACTOR, Doc, HardNegative, Result, Slot, fmt_number, grade_of, q


def _in_unit(base: Decimal, unit: str) -> Decimal:
    return base / UNIT_FACTOR.get(unit, D(1))


@dataclass
class SumRel:
    """total = Σ parts ("eq"), or Σ parts must not exceed total ("le": a non-exhaustive 其中 list)."""

    check: str
    total: str
    parts: list
    label: str
    mode: str = "eq"
    describe: str = ""
    exact: bool = False  # counts (车辆6辆, 项目5个) are exact, not printed intervals

    def evaluate(self, doc: Doc):
        t = doc.printed(self.total)
        ps = [doc.printed(p) for p in self.parts]
        if t.status == "blank" or all(p.status == "blank" for p in ps):
            return [], []
        if self.mode == "le" and any(p.status != "num" for p in ps):
            return [], []
        undetermined = t.status != "num" or any(p.status != "num" for p in ps)
        total = t.number
        parts = sum((p.number for p in ps), D(0))
        tol = D("1e-9") if self.exact else t.hu + sum((p.hu for p in ps), D(0)) + D("1e-9")
        diff = total - parts
        dec = max([t.dec] + [p.dec for p in ps if p.unit == t.unit])
        stated = t.value
        computed = q(_in_unit(parts, t.unit), dec)
        fired = abs(diff) > tol if self.mode == "eq" else -diff > tol
        if fired:
            return [Result(self.check, stated, computed, self.label, (self.total, *self.parts), undetermined)], []
        hn = []
        if not undetermined and self.mode == "eq" and diff != 0:
            hn.append(HardNegative("rounding", f"{self.describe or self.label}：分项合计{fmt_number(computed, dec)}{t.unit}"
                                                f"与总数{fmt_number(stated, t.dec)}{t.unit}相差{fmt_number(abs(_in_unit(diff, t.unit)), dec)}，"
                                                f"系各项分别四舍五入所致，不是矛盾"))
        if not undetermined and self.mode == "le" and diff > tol:
            hn.append(HardNegative("non_exhaustive", f"{self.describe or self.label}：“其中”所列分项合计{fmt_number(computed, dec)}{t.unit}"
                                                     f"小于总数{fmt_number(stated, t.dec)}{t.unit}，列举并不完整，不是矛盾"))
        return [], hn


@dataclass
class RateRel:
    """printed rate = num / den × 100."""

    rate: str
    num: str
    den: str
    label: str = "预算执行率"
    check: str = "rate.execution"

    def evaluate(self, doc: Doc):
        r, n, d = doc.printed(self.rate), doc.printed(self.num), doc.printed(self.den)
        if any(x.status != "num" for x in (r, n, d)) or d.base == 0:
            return [], []
        exact = n.base / d.base * 100
        tol = r.hu + 100 * (n.hu / d.base + n.base * d.hu / d.base ** 2) + D("1e-9")
        if abs(r.value - exact) > tol:
            return [Result(self.check, r.value, q(exact, 2), self.label, (self.rate, self.num, self.den))], []
        return [], []


@dataclass
class ExecScoreRel:
    """执行率得分 = 分值 × min(printed rate, 100%)."""

    score: str
    weight: str
    rate: str
    label: str = "预算执行得分"

    def evaluate(self, doc: Doc):
        s, w, r = doc.printed(self.score), doc.printed(self.weight), doc.printed(self.rate)
        if any(x.status != "num" for x in (s, w, r)):
            return [], []
        expected = w.value * min(r.value, D(100)) / 100
        tol = s.hu + w.value * r.hu / 100 + D("1e-9")
        if abs(s.value - expected) > tol:
            return [Result("rate.execution_score", s.value, q(expected, 2), self.label, (self.score, self.weight, self.rate))], []
        return [], []


@dataclass
class CompletionRel:
    pct: str
    actual: str
    target: str
    label: str

    def evaluate(self, doc: Doc):
        p, a, t = doc.printed(self.pct), doc.printed(self.actual), doc.printed(self.target)
        if any(x.status != "num" for x in (p, a, t)) or t.base == 0:
            return [], []
        exact = a.base / t.base * 100
        tol = p.hu + 100 * (a.hu / t.base + a.base * t.hu / t.base ** 2) + D("1e-9")
        if abs(p.value - exact) > tol:
            return [Result("rate.completion", p.value, q(exact, 2), self.label, (self.pct, self.actual, self.target))], []
        hn = []
        if exact > 100:
            hn.append(HardNegative("over_completion", f"{self.label}完成{fmt_number(p.value, p.dec)}%，超额完成的完成率可以超过100%，不是越界"))
        return [], hn


UP_WORDS = ("增长", "增加", "提高", "上升")
DOWN_WORDS = ("下降", "减少", "降低")


@dataclass
class GrowthRel:
    pct: str
    word: str
    cur: str
    prev: str
    label: str

    def evaluate(self, doc: Doc):
        p, w, c, pv = (doc.printed(x) for x in (self.pct, self.word, self.cur, self.prev))
        if any(x.status != "num" for x in (p, c, pv)) or pv.base == 0:
            return [], []
        exact = (c.base - pv.base) / pv.base * 100
        tol = p.hu + 100 * (c.hu + pv.hu) / pv.base * 2 + D("1e-9")
        sign = D(1) if w.word in UP_WORDS else D(-1)
        if abs(sign * p.value - exact) > tol:
            return [Result("rate.growth", p.value, q(exact, 2), self.label, (self.pct, self.word, self.cur, self.prev))], []
        return [], []


@dataclass
class ScoreSumRel:
    total: str
    parts: list
    label: str = "自评得分"

    def evaluate(self, doc: Doc):
        rel = SumRel("score.sum", self.total, self.parts, self.label, describe=f"{self.label}与各项得分")
        return rel.evaluate(doc)


@dataclass
class WeightsTotalRel:
    parts: list
    total: Decimal = D(100)
    label: str = "分值合计"

    def evaluate(self, doc: Doc):
        ps = [doc.printed(p) for p in self.parts]
        if any(p.status != "num" for p in ps):
            return [], []
        s = sum((p.value for p in ps), D(0))
        if s != self.total:
            return [Result("score.weights_total", self.total, s, self.label, tuple(self.parts))], []
        return [], []


@dataclass
class CategoryWeightRel:
    header: str
    parts: list
    label: str

    def evaluate(self, doc: Doc):
        h = doc.printed(self.header)
        ps = [doc.printed(p) for p in self.parts]
        if h.status != "num" or any(p.status != "num" for p in ps):
            return [], []
        s = sum((p.value for p in ps), D(0))
        if s != h.value:
            return [Result("score.category_weight", h.value, s, self.label, (self.header, *self.parts))], []
        return [], []


@dataclass
class OverMaxRel:
    score: str
    weight: str
    label: str

    def evaluate(self, doc: Doc):
        s, w = doc.printed(self.score), doc.printed(self.weight)
        if s.status != "num" or w.status != "num":
            return [], []
        if s.value > w.value:
            return [Result("score.over_max", s.value, w.value, self.label, (self.score, self.weight))], []
        return [], []


@dataclass
class TargetMissedFullRel:
    op: str
    target: str
    actual: str
    score: str
    weight: str
    label: str

    def evaluate(self, doc: Doc):
        t, a, s, w = (doc.printed(x) for x in (self.target, self.actual, self.score, self.weight))
        if any(x.status != "num" for x in (t, a, s, w)):
            return [], []
        tol = t.hu + a.hu
        missed = {"≥": a.base < t.base - tol, "≤": a.base > t.base + tol, "=": abs(a.base - t.base) > tol}[self.op]
        full = s.value >= w.value
        if missed and full:
            return [Result("score.target_missed_full", s.value, None, self.label, (self.score, self.actual, self.target))], []
        hn = []
        if self.op == "≤" and not missed and a.base < t.base and full:
            hn.append(HardNegative("le_target_met", f"“{self.label}”目标{self.op}{fmt_number(t.value, t.dec)}{t.unit}，"
                                                    f"实际{fmt_number(a.value, a.dec)}{a.unit}，低于上限即为完成，得满分正确"))
        if missed and not full:
            hn.append(HardNegative("missed_target_deducted", f"“{self.label}”未达目标且已扣分（{fmt_number(s.value, s.dec)}/{fmt_number(w.value, w.dec)}），不是矛盾"))
        return [], hn


@dataclass
class GradeRel:
    grade: str
    score: str
    label: str = "自评等级"

    def evaluate(self, doc: Doc):
        g, s = doc.printed(self.grade), doc.printed(self.score)
        if g.status != "word" or s.status != "num":
            return [], []
        if grade_of(s.value) != g.word:
            return [Result("score.grade", s.value, None, self.label, (self.grade, self.score))], []
        return [], []


@dataclass
class PercentCapRel:
    fig: str
    label: str

    def evaluate(self, doc: Doc):
        for s in doc.slots_of(self.fig):
            p = doc.printed(s.id)
            if p.status == "num":
                if p.value > 100:
                    return [Result("complete.percent_range", p.value, D(100), self.label, (s.id,))], []
                return [], []
        return [], []


@dataclass
class RequiredRel:
    slot: str
    label: str

    def evaluate(self, doc: Doc):
        if doc.printed(self.slot).status == "blank":
            return [Result("complete.blank", None, None, self.label, (self.slot,))], []
        return [], []


@dataclass
class SumCopyRel:
    """A narrative figure that restates a table total (e.g. 产出指标得分 = Σ the table's 产出 rows)."""

    narr: str
    parts: list
    label: str

    def evaluate(self, doc: Doc):
        n = doc.printed(self.narr)
        ps = [doc.printed(p) for p in self.parts]
        if n.status != "num":
            return [], []
        undetermined = any(p.status != "num" for p in ps)
        total = sum((p.number for p in ps), D(0))
        tol = n.hu + sum((p.hu for p in ps), D(0)) + D("1e-9")
        if abs(n.base - total) > tol:
            return [Result("xref.narrative_table", n.value, q(_in_unit(total, n.unit), n.dec), self.label,
                           (self.narr, *self.parts), undetermined)], []
        return [], []


def evaluate_copies(doc: Doc):
    """Every figure printed in several places must print the same value (units converted).

    The reference copy is the majority value (ties: the copy nobody overrode, then the
    table's, then the first). Each deviating copy gives one finding: xref.unit_slip when
    off by exactly 10⁴, else xref.narrative_table when one copy is in a table, else
    xref.conflict.
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

        def same(a: Slot, b: Slot) -> bool:
            pa, pb = pr[a.id], pr[b.id]
            return abs(pa.base - pb.base) <= max(pa.hu, pb.hu) + D("1e-9")

        groups: list[list[Slot]] = []
        for s in copies:
            for g in groups:
                if same(g[0], s):
                    g.append(s)
                    break
            else:
                groups.append([s])

        def rank(g):
            return (-len(g), min(int(pr[s.id].overridden) for s in g), 0 if any(s.place == "table" for s in g) else 1,
                    min(s.order for s in g))

        groups.sort(key=rank)
        ref_group = groups[0]
        if len(groups) == 1:
            texts = {fmt_number(pr[s.id].value, pr[s.id].dec, s.commas) + (pr[s.id].unit if pr[s.id].unit in ("%",) else "")
                     for s in copies}
            units = {pr[s.id].unit for s in copies}
            if len(units) > 1:
                negatives.append(HardNegative("unit_equivalent", f"{copies[0].label or fig}在不同位置分别以{'、'.join(sorted(units))}"
                                                                 f"书写（{'；'.join(sorted(texts))}），换算后一致，不是矛盾"))
            elif len(texts) > 1:
                negatives.append(HardNegative("same_value_different_format", f"{copies[0].label or fig}写作{'与'.join(sorted(texts))}，数值相同，不是矛盾"))
            continue
        for g in groups[1:]:
            for dev in g:
                ref = min(ref_group, key=lambda s: (0 if (s.place == "table") != (dev.place == "table") else 1, s.order))
                pd_, prf = pr[dev.id], pr[ref.id]
                label = dev.label or ref.label or fig
                ratio = pd_.base / prf.base if prf.base else D(0)
                slip = prf.base != 0 and (abs(ratio - D("1e-4")) < D("1e-7") or abs(ratio - D("1e4")) < D("0.1"))
                if slip:
                    correct = q(_in_unit(prf.base, pd_.unit), 2)
                    results.append(Result("xref.unit_slip", pd_.value, correct, label, (dev.id, ref.id)))
                    twin_check = "xref.narrative_table" if (dev.place == "table") != (ref.place == "table") else "xref.conflict"
                    results.append(_copy_result(doc, twin_check, dev, ref, pr, label, undetermined=True))
                    continue
                check = "xref.narrative_table" if (dev.place == "table") != (ref.place == "table") else "xref.conflict"
                results.append(_copy_result(doc, check, dev, ref, pr, label))
    return results, negatives


def _copy_result(doc, check, dev, ref, pr, label, undetermined=False) -> Result:
    if check == "xref.narrative_table":
        narr, table = (dev, ref) if dev.place == "narrative" else (ref, dev)
        first, second = narr, table
    else:
        first, second = sorted((dev, ref), key=lambda s: s.order)
    pf, ps = pr[first.id], pr[second.id]
    computed = q(_in_unit(ps.base, pf.unit), max(pf.dec, ps.dec) + (4 if pf.unit != ps.unit else 0))
    return Result(check, pf.value, computed.normalize() if pf.unit != ps.unit else computed, label,
                  (first.id, second.id), undetermined)


def evaluate_placeholders(doc: Doc) -> list[Result]:
    out = []
    for s in sorted(doc.slots.values(), key=lambda s: s.order):
        if doc.printed(s.id).status == "placeholder":
            out.append(Result("complete.placeholder", None, None, s.label or s.fig, (s.id,)))
    return out
