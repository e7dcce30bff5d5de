"""Reading function codes as cities print them (extract/families/coded_rows.py): 类 | 款 |
项 columns with the code's own digits or whole codes, codes in the name's cell, names only;
and the header paths of the function tables' amounts (extract/vocabulary.toml)."""

from __future__ import annotations

from extract import vocabulary
from extract.families.coded_rows import CodeColumns, CodeReader, row_code, split_code
from extract.pdf import Row


def _codes(rows: list[Row]) -> list[str]:
    columns = CodeColumns(class_=0, kuan=1, xiang=2, name=3)
    last_class = last_kuan = None
    codes = []
    for row in rows:
        code, last_class, last_kuan = row_code(row, columns, last_class, last_kuan)
        codes.append(code)
    return codes


def test_a_partial_code_takes_its_level_from_its_column() -> None:
    # 烟台: 201 | | ; | 01 | ; | | 01 — a 款 or 项 prints only its own two digits
    rows: list[Row] = [
        ["201", "", "", "一般公共服务支出"],
        ["", "08", "", "审计事务"],
        ["", "", "01", "行政运行"],
        ["", "", "04", "审计业务"],
        ["208", "05", "05", "机关事业单位基本养老保险缴费支出"],
        ["", "", "06", "机关事业单位职业年金缴费支出"],
    ]
    assert _codes(rows) == ["201", "20108", "2010801", "2010804", "2080505", "2080506"]


def test_a_whole_code_in_the_kuan_or_xiang_column_is_the_code() -> None:
    # a neighbouring print fills 款 and 项 with the whole code (20108, 2010801)
    rows: list[Row] = [
        ["201", "", "", "一般公共服务支出"],
        ["", "20108", "", "审计事务"],
        ["", "", "2010801", "行政运行"],
        ["", "", "04", "审计业务"],
        ["208", "20805", "2080505", "机关事业单位基本养老保险缴费支出"],
    ]
    assert _codes(rows) == ["201", "20108", "2010801", "2010804", "2080505"]
    # a whole code that is not under the 类 printed beside it is no code
    assert _codes([["201", "20805", "", "x"]]) == [""]


def test_a_code_printed_in_the_name_cell_is_split_from_it() -> None:
    assert split_code("[201]一般公共服务支出") == ("201", "一般公共服务支出")  # 广州
    assert split_code("2010501-行政运行") == ("2010501", "行政运行")  # 北京
    assert split_code("【2080505】机关事业单位基本养老保险缴费支出")[0] == "2080505"
    assert split_code("30101 基本工资", "35") == ("30101", "基本工资")  # economic codes
    # a year or a function code where the other classification is read is no code
    assert split_code("2026年预算") == ("", "2026年预算")
    assert split_code("30101 基本工资") == ("", "30101 基本工资")


def test_names_only_take_the_code_printed_with_the_name_under_its_parent() -> None:
    # 杭州 prints names only; the budgets read printed these names with codes
    reader = CodeReader(CodeColumns(name=0))
    assert reader.names_only
    names = ["一般公共服务支出", "其他一般公共服务支出", "其他一般公共服务支出", "公共安全支出"]
    names += ["司法", "行政运行", "社会保障和就业支出", "行政事业单位养老支出", "行政单位离退休"]
    codes = [reader.by_name(name) for name in names]
    # the same name is first the 款 under the 类, then the 项 under that 款
    expected = ["201", "20199", "2019999", "204", "20406", "2040601", "208", "20805"]
    assert codes == [*expected, "2080501"]


def test_after_a_name_of_no_known_code_the_rows_under_it_get_none() -> None:
    # 行政运行 exists under every 款: after 监狱 (no budget read printed its code), it must
    # not be taken for 司法's 2040601
    reader = CodeReader(CodeColumns(name=0))
    codes = [reader.by_name(name) for name in ["公共安全支出", "司法", "监狱", "行政运行"]]
    assert codes == ["204", "20406", "", ""]
    # a 类 places the rows again
    assert [reader.by_name(n) for n in ["住房保障支出", "住房改革支出"]] == ["221", "22102"]


def test_function_tables_amounts_as_cities_head_them() -> None:
    def found(paths: list[list[str]]) -> dict[str, list[int]]:
        return vocabulary.columns("function_expenditure", paths)

    # 深圳: 支出总计
    assert found([["科目编码"], ["科目名称"], ["支出总计"], ["基本支出"], ["项目支出"]])[
        "total"
    ] == [2]
    # 福州: 小计 | 其中：> 基本支出 | 其中：> 项目支出 — the 小计 of no part is the total
    fuzhou = found(
        [["科目编码"], ["科目名称"], ["小计"], ["其中：", "基本支出"], ["其中：", "项目支出"]]
    )
    assert (fuzhou["total"], fuzhou["basic"], fuzhou["project"]) == ([2], [3], [4])
    # 广州: 一般公共预算支出 > 小计 | 其中：基本支出 | 项目支出
    spent = "一般公共预算支出"
    guangzhou = found(
        [["功能科目名称"], [spent, "小计"], [spent, "其中：基本支出"], [spent, "项目支出"]]
    )
    assert (guangzhou["total"], guangzhou["basic"], guangzhou["project"]) == ([1], [2], [3])
    # 北京: 项目支出 > 项目支出总数 | 扣除基建项目后预算数 — the whole, never the two summed
    basic, project = ["预算数", "基本支出"], ["预算数", "项目支出"]
    labels = [["科目编码"], ["科目名称"], ["预算数", "合计"], [*basic, "小计"]]
    labels += [[*project, "项目支出总数"], [*project, "扣除基建项目后预算数"]]
    beijing = found(labels)
    assert (beijing["total"], beijing["basic"], beijing["project"]) == ([2], [3], [4])
    # a 小计 under 基本支出 is never the table's total
    assert "total" not in found([["科目编码"], ["基本支出", "小计"], ["项目支出"]])
    # 深圳's 预算单位 column names the unit of its row
    coded = vocabulary.columns("coded_rows", [["预算单位"], ["科目编码"], ["科目名称"]])
    assert (coded["unit_name"], coded["code"], coded["name"]) == ([0], [1], [2])
