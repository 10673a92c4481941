"""The review commands of `jixiao`: serve, html, export, review. cli.py registers them with
`register_review_commands(main, DEFAULT_DB)`; Flask is imported only by `serve`."""
from __future__ import annotations

import errno
import sys
from pathlib import Path

import click

from ..errors import JixiaoError
from .data import STATUS_ZH, open_review_db
from .decisions import decision_history, record_decision, resolve_fingerprint


def _db(path: str):
    try:
        return open_review_db(path)
    except JixiaoError as exc:
        raise click.ClickException(str(exc)) from exc


def register_review_commands(main: click.Group, default_db: str) -> None:
    db_option = click.option(
        "--db", "db_path", default=default_db, show_default=True, help="jixiao audit 使用的数据库文件。"
    )
    reviewer_option = click.option("--reviewer", help="复核人姓名（默认取环境变量 USER）。")

    @main.command(name="serve")
    @db_option
    @click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535), help="端口（0 表示任选空闲端口）。")
    @reviewer_option
    def serve_command(db_path, port, reviewer):
        """打开本机复核网页（只监听 127.0.0.1）。

        报告列表按错误数排序，可按检查、级别、部门、年度、复核状态筛选；单份报告页把原文中
        每条证据高亮，点击或用 j/k 切换发现，c 确认、d 排除、n 写备注、? 查看快捷键。
        复核结论立即写入数据库，下次 jixiao audit 同一文档时显示出来。
        """
        _db(db_path)
        from .server import serve

        def ready(url: str) -> None:
            click.echo(f"复核页面：{url}  （数据库 {db_path}；按 Ctrl+C 结束）")

        try:
            serve(db_path, port, reviewer, on_ready=ready)
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise click.ClickException(f"127.0.0.1:{port}: 端口无法使用（{exc.strerror}），请用 --port 换一个") from exc
            raise
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
        from .static_html import write_static_html

        size = write_static_html(_db(db_path), db_path, output)
        click.echo(f"已写入 {output}（{size / 1e6:.1f} MB）")

    @main.command(name="export")
    @db_option
    @click.option("--format", "fmt", type=click.Choice(["csv", "xlsx", "json"]), default="csv", show_default=True, help="导出格式。")
    @click.option("-o", "--output", type=click.Path(dir_okay=False), help="输出文件（csv/json 缺省写到标准输出；xlsx 缺省 findings.xlsx）。")
    def export_command(db_path, fmt, output):
        """导出全部发现及其复核结论与证据（每条发现一行），用于审计底稿。

        每份报告取最近一次审核的结果；列包括文件、sha256、检查、级别、说明、填报值、计算值、
        差额、单位、容差、证据引文及位置、fingerprint、复核结论、备注、复核人、复核时间。
        csv 带 UTF-8 BOM，Excel 可直接打开。
        """
        from . import export

        records = list(export.finding_records(_db(db_path)))
        if fmt == "xlsx":
            output = output or "findings.xlsx"
            export.to_xlsx(records, output)
        else:
            text = export.to_json(records) if fmt == "json" else export.to_csv(records)
            if output is None:
                sys.stdout.write(text)
                return
            Path(output).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        click.echo(f"已导出 {len(records)} 条发现到 {output}", err=True)

    @main.command(name="review")
    @click.argument("fingerprint")
    @click.option("--confirm", "decision", flag_value="confirmed", help="确认：确有问题。")
    @click.option("--dismiss", "decision", flag_value="dismissed", help="排除：误报。")
    @click.option("--note", help="复核备注。")
    @db_option
    @reviewer_option
    def review_command(fingerprint, decision, note, db_path, reviewer):
        """记录一条发现的复核结论（供脚本使用）；不给 --confirm/--dismiss 时显示其复核记录。

        FINGERPRINT 可只给开头几位（至少 4 位，须唯一），见 jixiao show、导出文件或复核网页。
        """
        db = _db(db_path)
        try:
            full = resolve_fingerprint(db, fingerprint)
            check_id, path = db.execute(
                "select f.check_id, d.first_path from findings f join documents d on d.sha256 = f.sha256 where f.fingerprint = ? limit 1",
                [full],
            ).fetchone()
            if decision is None:
                history = decision_history(db, full)
                click.echo(f"{full}  {check_id}  {path}：{STATUS_ZH[history[-1]['decision']] if history else STATUS_ZH['unreviewed']}")
                for h in history:
                    click.echo(f"  {h['decided_at']}  {STATUS_ZH[h['decision']]}  {h['reviewer']}" + (f"  {h['note']}" if h["note"] else ""))
                return
            review = record_decision(db, full, decision, note, reviewer)
        except JixiaoError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"{STATUS_ZH[review['decision']]}  {full}  {check_id}  {path}（复核人 {review['reviewer']}）")
