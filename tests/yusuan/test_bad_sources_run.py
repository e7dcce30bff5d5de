"""A whole load over every kind of bad source at once: each costs only itself, with a
named reason and no secret in the audit; the good document loads and the run completes."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SAMPLES
from tests.extract.test_bad_input import mutate
from tests.yusuan.test_pull import Faults, server
from yusuan import pipeline
from yusuan.settings import Limits, Settings

pytestmark = pytest.mark.integration
__all__ = ["server"]  # the fault server fixture, used below


def test_every_bad_source_costs_only_itself(server: str, tmp_path: Path) -> None:
    # GIVEN a catalog with one good document and every kind of bad entry, and a folder of
    # damaged PDFs
    books = tmp_path / "books"
    books.mkdir()
    shutil.copy(SAMPLES / "doc_b.pdf", books / "good.pdf")
    (tmp_path / "outside.pdf").write_bytes((SAMPLES / "doc_b.pdf").read_bytes())
    (books / "loop.yml").write_text("documents: [catalog.yml]\n")
    host = server.removeprefix("http://")
    (books / "catalog.yml").write_text(
        "documents:\n"
        "  - good.pdf\n"
        "  - {fiscal_year: 2024}\n"
        "  - {uri: year.pdf, fiscal_year: soon}\n"
        "  - ../outside.pdf\n"
        "  - loop.yml\n"
        f"  - http://user:pa55@{host}/missing.pdf?token=s3cr3t\n"
        f"  - {server}/page.pdf\n"
        f"  - {server}/truncated.pdf\n"
        f"  - {server}/loop.pdf\n"
        f"  - {server}/endless.pdf\n"
    )
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    data = (SAMPLES / "doc_b.pdf").read_bytes()
    (damaged / "cut.pdf").write_bytes(data[: len(data) // 3])
    (damaged / "noise.pdf").write_bytes(
        mutate(data, [("overwrite", 2000 + 997 * i, b"\xff" * 32) for i in range(40)])
    )
    (damaged / "empty.pdf").write_bytes(b"")
    settings = Settings(
        home=tmp_path / "home",
        warehouse=tmp_path / "bi.duckdb",
        limits=Limits(max_download_mb=1, download_deadline_s=5),
    )
    Faults.failures_left = 0
    # WHEN it is loaded
    report = pipeline.run([str(books / "catalog.yml"), str(damaged)], settings)
    # THEN the run is published with the good document, every other source has its reason
    assert report["published"]
    reasons = {v["file_name"]: (v["status"], v["reason"]) for v in report["verdicts"]}
    assert reasons.pop("good.pdf") == ("loaded", None)
    assert reasons.pop("cut.pdf") == ("quarantined", "corrupt")
    assert reasons.pop("empty.pdf") == ("quarantined", "not_pdf")
    assert reasons.pop("noise.pdf")[0] in ("quarantined", "loaded")  # damage it may survive
    assert reasons == {
        "catalog.yml#documents[1]": ("quarantined", "bad_source"),
        "year.pdf": ("quarantined", "bad_source"),
        "outside.pdf": ("quarantined", "bad_source"),
        "catalog.yml": ("quarantined", "bad_source"),  # loop.yml -> catalog.yml again
        "missing.pdf": ("quarantined", "unreachable"),
        "page.pdf": ("quarantined", "not_pdf"),
        "truncated.pdf": ("quarantined", "download_incomplete"),
        "loop.pdf": ("quarantined", "unreachable"),
        "endless.pdf": ("quarantined", "too_large"),
    }
    # AND no credential or query string reached the audit
    with duckdb.connect(str(settings.published), read_only=True) as con:
        audited = con.execute("select * from audit.document_loads").fetchall()
    text = repr(audited)
    assert "pa55" not in text and "s3cr3t" not in text
    assert f"http://{host}/missing.pdf" in text
