"""重大政策和重点项目绩效目标表: one block per project under a numbered heading.

Each block is a heading line naming the project ("2.三馆一站免费开放资金", "3.…补助绩效目标表";
extract.tables makes it the table's title), then a grid opening with a 绩效目标 | <goal> row
and a header 一级指标 / 二级指标 / 三级指标 / 绩效指标描述 / 指标值 / 指标值确定依据 (or
指标确定依据), 一级 and 二级 cells merged over rows. The 绩效指标描述 and 确定依据 columns set it
apart from the project forms and the 整体绩效 tables read by `indicators`.
"""

from __future__ import annotations

import re

from extract import vocabulary
from extract.families.base import Context, Record, column_labels, forward_fill
from extract.pdf import Row
from extract.tables import LogicalTable
from extract.values import normalize_text, parse_target

NAME = "policy_targets"
INDICATORS = "indicators"
PROJECTS = "projects"

# "2.", "4. ", "（二）", "三、" before the project name; "绩效目标表" after it
_NUMBER = re.compile(
    r"^\s*(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、)"
)
_SUFFIX = re.compile(r"绩效目标表?$")


def matches(table: LogicalTable) -> bool:
    title = table.title or ""
    header = table.header_text(rows=4)
    described = "绩效指标描述" in header and "确定依据" in header
    return (
        bool(title)
        and "整体" not in title
        and "一级指标" in header
        and "三级指标" in header
        and (described or bool(_NUMBER.match(normalize_text(title))))
        and "项目名称" not in header
    )


def matches_header(table: LogicalTable, context: Context) -> bool:
    """No header path: a block's project is named only by its heading (the title)."""
    return False


def project_name(title: str) -> str:
    """The heading without its number and without a trailing 绩效目标表."""
    name = _NUMBER.sub("", normalize_text(title)).strip()
    return _SUFFIX.sub("", name).strip() or name


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    name = project_name(table.title or "")
    indicators: list[Record] = []
    grid: dict[str, int] | None = None
    levels = ["", "", ""]
    for page_number, row_index, row in table.rows():
        texts = [normalize_text(c) for c in row]
        if "一级指标" in texts and "三级指标" in texts:  # the header, or its repeat on a new page
            grid, levels = _grid_columns(row), ["", "", ""]
            continue
        # the 绩效目标 row above the header, repeated with it on a continuation page
        if grid is None or ("目标" in texts[0] and "指标" not in texts[0]):
            continue
        printed = [texts[grid[k]] for k in ("level1", "level2", "level3")]
        levels = forward_fill(levels, printed)  # blank cells under a printed level
        value = texts[grid["value"]]
        if not printed[2] and not value:
            continue
        target = parse_target(value)
        description = texts[grid["description"]] if "description" in grid else ""
        indicators.append(
            {
                **context.lineage(table, page_number, row_index),
                "scope": "project",
                "project_name": name,
                "department_name": context.department,
                "level1_name": levels[0] or None,
                "level2_name": levels[1] or None,
                "level3_name": levels[2] or None,
                "target_raw": value or None,
                "comparator": target.comparator,
                "target_value": target.value,
                "target_unit": target.unit,
                "description": description or None,
            }
        )
    project: Record = {
        **context.lineage(table, table.page_number, 0),
        "project_name": name,
        "project_code": None,
        "department_name": context.department,
        "unit_name": None,
        "project_type": None,
        "amount_yuan": None,  # the blocks print no amount
        "source_family": NAME,
        "unit_code": None,
        "government_funds_yuan": None,
        "other_funds_yuan": None,
    }
    return {INDICATORS: indicators, PROJECTS: [project]}


def _grid_columns(header: Row) -> dict[str, int] | None:
    labels = column_labels([header])
    found = {k: cs[0] for k, cs in vocabulary.columns(NAME, labels).items()}
    return found if {"level1", "level2", "level3", "value"} <= found.keys() else None
