"""Do the two page readers give the same rows? Every PDF read with PDFium and with pdfminer.

    python -m tools.readercheck [PDF_OR_DIR ...] [-j WORKERS]

extract.pdf.read_pages reads a page's objects with PDFium (extract/pdfium.py) or with
pdfminer; the rows must not depend on which. For each PDF (default: every PDF under
tests/pdfs) this extracts the document both ways and compares what extraction hands on:
the document row, every staged frame row by row, the problems and the tables found (their
boxes to BOX_TOLERANCE: PDFium keeps coordinates in single precision). It
prints each file that differs with its first differences, then the count of pages each
reader read and the seconds each took; exits 1 when a file differs.
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from yusuan.settings import PROJECT_ROOT

PDFS = PROJECT_ROOT / "tests" / "pdfs"
_FOUND = "[3]"  # the tables found (Extracted.tables), for the document's report
BOX_TOLERANCE = 0.05  # points: PDFium keeps coordinates in single precision


def _read(path: Path, reader: str) -> tuple[Any, float]:
    from extract.document import extract_document
    from extract.errors import DocumentRejected

    started = time.perf_counter()
    try:
        extracted = extract_document(path, document_id="check", source_uri=str(path), reader=reader)
        result: Any = (
            extracted.document,
            extracted.frames,
            [repr(p) for p in extracted.problems],
            extracted.tables,
        )
    except DocumentRejected as exc:
        result = ("rejected", exc.reason, str(exc))
    return result, time.perf_counter() - started


def _differences(old: Any, new: Any, where: str = "") -> list[str]:
    if type(old) is not type(new):
        return [f"{where}: {old!r} != {new!r}"]
    if isinstance(old, dict):
        found = []
        for key in sorted(set(old) | set(new), key=str):
            found += _differences(old.get(key), new.get(key), f"{where}.{key}")
        return found
    if isinstance(old, list | tuple):
        found = [f"{where}: {len(old)} != {len(new)} items"] if len(old) != len(new) else []
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            found += _differences(a, b, f"{where}[{i}]")
        return found
    if isinstance(old, float) and where.startswith(_FOUND) and abs(old - new) <= BOX_TOLERANCE:
        return []  # a found table's box, for the report: the readers' rounding differs
    return [] if old == new else [f"{where}: {old!r} != {new!r}"]


def check(path: Path) -> tuple[str, list[str], float, float]:
    old, old_seconds = _read(path, "pdfminer")
    new, new_seconds = _read(path, "pdfium")
    return str(path), _differences(old, new), old_seconds, new_seconds


def pdfs(targets: list[Path]) -> list[Path]:
    return sorted(
        p for t in targets for p in ([t] if t.is_file() else t.rglob("*.pdf")) if p.suffix == ".pdf"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", type=Path, default=[PDFS])
    parser.add_argument("-j", "--workers", type=int, default=1)
    args = parser.parse_args(argv)
    files = pdfs(args.targets)
    differ = 0
    seconds = [0.0, 0.0]
    with ProcessPoolExecutor(args.workers) as pool:
        for name, found, old_seconds, new_seconds in pool.map(check, files):
            seconds[0] += old_seconds
            seconds[1] += new_seconds
            if found:
                differ += 1
                print(f"DIFFERS {name}: {len(found)} differences")
                for line in found[:8]:
                    print(f"    {line}")
    print(
        f"{len(files)} PDFs, {differ} differ; extraction seconds: pdfminer {seconds[0]:.1f}, "
        f"pdfium {seconds[1]:.1f}"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    raise SystemExit(main())
