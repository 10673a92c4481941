"""`jixiao serve`: the local review web app (Flask, served by werkzeug on 127.0.0.1 only).

Pages are rendered on the server from the SQLite store; the only write is
POST /api/decisions, which stores one decision at once. Every request opens its own
connection (the server is threaded and SQLite connections belong to one thread)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import sqlite_utils
from flask import Flask, abort, g, jsonify, request
from werkzeug.serving import make_server

from ..store import connect
from .data import IndexFilter, filter_choices, load_report, load_summaries, open_review_db, totals, unreadable_files
from .decisions import DECISIONS, ReviewError, default_reviewer, record_decision
from .render import ServerLinks, catalogue_html, render

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def create_app(db_path: str | Path, reviewer: Optional[str] = None) -> Flask:
    open_review_db(db_path)  # fail now, with one line, if there is nothing to review
    app = Flask(__name__, static_folder=None)  # CSS and JS are inlined into each page
    app.config.update(DB_PATH=str(db_path), REVIEWER=reviewer or default_reviewer())

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
        # A page on another site must not reach this server through the browser: refuse
        # foreign Host names (DNS rebinding) and cross-origin writes.
        if request.host.rsplit(":", 1)[0] not in LOCAL_HOSTS:
            abort(403)
        origin = request.headers.get("Origin")
        if request.method == "POST" and origin and origin.split("://")[-1].rsplit(":", 1)[0] not in LOCAL_HOSTS:
            abort(403)

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
        decision = body.get("decision")
        if decision not in DECISIONS:
            return jsonify(error="decision 只能是 confirmed 或 dismissed"), 400
        try:
            review = record_decision(db(), str(body.get("fingerprint") or ""), decision, str(body.get("note") or ""), app.config["REVIEWER"])
        except ReviewError as exc:
            return jsonify(error=str(exc)), 404
        return jsonify(fingerprint=body["fingerprint"], review=review)

    return app


def serve(db_path: str | Path, port: int, reviewer: Optional[str] = None, on_ready=None) -> None:
    """Serve on 127.0.0.1 until interrupted; `on_ready(url)` is called once listening."""
    app = create_app(db_path, reviewer)
    server = make_server("127.0.0.1", port, app, threaded=True)
    if on_ready:
        on_ready(f"http://127.0.0.1:{server.server_port}/")
    try:
        server.serve_forever()
    finally:
        server.server_close()
