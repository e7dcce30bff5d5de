"""tools.province: distinct budgets, deterministic from the seed, and PDFs that extract to
what their specs say (the families the bench loads: function, economic, 三公, projects)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extract.document import Extracted, extract_document
from tools import province
from tools import samplegen as sg

WAN = Decimal(10000)


def test_budgets_are_distinct_and_a_larger_province_only_adds() -> None:
    many = province.budgets(300, seed=3)
    assert len({(b.region, b.kind.name, b.fiscal_year) for b in many}) == 300
    assert province.budgets(40, seed=3) == many[:40]
    assert province.budgets(40, seed=4) != many[:40]
    # the same department name recurs in many regions
    assert len({b.region for b in many if b.kind.name == "财政局"}) > 5


def test_specs_are_deterministic_and_vary_in_size() -> None:
    first, again = province.specs(30, seed=1), province.specs(30, seed=1)
    assert [province.spec_hash(s) for s in first] == [province.spec_hash(s) for s in again]
    assert len({len(s.project_forms) for s in first}) > 3
    assert len({len(s.function_tables[0].rows) for s in first}) > 3


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[sg.DocumentSpec, Extracted]:
    spec = province.specs(1, seed=0)[0]
    [path] = province.render([spec], tmp_path_factory.mktemp("province"), workers=1).paths
    return spec, extract_document(path, document_id="generated", source_uri=str(path))


def _economic(spec: sg.DocumentSpec) -> sg.EconomicTable:
    return next(t for t in spec.tables if isinstance(t, sg.EconomicTable))


def test_a_generated_pdf_extracts_to_its_spec(generated: tuple[sg.DocumentSpec, Extracted]) -> None:
    spec, extracted = generated
    assert not extracted.problems
    assert extracted.document["department_name"] == spec.department
    assert extracted.document["fiscal_year"] == spec.fiscal_year
    # 基本支出 by economic code: every 类 and 款 row at its printed amount
    got = {
        r["economic_code"]: r["amount_yuan"]
        for r in extracted.frames["basic_expenditure"]
        if r["row_kind"] == "code"
    }
    printed = {row.code: row.total * WAN for row in _economic(spec).rows if row.code}
    assert got == {code: amount for code, amount in printed.items() if amount}
    # 三公: each category
    three = next(t for t in spec.tables if isinstance(t, sg.ThreePublicTable))
    categories = {r["category"]: r["amount_yuan"] for r in extracted.frames["three_public"]}
    assert categories["total"] == three.total * WAN
    assert categories["reception"] == three.reception * WAN
    assert categories["vehicle_operation"] == three.vehicle_operation * WAN
    # one project per form, at its amount
    projects = {r["project_name"]: r["amount_yuan"] for r in extracted.frames["projects"]}
    assert projects == {form.name: form.amount * WAN for form in spec.project_forms}


def test_the_economic_table_agrees_with_the_function_tables() -> None:
    for spec in province.specs(20, seed=2):
        gpb = spec.function_table("general_public_budget").total_row
        total = _economic(spec).total_row
        assert (total.personnel, total.public) == (gpb.personnel, gpb.public)


def test_the_catalog_names_each_documents_region(tmp_path: Path) -> None:
    import yaml

    specs = province.specs(3, seed=0)
    pdfs = [tmp_path / f"{i}.pdf" for i in range(3)]
    catalog = yaml.safe_load(province.catalog(tmp_path / "c.yaml", specs, pdfs).read_text())
    assert catalog["province"] == province.PROVINCE
    assert [(e["uri"], e["region"]) for e in catalog["documents"]] == [
        (f"{i}.pdf", s.region) for i, s in enumerate(specs)
    ]
