"""Pulling sources into the landing zone, over a real HTTP server on 127.0.0.1 that
misbehaves in every way a government web server does; catalogs validated entry by entry."""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from extract.errors import DocumentRejected
from tests.conftest import SAMPLES
from yusuan.pull import Source, clean_partials, discover, land, redact
from yusuan.settings import Limits

PDF = (SAMPLES / "doc_b.pdf").read_bytes()
LIMITS = Limits(max_download_mb=1, download_deadline_s=3)  # doc_b is 0.1 MB


SERVED = ("/doc_b.pdf", "/flaky.pdf", "/%E9%A2%84%E7%AE%97.pdf", "/secret.pdf")


class Faults(BaseHTTPRequestHandler):
    """Each path is one way a download goes wrong (or right)."""

    failures_left = 0  # /flaky.pdf answers 500 this many times, then serves the PDF
    requests: list[str] = []  # noqa: RUF012 - shared record of what was asked
    trickled: list[int] = []  # noqa: RUF012 - bytes /trickle.pdf sent before the client left

    def do_GET(self) -> None:
        Faults.requests.append(self.path)
        path = self.path.split("?")[0]
        if path == "/flaky.pdf" and Faults.failures_left > 0:
            Faults.failures_left -= 1
            self.send_error(500)
        elif path in SERVED or (path.startswith("/private/") and path.endswith("/doc_b.pdf")):
            self._send(PDF)  # (/private/<token>/doc_b.pdf: a portal's signed download path)
        elif path == "/slow.pdf":  # headers at once, then nothing for longer than the deadline
            self.send_response(200)
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            time.sleep(LIMITS.download_deadline_s + 2)
        elif path == "/truncated.pdf":  # announces the whole file, sends half, hangs up
            self.send_response(200)
            self.send_header("Content-Length", str(len(PDF)))
            self.end_headers()
            self.wfile.write(PDF[: len(PDF) // 2])
            self.close_connection = True
        elif path == "/trickle.pdf":  # a byte at a time, each well within the read timeout
            self.send_response(200)
            self.end_headers()
            self.wfile.write(PDF[:1024])
            sent = 0
            try:
                for byte in PDF[1024:1200]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    sent += 1
                    time.sleep(0.5)
            except OSError:
                pass  # the client hung up
            finally:
                Faults.trickled.append(sent)
            self.close_connection = True
        elif path == "/page.pdf":  # a portal's error page, served as 200
            self._send(b"<!DOCTYPE html><html><body>\xe9\xa1\xb5\xe9\x9d\xa2</body></html>")
        elif path == "/loop.pdf":
            self.send_response(302)
            self.send_header("Location", "/loop.pdf")
            self.end_headers()
        elif path == "/huge.pdf":  # announced over the limit
            self.send_response(200)
            self.send_header("Content-Length", str(50 * 1024 * 1024))
            self.end_headers()
        elif path == "/endless.pdf":  # no length announced, more than the limit sent
            self.send_response(200)
            self.end_headers()
            self.wfile.write(PDF[:1024])
            for _ in range(40):
                self.wfile.write(b"0" * 65536)
            self.close_connection = True
        else:
            self.send_error(404)

    def _send(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Faults)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    Faults.requests = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def rejected(uri: str, tmp_path: Path) -> DocumentRejected:
    with pytest.raises(DocumentRejected) as caught:
        land(Source(uri), tmp_path / "landing", LIMITS)
    assert not list((tmp_path / "landing").glob("*")), "nothing lands, no .part stays"
    return caught.value


def test_download_lands_under_its_sha256(server: str, tmp_path: Path) -> None:
    digest, path = land(Source(f"{server}/doc_b.pdf"), tmp_path / "landing", LIMITS)
    assert digest == hashlib.sha256(PDF).hexdigest()
    assert path == tmp_path / "landing" / f"{digest}.pdf"
    assert path.read_bytes() == PDF
    assert list((tmp_path / "landing").glob("*.part")) == []


def test_a_server_error_that_recovers_is_retried(server: str, tmp_path: Path) -> None:
    Faults.failures_left = 2
    digest, _ = land(Source(f"{server}/flaky.pdf"), tmp_path / "landing", LIMITS)
    assert digest == hashlib.sha256(PDF).hexdigest()
    assert Faults.requests.count("/flaky.pdf") == 3


def test_a_server_that_stays_down_is_unreachable(server: str, tmp_path: Path) -> None:
    Faults.failures_left = 100
    error = rejected(f"{server}/flaky.pdf", tmp_path)
    assert error.reason == "unreachable"
    assert "HTTP 500" in error.detail and "flaky.pdf" in error.detail


def test_missing_document_is_unreachable_and_not_retried(server: str, tmp_path: Path) -> None:
    error = rejected(f"{server}/missing.pdf", tmp_path)
    assert (error.reason, "HTTP 404" in error.detail) == ("unreachable", True)
    assert Faults.requests.count("/missing.pdf") == 1


def test_a_stalled_download_stops_at_the_deadline(server: str, tmp_path: Path) -> None:
    error = rejected(f"{server}/slow.pdf", tmp_path)
    assert error.reason == "unreachable"
    assert "slow.pdf" in error.detail
    # the deadline covers every try: the first try used it all, there was no second
    assert Faults.requests.count("/slow.pdf") == 1


def test_a_trickling_download_stops_at_the_deadline(server: str, tmp_path: Path) -> None:
    Faults.trickled = []
    error = rejected(f"{server}/trickle.pdf", tmp_path)
    assert error.reason == "unreachable"
    assert f"not downloaded within {LIMITS.download_deadline_s:g} s" in error.detail
    # the client left mid-body (176 bytes at 2 a second would take 88 s)
    for _ in range(40):  # the server notices at its next write
        if Faults.trickled:
            break
        time.sleep(0.25)
    assert Faults.trickled and Faults.trickled[0] < 176


def test_urls_that_differ_only_in_their_token_are_one_source() -> None:
    found = discover(["https://h.example/a.pdf?token=1", "https://h.example/a.pdf?token=2"])
    assert [s.uri for s in found] == ["https://h.example/a.pdf?token=1"]


def test_a_truncated_body_is_download_incomplete(server: str, tmp_path: Path) -> None:
    error = rejected(f"{server}/truncated.pdf", tmp_path)
    assert error.reason == "download_incomplete"


def test_an_html_page_served_as_200_is_not_a_pdf(server: str, tmp_path: Path) -> None:
    error = rejected(f"{server}/page.pdf", tmp_path)
    assert error.reason == "not_pdf"
    assert "<!DOCTYPE" in error.detail


def test_a_redirect_loop_is_unreachable(server: str, tmp_path: Path) -> None:
    error = rejected(f"{server}/loop.pdf", tmp_path)
    assert (error.reason, "redirects" in error.detail) == ("unreachable", True)


@pytest.mark.parametrize("name", ["huge.pdf", "endless.pdf"])
def test_a_body_over_the_size_limit_is_too_large(server: str, tmp_path: Path, name: str) -> None:
    error = rejected(f"{server}/{name}", tmp_path)
    assert error.reason == "too_large"


def test_errors_and_logs_name_the_file_and_never_the_token(
    server: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    host = server.removeprefix("http://")
    uri = f"http://user:pa55word@{host}/missing.pdf?token=s3cr3t&sig=abc#frag"
    with caplog.at_level(logging.DEBUG):
        land(Source(f"http://{host}/doc_b.pdf?token=s3cr3t"), tmp_path / "ok", LIMITS)
        error = rejected(uri, tmp_path)
    assert "s3cr3t" not in caplog.text and "pa55word" not in caplog.text
    assert "missing.pdf" in error.detail
    for secret in ("pa55word", "s3cr3t", "abc", "user", "frag"):
        assert secret not in error.detail
    assert redact(uri) == f"http://{host}/missing.pdf"
    assert Source(uri).recorded_uri == redact(uri)


def test_a_token_in_the_path_is_never_shown(server: str, tmp_path: Path) -> None:
    host = server.removeprefix("http://")
    error = rejected(f"http://{host}/private/t0k3n/missing.pdf", tmp_path)
    assert "t0k3n" not in error.detail and "missing.pdf" in error.detail
    shown = redact("https://user:tok@Host.example/a/SECRET/b.pdf?x=1#f")
    assert shown.startswith("https://host.example/<redacted-") and shown.endswith(">/b.pdf")
    for secret in ("user", "tok", "SECRET", "x=1", "#f", "/a/"):
        assert secret not in shown
    assert redact("https://host.example/b.pdf?token=1") == "https://host.example/b.pdf"


def test_urls_that_differ_in_their_path_are_two_sources() -> None:
    # GIVEN two URLs of the same file name in two secret folders, and one named twice
    first, second = "https://h.example/s3cr3t/a.pdf", "https://h.example/t0k3n/a.pdf"
    # WHEN they are discovered
    found = discover([first, second, f"{first}?sig=1"])
    # THEN they are two sources, each shown without its folder, told apart by the marker
    assert [s.uri for s in found] == [first, second]
    shown = [s.recorded_uri for s in found]
    assert shown[0] != shown[1]
    assert not any("s3cr3t" in uri or "t0k3n" in uri for uri in shown)


def test_url_file_name_is_decoded(server: str) -> None:
    assert Source(f"{server}/%E9%A2%84%E7%AE%97.pdf").file_name == "预算.pdf"


def test_a_local_file_that_is_not_a_pdf_does_not_land(tmp_path: Path) -> None:
    (tmp_path / "notes.pdf").write_text("<html>not a pdf</html>")
    error = rejected(str(tmp_path / "notes.pdf"), tmp_path)
    assert error.reason == "not_pdf"


def test_a_local_file_landed_before_and_unchanged_is_not_copied_again(tmp_path: Path) -> None:
    source, landing = tmp_path / "a.pdf", tmp_path / "landing"
    source.write_bytes(PDF)
    digest, landed = land(Source(str(source)), landing, LIMITS)
    landed.unlink()
    landed.write_bytes(b"%PDF-the landed copy")  # marks the copy: is it replaced?
    # WHEN the same unchanged file is pulled again
    # THEN it is the landed copy, neither copied nor hashed again
    assert land(Source(str(source)), landing, LIMITS) == (digest, landed)
    assert landed.read_bytes() == b"%PDF-the landed copy"
    # WHEN the file is rewritten in place (another version under the same name)
    source.write_bytes(PDF + b"%% another version\n")
    # THEN it lands again, under its new digest
    again, path = land(Source(str(source)), landing, LIMITS)
    assert again == hashlib.sha256(source.read_bytes()).hexdigest() != digest
    assert path.read_bytes() == source.read_bytes()


def test_a_killed_pulls_part_files_are_cleaned(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    old, live = landing / "tmpold.part", landing / "tmplive.part"
    old.write_bytes(b"%PDF-half")
    live.write_bytes(b"%PDF-growing")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    assert clean_partials(landing, older_than_s=600) == [old]
    assert live.exists() and not old.exists()


# --------------------------------------------------------------------------- discovery


def test_discover_expands_directories_and_catalogs(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.pdf").write_bytes(PDF)
    (tmp_path / "a" / "notes.txt").write_text("not a pdf")
    catalog = tmp_path / "catalog.yml"
    catalog.write_text(
        "documents:\n  - {uri: a/x.pdf, fiscal_year: 2024}\n  - uri: https://example.org/y.pdf\n"
    )
    found = discover([str(tmp_path / "a"), str(catalog)])
    # the folder and the catalog name the same file: one source, with the catalog's facts
    assert [(s.uri, dict(s.known), s.problem) for s in found] == [
        (str(tmp_path / "a" / "x.pdf"), {"fiscal_year": 2024}, None),
        ("https://example.org/y.pdf", {}, None),
    ]


def test_a_missing_path_is_that_sources_problem(tmp_path: Path) -> None:
    [source] = discover([str(tmp_path / "nope.pdf")])
    assert source.problem == ("unreachable", "nope.pdf: source not found")


def test_catalog_states_what_it_knows_of_each_document(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(PDF)
    (tmp_path / "y.pdf").write_bytes(PDF)
    catalog = tmp_path / "catalog.yml"
    catalog.write_text(
        "region: 郑州市\nprovince: 河南省\ndocuments:\n"
        "  - x.pdf\n"
        "  - {uri: y.pdf, department: 郑州市教育局, fiscal_year: 2023, region: 郑州市金水区}\n"
    )
    first, second = discover([str(catalog)])
    assert dict(first.known) == {"region": "郑州市", "province": "河南省"}
    assert dict(second.known) == {
        "region": "郑州市金水区",
        "province": "河南省",
        "department": "郑州市教育局",
        "fiscal_year": 2023,
    }


def problems(found: list[Source]) -> dict[str, tuple[str, str] | None]:
    return {Path(s.uri).name: s.problem for s in found}


def test_one_bad_catalog_entry_costs_only_itself(tmp_path: Path) -> None:
    (tmp_path / "outside.pdf").write_bytes(PDF)
    (tmp_path / "absolute.pdf").write_bytes(PDF)
    (tmp_path / "books").mkdir()
    (tmp_path / "books" / "ok.pdf").write_bytes(PDF)
    catalog = tmp_path / "books" / "catalog.yml"
    catalog.write_text(
        "documents:\n"
        "  - ok.pdf\n"
        "  - {department: 无地址}\n"  # no uri
        "  - {uri: typo.pdf, depratment: typo}\n"  # unknown field
        "  - {uri: year.pdf, fiscal_year: next}\n"  # not a year
        "  - {uri: level.pdf, budget_level: county}\n"  # not a level
        "  - ../outside.pdf\n"  # outside the catalog's folder
        f"  - {tmp_path / 'absolute.pdf'}\n"  # absolute, outside too
        "  - file:///etc/passwd\n"  # not http(s)
        "  - gone.pdf\n"  # stale entry
    )
    found = problems(discover([str(catalog)]))
    assert {name: problem and problem[0] for name, problem in found.items()} == {
        "ok.pdf": None,
        "catalog.yml#documents[1]": "bad_source",
        "typo.pdf": "bad_source",
        "year.pdf": "bad_source",
        "level.pdf": "bad_source",
        "outside.pdf": "bad_source",
        "absolute.pdf": "bad_source",
        "passwd": "bad_source",
        "gone.pdf": "unreachable",
    }
    detail = {name: problem[1] for name, problem in found.items() if problem}
    assert "documents[2]" in detail["typo.pdf"] and "depratment" in detail["typo.pdf"]
    assert "fiscal_year" in detail["year.pdf"]
    assert "outside the allowed source folders" in detail["outside.pdf"]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("- a.pdf\n- b.pdf\n", "a list, not a mapping"),
        ("documents: [a.pdf\n", "not a readable catalog"),
        ("documents: []\nprovnce: 河南省\n", "provnce"),
        ("\x00\x01", "not a readable catalog"),
    ],
)
def test_a_catalog_that_is_not_valid_is_one_bad_source(
    tmp_path: Path, text: str, says: str
) -> None:
    catalog = tmp_path / "catalog.yml"
    catalog.write_text(text)
    [source] = discover([str(catalog)])
    assert source.problem is not None
    assert source.problem[0] == "bad_source" and says in source.problem[1]


def test_a_catalog_that_includes_itself_is_a_bad_source(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_bytes(PDF)
    (tmp_path / "a.yml").write_text("documents:\n  - x.pdf\n  - b.yml\n")
    (tmp_path / "b.yml").write_text("documents:\n  - a.yml\n")
    found = discover([str(tmp_path / "a.yml")])
    assert [(Path(s.uri).name, s.problem and s.problem[0]) for s in found] == [
        ("x.pdf", None),
        ("a.yml", "bad_source"),
    ]
    assert "a.yml -> b.yml -> a.yml" in (found[1].problem or ("", ""))[1]


def test_source_roots_confine_every_local_source(tmp_path: Path) -> None:
    inside, outside = tmp_path / "inside", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    (inside / "a.pdf").write_bytes(PDF)
    (outside / "b.pdf").write_bytes(PDF)
    (inside / "link.pdf").symlink_to(outside / "b.pdf")
    found = problems(discover([str(inside), str(outside / "b.pdf")], roots=(inside,)))
    assert found["a.pdf"] is None
    assert found["b.pdf"] is not None and found["b.pdf"][0] == "bad_source"
    assert len(discover([str(inside)], roots=(inside,))) == 2  # a.pdf, and the link refused
    assert [s.problem is None for s in discover([str(inside)], roots=(inside,))] == [True, False]
