"""Rows of the purchase tables, 政府采购预算表 (procurement) and 政府购买服务预算表
(service_purchase): what the two families share. Not a family itself.

Their amounts are a total (合计, 总计, 金额, 预算金额) and, in some prints, the same money
split by fund source (一般公共预算拨款, 政府性基金, 财政专户, 事业收入, 单位资金, 上年结转…;
under 财政拨款 with its 小计 in others). Which column is the total and which source each
other column is: the vocabulary's `purchase_rows` section. Each printed amount cell becomes
one staged row (long format, as the 收入总表's: `fund_source` names the source, `total`
the total column; `source_name` is the header as printed), so a source a province adds
needs no schema change. A 小计 of a group that also prints its parts (财政拨款 > 小计 beside
财政拨款 > 一般公共预算) is not staged: its parts are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol, TypeVar

from extract import vocabulary
from extract.families.base import Context, Problem, Record, column_labels, printed_empty
from extract.families.coded_rows import header_and_body
from extract.pdf import Row
from extract.tables import LogicalTable
from extract.values import (
    DEFAULT_UNIT,
    UNIT_PATTERN,
    decimals_of,
    normalize_text,
    parse_amount,
    to_yuan,
)

NAME = "purchase_rows"  # its section of extract/vocabulary.toml
TOTAL = "total"
TOTAL_LABELS = ("合计", "总计")
_GENERIC = ("小计", "合计", "金额", "预算金额", "预算数", "资金来源", "本年预算")
_HEADER_UNIT = re.compile(rf"[（(]\s*({UNIT_PATTERN})\s*[）)]")


def plain(text: str | None) -> str:
    """A cell's text without whitespace (labels are compared so)."""
    return re.sub(r"\s", "", normalize_text(text))


def _source(label: str) -> str | None:
    return vocabulary.meaning(vocabulary.labels(NAME, "sources", "source"), label)


def source_of(labels: list[str]) -> tuple[str | None, str]:
    """(fund source, printed name) of an amount column from its header labels, top-down;
    the source is None when the vocabulary names none. The deepest label that is not a
    generic heading (小计, 金额) names it; a 结转 / 结余 group above makes it a carryover."""
    texts = [plain(t) for t in labels if plain(t)]
    named = [t for t in texts if t not in _GENERIC]
    printed = "/".join(named) or (texts[-1] if texts else "")
    if not named:
        return None, printed
    if any(vocabulary.pattern(NAME, "carryover_groups").search(g) for g in named[:-1]):
        return "carryover", printed
    return _source(named[-1]), printed


@dataclass
class AmountColumns:
    """Where a purchase table prints its money: the total, and each fund source."""

    total: int | None = None
    # column -> (fund source, printed name); the total column is ('total', its label)
    sources: dict[int, tuple[str, str]] = field(default_factory=dict)
    # amount columns read, in print order (the total and the staged sources)
    read: list[int] = field(default_factory=list)
    # every column the vocabulary names, staged or not (a 小计 of printed parts)
    named: set[int] = field(default_factory=set)
    unit: str | None = None  # printed in a header label: 预算金额（万元）

    @classmethod
    def from_labels(cls, labels: list[list[str]], taken: set[int]) -> AmountColumns:
        """`taken`: the label columns (names, codes, quantities) the family placed."""
        found = cls()
        for texts in labels:
            for text in texts:
                match = _HEADER_UNIT.search(text)
                found.unit = match.group(1) if match else found.unit
        stripped = [[_HEADER_UNIT.sub("", t) for t in texts] for texts in labels]
        free = [c for c in range(len(labels)) if c not in taken and labels[c]]
        candidates = [texts if c in free else [] for c, texts in enumerate(stripped)]
        totals = vocabulary.columns(NAME, candidates)
        found.total = totals[TOTAL][0] if TOTAL in totals else None
        for c in free:
            if c == found.total:
                found.sources[c] = (TOTAL, plain(stripped[c][-1]))
                continue
            key, printed = source_of(stripped[c])
            if key is None:
                continue
            found.named.add(c)
            if not _subtotal_of_parts(stripped, c):
                found.sources[c] = (key, printed)
        _distinct_names(found.sources)
        found.read = sorted(found.sources)
        found.named |= set(found.sources)
        return found


def _subtotal_of_parts(labels: list[list[str]], column: int) -> bool:
    """A 小计 column whose group also prints its parts (财政拨款 over 小计 / 一般公共预算 /
    政府性基金): the parts are staged, the 小计 would count their money twice."""
    texts = [plain(t) for t in labels[column]]
    if len(texts) < 2 or texts[-1] != "小计":
        return False
    group = texts[-2]
    return any(
        group in [plain(t) for t in other] and plain(other[-1]) not in ("小计", group)
        for c, other in enumerate(labels)
        if c != column and other
    )


def _distinct_names(sources: dict[int, tuple[str, str]]) -> None:
    """Two columns printed with the same header path keep apart by their position."""
    seen: dict[str, int] = {}
    for c, (key, name) in sources.items():
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            sources[c] = (key, f"{name} ({seen[name]})")


class PurchaseColumns(Protocol):
    """What a purchase family's columns tell: its label and its amount columns."""

    labels: list[int]
    amounts: AmountColumns


@dataclass
class Body:
    """A purchase table's rows, with what reading their amounts needs."""

    rows: list[tuple[int, int, Row]]  # (page, row index, row)
    unit: str
    decimals: int
    report: Reporter


C = TypeVar("C", bound=PurchaseColumns)


def open_table(
    table: LogicalTable, context: Context, columns_of: Callable[[list[Row]], C]
) -> tuple[C, Body] | None:
    """The columns and body of a purchase table, or None when there is nothing to read: a
    table printed empty (recorded so), or no amount column the vocabulary knows (surveyed
    as unknown columns)."""
    if printed_empty(table):
        context.note_empty(table)
        return None
    header, body = header_and_body(table)
    columns = columns_of(header)
    labels = column_labels(header)
    known = set(columns.labels) | columns.amounts.named
    context.note_unknown(
        table, vocabulary.unknown("purchase_rows", labels, (r for *_, r in body), known)
    )
    if columns.amounts.total is None and not columns.amounts.sources:
        return None
    unit = table_unit(table, columns.amounts, context)
    decimals = printed_decimals(body, columns.amounts)
    return columns, Body(body, unit, decimals, reporter(context, table))


def table_unit(table: LogicalTable, columns: AmountColumns, context: Context) -> str:
    return table.unit or columns.unit or context.default_unit or DEFAULT_UNIT


def printed_decimals(body: list[tuple[int, int, Row]], columns: AmountColumns) -> int:
    return max(
        (decimals_of(row[c]) for _, _, row in body for c in columns.read if c < len(row)),
        default=0,
    )


Reporter = Callable[[int, str], None]


def reporter(context: Context, table: LogicalTable) -> Reporter:
    """Reports an amount cell that does not parse (a blocking finding of its table)."""

    def report(page: int, message: str) -> None:
        context.problems.append(
            Problem("amount_parses", page, table.title, f"page {page}: {message}")
        )

    return report


def read_amounts(
    row: Row, columns: AmountColumns, unit: str, page: int, report: Reporter
) -> dict[int, Decimal | None]:
    """Each amount column's cell in yuan (None where blank)."""
    cells: dict[int, Decimal | None] = {}
    for c in columns.read:
        if c >= len(row):
            cells[c] = None
            continue
        try:
            cells[c] = to_yuan(parse_amount(row[c]), unit)
        except ValueError as exc:
            report(page, str(exc))
            cells[c] = None
    return cells


def cell_records(
    base: Record, columns: AmountColumns, cells: dict[int, Decimal | None]
) -> list[Record]:
    """One staged record per printed amount cell of the row."""
    return [
        {
            **base,
            "fund_source": columns.sources[c][0],
            "source_name": columns.sources[c][1],
            "amount_yuan": value,
        }
        for c, value in cells.items()
        if value is not None
    ]


def is_total(texts: list[str]) -> bool:
    """A row whose label cells name the total (合计, 总计)."""
    return any(t in TOTAL_LABELS for t in texts)
