"""The import contract: pipeline stages import one way only (issue 13).

ingest → segment → tables / narrative → extract → checks → store → pipeline → report / review /
eval. A module may import from its own layer or any layer below it, never from a layer above.
The test reads every `import` of every module under extractor/ (imports inside functions too,
since a lazy import is still a dependency) and names each one that points upwards."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"

# lowest first; a module's layer is that of its longest matching prefix
LAYERS: list[tuple[str, ...]] = [
    ("errors", "records", "vocab", "limits", "cli_zh", "outputs", "compiled_cache"),  # records, words, limits
    ("text", "quantity", "tolerance", "canon", "pdf_layout"),  # shared readers of text and numbers
    ("ingest",),  # files → Document
    ("segment", "doctype", "subjects"),  # blocks, kind and year, what a clause is about
    ("tables", "fiscal_tables", "narrative", "cell_lines"),  # records from tables and prose
    ("extract", "llm"),  # one Extraction per document (rules; the model beside them)
    ("checks",),  # findings from records only
    ("store",),  # SQLite
    ("pipeline",),  # a batch: read, extract, check, store
    ("report", "evaluate", "eval_phrasing", "eval_report", "review"),  # what people see
]


def layer_of(module: str) -> int:
    """module is dotted under extractor ("checks.fiscal", "llm.ground")."""
    best = None
    for rank, names in enumerate(LAYERS):
        for name in names:
            if module == name or module.startswith(name + "."):
                if best is None or len(name) > best[1]:
                    best = (rank, len(name))
    if best is None:
        raise AssertionError(f"extractor.{module} is in no layer of tests/test_architecture.py: add it where it belongs")
    return best[0]


def modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            out[".".join(parts)] = path
    return out


def imports_of(module: str, path: Path) -> set[str]:
    """The extractor modules `module` imports, dotted under extractor."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    known = modules()
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
            elif node.module and node.module.split(".")[0] == "extractor":
                target = node.module.split(".")[1:]
            else:
                continue
            # "from . import vocab" names a module; "from .records import Span" names a class
            for alias in node.names:
                candidate = ".".join(target + [alias.name])
                found.add(candidate if candidate in known else ".".join(target))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "extractor":
                    found.add(".".join(alias.name.split(".")[1:]))
    return {m for m in found if m}


def upward_imports() -> list[str]:
    bad = []
    for module, path in modules().items():
        here = layer_of(module)
        for target in sorted(imports_of(module, path)):
            if layer_of(target) > here:
                bad.append(f"extractor.{module} (layer {here}) imports extractor.{target} (layer {layer_of(target)})")
    return bad


def test_every_module_has_a_layer():
    for module in modules():
        layer_of(module)


def test_stages_import_one_way_only():
    assert upward_imports() == []


def test_the_contract_catches_an_upward_import(tmp_path, monkeypatch):
    # the test above can fail: a checks module that imports the store is named
    fake = tmp_path / "extractor"
    (fake / "checks").mkdir(parents=True)
    (fake / "store.py").write_text("x = 1\n", encoding="utf-8")
    (fake / "checks" / "__init__.py").write_text("from ..store import x\n", encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", fake)
    assert upward_imports() == ["extractor.checks (layer 6) imports extractor.store (layer 7)"]


@pytest.mark.parametrize("module, layer", [("checks.fiscal", 6), ("llm.ground", 5), ("review.data", 9), ("text", 1)])
def test_layer_of_uses_the_longest_prefix(module, layer):
    assert layer_of(module) == layer
