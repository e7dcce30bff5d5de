"""Great Expectations data-quality gates of yusuan.

Gate 1 (`validate_document`, gate1.py) checks one document's staged rows before they load;
gate 2 (`validate_marts`, gate2.py) checks the built marts before they are published;
results.py turns GX's results into Findings, runtime.py holds the GX project and Data Docs
(`build_docs`, once per run). Both return Findings,
the rows of audit.findings; any finding with severity 'block' stops the document or the
publication. Great Expectations itself is imported lazily, on the first validation.
"""

from expectations.findings import Finding
from expectations.gate1 import validate_document
from expectations.gate2 import validate_marts
from expectations.runtime import build_docs

__all__ = ["Finding", "build_docs", "validate_document", "validate_marts"]
