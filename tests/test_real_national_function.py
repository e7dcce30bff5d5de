"""Real function tables of the national template (tests/pdfs/real-national/README.md): the
一般公共预算支出 tables by function code (功能分类) of one 2026 department budget per city
print, each table's figures read by hand from the PDF (page and printed row beside each),
checked against what the family stages and against gate 1's identities
(expectations/identities.py: 类 = Σ 款, 款 = Σ 项, 合计 = Σ 类 (or Σ leaves), 合计 = 基本 +
项目 on every row, 基本 = 人员 + 公用).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
import pytest

from expectations.identities import function_identities
from extract.document import extract_document
from extract.families import coded_rows
from extract.reference import name_key
from tests.conftest import TESTS, extract_once
from tests.printed import wan

NATIONAL = TESTS / "pdfs" / "real-national"
NAME = "function_expenditure"


@dataclass(frozen=True)
class Function:
    file: str
    page: int  # the page the function table starts on
    code_rows: int  # the code rows printed, every page of the table
    # function code -> printed (total, basic, project); None is the 合计 row
    amounts: dict[str | None, tuple[Decimal, Decimal, Decimal]] = field(default_factory=dict)
    # 合计 人员经费 and 公用经费, where printed
    split: tuple[Decimal, Decimal] | None = None


TABLES = [
    Function(
        "2026年深圳市统计局部门预算.pdf",
        27,  # 一般公共预算支出表（按功能分类）, p27-28, header repeated; 支出总计; no 合计
        21,  # 12 code rows on p27, 9 on p28
        {
            # p27 深圳市统计局（本级） 5,417.80 4,104.00 1,313.80: the one 预算单位 row is
            # the table's total
            None: (wan("5,417.80"), wan("4,104.00"), wan("1,313.80")),
            "201": (wan("3,478.72"), wan("2,357.92"), wan("1,120.80")),  # p27 201 一般公共服务支出
            "20105": (wan("3,478.72"), wan("2,357.92"), wan("1,120.80")),  # p27 20105 统计信息事务
            "2010505": (wan("701.80"), wan("0.00"), wan("701.80")),  # p27 2010505 专项统计业务
            "2080505": (
                wan("211.92"),
                wan("211.92"),
                wan("0.00"),
            ),  # p28 2080505 机关事业单位基本养老保险缴费支出
            "2210203": (wan("882.72"), wan("882.72"), wan("0.00")),  # p28 2210203 购房补贴
        },
    ),
    Function(
        "广州_统计局_2026年部门预算.pdf",
        13,  # 一般公共预算支出情况表（按功能分类科目）: [201]一般公共服务支出, codes in the name
        23,  # 一般公共预算支出 > 小计 | 其中：基本支出 | 项目支出
        {
            None: (wan("9,433.72"), wan("8,401.67"), wan("1,032.05")),  # p13 合计
            "201": (wan("8,295.28"), wan("7,263.23"), wan("1,032.05")),  # p13 [201]一般公共服务支出
            "2010507": (wan("611.02"), wan("0.00"), wan("611.02")),  # p13 [2010507]专项普查活动
            "20801": (
                wan("20.92"),
                wan("20.92"),
                wan("0.00"),
            ),  # p13 [20801]人力资源和社会保障管理事务
            "2100799": (wan("4.15"), wan("4.15"), wan("0.00")),  # p13 [2100799]其他计划生育事务支出
            "221": (wan("764.12"), wan("764.12"), wan("0.00")),  # p13 [221]住房保障支出
        },
    ),
    Function(
        "2026年福州市医疗保障局部门预算.pdf",
        14,  # 2026年度一般公共预算拨款支出预算表: 小计 | 其中：基本支出 | 项目支出, 0 left blank
        23,
        {
            # p14 合计 351904.90 7841.26 344063.64
            None: (wan("351904.90"), wan("7841.26"), wan("344063.64")),
            "208": (
                wan("1073.21"),
                wan("1073.21"),
                Decimal(0),
            ),  # p14 208 社会保障和就业支出 1073.21 1073.21
            "210": (wan("349680.44"), wan("5616.80"), wan("344063.64")),  # p14 210 卫生健康支出
            # p14 2101202 财政对城乡居民基本医疗保险基金的补助 333405.00 | (blank) | 333405.00
            "2101202": (wan("333405.00"), Decimal(0), wan("333405.00")),
            "2101501": (wan("3530.82"), wan("3490.82"), wan("40.00")),  # p14 2101501 行政运行
            "2210202": (
                wan("102.58"),
                wan("102.58"),
                Decimal(0),
            ),  # p14 2210202 提租补贴 102.58 102.58
        },
    ),
    Function(
        "2026年北京市统计局部门预算报表_附件2.pdf",
        9,  # 预算05表一般公共预算支出表, p9-18: 项 rows only, repeated per unit, 合计 last
        248,
        {
            # p18 合 计 50,818.175849 | 32,757.015217 29,860.171136 2,896.844081 |
            # 项目支出总数 18,061.160632 | 扣除基建项目后预算数 18,042.410632: 项目支出 is its
            # 总数, the second column a part of it, never a second project amount
            None: (wan("50,818.175849"), wan("32,757.015217"), wan("18,061.160632")),
            # p9 2050803 培训支出 267.095000 | 38.000000 (blank) 38.000000 | 229.095000 229.095000
            "2050803": (wan("267.095000"), wan("38.000000"), wan("229.095000")),
            # p9 2150299 其他制造业支出 18.750000 | 18.750000 | (blank): all of it 基建
            "2150299": (wan("18.750000"), Decimal(0), wan("18.750000")),
        },
        (wan("29,860.171136"), wan("2,896.844081")),  # p18 合 计 人员经费, 公用经费
    ),
    Function(
        "2026年北京市财政局部门预算报表_附件2.pdf",
        9,  # 预算05表一般公共预算支出表, p9 only: as 统计局's, 项 rows repeated per unit
        20,  # 10 rows for the first unit (2010601 … 2299999), 10 for the second
        {
            # p9 合 计 44,169.357532 | 28,016.258321 25,934.649992 2,081.608329 |
            # 16,153.099211 16,153.099211
            None: (wan("44,169.357532"), wan("28,016.258321"), wan("16,153.099211")),
            # p9 2010601 行政运行 10,096.054007 | 10,096.054007 9,060.258260 1,035.795747
            "2010601": (wan("10,096.054007"), wan("10,096.054007"), Decimal(0)),
            # p9 2050803 培训支出 152.341000 | 100.821000 (blank) 100.821000 | 51.520000
            # 51.520000
            "2050803": (wan("152.341000"), wan("100.821000"), wan("51.520000")),
            # p9 2299999 其他支出 792.644000 | (blank) | 792.644000 792.644000
            "2299999": (wan("792.644000"), Decimal(0), wan("792.644000")),
        },
        (wan("25,934.649992"), wan("2,081.608329")),  # p9 合 计 人员经费, 公用经费
    ),
    Function(
        "2026年深圳市审计局部门预算.pdf",
        29,  # 表7 一般公共预算支出表（按功能分类）, pp. 29-30, header repeated; no 合计
        22,  # 12 code rows on p29, 10 on p30
        {
            # p29 深圳市审计局 10,737.69 9,206.23 1,531.45: the one 预算单位 row is the total
            None: (wan("10,737.69"), wan("9,206.23"), wan("1,531.45")),
            "201": (wan("6,960.90"), wan("5,466.52"), wan("1,494.38")),  # p29 201 一般公共服务支出
            # p29 2010802 一般行政管理事务 919.44 | 0.00 | 919.44
            "2010802": (wan("919.44"), wan("0.00"), wan("919.44")),
            "2050803": (wan("46.05"), wan("8.98"), wan("37.07")),  # p29 2050803 培训支出
            # p30 2080501 行政单位离退休 994.09 | 994.09 | 0.00
            "2080501": (wan("994.09"), wan("994.09"), wan("0.00")),
            "2210203": (wan("1,251.07"), wan("1,251.07"), wan("0.00")),  # p30 2210203 购房补贴
        },
    ),
    Function(
        "广州_信访局_2026年部门预算.pdf",
        11,  # 表5 一般公共预算支出情况表（按功能分类科目）: codes in the name ([201]…)
        17,
        {
            None: (wan("3,944.08"), wan("3,204.78"), wan("739.30")),  # p11 合计
            # p11 [2014001]行政运行 1,859.41 | 1,831.41 | 28.00
            "2014001": (wan("1,859.41"), wan("1,831.41"), wan("28.00")),
            # p11 [2014099]其他信访事务支出 314.02 | 0.00 | 314.02
            "2014099": (wan("314.02"), wan("0.00"), wan("314.02")),
            # p11 [2100799]其他计划生育事务支出 3.97 | 3.97 | 0.00
            "2100799": (wan("3.97"), wan("3.97"), wan("0.00")),
        },
    ),
    Function(
        "2026年重庆市委宣传部部门预算.pdf",
        16,  # 表五 2026年一般公共预算支出情况表: 总计 | 基本支出 > 小计 | 人员经费 | 公用经费 |
        # 项目支出, pp. 16-18, header not repeated, blank cells
        37,  # 8 code rows on p16, 17 on p17, 12 on p18
        {
            # p16 合计 37,891.58 | 12,899.62 11,105.08 1,794.53 | 24,991.96
            None: (wan("37,891.58"), wan("12,899.62"), wan("24,991.96")),
            # p16 2013301 行政运行 3,432.02 | 3,432.02 2,530.78 901.23 | (blank)
            "2013301": (wan("3,432.02"), wan("3,432.02"), Decimal(0)),
            # p17 2070205 博物馆 9,264.91 | 5,613.45 4,810.73 802.71 | 3,651.46
            "2070205": (wan("9,264.91"), wan("5,613.45"), wan("3,651.46")),
            # p18 2080808 褒扬纪念 40.00 | (blank) | 40.00
            "2080808": (wan("40.00"), Decimal(0), wan("40.00")),
            "2210201": (wan("661.86"), wan("661.86"), Decimal(0)),  # p18 2210201 住房公积金
        },
        (wan("11,105.08"), wan("1,794.53")),  # p16 合计 人员经费, 公用经费
    ),
]


def _table(printed: Function) -> tuple[dict[str, object], list[dict[str, object]]]:
    extracted = extract_once(NATIONAL / printed.file)
    [table] = [t for t in extracted.tables if t["family"] == NAME and t["page"] == printed.page]
    rows = [r for r in extracted.frames[NAME] if r["table_index"] == table["index"]]
    return table, rows


@pytest.mark.parametrize("printed", TABLES, ids=lambda t: t.file.removesuffix(".pdf"))
def test_function_table_reads_as_printed(printed: Function) -> None:
    # GIVEN a real 一般公共预算支出 table by function code of a city's print
    extracted = extract_once(NATIONAL / printed.file)
    table, rows = _table(printed)
    # THEN it is the general public budget's, every row is read and nothing is left unread
    assert {r["budget_scope"] for r in rows} == {"general_public_budget"}
    assert not [p for p in extracted.problems if p.table_index == table["index"]]
    assert len([r for r in rows if r["row_kind"] == "code"]) == printed.code_rows
    assert [r["row_kind"] for r in rows].count("total") == 1
    # AND every figure read by hand is staged, exactly (a code's first row, where 北京
    # prints one per unit)
    staged: dict[object, dict[str, object]] = {}
    for row in rows:
        staged.setdefault(row["function_code"], row)
    for code, (total, basic, project) in printed.amounts.items():
        row = staged[code]
        assert (row["total_yuan"], row["basic_yuan"], row["project_yuan"]) == (
            total,
            basic,
            project,
        ), code
    if printed.split is not None:
        total_row = staged[None]
        assert (total_row["personnel_yuan"], total_row["public_yuan"]) == printed.split
    # AND the table is consistent as gate 1 judges it: no identity fails
    identities, errors = function_identities("doc", pd.DataFrame.from_records(rows))
    assert not errors
    assert identities
    assert [i["detail"] for i in identities if i["excess"] > 0] == []


def test_a_unit_row_over_the_codes_is_the_total_of_a_table_without_one() -> None:
    # GIVEN 深圳's table: a 预算单位 column whose one row names the unit, no 合计 row
    _, rows = _table(TABLES[0])
    # THEN that row is the total, and every other row a code row under it
    assert rows[0]["row_kind"] == "total" and rows[0]["name"] == "合计"
    assert {r["row_kind"] for r in rows[1:]} == {"code"}
    # AND its code rows keep their printed names (p28 2080505 机关事业单位基本养老保险缴费支出)
    assert {r["function_code"]: r["name"] for r in rows}[
        "2080505"
    ] == "机关事业单位基本养老保险缴费支出"


def test_codes_printed_in_the_name_cell_are_split_from_the_name() -> None:
    # GIVEN 广州's [20105]统计信息事务: one 功能科目名称 column printing code and name
    _, rows = _table(TABLES[1])
    names = {r["function_code"]: r["name"] for r in rows}
    # THEN the code is the bracketed digits and the name what follows them
    assert names["20105"] == "统计信息事务"  # p13 [20105]统计信息事务
    assert names["2080105"] == "劳动保障监察"  # p13 [2080105]劳动保障监察
    assert {r["code_level"] for r in rows if r["function_code"]} == {1, 2, 3}


def test_project_sub_columns_are_not_a_second_project_amount() -> None:
    # GIVEN 北京's 项目支出 > 项目支出总数 | 扣除基建项目后预算数
    _, rows = _table(TABLES[3])
    # THEN 项目支出 is 项目支出总数 on every row: total = basic + project (no row counts the
    # project twice), and the rows of one code printed for several units all stay
    # (p9 2010501 行政运行 5,193.319939, again 458.185708 for the next unit)
    for row in rows:
        assert row["total_yuan"] == row["basic_yuan"] + row["project_yuan"], row
    administration = [r["total_yuan"] for r in rows if r["function_code"] == "2010501"]
    assert administration[:2] == [wan("5,193.319939"), wan("458.185708")]


HANGZHOU = "2026年杭州市司法局部门预算.pdf"
HANGZHOU_TABLE = Function(HANGZHOU, 30, 39)  # 表5, names only: 39 names on p30-31
# Names 杭州 prints under 20406 司法, 20407 监狱 and 20408 强制隔离戒毒 that no budget read
# prints with a code: the codes a budget printing them would give, assumed for the test
# (not read; extract/reference/function_names.csv stays what budgets printed)
ASSUMED = {
    "20406": {"一般行政管理事务": "02", "律师管理": "06", "国家统一法律职业资格考试": "08"}
    | {"社区矫正": "10", "法治建设": "12"},
    "204": {"监狱": "07", "强制隔离戒毒": "08"},
    "20407": {"行政运行": "01", "一般行政管理事务": "02", "罪犯生活及医疗卫生": "04"}
    | {"监狱业务及罪犯改造": "05", "狱政设施建设": "06", "其他监狱支出": "99"},
    "20408": {"行政运行": "01", "一般行政管理事务": "02", "强制隔离戒毒人员生活": "04"}
    | {"强制隔离戒毒人员教育": "05", "所政设施建设": "06", "其他强制隔离戒毒支出": "99"},
}


def test_a_names_only_table_stages_the_classes_whose_names_are_all_known() -> None:
    # GIVEN 杭州's 表5 (p30-31): names only, no code anywhere in the budget, a 栏次 row
    _, rows = _table(HANGZHOU_TABLE)
    staged = {r["function_code"]: r for r in rows}
    # THEN each name the budgets read printed with a code (extract/reference/
    # function_names.csv) gets that code under the row above it: 其他一般公共服务支出 is
    # first the 款 20199 under 201, then the 项 2019999 under it
    printed = {
        None: (wan("91,842.80"), wan("70,724.29"), wan("21,118.51")),  # p30 合计 (21,118.5 1)
        "201": (wan("12,868.19"), Decimal(0), wan("12,868.19")),  # p30 一般公共服务支出
        "20139": (wan("0.19"), Decimal(0), wan("0.19")),  # p30 社会工作事务 0.19 | | 0.19
        "20199": (wan("12,868.00"), Decimal(0), wan("12,868.00")),  # p30 其他一般公共服务支出
        "2019999": (wan("12,868.00"), Decimal(0), wan("12,868.00")),  # p30 其他一般公共服务支出
        # p30 公共安全支出 69,081.15 | 60,830.83 48,594.69 12,236.14 | 8,250.32
        "204": (wan("69,081.15"), wan("60,830.83"), wan("8,250.32")),
        # p31 机关事业单位职业年金缴费支出 2,050.48 | 2,050.48 2,050.48 | (blank)
        "2080506": (wan("2,050.48"), wan("2,050.48"), Decimal(0)),
        "2101101": (wan("2,434.95"), wan("2,434.95"), Decimal(0)),  # p31 行政单位医疗
    }
    for code, amounts in printed.items():
        row = staged[code]
        assert (row["total_yuan"], row["basic_yuan"], row["project_yuan"]) == amounts, code
    assert staged["20139"]["name"] == "社会工作事务"
    # p30 合计 人员经费 58,486.35, 日常公用支出 12,237.94
    assert (staged[None]["personnel_yuan"], staged[None]["public_yuan"]) == (
        wan("58,486.35"),
        wan("12,237.94"),
    )
    # AND a 类 under which a name was printed with no code in the budgets read (公共安全支出:
    # 一般行政管理事务 under 司法, 律师管理, 监狱 …) is staged alone, its 款 and 项 not at all
    # (no identity fails for rows left out): 14 code rows of the 39 printed
    assert not [c for c in staged if c and c.startswith("204") and c != "204"]
    assert len([r for r in rows if r["row_kind"] == "code"]) == 14
    identities, errors = function_identities("doc", pd.DataFrame.from_records(rows))
    assert not errors
    assert [i["detail"] for i in identities if i["excess"] > 0] == []


def test_a_names_only_table_reads_once_its_names_are_known(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GIVEN 杭州's 表5 and the names of ASSUMED known, as once a budget printing them is read
    known = dict(coded_rows.function_names())
    for parent, names in ASSUMED.items():
        for name, digits in names.items():
            known[(parent, name_key(name))] = frozenset({parent + digits})
    monkeypatch.setattr(coded_rows, "function_names", lambda: known)
    path = NATIONAL / HANGZHOU
    extracted = extract_document(path, document_id="hangzhou", source_uri=str(path))
    [table] = [t for t in extracted.tables if t["family"] == NAME and t["page"] == 30]
    rows = [r for r in extracted.frames[NAME] if r["table_index"] == table["index"]]
    assert not [p for p in extracted.problems if p.table_index == table["index"]]
    # THEN every printed row is staged (39 names on p30-31, and 合计) under its code
    assert [r["row_kind"] for r in rows].count("code") == 39
    staged = {r["function_code"]: r for r in rows}
    printed = {
        # p30 司法 11,254.99 | 8,553.80 7,000.77 1,553.03 | 2,701.19
        "20406": (wan("11,254.99"), wan("8,553.80"), wan("2,701.19")),
        "2040604": (wan("200.80"), Decimal(0), wan("200.80")),  # p30 基层司法业务 200.80 200.80
        # p30 强制隔离戒毒 4,119.77 | 3,901.76 3,004.08 897.68 | 218.01
        "20408": (wan("4,119.77"), wan("3,901.76"), wan("218.01")),
        "2019999": (wan("12,868.00"), Decimal(0), wan("12,868.00")),  # p30 其他一般公共服务支出
    }
    for code, amounts in printed.items():
        row = staged[code]
        assert (row["total_yuan"], row["basic_yuan"], row["project_yuan"]) == amounts, code
    # AND the table is consistent as gate 1 judges it
    identities, errors = function_identities("doc", pd.DataFrame.from_records(rows))
    assert not errors
    assert [i["detail"] for i in identities if i["excess"] > 0] == []


def test_xian_tables_known_and_not_read_name_their_reason() -> None:
    # GIVEN 西安's print: p21 报表目录 (报表 | 报表名称 | 是否空表 | 表格为空的理由), p29 表7
    # 部门综合预算一般公共预算基本支出明细表（按支出功能分类科目） (合计 33,544,216.08 |
    # 31,558,364.40 | 1,985,851.68: the 人员经费支出 and 公用经费支出 of 表5 on p26, whose
    # 合计 row prints 40,052,896.08 | 31,558,364.40 | 1,985,851.68 | 6,508,680.00), and p9
    # the 预算单位构成 in the prose (序号 | 单位名称 | 拟变动情况: 1 西安市审计局本级（机关）)
    extracted = extract_once(NATIONAL / "2026年西安市审计局部门预算.pdf")
    outcomes = {
        t["page_number"]: (t["outcome"], t["reason"])
        for t in extracted.frames["tables"]
        if t["family"] is None
    }
    # THEN each is recorded as known and not read, by its reason; none is unrecognised
    assert outcomes[21] == ("unmodelled", "contents")
    assert outcomes[29] == ("unmodelled", "restated")
    assert outcomes[9] == ("unmodelled", "unit_list")
    assert "unrecognised" not in {o for o, _ in outcomes.values()}
    # AND what p29 restates is read from p26: 人员经费 and 公用经费 of the 合计, in yuan
    [total] = [
        r
        for r in extracted.frames["function_expenditure"]
        if r["page_number"] == 26 and r["row_kind"] == "total"
    ]
    assert (total["personnel_yuan"], total["public_yuan"], total["project_yuan"]) == (
        Decimal("31558364.40"),
        Decimal("1985851.68"),
        Decimal("6508680.00"),
    )
