"""Shared fixtures: paths of bundled PDFs, an isolated Airflow home, yusuan settings."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from extract.document import Extracted, extract_document
from extract.pdf import read_pages
from extract.tables import LogicalTable, stitch

TESTS = Path(__file__).resolve().parent
SAMPLES = TESTS / "pdfs" / "samples"
REAL = TESTS / "pdfs" / "real"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files with integration tests first, each file kept whole (its module fixtures set up
    once). Under `make test` each file runs on one worker (xdist --dist loadfile
    --no-loadscope-reorder), so the long files start early and the short unit files fill
    in at the end, instead of one long file last."""
    slow = {item.path for item in items if item.get_closest_marker("integration")}
    items.sort(key=lambda item: item.path not in slow)


NATIONAL = TESTS / "pdfs" / "real-national"


@pytest.fixture(scope="session")
def real_warehouse(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """One warehouse for the run, built by `yusuan load` from the eight real Shanghai PDFs,
    shared by the tests that only read it (never write to it)."""
    return _shared_load(tmp_path_factory, worker_id, "real-warehouse", REAL)


@pytest.fixture(scope="session")
def national_warehouse(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    """One warehouse for the run, built by `yusuan load` from every real national PDF
    (tests/pdfs/real-national/), shared by the tests that only read it."""
    return _shared_load(tmp_path_factory, worker_id, "national-warehouse", NATIONAL)


def _shared_load(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, folder: Path
) -> Path:
    """`yusuan load` of `folder` into a warehouse the run's tests share. Under pytest-xdist
    the workers share it too: the first to need it builds it while holding a file lock."""
    import shutil
    import subprocess
    import sys

    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent  # the run's temp dir, above each worker's
    tmp = root / name
    path = tmp / "warehouse.duckdb"
    with FileLock(str(root / f"{name}.lock")):
        if not path.exists():
            done = subprocess.run(
                [sys.executable, "-m", "yusuan.cli", "load", str(folder), "--warehouse",
                 str(path), "--home", str(tmp / "home"), "--workers", "2"],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            if done.returncode != 0:  # leave no half-built warehouse to the other workers
                shutil.rmtree(tmp, ignore_errors=True)
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return path


def unnamed_fact_rows(warehouse: Path) -> dict[str, str]:
    """The marts whose rows carry a department (the facts, dim_document, dim_project) with
    rows that name no department of dim_department with its region and province, or no
    fiscal year: {mart: "n of m rows"}; {} when every row is named."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        marts = con.execute(
            """select table_name from information_schema.columns
               where table_schema = 'marts' and column_name = 'department_key'
                 and table_name <> 'dim_department'
               intersect
               select table_name from information_schema.columns
               where table_schema = 'marts' and column_name = 'fiscal_year'"""
        ).fetchall()
        assert len(marts) >= 8, marts
        unnamed = {}
        for (mart,) in marts:
            [(count, bad)] = con.execute(
                f"""select count(*), count(*) filter (
                        where dep.region is null or dep.province is null
                           or f.fiscal_year is null)
                    from marts.{mart} f left join marts.dim_department dep using (department_key)"""
            ).fetchall()
            if bad:
                unnamed[mart] = f"{bad} of {count} rows"
    return unnamed


def project_with_test(tmp_path: Path, name: str, sql: str) -> Path:
    """A copy of the dbt project with one more data test (`name`.sql): a build whose test
    fails on the rows `sql` selects."""
    import shutil

    from yusuan.settings import DEFAULT_DBT_PROJECT

    project = tmp_path / "dbt_project"
    shutil.copytree(DEFAULT_DBT_PROJECT, project, ignore=shutil.ignore_patterns("target", "logs"))
    (project / "tests" / f"{name}.sql").write_text(sql)
    return project


_RUN_ROOT: list[Path] = []  # the run's temp dir, shared by the xdist workers


@pytest.fixture(scope="session", autouse=True)
def _run_root(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[None]:
    """The run's temp dir; and one dbt parse for every home of the run: each test's first
    build starts from it (YUSUAN_DBT_PARSE_CACHE; dbt parses again whatever changed)."""
    root = tmp_path_factory.getbasetemp()
    _RUN_ROOT.append(root.parent if worker_id != "master" else root)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("YUSUAN_DBT_PARSE_CACHE", str(_RUN_ROOT[0] / "dbt-parse" / "parse.msgpack"))
        yield


@cache
def extract_once(path: Path) -> Extracted:
    """A bundled PDF extracted once per test run, shared by every test module: under
    pytest-xdist the first worker to need it pickles it into the run's temp dir, under a
    file lock, and the other workers read it from there."""
    if not _RUN_ROOT:
        return extract_document(path, document_id=path.name, source_uri=str(path))
    import hashlib
    import pickle

    from filelock import FileLock

    folder = _RUN_ROOT[0] / "extracted"
    folder.mkdir(exist_ok=True)
    pickled = folder / (hashlib.sha256(str(path).encode()).hexdigest()[:16] + ".pickle")
    with FileLock(str(pickled) + ".lock"):
        if pickled.exists():
            extracted: Extracted = pickle.loads(pickled.read_bytes())
            return extracted
        extracted = extract_document(path, document_id=path.name, source_uri=str(path))
        pickled.write_bytes(pickle.dumps(extracted))
        return extracted


@cache
def logical_tables(path: Path) -> list[LogicalTable]:
    return stitch(read_pages(path))


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An Airflow home with a migrated SQLite metadata DB, set before airflow is imported.

    Airflow reads its configuration when first imported, so the variables stay set while
    the tests that ask for this fixture run, and are restored when the session ends."""
    from yusuan.airflow_run import airflow_env
    from yusuan.settings import Settings

    home = tmp_path_factory.mktemp("yusuan-home")
    settings = Settings(home=home)
    with pytest.MonkeyPatch.context() as env:
        for name, value in airflow_env(settings).items():
            env.setenv(name, value)
        yield settings.airflow_home
