"""Contradictions planted in 部门决算 / 部门预算 documents, one kind per check of docs/checks.md.

Each injector overrides printed places (a table cell, a narrative amount, a word, a note)
and returns an `Injection`; the gold findings are read off the relations afterwards, so a
planted error that also disturbs another rule lands in the gold too. Knock-on effects in
other places than the one planted (a narrative that now disagrees with the changed cell, a
share computed from a changed amount …) are listed as `acceptable`: an auditor may or may not
report them. Arithmetic inside the same table stays a finding.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

from .fiscal_relations import COMPARE
from .inject import Injection
from .model import D, Doc, fmt_number, q

FISCAL_CHECKS = [
    "table.rows_sum", "table.columns_sum", "table.balance", "table.sangong", "table.cross", "xref.narrative_table",
    "xref.unit_slip", "xref.digit_slip", "xref.conflict", "rate.share", "rate.growth", "rate.change", "rate.completion",
    "text.comparison", "text.empty_table", "text.nil_claim", "text.wrong_year", "complete.placeholder_name",
    "count.listed", "sum.bounded", "sum.breakdown", "sum.sangong", "sum.basic_breakdown", "complete.placeholder",
]
FISCAL_DESC = {
    "table.rows_sum": "表中上级科目不等于其下级科目之和",
    "table.columns_sum": "表中合计栏不等于各分栏之和",
    "table.balance": "收支总表不平衡",
    "table.sangong": "“三公”经费表合计不等于各项之和",
    "table.cross": "同一数字在不同表格中填报不一致",
    "xref.digit_slip": "同一金额多写或漏写一位数字",
    "rate.share": "占比与分项÷总额不符",
    "rate.change": "增减金额与前后两个数值不符",
    "text.comparison": "“大于/小于/持平”的表述与两个数字不符",
    "text.empty_table": "表注称空表但表中有数字",
    "text.nil_claim": "文中称没有某项收支但文中或表中有该项金额",
    "text.wrong_year": "标题或日期中的年度与报告年度不符",
    "complete.placeholder_name": "名称仍是占位符",
    "count.listed": "所称个数与列出的项数不符",
    "sum.bounded": "分项金额之和超过其所属总额",
}
ALL = set(FISCAL_CHECKS) | {"rate.execution", "xref.unit_slip", "sum.breakdown", "sum.sangong", "sum.total_basic_project"}
TABLE_ARITH = {"table.rows_sum", "table.columns_sum", "table.balance", "table.sangong"}


def others(*keep: str) -> set:
    return ALL - set(keep)


def _fiscal(doc: Doc) -> bool:
    return bool(doc.meta.get("fiscal"))


def _touched(doc: Doc) -> set:
    return doc.meta.setdefault("touched_slots", set())


def _free(doc: Doc, sids) -> list:
    t = _touched(doc)
    return [s for s in sids if s in doc.slots and s not in t]


def _mark(doc: Doc, *sids) -> None:
    _touched(doc).update(sids)


def _delta(rng, doc: Doc, sid: str, lo=0.03, hi=0.15) -> Decimal:
    p = doc.printed(sid)
    floor = D("0.60") if p.unit == "万元" else D("600")
    return max(q(abs(p.value) * D(repr(rng.uniform(lo, hi))), p.dec), floor)


def _shift(rng, doc: Doc, sid: str, lo=0.03, hi=0.15, sign=None) -> Decimal:
    """A new printed value for `sid`, clearly apart from the old one (never ≤ 0)."""
    p = doc.printed(sid)
    d = _delta(rng, doc, sid, lo, hi)
    s = sign if sign is not None else rng.choice([-1, 1])
    new = p.value + s * d
    if new <= 0:
        new = p.value + d
    return new


def _w(v: Decimal, dec=2) -> str:
    return fmt_number(v, dec)


def _narr_money(doc: Doc) -> list[str]:
    """Narrative amounts whose figure is also printed in a table (copies), not yet touched."""
    out = []
    for sid, s in doc.slots.items():
        if s.place != "narrative" or s.text_fig or s.unit not in ("万元", "元") or s.fig in doc.no_copy_check:
            continue
        if doc.printed(sid).status != "num" or doc.printed(sid).value == 0:
            continue
        if any(o.place == "table" for o in doc.slots_of(s.fig)):
            out.append(sid)
    return _free(doc, sorted(out, key=lambda x: doc.slots[x].order))


# --------------------------------------------------------------------------- tables


def rows_sum(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    tables = doc.meta["f_tables"]
    cands = []
    for tbl in ("spending", "general", "income"):
        info = tables.get(tbl)
        if not info or not info.get("leaf"):
            continue
        for code in info["leaf"]:
            parent = code[:5]
            if parent not in info["rows"]:
                continue
            cands.append((tbl, code))
    if not cands:
        return None
    tbl, code = rng.choice(cands)
    info = tables[tbl]
    slots = info["rows"][code]
    off = 1 if tbl == "general" and info.get("with_budget") else 0
    total_sid = slots[off]
    if tbl == "income":
        parts = [s for s in slots[off + 1:] if doc.printed(s).value != 0][:1]
    else:
        parts = [s for s in slots[off + 1:off + 3] if doc.printed(s).value != 0][:1]
    if not parts or not _free(doc, [total_sid] + parts) == [total_sid] + parts:
        return None
    new = _shift(rng, doc, total_sid, 0.04, 0.2)
    d = new - doc.printed(total_sid).value
    doc.override(total_sid, value=new)
    doc.override(parts[0], value=doc.printed(parts[0]).value + d)
    _mark(doc, total_sid, *parts)
    return Injection("table.rows_sum", f"“{info['title']}”{code}行合计栏及其分栏同改{_w(d)}（行内仍平衡），其上级科目不再等于下级之和",
                     acceptable=others("table.rows_sum"))


def columns_sum(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    tables = doc.meta["f_tables"]
    cands = []
    fis = tables.get("fiscal")
    if fis:
        for code, slots in fis["rows"].items():
            if doc.printed(slots[1]).value != 0:
                cands.append(("fiscal", code, slots[1]))
    for tbl in ("spending", "general"):
        info = tables.get(tbl)
        if not info or info.get("with_budget"):
            continue
        for code in info["leaf"]:
            slots = info["rows"][code]
            nz = [s for s in slots[1:3] if doc.printed(s).value != 0]
            if nz:
                cands.append((tbl, code, nz[0]))
    cands = [c for c in cands if _free(doc, [c[2]])]
    if not cands:
        return None
    tbl, code, sid = rng.choice(cands)
    old = doc.printed(sid).value
    new = _shift(rng, doc, sid, 0.04, 0.25)
    doc.override(sid, value=new)
    _mark(doc, sid)
    title = tables[tbl]["title"]
    return Injection("table.columns_sum", f"“{title}”{code}行一个分栏由{_w(old)}改为{_w(new)}，合计栏不再等于各分栏之和",
                     acceptable=others("table.columns_sum", "table.rows_sum"))


def balance(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    tables = doc.meta["f_tables"]
    options = [t for t in ("summary", "fiscal") if t in tables]
    if not options:
        return None
    tbl = rng.choice(options)
    slots = tables[tbl]["slots"]
    choice = rng.choice(["Lgrand", "Rcout"]) if tbl == "summary" else "Lgrand"
    sid = slots[choice] if not isinstance(slots[choice], list) else slots[choice][0]
    if not _free(doc, [sid]) or doc.printed(sid).value == 0 and choice != "Lgrand":
        sid, choice = (slots["Lgrand"], "Lgrand")
        if not _free(doc, [sid]):
            return None
    old = doc.printed(sid).value
    new = _shift(rng, doc, sid, 0.01, 0.06)
    doc.override(sid, value=new)
    _mark(doc, sid)
    what = "收入总计" if choice == "Lgrand" else "年末结转和结余"
    return Injection("table.balance", f"“{tables[tbl]['title']}”{what}由{_w(old)}改为{_w(new)}，收支总表不再平衡",
                     acceptable=others("table.balance", "table.columns_sum"))


def sangong_table(doc: Doc, rng):
    if not _fiscal(doc) or "sangong" not in doc.meta["f_tables"]:
        return None
    slots = doc.meta["f_tables"]["sangong"]["slots"]
    measures = sorted({m for _, m in slots})
    m = rng.choice(measures)
    target = rng.choice(["tot", "tot", "recept", "car"])
    sid = slots[(target, m)]
    if not _free(doc, [sid]) or doc.printed(slots[("tot", m)]).value == 0:
        return None
    if target != "tot" and doc.printed(sid).value == 0:
        target, sid = "tot", slots[("tot", m)]
    old = doc.printed(sid).value
    new = _shift(rng, doc, sid, 0.08, 0.35)
    doc.override(sid, value=new)
    _mark(doc, sid)
    name = {"tot": "合计", "recept": "公务接待费", "car": "公务用车购置及运行费"}[target]
    mname = "预算数" if m == "bud" or doc.report_type == "部门预算" else "决算数"
    return Injection("table.sangong", f"“三公”经费表{mname}栏{name}由{_w(old)}改为{_w(new)}，"
                                      f"合计与各项之和不符", acceptable=others("table.sangong"))


def cross(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    tables = doc.meta["f_tables"]
    summ = tables.get("summary")
    if not summ:
        return None
    cands = []
    for tag, sid in summ["slots"].items():
        if tag == "Linc" or (tag.startswith("R") and doc.slots[sid].fig.startswith("x.") and doc.printed(sid).value != 0):
            fig = doc.slots[sid].fig
            if any(o.place == "table" and o.tbl != "summary" for o in doc.slots_of(fig)):
                cands.append(sid)
    cands = _free(doc, cands)
    if not cands:
        return None
    sid = rng.choice(cands)
    old = doc.printed(sid).value
    new = _shift(rng, doc, sid, 0.02, 0.12)
    doc.override(sid, value=new)
    _mark(doc, sid)
    return Injection("table.cross", f"“{summ['title']}”中一行由{_w(old)}改为{_w(new)}，与其他表中同一数字不一致",
                     acceptable=others("table.cross", "table.balance"))


# --------------------------------------------------------------------------- narrative against tables


def narrative_table(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = _narr_money(doc)
    if not cands:
        return None
    sid = rng.choice(cands)
    p = doc.printed(sid)
    for _ in range(5):
        new = _shift(rng, doc, sid, 0.03, 0.2)
        from .fiscal_relations import digit_slip  # a shift that happens to look like a dropped digit is another check
        from .model import Printed
        if not digit_slip(Printed("num", new, p.unit, p.dec), p):
            break
    else:
        return None
    doc.override(sid, value=new)
    _mark(doc, sid)
    return Injection("xref.narrative_table", f"正文“{doc.slots[sid].label or doc.slots[sid].pre or doc.slots[sid].fig}”写作"
                                             f"{_w(new)}{p.unit}，表中为{_w(p.value)}{p.unit}",
                     acceptable=others("xref.narrative_table"))


def unit_slip(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = [s for s in _narr_money(doc) if doc.slots[s].unit == "万元"]
    if not cands:
        return None
    sid = rng.choice(cands)
    p = doc.printed(sid)
    doc.override(sid, unit="元")
    _mark(doc, sid)
    return Injection("xref.unit_slip", f"正文“{doc.slots[sid].pre or doc.slots[sid].fig}”{_w(p.value)}万元误写为{_w(p.value)}元",
                     acceptable=others("xref.unit_slip"))


def digit_slip(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = _narr_money(doc)
    if not cands:
        return None
    sid = rng.choice(cands)
    p = doc.printed(sid)
    digits = fmt_number(p.value, p.dec).replace(".", "")
    if len(digits) < 4:
        return None
    i = rng.randrange(len(digits) - p.dec)
    if rng.random() < 0.5 and i > 0:
        new_digits = digits[:i] + digits[i + 1:]  # dropped
        how = "漏写"
    else:
        new_digits = digits[:i] + digits[i] + digits[i:]  # doubled
        how = "多写"
    new = D(new_digits[:-p.dec] + "." + new_digits[-p.dec:]) if p.dec else D(new_digits)
    if new <= 0 or new == p.value:
        return None
    doc.override(sid, value=new)
    _mark(doc, sid)
    return Injection("xref.digit_slip", f"正文金额{_w(p.value)}{p.unit}{how}一位数字，写作{_w(new)}{p.unit}",
                     acceptable=others("xref.digit_slip"))


def conflict(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    figs = {}
    for sid, s in doc.slots.items():
        if s.place == "narrative" and not s.text_fig and s.unit in ("万元", "元") and s.fig not in doc.no_copy_check \
                and doc.printed(sid).status == "num" and doc.printed(sid).value != 0:
            figs.setdefault(s.fig, []).append(sid)
    cands = []
    for fig, sids in figs.items():
        sids.sort(key=lambda x: doc.slots[x].order)
        if len(sids) >= 2 and not doc.meta.get("f_repeat_fig") == fig:
            cands.append(sids[1])
    cands = _free(doc, cands)
    if not cands:
        return None
    sid = rng.choice(cands)
    old = doc.printed(sid).value
    new = _shift(rng, doc, sid, 0.03, 0.2)
    doc.override(sid, value=new)
    _mark(doc, sid)
    return Injection("xref.conflict", f"正文第二次提到同一金额时由{_w(old)}改写为{_w(new)}", acceptable=others("xref.conflict"))


# --------------------------------------------------------------------------- rates


def share(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = [s for s in doc.meta["f_shares"] if _free(doc, [s["rate"]]) and s["rate"] in doc.slots]
    if not cands:
        return None
    s = rng.choice(cands)
    sid = s["rate"]
    p = doc.printed(sid)
    alt = s.get("alt_whole")
    if alt and alt in doc.slots and rng.random() < 0.6:  # the share worked out against the other whole
        new = q(doc.printed(s["part"]).base / doc.printed(alt).base * 100, 2)
        how = "按另一总额计算"
    else:
        new = p.value + D(repr(round(rng.uniform(1.5, 6.5), 2))) * (1 if p.value < 50 or rng.random() < 0.4 else -1)
        how = "改写"
    if abs(new - p.value) < D("0.5") or new <= 0:
        new = p.value + D("3.17")
    doc.override(sid, value=new)
    _mark(doc, sid)
    return Injection("rate.share", f"“{s['label']}”占比由{_w(p.value)}%{how}为{_w(new)}%", acceptable=others("rate.share"))


def growth(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = [g for g in doc.meta["f_growth"] if _free(doc, [g["pct"], g["word"]]) == [g["pct"], g["word"]]
             and g["pct"] in doc.slots]
    if not cands:
        return None
    g = rng.choice(cands)
    p = doc.printed(g["pct"])
    mode = rng.choice(["value", "base", "word"])
    if mode == "base":  # the change divided by this year's amount instead of last year's
        amount, cur = doc.printed(g["amount"]), doc.printed(g["cur"])
        new = q(amount.base / cur.base * 100, p.dec)
        if abs(new - p.value) < D("0.3"):
            mode = "value"
        else:
            doc.override(g["pct"], value=new)
            how = f"以本年数为基数算成{_w(new, p.dec)}%"
    if mode == "word" and p.value >= 1:
        w = doc.printed(g["word"]).word
        flipped = {"增长": "下降", "下降": "增长", "增幅": "降幅", "降幅": "增幅"}.get(w)
        if flipped is None:
            mode = "value"
        else:
            doc.override(g["word"], text=flipped)
            how = f"方向词由“{w}”误写为“{flipped}”"
    elif mode == "word":
        mode = "value"
    if mode == "value":
        new = p.value + D(repr(round(rng.uniform(1.5, 9), p.dec))) * (1 if rng.random() < 0.6 or p.value < 12 else -1)
        doc.override(g["pct"], value=new)
        how = f"由{_w(p.value, p.dec)}%改为{_w(new, p.dec)}%"
    _mark(doc, g["pct"], g["word"])
    return Injection("rate.growth", f"“{g['label']}”增减幅度{how}", acceptable=others("rate.growth"))


def change(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    explicit = [c for c in doc.meta["f_change"] if c["amount"] in doc.slots and _free(doc, [c["amount"]])]
    if explicit and rng.random() < 0.7:
        c = rng.choice(explicit)
        old = doc.printed(c["amount"]).value
        new = _shift(rng, doc, c["amount"], 0.15, 0.6)
        doc.override(c["amount"], value=new)
        _mark(doc, c["amount"])
        return Injection("rate.change", f"“{c['label']}”较上年的增减额由{_w(old)}改为{_w(new)}，与两年金额之差不符",
                         acceptable=others("rate.change"))
    cands = [g for g in doc.meta["f_growth"] if g["amount"] in doc.slots and _free(doc, [g["amount"], g["aword"]])
             == [g["amount"], g["aword"]]]
    if not cands:
        return None
    g = rng.choice(cands)
    cur = doc.printed(g["cur"])
    amount = doc.printed(g["amount"])
    if amount.unit != cur.unit:
        return None
    new = q(cur.value * D(repr(rng.uniform(1.15, 1.8))), amount.dec)
    doc.override(g["amount"], value=new)
    doc.override(g["aword"], text="增加" if doc.printed(g["aword"]).word in ("增加", "减少") else "增")
    _mark(doc, g["amount"], g["aword"], g["pct"])
    return Injection("rate.change", f"“{g['label']}”本年{_w(cur.value)}{cur.unit}，却写比上年增加{_w(new)}{amount.unit}（上年将为负数）",
                     acceptable=others("rate.change"))


def completion(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = [c for c in doc.meta["f_completion"] if c["rate"] in doc.slots and _free(doc, [c["rate"]])]
    if not cands:
        return None
    c = rng.choice(cands)
    p = doc.printed(c["rate"])
    text = fmt_number(p.value, p.dec)
    digits = text.replace(".", "")
    swapped = None
    if len(digits) >= 3 and digits[-1] != digits[-2] and rng.random() < 0.4:
        sw = digits[:-2] + digits[-1] + digits[-2]
        swapped = D(sw[:-p.dec] + "." + sw[-p.dec:])
    if swapped is not None and abs(swapped - p.value) > D("0.05"):
        new, how = swapped, "末两位数字颠倒"
    else:
        new = p.value + D(repr(round(rng.uniform(2, 12), 2))) * (1 if rng.random() < 0.5 else -1)
        if new <= 0:
            new = p.value + D("4.25")
        how = "改写"
    doc.override(c["rate"], value=new)
    _mark(doc, c["rate"])
    return Injection("rate.completion", f"“{c['label']}”完成率由{_w(p.value)}%{how}为{_w(new)}%", acceptable=others("rate.completion"))


# --------------------------------------------------------------------------- words, notes, names, counts


def comparison(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = [c for c in doc.meta["f_compare"] if c["word"] in doc.slots and _free(doc, [c["word"]])]
    cands = [c for c in cands if doc.printed(c["word"]).word in ("大于", "小于", "高于", "低于")]
    if not cands:
        return None
    c = rng.choice(cands)
    w = doc.printed(c["word"]).word
    a, b = doc.printed(c["actual"]), doc.printed(c["budget"])
    if rng.random() < 0.25 and abs(a.base - b.base) > abs(b.base) * D("0.02"):
        new = "持平" if rng.random() < 0.5 else "基本持平"
    else:
        new = {"大于": "小于", "小于": "大于", "高于": "低于", "低于": "高于"}[w]
    assert new in COMPARE
    doc.override(c["word"], text=new)
    _mark(doc, c["word"])
    return Injection("text.comparison", f"“{c['label']}”决算{_w(a.value)}与预算{_w(b.value)}，文中写作“{new}”（应为“{w}”）",
                     acceptable=others("text.comparison"))


EMPTY_NOTES = ["注：本表无数据。", "注：本单位本年度没有政府性基金预算财政拨款收支，故本表为空表。",
               "说明：本部门不涉及政府性基金预算财政拨款，此表以空表列示。"]


def empty_table(doc: Doc, rng):
    if not _fiscal(doc) or not doc.meta["f_tables"].get("fund") or not any(
            doc.printed(s).status == "num" and doc.printed(s).value != 0 for s in doc.meta["f_tables"]["fund"]["cells"]):
        return None
    sid = doc.meta["f_empty"].get("fund")
    if sid not in doc.slots or not _free(doc, [sid]):
        return None
    note = rng.choice(EMPTY_NOTES)
    doc.override(sid, text=note)
    _mark(doc, sid)
    return Injection("text.empty_table", f"政府性基金表有数字，表注却称“{note}”", acceptable=others("text.empty_table"))


def nil_claim(doc: Doc, rng):
    if not _fiscal(doc) or not doc.meta.get("f_nil") or doc.meta["f_nil"] not in doc.slots:
        return None
    if not doc.meta.get("has_fund") or doc.meta.get("tunit") != doc.meta.get("nunit"):
        return None
    sid = doc.meta["f_nil"]
    if not _free(doc, [sid]):
        return None
    y = doc.meta["year"]
    text = rng.choice([f"本单位{y}年度无政府性基金预算财政拨款收入、支出及结转结余。",
                       f"{y}年度本部门没有政府性基金预算财政拨款收入和支出。"])
    doc.override(sid, text=text)
    _mark(doc, sid)
    return Injection("text.nil_claim", f"正文称“{text}”，但表中有政府性基金预算财政拨款金额", acceptable=others("text.nil_claim"))


def wrong_year(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = _free(doc, doc.meta["f_year"])
    if not cands:
        return None
    sid = rng.choice(cands)
    y = doc.meta["year"]
    new = D(y - 1) if rng.random() < 0.8 else D(y + 1)
    doc.override(sid, value=new)
    _mark(doc, sid)
    return Injection("text.wrong_year", f"一处标题或截止日期的年度写作{new}年（报告年度{y}年）", acceptable=others("text.wrong_year"))


def placeholder_name(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = _free(doc, doc.meta["f_names"])
    if not cands:
        return None
    sid = rng.choice(cands)
    org = doc.printed(sid).word
    region, dept = doc.meta["region"], doc.meta["dept"].name
    if rng.random() < 0.5 and org.endswith(dept):
        new = org[: len(org) - len(dept)] + rng.choice(["XX", "××"]) + dept[-1]
    else:
        new = rng.choice(["XX", "××"]) + region[-1] + org[len(region):]
    doc.override(sid, text=new)
    _mark(doc, sid)
    return Injection("complete.placeholder_name", f"部门名称写作“{new}”，占位符未替换", acceptable=others("complete.placeholder_name"))


def count_listed(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = [(c, lst) for c, lst in doc.meta["f_counts"] if c in doc.slots and _free(doc, [c, lst]) == [c, lst]
             and not doc.printed(lst).word.endswith("等")]
    if not cands:
        return None
    c, lst = rng.choice(cands)
    n = doc.printed(c).value
    items = doc.printed(lst).word.split("、")
    if len(items) > 2 and rng.random() < 0.5:
        drop = rng.randrange(len(items))
        doc.override(lst, text="、".join(items[:drop] + items[drop + 1:]))
        how = "列举漏了一项"
    else:
        doc.override(c, value=n + rng.choice([1, 1, 2]) if n < 3 or rng.random() < 0.6 else n - 1)
        how = f"个数写作{doc.printed(c).value}"
    _mark(doc, c, lst)
    return Injection("count.listed", f"称{n}个并逐一列出，{how}", acceptable=others("count.listed"))


def bounded(doc: Doc, rng):
    if not _fiscal(doc) or not doc.meta.get("f_sme"):
        return None
    m = doc.meta["f_sme"]
    if not _free(doc, [m["sme"], m["micro"]]) == [m["sme"], m["micro"]]:
        return None
    total, sme, micro = (doc.printed(m[k]) for k in ("total", "sme", "micro"))
    if rng.random() < 0.6:
        target, base = "sme", total
        new = q(total.value * D(repr(rng.uniform(1.06, 1.35))), sme.dec)
    else:
        target, base = "micro", sme
        new = q(sme.value * D(repr(rng.uniform(1.06, 1.3))), micro.dec)
    sid = m[target]
    doc.override(sid, value=new)
    # the shares printed beside it are worked out from the new amount (only the bound is broken)
    for s in doc.meta["f_shares"]:
        if s["rate"] in doc.slots and (s["part"] == sid or s["whole"] == sid):
            part, whole = doc.printed(s["part"]), doc.printed(s["whole"])
            doc.override(s["rate"], value=q(part.base / whole.base * 100, 2))
            _mark(doc, s["rate"])
    _mark(doc, m["sme"], m["micro"])
    what = "授予中小企业合同金额" if target == "sme" else "授予小微企业合同金额"
    return Injection("sum.bounded", f"{what}写作{_w(new)}，超过{'政府采购支出总额' if target == 'sme' else '中小企业合同金额'}"
                                    f"{_w(base.value)}", acceptable=others("sum.bounded"))


def breakdown(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = []
    for b in doc.meta["f_breakdowns"]:
        if b.get("count") and b["total"] in doc.slots:
            cands.append(("count", b))
    if doc.meta.get("f_sme") and doc.meta["f_sme"]["total"] in doc.slots:
        cands.append(("pc", {"total": doc.meta["f_sme"]["total"], "parts": doc.meta["f_sme"]["parts"], "label": "政府采购"}))
    cands = [(k, b) for k, b in cands if _free(doc, b["parts"]) == b["parts"] and _free(doc, [b["total"]])]
    if not cands:
        return None
    kind, b = rng.choice(cands)
    sid = rng.choice(b["parts"])
    p = doc.printed(sid)
    if kind == "count":
        new = p.value + rng.choice([1, 2])
    else:
        new = p.value + _delta(rng, doc, b["total"], 0.05, 0.2)
    doc.override(sid, value=new)
    _mark(doc, sid, *b["parts"], b["total"])
    return Injection("sum.breakdown", f"“{b['label']}”的“其中”所列一项由{_w(p.value, p.dec)}改为{_w(new, p.dec)}，分项合计超过总数",
                     acceptable=others("sum.breakdown"))


def sangong_narr(doc: Doc, rng):
    if not _fiscal(doc) or not doc.meta.get("f_sangong_narr"):
        return None
    m = doc.meta["f_sangong_narr"]
    parts = [s for s in _free(doc, m["parts"]) if s in doc.slots and doc.printed(s).value != 0]
    if not parts:
        return None
    sid = rng.choice(parts)
    old = doc.printed(sid).value
    new = _shift(rng, doc, sid, 0.15, 0.6)
    doc.override(sid, value=new)
    _mark(doc, sid, m["total"])
    return Injection("sum.sangong", f"正文“三公”经费“其中”所列{doc.slots[sid].label}由{_w(old)}改为{_w(new)}，与合计不符",
                     acceptable=others("sum.sangong"))


def basic_narr(doc: Doc, rng):
    if not _fiscal(doc) or not doc.meta.get("f_basic_narr"):
        return None
    m = doc.meta["f_basic_narr"]
    parts = _free(doc, [s for s in m["parts"] if s in doc.slots])
    if not parts or m["total"] not in doc.slots:
        return None
    sid = rng.choice(parts)
    old = doc.printed(sid).value
    new = _shift(rng, doc, sid, 0.04, 0.2)
    doc.override(sid, value=new)
    _mark(doc, sid, m["total"])
    return Injection("sum.basic_breakdown", f"正文基本支出明细{doc.slots[sid].label}由{_w(old)}改为{_w(new)}，明细之和不等于基本支出",
                     acceptable=others("sum.basic_breakdown"))


def placeholder_amount(doc: Doc, rng):
    if not _fiscal(doc):
        return None
    cands = []
    for key in ("f_basic_narr", "f_sangong_narr"):
        m = doc.meta.get(key)
        if m:
            cands += [s for s in m["parts"] if s in doc.slots and doc.slots[s].label]
    cands = _free(doc, cands)
    if not cands:
        return None
    sid = rng.choice(cands)
    token = rng.choice(["××", "XX"])
    doc.override(sid, text=token)
    _mark(doc, sid)
    return Injection("complete.placeholder", f"正文“{doc.slots[sid].label}”金额写作“{token}{doc.slots[sid].unit}”占位符",
                     acceptable=others("complete.placeholder"))


FISCAL_INJECTORS = {
    "table.rows_sum": rows_sum, "table.columns_sum": columns_sum, "table.balance": balance, "table.sangong": sangong_table,
    "table.cross": cross, "xref.narrative_table": narrative_table, "xref.unit_slip": unit_slip,
    "xref.digit_slip": digit_slip, "xref.conflict": conflict, "rate.share": share, "rate.growth": growth,
    "rate.change": change, "rate.completion": completion, "text.comparison": comparison, "text.empty_table": empty_table,
    "text.nil_claim": nil_claim, "text.wrong_year": wrong_year, "complete.placeholder_name": placeholder_name,
    "count.listed": count_listed, "sum.bounded": bounded, "sum.breakdown": breakdown, "sum.sangong": sangong_narr,
    "sum.basic_breakdown": basic_narr, "complete.placeholder": placeholder_amount,
}
assert list(FISCAL_INJECTORS) == FISCAL_CHECKS


def inject(check: str, doc: Doc, rng) -> Optional[Injection]:
    return FISCAL_INJECTORS[check](doc, rng)
