"""extractor/compiled_cache.py: a pattern or a code object read back from the file is what
re or exec compiles."""
from __future__ import annotations

import importlib
import re
import sys
from pathlib import Path
from typing import Optional

import pytest

from extractor import compiled_cache
from extractor.compiled_cache import RegexCache, SourceCache

PACKAGE = Path(__file__).resolve().parent.parent / "extractor"


def project_patterns() -> list[re.Pattern]:
    """Every module-level pattern of the package (the ones the cache exists for)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(("extractor",) + (parts[:-1] if parts[-1] == "__init__" else parts))
        try:
            module = importlib.import_module(name)
        except ImportError:  # an optional dependency (the LLM stack) not installed
            continue
        for value in vars(module).values():
            # module constants, and the pattern lists (vocab's words compiled by the readers)
            inner = [value] if isinstance(value, re.Pattern) else value if isinstance(value, (list, tuple)) else []
            for item in inner:
                for p in item if isinstance(item, tuple) else [item]:
                    if isinstance(p, re.Pattern):
                        found[(p.pattern, p.flags)] = p
    return list(found.values())


@pytest.fixture
def writable(monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def test_patterns_read_back_equal_fresh_compiles(tmp_path, writable):
    patterns = project_patterns()
    assert len(patterns) > 200
    # a named group, a CJK class, a bytes pattern, flags re folds into the pattern's own
    extra = [re.compile(r"(?P<n>[\u4e00-\u9fff]+)(\d+)?", re.I), re.compile(rb"ab+c"), re.compile(r"(?x) a  b # c")]
    path = tmp_path / "regex.marshal"
    first = RegexCache(path)
    for p in patterns + extra:
        first.compile(p.pattern, p.flags)
    first.save()
    second = RegexCache(path)
    for p in patterns + extra:
        fresh = compiled_cache._fresh_compile(p.pattern, p.flags)
        cached = second.compile(p.pattern, p.flags)
        # Pattern equality is pattern, flags and compiled code
        assert cached == fresh and cached.groupindex == fresh.groupindex and cached.groups == fresh.groups, p.pattern
    assert second.added == 0  # every one came from the file
    assert second.compile(r"(?P<n>[\u4e00-\u9fff]+)(\d+)?", re.I).match("预算123").group("n") == "预算"


def test_bad_file_means_compiling_as_usual(tmp_path, writable):
    path = tmp_path / "regex.marshal"
    path.write_bytes(b"\x00not marshal")
    cache = RegexCache(path)
    assert cache.entries == {}
    assert cache.compile(r"\d+万元", 0).findall("共12万元和3万元") == ["12万元", "3万元"]
    cache.save()
    assert RegexCache(path).entries.keys() == {(r"\d+万元", 0)}


def test_corrupt_entry_is_compiled_afresh(tmp_path):
    cache = RegexCache(tmp_path / "none")
    cache.entries[(r"a+", 0)] = b"\x00not an entry"
    assert cache.compile(r"a+", 0) == compiled_cache._fresh_compile(r"a+", 0)


def test_nothing_written_without_bytecode_writing(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path = tmp_path / "regex.marshal"
    cache = RegexCache(path)
    cache.compile(r"b+", 0)
    cache.save()
    assert not path.exists()


def test_the_package_compiles_through_the_cache():
    if compiled_cache.CODE_TYPE is None:
        pytest.skip("code units are not 4 bytes on this build")
    compile_ = re._compiler.compile
    assert isinstance(getattr(compile_, "__self__", None), RegexCache)


def make_records():
    """A frozen ordered dataclass and a plain one with defaults, as the records are made."""
    import dataclasses

    @dataclasses.dataclass(frozen=True, order=True)
    class Point:
        x: int
        y: int = 0

    @dataclasses.dataclass
    class Bag:
        name: str
        items: list = dataclasses.field(default_factory=list)
        point: Optional[Point] = None

    return Point, Bag


METHODS = ("__init__", "__repr__", "__eq__", "__lt__", "__setattr__", "__hash__")


def test_dataclass_methods_read_back_equal_fresh_ones(tmp_path, writable, monkeypatch):
    import dataclasses

    monkeypatch.delattr(dataclasses, "exec", raising=False)
    fresh = make_records()
    path = tmp_path / "exec.marshal"
    first = SourceCache(path)
    monkeypatch.setattr(dataclasses, "exec", first.exec, raising=False)
    make_records()
    first.save()
    second = SourceCache(path)
    monkeypatch.setattr(dataclasses, "exec", second.exec, raising=False)
    cached = make_records()
    assert second.added == 0 and second.used  # every method came from the file
    for a, b in zip(fresh, cached):
        for name in METHODS:
            fa, fb = vars(a).get(name), vars(b).get(name)
            assert (fa is None) == (fb is None), name
            if fa is not None:
                # the same code (compiled without the caller's __future__ flags: annotations evaluated)
                assert fa.__code__ == fb.__code__ and fa.__annotations__ == fb.__annotations__, (a.__name__, name)
    Point, Bag = cached
    assert Point(1, 2) < Point(2, 0) and Bag("a") == Bag("a", []) and repr(Point(3)).endswith("Point(x=3, y=0)")
    with pytest.raises(dataclasses.FrozenInstanceError):
        Point(1).x = 2


def test_the_package_makes_dataclasses_through_the_cache():
    import dataclasses

    assert isinstance(getattr(dataclasses.exec, "__self__", None), SourceCache)
