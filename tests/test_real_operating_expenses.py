"""机关运行经费 of real documents, read as printed (hand-read from each PDF): stated in the
prose of three provinces; printed in a table of its own by economic code (Jiangsu's
一般公共预算机关运行经费支出预算表) or as a column of the 三公 table (Shanghai's
“三公”经费和机关运行经费预算表); carried into marts.fct_operating_expenses and compared with
the prose in marts.fct_narrative_check."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations.identities import basic_identities
from tests.conftest import NATIONAL, REAL, extract_once
from tests.printed import wan

JIANGSU = REAL.parent / "real-jiangsu"
WAN = Decimal(10000)

# file -> (page, 万元 as printed); documents of tables alone state nothing
STATED = {
    JIANGSU / "江苏省委办公厅2017年部门预算.pdf": (11, "10101.76"),
    JIANGSU / "江苏省委办公厅2018年度部门预算公开文件.pdf": (11, "2094.58"),
    JIANGSU / "江苏省委办公厅2019年度部门预算公开文件.pdf": (13, "2232.91"),
    JIANGSU / "江苏省政协办公厅2017年度部门预算.pdf": (17, "3348.98"),
    JIANGSU / "江苏省政协办公厅2018年度部门预算.pdf": (15, "1115.85"),
    # "…机关运行经费预算" ends page 16, "支出1,130.74万元" opens page 17
    JIANGSU / "江苏省政协办公厅2019年度部门预算.pdf": (16, "1130.74"),
    NATIONAL / "2026年北京市统计局部门预算.pdf": (7, "1211.43"),
    NATIONAL / "2026年北京市财政局部门预算.pdf": (9, "1158.60"),
    NATIONAL / "2026年杭州市司法局部门预算.pdf": (15, "12237.94"),
    NATIONAL / "2026年深圳市审计局部门预算.pdf": (14, "1040.46"),
    NATIONAL / "2026年深圳市统计局部门预算.pdf": (13, "742.77"),
    NATIONAL / "2026年湖州市财政局部门预算.pdf": (11, "598.67"),
    NATIONAL / "2026年烟台市审计局部门预算.pdf": (28, "210.32"),
    NATIONAL / "2026年福州市医疗保障局部门预算.pdf": (40, "577.91"),
    NATIONAL / "2026年西安市审计局部门预算.pdf": (19, "198.59"),
    NATIONAL / "广州_信访局_2026年部门预算.pdf": (22, "444.39"),
    NATIONAL / "广州_统计局_2026年部门预算.pdf": (24, "839.21"),
    REAL / "上海市普陀区人民政府万里街道办事处2024年预算.pdf": (32, "443.18"),
    REAL / "上海市普陀区人民政府万里街道办事处2025年预算.pdf": (30, "464.64"),
    REAL / "上海市普陀区人民政府办公室2025年单位预算.pdf": (21, "213.28"),
    REAL / "上海市普陀区司法局2026年部门预算.pdf": (22, "217.83"),
    REAL / "上海市普陀区商务委员会2025年部门预算.pdf": (22, "171.01"),
}
SILENT = [
    NATIONAL / "2026年重庆市委宣传部部门预算.pdf",
    NATIONAL / "2026年北京市统计局部门预算报表_附件2.pdf",
    JIANGSU / "江苏省政协办公厅2019年预算公开表.pdf",
]


def stated(path: Path) -> list[tuple[int, Decimal]]:
    return [
        (r["page_number"], r["amount_yuan"])
        for r in extract_once(path).frames.get("narrative_totals", [])
        if r["item"] == "operating_expenses"
    ]


@pytest.mark.parametrize("path", list(STATED), ids=lambda p: p.stem)
def test_operating_expenses_stated_in_prose(path: Path) -> None:
    page, wan = STATED[path]
    assert stated(path) == [(page, Decimal(wan) * WAN)]


@pytest.mark.parametrize("path", SILENT, ids=lambda p: p.stem)
def test_documents_that_state_none_give_none(path: Path) -> None:
    assert stated(path) == []


@pytest.mark.integration
def test_operating_expenses_reach_the_marts(national_warehouse: Path) -> None:
    with duckdb.connect(str(national_warehouse), read_only=True) as con:
        rows = con.execute(
            """select d.file_name, n.narrative_yuan, n.page_number
               from marts.fct_narrative_check n join marts.dim_document d using (document_id)
               where n.item = 'operating_expenses'"""
        ).fetchall()
    national = {p.name: v for p, v in STATED.items() if p.parent == NATIONAL}
    assert {name: (yuan, page) for name, yuan, page in rows} == {
        name: (Decimal(wan) * WAN, page) for name, (page, wan) in national.items()
    }


# Jiangsu's 一般公共预算机关运行经费支出预算表 (科目编码 | 科目名称 | 机关运行经费支出, 万元):
# file -> (page, 合计, number of code rows, code rows as printed)
TABLES = {
    JIANGSU / "江苏省委办公厅2018年度部门预算公开表.pdf": (
        13, "2,094.58", 15,
        {"302": "2,094.58", "30201": "489.30", "30231": "411.20", "30239": "297.08"},
    ),
    # the grid drawn over a white rectangle; 合 计 printed spaced
    JIANGSU / "江苏省委办公厅2019年度部门预算公开表格.pdf": (
        11, "2,232.91", 16,
        {"302": "2,232.91", "30201": "450.00", "30239": "309.71", "30299": "50.00"},
    ),
    # 表十: two classes, 302 商品和服务支出 and 310 其他资本性支出
    JIANGSU / "江苏省政协办公厅2017年度部门预算公开表.pdf": (
        10, "3,348.98", 14,
        {"302": "3,253.98", "30215": "1,094.62", "310": "95.00", "31002": "95.00"},
    ),
    JIANGSU / "江苏省政协办公厅2019年预算公开表.pdf": (
        11, "1,130.74", 11,
        {"302": "1,130.74", "30201": "110.00", "30231": "156.60", "30299": "175.50"},
    ),
}  # fmt: skip
# Shanghai's 三公 table: … | 机关运行经费预算数 (万元), its last column: file -> (page, figure)
COLUMNS = {
    REAL / "上海市普陀区人民政府万里街道办事处2024年预算.pdf": (31, "443.18"),
    REAL / "上海市普陀区人民政府万里街道办事处2025年预算.pdf": (29, "464.64"),
    REAL / "上海市普陀区人民政府办公室2025年单位预算.pdf": (20, "213.28"),
    REAL / "上海市普陀区人民政府办公室2025年部门预算.pdf": (20, "213.28"),
    REAL / "上海市普陀区司法局2026年单位预算.pdf": (20, "184.59"),
    REAL / "上海市普陀区司法局2026年部门预算.pdf": (21, "217.83"),
    REAL / "上海市普陀区商务委员会2025年单位预算.pdf": (21, "171.01"),
    REAL / "上海市普陀区商务委员会2025年部门预算.pdf": (21, "171.01"),
}


def staged(path: Path) -> list[dict]:
    return [dict(r) for r in extract_once(path).frames.get("operating_expenses", [])]


@pytest.mark.parametrize("path", list(TABLES), ids=lambda p: p.stem)
def test_a_table_of_its_own_is_read_by_economic_code(path: Path) -> None:
    page, total, n_codes, printed = TABLES[path]
    rows = staged(path)
    assert {(r["page_number"], r["source"], r["amount_unit"]) for r in rows} == {
        (page, "table", "万元")
    }
    [head] = [r for r in rows if r["row_kind"] == "total"]
    assert head["amount_yuan"] == wan(total)
    codes = {r["economic_code"]: r["amount_yuan"] for r in rows if r["row_kind"] == "code"}
    assert len(codes) == n_codes  # every printed row, none doubled
    assert {code: codes[code] for code in printed} == {c: wan(v) for c, v in printed.items()}
    # the table feeds no basic-expenditure row: fct_basic_expenditure is the basic table's
    basic = extract_once(path).frames["basic_expenditure"]
    assert not {r["table_index"] for r in basic} & {r["table_index"] for r in rows}


@pytest.mark.parametrize("path", list(COLUMNS), ids=lambda p: p.stem)
def test_the_three_public_tables_column_is_the_total(path: Path) -> None:
    page, figure = COLUMNS[path]
    [row] = staged(path)
    assert (row["page_number"], row["source"], row["row_kind"], row["amount_yuan"]) == (
        page,
        "three_public",
        "total",
        wan(figure),
    )
    assert row["economic_code"] is None
    # and no 三公 category takes it
    three_public = extract_once(path).frames["three_public"]
    assert wan(figure) not in {r["amount_yuan"] for r in three_public}


def _identities(rows: list[dict]) -> list[dict]:
    records, errors = basic_identities(
        "doc", pd.DataFrame.from_records(rows), family="operating_expenses"
    )
    assert errors == []
    return records


def test_identities_hold_and_a_dropped_row_blocks_its_table() -> None:
    rows = staged(JIANGSU / "江苏省政协办公厅2017年度部门预算公开表.pdf")
    # GIVEN the rows as staged, THEN 合计 = 302 + 310 and each class = Σ its 款 hold
    identities = _identities(rows)
    assert {i["check"] for i in identities} == {
        "basic_amount_equals_sum_of_children",
        "basic_table_amount_equals_sum_of_rows",
    }
    assert {i["family"] for i in identities} == {"operating_expenses"}
    assert [i["detail"] for i in identities if i["excess"] > 0] == []
    # GIVEN a row in the middle of the list dropped (30215 会议费 1,094.62), THEN 302 fails
    dropped = [r for r in rows if r["economic_code"] != "30215"]
    failed = [i for i in _identities(dropped) if i["excess"] > 0]
    assert [(i["check"], i["code"], i["severity"]) for i in failed] == [
        ("basic_amount_equals_sum_of_children", "302", "block")
    ]
    assert "3,253.98" in failed[0]["detail"] and "2,159.36" in failed[0]["detail"]


@pytest.mark.integration
def test_the_column_reaches_the_marts_and_checks_the_prose(real_warehouse: Path) -> None:
    with duckdb.connect(str(real_warehouse), read_only=True) as con:
        facts = con.execute(
            """select d.file_name, f.source, f.row_kind, f.amount_yuan, f.page_number
               from marts.fct_operating_expenses f join marts.dim_document d using (document_id)"""
        ).fetchall()
        checks = con.execute(
            """select d.file_name, n.narrative_yuan, n.table_yuan, n.within_rounding,
                      n.table_page_number
               from marts.fct_narrative_check n join marts.dim_document d using (document_id)
               where n.item = 'operating_expenses'"""
        ).fetchall()
    assert sorted(facts) == sorted(
        (p.name, "three_public", "total", wan(v), page) for p, (page, v) in COLUMNS.items()
    )
    # every Shanghai print states the figure its 三公 table prints
    assert sorted(checks) == sorted(
        (p.name, wan(v), wan(v), True, page) for p, (page, v) in COLUMNS.items()
    )
