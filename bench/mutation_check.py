"""Tests that can fail (issue 13): run the check, recall and seed tests with a stage broken
and list the tests that still pass.

Mutants (each run on its own):
  extract   extractor.extract.extract returns an empty Extraction (no tables, figures, rows)
  checks    extractor.checks.run_checks returns no findings
  tolerance extractor.tolerance.compare calls every comparison equal

A test that passes with extraction stubbed and only asserts that nothing was found guards
nothing: it would pass on an extractor that reads nothing. Every test in these files must
fail under the `extract` mutant. Under `checks`, the negative tests survive by design (they
assert no finding) — the list shows how many do. Usage (venv active):

    python bench/mutation_check.py [--mutant extract|checks|tolerance] [pytest paths...]

Exit status 1 when a test survives the `extract` mutant.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TESTS = ["tests/test_checks.py", "tests/test_recall_scores.py", "tests/test_recall_xref.py", "tests/test_seeds.py"]
MUTANTS = ("extract", "checks", "tolerance")


def survivors(mutant: str, tests: list[str]) -> tuple[list[str], int]:
    """(tests that passed, tests run) with the mutant applied by the plugin below."""
    env = dict(os.environ, JIXIAO_MUTANT=mutant, PYTHONPATH=f"{ROOT / 'bench'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "mutant_plugin", "-rA", "--no-header", *tests],
        cwd=ROOT, env=env, capture_output=True, text=True,
    ).stdout
    passed = sorted(set(re.findall(r"^PASSED (\S+)", out, re.M)))
    failed = set(re.findall(r"^(?:FAILED|ERROR) (\S+)", out, re.M))
    return passed, len(passed) + len(failed)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mutant", choices=MUTANTS, action="append")
    ap.add_argument("tests", nargs="*", default=DEFAULT_TESTS)
    args = ap.parse_args()
    status = 0
    print(f"{'mutant':<10} {'tests':>5} {'survive':>7}")
    for mutant in args.mutant or MUTANTS:
        passed, total = survivors(mutant, args.tests)
        print(f"{mutant:<10} {total:>5} {len(passed):>7}")
        for name in passed:
            print(f"    survives: {name}")
        if mutant == "extract" and passed:
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
