"""Tables across pages, as a family prints them: a table cut just before a 类, a 款 or a 项
row, its header printed again or not, its 类 printed on every row or carried over blank,
the rule at the cut drawn or not (a row bordered only above or below: the first or last
row of a page without its rule), a title left at the foot of a page under another table
with its body over the next three pages, a page without a title printing another table's
columns or codes (not a continuation) and a form's grid in columns of its own (one),
the last row printed alone on a page without the rule above it (no grid there).

Each PDF is drawn with the reportlab generator (tests/pdfgen.py); the golden rows are the
generator's input, never read back from a PDF. Every case is also checked with
tools/rowcheck.py: the rows read equal the code lines printed (a dropped or doubled row
fails it)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extract.document import Extracted, extract_document
from tests.pdfgen import Grid, Line, PageBreak, Title, cut_grid, render
from tools.rowcheck import count_rows

WAN = Decimal(10000)
TITLE = "2021年一般公共预算支出情况表"
HEAD = [["科目编码", "", "", "科目名称", "合计"], ["类", "款", "项", "", ""]]
SPANS = [(0, 0, 2, 0), (3, 0, 3, 1), (4, 0, 4, 1)]
WIDTH = len(HEAD[0])
Printed = tuple[str, str, str, str, Decimal]  # 类, 款, 项 (each its own digits), name, amount


def _rows() -> list[Printed]:
    """Three 类, two 款 under each, four 项 under each 款; each parent the sum of its rows."""
    rows: list[Printed] = []
    for c, class_ in enumerate(("201", "205", "208")):
        kuans: list[list[Printed]] = []
        for k in range(2):
            kuan = f"{k + 1:02d}"
            items = [
                (class_, kuan, f"{x:02d}", f"项目{class_}{kuan}{x}", Decimal(10 * c + k + x))
                for x in range(1, 5)
            ]
            total = sum((item[4] for item in items), Decimal(0))
            kuans.append([(class_, kuan, "", f"款目{class_}{kuan}", total), *items])
        class_total = sum((group[0][4] for group in kuans), Decimal(0))
        rows.append((class_, "", "", f"类目{class_}", class_total))
        rows += [row for group in kuans for row in group]
    return rows


ROWS = _rows()
TOTAL = sum((row[4] for row in ROWS if not row[1]), Decimal(0))
GOLDEN = {row[0] + row[1] + row[2]: row[4] for row in ROWS}


def _printed(carry: bool) -> list[list[str]]:
    """The body as printed: with `carry`, a 类 is printed on its own row only (blank below)."""
    body, last = [], ""
    for class_, kuan, xiang, name, amount in ROWS:
        shown = class_ if not carry or class_ != last else ""
        body.append([shown, kuan, xiang, name, f"{amount:.2f}"])
        last = class_
    return body


def _cut_before(kind: str) -> int:
    """The index of the second row of `kind` (类, 款 or 项) after the first ten rows."""
    level = {"类": lambda r: not r[1], "款": lambda r: r[1] and not r[2], "项": lambda r: r[2]}
    return [i for i, row in enumerate(ROWS) if i > 10 and level[kind](row)][1]


def _read(path: Path) -> tuple[Extracted, dict[str, Decimal]]:
    got = extract_document(path, document_id="d", source_uri=str(path))
    codes = {
        r["function_code"]: r["total_yuan"] / WAN
        for r in got.frames["function_expenditure"]
        if r["row_kind"] == "code"
    }
    return got, codes


def _every_row_counted(path: Path, got: Extracted) -> None:
    counts = count_rows(path, got)
    assert counts and all(c.read == c.printed == len(GOLDEN) for c in counts), counts


@pytest.mark.parametrize("kind", ["类", "款", "项"])
@pytest.mark.parametrize("repeat", [False, True], ids=["header-once", "header-repeated"])
@pytest.mark.parametrize("carry", [False, True], ids=["class-printed", "class-carried"])
@pytest.mark.parametrize("ruled", [True, False], ids=["ruled-cut", "open-cut"])
def test_a_table_cut_over_two_pages_keeps_every_row(
    tmp_path: Path, kind: str, repeat: bool, carry: bool, ruled: bool
) -> None:
    body, cut = _printed(carry), _cut_before(kind)
    first = Grid([*HEAD, ["", "", "", "合计", f"{TOTAL:.2f}"], *body[:cut]], spans=SPANS)
    second = Grid([*HEAD, *body[cut:]] if repeat else body[cut:], spans=SPANS if repeat else [])
    if ruled:
        parts: list[object] = [first, PageBreak(), *([Title(TITLE)] if repeat else []), second]
    else:  # no rule under the page's last row nor above the next page's first
        every = tuple(range(WIDTH))
        parts = [cut_grid(first, open_below=every), PageBreak(), cut_grid(second, open_above=every)]
    path = render(tmp_path / "cut.pdf", [Title(TITLE), Line("单位：万元"), *parts])
    got, codes = _read(path)
    [table] = [t for t in got.tables if t["family"] == "function_expenditure"]
    assert [box["page"] for box in table["boxes"]] == [1, 2]
    assert codes == GOLDEN
    _every_row_counted(path, got)


SUMMARY = [
    ["收入", "", "支出", ""],
    ["项目", "预算数", "项目", "预算数"],
    ["一、一般公共预算拨款收入", f"{TOTAL:.2f}", "一、一般公共服务支出", f"{TOTAL:.2f}"],
    ["收入总计", f"{TOTAL:.2f}", "支出总计", f"{TOTAL:.2f}"],
]


def test_a_title_at_the_foot_of_a_page_under_another_table_heads_the_next_pages(
    tmp_path: Path,
) -> None:
    # GIVEN a 收支总表 and, below it at the foot of page 1, the title of the function table
    # whose body runs over pages 2, 3 and 4 without its header repeated
    body = _printed(carry=False)
    path = render(tmp_path / "orphan.pdf", [
        Title("2021年部门收支总体情况表"), Line("单位：万元"), Grid(SUMMARY),
        Title(TITLE), Line("单位：万元"), PageBreak(),
        Grid([*HEAD, ["", "", "", "合计", f"{TOTAL:.2f}"], *body[:12]], spans=SPANS), PageBreak(),
        Grid(body[12:24]), PageBreak(), Grid(body[24:]),
    ])  # fmt: skip
    got, codes = _read(path)
    # THEN the 收支总表 keeps page 1 only, and the function table is pages 2-4 under its title
    assert [(t["title"], [b["page"] for b in t["boxes"]]) for t in got.tables] == [
        ("2021年部门收支总体情况表", [1]),
        (TITLE, [2, 3, 4]),
    ]
    assert codes == GOLDEN
    _every_row_counted(path, got)


def test_a_title_line_below_a_table_continued_on_the_next_page_is_not_taken_as_its_title(
    tmp_path: Path,
) -> None:
    # GIVEN a function table whose last line on page 1 is a note ending in 表, and whose
    # rows go on at the top of page 2 without a header
    body = _printed(carry=False)
    path = render(tmp_path / "note.pdf", [
        Title(TITLE), Line("单位：万元"),
        Grid([*HEAD, ["", "", "", "合计", f"{TOTAL:.2f}"], *body[:12]], spans=SPANS),
        Line("续下表"), PageBreak(), Grid(body[12:]),
    ])  # fmt: skip
    got, codes = _read(path)
    # THEN page 2 continues the table (it opens with rows, not with a header)
    assert [(t["title"], [b["page"] for b in t["boxes"]]) for t in got.tables] == [(TITLE, [1, 2])]
    assert codes == GOLDEN


ECONOMIC_HEAD = [["经济分类科目编码", "科目名称", "合计", "人员经费", "公用经费"]]
ECONOMIC = [  # 302 商品和服务支出 over its 款 (amounts in 万元)
    ("30201", "办公费", "12.00"), ("30205", "水费", "3.00"), ("30206", "电费", "235.00"),
    ("30207", "邮电费", "8.00"), ("30211", "差旅费", "20.00"),
    ("30231", "公务用车运行维护费", "266.80"), ("30299", "其他商品和服务支出", "5.20"),
]  # fmt: skip


@pytest.mark.parametrize("cut", [2, 3, 5])
def test_an_economic_row_at_a_page_break_without_its_rule_is_kept(tmp_path: Path, cut: int) -> None:
    # GIVEN the 302 rows of a 基本支出表 cut over two pages (30206 电费 last on page 1, first
    # on page 2, 30231 last on page 1), the rule at the cut not drawn
    total = sum((Decimal(a) for _, _, a in ECONOMIC), Decimal(0))
    rows = [[code, name, amount, "", amount] for code, name, amount in ECONOMIC]
    head = [*ECONOMIC_HEAD, ["", "合计", f"{total:.2f}", "", f"{total:.2f}"],
            ["302", "商品和服务支出", f"{total:.2f}", "", f"{total:.2f}"]]  # fmt: skip
    every = tuple(range(5))
    path = render(tmp_path / "economic.pdf", [
        Title("2021年一般公共预算基本支出表"), Line("单位：万元"),
        cut_grid(Grid([*head, *rows[:cut]]), open_below=every), PageBreak(),
        cut_grid(Grid(rows[cut:]), open_above=every),
    ])  # fmt: skip
    got = extract_document(path, document_id="d", source_uri=str(path))
    read = {
        r["economic_code"]: r["amount_yuan"] / WAN
        for r in got.frames["basic_expenditure"]
        if r["row_kind"] == "code"
    }
    assert read == {"302": total} | {code: Decimal(a) for code, _, a in ECONOMIC}
    [count] = count_rows(path, got)
    assert count.read == count.printed == len(ECONOMIC) + 1


# ------------------------------------------- which table a page without a title continues

THREE_PUBLIC = [  # a 三公 table of its own columns, printed without a title
    ["合计", "因公出国（境）费", "公务用车购置及运行费", "", "", "公务接待费"],
    ["", "", "小计", "购置费", "运行费", ""],
    ["12.00", "2.00", "7.00", "5.00", "2.00", "3.00"],
]
THREE_PUBLIC_SPANS = [(0, 0, 0, 1), (1, 0, 1, 1), (2, 0, 4, 0), (5, 0, 5, 1)]


def _function_table_over_two_pages() -> list[object]:
    """The function table over pages 1 and 2 (its header printed once), then a page break."""
    body = _printed(carry=False)
    first = Grid([*HEAD, ["", "", "", "合计", f"{TOTAL:.2f}"], *body[:18]], spans=SPANS)
    return [Title(TITLE), Line("单位：万元"), first, PageBreak(), Grid(body[18:]), PageBreak()]


def _pages(got: Extracted) -> list[tuple[str | None, list[int]]]:
    return [(t["family"], [b["page"] for b in t["boxes"]]) for t in got.tables]


def test_a_page_of_economic_codes_under_no_title_does_not_continue_a_function_table(
    tmp_path: Path,
) -> None:
    # GIVEN a function table (2xx codes) over pages 1 and 2, and on page 3 an economic-code
    # table of as many columns (3xx codes, 经济分类科目编码 header) printed without a title
    total = sum((Decimal(a) for _, _, a in ECONOMIC), Decimal(0))
    economic = [
        *ECONOMIC_HEAD,
        ["302", "商品和服务支出", f"{total:.2f}", "", f"{total:.2f}"],
        *([code, name, amount, "", amount] for code, name, amount in ECONOMIC),
    ]
    path = render(tmp_path / "two.pdf", [*_function_table_over_two_pages(), Grid(economic)])
    got, codes = _read(path)
    # THEN page 3 is a table of its own, read by its header as the 基本支出 table
    assert _pages(got) == [("function_expenditure", [1, 2]), ("basic_expenditure", [3])]
    assert codes == GOLDEN
    read = {
        r["economic_code"]: r["amount_yuan"] / WAN
        for r in got.frames["basic_expenditure"]
        if r["row_kind"] == "code"
    }
    assert read == {"302": total} | {code: Decimal(a) for code, _, a in ECONOMIC}


def test_a_page_of_other_columns_under_no_title_does_not_continue_the_table_above(
    tmp_path: Path,
) -> None:
    # GIVEN a function table over pages 1 and 2, and on page 3 a 三公 table (six columns at
    # other positions, no code) printed without a title
    path = render(
        tmp_path / "three.pdf",
        [*_function_table_over_two_pages(), Grid(THREE_PUBLIC, spans=THREE_PUBLIC_SPANS)],
    )
    got, codes = _read(path)
    # THEN the 三公 table is a table of its own, read by its header
    assert _pages(got) == [("function_expenditure", [1, 2]), ("three_public", [3])]
    assert codes == GOLDEN
    assert {r["category"]: r["amount_yuan"] / WAN for r in got.frames["three_public"]} == {
        "total": Decimal("12.00"),
        "overseas_travel": Decimal("2.00"),
        "vehicle_total": Decimal("7.00"),
        "vehicle_purchase": Decimal("5.00"),
        "vehicle_operation": Decimal("2.00"),
        "reception": Decimal("3.00"),
    }


@pytest.mark.parametrize("after", [False, True], ids=["alone", "then-a-table"])
def test_a_single_row_opening_a_page_without_its_rule_is_kept(tmp_path: Path, after: bool) -> None:
    # GIVEN a function table over pages 1 and 2 whose last row is printed alone at the top
    # of page 3 without the rule above it (no grid is found there), followed on page 3 by
    # nothing or by the titled 基本支出表
    body, every = _printed(carry=False), tuple(range(WIDTH))
    first = Grid([*HEAD, ["", "", "", "合计", f"{TOTAL:.2f}"], *body[:18]], spans=SPANS)
    total = sum((Decimal(a) for _, _, a in ECONOMIC), Decimal(0))
    economic = [
        *ECONOMIC_HEAD,
        ["302", "商品和服务支出", f"{total:.2f}", "", f"{total:.2f}"],
        *([code, name, amount, "", amount] for code, name, amount in ECONOMIC),
    ]
    rest = [Title("2021年一般公共预算基本支出表"), Line("单位：万元"), Grid(economic)]
    path = render(tmp_path / "alone.pdf", [
        Title(TITLE), Line("单位：万元"), first, PageBreak(),
        cut_grid(Grid(body[18:-1]), open_below=every), PageBreak(),
        cut_grid(Grid(body[-1:]), open_above=every), *(rest if after else []),
    ])  # fmt: skip
    got, codes = _read(path)
    # THEN the row is the function table's last, on page 3; the 基本支出表 stays its own
    assert _pages(got)[0] == ("function_expenditure", [1, 2, 3])
    assert codes == GOLDEN
    assert _pages(got)[1:] == ([("basic_expenditure", [3])] if after else [])
    assert [(c.family, c.read, c.printed) for c in count_rows(path, got)] == [
        ("function_expenditure", len(GOLDEN), len(GOLDEN)),
        *([("basic_expenditure", len(ECONOMIC) + 1, len(ECONOMIC) + 1)] if after else []),
    ]


def test_a_forms_grid_on_the_next_page_continues_it_whatever_its_columns(tmp_path: Path) -> None:
    # GIVEN a project form whose head (项目名称 | its name, three columns) fills page 1 and
    # whose 一级指标 grid (four columns at other positions) follows on page 2, untitled
    head = [
        ["项目名称", "审计培训", ""],
        ["主管部门", "某市审计局", ""],
        ["年度资金总额", "15.00", ""],
    ]
    grid = [
        ["一级指标", "二级指标", "三级指标", "指标值"],
        ["产出指标", "数量指标", "审计培训人次", "≥250"],
        ["满意度指标", "服务对象满意度指标", "受训学员满意率", "≥98%"],
    ]
    path = render(tmp_path / "form.pdf", [
        Title("2021年项目支出绩效目标表"), Grid(head), PageBreak(), Grid(grid),
    ])  # fmt: skip
    got = extract_document(path, document_id="d", source_uri=str(path))
    # THEN the grid is the form's: one table over both pages, its indicators the project's
    assert _pages(got) == [("indicators", [1, 2])]
    assert [
        (r["project_name"], r["level1_name"], r["level3_name"], r["target_raw"])
        for r in got.frames["indicators"]
    ] == [
        ("审计培训", "产出指标", "审计培训人次", "≥250"),
        ("审计培训", "满意度指标", "受训学员满意率", "≥98%"),
    ]
