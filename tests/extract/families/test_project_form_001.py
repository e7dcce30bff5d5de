"""项目绩效目标表 in the seed-001 layout: one form per project, generated with reportlab.

Seed 001 (济源, 2021) prints each form under "<unit>（行政）支出项目绩效目标表", (2021年),
单位：万元: a head of label-value pairs (项目名称; 单位编码 · 资金用途; 项目负责人 · 联系人;
项目总金额 · 项目本年度金额; 上年度项目总金额 …), 项目详细信息, 项目总目标 / 年度绩效目标,
then the grid 一级指标 / 二级指标 / 三级指标 / 目标值 and a row of seals. The form never names
its department: the title names the unit. Other forms of the same family print 主管部门及代码 ·
实施单位 and 项目总金额 over its fund sources, and 指标值 for 目标值.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extract.document import Extracted, extract_document
from extract.families import indicators
from extract.families.base import Record
from tests.conftest import logical_tables
from tests.pdfgen import Grid, Line, PageBreak, Title, cut_grid, render

UNIT = "济源产城融合示范区工业和科技创新委员会"
TITLE = f"{UNIT}（行政）支出项目绩效目标表"
WIDTHS = [110.0, 110.0, 205.0, 110.0]
SEALS = ["预算单位（盖章）：", "", "主管部门（盖章）：", ""]

# (一级指标, [(二级指标, [(三级指标, 目标值)])]); a 二级 without 三级 prints a blank row
Groups = list[tuple[str, list[tuple[str, list[tuple[str, str]]]]]]
MANAGEMENT: Groups = [
    ("投入与目标管理", [
        ("投入管理", [("预算执行率", "=100%"), ("预算编制合理性", "合理"),
                      ("预算资金到位情况", "=100%")]),
        ("财务管理", [("财务管理制度健全性", "健全"), ("资金使用规范性", "合规")]),
        ("资产管理", []),
    ]),
]  # fmt: skip

# Form A (seed 001, 全市性培训专项-企业家培训经费): the grid breaks inside 产出目标, whose merged
# 一级指标 cell the page cuts; its label is drawn on page 1 only.
FORM_A_PAGE_1: Groups = [
    *MANAGEMENT,
    ("产出目标", [("数量", [("培训人数", "≤50人")]), ("质量", [("培训时长", "≤7天")])]),
]
FORM_A_PAGE_2: Groups = [
    ("产出目标", [("时效", [("培训安排及时性", "及时")]), ("成本", [("培训支出", "≤30万元")])]),
    ("效果目标", [("经济效益", []), ("社会效益", [("企业家素质", "提升")]),
                  ("满意度", [("培训企业家满意度", "≥95%")])]),
    ("影响力目标", [("长效管理", [("长效管理机制健全性", "健全")]), ("人力资源", [])]),
]  # fmt: skip

# Form B (seed 001, 高新技术企业 / 质量标杆 奖补; amounts made larger to print thousands
# separators): head and grid in one ruled table; 产出目标 starts at the 资产管理 row, as printed.
FORM_B: Groups = [
    ("投入与目标管理", [("投入管理", [("预算执行率", "=100%")])]),
    ("产出目标", [
        ("资产管理", []),
        ("数量", [("高新技术奖补企业数量", "27家"), ("质量标杆奖补企业数量", "1家")]),
        ("时效", [("项目申报及时率", "100%"), ("扶持资金发放及时率", "100%")]),
        ("成本", [("高新技术企业支持资金", "1,750万元")]),
    ]),
    ("效果目标", [("社会效益", [("支持企业发展力度", "加大")]),
                  ("满意度", [("扶持企业满意率", "100%")])]),
]  # fmt: skip

# Form C (主管部门及代码 · 实施单位, fund sources below 项目总金额, amounts printed with 万元,
# 指标值): 一级 and 二级 printed once over blank, unmerged cells.
FORM_C: Groups = [
    ("产出指标", [
        ("数量指标", [("服务企业数量", "≥300家"), ("举办培训场次", "≥12场")]),
        ("时效指标", [("补助资金拨付时间", "12月底前")]),
        ("成本指标", [("平台运营成本", "≤2,345.6万元")]),
    ]),
    ("效益指标", [("社会效益指标", [("带动中小企业发展", "效果明显")])]),
    ("满意度指标", [("服务对象满意度指标", [("企业满意度", "≥90%")])]),
]  # fmt: skip

NAME_A = "全市性培训专项-企业家培训经费"
NAME_B = "支持企业发展专项-2019年度高新技术企业及2020年度全国质量标杆奖励扶持资金"
NAME_C = "中小企业公共服务平台运营补助"
SME_BUREAU = "济源市中小企业发展服务局"

# target_raw -> (comparator, value, unit) as extract.values.parse_target reads it; prose
# and deadlines keep comparator and value null
TARGETS: dict[str, tuple[str | None, Decimal | None, str | None]] = {
    "=100%": ("=", Decimal(100), "%"),
    "100%": ("=", Decimal(100), "%"),
    "≥95%": (">=", Decimal(95), "%"),
    "≥90%": (">=", Decimal(90), "%"),
    "≤50人": ("<=", Decimal(50), "人"),
    "≤7天": ("<=", Decimal(7), "天"),
    "≤30万元": ("<=", Decimal(30), "万元"),
    "27家": ("=", Decimal(27), "家"),
    "1家": ("=", Decimal(1), "家"),
    "1,750万元": ("=", Decimal(1750), "万元"),
    "≥300家": (">=", Decimal(300), "家"),
    "≥12场": (">=", Decimal(12), "场"),
    "≤2,345.6万元": ("<=", Decimal("2345.6"), "万元"),
    "12月底前": (None, None, None),
    "合理": (None, None, None),
    "健全": (None, None, None),
    "合规": (None, None, None),
    "及时": (None, None, None),
    "提升": (None, None, None),
    "加大": (None, None, None),
    "效果明显": (None, None, None),
}


def _grid_rows(groups: Groups, first_row: int, *, merged: bool = True) -> tuple[
    list[list[str]], list[tuple[int, int, int, int]]
]:  # fmt: skip
    """Indicator rows, 一级 and 二级 printed on their first row only: merged over the rest
    (as office software does) or left blank (`merged=False`)."""
    rows: list[list[str]] = []
    spans: list[tuple[int, int, int, int]] = []
    for level1, level2s in groups:
        start1 = first_row + len(rows)
        for level2, items in level2s:
            start2 = first_row + len(rows)
            for level3, value in items or [("", "")]:
                first1, first2 = first_row + len(rows) == start1, first_row + len(rows) == start2
                rows.append([level1 if first1 else "", level2 if first2 else "", level3, value])
            if merged and first_row + len(rows) - 1 > start2:
                spans.append((1, start2, 1, first_row + len(rows) - 1))
        if merged and first_row + len(rows) - 1 > start1:
            spans.append((0, start1, 0, first_row + len(rows) - 1))
    return rows, spans


def _goals(total: str, annual: str) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    rows = [["项目总目标", total, "", ""], ["年度绩效目标", annual, "", ""],
            ["一级指标", "二级指标", "三级指标", "目标值"]]  # fmt: skip
    return rows, [(1, 0, 3, 0), (1, 1, 3, 1)]


def _form_a() -> list[object]:
    """Seed 001's layout: head, 项目详细信息 and grid as three ruled tables; the grid goes on
    over the page break, cutting the merged 产出目标 cell."""
    head = Grid(
        [
            ["项目名称", NAME_A, "", ""],
            ["单位编码", "017001001", "资金用途", "业务类"],
            ["项目负责人", "苗萱", "联系人", "魏佩红"],
            ["联系电话", "6633673", "", ""],
            ["开始时间", "2021-01-01", "结束时间", "2021-12-31"],
            ["项目总金额", "30.00", "项目本年度金额", "30.00"],
            ["上年度项目总金额", "25.00", "项目上年度金额", "25.00"],
        ],
        spans=[(1, 0, 3, 0), (1, 3, 3, 3)],
        col_widths=WIDTHS,
    )
    details = Grid(
        [
            ["项目概况", "全面推进“企业经营管理人才队伍素质提升工程”的实施。"],
            ["立项依据", "《2019-2022年全市干部教育培训规划》（济发〔2019〕8号）"],
            ["项目实施计划", "完成约50名企业家的培训工作。"],
            ["备注", ""],
        ],
        col_widths=[110.0, 425.0],
    )
    goals, spans = _goals(
        "推进企业家培训，加强优秀企业家队伍建设，助力济源工业经济发展。",
        "完成2021年度企业家培训工作。",
    )
    page_1, spans_1 = _grid_rows(FORM_A_PAGE_1, len(goals))
    page_2, spans_2 = _grid_rows(FORM_A_PAGE_2, 0)
    page_2[0][0] = ""  # the cut 产出目标 cell: its text is drawn on page 1 only
    return [
        Title(TITLE),
        Line("(2021年)"),
        Line("单位：万元"),
        head,
        Line("项目详细信息"),
        details,
        Line("项目绩效目标"),
        cut_grid(Grid(goals + page_1, spans + spans_1, col_widths=WIDTHS), open_below=(0,)),
        PageBreak(),
        cut_grid(Grid([*page_2, SEALS], spans_2, col_widths=WIDTHS), open_above=(0,)),
    ]


def _form_b() -> list[object]:
    """Seed 001's layout in one ruled table, amounts with thousands separators."""
    head = [
        ["项目名称", NAME_B, "", ""],
        ["单位编码", "017001001", "资金用途", "业务类"],
        ["项目负责人", "薛天玲", "联系人", "史丽霞"],
        ["项目总金额", "1,800.00", "项目本年度金额", "1,800.00"],
        ["上年度项目总金额", "1,390.00", "项目上年度金额", "1,390.00"],
    ]
    goals, spans = _goals("做好济源示范区高新技术企业奖补工作。", "做好年度奖补工作。")
    spans = [(1, 0, 3, 0)] + [(c0, r0 + len(head), c1, r1 + len(head)) for c0, r0, c1, r1 in spans]
    rows, grid_spans = _grid_rows(FORM_B, len(head) + len(goals))
    return [
        Title(TITLE),
        Line("(2021年)"),
        Line("单位：万元"),
        Grid([*head, *goals, *rows, SEALS], spans + grid_spans, col_widths=WIDTHS),
    ]


def _form_c() -> list[object]:
    """主管部门及代码 · 实施单位; 项目总金额 over 合计 / 财政拨款 / 其他资金; 指标值."""
    head = [
        ["项目名称", NAME_C, "", ""],
        ["主管部门及代码", f"[017]{UNIT}", "实施单位", SME_BUREAU],
        ["项目负责人", "王军祥", "联系电话", "6630551"],
        ["项目总金额", "合计", "财政拨款", "其他资金"],
        ["", "2,345.60万元", "2,000.00万元", "345.60万元"],
        ["年度目标", "为全市中小企业提供公共服务，全年服务企业300家以上。", "", ""],
        ["一级指标", "二级指标", "三级指标", "指标值"],
    ]
    rows, _ = _grid_rows(FORM_C, len(head), merged=False)
    spans = [(1, 0, 3, 0), (0, 3, 0, 4), (1, 5, 3, 5)]
    return [
        Title("项目支出绩效目标表"),
        Line("(2021年)"),
        Grid(head + rows, spans, col_widths=WIDTHS),
    ]


def _render(path: Path) -> Path:
    return render(path, [*_form_a(), PageBreak(), *_form_b(), PageBreak(), *_form_c()], wide=False)


def _expected(name: str, department: str, groups: Groups) -> list[tuple[object, ...]]:
    return [
        (name, department, level1, level2, level3, value, *TARGETS[value])
        for level1, level2s in groups
        for level2, items in level2s
        for level3, value in items
    ]


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _render(tmp_path_factory.mktemp("project_form_001") / "forms.pdf")


@pytest.fixture(scope="module")
def extracted(forms: Path) -> Extracted:
    return extract_document(forms, document_id="forms", source_uri=str(forms))


def _rows(extracted: Extracted, project: str) -> list[Record]:
    return [r for r in extracted.frames["indicators"] if r["project_name"] == project]


def test_layout_each_form_is_one_table_and_form_a_spans_the_page_break(forms: Path) -> None:
    # GIVEN three forms, form A in three ruled tables (head, 项目详细信息, grid) whose grid
    # goes on to page 2
    # WHEN the pages are stitched
    tables = logical_tables(forms)
    # THEN each title starts one table, form A's parts stay together over both pages
    assert [(t.title, [p.page_number for p in t.parts]) for t in tables] == [
        (TITLE, [1, 1, 1, 2]),
        (TITLE, [3]),
        ("项目支出绩效目标表", [4]),
    ]


def test_every_form_is_claimed_by_the_indicators_family(extracted: Extracted) -> None:
    # GIVEN the three forms WHEN extracted THEN the indicators family claims each, at project
    # scope, with nothing it could not read
    assert [t["family"] for t in extracted.tables] == ["indicators"] * 3
    assert {r["scope"] for r in extracted.frames["indicators"]} == {"project"}
    assert not extracted.problems


def test_form_a_indicators_exact_across_the_page_break(extracted: Extracted) -> None:
    # GIVEN form A, its grid cut inside the merged 产出目标 cell by the page break
    # WHEN extracted
    rows = _rows(extracted, NAME_A)
    # THEN every indicator comes back in printed order with its levels and parsed target;
    # blank 资产管理 / 经济效益 / 人力资源 rows, the goal rows and the seals give none
    assert [
        (r["project_name"], r["department_name"], r["level1_name"], r["level2_name"],
         r["level3_name"], r["target_raw"], r["comparator"], r["target_value"],
         r["target_unit"])
        for r in rows
    ] == _expected(NAME_A, UNIT, FORM_A_PAGE_1 + FORM_A_PAGE_2)  # fmt: skip
    assert all(r["description"] is None for r in rows)


def test_form_a_rows_under_the_cut_cell_keep_its_label_on_both_pages(
    extracted: Extracted,
) -> None:
    # GIVEN form A, whose 产出目标 label is drawn on page 1 only
    rows = [r for r in _rows(extracted, NAME_A) if r["level1_name"] == "产出目标"]
    # THEN its four indicators carry it, two on each page, in one table
    assert [(r["level3_name"], r["page_number"], r["table_index"]) for r in rows] == [
        ("培训人数", 1, 0), ("培训时长", 1, 0), ("培训安排及时性", 2, 0), ("培训支出", 2, 0),
    ]  # fmt: skip


def test_form_b_indicators_exact(extracted: Extracted) -> None:
    # GIVEN form B, head and grid in one ruled table, 产出目标 opening at a blank 资产管理 row
    rows = _rows(extracted, NAME_B)
    # THEN its indicators come back exactly, "1,750万元" read as 1750 万元
    assert [
        (r["project_name"], r["department_name"], r["level1_name"], r["level2_name"],
         r["level3_name"], r["target_raw"], r["comparator"], r["target_value"],
         r["target_unit"])
        for r in rows
    ] == _expected(NAME_B, UNIT, FORM_B)  # fmt: skip
    assert {r["page_number"] for r in rows} == {3}


def test_form_c_levels_printed_once_over_blank_cells_are_forward_filled(
    extracted: Extracted,
) -> None:
    # GIVEN form C: 一级 and 二级 printed on a group's first row, blank (not merged) below
    rows = _rows(extracted, NAME_C)
    # THEN each row takes the levels above it; its department is the 主管部门 without code
    assert [
        (r["project_name"], r["department_name"], r["level1_name"], r["level2_name"],
         r["level3_name"], r["target_raw"], r["comparator"], r["target_value"],
         r["target_unit"])
        for r in rows
    ] == _expected(NAME_C, UNIT, FORM_C)  # fmt: skip


def test_one_project_per_form_with_unit_code_and_amounts_in_yuan(extracted: Extracted) -> None:
    # GIVEN forms A (30.00, 上年度 25.00, 单位：万元), B (1,800.00 with separators, 上年度
    # 1,390.00) and C (2,345.60万元 = 2,000.00万元 财政拨款 + 345.60万元 其他资金)
    # WHEN extracted
    projects = extracted.frames["projects"]
    # THEN one project each: 项目总金额 (not 上年度) converted exactly to yuan, unit code from
    # 单位编码, department and unit from the form's own rows, else the unit its title names
    assert [
        (p["project_name"], p["department_name"], p["unit_name"], p["unit_code"],
         p["amount_yuan"], p["government_funds_yuan"], p["other_funds_yuan"],
         p["source_family"], p["page_number"])
        for p in projects
    ] == [
        (NAME_A, UNIT, UNIT, "017001001", Decimal(300000), None, None, "project_form", 1),
        (NAME_B, UNIT, UNIT, "017001001", Decimal(18000000), None, None, "project_form", 3),
        (NAME_C, UNIT, SME_BUREAU, None, Decimal(23456000), Decimal(20000000),
         Decimal(3456000), "project_form", 4),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("title", "unit"),
    [
        (TITLE, UNIT),
        ("济源市中小企业发展服务局（全供）支出项目绩效目标表", SME_BUREAU),
        ("2024年郑州市教育局项目绩效目标表", "郑州市教育局"),
        ("郑州市科学技术局2023年项目支出绩效目标表", "郑州市科学技术局"),
        ("本级部门预算项目绩效目标表", None),
        ("项目绩效目标表", None),
        ("公开09表 2024年项目绩效目标表", None),
        (None, None),
    ],
)
def test_title_unit(title: str | None, unit: str | None) -> None:
    # GIVEN a form title WHEN its unit is read THEN the unit without its funding form, or
    # None where the title names no organisation
    assert indicators.title_unit(title) == unit


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        (f"[017]{UNIT}", UNIT, "017"),
        ("济源市科学技术局（017001）", "济源市科学技术局", "017001"),
        ("017001 济源市科学技术局", "济源市科学技术局", "017001"),
        ("郑州市第106中学", "郑州市第106中学", None),
        ("017001001", "017001001", None),
    ],
)
def test_name_and_code(text: str, name: str, code: str | None) -> None:
    # GIVEN a 主管部门及代码 value WHEN split THEN the name as printed and the code apart
    assert indicators.name_and_code(text) == (name, code)


@pytest.mark.parametrize(
    ("text", "field", "unit"),
    [
        ("项目总金额", "amount", None),
        ("项目总金额（万元）", "amount", "万元"),
        ("本年资金总额", "amount", None),
        ("上年度项目总金额", None, None),
        ("项目本年度金额", None, None),
        ("其中：财政拨款", "government", None),
        ("（1）财政拨款（补助）", "government", None),
        ("其中：政府预算资金", "government", None),
        ("财政拨款结转", "other", None),
        ("其他资金（元）", "other", "元"),
        ("主管部门及代码：", "department", None),
        ("实施单位", "unit", None),
        ("单位编码", "unit_code", None),
        ("项目负责人", None, None),
        ("预算单位（盖章）：", None, None),
    ],
)
def test_form_labels(text: str, field: str | None, unit: str | None) -> None:
    # GIVEN a printed form label WHEN read THEN the field it names and the unit it prints
    label, printed_unit = indicators.label_of(text)
    assert (indicators.field_of(label), printed_unit) == (field, unit)
