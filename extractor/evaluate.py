"""Score an extractor and the checks against labelled eval sets (eval_sets/README.md).

A set is a folder of documents, each with `<stem>.gold.yaml` beside it. For every case the
document is read, extracted (rules, or rules + model) and checked exactly as `jixiao audit`
does, then compared with the gold:

* findings — a reported error/warning matches a gold finding of the same check whose stated
  and computed values agree within tolerance (or, when the gold has no numbers, whose label
  appears in the finding's message or evidence); findings listed as `acceptable` are neither
  rewarded nor penalised; everything else reported is a false positive;
* figures — every extracted figure is put under the names the gold uses (canonical label,
  budget-table row and column, score totals); a gold figure is found when a figure with its
  label (and column/row, when given) has its value, after 元/万元 conversion.

Nothing here knows a particular set or document: the gold files carry everything.
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

import yaml

from . import canon, vocab
from .checks import CATALOGUE
from .errors import JixiaoError
from .extract import extract
from .ingest import read_document
from .pipeline import analyse
from .records import Document, Extraction, Finding, Quantity

REPORTED = ("error", "warning")  # info findings (rounding gaps) are notes, not claims

_ALIAS = {name: group[0] for group in vocab.SAME_FIGURE_NAMES for name in group}

UNIT_FACTORS = {"亿元": Decimal(10) ** 8, "万元": Decimal(10) ** 4, "元": Decimal(1)}


def name_key(label: Optional[str]) -> Optional[str]:
    """One spelling per figure name: canonical label where canon knows it, aliases folded."""
    if not label:
        return None
    text = canon.normalise(label)
    name = canon.canonical(label) or text
    return _ALIAS.get(name, _ALIAS.get(text, name))


# ---- loading --------------------------------------------------------------------------------


@dataclass
class Case:
    set: str  # folder name (or folder/split)
    name: str  # document file name
    path: Optional[Path]
    gold: dict
    document: Optional[Document] = None  # a case written as text in its gold (the phrasing cases)

    @property
    def layout(self) -> str:
        return str(self.gold.get("layout") or "unknown")

    def read(self) -> Document:
        return self.document if self.document is not None else read_document(str(self.path))


class SetUnavailable(JixiaoError):
    """An eval set whose documents live outside the repository and are not there."""


SET_FILES = ("*.gold.yaml", "manifest.json", "cases.yaml")


def default_sets(root: Optional[Path] = None) -> list[Path]:
    """Every folder under eval_sets/ that holds gold (./eval_sets, else the checkout's)."""
    base = root or (Path("eval_sets") if Path("eval_sets").is_dir() else Path(__file__).resolve().parents[1] / "eval_sets")
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and any(any(p.glob(pat)) for pat in SET_FILES))


def load_set(folder: Path) -> list[Case]:
    if not folder.is_dir():
        raise JixiaoError(f"{folder}: 评测集文件夹不存在")
    if (folder / "manifest.json").is_file():
        return _load_manifest(folder)
    if (folder / "cases.yaml").is_file():
        return _load_phrasing(folder)
    cases = []
    for gold_path in sorted(folder.glob("*.gold.yaml")):
        try:
            gold = yaml.safe_load(gold_path.read_text("utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise JixiaoError(f"{gold_path}: 标注文件无法读取: {' '.join(str(exc).split())[:200]}") from exc
        name = gold.get("document")
        if not name or not (folder / name).is_file():
            raise JixiaoError(f"{gold_path}: 标注文件的 document 字段须指向同一文件夹中的报告，而不是 {name!r}")
        cases.append(Case(folder.name, name, folder / name, gold))
    if not cases:
        raise JixiaoError(f"{folder}: 没有 *.gold.yaml 标注文件")
    return cases


def _load_manifest(folder: Path) -> list[Case]:
    """Real documents kept outside the repository (`documents_from`), labelled in the manifest
    format of ../shared/real: `must` findings, `may` ones, numbers and texts a finding has to
    mention; figure labels in figures/<id>.yaml."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    source = (folder / manifest.get("documents_from", ".")).resolve()
    if not source.is_dir():
        raise SetUnavailable(f"{folder.name}: 真实文档目录 {source} 不存在，跳过此评测集")
    cases = []
    for d in manifest["docs"]:
        path = source / d["file"]
        if not path.is_file():
            raise SetUnavailable(f"{folder.name}: 缺少 {path}，跳过此评测集")
        figures = folder / "figures" / f"{d['id']}.yaml"
        gold = {"layout": d.get("kind", "real"), "findings": d.get("must", []), "acceptable": d.get("may", []),
                "statements": yaml.safe_load(figures.read_text("utf-8")) if figures.is_file() else [],
                # without figures/<id>.yaml the document's figures are unlabelled: scoring them would
                # count every figure read as a false one
                "figures_unlabelled": not figures.is_file()}
        cases.append(Case(folder.name, d["file"], path, gold))
    return cases


def _load_phrasing(folder: Path) -> list[Case]:
    """Short passages in real phrasing (cases.yaml), one case each, split into tune/heldout."""
    from .eval_phrasing import KIND_CHECKS, case_document

    cases = []
    for c in yaml.safe_load((folder / "cases.yaml").read_text("utf-8")) or []:
        findings = [{**g, "check": list(KIND_CHECKS.get(g.get("kind"), ()))} for g in c.get("findings") or []]
        gold = {"layout": c.get("family", "?"), "findings": findings, "acceptable": [], "statements": c.get("statements") or []}
        cases.append(Case(f"{folder.name}/{c.get('split', 'tune')}", c["id"], None, gold, case_document(c)))
    return cases


# ---- numbers and tolerance ------------------------------------------------------------------


def _dec(value: Any) -> Optional[Decimal]:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).replace(",", ""))
    except InvalidOperation:
        return None


def _half_ulp(value: Decimal) -> Decimal:
    exponent = value.normalize().as_tuple().exponent
    return Decimal(5) * Decimal(10) ** (min(int(exponent), 0) - 1)


def close(gold: Any, got: Any, floor: Decimal) -> bool:
    """Within half a unit of the gold's last printed digit, and never tighter than `floor`."""
    g, x = _dec(gold), _dec(got)
    if g is None or x is None:
        return False
    return abs(g - x) <= max(_half_ulp(g), floor)


# ---- findings -------------------------------------------------------------------------------


@dataclass
class FindingMatch:
    check: str
    stated: Optional[float]
    computed: Optional[float]
    label: Optional[str] = None
    message: Optional[str] = None  # the tool's, for reported findings

    def key(self) -> str:
        return f"{self.check} {self.stated}/{self.computed}" + (f" {self.label}" if self.label and self.stated is None else "")


NUMBER_IN_TEXT = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
UNIT_SHIFTS = (Decimal(1), Decimal(100), Decimal("0.01"), Decimal(10) ** 4, Decimal(10) ** -4, Decimal(10) ** 8, Decimal(10) ** -8)


def _numbers_of(f: dict) -> list[Decimal]:
    out = [d for d in (_dec(f.get("stated")), _dec(f.get("computed"))) if d is not None]
    for text in [f["message"]] + [e["quote"] for e in f.get("evidence", [])]:
        out += [d for m in NUMBER_IN_TEXT.finditer(text) if (d := _dec(m.group())) is not None]
    return out


def _mentions(numbers: list[Decimal], want: Any) -> bool:
    """A number a finding must mention, in the units printed (元/万元/% shifts allowed), as
    ../shared/tools/score_real.py matches them."""
    if isinstance(want, dict):
        value, tol = _dec(want.get("v")), _dec(want.get("tol", "0.011"))
    else:
        value, tol = _dec(want), Decimal("0.011")
    return any(abs(abs(n) * k - abs(value)) <= tol for n in numbers for k in UNIT_SHIFTS)


def _gold_matches(gold: dict, f: dict) -> bool:
    if "numbers" in gold or "text" in gold:  # real and phrasing labels: any of the checks named, the numbers mentioned
        checks = gold.get("check") or []
        checks = [checks] if isinstance(checks, str) else checks
        if checks and not any(f["check"].startswith(c) for c in checks):
            return False
        numbers = _numbers_of(f)
        blob = f["message"] + "".join(e["quote"] for e in f.get("evidence", []))
        return all(_mentions(numbers, n) for n in gold.get("numbers") or []) and all(t in blob for t in gold.get("text") or [])
    if gold.get("check") != f["check"]:
        return False
    g_stated, g_computed = gold.get("stated"), gold.get("computed")
    if g_stated is None and g_computed is None:
        label = str(gold.get("label") or "")
        haystack = canon.normalise(f["message"] + "".join(e["quote"] for e in f["evidence"]))
        # the document may print a synonym of the gold's name (公务用车购置及运行费 for …运行维护费)
        names = {canon.normalise(label), canon.normalise(canon.canonical(label) or label)}
        return bool(label) and any(n in haystack for n in names)
    if g_stated is not None and not close(g_stated, f["stated"], Decimal("0.005")):
        return False
    if g_computed is not None and not close(g_computed, f["computed"], Decimal("0.01")):
        return False
    return True


def score_findings(gold: dict, reported: list[dict]) -> tuple[list[FindingMatch], list[FindingMatch], list[FindingMatch], int]:
    """(true positives, false positives, false negatives, acceptable ones reported)."""
    expected = list(gold.get("findings") or [])
    acceptable = list(gold.get("acceptable") or [])
    taken = [False] * len(expected)
    tp, fp, accepted = [], [], 0
    for f in reported:
        if f["severity"] not in REPORTED:
            continue
        hit = next((i for i, g in enumerate(expected) if not taken[i] and _gold_matches(g, f)), None)
        as_match = FindingMatch(f["check"], f["stated"], f["computed"], None, f["message"])
        if hit is not None:
            taken[hit] = True
            tp.append(as_match)
        elif any(_gold_matches(g, f) for g in acceptable) or any(_gold_matches(g, f) for g in expected):
            accepted += 1  # acceptable, or a second report of a finding already matched
        else:
            fp.append(as_match)
    fn = [FindingMatch(_check_name(g), g.get("stated"), g.get("computed"), g.get("label") or g.get("why")) for i, g in enumerate(expected) if not taken[i]]
    return tp, fp, fn, accepted


def _check_name(gold: dict) -> str:
    check = gold.get("check") or "?"
    return check if isinstance(check, str) else "|".join(check) or "?"


# ---- figures --------------------------------------------------------------------------------


@dataclass
class FigureView:
    """An extracted figure under the names the gold may use for it."""

    names: frozenset[str]
    quantity: Quantity
    place: str  # "narrative" | "table"

    def label(self) -> str:
        return "/".join(sorted(self.names))


def _printed_unit(q: Quantity) -> Optional[str]:
    return f"{q.scale or ''}{q.unit}" if q.unit else None


def _value_in(q: Quantity, unit: Optional[str]) -> Decimal:
    """The figure's value in the gold's unit (元/万元/亿元 converted; other units as printed)."""
    printed = _printed_unit(q)
    if unit in UNIT_FACTORS and printed in UNIT_FACTORS:
        return q.value * UNIT_FACTORS[printed] / UNIT_FACTORS[unit]
    return q.value


_PART_MARK = re.compile(vocab.PART_ROW_MARK)
_SPENDING = frozenset(name for name, _pattern, flow in vocab.ITEMS if flow == "支出")
_SELF_EVALUATIONS = ("自评报告", "自评表")


def _measure_name(f: Any, kind: Optional[str]) -> Optional[str]:
    """In a self-evaluation, a spending item's 年初预算/调整预算/决算 is its form's 年初预算数/全年预算数/
    全年执行数 (an income's 决算 is no 执行数; a 决算 document names its figures by item)."""
    if kind not in _SELF_EVALUATIONS or f.canonical not in _SPENDING:
        return None
    return vocab.MEASURE_FIGURE_NAMES.get(f.measure or "")


def figure_views(ext: Extraction) -> list[FigureView]:
    views: list[FigureView] = []

    def add(q: Optional[Quantity], place: str, *labels: Optional[str]) -> None:
        names = frozenset(k for k in (name_key(x) for x in labels) if k)
        if q is not None and names:
            views.append(FigureView(names, q, place))

    for f in ext.figures:
        place = "table" if f.context == "table" else "narrative"
        add(f.quantity, place, f.canonical, canon.trim_label(f.label) if f.canonical is None else None, _measure_name(f, ext.kind))
    for sheet in ext.sheets:
        for row in sheet.budget_rows:
            for role, q in row.values.items():
                if role in vocab.BUDGET_ROLE_NAMES:
                    add(q, "table", row.label, _PART_MARK.sub("", row.label), vocab.BUDGET_ROLE_NAMES[role])
        add(sheet.budget_score, "table", "预算执行得分")
        add(sheet.total_score, "table", "自评得分")
        for cat in sheet.categories:
            add(cat.points, "table", f"{cat.name}分值")
    return views


VOCABULARY = frozenset(
    name_key(x)
    for x in (
        "部门整体支出 基本支出 项目支出 工资福利支出 商品和服务支出 对个人和家庭补助支出 人员经费 公用经费 三公经费 "
        "因公出国（境）费 公务接待费 公务用车购置及运行维护费 年初预算数 年中预算调整数 调整后预算数 全年执行数 预算执行率 "
        "预算执行得分 自评得分 产出指标得分 效益指标得分 满意度指标得分"
    ).split()
)


def _gold_names(g: dict) -> list[str]:
    return [k for k in (name_key(g.get("label")), name_key(g.get("column")), name_key(g.get("row"))) if k]


def _figure_matches(g: dict, v: FigureView) -> bool:
    if g.get("place") and g["place"] != v.place:
        return False
    if not all(n in v.names for n in _gold_names(g)):
        return False
    value = _dec(g.get("value"))
    if value is None:
        return False
    got = _value_in(v.quantity, g.get("unit"))
    return abs(got - value) <= max(_half_ulp(value), Decimal("0.005"))


def score_figures(gold: dict, views: list[FigureView]) -> tuple[int, list[dict], list[str]]:
    """(matched, gold figures missed, extracted vocabulary figures matching no gold figure).
    Only figures under a name of the gold vocabulary count against precision: the extractor
    also reads indicator values and counts that the gold does not label."""
    expected = list(gold.get("figures") or [])
    vocabulary = VOCABULARY | {n for g in expected for n in _gold_names(g)}
    used = [False] * len(views)
    missed = []
    matched = 0
    for g in expected:
        hit = next((i for i, v in enumerate(views) if not used[i] and _figure_matches(g, v)), None)
        if hit is None:
            missed.append(g)
        else:
            used[hit] = True
            matched += 1
    # a second reading of a matched figure is no error, nor is a less specific reading of a matched
    # number (a form's 得分 cell read as its row's score and as the sheet's budget score)
    matched_at = [v for i, v in enumerate(views) if used[i]]
    extra = [f"{v.label()}={v.quantity.text}" for i, v in enumerate(views) if not used[i] and v.names & vocabulary
             and not any(_figure_matches(g, v) for g in expected)
             and not any(m.quantity.span == v.quantity.span and v.names <= m.names for m in matched_at)]
    return matched, missed, extra


# ---- running --------------------------------------------------------------------------------


@dataclass
class CaseResult:
    set: str
    case: str
    layout: str
    tp: list[dict] = field(default_factory=list)
    fp: list[dict] = field(default_factory=list)
    fn: list[dict] = field(default_factory=list)
    acceptable: int = 0
    figures_gold: int = 0
    figures_matched: int = 0
    figures_missed: list[str] = field(default_factory=list)
    figures_extra: list[str] = field(default_factory=list)
    error: Optional[str] = None
    llm: Optional[dict] = None

    def outcome(self) -> dict:
        """What a baseline comparison looks at."""
        return {"tp": sorted(m["key"] for m in self.tp), "fp": sorted(m["key"] for m in self.fp),
                "fn": sorted(m["key"] for m in self.fn), "figures_missed": sorted(self.figures_missed),
                "figures_extra": sorted(self.figures_extra), "error": self.error}


def _as_dict(m: FindingMatch) -> dict:
    return {**asdict(m), "key": m.key()}


def _finding_dicts(findings: list[Finding]) -> list[dict]:
    return [f.to_json() for f in findings]


@dataclass
class EvalOptions:
    skip_checks: frozenset[str] = frozenset()
    llm: Any = None  # an LLMConfig, for --extractor llm


def score_case(case: Case, doc: Document, ext: Extraction, findings: list[Finding], llm: Optional[dict] = None) -> CaseResult:
    tp, fp, fn, accepted = score_findings(case.gold, _finding_dicts(findings))
    if case.gold.get("statements"):
        from .eval_phrasing import score_statements

        gold_n, matched, missed, extra = score_statements(doc, ext, case.gold["statements"])
        return CaseResult(case.set, case.name, case.layout, [_as_dict(m) for m in tp], [_as_dict(m) for m in fp],
                          [_as_dict(m) for m in fn], accepted, gold_n, matched, missed, extra, None, llm)
    if case.gold.get("figures_unlabelled"):
        return CaseResult(case.set, case.name, case.layout, [_as_dict(m) for m in tp], [_as_dict(m) for m in fp],
                          [_as_dict(m) for m in fn], accepted, 0, 0, [], [], None, llm)
    matched, missed, extra = score_figures(case.gold, figure_views(ext))
    return CaseResult(
        case.set, case.name, case.layout, [_as_dict(m) for m in tp], [_as_dict(m) for m in fp], [_as_dict(m) for m in fn],
        accepted, len(case.gold.get("figures") or []), matched,
        [f"{g.get('label')}{'/' + g['column'] if g.get('column') else ''}={g.get('value')}" for g in missed], extra, None, llm,
    )


def _llm_stats(case: Case, llm: Any) -> dict:
    """The model's cost and, on its own (before merging with the rules, which would hide a worse
    prompt), how many of the gold's narrative figures it found."""
    narrative = {**case.gold, "figures": [g for g in case.gold.get("figures") or [] if g.get("place") == "narrative"]}
    found, _missed, _extra = score_figures(narrative, figure_views(Extraction(figures=list(llm.figures))))
    s = llm.stats
    return {"calls": s.calls, "cache_hits": s.cache_hits, "input_tokens": s.input_tokens, "output_tokens": s.output_tokens,
            "reasks": s.reasks, "kept": len(llm.figures), "dropped": s.dropped, "failures": s.failures,
            "narrative_gold": len(narrative["figures"]), "narrative_found": found}


def run_cases(cases: list[Case], options: EvalOptions, store: Any = None,
              on_case: Optional[Callable[[CaseResult], None]] = None) -> list[CaseResult]:
    """Every case through the audit's own extract → (model) → checks path. With the model, the
    narrative of all cases goes through one extractor (one pool, one cache)."""
    only = set(CATALOGUE) - set(options.skip_checks) if options.skip_checks else None
    read: list[tuple[Case, Optional[Document], Optional[Extraction], Optional[str]]] = []
    for case in cases:
        try:
            doc = case.read()
            read.append((case, doc, extract(doc), None))
        except JixiaoError as exc:
            read.append((case, None, None, str(exc)))
    llm_results: dict[int, Any] = {}
    if options.llm is not None:
        from .llm import LLMExtractor

        extractor = LLMExtractor(options.llm, store)
        try:
            todo = [(i, doc, ext) for i, (_c, doc, ext, _e) in enumerate(read) if doc is not None]
            answers = extractor.extract_many([(doc, ext.narrative, ext.year) for _i, doc, ext in todo])
            llm_results = {i: a for (i, _d, _x), a in zip(todo, answers)}
        finally:
            extractor.close()
    results = []
    for i, (case, doc, ext, error) in enumerate(read):
        if error is not None:  # an unreadable case misses every gold finding
            _tp, _fp, missed, _acc = score_findings(case.gold, [])
            result = CaseResult(case.set, case.name, case.layout, fn=[_as_dict(m) for m in missed],
                                figures_gold=len(case.gold.get("figures") or []), error=error)
        else:
            llm = llm_results.get(i)
            findings, _problems = analyse(doc, ext, llm, only)  # the audit's own path from extraction to findings
            stats = _llm_stats(case, llm) if llm is not None else None
            result = score_case(case, doc, ext, findings, stats)
        if on_case:
            on_case(result)
        results.append(result)
    return results


# ---- metrics --------------------------------------------------------------------------------


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4)}


def metrics(results: list[CaseResult]) -> dict:
    """Headline metrics (flat, for --fail-under) over a list of case results."""
    tp = sum(len(r.tp) for r in results)
    fp = sum(len(r.fp) for r in results)
    fn = sum(len(r.fn) for r in results)
    fig_gold = sum(r.figures_gold for r in results)
    fig_tp = sum(r.figures_matched for r in results)
    fig_extra = sum(len(r.figures_extra) for r in results)
    f, g = _prf(tp, fp, fn), _prf(fig_tp, fig_extra, fig_gold - fig_tp)
    out = {
        "cases": len(results), "errors": sum(r.error is not None for r in results),
        "finding_precision": f["precision"], "finding_recall": f["recall"], "finding_f1": f["f1"],
        "finding_tp": tp, "finding_fp": fp, "finding_fn": fn,
        "figure_precision": g["precision"], "figure_recall": g["recall"], "figure_f1": g["f1"],
        "figure_tp": fig_tp, "figure_fp": fig_extra, "figure_fn": fig_gold - fig_tp,
        "clean_cases_with_false_alarms": sum(1 for r in results if not r.tp and not r.fn and r.fp),
    }
    llm = [r.llm for r in results if r.llm]
    if llm:
        kept, dropped = sum(x["kept"] for x in llm), sum(x["dropped"] for x in llm)
        narrative, found = sum(x["narrative_gold"] for x in llm), sum(x["narrative_found"] for x in llm)
        out.update({
            "llm_calls": sum(x["calls"] for x in llm), "llm_cache_hits": sum(x["cache_hits"] for x in llm),
            "llm_input_tokens": sum(x["input_tokens"] for x in llm), "llm_output_tokens": sum(x["output_tokens"] for x in llm),
            "llm_reasks": sum(x["reasks"] for x in llm), "llm_failures": sum(x["failures"] for x in llm),
            "grounding_rate": round(kept / (kept + dropped), 4) if kept + dropped else 1.0,
            "llm_figure_recall": round(found / narrative, 4) if narrative else 1.0,
        })
    return out


def breakdowns(results: list[CaseResult]) -> dict:
    per_check: dict[str, dict] = {}
    for r in results:
        for kind in ("tp", "fp", "fn"):
            for m in getattr(r, kind):
                per_check.setdefault(m["check"], {"tp": 0, "fp": 0, "fn": 0})[kind] += 1
    by = {"check": {c: _prf(**v) for c, v in sorted(per_check.items())}}
    for attr in ("layout", "set"):
        groups: dict[str, list[CaseResult]] = {}
        for r in results:
            groups.setdefault(getattr(r, attr), []).append(r)
        by[attr] = {k: metrics(v) for k, v in sorted(groups.items())}
    return by


@dataclass
class EvalRun:
    id: str
    created_at: float
    sets: list[str]
    extractor: str
    settings: dict  # prompt, model, mode, skipped checks, code version
    metrics: dict
    breakdowns: dict
    cases: list[CaseResult]

    def to_json(self) -> dict:
        return {"id": self.id, "created_at": self.created_at, "sets": self.sets, "extractor": self.extractor,
                "settings": self.settings, "metrics": self.metrics, "breakdowns": self.breakdowns,
                "cases": [asdict(c) for c in self.cases]}

    @classmethod
    def from_json(cls, data: dict) -> "EvalRun":
        cases = [CaseResult(**c) for c in data.get("cases", [])]
        return cls(data["id"], data.get("created_at", 0.0), data.get("sets", []), data.get("extractor", "?"),
                   data.get("settings", {}), data["metrics"], data.get("breakdowns", {}), cases)


def evaluate(set_paths: Iterable[Path], options: EvalOptions, store: Any = None,
             on_case: Optional[Callable[[CaseResult], None]] = None) -> EvalRun:
    from .pipeline import code_version
    from .store import short_hash

    folders, cases, skipped = [], [], []
    for folder in map(Path, set_paths):
        try:
            cases += load_set(folder)
            folders.append(folder)
        except SetUnavailable as exc:
            skipped.append(str(exc))
    results = run_cases(cases, options, store, on_case)
    settings: dict = {"code_version": code_version(), "skip_checks": sorted(options.skip_checks), "skipped_sets": skipped}
    if options.llm is not None:
        from .llm import load_prompt

        cfg = options.llm
        settings.update({"model": cfg.model, "mode": cfg.mode, "base_url": cfg.base_url, "prompt": cfg.prompt_version,
                         "prompt_sha256": load_prompt(cfg.prompt_version).sha256})
    created = time.time()
    run_id = short_hash(created, *[str(f) for f in folders], json.dumps(settings, sort_keys=True))[:12]
    return EvalRun(run_id, created, [str(f) for f in folders], "llm" if options.llm is not None else "rules", settings,
                   metrics(results), breakdowns(results), results)


# ---- comparing runs -------------------------------------------------------------------------


def common_cases(baseline: EvalRun, current: EvalRun) -> tuple[EvalRun, EvalRun]:
    """Both runs restricted to the cases they share, metrics recomputed, so that a baseline over
    more (or other) sets compares like with like."""
    keys = {(c.set, c.case) for c in baseline.cases} & {(c.set, c.case) for c in current.cases}

    def restrict(run: EvalRun) -> EvalRun:
        if len(keys) == len(run.cases):
            return run
        cases = [c for c in run.cases if (c.set, c.case) in keys]
        return EvalRun(run.id, run.created_at, run.sets, run.extractor, run.settings, metrics(cases), breakdowns(cases), cases)

    return restrict(baseline), restrict(current)


def compare(baseline: EvalRun, current: EvalRun) -> tuple[list[tuple[str, Any, Any]], list[tuple[str, str, str]]]:
    """(metrics that changed: name, before, after; cases that changed: case, what got worse,
    what got better)."""
    changed_metrics = [(k, baseline.metrics.get(k), v) for k, v in current.metrics.items() if baseline.metrics.get(k) != v]
    before = {f"{c.set}/{c.case}": c.outcome() for c in baseline.cases}
    changed_cases = []
    for c in current.cases:
        key = f"{c.set}/{c.case}"
        old, new = before.get(key), c.outcome()
        if old is None or old == new:
            continue
        worse = [f"漏报 {x}" for x in new["fn"] if x not in old["fn"]] + [f"误报 {x}" for x in new["fp"] if x not in old["fp"]]
        worse += [f"漏取 {x}" for x in new["figures_missed"] if x not in old["figures_missed"]]
        better = [f"检出 {x}" for x in old["fn"] if x not in new["fn"]] + [f"消除误报 {x}" for x in old["fp"] if x not in new["fp"]]
        better += [f"取到 {x}" for x in old["figures_missed"] if x not in new["figures_missed"]]
        if new["error"] != old["error"]:
            (worse if new["error"] else better).append(f"读取：{new['error'] or '恢复'}")
        if worse or better:
            changed_cases.append((key, "；".join(worse), "；".join(better)))
    return changed_metrics, changed_cases


def parse_thresholds(items: Iterable[str]) -> list[tuple[str, float]]:
    out = []
    for item in items:
        name, _sep, value = item.partition("=")
        try:  # no "=" leaves the value empty, which float() refuses too
            out.append((name.strip(), float(value)))
        except ValueError:
            raise JixiaoError(f"--fail-under {item!r}: 须写成 指标=数值，如 finding_recall=0.95") from None
    return out


def unmet(run: EvalRun, thresholds: list[tuple[str, float]]) -> list[str]:
    """Thresholds not met. A metric is a flat name over every set ("finding_recall") or one set's
    ("real:finding_recall", "phrasing/heldout:finding_precision"); a set that was skipped (its
    documents are not on this machine) has no metrics and is not gated."""
    lines = []
    for name, floor in thresholds:
        set_name, _sep, metric = name.rpartition(":")
        if set_name:
            per_set = run.breakdowns.get("set", {})
            if set_name not in per_set:
                if any(s.startswith(set_name.split("/")[0] + ":") or set_name.split("/")[0] in s for s in run.settings.get("skipped_sets", [])):
                    continue
                raise JixiaoError(f"--fail-under: 没有评测集 {set_name}；可用：{', '.join(per_set)}")
            metrics_ = per_set[set_name]
        else:
            metrics_, metric = run.metrics, name
        if metric not in metrics_:
            raise JixiaoError(f"--fail-under: 没有指标 {metric}；可用：{', '.join(k for k, v in metrics_.items() if isinstance(v, float))}")
        if metrics_[metric] < floor:
            lines.append(f"{name} = {metrics_[metric]} < {floor}")
    return lines
