"""Real 政府性基金 and 国有资本经营 expenditure tables of the national template
(tests/pdfs/real-national/README.md): each is a function table of its own budget_scope
(government_fund, state_capital). Which of the nine city prints print them empty and
which with rows, each figure read by hand from the PDF (PDF page and printed row beside
it): rows go into the function facts with their scope, a table printed empty (本表无数据,
an empty body, only a 合计 of 0.00) is recorded `empty` and stages no row, and gate 1's
identities hold per table, so per scope, never summed across scopes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations.identities import function_identities
from extract.document import Extracted
from extract.families.base import Record
from extract.verdicts import TableOutcome
from tests.conftest import TESTS, extract_once
from tests.printed import wan

NATIONAL = TESTS / "pdfs" / "real-national"
FAMILY = "function_expenditure"

Split = tuple[Decimal, Decimal, Decimal]  # 合计 (总计, 小计), 基本支出, 项目支出 as printed


@dataclass(frozen=True)
class Funds:
    file: str
    # PDF page -> budget_scope of each 政府性基金 / 国有资本经营 expenditure table printed
    scopes: dict[int, str]
    # PDF page -> printed rows of a table printed with rows: code (None: 合计) -> split;
    # a table not listed here is printed empty
    rows: dict[int, dict[str | None, Split]] = field(default_factory=dict)
    # PDF pages of tables of those budgets that are no function table, printed empty
    others_empty: tuple[int, ...] = ()


ZERO = Decimal(0)

TABLES = [
    Funds(
        "2026年北京市统计局部门预算报表_附件2.pdf",
        # 预算07表 政府性基金预算支出表 | 预算08表 国有资本经营预算支出表: 科目编码 | 科目名称 |
        # 合计 | 基本支出 | 项目支出, one blank row and a 合计 row left blank
        {22: "government_fund", 23: "state_capital"},
    ),
    Funds(
        "2026年杭州市司法局部门预算.pdf",
        # 表8 (p35): 功能分类科目名称 | 本年政府性基金预算支出 > 合计 | 基本支出 | 项目支出, a
        # 栏次 row ** | 1 | 2 | 3, 合计 blank, "备注：本部门没有政府性基金预算拨款安排的支出，
        # 故本表无数据。"; 表9 (p36): 功能分类科目名称 | 项目支出, 栏次 ** | 1, 合计 blank
        {35: "government_fund", 36: "state_capital"},
    ),
    Funds(
        "2026年深圳市统计局部门预算.pdf",
        # 表10 / 表11: 预算单位 | 科目编码 | 科目名称 | 支出总计 | 基本支出 | 项目支出, one row
        # 深圳市统计局（本级） 0.00 | 0.00 | 0.00, "注：本表本年无发生额。"
        {33: "government_fund", 34: "state_capital"},
    ),
    Funds(
        "2026年湖州市财政局部门预算.pdf",
        # 表08: 科目编码 | 科目名称 | 本年政府性基金预算支出 > 合计 | 基本支出 | 项目支出,
        # 栏次 ** | ** | 1 | 2 | 3, 合计 blank, "故本表无数据"; 表09: … | 项目支出 only
        {29: "government_fund", 30: "state_capital"},
    ),
    Funds(
        "2026年烟台市审计局部门预算.pdf",
        # 公开表8 / 公开表9: 科目编码 > 类 | 款 | 项 | 科目名称 | 合计 | 基本支出 > 小计 |
        # 人员支出 | 日常公用支出 | 项目支出, one blank row, "（注：2026年没有使用…的支出。）"
        {20: "government_fund", 21: "state_capital"},
    ),
    Funds(
        "2026年福州市医疗保障局部门预算.pdf",
        # 2026年度政府性基金预算拨款支出预算表 / 国有资本经营预算拨款支出预算表: 科目编码 |
        # 科目名称 | 小计 | 其中：基本支出 | 项目支出, 合计 0.00 | 0.00 | 0.00
        {15: "government_fund", 16: "state_capital"},
    ),
    Funds(
        "2026年西安市审计局部门预算.pdf",
        {},
        # 表9 部门综合预算政府性基金收支表: income beside spending by 功能 and 经济 class
        # (大类 names, no code), every 预算数 blank: no function table, recorded empty
        others_empty=(31,),
    ),
    Funds(
        "2026年重庆市水利局部门预算.pdf",
        # 表七 2026年政府性基金预算支出情况表: 科目编码 | 科目名称 | 预算数 > 总计 | 基本支出 |
        # 项目支出, 基本支出 printed blank; the print has no 国有资本经营 table
        {27: "government_fund"},
        {
            27: {
                None: (wan("44,134.59"), ZERO, wan("44,134.59")),  # 合计 44,134.59 | | 44,134.59
                "205": (wan("182.00"), ZERO, wan("182.00")),  # 205 教育支出 182.00
                # 20598 超长期特别国债安排的支出 182.00 | | 182.00
                "20598": (wan("182.00"), ZERO, wan("182.00")),
                "2059803": (wan("182.00"), ZERO, wan("182.00")),  # 2059803 职业教育 182.00
                "213": (wan("3,952.59"), ZERO, wan("3,952.59")),  # 213 农林水支出 3,952.59
                # 21372 大中型水库移民后期扶持基金支出 973.00
                "21372": (wan("973.00"), ZERO, wan("973.00")),
                # 2137202 基础设施建设和经济发展 973.00
                "2137202": (wan("973.00"), ZERO, wan("973.00")),
                # 21398 超长期特别国债安排的支出 2,979.59
                "21398": (wan("2,979.59"), ZERO, wan("2,979.59")),
                "2139802": (wan("2,979.59"), ZERO, wan("2,979.59")),  # 2139802 水利支出
                "229": (wan("40,000.00"), ZERO, wan("40,000.00")),  # 229 其他支出 40,000.00
                # 22904 其他政府性基金及对应专项债务收入安排的支出 40,000.00
                "22904": (wan("40,000.00"), ZERO, wan("40,000.00")),
                # 2290402 其他地方自行试点项目收益专项债券收入安排的支出 40,000.00
                "2290402": (wan("40,000.00"), ZERO, wan("40,000.00")),
            }
        },
    ),
    Funds(
        "广州_统计局_2026年部门预算.pdf",
        # 表9 / 表10: 功能分类科目 > 科目编码 | 科目名称 | 政府性基金预算支出 > 小计 |
        # 其中：基本支出 | 项目支出, 合计 0.00 | 0.00 | 0.00, "注：本表本年无发生额。"
        {18: "government_fund", 19: "state_capital"},
    ),
    Funds(
        "2026年北京市财政局部门预算报表_附件2.pdf",
        # 预算07表 (p12) / 预算08表 (p13): as 统计局's, 科目编码 | 科目名称 | 合计 | 基本支出 |
        # 项目支出, a 合 计 row left blank
        {12: "government_fund", 13: "state_capital"},
    ),
    Funds(
        "2026年深圳市审计局部门预算.pdf",
        # 表10 / 表11, as 深圳统计局: 预算单位 | 科目编码 | 科目名称 | 支出总计 | 基本支出 |
        # 项目支出, one row 深圳市审计局 0.00 | 0.00 | 0.00, "注：本表本年无发生额。"
        {35: "government_fund", 36: "state_capital"},
    ),
    Funds(
        "广州_信访局_2026年部门预算.pdf",
        # 表9 / 表10, as 广州统计局: 功能分类科目 > 科目编码 | 科目名称 | 政府性基金预算支出 >
        # 小计 | 其中：基本支出 | 项目支出, 合计 0.00 | 0.00 | 0.00, "注：本表本年无发生额。"
        {16: "government_fund", 17: "state_capital"},
    ),
    Funds(
        "2026年重庆市委宣传部部门预算.pdf",
        # 表七 2026年政府性基金预算支出情况表: 科目编码 | 科目名称 | 预算数 > 总计 | 基本支出 |
        # 项目支出, 基本支出 printed blank; no 国有资本经营 table, as 重庆水利局 prints it
        {22: "government_fund"},
        {
            22: {
                None: (wan("4,066.60"), ZERO, wan("4,066.60")),  # 合计 4,066.60 | | 4,066.60
                "207": (wan("4,066.60"), ZERO, wan("4,066.60")),  # 207 文化旅游体育与传媒支出
                # 20707 国家电影事业发展专项资金安排的支出 4,036.60 | | 4,036.60
                "20707": (wan("4,036.60"), ZERO, wan("4,036.60")),
                "2070701": (wan("1.00"), ZERO, wan("1.00")),  # 2070701 资助国产影片放映 1.00
                "2070702": (wan("1,035.60"), ZERO, wan("1,035.60")),  # 2070702 资助影院建设
                # 2070799 其他国家电影事业发展专项资金支出 3,000.00
                "2070799": (wan("3,000.00"), ZERO, wan("3,000.00")),
                "20709": (wan("30.00"), ZERO, wan("30.00")),  # 20709 旅游发展基金支出 30.00
                "2070904": (wan("30.00"), ZERO, wan("30.00")),  # 2070904 地方旅游开发项目补助
            }
        },
    ),
]

# explanatory documents (说明): prose only, no table of these budgets
WITHOUT = {"2026年北京市财政局部门预算.pdf", "2026年北京市统计局部门预算.pdf"}


def test_every_fixture_is_listed() -> None:
    listed = {t.file for t in TABLES} | WITHOUT
    assert sorted(listed) == sorted(p.name for p in NATIONAL.glob("*.pdf"))


def _tables_on(extracted: Extracted, pages: set[int]) -> dict[int, Record]:
    """The staged `tables` records printed (first) on `pages`, by page."""
    return {t["page_number"]: t for t in extracted.frames["tables"] if t["page_number"] in pages}


@pytest.mark.parametrize("printed", TABLES, ids=lambda t: t.file.removesuffix(".pdf"))
def test_fund_tables_are_function_tables_of_their_scope(printed: Funds) -> None:
    # GIVEN a city's print of the 政府性基金 / 国有资本经营 expenditure tables
    extracted = extract_once(NATIONAL / printed.file)
    found = _tables_on(extracted, set(printed.scopes) | set(printed.others_empty))
    rows = extracted.frames[FAMILY]
    for page, scope in printed.scopes.items():
        table = found[page]
        staged = [r for r in rows if r["table_index"] == table["table_index"]]
        # THEN the function family reads it, as a table of its own scope
        assert table["family"] == FAMILY, page
        assert {r["budget_scope"] for r in staged} <= {scope}
        if page not in printed.rows:
            # AND a table printed empty is recorded so, and stages no row
            assert (table["outcome"], table["is_empty"], table["row_count"]) == (
                TableOutcome.EMPTY,
                True,
                0,
            ), page
            assert staged == []
            continue
        # AND a table printed with rows stages every row as printed, in its scope
        assert (table["outcome"], table["is_empty"]) == (TableOutcome.READ, False)
        assert {r["budget_scope"] for r in staged} == {scope}
        got = {
            r["function_code"]: (r["total_yuan"], r["basic_yuan"], r["project_yuan"])
            for r in staged
        }
        assert got == printed.rows[page]
    for page in printed.others_empty:
        assert (found[page]["family"], found[page]["outcome"]) == (None, TableOutcome.EMPTY)
    # AND no finding names these tables: an empty one never makes its document partial
    pages = set(printed.scopes) | set(printed.others_empty)
    assert [p.detail for p in extracted.problems if p.page_number in pages] == []


@pytest.mark.parametrize(
    "printed", [t for t in TABLES if t.rows], ids=lambda t: t.file.removesuffix(".pdf")
)
def test_identities_hold_per_scope(printed: Funds) -> None:
    # GIVEN every function row of the document, of every scope (gate 1 sees them together)
    extracted = extract_once(NATIONAL / printed.file)
    rows = pd.DataFrame.from_records(extracted.frames[FAMILY])
    # WHEN gate 1 computes the function identities
    identities, errors = function_identities("doc", rows)
    assert not errors
    # THEN each fund table reconciles on its own: 合计 = Σ 类, 类 = Σ 款, 款 = Σ 项,
    # total = basic + project, within the table (never a sum across scopes)
    funds = {p for p, scope in printed.scopes.items() if p in printed.rows}
    checked = [i for i in identities if i["page_number"] in funds]
    assert {i["check"] for i in checked} >= {
        "table_total_equals_sum_of_rows",
        "function_total_equals_sum_of_children",
        "total_equals_basic_plus_project",
    }
    assert [i["detail"] for i in checked if i["excess"] > 0] == []


def test_the_scopes_titles_name_are_the_scopes_read() -> None:
    # the survey's words: every fund table of the nine prints is recognised
    for printed in TABLES:
        extracted = extract_once(NATIONAL / printed.file)
        scoped = {
            t["page_number"]
            for t in extracted.frames["tables"]
            if t["family"] == FAMILY
            and t["table_title"]
            and ("政府性基金" in t["table_title"] or "国有资本" in t["table_title"])
        }
        assert scoped == set(printed.scopes), printed.file


@pytest.mark.integration
def test_a_load_puts_the_fund_scope_in_the_marts(national_warehouse: Path) -> None:
    # GIVEN a print with a 政府性基金 table of rows and a print with both tables empty, loaded
    # with every national fixture
    with_rows, empty = (NATIONAL / t.file for t in (TABLES[7], TABLES[8]))
    warehouse = national_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        verdicts = dict(
            con.execute(
                "select file_name, status from audit.document_loads where file_name in (?, ?)",
                [with_rows.name, empty.name],
            ).fetchall()
        )
        facts = con.execute(
            """select f.function_code, f.total_yuan, f.project_yuan from marts.fct_expenditure f
               join marts.dim_document d using (document_id)
               where d.file_name = ? and f.budget_scope = 'government_fund'
               order by f.function_code""",
            [with_rows.name],
        ).fetchall()
        tables = con.execute(
            """select t.page_number, t.family, t.outcome, t.is_empty, t.row_count
               from marts.dim_document_table t join marts.dim_document d using (document_id)
               where d.file_name = ? and t.page_number in (18, 19) order by 1""",
            [empty.name],
        ).fetchall()
    # THEN both documents load whole: the empty tables hold nothing back
    assert verdicts == {with_rows.name: "loaded", empty.name: "loaded"}
    # AND the printed 项 rows of 重庆 p27 are facts of the government_fund scope
    assert facts == [
        ("2059803", wan("182.00"), wan("182.00")),  # 2059803 职业教育 182.00
        ("2137202", wan("973.00"), wan("973.00")),  # 2137202 基础设施建设和经济发展 973.00
        ("2139802", wan("2,979.59"), wan("2,979.59")),  # 2139802 水利支出 2,979.59
        ("2290402", wan("40,000.00"), wan("40,000.00")),  # 2290402 其他地方自行试点… 40,000.00
    ]
    # AND 广州's 表9 / 表10 (合计 0.00) are recorded as function tables printed empty
    assert tables == [
        (18, FAMILY, "empty", True, 0),
        (19, FAMILY, "empty", True, 0),
    ]
