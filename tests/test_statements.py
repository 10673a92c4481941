"""What a figure is about: subject, fund scope, measure, period and role read from its words,
its sentence, its item paragraph and its headings; and the families of false alarms that a
figure without a known subject used to cause."""
from __future__ import annotations

from decimal import Decimal

from conftest import doc_from_text, extraction_of, findings_for

from extractor.checks import run_checks
from extractor.extract import extract


def read(text: str):
    doc = doc_from_text(text)
    ext = extract(doc)
    findings, problems = run_checks(doc, ext)
    assert problems == [] and ext.problems == []
    return ext, findings


def figure(ext, printed: str):
    (f,) = [f for f in ext.figures if f.quantity.text == printed]
    return f


def errors(findings) -> list[str]:
    return [f.check for f in findings if f.severity in ("error", "warning")]


DECISION = "示例局2024年度部门决算\n第三部分 示例局2024年度部门决算情况说明\n五、一般公共预算财政拨款支出决算情况说明\n"


def test_item_paragraph_gives_its_figures_their_subject():
    ext, findings = read(DECISION + "（三）一般公共预算财政拨款支出决算具体情况\n"
                         "1、一般公共服务支出（类）财政事务（款）行政运行（项）。主要用于：基本支出。年初预算为1560.05万元，"
                         "支出决算为1511.89万元，完成年初预算的96.91%。决算数小于预算数的主要原因：人员变化。\n"
                         "2、一般公共服务支出（类）财政事务（款）信息化建设（项）。年初预算为135.90万元，支出决算为135.25万元。\n")
    budget, actual, other = figure(ext, "1560.05万元"), figure(ext, "1511.89万元"), figure(ext, "135.25万元")
    assert budget.subject.item == actual.subject.item == "fn:一般公共服务支出/财政事务/行政运行"
    assert (budget.measure, actual.measure, budget.subject.scope) == ("年初预算", "决算", "一般公共预算")
    assert other.subject.item.endswith("信息化建设")
    assert figure(ext, "96.91%").role == "completion"
    # two items' amounts are two statements: no conflict between them, and the wording fits
    assert errors(findings) == []


def test_a_wrong_completion_rate_and_flipped_wording():
    ext, findings = read(DECISION + "1、一般公共服务支出（类）财政事务（款）行政运行（项）。年初预算为1560.05万元，"
                         "支出决算为1511.89万元，完成年初预算的98.20%。决算数大于预算数的主要原因：人员变化。\n")
    assert sorted(errors(findings)) == ["rate.completion", "text.comparison"]


def test_change_is_not_a_level_and_not_a_total():
    text = DECISION + "一般公共预算财政拨款支出2940.05万元，比上年减少63.14万元，下降2.10%，其中：基本支出2336.91万元，项目支出603.14万元。\n"
    ext, findings = read(text)
    change = figure(ext, "63.14万元")
    assert (change.role, change.canonical) == ("change", None)
    (relation,) = ext.relations
    assert relation.total.quantity.text == "2940.05万元" and relation.exhaustive
    assert errors(findings) == []
    _ext, findings = read(text.replace("下降2.10%", "下降2.50%"))
    assert errors(findings) == ["rate.growth"]


def test_unknown_words_give_no_subject_and_no_comparison():
    ext, findings = read(DECISION + "编报绩效目标的项目4个，涉及预算金额598.42万元。绩效自评的项目3个，涉及预算金额500.00万元。\n")
    assert figure(ext, "598.42万元").subject is None and figure(ext, "500.00万元").subject is None
    assert figure(ext, "598.42万元").measure == "预算"  # read, and known to be a budget amount
    assert errors(findings) == []


def test_bare_expenditure_is_not_the_department_total():
    ext, _findings = read("示例局2024年度部门整体支出绩效自评报告\n三、绩效情况\n支出决算为100.00万元。\n")
    assert figure(ext, "100.00万元").subject is None


def test_parenthesised_split_belongs_to_the_amount_before_it():
    ext, findings = read("示例局2024年部门预算\n行政运行812,406.30元（基本支出812,406.30元、项目支出0元）。\n"
                         "事业运行204,500.00元（基本支出150,000.00元、项目支出54,500.00元）。\n")
    assert figure(ext, "150,000.00元").subject is None  # a split of "事业运行", not the department's 基本支出
    assert errors(findings) == []


def test_share_of_the_list_total_and_of_a_named_whole():
    text = DECISION + ("一般公共预算财政拨款支出2940.05万元，主要用于以下方面：一般公共服务支出（类）2106.66万元，占71.65%；"
                       "住房保障支出（类）445.69万元，占15.16%。\n")
    _ext, findings = read(text)
    assert errors(findings) == []
    _ext, findings = read(text.replace("71.65%", "71.73%"))
    assert errors(findings) == ["rate.share"]


def test_growth_is_paired_with_its_own_subject():
    # 下降1.2% is about 公务用车, not about 因公出国's 120万元
    text = ("示例局2024年度“三公”经费支出情况说明\n因公出国（境）费120.00万元，与上年持平。"
            "公务用车购置及运行费50.00万元，比上年减少0.60万元，下降1.2%。\n")
    ext, findings = read(text)
    (growth,) = [st for st in ext.statements if st.kind == "growth"]
    assert growth.subject.item == "公务用车购置及运行费" and growth.values["current"].text == "50.00万元"
    assert growth.values["amount"].text == "0.60万元"
    assert errors(findings) == []


def test_zero_amount_that_grew_and_sme_awards_over_the_total():
    _ext, findings = read("示例局2023年部门预算\n政府性基金拨款支出预算0万元，比2022年预算增加1421.25万元。\n")
    assert errors(findings) == ["rate.change"]
    _ext, findings = read(DECISION + "本部门2024年度政府采购金额为21.07万元。在面向中小企业预留的政府采购项目中，由中小企业供应商中标或成交的，"
                          "采购金额21.07万元；在其他政府采购项目中，由中小企业供应商中标或成交的，采购金额21.07万元。\n")
    (f,) = [f for f in findings if f.check == "sum.bounded"]
    assert (f.stated, f.computed) == (Decimal("21.07"), Decimal("42.14"))


def test_a_parenthesised_list_of_the_items_own_parts_keeps_their_names():
    # "X（其中：A a，B b）" where A and B are what X breaks down into: they are the items A and
    # B, so their sum is checked and they meet the same items elsewhere (行政运行's split into
    # 基本支出/项目支出 stays a split: see the test above)
    text = ("示例局2024年度部门决算\n七、“三公”经费财政拨款支出决算情况说明\n"
            "公务用车购置及运行维护费12.60万元（其中：公务用车购置费9.40万元，公务用车运行维护费3.20万元），公务接待费1.10万元。\n")
    ext, findings = read(text)
    parts = {f.subject.item: f.quantity.text for f in ext.figures if f.subject and f.subject.part is None}
    assert parts["公务用车购置费"] == "9.40万元" and parts["公务用车运行维护费"] == "3.20万元"
    assert errors(findings) == []
    _ext, findings = read(text.replace("9.40万元", "19.40万元"))
    assert errors(findings) == ["sum.breakdown"]


def test_a_list_opened_by_baokuo_breaks_down_the_amount_before_it():
    head = "示例局2024年度部门决算\n十、其他重要事项的情况说明\n"
    text = head + "本年度政府采购支出总额86.40万元，包括货物类30.40万元，工程类0.00万元，服务类56.00万元。\n"
    ext, findings = read(text)
    (rel,) = [r for r in ext.relations if r.total.subject and r.total.subject.item == "政府采购"]
    assert [p.subject.item for p in rel.parts] == ["政府采购货物", "政府采购工程", "政府采购服务"]
    assert errors(findings) == []
    _ext, findings = read(text.replace("56.00万元", "65.00万元"))
    assert errors(findings) == ["sum.breakdown"]
    # a 包括 list with no amounts, or of fewer parts than the whole, is no contradiction
    ext, findings = read(head + "机关运行经费支出12.30万元，主要包括办公费、水电费、差旅费等。"
                         "本年度政府采购支出总额86.40万元，包括服务类56.00万元。\n")
    assert errors(findings) == []


def test_the_whole_named_after_zhan_is_an_amount_of_its_own():
    head = "示例局2024年度部门决算\n三、支出决算情况说明\n"
    # the whole after 占 is this year's 决算 of its item: it meets the same item stated elsewhere
    ext, findings = read(head + "本年支出合计1200.00万元。一般公共预算财政拨款支出1200.00万元，占本年支出合计1100.00万元的100%。\n")
    assert "xref.conflict" in errors(findings)
    (whole,) = [f for f in ext.figures if f.quantity.text == "1100.00万元"]
    assert (whole.subject.item, whole.measure, whole.period) == ("支出合计", "决算", None)
    # ... unless its words name another year, or an area wider than the department
    for text in ("基本支出800.00万元，占上年支出合计1100.00万元的72.73%。",
                 "基本支出800.00万元，占全区支出合计56000.00万元的1.43%。"):
        ext, findings = read(head + "本年支出合计1200.00万元。" + text + "\n")
        assert errors(findings) == [], text
    (whole,) = [f for f in ext.figures if f.quantity.text == "56000.00万元"]
    assert whole.measure is None
    # a whole is neither a part of the list it stands in nor the part of a later share
    ext, findings = read(head + "本年支出合计1200.00万元。其中人员经费700.00万元，占基本支出800.00万元的87.5%，"
                         "占全部支出1200.00万元的58.33%。\n")
    assert errors(findings) == []
    shares = [(st.values["part"].text, st.values["rate"].text) for st in ext.statements if st.kind == "share"]
    assert shares == [("700.00万元", "87.5%"), ("700.00万元", "58.33%")]
    _ext, findings = read(head + "本年支出合计1200.00万元。其中人员经费700.00万元，占基本支出800.00万元的87.5%，"
                          "占全部支出1200.00万元的68.33%。\n")
    assert errors(findings) == ["rate.share"]


def test_a_rate_in_parentheses_is_read_of_the_amount_before_it():
    # "增加X元（增长P%）" restates the change as a rate: it is no split of the amount (as
    # "行政运行X元（基本支出a、项目支出b）" is), so it pairs with its change
    ext, _findings = read("示例局2024年度部门预算\n五、一般公共预算财政拨款支出预算情况\n"
                          "基本支出预算12.00万元，比上年预算增加2.00万元（增长20.00%）。\n")
    (rate,) = [f for f in ext.figures if f.quantity.text == "20.00%"]
    assert rate.role == "change_pct" and rate.subject.item == "基本支出" and rate.subject.part is None
    (growth,) = [st for st in ext.statements if st.kind == "growth"]
    assert (growth.values["current"].text, growth.values["amount"].text) == ("12.00万元", "2.00万元")


def test_a_total_a_unit_step_off_its_parts_says_so():
    head = "示例局2024年度部门决算\n"
    _ext, findings = read(head + "项目资金471.23元，其中：中央补助189.63万元，县级配套281.60万元。\n")
    (f,) = [f for f in findings if f.check == "sum.breakdown"]
    assert "总数若为471.23万元则与各项合计相符，疑似单位错写" in f.message
    _ext, findings = read(head + "项目资金471.23元，其中：中央补助189.63万元，县级配套291.60万元。\n")
    (f,) = [f for f in findings if f.check == "sum.breakdown"]
    assert "单位错写" not in f.message  # off, but not by a unit step


def test_an_item_headed_by_its_name_and_code_is_that_item():
    # "（2）名称（2080505）：年初预算a，支出决算b": the figures are that 功能分类 item's, not the
    # total the paragraph before spoke of
    ext, _findings = read(DECISION + "一般公共预算财政拨款支出年初预算为300.00万元，支出决算为310.00万元。\n"
                          "（1）行政运行（2010101）：年初预算120.00万元，支出决算118.50万元，完成98.75%。\n"
                          "（2）机关事业单位基本养老保险缴费支出（2080505）：年初预算30.00万元，支出决算29.40元。\n")
    subjects = {f.quantity.text: f.subject.item for f in ext.figures if f.subject}
    assert subjects["300.00万元"] == "支出合计"
    assert subjects["118.50万元"] == "fn:2010101" and subjects["29.40元"] == "fn:2080505"
    # a score in parentheses is no code
    ext, _findings = read("示例项目2024年度绩效自评报告\n（一）产出指标（100）：完成率100%。\n")
    assert not [f for f in ext.figures if f.subject and f.subject.item.startswith("fn:")]


def test_shares_in_a_list_whose_whole_is_named_without_its_amount():
    # the amount of the whole stands in the paragraph before; the list only names it
    text = (DECISION + "（一）总体情况\n2024年度一般公共预算财政拨款支出2,000,000.00元，占本年支出合计的100%。\n"
            "（二）结构情况\n2024年度一般公共预算财政拨款支出主要用于以下方面：城乡社区支出（类）1,200,000.00元，占60.00%；"
            "住房保障支出（类）800,000.00元，占40.00%。\n")
    ext, findings = read(text)
    shares = [st for st in ext.statements if st.kind == "share" and st.values["part"].text == "1,200,000.00元"]
    assert [st.whole.item for st in shares] == ["支出合计"]
    assert errors(findings) == []
    _ext, findings = read(text.replace("占60.00%", "占66.00%"))
    assert errors(findings) == ["rate.share"]


def test_both_totals_named_before_jun_are_the_one_total():
    # "财政拨款收、支总计均为X": 收入总计 and 支出总计 are one item (总计) in the scope written
    # before the first name, so X is that total and meets it elsewhere
    head = "示例局2024年部门预算\n四、财政拨款收入支出预算总体情况\n"
    ext, findings = read(head + "2024年度财政拨款收、支总计均为2,456.27万元，比上年减少688.40万元。\n"
                         "财政拨款收入支出总计2,465.27万元。\n")
    (f,) = [f for f in ext.figures if f.quantity.text == "2,456.27万元"]
    assert (f.subject.item, f.subject.scope) == ("总计", "财政拨款")
    assert "xref.conflict" in errors(findings)


def test_a_split_in_parentheses_after_a_part_is_no_part_of_the_list():
    # "其中：A a，B b（B1 b1、B2 b2），C c": B1 and B2 break B down; the list is A + B + C
    text = ("示例镇2024年度部门决算\n2024年度“三公”经费52万元，其中：因公出国（境）费0万元，公务用车购置及运行维护费30万元"
            "（公务用车购置费8万元、公务用车运行维护费22万元），公务接待费22万元。\n")
    ext, findings = read(text)
    (rel,) = [r for r in ext.relations if r.total.quantity.text == "52万元"]
    assert [p.quantity.text for p in rel.parts] == ["0万元", "30万元", "22万元"]
    assert errors(findings) == []
    _ext, findings = read(text.replace("公务接待费22万元", "公务接待费32万元"))
    assert errors(findings) == ["sum.sangong"]


def test_an_amount_per_student_is_no_amount_of_the_fund():
    text = ("示例县2024年度项目支出绩效自评报告\n特殊教育公用经费项目资金总额6.46万元，执行率100%。"
            "特殊教育公用经费补助标准为0.60万元/生.年。\n")
    ext, findings = read(text)
    assert [f.quantity.unit for f in ext.figures if f.quantity.text.startswith("0.60")] == ["元/生.年"]
    assert errors(findings) == []


def test_a_name_inside_a_frame_opened_by_zai_is_a_part_of_it():
    # "在项目支出当中，教育事业支出X": a part of 项目支出 the vocabulary does not name, not 项目支出
    text = ("示例学院2024年度部门决算\n本年度项目支出8,200.00万元，在项目支出当中，教学改革支出7,900.00万元，"
            "科研支出300.00万元。\n")
    ext, findings = read(text)
    (f,) = [f for f in ext.figures if f.quantity.text == "7,900.00万元"]
    assert (f.subject.item, f.subject.part) == ("项目支出", "教学改革支出")
    assert errors(findings) == []
    # ... while the generic words of a frame's own amount still name the frame ("采购金额X")
    _ext, findings = read(DECISION + "本部门2024年度政府采购金额为21.07万元。在面向中小企业预留的政府采购项目中，"
                          "由中小企业供应商中标或成交的，采购金额21.07万元；在其他政府采购项目中，由中小企业供应商中标或成交的，"
                          "采购金额21.07万元。\n")
    assert [f.check for f in findings if f.check == "sum.bounded"] == ["sum.bounded"]


def test_an_amount_followed_by_zhong_opens_its_breakdown_and_keeps_its_year():
    # "2025年…预算60.00万元中，A a，B b，C c": the parts are of that 2025 budget, not of the
    # report year's amount stated after them; and a budget of another year is no base of
    # "高于预算数X"
    text = ("示例局2024年度部门决算\n2025年“三公”经费预算60.00万元中，因公出国（境）费10.00万元，公务用车购置及运行费30.00万元，"
            "公务接待费20.00万元。2024年“三公”经费支出决算62.00万元，高于预算数1.50万元。\n")
    ext, findings = read(text)
    (rel,) = [r for r in ext.relations if r.total.quantity.text == "60.00万元"]
    assert [p.quantity.text for p in rel.parts] == ["10.00万元", "30.00万元", "20.00万元"]
    assert {p.period for p in rel.parts} == {"2025"}
    assert errors(findings) == []
    _ext, findings = read(text.replace("公务接待费20.00万元", "公务接待费25.00万元"))
    assert errors(findings) == ["sum.sangong"]


def test_a_reserve_for_smes_over_the_procurement_budget():
    head = "示例局2025年部门预算\n"
    # the reserve for SMEs is set aside out of the procurement budget, and the one for small
    # firms out of it: neither may exceed what it is set aside from
    _ext, findings = read(head + "本局2025年政府采购预算合计320.50万元，其中货物类200.50万元、服务类120.00万元。"
                          "面向中小企业预留预算金额410.00万元，占政府采购预算的127.93%。\n")
    (f,) = [f for f in findings if f.check == "sum.bounded"]
    assert (f.stated, f.computed) == (Decimal("320.50"), Decimal("410.00"))
    _ext, findings = read(head + "本局2025年政府采购预算合计320.50万元。面向中小企业预留预算金额250.00万元，"
                          "其中预留给小微企业的金额260.00万元。\n")
    (f,) = [f for f in findings if f.check == "sum.bounded"]
    assert (f.stated, f.computed) == (Decimal("250.00"), Decimal("260.00"))
    ext, findings = read(head + "本局2025年政府采购预算合计320.50万元。面向中小企业预留预算金额250.00万元，"
                         "其中预留给小微企业的金额160.00万元。\n")
    assert {f.subject.item for f in ext.figures if f.subject} >= {"政府采购", "中小企业预留", "小微企业预留"}
    assert [f for f in findings if f.check == "sum.bounded"] == []


def test_count_and_the_items_listed_after_it():
    _ext, findings = read("示例局2024年度部门决算\n本局内设机构7个，分别为：办公室、规划股、项目股、财务股、法规股、信息股。\n")
    (f,) = [f for f in findings if f.check == "count.listed"]
    assert (f.stated, f.computed) == (Decimal(7), Decimal(6))
    ext, findings = read("示例局2024年度部门决算\n本局内设机构7个，包括：办公室、规划股、项目股等。\n")
    assert [st for st in ext.statements if st.kind == "count"] == [] and errors(findings) == []



def test_a_count_before_a_colon_list_and_a_list_joined_by_he():
    head = "示例局2024年度部门决算\n"
    counted = lambda text: [(f.stated, f.computed) for f in read(head + text)[1] if f.check == "count.listed"]  # noqa: E731
    # a lone numeral before a list is a count; the list may follow a colon
    assert counted("本局设两个内设机构：办公室、业务股、财务股。\n") == [(Decimal(2), Decimal(3))]
    assert counted("本局内设机构7个：办公室、规划股。\n") == [(Decimal(7), Decimal(2))]
    # "和" may join the last two items, or stand inside a name: either reading is consistent
    ext, findings = read(head + "本局内设机构3个，分别为：办公室、规划股和项目股。\n")
    (st,) = [st for st in ext.statements if st.kind == "count"]
    assert (st.words["items"], st.words["items_joined"]) == ("2", "3") and errors(findings) == []
    assert counted("本局下属单位2个，分别为：县住房和城乡建设服务中心、县规划和自然资源站。\n") == []
    assert counted("本局内设机构4个，分别为：办公室、规划股和项目股。\n") == [(Decimal(4), Decimal(3))]
    # a split of a count, a set of clauses, and "一个" are no lists of names
    for text in ("年末共有人员24人：在职19人、退休4人。\n", "重点做好三个方面：一是加强管理，二是规范程序。\n",
                 "建立统一个人信息库：包括甲库、乙库。\n"):
        ext, findings = read(head + text)
        assert [st for st in ext.statements if st.kind == "count"] == [] and errors(findings) == [], text

def test_nil_claim_against_a_figure_of_that_fund():
    _ext, findings = read(DECISION + "本单位2024年度无政府性基金预算财政拨款收入与支出。使用政府性基金预算财政拨款安排的城乡社区支出36.00万元。\n")
    assert errors(findings) == ["text.nil_claim"]


def test_wrong_year_and_placeholder_name_in_headings():
    _ext, findings = read("示例局2024年度部门决算\n第二部分 XX局2024年度部门决算表\n第三部分 示例局2023年度部门决算情况说明\n"
                          "截至2023年12月31日，本部门共有车辆2辆。\n")
    assert sorted(errors(findings)) == ["complete.placeholder_name", "text.wrong_year", "text.wrong_year"]


def test_a_section_heading_naming_another_year_of_the_document_s_own_accounts():
    _ext, findings = read("示例局2023年度部门决算\n三、2022年度一般公共预算财政拨款支出决算情况说明\n")
    assert errors(findings) == ["text.wrong_year"]
    for fine in ("示例局2023年度部门决算\n三、2023年度一般公共预算财政拨款支出决算情况说明\n",
                 # a 决算 may name next year's 预算 in a heading; only its own kind of accounts count
                 "示例局2023年度部门决算\n九、2024年一般公共预算支出预算情况说明\n"):
        ext, findings = read(fine)
        assert errors(findings) == [] and ext.kind == "部门决算", fine

def test_a_target_table_has_no_actuals_by_nature():
    rows = ("一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
            "产出指标\t数量指标\t改造户数\t≥200户\t\t30\t30\n"
            "效益指标\t社会效益指标\t受益人数\t≥1000人\t1200人\t30\t30\n"
            "满意度指标\t服务对象满意度指标\t服务对象满意度\t≥90%\t95%\t40\t40\n")
    ext, findings = read("2024年项目绩效目标申报表\n" + rows)
    assert ext.kind == "绩效目标表" and ext.sheets and "complete.blank" not in errors(findings)
    ext, findings = read("2024年度项目支出绩效自评表\n" + rows)
    assert ext.kind == "自评表" and "complete.blank" in errors(findings)


# -- phrasings of the national 决算/预算 说明 -------------------------------------------------

def test_a_share_whose_whole_is_stated_inside_it():
    text = "2025年度一般公共预算财政拨款支出3,412,271.57元，占本年支出合计4,815,895.57元的{}%，比上年减少139,465.28元，下降3.93%。"
    ext = extraction_of(text.format("70.85"))
    (share,) = [st for st in ext.statements if st.kind == "share"]
    assert (share.values["part"].value, share.values["whole"].value) == (Decimal("3412271.57"), Decimal("4815895.57"))
    (growth,) = [st for st in ext.statements if st.kind == "growth"]
    assert growth.values["current"].value == Decimal("3412271.57")  # the change is of the part, not of the whole
    assert [f.check for f in findings_for(text.format("70.85")) if f.severity != "info"] == []
    assert [f.check for f in findings_for(text.format("80.85")) if f.severity != "info"] == ["rate.share"]


def test_one_character_change_verbs_after_a_comparison():
    text = "2024年预算1,312,635.75元，较上年预算减116,526.30元，降幅{}%。"
    ext = extraction_of(text.format("8.15"))
    assert [(f.quantity.value, f.role) for f in ext.figures][1:] == [(Decimal("116526.30"), "change"), (Decimal("8.15"), "change_pct")]
    assert [f.check for f in findings_for(text.format("8.15")) if f.severity != "info"] == []
    assert [f.check for f in findings_for(text.format("18.15")) if f.severity != "info"] == ["rate.growth"]


def test_a_year_on_year_change_after_a_completion_rate_is_of_the_amount_spent():
    text = "公务用车购置及运行维护费：支出1.57万元，年初预算2.11万元，完成年初预算的74.25%，同比增加0.32万元，增长{}%。"
    (growth,) = [st for st in extraction_of(text.format("25.6")).statements if st.kind == "growth"]
    assert growth.values["current"].value == Decimal("1.57")  # not the 年初预算 the completion refers to
    assert [f.check for f in findings_for(text.format("25.6")) if f.severity != "info"] == []


def test_class_then_item_names_written_as_one_run():
    from extractor.subjects import named_subject

    run = named_subject("1、社会保障和就业支出行政事业单位养老支出机关事业单位基本养老保险缴费支出支出决算为")
    assert run.item.startswith("fn:社会保障和就业支出/") and run.item != "fn:社会保障和就业支出"  # below the class
    assert named_subject("社会保障和就业支出").item == "fn:社会保障和就业支出"
    assert named_subject("卫生健康支出科目").item == "fn:卫生健康支出"  # 科目 is no item name
    text = ("按功能分类，社会保障和就业支出384.71万元，占一般公共预算财政拨款支出的12.71%。\n"
            "1、社会保障和就业支出行政事业单位养老支出机关事业单位基本养老保险缴费支出支出决算为280.30万元，为年初预算的98.91%。\n")
    assert [f.check for f in findings_for(text) if f.check.startswith("xref.")] == []  # an item is not its class


def test_one_total_counted_two_ways_is_two_lists():
    text = "2024年末实有在职人员103人，其中：行政编制87人，事业编制{}人；男性33人，女性70人。离退休人员18人。"
    assert [f for f in findings_for(text.format(16)) if f.severity != "info"] == []
    (f,) = [f for f in findings_for(text.format(26)) if f.severity != "info"]
    assert (f.check, f.stated, f.computed) == ("sum.breakdown", Decimal(103), Decimal(113))  # 87 + 26, not all four
    assert len(extraction_of(text.format(16)).relations) == 2


def test_a_list_after_a_budget_reference_breaks_down_the_amount_spent():
    text = ("公务用车购置及运行维护费：支出1.57万元，年初预算2.11万元，完成年初预算的74.25%。"
            "其中：公务用车购置费0.00万元，公务用车运行维护费1.57万元。")
    (rel,) = extraction_of(text).relations
    assert rel.total.quantity.value == Decimal("1.57")
    assert [f for f in findings_for(text) if f.severity != "info"] == []


def test_scores_pair_with_their_own_grade():
    assert findings_for("“计划生育家庭奖励扶助资金”自评86.5分，评定为“良”；部门整体自评得分95.5分，综合评价等级为“优”。") == []
    assert findings_for("部门整体支出绩效自评得分88.8分，评价等级为良。其中“某某资金”项目自评得分79分，等级为中。") == []
    (f,) = findings_for("部门整体自评得分95.5分，综合评价等级为“良”。")
    assert (f.check, f.stated) == ("score.grade", Decimal("95.5"))


def test_a_list_in_parentheses_inside_a_list_is_skipped_over():
    text = ("2019年“三公”经费支出12.23万元。其中：因公出国（境）费0.00万元，公务用车购置及运行维护费9.17万元"
            "（其中：公务用车购置费0.00万元，公务用车运行维护费9.17万元），公务接待费{}万元。")
    outer, inner = extraction_of(text.format("3.06")).relations
    assert [p.quantity.value for p in outer.parts] == [Decimal("0.00"), Decimal("9.17"), Decimal("3.06")]
    assert [p.quantity.value for p in inner.parts] == [Decimal("0.00"), Decimal("9.17")]
    assert [f.check for f in findings_for(text.format("3.06")) if f.severity != "info"] == []
    assert [f.check for f in findings_for(text.format("2.00")) if f.severity != "info"] == ["sum.sangong"]


def test_a_completion_rate_against_a_budget_known_only_by_its_gap_to_the_actual():
    text = "本年度一般公共预算财政拨款支出决算2263.18万元，完成年初预算的{}%，决算数大于年初预算数86.40万元。"
    (f,) = findings_for(text.format("100"))
    assert f.check == "rate.completion" and f.computed == Decimal("103.97")  # 2263.18 ÷ (2263.18 − 86.40)
    assert "按差额推算" in f.message
    assert findings_for(text.format("103.97")) == [] and findings_for(text.format("104")) == []  # within the derived rounding


def test_a_lead_is_read_once_and_each_reader_gets_its_own_copy():
    """narrative._read_lead (speed only) reads each lead text once, as subjects.read_lead
    would, and hands out copies: the sentence reader sets fields on the lead it gets."""
    from dataclasses import asdict

    from extractor import narrative
    from extractor.subjects import read_lead

    raw = "其中：一般公共预算财政拨款基本支出决算为"
    narrative._lead_of.cache_clear()
    first = narrative._read_lead(raw)
    assert asdict(first) == asdict(read_lead(raw))
    first.role, first.subject = "share", None  # what _sentence does to the lead it was given
    second = narrative._read_lead(raw)
    assert second is not first and asdict(second) == asdict(read_lead(raw))
    info = narrative._lead_of.cache_info()
    assert (info.misses, info.hits) == (1, 1)


def test_each_guard_is_in_every_match_of_its_pattern():
    """A speed guard skips a pattern's scan when a word every match holds is absent: on random
    strings made of the pattern's own words and characters, every match must hold the word."""
    import random
    import re

    from extractor import narrative, tables

    cases = [
        (narrative.PLACEHOLDER, narrative.PLACEHOLDER_MARKS),
        (narrative.PLACEHOLDER_NUMBER, narrative.PLACEHOLDER_MARKS),
        (narrative.COUNT_LIST, narrative.COUNT_LIST_WORDS),
        (narrative.COUNT_LIST, narrative.COUNT_LIST_COUNT),
        (narrative.GRADE_RE, narrative.GRADE_MARKS),
        (narrative.COMPARE_RE, narrative.COMPARE_MARKS),
        (narrative.NIL_CLAIM, narrative.NIL_MARKS),
        (narrative.MISSING_NUMBER, narrative.MISSING_MARKS),
        (narrative.AMONG_FRAME, narrative.AMONG_END),
        (tables.TABLE_GRADE_RE, re.compile("等级|等次")),
    ]
    rng = random.Random(14)
    for pattern, guard in cases:
        words = re.findall(r"[^\\\\()\[\]{}?*+|^$.]+", pattern.pattern) + re.findall(r"[^\\\\()\[\]{}?*+|^$.]+", guard.pattern)
        pieces = sorted(set(words) | set(pattern.pattern)) + ["办公室", "、", "。", "7", "十", "  ", "\t", "\n", "万元", "局", "  优\n",
                                                               "无政府性基金", "没有机关运行经费"]
        matched = 0
        for _ in range(30000):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
            if pattern.search(text):
                matched += 1
                assert guard.search(text), (pattern.pattern[:40], text)
        assert matched > 10, pattern.pattern[:40]  # the strings do reach the pattern


def test_openers_are_finditer():
    """narrative._openers (speed only) tries LIST_OPENER only at its first characters: it must
    find what finditer finds, on random strings of the pattern's own pieces and at every
    sentence of the seeds' prose."""
    import random

    from conftest import SEEDS

    from extractor import narrative

    pattern = narrative.LIST_OPENER
    pieces = sorted(set(pattern.pattern)) + ["其中", "主要", "具体", "包括", "元中", "主要用于", "以下", "方面", "分为", "分别为",
                                             "分别是", "：", "，", "万元", "中", "7", "。"]
    rng = random.Random(15)
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        s = rng.randint(0, len(text))
        e = rng.randint(s, len(text))
        expected = [m.span() for m in pattern.finditer(text, s, e)]
        assert [m.span() for m in narrative._openers(text, s, e)] == expected, (text, s, e)
        found += len(expected)
    assert found > 1000
    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        assert [m.span() for m in narrative._openers(text, 0, len(text))] == [m.span() for m in pattern.finditer(text)]


def test_marks_find_the_clause_start_as_text_does():
    """narrative._Marks (speed only) finds each clause start of a sentence once: it must give
    text.clause_start's answer, and the "；" search's, at every position of the seeds' prose,
    from the sentence's marks and from the marks of the whole text they stand in."""
    import re

    from conftest import SEEDS
    from extractor import narrative
    from extractor.text import clause_start

    for path in SEEDS:
        text = path.read_text(encoding="utf-8")
        all_clauses = [m.start() for m in narrative.CLAUSE_MARK.finditer(text)]
        all_groups = [m.start() for m in narrative.GROUP_MARK.finditer(text)]
        for m in re.finditer(r"[^。！？!?]+[。！？!?]?", text):
            s, e = m.span()
            for clauses, groups in [
                (narrative._Marks(text, s, e, narrative.CLAUSE_MARK), narrative._Marks(text, s, e, narrative.GROUP_MARK)),
                (narrative._Marks(text, s, e, narrative.CLAUSE_MARK, all_clauses),
                 narrative._Marks(text, s, e, narrative.GROUP_MARK, all_groups)),
            ]:
                for at in range(s, e + 1):
                    assert clauses.after_last(at, s) == clause_start(text, at, s)
                    assert groups.after_last(at, 0) == max(text.rfind(ch, s, at) for ch in "；;") + 1


def test_a_gap_to_the_budget_against_the_actual_that_the_completion_rate_implies():
    """Budget and completion rate stated, the actual not: the stated gap is checked against
    budget × rate − budget, within the rounding of the rate."""
    text = "科学技术支出（类）技术研究与开发（款）其他技术研究与开发支出（项）：年初预算为250.00万元，完成年初预算的112.00%，决算数大于年初预算数{}万元。"
    (f,) = findings_for(text.format("36.00"))
    assert f.check == "rate.change" and f.stated == Decimal("36.00") and f.computed == Decimal("30")
    assert "250.00万元×112.00%推算" in f.message
    assert findings_for(text.format("30.00")) == [] and findings_for(text.format("30.01")) == []
    # an integer rate leaves the actual uncertain by ± 1.25 (88% of 250): 29 is within it, 20 is not
    short = "年初预算为250万元，完成年初预算的88%，决算数小于年初预算数{}万元。"
    assert findings_for(short.format("29")) == []
    assert [f.check for f in findings_for(short.format("20"))] == ["rate.change"]


def test_respectively_gives_each_figure_the_name_listed_for_it():
    head = "某县农业农村局2023年度部门决算\n（一）收入支出总体情况\n"

    def subjects(text):
        return [(f.subject.item if f.subject else None, f.role) for f in extraction_of(head + text).figures]

    # two names, two figures: one each, in order — not both the 支出合计 read last
    assert subjects("本年收入、支出合计分别为870.20万元和902.64万元。") == [("收入合计", "level"), ("支出合计", "level")]
    assert [f.check for f in findings_for(head + "本年收入、支出合计分别为870.20万元和902.64万元。")] == []
    # the verb before the run is every figure's: both are decreases, not a level of 总计
    assert [r for _s, r in subjects("收、支总计分别减少86.20万元和102.35万元，各下降7.12%、8.05%。")] == [
        "change", "change", "change_pct", "change_pct"]
    # names that do not pair one to one: no subject, rather than the wrong one
    assert subjects("基本支出、项目支出均为500.00万元。") == [(None, "level")]
    assert subjects("住房和城乡建设支出、农林水支出分别为20.00万元、30.00万元。")[0] == (None, "level")
    # one value for names that are one item ("收入、支出总计均为X": 总计)
    assert subjects("收入、支出总计均为2876.43万元。") == [("总计", "level")]
    # the amounts just before 分别 are the names of the changes after it
    text = "本年收入合计1000.00万元，本年支出合计1100.00万元，分别比上年增加100.00万元和200.00万元，分别增长11.11%和{}%。"
    assert subjects(text.format("22.22"))[2:] == [("收入合计", "change"), ("支出合计", "change"),
                                                   ("收入合计", "change_pct"), ("支出合计", "change_pct")]
    assert findings_for(head + text.format("22.22")) == []
    (f,) = findings_for(head + text.format("28.22"))
    assert f.check == "rate.growth" and f.stated == Decimal("28.22")


def test_an_execution_rate_in_prose_against_the_budgets_the_sentence_states():
    head = "某县农业农村局2023年度项目支出绩效自评报告\n（二）预算执行情况\n"
    text = "项目全年预算数548.30万元，全年执行数530.12万元，预算执行率{}%。"
    (st,) = [st for st in extraction_of(head + text.format("96.68")).statements if st.kind == "execution"]
    assert (st.values["actual"].value, st.values["budget"].value, st.words["base"]) == (Decimal("530.12"), Decimal("548.30"), "调整预算")
    assert findings_for(head + text.format("96.68")) == []
    (f,) = findings_for(head + text.format("98.68"))
    assert (f.check, f.stated, round(f.computed, 2)) == ("rate.execution", Decimal("98.68"), Decimal("96.68"))
    # which budget was divided by is not always said: any budget stated gives a reading
    both = "项目年初预算数620.00万元，全年预算数548.30万元，全年执行数530.12万元，预算执行率{}%。"
    assert findings_for(head + both.format("85.50")) == [] and findings_for(head + both.format("96.68")) == []
    (f,) = findings_for(head + both.format("90.00"))
    assert "其他预算数" in f.message
    # no 执行数 in the sentence: nothing to divide
    assert [st for st in extraction_of(head + "项目全年预算数548.30万元，预算执行率90.00%。").statements if st.kind == "execution"] == []


def test_a_gap_with_no_sign_between_the_two_amounts_before_it():
    head = "某县农业农村局2023年度部门决算\n（三）三公经费\n"
    gap = "公务接待费年初预算3.20万元，实际支出2.90万元，差值为{}万元。"
    assert findings_for(head + gap.format("0.30")) == []
    (f,) = findings_for(head + gap.format("0.40"))
    assert (f.check, f.stated, f.computed) == ("rate.change", Decimal("0.40"), Decimal("0.30"))
    (st,) = [st for st in extraction_of(head + gap.format("0.30")).statements if st.kind == "change"]
    assert st.words["unsigned"] == "1" and st.values["previous"].value == Decimal("3.20")
    saving = "采购预算1200.00万元，实际采购1128.00万元，节约{}万元，节约率{}%。"
    assert findings_for(head + saving.format("72.00", "6.00")) == []
    # one wrong figure, one finding: the rate is taken over the budget stated, not derived from the gap
    assert [f.check for f in findings_for(head + saving.format("82.00", "6.00"))] == ["rate.change"]
    assert [f.check for f in findings_for(head + saving.format("72.00", "7.00"))] == ["rate.growth"]
    income = "本年收入合计3125.40万元、本年支出合计3188.72万元，收支相差{}万元，由年初结转和结余资金弥补。"
    assert findings_for(head + income.format("63.32")) == []
    assert [f.check for f in findings_for(head + income.format("73.32"))] == ["rate.change"]
    # three amounts before the gap: which two it is between is not said
    three = "年初预算3.20万元，调整预算3.00万元，实际支出2.90万元，差值为0.40万元。"
    assert [st for st in extraction_of(head + three).statements if st.words.get("unsigned")] == []


def test_counted_parts_over_their_total_are_never_rounding():
    head = "某县农业农村局2023年度部门决算\n（三）三公经费\n"
    (f,) = [f for f in findings_for(head + "公务用车保有量3辆，其中：越野车2辆，轿车2辆。\n") if f.check == "sum.breakdown"]
    # free labels in a list that need not be full: a warning (tests/test_calib.py), never rounding
    assert f.severity == "warning" and (f.stated, f.computed) == (Decimal(3), Decimal(4))
    assert findings_for(head + "公务用车保有量3辆，其中：越野车1辆，轿车1辆。\n") == []  # a 其中 list need not be full
    # amounts keep their rounding band: 0.01 over a total in 万元 is a rounding habit
    (f,) = findings_for(head + "三公经费支出10.00万元，其中：公务接待费4.02万元，公务用车运行维护费6.00万元。\n")
    assert f.severity == "info"


def test_the_running_cost_under_its_newer_name():
    head = "某县农业农村局2023年度部门决算\n（五）机构运行经费\n"
    text = "2023年度机构运行经费支出62.48万元，比上年减少4.12万元，下降{}%。"
    assert findings_for(head + text.format("6.19")) == []
    (f,) = findings_for(head + text.format("6.59"))
    assert f.check == "rate.growth"
    assert {f.subject.item for f in extraction_of(head + text.format("6.19")).figures} == {"机关运行经费"}


def test_a_list_ends_where_a_sibling_of_its_total_is_named():
    head = "某县农业农村局2023年度部门决算\n（二）支出决算情况\n"
    text = head + "基本支出694.28万元，其中人员经费612.35万元；项目支出205.10万元，其中专项业务费{}万元。\n"
    assert findings_for(text.format("180.00")) == []
    lists = [(r.total.label, [p.label for p in r.parts]) for r in extraction_of(text.format("180.00")).relations]
    assert lists == [("基本支出", ["人员经费"]), ("项目支出", ["专项业务费"])]
    (f,) = findings_for(text.format("215.10"))  # the second list still judged against its own total
    assert f.check == "sum.breakdown" and f.computed == Decimal("215.10")


def test_a_total_after_the_amounts_it_adds_up_is_none_of_them():
    head = "某县农业农村局2023年度部门决算\n（三）三公经费\n"
    text = "公务接待费2.10万元，公务用车购置及运行维护费6.50万元，合计8.60万元。"
    figures = extraction_of(head + text).figures
    assert [(f.quantity.text, f.subject.item if f.subject else None) for f in figures][-1] == ("8.60万元", None)
    assert findings_for(head + "因公出国（境）费、公务接待费、公务用车购置及运行维护费分别为0万元、2.10万元和6.50万元，合计8.60万元。") == []


def test_a_bare_total_after_its_amounts_is_their_full_sum():
    head = "某县农业农村局2023年度部门决算\n（三）三公经费\n"
    listed = "公务接待费2.10万元，公务用车购置及运行维护费6.50万元，合计{}万元。"
    (rel,) = extraction_of(head + listed.format("8.60")).relations
    assert rel.exhaustive and [p.quantity.value for p in rel.parts] == [Decimal("2.10"), Decimal("6.50")]
    assert findings_for(head + listed.format("8.60")) == []
    (f,) = findings_for(head + listed.format("9.60"))
    assert (f.check, f.stated, f.computed) == ("sum.breakdown", Decimal("9.60"), Decimal("8.60"))
    # a 合计 that closes a "其中" list is none of its parts
    opened = "三公经费支出8.60万元，其中公务接待费2.10万元，公务用车购置及运行维护费6.50万元，合计{}万元。"
    assert findings_for(head + opened.format("8.60")) == []
    assert [f.check for f in findings_for(head + opened.format("9.60"))] == ["sum.breakdown"]
    # a change among the amounts: not a list of parts
    changed = "公务接待费2.10万元，比上年减少0.50万元，公务用车运行维护费6.50万元，合计8.60万元。"
    assert [r for r in extraction_of(head + changed).relations if r.exhaustive] == [] and findings_for(head + changed) == []


def test_a_share_of_the_bare_year_total_in_a_section_of_one_fund():
    doc = ("某县2023年度部门决算\n一、收入支出决算总体情况说明\n2023年度本年收入合计1000.00万元，本年支出合计1000.00万元。\n"
           "五、一般公共预算财政拨款支出决算情况说明\n2023年度一般公共预算财政拨款支出800.00万元。\n"
           "（二）一般公共预算财政拨款支出决算结构情况\n教育支出200.00万元，占本年支出的{}%。\n")
    (st,) = [st for st in extraction_of(doc.format("25.00")).statements if st.kind == "share"]
    assert (st.whole.item, st.whole.scope) == ("支出合计", "一般公共预算")
    # that fund's total (25%) and all funds' total (20%) are both readings of "本年支出"
    assert findings_for(doc.format("25.00")) == [] and findings_for(doc.format("20.00")) == []
    (f,) = findings_for(doc.format("30.00"))
    assert f.check == "rate.share" and f.computed == Decimal("25") and "全部资金" in f.message


def test_self_evaluation_prose_completion_spending_rate_and_sources():
    head = "某县农业农村局2023年度项目支出绩效自评报告\n二、项目情况\n"
    done = "计划改造农村危房200户，实际完成180户，完成计划的{}%。"
    assert findings_for(head + done.format("90")) == []
    assert [f.check for f in findings_for(head + done.format("95"))] == ["rate.completion"]
    spent = "项目资金到位120.00万元，实际支出108.00万元，资金支出率{}%。"
    assert findings_for(head + spent.format("90")) == []
    assert [f.check for f in findings_for(head + spent.format("95"))] == ["rate.execution"]
    # the amount that arrived reports on the whole: it is none of the sources listed before it
    sources = "本项目资金总额120.00万元，其中中央补助资金80.00万元，省级资金30.00万元，县级配套资金{}万元，实际到位120.00万元，到位率100%。"
    (rel,) = [r for r in extraction_of(head + sources.format("10.00")).relations if r.check == "sum.breakdown"]
    assert [p.label for p in rel.parts] == ["中央补助资金", "省级资金", "县级配套资金"]
    assert findings_for(head + sources.format("10.00")) == []
    assert [f.check for f in findings_for(head + sources.format("20.00"))] == ["sum.breakdown"]


def test_heading_level_is_the_first_mark_that_matches():
    """text.heading_level reads the level from the group that matched (speed only): the level of
    the first heading mark whose group matched, as vocab.HEADING_MARKS orders them, on every
    line of the seeds and on each mark."""
    from conftest import SEEDS
    from extractor import vocab
    from extractor.text import HEADING_RE, heading_level

    def by_marks(line: str):
        m = HEADING_RE.match(line)
        return None if not m else next(level for level, _ in vocab.HEADING_MARKS if m.group(f"h{level}"))

    lines = [ln for path in SEEDS for ln in path.read_text(encoding="utf-8").split("\n")]
    lines += ["第三部分 说明", "一、收入", "（二）支出", "(三)", "1.概况", "12 项目", "1.2万元", "（3）其他", "　二、", "x"]
    levels = [heading_level(ln) for ln in lines]
    assert levels == [by_marks(ln) for ln in lines]
    assert set(levels) >= {None, 0, 1, 2, 3, 4}


def test_figure_is_built_as_the_constructor_builds_it():
    """narrative._figure (speed only) builds the record Figure(…) builds: equal, the same fields
    in the same order, the defaults of the others, and no state shared between two figures."""
    from decimal import Decimal

    from extractor.narrative import _figure
    from extractor.records import Figure, Quantity, Span, Subject

    q = Quantity(Decimal("1.5"), "元", "万", None, 1, "1.5万元", Span(3, 8))
    args = ("基本支出", q, Span(0, 8), "基本支出", "决算", "2023", Subject("基本支出", "基本支出"), "level", "stated")
    made, built = _figure(*args), Figure(label=args[0], quantity=q, span=args[2], canonical=args[3], measure=args[4],
                                         period=args[5], subject=args[6], role=args[7], confidence=args[8])
    assert made == built and list(vars(made).items()) == list(vars(built).items()) and type(made) is Figure
    other = _figure(*args)
    other.sentence = Span(0, 9)
    assert made.sentence is None and other.sentence == Span(0, 9)


def test_a_parenthesised_split_of_unnamed_parts_is_still_a_list():
    head = "某县农业农村局2023年度部门决算\n（三）三公经费\n"
    text = head + "公务用车购置及运行维护费48.00万元（其中购置费30.00万元，运行维护费{}万元）。\n"
    assert findings_for(text.format("18.00")) == []
    (f,) = findings_for(text.format("19.00"))
    assert f.check == "sum.breakdown" and f.computed == Decimal("49.00")


def test_two_names_the_vocabulary_takes_as_one_item_stay_two_figures():
    head = "某县2022年度部门决算\n一、收入支出决算总体情况说明\n"
    text = head + "2022年度收、支总计分别为4125.49万元和4143.91万元。与2021年相比，收、支总计分别减少1267.86万元和2570.97万元，分别下降{}%和38.28%。"
    parts = [f.subject.part for f in extraction_of(text.format("23.51")).figures]
    assert parts == ["收入总计", "支出总计"] * 3
    assert [f for f in findings_for(text.format("23.51")) if f.severity != "info"] == []  # 23.51% is 收入's, not 支出's
    (f,) = [f for f in findings_for(text.format("28.51")) if f.severity != "info"]
    assert f.check == "rate.growth" and f.stated == Decimal("28.51")


def test_a_unit_written_once_after_a_respectively_run_is_every_figure_s():
    head = "某县2022年度部门决算\n一、收入支出决算总体情况说明\n"
    text = head + "2022年度收、支总计各是4125.49、4143.91万元。与2021年相比，收、支总计各减少1267.86、2570.97万元，各下降{}%、38.28%。"
    units = [(f.quantity.unit, f.quantity.scale) for f in extraction_of(text.format("23.51")).figures][:4]
    assert units == [("元", "万")] * 4
    assert [f for f in findings_for(text.format("23.51")) if f.severity != "info"] == []
    (f,) = [f for f in findings_for(text.format("28.51")) if f.severity != "info"]
    assert f.check == "rate.growth" and round(f.computed, 2) == Decimal("-23.51")


def test_a_breakdown_whose_items_each_end_their_own_paragraph():
    head = "某县2020年部门预算\n二、一般公共预算财政拨款基本支出情况说明\n"
    text = head + ("2020年一般公共预算财政拨款基本支出911,000.39元，其中：\n人员经费809,961.19元，主要包括：基本工资、津贴补贴。\n"
                   "公用经费{}元，主要包括：办公费、印刷费。\n")
    (rel,) = extraction_of(text.format("101,039.20")).relations
    assert rel.exhaustive and [p.label for p in rel.parts] == ["人员经费", "公用经费"]
    assert findings_for(text.format("101,039.20")) == []
    (f,) = findings_for(text.format("71,339.20"))
    assert f.check == "sum.basic_breakdown" and f.computed == Decimal("881300.39")
    # the next paragraph about something else does not join the list
    other = head + "2020年一般公共预算财政拨款基本支出911,000.39元，其中：\n人员经费809,961.19元。\n项目支出50.00元。\n"
    (rel,) = extraction_of(other).relations
    assert [p.label for p in rel.parts] == ["人员经费"] and not rel.exhaustive


def test_a_change_and_its_rate_pointing_opposite_ways():
    head = "某县2023年度部门预算\n（三）三公经费\n"
    (f,) = findings_for(head + "公务接待费较上年减0.04万元，增0.01%。")
    assert f.check == "rate.growth" and "方向自相矛盾" in f.message and f.stated == Decimal("0.01")
    for fine in ("公务接待费较上年减少0.04万元，下降0.01%。",  # same direction
                 "公务接待费比上年减少0.04万元；比预算增长5%。",  # another base, another clause group
                 "公务用车运行费较上年增加0万元，增长0%。"):  # nothing changed
        assert findings_for(head + fine) == [], fine


def test_squeeze_keeps_the_characters_the_reading_copy_keeps():
    """text._squeeze (speed only) gives the runs of a line the reading copy keeps: every
    character but spaces, one space kept between two Latin letters or digits; checked against a
    reading of the line one character at a time, on random lines of spaces, tabs, full-width
    spaces, digits, letters and Chinese."""
    import random

    from extractor.text import _squeeze

    def kept_one_by_one(line: str) -> list[int]:
        keep, i = [], 0
        while i < len(line):
            if line[i] in " \t\u3000":
                j = i
                while j < len(line) and line[j] in " \t\u3000":
                    j += 1
                before, after = line[i - 1 : i], line[j : j + 1]
                if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
                    keep.append(i)
                i = j
            else:
                keep.append(i)
                i += 1
        return keep

    rng = random.Random(14)
    pieces = [" ", "  ", "\t", "\u3000", "2", "000", "a", "预算", "。", "（", "万元"]
    for _ in range(5000):
        line = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert [i for a, b in _squeeze(line) for i in range(a, b)] == kept_one_by_one(line), repr(line)
