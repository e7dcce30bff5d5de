"""What a real PDF prints, read by hand, and the checks that extraction reads the same.

Each real fixture (tests/pdfs/real, tests/pdfs/real-jiangsu) has one `Printed` entry in
the test module of its province, with the page and the printed line of every figure in
a comment beside it. The figures are read from the PDF, never copied from what the
extractor returns: a misread fails here even when the document stays consistent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tests.conftest import extract_once

WAN = Decimal(10_000)
# 合计 of a function table: (total, basic, project); basic and project are None where the
# table prints one amount column
Split = tuple[Decimal, Decimal | None, Decimal | None]


def wan(text: str) -> Decimal:
    """A figure printed in 万元, in yuan."""
    return Decimal(text.replace(",", "")) * WAN


def yuan(text: str) -> Decimal:
    """A figure printed in 元."""
    return Decimal(text.replace(",", ""))


@dataclass(frozen=True)
class Printed:
    file: str
    status: str  # audit.document_loads.status after a load
    kind: str  # dim_document.document_kind: tables | explanatory
    department: str | None
    year: int
    # budget_scope -> the 合计 row of each function table of that scope
    function: dict[str, Split] = field(default_factory=dict)
    # 财政拨款收支预算总表, expenditure side: 基本支出, 项目支出, 支出合计 (where the function
    # tables print one amount column, the split is printed here)
    grants_split: tuple[Decimal, Decimal, Decimal] | None = None
    # 三公 category -> amount: the table's where the document prints one, else the prose's
    three_public: dict[str, Decimal] = field(default_factory=dict)
    # economic code (None: the 合计 row) -> amount, in every basic-expenditure table
    economic: dict[str | None, Decimal] = field(default_factory=dict)
    # narrative item -> amount stated in prose (explanatory documents)
    stated: dict[str, Decimal] = field(default_factory=dict)


def check(path: Path, printed: Printed) -> None:
    """The document's rows carry exactly the printed figures."""
    extracted = extract_once(path)
    document = extracted.document
    assert (document["document_kind"], document["department_name"], document["fiscal_year"]) == (
        printed.kind,
        printed.department,
        printed.year,
    )
    frames = extracted.frames
    totals: dict[str, set[Split]] = {}
    for r in frames["function_expenditure"]:
        if r["row_kind"] == "total":
            split = (r["total_yuan"], r["basic_yuan"], r["project_yuan"])
            totals.setdefault(r["budget_scope"], set()).add(split)
    assert totals == {scope: {split} for scope, split in printed.function.items()}
    if printed.grants_split is not None:
        lines = {
            r["line_name"]: r["amount_yuan"]
            for r in frames["budget_summary"]
            if r["table_kind"] == "fiscal_grants" and r["side"] == "expenditure"
        }
        basic, project, total = printed.grants_split
        assert (lines["一、基本支出"], lines["二、项目支出"], lines["支出合计"]) == (
            basic,
            project,
            total,
        )
    source = "table" if printed.kind == "tables" else "narrative"
    three_public = {
        r["category"]: r["amount_yuan"] for r in frames["three_public"] if r["source"] == source
    }
    assert three_public == printed.three_public
    for code, amount in printed.economic.items():
        read = {
            r["amount_yuan"]
            for r in frames["basic_expenditure"]
            if (r["row_kind"] == "total" if code is None else r["economic_code"] == code)
        }
        assert read == {amount}, code
    stated = {r["item"]: r["amount_yuan"] for r in frames["narrative_totals"]}
    if printed.kind == "explanatory":
        assert stated == printed.stated
