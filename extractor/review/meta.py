"""Department and year of a report, for the review index's filters. Read cheaply from the
head of the stored text (the title and the first table) — this labels a report for
browsing and never feeds a check."""
from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from .. import vocab
from ..text import is_header_word

HEAD_CHARS = 3000  # titles and the 部门名称 cell sit in the first lines

_CJK = r"\u4e00-\u9fff"
_ORG_END = r"(?:委员会|办公室|管理局|局|委|办|厅|院|中心|站|所|馆|队|会|部|署|处|社|团|校|园|室)"
# project forms: "主管部门\t榆原市文化旅游广电局\t\t\t实施单位\t…", the department in charge (a
# 部门(单位)名称 cell, where there is one, names the unit itself and wins)
_IN_CHARGE = re.compile(rf"(?:主管部门|主管单位|预算部门)(?:[（(]单位[)）])?(?:名称)?[\s:：|]*([{_CJK}（）()]{{2,40}})")
# a budget's cover: "预算单位：上海市财政局", "编制单位：…"
_UNIT_LINE = re.compile(rf"(?:预算单位|编制单位|编报单位)[:：]\s*([{_CJK}（）()]{{2,40}}?{_ORG_END})(?![{_CJK}])")
# "部门名称\t柳州市民政局", "部门(单位)名称\t\t渚源县民政局", "单位名称：XX"
_NAME_CELL = re.compile(
    rf"(?:部门|单位|项目实施单位|实施单位)(?:[（(]单位[)）])?名称[\s:：|]*([{_CJK}（）()]{{2,40}})"
)
# "隆回县民政局2024年部门整体支出绩效…"
_ORG_BEFORE_YEAR = re.compile(rf"([{_CJK}（）()]{{2,40}}?{_ORG_END})\s*(?:19|20)\d{{2}}\s*年")
# "2020年度咸宁市民政局部门整体绩效…"
_ORG_AFTER_YEAR = re.compile(rf"(?:19|20)\d{{2}}\s*年度?([{_CJK}（）()]{{2,40}}?{_ORG_END})(?:部门|整体|项目|绩效|关于)")
_YEAR = re.compile(vocab.YEAR)


# words of a form or a title, never of an organisation's name: a joined title that ran into
# the form below it ("…自评表部门名称柳州市民政局") is not a name
_NOT_A_NAME = re.compile(r"名称|绩效|自评|报告|表")
TITLE_CHARS = 200  # a 预决算 disclosure opens with "XX局\n2024年度部门决算"


def report_department(head: str) -> Optional[str]:
    # the title names the department; a 名称 cell further down may be a column heading
    # ("序号 单位名称 备注" lists the units in scope), so it never outranks the title
    # a title wraps over lines ("上海市普陀区规划和自然\n资源局\n2024 年度部门决算")
    title = re.sub(r"\s+", "", head[:TITLE_CHARS].split("目", 1)[0])
    searches = [(p, title) for p in (_ORG_BEFORE_YEAR, _ORG_AFTER_YEAR)]
    searches += [(p, head) for p in (_UNIT_LINE, _NAME_CELL, _IN_CHARGE, _ORG_BEFORE_YEAR, _ORG_AFTER_YEAR)]
    for pattern, where in searches:
        for match in pattern.finditer(where):
            name = match.group(1).strip()
            # a title line like "XX局2024年…" may start with a heading word; keep the organisation
            name = re.sub(r"^(?:关于|摘要版)", "", name)
            if name and not is_header_word(name) and not _NOT_A_NAME.search(name):
                return name
    return None


def report_year(head: str) -> Optional[str]:
    """The year in the title (first lines) if any, else the year the head names most often."""
    first_lines = head[:200]
    match = _YEAR.search(first_lines)
    if match:
        return match.group(1)
    years = Counter(_YEAR.findall(head))
    return max(years, key=lambda y: (years[y], y)) if years else None
