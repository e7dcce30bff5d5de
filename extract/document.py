"""One PDF -> staged rows of every family it carries. Pure: no warehouse, no network."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from extract import vocabulary
from extract.departments import clean_name, identity_name
from extract.errors import DocumentRejected
from extract.families import Context, Family, Problem, recognise
from extract.families.base import Record
from extract.narrative import narrative_records
from extract.pdf import Page, read_pages
from extract.regions import locate
from extract.schema import DOCUMENTS, STAGED
from extract.tables import LogicalTable, stitch
from extract.verdicts import LOADABLE, Reason, TableOutcome

_YEAR = re.compile(r"(20\d{2})\s*年")
_COVER_DEPARTMENT = re.compile(r"(?:预算单位|预算主管部门|部门名称|单位名称)\s*[:：]\s*(\S+)")
# a cover or file name titled "江苏省政协办公厅 2019 年度部门预算", or "2026年度 福州市医疗保障局
# 部门预算" (the year first)
_COVER_TITLE = re.compile(r"(?:^|\s)(\S{2,40}?)\s*20\d{2}\s*年度?\s*(?:部门|单位)预算")
_COVER_YEAR_FIRST = re.compile(r"20\d{2}\s*年度?\s*(\S{2,40}?)\s*(?:部门|单位)预算")
MIN_NARRATIVE_ITEMS = 2  # totals stated in prose that make a document explanatory
MIN_TEXT_CHARS = 20  # fewer characters of text in the whole file: a scan
UNREAD_CHECK = "table_unread"  # the finding of a table whose parser failed


@dataclass
class Extracted:
    document: Record
    frames: dict[str, list[Record]]
    problems: list[Problem] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)  # what was found, for the report


def extract_document(
    path: Path,
    *,
    document_id: str,
    source_uri: str,
    file_name: str | None = None,
    known: dict[str, Any] | None = None,
    max_pages: int | None = None,
    reader: str = "pdfium",
) -> Extracted:
    """Read every table of the PDF at `path`. Raises DocumentRejected with a named reason.

    `known` holds what the sources catalog states (department, region, province,
    fiscal_year, budget_level); it takes precedence over what the document says. A file of
    more than `max_pages` pages is rejected unread (`too_large`). `reader` reads the pages'
    objects (extract.pdf.read_pages: "pdfium", or "pdfminer" for every page).
    """
    known = known or {}
    pages = list(read_pages(path, file_name or path.name, max_pages, reader))
    if sum(len(page.text.strip()) for page in pages) < MIN_TEXT_CHARS:
        raise DocumentRejected(
            Reason.NO_TEXT_LAYER,
            f"{file_name or path.name}: {len(pages)} pages without a text layer (a scan?):"
            " OCR it first",
        )
    tables = stitch(pages)
    named_file = file_name or path.name
    department = clean_name(known.get("department") or _department(tables, pages, named_file))
    context = Context(document_id, department, _main_unit(tables))
    frames: dict[str, list[Record]] = {name: [] for name in STAGED}
    found: list[dict[str, Any]] = []
    for table in tables:
        family, staged, outcome = _read_table(table, context)
        reason = Reason.EXTRACTION_ERROR if outcome == TableOutcome.UNREAD else None
        if outcome == TableOutcome.UNRECOGNISED:
            why = vocabulary.unmodelled(table.title, table.header_text())
            if why is not None:  # known, and deliberately not read
                outcome, reason = str(TableOutcome.UNMODELLED), Reason(why)
        for name, records in staged.items():
            frames[name].extend(records)
        found.append(
            {
                "index": table.index,
                "page": table.page_number,
                "title": table.title,
                "family": family.NAME if family else None,
                "outcome": outcome,
                # each page's share, where it is printed: what a check of the words inside
                # the table's box reads (tests/extract/test_every_row.py)
                "boxes": [{"page": p.page_number, "bbox": list(p.bbox)} for p in table.parts],
            }
        )
        frames["tables"].append(
            {
                "document_id": document_id,
                "table_index": table.index,
                "page_number": table.page_number,
                "last_page_number": table.parts[-1].page_number,
                "table_title": table.title,
                "family": family.NAME if family else None,
                "row_count": sum(len(records) for records in staged.values()),
                "is_empty": table.is_empty or table.index in context.empty_tables,
                "outcome": outcome,
                "reason": reason,
                "unknown_columns": "; ".join(context.unknown_columns.get(table.index, [])) or None,
            }
        )
    # prose totals and 三公 categories; narrative 三公 rows carry source='narrative'
    for name, records in narrative_records(pages, document_id, context.default_unit).items():
        frames[name].extend(records)
    readable = any(item["family"] and item["outcome"] in LOADABLE for item in found)
    kind = "tables"
    unread = any(item["outcome"] == TableOutcome.UNREAD for item in found)
    if not readable and not unread and _explains(frames):
        kind = "explanatory"  # prose stating the budget's totals: the 公开文件 of a budget
    elif not readable:
        failures = [p for p in context.problems if p.check == UNREAD_CHECK]
        if failures:
            raise DocumentRejected(
                Reason.EXTRACTION_ERROR,
                f"{file_name or path.name}: no table could be read; " + failures[0].detail,
            )
        titles = [t.title for t in tables if t.title][:5]
        raise DocumentRejected(
            Reason.NOT_BUDGET,
            f"no budget or performance-target table among {len(tables)} tables "
            f"(titles: {', '.join(titles) or 'none'})",
        )
    region, province = locate(identity_name(department) if department else None)
    level = "unit" if "单位预算" in pages[0].text.replace(" ", "") else "department"
    document = {
        "document_id": document_id,
        "file_name": file_name or path.name,
        "source_uri": source_uri,
        "fiscal_year": int(known.get("fiscal_year") or _fiscal_year(tables, pages, named_file) or 0)
        or None,
        "department_name": department,
        "unit_code": _unit_code(frames["function_expenditure"]),
        "region": known.get("region") or region,
        "province": known.get("province") or province,
        "budget_level": known.get("budget_level") or level,
        "document_kind": kind,
        "page_count": len(pages),
        "amount_unit": context.default_unit,
    }
    return Extracted(document, frames, context.problems, found)


def _read_table(
    table: LogicalTable, context: Context
) -> tuple[Family | None, dict[str, list[Record]], str]:
    """One table's family, records and outcome. A parser that fails costs only its table:
    it is `unread`, with a blocking finding naming page, title and the exception, and the
    document goes on. Every finding raised while reading it names the table."""
    before = len(context.problems)
    family: Family | None = None
    try:
        family = recognise(table, context)
        staged = family.parse(table, context) if family is not None else {}
        outcome = TableOutcome.READ if family is not None else TableOutcome.UNRECOGNISED
        if table.is_empty or table.index in context.empty_tables:
            outcome = TableOutcome.EMPTY
    except Exception as exc:  # a layout its parser did not expect
        staged, outcome = {}, TableOutcome.UNREAD
        reader = f"{family.NAME} " if family is not None else ""
        context.problems.append(
            Problem(
                UNREAD_CHECK,
                table.page_number,
                table.title,
                f"page {table.page_number}, table {table.title or '(untitled)'!r}: the "
                f"{reader}parser failed ({type(exc).__name__}: {exc})",
                reason=Reason.EXTRACTION_ERROR,
            )
        )
    context.problems[before:] = [
        replace(problem, table_index=table.index) for problem in context.problems[before:]
    ]
    return family, staged, str(outcome)


def _explains(frames: dict[str, list[Record]]) -> bool:
    """Whether prose states enough of a budget to load it as its explanatory document: at
    least MIN_NARRATIVE_ITEMS of its totals (收入总计, 基本支出, 项目支出, 人员经费, …)."""
    items = {record["item"] for record in frames["narrative_totals"]}
    return len(items) >= MIN_NARRATIVE_ITEMS


def _department(tables: list[LogicalTable], pages: list[Page], file_name: str) -> str | None:
    """The department the tables' captions name, else the cover's, else the file name's (a
    table attachment "2026年北京市统计局部门预算报表_附件2.pdf" prints no cover)."""
    named = Counter(t.department for t in tables if t.department)
    if named:
        return named.most_common(1)[0][0]
    for page in pages[:2]:
        match = _COVER_DEPARTMENT.search(page.text)
        if match:
            return match.group(1)
    covers = [" ".join(page.text.split()) for page in pages[:3]]
    for text in [*covers, Path(file_name).stem]:
        for pattern in (_COVER_TITLE, _COVER_YEAR_FIRST):
            for match in pattern.finditer(text):
                if "部分" not in match.group(1):  # not "第二部分 2019 年度部门预算表" (contents)
                    return match.group(1)
    return None


def _main_unit(tables: list[LogicalTable]) -> str | None:
    units = Counter(t.unit for t in tables if t.unit)
    return units.most_common(1)[0][0] if units else None


def _fiscal_year(tables: list[LogicalTable], pages: list[Page], file_name: str) -> int | None:
    years = Counter(int(y) for t in tables for y in _YEAR.findall(t.title or ""))
    if not years:
        years = Counter(int(y) for page in pages[:2] for y in _YEAR.findall(page.text))
    if not years:
        years = Counter(int(y) for y in _YEAR.findall(Path(file_name).stem))
    return years.most_common(1)[0][0] if years else None


def _unit_code(rows: list[Record]) -> str | None:
    """The department's 单位代码: printed on its own line (the 合计 row takes it), else the
    one unit's code where the function tables print one."""
    for kind in ("total", "unit"):
        codes = {row["unit_code"] for row in rows if row["row_kind"] == kind and row["unit_code"]}
        if codes:
            return codes.pop() if len(codes) == 1 else None
    return None


def write_staging(extracted: Extracted, directory: Path) -> Path:
    """Write `<directory>/<family>.parquet` for each staged family, plus documents.parquet
    and manifest.json. All or nothing: the files are written to a folder beside it, which
    then takes its place, so a killed extraction never leaves half a document staged."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    directory.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(
        tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.", suffix=".part")
    )
    tables = {"documents": ([extracted.document], DOCUMENTS)} | {
        name: (extracted.frames.get(name, []), schema) for name, schema in STAGED.items()
    }
    for name, (records, schema) in tables.items():
        columns = {f.name: [_arrow_value(r.get(f.name), f.type) for r in records] for f in schema}
        pq.write_table(pa.table(columns, schema=schema), partial / f"{name}.parquet")
    problems = [p.__dict__ for p in extracted.problems]
    manifest = {"document": extracted.document, "tables": extracted.tables, "problems": problems}
    (partial / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    shutil.rmtree(directory, ignore_errors=True)
    try:
        partial.rename(directory)
    except OSError:
        if not directory.is_dir():
            raise
        shutil.rmtree(partial)  # staged meanwhile by another run: same file, same rows
    return directory


def _arrow_value(value: Any, arrow_type: Any) -> Any:
    import pyarrow as pa

    if isinstance(value, Decimal) and pa.types.is_decimal(arrow_type):
        return value.quantize(Decimal(1).scaleb(-arrow_type.scale))
    return value


def read_staging(directory: Path) -> dict[str, Any]:
    """The staged frames of one document as pandas DataFrames, keyed by family."""
    import pyarrow.parquet as pq

    return {
        name: pq.read_table(directory / f"{name}.parquet").to_pandas()
        for name in ["documents", *STAGED]
        if (directory / f"{name}.parquet").exists()
    }
