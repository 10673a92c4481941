"""SQLite store (sqlite-utils, with migrations): documents, runs, analyses, figures, findings.

An *analysis* is one document read by one code version with one set of options; its id is
a hash of those three, so a rerun finds it and does nothing. A run writes finished documents
in groups, one transaction per group (`GROUP_DOCUMENTS` documents or `GROUP_SECONDS`), so a
crash mid-batch loses at most the open group, never part of an analysis.

Several processes share one database (two `jixiao audit` runs, `jixiao serve` taking
decisions, `jixiao review`): WAL mode lets readers go on beside a writer, every write is a
short `BEGIN IMMEDIATE` transaction (`write_transaction`) that waits for the write lock up
front — a deferred transaction that reads first and then wants to write fails at once,
without waiting, when another writer got in between — and a lock held longer than the busy
timeout is waited for again a few times before it becomes one line.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import random
import sqlite3
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional

from .errors import StoreError
from .records import Document, Figure, Finding, FiscalTable, Span
from .vocab import SEVERITY_ORDER

# sqlite-utils is imported only to run migrations on an existing file and for `Store.db`: the
# audit path, a new file included, uses sqlite3 alone (issue 14: the import costs ≈ 240 M
# instructions per process)
if TYPE_CHECKING:
    import sqlite_utils
    from sqlite_utils.migrations import Migrations

MIGRATIONS: list = []  # the migration functions, in the order sqlite-utils applies them


def _migration():
    def register(fn):
        MIGRATIONS.append(fn)
        return fn
    return register


def migration_set() -> "Migrations":
    from sqlite_utils.migrations import Migrations

    migrations = Migrations("jixiao")
    for fn in MIGRATIONS:
        migrations()(fn)
    return migrations


@_migration()
def m001_initial(db: sqlite_utils.Database) -> None:
    db["documents"].create(
        {"sha256": str, "format": str, "encoding": str, "chars": int, "pages": int, "text": str, "page_starts": str, "first_path": str},
        pk="sha256",
    )
    db["runs"].create(
        {"id": str, "code_version": str, "options": str, "started_at": float, "finished_at": float, "status": str, "documents": int, "errors": int},
        pk="id",
    )
    db["run_documents"].create(
        {"run_id": str, "path": str, "sha256": str, "analysis_id": str, "error": str},
        pk=("run_id", "path"),
        foreign_keys=[("run_id", "runs", "id")],
    )
    db["analyses"].create(
        {"id": str, "sha256": str, "code_version": str, "options_hash": str, "created_at": float, "figures": int, "findings": int, "problems": str},
        pk="id",
        foreign_keys=[("sha256", "documents", "sha256")],
    )
    db["figures"].create(
        {
            "id": str, "analysis_id": str, "sha256": str, "label": str, "canonical": str, "qualifier": str, "period": str,
            "value": str, "unit": str, "scale": str, "op": str, "decimals": int, "text": str,
            "start": int, "end": int, "page": int, "source": str, "context": str,
        },
        pk="id",
        foreign_keys=[("analysis_id", "analyses", "id")],
    )
    db["findings"].create(
        {
            "id": str, "analysis_id": str, "sha256": str, "fingerprint": str, "check_id": str, "severity": str,
            "message": str, "stated": str, "computed": str, "difference": str, "tolerance": str, "unit": str,
            "evidence": str, "start": int, "page": int,
        },
        pk="id",
        foreign_keys=[("analysis_id", "analyses", "id")],
    )
    db["findings"].create_index(["sha256"])
    db["findings"].create_index(["analysis_id"])
    db["figures"].create_index(["analysis_id"])


def short_hash(*parts: Any) -> str:
    # each part then a unit separator, hashed in one update (speed only: the same bytes as one
    # update per part and per separator; a figure row takes one)
    joined = "\x1f".join(map(str, parts)) + "\x1f" if parts else ""  # = "".join(str(p) + "\x1f" for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def _hash_head(first: Any) -> Any:
    """The hash of short_hash's first part, to go on from a copy for each row sharing it."""
    return hashlib.sha256(f"{first}\x1f".encode("utf-8"))


def fingerprint(sha256: str, finding: Finding) -> str:
    """Stable across reruns and code changes that keep the evidence: document + check + spans."""
    spans = ",".join(f"{e.span.start}-{e.span.end}" for e in finding.evidence)
    return short_hash(sha256, finding.check, spans)


def _dec(value: Optional[Decimal]) -> Optional[str]:
    if value is None:
        return None
    # = format(value, "f"): str writes the same digits wherever it writes no exponent (speed
    # only: a third of the cost, for every figure stored)
    text = str(value)
    return format(value, "f") if "E" in text else text


GROUP_DOCUMENTS = 100  # documents per write transaction in a batch …
GROUP_SECONDS = 1.0  # … or fewer when they took this long: a crash loses at most this much work
# FULL: every commit survives a power cut too. With a commit per group of documents its fsync
# costs nothing measurable (bench/bench_store.py: 0.64 ms/document at FULL and at NORMAL with
# groups of 100, against 1.23 and 0.96 with a commit per document), so nothing is traded away.
SYNCHRONOUS = "FULL"
BUSY_TIMEOUT_S = 30.0  # SQLite's own wait for a lock, per attempt
LOCK_ATTEMPTS = 4  # attempts at the write lock before giving up (about two minutes in all)

# speed only (issue 14): sqlite3 binds an int, float or str as it is, but sends any other value,
# None too, through its adapter protocol, which looks up __adapt__ and __conform__ and fails
# both (raising and clearing an AttributeError each time): ≈ 2 500 instructions per NULL, and
# a figure row has a dozen (2.6 % of a 400-report run). A registered adapter is found first;
# this one is dict.get on an empty dict, a C call that gives None back, which binds as NULL
# exactly as before.
sqlite3.register_adapter(type(None), {}.get)


def _connect(path: str | Path, synchronous: Optional[str] = None) -> sqlite3.Connection:
    """A connection that waits for locks (SQLite's busy timeout) instead of failing at once."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S)
    conn.execute(f"PRAGMA synchronous={synchronous or SYNCHRONOUS}")  # per connection, not stored in the file
    return conn


def _database(conn: sqlite3.Connection) -> "sqlite_utils.Database":
    import sqlite_utils

    # no sqlite-utils plugins: the store uses none, and looking for them scans every installed
    # package's entry points (importlib.metadata), 15-25 ms of every command that opens it
    return sqlite_utils.Database(conn, execute_plugins=False)


def connect(path: str | Path, synchronous: Optional[str] = None) -> "sqlite_utils.Database":
    """A connection that waits for locks (SQLite's busy timeout) instead of failing at once."""
    return _database(_connect(path, synchronous))


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


@contextmanager
def write_transaction(db: "sqlite_utils.Database | sqlite3.Connection", what: str = "写入") -> Iterator[Any]:
    """One short write transaction that takes the write lock first (BEGIN IMMEDIATE), waiting
    for another writer and trying again if it holds on; rolled back on any exception,
    KeyboardInterrupt included. Nested inside an open transaction it is a savepoint.
    `db` (a sqlite-utils Database or a bare sqlite3 connection) is what is yielded."""
    conn = db if isinstance(db, sqlite3.Connection) else db.conn
    if conn.in_transaction:
        with (_database(conn) if db is conn else db).atomic():
            yield db
        return
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        try:
            conn.execute("BEGIN IMMEDIATE")
            break
        except sqlite3.OperationalError as exc:
            if not _locked(exc) or attempt == LOCK_ATTEMPTS:
                raise StoreError(f"数据库被其他进程占用，{what}等待约 {int(BUSY_TIMEOUT_S * attempt)} 秒后放弃：{exc}") from exc
            time.sleep(random.uniform(0.05, 0.5) * attempt)
    try:
        yield db
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _open(path: str | Path, synchronous: Optional[str] = None) -> sqlite3.Connection:
    """Connect, switch to WAL and apply pending migrations, all safe against another process
    doing the same at the same moment."""
    conn = _connect(path, synchronous)
    for attempt in range(1, LOCK_ATTEMPTS + 1):
        try:
            conn.execute("PRAGMA journal_mode=WAL")  # persistent; a no-op once set
            break
        except sqlite3.OperationalError as exc:
            if not _locked(exc) or attempt == LOCK_ATTEMPTS:
                raise
            time.sleep(random.uniform(0.05, 0.5) * attempt)
    if not _migrated(conn):
        with write_transaction(conn, "升级数据库"):
            if conn.execute("select 1 from sqlite_master limit 1").fetchone() is None:
                create_schema(conn)  # a new file (seen empty under the lock)
            if not _migrated(conn):  # an older file, or a migration newer than SCHEMA
                migration_set().apply(_database(conn))  # re-reads what is applied, under the lock
    return conn


def _migrated(conn: sqlite3.Connection) -> bool:
    """Every migration is recorded as applied (what sqlite-utils' `Migrations.pending` reads)."""
    if conn.execute("select 1 from sqlite_master where type = 'table' and name = '_sqlite_migrations'").fetchone() is None:
        return False
    applied = {r[0] for r in conn.execute("select name from _sqlite_migrations where migration_set = 'jixiao'")}
    return applied.issuperset(fn.__name__ for fn in MIGRATIONS)


# What all the migrations build in a new file, statement by statement as sqlite_master holds
# it (tests/test_store.py builds a file both ways and compares them): a new file gets it at
# once, with each migration it includes recorded as sqlite-utils records it; a migration added
# later and not yet in it still runs through sqlite-utils.
SCHEMA_MIGRATIONS = ("m001_initial", "m002_llm", "m003_incomplete_analyses", "m004_reviews", "m006_review_notes",
                     "m007_statements", "m008_table_grids", "m009_figures_by_analysis", "m005_eval_runs")
SCHEMA = (
    'CREATE TABLE "_sqlite_migrations" (\n   "id" INTEGER PRIMARY KEY,\n   "migration_set" TEXT,\n   "name" TEXT,\n   "applied_at" TEXT\n)',
    'CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"\n    ON "_sqlite_migrations" ("migration_set", "name")',
    'CREATE TABLE "documents" (\n   "sha256" TEXT PRIMARY KEY,\n   "format" TEXT,\n   "encoding" TEXT,\n   "chars" INTEGER,\n   "pages" INTEGER,\n   "text" TEXT,\n   "page_starts" TEXT,\n   "first_path" TEXT\n)',
    'CREATE TABLE "runs" (\n   "id" TEXT PRIMARY KEY,\n   "code_version" TEXT,\n   "options" TEXT,\n   "started_at" REAL,\n   "finished_at" REAL,\n   "status" TEXT,\n   "documents" INTEGER,\n   "errors" INTEGER\n)',
    'CREATE TABLE "run_documents" (\n   "run_id" TEXT REFERENCES "runs"("id"),\n   "path" TEXT,\n   "sha256" TEXT,\n   "analysis_id" TEXT,\n   "error" TEXT,\n   PRIMARY KEY ("run_id", "path")\n)',
    'CREATE TABLE "analyses" (\n   "id" TEXT PRIMARY KEY,\n   "sha256" TEXT REFERENCES "documents"("sha256"),\n   "code_version" TEXT,\n   "options_hash" TEXT,\n   "created_at" REAL,\n   "figures" INTEGER,\n   "findings" INTEGER,\n   "problems" TEXT\n, "incomplete" INTEGER, "kind" TEXT, "year" TEXT, "tables" TEXT)',
    'CREATE TABLE "findings" (\n   "id" TEXT PRIMARY KEY,\n   "analysis_id" TEXT REFERENCES "analyses"("id"),\n   "sha256" TEXT,\n   "fingerprint" TEXT,\n   "check_id" TEXT,\n   "severity" TEXT,\n   "message" TEXT,\n   "stated" TEXT,\n   "computed" TEXT,\n   "difference" TEXT,\n   "tolerance" TEXT,\n   "unit" TEXT,\n   "evidence" TEXT,\n   "start" INTEGER,\n   "page" INTEGER\n)',
    'CREATE INDEX "idx_findings_sha256"\n    ON "findings" ("sha256")',
    'CREATE INDEX "idx_findings_analysis_id"\n    ON "findings" ("analysis_id")',
    'CREATE TABLE "llm_cache" (\n   "key" TEXT PRIMARY KEY,\n   "model" TEXT,\n   "prompt_version" TEXT,\n   "prompt_hash" TEXT,\n   "schema_hash" TEXT,\n   "mode" TEXT,\n   "chunk_sha256" TEXT,\n   "response" TEXT,\n   "dropped" TEXT,\n   "created_at" REAL\n)',
    'CREATE TABLE "llm_calls" (\n   "id" INTEGER PRIMARY KEY,\n   "sha256" TEXT,\n   "chunk_start" INTEGER,\n   "chunk_end" INTEGER,\n   "base_url" TEXT,\n   "model" TEXT,\n   "prompt_version" TEXT,\n   "prompt_hash" TEXT,\n   "mode" TEXT,\n   "attempt" INTEGER,\n   "kind" TEXT,\n   "input_tokens" INTEGER,\n   "output_tokens" INTEGER,\n   "latency_ms" REAL,\n   "outcome" TEXT,\n   "error" TEXT,\n   "cache_key" TEXT,\n   "created_at" REAL\n)',
    'CREATE INDEX "idx_llm_calls_sha256"\n    ON "llm_calls" ("sha256")',
    'CREATE TABLE "llm_extractions" (\n   "id" INTEGER PRIMARY KEY,\n   "sha256" TEXT,\n   "chunk_start" INTEGER,\n   "chunk_end" INTEGER,\n   "cache_key" TEXT,\n   "model" TEXT,\n   "prompt_version" TEXT,\n   "prompt_hash" TEXT,\n   "mode" TEXT,\n   "status" TEXT,\n   "figures" INTEGER,\n   "relations" INTEGER,\n   "dropped" TEXT,\n   "problem" TEXT,\n   "created_at" REAL\n)',
    'CREATE INDEX "idx_llm_extractions_sha256"\n    ON "llm_extractions" ("sha256")',
    'CREATE TABLE "reviews" (\n            id integer primary key,\n            fingerprint text not null,\n            sha256 text,\n            check_id text,\n            decision text check (decision in (\'confirmed\', \'dismissed\')),\n            note text,\n            reviewer text,\n            decided_at text not null,\n            check (decision is not null or note is not null)\n        )',
    'CREATE INDEX "idx_reviews_fingerprint"\n    ON "reviews" ("fingerprint")',
    'CREATE VIEW latest_reviews as select * from reviews where id in (select max(id) from reviews where decision is not null group by fingerprint)',
    'CREATE TABLE "figures" (\n   "id" TEXT,\n   "analysis_id" TEXT REFERENCES "analyses"("id"),\n   "sha256" TEXT,\n   "label" TEXT,\n   "canonical" TEXT,\n   "qualifier" TEXT,\n   "period" TEXT,\n   "value" TEXT,\n   "unit" TEXT,\n   "scale" TEXT,\n   "op" TEXT,\n   "decimals" INTEGER,\n   "text" TEXT,\n   "start" INTEGER,\n   "end" INTEGER,\n   "page" INTEGER,\n   "source" TEXT,\n   "context" TEXT,\n   "subject" TEXT,\n   "subject_name" TEXT,\n   "scope" TEXT,\n   "part" TEXT,\n   "measure" TEXT,\n   "role" TEXT,\n   "confidence" TEXT,\n   "table_title" TEXT,\n   "table_row" TEXT,\n   "table_column" TEXT\n)',
    'CREATE UNIQUE INDEX "idx_figures_analysis_id_id"\n    ON "figures" ("analysis_id", "id")',
    'CREATE TABLE "eval_runs" (\n   "id" TEXT PRIMARY KEY,\n   "created_at" REAL,\n   "sets" TEXT,\n   "extractor" TEXT,\n   "settings" TEXT,\n   "metrics" TEXT,\n   "breakdowns" TEXT\n)',
    'CREATE TABLE "eval_cases" (\n   "run_id" TEXT REFERENCES "eval_runs"("id"),\n   "set_name" TEXT,\n   "case_name" TEXT,\n   "layout" TEXT,\n   "tp" INTEGER,\n   "fp" INTEGER,\n   "fn" INTEGER,\n   "result" TEXT,\n   PRIMARY KEY ("run_id", "set_name", "case_name")\n)',
)


def create_schema(conn: sqlite3.Connection) -> None:
    """Give a new, empty file the whole schema at once, each migration recorded as applied."""
    for sql in SCHEMA:
        conn.execute(sql)
    conn.executemany("insert into _sqlite_migrations (migration_set, name, applied_at) values ('jixiao', ?, ?)",
                     [(name, str(datetime.datetime.now(datetime.timezone.utc))) for name in SCHEMA_MIGRATIONS])


# `qualifier` (always NULL) is left out: a column not named is stored as NULL all the same
FIGURE_COLUMNS = (
    "id", "analysis_id", "sha256", "label", "canonical", "period", "value", "unit", "scale", "op", "decimals",
    "text", "start", "end", "page", "source", "context", "subject", "subject_name", "scope", "part", "measure", "role",
    "confidence", "table_title", "table_row", "table_column",
)
FINDING_COLUMNS = (
    "id", "analysis_id", "sha256", "fingerprint", "check_id", "severity", "message", "stated", "computed", "difference",
    "tolerance", "unit", "evidence", "start", "page",
)
DOCUMENT_COLUMNS = ("sha256", "format", "encoding", "chars", "pages", "text", "page_starts", "first_path")
ANALYSIS_COLUMNS = ("id", "sha256", "code_version", "options_hash", "created_at", "figures", "findings", "problems",
                    "incomplete", "kind", "year", "tables")
INPUT_COLUMNS = ("run_id", "path", "sha256", "analysis_id", "error")


def _insert_sql(table: str, columns: tuple[str, ...], verb: str = "insert") -> str:
    names = ", ".join(f"[{c}]" for c in columns)
    return f"{verb} into [{table}] ({names}) values ({', '.join('?' * len(columns))})"


def _upsert_sql(table: str, columns: tuple[str, ...], key: tuple[str, ...]) -> str:
    """Insert, or update every other column of the row with this key (its rowid is kept)."""
    updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in columns if c not in key)
    return f"{_insert_sql(table, columns)} on conflict ({', '.join(key)}) do update set {updates}"


class _Group:
    """Rows of finished documents not yet written: one transaction writes them all."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.documents: dict[str, tuple] = {}
        self.analyses: dict[str, tuple] = {}
        self.figures: list[tuple] = []
        self.findings: list[tuple] = []
        self.inputs: dict[tuple[str, str], tuple] = {}
        # the LLM extractor's cache rows (by key) and ledger rows, written in the same transaction
        self.llm_cache: dict[str, dict] = {}
        self.llm_calls: list[dict] = []
        self.llm_extractions: list[dict] = []

    def __bool__(self) -> bool:
        return bool(self.documents or self.analyses or self.inputs or self.llm_cache or self.llm_calls or self.llm_extractions)


class Store:
    def __init__(self, path: str | Path, synchronous: Optional[str] = None):
        try:
            self.conn = _open(path, synchronous)
        except StoreError as exc:
            raise StoreError(f"{path}: {exc}") from exc
        except Exception as exc:  # a locked or corrupt file: say which
            raise StoreError(f"{path}: 无法打开或升级数据库: {type(exc).__name__}: {exc}") from exc
        self.path = str(path)
        self._group: Optional[_Group] = None  # rows of finished documents waiting for their transaction
        self._grouping: Optional[tuple[int, float]] = None  # (documents, seconds) while a run is open
        self._db: Optional["sqlite_utils.Database"] = None

    @property
    def db(self) -> "sqlite_utils.Database":
        """The connection as a sqlite-utils Database (review views, eval runs), made when first asked for."""
        if self._db is None:
            self._db = _database(self.conn)
        return self._db

    def write(self, what: str = "写入") -> Any:
        return write_transaction(self.conn, what)

    def _pending(self) -> _Group:
        if self._group is None:
            self._group = _Group()
        return self._group

    def _document_done(self) -> None:
        """A document's last row was queued: write the group now if it is full or old."""
        group = self._group
        if self._grouping is None:
            self.flush()
        elif group is not None:
            documents, seconds = self._grouping
            if len(group.inputs) >= documents or time.monotonic() - group.started >= seconds:
                self.flush()

    def flush(self) -> None:
        """Write the open group in one transaction (nothing of it stays behind if it fails)."""
        group, self._group = self._group, None
        if not group:
            return
        try:
            with self.write("保存审核结果"):
                conn = self.conn
                conn.executemany(_insert_sql("documents", DOCUMENT_COLUMNS, "insert or ignore"), group.documents.values())
                ids = [(aid,) for aid in group.analyses]
                conn.executemany("delete from figures where analysis_id = ?", ids)
                conn.executemany("delete from findings where analysis_id = ?", ids)
                conn.executemany(_insert_sql("figures", FIGURE_COLUMNS, "insert or replace"), group.figures)
                conn.executemany(_insert_sql("findings", FINDING_COLUMNS, "insert or replace"), group.findings)
                conn.executemany(_upsert_sql("analyses", ANALYSIS_COLUMNS, ("id",)), group.analyses.values())
                conn.executemany(_upsert_sql("run_documents", INPUT_COLUMNS, ("run_id", "path")), group.inputs.values())
                for row in group.llm_cache.values():  # only the columns given are set, as sqlite-utils' upsert does
                    conn.execute(_upsert_sql("llm_cache", tuple(row), ("key",)), tuple(row.values()))
                for table, rows in (("llm_calls", group.llm_calls), ("llm_extractions", group.llm_extractions)):
                    for row in rows:
                        conn.execute(_insert_sql(table, tuple(row)), tuple(row.values()))
        except StoreError:
            raise
        except sqlite3.Error as exc:
            lost = max(len(group.inputs), len(group.analyses))
            raise StoreError(f"{self.path}: 写入数据库失败（{exc}）；最近 {lost} 份的结果未保存，再次运行可补上") from exc

    # -- runs
    def start_run(self, run_id: str, code_version: str, options: dict,
                  group_documents: Optional[int] = None, group_seconds: Optional[float] = None) -> None:
        """Until `finish_run`, finished documents (`save_analysis`, `record_input`) are written
        together: one transaction per `group_documents` documents or per `group_seconds`,
        whichever comes first. A process killed meanwhile loses at most the open group, which
        a rerun analyses again; `finish_run` (complete, aborted or interrupted) writes the rest."""
        self.flush()
        self._grouping = (group_documents or GROUP_DOCUMENTS, group_seconds or GROUP_SECONDS)
        with self.write():  # as sqlite-utils' upsert did: the columns given set, the others kept
            self.conn.execute(_upsert_sql("runs", ("id", "code_version", "options", "started_at", "status"), ("id",)), (
                run_id, code_version, json.dumps(options, ensure_ascii=False, sort_keys=True), time.time(), "running"))

    def finish_run(self, run_id: str, documents: int, errors: int, status: str = "complete") -> None:
        self._grouping = None
        self.flush()  # the finished documents first: an interrupted run keeps them
        with self.write():
            self.conn.execute("update runs set finished_at = ?, status = ?, documents = ?, errors = ? where id = ?",
                              (time.time(), status, documents, errors, run_id))

    def record_input(self, run_id: str, path: str, sha256: Optional[str], analysis_id: Optional[str], error: Optional[str]) -> None:
        self._pending().inputs[(run_id, path)] = (run_id, path, sha256, analysis_id, error)
        self._document_done()

    # -- analyses
    def has_analysis(self, analysis_id: str) -> bool:
        """A complete analysis exists (one with a failed LLM chunk is redone on the next run)."""
        if self._group is not None and analysis_id in self._group.analyses:
            self.flush()  # the same document twice in one group: read it back like any other
        row = self.conn.execute("select 1 from analyses where id = ? and coalesce(incomplete, 0) = 0", [analysis_id]).fetchone()
        return bool(row)

    def save_analysis(
        self, analysis_id: str, doc: Document, code_version: str, options_hash: str,
        figures: Iterable[Figure], findings: list[Finding], problems: list[str], complete: bool = True,
        kind: Optional[str] = None, year: Optional[str] = None, tables: Iterable[FiscalTable] = (),
    ) -> None:
        """Document, figures, findings, the rebuilt tables (for the review page's grids) and the
        analysis marker, written in one transaction (with the rest of their group while a run is
        open); any earlier rows of this analysis go."""
        # every figure's id hashes the analysis id first: hashed once, each id goes on from a copy
        # (speed only: the same digest as short_hash over the same parts)
        head = _hash_head(analysis_id)
        figure_rows = [self._figure_row(analysis_id, doc, f, head) for f in figures]
        finding_rows = [self._finding_row(analysis_id, doc, f) for f in findings]
        group = self._pending()
        group.documents.setdefault(doc.sha256, (
            doc.sha256, doc.format, doc.encoding, len(doc.text), len(doc.pages), doc.text,
            json.dumps([p.start for p in doc.pages]), doc.path,
        ))
        if analysis_id in group.analyses:  # analysed twice in one group: the later rows stand
            group.figures = [r for r in group.figures if r[1] != analysis_id]
            group.findings = [r for r in group.findings if r[1] != analysis_id]
        group.figures.extend(figure_rows)
        group.findings.extend(finding_rows)
        group.analyses[analysis_id] = (
            analysis_id, doc.sha256, code_version, options_hash, time.time(), len(figure_rows), len(finding_rows),
            json.dumps(problems, ensure_ascii=False), int(not complete), kind, year,
            # (no cycle check: the grids are fresh dicts and lists of plain values, which cannot hold
            # themselves; the same text, without a lookup per dict and list; speed only)
            json.dumps([table_grid_json(doc, t) for t in tables], ensure_ascii=False, check_circular=False) if tables else None,
        )
        if self._grouping is None:  # outside a run: a document is its own group
            self.flush()

    @staticmethod
    def _figure_row(analysis_id: str, doc: Document, f: Figure, head: Optional[Any] = None) -> tuple:
        q = f.quantity
        subject, cell = f.subject, f.cell
        if head is None:
            head = _hash_head(analysis_id)
        digest = head.copy()  # = short_hash(analysis_id, f.span.start, f.span.end, q.span.start, f.context, f.measure, f.role)
        digest.update(f"{f.span.start}\x1f{f.span.end}\x1f{q.span.start}\x1f{f.context}\x1f{f.measure}\x1f{f.role}\x1f".encode("utf-8"))
        return (
            digest.hexdigest()[:16],
            analysis_id, doc.sha256, f.label, f.canonical, f.period, _dec(q.value), q.unit, q.scale,
            q.op, q.decimals, q.text, f.span.start, f.span.end, doc.page_of(f.span.start), str(f.source), f.context,
            subject.item if subject else None, subject.name if subject else None,
            subject.scope if subject else None, subject.part if subject else None,
            f.measure, f.role, f.confidence,
            cell.table if cell else None, cell.row if cell else None, cell.column if cell else None,
        )

    @staticmethod
    def _finding_row(analysis_id: str, doc: Document, f: Finding) -> tuple:
        fp = f.fingerprint or fingerprint(doc.sha256, f)  # pipeline.analyse named it already
        first = f.evidence[0] if f.evidence else None
        return (
            short_hash(analysis_id, fp), analysis_id, doc.sha256, fp, f.check, str(f.severity), f.message, _dec(f.stated),
            _dec(f.computed), _dec(f.difference), _dec(f.tolerance), f.unit,
            json.dumps([e.to_json() | {"role": e.role} for e in f.evidence], ensure_ascii=False),
            first.span.start if first else None, first.page if first else None,
        )

    # -- reading back
    def analysis_meta(self, analysis_id: str) -> dict:
        """An analysis's document kind, year and problems."""
        row = self.conn.execute("select kind, year, problems from analyses where id = ?", [analysis_id]).fetchone()
        if row is None:
            return {}
        return {"kind": row[0], "year": row[1], "problems": json.loads(row[2] or "[]")}

    def findings_for(self, analysis_id: str) -> list[dict]:
        return findings_of(self.conn, analysis_id)

    def attach_reviews(self, findings: list[Finding]) -> None:
        """Give each finding its decision in force (`review`, None when none), so a rerun shows
        what the auditor already decided instead of presenting it as new."""
        # speed only: a store without any review (most) is asked that once per document, in a
        # cached statement, rather than by an IN list of this document's fingerprints
        reviewed = bool(findings) and self.conn.execute("select exists (select 1 from reviews)").fetchone()[0]
        decided = latest_reviews(self.conn, [f.fingerprint for f in findings]) if reviewed else {}
        for f in findings:
            f.review = decided.get(f.fingerprint)

    def latest_analysis(self, sha256: str) -> Optional[str]:
        row = self.conn.execute("select id from analyses where sha256 = ? order by created_at desc limit 1", [sha256]).fetchone()
        return row[0] if row else None

    def document_text(self, sha256: str) -> Optional[str]:
        row = self.conn.execute("select text from documents where sha256 = ?", [sha256]).fetchone()
        return row[0] if row else None

    def resolve(self, ident: str) -> Optional[tuple[str, str, Optional[str]]]:
        """(sha256, path, finding fingerprint or None) for a path seen in a run, a full or
        prefixed document sha256, or a prefixed finding fingerprint."""
        row = self.conn.execute(
            "select sha256, path from run_documents where path = ? and sha256 is not null order by rowid desc limit 1", [ident]
        ).fetchone()
        if row:
            return row[0], row[1], None
        if len(ident) >= 6:
            docs = self.conn.execute("select sha256, first_path from documents where sha256 like ? limit 2", [ident + "%"]).fetchall()
            if len(docs) == 1:
                return docs[0][0], docs[0][1], None
            hits = self.conn.execute(
                "select distinct f.sha256, d.first_path, f.fingerprint from findings f join documents d on d.sha256 = f.sha256"
                " where f.fingerprint like ? limit 2",
                [ident + "%"],
            ).fetchall()
            if len(hits) == 1:
                return hits[0][0], hits[0][1], hits[0][2]
        return None

    # -- LLM extractor (extractor/llm); written from the thread that runs the extraction
    # Cache and ledger rows join the open group of finished documents during a run (speed,
    # issue 14: two transactions per document, each with its fsync, held the batch loop
    # ≈15 ms per document), and are written at once outside one. A process killed mid-run
    # loses the open group's rows with its documents, which the rerun asks for again.
    def llm_cache_get(self, key: str) -> Optional[dict]:
        queued = self._group.llm_cache.get(key) if self._group is not None else None
        if queued is not None and "response" in queued:
            return {"response": queued["response"], "dropped": queued.get("dropped")}
        if queued is not None:
            self.flush()  # a partial row queued: read back what it completes
        row = self.conn.execute("select response, dropped from llm_cache where key = ?", [key]).fetchone()
        return {"response": row[0], "dropped": row[1]} if row else None

    def llm_cache_put(self, row: dict) -> None:
        cache = self._pending().llm_cache
        row = {**row, "created_at": time.time()}
        cache[row["key"]] = {**cache[row["key"]], **row} if row["key"] in cache else row
        self._llm_queued()

    def llm_log(self, calls: list[dict], extraction: Optional[dict] = None) -> None:
        """Ledger rows for one chunk's HTTP attempts (or its cache hit) and its result, together."""
        group = self._pending()
        group.llm_calls.extend(calls)
        if extraction:
            group.llm_extractions.append({**extraction, "created_at": time.time()})
        self._llm_queued()

    def _llm_queued(self) -> None:
        if self._grouping is None:  # no run open: nothing else will write the group
            self.flush()

    def llm_usage(self, sha256: Optional[str] = None) -> dict:
        """Totals from the ledger, for one document or all: HTTP attempts, cache hits, tokens, re-asks."""
        where, args = ("where sha256 = ?", [sha256]) if sha256 else ("", [])
        row = self.conn.execute(
            "select coalesce(sum(kind != 'cache-hit'), 0), coalesce(sum(kind = 'cache-hit'), 0), "
            "coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), coalesce(sum(kind = 'reask'), 0), "
            f"count(distinct sha256) from llm_calls {where}",
            args,
        ).fetchone()
        return dict(zip(["calls", "cache_hits", "input_tokens", "output_tokens", "reasks", "documents"], row))


# ---- LLM extractor (extractor/llm): response cache, per-attempt call ledger, chunk results ----


@_migration()
def m002_llm(db: sqlite_utils.Database) -> None:
    db["llm_cache"].create(
        {
            "key": str, "model": str, "prompt_version": str, "prompt_hash": str, "schema_hash": str, "mode": str,
            "chunk_sha256": str, "response": str, "dropped": str, "created_at": float,
        },
        pk="key",
    )
    db["llm_calls"].create(
        {
            "id": int, "sha256": str, "chunk_start": int, "chunk_end": int, "base_url": str, "model": str,
            "prompt_version": str, "prompt_hash": str, "mode": str, "attempt": int, "kind": str,
            "input_tokens": int, "output_tokens": int, "latency_ms": float, "outcome": str, "error": str,
            "cache_key": str, "created_at": float,
        },
        pk="id",
    )
    db["llm_calls"].create_index(["sha256"])
    db["llm_extractions"].create(
        {
            "id": int, "sha256": str, "chunk_start": int, "chunk_end": int, "cache_key": str, "model": str,
            "prompt_version": str, "prompt_hash": str, "mode": str, "status": str, "figures": int, "relations": int,
            "dropped": str, "problem": str, "created_at": float,
        },
        pk="id",
    )
    db["llm_extractions"].create_index(["sha256"])


@_migration()
def m003_incomplete_analyses(db: sqlite_utils.Database) -> None:
    """An analysis whose LLM extraction had a failed chunk is stored but not reused."""
    db["analyses"].add_column("incomplete", int)


# ---- review decisions (extractor/review): keyed by finding fingerprint, so they outlive analyses ----


@_migration()
def m004_reviews(db: sqlite_utils.Database) -> None:
    # Append-only: a changed mind is a new row; the latest row per fingerprint is the decision.
    db.execute(
        """create table reviews (
            id integer primary key,
            fingerprint text not null,
            sha256 text,
            check_id text,
            decision text not null check (decision in ('confirmed', 'dismissed')),
            note text,
            reviewer text,
            decided_at text not null
        )"""
    )
    db["reviews"].create_index(["fingerprint"])
    db.execute(
        "create view latest_reviews as select * from reviews"
        " where id in (select max(id) from reviews group by fingerprint)"
    )


@_migration()
def m006_review_notes(db: sqlite_utils.Database) -> None:
    """A note may be recorded without a decision (`jixiao review FP --note …`, a note saved in
    the browser): `decision` becomes nullable. SQLite cannot change a column's constraints in
    place, so the table is rebuilt with its rows and ids."""
    db.execute("drop view latest_reviews")
    db.execute(
        """create table reviews_m006 (
            id integer primary key,
            fingerprint text not null,
            sha256 text,
            check_id text,
            decision text check (decision in ('confirmed', 'dismissed')),
            note text,
            reviewer text,
            decided_at text not null,
            check (decision is not null or note is not null)
        )"""
    )
    db.execute("insert into reviews_m006 select id, fingerprint, sha256, check_id, decision, note, reviewer, decided_at from reviews")
    db.execute("drop table reviews")
    db.execute("alter table reviews_m006 rename to reviews")
    db["reviews"].create_index(["fingerprint"])
    # the decision in force: the newest decision per fingerprint (a later note alone does not change it)
    db.execute(
        "create view latest_reviews as select * from reviews"
        " where id in (select max(id) from reviews where decision is not null group by fingerprint)"
    )


@_migration()
def m007_statements(db: sqlite_utils.Database) -> None:
    """Figures as statements (subject, scope, measure, role, table cell); the document kind."""
    for column in ("subject", "subject_name", "scope", "part", "measure", "role", "confidence", "table_title", "table_row", "table_column"):
        db["figures"].add_column(column, str)
    db["analyses"].add_column("kind", str)
    db["analyses"].add_column("year", str)


def table_grid_json(doc: Document, t: FiscalTable) -> dict:
    """A rebuilt standard table as the review page draws it: headers, and per row the label,
    code and one [start, end] text span per column (null for a blank cell)."""

    def span(sp: Optional[Span]) -> Optional[list[int]]:
        return [sp.start, sp.end] if sp is not None else None

    columns = range(len(t.columns))
    return {
        "title": t.title, "kind": t.kind, "unit": ("万元" if t.scale == "万" else "元"), "unit_stated": t.unit_stated,
        "page": doc.page_of(t.title_span.start), "span": span(t.span),
        "columns": [{"name": c.name, "side": c.side} for c in t.columns],
        "rows": [{"label": r.label, "code": r.code, "side": r.side, "label_span": span(r.label_span), "cells": _cell_spans(r.cells, columns)}
                 for r in t.rows],
    }


def _cell_spans(cells: dict, columns: range) -> list:
    """Per column, a row's cell as [start, end], null where it is blank: `[span(cells[i].span) if
    i in cells else None for i in columns]` (speed only: no call per cell; a cell's quantity
    always has its span)."""
    out = []
    for i in columns:
        q = cells.get(i)
        out.append(None if q is None else [q.span.start, q.span.end])
    return out


@_migration()
def m008_table_grids(db: sqlite_utils.Database) -> None:
    if "tables" not in db["analyses"].columns_dict:
        db["analyses"].add_column("tables", str)


@_migration()
def m009_figures_by_analysis(db: sqlite_utils.Database) -> None:
    """Figures are read and deleted by analysis, never by id alone, but the id was the primary
    key: an index on a random hash, where each figure went to a random page, so every group's
    commit rewrote nearly all of that index (issue 14: KB written per document grew from 190
    to 900 over 4,000 documents). The id is now unique per analysis, in one index that serves
    the lookups by analysis too; as the id hashes the analysis id, it is still unique
    everywhere. SQLite cannot drop a primary key, so the table is rebuilt, rows and rowids kept."""
    columns = db["figures"].columns_dict
    db["figures_m009"].create(columns, foreign_keys=[("analysis_id", "analyses", "id")])
    names = ", ".join(f"[{c}]" for c in columns)
    db.execute(f"insert into figures_m009 (rowid, {names}) select rowid, {names} from figures")
    db.execute("drop table figures")
    db.execute("alter table figures_m009 rename to figures")
    db["figures"].create_index(["analysis_id", "id"], unique=True)


# ---- eval runs (extractor/evaluate.py, `jixiao eval`) ----


@_migration()
def m005_eval_runs(db: sqlite_utils.Database) -> None:
    db["eval_runs"].create(
        {"id": str, "created_at": float, "sets": str, "extractor": str, "settings": str, "metrics": str, "breakdowns": str},
        pk="id",
    )
    db["eval_cases"].create(
        {"run_id": str, "set_name": str, "case_name": str, "layout": str, "tp": int, "fp": int, "fn": int, "result": str},
        pk=("run_id", "set_name", "case_name"),
        foreign_keys=[("run_id", "eval_runs", "id")],
    )


def save_eval_run(store: Store, run: Any) -> None:
    """An `evaluate.EvalRun` and its cases, in one transaction."""
    data = run.to_json()
    with store.write():
        store.db["eval_runs"].upsert(
            {"id": run.id, "created_at": run.created_at, "sets": json.dumps(run.sets, ensure_ascii=False), "extractor": run.extractor,
             "settings": json.dumps(run.settings, ensure_ascii=False), "metrics": json.dumps(run.metrics),
             "breakdowns": json.dumps(run.breakdowns, ensure_ascii=False)},
            pk="id",
        )
        store.db["eval_cases"].upsert_all(
            [{"run_id": run.id, "set_name": c["set"], "case_name": c["case"], "layout": c["layout"], "tp": len(c["tp"]),
              "fp": len(c["fp"]), "fn": len(c["fn"]), "result": json.dumps(c, ensure_ascii=False)} for c in data["cases"]],
            pk=("run_id", "set_name", "case_name"),
        )


def list_eval_runs(store: Store, limit: int = 20) -> list[dict]:
    """The newest eval runs with their headline metrics, per set, for `jixiao eval --list`."""
    if "eval_runs" not in store.db.table_names():
        return []
    out = []
    for row in store.db.query("select * from eval_runs order by created_at desc limit ?", [limit]):
        per_set = json.loads(row["breakdowns"]).get("set", {})
        out.append({"id": row["id"], "created_at": row["created_at"], "extractor": row["extractor"],
                    "sets": json.loads(row["sets"]), "metrics": json.loads(row["metrics"]), "per_set": per_set})
    return out


def load_eval_run(store: Store, ident: str) -> Optional[dict]:
    """The JSON form of a stored eval run, by id or unique id prefix ("latest" for the newest)."""
    if ident == "latest":
        rows = list(store.db.query("select * from eval_runs order by created_at desc limit 1"))
    else:
        rows = list(store.db.query("select * from eval_runs where id like ? limit 2", [ident + "%"]))
    if len(rows) != 1:
        return None
    run = rows[0]
    cases = [json.loads(r["result"]) for r in store.db.query(
        "select result from eval_cases where run_id = ? order by set_name, case_name", [run["id"]])]
    return {"id": run["id"], "created_at": run["created_at"], "sets": json.loads(run["sets"]), "extractor": run["extractor"],
            "settings": json.loads(run["settings"]), "metrics": json.loads(run["metrics"]),
            "breakdowns": json.loads(run["breakdowns"]), "cases": cases}


# ---- reading for the review views and decisions (extractor/review): all of their SQL ----

_CHUNK = 500  # values per IN list, far below SQLite's bound-variable limit
# findings worst first, as the terminal lists them
BY_SEVERITY = "case severity " + " ".join(f"when '{s}' then {r}" for s, r in SEVERITY_ORDER.items()) + " else 9 end"


def query_rows(db: sqlite_utils.Database, sql: str, params: Iterable = ()) -> list[dict]:
    cursor = db.execute(sql, list(params))
    cols = [c[0] for c in cursor.description]
    return [dict(zip(cols, r)) for r in cursor.fetchall()]


def _rows_in(db: sqlite_utils.Database, sql: str, values: list) -> list[dict]:
    """`sql` has one `{marks}` placeholder for an IN list, run over `values` in chunks."""
    rows: list[dict] = []
    for i in range(0, len(values), _CHUNK):
        chunk = values[i : i + _CHUNK]
        rows += query_rows(db, sql.format(marks=",".join("?" * len(chunk))), chunk)
    return rows


def findings_of(db: sqlite_utils.Database, analysis_id: str) -> list[dict]:
    """An analysis's finding rows, worst first, then by position."""
    return query_rows(db, f"select * from findings where analysis_id = ? order by {BY_SEVERITY}, start", [analysis_id])


def has_analyses(db: sqlite_utils.Database) -> bool:
    return db.execute("select 1 from analyses limit 1").fetchone() is not None


def latest_analyses(db: sqlite_utils.Database) -> dict[str, tuple[str, str]]:
    """sha256 -> (analysis id, path) from the most recent run that read the document; a
    document stored without a run falls back to its newest analysis."""
    picked: dict[str, tuple[str, str]] = {}
    for sha, path, analysis in db.execute(
        "select rd.sha256, rd.path, rd.analysis_id from run_documents rd join runs r on r.id = rd.run_id"
        " join analyses a on a.id = rd.analysis_id order by r.started_at desc, rd.rowid desc"
    ).fetchall():
        picked.setdefault(sha, (analysis, path))
    for sha, analysis, path in db.execute(
        "select a.sha256, a.id, d.first_path from analyses a join documents d on d.sha256 = a.sha256 order by a.created_at desc"
    ).fetchall():
        picked.setdefault(sha, (analysis, path))
    return picked


def document_heads(db: sqlite_utils.Database, sha256s: list[str], chars: int) -> list[dict]:
    """sha256, format and the first `chars` characters of each document."""
    return _rows_in(db, f"select sha256, format, substr(text, 1, {int(chars)}) as head from documents where sha256 in ({{marks}})", sha256s)


def finding_labels(db: sqlite_utils.Database, analysis_ids: list[str]) -> list[dict]:
    """analysis_id, fingerprint, check_id and severity of every finding of these analyses."""
    return _rows_in(db, "select analysis_id, fingerprint, check_id, severity from findings where analysis_id in ({marks})", analysis_ids)


def analysis_kinds(db: sqlite_utils.Database, analysis_ids: list[str]) -> list[dict]:
    """id, document kind and year of these analyses (none before migration m007)."""
    if "kind" not in db["analyses"].columns_dict:
        return []
    return _rows_in(db, "select id, kind, year from analyses where id in ({marks})", analysis_ids)


def analysis_tables(db: sqlite_utils.Database, analysis_id: str) -> list[dict]:
    """The rebuilt tables stored with an analysis (`table_grid_json`), or none."""
    if "tables" not in db["analyses"].columns_dict:
        return []
    row = db.execute("select tables from analyses where id = ?", [analysis_id]).fetchone()
    return json.loads(row[0]) if row and row[0] else []


def document_text(db: sqlite_utils.Database, sha256: str) -> Optional[tuple[str, list[int]]]:
    """A document's stored text and page starts."""
    row = db.execute("select text, page_starts from documents where sha256 = ?", [sha256]).fetchone()
    return (row[0], json.loads(row[1] or "[]")) if row else None


def unreadable_files(db: sqlite_utils.Database, limit: int = 200) -> list[str]:
    """One-line read errors of files that no later run read successfully."""
    rows = db.execute(
        "select rd.error from run_documents rd join runs r on r.id = rd.run_id where rd.error is not null"
        " and not exists (select 1 from run_documents ok join runs r2 on r2.id = ok.run_id"
        "   where ok.path = rd.path and ok.error is null and r2.started_at > r.started_at)"
        " order by r.started_at desc limit ?",
        [limit],
    ).fetchall()
    return list(dict.fromkeys(r[0] for r in rows))


def finding_subject(db: sqlite_utils.Database, fingerprint: str) -> Optional[tuple[str, str, str]]:
    """(document sha256, check id, the document's first path) of a stored finding."""
    row = db.execute(
        "select f.sha256, f.check_id, d.first_path from findings f left join documents d on d.sha256 = f.sha256"
        " where f.fingerprint = ? limit 1", [fingerprint],
    ).fetchone()
    return tuple(row) if row else None


def fingerprints_starting(db: sqlite_utils.Database, prefix: str, limit: int = 3) -> list[str]:
    return [r[0] for r in db.execute(
        "select distinct fingerprint from findings where fingerprint like ? order by fingerprint limit ?", [prefix + "%", limit]
    ).fetchall()]


def add_review(db: sqlite_utils.Database, row: dict) -> None:
    """Append one decision or note to `reviews`, in its own write transaction."""
    with write_transaction(db, "记录复核结论"):
        db["reviews"].insert(row)


def review_rows(db: sqlite_utils.Database, fingerprints: Optional[Iterable[str]] = None) -> list[dict]:
    """Every review row (or those of these fingerprints), oldest first."""
    if fingerprints is None:
        return query_rows(db, "select * from reviews order by id")
    rows = _rows_in(db, "select * from reviews where fingerprint in ({marks}) order by id", list(dict.fromkeys(fingerprints)))
    return sorted(rows, key=lambda r: r["id"])


def review_counts(db: sqlite_utils.Database) -> dict[str, int]:
    """fingerprint -> number of review rows."""
    return dict(db.execute("select fingerprint, count(*) from reviews group by fingerprint").fetchall())


REVIEW_FIELDS = ("decision", "note", "reviewer", "decided_at")


def latest_reviews(db: sqlite_utils.Database, fingerprints: Optional[Iterable[str]] = None) -> dict[str, dict]:
    """fingerprint -> the review in force: the newest decision (None when only notes were
    written), the note, reviewer and time of the newest entry."""
    out: dict[str, dict] = {}
    for r in review_rows(db, fingerprints):
        review = out.setdefault(r["fingerprint"], {"decision": None})
        if r["decision"] is not None:
            review["decision"] = r["decision"]
        review.update(note=r["note"], reviewer=r["reviewer"], decided_at=r["decided_at"])
    return {fp: {k: review.get(k) for k in REVIEW_FIELDS} for fp, review in out.items()}
