"""Figures of performance reports read as an auditor names them: the funds rows of a 自评表, the
budget sentences of a report, and how the eval scorer sees them. Made-up texts in the shapes of
real reports (the seeds and the sweeps), with new names and numbers."""
from __future__ import annotations

from decimal import Decimal

from conftest import extraction_of

# A 部门整体绩效自评表 whose funds block is followed by a narrative row with a count in its words.
FORM = (
    "2023年度部门整体绩效自评表\t\t\t\t\t\t\t\t\n"
    "部门名称\t某市林业局\t\t\t\t部门编码\t317\t\t\n"
    "部门预算安排资金(万元)\t资金来源\t年初预算数\t\t年中预算调整数\t调整后预算数\t实际支出数\t预算执行率(%)\t\t\n"
    "\t合计\t8120.40\t\t-310.20\t7810.20\t7733.10\t99.01%\t\t\n"
    "\t其中：一般公共预算拨款\t7920.40\t\t-310.20\t7610.20\t7533.10\t98.99%\t\t\n"
    "\t政府性基金\t200.00\t\t0\t200.00\t200.00\t100.00%\t\t\n"
    "其他资金\t0\t\t0\t0\t0\t\t\t\t\n"
    "部门职能概述 (分条填写, 每条不超过120字。)\t负责全市林地保护利用规划的编制和实施，组织森林资源调查监测和林业统计工作。\t\t\t\t\t\t\t\t\n"
    "\t组织指导植树造林和国土绿化工作，监督管理林木种苗和森林防火。\t\t\t\t\t\t\t\t\n"
)


def _funds_rows(text: str):
    (sheet,) = [s for s in extraction_of(text).sheets if s.budget_rows]
    return sheet.budget_rows


def test_a_count_in_the_words_after_a_funds_block_is_no_amount():
    # "每条不超过120字" is an instruction: 120字 is read as no 年初预算数 of any row
    rows = _funds_rows(FORM)
    assert [r.label for r in rows] == ["合计", "其中：一般公共预算拨款", "政府性基金", "其他资金"]
    assert all(q.unit in (None, "元", "%") for r in rows for q in r.values.values())
    # the funds rows themselves are read whole
    assert rows[0].values["actual"].value == Decimal("7733.10")
    assert rows[1].values["adjust"].value == Decimal("-310.20")


def test_an_amount_printed_with_its_unit_in_a_funds_cell_is_still_read():
    # "200.00万元" in a money column is money: a unit in the cell is not a reason to drop it
    rows = _funds_rows(FORM.replace("\t200.00\t\t0\t200.00\t200.00\t", "\t200.00万元\t\t0\t200.00万元\t200.00万元\t"))
    assert rows[2].values["initial"].value == Decimal("200.00") and rows[2].values["actual"].text == "200.00万元"

