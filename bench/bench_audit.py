#!/usr/bin/env python3
"""Throughput benchmark for `jixiao audit` (a script, not a test).

Builds a corpus of N distinct text reports, then runs

    jixiao audit <corpus> --db <fresh db> --min-severity error

as ONE subprocess, measures wall time and the child's peak RSS, and runs the same command a
second time on the same database (the idempotent rerun: every document is reused).

Two corpora:
- `generated` (the default): N different made-up reports from the project's own generator
  (eval_sets/synth, the held-out mix's builders), the report types 自评报告, 自评表, 项目自评,
  部门决算 and 部门预算 in turn, each in the two plain-text table layouts. Names, figures and
  wording vary: of the 97,427 non-empty lines of the 400-report corpus 23,079 are distinct,
  and most repeats are single cells such as 0.00 or 合计, as in real documents (400 seed
  copies: 54,300 lines, 725 distinct). Built once per (seed, count, generator source) and
  kept in a cache folder.
- `seeds` (`--seeds FOLDER`, or `--corpus seeds` for eval_sets/seeds): the files of FOLDER
  copied round-robin, each copy with its own trailing line ("<!-- copy 17 -->") so that its
  sha256 differs and the store sees a new document. Every copy repeats its seed's text, so
  caches keyed on text hit across copies: this corpus overstates speed-ups (kept for
  comparison with the figures measured on it before).

    python bench/bench_audit.py               # 400 generated reports
    python bench/bench_audit.py --count 2000 --keep
    python bench/bench_audit.py --corpus seeds
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = ROOT / "eval_sets" / "seeds"
GENERATOR = ROOT / "eval_sets"
GENERATED_SEED = 777
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "jixiao-bench"
TARGET_RATE = 50.0  # reports per second, first (cold) run
SUMMARY_RE = re.compile(r"共 (\d+) 份：读取 (\d+) 份（其中 (\d+) 份沿用已存结果），无法读取 (\d+) 份")
COUNTS_RE = re.compile(r"错误 (\d+) 条，警示 (\d+) 条，提示 (\d+) 条")


def jixiao_command() -> list[str]:
    """The jixiao entry point of the running interpreter's environment, else the one on PATH,
    else the CLI module run by this interpreter."""
    beside = Path(sys.executable).with_name("jixiao")
    if beside.exists():
        return [str(beside)]
    found = shutil.which("jixiao")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; sys.path.insert(0, %r); from cli import main; main()" % str(ROOT)]


def build_corpus(seeds: list[Path], count: int, folder: Path) -> int:
    """Copy the seeds round-robin; each copy ends with its own comment line. Returns bytes written."""
    folder.mkdir(parents=True, exist_ok=True)
    data = [s.read_bytes() for s in seeds]
    written = 0
    for i in range(count):
        k = i % len(seeds)
        body = data[k] + f"\n<!-- copy {i} -->\n".encode("ascii")  # seeds are UTF-8: ASCII appends safely
        (folder / f"{i:05d}_{seeds[k].name}").write_bytes(body)
        written += len(body)
    return written


def generated_corpus(count: int, seed: int = GENERATED_SEED) -> Path:
    """A folder of `count` distinct made-up text reports (see the module docstring), built once
    and cached under a key of the seed, the count and the generator's source, so an edit to
    the generator builds a new corpus."""
    sources = sorted(GENERATOR.glob("synth/*.py"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources)).hexdigest()[:12]
    folder = CACHE / f"generated-{seed}-{count}-{digest}"
    if folder.is_dir() and sum(1 for _ in folder.iterdir()) == count:
        return folder
    sys.path.insert(0, str(GENERATOR))
    from collections import Counter
    from synth import heldout
    from synth.fiscal import T5, T6
    from synth.reports import T1, T2, T3

    types, layouts = (T1, T2, T3, T5, T6), ("tab-cells", "tab-rows")
    partial = folder.with_name(folder.name + f".partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    used: Counter = Counter()  # the generator spreads its planted errors over the checks by this
    for i in range(count):
        clean = i % 4 == 0  # a quarter without planted errors, as in the eval sets
        doc, planted, _results, _negatives, rng = heldout.make_document(
            seed, i, types[i % len(types)], layouts[(i // len(types)) % len(layouts)], clean, used)
        used.update(p.check for p in planted)
        doc.id = f"b{i:05d}"
        heldout.write_document(doc, partial, rng)
    shutil.rmtree(folder, ignore_errors=True)
    partial.rename(folder)  # a run killed half-way leaves no folder that looks complete
    return folder


def run_once(cmd: list[str], log: Path) -> dict:
    """Run one jixiao process; wall time and that child's own peak RSS (os.wait4)."""
    env = dict(os.environ, COLUMNS="160", NO_COLOR="1")
    with open(log, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)  # keep Popen from waiting again
    text = log.read_text(encoding="utf-8", errors="replace")
    flat = " ".join(text.split())
    summary = SUMMARY_RE.search(flat)
    counts = COUNTS_RE.search(flat)
    # ru_maxrss is in KiB on Linux, in bytes on macOS
    rss_mb = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return {
        "rc": proc.returncode,
        "seconds": seconds,
        "rss_mb": rss_mb,
        "read": int(summary.group(2)) if summary else None,
        "reused": int(summary.group(3)) if summary else None,
        "failed": int(summary.group(4)) if summary else None,
        "counts": tuple(int(g) for g in counts.groups()) if counts else None,
        "tail": text.strip().splitlines()[-6:],
    }


def report(label: str, n: int, r: dict) -> None:
    rate = n / r["seconds"] if r["seconds"] > 0 else float("inf")
    print(f"{label}")
    print(f"  reports        {n}")
    print(f"  seconds        {r['seconds']:.2f}")
    print(f"  reports/s      {rate:.1f}")
    print(f"  peak RSS MB    {r['rss_mb']:.1f}")
    if r["read"] is not None:
        print(f"  read / reused / failed   {r['read']} / {r['reused']} / {r['failed']}")
    if r["counts"] is not None:
        print(f"  findings (error/warning/info)   {r['counts'][0]} / {r['counts'][1]} / {r['counts'][2]}")
    r["rate"] = rate


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=400, help="number of reports in the corpus (default 400)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus folder, database and logs")
    ap.add_argument("--corpus", choices=("generated", "seeds"), default="generated",
                    help="generated: distinct made-up reports (default); seeds: copies of the seed reports")
    ap.add_argument("--seeds", type=Path, help="copy the .txt reports of this folder round-robin (implies --corpus seeds; "
                    "default eval_sets/seeds)")
    args = ap.parse_args(argv)
    if args.count < 1:
        ap.error("--count must be at least 1")
    copies = args.corpus == "seeds" or args.seeds is not None
    if copies:
        folder = args.seeds or DEFAULT_SEEDS
        seeds = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".txt" and not p.name.startswith("."))  # not the .gold.yaml
        if not seeds:
            ap.error(f"no seed reports in {folder}")

    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    corpus, db = work / "corpus", work / "audit.db"
    try:
        if copies:
            size = build_corpus(seeds, args.count, corpus)
            origin = f"copies of {len(seeds)} seeds"
        else:
            corpus = generated_corpus(args.count)
            size = sum(p.stat().st_size for p in corpus.iterdir())
            origin = "distinct generated reports"
        cmd = jixiao_command() + ["audit", str(corpus), "--db", str(db), "--min-severity", "error"]
        print(f"corpus: {args.count} reports, {origin}, {size / 1e6:.1f} MB, in {corpus}")
        print(f"command: {' '.join(cmd)}")
        print()
        first = run_once(cmd, work / "run1.log")
        second = run_once(cmd, work / "run2.log")
        report("run 1 (fresh database)", args.count, first)
        report("run 2 (same database: idempotent rerun)", args.count, second)
        print()
        verdict = "met" if first["rate"] >= TARGET_RATE else "NOT met"
        print(f"target: >= {TARGET_RATE:.0f} reports/s on run 1 -> {verdict} ({first['rate']:.1f} reports/s)")
        problems = []
        for name, r in (("run 1", first), ("run 2", second)):
            if r["rc"] != 0:
                problems.append(f"{name}: jixiao exited with {r['rc']}; last lines:\n    " + "\n    ".join(r["tail"]))
            elif r["read"] != args.count:
                problems.append(f"{name}: summary says {r['read']} reports read, expected {args.count}")
        if second["reused"] is not None and second["reused"] != args.count:
            problems.append(f"run 2 reused {second['reused']} of {args.count} reports; an idempotent rerun reuses all")
        if first["counts"] and second["counts"] and first["counts"] != second["counts"]:
            problems.append(f"run 2 findings {second['counts']} differ from run 1 {first['counts']}")
        for p in problems:
            print(f"WARNING: {p}")
        if args.keep:
            print(f"kept: {work} (audit.db, run1.log, run2.log; the corpus is {corpus})")
        return 1 if any(r["rc"] != 0 for r in (first, second)) else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
