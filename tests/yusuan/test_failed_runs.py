"""A run that fails after loading keeps the last good warehouse, and says so in audit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES
from yusuan.settings import DEFAULT_DBT_PROJECT

pytestmark = pytest.mark.integration


def load(
    source: Path, warehouse: Path, home: Path, dbt_project: Path
) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"YUSUAN_DBT_PROJECT": str(dbt_project)}
    return subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "load", str(source), "--warehouse", str(warehouse),
         "--home", str(home)],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


def test_failed_dbt_build_keeps_the_last_good_warehouse(tmp_path: Path) -> None:
    warehouse, home = tmp_path / "bi.duckdb", tmp_path / "home"
    # GIVEN a published warehouse holding doc_b
    assert load(SAMPLES / "doc_b.pdf", warehouse, home, DEFAULT_DBT_PROJECT).returncode == 0
    # AND a dbt project whose build fails (a data test that always finds a failing row)
    broken = tmp_path / "dbt_project"
    shutil.copytree(DEFAULT_DBT_PROJECT, broken, ignore=shutil.ignore_patterns("target", "logs"))
    (broken / "tests" / "always_fails.sql").write_text("select 1 as failing_row\n")
    # WHEN doc_a is loaded with it
    failed = load(SAMPLES / "doc_a.pdf", warehouse, home, broken)
    # THEN the run fails, BI still reads the warehouse with doc_b only
    assert failed.returncode == 1
    assert "transform_failed" in failed.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select file_name from marts.dim_document").fetchall() == [
            ("doc_b.pdf",)
        ]
        # AND the audit of the failed run says doc_a passed gate 1 but was not published
        [(status, reason, detail)] = con.execute(
            "select status, reason, detail from audit.document_loads where file_name = 'doc_a.pdf'"
        ).fetchall()
    assert (status, reason) == ("quarantined", "transform_failed")
    assert "always_fails" in detail
    assert (tmp_path / "bi.rejected.duckdb").exists()
