"""收支总表: income and expenditure side by side on one row.

Tables: 部门收支总体情况表 / 部门财务收支预算总表 (table_kind 'all_funds') and
财政拨款收支总体情况表 / 财政拨款收支预算总表 ('fiscal_grants').

The left half is 收入 (项目 | 金额, or a merged source group | item | 金额), the right half
支出 (项目 | 合计, then split columns: 一般公共预算, 政府性基金, 国有资本经营预算, 基本支出
(人员经费 / 公用经费), 项目支出). Each half of a row becomes one staged line.

Untitled, the table is known by its header: a 收入 项目 column, an amount, then a 支出 项目
column and an amount. It is fiscal_grants when the header says 财政拨款; else the national
template's order decides: the first such table is all_funds, the next fiscal_grants.

Expenditure lines name a function class, numbered with the national ordinal (六、科学技术
is 206 in the Henan seeds) or numbered 一、二、… over just the classes present (Shanghai).
So the class code comes from the name, matched against the national 类 list (the dbt seed
function_classes.csv), and from the ordinal only where the name is a variant the list does
not know and other lines of the table did match by name. Where the table prints codes in a
column of their own (201 | 一般公共服务支出), the printed 类 code is the class whatever the
name; a printed 款 / 项 code marks a level-2 line under a class, with no class of its own.

Each line has a `line_kind`: item, of_which (其中：…, inside the line above), carryover
(上年结转 / 年终结转结余 and the lines under it), current_total (本年收入合计, 一、本年支出,
当年收入小计)
and total (收入总计 / 支出合计). `line_level` is 1 for 一、 or unnumbered lines, 2 for
(一) / 1. / 1、 lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from extract.families.base import Context, Problem, Record, column_labels, has_label, header_labels
from extract.families.coded_rows import header_and_body
from extract.pdf import Row
from extract.reference import national_classes
from extract.tables import LogicalTable
from extract.values import DEFAULT_UNIT, decimals_of, normalize_text, parse_amount, to_yuan

NAME = "budget_summary"

_SUMMARY_TITLE = re.compile(r"收支.{0,4}(总体情况|总)表")
_NUMERALS = "一二三四五六七八九十"
_ORDINAL = re.compile(
    r"^(?:(?P<cn>[一二三四五六七八九十]+)[、.．]"
    r"|[（(](?P<sub_cn>[一二三四五六七八九十]+)[)）]"
    r"|(?P<arabic>\d+)\s*[、.．)）])\s*"
)
_OF_WHICH = re.compile(r"^其中\s*[:：]?\s*")
_TOTAL = re.compile(r"^(收入|支出)?(总计|合计)[:：]?$|总计")
# 本年收入合计, 一、本年支出; Jiangsu prints 当年收入小计 / 当年支出小计
_CURRENT_TOTAL = re.compile(r"^[本当]年(收入|支出)?(合计|小计)?[:：]?$")
_CARRYOVER = re.compile(r"^(上年|年终|部门)?结[转余]")
_FUNCTION_CODE = re.compile(r"^2\d{2}(\d{2}){0,2}$")
# 类 names the national list no longer prints, and stems that differ between provinces
_CLASS_ALIASES = {"医疗卫生": "210", "计划生育": "210", "文化体育": "207", "国土海洋": "220"}
# lines by economic kind (seed 001) or by budget (一、一般公共预算支出), not by class
_NOT_A_CLASS = ("基本支出", "项目支出", "人员经费", "公用经费", "一般公共预算", "政府性基金")
_SPLIT_COLUMNS = (
    ("general_public_budget", ("一般公共预算",)),
    ("government_fund", ("政府性基金",)),
    ("state_capital", ("国有资本",)),
    ("basic", ("基本支出", "人员经费", "公用经费")),
    ("project", ("项目支出",)),
)
AMOUNT_FIELDS = ("amount", *(key for key, _ in _SPLIT_COLUMNS))
_KINDS = ("all_funds", "fiscal_grants")  # the national template's order
_MONEY = ("金额", "预算数", "合计", "预算")
_FOREIGN_HEADER = ("三公", "指标", "项目名称")


def table_kind(title: str | None) -> str | None:
    plain = re.sub(r"\s", "", title or "")
    if not _SUMMARY_TITLE.search(plain):
        return None
    return "fiscal_grants" if "财政拨款" in plain else "all_funds"


def matches(table: LogicalTable) -> bool:
    """A 收支总表 title over a 项目 header; one printed blank may head only 项目 | 金额."""
    header = re.sub(r"\s", "", table.header_text())
    money = any(word in header for word in ("收入", "金额", "预算数", "合计"))
    return table_kind(table.title) is not None and "项目" in header and money


def matches_header(table: LogicalTable, context: Context) -> bool:
    return header_kind(table, context) is not None


def header_kind(table: LogicalTable, context: Context) -> str | None:
    """The kind of an untitled table whose header has 收入 and 支出 halves, or None."""
    labels = header_labels(table)
    if not _has_halves(labels) or has_label(labels, *_FOREIGN_HEADER):
        return None
    if has_label(labels, "财政拨款"):
        return None if "fiscal_grants" in context.scopes.get(NAME, []) else "fiscal_grants"
    return context.next_scope(NAME, _KINDS)


def _has_halves(labels: list[list[str]]) -> bool:
    """项目 | 金额 under 收入, then 项目 | 金额 (or 合计) under 支出."""

    def items(side: str) -> list[int]:
        return [
            c
            for c, texts in enumerate(labels)
            if any(side in t for t in texts) and any("项目" in t or "科目" in t for t in texts)
        ]

    def money(c: int) -> bool:
        return any(w in t for t in labels[c] for w in _MONEY)

    income, spending = items("收入"), items("支出")
    if not income or not spending or income[0] >= spending[0]:
        return False
    between = range(income[0] + 1, spending[0])
    after = range(spending[0] + 1, len(labels))
    return any(money(c) for c in between) and any(money(c) for c in after)


def _stem(name: str) -> str:
    return re.sub(r"支出|事务|的|等$", "", name)


def class_by_name(name: str) -> str | None:
    """The 类 code whose national name this printed name is a variant of, if any."""
    stem = _stem(name)
    if not stem or any(word in name for word in _NOT_A_CLASS):
        return None
    for prefix, code in _CLASS_ALIASES.items():
        if stem.startswith(prefix):
            return code
    for code, national in national_classes().items():
        other = _stem(national)
        if stem == other or (min(len(stem), len(other)) >= 4 and stem[:4] == other[:4]):
            return code
    return None


def _numeral(text: str) -> int:
    """一 .. 九十九 as an int (ordinals go up to 三十四)."""
    digits = [_NUMERALS.index(ch) + 1 for ch in text]
    if len(digits) == 1:
        return digits[0]
    if digits[0] == 10:  # 十一 .. 十九
        return 10 + digits[1]
    return digits[0] * 10 + (digits[2] if len(digits) == 3 else 0)


def split_ordinal(label: str) -> tuple[str | None, int, str]:
    """(ordinal as printed, level, name): '六、科学技术' -> ('六', 1, '科学技术')."""
    match = _ORDINAL.match(label)
    if not match:
        return None, 1, label
    ordinal = match.group("cn") or match.group("sub_cn") or match.group("arabic")
    level = 1 if match.group("cn") else 2
    return ordinal, level, label[match.end() :].strip()


def _line_kind(name: str) -> str:
    plain = re.sub(r"\s", "", name)
    if _OF_WHICH.match(plain):
        return "of_which"
    if _CURRENT_TOTAL.match(plain) or (plain.startswith(("本年", "当年")) and "合计" in plain):
        return "current_total"
    if _TOTAL.search(plain):
        return "total"
    if _CARRYOVER.match(plain):
        return "carryover"
    return "item"


class _Layout:
    """Which columns hold each side's labels and amounts.

    The expenditure half starts at the first column headed 支出, else at the second 项目
    column. Some provinces print the class code in a column of its own before the name
    (201 | 一般公共服务支出 | amount): headed 编码 / 代码 / 类, or holding only 类 codes.
    """

    def __init__(self, header: list[Row], body: list[Row]) -> None:
        labels = [[re.sub(r"\s", "", t) for t in texts] for texts in column_labels(header)]
        width = len(labels)
        spending = [c for c in range(width) if any("支出" in t for t in labels[c])]
        items = [c for c in range(width) if any(t in ("项目", "科目") for t in labels[c])]
        start = spending[0] if spending else (items[1] if len(items) > 1 else width // 2)
        self.code: int | None = None
        if _is_code_column(labels, body, start):
            self.code = start
        elif start > 0 and _is_code_column(labels, [], start - 1):  # by its header only
            self.code = start = start - 1
        self.income_amount = start - 1
        self.income_labels = list(range(0, self.income_amount))
        self.expenditure_label = start + (self.code is not None)
        first_amount = self.expenditure_label + 1
        self.amounts: dict[str, list[int]] = {"amount": [first_amount]}
        for key, words in _SPLIT_COLUMNS:
            under = [
                c
                for c in range(first_amount + 1, width)
                if any(w in t for t in labels[c] for w in words)
                and not any(t.startswith("其中") for t in labels[c])
            ]
            subtotal = [c for c in under if "小计" in labels[c]]
            if under:
                self.amounts[key] = subtotal[:1] or under


def _is_code_column(labels: list[list[str]], body: list[Row], column: int) -> bool:
    """A column of function codes: headed 编码 / 代码 / 类, or printing nothing but codes in
    `body` (pass no body for a column that may hold amounts: integers look like codes)."""
    if column >= len(labels):
        return False
    if any("编码" in t or "代码" in t or t == "类" for t in labels[column]):
        return True
    cells = [normalize_text(_cell(row, column)) for row in body]
    codes = [text for text in cells if text]
    return bool(codes) and all(_FUNCTION_CODE.match(text) for text in codes)


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    kind = table_kind(table.title) or header_kind(table, context)
    assert kind is not None
    context.note_scope(NAME, kind)
    header, body = header_and_body(table)
    layout = _Layout(header, [row for _, _, row in body])
    unit = table.unit or context.default_unit or DEFAULT_UNIT
    amount_columns = [layout.income_amount, *(c for cs in layout.amounts.values() for c in cs)]
    decimals = max(
        (decimals_of(_cell(row, c)) for _, _, row in body for c in amount_columns), default=0
    )

    def amount(row: Row, column: int, page: int) -> Decimal | None:
        cell = _cell(row, column)
        try:
            value = parse_amount(cell)
        except ValueError as exc:
            if not any(ch.isdigit() for ch in cell or ""):
                return None  # words in an amount column: a note or a repeated header
            context.problems.append(
                Problem("amount_parses", page, table.title, f"page {page}: {exc} in {row}")
            )
            return None
        return to_yuan(value, unit) if value is not None else None

    income: list[Record] = []
    expenditure: list[Record] = []
    codes: list[str | None] = []  # the code printed on each expenditure line, if any
    for page, row_index, row in body:
        if _is_note(row):
            continue
        base = {
            **context.lineage(table, page, row_index),
            "amount_unit": unit,
            "decimals": decimals,
            "table_kind": kind,
        }
        labels = _distinct(_cell(row, c) for c in layout.income_labels)
        value = amount(row, layout.income_amount, page)
        if labels or value is not None:
            income.append(
                base
                | _line("income", labels)
                | {f"{key}_yuan": None for key in AMOUNT_FIELDS}
                | {"amount_yuan": value}
            )
        label = _distinct([_cell(row, layout.expenditure_label)])
        values = {
            f"{key}_yuan": _sum(amount(row, c, page) for c in columns)
            for key, columns in layout.amounts.items()
        }
        spanned = _after_span(row, layout.expenditure_label)
        if values["amount_yuan"] is None and spanned is not None:
            values["amount_yuan"] = amount(row, spanned, page)
        if label or any(v is not None for v in values.values()):
            expenditure.append(
                base
                | _line("expenditure", label)
                | {f"{key}_yuan": None for key in AMOUNT_FIELDS}
                | values
            )
            codes.append(_printed_code(row, layout.code))
    _sections(income)
    _sections(expenditure)
    _assign_classes(expenditure, codes)
    return {NAME: income + expenditure}


def _after_span(row: Row, label_column: int) -> int | None:
    """Where a label cell is merged over the amount column beside it (Jiangsu's 支出合计
    spans 功能分类 and 支出用途, its amount printed in the last column), the first column
    after the merged span; None when the label is not merged over its amount column."""
    label = _cell(row, label_column)
    if not label or _cell(row, label_column + 1) != label:
        return None
    return next((c for c in range(label_column + 1, len(row)) if _cell(row, c) != label), None)


def _is_note(row: Row) -> bool:
    """A note merged across the table (注：本部门无政府性基金收支): one text in 3+ cells."""
    texts = [normalize_text(cell) for cell in row if normalize_text(cell)]
    return len(texts) >= 3 and len(set(texts)) == 1


def _cell(row: Row, column: int) -> str | None:
    return row[column] if 0 <= column < len(row) else None


def _distinct(cells: Iterable[str | None]) -> list[str]:
    texts: list[str] = []
    for cell in cells:
        text = normalize_text(cell)
        if text and text not in texts:
            texts.append(text)
    return texts


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, Decimal(0)) if present else None


def _line(side: str, labels: list[str]) -> Record:
    label = labels[-1] if labels else ""
    ordinal, level, name = split_ordinal(label)
    return {
        "side": side,
        "line_kind": _line_kind(name) if name else "item",
        "line_level": level,
        "ordinal": ordinal,
        "line_name": label or None,
        "group_name": labels[0] if len(labels) > 1 else None,
        "class_code": None,
    }


def _sections(lines: list[Record]) -> None:
    """Level-2 lines under a carryover line are carryover too (二、上年结转 / (一) 一般公共预算);
    so is every item line under a carryover line printed after the current-year total, even
    numbered 一、 again: 本年收入合计 | 上年结转结余 | 一、一般公共预算拨款 | 二、政府性基金预算
    拨款 | 收入总计 (北京's 财政拨款收支总表) breaks the carryover down by fund, no income of
    the year."""
    section = None
    closed = False  # the current-year total is printed above: the year's items are over
    for line in lines:
        kind = line["line_kind"]
        if section == "carryover" and kind == "item" and (line["line_level"] != 1 or closed):
            line["line_kind"] = "carryover"
        elif line["line_level"] == 1 and kind != "of_which":
            section = kind
        closed = closed or kind == "current_total"


def _printed_code(row: Row, column: int | None) -> str | None:
    text = re.sub(r"\s", "", normalize_text(_cell(row, column))) if column is not None else ""
    return text if _FUNCTION_CODE.match(text) else None


def _code_in_label(line: Record) -> str | None:
    """A function code printed in the label's own cell: '201一般公共服务支出'."""
    match = re.match(r"^(2\d{2}(?:\d{2}){0,2})\s*\D", line["line_name"] or "")
    if not match:
        return None
    return match.group(1)


def _national_ordinals(items: list[Record]) -> bool:
    """Whether the lines matched by name mostly carry the national ordinal (六、→ 206): only
    then may an ordinal stand for a name the class list does not know."""
    agree = disagree = 0
    for line in items:
        ordinal, code = line["ordinal"], line["class_code"]
        if code and ordinal and not ordinal.isdigit():
            if str(200 + _numeral(ordinal)) == code:
                agree += 1
            else:
                disagree += 1
    return agree > disagree


def _assign_classes(lines: list[Record], codes: list[str | None]) -> None:
    """A printed 类 code is the class; a printed 款 / 项 code is a line under one (level 2,
    no class). Lines printed without a code get theirs from the name, else the ordinal."""
    items: list[Record] = []
    for line, printed in zip(lines, codes, strict=True):
        code = printed or _code_in_label(line)
        if code is not None:
            line["class_code"] = code if len(code) == 3 else None
            line["line_level"] = 1 if len(code) == 3 else 2
        elif line["line_kind"] == "item" and line["line_name"]:
            items.append(line)
    for line in items:
        _, _, name = split_ordinal(line["line_name"])
        line["class_code"] = class_by_name(name)
    if not _national_ordinals(items):
        return  # not numbered by the national list (Shanghai numbers the classes present)
    for line in items:
        ordinal = line["ordinal"]
        if line["class_code"] is None and ordinal and not ordinal.isdigit():
            _, _, name = split_ordinal(line["line_name"])
            code = str(200 + _numeral(ordinal))
            if code in national_classes() and not any(w in name for w in _NOT_A_CLASS):
                line["class_code"] = code
