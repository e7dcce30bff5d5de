"""A re-issued budget PDF (a corrected version: same department, fiscal year and budget
level, other bytes) is another version of the one loaded: the loaded one stays live;
with --force the re-issue replaces it (tests/yusuan/test_versions.py: which version wins).

The two issues are rendered from the Shanghai-style sample spec (tools/samplegen.py):
the correction raises one 项 amount, and its 款, 类 and 合计 with it, so both reconcile.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tools import samplegen as sg
from yusuan.settings import DEFAULT_DBT_PROJECT

pytestmark = pytest.mark.integration
SPEC = next(s for s in sg.DEFAULT_SPECS if s.file_name == "shanghai_style_yuan_2023.pdf")
CODE = "2070101"  # 行政运行 (文化和旅游)
ORIGINAL = SPEC.function_table("general_public_budget").row(CODE).total
DELTA = Decimal("12000.00")


def corrected(spec: sg.DocumentSpec, code: str, delta: Decimal) -> sg.DocumentSpec:
    """`spec` with the basic expenditure of 项 `code` raised by `delta`, parents included,
    funded by a fiscal grant: the 收支总表 and the 收入总表 say so too, so that every table
    of the corrected issue agrees with every other."""

    def on_path(row: sg.FunctionRow | sg.IncomeRow) -> bool:
        return row.kind != "code" or code.startswith(row.code or "-")

    def bump(row: sg.FunctionRow) -> sg.FunctionRow:
        if not on_path(row):
            return row
        personnel = None if row.personnel is None else row.personnel + delta
        return replace(row, total=row.total + delta, basic=row.basic + delta, personnel=personnel)

    def bump_income(table: sg.IncomeTable) -> sg.IncomeTable:
        raised = [key in ("total", "fiscal_grant") for key, _ in table.sources]

        def bump_row(row: sg.IncomeRow) -> sg.IncomeRow:
            pairs = zip(row.amounts, raised, strict=True)
            return replace(row, amounts=tuple(a + delta if up else a for a, up in pairs))

        return replace(table, rows=tuple(bump_row(r) if on_path(r) else r for r in table.rows))

    tables = tuple(
        replace(t, rows=tuple(bump(r) for r in t.rows)) if isinstance(t, sg.FunctionTable) else t
        for t in spec.tables
    )
    functions = {t.scope: t for t in tables if isinstance(t, sg.FunctionTable)}
    tables = tuple(
        sg._shanghai_summary(t.title, functions["all_funds"], functions["general_public_budget"])
        if isinstance(t, sg.BudgetSummaryTable)
        else bump_income(t)
        if isinstance(t, sg.IncomeTable)
        else t
        for t in tables
    )
    return replace(spec, tables=tables)


def render(spec: sg.DocumentSpec, path: Path) -> Path:
    return sg.render(spec, path).path


def unit_budget(spec: sg.DocumentSpec) -> sg.DocumentSpec:
    """The 单位预算 of the same department and year (the cover says so)."""
    return replace(spec, title=spec.title.replace("部门预算", "单位预算"))


def load(
    source: Path, warehouse: Path, *flags: str, dbt_project: Path = DEFAULT_DBT_PROJECT
) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"YUSUAN_DBT_PROJECT": str(dbt_project)}
    return subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "load", str(source), "--warehouse", str(warehouse),
         "--home", str(warehouse.parent / "home"), "--workers", "1", *flags],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


def query(warehouse: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def totals(warehouse: Path) -> list[tuple[str, Decimal]]:
    """File and general-public-budget total of CODE, per loaded document."""
    return query(
        warehouse,
        """select d.file_name, f.total_yuan from marts.fct_expenditure f
           join marts.dim_document d using (document_id)
           where f.function_code = ? and f.budget_scope = 'general_public_budget'
           order by 1""",
        CODE,
    )


def audit(warehouse: Path, file_name: str) -> list[tuple[Any, ...]]:
    return query(
        warehouse,
        """select status, reason, detail from audit.document_loads
           where file_name = ? order by checked_at""",
        file_name,
    )


def sha(warehouse: Path, file_name: str) -> str:
    [(digest,)] = query(
        warehouse,
        "select distinct document_id from audit.document_loads where file_name = ?",
        file_name,
    )
    return str(digest)


@pytest.fixture(scope="module")
def issues(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The original and the corrected PDF of one budget."""
    out = tmp_path_factory.mktemp("issues")
    first = render(SPEC, out / "culture_2023.pdf")
    second = render(corrected(SPEC, CODE, DELTA), out / "culture_2023_corrected.pdf")
    assert first.read_bytes() != second.read_bytes()
    return first, second


def test_reissue_is_another_version_and_force_replaces_the_loaded_one(
    issues: tuple[Path, Path], tmp_path: Path
) -> None:
    first, second = issues
    warehouse = tmp_path / "bi.duckdb"
    # GIVEN a warehouse holding the original budget
    done = load(first, warehouse)
    assert done.returncode == 0, done.stdout + done.stderr
    assert totals(warehouse) == [(first.name, ORIGINAL)]
    old_id = sha(warehouse, first.name)

    # WHEN the department re-publishes it with one amount corrected
    done = load(second, warehouse)
    # THEN the re-issue is skipped as another version, naming the loaded document and the key
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 loaded, 0 partial, 0 quarantined, 1 skipped" in done.stdout
    [(status, reason, detail)] = audit(warehouse, second.name)
    assert (status, reason) == ("skipped", "other_version")
    assert first.name in detail and old_id[:12] in detail
    assert f"({SPEC.department}, {SPEC.fiscal_year}, department)" in detail
    # AND the marts keep the old numbers, once
    assert totals(warehouse) == [(first.name, ORIGINAL)]

    # WHEN it is loaded again with --force
    done = load(second, warehouse, "--force")
    # THEN it replaces the original: new numbers, the old document gone from the marts
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 loaded, 0 partial, 0 quarantined, 1 skipped" in done.stdout
    assert f"skipped     {first.name}: superseded" in done.stdout
    assert totals(warehouse) == [(second.name, ORIGINAL + DELTA)]
    new_id = sha(warehouse, second.name)
    assert query(warehouse, "select document_id from marts.dim_document") == [(new_id,)]
    # (its 收支总表 and 收入总表 agree with its function tables: not even a warning; the
    # narrative still states the old totals and warns)
    checks = query(warehouse, 'select "check" from audit.findings where document_id = ?', new_id)
    assert checks and all(check.startswith("narrative_") for (check,) in checks)
    assert query(warehouse, "select count(*) from raw.documents where document_id = ?", old_id) == [
        (0,)
    ]
    # AND the audit says which document replaced which
    status, reason, detail = audit(warehouse, first.name)[-1]
    assert (status, reason) == ("skipped", "superseded")
    assert second.name in detail and new_id[:12] in detail
    status, reason, detail = audit(warehouse, second.name)[-1]
    assert (status, reason) == ("loaded", None)
    assert first.name in detail and old_id[:12] in detail

    # WHEN the scheduled load then runs over a folder that keeps both issues, plain and forced
    folder = tmp_path / "sources"
    folder.mkdir()
    for path in issues:
        shutil.copy(path, folder / path.name)
    for flags in ((), ("--force",)):
        done = load(folder, warehouse, *flags)
        assert done.returncode == 0, done.stdout + done.stderr
        # THEN the replaced issue stays replaced: skipped, never loaded again
        status, reason, detail = audit(warehouse, first.name)[-1]
        assert (status, reason) == ("skipped", "superseded"), flags
        assert "0 quarantined" in done.stdout
        assert totals(warehouse) == [(second.name, ORIGINAL + DELTA)]


def test_forced_run_over_both_issues_installs_the_new_one(
    issues: tuple[Path, Path], tmp_path: Path
) -> None:
    # GIVEN a warehouse holding the original, and a folder with both issues (the original
    # first in name order)
    first, second = issues
    warehouse = tmp_path / "bi.duckdb"
    assert load(first, warehouse).returncode == 0
    folder = tmp_path / "sources"
    folder.mkdir()
    for path in issues:
        shutil.copy(path, folder / path.name)
    # WHEN the folder is loaded with --force
    done = load(folder, warehouse, "--force")
    # THEN the new issue replaces the re-loaded original, whatever the file order
    assert done.returncode == 0, done.stdout + done.stderr
    assert totals(warehouse) == [(second.name, ORIGINAL + DELTA)]
    # AND the run records one verdict per document: the original superseded, not also loaded
    run = query(warehouse, "select max(run_id) from audit.document_loads")[0][0]
    verdicts = query(
        warehouse,
        "select file_name, status, reason from audit.document_loads where run_id = ? order by 1",
        run,
    )
    assert verdicts == [(first.name, "skipped", "superseded"), (second.name, "loaded", None)]


def test_two_issues_in_one_run_load_the_later_and_a_unit_budget_still_loads(
    issues: tuple[Path, Path], tmp_path: Path
) -> None:
    # GIVEN both issues of the department budget and the 单位预算 of the same year
    folder = tmp_path / "sources"
    folder.mkdir()
    for path in issues:
        shutil.copy(path, folder / path.name)
    unit = render(unit_budget(SPEC), folder / "culture_2023_unit.pdf")
    warehouse = tmp_path / "bi.duckdb"
    # WHEN they are loaded in one run (both whole; the correction later by name), even forced
    done = load(folder, warehouse, "--force")
    # THEN the later issue and the unit budget load, the first issue is another version
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 loaded, 0 partial, 0 quarantined, 1 skipped" in done.stdout
    first, second = issues
    [(status, reason, detail)] = audit(warehouse, first.name)
    assert (status, reason) == ("skipped", "other_version")
    assert "it comes later in the sources" in detail and second.name in detail
    assert query(
        warehouse, "select file_name, budget_level from marts.dim_document order by 1"
    ) == [(second.name, "department"), (unit.name, "unit")]
    assert totals(warehouse) == [(second.name, ORIGINAL + DELTA), (unit.name, ORIGINAL)]


def test_a_forced_reissue_in_a_failed_run_supersedes_nothing(
    issues: tuple[Path, Path], tmp_path: Path
) -> None:
    first, second = issues
    warehouse = tmp_path / "bi.duckdb"
    # GIVEN the original loaded, and a dbt project whose build fails
    assert load(first, warehouse).returncode == 0
    broken = tmp_path / "dbt_project"
    shutil.copytree(DEFAULT_DBT_PROJECT, broken, ignore=shutil.ignore_patterns("target", "logs"))
    (broken / "tests" / "always_fails.sql").write_text("select 1 as failing_row\n")
    # WHEN the re-issue is forced in with it
    failed = load(second, warehouse, "--force", dbt_project=broken)
    # THEN the run fails, BI keeps the original, and its audit does not say it was superseded
    assert failed.returncode == 1
    assert totals(warehouse) == [(first.name, ORIGINAL)]
    assert [row[:2] for row in audit(warehouse, first.name)] == [("loaded", None)]
    assert [row[:2] for row in audit(warehouse, second.name)] == [
        ("quarantined", "transform_failed")
    ]
