from decimal import Decimal
from pathlib import Path

import pytest

from extractor.quantity import find_quantities, parse_quantity, to_decimal
from extractor.records import Span

SEEDS = sorted((Path(__file__).resolve().parent.parent / "eval_sets" / "seeds").glob("*.txt"))


def _quotes(source: str, q, offset: int = 0) -> bool:
    return source[q.span.start - offset : q.span.end - offset] == q.text


# ---------------------------------------------------------------- to_decimal

@pytest.mark.parametrize(
    "raw, value, decimals",
    [
        ("86.4", "86.4", 1),
        ("86.40", "86.40", 2),
        ("1,234", "1234", 0),
        ("3,621.22", "3621.22", 2),
        ("56,172,895.39", "56172895.39", 2),
        ("１２３４", "1234", 0),
        ("１，２３４．５", "1234.5", 1),
        ("-1693.77", "-1693.77", 2),
        ("－5", "-5", 0),
        ("−5", "-5", 0),
        ("+3", "3", 0),
        ("941.94299", "941.94299", 5),
    ],
)
def test_to_decimal(raw, value, decimals):
    assert to_decimal(raw) == (Decimal(value), decimals)


@pytest.mark.parametrize("raw", ["", "abc", "1.2.3", "12,34", "5%", "1 000"])
def test_to_decimal_rejects(raw):
    with pytest.raises(ValueError):
        to_decimal(raw)


# ---------------------------------------------------------------- parse_quantity

@pytest.mark.parametrize(
    "cell, value, unit, scale, op, decimals, text",
    [
        ("增长1.6%", "1.6", "%", None, None, 1, "1.6%"),
        ("不低于90%", "90", "%", None, "≥", 0, "90%"),
        ("≤2300张", "2300", "张", None, "≤", 0, "2300张"),
        ("≥10141人次", "10141", "人次", None, "≥", 0, "10141人次"),
        ("5.56万人", "5.56", "人", "万", None, 2, "5.56万人"),
        ("95分", "95", "分", None, None, 0, "95分"),
        ("3,621.22万元", "3621.22", "元", "万", None, 2, "3,621.22万元"),
        ("-1693.77", "-1693.77", None, None, None, 2, "-1693.77"),
        ("１２３４", "1234", None, None, None, 0, "１２３４"),
        ("百分之九十五", "95", "%", None, None, 0, "百分之九十五"),
        ("一万二千三百", "12300", None, None, None, 0, "一万二千三百"),
        ("1.2亿", "1.2", None, "亿", None, 1, "1.2亿"),
        ("1.2亿元", "1.2", "元", "亿", None, 1, "1.2亿元"),
        ("86.4", "86.4", None, None, None, 1, "86.4"),
        ("86.40", "86.40", None, None, None, 2, "86.40"),
        ("100%", "100", "%", None, None, 0, "100%"),
        ("100.00%", "100.00", "%", None, None, 2, "100.00%"),
        ("95％", "95", "%", None, None, 0, "95％"),
        ("=100%", "100", "%", None, "=", 0, "100%"),
        ("＝100%", "100", "%", None, "=", 0, "100%"),
        ("≥12个月", "12", "月", None, "≥", 0, "12个月"),
        ("≥ 98%", "98", "%", None, "≥", 0, "98%"),
        (">=98%", "98", "%", None, "≥", 0, "98%"),
        ("＜5%", "5", "%", None, "<", 0, "5%"),
        ("≦5%", "5", "%", None, "≤", 0, "5%"),
        ("不超过100万元", "100", "元", "万", "≤", 0, "100万元"),
        ("控制在5%以内", "5", "%", None, "≤", 0, "5%"),
        ("60岁以上", "60", "岁", None, "≥", 0, "60岁"),
        ("至少3次", "3", "次", None, "≥", 0, "3次"),
        ("21万元", "21", "元", "万", None, 0, "21万元"),
        ("5,617.29", "5617.29", None, None, None, 2, "5,617.29"),
        ("1，234", "1234", None, None, None, 0, "1，234"),
        ("10", "10", None, None, None, 0, "10"),
        ("0", "0", None, None, None, 0, "0"),
        ("3000元/具", "3000", "元/具", None, None, 0, "3000元/具"),
        ("5400元/年", "5400", "元/年", None, None, 0, "5400元/年"),
        # an amount per student-year is a rate, whatever the noun after the slash
        ("0.60万元/生.年", "0.60", "元/生.年", "万", None, 2, "0.60万元/生.年"),
        ("12万元/校", "12", "元/校", "万", None, 0, "12万元/校"),
        ("（20分*执行率）", "20", "分", None, None, 0, "20分"),
        ("(50分)", "50", "分", None, None, 0, "50分"),
        ("全年完成288户困难家庭老人适老化改造", "288", "户", None, None, 0, "288户"),
        ("三百万元", "300", "元", "万", None, 0, "三百万元"),
        ("增长1.6个百分点", "1.6", "百分点", None, None, 1, "1.6个百分点"),
        ("4300余万元", "4300", "元", "万", ">", 0, "4300余万元"),
    ],
)
def test_parse_quantity(cell, value, unit, scale, op, decimals, text):
    q = parse_quantity(cell)
    assert q is not None
    assert (q.value, q.unit, q.scale, q.op, q.decimals, q.text) == (Decimal(value), unit, scale, op, decimals, text)
    assert _quotes(cell, q)


@pytest.mark.parametrize(
    "cell",
    [
        "", "好", "按实际发生数", "长期/优", "提前下达", "预算年度内",
        "3人/年/6.3", "2人/年/4.2万", "200～450元", "1至2个", "实际完成324户，完成112.5%",
        "2020年度内完成", "12月底前", "2021年03月30日", "2021-03-30", "二〇二四年",
        "指标1:", "1、", "139*******16", "13912345678", "〔2021〕3号", "第3名",
    ],
)
def test_parse_quantity_none(cell):
    assert parse_quantity(cell) is None


def test_parse_quantity_offset():
    q = parse_quantity("不低于90%", 100)
    assert q.span == Span(103, 106)
    assert q.text == "90%"


def test_parse_quantity_offset_only_moves_the_span():
    """parse_quantity reads a cell's text once and moves the span to each offset (speed only):
    reading it at the offset must give the same quantity, for every cell of the seeds' tables."""
    from conftest import SEEDS

    from extractor.ingest import read_document
    from extractor.limits import DEFAULT_LIMITS
    from extractor.quantity import _candidates
    from extractor.segment import segment

    texts = {c.text for path in SEEDS for g in segment(read_document(str(path), DEFAULT_LIMITS, [])).grids for row in g.rows for c in row}
    texts |= {"不低于90%", "2021年", "12月", "3人/年/6.3", "200～450元", "三百万元", "（1）", "1、", "-5.2", "＋3"}
    assert len(texts) > 100
    for text in sorted(texts):
        for offset in (0, 1, 37, 1000):
            cands, _ = _candidates(text, cell=True, offset=offset)
            found = [q for kind, q in cands if kind == "q"]
            expected = found[0] if len(found) == 1 and not any(kind == "date" for kind, _ in cands) else None
            assert parse_quantity(text, offset) == expected, (text, offset)


# ---------------------------------------------------------------- scale and base value

def test_base_values():
    assert parse_quantity("5.56万人").base_value == 55600
    yuan = parse_quantity("56,172,895.39元")
    assert yuan.base_value == parse_quantity("5617.289539万元").base_value
    # rounded to 4 places in 万元 it still agrees within half a printed unit
    wan = parse_quantity("5617.2895万元")
    assert abs(yuan.base_value - wan.base_value) <= wan.half_ulp * wan.multiplier
    assert parse_quantity("1.84亿元").base_value == 184_000_000
    assert parse_quantity("三百万元").base_value == 3_000_000


# ---------------------------------------------------------------- find_quantities

@pytest.mark.parametrize(
    "text, expected",
    [
        ("部门整体支出24299.59万元", [("24299.59万元", "24299.59", "元", "万", None)]),
        (
            "保障城市低保对象2.41万人次，发放1023.89万元",
            [("2.41万人次", "2.41", "人次", "万", None), ("1023.89万元", "1023.89", "元", "万", None)],
        ),
        ("调整预算数为56,172,895.39元", [("56,172,895.39元", "56172895.39", "元", None, None)]),
        ("农村低保提高到5400元/年", [("5400元/年", "5400", "元/年", None, None)]),
        (
            "整户保标准为农村200～450元/人·月",
            [("200", "200", "元/人·月", None, None), ("450元/人·月", "450", "元/人·月", None, None)],
        ),
        ("城市380元～700元", [("380元", "380", "元", None, None), ("700元", "700", "元", None, None)]),
        ("建设1至2个乡镇公益性公墓", [("1", "1", "个", None, None), ("2个", "2", "个", None, None)]),
        ("2～3万元", [("2", "2", "元", "万", None), ("3万元", "3", "元", "万", None)]),
        ("同比分别增长1.6%、5.1%", [("1.6%", "1.6", "%", None, None), ("5.1%", "5.1", "%", None, None)]),
        ("满意度百分之九十五", [("百分之九十五", "95", "%", None, None)]),
        ("投入三百万元", [("三百万元", "300", "元", "万", None)]),
        ("共一万二千三百元", [("一万二千三百元", "12300", "元", None, None)]),
        ("三千余万元", [("三千余万元", "3000", "元", "万", ">")]),
        ("470多个网格", [("470多个", "470", "个", None, ">")]),
        ("完成“福彩”4场公益宣传", [("4场", "4", "场", None, None)]),
        ("持续发挥作用的期限	≥12个月", [("12个月", "12", "月", None, "≥")]),
        ("不低于90%", [("90%", "90", "%", None, "≥")]),
        ("每条控制在150字以内", [("150字", "150", "字", None, "≤")]),
        ("执行率=100%", [("100%", "100", "%", None, "=")]),
        ("年中调整数	-1693.77	14845.77", [("-1693.77", "-1693.77", None, None, None), ("14845.77", "14845.77", None, None, None)]),
        ("收入合计为2568", [("2568", "2568", None, None, None)]),
        ("基本支出总额	891.48万元", [("891.48万元", "891.48", "元", "万", None)]),
        ("全年福彩销售1.63亿元", [("1.63亿元", "1.63", "元", "亿", None)]),
        ("自聘人员工资2人/年/4.2万", [("2人/年", "2", "人/年", None, None), ("4.2万", "4.2", None, "万", None)]),
        ("１２３４元", [("１２３４元", "1234", "元", None, None)]),
        ("占比13.09％", [("13.09％", "13.09", "%", None, None)]),
        ("30日以内办结", [("30日", "30", "日", None, "≤")]),
        ("工作3年", [("3年", "3", "年", None, None)]),
        ("建立“十五分钟健身圈”", [("十五分钟", "15", "分钟", None, None)]),
    ],
)
def test_find_quantities(text, expected):
    qs = find_quantities(text)
    assert [(q.text, str(q.value), q.unit, q.scale, q.op) for q in qs] == expected
    assert all(_quotes(text, q) for q in qs)


@pytest.mark.parametrize(
    "text",
    [
        "2024年", "2024年度", "（2024年度）", "2021年03月30日", "2020年4月1日起", "4月，市扶贫", "12月底前",
        "每月25日左右", "2020-2021年", "填报日期：2021-03-30", "二〇二四年",
        "1.强化民政队伍", "（一）部门基本情况", "（1）完成的绩效目标", "(2)基层", "1、加强资金管理",
        "10、坚持不懈", "3.1 产出指标", "指标1:	城市低保", "目标2: 养老", "第一", "第3次会议", "第十二次",
        "咸扶组发[2020]5号", "〔2021〕3号", "联系电话：139*******16", "手机：13912345678", "邮编：437100",
        "深入学习贯彻党的十九大精神", "十八届三中、四中和五中、六中全会", "科学编制“十四五”规划",
        "维护“一老一小”合法权益", "保障一二级重度残疾", "牢固树立“四个意识”", "一是因公出国", "二是动态管理",
        "“6进”活动", "培养一到两家公建民营", "十分重要", "“百千万”工程", "“三公”经费", "13大类民政业务",
        "2024单位没有", "共计2000", "5G网络", "版本1.2.3", "十九", "两项补贴",
    ],
)
def test_find_quantities_excludes(text):
    assert find_quantities(text) == []


def test_find_quantities_offset():
    text = "支出1546.46万元，其中3.6854万元"
    qs = find_quantities(text, 1000)
    assert [q.span for q in qs] == [Span(1002, 1011), Span(1014, 1022)]
    assert all(_quotes(text, q, 1000) for q in qs)


def test_find_quantities_in_order_and_disjoint():
    text = "保障孤儿2139人次，发放246万元；保障事实无人抚养儿童8376人次、发放747万元。"
    qs = find_quantities(text)
    assert [q.text for q in qs] == ["2139人次", "246万元", "8376人次", "747万元"]
    assert all(a.span.end <= b.span.start for a, b in zip(qs, qs[1:]))


# ---------------------------------------------------------------- the real seed reports

def test_seeds_present():
    assert len(SEEDS) == 4


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_seed_spans_and_no_years(path):
    text = path.read_text(encoding="utf-8")
    qs = find_quantities(text)
    assert qs
    assert all(_quotes(text, q) for q in qs)
    assert all(a.span.end <= b.span.start for a, b in zip(qs, qs[1:]))
    for q in qs:
        assert not (q.unit == "年" and 1900 <= q.value <= 2099), q
        assert not q.text.startswith(("2020年", "2021年", "2022年", "2024年")), q
        assert q.unit is not None or q.scale is not None or q.decimals or "," in q.text or q.op or q.value >= 10, q


@pytest.mark.parametrize(
    "mention, value, unit, scale, decimals",
    [
        ("1546.46万元", "1546.46", "元", "万", 2),
        ("941.94299万元", "941.94299", "元", "万", 5),
        ("3.6854万元", "3.6854", "元", "万", 4),
        ("99.3620万元", "99.3620", "元", "万", 4),
        ("2.41万人次", "2.41", "人次", "万", 2),
        ("56,172,895.39元", "56172895.39", "元", None, 2),
        ("3,621.22万元", "3621.22", "元", "万", 2),
        ("1204214.72元", "1204214.72", "元", None, 2),
        ("≥10141人次", "10141", "人次", None, 0),
        ("≤2300张", "2300", "张", None, 0),
        ("3000元/具", "3000", "元/具", None, 0),
    ],
)
def test_seed_mentions(mention, value, unit, scale, decimals):
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        at = text.find(mention)
        if at < 0:
            continue
        start = at + (1 if mention[0] in "≥≤" else 0)
        q = next(q for q in find_quantities(text) if q.span.start == start)
        assert (q.value, q.unit, q.scale, q.decimals) == (Decimal(value), unit, scale, decimals)
        assert q.text == mention.lstrip("≥≤")
        return
    pytest.fail(f"{mention} is in no seed")


def test_seed_excluded_tokens():
    everything = [q.text for path in SEEDS for q in find_quantities(path.read_text(encoding="utf-8"))]
    for word in ("十九", "十四", "6", "139", "16", "2020", "2024", "5"):
        assert word not in everything


@pytest.mark.parametrize("cell,value", [("2038.16", "2038.16"), ("1999.50", "1999.50"), ("2024.13", "2024.13")])
def test_amount_that_starts_like_a_year_is_an_amount(cell, value):
    q = parse_quantity(cell)
    assert q is not None and q.value == Decimal(value)


def test_year_month_is_still_a_date():
    assert parse_quantity("2021.03") is None
    assert parse_quantity("2021.3.30") is None


def test_matches_finds_what_finditer_finds():
    """`_matches` (speed only) jumps between the characters a quantity can begin with; it must
    find exactly the matches of `_TOKEN.finditer`, on every text report of the eval sets and on
    random strings of the characters the pattern is made of."""
    import random

    from extractor import quantity

    root = Path(__file__).resolve().parent.parent / "eval_sets"
    texts = [p.read_bytes().decode("utf-8", errors="replace") for p in sorted(root.glob("*/*.txt"))]
    # pieces: every character of the pattern, its operators and units whole, numbers and words
    pieces = sorted(set(quantity._TOKEN.pattern)) + list(quantity._OPS) + list(quantity._SUFFIX_OPS) + list(
        quantity._UNIT_GUARDS) + ["百分之", "12", "3,621.22", "０．５", "－5", "三百", "二〇二四", "十四五", "第", "为", "，", " ", "\n", "支出"]
    rng = random.Random(14)
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(20000)]
    for text in texts:
        for folded in (text.translate(quantity._FOLD_TEXT), text.translate(quantity._FOLD_CELL)):
            expected = [(m.span(), m.groupdict()) for m in quantity._TOKEN.finditer(folded)]
            assert [(m.span(), m.groupdict()) for m in quantity._matches(folded)] == expected, folded[:80]


def test_by_sentence_is_find_quantities_per_sentence():
    """`find_quantities_by_sentence` (speed only) scans a paragraph once: it must give what
    `find_quantities` gives sentence by sentence (spans and all), on every line of the seeds'
    and the synthetic sets' reports and on random strings of the pattern's characters, sentence
    ends, signs and ordinals."""
    import random

    from extractor import quantity
    from extractor.quantity import find_quantities_by_sentence
    from extractor.text import Para

    root = Path(__file__).resolve().parent.parent / "eval_sets"
    lines = [line for name in ("seeds", "synthetic", "synthetic-fiscal") for p in sorted((root / name).glob("*.txt"))
             for line in p.read_bytes().decode("utf-8", errors="replace").split("\n")]
    pieces = sorted(set(quantity._TOKEN.pattern)) + list(quantity._OPS) + list(quantity._UNIT_GUARDS) + [
        "百分之", "12", "3,621.22", "－5", "+3", "-", "三百", "第", "为", "，", " ", "1、", "（2）", "3.1 ", "指标", "\n", "支出",
        "。", "！", "？", "!", "?", "。", "。"]
    rng = random.Random(14)
    texts = lines + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 16))) for _ in range(20000)]
    compared = 0
    for text in texts:
        sentences = list(Para(text, list(range(len(text)))).sentences())
        expected = [find_quantities(text[s:e], s) for s, e in sentences]
        got = find_quantities_by_sentence(text, sentences)
        assert [[vars(q) for q in qs] for qs in got] == [[vars(q) for q in qs] for qs in expected], text[:80]
        compared += sum(map(len, expected))
    assert compared > 5000


def test_folded_is_translate():
    """`quantity._folded` (speed only) replaces the characters there are to fold one by one: it
    must give str.translate's copy, for prose and for cells, which holds only while no character
    folds into one that folds again."""
    import random

    from extractor import quantity

    for table in (quantity._FOLD_TEXT, quantity._FOLD_CELL):
        folds = quantity._FOLDS[id(table)]
        assert not set(folds.values()) & set(folds)
        pieces = sorted(folds) + sorted(set(folds.values())) + ["支出", "12", "万元", " ", "。"]
        rng = random.Random(14)
        for _ in range(5000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
            assert quantity._folded(text, table) == text.translate(table), text


def test_moved_is_replace():
    """`moved` (speed only) builds the same quantity as dataclasses.replace(q, span=…)."""
    from dataclasses import replace

    from extractor import quantity
    from extractor.quantity import moved
    from extractor.records import Quantity

    for q in find_quantities("部门整体支出24299.59万元，完成≥95%，共3,621人，约4300余万元") + [parse_quantity("三百万元")]:
        new = moved(q, Span(100, 120))
        assert new == replace(q, span=Span(100, 120)) and hash(new) == hash(replace(q, span=Span(100, 120)))
        assert new.span == Span(100, 120) and q.span != new.span and type(new) is type(q)
        # quantity._quantity builds every quantity found: the same record as the constructor
        made = quantity._quantity(q.value, q.unit, q.scale, q.op, q.decimals, q.text, q.span)
        built = Quantity(q.value, q.unit, q.scale, q.op, q.decimals, q.text, q.span)
        assert made == built and vars(made) == vars(built) and hash(made) == hash(built) and made == q


def test_token_numerals_read_as_to_decimal_reads_them():
    """quantity._judge reads a matched numeral without to_decimal's folding and checks (speed
    only): every numeral the pattern matches in the seeds' text, folded as prose and as cells,
    must be one to_decimal reads the same way."""
    from conftest import SEEDS
    from extractor.quantity import _FOLD_CELL, _FOLD_TEXT, _matches, to_decimal

    seen = 0
    for path in SEEDS:
        text = path.read_text(encoding="utf-8") + " －1,234.50元 ＋３．５% 百分之9.5 -0.00 +12 007"
        for table in (_FOLD_TEXT, _FOLD_CELL):
            for m in _matches(text.translate(table)):
                raw = m["num"] or m["pnum"]
                if not raw:
                    continue
                unseparated = raw.replace(",", "") if "," in raw else raw
                fast = (Decimal(unseparated), len(unseparated.partition(".")[2]))
                assert fast == to_decimal(raw) and str(fast[0]) == str(to_decimal(raw)[0]), raw
                seen += 1
    assert seen > 500


def test_half_ulp_from_the_table_is_the_one_worked_out():
    """Quantity.half_ulp reads the usual places from a table (speed only): the same Decimal,
    digits and exponent, as the formula gives; a multiplier of no scale is 1."""
    from extractor.records import Quantity, _half_ulp

    for decimals in range(-2, 40):
        q = Quantity(Decimal(1), "元", None, None, decimals, "1", Span(0, 1))
        expected = Decimal(5) * Decimal(10) ** (-(decimals + 1))
        assert q.half_ulp == expected == _half_ulp(decimals) and str(q.half_ulp) == str(expected)
        assert q.multiplier == Decimal(1) and str(q.multiplier) == "1"
