#!/usr/bin/env python3
"""What storing costs per document: one transaction per document or per group, with SQLite's
`synchronous` at FULL or NORMAL (a script, not a test).

    python bench/bench_store.py [--count 400]

The seed reports are read and checked once; then N distinct documents (each seed under N/4
made-up sha256s) are stored into a fresh WAL database per setting, through `Store` as a run
does (`start_run`, `save_analysis` + `record_input` per document, `finish_run`). It prints ms
per document and KB written to disk per document (from /proc/self/io, Linux), so the choice of
`store.SYNCHRONOUS` and `store.GROUP_DOCUMENTS` rests on figures.
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


def analysed_seeds() -> list[tuple]:
    out = []
    for path in sorted((ROOT / "eval_sets" / "seeds").glob("*.txt")):
        doc = read_document(str(path))
        ext = extract(doc)
        findings, problems = run_checks(doc, ext)
        out.append((doc, ext, findings, problems))
    return out


def store_all(db: Path, analysed: list[tuple], count: int, group: int, synchronous: str) -> tuple[float, int]:
    store = Store(db, synchronous)
    before, start = written_bytes(), time.perf_counter()
    store.start_run("bench", "bench", {}, group_documents=group, group_seconds=3600.0)
    for i in range(count):
        doc, ext, findings, problems = analysed[i % len(analysed)]
        doc = dataclasses.replace(doc, sha256=short_hash(doc.sha256, i) * 4)  # a new document each time
        analysis_id = short_hash(doc.sha256, "bench")
        store.save_analysis(analysis_id, doc, "bench", "bench", ext.figures, findings, problems, kind=ext.kind, year=ext.year)
        store.record_input("bench", f"doc{i}.txt", doc.sha256, analysis_id, None)
    store.finish_run("bench", count, 0)
    store.db.conn.close()
    return time.perf_counter() - start, written_bytes() - before


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=400)
    args = ap.parse_args(argv)
    analysed = analysed_seeds()
    print(f"{'transaction per':<22}{'synchronous':>12}{'ms/document':>13}{'KB written/document':>21}")
    with tempfile.TemporaryDirectory(prefix="jixiao-store-") as tmp:
        for group in (1, 100):
            for synchronous in ("FULL", "NORMAL"):
                seconds, written = store_all(Path(tmp) / f"g{group}-{synchronous}.db", analysed, args.count, group, synchronous)
                what = "document" if group == 1 else f"{group} documents"
                print(f"{what:<22}{synchronous:>12}{1000 * seconds / args.count:>13.2f}{written / 1024 / args.count:>21.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
