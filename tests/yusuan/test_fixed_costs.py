"""What a run pays whatever it loads: the reference seeds are built once per warehouse (and
again when their files change), and a run that loads nothing imports none of the heavy
libraries (pyarrow, pandas, Great Expectations, dbt, pdfplumber)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import SAMPLES

pytestmark = pytest.mark.integration

# A test of a model that refers to a seed: it runs on every build, seeds built or not.
MODEL_TEST_OF_A_SEED = (
    "relationships_fct_budget_summary_class_code__class_code__ref_function_classes_"
)
HEAVY = ("pyarrow", "pandas", "great_expectations", "dbt", "pdfplumber", "numpy")


def _yusuan(
    *args: str, cwd: Path, python: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *python, "-m", "yusuan.cli", *args],
        cwd=cwd, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def _built(home: Path) -> dict[str, str]:
    """The nodes of the last dbt build in `home`: unique id -> status."""
    results = json.loads((home / "dbt" / "target" / "run_results.json").read_text())["results"]
    return {r["unique_id"]: r["status"] for r in results}


def _query(warehouse: Path, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """doc_a loaded, then doc_b added; each build's nodes and the reference row counts."""
    tmp = tmp_path_factory.mktemp("fixed")
    home, warehouse = tmp / "home", tmp / "warehouse.duckdb"
    where = ("--warehouse", str(warehouse), "--home", str(home))
    counts = "select count(*) from reference.function_classes"
    _yusuan("load", str(SAMPLES / "doc_a.pdf"), *where, cwd=tmp)
    first = _built(home)
    seeded = _query(warehouse, "select fingerprint from audit.reference_seeds")
    _yusuan("load", str(SAMPLES / "doc_b.pdf"), *where, cwd=tmp)
    return {
        "tmp": tmp,
        "home": home,
        "warehouse": warehouse,
        "where": where,
        "first": first,
        "second": _built(home),
        "seeded": seeded,
        "reference": _query(warehouse, counts),
    }


def test_first_build_loads_the_seeds_and_records_them(runs: dict[str, Any]) -> None:
    # GIVEN a warehouse's first build
    first = runs["first"]
    # THEN it loaded every seed and ran the tests of the seeds
    assert sum(node.startswith("seed.") for node in first) == 6
    assert "test.yusuan.unique_regions_region" in {n.rsplit(".", 1)[0] for n in first}
    # AND recorded the fingerprint of the seed files the reference tables came from
    assert len(runs["seeded"]) == 1 and len(runs["seeded"][0][0]) == 64


def test_a_later_build_leaves_the_seeds_but_tests_the_models_against_them(
    runs: dict[str, Any],
) -> None:
    # GIVEN a second document loaded into the warehouse
    second = {
        n.rsplit(".", 1)[0] if n.startswith("test.") else n: s for n, s in runs["second"].items()
    }
    # THEN the seeds and the tests of the seeds alone did not run
    assert not [n for n in second if n.startswith("seed.")]
    assert "test.yusuan.unique_regions_region" not in second
    # AND the tests of the models, those that refer to a seed included, ran and passed
    assert second[f"test.yusuan.{MODEL_TEST_OF_A_SEED}"] == "pass"
    assert len(runs["second"]) == len(runs["first"]) - 25  # 6 seeds, 19 tests of seeds alone
    # AND the reference tables and both documents are in the published warehouse
    assert runs["reference"][0][0] > 0
    assert _query(runs["warehouse"], "select count(*) from marts.dim_document") == [(2,)]


def test_seeds_are_built_again_when_their_files_change(runs: dict[str, Any]) -> None:
    # GIVEN a warehouse whose reference tables came from other seed files
    warehouse = runs["warehouse"]
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update audit.reference_seeds set fingerprint = 'other files'")
    document = _query(
        warehouse, "select document_id from marts.dim_document where file_name = 'doc_b.pdf'"
    )[0][0]
    # WHEN a run changes the marts (doc_b removed)
    _yusuan("remove", document, *runs["where"], cwd=runs["tmp"])
    # THEN its build loaded the seeds again and recorded the files' fingerprint
    built = _built(runs["home"])
    assert sum(node.startswith("seed.") for node in built) == 6
    assert _query(warehouse, "select fingerprint from audit.reference_seeds") == runs["seeded"]


def test_a_run_that_loads_nothing_imports_no_heavy_library(runs: dict[str, Any]) -> None:
    # WHEN a run finds every source already loaded (doc_a, still in the warehouse)
    done = _yusuan(
        "load",
        str(SAMPLES / "doc_a.pdf"),
        *runs["where"],
        cwd=runs["tmp"],
        python=("-X", "importtime"),
    )
    assert "1 skipped" in done.stdout
    # THEN it recorded its verdict without importing extraction, the gates, dbt or pandas
    imported = {
        line.split("|")[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert not imported & set(HEAVY), imported & set(HEAVY)
    verdicts = _query(
        runs["warehouse"],
        "select status, reason from audit.document_loads where file_name = 'doc_a.pdf'"
        " order by checked_at desc limit 1",
    )
    assert verdicts == [("skipped", "already_loaded")]
