"""Grounding: find a model's quote in the chunk it was given, and its value in that quote.

A quote is found exactly first; failing that, on folded copies of quote and chunk — whitespace
dropped, each character NFKC-normalised on its own ("，"→"," "１"→"1" "（"→"("), curly quotes
straightened — with a map from every folded character back to its original offset. The stored
text is never normalised; offsets always index the original chunk (see DESIGN pitfalls).

The value must be a number printed in the matched source text: it is compared as a Decimal
with what `find_quantities` reads there, so "1023.89" matches "1,023.89万元", and the unit the
model gives must agree with the unit and scale printed there (万元 is not 元).
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import lru_cache
from typing import Optional

from ..quantity import find_quantities, moved, parse_quantity, to_decimal
from ..records import Quantity, Span

MAX_QUOTE_CHARS = 240
_EXTRA_FOLD = {"“": '"', "”": '"', "‘": "'", "’": "'", "「": '"', "」": '"', "—": "-", "–": "-", "－": "-", "～": "~", "〜": "~"}


class GroundingError(ValueError):
    """A quote, value, unit or label that is not in the source. The message goes back to the
    model in the re-ask, so it says what to fix, in Chinese."""


@dataclass(frozen=True)
class Match:
    start: int  # offsets into the source the quote was searched in
    end: int
    status: str  # "exact" | "fuzzy"

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


@dataclass(frozen=True)
class Folded:
    text: str
    index: tuple[int, ...]  # folded position -> original position


@lru_cache(maxsize=4096)
def fold(text: str) -> Folded:
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        if ch.isspace():
            continue
        norm = _EXTRA_FOLD.get(ch) or unicodedata.normalize("NFKC", ch)
        for c in norm:
            if c.isspace():
                continue
            out.append(c.lower())
            index.append(i)
    return Folded("".join(out), tuple(index))


def find_all(quote: str, source: str, breaks: tuple[int, ...] = ()) -> list[Match]:
    """Every place `quote` stands in `source`: exact matches if there are any, else fuzzy ones.
    A place that covers one of `breaks` (where a chunk joins two pieces of the document that are
    not adjacent) is not in the document, and does not count."""
    if not breaks:
        return _find_all(quote, source)
    return [m for m in _find_all(quote, source) if not _covers(breaks, m.start, m.end)]


def _covers(breaks: tuple[int, ...], start: int, end: int) -> bool:
    """Whether one of the ascending `breaks` lies in [start, end) (speed only: by bisection)."""
    i = bisect_left(breaks, start)
    return i < len(breaks) and breaks[i] < end


def _find_all(quote: str, source: str) -> list[Match]:
    if not quote:
        return []
    exact = []
    at = source.find(quote)
    while at != -1:
        exact.append(Match(at, at + len(quote), "exact"))
        at = source.find(quote, at + 1)
    if exact:
        return exact
    fq, fs = fold(quote), fold(source)
    if not fq.text:
        return []
    fuzzy = []
    at = fs.text.find(fq.text)
    while at != -1:
        last = at + len(fq.text) - 1
        fuzzy.append(Match(fs.index[at], fs.index[last] + 1, "fuzzy"))
        at = fs.text.find(fq.text, at + 1)
    return fuzzy


def contains(haystack: str, needle: str) -> bool:
    return bool(needle) and (needle in haystack or fold(needle).text in fold(haystack).text)


def _parse_value(value: str) -> Decimal:
    text = value.strip()
    try:
        return to_decimal(text)[0]
    except ValueError:
        pass
    q = parse_quantity(text)
    if q is None:
        raise GroundingError(f"value「{value}」不是一个数字：请照抄原文中的数字本身，如“1,023.89”“95”")
    return q.value


_UNIT_ALIASES = {"％": "%", "百分比": "%"}


def _unit_of(unit: Optional[str]) -> Optional[tuple[Optional[str], Optional[str]]]:
    """(base unit, scale) of a unit as printed ("万元" -> ("元", "万")), or None when the unit
    is empty or one the quantity parser does not know (then it is not compared)."""
    if not unit or not unit.strip():
        return None
    u = _UNIT_ALIASES.get(unit.strip(), unit.strip())
    q = parse_quantity("1" + u)
    if q is None or q.text != "1" + u:
        return None
    return (q.unit, q.scale)


_NUMBER = re.compile(r"[-+]?(?:[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+|[0-9０-９]+)(?:[.．][0-9０-９]+)?")


def _bare_numbers(text: str) -> list[tuple[Decimal, int, int]]:
    """Every Arabic numeral in the text with its offsets, including the bare ones
    `find_quantities` leaves out ("得分95")."""
    out = []
    for m in _NUMBER.finditer(text):
        if m.start() and (text[m.start() - 1].isdigit() or text[m.start() - 1] in ".．"):
            continue
        try:
            out.append((to_decimal(m.group())[0], m.start(), m.end()))
        except ValueError:
            continue
    return out


# Marks that end a clause: a label and its value stand between two of them. "：" and "、" do
# not ("基本支出：623.89万元", "基本支出、项目支出分别为623.89万元、400万元").
CLAUSE_ENDS = frozenset("，,；;。！？!?\n")
# A clause that only names a topic lends its label to the next clause: "在基本支出方面，
# 全年实际支出653.89万元". "与基本支出相比，培训费支出多了300万元" names no topic.
TOPIC = re.compile(r"\s*方面[，,]")


def paired(label_matches: list[Match], start: int, text: str) -> bool:
    """A number at `start` belongs to the label when it follows one of the label's places in
    `text` within the same clause, or within the clause right after "label方面，"."""
    for m in label_matches:
        between = text[m.end : start]
        if m.end > start:
            continue
        if not CLAUSE_ENDS.intersection(between):
            return True
        topic = TOPIC.match(between)
        if topic and not CLAUSE_ENDS.intersection(between[topic.end() :]):
            return True
    return False


def locate_value(value: str, unit: Optional[str], text: str, label: Optional[str] = None) -> Quantity:
    """The quantity in `text` (source text, offsets relative to it) that the model's value and
    unit name. With a `label`, only a number that follows the label within its clause counts:
    "与基本支出相比，培训费支出多了300万元" holds 基本支出 and 300 but does not pair them.
    Raises GroundingError with a message for the re-ask."""
    wanted = _parse_value(value)
    want_unit = _unit_of(unit)
    found = [q for q in find_quantities(text) if q.value == wanted]
    bare = [(v, s, e) for v, s, e in _bare_numbers(text) if v == wanted]
    if label and (found or bare):
        labels = find_all(label, text)
        found = [q for q in found if paired(labels, q.span.start, text)]
        bare = [b for b in bare if paired(labels, b[1], text)]
        if not found and not bare:
            raise GroundingError(
                f"label「{label}」与 value「{value}」在引文中不相连：value 须是引文里 label 之后、同一分句之内的数字"
                f"（中间不隔“，；。”）。请检查这个数字是否真是「{label}」的数值，不是就换成正确的 label"
            )
    if found:
        if want_unit is not None:
            same = [q for q in found if (q.unit, q.scale) == want_unit]
            if not same:
                printed = "、".join(q.text for q in found)
                raise GroundingError(
                    f"unit「{unit}」与原文不符：引文中该数字写作「{printed}」。请按原文照抄单位（万元就是万元，不要换算）"
                )
            found = same
        return found[0]
    if bare:
        v, s, e = bare[0]
        if want_unit is not None:
            tail = text[e:].lstrip(" ")
            if not tail.startswith(unit.strip()):
                raise GroundingError(f"unit「{unit}」不在引文中该数字之后：原文没有写单位时 unit 填空字符串")
        _, decimals = to_decimal(text[s:e])
        return Quantity(wanted, None, None, None, decimals, text[s:e], Span(s, e))
    raise GroundingError(
        f"value「{value}」不在引文「{text}」中：只能照抄引文里印出的数字，不得计算、换算或推断"
    )


@dataclass(frozen=True)
class Grounded:
    """One figure item checked against its chunk: where its quote stands, and its quantity
    (offsets relative to the chunk)."""

    matches: tuple[Match, ...]
    quantities: tuple[Quantity, ...]  # the value at each match, offsets relative to the source

    @property
    def quantity(self) -> Quantity:
        return self.quantities[0]


def ground_figure(quote: str, value: str, unit: Optional[str], label: str, source: str, breaks: tuple[int, ...] = ()) -> Grounded:
    """Check one figure item against its chunk. Only the places where the quote stands *and*
    holds the label and the value count as matches; none raises GroundingError."""
    if not quote or not quote.strip():
        raise GroundingError("quote 为空：请逐字复制包含该数字的原文片段")
    if len(quote) > MAX_QUOTE_CHARS:
        raise GroundingError(f"quote 过长（{len(quote)} 字）：只复制包含该数字的那一个分句")
    matches = find_all(quote, source, breaks)
    if not matches:
        raise GroundingError(
            f"quote「{quote}」在原文中找不到：必须从原文逐字复制，不得改写、拼接或补字"
        )
    if not label or not label.strip():
        raise GroundingError(f"label 为空：请填写引文「{quote}」中该数字所指的名称")
    good: list[Match] = []
    quantities: list[Quantity] = []
    first_error: Optional[GroundingError] = None
    # the places of an exact quote read the same text: it is read once (speed only, issue 14)
    read: dict[str, Quantity | GroundingError] = {}
    for m in matches:
        slice_ = source[m.start : m.end]
        q = read.get(slice_)
        if q is None:
            try:
                if not contains(slice_, label.strip()):
                    raise GroundingError(f"label「{label}」不在引文「{quote}」中：label 须逐字取自引文")
                q = locate_value(value, unit, slice_, label.strip())
            except GroundingError as exc:
                q = exc
            read[slice_] = q
        if isinstance(q, GroundingError):
            first_error = first_error or q
            continue
        good.append(m)
        quantities.append(moved(q, q.span.shift(m.start)))
    if not good:
        assert first_error is not None
        raise first_error
    return Grounded(tuple(good), tuple(quantities))


def is_cut(match: Match, quantity: Quantity, source: str) -> bool:
    """True when the quote ends inside a longer printed quantity: "城市380元" standing in
    "城市380元/人·月" is not that figure. `quantity` has offsets relative to `source`."""
    window = source[match.start : min(len(source), match.end + 16)]
    start = quantity.span.start - match.start
    return any(q.span.start == start and q.span.end > quantity.span.end - match.start for q in find_quantities(window))


__all__ = ["GroundingError", "Match", "find_all", "fold", "contains", "locate_value", "paired", "ground_figure", "is_cut"]
