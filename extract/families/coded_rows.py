"""Rows of tables listed by function code (类/款/项): what the function-expenditure,
income-by-source and 收支总表 families share. Not a family itself.

A code is printed in one 科目编码 column (3/5/7 digits, as a hierarchy), in three columns
类 | 款 | 项 (each the code's own two digits, 01, whose level only its column tells, or the
whole code), where a 款 or 项 row may leave the 类 and 款 above it blank, or in the name's
cell ([201]一般公共服务支出, 2010501-行政运行). Which columns hold the codes and names is the
vocabulary's `coded_rows` section. A table printing names only (杭州) gets the code each
name was printed with under its parent in the budgets read (`CodeReader`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extract import vocabulary
from extract.families.base import column_labels
from extract.pdf import Row
from extract.reference import function_names, name_key
from extract.tables import LogicalTable, split_header
from extract.values import normalize_text

NAME = "coded_rows"  # its section of extract/vocabulary.toml
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
# a code, bracketed or not, an optional separator, a name: "[201]一般公共服务支出",
# "2010501-行政运行", "201 一般公共服务支出" (the leading digits: the classification's)
_CODE_AND_NAME = (
    r"^[\[【(（]?({first}\d{{2}}(?:\d{{2}}){{0,2}})[\]】)）]?"
    r"(?:\s*[-－—–_:：、.]\s*|\s*)([^\d\s].*)$"
)


@dataclass
class CodeColumns:
    """Which columns hold the function code (one column, or 类/款/项), unit code and name."""

    class_: int | None = None
    kuan: int | None = None
    xiang: int | None = None
    code: int | None = None
    unit_code: int | None = None
    unit_name: int | None = None  # 预算单位: a unit row's name, when its own column
    name: int | None = None

    @classmethod
    def from_header(cls, header: list[Row]) -> CodeColumns:
        """Where the vocabulary (extract/vocabulary.toml) puts each label column."""
        found = vocabulary.columns(NAME, column_labels(header))

        def one(name: str) -> int | None:
            return found[name][0] if name in found else None

        columns = cls(class_=one("class_"), kuan=one("kuan"), xiang=one("xiang"))
        columns.unit_code = one("unit_code")
        columns.unit_name = one("unit_name")
        if columns.class_ is None:  # 科目编码 may also head the 类/款/项 columns
            columns.code = one("code")
        columns.name = one("name")
        return columns

    def known(self) -> set[int]:
        slots = (self.class_, self.kuan, self.xiang, self.code, self.unit_code, self.unit_name)
        return {c for c in (*slots, self.name) if c is not None}

    @property
    def code_columns(self) -> bool:
        """Whether the table prints its codes in columns of their own."""
        return any(c is not None for c in (self.class_, self.kuan, self.xiang, self.code))


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
    """The row's function code, and the 类 and 款 (whole codes) to carry to the next row.

    In 类 | 款 | 项 columns a 款 or 项 cell prints the code's own two digits (01: its column
    tells its level) or the whole code (20105 in the 款 column); a 类 or 款 left blank is
    the row above's.
    """
    if columns.code is not None:
        code = re.sub(r"\s", "", row[columns.code] or "")
        return (code if _CODE.match(code) else ""), last_class, last_kuan
    parts = [
        re.sub(r"\s", "", row[c] or "") if c is not None and c < len(row) else ""
        for c in (columns.class_, columns.kuan, columns.xiang)
    ]
    class_, kuan, xiang = (p if p.isdigit() else "" for p in parts)
    if not (class_ or kuan or xiang):
        return "", last_class, last_kuan
    code = _whole_code(class_, kuan, xiang, last_class, last_kuan)
    if not _CODE.match(code) or not code.startswith(class_):
        return "", last_class, last_kuan
    return code, code[:3], (code[:5] if len(code) > 3 else None)


def _whole_code(
    class_: str, kuan: str, xiang: str, last_class: str | None, last_kuan: str | None
) -> str:
    """The code of a row's 类 | 款 | 项 cells ('' when they do not make one)."""
    parent = class_ or last_class or ""
    if len(kuan) == 2:
        kuan = parent + kuan
    elif not kuan and xiang and len(xiang) == 2:
        kuan = last_kuan or ""
    if xiang:
        if len(xiang) == 2:
            return kuan + xiang if len(kuan) == 5 else ""
        return xiang if xiang.startswith(kuan) else ""
    return kuan or class_


def split_code(cell: str, first: str = "2") -> tuple[str, str]:
    """(code, name) of a cell printing both ("[201]一般公共服务支出", "2010501-行政运行"); ("",
    cell) otherwise. `first`: the digits a code of the classification starts with (2 for
    function codes, 35 for the 部门 and 政府 economic ones)."""
    match = re.match(_CODE_AND_NAME.format(first=f"[{first}]"), cell)
    if not match:
        return "", cell
    return match.group(1), match.group(2).strip()


@dataclass
class CodeReader:
    """Reads each row's function code and name, top-down: from the code columns, else from
    the name's cell ([201]一般公共服务支出); in a table printing names only, `by_name` gives a
    name the code it was printed with under its parent in the budgets read
    (extract/reference/function_names.csv), never a guess."""

    columns: CodeColumns
    last_class: str | None = None
    last_kuan: str | None = None
    placed: bool = True  # False after a name of no known code: the rows under it are not

    @property
    def names_only(self) -> bool:
        """Rows named, not coded: a name column that is not the units' (单位名称)."""
        name = self.columns.name
        return name is not None and name != self.columns.unit_name and not self.columns.code_columns

    def read(self, row: Row) -> tuple[str, str]:
        """The row's code ('' if it prints none) and name."""
        name = _cell(row, self.columns.name)
        if self.columns.code_columns:
            code, self.last_class, self.last_kuan = row_code(
                row, self.columns, self.last_class, self.last_kuan
            )
            return code, name
        code, rest = split_code(name)
        if code:
            self._place(code)
            return code, rest
        return "", name

    def by_name(self, name: str) -> str:
        """The code printed with `name`: under the last 款 named, else under the last 类,
        else as a 类; '' where the budgets read printed no code, or several, with it there."""
        key = name_key(name)
        parents = (self.last_kuan if self.placed else None, self.last_class, "")
        for parent in parents:
            if parent is None:
                continue
            codes = function_names().get((parent, key), frozenset())
            if len(codes) == 1:
                code = next(iter(codes))
                self._place(code)
                return code
        self.placed = False
        return ""

    def _place(self, code: str) -> None:
        self.last_class = code[:3]
        self.last_kuan = code[:5] if len(code) > 3 else None
        self.placed = True


def _cell(row: Row, c: int | None) -> str:
    return normalize_text(row[c]) if c is not None and c < len(row) else ""
