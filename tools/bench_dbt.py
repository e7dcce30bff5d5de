"""The transform step's fixed cost: the dbt build of a load, with the seeds to build and with
the seeds already in the warehouse, measured side by side in one run.

    python -m tools.bench_dbt WAREHOUSE [--repeat 3]

WAREHOUSE is a warehouse `yusuan load` published (it is only read). A working copy of it
is built once (dbt's parse made, the seeds recorded), then `yusuan.pipeline.transform`
runs on fresh copies of that build, alternating: `seeds built` (a later run: the seeds and
the tests of the seeds alone are left out) and `seeds to build` (the warehouse's first
build, or seed files changed: its `audit.reference_seeds` emptied). Reported per variant:
the median wall seconds and the median CPU seconds of dbt's process (user + system, which
a busy machine changes less than the wall), and the ratio to `seeds to build`.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from yusuan import pipeline, warehouse
from yusuan.settings import Settings

VARIANTS = ("seeds to build", "seeds built")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _transform(settings: Settings, built: Path, variant: str, n: int) -> tuple[float, float]:
    """One transform on a copy of `built`: (wall s, CPU s of its dbt process)."""
    run_id = f"bench__{n}"
    building = settings.building(run_id)
    warehouse.prepare_build(built, building)
    if variant == "seeds to build":
        with warehouse.connect(building) as con:
            con.execute("delete from audit.reference_seeds")
    cpu, started = _children_cpu(), time.perf_counter()
    pipeline.transform(settings, run_id)
    wall, cpu = time.perf_counter() - started, _children_cpu() - cpu
    warehouse.discard(building)
    return wall, cpu


def bench(source: Path, repeat: int) -> dict[str, dict[str, float]]:
    with tempfile.TemporaryDirectory(prefix="bench-dbt-") as tmp:
        home = Path(tmp)
        settings = Settings(home=home, warehouse=home / "warehouse.duckdb")
        shutil.copyfile(source, settings.published)
        # once, unmeasured: dbt's parse in this home, the seeds recorded in the build
        warehouse.prepare_build(settings.published, settings.building("bench__base"))
        pipeline.transform(settings, "bench__base")
        built = home / "built.duckdb"
        shutil.copyfile(settings.building("bench__base"), built)
        warehouse.discard(settings.building("bench__base"))
        times: dict[str, list[tuple[float, float]]] = {v: [] for v in VARIANTS}
        for n in range(repeat):
            for variant in VARIANTS:
                times[variant].append(_transform(settings, built, variant, n))
    return {
        variant: {
            "wall_s": statistics.median(w for w, _ in runs),
            "cpu_s": statistics.median(c for _, c in runs),
        }
        for variant, runs in times.items()
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_dbt", description=__doc__)
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    result = bench(args.warehouse, args.repeat)
    base = result[VARIANTS[0]]
    print(f"{'dbt build of a load':<22} {'wall s':>8} {'ratio':>6} {'CPU s':>8} {'ratio':>6}")
    for variant, measured in result.items():
        print(
            f"{variant:<22} {measured['wall_s']:8.1f} {measured['wall_s'] / base['wall_s']:6.2f}"
            f" {measured['cpu_s']:8.1f} {measured['cpu_s'] / base['cpu_s']:6.2f}"
        )


if __name__ == "__main__":
    main()
