"""`jixiao eval --extractor llm` replayed from vcrpy cassettes (record mode "none"): the shipped
prompt, and a degraded one that a prompt-following model answers with paraphrased quotes.
Re-record with `python tests/record_cassettes.py --eval`."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from record_cassettes import CASSETTES, eval_args, eval_env, eval_prompts_dir, make_vcr

from cli import main
from extractor.llm.prompt import load_prompt


def replay(prompt: str):
    name = f"eval_seeds_{prompt}"
    assert (CASSETTES / f"{name}.yaml").exists(), f"missing cassette {name}: run python tests/record_cassettes.py --eval"
    return make_vcr("none").use_cassette(name)


@pytest.fixture
def prompts(tmp_path):
    load_prompt.cache_clear()
    yield eval_prompts_dir(tmp_path)
    load_prompt.cache_clear()


def run_eval(prompt, tmp_path, prompts, *extra):
    with replay(prompt) as cassette:
        result = CliRunner().invoke(main, eval_args(prompt, tmp_path / f"{prompt}.db", *extra), env=eval_env(prompts),
                                    catch_exceptions=False)
    return result, cassette


def test_llm_eval_replays_and_reports_grounding_and_tokens(tmp_path, prompts):
    out = tmp_path / "v1.json"
    result, cassette = run_eval("figures.v2", tmp_path, prompts, "--json", str(out),
                                "--fail-under", "finding_recall=1", "--fail-under", "grounding_rate=1")
    assert result.exit_code == 0, result.output
    assert cassette.all_played and cassette.play_count == 2  # 001 and 004: one request each; 002/003 are all tables
    run = json.loads(out.read_text("utf-8"))
    m = run["metrics"]
    assert run["extractor"] == "llm" and run["settings"]["prompt"] == "figures.v2"
    assert (m["finding_precision"], m["finding_recall"]) == (1.0, 1.0)
    assert m["grounding_rate"] == 1.0 and m["llm_calls"] == 2 and m["llm_input_tokens"] > 0
    assert m["llm_figure_recall"] >= 0.5
    assert "引文核实率 1" in result.output


def test_degraded_prompt_is_a_regression_against_the_baseline(tmp_path, prompts):
    baseline = tmp_path / "v1.json"
    run_eval("figures.v2", tmp_path, prompts, "--json", str(baseline))
    good = json.loads(baseline.read_text("utf-8"))["metrics"]
    result, cassette = run_eval("figures.degraded", tmp_path, prompts, "--baseline", str(baseline),
                                "--fail-under", f"llm_figure_recall={good['llm_figure_recall']}")
    assert cassette.all_played
    assert result.exit_code == 1
    assert "未达标：llm_figure_recall = 0.0 <" in result.output
    changed = result.output[result.output.index("变化的指标"):]
    assert "llm_figure_recall" in changed and "grounding_rate" in changed
    # what reaches the checks is the rules' reading plus what grounds: the findings do not suffer
    assert "finding_recall" not in changed
