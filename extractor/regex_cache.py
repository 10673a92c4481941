"""Compiled regular expressions kept between processes, as Python keeps bytecode.

Compiling patterns was most of a start-up (issue 14): re's parser and compiler are pure
Python, and a class of CJK ideographs alone costs a loop of 20 000 steps, so the readers' few
hundred patterns (and rich's, sqlite-utils') took ≈ 0.7 G instructions per process. What the
compiler makes of a pattern depends only on the pattern, its flags and the interpreter, so
it is kept in a file beside the package's bytecode whose name carries the interpreter's
version and _sre's code format, and handed to _sre as re's own compiler hands it. The Pattern
is the same object a fresh compile gives (equal pattern, flags and code: tests/test_regex_cache.py).
Like bytecode, nothing is written under PYTHONDONTWRITEBYTECODE; a missing, unreadable or
unwritable file only means compiling as usual.
"""
from __future__ import annotations

import atexit
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
DEFAULT_PATH = Path(__file__).with_name("__pycache__") / (
    f"regex.{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}.marshal"
)

_fresh_compile = _compiler.compile


class RegexCache:
    """(pattern, flags) -> what `_sre.compile` takes besides the pattern (the code as bytes),
    marshalled: a process unpacks only the entries it uses (`jixiao --help` uses a handful)."""

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

    def compile(self, pattern, flags=0):
        """re._compiler.compile, from the file when the pattern is in it."""
        if flags & UNCACHED_FLAGS or not isinstance(pattern, (str, bytes)):
            return _fresh_compile(pattern, flags)
        key = (pattern, int(flags))
        packed = self.entries.get(key)
        if packed is not None:
            try:
                final_flags, code, groups, groupindex, indexgroup = marshal.loads(packed)
                compiled = _sre.compile(pattern, final_flags, array(CODE_TYPE, code).tolist(), groups, groupindex, indexgroup)
                self.used.add(key)
                return compiled
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
        self.entries[key] = marshal.dumps(entry)
        self.used.add(key)
        self.added += 1
        return compiled

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


def install(path: Path = DEFAULT_PATH) -> Optional[RegexCache]:
    """Route every regular expression this process compiles through the cache at `path`,
    written back when the process ends. Does nothing where the interpreter is not the one this
    was written against (no 4-byte code units, or a re without the same private compiler)."""
    if CODE_TYPE is None or not hasattr(_compiler, "_code") or _compiler.compile is not _fresh_compile:
        return None
    cache = RegexCache(path)
    _compiler.compile = cache.compile
    atexit.register(cache.save)
    return cache
