"""Build small fixture PDFs for layout tests: ruled tables with merged cells, as office
software exports them (reportlab, built-in CID font STSong-Light).

    render(path, [Title("2024年一般公共预算基本支出表"), Line("单位：万元"),
                  Grid(rows, spans=[(0, 0, 1, 0)], repeat_rows=2), PageBreak()])

`spans` are (first_col, first_row, last_col, last_row), as reportlab's SPAN takes them;
cells covered by a span should hold "". Long grids split over pages by themselves
(`repeat_rows` header rows are repeated on each page; 0 for no repeated header).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"
__all__ = [
    "FONT", "SMALL_FUNCTION_TABLE", "Grid", "Line", "PageBreak", "Title", "notice", "render"
]  # fmt: skip


@dataclass
class Title:
    text: str


@dataclass
class Line:
    text: str


@dataclass
class Grid:
    rows: list[list[str]]
    spans: list[tuple[int, int, int, int]] = field(default_factory=list)
    repeat_rows: int = 0
    col_widths: list[float] | None = None
    font_size: float = 8
    # which rules are drawn: "grid" (every cell), "frame" (the outer box only),
    # "horizontal" (a rule under every row, none between columns) or "none"
    rules: str = "grid"


RULES: dict[str, list[tuple[object, ...]]] = {
    "grid": [("GRID", (0, 0), (-1, -1), 0.5, colors.black)],
    "frame": [("BOX", (0, 0), (-1, -1), 0.5, colors.black)],
    "horizontal": [
        ("LINEABOVE", (0, 0), (-1, 0), 0.5, colors.black),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.black),
    ],
    "none": [],
}


# The smallest reconciled budget table: one 一般公共预算支出情况表 of 3.0 万元.
SMALL_FUNCTION_TABLE: list[object] = [
    Title("2024年一般公共预算支出情况表"),
    Line("单位：万元"),
    Grid(
        [["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
         ["", "合计", "3.0", "2.0", "1.0"],
         ["201", "一般公共服务支出", "3.0", "2.0", "1.0"],
         ["20101", "人大事务", "3.0", "2.0", "1.0"],
         ["2010101", "行政运行", "3.0", "2.0", "1.0"]]
    ),
]  # fmt: skip


def render(path: Path, blocks: list[object], *, wide: bool = True) -> Path:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    title = ParagraphStyle("title", fontName=FONT, fontSize=14, leading=18, alignment=1)
    line = ParagraphStyle("line", fontName=FONT, fontSize=9, leading=12)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=8, leading=10)
    flow: list[object] = []
    for block in blocks:
        if isinstance(block, Title):
            flow += [Paragraph(block.text, title), Spacer(1, 4)]
        elif isinstance(block, Line):
            flow.append(Paragraph(block.text, line))
        elif isinstance(block, Grid):
            data = [
                [Paragraph(text, cell) if len(text) > 14 else text for text in row]
                for row in block.rows
            ]
            table = Table(data, colWidths=block.col_widths, repeatRows=block.repeat_rows)
            style = [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), block.font_size),
                *RULES[block.rules],
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
            style += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in block.spans]
            table.setStyle(TableStyle(style))
            flow += [table, Spacer(1, 8)]
        else:
            flow.append(block)
    size = landscape(A4) if wide else A4
    doc = SimpleDocTemplate(str(path), pagesize=size, leftMargin=30, rightMargin=30,
                            topMargin=30, bottomMargin=30, invariant=1)  # fmt: skip
    doc.build(flow)
    return path


def notice(path: Path, text: str) -> Path:
    """A one-page PDF of one line of text and no table (a notice, no budget), written by
    reportlab's canvas: about a millisecond each, for tests that need a thousand."""
    from reportlab.pdfgen.canvas import Canvas

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    canvas = Canvas(str(path), invariant=1)
    canvas.setFont(FONT, 12)
    canvas.drawString(72, 720, text)
    canvas.save()
    return path


def cut_grid(
    grid: Grid, *, open_below: tuple[int, ...] = (), open_above: tuple[int, ...] = ()
) -> Table:
    """`grid` as a flowable (pass it to `render`) whose bottom cells in the columns
    `open_below` run on past the page break, and whose top cells in `open_above` come over
    from the previous page: a merged cell cut by a page break, as office software draws it
    (no rule where the page cuts it, so no cell on either page). Put the label in the part
    where its text is drawn and "" in the other; follow the first part with a PageBreak.
    """
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=grid.font_size, leading=10)
    data = [
        [Paragraph(text, cell) if len(text) > 14 else text for text in row] for row in grid.rows
    ]
    width = len(grid.rows[0])
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), grid.font_size),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBEFORE", (0, 0), (-1, -1), 0.5, colors.black),
        ("LINEAFTER", (-1, 0), (-1, -1), 0.5, colors.black),
        ("LINEABOVE", (0, 1), (-1, -1), 0.5, colors.black),  # inner rules (not inside spans)
    ]
    style += [("LINEABOVE", (c, 0), (c, 0), 0.5, colors.black)
              for c in range(width) if c not in open_above]  # fmt: skip
    style += [("LINEBELOW", (c, -1), (c, -1), 0.5, colors.black)
              for c in range(width) if c not in open_below]  # fmt: skip
    style += [("SPAN", (c0, r0), (c1, r1)) for c0, r0, c1, r1 in grid.spans]
    table = Table(data, colWidths=grid.col_widths, repeatRows=grid.repeat_rows)
    table.setStyle(TableStyle(style))
    return table
