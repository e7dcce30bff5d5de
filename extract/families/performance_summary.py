"""部门预算项目绩效目标汇总表: one wide table of every project's indicators.

Columns: 单位编码 / 项目编码 (often one column, 单位编码（项目编码）), 项目名称, 项目金额 (资金总额,
政府预算资金, 财政专户管理资金, 单位资金), then one column group per indicator class
(成本指标, 产出指标, 效益指标, 满意度指标; optionally split into 二级 groups such as 数量指标),
each a pair 三级指标 (指标名称) / 指标值. A project spans several rows; its cells are merged
(repeated by extract.tables) or printed on its first row only. A long layout with 一级指标 /
二级指标 / 三级指标 / 指标值 columns is read the same way. Unit rows carry a unit's code and
its total; a project's indicators come out group by group, each group top-down.

The long layout lists a project per row under one header row that names 项目名称 beside
the indicator columns, under any title:

    项目名称 | 项目总额 | 财政资金 | 其他资金 | 绩效目标 | 一级指标 | 二级指标 | 三级指标 |
        绩效指标性质 | 本年绩效指标值 | 绩效度量单位 (北京)
    序号 | 项目名称 | 当年财政拨款预算金额 | 当年绩效目标 | 指标名称 | 指标性质 | 指标值 |
        计量单位 | 指标权重(%) (重庆)

with a code printed before the name in its cell (11000024T00000283 0551-…). A project
list without indicators, 单位名称 | 项目名称 | 金额 | 绩效目标 (杭州, 湖州), gives projects
only. What each column is comes from extract/vocabulary.toml (performance_summary.columns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extract import vocabulary
from extract.families.base import Context, Record, column_labels
from extract.families.project_funds import Funds, reporter, row_cells
from extract.pdf import Row
from extract.tables import LogicalTable, is_column_numbers
from extract.values import DEFAULT_UNIT, normalize_text, printed_target

NAME = "performance_summary"
INDICATORS = "indicators"
PROJECTS = "projects"

_LEVEL1 = re.compile(r"^(成本|产出|效益|效果|满意度)(指标|目标)$")
_GENERIC = ("绩效目标", "绩效指标", "年度绩效指标", "年度绩效目标", "指标")
_UNIT_CODE = re.compile(r"^\d{1,9}$")  # 部门 103, 单位 103001; project codes run longer
_HEADER_MARKS = ("项目名称", "三级指标", "指标名称", "指标值", "一级指标", "资金总额", "编码")
# an indicator column group's roles (extract/vocabulary.toml, performance_summary.columns)
_INDICATOR_ROLES = ("level1", "level2", "name", "description", "comparator", "unit", "value")
# a project code printed before the name in the name cell, wrapped (spaces) where the cell
# is narrow: "11000024T00000283 0551-统计监测分析…" is 11000024T000002830551 | 统计监测分析…
_CODE_BEFORE_NAME = (
    re.compile(r"^(?P<code>[0-9A-Za-z][0-9A-Za-z ]*?)\s*[-－—]\s*(?P<name>[^-－—\s].*)$"),
    re.compile(r"^(?P<code>[0-9A-Za-z]+)\s+(?P<name>\S.*)$"),
)
_CODE = re.compile(r"^(?=(?:[A-Za-z]*\d){6})[0-9A-Za-z]{8,}$")  # six digits or more


def _role(label: str) -> str | None:
    """The role of an indicator column, from its lowest header label."""
    role = _column_role([label])
    return role if role in _INDICATOR_ROLES else None


def _column_role(texts: list[str]) -> str | None:
    return vocabulary.role(NAME, texts)


def matches(table: LogicalTable) -> bool:
    title = table.title or ""
    header = table.header_text(rows=8)
    if "项目" not in header:
        return False
    if _long_layout(table):
        return True
    if _role_columns(table) == {}:
        return False
    if "绩效" in title and "汇总" in title:
        return True
    # the wide layout under another title: indicator classes as column groups
    labels = column_labels(table.parts[0].rows[: _header_rows(table.parts[0].rows)])
    classes = {t for texts in labels for t in texts if _LEVEL1.match(t)}
    return len(classes) >= 2 and "一级指标" not in header


def _long_layout(table: LogicalTable) -> bool:
    """A header row naming 项目名称 (or 项目) beside the indicator columns (三级指标 or
    指标名称, and 指标值), or beside an amount and the project's 绩效目标 (a list without
    indicators)."""
    for row in table.parts[0].rows[:4]:
        roles = [_column_role([normalize_text(c)]) if c else None for c in row]
        # 项目名称, or 项目 alone (广州's 重点项目绩效目标: 项目 | 预算数（单位：万元） | 绩效目标)
        named = any(re.sub(r"\s", "", normalize_text(c)) in ("项目", "项目名称") or
                    "项目名称" in normalize_text(c) for c in row if c)  # fmt: skip
        if named and ({"name", "value"} <= set(roles) or {"funds", "goal"} <= set(roles)):
            return True
    return False


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
            elif "项目名称" in joined or joined.replace(" ", "") == "项目":
                columns.name = c if columns.name is None else columns.name
            elif ("单位" in joined and "名称" in joined) or joined in ("项目单位", "预算单位"):
                columns.unit_name = c if columns.unit_name is None else columns.unit_name
            elif "类型" in joined or "类别" in joined:
                columns.type_ = c
            elif _column_role(texts) == "funds":  # not 绩效目标, 权重, 序号: text or no amount
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
    texts = [normalize_text(c) for c in row if c]
    return any(mark in t for t in texts for mark in _HEADER_MARKS) or any(
        re.sub(r"\s", "", t) == "项目"
        for t in texts  # 项目 | 预算数 | 绩效目标 (广州)
    )


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
            if is_column_numbers(row):  # a 栏次 row: ** ** 1 2 …
                continue
            cell = row_cells(row)
            code, name = _code_and_name(cell(columns.code), cell(columns.name))
            indicators = any(cell(c) for g in columns.groups for c in g.columns.values())
            if code in ("合计", "总计") or name in ("合计", "总计"):
                continue
            own_unit_code = cell(columns.unit_code) if columns.unit_code != columns.code else ""
            if not indicators and _is_unit_row(code, name, own_unit_code, department):
                if name:  # a unit's total row: its code and name; a bare code is the 部门
                    unit_name, unit_code = name, code or own_unit_code or None
                continue
            report = reporter(context, table, part.page_number)
            same = projects and (
                (
                    projects[-1].key == (code, name)
                    and cell(columns.unit_name) in ("", projects[-1].unit_name)
                )
                # a merged name cut by a page break: its end drawn over the next page's rows
                or (
                    not code
                    and _fragment(name, projects[-1].key[1])
                    and not _printed(columns.funds.read(row, unit, report))
                )
            )
            if (not code and not name) or same:
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
                    columns.funds.read(row, unit, report)
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


def _fragment(name: str, above: str) -> bool:
    """Whether `name` is a piece of the name above it, not a name of its own."""
    return bool(name) and name != above and name in above


def _printed(amounts: dict[str, Decimal | None] | None) -> bool:
    return amounts is not None and any(v is not None for v in amounts.values())


def _code_and_name(code: str, name: str) -> tuple[str, str]:
    """A project's code and name; a code printed before the name in its cell is split off."""
    if code:
        return code, name
    for pattern in _CODE_BEFORE_NAME:
        match = pattern.match(name)
        printed = match.group("code").replace(" ", "") if match else ""
        if match and _CODE.match(printed):
            return printed, match.group("name")
    return code, name


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
        target = printed_target(
            value, cell(group.columns.get("comparator")), cell(group.columns.get("unit"))
        )
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
