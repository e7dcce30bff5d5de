"""Rows of tables listed by function code (类/款/项): what the function-expenditure,
income-by-source and 收支总表 families share. Not a family itself.

A code is printed in one 科目编码 column (3/5/7 digits, as a hierarchy), in three columns
类 | 款 | 项 (each the code's own two digits, 01, whose level only its column tells, or the
whole code), where a 款 or 项 row may leave the 类 and 款 above it blank, or with its name in
one cell (2010501-行政运行 in the code column, [201]一般公共服务支出 in the name column, 广州).
Which columns hold the codes and names is the vocabulary's `coded_rows` section. A table
printing names only (杭州) gets the code each name was printed with under its parent in the
budgets read (`CodeReader`).

Rows may be listed by unit instead (单位名称, 预算单位, 单位编码), with or without codes under
each unit: the 合计 row is the department's, and a department may print its own line over
its units too (`fold_department`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from extract import vocabulary
from extract.families.base import Record, column_labels
from extract.pdf import Row
from extract.reference import function_names, name_key, national_classes
from extract.tables import LogicalTable, split_header
from extract.values import normalize_text, to_yuan

NAME = "coded_rows"  # its section of extract/vocabulary.toml
_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")
# a code printed with its name in one cell: 2010501-行政运行, [2010501]行政运行, 2010501 行政运行;
# text before the code is the end of the row above's name, wrapped below its cell (北京)
_CODE_AND_NAME = re.compile(
    r"^(?P<carried>\D*?)[\[【(（]?(?P<code>\d{3}(?:\d{2}){0,2})[\]】)）]?"
    r"(?:\s*[-－—–:：]\s*|\s+|(?=\D))(?P<name>\D.*)$"
)


# a code, bracketed or not, an optional separator, a name, in a name's cell: "[201]一般公共服务
# 支出" (广州), "201 一般公共服务支出"; the leading digits are the classification's (2 for
# function codes, 3 or 5 for the 部门 and 政府 economic ones)
_NAME_WITH_CODE = (
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
    name: int | None = None
    unit_name: int | None = None  # 单位名称 / 预算单位: the unit a row is printed for
    economic: list[int] = field(default_factory=list)  # economic codes beside the function's

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
        columns.unit_name = one("unit_name")
        columns.economic = found.get("economic", [])
        return columns

    def known(self) -> set[int]:
        slots = (self.class_, self.kuan, self.xiang, self.code, self.unit_code, self.name)
        return {c for c in (*slots, self.unit_name, *self.economic) if c is not None}

    @property
    def code_columns(self) -> bool:
        """Whether the table prints its codes in columns of their own."""
        return any(c is not None for c in (self.class_, self.kuan, self.xiang, self.code))

    @property
    def names_only(self) -> bool:
        """Rows named, no code printed (杭州: 功能分类科目名称 alone): a row's code is the
        national 类 its name is, and rows below a 类 carry no code to read."""
        codes = (self.class_, self.kuan, self.xiang, self.code, self.unit_code, self.unit_name)
        return self.name is not None and all(c is None for c in codes)


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


def code_cell(cell: str | None) -> tuple[str, str, str]:
    """(code, name, carried) of a 科目编码 cell: a bare code (2010501), or a code printed
    with its name (2010501-行政运行), after the wrapped end of the row above's name if any
    (缴费支出2080506-机关事业单位职业年金: carried 缴费支出); ("", "", "") for no code."""
    text = normalize_text(cell)
    plain = re.sub(r"\s", "", text)
    if _CODE.match(plain):
        return plain, "", ""
    match = _CODE_AND_NAME.match(text)
    if not match:
        return "", "", ""
    return match["code"], match["name"].strip(), match["carried"].strip()


def row_name(row: Row, columns: CodeColumns, unit: bool) -> str:
    """The name printed on a row: the unit's on a unit row where a unit column names it,
    else the 科目名称, else the name printed with the code in its cell."""
    if unit and _cell(row, columns.unit_name):
        return _cell(row, columns.unit_name)
    if columns.name is not None:
        return _cell(row, columns.name)
    return code_cell(row[columns.code])[1] if columns.code is not None else ""


def carried_text(row: Row, columns: CodeColumns) -> str:
    """Text printed before the row's code: the end of the row above's name (see code_cell)."""
    return code_cell(row[columns.code])[2] if columns.code is not None else ""


def _cell(row: Row, column: int | None) -> str:
    return normalize_text(row[column]) if column is not None and column < len(row) else ""


def _class_by_name(name: str) -> str | None:
    """The 类 of the national list printed under this name (一般公共服务支出 -> 201)."""
    key = name_key(name)
    return next((code for code, n in national_classes().items() if name_key(n) == key), None)


def _plain(cell: str | None) -> str:
    return re.sub(r"\s", "", normalize_text(cell))


def row_code(
    row: Row, columns: CodeColumns, last_class: str | None, last_kuan: str | None
) -> tuple[str, str | None, str | None]:
    """The row's function code, and the 类 and 款 (whole codes) to carry to the next row."""
    if columns.code is not None:
        return code_cell(row[columns.code])[0], last_class, last_kuan
    if columns.names_only:
        class_ = _class_by_name(_cell(row, columns.name))
        if class_ is None or class_ == last_class:  # 其他支出 is a 类, its 款 and its 项
            return "", last_class, last_kuan
        return class_, class_, None
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
    """The code of a row's 类 | 款 | 项 cells ('' when they do not make one): a 款 or 项 cell
    prints the code's own two digits (01) or the whole code (20105 in the 款 column); a 类
    or 款 left blank is the row above's (`last_kuan`: its whole code)."""
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


Figures = Mapping[str, Decimal | None]


def fold_department(
    records: list[Record], figures: Callable[[list[Record]], Figures], primary: str
) -> list[Record]:
    """The records of a table listed by unit, its department's own line told from its units.

    A department prints its line over its units' (本级 and subordinate units), as a unit
    row: 西安 合计 | 117 西安市审计局 | 117001 西安市审计局, 杭州 合计 | 杭州市司法局 |
    杭州市司法局 | 杭州市东郊监狱 …. That line is the department's figures, not a unit's: read
    as a unit it would count the department twice. It is the one unit row whose 单位编码
    begins every other unit row's (117 over 117001), or, where no code is printed, the first
    unit row when it prints the 合计 row's figures and the unit rows after it sum to them.
    Where the 合计 row prints the same figures, the line restates it and is not staged again
    (the 合计 row takes its 单位编码); else it is the table's total row.

    `records` are one or more per printed row (`row_index`), `figures` a printed row's
    amounts by column, `primary` the column every row prints (its total).
    """
    rows: dict[Any, list[Record]] = {}
    for rec in records:
        rows.setdefault(rec["row_index"], []).append(rec)
    units = [group for group in rows.values() if group[0]["row_kind"] == "unit"]
    totals = [group for group in rows.values() if group[0]["row_kind"] == "total"]
    if len(units) < 2:
        return records
    department = _parent_unit(units) or _restating_unit(units, totals, figures, primary)
    if department is None:
        return records
    if totals and _same(figures(totals[0]), figures(department)):
        code = department[0].get("unit_code")
        for rec in totals[0]:
            rec["unit_code"] = rec.get("unit_code") or code
        return [rec for rec in records if rec["row_index"] != department[0]["row_index"]]
    for rec in department:
        rec["row_kind"] = "total"
    return records


def _parent_unit(units: list[list[Record]]) -> list[Record] | None:
    """The one unit whose code begins every other unit's code (117 over 117001)."""
    codes = [group[0].get("unit_code") or "" for group in units]
    for i, code in enumerate(codes):
        others = codes[:i] + codes[i + 1 :]
        if code and all(c.startswith(code) and len(c) > len(code) for c in others):
            return units[i]
    return None


def _restating_unit(
    units: list[list[Record]],
    totals: list[list[Record]],
    figures: Callable[[list[Record]], Figures],
    primary: str,
) -> list[Record] | None:
    """The first unit row where it prints the 合计 row's figures and the unit rows after it
    sum to its total, within the rounding of their printed figures."""
    if not totals or not _same(figures(units[0]), figures(totals[0])):
        return None
    first, rest = units[0], units[1:]
    printed = figures(first).get(primary)
    if printed is None:
        return None
    parts = [figures(group).get(primary) or Decimal(0) for group in rest]
    rec = first[0]
    half_unit = to_yuan(Decimal(5) / 10 ** (int(rec.get("decimals") or 0) + 1), rec["amount_unit"])
    assert half_unit is not None
    return first if abs(sum(parts, Decimal(0)) - printed) <= half_unit * len(rest) else None


def _same(one: Figures, other: Figures) -> bool:
    """The same figures in every column, a blank cell being 0."""
    return all((one.get(k) or 0) == (other.get(k) or 0) for k in {*one, *other})


def merge_codes(records: list[Record], fields: list[str]) -> list[Record]:
    """One record per function code, where a table prints a row per function x economic
    code (北京 预算03表支出总表: 2010501-行政运行 | 50101-工资奖金津补贴 | 30101-基本工资):
    the function's figures are the sum of its rows, staged at its first row."""
    merged: list[Record] = []
    first: dict[str, Record] = {}
    for rec in records:
        code = rec["function_code"] if rec["row_kind"] == "code" else None
        if code is None or code not in first:
            merged.append(rec)
            if code is not None:
                first[code] = rec
            continue
        kept = first[code]
        for name in fields:
            if rec[name] is not None:
                kept[name] = (kept[name] or Decimal(0)) + rec[name]
    return merged


def split_code(cell: str, first: str = "2") -> tuple[str, str]:
    """(code, name) of a cell printing both ("[201]一般公共服务支出", "2010501-行政运行"); ("",
    cell) otherwise. `first`: the digits a code of the classification starts with (2 for
    function codes, 35 for the 部门 and 政府 economic ones)."""
    match = re.match(_NAME_WITH_CODE.format(first=f"[{first}]"), cell)
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
        return self.columns.names_only

    def read(self, row: Row) -> tuple[str, str]:
        """The row's code ('' if it prints none) and name (a unit row's: its unit's)."""
        if self.columns.code_columns:
            code, self.last_class, self.last_kuan = row_code(
                row, self.columns, self.last_class, self.last_kuan
            )
            return code, row_name(row, self.columns, unit=not code)
        code, name = split_code(row_name(row, self.columns, unit=False))
        if code:
            self._place(code)
            return code, name
        return "", row_name(row, self.columns, unit=True)

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
