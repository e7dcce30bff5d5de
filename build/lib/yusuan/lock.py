"""One writer per warehouse: the lock every step that writes a warehouse holds.

DuckDB allows one writing process per file, and two runs that both publish would make the
last one win silently. So `yusuan load` holds `<warehouse>.lock` for its whole run, and
the DAG's writing tasks (load, transform, validate_marts, publish; also in an Airflow pool
of one slot) hold it while they run. The lock is a `filelock` lock on that file: the
operating system releases it when its process dies, so a killed run never leaves a stale
lock behind. Beside it, `<warehouse>.lock.holder` names who holds it (run, process, host,
since when), so that a run that gives up waiting can say whom it waited for.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from filelock import FileLock, Timeout


class WarehouseBusy(RuntimeError):
    """Another run held the warehouse's lock for longer than this run would wait."""


def holder_file(lock_file: Path) -> Path:
    return lock_file.with_name(lock_file.name + ".holder")


def describe_holder(lock_file: Path) -> str:
    """Who holds (or last held) the lock, as recorded when it was taken."""
    try:
        holder = json.loads(holder_file(lock_file).read_text())
    except (OSError, ValueError):
        return "an unknown process"
    return (
        f"run {holder.get('run_id')} (pid {holder.get('pid')} on {holder.get('host')}, "
        f"since {holder.get('since')})"
    )


@contextmanager
def warehouse_lock(lock_file: Path, run_id: str, timeout: float) -> Iterator[None]:
    """Hold the warehouse's lock for the block; wait up to `timeout` seconds for it, then
    raise WarehouseBusy naming the holder. Re-entrant within one process."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    # one lock object per file and process (is_singleton): re-entered, not deadlocked, when a
    # step that holds it calls another that takes it
    lock = FileLock(lock_file, is_singleton=True, thread_local=False)
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise WarehouseBusy(
            f"the warehouse is being written by {describe_holder(lock_file)}; "
            f"waited {timeout:g} s for its lock {lock_file}"
        ) from exc
    try:
        if lock.lock_counter == 1:  # taken now, not re-entered: record the new holder
            holder = {
                "run_id": run_id,
                "pid": os.getpid(),
                "host": socket.gethostname(),
                "since": datetime.now(UTC).isoformat(timespec="seconds"),
            }
            holder_file(lock_file).write_text(json.dumps(holder))
        yield
    finally:
        lock.release()
