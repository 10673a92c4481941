"""Families of false alarms met on a second sweep of published performance documents (自评报告,
自评表, 绩效目标表, 专项资金评价报告): each test is a short made-up text in the shape that misled a
rule, with the wrong variant the rule must still catch."""
from __future__ import annotations

from conftest import extraction_of, findings_for


def errors(text: str) -> list[str]:
    return sorted(f.check for f in findings_for(text) if f.severity in ("error", "warning"))


def test_a_list_ends_at_the_next_item_of_a_run_on_paragraph():
    # a web page that lost its line breaks: the numbered items of a section run on with commas, and
    # the "其中" of item 1 must not take the amounts of items 2 and 3 as its parts
    text = ("（一）资金情况分析1.资金到位情况，下达专项经费30万元，其中省级补助30万元已于3月全部到位，"
            "2.资金执行情况，专项经费30万元已支付，3.资金用途，场地租赁费12万元，设备购置费9万元\n")
    ext = extraction_of(text)
    assert [[p.quantity.text for p in r.parts] for r in ext.relations] == [["30万元"]]
    assert errors(text) == []
    # a list that overruns its total inside its own item is still caught
    wrong = text.replace("其中省级补助30万元已于3月全部到位", "其中省级补助25万元，市级补助8万元")
    assert errors(wrong) == ["sum.breakdown"]


def test_numbered_parts_of_a_list_do_not_end_it():
    # the list's own items are numbered from 1 again: they are its parts, not the next item
    text = "本年资金分两部分：1.支出情况，全年支出40万元，其中：1.人员经费25万元，2.公用经费10万元，3.项目经费8万元。\n"
    (relation,) = extraction_of(text).relations
    assert [p.quantity.text for p in relation.parts] == ["25万元", "10万元", "8万元"]


def test_words_once_naming_a_part_name_it_again():
    # "其中本级安排项目支出…" made that amount a part of the project total; stated again on its own
    # it is still that part, not the project total a second time
    text = ("本年项目支出预算860万元，其中本级预算项目支出160万元，上级专项资金700万元。"
            "本级预算项目支出160万元，主要用于设备维护和人员培训。\n")
    ext = extraction_of(text)
    assert {f.subject.part for f in ext.figures if f.quantity.text == "160万元"} == {"本级预算项目支出"}
    assert errors(text) == []
    # the part stated with two values is still a conflict
    assert errors(text.replace("本级预算项目支出160万元，主要", "本级预算项目支出150万元，主要")) == ["xref.conflict"]


def test_a_named_list_cut_off_mid_sentence_is_not_complete():
    # the page text ends inside the list ("…，培"): the parts read so far need not add up
    text = "2023年专项工作经费60万元，分别是调研经费8万元，会务经费12万元，宣传经费15万元，培\n"
    assert errors(text) == []
    # the same list closed by its sentence is complete and must add up
    assert errors(text.replace("，培\n", "。\n")) == ["sum.breakdown"]


def test_xx_after_digits_is_no_name_placeholder():
    # "20xx" is a year whose last digits were left out, not a unit's name
    text = "到位资金共120万元，其中20xx乡村道路硬化项目80万元，20xx农田水利项目40万元。\n"
    assert "complete.placeholder_name" not in errors(text)
    # a name left as XX is still reported
    assert "complete.placeholder_name" in errors(text.replace("其中20xx乡村", "其中XX乡村"))


def test_a_list_with_cuts_nets_them():
    # an allocation notice's "其中" lines add some funds and cut others: the total is the net, and
    # the lines added up as if all were additions overrun it
    text = "本次追加下达资金3.2万元，其中：造林补助调减1.8万元，管护补助4.1万元，防火经费0.9万元。\n"
    assert errors(text) == []
    # a list of additions only that overruns its total is still caught
    assert errors(text.replace("造林补助调减1.8万元", "造林补助1.8万元")) == ["sum.breakdown"]
