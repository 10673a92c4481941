"""Canonical labels: one name per figure however a department words it.

A label is first trimmed of filler (years, "我局", "共计", "为"), then matched against the
vocabulary (vocab.ITEMS for money, vocab.SCORE_NAMES for scores and rates). Labels outside it
stay free text: they still take part in "其中" relations but never in cross-checks, because two
free labels that look alike often are not the same figure. (A bare "支出" names nothing: the
department's total has its own words.)
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from . import vocab
from .text import fold

_COMPILED = [(name, re.compile(rf"(?:{pat})$")) for name, pat, _flow in vocab.ITEMS] + [
    (name, re.compile(rf"(?:{pat})$")) for name, pat in vocab.SCORE_NAMES
]

# Which complete breakdowns exist, and the check that judges each (from the vocabulary).
IDENTITIES: dict[str, tuple[str, list[frozenset[str]]]] = {
    total: (check, vocab.FULL_BREAKDOWNS[total]) for total, check in vocab.IDENTITY_CHECKS.items() if total in vocab.FULL_BREAKDOWNS
}

# budget measures and period words ("当年财政拨付" keeps 拨付: it names the row)
_MEASURE_RES = [re.compile(p) for m, p in vocab.MEASURES if m in ("年初预算", "调整预算", "决算", "预算")] + [
    re.compile(vocab.PREVIOUS_YEAR)]

_FILLER_HEAD = re.compile(
    r"^(?:[\d０-９]{4}年度?|全年度?|本年度?|当年|年度|本项目|该项目|单位|"
    r"(?:我|本|该)(?:局|委|办|厅|院|会|处|室|单位|部门|中心|站|所|校|馆|队|系统|机关)|"
    r"共计|合计|总计|累计|共|全局|其中|(?:主要|具体)?包括|一是|二是|三是|四是|[:：，,、；;])+"
)
_FILLER_TAIL = re.compile(r"(?:为|是|达到|达|计|共计|合计|总计|累计|共|约|[:：，,、=＝])+$")

normalise = fold  # the matching copy of a label (text.fold)


@lru_cache(maxsize=8192)  # speed only: read once per lead text, as subjects.read_lead
def trim_label(raw: str) -> str:
    """Drop filler around a label as written: "2024年度我局部门整体支出" -> "部门整体支出"."""
    label = raw.replace("\n", "").strip(" \t\u3000，,、；;：:（(")
    label = _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", label))
    return label.strip(" \t\u3000")


def without_qualifiers(label: str) -> str:
    """The matching copy of a label with its measure and period words removed: "调整预算数" -> ""."""
    bare = fold(label)
    for pattern in _MEASURE_RES:
        bare = pattern.sub("", bare)
    return bare


@lru_cache(maxsize=8192)
def canonical(label: str) -> Optional[str]:
    """Canonical name for a trimmed label, ignoring a measure around it."""
    whole = fold(label)
    bare = without_qualifiers(label)
    # "预算执行情况得分" is a name in itself; "基本支出决算数" is 基本支出 qualified by 决算
    for norm in (whole, _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", bare))):
        if not norm:
            continue
        for name, pattern in _COMPILED:
            if pattern.match(norm):
                return name
    return None
