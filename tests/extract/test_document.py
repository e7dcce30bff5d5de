"""Extraction of generated PDFs equals the specs they were rendered from.

The specs in tools.samplegen are the truth: every printed row of every function table,
every indicator row and every project form must come back exactly, whatever the layout
(类/款/项 split or one code column, 合计 first or last, 万元 or 元, tables continued on
the next page with or without a repeated header, merged 一级/二级 cells).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extract.document import Extracted, extract_document
from extract.errors import DocumentRejected
from extract.values import UNIT_FACTORS
from tools.samplegen import DocumentSpec, FunctionTable, render, sample_specs

SPECS = {spec.file_name: spec for spec in sample_specs()}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Extracted]:
    out = tmp_path_factory.mktemp("generated")
    results = {}
    for name, spec in SPECS.items():
        render(spec, out / name)
        results[name] = extract_document(out / name, document_id=name, source_uri=str(out / name))
    return results


def _spec_rows(spec: DocumentSpec, table: FunctionTable) -> list[tuple[object, ...]]:
    factor = UNIT_FACTORS[spec.unit]
    return [
        (
            row.kind,
            row.code,
            row.total * factor,
            row.basic * factor,
            row.project * factor,
        )
        for row in table.rows
    ]


@pytest.mark.parametrize("name", list(SPECS))
def test_function_tables_come_back_row_for_row(extracted: dict[str, Extracted], name: str) -> None:
    spec = SPECS[name]
    rows = extracted[name].frames["function_expenditure"]
    for table in spec.function_tables:
        got = [
            (r["row_kind"], r["function_code"], r["total_yuan"], r["basic_yuan"], r["project_yuan"])
            for r in rows
            if r["budget_scope"] == table.scope
        ]
        assert got == _spec_rows(spec, table), table.title


@pytest.mark.parametrize("name", list(SPECS))
def test_function_rows_carry_names_unit_and_page(
    extracted: dict[str, Extracted], name: str
) -> None:
    spec = SPECS[name]
    rows = extracted[name].frames["function_expenditure"]
    printed = {(t.scope, r.code): r.name for t in spec.function_tables for r in t.rows if r.code}
    assert {
        (r["budget_scope"], r["function_code"]): r["name"] for r in rows if r["function_code"]
    } == printed
    assert {r["amount_unit"] for r in rows} == {spec.unit}
    assert all(r["page_number"] >= 2 for r in rows)  # page 1 is the narrative


def test_personnel_and_public_columns_are_summed_under_their_group(
    extracted: dict[str, Extracted],
) -> None:
    spec = SPECS["henan_county_education_2024.pdf"]
    table = spec.function_table("all_funds")
    rows = [
        r
        for r in extracted[spec.file_name].frames["function_expenditure"]
        if r["budget_scope"] == "all_funds"
    ]
    factor = UNIT_FACTORS[spec.unit]
    assert [(r["personnel_yuan"], r["public_yuan"]) for r in rows] == [
        ((row.personnel or 0) * factor, (row.public or 0) * factor) for row in table.rows
    ]


def test_continued_table_keeps_rows_of_both_pages(extracted: dict[str, Extracted]) -> None:
    rows = extracted["henan_county_education_2024.pdf"].frames["function_expenditure"]
    pages = {r["page_number"] for r in rows if r["budget_scope"] == "general_public_budget"}
    assert len(pages) == 2


def test_indicators_forward_fill_merged_cells(extracted: dict[str, Extracted]) -> None:
    spec = SPECS["henan_county_education_2024.pdf"]
    rows = extracted[spec.file_name].frames["indicators"]
    department = [
        (
            r["level1_name"],
            r["level2_name"],
            r["level3_name"],
            r["target_raw"],
            r["description"] or "",
        )
        for r in rows
        if r["scope"] == "department"
    ]
    expected = [
        (i.level1, i.level2, i.level3, i.value, i.description)
        for table in spec.performance_tables
        for i in table.indicators
    ]
    assert department == expected
    for form in spec.project_forms:
        got = [
            (
                r["level1_name"],
                r["level2_name"],
                r["level3_name"],
                r["target_raw"],
                r["department_name"],
            )
            for r in rows
            if r["project_name"] == form.name
        ]
        # rows printed with neither 三级指标 nor 指标值 (社会成本指标 left empty) are not indicators
        expected = [
            (i.level1, i.level2, i.level3, i.value, form.department)
            for i in form.indicators
            if i.level3 or i.value
        ]
        assert got == expected


def test_project_forms_become_projects(extracted: dict[str, Extracted]) -> None:
    spec = SPECS["henan_county_education_2024.pdf"]
    projects = extracted[spec.file_name].frames["projects"]
    assert [(p["project_name"], p["department_name"], p["amount_yuan"]) for p in projects] == [
        (f.name, f.department, f.amount * Decimal(10000)) for f in spec.project_forms
    ]


@pytest.mark.parametrize("name", list(SPECS))
def test_document_metadata(extracted: dict[str, Extracted], name: str) -> None:
    spec = SPECS[name]
    document = extracted[name].document
    assert document["fiscal_year"] == spec.fiscal_year
    assert document["department_name"] == spec.department
    assert document["budget_level"] == spec.budget_level
    assert document["amount_unit"] == spec.unit


def test_not_a_pdf_is_corrupt(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    with pytest.raises(DocumentRejected) as rejected:
        extract_document(bad, document_id="x", source_uri=str(bad))
    assert rejected.value.reason == "corrupt"


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    spec = SPECS["unreconciled_2024.pdf"]
    whole = tmp_path / "whole.pdf"
    render(spec, whole)
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(whole.read_bytes()[:2000])
    with pytest.raises(DocumentRejected) as rejected:
        extract_document(cut, document_id="x", source_uri=str(cut))
    assert rejected.value.reason == "corrupt"


def test_catalog_facts_take_precedence_over_the_document(tmp_path: Path) -> None:
    spec = SPECS["unreconciled_2024.pdf"]  # a made-up county: its name tells no province
    path = render(spec, tmp_path / spec.file_name).path
    plain = extract_document(path, document_id="x", source_uri=str(path))
    assert (plain.document["region"], plain.document["province"]) == (None, None)
    known = {"region": spec.region, "province": spec.province, "budget_level": "unit"}
    told = extract_document(path, document_id="x", source_uri=str(path), known=known)
    assert told.document["region"] == spec.region
    assert told.document["province"] == spec.province
    assert told.document["budget_level"] == "unit"
    assert told.document["department_name"] == spec.department  # still read from the PDF
