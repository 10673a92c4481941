"""The held-out mix (eval_sets/synthetic-test): another seed, other report types, layouts and
wordings than the tuning set, so that rules tuned on eval_sets/synthetic can be measured on
documents they were not written against.

    python eval_sets/generate.py --mix heldout --seed 20270611 --count 120 --out eval_sets/synthetic-test

Mix per 120 documents: 42 部门决算 and 26 部门预算 (情况说明 + standard tables; mostly PDF, also
docx, html, tables-only xlsx and txt), 18 部门整体支出绩效自评报告, 14 专项资金绩效自评表,
10 部门整体绩效自评表 and 10 绩效目标表; about a quarter clean. Every document draws its
wording variants from its own phrasing stream; planted contradictions are taken least-used
first among the checks that apply to the document's type.
"""
from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Optional

from .builder import make_meta
from .fiscal import T5, T6, add_rounding_gap, build_fiscal
from .fiscal_inject import FISCAL_CHECKS, FISCAL_INJECTORS
from .fiscal_render import render_fiscal_text, write_fiscal_docx, write_fiscal_pdf, write_fiscal_xlsx, write_html
from .gold import attributed, dump_yaml, gold_document
from .inject import CHECKS, INJECTORS
from .model import Doc
from .phrasing import DISTRACTORS, FAMILIES, Phraser
from .render import EXTENSIONS, extract_text, render_text, write_docx, write_pdf, write_xlsx
from .reports import BUILDERS, T1, T2, T3
from .targets import T4, T4_CHECKS, build_target_table, fund_sources_t4

CLEAN_SHARE = 0.25
INJECTION_COUNTS = ([1, 2, 3], [0.45, 0.35, 0.20])
OUR_FILES = ("syn", "index.yaml")
EXT = dict(EXTENSIONS, html="html")

# (report type, layout, documents per 120)
MIX = [
    (T5, "pdf", 24), (T5, "docx", 6), (T5, "html", 5), (T5, "xlsx", 3), (T5, "tab-rows", 2), (T5, "gbk-txt", 2),
    (T6, "pdf", 14), (T6, "docx", 4), (T6, "html", 3), (T6, "xlsx", 2), (T6, "tab-cells", 2), (T6, "gbk-txt", 1),
    (T1, "pdf", 7), (T1, "docx", 4), (T1, "html", 3), (T1, "tab-cells", 2), (T1, "gbk-txt", 2),
    (T2, "pdf", 5), (T2, "xlsx", 3), (T2, "docx", 3), (T2, "tab-rows", 2), (T2, "html", 1),
    (T3, "pdf", 3), (T3, "xlsx", 3), (T3, "html", 2), (T3, "tab-cells", 2),
    (T4, "pdf", 4), (T4, "docx", 3), (T4, "xlsx", 3),
]
FISCAL = (T5, T6)
FISCAL_MIX = [(t, lay, n) for t, lay, n in MIX if t in FISCAL]
ALL_CHECKS = list(dict.fromkeys(CHECKS + FISCAL_CHECKS))
FIGURE_LEVEL = {"sum.total_basic_project", "sum.adjusted_budget", "rate.execution_score", "score.sum",
                "score.weights_total", "score.over_max", "score.target_missed_full", "score.grade",
                "complete.percent_range"}


def plan(seed: int, count: int, mix=None) -> list[tuple[str, str, bool]]:
    rng = random.Random(f"{seed}:plan:heldout")
    slots = [(t, lay) for t, lay, n in (mix or MIX) for _ in range(n)]
    rng.shuffle(slots)
    while len(slots) < count:
        more = slots[:]
        rng.shuffle(more)
        slots += more
    slots = slots[:count]
    clean = [i < round(count * CLEAN_SHARE) for i in range(count)]
    rng.shuffle(clean)
    return [(t, lay, c) for (t, lay), c in zip(slots, clean)]


def checks_for(rtype: str) -> list[str]:
    if rtype in FISCAL:
        return FISCAL_CHECKS
    if rtype == T4:
        return T4_CHECKS
    return CHECKS


def injector(rtype: str, check: str):
    if rtype in FISCAL:
        return FISCAL_INJECTORS[check]
    if rtype == T4 and check == "sum.fund_sources":
        return fund_sources_t4
    return INJECTORS[check]


def build(doc_id: str, rtype: str, layout: str, base: str) -> Doc:
    rng = random.Random(base + ":build")
    doc = Doc(doc_id, rtype, layout)
    doc.meta.update(make_meta(rng))
    doc.meta["ph"] = Phraser(base + ":phrasing", varied=True)
    if layout == "gbk-txt":
        doc.meta["table_layout"] = rng.choice(["tab-cells", "tab-rows"])
    if rtype in FISCAL:
        build_fiscal(doc, rng, rtype)
    elif rtype == T4:
        build_target_table(doc, rng)
    else:
        BUILDERS[rtype](doc, rng)
    doc.prune()
    doc.layout_order()
    doc.finalize()
    if rtype in FISCAL:
        add_rounding_gap(doc, random.Random(base + ":gap"))
    return doc


def printed_texts(doc: Doc) -> dict:
    return {sid: (doc.text_of(sid), doc.printed(sid).unit) for sid in doc.slots}


def apply_injections(doc: Doc, checks: list[str], rng) -> Optional[list]:
    injections = []
    for check in sorted(checks, key=lambda c: (c not in FIGURE_LEVEL or doc.report_type in FISCAL, checks.index(c))):
        before = printed_texts(doc)
        inj = injector(doc.report_type, check)(doc, rng)
        if inj is None:
            return None
        doc.meta.setdefault("touched_rows", set()).update(inj.rows)
        doc.finalize()
        after = printed_texts(doc)
        inj.changed = {sid for sid in after if after[sid] != before[sid]}
        injections.append(inj)
    return injections


def make_document(seed: int, index: int, rtype: str, layout: str, clean: bool, counts: Counter):
    doc_id = f"syn{index + 1:03d}"
    excluded: set = set()
    for attempt in range(12):
        base = f"{seed}:heldout:{index}:{attempt}"
        rng = random.Random(base)
        want = 0 if clean else rng.choices(*INJECTION_COUNTS)[0]
        order = sorted(checks_for(rtype), key=lambda c: (counts[c], rng.random()))
        chosen: list[str] = []
        doc, injections = build(doc_id, rtype, layout, base), []
        for check in order:
            if len(chosen) == want:
                break
            if check in excluded:
                continue
            trial = build(doc_id, rtype, layout, base)
            applied = apply_injections(trial, chosen + [check], random.Random(f"{base}:{'+'.join(chosen + [check])}"))
            if applied is not None:
                chosen.append(check)
                doc, injections = trial, applied
        results, negatives = doc.evaluate()
        missing = [i.check for i in injections if not any(attributed(r, [i]) for r in results if not r.undetermined)]
        if clean and results:
            raise AssertionError(f"{doc_id}: clean document fails its own relations: {results}")
        if missing:
            excluded.update(missing)
            continue
        if want and not injections:
            continue
        return doc, injections, results, negatives, random.Random(base + ":render")
    raise RuntimeError(f"{doc_id}: could not place injections")


def write_document(doc: Doc, out: Path, rng) -> str:
    name = f"{doc.id}.{EXT[doc.layout]}"
    path = out / name
    fiscal = doc.report_type in FISCAL
    if doc.layout in ("tab-cells", "tab-rows", "gbk-txt"):
        table_layout = doc.meta["table_layout"] if doc.layout == "gbk-txt" else doc.layout
        text = render_fiscal_text(doc, table_layout, rng) if fiscal else render_text(doc, table_layout, rng)
        path.write_bytes(text.encode("gbk" if doc.layout == "gbk-txt" else "utf-8"))
    elif doc.layout == "pdf":
        write_fiscal_pdf(doc, str(path), rng) if fiscal else write_pdf(doc, str(path))
    elif doc.layout == "docx":
        write_fiscal_docx(doc, str(path)) if fiscal else write_docx(doc, str(path))
    elif doc.layout == "xlsx":
        write_fiscal_xlsx(doc, str(path)) if fiscal else write_xlsx(doc, str(path))
    elif doc.layout == "html":
        write_html(doc, str(path))
    return name


def check_quotes(gold: dict, path: Path) -> None:
    text = extract_text(str(path), gold["layout"])
    missing = [f["quote"] for f in gold["figures"] if f["quote"] not in text]
    if missing:
        raise AssertionError(f"{path.name}: quotes not found in extracted text: {missing[:5]}")


def clear_previous(out: Path) -> None:
    for p in out.iterdir():
        if p.is_file() and p.name.startswith(OUR_FILES):
            p.unlink()


def generate(seed: int, count: int, out: Path, verify: bool = True, quiet: bool = False, mix=None,
             mix_name: str = "heldout") -> dict:
    """Write the held-out set; `mix` replaces MIX (type, layout, weight), for tests."""
    out.mkdir(parents=True, exist_ok=True)
    clear_previous(out)
    counts: Counter = Counter()
    cases = []
    families: Counter = Counter()
    variants: Counter = Counter()
    distractors: Counter = Counter()
    negatives_by_kind: Counter = Counter()
    for index, (rtype, layout, clean) in enumerate(plan(seed, count, mix)):
        doc, injections, results, negatives, rng = make_document(seed, index, rtype, layout, clean, counts)
        counts.update(i.check for i in injections)
        name = write_document(doc, out, rng)
        gold = gold_document(doc, name, results, negatives, injections)
        (out / f"{doc.id}.gold.yaml").write_text(dump_yaml(gold), encoding="utf-8")
        if verify:
            check_quotes(gold, out / name)
        ph: Phraser = doc.meta["ph"]
        families.update(ph.families())
        variants.update(ph.variants())
        distractors.update(ph.distractors.keys())
        negatives_by_kind.update({h["kind"] for h in gold["hard_negatives"]})
        cases.append({"id": doc.id, "document": name, "layout": layout, "report_type": doc.report_type,
                      "injected": [i.check for i in injections],
                      "findings": sorted({f["check"] for f in gold["findings"]}),
                      "families": ph.families(), "distractors": sorted(ph.distractors)})
    index = {
        "seed": seed,
        "count": count,
        "mix": mix_name if mix is None or mix_name != "heldout" else "custom (see generate.py --mix)",
        "generator": f"eval_sets/generate.py --mix {mix_name}",
        "per_check": {c: counts[c] for c in ALL_CHECKS if counts[c]},
        "per_layout": dict(sorted(Counter(c["layout"] for c in cases).items())),
        "per_report_type": dict(sorted(Counter(c["report_type"] for c in cases).items())),
        "clean": sum(1 for c in cases if not c["injected"]),
        "documents_per_family": {f: families[f] for f in FAMILIES},
        "documents_per_distractor": {d: distractors[d] for d in DISTRACTORS if distractors[d]},
        "documents_per_hard_negative_kind": dict(sorted(negatives_by_kind.items())),
        "variants_used": dict(sorted(variants.items())),
        "cases": cases,
    }
    (out / "index.yaml").write_text(dump_yaml(index), encoding="utf-8")
    if not quiet:
        size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
        print(f"wrote {sum(1 for p in out.iterdir() if p.is_file())} files, {size / 1024:.0f} KiB, to {out}")
        print(f"clean documents: {index['clean']} of {count}")
        print("per layout:      " + ", ".join(f"{k} {v}" for k, v in index["per_layout"].items()))
        print("per report type: " + ", ".join(f"{k} {v}" for k, v in index["per_report_type"].items()))
        print("injections per check:")
        for c, n in index["per_check"].items():
            print(f"  {c:28s} {n}")
    return index
