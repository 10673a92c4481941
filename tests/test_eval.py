"""`jixiao eval` and the scoring behind it (extractor/evaluate.py)."""
from __future__ import annotations

import json
import shutil
import sqlite3

import pytest
import yaml
from conftest import ROOT, doc_from_text, invoke

from extractor.evaluate import EvalRun, compare, figure_views, score_figures, score_findings
from extractor.extract import extract

SYNTHETIC = ROOT / "eval_sets" / "synthetic"


def reported(check, stated, computed, severity="error", message="", quotes=()):
    return {"check": check, "severity": severity, "message": message, "stated": stated, "computed": computed,
            "evidence": [{"quote": q} for q in quotes]}


# ---- findings ---------------------------------------------------------------------------------


def test_findings_match_by_check_and_values_within_printed_tolerance():
    gold = {"findings": [{"check": "sum.sangong", "stated": 5.81, "computed": 4.86}],
            "acceptable": [{"check": "score.sum", "stated": 90, "computed": 100}]}
    tp, fp, fn, accepted = score_findings(gold, [
        reported("sum.sangong", 5.81, 4.864),  # computed within 0.01
        reported("score.sum", 90, 100),  # acceptable: neither rewarded nor penalised
        reported("rate.execution", 100, 111.57),  # nothing in the gold: a false alarm
        reported("sum.breakdown", 1, 2, severity="info"),  # notes are not claims
    ])
    assert [m.check for m in tp] == ["sum.sangong"] and [m.check for m in fp] == ["rate.execution"]
    assert fn == [] and accepted == 1


def test_wrong_values_or_wrong_check_do_not_match():
    gold = {"findings": [{"check": "sum.sangong", "stated": 5.81, "computed": 4.86}]}
    for f in (reported("sum.sangong", 5.81, 4.90), reported("sum.sangong", 5.82, 4.86), reported("sum.breakdown", 5.81, 4.86)):
        tp, fp, fn, _ = score_findings(gold, [f])
        assert (len(tp), len(fp), len(fn)) == (0, 1, 1)


def test_a_gold_finding_counts_once_and_null_values_match_by_label():
    gold = {"findings": [{"check": "complete.blank", "stated": None, "computed": None, "label": "群众满意度"},
                         {"check": "sum.sangong", "stated": 5.81, "computed": 4.86}]}
    tp, fp, fn, accepted = score_findings(gold, [
        reported("complete.blank", None, None, message="“群众满意度”得分未填"),
        reported("sum.sangong", 5.81, 4.86),
        reported("sum.sangong", 5.81, 4.86),  # the same contradiction found twice is not a false alarm
    ])
    assert len(tp) == 2 and fp == [] and fn == [] and accepted == 1
    tp, fp, fn, _ = score_findings(gold, [reported("complete.blank", None, None, message="“项目验收合格率”得分未填")])
    assert tp == [] and len(fp) == 1 and len(fn) == 2


def test_a_label_matches_a_finding_that_names_it_by_a_synonym():
    # the document printed 公务用车购置及运行费 where the gold says …运行维护费: the same item
    gold = {"findings": [{"check": "complete.placeholder", "stated": None, "computed": None, "label": "公务用车购置及运行维护费"}]}
    tp, fp, fn, _ = score_findings(gold, [reported("complete.placeholder", None, None, message="公务用车购置及运行费：正文“××”处为占位符")])
    assert len(tp) == 1 and fp == [] and fn == []
    tp, fp, fn, _ = score_findings(gold, [reported("complete.placeholder", None, None, message="公务接待费：正文“××”处为占位符")])
    assert tp == [] and len(fp) == 1 and len(fn) == 1


# ---- figures ---------------------------------------------------------------------------------


def test_figures_match_across_yuan_and_wan_and_budget_columns():
    text = (
        "一、基本情况\n2023年部门整体支出2,900,000元，其中基本支出150.00万元。\n\n"
        "项目\t年初预算数（万元）\t全年预算数（万元）\t全年执行数（万元）\t分值\t执行率\t得分\n"
        "年度资金总额\t100.00\t120.00\t110.00\t10\t91.67%\t9.17\n"
    )
    views = figure_views(extract(doc_from_text(text)))
    gold = {"figures": [
        {"label": "部门整体支出", "value": 290, "unit": "万元", "place": "narrative"},  # printed 2,900,000元
        {"label": "基本支出", "value": 1500000, "unit": "元", "place": "narrative"},
        {"label": "年度资金总额", "value": 120, "unit": "万元", "place": "table", "column": "调整后预算数"},  # alias of 全年预算数
        {"label": "年度资金总额", "value": 110, "unit": "万元", "place": "table", "column": "全年执行数"},
        {"label": "年度资金总额", "value": 111, "unit": "万元", "place": "table", "column": "全年执行数"},  # wrong value
    ]}
    matched, missed, extra = score_figures(gold, views)
    assert matched == 4 and [g["value"] for g in missed] == [111]
    # cells the gold does not label count against precision; a 110 read twice does not
    assert any("年初预算数" in e and e.endswith("=100.00") for e in extra)
    assert not any(e.endswith("=110.00") for e in extra)


# ---- the command ---------------------------------------------------------------------------


@pytest.fixture
def small_set(tmp_path):
    """Three synthetic cases copied into a set of their own."""
    folder = tmp_path / "eval_sets" / "mini"
    folder.mkdir(parents=True)
    for stem in ("syn007", "syn008", "syn014"):
        gold = yaml.safe_load((SYNTHETIC / f"{stem}.gold.yaml").read_text("utf-8"))
        shutil.copy(SYNTHETIC / gold["document"], folder / gold["document"])
        shutil.copy(SYNTHETIC / f"{stem}.gold.yaml", folder)
    return folder


def test_eval_stores_runs_and_a_switched_off_check_is_a_regression(small_set, tmp_path):
    db, out = tmp_path / "e.db", tmp_path / "base.json"
    first = invoke("eval", small_set, "--db", db, "--json", out)
    assert first.exit_code == 0, first.output
    base = json.loads(out.read_text("utf-8"))
    assert base["metrics"]["cases"] == 3 and base["metrics"]["finding_tp"] >= 2
    assert {"finding_recall", "finding_precision", "figure_f1"} <= set(base["metrics"])
    assert set(base["breakdowns"]) == {"check", "layout", "set"}
    gold_checks = {f["check"] for c in base["cases"] for f in c["tp"]}
    dropped = sorted(gold_checks)[0]

    second = invoke("eval", small_set, "--db", db, "--skip-check", dropped, "--baseline", base["id"],
                    "--fail-under", f"finding_recall={base['metrics']['finding_recall']}")
    assert second.exit_code == 1
    assert "变化的指标" in second.output and "finding_recall" in second.output and f"漏报 {dropped}" in second.output
    assert "未达标：finding_recall" in second.output
    con = sqlite3.connect(db)
    assert con.execute("select count(*) from eval_runs").fetchone()[0] == 2
    assert con.execute("select count(*) from eval_cases").fetchone()[0] == 6
    # the same code and options compared with itself: nothing changed, thresholds met
    third = invoke("eval", small_set, "--no-store", "--baseline", out, "--fail-under", "finding_precision=0")
    assert third.exit_code == 0 and "指标与各样本结果均无变化" in third.output


def test_eval_without_arguments_runs_every_set_under_eval_sets(small_set, tmp_path, monkeypatch):
    other = small_set.parent / "other"
    shutil.copytree(small_set, other)
    (small_set.parent / "notes").mkdir()  # a folder without gold is not a set
    monkeypatch.chdir(tmp_path)
    result = invoke("eval", "--no-store")
    assert result.exit_code == 0, result.output
    assert "2 个评测集，6 份样本" in result.output and "mini" in result.output and "other" in result.output


def test_bad_gold_and_bad_options_are_one_line_errors(small_set, tmp_path):
    (small_set / "syn007.gold.yaml").write_text("document: missing.txt\n", "utf-8")
    result = invoke("eval", small_set, "--no-store")
    assert result.exit_code == 1 and "syn007.gold.yaml" in result.output and "missing.txt" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert invoke("eval", small_set, "--no-store", "--skip-check", "no.such").exit_code == 1
    assert "须写成" in invoke("eval", small_set, "--no-store", "--fail-under", "finding_recall").output
    assert invoke("eval", small_set, "--db", tmp_path / "x.db", "--baseline", "nope").exit_code == 1


def test_baseline_over_more_sets_compares_only_shared_cases(small_set, tmp_path):
    out = tmp_path / "all.json"
    invoke("eval", small_set, SYNTHETIC, "--no-store", "--json", out)
    result = invoke("eval", small_set, "--no-store", "--baseline", out)
    assert "共同样本 3 份" in result.output and "指标与各样本结果均无变化" in result.output


def test_compare_names_what_got_worse_and_better():
    def run(rid, fn, fp):
        case = {"set": "s", "case": "a.txt", "layout": "txt", "tp": [], "fp": [{"key": k, "check": k} for k in fp],
                "fn": [{"key": k, "check": k} for k in fn]}
        return EvalRun.from_json({"id": rid, "metrics": {"finding_recall": 1.0 - 0.5 * len(fn)}, "cases": [case]})

    metrics, cases = compare(run("a", [], ["x.fp 1/2"]), run("b", ["sum.sangong 5.81/4.86"], []))
    assert metrics == [("finding_recall", 1.0, 0.5)]
    assert cases == [("s/a.txt", "漏报 sum.sangong 5.81/4.86", "消除误报 x.fp 1/2")]


def test_eval_list_names_stored_runs_and_no_store_reads_a_baseline_by_id(small_set, tmp_path):
    db = tmp_path / "e.db"
    assert "还没有评测记录" in invoke("eval", "--list", "--db", db).output
    first = invoke("eval", small_set, "--db", db)
    run_id = first.output.split("评测 ", 1)[1].split("：", 1)[0]
    listing = invoke("eval", "--list", "--db", db)
    assert listing.exit_code == 0 and run_id in listing.output and "mini" in listing.output
    # --no-store writes nothing but still finds the run by its id prefix in the named database
    again = invoke("eval", small_set, "--no-store", "--db", db, "--baseline", run_id[:6])
    assert again.exit_code == 0 and f"与基线 {run_id}" in again.output and "指标与各样本结果均无变化" in again.output
    assert sqlite3.connect(db).execute("select count(*) from eval_runs").fetchone()[0] == 1


def test_eval_table_puts_tuning_before_held_out_and_prints_their_gap():
    from extractor.eval_report import set_order, tuning_gaps

    names = ["seeds", "real", "synthetic-test", "phrasing/heldout", "synthetic", "phrasing/tune"]
    assert sorted(names, key=set_order) == ["phrasing/tune", "synthetic", "phrasing/heldout", "synthetic-test", "real", "seeds"]
    scored = {"figure_tp": 8, "figure_fp": 1, "figure_fn": 1}
    m = {"finding_f1": 0.9, "figure_f1": 0.8, **scored}
    gap = tuning_gaps({"synthetic": m, "synthetic-test": {"finding_f1": 0.6, "figure_f1": 0.8, **scored}})
    assert len(gap) == 1 and "-0.30" in gap[0] and "+0.00" in gap[0]
    # a held-out set labelled on findings only: its gap names no figure F1
    unscored = {"finding_f1": 0.7, "figure_f1": 1.0, "figure_tp": 0, "figure_fp": 0, "figure_fn": 0}
    (gap,) = tuning_gaps({"synthetic-fiscal": m, "fiscal-blind": unscored})
    assert "-0.20" in gap and "数字" not in gap
    assert sorted(["real", "fiscal-blind", "fiscal-blind-tune", "synthetic-fiscal"], key=set_order) == [
        "fiscal-blind-tune", "synthetic-fiscal", "fiscal-blind", "real"]  # (the tuning split of a blind set is tuning)


def test_json_dash_writes_the_run_to_standard_output(small_set, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("eval", small_set, "--no-store", "--json", "-")
    run = json.loads(result.stdout)
    assert run["metrics"]["cases"] == 3 and not (tmp_path / "-").exists()
