"""Where a run keeps its files and the limits it works within, read once: arguments, then
environment, then defaults. Every path, limit and timeout of a run is defined here."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOME = Path.home() / ".yusuan"
BUILDING_SUFFIX = ".building.duckdb"
DEFAULT_DBT_PROJECT = PROJECT_ROOT / "dbt_project"


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


def _env_roots() -> tuple[Path, ...]:
    value = os.environ.get("YUSUAN_SOURCE_ROOTS", "")
    return tuple(Path(p).expanduser().resolve() for p in value.split(os.pathsep) if p.strip())


@dataclass(frozen=True)
class Limits:
    """What one source may cost: bad input is bounded and costs only itself.

    Each limit has an environment variable; a source over a limit is quarantined with the
    reason named in brackets, and the run goes on.
    """

    # local sources must lie under one of these (a catalog's entries: under the catalog's
    # folder or one of these); empty: any path named on the command line or in DAG conf
    source_roots: tuple[Path, ...] = field(default_factory=_env_roots)  # YUSUAN_SOURCE_ROOTS
    max_download_mb: float = field(  # [too_large]
        default_factory=lambda: _env_float("YUSUAN_MAX_DOWNLOAD_MB", 200)
    )
    download_deadline_s: float = field(  # one download, its retries included [unreachable]
        default_factory=lambda: _env_float("YUSUAN_DOWNLOAD_DEADLINE_S", 300)
    )
    max_pages: int = field(  # [too_large]
        default_factory=lambda: int(_env_float("YUSUAN_MAX_PAGES", 1000))
    )
    extract_timeout_s: float = field(  # one document's extraction [timeout]
        default_factory=lambda: _env_float("YUSUAN_EXTRACT_TIMEOUT_S", 600)
    )
    lock_timeout_s: float = field(  # how long a run waits for another writer of its warehouse
        default_factory=lambda: _env_float("YUSUAN_LOCK_TIMEOUT_S", 600)
    )

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
        }

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Limits:
        known = {k: v for k, v in values.items() if k in cls.__dataclass_fields__}
        if "source_roots" in known:
            known["source_roots"] = tuple(
                Path(p).expanduser().resolve() for p in known["source_roots"]
            )
        return cls(**known)


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
        return cls(
            home=Path(values["home"]) if values.get("home") else Settings().home,
            warehouse=Path(values["warehouse"]) if values.get("warehouse") else None,
            force=bool(values.get("force", False)),
            limits=Limits.from_dict(values.get("limits") or {}),
        )
