"""One store: every write is one explicit transaction that takes the write lock first, and
the SQL of the audit, the review views and decisions, the LLM ledger and eval runs lives in
extractor/store.py."""
from __future__ import annotations

import re
from pathlib import Path

from conftest import ROOT, SEEDS
from extractor.pipeline import AuditOptions, audit
from extractor.review.decisions import record_decision
from extractor.store import Store

WRITE = re.compile(r"^\s*(insert|update|delete|replace|create|drop|alter)\b", re.I)


def test_every_write_is_inside_a_begin_immediate_transaction(db_path):
    store = Store(db_path)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    list(audit([str(p) for p in SEEDS], store, AuditOptions()))
    fingerprint = store.db.execute("select fingerprint from findings limit 1").fetchone()[0]
    record_decision(store.db, fingerprint, "confirmed", "核对无误")
    store.llm_cache_put({"key": "k", "model": "m", "response": "{}", "dropped": "[]"})
    store.llm_log([{"sha256": "s", "kind": "call"}], {"sha256": "s", "status": "ok"})
    open_transaction, writes = False, 0
    for sql in statements:
        if sql.strip().upper() == "BEGIN IMMEDIATE":
            open_transaction = True
        elif sql.strip().upper() in ("COMMIT", "ROLLBACK"):
            open_transaction = False
        elif WRITE.match(sql):
            writes += 1
            assert open_transaction, sql[:80]
    assert writes > 10


def test_no_sql_outside_the_store():
    """The review views, the decisions and the commands ask the store; they hold no SQL."""
    sql = re.compile(r"\.execute(many)?\(|\"\s*(select|insert|update|delete)\s", re.I)
    offenders = []
    for path in sorted((ROOT / "extractor").rglob("*.py")):
        if path.name == "store.py":
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if sql.search(line):
                offenders.append(f"{Path(path).relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []


def test_a_stored_decimal_is_written_as_format_f_writes_it():
    """store._dec takes str's digits where str writes no exponent (speed only): the same text
    as format(value, "f") for every kind of value a figure holds, exponents both ways included."""
    from decimal import Decimal

    from extractor.store import _dec

    values = ["0", "-0", "0.00", "-0.00", "16,094,120.79", "1.50", "100", "0.000001", "0.0000001", "1E+2", "1e5", "123E-2",
              "0E-10", "-7.5E+3", "98.5", "Infinity", "-Infinity", "NaN"]
    values += [f"{n}E{e}" for n in ("1", "12", "-305", "4000") for e in range(-12, 8)]
    for text in values:
        value = Decimal(text.replace(",", ""))
        assert _dec(value) == format(value, "f"), text
    assert _dec(Decimal("1E+2")) == "100" and _dec(Decimal("1E-7")) == "0.0000001"  # the exponent cases do reach format
    assert _dec(None) is None


def test_short_hash_hashes_the_parts_as_before():
    """store.short_hash hashes its parts in one update (speed only): the same digest as one
    update per part and per separator, so stored ids and fingerprints do not change."""
    import hashlib
    from decimal import Decimal

    from extractor.records import Origin
    from extractor.store import short_hash

    def as_written(*parts):
        h = hashlib.sha256()
        for part in parts:
            h.update(str(part).encode("utf-8"))
            h.update(b"\x1f")
        return h.hexdigest()[:16]

    cases = [(), ("",), ("a", 1, None, 2.5), ("部门整体支出", Decimal("1E+1"), Origin.LLM, "x\x1fy"), tuple(range(30))]
    for parts in cases:
        assert short_hash(*parts) == as_written(*parts)


def test_a_figure_row_is_named_by_short_hash_of_its_place():
    """A figure row's id is short_hash over the analysis, the spans, the context, the measure
    and the role: stored ids stay the same from one version to the next."""
    from extractor.extract import extract
    from extractor.ingest import read_document
    from extractor.store import _hash_head, short_hash

    seen = []
    for path in SEEDS:
        doc = read_document(str(path))
        for f in extract(doc).figures:
            row = Store._figure_row("a1b2", doc, f)
            assert row[0] == short_hash("a1b2", f.span.start, f.span.end, f.quantity.span.start, f.context, f.measure, f.role)
            # as save_analysis makes it: the analysis id hashed once, each row going on from a copy
            assert Store._figure_row("a1b2", doc, f, _hash_head("a1b2")) == row
            seen.append(f)
    assert len(seen) > 100 and any(f.measure is None for f in seen) and any(f.measure for f in seen)


def test_a_document_s_figure_ids_hash_its_analysis_id_once(tmp_path, monkeypatch):
    """save_analysis hashes the analysis id once per document and goes on from copies for its
    figure rows (speed only): sha256 is started once for the figures, not once per figure."""
    import hashlib

    from extractor import store as store_module
    from extractor.extract import extract
    from extractor.ingest import read_document

    doc = read_document(str(SEEDS[0]))
    figures = extract(doc).figures
    started = []
    real = hashlib.sha256
    monkeypatch.setattr(store_module.hashlib, "sha256", lambda *a: started.append(a) or real(*a))
    Store(tmp_path / "a.db").save_analysis("a1b2", doc, "v", "o", figures, [], [])
    assert len(figures) > 20 and len(started) == 1


def test_none_binds_as_null_through_its_adapter(tmp_path):
    """store registers an adapter for None (speed only): sqlite3 finds it before its failing
    attribute lookups, and a None is stored as NULL as before, in execute and executemany."""
    import sqlite3

    import extractor.store  # noqa: F401  (registers the adapter)

    assert sqlite3.adapters.get((type(None), sqlite3.PrepareProtocol)) is not None
    conn = sqlite3.connect(str(tmp_path / "n.db"))
    conn.execute("create table t (a, b)")
    conn.execute("insert into t values (?, ?)", (None, 1))
    conn.executemany("insert into t values (?, ?)", [(None, None), ("x", None)])
    assert conn.execute("select a is null, b is null, typeof(a), typeof(b) from t order by rowid").fetchall() == [
        (1, 0, "null", "integer"), (1, 1, "null", "null"), (0, 1, "text", "null")]


def test_a_new_file_gets_the_schema_the_migrations_build(tmp_path):
    """A new database is given store.SCHEMA at once (speed only: no sqlite-utils import on the
    audit path); it must be what the migrations build, entry for entry in sqlite_master
    (page numbers aside), with every migration recorded as applied, in the same order."""
    import sqlite3
    import subprocess
    import sys

    from extractor import store as S

    S.Store(tmp_path / "new.db")
    conn = S._connect(tmp_path / "migrated.db")
    with S.write_transaction(conn):
        S.migration_set().apply(S._database(conn))
    conn.close()
    master = "select type, name, tbl_name, sql from sqlite_master order by rowid"
    applied = "select id, migration_set, name from _sqlite_migrations order by id"
    new, migrated = sqlite3.connect(tmp_path / "new.db"), sqlite3.connect(tmp_path / "migrated.db")
    assert new.execute(master).fetchall() == migrated.execute(master).fetchall()
    assert new.execute(applied).fetchall() == migrated.execute(applied).fetchall()
    assert [r[2] for r in new.execute(applied)] == [fn.__name__ for fn in S.MIGRATIONS]  # SCHEMA is up to date
    # a file at the current version opens without running (or importing) sqlite-utils at all
    code = ("import sys; from extractor.store import Store; Store(sys.argv[1]); Store(sys.argv[2]); "
            "print('sqlite_utils' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "new.db"), str(tmp_path / "migrated.db")],
                         cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_file_missing_a_migration_is_migrated(tmp_path):
    """An older file (here: the last migration not yet applied) still goes through sqlite-utils."""
    import sqlite3

    from extractor import store as S

    S.Store(tmp_path / "old.db")
    last = S.MIGRATIONS[-1].__name__
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.execute("delete from _sqlite_migrations where name = ?", (last,))
    conn.execute("drop table eval_cases")
    conn.execute("drop table eval_runs")
    conn.commit()
    conn.close()
    store = S.Store(tmp_path / "old.db")
    assert {"eval_runs", "eval_cases"} <= set(store.db.table_names())
    assert store.conn.execute("select name from _sqlite_migrations order by id desc limit 1").fetchone()[0] == last


def test_a_migration_newer_than_the_schema_still_runs_on_a_new_file(tmp_path, monkeypatch):
    """A migration added after SCHEMA was written (here: the last one, m005) runs through
    sqlite-utils after it, so a new file is complete whether or not SCHEMA was regenerated."""
    from extractor import store as S

    assert S.SCHEMA[-2].startswith('CREATE TABLE "eval_runs"') and S.SCHEMA_MIGRATIONS[-1] == "m005_eval_runs"
    monkeypatch.setattr(S, "SCHEMA", S.SCHEMA[:-2])
    monkeypatch.setattr(S, "SCHEMA_MIGRATIONS", S.SCHEMA_MIGRATIONS[:-1])
    store = S.Store(tmp_path / "new.db")
    assert {"eval_runs", "eval_cases"} <= set(store.db.table_names())
    assert [r[0] for r in store.conn.execute("select name from _sqlite_migrations order by id")] == [
        fn.__name__ for fn in S.MIGRATIONS]


def test_figures_are_migrated_to_an_index_by_analysis_with_their_rows(tmp_path, monkeypatch):
    """m009 rebuilds `figures` without the primary key on the random id (whose index every
    group's commit rewrote nearly whole): an older file keeps its rows, rowids and ids, the id
    stays unique within its analysis, and no index is led by the id any more."""
    import sqlite3

    from extractor import store as S

    path = tmp_path / "old.db"
    conn = S._connect(path)
    with monkeypatch.context() as m, S.write_transaction(conn):  # a file made before m009
        m.setattr(S, "MIGRATIONS", [fn for fn in S.MIGRATIONS if fn is not S.m009_figures_by_analysis])
        S.migration_set().apply(S._database(conn))
    rows = [(f"{i:016x}", "a1" if i < 3 else "a2", f"x{i}") for i in range(5)]
    conn.executemany("insert into figures (id, analysis_id, text) values (?, ?, ?)", rows)
    conn.execute("delete from figures where id = ?", (rows[1][0],))  # a gap in the rowids
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.conn.execute("select rowid, id, analysis_id, text from figures order by rowid").fetchall() == [
        (1, *rows[0]), (3, *rows[2]), (4, *rows[3]), (5, *rows[4])]
    indexes = store.conn.execute("select name, sql from sqlite_master where type = 'index' and tbl_name = 'figures'").fetchall()
    assert indexes == [("idx_figures_analysis_id_id", 'CREATE UNIQUE INDEX "idx_figures_analysis_id_id"\n    ON "figures" ("analysis_id", "id")')]
    # as with the primary key, a figure stored again under its id replaces the earlier row
    store.conn.execute("insert or replace into figures (id, analysis_id, text) values (?, ?, ?)", (rows[0][0], "a1", "again"))
    assert store.conn.execute("select rowid, text from figures where id = ?", (rows[0][0],)).fetchall() == [(6, "again")]
    assert [r[0] for r in store.conn.execute("select name from _sqlite_migrations order by id")][-1] == "m009_figures_by_analysis"
    assert sqlite3.connect(path).execute("pragma integrity_check").fetchone() == ("ok",)
