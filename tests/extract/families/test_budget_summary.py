"""收支总表 (budget_summary) and 收入总表 (income_sources): both halves of each row, class
codes from names or national ordinals, continuation pages, and income by source."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from expectations.summary_identities import budget_summary_identities, income_sources_identities
from extract.document import Extracted, extract_document
from extract.families import budget_summary
from tests.conftest import REAL, SAMPLES, extract_once
from tests.pdfgen import Grid, Line, PageBreak, Title, render

WAN = Decimal(10000)


def _lines(extracted: Extracted, kind: str, side: str) -> list[dict]:
    return [
        r
        for r in extracted.frames["budget_summary"]
        if r["table_kind"] == kind and r["side"] == side
    ]


def _by_class(lines: list[dict]) -> dict[str, Decimal]:
    return {
        r["class_code"]: r["amount_yuan"]
        for r in lines
        if r["class_code"] and r["amount_yuan"] is not None
    }


# ----------------------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("六、科学技术", ("六", 1, "科学技术")),
        ("(十七)金融支出", ("十七", 2, "金融支出")),
        ("（三十四）抗疫特别国债安排的支出", ("三十四", 2, "抗疫特别国债安排的支出")),
        ("1.一般公共预算资金", ("1", 2, "一般公共预算资金")),
        ("2、政府性基金预算", ("2", 2, "政府性基金预算")),
        ("收入总计", (None, 1, "收入总计")),
    ],
)
def test_split_ordinal(label: str, expected: tuple) -> None:
    assert budget_summary.split_ordinal(label) == expected


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("一般公共服务", "201"),
        ("社会保障和就业支出", "208"),
        ("城乡社区事务", "212"),
        ("资源勘探信息等", "215"),
        ("资源勘探工业信息等支出", "215"),
        ("文化体育旅游与传媒支出", "207"),
        ("医疗卫生与计划生育支出", "210"),
        ("社会保险基金支出", "209"),
        ("其他支出", "229"),
        ("基本支出", None),
        ("工资福利支出", None),
        ("本年支出", None),
    ],
)
def test_class_by_name(name: str, code: str | None) -> None:
    assert budget_summary.class_by_name(name) == code


# ------------------------------------------------------------------- doc_a (seed 003 layout)


@pytest.fixture(scope="module")
def doc_a() -> Extracted:
    return extract_once(SAMPLES / "doc_a.pdf")


def test_all_funds_summary_of_doc_a(doc_a: Extracted) -> None:
    # GIVEN doc_a's 部门收支总体情况表 (page 8, 万元): 一、一般公共服务 692.8 … 收入总计 73,630.3
    income = _lines(doc_a, "all_funds", "income")
    spending = _lines(doc_a, "all_funds", "expenditure")
    # THEN each half ends with its totals, equal, converted exactly to yuan
    totals = {(r["side"], r["line_kind"]): r["amount_yuan"] for r in income + spending}
    assert (
        totals[("income", "total")] == totals[("expenditure", "total")] == Decimal("73630.3") * WAN
    )
    assert totals[("income", "current_total")] == Decimal("736303000.0")
    # AND 其中：财政拨款 is inside the line above, not a source of its own
    (of_which,) = [r for r in income if r["line_kind"] == "of_which"]
    assert of_which["line_name"] == "其中：财政拨款"
    # AND the classes printed with national ordinals map to their codes; 九、社会保险基金 -> 209
    assert _by_class(spending) == {
        "201": Decimal("692.8") * WAN,
        "206": Decimal("71677.5") * WAN,
        "208": Decimal("86.0") * WAN,
        "217": Decimal("1174.0") * WAN,
    }
    codes = [r["class_code"] for r in spending if r["line_kind"] == "item"]
    assert codes[:9] == ["201", "202", "203", "204", "205", "206", "207", "208", "209"]
    assert codes[-1] == "234" and None not in codes
    assert {r["page_number"] for r in income + spending} == {8}


def test_fiscal_grants_summary_continued_over_a_page(doc_a: Extracted) -> None:
    # GIVEN doc_a's 财政拨款收支总体情况表: pages 10-11, the second page without a header and
    # starting with lines that print no amount ((三十)转移性支出 …)
    spending = _lines(doc_a, "fiscal_grants", "expenditure")
    income = _lines(doc_a, "fiscal_grants", "income")
    names = [r["line_name"] for r in spending]
    # THEN the lines of page 11 are kept, in order, up to 支出合计
    assert names[-3:] == ["(三十四)抗疫特别国债安排的支出", "二、年终结转结余", "支出合计"]
    assert {r["page_number"] for r in spending if "三十" in r["line_name"]} == {11}
    # AND 一、本年支出 is the current-year total; its (一)… lines are the classes
    current = next(r for r in spending if r["line_kind"] == "current_total")
    assert (current["line_name"], current["amount_yuan"]) == (
        "一、本年支出",
        Decimal("73630.3") * WAN,
    )
    assert current["general_public_budget_yuan"] == Decimal("73630.3") * WAN
    # AND the old name (九)医疗卫生与计划生育支出 still maps to 210
    old = next(r for r in spending if "计划生育" in r["line_name"])
    assert old["class_code"] == "210"
    # AND the lines under 二、上年结转 are carryover, not current-year income
    carry = [r["line_name"] for r in income if r["line_kind"] == "carryover"]
    assert carry[0] == "二、上年结转" and len(carry) == 4


# --------------------------------------------- generated: seed 001 layout (三栏收入, 基本/项目)


def _seed_001_style(path: Path) -> Path:
    header = [
        ["收入", "", "", "支出", "", ""],
        ["项目", "", "金额", "项目", "合计", "一般公共预算"],
    ]
    body = [
        ["一般公共预算收入", "小计", "4,533.7", "一、基本支出", "1,313.9", "1,313.9"],
        ["", "财政拨款", "3,823.7", "工资福利支出", "944.9", "944.9"],
        ["", "上级预拨", "710.0", "二、项目支出", "3,219.8", "3,219.8"],
        ["政府性基金收入", "小计", "", "", "", ""],
        ["上年结余（结转）", "", "3.0", "", "", ""],
        ["收入合计", "", "4,536.7", "支出合计", "4,536.7", "4,533.7"],
    ]
    spans = [(0, 0, 2, 0), (3, 0, 5, 0), (0, 1, 1, 1), (0, 2, 0, 4), (0, 7, 1, 7)]
    return render(
        path,
        [
            Title("2021年部门收支总体情况表"),
            Line("单位：济源产城融合示范区工业和科技创新委员会"),
            Line("单位：万元"),
            Grid(header + body, spans=spans),
        ],
    )


def test_seed_001_layout(tmp_path: Path) -> None:
    # GIVEN a 收支总体情况表 whose income half has a merged source column over its items and
    # whose expenditure half lists 基本支出 / 项目支出 instead of function classes
    pdf = _seed_001_style(tmp_path / "summary_001.pdf")
    got = extract_document(pdf, document_id="d", source_uri=str(pdf))
    income = _lines(got, "all_funds", "income")
    spending = _lines(got, "all_funds", "expenditure")
    # THEN each income item keeps its group and its amount in yuan
    items = {(r["group_name"], r["line_name"]): r["amount_yuan"] for r in income}
    assert items[("一般公共预算收入", "财政拨款")] == Decimal("3823.7") * WAN
    assert items[("一般公共预算收入", "上级预拨")] == Decimal("710.0") * WAN
    assert items[(None, "收入合计")] == Decimal("4536.7") * WAN
    kinds = {r["line_name"]: r["line_kind"] for r in income}
    assert kinds["上年结余（结转）"] == "carryover" and kinds["收入合计"] == "total"
    # AND no expenditure line is taken for a function class (一、基本支出 is not 201)
    assert {r["class_code"] for r in spending} == {None}
    total = next(r for r in spending if r["line_kind"] == "total")
    assert total["amount_yuan"] == Decimal("4536.7") * WAN
    assert total["general_public_budget_yuan"] == Decimal("4533.7") * WAN
    # AND gate 1's identities hold: the group counts by its 小计, the 3.0 carryover added
    records, _ = budget_summary_identities("d", pd.DataFrame(got.frames["budget_summary"]))
    checks = {r["check"]: r["excess"] for r in records}
    assert checks.keys() == {
        "summary_income_total_equals_expenditure_total",
        "summary_income_items_sum_to_income",
    }
    assert max(checks.values()) <= 0


# --------------------------------------------------------------- real Shanghai PDFs (in 元)


def test_shanghai_summary_with_sequential_ordinals() -> None:
    # GIVEN 司法局2026 单位预算: classes numbered 一、二、三、四 over the classes present only,
    # and 基本支出 split into 人员经费 / 公用经费 columns
    got = extract_once(REAL / "上海市普陀区司法局2026年单位预算.pdf")
    spending = _lines(got, "all_funds", "expenditure")
    # THEN the codes come from the names, not from the ordinals
    assert _by_class(spending) == {
        "204": Decimal("79189400.34"),
        "208": Decimal("2925857.00"),
        "210": Decimal("982692.00"),
        "221": Decimal("3861459.00"),
    }
    # AND 基本支出 sums its two printed columns: 12,604,173 + 1,744,680
    public_safety = next(r for r in spending if r["class_code"] == "204")
    assert public_safety["basic_yuan"] == Decimal("14348853")
    assert public_safety["project_yuan"] == Decimal("64840547")
    fiscal = _by_class(_lines(got, "fiscal_grants", "expenditure"))
    assert fiscal["204"] == Decimal("79189400.34")


def test_shanghai_income_by_source() -> None:
    # GIVEN 商务委员会2025 部门收入预算总表: 类/款/项 columns, sources 合计 / 财政拨款收入 /
    # 事业收入 / 事业单位经营收入 / 其他收入, continued from page 10 to page 11
    got = extract_once(REAL / "上海市普陀区商务委员会2025年部门预算.pdf")
    rows = got.frames["income_sources"]
    cell = {(r["row_kind"], r["function_code"], r["income_source"]): r for r in rows}
    # THEN the total row carries the total and the fiscal grant, in yuan
    assert cell[("total", None, "total")]["amount_yuan"] == Decimal("371514655.00")
    assert cell[("total", None, "fiscal_grant")]["source_name"] == "财政拨款收入"
    # AND 项 rows carry their code: 2150899 on page 11
    row = cell[("code", "2150899", "fiscal_grant")]
    assert (row["amount_yuan"], row["page_number"], row["code_level"]) == (
        Decimal("293810000.00"),
        11,
        3,
    )
    assert {r["income_source"] for r in rows} == {"total", "fiscal_grant"}  # blanks not staged


# ------------------------------------- generated: one code column, unit rows, four sources


def _income_table(path: Path) -> Path:
    header = [
        ["科目编码", "科目名称", "合计", "一般公共预算", "政府性基金", "事业收入", "上年结转"],
    ]
    rows = [
        ["", "合计", "1,250.50", "1,000.00", "200.00", "40.50", "10.00"],
        ["", "某某县教育局", "1,250.50", "1,000.00", "200.00", "40.50", "10.00"],
        ["205", "教育支出", "1,250.50", "1,000.00", "200.00", "40.50", "10.00"],
        ["20502", "普通教育", "1,250.50", "1,000.00", "200.00", "40.50", "10.00"],
    ]
    rows += [
        ["2050201", "学前教育", "50.50", "", "", "40.50", "10.00"],
        ["2050202", "小学教育", "1,200.00", "1,000.00", "200.00", "", ""],
    ]
    return render(
        path,
        [
            Title("2024年部门收入总体情况表"),
            Line("部门名称：某某县教育局"),
            Line("单位：万元"),
            Grid(header + rows, repeat_rows=1),
            PageBreak(),
            Title("2024年部门支出总体情况表"),
            Line("单位：万元"),
        ],
    )


def test_income_by_source_single_code_column(tmp_path: Path) -> None:
    pdf = _income_table(tmp_path / "income.pdf")
    got = extract_document(pdf, document_id="d", source_uri=str(pdf))
    rows = got.frames["income_sources"]
    cell = {(r["row_kind"], r["function_code"], r["income_source"]): r["amount_yuan"] for r in rows}
    assert cell[("total", None, "total")] == Decimal("1250.50") * WAN
    assert cell[("unit", None, "government_fund")] == Decimal("200.00") * WAN
    assert cell[("code", "2050201", "business")] == Decimal("40.50") * WAN
    assert cell[("code", "2050201", "carryover")] == Decimal("10.00") * WAN
    assert ("code", "2050201", "general_public_budget") not in cell  # printed blank
    assert cell[("code", "2050202", "general_public_budget")] == Decimal("1000.00") * WAN
    unit_row = next(r for r in rows if r["row_kind"] == "unit")
    assert unit_row["name"] == "某某县教育局"
    assert {r["decimals"] for r in rows} == {2}


def _income_by_source(
    tmp_path: Path, header: list[list[str]], spans: list, amounts: list[str]
) -> Extracted:
    """A 收入总体情况表 with a two-row header (code, name and 合计 merged over both rows),
    a 合计 row and one 项 row printing `amounts`."""
    rows = [["", "合计", *amounts], ["2050201", "学前教育", *amounts]]
    merged = [(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 2, 1), *spans]
    pdf = render(
        tmp_path / "income.pdf",
        [Title("2024年部门收入总体情况表"), Line("单位：万元"), Grid(header + rows, spans=merged)],
    )
    return extract_document(pdf, document_id="d", source_uri=str(pdf))


def test_income_group_printing_its_parts_stages_the_parts_not_the_subtotal(
    tmp_path: Path,
) -> None:
    # GIVEN 财政拨款 spanning 小计 / 一般公共预算 / 政府性基金, then 事业收入
    header = [
        ["科目编码", "科目名称", "合计", "财政拨款", "", "", "事业收入"],
        ["", "", "", "小计", "一般公共预算", "政府性基金", ""],
    ]
    spans = [(3, 0, 5, 0), (6, 0, 6, 1)]
    got = _income_by_source(
        tmp_path, header, spans, ["130.00", "120.00", "100.00", "20.00", "10.00"]
    )
    sources = {
        (r["income_source"], r["amount_yuan"])
        for r in got.frames["income_sources"]
        if r["row_kind"] == "total"
    }
    # THEN the parts are sources of their own and the group's 小计 is not staged twice
    assert sources == {
        ("total", Decimal("130.00") * WAN),
        ("general_public_budget", Decimal("100.00") * WAN),
        ("government_fund", Decimal("20.00") * WAN),
        ("business", Decimal("10.00") * WAN),
    }
    # AND 合计 = the sum of the sources on every row
    records, _ = income_sources_identities("d", pd.DataFrame(got.frames["income_sources"]))
    sums = [r for r in records if r["check"] == "income_total_equals_sum_of_sources"]
    assert len(sums) == 2 and max(r["excess"] for r in sums) <= 0


def test_income_sources_under_this_year_and_carryover_stay_apart(tmp_path: Path) -> None:
    # GIVEN 一般公共预算 / 政府性基金 printed under both 本年收入 and 上年结转
    header = [
        ["科目编码", "科目名称", "合计", "本年收入", "", "上年结转", ""],
        ["", "", "", "一般公共预算", "政府性基金", "一般公共预算", "政府性基金"],
    ]
    spans = [(3, 0, 4, 0), (5, 0, 6, 0)]
    got = _income_by_source(
        tmp_path, header, spans, ["160.00", "100.00", "20.00", "30.00", "10.00"]
    )
    total_row = {
        r["source_name"]: (r["income_source"], r["amount_yuan"])
        for r in got.frames["income_sources"]
        if r["row_kind"] == "total"
    }
    # THEN the carryover columns are carryover, named by their path, one row each
    assert total_row == {
        "合计": ("total", Decimal("160.00") * WAN),
        "一般公共预算": ("general_public_budget", Decimal("100.00") * WAN),
        "政府性基金": ("government_fund", Decimal("20.00") * WAN),
        "上年结转/一般公共预算": ("carryover", Decimal("30.00") * WAN),
        "上年结转/政府性基金": ("carryover", Decimal("10.00") * WAN),
    }


def _summary_pdf(path: Path, spending: list[tuple[str, str]], *, note: bool = False) -> Path:
    """A 收支总表 with one income line and the given expenditure lines (label, 万元)."""
    total = sum((Decimal(amount) for _, amount in spending), Decimal(0))
    rows = [["收入", "", "支出", ""], ["项目", "金额", "项目", "金额"]]
    rows += [["一、财政拨款收入" if i == 0 else "", f"{total}" if i == 0 else "", label, amount]
             for i, (label, amount) in enumerate(spending)]  # fmt: skip
    rows.append(["收入总计", f"{total}", "支出总计", f"{total}"])
    spans = [(0, 0, 1, 0), (2, 0, 3, 0)]
    if note:
        rows.append(["注：本部门无政府性基金收支", "", "", ""])
        spans.append((0, len(rows) - 1, 3, len(rows) - 1))
    title = [Title("2025年财政拨款收支总体情况表"), Line("单位：万元")]
    return render(path, [*title, Grid(rows, spans=spans)])


def _spending(path: Path) -> tuple[list[tuple[str, str | None]], list]:
    got = extract_document(path, document_id="d", source_uri=str(path))
    lines = _lines(got, "fiscal_grants", "expenditure")
    return [(r["line_name"], r["class_code"]) for r in lines], got.problems


def test_lines_by_budget_are_not_classes_and_a_note_row_is_no_problem(tmp_path: Path) -> None:
    # GIVEN a 财政拨款收支总表 whose expenditure half lists budgets, not classes, and a note
    # merged across the table under it
    pdf = _summary_pdf(
        tmp_path / "budgets.pdf",
        [("一、一般公共预算支出", "90.0"), ("二、政府性基金预算支出", "10.0")],
        note=True,
    )
    lines, problems = _spending(pdf)
    # THEN no line takes a class code (一般公共预算 is not 201 一般公共服务), the note is
    # not a line and not an unreadable amount
    assert lines == [
        ("一、一般公共预算支出", None),
        ("二、政府性基金预算支出", None),
        ("支出总计", None),
    ]
    assert problems == []


def test_class_code_printed_in_the_label_cell(tmp_path: Path) -> None:
    pdf = _summary_pdf(
        tmp_path / "codes.pdf",
        [("201一般公共服务支出", "90.0"), ("208 社会保障和就业支出", "10.0")],
    )
    lines, _ = _spending(pdf)
    assert lines[:2] == [("201一般公共服务支出", "201"), ("208社会保障和就业支出", "208")]


def test_ordinals_over_the_classes_present_never_stand_for_a_class(tmp_path: Path) -> None:
    # GIVEN Shanghai-style numbering (一、二、三 over the classes present) and one line whose
    # name the national list does not know
    pdf = _summary_pdf(
        tmp_path / "sequential.pdf",
        [
            ("一、公共安全支出", "50.0"),
            ("二、社会保障和就业支出", "30.0"),
            ("三、某某专项支出", "20.0"),
        ],
    )
    lines, _ = _spending(pdf)
    # THEN 三、 is not taken for 203 国防
    assert lines[:3] == [
        ("一、公共安全支出", "204"),
        ("二、社会保障和就业支出", "208"),
        ("三、某某专项支出", None),
    ]
