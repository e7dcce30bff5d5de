"""Sample budget-disclosure PDFs (部门预算公开) rendered from specs.

The specs are the source of truth: every amount, code, name and indicator printed in a
sample PDF comes from a dataclass here, so tests can compare what extraction returns with
what was printed. Parents (类, 款, 合计, 基本支出) are computed from their children, and
the 收支总表 (income and expenditure side by side, one line per class) and 收入总表 (income
by source per function code) from the function rows, so the bundled documents reconcile,
except where a spec records a deliberate misprint as a `Discrepancy`.

The PDFs imitate the real exports (Excel/Word to PDF): ruled grids, merged header and
indicator cells, tables continued on the next page with the header repeated, blank cells
for zero, thousands separators. They use reportlab's built-in CID font STSong-Light, so no
font file is needed and pdfplumber extracts the Chinese text exactly.

    python -m tools.samplegen OUT_DIR
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

__all__ = [
    "DEFAULT_SPECS",
    "FUNCTION_CODE_NAMES",
    "AmountColumn",
    "AmountUnit",
    "BudgetLevel",
    "BudgetScope",
    "BudgetSummaryTable",
    "DepartmentPerformanceTable",
    "Discrepancy",
    "DocumentSpec",
    "EconomicRow",
    "EconomicTable",
    "FunctionLayout",
    "FunctionRow",
    "FunctionTable",
    "IncomeRow",
    "IncomeTable",
    "IndicatorRow",
    "ProjectForm",
    "RenderedDocument",
    "RowKind",
    "SpecTable",
    "SummaryLine",
    "SummaryLineKind",
    "Task",
    "ThreePublicTable",
    "economic_name",
    "economic_table",
    "format_amount",
    "function_name",
    "main",
    "render",
    "render_all",
    "sample_specs",
]

AmountUnit = Literal["万元", "元"]
BudgetLevel = Literal["department", "unit"]
BudgetScope = Literal["all_funds", "general_public_budget"]
RowKind = Literal["total", "unit", "code"]
AmountColumn = Literal["total", "basic", "project", "personnel", "public"]
# How a function table prints its codes:
#   code_columns_with_unit  类|款|项|单位代码|单位（科目名称）, 项 rows only (部门支出总体情况表)
#   code_hierarchy          one 科目编码 column, 3/5/7-digit 类/款/项 rows (一般公共预算支出情况表)
#   code_columns_hierarchy  类|款|项 columns with 类 and 款 rows, no 人员/公用 split (Shanghai)
FunctionLayout = Literal["code_columns_with_unit", "code_hierarchy", "code_columns_hierarchy"]

FONT = "STSong-Light"
ZERO = Decimal(0)
DECIMALS: dict[str, int] = {"万元": 1, "元": 2}

# 政府收支分类科目 (expenditure function classification) names used by the samples.
FUNCTION_CODE_NAMES: dict[str, str] = {
    "205": "教育支出",
    "20501": "教育管理事务",
    "2050101": "行政运行",
    "2050102": "一般行政管理事务",
    "2050199": "其他教育管理事务支出",
    "20502": "普通教育",
    "2050201": "学前教育",
    "2050202": "小学教育",
    "2050203": "初中教育",
    "2050204": "高中教育",
    "20503": "职业教育",
    "2050302": "中等职业教育",
    "20507": "特殊教育",
    "2050701": "特殊学校教育",
    "20508": "进修及培训",
    "2050801": "教师进修",
    "20509": "教育费附加安排的支出",
    "2050999": "其他教育费附加安排的支出",
    "207": "文化旅游体育与传媒支出",
    "20701": "文化和旅游",
    "2070101": "行政运行",
    "2070104": "图书馆",
    "2070108": "文化活动",
    "2070109": "群众文化",
    "2070112": "文化和旅游市场管理",
    "2070199": "其他文化和旅游支出",
    "20702": "文物",
    "2070204": "文物保护",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出",
    "2080501": "行政单位离退休",
    "2080502": "事业单位离退休",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "20808": "抚恤",
    "2080801": "死亡抚恤",
    "210": "卫生健康支出",
    "21001": "卫生健康管理事务",
    "2100101": "行政运行",
    "2100199": "其他卫生健康管理事务支出",
    "21004": "公共卫生",
    "2100401": "疾病预防控制机构",
    "2100408": "基本公共卫生服务",
    "2100409": "重大公共卫生服务",
    "21007": "计划生育事务",
    "2100717": "计划生育服务",
    "2100799": "其他计划生育事务支出",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗",
    "2101102": "事业单位医疗",
    "2101103": "公务员医疗补助",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
    "2210203": "购房补贴",
}


@cache
def _printed_names(file_name: str, code_column: str) -> dict[str, str]:
    """code -> the first name a real budget printed it with (extract/reference/)."""
    text = resources.files("extract.reference").joinpath(file_name).read_text("utf-8")
    names: dict[str, str] = {}
    for row in csv.DictReader(text.splitlines()):
        names.setdefault(row[code_column], row["name_as_printed"])
    return names


def function_name(code: str) -> str:
    """A function code's name: the samples' own, else as a real budget printed it."""
    return (
        FUNCTION_CODE_NAMES.get(code) or _printed_names("function_names.csv", "function_code")[code]
    )


def economic_name(code: str) -> str:
    """An economic code's name (部门预算支出经济分类) as a real budget printed it."""
    return _printed_names("economic_names.csv", "economic_code")[code]


# --------------------------------------------------------------------------- specs


@dataclass(frozen=True)
class FunctionRow:
    """One printed row of a function-classification table, amounts as printed.

    `personnel` and `public` are None where the layout does not print them; a zero amount
    is Decimal 0 whether the table prints it blank or as "0.0".
    """

    code: str | None
    name: str
    total: Decimal
    basic: Decimal
    project: Decimal
    personnel: Decimal | None = None
    public: Decimal | None = None
    unit_code: str | None = None
    kind: RowKind = "code"

    def __post_init__(self) -> None:
        if self.kind == "code":
            if self.code is None or not self.code.isdigit() or len(self.code) not in (3, 5, 7):
                raise ValueError(f"function code must have 3, 5 or 7 digits, got {self.code!r}")
        elif self.code is not None:
            raise ValueError(f"a {self.kind} row carries no function code")

    @property
    def level(self) -> int | None:
        """1 类, 2 款, 3 项; None on total and unit rows."""
        return None if self.code is None else {3: 1, 5: 2, 7: 3}[len(self.code)]


@dataclass(frozen=True)
class FunctionTable:
    """A 支出 table by function code (部门支出总体情况表, 一般公共预算支出情况表, ...)."""

    title: str
    scope: BudgetScope
    layout: FunctionLayout
    rows: tuple[FunctionRow, ...]
    zero_as_blank: bool = True
    thousands_separator: bool = True
    note: str | None = None

    @property
    def total_row(self) -> FunctionRow:
        return next(row for row in self.rows if row.kind == "total")

    @property
    def total_last(self) -> bool:
        return self.rows[-1].kind == "total"

    @property
    def prints_personnel(self) -> bool:
        return self.layout != "code_columns_hierarchy"

    def row(self, code: str) -> FunctionRow:
        return next(row for row in self.rows if row.code == code)


@dataclass(frozen=True)
class IndicatorRow:
    """One performance indicator; level1/level2 repeat on every row (merged when printed)."""

    level1: str
    level2: str
    level3: str
    value: str
    description: str = ""


@dataclass(frozen=True)
class Task:
    """A 年度主要任务 line of the department performance table."""

    name: str
    content: str


@dataclass(frozen=True)
class DepartmentPerformanceTable:
    """部门（单位）整体绩效目标表."""

    department: str
    annual_goal: str
    tasks: tuple[Task, ...]
    budget_total: Decimal
    government_funds: Decimal
    special_account_funds: Decimal
    unit_funds: Decimal
    basic: Decimal
    project: Decimal
    indicators: tuple[IndicatorRow, ...]
    title: str = "部门（单位）整体绩效目标表"


@dataclass(frozen=True)
class ProjectForm:
    """One 项目绩效目标表 form. `amount` is 年度资金总额; 政府预算资金 is the remainder."""

    name: str
    department: str
    unit: str
    amount: Decimal
    indicators: tuple[IndicatorRow, ...]
    goal: str = ""
    function_code: str = ""
    special_account_amount: Decimal = ZERO  # 财政专户管理资金
    unit_funds_amount: Decimal = ZERO  # 单位资金
    title: str = "项目绩效目标表"

    def __post_init__(self) -> None:
        if self.special_account_amount + self.unit_funds_amount > self.amount:
            raise ValueError(f"{self.name}: fund sources exceed 年度资金总额 {self.amount}")

    @property
    def government_amount(self) -> Decimal:
        """其中：政府预算资金 (here: 一般公共预算)."""
        return self.amount - self.special_account_amount - self.unit_funds_amount


@dataclass(frozen=True)
class Discrepancy:
    """A deliberate misprint: the printed figure differs from the sum of its children."""

    table_title: str
    function_code: str
    name: str
    column: AmountColumn  # the FunctionRow attribute that is misprinted
    printed: Decimal
    expected: Decimal
    detail: str


SummaryLineKind = Literal["item", "of_which", "carryover", "current_total", "total"]


@dataclass(frozen=True)
class SummaryLine:
    """One half-row of a 收支总表 as printed, and what extraction must read from it.

    `amount` is None where the cell is printed blank; `class_code` is the 类 an expenditure
    line restates (None on income lines and totals); `kind` is the family's line_kind.
    """

    label: str
    amount: Decimal | None
    kind: SummaryLineKind = "item"
    class_code: str | None = None


@dataclass(frozen=True)
class BudgetSummaryTable:
    """收支总表 (部门收支总体情况表, 部门财务收支预算总表): income and expenditure side by side.

    `income` and `expenditure` are the body lines of each half, printed top-down from the
    first body row (the shorter half leaves its cells blank); `blank_rows` empty rows follow;
    `footer` pairs the rows both halves end on (本年收入合计 | 本年支出合计 … 收入总计 | 支出总计).
    """

    title: str
    headings: tuple[str, str]  # over each half: 收入 | 支出, 本年收入 | 本年支出
    amount_heading: str  # 金额, 预算数
    income: tuple[SummaryLine, ...]
    expenditure: tuple[SummaryLine, ...]
    footer: tuple[tuple[SummaryLine, SummaryLine], ...]
    blank_rows: int = 0
    zero_as_blank: bool = True
    thousands_separator: bool = True

    @property
    def income_lines(self) -> tuple[SummaryLine, ...]:
        """Every income line, top-down, footer included."""
        return (*self.income, *(left for left, _ in self.footer))

    @property
    def expenditure_lines(self) -> tuple[SummaryLine, ...]:
        """Every expenditure line, top-down, footer included."""
        return (*self.expenditure, *(right for _, right in self.footer))


@dataclass(frozen=True)
class IncomeRow:
    """One printed row of a 收入总表: amounts[i] is the IncomeTable.sources[i] column."""

    code: str | None
    name: str
    amounts: tuple[Decimal, ...]
    kind: RowKind = "code"


@dataclass(frozen=True)
class IncomeTable:
    """收入总表 (部门收入总体情况表, 部门收入预算总表): income by source per function code.

    `sources` are (income_source the family stages, header as printed), 合计 first.
    `layout` is code_hierarchy (one 科目编码 column) or code_columns_hierarchy (类|款|项).
    """

    title: str
    layout: FunctionLayout
    sources: tuple[tuple[str, str], ...]
    rows: tuple[IncomeRow, ...]
    zero_as_blank: bool = True
    thousands_separator: bool = True

    @property
    def total_row(self) -> IncomeRow:
        return next(row for row in self.rows if row.kind == "total")

    def row(self, code: str) -> IncomeRow:
        return next(row for row in self.rows if row.code == code)

    def amount(self, row: IncomeRow, source: str) -> Decimal:
        keys = [key for key, _ in self.sources]
        return row.amounts[keys.index(source)]


@dataclass(frozen=True)
class EconomicRow:
    """One printed row of a basic-expenditure table by economic code (类 3, 款 5 digits)."""

    code: str | None
    name: str
    personnel: Decimal
    public: Decimal
    kind: Literal["total", "code"] = "code"

    @property
    def total(self) -> Decimal:
        return self.personnel + self.public


@dataclass(frozen=True)
class EconomicTable:
    """一般公共预算基本支出表: 合计, then each 类 followed by its 款 (`economic_table`)."""

    title: str
    rows: tuple[EconomicRow, ...]
    zero_as_blank: bool = True

    @property
    def total_row(self) -> EconomicRow:
        return next(row for row in self.rows if row.kind == "total")


@dataclass(frozen=True)
class ThreePublicTable:
    """一般公共预算“三公”经费支出情况表, categories down the rows (项目 | 预算数)."""

    title: str
    overseas_travel: Decimal
    reception: Decimal
    vehicle_purchase: Decimal
    vehicle_operation: Decimal

    @property
    def vehicle_total(self) -> Decimal:
        return self.vehicle_purchase + self.vehicle_operation

    @property
    def total(self) -> Decimal:
        return self.overseas_travel + self.reception + self.vehicle_total


SpecTable = (
    FunctionTable
    | DepartmentPerformanceTable
    | ProjectForm
    | BudgetSummaryTable
    | IncomeTable
    | EconomicTable
    | ThreePublicTable
)


@dataclass(frozen=True)
class DocumentSpec:
    """One sample document: what it prints, in order, and what a load must conclude."""

    file_name: str
    title: str
    department: str
    fiscal_year: int
    unit: AmountUnit
    budget_level: BudgetLevel
    province: str
    region: str
    unit_code: str
    narrative: tuple[str, ...]
    tables: tuple[SpecTable, ...]
    department_label: str = "部门名称"  # Shanghai prints 编制部门
    discrepancies: tuple[Discrepancy, ...] = ()

    def __post_init__(self) -> None:
        if self.unit not in DECIMALS:
            raise ValueError(f"unit must be 万元 or 元, got {self.unit!r}")
        if self.budget_level not in ("department", "unit"):
            raise ValueError(f"budget_level must be department or unit, got {self.budget_level!r}")
        if not self.file_name.endswith(".pdf"):
            raise ValueError(f"file_name must end with .pdf, got {self.file_name!r}")

    @property
    def decimals(self) -> int:
        return DECIMALS[self.unit]

    @property
    def expected_status(self) -> Literal["loaded", "quarantined"]:
        return "quarantined" if self.discrepancies else "loaded"

    @property
    def function_tables(self) -> tuple[FunctionTable, ...]:
        return tuple(t for t in self.tables if isinstance(t, FunctionTable))

    @property
    def project_forms(self) -> tuple[ProjectForm, ...]:
        return tuple(t for t in self.tables if isinstance(t, ProjectForm))

    @property
    def performance_tables(self) -> tuple[DepartmentPerformanceTable, ...]:
        return tuple(t for t in self.tables if isinstance(t, DepartmentPerformanceTable))

    @property
    def budget_summaries(self) -> tuple[BudgetSummaryTable, ...]:
        return tuple(t for t in self.tables if isinstance(t, BudgetSummaryTable))

    @property
    def income_tables(self) -> tuple[IncomeTable, ...]:
        return tuple(t for t in self.tables if isinstance(t, IncomeTable))

    def function_table(self, scope: BudgetScope) -> FunctionTable:
        return next(t for t in self.function_tables if t.scope == scope)


@dataclass(frozen=True)
class RenderedDocument:
    """Where a spec's tables landed: table_pages[i] = (first, last) page of spec.tables[i]."""

    path: Path
    page_count: int
    table_pages: tuple[tuple[int, int], ...]


# ------------------------------------------------------------------ building the numbers


@dataclass(frozen=True)
class _Leaf:
    """Input for one 项 code: basic expenditure and project money by fund source."""

    code: str
    personnel: Decimal = ZERO
    public: Decimal = ZERO
    project_gpb: Decimal = ZERO  # 一般公共预算
    project_other: Decimal = ZERO  # 财政专户管理资金, 事业收入, 单位资金


def _d(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _leaves(
    basic: Iterable[tuple[str, str, str]],
    projects: Iterable[tuple[str, Decimal, Decimal]],
) -> tuple[_Leaf, ...]:
    """Merge basic (code, personnel, public) and project (code, gpb, other) inputs by code."""
    merged: dict[str, _Leaf] = {}
    for code, personnel, public in basic:
        merged[code] = _Leaf(code, _d(personnel), _d(public))
    for code, gpb, other in projects:
        leaf = merged.get(code, _Leaf(code))
        merged[code] = replace(
            leaf, project_gpb=leaf.project_gpb + gpb, project_other=leaf.project_other + other
        )
    return tuple(merged[code] for code in sorted(merged))


def _leaf_row(leaf: _Leaf, scope: BudgetScope, unit_code: str | None) -> FunctionRow:
    project = leaf.project_gpb + (leaf.project_other if scope == "all_funds" else ZERO)
    basic = leaf.personnel + leaf.public
    return FunctionRow(
        code=leaf.code,
        name=function_name(leaf.code),
        total=basic + project,
        basic=basic,
        project=project,
        personnel=leaf.personnel,
        public=leaf.public,
        unit_code=unit_code,
    )


def _sum_row(
    children: Sequence[FunctionRow],
    *,
    code: str | None,
    name: str,
    kind: RowKind,
    unit_code: str | None = None,
) -> FunctionRow:
    def total(attr: str) -> Decimal:
        return sum((getattr(child, attr) for child in children), ZERO)

    return FunctionRow(
        code=code,
        name=name,
        total=total("total"),
        basic=total("basic"),
        project=total("project"),
        personnel=total("personnel"),
        public=total("public"),
        unit_code=unit_code,
        kind=kind,
    )


class _Coded(Protocol):
    @property
    def code(self) -> str | None: ...


_Row = TypeVar("_Row", bound=_Coded)


def _hierarchy(items: Sequence[_Row], parent: Callable[[Sequence[_Row], str], _Row]) -> list[_Row]:
    """类 row, its 款 rows each followed by their 项 rows; `parent(children, code)` sums."""

    def prefix(length: int) -> Callable[[_Row], str]:
        return lambda row: (row.code or "")[:length]

    rows: list[_Row] = []
    for class_code, in_class in itertools.groupby(items, key=prefix(3)):
        class_items = list(in_class)
        rows.append(parent(class_items, class_code))
        for kuan_code, in_kuan in itertools.groupby(class_items, key=prefix(5)):
            kuan_items = list(in_kuan)
            rows.append(parent(kuan_items, kuan_code))
            rows.extend(kuan_items)
    return rows


def _function_parent(children: Sequence[FunctionRow], code: str) -> FunctionRow:
    return _sum_row(children, code=code, name=function_name(code), kind="code")


def _function_rows(
    leaves: Sequence[_Leaf],
    *,
    scope: BudgetScope,
    layout: FunctionLayout,
    department: str,
    unit_code: str,
    total_last: bool = False,
) -> tuple[FunctionRow, ...]:
    items = [row for row in (_leaf_row(leaf, scope, None) for leaf in leaves) if row.total != ZERO]
    total = _sum_row(items, code=None, name="合计", kind="total")
    body: list[FunctionRow]
    if layout == "code_columns_with_unit":
        items = [replace(row, unit_code=unit_code) for row in items]
        unit_row = _sum_row(items, code=None, name=department, kind="unit", unit_code=unit_code)
        body = [unit_row, *items]
    else:
        body = _hierarchy(items, _function_parent)
    if layout == "code_columns_hierarchy":  # Shanghai prints no 人员经费/公用经费 split
        total = replace(total, personnel=None, public=None)
        body = [replace(row, personnel=None, public=None) for row in body]
    return (*body, total) if total_last else (total, *body)


def _misprint(
    table: FunctionTable, code: str, column: AmountColumn, printed: Decimal
) -> tuple[FunctionTable, Discrepancy]:
    """Replace one printed figure; the Discrepancy records what its children sum to."""
    original = table.row(code)
    children = [
        row
        for row in table.rows
        if row.code is not None
        and row.code != code
        and row.code.startswith(code)
        and len(row.code) == len(code) + 2
    ]
    expected = sum((getattr(row, column) for row in children), ZERO)
    changes: dict[str, Any] = {column: printed}
    rows = tuple(replace(row, **changes) if row is original else row for row in table.rows)
    discrepancy = Discrepancy(
        table_title=table.title,
        function_code=code,
        name=original.name,
        column=column,
        printed=printed,
        expected=expected,
        detail=(
            f"{table.title}: {code} {original.name} prints {column} {printed} "
            f"but its {len(children)} child rows sum to {expected}"
        ),
    )
    return replace(table, rows=rows), discrepancy


def _class_totals(table: FunctionTable) -> dict[str, Decimal]:
    """类 code -> the sum of the table's 项 rows under it (its printed or implied 类 row)."""
    totals: dict[str, Decimal] = {}
    for row in table.rows:
        if row.code is not None and len(row.code) == 7:
            totals[row.code[:3]] = totals.get(row.code[:3], ZERO) + row.total
    return totals


def _income_rows(
    leaves: Sequence[_Leaf],
    sources: Sequence[str],
    split: Callable[[_Leaf], dict[str, Decimal]],
    *,
    total_last: bool = False,
) -> tuple[IncomeRow, ...]:
    """合计 and 类/款/项 rows of a 收入总表; `split(leaf)` gives a 项 code's money by source."""

    def amounts(leaf: _Leaf) -> tuple[Decimal, ...]:
        by_source = split(leaf)
        return tuple(by_source.get(key, ZERO) for key in sources)

    def summed(children: Sequence[IncomeRow], code: str | None, name: str) -> IncomeRow:
        columns = zip(*(child.amounts for child in children), strict=True)
        totals = tuple(sum(column, ZERO) for column in columns)
        return IncomeRow(code, name, totals, "code" if code else "total")

    items = [IncomeRow(leaf.code, function_name(leaf.code), amounts(leaf)) for leaf in leaves]
    items = [row for row in items if any(row.amounts)]
    body = _hierarchy(items, lambda rows, code: summed(rows, code, function_name(code)))
    total = summed(items, None, "合计")
    return (*body, total) if total_last else (total, *body)


def economic_table(title: str, items: Sequence[tuple[str, Decimal, Decimal]]) -> EconomicTable:
    """A basic-expenditure table from its 款 (code, personnel, public): 合计 first, each 类
    row summing its 款 rows, names as real budgets print them."""
    rows = [EconomicRow(code, economic_name(code), p, q) for code, p, q in sorted(items)]

    def summed(children: Sequence[EconomicRow], code: str | None) -> EconomicRow:
        personnel = sum((row.personnel for row in children), ZERO)
        public = sum((row.public for row in children), ZERO)
        if code is None:
            return EconomicRow(None, "合计", personnel, public, "total")
        return EconomicRow(code, economic_name(code), personnel, public)

    body: list[EconomicRow] = []
    for class_code, in_class in itertools.groupby(rows, key=lambda row: (row.code or "")[:3]):
        children = list(in_class)
        body += [summed(children, class_code), *children]
    return EconomicTable(title=title, rows=(summed(rows, None), *body))


# 类 lines of the national 收支总表 (seed 003): ordinal = code - 200, names as printed there.
_NATIONAL_SUMMARY_CLASSES: tuple[tuple[str, str], ...] = (
    ("201", "一、一般公共服务"),
    ("202", "二、外交"),
    ("203", "三、国防"),
    ("204", "四、公共安全"),
    ("205", "五、教育"),
    ("206", "六、科学技术"),
    ("207", "七、文化旅游体育与传媒"),
    ("208", "八、社会保障和就业"),
    ("209", "九、社会保险基金支出"),
    ("210", "十、卫生健康"),
    ("211", "十一、节能环保"),
    ("212", "十二、城乡社区事务"),
    ("213", "十三、农林水事务"),
    ("214", "十四、交通运输"),
    ("215", "十五、资源勘探信息等"),
    ("216", "十六、商业服务业等"),
    ("217", "十七、金融支出"),
    ("219", "十九、援助其他地区支出"),
    ("220", "二十、自然资源海洋气象等支出"),
    ("221", "二十一、住房保障支出"),
    ("222", "二十二、粮油物资储备支出"),
    ("223", "二十三、国有资本经营预算"),
    ("224", "二十四、灾害防治及应急管理"),
    ("227", "二十七、预备费"),
    ("229", "二十九、其他支出"),
    ("230", "三十、转移性支出"),
    ("231", "三十一、债务还本支出"),
    ("232", "三十二、债务付息支出"),
    ("233", "三十三、债务发行费用支出"),
    ("234", "三十四、抗疫特别国债安排的支出"),
)


def _cn_ordinal(n: int) -> str:
    """1 -> 一, 12 -> 十二, 34 -> 三十四 (the numbering of 收支总表 lines)."""
    digits = "一二三四五六七八九"
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens - 1] + "十")
    return head + (digits[ones - 1] if ones else "")


def _blank_if_zero(amount: Decimal) -> Decimal | None:
    return None if amount == ZERO else amount


def _henan_summary(title: str, all_funds: FunctionTable, gpb: FunctionTable) -> BudgetSummaryTable:
    """部门收支总体情况表 as seed 003 prints it: nine income sources, every national class."""
    total, g = all_funds.total_row.total, gpb.total_row.total
    classes = _class_totals(all_funds)
    sources = [
        ("二、政府性基金预算拨款收入", ZERO),
        ("三、国有资本经营预算拨款收入", ZERO),
        ("四、财政专户管理资金收入", total - g),
        ("五、事业收入", ZERO),
        ("六、事业单位经营收入", ZERO),
        ("七、上级补助收入", ZERO),
        ("八、附属单位上缴收入", ZERO),
        ("九、其他收入", ZERO),
    ]
    income = (
        SummaryLine("一、一般公共预算", g),
        SummaryLine("其中：财政拨款", g, "of_which"),
        *(SummaryLine(label, _blank_if_zero(amount)) for label, amount in sources),
    )
    expenditure = tuple(
        SummaryLine(label, classes.get(code), class_code=code)
        for code, label in _NATIONAL_SUMMARY_CLASSES
    )
    footer = (
        (
            SummaryLine("本年收入合计", total, "current_total"),
            SummaryLine("本年支出合计", total, "current_total"),
        ),
        (
            SummaryLine("上年结转结余", None, "carryover"),
            SummaryLine("年终结转结余", None, "carryover"),
        ),
        (SummaryLine("收入总计", total, "total"), SummaryLine("支出总计", total, "total")),
    )
    return BudgetSummaryTable(
        title=title,
        headings=("收入", "支出"),
        amount_heading="金额",
        income=income,
        expenditure=expenditure,
        footer=footer,
    )


def _shanghai_summary(
    title: str, all_funds: FunctionTable, gpb: FunctionTable
) -> BudgetSummaryTable:
    """部门财务收支预算总表 (Shanghai): classes numbered 一、二、… over the classes present."""
    total, g = all_funds.total_row.total, gpb.total_row.total
    classes = _class_totals(all_funds)
    income = (
        SummaryLine("一、财政拨款收入", g),
        SummaryLine("1. 一般公共预算", g),
        SummaryLine("2. 政府性基金预算", ZERO),
        SummaryLine("3. 国有资本经营预算", ZERO),
        SummaryLine("二、事业收入", total - g),
        SummaryLine("三、事业单位经营收入", ZERO),
        SummaryLine("四、其他收入", ZERO),
    )
    expenditure = tuple(
        SummaryLine(f"{_cn_ordinal(i)}、{function_name(code)}", amount, class_code=code)
        for i, (code, amount) in enumerate(sorted(classes.items()), start=1)
    )
    return BudgetSummaryTable(
        title=title,
        headings=("本年收入", "本年支出"),
        amount_heading="预算数",
        income=income,
        expenditure=expenditure,
        footer=(
            (SummaryLine("收入总计", total, "total"), SummaryLine("支出总计", total, "total")),
        ),
        blank_rows=3,
        zero_as_blank=False,
    )


def _percent(part: Decimal, whole: Decimal) -> str:
    return f"{(part * 100 / whole).quantize(Decimal('0.01'))}%"


def _plain(amount: Decimal) -> str:
    """Amount as narrative prose prints it: no separators, trailing zeros kept."""
    return f"{amount}"


def _indicators(
    rows: Iterable[tuple[str, str, str, str] | tuple[str, str, str, str, str]],
) -> tuple[IndicatorRow, ...]:
    """Indicator rows from tuples; an empty level1/level2 repeats the one above."""
    out: list[IndicatorRow] = []
    level1 = level2 = ""
    for row in rows:
        l1, l2, l3, value, *rest = row
        if l1:  # a new 一级指标 starts a new 二级指标 too
            level1, level2 = l1, l2
        else:
            level2 = l2 or level2
        out.append(IndicatorRow(level1, level2, l3, value, rest[0] if rest else ""))
    return tuple(out)


def _indicator_lines(text: str) -> tuple[IndicatorRow, ...]:
    """Indicator rows from "一级|二级|三级|指标值|说明" lines, blanks repeating the row above."""
    rows = []
    for line in text.strip().splitlines():
        l1, l2, l3, value, description = (line.split("|") + [""] * 5)[:5]
        rows.append((l1, l2, l3, value, description))
    return _indicators(rows)


_EDUCATION_DEPARTMENT_INDICATORS = """
投入管理指标|工作目标管理|年度履职目标相关性|相关|年度履职目标与部门职责、全县教育发展规划相符
||工作任务科学性|科学
||绩效指标合理性|合理
|预算和财务管理|预算执行率|≥90%|预算执行率=（预算完成数/预算数）×100%
||预算调整率|≤10%|预算调整率=（预算调整数-年初预算数）/年初预算数×100%
||结转结余率|≤10%|结转结余率=结转结余总额/预算数×100%
||“三公经费”控制率|≤100%
||资金使用合规性|合规|是否符合国家财经法规和财务管理制度规定
||预决算信息公开性|按时公开|按规定内容和时限公开预决算信息
|绩效管理|绩效监控完成率|100%
产出指标|重点工作任务完成|义务教育巩固率|≥96%
||学前教育毛入园率|≥92%
||高中阶段毛入学率|≥93%
||校舍维修改造项目完成率|100%
|履职目标实现|适龄残疾儿童少年入学率|≥95%
效益指标|履职效益|义务教育优质均衡发展水平|持续提升
|满意度|学生家长满意度|≥90%|反映社会公众对全县教育工作的满意程度
"""


def _project_indicators(
    cost: tuple[str, str, str],
    outputs: Sequence[tuple[str, str, str]],
    social: tuple[str, str],
    satisfaction: tuple[str, str],
) -> tuple[IndicatorRow, ...]:
    """The Henan project template: empty 二级指标 rows stay, as real forms print them."""
    return _indicators(
        [
            ("成本指标", "经济成本指标", *cost),
            ("", "社会成本指标", "", ""),
            ("", "生态环境成本指标", "", ""),
            *(("产出指标" if i == 0 else "", *output, "") for i, output in enumerate(outputs)),
            ("效益指标", "经济效益指标", "", ""),
            ("", "社会效益指标", *social),
            ("", "生态效益指标", "", ""),
            ("满意度指标", "服务对象满意度指标", *satisfaction),
        ]
    )


# --------------------------------------------------------------------- sample documents


def _henan_education_2024() -> DocumentSpec:
    department = "豫东县教育局"
    unit_code = "105001"
    year = 2024

    def form(
        name: str,
        code: str,
        amount: str,
        goal: str,
        indicators: tuple[IndicatorRow, ...],
        special: str = "0",
    ) -> ProjectForm:
        return ProjectForm(
            name=name,
            department=department,
            unit=department,
            amount=_d(amount),
            indicators=indicators,
            goal=goal,
            function_code=code,
            special_account_amount=_d(special),
        )

    forms = (
        form(
            "教育信息化运维经费",
            "2050199",
            "120.0",
            "保障全县中小学校园网络、教育城域网和智慧教育平台稳定运行，全年运维响应及时。",
            _project_indicators(
                ("城域网及平台运维费用", "≤120万元", "按合同据实结算"),
                [
                    ("数量指标", "运维覆盖学校数", "≥186所"),
                    ("质量指标", "教育城域网正常运行率", "≥99%"),
                    ("时效指标", "故障响应时间", "≤2小时"),
                ],
                ("信息化教学常态化应用水平", "持续提升"),
                ("师生满意度", "≥90%"),
            ),
        ),
        form(
            "学前教育生均公用经费补助",
            "2050201",
            "368.5",
            "按每生每年不低于500元标准落实公办幼儿园生均公用经费，保障幼儿园正常运转。",
            _project_indicators(
                ("生均公用经费补助标准", "≥500元/生/年", ""),
                [
                    ("数量指标", "补助在园幼儿人数", "≥7370人"),
                    ("质量指标", "资金拨付准确率", "100%"),
                    ("时效指标", "资金拨付及时率", "100%"),
                ],
                ("学前教育毛入园率", "≥92%"),
                ("幼儿家长满意度", "≥90%"),
            ),
        ),
        form(
            "城乡义务教育公用经费保障机制资金",
            "2050202",
            "2,356.8",
            "落实城乡义务教育学校生均公用经费基准定额，小学每生每年720元，保障学校正常运转。",
            _project_indicators(
                ("小学生均公用经费基准定额", "720元/生/年", "按省定标准"),
                [
                    ("数量指标", "保障小学生人数", "≥32733人"),
                    ("数量指标", "覆盖小学数", "142所"),
                    ("质量指标", "资金使用合规率", "100%"),
                    ("时效指标", "资金下达时间", "预算批复60日内"),
                ],
                ("义务教育巩固率", "≥96%"),
                ("学生家长满意度", "≥90%"),
            ),
        ),
        form(
            "义务教育薄弱环节改善与能力提升",
            "2050203",
            "1,580.0",
            "改善12所农村初中办学条件，补齐寄宿、食堂和教学设施短板，年内完工验收。",
            _project_indicators(
                ("工程建设及设备购置成本", "≤1580万元", ""),
                [
                    ("数量指标", "改善办学条件学校数", "12所"),
                    ("质量指标", "工程验收合格率", "100%"),
                    ("时效指标", "项目完工时间", "2024年12月底前"),
                ],
                ("农村初中办学条件", "明显改善"),
                ("受益学校师生满意度", "≥90%"),
            ),
        ),
        form(
            "普通高中学费收入安排支出",
            "2050204",
            "860.0",
            "统筹普通高中学费收入用于学校教学运转和设施维护，保障高中教育教学质量。",
            _project_indicators(
                ("学费收入安排支出", "≤860万元", "以专户实际缴入数为准"),
                [
                    ("数量指标", "保障普通高中学校数", "5所"),
                    ("质量指标", "资金使用合规性", "合规"),
                    ("时效指标", "资金拨付及时率", "≥95%"),
                ],
                ("高中阶段毛入学率", "≥93%"),
                ("高中学生满意度", "≥90%"),
            ),
            special="860.0",
        ),
        form(
            "教育费附加安排校舍维修改造",
            "2050999",
            "2,150.0",
            "对全县38所中小学校舍实施维修改造，消除安全隐患，改善教学和生活条件。",
            _project_indicators(
                ("校舍维修改造成本", "≤2150万元", "按审定预算"),
                [
                    ("数量指标", "维修改造学校数", "38所"),
                    ("数量指标", "维修改造面积", "≥42000平方米"),
                    ("质量指标", "工程质量合格率", "100%"),
                    ("时效指标", "开工及时率", "100%"),
                ],
                ("校舍安全隐患消除率", "100%"),
                ("师生满意度", "≥90%"),
            ),
        ),
    )
    basic = [
        ("2050101", "412.6", "58.3"),
        ("2050201", "1,286.4", "96.2"),
        ("2050202", "9,874.5", "612.8"),
        ("2050203", "6,953.1", "447.9"),
        ("2050204", "3,215.7", "268.4"),
        ("2050302", "1,108.2", "92.6"),
        ("2050701", "186.3", "21.5"),
        ("2050801", "98.7", "15.2"),
        ("2080501", "52.3", "0"),
        ("2080502", "896.4", "0"),
        ("2080505", "2,634.8", "0"),
        ("2080506", "1,317.4", "0"),
        ("2080801", "35.6", "0"),
        ("2101101", "28.9", "0"),
        ("2101102", "1,102.6", "0"),
        ("2101103", "12.4", "0"),
        ("2210201", "1,975.3", "0"),
    ]
    leaves = _leaves(
        basic,
        [(f.function_code, f.government_amount, f.amount - f.government_amount) for f in forms],
    )
    all_funds = FunctionTable(
        title=f"{year}年部门支出总体情况表",
        scope="all_funds",
        layout="code_columns_with_unit",
        rows=_function_rows(
            leaves,
            scope="all_funds",
            layout="code_columns_with_unit",
            department=department,
            unit_code=unit_code,
        ),
    )
    gpb = FunctionTable(
        title=f"{year}年一般公共预算支出情况表",
        scope="general_public_budget",
        layout="code_hierarchy",
        rows=_function_rows(
            leaves,
            scope="general_public_budget",
            layout="code_hierarchy",
            department=department,
            unit_code=unit_code,
        ),
        note="备注：本表仅含当年一般公共预算财政拨款安排的支出",
    )
    summary = _henan_summary(f"{year}年部门收支总体情况表", all_funds, gpb)
    income = IncomeTable(
        title=f"{year}年部门收入总体情况表",
        layout="code_hierarchy",
        sources=(
            ("total", "合计"),
            ("general_public_budget", "一般公共预算"),
            ("government_fund", "政府性基金"),
            ("special_account", "财政专户管理资金"),
            ("business", "事业收入"),
        ),
        rows=_income_rows(
            leaves,
            ("total", "general_public_budget", "government_fund", "special_account", "business"),
            lambda leaf: {
                "total": leaf.personnel + leaf.public + leaf.project_gpb + leaf.project_other,
                "general_public_budget": leaf.personnel + leaf.public + leaf.project_gpb,
                "special_account": leaf.project_other,  # 普通高中学费 in the 财政专户
            },
        ),
    )
    total, g = all_funds.total_row, gpb.total_row
    special = total.total - g.total
    performance = DepartmentPerformanceTable(
        department=department,
        annual_goal=(
            "贯彻落实党和国家教育方针政策，统筹全县学前教育、义务教育、高中阶段教育和特殊教育"
            "发展；落实城乡义务教育经费保障机制和各类学生资助政策；推进义务教育优质均衡发展，"
            "改善农村薄弱学校办学条件；加强教师队伍建设和校园安全管理。"
        ),
        tasks=(
            Task("义务教育优质均衡发展", "落实义务教育经费保障机制，改善12所农村初中办学条件"),
            Task("学前教育普及普惠", "落实公办幼儿园生均公用经费，学前教育毛入园率达到92%以上"),
            Task("校舍安全保障", "实施38所中小学校舍维修改造，消除校舍安全隐患"),
        ),
        budget_total=total.total,
        government_funds=g.total,
        special_account_funds=special,
        unit_funds=ZERO,
        basic=total.basic,
        project=total.project,
        indicators=_indicator_lines(_EDUCATION_DEPARTMENT_INDICATORS),
    )
    personnel = total.personnel or ZERO
    public = total.public or ZERO
    narrative = (
        f"第一部分 {department}概况",
        f"{department}负责贯彻执行国家和省、市教育方针政策，统筹规划和管理全县各级各类教育事业。"
        f"{department}{year}年部门预算为部门本级及所属学校汇总编制的综合预算。",
        f"第二部分 {department}{year}年部门预算情况说明",
        "一、收入支出预算总体情况说明",
        f"{department}{year}年收入总计 {_plain(total.total)} 万元，"
        f"支出总计 {_plain(total.total)} 万元。",
        "二、收入预算总体情况说明",
        f"{department}{year}年收入合计 {_plain(total.total)} 万元，其中：一般公共预算 "
        f"{_plain(g.total)} 万元，财政专户管理资金 {_plain(special)} 万元。",
        "三、支出预算总体情况说明",
        f"{department}{year}年支出合计 {_plain(total.total)} 万元，其中：基本支出 "
        f"{_plain(total.basic)} 万元，占 {_percent(total.basic, total.total)}；项目支出 "
        f"{_plain(total.project)} 万元，占 {_percent(total.project, total.total)}。",
        "四、一般公共预算支出情况说明",
        f"{department}{year}年一般公共预算支出年初预算为 {_plain(g.total)} 万元。其中：基本支出 "
        f"{_plain(g.basic)} 万元；项目支出 {_plain(g.project)} 万元。",
        "五、一般公共预算基本支出情况说明",
        f"{department}{year}年一般公共预算基本支出年初预算为 {_plain(g.basic)} 万元。"
        f"其中：人员经费 {_plain(personnel)} 万元，占 {_percent(personnel, g.basic)}；公用经费 "
        f"{_plain(public)} 万元，占 {_percent(public, g.basic)}。",
        "六、预算绩效情况说明",
        f"{year}年{department}项目支出全面实施绩效目标管理，共{len(forms)}个项目，涉及资金 "
        f"{_plain(total.project)} 万元。",
    )
    return DocumentSpec(
        file_name="henan_county_education_2024.pdf",
        title=f"{department}{year}年部门预算公开",
        department=department,
        fiscal_year=year,
        unit="万元",
        budget_level="department",
        province="河南省",
        region="豫东县",
        unit_code=unit_code,
        narrative=narrative,
        tables=(summary, income, all_funds, gpb, performance, *forms),
    )


def _shanghai_culture_2023() -> DocumentSpec:
    department = "上海市浦江区文化和旅游局"
    unit_code = "238001"
    year = 2023
    leaves = _leaves(
        [
            ("2070101", "7,215,630.50", "1,240,691.07"),
            ("2070104", "2,786,420.00", "428,980.00"),
            ("2080501", "212,400.00", "0"),
            ("2080505", "1,032,567.00", "0"),
            ("2080506", "516,283.50", "0"),
            ("2101101", "658,932.00", "0"),
            ("2210201", "1,105,236.00", "0"),
            ("2210203", "1,286,400.00", "0"),
        ],
        [
            ("2070104", _d("1,860,000.00"), _d("320,000.00")),  # 事业收入 in all funds only
            ("2070108", _d("2,350,000.00"), ZERO),
            ("2070109", _d("1,120,500.00"), ZERO),
            ("2070112", _d("465,000.00"), ZERO),
            ("2070199", _d("780,000.00"), ZERO),
            ("2070204", _d("1,250,000.00"), ZERO),
        ],
    )

    def table(title: str, scope: BudgetScope, thousands: bool) -> FunctionTable:
        return FunctionTable(
            title=title,
            scope=scope,
            layout="code_columns_hierarchy",
            rows=_function_rows(
                leaves,
                scope=scope,
                layout="code_columns_hierarchy",
                department=department,
                unit_code=unit_code,
                total_last=True,
            ),
            zero_as_blank=False,
            thousands_separator=thousands,
        )

    all_funds = table(f"{year}年部门支出预算总表", "all_funds", thousands=False)
    gpb = table(f"{year}年部门一般公共预算支出功能分类预算表", "general_public_budget", True)
    summary = _shanghai_summary(f"{year}年部门财务收支预算总表", all_funds, gpb)
    sources = ("total", "fiscal_grant", "business", "operating", "other")
    income = IncomeTable(
        title=f"{year}年部门收入预算总表",
        layout="code_columns_hierarchy",
        sources=tuple(
            zip(
                sources,
                ("合计", "财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"),
                strict=True,
            )
        ),
        rows=_income_rows(
            leaves,
            sources,
            lambda leaf: {
                "total": leaf.personnel + leaf.public + leaf.project_gpb + leaf.project_other,
                "fiscal_grant": leaf.personnel + leaf.public + leaf.project_gpb,
                "business": leaf.project_other,
            },
            total_last=True,
        ),
        zero_as_blank=False,
        thousands_separator=False,
    )
    total, g = all_funds.total_row, gpb.total_row

    def wan(amount: Decimal) -> str:  # Shanghai prose quotes 万元 with 2 decimals
        return f"{(amount / 10000).quantize(Decimal('0.01'))}万元"

    narrative = (
        f"{year}年部门预算编制说明",
        f"{year}年，{department}收入预算{wan(total.total)}，其中：财政拨款收入{wan(g.total)}；"
        f"事业收入{wan(total.total - g.total)}；事业单位经营收入0万元；其他收入0万元。",
        f"支出预算{wan(total.total)}，其中：财政拨款支出预算{wan(g.total)}。财政拨款支出预算中，"
        f"一般公共预算拨款支出预算{wan(g.total)}；政府性基金拨款支出预算0万元。",
        f"{department}部门预算是包括局本部以及下属1家预算单位的综合收支计划。",
    )
    return DocumentSpec(
        file_name="shanghai_style_yuan_2023.pdf",
        title=f"上海市浦江区{year}年区级部门预算",
        department=department,
        fiscal_year=year,
        unit="元",
        budget_level="department",
        province="上海市",
        region="浦江区",
        unit_code=unit_code,
        narrative=narrative,
        tables=(summary, income, all_funds, gpb),
        department_label="编制部门",
    )


def _unreconciled_health_2024() -> DocumentSpec:
    department = "豫东县卫生健康委员会"
    unit_code = "118001"
    year = 2024
    leaves = _leaves(
        [
            ("2100101", "286.4", "42.1"),
            ("2100401", "412.5", "38.6"),
            ("2101101", "18.6", "0"),
            ("2101102", "35.2", "0"),
            ("2080505", "96.8", "0"),
            ("2210201", "74.5", "0"),
        ],
        [
            ("2100199", _d("65.0"), ZERO),
            ("2100408", _d("1,236.0"), ZERO),
            ("2100409", _d("418.0"), ZERO),
            ("2100717", _d("212.0"), ZERO),
            ("2100799", _d("88.0"), ZERO),
        ],
    )
    all_funds = FunctionTable(
        title=f"{year}年部门支出总体情况表",
        scope="all_funds",
        layout="code_columns_with_unit",
        rows=_function_rows(
            leaves,
            scope="all_funds",
            layout="code_columns_with_unit",
            department=department,
            unit_code=unit_code,
        ),
    )
    gpb = FunctionTable(
        title=f"{year}年一般公共预算支出情况表",
        scope="general_public_budget",
        layout="code_hierarchy",
        rows=_function_rows(
            leaves,
            scope="general_public_budget",
            layout="code_hierarchy",
            department=department,
            unit_code=unit_code,
        ),
        zero_as_blank=False,
    )
    # The deliberate error: 21007 计划生育事务 prints 350.0 while its 项 rows sum to 300.0.
    gpb, discrepancy = _misprint(gpb, "21007", "total", _d("350.0"))
    total = all_funds.total_row
    narrative = (
        f"{department}{year}年部门预算情况说明",
        f"{department}{year}年收入总计 {_plain(total.total)} 万元，"
        f"支出总计 {_plain(total.total)} 万元。",
        f"其中：基本支出 {_plain(total.basic)} 万元；项目支出 {_plain(total.project)} 万元。",
    )
    return DocumentSpec(
        file_name="unreconciled_2024.pdf",
        title=f"{department}{year}年部门预算公开",
        department=department,
        fiscal_year=year,
        unit="万元",
        budget_level="department",
        province="河南省",
        region="豫东县",
        unit_code=unit_code,
        narrative=narrative,
        tables=(all_funds, gpb),
        discrepancies=(discrepancy,),
    )


def sample_specs() -> tuple[DocumentSpec, ...]:
    """The bundled sample documents, in a stable order."""
    return (_henan_education_2024(), _shanghai_culture_2023(), _unreconciled_health_2024())


DEFAULT_SPECS: tuple[DocumentSpec, ...] = sample_specs()


# ----------------------------------------------------------------------------- rendering


def format_amount(
    amount: Decimal | None,
    decimals: int,
    *,
    thousands_separator: bool = True,
    zero_as_blank: bool = True,
) -> str:
    """An amount as a table cell prints it: "1,234.5", "" for zero when blank."""
    if amount is None or (zero_as_blank and amount == ZERO):
        return ""
    quantized = amount.quantize(Decimal(1).scaleb(-decimals))
    return f"{quantized:,.{decimals}f}" if thousands_separator else f"{quantized:.{decimals}f}"


PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = 36.0
WIDE = LANDSCAPE[0] - 2 * MARGIN  # usable width of a landscape page
GRID_COLOR = colors.black
CommandList = list[tuple[Any, ...]]


def _register_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


@dataclass(frozen=True)
class _Styles:
    cover: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    cell: ParagraphStyle
    cell_center: ParagraphStyle
    line_left: ParagraphStyle
    line_right: ParagraphStyle
    note: ParagraphStyle


def _styles() -> _Styles:
    def style(name: str, size: float, align: int = TA_LEFT, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(
            name,
            fontName=FONT,
            fontSize=size,
            leading=size * 1.35,
            alignment=align,
            wordWrap="CJK",
            **kw,
        )

    return _Styles(
        cover=style("cover", 24, TA_CENTER, spaceBefore=150, spaceAfter=40),
        title=style("title", 16, TA_CENTER, spaceAfter=4),
        subtitle=style("subtitle", 11, TA_CENTER, spaceAfter=4),
        heading=style("heading", 13, spaceBefore=8, spaceAfter=4),
        body=style("body", 11, firstLineIndent=22, spaceAfter=4),
        cell=style("cell", 8.5),
        cell_center=style("cell_center", 8.5, TA_CENTER),
        line_left=style("line_left", 10),
        line_right=style("line_right", 10, TA_RIGHT),
        note=style("note", 9, spaceBefore=4),
    )


class _PageMarker(Flowable):  # type: ignore[misc]  # reportlab ships no type hints
    """Zero-size flowable that records the page it lands on."""

    def __init__(self, sink: list[int]) -> None:
        super().__init__()
        self._sink = sink

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return (0.0, 0.0)

    def draw(self) -> None:
        self._sink.append(int(self.canv.getPageNumber()))


def _heading_block(
    spec: DocumentSpec, st: _Styles, title: str, subtitle: str | None = None
) -> list[Flowable]:
    """Title line, optional subtitle, then 部门名称 left and 单位 right."""
    out: list[Flowable] = [Paragraph(title, st.title)]
    if subtitle:
        out.append(Paragraph(subtitle, st.subtitle))
    line = Table(
        [
            [
                Paragraph(f"{spec.department_label}：{spec.department}", st.line_left),
                Paragraph(f"单位：{spec.unit}", st.line_right),
            ]
        ],
        colWidths=[WIDE / 2, WIDE / 2],
    )
    line.setStyle(
        TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])
    )
    out.append(line)
    out.append(Spacer(1, 3))
    return out


def _grid_style(extra: CommandList) -> TableStyle:
    return TableStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("GRID", (0, 0), (-1, -1), 0.5, GRID_COLOR),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            *extra,
        ]
    )


def _span(c0: int, r0: int, c1: int, r1: int) -> tuple[Any, ...]:
    return ("SPAN", (c0, r0), (c1, r1))


def _function_header(table: FunctionTable, st: _Styles) -> tuple[list[list[Any]], CommandList]:
    def h(text: str) -> Paragraph:
        return Paragraph(text, st.cell_center)

    if table.layout == "code_columns_with_unit":
        header = [
            [
                h("科目编码"),
                "",
                "",
                h("单位代码"),
                h("单位（科目名称）"),
                h("合计"),
                h("基本支出"),
                "",
                "",
                h("项目支出"),
            ],
            [h("类"), h("款"), h("项"), "", "", "", h("小计"), h("人员经费"), h("公用经费"), ""],
            [h("栏次"), "", "", "", "", h("1"), h("2"), h("3"), h("4"), h("5")],
        ]
        spans = [
            _span(0, 0, 2, 0),
            _span(3, 0, 3, 1),
            _span(4, 0, 4, 1),
            _span(5, 0, 5, 1),
            _span(6, 0, 8, 0),
            _span(9, 0, 9, 1),
            _span(0, 2, 4, 2),
        ]
    elif table.layout == "code_hierarchy":
        header = [
            [h("科目编码"), h("科目名称"), h("合计"), h("基本支出"), "", "", h("项目支出")],
            ["", "", "", h("小计"), h("人员经费"), h("公用经费"), ""],
        ]
        spans = [
            _span(0, 0, 0, 1),
            _span(1, 0, 1, 1),
            _span(2, 0, 2, 1),
            _span(3, 0, 5, 0),
            _span(6, 0, 6, 1),
        ]
    else:
        group = "支出预算" if table.scope == "all_funds" else "一般公共预算支出"
        header = [
            [h("项目"), "", "", "", h(group), "", ""],
            [
                h("功能分类科目编码"),
                "",
                "",
                h("功能分类科目名称"),
                h("合计"),
                h("基本支出"),
                h("项目支出"),
            ],
            [h("类"), h("款"), h("项"), "", "", "", ""],
        ]
        spans = [_span(0, 0, 3, 0), _span(4, 0, 6, 0), _span(0, 1, 2, 1)]
        spans += [_span(c, 1, c, 2) for c in range(3, 7)]
    return header, spans


def _function_cells(row: FunctionRow, table: FunctionTable, decimals: int) -> list[str]:
    def fmt(amount: Decimal | None) -> str:
        return format_amount(
            amount,
            decimals,
            thousands_separator=table.thousands_separator,
            zero_as_blank=table.zero_as_blank,
        )

    code = row.code or ""
    parts = [code[:3], code[3:5], code[5:7]]
    if table.layout == "code_columns_with_unit":
        amounts = [row.total, row.basic, row.personnel, row.public, row.project]
        return [*parts, row.unit_code or "", row.name, *map(fmt, amounts)]
    if table.layout == "code_hierarchy":
        amounts = [row.total, row.basic, row.personnel, row.public, row.project]
        return [code, row.name, *map(fmt, amounts)]
    if row.kind == "total":
        parts = ["合计", "", ""]
    return [
        *parts,
        "" if row.kind == "total" else row.name,
        *map(fmt, [row.total, row.basic, row.project]),
    ]


def _function_table(spec: DocumentSpec, table: FunctionTable, st: _Styles) -> list[Flowable]:
    header, spans = _function_header(table, st)
    layout = table.layout
    if layout == "code_columns_with_unit":
        widths = [30.0, 30.0, 30.0, 55.0, 215.0] + [72.0] * 5
        name_col, first_amount = 4, 5
    elif layout == "code_hierarchy":
        widths = [72.0, 250.0] + [82.0] * 5
        name_col, first_amount = 1, 2
    else:
        widths = [42.0, 42.0, 42.0, 250.0] + [115.0] * 3
        name_col, first_amount = 3, 4
    n_header = len(header)
    body: list[list[Any]] = []
    for row in table.rows:
        cells: list[Any] = _function_cells(row, table, spec.decimals)
        cells[name_col] = Paragraph(cells[name_col], st.cell) if cells[name_col] else ""
        body.append(cells)
    commands: CommandList = [
        *spans,
        ("ALIGN", (0, n_header), (first_amount - 1, -1), "CENTER"),
        ("ALIGN", (first_amount, n_header), (-1, -1), "RIGHT"),
    ]
    if layout == "code_columns_hierarchy":
        total_index = n_header + table.rows.index(table.total_row)
        commands.append(_span(0, total_index, 3, total_index))
    grid = Table(header + body, colWidths=widths, repeatRows=n_header)
    grid.setStyle(_grid_style(commands))
    out = _heading_block(spec, st, table.title)
    out.append(grid)
    if table.note:
        out.append(Paragraph(table.note, st.note))
    return out


def _summary_table(spec: DocumentSpec, table: BudgetSummaryTable, st: _Styles) -> list[Flowable]:
    """收支总表: 收入 | 支出 over 项目 | 金额 | 项目 | 金额, the halves filled top-down."""

    def fmt(amount: Decimal | None) -> str:
        return format_amount(
            amount,
            spec.decimals,
            thousands_separator=table.thousands_separator,
            zero_as_blank=table.zero_as_blank,
        )

    def cells(line: SummaryLine | None) -> list[str]:
        return ["", ""] if line is None else [line.label, fmt(line.amount)]

    income, spending = table.headings
    header: list[list[Any]] = [
        [income, "", spending, ""],
        ["项目", table.amount_heading, "项目", table.amount_heading],
    ]
    pairs = itertools.zip_longest(table.income, table.expenditure)
    body = [cells(left) + cells(right) for left, right in pairs]
    body += [["", "", "", ""]] * table.blank_rows
    body += [cells(left) + cells(right) for left, right in table.footer]
    rows = header + body
    widths = [245.0, 140.0, 245.0, 140.0]
    grid = Table(rows, colWidths=widths, rowHeights=[11.5] * len(rows), repeatRows=2)
    grid.setStyle(
        _grid_style(
            [
                _span(0, 0, 1, 0),
                _span(2, 0, 3, 0),
                ("ALIGN", (0, 0), (-1, 1), "CENTER"),
                ("ALIGN", (1, 2), (1, -1), "RIGHT"),
                ("ALIGN", (3, 2), (3, -1), "RIGHT"),
                # 40-odd lines on one page, as the real tables fit them
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return [*_heading_block(spec, st, table.title), grid]


def _income_header(table: IncomeTable, st: _Styles) -> tuple[list[list[Any]], CommandList]:
    def h(text: str) -> Paragraph:
        return Paragraph(text, st.cell_center)

    names = [h(printed) for _, printed in table.sources]
    if table.layout == "code_hierarchy":
        return [[h("科目编码"), h("科目名称"), *names]], []
    blank = [""] * len(names)
    header = [
        [h("项目"), "", "", "", h("收入预算"), *blank[1:]],
        [h("功能分类科目编码"), "", "", h("功能分类科目名称"), *names],
        [h("类"), h("款"), h("项"), "", *blank],
    ]
    last = 3 + len(names)
    spans = [_span(0, 0, 3, 0), _span(4, 0, last, 0), _span(0, 1, 2, 1)]
    spans += [_span(c, 1, c, 2) for c in range(3, last + 1)]
    return header, spans


def _income_table(spec: DocumentSpec, table: IncomeTable, st: _Styles) -> list[Flowable]:
    """收入总表: 科目编码 (one column, or 类|款|项) and 科目名称, then one column per source."""

    def fmt(amount: Decimal) -> str:
        return format_amount(
            amount,
            spec.decimals,
            thousands_separator=table.thousands_separator,
            zero_as_blank=table.zero_as_blank,
        )

    header, spans = _income_header(table, st)
    split = table.layout == "code_columns_hierarchy"
    name_col = 3 if split else 1
    body: list[list[Any]] = []
    for row in table.rows:
        code = row.code or ""
        codes = [code[:3], code[3:5], code[5:7]] if split else [code]
        if row.kind == "total" and split:
            codes, name = ["合计", "", ""], ""
        else:
            name = row.name
        body.append([*codes, Paragraph(name, st.cell) if name else "", *map(fmt, row.amounts)])
    n_header = len(header)
    if split:
        total_index = n_header + table.rows.index(table.total_row)
        spans.append(_span(0, total_index, 3, total_index))
    amount_width = (WIDE - (376.0 if split else 322.0)) / len(table.sources)
    widths = ([42.0] * 3 + [250.0]) if split else [72.0, 250.0]
    widths += [amount_width] * len(table.sources)
    grid = Table(header + body, colWidths=widths, repeatRows=n_header)
    grid.setStyle(
        _grid_style(
            [
                *spans,
                ("ALIGN", (0, n_header), (name_col - 1, -1), "CENTER"),
                ("ALIGN", (name_col + 1, n_header), (-1, -1), "RIGHT"),
            ]
        )
    )
    return [*_heading_block(spec, st, table.title), grid]


def _economic_table(spec: DocumentSpec, table: EconomicTable, st: _Styles) -> list[Flowable]:
    """一般公共预算基本支出表: 经济分类科目 (编码 | 名称) | 合计 | 人员经费 | 公用经费."""

    def fmt(amount: Decimal) -> str:
        return format_amount(amount, spec.decimals, zero_as_blank=table.zero_as_blank)

    def h(text: str) -> Paragraph:
        return Paragraph(text, st.cell_center)

    header: list[list[Any]] = [
        [h("部门预算支出经济分类科目"), "", h("本年一般公共预算基本支出"), "", ""],
        [h("科目编码"), h("科目名称"), h("合计"), h("人员经费"), h("公用经费")],
    ]
    body: list[list[Any]] = [
        [
            row.code or "",
            Paragraph(row.name, st.cell),
            *map(fmt, (row.total, row.personnel, row.public)),
        ]
        for row in table.rows
    ]
    grid = Table(header + body, colWidths=[90.0, 250.0, 130.0, 130.0, 130.0], repeatRows=2)
    grid.setStyle(
        _grid_style(
            [
                _span(0, 0, 1, 0),
                _span(2, 0, 4, 0),
                ("ALIGN", (0, 2), (0, -1), "CENTER"),
                ("ALIGN", (2, 2), (-1, -1), "RIGHT"),
            ]
        )
    )
    return [*_heading_block(spec, st, table.title), grid]


def _three_public_table(spec: DocumentSpec, table: ThreePublicTable, st: _Styles) -> list[Flowable]:
    """“三公”经费 categories down the rows, 共计 first, as Henan's counties print them."""

    def fmt(amount: Decimal) -> str:
        return format_amount(amount, spec.decimals)

    rows = [
        ["项 目", f"{spec.fiscal_year}年“三公”经费预算数"],
        ["共计", fmt(table.total)],
        ["1、因公出国（境）费用", fmt(table.overseas_travel)],
        ["2、公务接待费", fmt(table.reception)],
        ["3、公务用车购置及运行费", fmt(table.vehicle_total)],
        ["其中：(1) 公务用车运行维护费", fmt(table.vehicle_operation)],
        ["(2) 公务用车购置费", fmt(table.vehicle_purchase)],
    ]
    grid = Table(rows, colWidths=[360.0, 200.0])
    grid.setStyle(_grid_style([("ALIGN", (1, 1), (1, -1), "RIGHT")]))
    note = "注：“三公”经费包括因公出国（境）费、公务用车购置及运行费和公务接待费。"
    return [*_heading_block(spec, st, table.title), grid, Paragraph(note, st.note)]


# Column widths of the 5-column performance grids (一级/二级/三级指标, 指标值, 指标值说明).
_PERF_WIDTHS = [100.0, 120.0, 200.0, 110.0, 230.0]


def _indicator_block(
    indicators: Sequence[IndicatorRow], first_row: int, st: _Styles
) -> tuple[list[list[Any]], CommandList]:
    """Indicator rows with 一级 and 二级 cells merged vertically over their groups."""

    def p(text: str) -> Any:
        return Paragraph(text, st.cell) if text else ""

    rows: list[list[Any]] = []
    spans: CommandList = []
    index = 0
    for _, group1 in itertools.groupby(indicators, key=lambda i: i.level1):
        items1 = list(group1)
        start1 = first_row + index
        for _, group2 in itertools.groupby(items1, key=lambda i: i.level2):
            items2 = list(group2)
            start2 = first_row + index
            for k, item in enumerate(items2):
                level1 = item.level1 if first_row + index == start1 else ""
                level2 = item.level2 if k == 0 else ""
                rows.append(
                    [p(level1), p(level2), p(item.level3), p(item.value), p(item.description)]
                )
                index += 1
            if len(items2) > 1:
                spans.append(_span(1, start2, 1, start2 + len(items2) - 1))
        if len(items1) > 1:
            spans.append(_span(0, start1, 0, start1 + len(items1) - 1))
    return rows, spans


def _performance_table(
    spec: DocumentSpec, table: DepartmentPerformanceTable, st: _Styles
) -> list[Flowable]:
    def p(text: str, style: ParagraphStyle = st.cell) -> Paragraph:
        return Paragraph(text, style)

    def amount(value: Decimal) -> str:
        return format_amount(value, spec.decimals)

    rows: list[list[Any]] = [
        [p("部门名称"), p(table.department), "", "", ""],
        [p("年度履职目标"), p(table.annual_goal), "", "", ""],
        [p("年度主要任务"), p("任务名称", st.cell_center), p("主要内容", st.cell_center), "", ""],
    ]
    spans: CommandList = [_span(1, 0, 4, 0), _span(1, 1, 4, 1), _span(2, 2, 4, 2)]
    for task in table.tasks:
        rows.append(["", p(task.name), p(task.content), "", ""])
        spans.append(_span(2, len(rows) - 1, 4, len(rows) - 1))
    spans.append(_span(0, 2, 0, len(rows) - 1))
    budget_start = len(rows)
    for label, value in [
        (f"部门预算总额（{spec.unit}）", table.budget_total),
        ("1、资金来源：（1）政府预算资金", table.government_funds),
        ("（2）财政专户管理资金", table.special_account_funds),
        ("（3）单位资金", table.unit_funds),
        ("2、资金结构：（1）基本支出", table.basic),
        ("（2）项目支出", table.project),
    ]:
        rows.append(["", p(label), "", amount(value), ""])
        spans += [
            _span(1, len(rows) - 1, 2, len(rows) - 1),
            _span(3, len(rows) - 1, 4, len(rows) - 1),
        ]
    rows[budget_start][0] = p("预算情况")
    spans.append(_span(0, budget_start, 0, len(rows) - 1))
    rows.append(
        [
            p(text, st.cell_center)
            for text in ("一级指标", "二级指标", "三级指标", "指标值", "指标值说明")
        ]
    )
    indicator_rows, indicator_spans = _indicator_block(table.indicators, len(rows), st)
    grid = Table(rows + indicator_rows, colWidths=_PERF_WIDTHS)
    grid.setStyle(
        _grid_style(
            [*spans, *indicator_spans, ("ALIGN", (3, budget_start), (3, budget_start + 5), "RIGHT")]
        )
    )
    out = _heading_block(spec, st, table.title, f"({spec.fiscal_year}年度)")
    out.append(grid)
    return out


def _project_form(spec: DocumentSpec, form: ProjectForm, st: _Styles) -> list[Flowable]:
    def p(text: str, style: ParagraphStyle = st.cell) -> Paragraph:
        return Paragraph(text, style)

    def amount(value: Decimal) -> str:
        return format_amount(value, spec.decimals)

    rows: list[list[Any]] = [
        [p("项目名称"), p(form.name), "", "", ""],
        [p("部门名称"), p(form.department), "", "", ""],
        [p("单位名称"), p(form.unit), "", "", ""],
        [p(f"项目资金（{spec.unit}）"), p("年度资金总额"), "", amount(form.amount), ""],
        ["", p("其中：政府预算资金"), "", amount(form.government_amount), ""],
        ["", p("财政专户管理资金"), "", amount(form.special_account_amount), ""],
        ["", p("单位资金"), "", amount(form.unit_funds_amount), ""],
        [p("年度目标"), p(form.goal), "", "", ""],
        [p("分解目标"), "", "", "", ""],
        [
            p(text, st.cell_center)
            for text in ("一级指标", "二级指标", "三级指标", "指标值", "指标值说明")
        ],
    ]
    spans: CommandList = [_span(1, r, 4, r) for r in (0, 1, 2, 7)]
    spans += [_span(0, 3, 0, 6), _span(0, 8, 4, 8)]
    spans += [_span(1, r, 2, r) for r in range(3, 7)] + [_span(3, r, 4, r) for r in range(3, 7)]
    indicator_rows, indicator_spans = _indicator_block(form.indicators, len(rows), st)
    grid = Table(rows + indicator_rows, colWidths=_PERF_WIDTHS)
    grid.setStyle(_grid_style([*spans, *indicator_spans, ("ALIGN", (3, 3), (3, 6), "RIGHT")]))
    out = _heading_block(spec, st, form.title, f"({spec.fiscal_year}年度)")
    out.append(grid)
    return out


def _narrative(spec: DocumentSpec, st: _Styles) -> list[Flowable]:
    out: list[Flowable] = [Paragraph(spec.title, st.cover)]
    for text in spec.narrative:
        # Section headings are the lines that are not sentences.
        out.append(Paragraph(text, st.body if text.endswith("。") else st.heading))
    return out


def render(spec: DocumentSpec, path: str | Path) -> RenderedDocument:
    """Write one sample PDF; returns where each of spec.tables landed."""
    _register_font()
    st = _styles()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)

    def frame(size: tuple[float, float], name: str) -> Frame:
        return Frame(
            MARGIN,
            MARGIN,
            size[0] - 2 * MARGIN,
            size[1] - 2 * MARGIN,
            id=name,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    doc = BaseDocTemplate(
        str(target),
        pagesize=PORTRAIT,
        invariant=1,  # no timestamps or random ids: same spec, same bytes
        title=spec.title,
        author=spec.department,
        creator="yusuan samplegen",
        pageTemplates=[
            PageTemplate(id="portrait", frames=[frame(PORTRAIT, "p")], pagesize=PORTRAIT),
            PageTemplate(id="landscape", frames=[frame(LANDSCAPE, "l")], pagesize=LANDSCAPE),
        ],
    )
    builders: dict[type, Callable[[DocumentSpec, Any, _Styles], list[Flowable]]] = {
        FunctionTable: _function_table,
        DepartmentPerformanceTable: _performance_table,
        ProjectForm: _project_form,
        BudgetSummaryTable: _summary_table,
        IncomeTable: _income_table,
        EconomicTable: _economic_table,
        ThreePublicTable: _three_public_table,
    }
    story: list[Flowable] = [*_narrative(spec, st), NextPageTemplate("landscape")]
    marks: list[tuple[list[int], list[int]]] = []
    for table in spec.tables:
        start: list[int] = []
        end: list[int] = []
        marks.append((start, end))
        story += [
            PageBreak(),
            _PageMarker(start),
            *builders[type(table)](spec, table, st),
            _PageMarker(end),
        ]
    last: list[int] = []
    story.append(_PageMarker(last))
    doc.build(story)
    return RenderedDocument(
        path=target,
        page_count=last[0],
        table_pages=tuple((start[0], end[0]) for start, end in marks),
    )


def render_all(out_dir: str | Path, specs: Sequence[DocumentSpec] | None = None) -> list[Path]:
    """Write the bundled samples (or `specs`) into out_dir under their stable file names."""
    directory = Path(out_dir)
    chosen = DEFAULT_SPECS if specs is None else specs
    return [render(spec, directory / spec.file_name).path for spec in chosen]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.samplegen",
        description="Render the bundled sample budget-disclosure PDFs.",
    )
    parser.add_argument("out_dir", type=Path, help="directory to write the PDFs into")
    args = parser.parse_args(argv)
    for path in render_all(args.out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
