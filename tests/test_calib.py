"""Severity calibration: an error is a contradiction the tool is sure it read; the same arithmetic
over a reading it had to guess (a subject carried over from another clause, a label that only
contains a standard name, operands from two sentences, a list that need not be full of free
labels) is a warning. Measured on eight sweeps of real text (docs/sweeps.md, 错误级别的可信度)."""
from __future__ import annotations

from types import SimpleNamespace

from conftest import findings_for

from extractor.checks import rates, wording

HEAD = "某区文化馆2024年度部门决算\n（三）三公经费\n"


def only(text: str, check_id: str):
    return [f for f in findings_for(text) if f.check == check_id]


# ---- xref.conflict: both statements plainly named, or not -----------------------------------

def test_conflict_between_two_plainly_named_statements_is_an_error():
    (f,) = only(HEAD + "2024年公务接待费支出决算2.60万元。\n本年度严控接待标准，公务接待费支出决算3.10万元。\n", "xref.conflict")
    assert f.severity == "error"


def test_conflict_with_a_fund_scope_or_list_number_before_the_name_stays_an_error():
    text = HEAD + "1.财政拨款公务接待费支出决算2.60万元。\n2.公务接待费支出决算3.10万元。\n"
    (f,) = only(text, "xref.conflict")
    assert f.severity == "error"


def test_conflict_whose_labels_only_contain_the_name_is_a_warning():
    # 全系统 and 机关本级 are two figures of one item: the reader cannot tell they are one
    (f,) = only(HEAD + "全系统公务接待费支出决算5.20万元。\n机关本级公务接待费支出决算3.10万元。\n", "xref.conflict")
    assert f.severity == "warning"


def test_conflict_with_a_subject_carried_over_from_its_sentence_is_a_warning():
    text = HEAD + "2024年公务接待费支出决算2.60万元。\n本年公务接待费支出预算3.00万元，实际支出3.10万元。\n"
    (f,) = only(text, "xref.conflict")
    assert f.severity == "warning"


def test_equal_statements_are_still_silent():
    assert only(HEAD + "2024年公务接待费支出决算2.60万元。\n全系统公务接待费支出决算2.60万元。\n", "xref.conflict") == []


# ---- sum.breakdown: a list that need not be full --------------------------------------------

def test_free_labels_over_their_total_are_a_warning():
    (f,) = only("某区文化馆2024年度部门决算\n在职人员12人，其中：管理岗7人，专业技术岗8人。\n", "sum.breakdown")
    assert f.severity == "warning"


def test_a_total_one_unit_step_off_its_list_stays_an_error():
    text = "某区文化馆2024年度部门决算\n补助资金共计356.20元，其中：中央补助150.00万元，省级补助206.20万元。\n"
    (f,) = only(text, "sum.breakdown")
    assert f.severity == "error" and "疑似单位错写" in f.message


def test_a_list_short_of_its_total_is_still_silent():
    assert only("某区文化馆2024年度部门决算\n在职人员12人，其中：管理岗7人，专业技术岗3人。\n", "sum.breakdown") == []


# ---- rate.growth / rate.change: operands in one sentence or not -----------------------------

def test_growth_rate_against_amounts_of_its_own_sentence_is_an_error():
    (f,) = only(HEAD + "2024年“三公”经费支出12.00万元，较上年减少3.00万元，下降30%。\n", "rate.growth")
    assert f.severity == "error"


def test_growth_rate_against_an_amount_of_another_sentence_is_a_warning():
    text = "某区文化馆2024年度部门预算\n2024年本部门收入预算860.00万元。收入较上年增加60.00万元，增长9.5%。\n"
    (f,) = only(text, "rate.growth")
    assert f.severity == "warning"


def test_growth_rate_that_fits_stays_silent_across_sentences():
    text = "某区文化馆2024年度部门预算\n2024年本部门收入预算860.00万元。收入较上年增加60.00万元，增长7.5%。\n"
    assert only(text, "rate.growth") == []


def test_change_between_amounts_of_its_own_sentence_is_an_error():
    (f,) = only(HEAD + "2024年公务接待费支出决算5.80万元，比上年的5.00万元增加0.60万元。\n", "rate.change")
    assert f.severity == "error"


def test_change_against_an_amount_of_another_sentence_is_a_warning():
    (f,) = only(HEAD + "2024年“三公”经费支出决算12.00万元。\n较上年的10.00万元增加3.00万元。\n", "rate.change")
    assert f.severity == "warning"
    (f,) = only(HEAD + "2024年公务接待费支出决算5.80万元。\n公务接待费支出决算比上年增加7.00万元。\n", "rate.change")
    assert f.severity == "warning"


# ---- rate.share: part and whole sure, and the share the part's -------------------------------

def test_share_of_a_plainly_named_part_and_whole_is_an_error():
    (f,) = only(HEAD + "2024年“三公”经费支出决算10.00万元，其中：公务接待费支出决算4.00万元，占30%。\n", "rate.share")
    assert f.severity == "error"


def _fig(item, confidence="stated", sentence=1, cell=None):
    return SimpleNamespace(subject=SimpleNamespace(item=item), confidence=confidence, sentence=sentence, cell=cell)


def test_share_sure_only_when_part_and_whole_are_read_for_sure(monkeypatch):
    def judge(*figs):
        monkeypatch.setattr(rates, "evidence_figures", lambda ctx, f: list(figs))
        return rates._share_sure(None, None)
    share = _fig("公务接待费", "inherited")
    assert judge(share, _fig("公务接待费"), _fig("三公经费", sentence=0))  # both named in their clauses
    assert judge(share, _fig("公务接待费", "inherited"), _fig("三公经费", "inherited"))  # one sentence
    # a part carried over from the clause before, against a whole of another sentence
    assert not judge(share, _fig("公务接待费", "inherited"), _fig("三公经费", sentence=0))
    # the share's own subject is another item than the part it was paired with
    assert not judge(_fig("项目支出", "inherited"), _fig("公用经费"), _fig("基本支出"))
    assert not judge(share, _fig("公务接待费"))  # no whole read


# ---- text.comparison: the two amounts must be one item's ------------------------------------

def test_comparison_of_one_items_amounts_is_an_error():
    (f,) = only(HEAD + "2024年公务接待费支出预算5.00万元，支出决算4.00万元，决算数大于预算数。\n", "text.comparison")
    assert f.severity == "error"


def test_comparison_sure_only_for_one_item():
    assert wording._same_item([_fig("公务接待费"), _fig("公务接待费")])
    assert not wording._same_item([_fig("公务接待费"), _fig("三公经费")])  # a part's 决算 against the whole's 预算
    assert not wording._same_item([_fig("公务接待费"), None])
