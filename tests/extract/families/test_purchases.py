"""政府采购 and 政府购买服务 tables in layouts the real fixtures do not print (those are in
tests/test_real_national_procurement.py and tests/test_jiangsu.py): printed empty, without
a title, services under their units with fund sources, a 财政拨款 小计 beside its parts."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from expectations.purchase_identities import purchase_identities
from extract.document import Extracted, extract_document
from extract.families import procurement
from extract.verdicts import TableOutcome
from tests.pdfgen import Grid, Line, Title, render

WAN = Decimal(10_000)
OTHER = [  # a function table, so that the document is a budget
    Title("2024年一般公共预算支出情况表"),
    Line("单位：万元"),
    Grid(
        [["科目编码", "科目名称", "合计"],
         ["", "合计", "3.00"],
         ["201", "一般公共服务支出", "3.00"],
         ["20101", "人大事务", "3.00"],
         ["2010101", "行政运行", "3.00"]]
    ),
]  # fmt: skip


def read(tmp_path: Path, blocks: list[object]) -> Extracted:
    pdf = render(tmp_path / "t.pdf", [*OTHER, *blocks])
    return extract_document(pdf, document_id="d", source_uri=str(pdf))


def table(extracted: Extracted, family: str) -> dict[str, Any]:
    [found] = [t for t in extracted.frames["tables"] if t["family"] == family]
    return found


@pytest.mark.parametrize(
    "body",
    [
        [["合计", "", "0.00"]],  # only a 合计 of zeros
        [["合计", "", ""], ["本表无数据", "", ""]],  # 本表无数据
        [["", "", ""]],  # a blank body
    ],
    ids=["zeros", "no_data", "blank"],
)
def test_a_table_printed_empty_is_recorded_empty(tmp_path: Path, body: list[list[str]]) -> None:
    # GIVEN a 政府采购预算表 printed without a purchase
    extracted = read(
        tmp_path,
        [Title("2024年政府采购预算表"), Line("单位：万元"),
         Grid([["采购项目", "采购目录", "金额"], *body])],
    )  # fmt: skip
    # THEN the procurement family records it empty, stages no row, and reports nothing
    found = table(extracted, "procurement")
    assert (found["outcome"], found["is_empty"], found["row_count"]) == (
        TableOutcome.EMPTY,
        True,
        0,
    )
    assert extracted.frames["procurement"] == []
    assert extracted.problems == []


def test_services_under_their_units_by_fund_source(tmp_path: Path) -> None:
    # GIVEN a 政府购买服务预算表 with a unit's subtotal row over its purchases and the
    # money split by fund source (财政拨款 小计 beside its parts, 其他资金)
    extracted = read(
        tmp_path,
        [Title("2024年政府购买服务预算表"), Line("单位：万元"),
         Grid(
             [["单位名称", "项目名称", "承接主体", "合计", "财政拨款", "财政拨款", "其他资金"],
              ["", "", "", "", "小计", "一般公共预算", ""],
              ["合计", "", "", "30.00", "20.00", "20.00", "10.00"],
              ["某市测试局", "", "", "30.00", "20.00", "20.00", "10.00"],
              ["", "法律顾问", "律师事务所", "12.00", "12.00", "12.00", ""],
              ["", "课题研究", "高校", "18.00", "8.00", "8.00", "10.00"]],
             spans=[(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 2, 1), (3, 0, 3, 1), (4, 0, 5, 0),
                    (6, 0, 6, 1)],
         )],
    )  # fmt: skip
    rows = extracted.frames["service_purchase"]
    assert table(extracted, "service_purchase")["unknown_columns"] is None
    # THEN each printed cell is a record: the 小计 of 财政拨款 is not staged beside its part
    cells = {(r["row_kind"], r["name"], r["fund_source"]): r["amount_yuan"] / WAN for r in rows}
    assert cells == {
        ("total", "合计", "total"): Decimal(30),
        ("total", "合计", "general_public_budget"): Decimal(20),
        ("total", "合计", "other"): Decimal(10),
        ("group", None, "total"): Decimal(30),
        ("group", None, "general_public_budget"): Decimal(20),
        ("group", None, "other"): Decimal(10),
        ("item", "法律顾问", "total"): Decimal(12),
        ("item", "法律顾问", "general_public_budget"): Decimal(12),
        ("item", "课题研究", "total"): Decimal(18),
        ("item", "课题研究", "general_public_budget"): Decimal(8),
        ("item", "课题研究", "other"): Decimal(10),
    }
    # AND a purchase takes its unit from the unit's row above it, and keeps its 承接主体
    items = {r["name"]: r for r in rows if r["row_kind"] == "item"}
    assert {(n, r["unit_name"], r["contractor"]) for n, r in items.items()} == {
        ("法律顾问", "某市测试局", "律师事务所"),
        ("课题研究", "某市测试局", "高校"),
    }
    # AND gate 1 finds the table whole: 合计 = Σ items, the unit = Σ its items, per source
    identities, errors = purchase_identities(
        "service_purchase", "d", pd.DataFrame.from_records(rows)
    )
    assert not errors
    assert {i["check"] for i in identities} >= {
        "purchase_table_total_equals_sum_of_rows",
        "purchase_table_other_equals_sum_of_rows",
        "purchase_group_general_public_budget_equals_sum_of_items",
        "purchase_total_equals_sum_of_sources",
    }
    assert [i["detail"] for i in identities if i["excess"] > 0] == []


def test_an_untitled_procurement_table_is_known_by_its_header(tmp_path: Path) -> None:
    # GIVEN a table printed under a bare number (附表9), headed 采购项目 | 采购目录 | 数量 | 金额
    extracted = read(
        tmp_path,
        [Line("附表9"), Line("单位：元"),
         Grid([["采购项目", "采购目录", "数量", "金额"],
               ["合计", "", "3", "9,000.00"],
               ["办公设备购置", "A02010104台式计算机", "3", "9,000.00"]])],
    )  # fmt: skip
    # THEN the procurement family reads it: the item is a good (its catalogue code's A)
    assert table(extracted, "procurement")["outcome"] == TableOutcome.READ
    [item] = [r for r in extracted.frames["procurement"] if r["row_kind"] == "item"]
    assert (item["category"], item["catalogue"], item["quantity"], item["amount_yuan"]) == (
        "goods",
        "A02010104台式计算机",
        Decimal(3),
        Decimal(9000),
    )


def test_category_labels_as_printed() -> None:
    printed = ("A-货物", "一、货物A", "工程", "C 服务", "货物类")
    assert [procurement.category_of(t) for t in printed] == [
        "goods",
        "goods",
        "works",
        "services",
        "goods",
    ]
    # a service bought is no category, nor is a catalogue entry
    assert procurement.category_of("会议服务") is None
    assert procurement.category_of("C04070100体检服务") is None
    assert procurement.catalogue_category("C04070100体检服务") == "services"
    assert procurement.catalogue_category("会议服务") is None
