"""Choosing among phrasings: every family of docs/phrasing.md §2 is written in several
variants of the generator's own wording, picked at random per document.

The tuning set (eval_sets/synthetic) was generated before variants existed; a `Phraser` in
stock mode always answers variant 0 and draws nothing, so that set regenerates byte for byte.
Variants draw from their own random stream, never from the one that sets the numbers.
"""
from __future__ import annotations

import random
from collections import Counter

FAMILIES = ("totals", "budget-vs-actual", "yoy-change", "share", "breakdown", "func-item", "comparison-word", "sangong",
            "running-cost", "procurement", "assets", "perf-mgmt", "score-grade", "indicator", "target-table",
            "count-enum", "placeholder", "wrong-year", "unit-header", "empty-table")

DISTRACTORS = ("change_beside_level", "several_subjects", "func_item_paragraphs", "prior_year_figure",
               "sub_project_grades", "non_exhaustive_list", "le_target_met", "forced_share", "zero_base_growth",
               "repeated_paragraph", "rounding_between_tables", "target_table_without_actuals", "row_numbers",
               "thresholds", "running_cost_vs_public", "income_ne_spending", "unit_equivalent", "loose_flat",
               "nested_breakdown", "overlapping_counts", "paired_sentence", "capped_score", "toc_residue",
               "page_numbers", "empty_fund_tables", "blank_cover_date", "masked_contact")


class Phraser:
    def __init__(self, seed: str, varied: bool):
        self.rng = random.Random(seed)
        self.varied = varied
        self.used: Counter = Counter()  # (family, variant)
        self.distractors: Counter = Counter()

    def pick(self, family: str, n: int) -> int:
        """A variant number in range(n) for one use of `family` (0 in stock mode)."""
        k = self.rng.randrange(n) if self.varied else 0
        self.used[(family, k)] += 1
        return k

    def choice(self, family: str, options: list):
        return options[self.pick(family, len(options))]

    def mark(self, family: str) -> None:
        self.used[(family, -1)] += 1

    def distractor(self, kind: str) -> None:
        self.distractors[kind] += 1

    def families(self) -> list[str]:
        return sorted({f for f, _ in self.used})

    def variants(self) -> list[str]:
        return sorted(f"{f}/{k}" for f, k in self.used if k >= 0)
