"""Cut narrative spans into chunks for the model, on sentence boundaries, offsets preserved.

Only narrative spans (text outside every table, from `segment`) ever reach this module. A span
that holds no number at all is not sent. A long span is packed greedily from whole sentences
(。！？ and line ends); a single sentence longer than the limit is cut at ；, then at ，、, and
only as a last resort at the limit itself.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..quantity import find_quantities
from ..records import Span

_LEVELS = [re.compile(r"[。！？!?\n]"), re.compile(r"[；;]"), re.compile(r"[，,、：:]")]
_DIGIT = re.compile(r"[0-9０-９]")


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
    return bool(_DIGIT.search(text)) or bool(find_quantities(text))


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


__all__ = ["Chunk", "chunk_narrative"]
