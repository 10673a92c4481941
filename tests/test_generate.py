"""Tests for the synthetic eval-set generator (eval_sets/generate.py).

The consistency checks here re-read the *text* of the generated reports with their own
regular expressions, so they do not share code with the generator's self-audit.
"""
from __future__ import annotations

import importlib.util
import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
TXT_LAYOUTS = {"tab-cells": "utf-8", "tab-rows": "utf-8", "gbk-txt": "gbk"}
CATALOGUE = {
    "sum.total_basic_project", "sum.basic_breakdown", "sum.sangong", "sum.fund_sources", "sum.adjusted_budget",
    "sum.breakdown", "rate.execution", "rate.execution_score", "rate.completion", "rate.growth", "score.sum",
    "score.weights_total", "score.category_weight", "score.over_max", "score.target_missed_full", "score.grade",
    "xref.conflict", "xref.unit_slip", "xref.narrative_table", "complete.blank", "complete.placeholder",
    "complete.percent_range",
}


def load_generator():
    spec = importlib.util.spec_from_file_location("eval_generate", ROOT / "eval_sets" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator():
    return load_generator()


@pytest.fixture(scope="module")
def corpus(generator, tmp_path_factory):
    """40 documents: enough clean txt reports of each type for the consistency checks."""
    out = tmp_path_factory.mktemp("corpus")
    generator.generate(7, 40, out, verify=True, quiet=True)
    golds = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(out.glob("*.gold.yaml"))]
    return out, golds


def text_of(out: Path, gold: dict) -> str:
    return (out / gold["document"]).read_bytes().decode(TXT_LAYOUTS[gold["layout"]])


def D(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


# --------------------------------------------------------------------------- determinism


def test_same_seed_gives_identical_files(generator, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    generator.generate(20261123, 6, a, quiet=True)
    generator.generate(20261123, 6, b, quiet=True)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert any(n.endswith(".txt") for n in names) and any(n.endswith(".gold.yaml") for n in names)
    for name in names:  # txt, gold YAML and also pdf/docx/xlsx, whose timestamps are pinned
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_different_seed_gives_different_documents(generator, tmp_path):
    generator.generate(1, 3, tmp_path / "a", quiet=True)
    generator.generate(2, 3, tmp_path / "b", quiet=True)
    ga = (tmp_path / "a" / "syn001.gold.yaml").read_text(encoding="utf-8")
    gb = (tmp_path / "b" / "syn001.gold.yaml").read_text(encoding="utf-8")
    assert ga != gb


# --------------------------------------------------------------------------- gold shape


def test_gold_files_have_the_documented_keys(corpus):
    out, golds = corpus
    for g in golds:
        for key in ("document", "layout", "report_type", "department", "year", "figures", "findings", "acceptable",
                    "hard_negatives"):
            assert key in g, (g["document"], key)
        assert (out / g["document"]).exists()
        for f in g["findings"] + g["acceptable"]:
            assert f["check"] in CATALOGUE
            if f["stated"] is None and f["computed"] is None:
                assert f["label"]
        # every planted contradiction is among the findings
        assert set(g["injected"]) <= {f["check"] for f in g["findings"]}


def test_quotes_occur_in_the_text_of_txt_layouts(corpus):
    out, golds = corpus
    checked = 0
    for g in golds:
        if g["layout"] not in TXT_LAYOUTS:
            continue
        text = text_of(out, g)
        for f in g["figures"]:
            assert f["quote"] in text, (g["document"], f["quote"])
            checked += 1
    assert checked > 100


def test_txt_table_layouts_look_like_the_seeds(corpus):
    out, golds = corpus
    for g in golds:
        layout = g.get("table_layout", g["layout"])
        if layout not in ("tab-cells", "tab-rows"):
            continue
        lines = text_of(out, g).split("\n")
        if layout == "tab-cells":  # cells on their own lines, led by a TAB; no line holds two cells
            cells = [ln for ln in lines if ln.startswith("\t")]
            assert len(cells) > 40 and not any("\t" in ln[1:] for ln in cells)
        else:  # whole rows on one line, cells separated by TABs
            assert sum(1 for ln in lines if ln.count("\t") >= 3) > 10


# --------------------------------------------------------------------------- clean documents are consistent


def clean_txt(corpus, report_type=None):
    out, golds = corpus
    for g in golds:
        if g["layout"] in TXT_LAYOUTS and not g["injected"] and (report_type is None or g["report_type"] == report_type):
            yield g, text_of(out, g)


def test_clean_documents_have_no_findings(corpus):
    _, golds = corpus
    clean = [g for g in golds if not g["injected"]]
    assert clean
    assert all(not g["findings"] and not g["acceptable"] for g in clean)


def test_clean_department_reports_add_up(corpus):
    seen = 0
    for g, text in clean_txt(corpus, "部门整体支出绩效自评报告"):
        seen += 1
        figs = {}
        for f in g["figures"]:
            if f["place"] == "narrative" and f["unit"] == "万元":
                figs.setdefault(f["label"], Decimal(str(f["value"])))
        # from the gold figures
        assert abs(figs["部门整体支出"] - figs["基本支出"] - figs["项目支出"]) <= Decimal("0.01")
        # and straight from the text
        m = re.search(r"部门整体支出([\d.]+)万元，其中：基本支出([\d.]+)万元；项目支出([\d.]+)万元", text)
        total, basic, project = map(D, m.groups())
        assert abs(total - basic - project) <= Decimal("0.01")
        m = re.search(r"基本支出为([\d.]+)万元，其中：(.*?)。", text)
        parts = [D(x) for x in re.findall(r"([\d.]+)万元", m.group(2))]
        assert D(m.group(1)) == basic and abs(basic - sum(parts)) <= Decimal("0.01")
        m = re.search(r"“三公”经费支出([\d.]+)万元，其中：(.*?)，比上年", text)
        parts = [D(x) for x in re.findall(r"([\d.]+)万元", m.group(2))]
        assert abs(D(m.group(1)) - sum(parts)) <= Decimal("0.01")
        m = re.search(r"（([\d,.]+)元÷([\d,.]+)元）×100%=([\d.]+)%", text)
        exec_, adj, rate = map(D, m.groups())
        assert abs(exec_ / adj * 100 - rate) <= Decimal("0.005")
        assert abs(exec_ / 10000 - total) <= Decimal("0.005")  # 元 and 万元 agree
        m = re.search(r"较上年的([\d.]+)万元(增长|下降)([\d.]+)%", text)
        prev, word, pct = D(m.group(1)), m.group(2), D(m.group(3))
        growth = (total - prev) / prev * 100
        assert (growth >= 0) == (word == "增长") and abs(abs(growth) - pct) <= Decimal("0.06")
    assert seen >= 2


def test_clean_documents_scores_are_consistent(corpus):
    seen = 0
    for g, text in clean_txt(corpus):
        totals = {f["value"] for f in g["figures"] if f["label"] == "自评得分"}
        assert len(totals) == 1, g["document"]
        total = Decimal(str(totals.pop()))
        m = re.search(r"自评等级为(优|良|中|差)", text)
        if m:
            expected = "优" if total >= 90 else "良" if total >= 80 else "中" if total >= 60 else "差"
            assert m.group(1) == expected
        rates = {f["value"] for f in g["figures"] if f["label"] == "预算执行率" and "row" not in f}
        assert len(rates) <= 1, g["document"]
        seen += 1
    assert seen >= 5


def table_rows(text: str, layout: str) -> list[list[str]]:
    """Rows of cells from either txt table layout (continuation lines of a cell are joined)."""
    if layout == "tab-rows":
        return [[c.strip("　 ") for c in line.split("\t")] for line in text.split("\n") if "\t" in line]
    rows, row = [], []
    for line in text.split("\n"):
        if line.startswith("\t"):
            row.append(line[1:])
        elif line == "":
            if row:
                rows.append([c.strip("　 ") for c in row])
            row = []
        elif row:
            row[-1] += line
    return rows


def test_clean_special_fund_tables_are_consistent(corpus):
    """The 年度资金总额 row of special-fund tables: 执行率 = 执行数 / 预算数, 得分 = 分值 × 率."""
    out, golds = corpus
    seen = 0
    for g in golds:
        # any special-fund txt report whose injections leave that row alone must obey it
        if g["layout"] not in TXT_LAYOUTS or g["report_type"] != "专项资金绩效自评表" \
                or {"rate.execution", "rate.execution_score"} & set(g["injected"]):
            continue
        text = text_of(out, g)
        for cells in table_rows(text, g.get("table_layout", g["layout"])):
            if "年度资金总额" in cells:
                i = cells.index("年度资金总额")
                _, budget, executed, weight, rate, score = cells[i + 1:i + 7]
                rate = D(rate.rstrip("%"))
                assert abs(rate - D(executed) / D(budget) * 100) <= Decimal("0.005")
                assert abs(D(score) - D(weight) * min(rate, Decimal(100)) / 100) <= Decimal("0.005")
                seen += 1
    assert seen >= 1


def test_clean_tables_total_score_is_the_sum(corpus):
    """Σ 得分 of the indicator rows + the budget score = 总分, read from the txt tables."""
    seen = 0
    for g, text in clean_txt(corpus):
        if g["report_type"] == "部门整体绩效自评表":
            continue  # its 得分 column sits between text columns; covered by the gold-figure test
        rows = table_rows(text, g.get("table_layout", g["layout"]))
        header = next(i for i, r in enumerate(rows) if "三级指标" in r and "得分" in r)
        col = rows[header].index("得分") - len(rows[header])  # from the right: robust to rows shifted left
        scores = []
        for r in rows[header + 1:]:
            if "总分" in r[:2]:
                filled = [c for c in r if c]  # tab-rows pads merged cells with empty ones
                assert filled[1] == "100"
                total = D(filled[2])
                break
            scores.append(D(r[col]))
        budget_score = next(Decimal(str(f["value"])) for f in g["figures"]
                            if f["label"] == "预算执行得分" and f["place"] == "table")
        assert sum(scores) + budget_score == total, g["document"]
        seen += 1
    assert seen >= 3


# --------------------------------------------------------------------------- the committed set


def test_committed_set_covers_every_check():
    index_path = ROOT / "eval_sets" / "synthetic" / "index.yaml"
    if not index_path.exists():
        pytest.skip("eval_sets/synthetic not generated")
    index = yaml.safe_load(index_path.read_text(encoding="utf-8"))
    assert set(index["per_check"]) == CATALOGUE
    assert min(index["per_check"].values()) >= 4
    assert len(index["cases"]) == index["count"]
    size = sum(p.stat().st_size for p in index_path.parent.iterdir() if p.is_file())
    assert size < 8 * 1024 * 1024
