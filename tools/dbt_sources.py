"""Print dbt_project/models/staging/__sources.yml, the dbt sources of the raw tables, from
extract/schema.py (the staged schema: columns, types, descriptions and source tests) and the
columns the loader adds to raw.documents (yusuan.warehouse.document_stamp):

    python -m tools.dbt_sources > dbt_project/models/staging/__sources.yml

tests/test_layers.py checks the committed file is this output.
"""

from __future__ import annotations

import json
import textwrap
from typing import Any

import pyarrow as pa
import yaml

from extract.schema import DOCUMENTS, STAGED, data_tests, description
from yusuan.warehouse import document_stamp, sql_type

HEADER = (
    "# Generated from extract/schema.py by `python -m tools.dbt_sources`: edit the schema there\n"
    "# (each field carries its description and its source tests), not this file.\n"
)
SOURCE_DESCRIPTION = (
    "Rows staged by the extract package from documents that passed gate 1, loaded by the"
    " warehouse loader into schema raw with exactly the columns of extract/schema.py."
    " Amounts are exact decimals in yuan, already converted from the printed unit."
)
WIDTH = 100  # the repository's line length


def sources() -> dict[str, Any]:
    """The sources as dbt reads them: one source `yusuan` over schema raw, one table per
    staged family (raw.documents first, with the loader's columns)."""
    tables = {"documents": pa.schema([*DOCUMENTS, *document_stamp()], DOCUMENTS.metadata)} | STAGED
    return {
        "sources": [
            {
                "name": "yusuan",
                "description": SOURCE_DESCRIPTION,
                "schema": "raw",
                "tables": [
                    {
                        "name": name,
                        "description": description(schema),
                        "columns": [_column(field) for field in schema],
                    }
                    for name, schema in tables.items()
                ],
            }
        ]
    }


def _column(field: pa.Field) -> dict[str, Any]:
    column: dict[str, Any] = {
        "name": field.name,
        "description": description(field),
        "data_type": sql_type(field.type),
    }
    if tests := data_tests(field):
        column["data_tests"] = tests
    return column


def _scalar(key: str, text: str, indent: int) -> list[str]:
    """`key: text` as YAML: plain where it reads back as itself, else double-quoted, else
    (too long for a line) folded over lines of at most WIDTH."""
    pad = " " * indent
    for value in (text, json.dumps(text, ensure_ascii=False)):
        line = f"{pad}{key}: {value}"
        if len(line) <= WIDTH and _reads_back(line, {key: text}):
            return [line]
    wrapped = textwrap.wrap(text, WIDTH - indent - 2, break_long_words=False)
    return [f"{pad}{key}: >-", *(f"{pad}  {part}" for part in wrapped)]


def _reads_back(line: str, expected: dict[str, str]) -> bool:
    try:
        return bool(yaml.safe_load(line) == expected)
    except yaml.YAMLError:  # e.g. "{{ doc(…) }}" unquoted reads as a mapping
        return False


def _mapping(item: dict[str, Any], indent: int) -> list[str]:
    """A mapping as an item of a list (`- name: …`), its keys at `indent` + 2."""
    lines: list[str] = []
    for key, value in item.items():
        if isinstance(value, str):
            lines += _scalar(key, value, indent + 2)
        elif value and isinstance(value[0], str):
            lines += [f"{' ' * (indent + 2)}{key}:", *(f"{' ' * (indent + 4)}- {v}" for v in value)]
        else:
            lines.append(f"{' ' * (indent + 2)}{key}:")
            for nested in value:
                lines += _mapping(nested, indent + 4)
                if key == "tables":
                    lines.append("")  # a blank line between tables, as one would write it
    lines[0] = f"{' ' * indent}- {lines[0].lstrip()}"
    return lines


def render() -> str:
    """The text of __sources.yml (checked to read back as `sources()`)."""
    data = sources()
    lines = ["sources:"]
    for source in data["sources"]:
        lines += _mapping(source, 2)
    text = HEADER + "\n".join(lines).rstrip() + "\n"
    assert yaml.safe_load(text) == data, "the YAML written does not read back as the sources"
    return text


if __name__ == "__main__":
    print(render(), end="")
