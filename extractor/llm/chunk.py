"""Cut narrative spans into chunks for the model, on sentence boundaries, offsets preserved.

Only narrative spans (text outside every table, from `segment`) ever reach this module. A span
that holds no number but years, dates, section numbers or masked phone numbers is not sent.
A long span is packed greedily from whole sentences (。！？ and line ends); a single sentence
longer than the limit is cut at ；, then at ，、：, and only as a last resort at the limit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..quantity import find_quantities
from ..records import Span

_LEVELS = [re.compile(r"[。！？!?\n]"), re.compile(r"[；;]"), re.compile(r"[，,、：:]")]
_DIGIT = re.compile(r"[0-9０-９]")
# Years, dates, section numbers and masked phone numbers ("139*******16") carry no figure:
# a chunk with nothing else is not sent.
_NOT_FIGURES = re.compile(
    r"[0-9]*[*＊]{2,}[0-9]*|(?:19|20)[0-9]{2}\s*年度?|[0-9]{1,2}\s*月(?:[0-9]{1,2}\s*日)?|(?:19|20)[0-9]{2}[-/.][0-9]{1,2}(?:[-/.][0-9]{1,2})?"
    r"|(?m:^[ \t\u3000]*[（(]?[0-9]{1,2}[）)]?[、.．])"
)


@dataclass(frozen=True)
class Chunk:
    start: int  # offsets into Document.text
    end: int
    text: str  # == doc.text[start:end]

    @property
    def span(self) -> Span:
        return Span(self.start, self.end)


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


def _split(text: str, start: int, end: int, limit: int, level: int = 0) -> list[tuple[int, int]]:
    if end - start <= limit:
        return [(start, end)]
    if level >= len(_LEVELS):
        return [(s, min(s + limit, end)) for s in range(start, end, limit)]
    units: list[tuple[int, int]] = []
    for s, e in _pieces(text, start, end, level):
        units.extend(_split(text, s, e, limit, level + 1) if e - s > limit else [(s, e)])
    packed: list[tuple[int, int]] = []
    for s, e in units:
        if packed and e - packed[-1][0] <= limit:
            packed[-1] = (packed[-1][0], e)
        else:
            packed.append((s, e))
    return packed


def _has_number(text: str) -> bool:
    return bool(_DIGIT.search(_NOT_FIGURES.sub("", text))) or bool(find_quantities(text))


def halves(text: str) -> list[tuple[int, int]]:
    """Two pieces of `text`, cut after the sentence (else clause) boundary nearest the middle."""
    mid = len(text) // 2
    for level in _LEVELS:
        cuts = [m.end() for m in level.finditer(text) if 0 < m.end() < len(text)]
        if cuts:
            cut = min(cuts, key=lambda c: abs(c - mid))
            return [(0, cut), (cut, len(text))]
    return [(0, mid), (mid, len(text))]


def chunk_narrative(text: str, narrative: list[Span], max_chars: int = 1500) -> list[Chunk]:
    """Chunks of at most `max_chars` characters covering the numeric part of `narrative`,
    in document order. Leading/trailing whitespace of each chunk is left out."""
    chunks: list[Chunk] = []
    for span in sorted(narrative):
        for s, e in _split(text, span.start, span.end, max_chars):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e > s and _has_number(text[s:e]):
                chunks.append(Chunk(s, e, text[s:e]))
    return chunks


__all__ = ["Chunk", "chunk_narrative", "halves"]
