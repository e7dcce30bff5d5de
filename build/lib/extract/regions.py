"""Region and province of a department, read from its name ("上海市普陀区司法局").

The sources catalog may state region and province explicitly; this is the fallback
for documents loaded without one.
"""

from __future__ import annotations

import re

from extract.reference import regions

PROVINCES = [
    "北京市",
    "天津市",
    "上海市",
    "重庆市",
    "河北省",
    "山西省",
    "辽宁省",
    "吉林省",
    "黑龙江省",
    "江苏省",
    "浙江省",
    "安徽省",
    "福建省",
    "江西省",
    "山东省",
    "河南省",
    "湖北省",
    "湖南省",
    "广东省",
    "海南省",
    "四川省",
    "贵州省",
    "云南省",
    "陕西省",
    "甘肃省",
    "青海省",
    "台湾省",
    "内蒙古自治区",
    "广西壮族自治区",
    "西藏自治区",
    "宁夏回族自治区",
    "新疆维吾尔自治区",
    "香港特别行政区",
    "澳门特别行政区",
]
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

_DISTRICT = re.compile(r"^(.{1,8}?(?:区|县|市|旗))")


def locate(name: str | None) -> tuple[str | None, str | None]:
    """(region, province) of a department name; None where the name does not tell.

    A municipality's district is its region (上海市普陀区); elsewhere the prefecture-level
    region (extract/reference/regions.csv), by its full name (吉林市 before the province 吉林),
    else the province's short name, else the region's short name (杭州司法局); a provincial
    department's region is its province.
    """
    if not name:
        return None, None
    for province in PROVINCES:
        if name.startswith(province):
            return _within(province, name[len(province) :]), province
    for region, _, province in regions():
        if name.startswith(region):
            return region, province
    for province in PROVINCES:
        short = _short(province)
        if province not in MUNICIPALITIES and name.startswith(short):
            return _within(province, name[len(short) :]), province
    for region, short, province in regions():
        if name.startswith(short):
            return region, province
    return None, None


def _short(province: str) -> str:
    """How a name abbreviates its province: 江苏, 黑龙江, 内蒙古, 广西, 香港."""
    if province.endswith("省"):
        return province.removesuffix("省")
    return province[:3] if province.startswith("内蒙古") else province[:2]


def _within(province: str, rest: str) -> str:
    """The region of a name that starts with its province: a municipality's district, a
    province's city, or the province itself."""
    if province in MUNICIPALITIES:
        district = _DISTRICT.match(rest)
        return province + district.group(1) if district else province
    for region, short, in_province in regions():
        if in_province == province and (rest.startswith(region) or rest.startswith(short)):
            return region
    return province
