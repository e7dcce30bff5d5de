"""Every accounting identity gate 1 checks, in one list: its name, the family it reads,
what it compares, whether it blocks its table or warns, and its rounding tolerance.

The identity builders (identities.py, summary_identities.py, crosschecks.py) may only add
an identity listed here, with a severity listed here (`identity()` refuses any other), the
table gate reads a finding's reason from the identity frame, and docs/identities.md is
generated from this list (`python -m tools.identities > docs/identities.md`; a test keeps
the two equal). The tolerances themselves are computed in one place,
expectations/findings.py (`tolerance_yuan`, `crosscheck_tolerance_yuan`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from expectations.findings import BLOCK, WARN

SUM_TOLERANCE = (
    "n half-units of the last printed digit for a sum of n printed figures, at least "
    "0.05 万元 (1 元 for tables printed in 元): `tolerance_yuan`"
)
CROSS_TOLERANCE = (
    "half a unit of each figure's last printed digit, at least 1 元: `crosscheck_tolerance_yuan`"
)


@dataclass(frozen=True)
class Identity:
    name: str  # the check's name; {column} / {item} stand for an amount column / figure
    family: str  # the staged family whose rows it reads
    compares: str
    severities: tuple[str, ...]  # the first is the usual one
    tolerance: str = SUM_TOLERANCE
    note: str = ""

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("^" + re.sub(r"\\\{\w+\\\}", r"[a-z_]+", re.escape(self.name)) + "$")


IDENTITIES: tuple[Identity, ...] = (
    Identity(
        "function_{column}_equals_sum_of_children",
        "function_expenditure, income_sources",
        "a 类 row against its 款 rows, a 款 row against its 项 rows, column by column "
        "(total, basic, project; in 收入总表 each source)",
        (BLOCK,),
    ),
    Identity(
        "unit_{column}_equals_sum_of_rows",
        "function_expenditure, income_sources",
        "a unit row against the code rows printed under it",
        (BLOCK,),
    ),
    Identity(
        "table_{column}_equals_sum_of_rows",
        "function_expenditure, income_sources",
        "the 合计 row against the unit rows, else the 类 rows, else the deepest rows",
        (BLOCK,),
    ),
    Identity(
        "total_equals_basic_plus_project",
        "function_expenditure",
        "合计 = 基本支出 + 项目支出 on every row (tables printing both)",
        (BLOCK,),
    ),
    Identity(
        "basic_equals_personnel_plus_public",
        "function_expenditure",
        "基本支出 = 人员经费 + 公用经费 on every row printing either",
        (WARN,),
        note="a province may print a third part of 基本支出 the vocabulary does not name",
    ),
    Identity(
        "basic_{column}_equals_sum_of_children",
        "basic_expenditure",
        "a 类 row against the 款 rows under its code (amount, personnel, public)",
        (BLOCK,),
    ),
    Identity(
        "basic_table_{column}_equals_sum_of_rows",
        "basic_expenditure",
        "the 合计 row against the 类 rows, else the 款 rows",
        (BLOCK,),
    ),
    Identity(
        "basic_amount_equals_personnel_plus_public",
        "basic_expenditure",
        "amount = 人员经费 + 公用经费 on every row printing both",
        (BLOCK,),
    ),
    Identity(
        "three_public_total_equals_sum_of_parts",
        "three_public",
        "三公 total = 因公出国（境）费 + 公务接待费 + 公务用车 (its total, else 购置 + 运行)",
        (BLOCK,),
    ),
    Identity(
        "three_public_vehicle_equals_purchase_plus_operation",
        "three_public",
        "公务用车购置及运行费 = 购置费 + 运行维护费",
        (BLOCK,),
    ),
    Identity(
        "summary_income_total_equals_expenditure_total",
        "budget_summary",
        "收支总表: 收入总计 = 支出总计",
        (BLOCK,),
    ),
    Identity(
        "summary_classes_sum_to_expenditure",
        "budget_summary",
        "收支总表: the function classes sum to 本年支出合计 (or 支出总计 less carryovers)",
        (BLOCK, WARN),
        note="warns when the expenditure half also lists lines that are not classes",
    ),
    Identity(
        "summary_income_items_sum_to_income",
        "budget_summary",
        "收支总表: the income items sum to 本年收入合计 (or 收入总计 less carryovers)",
        (WARN,),
    ),
    Identity(
        "income_total_equals_sum_of_sources",
        "income_sources",
        "收入总表: 合计 = the sum of the source columns on every row",
        (WARN,),
        note="a province may print a source the vocabulary files under another",
    ),
    Identity(
        "summary_{column}_matches_function_table",
        "budget_summary",
        "收支总表 class amounts against the same class in the function tables",
        (WARN,),
    ),
    Identity(
        "narrative_{item}_matches_table",
        "narrative_totals",
        "a total stated in prose (收入总计, 基本支出, 三公 …) against the table printing it",
        (WARN,),
        tolerance=CROSS_TOLERANCE,
    ),
)


@cache
def identity(check: str, severity: str = BLOCK) -> Identity:
    """The listed identity named `check`; ValueError for an unlisted name or severity."""
    for listed in IDENTITIES:
        if listed.pattern.match(check):
            if severity not in listed.severities:
                raise ValueError(f"identity {check} may not {severity}: see {__name__}")
            return listed
    raise ValueError(f"identity {check} is not listed in {__name__}")


def markdown() -> str:
    """The list as docs/identities.md."""
    verbs = {BLOCK: "blocks its table", WARN: "warns"}
    lines = [
        "# Accounting identities of gate 1",
        "",
        "Generated from `expectations/catalog.py` by `python -m tools.identities`; do not",
        "edit by hand. An identity that blocks holds back the table it fails (the document",
        "loads `partial`); one that warns is reported in `audit.findings` and the table loads.",
        "",
        "| identity | family | compares | blocks or warns | tolerance |",
        "| --- | --- | --- | --- | --- |",
    ]
    for i in IDENTITIES:
        verdict = "; ".join(verbs[s] for s in i.severities)
        if i.note:
            verdict += f" ({i.note})"
        lines.append(f"| `{i.name}` | {i.family} | {i.compares} | {verdict} | {i.tolerance} |")
    return "\n".join(lines) + "\n"
