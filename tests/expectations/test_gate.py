"""Gate 1 and gate 2 against real Great Expectations (file context under tmp_path)."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations import Finding, validate_document, validate_marts
from expectations.findings import fmt_printed, tolerance_yuan
from expectations.identities import (
    basic_identities,
    function_identity_frame,
    three_public_identities,
)
from extract.values import UNIT_FACTORS

DOC = "d" * 64
TITLE = "2024年一般公共预算支出情况表"


def conform(frame: pd.DataFrame, family: str) -> pd.DataFrame:
    """The frame as the caller passes it: staged parquet of the family's contract, read back
    into pandas (absent columns empty; amounts as Decimal or None)."""
    import pyarrow as pa

    from extract.schema import STAGED

    schema = STAGED[family]
    frame = frame.copy()
    for name in schema.names:
        if name not in frame.columns:
            frame[name] = None
    return pa.Table.from_pandas(
        frame[schema.names], schema=schema, preserve_index=False
    ).to_pandas()


def expenditure(
    rows: list[tuple],
    *,
    unit: str = "万元",
    decimals: int = 1,
    page: int = 12,
    table_index: int = 3,
    scope: str = "general_public_budget",
    title: str = TITLE,
) -> pd.DataFrame:
    """A staged function_expenditure frame from printed rows.

    Each row is (row_kind, function_code, name, total, basic, project) with amounts as
    printed strings (in `unit`) or None; they are stored in yuan as Decimals.
    """
    factor = UNIT_FACTORS[unit]

    def yuan(printed: str | None) -> Decimal | None:
        return None if printed is None else Decimal(printed.replace(",", "")) * factor

    records = []
    for i, (kind, code, name, total, basic, project) in enumerate(rows):
        records.append(
            {
                "document_id": DOC,
                "page_number": page,
                "table_index": table_index,
                "row_index": i,
                "table_title": title,
                "budget_scope": scope,
                "amount_unit": unit,
                "decimals": decimals,
                "row_kind": kind,
                "function_code": code,
                "code_level": {3: 1, 5: 2, 7: 3}[len(code)] if code else None,
                "unit_code": None,
                "name": name,
                "total_yuan": yuan(total),
                "basic_yuan": yuan(basic),
                "project_yuan": yuan(project),
                "personnel_yuan": None,
                "public_yuan": None,
            }
        )
    return conform(pd.DataFrame.from_records(records), "function_expenditure")


def indicators(rows: list[dict]) -> pd.DataFrame:
    base = {
        "document_id": DOC,
        "page_number": 30,
        "table_index": 9,
        "table_title": "部门整体绩效目标表",
        "scope": "department",
        "project_name": None,
        "department_name": "某某局",
        "level1_name": "产出指标",
        "level2_name": "数量指标",
        "level3_name": "培训人次",
        "target_raw": "≥100人次",
        "comparator": ">=",
        "target_value": Decimal(100),
        "target_unit": "人次",
        "description": None,
    }
    frame = pd.DataFrame.from_records(
        [{**base, "row_index": i, **row} for i, row in enumerate(rows)]
    )
    return conform(frame, "indicators")


def projects() -> pd.DataFrame:
    return conform(
        pd.DataFrame.from_records(
            [
                {
                    "document_id": DOC,
                    "page_number": 20,
                    "table_index": 7,
                    "row_index": 0,
                    "table_title": "项目支出表",
                    "project_name": "信息化运维",
                    "project_code": "P001",
                    "department_name": "某某局",
                    "unit_name": "某某局本级",
                    "project_type": "其他运转类",
                    "amount_yuan": Decimal("120000.00"),
                }
            ]
        ),
        "projects",
    )


RECONCILING = [
    ("total", None, "合计", "1,050.0", "700.0", "350.0"),
    ("code", "201", "一般公共服务支出", "800.0", "600.0", "200.0"),
    ("code", "20101", "人大事务", "500.0", "400.0", "100.0"),
    ("code", "2010101", "行政运行", "400.0", "400.0", None),
    ("code", "2010102", "一般行政管理事务", "100.0", None, "100.0"),
    ("code", "20102", "政协事务", "300.0", "200.0", "100.0"),
    ("code", "2010201", "行政运行", "200.0", "200.0", None),
    ("code", "2010299", "其他政协事务支出", "100.0", None, "100.0"),
    ("code", "206", "科学技术支出", "250.0", "100.0", "150.0"),
    ("code", "20601", "科学技术管理事务", "250.0", "100.0", "150.0"),
    ("code", "2060101", "行政运行", "100.0", "100.0", None),
    ("code", "2060199", "其他科学技术管理事务支出", "150.0", None, "150.0"),
]


def blocks(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "block"]


@pytest.fixture(scope="module")
def gx_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One GX project for the module, as in production: one gx_root serves every run."""
    return tmp_path_factory.mktemp("gx")


def test_tolerance_is_n_half_units_with_a_floor() -> None:
    assert tolerance_yuan(10, "万元", 1) == Decimal(5000)  # 10 x 0.05 万元
    assert tolerance_yuan(1, "万元", 2) == Decimal(500)  # floor: 0.05 万元
    assert tolerance_yuan(2, "元", 2) == Decimal(1)  # floor: 1 元
    assert tolerance_yuan(300, "元", 0) == Decimal(150)
    assert tolerance_yuan(3, "亿元", 2) == Decimal(1_500_000)
    assert fmt_printed(Decimal(500), "万元", 1) == "0.05"
    assert fmt_printed(Decimal("39917000"), "万元", 1) == "3,991.7"


def test_identity_frame_lists_every_checked_identity() -> None:
    frame, errors = function_identity_frame(DOC, expenditure(RECONCILING))
    assert errors == []
    assert (frame["excess"] <= 0).all()
    counts = frame["check"].value_counts().to_dict()
    # 5 parents x 3 columns, the total row x 3 columns, 12 rows of total = basic + project.
    assert counts["function_total_equals_sum_of_children"] == 5
    assert counts["table_total_equals_sum_of_rows"] == 1
    assert counts["total_equals_basic_plus_project"] == 12
    assert len(frame) == 5 * 3 + 3 + 12


def scoped_tables() -> pd.DataFrame:
    """A 一般公共预算 table (RECONCILING) and, on the next pages, a 政府性基金 and a
    国有资本经营 table printing some of its codes with other amounts: each reconciles alone,
    their sums across scopes would not."""
    fund = [
        ("total", None, "合计", "30.0", None, "30.0"),
        ("code", "201", "一般公共服务支出", "30.0", None, "30.0"),
        ("code", "20101", "人大事务", "30.0", None, "30.0"),
        ("code", "2010102", "一般行政管理事务", "30.0", None, "30.0"),
    ]
    capital = [
        ("total", None, "合计", "5.0", "5.0", None),
        ("code", "206", "科学技术支出", "5.0", "5.0", None),
    ]
    return pd.concat(
        [
            expenditure(RECONCILING),
            expenditure(
                fund, page=13, table_index=4, scope="government_fund", title="政府性基金预算支出表"
            ),
            expenditure(
                capital,
                page=14,
                table_index=5,
                scope="state_capital",
                title="国有资本经营预算支出表",
            ),
        ],
        ignore_index=True,
    )


def test_identities_hold_per_scope_never_across_scopes() -> None:
    frame, errors = function_identity_frame(DOC, scoped_tables())
    assert errors == []
    # each table's 合计 is checked against its own rows only
    totals = frame[frame["check"] == "table_total_equals_sum_of_rows"]
    assert sorted(totals["page_number"]) == [12, 13, 14]
    assert (frame["excess"] <= 0).all()


def test_basic_must_equal_personnel_plus_public_where_both_are_printed() -> None:
    frame = expenditure(RECONCILING)
    wan = UNIT_FACTORS["万元"]
    # 人员经费 | 公用经费 printed beside 基本支出: 2010101 prints 400.0 = 300.0 + 90.0 (off
    # by 10.0); 2010201 prints 200.0 = 150.0 + 50.0; every other row leaves both blank
    frame["personnel_yuan"] = frame["public_yuan"] = None
    frame.loc[3, ["personnel_yuan", "public_yuan"]] = [Decimal(300) * wan, Decimal(90) * wan]
    frame.loc[6, ["personnel_yuan", "public_yuan"]] = [Decimal(150) * wan, Decimal(50) * wan]
    identities, errors = function_identity_frame(DOC, frame)
    split = identities[identities["check"] == "basic_equals_personnel_plus_public"]
    assert errors == [] and len(split) == 2
    [failing] = split[split["excess"] > 0].to_dict("records")
    assert "2010101 行政运行" in failing["detail"]
    assert "personnel 300.0 + public 90.0" in failing["detail"]


@pytest.mark.integration
def test_reconciling_document_has_no_findings_and_renders_no_data_docs(tmp_path: Path) -> None:
    frames = {
        "function_expenditure": expenditure(RECONCILING),
        "indicators": indicators([{}]),
        "projects": projects(),
    }
    findings = validate_document(DOC, frames, tmp_path / "gx")
    assert findings == []
    # (no findings because every identity holds, not because none was checked: the same
    # frames with 2010101's total 10.0 万元 off block)
    broken = list(RECONCILING)
    broken[3] = ("code", "2010101", "行政运行", "410.0", "400.0", None)
    frames["function_expenditure"] = expenditure(broken)
    assert {f.check for f in blocks(validate_document(DOC, frames, tmp_path / "gx"))} == {
        "function_total_equals_sum_of_children",
        "total_equals_basic_plus_project",
    }
    # the run renders Data Docs once, after both gates (test_data_docs.py)
    index = tmp_path / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert not index.exists()


@pytest.mark.integration
def test_kuan_row_off_by_50_wan_blocks_once_with_page_code_and_numbers(gx_root: Path) -> None:
    rows = [
        ("total", None, "合计", "3,991.7", None, None),
        ("code", "206", "科学技术支出", "3,991.7", None, None),
        ("code", "20601", "科学技术管理事务", "3,684.0", None, None),  # its 项 sum to 3,634.0
        ("code", "2060101", "行政运行", "3,000.0", None, None),
        ("code", "2060199", "其他科学技术管理事务支出", "634.0", None, None),
        ("code", "20602", "基础研究", "307.7", None, None),
    ]
    findings = validate_document(DOC, {"function_expenditure": expenditure(rows)}, gx_root)
    (finding,) = blocks(findings)
    assert finding.check == "function_total_equals_sum_of_children"
    assert finding.document_id == DOC
    assert finding.page_number == 12
    assert finding.table_title == TITLE
    assert finding.expected == "36,340,000.00"
    assert finding.actual == "36,840,000.00"
    assert "page 12" in finding.detail
    assert TITLE in finding.detail
    assert "20601 科学技术管理事务" in finding.detail
    assert "3,684.0 万元" in finding.detail
    assert "3,634.0 万元" in finding.detail
    assert "off by 50.0" in finding.detail


@pytest.mark.integration
def test_total_row_within_rounding_of_ten_one_decimal_rows_passes(gx_root: Path) -> None:
    # Real documents print a 合计 0.1 万元 off the sum of their rounded rows.
    rows = [("total", None, "合计", "100.1", None, None)]
    rows += [("code", f"2{i:02d}", f"类{i}", "10.0", None, None) for i in range(1, 11)]
    assert (
        blocks(validate_document(DOC, {"function_expenditure": expenditure(rows)}, gx_root)) == []
    )
    # the 0.1 万元 really is checked, and within the tolerance of ten rows (10 x 0.05 万元)
    identities, errors = function_identity_frame(DOC, expenditure(rows))
    (total,) = identities[identities["check"] == "table_total_equals_sum_of_rows"].to_dict(
        "records"
    )
    assert errors == [] and (total["actual"], total["expected"]) == ("1,001,000.00", "1,000,000.00")
    assert total["excess"] <= 0 and "tolerance 0.5" in total["detail"]


@pytest.mark.integration
def test_total_row_far_off_its_class_rows_blocks(gx_root: Path) -> None:
    rows = [("total", None, "合计", "101.0", None, None)]
    rows += [("code", f"2{i:02d}", f"类{i}", "10.0", None, None) for i in range(1, 11)]
    (finding,) = blocks(
        validate_document(DOC, {"function_expenditure": expenditure(rows)}, gx_root)
    )
    assert finding.check == "table_total_equals_sum_of_rows"
    assert "101.0 万元" in finding.detail and "100.0 万元" in finding.detail


@pytest.mark.integration
def test_one_yuan_slip_in_a_yuan_table_with_two_decimals_passes(gx_root: Path) -> None:
    rows = [
        ("total", None, "合计", "1,000.00", None, None),
        ("code", "201", "一般公共服务支出", "1,000.00", None, None),
        ("code", "20101", "人大事务", "600.00", None, None),
        ("code", "20102", "政协事务", "399.00", None, None),  # children sum to 999.00
    ]
    frame = expenditure(rows, unit="元", decimals=2)
    assert blocks(validate_document(DOC, {"function_expenditure": frame}, gx_root)) == []
    # the 1 元 slip really is checked, and within the floor of 1 元
    identities, errors = function_identity_frame(DOC, frame)
    (slip,) = identities[
        (identities["check"] == "function_total_equals_sum_of_children")
        & (identities["actual"] != identities["expected"])
    ].to_dict("records")
    assert errors == [] and (slip["actual"], slip["expected"]) == ("1,000.00", "999.00")
    assert slip["excess"] <= 0 and "201 一般公共服务支出" in slip["detail"]


@pytest.mark.integration
def test_two_yuan_slip_in_a_yuan_table_blocks(gx_root: Path) -> None:
    rows = [
        ("total", None, "合计", "1,000.00", None, None),
        ("code", "201", "一般公共服务支出", "1,000.00", None, None),
        ("code", "20101", "人大事务", "600.00", None, None),
        ("code", "20102", "政协事务", "398.00", None, None),
    ]
    frame = expenditure(rows, unit="元", decimals=2)
    (finding,) = blocks(validate_document(DOC, {"function_expenditure": frame}, gx_root))
    assert "1,000.00 元" in finding.detail and "998.00 元" in finding.detail
    assert "tolerance 1.00" in finding.detail


@pytest.mark.integration
def test_total_of_a_table_printing_only_xiang_rows_is_the_sum_of_the_deepest_rows(
    gx_root: Path,
) -> None:
    rows = [
        ("total", None, "合计", "60.0", "40.0", "20.0"),
        ("code", "2010101", "行政运行", "40.0", "40.0", None),
        ("code", "2060199", "其他科学技术管理事务支出", "20.0", None, "20.0"),
    ]
    assert validate_document(DOC, {"function_expenditure": expenditure(rows)}, gx_root) == []
    rows[0] = ("total", None, "合计", "70.0", "50.0", "20.0")
    findings = blocks(validate_document(DOC, {"function_expenditure": expenditure(rows)}, gx_root))
    assert sorted(f.check for f in findings) == [
        "table_basic_equals_sum_of_rows",
        "table_total_equals_sum_of_rows",
    ]
    assert all("its 2 deepest rows sum to" in f.detail for f in findings)


@pytest.mark.integration
def test_tables_split_by_unit_reconcile_per_unit(gx_root: Path) -> None:
    rows = [
        ("total", None, "合计", "300.0", None, None),
        ("unit", None, "某某局本级", "200.0", None, None),
        ("code", "201", "一般公共服务支出", "200.0", None, None),
        ("code", "20101", "人大事务", "200.0", None, None),
        ("unit", None, "某某中心", "100.0", None, None),
        ("code", "201", "一般公共服务支出", "100.0", None, None),
        ("code", "20101", "人大事务", "100.0", None, None),
    ]
    assert validate_document(DOC, {"function_expenditure": expenditure(rows)}, gx_root) == []
    rows[4] = ("unit", None, "某某中心", "150.0", None, None)
    findings = blocks(validate_document(DOC, {"function_expenditure": expenditure(rows)}, gx_root))
    assert sorted(f.check for f in findings) == [
        "table_total_equals_sum_of_rows",
        "unit_total_equals_sum_of_rows",
    ]
    unit = next(f for f in findings if f.check == "unit_total_equals_sum_of_rows")
    assert "unit row 某某中心 total prints 150.0 万元" in unit.detail


@pytest.mark.integration
def test_total_must_equal_basic_plus_project(gx_root: Path) -> None:
    rows = [row for row in RECONCILING]
    rows[3] = ("code", "2010101", "行政运行", "400.0", "390.0", None)
    findings = blocks(validate_document(DOC, {"function_expenditure": expenditure(rows)}, gx_root))
    checks = sorted(f.check for f in findings)
    # 2010101 prints total 400.0 but basic 390.0 (+ no project), and 20101's basic no longer
    # adds up over its children.
    assert checks == ["function_basic_equals_sum_of_children", "total_equals_basic_plus_project"]
    (row_check,) = [f for f in findings if f.check == "total_equals_basic_plus_project"]
    assert (
        "2010101 行政运行" in row_check.detail and "basic 390.0 + project 0.0" in row_check.detail
    )


@pytest.mark.integration
def test_tables_of_every_scope_pass_gate_1(gx_root: Path) -> None:
    frames = {"function_expenditure": scoped_tables()}
    assert blocks(validate_document(DOC, frames, gx_root)) == []


@pytest.mark.integration
def test_schema_checks_block(gx_root: Path) -> None:
    frame = expenditure(RECONCILING)
    frame.loc[4, "function_code"] = "201010"  # six digits
    frame.loc[9, "code_level"] = 3  # 20601 is a 款
    frame.loc[10, "total_yuan"] = None
    frame.loc[0, "budget_scope"] = "fund"
    findings = blocks(validate_document(DOC, {"function_expenditure": frame}, gx_root))
    checks = {f.check for f in findings}
    assert {
        "function_code_format",
        "code_level_matches_code",
        "amount_parses",
        "budget_scope_accepted",
    } <= checks
    (code_format,) = [f for f in findings if f.check == "function_code_format"]
    assert code_format.actual == "201010"
    assert "page 12" in code_format.detail and "row 4" in code_format.detail


@pytest.mark.integration
def test_missing_required_column_blocks(gx_root: Path) -> None:
    frame = expenditure(RECONCILING).drop(columns=["budget_scope"])
    findings = blocks(validate_document(DOC, {"function_expenditure": frame}, gx_root))
    assert [f.check for f in findings] == ["required_column_present"]
    assert "budget_scope" in findings[0].detail


@pytest.mark.integration
def test_indicator_without_level3_warns_and_does_not_block(gx_root: Path) -> None:
    frame = indicators([{}, {"level3_name": None}, {"target_raw": None}])
    findings = validate_document(DOC, {"indicators": frame}, gx_root)
    assert blocks(findings) == []
    assert sorted(f.check for f in findings) == [
        "indicator_level3_present",
        "indicator_target_present",
    ]
    level3 = next(f for f in findings if f.check == "indicator_level3_present")
    assert level3.severity == "warn"
    assert level3.page_number == 30 and "row 1" in level3.detail


@pytest.mark.integration
def test_empty_frames_are_facts_not_errors(gx_root: Path) -> None:
    frames = {
        "function_expenditure": expenditure([]),
        "indicators": pd.DataFrame(),
        "projects": projects().iloc[0:0],
    }
    assert validate_document(DOC, frames, gx_root) == []


@pytest.mark.integration
def test_rows_of_another_document_block(gx_root: Path) -> None:
    frame = projects()
    frame["document_id"] = "e" * 64
    findings = validate_document(DOC, {"projects": frame}, gx_root)
    assert [f.check for f in blocks(findings)] == ["lineage_document_matches"]


# --------------------------------------------------------------------------- gate 2


def loaded(con: duckdb.DuckDBPyConnection, document_id: str, file_name: str, run_id: str) -> None:
    """Audit `document_id` loaded by `run_id`, with its row in raw.documents."""
    con.execute(
        "insert into audit.document_loads values (?, ?, ?, ?, 'loaded', null, null, now())",
        [document_id, file_name, f"file:///{file_name}", run_id],
    )
    con.execute("insert into raw.documents values (?, ?)", [document_id, file_name])


def build_warehouse(path: Path, *, drift: str = "0") -> Path:
    """Marts as dbt builds them, by hand; dbt's invariant tests found nothing (their stored
    failures are empty views: tests/expectations/test_invariants.py runs them for real)."""
    from expectations.invariants import INVARIANTS, STORED_FAILURES
    from yusuan.warehouse import AUDIT_DDL

    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create schema raw")
    con.execute(AUDIT_DDL)
    con.execute(f"create schema {STORED_FAILURES}")
    for name in INVARIANTS:
        con.execute(
            f"create view {STORED_FAILURES}.{name} as"
            " select 'x' as document_id, 'x' as detail where false"
        )
    con.execute("create table raw.documents (document_id varchar, file_name varchar)")
    loaded(con, DOC, "a.pdf", "run-1")
    con.execute(
        """create table marts.fct_narrative_check (
               document_id varchar, tables_document_id varchar, item varchar,
               narrative_yuan decimal(20, 2), table_yuan decimal(20, 2),
               tolerance_yuan decimal(20, 2), within_rounding boolean, page_number integer,
               table_page_number integer, sentence varchar)"""
    )
    con.execute(
        """
        create table marts.dim_department as
        select * from (values (1, '某某局', '郑州市', '河南省', '101001')) as t(
            department_key, department_name, region, province, unit_code)
        """
    )
    con.execute(
        """
        create table marts.dim_function_code as
        select * from (values
            ('201', 1, '一般公共服务支出', null, '201', '一般公共服务支出'),
            ('20101', 2, '人大事务', '201', '201', '一般公共服务支出'),
            ('2010101', 3, '行政运行', '20101', '201', '一般公共服务支出'),
            ('2010102', 3, '一般行政管理事务', '20101', '201', '一般公共服务支出')
        ) as t(function_code, level, name, parent_code, class_code, class_name)
        """
    )
    con.execute(
        f"""
        create table marts.dim_document as
        select * from (values ('{DOC}', 'a.pdf', 'file:///a.pdf', 2024, 1, 'department',
                               'tables', 40, timestamp '2024-03-01 00:00:00'))
        as t(document_id, file_name, source_uri, fiscal_year, department_key, budget_level,
             document_kind, page_count, loaded_at)
        """
    )
    second_code = "2010102"
    con.execute(
        f"""
        create table marts.fct_expenditure as
        select document_id, department_key, fiscal_year, budget_level, budget_scope,
               function_code, cast(total_yuan as decimal(20, 2)) as total_yuan,
               cast(basic_yuan as decimal(20, 2)) as basic_yuan,
               cast(project_yuan as decimal(20, 2)) as project_yuan, page_number
        from (values
            ('{DOC}', 1, 2024, 'department', 'general_public_budget', '2010101',
             4000000, 4000000, 0, 12),
            ('{DOC}', 1, 2024, 'department', 'general_public_budget', '{second_code}',
             1000000 + {drift}, 0, 1000000 + {drift}, 12)
        ) as t(document_id, department_key, fiscal_year, budget_level, budget_scope,
               function_code, total_yuan, basic_yuan, project_yuan, page_number)
        """
    )
    con.execute(
        f"""
        create table marts.fct_indicator as
        select * from (values ('{DOC}', 1, null, 2024, '产出指标', '数量指标', '培训人次',
                               '≥100人次', '>=', 100.0, '人次', null, 30))
        as t(document_id, department_key, project_key, fiscal_year, level1_name, level2_name,
             level3_name, target_raw, comparator, target_value, target_unit, description,
             page_number)
        """
    )
    con.execute(
        f"""
        create table raw.function_expenditure as
        select * from (values
            ('{DOC}', 12, 3, 0, '{TITLE}', 'general_public_budget', '万元', 1, 'total', null,
             cast(5000000 as decimal(20, 2))),
            ('{DOC}', 12, 3, 1, '{TITLE}', 'general_public_budget', '万元', 1, 'code', '201',
             cast(5000000 as decimal(20, 2)))
        ) as t(document_id, page_number, table_index, row_index, table_title, budget_scope,
               amount_unit, decimals, row_kind, function_code, total_yuan)
        """
    )
    complete_marts(con)
    con.close()
    return path


def complete_marts(con: duckdb.DuckDBPyConnection, but: tuple[str, ...] = ()) -> None:
    """Every mart of the contract (`but` those) with every column its dbt yml declares, as
    dbt builds them: the marts built by hand get their other columns (null), the others
    are created empty."""
    from expectations.contract import marts

    present = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()
    }
    for name, mart in marts().items():
        if name in but:
            continue
        if name not in present:
            columns = ", ".join(f'"{c.name}" {c.data_type}' for c in mart.columns)
            con.execute(f"create table marts.{name} ({columns})")
            continue
        for column in mart.columns:
            con.execute(
                f'alter table marts.{name} add column if not exists "{column.name}"'
                f" {column.data_type}"
            )
    # what gate 2 reads beside fct_basic_expenditure (an empty table: nothing to reconcile)
    con.execute(
        "create table if not exists raw.basic_expenditure (document_id varchar,"
        " page_number integer, table_index integer, row_index integer, table_title varchar,"
        " amount_unit varchar, decimals integer, row_kind varchar, economic_code varchar,"
        " amount_yuan decimal(20, 2))"
    )


@pytest.mark.integration
def test_marts_pass(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    assert validate_marts(warehouse, tmp_path / "gx") == []


@pytest.mark.integration
def test_marts_without_the_audit_cannot_pass_unchecked(tmp_path: Path, gx_root: Path) -> None:
    # the invariants read raw.documents and audit.document_loads: without them gate 2
    # blocks, naming each, instead of checking nothing
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("drop table raw.documents")
        con.execute("drop table audit.document_loads")
    found = sorted((f.check, f.expected) for f in blocks(validate_marts(warehouse, gx_root)))
    assert found == [
        ("audit_table_present", "audit.document_loads"),
        ("raw_table_present", "raw.documents"),
    ]


@pytest.mark.integration
def test_facts_are_checked_row_by_row_for_the_run_that_loaded_them(
    tmp_path: Path, gx_root: Path
) -> None:
    # DOC was loaded by run-1 with a 款 code among its 项 facts, and 1 万元 of drift
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb", drift="10000")
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update marts.fct_expenditure set function_code = '20101' where total_yuan = 4000000"
        )
    # WHEN run-1 is validated: its rows are checked one by one, and its totals
    found = sorted(f.check for f in validate_marts(warehouse, gx_root, "run-1"))
    assert found == [
        "fct_expenditure_function_code_is_xiang",
        "fct_expenditure_total_equals_raw_total",
    ]
    # WHEN a later run that loaded nothing of DOC is validated: DOC's rows are not read
    # again (gate 2 does not grow with the warehouse), but its totals still are
    later = [f.check for f in validate_marts(warehouse, gx_root, "run-2")]
    assert later == ["fct_expenditure_total_equals_raw_total"]


@pytest.mark.integration
def test_marts_total_drifting_from_raw_total_blocks(tmp_path: Path, gx_root: Path) -> None:
    # 0.1 万元 over two rows is within rounding; 1 万元 is not.
    ok = build_warehouse(tmp_path / "ok.duckdb", drift="1000")
    assert validate_marts(ok, gx_root) == []
    bad = build_warehouse(tmp_path / "bad.duckdb", drift="10000")
    (finding,) = blocks(validate_marts(bad, gx_root))
    assert finding.check == "fct_expenditure_total_equals_raw_total"
    assert finding.document_id == DOC and finding.page_number == 12
    assert "500.0 万元" in finding.detail and "501.0 万元" in finding.detail


def add_narrative_check(path: Path, run_id: str = "run-2") -> Path:
    """Fill marts.fct_narrative_check (as the dbt model computes it) and the audit of run
    `run_id`, which loaded DOC again; OTHER (tables) and PROSE (an explanatory document
    whose tables are DOC's) were loaded by an earlier run only."""
    other, prose = "o" * 64, "p" * 64
    con = duckdb.connect(str(path))
    loaded(con, other, "o.pdf", "run-1")
    loaded(con, prose, "p.pdf", "run-1")
    con.execute(
        "insert into audit.document_loads select * replace ($run as run_id) "
        "from audit.document_loads where document_id = $doc",
        {"run": run_id, "doc": DOC},
    )
    con.execute(
        "insert into marts.dim_document select * replace (unnest([$other, $prose]) as "
        "document_id, 'x.pdf' as file_name) from marts.dim_document",
        {"other": other, "prose": prose},
    )
    con.execute(
        f"""
        insert into marts.fct_narrative_check by name
        select document_id, tables_document_id, item,
               cast(narrative_yuan as decimal(20, 2)) as narrative_yuan,
               cast(table_yuan as decimal(20, 2)) as table_yuan,
               cast(tolerance_yuan as decimal(20, 2)) as tolerance_yuan,
               within_rounding, page_number, table_page_number, sentence
        from (values
            ('{DOC}', '{DOC}', 'personnel', 30681000, 30679000, 1000, false, 3, 14,
             '人员经费支出3068.1万元'),
            ('{DOC}', '{DOC}', 'basic', 30680000, 30679000, 5500, true, 3, 14,
             '基本支出3068万元'),
            ('{DOC}', '{DOC}', 'three_public', 90000, null, 5000, null, 4, null,
             '“三公”经费9万元'),
            ('{other}', '{other}', 'income_total', 10000000, 9000000, 5000, false, 2, 5,
             '收入总计1000万元'),
            -- an explanatory document loaded earlier, paired with DOC's tables: DOC's run
            -- reports it. Off by 5,000.01 against dbt's exact tolerance 5,000.005, which
            -- the mart rounds to 5,000.01: still out of rounding
            ('{prose}', '{DOC}', 'public', 5666000.01, 5661000, 5000.01, false, 1, 7,
             '公用经费566.6万元')
        ) as t(document_id, tables_document_id, item, narrative_yuan, table_yuan,
               tolerance_yuan, within_rounding, page_number, table_page_number, sentence)
        """
    )
    con.close()
    return path


@pytest.mark.integration
def test_narrative_out_of_rounding_warns_once_for_the_run_that_loaded_it(
    tmp_path: Path, gx_root: Path
) -> None:
    # the identity is computed by the dbt model (its unit tests pin the tolerance); gate 2
    # reports the rows out of rounding of the run's documents, and never blocks
    warehouse = add_narrative_check(build_warehouse(tmp_path / "warehouse.duckdb"))
    finding, prose = validate_marts(warehouse, gx_root, "run-2")  # by document id
    assert (prose.severity, prose.check) == ("warn", "narrative_public_matches_table")
    assert prose.document_id == "p" * 64 and "the tables of a.pdf print" in prose.detail
    assert (finding.severity, finding.check) == ("warn", "narrative_personnel_matches_table")
    assert finding.document_id == DOC and finding.page_number == 3
    assert (finding.actual, finding.expected) == ("30,681,000.00", "30,679,000.00")
    assert "人员经费" in finding.detail and "人员经费支出3068.1万元" in finding.detail
    assert "its tables print 30,679,000.00 元 on page 14" in finding.detail
    assert "off by 2,000.00 元, tolerance 1,000.00 元" in finding.detail
    # without a run, every row out of rounding is reported, the earlier run's too
    checks = sorted(f.check for f in validate_marts(warehouse, gx_root))
    assert checks == [
        "narrative_income_total_matches_table",
        "narrative_personnel_matches_table",
        "narrative_public_matches_table",
    ]


@pytest.mark.integration
def test_a_removed_gx_project_is_set_up_again(tmp_path: Path) -> None:
    import shutil

    frames = {"projects": projects()}
    assert validate_document(DOC, frames, tmp_path / "gx") == []
    shutil.rmtree(tmp_path / "gx")
    assert validate_document(DOC, frames, tmp_path / "gx") == []
    assert (tmp_path / "gx" / "gx" / "checkpoints" / "staged.projects.checkpoint.json").is_file()


@pytest.mark.integration
def test_a_new_process_reuses_an_existing_gx_project(gx_root: Path) -> None:
    from expectations import runtime

    frames = {"projects": projects()}
    assert validate_document(DOC, frames, gx_root) == []
    runtime._RUNTIMES.clear()  # as a fresh worker process would start
    assert validate_document(DOC, frames, gx_root) == []
    # AND the reused project still checks: rows of another document block
    runtime._RUNTIMES.clear()
    other = projects()
    other["document_id"] = "e" * 64
    findings = validate_document(DOC, {"projects": other}, gx_root)
    assert [f.check for f in blocks(findings)] == ["lineage_document_matches"]


# --------------------------------------------------------------------------- basic expenditure

BASIC_TITLE = "2024年一般公共预算基本支出表"
THREE_PUBLIC_TITLE = "2024年一般公共预算“三公”经费支出情况表"


def basic(
    rows: list[tuple],
    *,
    unit: str = "万元",
    decimals: int = 1,
    page: int = 14,
    table_index: int = 4,
) -> pd.DataFrame:
    """A staged basic_expenditure frame from printed rows.

    Each row is (row_kind, economic_code, name, amount, personnel, public) with amounts as
    printed strings (in `unit`) or None.
    """
    factor = UNIT_FACTORS[unit]

    def yuan(printed: str | None) -> Decimal | None:
        return None if printed is None else Decimal(printed.replace(",", "")) * factor

    records = [
        {
            "document_id": DOC,
            "page_number": page,
            "table_index": table_index,
            "row_index": i,
            "table_title": BASIC_TITLE,
            "amount_unit": unit,
            "decimals": decimals,
            "row_kind": kind,
            "economic_code": code,
            "economic_name": name,
            "amount_yuan": yuan(amount),
            "personnel_yuan": yuan(personnel),
            "public_yuan": yuan(public),
            "kind": None if code is None else "public" if code.startswith("302") else "personnel",
        }
        for i, (kind, code, name, amount, personnel, public) in enumerate(rows)
    ]
    return conform(pd.DataFrame.from_records(records), "basic_expenditure")


# doc_a's 一般公共预算基本支出表 (page 14): 人员经费 合计 prints 3,068.0 where its rows sum to
# 3,067.9, and 合计 3,634.0 = 3,068.0 + 566.1 is 0.1 off: rounding, not an error.
DOC_A_PERSONNEL = [
    ("30302", "退休费", "90.0"),
    ("30399", "其他对个人和家庭的补助", "1.2"),
    ("30110", "职工基本医疗保险缴费", "212.4"),
    ("30108", "机关事业单位基本养老保险缴费", "238.3"),
    ("30199", "其他工资福利支出", "64.1"),
    ("30114", "医疗费", "28.7"),
    ("30113", "住房公积金", "227.9"),
    ("30106", "伙食补助费", "22.0"),
    ("30103", "奖金", "966.9"),
    ("30101", "基本工资", "1,216.4"),
]
DOC_A_PUBLIC = [
    ("30215", "会议费", "12.7"),
    ("30217", "公务接待费", "5.0"),
    ("30207", "邮电费", "10.3"),
    ("30206", "电费", "37.8"),
    ("30205", "水费", "0.5"),
    ("30214", "租赁费", "393.3"),
    ("30229", "福利费", "6.0"),
    ("30299", "其他商品和服务支出", "9.1"),
    ("30209", "物业管理费", "36.8"),
    ("30213", "维修(护)费", "3.8"),
    ("30211", "差旅费", "12.7"),
    ("30201", "办公费", "38.1"),
]
DOC_A_BASIC = [
    ("total", None, "合计", "3,634.0", "3,068.0", "566.1"),
    *(("code", c, n, a, a, "0.0") for c, n, a in DOC_A_PERSONNEL),
    *(("code", c, n, a, "0.0", a) for c, n, a in DOC_A_PUBLIC),
]


@pytest.mark.integration
def test_basic_class_row_off_by_10_wan_blocks_with_page_code_and_numbers(gx_root: Path) -> None:
    rows = [
        ("total", None, "合计", "1,250.0", None, None),
        ("code", "301", "工资福利支出", "1,010.0", None, None),  # its 款 sum to 1,000.0
        ("code", "30101", "基本工资", "600.0", None, None),
        ("code", "30102", "津贴补贴", "400.0", None, None),
        ("code", "302", "商品和服务支出", "240.0", None, None),
        ("code", "30201", "办公费", "240.0", None, None),
    ]
    (finding,) = blocks(validate_document(DOC, {"basic_expenditure": basic(rows)}, gx_root))
    assert finding.check == "basic_amount_equals_sum_of_children"
    assert finding.document_id == DOC
    assert finding.page_number == 14 and finding.table_title == BASIC_TITLE
    assert finding.expected == "10,000,000.00" and finding.actual == "10,100,000.00"
    assert "page 14" in finding.detail and BASIC_TITLE in finding.detail
    assert "301 工资福利支出" in finding.detail
    assert "1,010.0 万元" in finding.detail and "1,000.0 万元" in finding.detail
    assert "off by 10.0" in finding.detail


@pytest.mark.integration
def test_basic_total_of_kuan_rows_only_passes_within_rounding(gx_root: Path) -> None:
    frame = basic(DOC_A_BASIC)
    assert validate_document(DOC, {"basic_expenditure": frame}, gx_root) == []
    # the 0.1 万元 really is checked, and within tolerance
    records, errors = basic_identities(DOC, frame)
    assert errors == []
    (personnel,) = [r for r in records if r["check"] == "basic_table_personnel_equals_sum_of_rows"]
    assert (personnel["actual"], personnel["expected"]) == ("30,680,000.00", "30,679,000.00")
    assert "its 22 款 rows sum to 3,067.9 万元" in personnel["detail"]
    (split,) = [
        r
        for r in records
        if r["check"] == "basic_amount_equals_personnel_plus_public" and r["code"] is None
    ]
    assert split["excess"] <= 0  # 3,634.0 against 3,068.0 + 566.1


@pytest.mark.integration
def test_basic_personnel_total_far_off_its_rows_blocks(gx_root: Path) -> None:
    rows = list(DOC_A_BASIC)
    rows[0] = ("total", None, "合计", "3,644.1", "3,078.0", "566.1")  # rows sum to 3,067.9
    findings = blocks(validate_document(DOC, {"basic_expenditure": basic(rows)}, gx_root))
    assert sorted(f.check for f in findings) == [
        "basic_table_amount_equals_sum_of_rows",
        "basic_table_personnel_equals_sum_of_rows",
    ]
    personnel = next(f for f in findings if "personnel" in f.check)
    assert "total row '合计' personnel prints 3,078.0 万元" in personnel.detail
    assert "3,067.9 万元" in personnel.detail


@pytest.mark.integration
def test_basic_amount_must_equal_personnel_plus_public(gx_root: Path) -> None:
    rows = [
        ("total", None, "合计", "1,000.00", "800.00", "200.00"),
        ("code", "301", "工资福利支出", "800.00", "800.00", "0.00"),
        ("code", "302", "商品和服务支出", "200.00", "0.00", "180.00"),  # 200 != 0 + 180
    ]
    frame = basic(rows, unit="元", decimals=2)
    findings = blocks(validate_document(DOC, {"basic_expenditure": frame}, gx_root))
    assert sorted(f.check for f in findings) == [
        "basic_amount_equals_personnel_plus_public",
        "basic_table_public_equals_sum_of_rows",
    ]
    split = next(f for f in findings if f.check == "basic_amount_equals_personnel_plus_public")
    assert "302 商品和服务支出 amount prints 200.00 元" in split.detail
    assert "personnel 0.00 + public 180.00 = 180.00 元" in split.detail


@pytest.mark.integration
def test_basic_schema_checks_block(gx_root: Path) -> None:
    rows = [
        ("total", None, "合计", "100.0", None, None),
        ("code", "3010", "基本工资", "100.0", None, None),  # four digits
        ("code", None, "无编码", "0.0", None, None),
    ]
    frame = basic(rows)
    frame.loc[0, "amount_unit"] = "千元"
    findings = blocks(validate_document(DOC, {"basic_expenditure": frame}, gx_root))
    checks = sorted(f.check for f in findings)
    assert checks.count("economic_code_format") == 2
    assert "amount_unit_accepted" in checks
    code_format = next(f for f in findings if f.actual == "3010")
    assert "page 14" in code_format.detail and "row 1" in code_format.detail


# --------------------------------------------------------------------------- 三公


def three_public(amounts: dict[str, str | None], *, source: str = "table") -> pd.DataFrame:
    """A staged three_public frame: one printed amount (万元) per category."""
    table = source == "table"
    records = [
        {
            "document_id": DOC,
            "page_number": 15 if table else 4,
            "table_index": 5 if table else -1,
            "row_index": 2 if table else i,
            "table_title": THREE_PUBLIC_TITLE if table else None,
            "amount_unit": "万元",
            "source": source,
            "category": category,
            "category_name": category,
            "amount_yuan": None if printed is None else Decimal(printed) * 10_000,
        }
        for i, (category, printed) in enumerate(amounts.items())
    ]
    return conform(pd.DataFrame.from_records(records), "three_public")


THREE_PUBLIC = {
    "total": "47.91",
    "overseas_travel": "0.00",
    "reception": "1.35",
    "vehicle_total": "46.56",
    "vehicle_purchase": "25.00",
    "vehicle_operation": "21.56",
}


@pytest.mark.integration
def test_three_public_total_unequal_to_its_parts_blocks(gx_root: Path) -> None:
    assert validate_document(DOC, {"three_public": three_public(THREE_PUBLIC)}, gx_root) == []
    frame = three_public({**THREE_PUBLIC, "total": "57.91"})
    (finding,) = blocks(validate_document(DOC, {"three_public": frame}, gx_root))
    assert finding.check == "three_public_total_equals_sum_of_parts"
    assert finding.page_number == 15 and finding.table_title == THREE_PUBLIC_TITLE
    assert "57.91 万元" in finding.detail and "= 47.91 万元" in finding.detail
    assert "reception (reception) 1.35" in finding.detail


@pytest.mark.integration
def test_three_public_vehicle_total_must_equal_purchase_plus_operation(gx_root: Path) -> None:
    frame = three_public({**THREE_PUBLIC, "vehicle_purchase": "35.00"})
    (finding,) = blocks(validate_document(DOC, {"three_public": frame}, gx_root))
    assert finding.check == "three_public_vehicle_equals_purchase_plus_operation"
    assert "46.56 万元" in finding.detail and "56.56 万元" in finding.detail


@pytest.mark.integration
def test_three_public_without_vehicle_total_sums_purchase_and_operation(gx_root: Path) -> None:
    parts = {k: v for k, v in THREE_PUBLIC.items() if k != "vehicle_total"}
    assert validate_document(DOC, {"three_public": three_public(parts)}, gx_root) == []
    bad = three_public({**parts, "vehicle_operation": "31.56"})
    (finding,) = blocks(validate_document(DOC, {"three_public": bad}, gx_root))
    assert finding.check == "three_public_total_equals_sum_of_parts"
    assert "vehicle_operation (vehicle_operation) 31.56" in finding.detail


@pytest.mark.integration
def test_three_public_prose_rows_are_not_table_identities(gx_root: Path) -> None:
    prose = three_public({"total": "9.00", "reception": "1.00"}, source="narrative")
    frame = pd.concat([three_public(THREE_PUBLIC), prose], ignore_index=True)
    assert validate_document(DOC, {"three_public": frame}, gx_root) == []
    # the table's identities are still checked, and only on the table's rows (page 15)
    records, errors = three_public_identities(DOC, frame)
    assert errors == []
    assert [(r["check"], r["page_number"], r["actual"]) for r in records] == [
        ("three_public_total_equals_sum_of_parts", 15, "479,100.00"),
        ("three_public_vehicle_equals_purchase_plus_operation", 15, "465,600.00"),
    ]


@pytest.mark.integration
def test_three_public_missing_a_needed_column_blocks(gx_root: Path) -> None:
    frame = three_public(THREE_PUBLIC).drop(columns=["category"])
    (finding,) = blocks(validate_document(DOC, {"three_public": frame}, gx_root))
    assert finding.check == "required_column_present"
    assert "'category'" in finding.detail and "three_public" in finding.detail
    assert finding.reason == "invalid_values"  # a missing column is no broken identity


@pytest.mark.integration
def test_a_broken_identity_carries_its_reason(gx_root: Path) -> None:
    frame = three_public(THREE_PUBLIC | {"total": "50.00"})  # its parts sum to 47.91
    findings = blocks(validate_document(DOC, {"three_public": frame}, gx_root))
    assert findings and {f.reason for f in findings} == {"reconciliation"}


@pytest.mark.integration
def test_table_inventory_and_empty_families_are_facts_not_errors(gx_root: Path) -> None:
    tables = conform(
        pd.DataFrame.from_records(
            [
                {
                    "document_id": DOC,
                    "table_index": 6,
                    "page_number": 27,
                    "last_page_number": 27,
                    "table_title": "2024年部门政府性基金预算支出功能分类预算表",
                    "family": None,
                    "row_count": 0,
                    "is_empty": True,
                }
            ]
        ),
        "tables",
    )
    frames = {
        "tables": tables,
        "basic_expenditure": basic([]),
        "three_public": three_public({}),
        "narrative_totals": conform(pd.DataFrame(), "narrative_totals"),  # gate 2 checks it
    }
    assert validate_document(DOC, frames, gx_root) == []


# --------------------------------------------------------------------------- real documents


def staged_frames(pdf: Path, tmp_path: Path) -> dict[str, pd.DataFrame]:
    """The staged frames of a real PDF, as the pipeline hands them to gate 1."""
    from extract.document import extract_document, read_staging, write_staging

    extracted = extract_document(pdf, document_id=DOC, source_uri=str(pdf))
    return read_staging(write_staging(extracted, tmp_path / "staging"))


@pytest.mark.integration
def test_real_doc_a_passes_with_no_block(tmp_path: Path, gx_root: Path) -> None:
    from tests.conftest import SAMPLES

    frames = staged_frames(SAMPLES / "doc_a.pdf", tmp_path)
    assert {"basic_expenditure", "three_public", "narrative_totals", "tables"} <= {
        name for name, frame in frames.items() if len(frame)
    }
    findings = validate_document(DOC, frames, gx_root)
    assert blocks(findings) == [], [f.detail for f in blocks(findings)]
    # the rounding cases are checked, not skipped
    basic_records, _ = basic_identities(DOC, frames["basic_expenditure"])
    personnel = [
        r for r in basic_records if r["check"] == "basic_table_personnel_equals_sum_of_rows"
    ]
    assert [(r["actual"], r["expected"]) for r in personnel] == [("30,680,000.00", "30,679,000.00")]


@pytest.mark.integration
def test_basic_and_three_public_identities_hold_in_every_real_document(tmp_path: Path) -> None:
    from tests.conftest import REAL

    pdfs = sorted(REAL.glob("*.pdf"))
    assert len(pdfs) == 8
    for pdf in pdfs:
        frames = staged_frames(pdf, tmp_path / pdf.stem)
        basic = frames["basic_expenditure"]
        basic_records, basic_errors = basic_identities(DOC, basic)
        public_records, public_errors = three_public_identities(DOC, frames["three_public"])
        assert basic_errors == public_errors == [], pdf.name
        # every row's split, every 类 row's 款 (three columns) and the 合计 row's are checked
        classes = int((basic["economic_code"].str.len() == 3).sum())
        assert Counter(r["check"] for r in basic_records) == {
            "basic_amount_equals_personnel_plus_public": len(basic),
            "basic_amount_equals_sum_of_children": classes,
            "basic_personnel_equals_sum_of_children": classes,
            "basic_public_equals_sum_of_children": classes,
            "basic_table_amount_equals_sum_of_rows": 1,
            "basic_table_personnel_equals_sum_of_rows": 1,
            "basic_table_public_equals_sum_of_rows": 1,
        }, pdf.name
        assert [r["check"] for r in public_records] == [
            "three_public_total_equals_sum_of_parts",
            "three_public_vehicle_equals_purchase_plus_operation",
        ], pdf.name
        failing = [r["detail"] for r in basic_records + public_records if r["excess"] > 0]
        assert failing == [], pdf.name


# --------------------------------------------------------------------------- gate 2: new marts


def add_basic_marts(
    path: Path,
    *,
    drift: str = "0",
    economic_dim: bool = True,
) -> Path:
    """Add the economic-code, 三公 and project marts (and raw.basic_expenditure) to a
    warehouse of build_warehouse: 合计 1,240.0 万元 on page 14 over three 款 rows."""
    con = duckdb.connect(str(path))
    if not economic_dim:
        con.execute("drop table marts.dim_economic_code")
    else:
        con.execute(
            """
            create or replace table marts.dim_economic_code as
            select * from (values
                ('301', '工资福利支出', null, '501', '机关工资福利支出'),
                ('30101', '基本工资', '301', '50101', '工资奖金津补贴'),
                ('30102', '津贴补贴', '301', '50101', '工资奖金津补贴'),
                ('302', '商品和服务支出', null, '502', '机关商品和服务支出'),
                ('30201', '办公费', '302', '50201', '办公经费')
            ) as t(economic_code, name, parent_code, gov_economic_code, gov_economic_name)
            """
        )
    third = "30201"
    con.execute(
        f"""
        create or replace table marts.fct_basic_expenditure as
        select document_id, department_key, fiscal_year, economic_code,
               cast(amount_yuan as decimal(20, 2)) as amount_yuan, page_number
        from (values
            ('{DOC}', 1, 2024, '30101', 6000000, 14),
            ('{DOC}', 1, 2024, '30102', 4000000, 14),
            ('{DOC}', 1, 2024, '{third}', 2400000 + {drift}, 14)
        ) as t(document_id, department_key, fiscal_year, economic_code, amount_yuan,
               page_number)
        """
    )
    con.execute(
        f"""
        create or replace table raw.basic_expenditure as
        select * from (values
            ('{DOC}', 14, 4, 0, '{BASIC_TITLE}', '万元', 1, 'total', null,
             cast(12400000 as decimal(20, 2))),
            ('{DOC}', 14, 4, 1, '{BASIC_TITLE}', '万元', 1, 'code', '30101',
             cast(6000000 as decimal(20, 2)))
        ) as t(document_id, page_number, table_index, row_index, table_title, amount_unit,
               decimals, row_kind, economic_code, amount_yuan)
        """
    )
    con.execute(
        f"""
        create or replace table marts.fct_three_public as
        select * from (values
            ('{DOC}', 1, 2024, 'total', cast(479100 as decimal(20, 2))),
            ('{DOC}', 1, 2024, 'reception', cast(13500 as decimal(20, 2)))
        ) as t(document_id, department_key, fiscal_year, category, amount_yuan)
        """
    )
    second_key = "p2"
    con.execute(
        f"""
        create or replace table marts.dim_project as
        select * from (values
            ('p1', '信息化运维', 'P001', 1, 2024, '其他运转类', cast(120000 as decimal(20, 2))),
            ('{second_key}', '培训', null, 1, 2024, '特定目标类', null)
        ) as t(project_key, project_name, project_code, department_key, fiscal_year,
               project_type, amount_yuan)
        """
    )
    complete_marts(con, but=() if economic_dim else ("dim_economic_code",))
    con.close()
    return path


@pytest.mark.integration
def test_new_marts_pass(tmp_path: Path, gx_root: Path) -> None:
    warehouse = add_basic_marts(build_warehouse(tmp_path / "warehouse.duckdb"))
    assert validate_marts(warehouse, gx_root) == []


@pytest.mark.integration
def test_basic_expenditure_total_drifting_from_raw_total_blocks(
    tmp_path: Path, gx_root: Path
) -> None:
    # 0.1 万元 over three rows is within rounding; 1 万元 is not.
    ok = add_basic_marts(build_warehouse(tmp_path / "ok.duckdb"), drift="1000")
    assert validate_marts(ok, gx_root) == []
    bad = add_basic_marts(build_warehouse(tmp_path / "bad.duckdb"), drift="10000")
    (finding,) = blocks(validate_marts(bad, gx_root))
    assert finding.check == "fct_basic_expenditure_total_equals_raw_total"
    assert finding.document_id == DOC and finding.page_number == 14
    assert finding.table_title == BASIC_TITLE
    assert "1,240.0 万元" in finding.detail and "1,241.0 万元" in finding.detail


@pytest.mark.integration
def test_a_new_mart_needs_its_dimension(tmp_path: Path, gx_root: Path) -> None:
    # (keys and relationships are dbt's tests, dbt_project/models/marts/*.yml)
    no_dim = add_basic_marts(build_warehouse(tmp_path / "no_dim.duckdb"), economic_dim=False)
    (finding,) = blocks(validate_marts(no_dim, gx_root))
    assert finding.check == "mart_table_present"
    assert "marts.dim_economic_code" in finding.detail
