"""Compare extraction with golden JSON: cell-level precision and recall per family.

    python -m extract.evaluate GOLDEN_DIR PDF_DIR

GOLDEN_DIR holds `<name>.json` files in the format of shared/samples/golden (one per PDF
`<name>.pdf` in PDF_DIR). A cell is one field of one row, keyed by the row's identity
(function code; project name; scope + project + 三级指标 + occurrence). Amounts compare
in 万元 as printed.
"""

from __future__ import annotations

import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from extract.document import Extracted, extract_document
from extract.pull import sha256_of

Cell = tuple[Any, ...]
WAN = Decimal(10000)


def _amount(value: Any) -> str:
    return f"{Decimal(str(value or 0)).normalize():f}"


def golden_cells(golden: dict[str, Any]) -> dict[str, set[Cell]]:
    cells: dict[str, set[Cell]] = defaultdict(set)
    for family, key in (
        ("function_rows", "general_public_budget"),
        ("function_rows_all_funds", "all_funds"),
    ):
        for row in golden.get(family) or []:
            for field in ("name", "total", "basic", "project"):
                value = row[field] if field == "name" else _amount(row[field])
                cells[family].add((key, row["code"], field, value))
    for project in golden.get("projects") or []:
        cells["projects"].add((project["name"], "amount", _amount(project["amount_wan"])))
    seen: Counter[tuple[Any, ...]] = Counter()
    for row in golden.get("indicators") or []:
        identity = (row["scope"], row["project"], row["level3"])
        seen[identity] += 1
        for field in ("level1", "level2", "value_raw", "description"):
            cells["indicators"].add((*identity, seen[identity], field, row[field]))
    return cells


def extracted_cells(extracted: Extracted) -> dict[str, set[Cell]]:
    cells: dict[str, set[Cell]] = defaultdict(set)
    done: set[tuple[str, str]] = set()
    for row in extracted.frames["function_expenditure"]:
        if row["row_kind"] != "code" or row["code_level"] != 3:
            continue
        scope = row["budget_scope"]
        if (scope, row["function_code"]) in done:
            continue
        done.add((scope, row["function_code"]))
        family = "function_rows" if scope == "general_public_budget" else "function_rows_all_funds"
        cells[family].add((scope, row["function_code"], "name", row["name"]))
        for field in ("total", "basic", "project"):
            value = row[f"{field}_yuan"]
            printed = _amount(value / WAN if value is not None else 0)
            cells[family].add((scope, row["function_code"], field, printed))
    for project in extracted.frames["projects"]:
        amount = project["amount_yuan"]
        printed = _amount(amount / WAN if amount is not None else 0)
        cells["projects"].add((project["project_name"], "amount", printed))
    seen: Counter[tuple[Any, ...]] = Counter()
    for row in extracted.frames["indicators"]:
        if not row["level3_name"]:
            continue
        key = (row["scope"], row["project_name"], row["level3_name"])
        seen[key] += 1
        values = {
            "level1": row["level1_name"],
            "level2": row["level2_name"],
            "value_raw": row["target_raw"],
            "description": row["description"],
        }
        for field, value in values.items():
            cells["indicators"].add((*key, seen[key], field, value))
    return cells


def score(
    pairs: Iterable[tuple[dict[str, set[Cell]], dict[str, set[Cell]]]],
) -> dict[str, dict[str, float]]:
    """Per family: precision, recall and counts over all (golden, extracted) pairs."""
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for golden, extracted in pairs:
        for family in golden:
            got = extracted.get(family, set())
            totals[family]["golden"] += len(golden[family])
            totals[family]["extracted"] += len(got)
            totals[family]["matched"] += len(golden[family] & got)
    return {
        family: {
            "precision": c["matched"] / c["extracted"] if c["extracted"] else 0.0,
            "recall": c["matched"] / c["golden"] if c["golden"] else 1.0,
            "golden": c["golden"],
            "extracted": c["extracted"],
        }
        for family, c in totals.items()
    }


def evaluate(golden_dir: Path, pdf_dir: Path) -> dict[str, dict[str, float]]:
    pairs = []
    for golden_path in sorted(golden_dir.glob("*.json")):
        golden = json.loads(golden_path.read_text())
        if "file" not in golden:
            continue
        pdf = pdf_dir / golden["file"]
        extracted = extract_document(pdf, document_id=sha256_of(pdf), source_uri=str(pdf))
        pairs.append((golden_cells(golden), extracted_cells(extracted)))
    return score(pairs)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 2:
        print(__doc__)
        return 2
    results = evaluate(Path(args[0]), Path(args[1]))
    print(f"{'family':<26}{'precision':>10}{'recall':>10}{'golden':>8}{'extracted':>11}")
    for family, r in sorted(results.items()):
        print(
            f"{family:<26}{r['precision']:>10.1%}{r['recall']:>10.1%}"
            f"{r['golden']:>8}{r['extracted']:>11}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
