"""WeChat refunds of after-sales finish when WeChat says so: jobs subscribed to the payments
domain's refund events (safe to run twice: the after-sale moves by compare-and-set)."""

from __future__ import annotations

from app.core.events import subscribe
from app.core.jobs import job
from app.core.locking import locked
from app.extensions import db
from app.orders import oplog
from app.orders.after_sale_refunds import finish_refund, refund_failed
from app.orders.models import AfterSale
from app.payments.models import Refund


@subscribe("refund.succeeded")
@job("money")
def finish_after_sale_refund(refund_id: int) -> None:
    after_sale = locked(AfterSale, refund_id=refund_id)
    if after_sale is None:
        return  # a refund of something else (e.g. a cancelled order)
    refund = db.session.get(Refund, refund_id)
    finish_refund(after_sale, refund.amount_fen, oplog.SYSTEM)


@subscribe("refund.failed")
@job("money")
def return_failed_after_sale_refund(refund_id: int) -> None:
    after_sale = locked(AfterSale, refund_id=refund_id)
    if after_sale is None:
        return
    refund = db.session.get(Refund, refund_id)
    refund_failed(after_sale, refund.fail_reason or refund.wechat_status)
