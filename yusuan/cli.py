"""`yusuan`: load budget PDFs into the warehouse, take documents out, survey a province's
PDFs, run the Airflow DAG."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from extract.verdicts import FINAL_STATUSES, Status
from yusuan.settings import Environment, Settings
from yusuan.storage import is_remote, shown

if TYPE_CHECKING:
    from yusuan.pipeline import OnExtracted

STATUSES = [str(s) for s in FINAL_STATUSES]

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)

Sources = Annotated[list[str], typer.Argument(help="PDF files, directories, catalogs or URLs")]
# An option not given is the environment's setting (yusuan.settings.Environment), which
# Settings reads: the help names its variable.
Warehouse = Annotated[
    Path | None,
    typer.Option(
        "--warehouse", "-w", help="DuckDB file BI reads [YUSUAN_WAREHOUSE_PATH, home/...]"
    ),
]
Home = Annotated[
    Path | None,
    typer.Option("--home", help="landing/, staging/, gx/, airflow/ [YUSUAN_HOME, ~/.yusuan]"),
]
Force = Annotated[
    bool,
    typer.Option(
        "--force",
        help="re-load documents already loaded; another version of a loaded budget (same"
        " department, year, level and document kind, other file) replaces the loaded one"
        " instead of being skipped as other_version",
    ),
]
Workers = Annotated[
    int,
    typer.Option("--workers", "-j", help="extraction processes [YUSUAN_WORKERS, CPUs]"),
]


Region = Annotated[
    str | None,
    typer.Option("--region", help="only documents of this region or province (a backfill)"),
]
Year = Annotated[
    int | None, typer.Option("--year", help="only documents of this fiscal year (a backfill)")
]


def _workers(workers: int) -> int:
    return workers or Environment().workers or os.cpu_count() or 1


def _settings(
    warehouse: Path | None,
    home: Path | None,
    force: bool,
    region: str | None = None,
    year: int | None = None,
) -> Settings:
    scope: dict[str, Any] = {"region": region, "fiscal_year": year}
    if home is None:
        return Settings(warehouse=warehouse, force=force, **scope)
    return Settings(home=home, warehouse=warehouse, force=force, **scope)


@app.command()
def load(
    sources: Sources,
    warehouse: Warehouse = None,
    home: Home = None,
    force: Force = False,
    workers: Workers = 0,
    region: Region = None,
    year: Year = None,
) -> None:
    """Run the pipeline without Airflow: pull, extract, gate, load, dbt build, gate, publish.

    Exit 0 when the run completed (even with quarantined documents); 1 when it failed or
    the marts gate blocked publishing.
    """
    from yusuan import pipeline

    settings = _settings(warehouse, home, force, region, year)
    _where(settings)
    with _failures(), _progress(Console(stderr=True)) as bars:
        report = pipeline.run(
            sources,
            settings,
            workers=_workers(workers),
            progress=bars and bars("extract"),
            on_validated=bars and bars("gate 1"),
        )
    _summary(report, settings)


@contextmanager
def _progress(console: Console) -> Iterator[Callable[[str], OnExtracted] | None]:
    """On a terminal, a bar for each long step (extraction, gate 1): documents done, pages/s,
    time left; elsewhere (a log, a pipe, Airflow) nothing. `bars(label)` gives a step its
    callback; its bar appears with the step's first document."""
    if not console.is_terminal:
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TaskID,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn("{task.description:<7}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("documents · {task.fields[rate]} pages/s"),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:

        def bars(label: str) -> OnExtracted:
            task: list[TaskID] = []

            def done(pages: int, documents: int) -> None:
                if not task:
                    task.append(bar.add_task(label, total=documents, rate="-", pages=0))
                state = bar.tasks[task[0]]
                pages += state.fields["pages"]
                rate = f"{pages / state.elapsed:.1f}" if state.elapsed else "-"
                bar.update(task[0], total=documents, advance=1, pages=pages, rate=rate)

            return done

        yield bars


DocumentIds = Annotated[
    list[str],
    typer.Argument(help="document ids (sha256, or a prefix of 12 or more characters)"),
]


@app.command()
def remove(document_ids: DocumentIds, warehouse: Warehouse = None, home: Home = None) -> None:
    """Take documents out of the warehouse: their rows leave raw.* and the marts, and the
    audit records them as skipped / removed. The warehouse is rebuilt, gated and published
    as a load is. Besides another version of a budget replacing it, the only way rows leave."""
    from yusuan import pipeline

    short = [i for i in document_ids if len(i) < 12]
    if short:
        typer.secho(f"ids too short (12 characters at least): {short}", fg="red", err=True)
        raise typer.Exit(2)
    settings = _settings(warehouse, home, force=False)
    _where(settings)
    with _failures():
        report = pipeline.remove(document_ids, settings)
    typer.echo(f"run {report['run_id']}: removed {', '.join(report['removed'])}")
    typer.echo(f"warehouse  {report['warehouse']}")


@app.command()
def survey(
    sources: Sources,
    workers: Workers = 0,
    as_json: Annotated[bool, typer.Option("--json", help="the report as JSON")] = False,
) -> None:
    """What a load would make of these PDFs, table by table (page, title, family, rows,
    checks failed, outcome), then totals: tables recognised and loaded, documents loaded /
    partial / quarantined by reason. Writes no warehouse: for extending to a new province."""
    from yusuan.survey import render
    from yusuan.survey import survey as run_survey

    report = run_survey(sources, workers=_workers(workers))
    typer.echo(json.dumps(report, ensure_ascii=False, indent=1) if as_json else render(report))


@contextmanager
def _failures() -> Iterator[None]:
    """A run that failed, or found the warehouse busy, exits 1 with its reason."""
    from yusuan import pipeline
    from yusuan.lock import WarehouseBusy

    try:
        yield
    except (pipeline.RunFailed, WarehouseBusy) as exc:
        typer.secho(f"run failed: {exc}", fg="red", err=True)
        raise typer.Exit(1) from exc


MetadataDb = Annotated[
    str | None,
    typer.Option(
        "--metadata-db",
        help="SQLAlchemy URL of Airflow's metadata DB, e.g."
        " postgresql+psycopg2://postgres@127.0.0.1:5432/airflow"
        " [YUSUAN_AIRFLOW_DB, SQLite in home/airflow/]",
    ),
]


@app.command("airflow-test")
def airflow_test(  # type: ignore[no-untyped-def]
    sources: Sources,
    warehouse: Warehouse = None,
    home: Home = None,
    force: Force = False,
    metadata_db: MetadataDb = None,
    region: Region = None,
    year: Year = None,
):
    """Run the `yusuan_load` Airflow DAG once with dag.test() (SQLite metadata in home,
    or the database --metadata-db names)."""
    from yusuan.airflow_run import MetadataDbError, run_dag

    settings = _settings(warehouse, home, force, region, year)
    _where(settings)
    try:
        state, run_id = run_dag(sources, settings, metadata_db or Environment().airflow_db)
    except MetadataDbError as exc:
        typer.secho(str(exc), fg="red", err=True)
        raise typer.Exit(1) from exc
    if state != "success":
        typer.secho(f"DAG run ended {state}", fg="red", err=True)
        raise typer.Exit(1)
    from yusuan import warehouse as wh

    verdicts = wh.run_verdicts(settings.published, run_id)
    statuses = [v["status"] for v in verdicts]
    report = {
        "run_id": run_id,
        "documents": {s: statuses.count(s) for s in STATUSES},
        "verdicts": verdicts,
        "marts": wh.mart_counts(settings.published),
        "warehouse": str(settings.published),
    }
    _summary(report, settings)


def _where(settings: Settings) -> None:
    if is_remote(settings.storage):
        typer.echo(f"home       {settings.home}  (gx/, airflow/, dbt/)")
        typer.echo(f"storage    {shown(settings.storage)}  (landing/, staging/, data_docs/)")
    else:
        typer.echo(f"home       {settings.home}  (landing/, staging/, gx/, airflow/, dbt/)")
    typer.echo(f"warehouse  {settings.published}")


def _summary(report: dict[str, Any], settings: Settings) -> None:
    docs = report["documents"]
    typer.echo(
        f"run {report['run_id']}: " + ", ".join(f"{docs[status]} {status}" for status in STATUSES)
    )
    for verdict in report["verdicts"]:
        if verdict["status"] != Status.LOADED:
            typer.echo(
                f"  {verdict['status']:<11} {verdict['file_name']}: {verdict['reason']}"
                f" - {(verdict['detail'] or '')[:300]}"
            )
    if report.get("stages"):  # `yusuan load`'s; Airflow shows a DAG run's per task
        steps = report["stages"].items()
        typer.echo("stages: " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in steps))
    typer.echo("rows per mart:")
    for table, count in report["marts"].items():
        typer.echo(f"  marts.{table:<24} {count}")
    typer.echo(f"warehouse  {report['warehouse']}")
    if bi := report.get("bi_postgres"):  # YUSUAN_BI_POSTGRES_URL (the URL may hold a password)
        done = f"{bi['tables']} tables, {bi['rows']} rows" if "tables" in bi else bi["failed"]
        typer.echo(f"postgres   schema marts: {done}")
    typer.echo(f"data docs  {shown(settings.data_docs)}")
    if settings.dbt_docs:
        typer.echo(f"dbt docs   {settings.dbt_docs_site / 'index.html'}")


def main() -> None:  # pragma: no cover
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # the steps as they start, on stderr: `[yusuan] extract: 3 document(s)`
    steps = logging.StreamHandler()
    steps.setFormatter(logging.Formatter("[yusuan] %(message)s"))
    progress = logging.getLogger("yusuan.pipeline")
    progress.setLevel(logging.INFO)
    progress.addHandler(steps)
    progress.propagate = False
    app()


if __name__ == "__main__":
    main()
