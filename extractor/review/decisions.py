"""Review decisions: an auditor confirms a finding ("a real problem") or dismisses it ("a
false alarm"). Decisions are keyed by the finding's fingerprint (document sha256 + check +
evidence spans), not by an analysis, so they follow the finding into every rerun and every
code version that keeps its evidence. The `reviews` table is append-only: changing one's
mind adds a row, and the latest row per fingerprint is the decision in force. The SQL is in
the store (extractor/store.py); this module checks what may be recorded and names it."""
from __future__ import annotations

import getpass
import os
import re
from datetime import datetime
from typing import Iterable, Optional

import sqlite_utils

from .. import store
from ..errors import JixiaoError
from ..store import REVIEW_FIELDS
from . import NOTE_MAX_CHARS

DECISIONS = ("confirmed", "dismissed")
STATUS_ZH = {"unreviewed": "待复核", "confirmed": "已确认", "dismissed": "已排除"}


class ReviewError(JixiaoError):
    """A decision that cannot be recorded: unknown or ambiguous finding, bad decision."""


class ReviewInputError(ReviewError):
    """A request that is wrong in itself (bad decision word, note too long), whatever the finding."""


def default_reviewer() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except Exception:  # no login name (some containers): still record something honest
        return "unknown"


def entry_zh(decision: Optional[str]) -> str:
    """A history entry's word: 已确认 / 已排除, or 备注 for a note recorded on its own."""
    return STATUS_ZH[decision] if decision else "备注"


def record_decision(
    db: sqlite_utils.Database, fingerprint: str, decision: Optional[str], note: Optional[str] = None, reviewer: Optional[str] = None
) -> dict:
    """Write one decision (or, with `decision` None, a note on its own) at once, in its own
    transaction, and return the review now in force for the finding."""
    note = (note or "").strip() or None
    if decision is not None and decision not in DECISIONS:
        raise ReviewInputError(f"{decision}: 复核结论只能是 confirmed 或 dismissed")
    if decision is None and note is None:
        raise ReviewInputError("没有可记录的内容：请给出复核结论（确认/排除），或一条备注")
    if note is not None and len(note) > NOTE_MAX_CHARS:
        raise ReviewInputError(f"备注过长（{len(note)} 字），最多 {NOTE_MAX_CHARS} 字：请精简，或把详细说明放在底稿中")
    finding = store.finding_subject(db, fingerprint)
    if finding is None:
        raise ReviewError(f"{fingerprint}: 数据库中没有这条发现")
    store.add_review(db, {
        "fingerprint": fingerprint, "sha256": finding[0], "check_id": finding[1], "decision": decision,
        "note": note, "reviewer": reviewer or default_reviewer(),
        "decided_at": datetime.now().astimezone().isoformat(timespec="seconds"),
    })
    return latest_decisions(db, [fingerprint])[fingerprint]


def latest_decisions(db: sqlite_utils.Database, fingerprints: Optional[Iterable[str]] = None) -> dict[str, dict]:
    """fingerprint -> the review in force (store.latest_reviews)."""
    return store.latest_reviews(db, fingerprints)


def decision_history(db: sqlite_utils.Database, fingerprint: str) -> list[dict]:
    """Every decision on one finding, oldest first."""
    return [{k: r[k] for k in REVIEW_FIELDS} for r in store.review_rows(db, [fingerprint])]


def history_counts(db: sqlite_utils.Database) -> dict[str, int]:
    return store.review_counts(db)


def resolve_fingerprint(db: sqlite_utils.Database, prefix: str) -> str:
    """The one stored fingerprint that starts with `prefix`, or a one-line error."""
    prefix = prefix.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{4,}", prefix):
        raise ReviewError(f"{prefix}: 不是发现的 fingerprint（至少 4 位十六进制字符，见 jixiao show 或导出文件）")
    hits = store.fingerprints_starting(db, prefix)
    if not hits:
        raise ReviewError(f"{prefix}: 数据库中没有以此开头的发现 fingerprint")
    if len(hits) > 1:
        raise ReviewError(f"{prefix}: 对应多条发现（{'、'.join(h[:10] + '…' for h in hits[:2])}），请多给几位")
    return hits[0]
