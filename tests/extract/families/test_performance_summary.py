"""The performance-summary family (部门预算项目绩效目标汇总表): golden doc_a, real PDFs, layouts."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from extract.document import Extracted, extract_document
from extract.families import indicators, performance_summary
from extract.families.base import Record
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


def _project_indicators(extracted: Extracted) -> list[Record]:
    return [r for r in extracted.frames["indicators"] if r["scope"] == "project"]


def _summary_projects(extracted: Extracted) -> list[Record]:
    return [r for r in extracted.frames["projects"] if r["source_family"] == "performance_summary"]


def _golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / "doc_a.json").read_text())
    return data


# ---------------------------------------------------------------- doc_a against its golden


def test_doc_a_project_indicators_equal_golden_in_order() -> None:
    # GIVEN doc_a.pdf: the 绩效目标汇总表 on page 19 (10 projects, each over several rows;
    # 成本/产出/效益/满意度指标 as column groups of 三级指标 / 指标值) and its golden indicators
    golden = [i for i in _golden()["indicators"] if i["scope"] == "project"]
    # WHEN the whole document is extracted
    extracted = _doc_a()
    rows = _project_indicators(extracted)
    # THEN the 80 project indicators come back exactly, project by project, each project's
    # groups left to right and each group top-down, values as printed (Chinese commas kept)
    assert [
        (r["project_name"], r["level1_name"], r["level2_name"], r["level3_name"],
         r["target_raw"], r["description"])
        for r in rows
    ] == [
        (g["project"], g["level1"], g["level2"], g["level3"], g["value_raw"], g["description"])
        for g in golden
    ]  # fmt: skip
    assert len(rows) == 80
    assert {r["page_number"] for r in rows} == {19}
    assert not extracted.problems


def test_doc_a_targets_are_parsed_and_rows_keep_lineage() -> None:
    # GIVEN doc_a's summary table
    rows = _project_indicators(_doc_a())
    by_name = {(r["project_name"], r["level3_name"]): r for r in rows}
    # THEN targets split into comparator, value and unit; text targets keep them null
    contract = by_name[("规划编制经费", "规划编制合同款")]
    assert (contract["comparator"], contract["target_value"], contract["target_unit"]) == (
        "<=",
        Decimal("200"),
        "万元",
    )
    survey = by_name[("第五次经济普查专项", "清查登记市场主体数量")]
    assert (survey["comparator"], survey["target_value"], survey["target_unit"]) == (
        ">=",
        Decimal("67211"),
        "家",
    )
    assert by_name[("科技金融专项", "任务完成及时性")]["comparator"] is None
    # AND each indicator names the row it was printed on: 平台认证企业数 is on the second
    # row of 科技金融专项 (row 6 after three header rows, the 103 and 103001 unit rows)
    assert by_name[("科技金融专项", "平台认证企业数")]["row_index"] == 6
    assert {r["department_name"] for r in rows} == {"郑州高新技术产业开发区经济发展部"}


def test_doc_a_summary_projects_carry_codes_and_skip_unit_rows() -> None:
    # GIVEN doc_a's summary table: unit rows 103 (部门 total) and 103001 (the unit), then
    # projects with 20-digit codes and 资金总额 / 政府预算资金 / 财政专户管理资金 / 单位资金
    projects = _summary_projects(_doc_a())
    golden_codes = {p["name"]: p["code"] for p in _golden()["projects"]}
    # THEN 10 projects come back with the golden codes and the unit row's code and name
    assert len(projects) == 10
    assert {p["project_name"]: p["project_code"] for p in projects} == {
        p["project_name"]: golden_codes[p["project_name"]] for p in projects
    }
    assert {(p["unit_code"], p["unit_name"]) for p in projects} == {
        ("103001", "郑州高新技术产业开发区经济发展部")
    }
    [listing] = [p for p in projects if p["project_name"] == "上市工作专项"]
    assert (
        listing["amount_yuan"],
        listing["government_funds_yuan"],
        listing["other_funds_yuan"],
    ) == (Decimal("6440000"), Decimal("6440000"), Decimal(0))  # printed 644.0 万元


def test_doc_a_summary_table_is_not_claimed_by_indicators() -> None:
    # GIVEN doc_a's tables
    extracted = _doc_a()
    # THEN the 汇总表 goes to this family, the 整体绩效目标表 stays with indicators
    families = {t["title"]: t["family"] for t in extracted.tables}
    assert families["2024年部门预算项目绩效目标汇总表"] == "performance_summary"
    assert families["部门（单位）整体绩效目标表"] == "indicators"
    summary = [t for t in _tables(SAMPLES / "doc_a.pdf") if "汇总" in (t.title or "")]
    assert summary and not indicators.matches(summary[0])
    department = [r for r in extracted.frames["indicators"] if r["scope"] == "department"]
    assert len(department) == 53


# ------------------------------------------------------------------- real Shanghai PDFs


@pytest.mark.parametrize("path", REAL_PDFS, ids=[p.name for p in REAL_PDFS])
def test_real_pdfs_without_summary_table_stage_no_summary_rows(path: Path) -> None:
    # GIVEN a real Shanghai PDF: its 绩效目标 chapter is prose ("详见单位的项目绩效目标表"),
    # its tables are budget tables whose headers name 项目 (项目 / 项目支出)
    tables = _tables(path)
    assert any("项目" in t.header_text() for t in tables)
    # WHEN the document is extracted
    extracted = extract_once(path)
    # THEN no table is taken for a summary table and nothing is staged from one
    assert not any(performance_summary.matches(t) for t in tables)
    assert _summary_projects(extracted) == []
    assert "performance_summary" not in {t["family"] for t in extracted.tables}


# ------------------------------------------------------------------------------ layouts


def _level2_groups_printed_once(path: Path) -> Path:
    header = [
        ["项目编码", "项目名称", "项目金额（元）", "", "", "产出指标", "", "", "",
         "满意度指标", ""],
        ["", "", "资金总额", "财政拨款", "其他资金", "数量指标", "", "质量指标", "", "", ""],
        ["", "", "", "", "", "指标名称", "指标值", "指标名称", "指标值", "指标名称", "指标值"],
    ]  # fmt: skip
    spans = [(0, 0, 0, 2), (1, 0, 1, 2), (2, 0, 4, 0), (2, 1, 2, 2), (3, 1, 3, 2),
             (4, 1, 4, 2), (5, 0, 8, 0), (5, 1, 6, 1), (7, 1, 8, 1), (9, 0, 10, 1)]  # fmt: skip
    body = [
        ["A-01", "乡村道路养护", "1,200,000.00", "1,000,000.00", "200,000.00",
         "养护里程", "≥120公里", "路面完好率", "≥95%", "群众满意度", "≥90%"],
        ["", "", "", "", "", "巡查次数", "≥24次", "", "", "", ""],
        ["", "", "", "", "", "", "", "验收合格率", "100%", "", ""],
        ["A-02", "农村饮水安全", "800,000.00", "800,000.00", "", "改造管网", "15公里",
         "水质达标率", "≥98%", "受益群众满意度", "≥95%"],
    ]  # fmt: skip
    return render(
        path,
        [
            Title("公开09表 2024年项目绩效目标表"),
            Line("部门名称：某县交通运输局"),
            Grid(header + body, spans=spans),
        ],
    )


def test_layout_level2_groups_separate_code_and_cells_printed_once(tmp_path: Path) -> None:
    # GIVEN a wide project-target table titled without 汇总: separate 项目编码 / 项目名称
    # columns, amounts in 元 from the header label, 产出指标 split into 数量指标 / 质量指标
    # sub-groups, and project cells printed on the project's first row only
    path = _level2_groups_printed_once(tmp_path / "level2.pdf")
    # WHEN the document is extracted
    extracted = extract_document(path, document_id="l2", source_uri=str(path))
    rows = _project_indicators(extracted)
    # THEN it is recognised by its header; later rows belong to the project above them;
    # the sub-group is level 2; empty group cells give no indicator
    assert [t["family"] for t in extracted.tables] == ["performance_summary"]
    assert [
        (r["project_name"], r["level1_name"], r["level2_name"], r["level3_name"], r["target_raw"])
        for r in rows
    ] == [
        ("乡村道路养护", "产出指标", "数量指标", "养护里程", "≥120公里"),
        ("乡村道路养护", "产出指标", "数量指标", "巡查次数", "≥24次"),
        ("乡村道路养护", "产出指标", "质量指标", "路面完好率", "≥95%"),
        ("乡村道路养护", "产出指标", "质量指标", "验收合格率", "100%"),
        ("乡村道路养护", "满意度指标", None, "群众满意度", "≥90%"),
        ("农村饮水安全", "产出指标", "数量指标", "改造管网", "15公里"),
        ("农村饮水安全", "产出指标", "质量指标", "水质达标率", "≥98%"),
        ("农村饮水安全", "满意度指标", None, "受益群众满意度", "≥95%"),
    ]
    projects = _summary_projects(extracted)
    assert [
        (p["project_code"], p["project_name"], p["amount_yuan"], p["government_funds_yuan"],
         p["other_funds_yuan"])
        for p in projects
    ] == [
        ("A-01", "乡村道路养护", Decimal("1200000.00"), Decimal("1000000.00"),
         Decimal("200000.00")),
        ("A-02", "农村饮水安全", Decimal("800000.00"), Decimal("800000.00"), Decimal(0)),
    ]  # fmt: skip
    assert not extracted.problems


def _long_layout_over_two_pages(
    path: Path, projects: int, merged: bool
) -> tuple[Path, list[tuple[str, ...]]]:
    header = [["单位编码（项目编码）", "项目单位（项目名称）", "项目金额（万元）", "一级指标",
               "二级指标", "三级指标", "指标值"]]  # fmt: skip
    rows = [
        ["合计", "", "150.0", "", "", "", ""],
        ["301", "", "150.0", "", "", "", ""],
        ["301001", "市体育局机关", "150.0", "", "", "", ""],
    ]
    spans: list[tuple[int, int, int, int]] = []
    expected: list[tuple[str, ...]] = []
    lines = [("产出指标", "数量指标", "赛事场次", "≥{n}场"), ("产出指标", "时效指标", "完成时间",
              "12月底前"), ("满意度指标", "服务对象满意度", "参赛者满意度", "≥90%")]  # fmt: skip
    for n in range(1, projects + 1):
        code, name = f"3101012400000000{n:04d}", f"全民健身赛事{n}"
        first = len(header) + len(rows)
        for i, (level1, level2, level3, value) in enumerate(lines):
            cells = [code, name, "15.0"] if i == 0 else ["", "", ""]
            rows.append([*cells, level1, level2, level3, value.format(n=n)])
            expected.append((name, level1, level2, level3, value.format(n=n)))
        if merged:
            spans += [(c, first, c, first + len(lines) - 1) for c in range(3)]
    rendered = render(
        path,
        [
            Title("2024年部门预算项目绩效目标汇总表"),
            Line("部门名称：市体育局"),
            Grid(header + rows, spans=spans, repeat_rows=1),
        ],
    )
    return rendered, expected


@pytest.mark.parametrize("merged", [True, False], ids=["project_cells_merged", "printed_once"])
def test_layout_long_form_summary_continued_on_next_page(tmp_path: Path, merged: bool) -> None:
    # GIVEN a 汇总表 in the long layout (一级/二级/三级指标 and 指标值 columns; project cells
    # merged over their rows, or printed on the first row only and then free to break across
    # the page) long enough to continue on a second page under a repeated header
    path, expected = _long_layout_over_two_pages(tmp_path / "long.pdf", 12, merged)
    tables = _tables(path)
    # WHEN the document is extracted
    extracted = extract_document(path, document_id="long", source_uri=str(path))
    rows = _project_indicators(extracted)
    # THEN the indicators family leaves the 汇总表 alone; every indicator of both pages comes
    # back in printed order with its levels from their columns
    assert not indicators.matches(tables[0])
    assert len({r["page_number"] for r in rows}) == 2
    assert [
        (r["project_name"], r["level1_name"], r["level2_name"], r["level3_name"], r["target_raw"])
        for r in rows
    ] == expected
    # AND each project is staged once, under the unit row's code, in 万元 from the header label
    projects = _summary_projects(extracted)
    assert [p["project_name"] for p in projects] == [f"全民健身赛事{n}" for n in range(1, 13)]
    assert {(p["unit_code"], p["unit_name"], p["amount_yuan"]) for p in projects} == {
        ("301001", "市体育局机关", Decimal("150000.0"))
    }
    assert not extracted.problems
