"""Record the vcrpy cassettes that tests/test_llm_cassettes.py replays.

    python tests/record_cassettes.py            # against tests/llm_server.py on 127.0.0.1:8765
    python tests/record_cassettes.py --real     # against a real endpoint, see docs/llm.md

Each scenario is a small report, an LLM mode and (for the fake server) the scripted answers the
server gives, in order. Recording runs the real openai SDK, instructor and httpx2 through vcrpy
with record_mode "all"; the tests replay the same scenarios with record_mode "none", so they
never touch the network. Requests match on method, scheme, host, port, path, query and body;
the fake server always listens on the fixed base URL below so that replay matches.

--real records the `real_*` scenarios (the small report and the four seed reports) against
OPENAI_BASE_URL / OPENAI_API_KEY / JIXIAO_MODEL into cassettes/llm/real/, each with a sidecar
JSON naming the endpoint, model and mode it was recorded with; the test replays those only
checking invariants (every figure grounded), since a real model's answers are not scripted.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import vcr  # noqa: E402
import yaml  # noqa: E402

from llm_server import FakeLLMServer, Reply  # noqa: E402

CASSETTES = HERE / "cassettes" / "llm"
RECORD_PORT = 8765
RECORD_BASE_URL = f"http://127.0.0.1:{RECORD_PORT}/v1"
API_KEY = "sk-test-not-a-key"
MODEL = "fake-model"

# ---- a readable, safe cassette format --------------------------------------------------------

_KEEP_REQUEST_HEADERS = {"content-type", "accept"}
_KEEP_RESPONSE_HEADERS = {"content-type", "retry-after", "retry-after-ms"}


def _pretty_json(text: Any) -> Any:
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            return text
    if not isinstance(text, str):
        return text
    try:
        return json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    except ValueError:
        return text


def scrub_request(request: Any) -> Any:
    """Keep only headers that say what the body is: no Authorization, cookies, user agent,
    idempotency key or x-stainless-* (retry counts and timeouts change between attempts)."""
    for name in list(request.headers):
        if name.lower() not in _KEEP_REQUEST_HEADERS:
            del request.headers[name]
    return request


def scrub_response(response: dict) -> dict:
    headers = {k: v for k, v in response.get("headers", {}).items() if k.lower() in _KEEP_RESPONSE_HEADERS}
    response["headers"] = headers
    return response


class ReadableYAML:
    """vcrpy's YAML serializer escapes every Chinese character; this one writes UTF-8, with
    JSON bodies pretty-printed as literal blocks, and reads with vcrpy's safe loader. The body
    matcher compares JSON bodies parsed, so the re-indented request bodies still match."""

    @staticmethod
    def deserialize(text: str) -> dict:
        from vcr.serializers import yamlserializer

        return yamlserializer.deserialize(text)

    @staticmethod
    def serialize(data: dict) -> str:
        for interaction in data.get("interactions", []):
            req = interaction["request"]
            req["body"] = _pretty_json(req.get("body"))
            body = interaction["response"].get("body", {})
            body["string"] = _pretty_json(body.get("string"))

        class Dumper(yaml.SafeDumper):
            pass

        def text(dumper: yaml.SafeDumper, value: str) -> Any:
            style = "|" if "\n" in value and not any(line != line.rstrip() for line in value.split("\n")) else None
            return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

        Dumper.add_representer(str, text)
        return yaml.dump(data, Dumper=Dumper, allow_unicode=True, sort_keys=False, width=10_000)


def make_vcr(record_mode: str = "none", directory: Path = CASSETTES) -> vcr.VCR:
    v = vcr.VCR(
        cassette_library_dir=str(directory),
        record_mode=record_mode,
        match_on=["method", "scheme", "host", "port", "path", "query", "body"],
        before_record_request=scrub_request,
        before_record_response=scrub_response,
        decode_compressed_response=True,
        path_transformer=vcr.VCR.ensure_suffix(".yaml"),
    )
    v.register_serializer("readable-yaml", ReadableYAML)
    v.serializer = "readable-yaml"
    return v


# ---- scenarios -------------------------------------------------------------------------------

REPORT = (
    "XX县民政局2023年部门整体支出绩效自评报告\n"
    "\n"
    "一、部门整体支出情况\n"
    "2023年度我局部门整体支出1,023.89万元，较上年增加23.89万元，其中：基本支出623.89万元，占60.93%，项目支出400万元。"
    "全年预算执行率为98.5%，保障城乡低保对象1,139户。\n"
    "\n"
    "二、绩效自评表\n"
    "项目\t预算数（万元）\t执行数（万元）\t得分\n"
    "基本支出\t623.89\t623.89\t10\n"
    "项目支出\t410.00\t400.00\t9\n"
    "\n"
    "三、自评结论\n"
    "经综合评价，本部门整体支出绩效自评得分96.5分，等级为优。\n"
)


def figure(quote: str, label: str, value: str, unit: str = "", subject: str = "", measure: str = "", period: str = "",
           role: str = "level", base: str = "") -> dict:
    return {"quote": quote, "label": label, "value": value, "unit": unit, "subject": subject, "measure": measure,
            "period": period, "role": role, "base": base}


TOTAL = figure("部门整体支出1,023.89万元", "部门整体支出", "1023.89", "万元", "部门整体支出", period="2023")
GOOD_FIGURES = [
    TOTAL,
    figure("较上年增加23.89万元", "较上年增加", "23.89", "万元", "部门整体支出", role="change"),
    figure("基本支出623.89万元", "基本支出", "623.89", "万元", "基本支出"),
    figure("占60.93%", "占", "60.93", "%", "基本支出", role="share", base=TOTAL["quote"]),
    figure("项目支出400万元", "项目支出", "400", "万元", "项目支出"),
    figure("全年预算执行率为98.5%", "预算执行率", "98.5", "%", role="rate"),
    figure("保障城乡低保对象1,139户", "城乡低保对象", "1,139", "户", role="count"),
    figure("自评得分96.5分", "自评得分", "96.5", "分", role="score"),
]
GOOD_RELATION = {"total_quote": "部门整体支出1,023.89万元", "part_quotes": ["基本支出623.89万元", "项目支出400万元"]}
# the two narrative paragraphs (the table between them stays home) go in one request
GOOD = {"figures": GOOD_FIGURES, "relations": [GOOD_RELATION]}
HALLUCINATED = {
    "figures": [GOOD_FIGURES[2], figure("部门整体支出2,000万元", "部门整体支出", "2000", "万元", "部门整体支出")],
    "relations": [],
}
BROKEN_JSON = '{"figures": [{"quote": "基本支出623.89万元", "label": "基本支出", "value": '


@dataclass
class Scenario:
    name: str
    mode: str = "tools"
    replies: list[Reply] = field(default_factory=list)
    text: str = REPORT
    timeouts: int = 0  # leading requests that time out in the client, before any HTTP is sent
    overrides: dict = field(default_factory=dict)
    real: bool = False


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in [
        Scenario("valid_tools", "tools", [Reply.extraction(GOOD)]),
        Scenario("valid_json_schema", "json_schema", [Reply.extraction(GOOD)]),
        Scenario("hallucinated_dropped", "tools", [Reply.extraction(HALLUCINATED)] * 3),
        Scenario("reask_fixed", "json", [Reply.extraction(HALLUCINATED), Reply.extraction(GOOD)]),
        Scenario("malformed_json", "md_json", [Reply.extraction(BROKEN_JSON), Reply.extraction(GOOD)]),
        Scenario("rate_limited", "tools", [Reply.status(429, "Rate limit reached", retry_after="7"), Reply.extraction(GOOD)]),
        Scenario("server_errors", "tools", [Reply.status(500), Reply.status(503), Reply.extraction(GOOD)]),
        Scenario("timeout_then_ok", "tools", [Reply.extraction(GOOD)], timeouts=1),
        Scenario("real_report", "tools", real=True),
    ]
}


def flaky_client(timeouts: int) -> Any:
    """An httpx2 client whose first `timeouts` requests raise ReadTimeout before reaching the
    network (or vcrpy): a client-side timeout without waiting for one."""
    import httpx2

    class FlakyTransport(httpx2.HTTPTransport):
        def __init__(self) -> None:
            super().__init__()
            self.left = timeouts

        def handle_request(self, request: Any) -> Any:
            if self.left > 0:
                self.left -= 1
                raise httpx2.ReadTimeout("fake read timeout", request=request)
            return super().handle_request(request)

    return httpx2.Client(transport=FlakyTransport())


def document(text: str, path: str = "scenario.txt") -> Any:
    import hashlib

    from extractor.records import Document

    return Document(path, "txt", text, hashlib.sha256(text.encode()).hexdigest())


def run_scenario(sc: Scenario, base_url: str = RECORD_BASE_URL, store: Any = None, config: Any = None, **options: Any) -> tuple[Any, list[float]]:
    """Run one scenario's document through the LLM extractor; returns (LLMResult, sleeps)."""
    from extractor.llm import LLMConfig, extract_figures_llm
    from extractor.segment import segment

    sleeps: list[float] = []
    config = config or LLMConfig(base_url, API_KEY, MODEL, mode=sc.mode, concurrency=1, **sc.overrides)
    if sc.timeouts and "http_client" not in options:
        options["http_client"] = flaky_client(sc.timeouts)
    import random

    options.setdefault("rng", random.Random(1234))
    doc = document(sc.text)
    result = extract_figures_llm(doc, segment(doc).narrative, config, store, sleep=sleeps.append, **options)
    return result, sleeps


def record_fake(names: list[str]) -> None:
    for name in names:
        sc = SCENARIOS[name]
        with FakeLLMServer(list(sc.replies), port=RECORD_PORT) as server:
            path = CASSETTES / f"{name}.yaml"
            path.unlink(missing_ok=True)
            with make_vcr("all").use_cassette(name) as cassette:
                result, sleeps = run_scenario(sc)
            print(f"{name}: {server.count} requests, {len(cassette.data)} recorded, {len(result.figures)} figures, sleeps {sleeps}; {result.summary_line()}")


def record_real(names: list[str]) -> None:
    from extractor.llm import LLMConfig

    config = LLMConfig.from_env(concurrency=1)
    directory = CASSETTES / "real"
    for name in names:
        sc = SCENARIOS[name]
        path = directory / f"{name}.yaml"
        path.unlink(missing_ok=True)
        with make_vcr("all", directory).use_cassette(name) as cassette:
            result, _ = run_scenario(sc, config=config)
        side = {"base_url": config.base_url, "model": config.model, "mode": config.mode, "prompt_version": config.prompt_version, "text": sc.text}
        (directory / f"{name}.json").write_text(json.dumps(side, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"{name}: {len(cassette.data)} recorded, {len(result.figures)} figures; {result.summary_line()}")


def _seed_scenarios() -> list[str]:
    seeds = sorted((HERE.parent / "eval_sets" / "seeds").glob("*.txt"))
    from extractor.ingest import read_document

    for path in seeds:
        name = "real_seed_" + path.stem.split("_")[0]
        SCENARIOS[name] = Scenario(name, "tools", text=read_document(str(path)).text, real=True)
    return [n for n in SCENARIOS if n.startswith("real_seed_")]


# `jixiao eval --extractor llm` on the seeds, with the shipped prompt and with a degraded one
# (the verbatim-quote rule taken out), answered by prompt_following_responder.
EVAL_PROMPTS = ("figures.v2", "figures.degraded")


def eval_prompts_dir(into: Path) -> Path:
    """prompts/figures.v2.md plus figures.degraded.md made from it, in `into`."""
    text = (HERE.parent / "prompts" / "figures.v2.md").read_text("utf-8")
    degraded = text.replace("从原文逐字复制，", "可以概括原文，")
    assert degraded != text
    (into / "figures.v2.md").write_text(text, "utf-8")
    (into / "figures.degraded.md").write_text(degraded, "utf-8")
    return into


def eval_args(prompt: str, db: Path, *extra: str) -> list[str]:
    seeds = str(HERE.parent / "eval_sets" / "seeds")
    return ["eval", seeds, "--extractor", "llm", "--model", "fake-model", "--llm-mode", "tools", "--concurrency", "1",
            "--prompt", prompt, "--db", str(db), *extra]


def eval_env(prompts: Path) -> dict:
    return {"OPENAI_BASE_URL": RECORD_BASE_URL, "OPENAI_API_KEY": "sk-test", "JIXIAO_PROMPTS_DIR": str(prompts)}


def record_eval() -> None:
    import tempfile

    from click.testing import CliRunner

    from cli import main as jixiao
    from llm_server import prompt_following_responder

    with tempfile.TemporaryDirectory() as tmp, FakeLLMServer(responder=prompt_following_responder, port=RECORD_PORT) as server:
        prompts = eval_prompts_dir(Path(tmp))
        for prompt in EVAL_PROMPTS:
            name = f"eval_seeds_{prompt}"
            (CASSETTES / f"{name}.yaml").unlink(missing_ok=True)
            with make_vcr("all").use_cassette(name) as cassette:
                result = CliRunner().invoke(jixiao, eval_args(prompt, Path(tmp) / f"{prompt}.db"), env=eval_env(prompts), catch_exceptions=False)
            print(f"{name}: {len(cassette.data)} recorded, {server.count} requests so far, exit {result.exit_code}")


def main(argv: list[str]) -> None:
    if "--eval" in argv:
        record_eval()
        return
    if "--real" in argv:
        names = [n for n in argv if not n.startswith("--")] or ["real_report", *_seed_scenarios()]
        record_real(names)
    else:
        names = [n for n in argv if not n.startswith("--")] or [n for n, s in SCENARIOS.items() if not s.real]
        record_fake(names)


if __name__ == "__main__":
    main(sys.argv[1:])
