"""Projects by fund source: 项目支出表 (项目支出预算表, 项目支出情况表).

Layouts: 类型 as a column or as group rows (其他运转类 with its subtotal, its projects
below); 项目编码, 单位名称 / 单位代码 columns where printed; a 合计 row and unit rows (a unit's
code and name with its subtotal) between the projects; amounts split by fund source
under 本年拨款 / 财政拨款结转结余 / 财政专户管理资金 / 单位资金, with or without 小计 columns.

The national template's 项目支出总表 (深圳) and 部门预算项目支出及其他支出预算表 (广州) list the
projects unit by unit in one column (支出项目类别, the vocabulary's project name): a unit's
line over its projects, told by what it prints, its figure the sum of the projects below it
up to the next unit's line; the units sum to the 合计 (a line restating the 合计 over them is
the department's, neither unit nor project), or, printing no 合计, the first names the
department or its 本级. A 绩效目标 column beside the figures is the project's goal: text,
no fund.

Untitled, the table is known by its header: 项目名称, a total (合计 / 金额 …) and a fund
source column (本年拨款, 财政拨款, 一般公共预算, 财政专户, 单位资金 …); never 指标 or 绩效
(the performance tables also list projects and their funds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extract import vocabulary
from extract.departments import clean_name
from extract.families.base import Context, Record, column_labels, has_label, header_labels
from extract.families.project_funds import (
    GOVERNMENT,
    TOTAL_LABELS,
    Funds,
    reporter,
    row_cells,
    strip_unit,
)
from extract.pdf import Row
from extract.tables import LogicalTable, is_column_numbers, split_header
from extract.values import DEFAULT_UNIT, decimals_of, normalize_text, to_yuan

NAME = "project_expenditure"
PROJECTS = "projects"

_TOTAL_ROW = ("合计", "总计")
_UNIT_LABELS = ("单位名称", "项目单位", "预算单位", "实施单位")
_UNIT_CODE = re.compile(r"^\d{1,9}$")  # 部门 103, 单位 103001; project codes run longer
# A group row naming a project type: 其他运转类, 特定目标类, 人员类, 公用经费类 …
_TYPE_ROW = re.compile(r"^.{0,6}(运转|目标|人员|公用|项目|发展|专项|建设|经费)类$")


def matches(table: LogicalTable) -> bool:
    title = table.title or ""
    if not vocabulary.pattern(NAME, "title").search(title) or "绩效" in title:
        return False
    header = table.header_text()
    named = "name" in vocabulary.columns(NAME, header_labels(table))  # 项目名称, 支出项目类别
    return named and any(w in header for w in ("合计", "总计", "金额"))


_FUND_WORDS = (*GOVERNMENT, "财政专户", "单位资金", "结转")


def matches_header(table: LogicalTable, context: Context) -> bool:
    labels = header_labels(table)
    totals = any(strip_unit(t) in TOTAL_LABELS for column in labels for t in column)
    return (
        has_label(labels, "项目名称")
        and totals
        and has_label(labels, *_FUND_WORDS)
        and not has_label(labels, "指标", "绩效")
    )


@dataclass
class Columns:
    """Where each field sits in a 项目支出表."""

    name: int | None = None
    type_: int | None = None
    code: int | None = None
    unit_name: int | None = None
    unit_code: int | None = None
    goal: int | None = None  # 绩效目标: the project's goal, text
    funds: Funds = field(default_factory=Funds)

    @classmethod
    def from_header(cls, header: list[Row]) -> Columns:
        labels = column_labels(header)
        columns = cls()

        def first(words: tuple[str, ...], skip: set[int | None]) -> int | None:
            for c, texts in enumerate(labels):
                if c not in skip and any(w in t for t in texts for w in words):
                    return c
            return None

        # the vocabulary (extract/vocabulary.toml) names the project and goal columns
        found = vocabulary.columns(NAME, labels)
        columns.name = found["name"][0] if "name" in found else None
        columns.goal = found["goal"][0] if "goal" in found else None
        columns.type_ = first(("类型", "类别"), {columns.name})
        columns.code = first(("项目编码", "项目代码"), set())
        columns.unit_code = first(("单位编码", "单位代码"), set())
        columns.unit_name = first(_UNIT_LABELS, {columns.name, columns.code})
        roles = {columns.name, columns.type_, columns.code, columns.unit_code, columns.unit_name}
        roles.add(columns.goal)
        amounts = [c for c in range(len(labels)) if c not in roles and labels[c]]
        columns.funds = Funds.from_labels(labels, amounts)
        return columns


def is_header_row(row: Row) -> bool:
    texts = [normalize_text(c) for c in row if c]
    return is_column_numbers(row) or any("项目名称" in t for t in texts)


@dataclass
class _Line:
    """A body row that prints a project, a unit or a total, before units are told apart."""

    page: int
    row_index: int
    name: str
    type_: str
    code: str
    unit_name: str
    unit_code: str
    amounts: dict[str, Decimal | None]
    group: str | None  # the type group row (其他运转类) above it
    kind: str = "project"  # project | unit (a unit's line over its projects) | total | group


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    first = table.parts[0]
    header_rows = split_header(first.rows)
    columns = Columns.from_header(first.rows[:header_rows])
    unit = columns.funds.unit or table.unit or context.default_unit or DEFAULT_UNIT
    department = table.department or context.department
    lines: list[_Line] = []
    current_type: str | None = None
    decimals = 0
    index = 0
    coded_units = _codes_mark_units(table, columns, header_rows)
    for n, part in enumerate(table.parts):
        skip = header_rows if n == 0 else _leading_headers(part.rows)
        index += skip
        for row in part.rows[skip:]:
            row_index, index = index, index + 1
            cell = row_cells(row)
            name, type_, code = cell(columns.name), cell(columns.type_), cell(columns.code)
            amounts = columns.funds.read(row, unit, reporter(context, table, part.page_number))
            if amounts is None:
                continue
            labels = [name, type_, code, cell(columns.unit_name), cell(columns.unit_code)]
            if not any(labels):
                continue
            printed = any(v is not None for v in amounts.values())
            if not printed and not (type_ or code) and not any(t in _TOTAL_ROW for t in labels):
                if name and lines:  # a name wrapped over a page break: rejoin it
                    lines[-1].name += name
                continue
            if not type_ and not code and _TYPE_ROW.match(name):
                current_type = name  # a group row: the type of the projects below it
                continue
            line = _Line(
                part.page_number, row_index, name, type_, code, cell(columns.unit_name),
                cell(columns.unit_code), amounts, current_type,
            )  # fmt: skip
            if any(t in _TOTAL_ROW for t in labels):
                line.kind = "total"
            elif _is_unit_row(name, code, columns):
                line.kind = "unit"
                line.unit_code = name if name.isdigit() else code
                line.unit_name = cell(columns.unit_name) or ("" if name.isdigit() else name)
            elif coded_units and line.unit_code:
                line.kind, line.unit_name = "unit", line.unit_name or name
            lines.append(line)
            if columns.funds.total is not None and columns.funds.total < len(row):
                decimals = max(decimals, decimals_of(row[columns.funds.total]))
    half_unit = to_yuan(Decimal(5) / 10 ** (decimals + 1), unit) or Decimal(0)
    if columns.unit_name is None and not any(line.kind == "unit" for line in lines):
        _units_by_sums(lines, half_unit, department)
    _groups_by_sums(lines, half_unit)
    return {PROJECTS: _records(lines, table, context, department, columns)}


def _codes_mark_units(table: LogicalTable, columns: Columns, header_rows: int) -> bool:
    """Whether a 单位编码 printed on a line makes it a unit's line: the column prints codes
    on some lines and leaves them blank on others (西安: 117001 西安市审计局 over its
    projects), not on every line (a project printing its unit's code)."""
    column = columns.unit_code
    if column is None or column in (columns.code, columns.name):
        return False
    cells = [
        normalize_text(row[column]) if column < len(row) else ""
        for n, part in enumerate(table.parts)
        for row in part.rows[(header_rows if n == 0 else 0) :]
        if any(row_cells(row)(c) for c in (columns.name,))
    ]
    printed = [c for c in cells if _UNIT_CODE.match(c)]
    return bool(printed) and len(printed) < len([c for c in cells if c not in _TOTAL_ROW])


def _groups_by_sums(lines: list[_Line], half_unit: Decimal) -> None:
    """Project lines nested under groups in one column (西安: 通用项目 > 大型活动 > 审计培训):
    where the lines under a unit (or the 合计) do not sum to it, the reading in which each
    group's figure is the sum of the lines right under it and the top lines sum to the unit.
    A group is no project (kind 'group'); its projects take the top group's name as their
    type (通用项目, 专用项目)."""
    runs: list[tuple[Decimal | None, list[_Line]]] = []
    for line in lines:
        if line.kind in ("unit", "total"):
            runs.append((line.amounts["total"], []))
        elif line.kind == "project" and runs:
            runs[-1][1].append(line)
    for target, run in runs:
        figures = [line.amounts["total"] for line in run]
        if target is None or not run or any(f is None for f in figures):
            continue
        if abs(sum((f for f in figures if f is not None), Decimal(0)) - target) <= half_unit * len(
            run
        ):
            continue  # a flat list: every line a project
        tree = _split([f or Decimal(0) for f in figures], 0, len(run), target, half_unit, {})
        if tree is None:
            continue
        for top, end in tree:
            for i in range(top, end):
                run[i].group = run[top].name if end - top > 1 else run[i].group
        for top, _end in _all_groups(tree, [f or Decimal(0) for f in figures], half_unit):
            run[top].kind = "group"


_MAX_NESTED = 60  # lines under one unit read as a tree at most (the search backtracks)


def _split(
    figures: list[Decimal],
    i: int,
    end: int,
    target: Decimal,
    half_unit: Decimal,
    memo: dict[tuple[int, int, Decimal], list[tuple[int, int]] | None],
) -> list[tuple[int, int]] | None:
    """figures[i:end] as consecutive nodes summing to `target`: each a leaf (i, i + 1) or a
    group (i, m) whose figure is the sum of the nodes of figures[i + 1:m]; leaves first."""
    if end - i > _MAX_NESTED:
        return None
    if i == end:
        return [] if abs(target) <= half_unit else None
    key = (i, end, target)
    if key in memo:
        return memo[key]
    found: list[tuple[int, int]] | None = None
    rest = _split(figures, i + 1, end, target - figures[i], half_unit, memo)
    if rest is not None:
        found = [(i, i + 1), *rest]
    else:
        for m in range(i + 2, end + 1):
            if _split(figures, i + 1, m, figures[i], half_unit, memo) is None:
                continue
            rest = _split(figures, m, end, target - figures[i], half_unit, memo)
            if rest is not None:
                found = [(i, m), *rest]
                break
    memo[key] = found
    return found


def _all_groups(
    tree: list[tuple[int, int]], figures: list[Decimal], half_unit: Decimal
) -> list[tuple[int, int]]:
    """Every group of a split, nested ones included."""
    groups: list[tuple[int, int]] = []
    for top, end in tree:
        if end - top > 1:
            groups.append((top, end))
            inner = _split(figures, top + 1, end, figures[top], half_unit, {})
            groups += _all_groups(inner or [], figures, half_unit)
    return groups


def _records(
    lines: list[_Line],
    table: LogicalTable,
    context: Context,
    department: str | None,
    columns: Columns,
) -> list[Record]:
    records: list[Record] = []
    unit_name: str | None = None
    unit_code: str | None = None
    for line in lines:
        if line.kind == "unit":
            unit_name, unit_code = line.unit_name or None, line.unit_code or None
            continue
        if line.kind != "project" or not line.name:
            continue
        # a column of unit and project codes alike gives the project's code, not its unit's
        own_unit_code = line.unit_code if columns.unit_code != columns.code else ""
        records.append(
            {
                **context.lineage(table, line.page, line.row_index),
                "project_name": line.name,
                "project_code": line.code or None,
                "department_name": department,
                "unit_name": line.unit_name or unit_name,
                "project_type": line.type_ or line.group,
                "amount_yuan": line.amounts["total"],
                "source_family": NAME,
                "unit_code": own_unit_code or unit_code,
                "government_funds_yuan": line.amounts["government"],
                "other_funds_yuan": line.amounts["other"],
            }
        )
    return records


def _units_by_sums(lines: list[_Line], half_unit: Decimal, department: str | None) -> None:
    """Mark the units' lines of a table that lists projects unit by unit in one column: the
    rows split into runs of a line and the projects below it summing to it (within the
    rounding of the printed figures), the lines summing to the 合计; where no 合计 is
    printed, the first line names the department or its 本级. A first line restating the
    合计 over such runs is the department's own (kind 'total')."""
    rows = [line for line in lines if line.kind == "project"]
    totals = [line for line in lines if line.kind == "total"]
    figures = [line.amounts["total"] or Decimal(0) for line in rows]
    if not rows:
        return
    printed = totals[0].amounts["total"] if totals else None
    restates = printed is not None and figures[0] == printed
    for start in (0, 1) if restates else (0,):
        units = _runs(figures, start, half_unit)
        if units is None:
            continue
        summed = sum((figures[i] for i in units), Decimal(0))
        if printed is not None:
            if abs(summed - printed) > half_unit * len(units):
                continue
        elif not _names_the_department(rows[units[0]].name, department):
            continue
        if start == 1:
            rows[0].kind = "total"
        for i in units:
            rows[i].kind = "unit"
            rows[i].unit_name = rows[i].name
        return


def _runs(figures: list[Decimal], start: int, half_unit: Decimal) -> list[int] | None:
    """The positions of the units' lines when figures[start:] split into runs of a line
    followed by at least one figure, the run's figures summing to its line; None if they do
    not. Of the splits, the one with the shortest first runs (a zero may end a run)."""
    nonnegative = all(f >= 0 for f in figures)
    memo: dict[int, list[int] | None] = {}

    def split(i: int) -> list[int] | None:
        if i == len(figures):
            return []
        if i in memo:
            return memo[i]
        found: list[int] | None = None
        summed = Decimal(0)
        for j in range(i + 1, len(figures)):
            summed += figures[j]
            tolerance = half_unit * (j - i)
            if abs(summed - figures[i]) <= tolerance:
                rest = split(j + 1)
                if rest is not None:
                    found = [i, *rest]
                    break
            elif nonnegative and summed > figures[i] + tolerance:
                break
        memo[i] = found
        return found

    return split(start)


def _names_the_department(name: str, department: str | None) -> bool:
    """A unit's line naming the department (深圳市审计局) or its own level (…（本级）)."""
    if "本级" in name:
        return True
    return department is not None and clean_name(name) == clean_name(department)


def _is_unit_row(name: str, code: str, columns: Columns) -> bool:
    """A unit's subtotal row: its code printed in the name column (103), or a short code in
    a column that holds unit and project codes alike (单位编码（项目编码）)."""
    if name.isdigit():
        return True
    return bool(_UNIT_CODE.match(code)) and columns.code == columns.unit_code


def _leading_headers(rows: list[Row]) -> int:
    """A continuation page's repeated header rows (merged labels repeat on each of them)."""
    count = 0
    while count < len(rows) and is_header_row(rows[count]):
        count += 1
    return count
