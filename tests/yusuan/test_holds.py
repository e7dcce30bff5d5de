"""A row that fails after gate 1 costs its table (or its document), never the run.

Real runs of the pipeline's steps on real PDFs, with one staged row broken after gate 1
passed it (as a misread that gate 1 cannot see would be): a real `dbt build` fails on it,
the table it came from is held, the marts are built again without it and published.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.conftest import SAMPLES, project_with_test
from tests.mail import Inbox, smtp_server
from tools.samplegen import render_all
from yusuan import pipeline
from yusuan.pipeline import Doc, RunFailed
from yusuan.settings import Settings

pytestmark = pytest.mark.integration

Row = dict[str, Any]


def gate1(sources: list[Path], settings: Settings) -> list[Doc]:
    """pull, extract and validate: the documents as they reach `load`."""
    docs = pipeline.extract_all(pipeline.pull([str(s) for s in sources], settings), settings)
    return pipeline.validate_all(docs, settings)


def break_staged(doc: Doc, family: str, change: Callable[[list[Row]], None]) -> None:
    """Rewrite one staged family of a document that passed gate 1."""
    path = Path(doc["staging_dir"]) / f"{family}.parquet"
    table = pq.read_table(path)
    rows = table.to_pylist()
    change(rows)
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)


def first(rows: list[Row], **where: Any) -> Row:
    return next(r for r in rows if all(r[k] == v for k, v in where.items()))


def after_gate1(docs: list[Doc], settings: Settings, run_id: str) -> dict[str, Any]:
    """load, transform, validate_marts and publish: the steps after gate 1."""
    pipeline.load(docs, settings, run_id)
    pipeline.transform(settings, run_id)
    return pipeline.publish(pipeline.validate_marts(settings, run_id), settings, run_id)


def query(warehouse: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def by_file(docs: list[Doc], name: str) -> Doc:
    return next(d for d in docs if d["file_name"] == name)


@pytest.fixture(scope="module")
def inbox() -> Iterator[Inbox]:
    with smtp_server() as received:
        yield received


@pytest.fixture(scope="module")
def dbt_held_run(
    tmp_path_factory: pytest.TempPathFactory, inbox: Inbox
) -> tuple[Settings, dict[str, Any]]:
    """Five documents; after gate 1, doc_a gets a 收支总表 line of class 266 (no such
    function class: dbt's `relationships` to the national list) and a 三公 category no
    one accepts (`accepted_values`), and doc_b's document row is staged twice (`unique`)."""
    tmp = tmp_path_factory.mktemp("dbt-held")
    rendered = render_all(tmp / "rendered")
    with pytest.MonkeyPatch.context() as env:
        for name, value in inbox.env().items():
            env.setenv(name, value)
        settings = Settings(home=tmp / "home", warehouse=tmp / "bi.duckdb")
        docs = gate1([SAMPLES / "doc_a.pdf", SAMPLES / "doc_b.pdf", *rendered], settings)
        doc_a, doc_b = by_file(docs, "doc_a.pdf"), by_file(docs, "doc_b.pdf")
        assert doc_a["status"] == doc_b["status"] == "passed"

        def class_266(rows: list[Row]) -> None:
            first(rows, table_index=0, class_code="205")["class_code"] = "266"

        def odd_category(rows: list[Row]) -> None:
            rows[0]["category"] = "招待费"

        break_staged(doc_a, "budget_summary", class_266)
        break_staged(doc_a, "three_public", odd_category)
        break_staged(doc_b, "documents", lambda rows: rows.append(dict(rows[0])))
        published = after_gate1(docs, settings, "held_run")
    return settings, published


def test_the_run_publishes_every_good_document(dbt_held_run: tuple[Settings, Any]) -> None:
    settings, published = dbt_held_run
    assert published["published"] is True
    verdicts = {v["file_name"]: (v["status"], v["reason"]) for v in pipeline_verdicts(settings)}
    assert verdicts == {
        "doc_a.pdf": ("partial", "model_test"),
        "doc_b.pdf": ("quarantined", "model_test"),
        # the others as gate 1 left them
        "henan_county_education_2024.pdf": ("loaded", None),
        "shanghai_style_yuan_2023.pdf": ("loaded", None),
        "unreconciled_2024.pdf": ("partial", "reconciliation"),
    }
    files = query(settings.published, "select file_name from marts.dim_document order by 1")
    assert files == [
        ("doc_a.pdf",),
        ("henan_county_education_2024.pdf",),
        ("shanghai_style_yuan_2023.pdf",),
        ("unreconciled_2024.pdf",),
    ]


def pipeline_verdicts(settings: Settings) -> list[dict[str, Any]]:
    from yusuan.warehouse import run_verdicts

    return run_verdicts(settings.published, "held_run")


def test_the_tables_the_failing_rows_came_from_are_held(
    dbt_held_run: tuple[Settings, Any],
) -> None:
    settings, _ = dbt_held_run
    outcomes = query(
        settings.published,
        """select t.table_index, t.page_number, t.family, t.outcome, t.reason
           from marts.dim_document_table t join marts.dim_document d using (document_id)
           where d.file_name = 'doc_a.pdf' and t.family is not null order by 1""",
    )
    held = [o for o in outcomes if o[3] != "loaded"]
    assert held == [
        (0, 8, "budget_summary", "held", "model_test"),
        (5, 15, "three_public", "held", "model_test"),
    ]
    assert len(outcomes) == 9  # the other seven tables of doc_a loaded
    # nothing of a held table reaches the marts; the other 收支总表 (pages 10-11) does
    pages = query(
        settings.published,
        """select distinct f.page_number from marts.fct_budget_summary f
           join marts.dim_document d using (document_id) where d.file_name = 'doc_a.pdf'
           order by 1""",
    )
    assert pages == [(10,), (11,)]
    # 三公 falls back to the figures stated in the prose (pages 4-5), as for a document
    # printed without the table
    assert query(
        settings.published,
        """select distinct source, page_number from marts.fct_three_public f
           join marts.dim_document d using (document_id) where d.file_name = 'doc_a.pdf'
           order by 2""",
    ) == [("narrative", 4), ("narrative", 5)]


def test_the_audit_names_each_test_and_row(dbt_held_run: tuple[Settings, Any]) -> None:
    settings, _ = dbt_held_run
    findings = query(
        settings.published,
        """select l.file_name, f."check", f.page_number, f.table_title, f.detail
           from audit.findings f join audit.document_loads l using (document_id, run_id)
           where f.run_id = 'held_run' and l.reason = 'model_test' order by 1, 3""",
    )
    [summary, three, document] = findings
    assert summary[:4] == (
        "doc_a.pdf",
        "relationships_stg_yusuan__budget_summary_class_code__class_code__ref_function_classes_",
        8,
        "2024年部门收支总体情况表",
    )
    assert "class_code '266'" in summary[4]
    assert three[0] == "doc_a.pdf" and three[1].startswith("accepted_values_stg_yusuan__three_")
    assert three[2] == 15 and "招待费" in three[4]
    # the raw table's own test (a source test of dbt) finds the document row staged twice
    assert document[:2] == ("doc_b.pdf", "source_unique_yusuan_documents_document_id")
    assert "2 row(s) of documents" in document[4]
    assert document[2] is None  # no table named: the document is quarantined whole
    [(detail,)] = query(
        settings.published,
        "select detail from audit.document_loads where run_id = 'held_run'"
        " and file_name = 'doc_a.pdf'",
    )
    assert "2 table(s) held back after gate 1" in detail and "page 8" in detail
    assert "page 15" in detail


def test_the_alert_names_the_held_tables_and_tests(
    dbt_held_run: tuple[Settings, Any], inbox: Inbox
) -> None:
    bodies = [b for b in inbox.bodies() if "model_test" in b]
    assert bodies, inbox.bodies()
    body = "\n".join(bodies)
    assert "doc_a.pdf" in body and "doc_b.pdf" in body
    assert "held: page 8, table '2024年部门收支总体情况表' (model_test)" in body
    assert "relationships_stg_yusuan__budget_summary_class_code" in body
    assert "source_unique_yusuan_documents_document_id" in body


def test_facts_that_fail_gate_2_hold_their_table(tmp_path: Path) -> None:
    """doc_a's 一般公共预算 function table gets one 项 row doubled after gate 1: its facts no
    longer sum to the printed total, which gate 2 finds; the table is held, the marts are
    built again without it and published with doc_b and the rest of doc_a."""
    settings = Settings(home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb")
    docs = gate1([SAMPLES / "doc_a.pdf", SAMPLES / "doc_b.pdf"], settings)

    def doubled(rows: list[Row]) -> None:
        row = first(rows, table_index=1, row_kind="code", code_level=3)
        row["total_yuan"] *= 2

    break_staged(by_file(docs, "doc_a.pdf"), "function_expenditure", doubled)
    assert after_gate1(docs, settings, "gate2_run")["published"] is True
    verdicts = query(
        settings.published,
        "select file_name, status, reason, detail from audit.document_loads order by 1",
    )
    assert [v[:3] for v in verdicts] == [
        ("doc_a.pdf", "partial", "marts_gate"),
        ("doc_b.pdf", "loaded", None),
    ]
    assert "page 9" in verdicts[0][3] and "fct_expenditure sums to" in verdicts[0][3]
    held = query(
        settings.published,
        "select table_index, outcome, reason from marts.dim_document_table where outcome = 'held'",
    )
    assert held == [(1, "held", "marts_gate")]
    # the other function table of doc_a (pages 12-13) is in the marts, the held one is not
    pages = query(
        settings.published,
        "select distinct page_number from marts.fct_expenditure f"
        " join marts.dim_document d using (document_id) where d.file_name = 'doc_a.pdf'"
        " order by 1",
    )
    assert pages == [(12,), (13,)]


def test_a_failure_no_document_of_the_run_explains_fails_the_run(tmp_path: Path) -> None:
    """A dbt test that fails on rows of a document published by an earlier run (here: a
    project whose new test rejects doc_b's indicators) is not this run's documents' fault:
    nothing is held, the run fails, and the last good warehouse stays."""
    settings = Settings(home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb")
    after_gate1(gate1([SAMPLES / "doc_b.pdf"], settings), settings, "first")
    stricter = project_with_test(
        tmp_path,
        "no_indicators_of_doc_b",
        "select i.* from {{ ref('stg_yusuan__indicators') }} as i\n"
        "join {{ ref('stg_yusuan__documents') }} as d using (document_id)\n"
        "where d.file_name = 'doc_b.pdf'\n",
    )
    second = Settings(
        home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb", dbt_project=stricter
    )
    docs = gate1([SAMPLES / "doc_a.pdf"], second)
    with pytest.raises(RunFailed, match="documents this run did not load"):
        after_gate1(docs, second, "second")
    assert query(second.published, "select file_name from marts.dim_document") == [("doc_b.pdf",)]


def test_a_dimension_row_holds_the_new_documents_using_its_key(tmp_path: Path) -> None:
    """A dimension's row names no document: a test failing on dim_function_code's row of
    2010404 holds the documents of this run whose rows print that code (doc_a, whole), and
    the run publishes doc_b."""
    project = project_with_test(
        tmp_path,
        "no_code_2010404",
        "select * from {{ ref('dim_function_code') }} where function_code = '2010404'\n",
    )
    settings = Settings(
        home=tmp_path / "home", warehouse=tmp_path / "bi.duckdb", dbt_project=project
    )
    docs = gate1([SAMPLES / "doc_a.pdf", SAMPLES / "doc_b.pdf"], settings)
    assert after_gate1(docs, settings, "dim_run")["published"] is True
    verdicts = query(
        settings.published,
        "select file_name, status, reason, detail from audit.document_loads order by 1",
    )
    assert [v[:3] for v in verdicts] == [
        ("doc_a.pdf", "quarantined", "model_test"),
        ("doc_b.pdf", "loaded", None),
    ]
    assert "no_code_2010404" in verdicts[0][3] and "function_code 2010404" in verdicts[0][3]
    assert query(settings.published, "select file_name from marts.dim_document") == [("doc_b.pdf",)]
