"""Every setting of yusuan, read once: arguments, then environment, then defaults.

`Environment` is the one object that reads the `YUSUAN_*` environment variables. Each of
its fields is one variable (`YUSUAN_` and the field's name, upper-cased), validated (a
number that is not one, a limit not above 0, a flag other than 1/0/true/false fails
naming the variable: SettingInvalid) and documented (README's settings table is printed
from it, `python -m tools.settings_table`). Every other module receives settings or reads
them from it: `Settings` (the paths of one run) and `Limits` take their defaults from it,
and so do the alerts, the CLI and the DAG's params.

The environment is the operator's, and so are the CLI's options. A DAG run's conf is
whoever triggered it: it may narrow what the environment allows, never widen it
(`Settings.from_dict`, the one place that decides it): a limit only lower, a source root
only under one of YUSUAN_SOURCE_ROOTS, a home or warehouse only under YUSUAN_DATA_ROOTS.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic.config import JsonDict
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from yusuan import storage
from yusuan.storage import Location

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOME = Path.home() / ".yusuan"
BUILDING_SUFFIX = ".building"
# The working copy's file name in its run's folder, in every run: dbt names the database
# after the file and hashes the profile's path; both stay the same, so dbt reuses its parse
# from run to run (yusuan.pipeline.transform). DuckDB keeps no database name in the file.
WORKING_COPY = "yusuan.duckdb"
DEFAULT_DBT_PROJECT = PROJECT_ROOT / "dbt_project"
PREFIX = "YUSUAN_"


def variable(name: str) -> str:
    """The environment variable of setting `name`: max_pages -> YUSUAN_MAX_PAGES."""
    return PREFIX + name.upper()


class ConfRefused(ValueError):
    """A DAG run's conf that would widen what the environment allows: the run stops before
    it pulls anything. The message names the offending key."""


class SettingInvalid(ValueError):
    """A setting that is not what it must be (YUSUAN_MAX_PAGES=many): the message names
    the variable."""


def _setting(
    default: Any,
    description: str,
    shown: str | None = None,
    option: str | None = None,
    **rules: Any,
) -> Any:
    """A setting: its default, what it sets (README's table says so), how the table shows
    the default where it is not the value itself, the CLI's option for it if any, and the
    rules its value must keep (pydantic's: gt=0)."""
    extra: JsonDict = {k: v for k, v in (("shown", shown), ("option", option)) if v is not None}
    return Field(default, description=description, json_schema_extra=extra, **rules)


# A list setting is one string: folders (and the DAG's sources) separated by os.pathsep
# (`:`), addresses by commas; NoDecode keeps pydantic-settings from reading it as JSON.
Folders = Annotated[tuple[Path, ...], NoDecode]
Items = Annotated[tuple[str, ...], NoDecode]


def _split(value: Any, separator: str) -> Any:
    if not isinstance(value, str):
        return value
    return tuple(part.strip() for part in value.split(separator) if part.strip())


def _resolved(paths: tuple[Path, ...]) -> tuple[Path, ...]:
    return tuple(Path(p).expanduser().resolve() for p in paths)


class _Variables(BaseSettings):
    """Fields read from YUSUAN_<NAME>; an empty variable is an unset one."""

    model_config = SettingsConfigDict(
        env_prefix=PREFIX, env_ignore_empty=True, frozen=True, validate_default=True
    )

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise SettingInvalid(_describe(exc)) from exc


def _describe(exc: ValidationError) -> str:
    """What failed, by variable: `YUSUAN_MAX_PAGES = 'many': Input should be ...`."""
    problems = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else "?"
        problems.append(f"{variable(name)} = {error.get('input')!r}: {error['msg']}")
    return "invalid setting: " + "; ".join(problems)


class Limits(_Variables):
    """What one source may cost: bad input is bounded and costs only itself.

    Each limit is a setting; a source over a limit is quarantined with the reason named in
    brackets, and the run goes on. A DAG run's conf may lower them (`narrowed`).
    """

    # local sources must lie under one of these (a catalog's entries: under the catalog's
    # folder or one of these); empty: any path named on the command line or in DAG conf
    source_roots: Folders = _setting(
        (),
        "folders local sources must lie under (`bad_source`; `:`-separated)",
        "any named on the command line; a catalog's own folder",
    )
    max_download_mb: float = _setting(200, "size of one source (`too_large`)", gt=0)
    download_deadline_s: float = _setting(
        300, "one download, retries included (`unreachable`)", gt=0
    )
    max_pages: int = _setting(1000, "pages of one PDF (`too_large`)", gt=0)
    extract_timeout_s: float = _setting(600, "extraction of one PDF (`timeout`)", gt=0)
    lock_timeout_s: float = _setting(600, "wait for another writer of the warehouse", gt=0)
    max_worker_mb: float = _setting(
        2048, "memory (address space) of one extraction process (`too_large`)", gt=0
    )

    @field_validator("source_roots", mode="before")
    @classmethod
    def _folders(cls, value: Any) -> Any:
        return _split(value, os.pathsep)

    @field_validator("source_roots")
    @classmethod
    def _resolve(cls, value: tuple[Path, ...]) -> tuple[Path, ...]:
        return _resolved(value)

    @property
    def max_download_bytes(self) -> int:
        return int(self.max_download_mb * 1024 * 1024)

    def to_dict(self) -> dict[str, Any]:
        """What a DAG run's conf carries: plain numbers and strings."""
        return {name: getattr(self, name) for name in Limits.model_fields} | {
            "source_roots": [str(p) for p in self.source_roots]
        }

    def narrowed(self, conf: dict[str, Any]) -> Limits:
        """These limits (the environment's) with what a DAG run's conf sets, which may only
        narrow them: a numeric limit positive and at most this one's; each source root
        under one of these roots. With no roots set by the environment there is nothing to
        lie under: the conf can name none, and the sources it names are taken from any
        path, as the environment's are. Raises ConfRefused naming the key (an unknown one
        too)."""
        fields = Limits.model_fields
        narrowed: dict[str, Any] = {}
        for key, value in conf.items():
            if key not in fields:
                raise ConfRefused(f"DAG conf limits.{key}: not a limit ({', '.join(fields)})")
            if key == "source_roots":
                narrowed[key] = self._narrowed_roots(value)
                continue
            allowed = getattr(self, key)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if not numeric or not 0 < value <= allowed:  # (NaN is never within)
                raise ConfRefused(
                    f"DAG conf limits.{key} = {value!r}: a run's conf may only lower a limit, "
                    f"to a number above 0 and at most the environment's {allowed:g} "
                    f"({variable(key)})"
                )
            narrowed[key] = type(allowed)(value)
        return self.model_copy(update=narrowed)

    def _narrowed_roots(self, value: Any) -> tuple[Path, ...]:
        if not isinstance(value, list | tuple) or not all(isinstance(p, str) for p in value):
            raise ConfRefused("DAG conf limits.source_roots: a list of folders")
        roots = _resolved(tuple(Path(p) for p in value))
        if not roots:  # no roots would allow any path: an empty list narrows nothing
            return self.source_roots
        for root in roots:
            if not _under(root, self.source_roots):
                allowed = ", ".join(str(r) for r in self.source_roots) or "none set"
                raise ConfRefused(
                    f"DAG conf limits.source_roots: {root} is not under a source root the "
                    f"environment allows ({variable('source_roots')}: {allowed})"
                )
        return roots


class Alerting(_Variables):
    """Where data-quality alerts go (yusuan.alerts): Airflow connections of a mail server
    and a chat webhook, either, both or none (a connection not defined is a channel off)."""

    alert_to: Items = _setting(
        (), "who alert emails go to (comma-separated)", "none: no email is sent"
    )
    alert_smtp_conn: str = _setting(
        "yusuan_smtp",
        "Airflow connection of the mail server of alerts (`AIRFLOW_CONN_YUSUAN_SMTP`)",
    )
    alert_webhook_conn: str = _setting(
        "yusuan_webhook",
        "Airflow connection of the chat webhook of alerts, Slack's incoming-webhook JSON "
        "(`AIRFLOW_CONN_YUSUAN_WEBHOOK`)",
    )

    @field_validator("alert_to", mode="before")
    @classmethod
    def _addresses(cls, value: Any) -> Any:
        return _split(value, ",")


class Environment(Limits, Alerting):
    """Every YUSUAN_* variable: the limits and the alerts' channels (above), where a run
    keeps its files, the DAG's and the CLI's defaults. Read when made: `Environment()`."""

    home: Path = _setting(
        DEFAULT_HOME,
        "working files (landing/, staging/, gx/, airflow/, dbt/)",
        "`~/.yusuan`",
        "--home",
    )
    warehouse_path: Path | None = _setting(
        None, "warehouse BI reads (dbt's profile too)", "`<home>/warehouse.duckdb`", "--warehouse"
    )
    dbt_project: Path = _setting(
        DEFAULT_DBT_PROJECT, "dbt project", "`dbt_project/` of this checkout"
    )
    dbt_parse_cache: Path | None = _setting(
        None,
        "a file keeping dbt's parse for every home: a home's first build starts from it",
        "none: each home parses once",
    )
    dbt_docs: bool = _setting(
        False,
        "dbt's docs site of the marts after each build (`<home>/dbt/target/index.html`; 1: on)",
        "off (on in `docker-compose.yml`)",
    )
    data_roots: Folders = _setting(
        (),
        "folders a DAG run's conf may put `home` and `warehouse` under (`:`-separated)",
        "none: only the environment's own",
    )
    sources: Items = _setting(
        (), "the DAG's sources when a run's conf names none (`:`-separated)", "none"
    )
    schedule: str | None = _setting(
        None,
        "when the DAG runs by itself (cron or a preset such as `@daily`): each run loads"
        " what its sources hold that is not loaded yet",
        "none: a run is triggered (UI, REST API); `@daily` in `docker-compose.yml`",
    )
    workers: int | None = _setting(
        None, "extraction processes of `yusuan load` and `survey`", "CPUs", "--workers", gt=0
    )
    batch_size: int = _setting(
        50, "documents per extraction task (extract and gate 1) of the DAG", gt=0
    )
    warehouse_queue: str = _setting(
        "yusuan_warehouse",
        "Celery queue of the DAG's warehouse-writing tasks: one worker on the warehouse's"
        " machine serves it",
    )
    airflow_db: str | None = _setting(
        None,
        "Airflow's metadata database of `yusuan airflow-test` (SQLAlchemy URL)",
        "SQLite in `<home>/airflow/`",
        "--metadata-db",
    )
    storage_url: str | None = _setting(
        None,
        "where landing/, staging/ and the Data Docs live, shared by every worker: an fsspec "
        "URL (`s3://bucket/prefix`; its options from the library's own environment, e.g. "
        "`AWS_ENDPOINT_URL`) or a folder (docs/operations.md)",
        "`<home>`",
    )
    page_reader: Literal["pdfium", "pdfminer"] = _setting(
        "pdfium",
        "what reads a page's characters and rulings for pdfplumber: `pdfium` (pdfminer for a"
        " page PDFium cannot give as pdfminer would; extract/pdfium.py), or `pdfminer` for"
        " every page",
    )
    bi_postgres_url: str | None = _setting(
        None,
        "PostgreSQL database the marts are copied into after each publish, for BI "
        "(libpq URL: `postgresql://user@host:5432/db`; docs/operations.md)",
        "none: the marts are in DuckDB only",
    )

    @field_validator("data_roots", "sources", mode="before")
    @classmethod
    def _paths(cls, value: Any) -> Any:
        return _split(value, os.pathsep)

    @field_validator("data_roots")
    @classmethod
    def _resolve_data_roots(cls, value: tuple[Path, ...]) -> tuple[Path, ...]:
        return _resolved(value)

    def given(self, name: str) -> str:
        """Setting `name` as the environment gives it; "" when it is unset (a DAG param's
        default: what the run makes of an unset one is `Settings`' to say)."""
        return str(getattr(self, name)) if name in self.model_fields_set else ""


def data_roots() -> tuple[Path, ...]:
    """YUSUAN_DATA_ROOTS: the folders a DAG run's conf may put its `home` and `warehouse`
    under; none: the conf may not name them (the environment's own apply)."""
    return Environment().data_roots


def _under(path: Path, roots: tuple[Path, ...]) -> bool:
    """`path` (resolved) lies in one of `roots`, or is one."""
    return any(path.is_relative_to(root) for root in roots)


@dataclass(frozen=True)
class Settings:
    """Paths of one pipeline run. `home` holds landing/, staging/, gx/, airflow/ and dbt/.
    What is not given is the environment's (`Environment`)."""

    home: Path = field(default_factory=lambda: Environment().home)
    warehouse: Path | None = None  # the published DuckDB file BI reads; default home/warehouse
    dbt_project: Path = field(default_factory=lambda: Environment().dbt_project)
    dbt_parse_cache: Path | None = field(default_factory=lambda: Environment().dbt_parse_cache)
    force: bool = False  # re-load documents already loaded; another version of a loaded
    # budget (same department, year, level and document kind) replaces it instead of being
    # skipped as other_version (yusuan.versions)
    limits: Limits = field(default_factory=Limits)
    # after each dbt build, `dbt docs generate` writes the marts' docs site (index.html,
    # manifest.json, catalog.json) to dbt_docs_site; a failure there only warns
    dbt_docs: bool = field(default_factory=lambda: Environment().dbt_docs)
    # after each publish, the marts are written into this PostgreSQL database whole
    # (yusuan.bi_postgres); None: DuckDB only
    bi_postgres_url: str | None = field(default_factory=lambda: Environment().bi_postgres_url)
    # the root of landing/, staging/ and the Data Docs (yusuan.storage); None: the home
    storage_url: str | None = field(default_factory=lambda: Environment().storage_url)
    # the run's scope (a backfill): only documents of this region (or province) and fiscal
    # year load; a source its catalog places elsewhere is not pulled, a document that prints
    # another is skipped as out_of_scope (yusuan.pipeline.out_of_scope). None: every one.
    region: str | None = None
    fiscal_year: int | None = None
    # what reads pages (extract.pdf.read_pages): "pdfium", or "pdfminer" for every page
    page_reader: str = field(default_factory=lambda: Environment().page_reader)

    def __post_init__(self) -> None:
        object.__setattr__(self, "home", Path(self.home).expanduser().resolve())
        warehouse = self.warehouse or Environment().warehouse_path
        path = Path(warehouse) if warehouse else self.home / "warehouse.duckdb"
        object.__setattr__(self, "warehouse", path.expanduser().resolve())
        if not (Path(self.dbt_project) / "dbt_project.yml").exists():
            project = variable("dbt_project")
            raise ValueError(f"no dbt project at {self.dbt_project} (set {project})")

    @property
    def published(self) -> Path:
        assert self.warehouse is not None
        return self.warehouse

    def building(self, run_id: str) -> Path:
        """The working copy run `run_id` loads and transforms before it is published: one per
        run, so that a run never touches another's (see `working_copies`), in a folder of its
        own under one name (WORKING_COPY)."""
        tag = re.sub(r"[^A-Za-z0-9._-]+", "_", run_id)
        folder = self.published.with_name(f"{self.published.stem}.{tag}{BUILDING_SUFFIX}")
        return folder / WORKING_COPY

    def working_copies(self) -> list[Path]:
        """Every run's working copy of this warehouse (a killed run leaves its own)."""
        folders = self.published.parent.glob(f"{self.published.stem}.*{BUILDING_SUFFIX}")
        return sorted(folder / WORKING_COPY for folder in folders if folder.is_dir())

    @property
    def rejected(self) -> Path:
        """Where a run that was not published leaves its build, for inspection."""
        return self.published.with_name(self.published.stem + ".rejected.duckdb")

    @property
    def lock_file(self) -> Path:
        """The lock every writer of this warehouse holds (yusuan.lock)."""
        return self.published.with_name(self.published.name + ".lock")

    @property
    def storage(self) -> Location:
        """The root of landing/, staging/ and the Data Docs every worker shares: the home,
        or YUSUAN_STORAGE_URL (yusuan.storage)."""
        return storage.root(self.storage_url, self.home)

    @property
    def landing(self) -> Location:
        return self.storage / "landing"

    @property
    def staging(self) -> Location:
        return self.storage / "staging"

    @property
    def gx_root(self) -> Path:
        return self.home / "gx"

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"

    @property
    def dbt_target(self) -> Path:
        return self.home / "dbt"

    @property
    def dbt_docs_site(self) -> Path:
        """dbt's docs site of the last build (YUSUAN_DBT_DOCS=1): open index.html."""
        return self.dbt_target / "target"

    @property
    def local_data_docs(self) -> Path:
        """The Data Docs site this machine builds (its index page) from its gx/ project."""
        return self.gx_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"

    @property
    def gx_results(self) -> Path:
        """Where this machine's gx/ project stores validation results (GX's file store)."""
        return self.gx_root / "gx" / "uncommitted" / "validations"

    @property
    def data_docs(self) -> Location:
        """The Data Docs' index page: this machine's site, or its copy in the storage root
        (`data_docs/`) when that is remote."""
        if storage.is_remote(self.storage):
            return self.storage / "data_docs" / "index.html"
        return self.local_data_docs

    def variables(self) -> dict[str, str]:
        """This run's home and warehouse as the environment gives them: how `yusuan
        airflow-test` hands the operator's --home and --warehouse to its DAG run."""
        return {variable("home"): str(self.home), variable("warehouse_path"): str(self.published)}

    def to_dict(self) -> dict[str, Any]:
        """What a DAG run's conf carries: plain strings."""
        return {
            "home": str(self.home),
            "warehouse": str(self.published),
            "force": self.force,
            "limits": self.limits.to_dict(),
            "region": self.region or "",
            "fiscal_year": self.fiscal_year,
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Settings:
        """The settings of a DAG run: the environment's, narrowed by its conf (`values`).
        Raises ConfRefused, naming the key, for a conf that would widen them: a limit above
        the environment's, a source root outside its roots (`Limits.narrowed`), a `home` or
        `warehouse` other than the environment's own that is not under YUSUAN_DATA_ROOTS."""
        environment = cls()
        settings = cls(
            home=Path(values["home"]) if values.get("home") else environment.home,
            warehouse=Path(values["warehouse"]) if values.get("warehouse") else None,
            force=bool(values.get("force", False)),
            limits=environment.limits.narrowed(values.get("limits") or {}),
            region=values.get("region") or None,
            fiscal_year=int(values["fiscal_year"]) if values.get("fiscal_year") else None,
        )
        roots = data_roots()
        for key, path, own in (
            ("home", settings.home, environment.home),
            ("warehouse", settings.published, environment.published),
        ):
            # a warehouse is never a root itself: its lock and working copies lie beside it
            inside = _under(path, roots) and (key == "home" or path not in roots)
            if values.get(key) and path != own and not inside:
                allowed = ", ".join(str(r) for r in roots) or "none set: only the environment's"
                raise ConfRefused(
                    f"DAG conf {key}: {path} is not under a folder the environment allows "
                    f"({variable('data_roots')}: {allowed})"
                )
        return settings
