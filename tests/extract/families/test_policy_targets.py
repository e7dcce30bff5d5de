"""重大政策和重点项目绩效目标表 (seed 004): numbered project blocks, each its own grid."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extract.document import Extracted, extract_document
from extract.families import policy_targets
from extract.families.base import Record
from tests.conftest import REAL, SAMPLES, extract_once, logical_tables
from tests.pdfgen import Grid, Line, render

HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
WIDTHS = [70.0, 100.0, 170.0, 210.0, 110.0, 110.0]
BASIS = "上级财政推进乡村振兴衔接补助资金管理办法。"
GOAL = "进一步巩固拓展脱贫攻坚成果"

# Seed 004, 五、重大政策和重点项目等绩效目标, projects 1-4: (heading, goal, header,
# [(一级指标, [二级, 三级, 描述, 指标值, 依据] rows it is merged over)])
BLOCKS: list[tuple[str, str, list[str], list[tuple[str, list[list[str]]]]]] = [
    ("1. 财政推进乡村振兴衔接补助资金绩效目标表",
     "1.进一步巩固脱贫攻坚成果，保证已脱贫贫困人口不返贫，边缘易致贫户不致贫。", HEADER, [
        ("产出指标", [["数量指标", "资金支付率", "资金支付率", "≥100", BASIS],
                      ["成本指标", "项目资金支付率", "项目资金支付率", "≥100", BASIS],
                      ["时效指标", "资金支出率(%)", "资金支出率(%)", "≥100", BASIS],
                      ["质量指标", "资金支付率", "资金支付率", "≥100", BASIS]]),
        ("效益指标", [["经济效益指标", "资金使用效益", "资金使用效益", GOAL, BASIS],
                      ["可持续影响指标", "可持续性", "可持续性", GOAL, BASIS]]),
        ("满意度指标", [["服务对象满意度指标", "满意度", "满意度", "≥90", BASIS]]),
    ]),
    ("2.三馆一站免费开放资金",
     "区级美术馆、公共图书馆、文化馆以及乡镇综合文化站免费向社会公众开放。",
     [*HEADER[:5], "指标确定依据"], [
        ("产出指标", [["数量指标", "补助资金到位率", "补助资金到位的比率", "=100%", "工作安排"],
                      ["质量指标", "举办文化活动较上年增长率", "举办文化活动较上年增长的比率",
                       "≥5%", "工作安排"],
                      ["时效指标", "完成当年任务的时限", "完成任务的时限", "12月底前", "工作安排"],
                      ["成本指标", "补助金额", "补助标准", "=18.5万元", "预算安排"]]),
        ("效益指标", [["可持续影响指标", "免费开放文化馆(站)正常运转", "免费开放场馆正常运转",
                       "≥95%", "工作安排"],
                      ["社会效益指标", "免费开放服务水平稳步提升", "免费开放服务水平稳步提升",
                       "文字描述效果显著", "工作安排"]]),
        ("满意度指标", [["服务对象满意度指标", "受益群众对免费开放场馆服务的满意度",
                         "受益群众对免费开放满意的程度", "≥90%", "反馈意见"]]),
    ]),
    ("3.文化和旅游惠民工程补助绩效目标表",
     "1.发放“文化惠民卡”有效拉动文化和旅游消费，促进文化和繁荣发展，提升文化活力和文化品位。",
     HEADER, [
        ("产出指标", [["数量指标", "本年度发放文惠卡数量", "本年度发放文惠卡数量", "≥5700张",
                       "工作计划"],
                      ["质量指标", "保障观看高质量演出活动", "保障观看高质量演出等文化活动",
                       "效果显著", "工作计划"],
                      ["时效指标", "启动办理时间", "启动文惠卡办理及充值工作时间", "8月底前",
                       "工作计划"],
                      ["成本指标", "补贴金额发放", "控制预算成本", "≤57万元", "预算控制"]]),
        ("效益指标", [["社会效益指标", "丰富市民文化生活，提升我市文化气息",
                       "带动更多的观众走进剧场，进一步促进我市文化建设", "效果显著",
                       "行业标准"]]),
        ("满意度指标", [["服务对象满意度指标", "群众满意度", "群众满意数量占总数的比例", "≥80%",
                         "观众反馈意见"]]),
    ]),
    ("4. 清洁取暖市级补助绩效目标表", "1.冬季清洁取暖市级补贴资金筹集到位", HEADER, [
        ("产出指标", [["数量指标", "补助覆盖率", "发放补助农户数量/满足补助要求农户数量", "100%",
                       "清洁取暖实施方案"],
                      ["质量指标", "资金使用合规性", "资金使用符合相关规定",
                       "资金使用符合相关规定", "清洁取暖实施方案"],
                      ["时效指标", "补助资金下达时效", "补助资金及时下达", "及时下达",
                       "清洁取暖实施方案"],
                      ["成本指标", "成本控制情况", "各项支出不高于行业标准", "100%",
                       "清洁取暖实施方案"]]),
        ("效益指标", [["社会效益指标", "改善空气质量", "空气质量改善情况达到省级目标要求",
                       "100%", "清洁取暖实施方案"]]),
        ("满意度指标", [["服务对象满意度指标", "服务对象满意度",
                         "调查中满意和较满意的人数占调查总人数的比率", "≥90%",
                         "清洁取暖实施方案"]]),
    ]),
]  # fmt: skip

NAMES = ["财政推进乡村振兴衔接补助资金", "三馆一站免费开放资金", "文化和旅游惠民工程补助",
         "清洁取暖市级补助"]  # fmt: skip

# target_raw -> (comparator, value, unit) as extract.values.parse_target reads it (a deadline
# such as "12月底前" is not a number: comparator and value stay null)
TARGETS: dict[str, tuple[str | None, Decimal | None, str | None]] = {
    "≥100": (">=", Decimal(100), None),
    GOAL: (None, None, None),
    "≥90": (">=", Decimal(90), None),
    "=100%": ("=", Decimal(100), "%"),
    "≥5%": (">=", Decimal(5), "%"),
    "12月底前": (None, None, None),
    "=18.5万元": ("=", Decimal("18.5"), "万元"),
    "≥95%": (">=", Decimal(95), "%"),
    "文字描述效果显著": (None, None, None),
    "≥90%": (">=", Decimal(90), "%"),
    "≥5700张": (">=", Decimal(5700), "张"),
    "效果显著": (None, None, None),
    "8月底前": (None, None, None),
    "≤57万元": ("<=", Decimal(57), "万元"),
    "≥80%": (">=", Decimal(80), "%"),
    "100%": ("=", Decimal(100), "%"),
    "资金使用符合相关规定": (None, None, None),
    "及时下达": (None, None, None),
}


def _grid(goal: str, header: list[str], groups: list[tuple[str, list[list[str]]]]) -> Grid:
    """绩效目标 row (goal merged over five columns), header, 一级指标 merged over its rows."""
    rows = [["绩效目标", goal, "", "", "", ""], header]
    spans = [(1, 0, 5, 0)]
    for level1, lines in groups:
        first = len(rows)
        rows += [[level1 if i == 0 else "", *line] for i, line in enumerate(lines)]
        if len(lines) > 1:
            spans.append((0, first, 0, len(rows) - 1))
    return Grid(rows, spans=spans, col_widths=WIDTHS)


def _policy_section(path: Path) -> Path:
    """Seed 004's section: four blocks; block 3's grid continues on page 2."""
    blocks: list[object] = [Line("五、重大政策和重点项目等绩效目标")]
    for heading, goal, header, groups in BLOCKS:
        blocks += [Line(heading), _grid(goal, header, groups)]
    return render(path, blocks)


def _expected() -> list[tuple[object, ...]]:
    return [
        (name, level1, level2, level3, description, value, *TARGETS[value])
        for name, (_, _, _, groups) in zip(NAMES, BLOCKS, strict=True)
        for level1, lines in groups
        for level2, level3, description, value, _ in lines
    ]


def _rows(extracted: Extracted) -> list[Record]:
    return [r for r in extracted.frames["indicators"] if r["table_title"] is not None]


@pytest.fixture(scope="module")
def section(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _policy_section(tmp_path_factory.mktemp("policy") / "policy_section.pdf")


def test_layout_numbered_headings_start_one_table_per_project(section: Path) -> None:
    # GIVEN the section with four numbered headings, block 2's not ending in 表, and block 3
    # continued on the next page without a heading or header
    # WHEN the pages are stitched
    tables = logical_tables(section)
    # THEN each heading starts its own table (block 2 is not glued to block 1) and block 3
    # spans both pages
    assert [t.title for t in tables] == [
        "1.财政推进乡村振兴衔接补助资金绩效目标表",
        "2.三馆一站免费开放资金",
        "3.文化和旅游惠民工程补助绩效目标表",
        "4.清洁取暖市级补助绩效目标表",
    ]
    assert [[p.page_number for p in t.parts] for t in tables] == [[1], [1], [1, 2], [2]]


def test_layout_policy_blocks_give_exact_indicator_rows(section: Path) -> None:
    # GIVEN the four-block section (merged 一级指标 cells, 指标确定依据 in block 2)
    # WHEN the document is extracted
    extracted = extract_document(section, document_id="policy", source_uri=str(section))
    rows = extracted.frames["indicators"]
    # THEN the policy family claims every block, and every indicator comes back in printed
    # order with its project, levels, description and parsed target
    assert [t["family"] for t in extracted.tables] == ["policy_targets"] * 4
    assert [
        (r["project_name"], r["level1_name"], r["level2_name"], r["level3_name"],
         r["description"], r["target_raw"], r["comparator"], r["target_value"],
         r["target_unit"])
        for r in rows
    ] == _expected()  # fmt: skip
    assert {r["scope"] for r in rows} == {"project"}
    assert not extracted.problems


def test_layout_block_continued_on_next_page_keeps_its_project_and_levels(
    section: Path,
) -> None:
    # GIVEN block 3, whose header is on page 1 and whose indicator rows are on page 2
    # WHEN the document is extracted
    extracted = extract_document(section, document_id="policy", source_uri=str(section))
    rows = [r for r in _rows(extracted) if r["project_name"] == "文化和旅游惠民工程补助"]
    # THEN its six rows carry page 2, their own table index and the 一级指标 merged over them
    assert [(r["page_number"], r["table_index"], r["level1_name"]) for r in rows] == [
        (2, 2, "产出指标"), (2, 2, "产出指标"), (2, 2, "产出指标"), (2, 2, "产出指标"),
        (2, 2, "效益指标"), (2, 2, "满意度指标"),
    ]  # fmt: skip


def test_layout_policy_blocks_give_one_project_row_each(section: Path) -> None:
    # GIVEN the four-block section, which prints no amounts
    # WHEN the document is extracted
    extracted = extract_document(section, document_id="policy", source_uri=str(section))
    # THEN one projects row per heading, named without number and 绩效目标表, no amount
    assert [
        (p["project_name"], p["source_family"], p["amount_yuan"], p["page_number"])
        for p in extracted.frames["projects"]
    ] == [
        (name, "policy_targets", None, page) for name, page in zip(NAMES, [1, 1, 1, 2], strict=True)
    ]


def test_layout_continuation_under_repeated_header_stays_one_table(tmp_path: Path) -> None:
    # GIVEN one long block whose 绩效目标 row and header repeat at the top of page 2, with no
    # heading above them there
    # (one row per group: this reportlab does not split a table inside a span)
    groups = [("产出指标", [[f"数量指标{n}", f"指标{n}", f"描述{n}", f"≥{n}个", "文件依据"]])
              for n in range(1, 41)]  # fmt: skip
    grid = _grid("保障正常运转", HEADER, groups)
    grid.repeat_rows = 2
    path = render(tmp_path / "long.pdf", [Line("6. 青少年近视防控光明工程绩效目标表"), grid])
    # WHEN the document is extracted
    extracted = extract_document(path, document_id="long", source_uri=str(path))
    # THEN it stays one table of 40 indicators over two pages, all of one project
    assert len(extracted.tables) == 1
    rows = extracted.frames["indicators"]
    assert [r["level3_name"] for r in rows] == [f"指标{n}" for n in range(1, 41)]
    assert {r["project_name"] for r in rows} == {"青少年近视防控光明工程"}
    assert {r["page_number"] for r in rows} == {1, 2}


@pytest.mark.parametrize(
    ("heading", "name"),
    [
        ("4. 清洁取暖市级补助绩效目标表", "清洁取暖市级补助"),
        ("2.三馆一站免费开放资金", "三馆一站免费开放资金"),
        ("（三）城乡义务教育市级配套资金绩效目标", "城乡义务教育市级配套资金"),
        ("10、中职国家助学金市级资金绩效目标表", "中职国家助学金市级资金"),
    ],
)
def test_project_name_drops_number_and_suffix(heading: str, name: str) -> None:
    # GIVEN a block heading WHEN its project name is taken THEN number and suffix are gone
    assert policy_targets.project_name(heading) == name


@pytest.mark.parametrize(
    "path", [SAMPLES / "doc_a.pdf", *sorted(REAL.glob("*.pdf"))], ids=lambda p: p.name
)
def test_documents_without_policy_blocks_stage_none(path: Path) -> None:
    # GIVEN doc_a and the real Shanghai PDFs, which print no 重大政策 blocks
    # WHEN they are extracted
    extracted = extract_once(path)
    # THEN each of their nine tables was tried, and none is claimed by the policy family,
    # and no projects row comes from it
    assert len(extracted.tables) == 9
    assert not [t for t in extracted.tables if t["family"] == "policy_targets"]
    assert not [p for p in extracted.frames["projects"] if p["source_family"] == "policy_targets"]
