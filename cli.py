"""jixiao command line: parses arguments, prints, sets exit codes. The work is in extractor/."""
from __future__ import annotations

import gc
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import click

from extractor import __version__, cli_zh

cli_zh.install()  # before the commands below are declared: click fills in help texts as they are

from extractor.errors import JixiaoError  # noqa: E402
from extractor.limits import DEFAULT_LIMITS, LIMIT_HELP  # noqa: E402
from extractor.vocab import SEVERITY_ORDER  # noqa: E402

# Each command imports what it uses when it runs (the pipeline, rich, the review app, the LLM
# stack), so that `jixiao --help` and a typo cost a bare start-up.
if TYPE_CHECKING:
    from rich.console import Console

    from extractor.pipeline import AuditOptions
    from extractor.store import Store

DEFAULT_DB = os.environ.get("JIXIAO_DB", "jixiao.db")
EXIT_NOTHING_READ = 2  # also click's code for a usage error
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it
BATCH_GC_THRESHOLD = 10_000  # allocations between young-generation collections during a batch
SEVERITIES = list(SEVERITY_ORDER)  # worst first: error, warning, info
FAIL_ON = SEVERITIES[:-1]  # a note (the mildest) never fails a batch


def _console(stderr: bool = False) -> "Console":
    """Wide enough for a readable report when the output goes to a file or a pipe."""
    from rich.console import Console

    probe = Console(stderr=stderr)
    return probe if probe.is_terminal else Console(width=100, stderr=stderr)


def llm_options(func):
    """The model's settings, shared by every command that extracts (audit --llm, eval --extractor llm)."""
    options = [
        click.option("--model", envvar="JIXIAO_MODEL", help="模型名（默认取 JIXIAO_MODEL）。"),
        click.option("--llm-mode", type=click.Choice(["tools", "json_schema", "json", "md_json"]),
                     help="结构化输出方式；默认按端点推断（官方 API 用 tools，Ollama 用 json_schema，其他用 md_json）。"),
        click.option("--llm-preset", help="端点预设：openai/deepseek/dashscope/glm/moonshot/vllm/ollama/llamacpp/llama-cpp-python。"),
        click.option("--prompt", "prompt_version", default="figures.v2", show_default=True, help="提示词版本（prompts/<版本>.md）。"),
        click.option("--concurrency", default=4, show_default=True, type=click.IntRange(1, 64), help="同时在途的模型请求数（跨段落、跨文档）。"),
        click.option("--no-cache", is_flag=True, help="不读缓存，重新向模型提问（结果仍写入缓存）。"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def audit_options_from(use_llm, model, llm_mode, llm_preset, prompt_version, concurrency, no_cache) -> "AuditOptions":
    """AuditOptions for the command line; a missing key, model or prompt file is one error line."""
    from extractor.pipeline import AuditOptions

    if not use_llm:
        return AuditOptions()
    from extractor.llm import LLMConfig

    try:
        config = LLMConfig.from_env(model, llm_mode, preset=llm_preset, prompt_version=prompt_version,
                                    concurrency=concurrency, use_cache=not no_cache)
        options = AuditOptions(llm=config)
        options.as_dict()  # loads the prompt file now rather than after the first document
    except JixiaoError as exc:
        raise click.ClickException(str(exc)) from exc
    return options


@contextmanager
def batch_gc() -> Iterator[None]:
    """Fewer garbage collections while a batch runs: a large report allocates millions of small
    records that reference counting frees, and CPython's default threshold (700 allocations)
    collects tens of thousands of times over them (a fifth of a 16 MB report's time). The
    imported modules are frozen out of every collection. Restored afterwards."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(BATCH_GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _open_store(path: str) -> "Store":
    from extractor.store import Store

    try:
        return Store(path)
    except JixiaoError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="jixiao")
def main() -> None:
    """jixiao：绩效自评报告一致性审核。

    读取绩效自评报告（txt/pdf/docx/xlsx/html），重建其中的表格，提取数字并逐项核对，
    找出报告自相矛盾之处（合计不等于各项之和、得分不等于总分、执行率算错、同一数字
    前后不一、元与万元错写、未完成目标却得满分……），每条发现都附原文引文与位置。

    \b
    示例：
      jixiao audit eval_sets/seeds --json out.json
      jixiao show eval_sets/seeds/004_df0fe8f85887eca6.txt
    """


LIMITS_HELP = "；".join(f"{k}（{v}，默认 {getattr(DEFAULT_LIMITS, k):g}）" for k, v in LIMIT_HELP.items())


@main.command(name="audit")
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite 数据库文件（保存文档、运行、数字与发现）。")
@click.option("--json", "json_path", metavar="FILE", help="把结果写成 JSON 文件（格式见 README）；- 表示写到标准输出。")
@click.option("--fail-on", type=click.Choice(FAIL_ON), help="有该级别（或更严重）且未被复核排除的发现时以退出码 1 结束。")
@click.option("--min-severity", type=click.Choice(SEVERITIES), default="warning", show_default=True,
              help="审核结果中显示的最低级别（JSON 与数据库总是保存全部发现）。")
@click.option("--no-store", is_flag=True, help="不写数据库，只打印结果。")
@click.option("--top", default=30, show_default=True, type=click.IntRange(0), metavar="N",
              help="结果表只显示前 N 条发现（有错误的文件在前），其余见 --json 或 jixiao show；0 表示全部显示。")
@click.option("-q", "--quiet", is_flag=True, help="不显示进度条与结果表，只显示无法读取的文件与汇总行。")
@click.option("--limit", "limit_pairs", multiple=True, metavar="NAME=N", help=f"提高一项读取上限，可多次给出：{LIMITS_HELP}。")
@click.option("--llm", "use_llm", is_flag=True, help="叙述文字中的数字另由大模型提取（端点见 OPENAI_BASE_URL / OPENAI_API_KEY，详见 docs/llm.md）。")
@llm_options
def audit_command(paths, db_path, json_path, fail_on, min_severity, no_store, top, quiet, limit_pairs, **llm):
    """审核 PATHS：文件、文件夹（递归查找 txt/pdf/docx/xlsx/html）或通配符。

    \b
    逐份读取、提取、核对并存入数据库；同一文档、同一代码版本与选项再次审核时直接沿用
    已存结果。无法读取的文件与跳过的路径各报一行，其余照常处理。加 --llm 时叙述文字另由
    大模型提取（只发送表格以外的文字；引文在原文中找不到的数字一律丢弃），模型回答缓存在
    数据库中，同样的再次审核不发请求。按 Ctrl+C 中断时已完成的报告已保存，再次运行可继续。

    \b
    退出码：0 正常；1 达到 --fail-on 级别、模型端点不可用或模型提取全部失败；
            2 参数错误或没有读到任何报告；130 被中断。
    """
    from rich.console import Console

    from extractor.errors import StoreError
    from extractor.outputs import OutputError, atomic_write, check_writable, refuse_clobber, write_stdout
    from extractor.pipeline import audit, code_version, plan_inputs
    from extractor.report import audit_progress, json_document, json_text, llm_summary_line, skipped_lines, summary_line, triage_table

    to_stdout = json_path == "-"
    console = _console(stderr=to_stdout)  # stdout carries the JSON alone
    err = Console(stderr=True)
    try:
        limits = DEFAULT_LIMITS.with_overrides(limit_pairs)
    except JixiaoError as exc:
        raise click.BadParameter(str(exc), param_hint="--limit") from exc
    options = audit_options_from(**llm)
    batch = plan_inputs(list(paths))
    if json_path and not to_stdout:
        try:  # before the work, not after it
            refuse_clobber(json_path, db_path, batch.paths)
            check_writable(json_path)
        except OutputError as exc:
            raise click.ClickException(str(exc)) from exc
    store = None if no_store else _open_store(db_path)
    for line in skipped_lines(batch.skipped):
        err.print(line, markup=False, highlight=False, soft_wrap=True)

    results = []
    stopped = None  # why the batch ended early, if it did
    progress = audit_progress(err, len(batch.inputs), disable=quiet or not err.is_terminal or not batch.inputs)
    with progress, batch_gc():
        task = progress.add_task("audit", total=len(batch.inputs), current="")
        try:
            for result in audit(batch, store, options, limits=limits,
                                on_start=lambda path: progress.update(task, current=Path(path).name)):
                results.append(result)
                progress.update(task, advance=1)
                for line in [result.error] if result.error else result.problems:
                    progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        except KeyboardInterrupt:
            stopped = "interrupted"
        except StoreError as exc:  # the message says what was not saved
            stopped = f"错误：{exc}"
        except JixiaoError as exc:  # the LLM endpoint cannot be used: finished documents are stored
            stopped = f"错误：{exc}（已完成 {len(results)} 份，结果已保存）"
    if stopped == "interrupted":
        err.print(f"已中断：已完成 {len(results)}/{len(batch.inputs)} 份，再次运行可继续", markup=False, highlight=False, soft_wrap=True)
    elif stopped:
        err.print(stopped, markup=False, highlight=False, soft_wrap=True)
    written = None  # the JSON goes out before the long terminal report, which Ctrl-C may cut short
    if json_path:
        text = json_text(json_document(results, batch, llm=options.llm is not None, interrupted=stopped == "interrupted"))
        if to_stdout:
            write_stdout(text)
        else:
            try:
                atomic_write(json_path, text, db_path, batch.paths)
            except OutputError as exc:
                err.print(f"错误：{exc}", markup=False, highlight=False, soft_wrap=True)
                sys.exit(1)
            written = f"JSON 已写入 {json_path}"
    try:
        # the table is a view of the JSON and the database: a few screens at most, none when the
        # JSON is what was asked for on standard output or the run is quiet
        if results and any(r.findings for r in results) and not (quiet or to_stdout):
            console.print(triage_table(results, min_severity, width=console.width, top=top or None))
        console.print(summary_line(results, batch), markup=False, highlight=False, soft_wrap=True)
        if options.llm is not None:
            console.print(llm_summary_line(results), markup=False, highlight=False, soft_wrap=True)
        if store is not None:
            console.print(f"结果已存入 {db_path}（代码版本 {code_version()}）；查看单份报告：jixiao show 文件路径 --db {db_path}",
                          markup=False, highlight=False, soft_wrap=True)
        if written:
            console.print(written, markup=False, highlight=False, soft_wrap=True)
    except KeyboardInterrupt:
        err.print("已中断输出：审核结果已全部保存", markup=False, highlight=False, soft_wrap=True)
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(_audit_exit_code(results, stopped, fail_on, options))


def _audit_exit_code(results, stopped, fail_on, options) -> int:
    if stopped == "interrupted":
        return EXIT_INTERRUPTED
    if stopped:
        return 1
    read = [r for r in results if r.error is None]
    if not read:
        click.echo("没有读到任何报告（见上面各行的原因）", err=True)
        return EXIT_NOTHING_READ
    asked = [r.llm for r in read if r.llm is not None and r.llm.chunks]
    if options.llm is not None and asked and all(s.failures == s.chunks for s in asked):
        click.echo("错误：所有送给模型的段落都没有得到可用的回答（见上面各行），JSON 中各报告的 llm.failed_chunks 记有段数", err=True)
        return 1
    if fail_on:
        from extractor.records import Severity

        limit = Severity(fail_on).rank
        # a finding an auditor dismissed as a false alarm no longer fails the batch
        if any(f.severity.rank <= limit and f.status != "dismissed" for r in read for f in r.findings):
            return 1
    return 0


@main.command(name="show")
@click.argument("file_or_id")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="审核时使用的数据库文件。")
@click.option("--context", default=30, show_default=True, help="引文前后各显示多少个字符。")
def show_command(file_or_id, db_path, context):
    """显示一份报告的全部发现及其原文证据（引文在上下文中高亮）。

    FILE_OR_ID 可以是审核过的文件路径、文档 sha256，或某条发现的 fingerprint（前 6 位以上即可；
    给 fingerprint 时只显示这一条）。
    """
    from extractor.records import Finding
    from extractor.report import show_findings

    if not os.path.exists(db_path):
        raise click.ClickException(f"{db_path}: 数据库不存在，请先运行 jixiao audit")
    store = _open_store(db_path)
    resolved = store.resolve(file_or_id)
    if resolved is None and os.path.isfile(file_or_id):
        from extractor.ingest import read_document

        try:
            doc = read_document(file_or_id)
        except JixiaoError as exc:
            raise click.ClickException(str(exc)) from exc
        resolved = (doc.sha256, file_or_id, None)
    if resolved is None:
        raise click.ClickException(f"{file_or_id}: 数据库中没有这份报告，请先运行 jixiao audit")
    sha256, source, fingerprint = resolved
    analysis = store.latest_analysis(sha256)
    if analysis is None:
        raise click.ClickException(f"{file_or_id}: 这份报告尚未审核，请先运行 jixiao audit")
    findings = [Finding.from_row(r) for r in store.findings_for(analysis)]
    if fingerprint is not None:
        findings = [f for f in findings if f.fingerprint.startswith(fingerprint)]
    store.attach_reviews(findings)
    show_findings(_console(), source, sha256, store.document_text(sha256) or "", findings, context)


@main.command(name="eval")
@click.argument("sets", nargs=-1)
@click.option("--extractor", type=click.Choice(["rules", "llm"]), default="rules", show_default=True,
              help="rules：只用规则；llm：规则 + 大模型提取叙述文字中的数字。")
@llm_options
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="评测结果存入的数据库（也用于 LLM 缓存与 --baseline 运行号）。")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              help="把评测结果写成 JSON 文件（可作 --baseline）；- 表示写到标准输出（表格改写到标准错误）。")
@click.option("--baseline", help="与之对比的评测：运行号（或其前缀、latest）或 --json 写出的文件。")
@click.option("--fail-under", multiple=True, metavar="METRIC=VALUE", help="指标低于该值时退出码为 1，可多次给出，如 finding_recall=0.95。")
@click.option("--skip-check", multiple=True, metavar="CHECK_ID", help="评测时关闭某项检查（看它的贡献），可多次给出。")
@click.option("--price-input", type=float, help="每百万输入 tokens 的价格（给出时报告费用）。")
@click.option("--price-output", type=float, help="每百万输出 tokens 的价格。")
@click.option("--no-store", is_flag=True, help="不写数据库。")
@click.option("--list", "list_runs", is_flag=True, help="列出数据库中的评测记录（运行号、时间、各集指标）后退出。")
@click.option("--cases", "show_cases", is_flag=True, help="列出每个有漏报或误报的样本。")
def eval_command(sets, extractor, model, llm_mode, llm_preset, prompt_version, concurrency, no_cache, db_path, json_path,
                 baseline, fail_under, skip_check, price_input, price_output, no_store, list_runs, show_cases):
    """用标注好的评测集（eval_sets/<集>/，格式见 eval_sets/README.md）评测提取与检查。

    SETS 为评测集文件夹；不给时评测 eval_sets/ 下所有带标注的集。报告发现与数字的
    precision/recall/F1，按检查、版式、评测集细分；每次评测存入数据库并可写成 JSON。
    --baseline 列出与某次评测相比变化的指标与样本；--fail-under 未达标时退出码 1。
    """
    from rich.console import Console

    from extractor.checks import CATALOGUE
    from extractor.eval_report import render_comparison, render_run
    from extractor.outputs import OutputError, atomic_write
    from extractor.evaluate import EvalOptions, common_cases, compare, default_sets, evaluate, parse_thresholds, unmet
    from extractor.store import save_eval_run

    # with the JSON on standard output, the tables go to standard error
    console = Console(stderr=True) if json_path == "-" else _console()
    if list_runs:
        from extractor.eval_report import render_run_list
        from extractor.store import list_eval_runs

        render_run_list(console, list_eval_runs(_open_store(db_path)) if os.path.exists(db_path) else [])
        return
    unknown = sorted(set(skip_check) - set(CATALOGUE))
    if unknown:
        raise click.ClickException(f"--skip-check: 没有检查 {', '.join(unknown)}（见 docs/checks.md）")
    try:
        thresholds = parse_thresholds(fail_under)
    except JixiaoError as exc:
        raise click.ClickException(str(exc)) from exc
    folders = [Path(s) for s in sets] or default_sets()
    if not folders:
        raise click.ClickException("没有找到评测集：请给出评测集文件夹，或在含 eval_sets/ 的目录中运行")
    options = audit_options_from(extractor == "llm", model, llm_mode, llm_preset, prompt_version, concurrency, no_cache)
    store = None if no_store and extractor == "rules" else _open_store(db_path)
    base = None
    if baseline:
        # --no-store still reads the baseline run from the database it names
        lookup = store if store is not None or os.path.isfile(baseline) or not os.path.exists(db_path) else _open_store(db_path)
        base = _load_baseline(baseline, lookup)
    err = Console(stderr=True)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    progress = Progress(TextColumn("评测中"), BarColumn(), MofNCompleteColumn(), console=err, transient=True, disable=not err.is_terminal)
    try:
        with progress:
            task = progress.add_task("eval", total=None)
            run = evaluate(folders, EvalOptions(frozenset(skip_check), options.llm), store, on_case=lambda _r: progress.update(task, advance=1))
    except JixiaoError as exc:
        raise click.ClickException(str(exc)) from exc
    if price_input is not None or price_output is not None:
        m = run.metrics
        if "llm_input_tokens" in m:
            m["llm_cost"] = round((m["llm_input_tokens"] * (price_input or 0) + m["llm_output_tokens"] * (price_output or 0)) / 1e6, 4)
    for line in run.settings.get("skipped_sets", []):
        err.print(line, markup=False, highlight=False)
    render_run(console, run, show_cases)
    if store is not None and not no_store:
        save_eval_run(store, run)
        console.print(f"评测 {run.id} 已存入 {db_path}")
    if json_path == "-":
        sys.stdout.write(json.dumps(run.to_json(), ensure_ascii=False, indent=1) + "\n")
    elif json_path:
        try:
            atomic_write(json_path, json.dumps(run.to_json(), ensure_ascii=False, indent=1) + "\n", db_path if store else None)
        except OutputError as exc:
            raise click.ClickException(str(exc)) from exc
        console.print(f"JSON 已写入 {json_path}")
    if base is not None:
        before, after = common_cases(base, run)
        render_comparison(console, before, after, *compare(before, after))
    try:
        failed = unmet(run, thresholds)
    except JixiaoError as exc:
        raise click.ClickException(str(exc)) from exc
    for line in failed:
        err.print(f"未达标：{line}", markup=False, highlight=False, soft_wrap=True)
    if failed:
        sys.exit(1)


def _load_baseline(ident: str, store: Store | None):
    """An earlier eval run: a JSON file written by --json, or a run id (prefix, latest) in the db."""
    from extractor.evaluate import EvalRun
    from extractor.store import load_eval_run

    if os.path.isfile(ident):
        try:
            with open(ident, encoding="utf-8") as fh:
                return EvalRun.from_json(json.load(fh))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise click.ClickException(f"{ident}: 不是 jixiao eval --json 写出的文件：{exc}") from exc
    data = load_eval_run(store, ident) if store is not None else None
    if data is None:
        raise click.ClickException(f"--baseline {ident}: 数据库中没有这次评测（给运行号、其唯一前缀、latest 或 JSON 文件）")
    return EvalRun.from_json(data)


from extractor.review.commands import register_review_commands  # noqa: E402  (serve, html, export, review)

register_review_commands(main, DEFAULT_DB)


if __name__ == "__main__":
    main()
