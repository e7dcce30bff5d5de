"""Gate 1 and gate 2 against real Great Expectations (file context under tmp_path)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations import Finding, validate_document, validate_marts
from expectations.findings import UNIT_FACTORS, fmt_printed, tolerance_yuan
from expectations.identities import function_identity_frame

pytestmark = pytest.mark.integration

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


def test_reconciling_document_has_no_findings_and_builds_data_docs(tmp_path: Path) -> None:
    frames = {
        "function_expenditure": expenditure(RECONCILING),
        "indicators": indicators([{}]),
        "projects": projects(),
    }
    findings = validate_document(DOC, frames, tmp_path / "gx")
    assert findings == []
    index = tmp_path / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    assert index.is_file()


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


def test_total_row_within_rounding_of_ten_one_decimal_rows_passes(gx_root: Path) -> None:
    # Real documents print a 合计 0.1 万元 off the sum of their rounded rows.
    rows = [("total", None, "合计", "100.1", None, None)]
    rows += [("code", f"2{i:02d}", f"类{i}", "10.0", None, None) for i in range(1, 11)]
    assert (
        blocks(validate_document(DOC, {"function_expenditure": expenditure(rows)}, gx_root)) == []
    )


def test_total_row_far_off_its_class_rows_blocks(gx_root: Path) -> None:
    rows = [("total", None, "合计", "101.0", None, None)]
    rows += [("code", f"2{i:02d}", f"类{i}", "10.0", None, None) for i in range(1, 11)]
    (finding,) = blocks(
        validate_document(DOC, {"function_expenditure": expenditure(rows)}, gx_root)
    )
    assert finding.check == "table_total_equals_sum_of_rows"
    assert "101.0 万元" in finding.detail and "100.0 万元" in finding.detail


def test_one_yuan_slip_in_a_yuan_table_with_two_decimals_passes(gx_root: Path) -> None:
    rows = [
        ("total", None, "合计", "1,000.00", None, None),
        ("code", "201", "一般公共服务支出", "1,000.00", None, None),
        ("code", "20101", "人大事务", "600.00", None, None),
        ("code", "20102", "政协事务", "399.00", None, None),  # children sum to 999.00
    ]
    frame = expenditure(rows, unit="元", decimals=2)
    assert blocks(validate_document(DOC, {"function_expenditure": frame}, gx_root)) == []


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


def test_missing_required_column_blocks(gx_root: Path) -> None:
    frame = expenditure(RECONCILING).drop(columns=["budget_scope"])
    findings = blocks(validate_document(DOC, {"function_expenditure": frame}, gx_root))
    assert [f.check for f in findings] == ["required_column_present"]
    assert "budget_scope" in findings[0].detail


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


def test_empty_frames_are_facts_not_errors(gx_root: Path) -> None:
    frames = {
        "function_expenditure": expenditure([]),
        "indicators": pd.DataFrame(),
        "projects": projects().iloc[0:0],
    }
    assert validate_document(DOC, frames, gx_root) == []


def test_rows_of_another_document_block(gx_root: Path) -> None:
    frame = projects()
    frame["document_id"] = "e" * 64
    findings = validate_document(DOC, {"projects": frame}, gx_root)
    assert [f.check for f in blocks(findings)] == ["lineage_document_matches"]


# --------------------------------------------------------------------------- gate 2


def build_warehouse(path: Path, *, orphan: bool = False, drift: str = "0") -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create schema raw")
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
        select * from (values ('{DOC}', 'a.pdf', 'file:///a.pdf', 2024, 1, 'department', 40,
                               timestamp '2024-03-01 00:00:00'))
        as t(document_id, file_name, source_uri, fiscal_year, department_key, budget_level,
             page_count, loaded_at)
        """
    )
    second_code = "2089999" if orphan else "2010102"
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
    con.close()
    return path


def test_marts_pass(tmp_path: Path) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb")
    assert validate_marts(warehouse, tmp_path / "gx") == []
    assert (
        tmp_path / "gx" / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    ).is_file()


def test_orphan_function_code_blocks(tmp_path: Path, gx_root: Path) -> None:
    warehouse = build_warehouse(tmp_path / "warehouse.duckdb", orphan=True)
    (finding,) = blocks(validate_marts(warehouse, gx_root))
    assert finding.check == "fct_expenditure_function_code_in_dim_function_code"
    assert finding.document_id == DOC
    assert "2089999" in finding.detail and "marts.dim_function_code" in finding.detail


def test_marts_total_drifting_from_raw_total_blocks(tmp_path: Path, gx_root: Path) -> None:
    # 0.1 万元 over two rows is within rounding; 1 万元 is not.
    ok = build_warehouse(tmp_path / "ok.duckdb", drift="1000")
    assert validate_marts(ok, gx_root) == []
    bad = build_warehouse(tmp_path / "bad.duckdb", drift="10000")
    (finding,) = blocks(validate_marts(bad, gx_root))
    assert finding.check == "fct_expenditure_total_equals_raw_total"
    assert finding.document_id == DOC and finding.page_number == 12
    assert "500.0 万元" in finding.detail and "501.0 万元" in finding.detail


def test_a_removed_gx_project_is_set_up_again(tmp_path: Path) -> None:
    import shutil

    frames = {"projects": projects()}
    assert validate_document(DOC, frames, tmp_path / "gx") == []
    shutil.rmtree(tmp_path / "gx")
    assert validate_document(DOC, frames, tmp_path / "gx") == []
    assert (tmp_path / "gx" / "gx" / "checkpoints" / "staged.projects.checkpoint.json").is_file()


def test_a_new_process_reuses_an_existing_gx_project(gx_root: Path) -> None:
    from expectations import runtime

    frames = {"projects": projects()}
    assert validate_document(DOC, frames, gx_root) == []
    runtime._RUNTIMES.clear()  # as a fresh worker process would start
    assert validate_document(DOC, frames, gx_root) == []
