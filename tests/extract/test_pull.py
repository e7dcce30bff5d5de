"""Pulling sources into the landing zone, over a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from extract.pull import Source, discover, land
from tests.conftest import SAMPLES

PDF = (SAMPLES / "doc_b.pdf").read_bytes()


class Handler(BaseHTTPRequestHandler):
    failures_left = 0  # answer 503 this many times before serving

    def do_GET(self) -> None:
        if self.path == "/flaky.pdf" and Handler.failures_left > 0:
            Handler.failures_left -= 1
            self.send_error(503)
            return
        if self.path in ("/doc_b.pdf", "/flaky.pdf", "/%E9%A2%84%E7%AE%97.pdf"):
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            self.wfile.write(PDF)
            return
        self.send_error(404)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_download_lands_under_its_sha256(server: str, tmp_path: Path) -> None:
    digest, path = land(Source(f"{server}/doc_b.pdf"), tmp_path / "landing")
    assert digest == hashlib.sha256(PDF).hexdigest()
    assert path == tmp_path / "landing" / f"{digest}.pdf"
    assert path.read_bytes() == PDF
    assert [p.name for p in (tmp_path / "landing").iterdir()] == [path.name]  # no .part left


def test_transient_server_errors_are_retried(server: str, tmp_path: Path) -> None:
    Handler.failures_left = 2
    digest, _ = land(Source(f"{server}/flaky.pdf"), tmp_path)
    assert Handler.failures_left == 0
    assert digest == hashlib.sha256(PDF).hexdigest()


def test_missing_document_fails_without_landing_anything(server: str, tmp_path: Path) -> None:
    with pytest.raises(httpx.HTTPStatusError):
        land(Source(f"{server}/missing.pdf"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_url_file_name_is_decoded(server: str) -> None:
    assert Source(f"{server}/%E9%A2%84%E7%AE%97.pdf").file_name == "预算.pdf"


def test_discover_expands_directories_and_catalogs(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.pdf").write_bytes(PDF)
    (tmp_path / "a" / "notes.txt").write_text("not a pdf")
    catalog = tmp_path / "catalog.yml"
    catalog.write_text("documents:\n  - a/x.pdf\n  - uri: https://example.org/y.pdf\n")
    found = discover([str(tmp_path / "a"), str(catalog)])
    assert [s.uri for s in found] == [
        str(tmp_path / "a" / "x.pdf"),
        str(tmp_path / "a" / "x.pdf"),
        "https://example.org/y.pdf",
    ]
    with pytest.raises(FileNotFoundError):
        discover([str(tmp_path / "nope.pdf")])


def test_catalog_states_what_it_knows_of_each_document(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(PDF)
    catalog = tmp_path / "catalog.yml"
    catalog.write_text(
        "region: 郑州市\nprovince: 河南省\ndocuments:\n"
        "  - x.pdf\n"
        "  - {uri: x.pdf, department: 郑州市教育局, fiscal_year: 2023, region: 郑州市金水区}\n"
    )
    first, second = discover([str(catalog)])
    assert dict(first.known) == {"region": "郑州市", "province": "河南省"}
    assert dict(second.known) == {
        "region": "郑州市金水区",
        "province": "河南省",
        "department": "郑州市教育局",
        "fiscal_year": 2023,
    }


def test_catalog_rejects_unknown_fields(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog.yml"
    catalog.write_text("documents:\n  - {uri: x.pdf, depratment: typo}\n")
    with pytest.raises(ValueError, match="unknown catalog field"):
        discover([str(catalog)])


def test_a_stale_catalog_entry_is_that_documents_problem(tmp_path: Path) -> None:
    from extract.pipeline import pull
    from extract.settings import Settings

    (tmp_path / "x.pdf").write_bytes(PDF)
    catalog = tmp_path / "catalog.yml"
    catalog.write_text("documents:\n  - x.pdf\n  - moved-away.pdf\n")
    docs = pull([str(catalog)], Settings(home=tmp_path / "home"))
    assert [(d["file_name"], d["status"], d.get("reason")) for d in docs] == [
        ("x.pdf", "pending", None),
        ("moved-away.pdf", "quarantined", "unreachable"),
    ]
