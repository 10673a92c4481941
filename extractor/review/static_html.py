"""`jixiao html`: the review views as one self-contained file for colleagues who do not run
the tool. Same templates, CSS and JS as `jixiao serve`; decisions are shown, not written.

Every report's view is rendered here and embedded as inert text (`<script type="text/html">`),
which the browser stores without parsing; the page shows the index and turns one fragment
into DOM only when that report is opened, so a file with 500 reports opens quickly."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import sqlite_utils
from markupsafe import Markup

from ..store import unreadable_files
from .data import IndexFilter, filter_choices, load_report, load_summaries, totals
from .render import StaticLinks, catalogue_html, render


def build_static_html(db: sqlite_utils.Database, db_name: str) -> str:
    summaries = load_summaries(db)
    links = StaticLinks()
    common = {
        "mode": "static", "links": links, "db_name": db_name,
        "generated_at": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"),
    }
    fragments = []
    for summary in summaries:
        view = load_report(db, summary.sha256, summaries)
        html = render("_report.html", view=view, prev=None, next=None, **common)
        # Text and notes are escaped, so this only guards the templates themselves.
        if "</script" in html.lower() or "<!--" in html:
            raise ValueError(f"{summary.path}: 报告片段会提前结束其 <script> 容器")
        fragments.append((summary.sha256, Markup(html)))
    return render(
        "static.html", filt=vars(IndexFilter()), rows=summaries, choices=filter_choices(summaries),
        all_totals=totals(summaries), shown_totals=totals(summaries), failures=unreadable_files(db),
        catalogue=catalogue_html(), fragments=fragments, **common,
    )


def write_static_html(db: sqlite_utils.Database, db_path: str | Path, out: str | Path) -> int:
    """Write the file (atomically, never over the database); returns its size in bytes."""
    from ..outputs import atomic_write

    return atomic_write(str(out), build_static_html(db, Path(db_path).name).encode("utf-8"), str(db_path))
