"""Shared fixtures: documents built from literal text, the seed reports, a temp database, the
command line (`invoke`) and a database with the seeds audited."""
from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.checks import run_checks
from extractor.extract import extract
from extractor.records import Document

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "eval_sets" / "seeds"
SEEDS = sorted(SEED_DIR.glob("*.txt"))


def doc_from_text(text: str, path: str = "mem.txt") -> Document:
    return Document(path, "txt", text, hashlib.sha256(text.encode()).hexdigest())


def findings_for(text: str, only: set[str] | None = None):
    doc = doc_from_text(text)
    findings, problems = run_checks(doc, extract(doc), only)
    assert problems == []
    return findings


def extraction_of(text: str):
    """What the extract stage read from a literal text (for negative tests to show that the
    relation they guard was read, so they cannot pass on an extractor that reads nothing)."""
    return extract(doc_from_text(text))


def figure_values(ext, label_part: str = "") -> set[Decimal]:
    """Values of the extracted figures whose label contains label_part, in their printed unit."""
    return {f.quantity.value for f in ext.figures if label_part in f.label}


def budget_cells(ext, label_part: str) -> dict[str, Decimal]:
    """role -> value of the first budget row of any sheet whose label contains label_part."""
    for sheet in ext.sheets:
        for row in sheet.budget_rows:
            if label_part in row.label:
                return {role: q.value for role, q in row.values.items()}
    raise AssertionError(f"no budget row {label_part!r} was read: {[r.label for s in ext.sheets for r in s.budget_rows]}")


@pytest.fixture
def seed_paths() -> list[Path]:
    assert len(SEEDS) == 4
    return SEEDS


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "audit.db"


def invoke(*args):
    """`jixiao ARGS...` in-process; arguments may be paths."""
    from cli import main

    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture
def audited(db_path) -> Path:
    """A database with the four seed reports audited."""
    assert invoke("audit", SEED_DIR, "--db", db_path).exit_code == 0
    return db_path
