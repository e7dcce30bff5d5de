"""Layout variants of the function-code tables, generated with reportlab: each test is
named after what the layout shows, and asserts the exact rows extracted."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from extract.document import Extracted, extract_document
from tests.pdfgen import Grid, Line, PageBreak, Title, render

HEADER = [["科目编码", "科目名称", "合计", "基本支出", "项目支出"]]
ROWS = [
    ["", "合计", "1,500.0", "1,000.0", "500.0"],
    ["201", "一般公共服务支出", "1,500.0", "1,000.0", "500.0"],
    ["20101", "人大事务", "1,500.0", "1,000.0", "500.0"],
    ["2010101", "行政运行", "1,000.0", "1,000.0", ""],
    ["2010102", "一般行政管理事务", "500.0", "", "500.0"],
]


def extract(tmp_path: Path, blocks: list[object]) -> Extracted:
    path = render(tmp_path / "layout.pdf", blocks)
    return extract_document(path, document_id="layout", source_uri=str(path))


def codes(extracted: Extracted) -> list[tuple[str | None, Decimal | None, int]]:
    return [
        (r["function_code"], r["total_yuan"], r["page_number"])
        for r in extracted.frames["function_expenditure"]
    ]


def test_numbered_title_with_a_form_number_above_it(tmp_path: Path) -> None:
    extracted = extract(
        tmp_path,
        [
            Line("公开03表"),
            Title("5．2025年部门一般公共预算支出功能分类预算表"),
            Line("部门名称：测试局 单位：万元"),
            Grid(HEADER + ROWS),
        ],
    )
    rows = extracted.frames["function_expenditure"]
    assert {r["budget_scope"] for r in rows} == {"general_public_budget"}
    assert [c for c, _, _ in codes(extracted)] == [None, "201", "20101", "2010101", "2010102"]
    assert extracted.document["fiscal_year"] == 2025


def test_title_left_at_the_bottom_of_the_previous_page(tmp_path: Path) -> None:
    extracted = extract(
        tmp_path,
        [
            Title("2024年一般公共预算支出情况表"),
            Line("部门名称：测试局 单位：万元"),
            PageBreak(),
            Grid(HEADER + ROWS),
        ],
    )
    assert [c for c, _, _ in codes(extracted)] == [None, "201", "20101", "2010101", "2010102"]
    assert {p for _, _, p in codes(extracted)} == {2}


def test_amounts_in_yi_yuan_convert_exactly(tmp_path: Path) -> None:
    extracted = extract(
        tmp_path,
        [Title("2024年部门支出总体情况表"), Line("单位：亿元"), Grid(HEADER + ROWS)],
    )
    assert codes(extracted)[0][1] == Decimal("150000000000")  # 1,500.0 亿元


def test_full_width_digits_in_codes_and_amounts(tmp_path: Path) -> None:
    rows = [
        [c.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"}) for c in row] for row in ROWS
    ]
    extracted = extract(
        tmp_path, [Title("2024年一般公共预算支出情况表"), Line("单位：万元"), Grid(HEADER + rows)]
    )
    assert codes(extracted)[3][:2] == ("2010101", Decimal("10000000.0"))


def test_continued_without_repeated_header_and_a_name_cut_by_the_page_break(
    tmp_path: Path,
) -> None:
    first = HEADER + ROWS[:4]
    second = [["2010102", "一般行政管理", "500.0", "", "500.0"], ["", "事务", "", "", ""]]
    extracted = extract(
        tmp_path,
        [
            Title("2024年一般公共预算支出情况表"),
            Line("单位：万元"),
            Grid(first),
            PageBreak(),
            Grid(second),
        ],
    )
    rows = extracted.frames["function_expenditure"]
    assert [(r["function_code"], r["page_number"]) for r in rows][-2:] == [
        ("2010101", 1),
        ("2010102", 2),
    ]
    assert rows[-1]["name"] == "一般行政管理事务"


def test_an_untitled_grid_after_pages_of_prose_continues_no_table(tmp_path: Path) -> None:
    # GIVEN 广州's print: a table ends on page 1, prose fills page 2, and page 3 opens with
    # an untitled grid (the 重点项目绩效目标 of the 情况说明: 项目 | 预算数 | 绩效目标)
    prose = [Line("第三部分 情况说明"), Line("2026年，本部门重点项目绩效目标情况如下：")]
    extracted = extract(
        tmp_path,
        [
            Title("2024年一般公共预算支出情况表"),
            Line("单位：万元"),
            Grid(HEADER + ROWS),
            PageBreak(),
            *prose,
            PageBreak(),
            Grid([["项目", "预算数（单位：万元）", "绩效目标"], ["某项目", "1.00", "完成"]]),
        ],
    )
    # THEN the grid is a table of its own (untitled, a project list read by
    # performance_summary), not rows of the table before the prose
    tables = extracted.frames["tables"]
    assert [(t["page_number"], t["family"]) for t in tables] == [
        (1, "function_expenditure"),
        (3, "performance_summary"),
    ]
    assert [p["project_name"] for p in extracted.frames["projects"]] == ["某项目"]
    assert {r["page_number"] for r in extracted.frames["function_expenditure"]} == {1}
    projects = [(p["page_number"], p["project_name"]) for p in extracted.frames["projects"]]
    assert projects == [(3, "某项目")]


def test_two_tables_on_one_page_and_the_same_family_twice(tmp_path: Path) -> None:
    extracted = extract(
        tmp_path,
        [
            Title("2024年部门支出总体情况表"),
            Line("单位：万元"),
            Grid(HEADER + ROWS[:2]),
            Title("2024年一般公共预算支出情况表"),
            Line("单位：万元"),
            Grid(HEADER + ROWS[:2]),
        ],
    )
    rows = extracted.frames["function_expenditure"]
    assert [(r["table_index"], r["budget_scope"]) for r in rows] == [
        (0, "all_funds"),
        (0, "all_funds"),
        (1, "general_public_budget"),
        (1, "general_public_budget"),
    ]
    assert {r["page_number"] for r in rows} == {1}


def test_empty_table_is_recorded_as_present_and_empty(tmp_path: Path) -> None:
    extracted = extract(
        tmp_path,
        [
            Title("2024年一般公共预算支出情况表"),
            Line("单位：万元"),
            Grid(HEADER + ROWS),
            Title("2024年政府性基金预算支出情况表"),
            Line("单位：万元"),
            Grid([*HEADER, ["", "本表无数据", "", "", ""]], spans=[(1, 1, 4, 1)]),
        ],
    )
    tables = extracted.frames["tables"]
    assert [(t["table_title"], t["is_empty"]) for t in tables] == [
        ("2024年一般公共预算支出情况表", False),
        ("2024年政府性基金预算支出情况表", True),
    ]
    # the 政府性基金 table is a function table of its own scope, recorded empty, no row
    assert [(t["family"], t["outcome"], t["row_count"]) for t in tables][1] == (
        "function_expenditure",
        "empty",
        0,
    )
    rows = extracted.frames["function_expenditure"]
    assert {r["budget_scope"] for r in rows} == {"general_public_budget"}


def test_fund_tables_are_scopes_of_their_own(tmp_path: Path) -> None:
    # GIVEN a 一般公共预算 table, a 政府性基金 table printing the same codes, and a
    # 国有资本经营 table printing only a 合计 of zeros
    extracted = extract(
        tmp_path,
        [
            Title("2024年一般公共预算支出情况表"),
            Line("单位：万元"),
            Grid(HEADER + ROWS),
            Title("2024年政府性基金预算支出情况表"),
            Line("单位：万元"),
            Grid(HEADER + [[c, n, "20.0", "", "20.0"] for c, n, *_ in ROWS]),
            Title("2024年国有资本经营预算支出情况表"),
            Line("单位：万元"),
            Grid([*HEADER, ["", "合计", "0.00", "0.00", "0.00"]]),
        ],
    )
    rows = extracted.frames["function_expenditure"]
    # THEN each table's rows carry its scope; the zeros stage nothing
    by_scope = {
        scope: [(r["function_code"], r["total_yuan"]) for r in rows if r["budget_scope"] == scope]
        for scope in {r["budget_scope"] for r in rows}
    }
    assert by_scope["government_fund"] == [(code or None, Decimal(200000)) for code, *_ in ROWS]
    assert len(by_scope["general_public_budget"]) == len(ROWS)
    assert "state_capital" not in by_scope
    tables = extracted.frames["tables"]
    assert [(t["outcome"], t["is_empty"]) for t in tables] == [
        ("read", False),
        ("read", False),
        ("empty", True),
    ]


def test_unit_named_beside_its_parent_department_is_the_budget_owner(tmp_path: Path) -> None:
    from extract.document import extract_document
    from tests.extract.test_untitled_tables import _function_grid
    from tests.pdfgen import Line, Title, render

    # GIVEN a 单位预算 table captioned with its 主管部门 first, then its own 单位名称
    pdf = render(
        tmp_path / "unit.pdf",
        [
            Title("2024年部门支出总体情况表"),
            Line("主管部门：某某县教育局    单位名称：某某县第一中学"),
            Line("单位：万元"),
            _function_grid(),
        ],
    )
    got = extract_document(pdf, document_id="d", source_uri=str(pdf))
    # THEN the budget is the unit's (a department's units never share one re-issue key)
    assert got.document["department_name"] == "某某县第一中学"
