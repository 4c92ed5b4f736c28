"""Console: the order list (tabs, filters, exception orders), the detail page, shipping and
remarks from it, the printable delivery note, and who may use them."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from app.accounts.models import Role
from app.core.models import utcnow
from app.extensions import db
from app.orders import fulfilment, oplog
from app.orders.models import Order
from app.shop.services import shop_settings
from tests import factories
from tests.admin_helpers import csrf_token, log_in, make_staff, post


def _logged_in(app, role: str = "owner"):
    make_staff("boss", role=role)
    client = app.test_client()
    log_in(client, "boss")
    return client


def _order(title: str = "保温杯", *, quantities=(1,), shopper: str | None = None, **fields) -> Order:
    product = factories.product(factories.category(), title, skus=len(quantities), stock=20)
    user = factories.shopper(shopper)
    return factories.order(user, list(zip(product.skus, quantities, strict=True)), **fields)


def _listed(html: str) -> list[str]:
    return re.findall(r'data-order-no="([^"]+)"', html)


def test_the_list_shows_orders_with_status_tabs_and_counts(app):
    client = _logged_in(app)
    waiting, paid, done = _order(), _order("帆布包", status="paid"), _order(status="completed")
    html = client.get("/admin/orders").get_data(as_text=True)
    assert set(_listed(html)) == {waiting.order_no, paid.order_no, done.order_no}
    assert re.search(r'data-count="paid">1<', html) and re.search(r'data-count="pending_payment">1<', html)
    assert "待发货" in html and "帆布包" in html and "¥19.90" in html and "微信支付" in html
    html = client.get("/admin/orders?status=paid").get_data(as_text=True)
    assert _listed(html) == [paid.order_no]


def test_the_keyword_finds_orders_by_number_receiver_phone_product_and_nickname(app):
    client = _logged_in(app)
    cup = _order("保温杯", shopper="小红")
    bag = _order("帆布包", shopper="老李")
    bag.receiver_name, bag.receiver_phone = "王五", "13900001111"  # the receiver changed
    db.session.commit()
    for keyword, expected in (("帆布", [bag]), ("小红", [cup]), ("王五", [bag]), ("13900001111", [bag]),
                              (cup.order_no, [cup])):
        html = client.get("/admin/orders", query_string={"keyword": keyword}).get_data(as_text=True)
        assert _listed(html) == [order.order_no for order in expected], keyword


def test_filters_by_pay_method_and_beijing_days(app):
    client = _logged_in(app)
    cod = _order(status="paid", pay_method="cod")
    wechat = _order(status="paid")
    db.session.execute(update(Order).where(Order.id == wechat.id).values(created_at=utcnow() - timedelta(days=3)))
    db.session.commit()
    assert _listed(client.get("/admin/orders?pay_method=cod").get_data(as_text=True)) == [cod.order_no]
    today = (utcnow() + timedelta(hours=8)).date().isoformat()
    assert _listed(client.get(f"/admin/orders?since={today}&until={today}").get_data(as_text=True)) == [cod.order_no]


def test_exception_orders_include_overdue_shipments(app):
    client = _logged_in(app)
    mismatch = _order(status="paid", exception="amount_mismatch")
    overdue = _order(status="paid")
    _order(status="paid")  # paid just now: not overdue
    db.session.execute(update(Order).where(Order.id == overdue.id).values(paid_at=utcnow() - timedelta(hours=49)))
    db.session.commit()
    html = client.get("/admin/orders?exception=any").get_data(as_text=True)
    assert set(_listed(html)) == {mismatch.order_no, overdue.order_no}
    assert re.search(r'data-count="exception">2<', html)
    assert "支付金额不符" in html and "发货超时" in html
    html = client.get("/admin/orders?exception=shipment_overdue").get_data(as_text=True)
    assert _listed(html) == [overdue.order_no]


def test_the_export_button_posts_the_list_filters_with_its_csrf_token_and_starts_an_export(app):
    # given the paid orders filtered by a keyword
    client = _logged_in(app)
    html = client.get("/admin/orders?status=paid&keyword=杯").get_data(as_text=True)
    # then 导出 Excel is a form that posts (a link would GET the POST-only export: 405)
    form = re.search(r'<form method="post" action="([^"]+)" id="order-export">(.*?)</form>', html, re.S)
    assert form and "导出 Excel" in form.group(2)
    action = form.group(1).replace("&amp;", "&")
    assert action.startswith("/admin/orders/export?") and "status=paid" in action
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.group(2)).group(1)
    # when it is submitted, then the export of those filters starts
    response = client.post(action, data={"csrf_token": token})
    assert response.status_code == 302 and re.search(r"/admin/exports/\d+$", response.headers["Location"])


def test_the_detail_shows_items_amounts_meaning_and_timeline(app):
    client = _logged_in(app)
    order = _order(status="paid", quantities=(2,), freight_fen=800)
    fulfilment.set_merchant_remark(order.id, "加急", oplog.staff(None, "小王"))
    db.session.commit()
    html = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert order.order_no in html and "张三" in html and "广东省 深圳市 南山区 科技园1号" in html
    assert "¥39.80" in html and "¥8.00" in html and "¥47.80" in html
    meaning = re.search(r'id="status-meaning">([^<]+)<', html).group(1)
    assert meaning.startswith("已付款（或货到付款已确认），等待发货")
    timeline = html[html.index('id="timeline"'):]
    assert "商家备注" in timeline and "加急" in timeline and "小王" in timeline


def test_shipping_from_the_console_partly_then_the_rest(app):
    client = _logged_in(app)
    order = _order(status="paid", quantities=(3,))
    item = order.items[0]
    page = f"/admin/orders/{order.id}"
    response = post(client, f"{page}/ship", {"courier_code": "ZTO", "tracking_no": "7731000000001",
                                             f"quantity_{item.id}": "1"}, token_path=page)
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Order, order.id).items[0].shipped_quantity == 1
    html = client.get(page).get_data(as_text=True)
    assert "中通快递 7731000000001" in html and "本包裹 1 件" in html
    assert re.search(rf'name="quantity_{item.id}" value="2"', html)  # what is left is offered next
    response = post(client, f"{page}/ship", {"courier_code": "ZTO", "tracking_no": "7731000000002",
                                             f"quantity_{item.id}": "2"}, token_path=page)
    assert response.status_code == 302
    db.session.expire_all()
    order = db.session.get(Order, order.id)
    assert order.status == "shipped" and order.auto_receive_at is not None
    html = client.get(page).get_data(as_text=True)
    assert 'id="ship-form"' in html and "发出此包裹" not in html


def test_a_bad_shipment_is_shown_on_the_form_and_nothing_ships(app):
    client = _logged_in(app)
    order = _order(status="paid", quantities=(2,))
    item = order.items[0]
    page = f"/admin/orders/{order.id}"
    response = post(client, f"{page}/ship", {"courier_code": "SF", "tracking_no": "SF-1",
                                             f"quantity_{item.id}": "2"}, token_path=page)
    assert response.status_code == 422
    assert "快递单号应为 6 到 40 位字母或数字" in response.get_data(as_text=True)
    response = post(client, f"{page}/ship", {"courier_code": "SF", "tracking_no": "SF1500000001",
                                             f"quantity_{item.id}": "5"}, token_path=page)
    assert response.status_code == 422 and "只剩 2 件待发货" in response.get_data(as_text=True)
    response = post(client, f"{page}/ship", {"courier_code": "SF", "tracking_no": "SF1500000001",
                                             f"quantity_{item.id}": "abc"}, token_path=page)
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(Order, order.id).items[0].shipped_quantity == 0


def test_shipping_an_order_not_awaiting_shipment_is_refused(app):
    client = _logged_in(app)
    order = _order(status="pending_payment")
    page = f"/admin/orders/{order.id}"
    response = post(client, f"{page}/ship", {"courier_code": "SF", "tracking_no": "SF1600000001",
                                             f"quantity_{order.items[0].id}": "1"}, token_path=page)
    assert response.status_code == 409 and "只有待发货的订单才能发货" in response.get_data(as_text=True)


def test_console_posts_need_the_csrf_token(app):
    client = _logged_in(app)
    order = _order(status="paid")
    response = client.post(f"/admin/orders/{order.id}/remark", data={"merchant_remark": "x"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Order, order.id).merchant_remark == ""


def test_the_merchant_remark_is_saved_from_the_console(app):
    client = _logged_in(app)
    order = _order(status="paid")
    page = f"/admin/orders/{order.id}"
    assert post(client, f"{page}/remark", {"merchant_remark": "送货前电话联系"}, token_path=page).status_code == 302
    db.session.expire_all()
    assert db.session.get(Order, order.id).merchant_remark == "送货前电话联系"
    response = post(client, f"{page}/remark", {"merchant_remark": "长" * 501}, token_path=page)
    assert response.status_code == 422 and "最多" in response.get_data(as_text=True)


def test_the_delivery_note_prints_what_goes_in_the_box(app):
    client = _logged_in(app)
    shop_settings().name = "小花商城"
    db.session.commit()
    order = _order("保温杯", status="paid", quantities=(2,), shopper_remark="请用纸箱")
    response = client.get(f"/admin/orders/{order.id}/print")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in ("小花商城", "出货单", order.order_no, "张三", "13800138000", "广东省 深圳市 南山区 科技园1号",
                 "保温杯", "款1", "请用纸箱", "data-print", "orders_print.js"):
        assert text in html, text
    assert "<script>" not in html and "onclick" not in html and "style=" not in html


def test_a_finance_user_sees_orders_and_a_role_without_orders_is_refused(app):
    make_staff("boss", role="owner")
    order = _order(status="paid")
    make_staff("money", role="finance")
    finance = app.test_client()
    log_in(finance, "money")
    assert finance.get("/admin/orders").status_code == 200
    assert finance.get(f"/admin/orders/{order.id}").status_code == 200
    db.session.add(Role(code="catalogue", name="商品管理", permissions=["products"]))
    db.session.commit()
    make_staff("shelf", role="catalogue")
    other = app.test_client()
    log_in(other, "shelf")
    for path in ("/admin/orders", f"/admin/orders/{order.id}", f"/admin/orders/{order.id}/print"):
        assert other.get(path).status_code == 403, path
    token = csrf_token(other, "/admin/")
    response = other.post(f"/admin/orders/{order.id}/ship", data={"csrf_token": token, "courier_code": "SF",
                                                                  "tracking_no": "SF1700000001"})
    assert response.status_code == 403
    assert "/admin/orders" not in other.get("/admin/").get_data(as_text=True)


def test_an_unknown_order_is_not_found(app):
    client = _logged_in(app)
    assert client.get("/admin/orders/999999").status_code == 404
