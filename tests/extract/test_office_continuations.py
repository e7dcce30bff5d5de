"""Layouts met in the seed texts rendered by office software (tests/pdfs/seeds), drawn
small with the reportlab generator: a table continued under its repeated title and header,
a title wrapped onto a short last line, numbered 绩效目标 blocks with 指标说明 and blank
一级指标 cells, and a 整体绩效 table whose grid follows a narrower head."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from extract.document import extract_document
from tests.conftest import logical_tables
from tests.pdfgen import Grid, Line, PageBreak, Title, render

WAN = Decimal(10000)
HEADER = [
    ["科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出"],
    ["类", "款", "项", "", "", "", ""],
]
SPANS = [(0, 0, 2, 0)]


def _function_pages(path: Path) -> Path:
    """一般公共预算支出情况表 over two pages, title and header printed again on the second."""
    first = [*HEADER, ["", "", "", "合计", "6.0", "4.0", "2.0"],
             ["201", "01", "01", "行政运行", "3.0", "3.0", ""],
             ["201", "01", "02", "一般行政管理事务", "1.0", "", "1.0"]]  # fmt: skip
    second = [*HEADER, ["208", "05", "01", "行政单位离退休", "2.0", "1.0", "1.0"]]
    title = "2021年一般公共预算支出情况表"
    return render(path, [
        Title(title), Line("单位：万元"), Grid(first, spans=SPANS), PageBreak(),
        Title(title), Line("单位：万元"), Grid(second, spans=SPANS),
    ])  # fmt: skip


def test_a_table_continued_under_its_repeated_title_and_header_is_one_table(
    tmp_path: Path,
) -> None:
    path = _function_pages(tmp_path / "continued.pdf")
    [table] = [t for t in logical_tables(path) if t.title]
    assert [p.page_number for p in table.parts] == [1, 2]
    rows = extract_document(path, document_id="d", source_uri="d").frames["function_expenditure"]
    codes = {r["function_code"]: r["total_yuan"] / WAN for r in rows if r["row_kind"] == "code"}
    assert codes == {"2010101": 3, "2010102": 1, "2080501": 2}


def test_the_same_table_of_another_unit_under_the_same_title_stays_apart(
    tmp_path: Path,
) -> None:
    rows = [*HEADER, ["201", "01", "01", "行政运行", "3.0", "3.0", ""]]
    title = "2021年一般公共预算支出情况表"
    path = render(tmp_path / "units.pdf", [
        Title(title), Line("单位名称：甲中心"), Grid(rows, spans=SPANS), PageBreak(),
        Title(title), Line("单位名称：乙中心"), Grid(rows, spans=SPANS),
    ])  # fmt: skip
    assert [t.department for t in logical_tables(path)] == ["甲中心", "乙中心"]


def test_tables_under_the_same_title_with_another_first_row_stay_apart(tmp_path: Path) -> None:
    form = [
        ["项目名称", "{}", ""],
        ["一级指标", "二级指标", "三级指标"],
        ["产出指标", "数量指标", "x"],
    ]
    blocks: list[object] = []
    for name in ("甲项目", "乙项目"):
        rows = [[c.format(name) for c in row] for row in form]
        blocks += [Title("本级部门预算项目绩效目标表"), Grid(rows), PageBreak()]
    path = render(tmp_path / "forms.pdf", blocks)
    assert len(logical_tables(path)) == 2


POLICY_HEADER = ["一级指标", "二级指标", "三级指标", "指标说明", "指标值"]


def test_numbered_blocks_with_a_wrapped_heading_and_blank_level_cells(tmp_path: Path) -> None:
    rows = [["绩效目标", "大力发展高新技术企业", "", "", ""], POLICY_HEADER,
            ["产出指标", "数量指标", "建设省级创新平台数量", "平台数量", "≥5家"],
            ["", "成本指标", "补助金额", "每家补助金额", "≤10万元"],
            ["效益指标", "经济效益指标", "资金的使用效率", "资金的使用效率", "优良"]]  # fmt: skip
    path = render(tmp_path / "policy.pdf", [
        Line("20.支持各高新区、农业科技园区及市级重大平台专项资金绩效"), Line("目标表"),
        Grid(rows, spans=[(1, 0, 4, 0)]),
    ])  # fmt: skip
    extracted = extract_document(path, document_id="d", source_uri="d")
    [table] = extracted.frames["tables"]
    assert (table["family"], table["outcome"]) == ("policy_targets", "read")
    assert table["table_title"] == "20.支持各高新区、农业科技园区及市级重大平台专项资金绩效目标表"
    got = [(r["project_name"], r["level1_name"], r["level2_name"], r["level3_name"],
            r["description"]) for r in extracted.frames["indicators"]]  # fmt: skip
    name = "支持各高新区、农业科技园区及市级重大平台专项资金"
    assert got == [
        (name, "产出指标", "数量指标", "建设省级创新平台数量", "平台数量"),
        (name, "产出指标", "成本指标", "补助金额", "每家补助金额"),
        (name, "效益指标", "经济效益指标", "资金的使用效率", "资金的使用效率"),
    ]


def test_a_department_grid_after_a_narrower_head_keeps_its_columns(tmp_path: Path) -> None:
    head = [["部门(单位)名称", "某局", ""], ["年度履职目标", "目标1", ""]]
    grid = [["预算情况", "1、资金来源", "", "10.0", ""],
            ["一级指标", "二级指标", "三级指标", "指标值", "指标值说明"],
            ["投入管理指标", "工作目标管理", "年度履职目标相关性", "相关", ""],
            ["", "", "工作任务科学性", "科学", ""]]  # fmt: skip
    again = [["预算情况", "", "(2) 其他资金", "", ""],
             ["一级指标", "二级指标", "三级指标", "指标值", "指标值说明"],
             ["效益指标", "履职效益", "经济效益", "完成职责任务", ""]]  # fmt: skip
    path = render(tmp_path / "department.pdf", [
        Title("市级部门整体绩效目标申报表"), Grid(head), Grid(grid), PageBreak(), Grid(again),
    ])  # fmt: skip
    rows = extract_document(path, document_id="d", source_uri="d").frames["indicators"]
    assert [(r["scope"], r["level1_name"], r["level3_name"], r["target_raw"]) for r in rows] == [
        ("department", "投入管理指标", "年度履职目标相关性", "相关"),
        ("department", "投入管理指标", "工作任务科学性", "科学"),
        ("department", "效益指标", "经济效益", "完成职责任务"),
    ]
