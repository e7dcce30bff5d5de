"""The DAG over more sources than Airflow's max_map_length (1,024): a real run
(`yusuan airflow-test`, dag.test(), SQLite metadata) maps one extraction task per batch of
documents, not one per document, and loads what is a budget among them. About half the
sources are byte-identical copies (decided at pull) to keep the test near two minutes."""

from __future__ import annotations

import math
import shutil
import sqlite3
import subprocess
import sys
from collections import Counter
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES
from tests.pdfgen import notice
from yusuan.settings import Environment

pytestmark = pytest.mark.integration
MAX_MAP_LENGTH = 1024  # Airflow's default [core] max_map_length
NOTICES = 530  # distinct one-page PDFs that are no budget: extracted, then quarantined
COPIES = 500  # byte-identical copies of notices: duplicates, decided at pull (no extraction)


def test_the_dag_maps_batches_past_max_map_length(tmp_path: Path) -> None:
    # GIVEN 1,032 real PDFs: two budgets, 530 distinct one-page notices and 500 copies
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for number in range(NOTICES):
        text = f"关于第{number}号通知的说明：本通知不含预算表格，仅作说明之用。"
        notice(inbox / f"notice_{number:04d}.pdf", text)
    for number in range(COPIES):
        shutil.copy(inbox / f"notice_{number:04d}.pdf", inbox / f"notice_{number:04d}_copy.pdf")
    for name in ("doc_a.pdf", "doc_b.pdf"):
        shutil.copy(SAMPLES / name, inbox / name)
    sources, distinct = NOTICES + COPIES + 2, NOTICES + 2
    assert sources > MAX_MAP_LENGTH
    home, warehouse = tmp_path / "home", tmp_path / "bi.duckdb"
    metadata = tmp_path / "airflow.db"  # named: another test's fixture may set Airflow's
    # WHEN the DAG runs over the folder
    done = subprocess.run(
        [str(Path(sys.executable).with_name("yusuan")), "airflow-test", str(inbox),
         "--home", str(home), "--warehouse", str(warehouse),
         "--metadata-db", f"sqlite:///{metadata}"],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    # THEN it succeeds: the budgets load, every notice is quarantined by name
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert f"2 loaded, 0 partial, {NOTICES + COPIES} quarantined, 0 skipped" in done.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        verdicts = con.execute("select status, reason from audit.document_loads").fetchall()
        published = con.execute("select file_name from marts.dim_document order by 1").fetchall()
    assert Counter(verdicts) == {
        ("loaded", None): 2,
        ("quarantined", "not_budget"): NOTICES,
        ("quarantined", "duplicate"): COPIES,
    }
    assert published == [("doc_a.pdf",), ("doc_b.pdf",)]
    # AND Airflow ran one extraction task per batch of YUSUAN_BATCH_SIZE distinct documents
    # (the copies never reach one), each task once, and every task succeeded
    with closing(sqlite3.connect(metadata)) as meta:
        tasks = meta.execute(
            "select task_id, count(*), max(try_number), group_concat(distinct state)"
            " from task_instance group by task_id"
        ).fetchall()
    batches = math.ceil(distinct / Environment().batch_size)
    assert {task: (count, state) for task, count, _, state in tasks} == {
        "pull": (1, "success"),
        "extract_and_validate": (batches, "success"),
        "load": (1, "success"),
        "transform": (1, "success"),
        "validate_marts": (1, "success"),
        "publish": (1, "success"),
    }
    assert batches == 11
