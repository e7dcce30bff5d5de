"""Each run builds in a working copy of its own; a killed run's copy is removed later."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from yusuan import pipeline
from yusuan.settings import Settings

pytestmark = pytest.mark.integration


def test_a_killed_runs_working_copy_is_removed_once_stale(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb")
    killed, live = settings.building("killed-run"), settings.building("live-run")
    for copy in (killed, live):
        copy.parent.mkdir()
        copy.write_bytes(b"a working copy")
    hours_ago = time.time() - pipeline.STALE_WORKING_COPY_S - 60
    for path in (killed, killed.parent):
        os.utime(path, (hours_ago, hours_ago))
    # WHEN a new run prepares its own copy
    pipeline._prepare_build(settings, "new-run")
    # THEN the stale copy is gone, the recent one (a DAG run between its tasks) stays
    assert settings.working_copies() == sorted([live, settings.building("new-run")])
    # AND each copy has a folder of its own, under one name (dbt's profile: one parse)
    assert settings.building("new-run") == tmp_path / "bi.new-run.building" / "yusuan.duckdb"
