"""Real tables listed unit by unit of the national template (tests/pdfs/real-national/
README.md): the 基本支出总表 / 项目支出总表 of 深圳 and the 部门预算基本支出预算表 /
部门预算项目支出及其他支出预算表 of 广州, each figure read by hand from the PDF (page and
printed row beside each), checked against what the families stage (basic_expenditure: a
row per printed row, its unit and its code; projects: a row per project, under its unit)
and against gate 1's identities (expectations/identities.py: a unit = Σ its 类, 合计 = Σ
units or 类, 类 = Σ 款).

What the prints teach: economic rows printed by name only, their code the one the
reference (extract/reference/economic_names.csv) saw printed with that name under its
parent; a unit's line in the same column as the rows it sums (深圳市统计局（本级）, 广州市统计
普查中心), the one line of a table without 合计 its total; the projects of each unit under
its line, with amounts by fund source and, in 广州, the project's 绩效目标 beside them (text,
no fund); the 重点项目绩效目标 grid printed after pages of prose is no continuation.
And, loaded, that the marts count each figure once: fct_basic_expenditure sums a code over
the units (never the 合计 or the unit lines too), dim_project holds projects, no unit.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from expectations.identities import basic_identities
from extract.document import Extracted
from tests.conftest import TESTS, extract_once
from tests.printed import wan

NATIONAL = TESTS / "pdfs" / "real-national"
SHENZHEN = NATIONAL / "2026年深圳市统计局部门预算.pdf"
GUANGZHOU = NATIONAL / "广州_统计局_2026年部门预算.pdf"
SZ_UNIT = "深圳市统计局（本级）"
GZ_UNITS = [
    "广州市统计局（本级）",
    "广州市统计普查中心",
    "广州市统计监测中心（广州市统计发展中心）",
]
ZERO = Decimal(0)


def _table(extracted: Extracted, family: str, page: int) -> dict[str, Any]:
    [table] = [t for t in extracted.tables if t["family"] == family and t["page"] == page]
    return table


def _basic(path: Path, page: int) -> list[dict[str, Any]]:
    extracted = extract_once(path)
    index = _table(extracted, "basic_expenditure", page)["index"]
    return [r for r in extracted.frames["basic_expenditure"] if r["table_index"] == index]


def _projects(path: Path, page: int) -> list[dict[str, Any]]:
    extracted = extract_once(path)
    index = _table(extracted, "project_expenditure", page)["index"]
    return [r for r in extracted.frames["projects"] if r["table_index"] == index]


def _failing(rows: list[dict[str, Any]]) -> list[str]:
    identities, errors = basic_identities("doc", pd.DataFrame.from_records(rows))
    assert not errors and identities
    return [i["detail"] for i in identities if i["excess"] > 0]


# ------------------------------------------------------------------ 深圳: 基本支出总表


def test_shenzhen_basic_table_names_only_under_its_one_unit() -> None:
    # GIVEN 深圳统计局's 表4 基本支出总表 (pp. 22-23): 支出项目类别 | 总计 | 财政拨款 … |
    # 单位资金 …, no code, no 合计: the unit's line, then the 类 and 款 by name
    rows = _basic(SHENZHEN, 22)
    extracted = extract_once(SHENZHEN)
    assert not [p for p in extracted.problems if p.page_number in (22, 23)]
    # THEN the unit's line is the table's total, its name kept
    [total] = [r for r in rows if r["row_kind"] == "total"]
    # p22 深圳市统计局（本级） 4,104.00 4,104.00 4,104.00 0.00 …
    assert (total["amount_yuan"], total["unit_name"]) == (wan("4,104.00"), SZ_UNIT)
    # AND each name gets the code it is printed with under its parent, with its amount
    codes = {r["economic_code"]: (r["economic_name"], r["amount_yuan"]) for r in rows[1:]}
    assert codes["301"] == ("工资福利支出", wan("3,030.73"))  # p22 工资福利支出 3,030.73
    assert codes["30101"] == ("基本工资", wan("927.20"))  # p22 基本工资 927.20
    # p22 机关事业单位基本养老保险缴 / 费 196.80 (the name wrapped in its cell)
    assert codes["30108"] == ("机关事业单位基本养老保险缴费", wan("196.80"))
    assert codes["302"] == ("商品和服务支出", wan("491.82"))  # p22 商品和服务支出 491.82
    assert codes["30209"] == ("物业管理费", wan("208.00"))  # p23 物业管理费 208.00
    assert codes["30212"] == ("因公出国（境）费用", wan("16.80"))  # p23 因公出国（境）费用 16.80
    assert codes["30239"] == ("其他交通费用", wan("55.00"))  # p23 其他交通费用 55.00
    assert codes["303"] == ("对个人和家庭的补助", wan("571.04"))  # p23 对个人和家庭的补助 571.04
    assert codes["30302"] == ("退休费", wan("524.94"))  # p23 退休费 524.94
    assert codes["31002"] == ("办公设备购置", wan("10.40"))  # p23 办公设备购置 10.40
    # AND every printed row is staged once (p22: the unit and 16 rows; p23: 17 rows)
    assert len(rows) == 1 + 16 + 17
    assert [r["row_kind"] for r in rows[1:]] == ["code"] * 33
    # AND gate 1 finds it consistent: 合计 = Σ 类 (4,103.99 within rounding), 类 = Σ 款
    assert _failing(rows) == []


def test_shenzhen_project_table_under_its_one_unit() -> None:
    # GIVEN 深圳统计局's 表5 项目支出总表 (p24): 支出项目类别 | 总计 | 财政拨款 > 一般公共预算拨款
    # … | 上年结余、结转; the unit's line 1,313.80, then the projects
    rows = _projects(SHENZHEN, 24)
    staged = {
        r["project_name"]: (r["amount_yuan"], r["government_funds_yuan"], r["other_funds_yuan"])
        for r in rows
    }
    # THEN the four projects, each under the unit, none of them the unit's line
    assert staged == {
        "统计管理": (wan("352.27"), wan("352.27"), ZERO),  # p24 统计管理 352.27 352.27 0.00 …
        # p24 政务信息化项目（运 / 行维护服务） 7.50 7.50 0.00 …
        "政务信息化项目（运行维护服务）": (wan("7.50"), wan("7.50"), ZERO),
        "专项普查活动": (wan("110.00"), wan("110.00"), ZERO),  # p24 专项普查活动 110.00
        "专项统计业务": (wan("844.03"), wan("844.03"), ZERO),  # p24 专项统计业务 844.03
    }
    assert {r["unit_name"] for r in rows} == {SZ_UNIT}
    # AND they sum to the unit's line: p24 深圳市统计局（本级） 1,313.80
    assert sum(r["amount_yuan"] for r in rows) == wan("1,313.80")


# ------------------------------------------------------------------ 广州: 部门预算…预算表


def test_guangzhou_basic_table_lists_its_units_with_their_classes() -> None:
    # GIVEN 广州统计局's 表11 部门预算基本支出预算表 (p20): 支出项目类别（资金使用单位） | 总计
    # | 财政拨款 …, a 合计, then three units, each over its four 类 by name
    rows = _basic(GUANGZHOU, 20)
    # THEN the 合计 is the department's, each unit's line a unit row
    kinds = [
        (r["row_kind"], r["unit_name"], r["amount_yuan"]) for r in rows if not r["economic_code"]
    ]
    assert kinds == [
        ("total", None, wan("8,401.67")),  # p20 合计 8,401.67
        ("unit", GZ_UNITS[0], wan("5,673.23")),  # p20 广州市统计局（本级） 5,673.23
        ("unit", GZ_UNITS[1], wan("1,373.74")),  # p20 广州市统计普查中心 1,373.74
        # p20 广州市统计监测中心（广 / 州市统计发展中心） 1,354.71
        ("unit", GZ_UNITS[2], wan("1,354.71")),
    ]
    # AND each 类 is its unit's, with its code from its name
    codes = {
        (r["unit_name"], r["economic_code"]): r["amount_yuan"] for r in rows if r["economic_code"]
    }
    assert len(codes) == 12
    assert codes[(GZ_UNITS[0], "301")] == wan("4,785.53")  # p20 工资福利支出 4,785.53 (本级)
    assert codes[(GZ_UNITS[0], "310")] == wan("8.00")  # p20 资本性支出 8.00 (本级)
    assert codes[(GZ_UNITS[1], "302")] == wan("102.93")  # p20 商品和服务支出 102.93 (普查中心)
    assert codes[(GZ_UNITS[1], "303")] == wan("111.04")  # p20 对个人和家庭的补助 111.04
    assert codes[(GZ_UNITS[2], "301")] == wan("1,190.37")  # p20 工资福利支出 1,190.37 (监测中心)
    assert codes[(GZ_UNITS[2], "310")] == wan("0.50")  # p20 资本性支出 0.50 (监测中心)
    # AND gate 1 finds it consistent: each unit = Σ its 类, 合计 = Σ units (8,401.68 within
    # rounding)
    assert _failing(rows) == []
    identities, _ = basic_identities("doc", pd.DataFrame.from_records(rows))
    assert sum(i["check"] == "basic_unit_amount_equals_sum_of_rows" for i in identities) == 3


def test_guangzhou_project_table_lists_its_units_with_their_projects() -> None:
    # GIVEN 广州统计局's 表12 部门预算项目支出及其他支出预算表 (pp. 21-22): 支出项目类别（资金
    # 使用单位） | 总计 | 财政拨款 > 合计 | 一般公共预算 … | 财政专户拨款 | 其他资金 | 绩效目标; a
    # 合计 1,082.05, the unit 广州市统计局 1,075.05 over nine projects, the unit 广州市统计监测中心
    # (广州市统计发展中心) 7.00 over one
    rows = _projects(GUANGZHOU, 21)
    staged = {
        r["project_name"]: (
            r["unit_name"], r["amount_yuan"], r["government_funds_yuan"], r["other_funds_yuan"]
        )
        for r in rows
    }  # fmt: skip
    # THEN ten projects, neither the 合计 nor a unit's line among them
    assert len(rows) == 10
    assert not {"合计", "广州市统计局", GZ_UNITS[2]} & set(staged)
    # p21 机构运行辅助经费 86.37 86.37 86.37 0.00 0.00 0.00 0.00 | 1.达到项目预期…
    assert staged["机构运行辅助经费"] == ("广州市统计局", wan("86.37"), wan("86.37"), ZERO)
    # p21 上级拨入专项调查经费 50.00 0.00 0.00 0.00 0.00 0.00 50.00 (其他资金)
    assert staged["上级拨入专项调查经费"] == ("广州市统计局", wan("50.00"), ZERO, wan("50.00"))
    # p21 广州市采购经理人指数 / 调查编制工作经费 100.00 100.00 100.00 …
    assert staged["广州市采购经理人指数调查编制工作经费"][1] == wan("100.00")
    # p22 广州市第四次全国农业 / 普查经费 534.72 534.72 534.72 …
    assert staged["广州市第四次全国农业普查经费"][1:3] == (wan("534.72"), wan("534.72"))
    # p22 广州市统计监测中心（广州 / 市统计发展中心） 7.00, then 其他运行经费 7.00 7.00 7.00
    assert staged["其他运行经费"] == (GZ_UNITS[2], wan("7.00"), wan("7.00"), ZERO)
    # AND they sum to the 合计: p21 合计 1,082.05 1,032.05 1,032.05 0.00 0.00 0.00 50.00
    assert sum(r["amount_yuan"] for r in rows) == wan("1,082.05")
    assert sum(r["government_funds_yuan"] for r in rows) == wan("1,032.05")
    # AND the 重点项目绩效目标 grid of the 情况说明 (p25, after two pages of prose) is a table
    # of its own, no rows of this one: its three projects are the performance list's
    assert {r["page_number"] for r in rows} == {21, 22}
    listed = [r for r in extract_once(GUANGZHOU).frames["projects"] if r["page_number"] == 25]
    assert {r["source_family"] for r in listed} == {"performance_summary"}


def test_xian_special_funds_table_lists_projects_under_groups() -> None:
    # GIVEN 西安's 表10 部门综合预算专项业务经费支出表 (p32, 单位：元): 单位编码 |
    # 单位（项目）名称 | 项目金额 | 项目简介, top-down:
    #   合计 8,490,507.50 | 117 西安市审计局 8,490,507.50 | 117001 西安市审计局 8,490,507.50
    #   通用项目 3,650,000.00 | 大型活动 150,000.00 | 审计培训 150,000.00
    #   购买服务（审计、绩效、ppp项目评价） 3,500,000.00 | 购买中介机构审计服务 3,500,000.00
    #   专用项目 4,840,507.50 | 审计业务经费 4,840,507.50 | 审计事务 2,858,680.00
    #   审计专项补助经费 1,000,000.00 | 审计专项补助经费（结转） 981,827.50
    extracted = extract_once(NATIONAL / "2026年西安市审计局部门预算.pdf")
    rows = [r for r in extracted.frames["projects"] if r["page_number"] == 32]
    staged = {r["project_name"]: (r["project_type"], r["amount_yuan"]) for r in rows}
    # THEN the projects are the lines nothing is printed under, typed by their top group;
    # the groups (通用项目 > 大型活动, 购买服务…; 专用项目 > 审计业务经费) are none
    assert staged == {
        "审计培训": ("通用项目", Decimal("150000.00")),
        "购买中介机构审计服务": ("通用项目", Decimal("3500000.00")),
        "审计事务": ("专用项目", Decimal("2858680.00")),
        "审计专项补助经费": ("专用项目", Decimal("1000000.00")),
        "审计专项补助经费（结转）": ("专用项目", Decimal("981827.50")),
    }
    # AND each is the unit 117001's, and together they are the 合计
    assert {(r["unit_code"], r["unit_name"]) for r in rows} == {("117001", "西安市审计局")}
    assert sum(r["amount_yuan"] for r in rows) == Decimal("8490507.50")
    [table] = [t for t in extracted.frames["tables"] if t["page_number"] == 32]
    assert (table["family"], table["unknown_columns"]) == ("project_expenditure", None)


# ------------------------------------------------------------------ loaded: counted once


@pytest.fixture(scope="module")
def warehouse(national_warehouse: Path) -> Path:
    """深圳统计局 and 广州统计局 loaded by `yusuan load`, with every national fixture."""
    return national_warehouse


def _query(warehouse: Path, sql: str, *params: object) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.mark.integration
def test_marts_count_the_departments_figures_once(warehouse: Path) -> None:
    # GIVEN both documents loaded whole
    statuses = _query(
        warehouse,
        "select file_name, status from audit.document_loads where file_name in (?, ?)",
        SHENZHEN.name,
        GUANGZHOU.name,
    )
    assert sorted(status for _, status in statuses) == ["loaded", "loaded"]
    # THEN 深圳's basic facts come from its first economic table, the 基本支出总表 (p22), and
    # sum to the unit's line once: 4,104.00 printed, Σ 款 4,103.99 (a rounding of the print)
    [(total, pages)] = _query(
        warehouse,
        "select sum(f.amount_yuan), list(distinct f.page_number order by f.page_number) "
        "from marts.fct_basic_expenditure f join marts.dim_document d using (document_id) "
        "where d.file_name = ?",
        SHENZHEN.name,
    )
    assert (total, pages) == (wan("4,103.99"), [22, 23])
    # AND 深圳's projects and 广州's are the printed projects, no unit's line, no 合计
    projects = dict(
        _query(
            warehouse,
            "select d.file_name, list(p.project_name) from marts.dim_project p "
            "join marts.dim_document d on d.department_key = p.department_key "
            "where p.source_family = 'project_expenditure' group by d.file_name",
        )
    )
    assert sorted(projects[SHENZHEN.name]) == sorted(
        ["统计管理", "政务信息化项目（运行维护服务）", "专项普查活动", "专项统计业务"]
    )
    assert len(projects[GUANGZHOU.name]) == 10
    assert not {"合计", "广州市统计局", SZ_UNIT, *GZ_UNITS} & set(projects[GUANGZHOU.name])
    [(project_total,)] = _query(
        warehouse,
        "select sum(p.amount_yuan) from marts.dim_project p "
        "join marts.dim_document d on d.department_key = p.department_key "
        "where d.file_name = ? and p.source_family = 'project_expenditure'",
        GUANGZHOU.name,
    )
    assert project_total == wan("1,082.05")  # p21 合计 1,082.05
