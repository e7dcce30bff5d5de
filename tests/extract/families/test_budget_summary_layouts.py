"""收支总表 and 收入总表 in the layouts other provinces print: header variants, tables
continued over a page break, titles with numbers, amounts in 元 / 亿元 / full-width digits,
class codes printed in a column of their own, unit rows, 其中 columns and empty tables.

Each generated table is internally consistent, so gate 1's identities must all hold."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from expectations.summary_identities import (
    budget_summary_identities,
    income_sources_identities,
)
from extract.document import Extracted, extract_document
from tests.pdfgen import Grid, Line, PageBreak, Title, render

WAN = Decimal(10000)
TOP = ["收入", "", "支出", ""]
HEAD = ["项目", "金额", "项目", "金额"]
TOP_SPANS = [(0, 0, 1, 0), (2, 0, 3, 0)]


def _extract(path: Path, blocks: list[object]) -> Extracted:
    pdf = render(path, blocks)
    return extract_document(pdf, document_id="d", source_uri=str(pdf))


def _lines(got: Extracted) -> list[tuple[str, str, str | None, Decimal | None]]:
    """(side, line_kind, class_code, amount_yuan) of every staged 收支总表 line, in order."""
    return [
        (r["side"], r["line_kind"], r["class_code"], r["amount_yuan"])
        for r in got.frames["budget_summary"]
    ]


# the identities each family's table must have been checked against, whatever its layout
CHECKED = {
    "budget_summary": {
        "summary_income_total_equals_expenditure_total",
        "summary_classes_sum_to_expenditure",
        "summary_income_items_sum_to_income",
    },
    "income_sources": {"income_total_equals_sum_of_sources", "table_total_equals_sum_of_rows"},
}


def _failing(got: Extracted, family: str) -> list[str]:
    """The details of the identities that fail; an empty list only once they were checked."""
    identities = {
        "budget_summary": budget_summary_identities,
        "income_sources": income_sources_identities,
    }[family]
    records, errors = identities("d", pd.DataFrame(got.frames[family]))
    assert not errors
    assert CHECKED[family] <= {r["check"] for r in records}
    return [r["detail"] for r in records if r["excess"] > 0]


# ------------------------------------------------------------------------ 1. header variants

BODY = [
    ["一、一般公共预算拨款收入", "100.00", "一、一般公共服务支出", "60.00"],
    ["二、政府性基金预算拨款收入", "20.00", "二、教育支出", "50.00"],
    ["三、事业收入", "10.00", "三、科学技术支出", "30.00"],
    ["本年收入合计", "130.00", "本年支出合计", "140.00"],
    ["上年结转结余", "10.00", "年终结转结余", ""],
    ["收入总计", "140.00", "支出总计", "140.00"],
]
EXPECTED = [
    ("income", "item", None, Decimal("100.00") * WAN),
    ("income", "item", None, Decimal("20.00") * WAN),
    ("income", "item", None, Decimal("10.00") * WAN),
    ("income", "current_total", None, Decimal("130.00") * WAN),
    ("income", "carryover", None, Decimal("10.00") * WAN),
    ("income", "total", None, Decimal("140.00") * WAN),
    ("expenditure", "item", "201", Decimal("60.00") * WAN),
    ("expenditure", "item", "205", Decimal("50.00") * WAN),
    ("expenditure", "item", "206", Decimal("30.00") * WAN),
    ("expenditure", "current_total", None, Decimal("140.00") * WAN),
    ("expenditure", "carryover", None, None),
    ("expenditure", "total", None, Decimal("140.00") * WAN),
]


def test_carryover_broken_down_by_fund_after_the_current_total(tmp_path: Path) -> None:
    # GIVEN 北京's 财政拨款收支总表 (2026年北京市财政局部门预算报表_附件2.pdf p7-8): under
    # 本年收入合计, 上年结转结余 and its funds numbered 一、二、 again, then 收入总计
    body = [
        ["一、一般公共预算资金", "100.00", "一、一般公共服务支出", "90.00"],
        ["二、政府性基金预算资金", "", "二、教育支出", "15.00"],
        ["三、国有资本经营预算资金", "", "", ""],
        ["本年收入合计", "100.00", "本年支出合计", "105.00"],
        ["上年结转结余", "5.00", "年终结转结余", ""],
        ["一、一般公共预算拨款", "5.00", "", ""],
        ["二、政府性基金预算拨款", "", "", ""],
        ["收入总计", "105.00", "支出总计", "105.00"],
    ]
    got = _extract(
        tmp_path / "grants.pdf",
        [Title("预算04表 财政拨款收支总表"), Line("金额单位：万元"), Grid([HEAD, *body])],
    )
    # THEN the funds under 上年结转结余 are carryover, not income of the year
    income = [(r["line_name"], r["line_kind"]) for r in got.frames["budget_summary"]]
    assert income[:8] == [
        ("一、一般公共预算资金", "item"),
        ("二、政府性基金预算资金", "item"),
        ("三、国有资本经营预算资金", "item"),
        ("本年收入合计", "current_total"),
        ("上年结转结余", "carryover"),
        ("一、一般公共预算拨款", "carryover"),
        ("二、政府性基金预算拨款", "carryover"),
        ("收入总计", "total"),
    ]
    # AND the year's items sum to 本年收入合计: no identity fails, not even a warning
    assert _failing(got, "budget_summary") == []


@pytest.mark.parametrize(
    ("header", "spans"),
    [
        pytest.param([HEAD], [], id="no-top-row"),
        pytest.param(
            [["收 入", "", "支 出", ""], ["项 目", "金 额", "项 目", "金 额"]],
            TOP_SPANS,
            id="spaced",
        ),
        pytest.param([TOP, ["项目", "预算数", "项目", "预算数"]], TOP_SPANS, id="预算数"),
        pytest.param([["收入项目", "预算数", "支出项目", "预算数"]], [], id="收入项目"),
    ],
)
def test_header_variants(tmp_path: Path, header: list[list[str]], spans: list) -> None:
    # GIVEN the same 收支总表 under four headers a province may print
    got = _extract(
        tmp_path / "summary.pdf",
        [Title("2025年部门收支总表"), Line("单位：万元"), Grid(header + BODY, spans=spans)],
    )
    # THEN both halves are read the same way, and the identities hold
    assert _lines(got) == EXPECTED
    assert _failing(got, "budget_summary") == []


# ------------------------------------------------------- 2. page breaks and numbered titles

CLASSES = [
    ("一般公共服务支出", "201"),
    ("外交支出", "202"),
    ("国防支出", "203"),
    ("公共安全支出", "204"),
    ("教育支出", "205"),
    ("科学技术支出", "206"),
    ("文化旅游体育与传媒支出", "207"),
    ("社会保障和就业支出", "208"),
    ("社会保险基金支出", "209"),
    ("卫生健康支出", "210"),
    ("节能环保支出", "211"),
    ("城乡社区支出", "212"),
    ("农林水支出", "213"),
    ("交通运输支出", "214"),
    ("资源勘探工业信息等支出", "215"),
    ("商业服务业等支出", "216"),
    ("金融支出", "217"),
    ("援助其他地区支出", "219"),
    ("自然资源海洋气象等支出", "220"),
    ("住房保障支出", "221"),
    ("粮油物资储备支出", "222"),
    ("灾害防治及应急管理支出", "224"),
    ("其他支出", "229"),
]
NUMERALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]


def _long_body() -> list[list[str]]:
    """23 classes of 10.00 with sequential ordinals (四川-like), over two pages."""
    income = [["一、一般公共预算拨款收入", "200.00"], ["二、政府性基金预算拨款收入", "30.00"]]
    rows = []
    for n, (name, _) in enumerate(CLASSES):
        tens, ones = divmod(n + 1, 10)
        ordinal = (NUMERALS[tens - 1] if tens > 1 else "") + ("十" if tens else "")
        ordinal += NUMERALS[ones - 1] if ones else ""
        left = income[n] if n < len(income) else ["", ""]
        rows.append([*left, f"{ordinal}、{name}", "10.00"])
    return [
        *rows,
        ["本年收入合计", "230.00", "本年支出合计", "230.00"],
        ["上年结转", "", "年终结转结余", ""],
        ["收入总计", "230.00", "支出总计", "230.00"],
    ]


def _long_expected() -> list[tuple[str, str, str | None, Decimal | None]]:
    return [
        ("income", "item", None, Decimal("200.00") * WAN),
        ("income", "item", None, Decimal("30.00") * WAN),
        ("income", "current_total", None, Decimal("230.00") * WAN),
        ("income", "carryover", None, None),
        ("income", "total", None, Decimal("230.00") * WAN),
        *(("expenditure", "item", code, Decimal("10.00") * WAN) for _, code in CLASSES),
        ("expenditure", "current_total", None, Decimal("230.00") * WAN),
        ("expenditure", "carryover", None, None),
        ("expenditure", "total", None, Decimal("230.00") * WAN),
    ]


@pytest.mark.parametrize("repeat", [True, False], ids=["header-repeated", "no-header"])
def test_continued_over_a_page_break(tmp_path: Path, repeat: bool) -> None:
    # GIVEN a 收支总表 cut after its 13th row, the next page with or without the header
    body = _long_body()
    header = [TOP, HEAD]
    second = Grid(header + body[13:], spans=TOP_SPANS) if repeat else Grid(body[13:])
    got = _extract(
        tmp_path / "summary.pdf",
        [
            Title("2025年部门收支总表"),
            Line("单位：万元"),
            Grid(header + body[:13], spans=TOP_SPANS),
            PageBreak(),
            second,
        ],
    )
    # THEN one table, every line kept once, in order, and the identities hold
    assert [t["family"] for t in got.frames["tables"]] == ["budget_summary"]
    assert _lines(got) == _long_expected()
    pages = [r["page_number"] for r in got.frames["budget_summary"] if r["side"] == "expenditure"]
    assert pages == [1] * 13 + [2] * 13
    assert _failing(got, "budget_summary") == []


@pytest.mark.parametrize(
    ("captions", "title"),
    [
        ([Title("1．2025年部门收支总表")], "1．2025年部门收支总表"),
        ([Line("公开01表"), Title("2025年部门收支总表")], "2025年部门收支总表"),
        ([Title("2025年部门收支总表"), Line("公开01表")], "2025年部门收支总表"),
        ([Title("2025年部门收支总表（公开01表）")], "2025年部门收支总表（公开01表）"),
        ([Title("2025年部门收支总表"), PageBreak()], "2025年部门收支总表"),  # title alone
    ],
    ids=["numbered", "number-above", "number-below", "number-in-brackets", "title-page-before"],
)
def test_titles(tmp_path: Path, captions: list[object], title: str) -> None:
    # GIVEN a title numbered in one of the ways provinces number their tables, or a title
    # left alone at the bottom of the page before its table
    body = _long_body()
    grid = Grid([TOP, HEAD, *body], spans=TOP_SPANS)
    got = _extract(tmp_path / "summary.pdf", [*captions, Line("单位：万元"), grid])
    # THEN the table keeps its title (not the table number) and is read whole
    assert [(t["table_title"], t["family"]) for t in got.frames["tables"]] == [
        (title, "budget_summary")
    ]
    assert _lines(got) == _long_expected()


# ------------------------------------------------------------------------- 3. amount formats

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
YUAN_BODY = [
    ["一、一般公共预算拨款收入", "1,234,567.89", "一、一般公共服务支出", "1,000,000.00"],
    ["二、事业收入", "65,432.11", "二、教育支出", "300,000.00"],
    ["收入总计", "1,300,000.00", "支出总计", "1,300,000.00"],
]


def _amounts_expected(values: list[str]) -> list[tuple[str, str, str | None, Decimal]]:
    a, b, total, c, d = (Decimal(v) for v in values)
    return [
        ("income", "item", None, a),
        ("income", "item", None, b),
        ("income", "total", None, total),
        ("expenditure", "item", "201", c),
        ("expenditure", "item", "205", d),
        ("expenditure", "total", None, total),
    ]


@pytest.mark.parametrize(
    ("unit", "body", "expected", "decimals"),
    [
        pytest.param(
            "元",
            YUAN_BODY,
            ["1234567.89", "65432.11", "1300000.00", "1000000.00", "300000.00"],
            2,
            id="yuan-thousands",
        ),
        pytest.param(
            "亿元",
            [
                ["一、一般公共预算拨款收入", "1.2345", "一、一般公共服务支出", "1.0000"],
                ["二、事业收入", "0.0655", "二、教育支出", "0.3000"],
                ["收入总计", "1.3000", "支出总计", "1.3000"],
            ],
            ["123450000", "6550000", "130000000", "100000000", "30000000"],
            4,
            id="yi-yuan",
        ),
        pytest.param(
            "元",
            [[a, b.translate(FULL_WIDTH), c, d.translate(FULL_WIDTH)] for a, b, c, d in YUAN_BODY],
            ["1234567.89", "65432.11", "1300000.00", "1000000.00", "300000.00"],
            2,
            id="full-width",
        ),
    ],
)
def test_amount_formats(
    tmp_path: Path, unit: str, body: list[list[str]], expected: list[str], decimals: int
) -> None:
    got = _extract(
        tmp_path / "summary.pdf",
        [
            Title("2025年部门收支总表"),
            Line(f"单位：{unit}"),
            Grid([TOP, HEAD, *body], spans=TOP_SPANS),
        ],
    )
    # THEN amounts are exact in yuan, with the unit and decimals as printed
    assert _lines(got) == _amounts_expected(expected)
    rows = got.frames["budget_summary"]
    assert {(r["amount_unit"], r["decimals"]) for r in rows} == {(unit, decimals)}
    assert got.problems == []
    assert _failing(got, "budget_summary") == []


# ------------------------------------------------------------ 4. classes without ordinals


CLASS_LINES = [
    ("一般公共服务支出", "201", "40.00"),
    ("教育支出", "205", "30.00"),
    ("社会保障和就业支出", "208", "20.00"),
    ("卫生健康支出", "210", "10.00"),
]
INCOME = [["一般公共预算", "90.00"], ["政府性基金", "10.00"], ["", ""], ["", ""]]
CLASS_EXPECTED = [
    ("income", "item", None, Decimal("90.00") * WAN),
    ("income", "item", None, Decimal("10.00") * WAN),
    ("income", "total", None, Decimal("100.00") * WAN),
    *(("expenditure", "item", code, Decimal(v) * WAN) for _, code, v in CLASS_LINES),
    ("expenditure", "total", None, Decimal("100.00") * WAN),
]


def test_classes_named_without_ordinals(tmp_path: Path) -> None:
    # GIVEN a Shanghai-like 部门财务收支预算总表: classes by name only, no ordinal
    body = [[*INCOME[n], name, v] for n, (name, _, v) in enumerate(CLASS_LINES)]
    body.append(["收入总计", "100.00", "支出总计", "100.00"])
    got = _extract(
        tmp_path / "summary.pdf",
        [
            Title("2025年部门财务收支预算总表"),
            Line("单位：万元"),
            Grid([TOP, HEAD, *body], spans=TOP_SPANS),
        ],
    )
    assert _lines(got) == CLASS_EXPECTED
    assert _failing(got, "budget_summary") == []


@pytest.mark.parametrize(
    ("header", "spans"),
    [
        pytest.param(
            [["收入", "", "支出", "", ""], ["项目", "金额", "功能分类科目编码", "项目", "金额"]],
            [(0, 0, 1, 0), (2, 0, 4, 0)],
            id="编码-under-支出",
        ),
        pytest.param([["项目", "金额", "类", "项目", "金额"]], [], id="类-no-top-row"),
        pytest.param(
            [["收入", "", "支出", "", ""], ["项目", "金额", "项目", "", "金额"]],
            [(0, 0, 1, 0), (2, 0, 4, 0), (2, 1, 3, 1)],
            id="项目-over-code-and-name",
        ),
    ],
)
def test_class_codes_in_a_column(tmp_path: Path, header: list[list[str]], spans: list) -> None:
    # GIVEN the class code printed in a column of its own before the name; one name is a
    # variant the national list does not know (教育事业), one line is a 款 under a class
    lines = [*CLASS_LINES[:1], ("教育事业", "205", "30.00"), *CLASS_LINES[2:]]
    body = [[*INCOME[n], code, name, v] for n, (name, code, v) in enumerate(lines)]
    body.insert(2, ["", "", "20502", "普通教育", "30.00"])
    body.append(["收入总计", "100.00", "", "支出总计", "100.00"])
    got = _extract(
        tmp_path / "summary.pdf",
        [Title("2025年部门收支总表"), Line("单位：万元"), Grid(header + body, spans=spans)],
    )
    # THEN class_code is the printed 类 code (it wins over the name), the 款 line is a
    # level-2 line with no class, and the names stay names
    assert got.problems == []
    kuan = ("expenditure", "item", None, Decimal("30.00") * WAN)
    assert _lines(got) == [*CLASS_EXPECTED[:5], kuan, *CLASS_EXPECTED[5:]]
    spending = [r for r in got.frames["budget_summary"] if r["side"] == "expenditure"]
    assert [(r["line_name"], r["line_level"]) for r in spending[:3]] == [
        ("一般公共服务支出", 1),
        ("教育事业", 1),
        ("普通教育", 2),
    ]
    assert _failing(got, "budget_summary") == []


# ------------------------------------------------------------------ 5. 收入总表 layouts


def _sources(got: Extracted) -> dict[tuple[str, str | None, str | None, str], Decimal]:
    """(row_kind, function_code, name of a unit row, source) -> amount_yuan."""
    return {
        (
            r["row_kind"],
            r["function_code"],
            r["name"] if r["row_kind"] == "unit" else None,
            r["income_source"],
        ): r["amount_yuan"]
        for r in got.frames["income_sources"]
    }


def test_income_with_unit_rows_and_carryover(tmp_path: Path) -> None:
    # GIVEN a department's 收入总表 consolidating two units, with a 上年结转 column
    header = [
        ["科目编码", "科目名称", "合计", "上年结转", "一般公共预算", "政府性基金", "事业收入"]
    ]
    rows = [
        ["", "合计", "300.00", "20.00", "200.00", "50.00", "30.00"],
        ["", "某某局机关", "180.00", "20.00", "120.00", "40.00", ""],
        ["205", "教育支出", "180.00", "20.00", "120.00", "40.00", ""],
        ["20501", "教育管理事务", "180.00", "20.00", "120.00", "40.00", ""],
        ["2050101", "行政运行", "180.00", "20.00", "120.00", "40.00", ""],
        ["", "某某局直属中心", "120.00", "", "80.00", "10.00", "30.00"],
        ["208", "社会保障和就业支出", "120.00", "", "80.00", "10.00", "30.00"],
        ["20805", "行政事业单位养老支出", "120.00", "", "80.00", "10.00", "30.00"],
        ["2080505", "机关事业单位基本养老保险缴费支出", "120.00", "", "80.00", "10.00", "30.00"],
    ]
    got = _extract(
        tmp_path / "income.pdf",
        [Title("2025年部门收入总表"), Line("单位：万元"), Grid(header + rows)],
    )
    cells = _sources(got)
    # THEN every printed cell is one row; unit rows carry their name, blanks are not staged
    assert len(got.frames["income_sources"]) == 37
    assert cells[("total", None, None, "carryover")] == Decimal("20.00") * WAN
    assert cells[("unit", None, "某某局机关", "total")] == Decimal("180.00") * WAN
    assert ("unit", None, "某某局机关", "business") not in cells
    assert cells[("unit", None, "某某局直属中心", "business")] == Decimal("30.00") * WAN
    assert ("unit", None, "某某局直属中心", "carryover") not in cells
    assert cells[("code", "2080505", None, "government_fund")] == Decimal("10.00") * WAN
    assert {k[3] for k in cells} == {
        "total",
        "carryover",
        "general_public_budget",
        "government_fund",
        "business",
    }
    assert _failing(got, "income_sources") == []


@pytest.mark.parametrize("layout", ["code-column", "类款项"])
def test_income_of_which_column_is_not_a_source(tmp_path: Path, layout: str) -> None:
    # GIVEN 一般公共预算 split into 小计 / 其中：财政拨款
    if layout == "code-column":
        header = [
            ["科目编码", "科目名称", "合计", "一般公共预算", "", "事业收入"],
            ["", "", "", "小计", "其中：财政拨款", ""],
        ]
        spans = [(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 2, 1), (3, 0, 4, 0), (5, 0, 5, 1)]
        codes = [[""], ["205"], ["20501"], ["2050101"]]
    else:
        header = [
            ["功能分类科目", "", "", "", "合计", "一般公共预算", "", "事业收入"],
            ["类", "款", "项", "科目名称", "", "小计", "其中：财政拨款", ""],
        ]
        spans = [(0, 0, 3, 0), (4, 0, 4, 1), (5, 0, 6, 0), (7, 0, 7, 1)]
        codes = [["", "", ""], ["205", "", ""], ["", "01", ""], ["", "", "01"]]
    names = ["合计", "教育支出", "教育管理事务", "行政运行"]
    rows = [
        [*code, name, "250.00", "220.00", "200.00", "30.00"]
        for code, name in zip(codes, names, strict=True)
    ]
    got = _extract(
        tmp_path / "income.pdf",
        [Title("2025年部门收入预算总表"), Line("单位：万元"), Grid(header + rows, spans=spans)],
    )
    # THEN the 小计 is the 一般公共预算 source and 其中：财政拨款 is not staged at all
    cells = _sources(got)
    assert cells == {
        (kind, code, None, source): Decimal(value) * WAN
        for kind, code in [("total", None), ("code", "205"), ("code", "20501"), ("code", "2050101")]
        for source, value in [
            ("total", "250.00"),
            ("general_public_budget", "220.00"),
            ("business", "30.00"),
        ]
    }
    # AND 合计 = the sum of the sources on every row: no failing identity
    records, _ = income_sources_identities("d", pd.DataFrame(got.frames["income_sources"]))
    sums = [r for r in records if r["check"] == "income_total_equals_sum_of_sources"]
    assert len(sums) == 4 and max(r["excess"] for r in sums) <= 0
    assert _failing(got, "income_sources") == []


# ------------------------------------------------------------------------- 6. empty tables


@pytest.mark.parametrize(
    ("rows", "spans"),
    [
        pytest.param(
            [
                TOP,
                HEAD,
                ["本表无数据", "", "", ""],
                ["", "", "", ""],
                ["收入总计", "", "支出总计", ""],
            ],
            [*TOP_SPANS, (0, 2, 3, 2)],
            id="本表无数据",
        ),
        pytest.param(
            [
                TOP,
                HEAD,
                ["一、一般公共预算拨款收入", "", "一、一般公共服务支出", ""],
                ["收入总计", "", "支出总计", ""],
            ],
            TOP_SPANS,
            id="blanks",
        ),
        pytest.param([HEAD, ["", "", "", ""], ["", "", "", ""]], [], id="blank-grid-no-top-row"),
    ],
)
def test_empty_summary(tmp_path: Path, rows: list[list[str]], spans: list) -> None:
    # GIVEN a page whose only table is a 收支总表 printed without data
    got = _extract(
        tmp_path / "empty.pdf",
        [Title("2025年财政拨款收支总表"), Line("单位：万元"), Grid(rows, spans=spans)],
    )
    # THEN nothing is staged, nothing is reported, and the inventory says it is empty
    assert got.frames["budget_summary"] == [] and got.problems == []
    (table,) = got.frames["tables"]
    assert (table["family"], table["row_count"], table["is_empty"]) == (
        "budget_summary",
        0,
        True,
    )


def test_class_code_column_before_split_columns(tmp_path: Path) -> None:
    # GIVEN a 财政拨款收支总表 whose expenditure half prints 科目编码 | 项目 | 合计 |
    # 一般公共预算 | 政府性基金
    header = [
        ["收入", "", "支出", "", "", "", ""],
        ["项目", "金额", "科目编码", "项目", "合计", "一般公共预算", "政府性基金"],
    ]
    body = [
        ["一、一般公共预算拨款", "90.00", "201", "一般公共服务支出", "40.00", "40.00", ""],
        ["二、政府性基金预算拨款", "10.00", "212", "城乡社区支出", "60.00", "50.00", "10.00"],
        ["收入总计", "100.00", "", "支出总计", "100.00", "90.00", "10.00"],
    ]
    got = _extract(
        tmp_path / "summary.pdf",
        [
            Title("2025年财政拨款收支总表"),
            Line("单位：万元"),
            Grid(header + body, spans=[(0, 0, 1, 0), (2, 0, 6, 0)]),
        ],
    )
    # THEN each split column is read from its own column, after the code and the name
    spending = [
        (r["class_code"], r["amount_yuan"], r["general_public_budget_yuan"],
         r["government_fund_yuan"])
        for r in got.frames["budget_summary"]
        if r["side"] == "expenditure"
    ]  # fmt: skip
    assert spending == [
        ("201", Decimal("40.00") * WAN, Decimal("40.00") * WAN, None),
        ("212", Decimal("60.00") * WAN, Decimal("50.00") * WAN, Decimal("10.00") * WAN),
        (None, Decimal("100.00") * WAN, Decimal("90.00") * WAN, Decimal("10.00") * WAN),
    ]
    assert got.problems == []
    assert _failing(got, "budget_summary") == []
