"""Bad input gets a named reason; nothing else stops."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from extract.document import extract_document
from extract.errors import DocumentRejected
from extract.pipeline import extract
from extract.settings import Settings
from tests.pdfgen import Grid, Line, Title, render


def reason_for(path: Path) -> str:
    with pytest.raises(DocumentRejected) as rejected:
        extract_document(path, document_id="x", source_uri=str(path))
    return rejected.value.reason


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    page = canvas.Canvas(str(path), pagesize=A4, encrypt="secret")
    page.drawString(100, 700, "budget")
    page.save()
    assert reason_for(path) == "encrypted"


def test_scan_without_text_layer(tmp_path: Path) -> None:
    from PIL import Image

    image = tmp_path / "scan.png"
    Image.new("L", (400, 300), color=200).save(image)
    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.drawImage(ImageReader(str(image)), 50, 400, width=400, height=300)
    page.showPage()
    page.save()
    assert reason_for(path) == "no_text_layer"


def test_a_pdf_that_is_not_a_budget(tmp_path: Path) -> None:
    path = render(
        tmp_path / "minutes.pdf",
        [Title("会议纪要"), Line("出席人员名单如下"), Grid([["姓名", "职务"], ["张三", "主任"]])],
    )
    assert reason_for(path) == "not_budget"


def test_empty_file_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert reason_for(path) == "corrupt"


def test_unexpected_parser_error_quarantines_only_that_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a family parser that crashes on a layout nobody expected
    from extract.families import function_expenditure

    def crash(*args: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(function_expenditure, "parse", crash)
    path = render(
        tmp_path / "doc.pdf",
        [Title("2024年一般公共预算支出情况表"), Line("单位：万元"),
         Grid([["科目编码", "科目名称", "合计"], ["201", "一般公共服务支出", "1.0"]])],
    )  # fmt: skip
    doc = {"document_id": "x", "landing_path": str(path), "source_uri": str(path),
           "file_name": "doc.pdf", "status": "pending"}  # fmt: skip
    # WHEN the pipeline's extract step runs
    result = extract(doc, Settings(home=tmp_path / "home"))
    # THEN the document is quarantined with a named reason, and no exception escapes
    assert (result["status"], result["reason"]) == ("quarantined", "extraction_error")
    assert "IndexError" in result["detail"]
