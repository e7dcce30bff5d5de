"""Great Expectations data-quality gates of yusuan.

Gate 1 (`validate_document`, `validate_documents`: gate1.py) checks documents' staged rows
before they load;
gate 2 (`validate_marts`, gate2.py) checks the built marts before they are published;
results.py turns GX's results into Findings, runtime.py holds the GX project and Data Docs
(`build_docs`, once per run). Both return Findings,
the rows of audit.findings; any finding with severity 'block' stops the document or the
publication. The gates are imported on first use (a run that loads nothing needs none of
them), Great Expectations itself on the first validation.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from expectations.findings import Finding
    from expectations.gate1 import validate_document, validate_documents
    from expectations.gate2 import validate_marts
    from expectations.runtime import build_docs

__all__ = ["Finding", "build_docs", "validate_document", "validate_documents", "validate_marts"]
_HOMES = {
    "Finding": "findings",
    "build_docs": "runtime",
    "validate_document": "gate1",
    "validate_documents": "gate1",
    "validate_marts": "gate2",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'expectations' has no attribute {name!r}")
    return getattr(import_module(f"expectations.{_HOMES[name]}"), name)
