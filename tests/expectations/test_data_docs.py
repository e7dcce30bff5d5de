"""Data Docs: the gates store their validation results, the run renders them once.

Gate 1 and gate 2 run their checkpoints without rendering anything; `build_docs` (called
by the pipeline at the end of a run, published or not) renders a page for every result
no page shows yet and an index listing them, named by document id (gate 1) or "marts".
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from expectations import build_docs, validate_document
from expectations.contract import marts
from tests.conftest import SAMPLES, extract_once
from yusuan.settings import DEFAULT_DBT_PROJECT, Settings

pytestmark = pytest.mark.integration

STAGED_SUITES = {
    "staged.function_expenditure",
    "staged.basic_expenditure",
    "staged.indicators",
    "staged.projects",
    "staged.national_classes",
    "staged.reconciliation",
}
# one suite per mart of the contract (dbt's yml), and the marts' identities
MART_SUITES = {f"marts.{mart}" for mart in marts()} | {"marts.reconciliation"}
_PAGE = re.compile(r"validations/[^'\"\s<>]+?\.html")


def listed(index: Path) -> dict[str, set[str]]:
    """The validation results the Data Docs index links to: run name -> suite names.
    Every linked page must exist."""
    runs: dict[str, set[str]] = {}
    for link in set(_PAGE.findall(index.read_text())):
        assert (index.parent / link).is_file(), f"{link} is listed but not rendered"
        *suite, run_name, _run_time, _batch = link.removesuffix(".html").split("/")[1:]
        runs.setdefault(run_name, set()).add(".".join(suite))
    return runs


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(
    source: Path, home: Path, dbt_project: Path = DEFAULT_DBT_PROJECT
) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"YUSUAN_DBT_PROJECT": str(dbt_project)}
    return subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "load", str(source),
         "--warehouse", str(home / "bi" / "yusuan.duckdb"), "--home", str(home)],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip


def test_gate_stores_results_and_build_docs_renders_each_once(tmp_path: Path) -> None:
    from extract.document import read_staging, write_staging

    gx_root = tmp_path / "gx"
    index = Settings(home=tmp_path).data_docs
    first, second = (
        (pdf.name, read_staging(write_staging(extract_once(pdf), tmp_path / pdf.stem)))
        for pdf in sorted(SAMPLES.glob("*.pdf"))
    )
    # GIVEN gate 1 ran on one document: it rendered nothing
    assert validate_document(first[0], first[1], gx_root) == []
    assert not index.exists()
    # WHEN the docs are built
    assert build_docs(gx_root) == index
    # THEN the index lists that document's results
    runs = listed(index)
    assert set(runs) == {first[0]}
    assert runs[first[0]] <= STAGED_SUITES and "staged.reconciliation" in runs[first[0]]
    page = next(index.parent.glob(f"validations/staged/reconciliation/{first[0]}/*/*.html"))
    rendered_at = page.stat().st_mtime_ns
    # WHEN another document is validated and the docs are built again
    assert validate_document(second[0], second[1], gx_root) == []
    build_docs(gx_root)
    # THEN both are listed, and the first document's pages were not rendered again
    assert set(listed(index)) == {first[0], second[0]}
    assert page.stat().st_mtime_ns == rendered_at


def test_cli_run_of_two_documents_builds_docs_of_both_gates(tmp_path: Path) -> None:
    # WHEN `yusuan load` runs on the two sample PDFs
    done = load(SAMPLES, tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    # THEN the Data Docs index lists gate 1 and gate 2 on the marts: each suite of gate 1
    # ran once over both documents where both have rows (their performance targets), and
    # over doc_a alone where only it has (its budget tables)
    runs = listed(Settings(home=tmp_path / "home").data_docs)
    doc_a, both = sha256(SAMPLES / "doc_a.pdf"), "batch_of_2_documents"
    assert set(runs) == {doc_a, both, "marts"}
    assert runs[both] == {"staged.indicators", "staged.projects"}
    assert runs[doc_a] == STAGED_SUITES - runs[both]
    assert runs["marts"] >= MART_SUITES


def test_failed_run_still_builds_docs_of_its_validations(tmp_path: Path) -> None:
    # GIVEN a dbt project whose build fails
    broken = tmp_path / "dbt_project"
    shutil.copytree(DEFAULT_DBT_PROJECT, broken, ignore=shutil.ignore_patterns("target", "logs"))
    (broken / "tests" / "always_fails.sql").write_text("select 1 as failing_row\n")
    # WHEN a document passes gate 1 and the run then fails
    failed = load(SAMPLES / "doc_b.pdf", tmp_path / "home", broken)
    assert failed.returncode == 1 and "transform_failed" in failed.stderr
    # THEN the maintainer still finds the document's gate 1 results in the Data Docs
    runs = listed(Settings(home=tmp_path / "home").data_docs)
    assert set(runs) == {sha256(SAMPLES / "doc_b.pdf")}
