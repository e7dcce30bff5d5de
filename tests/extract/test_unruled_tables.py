"""Tables with full rulings, only an outer frame, only horizontal rules or none at all are
read alike: where rulings find no table, the alignment of the words does."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extract.document import extract_document
from extract.pdf import _looks_tabular, read_pages
from tests.pdfgen import Grid, Line, Title, render

ROWS = [
    ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
    ["", "合计", "1,203.50", "803.50", "400.00"],
    ["201", "一般公共服务支出", "1,203.50", "803.50", "400.00"],
    ["20101", "人大事务", "1,203.50", "803.50", "400.00"],
    ["2010101", "行政运行", "803.50", "803.50", ""],
    ["2010102", "一般行政管理事务", "400.00", "", "400.00"],
]


def function_rows(path: Path) -> list[tuple[object, ...]]:
    extracted = extract_document(path, document_id="x", source_uri=str(path))
    return [
        (r["row_kind"], r["function_code"], r["total_yuan"], r["basic_yuan"], r["project_yuan"])
        for r in extracted.frames["function_expenditure"]
    ]


@pytest.mark.parametrize("rules", ["frame", "horizontal", "none"])
def test_a_table_without_inner_rulings_reads_as_the_ruled_one(tmp_path: Path, rules: str) -> None:
    blocks = [Title("2024年一般公共预算支出情况表"), Line("单位：万元")]
    ruled = render(tmp_path / "grid.pdf", [*blocks, Grid(ROWS)])
    unruled = render(tmp_path / f"{rules}.pdf", [*blocks, Grid(ROWS, rules=rules)])
    expected = function_rows(ruled)
    assert expected[-1] == (
        "code",
        "2010102",
        Decimal("4000000.00"),
        Decimal(0),
        Decimal("4000000.00"),
    )
    assert function_rows(unruled) == expected


def test_prose_with_amounts_is_not_taken_for_a_table(tmp_path: Path) -> None:
    sentences = [
        "2024年收入预算 1,203.50 万元，支出预算 1,203.50 万元，比上年增加 12.00 万元。",
        "其中：基本支出 803.50 万元，项目支出 400.00 万元，主要用于人员和机构运转。",
        "一般公共预算拨款 1,203.50 万元，政府性基金 0.00 万元，其他收入 0.00 万元。",
        "“三公”经费预算 12.30 万元，比上年减少 1.20 万元，主要是压减公务接待费。",
    ]
    # (a heading naming a table, and lines with two amounts each: the page could pass for
    # a table by its text alone, but its words do not stand in columns)
    path = render(
        tmp_path / "prose.pdf",
        [Title("关于2024年部门收支预算总表"), *(Line(s) for s in sentences)],
    )
    [page] = read_pages(path)
    assert _looks_tabular([(0.0, line) for line in page.text.splitlines()])
    assert page.tables == []
