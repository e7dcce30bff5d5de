"""Tables printed without a title (none at all, an image, or only 附表3 / 公开03表) are
recognised by their header cells, conservatively; a table of unrelated content is not.

Each test renders a real PDF (tests/pdfgen.py) without a Title block and extracts it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extract.document import Extracted, extract_document
from extract.errors import DocumentRejected
from tests.pdfgen import Grid, Line, PageBreak, render

WAN = Decimal(10000)


def _extract(path: Path, blocks: list[object]) -> Extracted:
    pdf = render(path / "untitled.pdf", blocks)
    return extract_document(pdf, document_id="d", source_uri=str(pdf))


def _families(got: Extracted) -> list[tuple[str | None, str | None]]:
    """(title, family) of every table found, in page order."""
    return [(t["table_title"], t["family"]) for t in got.frames["tables"]]


def _wan(text: str) -> Decimal:
    return Decimal(text) * WAN


# ----------------------------------------------------------------- 部门支出 / 一般公共预算支出

FUNCTION_HEAD = [
    ["科目编码", "科目名称", "合计", "基本支出", "", "", "项目支出"],
    ["", "", "", "小计", "人员经费", "公用经费", ""],
]
FUNCTION_SPANS = [(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 2, 1), (3, 0, 5, 0), (6, 0, 6, 1)]


def _function_grid(scale: int = 1) -> Grid:
    def row(code: str, name: str, total: int, personnel: int, public: int) -> list[str]:
        amounts = [total, personnel + public, personnel, public, total - personnel - public]
        return [code, name, *(f"{a * scale:.2f}" for a in amounts)]

    body = [
        row("", "合计", 300, 150, 50),
        row("201", "一般公共服务支出", 300, 150, 50),
        row("20101", "人大事务", 300, 150, 50),
        row("2010101", "行政运行", 200, 150, 50),
        row("2010102", "一般行政管理事务", 100, 0, 0),
    ]
    return Grid(FUNCTION_HEAD + body, spans=FUNCTION_SPANS)


def _function_rows(got: Extracted) -> list[tuple[str, str, str | None, Decimal | None]]:
    return [
        (r["budget_scope"], r["row_kind"], r["function_code"], r["total_yuan"])
        for r in got.frames["function_expenditure"]
    ]


def test_untitled_function_table_is_all_funds(tmp_path: Path) -> None:
    # GIVEN a function-code table printed with no title line at all
    got = _extract(tmp_path, [Line("单位：万元"), _function_grid()])
    # THEN it is read by its header, as the document's 部门支出总体情况表 (all funds)
    assert _families(got) == [(None, "function_expenditure")]
    assert _function_rows(got) == [
        ("all_funds", "total", None, _wan("300")),
        ("all_funds", "code", "201", _wan("300")),
        ("all_funds", "code", "20101", _wan("300")),
        ("all_funds", "code", "2010101", _wan("200")),
        ("all_funds", "code", "2010102", _wan("100")),
    ]
    (row,) = [r for r in got.frames["function_expenditure"] if r["function_code"] == "2010101"]
    assert (row["basic_yuan"], row["personnel_yuan"], row["public_yuan"], row["project_yuan"]) == (
        _wan("200"),
        _wan("150"),
        _wan("50"),
        _wan("0"),
    )


def test_two_untitled_function_tables_follow_the_national_order(tmp_path: Path) -> None:
    # GIVEN seed 001's layout: 部门支出总体情况表 and 一般公共预算支出情况表 with identical
    # headers, each numbered only (附表3, 附表6), their titles missing
    got = _extract(
        tmp_path,
        [
            Line("附表3"),
            Line("单位：万元"),
            _function_grid(),
            PageBreak(),
            Line("附表6"),
            Line("单位：万元"),
            _function_grid(scale=2),
        ],
    )
    # THEN they are two tables: the first all_funds, the second general_public_budget
    assert _families(got) == [(None, "function_expenditure"), (None, "function_expenditure")]
    rows = _function_rows(got)
    assert [r for r in rows if r[1] == "total"] == [
        ("all_funds", "total", None, _wan("300")),
        ("general_public_budget", "total", None, _wan("600")),
    ]
    assert [r[0] for r in rows] == ["all_funds"] * 5 + ["general_public_budget"] * 5


def test_third_untitled_function_table_is_not_guessed(tmp_path: Path) -> None:
    # GIVEN three untitled function tables with the same header (the third could be the
    # 政府性基金 table, whose title the family refuses)
    blocks: list[object] = []
    for number in ("附表3", "附表6", "附表9"):
        blocks += [Line(number), _function_grid(), PageBreak()]
    got = _extract(tmp_path, blocks[:-1])
    # THEN the first two are read, the third is left unread
    assert [family for _, family in _families(got)] == [
        "function_expenditure",
        "function_expenditure",
        None,
    ]
    assert {r["page_number"] for r in got.frames["function_expenditure"]} == {1, 2}


def test_untitled_function_header_naming_the_budget_sets_the_scope(tmp_path: Path) -> None:
    # GIVEN an untitled function table whose header names 一般公共预算
    head = [
        ["科目编码", "科目名称", "一般公共预算支出", "", "", "", ""],
        ["", "", "合计", "基本支出", "", "", "项目支出"],
        ["", "", "", "小计", "人员经费", "公用经费", ""],
    ]
    spans = [(0, 0, 0, 2), (1, 0, 1, 2), (2, 0, 6, 0), (2, 1, 2, 2), (3, 1, 5, 1), (6, 1, 6, 2)]
    grid = _function_grid()
    got = _extract(tmp_path, [Grid(head + grid.rows[2:], spans=spans)])
    # THEN the header decides its scope, even as the document's first function table
    assert {r["budget_scope"] for r in got.frames["function_expenditure"]} == {
        "general_public_budget"
    }


# ------------------------------------------------------------------ 一般公共预算基本支出表


def test_untitled_economic_table_is_basic_expenditure(tmp_path: Path) -> None:
    # GIVEN an economic-code table numbered only 公开07表
    rows = [
        ["经济分类科目编码", "经济分类科目名称", "合计", "人员经费", "公用经费"],
        ["", "合计", "200.00", "150.00", "50.00"],
        ["301", "工资福利支出", "150.00", "150.00", ""],
        ["30101", "基本工资", "150.00", "150.00", ""],
        ["302", "商品和服务支出", "50.00", "", "50.00"],
        ["30201", "办公费", "50.00", "", "50.00"],
    ]
    got = _extract(tmp_path, [Line("公开07表"), Line("单位：万元"), Grid(rows)])
    # THEN it is read as basic expenditure by economic code
    assert _families(got) == [(None, "basic_expenditure")]
    assert [
        (r["row_kind"], r["economic_code"], r["amount_yuan"], r["kind"])
        for r in got.frames["basic_expenditure"]
    ] == [
        ("total", None, _wan("200"), None),
        ("code", "301", _wan("150"), "personnel"),
        ("code", "30101", _wan("150"), "personnel"),
        ("code", "302", _wan("50"), "public"),
        ("code", "30201", _wan("50"), "public"),
    ]


# --------------------------------------------------------------------------------- 三公


def test_untitled_three_public_table(tmp_path: Path) -> None:
    # GIVEN a 三公 table with categories across its header and no title
    rows = [
        ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
        ["", "", "小计", "购置费", "运行费", ""],
        ["12.00", "2.00", "7.00", "5.00", "2.00", "3.00"],
    ]
    spans = [(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 4, 0), (5, 0, 5, 1)]
    got = _extract(tmp_path, [Line("附表8"), Line("单位：万元"), Grid(rows, spans=spans)])
    # THEN every category is staged from the table
    assert _families(got) == [(None, "three_public")]
    assert {r["category"]: r["amount_yuan"] for r in got.frames["three_public"]} == {
        "total": _wan("12"),
        "overseas_travel": _wan("2"),
        "vehicle_total": _wan("7"),
        "vehicle_purchase": _wan("5"),
        "vehicle_operation": _wan("2"),
        "reception": _wan("3"),
    }


# ----------------------------------------------------------------------------- 收支总表

SUMMARY_ROWS = [
    ["收入", "", "支出", ""],
    ["项目", "金额", "项目", "金额"],
    ["一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "60.00"],
    ["二、事业收入", "40.00", "二、教育支出", "80.00"],
    ["收入总计", "140.00", "支出总计", "140.00"],
]
SUMMARY_SPANS = [(0, 0, 1, 0), (2, 0, 3, 0)]


def test_untitled_summary_tables_all_funds_then_fiscal_grants(tmp_path: Path) -> None:
    # GIVEN two untitled 收支总表 (收入 and 支出 halves), numbered only
    grid = Grid(SUMMARY_ROWS, spans=SUMMARY_SPANS)
    got = _extract(
        tmp_path,
        [Line("附表1"), grid, PageBreak(), Line("附表5"), grid],
    )
    # THEN both are read, in the national template's order
    assert _families(got) == [(None, "budget_summary"), (None, "budget_summary")]
    lines = got.frames["budget_summary"]
    assert [r["table_kind"] for r in lines] == ["all_funds"] * 6 + ["fiscal_grants"] * 6
    first = [(r["side"], r["line_kind"], r["class_code"], r["amount_yuan"]) for r in lines[:6]]
    assert first == [
        ("income", "item", None, _wan("100")),
        ("income", "item", None, _wan("40")),
        ("income", "total", None, _wan("140")),
        ("expenditure", "item", "201", _wan("60")),
        ("expenditure", "item", "205", _wan("80")),
        ("expenditure", "total", None, _wan("140")),
    ]


# ----------------------------------------------------------------------------- 收入总表


def test_untitled_income_table_by_source(tmp_path: Path) -> None:
    # GIVEN an income table by source with a code column, untitled
    rows = [
        ["科目编码", "科目名称", "合计", "财政拨款收入", "事业收入", "上年结转"],
        ["", "合计", "150.00", "100.00", "30.00", "20.00"],
        ["201", "一般公共服务支出", "150.00", "100.00", "30.00", "20.00"],
    ]
    got = _extract(tmp_path, [Line("单位：万元"), Grid(rows)])
    # THEN each printed source cell is staged
    assert _families(got) == [(None, "income_sources")]
    assert [
        (r["row_kind"], r["function_code"], r["income_source"], r["amount_yuan"])
        for r in got.frames["income_sources"]
    ] == [
        ("total", None, "total", _wan("150")),
        ("total", None, "fiscal_grant", _wan("100")),
        ("total", None, "business", _wan("30")),
        ("total", None, "carryover", _wan("20")),
        ("code", "201", "total", _wan("150")),
        ("code", "201", "fiscal_grant", _wan("100")),
        ("code", "201", "business", _wan("30")),
        ("code", "201", "carryover", _wan("20")),
    ]


# ----------------------------------------------------------------------------- 项目支出表


def test_untitled_project_table(tmp_path: Path) -> None:
    # GIVEN a project table by fund source, untitled
    rows = [
        ["项目名称", "合计", "本年拨款", "财政专户管理资金", "单位资金"],
        ["合计", "80.00", "60.00", "", "20.00"],
        ["信息化运维", "50.00", "50.00", "", ""],
        ["办公楼维修", "30.00", "10.00", "", "20.00"],
    ]
    got = _extract(tmp_path, [Line("附表9"), Line("单位：万元"), Grid(rows)])
    # THEN each project is staged with its government and other funds
    assert _families(got) == [(None, "project_expenditure")]
    assert [
        (r["project_name"], r["amount_yuan"], r["government_funds_yuan"], r["other_funds_yuan"])
        for r in got.frames["projects"]
    ] == [
        ("信息化运维", _wan("50"), _wan("50"), _wan("0")),
        ("办公楼维修", _wan("30"), _wan("10"), _wan("20")),
    ]


# ------------------------------------------------------------------------------ negative

STAFF = [
    ["序号", "姓名", "职务", "合计"],
    ["1", "张三", "科长", "12.00"],
    ["2", "李四", "科员", "8.00"],
    ["", "合计", "", "20.00"],
]


def test_untitled_unrelated_table_is_not_recognised(tmp_path: Path) -> None:
    # GIVEN a budget table, then an untitled staff list (姓名 / 职务 / 合计) numbered 附表2
    rows = [
        ["科目编码", "科目名称", "合计", "财政拨款收入", "事业收入"],
        ["201", "一般公共服务支出", "20.00", "12.00", "8.00"],
    ]
    got = _extract(tmp_path, [Line("附表1"), Grid(rows), PageBreak(), Line("附表2"), Grid(STAFF)])
    # THEN the staff list is a table of its own that no family reads
    assert _families(got) == [(None, "income_sources"), (None, None)]
    assert {r["page_number"] for r in got.frames["income_sources"]} == {1}


def test_document_of_unrelated_untitled_tables_is_not_budget(tmp_path: Path) -> None:
    # GIVEN a PDF holding only untitled staff lists
    blocks = [Line("附表1"), Grid(STAFF), PageBreak(), Line("附表2"), Grid(STAFF)]
    # WHEN it is extracted THEN it is rejected as not a budget
    with pytest.raises(DocumentRejected) as raised:
        _extract(tmp_path, blocks)
    assert raised.value.reason == "not_budget"


def test_repeated_table_number_continues_the_table(tmp_path: Path) -> None:
    # GIVEN an untitled function table continued on the next page, 附表3 printed on both
    grid = _function_grid()
    got = _extract(
        tmp_path,
        [
            Line("附表3"),
            Grid(grid.rows[:4], spans=FUNCTION_SPANS),
            PageBreak(),
            Line("附表3"),
            Grid(grid.rows[:2] + grid.rows[4:], spans=FUNCTION_SPANS),
        ],
    )
    # THEN it stays one table: the second page is no general_public_budget table
    assert _families(got) == [(None, "function_expenditure")]
    assert {r["budget_scope"] for r in got.frames["function_expenditure"]} == {"all_funds"}
    assert len(got.frames["function_expenditure"]) == 5


# ------------------------------------------------------------------- 部门整体绩效目标表


def test_untitled_department_performance_table(tmp_path: Path) -> None:
    # GIVEN a 部门整体绩效目标表 printed without its title: 年度履职目标, 部门预算总额, then
    # the indicator grid, 一级指标 merged over two rows
    rows = [
        ["部门名称：某某县教育局", "", "", "", ""],
        ["年度履职目标", "保障全县义务教育均衡发展", "", "", ""],
        ["部门预算总额（万元）", "1,250.50", "", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值", "指标值说明"],
        ["产出指标", "数量指标", "培训教师人次", "≥500人次", "全年"],
        ["", "质量指标", "培训合格率", "≥95%", ""],
    ]
    spans = [(0, 0, 4, 0), (1, 1, 4, 1), (1, 2, 4, 2), (0, 4, 0, 5)]
    got = _extract(tmp_path, [Line("附表7"), Grid(rows, spans=spans)])
    # THEN it is read as department-level indicators, levels forward-filled
    indicators = [
        (r["scope"], r["level1_name"], r["level2_name"], r["level3_name"], r["comparator"])
        for r in got.frames["indicators"]
    ]
    assert indicators == [
        ("department", "产出指标", "数量指标", "培训教师人次", ">="),
        ("department", "产出指标", "质量指标", "培训合格率", ">="),
    ]
