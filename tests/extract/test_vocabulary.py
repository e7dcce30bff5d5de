"""The header vocabulary (extract/vocabulary.toml): header paths to canonical columns, and
the columns it does not know kept out of the rows and reported."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from extract import vocabulary
from extract.document import extract_document
from tests.pdfgen import Grid, Line, Title
from yusuan.survey import _totals, render

PATHS = {
    "simple": [["科目编码"], ["科目名称"], ["合计"], ["基本支出"], ["项目支出"]],
    "nested": [
        ["科目编码", "类"],
        ["科目编码", "款"],
        ["科目编码", "项"],
        ["科目名称"],
        ["合计"],
        ["基本支出", "人员经费"],
        ["基本支出", "公用经费"],
        ["项目支出", "小计"],
        ["项目支出", "其他运转类"],
    ],
}


def test_header_paths_name_canonical_columns() -> None:
    labels = vocabulary.columns("coded_rows", PATHS["simple"])
    simple = vocabulary.columns("function_expenditure", PATHS["simple"])
    assert (labels["code"], labels["name"], simple["total"]) == ([0], [1], [2])
    assert (simple["basic"], simple["project"]) == ([3], [4])
    labels = vocabulary.columns("coded_rows", PATHS["nested"])
    nested = vocabulary.columns("function_expenditure", PATHS["nested"])
    assert (labels["class_"], labels["kuan"], labels["xiang"]) == ([0], [1], [2])
    # 基本支出 without a 小计 is the sum of its parts; 项目支出 with one is its 小计 alone
    assert nested["basic"] == [5, 6]
    assert nested["project"] == [7]
    assert (nested["personnel"], nested["public"]) == ([5], [6])


def test_a_rule_matches_labels_in_order_with_others_between() -> None:
    rule = vocabulary.rules("function_expenditure")["basic"][0]  # 基本支出 > 小计|合计
    assert rule.matches(["本年支出", "基本支出", "小计"])
    assert not rule.matches(["小计", "基本支出"])  # order matters
    assert not rule.matches(["基本支出", "人员经费"])


def test_whitespace_inside_a_label_does_not_matter() -> None:
    assert vocabulary.columns("function_expenditure", [["合  计"]])["total"] == [0]


def test_every_family_entry_compiles_and_every_column_has_a_rule() -> None:
    raw = tomllib.loads(Path(vocabulary.__file__).with_suffix(".toml").read_text("utf-8"))
    for family, entries in raw.items():
        for name, rules in entries.get("columns", {}).items():
            assert rules, f"{family}.{name} has no rule"
            assert vocabulary.rules(family)[name]
    # the 三公 list and the income sources say what each label means
    assert vocabulary.meaning(vocabulary.labels("three_public", "labels", "category"), "会议费")
    assert vocabulary.meaning(
        vocabulary.labels("income_sources", "sources", "source"), "事业单位经营收入"
    ) == ("operating")


def test_the_titles_of_other_budgets_name_budget_scopes() -> None:
    from extract.families.function_expenditure import SCOPES, scope_of

    # every scope the vocabulary names is one the marts accept
    named = {e.means for e in vocabulary.labels("function_expenditure", "scopes", "scope")}
    assert named == {"government_fund", "state_capital"} and named <= set(SCOPES)
    # the titles of the nine city prints and Shanghai's, Jiangsu's
    assert {
        scope_of(title)
        for title in (
            "预算07表政府性基金预算支出表",
            "表8：2026年市级部门政府性基金预算支出预算表",
            "2026年度政府性基金预算拨款支出预算表",
            "2024年部门政府性基金预算支出功能分类预算表",
            "财政拨款政府性基金支出预算表",
        )
    } == {"government_fund"}
    assert {
        scope_of(title)
        for title in ("国有资本经营预算支出情况表", "2026年度国有资本经营预算拨款支出预算表")
    } == {"state_capital"}
    # 广州 prints the fund's name over 小计 | 其中：基本支出 | 项目支出
    fund = "政府性基金预算支出"
    header = [
        ["科目编码"],
        ["科目名称"],
        [fund, "小计"],
        [fund, "其中：基本支出"],
        [fund, "项目支出"],
    ]
    found = vocabulary.columns("function_expenditure", header)
    assert (found["total"], found["basic"], found["project"]) == ([2], [3], [4])
    # a 收支表 of the fund budget prints income beside spending by class: no function table
    assert scope_of("部门综合预算政府性基金收支表") is None
    assert scope_of("政府性基金预算基本支出表") is None


def carryover_table() -> list[object]:
    """A function table whose last column, 上年结转, no family rule names."""
    return [
        Title("2024年一般公共预算支出情况表"),
        Line("部门：某市测试局"),
        Line("单位：万元"),
        Grid(
            [["科目编码", "科目名称", "合计", "基本支出", "项目支出", "上年结转"],
             ["", "合计", "3.0", "2.0", "1.0", "9.0"],
             ["201", "一般公共服务支出", "3.0", "2.0", "1.0", "9.0"],
             ["20101", "人大事务", "3.0", "2.0", "1.0", "9.0"],
             ["2010101", "行政运行", "3.0", "2.0", "1.0", "9.0"]]
        ),
    ]  # fmt: skip


def read(tmp_path: Path, blocks: list[object]) -> Any:
    from tests.pdfgen import render as render_pdf

    pdf = render_pdf(tmp_path / "t.pdf", blocks)
    return extract_document(pdf, document_id="d", source_uri=str(pdf))


def test_an_unknown_column_is_kept_out_and_reported(tmp_path: Path) -> None:
    extracted = read(tmp_path, carryover_table())
    rows = extracted.frames["function_expenditure"]
    # 9.0 of 上年结转 is in no row: the total is the 合计 column's
    assert {r["total_yuan"] for r in rows} == {Decimal(30_000)}
    assert Decimal(90_000) not in {v for r in rows for v in r.values()}
    [table] = extracted.frames["tables"]
    assert table["unknown_columns"] == "上年结转"


@pytest.fixture
def vocabulary_with(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Swap in a vocabulary with extra entries, as a new template's contributor would."""

    def extend(family: str, column: str, rule: dict[str, Any]) -> None:
        data = tomllib.loads(
            Path(vocabulary.__file__).with_suffix(".toml").read_text(encoding="utf-8")
        )
        data[family]["columns"][column].insert(0, rule)
        monkeypatch.setattr(vocabulary, "data", lambda: data)
        vocabulary.rules.cache_clear()

    yield extend
    vocabulary.rules.cache_clear()


def test_a_new_template_is_a_vocabulary_entry(tmp_path: Path, vocabulary_with: Any) -> None:
    # a province heading its amount column 拨款数 (no rule knows it): nothing read
    blocks: list[object] = [
        Title("2024年一般公共预算支出情况表"),
        Line("单位：万元"),
        Grid(
            [["科目编码", "科目名称", "拨款数"],
             ["", "合计", "3.0"],
             ["201", "一般公共服务支出", "3.0"],
             ["2010101", "行政运行", "3.0"]]
        ),
    ]  # fmt: skip
    before = read(tmp_path, blocks)
    assert {r["total_yuan"] for r in before.frames["function_expenditure"]} == {None}
    assert before.frames["tables"][0]["unknown_columns"] == "拨款数"
    # one entry in extract/vocabulary.toml, and the table reads
    vocabulary_with("function_expenditure", "total", {"path": ["^拨款数$"]})
    after = read(tmp_path, blocks)
    assert {r["total_yuan"] for r in after.frames["function_expenditure"]} == {Decimal(30_000)}
    assert after.frames["tables"][0]["unknown_columns"] is None


def test_the_survey_lists_unknown_columns_and_titles_with_counts() -> None:
    def table(title: str, family: str | None, outcome: str, unknown: list[str]) -> dict[str, Any]:
        return {"page": 1, "title": title, "family": family, "rows": 0, "failed": [],
                "outcome": outcome, "unknown_columns": unknown}  # fmt: skip

    documents = [
        {
            "file_name": f"{n}.pdf",
            "status": "loaded",
            "reason": None,
            "detail": None,
            "tables": tables,
        }
        for n, tables in enumerate(
            [
                [
                    table("一般公共预算支出情况表", "function_expenditure", "loaded", ["上年结转"]),
                    table("预算07表政府性基金预算支出表", None, "unrecognised", []),
                ],
                [
                    table("表8：2026年政府性基金预算支出表", None, "unrecognised", []),
                    table(
                        "2026年度一般公共预算支出表", "function_expenditure", "loaded", ["上年结转"]
                    ),
                    table("会议费明细表", None, "unrecognised", []),
                ],
            ]
        )
    ]
    text = render({"documents": documents, "totals": _totals(documents)})
    assert "columns not in the vocabulary: ['上年结转']" in text
    assert "columns not in the vocabulary: 2" in text
    # numbered and dated variants of one title count as one, most seen first
    titles = text.split("titles no family recognised")[1].split("\n\n")[0].splitlines()[1:]
    assert [line.split() for line in titles] == [
        ["2", "政府性基金预算支出表"],
        ["1", "会议费明细表"],
    ]
    assert "column header paths not in the vocabulary" in text
    assert text.rstrip().endswith("2  上年结转")


@pytest.mark.integration
def test_survey_reports_the_unknown_column_of_a_pdf(tmp_path: Path) -> None:
    from tests.pdfgen import render as render_pdf

    pdf = render_pdf(tmp_path / "carryover.pdf", carryover_table())
    done = subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "survey", str(pdf), "--json"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    report = json.loads(done.stdout)
    [table] = report["documents"][0]["tables"]
    assert (table["family"], table["unknown_columns"]) == ("function_expenditure", ["上年结转"])
    assert report["totals"]["unknown_columns"] == 1

    # AND a load records it in the mart BI reads
    warehouse = tmp_path / "bi.duckdb"
    subprocess.run(
        [sys.executable, "-m", "yusuan.cli", "load", str(pdf), "--warehouse", str(warehouse),
         "--home", str(tmp_path / "home")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    with duckdb.connect(str(warehouse), read_only=True) as con:
        recorded = con.execute(
            "select family, outcome, unknown_columns from marts.dim_document_table"
        ).fetchall()
    assert recorded == [("function_expenditure", "loaded", "上年结转")]


def test_a_basic_table_total_is_named_by_its_deepest_label() -> None:
    # 科目编码 | 科目名称 | 预算数 (or 金额（万元）): the one amount column is the total
    for amount in ("预算数", "金额（万元）"):
        found = vocabulary.columns("basic_expenditure", [["科目编码"], ["科目名称"], [amount]])
        assert found["total"] == [2]
    # a column under a 2024年预算 heading is named by its own label, not the heading's
    grouped = [["科目编码"], ["2024年预算", "财政拨款"]]
    assert "total" not in vocabulary.columns("basic_expenditure", grouped)


def test_a_column_known_and_not_staged_is_neither_read_nor_unknown() -> None:
    # GIVEN 深圳's 基本支出总表 header: 合计 beside 财政专户管理资金 and 单位资金 > 事业收入,
    # and a 事业收入 under no group, which no entry names
    header = [["科目编码"], ["合计"], ["财政专户管理资金"], ["单位资金", "事业收入"], ["事业收入"]]
    body: list[list[str | None]] = [["301", "3.00", "1.00", "2.00", "4.00"]]
    # THEN the vocabulary reads 合计 only, and lists only the column no entry decides
    found = vocabulary.columns("basic_expenditure", header)
    assert found == {"total": [1]}
    assert vocabulary.NOT_STAGED not in found
    assert vocabulary.unknown("basic_expenditure", header, body, known=[0]) == ["事业收入"]


def test_tables_known_and_not_read_have_a_named_reason() -> None:
    from extract.verdicts import TABLE_REASONS, Reason

    # a restated table by its title, a table of contents by its header, else None
    title = "部门综合预算一般公共预算基本支出明细表（按支出功能分类科目）"
    assert vocabulary.unmodelled(title, "功能科目编码 功能科目名称 合计") == "restated"
    assert vocabulary.unmodelled(None, "报表 报表名称 是否空表 表格为空的理由") == "contents"
    assert vocabulary.unmodelled("一般公共预算基本支出表", "科目编码 合计") is None
    # every reason the vocabulary gives is one the audit and the marts know
    reasons = {e["reason"] for e in vocabulary.data()["unmodelled"]["tables"]}
    assert {Reason(r) for r in reasons} <= set(TABLE_REASONS)
