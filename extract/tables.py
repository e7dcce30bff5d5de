"""Page tables -> logical tables: merged cells resolved, continuations stitched.

A merged cell comes back from pdfplumber as one cell at its top-left position and None
elsewhere. `resolve_grid` gives every position the text of the cell covering it, so that
一级指标 spanning ten rows, or 基本支出 spanning four header columns, reads the same on
each row/column it covers. A merged cell cut by a page break has no cell on either page:
office software draws its text at the centre of the whole span, which may be on this page,
in the bottom margin, or only on the next page; we look the text up by position, and
otherwise carry the label over from the previous page.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median

from extract import vocabulary, wordgrid
from extract.departments import clean_name
from extract.pdf import BBox, Page, PageTable, Row, Word, is_title, table_number
from extract.values import clean_cell, find_unit, is_amount, normalize_text

# Labels naming the budget's own department or unit, most specific first: a 单位预算
# captioned "主管部门：X局 单位名称：Y中心" is Y中心's budget, not X局's.
_DEPARTMENT_LABELS = (
    "单位名称", "预算单位", "部门名称", "编制单位", "编制部门", "主管部门", "部门",
)  # fmt: skip
# the name ends at a space, or where the unit line starts without one (…办公厅单位：万元)
_DEPARTMENT = {
    label: re.compile(rf"{label}\s*[:：]\s*(\S+?)(?=(?:编制|预算)?单位\s*[:：]|\s|$)")
    for label in _DEPARTMENT_LABELS
}


@dataclass
class Part:
    """A page's share of a logical table, with merged cells resolved."""

    page_number: int
    rows: list[Row]  # resolved: every position carries the text of its covering cell
    edges: list[float]  # x of each column's left edge, then the table's right edge
    bbox: BBox = (0.0, 0.0, 0.0, 0.0)  # where the page prints it (x0, top, x1, bottom)
    ruled: bool = True  # False: read from word positions (extract/wordgrid.py)

    def aligned_to(self, edges: list[float]) -> Part:
        """This part with its columns mapped onto another part's columns by position.

        A continuation page may be cut into a different number of columns (a 合计 row
        whose label spans four columns comes back as a table of its own). A part with more
        columns than the other's, whose texts would fall into one column (a 整体绩效目标表
        whose 一级指标 grid follows a three-column head), keeps its own columns.
        """
        if len(edges) == len(self.edges):
            return self
        width = len(edges) - 1
        wider = len(self.edges) > len(edges)
        rows: list[Row] = []
        for row in self.rows:
            aligned: Row = [None] * width
            for c, text in enumerate(row):
                target = _index(edges, self.edges[c] + 1)
                if target < width and aligned[target] is None:
                    aligned[target] = text
                elif wider and text and (target >= width or aligned[target] != text):
                    return self  # aligning would lose this text
            rows.append(aligned)
        return Part(self.page_number, rows, edges, self.bbox, self.ruled)


@dataclass
class LogicalTable:
    index: int
    title: str | None
    caption: list[str]
    parts: list[Part] = field(default_factory=list)

    @property
    def page_number(self) -> int:
        return self.parts[0].page_number

    @property
    def unit(self) -> str | None:
        return find_unit(" ".join(self.caption))

    @property
    def department(self) -> str | None:
        for pattern in _DEPARTMENT.values():
            for line in self.caption:
                match = pattern.search(line)
                if match:
                    return clean_name(match.group(1))
        return None

    @property
    def is_empty(self) -> bool:
        """Printed without data: a '本表无数据' note, or an amount table with no amount."""
        texts = [cell for _, _, row in self.rows() for cell in row if cell]
        if "无数据" in " ".join(self.caption) + " ".join(texts):
            return True
        header = self.header_text()
        if "一级指标" in header:  # performance targets print no amounts ("补助金额" is a target)
            return False
        money = any(word in header for word in ("合计", "金额", "预算数", "小计"))
        return money and not any(is_amount(t) for t in texts)

    def header_text(self, rows: int = 6) -> str:
        first = self.parts[0].rows[:rows]
        return " ".join(normalize_text(c) for row in first for c in row if c)

    def rows(self) -> Iterable[tuple[int, int, Row]]:
        """(page_number, row_index, row) over all parts; row_index counts across parts."""
        index = 0
        for part in self.parts:
            for row in part.rows:
                yield part.page_number, index, row
                index += 1


def stitch(pages: Iterable[Page]) -> list[LogicalTable]:
    """Group page tables into logical tables.

    A table with a title line above it starts a new logical table, and so does one whose
    caption only numbers it (附表3, 公开03表) with another number than the current table's
    (a table printed without a title, or with its title as an image); one without continues
    the previous table (a table continued on the next page, with or without a repeated
    header), unless a numbered heading ("2.三馆一站免费开放资金") stands above a fresh
    一级指标 header: that heading is its title. A table continues only on the page after the
    previous table's last page: one printed after pages without a table (prose between
    them: 广州's 重点项目绩效目标 after the 情况说明) starts a table of its own. A title left
    at the bottom of a page with no table below it belongs to the first table of the next
    page, unless that table has its title ruled into its grid.

    A part without a title continues the previous table only where its columns line up with
    it and its codes are of the same classification (`_continues`); otherwise it is a table
    of its own, untitled. Text lines opening a page after a table that ran to the previous
    page's foot, aligned to its columns, are that table's rows (`_leading_rows`: a row
    printed alone on a page, without the rule above it, makes no grid). After a table
    printed without rulings (extract/wordgrid.py), a page that prints neither title nor
    header continues it in its columns (`_loose_rows`, `_unruled_rows`), and a page that
    is no table by itself opens the table whose title was left at the foot of the page
    before (`_tables_of`).
    """
    tables: list[LogicalTable] = []
    pending: list[str] = []  # caption lines left below the last table of a page
    current_number: str | None = None  # the 附表3 / 公开03表 line of the current table
    at_foot = False  # the previous page's last table ran to its foot
    for page in pages:
        if at_foot and (leading := _leading_rows(page, tables[-1])) is not None:
            tables[-1].parts.append(leading)
        if at_foot and (loose := _loose_rows(page, tables[-1])) is not None:
            tables[-1].parts.append(loose)
        for position, table in enumerate(_tables_of(page, tables, pending)):
            caption = table.caption
            part = resolve_grid(table, carry=_last_labels(tables))
            title, embedded = table.title, list[str]()
            if title is None:  # some exports rule the title and unit line into the grid
                title, embedded = _embedded_caption(part)
            if title is None and position == 0 and pending and _opens(part, tables, page):
                caption = pending + caption
                table.caption = caption
                title = table.title
            caption = caption + embedded
            if title is None:
                title = _numbered_heading(caption, part)
            if title is None and position == 0 and at_foot:
                rows = _unruled_rows(page, table, part, tables)
                if rows is not None:  # the rows of the unruled table before, headerless
                    tables[-1].parts.append(rows)
                    continue
            number = _table_number(caption)
            renumbered = number is not None and number != current_number
            if position == 0 and title is not None and _repeats(tables, title, caption, part):
                title = None  # its title and header printed again on the next page
            if (
                title is not None
                or not tables
                or renumbered
                or _after_gap(tables, page)
                or not _continues(tables[-1], part)
            ):
                tables.append(LogicalTable(len(tables), title, caption))
                current_number = number
            elif part.ruled or not _own_grid(tables[-1], part):
                # an unruled part lines up with the last part (its columns are its words')
                reference = tables[-1].parts[0 if part.ruled else -1]
                part = part.aligned_to(reference.edges)
            tables[-1].parts.append(part)
        pending = _trailing_title_lines(page)
        at_foot = bool(tables) and tables[-1].parts[-1].page_number == page.number
        at_foot = at_foot and not any(not _PAGE_NUMBER.match(line) for line in page.trailing)
        at_foot = at_foot and not pending  # a title at its foot: the next table's
    return tables


_EDGE_TOLERANCE = 3.0  # points two pages' column rules may differ by and still line up
# A code opening a row: 201, 2010101, [30101], 【201】, 2010101-行政运行, 301 工资福利支出;
# its first digit names the classification (2: 功能分类; 3, 5: 部门 and 政府 经济分类).
_ROW_CODE = re.compile(r"^[\[［【(（]?([1-9])\d{2}(?:\d{2}){0,2}(?![\d.,，])")
_CLASSIFICATION = {"2": "function", "3": "economic", "5": "economic"}
# A page number printed below a table: 3, - 3 -, 第3页, 第 3 页 共 20 页, 3/20
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(第\s*)?\d{1,4}(\s*页)?(\s*[/共]\s*\d{1,4}\s*页?)?[-—–\s]*$")


def _continues(previous: LogicalTable, part: Part) -> bool:
    """Whether a part printed without a title continues `previous`: its columns line up
    with it (as many columns, or its column rules where the previous table's are, or the
    previous table's header printed again) and the codes it prints, if any, are of the
    classification the previous table's are. A 基本支出表 of 3xx codes on the page after a
    function table of 2xx codes, or a table of other columns, is a table of its own. A
    form (项目名称 | its name, 部门（单位）名称 | the department) lays each block out in
    columns of its own: its columns are not compared."""
    last = previous.parts[-1]
    lined = (
        _is_form(previous)
        or len(part.edges) == len(last.edges)
        or any(_edges_meet(part.edges, p.edges) for p in (previous.parts[0], last))
        or _repeats_header(previous, part)
    )
    if not lined:
        return False
    before = _classification(row for _, _, row in previous.rows())
    after = _classification(part.rows)
    return before is None or after is None or before == after


def _own_grid(previous: LogicalTable, part: Part) -> bool:
    """Whether an unruled part continuing a form keeps the columns of its own words: it
    prints the header of its indicator grid (一级指标 … 三级指标), whose columns are none of
    the form head's above it. Put under the head's columns, two of its columns would fall
    into one (一级 and 二级 joined), and the rows continuing it on the next page are read
    in its columns (`_unruled_rows`)."""
    return _is_form(previous) and any(
        wordgrid.looks_like_indicators(" ".join(c for c in row if c)) for row in part.rows
    )


# A form label, as the form's head prints it: 部门（单位）名称, 项目名称：
_LABEL_NOISE = re.compile(r"[\s:：]|[（(][^）)]*[）)]")


def _is_form(table: LogicalTable) -> bool:
    """A performance-target form: it opens with a label of a form's head (the vocabulary's
    indicators.form) beside its value."""
    texts = _distinct(table.parts[0].rows[0]) if table.parts[0].rows else []
    if len(texts) < 2:
        return False
    form: dict[str, list[str]] = vocabulary.data()["indicators"]["form"]
    return _LABEL_NOISE.sub("", texts[0]) in {label for labels in form.values() for label in labels}


def _edges_meet(edges: list[float], others: list[float]) -> bool:
    """Every column rule of the one with fewer columns (two at least) at the x of one of
    the other's: a row whose label spans columns, a merged column cut away by the page
    break, or a grid that splits a column the other prints whole."""
    fewer, more = sorted((edges, others), key=len)
    return len(fewer) >= 3 and all(any(abs(x - y) <= _EDGE_TOLERANCE for y in more) for x in fewer)


def _repeats_header(previous: LogicalTable, part: Part) -> bool:
    first = previous.parts[0].rows[0] if previous.parts[0].rows else []
    return (
        bool(part.rows)
        and bool(_distinct(first))
        and _distinct([normalize_text(c) for c in part.rows[0]])
        == _distinct([normalize_text(c) for c in first])
    )


def _classification(rows: Iterable[Row]) -> str | None:
    """The classification most of the rows' codes are of (the first cell printed on a row
    that opens with a code), or None where no row prints one."""
    counts: dict[str, int] = {}
    for row in rows:
        first = next((normalize_text(c) for c in row if c), "")
        match = _ROW_CODE.match(first)
        if match:
            kind = _CLASSIFICATION.get(match.group(1), "other")
            counts[kind] = counts.get(kind, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


def _leading_rows(page: Page, previous: LogicalTable) -> Part | None:
    """The text lines opening `page`, above its first table, that are rows of the table
    `previous`, which ran to the previous page's foot: each line's words lie within the
    previous table's columns (none across a column rule) and print an amount. The lines
    are read from the top until the first that is not such a row (a title, prose)."""
    edges = previous.parts[-1].edges
    top = page.tables[0].bbox[1] if page.tables else float("inf")
    words = [w for w in page.words if w.bottom <= top + 1]
    rows: list[Row] = []
    box_top = box_bottom = 0.0
    for line in _word_lines(words):
        cells = _aligned_cells(line, edges)
        if cells is None or not any(is_amount(cell) for cell in cells):
            break
        if not rows:
            box_top = min(w.top for w in line)
        box_bottom = max(w.bottom for w in line)
        rows.append(cells)
    if not rows:
        return None
    box = (edges[0], box_top, edges[-1], box_bottom)
    return Part(page.number, rows, edges, box, previous.parts[-1].ruled)


def _tables_of(page: Page, tables: list[LogicalTable], pending: list[str]) -> list[PageTable]:
    """The page's tables; on a page without rulings that does not read as a table by
    itself, the tables its words show when the page before, printed without rulings,
    left a title at its foot (the title orphaned above its table)."""
    if page.tables or not pending or not tables or tables[-1].parts[-1].ruled:
        return page.tables
    return page.loose_tables


def _unruled_rows(
    page: Page, table: PageTable, part: Part, tables: list[LogicalTable]
) -> Part | None:
    """An untitled, headerless table opening a page without rulings, after an unruled
    table that ran to the previous page's foot: its rows in that table's columns (this
    page, printed with some columns blank, may show fewer columns of its own)."""
    if table.ruled or not tables or tables[-1].parts[-1].ruled or not part.rows:
        return None
    head = " ".join(c for row in part.rows[:3] for c in row if c)
    if split_header(part.rows) > 0 or wordgrid.looks_like_indicators(head):
        return None  # it prints a header of its own: read as a table
    words = [w for w in page.loose if w.bottom <= table.bbox[3] + 1]
    edges = tables[-1].parts[-1].edges
    found = wordgrid.continued(words, edges, is_title)
    if found is None:
        return None
    rows, bbox = found
    return Part(page.number, rows, edges, bbox, ruled=False)


def _loose_rows(page: Page, previous: LogicalTable) -> Part | None:
    """The rows opening a page that prints neither title nor header nor rulings
    (Page.loose), in the columns of `previous`, itself printed without rulings, which ran
    to the previous page's foot (extract.wordgrid.continued); or, after a form, in columns
    of their own."""
    if page.tables or not page.loose or previous.parts[-1].ruled:
        return None
    edges = previous.parts[-1].edges
    found = wordgrid.continued(page.loose, edges, is_title)
    if found is not None:
        rows, bbox = found
        return Part(page.number, rows, edges, bbox, ruled=False)
    own = wordgrid.headless(page.loose, is_title) if _is_form(previous) else None
    if own is None:  # a form lays out each block in columns of its own
        return None
    boxes: list[list[BBox | None]] = [list(r.cells) for r in own.rows]
    return resolve_grid(PageTable(page.number, own.texts, boxes,
                                  own.bbox, [], page.loose, ruled=False))  # fmt: skip


def _aligned_cells(line: list[Word], edges: list[float]) -> Row | None:
    """A line's words as cells of the columns `edges` rule, or None where a word lies
    outside the table or across a column rule (a line of prose, not a row)."""
    texts: list[list[str]] = [[] for _ in edges[:-1]]
    for word in line:
        column = _index(edges, word.x0 + _EDGE_TOLERANCE)
        if word.x0 < edges[0] - _EDGE_TOLERANCE or column >= len(texts):
            return None
        if word.x1 > edges[column + 1] + _EDGE_TOLERANCE:
            return None
        texts[column].append(word.text)
    return [clean_cell(" ".join(cell)) for cell in texts]


def _word_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines by their top, from the top of the page."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w.top), w.x0)):
        if lines and abs(lines[-1][0].top - word.top) <= _EDGE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _opens(part: Part, tables: list[LogicalTable], page: Page) -> bool:
    """Whether a part can open the table a title left at the previous page's foot names:
    after a page without a table, any; after a table's last rows (the title below them), a
    part that opens with its header (rows with no amount), not the previous table's
    continued rows."""
    continued = bool(tables) and tables[-1].parts[-1].page_number == page.number - 1
    return not continued or split_header(part.rows) > 0


def _after_gap(tables: list[LogicalTable], page: Page) -> bool:
    """Whether pages without a table lie between the previous table's last part and this
    page: what follows them is no continuation of it."""
    parts = tables[-1].parts if tables else []
    return bool(parts) and page.number > parts[-1].page_number + 1


def _repeats(tables: list[LogicalTable], title: str, caption: list[str], part: Part) -> bool:
    """A table continued on the next page with its title and header printed again: the same
    title, department and first (header) row as the table before it."""
    if not tables or not tables[-1].parts or not part.rows:
        return False
    previous = tables[-1]
    if normalize_text(previous.title) != normalize_text(title):
        return False
    if LogicalTable(0, title, caption).department != previous.department:
        return False  # the same table of another unit
    first = previous.parts[0].rows[0] if previous.parts[0].rows else []
    return _distinct([normalize_text(c) for c in part.rows[0]]) == _distinct(
        [normalize_text(c) for c in first]
    )


def _table_number(caption: list[str]) -> str | None:
    return next((n for line in reversed(caption) if (n := table_number(line))), None)


# "2.三馆一站免费开放资金", "4. 清洁取暖…": not "3459.02 万元…" (a number of the narrative)
_NUMBERED = re.compile(r"^\s*\d{1,2}\s*[.．、](?!\d)")


def _numbered_heading(caption: list[str], part: Part) -> str | None:
    """The last numbered caption line, if the grid opens with its own 一级指标 header.

    Performance-target blocks (重大政策和重点项目绩效目标) are headed by a numbered line that
    need not end in 表. A grid whose 一级指标 header also names 项目名称 lists a project per
    row and is headed by no project: a numbered line above it is the text of a merged cell
    drawn above a continuation page ("1.国民经济核算和…", a project's 绩效目标 cut by the
    page break), not a heading.
    """
    header = next((row for row in part.rows[:3] if any("一级指标" in (c or "") for c in row)), None)
    if header is None or any("项目名称" in (cell or "") for cell in header):
        return None
    for line in reversed(caption):
        text = normalize_text(line)
        if _NUMBERED.match(text) and len(text) <= 60:
            return text
    return None


_CAPTION_LINE = re.compile(r"(单位|部门)\s*[:：]")
# Where a caption line starts inside one cell: 部门：…, 单位：万元, 编制单位：…, 单位名称：…
_CAPTION_START = re.compile(r"(?=(?:编制|预算|主管)?(?:单位|部门)(?:名称)?\s*[:：])")


def _embedded_caption(part: Part) -> tuple[str | None, list[str]]:
    """A title row (one text across the whole grid) and the unit lines below it, if the
    first rows of the grid hold them; they are removed from the part. Title and unit lines
    ruled into one cell ("收支预算总表部门：某厅单位：万元") are split into their lines."""
    for index, row in enumerate(part.rows[:4]):
        texts = _distinct(row)
        if len(texts) != 1:
            continue
        title, *inline = [t.strip() for t in _CAPTION_START.split(texts[0]) if t.strip()]
        if not is_title(title):
            continue
        caption, end = [title, *inline], index + 1
        for following in part.rows[index + 1 : index + 4]:
            line = _distinct(following)
            if line and not any(_CAPTION_LINE.search(t) for t in line):
                break
            if line:
                caption.append(" ".join(line))
            end += 1
        del part.rows[:end]
        return normalize_text(title), caption
    return None, []


def _distinct(row: Row) -> list[str]:
    texts: list[str] = []
    for cell in row:
        if cell and cell not in texts:
            texts.append(cell)
    return texts


def _trailing_title_lines(page: Page) -> list[str]:
    """A title left at the foot of the page (its table on the next): the last lines of a
    page without a table, or the lines below the page's last table."""
    lines = page.trailing[-4:] if page.tables else page.text.splitlines()[-4:]
    probe = PageTable(page.number, [], [], (0, 0, 0, 0), lines)
    return lines if probe.title or _heading_at_foot(page) else []


def _heading_at_foot(page: Page) -> bool:
    """The page's last line is a numbered heading printed larger than the rest (a
    project's grid on the next page: 2.三馆一站免费开放资金)."""
    if not page.words:
        return False
    height = median(w.bottom - w.top for w in page.words)
    return wordgrid.is_heading(wordgrid.lines_of(page.words)[-1], height)


def _last_labels(tables: list[LogicalTable]) -> Row | None:
    if not tables or not tables[-1].parts or not tables[-1].parts[-1].rows:
        return None
    return tables[-1].parts[-1].rows[-1]


def resolve_grid(table: PageTable, carry: Row | None = None) -> Part:
    """Give every grid position the text of the cell covering it.

    `carry` is the last resolved row of the previous part: a position covered by no cell at
    the top of a continuation page takes its label from there when no text is drawn in it.
    """
    boxes = [box for row in table.cells for box in row if box is not None]
    xs = [*sorted({round(b[0], 1) for b in boxes}), max(b[2] for b in boxes)]
    ys = [*sorted({round(b[1], 1) for b in boxes}), max(b[3] for b in boxes)]
    n_rows, n_cols = len(table.rows), len(table.rows[0])
    rows: list[Row] = [list(r) for r in table.rows]
    origins: list[list[tuple[int, int] | None]] = [[None] * n_cols for _ in range(n_rows)]
    for r, row_boxes in enumerate(table.cells):
        for c, box in enumerate(row_boxes):
            if box is None:
                continue
            r0, c0 = _index(ys, box[1]), _index(xs, box[0])
            r1, c1 = _index(ys, box[3] - 0.5), _index(xs, box[2] - 0.5)
            for rr in range(r0, min(r1, n_rows - 1) + 1):
                for cc in range(c0, min(c1, n_cols - 1) + 1):
                    if origins[rr][cc] is None:
                        origins[rr][cc] = (r, c)
                        rows[rr][cc] = table.rows[r][c]
    _fill_uncovered(table, rows, origins, xs, ys, carry)
    return Part(table.page_number, rows, xs, table.bbox, table.ruled)


def _index(edges: list[float], value: float) -> int:
    return max(0, bisect.bisect_right(edges, round(value, 1)) - 1)


def _fill_uncovered(
    table: PageTable,
    rows: list[Row],
    origins: list[list[tuple[int, int] | None]],
    xs: list[float],
    ys: list[float],
    carry: Row | None,
) -> None:
    """Label runs of positions no cell covers: merged cells cut by a page break."""
    n_rows, n_cols = len(rows), len(rows[0])
    table_top = table.bbox[1]
    for c in range(n_cols):
        r = 0
        while r < n_rows:
            if origins[r][c] is not None:
                r += 1
                continue
            start = r
            while r < n_rows and origins[r][c] is None:
                r += 1
            top = ys[start] if start > 0 else float("-inf")
            bottom = ys[r] if r < n_rows else float("inf")
            text = _words_in(table.words, xs[c], xs[min(c + 1, len(xs) - 1)], top, bottom)
            text = [w for w in text if w.top < 0 or w.top >= table_top - 1]
            label = normalize_text(" ".join(w.text for w in text)) or None
            if label is None and start == 0 and carry is not None and c < len(carry):
                label = carry[c]
            for rr in range(start, r):
                rows[rr][c] = label


def _words_in(words: list[Word], x0: float, x1: float, top: float, bottom: float) -> list[Word]:
    found = [
        w
        for w in words
        if w.x0 >= x0 - 1 and w.x1 <= x1 + 1 and top <= (w.top + w.bottom) / 2 < bottom
    ]
    return sorted(found, key=lambda w: (round(w.top), w.x0))


def split_header(rows: list[Row]) -> int:
    """Number of leading header rows: rows before the first that carries an amount.

    A 栏次 row numbering the columns (1, 2, 3, …) belongs to the header.
    """
    for index, row in enumerate(rows):
        if any(is_amount(cell) for cell in row) and not is_column_numbers(row):
            return index
    return len(rows)


# Cells of a 栏次 row that number no column: 栏次 / 行次 labels and the * or ** printed over
# the label columns (seed 001: ** ** ** ** ** 1 2 3 …).
_COLUMN_MARK = re.compile(r"^(栏次|行次|[*＊#]+)$")


def is_column_numbers(row: Row) -> bool:
    """A 栏次 row: it numbers the columns (1 2 3 …, in any notation), it holds no data."""
    texts = [normalize_text(c) for c in row if c]
    if "栏次" in texts or "行次" in texts:
        return True
    marks = [t for t in texts if _COLUMN_MARK.match(t)]
    texts = [t for t in texts if not _COLUMN_MARK.match(t)]
    if marks and not texts:
        return len(marks) >= 3
    numbers = [int(t) for t in texts if t.isdigit()]
    return (
        bool(numbers)
        and len(numbers) == len(texts)
        and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        # beside marks counting from 1: ** | 1 over a table of one amount column (杭州)
        and (len(numbers) >= 3 or (bool(marks) and numbers[0] == 1))
    )
