"""A drill of what a bad row costs: a run over real PDFs in which one document's row fails
a dbt test and another's facts fail gate 2, both after gate 1 passed them.

    python -m tools.holds_drill [PDF_DIR ...]

Runs the pipeline's steps (pull, extract, gate 1), breaks one staged row of each of two
documents (a 收支总表 line of class 266: dbt's `relationships` to the national list; a
function table's 项 row doubled: gate 2's totals against the printed 合计), then load,
transform, gate 2 and publish. Prints each document's verdict, whether the run published,
and the seconds each step took: the holds' rebuilds are the cost of a bad row. Baseline:
the same documents unbroken, loaded in the same way into another warehouse.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from yusuan import pipeline, warehouse
from yusuan.pipeline import Doc
from yusuan.settings import PROJECT_ROOT, Settings

PDFS = PROJECT_ROOT / "tests" / "pdfs"
DEFAULT_DIRS = [PDFS / "samples", PDFS / "real", PDFS / "real-jiangsu"]


def _rewrite(doc: Doc, family: str, change: Any) -> bool:
    """Apply `change` to the rows of one staged family; True if it changed one."""
    path = Path(doc["staging_dir"]) / f"{family}.parquet"
    if not path.exists():
        return False
    table = pq.read_table(path)
    rows = table.to_pylist()
    if not change(rows):
        return False
    pq.write_table(pa.Table.from_pylist(rows, schema=table.schema), path)
    return True


def _class_266(rows: list[dict[str, Any]]) -> bool:
    row = next((r for r in rows if r.get("class_code")), None)
    if row is not None:
        row["class_code"] = "266"
    return row is not None


def _doubled(rows: list[dict[str, Any]]) -> bool:
    row = next((r for r in rows if r["code_level"] == 3 and r["total_yuan"]), None)
    if row is not None:
        row["total_yuan"] *= 2
    return row is not None


def _timed(steps: dict[str, float], name: str, call: Any, *args: Any) -> Any:
    start = time.perf_counter()
    result = call(*args)
    steps[name] = time.perf_counter() - start
    return result


def drill(sources: list[Path], home: Path, *, broken: bool) -> tuple[dict[str, float], Settings]:
    settings = Settings(home=home, warehouse=home / "bi.duckdb")
    steps: dict[str, float] = {}

    def gate1() -> list[Doc]:
        pulled = pipeline.pull([str(s) for s in sources], settings)
        return pipeline.validate_all(pipeline.extract_all(pulled, settings, 2), settings)

    docs = _timed(steps, "gate 1", gate1)
    if broken:
        passed = [d for d in docs if d["status"] == "passed" and not d.get("held")]
        dbt_bad = next(d for d in passed if _rewrite(d, "budget_summary", _class_266))
        gate_bad = next(
            d for d in passed if d is not dbt_bad and _rewrite(d, "function_expenditure", _doubled)
        )
        print(f"broken for dbt: {dbt_bad['file_name']}; for gate 2: {gate_bad['file_name']}")
    run_id = "drill"
    _timed(steps, "load", pipeline.load, docs, settings, run_id)
    _timed(steps, "transform", pipeline.transform, settings, run_id)
    gate = _timed(steps, "gate 2", pipeline.validate_marts, settings, run_id)
    _timed(steps, "publish", pipeline.publish, gate, settings, run_id)
    return steps, settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", type=Path, default=DEFAULT_DIRS)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base, _ = drill(args.dirs, Path(tmp) / "baseline", broken=False)
        steps, settings = drill(args.dirs, Path(tmp) / "broken", broken=True)
        verdicts = warehouse.run_verdicts(settings.published, "drill")
    counts: dict[str, int] = {}
    for verdict in verdicts:
        counts[verdict["status"]] = counts.get(verdict["status"], 0) + 1
        if verdict["reason"] in ("model_test", "marts_gate"):
            print(f"  {verdict['status']:<11} {verdict['file_name']}: {verdict['reason']}")
    print(f"published; {len(verdicts)} documents: {counts}")
    print(f"{'step':<10} {'baseline s':>10} {'broken s':>10}")
    for name in base:
        print(f"{name:<10} {base[name]:>10.1f} {steps[name]:>10.1f}")
    after = sum(steps[s] for s in ("transform", "gate 2"))
    before = sum(base[s] for s in ("transform", "gate 2"))
    print(f"transform + gate 2: {after:.1f} s against {before:.1f} s ({after / before:.2f}x)")


if __name__ == "__main__":
    main()
