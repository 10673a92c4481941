"""What a piece of text is about: subject, fund scope, measure, period and role of a figure,
read from the words before its number (the *lead*) and from the headings above it.

Everything works on the matching copy of a lead (`text.fold`). The word lists are in vocab.py;
this module only knows how they combine:

    [filler][period][scope][item][measure][comparison … direction | 占 … | 完成 … 的] NUMBER

A lead that names no item gives no subject: "支出决算为1511.89万元" is about whatever its
sentence or its item heading is about, never about "支出" in general.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from . import vocab
from .records import Subject
from .text import fold

SCOPE_RES = [(s, re.compile(p)) for s, p in vocab.SCOPES]
MEASURE_RES = [(m, re.compile(p)) for m, p in vocab.MEASURES]
ITEM_RES = [(item, re.compile(p)) for item, p, _flow in vocab.ITEMS]
FN_PATH = re.compile(r"([\u4e00-\u9fff、]+?)\((类|款|项)\)")
_NAME = r"[\u4e00-\u9fff()、]+?"
# "一般公共服务支出-政府办公厅（室）及相关机构事务-一般行政管理事务": a 功能分类 path with dashes
DASH_PATH = re.compile(rf"({'|'.join(sorted(map(re.escape, vocab.FUNCTION_CLASSES), key=len, reverse=True))})[-－—]({_NAME})(?:[-－—]({_NAME}))?(?=科目|$|[^\u4e00-\u9fff()、])")
CLASS_NAMES = re.compile("(" + "|".join(sorted(map(re.escape, vocab.FUNCTION_CLASSES), key=len, reverse=True)) + ")")
# "“卫生健康支出”中“公共卫生”款“基本公共卫生服务”项" (quotes folded away): class, 款 and 项 named
# with the words 中 … 款 … 项
WORDED_PATH = re.compile(CLASS_NAMES.pattern + rf"类?中({_NAME})款(?:({_NAME})项)?")
DIRECTION_END = re.compile(vocab.DIRECTION_RE + r"(?:\((?:增加|增长|减少|下降)\))?(?:了|约|幅度|率|为|达)*$|" + vocab.COMPARED_BY
                           + "|" + vocab.SHORT_DIRECTION_RE)
SHARE_END = re.compile(r"占(?P<whole>[^，,；;。]{0,30}?)(?:的)?(?:比重|比例|份额)?(?:为|达|约)?$|占比(?:为|达)?$")
# "年初预算A元，支出决算B元，完成P%": a clause of 完成 alone after the two amounts is their rate
COMPLETION_END = re.compile(r"(?:完成|达到|为)(?P<what>年初预算|调整预算|全年预算|预算|计划|目标)(?:数)?的$|(?:预算)?完成率(?:为|达)?$"
                            r"|(?:完成|达到)(?P<bare>年初预算|调整预算|全年预算|预算)(?:数)?$"  # "完成年初预算100%"
                            r"|^[,，]?完成了?$")
COMPLETION_REF = re.compile(r"^[:：,，、]?(?:完成|达到)(?:年初预算|调整后?预算|全年预算|预算|计划)(?:数)?(?:为)?$")
RATE_END = re.compile(r"(?:预算|资金)?(?:执行|支出)率(?:为|达|达到)?$")
YEAR = re.compile(vocab.YEAR)
PREVIOUS = re.compile(vocab.PREVIOUS_YEAR)
CARRIED_OVER = re.compile(vocab.CARRIED_OVER)
FILLER_HEAD = re.compile(
    r"^(?:[\d]{4}年度?|全年度?|本年度?|当年|年度|本项目|该项目|本部门|本单位|单位|我(?:局|委|办|厅|院|会|处|单位|部门|中心)|"
    r"(?:本|该)(?:局|委|办|厅|院|会|处|室|单位|部门|中心|站|所|校|馆|队)|共计|合计|总计|累计|共|其中|(?:主要|具体)?包括|一是|二是|三是|四是|[:，,、；;])+"
)


@dataclass
class Lead:
    """What the words before a number say about it."""

    subject: Optional[Subject] = None
    measure: Optional[str] = None
    period: Optional[str] = None  # a year, or "上年"
    role: str = "level"
    direction: Optional[str] = None  # for changes: the direction word as written
    base_period: Optional[str] = None  # for changes: the period compared with
    base_measure: Optional[str] = None  # for changes and completion: the measure compared with
    whole: Optional[Subject] = None  # for shares: the whole named after 占
    named: bool = False  # the lead itself names the subject (not inherited)
    label: str = ""  # the lead trimmed of filler, for messages
    # words of its own that name something the vocabulary does not know ("涉及预算金额",
    # "对附属单位补助支出"): such a figure is about that, not about the figure before it
    own_words: bool = False
    compared: bool = False  # the amount a comparison is made against: "比上年的5.27万元", "与预算1.00万元相比"
    reference: bool = False  # the budget a completion is taken of: "完成年初预算数60999万元的40.4%"


def scope_of(text: str) -> Optional[str]:
    t = fold(text)
    for scope, pattern in SCOPE_RES:
        if pattern.search(t):
            return scope
    return None


INCLUDES = re.compile(r"(?:包括|包含|主要有|主要为)[:：]?(?P<rest>[^:：，,、；;]*)$")
MEASURE_TAIL = re.compile(r"(?:年初预算|调整后?预算|全年预算|预算执行|预算|决算|执行|实际支出|安排)(?:数|金额|安排)?(?:为|是|达|约)*$|(?:为|是|达|约)+$")
BARE_FLOW = re.compile(r"^(?:本年)?(收入|支出)(?:决算|预算)?$")
# the whole after 占: "占本年支出预算", "占支出总预算", "占全年收入" — the unit's total of that flow
WHOLE_FLOW = re.compile(r"^(?:本年|全年|本年度|当年)?(?:实际)?(?:(收入|支出)(?:决算|预算)?(?:总额|总数)?|(收入|支出)总(?:预算|决算|额))$")
# "全年实际支出1595.59万元": what the year actually brought in or spent in all is the unit's total
YEAR_ACTUAL_FLOW = re.compile(r"^(?:全年|本年度?|当年)实际(?:收入|支出)(?:总额|总数)?(?=(?:为|是|达|共)*$)")


def year_actual_flow(text: str) -> Optional[Subject]:
    """The unit's total named by the year's actual income or spending, with no item before it
    (the words of a wider clause, "在基本支出方面，", come first)."""
    m = YEAR_ACTUAL_FLOW.match(fold(text).strip())
    return _whole_flow(m.group(0)) if m else None


def _whole_flow(text: str) -> Optional[Subject]:
    m = WHOLE_FLOW.match(fold(text).strip())
    if not m:
        return None
    flow = m.group(1) or m.group(2)
    return Subject("收入合计" if flow == "收入" else "支出合计", flow)


# What may follow a 类 name and still be the name of a 款/项 under it (not "主要用于…", "占…")
CLASS_CONTINUED = re.compile(r"^(?!主要|用于|包括|其中|共|合计|占|为|是|等|的|中|方面|科目|类|款|项|预算|决算|资金|经费|总额|金额|数|和|及|与|或|、)"
                             r"[\u4e00-\u9fff（）()、]{2,60}$")


@lru_cache(maxsize=8192)
def named_subject(text: str) -> Optional[Subject]:
    """The subject a short text names, or None: "一般公共预算财政拨款基本支出" -> 基本支出 in
    scope 一般公共预算; "住房保障支出（类）住房改革支出（款）住房公积金（项）" -> that 功能分类 item."""
    t = MEASURE_TAIL.sub("", fold(text)) or fold(text)
    t = FILLER_HEAD.sub("", t) or t  # "其中：货物": anchored names start after the filler
    path = FN_PATH.findall(t)
    if path:
        names = [name.strip("、") for name, _level in path]
        return Subject("fn:" + "/".join(names), names[-1], scope_of(t[: t.find(names[0])]))
    worded = WORDED_PATH.search(t)
    if worded:
        names = [n for n in worded.groups() if n]
        return Subject("fn:" + "/".join(names), names[-1], scope_of(t[: worded.start()]))
    dashed = DASH_PATH.search(t)
    if dashed:
        names = [n for n in dashed.groups() if n]
        return Subject("fn:" + "/".join(names), names[-1], scope_of(t[: dashed.start()]))
    # a named item: the one ending last in the text wins ("…基本支出中的人员经费" -> 人员经费)
    best: Optional[tuple[int, int, str, int]] = None
    qualified = None
    cands = []
    for item, pattern in ITEM_RES:
        for m in pattern.finditer(t):
            if m.end() == m.start():
                continue
            cand = (m.end(), m.end() - m.start(), item, m.start())
            cands.append(cand)
            if best is None or cand[:2] > best[:2]:
                best = cand
            if item in vocab.PROCUREMENT_QUALIFIED and (qualified is None or cand[:2] > qualified[:2]):
                qualified = cand
    if best is not None and best[2] == "政府采购" and qualified is not None:
        best = qualified  # "预留给小微企业的政府采购项目预算": the reserve, not all procurement
    if best is not None and best[2] in ("收入合计", "支出合计", "总计"):
        # "三公经费财政拨款支出合计", "三公经费预算总计": the total of the item it closes
        inner = [c for c in cands if c[2] not in ("收入合计", "支出合计", "总计") and c[0] <= best[0]
                 and (c[0] > best[3] or not _unscoped(t[c[0] : best[3]]))]
        if inner:
            best = max(inner)
    if best is not None and best[2] not in ("收入合计", "支出合计", "总计") and t[: best[3]].endswith(("其他", "其它")):
        return None  # "其他工资福利支出" is an item of its own, not 工资福利支出
    classes = list(CLASS_NAMES.finditer(t))
    cls = classes[-1] if classes else None
    if cls is not None and (best is None or cls.end() >= best[0]):
        for m in classes[:-1]:
            # "教育支出普通教育小学教育支出": the 款 and 项 after the 类 may end in a class's
            # name (小学教育支出); the path is read from the first class, not the last
            rest = re.split(r"[:：，,]", t[m.end():], maxsplit=1)[0]
            if m.end() + len(rest) >= cls.end() and CLASS_CONTINUED.match(rest):
                cls = m
                break
        rest = re.split(r"[:：，,]", t[cls.end():], maxsplit=1)[0]  # the name ends at its colon
        if CLASS_CONTINUED.match(rest):
            # "社会保障和就业支出行政事业单位养老支出机关事业单位基本养老保险缴费支出": the 款 and 项
            # written straight after the 类, without （类）（款）（项）: an item below the class
            return Subject("fn:" + cls.group(1) + "/" + rest, rest, scope_of(t[: cls.start()]))
        return Subject("fn:" + cls.group(1), cls.group(1), scope_of(t[: cls.start()]))
    scoped_flow = SCOPED_FLOW.search(t)
    if scoped_flow and (best is None or best[2] in ("收入合计", "支出合计")):
        # "<scope>支出" / "<scope>收入": the department's total of that fund scope
        scope = scope_of(scoped_flow.group("scope"))
        flow_item = "支出合计" if scoped_flow.group("flow") == "支出" else "收入合计"
        return Subject(flow_item, f"{scope}{scoped_flow.group('flow')}", scope)
    if best is None:
        return None
    end, _length, item, start = best
    before = t[:end]
    scope = scope_of(before) or scope_of(t[end:])  # "“三公”经费财政拨款支出": the scope may follow
    if item in ("收入合计", "支出合计") and scope is None and BARE_FLOW.match(t[start:end]):
        return None  # a bare "收入"/"支出" names nothing by itself (see bare_total)
    part = None
    if item in vocab.BOUNDED_BY:
        # awards to SMEs in projects reserved for them, and in the other projects
        part = "预留项目" if "预留" in t[:start] else ("其他项目" if "其他" in t[:start] else None)
    name = item if scope is None else f"{scope}{item}"
    return Subject(item, name + (f"（{part}）" if part else ""), scope, part)


SCOPED_FLOW = re.compile(r"(?P<scope>" + "|".join(p for _s, p in vocab.SCOPES) + r")(?:拨款)?(?P<flow>支出|收入)(?:预算|决算)?(?:总额|合计)?$")
BARE_FLOW_MEASURE = re.compile(r"^(?:本年)?(收入|支出)(?:预算|决算)")


def _unscoped(text: str) -> str:
    """The text without fund scopes and measure words ("财政拨款", "预算", "决算数")."""
    for _scope, pattern in SCOPE_RES:
        text = pattern.sub("", text)
    return UNSCOPED_MEASURE.sub("", text)


UNSCOPED_MEASURE = re.compile(r"^(?:年初|调整后?|全年)?(?:预算|决算)(?:数)?")



def bare_total(text: str) -> Optional[Subject]:
    """"2024年，××街道收入预算15621.11万元": the department's total, named by the reporting body
    or the year before a bare 收入/支出 at the head of a sentence, and used only when nothing
    more specific is at hand. A bare "支出决算为…" with neither names nothing."""
    t0 = fold(text)
    head = strip_org(FILLER_HEAD.sub("", t0))
    if head == t0:
        return None
    t = MEASURE_TAIL.sub("", head)
    m = BARE_FLOW.match(t) or BARE_FLOW_MEASURE.match(head)
    if not m:
        return None
    return Subject("收入合计" if m.group(1) == "收入" else "支出合计", m.group(1))


def bare_flow(label: str) -> Optional[str]:
    """"支出" / "收入决算" and nothing else: the flow a lead names without naming an item."""
    m = BARE_FLOW.match(MEASURE_TAIL.sub("", fold(label).strip()))
    return m.group(1) if m else None


def flow_of(subject: Subject) -> Optional[str]:
    """Whether a subject is money coming in (收入) or going out (支出), where its name says only one."""
    return flow_named(fold(subject.name), subject.item)


def flow_named(text: str, item: Optional[str] = None) -> Optional[str]:
    """收入 or 支出, where `text` (or an `item` 收入合计 / 支出合计) names only one of the two."""
    flows = [w for w in ("收入", "支出") if w in text or item == f"{w}合计"]
    return flows[0] if len(flows) == 1 else None


BASE_WORDS = re.compile(r"预算|决算|计划")
# "与上年下降7.6%", "与2022年预算相比增加": 与 before an earlier year, in a change, is a comparison
COMPARISON = re.compile(r"比|较|与(?=.*(?:相比|对比))|与(?=(?:" + vocab.PREVIOUS_YEAR + r"|\d{4}年))|同比")
COMPARED_HEAD = re.compile(r"[:：,，、]?(?:与|比|较|同比)")
HAN = re.compile(r"[\u4e00-\u9fff]")
COMPARED_WORDS = re.compile(r"^[:：,，、]?(?:与|比|较|同比)|的$")


def read_lead(raw: str) -> Lead:
    """Read the words before a number (from its clause start)."""
    t = fold(raw)
    lead = Lead()
    # role markers at the very end, just before the number
    m = SHARE_END.search(t)
    if m:
        lead.role = "share"
        whole = m.groupdict().get("whole")
        if whole:
            lead.whole = named_subject(whole) or _whole_flow(whole)
        t = t[: m.start()]
    else:
        m = COMPLETION_END.search(t)
        if m:
            lead.role = "completion"
            what = m.group("what") or m.group("bare") or ""
            lead.base_measure = "年初预算" if "年初" in what else ("调整预算" if ("调整" in what or "全年" in what) else "预算")
            if m.group("bare"):
                lead.measure = lead.base_measure  # "完成年初预算数X万元": X is that budget
            t = t[: m.start()]
        elif RATE_END.search(t):
            lead.role = "rate"
            t = RATE_END.sub("", t)
        else:
            m = DIRECTION_END.search(t)
            if m:
                lead.role = "change"
                lead.direction = next(g for g in m.groups() if g)
                compared = m.group(0)[len(lead.direction):]
                if BASE_WORDS.search(compared):
                    # "决算数大于年初预算数36万元": the base is the budget named after the verb
                    lead.base_measure = "年初预算" if "年初" in compared else ("决算" if "决算" in compared else "预算")
                t = t[: m.start()]
    # a comparison ("比2023年预算", "与2023年度相比", "较上年") names the base of a change
    cmp = COMPARISON.search(t)
    if cmp is not None and lead.role == "change":
        tail = t[cmp.start() :]
        y = YEAR.search(tail)
        lead.base_period = y.group(1) if y else ("上年" if PREVIOUS.search(tail) or tail.startswith("同比") else None)
        for measure, pattern in MEASURE_RES:
            if pattern.search(tail):
                lead.base_measure = measure
                break
        t = t[: cmp.start()]
    lead.compared = lead.role == "level" and COMPARED_HEAD.match(t) is not None
    lead.reference = COMPLETION_REF.search(fold(raw)) is not None
    y = None
    for y in YEAR.finditer(t):
        pass
    if y is not None:
        lead.period = y.group(1)
    elif PREVIOUS.search(CARRIED_OVER.sub("", t)):
        lead.period = "上年"
    bare = t
    for _scope, pattern in SCOPE_RES:
        bare = pattern.sub("", bare)  # "一般公共预算" is a scope, not a budget figure
    for measure, pattern in MEASURE_RES:
        if lead.measure is None and pattern.search(bare):
            lead.measure = measure
            break
    subject = named_subject(t)
    inner = INCLUDES.search(t)
    if subject is not None and inner is not None and named_subject(inner.group("rest")) is None \
            and len(re.findall(r"[\u4e00-\u9fff]", _residual(inner.group("rest")))) >= 2:
        # "项目支出包括委员活动经费36.3万元": the amount of a component the vocabulary does not
        # name, not of the item that includes it
        subject = None
    if subject is not None:
        lead.subject, lead.named = subject, True
    lead.label = FILLER_HEAD.sub("", t)
    if lead.compared:
        # "较2024年的2190万元": the comparison words are no name of their own
        bare = COMPARED_WORDS.sub("", bare)
    lead.own_words = len(HAN.findall(_residual(bare))) >= 2
    return lead


RESIDUAL_NOISE = re.compile(
    r"(?:19|20)\d{2}年度?|本年度?|当年|全年|上年度?|去年|同期|年度|"
    r"年初预算|调整后?预算|全年预算|预算执行|预算|决算|执行|实际|安排|"
    r"支出|收入|资金|经费|金额|总额|合计|总计|共计|累计|完成|数|额|为|是|达到|达|共|计|约|其中|分别|"
    r"[（）()“”\"':：，,、；;\s]"
)


# the reporting body named at the head of a sentence ("上海市××区××街道办事处收入预算…")
ORG_HEAD = re.compile(r"^.{2,40}?(?:人民政府|委员会|办事处|办公室|管理局|局|委|厅|院|中心|所|站|馆|队|社|学校|医院)(?:本级|机关)?")


def strip_org(text: str) -> str:
    """The text without the reporting bodies named at its head ("上海市普陀区人民政府" "万里街道办事处")."""
    for _ in range(3):
        shorter = ORG_HEAD.sub("", text)
        if shorter == text:
            break
        text = shorter
    return text


def _residual(text: str) -> str:
    return RESIDUAL_NOISE.sub("", strip_org(FILLER_HEAD.sub("", text)))


_HEADING_MARK = re.compile(r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、])")
_ITEMS_FOLLOW = re.compile(r"具体|结构|明细|主要内容|构成")
_HEADING_TAIL = re.compile(r"(决算|预算)?(总体)?(情况)?(说明|分析)?$")


def heading_subject(title: str) -> tuple[Optional[Subject], Optional[str]]:
    """The subject and scope a section heading sets for the figures under it:
    "七、财政拨款“三公”经费支出决算情况说明" -> 三公经费, 财政拨款."""
    t = fold(title)
    t = _HEADING_MARK.sub("", t)
    scope = scope_of(t)
    if _ITEMS_FOLLOW.search(t):
        return None, scope  # what follows is about its items, not the heading's total
    t = _HEADING_TAIL.sub("", t)
    subject = named_subject(t)
    return subject, scope
