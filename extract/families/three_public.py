"""“三公”经费: 一般公共预算“三公”经费支出情况表, “三公”经费和机关运行经费预算表.

Two orientations:
- categories as columns (doc_a, seed 003, Shanghai): a two- or three-row header where
  公务用车购置及运行费 spans 小计 / 购置费 / 运行费, and one data row;
- categories as rows (seed 001): 项目 | “三公”经费预算数, with 共计, 1、因公出国（境）费, …,
  其中：(1) 公务用车运行维护费.
The Shanghai table also carries 机关运行经费, which is not a 三公 category: it is staged as the
operating_expenses family's total (source three_public).
Jiangsu and 西安 add 会议费 and 培训费 beside “三公”经费 (合计 | “三公”经费: 小计, …| 会议费 |
培训费): there the 小计 under “三公”经费 is the 三公 total; 会议费 and 培训费 are staged as
meeting_training totals, and the 合计 over all three as its `combined` row.
A table printing the budget beside other years (上年 | 当年 | 增减变化情况 column groups of
西安, 2025年预算数 | 2026年预算数 of 烟台, a row per 年度 with 增减变化金额 of 深圳) is read in
the budget's own: the latest year's group or row, never 上年 or 增减.
Blank cells print 0 (the golden file reads them as 0). Amounts use the table's own unit
line: Shanghai prints this table in 万元 while the rest of the document is in 元.

Untitled, the table is known by its labels: 因公出国, 公务接待 and 公务用车 each name a cell
of its first rows (the header, or the label column of the rows orientation), and some cell
prints an amount; performance-target grids (指标) are not this table.
"""

from __future__ import annotations

import re
from decimal import Decimal

from extract import vocabulary
from extract.families.base import Context, Problem, Record, column_labels, has_label
from extract.pdf import Row
from extract.tables import LogicalTable, split_header
from extract.values import (
    DEFAULT_UNIT,
    UNIT_PATTERN,
    decimals_of,
    find_unit,
    normalize_text,
    parse_amount,
    to_yuan,
)

NAME = "three_public"

CATEGORIES = (
    "total",
    "overseas_travel",
    "reception",
    "vehicle_total",
    "vehicle_purchase",
    "vehicle_operation",
)
_QUOTES = re.compile(r"[“”\"'‘’「」]")
# what extract/vocabulary.toml calls the labels that are no category themselves
_SUBTOTAL = "subtotal"  # 小计: the category of the label above it
_STOP = "stop"  # 上年, 增减: not a 三公 category, whatever the label above says
# 机关运行经费 beside the 三公 (the vocabulary's operating): staged as the total of the
# operating_expenses family (extract/schema.py OPERATING_EXPENSES)
OPERATING = "operating"
OPERATING_EXPENSES = "operating_expenses"
_COMBINED = "combined"  # a 合计 over 三公, 会议费 and 培训费
# 会议费 and 培训费 beside the 三公 (the vocabulary's meeting and training): staged as rows
# of the meeting_training family (extract/schema.py MEETING_TRAINING)
MEETING_TRAINING = "meeting_training"
OTHER_CATEGORIES = ("meeting", "training")
_YEAR = re.compile(r"(20\d{2})\s*年")
_NUMBERING = re.compile(r"^(其中\s*[:：]?\s*)?([（(]?\d+[)）、.．]\s*)?")  # 其中：(1)
_HEADER_UNIT = re.compile(rf"[（(]\s*({UNIT_PATTERN})\s*[）)]")


def _plain(text: str | None) -> str:
    return _QUOTES.sub("", normalize_text(text))


def matches(table: LogicalTable) -> bool:
    title = _plain(table.title)
    if "三公" not in title or "经费" not in title or "绩效" in title:
        return False
    first_rows = " ".join(_plain(c) for _, i, row in table.rows() if i < 10 for c in row if c)
    return any(word in first_rows for word in ("出国", "接待", "公务用车"))


_CATEGORY_WORDS = ("因公出国", "公务接待", "公务用车")
_FIRST_ROWS = 10


def matches_header(table: LogicalTable, context: Context) -> bool:
    rows = [row for _, index, row in table.rows() if index < _FIRST_ROWS]
    labels = [_plain(cell) for row in rows for cell in row if cell]
    short = [text for text in labels if len(text) <= 30 and not text.startswith("注")]
    named = all(any(word in text for text in short) for word in _CATEGORY_WORDS)
    amounts = any(_is_number(cell) for row in rows for cell in row)
    return named and amounts and not has_label([labels], "指标", "绩效")


def label_category(text: str | None) -> str | None:
    """The category a header or row label names, _SUBTOTAL, _STOP, or None."""
    label = _plain(text)
    if not label or label.startswith("注") or len(label) > 30:
        return None  # notes mention every category in one sentence
    return vocabulary.meaning(vocabulary.labels(NAME, "labels", "category"), label)


def column_category(labels: list[str]) -> tuple[str | None, str]:
    """Category of a column from its header labels (top-down), and its printed name.

    The deepest label decides; 小计 takes the category of the label above it, and a
    lone 小计 is the table's total.
    """
    if any(label_category(label) == _STOP for label in labels):
        return None, labels[-1] if labels else ""  # a 上年 or 增减 group
    operating = [label for label in labels if label_category(label) == OPERATING]
    if operating:
        return OPERATING, operating[0]  # 机关运行经费预算数, whatever is printed under it
    for depth in range(len(labels) - 1, -1, -1):
        category = label_category(labels[depth])
        if category == _STOP:
            return None, labels[depth]
        if category == _SUBTOTAL:
            continue
        if category is not None:
            return category, labels[depth]
    if labels and label_category(labels[-1]) == _SUBTOTAL:
        return "total", labels[-1]
    return None, labels[-1] if labels else ""


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    first = table.parts[0]
    header_rows = split_header(first.rows)
    labels = column_labels(first.rows[:header_rows])
    unit = _unit(table, labels) or context.default_unit or DEFAULT_UNIT
    body: list[tuple[int, int, Row]] = [
        (page, index, row)
        for page, index, row in table.rows()
        if index >= header_rows and any(c for c in row)
    ]
    columns = {c: column_category(texts) for c, texts in enumerate(labels)}
    _latest_year(columns, labels)
    _scope_total(columns, labels)
    categorised = {cat for cat, _ in columns.values() if cat in CATEGORIES}
    if len(categorised) >= 2:
        records = _by_columns(table, context, unit, columns, labels, body)
        known = [c for c, texts in enumerate(labels) if any(label_category(t) for t in texts)]
        context.note_unknown(table, vocabulary.unknown(NAME, labels, (r for *_, r in body), known))
    else:
        records = _by_rows(table, context, unit, labels, body)
    # a 三公 record says its source (table); an operating_expenses one too (three_public);
    # a meeting_training one (会议费, 培训费, their combined 合计) none
    return {
        NAME: [r for r in records if r.get("source") == "table"],
        MEETING_TRAINING: [r for r in records if "source" not in r],
        OPERATING_EXPENSES: [r for r in records if r.get("source") == "three_public"],
    }


def _latest_year(columns: dict[int, tuple[str | None, str]], labels: list[list[str]]) -> None:
    """Column groups headed by years (2025年预算数 | 2026年预算数): only the latest year's
    columns are the budget's."""
    years = {c: [int(y) for t in texts for y in _YEAR.findall(t)] for c, texts in enumerate(labels)}
    latest = max((max(ys) for ys in years.values() if ys), default=None)
    for c, ys in years.items():
        if ys and latest is not None and max(ys) < latest:
            columns[c] = (None, columns[c][1])


def _scope_total(columns: dict[int, tuple[str | None, str]], labels: list[list[str]]) -> None:
    """Where a 小计 stands under “三公”经费, it is the 三公 total; a 合计 beside it also sums
    other spending (会议费, 培训费, as Jiangsu prints them) and is no 三公 category."""
    scoped = [
        c
        for c, texts in enumerate(labels)
        if texts
        and label_category(texts[-1]) == _SUBTOTAL
        and any("三公" in _plain(text) for text in texts)
        # the 小计 of 三公 itself, not of a category under it (公务用车…: 小计)
        and all(
            label_category(text) in (None, _SUBTOTAL) or "三公" in _plain(text) for text in texts
        )
    ]
    if not scoped:
        return
    others = {cat for cat, _ in columns.values()} & set(OTHER_CATEGORIES)
    for c, (category, name) in columns.items():
        if category == "total" and c != scoped[0]:
            columns[c] = (_COMBINED if others else None, name)
    columns[scoped[0]] = ("total", _plain(labels[scoped[0]][0]))


def _unit(table: LogicalTable, labels: list[list[str]]) -> str | None:
    if table.unit:
        return table.unit
    for texts in labels:  # a unit printed in a header cell: 预算数（万元）
        for text in texts:
            match = _HEADER_UNIT.search(text)
            if match:
                return match.group(1)
    return find_unit(" ".join(t for texts in labels for t in texts))


def _by_columns(
    table: LogicalTable,
    context: Context,
    unit: str,
    columns: dict[int, tuple[str | None, str]],
    labels: list[list[str]],
    body: list[tuple[int, int, Row]],
) -> list[Record]:
    """Categories across the header, one data row (the 合计 row if units are listed; the
    latest year's where rows are years: 2025年 | 2026年 | 增减变化金额, 深圳)."""
    data = [item for item in body if any(_is_number(cell) for cell in item[2])]
    named = [c for c, (cat, _) in columns.items() if cat is None]
    data = _this_years(data, named)
    if not data:
        return []
    totals = [
        item
        for item in data
        if any(label_category(item[2][c]) == "total" for c in named if c < len(item[2]))
    ]
    page, row_index, row = (totals or data)[0]
    decimals = max((decimals_of(cell) for cell in row), default=0)
    records: list[Record] = []
    for category, parts in _category_columns(columns, labels).items():
        parts = [c for c in parts if c < len(row)]
        if not parts:
            continue
        amounts = [_amount(row[c], unit, context, table, page) for c in parts]
        amount = None if None in amounts else sum((a for a in amounts if a is not None), Decimal(0))
        name = columns[parts[0]][1]
        records.append(
            _record(table, context, page, row_index, unit, category, name, amount, decimals)
        )
    return records


_CHANGE_ROW = ("增减", "变化", "增长", "比较", "上年")


def _this_years(data: list[tuple[int, int, Row]], named: list[int]) -> list[tuple[int, int, Row]]:
    """The data rows of the budget year: where the label cells name years (2025年 |
    2026年), the latest's; never a row of the change (增减变化金额) or of last year."""

    def label(row: Row) -> str:
        return " ".join(_plain(row[c]) for c in named if c < len(row) and row[c])

    data = [item for item in data if not any(w in label(item[2]) for w in _CHANGE_ROW)]
    years = [[int(y) for y in _YEAR.findall(label(row))] for _, _, row in data]
    latest = max((max(ys) for ys in years if ys), default=None)
    if latest is None:
        return data
    return [item for item, ys in zip(data, years, strict=True) if latest in ys]


def _category_columns(
    columns: dict[int, tuple[str | None, str]], labels: list[list[str]]
) -> dict[str, list[int]]:
    """The columns read for each category: its first, or all of them where the category is
    printed over parts its own labels do not name (一般公共预算 | 政府性基金预算 | 国有资本经营
    预算 under each category, 深圳): their sum."""
    by_category: dict[str, list[int]] = {}
    for c, (category, _) in columns.items():
        if category is not None:
            by_category.setdefault(category, []).append(c)
    return {
        category: cs if len(cs) > 1 and all(_is_part(labels[c][-1]) for c in cs) else cs[:1]
        for category, cs in by_category.items()
    }


def _is_part(label: str) -> bool:
    """A sub-column of a category that is a part of it (a fund), not another year's or a
    change's figure, nor a category of its own."""
    return label_category(label) is None and not re.search(
        r"20\d{2}|上年|执行|增减|增长|比较|%", label
    )


def _by_rows(
    table: LogicalTable,
    context: Context,
    unit: str,
    labels: list[list[str]],
    body: list[tuple[int, int, Row]],
) -> list[Record]:
    """Categories down a label column, amounts in the budget column."""
    label_column = next(
        (
            c
            for c in range(len(labels))
            if any(label_category(row[c]) not in (None, _STOP) for _, _, row in body)
        ),
        None,
    )
    if label_column is None:
        return []
    amount_column = _amount_column(labels, body, label_column)
    if amount_column is None:
        return []
    records: list[Record] = []
    seen: set[str] = set()
    decimals = max((decimals_of(row[amount_column]) for _, _, row in body), default=0)
    for page, row_index, row in body:
        category = label_category(row[label_column])
        if category == _SUBTOTAL:
            category = "total"
        if category in (None, _STOP) or category in seen:
            continue
        assert category is not None
        seen.add(category)
        name = _NUMBERING.sub("", _plain(row[label_column]))
        amount = _amount(row[amount_column], unit, context, table, page)
        records.append(
            _record(table, context, page, row_index, unit, category, name, amount, decimals)
        )
    return records


def _amount_column(
    labels: list[list[str]], body: list[tuple[int, int, Row]], label_column: int
) -> int | None:
    """The budget column: numbers in the body; among several, the one headed 预算数 of
    the latest year, never a 上年 / 执行数 / 增减 column."""
    numeric = [
        c
        for c in range(len(labels))
        if c != label_column and any(_is_number(row[c]) for _, _, row in body if c < len(row))
    ]
    if len(numeric) <= 1:
        return numeric[0] if numeric else None

    def score(c: int) -> tuple[int, int, int]:
        text = " ".join(labels[c])
        excluded = any(word in text for word in ("上年", "执行", "增减", "增长", "比较", "%"))
        years = [int(y) for y in re.findall(r"(20\d{2})", text)]
        return (0 if excluded else 1, 1 if "预算" in text else 0, max(years, default=0))

    return max(numeric, key=lambda c: (score(c), -c))


def _is_number(cell: str | None) -> bool:
    try:
        return parse_amount(cell) is not None
    except ValueError:
        return False


def _amount(
    cell: str | None, unit: str, context: Context, table: LogicalTable, page: int
) -> Decimal | None:
    try:
        value = parse_amount(cell)
    except ValueError as exc:
        context.problems.append(Problem("amount_parses", page, table.title, f"page {page}: {exc}"))
        return None
    return to_yuan(value if value is not None else Decimal(0), unit)  # blank prints 0


def _record(
    table: LogicalTable,
    context: Context,
    page: int,
    row_index: int,
    unit: str,
    category: str,
    name: str,
    amount: Decimal | None,
    decimals: int = 0,
) -> Record:
    base = {**context.lineage(table, page, row_index), "amount_unit": unit}
    if category == OPERATING:  # 机关运行经费: the operating_expenses family's total
        return {
            **base,
            "decimals": decimals,
            "source": "three_public",
            "row_kind": "total",
            "economic_code": None,
            "economic_name": name or None,
            "amount_yuan": amount,
        }
    if category not in CATEGORIES:  # 会议费, 培训费, or the 合计 over them and the 三公
        combined = category == _COMBINED
        return {  # a meeting_training row: the category's total, or the combined 合计
            **base,
            "decimals": decimals,
            "row_kind": _COMBINED if combined else "total",
            "category": None if combined else category,
            "name": name or None,
            "amount_yuan": amount,
        }
    return {
        **base,
        "source": "table",
        "category": category,
        "category_name": name or None,
        "amount_yuan": amount,
    }
