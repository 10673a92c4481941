#!/usr/bin/env python3
"""Time the PDF path per page on the real 预算/决算 PDFs (../shared/real by default).

    python bench/bench_pdf.py [FOLDER] [--repeat N]

For each PDF it times pypdf's own layout-mode text extraction (the reference), then jixiao's
read (positioned layout text: the same pypdf steps, keeping x positions), extraction (tables,
statements) and checks, and prints ms per page and each stage's share of jixiao's time. The
machine is shared, so read the ratios (read ÷ pypdf, share of time) rather than the ms.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extractor.checks import run_checks  # noqa: E402
from extractor.extract import extract  # noqa: E402
from extractor.ingest import read_document  # noqa: E402


def best_of(n: int, fn):
    best, out = None, None
    for _ in range(n):
        t = time.perf_counter()
        out = fn()
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    return best, out


def pypdf_layout(path: Path) -> int:
    import pypdf

    reader = pypdf.PdfReader(str(path))
    for page in reader.pages:
        page.extract_text(extraction_mode="layout")
    return len(reader.pages)


def measure(folder: Path, repeat: int, show=print) -> dict:
    """Per file and in all: pages and seconds of pypdf alone, jixiao's read, extraction and
    checks (best of `repeat`). `show` gets one printed line per file."""
    pdfs = sorted(Path(folder).glob("*.pdf"))
    if not pdfs:
        raise SystemExit(f"{folder}: 没有 PDF")
    show(f"{'file':<10}{'pages':>6}{'pypdf ms/p':>12}{'read ms/p':>11}{'extract ms/p':>14}{'checks ms/p':>13}{'read÷pypdf':>12}")
    totals = [0, 0.0, 0.0, 0.0, 0.0]
    for path in pdfs:
        t_ref, pages = best_of(repeat, lambda: pypdf_layout(path))
        t_read, doc = best_of(repeat, lambda: read_document(path))
        t_ext, ext = best_of(repeat, lambda: extract(doc))
        t_chk, _ = best_of(repeat, lambda: run_checks(doc, ext))
        per = lambda t: 1000 * t / pages  # noqa: E731
        show(f"{path.stem:<10}{pages:>6}{per(t_ref):>12.1f}{per(t_read):>11.1f}{per(t_ext):>14.1f}{per(t_chk):>13.1f}{t_read / t_ref:>12.2f}")
        for i, v in enumerate((pages, t_ref, t_read, t_ext, t_chk)):
            totals[i] += v
    pages, t_ref, t_read, t_ext, t_chk = totals
    return {"pages": pages, "pypdf": t_ref, "read": t_read, "extract": t_ext, "checks": t_chk}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("folder", nargs="?", default=str(ROOT.parent / "shared" / "real"))
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    r = measure(Path(a.folder), a.repeat)
    pages, t_ref, t_read, t_ext, t_chk = r["pages"], r["pypdf"], r["read"], r["extract"], r["checks"]
    ours = t_read + t_ext + t_chk
    print(f"{'all':<10}{pages:>6}{1000 * t_ref / pages:>12.1f}{1000 * t_read / pages:>11.1f}{1000 * t_ext / pages:>14.1f}"
          f"{1000 * t_chk / pages:>13.1f}{t_read / t_ref:>12.2f}")
    print(f"whole path {1000 * ours / pages:.1f} ms/page = {ours / t_ref:.2f}× pypdf's layout extraction; "
          f"text extraction {t_read / ours:.0%} of the time, jixiao's own work (tables, statements, checks) {(t_ext + t_chk) / ours:.0%}")


if __name__ == "__main__":
    main()
