"""收入总表 and 支出总表 listed by unit, as the national template's prints do it: a
department's own line over its units (西安 117 over 117001, 杭州 its 局 over its 本级) is
the department's figures, counted once; its units are the unit rows. And the 支出总表's
columns beside 基本 and 项目 (事业单位经营支出 | 上缴上级支出 | 对附属单位补助支出), parts of
its total. Each generated table is consistent, so gate 1's identities all hold on it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from expectations.identities import function_identities
from expectations.summary_identities import income_sources_identities
from extract.document import extract_document
from tests.pdfgen import Grid, Line, Title, render

WAN = Decimal(10_000)
INCOME_HEAD = ["单位编码", "单位名称", "合计", "一般公共预算", "事业收入"]


def _staged(tmp_path: Path, title: str, rows: list[list[str]], family: str) -> list[Any]:
    """The family's staged rows of a one-table document; no column left unread."""
    pdf = render(tmp_path / "t.pdf", [Title(title), Line("单位：万元"), Grid(rows)])
    extracted = extract_document(pdf, document_id="d", source_uri=str(pdf))
    assert [(t["family"], t["unknown_columns"]) for t in extracted.frames["tables"]] == [
        (family, None)
    ]
    return extracted.frames[family]


def _income(tmp_path: Path, rows: list[list[str]]) -> list[Any]:
    return _staged(tmp_path, "2026年部门收入总表", rows, "income_sources")


def _totals(records: list[Any]) -> list[tuple[str, str | None, str | None, Decimal]]:
    """(row_kind, unit_code, name, 合计) of every staged row, in print order."""
    return [
        (r["row_kind"], r["unit_code"], r["name"], r["amount_yuan"] / WAN)
        for r in records
        if r["income_source"] == "total"
    ]


def _failing(identities: Any, records: list[Any]) -> list[str]:
    found, errors = identities("d", pd.DataFrame.from_records(records))
    assert not errors and found
    return [r["detail"] for r in found if r["excess"] > 0]


@pytest.mark.parametrize(
    "codes",
    [("117", "117001", "117002"), ("", "", "")],
    ids=["by 单位编码", "by name only"],
)
def test_a_departments_own_line_over_its_units_is_its_total(
    tmp_path: Path, codes: tuple[str, str, str]
) -> None:
    # GIVEN a 收入总表 printing 合计, the department's line, then its 本级 and one unit
    department, own, school = codes
    rows = _income(
        tmp_path,
        [INCOME_HEAD,
         ["", "合计", "300.00", "270.00", "30.00"],
         [department, "某市测试局", "300.00", "270.00", "30.00"],
         [own, "某市测试局", "200.00", "200.00", ""],
         [school, "某市测试学校", "100.00", "70.00", "30.00"]],
    )  # fmt: skip
    # THEN the department's line is not a unit: the 合计 is its figures (once), with its code
    assert _totals(rows) == [
        ("total", department or None, "合计", Decimal(300)),
        ("unit", own or None, "某市测试局", Decimal(200)),
        ("unit", school or None, "某市测试学校", Decimal(100)),
    ]
    assert _failing(income_sources_identities, rows) == []


def test_a_departments_own_line_without_a_total_row_is_the_total(tmp_path: Path) -> None:
    # GIVEN the department's line (117) over its units, and no 合计 printed
    rows = _income(
        tmp_path,
        [INCOME_HEAD,
         ["117", "某市测试局", "300.00", "270.00", "30.00"],
         ["117001", "某市测试局", "200.00", "200.00", ""],
         ["117002", "某市测试学校", "100.00", "70.00", "30.00"]],
    )  # fmt: skip
    # THEN its line is the table's total, under its printed name
    assert [kind for kind, *_ in _totals(rows)] == ["total", "unit", "unit"]
    assert _totals(rows)[0] == ("total", "117", "某市测试局", Decimal(300))
    assert _failing(income_sources_identities, rows) == []


def test_a_unit_printing_the_total_with_empty_units_after_it_stays_a_unit(
    tmp_path: Path,
) -> None:
    # GIVEN a 本级 carrying the whole department and a unit of 0.00 after it, no codes
    rows = _income(
        tmp_path,
        [INCOME_HEAD,
         ["", "合计", "300.00", "270.00", "30.00"],
         ["", "某市测试局", "300.00", "270.00", "30.00"],
         ["", "某市测试中心", "0.00", "0.00", "0.00"]],
    )  # fmt: skip
    # THEN both are units: the units after it do not sum to it, it is no department's line
    assert [kind for kind, *_ in _totals(rows)] == ["total", "unit", "unit"]
    assert _failing(income_sources_identities, rows) == []


def _function_rows(rows: list[tuple[str, str | None, str | None, str]]) -> pd.DataFrame:
    """Staged function rows from (row_kind, function_code, unit_code, total)."""
    return pd.DataFrame.from_records(
        [
            {
                "table_index": 0,
                "row_index": i,
                "page_number": 1,
                "table_title": "支出总表",
                "row_kind": kind,
                "function_code": code,
                "unit_code": unit_code,
                "name": unit_code or code or "合计",
                "amount_unit": "万元",
                "decimals": 2,
                "total_yuan": Decimal(total) * WAN,
            }
            for i, (kind, code, unit_code, total) in enumerate(rows)
        ]
    )


def test_gate_1_sums_units_under_their_parent_unit_once() -> None:
    # GIVEN a department's line (101) kept as a unit row over its two units
    rows = [
        ("total", None, None, "300.00"),
        ("unit", None, "101", "300.00"),
        ("unit", None, "101001", "200.00"),
        ("code", "201", None, "200.00"),
        ("unit", None, "101002", "100.00"),
        ("code", "205", None, "100.00"),
    ]
    identities, _ = function_identities("d", _function_rows(rows))
    checks = {(i["check"], i["name"]) for i in identities}
    # THEN the total sums the units without a parent, the parent its units
    assert ("table_total_equals_sum_of_rows", "合计") in checks
    assert ("unit_total_equals_sum_of_rows", "101") in checks
    assert [i["detail"] for i in identities if i["excess"] > 0] == []
    # AND a parent that is not the sum of its units is reported
    rows[1] = ("unit", None, "101", "310.00")
    identities, _ = function_identities("d", _function_rows(rows))
    failing = [i for i in identities if i["excess"] > 0]
    assert [(i["check"], i["name"]) for i in failing] == [
        ("unit_total_equals_sum_of_rows", "101"),
        ("table_total_equals_sum_of_rows", "合计"),
    ]


EXPENDITURE_HEAD = [
    "科目编码", "科目名称", "合计", "基本支出", "项目支出",
    "事业单位经营支出", "上缴上级支出", "对附属单位补助支出",
]  # fmt: skip


def test_the_national_templates_other_columns_are_parts_of_the_total(tmp_path: Path) -> None:
    # GIVEN a 支出总表 spending 10.00 上缴上级 beside 基本 and 项目
    rows = _staged(
        tmp_path,
        "2026年部门支出总表",
        [EXPENDITURE_HEAD,
         ["", "合计", "100.00", "60.00", "30.00", "", "10.00", ""],
         ["201", "一般公共服务支出", "100.00", "60.00", "30.00", "", "10.00", ""],
         ["20101", "人大事务", "100.00", "60.00", "30.00", "", "10.00", ""],
         ["2010101", "行政运行", "100.00", "60.00", "30.00", "", "10.00", ""]],
        "function_expenditure",
    )  # fmt: skip
    # THEN they are read as `other`, and 合计 = 基本 + 项目 + other holds
    assert [r["other_yuan"] / WAN for r in rows] == [Decimal(10)] * 4
    assert _failing(function_identities, rows) == []
    # AND a row whose parts do not add up is reported
    rows[3]["other_yuan"] = Decimal(0)
    failing = _failing(function_identities, rows)
    assert any("basic 60.00 + project 30.00 + other 0.00 = 90.00" in d for d in failing)
