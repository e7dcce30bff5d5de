"""Real performance-target tables (绩效目标表) of the national template
(tests/pdfs/real-national/README.md): each city's print of the 部门整体 table, the project
forms and the project lists, read into the indicator facts (scope department or project)
and the project facts. Every figure and text asserted is read by hand from the PDF's text
(pdfplumber), with the page and the printed row beside it; the number of indicators of a
table is the number of its grid's rows, counted on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from extract.document import Extracted
from extract.families.base import Record
from extract.verdicts import TableOutcome
from tests.conftest import TESTS, extract_once
from tests.printed import wan

NATIONAL = TESTS / "pdfs" / "real-national"

# 一级指标, 二级指标 | target_raw, comparator, target_value, target_unit
Indicator = tuple[str | None, str | None, str, str | None, Decimal | None, str | None]
# amount, government funds, other funds (None: not printed)
Amounts = tuple[Decimal | None, Decimal | None, Decimal | None]
D = Decimal
OUT, EFFECT, COST, SATISFACTION = "产出指标", "效益指标", "成本指标", "满意度指标"


@dataclass(frozen=True)
class Targets:
    file: str
    page: int  # the page the table starts on
    family: str  # the family that reads it
    scope: str | None  # of its indicators (None: a project list without indicators)
    count: int  # indicators read: the grid's rows, counted by hand
    # (project name or None, 三级指标) -> the printed indicator
    indicators: dict[tuple[str | None, str], Indicator] = field(default_factory=dict)
    # project name (name@unit where one name has several units) -> its amounts
    projects: dict[str, Amounts] = field(default_factory=dict)
    project_count: int = 0  # the table's projects
    outcome: str = TableOutcome.READ


BEIJING = "2026年北京市统计局部门预算报表_附件2.pdf"
CHONGQING = "2026年重庆市水利局部门预算.pdf"
FUZHOU = "2026年福州市医疗保障局部门预算.pdf"
HANGZHOU = "2026年杭州市司法局部门预算.pdf"
HUZHOU = "2026年湖州市财政局部门预算.pdf"
SHENZHEN = "2026年深圳市统计局部门预算.pdf"
XIAN = "2026年西安市审计局部门预算.pdf"
YANTAI = "2026年烟台市审计局部门预算.pdf"
SZ_AUDIT = "2026年深圳市审计局部门预算.pdf"
GZ_PETITIONS = "广州_信访局_2026年部门预算.pdf"
GZ_STATS = "广州_统计局_2026年部门预算.pdf"

CENSUS = "数说北京主题宣传策划执行与电视栏目制作项目"
WATER = ("水库移民后期扶持", "重庆市水利专项资金", "水利行业业务经费")

# fmt: off
TABLES = [
    Targets(
        # 预算13表 部门整体支出绩效目标表: 部门名称 | 总体资金情况 | 整体绩效目标, then 活动 |
        # 绩效指标 | 指标性质 | 指标值 | 度量单位, 一级, 二级 and 三级指标 printed in one cell
        BEIJING, 41, "indicators", "department",
        13,  # p41: 13 rows under 活动 | 绩效指标, all 专项统计
        {
            # p41 专项统计 产出指标数量指标开展监测工作 ≥ 12 项
            (None, "开展监测工作"): (OUT, "数量指标", "12", ">=", D(12), "项"),
            # p41 专项统计 产出指标质量指标人口抽样调查数据差错率 ≤ 2 %
            (None, "人口抽样调查数据差错率"): (OUT, "质量指标", "2", "<=", D(2), "%"),
            # p41 专项统计 产出指标数量指标开展人口抽样调查工作的行政区 ＝ 16 个
            (None, "开展人口抽样调查工作的行政区"): (OUT, "数量指标", "16", "=", D(16), "个"),
            # p41 专项统计 产出指标时效指标支出进度快于时间进度 定性 快于时间进度
            (None, "支出进度快于时间进度"): (OUT, "时效指标", "快于时间进度", None, None, None),
            # p41 专项统计 成本指标经济成本指标全年支出不超过预算批复数 定性
            # 全年总支出不超过预算批复数
            (None, "全年支出不超过预算批复数"):
                (COST, "经济成本指标", "全年总支出不超过预算批复数", None, None, None),
        },
    ),
    Targets(
        # 预算表12 项目支出绩效目标表, pp. 27-40: 项目名称 | 项目总额 | 其中：财政资金 | 其他资金 |
        # 绩效目标 | 一级指标 | 二级指标 | 三级指标 | 绩效指标性质 | 本年绩效指标值 | 绩效度量单位,
        # a project per row group, its name cell "<code>-<name>" wrapped, the header repeated
        # on every page and merged cells cut by the page breaks
        BEIJING, 27, "performance_summary", "project",
        # rows of the 绩效指标性质 column (≥ ≤ ＝ ＜ 定性), pp. 27-40:
        # 14 + 6 + 13 + 9 + 12 + 12 + 12 + 7 + 4 + 8 + 11 + 13 + 18 + 5
        144,
        {
            # p27 5703-统计人员岗位知识培训 … 产出指标 时效指标 培训（会议）天数 ≥ 36 天
            ("统计人员岗位知识培训", "培训（会议）天数"):
                (OUT, "时效指标", "36", ">=", D(36), "天"),
            # p28, the same project continued: 效益指标 经济效益指标 总体培训成本 ≤ 63.03 万元
            ("统计人员岗位知识培训", "总体培训成本"):
                (EFFECT, "经济效益指标", "63.03", "<=", D("63.03"), "万元"),
            # p27 0551-统计监测分析及统计资料编印工作经费 … 产出指标 时效指标 综合统计资料编印进
            # 度 定性 按计划完成
            ("统计监测分析及统计资料编印工作经费", "综合统计资料编印进度"):
                (OUT, "时效指标", "按计划完成", None, None, None),
            # p31 top, 4226-国民经济核算和金融统计监测 (p30) continued under a repeated header:
            # 满意度指标 服务对象满意度指标 数据处理使用人员满意度 ≥ 90 %
            ("国民经济核算和金融统计监测", "数据处理使用人员满意度"):
                (SATISFACTION, "服务对象满意度指标", "90", ">=", D(90), "%"),
            # p34, 4244-数说北京…栏目制作项目 (p33) continued, the end of its merged name cell
            # drawn over the page: 产出指标 数量指标 一年节目播出量 = 26 期
            (CENSUS, "一年节目播出量"): (OUT, "数量指标", "26", "=", D(26), "期"),
            # p37 3794-北京市人口动态监测数据服务费 … 产出指标 质量指标 时间误差 ＜ 5 分钟
            ("北京市人口动态监测数据服务费", "时间误差"): (OUT, "质量指标", "5", "<", D(5), "分钟"),
        },
        {
            # p27 11000022T00000044 5703-统计人员岗位知识培训 103.984764 103.984764
            "统计人员岗位知识培训": (wan("103.984764"), wan("103.984764"), D(0)),
            # p29 11000022T00000044 6100-北京市法人单位经营情况调查项目 238.330000
            # 235.585000 2.745000
            "北京市法人单位经营情况调查项目":
                (wan("238.330000"), wan("235.585000"), wan("2.745000")),
            # p33 11000024T00000285 4244-数说北京…栏目制作项目 446.953858 446.953858
            CENSUS: (wan("446.953858"), wan("446.953858"), D(0)),
            # p38 11000026T00000367 7305-北京市第四次全国农业普查 7000.000000 7000.000000
            "北京市第四次全国农业普查": (wan("7000.000000"), wan("7000.000000"), D(0)),
        },
        # pp. 27-40: 0551, 5703 | 5737 | 6100, 6223 | 4226 | 4276, 2113 | 3682 | 3691, 3712,
        # 4244 | 4292 | 4480 | 4546 | 3794, 6949 | 7305 | 0849, 5486 | 6836
        21,
    ),
    Targets(
        # 表十 2026年部门整体绩效目标表: 当年整体绩效目标, then 绩效指标 | 指标名称 | 指标性质 |
        # 指标值 | 计量单位 | 指标权重(%) | 是否核心, no 一级/二级指标
        CHONGQING, 30, "indicators", "department",
        6,  # p30: 续建大中型水库 … 后扶资金项目覆盖区县数量
        {
            # p30 续建大中型水库 ≥ 27 座 20 是
            (None, "续建大中型水库"): (None, None, "27", ">=", D(27), "座"),
            # p30 农村饮水项目受益人口 ≥ 150 万人次 20 是
            (None, "农村饮水项目受益人口"): (None, None, "150", ">=", D(150), "万人次"),
            # p30 后扶资金项目覆盖区县数量 ≥ 30 个数 10 否
            (None, "后扶资金项目覆盖区县数量"): (None, None, "30", ">=", D(30), "个数"),
        },
    ),
    Targets(
        # 表十一 2026年市级重点专项资金绩效目标表（一级项目）: a form, 项目名称 | 主管部门,
        # 当年预算 over 市级支出 / 补助区县, 项目概况, 当年绩效目标, then the 指标名称 grid
        CHONGQING, 31, "indicators", "project",
        6,  # p31: 完工项目验收率 … 年度预算执行率
        {
            # p31 完工项目验收率 ≥ 90 % 20 是
            (WATER[0], "完工项目验收率"): (None, None, "90", ">=", D(90), "%"),
            # p31 年度预算执行率 = 100 % 10 否
            (WATER[0], "年度预算执行率"): (None, None, "100", "=", D(100), "%"),
        },
        # p31 项目名称 水库移民后期扶持 | 当年预算 12,700.00 (单位：万元)
        {WATER[0]: (wan("12,700.00"), None, None)},
        1,
    ),
    Targets(
        # the same form on the next page for the next project, titled but not numbered
        CHONGQING, 32, "indicators", "project",
        7,  # p32: 续建大中型水库 … 年度预算执行率
        {
            # p32 自来水普及率 ≥ 92.2 % 15 否
            (WATER[1], "自来水普及率"): (None, None, "92.2", ">=", D("92.2"), "%"),
            # p32 受益人口 ≥ 150 万人 15 是
            (WATER[1], "受益人口"): (None, None, "150", ">=", D(150), "万人"),
        },
        # p32 项目名称 重庆市水利专项资金 | 市级支出 152,992.83 | 当年预算 152,992.83
        {WATER[1]: (wan("152,992.83"), None, None)},
        1,
    ),
    Targets(
        # 表十二 2026年市级一般性项目绩效目标表（一级项目）: 序号 | 项目名称 | 当年财政拨款预算
        # 金额 | 当年绩效目标 | 指标名称 | 指标性质 | 指标值 | 计量单位 | 指标权重(%)
        CHONGQING, 33, "performance_summary", "project",
        5,  # p33: 水质检验对象数量 … 年度预算执行率
        {
            # p33 1 水利行业业务经费 14,299.16 … 水质检验对象数量 ≥ 3060 个次 10
            (WATER[2], "水质检验对象数量"): (None, None, "3060", ">=", D(3060), "个次"),
            # p33 机关食堂满意度 ≥ 80 % 10
            (WATER[2], "机关食堂满意度"): (None, None, "80", ">=", D(80), "%"),
        },
        # p33 1 水利行业业务经费 14,299.16 (当年财政拨款预算金额, 单位：万元)
        {WATER[2]: (wan("14,299.16"), wan("14,299.16"), None)},
        1,
    ),
    Targets(
        # 表15 部门整体支出绩效目标表, pp. 42-43: 年度主要任务 (任务名称 | 主要内容 | 预算金额),
        # 年度总体目标, then 年度绩效指标: 一级指标 | 二级指标 | 三级指标 | 指标值 | 分值权重
        XIAN, 42, "indicators", "department",
        22,  # p42: 10 rows (市内外勤经费标准 … 提交的审计建议数量), p43: 12 rows
        {
            # p42 成本指标 经济成本指标 注册会计师、高级会计师（元/人/天） ≤1200 3
            (None, "注册会计师、高级会计师（元/人/天）"):
                (COST, "经济成本指标", "≤1200", "<=", D(1200), None),
            # p43 效益指标 经济效益指标 促进财政增收节支 ≥10亿元 6
            (None, "促进财政增收节支"): (EFFECT, "经济效益指标", "≥10亿元", ">=", D(10), "亿元"),
            # p43 产出指标 时效指标 审计项目完成时限 12月31日前 6
            (None, "审计项目完成时限"): (OUT, "时效指标", "12月31日前", None, None, None),
        },
    ),
    Targets(
        # 表16 专项资金总体绩效目标表: the form printed empty (no 项目名称, no amount, only the
        # template's 一级 and 二级指标)
        XIAN, 44, "indicators", "project", 0, outcome=TableOutcome.EMPTY,
    ),
    Targets(
        # 表14 部门专项业务经费绩效目标表, read before this work: 项目名称 | 主管部门 | 资金金额
        # (万元), then 一级指标 | 二级指标 | 三级指标 | 指标值 | 分值权重
        XIAN, 41, "indicators", "project",
        9,  # p41: 市内外勤经费标准 … 被审计单位满意度
        {
            # p41 产出指标 时效指标 审计项目工作日 ≤44天 13
            ("审计专项补助经费", "审计项目工作日"): (OUT, "时效指标", "≤44天", "<=", D(44), "天"),
        },
        # p41 项目名称 审计专项补助经费 | 实施期资金总额： 198.18 | 其中：财政拨款 0.00 |
        # 其他资金 198.18
        {"审计专项补助经费": (wan("198.18"), D("0.00"), wan("198.18"))},
        1,
    ),
    Targets(
        # 政策和项目预算绩效目标表, read before this work: 项目名称 | 主管部门及代码 | 实施单位,
        # 项目资金 (年度预算资金总额 / 其中：财政拨款 / 其他资金), then the 一级指标 grid
        YANTAI, 30, "indicators", "project",
        10,  # p30: 项目总成本 … 被审计单位满意度
        {
            # p30 绩效指标 成本指标 经济成本 项目总成本 ≤31万元
            ("审计业务经费", "项目总成本"): (COST, "经济成本", "≤31万元", "<=", D(31), "万元"),
        },
        # p30 年度预算资金总额： 31.00 | 其中：财政拨款 0.00 | 其他资金 31.00
        {"审计业务经费": (wan("31.00"), D("0.00"), wan("31.00"))},
        1,
    ),
    Targets(
        # 外伤医疗费用结算审核服务费项目绩效目标表, read before this work: 项目名称 | 主管部门 |
        # 实施单位, 专项资金情况（万元）: 资金总额 / 财政拨款 / 其他资金, then the 一级指标 grid
        FUZHOU, 28, "indicators", "project",
        7,  # p28: 预算执行率 … 投诉业务部门不作为的投诉件数量
        {
            # p28 产出指标 数量指标 服务覆盖率 =100%
            ("外伤医疗费用结算审核服务费", "服务覆盖率"):
                (OUT, "数量指标", "=100%", "=", D(100), "%"),
        },
        # p28 资金总额 118.00 | 财政拨款 118.00 | 其他资金 0.00
        {"外伤医疗费用结算审核服务费": (wan("118.00"), wan("118.00"), D("0.00"))},
        1,
    ),
    Targets(
        # 表11：2026年市级部门项目支出绩效表, pp. 39-40: 单位名称 | 项目名称 | 金额 | 绩效目标, no
        # indicator (部门名称：杭州市司法局 单位:万元)
        HANGZHOU, 39, "performance_summary", None, 0,
        projects={
            "法治杭州建设": (wan("69.00"), None, None),  # p39 杭州市司法局 法治杭州建设 69.00
            # p40 杭州市北郊监狱 狱政设施建设 12,898.00
            "狱政设施建设@杭州市北郊监狱": (wan("12,898.00"), None, None),
            # p39 杭州市东郊监狱 狱政设施建设 1,059.66
            "狱政设施建设@杭州市东郊监狱": (wan("1,059.66"), None, None),
            "法律援助": (wan("317.82"), None, None),  # p40 杭州市法律援助中心 法律援助 317.82
        },
        project_count=31,  # p39: 17 rows, p40: 14 rows
    ),
    Targets(
        # 表11 2026年市级部门项目支出绩效表: 单位名称 | 项目名称 | 金额 | 项目总体绩效目标, a 栏次
        # row ** ** ** **, a 合计 1,266.75 printed without its label
        HUZHOU, 32, "performance_summary", None, 0,
        projects={
            # p32 湖州市财政项目预算审核中心 市级预算项目评审 371.00
            "市级预算项目评审": (wan("371.00"), None, None),
            "全市会计人员考培": (wan("187.00"), None, None),  # p32 湖州市财政局 … 187.00
        },
        project_count=7,
    ),
    Targets(
        # untitled, under "第七部分 重点项目预算绩效情况说明": 二级预算单位名称 | 一级项目名称 |
        # 预算数（万元） | 绩效目标, pp. 11-12
        SHENZHEN, 11, "performance_summary", None, 0,
        projects={
            "统计管理": (wan("352.27"), None, None),  # p11 深圳市统计局（本级） 统计管理 352.27
            # p11 政务信息化项目（运行维护服务） 7.50
            "政务信息化项目（运行维护服务）": (wan("7.50"), None, None),
            "专项统计业务": (wan("844.03"), None, None),  # p12 专项统计业务 844.03
        },
        project_count=4,
    ),
    Targets(
        # 预算12表 项目支出绩效目标表, pp. 17-43: as 统计局's 预算表12, the header printed on p17
        # only, a project's merged cells (name, amounts, 绩效目标) cut by the page breaks
        "2026年北京市财政局部门预算报表_附件2.pdf", 17, "performance_summary", "project",
        # rows of the 绩效指标性质 column (≥ ≤ ＝ 定性), pp. 17-43: 14 + 17 + 15 + 17 + 21 + 14 +
        # 13 + 19 + 19 + 17 + 11 + 18 + 13 + 15 + 17 + 15 + 16 + 20 + 14 + 18 + 20 + 23 + 14 +
        # 13 + 21 + 19 + 10
        443,
        {
            # p17 94-评审工作经费 … 产出指标 数量指标 评审项目数量 ≥ 420 个
            ("评审工作经费", "评审项目数量"): (OUT, "数量指标", "420", ">=", D(420), "个"),
            # p17 效益指标 社会效益指标 提高财政资金使用效益，节约财政资金、规范项目预算申报、
            # 推动支出标准建设 定性 优
            (
                "评审工作经费",
                "提高财政资金使用效益，节约财政资金、规范项目预算申报、推动支出标准建设",
            ): (EFFECT, "社会效益指标", "优", None, None, None),
            # p17 08-企业财务会计决算报表工作服务 … 成本指标 经济成本指标 聘用注册会计师单位成本
            # ≤ 800 元/天
            ("企业财务会计决算报表工作服务", "聘用注册会计师单位成本"):
                (COST, "经济成本指标", "800", "<=", D(800), "元/天"),
            # p18, the same project continued: 产出指标 数量指标 审核一级决算单位数量 ≥ 100 家
            ("企业财务会计决算报表工作服务", "审核一级决算单位数量"):
                (OUT, "数量指标", "100", ">=", D(100), "家"),
            # p43 top, 21-财政数据资源与数据安全风险评估服务 (p42) continued: 效益指标 可持续影响
            # 指标 财政业务管理工作效率的持续提升 ≥ 3 年
            ("财政数据资源与数据安全风险评估服务", "财政业务管理工作效率的持续提升"):
                (EFFECT, "可持续影响指标", "3", ">=", D(3), "年"),
            # p43 02-政府采购管理服务 … 成本指标 经济成本指标 专职律师费用标准 ≤ 10000 元/人*月
            ("政府采购管理服务", "专职律师费用标准"):
                (COST, "经济成本指标", "10000", "<=", D(10000), "元/人*月"),
        },
        {
            # p17 11000022T0000004557 94-评审工作经费 839.000000 839.000000
            "评审工作经费": (wan("839.000000"), wan("839.000000"), D(0)),
            # p37 11000025T0000035647 47-北京市财政局能力提升设备采购 537.644000 537.644000
            "北京市财政局能力提升设备采购": (wan("537.644000"), wan("537.644000"), D(0)),
            # p43 11000026Y0000036875 21-财政数据资源与数据安全风险评估服务 23.500000 23.500000
            "财政数据资源与数据安全风险评估服务": (wan("23.500000"), wan("23.500000"), D(0)),
            # p43 11000022T0000004565 02-政府采购管理服务 115.900000 115.900000
            "政府采购管理服务": (wan("115.900000"), wan("115.900000"), D(0)),
        },
        # pp. 17-43: the project codes printed in the 项目名称 column, each project once
        # (94-评审工作经费 … 21-财政数据资源与数据安全风险评估服务, 02-政府采购管理服务)
        39,
    ),
    Targets(
        # 预算13表 部门整体支出绩效目标表, pp. 44-47: as 统计局's, 活动 | 绩效指标 (一级, 二级
        # and 三级指标 in one cell) | 指标性质 | 指标值 | 度量单位
        "2026年北京市财政局部门预算报表_附件2.pdf", 44, "indicators", "department",
        69,  # rows under 活动 | 绩效指标: p44 14, p45 22, p46 23, p47 10
        {
            # p44 预算评审 产出指标数量指标财政评审项目数量 ≥ 420 个
            (None, "财政评审项目数量"): (OUT, "数量指标", "420", ">=", D(420), "个"),
            # p45 国库管理 产出指标质量指标总会计全年核算会计凭证 ≥ 4000 (no 度量单位)
            (None, "总会计全年核算会计凭证"): (OUT, "质量指标", "4000", ">=", D(4000), None),
            # p46 国库管理 效益指标社会效益指标确保财政资金运行安全、高效 定性 优
            (None, "确保财政资金运行安全、高效"): (EFFECT, "社会效益指标", "优", None, None, None),
            # p46 金融管理 产出指标质量指标创业担保贷款利率-LPR ≤ 0.5 %
            (None, "创业担保贷款利率-LPR"): (OUT, "质量指标", "0.5", "<=", D("0.5"), "%"),
        },
    ),
    Targets(
        # 预算14表 专项转移支付绩效目标表: 转移支付名称 | 市级主管部门, 资金情况（万元）:
        # 年度金额 | 其中：中央财政资金 | 市级财政资金 | 其他资金, 年度总体目标, then 一级指标 |
        # 二级指标 | 三级指标 | 指标值
        "2026年北京市财政局部门预算报表_附件2.pdf", 48, "indicators", "project",
        7,  # p48: 本年度创业担保贷款发放额 … 申报创业担保贷款贴息小微企业满意度
        {
            # p48 产出指标 数量指标 本年度创业担保贷款发放额 ≥50亿元
            ("普惠金融发展专项资金", "本年度创业担保贷款发放额"):
                (OUT, "数量指标", "≥50亿元", ">=", D(50), "亿元"),
            # p48 质量指标 创业担保贷款利率上限 上限 / LPR+50BPs (a text target)
            ("普惠金融发展专项资金", "创业担保贷款利率上限"):
                (OUT, "质量指标", "上限LPR+50BPs", None, None, None),
            # p48 满意度指标 服务对象满意度指标 申报创业担保贷款贴息小微企业满意度 ≥80%
            ("普惠金融发展专项资金", "申报创业担保贷款贴息小微企业满意度"):
                (SATISFACTION, "服务对象满意度指标", "≥80%", ">=", D(80), "%"),
        },
        # p48 年度金额： 5612.000000 | 中央财政资金 (blank) | 市级财政资金 5612.000000 |
        # 其他资金 (blank)
        {"普惠金融发展专项资金": (wan("5612.000000"), wan("5612.000000"), None)},
        1,
    ),
    Targets(
        # untitled, under "第七部分 重点项目预算绩效情况说明": 二级预算单位名称 | 一级项目名称 |
        # 预算数（万元） | 绩效目标, pp. 13-14, as 深圳统计局 prints it
        SZ_AUDIT, 13, "performance_summary", None, 0,
        projects={
            "规划类经费": (wan("6.50"), None, None),  # p13 深圳市审计局 规划类经费 6.50
            "审计管理业务": (wan("506.95"), None, None),  # p13 深圳市审计局 审计管理业务 506.95
            # p13 深圳市审计局 信息化（财政审 / 核） 80.00 (the name wrapped in its cell)
            "信息化（财政审核）": (wan("80.00"), None, None),
            "预算准备金": (wan("20.00"), None, None),  # p14 深圳市审计局 预算准备金 20.00
            "综合管理": (wan("918.01"), None, None),  # p14 深圳市审计局 综合管理 918.01
        },
        project_count=5,  # p13 prose: "设置并编报 5 个项目绩效目标"
    ),
    Targets(
        # untitled, after the prose of "七、重点项目预算绩效目标情况" (p22): 项目 | 预算数（单位：
        # 万元） | 绩效目标, one project
        GZ_PETITIONS, 23, "performance_summary", None, 0,
        # p23 云客服服务外包项目 252.28
        projects={"云客服服务外包项目": (wan("252.28"), None, None)},
        project_count=1,
    ),
    Targets(
        # the same grid of 广州统计局 (p25, after two pages of prose): 项目 | 预算数（单位：万元） |
        # 绩效目标, three projects
        GZ_STATS, 25, "performance_summary", None, 0,
        projects={
            # p25 广州市第四次全国农业普查 / 经费 534.72
            "广州市第四次全国农业普查经费": (wan("534.72"), None, None),
            "统计专项经费": (wan("195.19"), None, None),  # p25 统计专项经费 195.19
            "其他运行经费": (wan("7"), None, None),  # p25 其他运行经费 7
        },
        project_count=3,
    ),
]
# fmt: on

# prints no performance-target table: the 说明 documents (prose only), and 重庆市委宣传部,
# which states its targets in prose only (p5 "（三）绩效目标设置情况 … 涉及一般公共预算财政拨款
# 24,991.96 万元")
WITHOUT = {
    "2026年北京市财政局部门预算.pdf",
    "2026年北京市统计局部门预算.pdf",
    "2026年重庆市委宣传部部门预算.pdf",
}


def test_every_fixture_is_listed() -> None:
    listed = {t.file for t in TABLES} | WITHOUT
    assert sorted(listed) == sorted(p.name for p in NATIONAL.glob("*.pdf"))


def _table(extracted: Extracted, page: int) -> Record:
    [table] = [t for t in extracted.frames["tables"] if t["page_number"] == page]
    return table


def _key(record: Record, names: set[str]) -> str:
    """A project's name, with its unit where the test names one project per unit."""
    qualified = f"{record['project_name']}@{record['unit_name']}"
    return qualified if qualified in names else str(record["project_name"])


@pytest.mark.parametrize("printed", TABLES, ids=lambda t: f"{t.file[:-4]}-p{t.page}")
def test_performance_table_reads_as_printed(printed: Targets) -> None:
    # GIVEN a city's print of a performance-target table
    extracted = extract_once(NATIONAL / printed.file)
    table = _table(extracted, printed.page)
    index = table["table_index"]
    rows = [r for r in extracted.frames["indicators"] if r["table_index"] == index]
    # THEN the family that owns it reads it, with the outcome its print calls for
    assert (table["family"], table["outcome"]) == (printed.family, printed.outcome)
    # AND every grid row is one indicator of the table's scope and department
    assert len(rows) == printed.count
    assert {r["scope"] for r in rows} <= {printed.scope}
    if printed.scope == "project":
        assert all(r["project_name"] for r in rows)
    department = extracted.document["department_name"]
    assert {r["department_name"] for r in rows} <= {department}
    # AND the indicators read by hand come back as printed
    staged = {(r["project_name"], r["level3_name"]): r for r in rows}
    for key, indicator in printed.indicators.items():
        row = staged[key]
        assert (
            row["level1_name"], row["level2_name"], row["target_raw"], row["comparator"],
            row["target_value"], row["target_unit"],
        ) == indicator, key  # fmt: skip
    # AND its projects with their amounts in yuan
    projects = [r for r in extracted.frames["projects"] if r["table_index"] == index]
    assert len(projects) == printed.project_count
    by_name = {_key(p, set(printed.projects)): p for p in projects}
    for name, amounts in printed.projects.items():
        project = by_name[name]
        got = (
            project["amount_yuan"],
            project["government_funds_yuan"],
            project["other_funds_yuan"],
        )
        assert got == amounts, name
    # AND nothing on its pages was left unread
    assert [p.detail for p in extracted.problems if p.table_index == index] == []


def test_a_project_list_adds_up_to_its_printed_total() -> None:
    # 湖州 p32 prints the list's 合计 on its own row: 1,266.75 (万元)
    extracted = extract_once(NATIONAL / HUZHOU)
    index = _table(extracted, 32)["table_index"]
    projects = [r for r in extracted.frames["projects"] if r["table_index"] == index]
    assert sum(p["amount_yuan"] for p in projects) == wan("1,266.75")
    # 深圳 p10 states in prose "涉及预算资金 1,313.80 万元，设置并编报 4 个项目绩效目标"
    extracted = extract_once(NATIONAL / SHENZHEN)
    index = _table(extracted, 11)["table_index"]
    projects = [r for r in extracted.frames["projects"] if r["table_index"] == index]
    assert sum(p["amount_yuan"] for p in projects) == wan("1,313.80")


def test_a_code_printed_before_the_name_is_the_projects_code() -> None:
    # 北京 p38: the name cell prints "11000026T00000367 / 7305-北京市第四次 / 全国农业普查",
    # a 21-character project code wrapped in the narrow cell, then its name after the dash
    extracted = extract_once(NATIONAL / BEIJING)
    [project] = [
        p for p in extracted.frames["projects"] if p["project_name"] == "北京市第四次全国农业普查"
    ]
    assert project["project_code"] == "11000026T000003677305"
    assert project["page_number"] == 38


def test_every_performance_table_of_the_fixtures_is_recognised() -> None:
    # no 绩效 table of the nine prints is left unrecognised; a continuation page is no table
    for path in sorted(NATIONAL.glob("*.pdf")):
        tables = extract_once(path).frames["tables"]
        performance = [t for t in tables if "绩效" in (t["table_title"] or "")]
        assert [t["page_number"] for t in performance if t["family"] is None] == [], path.name
    titles = [t["table_title"] for t in extract_once(NATIONAL / BEIJING).frames["tables"]]
    assert not [t for t in titles if t and t.startswith("1.")]


@pytest.mark.integration
def test_a_load_puts_performance_targets_in_the_marts(national_warehouse: Path) -> None:
    # GIVEN 北京's long project table and 整体 table, 重庆's forms and 杭州's project list,
    # and the explanatory document (说明) of 北京's tables, loaded with every national fixture
    prose = "2026年北京市统计局部门预算.pdf"
    names = [BEIJING, CHONGQING, HANGZHOU, prose]
    warehouse = national_warehouse
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = dict(
            con.execute(
                """select d.file_name || ' ' || f.scope, count(*) from marts.fct_indicator f
                   join marts.dim_document d using (document_id)
                   where d.file_name in (?, ?, ?, ?) group by 1""",
                names,
            ).fetchall()
        )
        held = con.execute(
            """select d.file_name, t.page_number from marts.dim_document_table t
               join marts.dim_document d using (document_id)
               where t.family in ('indicators', 'performance_summary')
                 and t.outcome not in ('loaded', 'empty') and d.file_name in (?, ?, ?, ?)""",
            names,
        ).fetchall()
        census = con.execute(
            """select p.amount_yuan, p.source_family from marts.dim_project p
               where p.project_name = '北京市第四次全国农业普查'"""
        ).fetchall()
        forms = con.execute(
            """select count(*) from marts.fct_indicator f join marts.dim_project p
               using (project_key) where p.project_name = '水库移民后期扶持'"""
        ).fetchone()
        checks = con.execute(
            """select n.item, t.file_name, n.narrative_yuan, n.table_yuan, n.within_rounding
               from marts.fct_narrative_check n join marts.dim_document d using (document_id)
               join marts.dim_document t on t.document_id = n.tables_document_id
               where d.file_name = ? order by n.item""",
            [prose],
        ).fetchall()
    # THEN every indicator read is a fact of its scope
    assert counts == {
        f"{BEIJING} department": 13,
        f"{BEIJING} project": 144,
        f"{CHONGQING} department": 6,
        f"{CHONGQING} project": 6 + 7 + 5,
    }
    # AND no performance table is held back
    assert held == []
    # AND the projects carry their printed amounts (p38 7000.000000 万元) and indicators
    assert census == [(wan("7000.00"), "performance_summary")]
    assert forms == (6,)
    # AND the 说明's totals are checked against its tables document, each within rounding:
    # p4-6 收入预算 = 支出预算 51036.22 万元 against the 收支总表's 收入总计 / 支出总计
    # 51,036.219169 (p1), 基本支出 32780.46 and 项目支出 18147.49 against the 支出总表's 合计
    # 32,780.463109 | 18,147.487632 (p7), “三公”经费 73.79 against 预算09表's 73.790000 (p24);
    # 机关运行经费 stated alone
    assert checks == [
        ("basic", BEIJING, wan("32780.46"), wan("32,780.463109").quantize(D("0.01")), True),
        (
            "expenditure_total",
            BEIJING,
            wan("51036.22"),
            wan("51,036.219169").quantize(D("0.01")),
            True,
        ),
        ("income_total", BEIJING, wan("51036.22"), wan("51,036.219169").quantize(D("0.01")), True),
        # p7 机关运行经费财政拨款预算1211.43 万元: no table of the template prints it
        ("operating_expenses", BEIJING, wan("1211.43"), None, None),
        ("project", BEIJING, wan("18147.49"), wan("18,147.487632").quantize(D("0.01")), True),
        ("three_public", BEIJING, wan("73.79"), wan("73.790000"), True),
    ]
