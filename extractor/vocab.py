"""The domain vocabulary, as data: every word list the readers and checks share.

Patterns match the *matching copy* of a text (`text.fold`: no spaces, ASCII parentheses, no
quotes), never the stored text. Nothing here knows a particular document: these are the words
of the national 部门预算/决算 templates and of self-evaluation reports in general.
"""
from __future__ import annotations

import re

# ---- document kinds ------------------------------------------------------------------------

# (kind, title pattern) in order: the first that matches the title region wins.
# A report on a government's own finances (全县财政收支, 预算执行情况和预算草案的报告, 政府决算): its
# figures are a whole area's, in several overlapping calibres (大口径, 一般公共预算, 基金; 全县 and
# 县级), not a department's accounts, so the checks' reading of them is only a note (checks.run_checks)
GOVERNMENT_FINANCE = "财政报告"
GOVERNMENT_FINANCE_TITLE = (r"^(?!.*部门(?:决算|预算))"  # (a department's own accounts, whatever the site files them under)
                            r".*?(?:政府(?:决算|预算)|预算执行情况和.{0,20}预算草案|财政(?:预算)?执行情况|财政收支"
                            r"|(?:省|市|州|盟|县|区|旗|镇|乡)(?:本级)?\d{4}年度?(?:决算|预算)报告|总决算"
                            r"|全(?:省|市|州|盟|县|区|旗|镇|乡)(?:一般公共预算|政府性基金|国有资本|社会保险基金|财政))")
GOVERNMENT_FINANCE_BODY = (r"全(?:省|市|州|盟|县|区|旗|镇|乡)(?:大口径)?(?:财政|一般公共预算|地方)(?:总)?收入"
                           r"|大口径财政收入|地方(?:一般公共预算|财政)收入|预算执行情况和.{0,20}预算草案|政府决算")
DOC_KINDS: list[tuple[str, str]] = [
    ("绩效目标表", r"绩效目标(申报|批复|审核)?表"),
    ("自评表", r"绩效自评表|自评表$"),
    ("自评报告", r"自评报告|绩效自评|绩效评价报告|整体支出绩效"),
    (GOVERNMENT_FINANCE, GOVERNMENT_FINANCE_TITLE),
    ("部门决算", r"决算"),
    ("部门预算", r"预算"),
    ("三公说明", r"三公"),
]

# A year as printed: "2024年", "2024 年度"
BARE_YEAR = r"(?:19|20)\d{2}"
YEAR = r"(" + BARE_YEAR + r")\s*年"
# A publication stamp among the title lines ("公开时间：2025年10月15日", "发布日期：…", a bare date):
# when the page was put out, not the year it reports on — a 决算 is published the year after
DATE_STAMP = r"(?:公开|发布|成文|印发|生效|更新)?(?:时间|日期)[:：]|" + BARE_YEAR + r"年\d{1,2}月\d{1,2}日"

# ---- headings ----------------------------------------------------------------------------

# A heading mark at the start of a line, and its level: 第一部分 / 一、 / （一） / 1. 1、 / (1)
HEADING_MARKS: list[tuple[int, str]] = [
    (0, r"第[一二三四五六七八九十]+部分"),
    (1, r"[一二三四五六七八九十]+、"),
    (2, r"[（(][一二三四五六七八九十]+[）)]"),
    (3, r"\d{1,2}(?:[.、．](?!\d)|\s)"),
    (4, r"[（(]\d{1,2}[）)]"),
]

# ---- fund scope ----------------------------------------------------------------------------

# (scope, pattern) longest first; a scope names the money a figure counts.
SCOPES: list[tuple[str, str]] = [
    ("一般公共预算", r"一般公共预算(财政)?(拨款)?(资金)?"),
    ("政府性基金", r"政府性基金(预算)?(财政)?(拨款)?"),
    ("国有资本经营", r"国有资本经营(预算)?(财政)?(拨款)?"),
    ("财政拨款", r"(?<!非)财政拨款|本级财政"),  # 使用非财政拨款结余 is the opposite
    ("上级补助", r"上级补助"),
    ("事业收入", r"事业收入"),
    ("经营收入", r"(事业单位)?经营收入"),
    ("附属单位上缴", r"附属单位上缴"),
    ("其他收入", r"其他收入"),
]
# Items whose money is of one scope by definition: "三公" spending and 机关运行经费 are paid from
# 财政拨款 (机关运行经费 from 一般公共预算, which is 财政拨款 unless there is fund money too).
IMPLIED_SCOPES = {"三公经费": "财政拨款", "因公出国（境）费": "财政拨款", "公务接待费": "财政拨款", "公务用车购置及运行费": "财政拨款",
                  "公务用车购置费": "财政拨款", "公务用车运行维护费": "财政拨款", "机关运行经费": "一般公共预算"}

# Scopes that sum to 财政拨款, and what counts in 全部资金 beside it.
FISCAL_SCOPES = ("一般公共预算", "政府性基金", "国有资本经营")

# ---- measures ------------------------------------------------------------------------------

# (measure, pattern): what kind of amount a figure is. Longest first.
MEASURES: list[tuple[str, str]] = [
    ("年初预算", r"年初预算(数|安排)?"),
    ("调整预算", r"调整后?预算(数)?|全年预算(数)?"),
    ("决算", r"预算执行(数|金额)|决算(数)?|执行数|实际支出(数)?|实际执行(数)?|实际使用(数)?|支出决算"),
    ("预算", r"预算(数|安排|金额)?"),
    ("到位", r"到位(资金|数)?"),
    ("拨付", r"拨付(资金|数)?"),
]

# Words that open the reason for what the sentence reports ("主要原因是2022年有专项经费29.01万元",
# "由于…"): an amount after them, within its clause group, explains; it is none of the sentence's
# own figures a list could break down
CAUSE_OPENER = r"原因(?:主要)?(?:是|为|在于|系|[:：])|由于|因为"

# Head counts: the staff in post stand beside the establishment (编制) a list breaks down, they are
# no part of it ("编制197人，其中全额编制34人，实际在岗345人")
STAFF_QUOTA = r"编制"
STAFF_IN_POST = r"^[（(]?(?:其中)?(?:实际在岗|实际在编|实有|在岗|在职)"
# Counts of units: the offices inside a unit that keeps no books of its own are counted within
# it, not among the units ("单位共1个，包括内设非独立核算的机构14个")
UNIT_COUNT = r"单位"
UNIT_INSIDE = r"内设|非独立核算"

# ---- subjects ----------------------------------------------------------------------------

# (item, pattern, flow): named items of a department's accounts. The pattern must match at the
# end of the text before the measure words. Items of 功能分类 and 经济分类 are named by their
# codes and table names instead (see subjects.py and fiscal_tables.row_subject).
ITEMS: list[tuple[str, str, str | None]] = [
    ("总计", r"收入支出(决算|预算)?总计|收支(决算|预算)?总计|(收入|支出)总计|总计", None),
    ("收入合计", r"(本年)?收入(决算|预算)?(合计|总额|总计)?", "收入"),
    ("支出合计", r"(本年)?支出(决算|预算)?合计|支出总额|总支出", "支出"),
    ("年初结转和结余", r"年初(财政拨款)?结转(和|及)?结余|上年(财政拨款)?结转((和|及)?结余)?", None),  # 上年结转(和结余): the same money, named by where it came from
    ("使用非财政拨款结余", r"使用非财政拨款(结余|结转和结余|结转结余)", None),
    ("年末结转和结余", r"年末(财政拨款)?结转(和|及)?结余", None),
    ("结余分配", r"结余分配", None),
    ("基本支出", r"基本支出(总额|合计)?", "支出"),
    ("项目支出", r"项目支出(总额|合计)?", "支出"),
    ("人员经费", r"人员经费(支出)?(合计)?", "支出"),
    ("公用经费", r"(日常)?公用经费(支出)?(合计)?", "支出"),
    ("工资福利支出", r"工资福利(支出|费用)?", "支出"),
    ("商品和服务支出", r"商品和服务(支出|费用)?", "支出"),
    ("对个人和家庭的补助", r"对个人和家庭(的)?补助(支出|费用)?", "支出"),
    ("资本性支出", r"资本性支出", "支出"),
    ("三公经费", r"(支出)?三公经费(支出)?|三公经费财政拨款支出", "支出"),
    ("因公出国（境）费", r"因公出国\(?境?\)?(费用|经费|费)(支出)?", "支出"),
    ("公务接待费", r"(国内)?公务接待(费用|经费|费)?(支出)?", "支出"),
    ("公务用车购置及运行费", r"公(务(用)?)?车(辆)?(购置及运行(维护)?|运行(维护)?及购置)(费用|经费|费)?(支出)?", "支出"),  # 公车…: the short name
    ("公务用车购置费", r"公(务(用)?)?车(辆)?购置(费用|经费|费)?(支出)?", "支出"),
    ("公务用车运行维护费", r"公(务(用)?)?车(用车|辆)?运行(维护)?(费用|经费|费)?(支出)?", "支出"),
    ("机关运行经费", r"(?:机关|机构)运行经费(支出)?", "支出"),  # 机构运行经费: the name in templates since 2022
    ("政府采购", r"政府采购(支出|金额)?(总额|合计)?", None),
    ("政府采购货物", r"政府采购货物(支出|金额)?|货物(类)?采购(支出|金额)?|^货物(类)?$", None),
    ("政府采购工程", r"政府采购工程(支出|金额)?|工程(类)?采购(支出|金额)?|^工程(类)?$", None),
    ("政府采购服务", r"政府采购服务(支出|金额)?|服务(类)?采购(支出|金额)?|^服务(类)?$", None),
    ("部门整体支出", r"部门整体支出(总额|合计)?|整体支出(总额|合计)?|部门支出(总额|合计)?", "支出"),
    # 政府采购 awarded to small and medium enterprises: part of the procurement total
    # ("中小微型企业", "中小微企业", "中小型公司": the same firms)
    ("中小企业合同", r"(授予|由)中小微?型?(企业|公司)(供应商)?(的)?(中标|成交|合同)?(或成交)?(的)?(合同)?(金额)?|中小微?型?(企业|公司)(供应商)?(中标|成交)(或成交)?(的)?(采购|合同)?(金额)?", None),
    ("小微企业合同", r"(授予|由)小微企业(供应商)?(的)?(中标|成交|合同)?(或成交)?(的)?(合同)?(金额)?|小微企业(供应商)?(中标|成交)(或成交)?(的)?(采购|合同)?(金额)?", None),
    ("中小企业预留", r"(面向|预留给)中小(型)?企业(预留)?(的)?(政府采购)?(项目)?(预算)?(金额)?", None),
    ("小微企业预留", r"(面向|预留给)(小微|小型和微型|小型微型)企业(预留)?(的)?(政府采购)?(项目)?(预算)?(金额)?", None),
]

# Money carried between years (a balance, not a flow of the year): a bare 收入 or 支出 after one
# of them ("上年结转和结余X，本年收入Y，支出Z") is the year's flow, never that balance
BALANCE_ITEMS = ("年初结转和结余", "使用非财政拨款结余", "年末结转和结余", "结余分配")

# An area wider than a department ("占全区支出X万元的P%"): an amount of it is none of the
# document's own accounts.
WIDER_AREA = re.compile(r"全(?:国|省|市|区|县|州|盟|旗|镇|乡|街道)|本级财政|财政总")
# "市本级政府采购规模": the government's own level within its area (not "本级财政", a fund)
OWN_LEVEL = re.compile(r"(?:省|市|州|盟|县|区|旗)本级(?!财政)")

# Items that qualify 政府采购: when one is named, "政府采购" in the same words is its context.
PROCUREMENT_QUALIFIED = ("中小企业合同", "小微企业合同", "中小企业预留", "小微企业预留")

# An item bounded by another of the same measure and period: the parts may not exceed it.
# (中小企业合同 counts every award to an SME, in projects reserved for them and in others; a
# reserve for SMEs is set aside out of the procurement budget, and one for small firms out of it.)
BOUNDED_BY: dict[str, str] = {"中小企业合同": "政府采购", "小微企业合同": "中小企业合同",
                              "中小企业预留": "政府采购", "小微企业预留": "中小企业预留"}

# Words that name a 功能分类 level after an item name in prose: 一般公共服务支出（类）
FUNCTION_LEVELS = {"类": 1, "款": 2, "项": 3}

# The 类 of the national 支出功能分类 (names as printed since 2019, with older names). A name
# here is a 功能分类 item even without "（类）" after it.
FUNCTION_CLASSES = (
    "一般公共服务支出 外交支出 国防支出 公共安全支出 教育支出 科学技术支出 文化旅游体育与传媒支出 "
    "文化体育与传媒支出 社会保障和就业支出 卫生健康支出 医疗卫生与计划生育支出 节能环保支出 城乡社区支出 "
    "农林水支出 交通运输支出 资源勘探工业信息等支出 商业服务业等支出 金融支出 援助其他地区支出 "
    "自然资源海洋气象等支出 国土海洋气象等支出 住房保障支出 粮油物资储备支出 国有资本经营预算支出 "
    "灾害防治及应急管理支出 预备费 其他支出 转移性支出 债务还本支出 债务付息支出 债务发行费用支出 "
    "抗疫特别国债安排的支出"
).split()

# Names of scores and rates in self-evaluations (the money items are ITEMS above).
SCORE_NAMES: list[tuple[str, str]] = [
    ("预算执行率", r"(预算|资金)?执行率"),
    ("预算执行情况得分", r"预算执行(情况|率)?(指标)?得分"),
    ("产出指标得分", r"产出(指标)?得分"),
    ("效益指标得分", r"效益(指标)?得分"),
    ("满意度指标得分", r"满意度(指标)?得分"),
    ("自评得分", r".{0,20}自评(总)?得分|.{0,20}自评总分|综合得分|总得分"),
]

# Parts a total splits into exactly (a full breakdown): total -> alternative part sets.
FULL_BREAKDOWNS: dict[str, list[frozenset[str]]] = {
    "部门整体支出": [frozenset({"基本支出", "项目支出"})],
    "支出合计": [frozenset({"基本支出", "项目支出"})],
    "基本支出": [
        frozenset({"工资福利支出", "商品和服务支出", "对个人和家庭的补助"}),
        frozenset({"人员经费", "公用经费"}),
    ],
    "三公经费": [
        frozenset({"因公出国（境）费", "公务接待费", "公务用车购置及运行费"}),
        frozenset({"因公出国（境）费", "公务接待费", "公务用车购置费", "公务用车运行维护费"}),
    ],
    "公务用车购置及运行费": [frozenset({"公务用车购置费", "公务用车运行维护费"})],
    "政府采购": [frozenset({"政府采购货物", "政府采购工程", "政府采购服务"})],
}

# Items that stand side by side in one breakdown (基本支出 and 项目支出): neither is ever a part
# of the other, so a "其中" list of one ends where the other is named.
SIBLING_ITEMS = frozenset((a, b) for breakdowns in FULL_BREAKDOWNS.values() for bd in breakdowns for a in bd for b in bd if a != b)

# The check that judges each full breakdown (any other is sum.breakdown).
IDENTITY_CHECKS = {"部门整体支出": "sum.total_basic_project", "支出合计": "sum.total_basic_project",
                   "基本支出": "sum.basic_breakdown", "三公经费": "sum.sangong"}

# ---- roles -------------------------------------------------------------------------------

# What kind of number a figure is (records.Figure.role): an amount, a change amount or %, a share,
# a completion %, an execution rate, a count, a score, a target. The model is asked for one of these.
STATEMENT_ROLES = ("level", "change", "change_pct", "share", "completion", "rate", "count", "score", "target")

# A comparison with an earlier period or another measure opens a change: "比上年", "较2023年预算",
# "与2023年度相比", "同比".
# the year before the report's: 上年, 去年 …
PREVIOUS_YEAR = r"上年度|上一年|上年|去年|同期"
# "上年结转和结余", "上年结转" (the row of a 收支总表) name this year's opening carry-over: their
# 上年 is no period ("上年结转资金" of a project still reads as last year's money); so do "上年结余"
# and the revenue lines named after it ("上年结转结余收入", "上年结转一般公共预算拨款收入", "加上年结余")
CARRIED_OVER = (r"上年(财政拨款)?(结转((和|及|、)?结余)?|结余((和|及|、)?结转)?)(?=(" + "|".join(p for _s, p in SCOPES)
                + r")?(拨款)?(收入)?(为|是|数|金额)*$)")
COMPARISON = r"(?:比|较|与|同)(?:" + PREVIOUS_YEAR + r"|\d{4}年|年初|预算|决算)|同比|环比|相比"
# 增收/减收 and 增支/减支: the change verbs of revenue and spending reports ("比上年增收1284万元")
UP_WORDS = ("增加", "增长", "提高", "上升", "增幅", "增收", "增支", "多", "超支", "大于", "超过", "超出", "高于", "多于", "增")
DOWN_WORDS = ("减少", "下降", "降低", "减幅", "降幅", "减收", "减支", "少", "节约", "节支", "小于", "低于", "少于", "减")
# "较上年增41.92万元", "同比减0.10万元": the one-character verb, only right after a comparison
SHORT_DIRECTION_RE = r"(?:" + COMPARISON + r")(?:预算|决算|同期)?数?(增|减)了?$|^[，,、]?(增|减)$"  # "…增18.67万元，增21.86%"
FLAT_WORDS = ("持平", "基本持平", "一致", "相同", "不变", "保持不变", "相等", "等于")
DIRECTION_RE = r"(增加|增长|提高|上升|增幅|增收|增支|减少|下降|降低|减幅|降幅|减收|减支|节约|节支|超支|相差|多|少)"
# "决算数大于年初预算数36.00万元": a comparison verb and what is compared, then the difference
COMPARED_BY = r"(大于|小于|超过|超出|低于|高于|多于|少于)(?:年初|调整后?|全年)?(?:预算|决算|计划)?(?:数)?$"
# "决算数大于预算数", "决算数小于预算数", "决算数与预算数持平"
COMPARE_WORDS = {"大于": 1, "多于": 1, "高于": 1, "超过": 1, "小于": -1, "少于": -1, "低于": -1, "等于": 0,
                 "持平": 0, "基本持平": 0, "一致": 0, "相等": 0}

# ---- tables ------------------------------------------------------------------------------

# (table kind, title pattern) in order: the first match names a table of the 预算/决算 family.
TABLE_KINDS: list[tuple[str, str]] = [
    ("绩效目标表", r"绩效目标.{0,4}表"),
    ("三公表", r"三公"),
    ("基本支出表", r"基本支出.*(经济分类)?.*(决算|预算)表|经济分类.*(决算|预算)表"),
    ("财政拨款收支总表", r"财政拨款收(入)?支(出)?.*总表"),
    ("政府性基金表", r"政府性基金"),
    ("国有资本表", r"国有资本经营"),
    ("一般公共预算支出表", r"一般公共预算(财政拨款)?支出.*(决算|预算)表"),
    ("收支总表", r"收(入)?支(出)?.*总表|财务收支.*表"),
    # before 收入表 / 支出表: "机关运行经费支出决算表", "政府采购支出决算表", "项目支出决算表" are not the 支出表
    ("机关运行经费表", r"(?:机关|机构)运行经费.*表"),
    ("政府采购表", r"政府采购.*表"),
    ("项目支出表", r"项目(支出|经费).*表"),
    ("收入表", r"收入.*(决算|预算)(总)?表"),
    ("支出表", r"支出.*(决算|预算)(总)?表"),
]
# Scope of a table's figures by kind (None: all funds).
TABLE_SCOPES = {
    "财政拨款收支总表": "财政拨款", "一般公共预算支出表": "一般公共预算", "基本支出表": "一般公共预算",
    "三公表": "财政拨款", "政府性基金表": "政府性基金", "国有资本表": "国有资本经营", "机关运行经费表": "一般公共预算",
}
# A title line of a table: the kinds above, and what such a title must look like.
TABLE_TITLE = r"^[\d一二三四五六七八九十]*[.、．]?\s*(?:\d{4}年度?)?.{0,30}表(?:[（(]续[）)]|续表)?(?:[（(](?:金额)?单位[:：].{1,4}[）)])?$"

# Row labels that close a table or a side of it: never the continuation of a wrapped label.
TOTAL_ROW_WORDS = r"(合计|总计|小计|本年收入合计|本年支出合计|收入总计|支出总计|人员经费合计|公用经费合计)"

# Column header words -> what the column holds (checked in this order, on the folded header).
COLUMN_ROLES: list[tuple[str, str]] = [
    ("code", r"^(类|款|项)$|科目编码|功能分类|经济分类"),
    ("name", r"科目名称|^项目$|项目名称|单位名称"),
    ("total", r"合计|小计|总计"),
    ("基本支出", r"基本支出"),
    ("项目支出", r"项目支出"),
    ("人员经费", r"人员经费"),
    ("公用经费", r"公用经费"),
]

# Any other grid (a 成本测算 table, a list of spending lines): the columns whose 合计 row must
# equal the rows above it. A column is summed when its header names money and nothing that
# does not add up (a rate, a score, a unit price or standard).
SUMMED_COLUMN = r"金额|资金|经费|费用|预算|决算|支出|收入|成本|[（(](?:万|亿)?元[）)]"
NOT_SUMMED_COLUMN = r"%|％|率|分值|得分|权重|指标|比例|占比|单价|均价|人均|标准|编码|代码|序号|年度"
# The label of a row that closes a grid (合计) or a group of its rows (小计).
GRID_TOTAL_ROW = r"(合计|总计)(?:[（(][^）)]*[）)])?"
GRID_SUBTOTAL_ROW = r"小计(?:[（(][^）)]*[）)])?"

# Notes under a table that say it holds nothing.
EMPTY_TABLE_NOTE = r"(本表|此表|该表)(为)?空表|(本表|此表|该表)无(数据|数字|内容)|故本表(为)?空|以空表(列示|公开)|空表列示"

# ---- self-evaluation forms ---------------------------------------------------------------

# A form's budget columns by role, as findings and the eval name them.
# the money columns of a budget block (the others: 执行率, 分值, 得分)
MONEY_ROLES = ("initial", "adjust", "budget", "actual")
BUDGET_ROLE_NAMES = {"initial": "年初预算数", "adjust": "调整数", "budget": "全年预算数", "actual": "执行数",
                     "rate": "预算执行率", "score": "预算执行得分"}
# The same figures named in prose by a measure of a spending item ("支出年初预算数为…", "决算数为…").
MEASURE_FIGURE_NAMES = {"年初预算": "年初预算数", "调整预算": "全年预算数", "决算": "全年执行数"}
# The mark of a form's source row under the total: "其中：当年财政拨款" is the row 当年财政拨款.
PART_ROW_MARK = r"^\s*其中[:：,，]?\s*"

# Names that mean the same figure of a form (for matching gold labels); the first of each group
# is the one all are reduced to. Items and scores canon knows are matched by canon first.
SAME_FIGURE_NAMES: list[tuple[str, ...]] = [
    ("全年预算数", "调整后预算数", "调整预算数", "全年预算", "调整后预算"),
    ("全年执行数", "决算数", "实际支出数", "执行数", "全年执行", "实际执行数"),
    ("年中预算调整数", "年中调整数", "预算调整数", "调整数"),
    ("年初预算数", "年初预算"),
    ("预算执行得分", "预算执行情况得分", "预算执行率得分", "执行率得分"),
    ("对个人和家庭补助支出", "对个人和家庭的补助"),
    ("公务用车购置及运行维护费", "公务用车购置及运行费"),
    ("自评得分", "总分"),
]

# A form's source row named by where its money comes from, printed empty ("上年结转资金", "其他资金")
FUND_SOURCE_ROW = r"(资金|拨款|拨付|补助)[:：]?$"

# Column headings of a form's budget block and its indicator rows: role -> pattern
BUDGET_HEADER = [
    ("initial", r"年初预算(数|金额)?"),
    ("adjust", r"(年中)?预算调整(数)?|年中调整(数)?|调整数"),
    ("budget", r"(全年|调整后|调整)预算(数)?|预算数|预算金额|全年预算"),
    ("actual", r"(全年|预算)?执行数|实际支出(数)?|决算数|实际执行(数)?|实际使用(数)?"),
    ("rate", r"(预算)?执行率"),
    ("weight", r"分值|权重"),
    ("score", r"得分"),
]
INDICATOR_HEADER = [
    ("level1", r"一级指标|一级"),
    ("level2", r"二级指标|二级"),
    ("name", r"三级指标|指标内容|指标名称|绩效指标名称"),
    ("target", r"(年度|年初|预期)?(指标|目标)值|预期目标|目标值"),
    ("actual", r"(全年)?实际完成值|实际完成|完成值|实际值|全年实际值"),
    ("weight", r"分值|权重"),
    ("score", r"(指标)?得分"),
    ("desc", r"完成情况.*"),
    ("deviation", r"偏差.*|未完成原因.*"),
]
OTHER_HEADER_WORDS = r"资金来源|部门预算安排资金|项目资金|自评得分|预算执行(情况)?|年度绩效指标|部门名称|部门编码|年度总体目标"
LEVEL1_WORDS = ("产出指标", "效益指标", "满意度指标", "成本指标")
LEVEL2_WORDS = (
    "数量指标", "质量指标", "时效指标", "成本指标", "经济效益指标", "社会效益指标", "生态效益指标",
    "可持续影响指标", "服务对象满意度指标", "满意度指标", "经济成本指标", "社会成本指标", "生态环境成本指标",
)
# Row labels of a form: the total, the self-score, the budget-execution score, the goals
TOTAL_LABEL = r"^(总分|合计得分|总计|自评总分|综合得分)"
SELF_SCORE_LABEL = r"^(自评得分|部门自评得分|绩效自评得分)"
BUDGET_SCORE_LABEL = r"^预算执行(情况)?(得分)?\("
GOAL_HEADER = r"年度总体目标|总体目标|预期目标|实际完成情况|完成情况|实际完成"

# An indicator's actual in words: met, partly met, missed; and indicators where less is better
MET_WORDS = r"^(已?完成|已?达成(预期)?(指标|目标)?|已?达到(预期)?(指标|目标)?|实现|好|优|良好|较好|效果显著|显著|稳步提升|持续提升|是|100%)$"
PARTLY_WORDS = r"部分(完成|达成|实现)|基本(完成|达成|实现)"
MISSED_WORDS = r"未(完成|达成|达到|实现)|没有(完成|达到)|差$"
COST_NAMES = r"成本|控制率|费用|单价|投诉|事故|发生率|差错|超支"
# Rates that cannot exceed 100 %
CAPPED_PERCENT = (
    r"满意度|满意率|合格率|准确率|知晓率|覆盖率|到位率|及时率|达标率|发放率|参保率|正确率|合规率|知晓度|入学率|巩固率|完好率|上线率|出勤率|"
    r"完整率|办结率|成活率|存活率|普及率|回复率|答复率|处置率|结案率|整改率|接种率|公开率|受理率|通过率"
)

# Grades: the word as written -> the band, and the band's lowest score
GRADE_WORDS = {"优秀": "优", "优": "优", "良好": "良", "良": "良", "中等": "中", "中": "中", "合格": "中", "差": "差", "不合格": "差"}
GRADE_FLOORS = (("优", 90), ("良", 80), ("中", 60), ("差", 0))
GRADE_WORD = "(" + "|".join(sorted(GRADE_WORDS, key=len, reverse=True)) + ")"
GRADE_LABEL = r"(自评|绩效|评价|综合评价|考核|评定)?(等级|等次|结论)"

# Things counted one by one: "9所" is nine schools, not anything in [8.5, 9.5].
COUNT_UNITS = frozenset("人 人次 户 户次 个 所 家 项 场 张 名 次 件 台 辆 套 座 处 起 条 篇 部 册 份 批 期 床 间 栋 宗 例 笔".split())

# Official vehicles bought in the year against the 公务用车购置费: the words of a purchase; of
# a count that is no purchase of the year (the fleet, cars disposed of or transferred, a plan);
# of money other than the 财政拨款 the 购置费 covers; of "no vehicle bought"
VEHICLE_PURCHASE = r"购置|购买|新购|更新|采购"
VEHICLE_BOUGHT = VEHICLE_PURCHASE + r"|购车"
VEHICLE_PLAN = r"预计|计划|拟|将"
VEHICLE_NOT_BOUGHT = r"保有|实有|现有|编制|报废|处置|拍卖|调拨|划转|调剂|调入|接收|运行|租用|" + VEHICLE_PLAN
VEHICLE_OTHER_FUNDS = r"自有资金|其他资金|自筹|非财政|事业收入|经营收入|单位资金|上级补助|捐赠|社会资金"
VEHICLE_NONE = (r"(?:未|没有|无)(?:新|再)?(?:" + VEHICLE_PURCHASE + r")(?:[（(]更新[）)])?(?:任何)?"
                r"(?:公务用|执法执勤用?|公务|新|执法)?(?:车辆|用车|汽车|车)")

# ---- completeness ------------------------------------------------------------------------

# A placeholder left where a name or number belongs: XX局, ××县, XXX万元.
# A cell that is a placeholder; a placeholder where a number belongs in prose ("××万元")
PLACEHOLDER_CELL = r"^[XxＸｘ×✕*＊#＃?？]{2,}"
PLACEHOLDER_NUMBER = r"(?<![A-Za-z])(?:XX|xx|ＸＸ|××)(?:[.．](?:XX|xx|××))?\s*(?=万元|亿元|元|%|％|人次|人|户|个|分|张|项)"
# A unit where the template's number was never typed in: "占基本支出的比重为%。", "支出决算为万元，"
# ("金额单位为万元" names the unit of a table, not a missing number).
# (a space may stand where the number was left out: "比上年减少 万元", "占 %")
MISSING_NUMBER = (r"(?:[%％](?:(?<=[为是占达至长降少加计][%％])|(?<=[为是占达至长降少加计][ \u3000][%％]))"
                  r"|万元(?:(?<=[为是达计少加]万元)|(?<=[为是达计少加][ \u3000]万元))(?<![单位][为是]万元))(?=[，。；、,;）)]|\s|$)")
# A template's two wordings left side by side before an amount, where one was to be chosen
# ("较上年增加（减少）67.65万元，增长（下降）0%"): the report does not say which way the amount moved
UNCHOSEN_DIRECTION = (r"(?:(?:增加|增长|上升|提高)\s*[（(]\s*(?:减少|下降|降低)\s*[）)]|(?:减少|下降|降低)\s*[（(]\s*(?:增加|增长|上升|提高)\s*[）)])"
                      r"(?=\s*[\d０-９])")
# A placeholder where a name belongs ("XX局"; one where a number belongs is PLACEHOLDER_NUMBER;
# one after a digit, "20xx热带水果…", is a year's digits, not a name)
PLACEHOLDER_NAME = r"(?<![A-Za-z0-9０-９])(?:XX+|xx+|ＸＸ+|××+|＊＊+)(?=[\u4e00-\u9fff])(?![万亿千百]?元|万|亿|人|个|户|分|项|家|次|年|月|日)"

# Severities, worst first: the one order of findings, menus and columns (records.Severity lists
# its members in this order).
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

_cache: dict[str, re.Pattern] = {}


def compiled(pattern: str) -> re.Pattern:
    """One compiled copy of each vocabulary pattern."""
    p = _cache.get(pattern)
    if p is None:
        p = _cache[pattern] = re.compile(pattern)
    return p
