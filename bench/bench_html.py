#!/usr/bin/env python3
"""Benchmark for the review pages at batch size (a script, not a test).

Copies the seed reports round-robin into N files (each with its own trailing line, so every
copy is a new document; see bench_audit.build_corpus), audits them through the pipeline into a
fresh database, then measures:

- `jixiao html`: build time and file size of the self-contained review file;
- `jixiao serve`: time to render the index and one report page (Flask test client);
- if Chromium and chromedriver are installed: opening the static file from file:// in headless
  Chromium, filtering the index, and opening one report from its embedded fragment.

    python bench/bench_html.py               # 500 reports
    python bench/bench_html.py --count 2000 --keep
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from bench_audit import build_corpus  # noqa: E402

from extractor.pipeline import AuditOptions, audit  # noqa: E402
from extractor.review.data import load_summaries, open_review_db  # noqa: E402
from extractor.review.server import create_app  # noqa: E402
from extractor.review.static_html import write_static_html  # noqa: E402
from extractor.store import Store  # noqa: E402


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return result, time.perf_counter() - start


def browser_figures(html_path: Path, sha256: str) -> dict:
    chromium, driver_path = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver_path):
        return {}
    os.environ.setdefault("SE_OFFLINE", "true")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    try:
        driver.get(html_path.as_uri())
        nav = driver.execute_script("const n = performance.getEntriesByType('navigation')[0]; return [n.domContentLoadedEventEnd, n.loadEventEnd];")
        filter_ms = driver.execute_script(
            "const s = document.querySelector('select[name=severity]'); const t = performance.now();"
            "s.value = 'warning'; s.dispatchEvent(new Event('change', {bubbles: true})); return performance.now() - t;"
        )
        start = time.perf_counter()
        driver.execute_script("location.hash = arguments[0];", f"#report/{sha256}")
        WebDriverWait(driver, 30, poll_frequency=0.005).until(lambda d: d.execute_script("return !!document.querySelector('.finding.active')"))
        open_ms = (time.perf_counter() - start) * 1000
    finally:
        driver.quit()
    return {"dom_ready_ms": nav[0], "load_ms": nav[1], "filter_ms": filter_ms, "open_report_ms": open_ms}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=500, help="number of reports (default 500)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus, database and review.html")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="jixiao-bench-html-"))
    corpus, db_path, html_path = work / "corpus", work / "audit.db", work / "review.html"
    build_corpus(sorted((ROOT / "eval_sets" / "seeds").glob("*.txt")), args.count, corpus)
    results, audit_s = timed(lambda: list(audit([str(corpus)], Store(db_path), AuditOptions())))
    findings = sum(len(r.findings) for r in results)
    print(f"reports: {len(results)}  findings: {findings}  audit: {audit_s:.1f} s")

    db = open_review_db(db_path)
    size, build_s = timed(write_static_html, db, db_path, html_path)
    print(f"jixiao html: {build_s:.2f} s, {size / 1e6:.1f} MB ({size / len(results) / 1e3:.1f} kB per report)")

    client = create_app(db_path).test_client()
    worst = load_summaries(db)[0]
    _, index_s = timed(client.get, "/")
    _, report_s = timed(client.get, f"/report/{worst.sha256}")
    print(f"jixiao serve: index {index_s * 1000:.0f} ms, report page {report_s * 1000:.0f} ms")

    figures = browser_figures(html_path, worst.sha256)
    if figures:
        print(
            "chromium, review.html from file://: DOM ready {dom_ready_ms:.0f} ms, loaded {load_ms:.0f} ms, "
            "filter {rows} rows {filter_ms:.1f} ms, open a report {open_report_ms:.0f} ms".format(rows=len(results), **figures)
        )
    else:
        print("chromium/chromedriver not installed: browser figures skipped")
    if args.keep:
        print(f"kept: {work}")
    else:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
