"""部门预算项目绩效目标汇总表: one wide table of every project's indicators.

Columns: 单位编码 / 项目编码 (often one column, 单位编码（项目编码）), 项目名称, 项目金额 (资金总额,
政府预算资金, 财政专户管理资金, 单位资金), then one column group per indicator class
(成本指标, 产出指标, 效益指标, 满意度指标; optionally split into 二级 groups such as 数量指标),
each a pair 三级指标 (指标名称) / 指标值. A project spans several rows; its cells are merged
(repeated by extract.tables) or printed on its first row only. A long layout with 一级指标 /
二级指标 / 三级指标 / 指标值 columns is read the same way. Unit rows carry a unit's code and
its total; a project's indicators come out group by group, each group top-down.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extract.families.base import Context, Record, column_labels
from extract.families.project_funds import Funds, reporter, row_cells
from extract.pdf import Row
from extract.tables import LogicalTable
from extract.values import DEFAULT_UNIT, normalize_text, parse_target

NAME = "performance_summary"
INDICATORS = "indicators"
PROJECTS = "projects"

_LEVEL1 = re.compile(r"^(成本|产出|效益|效果|满意度)(指标|目标)$")
_GENERIC = ("绩效目标", "绩效指标", "年度绩效指标", "年度绩效目标", "指标")
_UNIT_CODE = re.compile(r"^\d{1,9}$")  # 部门 103, 单位 103001; project codes run longer
_HEADER_MARKS = ("项目名称", "三级指标", "指标名称", "指标值", "一级指标", "资金总额", "编码")


def _role(label: str) -> str | None:
    """The role of an indicator column, from its lowest header label."""
    if "一级指标" in label:
        return "level1"
    if "二级指标" in label:
        return "level2"
    if "三级指标" in label or "指标名称" in label:
        return "name"
    if "说明" in label:
        return "description"
    if "指标值" in label or "目标值" in label:
        return "value"
    return None


def matches(table: LogicalTable) -> bool:
    title = table.title or ""
    header = table.header_text(rows=8)
    if "项目" not in header or _role_columns(table) == {}:
        return False
    if "绩效" in title and "汇总" in title:
        return True
    # the wide layout under another title: indicator classes as column groups
    labels = column_labels(table.parts[0].rows[: _header_rows(table.parts[0].rows)])
    classes = {t for texts in labels for t in texts if _LEVEL1.match(t)}
    return len(classes) >= 2 and "一级指标" not in header


def matches_header(table: LogicalTable, context: Context) -> bool:
    """No header path: `matches` already reads the wide layout under any title."""
    return False


@dataclass
class Group:
    """One indicator column group: its class and sub-level as printed in the header."""

    level1: str | None
    level2: str | None
    columns: dict[str, int] = field(default_factory=dict)


@dataclass
class Columns:
    """Where each field sits: project and unit columns, fund columns, indicator groups."""

    code: int | None = None
    unit_code: int | None = None
    name: int | None = None
    unit_name: int | None = None
    type_: int | None = None
    funds: Funds = field(default_factory=Funds)
    groups: list[Group] = field(default_factory=list)

    @classmethod
    def from_header(cls, header: list[Row]) -> Columns:
        labels = column_labels(header)
        columns = cls(groups=_groups(labels))
        indicator = {c for g in columns.groups for c in g.columns.values()}
        amounts: list[int] = []
        for c, texts in enumerate(labels):
            joined = " ".join(texts)
            if c in indicator or not texts:
                continue
            if "编码" in joined or "代码" in joined:
                # 单位编码（项目编码）: one column for both codes
                if "项目" in joined and columns.code is None:
                    columns.code = c
                if "单位" in joined and columns.unit_code is None:
                    columns.unit_code = c
            elif "项目名称" in joined:
                columns.name = c if columns.name is None else columns.name
            elif ("单位" in joined and "名称" in joined) or joined in ("项目单位", "预算单位"):
                columns.unit_name = c if columns.unit_name is None else columns.unit_name
            elif "类型" in joined or "类别" in joined:
                columns.type_ = c
            else:
                amounts.append(c)
        columns.funds = Funds.from_labels(labels, amounts)
        return columns


def _groups(labels: list[list[str]]) -> list[Group]:
    groups: list[Group] = []
    for c, texts in enumerate(labels):
        role = _role(texts[-1]) if texts else None
        if role is None:
            continue
        level1 = next((t for t in texts[:-1] if _LEVEL1.match(t)), None)
        level2 = next(
            (
                t
                for t in texts[:-1]
                if t.endswith("指标")
                and not _LEVEL1.match(t)
                and t not in _GENERIC
                and _role(t) is None
            ),
            None,
        )
        same = groups and (groups[-1].level1, groups[-1].level2) == (level1, level2)
        if same and role not in groups[-1].columns:
            groups[-1].columns[role] = c
            continue
        groups.append(Group(level1, level2, {role: c}))
    return [g for g in groups if "name" in g.columns or "value" in g.columns]


def _role_columns(table: LogicalTable) -> dict[str, int]:
    rows = table.parts[0].rows
    labels = column_labels(rows[: _header_rows(rows)])
    return {role: c for g in _groups(labels) for role, c in g.columns.items()}


def _is_header_row(row: Row) -> bool:
    return any(mark in normalize_text(c) for c in row if c for mark in _HEADER_MARKS)


def _header_rows(rows: list[Row]) -> int:
    count = 0
    while count < min(len(rows), 8) and _is_header_row(rows[count]):
        count += 1
    return count


@dataclass
class Project:
    page_number: int
    row_index: int
    key: tuple[str, str]
    unit_name: str | None
    unit_code: str | None
    type_: str | None
    amounts: dict[str, Decimal | None]
    rows: list[tuple[int, int, Row]] = field(default_factory=list)


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    first = table.parts[0].rows
    columns = Columns.from_header(first[: _header_rows(first)])
    unit = columns.funds.unit or table.unit or context.default_unit or DEFAULT_UNIT
    department = table.department or context.department
    projects: list[Project] = []
    unit_name: str | None = None
    unit_code: str | None = None
    index = 0
    for part in table.parts:
        skip = _header_rows(part.rows)
        index += skip
        for row in part.rows[skip:]:
            row_index, index = index, index + 1
            cell = row_cells(row)
            code, name = cell(columns.code), cell(columns.name)
            indicators = any(cell(c) for g in columns.groups for c in g.columns.values())
            if code in ("合计", "总计") or name in ("合计", "总计"):
                continue
            own_unit_code = cell(columns.unit_code) if columns.unit_code != columns.code else ""
            if not indicators and _is_unit_row(code, name, own_unit_code, department):
                if name:  # a unit's total row: its code and name; a bare code is the 部门
                    unit_name, unit_code = name, code or own_unit_code or None
                continue
            if (not code and not name) or (projects and projects[-1].key == (code, name)):
                if projects:  # the project's next row (cells merged or printed once)
                    projects[-1].rows.append((part.page_number, row_index, row))
                continue
            projects.append(
                Project(
                    part.page_number,
                    row_index,
                    (code, name),
                    cell(columns.unit_name) or unit_name,
                    own_unit_code or unit_code,
                    cell(columns.type_) or None,
                    columns.funds.read(row, unit, reporter(context, table, part.page_number))
                    or dict.fromkeys(("total", "government", "other")),
                    [(part.page_number, row_index, row)],
                )
            )
    indicators_out = [
        record
        for project in projects
        for group in columns.groups
        for record in _indicators(project, group, table, context, department)
    ]
    return {
        INDICATORS: indicators_out,
        PROJECTS: [_project(p, table, context, department) for p in projects],
    }


def _is_unit_row(code: str, name: str, unit_code: str, department: str | None) -> bool:
    """A row without indicators that totals a unit or the department: a short code (103,
    103001), no name, the department's own name, or a unit code without a project code."""
    return (
        bool(_UNIT_CODE.match(code))
        or not name
        or name == department
        or bool(unit_code and not code)
    )


def _indicators(
    project: Project, group: Group, table: LogicalTable, context: Context, department: str | None
) -> list[Record]:
    """One project's indicators in one column group, top-down; merged 一级/二级 cells of the
    long layout repeat, and where printed once they carry down."""
    records: list[Record] = []
    level1, level2 = group.level1, group.level2
    for page_number, row_index, row in project.rows:
        cell = row_cells(row)
        name, value = cell(group.columns.get("name")), cell(group.columns.get("value"))
        level1 = cell(group.columns.get("level1")) or level1
        level2 = cell(group.columns.get("level2")) or level2
        if not name and not value:
            continue
        target = parse_target(value)
        records.append(
            {
                **context.lineage(table, page_number, row_index),
                "scope": "project",
                "project_name": project.key[1] or None,
                "department_name": department,
                "level1_name": level1,
                "level2_name": level2,
                "level3_name": name or None,
                "target_raw": value or None,
                "comparator": target.comparator,
                "target_value": target.value,
                "target_unit": target.unit,
                "description": cell(group.columns.get("description")) or None,
            }
        )
    return records


def _project(
    project: Project, table: LogicalTable, context: Context, department: str | None
) -> Record:
    code, name = project.key
    return {
        **context.lineage(table, project.page_number, project.row_index),
        "project_name": name or code,
        "project_code": code or None,
        "department_name": department,
        "unit_name": project.unit_name,
        "project_type": project.type_,
        "amount_yuan": project.amounts["total"],
        "source_family": NAME,
        "unit_code": project.unit_code,
        "government_funds_yuan": project.amounts["government"],
        "other_funds_yuan": project.amounts["other"],
    }
