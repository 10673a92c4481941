"""A manifest set whose documents sit in its own folder (documents_from "."), and documents
without figure labels: their figures are not scored (every figure read would count as false)."""
import json

from extractor.evaluate import EvalOptions, load_set, metrics, run_cases

TEXT = """鹤汀县统计局2025年部门预算
（一）2025年“三公”经费预算情况说明
2025年“三公”经费预算数为52.00万元。其中：
1.因公出国（境）费0.00万元。
2.公务用车购置及运行费45.00万元，其中：公务用车运行费45.00万元。
3.公务接待费4.00万元。
（二）机关运行经费预算
2025年一般公共预算基本支出812.40万元，其中：人员经费715.16万元，公用经费97.24万元。
"""

def _set(tmp_path, figures=None):
    folder = tmp_path / "local"
    folder.mkdir()
    (folder / "d1.txt").write_text(TEXT, "utf-8")
    must = [{"why": "三公 52.00 ≠ 0.00 + 45.00 + 4.00 = 49.00", "numbers": [52.00, 49.00]}]
    doc = {"id": "D1", "file": "d1.txt", "kind": "部门决算", "must": must, "may": []}
    (folder / "manifest.json").write_text(json.dumps({"documents_from": ".", "docs": [doc]}, ensure_ascii=False), "utf-8")
    if figures is not None:
        (folder / "figures").mkdir()
        (folder / "figures" / "D1.yaml").write_text(figures, "utf-8")
    return folder


def test_documents_in_the_manifest_folder_are_scored(tmp_path):
    cases = load_set(_set(tmp_path))
    assert [c.path for c in cases] == [tmp_path / "local" / "d1.txt"]
    (result,) = run_cases(cases, EvalOptions())
    assert result.error is None
    assert (len(result.tp), len(result.fp), len(result.fn)) == (1, 0, 0)


def test_unlabelled_figures_are_not_counted_as_false(tmp_path):
    (result,) = run_cases(load_set(_set(tmp_path)), EvalOptions())
    assert len(result.tp) == 1  # the document was read and audited; only its figures go unscored
    assert (result.figures_gold, result.figures_matched, result.figures_extra) == (0, 0, [])
    m = metrics([result])
    assert (m["figure_fp"], m["figure_precision"]) == (0, 1.0)


def test_labelled_figures_still_count_extra_readings(tmp_path):
    # an empty figures file is a label ("no figures here"): the figures read are then extra
    (result,) = run_cases(load_set(_set(tmp_path, figures="[]\n")), EvalOptions())
    assert result.figures_extra
    assert metrics([result])["figure_precision"] < 1.0


def test_the_table_prints_no_figure_score_for_a_set_scored_on_findings_only(tmp_path):
    from conftest import invoke

    out = invoke("eval", _set(tmp_path), "--no-store").output
    row = next(line for line in out.splitlines() if "│ local" in line)
    assert "—" in row and "1.00/1.00/1.00" in row  # the findings are scored; the figures show a dash
    assert row.count("1.00/1.00/1.00") == 1
