"""The warehouse invariants gate 2 checks before publishing: audit, raw.* and marts agree."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from expectations.invariants import invariant_records
from tests.conftest import SAMPLES
from yusuan import pipeline
from yusuan.settings import Settings

A, B, C = "a" * 64, "b" * 64, "c" * 64


def sound_warehouse() -> duckdb.DuckDBPyConnection:
    """A: loaded. B: loaded, then superseded. C: loaded, removed, loaded again."""
    con = duckdb.connect()
    con.execute("""
        create schema raw; create schema marts; create schema audit;
        create table raw.documents (document_id varchar, file_name varchar);
        create table marts.dim_document (document_id varchar);
        create table marts.fct_expenditure (document_id varchar, amount integer);
        create table marts.dim_function_code (function_code varchar);
        create table audit.document_loads (document_id varchar, file_name varchar,
            source_uri varchar, run_id varchar, status varchar, reason varchar,
            detail varchar, checked_at timestamp);
    """)
    audit = [
        (A, "r1", "loaded", None, "2026-01-01"),
        (B, "r1", "loaded", None, "2026-01-01"),
        (C, "r1", "loaded", None, "2026-01-01"),
        (B, "r2", "skipped", "superseded", "2026-01-02"),
        (C, "r2", "quarantined", "duplicate", "2026-01-02"),  # changes nothing
        (C, "r3", "skipped", "removed", "2026-01-03"),
        (C, "r4", "loaded", None, "2026-01-04"),
    ]
    for document_id, run, status, reason, at in audit:
        con.execute(
            "insert into audit.document_loads values (?, ?, ?, ?, ?, ?, null, ?)",
            [
                document_id,
                f"{document_id[0]}.pdf",
                f"/{document_id[0]}.pdf",
                run,
                status,
                reason,
                at,
            ],
        )
    for document_id in (A, C):
        con.execute("insert into raw.documents values (?, ?)", [document_id, "x.pdf"])
        con.execute("insert into marts.dim_document values (?)", [document_id])
        con.execute("insert into marts.fct_expenditure values (?, 1)", [document_id])
    return con


def checks(con: duckdb.DuckDBPyConnection, run_id: str = "r4") -> list[tuple[str, str]]:
    return sorted((r["check"], r["document_id"][:1]) for r in invariant_records(con, run_id))


def test_a_sound_warehouse_breaks_no_invariant() -> None:
    con = sound_warehouse()
    assert checks(con) == []
    # (checked, not skipped: the same warehouse without A's raw rows breaks one)
    con.execute("delete from raw.documents where document_id = ?", [A])
    assert checks(con) == [("loaded_document_in_raw", "a")]


def test_each_broken_invariant_is_named_with_its_document() -> None:
    con = sound_warehouse()
    con.execute("delete from raw.documents where document_id = ?", [A])  # rows lost
    con.execute("insert into raw.documents values (?, 'b.pdf')", [B])  # superseded came back
    con.execute("delete from marts.dim_document where document_id = ?", [C])
    con.execute("insert into marts.fct_expenditure values (?, 1)", ["d" * 64])  # never audited
    con.execute(
        "insert into audit.document_loads values (?, 'c.pdf', '/c.pdf', 'r4', 'quarantined',"
        " 'duplicate', null, '2026-01-04')",
        [C],
    )  # a second verdict for one source in run r4
    assert checks(con) == [
        ("loaded_document_in_marts", "c"),
        ("loaded_document_in_raw", "a"),
        ("mart_rows_of_loaded_documents", "d"),
        ("one_verdict_per_source", "c"),
        ("raw_document_audited_loaded", "b"),
    ]
    # (earlier runs are not re-judged for verdicts per source)
    assert ("one_verdict_per_source", "c") not in checks(con, run_id="r9")


@pytest.mark.integration
def test_gate_2_blocks_publishing_a_warehouse_that_lost_rows(tmp_path: Path) -> None:
    # GIVEN a run that loaded doc_b into its working copy
    settings = Settings(home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb")
    run_id = "broken-on-purpose"
    docs = [pipeline.validate(d, settings) for d in pipeline.extract_all(
        pipeline.pull([str(SAMPLES / "doc_b.pdf")], settings), settings
    )]  # fmt: skip
    pipeline.load(docs, settings, run_id)
    # WHEN its audit loses the document's verdict, and gains one for a document it never
    # loaded, before the marts are built (dbt reads no audit: only gate 2 can tell)
    doc_b, phantom = docs[0]["document_id"], "f" * 64
    with duckdb.connect(str(settings.building(run_id))) as con:
        con.execute("delete from audit.document_loads where document_id = ?", [doc_b])
        con.execute(
            "insert into audit.document_loads values (?, 'phantom.pdf', '/phantom.pdf', ?,"
            " 'loaded', null, null, now())",
            [phantom, run_id],
        )
    pipeline.transform(settings, run_id)
    gate = pipeline.validate_marts(settings, run_id)
    # THEN gate 2 blocks, naming each invariant and its document
    assert not gate["passed"]
    blocking = {
        (f["check"], f["document_id"]) for f in gate["findings"] if f["severity"] == "block"
    }
    assert blocking == {
        ("raw_document_audited_loaded", doc_b),
        ("mart_rows_of_loaded_documents", doc_b),
        ("loaded_document_in_raw", phantom),
        ("loaded_document_in_marts", phantom),
    }
    # AND publishing is refused: nothing is published, the build is kept aside
    with pytest.raises(pipeline.RunFailed, match="marts_gate: warehouse invariant"):
        pipeline.publish(gate, settings, run_id)
    assert not settings.published.exists()
    assert settings.rejected.exists()
