"""Income by source: 部门收入总体情况表, 部门收入预算总表, 预算单位收入预算总表.

Rows are laid out like a function-code table (类/款/项 in three columns or one 科目编码
column, with 合计 and unit rows); the amount columns are the sources: 合计, then 财政拨款收入
/ 一般公共预算 / 政府性基金 / 国有资本经营预算 / 财政专户 / 事业收入 / 事业单位经营收入 /
上级补助收入 / 附属单位上缴收入 / 上年结转 / 其他收入. Each printed cell of a source column
becomes one staged row (long format), so sources a province adds need no schema change: an
unknown header is staged as 'other' with its printed name.

Rows by unit (单位名称, 预算单位, 单位编码): the 合计 row is the department's, and a department's
own line printed over its units is told from them (coded_rows.fold_department); a table
with no row label at all (北京 预算02表) prints the department's total alone.

Untitled, the table is known by its header: 合计, at least two known source columns, a
code (编码 / 类款项) or name column (科目名称, 单位名称), and no 支出 (function tables),
项目名称 (project tables), 三公 or 指标 anywhere in it.

Sources as rows (Jiangsu's 收入预算总表): 项目名称 | 金额, one line per source group with
its 小计 and the items under it (一般公共预算资金: 小计 / 公共财政拨款(补助)资金 / 专项收入;
其他资金: 小计 / 事业收入 / …), and 收入总计 first. The document's income total, then each
group's amount (its 小计, else its one line) are staged as the sources of one total row;
the items under a 小计 and 其中 lines break a group down and are not summed again.
"""

from __future__ import annotations

import re
from decimal import Decimal

from extract import vocabulary
from extract.families.base import Context, Problem, Record, column_labels, has_label, header_labels
from extract.families.coded_rows import (
    CodeColumns,
    fold_department,
    header_and_body,
    row_code,
    row_name,
)
from extract.tables import LogicalTable
from extract.values import DEFAULT_UNIT, decimals_of, normalize_text, parse_amount, to_yuan

NAME = "income_sources"

_TITLE = re.compile(r"收入(预算)?(总体情况|总|情况)表")
_NOT_AMOUNT = ("编码", "代码", "名称", "类", "款", "项")
_FOREIGN_HEADER = ("支出", "项目名称", "三公", "指标")


def matches(table: LogicalTable) -> bool:
    title = re.sub(r"\s", "", table.title or "")
    if not _TITLE.search(title) or "收支" in title:
        return False
    return _coded(table) or _sources_as_rows(table) is not None


def _coded(table: LogicalTable) -> bool:
    """Rows listed by code or unit, a 合计 (总计, 收入总计) column: sources across the header."""
    header = table.header_text()
    has_rows = "编码" in header or "单位" in header or ("类" in header and "款" in header)
    return has_rows and ("合计" in header or "总计" in header)


def _sources_as_rows(table: LogicalTable) -> int | None:
    """The amount column of a table listing its sources down the rows, or None: a header
    of labels and one amount column (金额, 预算数…), rows naming a total and at least two
    sources the vocabulary knows."""
    rows = table.parts[0].rows
    if not rows:
        return None
    header = [[normalize_text(cell)] for cell in rows[0]]
    amounts = vocabulary.columns(NAME, header).get("listed_amount", [])
    if len(amounts) != 1 or amounts[0] == 0:
        return None
    labels = {normalize_text(c) for _, i, row in table.rows() if i > 0 for c in row[: amounts[0]]}
    sources = {_source(label) for label in labels if label}
    return amounts[0] if "total" in sources and len(sources - {"total", None}) >= 2 else None


def matches_header(table: LogicalTable, context: Context) -> bool:
    labels = header_labels(table)
    texts = {text for column in labels for text in column}
    has_rows = has_label(labels, "编码", "代码", "名称") or {"类", "款"} <= texts
    if not has_rows or not texts & {"合计", "总计"} or has_label(labels, *_FOREIGN_HEADER):
        return False
    sources = {
        source_of(column)[0]
        for column in labels
        if column and not any(t in _NOT_AMOUNT or "编码" in t or "代码" in t for t in column)
    }
    return len(sources - {"total", "other"}) >= 2


def source_of(labels: list[str]) -> tuple[str, str]:
    """(source key, printed name) of an amount column from its header labels, top-down;
    the key is `other` when extract/vocabulary.toml names no source for it.

    The deepest label names the source (小计 takes the label above it); a group above it
    that is a carryover (上年结转 over 一般公共预算 / 政府性基金) makes it one. The printed
    name is the label path below the generic headings: 上年结转/一般公共预算.
    """
    named = [t for t in labels if t not in ("小计", "收入预算", "本年收入", "收入")]
    printed = named[-1] if named else (labels[-1] if labels else "")
    path = "/".join(named) or printed
    if any(vocabulary.pattern(NAME, "carryover_groups").search(g) for g in named[:-1]):
        return "carryover", path
    return _source(printed) or "other", path


def _source(label: str) -> str | None:
    return vocabulary.meaning(vocabulary.labels(NAME, "sources", "source"), label)


def _distinct_names(sources: dict[int, tuple[str, str]]) -> None:
    """Two columns printed with the same header path keep apart by their position."""
    seen: dict[str, int] = {}
    for c, (key, name) in sources.items():
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            sources[c] = (key, f"{name} ({seen[name]})")


def _known(labels: list[str]) -> bool:
    """Whether the vocabulary names the column's source (or its carryover group)."""
    return source_of(labels)[0] == "carryover" or any(_source(t) for t in labels)


def _subtotal_of_parts(labels: list[list[str]], column: int) -> bool:
    """A 小计 column whose group also prints its parts (财政拨款 over 小计 / 一般公共预算 /
    政府性基金): the parts are staged, the 小计 would count their money twice."""
    texts = labels[column]
    if len(texts) < 2 or texts[-1] != "小计":
        return False
    group = texts[-2]
    return any(
        group in other and other[-1] not in ("小计", group) and not other[-1].startswith("其中")
        for c, other in enumerate(labels)
        if c != column
    )


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    amount_column = None if _coded(table) else _sources_as_rows(table)
    if amount_column is not None:
        return {NAME: _parse_rows(table, context, amount_column)}
    header, body = header_and_body(table)
    columns = CodeColumns.from_header(header)
    labels = column_labels(header)
    # the last label column; none (北京 预算02表: 合计 | 本年收入 … over one row): -1, and
    # the row is the department's total
    first_amount = max(columns.known(), default=-1)
    sources = {
        c: source_of(labels[c])
        for c in range(first_amount + 1, len(labels))
        if labels[c]
        and not any(t in _NOT_AMOUNT for t in labels[c])
        and not any(t.startswith("其中") for t in labels[c])
        and not _subtotal_of_parts(labels, c)
    }
    context.note_unknown(
        table,
        vocabulary.unknown(
            NAME,
            labels,
            (r for *_, r in body),
            [c for c in range(len(labels)) if c not in sources or _known(labels[c])],
        ),
    )
    _distinct_names(sources)
    unit = table.unit or context.default_unit or DEFAULT_UNIT
    decimals = max(
        (decimals_of(row[c]) for _, _, row in body for c in sources if c < len(row)), default=0
    )
    records: list[Record] = []
    last_class = last_kuan = None
    for page, row_index, row in body:
        code, last_class, last_kuan = row_code(row, columns, last_class, last_kuan)
        name = row_name(row, columns, unit=not code)
        cells = {c: _amount(row, c, page, table, context) for c in sources if c < len(row)}
        if not any(v is not None for v in cells.values()):
            continue  # a blank, note or repeated header row
        texts = {normalize_text(cell) for cell in row[: first_amount + 1]}
        kind = "code" if code else ("total" if texts & {"合计", "总计"} else "unit")
        kind = "total" if first_amount < 0 else kind
        unit_code = row[columns.unit_code] if columns.unit_code is not None else None
        for c, value in cells.items():
            if value is None:
                continue
            key, printed = sources[c]
            records.append(
                {
                    **context.lineage(table, page, row_index),
                    "amount_unit": unit,
                    "decimals": decimals,
                    "row_kind": kind,
                    "function_code": code or None,
                    "code_level": {3: 1, 5: 2, 7: 3}[len(code)] if code else None,
                    "unit_code": (normalize_text(unit_code) or None) if kind == "unit" else None,
                    "name": "合计" if kind == "total" else (name or None),
                    "income_source": key,
                    "source_name": printed,
                    "amount_yuan": to_yuan(value, unit),
                }
            )
    total = next((name for key, name in sources.values() if key == "total"), None)
    if total is not None:
        records = fold_department(records, _figures, total)
    return {NAME: records}


def _figures(row: list[Record]) -> dict[str, Decimal | None]:
    """A printed row's amounts by source column (printed name)."""
    return {rec["source_name"]: rec["amount_yuan"] for rec in row}


def _parse_rows(table: LogicalTable, context: Context, amount_column: int) -> list[Record]:
    """Sources down the rows: the total and each group's amount, as one total row.

    A group's amount is its 小计 where it prints one, else the sum of its lines; the items
    under a 小计 and 其中 lines are not summed again; the first total line is the total.
    """
    unit = table.unit or context.default_unit or DEFAULT_UNIT
    lines: list[tuple[int, list[str], Decimal | None]] = []
    for page, index, row in table.rows():
        if index == 0 or amount_column >= len(row):
            continue  # the header; a row too short to print an amount
        labels: list[str] = []
        for cell in row[:amount_column]:
            text = normalize_text(cell)
            if text and text not in labels:
                labels.append(text)
        if labels:
            lines.append((page, labels, _amount(row, amount_column, page, table, context)))
    subtotalled = {labels[0] for _, labels, _ in lines if labels[-1] == "小计"}
    amounts: dict[str, Decimal] = {}  # group -> amount, in printed order
    for _, labels, value in lines:
        group, item = labels[0], labels[-1]
        subtotal = item == "小计" or len(labels) == 1
        if value is None or item.startswith("其中") or (group in subtotalled and not subtotal):
            continue
        if _source(group) == "total":
            if not _has_total(amounts):  # a 合计 printed after 收入总计 is the same total
                amounts[group] = value
            continue
        amounts[group] = amounts.get(group, Decimal(0)) + value
    first = next((i for _, i, row in table.rows() if i > 0), 0)
    page = table.parts[0].page_number
    decimals = max(
        (decimals_of(row[amount_column]) for *_, row in table.rows() if amount_column < len(row)),
        default=0,
    )
    return [
        {
            **context.lineage(table, page, first),
            "amount_unit": unit,
            "decimals": decimals,
            "row_kind": "total",
            "function_code": None,
            "code_level": None,
            "unit_code": None,
            "name": "合计",
            "income_source": _source(group) or "other",
            "source_name": group,
            "amount_yuan": to_yuan(value, unit),
        }
        for group, value in amounts.items()
    ]


def _has_total(amounts: dict[str, Decimal]) -> bool:
    return any(_source(group) == "total" for group in amounts)


def _amount(
    row: list[str | None], column: int, page: int, table: LogicalTable, context: Context
) -> Decimal | None:
    try:
        return parse_amount(row[column])
    except ValueError as exc:
        if not any(ch.isdigit() for ch in row[column] or ""):
            return None  # words in an amount column: a note or a repeated header
        context.problems.append(
            Problem("amount_parses", page, table.title, f"page {page}: {exc} in {row}")
        )
        return None
