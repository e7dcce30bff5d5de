"""`yusuan survey PATH…`: what the pipeline would make of a set of PDFs, table by table,
without touching a warehouse. For extending the project to a new province: run it on the
province's documents, see which tables no family recognises, which fail an identity and
why, and what would load.

It runs the pipeline's own steps (pull, extract, gate 1 with the table-level gate) in a
scratch home, so what it reports is what `yusuan load` would do.
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

from expectations import table_gate
from extract.verdicts import Status, TableOutcome
from yusuan import pipeline
from yusuan.settings import Settings

Report = dict[str, Any]
# what a title is numbered or dated with (预算05表, 表5：, （一）, 2026年度): not the family's
_TITLE_AFFIXES = re.compile(
    r"^(?:预算|公开|附)?(?:表\s*\d{1,3}|\d{1,3}\s*表)\s*[:：、.．-]?"
    r"|^[（(]?[一二三四五六七八九十]{1,3}[)）、．.]"
    r"|20\d{2}\s*年度?"
)


def survey(sources: list[str], workers: int = 1, home: Path | None = None) -> Report:
    """Per document its tables (page, title, family, rows, checks failed, outcome) and
    status; then totals."""
    with tempfile.TemporaryDirectory(prefix="yusuan-survey-") as scratch:
        root = home or Path(scratch)
        # all in the scratch home, never in the shared storage (YUSUAN_STORAGE_URL)
        settings = Settings(
            home=root, warehouse=Path(scratch) / "never-written.duckdb", storage_url=None
        )
        docs = pipeline.extract_all(pipeline.pull(sources, settings), settings, workers)
        documents = [_document(doc) for doc in pipeline.validate_all(docs, settings)]
    return {"documents": documents, "totals": _totals(documents)}


def _document(doc: pipeline.Doc) -> Report:
    from extract.document import read_staging

    status, reason = doc["status"], doc.get("reason")
    held = {t["table_index"] for t in doc.get("held") or []}
    detail = doc.get("detail")
    if status == Status.PASSED:  # what `load` would record
        status, reason, detail = table_gate.load_verdict(doc)
    tables: list[Report] = []
    if doc.get("staging_dir"):
        staged = table_gate.table_records(read_staging(Path(doc["staging_dir"]))["tables"])
        findings = doc.get("findings") or []
        for table in staged:
            mine = [f for f in findings if table["table_index"] in _named(f, staged)]
            failed = sorted({f"{f['severity']}: {f['check']}" for f in mine})
            tables.append(
                {
                    "page": int(table["page_number"]),
                    "title": table["table_title"],
                    "family": table["family"],
                    "rows": int(table["row_count"]),
                    "failed": failed,
                    # amount columns the family's vocabulary did not name (not read)
                    "unknown_columns": (table.get("unknown_columns") or "").split("; ")
                    if table.get("unknown_columns")
                    else [],
                    "outcome": _outcome(table["outcome"], table["table_index"] in held, status),
                    "reason": table.get("reason"),
                }
            )
    return {
        "file_name": doc["file_name"],
        "status": str(status),
        "reason": reason,
        "detail": detail,
        "tables": tables,
    }


def _named(finding: Report, tables: list[Report]) -> list[int]:
    return table_gate.tables_named(finding, tables)


def _outcome(extracted: str, held: bool, status: str) -> str:
    if held:
        return str(TableOutcome.HELD)
    if extracted == TableOutcome.READ:
        return str(TableOutcome.LOADED) if status != Status.QUARANTINED else "not loaded"
    return extracted


def _totals(documents: list[Report]) -> Report:
    tables = [t for d in documents for t in d["tables"]]
    recognised = sum(t["family"] is not None for t in tables)
    loaded = sum(t["outcome"] == TableOutcome.LOADED for t in tables)
    statuses = Counter(d["status"] for d in documents)
    reasons = Counter(d["reason"] for d in documents if d["status"] == Status.QUARANTINED)
    return {
        "documents": len(documents),
        "by_status": dict(statuses),
        "quarantined_by_reason": dict(reasons),
        "tables": len(tables),
        "tables_recognised": recognised,
        "tables_loaded": loaded,
        "unknown_columns": sum(len(t["unknown_columns"]) for t in tables),
        # what the vocabulary (extract/vocabulary.toml) does not know yet, most seen first
        "unrecognised_titles": Counter(
            _title_key(t["title"]) for t in tables if t["outcome"] == TableOutcome.UNRECOGNISED
        ).most_common(),
        # known and deliberately not read, by reason (extract/vocabulary.toml [unmodelled])
        "tables_unmodelled": dict(
            Counter(t.get("reason") for t in tables if t["outcome"] == TableOutcome.UNMODELLED)
        ),
        "unknown_column_paths": Counter(
            c for t in tables for c in t["unknown_columns"]
        ).most_common(),
        "recognised_pct": round(100 * recognised / len(tables), 1) if tables else 0.0,
        "loaded_pct": round(100 * loaded / len(tables), 1) if tables else 0.0,
    }


def _title_key(title: str | None) -> str:
    """A title as families of several cities print it: no number, no year."""
    return _TITLE_AFFIXES.sub("", "".join((title or "(untitled)").split())) or "(untitled)"


def render(report: Report) -> str:
    """The report as text, a block per document, then the totals."""
    lines = []
    for doc in report["documents"]:
        why = f" ({doc['reason']})" if doc["reason"] else ""
        lines.append(f"{doc['file_name']}: {doc['status']}{why}")
        if not doc["tables"] and doc["detail"]:
            lines.append(f"  {doc['detail'][:300]}")
        for t in doc["tables"]:
            title = (t["title"] or "(untitled)")[:30]
            failed = ", ".join(t["failed"]) or "-"
            lines.append(
                f"  p{t['page']:<4} {title:<30} {t['family'] or '-':<22} {t['rows']:>5}"
                f"  {t['outcome']:<12} {failed}"
            )
            if t.get("reason") and t["outcome"] == TableOutcome.UNMODELLED:
                lines.append(f"        not read: {t['reason']}")
            if t["unknown_columns"]:
                lines.append(f"        columns not in the vocabulary: {t['unknown_columns']}")
    totals = report["totals"]
    statuses = ", ".join(f"{n} {s}" for s, n in sorted(totals["by_status"].items()))
    reasons = ", ".join(f"{r} {n}" for r, n in sorted(totals["quarantined_by_reason"].items()))
    lines += [
        "",
        f"documents: {totals['documents']} ({statuses})"
        + (f"; quarantined by reason: {reasons}" if reasons else ""),
        f"tables: {totals['tables']}, recognised {totals['tables_recognised']}"
        f" ({totals['recognised_pct']}%), loaded {totals['tables_loaded']}"
        f" ({totals['loaded_pct']}%); columns not in the vocabulary:"
        f" {totals['unknown_columns']}",
    ]
    unmodelled = totals.get("tables_unmodelled") or {}
    if unmodelled:
        why = ", ".join(f"{r} {n}" for r, n in sorted(unmodelled.items()))
        lines.append(f"tables known and not read (extract/vocabulary.toml [unmodelled]): {why}")
    for heading, counted in (
        ("titles no family recognised", totals["unrecognised_titles"]),
        ("column header paths not in the vocabulary", totals["unknown_column_paths"]),
    ):
        if counted:
            lines += ["", f"{heading} (extract/vocabulary.toml), most seen first:"]
            lines += [f"  {count:>4}  {name}" for name, count in counted]
    return "\n".join(lines)
