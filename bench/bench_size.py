#!/usr/bin/env python3
"""Seconds per document as one text report grows: 1/2/4/8/16 MB (a script, not a test).

    python bench/bench_size.py [--sizes 1,2,4,8,16] [--timeout 120]

Each document is the seed reports of eval_sets/seeds written one after the other until it
reaches the size (UTF-8 bytes), each copy ending with its own comment line, so the document
has many tables, sections and prose amounts, as a bundle of reports exported into one file has.
One child process per size reads, extracts and checks it (what `jixiao audit FILE --no-store`
does, without start-up, with the same garbage-collection setting), so one slow size cannot stall the rest: a size over --timeout is
reported as such and larger sizes are skipped. Seconds are the child's CPU time (the machines
are shared; wall time is printed beside it). The fitted exponent is the slope of
log(seconds) against log(size) over the sizes measured: 1.0 is linear, 2.0 quadratic.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "eval_sets" / "seeds"
TARGET_SECONDS_16MB = 30.0


def build_document(size_mb: float, path: Path) -> int:
    """Seeds concatenated until `size_mb` MB, each copy ending with "<!-- copy i -->". Returns bytes written."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    target = int(size_mb * 1_000_000)
    parts, size, i = [], 0, 0
    while size < target:
        body = seeds[i % len(seeds)] + f"\n<!-- copy {i} -->\n"
        parts.append(body)
        size += len(body.encode("utf-8"))
        i += 1
    path.write_text("".join(parts), encoding="utf-8")
    return path.stat().st_size


CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from extractor.checks import run_checks
from extractor.extract import extract
from extractor.ingest import read_document
try:
    from cli import batch_gc  # the garbage-collection setting jixiao audit runs with
except ImportError:  # an older tree
    from contextlib import nullcontext as batch_gc
with batch_gc():
    t0 = time.process_time()
    doc = read_document({path!r})
    t1 = time.process_time()
    ext = extract(doc)
    t2 = time.process_time()
    findings, problems = run_checks(doc, ext)
    t3 = time.process_time()
print(json.dumps({{"read": t1 - t0, "extract": t2 - t1, "checks": t3 - t2, "findings": len(findings), "chars": len(doc.text)}}))
"""


def measure(path: Path, timeout: float) -> dict | None:
    code = CHILD.format(root=str(ROOT), path=str(path))
    start = time.perf_counter()
    try:
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    return result


def fitted_exponent(points: list[tuple[float, float]]) -> float | None:
    """Least-squares slope of log(seconds) on log(size)."""
    if len(points) < 2:
        return None
    xs = [math.log(s) for s, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den if den else None


def run(sizes: list[float], timeout: float) -> dict:
    """{"rows": [{"mb", "seconds", ...}], "exponent": float | None}; also used by bench_table."""
    rows, points = [], []
    with tempfile.TemporaryDirectory(prefix="jixiao-size-") as tmp:
        for mb in sizes:
            path = Path(tmp) / f"doc_{mb:g}mb.txt"
            size = build_document(mb, path)
            r = measure(path, timeout)
            if r is None:
                rows.append({"mb": mb, "bytes": size, "seconds": None})
                break  # larger sizes would only take longer
            seconds = r["read"] + r["extract"] + r["checks"]
            rows.append({"mb": mb, "bytes": size, "seconds": seconds, **r})
            points.append((size, seconds))
            path.unlink()
    return {"rows": rows, "exponent": fitted_exponent(points)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="1,2,4,8,16", help="sizes in MB, comma-separated (default 1,2,4,8,16)")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds allowed per size (default 120)")
    args = ap.parse_args(argv)
    sizes = [float(s) for s in re.split(r"[,\s]+", args.sizes.strip()) if s]
    result = run(sizes, args.timeout)
    print(f"{'MB':>5}{'seconds':>10}{'read':>8}{'extract':>9}{'checks':>8}{'findings':>10}{'wall s':>9}")
    for r in result["rows"]:
        if r["seconds"] is None:
            print(f"{r['mb']:>5g}{'> ' + format(args.timeout, 'g') + ' s':>10}  (timed out; larger sizes skipped)")
            continue
        print(f"{r['mb']:>5g}{r['seconds']:>10.2f}{r['read']:>8.2f}{r['extract']:>9.2f}{r['checks']:>8.2f}{r['findings']:>10}{r['wall']:>9.2f}")
    exp = result["exponent"]
    print(f"fitted exponent (seconds ~ size^k): k = {exp:.2f}" if exp is not None else "fitted exponent: too few sizes")
    big = next((r for r in result["rows"] if r["mb"] == 16 and r["seconds"] is not None), None)
    if big is not None:
        print(f"target: 16 MB in < {TARGET_SECONDS_16MB:.0f} s -> {'met' if big['seconds'] < TARGET_SECONDS_16MB else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
