"""Document families: each module recognises its tables and turns their rows into records.

Every family module exposes `NAME` (the staged family it writes), `matches(table)` and
`parse(table, context)`. `FAMILIES` is the order they are tried in: the first match wins.
"""

from __future__ import annotations

from extract.families import (
    basic_expenditure,
    budget_summary,
    function_expenditure,
    income_sources,
    indicators,
    performance_summary,
    policy_targets,
    project_expenditure,
    three_public,
)
from extract.families.base import Context, Family, Problem

FAMILIES: list[Family] = [
    function_expenditure,
    basic_expenditure,
    project_expenditure,
    performance_summary,
    three_public,
    budget_summary,
    income_sources,
    policy_targets,
    indicators,
]

__all__ = ["FAMILIES", "Context", "Family", "Problem"]
