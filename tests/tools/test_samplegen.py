"""tools.samplegen: the sample PDFs print exactly what their specs say.

Each test renders the bundled specs, reads the PDF back with pdfplumber (as the pipeline
will) and compares with the spec, the source of truth. The 收支总表 and 收入总表 are also
read back by the pipeline's own extraction (extract.document), line by line and source by
source, and checked against gate 1's identities.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pdfplumber
import pytest

from expectations.summary_identities import (
    budget_summary_identities,
    income_sources_identities,
    summary_crosscheck_identities,
)
from extract import document
from extract.reference import national_classes
from extract.values import UNIT_FACTORS
from tools import samplegen as sg

REPO = Path(__file__).resolve().parents[2]
SPECS = {spec.file_name: spec for spec in sg.DEFAULT_SPECS}
HENAN = SPECS["henan_county_education_2024.pdf"]
SHANGHAI = SPECS["shanghai_style_yuan_2023.pdf"]
UNRECONCILED = SPECS["unreconciled_2024.pdf"]

Row = list[str | None]


@dataclass(frozen=True)
class Page:
    text: str
    tables: list[list[Row]]


@dataclass(frozen=True)
class Extracted:
    spec: sg.DocumentSpec
    rendered: sg.RenderedDocument
    pages: list[Page]  # pages[0] is page 1

    def page(self, number: int) -> Page:
        return self.pages[number - 1]

    def table_pages(self, table: sg.SpecTable) -> list[Page]:
        first, last = self.rendered.table_pages[self.spec.tables.index(table)]
        return self.pages[first - 1 : last]


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Extracted]:
    out = tmp_path_factory.mktemp("samples")
    result: dict[str, Extracted] = {}
    for spec in sg.DEFAULT_SPECS:
        rendered = sg.render(spec, out / spec.file_name)
        with pdfplumber.open(rendered.path) as pdf:
            pages = [Page(p.extract_text() or "", p.extract_tables()) for p in pdf.pages]
        result[spec.file_name] = Extracted(spec, rendered, pages)
    return result


def flat(text: str) -> str:
    """Page or cell text without the line breaks that wrapping inserts."""
    return text.replace("\n", "")


def amount(spec: sg.DocumentSpec, table: sg.FunctionTable, value: Decimal | None) -> str:
    return sg.format_amount(
        value,
        spec.decimals,
        thousands_separator=table.thousands_separator,
        zero_as_blank=table.zero_as_blank,
    )


def expected_hierarchy_row(
    spec: sg.DocumentSpec, table: sg.FunctionTable, row: sg.FunctionRow
) -> Row:
    values = [row.total, row.basic, row.personnel, row.public, row.project]
    return [row.code or "", row.name, *(amount(spec, table, v) for v in values)]


def expected_shanghai_row(
    spec: sg.DocumentSpec, table: sg.FunctionTable, row: sg.FunctionRow
) -> Row:
    values = [amount(spec, table, v) for v in (row.total, row.basic, row.project)]
    if row.kind == "total":
        return ["合计", None, None, None, *values]
    code = row.code or ""
    return [code[:3], code[3:5], code[5:7], row.name, *values]


def identity_failures(table: sg.FunctionTable) -> list[tuple[str, str, Decimal, Decimal]]:
    """(row, identity, printed, expected) for every accounting identity the table breaks."""
    failures: list[tuple[str, str, Decimal, Decimal]] = []
    coded = [row for row in table.rows if row.code is not None]
    hierarchical = any(len(row.code or "") == 3 for row in coded)
    for row in table.rows:
        label = row.code or row.name
        if row.total != row.basic + row.project:
            failures.append((label, "合计=基本+项目", row.total, row.basic + row.project))
        split = None if row.personnel is None or row.public is None else row.personnel + row.public
        if split is not None and row.basic != split:
            failures.append((label, "基本=人员+公用", row.basic, split))
        if row.code is None:
            children = [c for c in coded if len(c.code or "") == (3 if hierarchical else 7)]
        else:
            children = [
                c
                for c in coded
                if (c.code or "").startswith(row.code) and len(c.code or "") == len(row.code) + 2
            ]
        if children:
            expected = sum((c.total for c in children), Decimal(0))
            if row.total != expected:
                failures.append((label, "合计=子项之和", row.total, expected))
    return failures


def class_sums(table: sg.FunctionTable) -> dict[str, Decimal]:
    """类 code -> the sum of the table's 项 rows under it."""
    sums: dict[str, Decimal] = {}
    for row in table.rows:
        if row.code and len(row.code) == 7:
            sums[row.code[:3]] = sums.get(row.code[:3], Decimal(0)) + row.total
    return sums


def national_class_codes() -> list[str]:
    return list(national_classes())


def squeeze(text: str | None) -> str:
    """Text without whitespace: wrapping and the extractor's normalising both move it."""
    return re.sub(r"\s", "", text or "")


def grant_source(table: sg.IncomeTable) -> str:
    """The column holding the general public budget: 一般公共预算, or 财政拨款收入 (Shanghai)."""
    keys = [key for key, _ in table.sources]
    return "general_public_budget" if "general_public_budget" in keys else "fiscal_grant"


# ------------------------------------------------------------------------------ specs


def test_bundled_samples_have_stable_file_names() -> None:
    # GIVEN the bundled specs
    # WHEN listing their file names
    names = [spec.file_name for spec in sg.sample_specs()]
    # THEN they are stable and name what each shows
    assert names == [
        "henan_county_education_2024.pdf",
        "shanghai_style_yuan_2023.pdf",
        "unreconciled_2024.pdf",
    ]
    assert [spec.expected_status for spec in sg.sample_specs()] == [
        "loaded",
        "loaded",
        "quarantined",
    ]


@pytest.mark.parametrize("spec", [HENAN, SHANGHAI], ids=lambda s: s.file_name)
def test_consistent_documents_satisfy_every_identity(spec: sg.DocumentSpec) -> None:
    # GIVEN a document meant to load
    # WHEN checking the accounting identities of each function table
    # THEN none is broken
    for table in spec.function_tables:
        assert identity_failures(table) == [], table.title
    # AND the general public budget never exceeds all funds
    all_funds = spec.function_table("all_funds").total_row
    gpb = spec.function_table("general_public_budget").total_row
    assert Decimal(0) < gpb.total <= all_funds.total


def test_henan_performance_and_project_forms_agree_with_budget_tables() -> None:
    # GIVEN the Henan document
    all_funds = HENAN.function_table("all_funds").total_row
    gpb = HENAN.function_table("general_public_budget").total_row
    (performance,) = HENAN.performance_tables
    # THEN the 预算情况 block restates the budget tables
    assert performance.budget_total == all_funds.total
    assert performance.government_funds == gpb.total
    assert performance.basic + performance.project == performance.budget_total
    assert (
        performance.government_funds + performance.special_account_funds + performance.unit_funds
        == performance.budget_total
    )
    # AND the project forms add up to 项目支出
    forms = HENAN.project_forms
    assert len(forms) == 6
    assert sum((f.amount for f in forms), Decimal(0)) == all_funds.project
    assert sum((f.government_amount for f in forms), Decimal(0)) == gpb.project


@pytest.mark.parametrize("spec", [HENAN, SHANGHAI], ids=lambda s: s.file_name)
def test_budget_summary_restates_the_function_tables(spec: sg.DocumentSpec) -> None:
    # GIVEN the 收支总表 of a document meant to load
    (summary,) = spec.budget_summaries
    total = spec.function_table("all_funds").total_row.total
    grants = spec.function_table("general_public_budget").total_row.total
    # THEN each class line prints the 类 sum of the all-funds function table, blank elsewhere
    classes = {line.class_code: line.amount for line in summary.expenditure if line.amount}
    assert classes == class_sums(spec.function_table("all_funds"))
    assert sum(classes.values(), Decimal(0)) == total
    # AND both halves end on the same total, the income sources (一、二、…) adding up to it
    for lines in (summary.income_lines, summary.expenditure_lines):
        assert [line.amount for line in lines if line.kind == "total"] == [total]
    sources = [line.amount or 0 for line in summary.income if "、" in line.label]
    assert sum(sources, Decimal(0)) == total
    assert summary.income[0].amount == grants


def test_henan_summary_lists_every_national_class_by_ordinal() -> None:
    # GIVEN the Henan 部门收支总体情况表 (seed 003 layout)
    (summary,) = HENAN.budget_summaries
    # THEN its expenditure half lists the national classes in order, 一、 … 三十四、
    assert [line.class_code for line in summary.expenditure] == national_class_codes()
    assert summary.expenditure[0].label == "一、一般公共服务"
    assert summary.expenditure[-1].label == "三十四、抗疫特别国债安排的支出"
    assert summary.income[-1].label == "九、其他收入"
    assert [left.label for left, _ in summary.footer] == [
        "本年收入合计",
        "上年结转结余",
        "收入总计",
    ]


def test_shanghai_summary_numbers_only_the_classes_present() -> None:
    (summary,) = SHANGHAI.budget_summaries
    assert [line.label for line in summary.expenditure] == [
        "一、文化旅游体育与传媒支出",
        "二、社会保障和就业支出",
        "三、卫生健康支出",
        "四、住房保障支出",
    ]
    assert [line.class_code for line in summary.expenditure] == ["207", "208", "210", "221"]


@pytest.mark.parametrize("spec", [HENAN, SHANGHAI], ids=lambda s: s.file_name)
def test_income_table_restates_the_function_tables(spec: sg.DocumentSpec) -> None:
    # GIVEN the 收入总表 of a document meant to load
    (income,) = spec.income_tables
    all_funds = spec.function_table("all_funds")
    gpb = spec.function_table("general_public_budget")
    grant = grant_source(income)
    # THEN on every row 合计 is the sum of the sources
    for row in income.rows:
        assert row.amounts[0] == sum(row.amounts[1:], Decimal(0)), row.code
    # AND each 项 row is the function tables' 项 row: all funds in 合计, the grant in its column
    leaves = [row for row in income.rows if row.code and len(row.code) == 7]
    assert [row.code for row in leaves] == [r.code for r in gpb.rows if len(r.code or "") == 7]
    for row in leaves:
        assert income.amount(row, "total") == all_funds.row(row.code or "").total
        assert income.amount(row, grant) == gpb.row(row.code or "").total
    # AND the 类 rows sum their 项 rows, the total row the whole department
    for code, value in class_sums(all_funds).items():
        assert income.amount(income.row(code), "total") == value
    assert income.amount(income.total_row, "total") == all_funds.total_row.total
    assert income.amount(income.total_row, grant) == gpb.total_row.total


def test_unreconciled_document_records_its_misprint() -> None:
    # GIVEN the unreconciled document
    (discrepancy,) = UNRECONCILED.discrepancies
    gpb = UNRECONCILED.function_table("general_public_budget")
    # THEN the 款 row 21007 prints 350.0 while its 项 rows sum to 300.0
    assert (discrepancy.function_code, discrepancy.column) == ("21007", "total")
    assert (discrepancy.printed, discrepancy.expected) == (Decimal("350.0"), Decimal("300.0"))
    assert gpb.row("21007").total == Decimal("350.0")
    assert gpb.row("2100717").total + gpb.row("2100799").total == Decimal("300.0")
    # AND exactly the identities touching that row break, by far more than rounding
    failures = identity_failures(gpb)
    assert {(row, identity) for row, identity, _, _ in failures} == {
        ("21007", "合计=基本+项目"),
        ("21007", "合计=子项之和"),
        ("210", "合计=子项之和"),
    }
    assert all(abs(printed - expected) == Decimal("50.0") for *_, printed, expected in failures)
    # AND its all-funds table is consistent
    assert identity_failures(UNRECONCILED.function_table("all_funds")) == []


def test_function_row_rejects_malformed_code() -> None:
    # GIVEN a code of 4 digits WHEN building a row THEN it is refused
    with pytest.raises(ValueError, match="3, 5 or 7 digits"):
        sg.FunctionRow("2050", "x", Decimal(1), Decimal(1), Decimal(0))


@pytest.mark.parametrize(
    ("value", "decimals", "thousands", "blank", "printed"),
    [
        (Decimal("1234.5"), 1, True, True, "1,234.5"),
        (Decimal("1234567.89"), 2, True, True, "1,234,567.89"),
        (Decimal("1234567.89"), 2, False, True, "1234567.89"),
        (Decimal("0"), 1, True, True, ""),
        (Decimal("0"), 2, True, False, "0.00"),
        (Decimal("860"), 1, True, True, "860.0"),
        (None, 1, True, False, ""),
    ],
)
def test_format_amount(
    value: Decimal | None, decimals: int, thousands: bool, blank: bool, printed: str
) -> None:
    # GIVEN an amount WHEN formatted as a cell THEN it prints as real tables do
    assert (
        sg.format_amount(value, decimals, thousands_separator=thousands, zero_as_blank=blank)
        == printed
    )


# ------------------------------------------------------------------------ rendered PDFs


def test_titles_are_found_in_page_text(extracted: dict[str, Extracted]) -> None:
    # GIVEN the rendered Henan document
    doc = extracted[HENAN.file_name]
    # THEN the cover title is on page 1 and each table's title on its first page
    assert "豫东县教育局2024年部门预算公开" in doc.page(1).text
    for table, (first, _) in zip(HENAN.tables, doc.rendered.table_pages, strict=True):
        assert table.title in doc.page(first).text
    gpb_first = doc.table_pages(HENAN.function_table("general_public_budget"))[0]
    assert "2024年一般公共预算支出情况表" in gpb_first.text
    # AND every table page names the department left and the unit right
    for first, _ in doc.rendered.table_pages:
        assert "部门名称：豫东县教育局 单位：万元" in doc.page(first).text


def test_narrative_quotes_the_income_total(extracted: dict[str, Extracted]) -> None:
    # GIVEN the Henan document's all-funds total
    total = HENAN.function_table("all_funds").total_row.total
    # THEN the 预算情况说明 quotes it in prose, without separators
    assert total == Decimal("40239.4")
    assert f"收入总计 {total} 万元" in flat(extracted[HENAN.file_name].page(1).text)


def test_all_funds_table_has_a_three_row_merged_header(extracted: dict[str, Extracted]) -> None:
    # GIVEN the 部门支出总体情况表 of the Henan document
    doc = extracted[HENAN.file_name]
    spec_table = HENAN.function_table("all_funds")
    (page,) = doc.table_pages(spec_table)
    (table,) = page.tables
    # THEN its header spans 3 rows with merged cells
    assert table[:3] == [
        [
            "科目编码",
            None,
            None,
            "单位代码",
            "单位（科目名称）",
            "合计",
            "基本支出",
            None,
            None,
            "项目支出",
        ],
        ["类", "款", "项", None, None, None, "小计", "人员经费", "公用经费", None],
        ["栏次", None, None, None, None, "1", "2", "3", "4", "5"],
    ]
    # AND 合计 comes first, then the unit row, then 项 rows split into 类/款/项
    assert table[3][4] == "合计" and table[3][5] == "40,239.4"
    assert table[4][3:5] == [HENAN.unit_code, "豫东县教育局"]
    primary = next(r for r in table if r[:3] == ["205", "02", "02"])
    row = spec_table.row("2050202")
    values = [row.total, row.basic, row.personnel, row.public, row.project]
    assert primary == ["205", "02", "02", HENAN.unit_code, "小学教育"] + [
        amount(HENAN, spec_table, v) for v in values
    ]
    assert len(table) == 3 + len(spec_table.rows)


def test_function_table_continues_on_next_page_with_repeated_header(
    extracted: dict[str, Extracted],
) -> None:
    # GIVEN the long 一般公共预算支出情况表 of the Henan document
    doc = extracted[HENAN.file_name]
    spec_table = HENAN.function_table("general_public_budget")
    pages = doc.table_pages(spec_table)
    # WHEN reading the table on each of its pages
    parts = [page.tables[0] for page in pages]
    # THEN it spans two pages, the title printed once, the header on both
    assert len(pages) == 2
    assert spec_table.title in pages[0].text and spec_table.title not in pages[1].text
    header = [
        ["科目编码", "科目名称", "合计", "基本支出", None, None, "项目支出"],
        [None, None, None, "小计", "人员经费", "公用经费", None],
    ]
    assert [part[:2] for part in parts] == [header, header]
    # AND the body rows, joined, are exactly the spec's rows: 合计 first, 类/款/项 codes
    body = [flat_row for part in parts for flat_row in part[2:]]
    assert body == [expected_hierarchy_row(HENAN, spec_table, r) for r in spec_table.rows]
    assert [len(r.code or "") for r in spec_table.rows[:4]] == [0, 3, 5, 7]


def test_thousands_separated_amounts_appear_exactly(extracted: dict[str, Extracted]) -> None:
    # GIVEN amounts of 万元 and 元 tables
    henan = extracted[HENAN.file_name]
    shanghai = extracted[SHANGHAI.file_name]
    henan_row = HENAN.function_table("general_public_budget").row("2050202")
    shanghai_row = SHANGHAI.function_table("general_public_budget").row("2070101")
    assert henan_row.total == Decimal("12844.1")
    assert shanghai_row.total == Decimal("8456321.57")
    # THEN they are printed with separators, in cells and in page text
    henan_page = henan.table_pages(HENAN.function_table("general_public_budget"))[0]
    assert "12,844.1" in henan_page.text
    assert henan_page.tables[0][9][:3] == ["2050202", "小学教育", "12,844.1"]
    (gpb_page,) = shanghai.table_pages(SHANGHAI.function_table("general_public_budget"))
    assert "8,456,321.57" in gpb_page.text
    assert gpb_page.tables[0][5][:5] == ["207", "01", "01", "行政运行", "8,456,321.57"]
    # AND the Shanghai all-funds table prints the same kind of figure without separators
    (all_funds_page,) = shanghai.table_pages(SHANGHAI.function_table("all_funds"))
    assert "8456321.57" in all_funds_page.text and "8,456,321.57" not in all_funds_page.text


@pytest.mark.parametrize("index", [0, 1])
def test_shanghai_tables_print_total_last_with_class_and_kuan_rows(
    extracted: dict[str, Extracted], index: int
) -> None:
    # GIVEN a Shanghai-style function table in 元
    doc = extracted[SHANGHAI.file_name]
    spec_table = SHANGHAI.function_tables[index]
    (page,) = doc.table_pages(spec_table)
    (table,) = page.tables
    # THEN the header names 类/款/项 on its third row, the unit line says 元
    assert table[1][:4] == ["功能分类科目编码", None, None, "功能分类科目名称"]
    assert table[2][:3] == ["类", "款", "项"]
    assert "编制部门：上海市浦江区文化和旅游局 单位：元" in page.text
    # AND the body is the spec: 类 rows, 款 rows, 项 rows, 合计 last
    assert spec_table.total_last
    assert table[3:] == [expected_shanghai_row(SHANGHAI, spec_table, r) for r in spec_table.rows]
    assert table[3][:3] == ["207", "", ""] and table[4][:3] == ["207", "01", ""]
    assert table[-1][0] == "合计"


def test_department_indicators_merge_level1_and_level2_cells(
    extracted: dict[str, Extracted],
) -> None:
    # GIVEN the 部门（单位）整体绩效目标表 of the Henan document
    doc = extracted[HENAN.file_name]
    (performance,) = HENAN.performance_tables
    pages = doc.table_pages(performance)
    rows = [row for page in pages for row in page.tables[0]]
    # WHEN taking the rows below the 一级指标 header
    start = rows.index(["一级指标", "二级指标", "三级指标", "指标值", "指标值说明"]) + 1
    indicator_rows = rows[start:]
    # THEN each row carries its 三级指标, value and description
    assert len(indicator_rows) == len(performance.indicators)
    for got, want in zip(indicator_rows, performance.indicators, strict=True):
        assert [got[2], got[3], flat(got[4] or "")] == [want.level3, want.value, want.description]
    # AND 一级/二级 cells are printed once per group, merged cells come back as None below
    previous: sg.IndicatorRow | None = None
    for got, want in zip(indicator_rows, performance.indicators, strict=True):
        new_level1 = previous is None or want.level1 != previous.level1
        new_level2 = new_level1 or (previous is not None and want.level2 != previous.level2)
        assert got[0] == (want.level1 if new_level1 else None)
        assert got[1] == (want.level2 if new_level2 else None)
        previous = want
    assert indicator_rows[1][:2] == [None, None]
    assert {"≥90%", "≤10%", "100%", "合规", "按时公开"} <= {r[3] for r in indicator_rows}
    # AND the budget block restates the totals
    assert ["预算情况", "部门预算总额（万元）", None, "40,239.4", None] in rows


def test_department_indicators_continue_without_repeated_header(
    extracted: dict[str, Extracted],
) -> None:
    # GIVEN the performance table, longer than a page
    pages = extracted[HENAN.file_name].table_pages(HENAN.performance_tables[0])
    # THEN the second page continues the grid with no title and no header row
    assert len(pages) == 2
    continued = pages[1].tables[0]
    assert "部门（单位）整体绩效目标表" not in pages[1].text
    assert "一级指标" not in {cell for row in continued for cell in row}
    assert continued[0][0] == "产出指标"


def test_one_project_form_per_project(extracted: dict[str, Extracted]) -> None:
    # GIVEN the Henan project forms
    doc = extracted[HENAN.file_name]
    for form in HENAN.project_forms:
        (page,) = doc.table_pages(form)
        (table,) = page.tables
        # THEN each form is one page with the project, department, unit and funds
        assert "项目绩效目标表" in page.text
        assert table[0] == ["项目名称", form.name, None, None, None]
        assert table[1] == ["部门名称", form.department, None, None, None]
        assert table[2] == ["单位名称", form.unit, None, None, None]
        assert table[3] == [
            "项目资金（万元）",
            "年度资金总额",
            None,
            sg.format_amount(form.amount, 1),
            None,
        ]
        assert table[4][3] == sg.format_amount(form.government_amount, 1)
        assert table[5][3] == sg.format_amount(form.special_account_amount, 1)
        assert table[7][:2] == ["年度目标", form.goal]
        # AND its indicator grid, 一级 merged, empty 二级 rows kept
        grid = table[10:]
        assert [[r[2], r[3]] for r in grid] == [[ind.level3, ind.value] for ind in form.indicators]
        assert [r[0] for r in grid if r[0] is not None] == [
            "成本指标",
            "产出指标",
            "效益指标",
            "满意度指标",
        ]
    special = next(f for f in HENAN.project_forms if f.special_account_amount)
    assert (special.name, special.special_account_amount) == (
        "普通高中学费收入安排支出",
        Decimal("860.0"),
    )


def test_unreconciled_row_is_printed_as_specified(extracted: dict[str, Extracted]) -> None:
    # GIVEN the unreconciled document's general public budget table
    doc = extracted[UNRECONCILED.file_name]
    (page,) = doc.table_pages(UNRECONCILED.function_table("general_public_budget"))
    (table,) = page.tables
    by_code = {row[0]: row for row in table[2:]}
    # THEN the 款 row prints 350.0 while its 项 rows print 212.0 and 88.0 (sum 300.0)
    assert by_code["21007"] == ["21007", "计划生育事务", "350.0", "0.0", "0.0", "0.0", "300.0"]
    assert [by_code["2100717"][2], by_code["2100799"][2]] == ["212.0", "88.0"]


def test_henan_summary_prints_the_seed_003_layout(extracted: dict[str, Extracted]) -> None:
    # GIVEN the Henan 部门收支总体情况表
    doc = extracted[HENAN.file_name]
    (summary,) = HENAN.budget_summaries
    # WHEN read back from its page
    (page,) = doc.table_pages(summary)
    (table,) = page.tables
    # THEN it is one page: 收入 | 支出 over 项目 | 金额 twice, the halves filled from the top
    assert table[:2] == [["收入", None, "支出", None], ["项目", "金额", "项目", "金额"]]
    assert table[2] == ["一、一般公共预算", "39,379.4", "一、一般公共服务", ""]
    assert table[6] == ["四、财政专户管理资金收入", "860.0", "五、教育", "32,183.7"]
    assert [row[2] for row in table[2:-3]] == [line.label for line in summary.expenditure]
    assert [row[0] for row in table[12:-3]] == [""] * (len(table) - 15)
    # AND it ends on the current-year totals, the carryovers (blank) and the grand totals
    assert table[-3:] == [
        ["本年收入合计", "40,239.4", "本年支出合计", "40,239.4"],
        ["上年结转结余", "", "年终结转结余", ""],
        ["收入总计", "40,239.4", "支出总计", "40,239.4"],
    ]


def test_shanghai_summary_prints_zeros_and_pads_before_the_totals(
    extracted: dict[str, Extracted],
) -> None:
    (summary,) = SHANGHAI.budget_summaries
    (page,) = extracted[SHANGHAI.file_name].table_pages(summary)
    (table,) = page.tables
    assert "2023年部门财务收支预算总表" in page.text
    assert "编制部门：上海市浦江区文化和旅游局 单位：元" in page.text
    assert table[:2] == [["本年收入", None, "本年支出", None], ["项目", "预算数", "项目", "预算数"]]
    assert table[4] == ["2. 政府性基金预算", "0.00", "三、卫生健康支出", "658,932.00"]
    assert table[-4:-1] == [["", "", "", ""]] * 3
    assert table[-1] == ["收入总计", "24,629,040.07", "支出总计", "24,629,040.07"]


def test_income_tables_print_their_rows(extracted: dict[str, Extracted]) -> None:
    # GIVEN the Henan 部门收入总体情况表: one 科目编码 column, 合计 first, zero printed blank
    (henan,) = HENAN.income_tables
    pages = extracted[HENAN.file_name].table_pages(henan)
    header = [
        "科目编码",
        "科目名称",
        "合计",
        "一般公共预算",
        "政府性基金",
        "财政专户管理资金",
        "事业收入",
    ]
    assert [page.tables[0][0] for page in pages] == [header] * len(pages)
    body = [row for page in pages for row in page.tables[0][1:]]
    assert body == [
        [row.code or "", row.name, *(sg.format_amount(a, 1) for a in row.amounts)]
        for row in henan.rows
    ]
    assert body[0] == ["", "合计", "40,239.4", "39,379.4", "", "860.0", ""]
    # AND the Shanghai 部门收入预算总表: 类|款|项 columns, 合计 last, zeros as 0.00, no separators
    (shanghai,) = SHANGHAI.income_tables
    (page,) = extracted[SHANGHAI.file_name].table_pages(shanghai)
    (table,) = page.tables
    assert table[0][:5] == ["项目", None, None, None, "收入预算"]
    assert [flat(c or "") for c in table[1]] == [
        "功能分类科目编码", "", "", "功能分类科目名称",
        "合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入",
    ]  # fmt: skip
    assert table[3] == ["207", "", "", "文化旅游体育与传媒支出"] + [
        sg.format_amount(a, 2, thousands_separator=False, zero_as_blank=False)
        for a in shanghai.row("207").amounts
    ]
    assert (
        table[-1]
        == ["合计", None, None, None, "24629040.07", "24309040.07", "320000.00"] + ["0.00"] * 2
    )
    assert len(table) == 3 + len(shanghai.rows)


def test_every_spec_string_survives_extraction(extracted: dict[str, Extracted]) -> None:
    # GIVEN every name, code and indicator text the specs print
    for spec in sg.DEFAULT_SPECS:
        doc = extracted[spec.file_name]
        cells = [c for page in doc.pages for t in page.tables for r in t for c in r if c]
        # wrapped cells interleave in page text, so look in cells too
        text = "|".join(flat(t).replace(" ", "") for t in [p.text for p in doc.pages] + cells)
        expected: list[str] = [spec.title, spec.department]
        for table in spec.tables:
            if isinstance(table, sg.FunctionTable | sg.IncomeTable):
                expected += [row.name for row in table.rows]
            elif isinstance(table, sg.BudgetSummaryTable):
                lines = (*table.income_lines, *table.expenditure_lines)
                expected += [line.label for line in lines]
            else:
                expected += [
                    t for i in table.indicators for t in (i.level3, i.value, i.description)
                ]
        # THEN each comes back from the PDF character for character
        missing = [s for s in expected if s.replace(" ", "") not in text]
        assert missing == [], spec.file_name


def test_render_is_deterministic(tmp_path: Path) -> None:
    # GIVEN a spec WHEN rendered twice THEN the bytes are identical
    first = sg.render(HENAN, tmp_path / "a.pdf").path.read_bytes()
    second = sg.render(HENAN, tmp_path / "b.pdf").path.read_bytes()
    assert first == second


def test_render_all_writes_every_sample(tmp_path: Path) -> None:
    # GIVEN an empty directory WHEN rendering all samples THEN each is a PDF
    paths = sg.render_all(tmp_path / "out")
    assert [p.name for p in paths] == [spec.file_name for spec in sg.DEFAULT_SPECS]
    assert all(p.read_bytes().startswith(b"%PDF-") for p in paths)


def test_module_runs_as_a_command(tmp_path: Path) -> None:
    # GIVEN the command line WHEN run as python -m tools.samplegen OUT_DIR
    result = subprocess.run(
        [sys.executable, "-m", "tools.samplegen", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    # THEN it writes the samples and lists them
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert written == sorted(SPECS)
    assert result.stdout.splitlines() == [
        str(tmp_path / spec.file_name) for spec in sg.DEFAULT_SPECS
    ]


# ------------------------------------------------- the pipeline's extraction of the samples


@pytest.fixture(scope="module")
def staged(extracted: dict[str, Extracted]) -> dict[str, document.Extracted]:
    """What extract.document stages from each rendered sample meant to load."""
    return {
        spec.file_name: document.extract_document(
            extracted[spec.file_name].rendered.path,
            document_id=spec.file_name,
            source_uri=str(extracted[spec.file_name].rendered.path),
        )
        for spec in (HENAN, SHANGHAI)
    }


def _line_tuples(
    spec: sg.DocumentSpec, side: str, lines: tuple[sg.SummaryLine, ...]
) -> list[tuple[object, ...]]:
    factor = UNIT_FACTORS[spec.unit]
    return [
        (
            side,
            squeeze(line.label),
            line.kind,
            line.class_code,
            None if line.amount is None else line.amount * factor,
        )
        for line in lines
    ]


@pytest.mark.parametrize("spec", [HENAN, SHANGHAI], ids=lambda s: s.file_name)
def test_extracted_summary_lines_equal_the_spec(
    staged: dict[str, document.Extracted], spec: sg.DocumentSpec
) -> None:
    # GIVEN the 收支总表 of the spec, staged by the pipeline's extraction
    (summary,) = spec.budget_summaries
    records = staged[spec.file_name].frames["budget_summary"]
    # WHEN taking each staged line: side, name, kind, class and amount in yuan
    got = [
        (r["side"], squeeze(r["line_name"]), r["line_kind"], r["class_code"], r["amount_yuan"])
        for r in records
        if r["table_title"] == summary.title
    ]
    # THEN it is every line of both halves, in print order, blank amounts as None
    expected = _line_tuples(spec, "income", summary.income_lines)
    expected += _line_tuples(spec, "expenditure", summary.expenditure_lines)
    assert got == expected
    assert {r["table_kind"] for r in records} == {"all_funds"}
    assert {r["amount_unit"] for r in records} == {spec.unit}


@pytest.mark.parametrize("spec", [HENAN, SHANGHAI], ids=lambda s: s.file_name)
def test_extracted_income_rows_equal_the_spec_by_source(
    staged: dict[str, document.Extracted], spec: sg.DocumentSpec
) -> None:
    # GIVEN the 收入总表 of the spec, staged by the pipeline's extraction (one row per cell)
    (income,) = spec.income_tables
    records = staged[spec.file_name].frames["income_sources"]
    factor = UNIT_FACTORS[spec.unit]
    got = [
        (r["row_kind"], r["function_code"], r["income_source"], r["amount_yuan"]) for r in records
    ]
    # THEN each printed cell comes back under its source, in yuan; blank cells are not staged
    expected = [
        (row.kind, row.code, key, value * factor)
        for row in income.rows
        for (key, _), value in zip(income.sources, row.amounts, strict=True)
        if value or not income.zero_as_blank
    ]
    assert sorted(got, key=str) == sorted(expected, key=str)
    assert len(got) == len(expected)
    # AND each source keeps the header it was printed under
    printed = {key: name for key, name in income.sources}
    assert {r["income_source"]: r["source_name"] for r in records}.items() <= printed.items()
    assert {r["table_title"] for r in records} == {income.title}


@pytest.mark.parametrize("spec", [HENAN, SHANGHAI], ids=lambda s: s.file_name)
def test_gate_one_summary_and_income_identities_hold(
    staged: dict[str, document.Extracted], spec: sg.DocumentSpec
) -> None:
    # GIVEN the staged frames of a document meant to load
    frames = {name: pd.DataFrame(rows) for name, rows in staged[spec.file_name].frames.items()}
    # WHEN checking gate 1's 收支总表 and 收入总表 identities, and the cross-check of each
    # summary class against the function table it restates
    summary, summary_errors = budget_summary_identities(spec.file_name, frames["budget_summary"])
    income, income_errors = income_sources_identities(spec.file_name, frames["income_sources"])
    crosscheck = summary_crosscheck_identities(spec.file_name, frames)
    # THEN every identity is checked and none is off
    checks = {r["check"] for r in summary + income + crosscheck}
    assert {
        "summary_income_total_equals_expenditure_total",
        "summary_classes_sum_to_expenditure",
        "summary_income_items_sum_to_income",
        "summary_amount_matches_function_table",
        "income_total_equals_sum_of_sources",
    } <= checks
    # AND each class of the all-funds table is cross-checked, each printed 收入总表 row summed
    assert sorted(r["code"] for r in crosscheck) == sorted(
        class_sums(spec.function_table("all_funds"))
    )
    (income_table,) = spec.income_tables
    sums = [r for r in income if r["check"] == "income_total_equals_sum_of_sources"]
    assert len(sums) == len(income_table.rows)
    assert [r for r in summary + income + crosscheck if r["excess"] > 0] == []
    assert summary_errors == income_errors == []
