"""What the auditor reads: the findings of a batch grouped by file (readable at 80 columns),
JSON for scripts, the progress of a run, and one report's findings with each quote shown in
its context."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable, Optional

from rich.cells import cell_len
from rich.console import Console, Group
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, TimeRemainingColumn
from rich.text import Text

from .checks import CATALOGUE
from .pipeline import Batch, ReportResult
from .records import Finding, Severity, display_number

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
REVIEW_ZH = {"confirmed": "已确认", "dismissed": "已排除", None: "备注"}
INDENT = 8  # findings' detail lines start under the check id


def check_title(check_id: str) -> str:
    info = CATALOGUE.get(check_id)
    return info.title if info else ""


def _with_unit(value, unit: str) -> str:
    """A finding's value with its unit, as both views print it: "2,995.39万元", or "—" alone."""
    return display_number(value, unit) + (unit if value is not None else "")


def _one_line(text: str, limit: int = 36) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# A line may break between Chinese characters, never inside a number with its unit, an ASCII
# word, or before closing punctuation.
_ATOM = re.compile(
    r"[-+−]?[0-9０-９][0-9０-９,，.．]*(?:[%％‰]|[万亿千百]?(?:元|分|人次|人|户|个|次|项|家|台|条|张|天))?"
    r"|[A-Za-z_][\w.\-/]*|\s+|.", re.S)
_NO_LINE_START = set("，。、；：？！）》」』”’,.;:?!)%")


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` cells (one atom longer than that stands alone)."""
    atoms: list[str] = []
    for atom in _ATOM.findall(re.sub(r"\s*[\t\r\n]\s*", " ", text).strip()):
        if atoms and atom[0] in _NO_LINE_START and not atoms[-1].isspace():
            atoms[-1] += atom
        else:
            atoms.append(atom)
    lines, line = [], ""
    for atom in atoms:
        if line and cell_len(line + atom) > width:
            lines.append(line.rstrip())
            line = "" if atom.isspace() else atom
        else:
            line += atom
    if line.strip():
        lines.append(line.rstrip())
    return lines or [""]


def triage_table(results: Iterable[ReportResult], min_severity: str = "info", width: int = 80, top: Optional[int] = None) -> Group:
    """The findings at or above `min_severity`, grouped by file, files with errors first; each
    finding as: severity, check id and title; the message; stated and computed values with their
    unit; the first quote; the decision, when an auditor made one. Fits `width` columns. With
    `top`, only the first `top` findings in that order, then a line counting the rest."""
    floor = Severity(min_severity).rank
    shown = [(r, [f for f in r.findings if f.severity.rank <= floor]) for r in results]
    shown = [(r, sorted(fs, key=lambda f: f.severity.rank)) for r, fs in shown if fs]
    shown.sort(key=lambda rf: (min(f.severity.rank for f in rf[1]), -len(rf[1]), rf[0].source))
    total = sum(len(fs) for _, fs in shown)
    left = total if top is None else top  # findings still to render
    body = width - INDENT
    lines: list[Text] = [Text("jixiao 审核结果（按文件分组，有错误的文件在前）", style="bold")]
    for r, findings in shown:
        if left <= 0:
            break
        counts = " · ".join(f"{s.zh} {n}" for s in Severity if (n := sum(f.severity == s for f in findings)))
        lines.append(Text(""))
        for part in wrap(f"{Path(r.source).name}  {counts}", width):
            lines.append(Text(part, style="bold underline"))
        findings, left = findings[:left], left - len(findings[:left])
        for f in findings:
            head = Text(f"  {f.severity.zh}  ", style=SEVERITY_STYLE[f.severity])
            title = check_title(f.check)
            first, *rest = wrap(f"{f.check}  {title}", body)
            lines.append(head + Text(first))
            lines += [Text(" " * INDENT + part) for part in rest]
            detail = wrap(f.message, body)
            unit = f.unit or ""
            values = [f"填报 {_with_unit(f.stated, unit)}", f"计算 {_with_unit(f.computed, unit)}"]
            if f.difference is not None:
                values.append(f"差额 {_with_unit(f.difference, unit)}")
            detail += _pack(values, body)
            quote = f.evidence[0].quote if f.evidence else ""
            if quote:
                detail += wrap(f"“{_one_line(quote, 60)}”", body)
            lines += [Text(" " * INDENT + part, style="dim" if part.startswith("“") else "") for part in detail]
            review = f.review
            if review:
                note = f"：{_one_line(review['note'], 40)}" if review.get("note") else ""
                for part in wrap(f"{REVIEW_ZH[review.get('decision')]}{note}", body):
                    lines.append(Text(" " * INDENT + part, style="magenta"))
    if top is not None and total > top:
        lines += [Text(""), Text(f"…及另外 {total - top} 条，见 --json / jixiao show", style="bold")]
    return Group(*lines)


def _pack(items: list[str], width: int) -> list[str]:
    """Items joined by two spaces, a new line where the next would not fit; never split."""
    lines, line = [], ""
    for item in items:
        if line and cell_len(line + "  " + item) > width:
            lines.append(line)
            line = item
        else:
            line = f"{line}  {item}" if line else item
    return lines + [line] if line else lines


class RateColumn(ProgressColumn):
    """Reports per second, once there is something to measure."""

    def render(self, task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:.1f} 份/秒" if speed else "", style="progress.data.speed")


class CurrentFileColumn(ProgressColumn):
    """The file being read, cut from the left to a fixed width."""

    def __init__(self, width: int = 28) -> None:
        super().__init__()
        self.width = width

    def render(self, task) -> Text:
        name = str(task.fields.get("current") or "")
        while name and cell_len(name) > self.width:
            name = name[1:]
        return Text(name, style="dim", overflow="crop", no_wrap=True)


def audit_progress(console: Console, total: int, disable: bool = False) -> Progress:
    """审核中 ━━━━━━━━━━ 26/175 4.2 份/秒 0:00:35 003_29d1….txt"""
    return Progress(
        TextColumn("审核中"), BarColumn(bar_width=None), MofNCompleteColumn(), RateColumn(), TimeRemainingColumn(),
        CurrentFileColumn(), console=console, transient=True, disable=disable, expand=False,
    )


def summary_line(results: list[ReportResult], batch: Optional[Batch] = None) -> str:
    read = [r for r in results if r.error is None]
    flagged = [r for r in read if r.count("error")]
    errors = sum(r.count("error") for r in read)
    warnings = sum(r.count("warning") for r in read)
    infos = sum(r.count("info") for r in read)
    failed = len(results) - len(read)
    reused = sum(r.reused for r in read)
    skipped = f"，跳过 {len(batch.skipped)} 个路径" if batch is not None and batch.skipped else ""
    return (
        f"共 {len(results)} 份：读取 {len(read)} 份（其中 {reused} 份沿用已存结果），无法读取 {failed} 份{skipped}；"
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


def llm_json(stats) -> dict:
    """The per-report LLM marker in the JSON: failed chunks first (they make an analysis
    incomplete), then what was asked."""
    return {"failed_chunks": stats.failures, "chunks": stats.chunks, "calls": stats.calls, "cache_hits": stats.cache_hits,
            "reasks": stats.reasks, "transport_retries": stats.transport_retries, "dropped": stats.dropped,
            "tokens_sent": stats.tokens_sent, "narrative_tokens": stats.narrative_tokens, "token_counter": stats.token_counter}


def json_document(results: list[ReportResult], batch: Optional[Batch] = None, llm: bool = False,
                  interrupted: bool = False) -> dict:
    """The stable shape of README.md ("reports"), plus "summary" and "skipped"; with --llm
    each read report has "llm" ({"failed_chunks": n, ...}; a reused analysis had none)."""
    reports = []
    for r in results:
        if r.error is not None:
            reports.append({"source": r.source, "sha256": r.sha256, "error": r.error})
            continue
        entry = {"source": r.source, "sha256": r.sha256, "kind": r.kind, "findings": [f.to_json() for f in r.findings]}
        if r.problems:
            entry["problems"] = r.problems
        if llm:
            entry["llm"] = llm_json(r.llm) if r.llm is not None else {"failed_chunks": 0, "reused": True}
        reports.append(entry)
    read = [r for r in results if r.error is None]
    summary = {
        "inputs": len(batch.inputs) if batch is not None else len(results), "done": len(results), "read": len(read),
        "reused": sum(r.reused for r in read), "unreadable": len(results) - len(read),
        "skipped": len(batch.skipped) if batch is not None else 0,
        "errors": sum(r.count("error") for r in read), "warnings": sum(r.count("warning") for r in read),
        "infos": sum(r.count("info") for r in read), "interrupted": interrupted,
    }
    if llm:
        summary["llm_failed_chunks"] = sum(r.llm.failures for r in read if r.llm is not None)
    doc = {"reports": reports, "summary": summary}
    if batch is not None:
        doc["skipped"] = [{"path": s.path, "reason": s.reason} for s in batch.skipped]
    return doc


def json_text(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def write_json(results: list[ReportResult], path: str) -> None:
    """The JSON file for `results` (kept for library callers; the CLI writes atomically)."""
    from .outputs import atomic_write

    atomic_write(path, json_text(json_document(results)))


def skipped_lines(skipped: list) -> list[str]:
    """One line per skipped path, except files of other types: one line per folder, counted
    by suffix, with the first few names (all of them are in the JSON)."""
    lines, others = [], {}
    for s in skipped:
        if s.reason.startswith("不是报告文件类型"):
            others.setdefault(str(Path(s.path).parent), []).append(s.path)
        else:
            lines.append(f"跳过 {s.path}：{s.reason}")
    for folder, paths in others.items():
        suffixes: dict[str, int] = {}
        for p in paths:
            suffixes[Path(p).suffix.lower() or "无扩展名"] = suffixes.get(Path(p).suffix.lower() or "无扩展名", 0) + 1
        kinds = "、".join(f"{k} {n}" for k, n in sorted(suffixes.items(), key=lambda kv: -kv[1]))
        names = "、".join(Path(p).name for p in paths[:3]) + ("…" if len(paths) > 3 else "")
        lines.append(f"跳过 {folder} 中 {len(paths)} 个非报告文件（{kinds}）：{names}")
    return lines


def show_findings(console: Console, source: str, sha256: str, text: str, findings: list[Finding], context: int = 30) -> None:
    console.print(f"[bold]{escape(source)}[/bold]  sha256 {sha256[:12]}…  {len(findings)} 条发现")
    if not findings:
        console.print("未发现矛盾。")
    for n, f in enumerate(findings, 1):
        style = SEVERITY_STYLE[f.severity]
        console.print()
        console.print(Text(f"{n}. [{f.severity.zh}] {f.check}  {check_title(f.check)}", style=style))
        console.print(f"   {escape(f.message)}")
        review = f.review
        status = REVIEW_ZH[review["decision"]] if review and review.get("decision") else "待复核"
        who = f"（{review['reviewer']}，{str(review['decided_at']).replace('T', ' ')}）" if review else ""
        note = f"  备注：{review['note']}" if review and review.get("note") else ""
        console.print(Text(f"   复核：{status}{who}{note}", style="magenta" if review else "dim"))
        unit = f.unit or ""
        console.print(
            f"   填报 {_with_unit(f.stated, unit)}  计算 {_with_unit(f.computed, unit)}"
            f"  差额 {_with_unit(f.difference, unit)}  容差 {'±' if f.tolerance is not None else ''}{_with_unit(f.tolerance, unit)}"
        )
        for e in f.evidence:
            if e.cell is not None and e.cell.table:
                console.print(Text(f"   表格：{e.cell.table} · {e.cell.row} · {e.cell.column}", style="dim"))
            console.print(evidence_in_context(text, e.span.start, e.span.end, e.page, context))
        console.print(Text(f"   fingerprint {f.fingerprint}", style="dim"))


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
