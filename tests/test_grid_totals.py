"""sum.table_total: the 合计 row of a grid that is neither a standard table nor a score sheet
(a 成本测算 table, a list of spending lines) against the rows it closes. Every negative test
also shows that the grid was read, so it cannot pass on a reader that reads nothing."""
from __future__ import annotations

from decimal import Decimal

import docx

from conftest import extraction_of, findings_for
from extractor.checks import run_checks
from extractor.extract import extract
from extractor.ingest import read_document

COST = """项目支出绩效目标表（2022年度）
成本测算
成本构成 | 金额（万元） | 测算依据
保洁服务费 | 46.00 | 依据服务合同
安保服务费 | 58.00 | 依据服务合同
水电及维修费 | 71.50 | 据实结算
合计 | {} |
"""


def table_totals(text: str):
    return [f for f in findings_for(text) if f.check in ("sum.table_total", "xref.unit_slip")]


def relations(text: str):
    return [r for r in extraction_of(text).relations if r.check == "sum.table_total"]


def test_a_total_row_that_is_not_the_sum_of_the_rows_above_it():
    (f,) = table_totals(COST.format("185.50"))
    assert (f.check, f.severity, f.stated, f.computed) == ("sum.table_total", "error", Decimal("185.50"), Decimal("175.50"))
    assert f.unit == "万元"
    cells = [(e.cell.table, e.cell.row, e.cell.column) for e in f.evidence]
    assert cells[0] == ("成本测算", "合计", "金额（万元）")
    assert [row for _t, row, _c in cells[1:]] == ["保洁服务费", "安保服务费", "水电及维修费"]


def test_a_total_that_adds_up_or_is_off_by_rounding_only():
    (rel,) = relations(COST.format("175.50"))
    assert [p.quantity.value for p in rel.parts] == [Decimal("46.00"), Decimal("58.00"), Decimal("71.50")]
    assert table_totals(COST.format("175.50")) == []
    (f,) = table_totals(COST.format("175.53"))  # one unit in the last place: rounding
    assert f.severity == "info"


def test_one_row_in_yuan_where_the_table_is_in_wan_yuan_is_a_unit_slip():
    text = COST.replace("58.00", "580000.00").format("175.50")
    (f,) = table_totals(text)
    assert f.check == "xref.unit_slip" and f.stated == Decimal("580000.00")


def test_subtotals_close_their_groups_and_the_total_sums_the_subtotals():
    text = """经费明细表
支出项目 | 金额（元）
办公费 | 1,200.00
印刷费 | 800.00
小计 | 2,000.00
差旅费 | 3,000.00
会议费 | 1,500.00
小计 | 4,600.00
合计 | 6,600.00
"""
    findings = table_totals(text)
    assert [(f.stated, f.computed) for f in findings] == [(Decimal("4600.00"), Decimal("4500.00"))]
    assert len(relations(text)) == 3  # two 小计 and the 合计 over them


def test_a_total_written_first_sums_the_rows_below_it():
    text = """资金安排表
用途 | 预算金额（万元）
合计 | 90.00
设备购置 | 50.00
系统运维 | 30.00
"""
    (f,) = table_totals(text)
    assert (f.stated, f.computed) == (Decimal("90.00"), Decimal("80.00"))


def test_rows_that_may_nest_are_never_summed():
    # a heading row equal to the rows after it, listed in the same column
    nested = """经费明细表
支出项目 | 金额（万元）
商品和服务支出 | 30.00
办公费 | 10.00
差旅费 | 20.00
对个人和家庭的补助 | 5.00
合计 | 35.00
"""
    assert table_totals(nested) == []
    assert relations(nested) == []
    # the same grid without the nesting is read and summed
    assert relations(nested.replace("商品和服务支出 | 30.00", "商品和服务支出 | 31.00")) != []
    # "其中" rows: parts of parts
    with_of_which = COST.replace("安保服务费 |", "其中：安保服务费 |").format("185.50")
    assert table_totals(with_of_which) == [] and relations(with_of_which) == []
    assert relations(COST.format("185.50")) != []


def test_a_blank_or_worded_amount_or_a_rate_column_is_not_summed():
    blank = COST.replace("58.00", " ").format("185.50")
    assert table_totals(blank) == []
    worded = COST.replace("58.00", "据实结算").format("185.50")
    assert table_totals(worded) == []
    rates = """完成情况表
项目 | 完成率（%） | 权重
甲 | 50 | 30
乙 | 60 | 70
合计 | 100 | 100
"""
    assert relations(rates) == [] and table_totals(rates) == []
    # a dash is nothing spent: counted as zero
    dashed = COST.replace("58.00", "—").format("117.50")
    assert table_totals(dashed) == [] and relations(dashed) != []


def test_a_docx_cost_table(tmp_path):
    d = docx.Document()
    d.add_paragraph("成本测算表")
    rows = [["成本构成", "金额（万元）"], ["劳务费", "12.00"], ["材料费", "8.50"], ["合计", "21.50"]]
    table = d.add_table(rows=len(rows), cols=2)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    path = tmp_path / "cost.docx"
    d.save(path)
    doc = read_document(path)
    findings, _problems = run_checks(doc, extract(doc))
    (f,) = [f for f in findings if f.check == "sum.table_total"]
    assert (f.stated, f.computed) == (Decimal("21.50"), Decimal("20.50"))
