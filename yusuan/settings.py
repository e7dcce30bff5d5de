"""Where a run keeps its files and the limits it works within, read once: arguments, then
environment, then defaults. Every path, limit and timeout of a run is defined here.

The environment is the operator's, and so are the CLI's options. A DAG run's conf is
whoever triggered it: it may narrow what the environment allows, never widen it
(`Settings.from_dict`, the one place that decides it): a limit only lower, a source root
only under one of YUSUAN_SOURCE_ROOTS, a home or warehouse only under YUSUAN_DATA_ROOTS.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOME = Path.home() / ".yusuan"
BUILDING_SUFFIX = ".building.duckdb"
DEFAULT_DBT_PROJECT = PROJECT_ROOT / "dbt_project"


class ConfRefused(ValueError):
    """A DAG run's conf that would widen what the environment allows: the run stops before
    it pulls anything. The message names the offending key."""


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


def _env_paths(name: str) -> tuple[Path, ...]:
    """An os.pathsep-separated list of folders."""
    value = os.environ.get(name, "")
    return tuple(Path(p).expanduser().resolve() for p in value.split(os.pathsep) if p.strip())


def data_roots() -> tuple[Path, ...]:
    """YUSUAN_DATA_ROOTS: the folders a DAG run's conf may put its `home` and `warehouse`
    under; none: the conf may not name them (the environment's own apply)."""
    return _env_paths("YUSUAN_DATA_ROOTS")


def _limit(env: str, default: float, kind: type = float) -> Any:
    """A numeric limit, read from `env`; DAG conf may lower it, never raise it."""
    return field(default_factory=lambda: kind(_env_float(env, default)), metadata={"env": env})


@dataclass(frozen=True)
class Limits:
    """What one source may cost: bad input is bounded and costs only itself.

    Each limit has an environment variable; a source over a limit is quarantined with the
    reason named in brackets, and the run goes on.
    """

    # local sources must lie under one of these (a catalog's entries: under the catalog's
    # folder or one of these); empty: any path named on the command line or in DAG conf
    source_roots: tuple[Path, ...] = field(
        default_factory=lambda: _env_paths("YUSUAN_SOURCE_ROOTS"),
        metadata={"env": "YUSUAN_SOURCE_ROOTS"},
    )
    max_download_mb: float = _limit("YUSUAN_MAX_DOWNLOAD_MB", 200)  # [too_large]
    # one download, its retries included [unreachable]
    download_deadline_s: float = _limit("YUSUAN_DOWNLOAD_DEADLINE_S", 300)
    max_pages: int = _limit("YUSUAN_MAX_PAGES", 1000, int)  # [too_large]
    extract_timeout_s: float = _limit("YUSUAN_EXTRACT_TIMEOUT_S", 600)  # one document [timeout]
    # how long a run waits for another writer of its warehouse
    lock_timeout_s: float = _limit("YUSUAN_LOCK_TIMEOUT_S", 600)
    # the address space of one extraction process (extract.worker) [too_large]
    max_worker_mb: float = _limit("YUSUAN_MAX_WORKER_MB", 2048)

    @property
    def max_download_bytes(self) -> int:
        return int(self.max_download_mb * 1024 * 1024)

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_roots": [str(p) for p in self.source_roots],
            "max_download_mb": self.max_download_mb,
            "download_deadline_s": self.download_deadline_s,
            "max_pages": self.max_pages,
            "extract_timeout_s": self.extract_timeout_s,
            "lock_timeout_s": self.lock_timeout_s,
            "max_worker_mb": self.max_worker_mb,
        }

    def narrowed(self, conf: dict[str, Any]) -> Limits:
        """These limits (the environment's) with what a DAG run's conf sets, which may only
        narrow them: a numeric limit positive and at most this one's; each source root
        under one of these roots. With no roots set by the environment there is nothing to
        lie under: the conf can name none, and the sources it names are taken from any
        path, as the environment's are. Raises ConfRefused naming the key (an unknown one
        too)."""
        fields = self.__dataclass_fields__
        narrowed: dict[str, Any] = {}
        for key, value in conf.items():
            if key not in fields:
                raise ConfRefused(f"DAG conf limits.{key}: not a limit ({', '.join(fields)})")
            env = fields[key].metadata["env"]
            if key == "source_roots":
                narrowed[key] = self._narrowed_roots(value)
                continue
            allowed = getattr(self, key)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if not numeric or not 0 < value <= allowed:  # (NaN is never within)
                raise ConfRefused(
                    f"DAG conf limits.{key} = {value!r}: a run's conf may only lower a limit, "
                    f"to a number above 0 and at most the environment's {allowed:g} ({env})"
                )
            narrowed[key] = type(allowed)(value)
        return replace(self, **narrowed)

    def _narrowed_roots(self, value: Any) -> tuple[Path, ...]:
        if not isinstance(value, list | tuple) or not all(isinstance(p, str) for p in value):
            raise ConfRefused("DAG conf limits.source_roots: a list of folders")
        roots = tuple(Path(p).expanduser().resolve() for p in value)
        if not roots:  # no roots would allow any path: an empty list narrows nothing
            return self.source_roots
        for root in roots:
            if not _under(root, self.source_roots):
                allowed = ", ".join(str(r) for r in self.source_roots) or "none set"
                raise ConfRefused(
                    f"DAG conf limits.source_roots: {root} is not under a source root the "
                    f"environment allows (YUSUAN_SOURCE_ROOTS: {allowed})"
                )
        return roots


def _under(path: Path, roots: tuple[Path, ...]) -> bool:
    """`path` (resolved) lies in one of `roots`, or is one."""
    return any(path.is_relative_to(root) for root in roots)


@dataclass(frozen=True)
class Settings:
    """Paths of one pipeline run. `home` holds landing/, staging/, gx/, airflow/ and dbt/."""

    home: Path = field(default_factory=lambda: Path(os.environ.get("YUSUAN_HOME", DEFAULT_HOME)))
    warehouse: Path | None = None  # the published DuckDB file BI reads; default home/warehouse
    dbt_project: Path = field(
        default_factory=lambda: Path(os.environ.get("YUSUAN_DBT_PROJECT", DEFAULT_DBT_PROJECT))
    )
    force: bool = False  # re-load documents already loaded; a re-issued budget replaces its
    # predecessor (same department, year, level and document kind) instead of being
    # quarantined
    limits: Limits = field(default_factory=Limits)
    # YUSUAN_DBT_DOCS=1: after each dbt build, `dbt docs generate` writes the marts' docs site
    # (index.html, manifest.json, catalog.json) to dbt_docs_site; a failure there only warns
    dbt_docs: bool = field(default_factory=lambda: os.environ.get("YUSUAN_DBT_DOCS") == "1")

    def __post_init__(self) -> None:
        object.__setattr__(self, "home", Path(self.home).expanduser().resolve())
        warehouse = self.warehouse or os.environ.get("YUSUAN_WAREHOUSE_PATH")
        path = Path(warehouse) if warehouse else self.home / "warehouse.duckdb"
        object.__setattr__(self, "warehouse", path.expanduser().resolve())
        if not (Path(self.dbt_project) / "dbt_project.yml").exists():
            raise ValueError(f"no dbt project at {self.dbt_project} (set YUSUAN_DBT_PROJECT)")

    @property
    def published(self) -> Path:
        assert self.warehouse is not None
        return self.warehouse

    def building(self, run_id: str) -> Path:
        """The working copy run `run_id` loads and transforms before it is published: one per
        run, so that a run never touches another's (see `working_copies`)."""
        tag = re.sub(r"[^A-Za-z0-9._-]+", "_", run_id)
        return self.published.with_name(f"{self.published.stem}.{tag}{BUILDING_SUFFIX}")

    def working_copies(self) -> list[Path]:
        """Every run's working copy of this warehouse (a killed run leaves its own)."""
        return sorted(self.published.parent.glob(f"{self.published.stem}.*{BUILDING_SUFFIX}"))

    @property
    def rejected(self) -> Path:
        """Where a run that was not published leaves its build, for inspection."""
        return self.published.with_name(self.published.stem + ".rejected.duckdb")

    @property
    def lock_file(self) -> Path:
        """The lock every writer of this warehouse holds (yusuan.lock)."""
        return self.published.with_name(self.published.name + ".lock")

    @property
    def landing(self) -> Path:
        return self.home / "landing"

    @property
    def staging(self) -> Path:
        return self.home / "staging"

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
    def data_docs(self) -> Path:
        return self.gx_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"

    def to_dict(self) -> dict[str, Any]:
        """What a DAG run's conf carries: plain strings."""
        return {
            "home": str(self.home),
            "warehouse": str(self.published),
            "force": self.force,
            "limits": self.limits.to_dict(),
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
                    f"(YUSUAN_DATA_ROOTS: {allowed})"
                )
        return settings
