"""Income by source printed as a list (项目名称 | 金额), the sources down the rows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from extract.document import extract_document
from tests.pdfgen import Grid, Line, Title, render

WAN = Decimal(10_000)


def sources(tmp_path: Path, rows: list[list[str]]) -> dict[str, Decimal]:
    pdf = render(
        tmp_path / "income.pdf",
        [Title("收入预算总表"), Line("部门：某市测试局"), Line("单位：万元"),
         Grid([["项目名称", "", "金额"], *rows])],
    )  # fmt: skip
    records = extract_document(pdf, document_id="d", source_uri=str(pdf)).frames["income_sources"]
    assert len({r["row_index"] for r in records}) == 1  # one total row
    names = [r["source_name"] for r in records]
    assert len(names) == len(set(names))  # fct_income's key: one record per source name
    return {r["source_name"]: r["amount_yuan"] / WAN for r in records}


def test_a_group_without_subtotal_sums_its_lines_and_a_second_total_is_ignored(
    tmp_path: Path,
) -> None:
    read = sources(
        tmp_path,
        [["收入总计", "收入总计", "100.00"],
         ["一般公共预算资金", "小计", "70.00"],
         ["一般公共预算资金", "公共财政拨款(补助)资金", "70.00"],
         ["其他资金", "事业收入", "20.00"],
         ["其他资金", "其他收入", "10.00"],
         ["上年结转和结余资金", "其中：动用上年结转和结余资金", "5.00"],
         ["合计", "合计", "100.00"]],
    )  # fmt: skip
    # 一般公共预算资金 by its 小计 (the item under it not again); 其他资金 printed without a
    # 小计: its two lines add up; 其中 is inside a line, not a source; 合计 repeats the total
    assert read == {
        "收入总计": Decimal(100),
        "一般公共预算资金": Decimal(70),
        "其他资金": Decimal(30),
    }
