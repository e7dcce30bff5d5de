"""Paths reach SQL as bound parameters, never spliced into it: a folder named o'brien (a
quote that would end a SQL string literal) holds the warehouse and the sources of a whole
`yusuan load`, and the audit of a failed run is carried over from beside it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES
from yusuan import warehouse


def test_a_failed_runs_audit_is_kept_from_a_quoted_folder(tmp_path: Path) -> None:
    # GIVEN a published warehouse and a rejected build in a folder whose name has a quote
    folder = tmp_path / "o'brien"
    folder.mkdir()
    published, rejected = folder / "bi.duckdb", folder / "bi.rejected.duckdb"
    row = {"file_name": "a.pdf", "source_uri": "/x/a.pdf", "run_id": "r1", "status": "skipped"}
    for path in (published, rejected):
        with duckdb.connect(str(path)) as con:
            warehouse.record_audit(con, [], [])
    with duckdb.connect(str(rejected)) as con:
        warehouse.record_audit(con, [row | {"checked_at": datetime(2025, 1, 1)}], [])
    # WHEN the failed run's audit is kept
    warehouse.keep_audit(rejected, published, "r1", "marts_gate", "blocked")
    # THEN the published warehouse has its row
    with duckdb.connect(str(published), read_only=True) as con:
        kept = con.execute("select file_name, run_id from audit.document_loads").fetchall()
    assert kept == [("a.pdf", "r1")]


@pytest.mark.integration
def test_yusuan_load_with_quotes_in_every_path(tmp_path: Path) -> None:
    # GIVEN a sample PDF in a folder named o'brien, and a warehouse and home beside it
    root = tmp_path / "o'brien"
    inbox = root / "in'box"
    inbox.mkdir(parents=True)
    shutil.copy(SAMPLES / "doc_a.pdf", inbox / "doc_a.pdf")
    bi = root / "bi.duckdb"  # (dbt-duckdb names its catalog by the file: no quote there)
    # WHEN `yusuan load` runs on it
    done = subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "load", str(inbox),
         "--warehouse", str(bi), "--home", str(root / "ho'me")],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    # THEN the document loads end to end: raw.* from its staged parquet, then the marts
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    with duckdb.connect(str(bi), read_only=True) as con:
        status = con.execute("select status from audit.document_loads").fetchall()
        source = con.execute("select source_uri from marts.dim_document").fetchall()
        rows = con.execute("select count(*) from raw.function_expenditure").fetchone()
    assert status == [("loaded",)]
    assert source == [(str(inbox / "doc_a.pdf"),)]
    assert rows is not None and rows[0] > 0
