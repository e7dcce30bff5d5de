"""Gate-1 identities of the 收支总表 and the 收入总表, on rows extracted from real and
generated PDFs, then altered the way a misprint would alter them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from expectations import validate_document
from expectations.summary_identities import budget_summary_identities, income_sources_identities
from tests.conftest import REAL, SAMPLES, extract_once

WAN = Decimal(10000)
COMMERCE = REAL / "上海市普陀区商务委员会2025年部门预算.pdf"


def _frame(path: Path, family: str) -> pd.DataFrame:
    return pd.DataFrame(extract_once(path).frames[family])


def _failing(records: list[dict]) -> list[dict]:
    return [r for r in records if r["excess"] > 0]


def _checks(records: list[dict]) -> set[tuple[str, str]]:
    return {(r["check"], r["severity"]) for r in records}


@pytest.mark.parametrize("path", [SAMPLES / "doc_a.pdf", COMMERCE])
def test_printed_summaries_reconcile(path: Path) -> None:
    # GIVEN the 收支总表 of doc_a (seed 003 layout, 万元) and of a Shanghai PDF (元)
    records, errors = budget_summary_identities("d", _frame(path, "budget_summary"))
    # THEN every identity is checked and holds
    assert not errors and _failing(records) == []
    assert {
        ("summary_income_total_equals_expenditure_total", "block"),
        ("summary_classes_sum_to_expenditure", "block"),
        ("summary_income_items_sum_to_income", "warn"),
    } <= _checks(records)


def test_a_class_off_by_100_wan_blocks_with_page_and_numbers() -> None:
    # GIVEN doc_a's 部门收支总体情况表 with 六、科学技术 printed 100 万元 too high
    frame = _frame(SAMPLES / "doc_a.pdf", "budget_summary")
    science = (frame["line_name"] == "六、科学技术") & (frame["table_kind"] == "all_funds")
    frame.loc[science, "amount_yuan"] = Decimal("71777.5") * WAN
    # WHEN its identities are built
    (failed,) = _failing(budget_summary_identities("d", frame)[0])
    # THEN the classes no longer sum to 本年支出合计: one blocking identity, on page 8
    assert (failed["check"], failed["severity"], failed["page_number"]) == (
        "summary_classes_sum_to_expenditure",
        "block",
        8,
    )
    assert "73,630.3" in failed["detail"] and "73,730.3" in failed["detail"]


def test_income_total_differing_from_expenditure_total_blocks() -> None:
    frame = _frame(COMMERCE, "budget_summary")
    income_total = (frame["side"] == "income") & (frame["line_kind"] == "total")
    frame.loc[income_total, "amount_yuan"] = Decimal("371514650.00")
    failed = _failing(budget_summary_identities("d", frame)[0])
    checks = {r["check"] for r in failed}
    assert "summary_income_total_equals_expenditure_total" in checks
    assert all("371,514,650.00" in r["detail"] for r in failed)


def test_unmatched_expenditure_lines_make_the_class_sum_a_warning() -> None:
    # GIVEN a summary whose expenditure half has a line the class list does not know
    frame = _frame(COMMERCE, "budget_summary")
    second = frame.index[(frame["side"] == "expenditure") & frame["class_code"].notna()][1]
    frame.loc[second, "class_code"] = None
    records, _ = budget_summary_identities("d", frame)
    # THEN the class sum is still checked, but only warns
    assert ("summary_classes_sum_to_expenditure", "warn") in _checks(records)


def test_income_by_source_reconciles_and_a_wrong_xiang_blocks() -> None:
    frame = _frame(COMMERCE, "income_sources")
    records, errors = income_sources_identities("d", frame)
    assert not errors and _failing(records) == []
    assert ("function_fiscal_grant_equals_sum_of_children", "block") in _checks(records)
    # WHEN one 项's fiscal grant is misprinted by 1,000 元
    xiang = (frame["function_code"] == "2011301") & (frame["income_source"] == "fiscal_grant")
    frame.loc[xiang, "amount_yuan"] = frame.loc[xiang, "amount_yuan"] + Decimal(1000)
    failed = _failing(income_sources_identities("d", frame)[0])
    # THEN its 款 blocks (fiscal grant, children) and its row's 合计 warns (sources)
    assert {(r["check"], r["severity"], r["code"]) for r in failed} >= {
        ("function_fiscal_grant_equals_sum_of_children", "block", "20113"),
    }
    assert ("income_total_equals_sum_of_sources", "warn") in _checks(failed)


@pytest.mark.integration
def test_gate_quarantines_an_unbalanced_summary(tmp_path: Path) -> None:
    # GIVEN the real Shanghai summary with 支出总计 printed 10 元 short
    frame = _frame(COMMERCE, "budget_summary")
    total = (frame["side"] == "expenditure") & (frame["line_kind"] == "total")
    frame.loc[total, "amount_yuan"] = Decimal("371514645.00")
    # WHEN gate 1 runs its real Great Expectations checkpoint over it
    findings = validate_document("d", {"budget_summary": frame}, tmp_path / "gx")
    blocks = [f for f in findings if f.severity == "block"]
    # THEN the document is blocked, the finding naming the page and both totals
    assert {f.check for f in blocks} >= {"summary_income_total_equals_expenditure_total"}
    finding = next(f for f in blocks if f.check == "summary_income_total_equals_expenditure_total")
    assert finding.page_number == 9
    assert "371,514,645.00" in finding.detail and "371,514,655.00" in finding.detail


@pytest.mark.integration
def test_summary_class_differing_from_the_function_table_warns(tmp_path: Path) -> None:
    from expectations.summary_identities import summary_crosscheck_identities

    # GIVEN doc_a, whose 收支总表 restates each class of its function tables
    frames = {
        family: _frame(SAMPLES / "doc_a.pdf", family)
        for family in ("budget_summary", "function_expenditure")
    }
    records = summary_crosscheck_identities("d", frames)
    assert len(records) == 8 and _failing(records) == []  # 4 classes x 2 tables
    # WHEN the all-funds summary prints 一般公共服务 (201) 10 万元 higher than the function
    # table, and its totals and income 10 万元 higher too, so that it balances in itself
    summary = frames["budget_summary"]
    all_funds = summary["table_kind"] == "all_funds"
    raised = all_funds & (
        (summary["class_code"] == "201")
        | summary["line_kind"].isin(["current_total", "total", "of_which"])
        | (summary["line_name"] == "一、一般公共预算")
    )
    summary.loc[raised, "amount_yuan"] = summary.loc[raised, "amount_yuan"] + 10 * WAN
    (failed,) = _failing(summary_crosscheck_identities("d", frames))
    # THEN one warning names both pages and both figures
    assert (failed["check"], failed["severity"], failed["code"]) == (
        "summary_amount_matches_function_table",
        "warn",
        "201",
    )
    assert "page 8" in failed["detail"] and "702.8" in failed["detail"]
    assert "692.8" in failed["detail"]
    # AND gate 1 reports it as a warning: the document still loads
    findings = validate_document("doc_a.pdf", frames, tmp_path / "gx")
    assert [f.severity for f in findings if f.check == failed["check"]] == ["warn"]
    assert not [f for f in findings if f.severity == "block"]
