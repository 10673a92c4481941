"""What start-up compiles, kept between processes as Python keeps bytecode (issue 14).

Two things compiled at every start-up cost more than the rest of it together (a one-file
audit was 1.64 G instructions):
- regular expressions (≈ 0.74 G): re's parser and compiler are pure Python, and a class of
  CJK ideographs alone costs a loop of 20 000 steps, for each of the readers' few hundred
  patterns (and rich's, sqlite-utils');
- the methods `dataclasses` writes as source and `exec`s for each of ≈ 60 record classes
  (≈ 0.12 G, most of it parsing that source).
What the compiler makes of a pattern or of a source text depends only on it and on the
interpreter, so both are kept in files beside the package's bytecode whose names carry the
interpreter's version (and _sre's code format), and a later process takes them from there:
a Pattern equal to a fresh compile (pattern, flags, code), the same code object `exec` would
compile (tests/test_compiled_cache.py). Like bytecode, nothing is written under
PYTHONDONTWRITEBYTECODE, and a missing, unreadable or unwritable file only means compiling
as usual.
"""
from __future__ import annotations

import atexit
import builtins
import dataclasses
import marshal
import os
import re
import sys
from array import array
from pathlib import Path
from re import _compiler, _parser
from typing import Optional

import _sre

MAX_ENTRIES = 4000  # a file that would grow past this keeps only what its last process used
# the compiled code as machine words; skipped on a build whose code unit is not 4 bytes
CODE_TYPE = "I" if array("I").itemsize == _sre.CODESIZE else None
UNCACHED_FLAGS = int(re.DEBUG | re.LOCALE)  # DEBUG prints while compiling; LOCALE: left to re
_TAG = f"{sys.implementation.cache_tag}-{sys.hexversion:x}"
REGEX_PATH = Path(__file__).with_name("__pycache__") / f"regex.{_TAG}-{_sre.MAGIC}.marshal"
SOURCE_PATH = Path(__file__).with_name("__pycache__") / f"exec.{_TAG}.marshal"

_fresh_compile = _compiler.compile


class MarshalCache:
    """Marshalled values by key, read from `path` once: a process unpacks only the entries it
    uses (`jixiao --help` uses a handful). Written back at exit when the process added one."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict = {}
        self.used: set = set()
        self.added = 0
        try:
            with open(path, "rb") as fh:
                loaded = marshal.load(fh)
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, EOFError, ValueError, TypeError):
            pass

    def get(self, key) -> Optional[object]:
        packed = self.entries.get(key)
        if packed is None:
            return None
        try:
            value = marshal.loads(packed)
        except (EOFError, ValueError, TypeError):  # not what this file should hold
            return None
        self.used.add(key)
        return value

    def put(self, key, value) -> None:
        self.entries[key] = marshal.dumps(value)
        self.used.add(key)
        self.added += 1

    def save(self) -> None:
        """Write the file when this process compiled something new (atomically: a concurrent
        process reads the old file or the new one)."""
        if not self.added or sys.dont_write_bytecode:
            return
        entries = self.entries
        if len(entries) > MAX_ENTRIES:
            entries = {k: v for k, v in entries.items() if k in self.used}
        temp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        try:
            self.path.parent.mkdir(exist_ok=True)
            with open(temp, "wb") as fh:
                marshal.dump(entries, fh)
            os.replace(temp, self.path)
            self.added = 0
        except (OSError, ValueError):
            try:
                os.unlink(temp)
            except OSError:
                pass


class RegexCache(MarshalCache):
    """(pattern, flags) -> what `_sre.compile` takes besides the pattern, the code as bytes."""

    def compile(self, pattern, flags=0):
        """re._compiler.compile, from the file when the pattern is in it."""
        if flags & UNCACHED_FLAGS or not isinstance(pattern, (str, bytes)):
            return _fresh_compile(pattern, flags)
        key = (pattern, int(flags))
        entry = self.get(key)
        if entry is not None:
            try:
                final_flags, code, groups, groupindex, indexgroup = entry
                return _sre.compile(pattern, final_flags, array(CODE_TYPE, code).tolist(), groups, groupindex, indexgroup)
            except Exception:  # an entry that is not what this file should hold: compile afresh
                pass
        # what re._compiler.compile does, keeping the pieces it hands to _sre
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[Optional[str]] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry = (int(flags | parsed.state.flags), array(CODE_TYPE, code).tobytes(), parsed.state.groups - 1, groupindex, tuple(indexgroup))
        compiled = _sre.compile(pattern, entry[0], code, entry[2], groupindex, entry[4])
        self.put(key, entry)
        return compiled


class SourceCache(MarshalCache):
    """source text -> its code object, for the `exec` of a module that writes code as text."""

    def exec(self, source, globals=None, locals=None):
        """builtins.exec; a text is compiled as exec compiles it for a caller without
        `from __future__` flags (dataclasses has none): filename "<string>", mode "exec"."""
        if isinstance(source, str):
            code = self.get(source)
            if code is None:
                code = compile(source, "<string>", "exec", dont_inherit=True)
                self.put(source, code)
            source = code
        return builtins.exec(source, globals, locals)


def install(regex_path: Path = REGEX_PATH, source_path: Path = SOURCE_PATH) -> tuple[Optional[RegexCache], Optional[SourceCache]]:
    """Route every regular expression this process compiles, and the source texts dataclasses
    executes, through the caches at these paths, written back when the process ends. The
    regex cache is left out where the interpreter is not the one it was written against (no
    4-byte code units, or a re without the same private compiler)."""
    regexes = sources = None
    if CODE_TYPE is not None and hasattr(_compiler, "_code") and _compiler.compile is _fresh_compile:
        regexes = RegexCache(regex_path)
        _compiler.compile = regexes.compile
        atexit.register(regexes.save)
    if "exec" not in vars(dataclasses):  # dataclasses' own name for the builtin, shadowed once
        sources = SourceCache(source_path)
        dataclasses.exec = sources.exec  # type: ignore[attr-defined]
        atexit.register(sources.save)
    return regexes, sources
