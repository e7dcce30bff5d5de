"""Real 政府采购 and 政府购买服务 tables of the national template (tests/pdfs/real-national/
README.md): each city's print read by the procurement and service_purchase families, every
figure read by hand from the PDF (page and printed row beside it), checked against what
the family stages and against gate 1's identities (expectations/purchase_identities.py:
合计 = Σ categories, else Σ 类, else Σ items; a category or group = Σ its items; 类 = Σ 款
= Σ 项; the total against the fund sources, which warns).

Of the nine prints, 北京 prints both tables (预算10表 by category, 预算11表 by 指导性目录),
重庆 its procurement by category and fund source, 烟台 by function code and fund source,
西安 item by item under its units (采购目录, 数量, 经济科目); 杭州, 湖州, 福州 and 广州
state their procurement only in prose, and 深圳 prints it as columns of its 支出总表 (a
function table), so none of those five has a table of these families. Of the prints added
after them, 重庆市委宣传部 prints its procurement as 重庆水利局 does, 广州信访局 in prose and
深圳审计局 as 深圳统计局.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from expectations.purchase_identities import purchase_identities
from extract.families.base import Record
from extract.verdicts import TableOutcome
from tests.conftest import TESTS, extract_once
from tests.printed import wan, yuan

NATIONAL = TESTS / "pdfs" / "real-national"
BEIJING = "2026年北京市统计局部门预算报表_附件2.pdf"
CHONGQING = "2026年重庆市水利局部门预算.pdf"

# One printed row: (row_kind, category, name, catalogue, function_code, fund_source -> amount)
Line = tuple[str, str | None, str | None, str | None, str | None, dict[str, Decimal]]


@dataclass(frozen=True)
class Purchases:
    file: str
    # PDF page -> family of each procurement / service-purchase table printed
    tables: dict[int, str] = field(default_factory=dict)
    # PDF page -> every printed row, top-down (a table read whole)
    rows: dict[int, list[Line]] = field(default_factory=dict)


def total(amount: Decimal) -> dict[str, Decimal]:
    return {"total": amount}


TABLES = [
    Purchases(
        BEIJING,
        {25: "procurement", 26: "service_purchase"},
        {
            # 预算10表 政府采购预算明细表, 金额单位：万元: 采购类别 | 金额
            25: [
                ("category", "goods", "A-货物", None, None, total(wan("3,887.172900"))),
                ("category", "services", "C-服务", None, None, total(wan("5,177.883268"))),
                ("total", None, "合计", None, None, total(wan("9,065.056168"))),  # 合 计
            ],
        },
    ),
    Purchases("2026年杭州市司法局部门预算.pdf"),  # p15 prose: 政府采购预算总额 8,525.96 万元
    Purchases("2026年深圳市统计局部门预算.pdf"),  # p19 表3支出总表: 2026年政府采购项目 columns
    Purchases("2026年湖州市财政局部门预算.pdf"),  # p12 prose: 政府采购预算总额 1051.20 万元
    Purchases(
        "2026年烟台市审计局部门预算.pdf",
        {25: "procurement"},
        {
            # 公开表12 政府采购预算表, 单位：万元: 科目编码 类 | 款 | 项 | 科目名称 | 合计 |
            # 财政拨款 (小计 | 一般公共预算 | 政府性基金预算 | 国有资本经营预算) | 财政专户管理
            # 资金 | 单位资金 | 使用非财政拨款结余 | 上年结转; only 合计 and 单位资金 printed
            25: [
                # 合计 5.80 | 5.80
                ("total", None, "合计", None, None, {"total": wan("5.80"), "other": wan("5.80")}),
                # 201 一般公共服务支出 5.80 | 5.80
                (
                    "code",
                    None,
                    "一般公共服务支出",
                    None,
                    "201",
                    {"total": wan("5.80"), "other": wan("5.80")},
                ),
                # 08 审计事务 5.80 | 5.80
                (
                    "code",
                    None,
                    "审计事务",
                    None,
                    "20108",
                    {"total": wan("5.80"), "other": wan("5.80")},
                ),
                # 04 审计业务 5.80 | 5.80
                (
                    "code",
                    None,
                    "审计业务",
                    None,
                    "2010804",
                    {"total": wan("5.80"), "other": wan("5.80")},
                ),
            ],
        },
    ),
    Purchases("2026年福州市医疗保障局部门预算.pdf"),  # p40 prose: 政府采购预算总额 370.62 万元
    Purchases(
        "2026年西安市审计局部门预算.pdf",
        {34: "procurement"},
        {
            # 表12 部门综合预算政府采购（资产配置、购买服务）预算表, 单位：元: 科目编码
            # 类 | 款 | 项 | 单位编码 | 采购项目 | 采购目录 | 购买服务内容 | 规格型号 | 数量 |
            # 部门预算支出经济科目编码 类 | 款 | 政府预算支出经济科目编码 类 | 款 |
            # 实施采购时间 | 预算金额 | 说明
            34: [
                ("total", None, "合计", None, None, total(yuan("4,020,000.00"))),  # 合计 4 …
                # 201 08 01 1 全额 2 370,000.00
                ("group", None, "全额", None, "2010801", total(yuan("370,000.00"))),
                # 201 08 01 117001 西安市审计局 2 370,000.00
                ("group", None, "西安市审计局", None, "2010801", total(yuan("370,000.00"))),
                # 201 08 01 日常公用经费 C04070100体检服务 2 302 99 502 99 370,000.00
                (
                    "item",
                    "services",
                    "日常公用经费",
                    "C04070100体检服务",
                    "2010801",
                    total(yuan("370,000.00")),
                ),
                # 201 08 04 1 全额 1 3,500,000.00
                ("group", None, "全额", None, "2010804", total(yuan("3,500,000.00"))),
                # 201 08 04 117001 西安市审计局 1 3,500,000.00
                ("group", None, "西安市审计局", None, "2010804", total(yuan("3,500,000.00"))),
                # 201 08 04 购买中介机构审计服务 C19990000其他专业技术服务 1 1 302 27 502 05
                # 3,500,000.00
                (
                    "item",
                    "services",
                    "购买中介机构审计服务",
                    "C19990000其他专业技术服务",
                    "2010804",
                    total(yuan("3,500,000.00")),
                ),
                # 205 08 03 1 全额 1 150,000.00
                ("group", None, "全额", None, "2050803", total(yuan("150,000.00"))),
                # 205 08 03 117001 西安市审计局 1 150,000.00
                ("group", None, "西安市审计局", None, "2050803", total(yuan("150,000.00"))),
                # 205 08 03 审计培训 C02060000培训服务 培训服务 1 302 16 502 03 150,000.00
                (
                    "item",
                    "services",
                    "审计培训",
                    "C02060000培训服务",
                    "2050803",
                    total(yuan("150,000.00")),
                ),
            ],
        },
    ),
    Purchases(
        CHONGQING,
        {29: "procurement"},
        {
            # 表九 2026年政府采购预算明细表, 单位：万元: 项目编号 | 项目 | 总计 | 一般公共预算拨款
            # 收入 | 政府性基金预算拨款收入 | 国有资本经营预算拨款收入 | 财政专户管理资金收入 |
            # 事业收入 | 上级补助收入 | 附属单位上缴收入 | 事业单位经营收入 | 其他收入
            29: [
                # 合计 11,884.37 | 11,307.34 | 430.00 | 147.03
                (
                    "total",
                    None,
                    "合计",
                    None,
                    None,
                    {
                        "total": wan("11,884.37"),
                        "general_public_budget": wan("11,307.34"),
                        "special_account": wan("430.00"),
                        "other": wan("147.03"),
                    },
                ),
                # A 货物 2,703.49 | 2,703.19 | 0.30
                (
                    "category",
                    "goods",
                    "货物",
                    None,
                    None,
                    {
                        "total": wan("2,703.49"),
                        "general_public_budget": wan("2,703.19"),
                        "other": wan("0.30"),
                    },
                ),
                # B 工程 239.56 | 239.56
                (
                    "category",
                    "works",
                    "工程",
                    None,
                    None,
                    {"total": wan("239.56"), "general_public_budget": wan("239.56")},
                ),
                # C 服务 8,941.32 | 8,364.59 | 430.00 | 146.73
                (
                    "category",
                    "services",
                    "服务",
                    None,
                    None,
                    {
                        "total": wan("8,941.32"),
                        "general_public_budget": wan("8,364.59"),
                        "special_account": wan("430.00"),
                        "other": wan("146.73"),
                    },
                ),
            ],
        },
    ),
    Purchases("广州_统计局_2026年部门预算.pdf"),  # p24 prose: 政府采购安排562.87万元
    Purchases(
        "2026年北京市财政局部门预算报表_附件2.pdf",
        {15: "procurement", 16: "service_purchase"},
        {
            # 预算10表 政府采购预算明细表, 金额单位：万元: 采购类别 | 金额, as 统计局's
            15: [
                ("category", "goods", "A-货物", None, None, total(wan("716.974000"))),
                ("category", "services", "C-服务", None, None, total(wan("12,231.513100"))),
                ("total", None, "合计", None, None, total(wan("12,948.487100"))),  # 合 计
            ],
        },
    ),
    # the explanatory documents (说明) state their procurement in prose only
    Purchases("2026年北京市财政局部门预算.pdf"),  # p9 政府采购预算总额12948.49万元
    Purchases("2026年北京市统计局部门预算.pdf"),  # p7 政府采购预算总额9065.06万元
    # p11 prose: 政府采购项目共有 775.86 万元; 表3支出总表 (p21) carries 2026年政府采购项目 columns
    Purchases("2026年深圳市审计局部门预算.pdf"),
    Purchases("广州_信访局_2026年部门预算.pdf"),  # p22 prose: 政府采购安排625.65万元
    Purchases(
        "2026年重庆市委宣传部部门预算.pdf",
        {24: "procurement"},
        {
            # 表九 2026年政府采购预算明细表, 单位：万元, as 重庆水利局 prints it: 项目编号 | 项目 |
            # 总计 | 一般公共预算拨款收入 | … | 事业收入 | … | 其他收入
            24: [
                # 合计 712.49 | 504.98 | (事业收入) 6.00 | (其他收入) 201.51
                (
                    "total",
                    None,
                    "合计",
                    None,
                    None,
                    {
                        "total": wan("712.49"),
                        "general_public_budget": wan("504.98"),
                        "business": wan("6.00"),
                        "other": wan("201.51"),
                    },
                ),
                # A 货物 486.50 | 480.50 | (事业收入) 6.00
                (
                    "category",
                    "goods",
                    "货物",
                    None,
                    None,
                    {
                        "total": wan("486.50"),
                        "general_public_budget": wan("480.50"),
                        "business": wan("6.00"),
                    },
                ),
                # C 服务 225.99 | 24.48 | (其他收入) 201.51
                (
                    "category",
                    "services",
                    "服务",
                    None,
                    None,
                    {
                        "total": wan("225.99"),
                        "general_public_budget": wan("24.48"),
                        "other": wan("201.51"),
                    },
                ),
            ],
        },
    ),
]

# 北京市财政局 预算11表 财政拨款政府购买服务明细表 (p16), 金额单位：万元: as 统计局's 预算11表;
# 合 计 9,725.394000 over 16 purchases, the first, the ninth and the last:
FINANCE_SERVICES = {
    "total": wan("9,725.394000"),  # 合 计 9,725.394000
    "items": 16,
    "meetings": 1,  # 会议服务 rows
    # 01-公共服务 0115-公共信息与宣传服务 公共信息系统开发与维护服务 4,869.261500
    1: (
        "01-公共服务",
        "0115-公共信息与宣传服务",
        "公共信息系统开发与维护服务",
        wan("4,869.261500"),
    ),
    # 02-政府履职辅助性服务 0204-会议服务 会议服务 18.700000
    9: ("02-政府履职辅助性服务", "0204-会议服务", "会议服务", wan("18.700000")),
    # 02-政府履职辅助性服务 0212-其他辅助性服务 档案管理服务 48.000000
    16: ("02-政府履职辅助性服务", "0212-其他辅助性服务", "档案管理服务", wan("48.000000")),
}

# 北京 预算11表 财政拨款政府购买服务明细表 (p26), 金额单位：万元: 指导性目录 一级 | 二级 | 三级 |
# 预算金额; 合 计 2,324.576458 over 31 purchases, the first, a repeated one and the last:
BEIJING_SERVICES = {
    "total": wan("2,324.576458"),  # 合 计 2,324.576458
    "items": 31,
    "meetings": 9,  # 会议服务 rows
    # 01-公共服务 0115-公共信息与宣传服务 公共公益宣传服务 446.953858
    1: ("01-公共服务", "0115-公共信息与宣传服务", "公共公益宣传服务", wan("446.953858")),
    # 02-政府履职辅助性服务 0204-会议服务 会议服务 110.000000 (the 8th of 9 会议服务 rows)
    11: ("02-政府履职辅助性服务", "0204-会议服务", "会议服务", wan("110.000000")),
    # 02-政府履职辅助性服务 0212-其他辅助性服务 翻译服务 0.540000
    31: ("02-政府履职辅助性服务", "0212-其他辅助性服务", "翻译服务", wan("0.540000")),
}


def test_every_fixture_is_listed() -> None:
    assert sorted(t.file for t in TABLES) == sorted(p.name for p in NATIONAL.glob("*.pdf"))


def _lines(rows: list[Record]) -> list[Line]:
    """The staged cells of one table as printed rows, top-down."""
    lines: dict[int, Line] = {}
    for r in sorted(rows, key=lambda r: r["row_index"]):
        if r["row_index"] not in lines:
            lines[r["row_index"]] = (
                r["row_kind"],
                r["category"],
                r["name"],
                r["catalogue"],
                r["function_code"],
                {},
            )
        lines[r["row_index"]][5][r["fund_source"]] = r["amount_yuan"]
    return list(lines.values())


@pytest.mark.parametrize("printed", TABLES, ids=lambda t: t.file.removesuffix(".pdf"))
def test_purchase_tables_read_as_printed(printed: Purchases) -> None:
    # GIVEN a city's print
    extracted = extract_once(NATIONAL / printed.file)
    # THEN the tables of these families are exactly the printed ones, each read
    found = {
        t["page_number"]: t["family"]
        for t in extracted.frames["tables"]
        if t["family"] in ("procurement", "service_purchase")
    }
    assert found == printed.tables
    # AND no table whose title names 政府采购 or 购买服务 is left unrecognised
    titled = [
        t
        for t in extracted.frames["tables"]
        if any(w in (t["table_title"] or "") for w in ("政府采购", "购买服务"))
    ]
    assert {t["page_number"] for t in titled} == set(printed.tables)
    for table in titled:
        assert (table["outcome"], table["is_empty"]) == (TableOutcome.READ, False)
        assert table["unknown_columns"] is None
    # AND every figure read by hand is staged, row by row, exactly
    for page, lines in printed.rows.items():
        [table] = [t for t in titled if t["page_number"] == page]
        rows = [
            r for r in extracted.frames["procurement"] if r["table_index"] == table["table_index"]
        ]
        assert _lines(rows) == lines, page
    # AND nothing of these tables failed to read
    pages = set(printed.tables)
    assert [p.detail for p in extracted.problems if p.page_number in pages] == []


@pytest.mark.parametrize(
    ("file", "page", "printed"),
    [
        (BEIJING, 26, BEIJING_SERVICES),
        ("2026年北京市财政局部门预算报表_附件2.pdf", 16, FINANCE_SERVICES),
    ],
    ids=["统计局", "财政局"],
)
def test_beijing_service_purchases_read_as_printed(
    file: str, page: int, printed: dict[Any, Any]
) -> None:
    extracted = extract_once(NATIONAL / file)
    rows = extracted.frames["service_purchase"]
    assert {r["page_number"] for r in rows} == {page}
    assert {(r["fund_source"], r["source_name"]) for r in rows} == {("total", "预算金额")}
    by_row = {r["row_index"]: r for r in rows}
    [first, *items] = sorted(by_row.values(), key=lambda r: r["row_index"])
    assert (first["row_kind"], first["name"], first["amount_yuan"]) == (
        "total",
        "合计",
        printed["total"],
    )
    assert [r["row_kind"] for r in items] == ["item"] * printed["items"]
    assert sum(r["amount_yuan"] for r in items) == printed["total"]
    for n in (k for k in printed if isinstance(k, int)):
        row = items[n - 1]
        expected = printed[n]
        assert (
            row["directory_level1"],
            row["directory_level2"],
            row["directory_level3"],
            row["amount_yuan"],
        ) == expected
    # 统计局's nine 会议服务 purchases are nine facts, not one
    assert sum(r["directory_level3"] == "会议服务" for r in items) == printed["meetings"]


def _identities(extracted: Any, family: str) -> list[dict[str, Any]]:
    rows = pd.DataFrame.from_records(extracted.frames[family])
    identities, errors = purchase_identities(family, "doc", rows)
    assert not errors
    return identities


@pytest.mark.parametrize(
    "printed", [t for t in TABLES if t.tables], ids=lambda t: t.file.removesuffix(".pdf")
)
def test_identities_hold(printed: Purchases) -> None:
    # GIVEN each purchase table as staged, WHEN gate 1 computes its identities
    extracted = extract_once(NATIONAL / printed.file)
    checks: set[str] = set()
    for family in set(printed.tables.values()):
        identities = _identities(extracted, family)
        checks |= {i["check"] for i in identities}
        # THEN every table reconciles: none fails, neither blocking nor warning
        assert [i["detail"] for i in identities if i["excess"] > 0] == []
    # AND the table's total is checked against its rows in every print
    assert "purchase_table_total_equals_sum_of_rows" in checks


def test_each_layout_is_checked_by_its_identities() -> None:
    def checks(file: str) -> set[str]:
        return {i["check"] for i in _identities(extract_once(NATIONAL / file), "procurement")}

    # 烟台: 类 = Σ 款 = Σ 项 in the total and in the 单位资金 column
    assert {
        "purchase_code_total_equals_sum_of_children",
        "purchase_code_other_equals_sum_of_children",
        "purchase_table_other_equals_sum_of_rows",
    } <= checks("2026年烟台市审计局部门预算.pdf")
    # 西安: each unit's row against its items
    assert "purchase_group_total_equals_sum_of_items" in checks("2026年西安市审计局部门预算.pdf")
    # 重庆: each fund source's 合计 against its categories, and the sources against 总计
    assert {
        "purchase_table_general_public_budget_equals_sum_of_rows",
        "purchase_table_special_account_equals_sum_of_rows",
        "purchase_total_equals_sum_of_sources",
    } <= checks(CHONGQING)


def test_a_misread_row_fails_its_table() -> None:
    # GIVEN 西安's table with one item read 10 times too large (a misplaced decimal point)
    extracted = extract_once(NATIONAL / "2026年西安市审计局部门预算.pdf")
    rows = [dict(r) for r in extracted.frames["procurement"]]
    [training] = [r for r in rows if r["name"] == "审计培训"]
    training["amount_yuan"] *= 10
    identities, _ = purchase_identities("procurement", "doc", pd.DataFrame.from_records(rows))
    failed = {i["check"]: i for i in identities if i["excess"] > 0}
    # THEN the 合计 against its items and the unit's row against its item block the table
    assert set(failed) == {
        "purchase_table_total_equals_sum_of_rows",
        "purchase_group_total_equals_sum_of_items",
    }
    assert all(i["severity"] == "block" for i in failed.values())
    assert "4,020,000.00 元" in failed["purchase_table_total_equals_sum_of_rows"]["detail"]


@pytest.mark.integration
def test_a_load_puts_the_purchases_in_the_marts(national_warehouse: Path) -> None:
    # GIVEN 北京's print (both tables) and 重庆's (procurement by fund source), loaded with
    # every national fixture
    beijing, chongqing = NATIONAL / BEIJING, NATIONAL / CHONGQING
    warehouse = national_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute(
            """select d.file_name, t.page_number, t.family, t.outcome, t.row_count
               from marts.dim_document_table t join marts.dim_document d using (document_id)
               where t.family in ('procurement', 'service_purchase')
                 and d.file_name in (?, ?) order by 1, 2""",
            [beijing.name, chongqing.name],
        ).fetchall()
        categories = con.execute(
            """select d.file_name, p.category, p.amount_yuan, p.page_number
               from marts.fct_procurement p join marts.dim_document d using (document_id)
               where p.row_kind = 'category' and p.fund_source = 'total'
                 and d.file_name in (?, ?) order by 1, 2""",
            [beijing.name, chongqing.name],
        ).fetchall()
        sources = con.execute(
            """select p.fund_source, p.source_name, p.amount_yuan
               from marts.fct_procurement p join marts.dim_document d using (document_id)
               where d.file_name = ? and p.row_kind = 'total' order by 3 desc""",
            [chongqing.name],
        ).fetchall()
        services = con.execute(
            """select count(*) filter (where p.row_kind = 'item'),
                      sum(p.amount_yuan) filter (where p.row_kind = 'item'),
                      any_value(p.amount_yuan) filter (where p.row_kind = 'total'),
                      count(distinct p.department_key), any_value(p.fiscal_year)
               from marts.fct_service_purchase p join marts.dim_document d using (document_id)
               where d.file_name = ?""",
            [beijing.name],
        ).fetchone()
    # THEN the four tables are loaded, whatever else of their documents is held
    assert tables == [
        (beijing.name, 25, "procurement", "loaded", 3),
        (beijing.name, 26, "service_purchase", "loaded", 32),
        (chongqing.name, 29, "procurement", "loaded", 13),
    ]
    # AND the printed categories are facts: 北京 p25 A-货物, C-服务; 重庆 p29 A, B, C 总计
    assert categories == [
        (beijing.name, "goods", wan("3,887.172900"), 25),
        (beijing.name, "services", wan("5,177.883268"), 25),
        (chongqing.name, "goods", wan("2,703.49"), 29),
        (chongqing.name, "services", wan("8,941.32"), 29),
        (chongqing.name, "works", wan("239.56"), 29),
    ]
    # AND 重庆's 合计 by fund source as printed: 11,884.37 | 11,307.34 | 430.00 | 147.03
    assert sources == [
        ("total", "总计", wan("11,884.37")),
        ("general_public_budget", "一般公共预算拨款收入", wan("11,307.34")),
        ("special_account", "财政专户管理资金收入", wan("430.00")),
        ("other", "其他收入", wan("147.03")),
    ]
    # AND 北京's 31 purchases of services sum to its printed 合计 2,324.576458 万元
    assert services == (31, wan("2,324.576458"), wan("2,324.576458"), 1, 2026)
