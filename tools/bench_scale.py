"""Province scale: load generated department budgets in steps and say what each step costs.

    python -m tools.bench_scale [--steps 50,200,500] [--json PATH] [--work DIR]

The documents come from tools.province (rendered once per work folder, cached by spec
hash). At each step the warehouse grows to N documents with one `yusuan load` (the real
CLI, a child process), then 10 new documents are added, then a run over all of them changes
nothing. For each run: wall seconds, each stage's seconds (the CLI's summary), pages/s, and
the peak RSS while each stage ran (sampled every 0.1 s over the CLI and every process under
it: extraction workers, dbt; `largest` is the largest single process, `all` their sum).
Then five BI questions over the published warehouse of N, timed over `--bi-runs` runs each
(p50, p95). The baseline, measured in the same run on the first step's files: bare
pdfplumber `extract_tables()` on every page, one process; `vs bare` is a load's pages/s
over the baseline's (above 1: faster than bare pdfplumber).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tools import province
from yusuan.settings import PROJECT_ROOT

STAGES = ("pull", "extract", "validate", "load", "transform", "validate_marts", "publish")
_STEP_LINE = re.compile(r"^\[yusuan\] (\w+)")
_STAGES_LINE = re.compile(r"^stages: (.*)$", re.MULTILINE)
_RUN_LINE = re.compile(r"^run \S+: (.*)$", re.MULTILINE)
MB = 1024 * 1024

# --------------------------------------------------------------------- one measured run


@dataclass
class Peaks:
    """Peak RSS (MB) per stage: of the largest process, and of all the run's processes."""

    largest: dict[str, float] = field(default_factory=dict)
    total: dict[str, float] = field(default_factory=dict)
    largest_name: dict[str, str] = field(default_factory=dict)

    def add(self, stage: str, sizes: list[tuple[float, Any]]) -> None:
        if not sizes:
            return
        biggest, process = max(sizes, key=lambda pair: pair[0])
        if biggest > self.largest.get(stage, 0):
            self.largest[stage], self.largest_name[stage] = biggest, _name(process)
        self.total[stage] = max(self.total.get(stage, 0.0), sum(size for size, _ in sizes))


def _tree(root: Any) -> list[tuple[float, Any]]:
    """(RSS in MB, process) of `root` and every process under it."""
    import psutil

    sizes = []
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return []
    for process in processes:
        try:
            sizes.append((process.memory_info().rss / MB, process))
        except psutil.Error:
            continue
    return sizes


def _name(process: Any) -> str:
    import psutil

    try:
        command = process.cmdline()
    except psutil.Error:
        return "?"
    return " ".join(Path(part).name for part in command[:3])[:60]


@dataclass
class Run:
    """One `yusuan load`: what it did and what it cost."""

    label: str
    documents: int  # sources given
    pages: int  # pages of the sources given
    seconds: float  # wall, process start to exit (imports included)
    stages: dict[str, float]
    outcome: str  # the CLI's "N loaded, M partial, …"
    rss_mb: Peaks
    returncode: int
    load_average: float  # of the machine over the minute before the run ended

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def load(label: str, catalog: Path, pages: int, documents: int, home: Path, workers: int) -> Run:
    """Run `yusuan load CATALOG` as a child process, sampling its process tree."""
    import psutil

    command = [
        str(Path(sys.executable).with_name("yusuan")),
        "load",
        str(catalog),
        "--home",
        str(home),
        "--warehouse",
        str(home / "warehouse.duckdb"),
        "--workers",
        str(workers),
    ]
    peaks = Peaks()
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=PROJECT_ROOT
    )
    stage = ["startup"]
    errors: list[str] = []

    def follow() -> None:  # the step lines on stderr say which stage runs
        assert child.stderr is not None
        for line in child.stderr:
            errors.append(line)
            match = _STEP_LINE.match(line)
            if match and match.group(1) in STAGES:
                stage[0] = match.group(1)

    reader = threading.Thread(target=follow, daemon=True)
    reader.start()
    root = psutil.Process(child.pid)
    while child.poll() is None:
        peaks.add(stage[0], _tree(root))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    reader.join()
    out = child.stdout.read() if child.stdout else ""
    if child.returncode:
        print(out + "".join(errors[-30:]), file=sys.stderr)
    return Run(
        label=label,
        documents=documents,
        pages=pages,
        seconds=seconds,
        stages=_stages(out),
        outcome=_outcome(out),
        rss_mb=peaks,
        returncode=child.returncode,
        load_average=os.getloadavg()[0],
    )


def _outcome(out: str) -> str:
    """The CLI's `run …: 3 loaded, 0 partial, …` counts."""
    match = _RUN_LINE.search(out)
    return match.group(1) if match else "?"


def _stages(out: str) -> dict[str, float]:
    """The CLI's `stages: pull 0.1 s, extract 3.2 s, …` line as a dict."""
    match = _STAGES_LINE.search(out)
    if not match:
        return {}
    pairs = (part.rsplit(" ", 2) for part in match.group(1).split(", "))
    return {name: float(seconds) for name, seconds, _ in pairs}


# ------------------------------------------------------------------------------ baseline


def bare_pdfplumber(files: Sequence[Path]) -> tuple[float, int]:
    """Seconds for pdfplumber's `extract_tables()` on every page of `files`, one process;
    and the pages."""
    import pdfplumber

    pages = 0
    started = time.perf_counter()
    for path in files:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_tables()
                pages += 1
    return time.perf_counter() - started, pages


def page_counts(files: Sequence[Path]) -> list[int]:
    import pypdfium2

    counts = []
    for path in files:
        pdf = pypdfium2.PdfDocument(str(path))
        counts.append(len(pdf))
        pdf.close()
    return counts


# ---------------------------------------------------------------------------- BI queries

# Five questions a BI user asks of a province; $parameters are picked from the warehouse.
BI_QUERIES: dict[str, str] = {
    "department by function class over years": """
        select e.fiscal_year, f.class_code, f.class_name, sum(e.total_yuan) as total_yuan
        from marts.fct_expenditure e
        join marts.dim_function_code f using (function_code)
        where e.department_key = $department and e.budget_scope = 'all_funds'
          and e.code_level = 3
        group by all order by all""",
    "region's 三公 by year": """
        select t.fiscal_year, t.category, sum(t.amount_yuan) as amount_yuan
        from marts.fct_three_public t
        join marts.dim_department d using (department_key)
        where d.region = $region
        group by all order by all""",
    "top projects by amount": """
        select p.project_name, d.department_name, d.region, p.fiscal_year, p.amount_yuan
        from marts.dim_project p
        join marts.dim_department d using (department_key)
        order by p.amount_yuan desc, p.project_key limit 20""",
    "indicators of one project": """
        select level1_name, level2_name, level3_name, target_raw, description
        from marts.fct_indicator
        where project_key = $project
        order by table_index, row_index""",
    "quarantined documents by reason": """
        select reason, count(*) as documents
        from (
            select document_id, arg_max(status, checked_at) as status,
                   arg_max(reason, checked_at) as reason
            from audit.document_loads group by document_id
        )
        where status = 'quarantined'
        group by reason order by documents desc""",
}

_PARAMETERS = {
    # the department with the most years, the region with the most documents, the largest project
    "department": """select department_key from marts.dim_document group by 1
                     order by count(distinct fiscal_year) desc, 1 limit 1""",
    "region": """select region from marts.dim_document join marts.dim_department
                 using (department_key) group by 1 order by count(*) desc, 1 limit 1""",
    "project": """select project_key from marts.dim_project
                  order by amount_yuan desc, project_key limit 1""",
}


def bi(warehouse: Path, runs: int) -> dict[str, dict[str, float]]:
    """p50 and p95 milliseconds of each BI question over `runs` runs (one read-only
    connection, as a BI tool keeps one), and the rows it returned."""
    import duckdb

    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        values = {
            name: (con.execute(sql).fetchone() or [None])[0] for name, sql in _PARAMETERS.items()
        }
        result = {}
        for question, sql in BI_QUERIES.items():
            wanted = {name: values[name] for name in values if f"${name}" in sql}
            times, rows = [], 0
            for _ in range(runs):
                started = time.perf_counter()
                rows = len(con.execute(sql, wanted).fetchall())
                times.append((time.perf_counter() - started) * 1000)
            cuts = statistics.quantiles(times, n=20, method="inclusive")
            result[question] = {
                "p50_ms": statistics.median(times),
                "p95_ms": cuts[18],
                "rows": rows,
            }
        return result
    finally:
        con.close()


# --------------------------------------------------------------------------- the bench


@dataclass
class Step:
    n: int
    warehouse_mb: float
    runs: list[Run]
    bi: dict[str, dict[str, float]]


def _catalog(work: Path, name: str, documents: Sequence[Any], pdfs: Sequence[Path]) -> Path:
    return province.catalog(work / "pdfs" / f"{name}.yaml", documents, pdfs)


def bench(
    steps: Sequence[int], work: Path, seed: int, workers: int, bi_runs: int, out: Path | None
) -> dict[str, Any]:
    """Grow one warehouse through `steps`; `out` gets the JSON after every step."""
    pool = province.specs(max(steps) + 10 * len(steps), seed)
    rendered = province.render(pool, work / "pdfs", workers)
    pdfs, pages = rendered.paths, page_counts(rendered.paths)
    print(
        f"{len(pool)} documents, {sum(pages)} pages; rendered {rendered.rendered} "
        f"in {rendered.seconds:.1f} s (the others cached in {work / 'pdfs'})",
        flush=True,
    )
    first = pdfs[: steps[0]]
    base_seconds, base_pages = bare_pdfplumber(first)
    rate = base_pages / base_seconds
    print(
        f"baseline: bare pdfplumber extract_tables(), one process: {base_pages} pages "
        f"in {base_seconds:.1f} s, {rate:.1f} pages/s",
        flush=True,
    )
    result: dict[str, Any] = {
        "seed": seed,
        "workers": workers,
        "cpus": os.cpu_count(),
        "render": {
            "documents": len(pool),
            "pages": sum(pages),
            "rendered": rendered.rendered,
            "seconds": rendered.seconds,
        },
        "baseline": {
            "what": "pdfplumber extract_tables(), one process",
            "documents": len(first),
            "pages": base_pages,
            "seconds": base_seconds,
        },
        "steps": [],
    }
    home = work / "home"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    loaded = 0

    def run(label: str, name: str, part: slice) -> Run:
        catalog = _catalog(work, name, pool[part], pdfs[part])
        documents = len(pdfs[part])
        return load(label, catalog, sum(pages[part]), documents, home, workers)

    for n in steps:
        runs = []
        if n > loaded:
            runs.append(run(f"load {n - loaded} into {loaded}", f"load-{n}", slice(loaded, n)))
            loaded = n
        size = (home / "warehouse.duckdb").stat().st_size / MB
        step = Step(loaded, size, runs, bi(home / "warehouse.duckdb", bi_runs))
        runs.append(run(f"add 10 to {loaded}", f"add-{loaded}", slice(loaded, loaded + 10)))
        loaded += 10
        runs.append(run(f"no change, {loaded}", f"all-{loaded}", slice(0, loaded)))
        _print_step(step, rate)
        result["steps"].append(_step_json(step, rate))
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(result, ensure_ascii=False, indent=1))
        if any(r.returncode for r in runs):
            break
    return result


def _step_json(step: Step, base_rate: float) -> dict[str, Any]:
    runs = []
    for run in step.runs:
        record = asdict(run)
        record["pages_per_s"] = run.pages_per_s
        record["vs_bare"] = run.pages_per_s / base_rate
        runs.append(record)
    return {"n": step.n, "warehouse_mb": step.warehouse_mb, "runs": runs, "bi": step.bi}


def _print_step(step: Step, base_rate: float) -> None:
    print(f"\nwarehouse of {step.n} documents ({step.warehouse_mb:.0f} MB)")
    head = f"{'run':<22}{'docs':>6}{'pages':>7}{'wall s':>8}{'pages/s':>9}{'vs bare':>8}"
    print(head + "".join(f"{name[:9]:>10}" for name in STAGES) + f"{'peak MB':>9}{'load':>6}")
    for run in step.runs:
        cells = "".join(
            f"{run.stages[s]:>10.1f}" if s in run.stages else f"{'-':>10}" for s in STAGES
        )
        peak = max(run.rss_mb.largest.values(), default=0)
        print(
            f"{run.label:<22}{run.documents:>6}{run.pages:>7}{run.seconds:>8.1f}"
            f"{run.pages_per_s:>9.1f}{run.pages_per_s / base_rate:>8.2f}{cells}{peak:>9.0f}"
            f"{run.load_average:>6.1f}"
        )
        if run.returncode:
            print(f"  FAILED (exit {run.returncode})")
    load = step.runs[0]
    print("peak RSS per stage of the first run, MB (largest process / all processes):")
    print("  " + ", ".join(
        f"{s} {load.rss_mb.largest[s]:.0f}/{load.rss_mb.total[s]:.0f}"
        for s in ("startup", *STAGES) if s in load.rss_mb.largest
    ))  # fmt: skip
    print("BI over the warehouse, ms (p50 / p95):")
    for question, timing in step.bi.items():
        print(f"  {question:<40}{timing['p50_ms']:>8.1f}{timing['p95_ms']:>8.1f}"
              f"   {int(timing['rows'])} rows")  # fmt: skip
    sys.stdout.flush()


def curve(result: dict[str, Any]) -> str:
    """The curve as a markdown table: one row per run, seconds per step, peaks, BI p95."""
    names = {"validate": "gate 1", "transform": "dbt", "validate_marts": "gate 2"}
    head = ["run", "pages", "wall s", "pages/s", "vs bare"]
    head += [names.get(stage, stage) for stage in STAGES] + ["peak MB (one / all)"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for step in result["steps"]:
        for run in step["runs"]:
            peaks = run["rss_mb"]
            rates = [f"{run['pages_per_s']:.1f}", f"{run['vs_bare']:.2f}"]
            if run["label"].startswith("no change"):  # reads no page
                rates = ["-", "-"]
            cells = [run["label"], str(run["pages"]), f"{run['seconds']:.1f}", *rates]
            cells += [f"{run['stages'][s]:.1f}" if s in run["stages"] else "-" for s in STAGES]
            cells.append(
                f"{max(peaks['largest'].values()):.0f} / {max(peaks['total'].values()):.0f}"
            )
            lines.append("| " + " | ".join(cells) + " |")
    questions = list(result["steps"][0]["bi"]) if result["steps"] else []
    lines += ["", "| BI p95, ms | " + " | ".join(f"N = {s['n']}" for s in result["steps"]) + " |"]
    lines.append("|" + " --- |" * (1 + len(result["steps"])))
    for question in questions:
        p95 = [f"{step['bi'][question]['p95_ms']:.1f}" for step in result["steps"]]
        lines.append(f"| {question} | " + " | ".join(p95) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_scale", description=__doc__)
    parser.add_argument("--steps", default="50,200,500", help="warehouse sizes, e.g. 100,500,2000")
    parser.add_argument("--work", type=Path, default=PROJECT_ROOT / ".yusuan" / "bench-scale")
    parser.add_argument("--json", type=Path, help="write the results here too")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--bi-runs", type=int, default=50)
    parser.add_argument("--table", type=Path, help="print the curve of a JSON result and exit")
    args = parser.parse_args(argv)
    if args.table:
        print(curve(json.loads(args.table.read_text())))
        return 0
    steps = sorted(int(step) for step in args.steps.split(","))
    result = bench(steps, args.work, args.seed, args.workers, args.bi_runs, args.json)
    print("\n" + curve(result))
    failed = any(run["returncode"] for step in result["steps"] for run in step["runs"])
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
