"""Expectation suites, as code, named after what they protect.

Each `Gate` ties a suite to the dataframe asset it validates and to the checkpoint that runs
it. Expectations carry `meta.check` (the name written to audit.findings) and `meta.message`
(the sentence a maintainer reads, formatted with the failing column and value);
`severity="warning"` marks checks that warn instead of blocking.

Great Expectations is imported inside the functions: importing it costs seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from expectations import contract
from expectations.classes import CLASS_LISTS, ClassList
from expectations.findings import BLOCK, WARN
from extract.families import function_expenditure
from extract.values import UNIT_FACTORS

if TYPE_CHECKING:
    import great_expectations as gx

ROW = "_row"  # positional row id added to every validated frame: maps GX results back to rows
WHERE = "_where"  # human-readable lineage of the row, shown in Data Docs next to failures

FUNCTION_CODE_REGEX = r"^\d{3}(?:\d{2}){0,2}$"
ECONOMIC_CODE_REGEX = r"^\d{3}(?:\d{2}){0,2}$"  # 类, 款, 项 (3010201 规范性津补贴)
# dim_economic_code is at 类/款 grain: a 项 row rolls up to its 款 (fct_basic_expenditure)
DIM_ECONOMIC_CODE_REGEX = r"^\d{3}(?:\d{2})?$"
BUDGET_SCOPES = list(function_expenditure.SCOPES)
ROW_KINDS = ["total", "unit", "code"]
AMOUNT_UNITS = list(UNIT_FACTORS)
INDICATOR_SCOPES = ["department", "project"]
COMPARATORS = [">=", "<=", "=", ">", "<"]


@dataclass(frozen=True)
class Gate:
    """One suite, its dataframe asset and its checkpoint."""

    suite_name: str
    datasource: str
    asset: str
    index_columns: tuple[str, ...]
    build: Callable[[], list[Any]]  # -> list of GX expectations

    @property
    def checkpoint_name(self) -> str:
        return f"{self.suite_name}.checkpoint"


def _literal(text: str) -> str:
    """`text` escaped for use inside a message template."""
    return text.replace("{", "{{").replace("}", "}}")


def _meta(check: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"check": check, "message": message, **extra}


def _columns_exist(columns: list[str], family: str) -> list[Any]:
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectTableColumnsToMatchSet(
            column_set=columns,
            exact_match=False,
            meta=_meta("required_column_present", f"column '{{column}}' is missing from {family}"),
        )
    ]


def _lineage() -> list[Any]:
    import great_expectations.expectations as gxe

    out: list[Any] = [
        gxe.ExpectColumnValuesToNotBeNull(
            column=column, meta=_meta("lineage_present", "lineage column {column} is empty")
        )
        for column in ("document_id", "page_number", "table_index", "row_index")
    ]
    out.append(
        gxe.ExpectColumnValuesToBeInSet(
            column="document_id",
            value_set={"$PARAMETER": "document_ids"},
            meta=_meta(
                "lineage_document_matches",
                "row belongs to document {value!r}, not the one validated",
            ),
        )
    )
    return out


def _schema_columns(family: str) -> list[str]:
    from extract.schema import STAGED

    return [field.name for field in STAGED[family]]


# --------------------------------------------------------------------------- gate 1 suites


def function_expenditure_suite() -> list[Any]:
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    code = Column("row_kind") == "code"
    out = _columns_exist(_schema_columns("function_expenditure"), "function_expenditure")
    out += _lineage()
    out += [
        gxe.ExpectColumnValuesToBeInSet(
            column="budget_scope",
            value_set=BUDGET_SCOPES,
            meta=_meta("budget_scope_accepted", "budget_scope {value!r} is not accepted"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="budget_scope", meta=_meta("budget_scope_accepted", "budget_scope is empty")
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="row_kind",
            value_set=ROW_KINDS,
            meta=_meta("row_kind_accepted", "row_kind {value!r} is not total, unit or code"),
        ),
        *_unit_and_decimals(),
        gxe.ExpectColumnValuesToNotBeNull(
            column="function_code",
            row_condition=code,
            meta=_meta("function_code_format", "code row without a function_code"),
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="function_code",
            regex=FUNCTION_CODE_REGEX,
            row_condition=code,
            meta=_meta(
                "function_code_format",
                f"function_code {{value!r}} does not match {_literal(FUNCTION_CODE_REGEX)}",
            ),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="code_level",
            value_set=[1, 2, 3],
            row_condition=code,
            meta=_meta("code_level_matches_code", "code_level {value!r} is not 1, 2 or 3"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="code_level",
            row_condition=code,
            meta=_meta("code_level_matches_code", "code row without a code_level"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="total_yuan",
            row_condition=code,
            meta=_meta("amount_parses", "code row without a total amount"),
        ),
    ]
    for level, digits in ((1, 3), (2, 5), (3, 7)):
        out.append(
            gxe.ExpectColumnValuesToMatchRegex(
                column="function_code",
                regex=rf"^\d{{{digits}}}$",
                row_condition=code & (Column("code_level") == level),
                meta=_meta(
                    "code_level_matches_code",
                    f"function_code {{value!r}} is not {digits} digits although code_level "
                    f"is {level}",
                ),
            )
        )
    return out


def _unit_and_decimals() -> list[Any]:
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToBeInSet(
            column="amount_unit",
            value_set=AMOUNT_UNITS,
            meta=_meta(
                "amount_unit_accepted",
                f"amount_unit {{value!r}} is not one of {', '.join(AMOUNT_UNITS)}",
            ),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="amount_unit", meta=_meta("amount_unit_accepted", "amount_unit is empty")
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="decimals",
            min_value=0,
            max_value=6,
            meta=_meta("decimals_plausible", "decimals {value!r} is not between 0 and 6"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="decimals", meta=_meta("decimals_plausible", "decimals is empty")
        ),
    ]


def basic_expenditure_suite() -> list[Any]:
    """一般公共预算基本支出表 by economic code: its identities are in reconciliation_suite."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    code = Column("row_kind") == "code"
    out = _columns_exist(_schema_columns("basic_expenditure"), "basic_expenditure")
    out += _lineage()
    out += [
        gxe.ExpectColumnValuesToBeInSet(
            column="row_kind",
            value_set=ROW_KINDS,
            meta=_meta("row_kind_accepted", "row_kind {value!r} is not total, unit or code"),
        ),
        *_unit_and_decimals(),
        gxe.ExpectColumnValuesToNotBeNull(
            column="economic_code",
            row_condition=code,
            meta=_meta("economic_code_format", "code row without an economic_code"),
        ),
        gxe.ExpectColumnValuesToMatchRegex(
            column="economic_code",
            regex=ECONOMIC_CODE_REGEX,
            row_condition=code,
            meta=_meta(
                "economic_code_format",
                f"economic_code {{value!r}} does not match {_literal(ECONOMIC_CODE_REGEX)}",
            ),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="amount_yuan",
            row_condition=code,
            meta=_meta("amount_parses", "code row without an amount"),
        ),
    ]
    return out


def national_classes_suite(lists: Sequence[ClassList] = CLASS_LISTS) -> list[Any]:
    """Every well-formed code's 类 is in its national list (extract/reference/, dbt's seeds):
    one row per code (expectations.classes). A class missing from a complete list blocks
    its table (invalid_values); from a partial one it only warns."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    out = []
    for listed in lists:
        where = f"the national list of {listed.classification} classes ({listed.file})"
        message = f"{{staged_column}} {{key}}: its 类 {{value}} is not in {_literal(where)}"
        if not listed.complete:
            message += " (a partial list: the code may be valid)"
        out.append(
            gxe.ExpectColumnValuesToBeInSet(
                column="class_code",
                value_set=sorted(listed.classes()),
                row_condition=Column("classification") == listed.classification,
                severity="critical" if listed.complete else "warning",
                meta=_meta(
                    f"{listed.classification}_class_listed",
                    message,
                    key_column="code",
                    expected=f"a 类 of {listed.file}",
                ),
            )
        )
    return out


def _identity_expectations() -> list[Any]:
    """An identity frame's rows hold (`excess` <= 0): the rows of a blocking identity
    block, those of a warning one warn. Each failing row is its own finding."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column

    return [
        # a row neither blocking nor warning would be judged by neither expectation below
        gxe.ExpectColumnValuesToBeInSet(
            column="severity",
            value_set=[BLOCK, WARN],
            meta=_meta("identity_severity", "{detail}", identity=True),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="severity",
            meta=_meta("identity_severity", "{detail}", identity=True),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="excess",
            max_value=0,
            row_condition=Column("severity") == BLOCK,
            meta=_meta("reconciliation", "{detail}", identity=True),
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="excess",
            max_value=0,
            row_condition=Column("severity") == WARN,
            severity="warning",
            meta=_meta("reconciliation_warns", "{detail}", identity=True),
        ),
    ]


def reconciliation_suite() -> list[Any]:
    """The printed figures of one document agree, every table with itself and the 收支总表
    with the function tables: one row per identity (expectations.identities,
    expectations.summary_identities)."""
    return _identity_expectations()


def indicators_suite() -> list[Any]:
    import great_expectations.expectations as gxe

    out = _columns_exist(_schema_columns("indicators"), "indicators")
    out += _lineage()
    out += [
        gxe.ExpectColumnValuesToBeInSet(
            column="scope",
            value_set=INDICATOR_SCOPES,
            meta=_meta("indicator_scope_accepted", "scope {value!r} is not department or project"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="scope", meta=_meta("indicator_scope_accepted", "scope is empty")
        ),
        # Gaps in the performance-target tables warn: real documents have them.
        gxe.ExpectColumnValuesToNotBeNull(
            column="level3_name",
            severity="warning",
            meta=_meta("indicator_level3_present", "indicator without a 三级指标 (level3_name)"),
        ),
        gxe.ExpectColumnValuesToNotMatchRegex(
            column="level3_name",
            regex=r"^\s*$",
            severity="warning",
            meta=_meta("indicator_level3_present", "indicator without a 三级指标 (level3_name)"),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="target_raw",
            severity="warning",
            meta=_meta("indicator_target_present", "indicator without a 指标值 (target_raw)"),
        ),
        gxe.ExpectColumnValuesToNotMatchRegex(
            column="target_raw",
            regex=r"^\s*$",
            severity="warning",
            meta=_meta("indicator_target_present", "indicator without a 指标值 (target_raw)"),
        ),
        gxe.ExpectColumnValuesToBeInSet(
            column="comparator",
            value_set=COMPARATORS,
            severity="warning",
            meta=_meta("indicator_comparator_accepted", "comparator {value!r} is not recognised"),
        ),
    ]
    return out


def projects_suite() -> list[Any]:
    import great_expectations.expectations as gxe

    out = _columns_exist(_schema_columns("projects"), "projects")
    out += _lineage()
    out.append(
        gxe.ExpectColumnValuesToNotBeNull(
            column="project_name", meta=_meta("project_name_present", "project without a name")
        )
    )
    return out


# --------------------------------------------------------------------------- gate 2 suites


def _mart_columns(mart: str) -> list[Any]:
    """The mart's columns as its dbt yml declares them (expectations.contract)."""
    return _columns_exist(contract.marts()[mart].column_names, f"marts.{mart}")


def _fct_expenditure() -> list[Any]:
    import great_expectations.expectations as gxe

    return [
        gxe.ExpectColumnValuesToMatchRegex(
            column="function_code",
            regex=r"^\d{7}$",
            severity="warning",
            meta=_meta(
                "fct_expenditure_function_code_is_xiang",
                "function_code {value!r} is not a 7-digit 项 code",
            ),
        ),
        gxe.ExpectColumnValuesToNotBeNull(
            column="total_yuan",
            meta=_meta("fct_expenditure_total_not_null", "total_yuan is empty"),
        ),
    ]


def _code_format(column: str, regex: str, check: str) -> Callable[[], list[Any]]:
    def build() -> list[Any]:
        import great_expectations.expectations as gxe

        return [
            gxe.ExpectColumnValuesToMatchRegex(
                column=column,
                regex=regex,
                meta=_meta(check, f"{column} {{value!r}} does not match {_literal(regex)}"),
            )
        ]

    return build


# The row-level expectations of a mart beyond its columns (its codes' formats); keys,
# relationships and accepted values are dbt's tests.
_MART_ROWS: dict[str, Callable[[], list[Any]]] = {
    "fct_expenditure": _fct_expenditure,
    "dim_function_code": _code_format(
        "function_code", FUNCTION_CODE_REGEX, "dim_function_code_format"
    ),
    "dim_economic_code": _code_format(
        "economic_code", DIM_ECONOMIC_CODE_REGEX, "dim_economic_code_format"
    ),
    "fct_budget_summary": _code_format(
        "class_code", r"^2\d{2}$", "fct_budget_summary_class_code_format"
    ),
}


def mart_suite(mart: str) -> Callable[[], list[Any]]:
    """Gate 2's suite of one mart: its declared columns, then its rows' expectations."""
    return lambda: _mart_columns(mart) + _MART_ROWS.get(mart, list)()


def marts_reconciliation_suite() -> list[Any]:
    """The marts' totals against the raw total rows and the warehouse's invariants (block),
    the narrative against the tables (warns: expectations.narrative)."""
    import great_expectations.expectations as gxe

    return [
        *_identity_expectations(),
        # A document (and budget_scope) in the marts without a raw total row cannot be
        # reconciled.
        gxe.ExpectColumnValuesToNotBeNull(
            column="actual",
            severity="warning",
            meta=_meta("raw_total_present", "{detail}", identity=True),
        ),
    ]


STAGED = "yusuan_staged"
MARTS = "yusuan_marts"
# An identity row's failure comes back from GX carrying every field of its finding.
IDENTITY_INDEX = (
    "identity_id",
    "document_id",
    "severity",
    "check",
    "page_number",
    "table_title",
    "expected",
    "actual",
    "detail",
    "reason",
)

GATE1: dict[str, Gate] = {
    "function_expenditure": Gate(
        "staged.function_expenditure",
        STAGED,
        "function_expenditure",
        (ROW, WHERE),
        function_expenditure_suite,
    ),
    "basic_expenditure": Gate(
        "staged.basic_expenditure",
        STAGED,
        "basic_expenditure",
        (ROW, WHERE),
        basic_expenditure_suite,
    ),
    "indicators": Gate("staged.indicators", STAGED, "indicators", (ROW, WHERE), indicators_suite),
    "projects": Gate("staged.projects", STAGED, "projects", (ROW, WHERE), projects_suite),
    # One checkpoint for every code of the document against the national lists of 类.
    "national_classes": Gate(
        "staged.national_classes",
        STAGED,
        "document_classes",
        (ROW, WHERE),
        national_classes_suite,
    ),
    # One checkpoint for every identity of the document (function, basic, 三公, narrative):
    # each checkpoint run costs a Data Docs rebuild.
    "reconciliation": Gate(
        "staged.reconciliation",
        STAGED,
        "document_identities",
        IDENTITY_INDEX,
        reconciliation_suite,
    ),
}

# One suite per mart of the contract (dbt's yml), and the marts' identities.
GATE2: dict[str, Gate] = {
    **{
        mart: Gate(f"marts.{mart}", MARTS, mart, (ROW, WHERE), mart_suite(mart))
        for mart in contract.marts()
    },
    # fct_expenditure and fct_basic_expenditure totals against the raw total rows.
    "reconciliation": Gate(
        "marts.reconciliation",
        MARTS,
        "mart_totals_vs_raw",
        IDENTITY_INDEX,
        marts_reconciliation_suite,
    ),
}


def build_suite(gate: Gate) -> gx.ExpectationSuite:
    import great_expectations as gx

    return gx.ExpectationSuite(name=gate.suite_name, expectations=gate.build())
