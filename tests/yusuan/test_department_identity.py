"""Two counties' 财政局 are two departments, and re-issuing one replaces only its own budget.

A province's crawl gives a catalog naming each document's county; the documents print the
same department name (财政局) and the same year. The identity is the name within its region
and province (extract/departments.py): dim_department holds two departments, and a forced
re-issue of one county's budget (tools.province, another seed: other numbers, other bytes)
supersedes that county's document alone.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tools import province
from tools import samplegen as sg

pytestmark = pytest.mark.integration
NAME = "财政局"
YEAR = 2025
COUNTIES = ("杞县", "兰考县")


def printing(spec: sg.DocumentSpec, name: str) -> sg.DocumentSpec:
    """`spec` with the department printed as `name` on every table."""
    tables = tuple(
        replace(table, department=name, unit=name)
        if isinstance(table, sg.ProjectForm)
        else replace(table, department=name)
        if isinstance(table, sg.DepartmentPerformanceTable)
        else table
        for table in spec.tables
    )
    return replace(spec, department=name, tables=tables)


def budget(county: str, seed: int) -> sg.DocumentSpec:
    kind = next(k for k in province.DEPARTMENTS if k.name == NAME)
    return printing(province.spec(province.Budget(county, kind, YEAR), seed), NAME)


def load(catalog: Path, warehouse: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "load", str(catalog), "--warehouse", str(warehouse),
         "--home", str(warehouse.parent / "home"), "--workers", "2", *flags],
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def live(warehouse: Path) -> list[tuple[Any, ...]]:
    """(region, department, file) of every document in the marts."""
    return query(
        warehouse,
        """select dep.region, dep.department_name, doc.file_name from marts.dim_document doc
           join marts.dim_department dep using (department_key) order by 1""",
    )


def test_same_name_in_two_counties_is_two_departments_and_a_reissue_replaces_its_own(
    tmp_path: Path,
) -> None:
    pdfs = tmp_path / "pdfs"
    first = [budget(county, seed=0) for county in COUNTIES]
    rendered = province.render(first, pdfs).paths
    warehouse = tmp_path / "warehouse.duckdb"
    # GIVEN the 财政局 budgets of two counties of one year, the catalog naming each county
    done = load(province.catalog(pdfs / "first.yaml", first, rendered), warehouse)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 loaded, 0 partial, 0 quarantined, 0 skipped" in done.stdout, done.stdout
    # THEN they are two departments of one name, each with its county
    departments = query(
        warehouse, "select department_name, region, province from marts.dim_department order by 2"
    )
    assert departments == [(NAME, "兰考县", "河南省"), (NAME, "杞县", "河南省")]
    qi, lankao = (path.name for path in rendered)
    assert live(warehouse) == [("兰考县", NAME, lankao), ("杞县", NAME, qi)]

    # WHEN 杞县 re-issues its budget (other figures) and it is loaded with --force
    reissue = [budget(COUNTIES[0], seed=1)]
    [corrected] = province.render(reissue, pdfs).paths
    done = load(province.catalog(pdfs / "reissue.yaml", reissue, [corrected]), warehouse, "--force")
    # THEN it replaces 杞县's document, and 兰考县's stays live
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 loaded, 0 partial, 0 quarantined, 1 skipped" in done.stdout, done.stdout
    assert f"skipped     {qi}: superseded" in done.stdout
    assert live(warehouse) == [("兰考县", NAME, lankao), ("杞县", NAME, corrected.name)]
    assert query(warehouse, "select count(*) from marts.dim_department") == [(2,)]
