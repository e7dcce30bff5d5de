"""The table-level gate: a table that fails a blocking check is held back, not its document.

Gate 1's blocking findings each name a table: by its index (a table its parser could not
read), or by page and title (every identity and value check). The tables they name are
held: none of their rows reach raw.* or the marts, and dim_document_table says `held`.
The document's other tables load, and the document is `partial`. A blocking finding that
names no table (or one no table answers to), or a document with nothing left to load, is
quarantined whole, as before.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from extract.verdicts import LOADABLE, Reason, Status

Finding = dict[str, Any]
Table = dict[str, Any]


def table_records(frame: Any) -> list[Table]:
    """The staged `tables` frame (pandas) as records, empty cells as None."""
    return list(frame.astype(object).where(frame.notna(), None).to_dict("records"))


# the reason of blocking findings together, the most telling first
_PRECEDENCE = (Reason.RECONCILIATION, Reason.EXTRACTION_ERROR, Reason.INVALID_VALUES)


def reason_of(findings: Iterable[Finding]) -> Reason:
    """The reason blocking findings give: a broken identity, else a table that could not be
    read, else values that are not what they must be. Each finding carries its own
    (`reason`: set where it is made, by the identity frame, the parser or the suite)."""
    reasons = {f.get("reason") or Reason.INVALID_VALUES for f in findings}
    return next(r for r in _PRECEDENCE if r in reasons or r == Reason.INVALID_VALUES)


def tables_named(finding: Finding, tables: list[Table]) -> list[int]:
    """The indexes of the tables a finding is about; [] when it names none."""
    if finding.get("table_index") is not None:
        return [int(finding["table_index"])]
    page = finding.get("page_number")
    if page is None:
        return []
    on_page = [t for t in tables if t["page_number"] <= page <= t["last_page_number"]]
    title = finding.get("table_title")
    if title is not None:
        on_page = [t for t in on_page if t["table_title"] == title]
    return [int(t["table_index"]) for t in on_page]


def held_tables(blocking: list[Finding], tables: list[Table]) -> list[dict[str, Any]] | None:
    """The tables to hold back, each with its reason and findings' details; None when the
    document cannot load in part (a finding names no table, or no table would be left)."""
    named: dict[int, list[Finding]] = {}
    for finding in blocking:
        indexes = tables_named(finding, tables)
        if not indexes:
            return None
        for index in indexes:
            named.setdefault(index, []).append(finding)
    left = [
        t
        for t in tables
        if t.get("family") and t.get("outcome") in LOADABLE and t["table_index"] not in named
    ]
    if not left:
        return None
    by_index = {int(t["table_index"]): t for t in tables}
    held = []
    for index, findings in sorted(named.items()):
        table = by_index[index]
        details = [f["detail"] for f in findings]
        more = f"; and {len(details) - 2} more" if len(details) > 2 else ""
        held.append(
            {
                "table_index": index,
                "page_number": int(table["page_number"]),
                "table_title": table["table_title"],
                "reason": str(reason_of(findings)),
                "detail": "; ".join(details[:2]) + more,
            }
        )
    return held


def describe(held: list[dict[str, Any]]) -> str:
    """The detail of a partial document: each held table with its page, reason and numbers."""
    return f"{len(held)} table(s) held back: " + " | ".join(
        f"page {t['page_number']} {t['table_title'] or '(untitled)'!r} ({t['reason']}): "
        f"{t['detail']}"
        for t in held
    )


def load_verdict(doc: Mapping[str, Any]) -> tuple[Status, str | None, str | None]:
    """The verdict (status, reason, detail) of a document that passed gate 1 once its rows
    are loaded: `loaded`, or `partial` when tables of it are held back (the reason of the
    first held table; the detail names each, then what the document's detail said). The
    one place that decides it: `yusuan load` records it, `yusuan survey` reports it."""
    held = doc.get("held") or []
    if not held:
        return Status.LOADED, doc.get("reason"), doc.get("detail")
    why = describe(held)
    detail = f"{why}; {doc['detail']}" if doc.get("detail") else why
    return Status.PARTIAL, str(held[0]["reason"]), detail
