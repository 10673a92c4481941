"""Find and parse printed quantities ("5.56万人", "≥10141人次", "百分之九十五") in report text.

* `parse_quantity(cell)` – a table cell that should hold ONE quantity; None otherwise.
* `find_quantities(text)` – every quantity mentioned in narrative text, in order, with spans.
* `to_decimal(num)` – a plain numeral ("3,621.22", "－５") to (Decimal, printed decimals).

Offsets: the caller's text is never normalised. Matching runs on a folded copy made with a
1:1 character translation (full-width digits and operators to ASCII), so an index into the copy
is an index into the original, and `Quantity.text` is always sliced from the original.

Rules callers depend on:
* Bare numbers (no unit, no scale) in narrative are kept only when they look like amounts: they
  have a decimal point or thousands separators, or carry an operator ("≥95"), or are integers
  >= 10 right after 为/计/共/达/约/支出/发放/金额/:/= — and never when year-like (1900-2099),
  codes of 7+ digits, mobile numbers, labels ("指标10:"), ordinals ("1.", "（2）", "1、") or
  document numbers ("[2020]5号"). In a cell (`parse_quantity`) any other bare number counts.
* Chinese numerals count only when they have 2+ characters, contain 十/百/千/万/亿, are well
  formed ("十四五" is not), do not follow 第, and are followed by a unit (or come after 百分之,
  where any numeral is fine). In a cell the unit is optional. A trailing 万/亿 becomes the scale:
  "三百万元" -> 300 万 元, while "一万二千三百" -> 12300. So "一到两家", "四个意识", "十分" and
  "十九大" give nothing. "点" decimals ("三点五") are not read.
* Ranges "200～450元/人·月", "1至2个": a bare first number takes the second's unit and scale,
  giving two quantities. "4300余万元", "470多个" get op ">" (more than) unless an operator is given.
* Dates are never quantities: N年 for N in 1900-2099, N月 (N <= 12) and N日 (N <= 31) unless an
  operator or 以上/以内/以下 makes them a duration, and 2021-03-30 / 2021.03.30 style dates.
"""
from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import fields, replace
from decimal import Decimal
from typing import Optional

from .records import Quantity, Span
from .text import SENTENCE_END, matches_at

# Full-width digits/operators map 1:1, so folding keeps every offset.
_FOLD_TEXT = str.maketrans(
    "０１２３４５６７８９．－−＋％＝＞＜≧≦〜~：／•・‧",
    "0123456789.--+%=><≥≤～～:/···",
)
# In a cell a full-width comma can only be a thousands separator; in prose it is a clause
# break ("分别为100，200，300"), so only cells fold it.
_FOLD_CELL = {**_FOLD_TEXT, ord("，"): ","}

# Base units, each with a guard against the everyday word it begins ("人民", "期间", "十分之").
_UNIT_GUARDS = {
    "元": "", "人次": "", "户次": "", "人": "(?!民)", "户": "(?!口|籍)", "个百分点": "", "百分点": "",
    "个月": "", "个": "", "家": "(?!庭)", "所": "(?!有|属|在)", "项": "", "场": "", "张": "",
    "名": "(?!单|称|义)", "次": "(?!性)", "件": "", "台": "(?!账)", "辆": "", "套": "", "座": "",
    "处": "(?!理|置|室)", "起": "(?!来|步|点)", "条": "", "篇": "", "部": "(?!门|署|分)", "册": "",
    "份": "", "批": "(?!准|复)", "期": "(?!间|限)", "床": "", "间": "", "栋": "", "宗": "", "例": "",
    "笔": "", "字": "", "倍": "", "吨": "", "公斤": "", "千克": "", "公里": "", "千米": "",
    "平方公里": "", "平方米": "", "立方米": "", "米": "", "亩": "", "天": "", "日": "",
    "周": "(?!年|岁)", "月": "", "年": "(?!代|级|龄)", "周岁": "", "岁": "", "小时": "", "分钟": "",
    "分": "(?!之|别|钟|点)", "%": "",
}
_UNIT_BASE = {"个月": "月", "个百分点": "百分点", "周岁": "岁"}
_UNIT = "|".join(re.escape(u) + g for u, g in sorted(_UNIT_GUARDS.items(), key=lambda kv: -len(kv[0])))
# Rate denominators: "元/年", "元/人·月", "人/年", "元/具", "万元/生.年" (any one or two-character
# noun after the slash, and a period after a dot: an amount per something is no amount)
_DENOM = r"/(?:人·[年月天日]|人/[年月]|平方米|[\u4e00-\u9fff]{1,2}(?:[·.．][年月天日])?)"
# 万/亿 may stand alone ("4.2万"); 千/百 only before a unit, where they cannot be a word.
_SCALE = rf"万|亿|(?:十万|百万|千万|千|百)(?=[ ]?(?:{_UNIT}))"

CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_SMALL = {"十": 10, "百": 100, "千": 1000}
_CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
_CN = rf"(?<![{_CN_CHARS}第])[零〇一二两三四五六七八九十][{_CN_CHARS}]*"
# A sign only counts after a boundary or 为/增长/增幅, so "2020-2021年" and "380元-700元"
# are ranges, not negative numbers.
_AR = (
    r"(?:(?<![^\s(（\[:=<>≥≤,、；;为长幅])[-+])?"
    r"(?<![0-9A-Za-z.*])(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?![0-9*])"
)

_OPS = {
    "不低于": "≥", "不少于": "≥", "不小于": "≥", "至少": "≥", "达到": "≥", "≥": "≥", ">=": "≥",
    "不高于": "≤", "不超过": "≤", "不大于": "≤", "控制在": "≤", "≤": "≤", "<=": "≤",
    "超过": ">", "高于": ">", "大于": ">", ">": ">", "低于": "<", "小于": "<", "少于": "<", "<": "<",
    "=": "=",
}
_SUFFIX_OPS = {"以上": "≥", "以内": "≤", "以下": "≤"}
_OP = "|".join(re.escape(k) for k in sorted(_OPS, key=len, reverse=True))

_TOKEN = re.compile(
    rf"(?:(?P<op>{_OP})[ \t]*)?"
    rf"(?P<body>百分之(?:(?P<pnum>{_AR})|(?P<pcn>{_CN}))"
    rf"|(?:(?P<num>{_AR})|(?P<cn>{_CN}))"
    rf"(?:(?P<approx>[余多])(?=[ ]?(?:{_SCALE}|{_UNIT})))?"
    rf"(?:[ ]?(?P<scale>{_SCALE}))?"
    rf"(?:(?P<approx2>[余多])(?={_UNIT}))?"
    rf"(?:[ ]?(?P<unit>{_UNIT})(?P<rate>{_DENOM})?)?)"
    rf"(?P<suffix>以上|以内|以下)?"
)
_PLAIN = re.compile(r"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")
_TRIGGER = re.compile(r"(?:为|计|共|达|约|支出|发放|金额|:|=)[ \t]*$")
_LABEL = re.compile(r"(?:指标|目标|职能|序号|附件|附表|表|图|编码|编号|邮编|代码|电话|手机|传真|账号)[ \t:]*$")
_ORDINAL_TAIL = re.compile(r"[、.)）]|[ \t]+[^\s0-9+\-.]")
# 2021-03 / 2021.3.30 are dates; 2038.16 (a month past 12) is an amount
_DATE = re.compile(r"(?:19|20)[0-9]{2}[-/.](?:0?[1-9]|1[0-2])(?![0-9])(?:[-/.](?:0?[1-9]|[12][0-9]|3[01])(?![0-9]))?")
_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_RANGE_SEP = re.compile(r"[ ]*(?:～|至|到|-|—{1,2}|–)[ ]*")


def to_decimal(num_text: str) -> tuple[Decimal, int]:
    """ "3,621.22" -> (Decimal("3621.22"), 2); accepts full-width digits, "，" and a sign."""
    s = num_text.strip().translate(_FOLD_CELL)
    if not _PLAIN.fullmatch(s):
        raise ValueError(f"not a plain number: {num_text!r}")
    s = s.replace(",", "")
    return Decimal(s), len(s.partition(".")[2])


def _cn_int(s: str) -> Optional[int]:
    """Value of a Chinese numeral, or None when malformed ("十四五": two digits in a row)."""
    if not any(c in _CN_SMALL or c in "万亿" for c in s):  # digit by digit: 二〇二四
        return int("".join(str(CN_DIGITS[c]) for c in s))
    total = section = digit = 0
    last = ""
    for c in s:
        if c in CN_DIGITS:
            if last in CN_DIGITS and last not in "零〇":
                return None
            digit = CN_DIGITS[c]
        elif c in _CN_SMALL:
            section += (digit or 1) * _CN_SMALL[c]
            digit = 0
        elif c == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        else:  # 亿
            total = (total + section + digit) * 100_000_000
            section = digit = 0
        last = c
    return total + section + digit


def _judge(m: re.Match, text: str, folded: str, cell: bool, offset: int = 0, floor: int = 0) -> tuple[str, Optional[Quantity]]:
    """Classify one regex match as "q" (a quantity), "weak" (a bare number that only a range
    can promote), "date", or "skip". The quantity's span is shifted by `offset` (made where it
    ends up, rather than made and moved: speed only). `floor` is where the text read begins in
    `folded` (a sentence of a paragraph read whole): no line begins before it."""
    s, e = m.span("body")
    if folded[m.start() - 1 : m.start()] == "第":
        return "skip", None
    # the groups in one call, not one lookup each (speed only)
    op_raw, pnum, pcn, num, cn_raw, approx, scale, approx2, unit_raw, rate, suffix = m.group(*_GROUPS)
    if unit_raw in _DATE_FIELDS and num and num.isdigit() and not scale and not rate:
        # = the date tests below, for a plain integer before 年/月/日, made before its Decimal
        # (speed only: one number in six in these reports is a year or a day of a date)
        low, high = _DATE_FIELDS[unit_raw]
        if low <= int(num) <= high and (unit_raw == "年" or not (op_raw or suffix)):
            return "date", None
    raw = num or pnum
    if raw:
        # = to_decimal(raw): a numeral _TOKEN matched is ASCII digits, "," and "." already
        # (speed only; tests/test_quantity.py::test_token_numerals_read_as_to_decimal_reads_them)
        unseparated = raw.replace(",", "") if "," in raw else raw
        value, decimals = Decimal(unseparated), len(unseparated.partition(".")[2])
    else:
        cn = cn_raw or pcn
        if cn_raw:
            if not any(c in _CN_SMALL or c in "万亿" for c in cn):
                # digit-by-digit numerals (二〇二四) only spell years and codes in these reports
                return ("date" if unit_raw == "年" else "skip"), None
            if len(cn) < 2 or not (unit_raw or cell):
                return "skip", None
            if not scale and cn[-1] in "万亿" and not any(c in "万亿" for c in cn[:-1]):
                cn, scale = cn[:-1], cn[-1]
        n = _cn_int(cn)
        if n is None:
            return "skip", None
        value, decimals = Decimal(n), 0
    op = op_raw or suffix

    # Dates. A plain integer is one that could be a calendar field.
    plain = decimals == 0 and not (raw and "," in raw) and not scale and not rate
    if plain and unit_raw == "年" and 1900 <= value <= 2099:
        return "date", None
    if plain and not op and unit_raw == "月" and 1 <= value <= 12:
        return "date", None
    if plain and not op and unit_raw == "日" and 1 <= value <= 31:
        return "date", None
    if num and not unit_raw and not scale and _DATE.match(folded, s):
        return "date", None

    if pnum or pcn:
        unit = "%"
    elif unit_raw:
        unit = _UNIT_BASE.get(unit_raw, unit_raw) + (rate or "")
    else:
        unit = None
    if op_raw:
        op = _OPS[op_raw]
    elif suffix:
        op = _SUFFIX_OPS[suffix]
    elif approx or approx2:
        op = ">"
    if unit or scale or not raw:
        return "q", _quantity(value, unit, scale, op, decimals, text[s:e], Span(s + offset, e + offset))

    # A bare Arabic number: first the shapes that are never amounts.
    after = folded[e : e + 1]
    if (after.isascii() and after.isalpha()) or after in (":", "号"):
        return "skip", None  # 5G, "指标1:", "[2020]5号"
    if after == "." and folded[e + 1 : e + 2].isdigit():
        return "skip", None  # section number 1.2.3
    if _LABEL.search(folded, max(0, m.start() - 8), m.start()):
        return "skip", None
    if folded[s - 1 : s] in ("(", "（", "[", "〔", "【") and after in (")", "）", "]", "〕", "】"):
        return "skip", None  # （1） ordinals and [2020] document years
    line_start = folded.rfind("\n", floor, s) + 1 or floor
    if not folded[line_start:s].strip() and _ORDINAL_TAIL.match(folded, e):
        return "skip", None  # "1、" "1." "3.1 产出指标" at the head of a line
    digits = raw.lstrip("+-")
    if _MOBILE.fullmatch(digits):
        return "skip", None
    # (made only now: a bare number skipped above makes no record)
    q = _quantity(value, unit, scale, op, decimals, text[s:e], Span(s + offset, e + offset))
    if cell:
        return "q", q
    if decimals or "," in raw or op:
        return "q", q
    year_like = 1900 <= value <= 2099
    if value >= 10 and len(digits) < 7 and not year_like and _TRIGGER.search(folded, max(0, m.start() - 4), m.start()):
        return "q", q
    return "weak", q


_DATE_FIELDS = {"年": (1900, 2099), "月": (1, 12), "日": (1, 31)}  # (as _judge's date tests)
_GROUPS = ("op", "pnum", "pcn", "num", "cn", "approx", "scale", "approx2", "unit", "rate", "suffix")


# Speed only: the characters a match of _TOKEN can begin with (an operator's first character,
# 百 of 百分之, a sign, a digit, a Chinese numeral). `_matches` jumps from one to the next instead
# of trying the whole pattern at every character of the prose, which was most of the cost of
# reading a sentence. A new way for _TOKEN to begin must be added here:
# tests/test_quantity.py::test_matches_finds_what_finditer_finds compares the two.
_FIRST = re.compile("[" + re.escape("".join(sorted({op[0] for op in _OPS} | set("百+-0123456789零〇一二两三四五六七八九十")))) + "]")


def _matches(folded: str) -> list[re.Match]:
    """`list(_TOKEN.finditer(folded))`, trying the pattern only where a match can begin (a match is never empty)."""
    return matches_at(_TOKEN, _FIRST, folded)


def moved(q: Quantity, span: Span) -> Quantity:
    """`dataclasses.replace(q, span=span)` at a fifth of the cost (speed only: every quantity
    found is moved once or twice). Quantity is frozen and has no __post_init__ to run again;
    tests/test_quantity.py::test_moved_is_replace compares the two."""
    new = object.__new__(Quantity)
    new.__dict__.update(q.__dict__)
    new.__dict__["span"] = span
    return new


def _quantity(*values) -> Quantity:
    """`Quantity(*values)` in positional order, at a third of the cost (speed only, as `moved`;
    tests/test_quantity.py::test_moved_is_replace checks it builds the same record)."""
    new = object.__new__(Quantity)
    new.__dict__.update(zip(_QUANTITY_FIELDS, values))
    return new


_QUANTITY_FIELDS = tuple(f.name for f in fields(Quantity))
# speed only: most sentences have no character to fold, and translating is a dict lookup per character
_FOLDABLE = {id(table): re.compile("[" + re.escape("".join(map(chr, table))) + "]") for table in (_FOLD_TEXT, _FOLD_CELL)}
_FOLDS = {id(table): {chr(k): v if isinstance(v, str) else chr(v) for k, v in table.items()} for table in (_FOLD_TEXT, _FOLD_CELL)}


def _folded(text: str, table: dict) -> str:
    """`text.translate(table)`, a character at a time only for the characters there are to fold
    (speed only: str.translate looks up every character of a Chinese text, ten times the cost of
    replacing the few that fold; no character folds into one that folds again, so the order of
    the replacements does not matter: tests/test_quantity.py::test_folded_is_translate)."""
    foldable = _FOLDABLE[id(table)]
    if foldable.search(text) is None:
        return text
    folds = _FOLDS[id(table)]
    for ch in set(foldable.findall(text)):
        text = text.replace(ch, folds[ch])
    return text


def _candidates(text: str, cell: bool, offset: int = 0) -> tuple[list[tuple[str, Optional[Quantity]]], str]:
    folded = _folded(text, _FOLD_CELL if cell else _FOLD_TEXT)
    return [_judge(m, text, folded, cell, offset) for m in _matches(folded)], folded


@lru_cache(maxsize=16384)  # a table cell is read once per candidate column alignment
def parse_quantity(text: str, offset: int = 0) -> Optional[Quantity]:
    """The one quantity in a cell ("≤2300张", "不低于90%", "增长1.6%"), or None when the cell has
    no number, several numbers ("3人/年/6.3", "200～450元") or a date ("12月底前")."""
    q = _cell_quantity(text)
    if q is None or not offset:
        return q
    # (speed only: a cell's text is read once wherever it stands — "0.00", "≥95%" and "10" recur
    # from cell to cell — and only its span moves; nothing _judge decides depends on the offset)
    return moved(q, Span(q.span.start + offset, q.span.end + offset))


@lru_cache(maxsize=16384)
def _cell_quantity(text: str) -> Optional[Quantity]:
    """parse_quantity(text, 0)."""
    cands, _ = _candidates(text, cell=True)
    if any(kind == "date" for kind, _ in cands):
        return None
    found = [q for kind, q in cands if kind == "q"]
    if len(found) != 1:
        return None
    return found[0]


def find_quantities(text: str, offset: int = 0) -> list[Quantity]:
    """Every quantity in narrative text, in order and non-overlapping, spans shifted by offset."""
    cands, folded = _candidates(text, cell=False, offset=offset)  # spans already shifted
    return _joined_ranges(cands, folded, offset)


def find_quantities_by_sentence(text: str, sentences: list[tuple[int, int]]) -> list[list[Quantity]]:
    """`[find_quantities(text[s:e], s) for s, e in sentences]`, scanning `text` once (speed only:
    most sentences hold no number, and one scan of a paragraph costs less than one per sentence).
    `sentences` are in order, and each one not at 0 begins right after a sentence end (。！？!?,
    as text.Para.sentences cuts them). No match holds such a mark, and no lookaround of _TOKEN
    nor look of _judge sees past one, but for two: a sign opening a sentence (its lookbehind sees
    the mark, where the sentence alone has nothing before it: such a paragraph is read sentence by
    sentence) and the head of a line, which for a sentence read alone is its start (`floor`).
    tests/test_quantity.py::test_by_sentence_is_find_quantities_per_sentence compares the two."""
    folded = _folded(text, _FOLD_TEXT)
    if any(s and (not SENTENCE_END.match(folded, s - 1) or folded[s : s + 1] in ("+", "-")) for s, _e in sentences):
        return [find_quantities(text[s:e], s) for s, e in sentences]
    out: list[list[Quantity]] = []
    matches = _matches(folded)
    if not matches:
        return [[] for _s, _e in sentences]  # (speed only: what the loop below gives for no match)
    k = 0
    for s, e in sentences:
        while k < len(matches) and matches[k].start() < s:
            k += 1  # (between sentences there are sentence ends only: no match)
        cands = []
        while k < len(matches) and matches[k].start() < e:
            m = matches[k]
            # (speed only) a Chinese numeral with no unit ("一" of 一般) is one _judge skips out of a
            # cell; a skipped candidate joins no range (the text between two it stands in is no _RANGE_SEP)
            if m["cn"] is None or m["unit"] is not None:
                cands.append(_judge(m, text, folded, False, 0, s))
            k += 1
        out.append(_joined_ranges(cands, folded, 0) if cands else [])
    return out


def _joined_ranges(cands: list[tuple[str, Optional[Quantity]]], folded: str, offset: int) -> list[Quantity]:
    """The quantities of `find_quantities`' candidates, a range's bare first number given the
    second's unit."""
    for i in range(len(cands) - 1):
        (k1, a), (k2, b) = cands[i], cands[i + 1]
        if (
            k1 in ("q", "weak")
            and k2 == "q"
            and a.unit is None
            and a.scale is None
            and (b.unit or b.scale)
            and _RANGE_SEP.fullmatch(folded, a.span.end - offset, b.span.start - offset)
        ):
            # "200～450元/人·月": the first number is in the second's unit
            cands[i] = ("q", replace(a, unit=b.unit, scale=b.scale))
    return [q for kind, q in cands if kind == "q"]


__all__ = ["find_quantities", "find_quantities_by_sentence", "parse_quantity", "to_decimal"]
