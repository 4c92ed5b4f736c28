"""A year of orders in one pass, oldest first: each order's items, its payment, its parcel,
its refunds, and the commission they earn — written as the app's own flows would have left
them by today (unpaid orders closed after 30 minutes, shipped ones received after 7 days,
commission frozen for 7 days after completion, then released by the sweep)."""

from __future__ import annotations

import functools
import math
import random
from array import array

from app.orders import search_terms
from bench.scale import catalog, commission, people, sizes, words
from bench.scale.clock import DAY, HOUR, MINUTE
from bench.scale.commission import Books
from bench.scale.people import People

PAY_MINUTES = 30
RECEIVE_DAYS = 7
FREEZE_DAYS = catalog.SETTINGS["freeze_days"]
RELEASE_LAG = HOUR  # the release sweep runs hourly


class Tables:
    def __init__(self, sink) -> None:
        self.orders = sink.table("orders", (
            "id", "order_no", "user_id", "idempotency_key", "status", "pay_method", "items_total_fen", "freight_fen",
            "discount_fen", "discounts", "payable_fen", "paid_fen", "refunded_fen", "total_quantity", "receiver_name",
            "receiver_phone", "region_code", "region_text", "address_detail", "shopper_remark", "merchant_remark",
            "pay_deadline", "paid_at", "shipped_at", "auto_receive_at", "completed_at", "cancelled_at", "closed_at",
            "close_reason", "payment_id", "exception", "created_at", "updated_at"))
        self.items = sink.table("order_items", (
            "id", "order_id", "product_id", "sku_id", "title", "spec_text", "image_url", "sku_code", "unit_price_fen",
            "unit_cost_fen", "quantity", "line_total_fen", "discount_fen", "paid_fen", "refunded_fen",
            "refunded_quantity", "shipped_quantity", "claimed_fen", "claimed_quantity", "created_at", "updated_at"))
        self.payments = sink.table("payments", (
            "id", "out_trade_no", "purpose", "subject_id", "open_subject", "user_id", "payer_openid", "amount_fen",
            "description", "appid", "mchid", "status", "prepay_id", "prepaid_at", "transaction_id", "trade_state",
            "paid_at", "notified_at", "closed_at", "refund_held_fen", "created_at", "updated_at"))
        self.refunds = sink.table("refunds", (
            "id", "out_refund_no", "payment_id", "amount_fen", "reason", "status", "refund_id", "wechat_status",
            "fail_reason", "succeeded_at", "notified_at", "created_at", "updated_at"))
        self.parcels = sink.table("parcels", ("id", "order_id", "courier_code", "courier_name", "tracking_no",
                                              "shipped_at", "staff_id", "created_at", "updated_at"))
        self.parcel_lines = sink.table("parcel_lines", ("id", "parcel_id", "order_item_id", "quantity"))
        self.after_sales = sink.table("after_sales", (
            "id", "after_sale_no", "order_id", "order_item_id", "user_id", "kind", "status", "quantity", "amount_fen",
            "reason", "description", "photo_urls", "reject_reason", "return_address", "return_courier_code",
            "return_tracking_no", "restock", "refund_method", "refund_id", "reviewed_at", "returned_at",
            "received_at", "refunded_at", "created_at", "updated_at"))
        self.commission_refunds = sink.table("commission_refunds", (
            "id", "order_item_id", "after_sale_id", "amount_fen", "quantity", "created_at"))
        self.search_terms = sink.text_table("order_search_terms", ("term", "order_id"))
        self.item_id = self.parcel_line_id = self.after_sale_id = 0


@functools.cache  # a few thousand names and titles
def _terms(text: str) -> frozenset[str]:
    """The text's search terms, as the load file writes them."""
    return frozenset(map(str, search_terms.terms([text])))


def _item_count(rng: random.Random) -> int:
    roll = rng.random()
    for count, share in sizes.ITEMS_PER_ORDER:
        if roll < share:
            return count
        roll -= share
    return sizes.ITEMS_PER_ORDER[-1][0]


class OrderPass:
    def __init__(self, sink, clock, size: sizes.Size, shoppers: People, rng: random.Random) -> None:
        self.sink, self.clock, self.size, self.shoppers, self.rng = sink, clock, size, shoppers, rng
        self.tables = Tables(sink)
        self.books = Books(sink, size.users)
        self.spent = array("q", bytes(8 * (size.users + 1)))  # paid less refunded, per shopper
        self.first = clock.now - sizes.DAYS * DAY

    def run(self) -> None:
        span = self.clock.now - 5 * MINUTE - self.first
        for order_id in range(1, self.size.orders + 1):
            if order_id % 1000 == 0:
                self.sink.tick()
            # more orders every month: the density grows linearly over the year
            created = self.first + span * math.sqrt((order_id - 1 + self.rng.random()) / self.size.orders)
            self.order(order_id, int(created))

    def buyer(self, created: int) -> int:
        signed_up = self.shoppers.signed_up_by(created - HOUR)
        if self.rng.random() < 0.5:
            return self.rng.randint(1, signed_up)
        return 1 + int(signed_up * self.rng.random() ** 2)  # loyal early shoppers buy more

    def order(self, order_id: int, created: int) -> None:
        rng, clock, t = self.rng, self.clock, self.tables
        buyer = self.buyer(created)
        items = []
        for _ in range(_item_count(rng)):
            product_id = 1 + int(self.size.products * rng.random() ** 2)
            index = min(catalog.SKUS_PER_PRODUCT - 1, int(rng.random() ** 2 * catalog.SKUS_PER_PRODUCT))
            quantity = 1 if rng.random() < 0.85 else rng.randint(2, 3)
            t.item_id += 1
            items.append((t.item_id, product_id, index, quantity, catalog.price_fen(product_id, index) * quantity))
        items_total = sum(item[4] for item in items)
        freight = 0 if items_total >= sizes.FREE_FREIGHT_FROM_FEN else sizes.FREIGHT_FEN
        payable = items_total + freight
        deadline = created + PAY_MINUTES * MINUTE
        now = clock.now
        status, close_reason = "pending_payment", ""
        paid = shipped = completed = cancelled = closed = None
        refunds: dict[int, tuple[str, int, int]] = {}  # item id: (kind, requested, refunded)
        roll = rng.random()
        if deadline > now:
            paid = created + rng.randint(20, 600) if roll < 0.5 and created + 600 < now else None
        elif roll < sizes.UNPAID_CLOSED:
            status, close_reason, closed = "closed", "unpaid_timeout", deadline + rng.randint(5, 120)
        elif roll < sizes.UNPAID_CLOSED + sizes.CANCELLED:
            status, cancelled = "cancelled", created + rng.randint(30, PAY_MINUTES * MINUTE - 30)
        else:
            paid = created + rng.randint(20, PAY_MINUTES * MINUTE - 60)
        if paid is not None:
            status = "paid"
            if rng.random() < sizes.REFUNDED_BEFORE_SHIPPING and paid + DAY < now:
                status, close_reason = "closed", "refunded"
                closed = paid + rng.randint(HOUR, DAY)
                refunds = {item[0]: ("refund_only", closed - HOUR, closed) for item in items}
            else:
                shipped = paid + rng.randint(4 * HOUR, 2 * DAY)
                if shipped > now:
                    shipped = None
                else:
                    status = "shipped"
                    completed = shipped + rng.randint(2 * DAY, RECEIVE_DAYS * DAY)
                    if completed > now:
                        completed = None
                    else:
                        status = "completed"
            if completed is not None and rng.random() < sizes.AFTER_SALE_AFTER_COMPLETION:
                requested = completed + rng.randint(HOUR, 6 * DAY)
                refunded = requested + rng.randint(HOUR, 5 * DAY)  # the return takes days
                if refunded < now:
                    refunds = {items[0][0]: ("return_refund", requested, refunded)}
        self.write_items(order_id, items, created, shipped, refunds)
        order_refunded = 0
        if paid is not None:
            order_refunded = self.commission(order_id, buyer, items, paid, completed, refunds,
                                             freight if status == "closed" else 0)
            self.write_payment(order_id, buyer, payable, items, paid, order_refunded)
            if shipped is not None:
                self.write_parcel(order_id, items, shipped)
            self.spent[buyer] += payable - order_refunded
        updated = max(moment for moment in (created, paid, shipped, completed, cancelled, closed) if moment)
        name, phone = words.person_name(buyer), words.phone(buyer)
        region_code, region_text = words.region(buyer)
        t.orders.add((
            order_id, f"D{clock.beijing_digits(created)}{order_id:08d}", buyer, f"scale-{order_id:012d}", status,
            "wechat" if paid is not None else None, items_total, freight, 0, "[]", payable,
            payable if paid is not None else 0, order_refunded, sum(item[3] for item in items), name, phone,
            region_code, region_text, words.street(buyer + 2), "", "", clock.text(deadline), clock.text(paid),
            clock.text(shipped), clock.text(shipped + RECEIVE_DAYS * DAY) if shipped else None, clock.text(completed),
            clock.text(cancelled), clock.text(closed), close_reason,
            order_id if paid is not None else None,  # one payment per paid order, numbered as the order
            "", clock.text(created), clock.text(updated)))
        self.write_search_terms(order_id, name, people.nickname_of(buyer, name), items)

    def write_search_terms(self, order_id, receiver_name, nickname, items) -> None:
        """The order's rows of the search index, exactly what `app.orders.search_index`
        writes for it (the same terms function): those of its receiver's name, its shopper's
        nickname and its items' titles. Written here rather than by `reindex()` after the load
        (20 minutes at 5M orders through the ORM-side batches): the load is a sorted build."""
        found = _terms(receiver_name).union(_terms(nickname), *(_terms(catalog.title(item[1])) for item in items))
        after = f"\t{order_id}\n"  # the order's lines in one join: "term<TAB>order<NL>" each
        self.tables.search_terms.add(after.join(found) + after)

    def write_items(self, order_id, items, created, shipped, refunds) -> None:
        at = self.clock.text(created)
        for item_id, product_id, index, quantity, paid_fen in items:
            refunded = item_id in refunds
            self.tables.items.add((
                item_id, order_id, product_id, catalog.sku_id(product_id, index), catalog.title(product_id),
                catalog.spec(index)[1], "", f"SK{product_id:06d}-{index + 1}", catalog.price_fen(product_id, index),
                catalog.cost_fen(product_id, index), quantity, paid_fen, 0, paid_fen,
                paid_fen if refunded else 0, quantity if refunded else 0, quantity if shipped else 0,
                paid_fen if refunded else 0, quantity if refunded else 0, at, at))

    def write_payment(self, order_id, buyer, payable, items, paid, refunded) -> None:
        clock = self.clock
        self.tables.payments.add((
            order_id, f"P{order_id:020d}", "order", order_id, f"order:{order_id}", buyer,
            self.shoppers.openid(buyer), payable, catalog.title(items[0][1])[:127], "wxscale0000000001", "1900000001",
            "paid", f"wx{order_id:030d}", clock.text(paid - 15), f"4200{order_id:028d}", "SUCCESS",
            clock.text(paid), clock.text(paid + 2), None, refunded, clock.text(paid - 20), clock.text(paid + 2)))

    def write_parcel(self, order_id, items, shipped) -> None:
        t, at = self.tables, self.clock.text(shipped)
        courier_code, courier_name = words.COURIERS[words.mix(order_id) % len(words.COURIERS)]
        t.parcels.add((order_id, order_id, courier_code, courier_name, f"{courier_code}{7_000_000_000_000 + order_id}",
                       at, None, at, at))
        for item_id, _product_id, _index, quantity, _paid in items:
            t.parcel_line_id += 1
            t.parcel_lines.add((t.parcel_line_id, order_id, item_id, quantity))

    def refund(self, order_id, buyer, item, kind, requested, refunded, freight_back) -> int:
        """An after-sale refunding the whole item, its WeChat refund (with the freight when it
        finishes an unshipped order) and the commission refund record; returns the record's id,
        the `ref` of the entries that take commission back."""
        t, clock = self.tables, self.clock
        item_id, _product_id, _index, quantity, amount = item
        t.after_sale_id += 1
        number = t.after_sale_id
        returned = kind == "return_refund"
        t.refunds.add((number, f"R{number:020d}", order_id, amount + freight_back, "退款", "succeeded",
                       f"5030{number:028d}", "SUCCESS", "", clock.text(refunded), clock.text(refunded + 5),
                       clock.text(refunded - 60), clock.text(refunded + 5)))
        t.after_sales.add((
            number, f"S{number:020d}", order_id, item_id, buyer, kind, "refunded", quantity, amount,
            "质量问题" if returned else "不想要了", "", "[]", "", "", "SF" if returned else "",
            f"SF{9_000_000_000_000 + number}" if returned else "", int(returned), "wechat", number,
            clock.text(requested + HOUR), clock.text(requested + DAY) if returned else None,
            clock.text(refunded - HOUR) if returned else None, clock.text(refunded), clock.text(requested),
            clock.text(refunded)))
        t.commission_refunds.add((number, item_id, number, amount, quantity, clock.text(refunded)))
        return number

    def commission(self, order_id, buyer, items, paid, completed, refunds, freight) -> int:
        """The order's refunds, lines and entries; returns how much was refunded in all."""
        books, now = self.books, self.clock.now
        accrued = self.clock.text(paid + 2)
        chain = commission.positions(self.shoppers, buyer)
        frozen_from = completed
        released = completed + FREEZE_DAYS * DAY + RELEASE_LAG if completed is not None else None
        if released is not None and released > now:
            released = None
        refunded_fen = 0
        for position, item in enumerate(items):
            item_id, product_id, _index, _quantity, base = item
            take_back = None
            if item_id in refunds:
                kind, requested, refunded = refunds[item_id]
                freight_back = freight if position == len(items) - 1 else 0
                take_back = (self.refund(order_id, buyer, item, kind, requested, refunded, freight_back), refunded)
                refunded_fen += base + freight_back
            for level, who, reason in chain:
                rule, rate, amount = "", None, 0
                if not reason:
                    rule, rate, amount, reason = commission.price(self.shoppers, product_id, level, who, base)
                books.line_id += 1
                if reason:
                    books.lines.add((books.line_id, order_id, item_id, level, who, rule, base, rate, None, amount, 0,
                                     0, "none", reason, None, accrued, accrued))
                    continue
                self.pay_line((books.line_id, order_id, item_id, level, who, rule, base, rate), amount, accrued,
                              frozen_from, released, take_back)
        return refunded_fen

    def pay_line(self, line, amount, accrued, frozen_from, released, take_back) -> None:
        """A paying line through its life: accrued; frozen when the order completed and released
        after the freeze days; taken back by a refund (cancelled while pending or frozen,
        clawed back once available)."""
        books, clock = self.books, self.clock
        line_id, order_id, who = line[0], line[1], line[4]
        books.post(who, "accrue", line_id, order_id, accrued, (amount, 0, 0))
        status, cancelled, clawed, updated, until = "pending", 0, 0, accrued, None
        record, refund_at = take_back if take_back else (None, None)
        if frozen_from is not None:
            at = clock.text(frozen_from)
            books.post(who, "freeze", line_id, "", at, (-amount, amount, 0))
            status, until, updated = "frozen", clock.text(frozen_from + FREEZE_DAYS * DAY), at
            if released is not None and (refund_at is None or refund_at >= released):
                at = clock.text(released)
                books.post(who, "release", line_id, "", at, (0, -amount, amount))
                status, updated = "available", at
        if refund_at is not None:
            at = clock.text(refund_at)
            if status == "available":
                books.post(who, "clawback", line_id, record, at, (0, 0, -amount))
                clawed = amount
            else:
                books.post(who, "cancel", line_id, record, at,
                           (-amount, 0, 0) if status == "pending" else (0, -amount, 0))
                status, cancelled = "cancelled", amount
            updated = at
        books.lines.add((*line, None, amount, cancelled, clawed, status, "", until, accrued, updated))
