"""The performance statement of real documents' prose (预算绩效目标设置情况), read as
printed (hand-read from each PDF): the projects under performance-target management and the
money they cover, in the phrasings of Jiangsu, Shanghai, 杭州, 湖州, 深圳, 烟台, 西安 and 重庆;
carried into marts.fct_performance_statement."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import NATIONAL, REAL, extract_once

JIANGSU = REAL.parent / "real-jiangsu"
WAN = Decimal(10000)

# file -> (page, projects stated or None, 万元 as printed)
STATED = {
    # "2018年本部门共0个项目实行绩效目标管理，涉及财政性资金合计0万元。"
    JIANGSU / "江苏省委办公厅2018年度部门预算公开文件.pdf": (12, 0, "0"),
    JIANGSU / "江苏省委办公厅2019年度部门预算公开文件.pdf": (13, 0, "0"),
    JIANGSU / "江苏省政协办公厅2018年度部门预算.pdf": (15, 0, "0"),
    JIANGSU / "江苏省政协办公厅2019年度部门预算.pdf": (17, 0, "0"),
    # "共计31个一级项目，涉及资金28,506.17万元"
    NATIONAL / "2026年杭州市司法局部门预算.pdf": (16, 31, "28506.17"),
    NATIONAL / "2026年湖州市财政局部门预算.pdf": (12, 7, "1266.75"),
    # "涉及预算资金1,531.45万元，设置并编报5个项目绩效目标"
    NATIONAL / "2026年深圳市审计局部门预算.pdf": (13, 5, "1531.45"),
    NATIONAL / "2026年深圳市统计局部门预算.pdf": (10, 4, "1313.80"),
    # "涉及一级预算项目6个，预算资金781.5万元，其中财政拨款4.5万元"
    NATIONAL / "2026年烟台市审计局部门预算.pdf": (29, 6, "781.5"),
    # "涉及当年一般公共预算拨款4005.29万元，政府性基金预算拨款0.00万元" (no count)
    NATIONAL / "2026年西安市审计局部门预算.pdf": (18, None, "4005.29"),
    # "涉及一般公共预算财政拨款24,991.96万元" (no count)
    NATIONAL / "2026年重庆市委宣传部部门预算.pdf": (5, None, "24991.96"),
    NATIONAL / "2026年重庆市水利局部门预算.pdf": (8, None, "94823.35"),
    # "编报绩效目标的项目50个，涉及项目预算资金5634.81万元"
    REAL / "上海市普陀区人民政府万里街道办事处2024年预算.pdf": (32, 50, "5634.81"),
    REAL / "上海市普陀区人民政府万里街道办事处2025年预算.pdf": (30, 49, "8825.98"),
    # a unit's set: "本单位编报绩效目标的项目共11个，涉及项目预算资金6626万元"
    REAL / "上海市普陀区人民政府办公室2025年单位预算.pdf": (21, 11, "6626"),
    REAL / "上海市普陀区人民政府办公室2025年部门预算.pdf": (21, 11, "6626"),
    REAL / "上海市普陀区司法局2026年单位预算.pdf": (21, 19, "6484.05"),
    REAL / "上海市普陀区司法局2026年部门预算.pdf": (22, 20, "7054.05"),
    REAL / "上海市普陀区商务委员会2025年单位预算.pdf": (22, 25, "11381.60"),
    REAL / "上海市普陀区商务委员会2025年部门预算.pdf": (22, 25, "11381.60"),
}
# prose that speaks of 绩效目标 without such a statement, and documents of tables alone
SILENT = [
    NATIONAL / "2026年福州市医疗保障局部门预算.pdf",  # "编制绩效目标并公开", no figure
    NATIONAL / "2026年北京市财政局部门预算.pdf",
    NATIONAL / "广州_统计局_2026年部门预算.pdf",
    NATIONAL / "2026年北京市统计局部门预算报表_附件2.pdf",
    JIANGSU / "江苏省政协办公厅2019年预算公开表.pdf",
]


def stated(path: Path) -> list[tuple[int, int | None, Decimal]]:
    return [
        (r["page_number"], r["project_count"], r["amount_yuan"])
        for r in extract_once(path).frames.get("performance_statements", [])
    ]


@pytest.mark.parametrize("path", list(STATED), ids=lambda p: p.stem)
def test_performance_statement_read_from_prose(path: Path) -> None:
    page, projects, wan = STATED[path]
    assert stated(path) == [(page, projects, Decimal(wan) * WAN)]


@pytest.mark.parametrize("path", SILENT, ids=lambda p: p.stem)
def test_documents_that_state_none_give_none(path: Path) -> None:
    assert stated(path) == []


@pytest.mark.integration
def test_performance_statements_reach_the_mart(national_warehouse: Path) -> None:
    with duckdb.connect(str(national_warehouse), read_only=True) as con:
        rows = con.execute(
            """select d.file_name, p.page_number, p.project_count, p.amount_yuan
               from marts.fct_performance_statement p join marts.dim_document d
               using (document_id)"""
        ).fetchall()
    national = {p.name: v for p, v in STATED.items() if p.parent == NATIONAL}
    assert {name: (page, count, yuan) for name, page, count, yuan in rows} == {
        name: (page, projects, Decimal(wan) * WAN)
        for name, (page, projects, wan) in national.items()
    }
