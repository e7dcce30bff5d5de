"""Region and province of a department, read from its name ("上海市普陀区司法局").

The sources catalog may state region and province explicitly; this is the fallback
for documents loaded without one.
"""

from __future__ import annotations

import re

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

# Prefecture-level cities (and 济源示范区) of the provinces the seeds come from, and the
# provincial capitals; extend as documents of more provinces arrive.
CITIES: dict[str, str] = {
    **dict.fromkeys(
        ["郑州", "开封", "洛阳", "平顶山", "安阳", "鹤壁", "新乡", "焦作", "濮阳",
         "许昌", "漯河", "三门峡", "南阳", "商丘", "信阳", "周口", "驻马店", "济源"],
        "河南省",
    ),
    **dict.fromkeys(
        ["石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州",
         "廊坊", "衡水", "雄安"],
        "河北省",
    ),
    "太原": "山西省", "沈阳": "辽宁省", "大连": "辽宁省", "长春": "吉林省",
    "哈尔滨": "黑龙江省", "南京": "江苏省", "苏州": "江苏省", "杭州": "浙江省",
    "宁波": "浙江省", "合肥": "安徽省", "福州": "福建省", "厦门": "福建省",
    "南昌": "江西省", "济南": "山东省", "青岛": "山东省", "武汉": "湖北省",
    "长沙": "湖南省", "广州": "广东省", "深圳": "广东省", "海口": "海南省",
    "成都": "四川省", "贵阳": "贵州省", "昆明": "云南省", "西安": "陕西省",
    "兰州": "甘肃省", "西宁": "青海省", "呼和浩特": "内蒙古自治区", "南宁": "广西壮族自治区",
    "拉萨": "西藏自治区", "银川": "宁夏回族自治区", "乌鲁木齐": "新疆维吾尔自治区",
}  # fmt: skip
_DISTRICT = re.compile(r"^(.{1,8}?(?:区|县|市|旗))")


def locate(name: str | None) -> tuple[str | None, str | None]:
    """(region, province) of a department name; None where the name does not tell."""
    if not name:
        return None, None
    for province in PROVINCES:
        short = province.rstrip("省市")
        if name.startswith(province) or (province not in MUNICIPALITIES and name.startswith(short)):
            rest = name[len(province) if name.startswith(province) else len(short) :]
            if province in MUNICIPALITIES:
                district = _DISTRICT.match(rest)
                region = province + district.group(1) if district else province
                return region, province
            return _city_region(rest) or province, province
    for city, province in CITIES.items():
        if name.startswith(city):
            suffix = "示范区" if city == "济源" else ("新区" if city == "雄安" else "市")
            return city + suffix, province
    return None, None


def _city_region(rest: str) -> str | None:
    for city in CITIES:
        if rest.startswith(city):
            return city + "市"
    return None
