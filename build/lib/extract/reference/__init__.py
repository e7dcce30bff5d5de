"""National reference lists, shipped with the package and read by both layers: extraction
(`national_classes()`) and dbt, whose seeds (dbt_project/seeds/*.csv) are links to these files.

- function_classes.csv: 政府收支分类科目, the 类 of expenditure by function (code, name);
- economic_classes.csv: 部门预算支出经济分类科目, the 类 of the 部门 economic classes (code,
  name; `economic_classes()`);
- economic_names.csv: 部门 economic codes (类, 款, 项) with each name they were printed with
  in a real budget, the fiscal year and where (`economic_names()`): not the national list,
  but what the project has read, grown as it reads more; it gives a code to a row of a
  table printing names only (杭州), matched under its printed parent, never guessed;
- function_names.csv: function codes (类, 款, 项) likewise, with each name they were
  printed with in a real budget of the year (`function_names()`); it gives a code to a
  row of a function table printing names only (杭州), matched under its parent: the
  national list holds about 1,500 项 and is revised every year, this one only what was read;
- regions.csv: every prefecture-level region of the country (市, 地区, 自治州, 盟, and the
  county-level cities a province governs directly), with the short name departments print
  (杭州, 恩施州) and its province (`regions()`);
- amount_units.csv: the units amounts are printed in (元, 万元, 亿元), each with its factor
  to yuan (`amount_units()`).

Both class lists are complete: every 类 of the national template in force (the economic
one since its 2018 reform: 301-303, 307, 309-313, 399), so a code whose first three digits
are not listed cannot be one, and gate 1 holds its table (expectations/classes.py). The
codes found in 92 real budgets (Shanghai, Jiangsu 2017-2019, thirteen cities' 2026) agree:
every class printed under its national name is listed, the others (315, 341, 360, 380) are
words or numbers misread as codes. A budget of 2017 or before could print an economic class
the 2018 reform retired (304-306, 308; none of those read does): a list that cannot hold
every valid class is marked partial there (`ClassList.complete`), and its misses only warn.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
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
def economic_classes() -> dict[str, str]:
    """类 code -> national name of the 部门 economic classes (301 -> 工资福利支出)."""
    return {row["class_code"]: row["class_name"] for row in _rows("economic_classes.csv")}


@cache
def amount_units() -> dict[str, Decimal]:
    """Printed unit -> its factor to yuan (万元 -> 10000)."""
    return {row["amount_unit"]: Decimal(row["yuan_factor"]) for row in _rows("amount_units.csv")}


@cache
def regions() -> list[tuple[str, str, str]]:
    """(region, short name, province) of every prefecture-level region (湖州市, 湖州, 浙江省)."""
    return [(row["region"], row["short_name"], row["province"]) for row in _rows("regions.csv")]


def name_key(name: str) -> str:
    """A printed name as compared: full-width brackets as ASCII, no spaces (维修（护）费 is
    维修(护)费)."""
    return "".join(unicodedata.normalize("NFKC", name).split())


@cache
def economic_names() -> dict[tuple[str, str], frozenset[str]]:
    """(parent code, name key) -> the codes printed with that name under that parent; the
    parent of a 类 is ''. More than one code means the name does not tell the code."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _rows("economic_names.csv"):
        code = row["economic_code"]
        parent = code[:-2] if len(code) > 3 else ""
        found[(parent, name_key(row["name_as_printed"]))].add(code)
    for code, name in economic_classes().items():
        found[("", name_key(name))].add(code)
    return {key: frozenset(codes) for key, codes in found.items()}


@cache
def function_names() -> dict[tuple[str, str], frozenset[str]]:
    """(parent code, name key) -> the function codes printed with that name under that
    parent; the parent of a 类 is ''. More than one code means the name does not tell."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in _rows("function_names.csv"):
        code = row["function_code"]
        parent = code[:-2] if len(code) > 3 else ""
        found[(parent, name_key(row["name_as_printed"]))].add(code)
    for code, name in national_classes().items():
        found[("", name_key(name))].add(code)
    return {key: frozenset(codes) for key, codes in found.items()}
