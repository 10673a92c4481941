"""A fake OpenAI-compatible server for tests: a threaded HTTP server on 127.0.0.1 that answers
POST /v1/chat/completions from a script, the way a real endpoint would, so the real openai SDK,
instructor and httpx2 run unpatched against it.

    with FakeLLMServer([Reply.extraction({...}), Reply.status(429, retry_after="7")]) as server:
        config = LLMConfig(server.base_url, "sk-test", "fake-model")
        ...
        assert server.count == 2

Each request takes the next scripted Reply; when the script is empty the `responder` (if any)
answers, else the server returns 500. An extraction reply is shaped by what the request asked
for: tool_calls when it sent `tools`, plain JSON content for response_format, a ```json block
otherwise (md_json). `usage` counts tokens as characters / 1.5, rounded up — rough, but the same
for every run, so token figures in tests and measurements are reproducible.

`rules_responder` answers like a model that read the chunk with the rules extractor: it finds
the chunk between <原文> and </原文> in the user message and returns the rule figures and
"其中" relations with their quotes. `python tests/llm_server.py --measure` runs the four seed
reports through the LLM extractor against it and prints characters and tokens per report.
"""
from __future__ import annotations

import json
import math
import re
import sys
import threading
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Optional

CREATED = 1_700_000_000  # fixed, so recorded cassettes do not change between recordings


def tokens(text: str) -> int:
    return math.ceil(len(text) / 1.5)


@dataclass
class Reply:
    kind: str  # "extraction" | "status" | "raw"
    payload: Any = None  # extraction: dict (sent as JSON) or str (sent as is, e.g. broken JSON)
    status: int = 200
    headers: dict = field(default_factory=dict)
    body: Any = None
    finish_reason: str = "stop"

    @classmethod
    def extraction(cls, payload: Any, finish_reason: str = "stop") -> "Reply":
        return cls("extraction", payload, finish_reason=finish_reason)

    @classmethod
    def status(cls, code: int, message: str = "", retry_after: Optional[str] = None, headers: Optional[dict] = None) -> "Reply":
        h = dict(headers or {})
        if retry_after is not None:
            h["Retry-After"] = retry_after
        err_type = {429: "rate_limit_exceeded", 401: "invalid_api_key", 404: "model_not_found"}.get(code, "server_error")
        body = {"error": {"message": message or f"fake error {code}", "type": err_type, "code": err_type}}
        return cls("status", status=code, headers=h, body=body)


def _payload_text(payload: Any) -> str:
    return payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)


def completion(request: dict, payload: Any, n: int, finish_reason: str = "stop") -> dict:
    """A chat.completion for `request`, carrying `payload` the way the request's mode expects."""
    args = _payload_text(payload)
    message: dict = {"role": "assistant", "content": None}
    if request.get("tools"):
        choice = request.get("tool_choice")
        name = choice["function"]["name"] if isinstance(choice, dict) else request["tools"][0]["function"]["name"]
        message["tool_calls"] = [{"id": f"call_fake_{n}", "type": "function", "function": {"name": name, "arguments": args}}]
    elif request.get("response_format"):
        message["content"] = args
    else:
        message["content"] = f"```json\n{args}\n```"
    prompt_text = "".join(str(m.get("content") or "") for m in request.get("messages", []))
    prompt_text += json.dumps(request.get("tools") or request.get("response_format") or "", ensure_ascii=False)
    prompt_tokens, completion_tokens = tokens(prompt_text), tokens(args)
    return {
        "id": f"chatcmpl-fake-{n}",
        "object": "chat.completion",
        "created": CREATED,
        "model": request.get("model", "fake-model"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens, "total_tokens": prompt_tokens + completion_tokens},
    }


class _Server(ThreadingHTTPServer):
    # socketserver listens with a backlog of 5: sixteen clients connecting at once would lose
    # SYNs and wait a second for the retransmit
    request_queue_size = 128


class FakeLLMServer:
    def __init__(self, replies: Optional[list[Reply]] = None, responder: Optional[Callable[[dict], Any]] = None, port: int = 0):
        self.replies: deque[Reply] = deque(replies or [])
        self.responder = responder
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        self._port = port
        self._httpd: Optional[ThreadingHTTPServer] = None
        self._thread: Optional[threading.Thread] = None

    @property
    def count(self) -> int:
        return len(self.requests)

    @property
    def port(self) -> int:
        assert self._httpd is not None
        return self._httpd.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def _answer(self, request: dict) -> tuple[int, dict, bytes]:
        with self._lock:
            n = len(self.requests)
            self.requests.append(request)
            reply = self.replies.popleft() if self.replies else None
        if reply is None and self.responder is not None:
            reply = Reply.extraction(self.responder(request))
        if reply is None:
            reply = Reply.status(500, "fake server: script exhausted")
        if reply.kind == "status":
            return reply.status, reply.headers, json.dumps(reply.body, ensure_ascii=False).encode()
        if reply.kind == "raw":
            return reply.status, reply.headers, reply.body if isinstance(reply.body, bytes) else str(reply.body).encode()
        body = completion(request, reply.payload, n, reply.finish_reason)
        return 200, {}, json.dumps(body, ensure_ascii=False).encode()

    def __enter__(self) -> "FakeLLMServer":
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out in two writes: with Nagle's algorithm on, the body waited
            # for the client's delayed ACK of the headers, ≈40 ms added to every answer
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    request = json.loads(raw or b"{}")
                except ValueError:
                    request = {"_raw": raw.decode("utf-8", "replace")}
                request["_path"] = self.path
                request["_headers"] = {k.lower(): v for k, v in self.headers.items()}
                if not self.path.rstrip("/").endswith("/chat/completions"):
                    status, headers, body = 404, {}, b'{"error": {"message": "not found"}}'
                else:
                    status, headers, body = server._answer(request)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for k, v in headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                body = json.dumps({"object": "list", "data": [{"id": "fake-model", "object": "model", "owned_by": "fake"}]}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self._httpd = _Server(("127.0.0.1", self._port), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-llm", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        assert self._httpd is not None and self._thread is not None
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


# ---- a "model" that answers with the rules extractor's reading ------------------------------

_SOURCE = re.compile(r"<原文>\n(.*)\n</原文>", re.S)
_NUM = re.compile(r"[-+]?[0-9０-９][0-9０-９,，.．]*")


def source_of(request: dict) -> str:
    for m in request.get("messages", []):
        found = _SOURCE.search(str(m.get("content") or ""))
        if found:
            return found.group(1)
    raise ValueError("no <原文> block in the request")


def _item(text: str, fig: Any) -> Optional[dict]:
    """The figure as a model would report it, or None for a number the rules read without a
    label (nothing before it in its quote): its label could only be the number itself."""
    q = fig.quantity
    quote = text[fig.span.start : fig.span.end]
    m = _NUM.search(q.text)
    value = m.group().rstrip(",，.．") if m else q.text
    tail = q.text[m.end() :] if m else ""
    unit = re.sub(r"(以上|以内|以下)$", "", tail).strip() if (q.unit or q.scale) else ""
    label = fig.label if fig.label and fig.label in quote else quote[: q.span.start - fig.span.start]
    if not label.strip():
        return None
    subject = fig.subject.name if fig.subject is not None and fig.subject.name in text else ""
    return {"quote": quote, "label": label, "value": value, "unit": unit, "subject": subject, "measure": fig.measure or "",
            "period": fig.period or "", "role": fig.role, "base": ""}


def labelled(figures: list) -> list:
    """The rule figures `rules_responder` reports (see `_item`)."""
    return [f for f in figures if f.label or f.quantity.span.start > f.span.start]


def rules_responder(request: dict) -> dict:
    from extractor.narrative import extract_narrative
    from extractor.records import Document, Span

    text = source_of(request)
    doc = Document("chunk.txt", "txt", text, "0" * 64)
    ex = extract_narrative(doc, [Span(0, len(text))])
    figures = [item for f in ex.figures if (item := _item(text, f)) is not None]
    quote = {id(f): text[f.span.start : f.span.end] for f in labelled(ex.figures)}
    relations = [
        {"total_quote": quote[id(r.total)], "part_quotes": [quote[id(p)] for p in r.parts]}
        for r in ex.relations if all(id(f) in quote for f in (r.total, *r.parts))
    ]
    return {"figures": figures, "relations": relations}


def measure_seeds(seed_dir: Optional[Path] = None, mode: str = "tools") -> list[dict]:
    """Each seed report through the LLM extractor against the fake server (rules responder):
    characters of the report, of its narrative, sent to the model, and tokens both ways."""
    from extractor.ingest import read_document
    from extractor.llm import LLMConfig, extract_figures_llm
    from extractor.segment import segment

    root = Path(__file__).resolve().parent.parent
    rows = []
    with FakeLLMServer(responder=rules_responder) as server:
        config = LLMConfig(server.base_url, "sk-test", "fake-model", mode=mode, use_cache=False)
        for path in sorted((seed_dir or root / "eval_sets" / "seeds").glob("*.txt")):
            doc = read_document(str(path))
            seg = segment(doc)
            result = extract_figures_llm(doc, seg.narrative, config, None, sleep=lambda s: None)
            st = result.stats
            rows.append(
                {
                    "report": path.name, "chars": len(doc.text), "narrative_chars": sum(s.end - s.start for s in seg.narrative),
                    "chars_sent": st.chars_sent, "chunks": st.chunks, "calls": st.calls,
                    "input_tokens": st.input_tokens, "output_tokens": st.output_tokens, "figures": len(result.figures),
                }
            )
    return rows


if __name__ == "__main__":
    if "--measure" in sys.argv:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        mode = next((a.split("=", 1)[1] for a in sys.argv if a.startswith("--mode=")), "tools")
        rows = measure_seeds(mode=mode)
        cols = list(rows[0])
        print("\t".join(cols))
        for r in rows:
            print("\t".join(str(r[c]) for c in cols))
    else:
        print(__doc__)


def prompt_following_responder(request: dict) -> dict:
    """A model that does what its system prompt says about quotes: told to copy them verbatim
    ("逐字复制") it answers like `rules_responder`; otherwise it paraphrases them (here: "本年"
    put in front), so nothing grounds. Used to show a degraded prompt as a regression in
    `jixiao eval`."""
    answer = rules_responder(request)
    system = next((str(m.get("content")) for m in request.get("messages", []) if m.get("role") == "system"), "")
    if "逐字复制" in system:
        return answer
    for item in answer["figures"]:
        item["quote"] = "本年" + item["quote"]
    answer["relations"] = []
    return answer

