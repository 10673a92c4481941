"""Builders for the three report types. Each lays out blocks (paragraphs, tables) whose
numbers are slots, and registers the relations those numbers obey.

Money figures are held in 元 (to the cent) and printed in 万元 or 元, so sums of parts that
were each rounded to 0.01万元 can differ from the printed total by 0.01 — the rounding hard
negative occurs naturally rather than being staged.
"""
from __future__ import annotations

from . import vocab
from .builder import (CAT_KEY, CATEGORIES, T1, T2, T3, Builder, C, a_fig, completion_sentence, grade_statement,
                      indicator_rows, narrated_quantities, register_scores, score_relations, wan_of, yuan)
from .indicators import CATEGORY_EFFECT, CATEGORY_SATISFACTION, make_indicators
from .model import D, Doc, HardNegative, grade_of, q
from .relations import ExecScoreRel, GradeRel, GrowthRel, RateRel, ScoreSumRel, SumCopyRel, SumRel


def variants(doc: Doc):
    """`V(family, n)`: the wording variant to use. Without a Phraser (the tuning set) always 0,
    drawing nothing, so the stock wording below regenerates eval_sets/synthetic byte for byte."""
    ph = doc.meta.get("ph")
    if ph is None:
        return lambda family, n: 0
    return ph.pick


def completion_words(V, ind, t, a, p) -> list:
    """"…：年度目标≥288户，实际完成324户，完成率112.5%" and its variants (indicator family)."""
    k = V("indicator", 3)
    if k == 1:
        return [f"{ind.name}目标值{ind.op}", t, "，实际完成值", a, "，目标完成率为", p, "。"]
    if k == 2:
        return [f"计划{ind.name}{ind.op}", t, "，实际完成", a, "，完成计划的", p, "。"]
    return [f"{ind.name}：年度目标{ind.op}", t, "，实际完成", a, "，完成率", p, "。"]


# --------------------------------------------------------------------------- 部门整体支出绩效自评报告


def build_department_report(doc: Doc, rng) -> None:
    b = Builder(doc, rng)
    V = variants(doc)
    Y, dept, org, we = b.Y, b.dept, b.org, b.dept.we
    wage = yuan(rng.uniform(180, 2400))
    goods = q(wage * D(repr(rng.uniform(0.12, 0.4))), 2)
    family = q(wage * D(repr(rng.uniform(0.02, 0.15))), 2)
    basic = wage + goods + family
    project = yuan(rng.uniform(600, 26000))
    total = basic + project
    doc.set("wage", wage), doc.set("goods", goods), doc.set("family", family)
    doc.set("personnel", wage + family), doc.set("public", goods)
    doc.set("basic", basic), doc.set("project", project), doc.set("total", total)
    growth = rng.choice([-1, 1, 1]) * rng.uniform(0.02, 0.22)
    doc.set("prev_total", q(total / D(repr(1 + growth)), 2))
    items = rng.sample(dept.project_items, rng.randint(2, min(4, len(dept.project_items))))
    shares = [rng.uniform(0.5, 1.5) for _ in items]
    covered = rng.uniform(0.35, 0.85)
    for k, (name, s) in enumerate(zip(items, shares)):
        doc.set(f"proj.{k}", q(project * D(repr(covered * s / sum(shares))), 2))
    abroad = D(0) if rng.random() < 0.8 else yuan(rng.uniform(0.5, 4))
    recept, car = yuan(rng.uniform(0.3, 8)), yuan(rng.uniform(1, 25))
    doc.set("sg.abroad", abroad), doc.set("sg.recept", recept), doc.set("sg.car", car)
    doc.set("sg", abroad + recept + car)
    doc.set("sg_prev", q((abroad + recept + car) / D(repr(1 + rng.choice([-1, -1, 1]) * rng.uniform(0.03, 0.3))), 2))
    init = q(total * D(repr(rng.uniform(0.55, 1.0))), 2)
    weak = doc.meta["weak"]
    adj = total if (rng.random() < 0.45 and not weak) else q(total / D(repr(rng.uniform(0.75 if weak else 0.9, 0.995))), 2)
    doc.set("b_init", init), doc.set("b_adj", adj), doc.set("b_adjust", adj - init)
    doc.derive("rate", lambda d: D(d.figs["total"]) / D(d.figs["b_adj"]) * 100)
    exec_weight = rng.choice([10, 20])
    table_rate_dec = 2

    def exec_score(d):
        r = min(q(D(d.figs["rate"]), table_rate_dec), D(100))
        return q(D(d.figs["exec_w"]) * r / 100, 2)

    inds = make_indicators(rng, dept, doc.meta["programme"], exec_weight, adj, total, weak)
    for ind in inds:
        if ind.kind == "money":
            ind.extra.update(t_fig="b_adj", a_fig="total")
    register_scores(b, inds, exec_weight, exec_score)

    # ---- narrative
    b.title(f"{org}{Y}年{'度' if rng.random() < 0.5 else ''}部门整体支出绩效自评报告")
    b.heading("一、部门概况")
    b.heading("（一）部门基本情况")
    staff = [rng.randint(5, 40), rng.randint(5, 90), rng.randint(0, 6)]
    offices = dept.offices[: rng.randint(4, len(dept.offices))]
    subunits = dept.subunits[: rng.randint(2, len(dept.subunits))]
    kc = V("count-enum", 3)
    if kc == 1:
        b.para(f"{b.short}为{doc.meta['region']}政府组成部门，机关设{len(offices)}个内设机构，分别为{'、'.join(offices)}；"
               f"所属事业单位{len(subunits)}个，即{'、'.join(subunits)}。{b.short}{dept.duties}。年末实有在职人员{sum(staff)}人"
               f"（行政编制{staff[0]}人、事业编制{staff[1]}人、工勤人员{staff[2]}人）。")
    elif kc == 2:
        b.para(f"{b.short}主要{dept.duties}。内设机构共{len(offices)}个，包括{'、'.join(offices[:3])}等；下属单位"
               f"{len(subunits)}个。在职职工{sum(staff)}人，其中：行政{staff[0]}人，事业{staff[1]}人，工勤{staff[2]}人。")
    else:
        b.para(f"{b.short}是{doc.meta['region']}人民政府工作部门，内设{len(offices)}个股室：{'、'.join(offices)}；"
               f"下设{len(subunits)}个二级单位：{'、'.join(subunits)}。主要职责是{dept.duties}。"
               f"全{'局' if we == '我局' else '委'}在职在岗干部职工{sum(staff)}人，其中行政编制{staff[0]}人，"
               f"事业编制{staff[1]}人，工勤人员{staff[2]}人。")
    b.heading(f"（二）{Y}年的重点工作")
    for k, w in enumerate(rng.sample(dept.works, rng.randint(3, len(dept.works))), 1):
        b.para(f"{k}.{w}。")
    b.heading("（三）部门整体支出情况")
    kt = V("totals", 3)
    s1_total = b.money("total", "部门整体支出", pre="部门整体支出" if kt != 1 else "部门整体支出共计")
    s1_basic = b.money("basic", "基本支出", pre="基本支出")
    s1_project = b.money("project", "项目支出", pre="项目支出")
    if kt == 1:
        b.para(f"{Y}年{we}全年", s1_total, "，其中", s1_basic, "，", s1_project, "。")
    elif kt == 2:
        b.para(f"{Y}年度{we}", s1_total, "（", s1_basic, "，", s1_project, "）。")
    else:
        b.para(f"{Y}年度{we}", s1_total, "，其中：", s1_basic, "；", s1_project, "。")
    doc.relations.append(SumRel("sum.total_basic_project", s1_total.slot, [s1_basic.slot, s1_project.slot],
                                "部门整体支出", describe="部门整体支出＝基本支出＋项目支出"))
    doc.derive("growth_pct", lambda d: abs((wan_of(d, "total") - wan_of(d, "prev_total")) / wan_of(d, "prev_total") * 100))
    doc.derive("growth_word", lambda d: "增长" if wan_of(d, "total") >= wan_of(d, "prev_total") else "下降")
    gp = b.num("growth_pct", "部门整体支出增长率", unit="%", place="narrative", dec=rng.choice([1, 2]), auto=False)
    gw = b.word("growth_word", "增减")
    prev = b.money("prev_total", "上年部门整体支出")
    ky = V("yoy-change", 3)
    if ky == 1:
        b.para("部门整体支出比上年的", prev, gw, gp, "，原因是重点项目支出增加或减少所致。")
    elif ky == 2:
        b.para("与上年", prev, "相比，部门整体支出", gw, gp, "，主要是项目支出随工作任务变化。")
    else:
        b.para("部门整体支出较上年的", prev, gw, gp, "，主要是项目支出随重点工作任务相应调整。")
    doc.relations.append(GrowthRel(gp.slot, gw.slot, s1_total.slot, prev.slot, "部门整体支出"))

    b.heading("二、部门整体支出管理及使用情况")
    b.heading("（一）基本支出情况")
    basic2 = b.money("basic", "基本支出", pre="基本支出为")
    if rng.random() < 0.7:
        parts = [("wage", "工资福利支出"), ("goods", "商品和服务支出"), ("family", "对个人和家庭补助支出")]
    else:
        parts = [("personnel", "人员经费"), ("public", "公用经费")]
    refs = [b.money(f, label, pre=label) for f, label in parts]
    sep = ["，" if i < len(refs) - 1 else "。" for i in range(len(refs))]
    kb = V("breakdown", 3)
    listed = [x for pair in zip(refs, sep) for x in pair]
    if kb == 1:
        b.para(f"{Y}年", basic2, "，包括", *[x for pair in zip(refs, ["、"] * (len(refs) - 1) + ["。"]) for x in pair],
               "上述支出用于保障机构正常运转。")
    elif kb == 2:
        b.para(f"{Y}年度基本支出情况：", basic2, "。其中，", *listed, "基本支出保障了日常办公和人员工资发放。")
    else:
        b.para(f"{Y}年", basic2, "，其中：", *listed,
               "主要用于保障单位机构正常运转、完成日常工作任务而发生的各项支出，包括基本工资、津贴补贴等人员经费以及办公费、"
               "印刷费、水电费、办公设备购置等日常公用经费。")
    doc.relations.append(SumRel("sum.basic_breakdown", basic2.slot, [r.slot for r in refs], "基本支出",
                                describe="基本支出明细"))
    doc.meta.update(basic_parts=[r.slot for r in refs], basic_b=basic2.slot)

    b.heading("（二）项目支出情况")
    proj2 = b.money("project", "项目支出", pre="项目支出")
    prefs = [b.money(f"proj.{k}", name, pre=name) for k, name in enumerate(items)]
    listing = [x for k, r in enumerate(prefs) for x in ((r,) if k == 0 else ("，", r))]
    kp = V("breakdown", 3)
    if kp == 1:
        b.para(f"{Y}年", proj2, "，主要包括：", *[x if not isinstance(x, str) else "、" for x in listing], "等项目。")
    elif kp == 2:
        b.para(f"{Y}年", proj2, "，其中金额较大的有", *[x if not isinstance(x, str) else "、" for x in listing], "。")
    else:
        b.para(f"{Y}年", proj2, f"，主要用于{doc.meta['programme'].purpose}等重点工作。其中：", *listing, "等。")
    if kp:
        doc.meta["ph"].distractor("non_exhaustive_list")
    doc.relations.append(SumRel("sum.breakdown", proj2.slot, [r.slot for r in prefs], "项目支出", mode="le",
                                describe="项目支出“其中”列举"))
    doc.meta["project_parts"] = [r.slot for r in prefs]

    b.heading("（三）“三公”经费情况")
    sg1 = b.money("sg", "三公经费", pre="“三公”经费支出")
    sgp = [b.money("sg.abroad", "因公出国（境）费", pre="因公出国（境）费"),
           b.money("sg.recept", "公务接待费", pre="公务接待费"),
           b.money("sg.car", "公务用车购置及运行维护费", pre="公务用车购置及运行维护费")]
    doc.derive("sg_growth_pct", lambda d: abs((wan_of(d, "sg") - wan_of(d, "sg_prev")) / wan_of(d, "sg_prev") * 100))
    doc.derive("sg_growth_word", lambda d: "增长" if wan_of(d, "sg") >= wan_of(d, "sg_prev") else "下降")
    sg_gp = b.num("sg_growth_pct", "三公经费增长率", unit="%", place="narrative", dec=rng.choice([1, 2]), auto=False)
    sg_gw = b.word("sg_growth_word", "增减")
    sg_prev = b.money("sg_prev", "上年三公经费")
    ks = V("sangong", 3)
    if ks == 1:
        b.para(f"{Y}年度", sg1, "，其中：", sgp[0], "，", sgp[1], "，", sgp[2], "；与上年的", sg_prev, "相比", sg_gw, sg_gp, "。")
    elif ks == 2:
        b.para(f"{Y}年", sg1, "（", sgp[0], "、", sgp[1], "、", sgp[2], "），较上年的", sg_prev, sg_gw, sg_gp, "。")
    else:
        b.para(f"{Y}年", sg1, "，其中：", sgp[0], "，", sgp[1], "，", sgp[2], "，比上年的", sg_prev, sg_gw, sg_gp, "。")
    if ks:
        doc.meta["ph"].distractor("prior_year_figure")
    doc.relations.append(SumRel("sum.sangong", sg1.slot, [r.slot for r in sgp], "三公经费", describe="三公经费"))
    doc.relations.append(GrowthRel(sg_gp.slot, sg_gw.slot, sg1.slot, sg_prev.slot, "三公经费"))
    sg_b = b.money("sg", "三公经费", pre="“三公”经费")
    doc.meta.update(sg_b=sg_b.slot, sg_parts=[r.slot for r in sgp], project_b=proj2.slot,
                    growth=[(gp.slot, gw.slot), (sg_gp.slot, sg_gw.slot)])
    b.para("全年共计支出", sg_b,
           "，主要原因是严格执行中央八项规定精神，从严控制公务接待和公务用车支出。")

    b.heading("（四）预算执行情况")
    yuan_kw = dict(unit="元", commas=True)
    kv = V("budget-vs-actual", 3)
    if kv == 1:
        b.para(f"{Y}年", b.money("b_init", "年初预算数", pre="年初预算", **yuan_kw), "，",
               b.money("b_adj", "调整后预算数", pre="年中调整后预算", **yuan_kw), "，",
               b.money("total", "全年执行数", pre="实际支出", **yuan_kw), "。")
    elif kv == 2:
        b.para(f"{Y}年度年初批复预算", b.money("b_init", "年初预算数", pre="", **yuan_kw), "，经年中调整，全年预算",
               b.money("b_adj", "调整后预算数", pre="", **yuan_kw), "，实际执行",
               b.money("total", "全年执行数", pre="", **yuan_kw), "。")
    else:
        b.para(f"{Y}年度支出", b.money("b_init", "年初预算数", pre="年初预算数为", **yuan_kw), "，",
               b.money("b_adj", "调整后预算数", pre="调整预算数为", **yuan_kw), "，",
               b.money("total", "全年执行数", pre="决算数为", **yuan_kw), "。")
    fx = b.money("total", "全年执行数", **yuan_kw)
    fa = b.money("b_adj", "调整后预算数", **yuan_kw)
    rate_is_full = doc.figs["total"] == doc.figs["b_adj"]
    rn = doc.slot("rate", sid="rate@narr", unit="%", dec=0 if rate_is_full else 2, place="narrative",
                  label="预算执行率", figure=True)
    kf = V("budget-vs-actual", 2)
    if kf == 1:
        b.para("预算执行率=实际支出÷调整后预算×100%=（", fx, "÷", fa, "）×100%=", rn, "。")
    else:
        b.para(f"{Y}年度预算执行率=（支出决算数÷调整预算数）×100%=（", fx, "÷", fa, "）×100%=", rn)
    doc.relations.append(RateRel(rn.slot, fx.slot, fa.slot))

    b.heading("三、部门整体支出绩效情况")
    kg = V("score-grade", 3)
    narr_total = b.num("score_total", "自评得分", unit="分", place="narrative",
                       pre=["自评得分为", "综合评分为", "合计"][kg], figure=True)
    breakdown = rng.random() < 0.6
    grade_in_narr = rng.random() < 0.7
    parts = [f"{Y}年度{org}部门整体绩效", narr_total] if kg != 2 else []
    if kg == 1:
        parts = [f"经综合评价，{org}{Y}年度部门整体支出绩效", narr_total]
    if breakdown:
        short = kg == 2
        ne = b.num("exec_score", "预算执行得分", unit="分", place="narrative",
                   pre="预算执行" if short else "预算执行情况得分为", figure=True)
        cats = []
        for cat in CATEGORIES:
            ck = CAT_KEY[cat]
            r = b.num(f"cat.{ck}.score", f"{cat}得分", unit="分", place="narrative",
                      pre=cat.replace("指标", "") if short else f"{cat}得分", figure=True)
            cats.append(r)
            doc.relations.append(SumCopyRel(r.slot, [f"{i.key}.s" for i in inds if i.level1 == cat], f"{cat}得分"))
        if short:
            parts = [f"{Y}年度部门整体绩效自评：", ne, "、", cats[0], "、", cats[1], "、", cats[2], "，", narr_total]
        else:
            parts += ["，其中：", ne, "；", cats[0], "；", cats[1], "；", cats[2]]
        doc.relations.append(ScoreSumRel(narr_total.slot, [ne.slot] + [c.slot for c in cats]))
        doc.meta["narr_cats"] = [c.slot for c in cats]
    elif kg == 2:
        parts = [f"{Y}年度部门整体绩效", narr_total]
        doc.slots[narr_total.slot].pre = "自评得分"
    if grade_in_narr:
        g = grade_statement(b, "narrative")
        parts += ["，自评等级为", g]
        doc.relations.append(GradeRel(g.slot, narr_total.slot))
    b.para(*parts, "。")
    doc.meta["narr_total"] = narr_total.slot
    ph = doc.meta.get("ph")
    if ph is not None and ph.varied and ph.rng.random() < 0.4:  # a sub-project's grade beside the department's
        sub_score = D(ph.rng.choice(["76", "82.5", "84", "86.5", "88", "79"]))
        doc.set("sub_score", sub_score)
        doc.set("sub_grade", grade_of(sub_score))
        ss = doc.slot("sub_score", unit="分", dec=1 if sub_score % 1 else 0, place="narrative")
        sg_ = doc.slot("sub_grade", place="narrative", text_fig=True)
        doc.relations.append(GradeRel(sg_.slot, ss.slot, label="项目自评等级"))
        b.para(f"其中，“{doc.meta['programme'].name}”项目自评", ss, "，等级为“", sg_, "”。")
        ph.distractor("sub_project_grades")
    b.heading("（一）产出指标完成情况")
    for ind in narrated_quantities(inds, rng.randint(1, 2)):
        t, a, p = completion_sentence(b, ind)
        b.para(*completion_words(V, ind, t, a, p))
    b.para("质量指标：全年工作扎实有序推进，各项任务按质按量完成。时效指标：各项工作均在预算年度内完成。")
    b.heading("（二）效益指标完成情况")
    b.para(f"效益方面，{'；'.join(i.name + '：' + i.actual_text for i in inds if i.level1 == CATEGORY_EFFECT)}。")
    sat = [i for i in inds if i.level1 == CATEGORY_SATISFACTION][0]
    sat_ref = doc.slot(a_fig(sat), unit="%", dec=2, auto_dec=True, place="narrative", label=sat.name)
    sat.narrated = True
    b.para(f"满意度方面，经问卷调查，{sat.name}达到", sat_ref, "。")
    b.heading("四、存在的问题")
    for k, p in enumerate(rng.sample(vocab.PROBLEMS, 2), 1):
        b.para(f"{'一二三'[k - 1]}是{p}。")
    b.heading("五、改进措施和有关建议")
    for k, p in enumerate(rng.sample(vocab.MEASURES, 3), 1):
        b.para(f"{k}、{p}。")

    # ---- 自评表
    b.para(f"附件：{Y}年度{org}部门整体支出绩效自评表")
    b.title(f"{Y}年度{org}部门整体支出绩效自评表")
    b.note(f"单位名称：{org}           填报日期：{doc.meta['filled']}")
    rows = [[C("单位名称"), C(org, span=7)]]
    if rng.random() < 0.6:
        tb = b.money("basic", "基本支出", place="table")
        tp = b.money("project", "项目支出", place="table")
        tx_sum = True
        doc.meta["table_basic_project"] = [tb.slot, tp.slot]
        rows.append([C("基本支出总额"), C(tb, span=3), C("项目支出总额"), C(tp, span=3)])
    else:
        tx_sum = False
    rows.append([C(f"预算执行情况（万元）（{exec_weight}分）"), C("年初预算数"), C("年中调整数"), C("全年预算数（A）"),
                 C("全年执行数（B）"), C("执行率（B/A）"), C("分值"), C("得分")])
    ti = b.cell_money("b_init", "年初预算数")
    tj = b.cell_money("b_adjust", "年中预算调整数")
    ta = b.cell_money("b_adj", "调整后预算数")
    tx = b.cell_money("total", "全年执行数")
    tr = doc.slot("rate", sid="rate@table", unit="%", dec=table_rate_dec, place="table", label="预算执行率", figure=True)
    tw = b.num("exec_w", "预算执行分值", unit="分", show_unit=False)
    ts = b.num("exec_score", "预算执行得分", unit="分", show_unit=False, figure=True)
    rows.append([C("部门整体支出总额"), C(ti), C(tj), C(ta), C(tx), C(tr), C(tw), C(ts)])
    doc.relations.append(SumRel("sum.adjusted_budget", ta.slot, [ti.slot, tj.slot], "调整后预算数",
                                describe="调整后预算数＝年初预算数＋年中调整数"))
    doc.relations.append(RateRel(tr.slot, tx.slot, ta.slot))
    doc.relations.append(ExecScoreRel(ts.slot, tw.slot, tr.slot))
    if tx_sum:
        doc.relations.append(SumRel("sum.total_basic_project", tx.slot, [tb.slot, tp.slot], "全年执行数",
                                    describe="自评表中基本支出总额＋项目支出总额"))
    rows.append([C("年度目标"), C("\n".join(f"{k}、{w}。" for k, w in enumerate(dept.works[:3], 1)), span=7)])
    rows.append([C("一级指标"), C("二级指标"), C("三级指标"), C("年初目标值"), C("实际完成值"), C("分值"), C("得分"),
                 C("偏差原因分析")])
    ir, ws, ss = indicator_rows(b, inds, "t1", header_points=True, show_actual_unit=rng.random() < 0.7,
                                score_dec_fixed=False)
    rows += ir
    tt = b.num("score_total", "自评得分", unit="分", show_unit=False, figure=True)
    rows.append([C("总分", span=5), C("100"), C(tt), C()])
    score_relations(b, tt.slot, ts.slot, tw.slot, ws, ss)
    if not grade_in_narr:
        g = grade_statement(b, "table")
        rows.append([C("自评等级", span=5), C(g, span=3)])
        doc.relations.append(GradeRel(g.slot, tt.slot))
    b.table(rows, 8, name="自评表")
    doc.meta.update(inds=inds, table_total=tt.slot, exec_score_slot=ts.slot, rate_table=tr.slot,
                    narr_breakdown=breakdown)


# --------------------------------------------------------------------------- 专项资金绩效自评表


FUND_ROWS = [("total", "年度资金总额"), ("fin", "当年财政拨付"), ("carry", "上年结转资金"), ("other", "其他资金")]
FUND_COLS = [("a", "年初预算数"), ("b", "全年预算数"), ("c", "全年执行数")]


def build_special_fund(doc: Doc, rng) -> None:
    b = Builder(doc, rng)
    V = variants(doc)
    Y, dept, org = b.Y, b.dept, b.org
    prog = doc.meta["programme"]
    total_b = yuan(rng.uniform(10, 2200))
    total_a = total_b if rng.random() < 0.6 else q(total_b * D(repr(rng.uniform(0.6, 1.0))), 2)
    weak = doc.meta["weak"]
    total_c = total_b if (rng.random() < 0.45 and not weak) else \
        q(total_b * D(repr(rng.uniform(0.7 if weak else 0.88, 0.995))), 2)
    ph = doc.meta.get("ph")
    if ph is not None and ph.varied and ph.rng.random() < 0.2:  # executed above budget; the score is capped at 分值
        total_c = q(total_b * D(repr(ph.rng.uniform(1.02, 1.09))), 2)
        ph.distractor("capped_score")
    fill = rng.choices(["all", "partial", "none"], [0.55, 0.25, 0.2])[0]
    doc.meta["fund_fill"] = fill
    for col, amount in (("a", total_a), ("b", total_b), ("c", total_c)):
        doc.set(f"f.total.{col}", amount)
        if fill == "all":
            carry = D(0) if rng.random() < 0.5 else q(amount * D(repr(rng.uniform(0.02, 0.2))), 2)
            other = D(0) if rng.random() < 0.6 else q(amount * D(repr(rng.uniform(0.01, 0.1))), 2)
            doc.set(f"f.fin.{col}", amount - carry - other)
            doc.set(f"f.carry.{col}", carry), doc.set(f"f.other.{col}", other)
        elif fill == "partial" and col != "c":
            doc.set(f"f.fin.{col}", q(amount * D(repr(rng.uniform(0.3, 0.8))), 2))
            doc.set(f"f.carry.{col}", None), doc.set(f"f.other.{col}", None)
        else:
            for r in ("fin", "carry", "other"):
                doc.set(f"f.{r}.{col}", None)
    doc.derive("rate", lambda d: D(d.figs["f.total.c"]) / D(d.figs["f.total.b"]) * 100)
    rate_dec = 2

    def exec_score(d):
        return q(D(d.figs["exec_w"]) * min(q(D(d.figs["rate"]), rate_dec), D(100)) / 100, 2)

    inds = make_indicators(rng, dept, prog, 10, total_b, total_c, weak)
    for ind in inds:
        if ind.kind == "money":
            ind.extra.update(t_fig="f.total.b", a_fig="f.total.c")
    register_scores(b, inds, 10, exec_score)
    lead = narrated_quantities(inds, 1)

    # ---- preface (not in xlsx)
    b.title(f"{org}{Y}年度{prog.name}绩效自评报告" if b.narrative else f"{Y}年度专项资金绩效自评表")
    b.heading("一、项目基本情况")
    nb = b.money("f.total.b", "年度资金总额", pre="年度资金总额")
    extra = []
    if fill != "none":
        extra = ["，其中：", b.money("f.fin.b", "当年财政拨付", pre="当年财政拨付")]
    doc.meta["narr_fin"] = extra[1].slot if extra else None
    kt = V("totals", 2)
    if kt == 1:
        b.para(f"{Y}年度{prog.name}用于{prog.purpose}，", nb, *extra, "。")
    else:
        b.para(f"{prog.name}是{org}{Y}年度实施的专项资金项目，主要用于{prog.purpose}。{Y}年度项目", nb, *extra, "。")
    b.heading("二、资金使用及管理情况")
    nc = b.money("f.total.c", "全年执行数", pre="全年执行")
    nr = doc.slot("rate", sid="rate@narr", unit="%", dec=rate_dec, auto_dec=rng.random() < 0.5, place="narrative",
                  label="预算执行率", pre="预算执行率为", figure=True)
    kv = V("budget-vs-actual", 2)
    if kv == 1:
        b.para("截至年底，", nc, "，", nr, "，资金实行专账核算。")
    else:
        b.para(f"截至{Y}年12月31日，项目", nc, "，", nr, "。项目资金严格按照专项资金管理办法使用，实行专款专用、专账核算。")
    if b.narrative:
        doc.relations.append(RateRel(nr.slot, nc.slot, nb.slot))
    b.heading("三、绩效目标完成情况")
    if lead and b.narrative:
        t, a, p = completion_sentence(b, lead[0])
        b.para(*completion_words(V, lead[0], t, a, p))
    b.para("项目质量、时效、成本等指标均达到预期，" + "，".join(i.name + i.actual_text for i in inds
                                                     if i.level1 == CATEGORY_EFFECT) + "。")
    b.heading("四、自评结论")
    grade_in_narr = b.narrative and rng.random() < 0.6
    kg = V("score-grade", 2)
    nt = b.num("score_total", "自评得分", unit="分", place="narrative", pre="自评得分为" if kg == 0 else "综合评价得分",
               figure=True)
    parts = ["经自评，该项目", nt] if kg == 0 else ["本项目", nt]
    if grade_in_narr:
        g = grade_statement(b, "narrative")
        parts += ["，自评等级为", g]
        doc.relations.append(GradeRel(g.slot, nt.slot))
    b.para(*parts, "。")
    b.heading("五、存在的问题及改进措施")
    b.para(f"{rng.choice(vocab.PROBLEMS)}。下一步将{rng.choice(vocab.MEASURES)}。")
    if b.narrative:
        b.para("附件：专项资金绩效自评表")
        b.title("专项资金绩效自评表")

    # ---- table
    rows = [[C("专项资金名称"), C(prog.name, span=8)],
            [C("主管部门"), C(org, span=3), C("实施单位"), C(org, span=4)],
            [C("项目资金（万元）"), C(), C("年初预算数"), C("全年预算数"), C("全年执行数"), C("分值"), C("执行率（%）"),
             C("得分"), C()]]
    cells = {}
    for r, rlabel in FUND_ROWS:
        row = [C(merge_up=True), C(("其中：" if r == "fin" else "") + rlabel + ("　" if rng.random() < 0.3 else ""))]
        for col, cname in FUND_COLS:
            fig = f"f.{r}.{col}"
            ref = b.cell_money(fig, rlabel, column=cname)
            cells[(r, col)] = ref.slot
            row.append(C(ref))
        if r == "total":
            tw = b.num("exec_w", "预算执行分值", unit="分", show_unit=False)
            tr = doc.slot("rate", sid="rate@table", unit="%", dec=rate_dec, place="table", label="预算执行率", figure=True)
            ts = b.num("exec_score", "预算执行得分", unit="分", show_unit=False, figure=True)
            row += [C(tw), C(tr), C(ts), C()]
        else:
            row += [C(), C(), C(), C()]
        rows.append(row)
    for col, cname in FUND_COLS:
        parts_ = [cells[(r, col)] for r in ("fin", "carry", "other")]
        filled = [doc.figs[doc.slots[p].fig] is not None for p in parts_]
        if all(filled):
            doc.relations.append(SumRel("sum.fund_sources", cells[("total", col)], parts_, "年度资金总额",
                                        describe=f"{cname}列年度资金总额＝财政拨付＋上年结转＋其他"))
        elif any(filled):
            doc.relations.append(SumRel("sum.fund_sources", cells[("total", col)], [p for p, f in zip(parts_, filled) if f],
                                        "年度资金总额", mode="le", describe=f"{cname}列资金来源（只填了部分来源）"))
    doc.relations.append(RateRel(tr.slot, cells[("total", "c")], cells[("total", "b")]))
    doc.relations.append(ExecScoreRel(ts.slot, tw.slot, tr.slot))
    doc.meta["fund_cells"] = cells

    rows.append([C("年度总体目标"), C("预期目标", span=4), C("实际完成情况", span=4)])
    if lead:
        ind = lead[0]
        t, a, p = completion_sentence(b, ind, place="table")
        goal = ["全年完成", t, prog.goal_verb]
        done = ["实际完成", a, "，完成", p]
    else:
        goal, done = [f"全年完成{prog.goal_verb}任务"], ["已完成"]
    rows.append([C(merge_up=True), C(*goal, span=4), C(*done, span=4)])
    rows.append([C("绩效指标"), C("一级指标"), C("二级指标"), C("三级指标"), C("年度指标值"), C("实际完成值"), C("分值"),
                 C("得分"), C("偏差原因分析及改进措施")])
    ir, ws, ss = indicator_rows(b, inds, "t2", header_points=True, show_actual_unit=rng.random() < 0.8,
                                score_dec_fixed=False)
    rows += ir
    tt = b.num("score_total", "自评得分", unit="分", show_unit=False, figure=True)
    rows.append([C("总分", span=6), C("100"), C(tt), C()])
    score_relations(b, tt.slot, ts.slot, tw.slot, ws, ss)
    if not grade_in_narr and rng.random() < 0.7:
        g = grade_statement(b, "table")
        rows.append([C("自评等级", span=6), C(g, span=3)])
        doc.relations.append(GradeRel(g.slot, tt.slot))
    rows.append([C("改进措施及结果应用方案", span=2), C(rng.choice(vocab.MEASURES) + "。", span=7)])
    b.table(rows, 9, name="专项资金绩效自评表")
    person = rng.choice(vocab.SURNAMES) + "**"
    phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}*******{rng.randint(10, 99)}"
    b.note(f"填表人：{person}               联系电话：{phone}")
    doc.extra_hard_negatives.append(HardNegative("masked_contact", f"“填表人：{person}”“联系电话：{phone}”中的*号是脱敏处理，不是待填占位符"))
    if doc.meta.get("ph") is not None:
        doc.meta["ph"].mark("placeholder")
        doc.meta["ph"].distractor("masked_contact")
    doc.meta.update(inds=inds, table_total=tt.slot, exec_score_slot=ts.slot, rate_table=tr.slot, narr_total=nt.slot,
                    narr_breakdown=False)


# --------------------------------------------------------------------------- 部门整体绩效自评表


SOURCES = [("gen", "一般公共预算拨款"), ("fund", "政府性基金"), ("soe", "国有资本经营预算"), ("other", "其他资金")]
SRC_COLS = [("init", "年初预算数"), ("adjust", "年中预算调整数"), ("adj", "调整后预算数"), ("exec", "实际支出数")]


def build_department_table(doc: Doc, rng) -> None:
    b = Builder(doc, rng)
    V = variants(doc)
    Y, dept, org = b.Y, b.dept, b.org
    rows_money = {}
    for key, _ in SOURCES:
        if key == "gen":
            init = yuan(rng.uniform(800, 20000))
        elif rng.random() < 0.35:
            init = yuan(rng.uniform(50, 3000))
        else:
            init = D(0)
        if key == "other" and init > 0 and rng.random() < 0.4:
            adjust = -init  # the whole source withdrawn mid-year, as in real returns
        elif init == 0 and rng.random() < 0.25:
            adjust = yuan(rng.uniform(20, 1500))
        elif init == 0:
            adjust = D(0)
        else:
            adjust = q(init * D(repr(rng.uniform(-0.15, 0.2))), 2)
        adj = init + adjust
        low = 0.7 if doc.meta["weak"] else 0.9
        exec_ = adj if (adj == 0 or rng.random() < 0.5) else q(adj * D(repr(rng.uniform(low, 0.999))), 2)
        rows_money[key] = (init, adjust, adj, exec_)
    rows_money["total"] = tuple(sum((rows_money[k][i] for k, _ in SOURCES), D(0)) for i in range(4))
    for key in ["total"] + [k for k, _ in SOURCES]:
        for (col, _), v in zip(SRC_COLS, rows_money[key]):
            doc.set(f"s.{key}.{col}", v)
        if rows_money[key][2] != 0:
            doc.derive(f"s.{key}.rate", lambda d, k=key: D(d.figs[f"s.{k}.exec"]) / D(d.figs[f"s.{k}.adj"]) * 100)
        else:
            doc.set(f"s.{key}.rate", None)
    if any(rows_money[k][1] < 0 for k, _ in SOURCES):
        neg = [lbl for k, lbl in SOURCES if rows_money[k][1] < 0]
        doc.extra_hard_negatives.append(HardNegative("negative_adjustment", f"{'、'.join(neg)}的年中预算调整数为负数（调减），"
                                                                            f"调整后预算数＝年初＋调整仍成立，不是矛盾"))
    doc.derive("rate", lambda d: d.figs["s.total.rate"])
    rate_dec = 2

    def exec_score(d):
        return q(D(d.figs["exec_w"]) * min(q(D(d.figs["s.total.rate"]), rate_dec), D(100)) / 100, 2)

    prog = doc.meta["programme"]
    inds = make_indicators(rng, dept, prog, 10, rows_money["total"][2], rows_money["total"][3], doc.meta["weak"])
    for ind in inds:
        if ind.kind == "money":
            ind.extra.update(t_fig="s.total.adj", a_fig="s.total.exec")
    register_scores(b, inds, 10, exec_score)

    b.title(f"{Y}年度部门整体绩效自评表" if not b.narrative else f"{org}{Y}年度部门整体绩效自评情况")
    b.heading("一、自评情况说明")
    grade_in_narr = b.narrative and rng.random() < 0.6
    ni = b.money("s.total.init", "年初预算数", pre="年初预算数")
    na = b.money("s.total.adj", "调整后预算数", pre="调整后预算数")
    nx = b.money("s.total.exec", "全年执行数", pre="实际支出")
    nr = doc.slot("s.total.rate", sid="rate@narr", unit="%", dec=rate_dec, auto_dec=rng.random() < 0.5,
                  place="narrative", label="预算执行率", pre="预算执行率", figure=True)
    nt = b.num("score_total", "自评得分", unit="分", place="narrative", pre="自评得分", figure=True)
    doc.meta["narr_init"] = ni.slot
    kv = V("budget-vs-actual", 2)
    if kv == 1:
        for sid, pre in ((ni.slot, "年初预算"), (na.slot, "全年预算"), (nx.slot, "全年执行"), (nt.slot, "自评总分")):
            doc.slots[sid].pre = pre
        parts = [f"{Y}年{org}", ni, "，", na, "，", nx, "，", nr, "；部门整体绩效", nt]
    else:
        parts = [f"{Y}年度{org}部门预算", ni, "，", na, "，", nx, "，", nr, "。经自评，部门整体绩效", nt]
    if grade_in_narr:
        g = grade_statement(b, "narrative")
        parts += ["，自评等级为", g]
        doc.relations.append(GradeRel(g.slot, nt.slot))
    b.para(*parts, "。")
    if b.narrative:
        doc.relations.append(RateRel(nr.slot, nx.slot, na.slot))
    b.para(f"下一步，{b.dept.we}将{rng.choice(vocab.MEASURES)}。")
    if b.narrative:
        b.title(f"{Y}年度部门整体绩效自评表")

    code = str(rng.randint(101, 999)) + ("" if rng.random() < 0.5 else f"{rng.randint(1, 99):03d}")
    rows = [[C("部门名称"), C(org, span=5), C("部门编码"), C(code, span=3)],
            [C("部门预算安排资金（万元）"), C("资金来源"), C("年初预算数"), C("年中预算调整数"), C("调整后预算数"),
             C("实际支出数"), C("预算执行率(%)", span=4)]]
    cells = {}
    for key, label in [("total", "合计")] + SOURCES:
        shown = ("其中：" if key == "gen" else "") + label
        row = [C(merge_up=True), C(shown)]
        for col, cname in SRC_COLS:
            ref = b.cell_money(f"s.{key}.{col}", label, column=cname)
            cells[(key, col)] = ref.slot
            row.append(C(ref))
        if key == "total" or rows_money[key][2] != 0:
            rr = doc.slot(f"s.{key}.rate", sid=f"rate@{key}", unit="%", dec=rate_dec, place="table", label="预算执行率",
                          figure=True, row=label)
            cells[(key, "rate")] = rr.slot
            row.append(C(rr, span=4))
            doc.relations.append(RateRel(rr.slot, cells[(key, "exec")], cells[(key, "adj")], label=f"{label}预算执行率"))
        else:
            row.append(C(span=4))
        doc.relations.append(SumRel("sum.adjusted_budget", cells[(key, "adj")], [cells[(key, "init")], cells[(key, "adjust")]],
                                    f"{label}调整后预算数", describe=f"{label}：调整后预算数＝年初预算数＋年中预算调整数"))
        rows.append(row)
    for col, cname in SRC_COLS:
        doc.relations.append(SumRel("sum.fund_sources", cells[("total", col)], [cells[(k, col)] for k, _ in SOURCES],
                                    f"合计{cname}", describe=f"{cname}列合计＝各资金来源之和"))
    rows.append([C("部门职能概述"), C(b.dept.duties + "。", span=9)])
    rows.append([C("年度绩效目标"), C("；".join(rng.sample(b.dept.works, 3)) + "。", span=9)])
    tt = b.num("score_total", "自评得分", unit="分", show_unit=False, dec=2, auto=False, figure=True)
    tw = b.num("exec_w", "预算执行分值", unit="分", show_unit=False)
    ts = b.num("exec_score", "预算执行得分", unit="分", show_unit=False, dec=2, auto=False, figure=True)
    rows.append([C("自评得分(满分100分)"), C(tt, span=3), C("预算执行（", tw, "分）"), C(ts, span=5)])
    doc.relations.append(ExecScoreRel(ts.slot, tw.slot, cells[("total", "rate")]))
    rows.append([C("年度绩效指标"), C("一级指标"), C("二级指标"), C("指标内容"), C("指标值"), C("分值"), C("实际完成值"),
                 C("指标得分"), C("完成情况简要描述"), C("偏差原因及改进措施")])
    ir, ws, ss = indicator_rows(b, inds, "t3", header_points=rng.random() < 0.5, show_actual_unit=rng.random() < 0.4,
                                score_dec_fixed=rng.random() < 0.5)
    rows += ir
    score_relations(b, tt.slot, ts.slot, tw.slot, ws, ss)
    if not grade_in_narr and rng.random() < 0.6:
        g = grade_statement(b, "table")
        rows.append([C("自评等级"), C(g, span=9)])
        doc.relations.append(GradeRel(g.slot, tt.slot))
    b.table(rows, 10, name="部门整体绩效自评表")
    doc.meta.update(inds=inds, table_total=tt.slot, exec_score_slot=ts.slot, rate_table=cells[("total", "rate")],
                    narr_total=nt.slot, narr_breakdown=False, src_cells=cells, src_money=rows_money)


BUILDERS = {T1: build_department_report, T2: build_special_fund, T3: build_department_table}
