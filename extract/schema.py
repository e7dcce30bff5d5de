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
        pa.field("project_type", pa.string()),
        pa.field("amount_yuan", YUAN),
    ]
)

# family name -> schema; the family name is the parquet file stem and the raw table name.
STAGED: dict[str, pa.Schema] = {
    "function_expenditure": FUNCTION_EXPENDITURE,
    "indicators": INDICATORS,
    "projects": PROJECTS,
}
