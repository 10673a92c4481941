"""Errors with the context an auditor needs to act on them (file, page, attempt)."""
from __future__ import annotations

from typing import Optional


class JixiaoError(Exception):
    """Base of every error the tool raises on purpose."""


class InputError(JixiaoError):
    """A file that cannot be read as a report: one line, naming the file and the problem."""

    def __init__(self, path: str, problem: str, page: Optional[int] = None):
        self.path = path
        self.problem = problem
        self.page = page
        where = f"{path} (第{page}页)" if page else path
        super().__init__(f"{where}: {problem}")


class StoreError(JixiaoError):
    """The SQLite store could not be opened or migrated."""
