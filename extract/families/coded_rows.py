"""Rows of tables listed by function code (类/款/项): what the function-expenditure,
income-by-source and 收支总表 families share. Not a family itself.

A code is printed in one 科目编码 column (3/5/7 digits, as a hierarchy) or in three
columns 类 | 款 | 项 where a 款 or 项 row may leave the 类 and 款 above it blank. Which
columns hold the codes and names is the vocabulary's `coded_rows` section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract import vocabulary
from extract.families.base import column_labels
from extract.pdf import Row
from extract.tables import LogicalTable, split_header
from extract.values import normalize_text

NAME = "coded_rows"  # its section of extract/vocabulary.toml
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")


@dataclass
class CodeColumns:
    """Which columns hold the function code (one column, or 类/款/项), unit code and name."""

    class_: int | None = None
    kuan: int | None = None
    xiang: int | None = None
    code: int | None = None
    unit_code: int | None = None
    name: int | None = None

    @classmethod
    def from_header(cls, header: list[Row]) -> CodeColumns:
        """Where the vocabulary (extract/vocabulary.toml) puts each label column."""
        found = vocabulary.columns(NAME, column_labels(header))

        def one(name: str) -> int | None:
            return found[name][0] if name in found else None

        columns = cls(class_=one("class_"), kuan=one("kuan"), xiang=one("xiang"))
        columns.unit_code = one("unit_code")
        if columns.class_ is None:  # 科目编码 may also head the 类/款/项 columns
            columns.code = one("code")
        columns.name = one("name")
        return columns

    def known(self) -> set[int]:
        slots = (self.class_, self.kuan, self.xiang, self.code, self.unit_code, self.name)
        return {c for c in slots if c is not None}


def header_and_body(table: LogicalTable) -> tuple[list[Row], list[tuple[int, int, Row]]]:
    """The first part's header rows, and (page, row_index, row) of every body row.

    A continuation part may repeat the header: its leading rows made only of header texts
    are dropped too (a continuation's first rows may carry labels and no amount yet).
    """
    first = table.parts[0]
    header_rows = split_header(first.rows)
    header = first.rows[:header_rows]
    header_texts = {_plain(cell) for row in header for cell in row} - {""}
    body: list[tuple[int, int, Row]] = []
    for n, part in enumerate(table.parts):
        skip = header_rows
        if n > 0:
            limit = split_header(part.rows)
            skip = 0
            while skip < limit and {_plain(c) for c in part.rows[skip]} - {""} <= header_texts:
                skip += 1
        body.extend((part.page_number, len(body), row) for row in part.rows[skip:])
    return header, body


def _plain(cell: str | None) -> str:
    return re.sub(r"\s", "", normalize_text(cell))


def row_code(
    row: Row, columns: CodeColumns, last_class: str | None, last_kuan: str | None
) -> tuple[str, str | None, str | None]:
    """The row's function code, and the 类/款 to carry to the next row."""
    if columns.code is not None:
        code = re.sub(r"\s", "", row[columns.code] or "")
        return (code if _CODE.match(code) else ""), last_class, last_kuan
    parts = [
        re.sub(r"\s", "", row[c] or "") if c is not None else ""
        for c in (columns.class_, columns.kuan, columns.xiang)
    ]
    class_, kuan, xiang = (p if p.isdigit() else "" for p in parts)
    if not (class_ or kuan or xiang):
        return "", last_class, last_kuan
    class_ = class_ or last_class or ""
    if xiang and not kuan:
        kuan = last_kuan or ""
    code = class_ + kuan + xiang
    return (code if _CODE.match(code) else ""), class_, (kuan or None)
