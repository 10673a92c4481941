#!/usr/bin/env python3
"""LLM path benchmark (a script, not a test): concurrency efficiency and tokens sent.

    python bench/bench_llm.py                       # 40 reports, 0.5 s per request, C = 1, 4, 16
    python bench/bench_llm.py --count 80 --concurrency 8,16 --latency 0.25

1. Concurrency. A fake OpenAI-compatible endpoint (tests/llm_server.py) runs in this process and
   answers every request after a fixed latency, like a model that read the chunk with the rules
   extractor. N distinct reports (the seeds copied round-robin, each with its own trailing line,
   as bench_audit.py builds them) go through `pipeline.audit` with `--llm --no-cache` in a child
   process, once per C, into a fresh database. The endpoint computes each answer once (an
   unreported warm-up run fills its cache), so its latency stays fixed whatever C is. Printed per C:
     requests n; T, the seconds from the first request's arrival to the end of `audit()` (the last
     document checked and stored); efficiency = ceil(n / C) x latency / T, the best any scheduler
     can do with n requests of fixed latency on C connections against what the pipeline took;
     in flight = n x latency / T, the mean number of requests in flight (at most C); when the
     first request arrived after `audit()` was called (building the client, reading the first
     report: start-up, which efficiency leaves out); and the child's CPU seconds over the whole
     `audit()` (when they approach T, the run is bound by the CPU, not by the requests).
2. Tokens. Each seed report through the extractor (tools mode) against the same endpoint without
   latency. Every request is counted on arrival (its messages and the tool schema) with the
   extractor's counter for an OpenAI-style model name (extractor/llm/tokens.py: tiktoken where its
   data is installed, `pip install -e ".[tokens]"`, else the stated estimate). The narrative's own
   tokens are the narrative spans' text counted the same way. "reported" is the extractor's own
   count of what it sent (LLMStats.tokens_sent), which should be the same number.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench_audit import build_corpus  # noqa: E402
from llm_server import FakeLLMServer, rules_responder, source_of  # noqa: E402

from extractor.llm.client import request_text  # noqa: E402
from extractor.llm.tokens import counter_for  # noqa: E402

SEEDS = ROOT / "eval_sets" / "seeds"
MODEL = "gpt-4o-mini"  # an OpenAI-style name, so a real tokenizer is used where one is installed
TARGET_EFFICIENCY = 0.8  # at C = 16
TARGET_TOKEN_RATIO = 1.5

# The child: imports first, then one timed audit() of the corpus. Prints one JSON line.
CHILD = r"""
import json, sys, time
import openai, instructor  # start-up is not what this measures
from extractor import pipeline
from extractor.llm import LLMConfig
from extractor.store import Store
folder, db, base_url, concurrency = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
config = LLMConfig(base_url, "sk-bench", sys.argv[5], mode="tools", concurrency=concurrency, use_cache=False)
options = pipeline.AuditOptions(llm=config)
batch = pipeline.plan_inputs([folder])
store = Store(db)
start, cpu = time.time(), time.process_time()
results = list(pipeline.audit(batch, store, options))
end, cpu = time.time(), time.process_time() - cpu
failed = sum(r.error is not None for r in results) + sum(r.llm.failures for r in results if r.llm is not None)
print(json.dumps({"start": start, "end": end, "cpu": cpu, "reports": len(results), "failed": failed}))
"""


class Timed:
    """The rules responder, answering after a fixed latency; records each request's interval.
    Answers are kept by chunk, so that after a warm-up run computing one costs nothing."""

    def __init__(self, latency: float, answers: dict) -> None:
        self.latency = latency
        self.answers = answers
        self.intervals: list[tuple[float, float]] = []
        self.lock = threading.Lock()

    def __call__(self, request: dict) -> dict:
        t0 = time.time()
        source = source_of(request)
        answer = self.answers.get(source)
        if answer is None:
            answer = self.answers[source] = rules_responder(request)
        time.sleep(max(0.0, self.latency - (time.time() - t0)))
        with self.lock:
            self.intervals.append((t0, time.time()))
        return answer


def concurrency_run(folder: Path, concurrency: int, latency: float, answers: dict) -> dict:
    timed = Timed(latency, answers)
    with FakeLLMServer(responder=timed) as server, tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(folder), str(Path(tmp) / "bench.db"), server.base_url, str(concurrency), MODEL],
            capture_output=True, text=True, cwd=str(ROOT), env=dict(os.environ, PYTHONPATH=str(ROOT)),
        )
    if out.returncode != 0:
        raise SystemExit(f"child failed (C={concurrency}):\n{out.stderr[-3000:]}")
    child = json.loads(out.stdout.strip().splitlines()[-1])
    n = len(timed.intervals)
    first = min(a for a, _b in timed.intervals) if n else child["start"]
    seconds = child["end"] - first
    return {
        "C": concurrency, "reports": child["reports"], "failed": child["failed"], "requests": n, "seconds": seconds,
        "efficiency": math.ceil(n / concurrency) * latency / seconds if n else float("nan"),
        "in_flight": n * latency / seconds if n else 0.0,
        "first_request_after": first - child["start"], "cpu": child["cpu"],
    }


def token_rows() -> tuple[list[dict], str]:
    from extractor.ingest import read_document
    from extractor.llm import LLMConfig, extract_figures_llm
    from extractor.segment import segment

    counter = counter_for(MODEL)
    count, name = counter.count, counter.name
    seen: list[dict] = []

    def answer(request: dict) -> dict:
        seen.append(request)
        return rules_responder(request)

    rows = []
    with FakeLLMServer(responder=answer) as server:
        config = LLMConfig(server.base_url, "sk-bench", MODEL, mode="tools", use_cache=False)
        for path in sorted(SEEDS.glob("*.txt")):
            doc = read_document(str(path))
            narrative = segment(doc).narrative
            before = len(seen)
            result = extract_figures_llm(doc, narrative, config, None, sleep=lambda s: None)
            requests = seen[before:]
            own = count("".join(doc.text[s.start : s.end] for s in narrative))
            sent = sum(count(request_text(r)) for r in requests)
            rows.append({
                "report": path.name[:3], "chars": len(doc.text), "narrative_tokens": own, "requests": len(requests),
                "tokens_sent": sent, "ratio": sent / own if own else 0.0, "figures": len(result.figures),
                "reported": getattr(result.stats, "tokens_sent", None),
            })
    return rows, name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", default="1,4,16")
    parser.add_argument("--skip-concurrency", action="store_true")
    parser.add_argument("--skip-tokens", action="store_true")
    args = parser.parse_args()

    if not args.skip_concurrency:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "corpus"
            build_corpus(sorted(SEEDS.glob("*.txt")), args.count, folder)
            answers: dict = {}
            concurrency_run(folder, 16, 0.0, answers)  # warm-up: the endpoint computes every answer once
            print(f"concurrency: {args.count} reports, {args.latency} s per request, fresh database, no cache")
            print(f"{'C':>3} {'requests':>8} {'seconds':>8} {'efficiency':>10} {'in flight':>9} {'1st req at':>10} {'cpu s':>6}  failed")
            for c in [int(x) for x in args.concurrency.split(",")]:
                r = concurrency_run(folder, c, args.latency, answers)
                print(f"{r['C']:>3} {r['requests']:>8} {r['seconds']:>8.2f} {r['efficiency']:>10.2f} {r['in_flight']:>9.2f} "
                      f"{r['first_request_after']:>9.2f}s {r['cpu']:>6.2f}  {r['failed']}")
                if c == 16 and r["efficiency"] < TARGET_EFFICIENCY:
                    print(f"    below the target: efficiency {r['efficiency']:.2f} < {TARGET_EFFICIENCY} at C = 16")

    if args.skip_tokens:
        return
    rows, name = token_rows()
    print(f"\ntokens sent vs the narrative's own tokens, seeds, tools mode, counted with {name}")
    print(f"{'report':>6} {'chars':>6} {'narrative':>9} {'requests':>8} {'sent':>7} {'sent/narr':>9} {'figures':>7}  reported by the extractor")
    for r in rows:
        print(f"{r['report']:>6} {r['chars']:>6} {r['narrative_tokens']:>9} {r['requests']:>8} {r['tokens_sent']:>7} "
              f"{r['ratio']:>9.2f} {r['figures']:>7}  {r['reported'] if r['reported'] is not None else '-'}")
        if r["narrative_tokens"] and r["requests"] and r["ratio"] > TARGET_TOKEN_RATIO:
            print(f"    above the target: {r['ratio']:.2f} > {TARGET_TOKEN_RATIO}")


if __name__ == "__main__":
    main()
