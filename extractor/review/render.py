"""HTML shared by the review web app and the static review page: one Jinja environment, the
same templates, CSS and JS inlined (no CDN, works from file://), evidence highlighting and
the check catalogue. Only the links differ between the two (`ServerLinks`, `StaticLinks`)."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Optional
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..checks import CATALOGUE
from ..records import SEVERITY_ZH, Finding, display_number
from ..report import check_title
from .data import IndexFilter
from .decisions import NOTE_MAX_CHARS, STATUS_ZH, entry_zh

PACKAGE = files("extractor.review")
ROLE_ZH = {"stated": "填报", "part": "分项", "basis": "依据"}


def asset(name: str) -> str:
    return (PACKAGE / "assets" / name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(PACKAGE / "templates")),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["number"] = display_number
    env.filters["oneline"] = lambda text: " ".join(str(text).split())  # table quotes span tabs and lines
    env.globals.update(
        SEVERITY_ZH=SEVERITY_ZH, STATUS_ZH=STATUS_ZH, ROLE_ZH=ROLE_ZH, entry_zh=entry_zh, check_title=check_title,
        NOTE_MAX_CHARS=NOTE_MAX_CHARS, CHECK_NAMES={c.id: f"{c.id}  {c.title}" for c in CATALOGUE.values()},
        css=Markup(asset("review.css")), js=Markup(asset("review.js")), highlight=highlight_html, grid=grid_html,
    )
    return env


def render(template: str, **context) -> str:
    return environment().get_template(template).render(**context)


class ServerLinks:
    """Real URLs; the index filter travels along so [ and ] step through the filtered list."""

    check_target = "_blank"

    def __init__(self, filt: Optional[IndexFilter] = None):
        self.query = urlencode(filt.as_args()) if filt else ""

    def index(self) -> str:
        return "/" + (f"?{self.query}" if self.query else "")

    def report(self, sha256: str) -> str:
        return f"/report/{sha256}" + (f"?{self.query}" if self.query else "")

    def check(self, check_id: str) -> str:
        return f"/checks#{check_id}"


class StaticLinks:
    """In-page routes of the static file (hash routing, so file:// works)."""

    check_target = None

    def index(self) -> str:
        return "#"

    def report(self, sha256: str) -> str:
        return f"#report/{sha256}"

    def check(self, check_id: str) -> str:
        return f"#checks/{check_id}"


def highlight_html(text: str, findings: list[Finding], page_starts: list[int]) -> Markup:
    """The document text with every evidence span wrapped in <mark data-f="fingerprints">.

    Spans overlap (one total serves several findings), so the text is cut at every span
    boundary and each piece lists all findings that cover it. Offsets are Python string
    indices into the stored text, so cutting here (not in JS, whose strings are UTF-16)
    keeps them exact."""
    spans = [
        (e.span.start, e.span.end, f)
        for f in findings for e in f.evidence
        if 0 <= e.span.start < e.span.end <= len(text)
    ]
    page_of = {start: n for n, start in enumerate(page_starts, 1)} if len(page_starts) > 1 else {}
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans), *(p for p in page_of if p < len(text))})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        if a in page_of:
            out.append(f'<span class="page-break" data-page="{page_of[a]}"></span>')
        piece = escape(text[a:b])
        covering = [v for s, e, v in spans if s <= a and b <= e]
        if not covering:
            out.append(piece)
            continue
        out.append(evidence_mark(piece, a, covering))
    return Markup("".join(out))


def evidence_mark(content: str, start: int, covering: list[Finding]) -> str:
    """A piece of evidence (text or table cell) marked for every finding that cites it: the
    most severe one colours it; it is dimmed only when all of them were dismissed."""
    fps = " ".join(dict.fromkeys(f.fingerprint for f in covering))
    severity = min((f.severity for f in covering), key=lambda s: s.rank)
    dismissed = " dismissed" if all(f.status == "dismissed" for f in covering) else ""
    return f'<mark class="ev sev-{severity}{dismissed}" data-f="{fps}" data-s="{start}">{content}</mark>'


def grid_html(table: dict, text: str, findings: list[Finding]) -> Markup:
    """A rebuilt table drawn as a grid with its headers; the cells a finding cites are marked
    like the evidence in the text (same classes and data attributes, so selecting a finding
    lights up its cells too). A two-sided table (收入 | 支出) is drawn as its two halves."""
    spans = [(e.span.start, e.span.end, f) for f in findings for e in f.evidence]

    def cell(sp: Optional[list[int]], tag: str, cls: str = "") -> str:
        attr = f' class="{cls}"' if cls else ""
        if not sp or not (0 <= sp[0] < sp[1] <= len(text)):
            return f"<{tag}{attr}></{tag}>"
        content = escape(" ".join(text[sp[0]:sp[1]].split()))
        covering = [f for s, e, f in spans if s < sp[1] and sp[0] < e]
        if covering:
            content = Markup(evidence_mark(content, sp[0], covering))
        return f"<{tag}{attr}>{content}</{tag}>"

    halves = sorted({c["side"] for c in table["columns"]} | {r["side"] for r in table["rows"]})
    out = []
    for side in halves:
        columns = [i for i, c in enumerate(table["columns"]) if c["side"] == side]
        head = "".join(f"<th>{escape(table['columns'][i]['name'])}</th>" for i in columns)
        body = "".join(
            "<tr>" + cell(r["label_span"], "th", "label") + f'<td class="code">{escape(r["code"] or "")}</td>'
            + "".join(cell(r["cells"][i], "td") for i in columns) + "</tr>"
            for r in table["rows"] if r["side"] == side
        )
        out.append(f'<table class="grid"><thead><tr><th>项目</th><th>科目编码</th>{head}</tr></thead><tbody>{body}</tbody></table>')
    return Markup("".join(out))


@lru_cache(maxsize=1)
def catalogue_html() -> Markup:
    """docs/checks.md rendered (bundled in the package), anchors kept; if the bundled copy is
    missing, the catalogue's ids and titles from the code."""
    source = PACKAGE / "assets" / "checks.md"
    if source.is_file():
        from markdown_it import MarkdownIt

        md = MarkdownIt("commonmark", {"html": True}).enable("table")
        return Markup(md.render(source.read_text(encoding="utf-8")))
    items = "".join(
        f'<a id="{escape(c.id)}"></a><h2>{escape(c.id)} — {escape(c.title)}</h2><p>默认级别：{escape(c.severity)}</p>'
        for c in sorted(CATALOGUE.values(), key=lambda c: c.id)
    )
    return Markup(f"<h1>检查规则</h1>{items}")
