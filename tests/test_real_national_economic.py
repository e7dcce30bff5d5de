"""Real economic tables of the national template (tests/pdfs/real-national/README.md):
one 2026 department budget per city print, each economic table's figures read by hand
from the PDF (page and printed row beside each), checked against what the family stages
and against gate 1's identities (expectations/identities.py: 类 = Σ 款, 款 = Σ 项, 合计 =
Σ rows without a printed parent, amount = 人员 + 公用).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd
import pytest

from expectations.identities import basic_identities
from tests.conftest import TESTS, extract_once
from tests.printed import wan, yuan

NATIONAL = TESTS / "pdfs" / "real-national"


@dataclass(frozen=True)
class Economic:
    file: str
    page: int  # the page the economic table starts on
    # (economic code, 政府 code) -> printed amount; (None, None) is the 合计 row
    amounts: dict[tuple[str | None, str | None], Decimal] = field(default_factory=dict)
    # 合计 人员经费 and 公用经费, where printed
    split: tuple[Decimal, Decimal] | None = None


TABLES = [
    Economic(
        "2026年重庆市水利局部门预算.pdf",
        24,  # 2026年一般公共预算基本支出情况表, 7-digit 项 rows under their 款
        {
            (None, None): wan("33,325.21"),  # p24 合计 33,325.21 | 23,208.51 | 10,116.70
            ("301", None): wan("22,242.59"),  # p24 301 工资福利支出 22,242.59
            ("30102", None): wan("1,450.71"),  # p24 30102 津贴补贴 1,450.71
            ("3010201", None): wan("1,282.63"),  # p24 3010201 规范性津补贴 1,282.63
            ("3010202", None): wan("168.08"),  # p24 3010202 其他津补贴 168.08
        },
        (wan("23,208.51"), wan("10,116.70")),
    ),
    Economic(
        "2026年烟台市审计局部门预算.pdf",
        17,  # 一般公共预算基本支出情况表: 类 | 款 columns for both classifications
        {
            (None, None): wan("2,772.24"),  # p17 合计 2,772.24 | 2,536.91 | 235.33
            ("301", "501"): wan("1,812.81"),  # p17 301 工资福利支出 | 501 机关工资福利支出
            ("301", "505"): wan("509.37"),  # p17 301 工资福利支出 | 505 对事业单位经常性补助
            ("30101", "50101"): wan("442.38"),  # p17 301 01 基本工资 | 501 01 442.38
            ("30101", "50501"): wan("128.46"),  # p17 301 01 基本工资 | 505 01 128.46
        },
        (wan("2,536.91"), wan("235.33")),
    ),
    Economic(
        "2026年北京市统计局部门预算报表_附件2.pdf",
        19,  # 预算06表: 政府 | 部门 code-name cells, six decimals, 合计 last (p21)
        {
            (None, None): wan("32,757.015217"),  # p21 合计 32,757.015217
            ("30101", "50101"): wan("3,702.206400"),  # p19 50101-工资奖金津补贴 | 30101-基本工资
            ("30101", "50501"): wan("660.072000"),  # p20 50501-工资福利支出 | 30101-基本工资
            ("3021101", "50201"): wan("115.390000"),  # p19 50201-办公经费 | 3021101-差旅费
        },
        (wan("29,860.171136"), wan("2,896.844081")),  # p21 合计
    ),
    Economic(
        "2026年福州市医疗保障局部门预算.pdf",
        17,  # 一般公共预算支出经济分类情况表: one 预算数 column, zeros printed blank
        {
            (None, None): wan("351904.90"),  # p17 合计 351904.90
            ("301", None): wan("7070.34"),  # p17 301 工资福利支出 7070.34
            ("313", None): wan("333405.00"),  # p17 313 对社会保障基金补助 333405.00
            ("307", None): Decimal(0),  # p17 307 债务利息及费用支出 (blank)
        },
    ),
    Economic(
        "2026年湖州市财政局部门预算.pdf",
        25,  # 栏次 row ** | ** | 1 | 2 | 3, 合计 in the name column
        {
            (None, None): wan("5571.66"),  # p25 合计 5571.66 | 4944.99 | 626.67
            ("301", None): wan("4644.80"),  # p25 301 工资福利支出 4644.80
            ("30101", None): wan("678.19"),  # p25 30101 基本工资 678.19
        },
        (wan("4944.99"), wan("626.67")),
    ),
    Economic(
        "2026年杭州市司法局部门预算.pdf",
        32,  # names only, no code column; 人员经费 | 日常公用支出
        {
            (None, None): wan("70,724.29"),  # p32 合计 70,724.29 | 58,486.35 | 12,237.94
            ("301", None): wan("55,121.30"),  # p32 工资福利支出 55,121.30
            ("30101", None): wan("6,878.71"),  # p32 基本工资 6,878.71
            ("30213", None): wan("570.68"),  # p32 维修(护)费 570.68
            ("303", None): wan("3,900.08"),  # p32 对个人和家庭的补助 3,900.08
        },
        (wan("58,486.35"), wan("12,237.94")),
    ),
    Economic(
        "广州_统计局_2026年部门预算.pdf",
        14,  # [301]工资福利支出 fused codes, one 预算 column
        {
            (None, None): wan("8,401.67"),  # p14 合计 8,401.67
            ("301", None): wan("7,131.66"),  # p14 [301]工资福利支出 7,131.66
            ("30102", None): wan("3,003.28"),  # p14 [30102]津贴补贴 3,003.28
        },
    ),
    Economic(
        "2026年深圳市统计局部门预算.pdf",
        29,  # 一般公共预算支出表（按经济分类）: the one 预算单位 row, 支出总计
        {
            (None, None): wan("5,417.80"),  # p29 深圳市统计局（本级） 5,417.80
            ("301", None): wan("3,030.73"),  # p29 301 工资福利支出 3,030.73
            ("30101", None): wan("927.20"),  # p29 30101 基本工资 927.20
        },
    ),
    Economic(
        "2026年西安市审计局部门预算.pdf",
        27,  # 合计 | 人员经费支出 | 公用经费支出 | 专项业务经费支出, in 元
        {
            # p27 合计 40,052,896.08 = 人员 31,558,364.40 + 公用 1,985,851.68 + 专项
            # 6,508,680.00: the family reads the basic part
            (None, None): yuan("31,558,364.40") + yuan("1,985,851.68"),
            ("301", None): yuan("29,812,828.40"),  # p27 301 工资福利支出, all 人员
            ("30101", "50101"): yuan("7,059,565.80"),  # p27 30101 基本工资 | 50101
            # p27 302 商品和服务支出: 9,564,063.68 of which 人员 1,169,532.00, 公用
            # 1,885,851.68, 专项 6,508,680.00
            ("302", None): yuan("1,169,532.00") + yuan("1,885,851.68"),
        },
        (yuan("31,558,364.40"), yuan("1,985,851.68")),
    ),
    Economic(
        "2026年北京市财政局部门预算报表_附件2.pdf",
        10,  # 预算06表, p10-11: as 统计局's, 政府 | 部门 code-name cells, 合计 last (p11)
        {
            (None, None): wan("28,016.258321"),  # p11 合 计 28,016.258321
            ("30101", "50101"): wan("1,721.982000"),  # p10 50101-工资奖金津补贴 | 30101-基本工资
            ("30101", "50501"): wan("1,919.140800"),  # p10 50501-工资福利支出 | 30101-基本工资
            ("3021101", "50201"): wan("79.882500"),  # p10 50201-办公经费 | 3021101-差旅费
            ("30216", "50203"): wan("100.821000"),  # p10 50203-培训费 | 30216-培训费
            ("30399", "50999"): wan("1,417.152000"),  # p11 50999-其他对个人… | 30399-其他对个人…
        },
        (wan("25,934.649992"), wan("2,081.608329")),  # p11 合 计 人员经费, 公用经费
    ),
    Economic(
        "2026年深圳市审计局部门预算.pdf",
        31,  # 表8 一般公共预算支出表（按经济分类）: 预算单位 | 科目编码 | 科目名称 | 支出总计 |
        # 基本支出 | 项目支出, the one 预算单位 row (深圳市审计局) and no 合计, as 深圳统计局
        {
            (None, None): wan("10,737.69"),  # p31 深圳市审计局 10,737.69 | 9,206.23 | 1,531.45
            ("301", None): wan("7,168.15"),  # p31 301 工资福利支出 7,168.15 | 7,168.15 | 0.00
            ("30101", None): wan("1,403.12"),  # p31 30101 基本工资 1,403.12
            ("302", None): wan("2,567.28"),  # p31 302 商品和服务支出 2,567.28 | 1,055.83 | 1,511.45
            ("30226", None): wan("662.28"),  # p32 30226 劳务费 662.28 | 2.88 | 659.40
            ("31007", None): wan("10.00"),  # p33 31007 信息网络及软件购置更新 10.00 | 0.00 | 10.00
        },
    ),
    Economic(
        "2026年深圳市审计局部门预算.pdf",
        24,  # 表4 基本支出总表: 支出项目类别 | 总计 | 财政拨款 …, names only under the unit's line
        {
            (None, None): wan("9,206.23"),  # p24 深圳市审计局 9,206.23 9,206.23 9,206.23 0.00 …
            ("301", None): wan("7,168.15"),  # p24 工资福利支出 7,168.15
            # p24 机关事业单位基本养老保险缴 / 费 490.41 (the name wrapped in its cell)
            ("30108", None): wan("490.41"),
            ("30209", None): wan("274.26"),  # p25 物业管理费 274.26
            ("30302", None): wan("958.75"),  # p25 退休费 958.75
            ("31002", None): wan("23.50"),  # p25 办公设备购置 23.50
        },
    ),
    Economic(
        "2026年重庆市委宣传部部门预算.pdf",
        19,  # 表六 2026年一般公共预算基本支出情况表: 7-digit 项 rows under their 款, pp. 19-21
        {
            (None, None): wan("12,899.62"),  # p19 合计 12,899.62 | 11,105.08 | 1,794.53
            ("301", None): wan("10,438.44"),  # p19 301 工资福利支出 10,438.44
            ("3010201", None): wan("503.79"),  # p19 3010201 规范性津补贴 503.79
            ("3010303", None): wan("70.04"),  # p19 3010303 年终一次性奖金 70.04
            ("302", None): wan("1,788.53"),  # p20 302 商品和服务支出 1,788.53
            ("30301", None): wan("36.96"),  # p21 30301 离休费 36.96
            ("3030104", None): wan("9.14"),  # p21 3030104 离休健康休养费 9.14
        },
        (wan("11,105.08"), wan("1,794.53")),
    ),
    Economic(
        "广州_信访局_2026年部门预算.pdf",
        12,  # 表6 一般公共预算基本支出情况表（按经济分类科目）: [301]工资福利支出, one 预算 column
        {
            (None, None): wan("3,204.78"),  # p12 合计 3,204.78
            ("301", None): wan("2,577.42"),  # p12 [301]工资福利支出 2,577.42
            ("30102", None): wan("1,088.93"),  # p12 [30102]津贴补贴 1,088.93
            ("30204", None): wan("0.10"),  # p12 [30204]手续费 0.10
            ("30399", None): wan("0.55"),  # p13 [30399]其他对个人和家庭的补助 0.55
        },
    ),
    Economic(
        "广州_信访局_2026年部门预算.pdf",
        14,  # 表7 一般公共预算项目支出情况表（按经济分类科目）: the projects' spending
        {
            (None, None): wan("739.30"),  # p14 合计 739.30
            ("302", None): wan("730.00"),  # p14 [302]商品和服务支出 730.00
            ("30227", None): wan("442.20"),  # p14 [30227]委托业务费 442.20
            ("31003", None): wan("0.30"),  # p14 [31003]专用设备购置 0.30
        },
    ),
]

# explanatory documents (说明): prose with the totals, no economic table
WITHOUT = {"2026年北京市财政局部门预算.pdf", "2026年北京市统计局部门预算.pdf"}


def test_every_fixture_is_listed() -> None:
    listed = {t.file for t in TABLES} | WITHOUT
    assert sorted(listed) == sorted(p.name for p in NATIONAL.glob("*.pdf"))


@pytest.mark.parametrize("printed", TABLES, ids=lambda t: t.file.removesuffix(".pdf"))
def test_economic_table_reads_as_printed(printed: Economic) -> None:
    # GIVEN a real economic table of a city's print
    extracted = extract_once(NATIONAL / printed.file)
    [table] = [
        t
        for t in extracted.tables
        if t["family"] == "basic_expenditure" and t["page"] == printed.page
    ]
    rows = [r for r in extracted.frames["basic_expenditure"] if r["table_index"] == table["index"]]
    # THEN the family reports no row it could not read on that table
    assert not [p for p in extracted.problems if p.check == "economic_code_parses"]
    # AND every figure read by hand is staged, exactly
    staged = {(r["economic_code"], r["gov_economic_code"]): r for r in rows}
    for key, amount in printed.amounts.items():
        assert staged[key]["amount_yuan"] == amount, key
    if printed.split is not None:
        total = staged[(None, None)]
        assert (total["personnel_yuan"], total["public_yuan"]) == printed.split
    # AND the table is consistent as gate 1 judges it: no identity fails
    identities, errors = basic_identities("doc", pd.DataFrame.from_records(rows))
    assert not errors
    assert [i["detail"] for i in identities if i["excess"] > 0] == []
