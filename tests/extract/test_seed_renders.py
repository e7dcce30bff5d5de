"""The seed texts rendered through LibreOffice (tools/render_seeds.py, committed under
tests/pdfs/seeds, and under tests/pdfs/seeds/merged with their 一级/二级指标 cells merged
down): each loads with its golden rows exact, golden computed from the seed text, never
from the PDF. No LibreOffice is needed: the tests read the committed PDFs."""

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
FOLDERS = [SEEDS, SEEDS / "merged"]  # read exact; the other variants: test_render_variants
EVERY_VARIANT = [SEEDS / variant.folder for variant in render_seeds.VARIANTS]
WAN = Decimal(10000)
RENDERS = [
    pytest.param(folder / entry["file"], id=f"{folder.name}/{entry['file']}")
    for folder in FOLDERS
    for entry in json.loads((folder / "index.json").read_text())["files"]
]
FAMILIES = ("function_rows", "function_rows_all_funds", "economic_rows", "three_public",
            "narrative_totals", "projects", "indicators")  # fmt: skip


def golden(pdf: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(pdf.with_suffix(".json").read_text())
    return data


def test_every_seed_is_rendered_with_its_golden_file() -> None:
    seeds = sorted(
        p.name[:3]
        for p in (TESTS / "seeds").glob("*.txt")
        if not render_seeds.JUDGED.get(p.name[:3], {}).get("skip")
    )
    for folder in EVERY_VARIANT:
        index = json.loads((folder / "index.json").read_text())["files"]
        assert [e["file"] for e in index] == [f"seed_{n}.pdf" for n in seeds]
        for entry in index:
            assert (folder / entry["file"]).read_bytes().startswith(b"%PDF")
            assert golden(folder / entry["file"])["expect"] == entry["expect"]


def test_golden_files_are_what_the_script_computes_from_the_seed_text() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        assert render_seeds.main([str(TESTS / "seeds"), tmp, "--golden-only"]) == 0
        for folder in EVERY_VARIANT:
            written = Path(tmp) / folder.relative_to(SEEDS)
            for path in sorted(folder.glob("*.json")):
                assert json.loads((written / path.name).read_text()) == json.loads(
                    path.read_text()
                ), path


@pytest.mark.parametrize("pdf", RENDERS)
def test_golden_rows_are_extracted_exactly(pdf: Path) -> None:
    expected = golden(pdf)
    got = extracted_cells(extract_once(pdf))
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


@pytest.mark.parametrize(
    "pdf",
    [r for r in RENDERS if golden(r.values[0]).get("total_expenditure_wan")],
)
def test_the_expenditure_total_is_read_from_the_first_summary_table(pdf: Path) -> None:
    expected = golden(pdf)
    rows = extract_once(pdf).frames["budget_summary"]
    first = min(r["table_index"] for r in rows)
    [total] = [
        r["amount_yuan"]
        for r in rows
        if r["table_index"] == first and r["side"] == "expenditure" and r["line_kind"] == "total"
    ]
    assert total / WAN == Decimal(str(expected["total_expenditure_wan"]))


@pytest.mark.integration
@pytest.mark.parametrize("pdf", RENDERS)
def test_gate_one_gives_the_expected_status(pdf: Path, tmp_path: Path) -> None:
    from yusuan import pipeline
    from yusuan.settings import Settings

    expected = golden(pdf)
    settings = Settings(home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb")
    [doc] = pipeline.extract_all(pipeline.pull([str(pdf)], settings), settings)
    [doc] = pipeline.validate_all([doc], settings)
    held = [{"table": t["table_title"], "reason": t["reason"]} for t in doc.get("held") or []]
    status = doc["status"] if doc["status"] != "passed" else "partial" if held else "loaded"
    assert (status, held) == (expected["expect"], expected["held"]), doc.get("detail")
