"""Great Expectations results -> Findings (the rows of audit.findings), for both gates.

A failing expectation gives one Finding per failing row (COMPLETE result format): an
identity row's index columns are its finding's fields (expectations.suites.IDENTITY_INDEX);
a row check's finding says where the row is (page, table, row) from the validated frame.
Past MAX_ROWS_PER_CHECK failing rows of a row check one summary finding stands for the
rest; every failing identity row is its own finding.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from expectations.findings import BLOCK, WARN, Finding, is_missing, to_int, to_str
from expectations.suites import ROW
from extract.verdicts import Reason

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )

# Past this many failing rows of one row check, one summary finding stands for the rest.
MAX_ROWS_PER_CHECK = 50


def _exception_message(result: ExpectationValidationResult) -> str | None:
    info = result.exception_info or {}
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def _expected_text(kwargs: Mapping[str, Any], expectation_type: str) -> str | None:
    if "regex" in kwargs:
        prefix = "not matching " if "not_match" in expectation_type else "matching "
        return prefix + str(kwargs["regex"])
    if "value_set" in kwargs:
        values = kwargs["value_set"]
        if isinstance(values, list | tuple | set):
            return "one of " + ", ".join(str(v) for v in values)
        return None
    if "not_be_null" in expectation_type:
        return "not empty"
    if "unique" in expectation_type:
        return "unique"
    if "min_value" in kwargs or "max_value" in kwargs:
        return f"between {kwargs.get('min_value')} and {kwargs.get('max_value')}"
    return None


def finding(
    document_id: str | None,
    severity: str,
    check: str,
    detail: str,
    *,
    page: int | None = None,
    title: str | None = None,
    expected: str | None = None,
    actual: str | None = None,
) -> Finding:
    return Finding(document_id, severity, check, page, title, expected, actual, detail)


class _Format(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def _render(message: str, values: _Format) -> str:
    try:
        return message.format_map(values)
    except (ValueError, IndexError, KeyError, AttributeError):
        return message


class Converter:
    """Turns one suite's validation result into Findings."""

    def __init__(
        self,
        *,
        document_id: str | None,
        frame: pd.DataFrame | None = None,
        location: Callable[[Mapping[str, Any]], str] = lambda row: "",
        missing_columns: list[str] | None = None,
        row_document: bool = False,
        row_title: bool = True,
    ) -> None:
        """`frame` (with its `location`) is the validated frame of a row suite, where a
        failing row's `_row` is its position; an identity suite needs neither."""
        self.document_id = document_id
        self.frame = frame
        self.location = location
        self.missing_columns = missing_columns or []
        self.row_document = row_document  # take document_id from the failing row (marts)
        self.row_title = row_title

    def convert(self, validation: ExpectationSuiteValidationResult) -> list[Finding]:
        findings: list[Finding] = []
        for result in validation.results:
            if not result.success:
                findings.extend(self._result(result))
        return findings

    def _result(self, result: ExpectationValidationResult) -> list[Finding]:
        config = result.expectation_config
        assert config is not None
        meta = config.meta or {}
        check = str(meta.get("check") or config.type)
        severity = WARN if str(config.severity.value) in ("warning", "info") else BLOCK
        kwargs = dict(config.kwargs)
        column = kwargs.get("column")
        message = str(meta.get("message") or config.type)

        error = _exception_message(result)
        if error is not None:
            if self.missing_columns:  # explained by the required_column_present findings
                return []
            return [
                finding(
                    self.document_id, severity, check, f"{check} could not be evaluated: {error}"
                )
            ]

        if config.type == "expect_table_columns_to_match_set":
            mismatched = ((result.result or {}).get("details") or {}).get("mismatched") or {}
            missing = mismatched.get("missing") or self.missing_columns or ["?"]
            return [
                finding(
                    self.document_id,
                    severity,
                    check,
                    _render(message, _Format(column=column_name)),
                    expected=column_name,
                )
                for column_name in sorted(missing)
            ]

        indexed = (result.result or {}).get("unexpected_index_list") or []
        if not indexed:
            detail = _render(message, _Format(column=column, value=None))
            return [
                finding(
                    self.document_id,
                    severity,
                    check,
                    detail,
                    expected=_expected_text(kwargs, config.type),
                )
            ]

        if meta.get("identity"):
            # each failing row's index columns are its finding; an identity frame holds
            # a bounded number of rows per document, so each is kept
            return [self._identity(item, severity) for item in indexed]
        findings = []
        for item in indexed[:MAX_ROWS_PER_CHECK]:
            row_id = item.get(ROW)
            row: dict[str, Any] = (
                {str(k): v for k, v in self.frame.iloc[int(row_id)].items()}
                if row_id is not None and self.frame is not None
                else {}
            )
            if "column_list" in kwargs:
                value: Any = tuple(row.get(c) for c in kwargs["column_list"])
            else:
                value = row.get(column) if column else None
            key = row.get(meta["key_column"]) if meta.get("key_column") else None
            text = _render(
                message,
                _Format(row, column=column, value=None if is_missing(value) else value, key=key),
            )
            shown = key if meta.get("key_column") else value
            findings.append(
                Finding(
                    to_str(row.get("document_id")) if self.row_document else self.document_id,
                    severity,
                    check,
                    to_int(row.get("page_number")),
                    to_str(row.get("table_title")) if self.row_title else None,
                    meta.get("expected") or _expected_text(kwargs, config.type),
                    "empty" if is_missing(shown) else str(shown),
                    f"{self.location(row)}: {text}",
                )
            )
        if len(indexed) > MAX_ROWS_PER_CHECK:
            findings.append(
                finding(
                    self.document_id,
                    severity,
                    check,
                    f"{len(indexed) - MAX_ROWS_PER_CHECK} more rows fail {check} (see Data Docs)",
                )
            )
        return findings

    def _identity(self, row: Mapping[str, Any], severity: str) -> Finding:
        return Finding(
            to_str(row.get("document_id")),
            severity,
            str(row.get("check")),
            to_int(row.get("page_number")),
            to_str(row.get("table_title")),
            to_str(row.get("expected")),
            to_str(row.get("actual")),
            str(row.get("detail")),
            # the identity frame says (a missing column is no broken identity); gate 2's
            # totals against raw are identities
            reason=to_str(row.get("reason")) or str(Reason.RECONCILIATION),
        )
