"""Totals and 三公 categories stated in the 预算情况说明 prose."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path

import pytest

from extract.families.base import Record
from extract.narrative import narrative_records
from extract.pdf import read_pages
from tests.conftest import REAL, SAMPLES, extract_once
from tests.pdfgen import Grid, Line, PageBreak, Title, render

WAN = Decimal(10000)


def _read(path: Path) -> dict[str, list[Record]]:
    return narrative_records(list(read_pages(path)), "doc", None)


def _totals(records: Mapping[str, list[Record]]) -> dict[str, Decimal]:
    return {r["item"]: r["amount_yuan"] for r in records["narrative_totals"]}


def _categories(records: Mapping[str, list[Record]]) -> dict[str, Decimal]:
    return {r["category"]: r["amount_yuan"] for r in records["three_public"]}


# ----------------------------------------------------------------------------- doc_a golden


@pytest.fixture(scope="module")
def doc_a() -> dict[str, list[Record]]:
    return _read(SAMPLES / "doc_a.pdf")


def test_doc_a_narrative_totals_equal_golden(doc_a: dict[str, list[Record]]) -> None:
    # GIVEN doc_a's golden narrative totals (万元), stated on pages 4-5
    golden = json.loads((SAMPLES / "doc_a.json").read_text())["narrative_totals"]
    # WHEN its prose is read
    got = _totals(doc_a)
    # THEN every golden item comes back in yuan, and the GPB total as well
    assert {k: got[k] for k in golden} == {k: Decimal(str(v)) * WAN for k, v in golden.items()}
    assert got["general_public_budget"] == Decimal("73630.3") * WAN
    assert len(doc_a["narrative_totals"]) == len(got)  # one statement per item
    # AND each keeps the page and sentence it was read from
    by_item = {r["item"]: r for r in doc_a["narrative_totals"]}
    assert {r["page_number"] for r in by_item.values()} == {4}
    sentence = by_item["income_total"]["sentence"]
    assert sentence.endswith("收入总计73630.3万元，支出总计73630.3万元。")
    assert "人员经费支出3068万元" in by_item["personnel"]["sentence"]
    assert {r["amount_unit"] for r in by_item.values()} == {"万元"}


def test_doc_a_narrative_three_public_equals_golden(doc_a: dict[str, list[Record]]) -> None:
    # GIVEN doc_a's golden 三公 figures, also stated in prose on pages 4-5
    golden = json.loads((SAMPLES / "doc_a.json").read_text())["three_public"]
    # WHEN its prose is read
    rows = doc_a["three_public"]
    # THEN the prose categories equal the golden ones, marked as narrative, one per category;
    # 公务用车运行维护费 "0" / "万元" wraps over a line on page 5
    assert _categories(doc_a) == {k: Decimal(str(v)) * WAN for k, v in golden.items()}
    assert len(rows) == len(golden)
    assert {r["source"] for r in rows} == {"narrative"}
    assert {r["table_index"] for r in rows} == {-1}
    operation = next(r for r in rows if r["category"] == "vehicle_operation")
    assert (operation["page_number"], operation["category_name"]) == (5, "公务用车运行维护费")


def test_extract_document_stages_narrative_and_table_rows() -> None:
    # GIVEN doc_a, with a 三公 table and the same figures in prose
    path = SAMPLES / "doc_a.pdf"
    # WHEN the whole document is extracted
    extracted = extract_once(path)
    # THEN the narrative totals are staged, and 三公 rows from both sources
    assert {r["item"] for r in extracted.frames["narrative_totals"]} >= {
        "income_total",
        "three_public",
    }
    sources = [r["source"] for r in extracted.frames["three_public"]]
    assert sorted(set(sources)) == ["narrative", "table"]
    assert sources.count("table") == sources.count("narrative") == 6


# ------------------------------------------------------------------------ real Shanghai PDFs

# Read from the 部门预算编制说明 and 其他相关情况说明 pages (万元).
SHANGHAI = {
    "上海市普陀区人民政府办公室2025年单位预算.pdf": (6, "9101.68", "867.50", "2389.52"),
    "上海市普陀区司法局2026年部门预算.pdf": (8, "9628.22", "10.81", "793.14"),
    "上海市普陀区商务委员会2025年部门预算.pdf": (7, "37151.47", "1.00", "24491.71"),
}


@pytest.mark.parametrize("name", list(SHANGHAI))
def test_shanghai_totals_with_separators_and_changes(name: str) -> None:
    # GIVEN a Shanghai 编制说明: "收入预算9,101.68万元,其中:财政拨款收入9,101.68万元,
    # 比2024年预算减少2,389.52万元" and "“三公”经费预算数为867.50万元"
    page, total, three, change = SHANGHAI[name]
    # WHEN the prose is read
    records = _read(REAL / name)
    got = _totals(records)
    # THEN income, expenditure and the GPB total are the stated total, not the change
    for item in ("income_total", "expenditure_total", "general_public_budget"):
        assert got[item] == Decimal(total) * WAN, item
    assert got["three_public"] == Decimal(three) * WAN
    assert Decimal(change) * WAN not in got.values()
    assert (
        next(r for r in records["narrative_totals"] if r["item"] == "income_total")["page_number"]
        == page
    )
    # AND no item the prose does not state is invented (its 二、机关运行经费预算 states one)
    stated = {"income_total", "expenditure_total", "general_public_budget", "three_public"}
    assert set(got) == stated | {"operating_expenses"}


@pytest.mark.parametrize("path", sorted(REAL.glob("*.pdf")), ids=lambda p: p.stem)
def test_shanghai_prose_three_public_agrees_with_the_table(path: Path) -> None:
    # GIVEN a real Shanghai PDF that states its 三公 figures in a table and in prose
    extracted = extract_once(path)
    rows = extracted.frames["three_public"]
    # WHEN both sources are compared
    table = {r["category"]: r["amount_yuan"] for r in rows if r["source"] == "table"}
    prose = {r["category"]: r["amount_yuan"] for r in rows if r["source"] == "narrative"}
    # THEN they state the same six categories at the same amounts
    assert len(table) == len(prose) == 6
    assert table == prose


# ------------------------------------------------------------------------------- layouts

PADDING = (
    "按照党中央、国务院有关规定及部门预算管理有关规定，本部门严格控制一般性支出，"
    "进一步压减非刚性、非重点支出，厉行节约，坚持过紧日子，保障重点领域支出需要，"
    "切实提高财政资金使用效益，推动预算绩效管理提质增效，确保各项工作顺利开展。"
)


def test_prose_only_three_public_categories(tmp_path: Path) -> None:
    # GIVEN the seed-004 layout: 三公 stated only in prose, with changes in percent
    path = render(
        tmp_path / "prose.pdf",
        [
            Title("关于 2023 年市级预算公开有关事项的说明"),
            Line("一、市级财政性资金安排“三公”经费预算情况"),
            Line(
                "按河北省财政厅报告和公开口径，2023 年市级“三公”经费预算安排 2860 万元，较上年"
                "下降 5%，其中：一般公共预算安排 2860 万元，较上年下降 5%；政府性基金预算安排 "
                "0 万元，与上年持平。具体安排情况如下："
            ),
            Line(
                "（一）公务用车购置及运行维护费 2268 万元，较上年下降 0.1%。其中：公务用车购置"
                "安排 415 万元，较上年下降 10%（主要是车辆购置减少），其中：一般公共预算 415 "
                "万元，政府性基金预算 0 万元；公务用车运行维护费 1853 万元，较上年增加 2.3%。"
            ),
            Line("（二）公务接待费 533 万元，较上年下降 19.2%（主要是接待任务安排减少）。"),
            Line("（三）因公出国（境）费 59 万元，较上年下降 25.3%（主要是出访任务安排减少）。"),
        ],
    )
    # WHEN the prose is read
    records = _read(path)
    # THEN every category comes back as a narrative row, in reading order
    assert _categories(records) == {
        "total": Decimal(2860) * WAN,
        "vehicle_total": Decimal(2268) * WAN,
        "vehicle_purchase": Decimal(415) * WAN,
        "vehicle_operation": Decimal(1853) * WAN,
        "reception": Decimal(533) * WAN,
        "overseas_travel": Decimal(59) * WAN,
    }
    assert [r["row_index"] for r in records["three_public"]] == list(range(6))
    assert {r["source"] for r in records["three_public"]} == {"narrative"}
    assert _totals(records) == {"three_public": Decimal(2860) * WAN}


def test_amount_wrapped_before_its_unit(tmp_path: Path) -> None:
    # GIVEN a statement whose amount ends one line and whose unit starts the next, after
    # a short line (which otherwise ends a paragraph)
    path = render(
        tmp_path / "wrapped.pdf",
        [
            Line(PADDING),
            Line("六、一般公共预算基本支出情况说明"),
            Line("某局 2024 年一般公共预算基本支出年初预算为 3634 万元。其中：人员经费支出 3068"),
            Line("万元，占 84.42%；公用经费支出 566.1 万元，占 15.58%。"),
        ],
        wide=False,
    )
    # WHEN the prose is read
    records = _read(path)
    got = _totals(records)
    # THEN the wrapped amount is read with its unit, in one sentence
    assert got["personnel"] == Decimal(3068) * WAN
    personnel = next(r for r in records["narrative_totals"] if r["item"] == "personnel")
    assert personnel["sentence"] == (
        "其中：人员经费支出3068万元，占84.42%；公用经费支出566.1万元，占15.58%。"
    )
    assert got["public"] == Decimal("566.1") * WAN
    # AND the 基本支出 stated under a heading about the 一般公共预算 is that budget's, not
    # read as the department's (the all-funds 支出总表 is what a 基本支出 is checked against)
    assert "basic" not in got


def test_parts_stated_for_the_fiscal_grants_are_not_the_departments() -> None:
    # GIVEN 重庆市委宣传部's prose: the department's income and spending stated in
    # "二、部门收支总体情况" (p3: 收入预算 … 45,369.18 万元), then "三、财政拨款情况说明" (p4:
    # "2026 年一般公共预算财政拨款收入 37,891.58 万元 … 其中：基本支出 12,899.62 万元 …
    # 项目支出 24,991.96 万元"), while its 支出总表 (p12) prints 合计 45,369.18 | 13,236.18 |
    # 32,133.00
    got = _totals(_read(REAL.parent / "real-national" / "2026年重庆市委宣传部部门预算.pdf"))
    # THEN neither 12,899.62 nor 24,991.96 is read as the department's 基本支出 / 项目支出
    assert "basic" not in got and "project" not in got
    # AND the 三公 total stated on p5 is ("2026 年“三公”经费预算 275.80 万元")
    assert got["three_public"] == Decimal("275.80") * WAN


def test_shares_and_changes_are_not_totals(tmp_path: Path) -> None:
    # GIVEN prose that states shares and changes before the amounts themselves
    path = render(
        tmp_path / "changes.pdf",
        [
            Line("某局 2025 年项目支出比上年增加 200 万元，基本支出占 4.94%。"),
            Line("某局 2025 年支出合计 1000 万元，其中：基本支出 49.4 万元；项目支出 950.6 万元。"),
        ],
    )
    # WHEN the prose is read
    got = _totals(_read(path))
    # THEN the totals are the stated amounts
    assert got == {
        "expenditure_total": Decimal(1000) * WAN,
        "basic": Decimal("49.4") * WAN,
        "project": Decimal("950.6") * WAN,
    }


def test_first_statement_wins_over_later_sections(tmp_path: Path) -> None:
    # GIVEN the all-funds 基本支出 stated first and a narrower GPB figure later
    path = render(
        tmp_path / "first.pdf",
        [
            Line("三、支出预算总体情况说明"),
            Line("某局 2024 年支出合计 4000 万元，其中：基本支出 3634 万元；项目支出 366 万元。"),
            PageBreak(),
            Line("五、一般公共预算支出情况说明"),
            Line("某局 2024 年一般公共预算支出年初预算为 3900 万元。其中：基本支出 3534 万元。"),
        ],
    )
    # WHEN the prose is read
    records = _read(path)
    got = _totals(records)
    # THEN the first statement of each item is kept, on its own page
    assert got["basic"] == Decimal(3634) * WAN
    assert got["general_public_budget"] == Decimal(3900) * WAN
    pages = {r["item"]: r["page_number"] for r in records["narrative_totals"]}
    assert pages == {"expenditure_total": 1, "basic": 1, "project": 1, "general_public_budget": 2}


def test_table_text_is_not_prose(tmp_path: Path) -> None:
    # GIVEN a ruled table whose cells read like a statement, above the real statement
    path = render(
        tmp_path / "table.pdf",
        [
            Title("2024年部门收支总体情况表"),
            Line("单位：万元"),
            Grid([["项目", "金额"], ["收入总计", "999 万元"]]),
            Line("某局 2024 年收入总计 50 万元，支出总计 50 万元。"),
        ],
    )
    # WHEN the prose is read
    got = _totals(_read(path))
    # THEN only the sentence outside the table counts
    assert got == {"income_total": Decimal(50) * WAN, "expenditure_total": Decimal(50) * WAN}


@pytest.mark.parametrize(
    "sentence",
    [
        "某局 2024 年“三公”经费预算为 5 万元。",
        '某局 2024 年"三公"经费预算为 5 万元。',
        "某局 2024 年三公经费预算为 5 万元。",
        "某局 2024 年“三公经费”预算数为 5 万元。",
    ],
    ids=["curly", "ascii", "none", "around"],
)
def test_three_public_quote_variants(tmp_path: Path, sentence: str) -> None:
    # GIVEN the 三公 total in one of the quoting styles printed in the wild
    path = render(tmp_path / "quotes.pdf", [Line(sentence)])
    # WHEN the prose is read
    got = _totals(_read(path))
    # THEN the total is read
    assert got == {"three_public": Decimal(5) * WAN}


# ------------------------------------------------- 北京's 说明: categories as headings

NATIONAL = REAL.parent / "real-national"
BEIJING_PROSE = {
    # p6-9 of 2026年北京市财政局部门预算.pdf (万元): 2026 年度收入预算 44169.36 万元 | 2026 年
    # 支出预算 44169.36 万元 | 基本支出预算 28016.26 万元 | 项目支出预算 16153.10 万元 |
    # 2026 年财政拨款“三公”经费预算 223.80 万元 | （一）因公出国（境）费用。2026 年预算数
    # 127.74 万元 | （二）公务接待费。2026 年预算数 11.64 万元 | （三）公务用车购置和运行维护
    # 费。2026 年预算数 84.42 万元，包括公务用车购置费预算 44.92 万元、公务用车运行维护费预算
    # 39.50 万元 | 机关运行经费财政拨款预算1158.60 万元
    "2026年北京市财政局部门预算.pdf": (
        {"income_total": "44169.36", "expenditure_total": "44169.36", "basic": "28016.26"}
        | {"project": "16153.10", "three_public": "223.80", "operating_expenses": "1158.60"},
        {"total": "223.80", "overseas_travel": "127.74", "reception": "11.64"}
        | {"vehicle_total": "84.42", "vehicle_purchase": "44.92", "vehicle_operation": "39.50"},
    ),
    # p4-7 of 2026年北京市统计局部门预算.pdf: 收入预算 51036.22 | 支出预算 51036.22 | 基本支出
    # 预算 32780.46 | 项目支出预算 18147.49 | “三公”经费预算 73.79 | 因公出国（境）费用。2026
    # 年预算数 45.19 | 公务接待费。2026 年预算数 1.18 | 公务用车购置和运行维护费。2026 年预算数
    # 27.42，包括公务用车购置费预算 0 万元、公务用车运行维护费预算 27.42 万元 | 机关运行经费
    # 财政拨款预算1211.43 万元
    "2026年北京市统计局部门预算.pdf": (
        {"income_total": "51036.22", "expenditure_total": "51036.22", "basic": "32780.46"}
        | {"project": "18147.49", "three_public": "73.79", "operating_expenses": "1211.43"},
        {"total": "73.79", "overseas_travel": "45.19", "reception": "1.18"}
        | {"vehicle_total": "27.42", "vehicle_purchase": "0", "vehicle_operation": "27.42"},
    ),
}


@pytest.mark.parametrize("name", sorted(BEIJING_PROSE), ids=["统计局", "财政局"])
def test_three_public_categories_stated_under_their_headings(name: str) -> None:
    # GIVEN 北京's 说明: each 三公 category a heading, its figure the next sentence's
    # "2026 年预算数 … 万元"
    extracted = extract_once(NATIONAL / name)
    totals, categories = BEIJING_PROSE[name]
    # THEN the totals and every category are read as stated, in 万元
    assert _totals(extracted.frames) == {k: Decimal(v) * WAN for k, v in totals.items()}
    assert _categories(extracted.frames) == {k: Decimal(v) * WAN for k, v in categories.items()}
    # AND the document is the explanatory one of its department, for its tables' document
    assert extracted.document["document_kind"] == "explanatory"
    assert extracted.document["department_name"] == name[5:11]  # 北京市财政局, 北京市统计局


# ------------------------------------------------------------------ 机关运行经费 in prose


@pytest.mark.parametrize(
    "sentence",
    [
        "2026年某局机关运行经费财政拨款预算1211.43万元。",  # 北京, 深圳
        "2026年，本部门机关运行经费安排1,211.43万元，比上年减少23.32万元，下降5%。",  # 广州
        "2017年本部门一般公共预算机关运行经费预算支出1211.43万元，比上年增加7952.30万元。",
        "某局2017年一般公共预算机关运行经费支出预算1211.43万元，比2016年增加2,173.13万元。",
        "2026年，某局一般公共预算拨款安排的机关运行经费支出 1211.43 万元，比上年减少 26.92 万元。",
        "2024年某局下属1家机关和1家参公事业单位财政拨款的机关运行经费预算为1211.43万元。",
        "本部门当年机关运行经费预算安排1211.43万元，较上年增加10.31万元，增长5.48%。",
    ],
    ids=["grant", "arranged", "spent", "spent-first", "gpb-arranged", "is", "arranged-budget"],
)
def test_operating_expenses_as_cities_state_them(tmp_path: Path, sentence: str) -> None:
    # GIVEN 机关运行经费 stated the ways the provinces of tests/pdfs/ print it
    path = render(tmp_path / "running.pdf", [Line(sentence)])
    # WHEN the prose is read
    got = _totals(_read(path))
    # THEN the year's figure is read, never the change after it
    assert got["operating_expenses"] == Decimal("1211.43") * WAN


def test_operating_expenses_defined_or_listed_are_not_stated(tmp_path: Path) -> None:
    # GIVEN the term in a table of contents, a definition and a change alone
    path = render(
        tmp_path / "terms.pdf",
        [
            Line("十、一般公共预算机关运行经费支出预算表"),
            Line("九、机关运行经费：指行政单位（含参照公务员法管理的事业单位）的公用经费。"),
            Line("2026年机关运行经费比上年增加 10.31 万元。"),
        ],
    )
    # WHEN the prose is read
    # THEN no 机关运行经费 is stated
    assert "operating_expenses" not in _totals(_read(path))
