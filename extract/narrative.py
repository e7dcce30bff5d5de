"""Totals stated in prose (预算情况说明): "收入总计 73630.3 万元", "“三公”经费预算为 5 万元",
"机关运行经费财政拨款预算1211.43万元".

Page text outside ruled tables is joined line to line first: a wrapped line breaks a
statement anywhere ("人员经费支出 3068" / "万元"). A total is read only where the amount
follows its keyword directly and carries its unit, so shares ("占 4.94%") and changes
("比2024年预算减少2,389.52万元") are never read as totals. The first statement of each
item wins: later sections repeat them, sometimes for a narrower scope.

The 三公 categories stated in prose ("公务接待费 533 万元") become `three_public` rows with
source='narrative', whether or not the document also prints a 三公 table (whose rows carry
source='table'). Narrative rows have no table: table_index is -1 and row_index numbers
them in reading order. Whoever builds fct_three_public takes the table rows of a document
when it has any and the narrative rows otherwise; both stay staged, and
fct_narrative_check compares the total stated in prose with the table's.

The performance statement (预算绩效目标设置情况) states how many projects are under
performance-target management and the money they cover, in many phrasings of one family:
"共0个项目实行绩效目标管理，涉及财政性资金合计0万元" (江苏), "编报绩效目标的项目50个，涉及
项目预算资金5634.81万元" (上海), "共计31个一级项目，涉及资金28,506.17万元" (杭州, 湖州),
"涉及预算资金1,531.45万元，设置并编报5个项目绩效目标" (深圳), "涉及一级预算项目6个，预算资金
781.5万元" (烟台), "涉及一般公共预算财政拨款24,991.96万元" (重庆, no count). The amount is
the first one after 涉及 in a sentence about 绩效目标 or 绩效管理; the count, where the
sentence gives one, is the number before or after its 项目. Staged as `performance_statements`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from extract.families.base import Record
from extract.pdf import Page, Word
from extract.values import UNIT_PATTERN, normalize_text, to_yuan

_NUMBER = rf"(?P<number>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<unit>{UNIT_PATTERN})"
_IS = r"(?:为|是|共|计|:)?"  # words a statement puts between keyword and amount
_QUOTED = r"[“\"']?三公[”\"']?经费[”\"']?"

# item -> keyword; the amount must follow it. Lookbehinds keep sub-totals
# (财政拨款收入, 一般公共预算支出, 机构运转经费支出预算) out of the document totals.
_TOTALS: dict[str, str] = {
    "income_total": (
        r"(?<!拨款)(?<!事业)(?<!经营)(?<!其他)(?<!基金)(?<!补助)(?<!上缴)(?<!预算)"
        r"收入(?:总计|合计|预算总计|预算合计|预算总额|预算|总额)"
    ),
    "expenditure_total": (
        r"(?<!拨款)(?<!基本)(?<!项目)(?<!经费)(?<!预算)(?<!人员)(?<!公用)(?<!基金)"
        r"(?<!采购)(?<!运转)(?<!转移)支出(?:总计|合计|预算总计|预算合计|预算总额|预算|总额)"
    ),
    "basic": r"基本支出(?:年初)?(?:预算)?",
    "project": r"项目支出(?:年初)?(?:预算)?",
    "personnel": r"人员经费(?:支出)?(?:预算)?",
    "public": r"(?:日常)?公用经费(?:支出)?(?:预算)?",
    "three_public": rf"{_QUOTED}(?:支出)?(?:年初)?(?:预算)?(?:数|安排|总额)?",
    "general_public_budget": r"一般公共预算(?:拨款)?(?:支出|收支)(?:年初)?(?:预算)?(?:数|总额)?",
    # 机关运行经费, the running costs of the department's offices, stated in prose nearly
    # everywhere ("机关运行经费财政拨款预算1211.43万元", "机关运行经费安排444.39万元",
    # "机关运行经费预算支出10101.76万元", "机关运行经费支出预算3,348.98万元")
    "operating_expenses": r"机关运行经费(?:财政拨款)?(?:预算|支出|安排|数)*",
}
# The items a narrative states: the one list, which dbt's accepted values repeat (a test
# keeps them equal) and gate 2 names (expectations.narrative.ITEM_NAMES).
ITEMS = tuple(_TOTALS)
# 三公 category -> keyword, as the 三公 section of the narrative states them: "公务接待费
# 27 万元", "公务接待费支出 27 万元", "公务用车购置预算支出数 0 万元", or as a heading whose
# next sentence states the year's figure: "（二）公务接待费。2026 年预算数 11.64 万元" (北京).
_SPENT = r"(?:预算|安排)?(?:支出)?(?:数)?"
_HEADING = r"(?:。(?:\d{4}年(?:度)?)?(?:预算|安排)(?:支出)?(?:数)?)?"
_CATEGORIES: dict[str, str] = {
    "total": _TOTALS["three_public"],
    "overseas_travel": rf"因公出国[（(]境[）)]费(?:用)?{_SPENT}",
    "reception": rf"公务接待费(?:用)?{_SPENT}",
    "vehicle_total": rf"公务用车(?:购置[及和]运行(?:维护)?)?费(?:用)?{_SPENT}",
    "vehicle_purchase": rf"公务用车购置(?:费(?:用)?)?{_SPENT}",
    "vehicle_operation": rf"公务用车运行(?:维护)?费(?:用)?{_SPENT}",
}


def _compile(keyword: str, heading: str = "") -> re.Pattern[str]:
    return re.compile(rf"(?P<keyword>{keyword}){heading}{_IS}{_NUMBER}")


_TOTAL_PATTERNS = {item: _compile(keyword) for item, keyword in _TOTALS.items()}
_CATEGORY_PATTERNS = {
    category: _compile(keyword, _HEADING) for category, keyword in _CATEGORIES.items()
}
_SECTION = re.compile(
    r"^(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]"
    r"|\d+[.、．](?!\d))"
)
# the parts of the department's spending (fct_narrative_check compares them with the 合计 of
# the all-funds 支出总表): stated under a heading about the 一般公共预算 or the 财政拨款
# ("三、财政拨款情况说明 … 其中：基本支出 12,899.62 万元", 重庆) they are that budget's parts,
# not the department's, and are not read as its totals (人员经费 and 公用经费 are compared
# with the 一般公共预算基本支出表 where no 支出总表 prints them, and stay read there)
_PARTS = ("basic", "project")
_SCOPED_SECTION = re.compile(r"一般公共预算|财政拨款")
# the performance statement: 涉及 … 资金/拨款 amount, in a sentence about performance targets
# (绩效目标管理, 绩效目标编报, 预算绩效管理), not one about an evaluation (绩效评价)
_PERFORMANCE_SENTENCE = re.compile(r"绩效(?:目标|管理)")
_PERFORMANCE = re.compile(
    rf"涉及[^。；;]{{0,12}}?(?P<keyword>资金|拨款)(?:合计|总额)?{_IS}{_NUMBER}"
)
_PROJECT_COUNT = re.compile(r"(?P<before>\d+)个(?:一级)?项目|项目(?:共计|共|计)?(?P<after>\d+)个")
_PAGE_NUMBER = re.compile(r"^[-—–\s]*(\d{1,4}|第\d+页(共\d+页)?|\d+/\d+)[-—–\s]*$")
_SENTENCE_END = "。！？!?\n"
_UNIT_START = re.compile(rf"^({UNIT_PATTERN})")  # a line that ends a wrapped amount


def narrative_records(
    pages: Iterable[Page], document_id: str, default_unit: str | None
) -> dict[str, list[Record]]:
    """{"narrative_totals": [...], "three_public": [...], "performance_statements": [...]}
    read from the page text.

    `default_unit` is not used for reading: prose prints the unit after every amount, and
    a number without one (a count, a year, a share) is not an amount.
    """
    del default_unit
    text, offsets, numbers = _joined_text(pages)

    def page_of(position: int) -> int:
        return numbers[bisect.bisect_right(offsets, position) - 1]

    totals: list[Record] = []
    for item, pattern in _TOTAL_PATTERNS.items():
        match = next(
            (
                m
                for m in pattern.finditer(text)
                if item not in _PARTS or not _SCOPED_SECTION.search(_heading(text, m.start()))
            ),
            None,
        )
        if match:
            unit, amount = _amount(match)
            totals.append(
                {
                    "document_id": document_id,
                    "page_number": page_of(match.start()),
                    "item": item,
                    "amount_unit": unit,
                    "amount_yuan": amount,
                    "sentence": _sentence(text, match.start()),
                }
            )
    found = [(m.start(), c, m) for c, p in _CATEGORY_PATTERNS.items() if (m := p.search(text))]
    three_public: list[Record] = []
    for row_index, (start, category, match) in enumerate(sorted(found, key=lambda f: f[0])):
        unit, amount = _amount(match)
        three_public.append(
            {
                "document_id": document_id,
                "page_number": page_of(start),
                "table_index": -1,
                "row_index": row_index,
                "table_title": None,
                "amount_unit": unit,
                "source": "narrative",
                "category": category,
                "category_name": match.group("keyword"),
                "amount_yuan": amount,
            }
        )
    return {
        "narrative_totals": totals,
        "three_public": three_public,
        "performance_statements": _performance(text, page_of, document_id),
    }


def _performance(text: str, page_of: Callable[[int], int], document_id: str) -> list[Record]:
    """The document's first performance statement (none if its prose states none)."""
    for match in _PERFORMANCE.finditer(text):
        sentence = _sentence(text, match.start())
        if not _PERFORMANCE_SENTENCE.search(sentence):
            continue
        counted = _PROJECT_COUNT.search(sentence)
        unit, amount = _amount(match)
        return [
            {
                "document_id": document_id,
                "page_number": page_of(match.start()),
                "project_count": int(counted["before"] or counted["after"]) if counted else None,
                "amount_unit": unit,
                "amount_yuan": amount,
                "sentence": sentence,
            }
        ]
    return []


def _heading(text: str, position: int) -> str:
    """The numbered section heading the statement at `position` stands under ('' if none):
    the heading's line up to its first sentence end."""
    start = 0
    while (found := text.rfind("\n", 0, position)) >= 0:
        line = text[found + 1 : position]
        if _SECTION.match(line):
            start = found + 1
            break
        position = found
    else:
        if not _SECTION.match(text):
            return ""
    line = text[start : text.find("\n", start) if "\n" in text[start:] else len(text)]
    return re.split(r"[。：:；;]", line, maxsplit=1)[0][:40]


def _amount(match: re.Match[str]) -> tuple[str, Decimal]:
    unit = match.group("unit")
    amount = to_yuan(Decimal(match.group("number").replace(",", "")), unit)
    assert amount is not None
    return unit, amount


def _sentence(text: str, position: int) -> str:
    start = max(text.rfind(end, 0, position) for end in _SENTENCE_END) + 1
    ends = [i for end in _SENTENCE_END if (i := text.find(end, position)) >= 0]
    stop = min(ends, default=len(text))
    return text[start : stop + (text[stop : stop + 1] != "\n")].strip()


def _joined_text(pages: Iterable[Page]) -> tuple[str, list[int], list[int]]:
    """All prose of the document as one text, and where each page starts in it.

    Lines of a paragraph are joined without a separator (Chinese wraps anywhere); a line
    break is kept after a line that ends a sentence or is visibly short (a heading, the
    end of a paragraph) and before a numbered section heading, but never between an
    amount and its unit ("3068" / "万元").
    """
    parts: list[str] = []
    offsets: list[int] = []
    numbers: list[int] = []
    length = 0
    previous_ends = True
    for page in pages:
        lines = _prose_lines(page)
        full = max((_width(line) for line in lines), default=0)
        offsets.append(length)
        numbers.append(page.number)
        for line in lines:
            wrapped_amount = bool(
                parts and _UNIT_START.match(line) and re.search(r"[\d万亿]$", parts[-1])
            )
            if parts and not wrapped_amount and (previous_ends or _SECTION.match(line)):
                parts.append("\n")
                length += 1
            parts.append(line)
            length += len(line)
            previous_ends = line.endswith(tuple(_SENTENCE_END)) or _width(line) < 0.75 * full
    return "".join(parts), offsets, numbers


def _prose_lines(page: Page) -> list[str]:
    """The page's text lines outside its ruled tables, normalised, without page numbers."""
    raw = _lines_outside_tables(page) if page.tables else page.text.splitlines()
    lines = [normalize_text(line) for line in raw]
    lines = [line for line in lines if line]
    # a bare number at the top or bottom of a page is a running header or footer
    while lines and _PAGE_NUMBER.match(lines[-1]):
        lines.pop()
    while lines and _PAGE_NUMBER.match(lines[0]):
        lines.pop(0)
    return lines


def _lines_outside_tables(page: Page, tolerance: float = 3.0) -> list[str]:
    boxes = [table.bbox for table in page.tables]
    words = [
        w
        for w in page.tables[0].words
        if not any(
            x0 <= (w.x0 + w.x1) / 2 <= x1 and top <= (w.top + w.bottom) / 2 <= bottom
            for x0, top, x1, bottom in boxes
        )
    ]
    lines: list[tuple[float, list[Word]]] = []
    for word in sorted(words, key=lambda w: (round(w.top), w.x0)):
        if lines and abs(lines[-1][0] - word.top) <= tolerance:
            lines[-1][1].append(word)
        else:
            lines.append((word.top, [word]))
    return [" ".join(w.text for w in sorted(ws, key=lambda w: w.x0)) for _, ws in lines]


def _width(line: str) -> int:
    """Printed width in half-width characters: CJK characters count double."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)
