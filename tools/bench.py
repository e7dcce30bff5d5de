"""Benchmark extraction against a baseline measured in the same run.

    python -m tools.bench [PDF_DIR ...] [--repeat N]

Baseline: pdfplumber opening each PDF and calling `page.extract_text()` on every page,
the least any text extraction of these files must do. Measured: `extract_document`
(tables found, merged cells resolved, families parsed), the pipeline's extract step over
all CPUs, and gate 1 (Great Expectations on every document's staged rows, warm; a document
at a time, and in batches as `yusuan load` runs it). Reported
as seconds, pages per second and the ratio measured / baseline, so numbers compare across
machines.

Then a whole cold `yusuan load` (the CLI as a child process, a fresh home, all CPUs) of the
real PDFs in tests/pdfs (real, real-jiangsu, real-national), once with each page reader
(YUSUAN_PAGE_READER), against bare pdfplumber: `extract_tables()` on every page of the
same files in one process. Its ratio is the baseline's seconds over the load's (above 1:
the load is faster), and the load's extract and gate 1 stages are shown apart from the
fixed costs (imports, dbt build, gate 2, publish).

Then two numbers the tests used to assert as times, each against its own baseline: parsing
the DAG file in an interpreter that has imported Airflow (baseline: that import alone), and
rendering the sample PDFs (baseline: reportlab rendering one empty page per sample).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from extract.document import extract_document
from yusuan.settings import PROJECT_ROOT

PDFS = PROJECT_ROOT / "tests" / "pdfs"
DEFAULT_DIRS = [PDFS / "samples", PDFS / "real"]
REAL_DIRS = [PDFS / "real", PDFS / "real-jiangsu", PDFS / "real-national"]
READERS = ("pdfminer", "pdfium")


def baseline(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
        return len(pdf.pages)


def measured(path: Path, reader: str = "pdfium") -> int:
    extracted = extract_document(path, document_id="bench", source_uri=str(path), reader=reader)
    return int(extracted.document["page_count"])


def measured_pdfminer(path: Path) -> int:
    return measured(path, "pdfminer")


def parallel(files: list[Path], workers: int) -> float:
    """The pipeline's extract step over all files in `workers` processes (seconds)."""
    import tempfile

    from yusuan.pipeline import extract_all, pull
    from yusuan.settings import Settings

    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home))
        docs = pull([str(f) for f in files], settings)
        started = time.perf_counter()
        extract_all(docs, settings, workers)
        return time.perf_counter() - started


def gate_one(files: list[Path], repeat: int) -> tuple[float, float]:
    """Gate 1 over every document's staged rows, one document at a time and in batches as
    `yusuan load` runs it (seconds each, median of `repeat` warm runs)."""
    import tempfile

    from expectations import validate_document, validate_documents
    from extract.document import read_staging, write_staging

    with tempfile.TemporaryDirectory() as scratch:
        staged = []
        for path in files:
            extracted = extract_document(path, document_id=path.name, source_uri=str(path))
            frames = read_staging(write_staging(extracted, Path(scratch) / "staging" / path.stem))
            staged.append((path.name, frames))
        gx_root = Path(scratch) / "gx"
        validate_documents(staged, gx_root)  # the first run sets the GX project up

        def alone(_: Path) -> int:
            for document_id, frames in staged:
                validate_document(document_id, frames, gx_root)
            return 0

        def batched(_: Path) -> int:
            validate_documents(staged, gx_root)
            return 0

        return timed(alone, [gx_root], repeat)[0], timed(batched, [gx_root], repeat)[0]


def bare_tables(path: Path) -> int:
    """Bare pdfplumber: `extract_tables()` on every page (the baseline of a whole load)."""
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
        return len(pdf.pages)


def cold_load(files: list[Path], reader: str) -> tuple[float, dict[str, float]]:
    """Wall seconds of one `yusuan load` of `files` into a fresh home (a child process,
    nothing cached from another run), and its stages' seconds (its summary line)."""
    import re

    with tempfile.TemporaryDirectory() as home:
        command = [
            str(Path(sys.executable).with_name("yusuan")), "load", *map(str, files),
            "--home", home, "--warehouse", str(Path(home) / "warehouse.duckdb"),
        ]  # fmt: skip
        environment = {**os.environ, "YUSUAN_PAGE_READER": reader}
        started = time.perf_counter()
        out = subprocess.run(
            command, capture_output=True, text=True, env=environment, cwd=PROJECT_ROOT
        )
        seconds = time.perf_counter() - started
    if out.returncode != 0:
        raise RuntimeError(f"yusuan load failed ({out.returncode}): {out.stderr[-2000:]}")
    found = re.search(r"^stages: (.*)$", out.stdout + out.stderr, re.MULTILINE)
    stages = {}
    for part in found.group(1).split(", ") if found else []:
        name, value, _ = part.rsplit(" ", 2)
        stages[name] = float(value)
    return seconds, stages


def whole_load(repeat: int) -> None:
    """Print the cold loads of the real PDFs, each reader, against bare pdfplumber."""
    files = sorted(p for d in REAL_DIRS for p in d.glob("*.pdf"))
    base, pages = timed(bare_tables, files, repeat)
    print(f"whole cold load: {len(files)} real PDFs, {pages} pages, median of {repeat} runs")
    print(f"{'':<34}{'seconds':>9}{'pages/s':>9}{'ratio':>7}{'extract':>9}{'gate 1':>8}")
    label = "baseline: pdfplumber extract_tables"
    print(f"{label:<34}{base:>9.2f}{pages / base:>9.1f}{1:>7.2f}")
    alone, _ = timed(measured, files, repeat)
    label = "extract_document, one process"
    print(f"{label:<34}{alone:>9.2f}{pages / alone:>9.1f}{base / alone:>7.2f}")
    for reader in READERS:
        runs = [cold_load(files, reader) for _ in range(repeat)]
        seconds = statistics.median(r[0] for r in runs)
        extract = statistics.median(r[1].get("extract", 0.0) for r in runs)
        gate = statistics.median(r[1].get("validate", 0.0) for r in runs)
        label = f"yusuan load, {reader} pages"
        print(
            f"{label:<34}{seconds:>9.2f}{pages / seconds:>9.1f}{base / seconds:>7.2f}"
            f"{extract:>9.2f}{gate:>8.2f}"
        )


DAG_PROBE = """
import time, runpy
started = time.perf_counter()
import airflow.sdk
imported = time.perf_counter()
{parse}
print(imported - started, time.perf_counter() - imported)
"""


def dag_parse(repeat: int) -> tuple[float, float]:
    """Median seconds to import airflow.sdk, and to parse the DAG file after it."""
    dag = PROJECT_ROOT / "dags" / "yusuan_load.py"
    runs = []
    for _ in range(repeat):
        probe = DAG_PROBE.format(parse=f"runpy.run_path({str(dag)!r})")
        out = subprocess.run(
            [sys.executable, "-c", probe], capture_output=True, text=True, check=True
        )
        runs.append(tuple(float(x) for x in out.stdout.split()[-2:]))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def samples(repeat: int) -> tuple[float, float]:
    """Median seconds to render every sample PDF, and one empty page per sample."""
    from reportlab.pdfgen.canvas import Canvas

    from tools import samplegen

    specs = samplegen.DEFAULT_SPECS
    with tempfile.TemporaryDirectory() as out:
        samplegen.render(specs[0], Path(out) / "warm.pdf")  # fonts register once

        def empty(_: Path) -> int:
            for n, _spec in enumerate(specs):
                Canvas(str(Path(out) / f"empty{n}.pdf")).save()
            return len(specs)

        def render(_: Path) -> int:
            for spec in specs:
                samplegen.render(spec, Path(out) / spec.file_name)
            return len(specs)

        base, _ = timed(empty, [Path(out)], repeat)
        ours, _ = timed(render, [Path(out)], repeat)
    return base, ours


def timed(work: Callable[[Path], int], files: list[Path], repeat: int) -> tuple[float, int]:
    """Median over `repeat` runs of the total seconds for all files; and the page count."""
    runs, pages = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        pages = sum(work(path) for path in files)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs), pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=DEFAULT_DIRS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--load-only", action="store_true", help="only the whole cold load against bare pdfplumber"
    )
    args = parser.parse_args(argv)
    if args.load_only:
        whole_load(args.repeat)
        return 0
    files = sorted(p for d in args.dirs for p in d.glob("*.pdf"))
    base, pages = timed(baseline, files, args.repeat)
    ours, _ = timed(measured, files, args.repeat)
    print(f"{len(files)} PDFs, {pages} pages, median of {args.repeat} runs")
    print(f"{'':<34}{'seconds':>9}{'pages/s':>9}{'ratio':>7}")
    print(f"{'baseline: pdfplumber extract_text':<34}{base:>9.2f}{pages / base:>9.1f}{1:>7.2f}")
    print(f"{'yusuan extract_document':<34}{ours:>9.2f}{pages / ours:>9.1f}{ours / base:>7.2f}")
    old, _ = timed(measured_pdfminer, files, args.repeat)
    label = "extract_document, pdfminer pages"
    print(f"{label:<34}{old:>9.2f}{pages / old:>9.1f}{old / base:>7.2f}")
    workers = os.cpu_count() or 1
    spread = statistics.median(parallel(files, workers) for _ in range(args.repeat))
    label = f"yusuan extract step, {workers} procs"
    print(f"{label:<34}{spread:>9.2f}{pages / spread:>9.1f}{spread / base:>7.2f}")
    alone, batched = gate_one(files, args.repeat)
    for label, gate in (("gate 1, a document at a time", alone), ("gate 1, batched", batched)):
        print(f"{label:<34}{gate:>9.2f}{pages / gate:>9.1f}{gate / base:>7.2f}")
    whole_load(args.repeat)
    imported, parsed = dag_parse(args.repeat)
    print(f"{'baseline: import airflow.sdk':<34}{imported:>9.2f}{'':>9}{1:>7.2f}")
    print(f"{'parse dags/yusuan_load.py':<34}{parsed:>9.2f}{'':>9}{parsed / imported:>7.2f}")
    empty, rendered = samples(args.repeat)
    print(f"{'baseline: reportlab empty pages':<34}{empty:>9.2f}{'':>9}{1:>7.2f}")
    label = "tools.samplegen, every sample"
    print(f"{label:<34}{rendered:>9.2f}{'':>9}{rendered / empty:>7.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
