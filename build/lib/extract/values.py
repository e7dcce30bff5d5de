"""Value parsing: printed text -> exact values (amounts, units, indicator targets, names)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from extract.reference import amount_units

# Printed unit -> factor to yuan (extract/reference/amount_units.csv, dbt's seed too).
UNIT_FACTORS: dict[str, Decimal] = amount_units()
# The printed units as a regex alternation, the longest first (万元|亿元|元).
UNIT_PATTERN = "|".join(sorted(map(re.escape, UNIT_FACTORS), key=len, reverse=True))
# The unit of a table that prints none, in a document that states none either.
DEFAULT_UNIT = "万元"

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_SPACE_NEXT_TO_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")
_AMOUNT = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_UNIT_LINE = re.compile(rf"单位\s*[:：]\s*({UNIT_PATTERN})")
_BLANKS = {"", "-", "—", "－", "——", "/", "0.00-"}


# Full-width digits and Latin letters fold to ASCII; punctuation stays as printed
# (names keep "维修(护)费" and "（单位）" exactly as the document prints them).
_FULL_WIDTH_ALNUM = {
    c: c - 0xFEE0 for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
}


def normalize_text(text: str | None) -> str:
    """Fold full-width digits and letters, and drop the line breaks a cell wraps at.

    Whitespace between CJK characters is layout, not content ("工资福利支\\n出" is one word);
    whitespace between Latin words is kept as one space.
    """
    if text is None:
        return ""
    folded = text.translate(_FULL_WIDTH_ALNUM).replace("\u3000", " ")
    joined = _SPACE_NEXT_TO_CJK.sub("", folded)
    return re.sub(r"\s+", " ", joined).strip()


def clean_cell(text: str | None) -> str | None:
    """A table cell as printed, whitespace-normalised; None for an empty cell."""
    value = normalize_text(text)
    return value or None


def parse_amount(text: str | None) -> Decimal | None:
    """Parse a printed amount exactly: '1,234.5' -> Decimal('1234.5'); blank -> None.

    Raises ValueError for text that is neither blank nor a number.
    """
    value = unicodedata.normalize("NFKC", text or "").replace(" ", "").replace("\n", "")
    if value in _BLANKS:
        return None
    if not _AMOUNT.match(value):
        raise ValueError(f"not an amount: {text!r}")
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only numbers
        raise ValueError(f"not an amount: {text!r}") from exc


def is_amount(text: str | None) -> bool:
    try:
        return parse_amount(text) is not None
    except ValueError:
        return False


def decimals_of(text: str | None) -> int:
    """How many decimals a printed amount shows ('1,234.50' -> 2)."""
    value = unicodedata.normalize("NFKC", text or "").strip()
    return len(value.split(".", 1)[1]) if "." in value else 0


def to_yuan(amount: Decimal | None, unit: str) -> Decimal | None:
    """Convert a printed amount to yuan, exactly."""
    if amount is None:
        return None
    if unit not in UNIT_FACTORS:
        raise ValueError(f"unknown amount unit {unit!r}; expected one of {sorted(UNIT_FACTORS)}")
    return amount * UNIT_FACTORS[unit]


def find_unit(text: str) -> str | None:
    """The amount unit announced by a '单位：万元' line, if any."""
    match = _UNIT_LINE.search(unicodedata.normalize("NFKC", text).replace(":", "："))
    return match.group(1) if match else None


@dataclass(frozen=True)
class Target:
    comparator: str | None
    value: Decimal | None
    unit: str | None


_COMPARATORS = {
    "≥": ">=",
    ">=": ">=",
    "≧": ">=",
    "\\geq": ">=",
    "不低于": ">=",
    "不少于": ">=",
    "≤": "<=",
    "<=": "<=",
    "≦": "<=",
    "\\leq": "<=",
    "不高于": "<=",
    "不超过": "<=",
    ">": ">",
    "<": "<",
    "=": "=",
    "＝": "=",
}
_TARGET = re.compile(
    r"^(?P<cmp>≥|>=|≧|\\geq|不低于|不少于|≤|<=|≦|\\leq|不高于|不超过|>|<|=)?\s*"
    r"(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>%|‰|[\u3400-\u9fffA-Za-z/·²³]{1,6})?$"
)


_DEADLINE_WORDS = ("前", "后", "内", "底", "以来")


def parse_target(raw: str | None) -> Target:
    """Split an indicator target into comparator, value and unit.

    '≥90%' -> ('>=', 90, '%'); '≤2580万元' -> ('<=', 2580, '万元'); '100%' -> ('=', 100, '%').
    Text that is not one number with an optional unit ('预算批复60日内', '提高',
    '≥2020年建成5G基站数量的5%') keeps comparator and value null.
    """
    text = unicodedata.normalize("NFKC", normalize_text(raw))
    text = text.replace("$", "").replace(" ", "").replace(",", "")
    if not text:
        return Target(None, None, None)
    match = _TARGET.match(text)
    if not match:
        return Target(None, None, None)
    comparator = _COMPARATORS[match.group("cmp")] if match.group("cmp") else "="
    unit = match.group("unit")
    if unit and any(word in unit for word in _DEADLINE_WORDS):  # "12月底前" is a date
        return Target(None, None, None)
    return Target(comparator, Decimal(match.group("num")), unit)


_QUALITATIVE = ("定性",)


def printed_target(value: str | None, comparator: str | None, unit: str | None) -> Target:
    """A target printed over three cells: 指标性质 (≥, ＝, ≤, 定性) | 指标值 | 度量单位.

    ('≥', '27', '座') -> ('>=', 27, '座'); ('定性', '优', None) and ('定性', '1', None)
    -> nothing numeric. A comparator or unit printed in the value cell itself wins; a
    指标性质 that is no comparator (正向) leaves the value's own.
    """
    target = parse_target(value)
    nature = unicodedata.normalize("NFKC", normalize_text(comparator)).replace(" ", "")
    if nature in _QUALITATIVE or target.value is None:
        return Target(None, None, None)
    text = unicodedata.normalize("NFKC", normalize_text(value)).replace(" ", "")
    match = _TARGET.match(text.replace("$", "").replace(",", ""))
    printed = bool(match and match.group("cmp"))
    return Target(
        target.comparator if printed else _COMPARATORS.get(nature, target.comparator),
        target.value,
        target.unit or normalize_text(unit) or None,
    )
