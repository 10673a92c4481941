#!/usr/bin/env python3
"""Generate the synthetic eval sets: realistic reports with gold labels.

    python eval_sets/generate.py --seed 20261123 --count 120 --out eval_sets/synthetic
    python eval_sets/generate.py --mix heldout --seed 20270611 --count 120 --out eval_sets/synthetic-test
    python eval_sets/generate.py --mix fiscal --seed 20261201 --count 60 --out eval_sets/synthetic-fiscal

The same seed and mix give byte-identical files (PDF/docx/xlsx timestamps are pinned). Each
document gets zero to three injected contradictions chosen so that every check in the
catalogue is used about equally often; about a quarter of documents stay clean.

Three mixes: `tuning` (the default; the committed eval_sets/synthetic: self-evaluation reports
and forms in stock wording, six layouts evenly), `heldout` (eval_sets/synthetic-test:
部门决算 and 部门预算 documents with their standard tables, 绩效目标表, and the self-evaluation
types, every phrasing family in several variants of the generator's own wording, more PDF,
plus html; planted errors for the standard-table and wording checks as well; distractors) and
`fiscal` (eval_sets/synthetic-fiscal: the held-out mix's 决算/预算 documents only, the tuning
split for the fiscal rules).
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path
from typing import Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synth.gold import attributed, dump_yaml, gold_document  # noqa: E402
from synth.inject import CHECKS, INJECTORS  # noqa: E402
from synth.model import Doc  # noqa: E402
from synth.render import EXTENSIONS, LAYOUTS, extract_text, render_text, write_docx, write_pdf, write_xlsx  # noqa: E402
from synth.builder import make_meta  # noqa: E402
from synth.reports import BUILDERS, T1, T2, T3  # noqa: E402
from synth import heldout  # noqa: E402

CLEAN_SHARE = 0.25
INJECTION_COUNTS = ([1, 2, 3], [0.45, 0.35, 0.20])
OUR_FILES = ("syn", "index.yaml")


def plan(seed: int, count: int) -> list[tuple[str, bool]]:
    """(layout, clean?) per document: layouts spread evenly, a quarter of documents clean."""
    rng = random.Random(f"{seed}:plan")
    layouts = [LAYOUTS[i % len(LAYOUTS)] for i in range(count)]
    rng.shuffle(layouts)
    clean = [i < round(count * CLEAN_SHARE) for i in range(count)]
    rng.shuffle(clean)
    return list(zip(layouts, clean))


def report_type_for(rng, layout: str) -> str:
    if layout == "xlsx":  # a workbook carries the tables only, never a narrative report
        return rng.choice([T2, T3])
    return rng.choices([T1, T2, T3], [0.45, 0.30, 0.25])[0]


def build(doc_id: str, layout: str, rng) -> Doc:
    rtype = report_type_for(rng, layout)
    doc = Doc(doc_id, rtype, layout)
    doc.meta.update(make_meta(rng))
    if layout == "gbk-txt":
        doc.meta["table_layout"] = rng.choice(["tab-cells", "tab-rows"])
    BUILDERS[rtype](doc, rng)
    doc.prune()
    doc.layout_order()
    doc.finalize()
    return doc


# Injections that change a figure everywhere or pin a derived total run first; those that
# override one printed place run after them, so a later change of the underlying figure can
# never silently alter what an earlier override meant (e.g. a narrative restating a total).
FIGURE_LEVEL = {"sum.total_basic_project", "sum.adjusted_budget", "rate.execution_score", "score.sum",
                "score.weights_total", "score.over_max", "score.target_missed_full", "score.grade",
                "complete.percent_range"}


def apply_injections(doc: Doc, checks: list[str], rng) -> Optional[list]:
    """Apply `checks` in phase order; None when one of them does not apply to this document."""
    injections = []
    for check in sorted(checks, key=lambda c: (c not in FIGURE_LEVEL, checks.index(c))):
        before = printed_texts(doc)
        inj = INJECTORS[check](doc, rng)
        if inj is None:
            return None
        doc.meta.setdefault("touched_rows", set()).update(inj.rows)
        doc.finalize()
        after = printed_texts(doc)
        inj.changed = {sid for sid in after if after[sid] != before[sid]}
        injections.append(inj)
    return injections


def make_document(seed: int, index: int, layout: str, clean: bool, counts: Counter):
    """Build one document and its injections. Checks are taken least-used first; one that
    does not apply, or does not fire once combined with the others, is skipped."""
    doc_id = f"syn{index + 1:03d}"
    excluded: set = set()
    for attempt in range(12):
        base_seed = f"{seed}:{index}:{attempt}"
        rng = random.Random(base_seed)
        want = 0 if clean else rng.choices(*INJECTION_COUNTS)[0]
        order = sorted(CHECKS, key=lambda c: (counts[c], rng.random()))
        chosen: list[str] = []
        doc, injections = build(doc_id, layout, random.Random(base_seed + ":build")), []
        for check in order:
            if len(chosen) == want:
                break
            if check in excluded:
                continue
            trial = build(doc_id, layout, random.Random(base_seed + ":build"))
            applied = apply_injections(trial, chosen + [check], random.Random(f"{base_seed}:{'+'.join(chosen + [check])}"))
            if applied is not None:
                chosen.append(check)
                doc, injections = trial, applied
        results, negatives = doc.evaluate()
        missing = [i.check for i in injections
                   if not any(attributed(r, [i]) for r in results if not r.undetermined)]
        if clean and results:
            raise AssertionError(f"{doc_id}: clean document fails its own relations: {results}")
        if missing:
            excluded.update(missing)
            continue
        if want and not injections:
            continue
        return doc, injections, results, negatives, random.Random(base_seed + ":render")
    raise RuntimeError(f"{doc_id}: could not place injections")


def printed_texts(doc: Doc) -> dict:
    return {sid: (doc.text_of(sid), doc.printed(sid).unit) for sid in doc.slots}


def write_document(doc: Doc, out: Path, rng) -> str:
    ext = EXTENSIONS[doc.layout]
    name = f"{doc.id}.{ext}"
    path = out / name
    if doc.layout in ("tab-cells", "tab-rows"):
        path.write_bytes(render_text(doc, doc.layout, rng).encode("utf-8"))
    elif doc.layout == "gbk-txt":
        path.write_bytes(render_text(doc, doc.meta["table_layout"], rng).encode("gbk"))
    elif doc.layout == "pdf":
        write_pdf(doc, str(path))
    elif doc.layout == "docx":
        write_docx(doc, str(path))
    elif doc.layout == "xlsx":
        write_xlsx(doc, str(path))
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


def generate(seed: int, count: int, out: Path, verify: bool = True, quiet: bool = False, mix: str = "tuning",
             limit: Optional[int] = None) -> dict:
    """Write the set. `limit` stops after that many documents (and writes no index): the first
    documents of a set depend only on the seed and count, so a test can compare them with
    the committed files without generating the whole set."""
    if mix == "heldout":
        return heldout.generate(seed, count, out, verify=verify, quiet=quiet)
    if mix == "fiscal":  # the held-out mix's 决算/预算 documents only: a tuning split for the fiscal rules
        return heldout.generate(seed, count, out, verify=verify, quiet=quiet, mix=heldout.FISCAL_MIX, mix_name="fiscal")
    out.mkdir(parents=True, exist_ok=True)
    clear_previous(out)
    counts: Counter = Counter()
    cases = []
    for index, (layout, clean) in enumerate(plan(seed, count)):
        if limit is not None and index >= limit:
            return {"cases": cases}
        doc, injections, results, negatives, rng = make_document(seed, index, layout, clean, counts)
        counts.update(i.check for i in injections)
        name = write_document(doc, out, rng)
        gold = gold_document(doc, name, results, negatives, injections)
        (out / f"{doc.id}.gold.yaml").write_text(dump_yaml(gold), encoding="utf-8")
        if verify:
            check_quotes(gold, out / name)
        cases.append({"id": doc.id, "document": name, "layout": layout, "report_type": doc.report_type,
                      "injected": [i.check for i in injections],
                      "findings": sorted({f["check"] for f in gold["findings"]})})
    index = {
        "seed": seed,
        "count": count,
        "generator": "eval_sets/generate.py",
        "per_check": {c: counts[c] for c in CHECKS},
        "per_layout": dict(sorted(Counter(c["layout"] for c in cases).items())),
        "per_report_type": dict(sorted(Counter(c["report_type"] for c in cases).items())),
        "clean": sum(1 for c in cases if not c["injected"]),
        "cases": cases,
    }
    (out / "index.yaml").write_text(dump_yaml(index), encoding="utf-8")
    if not quiet:
        print_summary(index, out)
    return index


def print_summary(index: dict, out: Path) -> None:
    size = sum(p.stat().st_size for p in out.iterdir() if p.is_file())
    files = sum(1 for p in out.iterdir() if p.is_file())
    print(f"wrote {files} files, {size / 1024:.0f} KiB, to {out}")
    print(f"clean documents: {index['clean']} of {index['count']}")
    print("per layout:      " + ", ".join(f"{k} {v}" for k, v in index["per_layout"].items()))
    print("per report type: " + ", ".join(f"{k} {v}" for k, v in index["per_report_type"].items()))
    print("injections per check:")
    for c, n in index["per_check"].items():
        print(f"  {c:28s} {n}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=20261123)
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "synthetic")
    ap.add_argument("--no-verify", action="store_true", help="skip re-reading each file to check the gold quotes")
    ap.add_argument("--mix", choices=("tuning", "heldout", "fiscal"), default="tuning",
                    help="tuning: the committed tuning set's mix; heldout: the held-out split's (决算/预算, varied wording); "
                         "fiscal: the held-out mix's 决算/预算 documents only (the fiscal tuning split)")
    args = ap.parse_args(argv)
    generate(args.seed, args.count, args.out, verify=not args.no_verify, mix=args.mix)
    return 0


if __name__ == "__main__":
    sys.exit(main())
