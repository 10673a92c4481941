#!/usr/bin/env python3
"""What storing costs per document: one transaction per document or per group, with SQLite's
`synchronous` at FULL or NORMAL (a script, not a test).

    python bench/bench_store.py [--count 400]

The seed reports are read and checked once; then N distinct documents (each seed under N/4
made-up sha256s) are stored into a fresh WAL database per setting, through `Store` as a run
does (`start_run`, `save_analysis` + `record_input` per document, `finish_run`). It prints ms
per document and KB written to disk per document (from /proc/self/io, Linux), so the choice of
`store.SYNCHRONOUS` and `store.GROUP_DOCUMENTS` rests on figures.

Then, as a run stores them (groups of 100, FULL), N = 400 and N = 4000 distinct documents made
from the seeds and the synthetic 决算/预算 set (≈ 140 figures a 决算 document): ms and KB
written per document over the whole run and over its last 100 documents, where a cost that
grows with the database shows.
"""
from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.checks import run_checks  # noqa: E402
from extractor.extract import extract  # noqa: E402
from extractor.ingest import read_document  # noqa: E402
from extractor.store import Store, short_hash  # noqa: E402


def written_bytes() -> int:
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def analysed_seeds(fiscal: bool = False) -> list[tuple]:
    paths = sorted((ROOT / "eval_sets" / "seeds").glob("*.txt"))
    if fiscal:
        paths += sorted(p for p in (ROOT / "eval_sets" / "synthetic-fiscal").iterdir() if p.suffix != ".yaml")
    out = []
    for path in paths:
        doc = read_document(str(path))
        ext = extract(doc)
        findings, problems = run_checks(doc, ext)
        out.append((doc, ext, findings, problems))
    return out


def store_all(db: Path, analysed: list[tuple], count: int, group: int, synchronous: str,
              last: int = 0) -> tuple[float, int, float, int]:
    """Seconds and bytes written for `count` documents, then for the `last` of them (a
    multiple of `group`, so that their groups are all of the last ones)."""
    store = Store(db, synchronous)
    before, start = written_bytes(), time.perf_counter()
    store.start_run("bench", "bench", {}, group_documents=group, group_seconds=3600.0)
    tail = (before, start)
    for i in range(count):
        if i == count - last:
            tail = (written_bytes(), time.perf_counter())
        doc, ext, findings, problems = analysed[i % len(analysed)]
        doc = dataclasses.replace(doc, sha256=short_hash(doc.sha256, i) * 4)  # a new document each time
        analysis_id = short_hash(doc.sha256, "bench")
        store.save_analysis(analysis_id, doc, "bench", "bench", ext.figures, findings, problems, kind=ext.kind, year=ext.year)
        store.record_input("bench", f"doc{i}.txt", doc.sha256, analysis_id, None)
    store.finish_run("bench", count, 0)
    store.db.conn.close()
    end, written = time.perf_counter(), written_bytes()
    return end - start, written - before, end - tail[1], written - tail[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=400)
    args = ap.parse_args(argv)
    analysed = analysed_seeds()
    print(f"{'transaction per':<22}{'synchronous':>12}{'ms/document':>13}{'KB written/document':>21}")
    with tempfile.TemporaryDirectory(prefix="jixiao-store-") as tmp:
        for group in (1, 100):
            for synchronous in ("FULL", "NORMAL"):
                seconds, written, _, _ = store_all(Path(tmp) / f"g{group}-{synchronous}.db", analysed, args.count, group, synchronous)
                what = "document" if group == 1 else f"{group} documents"
                print(f"{what:<22}{synchronous:>12}{1000 * seconds / args.count:>13.2f}{written / 1024 / args.count:>21.1f}")
        analysed = analysed_seeds(fiscal=True)
        print(f"\n{'documents':>9}{'ms/document':>13}{'KB written/document':>21}{'last 100: ms/document':>23}{'KB/document':>13}")
        for count in (400, 4000):
            seconds, written, last_seconds, last_written = store_all(Path(tmp) / f"n{count}.db", analysed, count, 100, "FULL", 100)
            print(f"{count:>9}{1000 * seconds / count:>13.2f}{written / 1024 / count:>21.1f}"
                  f"{1000 * last_seconds / 100:>23.2f}{last_written / 1024 / 100:>13.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
