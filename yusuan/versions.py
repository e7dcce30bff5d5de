"""Versions of one budget: which of several PDFs of the same budget is live.

A department often publishes a budget twice (a corrected PDF, the same file renamed or
printed again), and a folder or catalog keeps both. Two versions share the budget key
(department, fiscal year, budget level, document kind: `BUDGET_KEY`); byte-identical files
are one document (`duplicate`, decided at pull).

The rule, in one run: a version that loads whole beats one that gate 1 loads in part;
between equally good versions the later one wins: the catalog's `published` date, else
the PDF's own dates (ModDate, else CreationDate), else the one not loaded before, else the
order of the sources (a catalog's order, a folder's file names). The other versions are
`skipped` with reason `other_version`, naming the live one and why (`choose`). If a dbt
test or gate 2 then holds tables of the live version while another version of the run
loaded whole at gate 1, that version takes its place and the marts are built once more
(`swaps`, called after the last hold). Across runs (pipeline._reissue), a version already
loaded stays live unless the new one is forced in (`--force`), or loads whole where every
loaded version is partial.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extract.departments import department_key
from extract.verdicts import LOADING_STATUSES, Reason, Status
from yusuan import storage
from yusuan.storage import Location

if TYPE_CHECKING:
    from yusuan.pipeline import Doc

# the document columns that tell its budget: the department (extract.departments:
# its name within its region and province), the year, the level and the kind
BUDGET_KEY = (
    "department_name", "region", "province", "fiscal_year", "budget_level", "document_kind",
)  # fmt: skip
_PDF_DATE = re.compile(
    r"D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([+\-Z])?(\d{2})?'?(\d{2})?"
)


def budget_key(doc: Doc | dict[str, Any]) -> tuple[Any, ...] | None:
    """A document's budget, or None when it names no department or year (no versions)."""
    if not doc.get("department_name") or not doc.get("fiscal_year"):
        return None
    return (
        department_key(str(doc["department_name"]), doc.get("region"), doc.get("province")),
        doc["fiscal_year"],
        doc.get("budget_level"),
        doc.get("document_kind") or "tables",
    )


def describe(doc: Doc | dict[str, Any]) -> str:
    budget = f"budget ({doc['department_name']}, {doc['fiscal_year']}, {doc.get('budget_level')})"
    if doc.get("document_kind") == "explanatory":
        return f"explanatory document of the {budget}"
    return budget


def named(doc: Doc | dict[str, Any]) -> str:
    return f"{doc['file_name']} (document {doc['document_id'][:12]})"


def pdf_date(path: Location) -> str | None:
    """When the PDF says it was last written (ModDate, else CreationDate), in UTC, as
    ISO text; None when it says nothing readable."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(path.read_bytes() if storage.is_remote(path) else str(path))
        try:
            meta = pdf.get_metadata_dict()
        finally:
            pdf.close()
    except Exception:  # a date is a tie-break: an unreadable one is no date
        return None
    for name in ("ModDate", "CreationDate"):
        match = _PDF_DATE.match(meta.get(name) or "")
        if not match:
            continue
        y, mo, d, h, mi, s, sign, oh, om = match.groups()
        try:
            when = datetime(
                int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(s or 0)
            )
        except ValueError:
            continue
        offset = timedelta(hours=int(oh or 0), minutes=int(om or 0))
        when = when - offset if sign == "+" else when + offset if sign == "-" else when
        return when.replace(tzinfo=UTC).isoformat()
    return None


def _rank(doc: Doc, position: int) -> tuple[Any, ...]:
    """Higher is better: whole at gate 1, then later."""
    return (
        not doc.get("held"),
        str(doc.get("known", {}).get("published") or ""),
        pdf_date(storage.location(doc["landing_path"])) or "",
        not doc.get("previously_loaded"),
        position,
    )


def _why(live: Doc, live_rank: tuple[Any, ...], other_rank: tuple[Any, ...]) -> str:
    """Why `live` beats the other version: the first rank field that differs."""
    reasons = (
        "it loads whole, where this one has tables gate 1 held",
        f"it was published later ({live.get('known', {}).get('published')})",
        f"its PDF is dated later ({live_rank[2][:19]})",
        "this one was loaded before",
        "it comes later in the sources",
    )
    for why, mine, theirs in zip(reasons, live_rank, other_rank, strict=True):
        if mine != theirs:
            return why
    return reasons[-1]


def choose(docs: list[Doc]) -> list[Doc]:
    """Of the documents of one run that passed gate 1, one live version per budget; the
    others are `skipped`: `other_version`, or `superseded` for one that an earlier run
    loaded (its rows leave the warehouse at load)."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for position, doc in enumerate(docs):
        key = budget_key(doc)
        if doc["status"] == Status.PASSED and key is not None:
            groups.setdefault(key, []).append(position)
    chosen = list(docs)
    for positions in groups.values():
        if len(positions) < 2:
            continue
        ranks = {p: _rank(docs[p], p) for p in positions}
        live, *others = sorted(positions, key=ranks.__getitem__, reverse=True)
        for other in others:
            why = _why(docs[live], ranks[live], ranks[other])
            doc = docs[other]
            budget, winner = describe(doc), named(docs[live])
            if doc.get("previously_loaded"):
                detail = f"superseded by {winner}, another version of its {budget}: {why}"
                reason = Reason.SUPERSEDED
            else:
                detail = f"another version of its {budget} is live: {winner}: {why}"
                reason = Reason.OTHER_VERSION
            chosen[other] = doc | {
                "status": str(Status.SKIPPED),
                "reason": str(reason),
                "detail": detail,
            }
    return chosen


def swap_in(con: Any, run_id: str, staging: Location) -> list[str]:
    """After the last hold of a run: where a dbt test or gate 2 held tables of the live
    version of a budget (new in this run), and another version of this run loaded whole at
    gate 1, that version takes its place in the working copy. Returns what was swapped (the
    caller builds and gates the marts again)."""
    from yusuan import warehouse

    held_reasons = [str(Reason.MODEL_TEST), str(Reason.MARTS_GATE)]
    lives = con.execute(
        """select document_id, file_name, status, detail from audit.document_loads l
           where run_id = $run_id and list_contains($held, reason)
             and not exists (
                 select 1 from audit.document_loads earlier
                 where earlier.document_id = l.document_id and earlier.run_id <> $run_id
                   and list_contains($loading, earlier.status))""",
        {"run_id": run_id, "held": held_reasons, "loading": [str(s) for s in LOADING_STATUSES]},
    ).fetchall()
    whole = con.execute(
        """select document_id, file_name from audit.document_loads l
           where run_id = $run_id and reason = $other
             and not exists (
                 select 1 from audit.findings f where f.document_id = l.document_id
                   and f.run_id = l.run_id and f.severity = 'block')""",
        {"run_id": run_id, "other": str(Reason.OTHER_VERSION)},
    ).fetchall()
    folders = {doc_id: str(staging / doc_id) for doc_id in [row[0] for row in (*whole, *lives)]}
    swapped = []
    with storage.local_folders(list(folders.values())) as local:
        staged = {doc_id: local[folder] for doc_id, folder in folders.items() if folder in local}
        runners = {_staged_key(con, staged, doc_id): (doc_id, name) for doc_id, name in whole}
        runners.pop(None, None)
        for live_id, live_name, status, held_detail in lives:
            key = _staged_key(con, staged, live_id)
            runner = runners.pop(key, None) if key is not None else None
            if runner is None:
                continue
            runner_id, runner_name = runner
            live = {"document_id": live_id, "file_name": live_name}
            other = {"document_id": runner_id, "file_name": runner_name}
            warehouse.remove_document(con, live_id)
            warehouse.load_document(con, runner_id, staged[runner_id], run_id)
            verdicts = (
                (live_id, Status.SKIPPED, Reason.OTHER_VERSION,
                 f"another version is live: {named(other)}, which loads whole where this one "
                 f"was {status} after gate 1 ({held_detail})"),
                (runner_id, Status.LOADED, None,
                 f"live version in place of {named(live)}, which was {status} after gate 1"),
            )  # fmt: skip
            for document_id, new_status, reason, detail in verdicts:
                con.execute(
                    "update audit.document_loads set status = ?, reason = ?, detail = ?"
                    " where run_id = ? and document_id = ?",
                    [str(new_status), reason and str(reason), detail, run_id, document_id],
                )
            swapped.append(f"{named(other)} in place of {named(live)}")
    return swapped


def _staged_key(con: Any, staged: dict[str, Path], document_id: str) -> tuple[Any, ...] | None:
    """The budget of a document, read from its staged documents row (`staged`: each
    document's local staging folder)."""
    folder = staged.get(document_id)
    path = folder / "documents.parquet" if folder is not None else None
    if path is None or not path.exists():
        return None
    found = con.execute(
        f"select {', '.join(BUDGET_KEY)} from read_parquet(?)", [str(path)]
    ).fetchone()
    return budget_key(dict(zip(BUDGET_KEY, found, strict=True))) if found else None
