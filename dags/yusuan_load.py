"""Load budget-disclosure PDFs into the yusuan warehouse.

`pull` lands every source (file, folder, catalog, URL) in the content-addressed landing
zone, decides what is already loaded, and groups the rest in batches (YUSUAN_BATCH_SIZE
documents, 50 by default); `extract_and_validate` runs once per batch (dynamic task
mapping: a province of 10,000 sources is 200 tasks, a daily run of a few new documents
one), extraction and gate 1 of each document in its own worker process, so a bad
document is quarantined with a named reason while the others go on. A batch whose task
fails after its retries costs its own documents (`task_failed`), not the run: `load`
runs once every batch is done and one task succeeded. `load`,
`transform` (dbt build), `validate_marts` and `publish` write the DuckDB warehouse: they
run in the pool `yusuan_warehouse` of one slot and each holds the warehouse's lock, which
`yusuan load` holds for its whole run. Each task calls one step of `yusuan.pipeline`,
the same steps `yusuan load` runs.

The DAG runs when triggered, or by itself on YUSUAN_SCHEDULE (cron or `@daily`): each run
pulls the default sources (YUSUAN_SOURCES, an inbox) and loads what is not loaded yet.

Conf: `{"sources": [...], "home": "...", "warehouse": "...", "force": false,
"region": "", "fiscal_year": null, "limits": {...}}` (limits: yusuan.settings.Limits;
unset ones come from the environment). `region` and `fiscal_year` narrow the run to one
region (or province) or one year, a backfill: a source its catalog places elsewhere is not
pulled, a document that prints another is skipped as `out_of_scope`.
The conf may narrow what the environment allows, never widen it: a conf that would fails
the run at its first task, naming the key (yusuan.settings.Settings.from_dict).

Quarantines and holds are data outcomes, not task states: the steps alert on them
themselves (yusuan.alerts, Airflow's SMTP and Slack notifiers). A task that fails alerts
through its on_failure_callback, on the same channels.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import TYPE_CHECKING, Any, cast

import pendulum
from airflow.sdk import Param, TriggerRule, dag, get_current_context, task

from yusuan.settings import Environment  # pydantic only: cheap to parse

if TYPE_CHECKING:
    from yusuan.pipeline import Doc

# the params' defaults: YUSUAN_SOURCES, YUSUAN_HOME and YUSUAN_WAREHOUSE_PATH as set ("" for
# an unset home or warehouse: the run's own default, yusuan.settings.Settings)
ENVIRONMENT = Environment()
WAREHOUSE_POOL = "yusuan_warehouse"  # one slot: created by `airflow pools set` (compose)
# Under the CeleryExecutor the warehouse-writing tasks, and pull (it reads the published
# warehouse to know what is loaded), go to this queue, which one worker on the machine that
# holds the warehouse serves; the batches go to the default queue, any worker: they read and
# write only the storage root (YUSUAN_STORAGE_URL, yusuan.storage)
WAREHOUSE_QUEUE = ENVIRONMENT.warehouse_queue


def _settings() -> Any:
    from airflow.sdk.exceptions import AirflowFailException

    from yusuan.settings import ConfRefused, Settings

    try:
        return Settings.from_dict(get_current_context()["params"])
    except ConfRefused as exc:  # the conf would widen the environment: no retry helps
        raise AirflowFailException(str(exc)) from exc


def _task_failed(context: Any) -> None:
    """Every task's on_failure_callback: a failed task (a lock timeout, a killed worker, a
    crash) alerts the maintainers on the channels the quarantines use (yusuan.alerts)."""
    from yusuan import alerts

    alerts.task_failed(context)


@dag(
    dag_id="yusuan_load",
    schedule=ENVIRONMENT.schedule,  # YUSUAN_SCHEDULE: none (triggered) unless set
    start_date=pendulum.datetime(2024, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # one writer per warehouse file
    doc_md=__doc__,
    tags=["yusuan"],
    default_args={"on_failure_callback": _task_failed},
    params={
        "sources": Param(list(ENVIRONMENT.sources), type="array"),
        "home": Param(ENVIRONMENT.given("home"), type="string"),
        "warehouse": Param(ENVIRONMENT.given("warehouse_path"), type="string"),
        "force": Param(False, type="boolean"),
        "region": Param("", type="string", description="only this region or province"),
        "fiscal_year": Param(None, type=["null", "integer"], description="only this year"),
        "limits": Param({}, type="object"),
    },
)
def yusuan_load() -> None:
    # Documents travel between tasks as XComs: plain JSON dicts, which yusuan.pipeline.Doc
    # describes (the casts only tell the type checker so).
    # returns the batches to map over; the documents already decided (loaded, duplicate,
    # quarantined) go to load under the XCom key "decided"
    @task(retries=2, queue=WAREHOUSE_QUEUE)
    def pull() -> list[list[dict[str, Any]]]:
        from yusuan import pipeline
        from yusuan.settings import Environment

        context = get_current_context()
        docs = pipeline.pull(context["params"]["sources"], _settings())
        plan = pipeline.batches(docs, Environment().batch_size)
        context["ti"].xcom_push("decided", plan["decided"])
        return plan["batches"]

    @task(retries=2, retry_delay=timedelta(seconds=30))
    def extract_and_validate(batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from yusuan import pipeline

        done = pipeline.extract_and_validate_batch(cast("list[Doc]", batch), _settings())
        return cast("list[dict[str, Any]]", done)

    # Runs once every batch is done and one task (pull) succeeded: a failed batch costs its
    # documents (pipeline.gather), not the run. Every result is read in one call (a slice).
    @task(
        trigger_rule=TriggerRule.ALL_DONE_MIN_ONE_SUCCESS,
        pool=WAREHOUSE_POOL,
        queue=WAREHOUSE_QUEUE,
    )
    def load(
        decided: list[dict[str, Any]],
        batches: list[list[dict[str, Any]]],
        results: Sequence[list[dict[str, Any]]],
    ) -> dict[str, Any]:
        from yusuan import pipeline

        returned = list(results[:])  # every batch's result in one call: a slice
        docs = pipeline.gather(
            cast("list[Doc]", decided),
            cast("list[list[Doc]]", batches),
            cast("list[list[Doc]]", returned),
        )
        return pipeline.load(docs, _settings(), get_current_context()["run_id"])

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE)
    def transform(counts: dict[str, Any]) -> dict[str, Any]:
        from yusuan import pipeline

        return pipeline.transform(_settings(), get_current_context()["run_id"])

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE)
    def validate_marts(dbt_summary: dict[str, Any]) -> dict[str, Any]:
        from yusuan import pipeline

        return pipeline.validate_marts(_settings(), get_current_context()["run_id"])

    @task(pool=WAREHOUSE_POOL, queue=WAREHOUSE_QUEUE)
    def publish(gate: dict[str, Any]) -> dict[str, Any]:
        from yusuan import pipeline

        return pipeline.publish(gate, _settings(), get_current_context()["run_id"])

    # a TaskFlow call returns an XComArg standing for its value at run time, which the
    # tasks' annotations (the values they receive) do not describe
    batches = pull()
    results = extract_and_validate.expand(batch=batches)
    decided = cast("Any", batches)["decided"]  # pull's XCom of that key (a PlainXComArg)
    publish(validate_marts(transform(load(decided, batches, results))))  # type: ignore[arg-type]


yusuan_load_dag = yusuan_load()
