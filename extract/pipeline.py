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
from typing import Any, NoReturn

from extract import alerts, warehouse
from extract.errors import DocumentRejected
from extract.settings import Settings

log = logging.getLogger(__name__)

STEPS = ("pull", "extract", "validate", "load", "transform", "validate_marts", "publish")
STATUSES = ("loaded", "quarantined", "skipped")
# One budget: a document with the same key as one already loaded is a re-issue of it.
BUDGET_KEY = ("department_name", "fiscal_year", "budget_level")
Doc = dict[str, Any]


class RunFailed(Exception):
    """The run could not complete (dbt failed, or the marts gate blocked publishing)."""


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def pull(sources: list[str], settings: Settings) -> list[Doc]:
    """Land every source; mark documents already loaded (skipped) or seen twice (duplicate).

    A document a re-issue replaced stays replaced, even with `force` (a folder or catalog
    often keeps both issues): it is skipped as 'superseded'. With `force` a document
    already loaded is re-loaded, marked `previously_loaded` so that a re-issue of it in the
    same run still replaces it (see `_reissue`).
    """
    from extract.pull import discover, land

    previously = warehouse.loaded_documents(settings.published)
    loaded = set() if settings.force else previously
    superseded = warehouse.superseded_documents(settings.published)
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
        elif digest in superseded:
            doc |= _verdict("skipped", "superseded", superseded[digest])
        elif digest in loaded:
            doc |= _verdict("skipped", "already_loaded", "already in the published warehouse")
        elif digest in previously:
            doc["previously_loaded"] = True
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
        staging_dir = write_staging(extracted, settings.staging / doc["document_id"])
    except DocumentRejected as exc:
        return doc | _verdict("quarantined", exc.reason, exc.detail)
    except Exception as exc:  # a layout no parser expected: this document only, not the run
        log.exception("extraction failed for %s", doc["file_name"])
        detail = f"{type(exc).__name__}: {exc}"
        return doc | _verdict("quarantined", "extraction_error", detail)
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
    budget = {name: extracted.document.get(name) for name in BUDGET_KEY}
    return doc | budget | {"staging_dir": str(staging_dir), "findings": problems}


def validate(doc: Doc, settings: Settings) -> Doc:
    """Gate 1: Great Expectations on one document's staged rows; block -> quarantined."""
    from expectations.gate import validate_document
    from extract.document import read_staging

    if doc["status"] != "pending":
        return doc
    try:
        frames = read_staging(Path(doc["staging_dir"]))
        checked = validate_document(doc["document_id"], frames, settings.gx_root)
    except Exception as exc:  # the gate could not run on this document: it stays out
        log.exception("validation failed for %s", doc["file_name"])
        return doc | _verdict("quarantined", "validation_error", f"{type(exc).__name__}: {exc}")
    findings = list(doc.get("findings", [])) + [_finding_dict(f) for f in checked]
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
    """A gate Finding as a plain dict (XCom-safe: expected/actual as text)."""
    return {
        k: (str(v) if k in ("expected", "actual") and v is not None else v)
        for k, v in finding.__dict__.items()
    }


def _is_identity(check: str) -> bool:
    return any(word in check for word in ("sum", "equals", "reconcil", "identity"))


def load(docs: list[Doc], settings: Settings, run_id: str) -> dict[str, Any]:
    """Write passing documents' rows to raw.* and every document's verdict to audit.*.

    Returns the count per status and the verdicts (a re-issued budget is only found here,
    where the warehouse is at hand: see `_reissue`).
    """
    warehouse.prepare_build(settings.published, settings.building)
    checked_at = now()
    loads: list[Doc] = []
    findings: list[Doc] = []
    # documents re-loaded with force go first: a re-issue of one of them in this run is
    # then the newer document and replaces it, whatever the order of the sources
    reloaded = {d["document_id"] for d in docs if d.get("previously_loaded")}
    ordered = sorted(docs, key=lambda d: d.get("document_id") not in reloaded)
    with warehouse.connect(settings.building) as con:
        for doc in ordered:
            superseded: list[Doc] = []
            if doc["status"] == "passed":
                doc, superseded = _reissue(con, doc, settings.force, run_id, reloaded)
            if doc["status"] == "passed":
                warehouse.load_document(con, doc["document_id"], Path(doc["staging_dir"]), run_id)
                doc = doc | {"status": "loaded"}
            elif doc["status"] == "quarantined" and doc.get("document_id"):
                # a forced re-load that fails now must not leave its old rows in the marts
                warehouse.remove_document(con, doc["document_id"])
            stamp = {"run_id": run_id, "checked_at": checked_at}
            replaced = {old["document_id"] for old in superseded}  # re-loaded, then replaced
            loads = [d for d in loads if d.get("document_id") not in replaced]
            loads += [doc | stamp, *(old | stamp for old in superseded)]
            findings += [f | {"run_id": run_id} for f in doc.get("findings", [])]
        warehouse.record_audit(con, loads, findings)
    message = alerts.quarantine_message(run_id, loads)
    if message:
        alerts.send(*message)
    statuses = [d["status"] for d in loads]
    verdicts = [{k: d.get(k) for k in ("file_name", "status", "reason", "detail")} for d in loads]
    return {s: statuses.count(s) for s in STATUSES} | {"verdicts": verdicts}


def _reissue(
    con: Any, doc: Doc, force: bool, run_id: str, reloaded: set[str]
) -> tuple[Doc, list[Doc]]:
    """A passing document whose budget key (department_name, fiscal_year, budget_level)
    is already in raw.* is a re-issue (a corrected PDF: same budget, other bytes).

    It is quarantined as a duplicate naming the loaded one; with `force` it replaces what
    earlier runs loaded, and each replaced document gets a 'skipped' / 'superseded' audit
    row. Within one run the first document of a key wins, even with `force`: nothing says
    which of the two is the correction; a document `reloaded` (already published before
    this run, re-loaded by force) counts as loaded by an earlier run. No key without a
    department name and a year.
    Returns the document (with its verdict) and the audit rows of what it superseded.
    """
    if not doc.get("department_name") or not doc.get("fiscal_year"):
        return doc, []
    others = warehouse.documents_of_budget(
        con,
        doc["department_name"],
        doc["fiscal_year"],
        doc.get("budget_level"),
        exclude=doc["document_id"],
    )
    if not others:
        return doc, []
    budget = f"budget ({', '.join(str(doc.get(name)) for name in BUDGET_KEY)})"
    this_run = [o for o in others if o["run_id"] == run_id and o["document_id"] not in reloaded]
    if this_run:
        detail = f"re-issue of {budget} loaded earlier in this run as {_named(this_run[0])}"
        return doc | _verdict("quarantined", "duplicate", detail), []
    if not force:
        detail = f"re-issue of {budget} already loaded as {_named(others[0])}; --force replaces it"
        return doc | _verdict("quarantined", "duplicate", detail), []
    superseded = []
    for other in others:
        warehouse.remove_document(con, other["document_id"])
        detail = f"superseded by {_named(doc)}, a re-issue of {budget}"
        superseded.append(
            {k: other[k] for k in ("document_id", "file_name", "source_uri")}
            | _verdict("skipped", "superseded", detail)
        )
    replaced = ", ".join(_named(other) for other in others)
    return doc | {"detail": f"re-issue of {budget}: replaces {replaced}"}, superseded


def _named(doc: Doc) -> str:
    return f"{doc['file_name']} (document {doc['document_id'][:12]})"


def _require_build(settings: Settings) -> None:
    if not settings.building.exists():
        raise RunFailed(f"no working copy at {settings.building}: run the load step first")


def _build_docs(settings: Settings) -> None:
    """Great Expectations Data Docs of this run's validations (both gates), built once at
    the end of the run, published or not; a docs failure never fails the run."""
    from expectations.gate import build_docs

    try:
        build_docs(settings.gx_root)
    except Exception:
        log.exception("could not build the Data Docs under %s", settings.gx_root)


def _fail(settings: Settings, run_id: str, reason: str, problem: str) -> NoReturn:
    """Keep the last good warehouse, carry this run's audit over to it, alert, raise."""
    rejected = settings.building.with_name(settings.published.stem + ".rejected.duckdb")
    if settings.building.exists():
        os.replace(settings.building, rejected)
        warehouse.keep_audit(rejected, settings.published, run_id, reason, problem)
    _build_docs(settings)
    alerts.send(
        f"[yusuan] run {run_id} not published: {reason}",
        f"{problem}\n\nBI keeps reading the last good warehouse {settings.published}; "
        f"the rejected build is {rejected}.",
    )
    raise RunFailed(f"{reason}: {problem}")


def transform(settings: Settings, run_id: str) -> dict[str, Any]:
    """dbt build (seeds, models, tests, contracts) on the working copy.

    dbt runs in its own process: dbt-duckdb keeps its DuckDB connection open for the life
    of the process, and the marts gate must open the file after it.
    """
    _require_build(settings)
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
    (target / "run_results.json").unlink(missing_ok=True)
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-15:])
        _fail(settings, run_id, "transform_failed", f"dbt build failed:\n{tail}")
    results = json.loads((target / "run_results.json").read_text()).get("results", [])
    statuses = [r["status"] for r in results]
    return {s: statuses.count(s) for s in sorted(set(statuses))}


def validate_marts(settings: Settings, run_id: str) -> dict[str, Any]:
    """Gate 2: Great Expectations on the marts of the working copy."""
    from expectations.gate import validate_marts as gate

    _require_build(settings)
    try:
        findings = [_finding_dict(f) for f in gate(settings.building, settings.gx_root)]
    except Exception as exc:
        _fail(settings, run_id, "marts_gate_error", f"{type(exc).__name__}: {exc}")
    return {"passed": not any(f["severity"] == "block" for f in findings), "findings": findings}


def publish(gate: dict[str, Any], settings: Settings, run_id: str) -> dict[str, Any]:
    """Publish the working copy if gate 2 passed; otherwise keep the last good warehouse."""
    _require_build(settings)
    findings = [f | {"run_id": run_id} for f in gate["findings"]]
    with warehouse.connect(settings.building) as con:
        warehouse.record_audit(con, [], findings)
    if gate["passed"]:
        warehouse.publish(settings.building, settings.published)
        _build_docs(settings)
        return {"published": True, "warehouse": str(settings.published)}
    blocking = [f["detail"] for f in findings if f["severity"] == "block"]
    _fail(settings, run_id, "marts_gate", "; ".join(blocking[:5]))


def extract_all(docs: list[Doc], settings: Settings, workers: int = 1) -> list[Doc]:
    """`extract` over every document, in `workers` processes (extraction is pure and
    CPU-bound; the DAG gets the same effect from dynamic task mapping)."""
    if workers <= 1 or len(docs) <= 1:
        return [extract(doc, settings) for doc in docs]
    from concurrent.futures import ProcessPoolExecutor

    results = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(extract, doc, settings) for doc in docs]
        for doc, future in zip(docs, futures, strict=True):
            try:
                results.append(future.result())
            except Exception as exc:  # the worker died (e.g. out of memory on one PDF)
                detail = f"{type(exc).__name__}: {exc}"
                results.append(doc | _verdict("quarantined", "extraction_error", detail))
    return results


def run(
    sources: list[str], settings: Settings, run_id: str | None = None, workers: int = 1
) -> dict[str, Any]:
    """All steps in order: what `yusuan load` does."""
    run_id = run_id or f"cli__{now().strftime('%Y%m%dT%H%M%S.%f')}"
    docs = pull(sources, settings)
    docs = [validate(doc, settings) for doc in extract_all(docs, settings, workers)]
    loaded = load(docs, settings, run_id)
    transform(settings, run_id)
    result = publish(validate_marts(settings, run_id), settings, run_id)
    return {
        "run_id": run_id,
        "documents": {s: loaded[s] for s in STATUSES},
        "verdicts": loaded["verdicts"],
        "marts": warehouse.mart_counts(settings.published),
        **result,
    }
