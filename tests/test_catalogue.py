"""The check catalogue: ids stay stable, every check has a Chinese title, a severity, and a
section in docs/checks.md (which the review page links to)."""
from __future__ import annotations

import pytest
from conftest import ROOT

from extractor.checks import CATALOGUE


def test_catalogue_ids_are_stable_and_titled():
    assert {"sum.total_basic_project", "score.sum", "rate.execution", "xref.conflict", "complete.blank"} <= CATALOGUE.keys()
    for info in CATALOGUE.values():
        assert info.title and info.severity in ("error", "warning", "info")


@pytest.mark.parametrize("check_id", sorted(CATALOGUE))
def test_every_check_documented(check_id):
    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    assert f'id="{check_id}"' in text
    section = text.split(f'id="{check_id}"', 1)[1].split('<a id="', 1)[0]
    assert "适用文档" in section and "比较的字段" in section, f"{check_id}: say which documents it applies to and what it compares"
