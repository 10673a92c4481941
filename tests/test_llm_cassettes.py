"""The LLM extractor replayed from vcrpy cassettes (record mode "none": no network).

The cassettes were recorded by tests/record_cassettes.py against tests/llm_server.py; each test
runs the real openai SDK + instructor + httpx2 stack, with vcrpy answering at the transport.
"""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from record_cassettes import CASSETTES, REPORT, SCENARIOS, document, flaky_client, make_vcr, run_scenario

from extractor.llm import LLMConfig
from extractor.store import Store


def replay(name: str, directory: Path = CASSETTES):
    assert (directory / f"{name}.yaml").exists(), f"missing cassette {name}: run python tests/record_cassettes.py"
    return make_vcr("none", directory).use_cassette(name)


def outcomes(result, chunk_start=None):
    rows = [r for r in result.calls if chunk_start is None or r["chunk_start"] == chunk_start]
    return [(r["kind"], r["outcome"]) for r in rows]


@pytest.mark.parametrize("name", ["valid_tools", "valid_json_schema"])
def test_valid_extraction_is_grounded_with_exact_offsets(name):
    with replay(name) as cassette:
        result, sleeps = run_scenario(SCENARIOS[name])
    assert cassette.all_played and cassette.play_count == 1  # both paragraphs in one request, the table left out
    assert sleeps == []
    doc = document(REPORT)
    got = [(f.label, doc.text[f.span.start : f.span.end], f.quantity.text, f.role) for f in result.figures]
    assert got == [
        ("部门整体支出", "部门整体支出1,023.89万元", "1,023.89万元", "level"),
        ("较上年增加", "较上年增加23.89万元", "23.89万元", "change"),
        ("基本支出", "基本支出623.89万元", "623.89万元", "level"),
        ("占", "占60.93%", "60.93%", "share"),
        ("项目支出", "项目支出400万元", "400万元", "level"),
        ("预算执行率", "全年预算执行率为98.5%", "98.5%", "rate"),
        ("城乡低保对象", "保障城乡低保对象1,139户", "1,139户", "count"),
        ("自评得分", "自评得分96.5分", "96.5分", "score"),
    ]
    for f in result.figures:
        assert doc.text[f.quantity.span.start : f.quantity.span.end] == f.quantity.text
        assert f.source == "llm" and f.context == "narrative"
    total, change, basic, share = result.figures[:4]
    assert (total.quantity.value, total.quantity.unit, total.quantity.scale) == (Decimal("1023.89"), "元", "万")
    assert total.canonical == "部门整体支出" and total.period == "2023" and total.subject.item == "部门整体支出"
    assert [f.canonical for f in (basic, result.figures[4])] == ["基本支出", "项目支出"]
    # the statement fields: a change is about its subject but is never the figure itself; a
    # share names its base
    assert (change.subject.item, change.canonical, change.confidence) == ("部门整体支出", None, "inherited")
    assert (share.subject.item, share.canonical, share.base) == ("基本支出", None, total)
    assert basic.confidence == "stated" and basic.sentence is not None
    assert doc.text[basic.sentence.start : basic.sentence.end].startswith("2023年度我局部门整体支出")
    (rel,) = result.relations
    assert rel.check == "sum.total_basic_project" and rel.exhaustive
    assert [p.label for p in rel.parts] == ["基本支出", "项目支出"]
    st = result.stats
    assert (st.calls, st.cache_hits, st.reasks, st.dropped, st.failures, st.chunks) == (1, 0, 0, 0, 0, 1)
    assert st.input_tokens > 0 and st.output_tokens > 0
    assert st.tokens_sent > st.narrative_tokens > 0 and st.token_counter
    # tables are parsed in code: no table cell text reaches the model
    for request in cassette.requests:
        body = json.loads(request.body)
        user = body["messages"][-1]["content"] if name == "valid_tools" else json.dumps(body["messages"], ensure_ascii=False)
        assert "410.00" not in user and "预算数（万元）" not in user
        assert body["model"] == "fake-model"


def test_hallucinated_quote_is_reasked_then_dropped_and_logged(tmp_path):
    store = Store(tmp_path / "a.db")
    with replay("hallucinated_dropped") as cassette:
        result, _ = run_scenario(SCENARIOS["hallucinated_dropped"], store=store)
    assert cassette.all_played
    first = result.calls[0]["chunk_start"]
    assert outcomes(result, first) == [("call", "validation-error"), ("reask", "validation-error"), ("reask", "validation-error")]
    assert "部门整体支出2,000万元" in result.calls[0]["error"]
    # the re-ask carries the grounding error back to the model
    reask = json.loads(cassette.requests[1].body)
    assert "在原文中找不到" in reask["messages"][-1]["content"] and reask["messages"][-1]["role"] == "tool"
    assert [f.quantity.text for f in result.figures] == ["623.89万元"]
    assert all("2000" not in f.quantity.text and "2,000" not in f.quantity.text for f in result.figures)
    assert result.stats.dropped == 1 and result.stats.reasks == 2 and result.stats.failures == 0
    (dropped,) = result.dropped
    assert dropped.kind == "figure" and "找不到" in dropped.reason and dropped.item["quote"] == "部门整体支出2,000万元"
    assert "丢弃 1 个无依据数字" in result.summary_line()
    row = store.db.execute("select status, dropped from llm_extractions where chunk_start = ?", [first]).fetchone()
    assert row[0] == "salvaged" and "部门整体支出2,000万元" in row[1]
    assert store.db.execute("select count(*) from llm_calls where kind = 'reask'").fetchone()[0] == 2


def test_reask_fixes_a_bad_answer():
    with replay("reask_fixed") as cassette:
        result, _ = run_scenario(SCENARIOS["reask_fixed"])
    assert cassette.all_played
    assert outcomes(result)[:2] == [("call", "validation-error"), ("reask", "ok")]
    assert len(result.figures) == 8 and result.stats.reasks == 1 and result.stats.dropped == 0


def test_malformed_json_is_reasked():
    with replay("malformed_json") as cassette:
        result, _ = run_scenario(SCENARIOS["malformed_json"])
    assert cassette.all_played
    assert outcomes(result)[:2] == [("call", "validation-error"), ("reask", "ok")]
    assert "json" in result.calls[0]["error"].lower()
    assert len(result.figures) == 8 and result.stats.reasks == 1


def test_rate_limit_honours_retry_after():
    with replay("rate_limited") as cassette:
        result, sleeps = run_scenario(SCENARIOS["rate_limited"])
    assert cassette.all_played
    assert sleeps == [7.0]
    assert outcomes(result)[:2] == [("call", "http-429"), ("transport-retry", "ok")]
    assert result.stats.calls == 2 and result.stats.reasks == 0 and len(result.figures) == 8


def test_server_errors_back_off_with_jitter():
    with replay("server_errors") as cassette:
        result, sleeps = run_scenario(SCENARIOS["server_errors"])
    assert cassette.all_played
    assert outcomes(result)[:3] == [("call", "http-5xx"), ("transport-retry", "http-5xx"), ("transport-retry", "ok")]
    assert len(sleeps) == 2 and 0 <= sleeps[0] <= 1.0 and 0 <= sleeps[1] <= 2.0  # full jitter under 1 s, 2 s
    assert len(result.figures) == 8


def test_timeout_is_retried():
    with replay("timeout_then_ok") as cassette:
        result, sleeps = run_scenario(SCENARIOS["timeout_then_ok"])
    assert cassette.all_played and cassette.play_count == 1
    assert outcomes(result)[:2] == [("call", "timeout"), ("transport-retry", "ok")]
    assert len(sleeps) == 1 and len(result.figures) == 8
    assert "APITimeoutError" in result.calls[0]["error"]


def test_timeouts_exhausted_fail_the_chunk_not_the_batch():
    sc = SCENARIOS["valid_tools"]
    with make_vcr("none").use_cassette("nothing-is-sent") as cassette:
        result, sleeps = run_scenario(sc, http_client=flaky_client(99))
    assert cassette.play_count == 0 and len(cassette.requests) == 0
    assert result.figures == [] and result.stats.failures == 1
    assert len(sleeps) == 4  # max_transport_retries
    assert [o for _k, o in outcomes(result)] == ["timeout"] * 5
    assert len(result.problems) == 1 and "APITimeoutError" in result.problems[0] and "\n" not in result.problems[0]
    assert "1 段失败" in result.summary_line()


def test_second_identical_run_is_served_from_cache(tmp_path):
    store = Store(tmp_path / "a.db")
    sc = SCENARIOS["valid_tools"]
    with replay("valid_tools") as cassette:
        first, _ = run_scenario(sc, store=store)
        assert cassette.play_count == 1
        second, _ = run_scenario(sc, store=store)
        assert cassette.play_count == 1  # zero HTTP requests the second time
    key = lambda r: [(f.label, f.span, f.quantity, f.canonical, f.role, f.subject, f.base) for f in r.figures]  # noqa: E731
    assert key(second) == key(first)
    assert [(r.check, r.span) for r in second.relations] == [(r.check, r.span) for r in first.relations]
    assert (second.stats.calls, second.stats.cache_hits, second.stats.input_tokens, second.stats.tokens_sent) == (0, 1, 0, 0)
    assert outcomes(second) == [("cache-hit", "ok")]
    assert "调用 0 次，缓存命中 1 次" in second.summary_line()
    usage = store.llm_usage(document(REPORT).sha256)
    assert usage["calls"] == 1 and usage["cache_hits"] == 1 and usage["input_tokens"] == first.stats.input_tokens


def test_use_cache_false_reads_nothing_but_still_writes(tmp_path):
    store = Store(tmp_path / "a.db")
    sc = SCENARIOS["valid_tools"]
    with replay("valid_tools"):
        run_scenario(sc, store=store)
    config = LLMConfig("http://127.0.0.1:8765/v1", "sk-test-not-a-key", "fake-model", concurrency=1, use_cache=False)
    with replay("valid_tools") as cassette:
        result, _ = run_scenario(sc, store=store, config=config)
    assert cassette.play_count == 1 and result.stats.cache_hits == 0
    assert store.db.execute("select count(*) from llm_cache").fetchone()[0] == 1


def test_failed_chunks_are_never_cached(tmp_path):
    store = Store(tmp_path / "a.db")
    with make_vcr("none").use_cassette("nothing-is-sent"):
        run_scenario(SCENARIOS["valid_tools"], store=store, http_client=flaky_client(99))
    assert store.db.execute("select count(*) from llm_cache").fetchone()[0] == 0
    assert store.db.execute("select count(*) from llm_calls where outcome = 'timeout'").fetchone()[0] == 5
    statuses = {r[0] for r in store.db.execute("select status from llm_extractions")}
    assert statuses == {"failed"}


REAL = sorted((CASSETTES / "real").glob("*.yaml"))


@pytest.mark.skipif(not REAL, reason="no real-endpoint cassettes recorded (python tests/record_cassettes.py --real)")
@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_real_endpoint_recordings_replay_grounded(path):
    from record_cassettes import Scenario

    side = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    config = LLMConfig(side["base_url"], "sk-replay", side["model"], mode=side["mode"], prompt_version=side["prompt_version"], concurrency=1)
    with replay(path.stem, path.parent):
        result, _ = run_scenario(Scenario(path.stem, text=side["text"]), config=config)
    doc = document(side["text"])
    for f in result.figures:
        assert doc.text[f.quantity.span.start : f.quantity.span.end] == f.quantity.text
        assert f.quantity.span.start >= f.span.start and f.quantity.span.end <= f.span.end
