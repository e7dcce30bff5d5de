"""PDF -> tables with their surrounding text (title, unit line), page by page.

pdfplumber finds ruled tables; the text lines between the previous table (or the page
top) and a table are its caption block: title, '部门名称：…', '单位：万元'. Each page is
read once: its objects by PDFium (extract/pdfium.py; pdfminer where PDFium cannot give
them as pdfminer would), its words once at each spacing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from extract import wordgrid
from extract.errors import DocumentRejected
from extract.values import clean_cell, is_amount, normalize_text
from extract.verdicts import Reason

Cell = str | None
Row = list[Cell]
BBox = tuple[float, float, float, float]

# Lines that name a table: they end in 表 (optionally followed by a year or a note in
# brackets) and are not a sentence of the narrative.
TITLE = re.compile(r"表\s*([（(][^）)]*[）)])?\s*$")
# A line that only numbers a table (附表3, 附表 3, 公开03表, 附3表, 预算01表) is not its title.
_TABLE_NUMBER = re.compile(r"^(?:预算)?(?:公开|附)?(?:表\d{1,3}|\d{1,3}表)$")
TABLE_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class PageTable:
    """One ruled table as found on one page."""

    page_number: int
    rows: list[Row]
    # Per row, per column: the cell's bbox, or None where a merged cell covers it.
    cells: list[list[BBox | None]]
    bbox: BBox
    caption: list[str]  # text lines above the table (words joined by spaces)
    words: list[Word] = field(repr=False, default_factory=list)  # the page's words
    page_height: float = 0.0
    ruled: bool = True  # False: read from word positions (extract/wordgrid.py)

    @property
    def title(self) -> str | None:
        for i in reversed(range(len(self.caption))):
            if is_title(self.caption[i]):
                text = normalize_text(self.caption[i])
                before = self.caption[i - 1] if i > 0 else ""
                if len(text) <= 5 and before and not is_title(before):  # a wrapped title
                    return normalize_text(before + text)
                return text
        return None


def table_number(line: str) -> str | None:
    """The line, without spaces, when all it says is a table's number (附表3); else None."""
    text = re.sub(r"\s", "", normalize_text(line))
    return text if _TABLE_NUMBER.match(text) else None


def is_title(line: str) -> bool:
    text = normalize_text(line)
    return bool(TITLE.search(text)) and len(text) <= 60 and not table_number(text)


@dataclass
class Page:
    number: int
    text: str
    tables: list[PageTable]
    trailing: list[str] = field(default_factory=list)  # the lines below its last table
    words: list[Word] = field(repr=False, default_factory=list)
    # a page without rulings: its words split finely (wordgrid), should they continue an
    # unruled table from the page before (extract.tables.stitch decides)
    loose: list[Word] = field(repr=False, default_factory=list)
    # and the tables those words show, should the page open the table whose title an
    # unruled table's page left at its foot
    loose_tables: list[PageTable] = field(default_factory=list)


def read_pages(
    path: Path, name: str | None = None, max_pages: int | None = None, reader: str = "pdfium"
) -> Iterator[Page]:
    """Yield each page's text and tables. Raises DocumentRejected for unreadable files, and
    (`too_large`) for a file of more than `max_pages` pages; details call it `name`.

    `reader` "pdfium" reads the pages' objects with PDFium (extract/pdfium.py), and a page
    it cannot read as pdfminer would with pdfminer; "pdfminer" reads every page with
    pdfminer. A file PDFium cannot open is read by pdfminer, which names what is wrong."""
    name = name or path.name
    if reader == "pdfium":
        from extract import pdfium

        try:
            doc = pdfium.Document(str(path))
        except Exception:  # pdfminer names the fault (encrypted, corrupt, ...) below
            doc = None
        if doc is not None:
            try:
                yield from _pdfium_pages(doc, path, name, max_pages)
            finally:
                doc.close()
            return
    with _open_plumber(path, name) as pdf:
        try:
            count = len(pdf.pages)
        except Exception as exc:
            raise DocumentRejected(Reason.CORRUPT, f"{name}: no page tree ({exc})") from exc
        _check_size(count, name, max_pages)
        try:
            for index, page in enumerate(pdf.pages):
                yield _read_page(page, index + 1)
        except DocumentRejected:
            raise
        except Exception as exc:  # pdfminer raises many types on damaged streams
            raise DocumentRejected(Reason.CORRUPT, f"{name}: unreadable page ({exc})") from exc


def _open_plumber(path: Path, name: str) -> Any:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return pdfplumber.open(path)
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise DocumentRejected(Reason.ENCRYPTED, f"{name}: the PDF is encrypted") from exc
        raise DocumentRejected(Reason.CORRUPT, f"{name}: not a readable PDF ({cause})") from exc
    except Exception as exc:  # pdfminer raises many types on a damaged file
        raise DocumentRejected(Reason.CORRUPT, f"{name}: not a readable PDF ({exc})") from exc


def _check_size(count: int, name: str, max_pages: int | None) -> None:
    if max_pages is not None and count > max_pages:
        raise DocumentRejected(
            Reason.TOO_LARGE,
            f"{name}: {count} pages, over the limit of {max_pages} (YUSUAN_MAX_PAGES)",
        )


def _pdfium_pages(doc: Any, path: Path, name: str, max_pages: int | None) -> Iterator[Page]:
    """The pages PDFium reads; pdfminer reads the others (opened on the first of them),
    and again a page whose tables are read from word positions: wordgrid compares the
    words' edges exactly (a word starts a column or stands in one), where PDFium's single
    precision puts one position reached two ways a hair apart that pdfminer puts level."""
    from extract import pdfium

    _check_size(len(doc), name, max_pages)
    plumber: Any = None

    def pdfminer_page(index: int) -> Any:
        nonlocal plumber
        if plumber is None:
            plumber = _open_plumber(path, name)
        return plumber.pages[index]

    doctop = 0.0
    try:
        for index in range(len(doc)):
            try:
                page = pdfium.read_page(doc, index, doctop)
            except Exception:  # pdfium.Unsupported, or PDFium failing on the page
                page = pdfminer_page(index)
            read = _read_or_reject(page, index + 1, name)
            if isinstance(page, pdfium.PdfiumPage) and _by_word_positions(read):
                page = pdfminer_page(index)
                read = _read_or_reject(page, index + 1, name)
            doctop += float(page.height)
            page.close()  # what was parsed of it
            yield read
    finally:
        if plumber is not None:
            plumber.close()


def _by_word_positions(page: Page) -> bool:
    """Tables on the page read from its words' positions (extract/wordgrid.py)."""
    return bool(page.loose_tables) or any(not table.ruled for table in page.tables)


def _read_or_reject(page: Any, number: int, name: str) -> Page:
    try:
        return _read_page(page, number)
    except DocumentRejected:
        raise
    except Exception as exc:  # pdfminer raises many types on damaged streams
        raise DocumentRejected(Reason.CORRUPT, f"{name}: unreadable page ({exc})") from exc


def _read_page(page: Any, number: int) -> Page:
    words = [
        Word(normalize_text(w["text"]), w["x0"], w["x1"], w["top"], w["bottom"])
        for w in page.extract_words(keep_blank_chars=False, use_text_flow=False)
    ]
    lines = text_lines(words)
    fine = cache(partial(_fine_words, page))  # split once, whichever step asks first
    found, ruled = _find_tables(page, lines, fine)
    if found is None:  # no table of its own: perhaps the rows of one continued
        unruled = wordgrid.find(fine(), is_title, _long_rules(page))
        loose = _page_tables(page, number, unruled, lines, words, ruled=False)
        return Page(number, "\n".join(t for _, t in lines), [], [], words, fine(), loose)
    tables = _page_tables(page, number, found, lines, words, ruled)
    previous_bottom = tables[-1].bbox[3] if tables else -1e9
    text = "\n".join(text for _, text in lines)
    trailing = [text for (y, text) in lines if y >= previous_bottom] if tables else []
    return Page(number, text, tables, trailing, words, [] if ruled else fine())


def _page_tables(
    page: Any, number: int, found: list[Any], lines: list[tuple[float, str]],
    words: list[Word], ruled: bool,
) -> list[PageTable]:  # fmt: skip
    """The found tables top-down, each with the text lines above it as its caption."""
    found = sorted(found, key=lambda t: t.bbox[1])
    # only a ruled table's cell can be open at an edge (closed by _cut_edges, not a rule)
    rules = [e for e in page.edges if e["orientation"] == "h"] if ruled else None
    tables: list[PageTable] = []
    previous_bottom = -1e9
    for table in found:
        extracted = [[clean_cell(cell) for cell in row] for row in _extract(table)]
        if rules is not None:
            _label_cut_cells(table, extracted, words, rules)
        kept = [i for i, row in enumerate(extracted) if any(row)]
        if not kept:
            continue
        rows = [extracted[i] for i in kept]
        cells = [list(table.rows[i].cells) for i in kept]
        top = table.bbox[1]
        caption = [text for (y, text) in lines if previous_bottom <= y < top]
        tables.append(
            PageTable(number, rows, cells, table.bbox, caption, words, float(page.height), ruled)
        )
        previous_bottom = table.bbox[3]
    return tables


# Tables drawn without inner rulings (only an outer frame, only horizontal rules, or none)
# are read from the positions of their words instead (extract/wordgrid.py).
MIN_ALIGNED_ROWS = 3  # lines with MIN_AMOUNTS amounts that make an unruled table
MIN_AMOUNTS = 2
LONG_RULE = 0.3  # a horizontal rule this share of the page wide: a 三线表's


def _find_tables(
    page: Any, lines: list[tuple[float, str]], fine: Callable[[], list[Word]]
) -> tuple[list[Any] | None, bool]:
    """The page's ruled tables; where rulings find none, or only a frame around a whole
    block of text, the tables its words' positions show, if the page reads as a budget
    table (a title line and rows of amounts, a 一级指标 header, or a title over a project
    form's head), not as prose. True with ruled tables; None for the tables of a page
    without rulings that does not read as a table by itself."""
    visible = page.filter(lambda obj: not _white_fill(obj))
    ruled = [t for t in visible.find_tables(TABLE_SETTINGS) if not _one_cell(t)]
    cut = _cut_edges(visible, ruled) + _open_ends(visible, ruled)
    if cut:
        settings = {**TABLE_SETTINGS, "explicit_horizontal_lines": cut}
        ruled = [t for t in visible.find_tables(settings) if not _one_cell(t)]
    if ruled:
        return ruled, True
    if not _looks_tabular(lines):
        return None, False
    found = wordgrid.find(fine(), is_title, _long_rules(visible))
    return [t for t in found if len(t.rows) >= MIN_ALIGNED_ROWS], False


def _fine_words(page: Any) -> list[Word]:
    """The page's words split wherever characters stand apart (cells may stand 1 pt
    apart in an unruled table: 017 | 培训支出)."""
    return [
        Word(normalize_text(w["text"]), w["x0"], w["x1"], w["top"], w["bottom"])
        for w in page.extract_words(x_tolerance=wordgrid.X_TOLERANCE)
    ]


def _long_rules(page: Any) -> list[float]:
    """The y of the horizontal rules drawn across LONG_RULE of the page or more (a 三线表's:
    office software draws them cell by cell, so the segments at one y are added up)."""
    widths: dict[float, float] = {}
    for edge in page.edges:
        if edge["orientation"] == "h":
            y = round(edge["top"])
            widths[y] = widths.get(y, 0.0) + edge["width"]
    return sorted(y for y, width in widths.items() if width >= LONG_RULE * float(page.width))


def _cut_edges(page: Any, tables: list[Any]) -> list[dict[str, Any]]:
    """Top and bottom edges for columns a page break cuts at both ends.

    A cell merged over more rows than a page holds (一级指标 over a long grid) is drawn
    on a middle page with its side rules only: no rule closes it above or below, so no
    cell is found there and the page's table comes back without that column. A vertical
    rule beside a table, as high as the table, marks such a column; it gets the table's
    top and bottom as edges.
    """
    edges: list[dict[str, Any]] = []
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    for table in tables:
        x0, top, x1, bottom = table.bbox
        others = [t.bbox for t in tables if t is not table]
        beside = [
            e["x0"] for e in verticals
            if e["top"] <= top + 1 and e["bottom"] >= bottom - 1
            and (e["x0"] < x0 - 5 or e["x0"] > x1 + 5)
            and not any(o[0] - 1 <= e["x0"] <= o[2] + 1 for o in others)  # another table's
        ]  # fmt: skip
        left, right = min([*beside, x0]), max([*beside, x1])
        for a, b in ((left, x0), (x1, right)):
            if b - a > 5:
                edges += [_edge(a, b, top), _edge(a, b, bottom)]
    return edges


def _open_ends(page: Any, tables: list[Any]) -> list[dict[str, Any]]:
    """A closing edge for a table's first or last row printed without its rule.

    Office software draws a row's rules with its cells; where a page break falls, the last
    row of a page may lack the rule under it, or the first row of the next page the rule
    above it (a cell bordered only below or above). The row's side rules still run past
    the table's last (or first) rule: no cell is found there and the row would be lost
    (`2210201 住房公积金 1,029.15` opening a continuation page). Where the table's vertical
    rules run on past its bbox, a rule at their end closes the row.
    """
    edges: list[dict[str, Any]] = []
    verticals = [e for e in page.edges if e["orientation"] == "v"]
    for table in tables:
        x0, top, x1, bottom = table.bbox
        sides = [
            e for e in verticals
            if x0 - 1 <= e["x0"] <= x1 + 1 and e["top"] <= bottom + 1 and e["bottom"] >= top - 1
        ]  # fmt: skip
        above = [e for e in sides if e["top"] < top - _OPEN]
        below = [e for e in sides if e["bottom"] > bottom + _OPEN]
        # the side rules of most columns run on: a row, not one merged cell cut at an edge
        columns = len(table.rows[0].cells) if table.rows else 0
        enough = max(3, (columns + 2) // 2)
        if len({round(e["x0"]) for e in above}) >= enough:
            edges.append(_edge(x0, x1, min(e["top"] for e in above)))
        if len({round(e["x0"]) for e in below}) >= enough:
            edges.append(_edge(x0, x1, max(e["bottom"] for e in below)))
    return edges


_OPEN = 2.0  # points a side rule runs past the table's edge to open a row there


def _edge(x0: float, x1: float, y: float) -> dict[str, Any]:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": y, "bottom": y,
            "width": x1 - x0, "height": 0.0, "orientation": "h"}  # fmt: skip


def _label_cut_cells(
    table: Any, extracted: list[list[str | None]], words: list[Word], rules: list[Any]
) -> None:
    """An empty cell open at the table's top or bottom (no rule drawn there: a merged cell
    cut by the page break) takes the text office software drew for it in the margin
    beyond that edge: it draws a merged cell's text at the centre of the whole span,
    clipped by the page."""
    _, top, _, bottom = table.bbox
    for r, row in enumerate(table.rows):
        for c, box in enumerate(row.cells):
            if box is None or extracted[r][c]:
                continue
            middle = (box[0] + box[2]) / 2
            above = box[1] <= top + 1 and not _ruled(rules, box[1], middle)
            below = box[3] >= bottom - 1 and not _ruled(rules, box[3], middle)
            if above == below:  # closed, or cut at both ends (its text is on another page)
                continue
            found = [
                w for w in words
                if box[0] - 1 <= (w.x0 + w.x1) / 2 <= box[2] + 1
                and (w.top < top <= w.bottom if above else w.top >= bottom)
            ]  # fmt: skip
            if found:
                text = " ".join(w.text for w in sorted(found, key=lambda w: (w.top, w.x0)))
                extracted[r][c] = clean_cell(text)


def _ruled(rules: list[Any], y: float, x: float) -> bool:
    """A rule at y across x, within pdfplumber's snapping tolerance (3 pt)."""
    return any(abs(e["top"] - y) <= 3 and e["x0"] - 3 <= x <= e["x1"] + 3 for e in rules)


def _white_fill(obj: dict[str, Any]) -> bool:
    """A rectangle filled white and not stroked: a background drawn behind a grid, which
    the reader does not see. Its edges are no rulings (they would cut the title block
    and a column left of the grid out of it)."""
    if obj.get("object_type") != "rect" or obj.get("stroke") or not obj.get("fill"):
        return False
    color = obj.get("non_stroking_color")
    values = color if isinstance(color, list | tuple) else [color]
    if not values or not all(isinstance(v, int | float) for v in values):
        return False
    # grey 1, RGB 1 1 1, CMYK 0 0 0 0
    return all(v == 1 for v in values) if len(values) != 4 else all(v == 0 for v in values)


def _one_cell(table: Any) -> bool:
    """A frame around a block of text: every cell holds the same text (merged), or there
    is a single cell, though several lines of text stand inside it."""
    texts = {clean_cell(cell) for row in _extract(table) for cell in row} - {None, ""}
    return len(texts) <= 1 and any(text and len(text) > 40 for text in texts)


def _extract(table: Any) -> list[list[str | None]]:
    """pdfplumber's `table.extract()`, once per table (_one_cell reads it, then the rows)."""
    if not hasattr(table, "_yusuan_rows"):
        table._yusuan_rows = table.extract()
    return table._yusuan_rows  # type: ignore[no-any-return]


def _looks_tabular(lines: list[tuple[float, str]]) -> bool:
    amounts = [
        text for _, text in lines if sum(is_amount(token) for token in text.split()) >= MIN_AMOUNTS
    ]
    if any(wordgrid.looks_like_indicators(text) for _, text in lines):
        return True
    if not any(is_title(text) for _, text in lines):
        return False
    ending = [text for _, text in lines if text.split() and is_amount(text.split()[-1])]
    return (
        len(amounts) >= MIN_ALIGNED_ROWS
        or len(ending) >= MIN_ALIGNED_ROWS  # a label and its amount (一般公共预算“三公”经费表)
        or any(_opens_form(text) for _, text in lines)
    )


def _opens_form(line: str) -> bool:
    """A line opening with the label of a project form's name (项目名称 …: the vocabulary's
    indicators.form.project)."""
    from extract import vocabulary  # it reads extract.pdf's Row

    labels: list[str] = vocabulary.data()["indicators"]["form"]["project"]
    return re.sub(r"\s", "", line).startswith(tuple(labels))


def text_lines(words: list[Word], tolerance: float = 3.0) -> list[tuple[float, str]]:
    """Group words into text lines by their top coordinate."""
    lines: list[tuple[float, list[Word]]] = []
    for word in sorted(words, key=lambda w: (round(w.top), w.x0)):
        if lines and abs(lines[-1][0] - word.top) <= tolerance:
            lines[-1][1].append(word)
        else:
            lines.append((word.top, [word]))
    return [(top, " ".join(w.text for w in sorted(ws, key=lambda w: w.x0))) for top, ws in lines]
