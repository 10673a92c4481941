#!/usr/bin/env python3
"""Issue 14's bench table: one table of the figures that say whether jixiao is fast enough
(a script, not a test; it measures the tree it sits in).

    python bench/bench_table.py                  # everything (about 5 minutes)
    python bench/bench_table.py --quick          # N = 400 only, 1–4 MB, PDFs once
    python bench/bench_table.py --skip pdf,size  # leave parts out: startup, batch, size, pdf, llm

Rows:
- start-up: `jixiao --help` against a bare `python -c pass` (median of 15 of each);
- reports/s at N = 400 and 4000: one whole `jixiao audit <folder> --db <fresh db> --min-severity
  error` process over N distinct generated reports and over N copies of the seed reports, both
  built as bench/bench_audit.py builds them, pinned to one core with `taskset -c 0` where there
  is taskset; from wall time, and from the child's CPU time (user + system), which a busy
  shared machine disturbs less;
- seconds per document at 1/2/4/8/16 MB of text, and the fitted exponent (bench/bench_size.py);
- PDF: ms per page of jixiao's whole path against pypdf's layout extraction alone, on the real
  PDFs of ../shared/real (bench/bench_pdf.py);
- LLM: the rows of bench/bench_llm.py, when that script is there and offers `table_rows()`.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

from bench_audit import build_corpus, generated_corpus  # noqa: E402

PARTS = ("startup", "batch", "size", "pdf", "llm")
TARGETS = {"startup": "≤ 0.1 s above bare Python", "batch": "≥ 200 reports/s at N = 400 distinct reports",
           "size": "16 MB in < 30 s", "pdf": "≤ 1.2× pypdf"}
JIXIAO = [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r}); from cli import main; main()"]


def pinned(cmd: list[str]) -> list[str]:
    return ["taskset", "-c", "0", *cmd] if shutil.which("taskset") else cmd


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup_rows(runs: int = 15) -> list[tuple[str, str, str]]:
    installed_like_env()
    bare = median_seconds([sys.executable, "-c", "pass"], runs)
    helped = median_seconds(JIXIAO + ["--help"], runs)
    return [("start-up: jixiao --help − bare python", f"{helped - bare:.3f} s", f"({helped:.3f} s − {bare:.3f} s)")]


def installed_like_env() -> dict:
    """The child's environment as an installed jixiao runs: its modules compiled to bytecode
    once (pip does that at install time). A PYTHONDONTWRITEBYTECODE in the shell would make
    every timed process compile the project's sources again (≈ 85 ms here)."""
    import compileall

    compileall.compile_dir(ROOT / "extractor", quiet=1)
    compileall.compile_file(ROOT / "cli.py", quiet=1)
    env = dict(os.environ, COLUMNS="160", NO_COLOR="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def audit_process(folder: Path, db: Path) -> dict:
    """One whole `jixiao audit` process: wall seconds and the child's CPU seconds."""
    env = installed_like_env()
    cmd = pinned(JIXIAO + ["audit", str(folder), "--db", str(db), "--min-severity", "error"])
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"jixiao audit exited with {proc.returncode}: {proc.stderr.read().decode(errors='replace')[-500:]}")
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime}


def batch_rows(counts: list[int]) -> list[tuple[str, str, str]]:
    """Per N: the distinct generated corpus (the figure the target is about), then N copies
    of the seed reports (the corpus of the figures measured before; text caches hit there)."""
    seeds = sorted(p for p in (ROOT / "eval_sets" / "seeds").glob("*.txt"))
    rows = []
    for n in counts:
        with tempfile.TemporaryDirectory(prefix="jixiao-table-") as tmp:
            generated = audit_process(generated_corpus(n), Path(tmp) / "generated.db")
            build_corpus(seeds, n, Path(tmp) / "corpus")
            copies = audit_process(Path(tmp) / "corpus", Path(tmp) / "copies.db")
        for label, r in (("distinct generated reports", generated), ("seed copies", copies)):
            rows.append((f"reports/s, N = {n} {label} (whole process, fresh DB, one core)", f"{n / r['wall']:.1f}",
                         f"wall {r['wall']:.2f} s; by CPU time {n / r['cpu']:.1f}/s ({1000 * r['cpu'] / n:.1f} ms per report)"))
    return rows


def size_rows(sizes: list[float]) -> list[tuple[str, str, str]]:
    import bench_size

    result = bench_size.run(sizes, timeout=600)
    rows = []
    for r in result["rows"]:
        if r["seconds"] is None:
            rows.append((f"seconds per document, {r['mb']:g} MB", "timed out", ""))
        else:
            rows.append((f"seconds per document, {r['mb']:g} MB", f"{r['seconds']:.2f}",
                         f"CPU; wall {r['wall']:.2f} s; extract {r['extract']:.2f}, checks {r['checks']:.2f}"))
    exponent = result["exponent"]
    rows.append(("fitted exponent (seconds ~ size^k)", f"{exponent:.2f}" if exponent is not None else "—", "1.0 is linear"))
    return rows


def pdf_rows(folder: Path, repeat: int) -> list[tuple[str, str, str]]:
    import bench_pdf

    r = bench_pdf.measure(folder, repeat, show=lambda _line: None)
    ours = r["read"] + r["extract"] + r["checks"]
    per = lambda t: 1000 * t / r["pages"]  # noqa: E731
    return [(f"PDF ms/page, {r['pages']} pages (jixiao ÷ pypdf)", f"{ours / r['pypdf']:.2f}×",
             f"jixiao {per(ours):.1f} (read {per(r['read']):.1f}, extract {per(r['extract']):.1f}, checks {per(r['checks']):.1f}); "
             f"pypdf {per(r['pypdf']):.1f}")]


def llm_rows() -> list[tuple[str, str, str]]:
    """bench/bench_llm.py's rows, if it is there and offers them (it belongs to the LLM work)."""
    try:
        import bench_llm
    except ImportError:
        return [("LLM", "not measured", "bench/bench_llm.py is not in this tree")]
    if not hasattr(bench_llm, "table_rows"):
        return [("LLM", "not measured", "run python bench/bench_llm.py")]
    return list(bench_llm.table_rows())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="N = 400 only, 1–4 MB, PDFs once")
    ap.add_argument("--skip", default="", help=f"parts to leave out, comma-separated: {', '.join(PARTS)}")
    ap.add_argument("--sizes", help="document sizes in MB, comma-separated (default 1,2,4,8,16; --quick 1,2,4)")
    ap.add_argument("--counts", help="batch sizes, comma-separated (default 400,4000; --quick 400)")
    ap.add_argument("--pdfs", type=Path, default=ROOT.parent / "shared" / "real", help="folder of real PDFs (default ../shared/real)")
    args = ap.parse_args(argv)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(PARTS)
    if unknown:
        ap.error(f"--skip: unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
    rows: list[tuple[str, str, str]] = []
    if "startup" not in skip:
        rows += startup_rows()
    if "batch" not in skip:
        rows += batch_rows([int(n) for n in args.counts.split(",")] if args.counts else [400] if args.quick else [400, 4000])
    if "size" not in skip:
        rows += size_rows([float(n) for n in args.sizes.split(",")] if args.sizes else [1, 2, 4] if args.quick else [1, 2, 4, 8, 16])
    if "pdf" not in skip:
        if any(args.pdfs.glob("*.pdf")):
            rows += pdf_rows(args.pdfs, 1 if args.quick else 2)
        else:
            rows.append(("PDF", "not measured", f"no PDFs in {args.pdfs}"))
    if "llm" not in skip:
        rows += llm_rows()
    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'value':>10}  notes")
    for name, value, note in rows:
        print(f"{name:<{width}}  {value:>10}  {note}")
    print("targets: " + "; ".join(f"{k}: {v}" for k, v in TARGETS.items() if k not in skip))
    return 0


if __name__ == "__main__":
    sys.exit(main())
