"""Terminal tables for `jixiao eval`: headline metrics, per check, per layout and set, and the
side-by-side comparison with a baseline run."""
from __future__ import annotations

import time

from rich.console import Console
from rich.table import Table

from .evaluate import EvalRun

HEADLINE = [
    ("finding_precision", "发现 precision"), ("finding_recall", "发现 recall"), ("finding_f1", "发现 F1"),
    ("figure_precision", "数字 precision"), ("figure_recall", "数字 recall"), ("figure_f1", "数字 F1"),
]
LLM_METRICS = [
    ("llm_figure_recall", "模型单独的叙述数字 recall"), ("grounding_rate", "引文核实率"), ("llm_calls", "模型调用"), ("llm_cache_hits", "缓存命中"),
    ("llm_input_tokens", "输入 tokens"), ("llm_output_tokens", "输出 tokens"), ("llm_reasks", "重问"),
    ("llm_failures", "失败段"), ("llm_cost", "费用"),
]


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"
    return "—" if value is None else str(value)


# Tuning sets first, then their held-out splits, then real documents, then the rest.
SET_ROLES = (("heldout", 1), ("-test", 1), ("tune", 0), ("-blind", 1), ("synthetic", 0), ("real", 2), ("seeds", 3))
# A tuning set and the held-out split it must be compared with.
HELD_OUT_PAIRS = (("phrasing/tune", "phrasing/heldout"), ("phrasing/tune", "phrasing2/heldout"), ("synthetic", "synthetic-test"),
                  ("synthetic-fiscal", "fiscal-blind"), ("fiscal-blind-tune", "fiscal-blind"))


def set_order(name: str) -> tuple:
    role = next((rank for mark, rank in SET_ROLES if mark in name), 4)
    return role, name


def _scored(m: dict, what: str) -> bool:
    """Whether a set scored any `what` (finding or figure): one labelled on findings only has no
    figure score, and its 1.00 would mean nothing."""
    return bool(m.get(f"{what}_tp") or m.get(f"{what}_fp") or m.get(f"{what}_fn"))


def _prf_cell(m: dict, what: str) -> str:
    if not _scored(m, what):
        return "—"
    return "/".join(f"{m[f'{what}_{k}']:.2f}" for k in ("precision", "recall", "f1"))


def tuning_gaps(per_set: dict) -> list[str]:
    """One line per tuning/held-out pair present: the F1 gap, which is a finding in itself."""
    lines = []
    for tune, held in HELD_OUT_PAIRS:
        if tune in per_set and held in per_set:
            a, b = per_set[tune], per_set[held]
            line = (f"调优集 {tune} 与留出集 {held} 之差：发现 F1 {a['finding_f1']:.2f} → {b['finding_f1']:.2f}"
                    f"（{b['finding_f1'] - a['finding_f1']:+.2f}）")
            if _scored(b, "figure"):
                line += f"，数字 F1 {a['figure_f1']:.2f} → {b['figure_f1']:.2f}（{b['figure_f1'] - a['figure_f1']:+.2f}）"
            lines.append(line)
    return lines


def render_run_list(console: Console, runs: list[dict]) -> None:
    """`jixiao eval --list`: one row per stored run, newest first, with each set's finding F1."""
    if not runs:
        console.print("数据库中还没有评测记录（jixiao eval 会存入）。")
        return
    table = Table(title="评测记录（--baseline 可用运行号或其前缀）", title_justify="left")
    for col, justify in (("运行号", "left"), ("时间", "left"), ("提取器", "left"), ("样本", "right"),
                         ("发现 P/R/F1", "right"), ("各集发现 F1", "left")):
        table.add_column(col, justify=justify, no_wrap=col != "各集发现 F1")
    for r in runs:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(r["created_at"]))
        sets = "，".join(f"{name} {sm['finding_f1']:.2f}" for name, sm in sorted(r["per_set"].items(), key=lambda kv: set_order(kv[0])))
        table.add_row(r["id"], when, r["extractor"], str(r["metrics"].get("cases", "")), _prf_cell(r["metrics"], "finding"), sets)
    console.print(table)


def render_run(console: Console, run: EvalRun, show_cases: bool = False) -> None:
    m = run.metrics
    settings = run.settings
    what = f"提取器 {run.extractor}"
    if run.extractor == "llm":
        what += f"（模型 {settings.get('model')}，{settings.get('mode')}，提示词 {settings.get('prompt')}）"
    if settings.get("skip_checks"):
        what += f"；关闭检查 {', '.join(settings['skip_checks'])}"
    console.print(f"评测 {run.id}：{len(run.sets)} 个评测集，{m['cases']} 份样本，{what}；代码版本 {settings.get('code_version')}")

    table = Table(title="各评测集（P/R/F1；调优集、留出集与真实文档分开看）", title_justify="left")
    for col, justify in (("评测集", "left"), ("样本", "right"), ("发现 P/R/F1", "right"), ("数字 P/R/F1", "right"),
                         ("发现 TP/FP/FN", "right"), ("失败", "right")):
        table.add_column(col, justify=justify, no_wrap=True)
    per_set = run.breakdowns.get("set", {})
    for name, sm in [(name, per_set[name]) for name in sorted(per_set, key=set_order)] + [("全部", m)]:
        table.add_row(name, str(sm["cases"]), _prf_cell(sm, "finding"), _prf_cell(sm, "figure"),
                      f"{sm['finding_tp']}/{sm['finding_fp']}/{sm['finding_fn']}", str(sm["errors"]))
    console.print(table)
    for line in tuning_gaps(per_set):
        console.print(line, markup=False, highlight=False, soft_wrap=True)

    checks = Table(title="按检查（error/warning 级发现）", title_justify="left")
    checks.add_column("检查", max_width=44, overflow="fold")
    for col in ("TP", "FP", "FN", "precision", "recall"):
        checks.add_column(col, justify="right")
    for check, c in run.breakdowns.get("check", {}).items():
        style = "red" if c["fp"] or c["fn"] else None
        checks.add_row(check, str(c["tp"]), str(c["fp"]), str(c["fn"]), _fmt(c["precision"]), _fmt(c["recall"]), style=style)
    console.print(checks)

    layouts = Table(title="按版式", title_justify="left")
    for col in ("版式", "样本", "发现 precision", "发现 recall", "数字 F1"):
        layouts.add_column(col, justify="left" if col == "版式" else "right")
    for layout, lm in run.breakdowns.get("layout", {}).items():
        layouts.add_row(layout, str(lm["cases"]), _fmt(lm["finding_precision"]), _fmt(lm["finding_recall"]), _fmt(lm["figure_f1"]))
    console.print(layouts)

    present = [(k, name) for k, name in LLM_METRICS if k in m]
    if present:
        console.print("LLM：" + "，".join(f"{name} {_fmt(m[k])}" for k, name in present), soft_wrap=True)

    if show_cases:
        for c in run.cases:
            if c.fn or c.fp or c.error:
                parts = [f"漏报 {x['key']}" for x in c.fn] + [f"误报 {x['key']}" for x in c.fp] + ([c.error] if c.error else [])
                console.print(f"  {c.set}/{c.case} [{c.layout}]：" + "；".join(parts), markup=False, highlight=False, soft_wrap=True)


def render_comparison(console: Console, base: EvalRun, run: EvalRun, metrics: list, cases: list) -> None:
    console.print(f"与基线 {base.id}（{base.extractor}）对比，共同样本 {len(run.cases)} 份：")
    if not metrics and not cases:
        console.print("指标与各样本结果均无变化。")
        return
    if metrics:
        table = Table(title="变化的指标", title_justify="left")
        for col in ("指标", f"基线 {base.id}", f"本次 {run.id}", "变化"):
            table.add_column(col, justify="left" if col == "指标" else "right")
        for name, before, after in metrics:
            delta = after - before if isinstance(before, (int, float)) and isinstance(after, (int, float)) else None
            worse = delta is not None and ((delta < 0) != name.endswith(("_fp", "_fn", "errors", "alarms", "failures")))
            table.add_row(name, _fmt(before), _fmt(after), "" if delta is None else f"{delta:+.4g}", style="red" if worse and delta else "green" if delta else None)
        console.print(table)
    if cases:
        table = Table(title="变化的样本", title_justify="left")
        table.add_column("样本")
        table.add_column("变差", style="red")
        table.add_column("变好", style="green")
        for key, worse, better in cases:
            table.add_row(key, worse, better)
        console.print(table)
