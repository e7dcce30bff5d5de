"""The words of audit.document_loads: a document's status and the reason for it.

Every step names a verdict with these, the marts gate's invariants read them, and
docs/operations.md lists them; a new reason is added here first.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    PENDING = "pending"  # in flight: not yet extracted or validated
    PASSED = "passed"  # passed gate 1, not yet loaded
    LOADED = "loaded"  # every table loaded
    PARTIAL = "partial"  # loaded, but for the tables held back (dim_document_table.outcome)
    QUARANTINED = "quarantined"  # nothing of it loaded
    SKIPPED = "skipped"


# What `yusuan load` counts and prints, in this order.
FINAL_STATUSES = (Status.LOADED, Status.PARTIAL, Status.QUARANTINED, Status.SKIPPED)
# The verdicts that put a document's rows in the warehouse.
LOADING_STATUSES = (Status.LOADED, Status.PARTIAL)


class TableOutcome(StrEnum):
    """What became of one table of a document (raw.tables / marts.dim_document_table)."""

    READ = "read"  # parsed; at load it becomes loaded or held
    LOADED = "loaded"
    HELD = "held"  # failed a blocking check (gate 1, a dbt test, gate 2): none of its rows load
    EMPTY = "empty"  # printed without data rows (本表无数据): a fact, not an error
    UNREAD = "unread"  # recognised, but its parser failed on it (the finding says why)
    UNRECOGNISED = "unrecognised"  # no family knows it
    # known, and deliberately not read: the vocabulary's [unmodelled] tables, each with its
    # reason (Reason.RESTATED, Reason.CONTENTS, Reason.UNIT_LIST)
    UNMODELLED = "unmodelled"


# What a family read (an empty one is a fact too); an unrecognised table loads nothing.
LOADABLE = (TableOutcome.READ, TableOutcome.EMPTY)


class Reason(StrEnum):
    # the source could not be pulled
    BAD_SOURCE = "bad_source"  # a catalog or source that is not valid (the entry is named)
    UNREACHABLE = "unreachable"  # not found, HTTP error, redirect loop, deadline passed
    DOWNLOAD_INCOMPLETE = "download_incomplete"  # the body ended before its length
    NOT_PDF = "not_pdf"  # no %PDF header: an HTML page served as 200, a text file
    TOO_LARGE = "too_large"  # over the size or page limit
    # the file could not be read
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    NO_TEXT_LAYER = "no_text_layer"
    NOT_BUDGET = "not_budget"
    TIMEOUT = "timeout"  # extraction took longer than its limit
    EXTRACTION_ERROR = "extraction_error"  # a layout no parser expected
    # the DAG's extraction task of its batch failed after its retries (a killed worker, a
    # lost machine): the batch's documents are out of this run, the others load
    TASK_FAILED = "task_failed"
    # gate 1
    RECONCILIATION = "reconciliation"
    INVALID_VALUES = "invalid_values"
    VALIDATION_ERROR = "validation_error"  # the gate could not run on the document
    # after gate 1: a row of it failed a dbt data test (yusuan.model_tests), or gate 2 named
    # it; its tables (or the document) are held and the run rebuilds without them
    MODEL_TEST = "model_test"
    # the warehouse already holds it, or another version of the same budget
    DUPLICATE = "duplicate"  # the same bytes as another document
    OTHER_VERSION = "other_version"  # another version of its budget is live (yusuan.versions)
    ALREADY_LOADED = "already_loaded"
    SUPERSEDED = "superseded"  # replaced by a re-issue of its budget
    REMOVED = "removed"  # taken out by `yusuan remove`
    # not of the region or fiscal year a run was narrowed to (`--region`, `--year`, the DAG's
    # params): the document prints another; it loads in a run of its own scope
    OUT_OF_SCOPE = "out_of_scope"
    # the run was not published
    TRANSFORM_FAILED = "transform_failed"
    MARTS_GATE = "marts_gate"
    MARTS_GATE_ERROR = "marts_gate_error"
    CONCURRENT_WRITE = "concurrent_write"  # another run published while this one built
    # a table the warehouse knows and deliberately does not read (TableOutcome.UNMODELLED;
    # extract/vocabulary.toml [unmodelled] names them, docs/pipeline.md says why):
    # it restates figures another table of the document prints and the marts hold (西安's
    # 基本支出明细表（按支出功能分类科目）: the 人员经费 / 公用经费 columns of its 一般公共预算
    # 支出明细表（按支出功能分类科目）, code by code)
    RESTATED = "restated"
    # a table of contents: the document's tables by name (西安's 报表目录: 报表 | 报表名称 |
    # 是否空表 | 表格为空的理由)
    CONTENTS = "contents"
    # the units the budget covers, by name, with no figure (西安's and 福州's 预算单位构成:
    # 序号 | 单位名称 [| 拟变动情况], printed untitled in the 情况说明)
    UNIT_LIST = "unit_list"


# Why a table was held, unread or unmodelled (raw.tables.reason,
# marts.dim_document_table.reason): gate 1's reasons, then what holds a table after it
# (yusuan.holds), then why a table is not read.
TABLE_REASONS = (
    Reason.RECONCILIATION,
    Reason.INVALID_VALUES,
    Reason.EXTRACTION_ERROR,
    Reason.MODEL_TEST,
    Reason.MARTS_GATE,
    # why an unmodelled table is not read
    Reason.RESTATED,
    Reason.CONTENTS,
    Reason.UNIT_LIST,
)
# The verdicts that take a document's rows out of the warehouse. A document's rows are in
# the warehouse exactly when its latest loading verdict is newer than its latest of these
# (the marts gate checks it: expectations/invariants.py).
REMOVING_REASONS = (Reason.SUPERSEDED, Reason.REMOVED)
