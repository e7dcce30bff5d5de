"""Load budget-disclosure PDFs into the yusuan warehouse.

`pull` lands every source (file, folder, catalog, URL) in the content-addressed landing
zone; `extract` and `validate` run once per document (dynamic task mapping), so a bad
document is quarantined with a named reason while the others go on; `load`,
`transform` (dbt build), `validate_marts` and `publish` write the DuckDB warehouse: they
run in the pool `yusuan_warehouse` of one slot and each holds the warehouse's lock, which
`yusuan load` holds for its whole run. Each task calls one step of `yusuan.pipeline`,
the same steps `yusuan load` runs.

Conf: `{"sources": [...], "home": "...", "warehouse": "...", "force": false,
"limits": {...}}` (limits: yusuan.settings.Limits; unset ones come from the environment).
The conf may narrow what the environment allows, never widen it: a conf that would fails
the run at its first task, naming the key (yusuan.settings.Settings.from_dict).

Quarantines and holds are data outcomes, not task states: the steps alert on them
themselves (yusuan.alerts, Airflow's SMTP and Slack notifiers). A task that fails alerts
through its on_failure_callback, on the same channels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

from yusuan.settings import Environment  # pydantic only: cheap to parse

if TYPE_CHECKING:
    from yusuan.pipeline import Doc

# the params' defaults: YUSUAN_SOURCES, YUSUAN_HOME and YUSUAN_WAREHOUSE_PATH as set ("" for
# an unset home or warehouse: the run's own default, yusuan.settings.Settings)
ENVIRONMENT = Environment()
WAREHOUSE_POOL = "yusuan_warehouse"  # one slot: created by `airflow pools set` (compose)


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
    schedule=None,
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
        "limits": Param({}, type="object"),
    },
)
def yusuan_load() -> None:
    # Documents travel between tasks as XComs: plain JSON dicts, which yusuan.pipeline.Doc
    # describes (the casts only tell the type checker so).
    @task(retries=2)
    def pull() -> list[dict[str, Any]]:
        from yusuan import pipeline

        docs = pipeline.pull(get_current_context()["params"]["sources"], _settings())
        return cast("list[dict[str, Any]]", docs)

    @task
    def extract(doc: dict[str, Any]) -> dict[str, Any]:
        from yusuan import pipeline

        return cast("dict[str, Any]", pipeline.extract(cast("Doc", doc), _settings()))

    @task
    def validate(doc: dict[str, Any]) -> dict[str, Any]:
        from yusuan import pipeline

        return cast("dict[str, Any]", pipeline.validate(cast("Doc", doc), _settings()))

    # Runs even when no document was mapped (zero sources: the mapped tasks are skipped),
    # so that a run always builds, audits and publishes, as `yusuan load` does.
    @task(trigger_rule="none_failed", pool=WAREHOUSE_POOL)
    def load(docs: list[dict[str, Any]]) -> dict[str, Any]:
        from yusuan import pipeline

        # index by position: iterating the lazy XCom sequence probes one past its end
        everything = [cast("Doc", docs[i]) for i in range(len(docs))]
        return pipeline.load(everything, _settings(), get_current_context()["run_id"])

    @task(pool=WAREHOUSE_POOL)
    def transform(counts: dict[str, Any]) -> dict[str, Any]:
        from yusuan import pipeline

        return pipeline.transform(_settings(), get_current_context()["run_id"])

    @task(pool=WAREHOUSE_POOL)
    def validate_marts(dbt_summary: dict[str, Any]) -> dict[str, Any]:
        from yusuan import pipeline

        return pipeline.validate_marts(_settings(), get_current_context()["run_id"])

    @task(pool=WAREHOUSE_POOL)
    def publish(gate: dict[str, Any]) -> dict[str, Any]:
        from yusuan import pipeline

        return pipeline.publish(gate, _settings(), get_current_context()["run_id"])

    # a TaskFlow call returns an XComArg standing for its value at run time, which the
    # tasks' annotations (the values they receive) do not describe
    docs = validate.expand(doc=extract.expand(doc=pull()))
    publish(validate_marts(transform(load(docs))))  # type: ignore[arg-type]


yusuan_load_dag = yusuan_load()
