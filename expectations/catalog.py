"""Every accounting identity the gates check, in one list: its name, the family it reads,
what it compares, whether it blocks its table or warns, its rounding tolerance and the one
place it is computed.

The identity builders (identities.py, summary_identities.py, narrative.py) may only add
an identity listed here, with a severity listed here (`identity()` refuses any other), the
table gate reads a finding's reason from the identity frame, and docs/identities.md is
generated from this list (`python -m tools.identities > docs/identities.md`; a test keeps
the two equal). Each tolerance is computed in one place: the sums' in
expectations/findings.py (`tolerance_yuan`), the narrative's in the dbt model
marts.fct_narrative_check (with the dbt macro `last_digit_yuan`).
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
    "half a unit of each figure's last printed digit, at least 1 元: "
    "`fct_narrative_check.tolerance_yuan`"
)
IDENTITIES_PY = "gate 1: expectations/identities.py"
SUMMARY_PY = "gate 1: expectations/summary_identities.py"
PURCHASE_PY = "gate 1: expectations/purchase_identities.py"
MEETING_PY = "gate 1: expectations/meeting_training_identities.py"
NARRATIVE_SQL = (
    "dbt model dbt_project/models/marts/fct_narrative_check.sql; "
    "gate 2 reports it: expectations/narrative.py"
)


@dataclass(frozen=True)
class Identity:
    name: str  # the check's name; {column} / {item} stand for an amount column / figure
    family: str  # the staged family whose rows it reads
    compares: str
    severities: tuple[str, ...]  # the first is the usual one
    home: str  # the one place it is computed
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
        IDENTITIES_PY,
    ),
    Identity(
        "unit_{column}_equals_sum_of_rows",
        "function_expenditure, income_sources",
        "a unit row against the code rows printed under it, or a parent unit (by 单位编码) "
        "against its units",
        (BLOCK,),
        IDENTITIES_PY,
    ),
    Identity(
        "table_{column}_equals_sum_of_rows",
        "function_expenditure, income_sources",
        "the 合计 row against the unit rows (those without a parent unit by 单位编码), else "
        "the 类 rows, else the deepest rows",
        (BLOCK,),
        IDENTITIES_PY,
    ),
    Identity(
        "total_equals_basic_plus_project",
        "function_expenditure",
        "合计 = 基本支出 + 项目支出 (+ 事业单位经营支出, 上缴上级支出, 对附属单位补助支出, or "
        "Jiangsu's 单位预留机动经费 and 结转下年资金, where printed) on every row (tables "
        "printing both)",
        (BLOCK,),
        IDENTITIES_PY,
    ),
    Identity(
        "basic_equals_personnel_plus_public",
        "function_expenditure",
        "基本支出 = 人员经费 + 公用经费 on every row printing either",
        (WARN,),
        IDENTITIES_PY,
        note="a province may print a third part of 基本支出 the vocabulary does not name",
    ),
    Identity(
        "basic_{column}_equals_sum_of_children",
        "basic_expenditure, operating_expenses",
        "a 类 row against the 款 rows under its code(s), a 款 against its 项 rows "
        "(amount, personnel, public)",
        (BLOCK,),
        IDENTITIES_PY,
    ),
    Identity(
        "basic_unit_{column}_equals_sum_of_rows",
        "basic_expenditure, operating_expenses",
        "a unit row against the rows printed under it without a printed parent (类, else 款, "
        "项), or a parent unit (by 单位编码) against its units",
        (BLOCK,),
        IDENTITIES_PY,
    ),
    Identity(
        "basic_table_{column}_equals_sum_of_rows",
        "basic_expenditure, operating_expenses",
        "the 合计 row against the department's rows without a printed parent (类, else 款, "
        "项), and against the unit rows (those without a parent unit by 单位编码)",
        (BLOCK,),
        IDENTITIES_PY,
    ),
    Identity(
        "basic_amount_equals_personnel_plus_public",
        "basic_expenditure",
        "amount = 人员经费 + 公用经费 on every row printing both",
        (BLOCK,),
        IDENTITIES_PY,
    ),
    Identity(
        "three_public_total_equals_sum_of_parts",
        "three_public",
        "三公 total = 因公出国（境）费 + 公务接待费 + 公务用车 (its total, else 购置 + 运行)",
        (BLOCK,),
        IDENTITIES_PY,
    ),
    Identity(
        "three_public_vehicle_equals_purchase_plus_operation",
        "three_public",
        "公务用车购置及运行费 = 购置费 + 运行维护费",
        (BLOCK,),
        IDENTITIES_PY,
    ),
    Identity(
        "meeting_training_total_equals_sum_of_items",
        "meeting_training",
        "会议费 / 培训费明细表: a printed 合计 = Σ the meetings (trainings) listed above it",
        (BLOCK,),
        MEETING_PY,
    ),
    Identity(
        "three_public_meeting_training_sum_to_combined_total",
        "meeting_training, three_public",
        "a 三公 table's 合计 over 三公, 会议费 and 培训费 = 三公 total + 会议费 + 培训费",
        (BLOCK,),
        MEETING_PY,
    ),
    Identity(
        "summary_income_total_equals_expenditure_total",
        "budget_summary",
        "收支总表: 收入总计 = 支出总计",
        (BLOCK,),
        SUMMARY_PY,
    ),
    Identity(
        "summary_classes_sum_to_expenditure",
        "budget_summary",
        "收支总表: the function classes sum to 本年支出合计 (or 支出总计 less carryovers)",
        (BLOCK, WARN),
        SUMMARY_PY,
        note="warns when the expenditure half also lists lines that are not classes",
    ),
    Identity(
        "summary_income_items_sum_to_income",
        "budget_summary",
        "收支总表: the income items sum to 本年收入合计 (or 收入总计 less carryovers)",
        (WARN,),
        SUMMARY_PY,
    ),
    Identity(
        "income_total_equals_sum_of_sources",
        "income_sources",
        "收入总表: 合计 = the sum of the source columns on every row",
        (WARN,),
        SUMMARY_PY,
        note="a province may print a source the vocabulary files under another",
    ),
    Identity(
        "summary_{column}_matches_function_table",
        "budget_summary",
        "收支总表 class amounts against the same class in the function tables",
        (WARN,),
        SUMMARY_PY,
    ),
    Identity(
        "purchase_table_{column}_equals_sum_of_rows",
        "procurement, service_purchase",
        "政府采购 / 政府购买服务: the 合计 row against the category rows (货物, 工程, 服务), else "
        "the 类 rows (or the deepest code rows), else the item rows; column by column (the "
        "total, each fund source)",
        (BLOCK,),
        PURCHASE_PY,
    ),
    Identity(
        "purchase_category_{column}_equals_sum_of_items",
        "procurement",
        "a category row against the items printed under it",
        (BLOCK,),
        PURCHASE_PY,
    ),
    Identity(
        "purchase_group_{column}_equals_sum_of_items",
        "procurement, service_purchase",
        "a subtotal row (a unit, a project) against the items printed right under it",
        (BLOCK,),
        PURCHASE_PY,
    ),
    Identity(
        "purchase_code_{column}_equals_sum_of_children",
        "procurement",
        "a 类 row against its 款 rows, a 款 row against its 项 rows (procurement by function code)",
        (BLOCK,),
        PURCHASE_PY,
    ),
    Identity(
        "purchase_total_equals_sum_of_sources",
        "procurement, service_purchase",
        "the total = the sum of the fund-source columns on every row printing some",
        (WARN,),
        PURCHASE_PY,
        note="a province may print a source the vocabulary files under another",
    ),
    Identity(
        "narrative_{item}_matches_table",
        "narrative_totals",
        "a total stated in prose (收入总计, 基本支出, 三公 …) against the table printing it; "
        "an explanatory document's against the tables document of the same budget",
        (WARN,),
        NARRATIVE_SQL,
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
        "# Accounting identities of the gates",
        "",
        "Generated from `expectations/catalog.py` by `python -m tools.identities`; do not",
        "edit by hand. An identity that blocks holds back the table it fails (the document",
        "loads `partial`); one that warns is reported in `audit.findings` and the table loads.",
        "",
        "| identity | family | compares | blocks or warns | tolerance | computed in |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for i in IDENTITIES:
        verdict = "; ".join(verbs[s] for s in i.severities)
        if i.note:
            verdict += f" ({i.note})"
        lines.append(
            f"| `{i.name}` | {i.family} | {i.compares} | {verdict} | {i.tolerance} | {i.home} |"
        )
    return "\n".join(lines) + "\n"
