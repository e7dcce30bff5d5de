"""会议费 and 培训费: the 会议费明细表 / 培训费明细表, and the 会议费 / 培训费 beside the 三公.

Two kinds of print:
- a list, one meeting or training per row (西安: 序号 | 会议名称 | 时间 | 人数 | 金额 |
  备注, and the same with 培训名称 under 培训费明细表), with a 合计 row in some prints.
  Each row is an `item`: its name, its date as printed (`held_on`), and the counts
  printed beside it (人数 `participants`, 天数 `duration_days`, 会议数 / 期数 / 次数
  `sessions`); a 合计 row is the category's `total`. The category is the title's (会议费
  or 培训费), else the name column's (会议名称 or 培训名称), and a header row printed again
  inside the table (培训名称 under a 会议费 list) switches it.
- the 三公 table that adds 会议费 and 培训费 columns (Jiangsu's “三公”经费、会议费、
  培训费支出预算表, 西安's …“三公”经费及会议费、培训费支出预算表): read by three_public,
  which stages each of the two columns as a `total` row of this family and, where the
  table's 合计 covers 三公 + 会议费 + 培训费, that 合计 as a `combined` row (gate 1 checks
  the sum).

Which column is which: the vocabulary's `meeting_training` section. Untitled, a list is
known by its header: a 会议名称 or 培训名称 column beside an amount column.
"""

from __future__ import annotations

import re
from decimal import Decimal

from extract import vocabulary
from extract.families.base import Context, Problem, Record, column_labels, header_labels
from extract.families.coded_rows import header_and_body
from extract.pdf import Row
from extract.tables import LogicalTable, is_column_numbers
from extract.values import (
    DEFAULT_UNIT,
    decimals_of,
    find_unit,
    normalize_text,
    parse_amount,
    to_yuan,
)

NAME = "meeting_training"
CATEGORIES = ("meeting", "training")
ROW_KINDS = ("total", "item", "combined")
_TOTAL_LABELS = ("合计", "总计")
_COUNTS = ("participants", "duration_days", "sessions")


def _plain(text: str | None) -> str:
    return re.sub(r"\s", "", normalize_text(text))


def category_of(text: str | None) -> str | None:
    """meeting or training, as a title or label names it (会议费明细表, 培训名称), else None."""
    return vocabulary.meaning(vocabulary.labels(NAME, "categories", "category"), _plain(text))


def matches(table: LogicalTable) -> bool:
    title = _plain(table.title)
    return (
        bool(vocabulary.pattern(NAME, "title").search(title))
        and "三公" not in title
        and "绩效" not in title
    )


def matches_header(table: LogicalTable, context: Context) -> bool:
    labels = header_labels(table)
    found = vocabulary.columns(NAME, labels)
    return "amount" in found and "name" in found and _name_category(labels, found) is not None


def _name_category(labels: list[list[str]], found: dict[str, list[int]]) -> str | None:
    column = found.get("name", [None])[0]
    if column is None:
        return None
    return next((c for text in labels[column] if (c := category_of(text))), None)


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    header, body = header_and_body(table)
    labels = column_labels(header)
    found = vocabulary.columns(NAME, labels)
    context.note_unknown(
        table,
        vocabulary.unknown(
            NAME, labels, (r for *_, r in body), {c for v in found.values() for c in v}
        ),
    )
    if "amount" not in found:
        return {NAME: []}
    amount_column = found["amount"][0]
    unit = (
        table.unit
        or find_unit(" ".join(t for ts in labels for t in ts))
        or (context.default_unit or DEFAULT_UNIT)
    )
    decimals = max((decimals_of(row[amount_column]) for *_, row in body), default=0)
    category = category_of(table.title) or _name_category(labels, found)
    records: list[Record] = []
    for page, row_index, row in body:
        if is_column_numbers(row) or not any(row):
            continue
        switched = _header_category(row, found)
        if switched is not None and not _is_amount(row, amount_column):
            category = switched  # a list of the other category under its own header
            continue
        if category is None:
            continue
        amount = _amount(row, amount_column, unit, context, table, page)
        name = _text(row, found, "name")
        labels_of_row = [_plain(row[c]) for c in range(len(row)) if c != amount_column]
        total = any(t in _TOTAL_LABELS for t in labels_of_row)
        if amount is None and not name:
            continue  # a note or a blank row
        record: Record = {
            **context.lineage(table, page, row_index),
            "amount_unit": unit,
            "decimals": decimals,
            "row_kind": "total" if total else "item",
            "category": category,
            "name": None if total else (name or None),
            "held_on": None if total else (_text(row, found, "held_on") or None),
            "amount_yuan": amount if amount is not None else Decimal(0),
        }
        for count in _COUNTS:
            record[count] = _count(row, found, count, context, table, page)
        records.append(record)
    return {NAME: records}


def _header_category(row: Row, found: dict[str, list[int]]) -> str | None:
    """The category of a header row printed inside the table (序号 | 培训名称 | …), else None."""
    column = found.get("name", [None])[0]
    if column is None or column >= len(row):
        return None
    text = _plain(row[column])
    if vocabulary.role(NAME, [text]) != "name":
        return None
    return category_of(text)


def _is_amount(row: Row, column: int) -> bool:
    try:
        return parse_amount(row[column] if column < len(row) else None) is not None
    except ValueError:
        return False


def _text(row: Row, found: dict[str, list[int]], role: str) -> str:
    column = found.get(role, [None])[0]
    return normalize_text(row[column]) if column is not None and column < len(row) else ""


def _amount(
    row: Row, column: int, unit: str, context: Context, table: LogicalTable, page: int
) -> Decimal | None:
    try:
        return to_yuan(parse_amount(row[column] if column < len(row) else None), unit)
    except ValueError as exc:
        context.problems.append(Problem("amount_parses", page, table.title, f"page {page}: {exc}"))
        return None


def _count(
    row: Row,
    found: dict[str, list[int]],
    role: str,
    context: Context,
    table: LogicalTable,
    page: int,
) -> int | None:
    """A count printed beside the amount (人数 100, 天数 2); None where blank."""
    text = _plain(_text(row, found, role))
    if not text:
        return None
    number = re.fullmatch(r"(\d+)(?:人|天|次|期|个|场)?", text)
    if number is None:
        context.problems.append(
            Problem("amount_parses", page, table.title, f"page {page}: {role} {text!r} is no count")
        )
        return None
    return int(number.group(1))
