"""会议费 / 培训费 in layouts the real fixtures do not print (西安's lists and 三公 columns
are in tests/test_real_national_meeting_training.py, Jiangsu's in tests/test_jiangsu.py): a
list with counts and a 合计, a misprinted 合计, a list printed without a title, and a 三公
table listing 会议费 and 培训费 as rows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd

from expectations.meeting_training_identities import meeting_training_identities
from extract.document import Extracted, extract_document
from extract.verdicts import TableOutcome
from tests.pdfgen import SMALL_FUNCTION_TABLE, Grid, Line, Title, render

WAN = Decimal(10_000)

MEETINGS = [
    Title("2024年会议费明细表"),
    Line("单位：万元"),
    Grid(
        [["序号", "会议名称", "会议数", "天数", "人数", "金额"],
         ["1", "全市工作会议", "1", "2", "150", "3.20"],
         ["2", "业务培训暨座谈会", "2", "1", "60", "1.30"],
         ["", "合计", "", "", "", "4.50"]]
    ),
]  # fmt: skip


def read(tmp_path: Path, blocks: list[object], *, first: bool = False) -> Extracted:
    """The blocks after a function table (so that the document is a budget), or before it
    (an untitled grid after another table would be read as its continuation)."""
    ordered = [*blocks, *SMALL_FUNCTION_TABLE] if first else [*SMALL_FUNCTION_TABLE, *blocks]
    pdf = render(tmp_path / "t.pdf", ordered)
    return extract_document(pdf, document_id="d", source_uri=str(pdf))


def rows(extracted: Extracted) -> list[tuple[Any, ...]]:
    return [
        (r["row_kind"], r["category"], r["name"], r.get("sessions"), r.get("duration_days"),
         r.get("participants"), r["amount_yuan"])
        for r in extracted.frames["meeting_training"]
    ]  # fmt: skip


def failed(records: list[dict[str, Any]], three_public: list[dict[str, Any]]) -> list[str]:
    identities, errors = meeting_training_identities(
        "d", pd.DataFrame.from_records(records), pd.DataFrame.from_records(three_public)
    )
    assert errors == []
    return [i["check"] for i in identities if i["excess"] > 0]


def test_a_list_with_counts_and_its_total(tmp_path: Path) -> None:
    # GIVEN a 会议费明细表 printing 会议数, 天数 and 人数 beside each meeting, and a 合计
    extracted = read(tmp_path, MEETINGS)
    # THEN each meeting is an item with its counts, the 合计 the category's total
    assert rows(extracted) == [
        ("item", "meeting", "全市工作会议", 1, 2, 150, Decimal("3.20") * WAN),
        ("item", "meeting", "业务培训暨座谈会", 2, 1, 60, Decimal("1.30") * WAN),
        ("total", "meeting", None, None, None, None, Decimal("4.50") * WAN),
    ]
    [table] = [t for t in extracted.frames["tables"] if t["family"] == "meeting_training"]
    assert (table["outcome"], table["unknown_columns"]) == (TableOutcome.READ, None)
    assert extracted.problems == []
    # AND gate 1's identity holds: 合计 = Σ items
    assert failed(extracted.frames["meeting_training"], []) == []


def test_a_misprinted_total_fails_its_identity(tmp_path: Path) -> None:
    # GIVEN the same list whose 合计 prints 4.60 against items summing to 4.50
    grid = MEETINGS[2]
    assert isinstance(grid, Grid)
    misprinted = Grid([*grid.rows[:-1], ["", "合计", "", "", "", "4.60"]])
    extracted = read(tmp_path, [*MEETINGS[:2], misprinted])
    # THEN the total against its items fails, blocking its table
    identities, _ = meeting_training_identities(
        "d", pd.DataFrame.from_records(extracted.frames["meeting_training"])
    )
    [bad] = [i for i in identities if i["excess"] > 0]
    assert (bad["check"], bad["severity"]) == (
        "meeting_training_total_equals_sum_of_items",
        "block",
    )
    assert "4.60" in bad["detail"] and "4.50" in bad["detail"]


def test_an_untitled_list_is_known_by_its_header(tmp_path: Path) -> None:
    # GIVEN a list of trainings printed without a title (only a unit line above it)
    extracted = read(
        tmp_path,
        [Line("单位：万元"),
         Grid([["序号", "培训名称", "期数", "人数", "金额"],
               ["1", "新入职人员培训", "2", "40", "1.60"]])],
        first=True,
    )  # fmt: skip
    # THEN it is read as a training list
    assert rows(extracted) == [
        ("item", "training", "新入职人员培训", 2, None, 40, Decimal("1.60") * WAN),
    ]


def test_meeting_and_training_rows_of_a_three_public_table(tmp_path: Path) -> None:
    # GIVEN a 三公 table in rows that also lists 会议费 and 培训费
    extracted = read(
        tmp_path,
        [Title("2024年“三公”经费、会议费、培训费支出情况表"),
         Line("单位：万元"),
         Grid([["项目", "预算数"],
               ["“三公”经费合计", "6.00"],
               ["1、因公出国（境）费", "1.00"],
               ["2、公务接待费", "2.00"],
               ["3、公务用车购置及运行维护费", "3.00"],
               ["会议费", "4.00"],
               ["培训费", "5.00"]])],
    )  # fmt: skip
    # THEN the 三公 categories are three_public's, 会议费 and 培训费 meeting_training totals
    three_public = {r["category"]: r["amount_yuan"] for r in extracted.frames["three_public"]}
    assert three_public == {
        "total": Decimal("6.00") * WAN,
        "overseas_travel": Decimal("1.00") * WAN,
        "reception": Decimal("2.00") * WAN,
        "vehicle_total": Decimal("3.00") * WAN,
    }
    assert rows(extracted) == [
        ("total", "meeting", "会议费", None, None, None, Decimal("4.00") * WAN),
        ("total", "training", "培训费", None, None, None, Decimal("5.00") * WAN),
    ]
