"""Gold labels: the figures a reader should extract, and the contradictions to find."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

import yaml

from .inject import CHECK_DESC, Injection
from .model import Doc, HardNegative, Result


def plain(v):
    """Decimals as YAML numbers: ints when whole, else floats (1546.46, not '1546.46')."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def figures(doc: Doc) -> list[dict]:
    out = []
    for s in sorted(doc.slots.values(), key=lambda s: s.order):
        if not s.figure:
            continue
        p = doc.printed(s.id)
        if p.status != "num" or (s.zero_text is not None and p.value == 0):
            continue
        unit = p.unit or ("分" if "得分" in s.label or s.fig in ("score_total", "exec_score") else "")
        entry = {"label": s.label, "value": plain(p.value), "unit": unit, "quote": doc.text_of(s.id), "place": s.place}
        if s.column:
            entry["column"] = s.column
        if s.row:
            entry["row"] = s.row
        out.append(entry)
    return out


def attributed(result: Result, injections: list[Injection]) -> Optional[Injection]:
    """The injection a fired relation belongs to: same check, and it printed one of its slots."""
    for inj in injections:
        if inj.check == result.check and inj.changed & set(result.slots):
            return inj
    return None


def classify(doc: Doc, results: list[Result], injections: list[Injection]):
    """Split fired relations into findings (definite) and acceptable (debatable knock-on effects)."""
    tolerated = set().union(*(i.acceptable for i in injections)) if injections else set()
    findings, acceptable = [], []
    order = {sid: s.order for sid, s in doc.slots.items()}
    for r in sorted(results, key=lambda r: min((order.get(s, 0) for s in r.slots), default=0)):
        owner = None if r.undetermined else attributed(r, injections)
        note = owner.note if owner else f"由注入连带产生：{_desc(r.check)}（{r.label}）"
        entry = {"check": r.check, "stated": plain(r.stated), "computed": plain(r.computed), "label": r.label,
                 "note": note}
        if owner is None and (r.undetermined or r.check in tolerated):
            acceptable.append(entry)
        else:
            findings.append(entry)
    return findings, acceptable


def _desc(check: str) -> str:
    from .fiscal_inject import FISCAL_DESC  # the standard-table and wording checks of 部门决算/预算 documents

    return CHECK_DESC.get(check) or FISCAL_DESC.get(check, check)


def hard_negatives(items: list[HardNegative]) -> list[dict]:
    seen, out = set(), []
    for h in items:
        if (h.kind, h.note) not in seen:
            seen.add((h.kind, h.note))
            out.append({"kind": h.kind, "note": h.note})
    return out


def gold_document(doc: Doc, document: str, results, negatives, injections) -> dict:
    findings, acceptable = classify(doc, results, injections)
    g = {
        "document": document,
        "layout": doc.layout,
        "report_type": doc.report_type,
        "department": doc.meta["org"],
        "year": doc.meta["year"],
    }
    if doc.layout == "gbk-txt":
        g["table_layout"] = doc.meta["table_layout"]
        g["encoding"] = "gbk"
    g["injected"] = [i.check for i in injections]
    g["figures"] = figures(doc)
    g["findings"] = findings
    g["acceptable"] = acceptable
    g["hard_negatives"] = hard_negatives(negatives)
    return g


def dump_yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
