"""Promotions that change what a shopper pays or holds: coupons, points spending and sign-in,
full-reduction activities, member growth. Each promotion that changes a price is a step of the
checkout's one pricing pipeline (`app.orders.pricing.register_step`), and everything it spends
or gives (a coupon, points) moves in the same transaction as the order change that causes it,
through the order events' in-transaction listeners."""
