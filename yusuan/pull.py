"""Sources -> landing zone: landing/<sha256>.pdf, never modified, never deleted.

A source is a PDF file, a directory of PDFs, an http(s) URL of a PDF, or a YAML catalog
listing any of these, optionally with what the catalog knows of each document
(department, region, province, fiscal_year, budget_level), which takes precedence over
what extraction reads from the document:

    region: 上海市普陀区          # defaults for every entry below
    province: 上海市
    documents:
      - 2025/司法局部门预算.pdf
      - uri: https://example.org/b.pdf
        department: 上海市普陀区司法局
        fiscal_year: 2025

Bad input costs only itself. `discover` never raises for a source: a catalog that is not
valid, an entry that breaks its schema, a path outside the allowed roots (a catalog's
entries must lie under its own folder or a root of `Limits.source_roots`), a scheme other
than http(s), a catalog that includes itself: each becomes a Source with a `problem`
(reason `bad_source`, or `unreachable` for a path that does not exist), which the pipeline
quarantines alone. `land` bounds what a source may cost (size, download deadline) and
lands only files that start as a PDF does. What reaches audit, logs and mails names a URL
by its scheme, host and file name only (`redact`): credentials, query string, fragment and
the folders of its path may all hold tokens.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from extract.errors import DocumentRejected
from extract.verdicts import Reason
from yusuan import storage
from yusuan.settings import Limits
from yusuan.storage import Location

CHUNK = 1 << 20
# httpx logs each request's full URL at INFO (Airflow task logs show INFO): with its token
logging.getLogger("httpx").setLevel(logging.WARNING)
PDF_MAGIC = b"%PDF-"
MAGIC_WINDOW = 1024  # the PDF header may follow up to 1,024 bytes of junk (PDF 1.7, 7.5.2)
MAX_REDIRECTS = 5
ATTEMPTS = 4  # tries per download, for connection errors, timeouts, 429 and 5xx
CATALOG_FIELDS = ("department", "region", "province", "fiscal_year", "budget_level", "published")
Known = tuple[tuple[str, Any], ...]


# --------------------------------------------------------------------------- catalog schema


class _Facts(BaseModel):
    """What a catalog may state of a document (also as defaults for all of them)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    department: str | None = None
    region: str | None = None
    province: str | None = None
    fiscal_year: int | None = Field(default=None, ge=1990, le=2100)
    budget_level: Literal["department", "unit"] | None = None
    # when the department published this version: of two versions of one budget, the
    # later one is live (yusuan.versions)
    published: date | None = None


class CatalogEntry(_Facts):
    uri: str = Field(min_length=1)


class Catalog(_Facts):
    # entries are validated one by one (CatalogEntry): one bad entry costs only itself
    documents: list[Any] = Field(default_factory=list)


def _errors(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in error['loc']) or 'catalog'}: {error['msg']}"
        for error in exc.errors()
    )


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class Source:
    uri: str  # absolute path or URL (the URL as given: `redact` it before showing it)
    known: Known = ()  # catalog facts: (field, value) pairs
    problem: tuple[str, str] | None = None  # (reason, detail) when it cannot be pulled

    @property
    def is_url(self) -> bool:
        return _is_url(self.uri)

    @property
    def file_name(self) -> str:
        if self.is_url:
            return unquote(Path(urlsplit(self.uri).path).name) or "download.pdf"
        return Path(self.uri).name or self.uri

    @property
    def recorded_uri(self) -> str:
        """The URI as audit, raw.documents, dim_document, logs and mails show it."""
        return redact(self.uri)

    @property
    def key(self) -> str:
        """Which source this is, internally: a path, or a URL without its credentials, query
        string and fragment (two URLs that differ only there are one source), its path whole
        (two URLs that differ in a folder are two sources, though `redact` shows both
        folders as a marker). Never shown: the path may hold a token."""
        if not _has_scheme(self.uri):
            return self.uri
        parts = urlsplit(self.uri)
        return urlunsplit((parts.scheme.lower(), _host(parts), parts.path, "", ""))


def _is_url(uri: str) -> bool:
    return uri.lower().startswith(("http://", "https://"))


def _has_scheme(uri: str) -> bool:
    return "://" in uri


def _host(parts: SplitResult) -> str:
    """host[:port], without user and password."""
    host = (parts.hostname or "").lower()
    try:
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:  # a port that is not a number: the download will say so
        return host


def redact(uri: str) -> str:
    """A URL as it may be shown: scheme, host and file name only. User, password, query
    string and fragment are dropped, and the folders of its path (a portal's download path
    often carries a token) become one marker, `<redacted-1a2b3c4d>`: 32 bits of the
    path's sha256, enough to tell two sources with the same file name apart in the audit,
    far too few to tell the path. `https://u:tok@host/a/SECRET/b.pdf?x=1#f` is shown
    `https://host/<redacted-…>/b.pdf`. A local path is shown as it is."""
    if not _has_scheme(uri):
        return uri
    parts = urlsplit(uri)
    folders, _, name = parts.path.rpartition("/")
    if folders.strip("/"):
        digest = hashlib.sha256(parts.path.encode("utf-8", "surrogatepass")).hexdigest()
        path = f"/<redacted-{digest[:8]}>/{name}"
    else:
        path = f"/{name}" if parts.path else ""
    return urlunsplit((parts.scheme.lower(), _host(parts), path, "", ""))


def discover(sources: list[str], roots: tuple[Path, ...] = ()) -> list[Source]:
    """Expand directories and catalogs into single documents, in a stable order. A source
    named twice (a folder and a catalog naming the same file) is one source, with the
    catalog's facts. Never raises for a source: see the module's docstring."""
    found: list[Source] = []
    for source in sources:
        found.extend(_expand(source, roots, allowed=roots, catalogs=()))
    return _unique(found)


def _bad(uri: str, detail: str, reason: str = Reason.BAD_SOURCE) -> Source:
    return Source(uri, problem=(reason, detail))


def _expand(
    source: str,
    roots: tuple[Path, ...],
    *,
    allowed: tuple[Path, ...],
    catalogs: tuple[Path, ...],
    known: Known = (),
) -> list[Source]:
    """One source as documents. `allowed`: folders a local path must lie under (none: any);
    `catalogs`: the catalogs that led here (a catalog in it would include itself)."""
    if _is_url(source):
        return [Source(source, known)]
    if _has_scheme(source):
        return [_bad(redact(source), f"{redact(source)}: only http(s) URLs and local paths")]
    path = Path(source).expanduser().resolve()
    if allowed and not any(path.is_relative_to(root) for root in allowed):
        where = " or ".join(str(root) for root in allowed)
        return [_bad(str(path), f"{path.name}: outside the allowed source folders ({where})")]
    if not path.exists():
        return [_bad(str(path), f"{path.name}: source not found", Reason.UNREACHABLE)]
    if path.is_dir():
        pdfs = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf")
        # a symlink inside the folder may point anywhere: confine what it resolves to
        return [s for p in pdfs for s in _expand(str(p), roots, allowed=allowed, catalogs=())]
    if path.suffix.lower() in (".yml", ".yaml"):
        return _catalog(path, roots, catalogs)
    return [Source(str(path), known)]


def _catalog(path: Path, roots: tuple[Path, ...], catalogs: tuple[Path, ...]) -> list[Source]:
    """A catalog's documents, each with its facts; a bad entry is a bad source alone."""
    import yaml

    if path in catalogs:
        cycle = " -> ".join(p.name for p in (*catalogs, path))
        return [_bad(str(path), f"{path.name}: the catalog includes itself ({cycle})")]
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        catalog = Catalog.model_validate(data if data is not None else {})
    except ValidationError as exc:
        shape = type(data).__name__
        detail = _errors(exc) if isinstance(data, dict) else f"a {shape}, not a mapping"
        return [_bad(str(path), f"{path.name}: not a valid catalog ({detail})")]
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return [_bad(str(path), f"{path.name}: not a readable catalog ({exc})")]
    # as JSON values (a date as ISO text): a document's facts travel as an Airflow XCom
    defaults = catalog.model_dump(include=set(CATALOG_FIELDS), exclude_none=True, mode="json")
    allowed = (path.parent, *roots)
    found: list[Source] = []
    for index, raw in enumerate(catalog.documents):
        fields = raw if isinstance(raw, dict) else {"uri": str(raw)}
        name = f"{path.name}, documents[{index}]"
        try:
            entry = CatalogEntry.model_validate(fields)
        except ValidationError as exc:
            uri = redact(str(fields.get("uri") or f"{path}#documents[{index}]"))
            found.append(_bad(uri, f"{name} ({Path(uri).name}): {_errors(exc)}"))
            continue
        known = defaults | entry.model_dump(
            include=set(CATALOG_FIELDS), exclude_none=True, mode="json"
        )
        uri = entry.uri
        if not _has_scheme(uri) and not Path(uri).expanduser().is_absolute():
            uri = str(path.parent / uri)
        found.extend(
            _expand(
                uri,
                roots,
                allowed=allowed,
                catalogs=(*catalogs, path),
                known=tuple(known.items()),
            )
        )
    return found


def _unique(sources: list[Source]) -> list[Source]:
    """Sources in first-seen order, one per `Source.key` (two URLs that differ only in
    their query string or credentials are one source; two that differ in their path are
    two, whatever `redact` shows); the facts of every mention are merged (the first
    mention's value of a field wins)."""
    merged: dict[str, Source] = {}
    for source in sources:
        first = merged.get(source.key)
        if first is None:
            merged[source.key] = source
        elif first.problem is None and source.problem is None:
            facts = dict(source.known) | dict(first.known)
            merged[source.key] = Source(first.uri, tuple(facts.items()))
    return list(merged.values())


# --------------------------------------------------------------------------- landing


def land(source: Source, landing: Location, limits: Limits) -> tuple[str, Location]:
    """Copy or download a source into the landing zone; return (sha256, landed path).

    Raises DocumentRejected: `unreachable`, `download_incomplete`, `not_pdf`, `too_large`.
    The bytes go to a `.part` file first; only a complete file with a PDF header is moved
    to `<sha256>.pdf`. On a remote landing zone (YUSUAN_STORAGE_URL) the `.part` file is a
    local temporary one, put as one object once complete (yusuan.storage).
    """
    local = landing if isinstance(landing, Path) else None  # (else a remote UPath)
    if local is not None:
        local.mkdir(parents=True, exist_ok=True)
    if (landed := _landed_before(source, landing)) is not None:
        return landed
    with tempfile.NamedTemporaryFile(dir=local, suffix=".part", delete=False) as tmp:
        partial = Path(tmp.name)
    try:
        if source.is_url:
            _download(source, partial, limits)
        else:
            _copy(source, partial, limits)
        digest = sha256_of(partial)
        target = landing / f"{digest}.pdf"
        if target.exists():
            partial.unlink()
        elif isinstance(target, Path):
            partial.replace(target)
        else:
            storage.put_file(partial, target)
        _remember(source, landing, digest)
        return digest, target
    finally:
        partial.unlink(missing_ok=True)


# A local source landed before, as it was then (size, mtime): landing/.sources/<sha1 of its
# path>.json. A daily run over a province's folder then copies and hashes only what is new
# or changed; a file rewritten in place gets a new mtime, so it lands again.
_INDEX = ".sources"


def _stamp(source: Source, landing: Location) -> tuple[Location, list[int]] | None:
    if source.is_url:
        return None
    try:
        stat = Path(source.uri).stat()
    except OSError:
        return None
    name = hashlib.sha1(source.uri.encode(), usedforsecurity=False).hexdigest()
    return landing / _INDEX / f"{name}.json", [stat.st_size, stat.st_mtime_ns]


def _landed_before(source: Source, landing: Location) -> tuple[str, Location] | None:
    """(sha256, landed path) of a local source unchanged since it landed, else None."""
    stamp = _stamp(source, landing)
    if stamp is None or not stamp[0].exists():
        return None
    try:
        seen = json.loads(stamp[0].read_text())
    except (OSError, ValueError):
        return None
    target = landing / f"{seen.get('sha256')}.pdf"
    if seen.get("stat") != stamp[1] or not target.exists():
        return None
    return seen["sha256"], target


def _remember(source: Source, landing: Location, digest: str) -> None:
    stamp = _stamp(source, landing)
    if stamp is None:
        return
    index, stat = stamp
    if not isinstance(index, Path):  # a remote object is written whole
        index.write_text(json.dumps({"stat": stat, "sha256": digest}))
        return
    index.parent.mkdir(exist_ok=True)
    partial = index.with_name(f"{index.name}.{os.getpid()}.part")
    partial.write_text(json.dumps({"stat": stat, "sha256": digest}))
    partial.replace(index)


def clean_partials(folder: Location, older_than_s: float) -> list[Path]:
    """Remove the `.part` files and folders a killed run left in `folder` (landing or
    staging): those older than any live download or extraction. (A remote folder has
    none: its objects are put whole.)"""
    if not isinstance(folder, Path):
        return []
    cutoff = time.time() - older_than_s
    removed = []
    for part in folder.glob("*.part") if folder.is_dir() else []:
        try:
            if part.stat().st_mtime < cutoff:
                shutil.rmtree(part) if part.is_dir() else part.unlink()
                removed.append(part)
        except FileNotFoundError:
            pass  # another run cleaned it
    return removed


def _check_header(head: bytes, source: Source) -> None:
    if PDF_MAGIC not in head[: MAGIC_WINDOW + len(PDF_MAGIC)]:
        shown = head[:16].decode("latin-1").encode("unicode_escape").decode("ascii")
        raise DocumentRejected(
            Reason.NOT_PDF, f"{source.file_name}: not a PDF (it starts with {shown!r})"
        )


def _too_large(source: Source, limits: Limits, size: str) -> DocumentRejected:
    return DocumentRejected(
        Reason.TOO_LARGE,
        f"{source.file_name}: {size}, over the limit of {limits.max_download_mb:g} MB "
        "(YUSUAN_MAX_DOWNLOAD_MB)",
    )


def _copy(source: Source, target: Path, limits: Limits) -> None:
    path = Path(source.uri)
    try:
        size = path.stat().st_size
        if size > limits.max_download_bytes:
            raise _too_large(source, limits, f"{size / 1048576:.1f} MB")
        with path.open("rb") as handle:
            _check_header(handle.read(MAGIC_WINDOW + len(PDF_MAGIC)), source)
        shutil.copyfile(path, target)
    except OSError as exc:
        raise DocumentRejected(
            Reason.UNREACHABLE, f"{source.file_name}: cannot read ({exc.strerror or exc})"
        ) from exc


class _Deadline(Exception):
    pass


def _download(source: Source, target: Path, limits: Limits) -> None:
    """Stream a URL to a file within the limits, retrying transient failures (connection
    errors, timeouts, truncated bodies, 5xx, 429) until the tries or the deadline run out."""
    import httpx
    from tenacity import (
        retry,
        retry_if_exception,
        stop_after_attempt,
        stop_after_delay,
        wait_exponential,
    )

    from yusuan.http_retry import transient

    deadline = time.monotonic() + limits.download_deadline_s
    url = source.uri

    @retry(
        retry=retry_if_exception(transient),
        stop=stop_after_attempt(ATTEMPTS) | stop_after_delay(limits.download_deadline_s),
        wait=wait_exponential(multiplier=0.2, max=5),
        reraise=True,
    )
    def fetch() -> None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Deadline
        timeout = httpx.Timeout(min(60.0, remaining), connect=min(10.0, remaining))
        with (
            httpx.Client(follow_redirects=True, max_redirects=MAX_REDIRECTS) as client,
            client.stream("GET", url, timeout=timeout) as response,
            target.open("wb") as handle,
        ):
            response.raise_for_status()
            length = response.headers.get("content-length", "")
            if length.isdigit() and int(length) > limits.max_download_bytes:
                raise _too_large(source, limits, f"{int(length) / 1048576:.1f} MB announced")
            head, received = b"", 0
            for chunk in response.iter_bytes():  # as it arrives: the deadline is checked
                if time.monotonic() > deadline:
                    raise _Deadline
                received += len(chunk)
                if received > limits.max_download_bytes:
                    raise _too_large(source, limits, f"more than {received / 1048576:.1f} MB")
                if len(head) <= MAGIC_WINDOW:
                    head += chunk[: MAGIC_WINDOW + len(PDF_MAGIC)]
                    if len(head) > MAGIC_WINDOW:
                        _check_header(head, source)
                handle.write(chunk)
            _check_header(head, source)

    try:
        fetch()
    except DocumentRejected:
        raise
    except Exception as exc:
        raise _rejection(exc, source, limits) from exc


def _rejection(exc: BaseException, source: Source, limits: Limits) -> DocumentRejected:
    """A named reason for a download that failed, naming the file and the redacted URL
    (never the exception's text, which quotes the URL with its token)."""
    import httpx

    where = f"{source.file_name} from {source.recorded_uri}"
    if isinstance(exc, _Deadline):
        return DocumentRejected(
            Reason.UNREACHABLE,
            f"{where}: not downloaded within {limits.download_deadline_s:g} s "
            "(YUSUAN_DOWNLOAD_DEADLINE_S)",
        )
    if isinstance(exc, httpx.HTTPStatusError):
        status = exc.response.status_code
        tries = " (after retries)" if status >= 500 or status == 429 else ""
        return DocumentRejected(
            Reason.UNREACHABLE, f"{where}: HTTP {status} {exc.response.reason_phrase}{tries}"
        )
    if isinstance(exc, httpx.TooManyRedirects):
        return DocumentRejected(
            Reason.UNREACHABLE, f"{where}: more than {MAX_REDIRECTS} redirects (a loop?)"
        )
    if isinstance(exc, httpx.RemoteProtocolError):
        return DocumentRejected(
            Reason.DOWNLOAD_INCOMPLETE,
            f"{where}: the server closed the connection before the end of the file (after retries)",
        )
    if isinstance(exc, httpx.TimeoutException):
        return DocumentRejected(Reason.UNREACHABLE, f"{where}: timed out (after retries)")
    if isinstance(exc, httpx.TransportError):
        return DocumentRejected(
            Reason.UNREACHABLE, f"{where}: {type(exc).__name__} (after retries)"
        )
    return DocumentRejected(Reason.UNREACHABLE, f"{where}: {type(exc).__name__}")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
