"""Document families: each module recognises its tables and turns their rows into records.

Every family module exposes `NAME` (the staged family it writes), `matches(table)` (by
title), `matches_header(table, context)` (an untitled table, by its header cells) and
`parse(table, context)`. `FAMILIES` is the order they are tried in: the first match wins,
every family's title before any family's header.
"""

from __future__ import annotations

from extract.families import (
    basic_expenditure,
    budget_summary,
    function_expenditure,
    income_sources,
    indicators,
    meeting_training,
    performance_summary,
    policy_targets,
    procurement,
    project_expenditure,
    service_purchase,
    three_public,
)
from extract.families.base import Context, Family, Problem, untitled
from extract.tables import LogicalTable

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
    procurement,
    service_purchase,
    meeting_training,
]


def recognise(table: LogicalTable, context: Context) -> Family | None:
    """The family that reads `table`: by its title, else (untitled) by its header."""
    family = next((f for f in FAMILIES if f.matches(table)), None)
    if family is None and untitled(table):
        family = next((f for f in FAMILIES if f.matches_header(table, context)), None)
    return family


__all__ = ["FAMILIES", "Context", "Family", "Problem", "recognise"]
