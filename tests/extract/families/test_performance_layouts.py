"""Performance-target layouts a neighbouring city may print (reportlab): the title and
header variants of the national template that tests/test_real_national_performance.py
reads in real prints, printed otherwise. Each test names what its layout shows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from extract.document import Extracted, extract_document
from extract.values import Target, printed_target
from tests.pdfgen import Grid, Line, Title, render

WAN = Decimal(10_000)


def extract(tmp_path: Path, blocks: list[object]) -> Extracted:
    path = render(tmp_path / "targets.pdf", blocks)
    return extract_document(path, document_id="targets", source_uri=str(path))


def families(extracted: Extracted) -> list[str | None]:
    return [t["family"] for t in extracted.tables]


def indicators(extracted: Extracted) -> list[tuple[object, ...]]:
    return [
        (r["scope"], r["project_name"], r["level1_name"], r["level2_name"], r["level3_name"],
         r["target_raw"], r["comparator"], r["target_value"], r["target_unit"])
        for r in extracted.frames["indicators"]
    ]  # fmt: skip


def test_a_units_overall_table_under_another_title_is_the_departments(tmp_path: Path) -> None:
    extracted = extract(
        tmp_path,
        [
            Title("2026年单位整体支出绩效目标申报表"),
            Line("单位名称：某市测试中心"),
            Grid(
                [["年度主要任务", "日常运转", "日常运转", "日常运转"],
                 ["一级指标", "二级指标", "三级指标", "指标值"],
                 ["产出指标", "数量指标", "完成检测批次", "≥120批次"],
                 ["满意度指标", "服务对象满意度指标", "送检单位满意度", "≥90%"]]
            ),
        ],
    )  # fmt: skip
    assert families(extracted) == ["indicators"]
    assert indicators(extracted) == [
        ("department", None, "产出指标", "数量指标", "完成检测批次", "≥120批次", ">=",
         Decimal(120), "批次"),
        ("department", None, "满意度指标", "服务对象满意度指标", "送检单位满意度", "≥90%", ">=",
         Decimal(90), "%"),
    ]  # fmt: skip


def test_a_transfer_form_adds_up_its_fiscal_sources_of_each_level(tmp_path: Path) -> None:
    extracted = extract(
        tmp_path,
        [
            Title("专项转移支付绩效目标表"),
            Line("单位：万元"),
            Grid(
                [["转移支付名称", "农村公路养护补助", "市级主管部门", "某市交通运输局"],
                 ["资金情况", "年度金额：", "800.00", "800.00"],
                 ["资金情况", "其中：中央财政资金", "500.00", "500.00"],
                 ["资金情况", "市级财政资金", "300.00", "300.00"],
                 ["资金情况", "其他资金", "", ""],
                 ["一级指标", "二级指标", "三级指标", "指标值"],
                 ["产出指标", "数量指标", "养护里程", "≥1200公里"]],
                spans=[(0, 1, 0, 4)],
            ),
        ],
    )  # fmt: skip
    assert families(extracted) == ["indicators"]
    [project] = extracted.frames["projects"]
    assert (project["project_name"], project["department_name"]) == (
        "农村公路养护补助",
        "某市交通运输局",
    )
    assert (project["amount_yuan"], project["government_funds_yuan"]) == (800 * WAN, 800 * WAN)
    assert indicators(extracted) == [
        ("project", "农村公路养护补助", "产出指标", "数量指标", "养护里程", "≥1200公里", ">=",
         Decimal(1200), "公里"),
    ]  # fmt: skip


def test_a_grid_of_indicator_names_whose_name_says_target_value(tmp_path: Path) -> None:
    # 指标名称 | 指标性质 | 指标值 | 计量单位, one of whose rows names an indicator 指标值…:
    # a row that prints a number is no header
    extracted = extract(
        tmp_path,
        [
            Title("2026年部门整体绩效目标表"),
            Line("单位名称：某市测试局"),
            Grid(
                [["绩效指标", "指标名称", "指标性质", "指标值", "计量单位"],
                 ["绩效指标", "指标值达标率", "≥", "95", "%"],
                 ["绩效指标", "检查对象数量", "≥", "684", "个"],
                 ["绩效指标", "群众反映", "定性", "好", ""]],
                spans=[(0, 0, 0, 3)],
            ),
        ],
    )  # fmt: skip
    assert indicators(extracted) == [
        ("department", None, None, None, "指标值达标率", "95", ">=", Decimal(95), "%"),
        ("department", None, None, None, "检查对象数量", "684", ">=", Decimal(684), "个"),
        ("department", None, None, None, "群众反映", "好", None, None, None),
    ]


def test_a_long_project_table_with_names_printed_once(tmp_path: Path) -> None:
    # 项目名称 | 金额 | 绩效目标 | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 计量单位,
    # a project's name, amount and goal printed on its first row only, under a title that
    # names no 汇总
    header = ["项目名称", "金额", "绩效目标", "一级指标", "二级指标", "三级指标", "指标性质",
              "指标值", "计量单位"]  # fmt: skip
    extracted = extract(
        tmp_path,
        [
            Title("2026年项目支出绩效目标表"),
            Line("部门名称：某市测试局 单位：万元"),
            Grid(
                [header,
                 ["档案数字化", "120.50", "完成馆藏档案数字化", "产出指标", "数量指标",
                  "数字化页数", "≥", "50", "万页"],
                 ["", "", "", "产出指标", "质量指标", "验收合格率", "＝", "100", "%"],
                 ["安全运维", "30.00", "系统稳定运行", "效益指标", "社会效益指标",
                  "系统可用率", "≥", "99", "%"]]
            ),
        ],
    )  # fmt: skip
    assert families(extracted) == ["performance_summary"]
    assert [r[1:] for r in indicators(extracted)] == [
        ("档案数字化", "产出指标", "数量指标", "数字化页数", "50", ">=", Decimal(50), "万页"),
        ("档案数字化", "产出指标", "质量指标", "验收合格率", "100", "=", Decimal(100), "%"),
        ("安全运维", "效益指标", "社会效益指标", "系统可用率", "99", ">=", Decimal(99), "%"),
    ]
    assert [(p["project_name"], p["amount_yuan"]) for p in extracted.frames["projects"]] == [
        ("档案数字化", Decimal("120.50") * WAN),
        ("安全运维", Decimal("30.00") * WAN),
    ]
    assert not extracted.problems


def test_a_project_list_with_one_name_under_two_units(tmp_path: Path) -> None:
    # 单位名称 | 项目名称 | 预算数（万元） | 绩效目标: one amount column naming no source is the
    # project's amount; one name under two units one after the other is two projects
    extracted = extract(
        tmp_path,
        [
            Title("2026年部门项目支出绩效表"),
            Line("部门名称：某市测试局"),
            Grid(
                [["单位名称", "项目名称", "预算数（万元）", "绩效目标"],
                 ["某市测试局", "日常保障运行", "12.00", "保障机关正常运转"],
                 ["某市测试中心", "日常保障运行", "8.00", "保障中心正常运转"]]
            ),
        ],
    )  # fmt: skip
    assert families(extracted) == ["performance_summary"]
    assert extracted.frames["indicators"] == []
    assert [
        (p["unit_name"], p["project_name"], p["amount_yuan"], p["other_funds_yuan"])
        for p in extracted.frames["projects"]
    ] == [
        ("某市测试局", "日常保障运行", 12 * WAN, None),
        ("某市测试中心", "日常保障运行", 8 * WAN, None),
    ]


def test_a_target_printed_over_three_cells() -> None:
    assert printed_target("27", "≥", "座") == Target(">=", Decimal(27), "座")
    assert printed_target("100", "＝", "%") == Target("=", Decimal(100), "%")
    assert printed_target("5", "＜", "分钟") == Target("<", Decimal(5), "分钟")
    # 定性 is no number, whatever the value cell prints
    assert printed_target("优", "定性", None) == Target(None, None, None)
    assert printed_target("1", "定性", "次") == Target(None, None, None)
    # the value cell's own comparator and unit win; a 指标性质 that is no comparator is none
    assert printed_target("≥90%", "≥", "%") == Target(">=", Decimal(90), "%")
    assert printed_target("≤44天", None, None) == Target("<=", Decimal(44), "天")
    assert printed_target("30", "正向", "个") == Target("=", Decimal(30), "个")
