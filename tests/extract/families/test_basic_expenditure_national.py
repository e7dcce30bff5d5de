"""The economic tables as the cities of the national template print them (issue 16):
generated PDFs, each the layout of one city's print, read by the family and judged by
gate 1's identities. Every layout is a family's, not a file's: the rows are made up.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd

from expectations.identities import basic_identities
from extract.families import basic_expenditure
from extract.families.base import Context, Record
from extract.pdf import read_pages
from extract.tables import stitch
from tests.pdfgen import Grid, Line, Title, render

WAN = Decimal(10000)


def _extract(tmp_path: Path, title: str, grid: Grid, unit: str = "万元") -> tuple[
    list[Record], Context
]:  # fmt: skip
    path = render(tmp_path / "t.pdf", [Title(title), Line(f"部门名称：测试局 单位：{unit}"), grid])
    context = Context("test", None, unit)
    records: list[Record] = []
    for table in stitch(read_pages(path)):
        if basic_expenditure.matches(table):
            records += basic_expenditure.parse(table, context)[basic_expenditure.NAME]
    return records, context


def _failed(records: list[Record]) -> list[str]:
    """The gate-1 identities (d)-(f) the rows fail, by check and code."""
    identities, errors = basic_identities("doc", pd.DataFrame.from_records(records))
    assert not errors
    return [f"{i['check']} {i['code']}" for i in identities if i["excess"] > 0]


def _codes(records: list[Record]) -> list[tuple[object, ...]]:
    return [(r["row_kind"], r["economic_code"], r["gov_economic_code"], r["amount_yuan"])
            for r in records]  # fmt: skip


def test_column_numbers_row_and_total_in_the_name_column(tmp_path: Path) -> None:
    # GIVEN 湖州's print: 科目编码 | 科目名称 under 经济分类科目, a 栏次 row ** | ** | 1 | 2 | 3
    # under the header, and the 合计 label in the name column, its code cell blank
    rows = [
        ["经济分类科目", "", "本年一般公共预算基本支出", "", ""],
        ["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
        ["**", "**", "1", "2", "3"],
        ["", "合计", "15.00", "12.00", "3.00"],
        ["301", "工资福利支出", "12.00", "12.00", ""],
        ["30101", "基本工资", "12.00", "12.00", ""],
        ["302", "商品和服务支出", "3.00", "", "3.00"],
        ["30201", "办公费", "3.00", "", "3.00"],
    ]
    grid = Grid(rows, spans=[(0, 0, 1, 0), (2, 0, 4, 0)])
    records, context = _extract(tmp_path, "2026年市级部门一般公共预算基本支出表", grid)
    # THEN the 栏次 row is no label, 合计 is the total row, every code row is read
    assert not context.problems
    assert _codes(records) == [
        ("total", None, None, 15 * WAN),
        ("code", "301", None, 12 * WAN),
        ("code", "30101", None, 12 * WAN),
        ("code", "302", None, 3 * WAN),
        ("code", "30201", None, 3 * WAN),
    ]
    assert records[1]["personnel_yuan"] == 12 * WAN and records[3]["public_yuan"] == 3 * WAN
    # AND no column is unknown to the vocabulary (the ** and 1 2 3 are not labels)
    assert not context.unknown_columns
    assert _failed(records) == []


def test_seven_digit_items_under_their_kuan(tmp_path: Path) -> None:
    # GIVEN 重庆's print: 7-digit 项 rows (3010201 规范性津补贴) under their 款 row
    rows = [
        ["经济分类科目", "", "基本支出", "", ""],
        ["科目编码", "科目名称", "总计", "人员经费", "公用经费"],
        ["合计", "合计", "10.00", "10.00", ""],
        ["301", "工资福利支出", "10.00", "10.00", ""],
        ["30102", "津贴补贴", "6.00", "6.00", ""],
        ["3010201", "规范性津补贴", "5.00", "5.00", ""],
        ["3010202", "其他津补贴", "1.00", "1.00", ""],
        ["30103", "奖金", "4.00", "4.00", ""],
    ]
    grid = Grid(rows, spans=[(0, 0, 1, 0), (2, 0, 4, 0)])
    records, context = _extract(tmp_path, "2026年一般公共预算基本支出情况表", grid)
    # THEN the 项 rows are staged as printed, below their 款
    assert not context.problems
    assert [(r["economic_code"], r["economic_name"]) for r in records[1:]] == [
        ("301", "工资福利支出"),
        ("30102", "津贴补贴"),
        ("3010201", "规范性津补贴"),
        ("3010202", "其他津补贴"),
        ("30103", "奖金"),
    ]
    # AND gate 1 holds 类 = Σ 款 and 款 = Σ 项, and the total counts the 类 only
    assert _failed(records) == []
    # WHEN a 项 is misprinted, the 款 over it no longer sums: gate 1 names the 款
    records[3]["amount_yuan"] = records[3]["personnel_yuan"] = 4 * WAN
    assert _failed(records) == [
        "basic_amount_equals_sum_of_children 30102",
        "basic_personnel_equals_sum_of_children 30102",
    ]


def test_blank_amount_cells_are_zero(tmp_path: Path) -> None:
    # GIVEN 福州's print: one 预算数 column, code rows whose amount cell is blank (the 0)
    rows = [
        ["科目编码", "科目名称", "预算数"],
        ["合计", "合计", "8.00"],
        ["301", "工资福利支出", "8.00"],
        ["30101", "基本工资", "8.00"],
        ["30106", "伙食补助费", ""],
        ["307", "债务利息及费用支出", ""],
    ]
    records, context = _extract(tmp_path, "2026年度一般公共预算基本支出经济分类情况表", Grid(rows))
    # THEN the blank rows are code rows of amount 0, not rows without an amount
    assert not context.problems
    assert _codes(records) == [
        ("total", None, None, 8 * WAN),
        ("code", "301", None, 8 * WAN),
        ("code", "30101", None, 8 * WAN),
        ("code", "30106", None, 0),
        ("code", "307", None, 0),
    ]
    assert _failed(records) == []


def test_two_classifications_in_class_and_kuan_columns(tmp_path: Path) -> None:
    # GIVEN 烟台's print: 类 | 款 columns (partial codes 01) for the 部门 classification
    # and again for the 政府 one, told apart only by the name column beside them; 301 is
    # printed once under 501 and again under 505, each with its own 款 rows
    rows = [
        ["科目编码", "", "部门预算支出经济分类科目名称",
         "科目编码", "", "政府预算支出经济分类科目名称", "基本支出预算", "", ""],
        ["类", "款", "", "类", "款", "", "小计", "人员支出", "日常公用支出"],
        ["", "", "合计", "", "", "", "14.00", "12.00", "2.00"],
        ["301", "", "工资福利支出", "501", "", "机关工资福利支出", "9.00", "9.00", ""],
        ["301", "01", "基本工资", "501", "01", "工资奖金津补贴", "6.00", "6.00", ""],
        ["301", "13", "住房公积金", "501", "03", "住房公积金", "3.00", "3.00", ""],
        ["301", "", "工资福利支出", "505", "", "对事业单位经常性补助", "3.00", "3.00", ""],
        ["301", "01", "基本工资", "505", "01", "工资福利支出", "3.00", "3.00", ""],
        ["302", "", "商品和服务支出", "502", "", "机关商品和服务支出", "2.00", "", "2.00"],
        ["302", "01", "办公费", "502", "01", "办公经费", "2.00", "", "2.00"],
    ]  # fmt: skip
    spans = [(0, 0, 1, 0), (2, 0, 2, 1), (3, 0, 4, 0), (5, 0, 5, 1), (6, 0, 8, 0)]
    records, context = _extract(tmp_path, "一般公共预算基本支出情况表", Grid(rows, spans=spans))
    # THEN both codes are read from their 类 and 款 columns
    assert not context.problems
    assert _codes(records) == [
        ("total", None, None, 14 * WAN),
        ("code", "301", "501", 9 * WAN),
        ("code", "30101", "50101", 6 * WAN),
        ("code", "30113", "50103", 3 * WAN),
        ("code", "301", "505", 3 * WAN),
        ("code", "30101", "50501", 3 * WAN),
        ("code", "302", "502", 2 * WAN),
        ("code", "30201", "50201", 2 * WAN),
    ]
    # AND 人员支出 / 日常公用支出 are the personnel and public columns
    assert (records[0]["personnel_yuan"], records[0]["public_yuan"]) == (12 * WAN, 2 * WAN)
    # AND each 301 is the sum of the 款 printed under both its codes, the total of the 类
    assert _failed(records) == []


def test_code_name_cells_government_first_and_items_without_kuan(tmp_path: Path) -> None:
    # GIVEN 北京's print: 政府 | 部门 classification cells "50201-办公经费" | "3021101-差旅费",
    # no 类 rows, a 7-digit 项 whose 款 is not printed, the code 30101 under two 政府
    # codes, six decimals, 合计 last with its label in the second column
    rows = [
        ["政府支出经济分类科目", "部门支出经济分类科目", "预算数", "", ""],
        ["", "", "合计", "人员经费", "公用经费"],
        ["50101-工资奖金津补贴", "30101-基本工资", "3.500000", "3.500000", ""],
        ["50201-办公经费", "3021101-差旅费", "1.250000", "", "1.250000"],
        ["50201-办公经费", "30201－办公费", "0.250000", "", "0.250000"],
        ["50501-工资福利支出", "30101-基本工资", "1.000000", "1.000000", ""],
        ["", "合计", "6.000000", "4.500000", "1.500000"],
    ]
    grid = Grid(rows, spans=[(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 4, 0)])
    records, context = _extract(tmp_path, "预算06表一般公共预算基本支出表", grid)
    # THEN code and name are split on both sides, whatever the dash
    assert not context.problems
    got = [(r["row_kind"], r["economic_code"], r["economic_name"], r["gov_economic_code"],
            r["gov_economic_name"], r["amount_yuan"]) for r in records]  # fmt: skip
    assert got == [
        ("code", "30101", "基本工资", "50101", "工资奖金津补贴", Decimal("35000")),
        ("code", "3021101", "差旅费", "50201", "办公经费", Decimal("12500")),
        ("code", "30201", "办公费", "50201", "办公经费", Decimal("2500")),
        ("code", "30101", "基本工资", "50501", "工资福利支出", Decimal("10000")),
        ("total", None, "合计", None, None, Decimal("60000")),
    ]
    assert records[0]["decimals"] == 6
    # AND the 项 without its 款 counts in the total, as the 款 rows do
    assert _failed(records) == []


def test_names_only_get_the_code_printed_with_them_under_their_parent(tmp_path: Path) -> None:
    # GIVEN 杭州's print: names only, no code column (a 栏次 row ** | 1 | 2 | 3 under it)
    rows = [
        ["经济分类科目名称", "本年一般公共预算基本支出", "", ""],
        ["", "合计", "人员经费", "日常公用支出"],
        ["**", "1", "2", "3"],
        ["合计", "5.00", "4.00", "1.00"],
        ["工资福利支出", "4.00", "4.00", ""],
        ["基本工资", "4.00", "4.00", ""],
        ["商品和服务支出", "1.00", "", "1.00"],
        ["维修（护）费", "0.60", "", "0.60"],
        ["虚构的费用", "0.40", "", "0.40"],
    ]
    grid = Grid(rows, spans=[(0, 0, 0, 1), (1, 0, 3, 0)])
    records, context = _extract(tmp_path, "表6：2026年市级部门一般公共预算基本支出预算表", grid)
    # THEN a 类 name gets its 类 code, a 款 name the code printed with it under that 类 in
    # the budgets read (extract/reference/economic_names.csv), brackets of either width
    assert _codes(records) == [
        ("total", None, None, 5 * WAN),
        ("code", "301", None, 4 * WAN),
        ("code", "30101", None, 4 * WAN),
        ("code", "302", None, WAN),
        ("code", "30213", None, Decimal("6000")),
    ]
    assert records[0]["public_yuan"] == WAN  # 日常公用支出 is the public column
    # AND a name never printed with a code is not guessed: the row is reported, not dropped
    assert [p.check for p in context.problems] == ["economic_code_parses"]
    assert "虚构的费用" in context.problems[0].detail


def test_bracketed_codes_fused_with_names_under_a_bare_budget_column(tmp_path: Path) -> None:
    # GIVEN 广州's print: one 部门预算支出经济科目 column of "[30101]基本工资", one 预算 column
    rows = [
        ["部门预算支出经济科目", "预算"],
        ["合计", "7.00"],
        ["[301]工资福利支出", "7.00"],
        ["[30101]基本工资", "4.00"],
        ["[30102]津贴补贴", "3.00"],
    ]
    title = "一般公共预算基本支出情况表（按经济分类科目）"
    records, context = _extract(tmp_path, title, Grid(rows))
    # THEN the table is the family's, and the codes come out of their brackets
    assert not context.problems
    assert [(r["economic_code"], r["economic_name"], r["amount_yuan"]) for r in records] == [
        (None, "合计", 7 * WAN),
        ("301", "工资福利支出", 7 * WAN),
        ("30101", "基本工资", 4 * WAN),
        ("30102", "津贴补贴", 3 * WAN),
    ]
    assert _failed(records) == []


def test_one_unit_row_is_the_total(tmp_path: Path) -> None:
    # GIVEN 深圳's print: 预算单位 | 科目编码 | 科目名称 | 支出总计 | 基本支出 | 项目支出, no 合计
    # row but the one unit's row over the codes
    rows = [
        ["预算单位", "科目编码", "科目名称", "支出总计", "基本支出", "项目支出"],
        ["测试局（本级）", "", "", "9.00", "6.00", "3.00"],
        ["", "301", "工资福利支出", "6.00", "6.00", "0.00"],
        ["", "30101", "基本工资", "6.00", "6.00", "0.00"],
        ["", "302", "商品和服务支出", "3.00", "0.00", "3.00"],
        ["", "30201", "办公费", "3.00", "0.00", "3.00"],
    ]
    records, context = _extract(tmp_path, "一般公共预算支出表（按经济分类）", Grid(rows))
    # THEN the unit's row is the table's total, 支出总计 its amount column
    assert not context.problems
    assert _codes(records)[0] == ("total", None, None, 9 * WAN)
    assert [r["economic_code"] for r in records[1:]] == ["301", "30101", "302", "30201"]
    assert _failed(records) == []


def test_several_unit_rows_are_units(tmp_path: Path) -> None:
    # GIVEN the same print for two units: the codes of each unit below its row
    rows = [
        ["预算单位", "科目编码", "科目名称", "支出总计"],
        ["测试局（本级）", "", "", "6.00"],
        ["", "301", "工资福利支出", "6.00"],
        ["测试中心", "", "", "3.00"],
        ["", "301", "工资福利支出", "3.00"],
    ]
    records, context = _extract(tmp_path, "一般公共预算支出表（按经济分类）", Grid(rows))
    # THEN the unit rows are units, not totals, each code row carrying its unit, and each
    # unit sums its 类 (gate 1)
    assert not context.problems
    assert [(r["row_kind"], r["economic_code"], r["unit_name"]) for r in records] == [
        ("unit", None, "测试局（本级）"),
        ("code", "301", "测试局（本级）"),
        ("unit", None, "测试中心"),
        ("code", "301", "测试中心"),
    ]
    assert _failed(records) == []


def test_total_with_a_project_column_reads_the_basic_part(tmp_path: Path) -> None:
    # GIVEN 西安's print: 合计 | 人员经费支出 | 公用经费支出 | 专项业务经费支出, the 合计
    # adding the project spending to the basic
    rows = [
        ["部门经济科目编码", "部门经济科目名称", "合计",
         "人员经费支出", "公用经费支出", "专项业务经费支出"],
        ["合计", "合计", "10.00", "6.00", "1.00", "3.00"],
        ["301", "工资福利支出", "6.00", "6.00", "", ""],
        ["30101", "基本工资", "6.00", "6.00", "", ""],
        ["302", "商品和服务支出", "4.00", "", "1.00", "3.00"],
        ["30201", "办公费", "4.00", "", "1.00", "3.00"],
    ]  # fmt: skip
    title = "一般公共预算支出明细表（按支出经济分类科目）"
    records, context = _extract(tmp_path, title, Grid(rows))
    # THEN a row's amount is its basic part, 人员经费 + 公用经费 (the family's is 基本支出)
    assert not context.problems
    assert [(r["economic_code"], r["amount_yuan"]) for r in records] == [
        (None, 7 * WAN),
        ("301", 6 * WAN),
        ("30101", 6 * WAN),
        ("302", WAN),
        ("30201", WAN),
    ]
    assert _failed(records) == []


FUND_HEAD = [
    ["支出项目类别", "总计", "财政拨款", "财政拨款", "单位资金"],
    ["支出项目类别", "总计", "小计", "一般公共预算拨款", "事业收入"],
]
FUND_SPANS = [(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 3, 0)]


def _units(records: list[Record]) -> list[tuple[object, ...]]:
    """(row_kind, economic_code, unit_name, amount in 万元) of every staged row."""
    return [
        (r["row_kind"], r["economic_code"], r["unit_name"], r["amount_yuan"] / WAN) for r in records
    ]


def test_names_only_under_one_unit_line_is_the_total(tmp_path: Path) -> None:
    # GIVEN 深圳's 基本支出总表: 支出项目类别 | 总计 | 财政拨款 … by fund source, no code and no
    # 合计; the unit's line, then 类 and 款 by name only
    rows = [
        *FUND_HEAD,
        ["测试局（本级）", "10.00", "10.00", "10.00", "0.00"],
        ["工资福利支出", "7.00", "7.00", "7.00", "0.00"],
        ["基本工资", "4.00", "4.00", "4.00", "0.00"],
        ["津贴补贴", "3.00", "3.00", "3.00", "0.00"],
        ["商品和服务支出", "3.00", "3.00", "3.00", "0.00"],
        ["办公费", "1.00", "1.00", "1.00", "0.00"],
        ["维修（护）费", "2.00", "2.00", "2.00", "0.00"],
    ]
    records, context = _extract(tmp_path, "基本支出总表", Grid(rows, spans=FUND_SPANS))
    # THEN the unit's line is the table's total (its name kept), every name gets the code
    # the reference prints it with under its parent, and gate 1's identities hold
    assert not context.problems
    assert _units(records) == [
        ("total", None, "测试局（本级）", 10),
        ("code", "301", None, 7),
        ("code", "30101", None, 4),
        ("code", "30102", None, 3),
        ("code", "302", None, 3),
        ("code", "30201", None, 1),
        ("code", "30213", None, 2),
    ]
    assert _failed(records) == []


def test_units_listed_with_their_classes_under_the_total(tmp_path: Path) -> None:
    # GIVEN 广州's 部门预算基本支出预算表: 支出项目类别（资金使用单位）, a 合计, then each unit's
    # line over its 类 by name
    head = [[label.replace("支出项目类别", "支出项目类别（资金使用单位）") for label in row]
            for row in FUND_HEAD]  # fmt: skip
    rows = [
        *head,
        ["合计", "9.00", "9.00", "9.00", "0.00"],
        ["测试局（本级）", "6.00", "6.00", "6.00", "0.00"],
        ["工资福利支出", "5.00", "5.00", "5.00", "0.00"],
        ["商品和服务支出", "1.00", "1.00", "1.00", "0.00"],
        ["测试中心", "3.00", "3.00", "3.00", "0.00"],
        ["工资福利支出", "2.00", "2.00", "2.00", "0.00"],
        ["对个人和家庭的补助", "1.00", "1.00", "1.00", "0.00"],
    ]
    records, context = _extract(tmp_path, "部门预算基本支出预算表", Grid(rows, spans=FUND_SPANS))
    # THEN the 合计 is the department's, each unit a unit row, each 类 its unit's
    assert not context.problems
    assert _units(records) == [
        ("total", None, None, 9),
        ("unit", None, "测试局（本级）", 6),
        ("code", "301", "测试局（本级）", 5),
        ("code", "302", "测试局（本级）", 1),
        ("unit", None, "测试中心", 3),
        ("code", "301", "测试中心", 2),
        ("code", "303", "测试中心", 1),
    ]
    assert _failed(records) == []
    # AND a unit that does not sum its classes fails its identity, not the table's reading
    records[2]["amount_yuan"] = 4 * WAN
    assert _failed(records) == ["basic_unit_amount_equals_sum_of_rows None"]


def test_units_in_the_name_column_of_a_coded_table(tmp_path: Path) -> None:
    # GIVEN a neighbouring print: 科目编码 | 科目名称 | 合计, the units named in the name
    # column with no code, the department's own line restating the 合计 over them
    rows = [
        ["科目编码", "科目名称", "合计"],
        ["", "合计", "9.00"],
        ["", "测试局", "9.00"],
        ["", "测试局（本级）", "6.00"],
        ["301", "工资福利支出", "6.00"],
        ["30101", "基本工资", "6.00"],
        ["", "测试中心", "3.00"],
        ["302", "商品和服务支出", "3.00"],
        ["30201", "办公费", "3.00"],
    ]
    records, context = _extract(tmp_path, "一般公共预算基本支出表", Grid(rows))
    # THEN the department's line is not staged again (it restates the 合计), the units are
    # units with their codes, and the identities hold
    assert not context.problems
    assert _units(records) == [
        ("total", None, None, 9),
        ("unit", None, "测试局（本级）", 6),
        ("code", "301", "测试局（本级）", 6),
        ("code", "30101", "测试局（本级）", 6),
        ("unit", None, "测试中心", 3),
        ("code", "302", "测试中心", 3),
        ("code", "30201", "测试中心", 3),
    ]
    assert _failed(records) == []


def test_a_name_the_reference_does_not_tell_is_reported_not_a_unit(tmp_path: Path) -> None:
    # GIVEN names only under a unit's line, one 款 printed with a name no budget read
    # printed a code with (the reference does not tell its code)
    rows = [
        *FUND_HEAD,
        ["测试局（本级）", "4.00", "4.00", "4.00", "0.00"],
        ["商品和服务支出", "3.00", "3.00", "3.00", "0.00"],
        ["某种新费用", "3.00", "3.00", "3.00", "0.00"],
        ["对个人和家庭的补助", "1.00", "1.00", "1.00", "0.00"],
        ["退休费", "1.00", "1.00", "1.00", "0.00"],
    ]
    records, context = _extract(tmp_path, "基本支出总表", Grid(rows, spans=FUND_SPANS))
    # THEN the name is reported (gate 1 holds the table), never guessed nor read as a unit
    assert [p.check for p in context.problems] == ["economic_code_parses"]
    assert "某种新费用" in context.problems[0].detail
    assert [r["economic_code"] for r in records] == [None, "302", "303", "30302"]
