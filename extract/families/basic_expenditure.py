"""Basic expenditure by economic code: 一般公共预算基本支出表, 支出经济分类汇总表, and
Shanghai's 一般公共预算基本支出部门预算经济分类预算表.

Layouts seen: one 科目编码 column (3/5/7-digit codes) or 类/款 in two columns; an optional
政府预算支出经济分类 code and name beside the 部门 one, before or after it; code and name in
one cell ("30101 基本工资", "3021101-差旅费"); 合计 then 人员经费/公用经费; 合计 row first or
last, its label in the code or the name column; a 栏次 row (** | ** | 1 | 2 …) under the
header. Also read: 人员经费 and 公用经费 printed side by side, each with its own code, name
and amount columns (one record per side of a printed row).

Codes are staged as printed: 类 (3 digits), 款 (5) and, where a city prints them, 项 (7
digits, 3010201 规范性津补贴), a sub-item of its 款. A 7-digit row is kept as the detail
it is: where its 款 is printed, the 款 already sums it (gate 1 checks 款 = Σ its 7-digit
rows, as 类 = Σ 款) and the marts count the 款; where the 款 is not printed (Beijing prints
3021101 差旅费 with no 30211 row), the 7-digit row is the deepest the table shows and
counts, rolled up to its 款 in fct_basic_expenditure (so a fact stays at 类/款 grain,
comparable across cities).

A table split by both classifications prints a 部门 code more than once, once per 政府
code (301 under 501 机关工资福利支出 and again under 505 对事业单位经常性补助): each printing
is a row of its own, with its 政府 code; gate 1 matches a row's children by both codes.

A code row whose amount cells are all blank, in a table that prints amounts elsewhere,
reads as zero: a blank is how the print shows 0 (福州 prints 307 债务利息及费用支出 blank).

Rows may be listed by unit (基本支出总表 of 深圳, 部门预算基本支出预算表 of 广州): a unit's
line (深圳市统计局（本级）, in a 预算单位 column or in the label column itself) over the
economic rows of that unit, printed with codes or by name only. In the label column a unit
is told from an economic name by what it prints: no code, by column or by name, and the
类 rows under it summing to it (a line printing no 类 but with units under it is the
department's, see coded_rows.fold_department). Each row carries the unit it is printed under
(`unit_name`, `unit_code`); the 合计 is the department's, the units' sum. A table printing
one unit and no 合计 reads that unit's line as its total.

机关运行经费 by economic code (Jiangsu: 一般公共预算机关运行经费支出预算表 | 科目编码 | 科目名称 |
机关运行经费支出, a 合计 over 类 302 商品和服务支出 and its 款) is read by this parser too and
staged as the operating_expenses family (source `table`; the 机关运行经费 column of a 三公
table is three_public's, staged there with source `three_public`): its title is the
vocabulary's operating_expenses.title; gate 1 checks it as this family's rows (合计 = Σ 类,
类 = Σ 款), fct_operating_expenses holds it.

Untitled, the table is known by its header: 经济分类 (or economic codes 3xx/5xx in its
rows) with code columns, and 合计 or 人员经费 / 公用经费; never 项目支出, income, 三公 or
other budgets' words. Titled 基本支出 without codes, by the national class names its rows
print (工资福利支出).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from extract import vocabulary
from extract.families.base import (
    Context,
    Problem,
    Record,
    column_labels,
    first_code,
    has_label,
    header_labels,
)
from extract.families.coded_rows import fold_department, split_code
from extract.pdf import Row
from extract.reference import economic_names, name_key
from extract.tables import LogicalTable, is_column_numbers, split_header
from extract.values import DEFAULT_UNIT, decimals_of, normalize_text, parse_amount, to_yuan

NAME = "basic_expenditure"
OPERATING_EXPENSES = "operating_expenses"  # 机关运行经费 by economic code (extract/schema.py)
# the columns of a row read here that the operating_expenses family stages
_OPERATING_COLUMNS = (
    "document_id",
    "page_number",
    "table_index",
    "row_index",
    "table_title",
    "amount_unit",
    "decimals",
    "row_kind",
    "economic_code",
    "economic_name",
    "amount_yuan",
)

_TITLE = re.compile(r"经济分类|基本支出")
# Tables that mention 基本支出 but belong to other families, or other budgets' tables.
_EXCLUDED = ("三公", "功能分类", "绩效", "政府性基金", "国有资本", "收入")
# 部门 (3xx) or 政府 (5xx) economic code: 类, 款 or 项 (3, 5 or 7 digits)
_CODE = re.compile(r"^[35]\d{2}(\d{2}){0,2}$")
_TOTAL_WORDS = ("合计", "总计")
_GROUPS = {"personnel": "人员经费", "public": "公用经费"}
_HEADER_WORDS = ("科目", "编码", "名称", "人员经费", "公用经费", "基本支出", "项目")
# Economic classes that are 人员经费: 工资福利支出, 对个人和家庭的补助 (and their 政府 twins).
_PERSONNEL = ("301", "303", "501", "509", "50501")


def operating_title(title: str | None) -> bool:
    """A title naming 机关运行经费 and no 三公: a table of the operating_expenses family."""
    plain = re.sub(r"\s", "", title or "")
    return bool(vocabulary.pattern(OPERATING_EXPENSES, "title").search(plain)) and (
        "三公" not in plain
    )


def title_matches(title: str | None) -> bool:
    if operating_title(title):
        return True
    if not title or not _TITLE.search(title) or any(w in title for w in _EXCLUDED):
        return False
    return "项目支出" not in title or "经济分类" in title


# Amount headers: 合计, 支出总计 (深圳), 小计, 金额, 预算数, a bare 预算 (广州), 人员经费 /
# 公用经费, 人员支出 / 日常公用支出 (烟台)
_AMOUNT_HEADER = re.compile(
    r"合计|总计|小计|金额|预算数|人员(经费|支出)|公用(经费|支出)|^预算$|^机关运行经费(支出)?$"
)


def matches(table: LogicalTable) -> bool:
    header = table.header_text()
    has_codes = any(w in header for w in ("编码", "代码", "科目", "项目")) or "款" in header
    labels = {text for texts in header_labels(table) for text in texts}
    has_amounts = any(w in header for w in ("合计", "金额", "预算数", "人员经费", "公用经费"))
    has_amounts = has_amounts or any(_AMOUNT_HEADER.search(text) for text in labels)
    economic = any(w in header for w in ("经济分类", "经济科目"))  # 部门预算支出经济科目 (广州)
    return (
        title_matches(table.title)
        and has_codes
        and has_amounts
        and (economic or _first_code_is_economic(table) or _names_a_class(table))
    )


def _first_code_is_economic(table: LogicalTable) -> bool:
    """Function-code tables titled 基本支出 exist: their codes start with 2."""
    code = first_code(table)
    return code is not None and code[0] in "35"


def _names_a_class(table: LogicalTable) -> bool:
    """A table printing no code whose rows name a national economic class (工资福利支出) in
    one of their first three cells; function tables name function classes (一般公共服务支出)."""
    if first_code(table) is not None:
        return False
    return any(
        economic_names().get(("", name_key(normalize_text(cell)))) for _, _, row in table.rows()
        for cell in row[:3] if cell
    )  # fmt: skip


# Header words of look-alike tables read elsewhere, or by no family.
_FOREIGN_HEADER = (*_EXCLUDED, "项目支出", "项目名称", "因公出国", "指标")


def matches_header(table: LogicalTable, context: Context) -> bool:
    labels = header_labels(table)
    texts = {text for column in labels for text in column}
    has_codes = has_label(labels, "编码", "代码", "科目") or "款" in texts
    has_amounts = bool(texts & set(_TOTAL_WORDS)) or has_label(labels, *_GROUPS.values())
    economic = has_label(labels, "经济分类") or _first_code_is_economic(table)
    return has_codes and has_amounts and economic and not has_label(labels, *_FOREIGN_HEADER)


@dataclass
class Slot:
    """Where one code sits: a single column, or 类 and 款 columns."""

    code: int | None = None
    class_: int | None = None
    kuan: int | None = None


@dataclass
class Block:
    """The columns of one list of economic codes (two when 人员/公用 are side by side)."""

    dept: Slot = field(default_factory=Slot)
    gov: Slot = field(default_factory=Slot)
    name: int | None = None
    gov_name: int | None = None
    total: list[int] = field(default_factory=list)
    personnel: list[int] | None = None  # None: the table has no such column
    public: list[int] | None = None
    kind: str | None = None  # side-by-side: every row of the block is of this kind
    unit: int | None = None  # a 预算单位 column naming the unit of the rows below it
    unit_code: int | None = None  # a 单位编码 column beside it

    def label_columns(self) -> list[int]:
        slots = (self.dept.code, self.dept.class_, self.dept.kuan, self.gov.code, self.name)
        return [c for c in slots if c is not None]


def blocks_from_header(header: list[Row]) -> list[Block]:
    labels = column_labels(header)
    roles = [_role(texts) for texts in labels]
    side_by_side = []
    for kind, word in _GROUPS.items():
        under = [c for c, texts in enumerate(labels) if any(word in t for t in texts)]
        if any(roles[c] in ("code", "class") for c in under):
            side_by_side.append(_block(under, labels, roles, kind))
    if len(side_by_side) == 2:
        return side_by_side
    return [_block(list(range(len(labels))), labels, roles, None)]


def _role(texts: list[str]) -> str:
    """A column's role from its lowest (most specific) header label."""
    if not texts:
        return "amount"
    last = texts[-1]
    if last == "类":
        return "class"
    if last == "款":
        return "kuan"
    if vocabulary.pattern(NAME, "name_label").search(last):
        return "name"  # 支出项目类别（资金使用单位）: economic names and the units over them
    if vocabulary.pattern(NAME, "unit_code_label").search(last):
        return "unit_code"
    if vocabulary.pattern(NAME, "unit_label").search(last):
        return "unit"
    if "单位" in last or "功能" in last:
        return "other"
    if "编码" in last or "代码" in last:
        return "code"
    if "名称" in last or "科目" in last or last == "项目":  # 项目/科目: "30101 基本工资"
        return "name"
    return "amount"


def _block(cols: list[int], labels: list[list[str]], roles: list[str], kind: str | None) -> Block:
    block = Block(kind=kind)
    amounts: list[int] = []
    for c in cols:
        gov = _is_gov(c, cols, labels, roles)
        slot = block.gov if gov else block.dept
        role = roles[c]
        if role == "class" and slot.class_ is None:
            slot.class_ = c
        elif role == "kuan" and slot.kuan is None:
            slot.kuan = c
        elif role == "code" and slot.code is None and slot.class_ is None:
            slot.code = c
        elif role == "name":
            if gov and block.gov_name is None:
                block.gov_name = c
            elif not gov and block.name is None:
                block.name = c
        elif role == "amount":
            amounts.append(c)
        elif role == "unit" and block.unit is None:
            block.unit = c
        elif role == "unit_code" and block.unit_code is None:
            block.unit_code = c
    if kind is not None:  # side by side: the block's one amount column
        block.total = amounts[:1]
        return block
    # the vocabulary (extract/vocabulary.toml) names the amounts: 人员经费 and 公用经费
    # first, then the total among the columns left
    found = vocabulary.columns(NAME, _only(labels, amounts))
    block.personnel, block.public = found.get("personnel"), found.get("public")
    split = set(block.personnel or []) | set(block.public or [])
    rest = [c for c in amounts if c not in split]
    block.total = vocabulary.columns(NAME, _only(labels, rest)).get("total", [])
    if block.personnel and block.public and any(_is_project(labels[c]) for c in rest):
        # 合计 | 人员经费 | 公用经费 | 专项业务经费 (西安): the 合计 adds project spending to
        # the basic; the row's basic amount is its 人员经费 + 公用经费, as where no 合计 is printed
        block.total = []
    return block


def _is_project(texts: list[str]) -> bool:
    """A column of project spending (项目支出, 专项业务经费支出): no part of 基本支出."""
    return any("项目支出" in t or "专项" in t for t in texts)


def _is_gov(c: int, cols: list[int], labels: list[list[str]], roles: list[str]) -> bool:
    """Whether column c is of the 政府预算支出经济分类: its header says so, or, for a code
    column headed only 科目编码 / 类 / 款, the name column it stands before (after, when it
    is the last) says so (烟台: 类 | 款 | 部门…名称 | 类 | 款 | 政府…名称)."""
    if any("政府" in t for t in labels[c]):
        return True
    if roles[c] not in ("code", "class", "kuan"):
        return False
    names = [n for n in cols if roles[n] == "name"]
    after = [n for n in names if n > c]
    before = [n for n in names if n < c]
    name = after[0] if after else (before[-1] if before else None)
    return name is not None and any("政府" in t for t in labels[name])


def _only(labels: list[list[str]], columns: list[int]) -> list[list[str]]:
    """The header with every column but `columns` blanked (no rule matches a blank)."""
    return [texts if c in columns else [] for c, texts in enumerate(labels)]


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    first = table.parts[0]
    header_rows = split_header(first.rows)
    # the labels, without a 栏次 row (** | ** | 1 | 2 | 3) that numbers the columns under them
    header = [row for row in first.rows[:header_rows] if not is_column_numbers(row)]
    blocks = blocks_from_header(header)
    unit = table.unit or context.default_unit or DEFAULT_UNIT
    body: list[tuple[int, int, Row]] = []
    start = 0  # row_index counts every row of the logical table, as table.rows() does
    for n, part in enumerate(table.parts):
        skip = header_rows if n == 0 else _repeated_header(part.rows)
        body += [(part.page_number, start + i, row) for i, row in enumerate(part.rows) if i >= skip]
        start += len(part.rows)
    amount_cols = [c for b in blocks for c in (*b.total, *(b.personnel or ()), *(b.public or ()))]
    slots = [
        c
        for b in blocks
        for c in (*b.label_columns(), b.gov.class_, b.gov.kuan, b.gov_name, b.unit, b.unit_code)
    ]
    context.note_unknown(
        table,
        vocabulary.unknown(
            NAME,
            column_labels(header),
            (r for *_, r in body),
            [c for c in (*amount_cols, *slots) if c is not None],
        ),
    )
    decimals = max(
        (decimals_of(row[c]) for _, _, row in body for c in amount_cols if c < len(row)),
        default=0,
    )
    # a table that prints amounts somewhere prints its zeros blank (福州: 307 债务利息 blank)
    prints_amounts = any(_is_number(_cell(row, c)) for _, _, row in body for c in amount_cols)
    half_unit = to_yuan(Decimal(5) / 10 ** (decimals + 1), unit) or Decimal(0)
    records: list[Record] = []
    for block in blocks:
        lines = _lines(body, block, unit, context, table, prints_amounts)
        units = _unit_lines(lines, block, half_unit)
        # 深圳 prints no 合计 but one unit's line (深圳市统计局（本级）) over the codes: the
        # unit's total is the table's
        total_unit = len(units) == 1 and not any(line.total for line in lines)
        last: Record | None = None
        owner: _Line | None = None  # the unit the rows below are printed under
        for line in lines:
            code, gov_code, name = line.code, line.gov_code, line.name
            if line.index in units:
                owner = line
                last = {
                    **context.lineage(table, line.page, line.row_index),
                    "amount_unit": unit,
                    "decimals": decimals,
                    "row_kind": "total" if total_unit else "unit",
                    "economic_code": None,
                    "economic_name": "合计" if total_unit else None,
                    "gov_economic_code": None,
                    "gov_economic_name": None,
                    **line.amounts(blank_is_zero=prints_amounts and not total_unit),
                    "kind": None,
                    "unit_code": line.unit_code or None,
                    "unit_name": line.unit_name or None,
                    "_unit_row": line.row_index,
                }
                records.append(last)
                continue
            if not (code or gov_code or line.total):
                if name in _GROUPS.values():
                    continue  # a 人员经费/公用经费 heading or subtotal: the rows carry it
                if line.reader.blank and name and last is not None:
                    field_ = "unit_name" if last["row_kind"] == "unit" else "economic_name"
                    last[field_] = (last[field_] or "") + name  # wrapped
                elif not line.reader.blank:
                    detail = f"page {line.page}: a row with amounts but no economic code: "
                    problem = Problem(
                        "economic_code_parses", line.page, table.title, f"{detail}{line.row}"
                    )
                    context.problems.append(problem)
                continue
            if line.total:
                owner = None  # the 合计 is the department's
            amounts = line.amounts(blank_is_zero=prints_amounts and not line.total)
            last = {
                **context.lineage(table, line.page, line.row_index),
                "amount_unit": unit,
                "decimals": decimals,
                "row_kind": "total" if line.total else "code",
                "economic_code": code or None,
                "economic_name": "合计" if line.total else (name or None),
                "gov_economic_code": gov_code or None,
                "gov_economic_name": None if line.total else (line.gov_name or None),
                **amounts,
                "kind": _kind(block, amounts, code or gov_code, line.total),
                "unit_code": owner.unit_code or None if owner else None,
                "unit_name": owner.unit_name or None if owner else None,
                "_unit_row": owner.row_index if owner else None,
            }
            records.append(last)
    records = _fold(records)
    if operating_title(table.title):
        operating = [
            {**{key: record.get(key) for key in _OPERATING_COLUMNS}, "source": "table"}
            for record in records
            if record["row_kind"] in ("total", "code")
        ]
        return {NAME: [], OPERATING_EXPENSES: operating}
    return {NAME: records}


_FIGURES = ("amount_yuan", "personnel_yuan", "public_yuan")


def _fold(records: list[Record]) -> list[Record]:
    """The department's own line told from its units (coded_rows.fold_department); the rows
    printed under a line that is no unit's are the department's (no unit)."""
    records = fold_department(records, lambda rows: {f: rows[0][f] for f in _FIGURES}, _FIGURES[0])
    units = {r["row_index"] for r in records if r["row_kind"] == "unit"}
    for rec in records:
        if rec["row_kind"] == "code" and rec["_unit_row"] not in units:
            rec["unit_code"] = rec["unit_name"] = None
        if rec["row_kind"] == "total" and rec["_unit_row"] != rec["row_index"]:
            rec["unit_name"] = None  # a 合计 names no unit (its 单位编码 is the department's)
        del rec["_unit_row"]
    return records


@dataclass
class _Line:
    """One body row as a block reads it, before its kind (unit, code, total) is settled."""

    index: int  # position among the block's lines
    page: int
    row_index: int
    row: Row
    reader: _RowReader
    code: str
    gov_code: str
    name: str
    gov_name: str
    total: bool
    unit_name: str  # the 预算单位 cell, else the row's name (what a unit line names)
    unit_code: str
    _amounts: dict[bool, dict[str, Decimal | None]] = field(default_factory=dict)

    def amounts(self, blank_is_zero: bool = False) -> dict[str, Decimal | None]:
        """The row's amounts, read once (a misprint is reported once)."""
        if blank_is_zero not in self._amounts:
            self._amounts[blank_is_zero] = self.reader.amounts(blank_is_zero)
        return self._amounts[blank_is_zero]

    @property
    def coded(self) -> str:
        return self.code or self.gov_code


def _lines(
    body: list[tuple[int, int, Row]],
    block: Block,
    unit: str,
    context: Context,
    table: LogicalTable,
    prints_amounts: bool,
) -> list[_Line]:
    """The block's data rows with their codes: printed, or given by name (杭州 prints names
    only: a name gets the code it was printed with under the row's parent in budgets the
    project has read, extract/reference/economic_names.csv)."""
    names_only = block.name is not None and not _has_code_columns(block)
    named: dict[int, str] = {}  # the last 类 (3) and 款 (5) given by name
    last_class: str | None = None
    lines: list[_Line] = []
    for page, row_index, row in body:
        reader = _RowReader(row, block, unit, context, table, page)
        if reader.not_data:
            continue
        code, gov_code, last_class = _codes(row, block, last_class)
        name, gov_name = _cell(row, block.name), _cell(row, block.gov_name)
        if not code:
            code, name = _split_code(name)  # "30101 基本工资", "3021101-差旅费"
        if not gov_code:
            gov_code, gov_name = _split_code(gov_name)  # "50201-办公经费"
        if code.startswith("5") and not gov_code:
            code, gov_code = "", code
        labels = " ".join(_cell(row, c) for c in block.label_columns())
        total = not code and not gov_code and any(w in labels for w in _TOTAL_WORDS)
        if names_only and not (code or gov_code or total) and name and not reader.blank:
            code = _code_by_name(name, named)
            named = {**named, len(code): code} if code else named
        unit_name, unit_code = _cell(row, block.unit) or name, _cell(row, block.unit_code)
        fields = (code, gov_code, name, gov_name, total, unit_name, unit_code)
        lines.append(_Line(len(lines), page, row_index, row, reader, *fields))
    return lines


def _unit_lines(lines: list[_Line], block: Block, half_unit: Decimal) -> set[int]:
    """The lines that are a unit's (their `index`): in a 预算单位 column, those naming one;
    else the lines printing no code, by column or by name, whose code rows up to the next
    unit's line have their rows without a printed parent (the 类) sum to the line's amount,
    within the rounding of the printed figures; and a line printing no code row right over
    such a unit (the department's own line: fold_department tells what it is). A line that
    is neither (a name the reference does not tell) stays a row without a code."""
    if block.unit is not None:
        return {line.index for line in lines if _cell(line.row, block.unit)}
    candidates = [
        line
        for line in lines
        if not (line.coded or line.total)
        and line.name
        and not line.reader.blank
        and line.name not in _GROUPS.values()
    ]
    units: set[int] = set()
    following: _Line | None = None  # the next unit's line, known first: read from the end
    for line in reversed(candidates):
        end = following.index if following is not None else len(lines)
        under: list[_Line] = []
        for other in lines[line.index + 1 : end]:
            if other.total:
                break
            if other.coded:
                under.append(other)
        if not under:
            # a line over units, printing no code row of its own
            nothing_between = following is not None and not any(
                other.coded or other.total for other in lines[line.index + 1 : end]
            )
            if nothing_between and not _reported(lines, line, following):
                units.add(line.index)
                following = line
            continue
        top = [
            o
            for o in under
            if not any(p.coded != o.coded and o.coded.startswith(p.coded) for p in under)
        ]
        printed = line.amounts()["amount_yuan"]
        summed = sum((o.amounts()["amount_yuan"] or Decimal(0) for o in top), Decimal(0))
        if printed is not None and abs(printed - summed) <= half_unit * len(top):
            units.add(line.index)
            following = line
    return units


def _reported(lines: list[_Line], line: _Line, following: _Line | None) -> bool:
    """Whether a line that is no unit's lies between `line` and the next unit's line."""
    end = following.index if following is not None else len(lines)
    return any(
        not (other.coded or other.total) and other.name and not other.reader.blank
        for other in lines[line.index + 1 : end]
    )


def _has_code_columns(block: Block) -> bool:
    slots = (block.dept, block.gov)
    return any(c is not None for s in slots for c in (s.code, s.class_, s.kuan))


def _code_by_name(name: str, named: dict[int, str]) -> str:
    """The code printed with this name: as a 类, else under the last 类 named, else under
    the last 款; '' where no code or more than one was printed with it there."""
    key = name_key(name)
    for parent in ("", named.get(3), named.get(5)):
        if parent is None:
            continue
        codes = economic_names().get((parent, key), frozenset())
        if len(codes) == 1:
            return next(iter(codes))
    return ""


def _split_code(cell: str) -> tuple[str, str]:
    """(code, name) of a cell printing both: "30101 基本工资", "3021101-差旅费", "50201－办公经费",
    "30201办公费", "[30101]基本工资" (广州); ("", cell) otherwise."""
    return split_code(cell, "35")


def _repeated_header(rows: list[Row]) -> int:
    """Leading rows of a continuation part that repeat the header (or number columns)."""
    count = 0
    for row in rows:
        texts = [normalize_text(c) for c in row if c]
        header_like = is_column_numbers(row) or (
            not any(_is_number(t) for t in texts)
            and any(w in t for t in texts for w in _HEADER_WORDS)
        )
        if not header_like:
            break
        count += 1
    return count


def _is_number(text: str) -> bool:
    try:
        return parse_amount(text) is not None
    except ValueError:
        return False


def _cell(row: Row, c: int | None) -> str:
    return normalize_text(row[c]) if c is not None and c < len(row) else ""


def _digits(row: Row, c: int | None) -> str:
    text = re.sub(r"\s", "", _cell(row, c))
    return text if text.isdigit() else ""


def _codes(row: Row, block: Block, last_class: str | None) -> tuple[str, str, str | None]:
    """The row's 部门 and 政府 codes, and the 类 to carry to the next row."""
    code, last_class = _slot_code(row, block.dept, last_class)
    gov_code, _ = _slot_code(row, block.gov, None)
    return code, gov_code, last_class


def _slot_code(row: Row, slot: Slot, last_class: str | None) -> tuple[str, str | None]:
    if slot.code is not None:
        code = _digits(row, slot.code)
        return (code if _CODE.match(code) else ""), last_class
    if slot.class_ is None and slot.kuan is None:
        return "", last_class
    class_, kuan = _digits(row, slot.class_), _digits(row, slot.kuan)
    if len(kuan) in (5, 7):  # the 款 column printing the whole code
        return (kuan if _CODE.match(kuan) else ""), kuan[:3]
    if not class_ and not kuan:
        return "", last_class
    class_ = class_ or last_class or ""
    # exports from Excel drop the leading zero of a 款 ("302 | 4" for 30204)
    code = class_ + (kuan.zfill(2) if kuan else "")
    return (code if _CODE.match(code) else ""), class_ or None


def _kind(block: Block, amounts: dict[str, Decimal | None], code: str, total: bool) -> str | None:
    if block.kind is not None:
        return block.kind
    if total:
        return None
    personnel, public = amounts["personnel_yuan"], amounts["public_yuan"]
    if personnel and not public:
        return "personnel"
    if public and not personnel:
        return "public"
    return "personnel" if code.startswith(_PERSONNEL) else "public"


class _RowReader:
    """The amounts of one row for one block; blanks are 0 where the column exists."""

    def __init__(
        self, row: Row, block: Block, unit: str, context: Context, table: LogicalTable, page: int
    ) -> None:
        self.row, self.block, self.unit = row, block, unit
        self.context, self.table, self.page = context, table, page
        cols = [*block.total, *(block.personnel or ()), *(block.public or ())]
        cells = [row[c] if c < len(row) else None for c in cols]
        texts = [normalize_text(c) for c in cells if c]
        # a repeated header or a note row: no amount column holds a digit
        self.not_data = bool(texts) and not any(re.search(r"\d", t) for t in texts)
        self.blank = not texts

    def amounts(self, blank_is_zero: bool = False) -> dict[str, Decimal | None]:
        """The row's amounts in yuan. A row printing no figure at all has none (a heading of
        a table without figures) unless `blank_is_zero`: then its blanks are the print's 0."""
        if self.blank and not blank_is_zero:
            return {"amount_yuan": None, "personnel_yuan": None, "public_yuan": None}
        personnel = self._sum(self.block.personnel)
        public = self._sum(self.block.public)
        if self.block.kind is not None:  # side by side: the row's amount is its kind's
            amount = self._sum(self.block.total)
            personnel = amount if self.block.kind == "personnel" else Decimal(0)
            public = amount if self.block.kind == "public" else Decimal(0)
        if self.block.total:
            amount = self._sum(self.block.total)
        else:  # no 合计 column: the row's total is its parts
            amount = (personnel or Decimal(0)) + (public or Decimal(0))
        return {"amount_yuan": amount, "personnel_yuan": personnel, "public_yuan": public}

    def _sum(self, cols: list[int] | None) -> Decimal | None:
        if cols is None:
            return None
        total = Decimal(0)
        for c in cols:
            cell = self.row[c] if c < len(self.row) else None
            try:
                total += parse_amount(cell) or Decimal(0)
            except ValueError as exc:
                self.context.problems.append(
                    Problem(
                        "amount_parses",
                        self.page,
                        self.table.title,
                        f"page {self.page}: {exc} in {self.row}",
                    )
                )
        return to_yuan(total, self.unit)
