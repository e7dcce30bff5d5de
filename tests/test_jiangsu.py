"""Real Jiangsu tables and explanatory documents (tests/pdfs/real-jiangsu/README.md): a
template the project was not built on. Every figure asserted here is the one printed in
the PDF, read by hand (page and printed line beside it)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest

from expectations.identities import function_identities
from expectations.purchase_identities import purchase_identities
from tests.conftest import TESTS, extract_once, unnamed_fact_rows
from tests.printed import Printed, check, wan

JIANGSU = TESTS / "pdfs" / "real-jiangsu"
CPPCC_2019 = JIANGSU / "江苏省政协办公厅2019年预算公开表.pdf"
CPPCC_2017 = JIANGSU / "江苏省政协办公厅2017年度部门预算公开表.pdf"
OFFICE_2018 = JIANGSU / "江苏省委办公厅2018年度部门预算公开表.pdf"
OFFICE_2019 = JIANGSU / "江苏省委办公厅2019年度部门预算公开表格.pdf"
CPPCC_2017_PROSE = JIANGSU / "江苏省政协办公厅2017年度部门预算.pdf"  # the 公开文件: no table
OFFICE = "中共江苏省委办公厅"  # as the tables' 部门： line prints it
OFFICE_COVER = "江苏省委办公厅"  # as the covers of the explanatory documents print it
CPPCC = "江苏省政协办公厅"


def three_public(
    overseas: str, vehicles: str, purchase: str, operation: str, reception: str, total: str = ""
) -> dict[str, Any]:
    figures = {
        "overseas_travel": wan(overseas),
        "vehicle_total": wan(vehicles),
        "vehicle_purchase": wan(purchase),
        "vehicle_operation": wan(operation),
        "reception": wan(reception),
    }
    return figures | ({"total": wan(total)} if total else {})


def stated(
    income: str,
    expenditure: str,
    basic: str,
    project: str,
    personnel: str,
    public: str,
    operating: str,
) -> dict[str, Any]:
    return {
        "income_total": wan(income),
        "expenditure_total": wan(expenditure),
        "basic": wan(basic),
        "project": wan(project),
        "personnel": wan(personnel),
        "public": wan(public),
        "operating_expenses": wan(operating),  # 一般公共预算机关运行经费
    }


def one_column(total: str) -> dict[str, Any]:
    """财政拨款 and 一般公共预算 function tables, one 金额 column each: no basic/project."""
    return {scope: (wan(total), None, None) for scope in ("fiscal_grants", "general_public_budget")}


def by_purpose(total: str, basic: str, project: str) -> dict[str, Any]:
    """支出预算总表, one row and no code: the all-funds total by purpose."""
    return {"all_funds": (wan(total), wan(basic), wan(project))}


PRINTED = [
    # explanatory: the prose (第三部分 预算情况说明), no table; 三公 total never stated
    Printed(
        "江苏省委办公厅2017年部门预算.pdf", "loaded", "explanatory", OFFICE_COVER, 2017,
        # p5 收入、支出预算总计 20849.45 万元 | p6 （一）收入预算总计 20849.45 万元 | p6
        # 基本支出预算数为 9964.07 万元 | p7 项目支出预算数为 10688.66 万元 | p9 （一）人员经费
        # 7819.47 万元 （二）公用经费 2144.60 万元
        stated=stated(
            "20849.45", "20849.45", "9964.07", "10688.66", "7819.47", "2144.60", "10101.76"
        ),
        # p11 因公出国（境）费支出 70 万元 | 公务用车购置及运行费支出 411.20 万元 | 公务接待费
        # 支出 28 万元 | 公务用车购置预算支出数 0 万元 | 公务用车运行维护费预算支出 411.20 万元
        three_public=three_public("70", "411.20", "0", "411.20", "28"),
    ),
    Printed(
        "江苏省委办公厅2018年度部门预算公开文件.pdf", "loaded", "explanatory", OFFICE_COVER,
        2018,
        # p5 收入、支出预算总计24458.43万元 | p6 （一）收入预算总计24458.43万元 | p7 基本支出
        # 预算数为10403.11万元 项目支出预算数为12081.46万元 | p9 人员经费8308.53万元 公用经费
        # 2094.58万元
        stated=stated(
            "24458.43", "24458.43", "10403.11", "12081.46", "8308.53", "2094.58", "2094.58"
        ),
        # p11 因公出国（境）费支出70万元 | 公务用车购置及运行费支出411.20万元 | 公务接待费
        # 支出27万元 | 公务用车购置预算支出0万元 | 公务用车运行维护费预算支出411.20万元
        three_public=three_public("70", "411.20", "0", "411.20", "27"),
    ),
    Printed(
        "江苏省委办公厅2018年度部门预算公开表.pdf", "loaded", "tables", OFFICE, 2018,
        # p7 财政拨款支出预算表 and p9 一般公共预算支出预算表: 合计 24,458.43
        function=one_column("24,458.43")
        # p5 支出预算总表: 合计 24,458.43 | 基本支出 10,403.11 | 项目支出 12,081.46
        | by_purpose("24,458.43", "10,403.11", "12,081.46"),
        # p6 财政拨款收支预算总表: 一、基本支出 10,403.11 | 二、项目支出 12,081.46 |
        # 三、单位预留机动经费 1,973.86 | 支出合计 24,458.43
        grants_split=(wan("10,403.11"), wan("12,081.46"), wan("24,458.43")),
        # p11: 合计 1,471.70 | “三公”经费 小计 508.20 | 因公出国（境）费 70.00 | 公务用车
        # 小计 411.20 | 购置费 (blank) | 运行维护费 411.20 | 公务接待费 27.00 | 会议费 933.50
        # | 培训费 30.00
        three_public=three_public("70.00", "411.20", "0", "411.20", "27.00", total="508.20"),
        # p8 and p10: 合计 10,403.11 | 301 工资福利支出 7,308.27
        economic={None: wan("10,403.11"), "301": wan("7,308.27")},
    ),
    Printed(
        "江苏省委办公厅2019年度部门预算公开文件.pdf", "loaded", "explanatory", OFFICE_COVER,
        2019,
        # p6 收入、支出预算总计27664.22万元 | p7 （一）收入预算总计27664.22万元 | p8 基本支出
        # 预算数为11700.63万元 项目支出预算数为13025.38万元 | p11 人员经费9467.72万元 公用经费
        # 2232.91万元
        stated=stated(
            "27664.22", "27664.22", "11700.63", "13025.38", "9467.72", "2232.91", "2232.91"
        ),
        # p12 因公出国（境）费支出70万元 | 公务用车购置及运行费支出411.20万元 | 公务接待费
        # 支出27万元 | 公务用车购置预算支出0万元 | 公务用车运行维护费预算支出411.20万元
        three_public=three_public("70", "411.20", "0", "411.20", "27"),
    ),
    Printed(
        # its grids are drawn over a white background rectangle that also covers the title
        # block and a strip left of the grid: no ruling (the reader does not see it)
        "江苏省委办公厅2019年度部门预算公开表格.pdf", "loaded", "tables", OFFICE, 2019,
        # p5 财政拨款支出预算表（功能科目） and p7 一般公共预算支出预算表（功能科目）:
        # 合计 27,664.22
        function=one_column("27,664.22")
        # p3 支出预算总表: 合计 27,664.22 | 基本支出 11,700.63 | 项目支出 13,025.38
        | by_purpose("27,664.22", "11,700.63", "13,025.38"),
        # p4: 一、基本支出 11,700.63 | 二、项目支出 13,025.38 | 三、单位预留机动经费 2,938.21 |
        # 支出合计 27,664.22
        grants_split=(wan("11,700.63"), wan("13,025.38"), wan("27,664.22")),
        # p9: 合计 1,471.70 | 小计 508.20 | 因公出国（境）费 70.00 | 公务用车 小计 411.20 |
        # 购置 (blank) | 运行维护费 411.20 | 公务接待费 27.00 | 会议费 933.50 | 培训费 30.00
        three_public=three_public("70.00", "411.20", "0", "411.20", "27.00", total="508.20"),
        # p6 and p8: 合计 11,700.63 | 301 工资福利支出 8,300.32 | 302 商品和服务支出 2,232.91
        economic={None: wan("11,700.63"), "301": wan("8,300.32"), "302": wan("2,232.91")},
    ),
    Printed(
        "江苏省政协办公厅2017年度部门预算.pdf", "loaded", "explanatory", CPPCC, 2017,
        # p7 收入、支出预算总计 9,146.79 万元 | （一）收入预算总计 9,146.79 万元 (1.财政拨款收入
        # 预算总计 9,066.79 万元: a part) | p8 基本支出预算数为 5,916.27 万元 项目支出预算数为
        # 3,123.68 万元 | p10 人员经费 4,704.35 万元 | p12 公用经费 1,131.92 万元
        stated=stated(
            "9,146.79", "9,146.79", "5,916.27", "3,123.68", "4,704.35", "1,131.92", "3,348.98"
        ),
        # p18-19 因公出国（境）费支出 76 万元 | 公务用车购置及运行维护费支出 156.60 万元 | 公务
        # 接待费支出 443.50 万元 | 公务用车购置费 0 万元 | 公务用车运行维护费 156.60 万元
        three_public=three_public("76", "156.60", "0", "156.60", "443.50"),
    ),
    Printed(
        "江苏省政协办公厅2017年度部门预算公开表.pdf", "loaded", "tables", CPPCC, 2017,
        # p5 财政拨款支出预算表 and p8 一般公共预算支出预算表: 合计 9,066.79
        function=one_column("9,066.79")
        # p3 支出预算总表: 合计 9,146.79 | 基本支出 5,916.27 | 项目支出 3,123.68
        | by_purpose("9,146.79", "5,916.27", "3,123.68"),
        # p4: 一、基本支出 5,836.27 | 二、项目支出 3,123.68 | 三、单位预留机动经费 106.84 |
        # 支出合计 9,066.79 (the 收支预算总表 p1 prints 基本支出 5,916.27 with 其他资金 80.00)
        grants_split=(wan("5,836.27"), wan("3,123.68"), wan("9,066.79")),
        # p11: 合计 1,852.32 | 小计 676.10 | 因公出国（境）费 76.00 | 公务用车 小计 156.60 |
        # 购置费 (blank) | 运行维护费 156.60 | 公务接待费 443.50 | 会议费 1,094.62 | 培训费 81.60
        three_public=three_public("76.00", "156.60", "0", "156.60", "443.50", total="676.10"),
        # p6 and p9: 合计 5,836.27 | 301 工资福利支出 2,097.51 | 303 对个人和家庭的补助 2,606.84
        economic={None: wan("5,836.27"), "301": wan("2,097.51"), "303": wan("2,606.84")},
    ),
    Printed(
        "江苏省政协办公厅2018年度部门预算.pdf", "loaded", "explanatory", CPPCC, 2018,
        # p7 收入、支出预算总计 10,150.48 万元 | p8 （一）收入预算总计 10,150.48 万元 | p9
        # 基本支出预算数为 5,678.17 万元 项目支出预算数为 3,314.68 万元 | p12 人员经费 4,482.32
        # 万元 公用经费 1,115.85 万元
        stated=stated(
            "10,150.48", "10,150.48", "5,678.17", "3,314.68", "4,482.32", "1,115.85", "1,115.85"
        ),
        # p14 因公出国（境）费支出 106 万元 | 公务用车购置及运行维护费支出 156.60 万元 | 公务
        # 接待费支出 412.50 万元 | 公务用车购置费 0 万元 | 公务用车运行维护费 156.60 万元
        three_public=three_public("106", "156.60", "0", "156.60", "412.50"),
    ),
    Printed(
        # the cover (p1) is an image, its only text "- 1 -": the department is read from
        # the file name
        "江苏省政协办公厅2019年度部门预算.pdf", "loaded", "explanatory", CPPCC, 2019,
        # p9 收入、支出预算总计 13,377.11 万元 | （一）收入预算总计 13,377.11 万元 | p10 基本支出
        # 预算数为 6,522.75 万元 项目支出预算数为 4,968.34 万元 | p14 人员经费 5,312.01 万元
        # 公用经费 1,130.74 万元
        stated=stated(
            "13,377.11", "13,377.11", "6,522.75", "4,968.34", "5,312.01", "1,130.74", "1,130.74"
        ),
        # p15-16 因公出国（境）费支出 106 万元 | 公务用车购置及运行维护费支出 156.6 万元 | 公务
        # 接待费支出 397.5 万元 | 公务用车购置费 0 万元 | 公务用车运行维护费 156.6 万元
        three_public=three_public("106", "156.6", "0", "156.6", "397.5"),
    ),
    Printed(
        "江苏省政协办公厅2019年预算公开表.pdf", "loaded", "tables", CPPCC, 2019,
        # p5 and p7 (功能科目): 合计 13,297.11
        function=one_column("13,297.11")
        # p3 支出预算总表: 合计 13,377.11 | 基本支出 6,522.75 | 项目支出 4,968.34
        | by_purpose("13,377.11", "6,522.75", "4,968.34"),
        # p4: 一、基本支出 6,442.75 | 二、项目支出 4,968.34 | 三、单位预留机动经费 1,886.02 |
        # 支出合计 13,297.11
        grants_split=(wan("6,442.75"), wan("4,968.34"), wan("13,297.11")),
        # p9: 合计 2,224.43 | 小计 660.10 | 因公出国（境）费 106.00 | 公务用车 小计 156.60 |
        # 购置费 (blank) | 运行维护费 156.60 | 公务接待费 397.50 | 会议费 1,282.56 | 培训费 281.77
        three_public=three_public("106.00", "156.60", "0", "156.60", "397.50", total="660.10"),
        # p6 and p8 (经济科目): 合计 6,442.75 | 301 工资福利支出 4,367.96
        economic={None: wan("6,442.75"), "301": wan("4,367.96")},
    ),
]  # fmt: skip


def test_every_fixture_has_its_printed_figures() -> None:
    assert sorted(p.file for p in PRINTED) == sorted(f.name for f in JIANGSU.glob("*.pdf"))


def fixture_id(printed: Printed) -> str:
    office = "office" if "委办公厅" in printed.file else "cppcc"
    return f"{office}-{printed.year}-{printed.kind}"


@pytest.mark.parametrize("printed", PRINTED, ids=fixture_id)
def test_figures_read_are_the_printed_ones(printed: Printed) -> None:
    check(JIANGSU / printed.file, printed)


def test_three_public_total_is_the_subtotal_under_sangong_not_the_grand_total() -> None:
    # p9: 合计 2,224.43 | “三公”经费 小计 660.10 | 因公出国（境）费 106.00 | 公务用车 小计 156.60
    #     | 购置费 (blank) | 运行维护费 156.60 | 公务接待费 397.50 | 会议费 1,282.56 | 培训费 281.77
    rows = {
        r["category"]: r["amount_yuan"] for r in extract_once(CPPCC_2019).frames["three_public"]
    }
    assert rows == {
        "total": wan("660.10"),
        "overseas_travel": wan("106.00"),
        "vehicle_total": wan("156.60"),
        "vehicle_purchase": Decimal(0),
        "vehicle_operation": wan("156.60"),
        "reception": wan("397.50"),
    }


# The 会议费 and 培训费 beside the 三公 of the four table documents, and the 合计 over them:
# file -> (合计, 会议费, 培训费), read by hand (the pages and rows are those of PRINTED above)
MEETING_TRAINING = {
    # p11: 合计 1,471.70 | 小计 508.20 | … | 会议费 933.50 | 培训费 30.00
    "江苏省委办公厅2018年度部门预算公开表.pdf": ("1,471.70", "933.50", "30.00"),
    # p9: 合计 1,471.70 | 小计 508.20 | … | 会议费 933.50 | 培训费 30.00
    "江苏省委办公厅2019年度部门预算公开表格.pdf": ("1,471.70", "933.50", "30.00"),
    # p11: 合计 1,852.32 | 小计 676.10 | … | 会议费 1,094.62 | 培训费 81.60
    "江苏省政协办公厅2017年度部门预算公开表.pdf": ("1,852.32", "1,094.62", "81.60"),
    # p9: 合计 2,224.43 | 小计 660.10 | … | 会议费 1,282.56 | 培训费 281.77
    "江苏省政协办公厅2019年预算公开表.pdf": ("2,224.43", "1,282.56", "281.77"),
}


@pytest.mark.parametrize("file", sorted(MEETING_TRAINING))
def test_meeting_and_training_beside_the_three_public(file: str) -> None:
    from expectations.meeting_training_identities import meeting_training_identities

    extracted = extract_once(JIANGSU / file)
    combined, meeting, training = (wan(v) for v in MEETING_TRAINING[file])
    rows = {
        (r["row_kind"], r["category"]): r["amount_yuan"]
        for r in extracted.frames["meeting_training"]
    }
    assert rows == {
        ("combined", None): combined,
        ("total", "meeting"): meeting,
        ("total", "training"): training,
    }
    # AND gate 1 checks the 合计 against the 三公 小计 + 会议费 + 培训费, which holds
    identities, _ = meeting_training_identities(
        "d",
        pd.DataFrame.from_records(extracted.frames["meeting_training"]),
        pd.DataFrame.from_records(extracted.frames["three_public"]),
    )
    assert [(i["check"], i["excess"] <= 0) for i in identities] == [
        ("three_public_meeting_training_sum_to_combined_total", True)
    ]


def function_rows(path: Path) -> dict[tuple[str, str | None], Decimal]:
    return {
        (r["budget_scope"], r["function_code"]): r["total_yuan"]
        for r in extract_once(path).frames["function_expenditure"]
    }


def test_function_tables_with_one_amount_column_in_both_scopes() -> None:
    # p5 财政拨款支出预算表（功能科目） and p7 一般公共预算支出预算表（功能科目）:
    # 功能科目编码 | 功能科目名称 | 金额; 合计 13,297.11; 2010201 行政运行 5,223.22
    rows = function_rows(CPPCC_2019)
    for scope in ("fiscal_grants", "general_public_budget"):
        assert rows[(scope, None)] == wan("13,297.11")
        assert rows[(scope, "201")] == wan("10,191.56")
        assert rows[(scope, "2010201")] == wan("5,223.22")
    # 2017 heads its code column 功能科目代码: 2010201 行政运行 3,233.03
    assert function_rows(CPPCC_2017)[("fiscal_grants", "2010201")] == wan("3,233.03")


def test_titles_ruled_into_the_grid_with_department_and_unit() -> None:
    extracted = extract_once(OFFICE_2018)
    titles = {t["page"]: t["title"] for t in extracted.tables}
    # p3's grid opens with "收支预算总表部门：中共江苏省委办公厅单位：万元" in one cell; the
    # table of contents on p2 (…十二、政府采购支出预算表) is not its title
    assert titles[3] == "收支预算总表"
    assert titles[11] == "“三公”经费、会议费、培训费支出预算表"
    assert extracted.document["department_name"] == "中共江苏省委办公厅"
    assert extracted.document["amount_unit"] == "万元"
    lines = [r for r in extracted.frames["budget_summary"] if r["page_number"] == 3]
    income = {r["line_name"]: r["amount_yuan"] for r in lines if r["side"] == "income"}
    assert income["收入合计"] == wan("24,458.43")
    # 支出合计 spans 功能分类 and 支出用途; its amount stands in the last column
    spending = {r["line_name"]: r["amount_yuan"] for r in lines if r["side"] == "expenditure"}
    assert spending["支出合计"] == spending["当年支出小计"] == wan("24,458.43")
    assert spending["结转下年资金"] is None
    classes = {
        r["class_code"]: r["amount_yuan"]
        for r in lines
        if r["side"] == "expenditure" and r["amount_yuan"] is not None and r["class_code"]
    }
    # 一、一般公共服务支出 20,153.75; 八、社会保障和就业支出 1,289.52; 十八、住房保障支出 3,015.16
    assert classes == {"201": wan("20,153.75"), "208": wan("1,289.52"), "221": wan("3,015.16")}


def test_an_explanatory_document_is_a_budget_document() -> None:
    extracted = extract_once(CPPCC_2017_PROSE)
    document = extracted.document
    # the cover: "江苏省政协办公厅 2017 年度部门预算"; no table, the budget's totals in prose
    assert (document["document_kind"], document["department_name"]) == (
        "explanatory",
        "江苏省政协办公厅",
    )
    assert (document["fiscal_year"], document["budget_level"]) == (2017, "department")
    stated = {r["item"]: r["amount_yuan"] for r in extracted.frames["narrative_totals"]}
    # the tables document prints 一、基本支出 5,916.27 (p1); the prose says the same
    assert stated["basic"] == wan("5,916.27")
    # p7 "（一）收入预算总计 9,146.79 万元。包括：1.财政拨款收入预算总计 9,066.79 万元。其中，
    # 一般公共预算收入预算 9,066.79 万元": the total, not the first of its parts
    assert stated["income_total"] == wan("9,146.79")


@pytest.mark.integration
def test_survey_and_load_read_every_document(tmp_path: Path) -> None:
    yusuan = [sys.executable, "-m", "yusuan.cli"]
    surveyed = subprocess.run(
        [*yusuan, "survey", str(JIANGSU), "--json", "--workers", "2"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    report: dict[str, Any] = json.loads(surveyed.stdout)
    # every document would load as PRINTED states; what is not read is reported, never misread
    expected = {p.file: p.status for p in PRINTED}
    assert {d["file_name"]: d["status"] for d in report["documents"]} == expected
    outcomes = {t["outcome"] for d in report["documents"] for t in d["tables"]}
    assert outcomes <= {"loaded", "empty", "unrecognised"}
    read = {(d["file_name"][:10], t["page"], t["family"]) for d in report["documents"]
            for t in d["tables"] if t["family"]}  # fmt: skip
    assert ("江苏省政协办公厅20", 9, "three_public") in read
    assert ("江苏省委办公厅201", 3, "budget_summary") in read
    # the four 财政拨款政府性基金支出预算表 print only a 合计 left blank: function tables of
    # the government_fund scope, printed empty
    funds = {(d["file_name"][:10], t["page"], t["family"], t["outcome"])
             for d in report["documents"] for t in d["tables"]
             if "政府性基金" in (t["title"] or "")}  # fmt: skip
    assert {(f, o) for _, _, f, o in funds} == {("function_expenditure", "empty")}
    assert len(funds) == 4
    totals = report["totals"]
    # every table is recognised and loads or is printed empty (the four 政府采购预算表 load
    # as procurement, the four 支出预算总表 by purpose as all-funds function tables, the four
    # 机关运行经费 tables by the economic tables' parser): a parser that stops reading a
    # table, or starts taking one for another, shows here
    assert (totals["tables"], totals["tables_recognised"], totals["tables_loaded"]) == (48, 48, 44)
    purposes = {(d["file_name"], t["page"], t["family"]) for d in report["documents"]
                for t in d["tables"] if t["title"] == "支出预算总表"}  # fmt: skip
    assert {f for *_, f in purposes} == {"function_expenditure"} and len(purposes) == 4
    procured = {(d["file_name"], t["page"]) for d in report["documents"]
                for t in d["tables"] if t["family"] == "procurement"}  # fmt: skip
    assert len(procured) == 4

    # AND a load puts the printed figures in the marts
    warehouse = tmp_path / "bi.duckdb"
    loaded = subprocess.run(
        [*yusuan, "load", str(JIANGSU), "--warehouse", str(warehouse),
         "--home", str(tmp_path / "home")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert loaded.returncode == 0, loaded.stdout[-3000:] + loaded.stderr[-3000:]
    # every fact row names its department, region and year
    assert unnamed_fact_rows(warehouse) == {}
    assert "10 loaded, 0 partial, 0 quarantined" in loaded.stdout
    with duckdb.connect(str(warehouse), read_only=True) as con:
        verdicts = dict(
            con.execute("select file_name, status from audit.document_loads").fetchall()
        )
        kinds = dict(
            con.execute("select file_name, document_kind from marts.dim_document").fetchall()
        )
        [(total,)] = con.execute(
            """select t.amount_yuan from marts.fct_three_public t
               join marts.dim_document d using (document_id)
               where d.file_name = ? and t.category = 'total'""",
            [CPPCC_2019.name],
        ).fetchall()
        checks = con.execute(
            """select d.document_kind, t.file_name, n.narrative_yuan, n.table_yuan
               from marts.fct_narrative_check n
               join marts.dim_document d using (document_id)
               join marts.dim_document t on t.document_id = n.tables_document_id
               where d.file_name = ? and n.item = 'income_total'""",
            [CPPCC_2017_PROSE.name],
        ).fetchall()
        # the prose's 基本支出 / 项目支出 against the 支出预算总表's, its 机关运行经费 against
        # the table of its own (every figure the same, read by hand from both documents)
        compared = con.execute(
            """select d.file_name, n.item, n.narrative_yuan, n.table_yuan, n.table_page_number
               from marts.fct_narrative_check n join marts.dim_document d using (document_id)
               where n.item in ('basic', 'project', 'operating_expenses')
                 and n.table_yuan is not null"""
        ).fetchall()
        by_purpose = con.execute(
            """select d.file_name, f.total_yuan, f.basic_yuan, f.project_yuan, f.other_yuan
               from marts.fct_expenditure_total f join marts.dim_document d using (document_id)
               where f.budget_scope = 'all_funds'"""
        ).fetchall()
        pairs = con.execute(
            """select distinct d.file_name, t.file_name from marts.fct_narrative_check n
               join marts.dim_document d using (document_id)
               join marts.dim_document t on t.document_id = n.tables_document_id
               where d.document_kind = 'explanatory' and t.document_kind = 'tables'
               order by 1"""
        ).fetchall()
    assert verdicts == expected
    assert kinds == {p.file: p.kind for p in PRINTED}
    assert total == wan("660.10")
    # the prose's 收入预算总计 9,146.79 is compared with the 收入合计 9,146.79 of the tables
    # document of the same budget
    assert checks == [("explanatory", CPPCC_2017.name, wan("9,146.79"), wan("9,146.79"))]
    # each explanatory document is compared with the tables of its budget, the 委办's too
    # although its covers drop the party's prefix (江苏省委办公厅 / 中共江苏省委办公厅), and the
    # 2019 政协's whose cover is an image (its file names the department); the others have
    # no tables document
    assert sorted(compared) == sorted(
        (prose, item, wan(figure), wan(figure), page)
        for prose, figures in PURPOSE_IN_PROSE.items()
        for item, (page, figure) in figures.items()
    )
    assert sorted(by_purpose) == sorted(
        (name, *(wan(v) for v in figures)) for name, figures in BY_PURPOSE.items()
    )
    assert pairs == [
        ("江苏省委办公厅2018年度部门预算公开文件.pdf", OFFICE_2018.name),
        (
            "江苏省委办公厅2019年度部门预算公开文件.pdf",
            "江苏省委办公厅2019年度部门预算公开表格.pdf",
        ),
        (CPPCC_2017_PROSE.name, CPPCC_2017.name),
        ("江苏省政协办公厅2019年度部门预算.pdf", CPPCC_2019.name),
    ]


# 支出预算总表 (one row: 合计 | 基本支出 | 项目支出 | 单位预留机动经费 | 结转下年资金, the last
# blank): file -> its figures in 万元, 合计, 基本, 项目, 单位预留机动经费 (other)
BY_PURPOSE = {
    OFFICE_2018.name: ("24,458.43", "10,403.11", "12,081.46", "1,973.86"),  # p5
    OFFICE_2019.name: ("27,664.22", "11,700.63", "13,025.38", "2,938.21"),  # p3
    CPPCC_2017.name: ("9,146.79", "5,916.27", "3,123.68", "106.84"),  # p3
    CPPCC_2019.name: ("13,377.11", "6,522.75", "4,968.34", "1,886.02"),  # p3
}  # fmt: skip
# explanatory document -> item -> (page of the table figure it is checked against, 万元)
PURPOSE_IN_PROSE = {
    "江苏省委办公厅2018年度部门预算公开文件.pdf": {
        "basic": (5, "10,403.11"), "project": (5, "12,081.46"),
        "operating_expenses": (13, "2,094.58"),
    },
    "江苏省委办公厅2019年度部门预算公开文件.pdf": {
        "basic": (3, "11,700.63"), "project": (3, "13,025.38"),
        "operating_expenses": (11, "2,232.91"),
    },
    CPPCC_2017_PROSE.name: {
        "basic": (3, "5,916.27"), "project": (3, "3,123.68"),
        "operating_expenses": (10, "3,348.98"),
    },
    "江苏省政协办公厅2019年度部门预算.pdf": {
        "basic": (3, "6,522.75"), "project": (3, "4,968.34"),
        "operating_expenses": (11, "1,130.74"),
    },
}  # fmt: skip


def test_a_total_by_purpose_printing_no_code_is_the_all_funds_total() -> None:
    # p3 支出预算总表: 合计 13,377.11 | 基本支出 6,522.75 | 项目支出 4,968.34 | 单位预留机动经费
    # 1,886.02 | 结转下年资金 (blank)
    rows = [
        r for r in extract_once(CPPCC_2019).frames["function_expenditure"] if r["page_number"] == 3
    ]
    assert [(r["budget_scope"], r["row_kind"], r["function_code"]) for r in rows] == [
        ("all_funds", "total", None)
    ]
    figures = ("total_yuan", "basic_yuan", "project_yuan", "other_yuan")
    assert tuple(rows[0][f] for f in figures) == tuple(wan(v) for v in BY_PURPOSE[CPPCC_2019.name])
    # GIVEN the row as staged, THEN 合计 = 基本 + 项目 + 其他 holds; misread 项目, it blocks
    frame = pd.DataFrame.from_records(rows)
    records, _ = function_identities("doc", frame)
    assert [(r["check"], r["excess"] > 0) for r in records] == [
        ("total_equals_basic_plus_project", False)
    ]
    frame.loc[0, "project_yuan"] = wan("4,068.34")
    records, _ = function_identities("doc", frame)
    assert [(r["check"], r["severity"], r["excess"] > 0) for r in records] == [
        ("total_equals_basic_plus_project", "block", True)
    ]


def test_an_income_table_listing_its_sources_down_the_rows() -> None:
    # p2 收入预算总表: 项目名称 | 金额; 收入总计 13,377.11; 一般公共预算资金 小计 13,297.11
    # (公共财政拨款(补助)资金 13,297.11 under it); 其他资金 小计 80.00 (其他收入 80.00 under
    # it); 政府性基金, 财政专户管理资金, 上年结转和结余资金 blank
    rows = extract_once(CPPCC_2019).frames["income_sources"]
    assert {(r["page_number"], r["row_kind"]) for r in rows} == {(2, "total")}
    assert len({r["row_index"] for r in rows}) == 1  # the sources of one total row
    assert {r["income_source"]: r["amount_yuan"] for r in rows} == {
        "total": wan("13,377.11"),
        "general_public_budget": wan("13,297.11"),
        "other": wan("80.00"),
    }  # the items under a 小计 are not summed again


def test_the_current_year_subtotal_is_not_an_income_item() -> None:
    # p1 收支预算总表: 一、财政拨款 13,297.11 | 1.一般公共预算 13,297.11 | 三、其他资金 80.00 |
    # 当年收入小计 13,377.11 | 收入合计 13,377.11
    lines = [
        r
        for r in extract_once(CPPCC_2019).frames["budget_summary"]
        if r["page_number"] == 1 and r["side"] == "income"
    ]
    kinds = {r["line_name"]: (r["line_kind"], r["line_level"]) for r in lines}
    assert kinds["当年收入小计"] == ("current_total", 1)
    assert kinds["1.一般公共预算"] == ("item", 2)
    items = [r["amount_yuan"] for r in lines if r["line_kind"] == "item" and r["line_level"] == 1]
    assert sum(a for a in items if a is not None) == wan("13,377.11")


def test_a_department_line_run_into_its_unit_line() -> None:
    from extract.tables import LogicalTable

    table = LogicalTable(0, "收支预算总表", ["部门：江苏省政协办公厅单位：万元"])
    assert (table.department, table.unit) == ("江苏省政协办公厅", "万元")


def test_procurement_items_under_categories_and_projects() -> None:
    # p12-13 表十二 2017年政府采购预算表 (title and header repeated on p13), 单位：万元:
    # 采购品目大类 | 专项名称 | 经济科目 | 采购物品名称 | 采购组织形式 | 总计
    rows = extract_once(CPPCC_2017).frames["procurement"]
    assert {r["page_number"] for r in rows} == {12, 13}
    assert len({r["table_index"] for r in rows}) == 1  # one table over two pages
    assert {(r["fund_source"], r["source_name"]) for r in rows} == {("total", "总计")}
    kinds = [r["row_kind"] for r in rows]
    assert (kinds.count("total"), kinds.count("category"), kinds.count("group")) == (1, 2, 9)
    assert kinds.count("item") == 28

    def printed(kind: str, name: str, catalogue: str | None = None) -> tuple[Any, ...]:
        [row] = [
            r
            for r in rows
            if (r["row_kind"], r["name"], r["catalogue"]) == (kind, name, catalogue)
            and (r["page_number"] == 13 or catalogue != "住宿服务")
        ]
        return (row["category"], row["economic_name"], row["procurement_method"],
                row["amount_yuan"])  # fmt: skip

    assert printed("total", "合计") == (None, None, None, wan("1,271.22"))  # p12 合计 1,271.22
    assert printed("category", "一、货物A") == ("goods", None, None, wan("259.32"))  # p12
    assert printed("category", "三、服务C") == ("services", None, None, wan("1,011.90"))  # p12
    # p12 办公设备购置费 | 办公设备购置 | | | 95.00
    assert printed("group", "办公设备购置费") == ("goods", "办公设备购置", None, wan("95.00"))
    # p12 | | | 台式计算机（20万以下） | 分散自行组织 | 10.80, under 办公设备购置费
    assert printed("item", "办公设备购置费", "台式计算机（20万以下）") == (
        "goods",
        "办公设备购置",
        "分散自行组织",
        wan("10.80"),
    )
    # p13 | | | 住宿服务 | 分散自行组织 | 362.60, under 省政协全委会 | 会议费 714.80
    assert printed("item", "省政协全委会", "住宿服务") == (
        "services",
        "会议费",
        "分散自行组织",
        wan("362.60"),
    )
    # gate 1: 合计 = 货物 + 服务, each category = Σ its items, each project = Σ its items
    frame = pd.DataFrame.from_records(rows)
    identities, errors = purchase_identities("procurement", "doc", frame)
    assert not errors
    assert {i["check"] for i in identities} == {
        "purchase_table_total_equals_sum_of_rows",
        "purchase_category_total_equals_sum_of_items",
        "purchase_group_total_equals_sum_of_items",
    }
    assert [i["detail"] for i in identities if i["excess"] > 0] == []
