"""pytest plugin for bench/mutation_check.py: breaks the stage named by JIXIAO_MUTANT when the
plugin is imported (`-p mutant_plugin`), before conftest and the tests import anything, so
`from extractor.extract import extract` binds the broken one."""
from __future__ import annotations

import os

MUTANT = os.environ.get("JIXIAO_MUTANT")

if MUTANT == "extract":
    import extractor.extract as _stage
    from extractor.records import Extraction

    _stage.extract = lambda doc, *a, **k: Extraction()
elif MUTANT == "checks":
    import extractor.checks as _stage

    _stage.run_checks = lambda doc, ext, *a, **k: ([], [])
elif MUTANT == "tolerance":
    import extractor.tolerance as _stage

    _real = _stage.compare

    def _always_equal(stated, computed, decimals):
        v = _real(stated, computed, decimals)
        return _stage.Verdict("ok", v.gap, v.tolerance)

    _stage.compare = _always_equal
