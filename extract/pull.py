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
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

CHUNK = 1 << 20


CATALOG_FIELDS = ("department", "region", "province", "fiscal_year", "budget_level")


@dataclass(frozen=True)
class Source:
    uri: str  # absolute path or URL, as recorded in audit and dim_document
    known: tuple[tuple[str, Any], ...] = ()  # catalog facts: (field, value) pairs

    @property
    def is_url(self) -> bool:
        return self.uri.startswith(("http://", "https://"))

    @property
    def file_name(self) -> str:
        if self.is_url:
            return unquote(Path(urlparse(self.uri).path).name) or "download.pdf"
        return Path(self.uri).name


def discover(sources: list[str]) -> list[Source]:
    """Expand directories and catalogs into single documents, in a stable order."""
    found: list[Source] = []
    for source in sources:
        if source.startswith(("http://", "https://")):
            found.append(Source(source))
            continue
        path = Path(source).expanduser().resolve()
        if path.is_dir():
            found.extend(Source(str(p)) for p in sorted(path.rglob("*")) if _is_pdf_name(p))
        elif path.suffix.lower() in (".yml", ".yaml"):
            for uri, known in _catalog_entries(path):
                if not uri.startswith(("http://", "https://")) and not Path(uri).exists():
                    # one stale catalog entry is that document's problem, not the run's:
                    # it is quarantined as unreachable when it is pulled
                    found.append(Source(uri, known))
                    continue
                found.extend(Source(s.uri, known) for s in discover([uri]))
        elif path.exists():
            found.append(Source(str(path)))
        else:
            raise FileNotFoundError(f"source not found: {source}")
    return found


def _is_pdf_name(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".pdf"


def _catalog_entries(path: Path) -> list[tuple[str, tuple[tuple[str, Any], ...]]]:
    """A catalog's documents (relative paths against the catalog) with their known facts."""
    import yaml

    catalog: dict[str, Any] = yaml.safe_load(path.read_text()) or {}
    defaults = {k: catalog[k] for k in CATALOG_FIELDS if catalog.get(k) is not None}
    entries = []
    for entry in catalog.get("documents", []):
        fields = entry if isinstance(entry, dict) else {"uri": str(entry)}
        uri = str(fields["uri"])
        unknown = set(fields) - {"uri", *CATALOG_FIELDS}
        if unknown:
            raise ValueError(f"{path}: unknown catalog field(s) {sorted(unknown)} for {uri}")
        known = defaults | {k: fields[k] for k in CATALOG_FIELDS if fields.get(k) is not None}
        if known.get("budget_level", "department") not in ("department", "unit"):
            raise ValueError(f"{path}: budget_level must be department or unit for {uri}")
        is_relative = not uri.startswith(("http://", "https://")) and not Path(uri).is_absolute()
        entries.append((str(path.parent / uri) if is_relative else uri, tuple(known.items())))
    return entries


def land(source: Source, landing: Path) -> tuple[str, Path]:
    """Copy or download a source into the landing zone; return (sha256, landed path)."""
    landing.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=landing, suffix=".part", delete=False) as tmp:
        partial = Path(tmp.name)
    try:
        if source.is_url:
            _download(source.uri, partial)
        else:
            shutil.copyfile(source.uri, partial)
        digest = sha256_of(partial)
        target = landing / f"{digest}.pdf"
        if target.exists():
            partial.unlink()
        else:
            partial.replace(target)
        return digest, target
    finally:
        partial.unlink(missing_ok=True)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _download(url: str, target: Path) -> None:
    """Stream a URL to a file, retrying transient failures (connection errors, 5xx, 429)."""
    import httpx
    from tenacity import retry, retry_if_exception, stop_after_attempt, wait_exponential

    def transient(exc: BaseException) -> bool:
        if isinstance(exc, httpx.HTTPStatusError):
            return exc.response.status_code >= 500 or exc.response.status_code == 429
        return isinstance(exc, httpx.TransportError)

    @retry(
        retry=retry_if_exception(transient),
        stop=stop_after_attempt(4),
        wait=wait_exponential(multiplier=0.2, max=5),
        reraise=True,
    )
    def fetch() -> None:
        with (
            httpx.stream("GET", url, follow_redirects=True, timeout=60) as response,
            target.open("wb") as handle,
        ):
            response.raise_for_status()
            for chunk in response.iter_bytes(CHUNK):
                handle.write(chunk)

    fetch()
