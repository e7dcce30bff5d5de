"""The interface every family module fulfils, and what they share."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from extract.pdf import Row
from extract.tables import LogicalTable
from extract.values import normalize_text

Record = dict[str, Any]


@dataclass(frozen=True)
class Problem:
    """Something a parser could not read; becomes a blocking finding of gate 1."""

    check: str
    page_number: int
    table_title: str | None
    detail: str


@dataclass
class Context:
    """What a parser knows about the document beyond its own table."""

    document_id: str
    department: str | None
    default_unit: str | None
    problems: list[Problem] = field(default_factory=list)

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

    def parse(self, table: LogicalTable, context: Context) -> dict[str, list[Record]]: ...


def column_labels(header: list[Row]) -> list[list[str]]:
    """Per column, the distinct header texts top-down (merged cells resolved)."""
    width = max(len(row) for row in header) if header else 0
    labels: list[list[str]] = [[] for _ in range(width)]
    for row in header:
        for c, cell in enumerate(row):
            text = normalize_text(cell)
            if text and text not in labels[c]:
                labels[c].append(text)
    return labels


def find_column(labels: list[list[str]], *names: str, exact: bool = False) -> int | None:
    """First column one of whose labels equals (exact) or contains one of `names`."""
    for c, texts in enumerate(labels):
        for text in texts:
            if any((text == n) if exact else (n in text) for n in names):
                return c
    return None
