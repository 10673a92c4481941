"""The reading layer: narrative text as an auditor reads it, with a map back to the stored text.

PDF text wraps every line at the page margin, is often double-spaced, and justifies lines with
runs of spaces ("年初预算为      452.40万元"); a number can even wrap between 万 and 元. The
rules read a *reading copy* instead: wrapped lines joined into paragraphs, the spaces inside a
sentence dropped, page numbers left out. Every character of the copy knows its offset in
`Document.text`, so evidence always quotes the stored text exactly.

This module is the lowest stage shared by the readers (segment, tables, statements): headings,
paragraphs, sentences and clauses live here, not in the modules that use them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from statistics import median
from typing import Iterator, Optional, Sequence

from . import vocab
from .records import Document, LaidLine, Span

HEADING_RE = re.compile(r"^[ \t\u3000]*(?:" + "|".join(f"(?P<h{level}>{pat})" for level, pat in vocab.HEADING_MARKS) + ")")
TERMINAL = "。！？!?；;"
SENTENCE_END = re.compile(r"[。！？!?]")
CLAUSE_MARKS = "，,；;：:。！？!?"
PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,4}(?:\s*/\s*\d{1,4})?)\s*$")
YEAR_RE = re.compile(vocab.YEAR)
HEADER_NOISE = re.compile(r"\(.*?\)|（.*?）|\(.*$")  # "(%)" "(A)" "(20分*执行率)" after a column heading


def compiled_roles(table: list[tuple[str, str]]) -> list[tuple[str, re.Pattern]]:
    return [(role, re.compile(pattern)) for role, pattern in table]


_HEADER_RES = [p for _r, p in compiled_roles(vocab.BUDGET_HEADER) + compiled_roles(vocab.INDICATOR_HEADER)]
_OTHER_HEADER = re.compile(vocab.OTHER_HEADER_WORDS)


def is_header_word(text: str) -> bool:
    """Whether a cell reads as a whole column or row heading of a self-evaluation form (used to
    rejoin cells a PDF wrapped)."""
    norm = HEADER_NOISE.sub("", fold(text))
    return bool(norm) and (any(p.fullmatch(norm) for p in _HEADER_RES) or bool(_OTHER_HEADER.fullmatch(norm)))


_LEVEL_OF_GROUP = {f"h{level}": level for level, _ in vocab.HEADING_MARKS}


@lru_cache(maxsize=1 << 12)  # speed only: paragraphs() asks it of each line two or three times over
def heading_level(line: str) -> Optional[int]:
    m = HEADING_RE.match(line)
    if not m:
        return None
    # the one alternative that matched is the last group (the marks have no groups of their own)
    return _LEVEL_OF_GROUP[m.lastgroup]


@lru_cache(maxsize=16384)
def fold(label: str) -> str:
    """Matching copy of a short text: no spaces, ASCII parentheses, no quotes."""
    out = _SPACES.sub("", label)
    out = out.replace("（", "(").replace("）", ")").replace("其它", "其他")
    return _QUOTES.sub("", out)


_SPACES = re.compile(r"[\s\u3000]+")
_QUOTES = re.compile(r"[“”\"'‘’「」《》]")


@dataclass
class Para:
    """A paragraph of the reading copy. `offsets[i]` is where `text[i]` stands in the document
    (a list, or a range for a paragraph printed in one piece)."""

    text: str
    offsets: Sequence[int]
    heading: Optional[int] = None  # heading level when the paragraph is a heading line

    @property
    def span(self) -> Span:
        return Span(self.offsets[0], self.offsets[-1] + 1)

    def doc_span(self, i: int, j: int) -> Span:
        """Document span of reading-copy characters i..j (exclusive)."""
        j = max(j, i + 1)
        return Span(self.offsets[i], self.offsets[min(j, len(self.offsets)) - 1] + 1)

    def sentences(self) -> Iterator[tuple[int, int]]:
        start = 0
        for m in SENTENCE_END.finditer(self.text):
            if m.start() > start:
                yield start, m.end()
            start = m.end()
        if start < len(self.text):
            yield start, len(self.text)


def matches_at(pattern: re.Pattern, first: re.Pattern, text: str, pos: int = 0, endpos: Optional[int] = None) -> list[re.Match]:
    """`list(pattern.finditer(text, pos, endpos))` for a pattern whose every match is non-empty and
    begins with a character `first` finds: the pattern is tried only there, not at every
    character (speed only: a pattern with no fixed first character is otherwise tried whole at
    each one). Lookbehinds still see the text before a position."""
    end = len(text) if endpos is None else endpos
    out = []
    search, match = first.search, pattern.match
    while (c := search(text, pos, end)) is not None:
        m = match(text, c.start(), end)
        if m is None:
            pos = c.start() + 1
        else:
            out.append(m)
            pos = m.end()
    return out


def clause_start(text: str, at: int, floor: int = 0) -> int:
    """Where the clause holding position `at` begins (after the last clause mark before it)."""
    cut = max(text.rfind(ch, floor, at) for ch in CLAUSE_MARKS)
    return max(cut + 1, floor)


# ---- building paragraphs ----------------------------------------------------------------------


@dataclass
class _Line:
    start: int
    text: str
    laid: Optional[LaidLine] = None
    boundary: bool = False  # the end of a narrative region: nothing joins across it

    @property
    def stripped(self) -> str:
        return self.text.strip()


def _lines_in(doc: Document, regions: list[Span]) -> list[_Line]:
    laid = {ln.start: ln for ln in doc.layout}
    out: list[_Line] = []
    for region in regions:
        pos = region.start
        while pos < region.end:
            nl = doc.text.find("\n", pos, region.end)
            end = region.end if nl == -1 else nl
            out.append(_Line(pos, doc.text[pos:end], laid.get(pos)))
            if nl == -1:
                break
            pos = nl + 1
        out.append(_Line(region.end, "", boundary=True))
    return out


@dataclass
class _Margins:
    left: float
    right: float
    glyph: float  # width of one CJK glyph


def _page_margins(doc: Document) -> dict[int, _Margins]:
    """Left and right text margins of each page, from its prose lines."""
    by_page: dict[int, list[LaidLine]] = {}
    for ln in doc.layout:
        if ln.pieces and len(ln.text.strip()) >= 8:
            by_page.setdefault(ln.page, []).append(ln)
    out = {}
    glyphs = []
    for ln in doc.layout:
        for p in ln.pieces:
            chars = doc.text[p.start : p.end]
            wide = sum(1 for ch in chars if "\u4e00" <= ch <= "\u9fff")
            if wide >= 4 and wide == len(chars):
                glyphs.append((p.x1 - p.x0) / wide)
    glyph = median(glyphs) if glyphs else 10.0
    for page, lines in by_page.items():
        rights = sorted(max(p.x1 for p in ln.pieces) for ln in lines)
        lefts = sorted(min(p.x0 for p in ln.pieces) for ln in lines)
        out[page] = _Margins(lefts[len(lefts) // 10], rights[int(len(rights) * 0.9)], glyph)
    return out


def _edges(line: _Line) -> Optional[tuple[float, float]]:
    if line.laid is None or not line.laid.pieces:
        return None
    return min(p.x0 for p in line.laid.pieces), max(p.x1 for p in line.laid.pieces)


# a line that opens with a figure and its unit, then a clause mark: the tail of a sentence
COMMENT_LINE = re.compile(r"^\s*<!--.*-->\s*$")
CLAUSE_INSIDE = re.compile(r"[，,；;]")
CARRIED_NUMBER = re.compile(r"^[-\d.,]*\d\s*(?:[%％]|[\u4e00-\u9fff](?<![年月日])){0,3}[。，,；;、）)]")


def _continues(prev: _Line, cur: _Line, gap: bool, margins: dict[int, _Margins]) -> bool:
    """Whether `cur` goes on with the paragraph `prev` ended, rather than starting one."""
    if heading_level(cur.text) is not None or not prev.stripped:
        return False
    pe, ce = _edges(prev), _edges(cur)
    if prev.stripped[-1] in "，,、" and not gap:
        return True  # a clause mark never ends a paragraph
    if prev.stripped.endswith(("其中:", "其中：")) and not gap:  # (a stripped line has no "\n" for $ to skip)
        return True  # "…。其中：" opens a list on the next line
    if (not gap and prev.stripped[-1] not in TERMINAL + "：:" and len(prev.stripped) >= 20 and not _is_heading(prev.stripped)
            and CARRIED_NUMBER.match(cur.stripped)):
        return True  # a figure the line could not hold moved whole to the next ("…经费的" / "11.17%。")
    if pe is not None and ce is not None and prev.laid.page in margins:
        m = margins[prev.laid.page]
        cm = margins.get(cur.laid.page, m)
        # a paragraph ends on a short line; the next one starts indented. Chinese line
        # breaking keeps a wrapped line a few glyphs short of the margin at most.
        short = pe[1] < m.right - 4 * m.glyph
        indented = ce[0] >= cm.left + 0.4 * cm.glyph
        return not short and not indented
    if heading_level(prev.text) is not None and len(prev.stripped) <= 40 and prev.stripped[-1] not in "，,、":
        # a short heading line stands alone; but a heading holds no clause mark: "1.一般公共预算
        # 财政拨款收入382.17万元，为市本级财政" is the wrapped first line of a numbered paragraph
        return not gap and CLAUSE_INSIDE.search(prev.stripped) is not None and prev.stripped[-1] not in TERMINAL + "：:"
    if gap:
        return False
    body = prev.text.rstrip()
    return len(body.strip()) >= 25 and body[-1] not in TERMINAL + "：:"


def _squeeze(line: str) -> list[tuple[int, int]]:
    """The runs of characters of `line` the reading copy keeps, as (start, end) pairs: spaces go,
    except one space between two Latin letters or digits ("2 000" stays two numbers). (Runs, not
    every index kept: a line with spaces was read a character at a time; speed only.)"""
    runs = []
    pos = 0
    for m in _BLANKS.finditer(line):
        i, j = m.span()
        before = line[i - 1] if i else ""
        after = line[j] if j < len(line) else ""
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            i += 1  # the run's first space stays
        if i > pos:
            runs.append((pos, i))
        pos = j
    if pos < len(line):
        runs.append((pos, len(line)))
    return runs


_BLANKS = re.compile("[ \t\u3000]+")


def paragraphs(doc: Document, regions: list[Span]) -> list[Para]:
    """The reading copy of the narrative regions, one `Para` per paragraph or heading."""
    margins = _page_margins(doc) if doc.layout else {}
    out: list[Para] = []
    text: list[str] = []
    runs: list[range] = []  # the document offsets of the pieces of `text`
    prev: Optional[_Line] = None
    first = ""  # the paragraph's first line as printed
    gap = False

    def flush() -> None:
        nonlocal text, runs
        if text:
            body = "".join(text)
            level = heading_level(first) if _is_heading(body) else (1 if SECTION_TITLE.match(body) else None)
            # a paragraph in one piece of the text (one line, nothing squeezed out) keeps its range:
            # no list of every character's offset is made (speed only)
            offsets = runs[0] if len(runs) == 1 else list(chain.from_iterable(runs))
            out.append(Para(body, offsets, level))
        text, runs = [], []

    for line in _lines_in(doc, regions):
        if line.boundary or COMMENT_LINE.match(line.text):
            # (a page saved from a browser opens with "<!-- saved from url=… -->": no text of the report)
            flush()
            prev = None
            continue
        if not line.stripped:
            gap = True
            continue
        if PAGE_NUMBER.match(line.text):
            continue  # a page footer inside a paragraph
        if prev is None or not _continues(prev, line, gap, margins):
            flush()
            first = line.text
        raw = line.text
        # nothing to squeeze out: the line in one piece (speed only)
        kept = [(0, len(raw))] if " " not in raw and "\t" not in raw and "\u3000" not in raw else _squeeze(raw)
        for a, b in kept:
            text.append(raw[a:b])
            runs.append(range(line.start + a, line.start + b))
        prev, gap = line, False
    flush()
    return out


SECTION_TITLE = re.compile(r"^[^，,。；;：:、\d]{2,30}(?:说明|解释|概况|职能|设置|情况)$")


def _is_heading(body: str) -> bool:
    """A heading line: a mark (一、 （一） 1.) and a short title with no clause in it, or an
    unmarked section title ("2024年部门预算编制说明")."""
    if heading_level(body) is None:
        return False
    # "第二部分：…情况说明": a colon right after a part's mark only parts the mark from the title
    title = PART_MARK_COLON.sub("", body, count=1)
    return len(body) <= 60 and "。" not in body[:-1] and not _CLAUSE_OR_AMOUNT.search(title)


PART_MARK_COLON = re.compile(r"^[ \t\u3000]*" + vocab.HEADING_MARKS[0][1] + r"\s*[：:]")


_CLAUSE_OR_AMOUNT = re.compile(r"[，,；;：:]|\d+(?:\.\d+)?\s*(?:万元|元|%|％)")


def years_in(text: str) -> list[str]:
    return YEAR_RE.findall(text)
