"""Versions of one budget (yusuan.versions): the one that loads whole beats one gate 1
loads in part, in one run and across runs; between equally good versions the later one
wins; a live version held after gate 1 gives way to one that loads whole.

The versions are rendered from the Shanghai-style sample spec: a corrected one (one 项
amount raised with its parents: every table agrees) and an unreconciled one (the 项 row
raised alone: gate 1 holds its 一般公共预算 function table).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import project_with_test
from tests.yusuan.test_reissued import CODE, ORIGINAL, SPEC, audit, corrected, load, totals
from tools import samplegen as sg

pytestmark = pytest.mark.integration
DELTA = Decimal("12000.00")


def unreconciled(spec: sg.DocumentSpec, code: str, delta: Decimal) -> sg.DocumentSpec:
    """`spec` with 项 `code` of its 一般公共预算 table raised alone: its 款 no longer sums."""

    def bump(row: sg.FunctionRow) -> sg.FunctionRow:
        if row.code != code:
            return row
        return replace(row, total=row.total + delta, basic=row.basic + delta)

    tables = tuple(
        replace(t, rows=tuple(bump(r) for r in t.rows))
        if isinstance(t, sg.FunctionTable) and t.scope == "general_public_budget"
        else t
        for t in spec.tables
    )
    return replace(spec, tables=tables)


def folder_of(tmp_path: Path, *specs: tuple[str, sg.DocumentSpec]) -> Path:
    """A folder with the versions, rendered in the order given (the PDFs' dates follow)."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for name, spec in specs:
        sg.render(spec, folder / name)
    return folder


def status(warehouse: Path, name: str) -> tuple[str, str | None, str]:
    return audit(warehouse, name)[-1]  # type: ignore[return-value]


@pytest.mark.parametrize("broken_name", ["a_culture.pdf", "z_culture.pdf"])
def test_in_one_run_the_version_that_loads_whole_is_live(tmp_path: Path, broken_name: str) -> None:
    # GIVEN a whole version, and a partial one printed later, first or last by file name
    whole_name = "m_culture.pdf"
    folder = folder_of(tmp_path, (whole_name, SPEC), (broken_name, unreconciled(SPEC, CODE, DELTA)))
    warehouse = tmp_path / "bi.duckdb"
    # WHEN both are loaded in one run
    done = load(folder, warehouse)
    # THEN the whole one is live and the other is skipped, naming it and why
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 loaded, 0 partial, 0 quarantined, 1 skipped" in done.stdout
    assert totals(warehouse) == [(whole_name, ORIGINAL)]
    state, reason, detail = status(warehouse, broken_name)
    assert (state, reason) == ("skipped", "other_version")
    assert whole_name in detail and "it loads whole" in detail


def test_across_runs_a_whole_version_replaces_a_partial_one_not_the_reverse(
    tmp_path: Path,
) -> None:
    versions = tmp_path / "versions"
    versions.mkdir()
    whole = sg.render(SPEC, versions / "culture.pdf").path
    broken = sg.render(unreconciled(SPEC, CODE, DELTA), versions / "culture_v2.pdf").path

    # GIVEN the partial version loaded
    warehouse = tmp_path / "one" / "bi.duckdb"
    assert load(broken, warehouse).returncode == 0
    assert status(warehouse, broken.name)[:2] == ("partial", "reconciliation")
    # WHEN the whole version arrives, without --force
    done = load(whole, warehouse)
    # THEN it replaces the partial one, and the audit says why
    assert done.returncode == 0, done.stdout + done.stderr
    assert totals(warehouse) == [(whole.name, ORIGINAL)]
    state, reason, detail = status(warehouse, broken.name)
    assert (state, reason) == ("skipped", "superseded")
    assert whole.name in detail and "loads whole" in detail

    # GIVEN the whole version loaded (another warehouse)
    warehouse = tmp_path / "two" / "bi.duckdb"
    assert load(whole, warehouse).returncode == 0
    # WHEN the partial version arrives, without --force
    done = load(broken, warehouse)
    # THEN the whole one stays live
    assert done.returncode == 0, done.stdout + done.stderr
    assert totals(warehouse) == [(whole.name, ORIGINAL)]
    state, reason, detail = status(warehouse, broken.name)
    assert (state, reason) == ("skipped", "other_version")
    assert whole.name in detail and "--force replaces it" in detail


def test_a_live_version_held_by_a_dbt_test_gives_way_to_one_that_loads_whole(
    tmp_path: Path,
) -> None:
    # GIVEN two whole versions, the corrected one later (it would be live), and a dbt
    # project whose extra test rejects the corrected one's function rows
    folder = folder_of(
        tmp_path,
        ("culture.pdf", SPEC),
        ("culture_corrected.pdf", corrected(SPEC, CODE, DELTA)),
    )
    project = project_with_test(
        tmp_path,
        "reject_the_corrected_issue",
        "select f.* from {{ ref('stg_yusuan__function_expenditure') }} as f\n"
        "join {{ ref('stg_yusuan__documents') }} as d using (document_id)\n"
        "where d.file_name = 'culture_corrected.pdf'\n",
    )
    warehouse = tmp_path / "bi.duckdb"
    # WHEN both are loaded in one run
    done = load(folder, warehouse, dbt_project=project)
    # THEN the corrected one, held by dbt after gate 1, gives way to the original
    assert done.returncode == 0, done.stdout + done.stderr
    assert totals(warehouse) == [("culture.pdf", ORIGINAL)]
    state, reason, detail = status(warehouse, "culture_corrected.pdf")
    assert (state, reason) == ("skipped", "other_version")
    assert "culture.pdf" in detail and "partial after gate 1" in detail
    state, reason, detail = status(warehouse, "culture.pdf")
    assert (state, reason) == ("loaded", None)
    assert "in place of culture_corrected.pdf" in detail


def test_the_catalog_date_says_which_version_is_later(tmp_path: Path) -> None:
    # GIVEN two whole versions in a catalog that dates the first one later than the second
    # (against the order of the files and of their PDF dates)
    folder = folder_of(
        tmp_path,
        ("culture.pdf", SPEC),
        ("culture_corrected.pdf", corrected(SPEC, CODE, DELTA)),
    )
    (folder / "catalog.yml").write_text(
        "documents:\n"
        "  - uri: culture.pdf\n"
        "    published: 2024-03-01\n"
        "  - uri: culture_corrected.pdf\n"
        "    published: 2024-01-15\n"
    )
    warehouse = tmp_path / "bi.duckdb"
    done = load(folder / "catalog.yml", warehouse)
    # THEN the version published later is live
    assert done.returncode == 0, done.stdout + done.stderr
    assert totals(warehouse) == [("culture.pdf", ORIGINAL)]
    state, reason, detail = status(warehouse, "culture_corrected.pdf")
    assert (state, reason) == ("skipped", "other_version")
    assert "published later (2024-03-01)" in detail
