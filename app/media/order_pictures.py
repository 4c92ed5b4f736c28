"""Pictures in order history count as used, so deleting a library picture never blanks a past
order's item picture.

An order item keeps a copy of its picture's URL (order_items.image_url). Asking the 6.7M-row
order_items table "does any item show this URL?" on each delete would be a scan (image_url is
not indexed, and indexing a 512-character column there costs every checkout); writing a usage
row for every item at checkout would double checkout's writes. Instead the library keeps one
`media_usages` row per (picture, product) that has been sold with it, owner type
ORDER_SNAPSHOT, owner id the product: when an order is placed, its listener (inside the
checkout transaction, so the mark commits or rolls back with the order) asks the indexed
media_usages.url which of the order's few pictures are marked for their products already and
adds only the missing rows. Almost every order finds its pictures marked: one small indexed
SELECT, no write. The row is never removed: an order is history, and its picture stays
(the delete is refused with a reason naming order history).

Two checkouts of a product's first sale at the same moment may both add the row; the library
counts distinct owners (`usage.count_by_url`, `usage.owners`), so a twin row changes nothing.
Orders placed before this was kept are marked by `flask media recount-usage`
(`recount_order_pictures`: one keyset pass over order_items, run once).
"""

from __future__ import annotations

from sqlalchemy import select

from app.core.events import listen
from app.extensions import db
from app.media import usage
from app.media.models import MediaUsage
from app.orders.events import ORDER_PLACED
from app.orders.models import OrderItem


@listen(ORDER_PLACED)
def mark_sold_pictures(order_id: int) -> None:
    items = db.session.execute(select(OrderItem.image_url, OrderItem.product_id, OrderItem.title)
                               .where(OrderItem.order_id == order_id)).all()
    _mark({(url, product_id): title for url, product_id, title in items})


def recount_order_pictures(batch: int = 5000) -> int:
    """Mark the pictures of orders placed before the library kept them: order items a keyset
    batch at a time (run once, from `flask media recount-usage`). Returns the rows added."""
    added, after = 0, 0
    while True:
        items = db.session.execute(select(OrderItem.id, OrderItem.image_url, OrderItem.product_id, OrderItem.title)
                                   .where(OrderItem.id > after).order_by(OrderItem.id).limit(batch)).all()
        if not items:
            return added
        added += _mark({(url, product_id): title for _id, url, product_id, title in items})
        after = items[-1].id


def _mark(sold: dict[tuple[str, int], str]) -> int:
    """Add the ORDER_SNAPSHOT rows missing for these (picture URL, product) pairs."""
    wanted = {(path, product_id): title for (url, product_id), title in sold.items()
              if (path := usage.library_path(url))}
    if not wanted:
        return 0
    marked = set(db.session.execute(
        select(MediaUsage.url, MediaUsage.owner_id)
        .where(MediaUsage.url.in_({path for path, _product in wanted}),
               MediaUsage.owner_type == usage.UsageOwner.ORDER_SNAPSHOT)).tuples())
    missing = [(path, product_id, title) for (path, product_id), title in wanted.items()
               if (path, product_id) not in marked]
    db.session.add_all(MediaUsage(url=path, owner_type=usage.UsageOwner.ORDER_SNAPSHOT, owner_id=product_id,
                                  owner_label=title[:120]) for path, product_id, title in missing)
    db.session.flush()
    return len(missing)
