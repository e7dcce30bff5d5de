"""Where a run keeps its files, read once from arguments, then environment, then defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOME = Path.home() / ".yusuan"
DEFAULT_DBT_PROJECT = PROJECT_ROOT / "dbt_project"


@dataclass(frozen=True)
class Settings:
    """Paths of one pipeline run. `home` holds landing/, staging/, gx/, airflow/ and dbt/."""

    home: Path = field(default_factory=lambda: Path(os.environ.get("YUSUAN_HOME", DEFAULT_HOME)))
    warehouse: Path | None = None  # the published DuckDB file BI reads; default home/warehouse
    dbt_project: Path = field(
        default_factory=lambda: Path(os.environ.get("YUSUAN_DBT_PROJECT", DEFAULT_DBT_PROJECT))
    )
    force: bool = False  # re-load documents already loaded; a re-issued budget replaces its
    # predecessor (same department, year and level) instead of being quarantined

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

    @property
    def building(self) -> Path:
        """The working copy a run loads and transforms before it is published."""
        return self.published.with_name(self.published.stem + ".building.duckdb")

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
    def data_docs(self) -> Path:
        return self.gx_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"

    def to_dict(self) -> dict[str, Any]:
        """What a DAG run's conf carries: plain strings."""
        return {"home": str(self.home), "warehouse": str(self.published), "force": self.force}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> Settings:
        return cls(
            home=Path(values["home"]) if values.get("home") else Settings().home,
            warehouse=Path(values["warehouse"]) if values.get("warehouse") else None,
            force=bool(values.get("force", False)),
        )
