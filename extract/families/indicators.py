"""Performance targets: 项目绩效目标表 (one form per project) and 部门（单位）整体绩效目标表.

Both end in a grid 一级指标 / 二级指标 / 三级指标 / 指标值 (or 目标值) [/ 指标值说明], where
一级 and 二级 cells are merged over many rows (resolved by extract.tables); a level left
blank takes the one above it while the levels above it are unchanged. Other grids:

    指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重(%)        no levels (重庆)
    活动 | 绩效指标 | 指标性质 | 指标值 | 度量单位               the levels in one cell (北京:
                                                           产出指标数量指标开展监测工作)

where 指标性质 (≥, ＝, ≤, 定性) and the unit beside a bare 指标值 make its comparator and
unit. Which header is which column is extract/vocabulary.toml (indicators.columns); a row
naming 三级指标 (指标名称) and 指标值 and printing no number is the grid's header. A grid
whose header names 项目名称 lists a project per row: performance_summary reads it.

A project form opens with label-value cells (indicators.form in the vocabulary), in some
layouts two pairs to a row:

    项目名称 | 部门名称 | 单位名称 | 项目资金（万元）: 年度资金总额 / 其中：政府预算资金 / …
    项目名称 | 单位编码 · 资金用途 | 项目负责人 · 联系人 | 项目总金额 · 项目本年度金额
    项目名称 | 主管部门及代码 · 实施单位 | 项目总金额 over 合计 / 财政拨款 / 其他资金
    项目名称 · 主管部门 | 当年预算 over 市级支出 / 补助区县                     (重庆)
    转移支付名称 · 市级主管部门 | 年度金额 / 其中：中央财政资金 / 市级财政资金 / 其他资金 (北京)

Amounts carry the unit of their label or cell (项目总金额（万元）, 1,250.00万元), else the
table's 单位 line. One logical table may hold several forms, each starting at its own
项目名称 row; a form's head, its 项目详细信息 and its grid may be separate ruled tables
(stitched into one). A form's department is its 部门名称 / 主管部门 row, else its unit:
the 单位名称 / 实施单位 row, or the unit its title names ("<unit>（行政）支出项目绩效目标表").
A table's scope is its title's (indicators.scopes: 整体 is the department's), else its
head's: a 项目名称 row makes a project form. A form's head printed again on a new page above
the rest of its grid (office software repeating the sheet's first rows) is no new form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice

from extract import vocabulary
from extract.departments import clean_name
from extract.families.base import Context, Record, column_labels, forward_fill
from extract.pdf import Row
from extract.tables import LogicalTable
from extract.values import (
    DEFAULT_UNIT,
    UNIT_FACTORS,
    UNIT_PATTERN,
    normalize_text,
    parse_amount,
    parse_target,
    printed_target,
)

NAME = "indicators"
PROJECTS = "projects"

_SUMMARY = ("汇总", "重大政策")  # wide summary tables: another family
_HEAD_ROWS = 40  # a form's head, details and grid header fit in its first rows


def scope_of(table: LogicalTable) -> str | None:
    """department, project, or None: not a performance-target table of this family (no
    indicator grid in its first rows, a wide summary, or a grid listing a project per row,
    read by performance_summary)."""
    title = table.title or ""
    grid = _grid_header(table)
    if grid is None or any(s in title for s in _SUMMARY) or any("项目名称" in t for t in grid):
        return None
    header = _head_text(table)
    named = vocabulary.meaning(_SCOPES, title)
    department_words = ("整体", "年度履职目标", "部门预算总额")  # an untitled 整体绩效目标表
    projects = any(label in header for label, key in _FIELDS.items() if key == "project")
    if named == "department" or (any(word in header for word in department_words) and not projects):
        return "department"
    if projects or named == "project":
        return "project"
    return None


def matches(table: LogicalTable) -> bool:
    return scope_of(table) is not None


def matches_header(table: LogicalTable, context: Context) -> bool:
    """No header path: `matches` already reads the head rows, whatever the title."""
    return False


def _head_text(table: LogicalTable) -> str:
    """The text of the table's first rows, across page parts."""
    rows = islice(table.rows(), _HEAD_ROWS)
    return " ".join(normalize_text(c) for _, _, row in rows for c in row if c)


def _grid_header(table: LogicalTable) -> list[str] | None:
    """The texts of the indicator grid's header row among the table's first rows."""
    for _, _, row in islice(table.rows(), _HEAD_ROWS):
        if _grid_columns(row) is not None:
            return [normalize_text(c) for c in row]
    return None


_SCOPES = vocabulary.labels(NAME, "scopes", "scope")
_FUSED = vocabulary.pattern(NAME, "fused_levels")
_LEVELS = ("level1", "level2", "level3")


def _form_fields() -> dict[str, str]:
    """Form label -> the field it names (extract/vocabulary.toml, indicators.form)."""
    form: dict[str, list[str]] = vocabulary.data()[NAME]["form"]
    return {label: key for key, labels in form.items() for label in labels}


_FIELDS = _form_fields()
_AMOUNT_KEYS = ("amount", "government", "government_part", "other")
_UNIT = re.compile(rf"[（(]({UNIT_PATTERN})[）)]")
_LABEL_NOISE = re.compile(r"\s|[:：]|^其中|^[（(]?\d{1,2}[)）、.．]")
_CODE = re.compile(r"^[\[［【(（]?(\d{3,})[\]］】)）]?[-—\s]*|[\[［【(（\s-]*(\d{3,})[\]］】)）]?$")
_AMOUNT_WITH_UNIT = re.compile(rf"^(.*?\d)\s*({UNIT_PATTERN})$")
# Labels of a 整体绩效目标表's head: printed again above the grid header of a new page,
# they are no indicators.
_HEAD_LABELS = ("预算情况", "年度履职目标", "年度主要任务", "部门(单位)名称", "部门（单位）名称")
# Rows that end a form: signatures and seals below the grid.
_SIGNATURE = re.compile(r"[（(](盖章|签字|签章)[)）]|^(填报|填表|审核)人[:：]")


def label_of(text: str) -> tuple[str, str | None]:
    """A form label without noise, and the unit it prints: '其中：财政拨款（万元）' ->
    ('财政拨款', '万元')."""
    unit = _UNIT.search(text)
    plain = _LABEL_NOISE.sub("", _UNIT.sub("", text))
    return plain, unit.group(1) if unit else None


def name_and_code(text: str) -> tuple[str, str | None]:
    """'济源市科学技术局（017001）', '[017001]济源市科学技术局' -> (name, '017001')."""
    match = _CODE.search(text)
    if not match or match.group(0) == text:
        return text, None
    return (text[: match.start()] + text[match.end() :]).strip(), match.group(1) or match.group(2)


# "<unit>（行政）支出项目绩效目标表": the unit a form belongs to, without the funding form in
# brackets; accepted only where it ends like the name of an organisation
_TITLE_UNIT = re.compile(
    r"^(?:\d{4}年度?)?(?P<name>.+?)(?:\d{4}年度?)?(?:部门|单位)?(?:预算)?(?:支出)?"
    r"项目(?:支出)?绩效目标(?:申报)?表"
)
_FUNDING_FORM = re.compile(
    r"[（(](?:行政|事业|参公|全供|差供|自供|全额|差额|自收自支|定补|定额|经费自理)[^）)]{0,4}[）)]$"
)
_ORGANISATION = re.compile(
    r"(局|委员会|委|办公室|办|中心|院|所|站|队|部|厅|处|会|馆|校|园|社|府|司|室|署)$"
)


def title_unit(title: str | None) -> str | None:
    """The unit a form's title names, if it names one."""
    match = _TITLE_UNIT.match(normalize_text(title))
    if not match:
        return None
    name = _FUNDING_FORM.sub("", match.group("name").strip())
    return name if _ORGANISATION.search(name) else None


@dataclass
class Form:
    """The head of a project form: its named fields and amounts (in yuan)."""

    page_number: int
    row_index: int
    titled_unit: str | None = None
    fields: dict[str, str] = field(default_factory=dict)
    amounts: dict[str, Decimal] = field(default_factory=dict)
    other_sources: set[str] = field(default_factory=set)

    def get(self, *keys: str) -> str | None:
        return next((self.fields[k] for k in keys if self.fields.get(k)), None)

    @property
    def department(self) -> str | None:
        return clean_name(self.get("department", "unit") or self.titled_unit)

    def add(self, label: str, key: str, text: str, unit: str) -> None:
        if key in _AMOUNT_KEYS:
            amount = _amount_in(text, unit)
            if amount is not None:
                self._add_amount(label, key, amount)
        elif key in ("department", "unit"):
            name, code = name_and_code(text)
            self.fields.setdefault(key, name)
            if code and key == "unit":
                self.fields.setdefault("unit_code", code)
        else:
            self.fields.setdefault(key, text)

    def _add_amount(self, label: str, key: str, amount: Decimal) -> None:
        if key in ("amount", "government"):
            self.amounts.setdefault(key, amount)
        elif label not in self.other_sources:  # several sources of one kind add up
            self.other_sources.add(label)
            self.amounts[key] = self.amounts.get(key, Decimal(0)) + amount

    @property
    def government(self) -> Decimal | None:
        """Fiscal funds: as printed, else the sum of the fiscal sources of each level."""
        return self.amounts.get("government", self.amounts.get("government_part"))


@dataclass
class Head:
    """Reads the label-value rows of a form's head. A label followed by another label (or
    by nothing) heads a column: its value is the cell below it on the next row."""

    unit: str  # of amounts whose label, row and cell print none
    pending: dict[int, tuple[str, str, str | None]] = field(default_factory=dict)

    def read(self, form: Form, texts: list[str]) -> None:
        labels = [label_of(t) for t in texts]
        row_unit = next((u for _, u in labels if u), None)
        heading: dict[int, tuple[str, str, str | None]] = {}
        taken: set[int] = set()
        for c, (label, unit) in enumerate(labels):
            key = field_of(label)
            if key is None:
                if c in self.pending and c not in taken and texts[c]:
                    above, above_key, above_unit = self.pending[c]
                    form.add(above, above_key, texts[c], above_unit or row_unit or self.unit)
                continue
            v = _value_after(texts, c)
            if v is None or field_of(labels[v][0]) is not None:
                heading[c] = (label, key, unit or row_unit)
                continue
            taken.add(v)
            form.add(label, key, texts[v], unit or row_unit or self.unit)
        self.pending = heading


def field_of(label: str) -> str | None:
    """The field a form label names (label_of's first part): listed labels, then 本年资金总额,
    财政拨款（补助）, 上年结余, 市级主管部门 and the like by their ending or start; never a
    previous year's total (上年度项目总金额)."""
    key = _FIELDS.get(label)
    if key is not None:
        return key
    if "结转" in label or "结余" in label:
        return "other"
    if label.startswith("上年"):
        return None
    if label.endswith(("资金总额", "总金额")):
        return "amount"
    if label.startswith(("财政拨款", "政府预算资金")):
        return "government"
    if label.endswith("主管部门"):  # 市级主管部门, 资金主管部门
        return "department"
    return None


def _value_after(texts: list[str], c: int) -> int | None:
    """The column of the next text right of column c (a merged label repeats over its span)."""
    return next((i for i in range(c + 1, len(texts)) if texts[i] and texts[i] != texts[c]), None)


def _amount_in(text: str, unit: str) -> Decimal | None:
    """A printed amount in yuan, in the unit printed after it ('1,250.00万元') or `unit`."""
    match = _AMOUNT_WITH_UNIT.match(text)
    number, unit = (match.group(1), match.group(2)) if match else (text, unit)
    try:
        amount = parse_amount(number)
    except ValueError:
        return None
    return None if amount is None else amount * UNIT_FACTORS[unit]


def parse(table: LogicalTable, context: Context) -> dict[str, list[Record]]:
    scope = scope_of(table)
    assert scope is not None
    head = Head(table.unit or context.default_unit or DEFAULT_UNIT)
    indicators: list[Record] = []
    forms: list[Form] = []
    grid: dict[str, int] | None = None
    header: list[str] = []
    levels = ["", "", ""]
    head_rows: list[list[str]] = []  # the current form's head, as printed
    rows = list(table.rows())
    repeated = 0  # rows left of the current form's head printed again
    for position, (page_number, row_index, row) in enumerate(rows):
        texts = [normalize_text(c) for c in row]
        texts += [""] * (len(header) - len(texts))  # a part of fewer columns than the grid
        opens_page = position > 0 and rows[position - 1][0] != page_number
        if grid is not None and opens_page and forms and page_number != forms[-1].page_number:
            repeated = _repeated_head(rows[position:], head_rows)
        if repeated:
            repeated -= 1
            continue
        if field_of(label_of(texts[0])[0]) == "project":
            forms.append(Form(page_number, row_index, title_unit(table.title)))
            grid, head.pending = None, {}  # a heading left by the previous form is not ours
            head_rows = []
        # the grid's header: in the head, or printed again (on a new page, by a new form)
        if grid is None or texts == header or ("一级指标" in texts and "三级指标" in texts):
            found = _grid_columns(row)
            if found is not None:
                grid, header, levels = found, texts, ["", "", ""]
                continue
        if label_of(texts[0])[0] in _HEAD_LABELS:  # the head printed again on a new page
            grid = None
        if grid is None:
            if forms:
                head.read(forms[-1], texts)
                head_rows.append(texts)
            continue
        if any(_SIGNATURE.search(t) for t in texts):
            grid = None
            continue
        printed = [texts[grid[k]] if k in grid else "" for k in _LEVELS]
        if "level1" not in grid and "level2" not in grid:
            printed = _fused(printed[2])
        levels = forward_fill(levels, printed)
        value = texts[grid["value"]]
        if not printed[2] and not value:
            continue
        form = forms[-1] if forms and scope == "project" else None
        target = printed_target(
            value,
            texts[grid["comparator"]] if "comparator" in grid else None,
            texts[grid["unit"]] if "unit" in grid else None,
        )
        description = texts[grid["description"]] if "description" in grid else ""
        indicators.append(
            {
                **context.lineage(table, page_number, row_index),
                "scope": scope,
                "project_name": form.get("project") if form else None,
                "department_name": (form.department if form else None) or context.department,
                "level1_name": levels[0] or None,
                "level2_name": levels[1] or None,
                "level3_name": levels[2] or None,
                "target_raw": value or None,
                "comparator": target.comparator,
                "target_value": target.value,
                "target_unit": target.unit,
                "description": description or None,
            }
        )
    projects = [_project(table, context, form) for form in forms if form.get("project")]
    return {NAME: indicators, PROJECTS: projects}


def _repeated_head(rows: list[tuple[int, int, Row]], head: list[list[str]]) -> int:
    """How many of `rows` (the rest of a table, from a row opening a new page) are the
    current form's head printed again above the rest of its grid (office software
    repeating a sheet's first rows on every page): rows of the head, on this page, then a
    row of the grid, neither a head label nor the grid's header. 0 where they open another
    form of the same project (its own amounts, its own grid header)."""
    printed = {_trimmed(h) for h in head}
    page = rows[0][0]
    for count, (page_number, _, row) in enumerate(rows):
        texts = [normalize_text(c) for c in row]
        if page_number != page:
            return 0
        if _trimmed(texts) in printed:
            continue
        opens_form = field_of(label_of(texts[0])[0]) is not None if texts else False
        return 0 if opens_form or _grid_columns(row) is not None else count
    return 0


def _trimmed(texts: list[str]) -> tuple[str, ...]:
    """A row's texts without the empty cells at its end (parts of other widths)."""
    end = len(texts)
    while end and not texts[end - 1]:
        end -= 1
    return tuple(texts[:end])


def _fused(text: str) -> list[str]:
    """一级, 二级 and 三级指标 printed in one cell (产出指标数量指标开展监测工作), split; else the
    cell is the 三级指标."""
    match = _FUSED.match(text)
    if match is None:
        return ["", "", text]
    return [match.group("level1"), match.group("level2"), match.group("level3")]


def _project(table: LogicalTable, context: Context, form: Form) -> Record:
    return {
        **context.lineage(table, form.page_number, form.row_index),
        "project_name": form.get("project"),
        "project_code": form.get("code"),
        "department_name": form.department or context.department,
        "unit_name": form.get("unit") or form.titled_unit,
        "project_type": form.get("type"),
        "amount_yuan": form.amounts.get("amount"),
        "source_family": "project_form",
        "unit_code": form.get("unit_code"),
        "government_funds_yuan": form.government,
        "other_funds_yuan": form.amounts.get("other"),
    }


def _grid_columns(row: Row) -> dict[str, int] | None:
    """Where each grid column sits, if `row` is the header of an indicator grid: labels the
    vocabulary reads as 三级指标 (or 指标名称) and 指标值, and no number."""
    found = {k: cs[0] for k, cs in vocabulary.columns(NAME, column_labels([row])).items()}
    if "level3" not in found or "value" not in found:
        return None
    if any(parse_target(c).value is not None for c in row if c):
        return None
    return found
