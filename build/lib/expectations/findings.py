"""The Finding record and the arithmetic of printed, rounded amounts.

Staged amounts are exact decimals in yuan, converted from the unit the table printed
(万元, 元 or 亿元) with the number of decimals the table printed. Reconciliation compares
printed figures, so it allows for their rounding, and it reports numbers in the unit the
maintainer sees in the PDF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from extract.values import UNIT_FACTORS
from extract.verdicts import Reason

BLOCK = "block"
WARN = "warn"

# Printed figures in 万元 / 亿元 are never trusted to better than 0.05 万元, those in 元 to 1 元.
_FLOOR_LARGE_UNIT = Decimal(500)
_FLOOR_YUAN = Decimal(1)


@dataclass(frozen=True)
class Finding:
    """One row of audit.findings (the caller adds run_id)."""

    document_id: str | None  # None for mart-level findings
    severity: str  # 'block' | 'warn'
    check: str  # expectation / identity name
    page_number: int | None
    table_title: str | None
    expected: str | None  # e.g. '3,000,000.00' (the sum, in yuan)
    actual: str | None  # the printed value, in yuan
    detail: str  # human readable: page, table, row (code + name) and the numbers
    # what a blocking finding costs its table: a broken accounting identity
    # (reconciliation) or a value that is not what it must be (invalid_values)
    reason: str = str(Reason.INVALID_VALUES)


def is_missing(value: Any) -> bool:
    """None, NaN, NaT and pandas.NA all count as an empty cell."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT and pd.NA are not equal to themselves
    except (TypeError, ValueError):  # pd.NA raises on bool()
        return True


def to_decimal(value: Any) -> Decimal | None:
    """An amount cell as a Decimal; None when empty. Raises ValueError when unparseable."""
    if is_missing(value):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"not a finite amount: {value!r}")
    try:
        return Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def to_int(value: Any) -> int | None:
    if is_missing(value):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def to_str(value: Any) -> str | None:
    return None if is_missing(value) else str(value)


def unit_factor(amount_unit: str | None) -> Decimal:
    return UNIT_FACTORS.get(amount_unit or "", Decimal(1))


def tolerance_yuan(n_terms: int, amount_unit: str | None, decimals: int | None) -> Decimal:
    """Allowed |printed - sum| in yuan for a sum of n printed, rounded figures.

    n half-units of the last printed digit, never less than 0.05 万元 (500 yuan) for tables
    printed in 万元 or 亿元, nor less than 1 yuan for tables printed in 元.
    """
    floor = _FLOOR_LARGE_UNIT if unit_factor(amount_unit) > 1 else _FLOOR_YUAN
    return max(max(n_terms, 1) * half_unit_yuan(amount_unit, decimals), floor)


def printed_decimals(value_yuan: Decimal, amount_unit: str | None) -> int:
    """The decimals a figure needs in its printed unit: 30,680,000 元 in 万元 -> 0 (3068),
    5,661,000 元 -> 1 (566.1). Prose prints a number as short as it can, so this is the
    number of decimals it printed (a trailing zero, "1.00万元", is not seen)."""
    value = value_yuan / unit_factor(amount_unit)
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def half_unit_yuan(amount_unit: str | None, decimals: int | None) -> Decimal:
    """Half a unit of the last printed digit, in yuan (2 decimals when unknown)."""
    places = 2 if decimals is None else decimals
    return Decimal("0.5") * Decimal(10) ** -places * unit_factor(amount_unit)


def fmt_yuan(value: Decimal | None) -> str | None:
    """An amount in yuan as stored in audit.findings: '3,000,000.00'."""
    return None if value is None else f"{value:,.2f}"


def fmt_printed(value_yuan: Decimal, amount_unit: str | None, decimals: int | None) -> str:
    """An amount in the printed unit with at least the printed decimals: '3,991.7'.

    More decimals are shown only when the exact value needs them (a tolerance of 0.05 万元
    in a table printed with one decimal).
    """
    value = value_yuan / unit_factor(amount_unit)
    places = 2 if decimals is None else decimals
    exponent = value.normalize().as_tuple().exponent
    needed = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return f"{value:,.{max(places, needed)}f}"
