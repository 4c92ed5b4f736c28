"""The console's WeChat simulator: the fan side pushes through the sandbox to our real webhook,
the pay side finishes payments, refunds and transfers through the sandbox's notifications."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.officialaccount import menus, replies
from app.officialaccount.models import Fan, SceneTouch
from app.officialaccount.seed import seed_official_account
from app.payments.models import Payment, Refund, Transfer
from app.payments.states import PaymentStatus, RefundStatus, TransferStatus
from app.wechat.sandbox.identities import identity
from tests.admin_helpers import csrf_token, log_in, make_staff
from tests.pay_helpers import fresh, shopper, start_payment

JSON = {"Accept": "application/json"}


def call(client, path: str, body=None, *, token: str | None = "page"):
    """A fetch from the simulator page: JSON in and out, the CSRF token in X-CSRFToken."""
    headers = dict(JSON)
    if token == "page":
        token = csrf_token(client, "/admin/")
    if token:
        headers["X-CSRFToken"] = token
    return client.post(f"/admin/simulator/api/{path}", json=body, headers=headers)


def console_as(app, role: str = "owner"):
    make_staff(f"user_{role}", role=role)
    client = app.test_client()
    log_in(client, f"user_{role}")
    return client


@pytest.fixture
def owner(live_app):
    return console_as(live_app)


# -- access ----------------------------------------------------------------------------------
def test_the_simulator_is_a_404_outside_sandbox_mode(make_app):
    app = make_app(WECHAT_SANDBOX=False)
    with app.app_context():
        client = console_as(app)
        for path in ("/admin/simulator", "/admin/simulator/fan", "/admin/simulator/pay",
                     "/admin/simulator/api/oa/menu", "/admin/simulator/api/pay"):
            assert client.get(path, headers=JSON).status_code == 404, path
        assert call(client, "pay/pay-success", {"out_trade_no": "P1"}).status_code == 404
        assert "/admin/simulator" not in client.get("/admin/").get_data(as_text=True)


def test_the_sidebar_leads_each_role_to_the_side_it_may_use(app):
    owner, operator, finance = console_as(app, "owner"), console_as(app, "operator"), console_as(app, "finance")
    assert 'href="/admin/simulator"' in owner.get("/admin/").get_data(as_text=True)
    assert operator.get("/admin/simulator").headers["Location"].endswith("/admin/simulator/fan")
    assert finance.get("/admin/simulator").headers["Location"].endswith("/admin/simulator/pay")
    page = owner.get("/admin/simulator/fan").get_data(as_text=True)
    assert "微信模拟器" in page and "/admin/simulator/pay" in page  # both tabs for the owner


def test_each_side_checks_its_own_area(app):
    operator, finance = console_as(app, "operator"), console_as(app, "finance")
    assert operator.get("/admin/simulator/pay").status_code == 403
    assert operator.get("/admin/simulator/api/pay", headers=JSON).status_code == 403
    assert call(operator, "pay/test-payment", {"amount": "1.00", "name": "alice"}).status_code == 403
    assert finance.get("/admin/simulator/fan").status_code == 403
    assert finance.get("/admin/simulator/api/oa/menu", headers=JSON).status_code == 403
    assert call(finance, "oa/text", {"name": "alice", "content": "菜单"}).status_code == 403
    assert "/admin/simulator/pay" not in operator.get("/admin/simulator/fan").get_data(as_text=True)


def test_an_action_without_the_csrf_token_is_refused(app):
    client = console_as(app)
    refused = call(client, "oa/text", {"name": "alice", "content": "菜单"}, token=None)
    assert refused.status_code == 400
    assert refused.get_json()["error"]["code"] == "bad_request"
    assert call(client, "pay/test-payment", {"amount": "1.00", "name": "alice"}, token="forged").status_code == 400


def test_bad_input_gets_our_json_error_shape(app):
    client = console_as(app)
    answer = call(client, "oa/text", {"name": "not a name!", "content": "hi"})
    assert answer.status_code == 422 and set(answer.get_json()["error"]["fields"]) == {"name"}
    answer = call(client, "oa/text", {"openid": "o_fan", "content": "", "mode": "loud"})
    assert answer.status_code == 422 and set(answer.get_json()["error"]["fields"]) == {"content", "mode"}
    answer = call(client, "oa/scan", ["not", "an", "object"])
    assert answer.status_code == 400 and answer.get_json()["error"]["code"] == "malformed_json"
    answer = call(client, "pay/test-payment", {"amount": "1.234", "name": "alice"})
    assert answer.status_code == 422 and set(answer.get_json()["error"]["fields"]) == {"amount"}
    answer = call(client, "pay/pay-success", {"out_trade_no": "P_not_there"})
    assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "not_found"


# -- the fan side ----------------------------------------------------------------------------
def test_a_text_message_reaches_the_webhook_and_shows_the_keyword_reply(owner, live_app):
    seed_official_account()
    db.session.commit()
    answer = call(owner, "oa/text", {"name": "alice", "content": "菜单"})
    assert answer.status_code == 200
    result = answer.get_json()
    assert result["status"] == 200 and result["error"] is None
    assert result["openid"] == identity(live_app.config["WECHAT_OA_APPID"], "alice").openid
    assert result["replies"] == [{"kind": "text", "content": result["replies"][0]["content"]}]
    assert result["replies"][0]["content"].startswith("常用功能")
    assert "<Content><![CDATA[菜单]]></Content>" in result["sent_xml"]


def test_a_news_reply_is_shown_as_cards(owner):
    seed_official_account()
    db.session.commit()
    reply = call(owner, "oa/text", {"name": "alice", "content": "怎么赚佣金"}).get_json()["replies"][0]
    assert reply["kind"] == "news" and reply["articles"][0]["title"] == "成为分销员，分享就能赚佣金"


def test_following_through_an_agent_scene_records_the_fan_and_the_scene(owner):
    seed_official_account()
    db.session.commit()
    result = call(owner, "oa/subscribe", {"openid": "o_sim_fan", "scene": "agent_7"}).get_json()
    assert result["replies"][0]["content"].startswith("欢迎关注")
    db.session.expire_all()
    fan = db.session.scalar(select(Fan).where(Fan.openid == "o_sim_fan"))
    assert fan.is_subscribed and fan.subscribe_scene == "agent_7"
    assert [(t.scene, t.event) for t in db.session.scalars(select(SceneTouch))] == [("agent_7", "subscribe")]
    assert call(owner, "oa/scan", {"openid": "o_sim_fan", "scene": "agent_9"}).get_json()["replies"] == []
    assert call(owner, "oa/unsubscribe", {"openid": "o_sim_fan"}).status_code == 200
    fans = owner.get("/admin/simulator/api/oa/fans", headers=JSON).get_json()["fans"]
    assert fans == [{"openid": "o_sim_fan", "subscribed": False, "scene": "agent_7"}]


def test_the_published_menu_is_shown_and_a_click_gets_its_reply(owner):
    menus.save_menu([{"name": "赚佣金", "sub_button": [
        {"name": "佣金规则", "type": "click", "key": "COMMISSION_RULES"},
        {"name": "商城", "type": "view", "url": "https://example.com/"}]}])
    db.session.commit()
    assert owner.get("/admin/simulator/api/oa/menu", headers=JSON).get_json() == {"published": False, "buttons": []}
    menus.publish_menu()
    replies.set_special_reply("click:COMMISSION_RULES", "text", {"content": "一级佣金 10%"})
    db.session.commit()
    menu = owner.get("/admin/simulator/api/oa/menu", headers=JSON).get_json()
    assert menu["published"] and menu["buttons"][0]["sub_button"][0]["key"] == "COMMISSION_RULES"
    result = call(owner, "oa/click", {"name": "alice", "key": "COMMISSION_RULES"}).get_json()
    assert result["replies"] == [{"kind": "text", "content": "一级佣金 10%"}]


def test_a_push_the_webhook_refuses_is_shown_as_an_error():
    from app.admin.views.simulator import exchange_view

    refused = {"status": 403, "elapsed_ms": 3.0, "sent": {"xml": "<xml/>"},
               "reply": {"raw": "forbidden", "xml": None, "message": None, "signature_valid": None}}
    view = exchange_view(refused, "o_fan")
    assert view["replies"] == [] and "403" in view["error"]


# -- the pay side ----------------------------------------------------------------------------
def _test_payment(client, amount: str = "12.50", name: str = "xiaohua") -> Payment:
    answer = call(client, "pay/test-payment", {"amount": amount, "name": name})
    assert answer.status_code == 201, answer.get_json()
    return db.session.scalar(select(Payment).where(Payment.out_trade_no == answer.get_json()["number"]))


def test_a_test_payment_marked_paid_is_paid_and_our_notify_answered_204(owner):
    payment = _test_payment(owner)
    assert (payment.purpose, payment.amount_fen, payment.status) == ("test", 1250, PaymentStatus.UNPAID)
    listed = owner.get("/admin/simulator/api/pay", headers=JSON).get_json()["payments"]
    assert listed[0]["number"] == payment.out_trade_no and listed[0]["amount_fen"] == 1250
    assert listed[0]["wechat"]["state"] == "NOTPAY" and listed[0]["ours"]["is_test"]
    assert listed[0]["ours"]["status_label"] == "未支付" and listed[0]["description"].startswith("【测试】")
    answer = call(owner, "pay/pay-success", {"out_trade_no": payment.out_trade_no}).get_json()
    assert answer["notification"] == {"sent": True, "delivered": True, "ok": True, "status": 204, "body": ""}
    assert answer["ours"]["status"] == "paid"
    assert fresh(Payment, payment.id).status == PaymentStatus.PAID


def test_a_lost_notification_leaves_ours_unpaid_until_we_query_wechat(owner):
    payment = _test_payment(owner)
    answer = call(owner, "pay/pay-success", {"out_trade_no": payment.out_trade_no, "notify": False}).get_json()
    assert answer["notification"] == {"sent": False} and answer["ours"]["status"] == "unpaid"
    assert fresh(Payment, payment.id).status == PaymentStatus.UNPAID
    listed = owner.get("/admin/simulator/api/pay", headers=JSON).get_json()["payments"][0]
    assert (listed["wechat"]["state"], listed["ours"]["status"]) == ("SUCCESS", "unpaid")
    assert call(owner, "pay/query", {"out_trade_no": payment.out_trade_no}).get_json()["ours"]["status"] == "paid"
    assert fresh(Payment, payment.id).status == PaymentStatus.PAID


def test_a_paid_test_payment_is_refunded_and_the_refund_completed(owner):
    payment = _test_payment(owner, "8.00")
    call(owner, "pay/pay-success", {"out_trade_no": payment.out_trade_no})
    answer = call(owner, "pay/test-refund", {"out_trade_no": payment.out_trade_no})
    assert answer.status_code == 201
    refund = db.session.scalar(select(Refund).where(Refund.out_refund_no == answer.get_json()["number"]))
    assert (refund.amount_fen, refund.status) == (800, RefundStatus.PROCESSING)
    listed = owner.get("/admin/simulator/api/pay", headers=JSON).get_json()["refunds"][0]
    assert (listed["wechat"]["state"], listed["ours"]["status"], listed["ours"]["is_test"]) == \
        ("PROCESSING", "processing", True)
    done = call(owner, "pay/refund-success", {"out_refund_no": refund.out_refund_no}).get_json()
    assert done["notification"]["status"] == 204 and done["ours"]["status"] == "succeeded"
    assert fresh(Refund, refund.id).status == RefundStatus.SUCCEEDED


def test_only_test_payments_are_refunded_from_the_simulator(owner, live_server):
    order_payment = start_payment(shopper()).payment
    answer = call(owner, "pay/test-refund", {"out_trade_no": order_payment.out_trade_no})
    assert answer.status_code == 404
    assert db.session.scalar(select(Refund)) is None


def test_test_transfers_succeed_or_fail_through_the_notification(owner):
    numbers = [call(owner, "pay/test-transfer", {"amount": "5.00", "name": "xiaohua"}).get_json()["number"]
               for _ in range(2)]
    assert numbers[0] != numbers[1]
    succeeded = call(owner, "pay/transfer-success", {"out_bill_no": numbers[0]}).get_json()
    failed = call(owner, "pay/transfer-fail", {"out_bill_no": numbers[1]}).get_json()
    assert succeeded["notification"]["status"] == failed["notification"]["status"] == 204
    db.session.expire_all()
    rows = {t.out_bill_no: t for t in db.session.scalars(select(Transfer))}
    assert rows[numbers[0]].status == TransferStatus.SUCCEEDED and rows[numbers[0]].purpose == "test"
    assert rows[numbers[1]].status == TransferStatus.FAILED and rows[numbers[1]].fail_reason
    listed = owner.get("/admin/simulator/api/pay", headers=JSON).get_json()["transfers"]
    assert [(t["wechat"]["state"], t["ours"]["status"]) for t in listed] == [("FAIL", "failed"),
                                                                           ("SUCCESS", "succeeded")]
