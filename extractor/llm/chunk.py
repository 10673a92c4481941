"""Cut a document's narrative into requests for the model: by section, under a token budget,
offsets preserved.

Only narrative spans (text outside every table, from `segment`) ever reach this module. Within
them a line is sent when it holds a number that is not only a year, a date, a section number or
a masked phone number, and a heading line ("一、…", "（二）…") is sent when a numbered line
follows it, since the heading says what those numbers are about. Everything else stays home.

The kept lines are packed, whole sections first, into as few chunks as the budget allows, of
even size (so a stray line joins its neighbour instead of becoming a request of its own). A
section over the budget is cut at lines, then sentences (。！？), then ；, then ，、：, and only
as a last resort inside a clause. The budget is counted with the token estimate (tokens.py) so
that chunk boundaries, and the cache keys made from them, are the same on every machine.

A chunk may join pieces of the document that are not adjacent (a table stood between them): its
text is the pieces joined by a line break, `pieces` maps each back to the document, and
`breaks` are the joins, which no quote may cross.
"""
from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cached_property
from itertools import accumulate
from typing import Optional

from .. import vocab
from ..quantity import find_quantities
from ..records import Span
from ..text import heading_level
from .tokens import char_weights

_LEVELS = [re.compile(r"\n"), re.compile(r"[。！？!?]"), re.compile(r"[；;]"), re.compile(r"[，,、：:]")]
_DIGIT = re.compile(r"[0-9０-９]")
# Years, dates, section numbers and masked phone numbers ("139*******16") carry no figure:
# a line with nothing else is not sent.
_NOT_FIGURES = re.compile(
    r"[0-9]*[*＊]{2,}[0-9]*|" + vocab.BARE_YEAR + r"\s*年度?|[0-9]{1,2}\s*月(?:[0-9]{1,2}\s*日)?|" + vocab.BARE_YEAR + r"[-/.][0-9]{1,2}(?:[-/.][0-9]{1,2})?"
    r"|(?m:^[ \t\u3000]*[（(]?[0-9]{1,2}[）)]?[、.．])"
)
HEADING_MAX_CHARS = 60
JOIN = "\n"


@dataclass(frozen=True)
class Chunk:
    text: str  # the pieces' text joined by JOIN
    pieces: tuple[tuple[int, int, int], ...]  # (position in text, document start, document end)

    @classmethod
    def of(cls, doc_text: str, spans: list[tuple[int, int]]) -> "Chunk":
        pieces, parts, pos = [], [], 0
        for s, e in spans:
            if parts:
                pos += len(JOIN)
            pieces.append((pos, s, e))
            parts.append(doc_text[s:e])
            pos += e - s
        return cls(JOIN.join(parts), tuple(pieces))

    @property
    def start(self) -> int:
        return self.pieces[0][1]

    @property
    def end(self) -> int:
        return self.pieces[-1][2]

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)

    @cached_property  # asked for every quote grounded in the chunk
    def breaks(self) -> tuple[int, ...]:
        """Positions in `text` of the joins between pieces, ascending."""
        return tuple(pos - len(JOIN) for pos, _s, _e in self.pieces[1:])

    @cached_property
    def _positions(self) -> list[int]:
        return [pos for pos, _s, _e in self.pieces]

    def to_doc(self, start: int, end: int) -> Optional[Span]:
        """The document span of text[start:end], or None when it crosses a join."""
        if start <= end:  # speed only: the pieces ascend, so only the last one starting by `start` can hold it
            i = bisect_right(self._positions, start) - 1
            if i < 0:
                return None
            pos, s, e = self.pieces[i]
            return Span(s + start - pos, s + end - pos) if end <= pos + (e - s) else None
        for pos, s, e in self.pieces:
            if pos <= start and end <= pos + (e - s):
                return Span(s + start - pos, s + end - pos)
        return None


def _has_number(text: str) -> bool:
    return bool(_DIGIT.search(_NOT_FIGURES.sub("", text))) or bool(find_quantities(text))


def _lines(text: str, span: Span) -> list[tuple[int, int]]:
    """The lines of a span, trimmed, empty ones left out."""
    out, pos = [], span.start
    while pos < span.end:
        nl = text.find("\n", pos, span.end)
        stop = span.end if nl == -1 else nl
        s, e = pos, stop
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        pos = stop + 1
    return out


def is_heading(line: str) -> bool:
    """A heading line ("一、…", "（二）…", "3. …"): it says what the numbers under it are about."""
    return len(line) <= HEADING_MAX_CHARS and heading_level(line.strip()) is not None


def sections(text: str, narrative: list[Span]) -> list[list[tuple[int, int]]]:
    """The lines worth sending, grouped by section: a heading line starts a section, and the
    chain of headings above a numbered line ("二、…" then "（一）…") goes with it the first time
    one is needed. Each narrative span starts a section too."""
    out: list[list[tuple[int, int]]] = []
    for span in sorted(narrative):
        current: list[tuple[int, int]] = []
        chain: list[tuple[int, tuple[int, int], bool]] = []  # (level, line, already sent)
        for s, e in _lines(text, span):
            line = text[s:e]
            level = heading_level(line.strip()) if len(line) <= HEADING_MAX_CHARS else None
            if level is not None and not _has_number(line.split("、", 1)[-1]):
                if current:
                    out.append(current)
                    current = []
                chain = [c for c in chain if c[0] < level] + [(level, (s, e), False)]
            elif _has_number(line):
                current.extend(c[1] for c in chain if not c[2])
                chain = [(lvl, ln, True) for lvl, ln, _sent in chain]
                current.append((s, e))
        if current:
            out.append(current)
    return out


class _Cost:
    """Estimated tokens of any text[start:end], from prefix sums."""

    def __init__(self, text: str, lo: int, hi: int) -> None:
        self.lo = lo
        self.prefix = [0.0, *accumulate(char_weights(text[lo:hi]))]

    def __call__(self, start: int, end: int) -> float:
        return self.prefix[end - self.lo] - self.prefix[start - self.lo]


def _pieces(text: str, start: int, end: int, level: int) -> list[tuple[int, int]]:
    """Split text[start:end] after each boundary mark of `level`, marks kept with their piece."""
    out, pos = [], start
    for m in _LEVELS[level].finditer(text, start, end):
        if m.end() > pos:
            out.append((pos, m.end()))
            pos = m.end()
    if pos < end:
        out.append((pos, end))
    return out


def _split(text: str, start: int, end: int, limit: float, cost: _Cost, level: int = 0) -> list[tuple[int, int]]:
    """Pieces of text[start:end] of at most `limit` estimated tokens, cut at the coarsest marks."""
    if cost(start, end) <= limit:
        return [(start, end)]
    if level >= len(_LEVELS):
        out, s = [], start
        for i in range(start + 1, end + 1):
            if cost(s, i) > limit and i - 1 > s:
                out.append((s, i - 1))
                s = i - 1
        return out + [(s, end)]
    units: list[tuple[int, int]] = []
    for s, e in _pieces(text, start, end, level):
        units.extend(_split(text, s, e, limit, cost, level + 1) if cost(s, e) > limit else [(s, e)])
    return _pack(units, limit, cost)


def _pack(units: list[tuple[int, int]], limit: float, cost: _Cost) -> list[tuple[int, int]]:
    """Adjacent units merged greedily while the merged piece stays within `limit`."""
    packed: list[tuple[int, int]] = []
    for s, e in units:
        if packed and cost(packed[-1][0], e) <= limit:
            packed[-1] = (packed[-1][0], e)
        else:
            packed.append((s, e))
    return packed


def _contiguous(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans that only whitespace separates, merged (the document's own line breaks are sent)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out and not text[out[-1][1] : s].strip():
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def chunk_narrative(text: str, narrative: list[Span], budget_tokens: int = 2500) -> list[Chunk]:
    """Chunks of about `budget_tokens` estimated tokens or less covering the numbered lines of
    `narrative` (with their headings), in document order."""
    groups = sections(text, narrative)
    if not groups:
        return []
    cost = _Cost(text, groups[0][0][0], groups[-1][-1][1])
    # sections cut to fit the budget, each a list of line ranges
    units: list[list[tuple[int, int]]] = []
    for lines in groups:
        size = sum(cost(s, e) for s, e in lines)
        if size <= budget_tokens:
            units.append(lines)
            continue
        for s, e in lines:  # sentence by sentence, so that the chunks can be even
            for ps, pe in _pieces(text, s, e, 1):
                units.extend([[piece] for piece in _split(text, ps, pe, budget_tokens, cost)])
    total = sum(cost(s, e) for unit in units for s, e in unit)
    # even chunks: as many as the budget needs, each about total / n
    n = max(1, math.ceil(total / budget_tokens))
    for target in (total / n * 1.1, budget_tokens):
        chunks: list[list[tuple[int, int]]] = []
        size = 0.0
        for unit in units:
            unit_size = sum(cost(s, e) for s, e in unit)
            if chunks and size + unit_size <= min(target, budget_tokens):
                chunks[-1].extend(unit)
                size += unit_size
            else:
                chunks.append(list(unit))
                size = unit_size
        if len(chunks) <= n:
            break
    return [Chunk.of(text, _contiguous(text, spans)) for spans in chunks]


def halves(text: str) -> list[tuple[int, int]]:
    """Two pieces of `text`, cut after the line, sentence or clause boundary nearest the middle."""
    mid = len(text) // 2
    for level in _LEVELS:
        cuts = [m.end() for m in level.finditer(text) if 0 < m.end() < len(text)]
        if cuts:
            cut = min(cuts, key=lambda c: abs(c - mid))
            return [(0, cut), (cut, len(text))]
    return [(0, mid), (mid, len(text))]


__all__ = ["Chunk", "chunk_narrative", "halves", "sections"]
