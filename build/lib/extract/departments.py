"""Whose budget it is: a department's printed name cleaned, and its identity.

A department prints its name in several ways across one budget and across years: with
a level marker (`西安市审计局（汇总）`, `深圳市统计局（本级）`, `北京市统计局部门`), with
stray punctuation from a form's layout (`_烟台市审计局`), with or without the party's
prefix (a party organ prints `中共江苏省委办公厅` on its tables and `江苏省委办公厅` on the
cover of its explanatory document). `clean_name` removes what is not the name; the
identity is the cleaned name without the prefix 中共, within its region and province,
since every county has its 财政局.

`department_key` is the one identity: dim_department's key (dbt's macro of the same name
in `dbt_project/macros/keys.sql`, kept equal by tests/extract/test_departments.py), the
budget of re-issue detection (yusuan/versions.py) and the pairing of an explanatory
document with its tables document (fct_narrative_check).
"""

from __future__ import annotations

import hashlib
import re

# level markers printed after the name: （汇总） (the department with its units), （本级）
# (its own office), （部门） / （单位）
_LEVEL = re.compile(r"[（(]\s*(?:汇总|本级|本部|部门|单位|合并)\s*[)）]$")
# a bare 部门 after an organ's name (北京市统计局部门): the name ends before it
_ORGAN_THEN_DEPARTMENT = re.compile(r"(?<=[局委办厅院会室处署部所馆站队团社联行])部门$")
_STRAY = "_-—–·•.。,，:：;；、 \u3000*#"
_PARTY = re.compile(r"^中共")


def clean_name(name: str | None) -> str | None:
    """A department's name as printed, without stray punctuation and level markers;
    None when nothing is left."""
    if not name:
        return None
    text = "".join(name.split()).strip(_STRAY)
    previous = None
    while previous != text:
        previous = text
        text = _ORGAN_THEN_DEPARTMENT.sub("", _LEVEL.sub("", text)).strip(_STRAY)
    return text or None


def identity_name(name: str) -> str:
    """The part of a cleaned name that tells the department: without the party's prefix."""
    return _PARTY.sub("", name)


def department_key(name: str, region: str | None, province: str | None) -> str:
    """The department's identity: md5 of province, region and identity name."""
    text = f"{province or ''}|{region or ''}|{identity_name(name)}"
    return hashlib.md5(text.encode()).hexdigest()
