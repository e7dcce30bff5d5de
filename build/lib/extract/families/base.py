"""The interface every family module fulfils, and what they share.

A family recognises a table by its title (`matches`). A table printed without a title
(none at all, an image, or only 附表3 / 公开03表), or under a title naming no budget table,
is recognised by its header cells instead (`matches_header`), conservatively: a wrong
match is worse than none. The header path is tried only once no family took the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from extract.pdf import Row
from extract.tables import LogicalTable, is_column_numbers, split_header
from extract.values import normalize_text, parse_amount
from extract.verdicts import Reason

Record = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """Something a parser could not read; becomes a blocking finding of gate 1."""

    check: str
    page_number: int
    table_title: str | None
    detail: str
    table_index: int | None = None  # the logical table (set by extract_document)
    reason: Reason = Reason.INVALID_VALUES  # what it costs its table when it blocks


@dataclass
class Context:
    """What a parser knows about the document beyond its own table."""

    document_id: str
    department: str | None
    default_unit: str | None
    problems: list[Problem] = field(default_factory=list)
    # family -> the scopes (budget_scope, table_kind) of its tables parsed so far, in page
    # order: an untitled table takes the next scope of the national template's order
    scopes: dict[str, list[str]] = field(default_factory=dict)
    # table index -> header paths of amount columns its family's vocabulary did not name
    unknown_columns: dict[int, list[str]] = field(default_factory=dict)
    # indexes of the tables their family found printed without data rows where
    # LogicalTable.is_empty does not see it (a 合计 of zeros): recorded as empty
    empty_tables: set[int] = field(default_factory=set)

    def note_empty(self, table: LogicalTable) -> None:
        self.empty_tables.add(table.index)

    def note_unknown(self, table: LogicalTable, paths: list[str]) -> None:
        if paths:
            self.unknown_columns.setdefault(table.index, []).extend(paths)

    def note_scope(self, family: str, scope: str) -> None:
        self.scopes.setdefault(family, []).append(scope)

    def next_scope(self, family: str, order: tuple[str, ...]) -> str | None:
        """The first scope of `order` no table of `family` has had yet, if any."""
        seen = self.scopes.get(family, [])
        return next((scope for scope in order if scope not in seen), None)

    def lineage(self, table: LogicalTable, page_number: int, row_index: int) -> Record:
        return {
            "document_id": self.document_id,
            "page_number": page_number,
            "table_index": table.index,
            "row_index": row_index,
            "table_title": table.title,
        }


class Family(Protocol):
    NAME: str

    def matches(self, table: LogicalTable) -> bool: ...

    def matches_header(self, table: LogicalTable, context: Context) -> bool: ...

    def parse(self, table: LogicalTable, context: Context) -> dict[str, list[Record]]: ...


def column_labels(header: list[Row]) -> list[list[str]]:
    """Per column, the distinct header texts top-down (merged cells resolved); a 栏次 row
    numbering the columns (** | 1 | 2 …) names none of them and is left out."""
    width = max(len(row) for row in header) if header else 0
    labels: list[list[str]] = [[] for _ in range(width)]
    for row in header:
        if is_column_numbers(row):
            continue
        for c, cell in enumerate(row):
            text = normalize_text(cell)
            if text and text not in labels[c]:
                labels[c].append(text)
    return labels


# Words of every budget or performance table's title: a title carrying one of them names a
# table (perhaps one no family reads, such as 政府性基金预算支出表), so its header is not asked.
_TITLE_WORDS = ("支出", "收入", "收支", "三公", "经费", "绩效", "预算", "项目", "指标", "目标")
_LEADING_CODE = re.compile(r"^(\d{3}(?:\d{2}){0,2})(?:\s|$|[^\d.,])")
_TOTAL_WORDS = ("合计", "总计")


def untitled(table: LogicalTable) -> bool:
    """No title, or a title that names no budget table: the header must tell."""
    title = table.title or ""
    return not any(word in title for word in _TITLE_WORDS)


def header_labels(table: LogicalTable) -> list[list[str]]:
    """Per column, the header labels of the table's first part (rows before the first
    amount), whitespace removed."""
    rows = table.parts[0].rows
    labels = column_labels(rows[: split_header(rows)])
    return [[re.sub(r"\s", "", text) for text in texts] for texts in labels]


def has_label(labels: list[list[str]], *words: str) -> bool:
    """Whether some header label contains one of `words`."""
    return any(word in text for texts in labels for text in texts for word in words)


def first_code(table: LogicalTable) -> str | None:
    """The first code (3, 5 or 7 digits) printed in the first three columns of a body row;
    rows naming a total are skipped (their amounts could pass for codes)."""
    for _, _, row in table.rows():
        if any(w in normalize_text(cell) for cell in row for w in _TOTAL_WORDS):
            continue
        for cell in row[:3]:
            match = _LEADING_CODE.match(normalize_text(cell))
            if match:
                return match.group(1)
    return None


def printed_empty(table: LogicalTable) -> bool:
    """Printed without data rows: `LogicalTable.is_empty` (本表无数据, no amount at all), or
    no row carrying a code and no amount but zeros (合计 0.00, a unit's row of 0.00, a
    合计 left blank under a 栏次 row 1 2 3 that numbers the columns)."""
    if table.is_empty:
        return True
    if first_code(table) is not None:
        return False
    for _, _, row in table.rows():
        if is_column_numbers(row):
            continue
        for cell in row:
            try:
                if parse_amount(cell):
                    return False
            except ValueError:  # a label
                continue
    return True


def forward_fill(previous: list[str], printed: list[str]) -> list[str]:
    """Indicator levels (一级/二级/三级指标) of a row whose merged cells print blank: a blank
    level takes the row above's while every level above it is unchanged."""
    filled: list[str] = []
    unchanged = True
    for above, text in zip(previous, printed, strict=True):
        unchanged = unchanged and (not text or text == above)
        filled.append(text or (above if unchanged else ""))
    return filled
