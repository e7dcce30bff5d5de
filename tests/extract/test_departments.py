"""Whose budget it is (extract/departments.py, extract/regions.py): printed names cleaned,
regions located, and one identity, the same in Python and in dbt's macro."""

from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import pytest

from extract.departments import clean_name, department_key
from extract.regions import locate
from tests.conftest import TESTS, extract_once

KEYS_MACROS = TESTS.parent / "dbt_project" / "macros" / "keys.sql"
REAL_PDFS = sorted((TESTS / "pdfs").glob("real*/*.pdf"))


@pytest.mark.parametrize(
    ("printed", "name"),
    [
        ("西安市审计局（汇总）", "西安市审计局"),  # 西安 p23 部门：西安市审计局（汇总）
        ("深圳市统计局（本级）", "深圳市统计局"),
        ("北京市统计局部门", "北京市统计局"),  # 北京 说明: 北京市统计局部门 2026 年部门预算
        ("_山东省审计厅", "山东省审计厅"),  # 烟台 project form 主管部门 _山东省审计厅
        ("中共江苏省委办公厅", "中共江苏省委办公厅"),  # the prefix is the name: kept
        (" 上海市普陀区 司法局 ", "上海市普陀区司法局"),
        ("重庆市委宣传部", "重庆市委宣传部"),  # a 部 is an organ, not a level
        ("（汇总）", None),
        (None, None),
    ],
)
def test_a_printed_name_loses_punctuation_and_level_markers(
    printed: str | None, name: str | None
) -> None:
    assert clean_name(printed) == name


@pytest.mark.parametrize(
    ("name", "region", "province"),
    [
        ("上海市普陀区司法局", "上海市普陀区", "上海市"),
        ("湖州市财政局", "湖州市", "浙江省"),
        ("烟台市审计局", "烟台市", "山东省"),
        ("吉林市财政局", "吉林市", "吉林省"),  # the city, not the province 吉林
        ("吉林省财政厅", "吉林省", "吉林省"),
        ("江苏省南京市财政局", "南京市", "江苏省"),
        ("江苏省委办公厅", "江苏省", "江苏省"),
        ("恩施州财政局", "恩施土家族苗族自治州", "湖北省"),
        ("广西财政厅", "广西壮族自治区", "广西壮族自治区"),
        ("杭州司法局", "杭州市", "浙江省"),
        ("济源示范区财政局", "济源示范区", "河南省"),
        ("财政局", None, None),
    ],
)
def test_region_and_province_come_from_the_name(name: str, region: str, province: str) -> None:
    assert locate(name) == (region, province)


def test_two_counties_departments_of_one_name_are_two_departments() -> None:
    huzhou, hangzhou = ("湖州市", "浙江省"), ("杭州市", "浙江省")
    assert department_key("财政局", *huzhou) != department_key("财政局", *hangzhou)
    # a party organ's tables and its explanatory document's cover name one department
    assert department_key("中共江苏省委办公厅", "江苏省", "江苏省") == department_key(
        "江苏省委办公厅", "江苏省", "江苏省"
    )


def test_dbt_macro_computes_the_python_identity() -> None:
    """dbt_project/macros/keys.sql, rendered as dbt renders it, run on DuckDB (the
    warehouse's engine), gives extract.departments.department_key for every case."""
    macros = jinja2.Environment().from_string(KEYS_MACROS.read_text()).module
    cases = [
        ("中共江苏省委办公厅", "江苏省", "江苏省"),
        ("江苏省委办公厅", "江苏省", "江苏省"),
        ("财政局", "湖州市", "浙江省"),
        ("财政局", None, None),
        ("上海市普陀区人民政府办公室", "上海市普陀区", "上海市"),
        ("中共中央宣传部", None, None),
        ("市委中共联络处", "杭州市", None),  # 中共 only as a prefix
    ]
    sql = macros.department_key("name", "region", "province")  # type: ignore[attr-defined]
    con = duckdb.connect()
    con.execute("create table t (name varchar, region varchar, province varchar)")
    con.executemany("insert into t values (?, ?, ?)", cases)
    computed = con.execute(f"select name, region, province, {sql} from t").fetchall()
    assert {(n, r, p): key for n, r, p, key in computed} == {
        case: department_key(*case) for case in cases
    }


@pytest.mark.parametrize("path", REAL_PDFS, ids=lambda p: p.name)
def test_every_real_document_names_its_department_region_and_year(path: Path) -> None:
    document = extract_once(path).document
    assert document["department_name"] == clean_name(document["department_name"])
    # the file names it too ("广州_统计局_…": the city's 市 left out)
    assert document["department_name"].removeprefix("中共") in path.name.replace("_", "市")
    assert document["region"] and document["province"]
    assert str(document["fiscal_year"]) in path.name
