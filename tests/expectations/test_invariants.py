"""The warehouse invariants gate 2 checks before publishing: audit, raw.* and marts agree.

They are dbt singular tests (dbt_project/tests/invariants/); dbt stores the rows that
break them as views, which gate 2 reads (expectations.invariants). The views are queries:
a warehouse broken after its build shows the broken rows at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
import yaml

from expectations.invariants import INVARIANTS, invariant_records
from extract.verdicts import LOADING_STATUSES, REMOVING_REASONS
from tests.conftest import SAMPLES
from yusuan import pipeline
from yusuan.settings import DEFAULT_DBT_PROJECT, Settings

INVARIANT_TESTS = DEFAULT_DBT_PROJECT / "tests" / "invariants"


def test_the_invariants_are_the_dbt_tests_gate_2_reads() -> None:
    assert sorted(INVARIANTS) == sorted(p.stem for p in INVARIANT_TESTS.glob("*.sql"))
    for path in INVARIANT_TESTS.glob("*.sql"):
        # a warning to dbt (its build goes on), a blocking finding to gate 2
        assert "severity='warn'" in path.read_text(), path.name


def test_dbt_reads_the_audit_words_of_extract_verdicts() -> None:
    project = yaml.safe_load((DEFAULT_DBT_PROJECT / "dbt_project.yml").read_text())
    assert project["vars"]["loading_statuses"] == [str(s) for s in LOADING_STATUSES]
    assert project["vars"]["removing_reasons"] == [str(r) for r in REMOVING_REASONS]


def test_every_mart_with_documents_is_checked_for_rows_of_unloaded_documents() -> None:
    with_documents = set()
    for path in (DEFAULT_DBT_PROJECT / "models" / "marts").glob("*.yml"):
        for model in yaml.safe_load(path.read_text()).get("models", []):
            if any(c["name"] == "document_id" for c in model.get("columns", [])):
                with_documents.add(model["name"])
    sql = (INVARIANT_TESTS / "mart_rows_of_loaded_documents.sql").read_text()
    listed = set(re.findall(r"'(\w+)'", sql.split("%}")[0].split("set marts")[1]))
    assert listed == with_documents


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict[str, str]]]:
    """A working copy after load and dbt build: doc_a and doc_b loaded, run 'r1'."""
    tmp = tmp_path_factory.mktemp("invariants")
    settings = Settings(home=tmp / "home", warehouse=tmp / "bi.duckdb")
    docs = pipeline.extract_all(
        pipeline.pull([str(SAMPLES / "doc_a.pdf"), str(SAMPLES / "doc_b.pdf")], settings),
        settings,
    )
    docs = pipeline.validate_all(docs, settings)
    pipeline.load(docs, settings, "r1")
    pipeline.transform(settings, "r1")
    yield settings.building("r1"), {d["file_name"]: d["document_id"] for d in docs}


def checks(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str | None]]:
    return sorted((r["check"], r["document_id"]) for r in invariant_records(con))


@pytest.mark.integration
def test_a_sound_warehouse_breaks_no_invariant(built: tuple[Path, dict[str, str]]) -> None:
    path, _ = built
    with duckdb.connect(str(path), read_only=True) as con:
        assert checks(con) == []


@pytest.mark.integration
def test_each_broken_invariant_is_named_with_its_document(
    built: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    source, ids = built
    path = tmp_path / "broken.duckdb"
    path.write_bytes(source.read_bytes())
    a, b, phantom, stranger = ids["doc_a.pdf"], ids["doc_b.pdf"], "f" * 64, "e" * 64
    with duckdb.connect(str(path)) as con:
        con.execute("delete from raw.documents where document_id = ?", [a])  # rows lost
        con.execute(  # a document nobody audited
            "insert into raw.documents (document_id, file_name) values (?, 'f.pdf')", [phantom]
        )
        con.execute("delete from marts.dim_document where document_id = ?", [b])
        con.execute(  # a mart row of a document never audited
            "insert into marts.fct_indicator select * replace (? as document_id)"
            " from marts.fct_indicator limit 1",
            [stranger],
        )
        con.execute(  # a second verdict for one source in run r1
            "insert into audit.document_loads select * replace ('quarantined' as status)"
            " from audit.document_loads where document_id = ?",
            [b],
        )
        assert checks(con) == [
            ("loaded_document_in_marts", b),
            ("loaded_document_in_raw", a),
            ("mart_rows_of_loaded_documents", stranger),
            ("one_verdict_per_source", b),
            ("raw_document_audited_loaded", phantom),
        ]


def test_an_invariant_dbt_did_not_check_blocks() -> None:
    con = duckdb.connect()
    con.execute("create schema audit_tests")
    con.execute("create view audit_tests.loaded_document_in_raw as select 'x' as document_id,"
                " 'detail' as detail where false")  # fmt: skip
    records = invariant_records(con)
    assert sorted(r["check"] for r in records) == sorted(
        set(INVARIANTS) - {"loaded_document_in_raw"}
    )
    assert all(r["severity"] == "block" and "not checked" in r["detail"] for r in records)


@pytest.mark.integration
def test_gate_2_blocks_publishing_a_warehouse_that_lost_rows(tmp_path: Path) -> None:
    # GIVEN a run that loaded doc_b into its working copy
    settings = Settings(home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb")
    run_id = "broken-on-purpose"
    docs = pipeline.validate_all(
        pipeline.extract_all(pipeline.pull([str(SAMPLES / "doc_b.pdf")], settings), settings),
        settings,
    )
    pipeline.load(docs, settings, run_id)
    # WHEN its audit loses the document's verdict, and gains one for a document it never
    # loaded, before the marts are built
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
    # THEN gate 2 blocks, naming each invariant and its document (no table is held: a
    # broken invariant is the warehouse's fault, not a document's)
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
