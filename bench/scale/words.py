"""The words a generated shop is made of: common Chinese names (张伟 is as common here as in
life), real county-level regions, couriers and product names. Every choice is a pure
function of an id, so nothing about a person needs to be remembered between passes."""

from __future__ import annotations

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
         "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "鑫", "斌", "波", "宇", "浩",
         "凯", "婷", "欣怡", "子涵", "梓萱", "一诺", "雨桐")
REGIONS = (
    ("110105", "北京市 北京市 朝阳区"), ("310115", "上海市 上海市 浦东新区"), ("440305", "广东省 深圳市 南山区"),
    ("440106", "广东省 广州市 天河区"), ("330106", "浙江省 杭州市 西湖区"), ("320106", "江苏省 南京市 鼓楼区"),
    ("510107", "四川省 成都市 武侯区"), ("420111", "湖北省 武汉市 洪山区"), ("610113", "陕西省 西安市 雁塔区"),
    ("370202", "山东省 青岛市 市南区"), ("500103", "重庆市 重庆市 渝中区"), ("120101", "天津市 天津市 和平区"),
    ("350203", "福建省 厦门市 思明区"), ("430104", "湖南省 长沙市 岳麓区"), ("410105", "河南省 郑州市 金水区"),
)
STREETS = ("人民路", "解放路", "中山路", "建设路", "和平路", "长江路", "黄河路", "滨江大道", "科技园路", "学府路")
COURIERS = (("SF", "顺丰速运"), ("ZTO", "中通快递"), ("YTO", "圆通速递"), ("YD", "韵达快递"), ("JD", "京东快递"))
CATEGORIES = (("生鲜水果", ("苹果", "橙子", "猕猴桃", "车厘子", "芒果")),
              ("休闲零食", ("坚果", "牛肉干", "饼干", "果干", "海苔")),
              ("美妆个护", ("面霜", "精华", "洗发水", "沐浴露", "口红")),
              ("家居日用", ("毛巾", "收纳盒", "保温杯", "床品四件套", "拖鞋")),
              ("粮油调味", ("大米", "菜籽油", "酱油", "挂面", "小米")),
              ("母婴用品", ("纸尿裤", "湿巾", "奶瓶", "婴儿面霜", "爬行垫")),
              ("茶酒饮品", ("绿茶", "普洱", "红酒", "白酒", "咖啡豆")),
              ("服饰鞋包", ("T恤", "卫衣", "运动鞋", "双肩包", "袜子")))
ORIGINS = ("新疆", "云南", "四川", "东北", "山东", "浙江", "福建", "广西", "海南", "内蒙古", "日本", "法国")
QUALITIES = ("精选", "特级", "有机", "家庭装", "礼盒装", "爆款", "当季", "原产地直发")
SIZES = (("规格", ("标准装", "加量装", "家庭装", "礼盒装")), ("重量", ("500g", "1kg", "2.5kg", "5kg")))


def mix(value: int) -> int:
    """A cheap, fixed scramble of an id (so choices look random yet repeat exactly)."""
    value = (value * 0x9E3779B1 + 0x7F4A7C15) & 0xFFFFFFFF
    value ^= value >> 15
    return (value * 0x85EBCA77) & 0xFFFFFFFF


def person_name(user_id: int) -> str:
    seed = mix(user_id)
    # the first surnames and names are the most common, as they are in life
    return SURNAMES[min(seed % 64, (seed >> 6) % 64) % len(SURNAMES)] + GIVEN[
        min((seed >> 12) % 48, (seed >> 18) % 48) % len(GIVEN)]


def phone(user_id: int) -> str:
    return f"1{3 + mix(user_id + 7) % 7}{mix(user_id + 11) % 10}{(user_id * 7919) % 100_000_000:08d}"


def region(user_id: int) -> tuple[str, str]:
    return REGIONS[mix(user_id + 3) % len(REGIONS)]


def street(user_id: int) -> str:
    seed = mix(user_id + 5)
    return f"{STREETS[seed % len(STREETS)]}{seed % 999 + 1}号{seed % 30 + 1}栋{seed % 28 + 1}0{seed % 4 + 1}室"


def invite_code(agent_id: int) -> str:
    """Seven characters of [A-Za-z0-9], one-to-one with the agent id (so never a duplicate)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
    value = (agent_id * 2_654_435_761) % (len(alphabet) ** 7)  # odd multiplier, coprime to 57**7
    code = ""
    for _ in range(7):
        value, digit = divmod(value, len(alphabet))
        code += alphabet[digit]
    return code
