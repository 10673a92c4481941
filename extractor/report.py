"""What the auditor reads: a triage table for a batch, JSON for scripts, and one report's
findings with each quote shown in its context."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable, Optional

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .pipeline import ReportResult

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_ZH = {"error": "错误", "warning": "警示", "info": "提示"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
REVIEW_ZH = {"confirmed": "已确认", "dismissed": "已排除"}


def _number(value) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.6f}".rstrip("0").rstrip(".")


def _one_line(text: str, limit: int = 36) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _severity_cell(f: dict) -> Text:
    """The severity and, once an auditor decided (jixiao serve / review), that decision and note."""
    cell = Text(SEVERITY_ZH[f["severity"]], style=SEVERITY_STYLE[f["severity"]])
    review = f.get("review")
    if review:
        cell.append("\n" + REVIEW_ZH[review["decision"]], style="bold magenta" if review["decision"] == "confirmed" else "green")
        if review.get("note"):
            cell.append(f"\n{_one_line(review['note'], 24)}", style="dim")
    return cell


def triage_table(results: Iterable[ReportResult], min_severity: str = "info") -> Table:
    table = Table(title="jixiao 审核结果（按严重程度排序）", show_lines=False, header_style="bold")
    for name in ("级别", "文件", "检查", "填报值", "计算值", "说明 / 证据"):
        table.add_column(name, overflow="fold")
    rows = []
    for r in results:
        for f in r.findings:
            if SEVERITY_ORDER[f["severity"]] <= SEVERITY_ORDER[min_severity]:
                rows.append((r, f))
    rows.sort(key=lambda rf: (SEVERITY_ORDER[rf[1]["severity"]], rf[0].source))
    for r, f in rows:
        quote = f["evidence"][0]["quote"] if f["evidence"] else ""
        unit = f.get("unit") or ""
        table.add_row(
            _severity_cell(f),
            escape(Path(r.source).name),
            f["check"],
            f"{_number(f['stated'])}{unit if f['stated'] is not None else ''}",
            f"{_number(f['computed'])}{unit if f['computed'] is not None else ''}",
            Text(f"{_one_line(f['message'], 80)}\n“{_one_line(quote)}”"),
        )
    return table


def summary_line(results: list[ReportResult]) -> str:
    read = [r for r in results if r.error is None]
    flagged = [r for r in read if r.count("error")]
    errors = sum(r.count("error") for r in read)
    warnings = sum(r.count("warning") for r in read)
    infos = sum(r.count("info") for r in read)
    failed = len(results) - len(read)
    reused = sum(r.reused for r in read)
    return (
        f"共 {len(results)} 份：读取 {len(read)} 份（其中 {reused} 份沿用已存结果），无法读取 {failed} 份；"
        f"{len(flagged)} 份存在错误级问题；错误 {errors} 条，警示 {warnings} 条，提示 {infos} 条"
    )


def llm_summary_line(results: list[ReportResult]) -> str:
    """Calls, cache hits, tokens, re-asks and dropped figures over the batch; documents whose
    stored analysis was reused made no call at all."""
    from .llm import LLMStats

    total = sum((r.llm for r in results if r.llm is not None), LLMStats())
    asked = sum(r.llm is not None for r in results)
    reused = sum(r.reused for r in results)
    sent = f"，发送 {total.chars_sent} 字（全文 {total.chars_document} 字）" if total.chars_document else ""
    return f"{total.summary_line()}{sent}；{asked} 份经模型提取，{reused} 份沿用已存结果"


def write_json(results: list[ReportResult], path: str) -> None:
    reports = []
    for r in results:
        if r.error is not None:
            reports.append({"source": r.source, "sha256": r.sha256, "error": r.error})
        else:
            reports.append({"source": r.source, "sha256": r.sha256, "kind": r.kind, "findings": r.findings, "problems": r.problems})
    with open(path, "w", encoding="utf-8") as fh:
        json.dump({"reports": reports}, fh, ensure_ascii=False, indent=2)
        fh.write("\n")


def show_findings(console: Console, source: str, sha256: str, text: str, findings: list[dict], context: int = 30) -> None:
    console.print(f"[bold]{escape(source)}[/bold]  sha256 {sha256[:12]}…  {len(findings)} 条发现")
    if not findings:
        console.print("未发现矛盾。")
    for n, f in enumerate(findings, 1):
        style = SEVERITY_STYLE[f["severity"]]
        console.print()
        console.print(Text(f"{n}. [{SEVERITY_ZH[f['severity']]}] {f['check']}", style=style))
        console.print(f"   {escape(f['message'])}")
        unit = f.get("unit") or ""
        console.print(
            f"   填报 {_number(f['stated'])}{unit}  计算 {_number(f['computed'])}{unit}"
            f"  差额 {_number(f.get('difference'))}  容差 {_number(f.get('tolerance'))}"
        )
        for e in f["evidence"]:
            if e.get("table"):
                console.print(Text(f"   表格：{e['table']} · {e['row']} · {e['column']}", style="dim"))
            console.print(evidence_in_context(text, e["start"], e["end"], e.get("page"), context))


def _flat(text: str) -> str:
    """Tabs and line breaks as single spaces, so a table row reads on one line."""
    return re.sub(r"\s+", " ", text)


def evidence_in_context(text: str, start: int, end: int, page: Optional[int], context: int) -> Text:
    before = text[max(0, start - context) : start]
    after = text[end : end + context]
    where = f"第{page}页 " if page else ""
    line = Text(f"   {where}[{start}:{end}] …")
    line.append(_flat(before))
    line.append(_flat(text[start:end]), style="reverse")
    line.append(_flat(after))
    line.append("…")
    return line
