"""Tabbed cell-line tables whose header row is a cell short because its first cell spans the
label columns ("栏次" over 科目编码 and 科目名称, "功能分类科目" over the code and the name):
the row is padded as the 合计 row is and the table is read; a row short for another reason
still leaves the table unread."""
from __future__ import annotations

from decimal import Decimal

from conftest import doc_from_text

from extractor.cell_lines import SOURCE, find_cell_grids
from extractor.checks import run_checks
from extractor.extract import extract


def _cells(*texts: str) -> list[str]:
    return ["\t" + t for t in texts] + [""]


HEADER = _cells("科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出", "经营支出")
NUMBERS = _cells("栏次", "1", "2", "3", "4")  # one cell over the code and the name
BODY = (
    _cells("合计", "3,275,410.60", "2,104,388.15", "1,171,022.45", "0.00")
    + _cells("210", "卫生健康支出", "3,275,410.60", "2,104,388.15", "1,171,022.45", "0.00")
    + _cells("21004", "公共卫生", "3,275,410.60", "2,104,388.15", "1,171,022.45", "0.00")
    + _cells("2100401", "疾病预防控制机构", "2,104,388.15", "2,104,388.15", "0.00", "0.00")
    + _cells("2100409", "重大公共卫生服务", "1,171,022.45", "0.00", "1,171,022.45", "0.00")
)
TOP = ["示例县卫生健康局2024年度部门决算", "", "支出决算表", "编制单位：示例县卫生健康局\t金额单位：元"]
TAIL = ["二、关于支出决算情况说明", "本年支出3,275,410.60元，其中基本支出2,104,388.15元。", ""]


def _doc(header: list[str], body: list[str] = BODY):
    return doc_from_text("\n".join(TOP + header + body + TAIL))


def _table(doc):
    (table,) = [t for t in extract(doc).tables if t.kind == "支出表"]
    return table


def test_a_numbers_row_one_cell_short_is_padded_and_the_table_read():
    doc = _doc(HEADER + _cells(*[""] * 6) + NUMBERS)
    assert [g.source for g in find_cell_grids(doc)] == [SOURCE]
    table = _table(doc)
    rows = {r.code: r for r in table.rows if r.code}
    assert set(rows) == {"210", "21004", "2100401", "2100409"}
    service = rows["2100409"]
    assert service.label == "重大公共卫生服务"
    assert {table.columns[k].name: q.value for k, q in service.cells.items()} == {
        "本年支出合计": Decimal("1171022.45"), "基本支出": Decimal("0.00"), "项目支出": Decimal("1171022.45"),
        "经营支出": Decimal("0.00")}
    assert doc.quote(service.cells[0].span) == "1,171,022.45"
    # the column numbers are references, never a row of figures
    assert not any(r.label == "栏次" for r in table.rows)
    # 2,104,388.15 + 1,171,022.45 = 3,275,410.60 everywhere: nothing to say
    findings, problems = run_checks(doc, extract(doc))
    assert problems == [] and [f for f in findings if f.severity != "info"] == []


def test_a_row_that_does_not_add_up_in_such_a_table_is_said():
    body = list(BODY)
    at = body.index("\t2100409")
    body[at + 2] = "\t1,171,202.45"  # 0.00 + 1,171,022.45 ≠ 1,171,202.45
    doc = _doc(HEADER + NUMBERS, body)
    findings, problems = run_checks(doc, extract(doc))
    assert problems == []
    assert any(Decimal("1171202.45") in (f.stated, f.computed) and f.severity != "info" for f in findings), [
        (f.check, f.stated, f.computed) for f in findings]


def test_a_numbers_row_over_class_section_item_codes_is_padded_by_three():
    header = _cells("科目编码", "科目名称", "合计", "基本支出", "项目支出") + _cells("类", "款", "项", "", "", "", "")
    numbers = _cells("栏次", "1", "2", "3")
    body = (
        _cells("合计", "86.50", "52.30", "34.20")
        + _cells("201", "", "", "一般公共服务支出", "86.50", "52.30", "34.20")
        + _cells("201", "03", "01", "行政运行", "52.30", "52.30", "0.00")
        + _cells("201", "03", "02", "一般行政管理事务", "34.20", "0.00", "34.20")
    )
    doc = doc_from_text("\n".join(["一般公共预算支出预算表", "单位：万元"] + header + numbers + body + [""]))
    (grid,) = find_cell_grids(doc)
    assert [c.text for c in grid.rows[2]] == ["栏次", "", "", "", "1", "2", "3"]
    (table,) = [t for t in extract(doc).tables if t.kind == "一般公共预算支出表"]
    running = next(r for r in table.rows if r.label == "行政运行")
    assert [running.cells[k].value for k in sorted(running.cells)] == [Decimal("52.30"), Decimal("52.30"), Decimal("0.00")]


def test_a_subject_heading_over_the_code_and_the_name_is_padded():
    header = _cells("功能分类科目", "本年支出合计", "基本支出", "项目支出", "经营支出")
    doc = _doc(header)
    (grid,) = find_cell_grids(doc)
    assert [c.text for c in grid.rows[0]][:3] == ["功能分类科目", "", "本年支出合计"]
    rows = {r.code: r for r in _table(doc).rows if r.code}
    assert rows["2100401"].cells[0].value == Decimal("2104388.15")


def test_a_numbers_row_short_by_another_count_leaves_the_table_unread():
    # two cells short where the code and the name are two columns: a number is missing, which one is unknown
    doc = _doc(HEADER + _cells("栏次", "1", "2", "3"))
    assert find_cell_grids(doc) == []
    assert len(find_cell_grids(_doc(HEADER + NUMBERS))) == 1


def test_a_header_short_of_a_value_heading_leaves_the_table_unread():
    # the first cell names one label column; the row lost a heading, not a span over the labels
    doc = _doc(_cells("科目名称", "本年支出合计", "基本支出", "项目支出", "经营支出"))
    assert find_cell_grids(doc) == []
    doc = _doc(_cells("科目编码", "科目名称", "本年支出合计", "基本支出", "项目支出"))
    assert find_cell_grids(doc) == []
