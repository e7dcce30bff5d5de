"""Compare extraction with golden JSON: cell-level precision and recall per family.

    python -m tools.evaluate GOLDEN_DIR PDF_DIR
    python -m tools.evaluate DIR           # golden JSON beside its PDFs
    python -m tools.evaluate               # the bundled samples and seed renders

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
from extract.errors import DocumentRejected
from yusuan.pull import sha256_of

Cell = tuple[Any, ...]
Pairs = tuple[dict[str, set[Cell]], dict[str, set[Cell]]]
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
        for field in ("type", "code", "department"):
            if project.get(field):
                cells["projects"].add((project["name"], field, project[field]))
    for row in golden.get("economic_rows") or []:
        for field in ("name", "gov_code", "gov_name", "kind"):
            cells["economic_rows"].add((row["code"], field, row[field]))
        cells["economic_rows"].add((row["code"], "amount", _amount(row["amount"])))
    for category, amount in (golden.get("three_public") or {}).items():
        cells["three_public"].add((category, _amount(amount)))
    for item, amount in (golden.get("narrative_totals") or {}).items():
        cells["narrative_totals"].add((item, _amount(amount)))
    seen: Counter[tuple[Any, ...]] = Counter()
    for row in golden.get("indicators") or []:
        identity = (row["scope"], row["project"], row["level3"])
        seen[identity] += 1
        for field in ("level1", "level2", "value_raw", "description"):
            cells["indicators"].add((*identity, seen[identity], field, row[field]))
    return cells


# budget_scope -> the golden family of its function rows
_GOLDEN_FUNCTION_ROWS = {
    "general_public_budget": "function_rows",
    "all_funds": "function_rows_all_funds",
}


def extracted_cells(extracted: Extracted) -> dict[str, set[Cell]]:
    cells: dict[str, set[Cell]] = defaultdict(set)
    done: set[tuple[str, str]] = set()
    for row in extracted.frames["function_expenditure"]:
        if row["row_kind"] != "code" or row["code_level"] != 3:
            continue
        scope = row["budget_scope"]
        family = _GOLDEN_FUNCTION_ROWS.get(scope)
        if family is None or (scope, row["function_code"]) in done:
            continue  # the golden format has rows of two scopes only
        done.add((scope, row["function_code"]))
        cells[family].add((scope, row["function_code"], "name", row["name"]))
        for field in ("total", "basic", "project"):
            value = row[f"{field}_yuan"]
            printed = _amount(value / WAN if value is not None else 0)
            cells[family].add((scope, row["function_code"], field, printed))
    cells["projects"] = _project_cells(extracted.frames["projects"])
    for row in extracted.frames["basic_expenditure"]:
        if row["row_kind"] != "code" or len(row["economic_code"] or "") != 5:
            continue
        code = row["economic_code"]
        cells["economic_rows"] |= {
            (code, "name", row["economic_name"]),
            (code, "gov_code", row["gov_economic_code"]),
            (code, "gov_name", row["gov_economic_name"]),
            (code, "kind", row["kind"]),
            (code, "amount", _wan(row["amount_yuan"])),
        }
    tables = [r for r in extracted.frames["three_public"] if r["source"] == "table"]
    for row in tables or extracted.frames["three_public"]:
        cells["three_public"].add((row["category"], _wan(row["amount_yuan"])))
    for row in extracted.frames["narrative_totals"]:
        if row["item"] in {"income_total", "expenditure_total", "basic", "project",
                           "personnel", "public", "three_public"}:  # fmt: skip
            cells["narrative_totals"].add((row["item"], _wan(row["amount_yuan"])))
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


def _wan(amount: Decimal | None) -> str:
    return _amount(amount / WAN if amount is not None else 0)


def _project_cells(rows: list[dict[str, Any]]) -> set[Cell]:
    """One project per name: the 项目支出表 line where printed, else the form or summary;
    code and type from whichever source prints them."""
    order = {"project_expenditure": 0, "project_form": 1, "performance_summary": 2}
    best: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: order.get(r["source_family"], 9)):
        merged = best.setdefault(row["project_name"], {})
        for field, value in row.items():
            if merged.get(field) is None:
                merged[field] = value
    cells: set[Cell] = set()
    for name, row in best.items():
        cells.add((name, "amount", _wan(row["amount_yuan"])))
        for field, column in (("type", "project_type"), ("code", "project_code"),
                              ("department", "department_name")):  # fmt: skip
            if row.get(column):
                cells.add((name, field, row[column]))
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


def compare(golden_dir: Path, pdf_dir: Path) -> list[tuple[str, Pairs]]:
    """Per PDF with a golden file: its name and its (golden, extracted) cells."""
    pairs = []
    for golden_path in sorted(golden_dir.glob("*.json")):
        golden = json.loads(golden_path.read_text())
        if "file" not in golden:
            continue
        pdf = pdf_dir / golden["file"]
        expected, got = golden_cells(golden), _cells_of(pdf)
        # score only the project fields this golden file records (doc_b names departments,
        # doc_a does not)
        fields = {cell[1] for cell in expected.get("projects", set())}
        got["projects"] = {cell for cell in got.get("projects", set()) if cell[1] in fields}
        pairs.append((golden["file"], (expected, got)))
    return pairs


# the fields after a golden cell's row identity: (…, field, value), or (…, value) where the
# family has one value per row
_ONE_VALUE = {"three_public", "narrative_totals"}


def row_key(family: str, cell: Cell) -> Cell:
    """The identity of the golden row a cell belongs to (function code, project name, …)."""
    return cell[:-1] if family in _ONE_VALUE else cell[:-2]


def exact_rows(
    pairs: Iterable[tuple[dict[str, set[Cell]], dict[str, set[Cell]]]],
) -> dict[str, tuple[int, int]]:
    """Per family: (golden rows read exact, golden rows); a row is read exact when every
    one of its golden cells is extracted."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for golden, extracted in pairs:
        for family, cells in golden.items():
            rows: dict[Cell, bool] = {}
            got = extracted.get(family, set())
            for cell in cells:
                key = row_key(family, cell)
                rows[key] = rows.get(key, True) and cell in got
            totals[family][0] += sum(rows.values())
            totals[family][1] += len(rows)
    return {family: (exact, total) for family, (exact, total) in totals.items()}


def _cells_of(pdf: Path) -> dict[str, set[Cell]]:
    """What extraction reads of `pdf`; nothing where it rejects the document (a render no
    table of which is found is not_budget: it reads no golden row)."""
    try:
        extracted = extract_document(pdf, document_id=sha256_of(pdf), source_uri=str(pdf))
    except DocumentRejected:
        return {}
    return extracted_cells(extracted)


def evaluate(golden_dir: Path, pdf_dir: Path) -> dict[str, dict[str, float]]:
    return score(pair for _, pair in compare(golden_dir, pdf_dir))


_ROOT = Path(__file__).resolve().parent.parent
_SEEDS = _ROOT / "tests" / "pdfs" / "seeds"
BUNDLED = [
    _ROOT / "tests" / "pdfs" / "samples",
    _SEEDS,
    _SEEDS / "merged",
    *sorted(p for p in (_SEEDS / "renders").glob("*") if p.is_dir()),
]


def _report(golden_dir: Path, pdf_dir: Path) -> None:
    documents = compare(golden_dir, pdf_dir)
    results = score(pair for _, pair in documents)
    print(f"{golden_dir}: {len(documents)} document(s)")
    print(f"{'family':<26}{'precision':>10}{'recall':>10}{'golden':>8}{'extracted':>11}")
    rows = exact_rows(pair for _, pair in documents)
    for family, r in sorted(results.items()):
        exact, total = rows[family]
        print(
            f"{family:<26}{r['precision']:>10.1%}{r['recall']:>10.1%}"
            f"{r['golden']:>8}{r['extracted']:>11}   rows exact {exact}/{total}"
        )
    for name, (expected, got) in documents:
        wrong = [
            f"{family} ({len(cells - got.get(family, set()))} missing, "
            f"{len(got.get(family, set()) - cells)} extra)"
            for family, cells in sorted(expected.items())
            if cells != got.get(family, set())
        ]
        print(f"  {name}: {'exact' if not wrong else 'differs in ' + ', '.join(wrong)}")


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) > 2 or any(a.startswith("-") for a in args):
        print(__doc__)
        return 2
    if not args:
        folders = [(d, d) for d in BUNDLED if d.is_dir()]
    else:
        folders = [(Path(args[0]), Path(args[-1]))]
    for golden_dir, pdf_dir in folders:
        _report(golden_dir, pdf_dir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
