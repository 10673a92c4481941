"""Canonical labels: one name per figure however a department words it.

A label is first trimmed of filler (years, "我局", "共计", "为"), then matched against the
synonym table. Labels outside the table stay free text: they still take part in "其中"
relations but never in cross-checks, because two free labels that look alike often are not
the same figure.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

# canonical -> patterns on the normalised label (no spaces, ASCII parentheses, no quotes)
SYNONYMS: list[tuple[str, str]] = [
    ("三公经费", r"(支出)?三公经费(支出)?"),
    ("因公出国（境）费", r"因公出国(\(境\))?(费用|经费|费)"),
    ("公务接待费", r"公务接待(费用|经费|费)"),
    ("公务用车购置及运行费", r"公务用车(购置及运行(维护)?|运行(维护)?及购置)(费用|经费|费)"),
    ("公务用车购置费", r"公务用车购置(费用|经费|费)"),
    ("公务用车运行维护费", r"公务用车运行(维护)?(费用|经费|费)"),
    ("工资福利支出", r"工资福利(支出|费用)?"),
    ("商品和服务支出", r"商品和服务(支出|费用)?"),
    ("对个人和家庭的补助", r"对个人和家庭(的)?补助(支出|费用)?"),
    ("人员经费", r"人员经费(支出)?"),
    ("公用经费", r"(日常)?公用经费(支出)?"),
    ("基本支出", r"基本支出(总额|合计)?"),
    ("项目支出", r"项目支出(总额|合计)?"),
    ("部门整体支出", r"(部门)?整体支出(总额|合计)?|部门支出(总额|合计)?|支出(总额|合计)|总支出|支出"),
    ("部门收入", r"(部门)?收入(总额|合计)?|总收入"),
    ("预算执行率", r"(预算|资金)?执行率"),
    ("预算执行情况得分", r"预算执行(情况|率)?(指标)?得分"),
    ("产出指标得分", r"产出(指标)?得分"),
    ("效益指标得分", r"效益(指标)?得分"),
    ("满意度指标得分", r"满意度(指标)?得分"),
    ("自评得分", r".{0,20}自评(总)?得分|.{0,20}自评总分|综合得分|总得分"),
]
_COMPILED = [(canon, re.compile(rf"(?:{pat})$")) for canon, pat in SYNONYMS]

# Which complete breakdowns exist, and the check that judges each.
IDENTITIES: dict[str, tuple[str, list[frozenset[str]]]] = {
    "部门整体支出": ("sum.total_basic_project", [frozenset({"基本支出", "项目支出"})]),
    "基本支出": (
        "sum.basic_breakdown",
        [
            frozenset({"工资福利支出", "商品和服务支出", "对个人和家庭的补助"}),
            frozenset({"人员经费", "公用经费"}),
        ],
    ),
    "三公经费": (
        "sum.sangong",
        [
            frozenset({"因公出国（境）费", "公务接待费", "公务用车购置及运行费"}),
            frozenset({"因公出国（境）费", "公务接待费", "公务用车购置费", "公务用车运行维护费"}),
        ],
    ),
}

QUALIFIERS: list[tuple[str, str]] = [
    ("上年", r"上年|去年|上一年|同期|上年度"),
    ("年初预算", r"年初预算(数)?"),
    ("预算", r"调整后?预算(数)?|全年预算(数)?|预算(数)?"),
    ("执行", r"决算(数)?|执行数|实际支出(数)?|实际执行(数)?"),
]
_QUALIFIER_RES = [(q, re.compile(p)) for q, p in QUALIFIERS]

_FILLER_HEAD = re.compile(
    r"^(?:[\d０-９]{4}年度?|全年度?|本年度?|当年|年度|本项目|该项目|单位|"
    r"(?:我|本|该)(?:局|委|办|厅|院|会|处|室|单位|部门|中心|站|所|校|馆|队|系统|机关)|"
    r"共计|合计|总计|累计|共|全局|其中|一是|二是|三是|四是|[:：，,、；;])+"
)
_FILLER_TAIL = re.compile(r"(?:为|是|达到|达|计|共计|合计|总计|累计|共|约|[:：，,、=＝])+$")


@lru_cache(maxsize=8192)
def normalise(label: str) -> str:
    """Matching copy of a label: no spaces, ASCII parentheses, no quotes."""
    out = re.sub(r"[\s\u3000]+", "", label)
    out = out.replace("（", "(").replace("）", ")")
    return re.sub(r"[“”\"'‘’「」《》]", "", out)


def trim_label(raw: str) -> str:
    """Drop filler around a label as written: "2024年度我局部门整体支出" -> "部门整体支出"."""
    label = raw.replace("\n", "").strip(" \t\u3000，,、；;：:（(")
    label = _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", label))
    return label.strip(" \t\u3000")


@lru_cache(maxsize=8192)
def qualifier_of(label: str) -> Optional[str]:
    norm = normalise(label)
    for name, pattern in _QUALIFIER_RES:
        if pattern.search(norm):
            return name
    return None


def without_qualifiers(label: str) -> str:
    """The normalised label with every budget qualifier removed: "调整预算数" -> ""."""
    bare = normalise(label)
    for _name, pattern in _QUALIFIER_RES:
        bare = pattern.sub("", bare)
    return bare


@lru_cache(maxsize=8192)
def canonical(label: str) -> Optional[str]:
    """Canonical name for a trimmed label, ignoring a budget qualifier around it."""
    whole = normalise(label)
    bare = without_qualifiers(label)
    # "预算执行情况得分" is a name in itself; "支出决算数" is 支出 qualified by 决算
    for norm in (whole, _FILLER_TAIL.sub("", _FILLER_HEAD.sub("", bare))):
        if not norm:
            continue
        for canon, pattern in _COMPILED:
            if pattern.match(norm):
                return canon
    return None
