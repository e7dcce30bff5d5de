"""The basic-expenditure family (economic codes): golden doc_a, real Shanghai PDFs, layouts."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from extract.families import FAMILIES, basic_expenditure
from extract.families.base import Context, Record
from extract.pdf import read_pages
from extract.tables import LogicalTable, stitch
from extract.values import normalize_text
from tests.conftest import REAL, SAMPLES, extract_once
from tests.pdfgen import Grid, Line, Title, render

WAN = Decimal(10000)
WANLI_2024 = REAL / "上海市普陀区人民政府万里街道办事处2024年预算.pdf"
SIFA_2026_UNIT = REAL / "上海市普陀区司法局2026年单位预算.pdf"


@cache
def _tables(path: Path) -> list[LogicalTable]:
    return stitch(read_pages(path))


def _rows(path: Path) -> tuple[list[Record], Context]:
    """Every record the family stages from the PDF, and the context its problems went to."""
    context = Context("test", None, "万元")
    records: list[Record] = []
    for table in _tables(path):
        if basic_expenditure.matches(table):
            records += basic_expenditure.parse(table, context)[basic_expenditure.NAME]
    return records, context


def _by_code(records: list[Record]) -> dict[str | None, Record]:
    return {r["economic_code"]: r for r in records if r["row_kind"] == "code"}


def _total(records: list[Record]) -> Record:
    [total] = [r for r in records if r["row_kind"] == "total"]
    return total


# ---------------------------------------------------------------- doc_a against its golden


def test_doc_a_economic_rows_equal_golden() -> None:
    # GIVEN doc_a.pdf and its golden economic_rows (amounts in 万元)
    golden = json.loads((SAMPLES / "doc_a.json").read_text())["economic_rows"]
    # WHEN the whole document is extracted
    path = SAMPLES / "doc_a.pdf"
    extracted = extract_once(path)
    records = extracted.frames["basic_expenditure"]
    # THEN every code row comes back, in printed order, with exact yuan amounts; names are
    # compared after the project's text normalisation (it prints 维修(护)费 in ASCII brackets,
    # which normalize_text folds to the Chinese forms like every other cell)
    got = [
        (r["economic_code"], r["economic_name"], r["amount_yuan"], r["gov_economic_code"],
         r["gov_economic_name"], r["kind"])
        for r in records if r["row_kind"] == "code"
    ]  # fmt: skip
    expected = [
        (g["code"], normalize_text(g["name"]), Decimal(str(g["amount"])) * WAN, g["gov_code"],
         normalize_text(g["gov_name"]), g["kind"])
        for g in golden
    ]  # fmt: skip
    assert got == expected
    assert {r["page_number"] for r in records} == {14}
    assert not extracted.problems


def test_doc_a_total_row_and_blank_split_cells() -> None:
    # GIVEN doc_a's 基本支出表: 合计 first; 人员经费 blank on 公用经费 rows and vice versa
    records, context = _rows(SAMPLES / "doc_a.pdf")
    # THEN the 合计 row carries the printed figures (3,634.0 / 3,068.0 / 566.1 万元)
    total = _total(records)
    assert (total["amount_yuan"], total["personnel_yuan"], total["public_yuan"]) == (
        Decimal("36340000"), Decimal("30680000"), Decimal("5661000"),
    )  # fmt: skip
    assert total["economic_code"] is None and total["kind"] is None
    # AND a blank cell in an existing 人员经费/公用经费 column reads as 0, not None
    rows = _by_code(records)
    assert rows["30302"]["public_yuan"] == 0 and rows["30302"]["personnel_yuan"] == 900000
    assert rows["30201"]["personnel_yuan"] == 0 and rows["30201"]["public_yuan"] == 381000
    assert records[0]["decimals"] == 1 and records[0]["amount_unit"] == "万元"
    assert not context.problems


def test_doc_a_other_expenditure_tables_are_not_swallowed() -> None:
    # GIVEN doc_a's tables
    by_title = {t.title: t for t in _tables(SAMPLES / "doc_a.pdf")}
    # THEN 一般公共预算支出情况表 and 项目支出表 are not this family's
    for title in ("2024年一般公共预算支出情况表", "2024年项目支出表", "2024年部门支出总体情况表"):
        assert not basic_expenditure.matches(by_title[title]), title
    # AND the family list gives the 基本支出表 to this family only
    table = by_title["2024年一般公共预算基本支出表"]
    assert [f.NAME for f in FAMILIES if f.matches(table)] == ["basic_expenditure"]


# ---------------------------------------------------------------- real Shanghai PDFs


def test_shanghai_split_class_and_kuan_columns() -> None:
    # GIVEN 万里街道 2024: codes printed as 类 | 款 ("302 | 04 | 手续费"), amounts in 元,
    # the table continued on page 30 without a title, 合计 printed last
    records, context = _rows(WANLI_2024)
    rows = _by_code(records)
    # THEN 类 rows are 3-digit codes and 款 rows 5-digit ones
    assert rows["301"]["economic_name"] == "工资福利支出"
    assert rows["301"]["amount_yuan"] == Decimal("88282511")
    assert rows["30204"]["economic_name"] == "手续费"
    assert rows["30204"]["amount_yuan"] == Decimal("30000")
    # AND a 款 printed without its leading zero ("301 | 2 | 津贴补贴") still reads 30102
    assert rows["30102"]["economic_name"] == "津贴补贴"
    assert rows["30102"]["amount_yuan"] == Decimal("16623810")
    assert "3012" not in rows and "30107" in rows
    # AND rows on the continuation page keep their own page number
    assert (rows["30205"]["page_number"], rows["30205"]["amount_yuan"]) == (30, 277500)
    # AND no 政府经济分类 is printed here
    assert all(r["gov_economic_code"] is None for r in records)
    assert len(records) == 32 and not context.problems


def test_shanghai_total_last_and_kind_from_columns() -> None:
    # GIVEN 万里街道 2024, where 0 is printed in the column that does not apply
    records, _ = _rows(WANLI_2024)
    total = _total(records)
    # THEN the 合计 row printed last is the total row (99,706,020 = 88,537,451 + 11,168,569)
    assert records[-1] is total
    assert (total["amount_yuan"], total["personnel_yuan"], total["public_yuan"]) == (
        Decimal("99706020"), Decimal("88537451"), Decimal("11168569"),
    )  # fmt: skip
    # AND kind follows the column carrying the amount: 303 对个人和家庭的补助 is 人员经费
    rows = _by_code(records)
    assert rows["303"]["kind"] == "personnel" and rows["30302"]["kind"] == "personnel"
    assert rows["302"]["kind"] == "public" and rows["30299"]["kind"] == "public"


def test_shanghai_unit_budget_with_capital_expenditure() -> None:
    # GIVEN 司法局 2026 单位预算: "预算单位…" title, 部门经济分类科目名称 header, 2 decimals
    records, context = _rows(SIFA_2026_UNIT)
    rows = _by_code(records)
    # THEN 310 资本性支出 and 31002 办公设备购置 are read (14,400.00 元, 公用经费)
    assert (rows["310"]["amount_yuan"], rows["310"]["kind"]) == (Decimal("14400.00"), "public")
    assert rows["31002"]["economic_name"] == "办公设备购置"
    assert rows["30228"]["amount_yuan"] == Decimal("227810.34")
    assert _total(records)["amount_yuan"] == Decimal("22118861.34")
    assert records[0]["decimals"] == 2 and records[0]["amount_unit"] == "元"
    assert not context.problems


@pytest.mark.parametrize("path", sorted(REAL.glob("*.pdf")), ids=lambda p: p.stem)
def test_every_real_pdf_yields_one_consistent_table(path: Path) -> None:
    # GIVEN a real Shanghai PDF
    extracted = extract_once(path)
    records = extracted.frames["basic_expenditure"]
    # THEN exactly its 经济分类预算表 feeds this family, and not its 功能分类 tables
    titles = [t["title"] for t in extracted.tables if t["family"] == "basic_expenditure"]
    assert len(titles) == 1 and "经济分类" in titles[0]
    # AND the 类 rows add up to the printed 合计, column by column
    classes = [r for r in records if r["economic_code"] and len(r["economic_code"]) == 3]
    total = _total(records)
    for field in ("amount_yuan", "personnel_yuan", "public_yuan"):
        assert sum(r[field] for r in classes) == total[field], field


# ---------------------------------------------------------------- generated layouts

HEADER_ONE_CODE = [
    ["科目编码", "科目名称", "合计", "人员经费", "公用经费"],
]


def _extract(tmp_path: Path, title: str, grid: Grid, unit: str = "万元") -> tuple[
    list[Record], Context, list[LogicalTable]
]:  # fmt: skip
    path = render(tmp_path / "t.pdf", [Title(title), Line(f"部门名称：测试局 单位：{unit}"), grid])
    tables = stitch(read_pages(path))
    context = Context("test", None, unit)
    records: list[Record] = []
    for table in tables:
        if basic_expenditure.matches(table):
            records += basic_expenditure.parse(table, context)[basic_expenditure.NAME]
    return records, context, tables


def test_layout_one_code_column_total_last_blank_means_zero(tmp_path: Path) -> None:
    # GIVEN 3/5-digit codes in one column, blank split cells, 合计 printed last
    rows = [
        *HEADER_ONE_CODE,
        ["301", "工资福利支出", "120.50", "120.50", ""],
        ["30101", "基本工资", "120.50", "120.50", ""],
        ["302", "商品和服务支出", "30.00", "", "30.00"],
        ["30201", "办公费", "30.00", "", "30.00"],
        ["合计", "", "150.50", "120.50", "30.00"],
    ]
    records, context, _ = _extract(tmp_path, "2024年一般公共预算基本支出情况表", Grid(rows))
    # THEN codes, amounts in yuan, blanks as 0 and the total row come back
    got = [(r["row_kind"], r["economic_code"], r["amount_yuan"], r["personnel_yuan"],
            r["public_yuan"], r["kind"]) for r in records]  # fmt: skip
    assert got == [
        ("code", "301", Decimal("1205000"), Decimal("1205000"), 0, "personnel"),
        ("code", "30101", Decimal("1205000"), Decimal("1205000"), 0, "personnel"),
        ("code", "302", Decimal("300000"), 0, Decimal("300000"), "public"),
        ("code", "30201", Decimal("300000"), 0, Decimal("300000"), "public"),
        ("total", None, Decimal("1505000"), Decimal("1205000"), Decimal("300000"), None),
    ]
    assert records[0]["decimals"] == 2 and not context.problems


def test_layout_summary_without_split_columns_kind_from_code(tmp_path: Path) -> None:
    # GIVEN a 支出经济分类汇总表 with 类/款 columns and 合计/基本支出/项目支出, no 人员/公用 columns
    rows = [
        ["科目编码", "", "科目名称", "合计", "基本支出", "项目支出"],
        ["类", "款", "", "", "", ""],
        ["合计", "", "", "60.0", "50.0", "10.0"],
        ["301", "", "工资福利支出", "40.0", "40.0", ""],
        ["", "01", "基本工资", "40.0", "40.0", ""],
        ["303", "", "对个人和家庭的补助", "10.0", "10.0", ""],
        ["", "02", "退休费", "10.0", "10.0", ""],
        ["310", "", "资本性支出", "10.0", "", "10.0"],
        ["", "02", "办公设备购置", "10.0", "", "10.0"],
    ]
    grid = Grid(rows, spans=[(0, 0, 1, 0), (2, 0, 2, 1), (3, 0, 3, 1), (4, 0, 4, 1), (5, 0, 5, 1)])
    records, context, _ = _extract(tmp_path, "2021年支出经济分类汇总表", grid)
    # THEN the 类 is carried to its 款 rows, personnel/public are None (no such column),
    # and kind comes from the code: 301/303 personnel, 310 public
    got = [(r["economic_code"], r["amount_yuan"], r["personnel_yuan"], r["public_yuan"],
            r["kind"]) for r in records]  # fmt: skip
    assert got == [
        (None, Decimal("600000"), None, None, None),
        ("301", Decimal("400000"), None, None, "personnel"),
        ("30101", Decimal("400000"), None, None, "personnel"),
        ("303", Decimal("100000"), None, None, "personnel"),
        ("30302", Decimal("100000"), None, None, "personnel"),
        ("310", Decimal("100000"), None, None, "public"),
        ("31002", Decimal("100000"), None, None, "public"),
    ]
    assert not context.problems


def test_layout_code_and_name_in_one_cell(tmp_path: Path) -> None:
    # GIVEN a table whose 项目 column prints "30101 基本工资"
    rows = [
        ["项目", "合计", "人员经费", "公用经费"],
        ["合计", "8.0", "5.0", "3.0"],
        ["30101 基本工资", "5.0", "5.0", ""],
        ["30201 办公费", "3.0", "", "3.0"],
    ]
    records, _, _ = _extract(tmp_path, "一般公共预算基本支出经济分类表", Grid(rows))
    # THEN code and name are split
    got = [(r["economic_code"], r["economic_name"], r["kind"]) for r in records]
    assert got == [(None, "合计", None), ("30101", "基本工资", "personnel"),
                   ("30201", "办公费", "public")]  # fmt: skip


def test_layout_personnel_and_public_side_by_side(tmp_path: Path) -> None:
    # GIVEN 人员经费 and 公用经费 printed side by side, each with code, name and amount
    rows = [
        ["人员经费", "", "", "公用经费", "", ""],
        ["科目编码", "科目名称", "金额", "科目编码", "科目名称", "金额"],
        ["30101", "基本工资", "100.00", "30201", "办公费", "20.00"],
        ["30302", "退休费", "10.00", "30211", "差旅费", "5.00"],
        ["30113", "住房公积金", "8.00", "", "", ""],
    ]
    grid = Grid(rows, spans=[(0, 0, 2, 0), (3, 0, 5, 0)])
    records, context, _ = _extract(tmp_path, "2023年一般公共预算财政拨款基本支出预算表", grid)
    # THEN each side gives its own rows, kind from its side (30302 counted as personnel)
    got = {(r["economic_code"], r["amount_yuan"], r["personnel_yuan"], r["public_yuan"],
            r["kind"]) for r in records}  # fmt: skip
    assert got == {
        ("30101", Decimal("1000000"), Decimal("1000000"), 0, "personnel"),
        ("30302", Decimal("100000"), Decimal("100000"), 0, "personnel"),
        ("30113", Decimal("80000"), Decimal("80000"), 0, "personnel"),
        ("30201", Decimal("200000"), 0, Decimal("200000"), "public"),
        ("30211", Decimal("50000"), 0, Decimal("50000"), "public"),
    }
    assert not context.problems


def test_layout_continued_with_repeated_header(tmp_path: Path) -> None:
    # GIVEN a long table split over pages, its two header rows repeated on each page
    header = [
        ["部门预算支出经济分类科目", "", "政府预算支出经济分类科目", "", "本年基本支出", "", ""],
        ["科目编码", "科目名称", "科目编码", "科目名称", "合计", "人员经费", "公用经费"],
    ]
    body = [[f"302{n:02d}", f"费用{n}", "50201", "办公经费", f"{n}.0", "", f"{n}.0"]
            for n in range(1, 61)]  # fmt: skip
    spans = [(0, 0, 1, 0), (2, 0, 3, 0), (4, 0, 6, 0)]
    grid = Grid([*header, *body], spans=spans, repeat_rows=2)
    records, context, tables = _extract(tmp_path, "2024年一般公共预算基本支出表", grid)
    # THEN one logical table over several pages, and only the 60 data rows come back
    [table] = [t for t in tables if basic_expenditure.matches(t)]
    assert len(table.parts) > 1
    assert [r["economic_code"] for r in records] == [f"302{n:02d}" for n in range(1, 61)]
    assert records[-1]["amount_yuan"] == Decimal("600000")
    assert records[-1]["page_number"] > records[0]["page_number"]
    assert {(r["gov_economic_code"], r["gov_economic_name"]) for r in records} == {
        ("50201", "办公经费")
    }
    assert not context.problems


def test_layout_function_codes_under_a_basic_title_are_not_ours(tmp_path: Path) -> None:
    # GIVEN a 基本支出 table whose rows are function codes (类/款/项 2xx), as Henan prints
    rows = [
        ["科目编码", "", "", "科目名称", "合计", "人员经费", "公用经费"],
        ["类", "款", "项", "", "", "", ""],
        ["201", "", "", "一般公共服务支出", "10.0", "8.0", "2.0"],
        ["201", "03", "01", "行政运行", "10.0", "8.0", "2.0"],
    ]
    grid = Grid(rows, spans=[(0, 0, 2, 0), (3, 0, 3, 1), (4, 0, 4, 1), (5, 0, 5, 1), (6, 0, 6, 1)])
    _, _, tables = _extract(tmp_path, "2021年一般公共预算基本支出情况表", grid)
    # THEN the family does not claim it (its title alone would)
    [table] = tables
    assert basic_expenditure.title_matches(table.title)
    assert not basic_expenditure.matches(table)


def test_layout_row_without_code_is_reported(tmp_path: Path) -> None:
    # GIVEN a data row whose code cell is unreadable
    rows = [
        *HEADER_ONE_CODE,
        ["30101", "基本工资", "5.0", "5.0", ""],
        ["3O2O1", "办公费", "3.0", "", "3.0"],
    ]
    records, context, _ = _extract(tmp_path, "2024年一般公共预算基本支出表", Grid(rows))
    # THEN it is not dropped silently: a problem names the page and the row
    assert [r["economic_code"] for r in records] == ["30101"]
    assert [p.check for p in context.problems] == ["economic_code_parses"]
    assert "3O2O1" in context.problems[0].detail
