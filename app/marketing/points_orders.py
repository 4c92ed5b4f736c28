"""Points moved by orders, in the same transaction as the order change that causes them
(in-transaction listeners of the order events):

- placed: the points its `points` discount used are taken (not enough → Conflict, the order
  is refused and nothing is written);
- an item refunded: the item's share of those points comes back in proportion to the money
  refunded, cumulatively — after each refund the item has had back
  item points × refunded ÷ paid (rounded down), so the refund of the whole item returns its
  whole share and partial refunds add up exactly; an item paid entirely with points (¥0 in
  cash, refunded for ¥0) has its points back by units: item points × units refunded ÷ units
  (`app.orders.after_sales.points_back`). The after-sale's `refund_points` records what came
  back;
- closed (unpaid, cancelled, or every unit refunded): whatever was not returned yet comes back;
- completed: with earning on, N points per ¥1 of goods paid (freight excluded, less what was
  refunded by then), times the member level's multiplier;
- an item refunded after that: the earned points go back in proportion to the goods refunded
  since. Points the shopper already spent are not chased: what the balance holds is taken, and
  the rest is recorded as the order's `clawback_shortfall` (the balance never goes below zero).

Each move is a ledger row (`points_entries`, unique per kind and ref) and a counter on the
order's `order_points` row, which is locked first; every share is a target minus what was
already moved, so a replayed event moves nothing.
"""

from __future__ import annotations

from sqlalchemy import select

from app.core.events import listen
from app.core.money import BASIS_POINTS, FEN_PER_YUAN
from app.extensions import db
from app.marketing import points_rules
from app.marketing.level_benefits import points_multiplier_bp
from app.marketing.points_models import OrderPoints
from app.members.models import WalletChange
from app.members.services import change_points, wallet_for_update
from app.orders.after_sales import points_back
from app.orders.events import ORDER_CLOSED, ORDER_COMPLETED, ORDER_ITEM_REFUNDED, ORDER_PLACED
from app.orders.models import AfterSale, Order, OrderItem


def points_of(parts: list[dict] | None) -> int:
    """The points of a `points` discount in an order's discounts or an item's parts."""
    return sum(int(part.get("points", 0)) for part in parts or () if part.get("kind") == "points")


def _locked(order_id: int) -> OrderPoints | None:
    return db.session.scalar(select(OrderPoints).where(OrderPoints.order_id == order_id).with_for_update())


@listen(ORDER_PLACED)
def spend(order_id: int) -> None:
    order = db.session.get(Order, order_id)
    spent = points_of(order.discounts)
    if spent <= 0:
        return
    db.session.add(OrderPoints(order_id=order.id, user_id=order.user_id, spent=spent, returned=0,
                               returned_by_item={}))
    db.session.flush()
    change_points(order.user_id, -spent, kind=WalletChange.ORDER_POINTS_SPENT, ref=str(order.id),
                  reason=order.order_no)


@listen(ORDER_ITEM_REFUNDED)
def item_refunded(order_item_id: int, _amount_fen: int, _quantity: int, after_sale_id: int) -> None:
    item = db.session.get(OrderItem, order_item_id)
    row = _locked(item.order_id)
    if row is None:
        return
    db.session.refresh(item)
    if row.spent > row.returned:
        given = _return_item_share(row, item, after_sale_id)
        after_sale = db.session.get(AfterSale, after_sale_id)
        if given and after_sale is not None:  # what came back (a replay gives nothing, keeps it)
            after_sale.refund_points = given
    if row.earned > 0:
        _claw_back(row, after_sale_id)


def _return_item_share(row: OrderPoints, item: OrderItem, after_sale_id: int) -> int:
    target = points_back(item, item.refunded_fen, item.refunded_quantity)
    already = int(row.returned_by_item.get(str(item.id), 0))
    give = min(target - already, row.spent - row.returned)
    if give <= 0:
        return 0
    change_points(row.user_id, give, kind=WalletChange.ORDER_POINTS_RETURNED, ref=f"refund:{after_sale_id}",
                  reason=item.order.order_no)
    row.returned_by_item = {**row.returned_by_item, str(item.id): already + give}
    row.returned += give
    db.session.flush()
    return give


@listen(ORDER_CLOSED)
def closed(order_id: int) -> None:
    row = _locked(order_id)
    if row is None or row.returned >= row.spent:
        return
    give = row.spent - row.returned
    change_points(row.user_id, give, kind=WalletChange.ORDER_POINTS_RETURNED, ref=f"close:{order_id}",
                  reason=db.session.get(Order, order_id).order_no)
    row.returned = row.spent
    db.session.flush()


def _goods(order_id: int) -> tuple[int, int]:
    """(goods paid, goods refunded) of the order, freight excluded."""
    items = db.session.execute(select(OrderItem.paid_fen, OrderItem.refunded_fen)
                               .where(OrderItem.order_id == order_id)).all()
    return sum(paid for paid, _refunded in items), sum(refunded for _paid, refunded in items)


@listen(ORDER_COMPLETED)
def earn(order_id: int) -> None:
    rules = points_rules.current()
    if not rules.earning_enabled or rules.earn_points_per_yuan <= 0:
        return
    order = db.session.get(Order, order_id)
    paid, refunded = _goods(order_id)
    base = paid - refunded
    points = base * rules.earn_points_per_yuan // FEN_PER_YUAN * points_multiplier_bp(order.user_id) // BASIS_POINTS
    if points <= 0:
        return
    row = _locked(order_id)
    if row is None:
        row = OrderPoints(order_id=order.id, user_id=order.user_id, spent=0, returned=0, returned_by_item={})
        db.session.add(row)
    elif row.earned:
        return
    row.earned, row.earned_base_fen, row.refunded_at_earning_fen = points, base, refunded
    row.clawed_back = row.clawback_shortfall = 0
    db.session.flush()
    change_points(order.user_id, points, kind=WalletChange.ORDER_POINTS_EARNED, ref=str(order.id),
                  reason=order.order_no)


def _claw_back(row: OrderPoints, after_sale_id: int) -> None:
    _paid, refunded = _goods(row.order_id)
    since = min(max(refunded - row.refunded_at_earning_fen, 0), row.earned_base_fen)
    target = row.earned * since // row.earned_base_fen if row.earned_base_fen else 0
    owed = target - row.clawed_back - row.clawback_shortfall
    if owed <= 0:
        return
    taken = min(owed, wallet_for_update(row.user_id).points)
    if taken:
        change_points(row.user_id, -taken, kind=WalletChange.ORDER_POINTS_CLAWED_BACK, ref=f"refund:{after_sale_id}",
                      reason=db.session.get(Order, row.order_id).order_no)
    row.clawed_back += taken
    row.clawback_shortfall += owed - taken
    db.session.flush()
