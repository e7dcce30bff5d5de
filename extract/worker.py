"""One document's extraction in a worker process, under a cap on its memory.

The pipeline (yusuan.pipeline.extract_all) runs this in worker processes forked from a
forkserver that imported only this module: extract, its PDF and parquet libraries and the
standard library, not the warehouse, the gates or Airflow the pipeline's own process holds
(a worker forked from it would start with all of that mapped). The cap is the process's
address space (RLIMIT_AS), so a decompression bomb or a page that never ends fails an
allocation in this worker instead of taking the machine: the document is `too_large`, and
what it allocated is freed as the error unwinds (or the worker dies and is replaced).
"""

from __future__ import annotations

import resource
from pathlib import Path
from typing import Any

# what extraction imports lazily, imported here so that the forkserver has it loaded and
# each worker forked from it starts ready (about 0.5 s per document otherwise)
import pdfplumber  # noqa: F401
import pyarrow.parquet  # noqa: F401

import extract.pdfium  # noqa: F401  (pypdfium2, numpy)
from extract.document import extract_document, write_staging
from extract.errors import DocumentRejected
from extract.verdicts import Reason

MB = 1024 * 1024


def over_cap(file_name: str, max_worker_mb: float, what: str) -> DocumentRejected:
    """The verdict of a document whose extraction went over the memory cap."""
    return DocumentRejected(
        Reason.TOO_LARGE,
        f"{file_name}: {what} over the memory cap of {max_worker_mb:g} MB of an extraction "
        "process (YUSUAN_MAX_WORKER_MB)",
    )


def cap_memory(max_worker_mb: float) -> None:
    """Cap this process's address space (never above the hard limit it already has)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = int(max_worker_mb * MB)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _out_of_memory(exc: BaseException) -> bool:
    """Whether a MemoryError caused `exc`: pdfminer and pdfplumber wrap what they meet
    (PdfminerException(MemoryError), then DocumentRejected 'corrupt' from it)."""
    seen: set[int] = set()
    pending: list[BaseException] = [exc]
    while pending:
        error = pending.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        if isinstance(error, MemoryError):
            return True
        pending += [e for e in (error.__cause__, error.__context__) if e is not None]
        pending += [a for a in error.args if isinstance(a, BaseException)]
    return False


def extract_in_worker(
    doc: dict[str, Any], staging: str, max_pages: int, max_worker_mb: float,
    reader: str = "pdfium",
) -> dict[str, Any]:  # fmt: skip
    """`extract_to_staging` in this worker process, capped at `max_worker_mb`; raises
    DocumentRejected (`too_large` over the cap)."""
    cap_memory(max_worker_mb)
    try:
        return extract_to_staging(doc, staging, max_pages, reader)
    except Exception as exc:
        if _out_of_memory(exc):  # (the memory it held is free again once it unwound)
            raise over_cap(doc["file_name"], max_worker_mb, "its extraction went") from None
        raise


def extract_to_staging(
    doc: dict[str, Any], staging: str, max_pages: int, reader: str = "pdfium"
) -> dict[str, Any]:
    """Extract the landed PDF of `doc` (a yusuan.pipeline.Doc) to staging/<document_id>.
    Returns the document's row, the staging folder and the parser's problems as plain
    dicts; raises DocumentRejected."""
    extracted = extract_document(
        Path(doc["landing_path"]),
        document_id=doc["document_id"],
        source_uri=doc["source_uri"],
        file_name=doc["file_name"],
        known=doc.get("known"),
        max_pages=max_pages,
        reader=reader,
    )
    staging_dir = write_staging(extracted, Path(staging) / doc["document_id"])
    problems = [
        {
            "document_id": doc["document_id"],
            "severity": "block",
            "check": p.check,
            "page_number": p.page_number,
            "table_title": p.table_title,
            "table_index": p.table_index,
            "detail": p.detail,
            "reason": str(p.reason),
        }
        for p in extracted.problems
    ]
    return {"document": extracted.document, "staging_dir": str(staging_dir), "problems": problems}
