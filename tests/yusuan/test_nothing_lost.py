"""Rows leave the warehouse only when a re-issue replaces them or the user removes them:
a duplicate, a quarantined document or a forced re-load that fails never deletes
another's rows (or its own good ones)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from tests.conftest import SAMPLES
from yusuan import pipeline, warehouse
from yusuan.cli import app
from yusuan.pull import sha256_of
from yusuan.settings import Limits, Settings

pytestmark = pytest.mark.integration
DOC_A, DOC_B = SAMPLES / "doc_a.pdf", SAMPLES / "doc_b.pdf"  # 19 and 5 pages


def query(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def in_marts(path: Path) -> list[str]:
    return [name for (name,) in query(path, "select file_name from marts.dim_document order by 1")]


def verdicts(report: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    return sorted((v["file_name"], v["status"], v["reason"]) for v in report["verdicts"])


def test_duplicates_failures_and_removal_lose_nothing(tmp_path: Path) -> None:
    bi = tmp_path / "bi.duckdb"
    settings = Settings(home=tmp_path / "home", warehouse=bi)
    a_id = sha256_of(DOC_A)

    # GIVEN the same PDF twice in one load: a folder holding it and a byte copy of it
    folder = tmp_path / "sources"
    folder.mkdir()
    shutil.copy(DOC_A, folder / "a.pdf")
    shutil.copy(DOC_A, folder / "copy_of_a.pdf")
    # WHEN it is loaded
    report = pipeline.run([str(folder)], settings)
    # THEN the first copy loads, the second is a duplicate naming it, and the marts keep it
    assert verdicts(report) == [
        ("a.pdf", "loaded", None),
        ("copy_of_a.pdf", "quarantined", "duplicate"),
    ]
    assert "a.pdf" in next(v["detail"] for v in report["verdicts"] if v["reason"])
    assert in_marts(bi) == ["a.pdf"]
    rows_of_a = query(bi, "select count(*) from marts.fct_expenditure")[0][0]
    assert rows_of_a == 26  # doc_a.json: 13 项 rows in each of its two function tables

    # WHEN both are forced in again beside doc_b, and re-extraction of a.pdf now fails
    # (a page limit it is over)
    strict = Settings(home=settings.home, warehouse=bi, force=True, limits=Limits(max_pages=10))
    report = pipeline.run([str(folder), str(DOC_B)], strict)
    # THEN doc_b loads, a.pdf is quarantined but its good rows stay, and the audit says so
    assert verdicts(report) == [
        ("a.pdf", "quarantined", "too_large"),
        ("copy_of_a.pdf", "quarantined", "duplicate"),
        ("doc_b.pdf", "loaded", None),
    ]
    detail = next(v["detail"] for v in report["verdicts"] if v["reason"] == "too_large")
    assert "19 pages" in detail and "stay in the warehouse" in detail
    assert in_marts(bi) == ["a.pdf", "doc_b.pdf"]
    assert query(bi, "select count(*) from marts.fct_expenditure where document_id = ?", a_id) == [
        (rows_of_a,)
    ]

    # WHEN the user removes a.pdf by a prefix of its id
    removed = CliRunner().invoke(
        app, ["remove", a_id[:16], "--warehouse", str(bi), "--home", str(settings.home)]
    )
    # THEN its rows leave raw.* and every mart, and the audit records the removal
    assert removed.exit_code == 0, removed.output
    assert in_marts(bi) == ["doc_b.pdf"]
    for table in ("raw.documents", "raw.function_expenditure", "marts.fct_expenditure"):
        assert query(bi, f"select count(*) from {table} where document_id = ?", a_id) == [(0,)]
    assert query(
        bi,
        "select status, reason from audit.document_loads where document_id = ? "
        "order by checked_at desc limit 1",
        a_id,
    ) == [("skipped", "removed")]
    # AND no working copy is left beside the warehouse
    assert settings.working_copies() == []

    # WHEN it is loaded again later
    report = pipeline.run([str(DOC_A)], settings)
    # THEN it comes back (a removal is not a supersession)
    assert verdicts(report) == [("doc_a.pdf", "loaded", None)]
    assert in_marts(bi) == ["doc_a.pdf", "doc_b.pdf"]


def test_remove_refuses_short_or_unknown_ids(tmp_path: Path) -> None:
    runner = CliRunner()
    short = runner.invoke(app, ["remove", "abc", "--warehouse", str(tmp_path / "bi.duckdb")])
    assert short.exit_code == 2 and "12 characters" in short.output
    settings = Settings(home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb")
    with pytest.raises(pipeline.RunFailed, match="not in the warehouse: 0123456789abcdef"):
        pipeline.remove(["0123456789abcdef"], settings)
    assert settings.working_copies() == []


def test_a_reissue_never_replaces_more_than_one_document(tmp_path: Path) -> None:
    # GIVEN a warehouse in which two documents share one budget key (loaded before the key
    # was read as it is now)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute(warehouse.raw_ddl())
    con.execute(warehouse.AUDIT_DDL)
    for document_id in ("a" * 64, "b" * 64):
        con.execute(
            """insert into raw.documents (document_id, file_name, source_uri, department_name,
                   fiscal_year, budget_level, run_id, loaded_at)
               values (?, ?, ?, '某区教育局', 2024, 'department', 'old', now())""",
            [document_id, f"{document_id[0]}.pdf", f"/src/{document_id[0]}.pdf"],
        )
    doc = {
        "document_id": "c" * 64,
        "file_name": "c.pdf",
        "status": "passed",
        "department_name": "某区教育局",
        "fiscal_year": 2024,
        "budget_level": "department",
    }
    # WHEN a third document of that key is forced in
    verdict, superseded = pipeline._reissue(con, doc, True)
    # THEN nothing is replaced: it is skipped as another version, naming both
    assert (verdict["status"], verdict["reason"], superseded) == ("skipped", "other_version", [])
    assert "a.pdf" in verdict["detail"] and "b.pdf" in verdict["detail"]
    assert con.execute("select count(*) from raw.documents").fetchone() == (2,)


def test_a_forced_reload_of_two_documents_sharing_a_key_replaces_neither(
    tmp_path: Path,
) -> None:
    # GIVEN two loaded documents of one key (as above), both forced in again
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute(warehouse.raw_ddl())
    con.execute(warehouse.AUDIT_DDL)
    for document_id in ("a" * 64, "b" * 64):
        con.execute(
            """insert into raw.documents (document_id, file_name, source_uri, department_name,
                   fiscal_year, budget_level, run_id, loaded_at)
               values (?, 'x.pdf', '/x.pdf', '某区教育局', 2024, 'department', 'old', now())""",
            [document_id],
        )
    reloaded = {"a" * 64, "b" * 64}
    key = {"status": "passed", "department_name": "某区教育局", "fiscal_year": 2024}
    for document_id in sorted(reloaded):
        doc = key | {"document_id": document_id, "file_name": "x.pdf", "previously_loaded": True}
        # THEN a re-load is no re-issue: each replaces only itself
        assert pipeline._reissue(con, doc, True) == (doc, [])


def test_a_failed_remove_leaves_the_published_audit_consistent(tmp_path: Path) -> None:
    # GIVEN a published warehouse holding one document
    published, rejected = tmp_path / "bi.duckdb", tmp_path / "bi.rejected.duckdb"
    doc = "d" * 64
    for path, verdicts in (
        (published, [("r1", "loaded", None)]),
        (rejected, [("r1", "loaded", None), ("r2", "skipped", "removed")]),
    ):
        with duckdb.connect(str(path)) as con:
            con.execute(warehouse.raw_ddl() + warehouse.AUDIT_DDL)
            con.execute(
                "create schema marts; create table marts.dim_document (document_id varchar)"
            )
            con.execute(
                "insert into raw.documents (document_id, file_name, source_uri, "
                "page_count) values (?, 'd.pdf', '/d.pdf', 1)",
                [doc],
            )
            con.execute("insert into marts.dim_document values (?)", [doc])
            for run, status, reason in verdicts:
                con.execute("insert into audit.document_loads values "
                            "(?, 'd.pdf', '/d.pdf', ?, ?, ?, null, now())",
                            [doc, run, status, reason])  # fmt: skip
    # WHEN the remove run r2 fails and its audit is carried over to the published file
    warehouse.keep_audit(rejected, published, "r2", "transform_failed", "dbt failed")
    # THEN its 'removed' verdict is not: the document is still there, and still audited so
    # (the invariants loaded_document_in_raw and raw_document_audited_loaded hold)
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select status from audit.document_loads").fetchall() == [("loaded",)]
        assert con.execute("select document_id from raw.documents").fetchall() == [(doc,)]


def test_remove_repairs_a_document_audited_loaded_whose_rows_were_lost(tmp_path: Path) -> None:
    # (a warehouse an earlier version left inconsistent: the audit says loaded, raw is empty)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute(warehouse.raw_ddl() + warehouse.AUDIT_DDL)
    con.execute(
        "insert into audit.document_loads values (?, 'lost.pdf', '/lost.pdf', 'r1', 'loaded',"
        " null, null, now())",
        ["e" * 64],
    )
    assert warehouse.documents_by_id(con, ["e" * 12]) == [
        {"document_id": "e" * 64, "file_name": "lost.pdf", "source_uri": "/lost.pdf"}
    ]
