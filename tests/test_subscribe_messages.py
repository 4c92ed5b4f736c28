"""Subscribe messages: configured per event kind, sent after commit, once, and 43101 is final."""

from __future__ import annotations

import itertools
from datetime import datetime

import pytest
import requests
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.errors import ValidationError
from app.extensions import db
from app.notifications import services, states
from app.notifications.jobs import DeliveryDeferred, send_subscribe_message_job
from app.notifications.models import SubscribeMessage
from app.notifications.seed import DEMO_TEMPLATES

SHIPPED = {"order_id": 7, "order_no": "FX20261127001", "goods": "云南小粒咖啡豆 500g 中度烘焙 新鲜现烘 两袋装特惠",
           "express_company": "顺丰速运", "tracking_no": "SF1234567890", "shipped_at": datetime(2026, 11, 27, 9, 30)}
_openids = itertools.count(1)


def _templates() -> None:
    for kind, (template_id, page, fields) in DEMO_TEMPLATES.items():
        services.configure_template(kind, template_id, page=page, fields=fields)
    db.session.commit()


def _shopper(openid: str | None = None) -> User:
    user = User(mp_openid=openid or f"oSandboxOpenid{next(_openids):05d}", nickname="小花")
    db.session.add(user)
    db.session.commit()
    return user


def _sent(live_server) -> list[dict]:
    return live_server.sandbox.records["subscribe"].get("sent", [])


def _message(message_id: int) -> SubscribeMessage:
    db.session.expire_all()
    return db.session.get(SubscribeMessage, message_id)


def test_notify_sends_the_rendered_template_after_commit(live_app, live_server):
    _templates()
    user = _shopper()

    message = services.notify(user.id, "order_shipped", SHIPPED)
    db.session.flush()
    assert _sent(live_server) == []  # nothing leaves before the commit
    db.session.commit()

    [sent] = _sent(live_server)
    assert sent["touser"] == user.mp_openid and sent["template_id"] == "sandbox-tpl-order-shipped"
    assert sent["page"] == "pages/order/detail?id=7"
    assert sent["data"]["character_string1"] == {"value": "FX20261127001"}
    assert sent["data"]["thing2"]["value"] == "云南小粒咖啡豆 500g 中度烘焙 新…"  # cut to thing's 20 characters
    assert sent["data"]["time5"] == {"value": "2026-11-27 17:30"}  # stored in UTC, shown in Beijing time
    stored = _message(message.id)
    assert (stored.status, stored.errcode, stored.attempts) == (states.SENT, 0, 1) and stored.sent_at


def test_nothing_is_recorded_or_sent_when_the_transaction_rolls_back(live_app, live_server):
    _templates()
    user = _shopper()

    services.notify(user.id, "order_shipped", SHIPPED)
    db.session.rollback()
    db.session.commit()

    assert _sent(live_server) == []
    assert db.session.scalar(select(func.count()).select_from(SubscribeMessage)) == 0


def test_running_the_job_again_does_not_send_again(live_app, live_server):
    _templates()
    message = services.notify(_shopper().id, "commission_credited", {"amount": 1234, "order_no": "FX1"})
    db.session.commit()

    send_subscribe_message_job(message.id)
    db.session.commit()

    assert len(_sent(live_server)) == 1
    assert _sent(live_server)[0]["data"]["amount1"] == {"value": "12.34元"}
    assert _message(message.id).attempts == 1


def test_the_same_event_notified_twice_sends_once(live_app, live_server):
    _templates()
    user = _shopper()
    first = services.notify(user.id, "withdrawal_result", {"amount": 5000, "result": "已到账"}, dedupe_key="w:9")
    db.session.commit()
    second = services.notify(user.id, "withdrawal_result", {"amount": 5000, "result": "已到账"}, dedupe_key="w:9")
    db.session.commit()
    assert first.id == second.id
    assert len(_sent(live_server)) == 1


def test_a_user_who_refused_is_final_and_not_an_error(live_app, live_server):
    _templates()
    user = _shopper()
    requests.post(f"{live_server.url}/sandbox/dev/subscribe/refuse", json={"openid": user.mp_openid}, timeout=5)

    message = services.notify(user.id, "order_shipped", SHIPPED)
    db.session.commit()

    stored = _message(message.id)
    assert (stored.status, stored.errcode) == (states.REFUSED, 43101)
    assert _sent(live_server) == []


def test_a_template_wechat_rejects_fails_for_good(live_app, live_server):
    services.configure_template("order_shipped", "no spaces allowed", fields={"thing1": "goods"})
    db.session.commit()
    message = services.notify(_shopper().id, "order_shipped", SHIPPED)
    db.session.commit()
    stored = _message(message.id)
    assert (stored.status, stored.errcode) == (states.FAILED, 40037)


def test_wechat_unreachable_keeps_the_message_pending_for_a_retry(make_app):
    app = make_app(WECHAT_SANDBOX=False, WECHAT_MP_APPID="wx0000000000000001", WECHAT_MP_SECRET="s",
                   WECHAT_API_BASE_URL="http://127.0.0.1:9", WECHAT_HTTP_TIMEOUT=2)
    with app.app_context():
        _templates()
        user = _shopper()
        message = SubscribeMessage(user_id=user.id, kind="order_shipped", template_id="t", data={"thing1": {}})
        db.session.add(message)
        db.session.commit()

        with pytest.raises(DeliveryDeferred):
            send_subscribe_message_job(message.id)
        db.session.rollback()

        stored = _message(message.id)
        assert (stored.status, stored.attempts, stored.errcode) == (states.PENDING, 1, None)


def test_no_template_or_no_mini_program_openid_means_no_message(live_app, live_server):
    user = _shopper()
    assert services.notify(user.id, "order_shipped", SHIPPED) is None  # no template configured
    _templates()
    fan_only = User(oa_openid="oFanOnly", nickname="粉丝")
    db.session.add(fan_only)
    db.session.commit()
    assert services.notify(fan_only.id, "order_shipped", SHIPPED) is None
    db.session.commit()
    assert _sent(live_server) == []


@pytest.mark.parametrize(("kind", "fields", "field"), [
    ("order_cancelled", {"thing1": "goods"}, "kind"),
    ("order_shipped", {}, "fields"),
    ("order_shipped", {"title1": "goods"}, "fields.title1"),
    ("order_shipped", {"thing1": "amount"}, "fields.thing1"),
])
def test_template_configuration_is_validated(app, kind, fields, field):
    with pytest.raises(ValidationError) as caught:
        services.configure_template(kind, "tpl", fields=fields)
    assert field in caught.value.fields


@pytest.mark.parametrize(("current", "target"), [
    (current, target) for current in states.STATUSES for target in states.STATUSES])
def test_only_the_listed_status_transitions_are_possible(current, target):
    message = SubscribeMessage(status=current)
    allowed = (current, target) in {("pending", "sent"), ("pending", "refused"), ("pending", "failed")}
    if allowed:
        states.move(message, target)
        assert message.status == target
    else:
        with pytest.raises(Exception, match="not allowed"):
            states.move(message, target)
        assert message.status == current


def test_a_missing_amount_is_a_programming_error_not_a_placeholder(live_app):
    _templates()
    with pytest.raises(ValueError, match="amount1"):
        services.notify(_shopper().id, "withdrawal_result", {"result": "已到账"})
