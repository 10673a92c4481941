#!/usr/bin/env python3
"""Concurrent writers on one database (a script, not a test).

1. `--trials` times: a fresh database, then two `jixiao audit` processes started together on two
   folders of distinct reports; counts the runs that failed (exit code, or "locked" printed).
2. Once: the first folder audited, `jixiao serve` started on the database, a third audit
   started, and decisions POSTed to the server (one finding after another, confirm/dismiss
   alternately) until that audit ends; counts the POSTs that did not return 200.

    python bench/bench_writers.py                  # 40 reports per folder, 14 trials
    python bench/bench_writers.py --count 100 --trials 5
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "eval_sets" / "seeds").glob("*.txt"))
sys.path.insert(0, str(ROOT / "tests"))

from make_fixtures import seed_copies  # noqa: E402


def jixiao() -> list[str]:
    beside = Path(sys.executable).with_name("jixiao")
    return [str(beside)] if beside.exists() else [sys.executable, "-c", "from cli import main; main()"]


def audit(folder: Path, db: Path) -> subprocess.Popen:
    return subprocess.Popen(jixiao() + ["audit", str(folder), "--db", str(db), "--min-severity", "error"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def failed(proc: subprocess.Popen) -> tuple[bool, str]:
    out, _ = proc.communicate()
    bad = proc.returncode not in (0,) or "locked" in out or "Traceback" in out
    last = next((ln for ln in reversed(out.splitlines()) if ln.strip()), "")
    return bad, last


def two_audits(work: Path, a: Path, b: Path, trials: int) -> list[str]:
    failures = []
    for t in range(trials):
        db = work / f"two{t}.db"
        p1, p2 = audit(a, db), audit(b, db)
        for name, proc in (("A", p1), ("B", p2)):
            bad, last = failed(proc)
            if bad:
                failures.append(f"trial {t} audit {name}: {last[:160]}")
    return failures


def post(url: str, fingerprint: str, decision: str) -> int:
    body = json.dumps({"fingerprint": fingerprint, "decision": decision, "note": "bench"}).encode()
    origin = url.rstrip("/")
    req = urllib.request.Request(url + "api/decisions", data=body, method="POST",
                                 headers={"Content-Type": "application/json", "Origin": origin})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(req, timeout=60) as resp:
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def serve_and_audit(work: Path, a: Path, c: Path) -> dict:
    db = work / "serve.db"
    first = audit(a, db)
    first.communicate()
    fps = [r[0] for r in sqlite3.connect(db).execute("select distinct fingerprint from findings")]
    server = subprocess.Popen(jixiao() + ["serve", "--db", str(db), "--port", "0"], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", server.stdout.readline()).group(0)
        third = audit(c, db)
        statuses = []
        while third.poll() is None:
            fp = fps[len(statuses) % len(fps)]
            statuses.append(post(url, fp, "confirmed" if len(statuses) % 2 else "dismissed"))
        bad_audit, last = failed(third)
    finally:
        server.terminate()
        server.wait(timeout=10)
    stored = sqlite3.connect(db).execute("select count(*) from reviews").fetchone()[0]
    return {"posts": len(statuses), "non_200": sum(s != 200 for s in statuses), "stored": stored,
            "audit_failed": bad_audit, "audit_last_line": last[:160]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=40, help="reports per folder")
    parser.add_argument("--trials", type=int, default=14)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="jixiao-writers-"))
    try:
        a, b, c = (seed_copies(work / n, SEEDS, args.count, n) for n in ("a", "b", "c"))
        failures = two_audits(work, a, b, args.trials)
        print(f"two audits at once: {len(failures)} of {2 * args.trials} runs failed")
        for line in failures[:5]:
            print("  " + line)
        result = serve_and_audit(work, a, c)
        print(f"audit beside serve: {result['non_200']} of {result['posts']} decision POSTs not 200; "
              f"{result['stored']} stored; audit failed: {result['audit_failed']} ({result['audit_last_line']})")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
