"""Real 会议费 / 培训费 and 三公 tables of the national template (tests/pdfs/real-national/
README.md), every figure read by hand from the page (page and printed row beside it).

西安 prints both kinds the meeting_training family reads: a 会议费明细表 and a 培训费明细表
(a meeting or training per row, under the 情况说明's section 十, the second's title left
at the bottom of the page of the first), and a 三公 table that adds 会议费 and 培训费
columns, in three column groups 上年 | 当年 | 增减变化情况. 烟台 prints its 三公 table in
groups 2025年预算数 | 2026年预算数, 深圳 a row per 年度 (2025年 | 2026年 | 增减变化金额):
the budget is the 当年 / 2026 one (these three were read as last year's before). 北京 heads
its total “三公”经费财政拨款预算总额. The other prints print no 会议费 or 培训费 in a table.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from expectations.meeting_training_identities import meeting_training_identities
from extract.verdicts import TableOutcome
from tests.conftest import TESTS, extract_once
from tests.printed import wan, yuan

NATIONAL = TESTS / "pdfs" / "real-national"
XIAN = "2026年西安市审计局部门预算.pdf"
ZERO = Decimal(0)

# Each print's 三公 table (source 'table'): category -> amount, read by hand
THREE_PUBLIC = {
    # p35 表13 部门综合预算一般公共预算拨款“三公”经费及会议费、培训费支出预算表, 单位：元; the
    # 当年 group of the 合计 row: 合计 332,000.00 | 小计 102,000.00 | 因公出国（境）费用
    # (blank) | 公务接待费 20,000.00 | 小计 82,000.00 | 公务用车购置费 (blank) | 公务用车运行
    # 维护费 82,000.00 | 会议费 20,000.00 | 培训费 210,000.00 (上年: 526,000.00 | 120,000.00 …)
    XIAN: {
        "total": yuan("102,000.00"),
        "overseas_travel": ZERO,
        "reception": yuan("20,000.00"),
        "vehicle_total": yuan("82,000.00"),
        "vehicle_purchase": ZERO,
        "vehicle_operation": yuan("82,000.00"),
    },
    # p19 公开表7 一般公共预算“三公”经费支出情况表, 单位：万元: 2025年预算数 合计 11.90 |
    # 因公出国（境）经费 8.50 | … | 公务接待费 3.40; 2026年预算数 合计 3.40 | 因公出国（境）
    # 经费 (blank) | 小计 (blank) | 购置经费 (blank) | 运行维护费 (blank) | 公务接待费 3.40
    "2026年烟台市审计局部门预算.pdf": {
        "total": wan("3.40"),
        "overseas_travel": ZERO,
        "vehicle_total": ZERO,
        "vehicle_purchase": ZERO,
        "vehicle_operation": ZERO,
        "reception": wan("3.40"),
    },
    # p32 表9 财政拨款“三公”经费支出表, 单位：万元, 深圳市统计局（本级）, the 一般公共预算
    # column of each: 2025年 59.62 | 43.87 | …; 2026年 总计 32.56 | 因公出国(境)费 16.80 |
    # 公务接待费 11.56 | 小计 4.20 | 公务用车购置费 0.00 | 公务用车运行维护费 4.20
    "2026年深圳市统计局部门预算.pdf": {
        "total": wan("32.56"),
        "overseas_travel": wan("16.80"),
        "reception": wan("11.56"),
        "vehicle_total": wan("4.20"),
        "vehicle_purchase": wan("0.00"),
        "vehicle_operation": wan("4.20"),
    },
    # p24 预算09表 财政拨款“三公”经费支出表, 金额单位：万元: “三公”经费财政拨款预算总额
    # 73.790000 | 因公出国（境）费用 45.190000 | 公务接待费 1.180000 | 小计 27.420000 |
    # 公务用车购置费 (blank) | 公务用车运行维护费 27.420000
    "2026年北京市统计局部门预算报表_附件2.pdf": {
        "total": wan("73.790000"),
        "overseas_travel": wan("45.190000"),
        "reception": wan("1.180000"),
        "vehicle_total": wan("27.420000"),
        "vehicle_purchase": ZERO,
        "vehicle_operation": wan("27.420000"),
    },
}

# 西安's 会议费 / 培训费 rows, top-down per table:
# (page, title, row_kind, category, name, held_on, participants, amount)
XIAN_ROWS = [
    # p17 会议费明细表, 单位：万元: 序号 | 会议名称 | 时间 | 人数 | 金额 | 备注
    # 1 | 全市审计业务会 | 2026-3-26 | 100 | 2.00
    (17, "会议费明细表", "item", "meeting", "全市审计业务会", "2026-3-26", 100, wan("2.00")),
    # p18 培训费明细表 (its title at the bottom of p17), 单位：万元: 序号 | 培训名称 | 时间 |
    # 人数 | 金额 | 备注
    # 1 | 全市审计机关年度综合培训 | 2026-03-12 | 95 | 3.65
    (18, "培训费明细表", "item", "training", "全市审计机关年度综合培训", "2026-03-12", 95,
     wan("3.65")),
    # 2 | 全市审计干部能力素质提升培训 | 2026-09-14 | 120 | 8.70
    (18, "培训费明细表", "item", "training", "全市审计干部能力素质提升培训", "2026-09-14", 120,
     wan("8.70")),
    # 3 | 全市经责审计培训 | 2026-10-19 | 50 | 2.65
    (18, "培训费明细表", "item", "training", "全市经责审计培训", "2026-10-19", 50, wan("2.65")),
    # 4 | 审计业务相关知识技能培训 | 2026-12-21 | 120 | 6.00
    (18, "培训费明细表", "item", "training", "审计业务相关知识技能培训", "2026-12-21", 120,
     wan("6.00")),
]  # fmt: skip
# p35 (above): the 当年 合计 332,000.00 over 三公 102,000.00, 会议费 20,000.00 and 培训费
# 210,000.00
XIAN_THREE_PUBLIC_ROWS = [
    ("combined", None, "合计", yuan("332,000.00")),
    ("total", "meeting", "会议费", yuan("20,000.00")),
    ("total", "training", "培训费", yuan("210,000.00")),
]


@pytest.mark.parametrize("file", sorted(THREE_PUBLIC), ids=lambda f: f.removesuffix(".pdf"))
def test_three_public_tables_read_the_budget_year(file: str) -> None:
    # GIVEN a 三公 table printing other years beside the budget's (or its total as 预算总额)
    extracted = extract_once(NATIONAL / file)
    # THEN the categories staged are the budget year's, as printed
    rows = [r for r in extracted.frames["three_public"] if r["source"] == "table"]
    assert {r["category"]: r["amount_yuan"] for r in rows} == THREE_PUBLIC[file]
    assert len(rows) == len(THREE_PUBLIC[file])
    # AND the table knows all its columns
    [table] = [t for t in extracted.frames["tables"] if t["family"] == "three_public"]
    assert table["unknown_columns"] is None


def test_xian_meetings_and_trainings_read_as_printed() -> None:
    extracted = extract_once(NATIONAL / XIAN)
    rows = sorted(
        extracted.frames["meeting_training"], key=lambda r: (r["table_index"], r["row_index"])
    )
    listed = [
        (
            r["page_number"],
            r["table_title"],
            r["row_kind"],
            r["category"],
            r["name"],
            r["held_on"],
            r["participants"],
            r["amount_yuan"],
        )
        for r in rows
        if r["page_number"] in (17, 18)
    ]
    assert listed == XIAN_ROWS
    assert all(r.get("duration_days") is None and r.get("sessions") is None for r in rows)
    # the 三公 table's 会议费, 培训费 and the 合计 over them (its 当年 group)
    three = [
        (r["row_kind"], r["category"], r["name"], r["amount_yuan"])
        for r in rows
        if r["page_number"] == 35
    ]
    assert three == XIAN_THREE_PUBLIC_ROWS
    # AND the two lists are tables of their own, read (the 十、 section's prose states
    # 会议费 2.00万元 and 培训费 21.00万元: the items sum to them)
    tables = {
        t["table_title"]: t for t in extracted.frames["tables"] if t["family"] == "meeting_training"
    }
    assert set(tables) == {"会议费明细表", "培训费明细表"}
    assert all(
        (t["outcome"], t["unknown_columns"]) == (TableOutcome.READ, None) for t in tables.values()
    )
    training = [
        r["amount_yuan"] for r in rows if r["category"] == "training" and r["page_number"] == 18
    ]
    assert sum(training) == wan("21.00")


def _identities(rows: list[dict], three_public: list[dict]) -> list[dict]:
    records, errors = meeting_training_identities(
        "doc", pd.DataFrame.from_records(rows), pd.DataFrame.from_records(three_public)
    )
    assert errors == []
    return records


def test_xian_combined_total_reconciles_and_a_misread_fails() -> None:
    extracted = extract_once(NATIONAL / XIAN)
    rows = [dict(r) for r in extracted.frames["meeting_training"]]
    three_public = extracted.frames["three_public"]
    # GIVEN the rows as staged, THEN 合计 = 三公 + 会议费 + 培训费 holds
    identities = _identities(rows, three_public)
    checks = {i["check"]: i for i in identities}
    assert set(checks) == {"three_public_meeting_training_sum_to_combined_total"}
    assert [i["detail"] for i in identities if i["excess"] > 0] == []
    # GIVEN 培训费 read as last year's 386,000.00 (the 上年 group), THEN it blocks its table
    [training] = [r for r in rows if r["row_kind"] == "total" and r["category"] == "training"]
    training["amount_yuan"] = yuan("386,000.00")
    failed = [i for i in _identities(rows, three_public) if i["excess"] > 0]
    assert [(i["check"], i["severity"]) for i in failed] == [
        ("three_public_meeting_training_sum_to_combined_total", "block")
    ]
    assert "332,000.00 元" in failed[0]["detail"]


@pytest.mark.integration
def test_a_load_puts_the_meetings_and_trainings_in_the_mart(national_warehouse: Path) -> None:
    # GIVEN 西安's print loaded with every national fixture
    warehouse = national_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts = con.execute(
            """select f.category, f.row_kind, f.name, f.participants, f.amount_yuan
               from marts.fct_meeting_training f join marts.dim_document d using (document_id)
               where d.file_name = ? order by f.table_index, f.row_index, f.category""",
            [XIAN],
        ).fetchall()
        keyed = con.execute(
            "select count(*) from marts.fct_meeting_training where department_key is null"
        ).fetchone()
    # THEN the mart holds each listed meeting and training once, and each category's
    # total from the 三公 table (the first printing it), never the combined 合计
    assert facts == [
        ("meeting", "item", "全市审计业务会", 100, wan("2.00")),
        ("training", "item", "全市审计机关年度综合培训", 95, wan("3.65")),
        ("training", "item", "全市审计干部能力素质提升培训", 120, wan("8.70")),
        ("training", "item", "全市经责审计培训", 50, wan("2.65")),
        ("training", "item", "审计业务相关知识技能培训", 120, wan("6.00")),
        ("meeting", "total", "会议费", None, yuan("20,000.00")),
        ("training", "total", "培训费", None, yuan("210,000.00")),
    ]
    assert keyed == (0,)
