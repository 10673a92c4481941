"""Score the reader on the phrasing cases (eval_sets/phrasing/cases.yaml): short passages in
the phrasing families of real reports (docs/phrasing.md), each labelled with its statements
(value, subject, scope, measure, period, role) and the contradictions it holds.

Half of the cases are `split: tune` (the rules were developed looking at them), half
`split: heldout` (only their metrics are looked at). The two are reported side by side: a
large gap between them says the rules fit the cases rather than the phrasing.

Per split:
- statements: recall of (value, role) and, for subjects the tool models, of the subject; the
  subject precision: of the figures the tool gave a subject, how many have the right one;
- findings: precision and recall of error/warning findings, a gold finding matching a
  reported one of its kind (vocab below) whose numbers all appear in it (as score_real does).
"""
from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from typing import Optional

from .records import Document, Figure, Finding
from .subjects import named_subject
from .vocab import STATEMENT_ROLES

TITLES = {"部门决算": "示例局{year}年度部门决算", "部门预算": "示例局{year}年部门预算", "自评报告": "示例局{year}年度部门整体支出绩效自评报告",
          "自评表": "{year}年度项目支出绩效自评表", "绩效目标表": "{year}年项目绩效目标申报表", "三公说明": "示例局{year}年度“三公”经费支出情况说明"}
# finding kinds of the cases -> the check ids that report them
KIND_CHECKS = {
    "sum": ("sum.",), "share": ("rate.share",), "growth": ("rate.growth",), "change": ("rate.change",),
    "completion": ("rate.completion", "rate.execution"), "comparison_word": ("text.comparison",),
    "conflict": ("xref.conflict", "xref.narrative_table"), "unit_slip": ("xref.unit_slip",), "digit_slip": ("xref.digit_slip",),
    "count_listed": ("count.listed",), "placeholder": ("complete.placeholder",), "wrong_year": ("text.wrong_year",),
    "empty_table_note": ("text.empty_table", "text.nil_claim"), "score_sum": ("score.sum",),
    "grade": ("score.grade", "score.target_missed_full", "score.qualitative_band"),
}
ROLES = set(STATEMENT_ROLES) - {"target"}  # the roles the cases label (targets are the forms')
NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def case_document(case: dict) -> Document:
    title = TITLES.get(case.get("doc_kind") or "", "{year}年度报告").format(year=case.get("year") or "")
    text = "\n".join([title, *(case.get("headings") or []), case["text"]]) + "\n"
    return Document(f"{case['id']}.txt", "txt", text, hashlib.sha256(text.encode()).hexdigest())


def _number_at(text: str, quote: str, value: Decimal, occurrence: int = 1) -> Optional[int]:
    """Offset in `text` of the printed number equal to `value` inside the quote."""
    at = -1
    for _ in range(max(occurrence, 1)):
        at = text.find(quote, at + 1)
        if at < 0:
            return None
    for m in NUMBER.finditer(quote):
        try:
            if Decimal(m.group().replace(",", "")) == value:
                return at + m.start()
        except Exception:
            continue
    return None


def _gold_subject(name: Optional[str]) -> tuple[bool, Optional[str]]:
    """(modelled, key): whether the tool models this kind of subject, and the key it would use."""
    if not name:
        return True, None
    if "/" in name:
        return True, "fn-leaf:" + name.split("/")[-1]
    if name.startswith("fn:"):
        return True, name  # the real labels give codes
    if name in KNOWN_ITEMS:
        return True, SAME_ITEM.get(name, name)
    s = named_subject(name)
    if s is None:
        return False, None
    if s.item.startswith("fn:"):
        return True, "fn-leaf:" + s.name
    return True, SAME_ITEM.get(s.item, s.item)


# names that are the same subject in the tool's model
SAME_ITEM = {"部门整体支出": "支出合计"}
KNOWN_ITEMS = frozenset(item for item, _p, _f in __import__("extractor.vocab", fromlist=["ITEMS"]).ITEMS) | {"总计", "收入合计", "支出合计"}


def _tool_subject(f: Figure, coded: bool = False) -> Optional[str]:
    if f.subject is None or f.confidence == "heading":
        return None
    if f.subject.item.startswith("fn:"):
        leaf = f.subject.item[3:].split("/")[-1]
        if leaf.isdigit():
            return f.subject.item
        return "fn-leaf:" + leaf
    return SAME_ITEM.get(f.subject.item, f.subject.item)



def _numbers(f: Finding) -> list[Decimal]:
    out = [x for x in (f.stated, f.computed) if x is not None]
    for m in NUMBER.finditer(f.message):
        try:
            out.append(Decimal(m.group().replace(",", "")))
        except Exception:
            pass
    return out


def _has(numbers: list[Decimal], want) -> bool:
    w = Decimal(str(want))
    return any(abs(abs(n) - abs(w)) <= Decimal("0.011") for n in numbers)


def _finding_matches(gold: dict, f: Finding) -> bool:
    checks = KIND_CHECKS.get(gold.get("kind"), ())
    if not any(f.check.startswith(c) for c in checks):
        return False
    nums = _numbers(f)
    return all(_has(nums, n) for n in gold.get("numbers") or [])


def score_statements(doc: Document, ext, statements: list[dict]) -> tuple[int, int, list[str], list[str]]:
    """(gold statements whose subject the tool models, those read right — value, role and
    subject —, the ones missed, the figures given a wrong subject) for statement-style gold."""
    by_start = {f.quantity.span.start: f for f in ext.figures}
    gold_n = matched = 0
    missed: list[str] = []
    wrong: list[str] = []
    for g in statements:
        role = g.get("role")
        modelled, want = _gold_subject(g.get("subject"))
        if role not in ROLES or not modelled:
            continue
        gold_n += 1
        at = _number_at(doc.text, g["quote"], Decimal(str(g["value"])), g.get("occurrence", 1))
        f = by_start.get(at) if at is not None else None
        got = _tool_subject(f) if f is not None else None
        if f is not None and _same_role(f.role, role) and got == want:
            matched += 1
        else:
            missed.append(f"{g.get('subject')}={g['value']}（{role}）")
            if got is not None:
                wrong.append(f"{g['quote']}：应为{g.get('subject')}，读作{got}")
    return gold_n, matched, missed, wrong


def _same_role(got: str, want: str) -> bool:
    return got == want or {got, want} == {"level", "count"}


