"""The fund columns of project tables, shared by 项目支出表 (project_expenditure) and the
部门预算项目绩效目标汇总表 (performance_summary): a total, government funds and the other
sources, read from the header labels. Not a family itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from extract.families.base import Context, Problem
from extract.pdf import Row
from extract.tables import LogicalTable
from extract.values import UNIT_PATTERN, normalize_text, parse_amount, to_yuan

TOTAL_LABELS = (
    "合计",
    "总计",
    "资金总额",
    "年度资金总额",
    "金额合计",
    "项目金额",
    "项目总额",
    "金额",
)
_SUBTOTAL_LABELS = ("小计", "合计")
GOVERNMENT = ("本年拨款", "财政拨款", "一般公共预算", "政府预算资金", "财政资金")  # 财政资金: 北京
_CARRIED = ("结转", "结余", "上年")  # carried-over funds are "other" funds


def strip_unit(label: str) -> str:
    """'项目金额（万元）' -> '项目金额'."""
    return re.sub(r"[（(][^）)]*[）)]", "", label)


@dataclass
class Funds:
    """The amount columns of a project table: the total, government funds (本年拨款,
    一般公共预算, 政府预算资金, 财政拨款) and the other sources (结转, 财政专户, 单位资金 …)."""

    total: int | None = None
    government: list[int] = field(default_factory=list)
    other: list[int] = field(default_factory=list)
    unit: str | None = None  # printed in a header label: 项目金额（万元）

    @classmethod
    def from_labels(cls, labels: list[list[str]], amounts: list[int]) -> Funds:
        """`amounts`: the columns left once names, codes and indicators are placed."""
        funds = cls()
        for c in amounts:
            for text in labels[c]:
                match = re.search(rf"[（(]({UNIT_PATTERN})[）)]", text)
                funds.unit = match.group(1) if match else funds.unit
        funds.total = next(
            (c for c in amounts if strip_unit(labels[c][-1]) in TOTAL_LABELS),
            next((c for c in amounts if any(t in TOTAL_LABELS for t in labels[c])), None),
        )
        parts = [c for c in amounts if c != funds.total]
        # a group with a 小计 column: the 小计 stands for its members
        grouped = {labels[c][0] for c in parts if _is_subtotal(labels[c])}
        kept = [c for c in parts if labels[c][0] not in grouped or _is_subtotal(labels[c])]
        funds.government = [
            c
            for c in kept
            if any(g in t for t in labels[c] for g in GOVERNMENT)
            and not any(w in t for t in labels[c] for w in _CARRIED)
        ]
        funds.other = [c for c in kept if c not in funds.government]
        if funds.total is None and not funds.government and len(funds.other) == 1:
            # one amount column naming no source (预算数（万元）): the project's amount
            funds.total, funds.other = funds.other[0], []
        return funds

    def read(
        self, row: Row, unit: str, report: Callable[[str], None]
    ) -> dict[str, Decimal | None] | None:
        """total, government and other funds in yuan; None for a row that is not data.

        A blank cell in a row that prints any amount counts as 0 (empty means nothing).
        """
        if self.total is not None and self.total < len(row):
            text = row[self.total] or ""
            if text and not any(ch.isdigit() for ch in text):
                return None  # a repeated header or a note, not data
        values: dict[int, Decimal | None] = {}
        for c in [*([] if self.total is None else [self.total]), *self.government, *self.other]:
            try:
                values[c] = parse_amount(row[c] if c < len(row) else None)
            except ValueError as exc:
                values[c] = None
                report(f"{exc} in {row}")
        if all(v is None for v in values.values()):
            return dict.fromkeys(("total", "government", "other"))

        def summed(cols: list[int]) -> Decimal | None:
            if not cols:
                return None
            return to_yuan(sum((values[c] or Decimal(0) for c in cols), Decimal(0)), unit)

        total = values.get(self.total) if self.total is not None else None
        return {
            "total": to_yuan(total, unit)
            if total is not None
            else summed([*self.government, *self.other]),
            "government": summed(self.government),
            "other": summed(self.other),
        }


def _is_subtotal(texts: list[str]) -> bool:
    return len(texts) > 1 and any(t in _SUBTOTAL_LABELS for t in texts[1:])


def row_cells(row: Row) -> Callable[[int | None], str]:
    """cell(column): the printed text at a column, '' where the column is absent."""

    def cell(column: int | None) -> str:
        if column is None or column >= len(row):
            return ""
        return normalize_text(row[column])

    return cell


def reporter(context: Context, table: LogicalTable, page: int) -> Callable[[str], None]:
    """Where an unreadable amount goes: a blocking finding naming page and table."""

    def report(detail: str) -> None:
        context.problems.append(
            Problem("amount_parses", page, table.title, f"page {page}: {detail}")
        )

    return report
