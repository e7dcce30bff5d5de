"""Performance targets: 项目绩效目标表 (one form per project) and 部门（单位）整体绩效目标表.

Both end in a grid 一级指标 / 二级指标 / 三级指标 / 指标值 (or 目标值) / 指标值说明, where
一级 and 二级 cells are merged over many rows (resolved by extract.tables). A project form
opens with key-value rows (项目名称, 部门名称, 单位名称, 项目资金 …); one logical table may
hold several forms, each starting at its own 项目名称 row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extract.families.base import Context, Record, column_labels, find_column
from extract.pdf import Row
from extract.tables import LogicalTable
from extract.values import normalize_text, parse_amount, parse_target, to_yuan

NAME = "indicators"
PROJECTS = "projects"

_SUMMARY = ("汇总", "重大政策")  # wide summary tables: another family


def scope_of(table: LogicalTable) -> str | None:
    title = table.title or ""
    header = table.header_text(rows=40)
    if "一级指标" not in header or "三级指标" not in header or any(s in title for s in _SUMMARY):
        return None
    if "整体绩效" in title or ("整体" in header and "项目名称" not in header):
        return "department"
    if "项目名称" in header or "项目绩效" in title:
        return "project"
    return None


def matches(table: LogicalTable) -> bool:
    return scope_of(table) is not None


@dataclass
class Form:
    """The key-value head of a project form."""

    page_number: int
    row_index: int
    fields: dict[str, str] = field(default_factory=dict)
    amount: Decimal | None = None
    government_funds: Decimal | None = None

    def get(self, *keys: str) -> str | None:
        return next((self.fields[k] for k in keys if self.fields.get(k)), None)


_KEYS = {
    "项目名称": "project",
    "部门名称": "department",
    "主管部门": "department",
    "预算部门": "department",
    "单位名称": "unit",
    "实施单位": "unit",
    "单位编码": "unit_code",
    "单位代码": "unit_code",
    "项目编码": "code",
    "项目代码": "code",
    "项目类型": "type",
    "项目类别": "type",
}


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    scope = scope_of(table)
    assert scope is not None
    unit = table.unit or "万元"
    indicators: list[Record] = []
    forms: list[Form] = []
    grid: dict[str, int] | None = None
    for page_number, row_index, row in table.rows():
        texts = [normalize_text(c) for c in row]
        key = _KEYS.get(re.sub(r"[\s:：]", "", texts[0]))
        if key == "project":
            forms.append(Form(page_number, row_index))
            grid = None
        if key is not None and forms:
            forms[-1].fields.setdefault(key, _value_after(texts))
            continue
        joined = "".join(texts[:3])
        if forms and ("资金总额" in joined or "项目总金额" in joined):
            forms[-1].amount = forms[-1].amount or _first_amount(texts)
            continue
        if forms and ("政府预算资金" in joined or "财政拨款" in joined):
            forms[-1].government_funds = forms[-1].government_funds or _first_amount(texts)
            continue
        if "一级指标" in texts and "三级指标" in texts:
            grid = _grid_columns(row)
            continue
        if grid is None:
            continue
        level3, value = texts[grid["level3"]], texts[grid["value"]]
        if not level3 and not value:
            continue
        form = forms[-1] if forms and scope == "project" else None
        target = parse_target(value)
        description = texts[grid["description"]] if "description" in grid else ""
        indicators.append(
            {
                **context.lineage(table, page_number, row_index),
                "scope": scope,
                "project_name": form.get("project") if form else None,
                "department_name": (form.get("department", "unit") if form else None)
                or context.department,
                "level1_name": texts[grid["level1"]] or None,
                "level2_name": texts[grid["level2"]] or None,
                "level3_name": level3 or None,
                "target_raw": value or None,
                "comparator": target.comparator,
                "target_value": target.value,
                "target_unit": target.unit,
                "description": description or None,
            }
        )
    projects = [
        {
            **context.lineage(table, form.page_number, form.row_index),
            "project_name": form.get("project"),
            "project_code": form.get("code"),
            "department_name": form.get("department", "unit") or context.department,
            "unit_name": form.get("unit"),
            "project_type": form.get("type"),
            "amount_yuan": to_yuan(form.amount, unit),
            "source_family": "project_form",
            "unit_code": form.get("unit_code"),
            "government_funds_yuan": to_yuan(form.government_funds, unit),
            "other_funds_yuan": None,
        }
        for form in forms
        if form.get("project")
    ]
    return {NAME: indicators, PROJECTS: projects}


def _value_after(texts: list[str]) -> str:
    label = texts[0]
    return next((t for t in texts[1:] if t and t != label), "")


def _first_amount(texts: list[str]) -> Decimal | None:
    for text in texts:
        try:
            amount = parse_amount(text)
        except ValueError:
            continue
        if amount is not None:
            return amount
    return None


def _grid_columns(header: Row) -> dict[str, int]:
    labels = column_labels([header])
    columns = {
        "level1": find_column(labels, "一级指标"),
        "level2": find_column(labels, "二级指标"),
        "level3": find_column(labels, "三级指标"),
        "value": find_column(labels, "指标值", "目标值", "绩效指标值", exact=True)
        or find_column(labels, "目标值", "指标值"),
        "description": find_column(labels, "指标值说明", "备注", "说明"),
    }
    return {k: v for k, v in columns.items() if v is not None}
