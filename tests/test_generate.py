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


# =========================================================================== the held-out mix
#
# The held-out split (eval_sets/synthetic-test) is made by the same generator with `--mix
# heldout`: 部门决算/预算 documents with standard tables, 绩效目标表, varied wording. The tests
# below re-read what the generator wrote with their own regular expressions and recompute each
# planted contradiction with decimal arithmetic; they share no code with its relations.

FISCAL_TYPES = ("部门决算", "部门预算")
NEW_CHECKS = {
    "table.rows_sum", "table.columns_sum", "table.balance", "table.sangong", "table.cross", "xref.digit_slip",
    "rate.share", "rate.change", "text.comparison", "text.empty_table", "text.nil_claim", "text.wrong_year",
    "complete.placeholder_name", "count.listed", "sum.bounded",
}
NUM = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?<![\d.,])\d+(?:\.\d+)?")


def nums(text: str) -> list[Decimal]:
    return [D(m.group()) for m in NUM.finditer(text)]


def printed_in(value, text: str) -> bool:
    """`value` (a gold number) stands in `text` as printed, with or without thousands commas."""
    v = Decimal(str(value))
    return any(abs(n - v) <= Decimal("0.005") for n in nums(text))


def close(a, b, tol="0.011") -> bool:
    return abs(Decimal(str(a)) - Decimal(str(b))) <= Decimal(tol)


def subset_sums(values: list[Decimal], k: int):
    from itertools import combinations

    for n in range(1, k + 1):
        for combo in combinations(values, n):
            yield sum(combo, Decimal(0))


class Parsed:
    """A fiscal document rendered as tab-rows txt: narrative paragraphs and TAB tables."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.split("\n")
        self.paras = [ln for ln in self.lines if "\t" not in ln and "。" in ln]
        self.tables: list[dict] = []
        title = None
        for ln in self.lines:
            if "\t" in ln:
                if title is None or self.tables and self.tables[-1]["title"] == title and self.tables[-1]["open"]:
                    pass
                if not self.tables or not self.tables[-1]["open"]:
                    self.tables.append({"title": title or "", "rows": [], "notes": [], "open": True})
                self.tables[-1]["rows"].append(ln.split("\t"))
            else:
                if self.tables and self.tables[-1]["open"] and ln.strip():
                    if ln.startswith(("注", "说明")):
                        self.tables[-1]["notes"].append(ln)
                        continue
                    self.tables[-1]["open"] = False
                if ln.strip() and ln.rstrip().endswith("表"):
                    title = ln.strip()

    @staticmethod
    def cell_num(c: str):
        c = c.strip()
        return D(c) if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+", c) else None

    def coded(self, table) -> list[tuple[str, dict]]:
        """(code, {offset: amount}) for every 功能分类/经济分类 code in the table's rows ("合计"
        rows give code ""): amounts keyed by their distance from the code cell, which stays the
        same when an export drops a row's leading empty cell. A row of two blocks (经济分类
        人员经费 | 公用经费) gives two entries."""
        out = []
        for row in table["rows"]:
            starts = []
            i = 0
            while i < len(row):
                c = row[i].strip()
                if re.fullmatch(r"\d{3}", c) and i + 1 < len(row) and re.fullmatch(r"\d{2}|", row[i + 1].strip()) \
                        and i + 2 < len(row) and re.fullmatch(r"\d{2}|", row[i + 2].strip()) and not Parsed.cell_num(row[i + 1]):
                    code = c + row[i + 1].strip() + row[i + 2].strip()
                    starts.append((i, code))
                    i += 3
                    continue
                if re.fullmatch(r"\d{3}|\d{5}|\d{7}", c) or c == "合计":
                    starts.append((i, "" if c == "合计" else c))
                i += 1
            for n, (i, code) in enumerate(starts):
                end = starts[n + 1][0] if n + 1 < len(starts) else len(row)
                values = {}
                for j in range(i + 1, end):
                    v = self.cell_num(row[j])
                    if v is not None:
                        values[j - i] = v
                    elif row[j].strip() == "-":
                        values[j - i] = Decimal(0)
                out.append((code, values))
        return out


def recompute(f: dict, doc: Parsed, gold: dict) -> bool:
    """Whether the gold finding's numbers follow from what the document prints."""
    check, stated, computed = f["check"], f["stated"], f["computed"]
    text, paras = doc.text, doc.paras
    if stated is None:
        return bool(f["label"]) and f["label"] in text
    if check == "text.wrong_year":
        return f"{stated}年" in text and str(computed) in text.split("\n")[0]
    if check == "count.listed":
        for m in re.finditer(rf"{stated}个[^，。；]{{0,6}}?[，：:]?(?:分别为|即|包括|：)[:：]?([^。；]+)", text):
            if len([x for x in m.group(1).split("、") if x]) == computed:
                return True
        return False
    if check == "text.empty_table":
        for t in doc.tables:
            if any(re.search("空表|无数据", n) for n in t["notes"]):
                filled = [v for row in t["rows"] for c in row if (v := Parsed.cell_num(c)) is not None and v != 0]
                if len(filled) == stated:
                    return True
        return False
    if check == "text.nil_claim":
        claim = any(re.search("无政府性基金|没有政府性基金", p) for p in paras)
        cells = any(printed_in(stated, "\t".join(r)) for t in doc.tables for r in t["rows"] if "基金" in t["title"] + "".join(r))
        return claim and cells and computed == 0
    if check == "text.comparison":
        for p in paras:
            if printed_in(stated, p) and printed_in(computed, p):
                m = re.search(r"决算数(?:与年初预算数)?(大于|高于|小于|低于|基本持平|持平)", p)
                if m:
                    w, a, b = m.group(1), Decimal(str(stated)), Decimal(str(computed))
                    if w in ("大于", "高于") and a <= b or w in ("小于", "低于") and a >= b:
                        return True
                    if "持平" in w and abs(a - b) > abs(b) * Decimal("0.01"):
                        return True
        return False
    if check in ("rate.share", "rate.completion"):
        amounts = [n for p in paras for n in nums(p)]
        for p in paras:
            if f"{stated}" in p or printed_in(stated, p):
                for a in nums(p):
                    for b in amounts:
                        if b and close(a / b * 100, computed):
                            return True
        return False
    if check == "rate.growth":
        for p in paras:
            if not printed_in(stated, p):
                continue
            ns = nums(p)
            for cur in ns:
                for x in ns:
                    for prev in (cur - x, cur + x, x):
                        if prev > 0 and close((cur - prev) / prev * 100, computed):
                            return True
        return False
    if check == "rate.change":
        for p in paras:
            if printed_in(stated, p):
                ns = nums(p)
                if any(close(n, computed) for n in ns) and Decimal(str(stated)) > Decimal(str(computed)):
                    return True
                if any(close(abs(a - b), computed) for a in ns for b in ns):
                    return True
        return False
    if check in ("sum.sangong", "sum.basic_breakdown", "sum.breakdown", "sum.bounded"):
        for i, p in enumerate(paras):
            if printed_in(stated, p):
                near = p + "".join(paras[i + 1:i + 2]) if check == "sum.bounded" else p  # 中小企业 in the next sentence
                others = [n for n in nums(near) if not close(n, stated, "0.001")]
                if any(close(s, computed) for s in subset_sums(others[:14], 4)):
                    return True
        return False
    if check == "table.rows_sum":
        for t in doc.tables:
            coded = dict(doc.coded(t))
            for code, values in coded.items():
                kids = [c for c in coded if len(c) == (len(code) + 2 if code else 3) and c.startswith(code)]
                for k, v in values.items():
                    if close(v, stated, "0.001") and kids:
                        if close(sum(coded[c].get(k, Decimal(0)) for c in kids), computed):
                            return True
        return False
    if check == "table.columns_sum":
        for t in doc.tables:
            for row in t["rows"]:
                vals = [Parsed.cell_num(c) if Parsed.cell_num(c) is not None else (Decimal(0) if c.strip() in ("", "-") else None)
                        for c in row]
                for k, v in enumerate(vals):
                    if v is not None and close(v, stated, "0.001"):
                        acc = Decimal(0)
                        for w in vals[k + 1:]:
                            if w is None:
                                break
                            acc += w
                            if close(acc, computed):
                                return True
        return False
    if check in ("table.balance", "table.sangong"):
        for t in doc.tables:
            values = [v for row in t["rows"] for c in row if (v := Parsed.cell_num(c)) is not None]
            if any(close(v, stated, "0.001") for v in values):
                others = [v for v in values if not close(v, stated, "0.001")]
                if check == "table.balance":
                    labelled = []
                    for row in t["rows"]:
                        for i, c in enumerate(row):
                            if re.search(r"总计|本年(收入|支出)合计|结转|结余", c):
                                nxt = [Parsed.cell_num(x) for x in row[i + 1:i + 3] if Parsed.cell_num(x) is not None]
                                labelled += nxt[:1]
                    others = [v for v in labelled if not close(v, stated, "0.001")]
                if any(close(s, computed) for s in subset_sums(others, 4)):
                    return True
        return False
    if check in ("xref.narrative_table", "xref.unit_slip", "xref.digit_slip", "xref.conflict", "table.cross"):
        c = Decimal(str(computed))
        candidates = [c, c / 10000, c * 10000]
        found = sum(1 for x in candidates if printed_in(x, text))
        ok = printed_in(stated, text) and found > 0
        if check == "xref.unit_slip":
            ok = ok and (c / Decimal(str(stated)) in (Decimal(10000), Decimal(10) ** 8) or Decimal(str(stated)) / c == 10000)
        if check == "xref.digit_slip":
            a = format(Decimal(str(stated)).quantize(Decimal("0.01")), "f").replace(".", "")
            b = format(c.quantize(Decimal("0.01")), "f").replace(".", "")
            long, short = (a, b) if len(a) > len(b) else (b, a)
            ok = ok and len(long) == len(short) + 1 and any(long[:i] + long[i + 1:] == short for i in range(len(long)))
        return ok
    return printed_in(stated, text)


@pytest.fixture(scope="module")
def heldout_mod():
    load_generator()
    from synth import heldout  # noqa: E402  (importable once generate.py has put eval_sets on the path)

    return heldout


@pytest.fixture(scope="module")
def planted(heldout_mod):
    """One 部门决算/预算 document per new check, with only that contradiction planted, as tab-rows txt."""
    import random

    from synth.fiscal_inject import FISCAL_CHECKS
    from synth.fiscal_render import render_fiscal_text
    from synth.gold import gold_document

    out = []
    for n, check in enumerate(FISCAL_CHECKS):
        for attempt in range(8):
            rtype = FISCAL_TYPES[(n + attempt) % 2]
            base = f"test:{check}:{attempt}"
            doc = heldout_mod.build("syn001", rtype, "tab-rows", base)
            injections = heldout_mod.apply_injections(doc, [check], random.Random(base + ":inject"))
            if injections:
                break
        assert injections, check
        results, negatives = doc.evaluate()
        gold = gold_document(doc, "syn001.txt", results, negatives, injections)
        out.append((check, gold, Parsed(render_fiscal_text(doc, "tab-rows", random.Random(base)))))
    return out


def test_every_new_check_can_be_planted_and_lands_in_the_gold(planted):
    for check, gold, _ in planted:
        assert check in {f["check"] for f in gold["findings"]}, check
        assert gold["injected"] == [check]


def test_planted_contradictions_recompute_from_the_printed_text(planted):
    """Each gold finding (stated, computed) is recomputed from the numbers the document prints."""
    for check, gold, doc in planted:
        for f in gold["findings"]:
            assert recompute(f, doc, gold), (check, f)


def test_planted_numbers_are_exact_decimals(planted):
    for _, gold, _ in planted:
        for f in gold["findings"] + gold["acceptable"]:
            for key in ("stated", "computed"):
                v = f[key]
                assert v is None or isinstance(v, (int, float)) and Decimal(str(v)).as_tuple().exponent >= -4, (f, key)


@pytest.fixture(scope="module")
def heldout_corpus(heldout_mod, tmp_path_factory):
    """A small held-out set with every layout of the mix (PDF, docx, xlsx, html, txt)."""
    out = tmp_path_factory.mktemp("heldout")
    mix = [("部门决算", "pdf", 1), ("部门预算", "html", 1), ("部门决算", "docx", 1), ("部门决算", "xlsx", 1),
           ("部门预算", "gbk-txt", 1), ("部门整体支出绩效自评报告", "html", 1), ("项目支出绩效目标表", "pdf", 1),
           ("专项资金绩效自评表", "xlsx", 1)]
    heldout_mod.generate(11, 8, out, verify=True, quiet=True, mix=mix)
    golds = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(out.glob("syn*.gold.yaml"))]
    return out, golds


def test_heldout_quotes_are_exact_substrings_in_every_layout(heldout_corpus):
    from synth.render import extract_text

    out, golds = heldout_corpus
    assert {g["layout"] for g in golds} >= {"pdf", "html", "docx", "xlsx", "gbk-txt"}
    checked = 0
    for g in golds:
        text = extract_text(str(out / g["document"]), g["layout"])
        for f in g["figures"]:
            assert f["quote"] in text, (g["document"], f["quote"])
            checked += 1
        if g["report_type"] in FISCAL_TYPES and g["layout"] != "xlsx":
            assert "情况说明" in text and "单位：" in text
    assert checked > 60


def test_heldout_same_seed_gives_identical_files(heldout_mod, tmp_path):
    mix = [("部门决算", "pdf", 1), ("部门预算", "docx", 1), ("部门整体绩效自评表", "html", 1)]
    heldout_mod.generate(3, 3, tmp_path / "a", quiet=True, mix=mix, verify=False)
    heldout_mod.generate(3, 3, tmp_path / "b", quiet=True, mix=mix, verify=False)
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir()) and len(names) == 7
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_tuning_mix_still_writes_the_committed_tuning_set(generator, tmp_path):
    """The variants draw from their own stream: the first documents of eval_sets/synthetic
    regenerate byte for byte from its seed."""
    committed = ROOT / "eval_sets" / "synthetic"
    if not (committed / "index.yaml").exists():
        pytest.skip("eval_sets/synthetic not generated")
    generator.generate(20261123, 120, tmp_path, verify=False, quiet=True, limit=5)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert len(names) == 10
    for name in names:
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name


def test_clean_fiscal_documents_are_consistent(heldout_mod):
    """Clean 决算/预算 documents fire none of their relations, and their tables add up when
    re-read from the txt: 收支总表 balances, every 类 is the sum of its 款."""
    import random

    from synth.fiscal_render import render_fiscal_text

    for k in range(4):
        doc = heldout_mod.build("syn001", FISCAL_TYPES[k % 2], "tab-rows", f"clean:{k}")
        results, _ = doc.evaluate()
        assert results == []
        parsed = Parsed(render_fiscal_text(doc, "tab-rows", random.Random(k)))
        summary = next(t for t in parsed.tables if "总表" in t["title"])
        totals = [Parsed.cell_num(r[i + 1 + (1 if len(r) == 6 else 0)]) for r in summary["rows"]
                  for i, c in enumerate(r) if c.strip() in ("总计", "收入总计", "支出总计") and i + 1 < len(r)]
        assert len(totals) == 2 and totals[0] == totals[1]
        for t in parsed.tables:
            coded = dict(parsed.coded(t))
            for code, values in coded.items():
                kids = [c for c in coded if len(code) in (3, 5) and len(c) == len(code) + 2 and c.startswith(code)]
                for i, v in values.items():
                    if kids:
                        total = sum(coded[c].get(i, Decimal(0)) for c in kids)
                        assert abs(v - total) <= Decimal("0.005") * (len(kids) + 1), (t["title"], code, i)


def test_committed_heldout_set_covers_the_new_checks_families_and_distractors():
    index_path = ROOT / "eval_sets" / "synthetic-test" / "index.yaml"
    if not index_path.exists():
        pytest.skip("eval_sets/synthetic-test not generated")
    index = yaml.safe_load(index_path.read_text(encoding="utf-8"))
    assert index["mix"] == "heldout" and index["seed"] != 20261123 and len(index["cases"]) == index["count"]
    assert NEW_CHECKS <= set(index["per_check"])
    assert min(index["per_check"][c] for c in NEW_CHECKS) >= 2
    assert all(n > 0 for n in index["documents_per_family"].values())
    assert len(index["documents_per_distractor"]) >= 12
    assert index["per_report_type"].get("部门决算", 0) + index["per_report_type"].get("部门预算", 0) >= 50
