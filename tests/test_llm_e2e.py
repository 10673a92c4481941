"""The LLM extractor end to end against the fake OpenAI-compatible server on 127.0.0.1, started
inside each test: the real openai SDK, instructor and httpx2 run unpatched (no vcrpy)."""
from __future__ import annotations

import socket

import pytest

from llm_server import FakeLLMServer, Reply, labelled, rules_responder, source_of
from record_cassettes import GOOD, REPORT, document

from extractor.ingest import read_document
from extractor.llm import LLMConfig, LLMConfigError, LLMEndpointError, LLMExtractor, extract_figures_llm, extract_many, merge_figures
from extractor.llm.chunk import chunk_narrative
from extractor.narrative import extract_narrative
from extractor.segment import segment
from extractor.store import Store


def no_sleep(_seconds: float) -> None:
    pass


def config_for(server: FakeLLMServer, **kw) -> LLMConfig:
    return LLMConfig(server.base_url, "sk-test", "fake-model", **kw)


def run(doc, config, store=None, **kw):
    return extract_figures_llm(doc, segment(doc).narrative, config, store, sleep=kw.pop("sleep", no_sleep), **kw)


def test_seed_report_end_to_end_only_narrative_is_sent(seed_paths):
    doc = read_document(str(seed_paths[0]))
    seg = segment(doc)
    rules = extract_narrative(doc, seg.narrative)
    with FakeLLMServer(responder=rules_responder) as server:
        result = run(doc, config_for(server, concurrency=3))
        sent = [source_of(r) for r in server.requests]
    assert server.count == result.stats.calls == result.stats.chunks == 1  # the whole report in one request
    # every piece sent lies inside a narrative span; table text never goes out
    (chunk,) = chunk_narrative(doc.text, seg.narrative)
    assert sent == [chunk.text]
    for _pos, start, end in chunk.pieces:
        assert any(s.start <= start and end <= s.end for s in seg.narrative)
    for grid in seg.grids:
        for row in grid.rows:
            for cell in row:
                if len(cell.text) > 12 and cell.text not in doc.text[seg.narrative[0].start : seg.narrative[-1].end]:
                    assert all(cell.text not in t for t in sent)
    # the model (here: the rules, as a model would answer) is grounded number for number; a
    # number the rules read without a label is not reported (its label would be the number)
    assert [f.quantity.span for f in result.figures] == sorted({f.quantity.span for f in labelled(rules.figures)})
    for f in result.figures:
        assert doc.text[f.quantity.span.start : f.quantity.span.end] == f.quantity.text
        assert f.span.start <= f.quantity.span.start and f.quantity.span.end <= f.span.end
    assert {r.check for r in result.relations} >= {"sum.total_basic_project", "sum.basic_breakdown"}
    # merged with the rule figures nothing is added twice
    assert len(merge_figures(rules.figures, result.figures)) == len(rules.figures)


def test_results_do_not_depend_on_completion_order(seed_paths):
    docs = [read_document(str(p)) for p in seed_paths]
    items = [(d, segment(d).narrative) for d in docs]
    with FakeLLMServer(responder=rules_responder) as server:
        serial = extract_many(items, config_for(server, concurrency=1, chunk_tokens=300), None, sleep=no_sleep)
        parallel = extract_many(items, config_for(server, concurrency=4, chunk_tokens=300), None, sleep=no_sleep)
    assert len(serial) == len(parallel) == 4
    for a, b in zip(serial, parallel):
        assert [(f.span, f.quantity, f.label) for f in a.figures] == [(f.span, f.quantity, f.label) for f in b.figures]
        assert [(r.check, r.span) for r in a.relations] == [(r.check, r.span) for r in b.relations]
        assert (a.stats.calls, a.stats.input_tokens, a.stats.output_tokens) == (b.stats.calls, b.stats.input_tokens, b.stats.output_tokens)
    assert sum(r.stats.chunks for r in serial) > 4  # 300-token chunks: several per long report


def test_results_do_not_depend_on_completion_order_in_one_pool_for_the_run(seed_paths):
    """The pipeline's loop (`ordered`): documents submitted while earlier ones wait, answers that
    come back in reverse order, and still every document's result in input order, equal to a
    serial run's."""
    import threading
    import time as clock

    docs = [read_document(str(p)) for p in seed_paths] * 2
    items = [(d, segment(d).narrative) for d in docs]
    arrived = []
    lock = threading.Lock()

    def slow_first(request):
        with lock:
            arrived.append(clock.monotonic())
            n = len(arrived)
        clock.sleep(max(0.0, 0.3 - 0.05 * n))  # the first requests answer last
        return rules_responder(request)

    with FakeLLMServer(responder=rules_responder) as server:
        serial = extract_many(items, config_for(server, concurrency=1, chunk_tokens=300), None, sleep=no_sleep)
    with FakeLLMServer(responder=slow_first) as server:
        extractor = LLMExtractor(config_for(server, concurrency=6, chunk_tokens=300), None, sleep=no_sleep)
        finished = []
        try:
            out = list(extractor.ordered(range(len(items)), lambda i: i, lambda i: (*items[i], None),
                                         lambda i, _p, answer: (finished.append(i), answer)[1]))
        finally:
            extractor.close()
        peak = server.count
    assert finished == list(range(len(items)))
    assert peak == sum(r.stats.calls for r in serial) > 6
    for a, b in zip(serial, out):
        assert [(f.span, f.quantity, f.label, f.role, f.subject) for f in a.figures] == [(f.span, f.quantity, f.label, f.role, f.subject) for f in b.figures]
        assert [(r.check, r.span) for r in a.relations] == [(r.check, r.span) for r in b.relations]
        assert (a.stats.calls, a.stats.tokens_sent) == (b.stats.calls, b.stats.tokens_sent)


def test_cache_hit_makes_no_request(tmp_path):
    store = Store(tmp_path / "a.db")
    doc = document(REPORT)
    with FakeLLMServer([Reply.extraction(GOOD)]) as server:
        first = run(doc, config_for(server, concurrency=1), store)
        assert server.count == 1
        second = run(doc, config_for(server, concurrency=1), store)
        assert server.count == 1
    assert second.stats.cache_hits == 1 and second.stats.calls == 0
    assert [f.span for f in second.figures] == [f.span for f in first.figures]


def test_chunk_text_is_never_read_as_a_template():
    text = "本年支出{{ x }}共计{% if %}120万元{# 注 #}。\n"
    doc = document(text)
    payload = {"figures": [{"quote": "共计{% if %}120万元", "label": "共计", "value": "120", "unit": "万元"}], "relations": []}
    with FakeLLMServer([Reply.extraction(payload)]) as server:
        result = run(doc, config_for(server))
        sent = source_of(server.requests[0])
    assert sent == text.strip()
    (fig,) = result.figures
    assert doc.text[fig.quantity.span.start : fig.quantity.span.end] == "120万元"


def test_truncated_answer_is_split_and_asked_again():
    doc = document(REPORT.split("二、")[0] * 3)  # one narrative span of ~420 characters
    with FakeLLMServer([Reply.extraction({"figures": []}, finish_reason="length")], responder=rules_responder) as server:
        result = run(doc, config_for(server))
    assert server.count == 3  # the truncated answer, then one request per half
    assert [r["outcome"] for r in result.calls][0] == "error"
    assert len(result.figures) == 21 and result.stats.failures == 0  # seven figures, three times


def test_wrong_key_is_one_clear_error(tmp_path):
    with FakeLLMServer([Reply.status(401, "Incorrect API key provided")]) as server:
        with pytest.raises(LLMEndpointError) as err:
            run(document(REPORT), config_for(server), Store(tmp_path / "a.db"))
    message = str(err.value)
    assert server.base_url in message and "401" in message and "\n" not in message


def test_unreachable_endpoint_is_one_clear_error():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}/v1"
    sleeps: list[float] = []
    with pytest.raises(LLMEndpointError) as err:
        run(document(REPORT), LLMConfig(base_url, "sk-test", "m", concurrency=1, max_transport_retries=2), sleep=sleeps.append)
    message = str(err.value)
    assert message.startswith(f"LLM 端点 {base_url} 不可用：无法连接") and "\n" not in message
    assert len(sleeps) == 2  # transport retries, then the error; the second chunk is not tried


@pytest.mark.parametrize(
    "env, problem",
    [
        ({"OPENAI_BASE_URL": "https://api.deepseek.com/v1", "JIXIAO_MODEL": "deepseek-chat"}, "OPENAI_API_KEY"),
        ({"OPENAI_API_KEY": "sk-x"}, "JIXIAO_MODEL"),
        ({"OPENAI_API_KEY": "sk-x", "JIXIAO_MODEL": "m", "JIXIAO_LLM_MODE": "xml"}, "mode"),
        ({"OPENAI_API_KEY": "sk-x", "JIXIAO_MODEL": "m", "OPENAI_BASE_URL": "api.openai.com/v1"}, "http"),
        ({"OPENAI_API_KEY": "sk-x", "JIXIAO_MODEL": "m", "JIXIAO_LLM_PRESET": "nope"}, "预设"),
    ],
)
def test_missing_settings_are_one_line_config_errors(env, problem):
    with pytest.raises(LLMConfigError) as err:
        LLMConfig.from_env(env=env)
    assert problem in str(err.value) and "\n" not in str(err.value)


def test_from_env_defaults_and_presets():
    local = LLMConfig.from_env(env={"OPENAI_BASE_URL": "http://localhost:8080/v1", "JIXIAO_MODEL": "qwen2.5-7b"})
    assert local.api_key == "EMPTY" and local.mode == "md_json"
    assert LLMConfig.from_env(env={"OPENAI_API_KEY": "k", "JIXIAO_MODEL": "gpt-4o-mini"}).mode == "tools"
    assert LLMConfig.from_env(env={"OPENAI_BASE_URL": "https://dashscope.aliyuncs.com/compatible-mode/v1", "OPENAI_API_KEY": "k", "JIXIAO_MODEL": "qwen-plus"}).mode == "tools"
    assert LLMConfig.from_env(env={"OPENAI_BASE_URL": "https://open.bigmodel.cn/api/paas/v4", "OPENAI_API_KEY": "k", "JIXIAO_MODEL": "glm-4"}).mode == "tools"
    assert LLMConfig.from_env(env={"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1", "JIXIAO_MODEL": "qwen2.5"}).mode == "json_schema"
    vllm = LLMConfig.from_env(env={"JIXIAO_LLM_PRESET": "vllm", "JIXIAO_MODEL": "Qwen/Qwen2.5-7B-Instruct"})
    assert (vllm.base_url, vllm.mode, vllm.api_key) == ("http://localhost:8000/v1", "json_schema", "EMPTY")
    explicit = LLMConfig.from_env("m2", "json", env={"OPENAI_API_KEY": "k", "JIXIAO_MODEL": "m1"}, concurrency=8)
    assert (explicit.model, explicit.mode, explicit.concurrency) == ("m2", "json", 8)
    assert "api_key" not in explicit.fingerprint()


def test_requests_leave_first_and_the_rules_read_while_they_are_out(seed_paths):
    """`ordered` (speed, issue 14): while a request slot is free the next documents are read and
    submitted before `after_submit` (the rules' reading) runs; every reading still runs once,
    before its document is finished, and results come in input order. The slots count the
    requests in flight, never more than `concurrency` at once."""
    import threading
    import time as clock

    docs = [read_document(str(p)) for p in seed_paths] * 3
    items = [(d, segment(d).narrative) for d in docs]
    in_flight, peak = [0], [0]
    lock = threading.Lock()

    def counting(request):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        clock.sleep(0.05)
        with lock:
            in_flight[0] -= 1
        return rules_responder(request)

    submitted, read_at = [], []
    with FakeLLMServer(responder=counting) as server:
        extractor = LLMExtractor(config_for(server, concurrency=3), None, sleep=no_sleep)  # a request per report
        original = extractor.submit

        def submit(*args):
            submitted.append(args[0])
            return original(*args)

        extractor.submit = submit

        def after_submit(i):
            read_at.append((i, len(submitted)))
            return ("read", i)

        try:
            out = list(extractor.ordered(range(len(items)), lambda i: i, lambda i: (*items[i], None),
                                         lambda i, prepared, answer: (i, prepared, answer), after_submit))
        finally:
            extractor.close()
    assert [i for i, _p, _a in out] == list(range(len(items)))
    assert all(prepared == ("read", i) for i, prepared, _a in out)  # each finished after its reading
    assert sorted(i for i, _n in read_at) == list(range(len(items)))  # every reading once
    assert read_at[0][1] >= 2  # the first reading waited for more requests to leave
    assert 1 <= peak[0] <= 3


def test_a_stopped_batch_starts_no_request_that_waits_for_a_slot():
    """A chunk waiting for a request slot when the batch is stopped never sends its request
    (the slot is held around each request only, not while answers are parsed)."""
    import threading
    import time as clock

    release = threading.Event()

    def slow(request):
        release.wait(5)
        return rules_responder(request)

    doc = document(REPORT)
    with FakeLLMServer(responder=slow) as server:
        extractor = LLMExtractor(config_for(server, concurrency=1, chunk_tokens=100), None, sleep=no_sleep)
        try:
            submitted = extractor.submit(doc, segment(doc).narrative)
            assert len(submitted.futures) >= 2
            deadline = clock.monotonic() + 5
            while server.count < 1 and clock.monotonic() < deadline:
                clock.sleep(0.01)
            extractor.cancel()
            release.set()
            outcomes = [f.result(timeout=10) for f in submitted.futures]
        finally:
            extractor.close()
        assert server.count == 1
    # whichever chunk's worker reached the one slot first sent the one request (the workers
    # start in order but may reach the slot in either order on a loaded machine); no other did
    assert sum(o is not None for o in outcomes) == 1


def test_the_response_model_is_wrapped_once_and_sends_the_same_tool(seed_paths, monkeypatch):
    """extract_llm.response_model (speed, issue 14): instructor's wrapper of NarrativeExtraction
    is built once, so its tool schema is built once, and every request carries the tool that
    instructor builds from a freshly wrapped model."""
    from instructor.v2.core.function_calls import response_schema
    from instructor.v2.providers.openai.schema import generate_openai_schema

    from extractor.llm import extract_llm
    from extractor.llm.schemas import NarrativeExtraction

    seen = []

    def capture(request):
        seen.append(request)
        return rules_responder(request)

    built = []
    plain = NarrativeExtraction.model_json_schema.__func__

    def counting(cls, *args, **kwargs):
        built.append(cls)
        return plain(cls, *args, **kwargs)

    docs = [read_document(str(p)) for p in seed_paths]
    with FakeLLMServer(responder=capture) as server:
        extract_many([(d, segment(d).narrative) for d in docs], config_for(server, mode="tools"), None, sleep=no_sleep)
        monkeypatch.setattr(NarrativeExtraction, "model_json_schema", classmethod(counting))
        extract_many([(d, segment(d).narrative) for d in docs], config_for(server, mode="tools"), None, sleep=no_sleep)
    assert len(seen) >= 4 and len(built) == 1  # the second batch: the extractor's warm-up, no request
    expected = {"type": "function", "function": generate_openai_schema(response_schema(NarrativeExtraction))}
    assert all(r["tools"] == [expected] for r in seen)
    assert extract_llm.response_model() is extract_llm.response_model()
