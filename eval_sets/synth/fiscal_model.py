"""The accounts behind a 部门决算 / 部门预算 document, held in 元 to the cent.

Everything a 情况说明 and the standard tables print is derived here once, so the tables agree
with each other and with the narrative by construction; rounding to 0.01万元 in print is the
only source of small gaps (a natural rounding hard negative).

Spending is held per 功能分类 项 and per fund source (gen: 一般公共预算财政拨款, fund: 政府性基金,
biz: 事业收入, misc: 其他收入) and part (b: 基本支出, p: 项目支出). 基本支出 of 一般公共预算 is
also broken down by 经济分类; the pension, medical, housing and retirement 项 are exactly the
matching 经济分类 items, as in real accounts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from . import fiscal_vocab as fv
from .model import D, q

SOURCES = ("gen", "fund", "biz", "misc")


def yuan(wan: float) -> Decimal:
    return q(D(repr(wan)) * 10000, 2)


def scale(x: Decimal, f: float) -> Decimal:
    return q(x * D(repr(f)), 2)


def allocate(rng, total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split `total` (元) into parts proportional to noisy weights; the parts add up exactly."""
    w = [max(0.05, x * rng.uniform(0.6, 1.4)) for x in weights]
    s = sum(w)
    parts = [q(total * D(repr(x / s)), 2) for x in w]
    parts[-1] = total - sum(parts[:-1])
    if parts[-1] <= 0:  # only for totals of a few yuan: split evenly instead
        n = len(parts)
        parts = [q(total / n, 2)] * (n - 1)
        parts.append(total - sum(parts))
    return parts


@dataclass
class Line:
    code: str  # 7-digit 项 code
    name: str
    kind: str
    amt: dict = field(default_factory=dict)  # (source, part) -> 元
    inc_delta: dict = field(default_factory=dict)  # source -> income minus spending (carry-over)
    budget: Decimal = D(0)  # 年初预算 of 一般公共预算 (决算 documents)
    prev: Decimal = D(0)  # last year's 一般公共预算 amount (预算: 上年预算)

    def get(self, src="all", part="t") -> Decimal:
        srcs = SOURCES if src == "all" else (("gen", "fund") if src == "fis" else (src,))
        parts = ("b", "p") if part == "t" else (part,)
        return sum((self.amt.get((s, p), D(0)) for s in srcs for p in parts), D(0))

    def income(self, src="all") -> Decimal:
        srcs = SOURCES if src == "all" else (("gen", "fund") if src == "fis" else (src,))
        return sum((self.get(s) + self.inc_delta.get(s, D(0)) for s in srcs), D(0))


@dataclass
class Accounts:
    lines: list
    econ: dict  # code -> 元 (3- and 5-digit 经济分类 codes of 一般公共预算 基本支出)
    econ_items: dict  # class code -> [(code, name)]
    carry_in: dict  # source -> 元
    carry_out: dict
    sg: dict  # (item, measure) -> 元; items tot abroad car carbuy carrun recept; measures act bud prev
    sg_counts: dict
    running: dict  # act, prev, bud
    procurement: dict
    vehicles: list  # [(type, n)]
    equipment: int
    perf: dict
    growth: dict  # figure -> last year's value (元)
    has_fund: bool

    # -- 功能分类 tree ---------------------------------------------------------
    def codes(self, src="all", income=False) -> list[str]:
        """Every 类/款/项 code with money in `src`, in code order (类, its 款, their 项 …)."""
        used = [ln for ln in self.lines if (ln.income(src) if income else ln.get(src)) != 0]
        out = set()
        for ln in used:
            out.update({ln.code[:3], ln.code[:5], ln.code})
        return sorted(out)

    def node(self, code: str, src="all", part="t", income=False) -> Decimal:
        if income:
            return sum((ln.income(src) for ln in self.lines if ln.code.startswith(code)), D(0))
        return sum((ln.get(src, part) for ln in self.lines if ln.code.startswith(code)), D(0))

    def total(self, src="all", part="t") -> Decimal:
        return self.node("", src, part)

    def income_total(self, src="all") -> Decimal:
        return self.node("", src, income=True)

    def budget_of(self, code: str) -> Decimal:
        return sum((ln.budget for ln in self.lines if ln.code.startswith(code)), D(0))

    def prev_of(self, code: str) -> Decimal:
        return sum((ln.prev for ln in self.lines if ln.code.startswith(code)), D(0))

    @staticmethod
    def name(code: str) -> str:
        if len(code) == 3:
            return fv.CLASS_NAMES[code]
        if len(code) == 5:
            return fv.SUBCLASS_NAMES[code]
        return fv.ITEMS[code][0]


def make_accounts(rng, dept_name: str, budget_doc: bool, want_fund: bool) -> Accounts:
    own, fund_items = fv.DEPT_ITEMS[dept_name]
    admin = next(c for c in own if fv.ITEMS[c][1] == "admin")
    units = [c for c in own if fv.ITEMS[c][1] == "unit"]
    projects = [c for c in own if fv.ITEMS[c][1] == "project"]
    chosen = sorted(rng.sample(projects, rng.randint(min(2, len(projects)), min(5, len(projects)))))
    unit = units[0] if units and rng.random() < 0.55 else None

    # 经济分类 of 一般公共预算 基本支出
    w301 = yuan(rng.uniform(120, 1900))
    econ_items: dict = {}
    econ: dict = {}
    must = {"30101", "30102", "30108", "30110", "30113"}
    picked = [(c, n, w) for c, n, w in fv.ECON_ITEMS["301"] if c in must or rng.random() < 0.6]
    for cls, total in (("301", w301), ("302", scale(w301, rng.uniform(0.12, 0.34))),
                       ("303", scale(w301, rng.uniform(0.01, 0.09))),
                       ("310", scale(w301, rng.uniform(0.004, 0.03)) if rng.random() < 0.35 else D(0))):
        if total == 0:
            continue
        if cls == "301":
            items = picked
        elif cls == "302":
            items = [(c, n, w) for c, n, w in fv.ECON_ITEMS["302"] if w and (c in ("30201", "30211", "30228") or rng.random() < 0.55)]
        else:
            items = [(c, n, w) for c, n, w in fv.ECON_ITEMS[cls] if rng.random() < 0.7] or fv.ECON_ITEMS[cls][:1]
        parts = allocate(rng, total, [w for _, _, w in items])
        econ[cls] = total
        econ_items[cls] = [(c, n) for c, n, _ in items]
        for (c, _, _), v in zip(items, parts):
            econ[c] = v
    gen_basic = sum((econ[c] for c, _ in fv.ECON_CLASSES if c in econ), D(0))

    lines: dict = {}

    def line(code: str) -> Line:
        if code not in lines:
            name, kind = fv.ITEMS[code]
            lines[code] = Line(code, name, kind)
        return lines[code]

    mapped = {"2080505": ["30108"], "2080506": ["30109"], "2101101" if unit is None else "2101102": ["30110", "30112"],
              "2210201": ["30113"], "2080501": ["30302"]}
    rest = gen_basic
    for code, econ_codes in mapped.items():
        v = sum((econ.get(c, D(0)) for c in econ_codes), D(0))
        if v > 0:
            line(code).amt[("gen", "b")] = v
            rest -= v
    if unit is not None:
        share = scale(rest, rng.uniform(0.2, 0.5))
        line(unit).amt[("gen", "b")] = share
        rest -= share
    line(admin).amt[("gen", "b")] = rest
    if rng.random() < 0.3:  # a small medical subsidy paid from 项目
        line("2101103").amt[("gen", "p")] = yuan(rng.uniform(0.5, 12))
    project_total = scale(gen_basic, rng.uniform(0.25, 2.6))  # 项目支出 beside 基本支出, as in most departments
    for code, v in zip(chosen, allocate(rng, project_total, [rng.choice([0.3, 1, 1, 2.5]) for _ in chosen])):
        line(code).amt[("gen", "p")] = v
    if unit is not None and rng.random() < 0.5:
        line(unit).amt[("biz", "b")] = yuan(rng.uniform(10, 300))
        if rng.random() < 0.4:
            line(unit).amt[("biz", "p")] = yuan(rng.uniform(5, 120))
    if rng.random() < 0.25:
        line(rng.choice(chosen)).amt[("misc", "p")] = yuan(rng.uniform(1, 60))
    has_fund = want_fund
    if has_fund:
        line(fund_items[0]).amt[("fund", "p")] = yuan(rng.uniform(15, 900))
    ordered = [lines[c] for c in sorted(lines)]

    # carry-over: a 决算 unit starts and ends the year with some unspent money
    carry_in, carry_out = {s: D(0) for s in SOURCES}, {s: D(0) for s in SOURCES}
    big = max((ln for ln in ordered if ln.get("gen", "p") > 0), key=lambda ln: ln.get("gen", "p"), default=None)
    if not budget_doc and big is not None:
        if rng.random() < 0.65:
            carry_in["gen"] = scale(big.get("gen", "p"), rng.uniform(0.02, 0.3))
        if rng.random() < 0.65:
            carry_out["gen"] = scale(big.get("gen", "p"), rng.uniform(0.02, 0.25))
        big.inc_delta["gen"] = carry_out["gen"] - carry_in["gen"]
    elif budget_doc and big is not None and rng.random() < 0.3:
        carry_in["gen"] = scale(big.get("gen", "p"), rng.uniform(0.05, 0.2))  # 上年结转 budgeted this year
        big.inc_delta["gen"] = -carry_in["gen"]
    biz = next((ln for ln in ordered if ln.get("biz") > 0), None)
    if not budget_doc and biz is not None and rng.random() < 0.6:
        carry_in["biz"] = scale(biz.get("biz"), rng.uniform(0.05, 0.4))
        carry_out["biz"] = scale(biz.get("biz"), rng.uniform(0.0, 0.3))
        biz.inc_delta["biz"] = carry_out["biz"] - carry_in["biz"]

    # 年初预算 and last year's amounts of 一般公共预算
    for ln in ordered:
        g = ln.get("gen")
        if g == 0:
            continue
        if ln.kind in ("project",) and rng.random() < 0.08 and g < scale(gen_basic, 0.2) and not budget_doc:
            ln.budget = D(0)  # added during the year
        elif ln.kind == "project":
            ln.budget = scale(g, 1 / rng.uniform(0.78, 1.22))
        else:
            ln.budget = scale(g, 1 / rng.uniform(0.93, 1.07))
        ln.prev = scale(g, 1 / (1 + rng.choice([-1, 1, 1]) * rng.uniform(0.02, 0.3))) if rng.random() < 0.9 else D(0)

    # 三公
    sg: dict = {}
    abroad = D(0) if rng.random() < 0.85 else yuan(rng.uniform(0.8, 6))
    carbuy = D(0) if rng.random() < 0.8 else yuan(rng.uniform(12, 28))
    carrun = yuan(rng.uniform(0.6, 16))
    recept = yuan(rng.uniform(0.2, 7.5))
    for item, v in (("abroad", abroad), ("carbuy", carbuy), ("carrun", carrun), ("recept", recept)):
        sg[(item, "act")] = v
        if v == 0:
            sg[(item, "bud")] = D(0) if rng.random() < 0.7 else yuan(rng.uniform(0.5, 3))
        else:
            sg[(item, "bud")] = scale(v, 1 / rng.uniform(0.7, 1.08))
        if item == "carbuy":
            prev = D(0) if rng.random() < 0.7 else yuan(rng.uniform(10, 25))
        elif v == 0:
            prev = D(0) if rng.random() < 0.6 else yuan(rng.uniform(0.3, 3))
        else:
            prev = scale(v, 1 / (1 + rng.choice([-1, 1]) * rng.uniform(0.04, 0.35)))
        sg[(item, "prev")] = prev
    for m in ("act", "bud", "prev"):
        sg[("car", m)] = sg[("carbuy", m)] + sg[("carrun", m)]
        sg[("tot", m)] = sg[("abroad", m)] + sg[("car", m)] + sg[("recept", m)]
    sg_counts = {"batches": rng.randint(6, 90), "vehicles": rng.randint(1, 8), "bought": 1 if carbuy else 0,
                 "groups": rng.randint(1, 2) if abroad else 0}
    sg_counts["persons"] = sg_counts["batches"] * rng.randint(3, 9)
    sg_counts["abroad_persons"] = sg_counts["groups"] * rng.randint(2, 5)

    public = econ.get("302", D(0)) + econ.get("310", D(0))
    running = {"act": scale(public, rng.uniform(0.5, 0.92))}
    running["prev"] = scale(running["act"], 1 / (1 + rng.choice([-1, 1]) * rng.uniform(0.02, 0.25)))
    running["bud"] = scale(running["act"], 1 / rng.uniform(0.9, 1.05))

    pc_total = yuan(rng.uniform(15, 1400)) if rng.random() < 0.85 else D(0)
    if pc_total:
        works = D(0) if rng.random() < 0.55 else scale(pc_total, rng.uniform(0.1, 0.5))
        goods = scale(pc_total - works, rng.uniform(0.2, 0.8))
        serv = pc_total - works - goods
        sme = scale(pc_total, rng.uniform(0.55, 1.0))
        micro = scale(sme, rng.uniform(0.25, 0.9))
    else:
        works = goods = serv = sme = micro = D(0)
    procurement = {"total": pc_total, "goods": goods, "works": works, "serv": serv, "sme": sme, "micro": micro}

    n_veh = sg_counts["vehicles"] + rng.randint(0, 3)
    types = rng.sample(fv.VEHICLE_TYPES, min(len(fv.VEHICLE_TYPES), rng.randint(1, 3)))
    counts = [1] * len(types)
    for _ in range(max(0, n_veh - len(types))):
        counts[rng.randrange(len(types))] += 1
    vehicles = list(zip(types, counts))
    n_proj = len([ln for ln in ordered if ln.get("gen", "p") > 0])
    perf = {"projects": n_proj, "amount": sum((ln.get("gen", "p") for ln in ordered), D(0)),
            "score": D(rng.choice([86, 88, 90, 91, 92, 93, 94, 95, 96, 97])) + D(rng.choice(["0", "0.5", "0.2", "0.8"]))}
    g_good = rng.randint(0, n_proj)
    perf["grades"] = {"优": g_good, "良": n_proj - g_good - (1 if n_proj - g_good > 1 and rng.random() < 0.4 else 0)}
    perf["grades"]["中"] = n_proj - perf["grades"]["优"] - perf["grades"]["良"]

    growth = {}
    for key in ("all", "gen", "fis", "income", "grand"):
        growth[key] = 1 + rng.choice([-1, 1, 1]) * rng.uniform(0.015, 0.28)
    return Accounts(ordered, econ, econ_items, carry_in, carry_out, sg, sg_counts, running, procurement, vehicles,
                    rng.randint(0, 3), perf, growth, has_fund)
