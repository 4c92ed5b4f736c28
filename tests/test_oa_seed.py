"""The demo shop's official account welcomes new fans and answers a few keywords."""

from __future__ import annotations

from app.extensions import db
from app.officialaccount import replies
from app.officialaccount.seed import seed_official_account
from tests import oa_push


def test_the_demo_seed_configures_replies_once_and_they_answer(app, client):
    assert seed_official_account() == ["official-account replies: 5 created"]
    db.session.commit()
    assert seed_official_account() == ["official-account replies: 0 created"]
    assert len(replies.list_keyword_rules()) == 3

    welcome = oa_push.reply_of(app.config, oa_push.post(client, app.config, oa_push.event("o_demo", "subscribe", "")))
    assert welcome["Content"].startswith("欢迎关注")
    menu = oa_push.reply_of(app.config, oa_push.post(client, app.config, oa_push.text("o_demo", "菜单")))
    assert "分销" in menu["Content"]
    orders = oa_push.reply_of(app.config, oa_push.post(client, app.config, oa_push.text("o_demo", "订单 123")))
    assert "订单" in orders["Content"]
