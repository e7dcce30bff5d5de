"""Real Jiangsu tables (tests/pdfs/real-jiangsu/README.md): a template the project was not
built on. Every figure asserted here is the one printed in the PDF."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import TESTS, extract_once

JIANGSU = TESTS / "pdfs" / "real-jiangsu"
CPPCC_2019 = JIANGSU / "江苏省政协办公厅2019年预算公开表.pdf"
CPPCC_2017 = JIANGSU / "江苏省政协办公厅2017年度部门预算公开表.pdf"
OFFICE_2018 = JIANGSU / "江苏省委办公厅2018年度部门预算公开表.pdf"
CPPCC_2017_PROSE = JIANGSU / "江苏省政协办公厅2017年度部门预算.pdf"  # the 公开文件: no table
WAN = Decimal(10_000)


def wan(text: str) -> Decimal:
    return Decimal(text.replace(",", "")) * WAN


def test_three_public_total_is_the_subtotal_under_sangong_not_the_grand_total() -> None:
    # p9: 合计 2,224.43 | “三公”经费 小计 660.10 | 因公出国（境）费 106.00 | 公务用车 小计 156.60
    #     | 购置费 (blank) | 运行维护费 156.60 | 公务接待费 397.50 | 会议费 1,282.56 | 培训费 281.77
    rows = {
        r["category"]: r["amount_yuan"] for r in extract_once(CPPCC_2019).frames["three_public"]
    }
    assert rows == {
        "total": wan("660.10"),
        "overseas_travel": wan("106.00"),
        "vehicle_total": wan("156.60"),
        "vehicle_purchase": Decimal(0),
        "vehicle_operation": wan("156.60"),
        "reception": wan("397.50"),
    }


def function_rows(path: Path) -> dict[tuple[str, str | None], Decimal]:
    return {
        (r["budget_scope"], r["function_code"]): r["total_yuan"]
        for r in extract_once(path).frames["function_expenditure"]
    }


def test_function_tables_with_one_amount_column_in_both_scopes() -> None:
    # p5 财政拨款支出预算表（功能科目） and p7 一般公共预算支出预算表（功能科目）:
    # 功能科目编码 | 功能科目名称 | 金额; 合计 13,297.11; 2010201 行政运行 5,223.22
    rows = function_rows(CPPCC_2019)
    for scope in ("fiscal_grants", "general_public_budget"):
        assert rows[(scope, None)] == wan("13,297.11")
        assert rows[(scope, "201")] == wan("10,191.56")
        assert rows[(scope, "2010201")] == wan("5,223.22")
    # 2017 heads its code column 功能科目代码: 2010201 行政运行 3,233.03
    assert function_rows(CPPCC_2017)[("fiscal_grants", "2010201")] == wan("3,233.03")


def test_titles_ruled_into_the_grid_with_department_and_unit() -> None:
    extracted = extract_once(OFFICE_2018)
    titles = {t["page"]: t["title"] for t in extracted.tables}
    # p3's grid opens with "收支预算总表部门：中共江苏省委办公厅单位：万元" in one cell; the
    # table of contents on p2 (…十二、政府采购支出预算表) is not its title
    assert titles[3] == "收支预算总表"
    assert titles[11] == "“三公”经费、会议费、培训费支出预算表"
    assert extracted.document["department_name"] == "中共江苏省委办公厅"
    assert extracted.document["amount_unit"] == "万元"
    lines = [r for r in extracted.frames["budget_summary"] if r["page_number"] == 3]
    income = {r["line_name"]: r["amount_yuan"] for r in lines if r["side"] == "income"}
    assert income["收入合计"] == wan("24,458.43")
    # 支出合计 spans 功能分类 and 支出用途; its amount stands in the last column
    spending = {r["line_name"]: r["amount_yuan"] for r in lines if r["side"] == "expenditure"}
    assert spending["支出合计"] == spending["当年支出小计"] == wan("24,458.43")
    assert spending["结转下年资金"] is None
    classes = {
        r["class_code"]: r["amount_yuan"]
        for r in lines
        if r["side"] == "expenditure" and r["amount_yuan"] is not None and r["class_code"]
    }
    # 一、一般公共服务支出 20,153.75; 八、社会保障和就业支出 1,289.52; 十八、住房保障支出 3,015.16
    assert classes == {"201": wan("20,153.75"), "208": wan("1,289.52"), "221": wan("3,015.16")}


def test_an_explanatory_document_is_a_budget_document() -> None:
    extracted = extract_once(CPPCC_2017_PROSE)
    document = extracted.document
    # the cover: "江苏省政协办公厅 2017 年度部门预算"; no table, the budget's totals in prose
    assert (document["document_kind"], document["department_name"]) == (
        "explanatory",
        "江苏省政协办公厅",
    )
    assert (document["fiscal_year"], document["budget_level"]) == (2017, "department")
    stated = {r["item"]: r["amount_yuan"] for r in extracted.frames["narrative_totals"]}
    # the tables document prints 一、基本支出 5,916.27 (p1); the prose says the same
    assert stated["basic"] == wan("5,916.27")
    assert stated["income_total"] == wan("9,066.79")


@pytest.mark.integration
def test_survey_and_load_read_every_document(tmp_path: Path) -> None:
    yusuan = [sys.executable, "-m", "yusuan.cli"]
    surveyed = subprocess.run(
        [*yusuan, "survey", str(JIANGSU), "--json", "--workers", "2"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    report: dict[str, Any] = json.loads(surveyed.stdout)
    # every document would load whole; what is not read is reported, never misread
    assert {d["status"] for d in report["documents"]} == {"loaded"}
    outcomes = {t["outcome"] for d in report["documents"] for t in d["tables"]}
    assert outcomes <= {"loaded", "empty", "unrecognised"}
    read = {(d["file_name"][:10], t["page"], t["family"]) for d in report["documents"]
            for t in d["tables"] if t["family"]}  # fmt: skip
    assert ("江苏省政协办公厅20", 9, "three_public") in read
    assert ("江苏省委办公厅201", 3, "budget_summary") in read
    totals = report["totals"]
    assert totals["tables_loaded"] == totals["tables_recognised"] > totals["tables"] / 2

    # AND a load puts the printed figures in the marts
    warehouse = tmp_path / "bi.duckdb"
    loaded = subprocess.run(
        [*yusuan, "load", str(JIANGSU), "--warehouse", str(warehouse),
         "--home", str(tmp_path / "home")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stdout[-3000:] + loaded.stderr[-3000:]
    assert "4 loaded, 0 partial, 0 quarantined" in loaded.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        [(total,)] = con.execute(
            """select t.amount_yuan from marts.fct_three_public t
               join marts.dim_document d using (document_id)
               where d.file_name = ? and t.category = 'total'""",
            [CPPCC_2019.name],
        ).fetchall()
        checks = con.execute(
            """select d.document_kind, t.file_name, n.narrative_yuan, n.table_yuan
               from marts.fct_narrative_check n
               join marts.dim_document d using (document_id)
               join marts.dim_document t on t.document_id = n.tables_document_id
               where d.file_name = ? and n.item = 'income_total'""",
            [CPPCC_2017_PROSE.name],
        ).fetchall()
    assert total == wan("660.10")
    # the prose's 9,066.79 (财政拨款) is compared with the 收入合计 9,146.79 of the tables
    # document of the same budget: a warning in the mart, not a block
    assert checks == [("explanatory", CPPCC_2017.name, wan("9,066.79"), wan("9,146.79"))]


def test_a_department_line_run_into_its_unit_line() -> None:
    from extract.tables import LogicalTable

    table = LogicalTable(0, "收支预算总表", ["部门：江苏省政协办公厅单位：万元"])
    assert (table.department, table.unit) == ("江苏省政协办公厅", "万元")
