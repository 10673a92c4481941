"""Shared fixtures: documents built from literal text, the seed reports, a temp database."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from extractor.checks import run_checks
from extractor.extract import extract
from extractor.records import Document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "eval_sets" / "seeds").glob("*.txt"))


def doc_from_text(text: str, path: str = "mem.txt") -> Document:
    return Document(path, "txt", text, hashlib.sha256(text.encode()).hexdigest())


def findings_for(text: str, only: set[str] | None = None):
    doc = doc_from_text(text)
    findings, problems = run_checks(doc, extract(doc), only)
    assert problems == []
    return findings


@pytest.fixture
def seed_paths() -> list[Path]:
    assert len(SEEDS) == 4
    return SEEDS


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "audit.db"
