"""Eight real Shanghai PDFs (other titles, amounts in 元): what extraction reads of each
(PRINTED: the figures read by hand from the PDF), and the whole pipeline.

What a correct load shows (tests/pdfs/real/README.md): consistent documents load with the
printed numbers; the one whose function table contradicts itself by millions of 元 loads
without that table, held back with page, row and numbers; a 1-元 slip within rounding
loads; 部门预算 and 单位预算 are kept apart by budget_level.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from tests.conftest import REAL, unnamed_fact_rows
from tests.printed import Printed, Split, check, wan, yuan

CONTRADICTING = "上海市普陀区司法局2026年单位预算.pdf"
ONE_YUAN_SLIP = "上海市普陀区人民政府万里街道办事处2025年预算.pdf"
STREET = "上海市普陀区人民政府万里街道办事处"
OFFICE = "上海市普陀区人民政府办公室"
JUSTICE = "上海市普陀区司法局"
COMMERCE = "上海市普陀区商务委员会"


def split(total: str, basic: str, project: str) -> dict[str, Split]:
    """The 合计 row, printed alike in the 支出预算总表 (all funds) and the 一般公共预算支出
    功能分类预算表: 合计 | 基本支出 | 项目支出, in 元."""
    row = (yuan(total), yuan(basic), yuan(project))
    return {"all_funds": row, "general_public_budget": row}


def three_public(
    total: str, overseas: str, reception: str, vehicles: str, purchase: str, operation: str
) -> dict[str, Decimal]:
    """The 三公 table, in 万元: 合计 | 因公出国(境)费 | 公务接待费 | 公务用车 小计 | 购置费 |
    运行费 (a blank cell is 0)."""
    return {
        "total": wan(total),
        "overseas_travel": wan(overseas),
        "reception": wan(reception),
        "vehicle_total": wan(vehicles),
        "vehicle_purchase": wan(purchase),
        "vehicle_operation": wan(operation),
    }


PRINTED = [
    Printed(
        "上海市普陀区人民政府万里街道办事处2024年预算.pdf", "loaded", "tables", STREET, 2024,
        # p20 and p26: 合计 156,211,123 | 99,706,020 | 56,505,103
        function=split("156,211,123", "99,706,020", "56,505,103"),
        # p31: 47.91 | 0 | 1.35 | 46.56 | 25 | 21.56 (| 机关运行经费 443.18)
        three_public=three_public("47.91", "0", "1.35", "46.56", "25", "21.56"),
        # p29-30: 301 工资福利支出 88,282,511 | 合计 99,706,020 88,537,451 11,168,569
        economic={None: yuan("99,706,020"), "301": yuan("88,282,511")},
    ),
    Printed(
        ONE_YUAN_SLIP, "loaded", "tables", STREET, 2025,
        # p18 and p24: 合计 189,767,551 | 101,341,746 | 88,425,805
        function=split("189,767,551", "101,341,746", "88,425,805"),
        # p29: 37.91 | 0 | 1.35 | 36.56 | 15 | 21.56 (| 464.64)
        three_public=three_public("37.91", "0", "1.35", "36.56", "15", "21.56"),
        # p27-28: 301 工资福利支出 90,238,584 | 合计 101,341,746 90,514,044 10,827,702
        economic={None: yuan("101,341,746"), "301": yuan("90,238,584")},
    ),
    Printed(
        "上海市普陀区人民政府办公室2025年单位预算.pdf", "loaded", "tables", OFFICE, 2025,
        # p12 and p15: 合计 91,016,775.35 | 24,606,775.35 | 66,410,000.00
        function=split("91,016,775.35", "24,606,775.35", "66,410,000.00"),
        # p20: 867.50 | 839.00 | 28.50 | (blank) | (blank) | (blank) (| 213.28)
        three_public=three_public("867.50", "839.00", "28.50", "0", "0", "0"),
        # p18-19: 301 工资福利支出 21,170,337.81 | 合计 24,606,775.35 22,473,997.81 2,132,777.54
        economic={None: yuan("24,606,775.35"), "301": yuan("21,170,337.81")},
    ),
    Printed(
        "上海市普陀区人民政府办公室2025年部门预算.pdf", "loaded", "tables", OFFICE, 2025,
        # p12 and p15: 合计 91,016,775.35 | 24,606,775.35 | 66,410,000.00
        function=split("91,016,775.35", "24,606,775.35", "66,410,000.00"),
        # p20: 867.50 | 839.00 | 28.50 | (blank) | (blank) | (blank) (| 213.28)
        three_public=three_public("867.50", "839.00", "28.50", "0", "0", "0"),
        # p18-19: 301 工资福利支出 21,170,337.81 | 合计 24,606,775.35 22,473,997.81 2,132,777.54
        economic={None: yuan("24,606,775.35"), "301": yuan("21,170,337.81")},
    ),
    Printed(
        # partial: its 支出预算总表 (p11-12) contradicts itself in 2040601 (held back)
        CONTRADICTING, "partial", "tables", JUSTICE, 2026,
        # p12 and p15: 合计 86,959,408.34 | 22,118,861 | 64,840,547.00 (basic printed
        # without its .34)
        function=split("86,959,408.34", "22,118,861", "64,840,547.00"),
        # p20: 10.71 | 0.00 | 0.73 | 9.98 | 0.00 | 9.98 (| 184.59)
        three_public=three_public("10.71", "0.00", "0.73", "9.98", "0.00", "9.98"),
        # p18-19: 301 工资福利支出 19,806,781.00 | 合计 22,118,861.34 20,272,981.00 1,845,880.34
        economic={None: yuan("22,118,861.34"), "301": yuan("19,806,781.00")},
    ),
    Printed(
        "上海市普陀区司法局2026年部门预算.pdf", "loaded", "tables", JUSTICE, 2026,
        # p13 and p16: 合计 96282213.44 | 25741666.44 | 70540547.00
        function=split("96282213.44", "25741666.44", "70540547.00"),
        # p21: 10.81 | 0 | 0.83 | 9.98 | 0 | 9.98 (| 217.83)
        three_public=three_public("10.81", "0", "0.83", "9.98", "0", "9.98"),
        # p19-20: 301 工资福利支出 23084662.00 | 合计 25741666.44 23563342.00 2178324.44
        economic={None: yuan("25741666.44"), "301": yuan("23084662.00")},
    ),
    Printed(
        "上海市普陀区商务委员会2025年单位预算.pdf", "loaded", "tables", COMMERCE, 2025,
        # p13 and p16: 合计 371,514,655.00 | 19,830,655.00 | 351,684,000.00
        function=split("371,514,655.00", "19,830,655.00", "351,684,000.00"),
        # p21: 合计 1.00 | (blank) | 公务接待费 1.00 | (blank) ×3 (| 171.01)
        three_public=three_public("1.00", "0", "1.00", "0", "0", "0"),
        # p19-20: 301 工资福利支出 16,671,057.00 | 合计 19,830,655.00 18,120,593.00 1,710,062.00
        economic={None: yuan("19,830,655.00"), "301": yuan("16,671,057.00")},
    ),
    Printed(
        "上海市普陀区商务委员会2025年部门预算.pdf", "loaded", "tables", COMMERCE, 2025,
        # p13 and p16: 合计 371,514,655.00 | 19,830,655.00 | 351,684,000.00
        function=split("371,514,655.00", "19,830,655.00", "351,684,000.00"),
        # p21: 合计 1.00 | (blank) | 公务接待费 1.00 | (blank) ×3 (| 171.01)
        three_public=three_public("1.00", "0", "1.00", "0", "0", "0"),
        # p19-20: 301 工资福利支出 16,671,057.00 | 合计 19,830,655.00 18,120,593.00 1,710,062.00
        economic={None: yuan("19,830,655.00"), "301": yuan("16,671,057.00")},
    ),
]  # fmt: skip


def test_every_fixture_has_its_printed_figures() -> None:
    assert sorted(p.file for p in PRINTED) == sorted(f.name for f in REAL.glob("*.pdf"))


def fixture_id(printed: Printed) -> str:
    names = {STREET: "street", OFFICE: "office", JUSTICE: "justice", COMMERCE: "commerce"}
    level = "unit" if "单位预算" in printed.file else "department"
    return f"{names[printed.department or '']}-{printed.year}-{level}"


@pytest.mark.parametrize("printed", PRINTED, ids=fixture_id)
def test_figures_read_are_the_printed_ones(printed: Printed) -> None:
    check(REAL / printed.file, printed)


@pytest.fixture
def warehouse(real_warehouse: Path) -> Path:
    """The warehouse built once per session from the eight real Shanghai PDFs."""
    return real_warehouse


def rows(path: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


@pytest.mark.integration
def test_consistent_documents_load_and_the_contradicting_table_is_held(
    warehouse: Path,
) -> None:
    verdicts = dict(rows(warehouse, "select file_name, status from audit.document_loads"))
    assert verdicts == {p.file: p.status for p in PRINTED}
    assert verdicts[CONTRADICTING] == "partial"
    assert verdicts[ONE_YUAN_SLIP] == "loaded"  # 1 元 off in a subtotal: rounding
    kinds = dict(rows(warehouse, "select file_name, document_kind from marts.dim_document"))
    assert kinds == {p.file: p.kind for p in PRINTED}


@pytest.mark.integration
def test_held_table_detail_names_page_row_and_numbers(warehouse: Path) -> None:
    [(reason, detail)] = rows(
        warehouse,
        "select reason, detail from audit.document_loads where file_name = ?",
        CONTRADICTING,
    )
    assert reason == "reconciliation"
    # 2040601 行政运行 prints 合计 14,348,853.34 = 基本 14,348,853.34 + 项目 64,840,547.00
    assert "page 11" in detail
    assert "2040601" in detail
    assert "14,348,853.34" in detail and "64,840,547" in detail
    # the contradicting table is held back: none of its rows is in the marts
    held = rows(
        warehouse,
        """select t.page_number, t.table_title, t.reason from marts.dim_document_table t
           join marts.dim_document d using (document_id)
           where d.file_name = ? and t.outcome = 'held'""",
        CONTRADICTING,
    )
    assert (11, "2026年预算单位支出预算总表", "reconciliation") in held
    assert rows(
        warehouse,
        """select count(*) from marts.fct_expenditure f join marts.dim_document d
           using (document_id) where d.file_name = ? and f.budget_scope = 'all_funds'""",
        CONTRADICTING,
    ) == [(0,)]


@pytest.mark.integration
def test_function_rows_equal_the_printed_ones(warehouse: Path) -> None:
    got = rows(
        warehouse,
        """select d.budget_level, f.budget_scope, f.total_yuan, f.basic_yuan, f.project_yuan
           from marts.fct_expenditure f join marts.dim_document d using (document_id)
           where d.file_name = '上海市普陀区人民政府办公室2025年部门预算.pdf'
             and f.function_code = '2010301'""",
    )
    # page 11 and 14: 201 03 01 行政运行 12,029,501.84 | 11,919,501.84 | 110,000.00
    printed = (Decimal("12029501.84"), Decimal("11919501.84"), Decimal("110000.00"))
    assert sorted(got) == [
        ("department", "all_funds", *printed),
        ("department", "general_public_budget", *printed),
    ]


@pytest.mark.integration
def test_totals_per_document_equal_the_printed_total_row(warehouse: Path) -> None:
    totals = dict(
        rows(
            warehouse,
            """select d.file_name, sum(f.total_yuan) from marts.fct_expenditure f
               join marts.dim_document d using (document_id)
               where f.budget_scope = 'all_funds' group by 1""",
        )
    )
    assert totals["上海市普陀区人民政府办公室2025年部门预算.pdf"] == Decimal("91016775.35")
    # the 2025 street office prints whole yuan and a 1-元 slip in 21201 (its 项 rows sum to
    # 94,995,789, it prints 94,995,790); the 项 rows still add up to the 合计 of p18 and p24
    assert totals[ONE_YUAN_SLIP] == Decimal("189767551")


@pytest.mark.integration
def test_department_and_unit_budgets_are_kept_apart(warehouse: Path) -> None:
    levels = rows(
        warehouse,
        """select d.budget_level, count(*), sum(f.total_yuan)
           from marts.fct_expenditure f join marts.dim_document d using (document_id)
           join marts.dim_department dep on dep.department_key = d.department_key
           where dep.department_name = '上海市普陀区人民政府办公室'
             and f.budget_scope = 'all_funds'
           group by 1 order by 1""",
    )
    # one unit: both documents print the same amounts (12 项 rows, 合计 91,016,775.35 on
    # p12), and BI can tell them apart
    printed = (12, Decimal("91016775.35"))
    assert levels == [("department", *printed), ("unit", *printed)]
    [(department_key_count,)] = rows(
        warehouse,
        "select count(*) from marts.dim_department "
        "where department_name = '上海市普陀区人民政府办公室'",
    )
    assert department_key_count == 1
    [(region, province)] = rows(
        warehouse,
        "select region, province from marts.dim_department "
        "where department_name = '上海市普陀区司法局'",
    )
    assert (region, province) == ("上海市普陀区", "上海市")


@pytest.mark.integration
def test_economic_rows_and_three_public_equal_the_printed_ones(warehouse: Path) -> None:
    street_2024 = "上海市普陀区人民政府万里街道办事处2024年预算.pdf"
    economic = dict(
        rows(
            warehouse,
            """select f.economic_code, f.amount_yuan from marts.fct_basic_expenditure f
               join marts.dim_document d using (document_id) where d.file_name = ?""",
            street_2024,
        )
    )
    # pages 29-30: 302 | 04 手续费 30,000; 301 | 2 津贴补贴 16,623,810; 302 | 05 水费 277,500
    assert economic["30204"] == Decimal("30000")
    assert economic["30102"] == Decimal("16623810")
    assert economic["30205"] == Decimal("277500")
    assert sum(economic.values()) == Decimal("99706020")  # the printed 合计
    three_public = dict(
        rows(
            warehouse,
            """select f.category, f.amount_yuan from marts.fct_three_public f
               join marts.dim_document d using (document_id) where d.file_name = ?""",
            street_2024,
        )
    )
    # page 31, printed in 万元: 合计 47.91, 接待 1.35, 购置 25, 运行维护 21.56
    assert three_public["total"] == Decimal("479100")
    assert three_public["reception"] == Decimal("13500")
    assert three_public["vehicle_purchase"] == Decimal("250000")
    assert three_public["vehicle_operation"] == Decimal("215600")


@pytest.mark.integration
def test_one_department_key_across_years(warehouse: Path) -> None:
    years = rows(
        warehouse,
        """select d.fiscal_year from marts.dim_document d
           join marts.dim_department dep using (department_key)
           where dep.department_name = '上海市普陀区人民政府万里街道办事处' order by 1""",
    )
    assert years == [(2024,), (2025,)]


@pytest.mark.integration
@pytest.mark.parametrize("built", ["real_warehouse", "national_warehouse"])
def test_every_fact_row_names_its_department_region_and_year(
    built: str, request: pytest.FixtureRequest
) -> None:
    """Every mart row that carries a department (the facts, dim_document, dim_project)
    names one of dim_department with its region and province, and its fiscal year: in the
    warehouse of the Shanghai PDFs and in that of every real national PDF."""
    assert unnamed_fact_rows(request.getfixturevalue(built)) == {}


@pytest.mark.integration
@pytest.mark.parametrize(
    ("file_name", "printed"),
    [
        # page 20, 万元: 合计 867.50 = 出国 839.00 + 接待 28.50, no vehicles
        (
            "上海市普陀区人民政府办公室2025年单位预算.pdf",
            {"total": "867.50", "overseas_travel": "839.00", "reception": "28.50",
             "vehicle_total": "0"},
        ),
        # page 21, 万元: 合计 10.81 = 接待 0.83 + 公务用车运行维护 9.98
        (
            "上海市普陀区司法局2026年部门预算.pdf",
            {"total": "10.81", "overseas_travel": "0", "reception": "0.83",
             "vehicle_total": "9.98", "vehicle_operation": "9.98"},
        ),
    ],
)  # fmt: skip
def test_three_public_per_document(
    warehouse: Path, file_name: str, printed: dict[str, str]
) -> None:
    got = dict(
        rows(
            warehouse,
            """select f.category, f.amount_yuan from marts.fct_three_public f
               join marts.dim_document d using (document_id) where d.file_name = ?""",
            file_name,
        )
    )
    assert {k: got[k] for k in printed} == {k: Decimal(v) * 10000 for k, v in printed.items()}


@pytest.mark.integration
def test_budget_summary_and_income_by_source_equal_the_printed_ones(warehouse: Path) -> None:
    # 商务委员会2025 部门: 部门财务收支预算总表 (page 9), 财政拨款收支预算总表 (page 14) and
    # 部门收入预算总表 (pages 10-11), read from the PDF
    commerce = "上海市普陀区商务委员会2025年部门预算.pdf"
    summary = rows(
        warehouse,
        """select s.table_kind, s.side, s.line_kind, s.class_code, s.amount_yuan, s.page_number
           from marts.fct_budget_summary s join marts.dim_document d using (document_id)
           where d.file_name = ? and (s.line_kind = 'total' or s.class_code = '215')""",
        commerce,
    )
    total = Decimal("371514655.00")
    assert sorted(summary) == [
        ("all_funds", "expenditure", "item", "215", Decimal("293810000.00"), 9),
        ("all_funds", "expenditure", "total", None, total, 9),
        ("all_funds", "income", "total", None, total, 9),
        ("fiscal_grants", "expenditure", "item", "215", Decimal("293810000.00"), 14),
        ("fiscal_grants", "expenditure", "total", None, total, 14),
        ("fiscal_grants", "income", "total", None, total, 14),
    ]
    income = rows(
        warehouse,
        """select i.income_source, i.amount_yuan from marts.fct_income i
           join marts.dim_document d using (document_id)
           where d.file_name = ? and i.row_kind = 'total'""",
        commerce,
    )
    assert sorted(income) == [("fiscal_grant", total), ("total", total)]
    # every loaded document balances: income total = expenditure total, both tables
    unbalanced = rows(
        warehouse,
        """select document_id, table_kind from marts.fct_budget_summary
           where line_kind = 'total'
           group by all having count(distinct amount_yuan) <> 1 or count(*) <> 2""",
    )
    assert unbalanced == []
    documents = rows(warehouse, "select count(distinct document_id) from marts.fct_budget_summary")
    # the seven consistent documents, and the contradicting one, whose 收支总表 and
    # 收入总表 loaded while its function tables were held back
    assert documents == [(8,)]
