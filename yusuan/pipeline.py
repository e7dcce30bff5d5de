"""The pipeline steps, defined once: the Airflow DAG wraps each in a task, the CLI calls
them in order (`run`). Steps take and return plain dicts so they travel through XCom.

    pull -> extract -> validate (gate 1) -> load -> transform (dbt build)
         -> validate_marts (gate 2) -> publish

The DAG runs extract and validate together, one task per batch of documents
(`batches`, `extract_and_validate_batch`), and `load` gathers the batches (`gather`).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any, NoReturn, TypedDict, cast

from expectations import table_gate
from extract.errors import DocumentRejected
from extract.verdicts import FINAL_STATUSES, Reason, Status
from yusuan import alerts, holds, storage, versions, warehouse
from yusuan.lock import warehouse_lock
from yusuan.settings import Settings

log = logging.getLogger(__name__)

STEPS = ("pull", "extract", "validate", "load", "transform", "validate_marts", "publish")
STATUSES = tuple(str(s) for s in FINAL_STATUSES)
# A working copy untouched this long belongs to a run that was killed (a live DAG run
# rewrites its copy between load and publish within minutes): the next run removes it.
STALE_WORKING_COPY_S = 6 * 3600
# Where gate 1's validation results wait in a remote storage root for the Data Docs
SHARED_RESULTS = "gx/validations"


class Doc(TypedDict, total=False):
    """One document as it travels between the steps (an Airflow XCom between tasks).

    pull sets the source and the landing; extract adds the staging folder, the budget key
    and the parser's findings; validate the gate's findings and the tables held back; any
    step may set the verdict (status, reason, detail); load stamps the run on the audit.
    """

    source_uri: str
    file_name: str
    known: dict[str, Any]  # what the sources catalog states (department, year, …)
    document_id: str  # sha256 of the file: the landing name and the warehouse key
    landing_path: str
    previously_loaded: bool  # a forced re-load of a document already in the warehouse
    staging_dir: str
    page_count: int
    department_name: str | None  # with the next five: its budget (versions.BUDGET_KEY)
    region: str | None
    province: str | None
    fiscal_year: int | None
    budget_level: str | None
    document_kind: str | None
    findings: list[dict[str, Any]]  # blocking and warning findings, as plain dicts
    held: list[dict[str, Any]]  # tables held back (expectations.table_gate)
    status: str  # extract.verdicts.Status
    reason: str | None  # extract.verdicts.Reason
    detail: str | None
    run_id: str  # set when the verdict is recorded in audit.document_loads
    checked_at: datetime


# told of each document extracted: its pages (0 if it failed), the documents to extract
OnExtracted = Callable[[int, int], None]


class RunFailed(Exception):
    """The run could not complete (dbt failed, or the marts gate blocked publishing)."""


def _step(name: str, detail: str = "") -> None:
    """Say which step starts (the CLI prints these on stderr)."""
    log.info("%s%s", name, f": {detail}" if detail else "")


@contextmanager
def _writing(settings: Settings, run_id: str) -> Iterator[None]:
    """Hold the warehouse's lock (yusuan.lock): one writer per warehouse."""
    with warehouse_lock(settings.lock_file, run_id, settings.limits.lock_timeout_s):
        yield


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def pull(sources: list[str], settings: Settings) -> list[Doc]:
    """Land every source; mark documents already loaded (skipped) or seen twice (duplicate).

    A source that cannot be pulled (a bad catalog entry, a path outside the allowed
    folders, a failed download, a file that is not a PDF or is too large) is quarantined
    alone with its named reason; the others go on.
    A document another version replaced stays replaced, even with `force` (a folder or
    catalog often keeps both): it is skipped as 'superseded'. With `force` a document
    already loaded is re-loaded, marked `previously_loaded`: it counts as the earlier of two
    equally good versions in this run (yusuan.versions), and its old rows stay if the
    re-load fails.
    """
    from yusuan.pull import clean_partials, discover, land

    limits = settings.limits
    clean_partials(settings.landing, limits.download_deadline_s + 60)
    clean_partials(settings.staging, limits.extract_timeout_s + 60)
    previously = warehouse.loaded_documents(settings.published)
    loaded = set() if settings.force else previously
    superseded = warehouse.superseded_documents(settings.published)
    seen: dict[str, str] = {}
    docs: list[Doc] = []
    found = discover(sources, limits.source_roots)
    scoped = [s for s in found if out_of_scope(dict(s.known), settings) is None]
    elsewhere = (
        f", {len(found) - len(scoped)} of another region or year"
        if settings.region or settings.fiscal_year
        else ""
    )
    _step("pull", f"{len(scoped)} source(s){elsewhere}")
    for source in scoped:
        doc: Doc = {
            "source_uri": source.recorded_uri,
            "file_name": source.file_name,
            "status": str(Status.PENDING),
            "known": dict(source.known),
        }
        if source.problem is not None:
            log.warning("source %s: %s", source.recorded_uri, source.problem[1])
            docs.append(doc | _verdict(Status.QUARANTINED, *source.problem))
            continue
        try:
            digest, path = land(source, settings.landing, limits)
        except DocumentRejected as exc:
            log.warning("could not pull %s: %s", source.recorded_uri, exc.detail)
            docs.append(doc | _verdict(Status.QUARANTINED, exc.reason, exc.detail))
            continue
        except Exception as exc:  # nothing a source does may stop the pull of the others
            log.exception("could not pull %s", source.recorded_uri)
            detail = f"{source.file_name}: {type(exc).__name__}"
            docs.append(doc | _verdict(Status.QUARANTINED, Reason.UNREACHABLE, detail))
            continue
        doc |= {"document_id": digest, "landing_path": str(path)}
        if digest in seen:
            detail = f"same file as {seen[digest]}, another source of this run"
            doc |= _verdict(Status.QUARANTINED, Reason.DUPLICATE, detail)
        elif digest in superseded:
            doc |= _verdict(Status.SKIPPED, Reason.SUPERSEDED, superseded[digest])
        elif digest in loaded:
            detail = "already in the published warehouse"
            doc |= _verdict(Status.SKIPPED, Reason.ALREADY_LOADED, detail)
        elif digest in previously:
            doc["previously_loaded"] = True
        seen.setdefault(digest, source.file_name)
        docs.append(doc)
    return docs


def out_of_scope(facts: Mapping[str, Any], settings: Settings) -> str | None:
    """Why a document is not of the run's scope (`Settings.region`, `fiscal_year`): the
    region, province or year its catalog states (`facts` of a source) or it prints (a
    document extracted) is another; None when it is of the scope or the facts do not say."""
    problems = []
    places = {facts.get("region"), facts.get("province")} - {None}
    if settings.region and places and settings.region not in places:
        shown = facts.get("region") or facts.get("province")
        problems.append(f"of {shown}, not {settings.region}")
    year = facts.get("fiscal_year")
    if settings.fiscal_year and year is not None and int(year) != settings.fiscal_year:
        problems.append(f"of fiscal year {year}, not {settings.fiscal_year}")
    return "; ".join(problems) or None


def _scoped(docs: list[Doc], settings: Settings) -> list[Doc]:
    """Documents extracted, those that print another region or year than the run's scope
    skipped as out_of_scope (before gate 1: they cost no more)."""
    scoped = []
    for doc in docs:
        why = doc["status"] == Status.PENDING and out_of_scope(cast(Any, doc), settings)
        if why:
            doc = doc | _verdict(Status.SKIPPED, Reason.OUT_OF_SCOPE, f"{doc['file_name']}: {why}")
        scoped.append(doc)
    return scoped


def _verdict(status: str, reason: str | None, detail: str | None) -> Doc:
    """A document's verdict as plain strings (XCom-safe)."""
    return {"status": str(status), "reason": reason and str(reason), "detail": detail}


def extract(doc: Doc, settings: Settings) -> Doc:
    """PDF -> staging/<document_id>/*.parquet, in a worker process that is killed when it
    takes longer than the limit (`timeout`) and fails when it needs more memory than its
    cap (`too_large`). Pure per document: safe to run in parallel."""
    return extract_all([doc], settings)[0]


def _staged(doc: Doc, result: dict[str, Any]) -> Doc:
    """A document with what its worker (extract.worker.extract_in_worker) returned."""
    budget = cast(Doc, {name: result["document"].get(name) for name in versions.BUDGET_KEY})
    staged: Doc = {
        "staging_dir": result["staging_dir"],
        "findings": result["problems"],
        "page_count": result["document"]["page_count"],
    }
    return doc | budget | staged


def _extracted(doc: Doc, future: Any, settings: Settings) -> Doc:
    """The result of one document's worker, or its named reason."""
    from concurrent.futures import TimeoutError as FutureTimeout

    from pebble import ProcessExpired

    from extract.worker import over_cap

    try:
        return _staged(doc, future.result())
    except DocumentRejected as exc:
        return doc | _verdict(Status.QUARANTINED, exc.reason, exc.detail)
    except FutureTimeout:
        limit = settings.limits.extract_timeout_s
        detail = f"{doc['file_name']}: extraction took longer than {limit:g} s"
        return doc | _verdict(Status.QUARANTINED, Reason.TIMEOUT, detail + " (stopped)")
    except ProcessExpired as exc:  # the worker died: an allocation a C library could not get
        what = f"the extraction process died (exit code {exc.exitcode}), likely"
        rejected = over_cap(doc["file_name"], settings.limits.max_worker_mb, what)
        return doc | _verdict(Status.QUARANTINED, rejected.reason, rejected.detail)
    except Exception as exc:  # a layout no parser expected: this document only, not the run
        log.error("extraction failed for %s: %s", doc["file_name"], exc)
        detail = f"{doc['file_name']}: {type(exc).__name__}: {exc}"
        return doc | _verdict(Status.QUARANTINED, Reason.EXTRACTION_ERROR, detail)


def extract_all(
    docs: list[Doc], settings: Settings, workers: int = 1, progress: OnExtracted | None = None
) -> list[Doc]:
    """`extract` over every pending document in `workers` processes (pebble), each under
    `limits.max_worker_mb` of memory; a document has `limits.extract_timeout_s`, then its
    worker is killed and replaced. Workers are forked from a forkserver that imported only
    extract.worker, not from this process, whose address space holds the warehouse, the
    gates and Airflow (starting the server costs about 0.3 s a run; a document costs what
    it did with fork). The DAG runs one batch of documents per mapped task, with the same
    limits (`extract_and_validate_batch`). `progress` hears of each document as it is
    done."""
    pending = [d for d in docs if d["status"] == Status.PENDING]
    if not pending:  # a run that loads nothing imports no extraction
        return docs
    import multiprocessing
    from concurrent.futures import as_completed

    from pebble import ProcessPool

    from extract.worker import extract_in_worker

    _step("extract", f"{len(pending)} document(s)")
    limits = settings.limits
    _allow_children()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["extract.worker"])
    done: dict[int, Doc] = {}
    processes = max(1, min(workers, len(pending)))
    with (
        storage.local_files([doc["landing_path"] for doc in pending]) as pdfs,
        storage.scratch_folder(settings.staging) as staging,
        _launcher_hidden(),
        ProcessPool(max_workers=processes, context=context) as pool,
    ):
        for doc in pending:  # a landed file gone from the storage root: this one only
            if doc["landing_path"] not in pdfs:
                detail = f"{doc['file_name']}: its landed file is not in the storage root"
                done[id(doc)] = doc | _verdict(Status.QUARANTINED, Reason.UNREACHABLE, detail)
        futures: dict[Any, Doc] = {
            pool.schedule(
                extract_in_worker,
                args=(
                    dict(doc) | {"landing_path": str(pdfs[doc["landing_path"]])},
                    str(staging),
                    limits.max_pages,
                    limits.max_worker_mb,
                    settings.page_reader,
                ),
                timeout=limits.extract_timeout_s,
            ): doc
            for doc in pending
            if id(doc) not in done
        }
        for future in as_completed(futures):
            doc = futures[future]
            done[id(doc)] = _extracted(doc, future, settings)
            if progress is not None:
                progress(done[id(doc)].get("page_count") or 0, len(pending))
        if staging != settings.staging:  # a remote staging zone: put what was staged there
            _put_staged(list(done.values()), staging, settings)
    return [done.get(id(doc), doc) for doc in docs]


def _put_staged(docs: list[Doc], scratch: Path, settings: Settings) -> None:
    """Put the documents staged in `scratch` into the remote staging zone, each under its
    own folder there (the documents' `staging_dir` then names it)."""
    staged = [doc for doc in docs if doc.get("staging_dir")]
    folders = {doc["document_id"]: settings.staging / doc["document_id"] for doc in staged}
    storage.put_folders({scratch / name: folder for name, folder in folders.items()})
    for doc in staged:
        doc["staging_dir"] = str(folders[doc["document_id"]])


@contextmanager
def _launcher_hidden() -> Iterator[None]:
    """While the extraction pool runs, __main__ is an empty module. multiprocessing starts
    each worker by running the program's __main__ file again (to find what is defined
    there; the workers need only extract.worker, which the forkserver preloads). Under
    Airflow that program is the `airflow` launcher of the worker or scheduler, which sets
    Airflow up when imported and fails in a worker, where the task's environment names no
    metadata database: every worker died ('All workers expired'). `yusuan load` only saves
    the import of its own script."""
    import types

    launcher = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = launcher


def _allow_children() -> None:
    """Let this process start extraction workers when it runs under a Celery worker.

    Celery's prefork pool (billiard) puts its own record of a daemonic pool process in
    multiprocessing's place; Airflow runs each task in a fork of one, which inherits that
    record although no pool manages it, and multiprocessing then refuses it children
    ("daemonic processes are not allowed to have children") or cannot hand billiard's
    authkey to the forkserver. The task process is the main process of its own work (it
    closes its pool before it returns): its record becomes a main process's, not
    daemonic, with an authkey of its own, as multiprocessing makes one."""
    import multiprocessing.process as mp

    current = mp.current_process()
    if current.daemon or not isinstance(current, mp.BaseProcess):
        config = current._config  # type: ignore[attr-defined]
        config["daemon"] = False
        config["authkey"] = mp.AuthenticationString(os.urandom(32))  # type: ignore[attr-defined]


def validate_all(
    docs: list[Doc], settings: Settings, progress: OnExtracted | None = None
) -> list[Doc]:
    """Gate 1: Great Expectations on the documents' staged rows, each suite run once over
    many documents (expectations.validate_documents; each still gets its own findings). A
    table that fails a blocking check is held back (expectations.table_gate) and the rest of
    its document passes; a document with a blocking finding that names no table, or nothing
    left, is quarantined. A document the gate cannot run on costs only itself. `progress`
    hears of each document as its batch is done."""
    out = list(docs)
    pending = [i for i, doc in enumerate(docs) if doc["status"] == Status.PENDING]
    if not pending:  # a run that loads nothing imports no gate
        return out
    from expectations import validate_document, validate_documents
    from expectations.gate1 import BATCH_DOCUMENTS
    from extract.document import read_staging

    started = time.time()
    for start in range(0, len(pending), BATCH_DOCUMENTS):
        frames: dict[int, dict[str, Any]] = {}
        chunk = pending[start : start + BATCH_DOCUMENTS]
        folders = [docs[i].get("staging_dir") or "" for i in chunk]
        with storage.local_folders(folders) as staged:
            for i, folder in zip(chunk, folders, strict=True):
                try:
                    frames[i] = read_staging(staged[folder])
                except Exception as exc:
                    out[i] = _not_validated(docs[i], exc)
        batch = [(docs[i]["document_id"], f) for i, f in frames.items()]
        try:
            checked = validate_documents(batch, settings.gx_root)
        except Exception:  # one document broke the shared runs: each alone, costing itself
            log.exception("gate 1 of %d documents failed; each is validated alone", len(batch))
            checked = None
        for n, (i, f) in enumerate(frames.items()):
            try:
                found = (
                    checked[n]
                    if checked is not None
                    else validate_document(docs[i]["document_id"], f, settings.gx_root)
                )
            except Exception as exc:
                out[i] = _not_validated(docs[i], exc)
                continue
            out[i] = _gated(docs[i], f, found)
        for i in pending[start : start + BATCH_DOCUMENTS]:
            if progress is not None:
                progress(out[i].get("page_count") or 0, len(pending))
    _share_results(settings, started)
    return out


def _not_validated(doc: Doc, exc: Exception) -> Doc:
    """The gate could not run on this document: it stays out."""
    log.error("validation failed for %s", doc["file_name"], exc_info=exc)
    detail = f"{doc['file_name']}: {type(exc).__name__}: {exc}"
    return doc | _verdict(Status.QUARANTINED, Reason.VALIDATION_ERROR, detail)


def _gated(doc: Doc, frames: dict[str, Any], checked: list[Any]) -> Doc:
    """A document's verdict from its gate 1 findings."""
    findings = list(doc.get("findings", [])) + [_finding_dict(f) for f in checked]
    doc = doc | {"findings": findings}
    blocking = [f for f in findings if f["severity"] == "block"]
    if not blocking:
        return doc | _verdict(Status.PASSED, None, None)
    tables = table_gate.table_records(frames["tables"]) if "tables" in frames else []
    held = table_gate.held_tables(blocking, tables)
    if held is not None:
        doc = doc | {"held": held}
        return doc | _verdict(Status.PASSED, None, None)
    detail = "; ".join(f["detail"] for f in blocking[:3])
    if len(blocking) > 3:
        detail += f"; and {len(blocking) - 3} more"
    reason = table_gate.reason_of(blocking)
    return doc | _verdict(Status.QUARANTINED, reason, detail)


def batches(docs: list[Doc], size: int) -> dict[str, list[Any]]:
    """What the DAG's pull hands on: the documents whose verdict pull decided (already
    loaded, duplicate, quarantined: `decided`, straight to load) and the pending ones in
    groups of `size` (`batches`: one extraction task each, so a province's thousands of
    sources stay far below Airflow's max_map_length). There is always one batch, empty
    when nothing is pending: its task does nothing, where a mapped task of no batch would be
    skipped, which load's trigger rule (all done, one success) takes for "skip me too"."""
    pending = [d for d in docs if d["status"] == Status.PENDING]
    decided = [d for d in docs if d["status"] != Status.PENDING]
    groups = [pending[i : i + size] for i in range(0, len(pending), size)] or [[]]
    return {"decided": decided, "batches": groups}


def extract_and_validate_batch(batch: list[Doc], settings: Settings) -> list[Doc]:
    """Extract and gate 1 of one batch (one DAG task): each document in a worker process
    under the limits (`extract_all`), so one that times out, is corrupt or crashes its
    worker gets its named reason and the batch goes on; then gate 1 over the batch, in this
    process (validate_all: each suite runs once over the batch's documents)."""
    return validate_all(_scoped(extract_all(batch, settings), settings), settings)


def gather(decided: list[Doc], batches: list[list[Doc]], results: list[list[Doc]]) -> list[Doc]:
    """Every document of a DAG run, for load: those pull decided, then each batch's as its
    task returned them (`results`, the batches that succeeded). A document whose batch
    returned nothing (its task failed after its retries: a killed worker, a lost machine)
    is quarantined as task_failed: it costs itself, the others load."""
    returned = {doc["document_id"]: doc for result in results for doc in result}
    docs = list(decided)
    for number, batch in enumerate(batches, 1):
        for doc in batch:
            done = returned.get(doc["document_id"])
            if done is None:
                detail = (
                    f"{doc['file_name']}: the extraction task of its batch ({number} of "
                    f"{len(batches)}) failed after its retries (see that task's log)"
                )
                done = doc | _verdict(Status.QUARANTINED, Reason.TASK_FAILED, detail)
            docs.append(done)
    return docs


def _finding_dict(finding: Any) -> dict[str, Any]:
    """A gate Finding as a plain dict (XCom-safe: expected/actual as text)."""
    return {
        k: (str(v) if k in ("expected", "actual") and v is not None else v)
        for k, v in finding.__dict__.items()
    }


def load(docs: list[Doc], settings: Settings, run_id: str) -> dict[str, Any]:
    """Write passing documents' rows to raw.* and every document's verdict to audit.*, in
    this run's working copy of the warehouse.

    Of several versions of one budget, one is live (yusuan.versions). Rows leave the
    warehouse only when another version replaces them (audited `superseded`, naming both;
    see `_reissue`) or by `remove`: a quarantined or duplicate document never removes
    another's rows, and a forced re-load that fails keeps the rows loaded before.
    Returns the count per status and the verdicts (a re-issued budget is only found here,
    where the warehouse is at hand).
    """
    _step("load", f"{sum(d['status'] == Status.PASSED for d in docs)} document(s) passed gate 1")
    with _writing(settings, run_id):
        # a run that loads no rows leaves the raw tables as published (no schema to import)
        _prepare_build(settings, run_id, raw=any(d["status"] == Status.PASSED for d in docs))
        checked_at = now()
        loads: list[Doc] = []
        findings: list[dict[str, Any]] = []
        docs = versions.choose(docs)
        # versions an earlier run loaded that lose to another of this run leave first, so
        # that the live one finds no other loaded version of its budget
        ordered = sorted(docs, key=lambda d: not _leaving(d))
        passed = [d["staging_dir"] for d in ordered if d["status"] == Status.PASSED]
        with (
            storage.local_folders(passed) as staged,
            warehouse.connect(settings.building(run_id)) as con,
        ):
            for doc in ordered:
                superseded: list[Doc] = []
                if _leaving(doc):
                    warehouse.remove_document(con, doc["document_id"])
                if doc["status"] == Status.PASSED:
                    doc, superseded = _reissue(con, doc, settings.force)
                if doc["status"] == Status.PASSED:
                    held = doc.get("held") or []
                    warehouse.load_document(
                        con,
                        doc["document_id"],
                        staged[doc["staging_dir"]],
                        run_id,
                        held={t["table_index"]: t["reason"] for t in held},
                    )
                    doc = doc | _verdict(*table_gate.load_verdict(doc))  # loaded, or partial
                elif doc["status"] == Status.QUARANTINED and doc.get("previously_loaded"):
                    kept = "; the rows loaded by an earlier run stay in the warehouse"
                    doc = doc | {"detail": f"{doc.get('detail') or ''}{kept}"}
                stamp: Doc = {"run_id": run_id, "checked_at": checked_at}
                loads += [doc | stamp, *(old | stamp for old in superseded)]
                findings += [f | {"run_id": run_id} for f in doc.get("findings", [])]
            warehouse.record_audit(con, loads, findings)
    message = alerts.quarantine_message(run_id, loads)
    if message:
        alerts.send(*message)
    statuses = [d["status"] for d in loads]
    verdicts = [{k: d.get(k) for k in ("file_name", "status", "reason", "detail")} for d in loads]
    return {s: statuses.count(s) for s in STATUSES} | {"verdicts": verdicts}


def _leaving(doc: Doc) -> bool:
    """A version an earlier run loaded, superseded by another version of this run."""
    return bool(doc.get("previously_loaded")) and doc.get("reason") == Reason.SUPERSEDED


def _prepare_build(settings: Settings, run_id: str, raw: bool = True) -> None:
    """Start this run's working copy from the published warehouse; remove the working
    copies killed runs left behind (untouched for STALE_WORKING_COPY_S)."""
    building = settings.building(run_id)
    for copy in settings.working_copies():
        touched = max(p.stat().st_mtime for p in (copy.parent, copy) if p.exists())
        if copy != building and time.time() - touched > STALE_WORKING_COPY_S:
            log.warning("removing the working copy of a killed run: %s", copy)
            warehouse.discard(copy)
    warehouse.prepare_build(settings.published, building, raw)


def _reissue(con: Any, doc: Doc, force: bool) -> tuple[Doc, list[Doc]]:
    """The live version of its budget in this run (yusuan.versions) against the versions
    earlier runs loaded (same key in raw.*: a corrected PDF, other bytes).

    The loaded version stays live, and this one is `skipped` as `other_version` naming it,
    unless this one is forced in (`force`) or loads whole where every loaded version is
    partial: it then replaces the loaded one, which gets a `skipped` / `superseded` audit
    row naming the new one. A key is read from the document (heuristically), so a
    replacement must be unambiguous: when more than one loaded document shares the key,
    nothing is replaced (`yusuan remove` takes out the wrong one). A forced re-load of a
    loaded document replaces only itself. No key without a department name and a year.
    Returns the document (with its verdict) and the audit rows of what it superseded.
    """
    key = versions.budget_key(doc)
    if key is None or doc.get("previously_loaded"):
        return doc, []
    others = warehouse.documents_of_budget(
        con, {name: doc.get(name) for name in versions.BUDGET_KEY}, exclude=doc["document_id"]
    )
    if not others:
        return doc, []
    budget = versions.describe(doc)
    whole = not doc.get("held")
    better = whole and all(o["status"] == Status.PARTIAL for o in others)
    if not force and not better:
        detail = (
            f"another version of its {budget} is live: {versions.named(others[0])} (loaded "
            "by an earlier run); --force replaces it"
        )
        return doc | _verdict(Status.SKIPPED, Reason.OTHER_VERSION, detail), []
    if len(others) > 1:
        names = ", ".join(versions.named(other) for other in others)
        detail = (
            f"{len(others)} loaded documents share its {budget}: {names}; nothing replaced "
            "(`yusuan remove DOCUMENT_ID` takes out the wrong one)"
        )
        return doc | _verdict(Status.SKIPPED, Reason.OTHER_VERSION, detail), []
    [other] = others
    warehouse.remove_document(con, other["document_id"])
    why = "forced" if force else "it loads whole where the loaded one is partial"
    detail = f"superseded by {versions.named(doc)}, another version of its {budget} ({why})"
    superseded: Doc = {
        "document_id": other["document_id"],
        "file_name": other["file_name"],
        "source_uri": other["source_uri"],
    }
    superseded |= _verdict(Status.SKIPPED, Reason.SUPERSEDED, detail)
    replaces = f"live version of its {budget}: replaces {versions.named(other)} ({why})"
    return doc | {"detail": replaces}, [superseded]


def _require_build(settings: Settings, run_id: str) -> Path:
    building = settings.building(run_id)
    if not building.exists():
        raise RunFailed(f"no working copy at {building}: run the load step first")
    return building


def _build_docs(settings: Settings) -> None:
    """Great Expectations Data Docs of this run's validations (both gates), built once at
    the end of the run, published or not; a docs failure never fails the run."""
    from expectations import build_docs

    started = time.time()
    remote = storage.is_remote(settings.storage)
    try:
        if remote:  # gate 1 ran on any worker: its results are in the storage root
            storage.fetch_missing(settings.storage / SHARED_RESULTS, settings.gx_results)
        build_docs(settings.gx_root)
        if remote:
            docs = settings.data_docs
            storage.mirror(settings.local_data_docs.parent, docs.parent, started)
    except Exception:
        log.exception("could not build the Data Docs under %s", settings.gx_root)


def _share_results(settings: Settings, since: float) -> None:
    """On a remote storage root, put the validation results gate 1 stored on this machine
    since `since` into the root, whence the warehouse's machine renders them into the Data
    Docs (`_build_docs`)."""
    if not storage.is_remote(settings.storage) or not settings.gx_results.is_dir():
        return
    try:
        storage.mirror(settings.gx_results, settings.storage / SHARED_RESULTS, since)
    except Exception:  # docs are not data: the documents keep their verdicts
        log.exception("could not put gate 1's results into %s", settings.storage)


def _fail(settings: Settings, run_id: str, reason: str, problem: str) -> NoReturn:
    """Keep the last good warehouse, carry this run's audit over to it, alert, raise."""
    building, rejected = settings.building(run_id), settings.rejected
    if building.exists():
        os.replace(building, rejected)
        warehouse.discard(building)  # its leftovers (.wal, .base)
        warehouse.keep_audit(rejected, settings.published, run_id, reason, problem)
    _build_docs(settings)
    alerts.send(
        f"[yusuan] run {run_id} not published: {reason}",
        f"{problem}\n\nBI keeps reading the last good warehouse {settings.published}; "
        f"the rejected build is {rejected}.",
    )
    raise RunFailed(f"{reason}: {problem}")


def transform(settings: Settings, run_id: str) -> dict[str, Any]:
    """dbt build (seeds, models, data tests, contracts) on the working copy.

    A data test that fails on rows of this run's documents holds the tables (or documents)
    those rows came from (yusuan.holds), and dbt builds again without them, until a build
    passes; a failure no document of this run explains fails the run (`transform_failed`).
    dbt runs in its own process: dbt-duckdb keeps its DuckDB connection open for the life
    of the process, and the marts gate must open the file after it. dbt's unit tests check
    the models' SQL on fixed inputs, not the data: as dbt advises, loads do not run them
    (`--exclude-resource-type unit_test`); `make test` does (tests/dbt/test_contract.py).
    The seeds and their own tests run only when the working copy does not hold the seeds of
    the same files (`_seeded`): a warehouse's first build, or new reference lists.
    """
    _step("transform", "dbt build")
    with _writing(settings, run_id):
        building = _require_build(settings, run_id)
        target = settings.dbt_target / "target"
        where = [
            "--project-dir", str(settings.dbt_project.resolve()),
            "--profiles-dir", str(settings.dbt_project.resolve()),
            "--target-path", str(target.resolve()),
            "--log-path", str((settings.dbt_target / "logs").resolve()),
            "--log-level-file", "info",  # dbt.log at debug costs about a tenth of a build
        ]  # fmt: skip
        # dbt's profile reads the warehouse, as the loader does: here the working copy, named
        # from its folder, so that the profile, and so dbt's parse, is the same in every run
        env = os.environ | {"YUSUAN_WAREHOUSE_PATH": building.name}
        cwd = building.parent
        _reuse_parse(settings.dbt_parse_cache, target)
        seeds = _seeds_fingerprint(settings.dbt_project)
        seeded = _seeded(building) == seeds
        build = [*where, *(_SEEDS_BUILT if seeded else [])]
        seen: set[tuple[str, int | None]] = set()
        while (failure := _dbt_build(build, env, cwd, target)) is not None:
            _hold_or_fail(settings, run_id, building, failure, target, seen)
            _step("transform", "dbt build again, without the tables held")
        if not seeded:
            _record_seeded(building, seeds)
        _keep_parse(target, settings.dbt_parse_cache)
        results = json.loads((target / "run_results.json").read_text()).get("results", [])
        if settings.dbt_docs:
            _dbt_docs([_DBT, "docs", "generate", "--no-compile", *where], env, cwd)
    statuses = [r["status"] for r in results]
    return {s: statuses.count(s) for s in sorted(set(statuses))}


_DBT = str(Path(sys.executable).with_name("dbt"))
# The reference lists (dbt seeds, extract/reference) and the tests of them alone change only
# with the project: a build leaves them out when the working copy holds the seeds of the
# same files (`_seeded`). Tests of models that refer to a seed still run (cautious: a test
# is left out only when every node it tests is).
_SEEDS_BUILT = ["--exclude", "path:seeds", "--indirect-selection", "cautious"]
_SEEDS_TABLE = "audit.reference_seeds"  # the fingerprint of the seeds the marts were built on
_PARSE = "partial_parse.msgpack"  # dbt's parse, in its target folder


def _reuse_parse(cache: Path | None, target: Path) -> None:
    """A home's first build starts from the parse the cache keeps (YUSUAN_DBT_PARSE_CACHE):
    dbt checks it against the project, the vars and the profile, and parses again when any
    of them differs, so a stale cache costs one parse, never a wrong build."""
    if cache is not None and cache.exists() and not (target / _PARSE).exists():
        target.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(cache, target / _PARSE)


def _keep_parse(target: Path, cache: Path | None) -> None:
    """Keep this build's parse for the next home's first build (written whole, then moved)."""
    if cache is not None and (target / _PARSE).exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_name(f"{cache.name}.{os.getpid()}.part")
        shutil.copyfile(target / _PARSE, partial)
        os.replace(partial, cache)


def _seeds_fingerprint(project: Path) -> str:
    """What the seeds' tables depend on: every file of the project's seeds (the reference
    CSVs and their yml), the project's configuration and dbt's version."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(f"dbt-core {version('dbt-core')}, {version('dbt-duckdb')}".encode())
    project = project.resolve()
    for path in [project / "dbt_project.yml", *sorted((project / "seeds").rglob("*"))]:
        if path.is_file():
            digest.update(path.relative_to(project).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _seeded(building: Path) -> str | None:
    """The fingerprint of the seeds the working copy's reference tables were built from
    (None: never recorded, build them)."""
    with warehouse.connect(building, read_only=True) as con:
        present = con.execute(
            "select count(*) from information_schema.tables"
            " where table_schema || '.' || table_name = ?",
            [_SEEDS_TABLE],
        ).fetchone()[0]
        if not present:
            return None
        row = con.execute(f"select fingerprint from {_SEEDS_TABLE}").fetchone()
    return row[0] if row else None


def _record_seeded(building: Path, fingerprint: str) -> None:
    """After a build that loaded the seeds and passed their tests: their fingerprint."""
    with warehouse.connect(building) as con:
        con.execute(f"create or replace table {_SEEDS_TABLE} (fingerprint varchar not null)")
        con.execute(f"insert into {_SEEDS_TABLE} values (?)", [fingerprint])


def _dbt_build(where: list[str], env: dict[str, str], cwd: Path, target: Path) -> str | None:
    """One `dbt build`; None when it passed, else the tail of its output."""
    (target / "run_results.json").unlink(missing_ok=True)
    done = subprocess.run(
        [_DBT, "build", "--exclude-resource-type", "unit_test", *where],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode == 0:
        return None
    return "\n".join((done.stdout + done.stderr).splitlines()[-15:])


def _hold_or_fail(
    settings: Settings,
    run_id: str,
    building: Path,
    failure: str,
    target: Path,
    seen: set[tuple[str, int | None]],
) -> None:
    """After a failing build: hold what this run's documents explain, or fail the run."""
    try:
        failed = holds.failed_tests(target)
    except (OSError, ValueError, KeyError) as exc:  # dbt stopped before it ran a node
        _fail(settings, run_id, Reason.TRANSFORM_FAILED, f"dbt build failed ({exc}):\n{failure}")
    with warehouse.connect(building) as con:
        traced, unexplained = holds.trace_tests(con, failed, _run_documents(con, run_id))
        new = [h for h in traced if (h.document_id, h.table_index) not in seen]
        if not unexplained and new:
            changed = warehouse.hold(con, new, run_id, settings.published)
    if unexplained or not new:
        why = "; ".join(unexplained) or "the tests fail on rows already held"
        _fail(settings, run_id, Reason.TRANSFORM_FAILED, f"dbt build failed: {why}\n{failure}")
    seen |= {(h.document_id, h.table_index) for h in new}
    _alert_holds(run_id, changed)


def _run_documents(con: Any, run_id: str) -> set[str]:
    """The documents this run loaded, whole or in part (what a hold may take out)."""
    from expectations.invariants import RUN_DOCUMENTS

    return {row[0] for row in con.execute(RUN_DOCUMENTS, {"run_id": run_id}).fetchall()}


def _alert_holds(run_id: str, changed: list[dict[str, Any]]) -> None:
    """Tell the maintainers which tables (or documents) a dbt test or gate 2 held."""
    log.warning(
        "held after gate 1: %s",
        "; ".join(f"{d.get('file_name')}: {d['status']} ({d['reason']})" for d in changed),
    )
    message = alerts.quarantine_message(run_id, changed)
    if message:
        alerts.send(*message)


def _dbt_docs(command: list[str], env: dict[str, str], cwd: Path) -> None:
    """`dbt docs generate` on the build just made (its manifest, no second compile): the
    docs site of the marts, beside the build's target. Docs are not data: a failure warns."""
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).splitlines()[-5:])
        log.warning("dbt docs generate failed (the run goes on):\n%s", tail)


def validate_marts(settings: Settings, run_id: str) -> dict[str, Any]:
    """Gate 2: Great Expectations on the marts of the working copy, and the warehouse's
    invariants (audit against raw.* and the marts).

    Blocking findings that each name a document of this run hold those documents' tables
    (yusuan.holds), and the marts are built and gated again without them; any other
    blocking finding (an invariant, a dimension, a missing table) keeps the run from
    publishing. Once nothing blocks, a version of a budget that loads whole takes the place
    of a live version held after gate 1 (yusuan.versions.swap_in), built and gated once
    more."""
    from expectations import validate_marts as gate
    from expectations.invariants import INVARIANTS

    _step("validate_marts")
    seen: set[tuple[str, int | None]] = set()
    swapped: list[str] | None = None  # versions swapped in after the last hold, once
    with _writing(settings, run_id):
        while True:
            building = _require_build(settings, run_id)
            try:
                checked = gate(building, settings.gx_root, run_id)
            except Exception as exc:
                _fail(settings, run_id, Reason.MARTS_GATE_ERROR, f"{type(exc).__name__}: {exc}")
            findings = [_finding_dict(f) for f in checked]
            blocking = [f for f in findings if f["severity"] == "block"]
            if not blocking and swapped is None:  # after the last hold: the live versions
                with warehouse.connect(building) as con:
                    swapped = versions.swap_in(con, run_id, settings.staging)
                if swapped:
                    log.warning("another version loads whole: %s", "; ".join(swapped))
                    transform(settings, run_id)
                    _step("validate_marts", "again, with the versions that load whole")
                    continue
            if not blocking:
                break
            with warehouse.connect(building) as con:
                traced, unexplained = holds.trace_findings(
                    con, blocking, _run_documents(con, run_id), set(INVARIANTS)
                )
                new = [h for h in traced if (h.document_id, h.table_index) not in seen]
                if unexplained or not new:
                    break  # publish keeps the last good warehouse
                changed = warehouse.hold(con, new, run_id, settings.published)
            seen |= {(h.document_id, h.table_index) for h in new}
            _alert_holds(run_id, changed)
            transform(settings, run_id)
            _step("validate_marts", "again, without the tables held")
    return {"passed": not blocking, "findings": findings}


def publish(gate: dict[str, Any], settings: Settings, run_id: str) -> dict[str, Any]:
    """Publish the working copy if gate 2 passed and no other run published since this one
    started its copy; otherwise keep the last good warehouse."""
    _step("publish")
    with _writing(settings, run_id):
        building = _require_build(settings, run_id)
        findings = [f | {"run_id": run_id} for f in gate["findings"]]
        with warehouse.connect(building) as con:
            warehouse.record_audit(con, [], findings)
        if not gate["passed"]:
            blocking = [f["detail"] for f in findings if f["severity"] == "block"]
            _fail(settings, run_id, Reason.MARTS_GATE, "; ".join(blocking[:5]))
        try:
            warehouse.publish(building, settings.published)
        except warehouse.ConcurrentWrite as exc:
            _fail(settings, run_id, Reason.CONCURRENT_WRITE, str(exc))
        bi = publish_postgres(settings, run_id)
    _build_docs(settings)
    return {"published": True, "warehouse": str(settings.published), **bi}


def publish_verdicts(settings: Settings, run_id: str) -> dict[str, Any]:
    """A run that loads nothing (every source already loaded, or quarantined) changes no
    mart: its working copy differs from the published file by the audit rows alone, so it
    is published without a dbt build, a marts gate or Data Docs."""
    _step("publish", "the verdicts alone: no document changes the marts")
    with _writing(settings, run_id):
        try:
            warehouse.publish(_require_build(settings, run_id), settings.published)
        except warehouse.ConcurrentWrite as exc:
            _fail(settings, run_id, Reason.CONCURRENT_WRITE, str(exc))
        bi = publish_postgres(settings, run_id)
    return {"published": True, "warehouse": str(settings.published), **bi}


def publish_postgres(settings: Settings, run_id: str) -> dict[str, Any]:
    """After the DuckDB publish, its marts into PostgreSQL for BI (YUSUAN_BI_POSTGRES_URL;
    yusuan.bi_postgres), whole or not at all. A failure keeps the DuckDB publish: it is a
    finding in the published audit (`bi_postgres_failed`) and an alert, and PostgreSQL
    keeps the marts of the last run that reached it. Call it holding the lock."""
    if not settings.bi_postgres_url:
        return {}
    from yusuan import bi_postgres

    _step("publish", "the marts into PostgreSQL")
    try:
        counts = bi_postgres.publish_marts(
            settings.published, settings.bi_postgres_url, settings.limits.lock_timeout_s
        )
    except Exception as exc:  # the DuckDB publish stands; BI on PostgreSQL lags one run
        detail = f"the marts were not written into PostgreSQL: {type(exc).__name__}: {exc}"
        log.error("%s", detail)
        finding = {"run_id": run_id, "severity": "warn", "check": bi_postgres.FAILED}
        warehouse.record_published_findings(settings.published, [finding | {"detail": detail}])
        alerts.send(
            f"[yusuan] run {run_id}: {bi_postgres.FAILED}",
            f"{detail}\n\nThe DuckDB warehouse {settings.published} is published; BI on "
            "PostgreSQL keeps reading the marts of the last run that reached it.",
        )
        return {"bi_postgres": {"failed": detail}}
    return {"bi_postgres": {"tables": len(counts), "rows": sum(counts.values())}}


def remove(
    document_ids: list[str], settings: Settings, run_id: str | None = None
) -> dict[str, Any]:
    """Take documents out of the warehouse, on the user's word (`yusuan remove`): their
    rows leave raw.* and the marts, the audit records 'skipped' / 'removed', and the
    warehouse is rebuilt, gated and published as a load is. An id may be a prefix of 12 or
    more characters of a document id."""
    run_id = run_id or f"remove__{now().strftime('%Y%m%dT%H%M%S.%f')}"
    with _writing(settings, run_id):
        _step("remove", ", ".join(document_ids))
        _prepare_build(settings, run_id)
        with warehouse.connect(settings.building(run_id)) as con:
            found = warehouse.documents_by_id(con, document_ids)
            unknown = [
                i for i in document_ids if not any(d["document_id"].startswith(i) for d in found)
            ]
            if unknown:
                warehouse.discard(settings.building(run_id))
                raise RunFailed(f"not in the warehouse: {', '.join(unknown)}")
            stamp: Doc = {"run_id": run_id, "checked_at": now()}
            rows: list[Doc] = []
            for found_doc in found:
                warehouse.remove_document(con, found_doc["document_id"])
                detail = "removed by `yusuan remove`"
                removed: Doc = {
                    "document_id": found_doc["document_id"],
                    "file_name": found_doc["file_name"],
                    "source_uri": found_doc["source_uri"],
                }
                rows.append(removed | _verdict(Status.SKIPPED, Reason.REMOVED, detail) | stamp)
            warehouse.record_audit(con, rows, [])
        transform(settings, run_id)
        result = publish(validate_marts(settings, run_id), settings, run_id)
    return {"run_id": run_id, "removed": [d["file_name"] for d in found], **result}


def run(
    sources: list[str],
    settings: Settings,
    run_id: str | None = None,
    workers: int = 1,
    progress: OnExtracted | None = None,
    on_validated: OnExtracted | None = None,
) -> dict[str, Any]:
    """All steps in order, holding the warehouse's lock throughout: what `yusuan load`
    does. The report gives each step's seconds (`stages`; validate_marts counts the builds
    again after a hold). `progress` hears of each document extracted, `on_validated` of
    each through gate 1."""
    run_id = run_id or f"cli__{now().strftime('%Y%m%dT%H%M%S.%f')}"
    stages: dict[str, float] = {}
    timed = partial(_timed, stages)
    with _writing(settings, run_id):
        with timed("pull"):
            docs = pull(sources, settings)
        with timed("extract"):
            docs = _scoped(extract_all(docs, settings, workers, progress), settings)
        with timed("validate"):
            _step("validate", "gate 1")
            docs = validate_all(docs, settings, on_validated)
        changes = any(doc["status"] == Status.PASSED for doc in docs)
        with timed("load"):
            load(docs, settings, run_id)
        if changes:
            with timed("transform"):
                transform(settings, run_id)
            with timed("validate_marts"):
                gate = validate_marts(settings, run_id)
            with timed("publish"):
                result = publish(gate, settings, run_id)
        else:
            with timed("publish"):
                result = publish_verdicts(settings, run_id)
        counts = warehouse.mart_counts(settings.published)
    # the verdicts as published: a dbt test or gate 2 may have held tables after the load
    verdicts = warehouse.run_verdicts(settings.published, run_id)
    statuses = [v["status"] for v in verdicts]
    return {
        "run_id": run_id,
        "documents": {s: statuses.count(s) for s in STATUSES},
        "verdicts": verdicts,
        "marts": counts,
        "stages": stages,
        **result,
    }


@contextmanager
def _timed(stages: dict[str, float], name: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        stages[name] = time.perf_counter() - start
