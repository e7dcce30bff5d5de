"""Exceptions of the extract package."""

from __future__ import annotations


class DocumentRejected(Exception):
    """A document that cannot be loaded, with a named reason for audit.document_loads."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type[DocumentRejected], tuple[str, str]]:
        # picklable: extraction raises it in a worker process
        return DocumentRejected, (self.reason, self.detail)
