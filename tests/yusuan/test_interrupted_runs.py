"""Killed mid-run, nothing half-done: `yusuan load` killed with SIGKILL during
extraction, the warehouse load, dbt and the publish, then run again, ends with exactly the
marts of a run never interrupted; and two loads of one warehouse take turns."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.integration
SOURCES = [str(SAMPLES / "doc_a.pdf"), str(SAMPLES / "doc_b.pdf")]
# Columns that say when or by which run a row was loaded, not what it holds.
VOLATILE = ("loaded_at", "run_id", "checked_at")


def start(warehouse: Path, *sources: str, **env: str) -> subprocess.Popen[str]:
    """`yusuan load` in a process group of its own (dbt and extraction workers included)."""
    return subprocess.Popen(
        [sys.executable, "-m", "yusuan.cli", "load", *sources, "--warehouse", str(warehouse),
         "--home", str(warehouse.parent / "home"), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
        env=os.environ | env,
    )  # fmt: skip


def kill_at(warehouse: Path, step: str, delay: float) -> str:
    """Start a load, SIGKILL it (with its children) `delay` s after it announces `step`."""
    process = start(warehouse, *SOURCES)
    assert process.stdout is not None
    seen = []
    for line in process.stdout:
        seen.append(line)
        if line.startswith(f"[yusuan] {step}"):
            time.sleep(delay)
            os.killpg(process.pid, signal.SIGKILL)
            break
    process.wait()
    assert process.returncode == -signal.SIGKILL, "".join(seen)
    return "".join(seen)


def finish(warehouse: Path, *sources: str) -> str:
    process = start(warehouse, *(sources or SOURCES))
    output, _ = process.communicate(timeout=600)
    assert process.returncode == 0, output
    return output


def marts(warehouse: Path) -> dict[str, tuple[int, str]]:
    """Per mart: its row count and a checksum of its rows (without load times and run ids)."""
    found = {}
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'marts' order by 1"
            ).fetchall()
        ]
        for table in tables:
            columns = [
                row[0]
                for row in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                    [table],
                ).fetchall()
                if row[0] not in VOLATILE
            ]
            listed = ", ".join(f'"{c}"' for c in columns)
            rows = con.execute(f"select {listed} from marts.{table} order by all").fetchall()
            found[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16])
    return found


def test_a_load_killed_at_any_step_then_run_again_builds_the_same_marts(
    tmp_path: Path,
) -> None:
    # GIVEN the marts of a load never interrupted
    clean = tmp_path / "clean" / "bi.duckdb"
    clean.parent.mkdir()
    finish(clean)
    expected = marts(clean)
    # doc_a's 13 项 rows in each of its two function tables; doc_b prints none
    assert expected["dim_document"][0] == 2 and expected["fct_expenditure"][0] == 26

    # WHEN another warehouse's load is killed during each step in turn, each time run
    # again from what the previous kill left (landing .part files, staging, working copies)
    interrupted = tmp_path / "interrupted" / "bi.duckdb"
    interrupted.parent.mkdir()
    for step, delay in [("extract", 1.0), ("load", 0.0), ("transform", 3.0), ("publish", 0.0)]:
        kill_at(interrupted, step, delay)
        # THEN BI reads either nothing yet or a whole warehouse, never a half-written one
        if interrupted.exists():
            assert marts(interrupted) in ({}, expected), step
    output = finish(interrupted)
    # THEN the last run ends with exactly the marts of the uninterrupted load
    assert marts(interrupted) == expected, output
    # AND the killed runs' working copies are gone or will be (named per run, never reused)
    copies = list(interrupted.parent.glob("*.building"))
    assert all(".cli__" in copy.name for copy in copies)
    # AND every document's staging folder is whole (a killed extraction's half is a .part)
    staging = interrupted.parent / "home" / "staging"
    staged = [p for p in staging.iterdir() if not p.name.endswith(".part")]
    assert len(staged) == 2 and all((p / "manifest.json").exists() for p in staged)


def test_two_loads_of_one_warehouse_take_turns(tmp_path: Path) -> None:
    # GIVEN two loads of one warehouse started a second apart, each with its own document
    warehouse = tmp_path / "bi.duckdb"
    first = start(warehouse, SOURCES[0])
    time.sleep(1)
    second = start(warehouse, SOURCES[1])
    # WHEN both finish
    outputs = [p.communicate(timeout=600)[0] for p in (first, second)]
    # THEN both succeed (the second waited for the first's lock) and both documents are in
    # the published warehouse
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = con.execute("select file_name from marts.dim_document order by 1").fetchall()
    assert names == [("doc_a.pdf",), ("doc_b.pdf",)]


def test_a_load_that_waits_too_long_names_the_holder(tmp_path: Path) -> None:
    # GIVEN a process holding the warehouse's lock
    warehouse = tmp_path / "bi.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from pathlib import Path; from yusuan.lock import warehouse_lock\n"
         "with warehouse_lock(Path(sys.argv[1]), 'the-holder', 5):\n"
         "    print('held', flush=True); time.sleep(120)",
         str(warehouse.with_name(warehouse.name + ".lock"))],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    try:
        # WHEN a load would wait at most 1 s
        waited = start(warehouse, SOURCES[1], YUSUAN_LOCK_TIMEOUT_S="1")
        output, _ = waited.communicate(timeout=120)
        # THEN it exits 1 naming the holder's run and process, and loaded nothing
        assert waited.returncode == 1, output
        assert "the-holder" in output and f"pid {holder.pid}" in output
        assert not warehouse.exists()
    finally:
        holder.kill()
        holder.wait()
    # WHEN the holder was killed (its lock is stale): the next writer takes it at once
    from yusuan.lock import warehouse_lock

    with warehouse_lock(warehouse.with_name(warehouse.name + ".lock"), "next", timeout=0):
        pass  # (a lock still held would raise WarehouseBusy without waiting)
