"""Every row kept, proved, per family, over every real PDF in tests/pdfs/ and every render:

- the rows a family read equal the lines printing a code of its classification in the
  band of the page the table owns (tools/rowcheck.py: pdfplumber's own words grouped by
  position, never the grid the extraction built), so a row dropped or read twice fails;
- the rows read sum to the totals printed, where the table prints them: no blocking
  identity of gate 1 (合计 = Σ类, 类 = Σ款, 款 = Σ项, …) fails on the staged rows, but for
  the tables whose print contradicts itself, each named below with its contradiction.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from expectations.identities import basic_identities, function_identities
from expectations.summary_identities import budget_summary_identities, income_sources_identities
from tests.conftest import TESTS, extract_once
from tools.rowcheck import count_rows

PDFS = TESTS / "pdfs"
FOLDERS = ["real", "real-jiangsu", "real-national", "seeds", "seeds/merged", "samples"]
DOCUMENTS = [
    pytest.param(path, id=f"{folder}/{path.name}")
    for folder in FOLDERS
    for path in sorted((PDFS / folder).glob("*.pdf"))
]
# Tables printing names only, no code (功能分类科目名称 / 经济分类科目名称 alone): there is no
# code token to count (file, page of the table's first part)
NAMES_ONLY = {
    ("2026年杭州市司法局部门预算.pdf", 26),  # 表3 支出预算总表
    ("2026年杭州市司法局部门预算.pdf", 30),  # 表5 一般公共预算支出预算表
    ("2026年杭州市司法局部门预算.pdf", 32),  # 表6 一般公共预算基本支出预算表
    ("2026年深圳市统计局部门预算.pdf", 22),  # 基本支出总表
    ("广州_统计局_2026年部门预算.pdf", 20),  # 部门预算基本支出预算表
    ("2026年深圳市审计局部门预算.pdf", 24),  # 表4 基本支出总表, as 深圳统计局's
    ("广州_信访局_2026年部门预算.pdf", 18),  # 表11 部门预算基本支出预算表: 工资福利支出 …
}
# Tables whose printed figures contradict themselves (gate 1 holds them): (file, family,
# page, check, code)
CONTRADICTIONS = {
    # 20406 司法 prints 项目支出 129,681,094.00, its 项 rows sum to 64,840,547.00; 2040601
    # prints 合计 79,189,400.34 against 基本 + 项目 = 14,348,853.34 (both tables, p11 and p14)
    *(
        ("上海市普陀区司法局2026年单位预算.pdf", "function_expenditure", page, check, code)
        for page in (11, 14)
        for check, code in (
            ("function_project_equals_sum_of_children", "20406"),
            ("total_equals_basic_plus_project", "2040601"),
        )
    ),
    # seed 001's 财政拨款收支总体情况表 prints its classes summing to 463,000.00 against
    # 本年支出合计 45,337,000.00 (the seed's golden file holds it: tests/pdfs/seeds/index.json)
    ("seed_001.pdf", "budget_summary", 5, "summary_classes_sum_to_expenditure", None),
}
IDENTITIES = {
    "function_expenditure": function_identities,
    "basic_expenditure": basic_identities,
    "income_sources": income_sources_identities,
    "budget_summary": budget_summary_identities,
}


@pytest.mark.parametrize("pdf", DOCUMENTS)
def test_the_rows_read_are_the_code_lines_printed(pdf: Path) -> None:
    counts = count_rows(pdf, extract_once(pdf))
    unequal = [
        (c.family, c.page, c.title, c.read, c.printed)
        for c in counts
        if c.differs and not ((c.file, c.page) in NAMES_ONLY and c.printed == 0)
    ]
    assert unequal == []
    assert {(c.file, c.page) for c in counts if c.printed == 0 and c.read} <= NAMES_ONLY


@pytest.mark.parametrize("pdf", DOCUMENTS)
def test_the_rows_read_sum_to_the_totals_printed(pdf: Path) -> None:
    extracted = extract_once(pdf)
    failed: set[tuple[Any, ...]] = set()
    for family, identities in IDENTITIES.items():
        records = extracted.frames[family]
        if not records:
            continue
        found, _ = identities(pdf.name, pd.DataFrame(records))
        failed |= {
            (pdf.name, family, r["page_number"], r["check"], r["code"])
            for r in found
            if r["severity"] == "block" and r["excess"] > 0
        }
    assert failed == {c for c in CONTRADICTIONS if c[0] == pdf.name}
