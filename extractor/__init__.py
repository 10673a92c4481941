"""jixiao-audit: find self-contradictions in Chinese performance self-evaluation reports."""

__version__ = "0.1.0"
