"""`jixiao serve`: the local review web app (Flask, served by werkzeug on 127.0.0.1 only).

Pages are rendered on the server from the SQLite store; the only write is
POST /api/decisions, which stores one decision at once. Every request opens its own
connection (the server is threaded and SQLite connections belong to one thread)."""
from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Optional

import sqlite_utils
from flask import Flask, abort, g, jsonify, request
from werkzeug.serving import make_server

from ..store import connect, unreadable_files
from .data import IndexFilter, filter_choices, load_report, load_summaries, open_review_db, totals
from .decisions import NOTE_MAX_CHARS, ReviewError, ReviewInputError, default_reviewer, record_decision
from .render import ServerLinks, catalogue_html, render

LOCAL_HOSTS = ("127.0.0.1", "localhost")
MAX_BODY_BYTES = 64 * 1024  # a decision is a fingerprint, a word and a note


def allowed_hosts(port: Optional[int]) -> set[str]:
    """Host header values this server answers to: the local names with its own port (browsers
    leave out :80). Without a port (Flask's test client) the bare names."""
    if port is None:
        return set(LOCAL_HOSTS)
    hosts = {f"{h}:{port}" for h in LOCAL_HOSTS}
    return hosts | set(LOCAL_HOSTS) if port == 80 else hosts


def create_app(db_path: str | Path, reviewer: Optional[str] = None, port: Optional[int] = None) -> Flask:
    """`port` is the one the server listens on: Host and Origin must name it exactly (`serve`
    sets it; set app.config["PORT"] when binding the app yourself)."""
    open_review_db(db_path)  # fail now, with one line, if there is nothing to review
    app = Flask(__name__, static_folder=None)  # CSS and JS are inlined into each page
    app.config.update(DB_PATH=str(db_path), REVIEWER=reviewer or default_reviewer(), PORT=port,
                      MAX_CONTENT_LENGTH=MAX_BODY_BYTES)

    def db() -> sqlite_utils.Database:
        if "db" not in g:
            g.db = connect(app.config["DB_PATH"])
        return g.db

    @app.teardown_appcontext
    def close_db(_exc) -> None:
        conn = g.pop("db", None)
        if conn is not None:
            conn.close()

    @app.before_request
    def local_only():
        # A page on another site must not reach this server through the browser: refuse any
        # Host but our own name and port (DNS rebinding), and writes from any other origin,
        # compared whole: scheme, host and port.
        hosts = allowed_hosts(app.config["PORT"])
        if request.host.lower() not in hosts:
            abort(403, description="只接受发往本机地址（127.0.0.1 / localhost 及本服务端口）的请求")
        if request.method != "GET":
            origin = request.headers.get("Origin")
            if origin is not None and origin.lower() not in {f"http://{h}" for h in hosts}:
                abort(403, description=f"拒绝来自 {origin} 的写入：只接受本页面发出的请求")
            if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
                abort(403, description="拒绝跨站写入")

    @app.errorhandler(403)
    def forbidden(exc):
        return jsonify(error=exc.description), 403

    @app.errorhandler(413)
    def too_large(_exc):
        return jsonify(error=f"请求过大：上限 {MAX_BODY_BYTES // 1024} KB（备注最多 {NOTE_MAX_CHARS} 字）"), 413

    def page(template: str, **context) -> str:
        return render(
            template, mode="server", db_name=Path(app.config["DB_PATH"]).name, reviewer=app.config["REVIEWER"], **context
        )

    @app.get("/")
    def index():
        summaries = load_summaries(db())
        filt = IndexFilter.from_args(request.args)
        rows = [s for s in summaries if filt.matches(s)]
        return page(
            "index.html", links=ServerLinks(filt), filt=vars(filt), rows=rows, choices=filter_choices(summaries),
            all_totals=totals(summaries), shown_totals=totals(rows), failures=unreadable_files(db()),
        )

    @app.get("/report/<sha256>")
    def report(sha256: str):
        summaries = load_summaries(db())
        view = load_report(db(), sha256, summaries)
        if view is None:
            abort(404, description=f"{sha256}: 数据库中没有这份报告")
        filt = IndexFilter.from_args(request.args)
        order = [s.sha256 for s in summaries if filt.matches(s)]
        if sha256 not in order:  # opened from outside the filter: step through all reports
            order = [s.sha256 for s in summaries]
        at = order.index(sha256)
        by_sha = {s.sha256: s for s in summaries}
        return page(
            "report.html", links=ServerLinks(filt), view=view,
            prev=by_sha[order[at - 1]] if at > 0 else None, next=by_sha[order[at + 1]] if at + 1 < len(order) else None,
        )

    @app.get("/checks")
    def checks():
        return page("checks.html", links=ServerLinks(), catalogue=catalogue_html())

    @app.post("/api/decisions")
    def decide():
        body = request.get_json(silent=True) if request.is_json else None
        if not isinstance(body, dict):
            return jsonify(error="请求须为 JSON：{fingerprint, decision, note}"), 400
        decision = body.get("decision") or None  # none: a note on its own
        try:
            review = record_decision(db(), str(body.get("fingerprint") or ""), decision, str(body.get("note") or ""), app.config["REVIEWER"])
        except ReviewInputError as exc:
            return jsonify(error=str(exc)), 400
        except ReviewError as exc:
            return jsonify(error=str(exc)), 404
        return jsonify(fingerprint=body["fingerprint"], review=review)

    return app


def serve(db_path: str | Path, port: int, reviewer: Optional[str] = None, on_ready=None) -> None:
    """Serve on 127.0.0.1 until interrupted; `on_ready(url)` is called once listening. The
    socket is bound here, so a port in use is an OSError for the caller to word (werkzeug
    would print its own English message and exit)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if os.name == "posix":  # rebind at once after a restart; a port another server listens on stays refused
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    bound = sock.getsockname()[1]
    app = create_app(db_path, reviewer, port=bound)
    server = make_server("127.0.0.1", bound, app, threaded=True, fd=sock.fileno())
    if on_ready:
        on_ready(f"http://127.0.0.1:{bound}/")
    try:
        server.serve_forever()
    finally:
        server.server_close()
        sock.close()
