"""National reference lists, shipped with the package and read by both layers: extraction
(`national_classes()`) and dbt, whose seeds (dbt_project/seeds/*.csv) are links to these files.

- function_classes.csv: 政府收支分类科目, the 类 of expenditure by function (code, name);
- economic_classes.csv: 支出经济分类科目, the 部门 economic classes (code, name, kind);
- amount_units.csv: the units amounts are printed in (元, 万元, 亿元), each with its factor
  to yuan (`amount_units()`).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from functools import cache
from importlib import resources


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files(__name__).joinpath(name).read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def national_classes() -> dict[str, str]:
    """类 code -> national name of the function classes (201 -> 一般公共服务支出)."""
    return {row["class_code"]: row["class_name"] for row in _rows("function_classes.csv")}


@cache
def amount_units() -> dict[str, Decimal]:
    """Printed unit -> its factor to yuan (万元 -> 10000)."""
    return {row["amount_unit"]: Decimal(row["yuan_factor"]) for row in _rows("amount_units.csv")}
