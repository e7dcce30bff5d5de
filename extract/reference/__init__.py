"""National reference lists, shipped with the package and read by both layers: extraction
(`national_classes()`) and dbt, whose seeds (dbt_project/seeds/*.csv) are links to these files.

- function_classes.csv: 政府收支分类科目, the 类 of expenditure by function (code, name);
- economic_classes.csv: 支出经济分类科目, the 部门 economic classes (code, name, kind).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources


@cache
def national_classes() -> dict[str, str]:
    """类 code -> national name of the function classes (201 -> 一般公共服务支出)."""
    text = resources.files(__name__).joinpath("function_classes.csv").read_text("utf-8")
    return {row["class_code"]: row["class_name"] for row in csv.DictReader(text.splitlines())}
