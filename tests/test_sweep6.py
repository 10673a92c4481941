"""Families of false alarms and misses met on the sixth sweep of published pages: each test is a
short made-up text in the shape that misled a rule, with the wrong variant the rule must still
catch where there is one."""
from __future__ import annotations

from conftest import extraction_of
from test_sweep_prose import errors


def test_a_split_in_half_width_brackets_ends_at_its_closing_bracket():
    # "总投资A万元(其中建筑工程a万元)，二批…": the list in brackets breaks down A alone; the
    # amounts after the bracket are no parts of it
    text = ("我局承担道路建设项目，一批项目批复总投资300.5万元(其中建筑工程280万元)，二批项目批复总投资120万元"
            "(其中建筑工程110万元)，合计批复总投资420.5万元(其中建筑工程390万元)。\n")
    totals = {r.total.quantity.text: [p.quantity.text for p in r.parts] for r in extraction_of(text).relations}
    assert totals["300.5万元"] == ["280万元"] and totals["120万元"] == ["110万元"]
    assert errors(text) == []
    assert errors(text.replace("其中建筑工程110万元", "其中建筑工程130万元")) == ["sum.breakdown"]
