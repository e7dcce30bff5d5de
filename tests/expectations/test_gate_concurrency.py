"""Gate 1 in parallel processes sharing one Great Expectations project, as Airflow's
mapped validate tasks are: no process may make another's checkpoint stale."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from expectations.runtime import _file_lock
from extract.document import extract_document, write_staging
from tests.conftest import SAMPLES

pytestmark = pytest.mark.integration
PROCESSES, ROUNDS = 4, 3

VALIDATE = """
import sys, time
from pathlib import Path
from expectations import validate_document
from extract.document import read_staging
staging, gx_root, start = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
frames = read_staging(staging)
while time.time() < start:  # every process validates at the same moment
    time.sleep(0.01)
findings = validate_document(staging.name, frames, gx_root)
print("blocking", sum(f.severity == "block" for f in findings))
"""


def test_parallel_gate_1_processes_never_trip_over_each_other(tmp_path: Path) -> None:
    # GIVEN a staged document and a GX project a first validation set up
    path = SAMPLES / "doc_b.pdf"
    staging = write_staging(
        extract_document(path, document_id="doc_b", source_uri=str(path)), tmp_path / "doc_b"
    )
    gx_root = tmp_path / "gx"
    first = subprocess.run(
        [sys.executable, "-c", VALIDATE, str(staging), str(gx_root), "0"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert first.stdout.strip() == "blocking 0", first.stderr[-3000:]
    for _ in range(ROUNDS):
        # WHEN fresh processes (as Airflow starts one per task) validate at once
        start = str(time.time() + 6)  # after every process has imported GX
        command = [sys.executable, "-c", VALIDATE, str(staging), str(gx_root), start]
        processes = [
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(PROCESSES)
        ]
        results = [p.communicate(timeout=300) for p in processes]
        # THEN every one of them passes the consistent document
        for out, err in results:
            assert out.strip() == "blocking 0", err[-3000:]


def test_checkpoint_runs_share_the_gx_lock_and_setup_waits_for_them(tmp_path: Path) -> None:
    # GIVEN two holders of the GX project's lock in shared mode (checkpoint runs), and one
    # that wants it exclusively (setup, Data Docs) while they hold it
    events: list[str] = []

    def run(name: str, exclusive: bool, delay: float) -> None:
        time.sleep(delay)
        with _file_lock(tmp_path, exclusive=exclusive):
            events.append(f"{name} in")
            time.sleep(0.3)
            events.append(f"{name} out")

    threads = [
        threading.Thread(target=run, args=("run1", False, 0)),
        threading.Thread(target=run, args=("run2", False, 0.05)),
        threading.Thread(target=run, args=("setup", True, 0.1)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # THEN the runs held it together, and setup only once both had let go
    assert events[:2] == ["run1 in", "run2 in"]
    assert events[-2:] == ["setup in", "setup out"]
