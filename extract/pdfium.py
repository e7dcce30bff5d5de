"""A page reader on pypdfium2 that hands pdfplumber the objects pdfminer would.

pdfplumber's table finder, word grouping and filters work on a page's `objects` (chars,
lines, rects, curves as dicts); pdfminer builds them by interpreting the content stream in
Python, most of the cost of reading a page. PDFium reads the same characters and paths in
C. `PdfiumPage` is a pdfplumber page whose objects come from PDFium, computed the way
pdfminer computes them, so that pdfplumber's results, and yusuan's rows, stay the same
(`python -m tools.readercheck` compares every staged row of both readers):

- a char: x0 its origin, x1 its advance (the right of PDFium's loose box: its left takes in
  a glyph standing left of the origin); bottom its baseline plus the font's descent x size
  and top one size above, as pdfminer boxes a char, not by the glyph. The descent is the
  font descriptor's, as pdfminer reads it (PDFium puts the font program's in place of a
  descriptor's 0), read once a document with pdfminer's parser;
- paths split at each moveto into lines (`ml`, `mlh`), rects (four sides, axis-aligned,
  closed) and curves (the end point of each segment), points through the object's matrix
  (and the matrices of the forms it stands in);
- PDFium keeps numbers in single precision: each is brought back to the shortest decimal
  that prints it (the number the PDF wrote), then computed on in double precision as
  pdfminer does. What is left differs from pdfminer's in the sixth decimal or below.
- PDFium's text page leaves out runs of spaces after the first and lines of spaces only:
  they make no words, and split none.

What this reader cannot give as pdfminer would, it leaves to pdfminer, a page at a time
(`Unsupported`): a rotated page, a media box not at the origin, a character without
Unicode, text not upright, a Type3 font (pdfminer measures it by its own matrix), a
composite (CJK) font the PDF does not embed (PDFium measures the one it substitutes), a font
whose name leaves open which descriptor is its (a standard-14 font's is its AFM's, as
pdfminer's), a text object
PDFium left out of its text page (the same string overprinted for bold, which pdfminer
reads twice).
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.page import Page as PlumberPage

Obj = dict[str, Any]


class Unsupported(Exception):
    """A page this reader does not read as pdfminer would: pdfminer reads it."""


def _decimals(values: list[float]) -> list[float]:
    """Single-precision numbers as the shortest decimals that print them (PDFium's
    195.86000061 is the 195.86 the PDF wrote), as doubles: for 1 to 9 significant digits,
    the rounding that is the same single-precision number, the fewest digits winning."""
    if not values:
        return []
    single = np.asarray(values, dtype=np.float32)
    double = single.astype(np.float64)
    out = double.copy()
    todo = np.isfinite(double) & (double != 0)
    if not todo.any():
        return list(out.tolist())
    magnitude = np.zeros(len(double), dtype=np.int64)
    magnitude[todo] = np.floor(np.log10(np.abs(double[todo]))).astype(np.int64)
    for digits in range(1, 10):
        places = digits - 1 - magnitude
        up = places >= 0
        # powers of ten to 1e22 are exact doubles: a quotient of exact integers is the
        # double nearest the decimal, as float("195.86") is
        scale = np.power(10.0, np.abs(places))
        candidate = np.where(up, np.round(double * scale) / scale, np.round(double / scale) * scale)
        same = todo & (candidate.astype(np.float32) == single)
        out[same] = candidate[same]
        todo &= ~same
        if not todo.any():
            break
    return list(out.tolist())


def _mult(m1: tuple[float, ...], m0: tuple[float, ...]) -> tuple[float, ...]:
    """pdfminer.utils.mult_matrix: m1 then m0."""
    (a1, b1, c1, d1, e1, f1) = m1
    (a0, b0, c0, d0, e0, f0) = m0
    return (
        a0 * a1 + c0 * b1,
        b0 * a1 + d0 * b1,
        a0 * c1 + c0 * d1,
        b0 * c1 + d0 * d1,
        a0 * e1 + c0 * f1 + e0,
        b0 * e1 + d0 * f1 + f0,
    )


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    """pdfminer.utils.apply_matrix_pt."""
    (a, b, c, d, e, f) = m
    return a * x + c * y + e, b * x + d * y + f


class PdfiumPage(PlumberPage):
    """A pdfplumber page (tables, words, filter, crop) over objects PDFium read."""

    def __init__(
        self, plumber: Any, number: int, width: float, height: float, objects: dict[str, list[Obj]],
        initial_doctop: float,
    ) -> None:  # fmt: skip
        # no pdfminer page object: the attributes pdfplumber's Page reads, set directly
        self.pdf = plumber
        self.root_page = self
        self.page_obj = None  # type: ignore[assignment]
        self.page_number = number
        self.initial_doctop = initial_doctop
        self.rotation = 0
        self.mediabox = (0, 0.0, width, height)
        self.cropbox = self.mediabox
        self.bbox = self.mediabox
        self._objects = objects
        from functools import lru_cache

        self.get_textmap = lru_cache()(self._get_textmap)

    @property
    def layout(self) -> Any:  # pragma: no cover - only pdfminer's pages have one
        raise Unsupported("a PDFium page has no pdfminer layout")


class _Plumber:
    """What pdfplumber's Page asks of its PDF outside `objects`."""

    laparams = None
    unicode_norm = None
    raise_unicode_errors = True


_PLUMBER = _Plumber()

# PDFium's handles as plain addresses, so that they compare and hash
_lib = __import__("pypdfium2_raw.bindings", fromlist=["_libs"])._libs["pdfium"]


def _fn(name: str, restype: Any, *argtypes: Any) -> Any:
    """A PDFium function of our own (pypdfium2's stay as they are), handles as plain
    addresses (c_void_p) that compare and hash."""
    function = _lib[name]
    function.argtypes, function.restype = argtypes, restype
    return function


_P, _I = ctypes.c_void_p, ctypes.c_int
_text_object = _fn("FPDFText_GetTextObject", _P, _P, _I)
_unicode = _fn("FPDFText_GetUnicode", ctypes.c_uint, _P, _I)
_generated = _fn("FPDFText_IsGenerated", _I, _P, _I)
_map_error = _fn("FPDFText_HasUnicodeMapError", _I, _P, _I)
_origin = _fn("FPDFText_GetCharOrigin", _I, _P, _I, _P, _P)
_loose = _fn("FPDFText_GetLooseCharBox", _I, _P, _I, _P)
_char_matrix = _fn("FPDFText_GetMatrix", _I, _P, _I, _P)
_font_size = _fn("FPDFTextObj_GetFontSize", _I, _P, _P)
_font = _fn("FPDFTextObj_GetFont", _P, _P)
_font_name = _fn("FPDFFont_GetBaseFontName", ctypes.c_size_t, _P, _P, ctypes.c_size_t)
_text_length = _fn("FPDFTextObj_GetText", ctypes.c_ulong, _P, _P, _P, ctypes.c_ulong)
_SUBSET = re.compile(rb"^[A-Z]{6}\+")


class Document:
    """One PDF read by PDFium, with what pdfminer would say of its fonts' descents."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.pdf = pdfium.PdfDocument(path)
        self._descents: dict[bytes, set[float | None]] | None = None
        self.fonts: dict[int, tuple[str, float]] = {}  # PDFium font -> name, descent

    def __len__(self) -> int:
        return len(self.pdf)

    def close(self) -> None:
        self.pdf.close()

    def descent(self, base_font: bytes, pdfium_descent: float) -> float:
        """pdfminer's descent (per unit of font size) for the font of this name (PDFium
        cuts the subset prefix of some): of two fonts of the name, the one whose descent
        PDFium read. Unsupported when pdfminer reads the font otherwise (standard-14
        metrics, Type3) or the name leaves it open."""
        if self._descents is None:
            self._descents = _pdfminer_descents(self.path)
        found = self._descents.get(base_font) or self._descents.get(_SUBSET.sub(b"", base_font))
        if found and len(found) > 1:
            found = {d for d in found if d is not None and abs(d - pdfium_descent) < 1e-6}
        if not found or len(found) != 1 or None in found:
            raise Unsupported(f"the descent of font {base_font!r}")
        return next(iter(found))  # type: ignore[return-value]


def _pdfminer_descents(path: str) -> dict[bytes, set[float | None]]:
    """Each font name in the page and form resources, as it stands and without its subset
    prefix, with the descents pdfminer gives it (None: pdfminer reads it by other rules)."""
    from pdfminer.fontmetrics import FONT_METRICS
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFStream, dict_value, list_value, num_value, resolve1

    found: dict[bytes, set[float | None]] = {}
    seen: set[int] = set()

    def font(spec: dict[str, Any]) -> None:
        base = resolve1(spec.get("BaseFont"))
        name = getattr(base, "name", base)
        raw_name = name if isinstance(name, bytes) else str(name).encode("utf-8")
        subtype = getattr(resolve1(spec.get("Subtype")), "name", None)
        value: float | None
        composite = subtype == "Type0"
        if composite and spec.get("DescendantFonts"):
            spec = dict_value(list_value(spec["DescendantFonts"])[0])
            subtype = getattr(resolve1(spec.get("Subtype")), "name", None)
        descriptor = dict_value(spec.get("FontDescriptor", {}))
        if subtype == "Type3" or (
            composite and not any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3"))
        ):  # a CJK font the PDF does not embed: PDFium measures the font it puts in its place
            value = None
        elif subtype in (None, "Type1", "MMType1", "TrueType") and name in FONT_METRICS:
            metrics: dict[str, Any] = FONT_METRICS[name][0]
            value = metrics.get("Descent", 0) * 0.001  # its AFM's, not the PDF's
        else:
            descent = num_value(descriptor.get("Descent", 0))
            value = (-descent if descent > 0 else descent) * 0.001
        found.setdefault(raw_name, set()).add(value)
        if _SUBSET.match(raw_name):
            found.setdefault(_SUBSET.sub(b"", raw_name), set()).add(value)

    def resources(res: Any) -> None:
        res = dict_value(res)
        for ref in dict_value(res.get("Font", {})).values():
            key = id(resolve1(ref))
            if key not in seen:
                seen.add(key)
                font(dict_value(ref))
        for ref in dict_value(res.get("XObject", {})).values():
            stream = resolve1(ref)
            if isinstance(stream, PDFStream) and id(stream) not in seen:
                seen.add(id(stream))
                if getattr(resolve1(stream.attrs.get("Subtype")), "name", None) == "Form":
                    resources(stream.attrs.get("Resources", {}))

    with open(path, "rb") as handle:
        doc = PDFDocument(PDFParser(handle))
        for page in PDFPage.create_pages(doc):
            resources(page.resources)
    return found


def read_page(doc: Document, index: int, initial_doctop: float) -> PdfiumPage:
    """Page `index` (from 0) as a pdfplumber page. Raises Unsupported for a page pdfminer
    must read."""
    page = doc.pdf[index]
    try:
        if raw.FPDFPage_GetRotation(page.raw) % 4:
            raise Unsupported("rotated page")
        box = page.get_mediabox()
        if box[0] != 0 or box[1] != 0:
            raise Unsupported("media box not at the origin")
        x0, y0, x1, y1 = _decimals(list(box))
        width, height = abs(x1 - x0), abs(y1 - y0)
        number = index + 1
        texts: set[int] = set()
        objects: dict[str, list[Obj]] = {}
        for obj in _paths(page, number, height, initial_doctop, texts):
            objects.setdefault(obj["object_type"], []).append(obj)
        chars = _chars(doc, page, number, height, initial_doctop, texts)
        if chars:
            objects = {"char": chars, **objects}
        return PdfiumPage(_PLUMBER, number, width, height, objects, initial_doctop)
    finally:
        page.close()


def _chars(
    doc: Document, page: pdfium.PdfPage, number: int, height: float, doctop: float,
    texts: set[int],
) -> list[Obj]:  # fmt: skip
    text_page = page.get_textpage()
    tp = ctypes.cast(text_page.raw, ctypes.c_void_p).value or 0
    try:
        count = raw.FPDFText_CountChars(text_page.raw)
        box = raw.FS_RECTF()
        box_ref = ctypes.byref(box)
        ox, oy = ctypes.c_double(), ctypes.c_double()
        ox_ref, oy_ref = ctypes.byref(ox), ctypes.byref(oy)
        scratch = _Scratch()
        objects: dict[int, int] = {}  # text object -> its index in `styles`
        styles: list[tuple[str, float]] = []  # font name, pdfminer's descent per size
        numbers: list[float] = []  # per object: a, d, font size
        picked: list[tuple[str, int]] = []
        positions: list[float] = []  # per char: x, y, advance
        for i in range(count):
            if _generated(tp, i):
                continue
            code = _unicode(tp, i)
            if _map_error(tp, i) == 1 or code < 0x20 or code in (0xFFFD, 0xFFFE):
                # (a control character: PDFium's raw code where pdfminer maps one)
                raise Unsupported("a character without Unicode")
            key = _text_object(tp, i)
            style = objects.get(key)
            if style is None:
                style = objects[key] = len(styles)
                styles.append(_text_style(doc, tp, i, key, numbers, scratch))
            _origin(tp, i, ox_ref, oy_ref)
            _loose(tp, i, box_ref)
            picked.append((chr(code), style))
            positions += [ox.value, oy.value, box.right - ox.value]
        left_out = texts - set(objects)
        if any(_text_length(key, tp, None, 0) > 2 for key in left_out):
            # PDFium drops a text object repeating the one before (bold by overprint)
            raise Unsupported("a text object PDFium left out of its text page")
        values, scales = _decimals(positions), _decimals(numbers)
        chars = []
        for n, (text, style) in enumerate(picked):
            e, f, advance = values[3 * n : 3 * n + 3]
            a, d, fontsize = scales[3 * style : 3 * style + 3]
            fontname, descent = styles[style]
            # pdfminer: the box (0, descent, adv, descent + size) through the char's matrix
            low = descent * fontsize
            high = low + fontsize
            x0 = e
            x1 = x0 + advance
            y0 = d * low + f
            y1 = d * high + f
            top = height - y1
            bottom = height - y0
            chars.append({
                "text": text, "fontname": fontname, "size": y1 - y0,
                "x0": x0, "x1": x1, "y0": y0, "y1": y1, "width": x1 - x0, "height": y1 - y0,
                "top": top, "bottom": bottom, "doctop": doctop + top, "upright": True,
                "matrix": (a, 0.0, 0.0, d, e, f), "object_type": "char", "page_number": number,
            })  # fmt: skip
        return chars
    finally:
        text_page.close()


class _Scratch:
    """ctypes buffers PDFium writes into, made once a page."""

    def __init__(self) -> None:
        self.matrix = raw.FS_MATRIX()
        self.matrix_ref = ctypes.byref(self.matrix)
        self.size = ctypes.c_float()
        self.size_ref = ctypes.byref(self.size)


def _text_style(
    doc: Document, tp: int, index: int, key: int, numbers: list[float], scratch: _Scratch
) -> tuple[str, float]:
    """A text object's font name and pdfminer's descent for it; its matrix scale (a, d)
    and font size onto `numbers`."""
    matrix = scratch.matrix
    _char_matrix(tp, index, scratch.matrix_ref)
    if matrix.b != 0 or matrix.c != 0 or matrix.a <= 0 or matrix.d <= 0:
        raise Unsupported("text not upright")
    _font_size(key, scratch.size_ref)
    numbers += [matrix.a, matrix.d, scratch.size.value]
    font = _font(key)
    found = doc.fonts.get(font)
    if found is None:
        buffer = ctypes.create_string_buffer(256)
        length = _font_name(font, buffer, 256)
        name = buffer.raw[: max(length - 1, 0)]
        descent = ctypes.c_float()
        raw.FPDFFont_GetDescent(ctypes.cast(font, raw.FPDF_FONT), ctypes.c_float(1.0), descent)
        found = (name.decode("utf-8", "replace"), doc.descent(name, descent.value))
        doc.fonts[font] = found
    return found


_count_objects = _fn("FPDFPage_CountObjects", _I, _P)
_get_object = _fn("FPDFPage_GetObject", _P, _P, _I)
_form_count = _fn("FPDFFormObj_CountObjects", _I, _P)
_form_object = _fn("FPDFFormObj_GetObject", _P, _P, ctypes.c_ulong)
_object_type = _fn("FPDFPageObj_GetType", _I, _P)
_object_matrix = _fn("FPDFPageObj_GetMatrix", _I, _P, _P)
_draw_mode = _fn("FPDFPath_GetDrawMode", _I, _P, _P, _P)
_fill_color = _fn("FPDFPageObj_GetFillColor", _I, _P, _P, _P, _P, _P)
_stroke_color = _fn("FPDFPageObj_GetStrokeColor", _I, _P, _P, _P, _P, _P)
_stroke_width = _fn("FPDFPageObj_GetStrokeWidth", _I, _P, _P)
_count_segments = _fn("FPDFPath_CountSegments", _I, _P)
_segment = _fn("FPDFPath_GetPathSegment", _P, _P, _I)
_segment_point = _fn("FPDFPathSegment_GetPoint", _I, _P, _P, _P)
_segment_type = _fn("FPDFPathSegment_GetType", _I, _P)
_segment_close = _fn("FPDFPathSegment_GetClose", _I, _P)


def _walk(page: Any) -> Iterator[tuple[int, int, tuple[float, ...] | None]]:
    """Every page object in content order, forms opened: its handle, type, and the matrix
    of the form it stands in (None on the page itself)."""

    def inside(
        count: int, get: Any, parent: int, outer: tuple[float, ...] | None
    ) -> Iterator[tuple[int, int, tuple[float, ...] | None]]:
        for i in range(count):
            obj = get(parent, i)
            kind = _object_type(obj)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                form = _matrix(obj)
                inner = form if outer is None else _mult(form, outer)
                yield from inside(_form_count(obj), _form_object, obj, inner)
            else:
                yield obj, kind, outer

    handle = ctypes.cast(page.raw, ctypes.c_void_p).value or 0
    yield from inside(_count_objects(handle), _get_object, handle, None)


def _matrix(obj: int) -> tuple[float, ...]:
    m = raw.FS_MATRIX()
    _object_matrix(obj, ctypes.byref(m))
    return tuple(_decimals([m.a, m.b, m.c, m.d, m.e, m.f]))


def _paths(
    page: pdfium.PdfPage, number: int, height: float, doctop: float, texts: set[int]
) -> Iterator[Obj]:
    """The page's lines, rects and curves; the handles of its text objects into `texts`."""
    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    x, y = ctypes.c_float(), ctypes.c_float()
    r, g, b, a = (ctypes.c_uint() for _ in range(4))
    rgba = [ctypes.byref(c) for c in (r, g, b, a)]
    width = ctypes.c_float()
    for obj, kind, outer in _walk(page):
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            texts.add(obj)
            continue
        if kind != raw.FPDF_PAGEOBJ_PATH:
            continue
        _draw_mode(obj, ctypes.byref(fill_mode), ctypes.byref(stroke))
        filled, stroked = fill_mode.value != raw.FPDF_FILLMODE_NONE, bool(stroke.value)
        if not filled and not stroked:
            continue
        matrix = _matrix(obj)
        if outer is not None:
            matrix = _mult(matrix, outer)
        _fill_color(obj, *rgba)
        fill_color = (r.value / 255, g.value / 255, b.value / 255)
        _stroke_color(obj, *rgba)
        stroke_color = (r.value / 255, g.value / 255, b.value / 255)
        _stroke_width(obj, ctypes.byref(width))
        # segments as pdfminer's path: (op, x, y), a close as "h"
        kinds, points = [], []
        for i in range(_count_segments(obj)):
            segment = _segment(obj, i)
            _segment_point(segment, ctypes.byref(x), ctypes.byref(y))
            kinds.append((_segment_type(segment), _segment_close(segment)))
            points += [x.value, y.value]
        coords = _decimals(points)
        path: list[tuple[str, float, float]] = []
        start: tuple[float, float] | None = None
        bezier = 0
        for i, (segment_kind, closes) in enumerate(kinds):
            point = (coords[2 * i], coords[2 * i + 1])
            if segment_kind == raw.FPDF_SEGMENT_MOVETO:
                path.append(("m", *point))
                start = point
            elif segment_kind == raw.FPDF_SEGMENT_LINETO:
                path.append(("l", *point))
            elif segment_kind == raw.FPDF_SEGMENT_BEZIERTO:
                bezier += 1
                if bezier % 3:  # control points: pdfminer keeps a curve's end point
                    continue
                path.append(("c", *point))
            else:
                raise Unsupported("an unknown path segment")
            if closes and start is not None:
                path.append(("h", *start))
        yield from _painted(
            path, matrix, number, height, doctop, stroked, filled, width.value,
            stroke_color, fill_color,
        )  # fmt: skip


def _painted(
    path: list[tuple[str, float, float]], ctm: tuple[float, ...], number: int, height: float,
    doctop: float, stroke: bool, fill: bool, linewidth: float,
    stroke_color: tuple[float, ...], fill_color: tuple[float, ...],
) -> Iterator[Obj]:  # fmt: skip
    """pdfminer's PDFLayoutAnalyzer.paint_path, as pdfplumber's objects."""
    starts = [i for i, (op, *_) in enumerate(path) if op == "m"]
    if not path or path[0][0] != "m":
        return
    for n, begin in enumerate(starts):
        sub = path[begin : starts[n + 1] if n + 1 < len(starts) else len(path)]
        shape = "".join(op for op, *_ in sub)
        pts = [_apply(ctm, px, py) for _, px, py in sub]
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts.pop()
        kind = "curve"
        if shape in {"mlh", "ml"}:
            kind, pts = "line", pts[:2]
        elif shape in {"mlllh", "mllll"}:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3), _ = pts
            square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (
                y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0
            )
            if pts[0] == pts[4] and square:
                kind = "rect"
                (ax, ay), (bx, by) = pts[0], pts[2]
                pts = [(ax, ay), (bx, ay), (bx, by), (ax, by)]
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        bx0, by0, bx1, by1 = min(xs), min(ys), max(xs), max(ys)
        top = (height - by1) + 0.0
        obj = {
            "object_type": kind, "page_number": number,
            "x0": bx0, "y0": by0, "x1": bx1, "y1": by1,
            "width": bx1 - bx0, "height": by1 - by0,
            "top": top, "bottom": (height - by0) + 0.0, "doctop": doctop + top,
            "linewidth": linewidth, "stroke": stroke, "fill": fill, "evenodd": False,
            "stroking_color": stroke_color, "non_stroking_color": fill_color,
        }  # fmt: skip
        if kind == "curve":
            obj["pts"] = [(px, 0.0 + height - py) for px, py in pts]
        yield obj
