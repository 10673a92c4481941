"""Prose amounts paired with the table cell they restate, in 部门决算/预算 notes: each test is a
made-up note in the shape where the pair was missed (so a contradiction could never be found),
with the near-misses that must stay silent."""
from __future__ import annotations

from decimal import Decimal

from make_fixtures import make_fiscal_pdf

from extractor.checks import run_checks
from extractor.extract import extract
from extractor.ingest import read_document


def audit_pdf(tmp_path, pages):
    path = make_fiscal_pdf(tmp_path / "note.pdf", [["示例中心2024年度部门决算"], *pages])
    doc = read_document(path)
    ext = extract(doc)
    findings, problems = run_checks(doc, ext)
    assert problems == [] and ext.problems == []
    return ext, findings


def _side_line(left, lv, right, rv):
    cells = [(40, left), (330, right)]
    if lv:
        cells.append((270, lv, "r"))
    if rv:
        cells.append((540, rv, "r"))
    return cells


def balance_table(total: str = "1,234.50") -> list:
    """A 收支总表 of a unit with nothing carried over: its 结余 and 结转 lines are left blank, the
    last of them right above the 总计 line."""
    return [
        [(200, "收入支出决算总表")],
        [(440, "单位：万元")],
        [(80, "收入"), (400, "支出")],
        [(60, "项目"), (230, "决算数"), (360, "项目"), (500, "决算数")],
        _side_line("一、一般公共预算财政拨款收入", total, "一、一般公共服务支出", total),
        _side_line("本年收入合计", total, "本年支出合计", total),
        _side_line("使用非财政拨款结余", "", "结余分配", ""),
        _side_line("年初结转和结余", "", "年末结转和结余", ""),
        _side_line("总计", total, "总计", total),
    ]


def note(total: str) -> list:
    return ["第三部分 示例中心2024年度部门决算情况说明", "一、收入支出决算总体情况说明",
            f"示例中心2024年度收入支出总计{total}。与2023年度相比，收入支出总计增加1,234.50万元，增长100.00%。"]


def test_a_total_row_under_a_blank_carried_over_line_keeps_its_own_name(tmp_path):
    ext, findings = audit_pdf(tmp_path, [balance_table(), note("1,234.50万元")])
    (t,) = [t for t in ext.tables if t.kind == "收支总表"]
    rows = {(r.label, r.side): {k: q.value for k, q in r.cells.items()} for r in t.rows}
    assert rows[("总计", 0)] == {0: Decimal("1234.50")} and rows[("年初结转和结余", 0)] == {}
    assert not [f for f in findings if f.severity != "info"], [(f.check, f.message) for f in findings]
    # the prose 总计 now meets the table's: another value is a contradiction of two plainly named figures
    _ext, wrong = audit_pdf(tmp_path, [balance_table(), note("1,243.50万元")])
    # (the growth rate of 100% then fails too: the change is the whole 1,234.50)
    assert [f.severity for f in wrong if f.check == "xref.narrative_table"] == ["error"]
    # the same amount in 元 is the same figure; the change 增加1,234.50万元 is no second 总计
    _ext, in_yuan = audit_pdf(tmp_path, [balance_table(), note("12,345,000.00元")])
    assert not [f for f in in_yuan if f.severity != "info"]

