"""Every real national PDF (tests/pdfs/real-national/, fifteen 2026 budgets of nine cities)
loaded together by `yusuan load`: each document loads whole, and no table is held back
(none of them prints a table that contradicts itself)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from extract.verdicts import TableOutcome
from tests.conftest import NATIONAL

pytestmark = pytest.mark.integration


def test_every_national_document_loads_whole(national_warehouse: Path) -> None:
    with duckdb.connect(str(national_warehouse), read_only=True) as con:
        verdicts = dict(
            con.execute("select file_name, status from audit.document_loads").fetchall()
        )
        kept_back = con.execute(
            """select d.file_name, t.page_number, t.table_title, t.outcome
               from marts.dim_document_table t join marts.dim_document d using (document_id)
               where t.outcome not in (?, ?, ?) order by 1, 2""",
            [TableOutcome.LOADED, TableOutcome.EMPTY, TableOutcome.UNMODELLED],
        ).fetchall()
    assert verdicts == {path.name: "loaded" for path in NATIONAL.glob("*.pdf")}
    assert kept_back == []
