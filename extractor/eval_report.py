"""Terminal tables for `jixiao eval`: headline metrics, per check, per layout and set, and the
side-by-side comparison with a baseline run."""
from __future__ import annotations

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


def render_run(console: Console, run: EvalRun, show_cases: bool = False) -> None:
    m = run.metrics
    settings = run.settings
    what = f"提取器 {run.extractor}"
    if run.extractor == "llm":
        what += f"（模型 {settings.get('model')}，{settings.get('mode')}，提示词 {settings.get('prompt')}）"
    if settings.get("skip_checks"):
        what += f"；关闭检查 {', '.join(settings['skip_checks'])}"
    console.print(f"评测 {run.id}：{len(run.sets)} 个评测集，{m['cases']} 份样本，{what}；代码版本 {settings.get('code_version')}")

    table = Table(title="总体与各评测集", title_justify="left")
    table.add_column("范围")
    table.add_column("样本", justify="right")
    for _key, name in HEADLINE:
        table.add_column(name, justify="right")
    table.add_column("发现 TP/FP/FN", justify="right")
    table.add_column("读取失败", justify="right")
    rows = [("全部", m)] + [(name, sm) for name, sm in run.breakdowns.get("set", {}).items()]
    for name, sm in rows:
        table.add_row(name, str(sm["cases"]), *[_fmt(sm[k]) for k, _ in HEADLINE],
                      f"{sm['finding_tp']}/{sm['finding_fp']}/{sm['finding_fn']}", str(sm["errors"]))
    console.print(table)

    checks = Table(title="按检查（error/warning 级发现）", title_justify="left")
    for col in ("检查", "TP", "FP", "FN", "precision", "recall"):
        checks.add_column(col, justify="left" if col == "检查" else "right")
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
