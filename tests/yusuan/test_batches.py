"""The DAG's unit of work is a batch of documents (yusuan.pipeline: `batches`,
`extract_and_validate_batch`, `gather`): a bad document costs only itself inside its batch,
a batch whose task failed costs its own documents, and a run narrowed to one year (a
backfill) loads only that year's."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES
from tests.pdfgen import notice
from yusuan import pipeline
from yusuan.settings import Settings

pytestmark = pytest.mark.integration


def settings_in(tmp_path: Path, **scope: object) -> Settings:
    return Settings(home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb", **scope)  # type: ignore[arg-type]


def test_a_bad_document_costs_only_itself_within_its_batch(tmp_path: Path) -> None:
    # GIVEN a budget, a notice that is no budget, a cut PDF and the budget's bytes again
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "doc_a.pdf", inbox / "a.pdf")
    shutil.copy(SAMPLES / "doc_a.pdf", inbox / "a_again.pdf")
    notice(inbox / "notice.pdf", "关于第1号通知的说明：本通知不含预算表格，仅作说明之用。")
    data = (SAMPLES / "doc_b.pdf").read_bytes()
    (inbox / "cut.pdf").write_bytes(data[: len(data) // 3])
    settings = settings_in(tmp_path)
    # WHEN pull plans batches of two and each batch is extracted and gated
    plan = pipeline.batches(pipeline.pull([str(inbox)], settings), 2)
    # THEN the duplicate is decided at pull, the three others travel in two batches
    assert [(d["file_name"], d["reason"]) for d in plan["decided"]] == [
        ("a_again.pdf", "duplicate")
    ]
    assert [len(batch) for batch in plan["batches"]] == [2, 1]
    results = [pipeline.extract_and_validate_batch(b, settings) for b in plan["batches"]]
    verdicts = {d["file_name"]: (d["status"], d["reason"]) for r in results for d in r}
    # AND each bad document has its named reason, the budget passes gate 1 beside them
    assert verdicts == {
        "a.pdf": ("passed", None),
        "notice.pdf": ("quarantined", "not_budget"),
        "cut.pdf": ("quarantined", "corrupt"),
    }


def test_nothing_pending_is_one_empty_batch(tmp_path: Path) -> None:
    # an empty inbox: one batch of nothing, so the mapped task runs (and does nothing)
    # instead of being skipped, which would skip load (its trigger rule)
    (tmp_path / "inbox").mkdir()
    settings = settings_in(tmp_path)
    plan = pipeline.batches(pipeline.pull([str(tmp_path / "inbox")], settings), 50)
    assert plan == {"decided": [], "batches": [[]]}
    assert pipeline.extract_and_validate_batch([], settings) == []


def test_a_failed_batch_costs_its_documents_and_the_others_publish(tmp_path: Path) -> None:
    # GIVEN two budgets in batches of one, and the second batch's task failed after its
    # retries: Airflow holds no result for its map index, so load gathers one result
    settings = settings_in(tmp_path)
    sources = [str(SAMPLES / "doc_a.pdf"), str(SAMPLES / "doc_b.pdf")]
    plan = pipeline.batches(pipeline.pull(sources, settings), 1)
    first = pipeline.extract_and_validate_batch(plan["batches"][0], settings)
    docs = pipeline.gather(plan["decided"], plan["batches"], [first])
    # WHEN the run loads, builds, gates and publishes what it gathered
    pipeline.load(docs, settings, "run_1")
    pipeline.transform(settings, "run_1")
    pipeline.publish(pipeline.validate_marts(settings, "run_1"), settings, "run_1")
    # THEN doc_a is published and doc_b is quarantined as task_failed, naming its batch
    with duckdb.connect(str(settings.published), read_only=True) as con:
        audit = con.execute(
            "select file_name, status, reason, detail from audit.document_loads order by 1"
        ).fetchall()
        published = con.execute("select file_name from marts.dim_document").fetchall()
    assert [row[:3] for row in audit] == [
        ("doc_a.pdf", "loaded", None),
        ("doc_b.pdf", "quarantined", "task_failed"),
    ]
    assert "batch (2 of 2) failed after its retries" in audit[1][3]
    assert published == [("doc_a.pdf",)]
    # AND the next run loads doc_b: a lost batch is not "already loaded"
    again = pipeline.batches(pipeline.pull(sources, settings), 1)
    assert [d["file_name"] for batch in again["batches"] for d in batch] == ["doc_b.pdf"]


def test_a_run_narrowed_to_one_year_loads_only_that_year(tmp_path: Path) -> None:
    # GIVEN doc_a (it prints 2024), doc_b (2023), and a catalog that places a notice in 2019
    catalog = tmp_path / "catalog.yml"
    notice(tmp_path / "old.pdf", "关于第2号通知的说明：本通知不含预算表格，仅作说明之用。")
    catalog.write_text("documents:\n  - {uri: old.pdf, fiscal_year: 2019}\n")
    sources = [str(SAMPLES / "doc_a.pdf"), str(SAMPLES / "doc_b.pdf"), str(catalog)]
    # WHEN a run is narrowed to 2024
    settings = settings_in(tmp_path, fiscal_year=2024)
    plan = pipeline.batches(pipeline.pull(sources, settings), 50)
    # THEN the catalog's 2019 notice is not even pulled, and of the two budgets extracted,
    # the one that prints 2023 is skipped before gate 1, naming both years
    [batch] = plan["batches"]
    assert plan["decided"] == [] and len(batch) == 2
    done = {d["file_name"]: d for d in pipeline.extract_and_validate_batch(batch, settings)}
    assert done["doc_a.pdf"]["status"] == "passed"
    assert (done["doc_b.pdf"]["status"], done["doc_b.pdf"]["reason"]) == (
        "skipped",
        "out_of_scope",
    )
    assert "of fiscal year 2023, not 2024" in str(done["doc_b.pdf"]["detail"])
    # AND a DAG run's params carry the scope to its tasks
    scoped = Settings.from_dict({"region": "河南省", "fiscal_year": 2024})
    assert (scoped.region, scoped.fiscal_year) == ("河南省", 2024)
    assert settings.to_dict()["fiscal_year"] == 2024


# A Celery worker as a fresh program: its prefork pool (billiard) process, daemonic, forks
# an Airflow task's process, which extracts and gates a batch. The program's file fails
# if run again, as the `airflow` launcher does in an extraction worker.
CELERY_LIKE = """
import os, sys
from pathlib import Path
if __name__ != "__main__":
    raise SystemExit("the launcher ran again")
import billiard

def task(home, pdf, verdict):
    pid = os.fork()
    if pid == 0:
        from yusuan import pipeline
        from yusuan.settings import Settings
        settings = Settings(home=Path(home), warehouse=Path(home) / "bi.duckdb")
        [doc] = pipeline.extract_and_validate_batch(pipeline.pull([pdf], settings), settings)
        Path(verdict).write_text(f"{doc['status']} {doc.get('reason')}")
        os._exit(0)
    os.waitpid(pid, 0)

worker = billiard.Process(target=task, args=sys.argv[1:], daemon=True)
worker.start()
worker.join()
"""


def test_a_batch_extracts_in_a_celery_prefork_workers_task(tmp_path: Path) -> None:
    # GIVEN a program that runs a batch as a Celery worker of the prefork pool runs a task
    launcher, verdict = tmp_path / "launcher.py", tmp_path / "verdict"
    launcher.write_text(CELERY_LIKE)
    # WHEN it runs
    done = subprocess.run(
        [sys.executable, str(launcher), str(tmp_path / "home"), str(SAMPLES / "doc_b.pdf"),
         str(verdict)],
        capture_output=True, text=True, check=False, timeout=600,
    )  # fmt: skip
    # THEN the task may start its extraction workers, they do not run the launcher again,
    # and the document passes gate 1
    assert done.returncode == 0, done.stderr[-3000:]
    assert verdict.exists(), done.stderr[-3000:]
    assert verdict.read_text() == "passed None"


def test_a_document_gate_1_cannot_run_on_costs_only_itself(tmp_path: Path) -> None:
    # GIVEN two extracted budgets, one of whose staged function rows lost a column gate 1's
    # identities read (budget_scope), so that gate 1 over both together raises
    import pyarrow.parquet as pq

    settings = settings_in(tmp_path)
    sources = [str(SAMPLES / "doc_a.pdf"), str(SAMPLES / "doc_b.pdf")]
    docs = pipeline.extract_all(pipeline.pull(sources, settings), settings)
    broken = next(d for d in docs if d["file_name"] == "doc_a.pdf")
    staged = Path(broken["staging_dir"]) / "function_expenditure.parquet"
    pq.write_table(pq.read_table(staged).drop_columns(["budget_scope"]), staged)
    # WHEN gate 1 runs over both
    done = {d["file_name"]: d for d in pipeline.validate_all(docs, settings)}
    # THEN the broken one is quarantined with the gate's error, the other passes
    assert (done["doc_a.pdf"]["status"], done["doc_a.pdf"]["reason"]) == (
        "quarantined",
        "validation_error",
    )
    assert "budget_scope" in str(done["doc_a.pdf"]["detail"])
    assert done["doc_b.pdf"]["status"] == "passed"
