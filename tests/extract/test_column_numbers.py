"""栏次 rows number the columns in many notations; none of them is data."""

from __future__ import annotations

import pytest

from extract.tables import is_column_numbers, split_header


@pytest.mark.parametrize(
    "row",
    [
        ["栏次", "1", "2", "3"],
        ["行次", None, "1", "2"],
        ["1", "2", "3", "4", "5"],
        ["**", "**", "**", "**", "**", "1", "2", "3"],  # seed 001
        ["*", "*", "*", "1", "2", "3"],
        ["＊", "＊", "＊"],
        ["**", "1"],  # 杭州 表9: one amount column (项目支出)
    ],
)
def test_column_number_rows_in_any_notation(row: list[str | None]) -> None:
    assert is_column_numbers(row)


@pytest.mark.parametrize(
    "row",
    [
        ["201", "一般公共服务支出", "3.0"],
        ["1", "3", "5"],  # not consecutive: amounts
        ["**", "合计", "3.0"],
        ["2010101", "2", "3"],
        ["**", "2"],  # not counting from 1
        ["1", "2"],  # no mark: two amounts
    ],
)
def test_data_rows_are_not_column_numbers(row: list[str | None]) -> None:
    assert not is_column_numbers(row)


def test_a_starred_column_number_row_belongs_to_the_header() -> None:
    rows = [
        ["科目编码", "科目名称", "合计", "基本支出"],
        ["**", "**", "1", "2"],
        ["201", "一般公共服务支出", "3.0", "3.0"],
    ]
    assert split_header(rows) == 2
