"""jixiao command line: parses arguments, prints, sets exit codes. The work is in extractor/."""
from __future__ import annotations

import logging
import os
import sys

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from extractor import __version__
from extractor.errors import JixiaoError
from extractor.pipeline import AuditOptions, audit, code_version, row_json
from extractor.report import llm_summary_line, show_findings, summary_line, triage_table, write_json
from extractor.store import Store

DEFAULT_DB = os.environ.get("JIXIAO_DB", "jixiao.db")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def _console() -> Console:
    """Wide enough for the triage table when the output goes to a file or a pipe."""
    probe = Console()
    return probe if probe.is_terminal else Console(width=140)


def llm_options(func):
    """--llm and its settings, shared by every command that extracts."""
    options = [
        click.option("--llm", "use_llm", is_flag=True, help="叙述文字中的数字另由大模型提取（端点见 OPENAI_BASE_URL / OPENAI_API_KEY，详见 docs/llm.md）。"),
        click.option("--model", envvar="JIXIAO_MODEL", help="模型名（默认取 JIXIAO_MODEL）。"),
        click.option("--llm-mode", type=click.Choice(["tools", "json_schema", "json", "md_json"]),
                     help="结构化输出方式；默认按端点推断（官方 API 用 tools，Ollama 用 json_schema，其他用 md_json）。"),
        click.option("--llm-preset", help="端点预设：openai/deepseek/dashscope/glm/moonshot/vllm/ollama/llamacpp/llama-cpp-python。"),
        click.option("--prompt", "prompt_version", default="figures.v1", show_default=True, help="提示词版本（prompts/<版本>.md）。"),
        click.option("--concurrency", default=4, show_default=True, type=click.IntRange(1, 64), help="同时在途的模型请求数（跨段落、跨文档）。"),
        click.option("--no-cache", is_flag=True, help="不读缓存，重新向模型提问（结果仍写入缓存）。"),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def audit_options_from(use_llm, model, llm_mode, llm_preset, prompt_version, concurrency, no_cache) -> AuditOptions:
    """AuditOptions for the command line; a missing key, model or prompt file is one error line."""
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


def _open_store(path: str) -> Store:
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
    # pypdf reports damaged files through logging; our one-line errors already say so.
    logging.getLogger("pypdf").setLevel(logging.ERROR)


@main.command(name="audit")
@click.argument("paths", nargs=-1, required=True)
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="SQLite 数据库文件（保存文档、运行、数字与发现）。")
@click.option("--json", "json_path", type=click.Path(dir_okay=False, writable=True), help="把结果写成 JSON 文件（格式见 README）。")
@click.option("--fail-on", type=click.Choice(["error", "warning"]), help="有该级别（或更严重）的发现时以退出码 1 结束。")
@click.option("--min-severity", type=click.Choice(["error", "warning", "info"]), default="warning", show_default=True,
              help="审核表中显示的最低级别（JSON 与数据库总是保存全部发现）。")
@click.option("--no-store", is_flag=True, help="不写数据库，只打印结果。")
@llm_options
def audit_command(paths, db_path, json_path, fail_on, min_severity, no_store, **llm):
    """审核 PATHS：文件、文件夹（递归查找 txt/pdf/docx/xlsx/html）或通配符。

    逐份读取、提取、核对并存入数据库；同一文档、同一代码版本与选项再次审核时直接沿用
    已存结果。无法读取的文件各报一行错误，其余照常处理。加 --llm 时叙述文字另由大模型
    提取（只发送表格以外的文字；引文在原文中找不到的数字一律丢弃），模型回答缓存在数据库
    中，同样的再次审核不发请求。退出码：0 正常；1 达到 --fail-on 级别或模型端点不可用；
    2 参数错误。
    """
    console = _console()
    err = Console(stderr=True)
    options = audit_options_from(**llm)
    store = None if no_store else _open_store(db_path)
    results = []
    show_progress = err.is_terminal and len(paths) > 0
    progress = Progress(TextColumn("审核中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True, disable=not show_progress)
    with progress:
        task = progress.add_task("audit", total=None)
        try:
            for result in audit(list(paths), store, options):
                results.append(result)
                progress.update(task, advance=1)
                for line in [result.error] if result.error else result.problems:
                    progress.console.print(line, markup=False, highlight=False)
        except JixiaoError as exc:  # the LLM endpoint cannot be used: finished documents are stored
            progress.stop()
            err.print(f"错误：{exc}（已完成 {len(results)} 份，结果已保存）", markup=False, highlight=False)
            sys.exit(1)
    if results and any(r.findings for r in results):
        console.print(triage_table(results, min_severity))
    console.print(summary_line(results))
    if options.llm is not None:
        console.print(llm_summary_line(results), markup=False, highlight=False, soft_wrap=True)
    if store is not None:
        console.print(f"结果已存入 {db_path}（代码版本 {code_version()}）；查看单份报告：jixiao show 文件路径 --db {db_path}")
    if json_path:
        write_json(results, json_path)
        console.print(f"JSON 已写入 {json_path}")
    if fail_on:
        limit = SEVERITY_RANK[fail_on]
        if any(SEVERITY_RANK[f["severity"]] <= limit for r in results for f in r.findings):
            sys.exit(1)


@main.command(name="show")
@click.argument("file_or_id")
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, help="审核时使用的数据库文件。")
@click.option("--context", default=30, show_default=True, help="引文前后各显示多少个字符。")
def show_command(file_or_id, db_path, context):
    """显示一份报告的全部发现及其原文证据（引文在上下文中高亮）。

    FILE_OR_ID 可以是审核过的文件路径、文档 sha256，或某条发现的 fingerprint（前 6 位以上即可；
    给 fingerprint 时只显示这一条）。
    """
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
    findings = [row_json(r) for r in store.findings_for(analysis)]
    if fingerprint is not None:
        findings = [f for f in findings if f["fingerprint"].startswith(fingerprint)]
    show_findings(_console(), source, sha256, store.document_text(sha256) or "", findings, context)


if __name__ == "__main__":
    main()
