"""The warehouse contract, read from where it is written: dbt's yml of the marts.

`dbt_project/models/marts/*.yml` declares each mart's columns with their data types and
descriptions; dbt enforces them when it builds (`contract: enforced`), and its tests keep
keys, relationships and accepted values. Python reads the same files here: gate 2 (which
marts must exist, which columns each has), the contract test, and docs/contract.md
(`python -m tools.contract > docs/contract.md`; a test keeps it current).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

# The project's own dbt project (its contract is the project's, whatever
# YUSUAN_DBT_PROJECT points a run at).
DBT_PROJECT = Path(__file__).resolve().parents[1] / "dbt_project"
_DOC_REF = re.compile(r"""\{\{\s*doc\(\s*['"](\w+)['"]\s*\)\s*\}\}""")
_DOC_BLOCK = re.compile(r"\{%\s*docs\s+(\w+)\s*%\}(.*?)\{%\s*enddocs\s*%\}", re.DOTALL)


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    description: str
    not_null: bool
    unique: bool = False
    accepted_values: tuple[str, ...] = ()
    references: str | None = None  # `mart.column` a relationships test points to


@dataclass(frozen=True)
class Mart:
    name: str
    description: str
    enforced: bool  # dbt checks the columns and their types when it builds the mart
    columns: tuple[Column, ...]
    grain: tuple[str, ...]  # the columns that identify a row (unique tests)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@cache
def _docs(project: Path) -> dict[str, str]:
    """The `{% docs name %}` blocks of the project's models, by name."""
    blocks: dict[str, str] = {}
    for path in sorted((project / "models").rglob("*.md")):
        for name, text in _DOC_BLOCK.findall(path.read_text(encoding="utf-8")):
            blocks[name] = text
    return blocks


def _text(value: str | None, project: Path) -> str:
    """A description with its `{{ doc('…') }}` references resolved, on one line."""
    resolved = _DOC_REF.sub(lambda m: _docs(project).get(m.group(1), ""), value or "")
    return " ".join(resolved.split())


def _tests(entry: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(test name, its arguments) of a yml `data_tests` list."""
    found: list[tuple[str, dict[str, Any]]] = []
    for test in entry.get("data_tests") or []:
        if isinstance(test, str):
            found.append((test, {}))
        else:
            [(name, spec)] = test.items()
            found.append((name, (spec or {}).get("arguments") or spec or {}))
    return found


def _column(entry: dict[str, Any], project: Path) -> Column:
    tests = dict(_tests(entry))
    relationship = tests.get("relationships")
    references = None
    if relationship:
        target = re.sub(r"ref\(\s*['\"](\w+)['\"]\s*\)", r"\1", str(relationship["to"]))
        references = f"{target}.{relationship['field']}"
    return Column(
        name=entry["name"],
        data_type=str(entry.get("data_type") or ""),
        description=_text(entry.get("description"), project),
        not_null=any(c.get("type") == "not_null" for c in entry.get("constraints") or []),
        unique="unique" in tests,
        accepted_values=tuple(
            str(v) for v in (tests.get("accepted_values") or {}).get("values", [])
        ),
        references=references,
    )


@cache
def marts(project: Path = DBT_PROJECT) -> dict[str, Mart]:
    """Every mart of the contract, by name, as its yml declares it."""
    import yaml

    found: dict[str, Mart] = {}
    for path in sorted((project / "models" / "marts").glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        for model in yaml.load(text, Loader=yaml.CSafeLoader).get("models") or []:  # libyaml
            columns = tuple(_column(c, project) for c in model.get("columns") or [])
            grain = [c.name for c in columns if c.unique][:1]
            for name, args in _tests(model):
                if name == "unique_combination_of_columns":
                    grain = list(args["combination_of_columns"])
            found[model["name"]] = Mart(
                name=model["name"],
                description=_text(model.get("description"), project),
                enforced=bool(((model.get("config") or {}).get("contract") or {}).get("enforced")),
                columns=columns,
                grain=tuple(grain),
            )
    return found


def markdown(project: Path = DBT_PROJECT) -> str:
    """docs/contract.md: each mart with its grain and columns."""
    lines = [
        "# The warehouse contract (generated)",
        "",
        "Generated from `dbt_project/models/marts/*.yml` by `python -m tools.contract`; do",
        "not edit (a test keeps this file equal to the yml). dbt enforces each mart's columns",
        "and data types when it builds (`contract: enforced`); its tests keep the keys,",
        "relationships and accepted values listed here. Schema `marts`; amounts are DECIMAL",
        "in yuan (元), suffix `_yuan`; every fact row carries `document_id` and `page_number`.",
        "",
    ]
    for mart in marts(project).values():
        lines += [f"## {mart.name}", "", mart.description, ""]
        if mart.grain:
            lines += [f"One row per {' x '.join(f'`{c}`' for c in mart.grain)}.", ""]
        lines += ["| column | type | | description |", "| --- | --- | --- | --- |"]
        for column in mart.columns:
            notes = ["not null"] if column.not_null else []
            notes += ["unique"] if column.unique else []
            if column.references:
                notes.append(f"→ {column.references}")
            if column.accepted_values:
                notes.append("one of " + ", ".join(f"'{v}'" for v in column.accepted_values))
            description = column.description.replace("|", "\\|")
            lines.append(
                f"| `{column.name}` | {column.data_type} | {'; '.join(notes)} | {description} |"
            )
        lines.append("")
    return "\n".join(lines)
