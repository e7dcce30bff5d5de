"""The header vocabulary: which printed column header is which canonical column.

The words live in one data file, `extract/vocabulary.toml` (read its header for the rule
syntax); this module reads it and matches header paths against it. A family asks
`columns(family, labels)` for where each canonical column sits, and `unknown(...)` for the
amount columns its vocabulary did not name (kept out of its rows, listed by the survey).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from extract.pdf import Row
from extract.values import parse_amount

SEPARATOR = " > "  # how a header path is printed: 基本支出 > 人员经费
# The columns a family knows and deliberately does not stage (fund sources of a table whose
# mart has no fund-source dimension, a label column printing codes): never a canonical
# column the family reads (`columns`, `role`), never listed as unknown (`unknown`).
NOT_STAGED = "not_staged"


@dataclass(frozen=True)
class Rule:
    """A header path pattern: one regex per label, in order, others allowed between."""

    path: tuple[re.Pattern[str], ...]
    sum: bool = False
    deepest: bool = False  # the last regex matches the deepest label only
    unless: re.Pattern[str] | None = None  # no label of the column may match it

    def matches(self, labels: list[str]) -> bool:
        if self.unless is not None and any(self.unless.search(label) for label in labels):
            return False
        if self.deepest:
            *above, last = self.path
            return (
                bool(labels)
                and bool(last.search(labels[-1]))
                and (Rule(tuple(above)).matches(labels[:-1]))
            )
        position = 0
        for pattern in self.path:
            while position < len(labels) and not pattern.search(labels[position]):
                position += 1
            if position == len(labels):
                return False
            position += 1
        return True


@dataclass(frozen=True)
class Label:
    """A label pattern and what it names (a category, a source)."""

    match: re.Pattern[str]
    means: str


@cache
def data() -> Mapping[str, Any]:
    """The parsed vocabulary file, shipped inside the package."""
    text = resources.files("extract").joinpath("vocabulary.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def rules(family: str) -> dict[str, tuple[Rule, ...]]:
    """Canonical column -> its rules, in the file's order."""
    return {
        name: tuple(
            Rule(
                tuple(re.compile(p) for p in entry["path"]),
                sum=bool(entry.get("sum", False)),
                deepest=bool(entry.get("deepest", False)),
                unless=re.compile(entry["unless"]) if "unless" in entry else None,
            )
            for entry in entries
        )
        for name, entries in data()[family].get("columns", {}).items()
    }


@cache
def labels(family: str, key: str, meaning: str) -> tuple[Label, ...]:
    """An ordered label list of a family (e.g. three_public.labels), first match wins."""
    return tuple(Label(re.compile(e["match"]), e[meaning]) for e in data()[family][key])


def pattern(family: str, key: str) -> re.Pattern[str]:
    """A single pattern of a family (e.g. income_sources.carryover_groups)."""
    return re.compile(data()[family][key])


def unmodelled(title: str | None, header: str) -> str | None:
    """The reason a table no family reads is deliberately not read ([unmodelled]: its
    title or its header text matches an entry), or None."""
    plain_title = re.sub(r"\s", "", title or "")
    plain_header = re.sub(r"\s", "", header)
    for entry in data()["unmodelled"]["tables"]:
        if "title" in entry and re.search(entry["title"], plain_title):
            return str(entry["reason"])
        if "header" in entry and re.search(entry["header"], plain_header):
            return str(entry["reason"])
    return None


def meaning(entries: Iterable[Label], label: str) -> str | None:
    """What the first matching entry says `label` means, or None."""
    return next((e.means for e in entries if e.match.search(label)), None)


def plain_path(texts: list[str]) -> list[str]:
    """A column's labels as the rules see them: whitespace removed, empty ones dropped."""
    return [t for t in (re.sub(r"\s", "", text) for text in texts) if t]


def columns(family: str, header: list[list[str]]) -> dict[str, list[int]]:
    """Canonical column -> the header columns it reads (several when summed).

    `header` is per column its labels top-down (base.column_labels). A canonical column
    none of whose rules matches is absent.
    """
    paths = [plain_path(texts) for texts in header]
    found: dict[str, list[int]] = {}
    for name, candidates in rules(family).items():
        if name == NOT_STAGED:
            continue
        for rule in candidates:
            hits = [c for c, path in enumerate(paths) if rule.matches(path)]
            if hits:
                found[name] = hits if rule.sum else hits[:1]
                break
    return found


def role(family: str, texts: list[str]) -> str | None:
    """The canonical column one column's labels name: the first, in the file's order, one of
    whose rules matches them (a column-by-column reading, where `columns` finds each canonical
    column's place)."""
    path = plain_path(texts)
    for name, candidates in rules(family).items():
        if name != NOT_STAGED and any(rule.matches(path) for rule in candidates):
            return name
    return None


def unknown(
    family: str, header: list[list[str]], body: Iterable[Row], known: Iterable[int] = ()
) -> list[str]:
    """Header paths of the columns that print amounts in the body but that no rule of the
    family's vocabulary names, its `not_staged` rules included (`known`: columns the family
    knows by other means: label columns, or labels of its own list such as 三公
    categories)."""
    taken = set(known)
    every = [rule for candidates in rules(family).values() for rule in candidates]
    rows = list(body)
    return [
        SEPARATOR.join(plain_path(texts)) or f"column {c + 1}"
        for c, texts in enumerate(header)
        if c not in taken
        and not any(rule.matches(plain_path(texts)) for rule in every)
        and any(_is_amount(row[c]) for row in rows if c < len(row))
    ]


def _is_amount(cell: str | None) -> bool:
    try:
        return parse_amount(cell) is not None
    except ValueError:
        return False
