"""jixiao-audit: find self-contradictions in Chinese performance self-evaluation reports."""

__version__ = "0.1.0"

from . import compiled_cache  # noqa: E402  (before the modules whose patterns and records it keeps)

compiled_cache.install()
