"""Every row kept, counted from the words: the rows a family read against the code tokens
printed inside the table's box.

    python -m tools.rowcheck PDF_OR_FOLDER... [--all]

For every table read by a family listing rows by code (function codes, economic codes),
the count of its code rows is compared with the number of text lines on each of its pages,
within the table's box widened to the band of the page the table owns (up to the tables
above and below it), that print a code of the family's classification before their first
amount (pdfplumber's own words). The words
are grouped into lines by their position alone, never through the grid the extraction
built, so a row dropped at a page break, a row lost in the middle of a list, or a row read
twice shows as a difference. It prints one line per table that differs (every table with
--all), then the totals per family.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract.document import Extracted, extract_document
from extract.tables import is_column_numbers
from extract.values import is_amount, normalize_text

# The families whose rows carry a code, the staged frame holding them, the code's first
# digits (2: 功能分类; 3 or 5: 部门 and 政府 经济分类).
CODED: dict[str, tuple[str, str]] = {
    "function_expenditure": ("function_expenditure", "2"),
    "income_sources": ("income_sources", "2"),
    "basic_expenditure": ("basic_expenditure", "35"),
}
_TOLERANCE = 3.0  # words whose tops lie this close print on one line


def _code_token(first: str) -> re.Pattern[str]:
    """A code of the classification, bare (2010501), bracketed ([201]), or with its name in
    the same word (2010501-行政运行); or a 款 / 项 column's own two digits (01)."""
    return re.compile(
        rf"^(?:\d{{2}}|[\[【(（]?[{first}]\d{{2}}(?:\d{{2}}){{0,2}}[\]】)）]?"
        r"(?:[-－—–_:：、]?[^\d.,，．].*)?)$"
    )


@dataclass
class Count:
    file: str
    page: int
    title: str | None
    family: str
    read: int  # code rows the family staged
    printed: int  # lines printing a code inside the table's box

    @property
    def differs(self) -> bool:
        return self.read != self.printed


def _lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    lines: list[list[dict[str, Any]]] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        if lines and abs(lines[-1][0]["top"] - word["top"]) <= _TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


Box = tuple[float, float, float, float]


def code_lines(pages: Iterable[tuple[Any, Box, Box]], first: str) -> int:
    """Lines printing a code before any amount, in each (pdfplumber page, box, band) of one
    table, in order: inside the box, and in the band beyond it where they print an amount
    too (a caption line, 341-湖州市财政局, is no row)."""
    token = _code_token(first)
    count, previous = 0, ""
    for page, box, band in pages:
        count, previous = _count_lines(page, box, band, token, count, previous)
    return count


def _count_lines(
    page: Any,
    box: Box,
    band: Box,
    token: re.Pattern[str],
    count: int,
    previous: str,
) -> tuple[int, str]:
    x0, top, x1, bottom = band
    inside = page.crop((x0 - 1, top - 1, x1 + 1, bottom + 1), strict=False)
    for line in _lines(inside.extract_words(keep_blank_chars=False, use_text_flow=False)):
        beyond = not box[1] - 1 <= line[0]["top"] <= box[3] + 1
        texts: list[str | None] = [normalize_text(w["text"]) for w in line]
        if is_column_numbers(texts):  # a 栏次 line (** 1 2 … 10 11) numbers columns
            continue
        codes: list[str] = []
        for text in (t for t in texts if t):
            # a 款 / 项 cell after the 类's code may print one digit (301 | 2: its 0 clipped)
            if token.match(text) or (codes and text.isdigit() and len(text) == 1):
                codes.append(re.sub(r"\D.*$", "", text.lstrip("[【(（")))
            elif is_amount(text):
                break
        rest = [t for t in texts if t and not token.match(t)]
        named = any(
            re.search(r"[^\W\d_]", t) or (is_amount(t) and re.search(r"\d", t)) for t in rest
        )
        amounts = any(is_amount(t) and re.search(r"\d", t) for t in rest)
        if not codes or (max(map(len, codes)) < 3 and not named) or (beyond and not amounts):
            continue  # nothing but a number or two: a page number (- 16 -), no row
        # the line's code (201 | 05 | 07 is 2010507); a row per function x economic code
        # (北京 2010501-行政运行 | 50101-… | 30101-…) is one row of its function code: its
        # lines count once
        code = "".join(codes)
        if code != previous:
            count += 1
        previous = code
    return count, previous


# a family's parser may stage a table's rows as another family: basic_expenditure's reads
# the 机关运行经费 table by economic code into operating_expenses
ALSO_STAGED = {"basic_expenditure": ("operating_expenses",)}


def _staged_rows(extracted: Extracted, frame: str, index: int) -> int:
    rows = {
        r["row_index"]
        for name in (frame, *ALSO_STAGED.get(frame, ()))
        for r in extracted.frames[name]
        if r["table_index"] == index and r["row_kind"] == "code"
    }
    return len(rows)


def _band(box: dict[str, Any], tables: list[dict[str, Any]], pdf: Any) -> Box:
    """The box widened to the page's band the table owns: from the bottom of the table
    above it on its page (or the page's top) to the top of the table below it (or the
    page's foot), so a row printed beside the box the grid was found in (a row whose rule
    is missing at a page break) is counted too."""
    x0, top, x1, bottom = box["bbox"]
    others = [
        other["bbox"]
        for table in tables
        for other in table["boxes"]
        if other["page"] == box["page"] and other["bbox"] != box["bbox"]
    ]
    above = [b[3] for b in others if b[3] <= top + 1]
    below = [b[1] for b in others if b[1] >= bottom - 1]
    height = float(pdf.pages[box["page"] - 1].height)
    return (x0, max(above, default=0.0), x1, min(below, default=height))


def count_rows(path: Path, extracted: Extracted | None = None) -> list[Count]:
    """One Count per table of a coded family that read rows (an empty table is none)."""
    import pdfplumber

    extracted = extracted or extract_document(path, document_id=path.name, source_uri=str(path))
    counts: list[Count] = []
    with pdfplumber.open(path) as pdf:
        for table in extracted.tables:
            family = table["family"]
            if family not in CODED or table["outcome"] != "read":
                continue
            frame, first = CODED[family]
            printed = code_lines(
                (
                    (
                        pdf.pages[box["page"] - 1],
                        tuple(box["bbox"]),
                        _band(box, extracted.tables, pdf),
                    )
                    for box in table["boxes"]
                ),
                first,
            )
            read = _staged_rows(extracted, frame, table["index"])
            title = normalize_text(table["title"]) if table["title"] else None
            counts.append(Count(path.name, table["page"], title, family, read, printed))
    return counts


def _pdfs(arguments: list[str]) -> list[Path]:
    paths: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        paths += sorted(path.rglob("*.pdf")) if path.is_dir() else [path]
    return paths


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    show_all = "--all" in args
    totals: dict[str, list[int]] = {}
    for path in _pdfs([a for a in args if a != "--all"]):
        try:
            counts = count_rows(path)
        except Exception as exc:  # a rejected document has no rows to count
            print(f"{path.name}: not read ({type(exc).__name__})")
            continue
        for c in counts:
            total = totals.setdefault(c.family, [0, 0, 0, 0])
            total[0] += 1
            total[1] += c.differs
            total[2] += c.read
            total[3] += c.printed
            if show_all or c.differs:
                mark = "DIFF" if c.differs else "ok"
                print(f"{mark} {c.file} p{c.page} {c.family} {c.title}: read {c.read}"
                      f" printed {c.printed}")  # fmt: skip
    for family, (tables, differ, read, printed) in sorted(totals.items()):
        print(f"{family}: {tables} tables, {differ} differ; rows read {read}, code lines {printed}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
