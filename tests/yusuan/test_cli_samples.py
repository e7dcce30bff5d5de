"""`yusuan load` on the two sample PDFs reproduces their golden JSON in the marts."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import SAMPLES
from yusuan import pipeline

pytestmark = pytest.mark.integration
WAN = Decimal(10000)


@pytest.fixture(scope="module")
def loaded(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """Run the CLI once, from an unrelated working directory, on the sample folder."""
    tmp = tmp_path_factory.mktemp("cli")
    warehouse = tmp / "bi" / "yusuan.duckdb"
    result = subprocess.run(
        [
            sys.executable, "-m", "yusuan.cli", "load", str(SAMPLES),
            "--warehouse", str(warehouse), "--home", str(tmp / "home"),
        ],
        cwd=tmp, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return warehouse, result


def golden(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / f"{name}.json").read_text())
    return data


def query(warehouse: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_cli_prints_summary_and_loads_both_samples(loaded: tuple[Path, Any]) -> None:
    warehouse, result = loaded
    assert "2 loaded, 0 partial, 0 quarantined, 0 skipped" in result.stdout
    assert "marts.fct_expenditure" in result.stdout
    statuses = query(warehouse, "select file_name, status from audit.document_loads order by 1")
    assert statuses == [("doc_a.pdf", "loaded"), ("doc_b.pdf", "loaded")]
    # AND each step's time, in order; no progress bar, as stderr is not a terminal
    [stages] = [line for line in result.stdout.splitlines() if line.startswith("stages: ")]
    steps = [part.split()[0] for part in stages.removeprefix("stages: ").split(", ")]
    assert steps == list(pipeline.STEPS)
    assert "pages/s" not in result.stderr


@pytest.mark.parametrize(
    ("family", "scope"),
    [("function_rows", "general_public_budget"), ("function_rows_all_funds", "all_funds")],
)
def test_expenditure_rows_match_golden(loaded: tuple[Path, Any], family: str, scope: str) -> None:
    warehouse, _ = loaded
    expected = {
        (r["code"], r["name"], Decimal(str(r["total"])) * WAN, Decimal(str(r["basic"])) * WAN,
         Decimal(str(r["project"])) * WAN)
        for r in golden("doc_a")[family]
    }  # fmt: skip
    rows = query(
        warehouse,
        """
        select f.function_code, c.names, f.total_yuan, f.basic_yuan, f.project_yuan
        from marts.fct_expenditure f
        join marts.dim_document d using (document_id)
        left join marts.dim_function_code c using (function_code)
        where d.file_name = 'doc_a.pdf' and f.budget_scope = ?
        """,
        scope,
    )
    got = {(code, total, basic, project) for code, _, total, basic, project in rows}
    assert got == {(code, total, basic, project) for code, _, total, basic, project in expected}
    assert len(rows) == len(expected)
    # dim_function_code.name is the latest printed name; the golden one is among its names
    printed = {(code, name) for code, names, *_ in rows for name in names or []}
    assert {(code, name) for code, name, *_ in expected} <= printed


def test_expenditure_amounts_are_exact_yuan(loaded: tuple[Path, Any]) -> None:
    warehouse, _ = loaded
    [(total, page)] = query(
        warehouse,
        """
        select f.total_yuan, f.page_number from marts.fct_expenditure f
        join marts.dim_document d using (document_id)
        where d.file_name = 'doc_a.pdf' and f.function_code = '2069901'
          and f.budget_scope = 'general_public_budget'
        """,
    )
    assert total == Decimal("636260000.00")  # 63,626.0 万元
    assert page == 12


def _indicator_rows(warehouse: Path, file_name: str, scope: str) -> list[tuple[Any, ...]]:
    return query(
        warehouse,
        """
        select coalesce(p.project_name, ''), i.level1_name, i.level2_name, i.level3_name,
               i.target_raw, i.description
        from marts.fct_indicator i
        join marts.dim_document d using (document_id)
        left join marts.dim_project p using (project_key)
        where d.file_name = ? and i.scope = ?
        order by i.page_number, i.table_index, i.row_index
        """,
        file_name,
        scope,
    )


@pytest.mark.parametrize(("name", "scope"), [("doc_a", "department"), ("doc_b", "project")])
def test_indicator_rows_match_golden(loaded: tuple[Path, Any], name: str, scope: str) -> None:
    warehouse, _ = loaded
    expected = [
        (
            r["project"] or "",
            r["level1"],
            r["level2"],
            r["level3"],
            r["value_raw"],
            r["description"],
        )
        for r in golden(name)["indicators"]
        if r["scope"] == scope
    ]
    assert _indicator_rows(warehouse, f"{name}.pdf", scope) == expected


def test_each_project_form_keeps_its_own_department(loaded: tuple[Path, Any]) -> None:
    warehouse, _ = loaded
    rows = query(
        warehouse,
        """
        select p.project_name, dep.department_name, p.amount_yuan
        from marts.dim_project p join marts.dim_department dep using (department_key)
        order by p.project_name
        """,
    )
    expected = sorted(
        (p["name"], p["department"], Decimal(str(p["amount_wan"])) * WAN)
        for p in golden("doc_b")["projects"]
    )
    assert [r for r in rows if r[0] in {e[0] for e in expected}] == expected


def test_indicator_targets_are_parsed(loaded: tuple[Path, Any]) -> None:
    warehouse, _ = loaded
    rows = query(
        warehouse,
        """
        select target_raw, comparator, target_value, target_unit from marts.fct_indicator
        where level3_name in ('财政科技投入', '发生科研失信行为项目数量', '资金下达时间')
        order by level3_name
        """,
    )
    assert ("≤2580万元", "<=", Decimal("2580"), "万元") in [
        (r[0], r[1], r[2].normalize() if r[2] is not None else None, r[3]) for r in rows
    ]
    assert ("<2项", "<", 2, "项") in [(r[0], r[1], r[2], r[3]) for r in rows]
    assert ("预算批复60日内", None, None, None) in rows


def test_second_run_skips_loaded_documents(loaded: tuple[Path, Any], tmp_path: Path) -> None:
    warehouse, _ = loaded
    home = warehouse.parent.parent / "home"
    built = (home / "dbt" / "target" / "run_results.json").stat().st_mtime_ns
    result = subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "load", str(SAMPLES / "doc_b.pdf"),
         "--warehouse", str(warehouse), "--home", str(home)],
        cwd=tmp_path, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "0 loaded, 0 partial, 0 quarantined, 1 skipped" in result.stdout
    # the marts still hold both documents
    assert query(warehouse, "select count(*) from marts.dim_document") == [(2,)]
    # AND a run that loads nothing published its verdict without a dbt build
    assert "the verdicts alone" in result.stderr
    assert (home / "dbt" / "target" / "run_results.json").stat().st_mtime_ns == built
    verdicts = query(
        warehouse,
        "select status, reason from audit.document_loads where file_name = 'doc_b.pdf'"
        " order by checked_at",
    )
    assert verdicts == [("loaded", None), ("skipped", "already_loaded")]


def test_summary_table_indicators_match_golden(loaded: tuple[Path, Any]) -> None:
    # the wide 绩效目标汇总表 prints several indicators per row: compare as a multiset
    warehouse, _ = loaded
    expected = sorted(
        (r["project"], r["level1"], r["level2"] or "", r["level3"], r["value_raw"])
        for r in golden("doc_a")["indicators"]
        if r["scope"] == "project"
    )
    rows = _indicator_rows(warehouse, "doc_a.pdf", "project")
    assert sorted((p, l1, l2 or "", l3, v) for p, l1, l2, l3, v, _ in rows) == expected


def test_economic_rows_match_golden(loaded: tuple[Path, Any]) -> None:
    warehouse, _ = loaded
    expected = {
        (r["code"], r["name"], Decimal(str(r["amount"])) * WAN, r["gov_code"], r["kind"])
        for r in golden("doc_a")["economic_rows"]
    }
    got = query(
        warehouse,
        """
        select f.economic_code, e.name, f.amount_yuan, f.gov_economic_code, f.kind
        from marts.fct_basic_expenditure f
        join marts.dim_document d using (document_id)
        join marts.dim_economic_code e using (economic_code)
        where d.file_name = 'doc_a.pdf'
        """,
    )
    assert set(got) == expected
    assert len(got) == len(expected)


def test_three_public_matches_golden(loaded: tuple[Path, Any]) -> None:
    warehouse, _ = loaded
    expected = {k: Decimal(str(v)) * WAN for k, v in golden("doc_a")["three_public"].items()}
    sql = """select f.category, f.amount_yuan from marts.fct_three_public f
             join marts.dim_document d using (document_id) where d.file_name = 'doc_a.pdf'"""
    assert dict(query(warehouse, sql)) == expected


def test_projects_of_the_project_table_match_golden(loaded: tuple[Path, Any]) -> None:
    warehouse, _ = loaded
    projects = golden("doc_a")["projects"]
    expected = {(p["name"], Decimal(str(p["amount_wan"])) * WAN, p["type"]) for p in projects}
    sql = """select p.project_name, p.amount_yuan, p.project_type from marts.dim_project p
             join marts.dim_department dep using (department_key)
             where dep.department_name = '郑州高新技术产业开发区经济发展部'"""
    assert set(query(warehouse, sql)) == expected
    codes = dict(query(warehouse, "select project_name, project_code from marts.dim_project"))
    assert all(codes[p["name"]] == p["code"] for p in projects if p.get("code"))
