"""The seed texts rendered through LibreOffice (tools/render_seeds.py, committed under
tests/pdfs/seeds): each loads with its golden rows exact, golden computed from the seed
text, never from the PDF. No LibreOffice is needed: the tests read the committed PDFs."""

from __future__ import annotations

import json
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TESTS, extract_once
from tools import render_seeds
from tools.evaluate import extracted_cells, golden_cells

SEEDS = TESTS / "pdfs" / "seeds"
WAN = Decimal(10000)
INDEX = json.loads((SEEDS / "index.json").read_text())["files"]
NAMES = [entry["file"].removesuffix(".pdf") for entry in INDEX]
FAMILIES = ("function_rows", "function_rows_all_funds", "economic_rows", "three_public",
            "narrative_totals", "projects", "indicators")  # fmt: skip


def golden(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SEEDS / f"{name}.json").read_text())
    return data


def test_every_seed_is_rendered_with_its_golden_file() -> None:
    seeds = sorted(
        p.name[:3]
        for p in (TESTS / "seeds").glob("*.txt")
        if not render_seeds.JUDGED.get(p.name[:3], {}).get("skip")
    )
    assert [n.removeprefix("seed_") for n in NAMES] == seeds
    for name in NAMES:
        assert (SEEDS / f"{name}.pdf").read_bytes().startswith(b"%PDF")
        assert golden(name)["file"] == f"{name}.pdf"


def test_golden_files_are_what_the_script_computes_from_the_seed_text() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert render_seeds.main([str(TESTS / "seeds"), tmp, "--golden-only"]) == 0
        for name in NAMES:
            assert json.loads((Path(tmp) / f"{name}.json").read_text()) == golden(name)


@pytest.mark.parametrize("name", NAMES)
def test_golden_rows_are_extracted_exactly(name: str) -> None:
    expected = golden(name)
    got = extracted_cells(extract_once(SEEDS / expected["file"]))
    cells = golden_cells(expected)
    assert any(cells.values()), "a golden file with no rows checks nothing"
    for family in FAMILIES:
        if family not in cells:
            continue
        found = got.get(family, set())
        if family == "projects":  # only the project fields the golden file records
            fields = {cell[1] for cell in cells[family]}
            found = {cell for cell in found if cell[1] in fields}
        assert sorted(cells[family] - found, key=str) == [], f"{family}: missing"
        assert sorted(found - cells[family], key=str) == [], f"{family}: extra"


@pytest.mark.parametrize("name", [n for n in NAMES if golden(n).get("total_expenditure_wan")])
def test_the_expenditure_total_is_read_from_the_first_summary_table(name: str) -> None:
    expected = golden(name)
    rows = extract_once(SEEDS / expected["file"]).frames["budget_summary"]
    first = min(r["table_index"] for r in rows)
    [total] = [
        r["amount_yuan"]
        for r in rows
        if r["table_index"] == first and r["side"] == "expenditure" and r["line_kind"] == "total"
    ]
    assert total / WAN == Decimal(str(expected["total_expenditure_wan"]))


@pytest.mark.integration
@pytest.mark.parametrize("name", NAMES)
def test_gate_one_gives_the_expected_status(name: str, tmp_path: Path) -> None:
    from yusuan import pipeline
    from yusuan.settings import Settings

    expected = golden(name)
    settings = Settings(home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb")
    [doc] = pipeline.extract_all(pipeline.pull([str(SEEDS / expected["file"])], settings), settings)
    doc = pipeline.validate(doc, settings)
    held = [{"table": t["table_title"], "reason": t["reason"]} for t in doc.get("held") or []]
    status = doc["status"] if doc["status"] != "passed" else "partial" if held else "loaded"
    assert (status, held) == (expected["expect"], expected["held"]), doc.get("detail")
