"""机关运行经费 stated in the prose of real documents of three provinces, read as printed
(hand-read from each PDF), and carried into marts.fct_narrative_check."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import NATIONAL, REAL, extract_once

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
