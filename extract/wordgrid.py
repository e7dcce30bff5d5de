"""Tables printed without column rulings, read from the positions of their words.

A table printed with no rule at all, or as a 三线表 (a rule above and one below the
header, one at its foot), has no grid for pdfplumber to find. Its words still show it:

- rows: the lines of one printed row lie close together (a cell wrapping over lines, a
  label centred beside it); a wider gap, the cell padding, separates two rows (`GAP`);
- columns: the x-ranges that hold words in several rows, with an empty gutter between
  them (`GUTTER`); a header label over a column printed empty adds its own;
- the header: the rows above the first row of data (an amount, or the rows under a
  一级指标 header), rebuilt into cells here, once, for every family: a label's lines are
  joined (工资福 + 利支出), and a label centred over several columns (基本支出 over 人员经费
  and 公用经费) covers them all, as a merged cell of a ruled table does.

The result has the shape of a ruled pdfplumber table (rows of cells with boxes), so the
rest of the reading (captions, stitching, families, vocabulary) is the same.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from statistics import median
from typing import TYPE_CHECKING

from extract.values import clean_cell, is_amount, normalize_text

if TYPE_CHECKING:
    from extract.pdf import Word

Line = list["Word"]
Extent = tuple[float, float]  # a column's x-range

GAP = 0.36  # a vertical gap wider than this share of a line's height starts a new row
GUTTER = 0.5  # points of x that no two rows print on: a gutter between two columns
X_TOLERANCE = 0.8  # points between two characters of one word (cells may stand 1 pt apart)
LINE_TOLERANCE = 2.0  # points two words' tops may differ by on one line
MAX_HEADER_ROWS = 4
PHRASE_GAP = 0.45  # words this share of a line's height apart, or nearer: one phrase
GUTTER_OUTSIDE = 6.0  # points a continued row's words may stand beyond the table's edges
HEADING = 1.3  # a line printed this many times as high as the rows, or more: a heading
UNSPANNED = 10.0  # what leaving a column under no label of the row above costs (points)
# lines above a table that caption it: 单位：万元, 部门：…, (2021年度), 金额单位
_CAPTION = re.compile(r"^(?:[（(].{0,12}[)）]$|.{0,20}(?:单位|部门|编制)(?:名称)?\s*[:：])")
# a numbered heading naming a project over its grid: "2.三馆一站免费开放资金" (not 3459.02)
_HEADING = re.compile(r"^\s*\d{1,2}\s*[.．、](?!\d)\S{2,58}$")
_NOTE = re.compile(r"^(注|说明|备注)\s*[:：0-9１-９]")
_INDICATOR_HEADER = ("一级指标", "三级指标")


@dataclass
class _Row:
    cells: list[tuple[float, float, float, float]]


@dataclass
class WordTable:
    """A table read from word positions, in the shape of a pdfplumber table."""

    bbox: tuple[float, float, float, float]
    texts: list[list[str | None]]
    rows: list[_Row] = field(default_factory=list)

    def extract(self) -> list[list[str | None]]:
        return [list(row) for row in self.texts]


def looks_like_indicators(text: str) -> bool:
    """A line heading a performance-target grid (一级指标 … 三级指标)."""
    plain = re.sub(r"\s", "", text)
    return all(word in plain for word in _INDICATOR_HEADER)


def lines_of(words: list[Word]) -> list[Line]:
    """Words grouped into lines by their top, top-down, each line left to right."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        if lines and abs(lines[-1][0].top - word.top) <= LINE_TOLERANCE:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def find(words: list[Word], is_title: Callable[[str], bool], rules: list[float]) -> list[WordTable]:
    """The tables of a page without ruled tables: each runs from below its caption (title,
    单位 lines) or the page top, to the next title, a note, or the page's last row.
    `rules`: the y of the page's long horizontal rules (a 三线表's)."""
    tables: list[WordTable] = []
    region: list[Line] = []
    for line in lines_of(words):
        text = " ".join(w.text for w in line)
        if is_title(text) or _NOTE.match(normalize_text(text)):
            tables += _table(region, rules)
            region = []
            continue
        if not region and (_CAPTION.match(normalize_text(text)) or _HEADING.match(text)):
            continue  # a caption line under the title, or a numbered heading over a grid
        region.append(line)
    tables += _table(region, rules)
    return tables


def continued(
    words: list[Word], edges: list[float], is_title: Callable[[str], bool]
) -> tuple[list[list[str | None]], tuple[float, float, float, float]] | None:
    """The rows opening a page that continue an unruled table whose columns `edges` rule
    (its left edges, then its right edge): its printed rows down to a title or a note,
    each word in the column its start (an amount: its end) lies in. None where a line
    reaches outside the table (prose: only the last column's text may run on past its
    right edge), or no row is found. The page is read in columns of
    its own (a column printed blank there, such as a merged 一级指标's, is not seen), each
    then put under the table's column its left edge lies in."""
    lines: list[Line] = []
    height = median(w.bottom - w.top for w in words) if words else 0.0
    for line in lines_of(words):
        text = " ".join(w.text for w in line)
        if is_title(text) or _NOTE.match(normalize_text(text)) or is_heading(line, height):
            break
        if line[0].x0 < edges[0] - GUTTER_OUTSIDE or _beyond(line[-1], edges):
            return None
        lines.append(line)
    blocks = _blocks(lines)
    if not blocks:
        return None
    # the page's own columns, mapped onto the table's; a line in a larger print (a heading
    # left among the rows) stands over no column
    height = median(w.bottom - w.top for b in blocks for w in b)
    rows_only = [b for b in blocks if median(w.bottom - w.top for w in b) <= HEADING * height]

    def column(span: Extent) -> int:  # the table's column a range's left edge lies in
        return max(0, min(bisect_right(edges, span[0] + 1) - 1, len(edges) - 2))

    ranges = _columns(rows_only or blocks, [], need=1)
    ranges = _without_overflow(ranges, blocks, lambda left, span: column(left) == column(span))
    target = [column(span) for span in ranges]
    if len(set(target)) < len(target) and len(ranges) == len(edges) - 1:
        target = list(range(len(ranges)))  # printed at other x than the page before: in order
    rows: list[list[str | None]] = []
    for block in blocks:
        row: list[list[str]] = [[] for _ in edges[:-1]]
        for c, cell in enumerate(_cells(block, ranges)):
            if cell:
                row[target[c]].append(cell)
        rows.append([clean_cell("\n".join(texts)) for texts in row])
    top = min(w.top for w in blocks[0]) - 1
    bottom = max(w.bottom for w in blocks[-1]) + 1
    return rows, (edges[0], top, edges[-1], bottom)


def _beyond(word: Word, edges: list[float]) -> bool:
    """A word reaching past the table's right edge from a column left of its last (a
    line of prose across the page); a longer text of the last column runs on past it."""
    return word.x1 > edges[-1] + GUTTER_OUTSIDE and word.x0 < edges[-2]


def is_heading(line: Line, height: float) -> bool:
    """A numbered heading over the next grid (2.三馆一站免费开放资金), printed larger than
    the rows of `height`: no row of the table above it."""
    text = " ".join(w.text for w in line)
    return bool(_HEADING.match(text)) and median(w.bottom - w.top for w in line) > HEADING * height


def _blocks(lines: list[Line]) -> list[Line]:
    """Lines grouped into printed rows: a line starts a new row when it stands more than
    GAP of a line's height below every line of the row so far."""
    if not lines:
        return []
    height = median(w.bottom - w.top for line in lines for w in line)
    blocks: list[Line] = []
    bottom = float("-inf")
    for line in lines:
        top = min(w.top for w in line)
        if blocks and top - bottom <= GAP * height:
            blocks[-1].extend(line)
        else:
            blocks.append(list(line))
        bottom = max(w.bottom for w in blocks[-1])
    return blocks


def _column_numbers(block: Line) -> bool:
    """A 栏次 row (** ** 1 2 3 …): it numbers the columns, it prints no data."""
    return all(re.fullmatch(r"\d{1,2}|[*＊]+|栏次|行次", w.text) for w in block)


def _is_data(block: Line) -> bool:
    return any(is_amount(w.text) for w in block) and not _column_numbers(block)


def _header_end(blocks: list[Line], rules: list[float]) -> tuple[int, int]:
    """(first header block, first body block): a 一级指标 header is its own block; a form's
    head has none; else the blocks above the first data block, at most MAX_HEADER_ROWS;
    else, in a 三线表, the blocks between its first two rules."""
    for i, block in enumerate(blocks):
        if looks_like_indicators(" ".join(w.text for w in block)):
            return i, i + 1
    if _is_form(blocks[0]):  # a project form's head: label | value rows, no header
        return 0, 0
    for i, block in enumerate(blocks):
        if _is_data(block) or _column_numbers(block):
            return max(0, i - MAX_HEADER_ROWS), i
    for upper, lower in pairwise(rules):
        inside = [i for i, b in enumerate(blocks) if upper <= min(w.top for w in b) < lower]
        if inside and inside[-1] + 1 < len(blocks):
            return inside[0], inside[-1] + 1
    return 0, 0


def _label_left(row: list[str | None]) -> list[str | None]:
    """A form's label printed right of the first column (centred in a cell merged over
    the first columns) covers them, as the merged cell of a ruled form does."""
    first = next((c for c, text in enumerate(row) if text), 0)
    if first and _form_label(row[first] or ""):
        row[:first] = [row[first]] * first
    return row


def _form_label(text: str) -> bool:
    from extract import vocabulary  # it reads extract.pdf, which reads this module

    form: dict[str, list[str]] = vocabulary.data()["indicators"]["form"]
    plain = re.sub(r"[\s:：]", "", text)
    return any(plain.startswith(label) for labels in form.values() for label in labels)


def _is_form(block: Line) -> bool:
    """A row opening with a label of a project form's head (the vocabulary's
    indicators.form: 项目名称, 主管部门, …)."""
    return _form_label(min(block, key=lambda w: w.x0).text)


def _columns(
    body: list[Line], header: list[Line], need: int | None = None
) -> list[tuple[float, float]]:
    """Column x-ranges: where words stand in more than one body row (in one, when the body
    has fewer than four rows), split at gutters; a header label over no such range (a
    column printed empty) adds its own."""
    body = [b for b in body if not _column_numbers(b)] or header
    events: list[tuple[float, int]] = []
    for block in body:
        for a, b in _union([(w.x0, w.x1) for w in block]):
            events += [(a, 1), (b, -1)]
    need = need or (2 if len(body) >= 4 else 1)
    ranges: list[tuple[float, float]] = []
    depth, start = 0, 0.0
    for x, step in sorted(events, key=lambda e: (e[0], -e[1])):
        if step > 0 and depth + 1 == need:
            start = x
        elif step < 0 and depth == need:
            if ranges and start - ranges[-1][1] <= GUTTER:
                ranges[-1] = (ranges[-1][0], x)
            else:
                ranges.append((start, x))
        depth += step
    if header:
        labels = [w for block in header for w in block]

        def unlabelled(left: tuple[float, float], span: tuple[float, float]) -> bool:
            # no label over it but one over the column on its left too (a label spanning
            # both does not make two columns)
            return not any(_hit(w, [span]) and not _hit(w, [left]) for w in labels)

        ranges = _without_overflow(ranges, body, unlabelled)
    for block in header:
        claimed = {c for w in block for c in _hit(w, ranges)}
        for w in block:
            if _hit(w, ranges) or _wrapped(w, block):
                continue
            nearest = min(range(len(ranges)), key=lambda c: _distance(w, ranges[c]), default=None)
            if nearest is not None and nearest not in claimed:  # a label centred over it
                ranges[nearest] = (min(ranges[nearest][0], w.x0), max(ranges[nearest][1], w.x1))
                claimed.add(nearest)
            else:  # a column printed empty
                ranges.append((w.x0, w.x1))
                ranges.sort()
                claimed = {c for w2 in block for c in _hit(w2, ranges)}
    return ranges


def _wrapped(word: Word, block: Line) -> bool:
    """A header word that is the next line of a label above it: on the line right under
    it (no wider gap than between two lines of a row) and within its width (公用经 / 费)."""
    return any(
        0 <= word.top - above.bottom <= GAP * (above.bottom - above.top)
        and above.x0 - LINE_TOLERANCE <= word.x0
        and word.x1 <= above.x1 + LINE_TOLERANCE
        for above in block
    )


def _without_overflow(
    ranges: list[Extent], body: list[Line], joinable: Callable[[Extent, Extent], bool]
) -> list[Extent]:
    """The ranges with those that are only the overflow of the column on their left
    joined to it: a range every word of which continues a phrase started left of it on its
    line (a label printed with a space inside it, ≥500 个, 服务对象满 意度指标, 1. 联合组织…,
    as the seed prints them, in two rows or more, or a wrapped cell's line running on past
    its column's usual extent), where `joinable` (the range on its left, it) allows: no
    header label of its own stands over it, or it lies in the column of the table the
    range on its left lies in."""
    phrases: list[tuple[Word, bool]] = []  # each body word, and whether it continues a phrase
    for block in body:
        height = median(w.bottom - w.top for w in block)
        for line in lines_of(block):
            for i, word in enumerate(line):
                near = i > 0 and 0 <= word.x0 - line[i - 1].x1 <= PHRASE_GAP * height
                phrases.append((word, near))
    merged: list[Extent] = []
    for a, b in ranges:
        inside = [near for w, near in phrases if a <= w.x0 <= b]
        if merged and inside and all(inside) and joinable(merged[-1], (a, b)):
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _distance(word: Word, span: tuple[float, float]) -> float:
    return max(span[0] - word.x1, word.x0 - span[1], 0.0)


def _union(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    merged: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return min(a1, b1) - max(a0, b0)


def _column_of(word: Word, ranges: list[tuple[float, float]]) -> int:
    """A body word's column: the one its start lies in (left-aligned text) or, for an
    amount, its end (right-aligned); else the one it overlaps most; else the nearest."""
    x = word.x1 if is_amount(word.text) else word.x0
    inside = [c for c, (a, b) in enumerate(ranges) if a <= x <= b]
    if inside:
        return inside[0]
    started = [c for c, (a, _) in enumerate(ranges) if a <= word.x0]
    if is_amount(word.text) and started:  # right-aligned short of the next column's text
        return started[-1]
    overlaps = [(_overlap(word.x0, word.x1, a, b), c) for c, (a, b) in enumerate(ranges)]
    best = max(overlaps)
    if best[0] > 0:
        return best[1]
    return min(range(len(ranges)), key=lambda c: _distance(word, ranges[c]))


def _cells(block: Line, ranges: list[tuple[float, float]]) -> list[str | None]:
    """A printed row's cells: each phrase (words a space apart on one line) in the column
    its first word stands in, so that a wrapped cell's words beyond the column's usual
    extent stay in it; a word standing inside another column starts a phrase there. A
    phrase under a phrase of a line above, within its extent, continues its cell (a
    centred cell wrapped over lines)."""
    height = median(w.bottom - w.top for w in block)
    cells: list[Line] = [[] for _ in ranges]
    above: list[tuple[int, float, float]] = []  # (column, x0, x1) of the lines above's phrases
    for line in lines_of(block):
        here: list[tuple[int, float, float]] = []
        for i, word in enumerate(line):
            near = i > 0 and word.x0 - line[i - 1].x1 <= PHRASE_GAP * height
            inside = [c for c, (a, b) in enumerate(ranges) if a <= word.x0 <= b]
            if here and near and (not inside or inside[0] == here[-1][0]):
                here[-1] = (here[-1][0], here[-1][1], word.x1)
            else:
                under = [c for c, x0, x1 in reversed(above) if x0 - LINE_TOLERANCE <= word.x0 <= x1]
                here.append((under[0] if under else _column_of(word, ranges), word.x0, word.x1))
            cells[here[-1][0]].append(word)
        above += here
    return [_join(words) for words in cells]


def _join(words: Line) -> str | None:
    """A cell's words in reading order: lines top-down (joined as a wrapped cell's lines)."""
    return clean_cell("\n".join(" ".join(w.text for w in line) for line in lines_of(words)))


def _header_rows(header: list[Line], ranges: list[tuple[float, float]]) -> list[list[str | None]]:
    """The header blocks as rows of cells: each label (a column's words within a block)
    over the columns it stands over, widened to the columns it is centred over that print
    a label lower down and none beside it (a merged cell's label: 基本支出 over 小计,
    人员经费 and 公用经费)."""
    rows: list[list[str | None]] = []
    for k, block in enumerate(header):
        labels: dict[tuple[int, int], Line] = {}
        for word in block:
            hit = _hit(word, ranges) or [_column_of(word, ranges)]
            labels.setdefault((hit[0], hit[-1]), []).append(word)  # a label's lines
        below = [w for lower in header[k + 1 :] for w in lower]
        spans = _spread(sorted(labels.items()), below, ranges)
        row: list[str | None] = [None] * len(ranges)
        for (first, last), words in spans:
            text = _join(words)
            for c in range(first, last + 1):
                row[c] = text
        rows.append(row)
    # a column no header row names (a label merged down over rows) carries the one above
    for r in range(1, len(rows)):
        for c in range(len(ranges)):
            if rows[r][c] is None:
                rows[r][c] = rows[r - 1][c]
    return rows


Span = tuple[tuple[int, int], Line]


def _spread(labels: list[Span], below: Line, ranges: list[tuple[float, float]]) -> list[Span]:
    """Give the columns with a label below and none in this row to the labels beside
    them, each label's span contiguous, so that every label stands centred over what it
    spans (the labels below it, or itself where nothing is below): the split of every
    run of such columns between its two labels that errs least in all."""
    if not labels or not below:
        return labels
    lower = {c for w in below for c in (_hit(w, ranges) or [_column_of(w, ranges)])}
    taken = {c for (a, b), _ in labels for c in range(a, b + 1)}

    def free_run(a: int, b: int) -> int:  # free columns from a towards b (exclusive)
        step, n, c = (1 if b > a else -1), 0, a
        while c != b and c not in taken and c in lower:
            n, c = n + 1, c + step
        return n

    def error(span: tuple[int, int], words: Line) -> float:
        inside = [w for w in below if span[0] <= _column_of(w, ranges) <= span[1]]
        empty = any(not any(_column_of(w, ranges) == c for w in inside)
                    for c in range(span[0], span[1] + 1))  # fmt: skip
        group = inside + (words if empty or not inside else [])
        centre = (min(w.x0 for w in group) + max(w.x1 for w in group)) / 2
        return abs(centre - (min(w.x0 for w in words) + max(w.x1 for w in words)) / 2)

    # per label: how far it may reach left (free columns before it; a run between two
    # labels is shared) and right
    n = len(labels)
    reach_left = [free_run(labels[i][0][0] - 1, -1) for i in range(n)]
    reach_right = [free_run(labels[i][0][1] + 1, len(ranges)) for i in range(n)]
    best: dict[tuple[int, int], tuple[float, list[tuple[int, int]]]] = {}

    def solve(i: int, used_left: int) -> tuple[float, list[tuple[int, int]]]:
        """Least error of labels i.. when label i may take `used_left` columns at most."""
        if i == n:
            return 0.0, []
        key = (i, used_left)
        if key in best:
            return best[key]
        (a, b), words = labels[i]
        shared = i + 1 < n and reach_right[i] == reach_left[i + 1]  # a run between two
        lefts = [used_left] if i > 0 else list(range(used_left + 1))  # the first: any part
        options = []
        for left in lefts:
            for right in range(reach_right[i] + 1):
                rest = reach_right[i] - right if shared else reach_left[i + 1] if i + 1 < n else 0
                unassigned = (used_left - left) + (reach_right[i] - right if i + 1 == n else 0)
                cost, tail = solve(i + 1, rest)
                span = (a - left, b + right)
                options.append((error(span, words) + UNSPANNED * unassigned + cost, [span, *tail]))
        best[key] = min(options, key=lambda o: o[0])
        return best[key]

    _, spans = solve(0, reach_left[0])
    return [(span, words) for span, (_, words) in zip(spans, labels, strict=True)]


def _hit(word: Word, ranges: list[tuple[float, float]]) -> list[int]:
    """The columns a header word stands over: a quarter of the narrower of the two at
    least (a label wider than its column only brushes its neighbours)."""
    return [
        c
        for c, (a, b) in enumerate(ranges)
        if _overlap(word.x0, word.x1, a, b) > 0.25 * min(word.x1 - word.x0, b - a, 1e9)
        or (a >= word.x0 and b <= word.x1)
    ]


def headless(words: list[Word], is_title: Callable[[str], bool]) -> WordTable | None:
    """The rows opening a page, down to a title or a note, in columns of their own and
    with no header among them: the next block of a form whose blocks each lay out their
    own columns (项目详细信息 under a form's head)."""
    lines: list[Line] = []
    for line in lines_of(words):
        text = " ".join(w.text for w in line)
        if is_title(text) or _NOTE.match(normalize_text(text)):
            break
        lines.append(line)
    found = _table(lines, [], headed=False, least=1)
    return found[0] if found else None


def _table(
    lines: list[Line], rules: list[float], headed: bool = True, least: int = 2
) -> list[WordTable]:
    blocks = _blocks(lines)
    if len(blocks) < least:
        return []
    start, body_start = _header_end(blocks, rules) if headed else (0, 0)
    header = blocks[start:body_start]
    body = blocks[:start] + blocks[body_start:]
    ranges = _columns(body, header)
    if len(ranges) < 2:
        return []
    head = _header_rows(header, ranges)
    texts: list[list[str | None]] = []
    for r, block in enumerate(blocks):
        if start <= r < body_start:
            texts.append(head[r - start])
            continue
        texts.append(_label_left(_cells(block, ranges)))
    tops = [min(w.top for w in b) for b in blocks]
    bottoms = [max(w.bottom for w in b) for b in blocks]
    x0 = min(ranges[0][0], *(w.x0 for b in blocks for w in b)) - 2
    x1 = max(ranges[-1][1], *(w.x1 for b in blocks for w in b)) + 2
    edges = [x0, *((ranges[c][1] + ranges[c + 1][0]) / 2 for c in range(len(ranges) - 1)), x1]
    rows = []
    for r in range(len(blocks)):
        top = tops[r] - 1
        bottom = tops[r + 1] - 1 if r + 1 < len(blocks) else bottoms[r] + 1
        rows.append(_Row([(edges[c], top, edges[c + 1], bottom) for c in range(len(ranges))]))
    return [WordTable((x0, tops[0] - 1, x1, bottoms[-1] + 1), texts, rows)]
