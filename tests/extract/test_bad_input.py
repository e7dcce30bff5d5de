"""Bad input gets a named reason; nothing else stops."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as examples
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from extract.document import extract_document
from extract.errors import DocumentRejected
from extract.verdicts import Reason
from tests.conftest import SAMPLES
from tests.pdfgen import SMALL_FUNCTION_TABLE, Grid, Line, Title, render
from yusuan.pipeline import extract, pull
from yusuan.settings import Limits, Settings


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


def test_an_unexpected_error_in_the_worker_quarantines_only_that_document(
    tmp_path: Path,
) -> None:
    # GIVEN a document whose staging folder cannot be made (a file is in its place): an
    # error no part of extraction expects, raised in the worker process
    path = render(
        tmp_path / "doc.pdf",
        [Title("2024年一般公共预算支出情况表"), Line("单位：万元"),
         Grid([["科目编码", "科目名称", "合计"], ["201", "一般公共服务支出", "1.0"]])],
    )  # fmt: skip
    settings = Settings(home=tmp_path / "home")
    settings.home.mkdir()
    settings.staging.write_text("not a folder")
    doc = {"document_id": "x", "landing_path": str(path), "source_uri": str(path),
           "file_name": "doc.pdf", "status": "pending"}  # fmt: skip
    # WHEN the pipeline's extract step runs
    result = extract(doc, settings)
    # THEN the document is quarantined with a named reason, and no exception escapes
    assert (result["status"], result["reason"]) == ("quarantined", "extraction_error")
    assert "FileExistsError" in result["detail"]


# --------------------------------------------------------------------------- limits, fuzz


@cache
def small_budget(folder: Path) -> bytes:
    return render(folder / "small_budget.pdf", SMALL_FUNCTION_TABLE).read_bytes()


def pulled_and_extracted(path: Path, settings: Settings) -> dict[str, Any]:
    [doc] = pull([str(path)], settings)
    return extract(doc, settings)


def test_a_pdf_over_the_page_limit_is_too_large(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", limits=Limits(max_pages=3))
    doc = pulled_and_extracted(SAMPLES / "doc_b.pdf", settings)  # 5 pages
    assert (doc["status"], doc["reason"]) == ("quarantined", "too_large")
    assert doc["detail"].startswith("doc_b.pdf: 5 pages")


def test_an_extraction_over_its_time_limit_is_stopped(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", limits=Limits(extract_timeout_s=0.05))
    doc = pulled_and_extracted(SAMPLES / "doc_a.pdf", settings)  # 19 pages: seconds of work
    assert (doc["status"], doc["reason"]) == ("quarantined", "timeout")
    assert "doc_a.pdf" in doc["detail"]
    assert not (settings.staging / doc["document_id"]).exists()


def test_details_name_the_source_file_not_the_landed_one(tmp_path: Path) -> None:
    path = tmp_path / "部门预算.pdf"
    path.write_bytes(b"%PDF-1.4\n" + b"\x00" * 200)  # a header, then nothing readable
    doc = pulled_and_extracted(path, Settings(home=tmp_path / "home"))
    assert (doc["status"], doc["reason"]) == ("quarantined", "corrupt")
    assert doc["detail"].startswith("部门预算.pdf:")
    assert doc["document_id"] not in doc["detail"]


Mutation = tuple[str, int, bytes]


def mutate(data: bytes, mutations: list[Mutation]) -> bytes:
    out = bytearray(data)
    for kind, at, junk in mutations:
        at %= max(len(out), 1)
        if kind == "overwrite":
            out[at : at + len(junk)] = junk
        elif kind == "insert":
            out[at:at] = junk
        elif kind == "delete":
            del out[at : at + 64 * len(junk)]
        else:  # truncate
            del out[at:]
    return bytes(out)


MUTATIONS = st.lists(
    st.tuples(
        st.sampled_from(["overwrite", "insert", "delete", "truncate"]),
        st.integers(min_value=0, max_value=1 << 20),
        st.binary(min_size=1, max_size=32),
    ),
    min_size=1,
    max_size=4,
)
REASONS = {str(r) for r in Reason}


@examples(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(mutations=MUTATIONS)
def test_a_damaged_pdf_gets_a_named_reason_never_an_exception(
    tmp_path_factory: pytest.TempPathFactory, mutations: list[Mutation]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "damaged.pdf"
    path.write_bytes(mutate(small_budget(tmp_path_factory.getbasetemp()), mutations))
    settings = Settings(home=folder / "home", limits=Limits(extract_timeout_s=30))
    doc = pulled_and_extracted(path, settings)
    if doc["status"] == "pending":  # read as a budget: its rows are staged
        assert (Path(doc["staging_dir"]) / "manifest.json").exists()
    else:
        assert doc["status"] == "quarantined" and doc["reason"] in REASONS, doc
        assert doc["detail"]
