"""The project-expenditure family (项目支出表): golden doc_a, real Shanghai PDFs, layouts."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from extract.document import Extracted, extract_document
from extract.families import indicators, project_expenditure
from extract.families.base import Context, Record
from extract.tables import LogicalTable
from tests.conftest import REAL, SAMPLES, extract_once, logical_tables
from tests.pdfgen import Grid, Line, Title, render

WAN = Decimal(10000)
REAL_PDFS = sorted(REAL.glob("*.pdf"))


@cache
def _doc_a() -> Extracted:
    path = SAMPLES / "doc_a.pdf"
    return extract_once(path)


@cache
def _tables(path: Path) -> list[LogicalTable]:
    return logical_tables(path)


def _projects(path: Path) -> tuple[list[Record], Context]:
    context = Context("test", None, "万元")
    records: list[Record] = []
    for table in _tables(path):
        if project_expenditure.matches(table):
            records += project_expenditure.parse(table, context)["projects"]
    return records, context


def _of(extracted: Extracted, family: str) -> list[Record]:
    return [r for r in extracted.frames["projects"] if r["source_family"] == family]


# ---------------------------------------------------------------- doc_a against its golden


def test_doc_a_projects_equal_golden() -> None:
    # GIVEN doc_a.pdf (项目支出表 on page 16: 类型 column, no code column) and its golden
    # projects (the codes are printed only in the 绩效目标汇总表 on page 19)
    golden = json.loads((SAMPLES / "doc_a.json").read_text())["projects"]
    # WHEN the whole document is extracted
    extracted = _doc_a()
    rows = _of(extracted, "project_expenditure")
    codes = {r["project_name"]: r["project_code"] for r in _of(extracted, "performance_summary")}
    # THEN the 18 projects come back in printed order with name, amount and type; their codes,
    # joined by name from the summary table, are the golden codes (null where unlisted)
    got = [
        (r["project_name"], r["amount_yuan"], r["project_type"], codes.get(r["project_name"]))
        for r in rows
    ]
    expected = [
        (g["name"], Decimal(str(g["amount_wan"])) * WAN, g["type"], g["code"]) for g in golden
    ]
    assert got == expected
    assert {r["page_number"] for r in rows} == {16}
    assert all(r["project_code"] is None for r in rows)  # not printed in this table
    assert not extracted.problems


def test_doc_a_fund_split_unit_and_skipped_total_rows() -> None:
    # GIVEN doc_a's 项目支出表: a 合计 row (69,996.3) and a unit row (103 | 经济发展部) above
    # the projects; all money under 本年拨款 / 一般公共预算, other fund columns blank
    rows = _of(_doc_a(), "project_expenditure")
    # THEN neither the 合计 nor the unit row is a project; the projects sum to the printed 合计
    assert len(rows) == 18
    assert sum(r["amount_yuan"] for r in rows) == Decimal("69996.3") * WAN
    # AND each project carries its unit (the unit row's code, the 项目单位 column's name), its
    # government funds (the 一般公共预算 column) and 0 other funds (columns printed, blank)
    assert {(r["unit_code"], r["unit_name"], r["department_name"]) for r in rows} == {
        ("103", "郑州高新技术产业开发区经济发展部", "郑州高新技术产业开发区经济发展部")
    }
    assert all(r["government_funds_yuan"] == r["amount_yuan"] for r in rows)
    assert {r["other_funds_yuan"] for r in rows} == {Decimal(0)}
    [policy] = [r for r in rows if r["project_name"] == "政策兑现资金专项"]
    assert policy["amount_yuan"] == Decimal("212260000")  # printed 21,226.0 万元
    assert policy["row_index"] == 15


def test_doc_a_other_tables_are_not_project_tables() -> None:
    # GIVEN doc_a's tables: 部门支出总体情况表 prints a 项目支出 column, the 绩效目标汇总表 a
    # 项目名称 column
    tables = _tables(SAMPLES / "doc_a.pdf")
    # THEN only the 项目支出表 is claimed, and the indicators family does not claim it
    assert [t.title for t in tables if project_expenditure.matches(t)] == ["2024年项目支出表"]
    assert not any(indicators.matches(t) for t in tables if project_expenditure.matches(t))


# ------------------------------------------------------------------- real Shanghai PDFs


@pytest.mark.parametrize("path", REAL_PDFS, ids=[p.name for p in REAL_PDFS])
def test_real_pdfs_without_project_table_stage_no_project_lines(path: Path) -> None:
    # GIVEN a real Shanghai PDF: no 项目支出表, but 支出预算总表 / 功能分类预算表 with a 项目支出
    # column (e.g. 万里街道 2024 prints 项目支出 2,932,700 for 201 一般公共服务支出)
    tables = _tables(path)
    assert any("项目支出" in t.header_text() for t in tables)
    # WHEN the document is extracted
    extracted = extract_once(path)
    # THEN no table is taken for a project table and no project line is staged
    assert not any(project_expenditure.matches(t) for t in tables)
    assert _of(extracted, "project_expenditure") == []
    assert "project_expenditure" not in {t["family"] for t in extracted.tables}


# ------------------------------------------------------------------------------ layouts


def _types_as_group_rows(path: Path) -> Path:
    rows = [
        ["项目编码", "项目名称", "单位名称", "合计", "财政拨款", "", "", "财政专户管理资金",
         "单位资金"],
        ["", "", "", "", "小计", "一般公共预算", "政府性基金预算", "", ""],
        ["", "合计", "", "1,650,000", "1,450,000", "1,250,000", "200,000", "", "200,000"],
        ["", "其他运转类", "", "450,000", "450,000", "450,000", "", "", ""],
        ["P001", "办公楼物业管理", "第一中学", "300,000", "300,000", "300,000", "", "", ""],
        ["P002", "校车运行维护", "第二中学", "150,000", "150,000", "150,000", "", "", ""],
        ["", "特定目标类", "", "1,200,000", "1,000,000", "800,000", "200,000", "", "200,000"],
        ["P003", "垃圾分类", "第一中学", "1,200,000", "1,000,000", "800,000", "200,000", "",
         "200,000"],
    ]  # fmt: skip
    spans = [(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 2, 1), (3, 0, 3, 1), (4, 0, 6, 0), (7, 0, 7, 1),
             (8, 0, 8, 1)]  # fmt: skip
    return render(
        path,
        [
            Title("5．2024年部门项目支出预算表"),
            Line("部门名称：某县教育局 单位：元"),
            Grid(rows, spans=spans),
        ],
    )


def test_layout_types_as_group_rows_with_code_unit_and_subtotal_columns(tmp_path: Path) -> None:
    # GIVEN a numbered 项目支出预算表 in 元: types printed as group rows with subtotals, a
    # 项目编码 and a 单位名称 column, 财政拨款 split into 小计 / 一般公共预算 / 政府性基金预算,
    # then 财政专户管理资金 and 单位资金
    path = _types_as_group_rows(tmp_path / "group_rows.pdf")
    # WHEN the document is extracted
    extracted = extract_document(path, document_id="g", source_uri=str(path))
    rows = _of(extracted, "project_expenditure")
    # THEN the group rows give their projects' type and are no projects themselves; a project
    # named 垃圾分类 is not mistaken for a type; government funds are the 小计, not 小计 plus
    # its members; other funds are the remaining columns, blank cells counting 0
    assert [
        (r["project_code"], r["project_name"], r["unit_name"], r["project_type"],
         r["amount_yuan"], r["government_funds_yuan"], r["other_funds_yuan"])
        for r in rows
    ] == [
        ("P001", "办公楼物业管理", "第一中学", "其他运转类", Decimal(300000), Decimal(300000),
         Decimal(0)),
        ("P002", "校车运行维护", "第二中学", "其他运转类", Decimal(150000), Decimal(150000),
         Decimal(0)),
        ("P003", "垃圾分类", "第一中学", "特定目标类", Decimal(1200000), Decimal(1000000),
         Decimal(200000)),
    ]  # fmt: skip
    assert {r["department_name"] for r in rows} == {"某县教育局"}
    assert not extracted.problems


def _units_over_two_pages(path: Path, per_unit: int) -> Path:
    header = [
        [
            "类型",
            "项目名称",
            "项目单位",
            "合计",
            "本年拨款",
            "",
            "财政拨款结转结余",
            "",
            "单位资金",
        ],
        ["", "", "", "", "一般公共预算", "政府性基金预算", "一般公共预算", "政府性基金预算", ""],
    ]
    spans = [(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 2, 1), (3, 0, 3, 1), (4, 0, 5, 0), (6, 0, 7, 0),
             (8, 0, 8, 1)]  # fmt: skip
    body = [["", "", "", "", "", "", "", "", ""]]
    total = Decimal(0)
    for unit_code, unit in (("201001", "市第一医院"), ("201002", "市第二医院")):
        lines = []
        for n in range(per_unit):
            kind = "其他运转类" if n % 2 else "特定目标类"
            lines.append([kind, f"{unit}设备购置项目{n + 1}", unit, f"{10 + n}.5", f"{10 + n}", "",
                          "0.5", "", ""])  # fmt: skip
        subtotal = sum(Decimal(f"{10 + n}.5") for n in range(per_unit))
        total += subtotal
        body.append(["", unit_code, unit, f"{subtotal}", "", "", "", "", ""])
        body += lines
    body[0][3] = f"{total}"
    body[0][1] = "合计"
    return render(
        path,
        [
            Title("2024年项目支出表"),
            Line("部门名称：市卫生健康委员会 单位：万元"),
            Grid(header + body, spans=spans, repeat_rows=2),
        ],
    )


def test_layout_unit_rows_and_carried_over_funds_over_two_pages(tmp_path: Path) -> None:
    # GIVEN a 项目支出表 of two units (unit rows: code in the name column, name, subtotal)
    # long enough to continue on a second page under a repeated two-row header; each project
    # has current-year money (本年拨款) and carried-over money (财政拨款结转结余)
    per_unit = 18
    path = _units_over_two_pages(tmp_path / "units.pdf", per_unit)
    # WHEN the document is extracted
    extracted = extract_document(path, document_id="u", source_uri=str(path))
    rows = _of(extracted, "project_expenditure")
    # THEN every project of both pages comes back once, none from a header or unit row,
    # each under its unit's code
    assert len({r["page_number"] for r in rows}) == 2
    assert [r["project_name"] for r in rows] == [
        f"{unit}设备购置项目{n + 1}"
        for unit in ("市第一医院", "市第二医院")
        for n in range(per_unit)
    ]
    assert [r["unit_code"] for r in rows] == ["201001"] * per_unit + ["201002"] * per_unit
    assert [r["project_type"] for r in rows][:2] == ["特定目标类", "其他运转类"]
    # AND carried-over money counts as other funds, not government funds
    first = rows[0]
    assert (first["amount_yuan"], first["government_funds_yuan"], first["other_funds_yuan"]) == (
        Decimal("105000.0"),
        Decimal("100000"),
        Decimal("5000.0"),
    )
    assert not extracted.problems


# ------------------------------------ the national template: units and projects in one column

NATIONAL_HEAD = [
    ["支出项目类别", "总计", "财政拨款", "", "单位资金", "上年结余、结转"],
    ["", "", "一般公共预算拨款", "政府性基金预算拨款", "事业收入", ""],
]
NATIONAL_SPANS = [(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 3, 0), (5, 0, 5, 1)]


def _national(tmp_path: Path, title: str, body: list[list[str]], head: list[list[str]]) -> list[
    tuple[object, ...]
]:  # fmt: skip
    """(name, unit, total, government, other) in 万元 of each project staged."""
    caption = Line("部门名称：某市测试局 单位：万元")
    grid = Grid(head + body, spans=NATIONAL_SPANS)
    path = render(tmp_path / "national.pdf", [Title(title), caption, grid])
    extracted = extract_document(path, document_id="n", source_uri=str(path))
    assert not extracted.problems
    return [
        (r["project_name"], r["unit_name"], r["amount_yuan"] / WAN,
         r["government_funds_yuan"] / WAN, r["other_funds_yuan"] / WAN)
        for r in _of(extracted, "project_expenditure")
    ]  # fmt: skip


def test_layout_one_unit_line_over_its_projects_without_a_total(tmp_path: Path) -> None:
    # GIVEN 深圳's 项目支出总表: 支出项目类别 | 总计 | 财政拨款 … by fund source, no 合计: the
    # department's line (its name, or its 本级) over the projects it sums
    body = [
        ["某市测试局（本级）", "10.00", "9.00", "0.00", "0.00", "1.00"],
        ["统计管理", "6.00", "6.00", "0.00", "0.00", "0.00"],
        ["专项普查活动", "4.00", "3.00", "0.00", "0.00", "1.00"],
    ]
    # THEN the line is the projects' unit, no project; government funds are 财政拨款, the
    # carried-over money other funds
    assert _national(tmp_path, "项目支出总表", body, NATIONAL_HEAD) == [
        ("统计管理", "某市测试局（本级）", 6, 6, 0),
        ("专项普查活动", "某市测试局（本级）", 4, 3, 1),
    ]


def test_layout_units_over_projects_with_their_goals(tmp_path: Path) -> None:
    # GIVEN 广州's 部门预算项目支出及其他支出预算表: a 合计, each unit's line over its projects
    # (one of 0.00 ending a run), and each project's 绩效目标 beside its figures
    head = [[*row, "绩效目标"] for row in NATIONAL_HEAD]
    head[0][0] = "支出项目类别（资金使用单位）"
    body = [
        ["合计", "12.00", "11.00", "0.00", "1.00", "0.00", ""],
        ["某市测试局", "9.00", "8.00", "0.00", "1.00", "0.00", ""],
        ["机构运行辅助经费", "5.00", "5.00", "0.00", "0.00", "0.00", "1.保障运行。2.提高质量。"],
        ["上级拨入专项调查经费", "4.00", "3.00", "0.00", "1.00", "0.00", "完成调查任务。"],
        ["暂停项目", "0.00", "0.00", "0.00", "0.00", "0.00", "无"],
        ["某市测试中心", "3.00", "3.00", "0.00", "0.00", "0.00", ""],
        ["其他运行经费", "3.00", "3.00", "0.00", "0.00", "0.00", "提供后勤支持。"],
    ]
    # THEN the units are told by their figures (each the sum of its projects, together the
    # 合计); the goals are no fund
    title = "部门预算项目支出及其他支出预算表"
    assert _national(tmp_path, title, body, head) == [
        ("机构运行辅助经费", "某市测试局", 5, 5, 0),
        ("上级拨入专项调查经费", "某市测试局", 4, 3, 1),
        ("暂停项目", "某市测试局", 0, 0, 0),
        ("其他运行经费", "某市测试中心", 3, 3, 0),
    ]


def test_layout_the_departments_line_restating_the_total_over_its_units(tmp_path: Path) -> None:
    # GIVEN the same table where the department prints its own line, the 合计's figures,
    # over its units
    body = [
        ["合计", "9.00", "9.00", "0.00", "0.00", "0.00"],
        ["某市测试局", "9.00", "9.00", "0.00", "0.00", "0.00"],
        ["某市测试局（本级）", "6.00", "6.00", "0.00", "0.00", "0.00"],
        ["统计管理", "6.00", "6.00", "0.00", "0.00", "0.00"],
        ["某市测试中心", "3.00", "3.00", "0.00", "0.00", "0.00"],
        ["其他运行经费", "3.00", "3.00", "0.00", "0.00", "0.00"],
    ]
    # THEN that line is neither a unit nor a project
    assert _national(tmp_path, "项目支出总表", body, NATIONAL_HEAD) == [
        ("统计管理", "某市测试局（本级）", 6, 6, 0),
        ("其他运行经费", "某市测试中心", 3, 3, 0),
    ]


@pytest.mark.parametrize("total", [True, False], ids=["with 合计", "without 合计"])
def test_layout_projects_whose_figures_happen_to_chain_are_projects(
    tmp_path: Path, total: bool
) -> None:
    # GIVEN a list of projects only, the first of which happens to print the sum of the two
    # after it
    body = [
        ["数据采集", "5.00", "5.00", "0.00", "0.00", "0.00"],
        ["统计管理", "2.00", "2.00", "0.00", "0.00", "0.00"],
        ["专项普查活动", "3.00", "3.00", "0.00", "0.00", "0.00"],
    ]
    if total:
        body.insert(0, ["合计", "10.00", "10.00", "0.00", "0.00", "0.00"])
    # THEN each is a project: the lines would not sum to the 合计 (a table of units and
    # projects prints every figure twice), or the first names no unit
    assert [p[:2] for p in _national(tmp_path, "项目支出总表", body, NATIONAL_HEAD)] == [
        ("数据采集", None),
        ("统计管理", None),
        ("专项普查活动", None),
    ]
