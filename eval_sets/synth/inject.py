"""Injections: each plants one kind of contradiction from the check catalogue.

An injection either changes a figure everywhere it is printed (so the report stays
consistent with itself except for the rule being broken), pins a derived figure (a total
that no longer follows its parts), or overrides a single printed place. It returns what
was done; the findings themselves are read off the relations afterwards (see model.py),
so anything an injection disturbs beyond its intended rule still lands in the gold.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable, Optional

from .indicators import Indicator
from .model import D, Doc, fmt_number, grade_of, q
from .reports import SOURCES, T1, T2, T3

CHECKS = [
    "sum.total_basic_project", "sum.basic_breakdown", "sum.sangong", "sum.fund_sources", "sum.adjusted_budget",
    "sum.breakdown", "rate.execution", "rate.execution_score", "rate.completion", "rate.growth", "score.sum",
    "score.weights_total", "score.category_weight", "score.over_max", "score.target_missed_full", "score.grade",
    "xref.conflict", "xref.unit_slip", "xref.narrative_table", "complete.blank", "complete.placeholder",
    "complete.percent_range",
]

CHECK_DESC = {
    "sum.total_basic_project": "部门整体支出不等于基本支出与项目支出之和",
    "sum.basic_breakdown": "基本支出不等于其明细之和",
    "sum.sangong": "三公经费合计不等于各分项之和",
    "sum.fund_sources": "资金总额不等于各资金来源之和",
    "sum.adjusted_budget": "调整后预算数不等于年初预算数加年中调整数",
    "sum.breakdown": "“其中”所列分项之和超过总数",
    "rate.execution": "预算执行率与执行数÷预算数不符",
    "rate.execution_score": "预算执行得分与分值×执行率不符",
    "rate.completion": "完成率与实际值÷目标值不符",
    "rate.growth": "增长率与两年数值不符",
    "score.sum": "各项得分之和与总分不符",
    "score.weights_total": "各项分值之和不等于100",
    "score.category_weight": "一级指标标注分值与其下各行分值之和不符",
    "score.over_max": "得分超过分值",
    "score.target_missed_full": "目标未完成却得满分",
    "score.grade": "自评等级与得分不符",
    "xref.conflict": "同一数字在正文中前后不一致",
    "xref.unit_slip": "同一金额单位写错（万元写成元）",
    "xref.narrative_table": "正文数字与表格不一致",
    "complete.blank": "必填单元格为空",
    "complete.placeholder": "数字位置为占位符",
    "complete.percent_range": "百分比超过100%",
}


@dataclass
class Injection:
    check: str
    note: str
    acceptable: set = field(default_factory=set)
    rows: set = field(default_factory=set)  # indicator keys touched, so two injections never share a row
    changed: set = field(default_factory=set)  # slots whose printed text the injection changed (set by the caller)


def _p(doc: Doc, sid: str):
    return doc.printed(sid)


def _w(v: Decimal, dec: int = 2) -> str:
    return fmt_number(v, dec)


def _s(v: Decimal) -> str:
    """A score as a person writes it: 20, 18.5, 9.84."""
    v = q(D(v), 2).normalize()
    return f"{v:f}"


def _delta(rng, base: Decimal, lo: float, hi: float, floor: str = "1") -> Decimal:
    return max(q(abs(base) * D(repr(rng.uniform(lo, hi))), 2), D(floor))


def _touched(doc: Doc) -> set:
    return doc.meta.setdefault("touched_rows", set())


def _free_rows(doc: Doc, pred: Callable[[Indicator], bool], prefer_unnarrated=True) -> list[Indicator]:
    rows = [i for i in doc.meta["inds"] if i.key not in _touched(doc) and pred(i)]
    if prefer_unnarrated and any(not i.narrated for i in rows):
        rows = [i for i in rows if not i.narrated]
    return rows


def _slot_of(doc: Doc, fig: str, place: Optional[str] = None) -> Optional[str]:
    for s in doc.slots_of(fig):
        if place is None or s.place == place:
            return s.id
    return None


# --------------------------------------------------------------------------- sums


def total_basic_project(doc: Doc, rng):
    if doc.report_type != T1:
        return None
    project = D(doc.figs["project"])
    parts = sum(D(doc.figs[k]) for k in doc.figs if k.startswith("proj."))
    delta = _delta(rng, project, 0.02, 0.09, "10000") * rng.choice([-1, 1])
    if project + delta <= parts * D("1.05"):
        delta = abs(delta)
    new = project + delta
    doc.figs["project"] = new
    return Injection("sum.total_basic_project",
                     f"将项目支出由{_w(project / 10000)}万元改为{_w(new / 10000)}万元（各处同步），部门整体支出"
                     f"{_w(D(doc.figs['total']) / 10000)}万元不变，整体≠基本+项目")


def basic_breakdown(doc: Doc, rng):
    if doc.report_type != T1:
        return None
    sid = rng.choice(doc.meta["basic_parts"])
    p = _p(doc, sid)
    new = p.value + _delta(rng, p.value, 0.05, 0.25, "1") * rng.choice([-1, 1])
    if new <= 0:
        new = p.value + _delta(rng, p.value, 0.05, 0.25, "1")
    doc.override(sid, value=new)
    return Injection("sum.basic_breakdown", f"将基本支出明细“{doc.slots[sid].label}”由{_w(p.value)}万元改为{_w(new)}万元，"
                                            f"明细之和不再等于基本支出")


def sangong(doc: Doc, rng):
    if doc.report_type != T1:
        return None
    sid = rng.choice(doc.meta["sg_parts"][1:])
    p = _p(doc, sid)
    new = p.value + _delta(rng, p.value, 0.1, 0.6, "0.5") * rng.choice([-1, 1])
    if new <= 0:
        new = p.value + D("0.8")
    doc.override(sid, value=new)
    return Injection("sum.sangong", f"将{doc.slots[sid].label}由{_w(p.value)}万元改为{_w(new)}万元，三公经费合计与分项之和不符")


def fund_sources(doc: Doc, rng):
    if doc.report_type != T2 or doc.meta["fund_fill"] != "all":
        return None
    cells = doc.meta["fund_cells"]
    choices = [(r, c) for r in ("fin", "carry", "other") for c in ("a", "b", "c")
               if len(doc.slots_of(doc.slots[cells[(r, c)]].fig)) == 1]
    r, c = rng.choice(choices)
    sid = cells[(r, c)]
    p = _p(doc, sid)
    total = _p(doc, cells[("total", c)]).value
    new = p.value + _delta(rng, total, 0.03, 0.15, "0.5") * (1 if p.value == 0 or rng.random() < 0.5 else -1)
    if new < 0:
        new = p.value + _delta(rng, total, 0.03, 0.15, "0.5")
    doc.override(sid, value=new)
    return Injection("sum.fund_sources", f"将{doc.slots[sid].column}列“{doc.slots[sid].label}”由{_w(p.value)}改为{_w(new)}，"
                                         f"年度资金总额不再等于各来源之和")


def adjusted_budget(doc: Doc, rng):
    if doc.report_type == T1:
        sid = _slot_of(doc, "b_adjust")
        p = _p(doc, sid)
        adj = _p(doc, _slot_of(doc, "b_adj", "table")).value
        new = p.value + _delta(rng, adj, 0.03, 0.12, "5") * rng.choice([-1, 1])
        doc.override(sid, value=new)
        return Injection("sum.adjusted_budget", f"将自评表年中调整数由{_w(p.value)}万元改为{_w(new)}万元，调整后预算数≠年初+调整")
    if doc.report_type == T3:
        money = doc.meta["src_money"]
        keys = [k for k in ("gen", "fund", "soe", "other") if money[k][0] > 0]
        key = rng.choice(keys)
        delta = _delta(rng, money[key][0], 0.03, 0.12, "50000") * rng.choice([-1, 1])
        old = D(doc.figs[f"s.{key}.adjust"])
        doc.figs[f"s.{key}.adjust"] = old + delta
        doc.figs["s.total.adjust"] = D(doc.figs["s.total.adjust"]) + delta
        label = dict(SOURCES)[key]
        return Injection("sum.adjusted_budget", f"将“{label}”行及合计行的年中预算调整数同步改动{_w(delta / 10000)}万元，"
                                                f"两行的调整后预算数均不再等于年初+调整（列合计仍平衡）")
    return None


def breakdown(doc: Doc, rng):
    if doc.report_type != T1:
        return None
    sid = rng.choice(doc.meta["project_parts"])
    total = _p(doc, doc.meta["project_b"]).value
    parts = sum(_p(doc, s).value for s in doc.meta["project_parts"])
    old = _p(doc, sid).value
    new = old + (total - parts) + _delta(rng, total, 0.04, 0.2, "1")
    doc.override(sid, value=new)
    return Injection("sum.breakdown", f"将项目支出“其中”所列“{doc.slots[sid].label}”由{_w(old)}万元改为{_w(new)}万元，"
                                      f"所列分项之和超过项目支出{_w(total)}万元")


# --------------------------------------------------------------------------- rates


def execution(doc: Doc, rng):
    if doc.report_type == T3:
        money = doc.meta["src_money"]
        keys = [k for k in ("gen", "fund", "soe", "other") if money[k][2] > 0]
        if keys:
            key = rng.choice(keys)
            sid = doc.meta["src_cells"][(key, "rate")]
            p = _p(doc, sid)
            new = p.value - q(D(repr(rng.uniform(2, 9))), 2) if p.value > 50 else p.value + D(5)
            doc.override(sid, value=new)
            return Injection("rate.execution", f"将“{doc.slots[sid].row}”行预算执行率由{_w(p.value)}%改为{_w(new)}%，"
                                               f"与实际支出数÷调整后预算数不符")
        return None
    place = "narrative" if (doc.report_type == T1 and rng.random() < 0.4) else "table"
    sid = "rate@narr" if place == "narrative" else doc.meta["rate_table"]
    if sid not in doc.slots:
        return None
    true = D(doc.figs["rate"])
    new = q(D(100) - D(repr(rng.uniform(1.5, 7))), 2) if true >= 99.5 else D(100)
    doc.override(sid, value=new)
    where = "正文计算式" if place == "narrative" else "表格"
    return Injection("rate.execution", f"将{where}中的预算执行率由{_w(true)}%改为{_w(new)}%，与执行数÷预算数不符",
                     acceptable={"rate.execution_score"})


def execution_score(doc: Doc, rng):
    w = D(doc.figs["exec_w"])
    rate = _p(doc, doc.meta["rate_table"]).value
    old = D(doc.figs["exec_score"])
    new = w if rate < D("99.5") else w - D(rng.choice(["0.5", "1", "2", "1.5"]))
    doc.pin("exec_score", new)
    return Injection("rate.execution_score", f"预算执行率为{_w(rate)}%，预算执行得分却写作{_s(new)}分（应为{_s(old)}分），"
                                             f"总分随之同步")


def completion(doc: Doc, rng):
    sids = [s for s in doc.slots if ".pct@" in s]
    if not sids:
        return None
    single = [s for s in sids if len(doc.slots_of(doc.slots[s].fig)) == 1]
    sid = rng.choice(single or sids)
    p = _p(doc, sid)
    new = p.value + D(repr(round(rng.uniform(3, 15), p.dec))) * (1 if p.value < 100 or rng.random() < 0.5 else -1)
    doc.override(sid, value=new)
    return Injection("rate.completion", f"将“{doc.slots[sid].label}”由{_w(p.value, p.dec)}%改为{_w(new, p.dec)}%，"
                                        f"与实际完成值÷目标值不符")


def growth(doc: Doc, rng):
    if doc.report_type != T1:
        return None
    pct, word = rng.choice(doc.meta["growth"])
    p = _p(doc, pct)
    w = _p(doc, word).word
    if w == "下降" and p.value >= 1 and rng.random() < 0.6:
        # only this direction: printed 增长x% against a computed -x% keeps stated ≠ computed
        doc.override(word, text="增长")
        return Injection("rate.growth", f"“{doc.slots[pct].label}”实际为下降{_w(p.value, p.dec)}%，正文写作“增长”")
    new = p.value + D(repr(round(rng.uniform(1.5, 8), p.dec)))
    doc.override(pct, value=new)
    return Injection("rate.growth", f"将“{doc.slots[pct].label}”由{_w(p.value, p.dec)}%改为{_w(new, p.dec)}%，与两年数值不符")


# --------------------------------------------------------------------------- scores


def _same_band_shift(rng, total: Decimal) -> Optional[Decimal]:
    for _ in range(20):
        d = D(rng.choice(["1", "2", "3", "0.5", "1.5", "4"])) * rng.choice([-1, 1])
        new = total + d
        if D(0) <= new <= D(100) and grade_of(new) == grade_of(total):
            return new
    return None


def score_sum(doc: Doc, rng):
    total = D(doc.figs["score_total"])
    new = _same_band_shift(rng, total)
    if new is None:
        return None
    doc.pin("score_total", new)
    return Injection("score.sum", f"总分（自评得分）由各项得分之和{_s(total)}分改为{_s(new)}分（各处同步）")


def weights_total(doc: Doc, rng):
    rows = _free_rows(doc, lambda i: i.score == i.weight and i.weight >= 4) or _free_rows(doc, lambda i: i.score < i.weight)
    if not rows:
        return None
    ind = rng.choice(rows)
    d = D(rng.choice([1, 2]))
    k = ind.key
    if ind.score == ind.weight:
        doc.figs[f"{k}.w"] = D(doc.figs[f"{k}.w"]) - d
        doc.figs[f"{k}.s"] = D(doc.figs[f"{k}.s"]) - d
        how = f"分值与得分同减{d}分"
    else:
        doc.figs[f"{k}.w"] = D(doc.figs[f"{k}.w"]) + d
        how = f"分值加{d}分"
    return Injection("score.weights_total", f"“{ind.name}”{how}（一级指标分值、总分同步），各项分值之和不再是100",
                     rows={k})


def category_weight(doc: Doc, rng):
    sids = [s for s in doc.slots if doc.slots[s].fig.endswith(".points")]
    if not sids:
        return None
    sid = rng.choice(sids)
    p = _p(doc, sid)
    new = p.value + D(rng.choice([5, -5, 10, 2, -2]))
    if new <= 0:
        new = p.value + 5
    doc.override(sid, value=new)
    return Injection("score.category_weight", f"将一级指标“{doc.slots[sid].label.replace('分值', '')}”标注分值由{_w(p.value, 0)}分"
                                              f"改为{_w(new, 0)}分，与其下各行分值之和不符")


def over_max(doc: Doc, rng):
    total = D(doc.figs["score_total"])
    rows = _free_rows(doc, lambda i: i.score == i.weight)
    d = D(rng.choice(["1", "2", "0.5", "3"]))
    if not rows or total + d > 100:
        return None
    ind = rng.choice(rows)
    doc.figs[f"{ind.key}.s"] = ind.weight + d
    return Injection("score.over_max", f"“{ind.name}”分值{_s(ind.weight)}分，得分写作{_s(ind.weight + d)}分（总分同步）",
                     rows={ind.key})


def target_missed_full(doc: Doc, rng):
    # not "≤" percentages (预算控制率 115%): an over-100 rate there reads as a percent_range slip too
    rows = _free_rows(doc, lambda i: (i.kind == "quant" and i.op in ("≥", "≤") or i.kind == "pct" and i.op == "≥")
                      and i.met() and i.score == i.weight and "a_fig" not in i.extra)
    if not rows:
        return None
    ind = rng.choice(rows)
    t = ind.target
    dec = 0 if ind.kind == "quant" else 1
    if ind.op == "≥":
        new = q(t * D(repr(rng.uniform(0.86, 0.97))), dec)
        if new >= t:
            new = t - 1
    else:
        new = q(t * D(repr(rng.uniform(1.04, 1.2))), dec)
        if new <= t:
            new = t + 1
    doc.figs[f"{ind.key}.a"] = new
    return Injection("score.target_missed_full", f"“{ind.name}”目标{ind.op}{_s(t)}{ind.unit}，实际完成改为"
                                                 f"{_s(new)}{ind.unit}（未达标），得分仍为满分{_s(ind.weight)}",
                     rows={ind.key})


def grade(doc: Doc, rng):
    if not doc.slots_of("grade"):
        return None
    true = grade_of(D(doc.figs["score_total"]))
    wrong = {"优": "良", "良": rng.choice(["优", "中"]), "中": "良", "差": "中"}[true]
    doc.pin("grade", wrong)
    return Injection("score.grade", f"自评得分{_s(D(doc.figs['score_total']))}分应为“{true}”，自评等级写作“{wrong}”")


# --------------------------------------------------------------------------- cross references


def conflict(doc: Doc, rng):
    if doc.report_type != T1:
        return None
    variant = rng.choice(["project", "sangong", "basic"])
    if variant == "basic":
        # the second mention heads the 工资福利… breakdown, which then no longer adds up either:
        # a definite second finding (sum.basic_breakdown), listed as such
        sid = doc.meta["basic_b"]
        p = _p(doc, sid)
        new = p.value + _delta(rng, p.value, 0.01, 0.06, "1") * rng.choice([-1, 1])
        doc.override(sid, value=new)
        return Injection("xref.conflict", f"正文第二次提到基本支出时由{_w(p.value)}万元改写为{_w(new)}万元（其后的明细未改）")
    if variant == "project":
        sid = doc.meta["project_b"]
        p = _p(doc, sid)
        new = p.value + _delta(rng, p.value, 0.01, 0.08, "1")
        what = "项目支出"
    else:
        sid = doc.meta["sg_b"]
        p = _p(doc, sid)
        new = p.value + _delta(rng, p.value, 0.05, 0.3, "0.3") * rng.choice([-1, 1])
        what = "三公经费"
    doc.override(sid, value=new)
    return Injection("xref.conflict", f"正文第二次提到{what}时由{_w(p.value)}万元改写为{_w(new)}万元")


def unit_slip(doc: Doc, rng):
    if doc.layout == "xlsx":
        return None
    options = []
    if doc.report_type == T1:
        options = [doc.meta["sg_b"]] + doc.meta.get("table_basic_project", [])
    elif doc.report_type == T2 and doc.meta.get("narr_fin"):
        options = [doc.meta["narr_fin"]]
    elif doc.report_type == T3:
        options = [doc.meta["narr_init"]]
    if not options:
        return None
    sid = rng.choice(options)
    p = _p(doc, sid)
    doc.override(sid, unit="元")
    # a slipped 基本/项目支出总额 cell also breaks the table's 执行数 = 基本 + 项目; that is the same slip
    knock_on = {"sum.total_basic_project"} if sid in doc.meta.get("table_basic_project", []) else set()
    return Injection("xref.unit_slip", f"“{doc.slots[sid].label}”{_w(p.value)}万元在此处误写为{_w(p.value)}元",
                     acceptable=knock_on)


def narrative_table(doc: Doc, rng):
    if doc.layout == "xlsx":
        return None
    if doc.meta.get("narr_breakdown"):
        a, b = rng.sample(doc.meta["narr_cats"], 2)
        pa, pb = _p(doc, a), _p(doc, b)
        d = min(D(rng.choice([1, 2, 3])), pb.value)
        if d <= 0:
            return None
        doc.override(a, value=pa.value + d)
        doc.override(b, value=pb.value - d)
        return Injection("xref.narrative_table", f"正文中“{doc.slots[a].label}”写作{_s(pa.value + d)}分、“{doc.slots[b].label}”"
                                                 f"写作{_s(pb.value - d)}分，与自评表不符（正文合计仍等于自评得分）")
    sid = doc.meta["narr_total"]
    p = _p(doc, sid)
    new = _same_band_shift(rng, p.value)
    if new is None:
        return None
    doc.override(sid, value=new)
    return Injection("xref.narrative_table", f"正文自评得分写作{_s(new)}分，自评表总分为{_s(p.value)}分")


# --------------------------------------------------------------------------- completeness


def blank(doc: Doc, rng):
    rows = _free_rows(doc, lambda i: True)
    if not rows:
        return None
    ind = rng.choice(rows)
    if ind.numeric and "a_fig" not in ind.extra and rng.random() < 0.5:
        sid, what = f"{ind.key}.a", "实际完成值"
    else:
        sid, what = f"{ind.key}.s", "得分"
    doc.override(sid, text="")
    return Injection("complete.blank", f"“{ind.name}”行{what}留空", rows={ind.key})


def placeholder(doc: Doc, rng):
    if doc.report_type == T1 and rng.random() < 0.5:
        sid = rng.choice(doc.meta["sg_parts"][1:] + doc.meta["basic_parts"])
        token = rng.choice(["XX", "××"])
        doc.override(sid, text=token)
        return Injection("complete.placeholder", f"正文“{doc.slots[sid].label}”金额写作“{token}万元”占位符")
    rows = _free_rows(doc, lambda i: True)
    if not rows:
        return None
    ind = rng.choice(rows)
    token = rng.choice(["××", "XX"])
    doc.override(f"{ind.key}.s", text=token)
    return Injection("complete.placeholder", f"“{ind.name}”行得分写作“{token}”占位符", rows={ind.key})


def percent_range(doc: Doc, rng):
    rows = _free_rows(doc, lambda i: i.capped and i.op == "≥", prefer_unnarrated=False)
    if not rows:
        return None
    ind = rng.choice(rows)
    new = q(D(repr(rng.uniform(101, 121))), rng.choice([0, 1]))
    doc.figs[f"{ind.key}.a"] = new
    return Injection("complete.percent_range", f"“{ind.name}”实际完成值改为{_w(new, 1)}%，超过100%", rows={ind.key})


INJECTORS: dict[str, Callable] = {
    "sum.total_basic_project": total_basic_project,
    "sum.basic_breakdown": basic_breakdown,
    "sum.sangong": sangong,
    "sum.fund_sources": fund_sources,
    "sum.adjusted_budget": adjusted_budget,
    "sum.breakdown": breakdown,
    "rate.execution": execution,
    "rate.execution_score": execution_score,
    "rate.completion": completion,
    "rate.growth": growth,
    "score.sum": score_sum,
    "score.weights_total": weights_total,
    "score.category_weight": category_weight,
    "score.over_max": over_max,
    "score.target_missed_full": target_missed_full,
    "score.grade": grade,
    "xref.conflict": conflict,
    "xref.unit_slip": unit_slip,
    "xref.narrative_table": narrative_table,
    "complete.blank": blank,
    "complete.placeholder": placeholder,
    "complete.percent_range": percent_range,
}
assert list(INJECTORS) == CHECKS
