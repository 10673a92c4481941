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
from extractor.report import show_findings, summary_line, triage_table, write_json
from extractor.store import Store

DEFAULT_DB = os.environ.get("JIXIAO_DB", "jixiao.db")
SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def _console() -> Console:
    """Wide enough for the triage table when the output goes to a file or a pipe."""
    probe = Console()
    return probe if probe.is_terminal else Console(width=140)


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
def audit_command(paths, db_path, json_path, fail_on, min_severity, no_store):
    """审核 PATHS：文件、文件夹（递归查找 txt/pdf/docx/xlsx/html）或通配符。

    逐份读取、提取、核对并存入数据库；同一文档、同一代码版本与选项再次审核时直接沿用
    已存结果。无法读取的文件各报一行错误，其余照常处理。退出码：0 正常；1 达到
    --fail-on 级别；2 参数错误。
    """
    console = _console()
    err = Console(stderr=True)
    store = None if no_store else _open_store(db_path)
    options = AuditOptions()
    results = []
    show_progress = err.is_terminal and len(paths) > 0
    progress = Progress(TextColumn("审核中"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=err, transient=True, disable=not show_progress)
    with progress:
        task = progress.add_task("audit", total=None)
        for result in audit(list(paths), store, options):
            results.append(result)
            progress.update(task, advance=1)
            if result.error:
                progress.console.print(result.error, markup=False, highlight=False)
    if results and any(r.findings for r in results):
        console.print(triage_table(results, min_severity))
    console.print(summary_line(results))
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
