"""Cells a self-evaluation must fill, placeholders left in, and percentages above 100 where
that cannot happen (满意度, 合格率 …)."""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from .. import vocab
from ..records import Finding
from . import Context, check, fmt

CAPPED_PERCENT = re.compile(vocab.CAPPED_PERCENT)
HUNDRED = Decimal(100)


# a 绩效目标表 (and a budget's target tables) has no actuals by nature: a blank 实际完成值 there is
# no finding
@check("complete.blank", "必填单元格空白", severity="warning", kinds=("自评报告", "自评表", "部门决算"))
def blank(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        scored_any = any(r.score is not None for r in sheet.indicators)
        for r in sheet.indicators:
            if r.weight is None or not r.name:
                continue
            if r.score is None and scored_any and "score" in r.cell_spans:
                continue  # a non-numeric score is a placeholder, reported below
            if r.score is None and scored_any and not r.short:
                yield ctx.finding("complete.blank", f"{r.name}：有分值{fmt(r.weight.value)}分，但得分空白", None, None,
                                  [(r.name_span or r.row_span, "stated")])
            if not r.actual_text.strip() and r.target_text.strip():
                yield ctx.finding("complete.blank", f"{r.name}：实际完成值空白", None, None, [(r.name_span or r.row_span, "stated")])
        for row in sheet.budget_rows:
            v = row.values
            if row.is_part or "score" in v or not ({"weight", "rate"} <= v.keys() or sheet.budget_points and "rate" in v):
                continue
            if "score" in row.blanks and (sheet.budget_score is None):
                weight = v.get("weight") or sheet.budget_points
                yield ctx.finding("complete.blank", f"{row.label}：执行率{fmt(v['rate'].value)}%、分值{fmt(weight.value)}分已填，但执行率得分空白",
                                  None, None, [(row.label_span or row.row_span, "stated"), (v["rate"].span, "basis")])


# A target is checked as a target in every kind of document. In a target table (绩效目标表, a
# budget's 项目绩效目标表) the target is all a row says, so a blank one is a warning; in a
# self-evaluation the row still gives its actual and score, and the gap is a note.
TARGET_TABLE_KINDS = ("绩效目标表", "部门预算")


@check("target.blank", "绩效指标的指标值（目标）空白", severity="warning")
def target_blank(ctx: Context) -> Iterable[Finding]:
    severity = "warning" if ctx.ext.kind in TARGET_TABLE_KINDS else "info"
    for sheet in ctx.ext.sheets:
        targets_given = sum(1 for r in sheet.indicators if r.target_text.strip())
        if targets_given < 2:
            continue  # a sheet without a target column is not a target table
        for r in sheet.indicators:
            if r.name and not r.target_text.strip() and "target" not in r.placeholders:
                where = f"{r.level2 or r.level1 or ''}“{r.name}”" if (r.level2 or r.level1) else f"“{r.name}”"
                yield ctx.finding("target.blank", f"{where}的指标值空白，目标未设定", None, None, [(r.name_span or r.row_span, "stated")],
                                  severity=severity)


CEILING_OPS = ("≤", "<")
FLOOR_OPS = ("≥", ">")
COST_NAME = re.compile(vocab.COST_NAMES)


@check("target.operator", "指标值的方向或范围不合常理", severity="warning")
def target_operator(ctx: Context) -> Iterable[Finding]:
    """满意度≤90% sets a ceiling on a rate that should be high; 合格率≥105% cannot be met; a cost
    with ≥ sets a floor on spending (info: some offices write 成本 as a budget to reach)."""
    for sheet in ctx.ext.sheets:
        for r in sheet.indicators:
            q = r.target
            if q is None or not r.name:
                continue
            cell = r.cell_spans.get("target", q.span)  # the whole cell, operator included
            capped = q.unit == "%" and CAPPED_PERCENT.search(r.name)
            if capped and q.op in CEILING_OPS:
                yield ctx.finding("target.operator", f"{r.name}的指标值写作{q.text}：这类比率应设下限（≥），不应设上限", None, None,
                                  [(cell, "stated")])
            elif capped and q.value > HUNDRED:
                yield ctx.finding("target.operator", f"{r.name}的指标值{q.text}超过100%，不可能达到", q.value, HUNDRED, [(cell, "stated")], None, "%", 2)
            elif q.op in FLOOR_OPS and q.unit == "元" and (r.level1 == "成本指标" or COST_NAME.search(r.name)):
                yield ctx.finding("target.operator", f"{r.name}为成本，指标值却写作{q.text}（设下限），通常应为≤", None, None,
                                  [(cell, "stated")], severity="info")


@check("complete.placeholder", "数字位置仍是占位符（XX、××）", severity="warning")
def placeholder(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        for r in sheet.indicators:
            for role, text in r.placeholders.items():
                yield ctx.finding("complete.placeholder", f"{r.name}：{text}为占位符，未填实际数字", None, None, [(r.cell_spans[role], "stated")])
    for st in ctx.ext.statements:
        if st.kind == "placeholder_number":
            if st.words.get("unchosen"):
                more = f"（本段共{st.words['unchosen']}处）" if st.words["unchosen"] != "1" else ""
                msg = f"正文“{st.words.get('label', '')}{st.words['text']}”保留了模板的两种写法，未写明增减方向{more}"
            elif st.words.get("missing"):
                msg = f"正文“{st.words.get('label', '')}{st.words['text']}”缺少数字，未填实际数字"
            else:
                where = f"{st.words['label']}：" if st.words.get("label") else ""
                msg = f"{where}正文“{st.words['text']}”处为占位符，未填实际数字"
            yield ctx.finding("complete.placeholder", msg, None, None, [(st.span, "stated")])


def _misread(q) -> bool:
    """A rate far over 100% that text extraction more likely made than the author: four digits
    or more (cells run together, "验收合格率20100%100%" for weight 20 and 100%), or a 2 standing
    where an OCR'd "≥" was ("290%" for ≥90%)."""
    digits = str(int(q.value))
    return q.value >= 1000 or (len(digits) == 3 and digits[0] == "2" and int(digits[1:]) >= 10)


def _range_finding(ctx: Context, name: str, q, span) -> Finding:
    if _misread(q):
        msg = f"{name}为{q.text}，超过100%；疑为表格数字粘连或“≥”识读为“2”，请核对原件"
        return ctx.finding("complete.percent_range", msg, q.value, HUNDRED, [(span, "stated")], None, "%", 2, severity="info")
    return ctx.finding("complete.percent_range", f"{name}为{q.text}，该比率不可能超过100%", q.value, HUNDRED, [(span, "stated")], None, "%", 2)


@check("complete.percent_range", "不可能超过100%的比率超过100%")
def percent_range(ctx: Context) -> Iterable[Finding]:
    for sheet in ctx.ext.sheets:
        for r in sheet.indicators:
            q = r.actual
            if q is not None and q.unit == "%" and q.value > HUNDRED and CAPPED_PERCENT.search(r.name):
                yield _range_finding(ctx, f"{r.name}：实际完成值", q, q.span)
    for f in ctx.ext.figures:
        q = f.quantity
        # "满意度达到105%" reads as ≥105%: still impossible; only a ceiling ("≤") is fine
        if f.context == "narrative" and q.unit == "%" and q.value > HUNDRED and q.op not in ("≤", "<") and CAPPED_PERCENT.search(f.label[-8:]):
            yield _range_finding(ctx, f.label, q, f.span)
