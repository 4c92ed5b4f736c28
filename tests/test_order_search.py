"""The order search finds exactly the orders a merchant means: by order number, phone or
tracking number (exact), by two or more characters of the receiver's name, the shopper's
nickname or a product title (anywhere in the text); at once for an order just placed or
renamed, and the same after `flask orders reindex-search` rebuilt its index."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

from sqlalchemy import delete, select, update

from app.addresses.services import create_address
from app.core.models import utcnow
from app.core.pagination import PageQuery, paginate
from app.extensions import db
from app.members.services import change_balance
from app.orders import fulfilment
from app.orders.checkout import CheckoutRequest, place_order
from app.orders.models import Order, OrderSearchTerm
from app.orders.oplog import staff
from app.orders.payment import pay_order
from app.orders.queries import OrderFilter, keyword_too_short, search_count, search_orders
from tests import factories
from tests.admin_helpers import log_in, make_staff
from tests.checkout_helpers import NANSHAN

_keys = itertools.count(1)
_phones = itertools.count(13800000001)


def _placed(receiver: str = "张三", *, nickname: str | None = None, titles: tuple[str, ...] = ("保温杯",),
            phone: str | None = None) -> Order:
    """An order placed through checkout by a new shopper, delivered to `receiver`."""
    user = factories.shopper(nickname)
    create_address(user.id, {"receiver_name": receiver, "receiver_phone": phone or str(next(_phones)),
                             "region_code": NANSHAN, "detail": "科技园1号"}, is_default=True)
    skus = [factories.product(factories.category(), title, stock=10).skus[0] for title in titles]
    order, _new = place_order(user.id, CheckoutRequest(lines=[(sku.id, 1) for sku in skus]),
                              f"search-key-{next(_keys)}")
    db.session.commit()
    return order


def _found(keyword: str, **criteria) -> list[int]:
    return list(db.session.scalars(search_orders(OrderFilter(keyword=keyword, **criteria))))


def _ids(*orders: Order) -> list[int]:
    return sorted((order.id for order in orders), reverse=True)


def _found_ids(keyword: str, **criteria) -> list[int]:
    return [order.id for order in _found(keyword, **criteria)]


def test_chinese_names_are_found_by_any_two_characters_and_nothing_else(app):
    zhang_wei, zhang_weihua = _placed("张伟"), _placed("张伟华")
    li_zhangwei, zhang_san, wang_wei = _placed("李张伟"), _placed("张三"), _placed("王伟")
    assert _found_ids("张伟") == _ids(zhang_wei, zhang_weihua, li_zhangwei)
    assert _found_ids("伟华") == _ids(zhang_weihua)
    assert _found_ids("张三") == _ids(zhang_san)
    assert _found_ids(" 王伟 ") == _ids(wang_wei)
    assert _found_ids("赵六") == []


def test_one_character_finds_nothing_and_asks_for_two(app):
    _placed("张伟")
    assert keyword_too_short("张") and keyword_too_short(" a ")
    assert not keyword_too_short("张伟") and not keyword_too_short("13800138000")
    assert _found_ids("张") == []
    make_staff("boss", role="owner")
    client = app.test_client()
    log_in(client, "boss")
    html = client.get("/admin/orders", query_string={"keyword": "张"}).get_data(as_text=True)
    assert 'id="keyword-hint"' in html and "至少输入两个字" in html and "data-order-no" not in html
    html = client.get("/admin/orders", query_string={"keyword": "张伟"}).get_data(as_text=True)
    assert 'id="keyword-hint"' not in html and len(re.findall("data-order-no", html)) == 1


def test_product_titles_are_found_by_part_of_a_title_in_any_item(app):
    cup = _placed(titles=("不锈钢保温杯 500ml",))
    pot = _placed(titles=("纸巾", "家用保温壶"))
    phone_case = _placed(titles=("iPhone 15 Pro 手机壳",))
    assert _found_ids("温杯") == _ids(cup)
    assert _found_ids("保温") == _ids(cup, pot)
    assert _found_ids("保温壶") == _ids(pot)
    assert _found_ids("500ML") == _ids(cup)  # letters fold to one case, full width to half
    assert _found_ids("ｉｐｈｏｎｅ") == _ids(phone_case)
    assert _found_ids("iphone 手机壳") == _ids(phone_case)  # every part must be there
    assert _found_ids("iphone 保温") == []


def test_the_shoppers_nickname_finds_their_orders(app):
    hers = _placed("张三", nickname="小红")
    _placed("李四", nickname="老王")
    assert _found_ids("小红") == _ids(hers)


def test_phone_order_number_and_tracking_number_are_exact(app):
    first = _placed(phone="13912345678")
    second = _placed(phone="13912345678")
    other = _placed(phone="13987654321")
    assert _found_ids("13912345678") == _ids(first, second)
    assert _found_ids("139 1234 5678") == _ids(first, second)
    assert _found_ids("+86 139-1234-5678") == _ids(first, second)
    assert _found_ids("1391234") == []  # a part of a number is no number
    assert _found_ids(other.order_no) == _ids(other)
    assert _found_ids(other.order_no[:-1]) == []

    change_balance(first.user_id, 100_000, kind="test_top_up", ref=f"t{first.user_id}")
    pay_order(first.user_id, first.id, "balance")
    fulfilment.ship_all(first.id, "SF", "SF1234567890", staff(None, "boss"))
    db.session.commit()
    assert _found_ids("SF1234567890") == _ids(first)
    assert _found_ids("SF123456789") == []


def test_an_order_is_findable_as_soon_as_it_is_placed_and_after_its_receiver_changes(app):
    user = factories.shopper("小明")
    create_address(user.id, {"receiver_name": "欧阳娜娜", "receiver_phone": "13800138000",
                             "region_code": NANSHAN, "detail": "科技园1号"}, is_default=True)
    sku = factories.product(factories.category(), "竹编收纳篮", stock=10).skus[0]
    db.session.commit()
    order, _new = place_order(user.id, CheckoutRequest(lines=[(sku.id, 1)]), "search-key-at-once")
    # in the very transaction that placed it
    assert _found_ids("欧阳") == _ids(order) and _found_ids("收纳") == _ids(order) and _found_ids("小明") == [order.id]
    db.session.commit()
    order.receiver_name = "欧阳锋"  # the receiver changed
    db.session.commit()
    assert _found_ids("娜娜") == [] and _found_ids("欧阳锋") == _ids(order)
    assert _found_ids("小明") == _ids(order) and _found_ids("竹编") == _ids(order)  # the rest is still there


def test_the_keyword_combines_with_the_other_filters(app):
    paid, waiting = _placed("张伟"), _placed("张伟")
    change_balance(paid.user_id, 100_000, kind="test_top_up", ref=f"t{paid.user_id}")
    pay_order(paid.user_id, paid.id, "balance")
    db.session.commit()
    assert _found_ids("张伟", status="paid") == _ids(paid)
    assert _found_ids("张伟", status="pending_payment") == _ids(waiting)
    assert _found_ids("张伟", pay_method="balance") == _ids(paid)
    now = utcnow()
    assert _found_ids("张伟", since=now - timedelta(days=1), until=now + timedelta(days=1)) == _ids(paid, waiting)
    assert _found_ids("张伟", until=now - timedelta(days=1)) == []


def test_a_common_term_pages_newest_first(app):
    orders = [_placed("张伟") for _ in range(5)]
    _placed("李四")
    make_staff("boss", role="owner")
    client = app.test_client()
    log_in(client, "boss")
    seen: list[str] = []
    for number in (1, 2, 3):
        html = client.get("/admin/orders", query_string={"keyword": "张伟", "size": 2, "page": number})
        seen += re.findall(r'data-order-no="([^"]+)"', html.get_data(as_text=True))
    assert seen == [order.order_no for order in reversed(orders)]


def test_reindex_rebuilds_exactly_the_index_the_orders_keep(app, runner):
    orders = [_placed("张伟", nickname="小红", titles=("保温杯", "iPhone 手机壳")), _placed("李四"),
              _placed("王五", titles=("纸巾",))]
    kept = set(db.session.execute(select(OrderSearchTerm.term, OrderSearchTerm.order_id)).all())
    assert {order_id for _term, order_id in kept} == {order.id for order in orders}
    # a bulk load (the scale generator) writes orders around the ORM: no terms
    db.session.execute(delete(OrderSearchTerm))
    db.session.execute(update(Order).where(Order.id == orders[1].id).values(receiver_name="赵六"))
    db.session.commit()
    assert _found_ids("张伟") == []

    result = runner.invoke(args=["orders", "reindex-search", "--batch", "100"])
    assert result.exit_code == 0, result.output
    assert "indexed 3 order(s)" in result.output
    assert _found_ids("张伟") == _ids(orders[0]) and _found_ids("赵六") == _ids(orders[1])
    assert _found_ids("李四") == []
    rebuilt = set(db.session.execute(select(OrderSearchTerm.term, OrderSearchTerm.order_id)).all())
    renamed = {row for row in kept if row[1] == orders[1].id}
    assert rebuilt - {row for row in rebuilt if row[1] == orders[1].id} == kept - renamed


def test_the_pagers_count_is_the_lists_own_whatever_it_is_counted_from(app):
    wangs = [_placed("王伟") for _ in range(3)]
    _placed("李娜", titles=("保温杯", "毛巾"))
    cancelled = _placed("王伟华")
    cancelled.status = "cancelled"  # an ORM write: the tab counters follow it
    wangs[1].exception = "amount_mismatch"
    db.session.commit()
    query = PageQuery()

    for criteria in (OrderFilter(), OrderFilter(status="pending_payment"), OrderFilter(status="cancelled"),
                     OrderFilter(keyword="王伟"), OrderFilter(keyword="毛巾"), OrderFilter(keyword="王伟华"),
                     OrderFilter(keyword=wangs[0].order_no), OrderFilter(keyword="王伟", status="cancelled"),
                     OrderFilter(exception="any"), OrderFilter(exception="amount_mismatch")):
        listed = len(db.session.scalars(search_orders(criteria)).all())
        page = paginate(search_orders(criteria), query, lambda order: order, count=search_count(criteria))
        assert (page["total"], page["total_capped"]) == (listed, False), criteria
    for criteria, expected in ((OrderFilter(keyword="王伟"), 4), (OrderFilter(exception="any"), 1)):
        assert paginate(search_orders(criteria), query, lambda order: order,
                        count=search_count(criteria))["total"] == expected
