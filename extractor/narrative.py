"""Narrative text -> statements: figures that know what they are about, the "其中" lists they
form, and the claims a check can recompute (shares, changes and growth rates, completion
rates, 大于/小于 wording, worked formulas, grades).

The text is read paragraph by paragraph from the reading copy (text.paragraphs), sentence by
sentence. Each number's *lead* (the words since the previous number, subjects.read_lead) says
what it is: subject, measure, period and role. A number whose lead names no subject takes the
subject of the figure before it in the same sentence ("年初预算为X，支出决算为Y"), else of its
paragraph's item ("1、一般公共服务支出（类）…（项）。…"), else of the section heading; a figure
with none of these stays without a subject and is never compared with anything.

A "其中" list belongs to the sentence that opens it; its total is the nearest level figure of the
same unit before "其中" (never a change or a share), and its parts inherit the total's scope.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal
from functools import lru_cache
from itertools import takewhile
from typing import Optional

from . import canon, vocab
from .quantity import CN_DIGITS, find_quantities, find_quantities_by_sentence, moved, parse_quantity  # (imported here, not per paragraph)
from .records import Document, Extraction, Figure, PartOf, Quantity, Span, Statement, Subject
from .subjects import Lead, bare_flow, bare_total, flow_of, heading_subject, named_subject, read_lead, scope_of, year_actual_flow
from .text import CLAUSE_MARKS, SENTENCE_END, Para, clause_start, fold, matches_at, paragraphs

LIST_OPENER = re.compile(r"其中[:：,，]?|(?:主要|具体)?包括[:：]?|(?<=元)中[:：,，]|主要用于(?:以下|如下)(?:方面|几个方面)?[:：]|(?P<full>分为|分别为|分别是)[:：]?")
LIST_OPENER_FIRST = re.compile("[其主具包中分]")  # the first character of every LIST_OPENER match (speed only, see _openers)
BRACKET_OPEN = re.compile(r"\s*[（(]\s*")
ASIDE = re.compile(r"[（(][^（）()]{2,}[）)]")  # a bracketed aside, not a level mark like "（类）"
STAFF_QUOTA = re.compile(vocab.STAFF_QUOTA)
STAFF_IN_POST = re.compile(vocab.STAFF_IN_POST)
UNIT_COUNT, UNIT_INSIDE = re.compile(vocab.UNIT_COUNT), re.compile(vocab.UNIT_INSIDE)
COMPARE_RE = re.compile(r"(决算数?|执行数|实际支出)(?:数)?(大于|多于|高于|超过|小于|少于|低于|等于|与(?:年初)?预算数?(?:基本)?(?:持平|一致|相等|相同)|同(?:年初)?预算数?(?:基本)?持平)(?:(?:年初|调整后?|全年)?预算数?)?")
# the grade word must follow 为/是/：, and not open a count ("评级为“优”的项目4个")
GRADE_RE = re.compile(r"(?:等级|等次|评价结果|评定结果|评定|评级|结论)(?:为|是|：|:)\s*[“\"「]?" + vocab.GRADE_WORD + r"(?![\u4e00-\u9fff])(?![”\"」]?的)")
FORMULA_GAP = re.compile(r"\s*[)）]?\s*[÷/]\s*[(（]?\s*")
FORMULA_TAIL = re.compile(r"\s*[)）]?\s*[×xX*]\s*100\s*[%％]\s*[)）]?\s*[=＝]\s*")
TARGET_WORDS = re.compile(r"计划|目标|预期|任务|指标|下达")
ACTUAL_WORDS = re.compile(r"实际|完成")
COMPLETION_LEAD = re.compile(r"完成(?:率|(?:计划|目标|任务)数?的)?(?:为|达|达到)?\s*$")  # 完成率96%, 完成计划的90%
INTRO = re.compile(r"(?:如下|以下)(?:方面)?[:：]\s*$")
# an item number inside a run-on paragraph (a page that lost its line breaks): "1.", "2、", "（二）",
# "(3)"; a digit after a digit or a point is part of a number, not a mark
ITEM_MARK = re.compile(r"(?<![\d.．])(?:(?P<dot>\d{1,2})[.、．](?=[\u4e00-\u9fff])|[（(](?P<paren>\d{1,2})[）)]|[（(](?P<cparen>[一二三四五六七八九十])[）)]"
                       r"|(?P<cdot>[一二三四五六七八九十])、)")
CN_NUMBER = "一二三四五六七八九十"
# a cut among the lines of a list ("其中：A调减2.66万元，B 2.42万元"): the list nets cuts against additions
NET_CUT = re.compile(r"调减|核减|扣减")
COUNT_LISTED = re.compile(r"(?:共|下设|下属|包括|设有|内设)[^，。；]{0,10}?$")
CAUSE = re.compile(vocab.CAUSE_OPENER)


@dataclass
class _Context:
    """Where a paragraph stands: the subject and scope its headings set."""

    subject: Optional[Subject] = None
    scope: Optional[str] = None


@dataclass
class _Reading:
    doc: Document
    kind: Optional[str]
    year: Optional[str]
    out: Extraction = field(default_factory=Extraction)
    # the lists of the paragraph before, which its next item may continue ("其中：\n人员经费…。\n公用经费…")
    open_lists: list[PartOf] = field(default_factory=list)
    # "总额为84万元，其中：" closing a paragraph, its items numbered each on a line of its own
    # ("1、A为36万元…", "2、B为16万元…"): the total, the items' amounts so far, the next number
    numbered_list: Optional[tuple[Figure, list[Figure], int]] = None
    # the wholes' changes since the last heading whose parts may still follow (_change_sums)
    changes: list["_OpenChange"] = field(default_factory=list)


@dataclass
class _Notes:
    """What the reader knows about a paragraph's figures beyond the records themselves."""

    leads: dict[int, Lead] = field(default_factory=dict)  # id(figure) -> its lead
    totals: dict[int, Figure] = field(default_factory=dict)  # id(part) -> the total its list opened with
    wholes: dict[int, Figure] = field(default_factory=dict)  # id(share) -> the whole stated inside it ("占合计X元的P%")
    named_totals: dict[int, Subject] = field(default_factory=dict)  # id(part) -> the whole its list named with no amount
    inside: dict[int, Figure] = field(default_factory=dict)  # id(figure) -> the figure whose parentheses it stands in
    named_wholes: set[int] = field(default_factory=set)  # id(figure) of every whole stated after 占: never a list part or a share's part
    year: Optional[str] = None  # the report's year
    breaks: list[int] = field(default_factory=list)  # document offsets of "；" in the paragraph
    sums: set[int] = field(default_factory=set)  # id(figure) of a bare "合计X" after the amounts it adds up
    stops: list[int] = field(default_factory=list)  # document offsets of "。" in the paragraph
    clause_marks: list[int] = field(default_factory=list)  # where CLAUSE_MARK matches in the paragraph's text
    group_marks: list[int] = field(default_factory=list)  # where GROUP_MARK matches (the "；" of `breaks`)
    causes: set[int] = field(default_factory=set)  # id(figure) of an amount in a reason clause ("主要原因是…X万元")

    def lead(self, f: Figure) -> Lead:
        found = self.leads.get(id(f))  # speed only: a default Lead is made only when needed
        return found if found is not None else Lead()


def _default_measure(kind: Optional[str]) -> Optional[str]:
    return {"部门决算": "决算", "部门预算": "预算"}.get(kind or "")


def _period(p: Optional[str], year: Optional[str]) -> Optional[str]:
    """A period as stored: None for the report's own year, a year otherwise."""
    if p is None:
        return None
    if p == "上年":
        return str(int(year) - 1) if year else "上年"
    return None if p == year else p


def _with_scope(subject: Optional[Subject], scope: Optional[str]) -> Optional[Subject]:
    if subject is None or subject.scope or not scope:
        return subject
    return replace(subject, scope=scope, name=f"{scope}{subject.name}" if not subject.item.startswith("fn:") else subject.name)


_ITEM_HEAD = re.compile(r"^\s*(?:\d{1,2}[.、．]|[（(]\d{1,2}[）)]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])?\s*[“\"]?"
                        r"(?:(?P<item>[^。]*?\((?:类|款|项)\)(?:[^。]*\((?:款|项)\))?)"
                        # "（2）机关事业单位基本养老保险缴费支出（2080505）：": a name with its 功能分类
                        # spending code (2xx, 2xxxx, 2xxxxxx)
                        r"|(?P<name>[\u4e00-\u9fff、]{2,40}?)\((?P<code>2\d{2}|2\d{4}|2\d{6})\)(?![\d.]))")


def _item_of(para: Para) -> Optional[Subject]:
    """A paragraph that opens with an item ("1、一般公共服务支出（类）财政事务（款）行政运行（项）。",
    '1. "…（项）"25.77万元'): the subject of the figures after it in the paragraph."""
    head = para.text[:160]
    if "(" not in head and "（" not in head:
        return None  # (speed only: both forms hold a parenthesis, and folding makes "(" of "（" only)
    m = _ITEM_HEAD.match(fold(head))
    if not m:
        return None
    if m.group("code"):
        return Subject(f"fn:{m.group('code')}", f"{m.group('name')}（{m.group('code')}）")
    return named_subject(m.group("item"))


def extract_narrative(doc: Document, narrative: list[Span], kind: Optional[str] = None, year: Optional[str] = None) -> Extraction:
    """Statements from the narrative spans of a document."""
    reading = _Reading(doc, kind, year)
    heads: list[tuple[int, _Context]] = []
    section: list[Figure] = []  # the figures since the last heading
    context: Optional[_Context] = None  # (speed only) what `heads` set, made again only when they change
    for para in paragraphs(doc, narrative):
        reading.out.statements.extend(_placeholders(para))
        reading.out.statements.extend(_dates(reading, para))
        reading.out.statements.extend(_nil_claims(reading, para))
        if para.heading is not None:
            _numbered_list(reading, para, [])
            reading.open_lists = []
            reading.changes = []
            section = []
            heads = [(lvl, c) for lvl, c in heads if lvl < para.heading]
            subject, scope = _heading_subject(para.text)
            heads.append((para.heading, _Context(subject, scope)))
            context = None
            _heading_years(reading, para)
            continue
        if context is None:
            context = _Context(
                next((c.subject for _l, c in reversed(heads) if c.subject), None),
                next((c.scope for _l, c in reversed(heads) if c.scope), None),
            )
        known = len(reading.out.figures)
        _paragraph(reading, para, context, section)
        _numbered_list(reading, para, reading.out.figures[known:])
        if INTRO.search(para.text):
            # "财政拨款支出主要内容如下：" opens a list of items in that scope, to the next heading
            _subject, scope = _heading_subject(para.text)
            if scope:
                heads.append((99, _Context(None, scope)))
                context = None
    _numbered_list(reading, None, [])
    _same_named_parts(reading.out.figures)
    return reading.out


# speed only: the same headings recur from report to report ("一、部门概况"); what a heading
# sets is a frozen subject and a scope's name, so one result serves every paragraph it heads
_heading_subject = lru_cache(maxsize=4096)(heading_subject)


NUMBERED_LINE = re.compile(r"\s*(\d{1,2})(?:、|[.．](?!\d))")  # "1、", "1." (not "1.5万元")
LIST_AT_END = re.compile(r"其中[:：]\s*$")


def _numbered_list(reading: _Reading, para: Optional[Para], figures: list[Figure]) -> None:
    """"…总额为84万元，其中：" and then "1、A…为36万元，用于…", "2、B…为16万元…", each item a line of its
    own: the items' amounts break down the total (a list that need not be full). Ends at the first
    line that is not the next item."""
    if reading.numbered_list is not None:
        total, parts, number = reading.numbered_list
        m = NUMBERED_LINE.match(para.text) if para is not None else None
        # (the item's amount of the total's own measure and year: "1、A预算为a，决算为b" under a
        # total of spending is b)
        amount = next((f for f in figures if f.role == "level" and f.quantity.unit == total.quantity.unit and f.period == total.period
                       and (total.measure is None or f.measure in (total.measure, None))), None)
        if m is not None and int(m.group(1)) == number and amount is not None:
            reading.numbered_list = (total, parts + [amount], number + 1)
            return
        listed = {id(p) for r in reading.out.relations for p in r.parts}
        # (an item the vocabulary names must be one of the total's own parts by it)
        under = all(p.subject is None or total.subject is not None and total.subject.item in _wholes(p.subject.item) for p in parts)
        if len(parts) >= 2 and under and not any(id(p) in listed for p in parts) and all(r.total is not total for r in reading.out.relations):
            reading.out.relations.append(classify_parts(total, parts))
        reading.numbered_list = None
    if para is not None and LIST_AT_END.search(para.text, max(0, len(para.text) - 8)):
        total = next((f for f in reversed(figures) if f.role == "level" and f.quantity.op is None), None)
        if total is not None:
            reading.numbered_list = (total, [], 1)


def _same_named_parts(figures: list[Figure]) -> None:
    """"项目资金总预算2455.5万元，其中部门预算项目支出87.5万元…。部门预算项目支出87.5万元，分别是…":
    words the document once used for a part of a larger amount of the same subject name that part
    wherever they stand again (only words that say more than the subject's own name)."""
    parts = {}
    for f in figures:
        s = f.subject
        if s is not None and s.part and f.label and fold(f.label) == fold(s.part) != fold(s.item):
            parts.setdefault((fold(s.part), s.item), s)
    if not parts:
        return
    for f in figures:
        s = f.subject
        if s is not None and s.part is None and f.label:
            f.subject = parts.get((fold(f.label), s.item), s)


DOCUMENT_TITLE = re.compile(vocab.YEAR + r"度?\s*(?:(?:部门|单位)(?:决算|预算)|(?:决算|预算)单位)")
# a section heading that names the accounts it explains: "三、2022年度一般公共预算财政拨款支出决算情况说明"
SECTION_ACCOUNTS = re.compile(vocab.YEAR + r"度?[^，。；：:、]{0,30}?(?P<kind>决算|预算)(?:数|情况)?(?:说明|总?表)")
KIND_ACCOUNTS = {"部门决算": "决算", "部门预算": "预算"}
NIL_CLAIM = re.compile(r"(?:没有|无)(?P<what>政府性基金|国有资本经营|[“\"]?三公[”\"]?经费|机关运行经费)(?:预算)?(?:财政拨款)?(?:安排的)?(?P<flow>收入(?:和|与|及)支出|收支|收入|支出|预算)")
AS_OF = re.compile(r"(?:截至|截止|截止到|截止至)\s*" + vocab.YEAR + r"\s*(?:12\s*月\s*31\s*日|年底|年末|末)")
PLACEHOLDER = re.compile(vocab.PLACEHOLDER_NAME)
# Speed only: words without which a pattern cannot match, found by a fast scan before the slow
# one (tests/test_statements.py::test_each_guard_is_in_every_match_of_its_pattern checks them).
PLACEHOLDER_MARKS = re.compile(r"XX|xx|ＸＸ|××|＊＊")  # in every PLACEHOLDER and PLACEHOLDER_NUMBER
COUNT_LIST_WORDS = re.compile(r"分别为|分别是|即|具体为|具体是|包括|[：:]")  # in every COUNT_LIST
COUNT_LIST_COUNT = re.compile(r"[一二两三四五六七八九十\d]\s*[个家所项名人辆处支]")  # and this: its count and unit
GRADE_MARKS = re.compile(r"等[级次]|评|结论")  # in every GRADE_RE
COMPARE_MARKS = re.compile(r"决算|执行数|实际支出")  # in every COMPARE_RE
NIL_MARKS = re.compile(r"没有|无")  # in every NIL_CLAIM
MISSING_MARKS = re.compile(r"[%％]|万元")  # in every MISSING_NUMBER


def _heading_years(reading: _Reading, para: Para) -> None:
    """A heading that names the document with another year than the report's ("第三部分 …2023年度
    部门决算情况说明" in a 2024 决算) is kept as a year statement."""
    for m in DOCUMENT_TITLE.finditer(para.text):
        q = _year_quantity(para, m)
        reading.out.statements.append(Statement("year", {"year": q}, para.doc_span(0, len(para.text)),
                                                {"text": para.text, "what": "标题"}))
    if DOCUMENT_TITLE.search(para.text):
        return
    # only the accounts the document itself is: a 决算 explains this year's 决算 (a 预算 may name
    # last year's 决算 in a heading, and a 决算 next year's 预算)
    own = KIND_ACCOUNTS.get(reading.kind or "")
    for m in SECTION_ACCOUNTS.finditer(para.text):
        if m.group("kind") == own:
            reading.out.statements.append(Statement("year", {"year": _year_quantity(para, m)}, para.doc_span(0, len(para.text)),
                                                    {"text": para.text, "what": "标题"}))


def title_years(title: str, start: int, kind: Optional[str]) -> list[Statement]:
    """A standard table's title that names the document's own accounts with a year ("2023年度收入
    支出决算总表" in a 2024 决算), read like a section heading: a year statement."""
    own = KIND_ACCOUNTS.get(kind or "")
    return [Statement("year", {"year": Quantity(Decimal(m.group(1)), "年", None, None, 0, m.group(0), Span(start + m.start(), start + m.end()))},
                      Span(start, start + len(title)), {"text": title, "what": "表名"})
            for m in SECTION_ACCOUNTS.finditer(title) if m.group("kind") == own]


def _dates(reading: _Reading, para: Para) -> list[Statement]:
    """"截至2023年12月31日" in a 决算 states the end of the year reported on."""
    if reading.kind != "部门决算":
        return []
    out = []
    for m in AS_OF.finditer(para.text):
        out.append(Statement("year", {"year": _year_quantity(para, m)}, para.doc_span(m.start(), m.end()),
                             {"text": m.group(0), "what": "统计截止日期"}))
    return out


def _nil_claims(reading: _Reading, para: Para) -> list[Statement]:
    """"本单位无政府性基金预算财政拨款收入和支出": a claim that an amount is nothing."""
    out = []
    if not NIL_MARKS.search(para.text):
        return out
    for m in NIL_CLAIM.finditer(para.text):
        what = fold(m.group("what"))
        scope = scope_of(what)
        item = None if scope else named_subject(what).item if named_subject(what) else None
        measure = "预算" if m.group("flow") == "预算" or reading.kind == "部门预算" else _default_measure(reading.kind)
        out.append(Statement("nil", {}, para.doc_span(m.start(), m.end()), {"scope": scope or "", "item": item or "",
                             "measure": measure or "", "text": m.group(0)}))
    return out


def _placeholders(para: Para) -> list[Statement]:
    """"上海市普陀区XX局": a name the template left unfilled."""
    out = []
    if not PLACEHOLDER_MARKS.search(para.text):
        return out
    for m in PLACEHOLDER.finditer(para.text):
        start = max(0, m.start() - 8)
        end = min(len(para.text), m.end() + 6)
        out.append(Statement("placeholder", {}, para.doc_span(m.start(), m.end() + 1), {"text": para.text[start:end]}))
    return out


def _year_quantity(para: Para, m: re.Match) -> Quantity:
    return Quantity(Decimal(m.group(1)), "年", None, None, 0, m.group(0), para.doc_span(m.start(), m.end()))


def _has_level(figures: list[Figure]) -> bool:
    return any(f.role in ("level", "count") for f in figures)


_STOP = re.compile("。")


def _paragraph(reading: _Reading, para: Para, context: _Context, section: list[Figure]) -> None:
    sentences = list(para.sentences())
    numbers = find_quantities_by_sentence(para.text, sentences)
    # (speed only) a paragraph without a number makes no figure: its item and its marks, which
    # only figures and the comparisons of figures read, are not looked for
    numbered = any(numbers)
    item = _with_scope(_item_of(para), context.scope) if numbered else None
    group_marks = [m.start() for m in GROUP_MARK.finditer(para.text)] if numbered else []
    # (speed only: without a number no sentence is read, and nothing else reads the notes)
    notes = _Notes(year=reading.year, breaks=[para.offsets[at] for at in group_marks],
                   stops=[para.offsets[m.start()] for m in _STOP.finditer(para.text)],
                   clause_marks=[m.start() for m in CLAUSE_MARK.finditer(para.text)], group_marks=group_marks) if numbered else None
    figures: list[Figure] = []
    previous: list[Figure] = []  # the figures of the sentence before
    stated: list[Figure] = []  # the figures of the last sentence before with an amount (not only changes)
    first_relation = len(reading.out.relations)
    # (speed only: the grades and comparisons of a paragraph without their words are not looked for)
    graded, compared = GRADE_MARKS.search(para.text) is not None, COMPARE_MARKS.search(para.text) is not None
    # (speed only: with no number and no grade's words, no sentence finds anything)
    for (s, e), quantities in zip(sentences, numbers) if numbered or graded else ():
        sentence = _sentence(reading, para, s, e, quantities, item, context, previous, notes) if quantities else []
        found = _grades(para, s, e, sentence) if graded else []
        if compared and (figures or sentence):  # (with no figure to compare, a comparison finds nothing)
            found += _comparisons(para, s, e, item or _sentence_subject(sentence), figures + sentence)
        if sentence:
            # "三公经费预算8.91万元。与上年预算相比，减少4.62万元。其中：…": a list opening a sentence
            # breaks down the amount before the comparison in between
            reading.out.relations.extend(_lists(para, s, e, sentence, previous if _has_level(previous) else stated, notes)
                                          or _summed_lists(para, s, e, sentence, notes))
            # (a formula's division sign stands between two of the sentence's figures: none, no formula)
            divided = "÷" in para.text[s:e] or "/" in para.text[s:e]
            found += (_formulas(para, sentence) if divided else []) + _completion_words(para, s, e, sentence)
            previous = sentence
            if _has_level(sentence):
                stated = sentence
            _continue_lists(reading.open_lists + reading.out.relations[first_relation:], sentence, notes)
        for st in found:
            st.sentence = para.doc_span(s, e)
            _place(st, reading.doc, figures + sentence)
        reading.out.statements.extend(found)
        figures.extend(sentence)
    # (speed only: with no figure, no claim of figures and no score sum)
    claims = (_claims(figures, notes, section) + _score_sums(figures) + _vehicles(reading, para, figures) if figures else []) + _counts_listed(para) + _placeholder_numbers(para)
    rates = {st.values["rate"].span for st in claims if st.kind == "completion"}
    # a rate worked from the item's budget and actual is not judged again by its words (only
    # when there is one: filtering every statement so far for every paragraph grows with the square)
    if rates:
        reading.out.statements[:] = [st for st in reading.out.statements if not (
            st.kind == "completion" and st.words.get("base") == "目标" and st.values["rate"].span in rates)]
    for st in claims:
        _place(st, reading.doc, figures)
    reading.out.statements.extend(claims)
    reading.out.figures.extend(figures)
    section.extend(figures)
    changes = _section_changes(figures, notes) if figures else []
    if changes:
        reading.out.relations.extend(_change_sums(reading.changes, changes))
    # what this paragraph left open; a paragraph without figures (a note) does not close it
    if figures:
        reading.open_lists = [r for r in reading.out.relations[first_relation:] if not r.exhaustive] or [
            r for r in reading.open_lists if not r.exhaustive and r.parts and r.parts[-1].span.start > figures[0].span.start]


LAID_OUT = re.compile(r"\S {4,}\S")


def _place(st: Statement, doc: Document, figures: list[Figure]) -> None:
    """A statement read from prose that is really a table row laid out in columns (a PDF row the
    segmenter left in the prose) counts as a table's; a claim takes the sentence of its figures."""
    if LAID_OUT.search(doc.text[st.span.start : st.span.end]):
        st.context = "table"
    if st.sentence is None:
        st.sentence = next((f.sentence for f in figures if f.sentence and f.span.start <= st.span.end and st.span.start < f.span.end + 1), None)


PLACEHOLDER_NUMBER = re.compile(vocab.PLACEHOLDER_NUMBER)
MISSING_NUMBER = re.compile(vocab.MISSING_NUMBER)
UNCHOSEN_DIRECTION = re.compile(vocab.UNCHOSEN_DIRECTION)


def _placeholder_numbers(para: Para) -> list[Statement]:
    """"商品和服务支出××万元": a number the template left unfilled, with the words naming it;
    "比重为%": one never typed in at all."""
    out = []
    marked = PLACEHOLDER_NUMBER.finditer(para.text) if PLACEHOLDER_MARKS.search(para.text) else ()
    missing_marks = MISSING_NUMBER.finditer(para.text) if MISSING_MARKS.search(para.text) else ()
    for m, missing in [(m, False) for m in marked] + [(m, True) for m in missing_marks]:
        start = clause_start(para.text, m.start(), max(0, m.start() - 20))
        label = para.text[start : m.start()]
        words = {"label": label, "text": m.group().strip()} | ({"missing": "1"} if missing else {})
        out.append(Statement("placeholder_number", {}, para.doc_span(start, m.end()), words))
    # "增加（减少）67.65万元": once a paragraph, however often the template's wording recurs in it
    unchosen = list(UNCHOSEN_DIRECTION.finditer(para.text)) if "（" in para.text or "(" in para.text else []
    if unchosen:
        m = unchosen[0]
        start = clause_start(para.text, m.start(), max(0, m.start() - 20))
        words = {"label": para.text[start : m.start()], "text": m.group(), "unchosen": str(len(unchosen))}
        out.append(Statement("placeholder_number", {}, para.doc_span(start, m.end()), words))
    return out


def _sentence_subject(figures: list[Figure]) -> Optional[Subject]:
    return next((f.subject for f in figures if f.subject is not None and f.role == "level"), None)


def _sentence(reading: _Reading, para: Para, s: int, e: int, quantities: list[Quantity], item: Optional[Subject], context: _Context,
              previous: list[Figure], notes: _Notes) -> list[Figure]:
    text = para.text
    out: list[Figure] = []
    boundary = s
    inline_whole: Optional[Figure] = None  # "占本年支出合计4,815,895.57元" waiting for its "的70.85%"
    inline_budget: Optional[Figure] = None  # "完成全年预算84.82万元" waiting for its "的73.2%"
    # "三公经费财政拨款支出决算中，因公出国（境）费12.02万元，占19.4%": the shares are of the item
    # the sentence opens among, stated elsewhere
    # (speed only: the frame's 中 and its mark stand within 42 characters of the sentence's start)
    frame = AMONG_FRAME.match(text, s) if AMONG_END.search(text, s, s + 42) else None
    among = named_subject(frame.group("frame")) if frame else None
    clauses, groups = _Marks(text, s, e, CLAUSE_MARK, notes.clause_marks), _Marks(text, s, e, GROUP_MARK, notes.group_marks)
    starts: list[int] = []  # where each figure's number stands in the paragraph
    sentence_span = para.doc_span(s, e)  # speed only: one span for the sentence's figures (spans are frozen)
    # speed only: the figures of `out` whose lead is no share, kept as they come (a figure's lead
    # is not changed once it is in `out`) rather than filtered again for every number
    unshared: list[Figure] = []
    offsets = para.offsets
    bracketed = "（" in text or "(" in text
    explained = CAUSE.search(text, s, e) is not None  # speed only: most sentences give no reason
    for q in quantities:
        lead_start = max(clauses.after_last(q.span.start, s), boundary)  # = clause_start(text, q.span.start, s)
        raw_lead = text[lead_start : q.span.start]
        lead = _read_lead(raw_lead)
        if inline_whole is not None and q.unit == "%" and INLINE_SHARE_TAIL.match(fold(raw_lead)):
            lead.role, lead.whole = "share", inline_whole.subject
        elif among is not None and lead.role == "share" and lead.whole is None:
            lead.whole = among
        elif inline_budget is not None and q.unit == "%" and INLINE_COMPLETION_TAIL.match(fold(raw_lead)):
            # "支出62.07万元，完成全年预算84.82万元的73.2%": the rate of the amount over the budget named
            lead.role, lead.base_measure = "completion", inline_budget.measure
        elif q.unit == "%" and lead.role == "level" and out and out[-1].role == "change" and BRACKET_OPEN.fullmatch(raw_lead):
            # "较上年减少18.50万元（65.37%）": a bare rate in brackets right after a change is its rate
            change = notes.lead(out[-1])
            lead.role, lead.direction, lead.label = "change", change.direction, change.label
            lead.base_period, lead.base_measure = change.base_period, change.base_measure
        # the words since the previous number, within its clause group (a "；" ends one)
        wide_start = max(boundary, groups.after_last(q.span.start, 0))
        # its lead `wide` is the cached lead itself (no copy to set fields on), read only where one of
        # the two rules below asks for it (speed only: most numbers need neither)
        if lead.subject is None and lead.role == "level" and q.unit == "元":
            wide = _lead_of(text[wide_start : q.span.start]) if wide_start < lead_start else lead
            # "在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额X": named a clause earlier
            if wide.subject is not None and wide.role == "level":
                own = canon.trim_label(raw_lead)
                if own and not GENERIC_AMOUNT.fullmatch(own) and PARTS_FRAME.match(fold(text[wide_start:lead_start])):
                    # "在项目支出当中，教育事业支出X": a name of its own the vocabulary does not know,
                    # inside the whole the clause before opened: a part of it, not it
                    lead.subject = replace(wide.subject, part=own, name=f"{wide.subject.name}（{own}）")
                else:
                    lead.subject = wide.subject
                lead.named = True
            elif (year_total := year_actual_flow(raw_lead)) is not None:
                lead.subject, lead.named = year_total, True
        if lead.subject is None and lead.role == "change" and wide_start < lead_start:
            # "公务接待费支出决算比预算无增减变化，比去年增加0.5万元": the item named in the clauses
            # since the number before is what changed, not that number's subject
            # (an aside in brackets, "（包括基本支出和项目支出安排的经费）", names what the amount
            # covers, not what changed)
            earlier = named_subject(ASIDE.sub("", text[wide_start:lead_start]))
            if earlier is not None:
                lead.subject, lead.named = earlier, True
        if lead.role == "change" and lead.base_period is None and lead.base_measure is None:
            # "与2023年度相比，收入支出总计减少X"; "…减少X万元，下降P%" takes the change's base
            wide = _lead_of(text[wide_start : q.span.start]) if wide_start < lead_start else lead
            source = wide if wide.base_period else next((notes.lead(f) for f in reversed(out) if f.role in ("change", "change_pct")), None)
            if source is not None and source.base_period:
                lead.base_period, lead.base_measure = source.base_period, source.base_measure
        # a share and the whole inside it are about the whole: a later change is not
        anchors = unshared
        closed = max(text.rfind("）", boundary, q.span.start), text.rfind(")", boundary, q.span.start))
        if closed >= 0 and lead.subject is None and max(text.rfind("（", closed, q.span.start), text.rfind("(", closed, q.span.start)) < 0:
            # "公务用车购置及运行费30万元（其中：购置费10万元，运行维护费20万元），比上年减少6万元": once
            # the bracket closes, what follows is about the amount before it, not the last part inside
            opened = max(text.rfind("（", s, closed), text.rfind("(", s, closed))
            if opened >= 0:
                anchors = [f for f, at in zip(out, starts) if at < opened and notes.lead(f).role != "share"]
        subject, confidence = _resolve(lead, q, anchors, previous, item, context, raw_lead, s, lead_start)
        if subject is not None and subject.part is None and lead.named and vocab.OWN_LEVEL.search(raw_lead):
            # "全市…规模为A，…市本级…规模为B": B is the city government's own level, a split of
            # the item within the area, not a second statement of A
            subject = replace(subject, part="本级", name=f"{subject.name}（本级）")
        whole_here = lead.role == "share" and q.unit == "元"
        if whole_here:
            # the amount of the whole a share is taken of, named after 占: never the sentence's subject
            subject, confidence = lead.whole, ("stated" if lead.whole is not None else "none")
        if subject is not None and subject.item not in ("收入合计", "支出合计", "总计"):
            # a section or list about one fund scope ("五、一般公共预算财政拨款支出决算情况说明",
            # "财政拨款支出主要内容如下：") scopes the items in it; totals say their own scope
            subject = _with_scope(subject, context.scope)
        measure = lead.measure or (_inherited_measure(lead, out) if confidence == "inherited" else None)
        if measure is None and q.unit == "元" and lead.role == "level":
            measure = _default_measure(reading.kind)
        label = lead.label  # the words before the number, as printed (the subject has its own name)
        role = _role(lead, q)
        period = _period(lead.period, reading.year)
        if lead.period is None and role == "level" and out and raw_lead.startswith("、") and not THIS_YEAR.search(raw_lead):
            # "其中2021年省级资金A、中央资金B": the year written before the first of a 、-list is
            # every item's
            prior, prior_lead = out[-1], notes.lead(out[-1])
            if prior.role == "level" and prior_lead.period is not None and not prior_lead.compared and prior.quantity.unit == q.unit:
                period = prior.period
        if whole_here:
            # the whole's own words name its period and measure ("占上年支出合计X万元"); the whole
            # of a wider area ("占全区支出X万元") is none of the document's own amounts
            own = _lead_of(raw_lead[raw_lead.rfind("占") + 1 :])  # (read only, as `wide`)
            period = _period(own.period, reading.year)
            measure = own.measure or (None if vocab.WIDER_AREA.search(raw_lead) else _default_measure(reading.kind))
        # the canonical name is for this year's levels and scores: a change or last year's
        # amount is not the figure itself
        if role in ("change", "change_pct", "share", "completion") or period is not None:
            canonical = None  # (speed only: decided first, so that no name is looked up for it)
        else:
            canonical = subject.item if subject is not None and not subject.item.startswith("fn:") and confidence != "heading" else None
            if q.unit == "分":
                canonical = None  # "部门整体支出绩效自评得分88.8分" is a score, whatever the money it is about
            if canonical is None and q.unit in ("分", "%", None):
                canonical = canon.canonical(canon.trim_label(raw_lead))
        start = lead_start + _label_offset(raw_lead)
        # (para.doc_span's spans, made here: a number is never empty and ends within its paragraph)
        end = offsets[q.span.end - 1] + 1
        fig = _figure(label, moved(q, Span(offsets[q.span.start], end)), Span(offsets[min(start, q.span.start)], end), canonical, measure,
                      period, subject, role, confidence)
        # (speed only: with no figure before it, or no parenthesis in the paragraph, there is none)
        outer = _outer_figure(text, q.span.start, out, para) if out and bracketed else None
        if outer is not None:
            notes.inside[id(fig)] = outer
        if outer is not None and q.unit != "%" and not _component_of(fig.subject, outer.subject):
            # "行政运行812,406.30元（基本支出812,406.30元、项目支出0元）": a split of the figure
            # before the parenthesis, not the department's 基本支出 ("公务用车购置及运行费X（其中：
            # 公务用车购置费a…）" names the outer item's own parts, which keep their names; a rate
            # in parentheses, "增加X元（增长P%）", "收入X元（占P%）", is read of the amount before it)
            # (a label that is a fund's name and nothing more: "政府性基金预算0万元")
            own_fund = scope_of(fig.label) if outer.subject is not None and outer.subject.scope == "财政拨款" else None
            if own_fund not in vocab.FISCAL_SCOPES or FUND_NAME.fullmatch(fold(canon.trim_label(fig.label))) is None:
                own_fund = None
            fig.subject = None if outer.subject is None else replace(
                outer.subject, part=fig.subject.item if fig.subject else "其中", name=f"{outer.subject.name}（{fig.label}）")
            if fig.subject is not None and own_fund is not None:
                # "财政拨款收入X（其中，一般公共预算X，政府性基金预算0）": a split of the amount by
                # fund is the same amount of that fund, not one part of it stated twice
                fig.subject = replace(fig.subject, scope=own_fund, part=outer.subject.part)
                if fig.confidence == "none":
                    fig.confidence = "inherited"  # (a fund after another fund inherits nothing by itself: the split names it)
            fig.canonical = None
        fig.sentence = sentence_span
        notes.leads[id(fig)] = lead
        if explained and CAUSE.search(text, groups.after_last(q.span.start, s), q.span.start):
            notes.causes.add(id(fig))
        if confidence == "sum":
            fig.confidence = "none"
            notes.sums.add(id(fig))
        if fig.role == "share" and inline_whole is not None:
            notes.wholes[id(fig)] = inline_whole
        inline_whole = fig if whole_here else None
        if whole_here:
            notes.named_wholes.add(id(fig))
        inline_budget = fig if lead.reference and q.unit == "元" and fig.measure in BUDGET_MEASURES else None
        out.append(fig)
        if lead.role != "share":
            unshared.append(fig)
        starts.append(q.span.start)
        boundary = q.span.end
    if RESPECTIVELY.search(text, s, e):
        _distribute(text, s, out, starts, notes)
    return out


# "本年收入、支出合计分别为870.20万元和902.64万元": names listed before 分别/各, the figures after
# it, one each in order
RESPECTIVELY = re.compile(r"分别|各(?=为|是|达|增|减|下降|上升|提高|降低|占)|均(?=为|是)")
NAME_LIST_SPLITS = (re.compile(r"[、]"), re.compile(r"[、和及与]|以及"))  # 和 may stand inside a name: tried second
THIS_YEAR = re.compile(r"本年|当年|今年|本期")
RUN_JOINER = re.compile(r"^[\s、，,和及与以万亿元%％]*$")
TOTAL_SUFFIX = re.compile(r"(合计|总计|总额|决算数?|预算数?)$")
FLOW_ABBREVIATIONS = {"收": "收入", "支": "支出"}


def _distribute(text: str, s: int, figures: list[Figure], starts: list[int], notes: _Notes) -> None:
    """Give each figure of a "respectively" run the name listed for it, and the later figures
    of the run the role of the first ("分别减少86.20万元和102.35万元": both are decreases). Where
    the names and the run do not pair one to one ("均为X" for two names, a list that does not
    split into as many names, a name the vocabulary does not know), the figures get no subject:
    the text does not say which is which, and the name read last is not every figure's."""
    names: Optional[list[str]] = None
    for m in RESPECTIVELY.finditer(text, s, starts[-1] if starts else s):
        first = next((i for i, at in enumerate(starts) if at > m.end()), None)
        if first is None:
            return
        run = [first]
        while run[-1] + 1 < len(figures) and RUN_JOINER.match(
                text[starts[run[-1]] + len(figures[run[-1]].quantity.text) : starts[run[-1] + 1]]):
            run.append(run[-1] + 1)
        unit = figures[run[-1]].quantity
        if unit.unit is not None:
            # "各是4125.49、4143.91万元": the unit is written once, after the last of the run
            for i in run[:-1]:
                q = figures[i].quantity
                if q.unit is None and q.scale is None and q.op is None:
                    figures[i].quantity = replace(q, unit=unit.unit, scale=unit.scale)
                    if figures[i].role == "count" or unit.unit == "元":
                        figures[i].role = _role(notes.lead(figures[i]), figures[i].quantity)
        clause = max(text.rfind(ch, s, m.start()) for ch in "，,；;。：:") + 1
        words = text[max(clause, s) : m.start()]
        if m.group() == "均" and len(run) == 1:
            # "收入、支出总计均为X": one figure of every name listed — one subject only if all name it
            subjects_named = [named_subject(n) for n in _name_list(words, None) or []]
            if subjects_named and None not in subjects_named and subjects_named[0].scope:
                # "财政拨款收、支总计": the scope written before the first name is every name's
                subjects_named = [sub if sub.scope else _with_scope(sub, subjects_named[0].scope) for sub in subjects_named]
            named = {sub.key if sub else None for sub in subjects_named}
            if len(named) == 1 and None not in named:
                only = figures[run[0]]
                if only.subject is None:  # "财政拨款收、支总计均为X": both names are 总计, so X is
                    only.subject = subjects_named[0]
                    only.confidence = "stated"
                continue
        listed = _name_list(words, len(run))
        if listed is None and m.group() == "均" or listed is None and names is None and len(run) == 1:
            names = None
            if m.group() != "均":
                continue  # one figure after 分别 and no list: nothing to share out
        elif listed is not None:
            names = listed
        subjects: Optional[list[Optional[Subject]]] = None
        if names is not None and len(names) == len(run):
            subjects = [named_subject(n) for n in names]
            if None in subjects or any(_wholes(sub.item) & {other.item for other in subjects} for sub in subjects):
                # "中央、地方预算单位的政府采购规模分别为a和b", "货物、工程、服务政府采购规模分别为
                # a、b和c": the head noun written once after the last name makes that name read as
                # the whole (the others as nothing, or as its parts); which figure is which
                # thing is not said, so none is named
                subjects = [None] * len(run)
            keys = [sub.key for sub in subjects if sub is not None]
            if len(keys) != len(set(keys)):
                # "收、支总计各是A、B": two names the vocabulary takes as one item (总计) are still two
                # figures; each keeps its own name as a part, so that neither is paired with the other's
                subjects = [replace(sub, part=n, name=n) if sub is not None else None for sub, n in zip(subjects, names)]
        elif listed is None and m.group() != "均":
            # "收入1000万元，支出1100万元，分别比上年增加100万元和200万元": the amounts just before
            # are the names, in order
            levels = [f for f in figures[: run[0]] if f.role == "level" and f.subject is not None][-len(run):]
            if len(levels) == len(run) and len({f.subject.key for f in levels}) == len(run):  # type: ignore[union-attr]
                subjects = [f.subject for f in levels]
        lead0 = notes.lead(figures[run[0]])
        for k, i in enumerate(run):
            f = figures[i]
            if k > 0 and notes.lead(f).role == "level" and not notes.lead(f).named:
                # "和102.35万元" after "分别减少86.20万元": the verb before the run is its own
                f.role = _role(lead0, f.quantity)
                f.measure, f.period = figures[run[0]].measure, figures[run[0]].period
                notes.leads[id(f)] = lead0
            subject = subjects[k] if subjects is not None else None
            keep_canonical = f.canonical is not None and f.role == figures[run[0]].role == "level"
            f.subject = subject
            f.canonical = subject.item if keep_canonical and subject is not None and not subject.item.startswith("fn:") else None
            if subject is None:
                f.confidence = "none"


def _name_list(words: str, count: Optional[int]) -> Optional[list[str]]:
    """"本年收入、支出合计" read as 2 names: 本年收入合计, 本年支出合计 (a total word at the end
    belongs to each, 收/支 stand for 收入/支出). None when the words do not split into `count`
    names (into two or more, when `count` is None)."""
    words = fold(words).strip()
    for splitter in NAME_LIST_SPLITS:
        parts = [p.strip() for p in splitter.split(words) if p.strip()]
        if len(parts) >= 2 and (count is None or len(parts) == count):
            break
    else:
        return None
    suffix = TOTAL_SUFFIX.search(parts[-1])
    out = []
    for k, p in enumerate(parts):
        p = LEADING_YEAR.sub("", p) or p  # "2022年度收、支总计": the year is no part of a name
        if suffix is not None and k == len(parts) - 1:
            p = p[: len(p) - len(suffix.group(1))]  # the shared total word, put back on each below
        if p in FLOW_ABBREVIATIONS or len(p) <= 3 and p[-1:] in FLOW_ABBREVIATIONS:
            p = p[:-1] + FLOW_ABBREVIATIONS[p[-1]]
        if suffix is not None and not TOTAL_SUFFIX.search(p):
            p += suffix.group(1)
        out.append(p)
    return out


LEADING_YEAR = re.compile(r"^" + vocab.YEAR + r"度?")


_FIGURE_DEFAULTS = {f.name: f.default for f in fields(Figure)}


def _figure(label: str, quantity: Quantity, span: Span, canonical: Optional[str], measure: Optional[str],
            period: Optional[str], subject: Optional[Subject], role: str, confidence: str) -> Figure:
    """`Figure(label=…, quantity=…, span=…, canonical=…, measure=…, period=…, subject=…, role=…,
    confidence=…)` without the dataclass __init__'s fourteen arguments (speed only: a figure per
    number of the prose; tests/test_statements.py::test_figure_is_built_as_the_constructor_builds_it)."""
    new = object.__new__(Figure)
    values = new.__dict__
    values.update(_FIGURE_DEFAULTS)
    values["label"], values["quantity"], values["span"], values["canonical"], values["measure"] = label, quantity, span, canonical, measure
    values["period"], values["subject"], values["role"], values["confidence"] = period, subject, role, confidence
    return new


CLAUSE_MARK = re.compile("[" + re.escape(CLAUSE_MARKS) + "]")
GROUP_MARK = re.compile("[；;]")


class _Marks:
    """Speed only: where a sentence's marks stand, found once per sentence rather than searched
    for back from each of its numbers (text.clause_start, the "；" of a clause group). `at`,
    when given, holds where the marks stand in the whole paragraph (found once per paragraph):
    those before `s` are not the sentence's."""

    def __init__(self, text: str, s: int, e: int, marks: re.Pattern, at: Optional[list[int]] = None):
        self.at = [m.start() for m in marks.finditer(text, s, e)] if at is None else at
        self.s = s

    def after_last(self, pos: int, floor: int) -> int:
        """Just after the last mark of the sentence before `pos` (pos <= the sentence's end),
        or `floor` when there is none."""
        at = self.at
        k = bisect_left(at, pos)
        return at[k - 1] + 1 if k and at[k - 1] >= self.s else floor


_lead_of = lru_cache(maxsize=8192)(read_lead)


def _read_lead(raw: str) -> Lead:
    """`read_lead(raw)`, each lead text read once (speed only): the same leads recur from
    sentence to sentence and report to report ("其中：", "支出决算为"). A copy, since the sentence
    reader sets a lead's fields; they hold strings and frozen subjects, so a shallow one does."""
    new = object.__new__(Lead)
    new.__dict__.update(_lead_of(raw).__dict__)
    return new


# words that name no item of their own, only that an amount follows ("采购金额X", "资金X")
# "在项目支出当中，", "人员经费中，": parts follow (not "其中，", which lists the amount before it)
PARTS_FRAME = re.compile(r"^[\s，,；;]*(?!其中)在?[^，,。；;]{1,24}?(?:当中|之中|中)[，,:：]")
GENERIC_AMOUNT = re.compile(r"(?:采购|合同|中标|成交|支出|资金|预算|决算|实际)?(?:金额|总额|资金|数|额)?")
# "…占本年支出合计X元的70.85%": the words between the whole's amount and the share
INLINE_SHARE_TAIL = re.compile(r"^的?(?:比重|比例|份额)?(?:为|是|达)?$")
INLINE_COMPLETION_TAIL = re.compile(r"^的(?:为|是)?$")
AMONG_FRAME = re.compile(r"(?P<frame>(?:(?!\d[\d.,]*\s*(?:万|亿)?元|%)[^，,。；;:：]){2,40}?)中[，,:：]")
AMONG_END = re.compile(r"中[，,:：]")  # the end of every AMONG_FRAME match


def _outer_figure(text: str, at: int, before: list[Figure], para: Para) -> Optional[Figure]:
    """The figure whose parenthesis `at` stands in: "X万元（A a、B b）"."""
    # speed only: no opening parenthesis since the clause group began, no figure to find
    stop = max(text.rfind("。", 0, at), text.rfind("；", 0, at), text.rfind(";", 0, at))
    if text.find("（", stop + 1, at) == -1 and text.find("(", stop + 1, at) == -1:
        return None
    # back from `at` to the clause group's start, over its parentheses only (speed only: not a
    # character at a time)
    depth = 0
    for m in reversed(list(_PARENTHESES.finditer(text, stop + 1, at))):
        if m.group() in "）)":
            depth += 1
        else:
            if depth == 0:
                opened = para.offsets[m.start()]
                return next((f for f in reversed(before) if 0 <= opened - f.quantity.span.end <= 2), None)
            depth -= 1
    return None


_PARENTHESES = re.compile("[（()）]")


# a fund's name alone, as a split of a 财政拨款 amount names it
FUND_NAME = re.compile("|".join(p for scope, p in vocab.SCOPES if scope in vocab.FISCAL_SCOPES))


def _component_of(inner: Optional[Subject], outer: Optional[Subject]) -> bool:
    """`inner` is one of the parts `outer` breaks down into (公务用车购置费 of 公务用车购置及运行费)."""
    if inner is None or outer is None or outer.part is not None:
        return False
    return any(inner.item in parts for parts in vocab.FULL_BREAKDOWNS.get(outer.item, ()))


@lru_cache(maxsize=8192)  # speed only: the same leads recur, as for _lead_of
def _label_offset(raw: str) -> int:
    """Where the label begins in its lead: after filler such as "其中：" and "2024年"."""
    trimmed = canon.trim_label(raw)
    return raw.find(trimmed) if trimmed and trimmed in raw else 0


def _role(lead: Lead, q: Quantity) -> str:
    if lead.role == "change":
        return "change_pct" if q.unit == "%" else "change"
    if lead.role in ("share", "completion", "rate"):
        return lead.role if q.unit == "%" else "level"
    if q.unit == "分":
        return "score"
    if q.unit not in ("元", "%", None):
        return "count"
    return "level"


def _inherited_measure(lead: Lead, before: list[Figure]) -> Optional[str]:
    return None


def _resolve(lead: Lead, q: Quantity, before: list[Figure], previous: list[Figure], item: Optional[Subject],
             context: _Context, raw: str, sentence_start: int, lead_start: int) -> tuple[Optional[Subject], str]:
    """The subject of a figure and how sure we are: named in its lead, inherited from the
    figure before it in the sentence (or the sentence before, for a sentence that only carries
    on: "决算数小于预算数…", "下降2.10%"), from the paragraph's item, or from the heading."""
    if lead.subject is not None:
        return lead.subject, "stated"
    if lead.own_words and lead.role == "level":
        return None, "none"  # "涉及预算金额598.42万元": about something the vocabulary does not name
    if lead.role == "level" and before and LIST_TOTAL_LEAD.match(fold(raw)):
        return None, "sum"  # "…，合计8.60万元": the sum of the amounts before it, not one of them

    flow = bare_flow(lead.label) if lead.role == "level" else None
    own_scope = scope_of(lead.label) if lead.role == "level" else None

    def inherit(anchor: Figure) -> tuple[Optional[Subject], str]:
        if own_scope is not None and anchor.subject is not None and anchor.subject.scope != own_scope:
            # "上年结转21.54万元；政府性基金预算拨款0万元": a lead that names only a fund is that
            # fund's money, not the item before it (which of the fund's items the text leaves unsaid)
            return None, "none"
        if flow is not None and anchor.subject is not None and flow_of(anchor.subject) not in (None, flow):
            # "政府性基金预算拨款收入X；支出Y": a bare 支出 after an income is not that income, but
            # the spending of the same fund when the income was a fund's total
            scope = anchor.subject.scope
            if anchor.subject.item in ("收入合计", "支出合计") and scope in (*vocab.FISCAL_SCOPES, "财政拨款"):
                return Subject(f"{flow}合计", f"{scope}{flow}", scope), "inherited"
            return None, "none"
        if flow is not None and anchor.subject is not None and anchor.subject.item in vocab.BALANCE_ITEMS:
            return None, "none"  # "上年结转和结余X，本年收入Y": the year's income is no carry-over
        # a guess from a heading stays a guess however far it is passed on
        return anchor.subject, "heading" if anchor.confidence == "heading" else "inherited"

    kind = _kind(q)
    nearest = next((f for f in reversed(before) if q.unit == "%" or _kind(f.quantity) == kind), None)
    if nearest is not None and nearest.subject is None and nearest.confidence == "none" and lead.role != "level":
        # "税收收入8103万元，比上年增收1284万元，增长18.8%": a change or rate right after an amount of
        # something the vocabulary does not name is about that amount, not the sentence's subject
        return None, "none"
    if q.unit == "%" and before:
        # a rate is about the amount just before it ("326.72万元，占11.11%")
        anchor = next((f for f in reversed(before) if f.subject is not None), None)
        if anchor is not None:
            return inherit(anchor)
    same_unit = [f for f in before if f.subject is not None and _kind(f.quantity) == kind]
    if same_unit:
        return inherit(same_unit[-1])
    if item is not None:
        return item, "inherited"
    if lead.role in ("change", "share", "completion") and previous:
        anchor = next((f for f in reversed(previous) if f.subject is not None and f.role == "level"), None)
        if anchor is not None:
            return inherit(anchor)
    bare = bare_total(raw) if lead_start == sentence_start or not before else None
    if bare is not None:
        return bare, "inherited"
    if context.subject is not None:
        return context.subject, "heading"
    return None, "none"


# a lead that only says "in all", after the amounts it adds up
LIST_TOTAL_LEAD = re.compile(r"^[\s，,、；;]*(?:以上|上述|两项|三项|各项)?(?:合计|共计|总计|累计|总共|共)(?:为|是|达|支出)?[\s:：]*$")


def _kind(q: Quantity) -> str:
    return "money" if q.unit == "元" else (q.unit or "")


# ---- lists -------------------------------------------------------------------------------------


def _lists(para: Para, s: int, e: int, figures: list[Figure], previous: list[Figure], notes: _Notes) -> list[PartOf]:
    """"X，其中：A a，B b" and "X，主要用于以下方面：A a，占p；B b，占q". A sentence that opens with
    "其中" breaks down the last level figure of the sentence before it."""
    text = para.text
    relations = []
    openers = _openers(text, s, e)

    def is_nested(m: re.Match) -> bool:
        return text[max(s, m.start() - 1) : m.start()] in ("（", "(")

    def parenthesis(m: re.Match) -> tuple[int, int]:
        # the bracket may be closed in either width, as it was opened ("万元(其中建筑工程…万元)，")
        close = min((c for c in (text.find("）", m.start(), e), text.find(")", m.start(), e)) if c != -1), default=-1)
        return para.offsets[m.start()], (para.offsets[close] if close != -1 else para.offsets[e - 1] + 1)

    measured: set[int] = set()  # parts whose measure is their total's
    # (opener index, opener, unit): a list of items that each carry a count and an amount is read
    # once per unit, the second reading queued behind the first
    readings: list[tuple[int, re.Match, Optional[str]]] = [(k, m, None) for k, m in enumerate(openers)]
    for k, m, paired in readings:
        at = para.offsets[m.start()]
        nested = is_nested(m)
        # a list runs to the next list of its own level; a list in parentheses inside it
        # ("公务用车…费9.17万元（其中：购置费…，运行维护费…），公务接待费2.00万元") is skipped over
        later = [o for o in openers[k + 1 :] if nested or not is_nested(o)]
        stop = para.offsets[later[0].start()] if later else para.offsets[e - 1] + 1
        inner = [parenthesis(o) for o in openers[k + 1 :] if not nested and is_nested(o)]
        if nested:
            stop = parenthesis(m)[1]
        else:
            # "1.资金到位情况，其中专项资金20万元…，2.资金执行情况，…": the next item of the
            # numbering the list stands in ends it
            following = _next_item(text, s, m.start(), e)
            if following is not None:
                stop = min(stop, para.offsets[following])
        parts = [f for f in figures if at < f.quantity.span.start < stop and f.role in ("level", "count") and f.quantity.op is None
                 and not any(a < f.quantity.span.start < b for a, b in inner) and id(f) not in notes.named_wholes]
        # "…，B b（B1 b1、B2 b2），C c": what stands in the parentheses after a part breaks that part
        # down; it is none of the list's parts
        listed = {id(p) for p in parts}
        parts = [f for f in parts if id(notes.inside.get(id(f))) not in listed]
        if NET_CUT.search(text, m.end(), _reading_pos(para, stop) or e):
            # "下达资金1.53万元，其中：A调减2.66万元，B 2.42万元…": the total is what is left after the
            # cuts, so its lines need not add up to it
            continue
        # "其中中央补助80万元，省级资金30万元，…，实际到位120万元": the amount that arrived (was spent…)
        # reports on the whole; it is none of its sources
        # (not a list of several figures per item: "其中：A支出x，年初预算y；B支出…", judged below)
        first = parts[0].measure if parts else None
        staged = next((i for i, p in enumerate(parts) if i and p.measure is not None and p.measure != first), None)
        named = [p.subject.key for p in parts if p.subject is not None]
        if staged is not None and len(named) == len(set(named)):
            parts = parts[:staged]
        closing = next((i for i, p in enumerate(parts) if id(p) in notes.sums), None)
        if closing is not None:
            # "其中：A a，B b，合计X": the 合计 closes the list, it is none of its parts
            relation = _sum_of(parts[closing], parts[:closing], notes)
            if relation is not None:
                relations.append(relation)
            parts = parts[:closing]
        if not parts:
            continue
        unit = paired or parts[0].quantity.unit
        if unit is None or unit == "%":
            continue
        units = [p.quantity.unit for p in parts]
        if paired is None and len(units) >= 4 and len(units) % 2 == 0 and len(set(units)) == 2 and "%" not in units \
                and all(a != b for a, b in zip(units, units[1:])):
            # "其中：优的项目79个，资金a万元；良的项目11个，资金b万元…": each item a count and an
            # amount; the amounts break down the amount before the list as the counts the count
            readings.append((k, m, units[1]))
        parts = [p for p in parts if p.quantity.unit == unit]
        before = [f for f in figures if f.quantity.span.end <= at and f.role in ("level", "count") and f.quantity.unit == unit]
        if not before and text[s : m.start()].strip(" ，,。") == "":
            before = [f for f in previous if f.role in ("level", "count") and f.quantity.unit == unit]
        # "占合计X的" and "较上年的X": references, not what the list breaks down; nor is an amount
        # that gives the reason for a change ("减少27.31万元，主要原因是上年有专项经费29.01万元。其中：…")
        before = [f for f in before if notes.lead(f).role != "share" and not notes.lead(f).compared and id(f) not in notes.causes]
        # "收入A，其中：…，结转b；支出C，其中：…": a list breaks down an amount of its own clause group
        floor = max((b for b in notes.breaks if b < at), default=-1)
        own = [f for f in before if f.span.start > floor]
        mark = max((g for g in notes.group_marks if s <= g < m.start()), default=None)
        if not own and mark is not None and text[mark + 1 : m.start()].strip(" ，,：:"):
            # "收入包括：A、B、C；支出包括：X、Y": the group names what its list is of and states no
            # amount for it, so no amount of the group before is that list's total
            before = []
        else:
            before = own or before
        if not before:
            # "2021年的三公经费决算数合计为807.95万，其中：公务接待费39.43万元…": a total in bare 万
            # makes no sum with its 万元 parts, but the parts are still of the year it names
            bare = [f for f in figures if f.quantity.span.end <= at and f.role == "level" and f.quantity.unit is None
                    and f.quantity.scale and f.period is not None and f.period != notes.year]
            for p in parts if bare else ():
                if p.period is None:
                    p.period = bare[-1].period
            # "一般公共预算财政拨款支出主要用于以下方面：A a，占p；…": the whole is named here and its
            # amount stated elsewhere; the shares in the list are of it
            named_whole = named_subject(canon.trim_label(text[s : m.start()])) if unit == "元" else None
            if named_whole is not None:
                for p in parts:
                    notes.named_totals[id(p)] = named_whole
            continue
        # the total is the last amount before the list of the parts' own measure: in "支出1.57万元，
        # 年初预算2.11万元，…。其中：购置费0.00万元，运行维护费1.57万元" the parts are spending
        measures = {p.measure for p in parts}
        same_measure = [f for f in before if len(measures) == 1 and f.measure in measures]
        total = (same_measure or before)[-1]
        if total.quantity.op is not None:
            continue
        # "比上年的5.27万元" is no part; a part that names no period shares the total's
        parts = [p for p in parts if p.period is None or p.period == total.period]
        # "基本支出694.28万元，其中人员经费612.35万元；项目支出205.10万元，…": 项目支出 stands beside
        # 基本支出, it is no part of it — the list ended before it
        item = _item(total)
        cut = next((i for i, p in enumerate(parts) if (item, _item(p)) in vocab.SIBLING_ITEMS), None)
        if cut is None and total.role == "count" and STAFF_QUOTA.search(total.label):
            cut = next((i for i, p in enumerate(parts) if STAFF_IN_POST.search(p.label)), None)
        if cut is None and total.role == "count" and UNIT_COUNT.search(total.label):
            cut = next((i for i, p in enumerate(parts) if UNIT_INSIDE.search(p.label)), None)
        parts = parts[:cut] if cut is not None else parts
        # "其中：授予中小企业A，授予小微企业B": the small firms are among the SMEs listed beside them
        # (vocab.BOUNDED_BY), so B is inside A, no second part of the total
        listed = {_item(p) for p in parts}
        parts = [p for p in parts if not _bounds(_item(p)) & listed]
        if not parts:
            continue
        # (a parenthesised split whose parts the vocabulary does not name, "（其中购置费…，运行维护
        # 费…）", gives each part the same "其中" subject: those are one figure each)
        keys = [p.subject.key for p in parts if p.subject is not None and p.subject.part != "其中"]
        if len(keys) != len(set(keys)) and total.subject is not None and len({p.period for p in parts}) > 1:
            # "2016年预算A，2015年预算B。其中：1、X 2016年a1，2015年b1；2、Y 2016年a2，2015年b2":
            # each year's parts break down that year's total
            for period in dict.fromkeys(p.period for p in parts):
                group = [p for p in parts if p.period == period]
                own = [f for f in before if f.period == period and f.subject is not None and f.subject.key == total.subject.key]
                named = [p.subject.key for p in group if p.subject is not None]
                if own and len(named) == len(group) == len(set(named)):
                    for p in group:
                        notes.totals[id(p)] = own[-1]
                    relations.append(classify_parts(own[-1], group))
            continue
        if len(keys) != len(set(keys)):
            # "其中：A支出x，年初预算y，差值z；B支出…": several figures of each item, not one part
            # each; only the figures of the total's own measure can be its parts
            if total.subject is None:
                continue
            parts = [p for p in parts if p.subject is not None and p.measure == total.measure]
            keys = [p.subject.key for p in parts]
            if not parts or len(keys) != len(set(keys)):
                continue
        for p in parts:
            notes.totals[id(p)] = total
            if p.period is None and total.period is not None:
                p.period = total.period  # "2021年度合计支出20.12万元，其中：公务接待12.39万元": of 2021 too
            if notes.lead(p).measure is None and (notes.lead(total).measure is not None or id(total) in measured) and p.quantity.unit == "元":
                # "“三公”经费支出预算为44万元，其中：公务接待费3万元（包括：…）": a part that names no
                # measure is of its total's (not the document's default, nor 决算 in a note of unknown kind)
                p.measure = total.measure
                measured.add(id(p))
            # "机构运行110万元，其中：基本支出100万元，项目支出10万元": a line the reader could not
            # name; the spending split under it is that line's, not the department's
            unnamed = total.subject is None and bool(total.label) and p.subject is not None and "支出合计" in _wholes(p.subject.item)
            if unnamed or (p.subject is not None and total.subject is not None and _outside_its_whole(p.subject.item, total.subject.item)):
                # "项目支出29700元，其中：商品和服务支出29700元": the project spending's goods and
                # services, not the department's 商品和服务支出 (a part of 基本支出)
                owner, owner_name = (total.label, total.label) if unnamed else (total.subject.item, total.subject.name)
                old, p.subject = p.subject, replace(p.subject, part=owner, name=f"{owner_name}（{p.subject.name}）")
                p.canonical = None
                # its change and share after it ("…，同比减少13900元，下降31.88%") go with it
                for g in figures[figures.index(p) + 1 :]:
                    if g in parts:
                        break
                    if g.subject == old and g.role != "level":
                        g.subject = p.subject
                continue
            read_as = p.subject
            if p.subject is not None and total.subject is not None and p.subject.scope is None and total.subject.scope:
                p.subject = _with_scope(p.subject, total.subject.scope)
            if p.subject is not None and total.subject is not None and p.subject.key == total.subject.key:
                # "公用经费58.90万元，其中下属事业单位公用经费6.50万元": a part, not the total again
                p.subject = replace(p.subject, part=notes.lead(p).label or "其中", name=f"{p.subject.name}（其中）")
                # "总支出581.45万元，其中本年支出480.71万元，较上年减少90.49万元": the change after
                # the part, in its sentence, is the part's
                for g in figures[figures.index(p) + 1 :]:
                    if g in parts or g.sentence != p.sentence:
                        break
                    if g.subject == read_as and g.role != "level":
                        g.subject = p.subject
        groups = _classifications(parts, total, para)
        values = [p.quantity.base_value for p in parts]
        if len(groups) == 1 and sum(values) > total.quantity.base_value:
            # "教职工62人，其中副高级4人，…，中级工1人，退休职工28人": where the first parts add up to
            # the total exactly, the list ended there and what follows is beside it
            ends = [k for k in range(2, len(parts)) if sum(values[:k]) == total.quantity.base_value]
            if ends:
                groups = [parts[: ends[0]]]
        for group in groups:
            relation = classify_parts(total, group)
            # "分为A、B和C" names every part; so does a list closed by "其他…"
            closed = m.group("full") or re.match(r"(其他|其它)", notes.lead(group[-1]).label or group[-1].label or "")
            if closed and not relation.exhaustive and len(group) >= 2 and _ends_list(text, para, group[-1], stop):
                relation.exhaustive = True
            relations.append(relation)
    return relations


def _openers(text: str, s: int, e: int) -> list[re.Match]:
    """`list(LIST_OPENER.finditer(text, s, e))`, the pattern tried only where a match can begin
    (speed only: it has no fixed first character; tests/test_statements.py::test_openers_are_finditer)."""
    return matches_at(LIST_OPENER, LIST_OPENER_FIRST, text, s, e)


def _item_number(m: re.Match) -> tuple[str, int]:
    style = m.lastgroup or ""
    value = m.group(style)
    return style, int(value) if value.isdigit() else CN_NUMBER.index(value) + 1


def _next_item(text: str, s: int, at: int, e: int) -> Optional[int]:
    """Where the item after the one holding position `at` begins, in the sentence s..e: the first
    mark after `at` of the same style as the last mark before it, numbered one more."""
    before = list(ITEM_MARK.finditer(text, s, at))
    if not before:
        return None
    style, number = _item_number(before[-1])
    for m in ITEM_MARK.finditer(text, at, e):
        if _item_number(m)[0] == style:
            return m.start() if _item_number(m)[1] == number + 1 else None
    return None


def _summed_lists(para: Para, s: int, e: int, figures: list[Figure], notes: _Notes) -> list[PartOf]:
    """"公务接待费2.10万元，公务用车运行维护费6.50万元，合计8.60万元": a bare 合计 after the amounts
    of its sentence is their sum, all of them. Only in a sentence with no "其中" list (its total
    would be counted among the parts), with two parts at least, none of them a change, a share
    or an amount of another year, and none a heading over the amounts after it."""
    out = []
    for k, f in enumerate(figures):
        if id(f) not in notes.sums:
            continue
        relation = _sum_of(f, [g for g in figures[:k] if g.quantity.unit == f.quantity.unit], notes)
        if relation is not None:
            out.append(relation)
    return out


def _sum_of(total: Figure, parts: list[Figure], notes: _Notes) -> Optional[PartOf]:
    """A bare 合计 against the amounts it closes, as a full breakdown; None where they may not
    all be parts (a change, a share, another year, an unnamed or a repeated item, nesting)."""
    if (len(parts) < 2 or any(g.role != "level" or g.period != total.period or notes.lead(g).role != "level" or g.quantity.op
                              or g.subject is None or g.subject.part for g in parts)
            or len({g.subject.key for g in parts}) < len(parts)  # type: ignore[union-attr]
            or total.quantity.unit != "元" and total.quantity.unit not in vocab.COUNT_UNITS):
        return None
    values = [g.quantity.base_value for g in parts]
    if any(sum(values[i + 1 : j]) == v for i, v in enumerate(values) for j in range(i + 3, len(values) + 1)):
        return None  # one amount is the sum of the ones after it: a heading and its items
    named = replace(total, label=total.label or "合计")  # for the message: "合计9.6万元，但其组成…"
    return PartOf(named, parts, True, "sum.breakdown", Span(parts[0].span.start, total.span.end))


def _continue_lists(relations: list[PartOf], sentence: list[Figure], notes: _Notes) -> None:
    """"基本支出911000.39元，其中：人员经费809961.19元，主要包括：…。公用经费71339.20元，主要包括…":
    a list of a known breakdown whose items each end in their own description runs on into the
    next sentence when that sentence opens with the breakdown's next item (by the vocabulary's
    full breakdowns, not by position)."""
    if not sentence or not relations:
        return
    head = sentence[0]
    if head.role != "level" or head.subject is None or notes.lead(head).role != "level":
        return
    # "2、Y 2016年a2，2015年b2": the item's amount of another year continues that year's list
    years = [g for g in sentence[1:] if g.role == "level" and g.subject == head.subject and g.period != head.period]
    for head in [head, *years]:
        for rel in relations:
            item = _item(rel.total)
            names = {_item(p) for p in rel.parts}
            if rel.exhaustive or item not in vocab.FULL_BREAKDOWNS or head in rel.parts or head is rel.total:
                continue
            if head.quantity.unit != rel.parts[0].quantity.unit or head.period != rel.total.period:
                continue
            if any(names < breakdown and _item(head) in breakdown - names for breakdown in vocab.FULL_BREAKDOWNS[item]):
                grown = classify_parts(rel.total, [*rel.parts, head])
                rel.parts, rel.exhaustive, rel.check = grown.parts, grown.exhaustive, grown.check
                rel.span = Span(rel.span.start, max(rel.span.end, head.span.end))
                notes.totals[id(head)] = rel.total
                break


# "增减(+/-)", "增减（减少）": a column heading laid out in prose names the column, not which way
# this change went (a bracket in the item's name, "因公出国（境）费", says nothing of it)
DIRECTION_COLUMN = re.compile(r"\([^)]*(?:增|减|\+|-)[^)]*\)")


def _signed_change(f: Figure, notes: _Notes) -> Optional[Figure]:
    """A change amount with its direction word as its sign (减少 negative, 持平 zero); None when
    the words do not say which way it went."""
    lead = notes.lead(f)
    word = lead.direction or ""
    if DIRECTION_COLUMN.search(fold(lead.label)):
        return None
    if word in vocab.UP_WORDS and word not in GAP_WORDS:
        return f
    if word in vocab.DOWN_WORDS and word not in GAP_WORDS:
        return replace(f, quantity=replace(f.quantity, value=-f.quantity.value))
    return f if word in vocab.FLAT_WORDS and f.quantity.value == 0 else None


def _section_changes(figures: list[Figure], notes: _Notes) -> list[tuple[Figure, Optional[Figure], tuple]]:
    """The change amounts of a paragraph a whole's change may be summed from: each with its
    signed copy (None where its words do not say which way) and the base it is compared with."""
    out = []
    for f in figures:
        if (f.role == "change" and f.quantity.unit == "元" and f.subject is not None and not f.quantity.op
                and f.confidence in ("stated", "inherited")):
            lead = notes.lead(f)
            out.append((f, _signed_change(f, notes), (f.period, lead.base_period, lead.base_measure)))
    return out


@dataclass
class _OpenChange:
    """A whole's change (a subject with a full breakdown) and the changes after it in its section
    that may be its parts: only those of an item of one of its breakdowns."""
    whole: Figure
    signed: Figure
    base: tuple
    breakdowns: list
    parts: list = field(default_factory=list)  # (part, its signed copy), in order
    closed: bool = False  # no further change is its part


def _change_sums(open_changes: list[_OpenChange], changes: list[tuple[Figure, Optional[Figure], tuple]]) -> list[PartOf]:
    """"三公经费比上年减少X。其中：公务接待费Y万元，同比减少a；公务用车购置及运行费…，同比减少b；因公出国
    （境）费…，同比增加c": the whole's change is the sum of its parts' changes, signed by their
    direction words, when the parts are one of the whole's known full breakdowns
    (vocab.FULL_BREAKDOWNS), each once, of the same period and against the same base. A list
    naming only some parts bounds nothing: the parts not named may have gone either way.
    `changes` are the paragraph just read (_section_changes); `open_changes` the section's
    wholes so far, kept up to date here. A relation is made when its last part is in `changes`.
    Each change is offered to the wholes still open, not to every change before it, so a
    section's cost does not grow with the square of its changes."""
    touched: dict[int, _OpenChange] = {}
    for g, signed, base in changes:
        gs = g.subject
        for w in open_changes:
            if w.closed:
                continue
            ws = w.whole.subject
            if gs.key == ws.key:  # type: ignore[union-attr]
                w.closed = True  # the whole's change stated again: a list of its own, if any
            elif (base == w.base and gs.scope in (None, ws.scope) and gs.part in (None, ws.part)  # type: ignore[union-attr]
                    and any(gs.item in bd for bd in w.breakdowns)):  # type: ignore[union-attr]
                w.parts.append((g, signed))
                touched[id(w)] = w
                # every breakdown with an item stated twice can no longer match: nothing more to collect
                w.closed = all(sum(p.subject.item in bd for p, _s in w.parts) > len(bd) for bd in w.breakdowns)
        breakdowns = vocab.FULL_BREAKDOWNS.get(gs.item)  # type: ignore[union-attr]
        if breakdowns and signed is not None:
            open_changes.append(_OpenChange(g, signed, base, breakdowns))
    out = []
    for w in sorted(touched.values(), key=lambda w: w.whole.span.start):
        for breakdown in w.breakdowns:
            parts = [(g, signed) for g, signed in w.parts if g.subject.item in breakdown]  # type: ignore[union-attr]
            if len(parts) != len(breakdown) or {g.subject.item for g, _s in parts} != breakdown:  # type: ignore[union-attr]
                continue  # an item missing, or stated twice: which one is the part cannot be told
            if any(parts[-1][0] is c[0] for c in changes) and all(signed is not None for _g, signed in parts):
                members = [w.whole.span, *(g.span for g, _s in parts)]
                out.append(PartOf(w.signed, [signed for _g, signed in parts], True, "sum.change_breakdown",  # type: ignore[misc]
                                  Span(min(m.start for m in members), max(m.end for m in members))))
            break
    return out


def _item(f: Figure) -> Optional[str]:
    return f.subject.item if f.subject else f.canonical


@lru_cache(maxsize=None)  # speed only: a walk of the fixed vocabulary, asked for every part of every list
def _wholes(item: str) -> frozenset[str]:
    """The items an item is a part of, by the full breakdowns of the vocabulary, up to the top."""
    out: set[str] = set()
    todo = [item]
    while todo:
        x = todo.pop()
        for whole, sets in vocab.FULL_BREAKDOWNS.items():
            if whole not in out and any(x in parts for parts in sets):
                out.add(whole)
                todo.append(whole)
    return frozenset(out)


@lru_cache(maxsize=None)  # speed only: a walk of the fixed vocabulary
def _bounds(item: Optional[str]) -> frozenset[str]:
    """The items that contain an item as a subset (vocab.BOUNDED_BY), up to the widest."""
    out: set[str] = set()
    while item in vocab.BOUNDED_BY and vocab.BOUNDED_BY[item] not in out:
        item = vocab.BOUNDED_BY[item]
        out.add(item)
    return frozenset(out)


def _outside_its_whole(part: str, total: str) -> bool:
    """A part listed under a total that is neither its whole nor above it (商品和服务支出 under
    项目支出, 基本支出 under a 功能分类 item): it is that total's share of the item."""
    wholes = _wholes(part)
    return bool(wholes) and part != total and total not in wholes and total not in ("收入合计", "总计")


def _classifications(parts: list[Figure], total: Figure, para: Para) -> list[list[Figure]]:
    """"在职人员103人，其中：行政编制87人，事业编制16人；男性33人，女性70人": one total counted two
    ways. Groups split by "；" that each fit within the total while together they exceed it are
    separate lists; otherwise the list is one ("其中：基本支出300万元；项目支出600万元")."""
    groups: list[list[Figure]] = [[]]
    for p in parts:
        if groups[-1]:
            a = _reading_pos(para, groups[-1][-1].quantity.span.end)
            b = _reading_pos(para, p.quantity.span.start)
            if a is not None and b is not None and re.search(r"[；;]", para.text[a:b]):
                groups.append([])
        groups[-1].append(p)
    if len(groups) < 2 or any(len(g) < 2 for g in groups):
        return [parts]  # a classification lists two categories at least
    whole = total.quantity.base_value
    sums = [sum(p.quantity.base_value for p in g) for g in groups]
    # together they exceed the total, and each fits (or one adds up to it exactly)
    if sum(sums) > whole and (all(x <= whole for x in sums) or whole in sums):
        return groups
    return [parts]


def _ends_list(text: str, para: Para, last: Figure, stop: int) -> bool:
    """Nothing but the list's own end ("。", "等" would leave it open) after its last part."""
    i = _reading_pos(para, last.quantity.span.end) or 0
    tail = text[i : min(len(text), i + 6)]
    # "分别是A 5万元，B 18万元，科…": the text stops mid-sentence after one more clause, so the
    # list ran on past what was read (a page cut short)
    cut_short = SENTENCE_END.search(text, i) is None and re.search(r"[，,、；;]\s*[^\s，,、；;]", text[i:]) is not None
    return "等" not in tail and not cut_short


def classify_parts(total: Figure, parts: list[Figure]) -> PartOf:
    """A "其中" relation, judged as a full breakdown when its parts are exactly one of the
    total's known breakdowns (vocab.FULL_BREAKDOWNS), else only as parts within a total."""
    check, exhaustive = "sum.breakdown", False
    item = _item(total)
    names = [_item(p) for p in parts]
    if item in vocab.FULL_BREAKDOWNS and None not in names:
        for breakdown in vocab.FULL_BREAKDOWNS[item]:
            if set(names) == set(breakdown) and len(names) == len(set(names)):
                check, exhaustive = vocab.IDENTITY_CHECKS.get(item, "sum.breakdown"), True
            elif set(names) < set(breakdown):
                check = vocab.IDENTITY_CHECKS.get(item, "sum.breakdown")
    # the total may follow its parts ("A、B，合计X", as the model may pair them): the span covers all
    members = [total.span, *(p.span for p in parts)]
    return PartOf(total, parts, exhaustive, check, Span(min(m.start for m in members), max(m.end for m in members)))


# ---- claims a check can recompute ----------------------------------------------------------------


def _claims(figures: list[Figure], notes: _Notes, section: list[Figure]) -> list[Statement]:
    """Shares, changes, growth and completion rates, with the figures they are computed from,
    found in the same paragraph (this year's amount may stand earlier in the section)."""
    out: list[Statement] = []
    for k, f in enumerate(figures):
        if f.role == "share":
            out.extend(_share(f, figures[:k], notes, figures[k + 1 :]))
        elif f.role in ("change", "change_pct"):
            lead = notes.lead(f)
            gap = (_difference(f, figures[:k], lead.direction) if lead.direction in GAP_WORDS
                   and lead.base_period is None and lead.base_measure is None else [])
            if gap is None:
                continue
            out.extend(gap or _change(f, figures[:k], notes, section))
        elif f.role == "completion":
            after = [g for g in figures[k + 1 :] if g.sentence == f.sentence]
            rest = [g for g in figures[k + 1 :] if g.sentence != f.sentence]
            following = [g for g in rest if g.sentence == rest[0].sentence]
            out.extend(_completion(f, notes.lead(f), figures[:k], after, notes, following))
        elif f.role == "rate" and f.quantity.unit == "%":
            out.extend(_execution(f, figures[:k]))
        # ("差" is in every DIFFERENCE_END match, and folding keeps it: speed only, most labels have none)
        elif f.role == "level" and f.quantity.unit == "元" and "差" in f.label and (gap_word := DIFFERENCE_END.search(fold(f.label))):
            out.extend(_difference(f, figures[:k], gap_word.group()) or [])
        if f.quantity.unit == "%" and PAID_RATE.search(f.label):
            out.extend(_paid_unpaid(f, figures[:k]))
    return out


# "差值0.30万元", "收支相差63.32万元", "节约72.00万元" (with no base named): the gap between the
# two amounts before it
DIFFERENCE_END = re.compile(r"(?:差值|差额)(?:为|是)?$")
GAP_WORDS = ("相差", "节约", "节支")


def _difference(f: Figure, before: list[Figure], word: str) -> Optional[list[Statement]]:
    """"年初预算3.20万元，实际支出2.90万元，差值0.30万元": a gap with no sign, checked against the
    two amounts stated before it in its sentence — only where there are exactly two, so that
    the pair is the text's own."""
    pair = [g for g in before if g.sentence == f.sentence and g.role == "level" and g.quantity.unit == "元"]
    if len(pair) != 2:
        return []
    previous, current = pair
    if any(w in current.label for w in GAP_WORDS):
        # "规模32.72亿元，较采购计划节约资金5.51亿元，节约率14.41%": the second amount is the gap
        # itself and the plan it was saved from is not printed; nothing here to recompute (None:
        # nor is the rate a change of the amount before)
        return None
    if f.role == "change_pct":
        # "节约72.00万元，节约率6.00%": the rate of that gap, over the first amount (the budget)
        return [Statement("growth", {"current": current.quantity, "previous": previous.quantity, "rate": f.quantity},
                          Span(previous.span.start, f.span.end), {"direction": word}, f.subject,
                          {"current": current.span, "previous": previous.span, "rate": f.span})]
    return [Statement("change", {"current": current.quantity, "previous": previous.quantity, "amount": f.quantity},
                      Span(previous.span.start, f.span.end), {"direction": word, "unsigned": "1"}, f.subject,
                      {"current": current.span, "previous": previous.span, "amount": f.span})]


# the amount an execution rate may be taken of, the usual one first: 全年(调整后)预算, 预算, 年初
# 预算, and the funds that arrived (some reports divide by 到位)
EXECUTION_BASES = ("调整预算", "预算", "年初预算", "到位")


def _execution(f: Figure, before: list[Figure]) -> list[Statement]:
    """"全年预算数548.30万元，全年执行数530.12万元，预算执行率96.68%": 执行数 over a budget stated
    in the same sentence. Which budget the writer divided by is not always said (年初 or 调整后,
    or the funds that arrived), so every one stated is a reading, and only a rate that no
    reading gives is reported."""
    def same(g: Figure) -> bool:
        return (g.sentence == f.sentence and g.role == "level" and g.quantity.unit == "元" and g.period is None
                and (f.subject is None or g.subject is None or g.subject.key == f.subject.key))

    amounts = [g for g in before if same(g)]
    actuals = [g for g in reversed(amounts) if g.measure == "决算"]
    bases = sorted((g for g in reversed(amounts) if g.measure in EXECUTION_BASES), key=lambda g: EXECUTION_BASES.index(g.measure))
    if not actuals or not bases:
        return []
    actual, base = actuals[0], bases[0]
    alternatives = {k: [g.quantity for g in gs[1:]] for k, gs in (("actual", actuals), ("budget", bases)) if len(gs) > 1}
    return [Statement("execution", {"rate": f.quantity, "actual": actual.quantity, "budget": base.quantity},
                      Span(min(actual.span.start, base.span.start), f.span.end), {"base": base.measure or "预算"}, f.subject,
                      {"rate": f.span, "actual": actual.span, "budget": base.span}, alternatives=alternatives)]


# "资金支付18501.10万元，未支付703万元，支付率95%": the rate of what was paid of paid + unpaid
PAID_RATE = re.compile(r"(?:支付|拨付|执行)率$")
PAID = re.compile(r"(?<![未没])(?:已|累计|实际)?(?:支付|拨付|支出)(?:资金)?$")
UNPAID = re.compile(r"(?:尚?未|没有)(?:支付?|拨付|支出)(?:资金)?$")


def _paid_unpaid(f: Figure, before: list[Figure]) -> list[Statement]:
    """A paying-out rate right after a paid amount and the unpaid rest, in one sentence: the
    whole is the two together (what else the writer divided by is not said, so nothing else is a reading)."""
    run = [g for g in before[-2:] if g.sentence == f.sentence and g.quantity.unit == "元" and g.role == "level" and g.period is None]
    if len(run) != 2 or not (PAID.search(run[0].label) and UNPAID.search(run[1].label)):
        return []
    paid, unpaid = run
    return [Statement("paid_rate", {"rate": f.quantity, "paid": paid.quantity, "unpaid": unpaid.quantity},
                      Span(paid.span.start, f.span.end), {"word": PAID_RATE.search(f.label).group()}, paid.subject,
                      {"rate": f.span, "paid": paid.span, "unpaid": unpaid.span})]


SCORE_PARTS = ("预算执行情况得分", "产出指标得分", "效益指标得分", "满意度指标得分")


def _score_sums(figures: list[Figure]) -> list[Statement]:
    """"预算执行得分9.5分，产出指标得分47分，效益指标得分28分，满意度指标得分9分，自评总分94.5分":
    a total score stated with the category scores it is made of."""
    this_year = [f for f in figures if f.period is None and f.quantity.unit in ("分", None)]
    total = next((f for f in this_year if f.canonical == "自评得分"), None)
    parts = {f.canonical: f for f in this_year if f.canonical in SCORE_PARTS}
    if total is None or len(parts) < 3:
        return []
    values = {"total": total.quantity} | {f"part{i}": f.quantity for i, f in enumerate(parts.values())}
    spans = {"total": total.span} | {f"part{i}": f.span for i, f in enumerate(parts.values())}
    start = min(f.span.start for f in [total, *parts.values()])
    return [Statement("score_sum", values, Span(start, max(f.span.end for f in [total, *parts.values()])), {}, None, spans)]


COUNT_WORDS = r"(?P<count>[一二两三四五六七八九十\d]+)\s*(?P<unit>个|家|所|项|名|人|辆|处|支)"
COUNT_LIST = re.compile(
    COUNT_WORDS +
    # (a list in parentheses after the count says what it covers: "车辆5478辆（包括本级机关、直属单位）")
    r"(?:[^，。；（(]{0,6}?[，,]?\s*(?:分别为|分别是|即|具体为|具体是|包括)[:：]?|(?P<noun>[^，。；：:\d（(]{0,8})[：:])"
    r"(?P<items>[^。；;]+)[。；;]"
)
# an item that opens with a count of its own ("23个数量指标"): the list splits a count, names nothing
COUNTED_ITEM = re.compile(r"\s*" + COUNT_WORDS)
# "办公室、规划股和项目股": the last two may be joined by a word that also stands inside names
# (住房和城乡建设局), so a list counts between its 、-separated items and its items split by it too
LIST_JOIN_WORDS = re.compile(r"以及|和|及|与")


def _counts_listed(para: Para) -> list[Statement]:
    """"内设机构7个，分别为：办公室、规划股、…": a count and the items named after it."""
    out = []
    if not COUNT_LIST_WORDS.search(para.text) or not COUNT_LIST_COUNT.search(para.text):
        return out
    for m in COUNT_LIST.finditer(para.text):
        items = m.group("items").strip()
        if re.search(r"等\s*$|等[\d一二三四五六七八九十]+[个家所项]", items):
            continue  # "…等" lists some, not all
        parts = [p for p in re.split(r"[、，,；;]", re.sub(r"[（(][^）)]*[）)]", "", items)) if p.strip()]
        if len(parts) < 2:
            continue
        if m.group("noun") is not None and (re.search(r"\d|[一二三四五六七八九十]是", items) or max(len(p.strip()) for p in parts) > 16):
            continue  # "人员24人：在职19人、退休5人" is a split, "三个方面：一是…" a set of clauses: not names
        q = parse_quantity(m.group("count") + m.group("unit"), 0)
        if q is None and m.group("count") in CN_DIGITS and CN_DIGITS[m.group("count")] >= 2:
            # the quantity reader takes no lone numeral ("四个意识"); before a list, "两个" is a count
            q = Quantity(Decimal(CN_DIGITS[m.group("count")]), m.group("unit"), None, None, 0,
                         m.group("count") + m.group("unit"), Span(0, 0))
        if q is None:
            continue
        joined = sum(len([w for w in LIST_JOIN_WORDS.split(p) if w.strip()]) for p in parts)
        if any(COUNTED_ITEM.match(p) for p in parts):
            continue  # "33个指标，包括23个数量指标、2个质量指标、…" splits the count (sum.breakdown adds it up)
        q = replace(q, span=para.doc_span(m.start("count"), m.end("unit")))
        out.append(Statement("count", {"count": q}, para.doc_span(m.start(), m.end() - 1), {"items": str(len(parts)),
                             "items_joined": str(joined), "listed": "、".join(parts)[:60]}))
    return out


VEHICLE_BOUGHT = re.compile(vocab.VEHICLE_BOUGHT)
VEHICLE_NOT_BOUGHT = re.compile(vocab.VEHICLE_NOT_BOUGHT)
VEHICLE_OTHER_FUNDS = re.compile(vocab.VEHICLE_OTHER_FUNDS)
VEHICLE_NONE = re.compile(vocab.VEHICLE_NONE)
VEHICLE_NOT_THIS_YEAR = re.compile(r"(?:" + vocab.PREVIOUS_YEAR + r"|" + vocab.BARE_YEAR + r"|" + vocab.VEHICLE_PLAN + r")[^，。；]{0,10}$")


def _vehicles(reading: _Reading, para: Para, figures: list[Figure]) -> list[Statement]:
    """"购置公务用车2辆，公务用车购置费0万元" / "未购置公务用车，购置费5万元": the vehicles bought in
    the year against the purchase cost of the year, in one paragraph. Silent when any cost of the
    paragraph agrees with the claim (a 决算 beside another reading of the same item)."""
    this_year = (None, reading.year)
    costs = [f for f in figures if f.canonical == "公务用车购置费" and f.role == "level" and f.quantity.unit == "元"
             and f.quantity.op is None and f.period in this_year and f.measure in (None, "决算")]
    if not costs:
        return []
    text = reading.doc.text
    claims: list[tuple[Span, Optional[Quantity], Optional[Span], str]] = []  # (claim, count, sentence, as said)
    for f in figures:
        if f.role != "count" or f.quantity.unit != "辆" or f.period not in this_year or f.sentence is None:
            continue
        after = text[f.quantity.span.end : f.quantity.span.end + 8]
        after = after[: min((after.find(c) for c in "，。；,;" if c in after), default=len(after))]
        if not VEHICLE_BOUGHT.search(f.label) or VEHICLE_NOT_BOUGHT.search(f.label) or "车" not in f.label + after:
            continue  # the fleet (保有量), cars transferred or disposed of, a plan: no purchase of the year
        if VEHICLE_OTHER_FUNDS.search(text[f.sentence.start : f.sentence.end]):
            continue  # bought with money the 财政拨款 购置费 does not cover
        claims.append((f.span, f.quantity, f.sentence, f.label + f.quantity.text))
    for m in VEHICLE_NONE.finditer(para.text):
        start = clause_start(para.text, m.start(), max(0, m.start() - 20))
        if VEHICLE_NOT_THIS_YEAR.search(para.text[start : m.start()]) and not (reading.year and reading.year in para.text[start : m.start()]):
            continue  # "上年未购置公务用车": another year's
        span = para.doc_span(m.start(), m.end())
        sentence = next((para.doc_span(s, e) for s, e in para.sentences() if s <= m.start() < e), None)
        claims.append((span, None, sentence, m.group(0)))
    out = []
    for span, count, sentence, said in claims:
        bought = count is not None and count.value > 0
        if any((c.quantity.value > 0) == bought for c in costs):
            continue  # a cost of the paragraph agrees with the claim
        cost = min(costs, key=lambda c: abs(c.span.start - span.start))
        # unmistakable: the cost named in its own clause (not inherited), one value in the paragraph
        sure = cost.confidence == "stated" and len({c.quantity.value for c in costs}) == 1
        values = {"cost": cost.quantity} | ({"count": count} if count is not None else {})
        words = {"claim": "bought" if bought else "none", "said": said, "cost_label": cost.label, "sure": "1" if sure else ""}
        st = Statement("vehicles", values, Span(min(span.start, cost.span.start), max(span.end, cost.span.end)), words,
                       cost.subject, {"claim": span, "cost": cost.span})
        st.sentence = sentence
        out.append(st)
    return out


RUN_LABELS = ("", "、", "和", "及", "与", "以及")


def _run_before(figures: list[Figure], last: Figure) -> list[Figure]:
    """The run "a、b和c" of figures of one unit that `last` closes: each after the first has no
    words of its own before it but a joiner."""
    k = next(i for i in range(len(figures) - 1, -1, -1) if figures[i] is last)
    run = [last]
    while k > 0 and figures[k].label in RUN_LABELS and figures[k - 1].quantity.unit == last.quantity.unit:
        k -= 1
        run.insert(0, figures[k])
    return run


def _share(f: Figure, before: list[Figure], notes: _Notes, after: list[Figure] = ()) -> list[Statement]:
    """"一般公共服务支出（类）2106.66万元，占71.73%": the part is the amount just before the
    share; the whole is named after 占, or is the total the part's list opened with."""
    lead = notes.lead(f)
    inline = notes.wholes.get(id(f))
    part = next((g for g in reversed(before) if g.role == "level" and g.quantity.unit == "元" and id(g) not in notes.named_wholes), None)
    if part is None:
        return []
    nearest = next((g for g in reversed(before) if g.role == "level" and id(g) not in notes.named_wholes), None)
    if nearest is not part and nearest.quantity.unit is None and nearest.subject is not None:
        # "项目支出639.07，占当年拨款收入2%": the share is of the amount printed without its unit
        # just before it, which cannot be read; an amount further back is not its part
        return []
    amounts = _run_before(before, part)
    pairs = [(f, part)]
    if len(amounts) > 1:
        # "分别为a、b和c，占…比例为p、q和r": the shares are the amounts' in order, each its own
        # amount's (read at the first of them); a lone share after such a run says not whose it is
        if f.label in RUN_LABELS and before[-1].quantity.unit == "%":
            return []  # not the run's first share: read with the first, or the run is longer than the amounts
        shares = [f] + list(takewhile(lambda g: g.quantity.unit == "%" and g.label in RUN_LABELS, after))
        if len(shares) != len(amounts):
            return []
        pairs = list(zip(shares, amounts))
    return [st for share_fig, part_fig in pairs
            for st in _share_of(share_fig, part_fig, inline if share_fig is f else None, lead, before, amounts, notes)]


def _share_of(f: Figure, part: Figure, inline: Optional[Figure], lead, before: list[Figure], amounts: list[Figure],
              notes: _Notes) -> list[Statement]:
    """One share `f` of the amount `part`; its whole as `_share` finds it."""
    spans = {"part": part.span, "rate": f.span}
    if inline is not None:
        spans["whole"] = inline.span
        return [Statement("share", {"rate": f.quantity, "part": part.quantity, "whole": inline.quantity},
                          Span(part.span.start, f.span.end), {}, part.subject, spans, whole=inline.subject)]
    if lead.whole is not None or id(part) in notes.named_totals:
        named = lead.whole or notes.named_totals[id(part)]
        rescoped = named.name in ("收入", "支出") and named.scope is None and part.subject is not None and part.subject.scope
        if rescoped:
            # "占本年支出的25%" in a section on 一般公共预算财政拨款 spending: that scope's total
            named = replace(named, scope=part.subject.scope)
        whole = next((g for g in reversed(before) if g is not part and not any(g is a for a in amounts) and g.role == "level" and g.subject is not None
                      and g.subject.key == named.key and g.quantity.unit == part.quantity.unit), None)
        if whole is None:  # the whole is not in this paragraph: the checks look it up
            # a bare "本年支出" may also mean all funds: the check tries that reading too
            loose = {"whole_unscoped": "1"} if rescoped else {}
            return [Statement("share", {"rate": f.quantity, "part": part.quantity}, Span(part.span.start, f.span.end),
                              {"whole_name": named.name} | loose, part.subject, spans, whole=named)]
    else:
        whole = notes.totals.get(id(part))
    if whole is None or whole is part:
        return []
    spans["whole"] = whole.span
    return [Statement("share", {"rate": f.quantity, "part": part.quantity, "whole": whole.quantity},
                      Span(part.span.start, f.span.end), {}, part.subject, spans, whole=whole.subject)]


BUDGET_MEASURES = ("预算", "年初预算", "调整预算")


def _change(f: Figure, before: list[Figure], notes: _Notes, section: list[Figure]) -> list[Statement]:
    """"X万元，比上年增加C万元，增长P%" (or "2023年为A，2024年为B，比2023年增加P%"): the current
    level is the figure of the same subject before the change; the previous one is stated, or
    follows from a change amount stated beside the rate. Where the text leaves open which
    earlier amount is meant (a total and its parts), every one is a possible reading."""
    lead = notes.lead(f)

    def same(g: Figure) -> bool:
        # an amount of unknown subject is no reading of a change whose subject is known
        return f.subject is None or (g.subject is not None and g.subject.key == f.subject.key) or (
            g.subject is None and notes.lead(g).compared)

    # "占本年支出合计4,815,895.57元的70.85%": the whole of a share is a reference, not what changed
    levels = [g for g in before if g.role == "level" and g.quantity.unit == "元" and same(g) and notes.lead(g).role != "share"
              and not notes.lead(g).reference]
    currents = [g for g in reversed(levels) if not _is_base(g, lead, notes)]
    # (membership by identity, speed only: two figures are equal only when they are one, for no
    # two figures of a document share a span, and comparing every field was most of this reading)
    taken = {id(g) for g in currents}
    previous = next((g for g in reversed(levels) if id(g) not in taken and _is_base(g, lead, notes)), None)
    if not currents and f.subject is not None:
        # "部门整体支出8553.84万元。\n部门整体支出较上年的8368.14万元增长10.1%"
        pool = [g for g in reversed(section) if g.role == "level" and g.subject is not None and g.period is None
                and g.subject.key == f.subject.key and g.quantity.unit == "元"]
        # "…预算为A元，支出决算为B元。\n…决算数比上年减少C元，下降p%": the amount of the measure the
        # change names (its rate, by its amount), though it took its subject from the budget before it
        measure = lead.measure or next((notes.lead(g).measure for g in reversed(before) if g.role == "change" and same(g)), None)
        currents = [g for g in pool if measure is not None and g.measure == measure and g.confidence in ("stated", "inherited")][:1] or [
            g for g in pool if g.confidence == "stated"][:1]
    if not currents:
        return _opposite_directions(f, before, notes)
    if lead.measure is None and any(g.measure not in BUDGET_MEASURES for g in currents):
        # "支出1.57万元，年初预算2.11万元，完成年初预算的74.25%，同比增加0.32万元": the budget is the
        # reference of the completion; the year-on-year change is of the amount spent
        currents.sort(key=lambda g: g.measure in BUDGET_MEASURES)
    current = currents[0]
    subject = f.subject
    total = notes.totals.get(id(current))
    # "公务接待费支出决算减少450元，下降100%": a rate after its part's named amount is that part's
    stop = max((b for b in notes.stops if b < f.span.start), default=-1)
    named = lead.named or f.role == "change_pct" and any(
        g.role == "change" and g.span.start > stop and same(g) and notes.lead(g).named for g in before)
    if total is not None and not named and any(current.span.end <= b < f.span.start for b in notes.stops):
        # "三公经费支出A，其中：出国…，接待费c。较上年的B减少C": a sentence of its own after a
        # 其中 list, naming nothing, compares the total the list broke down, not its last part
        current, subject = total, total.subject
        currents = [total] + [g for g in currents if g is not total]
    # "总预算A，其中：基本支出b，项目支出c，同比增加C，增长P%": a change after the last part, in the
    # list's own sentence and naming nothing, may be the total's as well as that part's
    listed = total if total is not None and not named and current is not total else None
    if f.confidence != "stated" and not (previous is not None and previous.confidence == "stated"):
        # an unnamed change against an unnamed base ("…4.96万元，比上年的5.27万元增长24.7%") may be
        # about any amount before it in its clause group ("；" ends one)
        floor = max((b for b in notes.breaks if b < f.span.start), default=-1)
        taken = {id(g) for g in currents}
        currents += [g for g in reversed(before) if g.role == "level" and g.quantity.unit == "元" and id(g) not in taken
                     and g.span.start > floor and g is not previous and not _is_base(g, lead, notes)]
    words = {"direction": lead.direction or ""}
    if re.search(r"\((增加|增长|减少|下降)\)", fold(lead.label)) or lead.direction and "(" in fold(lead.label):
        words["ambiguous"] = "1"
    values = {"current": current.quantity}
    spans = {"current": current.span}
    if previous is not None:
        values["previous"], spans["previous"] = previous.quantity, previous.span
    if f.role == "change":
        values["amount"], spans["amount"] = f.quantity, f.span
        alternatives = {"current": [g.quantity for g in currents[1:]]} if len(currents) > 1 else {}
        if listed is not None:
            alternatives.setdefault("current", []).append(listed.quantity)
        return [Statement("change", values, Span(current.span.start, f.span.end), words, subject, spans, alternatives=alternatives)]
    values["rate"], spans["rate"] = f.quantity, f.span
    amount = next((g for g in reversed(before) if g.role == "change" and g.quantity.span.start > current.quantity.span.start and same(g)), None)
    if amount is not None and previous is None:
        values["amount"], spans["amount"] = amount.quantity, amount.span
        words["amount_direction"] = notes.lead(amount).direction or ""
    alternatives = {"current": [g.quantity for g in currents[1:]]} if len(currents) > 1 and amount is None else {}
    if listed is not None and (amount is None or amount.span.start > listed.span.end):
        alternatives.setdefault("current", []).append(listed.quantity)
    return [Statement("growth", values, Span(current.span.start, f.span.end), words, subject, spans, alternatives=alternatives)]


def _opposite_directions(f: Figure, before: list[Figure], notes: _Notes) -> list[Statement]:
    """"减0.04万元，增0.01%" with no amount of the year stated: the change and its rate cannot
    both be right. Only the amount just before the rate in its clause group, of the same base,
    both non-zero."""
    if f.role != "change_pct" or not before:
        return []
    g = before[-1]
    lead, glead = notes.lead(f), notes.lead(g)
    words = (lead.direction, glead.direction)
    if (g.role != "change" or g.sentence != f.sentence or any(b > g.span.start and b < f.span.start for b in notes.breaks)
            or not all(w in vocab.UP_WORDS + vocab.DOWN_WORDS for w in words)
            or (lead.base_period, lead.base_measure) != (glead.base_period, glead.base_measure)
            or f.quantity.value == 0 or g.quantity.value == 0 or f.quantity.value < 0 or g.quantity.value < 0):
        return []
    if (words[0] in vocab.UP_WORDS) == (words[1] in vocab.UP_WORDS):
        return []
    if "(" in fold(lead.label) or "(" in fold(f.label):
        return []  # "增加X元（下降P%）": a parenthesised rate may be a remark on another base; not judged
    return [Statement("direction", {"rate": f.quantity, "amount": g.quantity}, Span(g.span.start, f.span.end),
                      {"direction": words[0] or "", "amount_direction": words[1] or ""}, f.subject, {"rate": f.span, "amount": g.span})]


def _is_base(g: Figure, lead: Lead, notes: _Notes) -> bool:
    """Whether a level figure is the one a change is measured against: of the base period
    (and base measure, when the comparison names one)."""
    period = notes.lead(g).period
    if notes.lead(g).compared:
        return True  # "与2021年度年初预算1.00万元相比", "比上年的5.27万元": named as the base
    if lead.base_period is None:
        if lead.base_measure is not None:
            # "决算数大于年初预算数36万元": the base is the amount of the measure named, of the
            # same year (a budget of another year stated nearby is no base of it)
            return g.measure == lead.base_measure and g.period is None
        # "比上年的5.27万元增长24.7%": the earlier amount is named by its own period (or by its
        # total's, as a part of an earlier year's list)
        period = period or g.period
        return period is not None and period != notes.year

    if period is None:
        return False
    if lead.base_period == "上年":
        return period == "上年" or g.period is not None
    return period == lead.base_period and (lead.base_measure is None or g.measure in (lead.base_measure, None))


def _completion(f: Figure, lead: Lead, before: list[Figure], after: list[Figure], notes: _Notes,
                following: list[Figure] = ()) -> list[Statement]:
    """"年初预算为A，支出决算为B，完成年初预算的P%": actual over the budget of the same subject.
    Where one of the two amounts is not stated but its gap to the other is, that amount follows
    from the gap: "决算2263.18万元，完成年初预算的100%，决算数大于年初预算数86.40万元" (the budget is the
    actual less the gap), or "年初预算为250.00万元，完成年初预算的112.00%，决算数大于年初预算数
    36.00万元" (the actual is budget × rate, so the gap is checked as a change against it)."""
    subject = f.subject
    levels = [g for g in before if g.role == "level" and g.quantity.unit == "元"
              and (subject is None or g.subject is None or g.subject.key == subject.key)]
    actual = next((g for g in reversed(levels) if g.measure == "决算"), None)
    target = next((g for g in reversed(levels) if g.measure == lead.base_measure), None)
    if target is None and lead.base_measure == "预算":
        target = next((g for g in reversed(levels) if g.measure in ("年初预算", "调整预算")), None)
    if actual is not None and target is None and lead.base_measure:
        # "决算为B元，为年初预算的P%。年初预算为A元": the budget may be stated just after the rate,
        # at the head of the next sentence, naming nothing else
        target = next((g for g in [*after, *following][:2] if g.role == "level" and g.quantity.unit == "元" and g.measure == lead.base_measure
                       and (subject is None or g.subject is None or g.subject.key == subject.key or not notes.lead(g).named)), None)
    if (actual is None) != (target is None):
        gap = next((g for g in before[-2:] + after[:2] if g.role == "change" and g.quantity.unit == "元"
                    and notes.lead(g).base_measure in BUDGET_MEASURES and notes.lead(g).direction), None)
        if gap is not None and actual is not None:
            sign = Decimal(1) if notes.lead(gap).direction in vocab.UP_WORDS else Decimal(-1)
            value = actual.quantity.value - sign * gap.quantity.base_value / actual.quantity.multiplier
            # printed to one place fewer: the budget carries the rounding of both figures it comes from
            decimals = max(0, min(actual.quantity.decimals, gap.quantity.decimals) - 1)
            derived = replace(actual.quantity, value=value, decimals=decimals, text=f"{value}{_money_unit(actual.quantity)}",
                              span=gap.quantity.span)
            return [Statement("completion", {"target": derived, "actual": actual.quantity, "rate": f.quantity},
                              Span(actual.span.start, max(f.span.end, gap.span.end)), {"base": (lead.base_measure or "") + "（按差额推算）"},
                              subject, {"target": gap.span, "actual": actual.span, "rate": f.span})]
        if gap is not None and f.quantity.unit == "%":
            return [_gap_from_rate(target, f, gap, notes)]
    if actual is None or target is None:
        return []
    return [Statement("completion", {"target": target.quantity, "actual": actual.quantity, "rate": f.quantity},
                      Span(min(target.span.start, actual.span.start), max(f.span.end, target.span.end)), {"base": lead.base_measure or ""}, subject,
                      {"target": target.span, "actual": actual.span, "rate": f.span})]


def _money_unit(q: Quantity) -> str:
    return f"{q.scale or ''}元"


def _gap_from_rate(target: Figure, rate: Figure, gap: Figure, notes: _Notes) -> Statement:
    """The change "决算数大于年初预算数D" where only the budget B and the completion rate P are
    stated: the actual is B × P, printed no finer than the rate's rounding allows (112.00% of
    250.00 is 280.00 ± 0.0125, so 280.0), and D is checked against B × P − B."""
    budget = target.quantity
    value = budget.value * rate.quantity.value / 100
    uncertainty = budget.value * rate.quantity.half_ulp / 100 + budget.half_ulp
    decimals = budget.decimals
    while decimals > -3 and Decimal(5) * Decimal(10) ** (-(decimals + 1)) < uncertainty:
        decimals -= 1
    shown = value.quantize(Decimal(10) ** -max(decimals, 0))
    derived = replace(budget, value=value, decimals=decimals, span=rate.quantity.span,
                      text=f"{shown}{_money_unit(budget)}（{budget.text}×{rate.quantity.text}推算）")
    return Statement("change", {"current": derived, "previous": budget, "amount": gap.quantity},
                     Span(target.span.start, max(rate.span.end, gap.span.end)),
                     {"direction": notes.lead(gap).direction or "", "derived": "completion"}, target.subject,
                     {"current": rate.span, "previous": target.span, "amount": gap.span})


def _comparisons(para: Para, s: int, e: int, subject: Optional[Subject], figures: list[Figure]) -> list[Statement]:
    """"决算数小于预算数" and "决算数与预算数基本持平" against the item's own two figures."""
    out = []
    for m in COMPARE_RE.finditer(para.text, s, e):
        word = next((w for w in vocab.COMPARE_WORDS if w in m.group(2)), None)
        if word is None:
            continue
        # "“三公”经费支出决算数大于预算数的主要原因…" after its parts: the clause names what it
        # compares, which is not the last part named before it
        named = named_subject(para.text[clause_start(para.text, m.start(), s) : m.start()])
        levels = [f for f in figures if f.role == "level" and f.quantity.unit == "元" and f.quantity.span.start < para.offsets[m.start()]
                  and (subject is None or f.subject is None or f.subject.key == subject.key)
                  and (named is None or f.subject is not None and f.subject.item == named.item and named.scope in (None, f.subject.scope))]
        actual = next((f for f in reversed(levels) if f.measure == "决算"), None)
        # the budget of what was spent, not of another item stated after it
        budget = next((f for f in reversed(levels) if f.measure in ("年初预算", "预算", "调整预算") and (
            actual is None or actual.subject is None or f.subject is None or f.subject.key == actual.subject.key)), None)
        if actual is None or budget is None:
            continue
        span = para.doc_span(m.start(), m.end())
        out.append(Statement("comparison", {"actual": actual.quantity, "budget": budget.quantity}, span,
                             {"word": word, "basic": "基本" if "基本" in m.group(0) else ""}, subject,
                             {"actual": actual.span, "budget": budget.span}))
    return out


def _formulas(para: Para, figures: list[Figure]) -> list[Statement]:
    """"（A元÷B元）×100%=R%": the ratio a report works out in words."""
    out = []
    text = para.text
    qs = [(f.quantity, f) for f in figures]
    for i in range(len(qs) - 2):
        (num, _), (den, _) = qs[i], qs[i + 1]
        a, b = _reading_pos(para, num.span.end), _reading_pos(para, den.span.start)
        if a is None or b is None or not FORMULA_GAP.fullmatch(text[a:b]):
            continue
        for r, _f in qs[i + 2 : i + 4]:
            c, d = _reading_pos(para, den.span.end), _reading_pos(para, r.span.start)
            if r.unit == "%" and c is not None and d is not None and FORMULA_TAIL.fullmatch(text[c:d]):
                lead = text[max(0, a - 80) : _reading_pos(para, num.span.start) or a]
                words = {"execution": "1"} if re.search(r"执行率[^。；;，,]*[=＝]", lead) else {}
                out.append(Statement("formula", {"numerator": num, "denominator": den, "rate": r}, Span(num.span.start, r.span.end), words))
                break
    return out


def _reading_pos(para: Para, doc_offset: int) -> Optional[int]:
    """Index in the reading copy of a document offset (or of the next kept character)."""
    i = bisect_left(para.offsets, doc_offset)
    return i if i <= len(para.offsets) else None


def _completion_words(para: Para, s: int, e: int, figures: list[Figure]) -> list[Statement]:
    """"计划完成288户，实际完成324户，完成112.5%": the target and actual are named by words."""
    out = []
    text = para.text
    for k, f in enumerate(figures):
        q = f.quantity
        if q.unit != "%":
            continue
        at = _reading_pos(para, q.span.start)
        if at is None or not COMPLETION_LEAD.search(text[max(s, at - 12) : at]):
            continue
        earlier = [g for g in figures[:k] if g.quantity.unit not in ("%", None)]
        actual = next((g for g in reversed(earlier) if ACTUAL_WORDS.search(g.label + _before(para, g, 6))), None)
        target = next((g for g in earlier if g is not actual and TARGET_WORDS.search(g.label + _before(para, g, 8))), None)
        if actual and target and actual.quantity.unit == target.quantity.unit:
            out.append(Statement("completion", {"target": target.quantity, "actual": actual.quantity, "rate": q},
                                 Span(target.span.start, q.span.end), {"base": "目标"}, None,
                                 {"target": target.span, "actual": actual.span, "rate": f.span}))
    return out


def _before(para: Para, f: Figure, n: int) -> str:
    at = _reading_pos(para, f.span.start) or 0
    return para.text[max(0, at - n) : at]


def _grades(para: Para, s: int, e: int, figures: list[Figure]) -> list[Statement]:
    out = []
    matches = list(GRADE_RE.finditer(para.text, s, e))
    for n, m in enumerate(matches):
        # the overall score, never a category's ("产出指标得分50分"); with several grades in one
        # sentence ("项目自评86.5分，评定为良；部门整体自评得分95.5分，等级为优") each takes the
        # score written between the grade before it and itself, else the one after it
        here = para.doc_span(m.start(), m.end())
        since = para.doc_span(matches[n - 1].end(), matches[n - 1].end()).start if n else -1
        until = para.doc_span(matches[n + 1].start(), matches[n + 1].start()).start if n + 1 < len(matches) else None
        scores = [f for f in figures if f.quantity.unit == "分" and f.canonical in ("自评得分", None)
                  and f.span.start >= since and (until is None or f.span.end <= until)]
        before = [f for f in scores if f.span.end <= here.start]
        named_before = [f for f in before if f.canonical == "自评得分"]
        named = [f for f in scores if f.canonical == "自评得分"]
        # the score written just before the grade ("自评86.5分，评定为良；部门整体自评得分97分")
        score = (named_before or before or named or scores or [None])[-1 if (named_before or before) else 0]
        values = {"score": score.quantity} if score else {}
        out.append(Statement("grade", values, para.doc_span(m.start(), m.end()), {"grade": m.group(1)}))
    return out


def goal_statements(target_text: str, target_span: Span, actual_text: str, actual_span: Span, context: str = "narrative") -> list[Statement]:
    """年度总体目标 cells: "全年完成288户…" vs "实际完成324户，完成112.5%"."""
    targets = [q for q in find_quantities(target_text, target_span.start) if q.unit not in ("%", None)]
    actuals = find_quantities(actual_text, actual_span.start)
    rate = next((q for q in actuals if q.unit == "%" and COMPLETION_LEAD.search(actual_text[: q.span.start - actual_span.start][-8:])), None)
    if not targets or rate is None:
        return []
    target = targets[0]
    actual = next((q for q in actuals if q.unit == target.unit), None)
    if actual is None:
        return []
    return [Statement("completion", {"target": target, "actual": actual, "rate": rate}, Span(target.span.start, rate.span.end),
                      {"base": "目标"}, context=context)]


__all__ = ["extract_narrative", "goal_statements"]
