"""Gate 1 over many documents at once (validate_documents) gives every document exactly the
findings gate 1 gives it alone (validate_document): real documents, and copies of them
broken the ways a misread breaks a document (a malformed code, an identity that fails, a
missing column, a row carrying another document's id), mixed in one batch."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from expectations import validate_document, validate_documents
from extract.document import read_staging, write_staging
from tests.conftest import NATIONAL, REAL, extract_once

pytestmark = pytest.mark.integration

TESTS = Path(__file__).resolve().parents[1]
DOCUMENTS = [
    NATIONAL / "2026年北京市财政局部门预算报表_附件2.pdf",
    REAL / "上海市普陀区司法局2026年部门预算.pdf",
    TESTS / "pdfs" / "real-jiangsu" / "江苏省政协办公厅2019年预算公开表.pdf",
]


def staged(path: Path, tmp_path: Path) -> dict[str, pd.DataFrame]:
    """The document's frames as the pipeline hands them to gate 1 (staged parquet)."""
    return read_staging(write_staging(extract_once(path), tmp_path / "staging" / path.stem))


def renamed(frames: dict[str, pd.DataFrame], document_id: str) -> dict[str, pd.DataFrame]:
    out = {}
    for name, frame in frames.items():
        frame = frame.copy()
        if "document_id" in frame.columns:
            frame["document_id"] = document_id
        out[name] = frame
    return out


def first_code_row(frame: pd.DataFrame) -> Any:
    return frame.index[frame["row_kind"] == "code"][0]


def broken(frames: dict[str, pd.DataFrame], document_id: str) -> dict[str, dict[str, Any]]:
    """Copies of one document's frames, each broken in one way, by their document ids."""
    function = frames["function_expenditure"]
    code = first_code_row(function)

    malformed = renamed(frames, f"{document_id}-malformed")
    malformed["function_expenditure"].loc[code, "function_code"] = "2O1"  # letter O for 0

    unbalanced = renamed(frames, f"{document_id}-unbalanced")
    amount = unbalanced["function_expenditure"].loc[code, "total_yuan"]
    unbalanced["function_expenditure"].loc[code, "total_yuan"] = amount + Decimal("1000000")

    missing = renamed(frames, f"{document_id}-missing")
    missing["function_expenditure"] = missing["function_expenditure"].drop(columns=["amount_unit"])

    foreign = renamed(frames, f"{document_id}-foreign")
    foreign["function_expenditure"].loc[code, "document_id"] = "another document"
    return {
        f"{document_id}-malformed": malformed,
        f"{document_id}-unbalanced": unbalanced,
        f"{document_id}-missing": missing,
        f"{document_id}-foreign": foreign,
    }


def test_a_batch_gives_each_document_its_own_findings(tmp_path: Path) -> None:
    documents: dict[str, dict[str, Any]] = {}
    for path in DOCUMENTS:
        documents[path.name] = renamed(staged(path, tmp_path), path.name)
    first = DOCUMENTS[0].name
    documents |= broken(documents[first], first)
    gx_root = tmp_path / "gx"

    batch = validate_documents(list(documents.items()), gx_root)
    alone = [validate_document(d, dict(frames), gx_root) for d, frames in documents.items()]

    assert batch == alone
    by_document = dict(zip(documents, alone, strict=True))
    checks = {
        d: {f.check for f in found if f.severity == "block"} for d, found in by_document.items()
    }
    # the real documents pass; each broken copy fails where it was broken, and only there
    assert all(checks[path.name] == set() for path in DOCUMENTS), checks
    assert "function_code_format" in checks[f"{first}-malformed"]
    assert "table_total_equals_sum_of_rows" in checks[f"{first}-unbalanced"]
    assert "required_column_present" in checks[f"{first}-missing"]
    assert checks[f"{first}-foreign"] == {"lineage_document_matches"}
