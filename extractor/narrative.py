"""Rule-based extraction from narrative text: labelled figures, "其中" breakdowns, and
sentence-level claims a check can recompute (a ÷ b × 100% = r, completion and growth rates,
grades).

A figure's label is the text between the previous clause boundary (or previous number) and
the number itself, trimmed of filler. Only labels the synonym table knows take part in
cross-checks; the rest still feed "其中" relations, which only ever compare like units.
"""
from __future__ import annotations

import re
from typing import Iterable, Optional

from . import canon
from .quantity import find_quantities, parse_quantity
from .records import Document, Extraction, Figure, PartOf, Quantity, Span, Statement
from .segment import HEADING_RE

SENTENCE_END = re.compile(r"[。！？!?\n]")
CLAUSE_MARKS = "，,；;：:、。"
YEAR_RE = re.compile(r"((?:19|20)\d{2})\s*年")
CHANGE_WORDS = re.compile(r"比上年|比去年|较上年|较去年|同比|环比|增长|减少|下降|增加|提高|降低|节约|超支|结余")
FORMULA_RE = re.compile(r"÷|/")
COMPLETION_RE = re.compile(r"完成率?(?:为|达|达到)?\s*$")
GROWTH_WORD_RE = re.compile(r"(增长|增加|提高|上升|增幅|下降|减少|降低|降幅)(?:了|幅度|率)?(?:为|达|达到|约)?\s*$")
PREVIOUS_RE = re.compile(r"上年|去年|上一年|同期|上年度|20\d{2}年(?=.*比)|(?:较|比)\s*20\d{2}\s*年")
# "较上年减少120万元" is the change, not last year's amount
CHANGE_AMOUNT_RE = re.compile(r"增长|增加|减少|下降|提高|降低|上升|节约")
# the grade word must follow 为/是/： — "评价结果中有3项…" is not a grade
GRADE_RE = re.compile(r"(?:等级|等次|评价结果|评定结果|评定|评级|结论)(?:为|是|：|:)\s*[“\"「]?(优秀|良好|优|良|中等|中|合格|不合格|差)(?![\u4e00-\u9fff])")


def soft_break(text: str, i: int) -> bool:
    """Whether the line break at `i` only wraps a long line (as PDF text does) rather than
    ending a paragraph or a heading."""
    line_start = text.rfind("\n", 0, i) + 1
    line = text[line_start:i].rstrip()
    nxt = text[i + 1 : text.find("\n", i + 1) if text.find("\n", i + 1) != -1 else len(text)]
    if len(line) < 25 or not nxt.strip() or line[-1] in "。！？!?；;：:" or HEADING_RE.match(nxt):
        return False
    return True


def sentences(text: str, span: Span) -> Iterable[Span]:
    start = span.start
    for m in SENTENCE_END.finditer(text, span.start, span.end):
        if m.group() == "\n" and soft_break(text, m.start()):
            continue
        if m.start() > start:
            yield Span(start, m.start())
        start = m.end()
    if start < span.end:
        yield Span(start, span.end)


def _label_before(text: str, boundary: int, number_start: int) -> tuple[str, int]:
    """The raw label between `boundary` and the number, cut at the last clause mark."""
    raw = text[boundary:number_start]
    cut = max(raw.rfind(ch) for ch in CLAUSE_MARKS)
    nl = raw.rfind("\n")
    while nl > cut and soft_break(text, boundary + nl):
        nl = raw.rfind("\n", 0, nl)
    cut = max(cut, nl)
    if cut >= 0:
        raw_start = boundary + cut + 1
    else:
        raw_start = boundary
    return text[raw_start:number_start], raw_start


def _figures_in_sentence(doc: Document, sent: Span) -> list[Figure]:
    text = doc.text
    figures: list[Figure] = []
    boundary = sent.start
    subject: Optional[str] = None
    for q in find_quantities(text[sent.start : sent.end], sent.start):
        raw, raw_start = _label_before(text, boundary, q.span.start)
        boundary = q.span.end
        label = canon.trim_label(raw)
        year = YEAR_RE.search(raw)
        canonical = canon.canonical(label) if label else None
        qualifier = canon.qualifier_of(label) if label and q.unit == "元" else None
        if qualifier is None and PREVIOUS_RE.search(canon.normalise(raw)):
            qualifier = "上年"  # "上年自评得分88分" is last year's score, whatever its unit
        if canonical is None and qualifier and subject and not canon.without_qualifiers(label):
            # "收入年初预算数为…，调整预算数为…": the second label inherits the subject
            canonical = subject
            label = f"{subject}{label}"
        if CHANGE_WORDS.search(canon.normalise(raw)) or qualifier == "上年":
            canonical = None  # a change or a prior-year amount is not the figure itself
        if canonical and q.unit in ("元", None):
            subject = canonical
        start = raw_start + (raw.find(label) if label and label in raw else 0)
        figures.append(
            Figure(
                label=label,
                quantity=q,
                span=Span(min(start, q.span.start), q.span.end),
                canonical=canonical,
                qualifier=qualifier,
                source="rules",
                context="narrative",
                period=year.group(1) if year else None,
            )
        )
    return figures


def _same_kind(a: Quantity, b: Quantity) -> bool:
    return a.unit == b.unit and a.unit is not None and a.unit != "%"


def _breakdowns(doc: Document, sent: Span, figures: list[Figure], previous: list[Figure]) -> list[PartOf]:
    """"X，其中：A a，B b". A "（其中：…）" in parentheses is a breakdown of the figure just
    before it, and its figures are not parts of an outer list. A sentence that opens with
    "其中" breaks down the last figure of the sentence before it (`previous`)."""
    text = doc.text
    relations = []
    for m in re.finditer(r"其中", text[sent.start : sent.end]):
        at = sent.start + m.start()
        nested = text[max(sent.start, at - 1) : at] in ("（", "(")
        if nested:
            close = min((i for i in (text.find("）", at, sent.end), text.find(")", at, sent.end)) if i != -1), default=sent.end)
            stop = close
        else:
            nxt = text.find("其中", at + 2, sent.end)
            stop = nxt if nxt != -1 else sent.end
        inner = _parenthesised(text, at, stop)
        parts = [
            f for f in figures
            if at < f.quantity.span.start < stop and f.label and f.quantity.op is None
            and not CHANGE_WORDS.search(f.label) and not any(a <= f.quantity.span.start < b for a, b in inner)
        ]
        if not parts:
            continue
        unit = parts[0].quantity.unit
        parts = [p for p in parts if _same_kind(p.quantity, parts[0].quantity)]
        before = [f for f in figures if f.quantity.span.end <= at] or previous
        total = next((f for f in reversed(before) if f.quantity.unit == unit), None)
        if total is None or not _same_kind(total.quantity, parts[0].quantity) or unit is None:
            continue
        check, exhaustive = "sum.breakdown", False
        part_names = {p.canonical for p in parts}
        if total.canonical in canon.IDENTITIES and None not in part_names:
            identity_check, breakdowns = canon.IDENTITIES[total.canonical]
            if any(part_names == set(b) for b in breakdowns):
                check, exhaustive = identity_check, True
            elif any(part_names < set(b) for b in breakdowns):
                check = identity_check
        relations.append(PartOf(total, parts, exhaustive, check, Span(total.span.start, parts[-1].span.end)))
    return relations


def _parenthesised(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    """Spans inside （…） between start and stop: asides, not list items."""
    spans, depth, open_at = [], 0, 0
    for i in range(start, stop):
        ch = text[i]
        if ch in "（(":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch in "）)" and depth:
            depth -= 1
            if depth == 0:
                spans.append((open_at, i))
    return spans


def _formula(doc: Document, sent: Span, quantities: list[Quantity]) -> list[Statement]:
    """"（A元÷B元）×100%=R%": the ratio a report works out in words."""
    out = []
    text = doc.text
    for i, q in enumerate(quantities[:-1]):
        between = text[q.span.end : quantities[i + 1].span.start]
        if not re.fullmatch(r"\s*[)）]?\s*[÷/]\s*[(（]?\s*", between):
            continue
        num, den = q, quantities[i + 1]
        for r in quantities[i + 2 : i + 4]:
            gap = text[den.span.end : r.span.start]
            if r.unit == "%" and re.fullmatch(r"\s*[)）]?\s*[×xX*]\s*100\s*[%％]\s*[)）]?\s*[=＝]\s*", gap):
                out.append(Statement("formula", {"numerator": num, "denominator": den, "rate": r}, Span(num.span.start, r.span.end)))
                break
    return out


def _growth_operands(text: str, sent: Span, earlier: list[Figure], before: list[Figure]) -> tuple[Optional[Figure], Optional[Figure]]:
    """Last year's figure and this year's for a growth rate. This year's may stand in an
    earlier sentence of the paragraph, named by the subject of the comparison:
    "部门整体支出7296.58万元。部门整体支出较上年的6080.54万元增长20%"."""
    prev = next(
        (f for f in earlier if PREVIOUS_RE.search(text[max(sent.start, f.span.start - 10) : f.span.start] + f.label)
         and not CHANGE_AMOUNT_RE.search(f.label)),
        None,
    )
    if prev is None:
        return None, None
    unit = prev.quantity.unit
    cur = next((f for f in earlier if f is not prev and f.quantity.unit == unit), None)
    subject = canon.canonical(canon.trim_label(re.split(r"较|比|同比|与", prev.label)[0]))
    if cur is None and subject:
        cur = next((f for f in reversed(before) if f.canonical == subject and f.qualifier != "上年"
                    and f.quantity.unit == unit and f.quantity.op is None), None)
    return prev, cur


def _completion_and_growth(doc: Document, sent: Span, figures: list[Figure], before: list[Figure] = ()) -> list[Statement]:
    """`before`: the figures of the paragraph's earlier sentences."""
    out = []
    text = doc.text
    for k, fig in enumerate(figures):
        q = fig.quantity
        if q.unit != "%":
            continue
        lead = text[max(sent.start, q.span.start - 12) : q.span.start]
        earlier = [f for f in figures[:k] if f.quantity.unit not in ("%", None)]
        if COMPLETION_RE.search(lead) and earlier:
            actual = next((f for f in reversed(earlier) if re.search(r"实际|完成", f.label + text[f.span.start - 6 : f.span.start])), None)
            target = next(
                (f for f in earlier if f is not actual and re.search(r"计划|目标|预期|任务|指标|下达", f.label + text[max(sent.start, f.span.start - 8) : f.span.start])),
                None,
            )
            if actual and target and actual.quantity.unit == target.quantity.unit:
                out.append(Statement("completion", {"target": target.quantity, "actual": actual.quantity, "rate": q}, Span(target.span.start, q.span.end)))
        word = GROWTH_WORD_RE.search(lead)
        if word and earlier:
            prev, cur = _growth_operands(text, sent, earlier, before)
            if prev and cur:
                out.append(
                    Statement("growth", {"previous": prev.quantity, "current": cur.quantity, "rate": q}, Span(min(prev.span.start, cur.span.start), q.span.end), {"direction": word.group(1)})
                )
    return out


def _grades(doc: Document, sent: Span, figures: list[Figure]) -> list[Statement]:
    out = []
    for m in GRADE_RE.finditer(doc.text, sent.start, sent.end):
        # the overall score, never a category's ("产出指标得分50分"): else the check uses the
        # document's single self-score
        scores = [f for f in figures if f.quantity.unit == "分" and f.canonical in ("自评得分", None)]
        named = [f for f in scores if f.canonical == "自评得分"]
        score = (named or scores or [None])[0]
        score = score.quantity if score else None
        values = {"score": score} if score else {}
        out.append(Statement("grade", values, Span(sent.start + (m.start() - sent.start), m.end()), {"grade": m.group(1)}))
    return out


def goal_statements(target_text: str, target_span: Span, actual_text: str, actual_span: Span) -> list[Statement]:
    """年度总体目标 cells: "全年完成288户…" vs "实际完成324户，完成112.5%"."""
    targets = [q for q in find_quantities(target_text, target_span.start) if q.unit not in ("%", None)]
    actuals = find_quantities(actual_text, actual_span.start)
    rate = next((q for q in actuals if q.unit == "%" and COMPLETION_RE.search(actual_text[: q.span.start - actual_span.start][-8:])), None)
    if not targets or rate is None:
        return []
    target = targets[0]
    actual = next((q for q in actuals if q.unit == target.unit), None)
    if actual is None:
        return []
    return [Statement("completion", {"target": target, "actual": actual, "rate": rate}, Span(target.span.start, rate.span.end))]


def extract_narrative(doc: Document, narrative: list[Span]) -> Extraction:
    result = Extraction()
    for block in narrative:
        previous: list[Figure] = []
        block_figures: list[Figure] = []
        for sent in sentences(doc.text, block):
            figures = _figures_in_sentence(doc, sent)
            result.statements.extend(_grades(doc, sent, figures))
            # "…支出X万元，主要用于…。其中：…" continues the paragraph, not a new one
            same_paragraph = previous and "\n" not in doc.text[previous[-1].span.end : sent.start].strip(" \t")
            result.relations.extend(_breakdowns(doc, sent, figures, previous if same_paragraph else []))
            if not figures:
                previous = []
                continue
            previous = figures
            result.figures.extend(figures)
            result.statements.extend(_formula(doc, sent, [f.quantity for f in figures]))
            result.statements.extend(_completion_and_growth(doc, sent, figures, block_figures))
            block_figures.extend(figures)
    return result


__all__ = ["extract_narrative", "goal_statements", "sentences", "parse_quantity"]
