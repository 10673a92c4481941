"""`jixiao audit --llm` end to end: the CLI, the pipeline and the store against the fake
OpenAI-compatible server on 127.0.0.1 (real openai SDK, instructor and HTTP stack)."""
from __future__ import annotations

import json
import socket
import sqlite3

import pytest
from click.testing import CliRunner
from llm_server import FakeLLMServer, rules_responder, source_of

from cli import main

REPORT = (
    "XX县民政局2023年部门整体支出绩效自评报告\n"
    "\n"
    "一、部门整体支出情况\n"
    "2023年度我局部门整体支出1,023.89万元，其中：基本支出623.89万元，项目支出400万元。\n"
    "\n"
    "二、绩效目标完成情况\n"
    "在基本支出方面，全年实际支出653.89万元，保障城乡低保对象1,139户。\n"
)
# what a model reads in the second paragraph: the 基本支出, stated a second time with another
# value (the rules read it too, from the words of the clause before: both agree)
RUNNING_COSTS = {"quote": "基本支出方面，全年实际支出653.89万元", "label": "基本支出", "value": "653.89", "unit": "万元", "period": None, "comparison": None}
# and a figure that is nowhere in the report: every answer carries it, so it is re-asked and dropped
INVENTED = {"quote": "基本支出999.00万元", "label": "基本支出", "value": "999.00", "unit": "万元", "period": None, "comparison": None}


def model(request: dict) -> dict:
    answer = rules_responder(request)
    if "基本支出方面" in source_of(request):
        answer["figures"] += [RUNNING_COSTS, INVENTED]
    return answer


def env_for(server: FakeLLMServer) -> dict:
    return {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": "sk-test", "JIXIAO_MODEL": "fake-model"}


def invoke(args: list[str], env: dict):
    return CliRunner().invoke(main, args, env=env, catch_exceptions=False)


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(REPORT, encoding="utf-8")
    return path


def rows(db, sql):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql)]
    finally:
        con.close()


def test_llm_figures_reach_the_checks_and_a_rerun_makes_no_call(tmp_path, report):
    db, out = str(tmp_path / "a.db"), tmp_path / "out.json"
    with FakeLLMServer(responder=model) as server:
        first = invoke(["audit", str(report), "--llm", "--db", db, "--json", str(out), "--concurrency", "2"], env_for(server))
        calls_after_first = server.count
        second = invoke(["audit", str(report), "--llm", "--db", db], env_for(server))
        assert server.count == calls_after_first  # identical rerun: the stored analysis is reused
        rules_only = invoke(["audit", str(report), "--db", db, "--json", str(tmp_path / "rules.json")], env_for(server))
    assert first.exit_code == 0, first.output
    findings = json.loads(out.read_text("utf-8"))["reports"][0]["findings"]
    conflict = [f for f in findings if f["check"] == "xref.conflict"]
    assert [(c["stated"], c["computed"]) for c in conflict] == [(623.89, 653.89)]
    # the invented 999.00 never became a figure or a finding
    assert all(999 not in (f["stated"], f["computed"]) for f in findings)
    figures = rows(db, "select * from figures")
    assert {f["value"] for f in figures if f["subject"] == "基本支出"} == {"623.89", "653.89"}
    assert not any(f["value"] in ("999.00", "999") for f in figures)
    # the ledger has every HTTP attempt, re-asks included, with tokens and latency
    ledger = rows(db, "select * from llm_calls")
    assert len([c for c in ledger if c["kind"] != "cache-hit"]) == calls_after_first >= 3
    assert any(c["kind"] == "reask" for c in ledger)
    assert all(c["input_tokens"] > 0 and c["latency_ms"] > 0 for c in ledger if c["outcome"] in ("ok", "validation-error"))
    summary = [line for line in first.output.splitlines() if line.startswith("LLM：")]
    assert len(summary) == 1 and f"调用 {calls_after_first} 次" in summary[0] and "丢弃 1 个无依据数字" in summary[0]
    assert "调用 0 次" in second.output and "1 份沿用已存结果" in second.output
    # the rules alone read the same two statements: the model adds nothing false beside them
    rules_findings = json.loads((tmp_path / "rules.json").read_text("utf-8"))["reports"][0]["findings"]
    assert [(f["stated"], f["computed"]) for f in rules_findings if f["check"] == "xref.conflict"] == [(623.89, 653.89)]
    assert rules_only.exit_code == 0


def test_no_cache_asks_again_and_an_edited_prompt_reanalyses(tmp_path, report, monkeypatch):
    db = str(tmp_path / "a.db")
    with FakeLLMServer(responder=rules_responder) as server:
        invoke(["audit", str(report), "--llm", "--db", db], env_for(server))
        n = server.count
        invoke(["audit", str(report), "--llm", "--db", db, "--no-cache"], env_for(server))
        assert server.count == 2 * n
        # a new prompt version is a new analysis and new cache keys
        prompts = tmp_path / "prompts"
        prompts.mkdir()
        from extractor.llm.prompt import load_prompt, prompts_dir

        text = (prompts_dir() / "figures.v2.md").read_text("utf-8")
        (prompts / "figures.v3.md").write_text(text.replace("## system\n", "## system\n只提取金额。\n"), "utf-8")
        load_prompt.cache_clear()
        env = {**env_for(server), "JIXIAO_PROMPTS_DIR": str(prompts)}
        result = invoke(["audit", str(report), "--llm", "--db", db, "--prompt", "figures.v3"], env)
        assert result.exit_code == 0, result.output
        assert server.count == 3 * n
    load_prompt.cache_clear()
    versions = {r["prompt_version"] for r in rows(db, "select prompt_version from llm_calls")}
    assert versions == {"figures.v2", "figures.v3"}


def test_new_code_version_reanalyses_from_the_cache_without_a_call(tmp_path, report, monkeypatch):
    from extractor import pipeline

    db = str(tmp_path / "a.db")
    with FakeLLMServer(responder=rules_responder) as server:
        invoke(["audit", str(report), "--llm", "--db", db], env_for(server))
        n = server.count
        monkeypatch.setattr(pipeline, "code_version", lambda: "0.0.0+changed")
        result = invoke(["audit", str(report), "--llm", "--db", db], env_for(server))
        assert server.count == n
    assert f"缓存命中 {n} 次" in result.output and "0 份沿用已存结果" in result.output
    assert len(rows(db, "select id from analyses")) == 2


def test_unreachable_endpoint_is_one_line_and_exit_1(tmp_path, report):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"OPENAI_BASE_URL": f"http://127.0.0.1:{port}/v1", "OPENAI_API_KEY": "sk-x", "JIXIAO_MODEL": "m", "JIXIAO_LLM_RETRIES": "0"}
    result = CliRunner().invoke(main, ["audit", str(report), "--llm", "--db", str(tmp_path / "a.db")], env=env)
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if "不可用" in line]
    assert len(errors) == 1 and f"127.0.0.1:{port}" in errors[0] and "Traceback" not in result.output
    run = rows(str(tmp_path / "a.db"), "select status from runs")
    assert run == [{"status": "aborted"}]


def test_missing_key_for_a_hosted_endpoint_is_one_line(tmp_path, report):
    env = {"OPENAI_BASE_URL": "https://api.deepseek.com/v1", "OPENAI_API_KEY": "", "JIXIAO_MODEL": "deepseek-chat"}
    result = CliRunner().invoke(main, ["audit", str(report), "--llm", "--no-store"], env=env)
    assert result.exit_code == 1
    assert "OPENAI_API_KEY" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
