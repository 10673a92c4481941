"""部门决算 and 部门预算 documents: a 情况说明 in the generator's own words (several variants per
phrasing family) and the standard tables, from one set of accounts (fiscal_model.py).

Every printed number is a slot of a figure; one figure printed in a table and in the prose is
one value until an injection overrides a single place. The relations registered here are the
rules a clean document obeys; `Doc.evaluate` fires none of them on a clean document.
"""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Optional

from . import fiscal_vocab as fv
from .fiscal_model import Accounts, make_accounts
from .fiscal_relations import (ChangeRel, ComparisonRel, CountListedRel, EmptyTableRel, GrowthRelF, NilClaimRel,
                               PlaceholderNameRel, RatioRel, WrongYearRel)
from .fiscal_render import FBlock, cell
from .model import D, Block, Doc, HardNegative, Ref, fmt_number, grade_of, q
from .relations import GradeRel, SumRel

T5, T6 = "部门决算", "部门预算"
CN_NUM = "一二三四五六七八九十"


def cn(n: int) -> str:
    """1 -> 一, 12 -> 十二, 22 -> 二十二."""
    if n <= 10:
        return CN_NUM[n - 1]
    tens, ones = divmod(n, 10)
    return (CN_NUM[tens - 1] if tens > 1 else "") + "十" + (CN_NUM[ones - 1] if ones else "")


def pct_of(a: Decimal, b: Decimal) -> Decimal:
    return a / b * 100 if b else D(0)


class FiscalBuilder:
    def __init__(self, doc: Doc, rng, kind: str):
        self.doc, self.rng, self.kind = doc, rng, kind
        self.budget = kind == T6
        m = doc.meta
        self.ph = m["ph"]
        self.Y, self.dept, self.org = m["year"], m["dept"], m["org"]
        self.we = "本部门" if rng.random() < 0.6 else ("我" + ("委" if m["dept"].we == "我委" else "局"))
        self.narrative = doc.layout != "xlsx"
        self.acc: Accounts = make_accounts(rng, self.dept.name, self.budget, want_fund=rng.random() < 0.4)
        self.tunit = "元" if rng.random() < (0.35 if self.budget else 0.12) else "万元"
        self.nunit = self.tunit if rng.random() < 0.8 else ("万元" if self.tunit == "元" else "万元")
        if self.tunit == "万元" and rng.random() < 0.08:
            self.nunit = "元"
        self.zero = rng.choice(["", "", "0.00", "-"]) if self.tunit == "万元" else rng.choice(["", "0.00"])
        self.tcommas = self.tunit == "元" or rng.random() < 0.35
        self.M = "预算" if self.budget else "决算"
        self.table_no_style = rng.choice(["公开{n:02d}表", "表{n}", "附表{n}", ""])
        self.year_in_titles = rng.random() < 0.5
        self.code_style = rng.choice(["joined", "joined", "split"])
        self.rowno = rng.random() < 0.5
        self.colno = rng.random() < 0.4  # a 栏次 row under the header
        self.valign = rng.choice(["top", "middle"])
        self.repeat_header = rng.random() < 0.6
        self.landscape_wide = rng.random() < 0.7
        self.flow = rng.random() < 0.4  # tables follow each other without a page break (Word-made PDFs)
        self.row_lead = rng.choice([1.5, 1.6, 1.8, 2.0])
        self.n_table = 0
        self.item_style = self.ph.pick("func-item", 4)  # one numbering style per list, as a writer keeps it
        self.sg_style = self.ph.pick("sangong", 3)
        self.running_style = self.ph.pick("running-cost", 4)
        self.running_na = self.running_style == 3 and rng.random() < 0.5  # 事业单位: no 机关运行经费 at all
        self.n_zero = 0
        self.fund_slots: list[str] = []
        self.meta = m
        m.update(fiscal=True, has_fund=self.acc.has_fund, tunit=self.tunit, nunit=self.nunit, f_tables={}, f_shares=[], f_growth=[], f_change=[], f_completion=[], f_compare=[],
                 f_year=[], f_names=[], f_counts=[], f_narr=defaultdict(list), f_sme=None, f_breakdowns=[],
                 f_sangong_narr=None, f_basic_narr=None, f_empty={}, f_nil=None, f_repeat=None,
                 footer=rng.choice(["dash", "plain", "none"]))
        if doc.layout == "pdf" and m["footer"] != "none":
            self.ph.distractor("page_numbers")

    # ------------------------------------------------------------------ figures and slots
    def fk(self, code: str, src: str, part: str = "t") -> str:
        if src == "fis" and not self.acc.has_fund:
            src = "gen"
        return f"x.{code or 'all'}.{src}.{part}"

    def fig(self, key: str, value) -> str:
        if key in self.doc.figs and self.doc.figs[key] != value:
            raise ValueError(f"figure {key} set twice: {self.doc.figs[key]} / {value}")
        self.doc.figs[key] = value
        return key

    def x(self, code: str, src: str, part: str = "t") -> str:
        key = self.fk(code, src, part)
        src = "gen" if src == "fis" and not self.acc.has_fund else src
        return self.fig(key, self.acc.node(code, src, part))

    def zero_fig(self) -> str:
        self.n_zero += 1
        key = f"zero.{self.n_zero}"
        self.doc.figs[key] = D(0)
        self.doc.no_copy_check.add(key)
        return key

    def tcell(self, key: str, tbl: str, label: str = "") -> Ref:
        ref = self.doc.slot(key, unit=self.tunit, dec=2, commas=self.tcommas, place="table", label=label,
                            figure=bool(label), show_unit=False, tbl=tbl, zero_text=self.zero)
        self.meta["f_tables"][tbl]["cells"].append(ref.slot)
        if ".fund." in key or key.startswith(("in.all.fund", "in.fund", "s.cin.fund", "s.cout.fund")) or \
                (key.startswith("in.") and key.endswith(".fund")):
            self.fund_slots.append(ref.slot)
        return ref

    def money(self, key: str, pre: str = "", label: str = "", unit: Optional[str] = None) -> Ref:
        unit = unit or self.nunit
        return self.doc.slot(key, unit=unit, dec=2, commas=unit == "元", place="narrative", label=label, pre=pre,
                             figure=bool(label))


    def word(self, key: str, value: str) -> Ref:
        self.doc.figs[key] = value
        return self.doc.slot(key, place="narrative", text_fig=True)

    def count(self, key: str, n: int, unit: str, pre: str = "") -> Ref:
        self.fig(key, D(n))
        return self.doc.slot(key, unit=unit, dec=0, place="narrative", pre=pre)

    def year_slot(self, key: str) -> Ref:
        self.fig(key, D(self.Y))
        ref = self.doc.slot(key, unit="", dec=0, place="narrative")
        self.doc.no_copy_check.add(key)
        self.doc.relations.append(WrongYearRel(ref.slot, self.Y))
        self.meta["f_year"].append(ref.slot)
        self.ph.mark("wrong-year")
        return ref

    # ------------------------------------------------------------------ blocks
    def title(self, text):
        self.doc.add("title", [text])

    def part(self, *parts):
        if self.narrative:
            self.doc.add("part", list(parts))

    def heading(self, *parts):
        if self.narrative:
            self.doc.add("heading", list(parts))

    def para(self, *parts) -> Optional[Block]:
        if self.narrative:
            return self.doc.add("para", list(parts))
        return None

    def pick(self, family: str, n: int) -> int:
        return self.ph.pick(family, n)

    def shown(self, yuan_value: Decimal) -> Decimal:
        """An amount as the narrative prints it (万元 or 元, two decimals)."""
        return q(D(yuan_value) / (10000 if self.nunit == "万元" else 1), 2)


    # ------------------------------------------------------------------ the document
    def prepare(self):
        """Document-level figures, set before any block so narrative and tables can come in either order."""
        acc = self.acc
        for src in ("gen", "fund", "biz", "misc"):
            self.fig(f"in.all.{src}", acc.income_total(src))
        if acc.has_fund:
            self.fig("in.all.fis", acc.income_total("fis"))
        self.fig("in.all.all", acc.income_total())
        self.fig("s.cin", sum(acc.carry_in.values(), D(0)))
        self.fig("s.cout", sum(acc.carry_out.values(), D(0)))
        self.fig("s.grand.in", acc.income_total() + self.doc.figs["s.cin"])
        self.fig("s.grand.out", acc.total() + self.doc.figs["s.cout"])
        for s in ("gen", "fund"):
            self.fig(f"s.cin.{s}", acc.carry_in[s])
            self.fig(f"s.cout.{s}", acc.carry_out[s])
        if acc.has_fund:
            self.fig("s.cin.fis", acc.carry_in["gen"] + acc.carry_in["fund"])
            self.fig("s.cout.fis", acc.carry_out["gen"] + acc.carry_out["fund"])
        self.fig("s.fgrand.in", acc.income_total("fis") + acc.carry_in["gen"] + acc.carry_in["fund"])
        self.fig("s.fgrand.out", acc.total("fis") + acc.carry_out["gen"] + acc.carry_out["fund"])
        for src in ("all", "gen", "fund", "fis"):
            for part in ("t", "b", "p"):
                self.x("", src, part)
        econ = acc.econ
        self.fig("e.personnel", econ.get("301", D(0)) + econ.get("303", D(0)))
        self.fig("e.public", econ.get("302", D(0)) + econ.get("310", D(0)))
        for it in ("tot", "abroad", "car", "carbuy", "carrun", "recept"):
            for m in ("bud", "act", "prev"):
                self.fig(f"sg.{it}.{m}", acc.sg[(it, m)])
        self.fig("run.act", acc.running["act"])
        for k_, v in acc.procurement.items():
            self.fig(f"pc.{k_}", v)

    def build(self):
        Y = self.Y
        self.prepare()
        kind_word = self.M
        t = self.pick("totals", 4)
        title = [f"{self.org}{Y}年度部门{kind_word}", f"{self.org}{Y}年部门{kind_word}公开",
                 f"{self.org}{Y}年度单位{kind_word}", f"{self.org}{Y}年度部门{kind_word}情况说明"][t]
        self.title(title)
        self.meta["title"] = title
        if self.narrative and self.rng.random() < 0.35:
            self.toc()
        tables_first = self.rng.random() < 0.6
        self.overview()
        if tables_first:
            self.tables()
            self.explanation()
        else:
            self.explanation()
            self.tables()
        self.glossary()
        if self.narrative and self.rng.random() < 0.3:  # a sign-off left half filled in
            self.doc.add("note", [f"{self.org}　　　　填报日期：　　年　　月　　日"])
            self.ph.mark("placeholder")
            self.ph.distractor("blank_cover_date")
        if self.nunit != self.tunit:
            self.ph.distractor("unit_equivalent")
        if self.meta.get("f_nil"):
            self.doc.relations.append(NilClaimRel(self.meta["f_nil"], self.fund_slots[:], "政府性基金"))

    def toc(self):
        self.ph.distractor("toc_residue")
        lines = ["目　录", f"第一部分　部门概况{'.' * 24}（{1}）", f"第二部分　{self.Y}年度部门{self.M}表{'.' * 18}（{3}）",
                 f"第三部分　{self.Y}年度部门{self.M}情况说明{'.' * 14}（{14}）", f"第四部分　名词解释{'.' * 24}（{22}）"]
        for ln in lines:
            self.doc.add("note", [ln])

    # ------------------------------------------------------------------ 第一部分 部门概况
    def overview(self):
        self.part("第一部分　部门概况")
        self.heading("一、主要职能")
        name = self.word("f.orgname", self.org)
        self.doc.relations.append(PlaceholderNameRel(name.slot))
        self.meta["f_names"].append(name.slot)
        k = self.pick("count-enum", 3)
        lead = [[name, f"的主要职能是：{self.dept.duties}。"], ["根据“三定”方案，", name, f"主要{self.dept.duties}。"],
                [name, f"承担的主要职责：{self.dept.duties}。"]][k]
        self.para(*lead)
        self.heading("二、机构设置")
        offices = self.rng.choice(fv.OFFICE_SETS)[:]
        self.rng.shuffle(offices)
        offices = offices[: self.rng.randint(3, len(offices))]
        cnt = self.count("f.offices.n", len(offices), "个")
        lst = self.word("f.offices.list", "、".join(offices))
        k = self.pick("count-enum", 4)
        if k == 3:  # a list closed by 等: not a full enumeration
            self.doc.figs["f.offices.list"] = "、".join(offices[:-1]) + "等"
            self.ph.distractor("non_exhaustive_list")
        parts = [[f"{self.org}内设机构", cnt, "，分别为：", lst, "。"], ["本部门设", cnt, "内设科室，即", lst, "。"],
                 ["机关内设", cnt, "职能股室：", lst, "。"], ["内设机构", cnt, "，包括", lst, "。"]][k]
        self.para(*parts)
        if self.narrative:
            self.doc.relations.append(CountListedRel(cnt.slot, lst.slot, "内设机构"))
            self.meta["f_counts"].append((cnt.slot, lst.slot))
        subs = self.dept.subunits[: self.rng.randint(1, len(self.dept.subunits))]
        if self.rng.random() < 0.6:
            c2 = self.count("f.subunits.n", len(subs), "个")
            l2 = self.word("f.subunits.list", "、".join(subs))
            self.para("下属事业单位", c2, "，即", l2, "。")
            if self.narrative:
                self.doc.relations.append(CountListedRel(c2.slot, l2.slot, "下属事业单位"))
                self.meta["f_counts"].append((c2.slot, l2.slot))
        self.heading("三、人员情况")
        on, retired = self.rng.randint(8, 120), self.rng.randint(0, 40)
        k = self.pick("breakdown", 3)
        tot = self.count("f.staff", on + retired, "人")
        a = self.count("f.staff.on", on, "人")
        b = self.count("f.staff.ret", retired, "人")
        if k == 0:
            self.para(f"截至{self.Y}年末，实有人员", tot, "，其中在职", a, "，退休", b, "。")
        elif k == 1:
            self.para("年末共有人员", tot, "：在职", a, "、离退休", b, "。")
        else:  # two classifications of the same people in one 其中 list (they add up to twice the total)
            admin_n = self.rng.randint(1, on)
            men = self.rng.randint(1, on)
            self.para(f"{self.Y}年末实有在职人员", a, "，其中：行政编制", self.count("f.staff.adm", admin_n, "人"), "，事业编制",
                      self.count("f.staff.biz", on - admin_n, "人"), "；男性", self.count("f.staff.m", men, "人"), "，女性",
                      self.count("f.staff.f", on - men, "人"), "。离退休人员", b, "。")
            self.ph.distractor("overlapping_counts")
            self.doc.extra_hard_negatives.append(HardNegative("overlapping_counts", "在职人员按编制与按性别两种口径各列一次，"
                                                                                   "分项合计为总数的两倍，不是矛盾"))

    # ------------------------------------------------------------------ tables
    def tables(self):
        if self.narrative:
            self.part(f"第二部分　{self.Y}年度部门{self.M}表" if self.rng.random() < 0.7 else f"第二部分　{self.Y}年部门{self.M}公开表")
        self.t_summary()
        self.t_income()
        self.t_spending()
        self.t_fiscal_summary()
        self.t_general()
        self.t_basic()
        self.t_sangong()
        self.t_fund()
        self.t_soe()

    def new_table(self, tbl: str, title: str, **kw) -> dict:
        self.n_table += 1
        info = {"cells": [], "title": title, "rows": {}, "leaf": [], "kind": tbl}
        self.meta["f_tables"][tbl] = info
        return info

    def table_title(self, base: str) -> str:
        return f"{self.Y}年度{base}" if self.year_in_titles else base

    def code_line(self) -> str:
        return self.table_no_style.format(n=self.n_table) if self.table_no_style else ""

    def unit_line(self) -> str:
        word = ["单位：", "金额单位：", "单位："][self.pick("unit-header", 3)]
        return f"{word}{self.tunit}"

    def org_line(self) -> str:
        return f"编制单位：{self.org}" if self.rng.random() < 0.5 else ""

    def emit(self, tbl: str, title: str, header: list, body: list, kinds: list, weights: list, notes=None,
             landscape=False, sheet=""):
        ncols = len(kinds)
        rows = header + body
        for r in rows:
            width = sum(c.span for c in r)
            if width != ncols:
                raise ValueError(f"{title}: row width {width} != {ncols}")
        b = FBlock("ftable", rows=rows, ncols=ncols, name=title, code_line=self.code_line(), unit_line=self.unit_line(),
                   org_line=self.org_line(), nhead=len(header), col_kinds=kinds, col_weights=weights, notes=notes or [],
                   landscape=landscape and self.landscape_wide, repeat_header=self.repeat_header, valign=self.valign,
                   cont_title=self.rng.random() < 0.3, sheet=sheet or title.replace(f"{self.Y}年度", "")[:31],
                   flow=self.flow, row_lead=self.row_lead)
        self.doc.blocks.append(b)
        return b

    def code_cells(self, code: str) -> list:
        if self.code_style == "split":
            parts = [code[:3], code[3:5], code[5:7]]
            return [cell(parts[0]), cell(parts[1]), cell(parts[2])]
        return [cell(code)]

    def code_header(self, rows: int) -> tuple[list, list, list]:
        """(header cells per header row, kinds, weights) of the code + name columns."""
        if self.code_style == "split":
            first = [cell("科目编码", span=3), cell("科目名称")]
            second = [cell("类"), cell("款"), cell("项"), cell(merge_up=True)]
            return [first, second] + [[cell(merge_up=True)] * 4 for _ in range(rows - 2)], ["code"] * 3 + ["name"], [0.45] * 3 + [2.6]
        first = [cell("科目编码"), cell("科目名称")]
        return [first] + [[cell(merge_up=True), cell(merge_up=True)] for _ in range(rows - 1)], ["code", "name"], [0.9, 2.6]

    def total_cells(self, label="合计") -> list:
        if self.code_style == "split":
            return [cell(label, span=4)]
        return [cell(label, span=2)]

    def coded_rows(self, codes, values, tbl: str, info: dict) -> list:
        """Body rows of a 功能分类 table: one per code, cells from values(code) -> [fig keys]."""
        body = []
        for code in codes:
            keys = values(code)
            refs = [self.tcell(k, tbl) for k in keys]
            info["rows"][code] = [r.slot for r in refs]
            if len(code) == 7:
                info["leaf"].append(code)
            body.append(self.code_cells(code) + [cell(self.acc.name(code))] + [cell(r) for r in refs])
        return body

    def tree_relations(self, info: dict, codes: list, total_slots: list, check_rows: bool = True):
        """类 = Σ款, 款 = Σ项, 合计 = Σ类, per column (table.rows_sum)."""
        if not check_rows:
            return
        rows = info["rows"]
        ncol = len(total_slots)
        for code in codes:
            kids = [c for c in codes if len(c) == len(code) + 2 and c.startswith(code)]
            if len(code) in (3, 5) and kids:
                for k in range(ncol):
                    self.doc.relations.append(SumRel("table.rows_sum", rows[code][k], [rows[c][k] for c in kids],
                                                     f"{self.acc.name(code)}（{code}）", describe=f"{info['title']}{code}行"))
        tops = [c for c in codes if len(c) == 3]
        for k in range(ncol):
            if tops:
                self.doc.relations.append(SumRel("table.rows_sum", total_slots[k], [rows[c][k] for c in tops], "合计",
                                                 describe=f"{info['title']}合计行"))

    def columns_relations(self, info: dict, row_slots: list[list], label: str = ""):
        for slots in row_slots:
            self.doc.relations.append(SumRel("table.columns_sum", slots[0], slots[1:], label or "合计栏",
                                             describe=f"{info['title']}合计栏"))


    # -- 收入支出决算总表 -----------------------------------------------------
    def t_summary(self):
        acc = self.acc
        tbl = "summary"
        title = self.table_title("收入支出决算总表" if not self.budget else "部门收支预算总表")
        info = self.new_table(tbl, title)
        col = "决算数" if not self.budget else "预算数"
        if self.budget:
            left = [("一、一般公共预算拨款收入", "in.all.gen"), ("二、政府性基金预算拨款收入", "in.all.fund"),
                    ("三、国有资本经营预算拨款收入", None), ("四、事业收入", "in.all.biz"), ("五、事业单位经营收入", None),
                    ("六、其他收入", "in.all.misc")]
        else:
            left = [("一、一般公共预算财政拨款收入", "in.all.gen"), ("二、政府性基金预算财政拨款收入", "in.all.fund"),
                    ("三、国有资本经营预算财政拨款收入", None), ("四、上级补助收入", None), ("五、事业收入", "in.all.biz"),
                    ("六、经营收入", None), ("七、附属单位上缴收入", None), ("八、其他收入", "in.all.misc")]
        used = acc.codes()
        if self.rng.random() < 0.5:
            classes = [(c, n) for c, n in fv.ALL_CLASSES if c in used]
        else:
            classes = list(fv.ALL_CLASSES)
        if self.rowno:
            self.ph.distractor("row_numbers")
        right = [(f"{cn(i + 1)}、{n}", self.x(c, "all") if c in acc.codes() else None, c) for i, (c, n) in enumerate(classes)]
        n = max(len(left), len(right))
        inc_total = "in.all.all"
        exp_total = self.x("", "all")
        kinds = ["name"] + (["rowno"] if self.rowno else []) + ["num", "name"] + (["rowno"] if self.rowno else []) + ["num"]
        weights = [2.6] + ([0.5] if self.rowno else []) + [1.2, 2.6] + ([0.5] if self.rowno else []) + [1.2]
        half = 3 if self.rowno else 2
        header = [[cell("收入", span=half), cell("支出", span=half)],
                  [cell("项目")] + ([cell("行次")] if self.rowno else []) + [cell(col), cell("项目")]
                  + ([cell("行次")] if self.rowno else []) + [cell(col)]]
        if self.colno:
            header.append([cell("栏次")] + ([cell("")] if self.rowno else []) + [cell("1"), cell("栏次")]
                          + ([cell("")] if self.rowno else []) + [cell("2")])
        body = []
        nrows = n + (3 if self.budget else 4)
        numbers = {"L": iter(range(1, nrows + 1)), "R": iter(range(nrows + 1, 2 * nrows + 1))}
        slots = {}

        def side(label, key, tag):
            rowno = next(numbers[tag[0]])
            out = [cell(label)] + ([cell(str(rowno))] if self.rowno else [])
            if key is None and label:
                key = self.zero_fig()
            if key is None:
                return out + [cell()]
            ref = self.tcell(key, tbl, label="部门整体支出" if tag == "Rexp" else "")
            slots[tag] = ref.slot
            return out + [cell(ref)]

        for i in range(n):
            lrow = side(*(left[i] if i < len(left) else ("", None)), tag=f"L{i}")
            r = right[i] if i < len(right) else ("", None, None)
            rrow = side(r[0], r[1], tag=f"R{i}")
            body.append(lrow + rrow)
        if self.budget:
            bottom = [(("本年收入合计", inc_total, "Linc"), ("本年支出合计", exp_total, "Rexp")),
                      (("上年结转", "s.cin", "Lcin"), ("结转下年", "s.cout", "Rcout")),
                      (("收入总计", "s.grand.in", "Lgrand"), ("支出总计", "s.grand.out", "Rgrand"))]
        else:
            bottom = [(("本年收入合计", inc_total, "Linc"), ("本年支出合计", exp_total, "Rexp")),
                      (("使用非财政拨款结余", None, "Luse"), ("结余分配", None, "Ralloc")),
                      (("年初结转和结余", "s.cin", "Lcin"), ("年末结转和结余", "s.cout", "Rcout")),
                      (("总计", "s.grand.in", "Lgrand"), ("总计", "s.grand.out", "Rgrand"))]
        for (ll, lk, lt), (rl, rk, rt) in bottom:
            body.append(side(ll, lk, lt) + side(rl, rk, rt))
        self.emit(tbl, title, header, body, kinds, weights, landscape=False)
        info["slots"] = slots
        # balance: the two 总计, and each 总计 against 本年合计 + carry-over
        self.doc.relations.append(SumRel("table.balance", slots["Lgrand"], [slots["Rgrand"]], "总计",
                                         describe=f"{title}收支总计"))
        lparts = [slots[k] for k in ("Linc", "Luse", "Lcin") if k in slots]
        rparts = [slots[k] for k in ("Rexp", "Ralloc", "Rcout") if k in slots]
        self.doc.relations.append(SumRel("table.balance", slots["Lgrand"], lparts, "收入总计", describe=f"{title}收入总计"))
        self.doc.relations.append(SumRel("table.balance", slots["Rgrand"], rparts, "支出总计", describe=f"{title}支出总计"))
        if acc.income_total() != acc.total():
            self.ph.distractor("income_ne_spending")

    # -- 收入决算表 -----------------------------------------------------------------
    def t_income(self):
        acc = self.acc
        tbl = "income"
        title = self.table_title("收入决算表" if not self.budget else "部门收入预算表")
        info = self.new_table(tbl, title)
        if self.budget:
            cols = [("合计", "t"), ("一般公共预算拨款收入", "gen"), ("政府性基金预算拨款收入", "fund"), ("事业收入", "biz"),
                    ("其他收入", "misc")]
        else:
            cols = [("本年收入合计", "t"), ("财政拨款收入", "fis"), ("上级补助收入", None), ("事业收入", "biz"),
                    ("经营收入", None), ("附属单位上缴收入", None), ("其他收入", "misc")]
        codes = acc.codes(income=True)
        hrows = 3 if self.colno else 2
        head, kinds, weights = self.code_header(hrows)
        head[0] = head[0] + [cell(name) for name, _ in cols]
        for r in range(1, hrows):
            head[r] = head[r] + [cell(merge_up=True) for _ in cols]
        if self.colno:
            head[-1] = [cell("栏次", span=len(kinds))] + [cell(str(k)) for k in range(1, len(cols) + 1)]
            head[1] = head[1][: len(kinds)] + [cell(merge_up=True) for _ in cols]

        def key(code, src):
            if src is None:
                return self.zero_fig()
            if src == "fis" and not acc.has_fund:
                src = "gen"
            k = f"in.{code or 'all'}.{src}" if src != "t" else f"in.{code or 'all'}.all"
            return self.fig(k, acc.node(code, "all" if src == "t" else src, income=True))

        total = [self.tcell(key("", s), tbl) for _, s in cols]
        body = [self.total_cells() + [cell(r) for r in total]]
        body += self.coded_rows(codes, lambda c: [key(c, s) for _, s in cols], tbl, info)
        self.emit(tbl, title, head, body, kinds + ["num"] * len(cols), weights + [1.0] * len(cols), landscape=len(cols) > 5)
        self.tree_relations(info, codes, [r.slot for r in total])
        self.columns_relations(info, [[r.slot for r in total]] + [info["rows"][c] for c in codes], "本年收入合计")
        info["total"] = [r.slot for r in total]

    # -- 支出决算表 -----------------------------------------------------------------
    def t_spending(self):
        acc = self.acc
        tbl = "spending"
        title = self.table_title("支出决算表" if not self.budget else "部门支出预算表")
        info = self.new_table(tbl, title)
        extra = not self.budget and self.rng.random() < 0.6
        cols = [("本年支出合计" if not self.budget else "合计", "t", "部门整体支出"), ("基本支出", "b", "基本支出"),
                ("项目支出", "p", "项目支出")]
        if extra:
            cols += [("上缴上级支出", None, ""), ("经营支出", None, ""), ("对附属单位补助支出", None, "")]
        codes = acc.codes()
        hrows = 3 if self.colno else 2
        head, kinds, weights = self.code_header(hrows)
        head[0] = head[0] + [cell(name) for name, _, _ in cols]
        for r in range(1, hrows):
            head[r] = head[r] + [cell(merge_up=True) for _ in cols]
        if self.colno:
            head[-1] = [cell("栏次", span=len(kinds))] + [cell(str(k)) for k in range(1, len(cols) + 1)]

        def key(code, part):
            return self.x(code, "all", part) if part else self.zero_fig()

        total = [self.doc.slot(key("", p), unit=self.tunit, dec=2, commas=self.tcommas, place="table", label=lab,
                               figure=bool(lab), show_unit=False, tbl=tbl, zero_text=self.zero) for _, p, lab in cols]
        info["cells"].extend(r.slot for r in total)
        body = [self.total_cells() + [cell(r) for r in total]]
        body += self.coded_rows(codes, lambda c: [key(c, p) for _, p, _ in cols], tbl, info)
        self.emit(tbl, title, head, body, kinds + ["num"] * len(cols), weights + [1.0] * len(cols), landscape=len(cols) > 4)
        self.tree_relations(info, codes, [r.slot for r in total])
        self.columns_relations(info, [[r.slot for r in total]] + [info["rows"][c] for c in codes], "本年支出合计")
        info["total"] = [r.slot for r in total]

    # -- 财政拨款收入支出决算总表 -------------------------------------------------
    def t_fiscal_summary(self):
        acc = self.acc
        tbl = "fiscal"
        title = self.table_title("财政拨款收入支出决算总表" if not self.budget else "财政拨款收支预算总表")
        info = self.new_table(tbl, title)
        has_fund = acc.has_fund
        inc_gen = "in.all.gen"
        inc_fund = "in.all.fund"
        inc_fis = "in.all.fis" if has_fund else inc_gen
        cin = {s: f"s.cin.{s}" for s in ("gen", "fund")}
        cout = {s: f"s.cout.{s}" for s in ("gen", "fund")}
        cin_f = "s.cin.fis" if has_fund else cin["gen"]
        cout_f = "s.cout.fis" if has_fund else cout["gen"]
        grand_in, grand_out = "s.fgrand.in", "s.fgrand.out"
        col = "决算数" if not self.budget else "预算数"
        rcols = [("合计", "fis"), ("一般公共预算财政拨款", "gen"), ("政府性基金预算财政拨款", "fund"), ("国有资本经营预算财政拨款", None)]
        rowno = self.rowno
        kinds = ["name"] + (["rowno"] if rowno else []) + ["num", "name"] + (["rowno"] if rowno else []) + ["num"] * 4
        weights = [2.2] + ([0.4] if rowno else []) + [1.0, 2.2] + ([0.4] if rowno else []) + [1.0] * 4
        lh = 3 if rowno else 2
        header = [[cell("收入", span=lh), cell("支出", span=lh + 3)],
                  [cell("项目")] + ([cell("行次")] if rowno else []) + [cell(col), cell("项目")] + ([cell("行次")] if rowno else [])
                  + [cell(n) for n, _ in rcols]]
        left = [("一、一般公共预算财政拨款", inc_gen), ("二、政府性基金预算财政拨款", inc_fund),
                ("三、国有资本经营预算财政拨款", None)]
        fis_codes = [c for c in acc.codes("fis") if len(c) == 3]
        right = [(f"{cn(i + 1)}、{acc.name(c)}", c) for i, c in enumerate(fis_codes)]
        body = []
        nrows = max(3, len(fis_codes)) + 5
        numbers = {"L": iter(range(1, nrows + 1)), "R": iter(range(nrows + 1, 2 * nrows + 1))}
        slots: dict = {}

        def lcell(label, key, tag):
            n_row = next(numbers["L"])
            out = [cell(label)] + ([cell(str(n_row))] if rowno else [])
            if not label:
                return out + [cell()]
            ref = self.tcell(key if key else self.zero_fig(), tbl)
            slots[tag] = ref.slot
            return out + [cell(ref)]

        def rcells(label, keys, tag):
            n_row = next(numbers["R"])
            out = [cell(label)] + ([cell(str(n_row))] if rowno else [])
            if not label:
                return out + [cell() for _ in rcols]
            refs = [self.tcell(k if k else self.zero_fig(), tbl) for k in keys]
            slots[tag] = [r.slot for r in refs]
            return out + [cell(r) for r in refs]

        rows_n = max(len(left), len(right))
        for i in range(rows_n):
            lrow = lcell(*(left[i] if i < len(left) else ("", None)), tag=f"L{i}")
            if i < len(right):
                lab, c = right[i]
                keys = [self.x(c, s) if s else None for _, s in rcols]
                rrow = rcells(lab, keys, f"R{c}")
                info["rows"][c] = slots[f"R{c}"]
            else:
                rrow = rcells("", [], f"R{i}")
            body.append(lrow + rrow)
        tot_keys = [self.x("", s) if s else None for _, s in rcols]
        body.append(lcell("本年收入合计", inc_fis, "Linc") + rcells("本年支出合计", tot_keys, "Rexp"))
        body.append(lcell("年初财政拨款结转和结余" if not self.budget else "上年结转", cin_f, "Lcin")
                    + rcells("年末财政拨款结转和结余" if not self.budget else "结转下年", [cout_f, cout["gen"], cout["fund"], None], "Rcout"))
        body.append(lcell("　一般公共预算财政拨款", cin["gen"], "Lcg") + rcells("", [], "x1"))
        body.append(lcell("　政府性基金预算财政拨款", cin["fund"], "Lcf") + rcells("", [], "x2"))
        gkeys = [grand_out] + [self.fig(f"s.fgrand.out.{s}", acc.total(s) + acc.carry_out.get(s, D(0))) if s else None
                               for _, s in rcols[1:]]
        body.append(lcell("总计", grand_in, "Lgrand") + rcells("总计", gkeys, "Rgrand"))
        self.emit(tbl, title, header, body, kinds, weights, landscape=True)
        info["slots"] = slots
        self.doc.relations.append(SumRel("table.balance", slots["Lgrand"], [slots["Rgrand"][0]], "总计",
                                         describe=f"{title}收支总计"))
        self.doc.relations.append(SumRel("table.balance", slots["Lgrand"], [slots["Linc"], slots["Lcin"]], "收入总计",
                                         describe=f"{title}收入总计"))
        self.doc.relations.append(SumRel("table.balance", slots["Rgrand"][0], [slots["Rexp"][0], slots["Rcout"][0]],
                                         "支出总计", describe=f"{title}支出总计"))
        self.columns_relations(info, [v for k, v in slots.items() if k.startswith("R") and isinstance(v, list) and v], "合计")

    # -- 一般公共预算财政拨款支出决算表 ---------------------------------------------------
    def t_general(self):
        acc = self.acc
        tbl = "general"
        title = self.table_title("一般公共预算财政拨款支出决算表" if not self.budget else "一般公共预算支出预算表")
        info = self.new_table(tbl, title)
        with_budget = not self.budget and self.rng.random() < 0.35  # the older template: 年初预算数 first
        if self.budget and self.rng.random() < 0.3:
            with_budget = True
        codes = acc.codes("gen")
        hrows = 3 if self.colno else 2
        head, kinds, weights = self.code_header(hrows)
        bname = "年初预算数" if not self.budget else "上年预算数"
        if with_budget:
            head[0] = head[0] + [cell(bname), cell("决算数" if not self.budget else "本年预算数", span=3)]
            head[1] = head[1] + [cell(merge_up=True), cell("合计"), cell("基本支出"), cell("项目支出")]
        else:
            head[0] = head[0] + [cell("本年支出" if not self.budget else "本年预算", span=3)]
            head[1] = head[1] + [cell("合计"), cell("基本支出"), cell("项目支出")]
        ncols = 4 if with_budget else 3
        for r in range(2, hrows):
            head[r] = head[r][: len(kinds)] + [cell(merge_up=True) for _ in range(ncols)]
        if self.colno:
            head[-1] = [cell("栏次", span=len(kinds))] + [cell(str(k)) for k in range(1, ncols + 1)]

        def bud_key(code):
            v = acc.budget_of(code) if not self.budget else acc.prev_of(code)
            return self.fig(f"bud.{code or 'all'}", v) if not self.budget else self.fig(f"prev.{code or 'all'}", v)

        def keys(code):
            ks = [self.x(code, "gen", p) for p in ("t", "b", "p")]
            return ([bud_key(code)] if with_budget else []) + ks

        labels = ([""] if with_budget else []) + ["", "基本支出", "项目支出"]
        total = [self.doc.slot(k, unit=self.tunit, dec=2, commas=self.tcommas, place="table", label=lab, figure=bool(lab),
                               show_unit=False, tbl=tbl, zero_text=self.zero) for k, lab in zip(keys(""), labels)]
        info["cells"].extend(r.slot for r in total)
        body = [self.total_cells() + [cell(r) for r in total]]
        body += self.coded_rows(codes, keys, tbl, info)
        self.emit(tbl, title, head, body, kinds + ["num"] * ncols, weights + [1.0] * ncols)
        self.tree_relations(info, codes, [r.slot for r in total])
        if not with_budget:
            self.columns_relations(info, [[r.slot for r in total]] + [info["rows"][c] for c in codes], "合计")
        info["total"] = [r.slot for r in total]
        info["with_budget"] = with_budget

    # -- 一般公共预算财政拨款基本支出决算表 -------------------------------------------------
    def t_basic(self):
        acc = self.acc
        tbl = "basic"
        title = self.table_title("一般公共预算财政拨款基本支出决算表" if not self.budget else "一般公共预算基本支出预算表")
        info = self.new_table(tbl, title)
        econ = acc.econ
        gen_b = self.x("", "gen", "b")
        classes = [c for c, _ in fv.ECON_CLASSES if c in econ]
        names = dict(fv.ECON_CLASSES)
        labels = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭补助支出"}
        for c in classes:
            self.fig(f"e.{c}", econ[c])
            for code, _ in acc.econ_items[c]:
                self.fig(f"e.{code}", econ[code])
        two_blocks = self.rng.random() < 0.5
        if not two_blocks:
            kinds = ["code", "name", "num", "num", "num"]
            weights = [0.8, 2.4, 1.0, 1.0, 1.0]
            head = [[cell("科目编码"), cell("科目名称"), cell(f"{'决算数' if not self.budget else '预算数'}", span=3)],
                    [cell(merge_up=True), cell(merge_up=True), cell("合计"), cell("人员经费"), cell("公用经费")]]
            tot = [self.doc.slot(k, unit=self.tunit, dec=2, commas=self.tcommas, place="table", label=lab, figure=True,
                                 show_unit=False, tbl=tbl, zero_text=self.zero)
                   for k, lab in ((gen_b, "基本支出"), ("e.personnel", "人员经费"), ("e.public", "公用经费"))]
            info["cells"].extend(r.slot for r in tot)
            body = [[cell("合计", span=2)] + [cell(r) for r in tot]]
            rows = {}
            for c in classes:
                pers = c in ("301", "303")
                for code, name in [(c, names[c])] + acc.econ_items[c]:
                    key = f"e.{code}"
                    main = self.doc.slot(key, unit=self.tunit, dec=2, commas=self.tcommas, place="table",
                                         label=labels.get(code, "") if code == c else "", figure=code in labels,
                                         show_unit=False, tbl=tbl, zero_text=self.zero)
                    info["cells"].append(main.slot)
                    other = self.tcell(key, tbl)
                    z = self.tcell(self.zero_fig(), tbl)
                    cells_ = [main, other, z] if pers else [main, z, other]
                    rows[code] = [r.slot for r in cells_]
                    body.append([cell(code), cell(name)] + [cell(r) for r in cells_])
            self.emit(tbl, title, head, body, kinds, weights)
            for code, slots in rows.items():
                kids = [k for k in rows if len(k) == 5 and k.startswith(code)] if len(code) == 3 else []
                for k in range(3):
                    if kids:
                        self.doc.relations.append(SumRel("table.rows_sum", slots[k], [rows[x][k] for x in kids],
                                                         f"{names[code]}（{code}）", describe=f"{title}{code}行"))
            for k in range(3):
                self.doc.relations.append(SumRel("table.rows_sum", tot[k].slot, [rows[c][k] for c in classes], "合计",
                                                 describe=f"{title}合计行"))
            self.columns_relations(info, [[r.slot for r in tot]] + list(rows.values()), "合计")
            info["rows"] = rows
            info["total"] = [r.slot for r in tot]
        else:
            kinds = ["code", "name", "num", "code", "name", "num"]
            weights = [0.7, 2.2, 1.0, 0.7, 2.2, 1.0]
            m = "决算数" if not self.budget else "预算数"
            head = [[cell("人员经费", span=3), cell("公用经费", span=3)],
                    [cell("科目编码"), cell("科目名称"), cell(m), cell("科目编码"), cell("科目名称"), cell(m)]]
            left = [(code, name) for c in classes if c in ("301", "303") for code, name in [(c, names[c])] + acc.econ_items[c]]
            right = [(code, name) for c in classes if c in ("302", "310") for code, name in [(c, names[c])] + acc.econ_items[c]]
            rows = {}
            body = []
            for i in range(max(len(left), len(right))):
                row = []
                for side in (left, right):
                    if i < len(side):
                        code, name = side[i]
                        ref = self.doc.slot(f"e.{code}", unit=self.tunit, dec=2, commas=self.tcommas, place="table",
                                            label=labels.get(code, "") if len(code) == 3 else "", figure=code in labels,
                                            show_unit=False, tbl=tbl, zero_text=self.zero)
                        info["cells"].append(ref.slot)
                        rows[code] = [ref.slot]
                        row += [cell(code), cell(name), cell(ref)]
                    else:
                        row += [cell(), cell(), cell()]
                body.append(row)
            pr = self.doc.slot("e.personnel", unit=self.tunit, dec=2, commas=self.tcommas, place="table", label="人员经费",
                               figure=True, show_unit=False, tbl=tbl)
            pu = self.doc.slot("e.public", unit=self.tunit, dec=2, commas=self.tcommas, place="table", label="公用经费",
                               figure=True, show_unit=False, tbl=tbl)
            info["cells"] += [pr.slot, pu.slot]
            body.append([cell("人员经费合计", span=2), cell(pr), cell("公用经费合计", span=2), cell(pu)])
            self.emit(tbl, title, head, body, kinds, weights, landscape=False)
            for code in [c for c in classes]:
                kids = [k for k in rows if len(k) == 5 and k.startswith(code)]
                if kids:
                    self.doc.relations.append(SumRel("table.rows_sum", rows[code][0], [rows[k][0] for k in kids],
                                                     f"{names[code]}（{code}）", describe=f"{title}{code}行"))
            info["rows"] = rows
            info["total"] = [pr.slot, pu.slot]
        info["two_blocks"] = two_blocks

    # -- 三公 -------------------------------------------------------------------------
    def t_sangong(self):
        tbl = "sangong"
        if self.budget:
            title = self.table_title(self.rng.choice(["一般公共预算“三公”经费支出预算表", "财政拨款“三公”经费支出预算表"]))
        else:
            title = self.table_title(self.rng.choice(["财政拨款“三公”经费支出决算表", "一般公共预算财政拨款“三公”经费支出决算表"]))
        info = self.new_table(tbl, title)
        items = [("tot", "合计", "三公经费"), ("abroad", "因公出国（境）费", "因公出国（境）费"),
                 ("car", "公务用车购置及运行费", "公务用车购置及运行维护费"), ("carbuy", "公务用车购置费", ""),
                 ("carrun", "公务用车运行费", ""), ("recept", "公务接待费", "公务接待费")]
        measures = ["bud", "act"] if not self.budget else ["act"]
        with_running = not self.budget and self.rng.random() < 0.25 and not self.running_na
        layout = self.rng.choice(["wide", "rows"])
        slots = {}
        if layout == "wide":
            mnames = {"bud": "预算数", "act": "决算数"} if not self.budget else {"act": "预算数"}
            ncol = 6 * len(measures) + (1 if with_running else 0)
            h0, h1, h2 = [], [], []
            for m in measures:
                h0.append(cell(mnames[m], span=6))
                h1 += [cell("合计"), cell("因公出国（境）费"), cell("公务用车购置及运行费", span=3), cell("公务接待费")]
                h2 += [cell(merge_up=True), cell(merge_up=True), cell("小计"), cell("公务用车购置费"), cell("公务用车运行费"),
                       cell(merge_up=True)]
            if with_running:
                h0.append(cell("机关运行经费"))
                h1.append(cell(merge_up=True))
                h2.append(cell(merge_up=True))
            header = [h0, h1, h2]
            if self.colno:
                header.append([cell(str(k)) for k in range(1, ncol + 1)])
                self.ph.distractor("row_numbers")
            row = []
            for m in measures:
                for it, _, lab in items:
                    ref = self.doc.slot(f"sg.{it}.{m}", unit=self.tunit, dec=2, commas=self.tcommas, place="table", label=lab,
                                        figure=bool(lab), show_unit=False, tbl=tbl, zero_text=self.zero)
                    info["cells"].append(ref.slot)
                    slots[(it, m)] = ref.slot
                    row.append(cell(ref))
            if with_running:
                ref = self.tcell("run.act", tbl)
                row.append(cell(ref))
            self.emit(tbl, title, header, [row], ["num"] * ncol, [1.0] * ncol, landscape=ncol > 7)
        else:
            mnames = {"bud": "预算数", "act": "决算数"} if not self.budget else {"act": "预算数"}
            if self.budget:
                mnames = {"act": f"{self.Y}年预算数"}
            header = [[cell("项目")] + [cell(mnames[m]) for m in measures]]
            body = []
            for it, name, lab in items:
                shown = {"tot": "合计", "car": "公务用车购置及运行维护费", "carbuy": "其中：公务用车购置费",
                         "carrun": "　　　公务用车运行维护费"}.get(it, name)
                row = [cell(shown)]
                for m in measures:
                    ref = self.doc.slot(f"sg.{it}.{m}", unit=self.tunit, dec=2, commas=self.tcommas, place="table",
                                        label=lab, figure=bool(lab), show_unit=False, tbl=tbl, zero_text=self.zero)
                    info["cells"].append(ref.slot)
                    slots[(it, m)] = ref.slot
                    row.append(cell(ref))
                body.append(row)
            if with_running:
                ref = self.tcell("run.act", tbl)
                body.append([cell("机关运行经费")] + ([cell()] if len(measures) == 2 else []) + [cell(ref)])
            self.emit(tbl, title, header, body, ["name"] + ["num"] * len(measures), [2.6] + [1.2] * len(measures))
        for m in measures:
            self.doc.relations.append(SumRel("table.sangong", slots[("tot", m)],
                                             [slots[("abroad", m)], slots[("car", m)], slots[("recept", m)]], "三公经费",
                                             describe=f"{title}三公经费合计"))
            self.doc.relations.append(SumRel("table.sangong", slots[("car", m)], [slots[("carbuy", m)], slots[("carrun", m)]],
                                             "公务用车购置及运行费", describe=f"{title}公务用车购置及运行费"))
        info["slots"] = slots
        info["layout"] = layout

    # -- 政府性基金 / 国有资本经营 ----------------------------------------------------------
    def empty_note(self, what: str) -> str:
        k = self.pick("empty-table", 4)
        return [f"注：本单位{self.Y}年度没有{what}收入、支出和结转结余，本表无数据。",
                f"注：{self.Y}年度本部门无{what}收支，故本表为空表。",
                f"说明：本部门不涉及{what}，此表以空表列示。",
                f"注：本表无数据（{self.Y}年度未安排{what}）。"][k]

    def t_fund(self):
        acc = self.acc
        tbl = "fund"
        title = self.table_title("政府性基金预算财政拨款收入支出决算表" if not self.budget else "政府性基金预算支出预算表")
        info = self.new_table(tbl, title)
        codes = acc.codes("fund")
        head, kinds, weights = self.code_header(2)
        if self.budget:
            cols = [("合计", "t"), ("基本支出", "b"), ("项目支出", "p")]
            head[0] = head[0] + [cell("本年政府性基金预算支出", span=3)]
            head[1] = head[1] + [cell(n) for n, _ in cols]
        else:
            cols = [("年初结转和结余", "cin"), ("本年收入", "inc"), ("合计", "t"), ("基本支出", "b"), ("项目支出", "p"),
                    ("年末结转和结余", "cout")]
            head[0] = head[0] + [cell("年初结转和结余"), cell("本年收入"), cell("本年支出", span=3), cell("年末结转和结余")]
            head[1] = head[1] + [cell(merge_up=True), cell(merge_up=True), cell("合计"), cell("基本支出"), cell("项目支出"),
                                 cell(merge_up=True)]

        def key(code, c):
            if c in ("cin", "cout"):
                return self.zero_fig()
            if c == "inc":
                return self.fig(f"in.{code or 'all'}.fund", acc.node(code, "fund", income=True))
            return self.x(code, "fund", c)

        note_word = "" if acc.has_fund else self.empty_note("政府性基金预算财政拨款")
        note = self.word("note.fund", note_word)
        self.doc.slots[note.slot].place = "table"
        if codes:
            total = [self.tcell(key("", c), tbl) for _, c in cols]
            body = [self.total_cells() + [cell(r) for r in total]]
            body += self.coded_rows(codes, lambda c: [key(c, k) for _, k in cols], tbl, info)
            info["total"] = [r.slot for r in total]
        else:
            body = [self.total_cells() + [cell() for _ in cols]]
            self.ph.distractor("empty_fund_tables")
        self.emit(tbl, title, head, body, kinds + ["num"] * len(cols), weights + [1.0] * len(cols), notes=[[note]],
                  landscape=len(cols) > 4)
        if codes:
            self.tree_relations(info, codes, info["total"])
        self.doc.relations.append(EmptyTableRel(note.slot, info["cells"][:], title))
        self.meta["f_empty"]["fund"] = note.slot
        if not acc.has_fund:
            self.ph.mark("empty-table")

    def t_soe(self):
        tbl = "soe"
        title = self.table_title("国有资本经营预算财政拨款支出决算表" if not self.budget else "国有资本经营预算支出预算表")
        info = self.new_table(tbl, title)
        head, kinds, weights = self.code_header(2)
        head[0] = head[0] + [cell("本年支出", span=3)]
        head[1] = head[1] + [cell("合计"), cell("基本支出"), cell("项目支出")]
        body = [self.total_cells() + [cell() for _ in range(3)]]
        note = self.word("note.soe", self.empty_note("国有资本经营预算财政拨款"))
        self.doc.slots[note.slot].place = "table"
        self.emit(tbl, title, head, body, kinds + ["num"] * 3, weights + [1.0] * 3, notes=[[note]])
        self.doc.relations.append(EmptyTableRel(note.slot, [], title))
        _ = info

    # ------------------------------------------------------------------ 情况说明
    def explanation(self):
        ys = self.year_slot("year.part3")
        self.part("第三部分　", ys, f"年度部门{self.M}情况说明" if self.rng.random() < 0.7 else f"年部门{self.M}情况说明")
        sec = iter(range(1, 20))
        self.s_overall(next(sec))
        self.s_income(next(sec))
        self.s_spending(next(sec))
        self.s_fiscal(next(sec))
        self.s_general(next(sec))
        self.s_basic(next(sec))
        self.s_sangong(next(sec))
        self.s_fund(next(sec))
        self.s_other(next(sec))

    def growth_phrase(self, tag: str, cur_key: str, cur_ref: Optional[Ref], prev_value: Decimal, base_word: str,
                      label: str, force=None) -> list:
        """"比上年增加X万元，增长P%" after an amount; registers growth and change relations.
        Returns the parts to print (empty when last year's amount is unknown)."""
        cur = D(self.doc.figs[cur_key])
        if prev_value <= 0 or cur_ref is None:
            return []
        diff = cur - prev_value
        up = diff >= 0
        akey = self.fig(f"chg.{tag}", abs(diff))
        pkey = self.fig(f"chgp.{tag}", abs(pct_of(diff, prev_value)))
        self.doc.no_copy_check.update({akey, pkey})
        k = force if force is not None else self.pick("yoy-change", 5)
        amount = self.money(akey)
        w1 = self.word(f"w1.{tag}", "增加" if up else "减少")
        w2 = self.word(f"w2.{tag}", "增长" if up else "下降")
        pct = self.doc.slot(pkey, unit="%", dec=2 if k != 3 else 1, place="narrative")
        self.doc.relations.append(GrowthRelF(pct.slot, w2.slot, cur_ref.slot, label, amount=amount.slot, amount_word=w1.slot))
        self.doc.relations.append(ChangeRel(amount.slot, w1.slot, cur_ref.slot, label))
        self.meta["f_growth"].append({"pct": pct.slot, "word": w2.slot, "amount": amount.slot, "aword": w1.slot,
                                      "cur": cur_ref.slot, "prev": prev_value, "label": label})
        self.ph.distractor("change_beside_level")
        if k == 0:
            return [f"，比{base_word}", w1, amount, "，", w2, pct]
        if k == 1:
            self.doc.figs[f"w1.{tag}"] = "增" if up else "减"
            self.doc.figs[f"w2.{tag}"] = "增幅" if up else "降幅"
            return [f"，较{base_word}", w1, amount, "，", w2, pct]
        if k == 2:
            return [f"。与{base_word}相比，", w1, amount, "，", w2, pct]
        if k == 3:
            return ["，同比", w1, amount, "，", w2, pct]
        return [f"，比{base_word}", w1, amount, "（", w2, pct, "）"]

    def reason(self, up: bool) -> str:
        return self.rng.choice(fv.UP_REASONS if up else fv.DOWN_REASONS)

    # (一) 收入支出总体情况
    def s_overall(self, n):
        acc = self.acc
        self.heading(f"{cn(n)}、收入支出{self.M}总体情况")
        grand = self.doc.figs["s.grand.in"]
        prev = q(D(grand) / D(repr(acc.growth["grand"])), 2)
        k = self.pick("totals", 3)
        if k == 0:
            g = self.money("s.grand.in")
            parts = [f"{self.Y}年度收、支总计均为", g]
        elif k == 1:
            g = self.money("s.grand.in")
            g2 = self.money("s.grand.out")
            parts = [f"{self.Y}年度收入总计", g, "，支出总计", g2]
            self.ph.distractor("paired_sentence")
        else:
            g = self.money("s.grand.in")
            parts = ["本年度收入支出总计", g]
        growth = self.growth_phrase("grand", "s.grand.in", g, prev, "上年", "收支总计")
        up = D(grand) >= prev
        self.para(*parts, *growth, f"。主要原因是{self.reason(up)}。" if growth else "。")

    # (二) 收入
    def shares_list(self, tag: str, whole_key: str, whole_ref: Ref, items: list, family_k: int, base_words=("", "")):
        """Parts with 占P% each (rounding-forced to 100.00 when they are the whole list)."""
        whole = D(self.doc.figs[whole_key])
        shares = [q(pct_of(D(self.doc.figs[k]), whole), 2) for _, k, _ in items]
        exhaustive = sum(D(self.doc.figs[k]) for _, k, _ in items) == whole
        if exhaustive and sum(shares) != 100 and shares and self.rng.random() < 0.7:
            j = max(range(len(shares)), key=lambda i: shares[i])
            shares[j] += D(100) - sum(shares)
            self.ph.distractor("forced_share")
        out = []
        self.last_parts = []
        for i, ((label, key, gl), s) in enumerate(zip(items, shares)):
            ref = self.money(key, pre=label, label=gl)
            self.last_parts.append(ref.slot)
            skey = self.fig(f"sh.{tag}.{i}", s)
            self.doc.no_copy_check.add(skey)
            sref = self.doc.slot(skey, unit="%", dec=2, place="narrative")
            self.doc.relations.append(RatioRel("rate.share", sref.slot, ref.slot, whole_ref.slot, f"{label}占比",
                                               describe=f"{label}占比"))
            self.meta["f_shares"].append({"rate": sref.slot, "part": ref.slot, "whole": whole_ref.slot, "label": label})
            sep = "；" if i < len(items) - 1 else "。"
            if family_k == 0:
                out += [ref, "，占", sref, sep]
            elif family_k == 1:
                out += [ref, f"，占{base_words[0]}", sref, sep]
            else:
                out += [ref, "（占", sref, "）", "、" if i < len(items) - 1 else "。"]
        return out

    def s_income(self, n):
        acc = self.acc
        self.heading(f"{cn(n)}、收入{self.M}情况")
        total = self.money("in.all.all", pre="本年收入合计")
        srcs = [("财政拨款收入", "in.all.fis" if acc.has_fund else "in.all.gen"), ("事业收入", "in.all.biz"),
                ("其他收入", "in.all.misc")]
        if acc.has_fund and self.rng.random() < 0.5:
            srcs = [("一般公共预算财政拨款收入", "in.all.gen"), ("政府性基金预算财政拨款收入", "in.all.fund")] + srcs[1:]
        items = [(lab, key, "") for lab, key in srcs if D(self.doc.figs.get(key, 0)) != 0]
        k = self.pick("share", 3)
        lead = [f"{self.Y}年度", total, "，其中："] if k != 2 else [f"{self.Y}年度", total, "。收入构成为："]
        body = self.shares_list("inc", "in.all.all", total, items, k, ("本年收入合计的", ""))
        self.para(*lead, *body)
        self.doc.relations.append(SumRel("sum.breakdown", total.slot, self.last_parts, "本年收入合计", mode="le",
                                         describe="本年收入合计“其中”列举"))

    def s_spending(self, n):
        self.heading(f"{cn(n)}、支出{self.M}情况")
        total = self.money(self.x("", "all"), pre="本年支出合计", label="部门整体支出")
        items = [("基本支出", self.x("", "all", "b"), "基本支出"), ("项目支出", self.x("", "all", "p"), "项目支出")]
        items = [it for it in items if D(self.doc.figs[it[1]]) != 0]
        k = self.pick("share", 3)
        if k == 1:
            lead = [f"{self.Y}年度", total, "。按支出性质分，"]
        else:
            lead = [f"{self.Y}年度", total, "，其中："] if k == 0 else [f"{self.Y}年", total, "，具体为："]
        body = self.shares_list("exp", self.fk("", "all"), total, items, k, ("本年支出合计的", ""))
        self.para(*lead, *body)
        if len(self.last_parts) == 2:  # 支出合计 = 基本支出 + 项目支出, stated in the prose
            self.doc.relations.append(SumRel("sum.total_basic_project", total.slot, self.last_parts, "本年支出合计",
                                             describe="本年支出合计＝基本支出＋项目支出"))
        self.meta["f_narr"]["exp_total"].append(total.slot)

    def s_fiscal(self, n):
        acc = self.acc
        self.heading(f"{cn(n)}、财政拨款收入支出{self.M}总体情况")
        g = self.money("s.fgrand.in")
        prev = q(D(self.doc.figs["s.fgrand.in"]) / D(repr(acc.growth["fis"])), 2)
        k = self.pick("totals", 2)
        if k == 0:
            parts = [f"{self.Y}年度财政拨款收、支总计均为", g]
        else:
            parts = [f"{self.Y}年度财政拨款收入支出总计", g]
        growth = self.growth_phrase("fgrand", "s.fgrand.in", g, prev, "上年", "财政拨款收支总计")
        self.para(*parts, *growth, "。")
        if not self.budget and acc.carry_out["gen"] and self.rng.random() < 0.6:
            self.para("其中，年末财政拨款结转和结余", self.money("s.cout.fis" if acc.has_fund else "s.cout.gen"),
                      "，主要是部分项目尚未完成，资金结转下年继续使用。")

    # (五) 一般公共预算
    def s_general(self, n):
        acc = self.acc
        self.heading(f"{cn(n)}、一般公共预算财政拨款支出{self.M}情况")
        gkey = self.x("", "gen")
        self.heading("（一）总体情况" if self.rng.random() < 0.7 else "（一）一般公共预算财政拨款支出总体情况")
        g = self.money(gkey, pre="一般公共预算财政拨款支出")
        exp_key = self.x("", "all")
        share = q(pct_of(D(self.doc.figs[gkey]), D(self.doc.figs[exp_key])), 2)
        skey = self.fig("sh.gen_of_all", share)
        sref = self.doc.slot(skey, unit="%", dec=2, place="narrative")
        whole = self.money(exp_key, pre="本年支出合计", label="部门整体支出")
        prev = acc.prev_of("") if self.budget else q(D(self.doc.figs[gkey]) / D(repr(acc.growth["gen"])), 2)
        growth = self.growth_phrase("gen", gkey, g, prev, "上年" if not self.budget else "上年预算", "一般公共预算财政拨款支出")
        k = self.pick("share", 2)
        if k == 0:
            self.para(f"{self.Y}年度", g, "，占", whole, "的", sref, *growth, "。")
        else:
            self.para(f"{self.Y}年度", g, "，占本年支出合计的", sref, *growth, "。")
            self.doc.slots[whole.slot].place = "narrative"
            # the whole is the 本年支出合计 stated in the 支出 section
            exp_slots = self.meta["f_narr"]["exp_total"]
            whole = Ref(exp_slots[0]) if exp_slots else whole
        self.doc.relations.append(RatioRel("rate.share", sref.slot, g.slot, whole.slot, "一般公共预算财政拨款支出占比"))
        self.meta["f_shares"].append({"rate": sref.slot, "part": g.slot, "whole": whole.slot, "label": "一般公共预算财政拨款支出"})
        # 结构
        self.heading("（二）结构情况" if self.rng.random() < 0.6 else "（二）一般公共预算财政拨款支出结构情况")
        classes = [c for c in acc.codes("gen") if len(c) == 3]
        k = self.pick("share", 3)
        items = [(f"{acc.name(c)}（类）" if k != 1 else acc.name(c), self.x(c, "gen"), "") for c in classes]
        if k == 2 and len(items) > 2:  # the main classes only, closed by 等
            items = sorted(items, key=lambda it: -D(self.doc.figs[it[1]]))[:2]
            body = self.shares_list("cls", gkey, g, items, 0)
            body[-1] = "等。"
            self.para(f"{self.Y}年度一般公共预算财政拨款支出主要用于以下方面：", *body)
            self.doc.relations.append(SumRel("sum.breakdown", g.slot, self.last_parts, "一般公共预算财政拨款支出", mode="le",
                                             describe="一般公共预算财政拨款支出主要用于"))
            self.ph.distractor("non_exhaustive_list")
            self.meta["f_breakdowns"].append({"total": g.slot, "parts": [s["part"] for s in self.meta["f_shares"][-len(items):]],
                                              "label": "一般公共预算财政拨款支出"})
        else:
            body = self.shares_list("cls", gkey, g, items, 0 if k == 0 else 1, ("一般公共预算财政拨款支出的", ""))
            self.para("其中：" if k == 0 else "按功能分类，", *body)
            self.doc.relations.append(SumRel("sum.breakdown", g.slot, self.last_parts, "一般公共预算财政拨款支出", mode="le",
                                             describe="一般公共预算财政拨款支出按功能分类"))
        # 具体情况
        self.heading("（三）具体情况" if self.rng.random() < 0.5 else "（三）一般公共预算财政拨款支出具体情况")
        if not self.budget:
            self.fig("bud.all", acc.budget_of(""))
            b0 = acc.budget_of("")
            bref = self.money("bud.all", pre="年初预算为")
            aref = self.money(gkey, pre="支出决算为")
            ckey = self.fig("cmp.all", q(pct_of(D(self.doc.figs[gkey]), b0), 2))
            cref = self.doc.slot(ckey, unit="%", dec=2, place="narrative")
            self.doc.relations.append(RatioRel("rate.completion", cref.slot, aref.slot, bref.slot, "一般公共预算财政拨款支出完成率"))
            self.meta["f_completion"].append({"rate": cref.slot, "actual": aref.slot, "budget": bref.slot, "label": "一般公共预算"})
            self.ph.mark("budget-vs-actual")
            self.para(f"{self.Y}年度一般公共预算财政拨款支出", bref, "，", aref, "，完成年初预算的", cref, "。其中：")
        leaves = [c for c in acc.codes("gen") if len(c) == 7]
        shown = leaves if len(leaves) <= 7 else sorted(self.rng.sample(leaves, 7))
        if len(shown) > 1:
            self.ph.distractor("func_item_paragraphs")
        for i, code in enumerate(shown, 1):
            self.func_item(i, code)

    def func_item(self, i: int, code: str):
        acc = self.acc
        cls, sub, item = acc.name(code[:3]), acc.name(code[:5]), acc.name(code)
        akey = self.x(code, "gen")
        actual = D(self.doc.figs[akey])
        k = self.item_style
        head = [f"{i}.{cls}（类）{sub}（款）{item}（项）", f"（{i}）{item}（{code}）", f"{i}、{cls}{sub}{item}",
                f"{i}.“{cls}”中“{sub}”款“{item}”项"][k]
        if self.budget:
            prev = acc.prev_of(code)
            aref = self.money(akey)
            tag = f"item{code}"
            if prev > 0:
                growth = self.growth_phrase(tag, akey, aref, prev, "上年预算", f"{item}（{code}）")
                self.para(head, "：", f"{self.Y}年预算", aref, *growth, f"，主要用于{self.rng.choice(fv.PROJECT_PURPOSES)}。")
            elif self.rng.random() < 0.5:
                self.para(head, "：", f"{self.Y}年预算", aref, "，上年未安排此项预算，为本年新增。")
                self.ph.distractor("zero_base_growth")
            else:  # the writer's habit: a new item "grows" by its whole amount, 100%
                akey2 = self.fig(f"chg.{tag}", D(self.doc.figs[akey]))
                pkey2 = self.fig(f"chgp.{tag}", D(100))
                self.doc.no_copy_check.update({akey2, pkey2})
                amount = self.money(akey2)
                w1, w2 = self.word(f"w1.{tag}", "增加"), self.word(f"w2.{tag}", "增长")
                pct = self.doc.slot(pkey2, unit="%", dec=0, place="narrative")
                self.doc.relations.append(GrowthRelF(pct.slot, w2.slot, aref.slot, item, amount=amount.slot, amount_word=w1.slot))
                self.doc.relations.append(ChangeRel(amount.slot, w1.slot, aref.slot, item))
                self.para(head, "：", f"{self.Y}年预算", aref, "，比上年预算", w1, amount, "，", w2, pct, "（上年未安排）。")
                self.ph.distractor("zero_base_growth")
            return
        bkey = self.fig(f"bud.{code}", acc.budget_of(code))
        budget = D(self.doc.figs[bkey])
        bref = self.money(bkey, pre="年初预算为" if k != 1 else "年初预算")
        aref = self.money(akey, pre="支出决算为" if k != 1 else "支出决算")
        if budget == 0:
            self.para(head, "：", bref, "，", aref, "，决算数大于年初预算数，主要原因是年中追加了该项经费。")
            self.ph.distractor("zero_base_growth")
            return
        ckey = self.fig(f"cmp.{code}", q(pct_of(actual, budget), 2))
        cref = self.doc.slot(ckey, unit="%", dec=2, place="narrative")
        self.doc.relations.append(RatioRel("rate.completion", cref.slot, aref.slot, bref.slot, f"{item}（{code}）完成率"))
        self.meta["f_completion"].append({"rate": cref.slot, "actual": aref.slot, "budget": bref.slot, "label": item})
        diff = self.shown(actual) - self.shown(budget)  # the writer compares the two printed amounts
        cmp_word = "大于" if diff > 0 else ("小于" if diff < 0 else "等于")
        if diff != 0 and abs(diff) <= self.shown(budget) * D("0.01") and self.rng.random() < 0.5:
            cmp_word = "基本持平"
            self.ph.distractor("loose_flat")
        wk = self.pick("comparison-word", 3)
        shown = cmp_word if wk != 1 or cmp_word in ("等于", "基本持平") else {"大于": "高于", "小于": "低于"}[cmp_word]
        w = self.word(f"cmpw.{code}", shown)
        self.doc.relations.append(ComparisonRel(w.slot, aref.slot, bref.slot, f"{item}（{code}）"))
        self.meta["f_compare"].append({"word": w.slot, "actual": aref.slot, "budget": bref.slot, "label": item})
        why = self.rng.choice(fv.MORE_THAN_BUDGET if diff > 0 else fv.LESS_THAN_BUDGET)
        if cmp_word == "等于":
            tail = ["决算数", w, "年初预算数。"]
        elif cmp_word == "基本持平":
            tail = ["决算数与年初预算数", w, "。"]
        elif wk == 2:
            tail = ["决算数", w, f"年初预算数的主要原因是{why}。"]
        else:
            tail = ["决算数", w, f"年初预算数，主要原因是{why}。"]
        if k == 1:
            self.para(head, "：", bref, "，", aref, "，完成", cref, "，", *tail)
        elif k == 2:
            self.para(head, aref, "，为年初预算的", cref, "。", bref, "，", *tail)
        else:
            self.para(head, "。", bref, "，", aref, "，完成年初预算的", cref, "。", *tail)

    # (六) 基本支出
    def s_basic(self, n):
        acc = self.acc
        self.heading(f"{cn(n)}、一般公共预算财政拨款基本支出{self.M}情况")
        gb = self.x("", "gen", "b")
        k = self.pick("breakdown", 3)
        b = self.money(gb, pre="一般公共预算财政拨款基本支出", label="基本支出")
        p1 = self.money("e.personnel", pre="人员经费", label="人员经费")
        p2 = self.money("e.public", pre="公用经费", label="公用经费")
        pers = "、".join(self.rng.sample(fv.PERSONNEL_ITEMS, 5))
        pub = "、".join(self.rng.sample(fv.PUBLIC_ITEMS, 6))
        if k == 0:
            self.para(f"{self.Y}年度", b, "，其中：", p1, f"，主要包括{pers}等；", p2, f"，主要包括{pub}等。")
        elif k == 1:
            b.__class__  # noqa: B018
            self.doc.slots[b.slot].pre = "基本支出"
            self.para(f"{self.Y}年度一般公共预算财政拨款", b, "，包括", p1, "和", p2, f"。人员经费用于{pers}等，公用经费用于{pub}等。")
        else:
            self.para(f"{self.Y}年度", b, "，其中：", p1, "，", p2, "。")
            if self.rng.random() < 0.6:  # 基本 and 项目 of the same paragraph, each with its 其中
                pj = self.money(self.x("", "gen", "p"), pre="项目支出", label="项目支出")
                top = max((ln for ln in acc.lines if ln.get("gen", "p") > 0), key=lambda ln: ln.get("gen", "p"))
                tkey = self.fig(f"x.{top.code}.gen.p", top.get("gen", "p"))
                self.para("一般公共预算财政拨款", pj, f"，其中{top.name}", self.money(tkey), "，主要用于专项业务工作。")
                self.ph.distractor("several_subjects")
        self.doc.relations.append(SumRel("sum.basic_breakdown", b.slot, [p1.slot, p2.slot], "基本支出",
                                         describe="基本支出＝人员经费＋公用经费"))
        self.meta["f_basic_narr"] = {"total": b.slot, "parts": [p1.slot, p2.slot]}
        self.ph.mark("breakdown")

    # (七) 三公
    def s_sangong(self, n):
        self.heading(f"{cn(n)}、“三公”经费财政拨款支出{self.M}情况" if not self.budget else f"{cn(n)}、“三公”经费预算情况")
        if self.budget:
            self.sangong_budget()
            return
        tot_b = self.money("sg.tot.bud", pre="年初预算为" if self.rng.random() < 0.5 else "预算为", label="三公经费")
        tot_a = self.money("sg.tot.act", pre="支出决算为", label="三公经费")
        act, bud = D(self.doc.figs["sg.tot.act"]), D(self.doc.figs["sg.tot.bud"])
        k = self.pick("sangong", 3)
        parts = [f"{self.Y}年度“三公”经费财政拨款支出", tot_b, "，", tot_a]
        if bud:
            ckey = self.fig("cmp.sg", q(pct_of(act, bud), 2))
            cref = self.doc.slot(ckey, unit="%", dec=2, place="narrative")
            self.doc.relations.append(RatioRel("rate.completion", cref.slot, tot_a.slot, tot_b.slot, "三公经费完成率"))
            self.meta["f_completion"].append({"rate": cref.slot, "actual": tot_a.slot, "budget": tot_b.slot, "label": "三公经费"})
            parts += ["，完成预算的" if k != 1 else "，为预算的", cref]
            if self.shown(act) != self.shown(bud):
                w = self.word("cmpw.sg", "小于" if self.shown(act) < self.shown(bud) else "大于")
                self.doc.relations.append(ComparisonRel(w.slot, tot_a.slot, tot_b.slot, "三公经费"))
                self.meta["f_compare"].append({"word": w.slot, "actual": tot_a.slot, "budget": tot_b.slot, "label": "三公经费"})
                why = self.rng.choice(fv.SANGONG_DOWN if act < bud else fv.SANGONG_UP)
                parts += ["。决算数", w, f"预算数的主要原因是{why}"]
        self.para(*parts, "。")
        # compact 其中 list
        prev_tot = D(self.doc.figs["sg.tot.prev"])
        tot2 = self.money("sg.tot.act", pre="“三公”经费支出", label="三公经费")
        items = [self.money("sg.abroad.act", pre="因公出国（境）费", label="因公出国（境）费"),
                 self.money("sg.car.act", pre="公务用车购置及运行维护费", label="公务用车购置及运行维护费"),
                 self.money("sg.recept.act", pre="公务接待费", label="公务接待费")]
        k2 = self.pick("sangong", 4)
        nested = []
        if k2 == 3:  # the car item with its own parenthesised split
            nb, nr = self.money("sg.carbuy.act"), self.money("sg.carrun.act")
            nested = ["（其中：公务用车购置费", nb, "，公务用车运行维护费", nr, "）"]
            self.doc.relations.append(SumRel("sum.breakdown", items[1].slot, [nb.slot, nr.slot], "公务用车购置及运行维护费",
                                             describe="公务用车购置及运行维护费＝购置费＋运行维护费"))
            self.ph.distractor("nested_breakdown")
        lead = [f"{self.Y}年", tot2, "，其中："]
        if k2 == 2:  # the change right after the total it belongs to, then the items
            lead = [f"{self.Y}年", tot2, *self.growth_phrase("sg", "sg.tot.act", tot2, prev_tot, "上年", "三公经费", force=0), "。其中："]
        body = [items[0], "，", items[1], *nested, "，", items[2]]
        if k2 == 1 and prev_tot > 0:  # with last year's amount in the same sentence
            pv = self.money("sg.tot.prev", pre="", label="上年三公经费")
            diff = D(self.doc.figs["sg.tot.act"]) - prev_tot
            amt = self.fig("chg.sgprev", abs(diff))
            self.doc.no_copy_check.add(amt)
            w1 = self.word("w1.sgprev", "增加" if diff >= 0 else "减少")
            aref = self.money(amt)
            self.doc.relations.append(ChangeRel(aref.slot, w1.slot, tot2.slot, "三公经费", prev=pv.slot))
            self.meta["f_change"].append({"amount": aref.slot, "word": w1.slot, "cur": tot2.slot, "prev": pv.slot,
                                          "label": "三公经费"})
            body += ["。较上年的", pv, w1, aref]
            self.ph.distractor("prior_year_figure")
        self.para(*lead, *body, "。")
        self.doc.relations.append(SumRel("sum.sangong", tot2.slot, [r.slot for r in items], "三公经费", describe="三公经费"))
        self.meta["f_sangong_narr"] = {"total": tot2.slot, "parts": [r.slot for r in items]}
        # per item paragraphs
        self.sangong_item("abroad", "因公出国（境）费", 1)
        self.sangong_item("car", "公务用车购置及运行维护费", 2)
        self.sangong_item("recept", "公务接待费", 3)

    def sangong_item(self, it: str, name: str, i: int):
        acc = self.acc
        act, bud, prev = acc.sg[(it, "act")], acc.sg[(it, "bud")], acc.sg[(it, "prev")]
        k = self.sg_style
        head = f"{i}.{name}" if k != 1 else f"（{cn(i)}）{name}"
        if act == 0 and bud == 0:
            if prev == 0:
                self.para(head, f"：{self.Y}年度未安排预算，也未发生支出，与上年持平。")
            else:
                self.para(head, f"：{self.Y}年度未发生支出，上年支出", self.money(f"sg.{it}.prev"), "，本年无此项支出。")
            return
        aref = self.money(f"sg.{it}.act", pre="支出决算为" if k != 2 else "支出", label=name if it != "car" else "公务用车购置及运行维护费")
        parts = [head, "：", aref]
        if bud:
            ckey = self.fig(f"cmp.sg.{it}", q(pct_of(act, bud), 2))
            cref = self.doc.slot(ckey, unit="%", dec=2, place="narrative")
            bref = self.money(f"sg.{it}.bud", pre="年初预算", label=name if it != "car" else "公务用车购置及运行维护费")
            self.doc.relations.append(RatioRel("rate.completion", cref.slot, aref.slot, bref.slot, f"{name}完成率"))
            self.meta["f_completion"].append({"rate": cref.slot, "actual": aref.slot, "budget": bref.slot, "label": name})
            parts += ["，", bref, "，完成年初预算的", cref]
        share_key = self.fig(f"sh.sg.{it}", q(pct_of(act, acc.sg[("tot", "act")]), 2))
        if act and self.rng.random() < 0.5:
            sref = self.doc.slot(share_key, unit="%", dec=2, place="narrative")
            whole = self.meta["f_sangong_narr"]["total"] if self.meta.get("f_sangong_narr") else None
            if whole:
                self.doc.relations.append(RatioRel("rate.share", sref.slot, aref.slot, whole, f"{name}占三公经费比重"))
                self.meta["f_shares"].append({"rate": sref.slot, "part": aref.slot, "whole": whole, "label": name})
                parts += ["，占“三公”经费的", sref]
        if prev > 0 and act > 0:
            parts += self.growth_phrase(f"sg.{it}", f"sg.{it}.act", aref, prev, "上年", name)
        elif prev == 0 and act > 0 and it == "car" and acc.sg[("carbuy", "act")]:
            parts += ["，上年无此项支出"]
        if it == "car":
            nb, nr = self.money("sg.carbuy.act"), self.money("sg.carrun.act")
            self.doc.relations.append(SumRel("sum.breakdown", aref.slot, [nb.slot, nr.slot], "公务用车购置及运行维护费",
                                             describe="公务用车购置及运行维护费＝购置费＋运行维护费"))
            parts += ["。其中：公务用车购置费", nb, "，公务用车运行维护费", nr,
                      f"，主要用于公务用车燃料、维修、保险等支出。截至{self.Y}年12月31日，公务用车保有量",
                      self.count("sg.n.veh", acc.sg_counts["vehicles"], "辆")]
            self.ph.distractor("nested_breakdown")
        elif it == "recept":
            parts += ["，主要用于上级部门检查指导、兄弟单位交流学习等公务接待。全年国内公务接待",
                      self.count("sg.n.batch", acc.sg_counts["batches"], "批次"), "、",
                      self.count("sg.n.person", acc.sg_counts["persons"], "人次")]
        elif it == "abroad":
            parts += ["，全年因公出国（境）团组", self.count("sg.n.group", acc.sg_counts["groups"], "个"), "、",
                      self.count("sg.n.ap", acc.sg_counts["abroad_persons"], "人次")]
        self.para(*parts, "。")

    def sangong_budget(self):
        acc = self.acc
        tot = self.money("sg.tot.act", pre="“三公”经费预算", label="三公经费")
        prev = acc.sg[("tot", "prev")]
        growth = self.growth_phrase("sgb", "sg.tot.act", tot, prev, "上年预算", "三公经费")
        items = [self.money("sg.abroad.act", pre="因公出国（境）费", label="因公出国（境）费"),
                 self.money("sg.car.act", pre="公务用车购置及运行费", label="公务用车购置及运行维护费"),
                 self.money("sg.recept.act", pre="公务接待费", label="公务接待费")]
        nb, nr = self.money("sg.carbuy.act"), self.money("sg.carrun.act")
        self.para(f"{self.Y}年", tot, *growth, "。其中：", items[0], "；", items[1], "（其中：公务用车购置费", nb,
                  "，公务用车运行维护费", nr, "）；", items[2], "。")
        self.doc.relations.append(SumRel("sum.breakdown", items[1].slot, [nb.slot, nr.slot], "公务用车购置及运行维护费",
                                         describe="公务用车购置及运行维护费＝购置费＋运行维护费"))
        self.doc.relations.append(SumRel("sum.sangong", tot.slot, [r.slot for r in items], "三公经费", describe="三公经费"))
        self.meta["f_sangong_narr"] = {"total": tot.slot, "parts": [r.slot for r in items]}
        self.ph.distractor("nested_breakdown")

    # (八)(九) 政府性基金 and 国有资本经营
    def s_fund(self, n):
        acc = self.acc
        self.heading(f"{cn(n)}、政府性基金预算财政拨款收入支出{self.M}情况")
        if acc.has_fund:
            x = self.doc.figs[self.fk("", "fund")]
            txt = (f"{self.Y}年度政府性基金预算财政拨款收入{fmt_number(D(x) / (10000 if self.nunit == '万元' else 1), 2, self.nunit == '元')}"
                   f"{self.nunit}，支出{fmt_number(D(x) / (10000 if self.nunit == '万元' else 1), 2, self.nunit == '元')}{self.nunit}，"
                   f"主要用于{self.rng.choice(fv.PROJECT_PURPOSES)}。")
        else:
            k = self.pick("empty-table", 3)
            txt = [f"本单位{self.Y}年度无政府性基金预算财政拨款收入、支出及结转结余。",
                   f"{self.Y}年度本部门没有政府性基金预算财政拨款收支，故相关决算表为空表。",
                   f"本部门{self.Y}年度无政府性基金预算财政拨款安排的支出。"][k]
        claim = self.word("claim.fund", txt)
        self.para(claim)
        self.meta["f_nil"] = claim.slot if self.narrative else None
        self.heading(f"{cn(n + 1)}、国有资本经营预算财政拨款支出{self.M}情况")
        self.para(f"本单位{self.Y}年度无国有资本经营预算财政拨款支出。")

    # (十) 其他重要事项
    def s_other(self, n):
        acc = self.acc
        self.heading(f"{cn(n + 1)}、其他重要事项的情况说明")
        self.heading("（一）机关运行经费支出情况")
        k = self.running_style
        run = "run.act"
        prev = acc.running["prev"]
        if self.running_na:
            self.para("本单位为公益类事业单位，不涉及机关运行经费。")
        else:
            r = self.money(run, pre="机关运行经费支出" if not self.budget else "机关运行经费预算")
            if k == 0:
                growth = self.growth_phrase("run", run, r, prev, "上年" if not self.budget else "上年预算", "机关运行经费")
                self.para(f"{self.Y}年度{self.we}", r, *growth, f"，主要原因是{self.reason(D(self.doc.figs[run]) >= prev)}。")
            elif k == 1:
                pv = self.money(self.fig("run.prev", prev))
                diff = D(self.doc.figs[run]) - prev
                akey = self.fig("chg.runprev", abs(diff))
                self.doc.no_copy_check.add(akey)
                w1 = self.word("w1.runprev", "增加" if diff >= 0 else "减少")
                aref = self.money(akey)
                self.doc.relations.append(ChangeRel(aref.slot, w1.slot, r.slot, "机关运行经费", prev=pv.slot))
                self.meta["f_change"].append({"amount": aref.slot, "word": w1.slot, "cur": r.slot, "prev": pv.slot,
                                              "label": "机关运行经费"})
                self.para(f"{self.Y}年度", r, "，较上年的", pv, w1, aref, "。主要用于",
                          "、".join(self.rng.sample(fv.RUNNING_PURPOSES, 5)), "等日常公用支出。")
                self.ph.distractor("prior_year_figure")
            else:
                self.doc.slots[r.slot].pre = "共"
                self.para(f"{self.Y}年度{self.we}用于保障机关日常运转的货物和服务开支", r, "，主要包括",
                          "、".join(self.rng.sample(fv.RUNNING_PURPOSES, 5)), "等。")
            if self.rng.random() < 0.5:
                self.ph.distractor("running_cost_vs_public")
                self.doc.extra_hard_negatives.append(HardNegative("running_cost_vs_public", "机关运行经费与公用经费口径不同"
                                                                                          "（前者只含行政单位的货物和服务开支），两数不等不是矛盾"))
            if self.rng.random() < 0.3:  # the same paragraph printed twice
                last = self.doc.blocks[-1]
                dup = self.doc.add("para", [p if isinstance(p, str) else self.doc.slot(self.doc.slots[p.slot].fig,
                                                                                       unit=self.doc.slots[p.slot].unit,
                                                                                       dec=self.doc.slots[p.slot].dec,
                                                                                       commas=self.doc.slots[p.slot].commas,
                                                                                       place="narrative",
                                                                                       pre=self.doc.slots[p.slot].pre,
                                                                                       text_fig=self.doc.slots[p.slot].text_fig)
                                            for p in last.parts]) if self.narrative else None
                if dup is not None:
                    self.ph.distractor("repeated_paragraph")
                    self.meta["f_repeat"] = True
                    self.doc.extra_hard_negatives.append(HardNegative("repeated_paragraph", "机关运行经费一段重复印了两次，"
                                                                                            "两处数字相同，不是矛盾"))
        self.procurement()
        self.assets()
        self.performance()

    def procurement(self):
        acc = self.acc
        pc = acc.procurement
        self.heading("（二）政府采购支出情况" if not self.budget else "（二）政府采购预算情况")
        if pc["total"] == 0:
            self.para(f"{self.Y}年度{self.we}未发生政府采购支出。" if not self.budget else f"{self.Y}年度{self.we}未安排政府采购预算。")
            return
        k = self.pick("procurement", 3)
        what = "政府采购支出总额" if not self.budget else "政府采购预算"
        t = self.money("pc.total", pre=what)
        parts = [self.money("pc.goods", pre="政府采购货物支出" if k == 0 else "货物类"),
                 self.money("pc.works", pre="政府采购工程支出" if k == 0 else "工程类"),
                 self.money("pc.serv", pre="政府采购服务支出" if k == 0 else "服务类")]
        lead = [f"{self.Y}年度{self.we}", t, "，其中：", parts[0], "、", parts[1], "、", parts[2], "。"]
        if k == 1:
            lead = [f"{self.Y}年度", t, "，包括", parts[0], "，", parts[1], "，", parts[2], "。"]
        sme_word = "授予中小企业合同金额" if not self.budget else "面向中小企业预留"
        sme = self.money("pc.sme", pre=sme_word)
        micro = self.money("pc.micro", pre="授予小微企业合同金额" if not self.budget else "预留小微企业")
        s1 = self.fig("sh.pc.sme", q(pct_of(pc["sme"], pc["total"]), 2))
        s1r = self.doc.slot(s1, unit="%", dec=2, place="narrative")
        self.doc.relations.append(RatioRel("rate.share", s1r.slot, sme.slot, t.slot, "中小企业合同占比"))
        self.meta["f_shares"].append({"rate": s1r.slot, "part": sme.slot, "whole": t.slot, "label": "中小企业合同",
                                      "alt_whole": None})
        kb = self.pick("share", 2)
        if kb == 0:  # share of a share
            s2 = self.fig("sh.pc.micro", q(pct_of(pc["micro"], pc["sme"]), 2))
            s2r = self.doc.slot(s2, unit="%", dec=2, place="narrative")
            self.doc.relations.append(RatioRel("rate.share", s2r.slot, micro.slot, sme.slot, "小微企业合同占比"))
            self.meta["f_shares"].append({"rate": s2r.slot, "part": micro.slot, "whole": sme.slot, "label": "小微企业合同",
                                          "alt_whole": t.slot})
            tail = ["，其中", micro, "，占授予中小企业合同金额的", s2r, "。"]
            self.ph.distractor("nested_breakdown")
        else:
            s2 = self.fig("sh.pc.micro.t", q(pct_of(pc["micro"], pc["total"]), 2))
            s2r = self.doc.slot(s2, unit="%", dec=2, place="narrative")
            self.doc.relations.append(RatioRel("rate.share", s2r.slot, micro.slot, t.slot, "小微企业合同占比"))
            self.meta["f_shares"].append({"rate": s2r.slot, "part": micro.slot, "whole": t.slot, "label": "小微企业合同",
                                          "alt_whole": sme.slot})
            tail = ["，其中", micro, "，占政府采购支出总额的" if not self.budget else "，占政府采购预算的", s2r, "。"]
        self.para(*lead)
        self.para(sme, "，占" + ("政府采购支出总额的" if not self.budget else "政府采购预算的"), s1r, *tail)
        self.doc.relations.append(SumRel("sum.bounded", t.slot, [sme.slot], "政府采购", mode="le", describe="中小企业合同不超过政府采购总额"))
        self.doc.relations.append(SumRel("sum.bounded", sme.slot, [micro.slot], "中小企业合同", mode="le",
                                         describe="小微企业合同不超过中小企业合同"))
        self.doc.relations.append(SumRel("sum.breakdown", t.slot, [r.slot for r in parts], "政府采购", mode="le",
                                         describe="政府采购货物、工程、服务"))
        # “…中小企业合同金额X，…，其中授予小微企业…Y”: the same bound read as a “其中” list
        self.doc.relations.append(SumRel("sum.breakdown", sme.slot, [micro.slot], "中小企业合同", mode="le",
                                         describe="中小企业合同“其中”小微企业"))
        self.meta["f_sme"] = {"total": t.slot, "sme": sme.slot, "micro": micro.slot, "parts": [r.slot for r in parts]}

    def assets(self):
        acc = self.acc
        self.heading("（三）国有资产占用情况")
        # a 预算 states the assets of the last closed year: 截至上年12月31日 is right there
        ys = self.year_slot("year.assets") if not self.budget else str(self.Y - 1)
        if self.budget:
            self.ph.mark("wrong-year")  # a legitimate earlier year in a 预算
        n = sum(c for _, c in acc.vehicles)
        tot = self.count("veh.n", n, "辆")
        parts = []
        slots = []
        for i, (typ, c) in enumerate(acc.vehicles):
            ref = self.count(f"veh.{i}", c, "辆", pre=typ)
            slots.append(ref.slot)
            parts += [ref, "，" if i < len(acc.vehicles) - 1 else "；"]
        k = self.pick("assets", 3)
        eq = self.count("equip.n", acc.equipment, "台（套）")
        if k == 0:
            self.para("截至", ys, "年12月31日，本部门共有车辆", tot, "，其中：", *parts, "单价100万元以上专用设备", eq, "。")
        elif k == 1:
            self.para("截至", ys, "年12月31日，", self.we, "共有车辆", tot, "，其中：", *parts, "单价50万元以上通用设备0台（套），单价100万元以上专用设备", eq, "。")
        else:
            self.para("截至", ys, "年12月31日，共有车辆", tot, "。其中：", *parts[:-1], "。单价100万元以上专用设备", eq, "。")
        self.ph.distractor("thresholds")
        self.doc.relations.append(SumRel("sum.breakdown", tot.slot, slots, "车辆", mode="le", describe="车辆", exact=True))
        self.meta["f_breakdowns"].append({"total": tot.slot, "parts": slots, "label": "车辆", "count": True})

    def performance(self):
        acc = self.acc
        self.heading("（四）预算绩效管理情况" if not self.budget else "（四）预算绩效目标设置情况")
        perf = acc.perf
        n = self.count("perf.n", perf["projects"], "个")
        amt = self.money(self.fig("perf.amount", perf["amount"]))
        self.doc.no_copy_check.add("perf.amount")
        if self.budget:
            self.para(f"{self.Y}年{self.we}实行绩效目标管理的项目", n, "，涉及一般公共预算当年拨款", amt, "。")
            return
        k = self.pick("perf-mgmt", 3)
        gr = perf["grades"]
        grade_parts = []
        gslots = []
        for g in ("优", "良", "中"):
            if gr[g]:
                ref = self.count(f"perf.g.{g}", gr[g], "个")
                gslots.append(ref.slot)
                grade_parts += [f"“{g}”", ref, "、"]
        if grade_parts:
            grade_parts[-1] = "。"
        self.para(f"{self.Y}年度{self.we}组织对", n, "项目开展绩效自评，涉及资金", amt, "。自评结果为：", *grade_parts)
        if gslots:
            self.doc.relations.append(SumRel("sum.breakdown", n.slot, gslots, "绩效自评项目", mode="le", describe="自评项目个数",
                                             exact=True))
        # the department's own score and a sub-project's, with different grades
        score = perf["score"]
        sref = self.doc.slot(self.fig("perf.score", score), unit="分", dec=1 if score % 1 else 0, place="narrative",
                             pre="自评得分", label="自评得分", figure=False)
        gw = self.word("perf.grade", grade_of(score))
        self.doc.relations.append(GradeRel(gw.slot, sref.slot))
        sub_score = D(self.rng.choice([76, 82.5, 84, 86.5, 88, 79]))
        sub = self.doc.slot(self.fig("perf.sub", sub_score), unit="分", dec=1 if sub_score % 1 else 0, place="narrative")
        sw = self.word("perf.sub.grade", grade_of(sub_score))
        self.doc.relations.append(GradeRel(sw.slot, sub.slot, label="项目自评等级"))
        prog = self.meta["programme"].name
        if k == 0:
            self.para("部门整体支出绩效", sref, "，评价等级为", gw, f"。其中“{prog}”项目自评得分", sub, "，等级为", sw, "。")
        elif k == 1:
            self.para(f"从项目看，“{prog}”自评", sub, "，评定为“", sw, "”；部门整体", sref, "，综合评价等级为“", gw, "”。")
        else:
            self.para("经自评，部门整体绩效", sref, "，等级为", gw, f"；“{prog}”项目得分", sub, "，等级为", sw, "。")
        self.ph.distractor("sub_project_grades")
        self.ph.mark("score-grade")

    def glossary(self):
        if not self.narrative:
            return
        self.part("第四部分　名词解释")
        items = self.rng.sample(fv.GLOSSARY, self.rng.randint(4, len(fv.GLOSSARY)))
        for i, (term, text) in enumerate(items, 1):
            self.para(f"{i}.{term}：{text}")


def build_fiscal(doc: Doc, rng, kind: str) -> None:
    FiscalBuilder(doc, rng, kind).build()


def add_rounding_gap(doc: Doc, rng) -> None:
    """A figure printed in two tables, one of them 0.01 off (each table rounded on its own): a
    rounding hard negative. Called once the slots are in reading order; kept only when no rule
    of the document fires because of it."""
    if not doc.meta.get("fiscal") or doc.meta.get("tunit") != "万元" or rng.random() >= 0.4:
        return
    figs = {}
    for sid, s in doc.slots.items():
        if s.place == "table" and s.tbl and not s.text_fig and s.fig not in doc.no_copy_check:
            figs.setdefault(s.fig, []).append(s)
    cands = []
    for fig, slots in sorted(figs.items()):
        if len({s.tbl for s in slots}) >= 2 and doc.printed(slots[0].id).value != 0:
            cands.extend(s.id for s in slots if s.tbl == "summary" or s.tbl == "fiscal")
    rng.shuffle(cands)
    for sid in cands[:6]:
        p = doc.printed(sid)
        doc.override(sid, value=p.value + rng.choice([D("0.01"), D("-0.01")]))
        results, _ = doc.evaluate()
        if not results:
            doc.meta["ph"].distractor("rounding_between_tables")
            doc.meta.setdefault("touched_slots", set()).add(sid)
            return
        del doc.overrides[sid]
