"""The Great Expectations file data context under `gx_root`, and checkpoint runs.

Everything GX knows is created from code, idempotently: a pandas data source per gate
("yusuan_staged", "yusuan_marts"), one dataframe asset with a whole-dataframe batch
definition per validated frame, the suites of expectations.suites (add_or_update), one
ValidationDefinition and one Checkpoint per suite. Checkpoints return COMPLETE results
indexed by the gate's index columns and store them (GX 1.x does so on every run), named by
what was validated (the document id, or "marts"). They have no actions: rendering Data Docs
costs more than validating, so `build_docs` renders them once per pipeline run, after both
gates, under `gx_root/gx/uncommitted/data_docs/local_site/`: a page for every stored result
no page shows yet (this run's, from whichever process validated), the suites and the index.

The context is built once per process and gx_root and then reused (warm runs). Several
processes may share one gx_root (Airflow workers): setup holds the gx_root's lock
exclusively, checkpoint runs hold it shared (filelock's ReadWriteLock, as yusuan.lock
holds the warehouse's).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import ReadWriteLock

from expectations.suites import ROW, WHERE, Gate, build_suite

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResult,
    )

DOCS_SITE = "local_site"
BATCH_DEFINITION = "whole_dataframe"
# The Data Docs index lists the latest validation results only, and at least every result
# rendered by this build: building it reads every result it lists, so an unbounded index
# would slow each run down as loads pile up.
DOCS_INDEX_LIMIT = 50
_LOCK_FILE = ".yusuan-gate.lock.db"  # (a SQLite file: filelock's read-write lock)

_RUNTIMES: dict[Path, _Runtime] = {}
_RUNTIMES_LOCK = threading.Lock()


@contextmanager
def _file_lock(gx_root: Path, exclusive: bool) -> Iterator[None]:
    """Hold gx_root's lock, exclusively (one holder) or shared (any number of them), until
    the block ends; wait for it as long as it takes. A lock object of its own each time
    (not the per-path singleton), so that two threads of a process wait for each other as
    two processes do; the operating system releases the lock of a process that dies."""
    lock = ReadWriteLock(gx_root / _LOCK_FILE, is_singleton=False)
    try:
        with lock.write_lock() if exclusive else lock.read_lock():
            yield
    finally:
        lock.close()


class _Runtime:
    def __init__(self, gx_root: Path) -> None:
        import great_expectations as gx

        self.gx_root = gx_root
        self.lock = threading.Lock()
        self.checkpoints: dict[str, Any] = {}
        gx_root.mkdir(parents=True, exist_ok=True)
        with _file_lock(gx_root, exclusive=True):
            self.context = gx.get_context(mode="file", project_root_dir=str(gx_root))
            self._configure()

    def _configure(self) -> None:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = self.context
        bars = context.variables.progress_bars  # a ProgressBarsConfig, or a dict once saved
        flags = dict(bars) if isinstance(bars, dict) else vars(bars) if bars is not None else {}
        if flags.get("globally", True) or flags.get("metric_calculations", True):
            context.variables.progress_bars = ProgressBarsConfig(
                globally=False, metric_calculations=False
            )
            context.variables.save()
        sites = context.list_data_docs_sites()
        site = dict(sites.get(DOCS_SITE) or {})
        index_builder = {
            "class_name": "DefaultSiteIndexBuilder",
            "validation_results_limit": DOCS_INDEX_LIMIT,
        }
        if site.get("site_index_builder") != index_builder:
            site.setdefault("class_name", "SiteBuilder")
            site.setdefault(
                "store_backend",
                {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": f"uncommitted/data_docs/{DOCS_SITE}/",
                },
            )
            site["site_index_builder"] = index_builder
            if DOCS_SITE in sites:
                context.update_data_docs_site(DOCS_SITE, site)
            else:
                context.add_data_docs_site(DOCS_SITE, site)

    def checkpoint(self, gate: Gate) -> Any:
        checkpoint = self.checkpoints.get(gate.suite_name)
        if checkpoint is None:
            with _file_lock(self.gx_root, exclusive=True):
                checkpoint = self._add_or_update(gate)
            self.checkpoints[gate.suite_name] = checkpoint
        return checkpoint

    def _add_or_update(self, gate: Gate) -> Any:
        import great_expectations as gx

        context = self.context
        # get-or-create: add_or_update_pandas on an existing source replaces it without its
        # assets, which would stale the validation definitions other processes hold.
        try:
            source = context.data_sources.get(gate.datasource)
        except KeyError:
            source = context.data_sources.add_or_update_pandas(name=gate.datasource)
        try:
            asset = source.get_asset(gate.asset)
        except LookupError:
            asset = source.add_dataframe_asset(name=gate.asset)
        try:
            batch_definition = asset.get_batch_definition(BATCH_DEFINITION)
        except KeyError:
            batch_definition = asset.add_batch_definition_whole_dataframe(BATCH_DEFINITION)

        # Write only what changed: several processes share one gx_root (Airflow runs each
        # mapped task in a process of its own), and re-saving a suite another process is
        # validating with makes its checkpoint stale (CheckpointRelatedResourcesFreshness).
        built = build_suite(gate)
        suite = _stored(context.suites, gate.suite_name)
        changed = suite is None or _definition(suite) != _definition(built)
        if changed:
            suite = context.suites.add_or_update(built)
        validation = _stored(context.validation_definitions, gate.suite_name)
        if (
            changed
            or validation is None
            or (validation.suite.name, validation.data.name) != (suite.name, BATCH_DEFINITION)
            or validation.data.data_asset.name != gate.asset
        ):
            changed = True
            validation = context.validation_definitions.add_or_update(
                gx.ValidationDefinition(name=gate.suite_name, data=batch_definition, suite=suite)
            )
        result_format = {
            "result_format": "COMPLETE",
            "unexpected_index_column_names": list(gate.index_columns),
            "return_unexpected_index_query": False,
            "partial_unexpected_count": 20,
        }
        checkpoint = _stored(context.checkpoints, gate.checkpoint_name)
        if (
            changed
            or checkpoint is None
            or checkpoint.actions
            or checkpoint.result_format != result_format
            or [v.name for v in checkpoint.validation_definitions] != [validation.name]
        ):
            checkpoint = context.checkpoints.add_or_update(
                gx.Checkpoint(
                    name=gate.checkpoint_name,
                    validation_definitions=[validation],
                    actions=[],  # Data Docs are built once per pipeline run: build_docs
                    result_format=result_format,
                )
            )
        return checkpoint

    def run(
        self,
        gate: Gate,
        frame: pd.DataFrame,
        run_name: str,
        expectation_parameters: dict[str, Any] | None = None,
    ) -> ExpectationSuiteValidationResult:
        """Validate `frame` with the gate's checkpoint; the result is stored under `run_name`
        (what the Data Docs index names the result by) and the time of the run."""
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.exceptions.exceptions import (
            GreatExpectationsAggregateError,
            GreatExpectationsError,
        )

        run_id = RunIdentifier(run_name=run_name, run_time=datetime.now(UTC))
        with self.lock:
            for attempt in (1, 2):
                checkpoint = self.checkpoint(gate)
                try:
                    with _file_lock(self.gx_root, exclusive=False):
                        result = checkpoint.run(
                            batch_parameters={"dataframe": frame},
                            expectation_parameters=expectation_parameters,
                            run_id=run_id,
                        )
                    break
                except (GreatExpectationsError, GreatExpectationsAggregateError):
                    # e.g. CheckpointNotFreshError: another process re-created the gate's
                    # objects. Set them up again from code, once.
                    self.checkpoints.pop(gate.suite_name, None)
                    if attempt == 2:
                        raise
        return next(iter(result.run_results.values()))

    def build_docs(self) -> Path:
        """Render the Data Docs pages of every stored validation result that has none yet, the
        suites' pages and the index; return the index page."""
        from great_expectations.data_context.types.resource_identifiers import (
            ValidationResultIdentifier,
        )

        with self.lock, _file_lock(self.gx_root, exclusive=True):
            context = self.context
            rendered = set(
                self._site_builder(DOCS_INDEX_LIMIT)
                .target_store.store_backends[ValidationResultIdentifier]
                .list_keys()
            )
            new = [
                key
                for key in context.validation_results_store.list_keys()
                if key.to_tuple() not in rendered
            ]
            # (`None` renders every stored result: only when there is neither result nor suite)
            pages = set(new) | set(context.expectations_store.list_keys())
            builder = self._site_builder(max(DOCS_INDEX_LIMIT, len(new)))
            builder.build(resource_identifiers=pages or None)
        return self.docs_index

    def _site_builder(self, index_limit: int) -> Any:
        """The local site's builder; its index lists the latest `index_limit` results and its
        validations section renders whichever results it is given."""
        from great_expectations.render.renderer.site_builder import SiteBuilder

        site = self.context.list_data_docs_sites()[DOCS_SITE]
        config = {k: v for k, v in site.items() if k not in ("class_name", "module_name")}
        config["site_index_builder"] = {
            "class_name": "DefaultSiteIndexBuilder",
            "validation_results_limit": index_limit,
        }
        config["site_section_builders"] = {"validations": {"validation_results_limit": None}}
        return SiteBuilder(
            data_context=self.context,
            site_name=DOCS_SITE,
            runtime_environment={"root_directory": self.context.root_directory},
            **config,
        )

    @property
    def docs_index(self) -> Path:
        return self.gx_root / "gx" / "uncommitted" / "data_docs" / DOCS_SITE / "index.html"

    @property
    def alive(self) -> bool:
        return (self.gx_root / "gx" / "great_expectations.yml").is_file()


def _stored(store: Any, name: str) -> Any:
    """The object of that name in a GX store, or None."""
    from great_expectations.exceptions import DataContextError

    try:
        return store.get(name)
    except DataContextError:
        return None


def _definition(suite: Any) -> list[dict[str, Any]]:
    """What a suite checks: its expectations without the ids GX gives them when saved."""
    expectations = suite.to_json_dict()["expectations"]
    return [{k: v for k, v in e.items() if k != "id"} for e in expectations]


def runtime(gx_root: Path) -> _Runtime:
    """The GX runtime of `gx_root`, built on first use in this process."""
    key = Path(gx_root).resolve()
    with _RUNTIMES_LOCK:
        found = _RUNTIMES.get(key)
        if found is None or not found.alive:  # first use, or the project was removed since
            found = _RUNTIMES[key] = _Runtime(key)
        return found


def build_docs(gx_root: Path) -> Path:
    """Build the Data Docs of `gx_root` once (after a run's gates); return the index page."""
    return runtime(gx_root).build_docs()


def with_row_ids(frame: pd.DataFrame, where: pd.Series | None = None) -> pd.DataFrame:
    """A copy of `frame` carrying the row id and lineage columns GX reports failures by."""
    out = frame.reset_index(drop=True).copy()
    out[ROW] = range(len(out))
    if where is not None:
        out[WHERE] = where.reset_index(drop=True).astype(object)
    else:
        out[WHERE] = [f"#{i}" for i in range(len(out))]
    return out
