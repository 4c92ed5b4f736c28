"""The merchant's after-sales queue: find, review, approve, reject, receive, refund offline."""

from __future__ import annotations

from app.accounts.models import Role
from app.audit.models import AuditEntry
from app.core.models import utcnow
from app.extensions import db
from app.members.services import wallet_of
from app.orders import after_sales
from app.orders.after_sales import Application
from app.orders.models import AfterSale, Order, OrderLog
from app.payments.models import Payment
from app.wechat import pay
from tests import factories
from tests.admin_helpers import csrf_token, log_in, make_staff, post
from tests.pay_helpers import fresh, shopper, simulate, start_payment


def _request(*, status="shipped", pay_method="balance", kind="refund_only", quantity=1, price_fen=1200,
             user=None, completed_at=None, **fields) -> AfterSale:
    user = user or factories.shopper()
    product = factories.product(factories.category(), price_fen=price_fen, stock=10)
    order = factories.order(user, [(product.skus[0], 2)], status=status, pay_method=pay_method,
                            completed_at=completed_at)
    row = after_sales.request_after_sale(user.id, Application(order_item_id=order.items[0].id, kind=kind,
                                                              quantity=quantity, reason="质量问题", **fields))
    db.session.commit()
    return row


def _console(app, role="owner"):
    make_staff("boss", role=role)
    client = app.test_client()
    log_in(client, "boss")
    return client


def _act(client, row: AfterSale, action: str, data: dict | None = None):
    return post(client, f"/admin/after-sales/{row.id}/{action}", data,
                token_path=f"/admin/after-sales/{row.id}")


def test_the_queue_filters_by_status_kind_and_number(app):
    refund = _request(description="盒子压坏了")
    ret = _request(kind="return_refund")
    client = _console(app)
    html = client.get("/admin/after-sales").get_data(as_text=True)
    assert refund.after_sale_no in html and ret.after_sale_no in html
    only_returns = client.get("/admin/after-sales?kind=return_refund").get_data(as_text=True)
    assert ret.after_sale_no in only_returns and refund.after_sale_no not in only_returns
    by_order = client.get(f"/admin/after-sales?q={refund.order.order_no}").get_data(as_text=True)
    assert refund.after_sale_no in by_order and ret.after_sale_no not in by_order
    assert ret.after_sale_no not in client.get("/admin/after-sales?status=refunded").get_data(as_text=True)
    detail = client.get(f"/admin/after-sales/{refund.id}").get_data(as_text=True)
    assert "盒子压坏了" in detail and "质量问题" in detail and "申请售后" in detail


def test_approving_a_balance_refund_only_pays_back_at_once_audited_and_logged(app):
    row = _request(price_fen=1200)
    client = _console(app)
    answer = _act(client, row, "approve")
    assert answer.status_code == 302
    assert fresh(AfterSale, row.id).status == "refunded" and wallet_of(row.user_id).balance_fen == 1200
    entry = db.session.query(AuditEntry).filter_by(action="after_sale.approve").one()
    assert entry.area == "orders" and entry.after["status"] == "refunded" and entry.staff_id
    logged = db.session.query(OrderLog).filter_by(order_id=row.order_id, action="after_sale_refunded").one()
    assert logged.actor_type == "staff" and logged.actor_name == "boss"
    again = _act(client, row, "approve")
    assert again.status_code == 409 and wallet_of(row.user_id).balance_fen == 1200


def test_a_return_needs_an_address_then_is_received_restocked_and_refunded(app):
    row = _request(kind="return_refund", price_fen=1500)
    client = _console(app)
    missing = _act(client, row, "approve", {"return_address": " "})
    assert missing.status_code == 422 and fresh(AfterSale, row.id).status == "requested"
    assert _act(client, row, "approve", {"return_address": "王五 13700000000 杭州市退货中心"}).status_code == 302
    assert fresh(AfterSale, row.id).status == "approved"
    page = client.get(f"/admin/after-sales/{row.id}").get_data(as_text=True)
    assert "杭州市退货中心" in page
    assert _act(client, row, "receive", {"restock": "1"}).status_code == 302
    done = fresh(AfterSale, row.id)
    assert done.status == "refunded" and done.restock and wallet_of(row.user_id).balance_fen == 1500
    # the next approval starts from the address used last time
    other = _request(kind="return_refund")
    assert "杭州市退货中心" in client.get(f"/admin/after-sales/{other.id}").get_data(as_text=True)


def test_rejecting_needs_a_reason_and_releases_the_claim(app):
    row = _request()
    client = _console(app)
    assert _act(client, row, "reject", {"reject_reason": ""}).status_code == 422
    assert _act(client, row, "reject", {"reject_reason": "影响二次销售"}).status_code == 302
    rejected = fresh(AfterSale, row.id)
    assert rejected.status == "rejected" and rejected.reject_reason == "影响二次销售"
    assert rejected.item.claimed_fen == 0
    assert db.session.query(AuditEntry).filter_by(action="after_sale.reject").count() == 1


def test_cash_on_delivery_collected_is_confirmed_as_paid_back_offline(app):
    user = factories.shopper()
    row = _request(status="completed", pay_method="cod", user=user, price_fen=800, completed_at=utcnow())
    order = db.session.get(Order, row.order_id)
    order.paid_fen = order.payable_fen
    db.session.commit()
    client = _console(app)
    _act(client, row, "approve")
    assert fresh(AfterSale, row.id).status == "refunding"
    page = client.get(f"/admin/after-sales/{row.id}").get_data(as_text=True)
    assert f"admin/after-sales/{row.id}/offline-refund" in page
    assert _act(client, row, "offline-refund").status_code == 302
    assert fresh(AfterSale, row.id).status == "refunded" and fresh(Order, order.id).refunded_fen == 800


def test_a_failed_wechat_refund_is_shown_to_the_merchant(live_app, live_server):
    user = shopper("console_buyer")
    product = factories.product(factories.category(), price_fen=990, stock=5)
    order = factories.order(user, [(product.skus[0], 1)], status="paid", pay_method="wechat")
    payment = start_payment(user, order.paid_fen).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    order = fresh(Order, order.id)
    order.payment_id = payment.id
    db.session.commit()
    pay.create_refund(out_refund_no="Relsewhere", out_trade_no=payment.out_trade_no, refund_fen=990, total_fen=990,
                      reason="")
    row = after_sales.request_after_sale(user.id, Application(order_item_id=order.items[0].id,
                                                              kind="refund_only", quantity=1, reason="不想要了"))
    db.session.commit()
    client = _console(live_app)
    assert _act(client, row, "approve").status_code == 302
    assert fresh(AfterSale, row.id).status == "requested"
    page = client.get(f"/admin/after-sales/{row.id}").get_data(as_text=True)
    assert 'id="refund-failure"' in page and "INVALID_REQUEST" in page
    assert fresh(Payment, payment.id).refund_held_fen == 0


def test_posts_need_the_csrf_token_and_the_orders_area(app):
    row = _request()
    client = _console(app)
    assert client.post(f"/admin/after-sales/{row.id}/approve").status_code == 400
    assert fresh(AfterSale, row.id).status == "requested"
    db.session.add(Role(code="clerk", name="店员", permissions=["products"]))
    db.session.commit()
    make_staff("clerk", role="clerk")
    clerk = app.test_client()
    log_in(clerk, "clerk")
    assert clerk.get("/admin/after-sales").status_code == 403
    assert clerk.get(f"/admin/after-sales/{row.id}").status_code == 403
    token = csrf_token(clerk, "/admin/")
    assert clerk.post(f"/admin/after-sales/{row.id}/approve", data={"csrf_token": token}).status_code == 403
    assert fresh(AfterSale, row.id).status == "requested"
    assert "/admin/after-sales" not in clerk.get("/admin/").get_data(as_text=True)
    assert "/admin/after-sales" in client.get("/admin/").get_data(as_text=True)
