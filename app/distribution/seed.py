"""The demo's distribution (seed chapter 7): a referral tree with agents at every level (one
disabled), two agent levels, and orders whose commission stands in every status — pending,
frozen, available, cancelled by a refund, withdrawn, and clawed back after withdrawal (an
account in debt). Orders are written as checkout and payment would have left them (with their
operation log); everything after payment goes through the real distribution services.
Runs once: a shop with agents is left alone."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.audit.services import SYSTEM
from app.catalog import stock
from app.catalog.models import Sku
from app.core.models import utcnow
from app.distribution import accrual, agents, binding, ledger, refunds, settings, settlement, withdrawals
from app.distribution.agent_models import Agent
from app.distribution.commission_models import CommissionEntry
from app.distribution.settings_models import AgentLevel
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from app.orders import oplog
from app.orders.models import AfterSale, Order, OrderItem
from app.payments.records import new_number

# nickname, referrer (index), agent status or None for a plain shopper
TREE = [("分销·总店长", None, "active"), ("分销·大区", 0, "active"), ("分销·店长", 1, "active"),
        ("分销·导购", 2, "active"), ("分销·停用员", 0, "disabled"), ("顾客·小美", 3, None),
        ("顾客·小明", 3, None), ("顾客·阿强", 4, None)]


def seed_distribution() -> list[str]:
    if db.session.scalar(select(Agent.id).limit(1)) is not None:
        return ["distribution: agents already there, left alone"]
    skus = list(db.session.scalars(select(Sku).where(Sku.stock >= 10).order_by(Sku.id).limit(3)))
    if not skus:
        return ["distribution: no products to sell, skipped"]
    settings.save(SYSTEM, levels=3, rate1_bp=1000, rate2_bp=500, rate3_bp=200, become_agent="apply",
                  withdraw_methods=["wechat", "balance", "bank", "alipay"], fan_points=10)
    gold = AgentLevel(name="金牌分销员", rank=1, rate1_bp=1500,
                      upgrade_rules={"match": "all", "conditions": [{"kind": "direct_invites", "min": 3}]})
    db.session.add_all([AgentLevel(name="普通分销员", rank=0), gold])
    db.session.flush()
    users = []
    for nickname, _referrer, _status in TREE:
        user = User(nickname=nickname, is_test=True)
        db.session.add(user)
        users.append(user)
    db.session.flush()
    for (_nickname, referrer, status), user in zip(TREE, users, strict=True):
        if status:
            agents.appoint(SYSTEM, user.id, gold.id if referrer is None else None)
    for (_nickname, referrer, _status), user in zip(TREE, users, strict=True):
        if referrer is not None:
            binding.bind(user.id, users[referrer].id, "link", now=utcnow() - timedelta(days=40))
    agents.disable(SYSTEM, users[4].id)
    now = utcnow()
    shopper, other, stranger = users[5], users[6], users[7]
    available = _order(shopper, skus[0], 2, paid_at=now - timedelta(days=30), completed_at=now - timedelta(days=20))
    _order(shopper, skus[1], 1, paid_at=now - timedelta(days=5), completed_at=now - timedelta(days=2))  # frozen
    _order(other, skus[2], 1, paid_at=now - timedelta(hours=3))  # pending
    refunded = _order(other, skus[0], 1, paid_at=now - timedelta(days=2))
    _refund(refunded.items[0], refunded.items[0].paid_fen, 1)  # cancelled
    clawed = _order(shopper, skus[1], 2, paid_at=now - timedelta(days=40), completed_at=now - timedelta(days=30))
    _order(stranger, skus[2], 1, paid_at=now - timedelta(days=1))  # the referrer is disabled: nothing
    released = sum(settlement.release_line(line_id) for line_id in settlement.due_line_ids())
    guide = users[3]  # withdraws everything to the store balance, then a refund claws some back: in debt
    withdrawal = withdrawals.apply(guide.id, amount_fen=ledger.account_of(guide.id).available_fen,
                                   method="balance", idempotency_key="demo-seed")
    withdrawals.approve(SYSTEM, withdrawal.id)
    _refund(clawed.items[0], clawed.items[0].paid_fen // 2, 1)  # half clawed back after release
    _refund(available.items[0], 1, 0)  # a token partial refund: rounds to nothing taken back
    _withdrawals_under_review(users[2], users[1])
    _applications_and_refusals(users)
    db.session.flush()
    return [f"distribution: {len(TREE)} demo shoppers in a referral tree, 6 orders with commission "
            f"({released} lines released), agent levels 普通分销员 / 金牌分销员"]


def _withdrawals_under_review(store_lead: User, region_lead: User) -> None:
    """Withdrawals by hand in each state a merchant handles: waiting for review, approved and
    waiting to be paid, paid, rejected (¥1 each, out of what the two leads earned)."""
    review = withdrawals.apply(store_lead.id, amount_fen=100, method="bank", idempotency_key="demo-review",
                               account_name="王店长", account_no="6222020200000000001", bank_name="工商银行")
    to_pay = withdrawals.apply(store_lead.id, amount_fen=100, method="alipay", idempotency_key="demo-to-pay",
                               account_name="王店长", account_no="wang@example.com")
    withdrawals.approve(SYSTEM, to_pay.id)
    paid = withdrawals.apply(region_lead.id, amount_fen=100, method="bank", idempotency_key="demo-paid",
                             account_name="李大区", account_no="6222020200000000002", bank_name="建设银行")
    withdrawals.approve(SYSTEM, paid.id)
    withdrawals.mark_paid(SYSTEM, paid.id)
    refused = withdrawals.apply(region_lead.id, amount_fen=100, method="alipay", idempotency_key="demo-refused",
                                account_name="李大区", account_no="li@example.com")
    withdrawals.reject(SYSTEM, refused.id, "账户名与实名不符")
    for withdrawal, days in ((review, 1), (to_pay, 2), (refused, 3), (paid, 4)):
        _made_days_ago(withdrawal, days)  # review stays under review


WITHDRAWAL_KINDS = (ledger.EntryKind.WITHDRAW_HOLD, ledger.EntryKind.WITHDRAW_PAID, ledger.EntryKind.WITHDRAW_RETURN)


def _made_days_ago(withdrawal: Withdrawal, days: int) -> None:
    """Move a seeded withdrawal and its ledger entries back by `days`: the demo shows a history,
    and the agents start the day with their daily withdrawals unused (the mini-program's tour)."""
    shift = timedelta(days=days)
    for field in ("created_at", "reviewed_at", "paid_at"):
        if getattr(withdrawal, field) is not None:
            setattr(withdrawal, field, getattr(withdrawal, field) - shift)
    for entry in db.session.scalars(select(CommissionEntry).where(
            CommissionEntry.ref == str(withdrawal.id), CommissionEntry.kind.in_(WITHDRAWAL_KINDS))):
        entry.created_at -= shift


def _applications_and_refusals(users: list[User]) -> None:
    """An application waiting for review and one rejected; a second referrer refused for a
    shopper who is already bound (the binding history shows why)."""
    agents.apply(users[6].id, real_name="小明", phone="13800000006")
    rejected = agents.apply(users[7].id, real_name="阿强", phone="13800000007")
    agents.reject(SYSTEM, rejected.id, "资料不全")
    binding.bind(users[5].id, users[0].id, "wxacode")


def _order(user: User, sku: Sku, quantity: int, *, paid_at, completed_at=None) -> Order:
    total = sku.price_fen * quantity
    order = Order(order_no=new_number("D")[:32], user_id=user.id, idempotency_key=new_number("K"),
                  status="completed" if completed_at else "paid", pay_method="wechat", items_total_fen=total,
                  freight_fen=0, discount_fen=0, payable_fen=total, paid_fen=total, total_quantity=quantity,
                  receiver_name=user.nickname[:32], receiver_phone="13800138000", region_code="440305",
                  region_text="广东省 深圳市 南山区", address_detail="科技园1号", pay_deadline=paid_at,
                  paid_at=paid_at, shipped_at=paid_at if completed_at else None, completed_at=completed_at,
                  created_at=paid_at)
    db.session.add(order)
    db.session.flush()
    stock.take(sku.id, quantity)
    db.session.add(OrderItem(order_id=order.id, product_id=sku.product_id, sku_id=sku.id, title=sku.product.title,
                             spec_text=" / ".join(sku.specs.values()), unit_price_fen=sku.price_fen,
                             unit_cost_fen=sku.cost_fen, quantity=quantity, line_total_fen=total, discount_fen=0,
                             paid_fen=total, shipped_quantity=quantity if completed_at else 0))
    oplog.log(order, oplog.SYSTEM, "created", to_status="pending_payment", note="演示订单")
    oplog.log(order, oplog.SYSTEM, "paid", from_status="pending_payment", to_status="paid")
    if completed_at:
        oplog.log(order, oplog.SYSTEM, "completed", from_status="paid", to_status="completed")
    db.session.flush()
    db.session.refresh(order)
    accrual.accrue(order.id)
    return order


def _refund(item: OrderItem, amount_fen: int, quantity: int) -> None:
    after_sale = AfterSale(after_sale_no=new_number("A")[:32], order_id=item.order_id, order_item_id=item.id,
                           user_id=db.session.get(Order, item.order_id).user_id, kind="refund_only",
                           status="refunded", quantity=max(quantity, 1), amount_fen=max(amount_fen, 1),
                           reason="演示退款", refund_method="balance", refunded_at=utcnow())
    db.session.add(after_sale)
    item.refunded_fen += amount_fen
    item.refunded_quantity += quantity
    item.claimed_fen += amount_fen
    item.claimed_quantity += quantity
    order = db.session.get(Order, item.order_id)
    order.refunded_fen += amount_fen
    db.session.flush()
    refunds.record(item.id, amount_fen, quantity, after_sale.id)
