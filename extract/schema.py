"""Staged row contracts: one Arrow schema per staged family.

Extraction writes `staging/<document_id>/<family>.parquet` with exactly these columns; the
warehouse loader creates `raw.<family>` with the same columns, and the dbt sources
(dbt_project/models/staging/__sources.yml) describe them. Amounts are exact decimals in
yuan (元), converted from the printed unit.
"""

from __future__ import annotations

import pyarrow as pa

YUAN = pa.decimal128(20, 2)

# Lineage columns carried by every staged row.
LINEAGE = [
    pa.field("document_id", pa.string(), nullable=False),  # sha256 of the PDF
    pa.field("page_number", pa.int32(), nullable=False),  # 1-based
    pa.field("table_index", pa.int32(), nullable=False),  # logical table, 0-based in document
    pa.field("row_index", pa.int32(), nullable=False),  # row within the logical table
    pa.field("table_title", pa.string()),
]

DOCUMENTS = pa.schema(
    [
        pa.field("document_id", pa.string(), nullable=False),
        pa.field("file_name", pa.string(), nullable=False),
        pa.field("source_uri", pa.string(), nullable=False),
        pa.field("fiscal_year", pa.int32()),
        pa.field("department_name", pa.string()),
        pa.field("unit_code", pa.string()),
        pa.field("region", pa.string()),
        pa.field("province", pa.string()),
        pa.field("budget_level", pa.string()),  # 'department' | 'unit'
        # 'tables' (the budget's tables) | 'explanatory' (公开文件: prose with its totals)
        pa.field("document_kind", pa.string()),
        pa.field("page_count", pa.int32(), nullable=False),
        pa.field("amount_unit", pa.string()),  # unit printed on the budget tables: 万元 | 元 | 亿元
    ]
)

FUNCTION_EXPENDITURE = pa.schema(
    [
        *LINEAGE,
        pa.field("budget_scope", pa.string(), nullable=False),  # all_funds | general_public_budget
        pa.field("amount_unit", pa.string(), nullable=False),
        pa.field("decimals", pa.int32(), nullable=False),  # decimals printed in the table
        pa.field("row_kind", pa.string(), nullable=False),  # total | unit | code
        pa.field("function_code", pa.string()),  # 3, 5 or 7 digits; null on total/unit rows
        pa.field("code_level", pa.int32()),  # 1 类, 2 款, 3 项; null on total/unit rows
        pa.field("unit_code", pa.string()),  # 单位代码 where the table prints one
        pa.field("name", pa.string()),
        pa.field("total_yuan", YUAN),
        pa.field("basic_yuan", YUAN),
        pa.field("project_yuan", YUAN),
        pa.field("personnel_yuan", YUAN),
        pa.field("public_yuan", YUAN),
    ]
)

INDICATORS = pa.schema(
    [
        *LINEAGE,
        pa.field("scope", pa.string(), nullable=False),  # department | project
        pa.field("project_name", pa.string()),
        pa.field("department_name", pa.string()),  # the form's own 部门名称, else the document's
        pa.field("level1_name", pa.string()),
        pa.field("level2_name", pa.string()),
        pa.field("level3_name", pa.string()),
        pa.field("target_raw", pa.string()),
        pa.field("comparator", pa.string()),  # >=, <=, =, >, < or null
        pa.field("target_value", pa.decimal128(24, 6)),
        pa.field("target_unit", pa.string()),
        pa.field("description", pa.string()),
    ]
)

PROJECTS = pa.schema(
    [
        *LINEAGE,
        pa.field("project_name", pa.string(), nullable=False),
        pa.field("project_code", pa.string()),
        pa.field("department_name", pa.string()),
        pa.field("unit_name", pa.string()),
        pa.field("project_type", pa.string()),  # 其他运转类 | 特定目标类 | …
        pa.field("amount_yuan", YUAN),  # the project's total (年度资金总额, 合计)
        # where the row comes from: project_form (项目绩效目标表), project_expenditure
        # (项目支出表), performance_summary (部门预算项目绩效目标汇总表)
        pa.field("source_family", pa.string()),
        pa.field("unit_code", pa.string()),
        pa.field("government_funds_yuan", YUAN),  # 一般公共预算 / 政府预算资金 / 财政拨款
        pa.field("other_funds_yuan", YUAN),  # 财政专户, 单位资金, 结转 and other sources
    ]
)

# 一般公共预算基本支出表 / 支出经济分类汇总表: one row per economic code.
BASIC_EXPENDITURE = pa.schema(
    [
        *LINEAGE,
        pa.field("amount_unit", pa.string(), nullable=False),
        pa.field("decimals", pa.int32(), nullable=False),
        pa.field("row_kind", pa.string(), nullable=False),  # total | code
        pa.field("economic_code", pa.string()),  # 部门预算支出经济分类: 301 or 30101
        pa.field("economic_name", pa.string()),
        pa.field("gov_economic_code", pa.string()),  # 政府预算支出经济分类: 501 or 50101
        pa.field("gov_economic_name", pa.string()),
        pa.field("amount_yuan", YUAN),  # 合计
        pa.field("personnel_yuan", YUAN),  # 人员经费 column, where printed
        pa.field("public_yuan", YUAN),  # 公用经费 column, where printed
        pa.field("kind", pa.string()),  # personnel | public (from the columns or the code)
    ]
)

# "三公"经费: one row per category, from a table (either orientation) or from prose.
THREE_PUBLIC = pa.schema(
    [
        *LINEAGE,
        pa.field("amount_unit", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),  # table | narrative
        # total | overseas_travel | reception | vehicle_total | vehicle_purchase
        # | vehicle_operation
        pa.field("category", pa.string(), nullable=False),
        pa.field("category_name", pa.string()),  # as printed
        pa.field("amount_yuan", YUAN),
    ]
)

# 收支总表 (部门收支总体情况表, 财政拨款收支总体情况表, 部门财务收支预算总表): one row per
# line of either half; extract/families/budget_summary.py explains the line kinds.
BUDGET_SUMMARY = pa.schema(
    [
        *LINEAGE,
        pa.field("amount_unit", pa.string(), nullable=False),
        pa.field("decimals", pa.int32(), nullable=False),
        pa.field("table_kind", pa.string(), nullable=False),  # all_funds | fiscal_grants
        pa.field("side", pa.string(), nullable=False),  # income | expenditure
        # item | of_which | carryover | current_total | total
        pa.field("line_kind", pa.string(), nullable=False),
        pa.field("line_level", pa.int32(), nullable=False),  # 1 (一、) or 2 ((一), 1.)
        pa.field("ordinal", pa.string()),  # as printed: 六, 1
        pa.field("line_name", pa.string()),  # the label as printed, ordinal included
        pa.field("group_name", pa.string()),  # a merged label over it: 一般公共预算收入 | 小计
        pa.field("class_code", pa.string()),  # 3-digit function class of an expenditure line
        pa.field("amount_yuan", YUAN),  # 金额 / 合计 / 预算数
        pa.field("general_public_budget_yuan", YUAN),
        pa.field("government_fund_yuan", YUAN),
        pa.field("state_capital_yuan", YUAN),
        pa.field("basic_yuan", YUAN),
        pa.field("project_yuan", YUAN),
    ]
)

# 部门收入总体情况表 / 收入预算总表: income by source, per function code (or unit) row, one
# staged row per printed cell of a source column.
INCOME_SOURCES = pa.schema(
    [
        *LINEAGE,
        pa.field("amount_unit", pa.string(), nullable=False),
        pa.field("decimals", pa.int32(), nullable=False),
        pa.field("row_kind", pa.string(), nullable=False),  # total | unit | code
        pa.field("function_code", pa.string()),
        pa.field("code_level", pa.int32()),
        pa.field("unit_code", pa.string()),
        pa.field("name", pa.string()),
        # total | fiscal_grant | general_public_budget | government_fund | state_capital
        # | special_account | business | operating | superior_subsidy | affiliated
        # | carryover | other
        pa.field("income_source", pa.string(), nullable=False),
        pa.field("source_name", pa.string()),  # the column header as printed
        pa.field("amount_yuan", YUAN),
    ]
)

# Totals stated in the narrative (预算情况说明): "收入总计 73630.3 万元".
NARRATIVE_TOTALS = pa.schema(
    [
        pa.field("document_id", pa.string(), nullable=False),
        pa.field("page_number", pa.int32(), nullable=False),
        # income_total | expenditure_total | basic | project | personnel | public
        # | three_public | general_public_budget
        pa.field("item", pa.string(), nullable=False),
        pa.field("amount_unit", pa.string(), nullable=False),
        pa.field("amount_yuan", YUAN, nullable=False),
        pa.field("sentence", pa.string()),  # the sentence it was read from
    ]
)

# Every table found, recognised or not, and whether it was printed empty ("本表无数据").
TABLES = pa.schema(
    [
        pa.field("document_id", pa.string(), nullable=False),
        pa.field("table_index", pa.int32(), nullable=False),
        pa.field("page_number", pa.int32(), nullable=False),
        pa.field("last_page_number", pa.int32(), nullable=False),
        pa.field("table_title", pa.string()),
        pa.field("family", pa.string()),  # the staged family it fed, null if unrecognised
        pa.field("row_count", pa.int32(), nullable=False),  # records staged from it
        pa.field("is_empty", pa.bool_(), nullable=False),  # printed without data rows
        pa.field("outcome", pa.string()),  # extract.verdicts.TableOutcome
        pa.field("reason", pa.string()),  # why it was held or unread (extract.verdicts.Reason)
        # amount columns the family's vocabulary did not name ("; "-separated header paths)
        pa.field("unknown_columns", pa.string()),
    ]
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
    "narrative_totals": NARRATIVE_TOTALS,
    "tables": TABLES,
}
