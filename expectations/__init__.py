"""Great Expectations data-quality gates of yusuan.

Gate 1 (`validate_document`) checks one document's staged rows before they load; gate 2
(`validate_marts`) checks the built marts before they are published. Both return Findings,
the rows of audit.findings; any finding with severity 'block' stops the document or the
publication. Great Expectations itself is imported lazily, on the first validation.
"""

from expectations.findings import Finding
from expectations.gate import validate_document, validate_marts

__all__ = ["Finding", "validate_document", "validate_marts"]
