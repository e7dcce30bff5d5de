"""PDFium reads a page's objects as pdfminer would give them to pdfplumber; pdfminer reads
what PDFium cannot give that way (extract/pdfium.py)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from extract import pdfium
from extract.document import extract_document
from extract.pdf import read_pages
from tests.conftest import REAL, SAMPLES
from yusuan.settings import Environment, SettingInvalid

# a WPS print (one text object per character, grids of rects) and a reportlab render
# (a TrueType subset whose descriptor gives no descent, rules as lines)
WPS = REAL / "上海市普陀区司法局2026年部门预算.pdf"
RENDERED = SAMPLES / "doc_a.pdf"


def _chars(page: object) -> list[tuple[str, float, float, float, float]]:
    chars = getattr(page, "chars")  # noqa: B009
    found = [(c["text"], c["x0"], c["x1"], c["top"], c["bottom"]) for c in chars]
    return sorted((c for c in found if c[0].strip()), key=lambda c: (round(c[3]), round(c[1])))


def _edges(page: object) -> list[tuple[str, float, float, float, float]]:
    edges = getattr(page, "edges")  # noqa: B009
    found = [(e["orientation"], e["x0"], e["x1"], e["top"], e["bottom"]) for e in edges]
    return sorted(found, key=lambda e: (e[0], round(e[3]), round(e[1]), round(e[2])))


@pytest.mark.parametrize("path", [WPS, RENDERED], ids=["wps", "reportlab"])
def test_pdfium_gives_the_characters_and_rulings_pdfminer_gives(path: Path) -> None:
    doc = pdfium.Document(str(path))
    widths = {True: 0, False: 0}  # chars whose x1 is pdfminer's, and not
    try:
        with pdfplumber.open(path) as pdf:
            doctop = 0.0
            for index, expected in enumerate(pdf.pages):
                page = pdfium.read_page(doc, index, doctop)
                doctop += float(expected.height)
                ours, theirs = _chars(page), _chars(expected)
                assert [c[0] for c in ours] == [c[0] for c in theirs], f"page {index + 1}"
                for a, b in zip(ours, theirs, strict=True):
                    x0, _, top, bottom = a[1:]
                    assert (x0, top, bottom) == pytest.approx((b[1], b[3], b[4]), abs=1e-3)
                    widths[abs(a[2] - b[2]) <= 1e-3] += 1
                ours_edges, their_edges = _edges(page), _edges(expected)
                assert [e[0] for e in ours_edges] == [e[0] for e in their_edges]
                for a, b in zip(ours_edges, their_edges, strict=True):
                    assert a[1:] == pytest.approx(b[1:], abs=1e-3), f"page {index + 1}"
    finally:
        doc.close()
    # a glyph's advance: PDFium's font width, which for a few glyphs is not pdfminer's
    assert widths[False] <= 0.01 * widths[True]


@pytest.mark.parametrize("path", [WPS, RENDERED], ids=["wps", "reportlab"])
def test_both_readers_stage_the_same_rows(path: Path) -> None:
    frames = {
        reader: extract_document(path, document_id="x", source_uri=str(path), reader=reader)
        for reader in ("pdfminer", "pdfium")
    }
    assert frames["pdfium"].frames == frames["pdfminer"].frames
    assert frames["pdfium"].document == frames["pdfminer"].document
    assert frames["pdfium"].frames["function_expenditure"]  # something was read


def _rotated(path: Path) -> Path:
    page = canvas.Canvas(str(path), pagesize=A4)
    page.setPageRotation(90)
    page.drawString(100, 700, "budget 2024")
    page.save()
    return path


def test_a_page_pdfium_cannot_give_as_pdfminer_would_is_read_by_pdfminer(tmp_path: Path) -> None:
    path = _rotated(tmp_path / "rotated.pdf")
    doc = pdfium.Document(str(path))
    try:
        with pytest.raises(pdfium.Unsupported, match="rotated"):
            pdfium.read_page(doc, 0, 0.0)
    finally:
        doc.close()
    (page,) = read_pages(path)  # pdfminer's read
    (expected,) = read_pages(path, reader="pdfminer")
    assert page.text == expected.text
    assert "budget" in page.text


def test_the_page_reader_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Environment().page_reader == "pdfium"
    monkeypatch.setenv("YUSUAN_PAGE_READER", "pdfminer")
    assert Environment().page_reader == "pdfminer"
    monkeypatch.setenv("YUSUAN_PAGE_READER", "pdfbox")
    with pytest.raises(SettingInvalid, match="YUSUAN_PAGE_READER"):
        Environment()
