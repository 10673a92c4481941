#!/usr/bin/env python3
"""Hostile inputs against `jixiao audit` (a script, not a test): each case is a folder with
one hostile file beside a good seed report, audited by one `jixiao audit` process under a
memory cap and a time limit. Prints, per case: exit code, seconds, the child's peak RSS,
the lines that name the hostile file, whether the good report was still audited, and
whether a traceback was printed.

    python bench/bench_hostile.py                  # full-size inputs (the docx bomb is 340 MB unpacked)
    python bench/bench_hostile.py --cap-gb 4 --timeout 60 --only docx_bomb.docx

The cap (RLIMIT_AS) keeps a runaway reader from taking the machine down: a case that needs
more shows as MemoryError at the cap. The builders live in tests/hostile.py.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import hostile  # noqa: E402

SEED = ROOT / "eval_sets" / "seeds" / "003_29d121b4221180d5.txt"


def jixiao() -> list[str]:
    beside = Path(sys.executable).with_name("jixiao")
    return [str(beside)] if beside.exists() else [sys.executable, "-c", "from cli import main; main()"]


def run_case(name: str, build, cap_gb: float, timeout: float, work: Path) -> dict:
    folder = work / name.replace(".", "_")
    folder.mkdir()
    shutil.copy(SEED, folder / "good.txt")
    t0 = time.perf_counter()
    build(folder / name)
    built = time.perf_counter() - t0
    size = os.lstat(folder / name).st_size
    out_json = work / f"{folder.name}.json"
    cap = int(cap_gb * (1 << 30))

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    cmd = jixiao() + ["audit", str(folder), "--db", str(work / f"{folder.name}.db"), "--json", str(out_json)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=limit)
    timed_out = False
    try:
        output, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.kill()
        output, _ = proc.communicate()
    seconds = time.perf_counter() - start
    # this runs in a process of its own (see _isolated): its only child is this jixiao
    rss_mb = round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1)
    good = False
    if out_json.exists():
        try:
            reports = json.loads(out_json.read_text("utf-8"))["reports"]
            good = any(r["source"].endswith("good.txt") and "findings" in r for r in reports)
        except ValueError:
            good = False
    lines = [ln for ln in output.splitlines() if name in ln]
    return {
        "case": name, "bytes": size, "built_s": round(built, 1), "exit": "timeout" if timed_out else proc.returncode,
        "seconds": round(seconds, 1), "peak_rss_mb": rss_mb, "lines": lines[:3], "n_lines": len(lines),
        "good_report_audited": good, "traceback": "Traceback" in output or "MemoryError" in output,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cap-gb", type=float, default=6.0, help="address-space cap per jixiao process (GB)")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds before a case counts as hanging")
    parser.add_argument("--only", action="append", help="run only this case (file name), may repeat")
    args = parser.parse_args()
    cases = {k: v for k, v in hostile.HOSTILE.items() if not args.only or k in args.only}
    with tempfile.TemporaryDirectory(prefix="jixiao-hostile-") as tmp:
        rows = []
        for name, build in cases.items():
            # each case in its own child so RUSAGE_CHILDREN gives that case's peak alone
            row = _isolated(name, args, Path(tmp))
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    print()
    print("| case | exit | s | peak RSS MB | lines naming it | good report audited | traceback |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['case']} | {r['exit']} | {r['seconds']} | {r['peak_rss_mb']} | {r['n_lines']} | {r['good_report_audited']} | {r['traceback']} |")


def _isolated(name: str, args, tmp: Path) -> dict:
    """Run one case from a fresh Python process, so the peak RSS of its jixiao child is its own."""
    if os.environ.get("JIXIAO_BENCH_CHILD"):
        return run_case(name, hostile.HOSTILE[name], args.cap_gb, args.timeout, tmp)
    code = (
        "import sys, json; sys.argv = sys.argv[:1]; sys.path.insert(0, %r); import bench_hostile as b, hostile;"
        "from pathlib import Path;"
        "print(json.dumps(b.run_case(%r, hostile.HOSTILE[%r], %r, %r, Path(%r)), ensure_ascii=False))"
    ) % (str(Path(__file__).parent), name, name, args.cap_gb, args.timeout, str(tmp))
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env={**os.environ, "JIXIAO_BENCH_CHILD": "1"})
    try:
        return json.loads(out.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        return {"case": name, "exit": "bench error", "seconds": 0, "peak_rss_mb": 0, "n_lines": 0,
                "good_report_audited": False, "traceback": True, "lines": [out.stderr[-300:]]}


if __name__ == "__main__":
    main()
