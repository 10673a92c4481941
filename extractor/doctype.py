"""What kind of document this is, and which year it reports on.

The kind decides which checks apply (a 绩效目标表 has no actuals by nature; a 部门预算's bare
amounts are budgets, a 部门决算's are actuals). It is read from the title lines at the top of
the document, else from the titles of its tables.
"""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from . import vocab
from .records import Document
from .text import COMMENT_LINE, fold

KIND_RES = [(kind, re.compile(p)) for kind, p in vocab.DOC_KINDS]
YEAR_RE = re.compile(vocab.YEAR)
STAMP_RE = re.compile(vocab.DATE_STAMP)
STAMP_LINE = re.compile(r"(?m)^[ \t\u3000]*(?:" + vocab.DATE_STAMP + r").{0,30}$")
GOVERNMENT_BODY = re.compile(vocab.GOVERNMENT_FINANCE_BODY)


def _title_region(doc: Document) -> str:
    """The title lines at the top: short lines that are not sentences."""
    # a page saved from a browser may open with a comment ("<!-- saved from url=… -->"): no title
    lines = []
    for ln in doc.text[:2000].split("\n"):  # speed only: the first four such lines, not all of them
        # (a publication stamp is no title: its year is when the page came out)
        if ln.strip() and not COMMENT_LINE.match(ln) and not STAMP_RE.search(fold(ln)):
            lines.append(ln)
            if len(lines) == 4:
                break
    title = []
    for ln in lines:
        if "。" in ln or "，" in ln or len(ln.strip()) > 40:
            break
        title.append(ln)
    return fold("".join(title))


def document_kind(doc: Document) -> Optional[str]:
    title = _title_region(doc)
    for kind, pattern in KIND_RES:
        if pattern.search(title):
            return kind
    body = fold(doc.text[:200000])
    if GOVERNMENT_BODY.search(body[:5000]):
        return vocab.GOVERNMENT_FINANCE  # a whole area's finances, opening with its revenue
    if re.search(r"决算(总)?表", body):
        return "部门决算"
    if re.search(r"预算(总)?表", body) and "自评" not in body:
        return "部门预算"
    if "自评" in body:
        return "自评报告"
    return None


def document_year(doc: Document) -> Optional[str]:
    """The year in the title, else the year the text names most often (a tie goes to the
    later year: reports look back, not ahead)."""
    m = YEAR_RE.search(_title_region(doc))
    if m:
        return m.group(1)
    # a short stamp line ("公开时间：2025年9月16日") dates the page, not the report: no vote
    years = Counter(YEAR_RE.findall(STAMP_LINE.sub("", doc.text)))
    if not years:
        return None
    return max(years, key=lambda y: (years[y], y))
