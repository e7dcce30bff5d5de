"""The pipeline steps, defined once: the Airflow DAG wraps each in a task, the CLI calls
them in order (`run`). Steps take and return plain dicts so they travel through XCom.

    pull -> extract (per document) -> validate (per document, gate 1)
         -> load -> transform (dbt build) -> validate_marts (gate 2) -> publish
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from extract import alerts, warehouse
from extract.errors import DocumentRejected
from extract.settings import Settings

log = logging.getLogger(__name__)

STEPS = ("pull", "extract", "validate", "load", "transform", "validate_marts", "publish")
Doc = dict[str, Any]


class RunFailed(Exception):
    """The run could not complete (dbt failed, or the marts gate blocked publishing)."""


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def pull(sources: list[str], settings: Settings) -> list[Doc]:
    """Land every source; mark documents already loaded (skipped) or seen twice (duplicate)."""
    from extract.pull import discover, land

    loaded = set() if settings.force else warehouse.loaded_documents(settings.published)
    seen: set[str] = set()
    docs: list[Doc] = []
    for source in discover(sources):
        doc: Doc = {
            "source_uri": source.uri,
            "file_name": source.file_name,
            "status": "pending",
            "known": dict(source.known),
        }
        try:
            digest, path = land(source, settings.landing)
        except Exception as exc:  # a download that failed after its retries
            log.warning("could not pull %s: %s", source.uri, exc)
            docs.append(doc | _verdict("quarantined", "unreachable", f"pull failed: {exc}"))
            continue
        doc |= {"document_id": digest, "landing_path": str(path)}
        if digest in seen:
            doc |= _verdict("quarantined", "duplicate", "same file as another source of this run")
        elif digest in loaded:
            doc |= _verdict("skipped", "already_loaded", "already in the published warehouse")
        seen.add(digest)
        docs.append(doc)
    return docs


def _verdict(status: str, reason: str | None, detail: str | None) -> Doc:
    return {"status": status, "reason": reason, "detail": detail}


def extract(doc: Doc, settings: Settings) -> Doc:
    """PDF -> staging/<document_id>/*.parquet. Pure per document: safe to run in parallel."""
    from extract.document import extract_document, write_staging

    if doc["status"] != "pending":
        return doc
    try:
        extracted = extract_document(
            Path(doc["landing_path"]),
            document_id=doc["document_id"],
            source_uri=doc["source_uri"],
            file_name=doc["file_name"],
            known=doc.get("known"),
        )
    except DocumentRejected as exc:
        return doc | _verdict("quarantined", exc.reason, exc.detail)
    except Exception as exc:  # a layout no parser expected: this document only, not the run
        log.exception("extraction failed for %s", doc["file_name"])
        detail = f"{type(exc).__name__}: {exc}"
        return doc | _verdict("quarantined", "extraction_error", detail)
    staging_dir = write_staging(extracted, settings.staging / doc["document_id"])
    problems = [
        {
            "document_id": doc["document_id"],
            "severity": "block",
            "check": p.check,
            "page_number": p.page_number,
            "table_title": p.table_title,
            "detail": p.detail,
        }
        for p in extracted.problems
    ]
    rows = {name: len(records) for name, records in extracted.frames.items()}
    return doc | {"staging_dir": str(staging_dir), "rows": rows, "findings": problems}


def validate(doc: Doc, settings: Settings) -> Doc:
    """Gate 1: Great Expectations on one document's staged rows; block -> quarantined."""
    from expectations.gate import validate_document
    from extract.document import read_staging

    if doc["status"] != "pending":
        return doc
    frames = read_staging(Path(doc["staging_dir"]))
    findings = list(doc.get("findings", []))
    findings += [
        {k: (str(v) if k in ("expected", "actual") and v is not None else v) for k, v in f.items()}
        for f in map(_finding_dict, validate_document(doc["document_id"], frames, settings.gx_root))
    ]
    blocking = [f for f in findings if f["severity"] == "block"]
    if not blocking:
        return doc | {"findings": findings} | _verdict("passed", None, None)
    reason = (
        "reconciliation" if any(_is_identity(f["check"]) for f in blocking) else "invalid_values"
    )
    detail = "; ".join(f["detail"] for f in blocking[:3])
    if len(blocking) > 3:
        detail += f"; and {len(blocking) - 3} more"
    return doc | {"findings": findings} | _verdict("quarantined", reason, detail)


def _finding_dict(finding: Any) -> dict[str, Any]:
    return dict(finding.__dict__)


def _is_identity(check: str) -> bool:
    return any(word in check for word in ("sum", "equals", "reconcil", "identity"))


def load(docs: list[Doc], settings: Settings, run_id: str) -> dict[str, Any]:
    """Write passing documents' rows to raw.* and every document's verdict to audit.*."""
    warehouse.prepare_build(settings.published, settings.building)
    checked_at = now()
    loads, findings = [], []
    with warehouse.connect(settings.building) as con:
        for doc in docs:
            if doc["status"] == "passed":
                warehouse.load_document(con, doc["document_id"], Path(doc["staging_dir"]), run_id)
                doc = doc | {"status": "loaded"}
            loads.append(doc | {"run_id": run_id, "checked_at": checked_at})
            findings += [f | {"run_id": run_id} for f in doc.get("findings", [])]
        warehouse.record_audit(con, loads, findings)
    message = alerts.quarantine_message(run_id, loads)
    if message:
        alerts.send(*message)
    statuses = [d["status"] for d in loads]
    return {s: statuses.count(s) for s in ("loaded", "quarantined", "skipped")}


def transform(settings: Settings) -> dict[str, Any]:
    """dbt build (seeds, models, tests, contracts) on the working copy.

    dbt runs in its own process: dbt-duckdb keeps its DuckDB connection open for the life
    of the process, and the marts gate must open the file after it.
    """
    project = str(settings.dbt_project)
    target = settings.dbt_target / "target"
    command = [
        str(Path(sys.executable).with_name("dbt")), "build",
        "--project-dir", project,
        "--profiles-dir", project,
        "--target-path", str(target),
        "--log-path", str(settings.dbt_target / "logs"),
    ]  # fmt: skip
    env = os.environ | {"YUSUAN_WAREHOUSE": str(settings.building)}
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    results = json.loads((target / "run_results.json").read_text()).get("results", [])
    statuses = [r["status"] for r in results]
    summary = {s: statuses.count(s) for s in sorted(set(statuses))}
    if done.returncode != 0:
        tail = "\n".join(done.stdout.splitlines()[-15:])
        raise RunFailed(f"dbt build failed {summary}:\n{tail}")
    return summary


def validate_marts(settings: Settings) -> dict[str, Any]:
    """Gate 2: Great Expectations on the marts of the working copy."""
    from expectations.gate import validate_marts as gate

    findings = [_finding_dict(f) for f in gate(settings.building, settings.gx_root)]
    findings = [
        {k: (str(v) if k in ("expected", "actual") and v is not None else v) for k, v in f.items()}
        for f in findings
    ]
    return {"passed": not any(f["severity"] == "block" for f in findings), "findings": findings}


def publish(gate: dict[str, Any], settings: Settings, run_id: str) -> dict[str, Any]:
    """Publish the working copy if gate 2 passed; otherwise keep the last good warehouse."""
    findings = [f | {"run_id": run_id} for f in gate["findings"]]
    with warehouse.connect(settings.building) as con:
        warehouse.record_audit(con, [], findings)
    if gate["passed"]:
        warehouse.publish(settings.building, settings.published)
        return {"published": True, "warehouse": str(settings.published)}
    if settings.published.exists():  # keep this run's verdicts beside the last good marts
        with warehouse.connect(settings.building, read_only=True) as src:
            loads = (
                src.execute("select * from audit.document_loads where run_id = ?", [run_id])
                .df()
                .to_dict("records")
            )
        with warehouse.connect(settings.published) as con:
            warehouse.record_audit(con, loads, findings)
    rejected = settings.building.with_name(settings.published.stem + ".rejected.duckdb")
    os.replace(settings.building, rejected)
    blocking = [f["detail"] for f in findings if f["severity"] == "block"]
    problem = f"marts gate blocked publishing ({rejected}): " + "; ".join(blocking[:5])
    alerts.send(
        f"[yusuan] run {run_id} not published: marts gate failed",
        problem + "\n\nBI keeps reading the last good warehouse " + str(settings.published),
    )
    raise RunFailed(problem)


def extract_all(docs: list[Doc], settings: Settings, workers: int = 1) -> list[Doc]:
    """`extract` over every document, in `workers` processes (extraction is pure and
    CPU-bound; the DAG gets the same effect from dynamic task mapping)."""
    if workers <= 1 or len(docs) <= 1:
        return [extract(doc, settings) for doc in docs]
    from concurrent.futures import ProcessPoolExecutor
    from itertools import repeat

    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(extract, docs, repeat(settings)))


def run(
    sources: list[str], settings: Settings, run_id: str | None = None, workers: int = 1
) -> dict[str, Any]:
    """All steps in order: what `yusuan load` does."""
    run_id = run_id or f"cli__{now().strftime('%Y%m%dT%H%M%S.%f')}"
    docs = pull(sources, settings)
    docs = [validate(doc, settings) for doc in extract_all(docs, settings, workers)]
    counts = load(docs, settings, run_id)
    transform(settings)
    result = publish(validate_marts(settings), settings, run_id)
    return {
        "run_id": run_id,
        "documents": counts,
        "verdicts": [
            {k: d.get(k) for k in ("file_name", "reason", "detail")}
            | {"status": "loaded" if d["status"] == "passed" else d["status"]}
            for d in docs
        ],
        "marts": warehouse.mart_counts(settings.published),
        **result,
    }
