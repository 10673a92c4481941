"""Performance indicators (三级指标) with targets, actuals, 分值 and 得分 that agree by construction.

A met target earns the full 分值; a missed quantitative target is deducted in proportion
(actual/target for "≥", target/actual for "≤") and carries a 偏差原因. Qualitative targets
(好, 效果显著 …) are always reported as met.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

from . import vocab
from .model import D, q

CATEGORY_OUTPUT, CATEGORY_EFFECT, CATEGORY_SATISFACTION = "产出指标", "效益指标", "满意度指标"
CAPPED_WORDS = ("满意度", "合格率", "准确率", "及时率", "发放率", "到位率", "完成率", "完整率", "知晓率")


@dataclass
class Indicator:
    level1: str
    level2: str
    name: str
    kind: str  # "quant" | "pct" | "qual" | "money"
    unit: str = ""
    op: Optional[str] = None
    target: Optional[Decimal] = None  # in the printed unit (元 for money is handled by the builder)
    actual: Optional[Decimal] = None
    target_text: str = ""  # qualitative target
    actual_text: str = ""
    weight: Decimal = D(0)
    score: Decimal = D(0)
    reason: str = ""
    key: str = ""  # figure-name prefix, set by the builder
    narrated: bool = False  # restated in the narrative (injections avoid or use these)
    qual_missed: bool = False  # a qualitative target reported as not (fully) reached
    extra: dict = field(default_factory=dict)

    @property
    def capped(self) -> bool:
        return self.kind == "pct" and any(w in self.name for w in CAPPED_WORDS)

    @property
    def numeric(self) -> bool:
        return self.kind in ("quant", "pct", "money")

    def met(self) -> bool:
        if not self.numeric:
            return not self.qual_missed
        return {"≥": self.actual >= self.target, "≤": self.actual <= self.target, "=": self.actual == self.target}[self.op]


def nice_round(x: float) -> int:
    """Targets are round numbers in real reports: 288 stays, 6047 becomes 6000."""
    if x < 50:
        return max(1, int(round(x)))
    if x < 1000:
        return int(round(x / 10.0)) * 10 if x > 300 else int(round(x))
    digits = len(str(int(x))) - 2
    return int(round(x / 10 ** digits)) * 10 ** digits


def split_points(total: int, n: int) -> list[int]:
    base, extra = divmod(total, n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def quantity_indicator(rng, spec, miss: bool, severe: bool = False) -> Indicator:
    name, unit, lo, hi, op = spec
    target = D(nice_round(rng.uniform(lo, hi)))
    if op == "≥":
        low = 0.55 if severe else 0.86
        factor = rng.uniform(low, 0.97) if miss else rng.choice([1.0, rng.uniform(1.0, 1.18)])
    else:
        factor = rng.uniform(1.04, 1.15) if miss else rng.uniform(0.7, 0.98)
    actual = D(int(round(float(target) * factor)))
    if not miss and op == "≥" and actual < target:
        actual = target
    if miss and op == "≥" and actual >= target:
        actual = target - 1
    return Indicator(CATEGORY_OUTPUT, "数量指标", name, "quant", unit, op, target, actual)


def make_indicators(rng, dept, programme, budget_weight: int, cost_budget_yuan: Decimal,
                    cost_actual_yuan: Decimal, weak: bool = False) -> list[Indicator]:
    """`weak` reports miss more targets by more, so totals spread over the 良/中 grades too."""
    miss_rate = 0.6 if weak else 0.18
    rows: list[Indicator] = []
    quantities = list(programme.quantity)
    others = [s for p in dept.programmes if p is not programme for s in p.quantity]
    rng.shuffle(others)
    quantities += others[: rng.randint(0, 1)]
    for spec in quantities:
        rows.append(quantity_indicator(rng, spec, rng.random() < miss_rate, severe=weak))

    qname = rng.choice(vocab.QUALITY_PCT)
    if rng.random() < 0.75:
        t = D(rng.choice([90, 95, 98, 100]))
        a = D(100) if t == 100 else q(D(rng.uniform(float(t), 100)), rng.choice([0, 1]))
        rows.append(Indicator(CATEGORY_OUTPUT, "质量指标", qname, "pct", "%", "≥" if t < 100 else "=", t, a))
    else:
        tt = rng.choice(["好", "优", "达标"])
        rows.append(Indicator(CATEGORY_OUTPUT, "质量指标", rng.choice(["工作质量", "项目实施质量", "服务质量"]), "qual",
                              target_text=tt, actual_text=tt))

    if rng.random() < 0.6:
        rows.append(Indicator(CATEGORY_OUTPUT, "时效指标", rng.choice(vocab.TIMELINESS_PCT), "pct", "%", "=", D(100), D(100)))
    else:
        n, t = rng.choice(vocab.TIMELINESS_QUAL)
        rows.append(Indicator(CATEGORY_OUTPUT, "时效指标", n, "qual", target_text=t, actual_text=rng.choice(["按时完成", "已完成", t])))

    cname, ckind = rng.choice(vocab.COST)
    if ckind == "money":
        rows.append(Indicator(CATEGORY_OUTPUT, "成本指标", cname, "money", "万元", "≤", cost_budget_yuan, cost_actual_yuan))
    else:
        # its own ratio (transfer payments only), deliberately not the department's 预算执行率
        a = q(D(repr(rng.uniform(92, 100))), rng.choice([1, 2]))
        rows.append(Indicator(CATEGORY_OUTPUT, "成本指标", cname, "pct", "%", "≤", D(100), a))

    benefits = list(dept.benefits)
    rng.shuffle(benefits)
    for b in benefits[: rng.randint(1, 2)]:
        t = rng.choice(vocab.QUAL_TARGETS)
        rows.append(Indicator(CATEGORY_EFFECT, "社会效益指标", b, "qual", target_text=t, actual_text=vocab.QUAL_ACTUALS[t]))
    if rng.random() < 0.5:
        t = rng.choice(["效果显著", "好", "明显"])
        rows.append(Indicator(CATEGORY_EFFECT, "经济效益指标", rng.choice(vocab.ECONOMIC), "qual", target_text=t, actual_text=t))
    if rng.random() < 0.3:
        t = rng.choice(["好", "明显改善"])
        rows.append(Indicator(CATEGORY_EFFECT, "生态效益指标", rng.choice(vocab.ECOLOGY), "qual", target_text=t, actual_text=t))
    n, t = rng.choice(vocab.SUSTAIN)
    rows.append(Indicator(CATEGORY_EFFECT, "可持续影响指标", n, "qual", target_text=t, actual_text=t))

    for sname in rng.sample(vocab.SATISFACTION, rng.choice([1, 1, 2])):
        t = D(rng.choice([85, 90, 95]))
        a = q(D(rng.uniform(float(t) + 0.5, 99.6)), rng.choice([0, 1, 2]))
        rows.append(Indicator(CATEGORY_SATISFACTION, "服务对象满意度指标", sname, "pct", "%", "≥", t, a))

    if weak:
        for r in rows:
            if r.kind == "qual" and r.level1 == CATEGORY_EFFECT and rng.random() < 0.5:
                r.actual_text = rng.choice(["较好", "一般", "有所提升"])
                r.qual_missed = True
            elif r.kind == "pct" and r.op == "≥" and rng.random() < 0.5:
                r.actual = q(r.target - D(repr(rng.uniform(2, 12))), rng.choice([0, 1]))
    assign_weights(rng, rows, budget_weight)
    for r in rows:
        score_row(rng, r)
    return rows


def assign_weights(rng, rows: list[Indicator], budget_weight: int) -> None:
    remain = 100 - budget_weight
    sat = 10
    out_pts = int(round((remain - sat) * rng.uniform(0.5, 0.65) / 5.0)) * 5
    eff_pts = remain - sat - out_pts
    for cat, pts in ((CATEGORY_OUTPUT, out_pts), (CATEGORY_EFFECT, eff_pts), (CATEGORY_SATISFACTION, sat)):
        members = [r for r in rows if r.level1 == cat]
        for r, w in zip(members, split_points(pts, len(members))):
            r.weight = D(w)


def score_row(rng, r: Indicator) -> None:
    if r.met():
        r.score = r.weight
        return
    if not r.numeric:
        ratio = D(repr(rng.uniform(0.5, 0.85)))
    else:
        ratio = r.actual / r.target if r.op == "≥" else r.target / r.actual
    r.score = q(r.weight * ratio, rng.choice([1, 2]))
    if r.score >= r.weight:
        r.score = r.weight - D("0.5")
    r.reason = rng.choice(vocab.DEVIATION_REASONS if r.numeric else vocab.QUAL_DEVIATION_REASONS)
