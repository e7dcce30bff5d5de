"""A table that fails a blocking check, or that its parser cannot read, is held back; the
document's other tables load and the document is `partial`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest

from expectations.table_gate import describe, held_tables, load_verdict, reason_of
from extract.document import UNREAD_CHECK, extract_document
from extract.worker import extract_to_staging
from tests.pdfgen import SMALL_FUNCTION_TABLE, Grid, Line, PageBreak, Title, render
from yusuan import pipeline
from yusuan.settings import Settings

TABLES = [
    {"table_index": 0, "page_number": 1, "last_page_number": 1, "table_title": "A表",
     "family": "function_expenditure", "outcome": "read"},
    {"table_index": 1, "page_number": 2, "last_page_number": 3, "table_title": "B表",
     "family": "basic_expenditure", "outcome": "read"},
    {"table_index": 2, "page_number": 3, "last_page_number": 3, "table_title": "C表",
     "family": "three_public", "outcome": "empty"},
]  # fmt: skip


# what each kind of finding carries where it is made: the identity frame (gate 1's
# reconciliation suite), a parser that failed (extract), a value suite
REASONS = {"function_total_equals_sum_of_children": "reconciliation",
           UNREAD_CHECK: "extraction_error", "code_format": "invalid_values"}  # fmt: skip


def finding(check: str = "function_total_equals_sum_of_children", **where: Any) -> dict[str, Any]:
    detail = f"{check} at {where}"
    return {"check": check, "severity": "block", "detail": detail, "reason": REASONS[check]} | where


def test_a_finding_holds_the_table_it_names_by_index_or_by_page_and_title() -> None:
    held = held_tables(
        [
            finding(UNREAD_CHECK, table_index=0, page_number=1, table_title="A表"),
            finding(page_number=3, table_title="B表"),  # page 3 is B's second page
        ],
        TABLES,
    )
    assert held is not None
    assert [(t["table_index"], t["reason"]) for t in held] == [
        (0, "extraction_error"),
        (1, "reconciliation"),
    ]
    assert describe(held).startswith("2 table(s) held back: page 1 'A表' (extraction_error)")


def test_an_untitled_finding_holds_every_table_on_its_page() -> None:
    held = held_tables([finding("code_format", page_number=3, table_title=None)], TABLES)
    assert held is not None
    assert [t["table_index"] for t in held] == [1, 2]
    assert held[0]["reason"] == "invalid_values"


@pytest.mark.parametrize(
    "blocking",
    [
        [finding(page_number=None, table_title=None)],  # names no table
        [finding(page_number=9, table_title="B表")],  # no table answers to it
        [finding(page_number=1, table_title="A表"), finding(page_number=2, table_title="B表")],
    ],
    ids=["no table", "no such table", "nothing left but an empty table"],
)
def test_the_whole_document_is_quarantined_when_no_table_can_take_the_blame(
    blocking: list[dict[str, Any]],
) -> None:
    tables = [*TABLES[:2], TABLES[2] | {"outcome": "unrecognised", "family": None}]
    assert held_tables(blocking, tables) is None
    # an empty table no family knows (本表无数据 under an unknown title) is nothing to load
    tables = [*TABLES[:2], TABLES[2] | {"family": None}]
    assert held_tables(blocking, tables) is None


def test_reason_prefers_an_identity_then_an_unread_table() -> None:
    assert reason_of([finding("code_format"), finding()]) == "reconciliation"
    assert reason_of([finding("code_format"), finding(UNREAD_CHECK)]) == "extraction_error"
    assert reason_of([finding("code_format")]) == "invalid_values"
    # the reason is the finding's own, never guessed from its name
    named_like_an_identity = finding("code_format") | {"check": "sum_of_codes_format"}
    assert reason_of([named_like_an_identity]) == "invalid_values"


def test_a_passed_document_loads_whole_or_in_part() -> None:
    # (the one verdict `yusuan load` records and `yusuan survey` reports)
    assert load_verdict({"status": "passed", "reason": None, "detail": None}) == (
        "loaded", None, None,
    )  # fmt: skip
    held = held_tables([finding(page_number=3, table_title="B表")], TABLES)
    assert held is not None
    status, reason, detail = load_verdict({"status": "passed", "held": held, "detail": None})
    assert (status, reason, detail) == ("partial", "reconciliation", describe(held))
    # what the document's detail said already (a re-issue it replaces) follows the tables
    _, _, detail = load_verdict({"held": held, "detail": "replaces an earlier version"})
    assert detail == f"{describe(held)}; replaces an earlier version"


FUNCTION_TABLE = [*SMALL_FUNCTION_TABLE, PageBreak()]
BASIC_TABLE = [
    Title("2024年一般公共预算基本支出表"),
    Line("单位：万元"),
    Grid(
        [["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
         ["", "合计", "2.0", "2.0", ""],
         ["301", "工资福利支出", "2.0", "2.0", ""],
         ["30101", "基本工资", "2.0", "2.0", ""]]
    ),
]  # fmt: skip


def crash(*args: object) -> None:
    raise IndexError("list index out of range")


def test_a_table_its_parser_cannot_read_costs_only_that_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a document whose 基本支出表 crashes its parser (a layout nobody expected)
    from extract.families import basic_expenditure

    monkeypatch.setattr(basic_expenditure, "parse", crash)
    path = render(tmp_path / "doc.pdf", FUNCTION_TABLE + BASIC_TABLE)
    # WHEN it is extracted
    extracted = extract_document(path, document_id="x", source_uri=str(path))
    # THEN that table is unread, with a finding naming page, title and the exception
    outcomes = [(t["page_number"], t["family"], t["outcome"]) for t in extracted.frames["tables"]]
    assert outcomes == [
        (1, "function_expenditure", "read"),
        (2, "basic_expenditure", "unread"),
    ]
    [problem] = extracted.problems
    assert (problem.check, problem.table_index, problem.page_number) == (UNREAD_CHECK, 1, 2)
    assert "IndexError: list index out of range" in problem.detail
    assert "基本支出表" in problem.detail
    # AND the function table's rows are staged
    assert len(extracted.frames["function_expenditure"]) == 4


@pytest.mark.integration
def test_a_document_with_an_unread_table_loads_in_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract.families import basic_expenditure

    monkeypatch.setattr(basic_expenditure, "parse", crash)
    path = render(tmp_path / "doc.pdf", FUNCTION_TABLE + BASIC_TABLE)
    settings = Settings(home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb")
    # WHEN the pipeline extracts (here, where the parser is patched: a worker process
    # would import the real one), gates and loads it
    [doc] = pipeline.pull([str(path)], settings)
    doc = pipeline._staged(doc, extract_to_staging(dict(doc), str(settings.staging), 1000))
    [doc] = pipeline.validate_all([doc], settings)
    assert (doc["status"], [t["table_index"] for t in doc["held"]]) == ("passed", [1])
    report = pipeline.load([doc], settings, "run-1")
    # THEN it is partial: the unread table held, the other loaded
    [verdict] = report["verdicts"]
    assert (verdict["status"], verdict["reason"]) == ("partial", "extraction_error")
    assert "page 2" in verdict["detail"] and "IndexError" in verdict["detail"]
    with duckdb.connect(str(settings.building("run-1")), read_only=True) as con:
        outcomes = con.execute("select table_index, outcome, reason from raw.tables order by 1")
        assert outcomes.fetchall() == [(0, "loaded", None), (1, "unread", "extraction_error")]
        assert con.execute("select count(*) from raw.function_expenditure").fetchone() == (4,)
        assert con.execute("select status from audit.document_loads").fetchall() == [("partial",)]


def test_a_document_no_table_of_which_can_be_read_is_an_extraction_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extract.errors import DocumentRejected
    from extract.families import function_expenditure

    monkeypatch.setattr(function_expenditure, "parse", crash)
    path = render(tmp_path / "doc.pdf", FUNCTION_TABLE)
    with pytest.raises(DocumentRejected) as rejected:
        extract_document(path, document_id="x", source_uri=str(path), file_name="预算.pdf")
    assert rejected.value.reason == "extraction_error"
    assert rejected.value.detail.startswith("预算.pdf: no table could be read; page 1")
