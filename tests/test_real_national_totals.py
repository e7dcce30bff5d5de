"""Real 收入总表 and 支出总表 of the national template (tests/pdfs/real-national/README.md):
one 2026 department budget per city print, each table's figures read by hand from the PDF
(page and printed row beside each), checked against what the families stage
(income_sources: a staged row per printed cell of a source column; function_expenditure:
a staged row per printed row) and against gate 1's identities (expectations/identities.py,
expectations/summary_identities.py: 类 = Σ 款 = Σ 项, 合计 = Σ units or 类, 合计 = 基本 +
项目 (+ other), a parent unit = Σ its units).

What the prints teach: 总计 / 收入总计 / 支出总计 for 合计; a 栏次 row (** | 1 | 2 …) under the
header; rows by unit (单位名称, 预算单位, 单位编码) where a department prints its own line
over its units (西安 117 over 117001, 杭州 and 湖州 their 局 over its 本级): that line is
the department's figures, once, and only the units are units; a table with no row label
(北京 预算02表); code-name cells and a row per function x economic code (北京 预算03表);
names only (杭州: each name the budgets read printed with a code under its parent);
事业单位经营支出 | 上缴上级支出 | 对附属单位补助支出 as `other`; an expenditure table by fund
source with only its 合计 read (西安 支出总表).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest

from expectations.identities import function_identities
from expectations.summary_identities import income_sources_identities
from tests.conftest import TESTS, extract_once
from tests.printed import wan, yuan

NATIONAL = TESTS / "pdfs" / "real-national"
BEIJING = "2026年北京市统计局部门预算报表_附件2.pdf"
HANGZHOU = "2026年杭州市司法局部门预算.pdf"
SHENZHEN = "2026年深圳市统计局部门预算.pdf"
HUZHOU = "2026年湖州市财政局部门预算.pdf"
YANTAI = "2026年烟台市审计局部门预算.pdf"
FUZHOU = "2026年福州市医疗保障局部门预算.pdf"
XIAN = "2026年西安市审计局部门预算.pdf"
CHONGQING = "2026年重庆市水利局部门预算.pdf"
GUANGZHOU = "广州_统计局_2026年部门预算.pdf"
SZ_AUDIT = "2026年深圳市审计局部门预算.pdf"
CQ_PROPAGANDA = "2026年重庆市委宣传部部门预算.pdf"
GZ_PETITIONS = "广州_信访局_2026年部门预算.pdf"
ZERO = Decimal(0)


@dataclass(frozen=True)
class Income:
    file: str
    page: int  # the page the 收入总表 starts on
    # (row, income_source) -> printed amount; a row is '合计' (the total row), a unit's name
    # or a function code; two columns of one source on a row add up (as gate 1 adds them)
    cells: dict[tuple[str, str], Decimal]
    units: list[str] = field(default_factory=list)  # the unit rows' names, in print order
    unit_code: str | None = None  # the 单位编码 the 合计 row carries (the department's)


@dataclass(frozen=True)
class Expenditure:
    file: str
    page: int  # the page the 支出总表 starts on
    # row ('合计', a unit's name or a function code) -> (total, basic, project) as printed
    # (None: the table prints no such column; a blank cell beside printed ones is 0)
    rows: dict[str, tuple[Decimal, Decimal | None, Decimal | None]]
    units: list[str] = field(default_factory=list)  # the unit rows' names, in print order
    codes: int | None = None  # code rows staged, where the print makes it worth pinning
    names: dict[str, str] = field(default_factory=dict)  # function code -> name staged
    other: Decimal | None = None  # 合计's 事业单位经营 + 上缴上级 + 对附属单位补助, where printed
    split: tuple[Decimal, Decimal] | None = None  # 合计's 人员 and 公用, where printed
    unit_code: str | None = None


INCOME = [
    Income(
        BEIJING,
        2,  # 预算02表收入总表: no row label, one row of figures (the department's total)
        {
            # p2 51,036.219169 | 小计 50,666.454093 | 一般公共预算资金 50,665.496773 |
            # 其他收入 0.957320 | 上年结转结余: 小计 369.765076 | 一般公共预算资金 152.679076 |
            # 单位资金 217.086000
            ("合计", "total"): wan("51,036.219169"),
            ("合计", "general_public_budget"): wan("50,665.496773"),
            ("合计", "other"): wan("0.957320"),
            ("合计", "carryover"): wan("152.679076") + wan("217.086000"),
        },
    ),
    Income(
        HANGZHOU,
        25,  # 总计 | 本年收入 … | 上年结转结余 …, a 栏次 row ** 1 2 … 17, units by name only
        {
            # p25 合计 99,230.46 | 98,883.14 | 91,495.48 | (其他收入) 7,387.66 | 347.32 | 347.32
            ("合计", "total"): wan("99,230.46"),
            ("合计", "general_public_budget"): wan("91,495.48"),
            ("合计", "other"): wan("7,387.66"),
            ("合计", "carryover"): wan("347.32"),
            # p25 杭州市司法局 12,586.47 | 12,239.15 | 11,242.75 | 996.40 | 347.32 | 347.32
            # (本级: the line above it, 杭州市司法局 99,230.46 …, is the department's)
            ("杭州市司法局", "total"): wan("12,586.47"),
            ("杭州市司法局", "other"): wan("996.40"),
            ("杭州市司法局", "carryover"): wan("347.32"),
            # p25 杭州市东郊监狱 18,764.53 | 18,764.53 | 17,198.27 | 1,566.26
            ("杭州市东郊监狱", "total"): wan("18,764.53"),
            ("杭州市东郊监狱", "general_public_budget"): wan("17,198.27"),
            # p25 杭州市法律援助中心 1,112.70 | 1,112.70 | 1,112.70
            ("杭州市法律援助中心", "total"): wan("1,112.70"),
        },
        [
            "杭州市司法局",
            "杭州市东郊监狱",
            "杭州市西郊监狱",
            "杭州市南郊监狱",
            "杭州市北郊监狱",
            "杭州市富春强制隔离戒毒所",
            "杭州市法律援助中心",
        ],
    ),
    Income(
        SHENZHEN,
        18,  # 表2收入总表: 预算单位 | 收入总计 | 财政拨款 > 一般公共预算拨款 …, one unit, no 合计
        {
            # p18 深圳市统计局（本级） 5,417.80 | 5,417.80 | 0.00 | 0.00 | 0.00 | … | 0.00
            ("深圳市统计局（本级）", "total"): wan("5,417.80"),
            ("深圳市统计局（本级）", "general_public_budget"): wan("5,417.80"),
            ("深圳市统计局（本级）", "government_fund"): ZERO,
            ("深圳市统计局（本级）", "carryover"): ZERO,  # 上年结余、结转 0.00
        },
        ["深圳市统计局（本级）"],
    ),
    Income(
        HUZHOU,
        19,  # like 杭州: 单位名称 | 总计 …, a 栏次 row, the 局's line over its 本级
        {
            # p19 合计 6838.41 | 6838.41 | 6838.41
            ("合计", "total"): wan("6838.41"),
            ("合计", "general_public_budget"): wan("6838.41"),
            # p19 湖州市财政局 4467.55 | 4467.55 | 4467.55 (the second 湖州市财政局 line)
            ("湖州市财政局", "total"): wan("4467.55"),
            # p19 湖州市绿色财政研究服务中心 641.77 | 641.77 | 641.77
            ("湖州市绿色财政研究服务中心", "general_public_budget"): wan("641.77"),
        },
        [
            "湖州市财政局",
            "湖州市市级财政国库支付中心",
            "湖州市财政项目预算审核中心",
            "湖州市财政票据管理中心",
            "湖州市绿色财政研究服务中心",
        ],
    ),
    Income(
        YANTAI,
        9,  # 类 | 款 | 项 | 科目名称 | 合计 | 财政拨款收入 > 小计 | 一般公共预算收入 …
        {
            # p9 合 计 3,558.35 | 2,776.75 | 2,776.75 | (其他收入) 781.60
            ("合计", "total"): wan("3,558.35"),
            ("合计", "general_public_budget"): wan("2,776.75"),
            ("合计", "other"): wan("781.60"),
            # p9 201 一般公共服务支出 2,731.79 | 1,950.19 | 1,950.19 | 781.60
            ("201", "total"): wan("2,731.79"),
            ("201", "other"): wan("781.60"),
            # p9 04 审计业务 592.50 | 4.50 | 4.50 | 588.00 (under 201 08)
            ("2010804", "total"): wan("592.50"),
            ("2010804", "general_public_budget"): wan("4.50"),
            ("2010804", "other"): wan("588.00"),
            # p10 01 住房公积金 204.86 | 204.86 | 204.86 (under 221 02)
            ("2210201", "total"): wan("204.86"),
        },
    ),
    Income(
        FUZHOU,
        11,  # 单位名称 | 合计 | 一般公共预算拨款收入 …: units print blank where 合计 prints 0.00
        {
            # p11 合计 351904.90 | 351904.90 | 0.00 | 0.00 | … | 0.00
            ("合计", "total"): wan("351904.90"),
            ("合计", "general_public_budget"): wan("351904.90"),
            ("合计", "government_fund"): ZERO,
            # p11 福州市医疗保障基金中心 345205.84 | 345205.84
            ("福州市医疗保障基金中心", "total"): wan("345205.84"),
            # p11 福州市医疗保障局 3714.26 | 3714.26
            ("福州市医疗保障局", "general_public_budget"): wan("3714.26"),
        },
        [
            "福州市医疗保障基金中心",
            "福州市医疗保障局",
            "福州市医疗保障数据技术中心",
            "福州市医疗保障服务行为监测中心",
        ],
    ),
    Income(
        XIAN,
        23,  # 单位编码 | 单位名称 | 部门预算 > 合计 | 一般公共预算拨款 > 小计 | 其中 … (元)
        {
            # p23 合计 42,034,723.58 | 40,052,896.08 | (上年实户资金余额) 981,827.50 | (其他
            # 收入) 1,000,000.00
            ("合计", "total"): yuan("42,034,723.58"),
            ("合计", "general_public_budget"): yuan("40,052,896.08"),
            ("合计", "carryover"): yuan("981,827.50"),
            ("合计", "other"): yuan("1,000,000.00"),
            # p23 117001 西安市审计局 42,034,723.58 | 40,052,896.08 | 981,827.50 | 1,000,000.00
            # (the line above it, 117 西安市审计局, is the department's, as the 合计)
            ("西安市审计局", "total"): yuan("42,034,723.58"),
            ("西安市审计局", "other"): yuan("1,000,000.00"),
        },
        ["西安市审计局"],
        unit_code="117",
    ),
    Income(
        CHONGQING,
        13,  # 科目编码 | 科目名称 | 总计 | 一般公共预算拨款收入 …, five pages, header repeated
        {
            # p13 合计 186,549.30 | 128,148.56 | 44,134.59 | 11,791.50 | 962.62 | 1,512.04
            ("合计", "total"): wan("186,549.30"),
            ("合计", "general_public_budget"): wan("128,148.56"),
            ("合计", "government_fund"): wan("44,134.59"),
            ("合计", "special_account"): wan("11,791.50"),
            ("合计", "operating"): wan("962.62"),  # 事业单位经营收入
            ("合计", "other"): wan("1,512.04"),
            # p13 205 教育支出 33,862.49 | 23,168.99 | 182.00 | 10,031.50 | 480.00
            ("205", "total"): wan("33,862.49"),
            ("205", "government_fund"): wan("182.00"),
            ("205", "other"): wan("480.00"),
            # p15 2130308 水利前期工作 806.28 | 47.00 | (事业单位经营收入) 759.28
            ("2130308", "total"): wan("806.28"),
            ("2130308", "operating"): wan("759.28"),
        },
    ),
    Income(
        GUANGZHOU,
        8,  # 单位名称 | 合计 | 财政拨款收入 > … | 财政专户拨款收入 > 教育收费 | … | 其他资金收入
        {
            # p8 合计 9,483.72 | 9,433.72 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | 50.00 | …
            ("合计", "total"): wan("9,483.72"),
            ("合计", "general_public_budget"): wan("9,433.72"),
            ("合计", "special_account"): ZERO,  # 教育收费 0.00, 其他专户收入拨款 0.00
            ("合计", "other"): wan("50.00"),  # 其他资金收入 > 其他收入 50.00
            # p8 广州市统计局 6,748.28 | 6,698.28 | … | 50.00
            ("广州市统计局", "total"): wan("6,748.28"),
            # p8 广州市统计普查中心 1,373.74 | 1,373.74
            ("广州市统计普查中心", "general_public_budget"): wan("1,373.74"),
        },
        ["广州市统计局", "广州市统计普查中心", "广州市统计监测中心（广州市统计发展中心）"],
    ),
    Income(
        "2026年北京市财政局部门预算报表_附件2.pdf",
        3,  # 预算02表收入总表: as 统计局's, no row label, one row of figures
        {
            # p3 44,169.357532 | 小计 44,156.640120 | 一般公共预算资金 44,156.640120 |
            # 上年结转结余: 小计 12.717412 | 一般公共预算资金 12.717412
            ("合计", "total"): wan("44,169.357532"),
            ("合计", "general_public_budget"): wan("44,156.640120"),
            ("合计", "carryover"): wan("12.717412"),
        },
    ),
    Income(
        SZ_AUDIT,
        20,  # 表2收入总表, as 深圳统计局: 预算单位 | 收入总计 | 财政拨款 > …, one unit, no 合计
        {
            # p20 深圳市审计局 10,737.69 | 10,737.69 | 0.00 | 0.00 | 0.00 | … | 0.00
            ("深圳市审计局", "total"): wan("10,737.69"),
            ("深圳市审计局", "general_public_budget"): wan("10,737.69"),
            ("深圳市审计局", "government_fund"): ZERO,
            ("深圳市审计局", "carryover"): ZERO,  # 上年结余、结转 0.00
        },
        ["深圳市审计局"],
    ),
    Income(
        GZ_PETITIONS,
        7,  # 表2 收入总体情况表, as 广州统计局: 单位名称 | 合计 | 财政拨款收入 > … | 其他资金收入
        {
            # p7 合计 3,944.08 | 3,944.08 | 0.00 | 0.00 | 0.00 | 0.00 | 0.00 | … | 0.00
            ("合计", "total"): wan("3,944.08"),
            ("合计", "general_public_budget"): wan("3,944.08"),
            ("合计", "special_account"): ZERO,  # 教育收费 0.00, 其他专户收入拨款 0.00
            ("合计", "other"): ZERO,  # 其他收入 0.00
            # p7 广州市信访局 3,944.08 | 3,944.08 | 0.00 …
            ("广州市信访局", "total"): wan("3,944.08"),
            ("广州市信访局", "general_public_budget"): wan("3,944.08"),
        },
        ["广州市信访局"],
    ),
    Income(
        CQ_PROPAGANDA,
        9,  # 表二 2026年单位收入总体情况表, as 重庆水利局: 科目编码 | 科目名称 | 总计 | 一般公共
        # 预算拨款收入 | … | 事业收入 | … | 其他收入, pp. 9-11, the header not repeated
        {
            # p9 合计 45,369.18 | 37,891.58 | 4,066.60 | (事业收入) 2,898.00 | (其他收入) 513.00
            ("合计", "total"): wan("45,369.18"),
            ("合计", "general_public_budget"): wan("37,891.58"),
            ("合计", "government_fund"): wan("4,066.60"),
            ("合计", "business"): wan("2,898.00"),
            ("合计", "other"): wan("513.00"),
            # p9 201 一般公共服务支出 22,022.92 | 22,006.16 | (事业收入) 16.75
            ("201", "total"): wan("22,022.92"),
            ("201", "business"): wan("16.75"),
            # p10 2070205 博物馆 12,580.86 | 9,264.91 | (事业收入) 2,802.96 | (其他收入) 513.00
            ("2070205", "total"): wan("12,580.86"),
            ("2070205", "general_public_budget"): wan("9,264.91"),
            ("2070205", "business"): wan("2,802.96"),
            ("2070205", "other"): wan("513.00"),
            # p10 2070702 资助影院建设 1,035.60 | | 1,035.60 (政府性基金)
            ("2070702", "government_fund"): wan("1,035.60"),
        },
    ),
]

EXPENDITURE = [
    Expenditure(
        BEIJING,
        3,  # 预算03表支出总表: 2010501-行政运行 | 50101-… | 30101-… | 合计 | 基本 | 项目 | 其中 …
        {
            # p7 合 计 50,927.950741 | 32,780.463109 | 18,147.487632
            "合计": (wan("50,927.950741"), wan("32,780.463109"), wan("18,147.487632")),
            # p6 2050803-培训支出 50203-培训费 30216-培训费 329.442380 | 84.660000 | 244.782380
            # p6 2050803-培训支出 50502-商品和服务支出 30216-培训费 65.030000 | 2.000000 | 63.030000
            "2050803": (
                wan("329.442380") + wan("65.030000"),
                wan("84.660000") + wan("2.000000"),
                wan("244.782380") + wan("63.030000"),
            ),
            # p7 2210203-购房补贴 50101-… 30102-津贴补贴 2,106.134280 | 2,106.134280
            # p7 2210203-购房补贴 50501-… 30102-津贴补贴 375.396000 | 375.396000
            "2210203": (
                wan("2,106.134280") + wan("375.396000"),
                wan("2,106.134280") + wan("375.396000"),
                ZERO,
            ),
            # p7 2150299-其他制造业支出 50499-其他资本性支出 30999-… 18.750000 | | 18.750000
            "2150299": (wan("18.750000"), ZERO, wan("18.750000")),
        },
        codes=19,  # the 7-digit codes printed (2010501 … 2210203), each once
        # p7 2080506-机关事业单位职业年金 … 926.635056, its name's end 缴费支出 printed below
        names={"2080506": "机关事业单位职业年金缴费支出"},
        other=ZERO,  # 其中 事业单位经营支出 | 上缴上级支出 | 对附属单位补助支出, blank
    ),
    Expenditure(
        HANGZHOU,
        26,  # names only: 功能分类科目名称 | 总计 | 基本支出 > 人员支出 | 日常公用支出 | 项目支出
        {
            # p26 合计 99,230.46 | 58,486.35 | 12,237.94 | 28,506.17
            "合计": (wan("99,230.46"), wan("58,486.35") + wan("12,237.94"), wan("28,506.17")),
            # p26 一般公共服务支出 12,868.19 | | | 12,868.19
            "201": (wan("12,868.19"), ZERO, wan("12,868.19")),
            # p26 公共安全支出 76,468.81 | 48,594.69 | 12,236.14 | 15,637.98
            "204": (wan("76,468.81"), wan("48,594.69") + wan("12,236.14"), wan("15,637.98")),
            # p27 社会保障和就业支出 7,458.52 | 7,456.72 | 1.80
            "208": (wan("7,458.52"), wan("7,456.72") + wan("1.80"), ZERO),
            # p27 卫生健康支出 2,434.95 | 2,434.95
            "210": (wan("2,434.95"), wan("2,434.95"), ZERO),
        },
        # each name printed with a code under its parent in the budgets read gets it
        # (extract/reference/function_names.csv): 201, 208 and 210 with their 款 and 项;
        # 公共安全支出 alone, names under it (律师管理, 监狱 …) having none yet
        codes=14,
        split=(wan("58,486.35"), wan("12,237.94")),
        other=ZERO,
    ),
    Expenditure(
        SHENZHEN,
        19,  # 预算单位 | 科目编码 | 科目名称 | 支出总计 | 基本 | 项目 | … | 2026年政府采购项目 …
        {
            # p19 深圳市统计局（本级） 5,417.80 | 4,104.00 | 1,313.80 | 0.00 | 0.00 | 0.00 | 94.28 …
            # (the one 预算单位 row, and no 合计: the table's total)
            "合计": (wan("5,417.80"), wan("4,104.00"), wan("1,313.80")),
            # p19 201 一般公共服务支出 3,478.72 | 2,357.92 | 1,120.80
            "201": (wan("3,478.72"), wan("2,357.92"), wan("1,120.80")),
            # p19 2010505 专项统计业务 701.80 | 0.00 | 701.80
            "2010505": (wan("701.80"), ZERO, wan("701.80")),
            # p21 2210203 购房补贴 882.72 | 882.72 | 0.00
            "2210203": (wan("882.72"), wan("882.72"), ZERO),
        },
    ),
    Expenditure(
        HUZHOU,
        20,  # 科目编码 | 科目名称 | 总计 | 基本支出 > 人员支出 | 公用经费 | 项目支出 | …, 栏次
        {
            # p20 合计 6838.41 | 4944.99 | 626.67 | 1266.75
            "合计": (wan("6838.41"), wan("4944.99") + wan("626.67"), wan("1266.75")),
            # p20 201 一般公共服务支出 5356.01 | 3478.23 | 611.02 | 1266.75
            "201": (wan("5356.01"), wan("3478.23") + wan("611.02"), wan("1266.75")),
            # p20 2010601 行政运行 3685.65 | 3102.63 | 583.02
            "2010601": (wan("3685.65"), wan("3102.63") + wan("583.02"), ZERO),
            # p21 2210201 住房公积金 420.07 | 420.07
            "2210201": (wan("420.07"), wan("420.07"), ZERO),
        },
        split=(wan("4944.99"), wan("626.67")),
        other=ZERO,
    ),
    Expenditure(
        YANTAI,
        11,  # 类 | 款 | 项 | 科目名称 | 合计 | 基本支出 | 项目支出 | 结转下年
        {
            # p11 合 计 3,558.35 | 2,776.85 | 781.50
            "合计": (wan("3,558.35"), wan("2,776.85"), wan("781.50")),
            # p11 201 一般公共服务支出 2,731.79 | 1,950.29 | 781.50
            "201": (wan("2,731.79"), wan("1,950.29"), wan("781.50")),
            # p11 01 行政运行 1,535.85 | 1,535.85 (under 201 08)
            "2010801": (wan("1,535.85"), wan("1,535.85"), ZERO),
            # p12 01 住房公积金 204.86 | 204.86 (under 221 02)
            "2210201": (wan("204.86"), wan("204.86"), ZERO),
        },
    ),
    Expenditure(
        FUZHOU,
        12,  # 科目编码 | 科目名称 | 合计 | 基本 | 项目 | 事业单位经营 | 上缴上级 | 对附属单位补助
        {
            # p12 合计 351904.90 | 7841.26 | 344063.64 | 0.00 | 0.00 | 0.00
            "合计": (wan("351904.90"), wan("7841.26"), wan("344063.64")),
            # p12 210 卫生健康支出 349680.44 | 5616.80 | 344063.64
            "210": (wan("349680.44"), wan("5616.80"), wan("344063.64")),
            # p12 2101501 行政运行 3530.82 | 3490.82 | 40.00
            "2101501": (wan("3530.82"), wan("3490.82"), wan("40.00")),
            # p12 2101202 财政对城乡居民基本医疗保险基金的补助 333405.00 | | 333405.00
            "2101202": (wan("333405.00"), ZERO, wan("333405.00")),
        },
        other=ZERO,
    ),
    Expenditure(
        XIAN,
        24,  # by fund source, not by function: 单位编码 | 单位名称 | 部门预算 > 合计 | … (元)
        {
            # p24 合计 42,034,723.58 | 40,052,896.08 | 981,827.50 | 1,000,000.00
            "合计": (yuan("42,034,723.58"), None, None),
            # p24 117001 西安市审计局 42,034,723.58 | … (117 西安市审计局 above it: the 合计)
            "西安市审计局": (yuan("42,034,723.58"), None, None),
        },
        ["西安市审计局"],
        codes=0,
        unit_code="117",
    ),
    Expenditure(
        CHONGQING,
        18,  # 科目编码 | 科目名称 | 总计 | 基本支出 | 项目支出, three pages
        {
            # p18 合计 186,549.30 | 41,418.94 | 145,130.37
            "合计": (wan("186,549.30"), wan("41,418.94"), wan("145,130.37")),
            # p18 205 教育支出 33,862.49 | 19,665.33 | 14,197.15
            "205": (wan("33,862.49"), wan("19,665.33"), wan("14,197.15")),
            # p19 2130301 行政运行 8,677.29 | 8,473.87 | 203.42
            "2130301": (wan("8,677.29"), wan("8,473.87"), wan("203.42")),
            # p20 2290402 其他地方自行试点项目收益专项债券收入安排的支出 40,000.00 | | 40,000.00
            "2290402": (wan("40,000.00"), ZERO, wan("40,000.00")),
        },
    ),
    Expenditure(
        GUANGZHOU,
        9,  # 本年支出总体情况表: 功能分类科目 > 科目编码 | 科目名称 | 合计 | 基本 | 项目 | …
        {
            # p9 合计 9,483.72 | 8,401.67 | 1,082.05 | 0.00 | 0.00 | 0.00
            "合计": (wan("9,483.72"), wan("8,401.67"), wan("1,082.05")),
            # p9 201 一般公共服务支出 8,295.28 | 7,263.23 | 1,032.05
            "201": (wan("8,295.28"), wan("7,263.23"), wan("1,032.05")),
            # p9 2010505 专项统计业务 388.56 | 0.00 | 388.56
            "2010505": (wan("388.56"), ZERO, wan("388.56")),
            # p10 2299999 其他支出 50.00 | 0.00 | 50.00
            "2299999": (wan("50.00"), ZERO, wan("50.00")),
        },
        other=ZERO,  # 事业单位经营支出 0.00 | 对附属单位补助支出 0.00 | 上缴上级支出 0.00
    ),
    Expenditure(
        "2026年北京市财政局部门预算报表_附件2.pdf",
        4,  # 预算03表支出总表, p4-6: as 统计局's, a row per function x economic code
        {
            # p6 合 计 44,169.357532 | 28,016.258321 | 16,153.099211
            "合计": (wan("44,169.357532"), wan("28,016.258321"), wan("16,153.099211")),
            # p5 2050803-培训支出 50203-培训费 30216-培训费 152.341000 | 100.821000 | 51.520000
            # p5 2050803-培训支出 50502-商品和服务支出 30216-培训费 10.000000 | 10.000000
            "2050803": (
                wan("152.341000") + wan("10.000000"),
                wan("100.821000") + wan("10.000000"),
                wan("51.520000"),
            ),
            # p6 2101102-事业单位医疗 50501-… 30110-职工基本医疗保险缴费 752.675592 | 752.675592
            # p6 2101102-事业单位医疗 50501-… 30112-其他社会保障缴费 85.531320 | 85.531320
            "2101102": (
                wan("752.675592") + wan("85.531320"),
                wan("752.675592") + wan("85.531320"),
                ZERO,
            ),
            # p6 2299999-其他支出 50209-维修（护）费 30213-… 55.000000 | | 55.000000
            # p6 2299999-其他支出 50306-设备购置 31007-… 737.644000 | | 737.644000
            "2299999": (
                wan("55.000000") + wan("737.644000"),
                ZERO,
                wan("55.000000") + wan("737.644000"),
            ),
        },
        codes=14,  # the 7-digit codes printed (2010601 … 2299999), each once
        # p6 2080505-机关事业单位基本养老保险缴费支出 printed up to its 政府 code's cell
        names={"2080505": "机关事业单位基本养老保险缴费支出"},
        other=ZERO,  # 其中 事业单位经营支出 | 上缴上级支出 | 对附属单位补助支出, blank
    ),
    Expenditure(
        SZ_AUDIT,
        21,  # 表3支出总表, as 深圳统计局: 预算单位 | 科目编码 | 科目名称 | 支出总计 | 基本 | …
        {
            # p21 深圳市审计局 10,737.69 | 9,206.23 | 1,531.45 | 0.00 | 0.00 | 0.00 | 775.86 …
            # (the one 预算单位 row, and no 合计: the table's total)
            "合计": (wan("10,737.69"), wan("9,206.23"), wan("1,531.45")),
            # p21 201 一般公共服务支出 6,960.90 | 5,466.52 | 1,494.38
            "201": (wan("6,960.90"), wan("5,466.52"), wan("1,494.38")),
            # p21 2010804 审计业务 490.15 | 0.00 | 490.15
            "2010804": (wan("490.15"), ZERO, wan("490.15")),
            # p22 2080505 机关事业单位基本养老 / 保险缴费支出 504.13 | 504.13 | 0.00
            "2080505": (wan("504.13"), wan("504.13"), ZERO),
            # p23 2210203 购房补贴 1,251.07 | 1,251.07 | 0.00
            "2210203": (wan("1,251.07"), wan("1,251.07"), ZERO),
        },
        codes=22,  # p21: 10, p22: 8, p23: 4
        names={"2080505": "机关事业单位基本养老保险缴费支出"},
        other=ZERO,  # 事业单位经营支出 0.00 | 上缴上级支出 0.00 | 对附属单位补助支出 0.00
    ),
    Expenditure(
        GZ_PETITIONS,
        8,  # 表3 本年支出总体情况表, as 广州统计局: 功能分类科目 > 科目编码 | 科目名称 | 合计 | …
        {
            # p8 合计 3,944.08 | 3,204.78 | 739.30 | 0.00 | 0.00 | 0.00
            "合计": (wan("3,944.08"), wan("3,204.78"), wan("739.30")),
            # p8 2014001 行政运行 1,859.41 | 1,831.41 | 28.00
            "2014001": (wan("1,859.41"), wan("1,831.41"), wan("28.00")),
            # p8 2014004 信访业务 397.28 | 0.00 | 397.28
            "2014004": (wan("397.28"), ZERO, wan("397.28")),
            # p8 2080506 机关事业单位职业年金缴费支 / 出 96.76 | 96.76 | 0.00
            "2080506": (wan("96.76"), wan("96.76"), ZERO),
            "221": (wan("950.05"), wan("950.05"), ZERO),  # p8 221 住房保障支出 950.05
        },
        codes=17,
        names={"2080506": "机关事业单位职业年金缴费支出"},
        other=ZERO,  # 事业单位经营支出 0.00 | 上缴上级支出 0.00 | 对附属单位补助支出 0.00
    ),
    Expenditure(
        CQ_PROPAGANDA,
        12,  # 表三 2026年单位支出总体情况表, as 重庆水利局: 科目编码 | 科目名称 | 总计 | 基本支出 |
        # 项目支出, pp. 12-14, blank cells
        {
            # p12 合计 45,369.18 | 13,236.18 | 32,133.00
            "合计": (wan("45,369.18"), wan("13,236.18"), wan("32,133.00")),
            # p12 207 文化旅游体育与传媒支出 19,527.61 | 5,854.96 | 13,672.65
            "207": (wan("19,527.61"), wan("5,854.96"), wan("13,672.65")),
            # p12 2013350 事业运行 539.14 | 539.14 | (blank)
            "2013350": (wan("539.14"), wan("539.14"), ZERO),
            # p13 20808 抚恤 58.00 | 18.00 | 40.00
            "20808": (wan("58.00"), wan("18.00"), wan("40.00")),
            # p14 2150516 工程建设及运行维护 371.13 | (blank) | 371.13
            "2150516": (wan("371.13"), ZERO, wan("371.13")),
        },
        codes=44,  # p12: 13, p13: 20, p14: 11
    ),
]

# explanatory documents (说明): prose with the totals, no 收入总表 or 支出总表
WITHOUT = {"2026年北京市财政局部门预算.pdf", "2026年北京市统计局部门预算.pdf"}


def _table_rows(file: str, family: str, page: int) -> list[dict[str, Any]]:
    extracted = extract_once(NATIONAL / file)
    [table] = [t for t in extracted.tables if t["family"] == family and t["page"] == page]
    return [r for r in extracted.frames[family] if r["table_index"] == table["index"]]


def _row_key(rec: dict[str, Any]) -> str:
    if rec["row_kind"] == "code":
        return str(rec["function_code"])
    return "合计" if rec["row_kind"] == "total" else str(rec["name"])


def _no_identity_fails(
    identities: Callable[[str, pd.DataFrame], tuple[list[dict[str, Any]], list[Any]]],
    rows: list[dict[str, Any]],
) -> None:
    records, errors = identities("doc", pd.DataFrame.from_records(rows))
    assert not errors
    assert records, "gate 1 checks something on the table"
    assert [r["detail"] for r in records if r["excess"] > 0] == []


def test_every_fixture_is_listed() -> None:
    files = sorted(p.name for p in NATIONAL.glob("*.pdf"))
    assert sorted({t.file for t in INCOME} | WITHOUT) == files
    assert sorted({t.file for t in EXPENDITURE} | WITHOUT) == files


@pytest.mark.parametrize("printed", INCOME, ids=lambda t: t.file.removesuffix(".pdf"))
def test_income_table_reads_as_printed(printed: Income) -> None:
    # GIVEN a real 收入总表 of a city's print
    rows = _table_rows(printed.file, "income_sources", printed.page)
    # THEN every figure read by hand is staged, exactly (a source's columns on a row add up)
    staged: dict[tuple[str, str], Decimal] = {}
    for rec in rows:
        key = (_row_key(rec), rec["income_source"])
        staged[key] = staged.get(key, ZERO) + rec["amount_yuan"]
    for key, amount in printed.cells.items():
        assert staged[key] == amount, key
    # AND the units are the unit rows, the department's own line not among them
    units = [r for r in rows if r["row_kind"] == "unit" and r["income_source"] == "total"]
    assert [r["name"] for r in units] == printed.units
    totals = {r["unit_code"] for r in rows if r["row_kind"] == "total"}
    assert totals <= {printed.unit_code}
    # AND the table is consistent as gate 1 judges it: no identity fails
    _no_identity_fails(income_sources_identities, rows)


@pytest.mark.parametrize("printed", EXPENDITURE, ids=lambda t: t.file.removesuffix(".pdf"))
def test_expenditure_table_reads_as_printed(printed: Expenditure) -> None:
    # GIVEN a real 支出总表 of a city's print
    rows = _table_rows(printed.file, "function_expenditure", printed.page)
    assert {r["budget_scope"] for r in rows} == {"all_funds"}
    # THEN every figure read by hand is staged, exactly, each row once
    keys = [_row_key(r) for r in rows]
    assert len(keys) == len(set(keys))
    staged = dict(zip(keys, rows, strict=True))
    for key, (total, basic, project) in printed.rows.items():
        rec = staged[key]
        assert (rec["total_yuan"], rec["basic_yuan"], rec["project_yuan"]) == (
            total,
            basic,
            project,
        ), key
    for code, name in printed.names.items():
        assert staged[code]["name"] == name
    total_row = staged.get("合计")
    if printed.other is not None:
        assert total_row is not None and total_row["other_yuan"] == printed.other
    if printed.split is not None:
        assert total_row is not None
        assert (total_row["personnel_yuan"], total_row["public_yuan"]) == printed.split
    if printed.unit_code is not None:
        assert total_row is not None and total_row["unit_code"] == printed.unit_code
    # AND the units are the unit rows, the department's own line not among them
    assert [r["name"] for r in rows if r["row_kind"] == "unit"] == printed.units
    if printed.codes is not None:
        assert sum(r["row_kind"] == "code" for r in rows) == printed.codes
    # AND the table is consistent as gate 1 judges it: no identity fails
    _no_identity_fails(function_identities, rows)
