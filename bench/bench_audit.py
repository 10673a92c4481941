#!/usr/bin/env python3
"""Throughput benchmark for `jixiao audit` (a script, not a test).

Builds a corpus of N text reports by copying the seed reports in eval_sets/seeds round-robin
into a temporary folder. Every copy gets a unique trailing line ("<!-- copy 17 -->"), so its
bytes — and therefore its sha256 — differ from every other copy: the store sees N new
documents. Then it runs

    jixiao audit <corpus> --db <fresh db> --min-severity error

as ONE subprocess, measures wall time and the child's peak RSS, and runs the same command a
second time on the same database (the idempotent rerun: every document is reused).

    python bench/bench_audit.py               # 400 reports
    python bench/bench_audit.py --count 2000 --keep
"""
from __future__ import annotations

import argparse
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
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="folder of seed reports (default eval_sets/seeds)")
    args = ap.parse_args(argv)
    if args.count < 1:
        ap.error("--count must be at least 1")
    seeds = sorted(p for p in args.seeds.iterdir() if p.is_file() and p.suffix == ".txt" and not p.name.startswith("."))  # not the .gold.yaml
    if not seeds:
        ap.error(f"no seed reports in {args.seeds}")

    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    corpus, db = work / "corpus", work / "audit.db"
    try:
        size = build_corpus(seeds, args.count, corpus)
        cmd = jixiao_command() + ["audit", str(corpus), "--db", str(db), "--min-severity", "error"]
        print(f"corpus: {args.count} reports from {len(seeds)} seeds, {size / 1e6:.1f} MB, in {corpus}")
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
            print(f"kept: {work} (corpus/, audit.db, run1.log, run2.log)")
        return 1 if any(r["rc"] != 0 for r in (first, second)) else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
