"""Sources -> landing zone: landing/<sha256>.pdf, never modified, never deleted.

A source is a PDF file, a directory of PDFs, an http(s) URL of a PDF, or a YAML catalog
listing any of these (see README).
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


@dataclass(frozen=True)
class Source:
    uri: str  # absolute path or URL, as recorded in audit and dim_document

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
            found.extend(discover(_catalog_entries(path)))
        elif path.exists():
            found.append(Source(str(path)))
        else:
            raise FileNotFoundError(f"source not found: {source}")
    return found


def _is_pdf_name(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() == ".pdf"


def _catalog_entries(path: Path) -> list[str]:
    """A catalog: `documents: [url-or-path, ...]`, relative paths against the catalog."""
    import yaml

    catalog: dict[str, Any] = yaml.safe_load(path.read_text()) or {}
    entries = []
    for entry in catalog.get("documents", []):
        uri = entry["uri"] if isinstance(entry, dict) else str(entry)
        is_relative = not uri.startswith(("http://", "https://")) and not Path(uri).is_absolute()
        entries.append(str(path.parent / uri) if is_relative else uri)
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
