"""绩效目标表 (项目支出绩效目标申报表 / 批复表): targets only, no actual values — the
`target-table` family of docs/phrasing.md and a distractor for checks that expect actuals.

The fund block (年度资金总额 and its sources) and the 分值 column (when printed) obey the
usual sums; nothing else can be recomputed inside such a table.
"""
from __future__ import annotations

from .builder import CAT_KEY, Builder, C, register_scores
from .indicators import make_indicators
from .inject import Injection
from .model import D, Doc, HardNegative, fmt_number, q
from .relations import CategoryWeightRel, SumRel, WeightsTotalRel

T4 = "项目支出绩效目标表"


def build_target_table(doc: Doc, rng) -> None:
    b = Builder(doc, rng)
    ph = doc.meta["ph"]
    Y, org, prog = b.Y, b.org, doc.meta["programme"]
    total = q(D(repr(rng.uniform(8, 1500))) * 10000, 2)
    other = D(0) if rng.random() < 0.6 else q(total * D(repr(rng.uniform(0.05, 0.3))), 2)
    doc.set("t.total", total)
    doc.set("t.fin", total - other)
    doc.set("t.other", other)
    inds = make_indicators(rng, b.dept, prog, 0, total, total, False)
    for ind in inds:
        if ind.kind == "money":
            ind.extra.update(t_fig="t.total", a_fig="t.total")
    register_scores(b, inds, 0, lambda d: D(0))
    k = ph.pick("target-table", 3)
    title = [f"{Y}年度项目支出绩效目标表", f"项目绩效目标申报表（{Y}年度）", f"{Y}年度{org}项目绩效目标批复表"][k]
    b.title(title)
    if b.narrative and rng.random() < 0.5:
        b.note(f"填报单位（盖章）：{org}")
    with_weights = rng.random() < 0.6
    ncols = 6 if with_weights else 5
    rows = [[C("项目名称"), C(prog.name, span=ncols - 1)],
            [C("主管部门"), C(org, span=2), C("实施单位"), C(org, span=ncols - 4)],
            [C("项目属性"), C(rng.choice(["延续项目", "新增项目"]), span=2), C("项目期"), C(f"{Y}01-{Y}12", span=ncols - 4)]]
    unit_in_head = rng.random() < 0.6
    cell_kw = dict(unit="万元", dec=2, place="table", show_unit=not unit_in_head, commas=rng.random() < 0.3)
    tot = doc.slot("t.total", label="年度资金总额", figure=True, column="年度资金总额" if False else None, **cell_kw)
    fin = doc.slot("t.fin", **cell_kw)
    oth = doc.slot("t.other", **cell_kw)
    head = "项目资金（万元）" if unit_in_head else "项目资金"
    rows += [[C(head), C("年度资金总额", span=2), C(tot, span=ncols - 3)],
             [C(merge_up=True), C("其中：财政拨款", span=2), C(fin, span=ncols - 3)],
             [C(merge_up=True), C("其他资金", span=2), C(oth, span=ncols - 3)]]
    doc.relations.append(SumRel("sum.fund_sources", tot.slot, [fin.slot, oth.slot], "年度资金总额",
                                describe="年度资金总额＝财政拨款＋其他资金"))
    doc.meta["t_fund"] = {"total": tot.slot, "parts": [fin.slot, oth.slot]}
    goal = "；".join(rng.sample(b.dept.works, 2))
    rows.append([C("年度绩效目标"), C(f"全年完成{prog.goal_verb}任务，{goal}。", span=ncols - 1)])
    hdr = [C("一级指标"), C("二级指标"), C("三级指标"), C("指标值")] + ([C("分值")] if with_weights else []) + [C("备注")]
    rows.append([C("绩效指标", span=ncols)])
    rows.append(hdr)
    prev_cat = None
    wslots = []
    cats = {}
    for ind in inds:
        first = ind.level1 != prev_cat
        prev_cat = ind.level1
        if first and with_weights:
            ck = CAT_KEY[ind.level1]
            pts = doc.slot(f"cat.{ck}.points", unit="分", dec=2, auto_dec=True, place="table", show_unit=False,
                           label=f"{ind.level1}分值")
            cat = C(ind.level1, "（", pts, "分）")
            cats[ind.level1] = pts.slot
        elif first:
            cat = C(ind.level1)
        else:
            cat = C(merge_up=True)
        if ind.numeric:
            auto = ind.kind != "money"
            t = doc.slot(ind.extra.get("t_fig", f"{ind.key}.t"), sid=f"{ind.key}.t", unit=ind.unit, dec=2, auto_dec=auto,
                         place="table", label=ind.name)
            target = C(ind.op, t)
            if ind.op == "≤":
                ph.distractor("le_target_met")
        else:
            target = C(ind.target_text)
        row = [cat, C(ind.level2), C(ind.name), target]
        if with_weights:
            w = doc.slot(f"{ind.key}.w", sid=f"{ind.key}.w", unit="分", dec=2, auto_dec=True, place="table",
                         show_unit=False, label=ind.name)
            wslots.append(w.slot)
            row.append(C(w))
        row.append(C(""))
        rows.append(row)
    if with_weights:
        doc.relations.append(WeightsTotalRel(wslots))
        for cat, sid in cats.items():
            doc.relations.append(CategoryWeightRel(sid, [f"{i.key}.w" for i in inds if i.level1 == cat], cat))
    b.table(rows, ncols, name="绩效目标表")
    b.note(f"填报人：{rng.choice(['王', '李', '张', '刘', '陈'])}**　　联系电话：1{rng.choice('3589')}{rng.randint(0, 9)}*******{rng.randint(10, 99)}")
    doc.extra_hard_negatives.append(HardNegative("target_table_without_actuals", "绩效目标表只列指标值，没有实际完成值，"
                                                                                 "不能据以判定未完成或空白"))
    ph.distractor("target_table_without_actuals")
    ph.mark("placeholder")  # the masked 填报人 line
    ph.distractor("masked_contact")
    ph.mark("target-table")
    doc.meta.update(inds=inds, with_weights=with_weights)


def fund_sources_t4(doc: Doc, rng):
    m = doc.meta.get("t_fund")
    if not m or doc.report_type != T4:
        return None
    sid = m["parts"][0]
    p = doc.printed(sid)
    total = doc.printed(m["total"]).value
    new = p.value + max(q(total * D(repr(rng.uniform(0.04, 0.2))), 2), D("0.6")) * rng.choice([-1, 1])
    if new <= 0:
        new = p.value + D("1.5")
    doc.override(sid, value=new)
    return Injection("sum.fund_sources", f"财政拨款由{fmt_number(p.value, 2)}万元改为{fmt_number(new, 2)}万元，年度资金总额不再等于各来源之和")


T4_CHECKS = ["score.weights_total", "score.category_weight", "sum.fund_sources"]
