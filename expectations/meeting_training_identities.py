"""Identities of the 会议费 / 培训费 rows (meeting_training: extract/families/meeting_training.py).

Within each table:
(u) a list's 合计 row equals the sum of the meetings (or trainings) listed above it, per
    category (a 会议费明细表 printing its 合计);
(v) a 三公 table's 合计 over 三公, 会议费 and 培训费 (the `combined` row) equals the 三公
    total (three_public's total row of the same table) + 会议费 + 培训费.
Both block. A list printing no 合计 has nothing to reconcile within itself.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from expectations.findings import to_decimal, to_int, to_str
from expectations.identities import (
    AmountParseError,
    _Builder,
    _Row,
    _tables,
)

if TYPE_CHECKING:
    import pandas as pd

FAMILY = "meeting_training"
AMOUNT = "amount"


def _rows(table: pd.DataFrame, errors: list[AmountParseError]) -> list[_Row]:
    rows: list[_Row] = []
    for rec in table.sort_values("row_index", kind="stable").to_dict("records"):
        kind = to_str(rec.get("row_kind"))
        category = to_str(rec.get("category"))
        name = to_str(rec.get("name"))
        row = _Row.printed(
            rec, kind=kind, code=category, name=name, text=f"{kind} row '{name or category or ''}'"
        )
        try:
            row.amounts[AMOUNT] = to_decimal(rec.get("amount_yuan"))
        except ValueError:
            row.amounts[AMOUNT] = None
            errors.append(
                AmountParseError(row.page, row.title, row.label, AMOUNT, rec.get("amount_yuan"))
            )
        rows.append(row)
    return rows


def _three_public_total(frame: pd.DataFrame | None, table_index: Any) -> Decimal | None:
    if frame is None or len(frame) == 0:
        return None
    same = frame[
        (frame["table_index"] == table_index)
        & (frame["source"] == "table")
        & (frame["category"] == "total")
    ]
    if len(same) == 0:
        return None
    try:
        return to_decimal(same.iloc[0]["amount_yuan"])
    except ValueError:
        return None


def meeting_training_identities(
    document_id: str, frame: pd.DataFrame, three_public: pd.DataFrame | None = None
) -> tuple[list[dict[str, Any]], list[AmountParseError]]:
    """The identities of one document's 会议费 / 培训费 rows; `three_public` is the same
    document's 三公 rows (for the combined 合计 of a 三公 table)."""
    errors: list[AmountParseError] = []
    records: list[dict[str, Any]] = []
    for table_index, table in _tables(frame):
        builder = _Builder(document_id, to_int(table_index), FAMILY, AMOUNT)
        rows = _rows(table, errors)
        for i, row in enumerate(rows):
            if row.kind == "total" and row.amounts[AMOUNT] is not None:
                items = [r for r in rows[:i] if r.kind == "item" and r.code == row.code]
                if items:
                    builder.add_sum(
                        "meeting_training_total_equals_sum_of_items", row, AMOUNT, items, "item"
                    )
        combined = next((r for r in rows if r.kind == "combined"), None)
        three = _three_public_total(three_public, table_index)
        if combined is not None and combined.amounts[AMOUNT] is not None and three is not None:
            parts = [r for r in rows if r.kind == "total" and r.code in ("meeting", "training")]
            expected = three + sum((r.amounts[AMOUNT] or Decimal(0) for r in parts), Decimal(0))
            builder.add(
                "three_public_meeting_training_sum_to_combined_total",
                combined,
                AMOUNT,
                expected,
                1 + len(parts),
                "三公 + 会议费 + 培训费 =",
            )
        records.extend(builder.records)
    return records, errors
