"""Staged row contracts: one Arrow schema per staged family.

Extraction writes `staging/<document_id>/<family>.parquet` with exactly these columns; the
warehouse loader creates `raw.<family>` with the same columns. Amounts are exact decimals in
yuan (元), converted from the printed unit.

This module is the staged schema's one home: each field carries what dbt says of it (its
description and its source tests, in the field's metadata), and the dbt sources
(dbt_project/models/staging/__sources.yml) are generated from it by
`python -m tools.dbt_sources` (tests/test_layers.py checks the committed file is current).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

YUAN = pa.decimal128(20, 2)


def column(
    name: str,
    arrow_type: pa.DataType,
    description: str,
    *,
    nullable: bool = True,
    tests: Sequence[str] = (),
) -> pa.Field:
    """A staged column with its dbt description and its dbt source tests (`not_null`,
    `unique`), kept in the field's metadata for tools/dbt_sources.py."""
    metadata = {"description": description}
    if tests:
        metadata["data_tests"] = " ".join(tests)
    return pa.field(name, arrow_type, nullable=nullable, metadata=metadata)


def doc(name: str) -> str:
    """A description shared by several columns, kept in dbt_project/models/_yusuan__docs.md."""
    return f"{{{{ doc('{name}') }}}}"


def _metadata(item: pa.Field | pa.Schema) -> dict[bytes, bytes]:
    return dict(item.metadata or {})  # Arrow keeps metadata as bytes


def description(item: pa.Field | pa.Schema) -> str:
    """The dbt description a column (or a family's schema) carries."""
    return _metadata(item).get(b"description", b"").decode()


def data_tests(field: pa.Field) -> list[str]:
    """The dbt source tests a column carries."""
    return _metadata(field).get(b"data_tests", b"").decode().split()


def family(table_description: str, fields: list[pa.Field]) -> pa.Schema:
    """A staged family's schema, with the dbt description of its raw table."""
    return pa.schema(fields, metadata={"description": table_description})


DECIMALS = "Number of decimals printed in the table (for rounding tolerances)."

# Lineage columns carried by every staged row.
LINEAGE = [
    column("document_id", pa.string(), doc("document_id"), nullable=False),  # sha256 of the PDF
    column("page_number", pa.int32(), doc("page_number"), nullable=False),  # 1-based
    # logical table, 0-based in document
    column("table_index", pa.int32(), doc("table_index"), nullable=False),
    # row within the logical table
    column("row_index", pa.int32(), doc("row_index"), nullable=False),
    column("table_title", pa.string(), doc("table_title")),
]

DOCUMENTS = family(
    "One row per loaded disclosure document (PDF).",
    [
        column(
            "document_id",
            pa.string(),
            doc("document_id"),
            nullable=False,
            tests=["not_null", "unique"],
        ),
        column("file_name", pa.string(), "File name of the PDF as pulled.", nullable=False),
        column("source_uri", pa.string(), "URL or path the PDF was pulled from.", nullable=False),
        column("fiscal_year", pa.int32(), doc("fiscal_year")),
        column("department_name", pa.string(), doc("department_name")),
        column("unit_code", pa.string(), "单位代码 of the department, where printed."),
        column(
            "region",
            pa.string(),
            "City or county the department belongs to (from the sources catalog).",
        ),
        column(
            "province",
            pa.string(),
            "Province the department belongs to (from the sources catalog).",
        ),
        column("budget_level", pa.string(), doc("budget_level")),  # 'department' | 'unit'
        # 'tables' (the budget's tables) | 'explanatory' (公开文件: prose with its totals)
        column("document_kind", pa.string(), doc("document_kind")),
        column("page_count", pa.int32(), "Number of pages of the PDF.", nullable=False),
        # unit printed on the budget tables: 万元 | 元 | 亿元
        column("amount_unit", pa.string(), doc("amount_unit")),
    ],
)

FUNCTION_EXPENDITURE = family(
    "One row per printed row of the expenditure-by-function tables"
    " (部门支出总体情况表 -> all_funds, 一般公共预算支出情况表 -> general_public_budget,"
    " 财政拨款支出预算表 -> fiscal_grants, 政府性基金预算支出表 -> government_fund,"
    " 国有资本经营预算支出表 -> state_capital); a table printed empty stages no row; a table"
    " printing a row per function and economic code stages each function code once, at its"
    " first row, with the sum of its rows.",
    [
        *LINEAGE,
        # extract.families.function_expenditure.SCOPES
        column("budget_scope", pa.string(), doc("budget_scope"), nullable=False),
        column("amount_unit", pa.string(), doc("amount_unit"), nullable=False),
        column("decimals", pa.int32(), DECIMALS, nullable=False),
        column(
            "row_kind",
            pa.string(),
            "'total' (合计, or a department's own line printed over its units), 'unit' (a"
            " unit's line: 本级 or a subordinate unit) or 'code' (a function code row).",
            nullable=False,
        ),
        # 3, 5 or 7 digits; null on total/unit rows
        column(
            "function_code", pa.string(), doc("function_code") + " Null on total and unit rows."
        ),
        # 1 类, 2 款, 3 项; null on total/unit rows
        column("code_level", pa.int32(), doc("code_level") + " Null on total and unit rows."),
        column(
            "unit_code",
            pa.string(),
            "单位代码 where the table prints one: a unit row's, or on the 合计 row the"
            " department's own line's that it restates.",
        ),
        column("name", pa.string(), "Name printed on the row (function name, unit name or 合计)."),
        column("total_yuan", YUAN, doc("total_yuan")),
        column("basic_yuan", YUAN, doc("basic_yuan")),
        column("project_yuan", YUAN, doc("project_yuan")),
        column("personnel_yuan", YUAN, doc("personnel_yuan")),
        column("public_yuan", YUAN, doc("public_yuan")),
        # 事业单位经营支出 + 上缴上级支出 + 对附属单位补助支出, where printed
        column("other_yuan", YUAN, doc("other_yuan")),
    ],
)

INDICATORS = family(
    "One row per performance-target indicator (绩效指标) of any performance table.",
    [
        *LINEAGE,
        # department | project
        column("scope", pa.string(), doc("indicator_scope"), nullable=False),
        column(
            "project_name", pa.string(), "Project the indicator belongs to (project scope only)."
        ),
        column(
            "department_name",
            pa.string(),
            "The form's own 部门名称, else the document's department.",
        ),
        column("level1_name", pa.string(), "一级指标 (e.g. 产出指标, 效益指标, 满意度指标)."),
        column("level2_name", pa.string(), "二级指标 (e.g. 数量指标, 质量指标)."),
        column("level3_name", pa.string(), "三级指标, the indicator itself."),
        column("target_raw", pa.string(), "指标值 exactly as printed."),
        column("comparator", pa.string(), doc("comparator")),  # >=, <=, =, >, < or null
        column(
            "target_value", pa.decimal128(24, 6), "Numeric part of the target, where it has one."
        ),
        column("target_unit", pa.string(), "Unit of the target value (e.g. %, 人, 万元)."),
        column("description", pa.string(), "指标值说明 / 绩效指标描述 where printed."),
    ],
)

PROJECTS = family(
    "One row per project line of a 项目支出表 or project summary table.",
    [
        *LINEAGE,
        column("project_name", pa.string(), "Project name as printed.", nullable=False),
        column("project_code", pa.string(), "Project code where printed."),
        column("department_name", pa.string(), doc("department_name")),
        column("unit_name", pa.string(), "Unit (单位) carrying the project line, where printed."),
        # 其他运转类 | 特定目标类 | …
        column(
            "project_type", pa.string(), "Project type as printed (e.g. 其他运转类, 特定目标类)."
        ),
        # the project's total (年度资金总额, 合计)
        column("amount_yuan", YUAN, "Project total in yuan (年度资金总额, 合计)."),
        # where the row comes from: project_form (项目绩效目标表), project_expenditure
        # (项目支出表), performance_summary (部门预算项目绩效目标汇总表)
        column("source_family", pa.string(), doc("project_source_family")),
        column(
            "unit_code", pa.string(), "单位代码 of the unit carrying the project, where printed."
        ),
        # 一般公共预算 / 政府预算资金 / 财政拨款
        column("government_funds_yuan", YUAN, doc("government_funds_yuan")),
        # 财政专户, 单位资金, 结转 and other sources
        column("other_funds_yuan", YUAN, doc("other_funds_yuan")),
    ],
)

# 一般公共预算基本支出表 / 支出经济分类汇总表: one row per economic code.
BASIC_EXPENDITURE = family(
    "One row per printed row of the basic-expenditure tables by economic classification"
    " (一般公共预算基本支出表, 支出经济分类汇总表, 基本支出总表), also where they list the"
    " economic rows unit by unit.",
    [
        *LINEAGE,
        column("amount_unit", pa.string(), doc("amount_unit"), nullable=False),
        column("decimals", pa.int32(), DECIMALS, nullable=False),
        # total | unit | code
        column(
            "row_kind",
            pa.string(),
            "'total' (合计, or the one unit's line of a table printing no 合计), 'unit' (a"
            " unit's line over its economic rows) or 'code' (an economic code row).",
            nullable=False,
        ),
        # 部门预算支出经济分类: 301 or 30101
        column("economic_code", pa.string(), doc("economic_code") + " Null on total rows."),
        column("economic_name", pa.string(), "Name printed beside the economic code."),
        # 政府预算支出经济分类: 501 or 50101
        column("gov_economic_code", pa.string(), doc("gov_economic_code")),
        column(
            "gov_economic_name",
            pa.string(),
            "Name printed beside the 政府预算支出经济分类 code.",
        ),
        column("amount_yuan", YUAN, "Amount (合计) in yuan."),
        column("personnel_yuan", YUAN, doc("personnel_yuan")),  # 人员经费 column, where printed
        column("public_yuan", YUAN, doc("public_yuan")),  # 公用经费 column, where printed
        # personnel | public (from the columns or the code)
        column("kind", pa.string(), doc("economic_kind")),
        column(
            "unit_name",
            pa.string(),
            "The unit a code row is printed under, a unit row's own (深圳市统计局（本级）), or"
            " the one unit's whose line is read as the total; null on the department's rows"
            " (a 合计, and code rows under no unit or under the total).",
        ),
        column(
            "unit_code",
            pa.string(),
            "单位编码 of that unit where printed (on the 合计 the department's, where its own"
            " line restates it).",
        ),
    ],
)

# "三公"经费: one row per category, from a table (either orientation) or from prose.
THREE_PUBLIC = family(
    'One row per "三公"经费 category, from a "三公"经费支出情况表 (either orientation) or'
    " from the narrative prose.",
    [
        *LINEAGE,
        column("amount_unit", pa.string(), doc("amount_unit"), nullable=False),
        # table | narrative
        column("source", pa.string(), doc("three_public_source"), nullable=False),
        # total | overseas_travel | reception | vehicle_total | vehicle_purchase
        # | vehicle_operation
        column("category", pa.string(), doc("three_public_category"), nullable=False),
        column("category_name", pa.string(), "Category name as printed (e.g. 因公出国（境）费)."),
        column("amount_yuan", YUAN, "Amount of the category in yuan."),
    ],
)

# 收支总表 (部门收支总体情况表, 财政拨款收支总体情况表, 部门财务收支预算总表): one row per
# line of either half; extract/families/budget_summary.py explains the line kinds.
BUDGET_SUMMARY = family(
    "One row per line of either half of a 收支总表 (部门收支总体情况表, 财政拨款收支总体情况表,"
    " 部门财务收支预算总表): income items on the left, expenditure by function class on the"
    " right.",
    [
        *LINEAGE,
        column("amount_unit", pa.string(), doc("amount_unit"), nullable=False),
        column("decimals", pa.int32(), "Decimals printed in the table's amounts.", nullable=False),
        # all_funds | fiscal_grants
        column("table_kind", pa.string(), doc("summary_table_kind"), nullable=False),
        column(
            "side",
            pa.string(),
            "income or expenditure (the half of the table the line is printed in).",
            nullable=False,
        ),
        # item | of_which | carryover | current_total | total
        column("line_kind", pa.string(), doc("summary_line_kind"), nullable=False),
        # 1 (一、) or 2 ((一), 1.)
        column(
            "line_level",
            pa.int32(),
            "1 for lines numbered 一、 or unnumbered, 2 for (一) / 1. / 1、 lines.",
            nullable=False,
        ),
        # as printed: 六, 1
        column(
            "ordinal",
            pa.string(),
            "The line's ordinal as printed (六, 1), without its punctuation.",
        ),
        column("line_name", pa.string(), "The line's label as printed, ordinal included."),
        # a merged label over it: 一般公共预算收入 | 小计
        column(
            "group_name",
            pa.string(),
            "A merged label printed over the line (一般公共预算收入 over 小计).",
        ),
        # 3-digit function class of an expenditure line
        column(
            "class_code",
            pa.string(),
            "3-digit function class (类) of an expenditure line, from its name.",
        ),
        column("amount_yuan", YUAN, "金额 / 合计 / 预算数 of the line in yuan."),
        column(
            "general_public_budget_yuan",
            YUAN,
            "一般公共预算 column of an expenditure line, where printed.",
        ),
        column(
            "government_fund_yuan", YUAN, "政府性基金 column of an expenditure line, where printed."
        ),
        column(
            "state_capital_yuan",
            YUAN,
            "国有资本经营预算 column of an expenditure line, where printed.",
        ),
        column(
            "basic_yuan",
            YUAN,
            "基本支出 (人员经费 + 公用经费) of an expenditure line, where printed.",
        ),
        column("project_yuan", YUAN, "项目支出 of an expenditure line, where printed."),
    ],
)

# 部门收入总体情况表 / 收入预算总表: income by source, per function code (or unit) row, one
# staged row per printed cell of a source column.
INCOME_SOURCES = family(
    "Income by source (部门收入总体情况表, 收入预算总表): one row per printed cell of a"
    " source column, on a function-code, unit or total row.",
    [
        *LINEAGE,
        column("amount_unit", pa.string(), doc("amount_unit"), nullable=False),
        column("decimals", pa.int32(), "Decimals printed in the table's amounts.", nullable=False),
        column(
            "row_kind",
            pa.string(),
            "total (合计, or a department's own line printed over its units), unit (本级 or a"
            " subordinate unit) or code.",
            nullable=False,
        ),
        column("function_code", pa.string(), "Function code of a code row (3, 5 or 7 digits)."),
        column("code_level", pa.int32(), "1 类, 2 款, 3 项 on code rows."),
        column(
            "unit_code",
            pa.string(),
            "单位代码 of a unit row, where printed; on the total row, of the department's own"
            " line it restates.",
        ),
        column(
            "name",
            pa.string(),
            "Name printed on the row (科目名称 or unit name; 合计 on the total row).",
        ),
        # total | fiscal_grant | general_public_budget | government_fund | state_capital
        # | special_account | business | operating | superior_subsidy | affiliated
        # | carryover | other
        column("income_source", pa.string(), doc("income_source"), nullable=False),
        # the column header as printed
        column("source_name", pa.string(), "The source column's header as printed."),
        column("amount_yuan", YUAN, "Amount in yuan."),
    ],
)

# 政府采购预算表: one staged row per printed amount cell (the total, or a fund source's) of
# each printed row; extract/families/procurement.py explains the row kinds.
PROCUREMENT = family(
    "Government procurement (政府采购预算表, 政府采购预算明细表): one row per printed cell of"
    " an amount column (the total, or a fund source's) on a total, category, function-code,"
    " group or item row.",
    [
        *LINEAGE,
        column("amount_unit", pa.string(), doc("amount_unit"), nullable=False),
        column("decimals", pa.int32(), DECIMALS, nullable=False),
        # total | category | code | group | item
        column("row_kind", pa.string(), doc("procurement_row_kind"), nullable=False),
        # goods | works | services
        column("category", pa.string(), doc("procurement_category")),
        column(
            "category_name",
            pa.string(),
            "The category as printed on its row (A-货物, 一、货物A, 服务).",
        ),
        column(
            "function_code", pa.string(), "Function code printed on the row (3, 5 or 7 digits)."
        ),
        column("code_level", pa.int32(), doc("code_level") + " Null where no code is printed."),
        column("unit_code", pa.string(), "单位编码 printed on the row, else its group's."),
        column("name", pa.string(), doc("procurement_name")),
        column("economic_code", pa.string(), "部门预算支出经济分类 code printed on the row."),
        column("economic_name", pa.string(), "经济科目 name printed on the row, else its group's."),
        column("catalogue", pa.string(), doc("procurement_catalogue")),
        column("quantity", pa.decimal128(20, 4), "数量 printed on the row."),
        column(
            "procurement_method",
            pa.string(),
            "采购组织形式 / 采购方式 as printed (e.g. 分散自行组织).",
        ),
        # total | fiscal_grant | general_public_budget | … (as fct_income's sources)
        column("fund_source", pa.string(), doc("fund_source"), nullable=False),
        column("source_name", pa.string(), "The amount column's header as printed."),
        column("amount_yuan", YUAN, "Amount in yuan."),
    ],
)

# 政府购买服务预算表: one staged row per printed amount cell of each printed row.
SERVICE_PURCHASE = family(
    "Government purchase of services (政府购买服务预算表, 财政拨款政府购买服务明细表): one row per"
    " printed cell of an amount column (the total, or a fund source's) on a total, group or"
    " item row.",
    [
        *LINEAGE,
        column("amount_unit", pa.string(), doc("amount_unit"), nullable=False),
        column("decimals", pa.int32(), DECIMALS, nullable=False),
        # total | group | item
        column("row_kind", pa.string(), doc("service_purchase_row_kind"), nullable=False),
        column("name", pa.string(), "项目名称 / 服务项目 as printed; 合计 on the total row."),
        column("directory_level1", pa.string(), doc("service_directory_level1")),
        column("directory_level2", pa.string(), "指导性目录 二级 as printed (0204-会议服务)."),
        column("directory_level3", pa.string(), "指导性目录 三级 as printed (会议服务)."),
        column("contractor", pa.string(), "承接主体 as printed."),
        column("unit_code", pa.string(), "单位编码 printed on the row, else its group's."),
        column("unit_name", pa.string(), "单位名称 printed on the row, else its group's."),
        column("purchase_method", pa.string(), "购买方式 as printed."),
        column("fund_source", pa.string(), doc("fund_source"), nullable=False),
        column("source_name", pa.string(), "The amount column's header as printed."),
        column("amount_yuan", YUAN, "Amount in yuan."),
    ],
)

# 会议费 / 培训费: a 会议费明细表 or 培训费明细表 row, or the 会议费 / 培训费 column of a 三公
# table; extract/families/meeting_training.py explains the row kinds.
MEETING_TRAINING = family(
    "会议费 and 培训费: one row per meeting or training listed (会议费明细表, 培训费明细表), per"
    " printed 合计 of such a list, and per 会议费 / 培训费 column of a 三公 table (its total);"
    " a 三公 table's 合计 over 三公, 会议费 and 培训费 is a `combined` row.",
    [
        *LINEAGE,
        column("amount_unit", pa.string(), doc("amount_unit"), nullable=False),
        column("decimals", pa.int32(), DECIMALS, nullable=False),
        # total | item | combined
        column("row_kind", pa.string(), doc("meeting_training_row_kind"), nullable=False),
        # meeting | training; null on a combined row
        column("category", pa.string(), doc("meeting_training_category")),
        column(
            "name",
            pa.string(),
            "会议名称 / 培训名称 as printed (an item's); the column's label on a total.",
        ),
        column(
            "held_on",
            pa.string(),
            "时间 as printed (2026-3-26): when the meeting or training is held.",
        ),
        column("participants", pa.int32(), "人数 printed on the row."),
        column("duration_days", pa.int32(), "天数 printed on the row."),
        column("sessions", pa.int32(), "会议数 / 期数 / 次数 printed on the row."),
        column("amount_yuan", YUAN, "Amount in yuan."),
    ],
)

# 机关运行经费: a table of its own by economic code (read by extract/families/
# basic_expenditure.py), or a 三公 table's column, its total (extract/families/three_public.py).
OPERATING_EXPENSES = family(
    "机关运行经费 (operating expenses of the administrative units): one row per printed row of"
    " its own table by economic code (一般公共预算机关运行经费支出预算表: the 合计, 类 and 款"
    " rows), or the 机关运行经费 column of a 三公 table (“三公”经费和机关运行经费预算表) as a"
    " total row.",
    [
        *LINEAGE,
        column("amount_unit", pa.string(), doc("amount_unit"), nullable=False),
        column("decimals", pa.int32(), DECIMALS, nullable=False),
        # table | three_public
        column("source", pa.string(), doc("operating_expenses_source"), nullable=False),
        # total | code
        column(
            "row_kind",
            pa.string(),
            "'total' (合计, or the 三公 table's 机关运行经费 column) or 'code' (an economic code"
            " row).",
            nullable=False,
        ),
        column("economic_code", pa.string(), doc("economic_code") + " Null on total rows."),
        column("economic_name", pa.string(), "Name printed beside the economic code."),
        column("amount_yuan", YUAN, "Amount in yuan."),
    ],
)

# Totals stated in the narrative (预算情况说明): "收入总计 73630.3 万元".
NARRATIVE_TOTALS = family(
    'Totals stated in the narrative (预算情况说明), e.g. "收入总计 73630.3 万元", read to'
    " cross-check the tables.",
    [
        column("document_id", pa.string(), doc("document_id"), nullable=False),
        column("page_number", pa.int32(), doc("page_number"), nullable=False),
        # one of extract.narrative.ITEMS
        column("item", pa.string(), doc("narrative_item"), nullable=False),
        column(
            "amount_unit",
            pa.string(),
            "Unit printed after the number in the sentence (万元, 元 or 亿元).",
            nullable=False,
        ),
        column("amount_yuan", YUAN, "The stated amount in yuan.", nullable=False),
        column("sentence", pa.string(), "The sentence the amount was read from."),
    ],
)

# The performance statement of the prose (预算绩效目标设置情况): "共0个项目实行绩效目标管理，
# 涉及财政性资金合计0万元" (extract.narrative reads it).
PERFORMANCE_STATEMENTS = family(
    "The performance statement of the narrative (预算绩效目标设置情况): how many projects are"
    ' under performance-target management and the money they cover, e.g. "共0个项目实行绩效'
    '目标管理，涉及财政性资金合计0万元". One row per document stating it.',
    [
        column("document_id", pa.string(), doc("document_id"), nullable=False),
        column("page_number", pa.int32(), doc("page_number"), nullable=False),
        column(
            "project_count",
            pa.int32(),
            "Number of projects the sentence says are under performance-target management;"
            " null where it states only the money.",
        ),
        column(
            "amount_unit",
            pa.string(),
            "Unit printed after the number in the sentence (万元, 元 or 亿元).",
            nullable=False,
        ),
        column("amount_yuan", YUAN, "The money the statement covers, in yuan.", nullable=False),
        column("sentence", pa.string(), "The sentence the statement was read from."),
    ],
)

# Every table found, recognised or not, and whether it was printed empty ("本表无数据").
TABLES = family(
    "Every table found in a document, recognised or not, with the family it fed and"
    ' whether it was printed empty ("本表无数据").',
    [
        column("document_id", pa.string(), doc("document_id"), nullable=False),
        column("table_index", pa.int32(), doc("table_index"), nullable=False),
        column("page_number", pa.int32(), "First page the table is printed on.", nullable=False),
        column(
            "last_page_number",
            pa.int32(),
            "Last page the table is printed on (tables continue over pages).",
            nullable=False,
        ),
        column("table_title", pa.string(), doc("table_title")),
        # the staged family it fed, null if unrecognised
        column("family", pa.string(), doc("table_family")),
        # records staged from it
        column("row_count", pa.int32(), "Number of records staged from the table.", nullable=False),
        # printed without data rows
        column(
            "is_empty",
            pa.bool_(),
            "True if the table was printed without data rows. The loader's DDL may store it"
            " as varchar ('true'/'false'); staging casts it to boolean.",
            nullable=False,
        ),
        column("outcome", pa.string(), doc("table_outcome")),  # extract.verdicts.TableOutcome
        # why it was held or unread (extract.verdicts.Reason)
        column(
            "reason",
            pa.string(),
            "Why the table was held back or could not be read (a named reason).",
        ),
        # amount columns the family's vocabulary did not name ("; "-separated header paths)
        column("unknown_columns", pa.string(), doc("unknown_columns")),
    ],
)

# family name -> schema; the family name is the parquet file stem and the raw table name.
STAGED: dict[str, pa.Schema] = {
    "function_expenditure": FUNCTION_EXPENDITURE,
    "basic_expenditure": BASIC_EXPENDITURE,
    "three_public": THREE_PUBLIC,
    "indicators": INDICATORS,
    "projects": PROJECTS,
    "budget_summary": BUDGET_SUMMARY,
    "income_sources": INCOME_SOURCES,
    "procurement": PROCUREMENT,
    "service_purchase": SERVICE_PURCHASE,
    "meeting_training": MEETING_TRAINING,
    "operating_expenses": OPERATING_EXPENSES,
    "narrative_totals": NARRATIVE_TOTALS,
    "performance_statements": PERFORMANCE_STATEMENTS,
    "tables": TABLES,
}
