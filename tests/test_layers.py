"""The layout is the architecture: each layer imports only the layers below it.

yusuan (the application) drives extract (PDF -> rows) and expectations (the gates);
expectations reads extract's schemas; extract imports neither; no family module imports
another family (what they share lives in extract/families/base.py, coded_rows.py,
project_funds.py and purchase_rows.py);
nothing shipped imports tools/ (samplegen, bench, evaluate are developer tools).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ("yusuan", "extract", "expectations")
# package -> the packages it must not import
FORBIDDEN = {
    "extract": {"yusuan", "expectations", "tools"},
    "expectations": {"yusuan", "tools"},
    "yusuan": {"tools"},
}
# package -> the packages of ours it does import (so the scan below is seen to read them)
ALLOWED = {
    "extract": {"extract"},
    "expectations": {"extract", "expectations"},
    "yusuan": {"extract", "expectations", "yusuan"},
}
SHARED_FAMILY_MODULES = {"base", "coded_rows", "project_funds", "purchase_rows", "__init__"}


def imports(path: Path) -> set[str]:
    """Every module a file imports, at top level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_a_layer_imports_only_the_layers_below(package: str) -> None:
    imported = {(path, module) for path in files(package) for module in imports(path)}
    offending = {
        f"{path.relative_to(ROOT)}: {module}"
        for path, module in imported
        if module.split(".")[0] in FORBIDDEN[package]
    }
    assert not offending
    # (the scan does read the layer's imports: those of itself and the layers below)
    ours = {module.split(".")[0] for _, module in imported} & {*SHIPPED, "tools"}
    assert ours == ALLOWED[package]


def test_no_family_imports_another_family() -> None:
    families = ROOT / "extract" / "families"
    names = {p.stem for p in families.glob("*.py")} - SHARED_FAMILY_MODULES
    offending, shared = set(), set()
    for path in families.glob("*.py"):
        if path.stem in SHARED_FAMILY_MODULES:
            continue
        for module in imports(path):
            parts = module.split(".")
            if parts[:2] == ["extract", "families"] and len(parts) > 2:
                shared.add(parts[2])
                if parts[2] in names:
                    offending.add(f"{path.name}: {module}")
    assert not offending
    # (the scan does read the family modules' imports: those of the shared modules)
    assert shared == {"base", "coded_rows", "project_funds", "purchase_rows"}


def test_the_layers_are_packages_of_the_distribution() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    for package in SHIPPED:
        assert (ROOT / package / "__init__.py").is_file()
        assert f'"{package}*"' in pyproject
    assert '"tools*"' not in pyproject


def test_reference_lists_have_one_copy_seeded_by_dbt() -> None:
    reference = ROOT / "extract" / "reference"
    lists = sorted(p.name for p in reference.glob("*.csv"))
    assert lists == [
        "amount_units.csv",
        "economic_classes.csv",
        "economic_names.csv",
        "function_classes.csv",
        "function_names.csv",
        "regions.csv",
    ]
    for name in lists:
        seed = ROOT / "dbt_project" / "seeds" / name
        # dbt's seed is a link to the shipped list, not a second copy to keep in step
        assert seed.is_symlink() and seed.resolve() == (reference / name).resolve()
    # dbt's unit tests read the units from the same file
    fixture = ROOT / "dbt_project" / "tests" / "fixtures" / "amount_units.csv"
    assert fixture.is_symlink() and fixture.resolve() == (reference / "amount_units.csv").resolve()


def test_printed_units_are_the_reference_list() -> None:
    from extract.values import DEFAULT_UNIT, UNIT_FACTORS, UNIT_PATTERN, find_unit

    assert UNIT_FACTORS == {"元": 1, "万元": 10_000, "亿元": 100_000_000}
    assert DEFAULT_UNIT in UNIT_FACTORS
    parts = UNIT_PATTERN.split("|")  # every unit, the longest first (were one a prefix)
    assert sorted(parts) == sorted(UNIT_FACTORS)
    assert [len(p) for p in parts] == sorted((len(p) for p in parts), reverse=True)
    assert find_unit("单位：亿元") == "亿元" and find_unit("单位:元") == "元"


def test_the_identity_list_in_the_docs_is_the_one_in_the_code() -> None:
    from expectations.catalog import markdown

    documented = (ROOT / "docs" / "identities.md").read_text(encoding="utf-8")
    assert documented == markdown(), "run: python -m tools.identities > docs/identities.md"


# tests/ mirrors the packages: a test file lives in the folder of what it tests (tests/dbt/
# for dbt_project/); only the cross-cutting suites stay at the top.
TEST_FOLDERS = {"yusuan": "yusuan", "extract": "extract", "expectations": "expectations",
                "dags": "dags", "tools": "tools", "dbt": "dbt_project"}  # fmt: skip
# the layers, the compose file, and the real documents of each province end to end
CROSS_CUTTING = {"test_layers.py", "test_real_documents.py", "test_jiangsu.py",
                 "test_real_national_economic.py", "test_real_national_function.py",
                 "test_real_national_funds.py", "test_real_national_totals.py",
                 "test_real_national_procurement.py", "test_real_national_performance.py",
                 "test_real_national_units.py", "test_real_national_meeting_training.py",
                 "test_real_national_load.py", "test_real_operating_expenses.py",
                 "test_real_performance_statements.py",
                 "test_docker_compose.py"}  # fmt: skip


def test_tests_mirror_the_packages() -> None:
    tests = ROOT / "tests"
    folders = {path.parent.relative_to(tests).parts[0] for path in tests.rglob("*/test_*.py")}
    assert folders == set(TEST_FOLDERS)
    assert all((ROOT / package).is_dir() for package in TEST_FOLDERS.values())
    assert all((tests / folder / "__init__.py").is_file() for folder in TEST_FOLDERS)
    assert {path.name for path in tests.glob("test_*.py")} == CROSS_CUTTING


def test_the_dbt_sources_are_the_staged_schema() -> None:
    """__sources.yml is generated from extract/schema.py: its columns, types, descriptions
    and source tests have one home."""
    from tools.dbt_sources import render

    committed = ROOT / "dbt_project" / "models" / "staging" / "__sources.yml"
    assert committed.read_text(encoding="utf-8") == render(), (
        "run: python -m tools.dbt_sources > dbt_project/models/staging/__sources.yml"
    )


def test_only_listed_identities_with_listed_severities_are_checked() -> None:
    from expectations.catalog import identity

    assert identity("function_basic_equals_sum_of_children").family.startswith("function")
    with pytest.raises(ValueError, match="not listed"):
        identity("function_total_roughly_equals_something")
    with pytest.raises(ValueError, match="may not warn"):
        identity("total_equals_basic_plus_project", "warn")


def test_readme_is_short_and_leads_to_every_document_of_docs() -> None:
    """README says what yusuan is, its two commands, loading, deploying, settings and where
    things are; the rest lives in docs/, each file linked from README."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.encode()) < 12 * 1024
    assert "make demo" in readme and "make test" in readme
    sections = re.findall(r"^## (.+)$", readme, flags=re.M)
    assert sections == ["Loading documents", "Deploying", "Settings", "Where things are"]
    linked = set(re.findall(r"\]\((docs/[\w.-]+\.md)\)", readme))
    assert linked == {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
