"""“三公”经费 tables: either orientation, the table's own unit, 机关运行经费 kept out."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from extract.document import Extracted
from extract.families import three_public
from extract.families.base import Context
from extract.pdf import read_pages
from extract.tables import LogicalTable, stitch
from tests.conftest import REAL, SAMPLES, extract_once
from tests.pdfgen import Grid, Line, Title, render

WAN = Decimal(10000)
ALL = set(three_public.CATEGORIES)


def _table_rows(extracted: Extracted) -> dict[str, Decimal]:
    rows = [r for r in extracted.frames["three_public"] if r["source"] == "table"]
    by_category = {r["category"]: r["amount_yuan"] for r in rows}
    assert len(by_category) == len(rows), "one row per category"
    return by_category


def _parse(path: Path, default_unit: str | None = "元") -> tuple[list[LogicalTable], list[dict]]:
    tables = stitch(read_pages(path))
    matched = [t for t in tables if three_public.matches(t)]
    context = Context("doc", None, default_unit)
    records = [r for t in matched for r in three_public.parse(t, context)[three_public.NAME]]
    assert not context.problems
    return matched, records


def _wan(**amounts: str) -> dict[str, Decimal]:
    return {category: Decimal(value) * WAN for category, value in amounts.items()}


# ----------------------------------------------------------------------------- doc_a golden


@pytest.fixture(scope="module")
def doc_a() -> Extracted:
    path = SAMPLES / "doc_a.pdf"
    return extract_once(path)


def test_doc_a_three_public_table_equals_golden(doc_a: Extracted) -> None:
    # GIVEN doc_a's golden 三公 figures (万元) and its column-oriented table on page 15
    golden = json.loads((SAMPLES / "doc_a.json").read_text())["three_public"]
    # WHEN the document is extracted
    got = _table_rows(doc_a)
    # THEN every category comes back, in yuan, blank cells as 0
    assert got == {k: Decimal(str(v)) * WAN for k, v in golden.items()}
    rows = [r for r in doc_a.frames["three_public"] if r["source"] == "table"]
    assert {(r["page_number"], r["amount_unit"]) for r in rows} == {(15, "万元")}
    # AND the table is inventoried as feeding the three_public family
    (entry,) = [t for t in doc_a.frames["tables"] if t["family"] == "three_public"]
    assert entry["row_count"] == 6


# ------------------------------------------------------------------------ real Shanghai PDFs

# Printed on the "三公"经费和机关运行经费预算表 (万元), read from the PDFs:
# 合计, 因公出国（境）费, 公务接待费, 小计, 购置费, 运行费 (机关运行经费 in the last column).
SHANGHAI = {
    "上海市普陀区人民政府万里街道办事处2024年预算.pdf": (
        31,
        _wan(
            total="47.91",
            overseas_travel="0",
            reception="1.35",
            vehicle_total="46.56",
            vehicle_purchase="25",
            vehicle_operation="21.56",
        ),
        Decimal("443.18"),
    ),
    "上海市普陀区人民政府办公室2025年单位预算.pdf": (
        20,
        _wan(
            total="867.50",
            overseas_travel="839.00",
            reception="28.50",
            vehicle_total="0",  # printed blank
            vehicle_purchase="0",
            vehicle_operation="0",
        ),
        Decimal("213.28"),
    ),
    "上海市普陀区司法局2026年部门预算.pdf": (
        21,
        _wan(
            total="10.81",
            overseas_travel="0",
            reception="0.83",
            vehicle_total="9.98",
            vehicle_purchase="0",
            vehicle_operation="9.98",
        ),
        Decimal("217.83"),
    ),
}


@pytest.mark.parametrize("name", list(SHANGHAI))
def test_shanghai_table_in_wan_inside_a_yuan_document(name: str) -> None:
    # GIVEN a real Shanghai PDF: its budget tables in 元, its 三公 table in 万元
    page, expected, running_costs = SHANGHAI[name]
    path = REAL / name
    # WHEN it is extracted
    extracted = extract_once(path)
    # THEN the 三公 categories come back at the printed figures, converted from 万元
    assert extracted.document["amount_unit"] == "元"
    assert _table_rows(extracted) == expected
    rows = [r for r in extracted.frames["three_public"] if r["source"] == "table"]
    assert {(r["page_number"], r["amount_unit"]) for r in rows} == {(page, "万元")}
    # AND 机关运行经费 is not a category
    assert running_costs * WAN not in {r["amount_yuan"] for r in rows}
    assert not any("机关运行" in (r["category_name"] or "") for r in rows)


NATIONAL = REAL.parent / "real-national"
# 2026 national prints: (file, page) -> the 三公 figures printed for the budget year, in 万元
NATIONAL_PRINTS = {
    # 表9 财政拨款“三公”经费支出表: 预算单位 | 年度 | 总计 | 因公出国(境)费 | 公务接待费 |
    # 公务用车购置及运行维护费 > 小计 | 购置费 | 运行维护费, each over 一般公共预算 | 政府性基金
    # 预算 | 国有资本经营预算; rows 2025年, 2026年, 增减变化金额. p34 2026年 35.10 0.00 0.00 |
    # 28.00 0.00 0.00 | 3.50 0.00 0.00 | 3.60 0.00 0.00 | 0.00 0.00 0.00 | 3.60 0.00 0.00
    ("2026年深圳市审计局部门预算.pdf", 34): _wan(
        total="35.10",
        overseas_travel="28.00",
        reception="3.50",
        vehicle_total="3.60",
        vehicle_purchase="0.00",
        vehicle_operation="3.60",
    ),
    # the same print of 深圳统计局, p32 2026年 32.56 | 16.80 | 11.56 | 4.20 | 0.00 | 4.20 (2025年
    # 59.62 | 43.87 | 11.56 | 4.20 | 0.00 | 4.20 above it)
    ("2026年深圳市统计局部门预算.pdf", 32): _wan(
        total="32.56",
        overseas_travel="16.80",
        reception="11.56",
        vehicle_total="4.20",
        vehicle_purchase="0.00",
        vehicle_operation="4.20",
    ),
    # 表8 财政拨款安排的行政经费及“三公”经费预算表: 项目 | 合计 | 一般公共预算 | …, rows
    # 行政经费 444.39, “三公”经费 4.80, 其中：（一）因公出国（境）支出 0.00, （二）公务用车购置及
    # 运行维护支出 2.50, 1.公务用车购置费 0.00, 2.公务用车运行维护费 2.50, （三）公务接待费支出 2.30
    ("广州_信访局_2026年部门预算.pdf", 15): _wan(
        total="4.80",
        overseas_travel="0.00",
        reception="2.30",
        vehicle_total="2.50",
        vehicle_purchase="0.00",
        vehicle_operation="2.50",
    ),
}


@pytest.mark.parametrize("print_", list(NATIONAL_PRINTS), ids=lambda p: f"{p[0][:-4]}-p{p[1]}")
def test_national_prints_read_the_budget_years_figures(print_: tuple[str, int]) -> None:
    # GIVEN a 2026 national print: rows by year under categories printed over fund columns
    # (深圳), or categories down the rows under a “三公”经费 row (广州)
    name, page = print_
    extracted = extract_once(NATIONAL / name)
    # THEN each category is the budget year's figure (never 2025年 or 增减变化金额), summed
    # over its fund columns, and the “三公”经费 row is the total
    assert _table_rows(extracted) == NATIONAL_PRINTS[print_]
    rows = [r for r in extracted.frames["three_public"] if r["source"] == "table"]
    assert {r["page_number"] for r in rows} == {page}
    # AND 行政经费 (广州: 444.39) is no category
    assert Decimal("444.39") * WAN not in {r["amount_yuan"] for r in rows}


# ------------------------------------------------------------------------------- layouts

NOTE = "注：“三公”经费包括因公出国（境）费、公务用车购置及运行费和公务接待费。"


def test_categories_as_rows_with_numbered_labels(tmp_path: Path) -> None:
    # GIVEN the seed-001 layout: 项目 | 预算数, 共计 first, 其中 sub-rows, blank = 0
    path = render(
        tmp_path / "rows.pdf",
        [
            Title("2021年一般公共预算“三公”经费支出情况表"),
            Line("单位：济源产城融合示范区工业和科技创新委员会"),
            Line("单位：万元"),
            Grid(
                [
                    ["项 目", "2021年“三公”经费预算数"],
                    ["共计", "12.3"],
                    ["1、因公出国（境）费用", ""],
                    ["2、公务接待费", "3.3"],
                    ["3、公务用车费", "9.0"],
                    ["其中：(1) 公务用车运行维护费", "9.0"],
                    ["(2) 公务用车购置", ""],
                    [NOTE, NOTE],
                ],
                spans=[(0, 7, 1, 7)],
            ),
        ],
    )
    # WHEN the table is parsed in a document whose other tables are in 元
    (_table,), records = _parse(path, default_unit="元")
    # THEN each labelled row is a category, in the table's own unit, the note ignored
    got = {r["category"]: r["amount_yuan"] for r in records}
    assert got == _wan(
        total="12.3",
        overseas_travel="0",
        reception="3.3",
        vehicle_total="9.0",
        vehicle_operation="9.0",
        vehicle_purchase="0",
    )
    assert len(records) == 6
    names = {r["category"]: r["category_name"] for r in records}
    assert names["vehicle_operation"] == "公务用车运行维护费"
    assert {r["amount_unit"] for r in records} == {"万元"}


def test_categories_as_rows_take_this_years_budget_column(tmp_path: Path) -> None:
    # GIVEN a row-oriented table with last year's budget, this year's and the change
    path = render(
        tmp_path / "years.pdf",
        [
            Title("公开07表 部门“三公”经费预算情况表"),
            Line("部门名称：某局 单位：万元"),
            Grid(
                [
                    ["项目", "2023年预算数", "2024年预算数", "增减"],
                    ["合计", "20.00", "15.00", "-5.00"],
                    ["因公出国（境）费", "8.00", "4.00", "-4.00"],
                    ["公务接待费", "2.00", "1.00", "-1.00"],
                    ["公务用车购置及运行费", "10.00", "10.00", "0.00"],
                ]
            ),
        ],
    )
    # WHEN it is parsed
    _, records = _parse(path)
    # THEN the amounts are those of the 2024 column
    assert {r["category"]: r["amount_yuan"] for r in records} == _wan(
        total="15.00", overseas_travel="4.00", reception="1.00", vehicle_total="10.00"
    )


def test_categories_as_columns_with_plain_quotes_and_unit_in_header(tmp_path: Path) -> None:
    # GIVEN a column-oriented table titled with ASCII quotes, 公务用车 spanning two
    # columns without a 小计, and the unit only in a header cell
    path = render(
        tmp_path / "columns.pdf",
        [
            Title('2024年单位"三公"经费预算表'),
            Line("单位名称：某中心"),
            Grid(
                [
                    ["合计（万元）", "因公出国（境）费", "公务用车购置及运行费", "", "公务接待费"],
                    ["", "", "公务用车购置费", "公务用车运行维护费", ""],
                    ["7.50", "", "5.00", "1.50", "1.00"],
                ],
                spans=[(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 3, 0), (4, 0, 4, 1)],
            ),
        ],
    )
    # WHEN it is parsed in a document whose main unit is 元
    (_table,), records = _parse(path, default_unit="元")
    # THEN categories are read from the merged header, in 万元
    assert {r["category"]: r["amount_yuan"] for r in records} == _wan(
        total="7.50",
        overseas_travel="0",
        vehicle_purchase="5.00",
        vehicle_operation="1.50",
        reception="1.00",
    )
    assert {r["amount_unit"] for r in records} == {"万元"}


def test_categories_as_columns_with_unit_rows_take_the_total_row(tmp_path: Path) -> None:
    # GIVEN a column-oriented table listing each unit of the department and a 合计 row
    path = render(
        tmp_path / "units.pdf",
        [
            Title("2024年部门“三公”经费支出预算表"),
            Line("部门名称：某局 单位：元"),
            Grid(
                [
                    [
                        "单位名称",
                        "“三公”经费合计",
                        "因公出国（境）费",
                        "公务接待费",
                        "公务用车购置及运行费",
                    ],
                    ["某局本级", "3,000.00", "0.00", "1,000.00", "2,000.00"],
                    ["某局下属中心", "500.00", "0.00", "500.00", "0.00"],
                    ["合计", "3,500.00", "0.00", "1,500.00", "2,000.00"],
                ]
            ),
        ],
    )
    # WHEN it is parsed
    _, records = _parse(path)
    # THEN the figures are those of the 合计 row, one record per category
    assert {r["category"]: r["amount_yuan"] for r in records} == {
        "total": Decimal("3500.00"),
        "overseas_travel": Decimal("0.00"),
        "reception": Decimal("1500.00"),
        "vehicle_total": Decimal("2000.00"),
    }
    assert len(records) == 4
    assert {r["row_index"] for r in records} == {3}


def test_a_total_column_headed_budget_total_is_the_total(tmp_path: Path) -> None:
    # GIVEN 北京's 预算09表 layout (2026年北京市财政局部门预算报表_附件2.pdf p14): the total
    # column headed “三公”经费财政拨款预算总额, 公务用车购置及运行维护费 over 小计 | 购置费 |
    # 运行维护费, one row, six decimals
    path = render(
        tmp_path / "beijing.pdf",
        [
            Title("预算09表 财政拨款“三公”经费支出表"),
            Line("金额单位：万元"),
            Grid(
                [
                    [
                        "“三公”经费财政拨款预算总额",
                        "因公出国（境）费用",
                        "公务接待费",
                        "公务用车购置及运行维护费",
                        "",
                        "",
                    ],
                    ["", "", "", "小计", "公务用车购置费", "公务用车运行维护费"],
                    [
                        "223.799250",
                        "127.737000",
                        "11.642250",
                        "84.420000",
                        "44.920000",
                        "39.500000",
                    ],
                ],
                spans=[(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 2, 1), (3, 0, 5, 0)],
            ),
        ],
    )
    # WHEN it is parsed
    (table,), records = _parse(path)
    # THEN the 预算总额 column is the 三公 total, beside the five categories
    assert {r["category"]: r["amount_yuan"] for r in records} == _wan(
        total="223.799250",
        overseas_travel="127.737000",
        reception="11.642250",
        vehicle_total="84.420000",
        vehicle_purchase="44.920000",
        vehicle_operation="39.500000",
    )
    # AND no column is left out of the vocabulary
    context = Context("doc", None, "元")
    three_public.parse(table, context)
    assert not context.unknown_columns


def test_running_costs_column_is_not_a_category(tmp_path: Path) -> None:
    # GIVEN the Shanghai layout: 三公 under one header, 机关运行经费 in the last column
    path = render(
        tmp_path / "shanghai.pdf",
        [
            Title("2025年部门“三公”经费和机关运行经费预算表"),
            Line("编制部门：某局 单位：万元"),
            Grid(
                [
                    ["“三公”经费预算数", "", "", "", "", "", "机关运行经费预算数"],
                    ["合计", "因公出国（境）费", "公务接待费", "公务用车购置及运行费", "", "", ""],
                    ["", "", "", "小计", "购置费", "运行费", ""],
                    ["37.91", "0", "1.35", "36.56", "15", "21.56", "464.64"],
                ],
                spans=[
                    (0, 0, 5, 0),
                    (6, 0, 6, 2),
                    (0, 1, 0, 2),
                    (1, 1, 1, 2),
                    (2, 1, 2, 2),
                    (3, 1, 5, 1),
                ],
            ),
        ],
    )
    # WHEN it is parsed
    _, records = _parse(path)
    # THEN the six 三公 categories come back and 464.64 does not
    got = {r["category"]: r["amount_yuan"] for r in records}
    assert set(got) == ALL
    assert got["vehicle_total"] == Decimal("36.56") * WAN
    assert got["vehicle_purchase"] == Decimal("15") * WAN
    assert Decimal("464.64") * WAN not in got.values()


def test_tables_that_only_mention_three_public_do_not_match(tmp_path: Path) -> None:
    # GIVEN a performance table with a “三公经费”控制率 indicator and a 机关运行经费 table
    path = render(
        tmp_path / "others.pdf",
        [
            Title("2021年部门整体绩效目标表"),
            Line("单位：万元"),
            Grid(
                [
                    ["一级指标", "二级指标", "三级指标", "指标值"],
                    ["产出指标", "成本指标", "“三公经费”控制率", "≤100%"],
                ]
            ),
            Title("2025年部门机关运行经费预算表"),
            Line("单位：万元"),
            Grid([["项目", "预算数"], ["机关运行经费", "464.64"]]),
        ],
    )
    # WHEN the tables are tried
    tables = stitch(read_pages(path))
    # THEN none is a 三公 table
    assert len(tables) == 2
    assert not any(three_public.matches(t) for t in tables)
