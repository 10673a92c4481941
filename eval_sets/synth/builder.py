"""Shared pieces of the report builders: meta data (place, department, year), the Builder
helpers that create slots and blocks, and the indicator table with its score relations.
"""
from __future__ import annotations

from decimal import Decimal

from . import vocab
from .indicators import CATEGORY_EFFECT, CATEGORY_OUTPUT, CATEGORY_SATISFACTION, Indicator
from .model import D, Cell, Doc, Ref, grade_of, q
from .relations import (CategoryWeightRel, CompletionRel, OverMaxRel, PercentCapRel, RequiredRel, ScoreSumRel,
                        TargetMissedFullRel, WeightsTotalRel)

T1, T2, T3 = "部门整体支出绩效自评报告", "专项资金绩效自评表", "部门整体绩效自评表"
REPORT_TYPES = (T1, T2, T3)
CATEGORIES = (CATEGORY_OUTPUT, CATEGORY_EFFECT, CATEGORY_SATISFACTION)
CAT_KEY = {CATEGORY_OUTPUT: "out", CATEGORY_EFFECT: "eff", CATEGORY_SATISFACTION: "sat"}


def yuan(wan: float) -> Decimal:
    """A random amount given in 万元, held in 元 to the cent."""
    return q(D(repr(wan)) * 10000, 2)


def wan_of(doc: Doc, fig: str) -> Decimal:
    return q(D(doc.figs[fig]) / 10000, 2)


# --------------------------------------------------------------------------- meta


def place_name(rng) -> str:
    return rng.choice(vocab.PLACE_FIRST) + rng.choice(vocab.PLACE_SECOND)


def make_meta(rng) -> dict:
    dept = rng.choice(vocab.DEPARTMENTS)
    county = place_name(rng) + rng.choice(vocab.COUNTY_SUFFIX)
    city = place_name(rng) + "市"
    level_city = rng.random() < 0.25
    region = city if level_city else county
    short = ("市" if level_city else county[-1]) + dept.name
    year = rng.randint(2019, 2025)
    return dict(dept=dept, region=region, org=region + dept.name, short=short, year=year, weak=rng.random() < 0.2,
                city=city, programme=rng.choice(dept.programmes),
                filled=f"{year + 1}年{rng.randint(1, 4):02d}月{rng.randint(1, 28):02d}日")


class Builder:
    """Thin helpers over Doc for laying out a report."""

    def __init__(self, doc: Doc, rng):
        self.doc, self.rng = doc, rng
        self.narrative = doc.layout != "xlsx"
        m = doc.meta
        self.Y, self.dept, self.org, self.short = m["year"], m["dept"], m["org"], m["short"]
        self.commas = rng.random() < 0.4  # thousands separators in budget tables

    # slots
    def money(self, fig, label, pre="", unit="万元", place="narrative", figure=True, column=None, show_unit=True,
              commas=False, dec=2) -> Ref:
        return self.doc.slot(fig, unit=unit, dec=dec, place=place, label=label, pre=pre, figure=figure, column=column,
                             show_unit=show_unit, commas=commas)

    def cell_money(self, fig, label, column=None, show_unit=False) -> Ref:
        return self.money(fig, label, place="table", column=column, show_unit=show_unit, commas=self.commas)

    def num(self, fig, label="", unit="", place="table", dec=2, auto=True, pre="", figure=False, show_unit=True) -> Ref:
        return self.doc.slot(fig, unit=unit, dec=dec, auto_dec=auto, place=place, label=label, pre=pre, figure=figure,
                             show_unit=show_unit)

    def word(self, fig, label, place="narrative", pre="") -> Ref:
        return self.doc.slot(fig, place=place, label=label, pre=pre, text_fig=True)

    # blocks
    def title(self, text):
        self.doc.add("title", [text])

    def heading(self, text):
        if self.narrative:
            self.doc.add("heading", [text])

    def para(self, *parts):
        if self.narrative:
            self.doc.add("para", list(parts))

    def note(self, text):
        self.doc.add("note", [text])

    def table(self, rows, ncols, name=""):
        for r in rows:
            width = sum(c.span for c in r)
            if width != ncols:
                raise ValueError(f"row width {width} != {ncols}: {r}")
        self.doc.add("table", rows=rows, ncols=ncols, name=name)


def C(*parts, span=1, merge_up=False) -> Cell:
    return Cell(list(parts), span, merge_up)


# --------------------------------------------------------------------------- scores


def register_scores(b: Builder, inds: list[Indicator], exec_weight: int, exec_score_fn):
    """Figures for 分值/得分 of every indicator plus the derived totals and grade."""
    doc = b.doc
    for k, ind in enumerate(inds):
        ind.key = f"i{k}"
        doc.set(f"i{k}.w", ind.weight)
        doc.set(f"i{k}.s", ind.score)
        if ind.numeric:
            doc.set(ind.extra.get("t_fig", f"i{k}.t"), ind.target)
            doc.set(ind.extra.get("a_fig", f"i{k}.a"), ind.actual)
    doc.set("exec_w", D(exec_weight))
    doc.derive("exec_score", exec_score_fn)
    for cat in CATEGORIES:
        members = [i.key for i in inds if i.level1 == cat]
        doc.derive(f"cat.{CAT_KEY[cat]}.points", lambda d, m=members: sum(D(d.figs[f"{k}.w"]) for k in m))
        doc.derive(f"cat.{CAT_KEY[cat]}.score", lambda d, m=members: sum(D(d.figs[f"{k}.s"]) for k in m))
    keys = [i.key for i in inds]
    doc.derive("score_total", lambda d: D(d.figs["exec_score"]) + sum(D(d.figs[f"{k}.s"]) for k in keys))
    doc.derive("grade", lambda d: grade_of(D(d.figs["score_total"])))


def t_fig(ind):
    return ind.extra.get("t_fig", f"{ind.key}.t")


def a_fig(ind):
    return ind.extra.get("a_fig", f"{ind.key}.a")


def indicator_rows(b: Builder, inds: list[Indicator], style: str, header_points: bool, show_actual_unit: bool,
                   score_dec_fixed: bool) -> tuple[list, list, list]:
    """Table rows for the indicators. Returns (rows, weight slots, score slots)."""
    doc = b.doc
    rows, wslots, sslots = [], [], []
    prev_cat, prev_l2 = None, None
    multiline = b.rng.random() < 0.5
    for ind in inds:
        k = ind.key
        first = ind.level1 != prev_cat
        if first:
            ck = CAT_KEY[ind.level1]
            name = ind.level1.replace("指标", "\n指标") if multiline else ind.level1
            if header_points:
                pts = b.num(f"cat.{ck}.points", label=f"{ind.level1}分值", unit="分", show_unit=False)
                paren = ("（", "分）") if b.rng.random() < 0.6 else ("(", "分)")
                cat_cell = C(name, "\n" if multiline else "", paren[0], pts, paren[1])
                doc.relations.append(CategoryWeightRel(pts.slot, [f"{i.key}.w" for i in inds if i.level1 == ind.level1],
                                                       ind.level1))
            else:
                cat_cell = C(name)
        else:
            cat_cell = C(merge_up=True)
        l2_cell = C(ind.level2) if (first or ind.level2 != prev_l2 or b.rng.random() < 0.5) else C()
        prev_cat, prev_l2 = ind.level1, ind.level2
        if ind.numeric:
            t_unit = ind.unit
            auto = ind.kind != "money"  # amounts keep their cents: ≤3903.10万元, not ≤3903.1万元
            t = doc.slot(t_fig(ind), sid=f"{k}.t", unit=t_unit, dec=2, auto_dec=auto, place="table", label=ind.name)
            a = doc.slot(a_fig(ind), sid=f"{k}.a", unit=t_unit, dec=2, auto_dec=auto, place="table", label=ind.name,
                         show_unit=show_actual_unit or ind.kind == "pct")
            op = ind.op if (ind.op != "=" or b.rng.random() < 0.5) else ""
            target_cell, actual_cell = C(op, t), C(a)
            doc.relations.append(TargetMissedFullRel(ind.op, t.slot, a.slot, f"{k}.s", f"{k}.w", ind.name))
            doc.relations.append(RequiredRel(a.slot, ind.name))
            if ind.capped:
                doc.relations.append(PercentCapRel(a_fig(ind), ind.name))
        else:
            target_cell, actual_cell = C(ind.target_text), C(ind.actual_text)
        w = doc.slot(f"{k}.w", sid=f"{k}.w", unit="分", show_unit=False, dec=2, auto_dec=True, place="table",
                     label=ind.name)
        s = doc.slot(f"{k}.s", sid=f"{k}.s", unit="分", show_unit=False, dec=2, auto_dec=not score_dec_fixed,
                     place="table", label=ind.name)
        wslots.append(w.slot)
        sslots.append(s.slot)
        doc.relations.append(OverMaxRel(s.slot, w.slot, ind.name))
        doc.relations.append(RequiredRel(s.slot, ind.name))
        reason = C(ind.reason)
        if style == "t1":
            rows.append([cat_cell, l2_cell, C(ind.name), target_cell, actual_cell, C(w), C(s), reason])
        elif style == "t2":
            rows.append([C(merge_up=True), cat_cell, l2_cell, C(ind.name), target_cell, actual_cell, C(w), C(s), reason])
        else:
            status = "已完成" if ind.met() else "部分完成"
            rows.append([C(merge_up=True), cat_cell, l2_cell, C(ind.name), target_cell, C(w), actual_cell, C(s),
                         C(status), reason])
    return rows, wslots, sslots


def score_relations(b: Builder, total_slot: str, exec_score_slot: str, exec_w_slot: str, wslots, sslots):
    doc = b.doc
    doc.relations.append(ScoreSumRel(total_slot, [exec_score_slot] + sslots))
    doc.relations.append(WeightsTotalRel([exec_w_slot] + wslots))


def narrated_quantities(inds, n):
    return [i for i in inds if i.kind == "quant" and i.op == "≥"][:n]


def completion_sentence(b: Builder, ind: Indicator, place="narrative") -> list:
    """"…年度目标≥288户，实际完成324户，完成率112.5%" with its own completion figure."""
    doc = b.doc
    k = ind.key
    pct_fig = doc.derive(f"{k}.pct", lambda d, i=ind: D(d.figs[a_fig(i)]) / D(d.figs[t_fig(i)]) * 100)
    t = doc.slot(t_fig(ind), unit=ind.unit, dec=2, auto_dec=True, place=place, label=ind.name)
    a = doc.slot(a_fig(ind), unit=ind.unit, dec=2, auto_dec=True, place=place, label=ind.name)
    p = doc.slot(pct_fig, sid=f"{k}.pct@{place}", unit="%", dec=b.rng.choice([1, 2]), auto_dec=True, place=place,
                 label=f"{ind.name}完成率")
    doc.relations.append(CompletionRel(p.slot, a.slot, t.slot, ind.name))
    ind.narrated = True
    return [t, a, p]


def grade_statement(b: Builder, place: str) -> Ref:
    return b.word("grade", "自评等级", place=place)
