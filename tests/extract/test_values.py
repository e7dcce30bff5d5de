from decimal import Decimal

import pytest

from extract.values import (
    Target,
    decimals_of,
    find_unit,
    normalize_text,
    parse_amount,
    parse_target,
    to_yuan,
)


@pytest.mark.parametrize(
    ("printed", "expected"),
    [
        ("73,630.3", Decimal("73630.3")),
        ("1,234,567.89", Decimal("1234567.89")),
        ("200.0", Decimal("200.0")),
        ("0", Decimal("0")),
        ("-12.5", Decimal("-12.5")),
        ("１，２３４.５", Decimal("1234.5")),  # full-width digits and comma
        (" 3,634.0 ", Decimal("3634.0")),
        ("2,976.\n7", Decimal("2976.7")),  # wrapped inside a narrow cell
    ],
)
def test_parse_amount_reads_printed_numbers_exactly(printed: str, expected: Decimal) -> None:
    assert parse_amount(printed) == expected


@pytest.mark.parametrize("blank", [None, "", "  ", "-", "—", "－"])
def test_parse_amount_blank_cells_are_none(blank: str | None) -> None:
    assert parse_amount(blank) is None


@pytest.mark.parametrize("text", ["合计", "12,34", "1.2.3", "约100"])
def test_parse_amount_rejects_text(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount(text)


def test_wan_yuan_converts_to_yuan_exactly() -> None:
    # GIVEN amounts printed in 万元 with one decimal, as in the seeds
    # WHEN converted to yuan
    # THEN the result is exact (no float drift) and in whole yuan
    assert to_yuan(parse_amount("73,630.3"), "万元") == Decimal("736303000.0")
    assert to_yuan(parse_amount("0.1"), "万元") == Decimal("1000.0")
    assert to_yuan(Decimal("1.23"), "元") == Decimal("1.23")
    assert to_yuan(Decimal("2.5"), "亿元") == Decimal("250000000.0")
    assert to_yuan(None, "万元") is None


def test_unknown_unit_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown amount unit"):
        to_yuan(Decimal(1), "千元")


@pytest.mark.parametrize(
    ("line", "unit"),
    [
        ("部门名称：郑州高新技术产业开发区经济发展部 单位：万元", "万元"),
        ("编制单位：上海市普陀区人民政府办公室 单位:万元", "万元"),
        ("编制部门：上海市普陀区司法局 单位：元", "元"),
        ("单位: 亿元", "亿元"),
        ("2024年部门收支总体情况表", None),
    ],
)
def test_find_unit_reads_the_unit_line(line: str, unit: str | None) -> None:
    assert find_unit(line) == unit


def test_decimals_of_counts_printed_decimals() -> None:
    assert decimals_of("1,234.50") == 2
    assert decimals_of("73,630.3") == 1
    assert decimals_of("2,932,700") == 0


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("工资福利支\n出", "工资福利支出"),
        ("对个人和家庭的\n补助", "对个人和家庭的补助"),
        ("  一般公共  服务支出 ", "一般公共服务支出"),
        ("5G 基站", "5G基站"),
        ("Wi-Fi  coverage", "Wi-Fi coverage"),
        ("部门（单位）整体绩效目标表", "部门（单位）整体绩效目标表"),
        (None, ""),
    ],
)
def test_normalize_text_rejoins_wrapped_cells(raw: str | None, normalized: str) -> None:
    assert normalize_text(raw) == normalized


@pytest.mark.parametrize(
    ("raw", "target"),
    [
        ("≥90%", Target(">=", Decimal("90"), "%")),
        ("≤2580万元", Target("<=", Decimal("2580"), "万元")),
        ("<2项", Target("<", Decimal("2"), "项")),
        ("=100%", Target("=", Decimal("100"), "%")),
        ("100%", Target("=", Decimal("100"), "%")),
        (">=95%", Target(">=", Decimal("95"), "%")),
        ("$\\geq$ 85%", Target(">=", Decimal("85"), "%")),
        ("≥90", Target(">=", Decimal("90"), None)),
        ("45360个", Target("=", Decimal("45360"), "个")),
        ("3万元", Target("=", Decimal("3"), "万元")),
        ("≥2020年建成5G基站数量的5%", Target(None, None, None)),
        ("预算批复60日内", Target(None, None, None)),
        ("提高", Target(None, None, None)),
        ("2023年12月31日前完成", Target(None, None, None)),
        ("12月底前", Target(None, None, None)),
        ("60日内", Target(None, None, None)),
        ("", Target(None, None, None)),
    ],
)
def test_parse_target(raw: str, target: Target) -> None:
    assert parse_target(raw) == target
