"""The warehouse contract, written once in dbt's yml of the marts (expectations.contract),
holds in the built marts: every mart with exactly its declared columns and types, amounts
DECIMAL; docs/contract.md is generated from it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from expectations.contract import markdown, marts
from tests.conftest import SAMPLES, TESTS

CONTRACT_MD = TESTS.parent / "docs" / "contract.md"


def contract() -> dict[str, list[str]]:
    """mart -> its columns, as dbt's yml declares them (expectations.contract)."""
    return {name: mart.column_names for name, mart in marts().items()}


def test_docs_contract_is_generated_from_the_dbt_yml() -> None:
    # `python -m tools.contract > docs/contract.md` after changing a mart's yml
    assert CONTRACT_MD.read_text(encoding="utf-8") == markdown()


def test_the_values_python_also_needs_are_the_contract_s() -> None:
    # each list has its home in Python; the contract's accepted values equal it
    from expectations.narrative import ITEM_NAMES
    from expectations.suites import COMPARATORS, INDICATOR_SCOPES
    from extract.families.function_expenditure import SCOPES
    from extract.narrative import ITEMS
    from extract.verdicts import TABLE_REASONS, TableOutcome

    def accepted(mart: str, column: str) -> set[str]:
        (found,) = [c for c in marts()[mart].columns if c.name == column]
        return set(found.accepted_values)

    assert accepted("fct_expenditure", "budget_scope") == set(SCOPES)
    assert staged_accepted("stg_yusuan__function_expenditure", "budget_scope") == set(SCOPES)
    assert accepted("dim_document_table", "outcome") == {
        str(o)
        for o in TableOutcome
        if o != TableOutcome.READ  # (read: until it loads)
    }
    assert accepted("dim_document_table", "reason") == {str(r) for r in TABLE_REASONS}
    assert accepted("fct_indicator", "comparator") == set(COMPARATORS)
    assert accepted("fct_indicator", "scope") == set(INDICATOR_SCOPES)
    assert accepted("fct_narrative_check", "item") == set(ITEMS) == set(ITEM_NAMES)
    assert staged_accepted("stg_yusuan__narrative_totals", "item") == set(ITEMS)


def staged_accepted(model: str, column: str) -> set[str]:
    """The accepted values a staging model's yml tests `column` for."""
    import yaml

    path = TESTS.parent / "dbt_project" / "models" / "staging" / f"{model}.yml"
    (found,) = yaml.safe_load(path.read_text(encoding="utf-8"))["models"]
    (spec,) = [c for c in found["columns"] if c["name"] == column]
    (test,) = [t["accepted_values"] for t in spec["data_tests"] if "accepted_values" in t]
    return {str(v) for v in test["arguments"]["values"]}


def test_every_mart_enforces_its_contract() -> None:
    assert len(marts()) == 19
    for name, mart in marts().items():
        assert mart.enforced and mart.grain, name
        assert all(c.data_type for c in mart.columns), name


@pytest.mark.integration
def test_built_marts_hold_the_contract(real_warehouse: Path) -> None:
    with duckdb.connect(str(real_warehouse), read_only=True) as con:
        built: dict[str, dict[str, str]] = {}
        for table, column, kind in con.execute(
            "select table_name, column_name, data_type from information_schema.columns "
            "where table_schema = 'marts'"
        ).fetchall():
            built.setdefault(table, {})[column] = kind
    declared = {
        name: {c.name: c.data_type.upper() for c in mart.columns} for name, mart in marts().items()
    }
    # every mart of the contract, with exactly its columns and their types
    assert {t: {c: k.split("(")[0] for c, k in cs.items()} for t, cs in built.items()} == {
        t: {c: k.split("(")[0] for c, k in cs.items()} for t, cs in declared.items()
    }
    amounts = [(t, c, k) for t, cs in built.items() for c, k in cs.items() if c.endswith("_yuan")]
    assert amounts and all(k.startswith("DECIMAL") for _, _, k in amounts), amounts


@pytest.mark.integration
def test_dbt_docs_of_the_marts_after_a_run(tmp_path: Path) -> None:
    # GIVEN YUSUAN_DBT_DOCS=1 (docker-compose sets it) WHEN a load runs
    env = os.environ | {"YUSUAN_DBT_DOCS": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "load", str(SAMPLES / "doc_b.pdf"),
         "--warehouse", str(tmp_path / "bi.duckdb"), "--home", str(tmp_path / "home")],
        capture_output=True, text=True, check=True, env=env,
    )  # fmt: skip
    # THEN dbt's docs site is there, and its catalog describes every mart of the contract
    site = tmp_path / "home" / "dbt" / "target"
    assert f"dbt docs   {site / 'index.html'}" in done.stdout
    assert (site / "index.html").stat().st_size > 0
    catalog = json.loads((site / "catalog.json").read_text(encoding="utf-8"))
    documented = {node.split(".")[-1] for node in catalog["nodes"]}
    assert set(contract()) <= documented


def test_keys_and_relationships_are_dbt_tests_of_each_mart() -> None:
    # their one home: dbt_project/models/marts/*.yml (gate 2 does not repeat them)
    import yaml

    marts = TESTS.parent / "dbt_project" / "models" / "marts"
    declared: dict[str, str] = {}
    for path in marts.glob("*.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            declared[model["name"]] = json.dumps(model, ensure_ascii=False)
    for table in contract():
        text = declared[table]
        assert '"unique"' in text or "unique_combination_of_columns" in text, table
        if table.startswith("fct_"):
            assert '"to": "ref(\'dim_document\')"' in text, table


def test_the_table_families_of_the_marts_are_those_extraction_writes() -> None:
    # dim_document_table.family's accepted values are dbt's copy of extract's family list
    import yaml

    from extract.families import FAMILIES

    path = TESTS.parent / "dbt_project" / "models" / "marts" / "dim_document_table.yml"
    (model,) = yaml.safe_load(path.read_text(encoding="utf-8"))["models"]
    (family,) = [c for c in model["columns"] if c["name"] == "family"]
    (test,) = [t["accepted_values"] for t in family["data_tests"] if "accepted_values" in t]
    assert sorted(test["arguments"]["values"]) == sorted(f.NAME for f in FAMILIES)


def test_not_null_is_a_constraint_or_a_test_never_both() -> None:
    # dbt-duckdb enforces a contract's not_null constraint when it builds the table (the
    # DDL says `not null`), so a not_null data test on the same column only repeats it
    import yaml

    models = TESTS.parent / "dbt_project" / "models"
    constrained, repeated = 0, []
    for path in sorted(models.rglob("*.yml")):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            assert (model.get("config") or {}).get("contract", {}).get("enforced") or not any(
                c.get("constraints") for c in model.get("columns", [])
            ), f"{model['name']} declares constraints but does not enforce its contract"
            for column in model.get("columns", []):
                types = [c["type"] for c in column.get("constraints", [])]
                tests = [
                    t if isinstance(t, str) else next(iter(t)) for t in column.get("data_tests", [])
                ]
                constrained += "not_null" in types
                if "not_null" in types and "not_null" in tests:
                    repeated.append(f"{model['name']}.{column['name']}")
    assert constrained >= 41 and repeated == []


@pytest.mark.integration
def test_dbt_unit_tests_pass_on_the_built_marts(real_warehouse: Path, tmp_path: Path) -> None:
    # loads exclude dbt's unit tests (they test the models' SQL on fixed rows, not the
    # data): they run here, once, against a copy of a built warehouse (their parents)
    import shutil

    import yaml

    models = TESTS.parent / "dbt_project" / "models"
    declared = sum(
        len(yaml.safe_load(p.read_text(encoding="utf-8")).get("unit_tests", []))
        for p in models.rglob("*.yml")
    )
    warehouse = tmp_path / "copy.duckdb"
    shutil.copyfile(real_warehouse, warehouse)
    project = str(TESTS.parent / "dbt_project")
    done = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "test", "--select", "test_type:unit",
         "--project-dir", project, "--profiles-dir", project,
         "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")],
        capture_output=True, text=True, check=False,
        env=os.environ | {"YUSUAN_WAREHOUSE_PATH": str(warehouse)},
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    results = json.loads((tmp_path / "target" / "run_results.json").read_text(encoding="utf-8"))
    statuses = [r["status"] for r in results["results"] if r["unique_id"].startswith("unit_test.")]
    assert declared >= 11 and statuses == ["pass"] * declared
