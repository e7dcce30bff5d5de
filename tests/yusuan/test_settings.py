"""Settings once: yusuan.settings.Environment reads every YUSUAN_* variable, validates and
documents it; nothing else reads one; each setting has one name; README's table is
printed from it (tools/settings_table.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main

from tools.settings_table import BEGIN, END, block, markdown, written
from yusuan.cli import app
from yusuan.settings import Environment, Limits, SettingInvalid, Settings, variable

ROOT = Path(__file__).resolve().parents[2]
# where a YUSUAN_* name may be written: code, tests, the DAG, dbt's profile, deployment, docs
WRITTEN_IN = ("yusuan", "extract", "expectations", "dags", "tools", "tests", "dbt_project", "docs")
FILES = ("README.md", "Makefile", "docker-compose.yml", "pyproject.toml")
NAME = re.compile(r"\bYUSUAN_[A-Z0-9_]+")
# a read of a YUSUAN_* variable other than through Environment (typer's envvar= is one)
READ = re.compile(r"""(environ\.get\(|environ\[|getenv\(|envvar=)\s*["']YUSUAN_""")


def texts() -> dict[Path, str]:
    paths = [ROOT / name for name in FILES]
    for folder in WRITTEN_IN:
        paths += [p for p in (ROOT / folder).rglob("*") if p.suffix in (".py", ".yml", ".md")]
    return {p: p.read_text(encoding="utf-8") for p in paths if p.is_file()}


def test_readme_settings_table_is_current() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert block(readme) == markdown(), "run: python -m tools.settings_table --write"
    assert written(readme) == readme


def test_the_table_has_a_row_per_setting() -> None:
    table = markdown()
    assert BEGIN not in table and END not in table
    for name in Environment.model_fields:
        assert f"`{variable(name)}`" in table
    assert "| pages of one PDF (`too_large`) | 1,000 | `YUSUAN_MAX_PAGES` |" in table
    assert "| 600 s | `YUSUAN_LOCK_TIMEOUT_S` |" in table
    assert "`YUSUAN_WAREHOUSE_PATH` (`--warehouse`)" in table


def test_every_yusuan_name_written_anywhere_is_a_setting() -> None:
    # one name per setting (dbt's profile read the warehouse under a name of its own), and
    # no variable read somewhere that the settings table does not document
    settings = {variable(name) for name in Environment.model_fields}
    written_names = {
        f"{path.relative_to(ROOT)}: {name}"
        for path, text in texts().items()
        for name in NAME.findall(text)
        if name not in settings
    }
    assert written_names == set()


def test_only_the_settings_object_reads_the_environment() -> None:
    readers = {
        str(path.relative_to(ROOT))
        for path, text in texts().items()
        if path.suffix == ".py" and READ.search(text)
    }
    # (tests set variables for a subprocess, `os.environ | {...}`: a write, not a read)
    assert readers == set()


def test_the_options_a_setting_names_are_the_clis() -> None:
    options = {
        opt
        for command in typer.main.get_command(app).commands.values()
        for param in command.params
        for opt in param.opts
    }
    named = {
        (info.json_schema_extra or {}).get("option") for info in Environment.model_fields.values()
    } - {None}
    assert named and named <= options


@pytest.fixture
def clean(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in Environment.model_fields:
        monkeypatch.delenv(variable(name), raising=False)
    return monkeypatch


def test_lists_are_split_and_empty_variables_are_unset(
    clean: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clean.setenv("YUSUAN_SOURCE_ROOTS", f"{tmp_path / 'a'}:{tmp_path / 'b' / '..' / 'c'}:")
    clean.setenv("YUSUAN_ALERT_TO", " a@x.org, ,b@x.org ")
    clean.setenv("YUSUAN_MAX_PAGES", "")
    clean.setenv("YUSUAN_WAREHOUSE_PATH", str(tmp_path / "bi.duckdb"))
    clean.setenv("YUSUAN_DBT_DOCS", "1")
    environment = Environment()
    assert environment.source_roots == (tmp_path / "a", tmp_path / "c")
    assert environment.alert_to == ("a@x.org", "b@x.org")
    assert environment.max_pages == 1000
    assert environment.given("warehouse_path") == str(tmp_path / "bi.duckdb")
    assert environment.given("home") == ""
    # what reads them reads them from here
    settings = Settings(home=tmp_path)
    assert settings.published == tmp_path / "bi.duckdb" and settings.dbt_docs
    assert settings.limits.source_roots == environment.source_roots
    assert (environment.alert_smtp_conn, environment.alert_webhook_conn) == (
        "yusuan_smtp",
        "yusuan_webhook",
    )


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("YUSUAN_MAX_PAGES", "many", "YUSUAN_MAX_PAGES = 'many'"),
        ("YUSUAN_EXTRACT_TIMEOUT_S", "0", "greater than 0"),
        ("YUSUAN_DBT_DOCS", "2", "YUSUAN_DBT_DOCS = '2'"),
        ("YUSUAN_LOCK_TIMEOUT_S", "soon", "YUSUAN_LOCK_TIMEOUT_S = 'soon'"),
    ],
)
def test_an_invalid_setting_fails_naming_its_variable(
    clean: pytest.MonkeyPatch, name: str, value: str, says: str
) -> None:
    clean.setenv(name, value)
    with pytest.raises(SettingInvalid, match=re.escape(says)):
        Environment()


def test_a_limit_given_in_code_is_checked_too(clean: pytest.MonkeyPatch) -> None:
    with pytest.raises(SettingInvalid, match="YUSUAN_MAX_PAGES"):
        Limits(max_pages=0)
