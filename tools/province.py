"""A province of generated department budgets: N distinct documents, deterministic from a seed.

Every county and city of one province (real Henan names) publishes one budget per
department and year; the same department (财政局, 教育局, …) recurs in every region. Each
document is a `tools.samplegen.DocumentSpec` rendered by samplegen's renderer, with the
families the project reads: 收支总表, 收入总表, 支出总表 and 一般公共预算支出表 by function
code, 基本支出 by economic code, 三公, 部门整体绩效目标 and one 项目绩效目标表 per project.
Sizes vary (function rows, projects, indicators); every table agrees with every other, as
samplegen computes parents and totals from the leaves.

Rendering is cached by spec hash (a spec's PDF is rendered once per work folder) and spread
over a process pool; `catalog` writes the sources catalog a province's crawl would give
(region and province of each document, which a county's printed name does not tell).

    python -m tools.province OUT_DIR --documents N [--seed S] [--workers W]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from tools import samplegen as sg

PROVINCE = "河南省"
# prefecture-level cities of Henan and some of their counties (county-level cities, 县, 区)
CITIES: dict[str, tuple[str, ...]] = {
    "郑州市": ("中牟县", "巩义市", "荥阳市", "新密市", "新郑市", "登封市", "上街区"),
    "开封市": ("杞县", "通许县", "尉氏县", "兰考县", "祥符区"),
    "洛阳市": ("孟津区", "新安县", "栾川县", "嵩县", "汝阳县", "宜阳县", "洛宁县", "伊川县"),
    "平顶山市": ("宝丰县", "叶县", "鲁山县", "郏县", "舞钢市", "汝州市"),
    "安阳市": ("林州市", "安阳县", "汤阴县", "滑县", "内黄县"),
    "鹤壁市": ("浚县", "淇县", "淇滨区"),
    "新乡市": ("获嘉县", "原阳县", "延津县", "封丘县", "长垣市", "卫辉市", "辉县市"),
    "焦作市": ("修武县", "博爱县", "武陟县", "温县", "沁阳市", "孟州市"),
    "濮阳市": ("清丰县", "南乐县", "范县", "台前县", "濮阳县"),
    "许昌市": ("鄢陵县", "襄城县", "禹州市", "长葛市", "建安区"),
    "漯河市": ("舞阳县", "临颍县", "郾城区"),
    "三门峡市": ("渑池县", "卢氏县", "义马市", "灵宝市", "陕州区"),
    "南阳市": ("南召县", "方城县", "西峡县", "镇平县", "内乡县", "淅川县", "社旗县", "唐河县"),
    "商丘市": ("民权县", "睢县", "宁陵县", "柘城县", "虞城县", "夏邑县", "永城市"),
    "信阳市": ("罗山县", "光山县", "新县", "商城县", "固始县", "潢川县", "淮滨县", "息县"),
    "周口市": ("扶沟县", "西华县", "商水县", "沈丘县", "郸城县", "太康县", "鹿邑县", "项城市"),
    "驻马店市": ("西平县", "上蔡县", "平舆县", "正阳县", "确山县", "泌阳县", "汝南县", "遂平县"),
}
REGIONS: tuple[str, ...] = tuple(
    region for city, counties in CITIES.items() for region in (city, *counties)
)
YEARS = (2023, 2024, 2025, 2026)


@dataclass(frozen=True)
class DepartmentKind:
    """A department every region has: its name and the function 款 of its own work."""

    name: str
    kuan: str  # 5-digit function code its 行政运行 and projects fall under
    themes: tuple[str, ...]  # what its projects are about


DEPARTMENTS: tuple[DepartmentKind, ...] = (
    DepartmentKind("财政局", "20106", ("预算绩效管理", "财政国库集中支付", "政府采购监管")),
    DepartmentKind("审计局", "20108", ("审计业务", "经济责任审计", "审计信息化")),
    DepartmentKind("统计局", "20105", ("统计抽样调查", "经济普查", "统计数据质量核查")),
    DepartmentKind("发展和改革委员会", "20104", ("重点项目谋划", "价格监测", "规划编制")),
    DepartmentKind("人民政府办公室", "20103", ("政务服务", "电子政务运维", "机关后勤保障")),
    DepartmentKind("商务局", "20113", ("招商引资", "电子商务进农村", "外贸企业服务")),
    DepartmentKind("信访局", "20140", ("信访事项办理", "矛盾纠纷化解", "信访信息系统")),
    DepartmentKind("司法局", "20406", ("法律援助", "人民调解", "社区矫正")),
    DepartmentKind("教育局", "20502", ("义务教育公用经费", "校舍维修改造", "学前教育补助")),
    DepartmentKind("科学技术局", "20601", ("科技创新券", "高新技术企业培育", "科普活动")),
    DepartmentKind("文化广电和旅游局", "20701", ("群众文化活动", "公共图书馆运行", "旅游推介")),
    DepartmentKind("人力资源和社会保障局", "20801", ("职业技能培训", "就业见习补贴", "劳动监察")),
    DepartmentKind("民政局", "20802", ("养老服务", "社会救助核查", "殡葬管理")),
    DepartmentKind("退役军人事务局", "20828", ("退役军人服务站", "优抚对象慰问", "就业创业培训")),
    DepartmentKind("卫生健康委员会", "21004", ("基本公共卫生服务", "疾病预防控制", "健康教育")),
    DepartmentKind("医疗保障局", "21015", ("医保基金监管", "医保信息化", "异地就医结算")),
    DepartmentKind("农业农村局", "21301", ("高标准农田建设", "动物防疫", "农技推广")),
    DepartmentKind("水利局", "21303", ("河湖长制", "农村饮水安全", "水土保持")),
    DepartmentKind("交通运输局", "21401", ("农村公路养护", "道路运输监管", "公交补贴")),
    DepartmentKind("工业和信息化局", "21505", ("中小企业服务", "工业园区建设", "节能监察")),
    DepartmentKind("自然资源局", "22001", ("国土空间规划", "不动产登记", "土地执法")),
)
# 款 every budget has besides its own: pensions, medical insurance, housing fund (personnel)
_COMMON = ("2080505", "2080506", "2101101", "2210201")
_OPTIONAL = ("2080501", "2080502", "2101102")
# economic 款 of basic expenditure: personnel (301, 303), public (302)
_PERSONNEL = ("30101", "30102", "30103", "30107", "30108", "30109", "30110", "30112", "30113",
              "30199", "30302", "30305")  # fmt: skip
_PUBLIC = ("30201", "30205", "30206", "30207", "30211", "30213", "30215", "30216", "30217",
           "30228", "30231", "30299")  # fmt: skip
_RECEPTION, _VEHICLES = "30217", "30231"
_OUTPUTS = (
    ("数量指标", "覆盖服务对象数", "≥{n}个"),
    ("数量指标", "完成工作任务数", "{n}项"),
    ("质量指标", "验收合格率", "100%"),
    ("质量指标", "资金使用合规率", "100%"),
    ("时效指标", "任务完成及时率", "≥95%"),
    ("时效指标", "资金拨付及时率", "100%"),
)
_DEPARTMENT_INDICATORS = """
投入管理指标|工作目标管理|年度履职目标相关性|相关|年度履职目标与部门职责相符
||工作任务科学性|科学
|预算和财务管理|预算执行率|≥90%|预算执行率=（预算完成数/预算数）×100%
||结转结余率|≤10%
||“三公经费”控制率|≤100%
||资金使用合规性|合规|是否符合国家财经法规和财务管理制度规定
产出指标|重点工作任务完成|重点工作按期完成率|≥95%
|履职目标实现|年度任务完成率|100%
效益指标|履职效益|服务对象满意度提升|持续提升
|满意度|社会公众满意度|≥90%|反映社会公众对部门履职的满意程度
"""


@dataclass(frozen=True)
class Budget:
    """Which budget a document is: a department of a region in a year."""

    region: str
    kind: DepartmentKind
    fiscal_year: int

    @property
    def department(self) -> str:
        return f"{self.region}{self.kind.name}"


def budgets(n: int, seed: int = 0) -> list[Budget]:
    """N distinct budgets, spread over regions, departments and years: the same seed gives
    the same first k budgets whatever N (a larger province only adds documents)."""
    every = [Budget(r, k, y) for r in REGIONS for k in DEPARTMENTS for y in YEARS]
    if n > len(every):
        raise ValueError(f"at most {len(every)} distinct budgets, asked for {n}")
    random.Random(seed).shuffle(every)
    return every[:n]


def _tenths(rng: random.Random, low: int, high: int) -> Decimal:
    """An amount in 万元 with one decimal, between low and high."""
    return Decimal(rng.randint(low * 10, high * 10)) / 10


def _split(rng: random.Random, total: Decimal, codes: Sequence[str]) -> dict[str, Decimal]:
    """`total` (万元, one decimal) over `codes` by random weights, exactly."""
    tenths = int(total * 10)
    weights = [rng.randint(1, 10) for _ in codes]
    parts = [tenths * w // sum(weights) for w in weights]
    parts[0] += tenths - sum(parts)
    return {code: Decimal(part) / 10 for code, part in zip(codes, parts, strict=True)}


def _items(kuan: str) -> list[str]:
    """The 项 codes a real budget printed under 款 `kuan` (extract/reference)."""
    names = {*sg._printed_names("function_names.csv", "function_code"), *sg.FUNCTION_CODE_NAMES}
    return sorted(code for code in names if len(code) == 7 and code.startswith(kuan))


def _form(
    budget: Budget, rng: random.Random, name: str, code: str, amount: Decimal
) -> sg.ProjectForm:
    outputs = rng.sample(_OUTPUTS, rng.randint(2, len(_OUTPUTS)))
    special = _tenths(rng, 1, int(amount) // 3 or 1) if rng.random() < 0.2 else sg.ZERO
    return sg.ProjectForm(
        name=name,
        department=budget.department,
        unit=budget.department,
        amount=amount,
        indicators=sg._project_indicators(
            (f"{name}成本", f"≤{amount}万元", "按实际发生结算"),
            [(a, b, c.format(n=rng.randint(3, 300))) for a, b, c in outputs],
            (f"{budget.kind.themes[0]}工作水平", "持续提升"),
            ("服务对象满意度", f"≥{rng.choice((85, 90, 95))}%"),
        ),
        goal=f"完成{name}年度任务，资金按进度拨付，绩效目标按期实现。",
        function_code=code,
        special_account_amount=min(special, amount),
    )


def _forms(budget: Budget, rng: random.Random, codes: Sequence[str]) -> list[sg.ProjectForm]:
    """1 to 12 projects on the department's own 项 codes, names unique within the budget."""
    count = rng.randint(1, 12)
    themes = [*budget.kind.themes, "信息化运维", "业务培训", "专项工作", "档案数字化"]
    names = [f"{budget.fiscal_year}年{themes[i % len(themes)]}经费" for i in range(count)]
    names = [f"{name}（{i // len(themes) + 1}期）" if i >= len(themes) else name
             for i, name in enumerate(names)]  # fmt: skip
    return [_form(budget, rng, name, rng.choice(codes), _tenths(rng, 5, 900)) for name in names]


def spec(budget: Budget, seed: int = 0) -> sg.DocumentSpec:
    """One department budget, every table consistent with every other."""
    rng = random.Random(f"{seed}|{budget.department}|{budget.fiscal_year}")
    own = _items(budget.kind.kuan)
    running = own[0]  # 行政运行 (xx01) carries the office's basic expenditure
    projects = [code for code in own if code != running] or own
    forms = _forms(budget, rng, projects)
    staff = rng.randint(200, 4000)  # sizes vary with the department
    basic_codes = [running, *_COMMON, *rng.sample(_OPTIONAL, rng.randint(0, len(_OPTIONAL)))]
    running_cost = (_tenths(rng, staff // 10, staff // 5), _tenths(rng, staff // 40, staff // 20))
    basic = [
        (running, str(running_cost[0]), str(running_cost[1])),
        *((code, str(_tenths(rng, staff // 60, staff // 20)), "0") for code in basic_codes[1:]),
    ]
    leaves = sg._leaves(
        basic,
        [(f.function_code, f.government_amount, f.amount - f.government_amount) for f in forms],
    )
    year, department = budget.fiscal_year, budget.department

    def function_table(
        title: str, scope: sg.BudgetScope, layout: sg.FunctionLayout
    ) -> sg.FunctionTable:
        rows = sg._function_rows(
            leaves, scope=scope, layout=layout, department=department, unit_code=unit_code
        )
        return sg.FunctionTable(title=title, scope=scope, layout=layout, rows=rows)

    unit_code = f"{rng.randint(100, 999)}001"
    all_funds = function_table(f"{year}年部门支出总体情况表", "all_funds", "code_columns_with_unit")
    gpb = function_table(
        f"{year}年一般公共预算支出情况表", "general_public_budget", "code_hierarchy"
    )
    total, g = all_funds.total_row, gpb.total_row
    personnel, public = total.personnel or sg.ZERO, total.public or sg.ZERO
    people = _split(rng, personnel, _PERSONNEL)
    office = _split(rng, public, _PUBLIC)
    economic = sg.economic_table(
        f"{year}年一般公共预算基本支出表",
        [(c, a, sg.ZERO) for c, a in people.items()] + [(c, sg.ZERO, a) for c, a in office.items()],
    )
    three_public = sg.ThreePublicTable(
        title=f"{year}年一般公共预算“三公”经费支出情况表",
        overseas_travel=_tenths(rng, 0, 5) if rng.random() < 0.1 else sg.ZERO,
        reception=office[_RECEPTION],
        vehicle_purchase=_tenths(rng, 10, 30) if rng.random() < 0.1 else sg.ZERO,
        vehicle_operation=office[_VEHICLES],
    )
    income = _income(f"{year}年部门收入总体情况表", leaves)
    special = total.total - g.total
    performance = sg.DepartmentPerformanceTable(
        department=department,
        annual_goal=f"履行{budget.kind.name}职能，做好{'、'.join(budget.kind.themes)}等工作。",
        tasks=tuple(
            sg.Task(theme, f"推进{theme}工作，按期完成年度任务") for theme in budget.kind.themes
        ),
        budget_total=total.total,
        government_funds=g.total,
        special_account_funds=special,
        unit_funds=sg.ZERO,
        basic=total.basic,
        project=total.project,
        indicators=sg._indicator_lines(_DEPARTMENT_INDICATORS),
    )
    return sg.DocumentSpec(
        file_name=f"{department}{year}年部门预算.pdf",
        title=f"{department}{year}年部门预算公开",
        department=department,
        fiscal_year=year,
        unit="万元",
        budget_level="department",
        province=PROVINCE,
        region=budget.region,
        unit_code=unit_code,
        narrative=_narrative(department, year, total, g, len(forms)),
        tables=(
            sg._henan_summary(f"{year}年部门收支总体情况表", all_funds, gpb),
            income,
            all_funds,
            gpb,
            economic,
            three_public,
            performance,
            *forms,
        ),
    )


def _income(title: str, leaves: Sequence[sg._Leaf]) -> sg.IncomeTable:
    sources = ("total", "general_public_budget", "special_account")
    return sg.IncomeTable(
        title=title,
        layout="code_hierarchy",
        sources=tuple(zip(sources, ("合计", "一般公共预算", "财政专户管理资金"), strict=True)),
        rows=sg._income_rows(
            leaves,
            sources,
            lambda leaf: {
                "total": leaf.personnel + leaf.public + leaf.project_gpb + leaf.project_other,
                "general_public_budget": leaf.personnel + leaf.public + leaf.project_gpb,
                "special_account": leaf.project_other,
            },
        ),
    )


def _narrative(
    department: str, year: int, total: sg.FunctionRow, g: sg.FunctionRow, projects: int
) -> tuple[str, ...]:
    plain = sg._plain
    return (
        f"第一部分 {department}概况",
        f"{department}{year}年部门预算为部门本级及所属单位汇总编制的综合预算。",
        f"第二部分 {department}{year}年部门预算情况说明",
        "一、收入支出预算总体情况说明",
        f"{department}{year}年收入总计 {plain(total.total)} 万元，"
        f"支出总计 {plain(total.total)} 万元。",
        "二、支出预算总体情况说明",
        f"{department}{year}年支出合计 {plain(total.total)} 万元，其中：基本支出 "
        f"{plain(total.basic)} 万元；项目支出 {plain(total.project)} 万元。",
        "三、一般公共预算支出情况说明",
        f"{department}{year}年一般公共预算支出年初预算为 {plain(g.total)} 万元。",
        "四、预算绩效情况说明",
        f"{year}年{department}项目支出全面实施绩效目标管理，共{projects}个项目。",
    )


def specs(n: int, seed: int = 0) -> list[sg.DocumentSpec]:
    """The first N documents of the province of `seed`."""
    return [spec(budget, seed) for budget in budgets(n, seed)]


_RENDERER = hashlib.sha256(Path(sg.__file__).read_bytes()).hexdigest()


def spec_hash(document: sg.DocumentSpec) -> str:
    """Names a spec's PDF: its content and the renderer's code."""
    return hashlib.sha256(f"{_RENDERER}|{document!r}".encode()).hexdigest()[:20]


def _render_one(document: sg.DocumentSpec, path: Path) -> int:
    temporary = path.with_suffix(".part")
    pages = sg.render(document, temporary).page_count
    temporary.replace(path)
    return pages


@dataclass(frozen=True)
class Rendered:
    paths: list[Path]
    rendered: int  # PDFs rendered now (the others were cached)
    seconds: float


def render(documents: Sequence[sg.DocumentSpec], out_dir: Path, workers: int = 2) -> Rendered:
    """Each spec's PDF under out_dir/<spec hash>.pdf, rendering only those missing."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"{spec_hash(d)}.pdf" for d in documents]
    missing = [(d, p) for d, p in zip(documents, paths, strict=True) if not p.exists()]
    started = time.perf_counter()
    if missing:
        with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
            list(pool.map(_render_one, *zip(*missing, strict=True), chunksize=4))
    return Rendered(paths, len(missing), time.perf_counter() - started)


def catalog(path: Path, documents: Sequence[sg.DocumentSpec], pdfs: Sequence[Path]) -> Path:
    """A sources catalog of the documents, as a province's crawl gives it: the region and
    province of each (a county's printed name does not tell them)."""
    entries = [
        {"uri": str(pdf.relative_to(path.parent)), "region": d.region, "fiscal_year": d.fiscal_year}
        for d, pdf in zip(documents, pdfs, strict=True)
    ]
    text = yaml.safe_dump({"province": PROVINCE, "documents": entries}, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.province", description=__doc__)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--documents", "-n", type=int, default=50)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", "-j", type=int, default=2)
    args = parser.parse_args(argv)
    documents = specs(args.documents, args.seed)
    done = render(documents, args.out_dir, args.workers)
    where = catalog(args.out_dir / "catalog.yaml", documents, done.paths)
    print(f"{len(documents)} documents ({done.rendered} rendered in {done.seconds:.1f} s): {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
