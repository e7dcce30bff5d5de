"""Gate 1 checks every code's 类 against the national lists dbt seeds (extract/reference/):
a code whose class cannot exist holds its table (invalid_values), before dbt's
`relationships` test would fail the whole run on it."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from expectations import Finding, validate_document
from expectations.classes import CLASS_LISTS, ClassList, class_frame, location
from expectations.results import Converter
from expectations.runtime import runtime, with_row_ids
from expectations.suites import ROW, STAGED, WHERE, Gate, national_classes_suite
from expectations.table_gate import held_tables, table_records
from extract.reference import national_classes
from tests.expectations.test_gate import conform

DOC = "c" * 64
WAN = Decimal(10000)
ROOT = Path(__file__).resolve().parents[2]
FUNCTION, ECONOMIC = "function_class_listed", "economic_class_listed"

# Each family's table, on a page of its own, and the document's 三公 table (page 30), which
# is left to load when the other is held.
PAGES = {"function_expenditure": 12, "income_sources": 10, "budget_summary": 8}
PAGES |= {"basic_expenditure": 14}
TITLES = {
    "function_expenditure": "2024年一般公共预算支出情况表",
    "income_sources": "2024年部门收入总体情况表",
    "budget_summary": "2024年部门收支总体情况表",
    "basic_expenditure": "2024年一般公共预算基本支出情况表",
}


def lineage(family: str, i: int) -> dict[str, object]:
    return {
        "document_id": DOC,
        "page_number": PAGES[family],
        "table_index": list(PAGES).index(family),
        "row_index": i,
        "table_title": TITLES[family],
        "amount_unit": "万元",
        "decimals": 2,
    }


def function_expenditure(code: str) -> pd.DataFrame:
    """合计 100.00 = 201 60.00 + `code` 40.00: it reconciles whatever the code."""
    rows = [("total", None, "合计", "100.00"), ("code", "201", "一般公共服务支出", "60.00")]
    rows.append(("code", code, "某某支出", "40.00"))
    records = [
        lineage("function_expenditure", i)
        | {"budget_scope": "general_public_budget", "row_kind": kind, "function_code": code_}
        | {"code_level": None if code_ is None else 1, "name": name, "total_yuan": Decimal(a) * WAN}
        for i, (kind, code_, name, a) in enumerate(rows)
    ]
    return conform(pd.DataFrame.from_records(records), "function_expenditure")


def income_sources(code: str) -> pd.DataFrame:
    """A 收入总表 row per function code, staged one row per printed cell (合计, 财政拨款)."""
    rows = [("total", None, "合计", "100.00"), ("code", "201", "一般公共服务支出", "60.00")]
    rows.append(("code", code, "某某支出", "40.00"))
    records = [
        lineage("income_sources", i)
        | {"row_kind": kind, "function_code": code_, "code_level": None if code_ is None else 1}
        | {"name": name, "income_source": source, "source_name": printed}
        | {"amount_yuan": Decimal(a) * WAN}
        for i, (kind, code_, name, a) in enumerate(rows)
        for source, printed in (("total", "合计"), ("fiscal_grant", "财政拨款"))
    ]
    return conform(pd.DataFrame.from_records(records), "income_sources")


def budget_summary(code: str) -> pd.DataFrame:
    """收入总计 366.46 = 支出总计; the expenditure line of class `code` prints 266.46 (the
    Jiangsu misread: that amount read as the class 266)."""
    lines = [
        ("income", "item", "一、一般公共预算拨款收入", None, "366.46"),
        ("income", "total", "收入总计", None, "366.46"),
        ("expenditure", "item", "一、一般公共服务支出", "201", "100.00"),
        ("expenditure", "item", "266.46", code, "266.46"),
        ("expenditure", "total", "支出总计", None, "366.46"),
    ]
    records = [
        lineage("budget_summary", i)
        | {"table_kind": "all_funds", "side": side, "line_kind": kind, "line_level": 1}
        | {"line_name": name, "class_code": class_, "amount_yuan": Decimal(a) * WAN}
        for i, (side, kind, name, class_, a) in enumerate(lines)
    ]
    return conform(pd.DataFrame.from_records(records), "budget_summary")


def basic_expenditure(code: str) -> pd.DataFrame:
    """合计 100.00 = 301 60.00 (= 30101) + `code` 40.00."""
    rows = [
        ("total", None, "合计", "100.00"),
        ("code", "301", "工资福利支出", "60.00"),
        ("code", "30101", "基本工资", "60.00"),
        ("code", code, "某某支出", "40.00"),
    ]
    records = [
        lineage("basic_expenditure", i)
        | {"row_kind": kind, "economic_code": code_, "economic_name": name}
        | {"amount_yuan": Decimal(a) * WAN}
        for i, (kind, code_, name, a) in enumerate(rows)
    ]
    return conform(pd.DataFrame.from_records(records), "basic_expenditure")


def tables(family: str) -> pd.DataFrame:
    """The document's inventory: the family's table and a 三公 table that loads."""
    records = [
        {"document_id": DOC, "table_index": list(PAGES).index(family), "family": family}
        | {"page_number": PAGES[family], "last_page_number": PAGES[family]}
        | {"table_title": TITLES[family], "row_count": 5, "is_empty": False, "outcome": "read"},
        {"document_id": DOC, "table_index": 9, "family": "three_public"}
        | {"page_number": 30, "last_page_number": 30, "table_title": "三公经费表"}
        | {"row_count": 6, "is_empty": False, "outcome": "read"},
    ]
    return conform(pd.DataFrame.from_records(records), "tables")


# family -> (frame builder, a class that cannot exist, its row as the finding names it,
# a valid code of the same level, the check)
CASES: dict[str, tuple[Callable[[str], pd.DataFrame], str, str, str, str]] = {
    "budget_summary": (budget_summary, "266", "266 266.46 266.46 万元", "206", FUNCTION),
    "function_expenditure": (
        function_expenditure,
        "266",
        "266 某某支出 40.00 万元",
        "206",
        FUNCTION,
    ),
    "income_sources": (
        income_sources,
        "266",
        "266 某某支出 合计 40.00 万元",
        "206",
        FUNCTION,
    ),
    # 315 was read from a real document's prose (codes-as-printed.csv); 399 is a class
    "basic_expenditure": (basic_expenditure, "315", "315 某某支出 40.00 万元", "399", ECONOMIC),
}


def blocks(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "block"]


@pytest.fixture(scope="module")
def gx_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("gx")


@pytest.mark.integration
@pytest.mark.parametrize("family", list(CASES))
def test_a_class_that_cannot_exist_holds_its_table(family: str, gx_root: Path) -> None:
    build, bad, label, _, check = CASES[family]
    # GIVEN a table whose figures reconcile, but one row's code has a class no list holds
    frames = {family: build(bad), "tables": tables(family)}
    # WHEN gate 1 runs on it
    (finding,) = blocks(validate_document(DOC, frames, gx_root))
    # THEN one blocking finding names the check, the page, the table and the row
    assert (finding.check, finding.reason) == (check, "invalid_values")
    assert (finding.page_number, finding.table_title) == (PAGES[family], TITLES[family])
    assert finding.actual == bad
    assert finding.detail.startswith(f"page {PAGES[family]}, table '{TITLES[family]}', row ")
    assert f"({label}): " in finding.detail
    assert f"its 类 {bad[:3]} is not in the national list" in finding.detail
    # AND the table gate holds that table, the 三公 table loads
    held = held_tables([asdict(finding)], table_records(frames["tables"]))
    assert held is not None
    assert [(t["table_index"], t["page_number"], t["reason"]) for t in held] == [
        (list(PAGES).index(family), PAGES[family], "invalid_values")
    ]


@pytest.mark.integration
@pytest.mark.parametrize("family", list(CASES))
def test_valid_classes_pass(family: str, gx_root: Path) -> None:
    build, _, _, good, _ = CASES[family]
    assert validate_document(DOC, {family: build(good), "tables": tables(family)}, gx_root) == []


def test_the_suite_reads_the_lists_dbt_seeds() -> None:
    # the value sets are the seeds' class codes (the seeds link to extract/reference/)
    expectations = national_classes_suite()
    for listed, expectation in zip(CLASS_LISTS, expectations, strict=True):
        seed = ROOT / "dbt_project" / "seeds" / listed.file
        with seed.open(encoding="utf-8") as handle:
            codes = {row["class_code"] for row in csv.DictReader(handle)}
        assert set(expectation.value_set) == codes
        assert listed.complete and expectation.severity.value == "critical"
    assert {"201", "229", "234"} <= set(expectations[0].value_set)
    assert "266" not in expectations[0].value_set


def test_class_frame_takes_each_printed_row_once_and_only_well_formed_codes() -> None:
    income = income_sources("26601")  # two staged cells per printed row
    summary = budget_summary("266")
    summary.loc[2, "class_code"] = "2O1"  # a letter O: function_code_format's, not this check's
    frame = class_frame(DOC, {"income_sources": income, "budget_summary": summary})
    assert list(zip(frame["family"], frame["code"], frame["class_code"], strict=True)) == [
        ("income_sources", "201", "201"),
        ("income_sources", "26601", "266"),
        ("budget_summary", "266", "266"),
    ]
    assert location(frame.iloc[1].to_dict()) == (
        "page 10, table '2024年部门收入总体情况表', row 2 (26601 某某支出 合计 40.00 万元)"
    )


@pytest.mark.integration
def test_a_class_missing_from_a_partial_list_only_warns(gx_root: Path) -> None:
    # GIVEN a function list that lacks a valid class (205 教育支出) and says it is partial
    partial = ClassList(
        "function",
        "function_classes.csv",
        lambda: {c: n for c, n in national_classes().items() if c != "205"},
        complete=False,
    )
    gate = Gate(
        "staged.national_classes_partial",
        STAGED,
        "document_classes_partial",
        (ROW, WHERE),
        lambda: national_classes_suite([partial]),
    )
    # WHEN a table printing 205 is checked against it
    validated = with_row_ids(
        class_frame(DOC, {"function_expenditure": function_expenditure("205")})
    )
    result = runtime(gx_root).run(gate, validated, DOC)
    findings = Converter(document_id=DOC, frame=validated, location=location).convert(result)
    # THEN the code is reported, and nothing is held for it
    (finding,) = findings
    assert (finding.severity, finding.check, finding.actual) == (
        "warn",
        "function_class_listed",
        "205",
    )
    assert "partial list" in finding.detail and "page 12" in finding.detail
    assert blocks(findings) == []
    # (the complete list holds 205: the same table passes the gate)
    frames = {"function_expenditure": function_expenditure("205")}
    assert validate_document(DOC, frames, gx_root) == []
