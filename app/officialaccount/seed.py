"""Demo auto-replies: a welcome for new fans, a default reply and a few keyword rules."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from app.catalog.models import Product
from app.extensions import db
from app.officialaccount import replies
from app.officialaccount.models import KeywordRule

WELCOME = ("欢迎关注分销商城！🎉\n回复「菜单」查看常用功能，回复「分销」了解如何成为分销员，"
           "点击下方菜单进入商城。")
DEFAULT = "收到您的消息啦，客服会尽快回复。回复「菜单」查看常用功能。"


def _rules(base_url: str, picture: str) -> list[dict]:
    return [
        {"name": "菜单", "keywords": [{"text": "菜单", "match": "exact"}, {"text": "帮助", "match": "exact"},
                                      {"text": "help", "match": "exact"}],
         "priority": 10, "kind": "text",
         "content": {"content": "常用功能：\n1. 回复「分销」了解分销员计划\n2. 回复「客服」联系我们\n"
                                "3. 回复「订单」查询订单"}},
        {"name": "分销员计划",
         "keywords": [{"text": "分销", "match": "contains"}, {"text": "佣金", "match": "contains"}],
         "priority": 5, "kind": "news",
         "content": {"articles": [{"title": "成为分销员，分享就能赚佣金",
                                   "description": "分享商品和专属海报，好友下单你就有佣金，最多三级。",
                                   "picurl": picture,
                                   "url": f"{base_url}/"}]}},
        {"name": "订单查询", "keywords": [{"text": r"^(订单|物流|快递)\s*\d*$", "match": "regex"}],
         "priority": 0, "kind": "text",
         "content": {"content": "打开小程序「我的 → 全部订单」即可查看订单和物流进度。"}},
    ]


def seed_official_account() -> list[str]:
    """Adds what is missing; a merchant's own changes to the seeded replies are kept."""
    created = 0
    for slot, text in (("subscribe", WELCOME), ("default", DEFAULT)):
        if replies.get_special_reply(slot) is None:
            replies.set_special_reply(slot, "text", {"content": text})
            created += 1
    base_url = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    existing = set(db.session.scalars(select(KeywordRule.name)))
    cover = db.session.scalar(select(Product.cover_url).where(Product.cover_url != "").order_by(Product.id))
    for rule in _rules(base_url, f"{base_url}{cover}" if cover else ""):
        if rule["name"] not in existing:
            replies.create_keyword_rule(**rule)
            created += 1
    return [f"official-account replies: {created} created"]
