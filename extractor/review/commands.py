"""The review commands of `jixiao`: serve, html, export, review. cli.py registers them with
`register_review_commands(main, DEFAULT_DB)`. Declaring them imports nothing but click: each
command imports the store, the review data and (for `serve`) Flask when it runs."""
from __future__ import annotations

import errno
from pathlib import Path

import click

from ..errors import JixiaoError
from . import NOTE_MAX_CHARS


def _db(path: str):
    from .data import open_review_db

    try:
        return open_review_db(path)
    except JixiaoError as exc:
        raise click.ClickException(str(exc)) from exc


def _refuse(output: str, db_path: str) -> None:
    """Before the work: never the database, and a folder that takes the file."""
    from ..outputs import OutputError, check_writable, refuse_clobber

    try:
        refuse_clobber(output, db_path)
        check_writable(output)
    except OutputError as exc:
        raise click.ClickException(str(exc)) from exc


def _write(output: str, payload, db_path: str) -> int:
    from ..outputs import OutputError, atomic_write

    try:
        return atomic_write(output, payload, db_path)
    except OutputError as exc:
        raise click.ClickException(str(exc)) from exc


def register_review_commands(main: click.Group, default_db: str) -> None:
    db_option = click.option(
        "--db", "db_path", default=default_db, show_default=True, help="jixiao audit 使用的数据库文件。"
    )
    reviewer_option = click.option("--reviewer", help="复核人姓名（默认取环境变量 USER）。")

    @main.command(name="serve")
    @db_option
    @click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="端口（0 表示任选空闲端口）。")
    @click.option("--open", "open_browser", is_flag=True, help="启动后在浏览器中打开复核页面。")
    @reviewer_option
    def serve_command(db_path, port, open_browser, reviewer):
        """打开本机复核网页（只监听 127.0.0.1）。

        报告列表按错误数排序，可按检查、级别、部门、年度、复核状态筛选；单份报告页把原文中
        每条证据高亮，点击或用 j/k 切换发现，c 确认、d 排除、n 写备注、? 查看快捷键。
        复核结论立即写入数据库，下次 jixiao audit 同一文档时显示出来。
        """
        _db(db_path)
        from .server import serve

        def ready(url: str) -> None:
            click.echo(f"复核页面：{url}  （数据库 {db_path}；按 Ctrl+C 结束）")
            if open_browser:
                import webbrowser

                if not webbrowser.open(url):
                    click.echo("没有找到可用的浏览器，请手动打开上面的地址", err=True)

        try:
            serve(db_path, port, reviewer, on_ready=ready)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise click.ClickException(
                    f"端口 {port} 已被占用（也许已有一个 jixiao serve 在运行：浏览器打开 http://127.0.0.1:{port}/ 看看）；"
                    "请用 --port 换一个端口，或 --port 0 任选空闲端口"
                ) from exc
            if exc.errno == errno.EACCES:
                raise click.ClickException(f"端口 {port} 无权使用（1024 以下的端口需要管理员权限）；请用 --port 换一个") from exc
            raise click.ClickException(f"127.0.0.1:{port}: 无法启动复核服务（{exc.strerror or exc}）") from exc
        except KeyboardInterrupt:
            click.echo("已停止。")

    @main.command(name="html")
    @db_option
    @click.option("-o", "--output", default="review.html", show_default=True, type=click.Path(dir_okay=False), help="输出的 HTML 文件。")
    def html_command(db_path, output):
        """把复核页面导出为一个独立的 HTML 文件（离线可用，复核结论只读）。

        文件内含报告列表、每份报告的原文与高亮证据、检查规则说明，可直接发给不运行本工具
        的同事，用浏览器从本地打开即可。
        """
        from .static_html import build_static_html

        db = _db(db_path)
        _refuse(output, db_path)
        size = _write(output, build_static_html(db, Path(db_path).name).encode("utf-8"), db_path)
        click.echo(f"已写入 {output}（{size / 1e6:.1f} MB）")

    @main.command(name="export")
    @db_option
    @click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True, help="导出格式。")
    @click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True),
                  help="输出文件，- 为标准输出（csv/json 缺省写到标准输出；xlsx 缺省 findings.xlsx）。")
    def export_command(db_path, fmt, output):
        """导出全部发现及其复核结论与证据（每条发现一行），用于审计底稿。

        每份报告取最近一次审核的结果；列包括文件、sha256、检查、级别、说明、填报值、计算值、
        差额、单位、容差、证据引文及位置、fingerprint、复核结论、备注、复核人、复核时间。
        csv 带 UTF-8 BOM，Excel 可直接打开；以 = + - @ 开头的文字前加 '，不会被当作公式。
        """
        from . import export

        db = _db(db_path)
        if fmt == "xlsx":
            output = output or "findings.xlsx"
        if output and output != "-":
            _refuse(output, db_path)
        records = list(export.finding_records(db))
        if fmt == "xlsx":
            if output == "-":
                raise click.ClickException("xlsx 不能写到标准输出，请用 -o 给出文件名")
            _write(output, lambda fh: export.to_xlsx(records, fh), db_path)
        else:
            text = export.to_json(records) if fmt == "json" else export.to_csv(records)
            if output in (None, "-"):
                from ..outputs import write_stdout

                write_stdout(text)
                return
            _write(output, text, db_path)
        click.echo(f"已导出 {len(records)} 条发现到 {output}", err=True)

    @main.command(name="review")
    @click.argument("fingerprint")
    @click.option("--confirm", "decision", flag_value="confirmed", help="确认：确有问题。")
    @click.option("--dismiss", "decision", flag_value="dismissed", help="排除：误报。")
    @click.option("--note", help=f"复核备注（最多 {NOTE_MAX_CHARS} 字）；不给 --confirm/--dismiss 时单独记下备注，结论不变。")
    @db_option
    @reviewer_option
    def review_command(fingerprint, decision, note, db_path, reviewer):
        """记录一条发现的复核结论或备注（供脚本使用）；只给 FINGERPRINT 时显示其复核记录。

        FINGERPRINT 可只给开头几位（至少 4 位，须唯一），见 jixiao show、导出文件或复核网页。
        """
        from ..store import finding_subject
        from .decisions import STATUS_ZH, decision_history, entry_zh, latest_decisions, record_decision, resolve_fingerprint

        db = _db(db_path)
        try:
            full = resolve_fingerprint(db, fingerprint)
            _sha256, check_id, path = finding_subject(db, full)
            if decision is None and note is None:
                history = decision_history(db, full)
                current = latest_decisions(db, [full]).get(full) or {}
                click.echo(f"{full}  {check_id}  {path}：{STATUS_ZH[current.get('decision') or 'unreviewed']}")
                for h in history:
                    click.echo(f"  {h['decided_at']}  {entry_zh(h['decision'])}  {h['reviewer']}" + (f"  {h['note']}" if h["note"] else ""))
                return
            review = record_decision(db, full, decision, note, reviewer)
        except JixiaoError as exc:
            raise click.ClickException(str(exc)) from exc
        what = entry_zh(decision) + ("已记下" if decision is None else "")
        click.echo(f"{what}  {full}  {check_id}  {path}（复核人 {review['reviewer']}；当前结论：{STATUS_ZH[review['decision'] or 'unreviewed']}）")
