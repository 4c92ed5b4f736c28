"""Merchant transfers (商家转账): money to a shopper's WeChat balance, e.g. a withdrawal.

WeChat answers a transfer with `package_info`; the shopper confirms it in the mini-program
through wx.requestMerchantTransfer, then a notification says how it ended. The out_bill_no
is derived from (purpose, subject, attempt), so a call retried after a lost answer or a
rolled-back transaction reuses it and WeChat deduplicates it: money goes out once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from app.core.events import publish
from app.core.models import utcnow
from app.extensions import db
from app.payments.errors import PaymentError, PaymentErrorCode
from app.payments.models import Transfer
from app.payments.records import calling_wechat, check_amount, check_purpose, expect, locked, whole_fen
from app.payments.states import TransferStatus, can_move, move
from app.wechat import pay

log = logging.getLogger(__name__)

FROM_WECHAT = {
    "ACCEPTED": TransferStatus.PROCESSING, "PROCESSING": TransferStatus.PROCESSING,
    "TRANSFERING": TransferStatus.PROCESSING, "CANCELING": TransferStatus.PROCESSING,
    "WAIT_USER_CONFIRM": TransferStatus.WAIT_USER_CONFIRM, "SUCCESS": TransferStatus.SUCCEEDED,
    "FAIL": TransferStatus.FAILED, "CANCELLED": TransferStatus.CANCELLED,
}
ENDED = (TransferStatus.SUCCEEDED, TransferStatus.FAILED, TransferStatus.CANCELLED)
# What WeChat requires each scene to report (转账场景报备信息), filled from the remark.
SCENE_REPORTS = {"1000": ("活动名称", "奖励说明"), "1005": ("岗位类型", "报酬说明")}


@dataclass(frozen=True)
class TransferPrompt:
    transfer: Transfer
    params: dict[str, str] | None  # for wx.requestMerchantTransfer while WeChat waits for the shopper


def _prompt(transfer: Transfer) -> TransferPrompt:
    waiting = transfer.status == TransferStatus.WAIT_USER_CONFIRM and transfer.package_info
    return TransferPrompt(transfer, pay.merchant_transfer_params(transfer.package_info, transfer.openid)
                          if waiting else None)


def create_transfer(*, user_id: int, openid: str, amount_fen: int, remark: str, purpose: str, subject_id: int,
                    report_infos: list[dict[str, str]] | None = None) -> TransferPrompt:
    """Transfer `amount_fen` to `openid` for (purpose, subject_id); asking again returns the
    transfer under way, and a new attempt is made only after one failed or was cancelled."""
    check_purpose(purpose)
    check_amount(amount_fen)
    remark = remark.strip()[:32]
    if not remark:
        raise ValueError("a transfer needs a remark the receiver can read")
    latest = db.session.scalars(select(Transfer).where(Transfer.purpose == purpose, Transfer.subject_id == subject_id)
                                .order_by(Transfer.attempt.desc()).limit(1).with_for_update()).first()
    if latest is not None and latest.status not in (TransferStatus.FAILED, TransferStatus.CANCELLED):
        return _prompt(latest)
    scene_id = current_app.config["WECHAT_PAY_TRANSFER_SCENE_ID"]
    if report_infos is None:
        report_infos = [{"info_type": kind, "info_content": remark} for kind in SCENE_REPORTS.get(scene_id, ())]
    attempt = latest.attempt + 1 if latest else 1
    appid, mchid = pay.merchant()
    transfer = Transfer(out_bill_no=f"{purpose}{subject_id}n{attempt}", purpose=purpose, subject_id=subject_id,
                        attempt=attempt, user_id=user_id, openid=openid, appid=appid, mchid=mchid,
                        amount_fen=amount_fen, remark=remark, scene_id=scene_id, status=TransferStatus.PENDING)
    db.session.add(transfer)
    try:
        db.session.flush()
    except sa_exc.IntegrityError as exc:
        raise PaymentError(PaymentErrorCode.TRANSFER_IN_PROGRESS,
                           _("A transfer for this is already in progress.")) from exc
    with calling_wechat():
        answer = pay.create_transfer_bill(out_bill_no=transfer.out_bill_no, openid=openid, amount_fen=amount_fen,
                                          remark=remark, scene_id=scene_id, report_infos=report_infos)
    _apply_transfer_state(transfer, answer, notified=False)
    return _prompt(transfer)


def apply_transfer_notification(resource: dict[str, Any]) -> bool:
    """Apply a decrypted MCHTRANSFER.BILL.FINISHED resource; True if it changed the transfer."""
    transfer = locked(Transfer, out_bill_no=str(resource.get("out_bill_no") or ""))
    if transfer is None:
        raise PaymentError(PaymentErrorCode.TRANSFER_NOT_FOUND, _("The transfer does not exist."))
    _check_against_record(transfer, resource)
    return _apply_transfer_state(transfer, resource, notified=True)


def query_transfer(transfer_id: int) -> Transfer:
    """Ask WeChat how a transfer stands (when no notification came) and apply the answer."""
    transfer = locked(Transfer, id=transfer_id)
    if transfer is None:
        raise PaymentError(PaymentErrorCode.TRANSFER_NOT_FOUND, _("The transfer does not exist."))
    with calling_wechat():
        answer = pay.query_transfer_bill(transfer.out_bill_no)
    if answer is not None:
        _check_against_record(transfer, answer)
        _apply_transfer_state(transfer, answer, notified=False)
    return transfer


def _check_against_record(transfer: Transfer, resource: dict[str, Any]) -> None:
    expect(resource.get("mch_id", transfer.mchid) == transfer.mchid, PaymentErrorCode.MCHID_MISMATCH)
    expect(whole_fen(resource.get("transfer_amount")) == transfer.amount_fen, PaymentErrorCode.AMOUNT_MISMATCH)
    expect(resource.get("openid", transfer.openid) == transfer.openid, PaymentErrorCode.PAYER_MISMATCH)


def _apply_transfer_state(transfer: Transfer, answer: dict[str, Any], *, notified: bool) -> bool:
    state = str(answer.get("state") or "")
    wanted = FROM_WECHAT.get(state)
    bill_no = answer.get("transfer_bill_no") or transfer.transfer_bill_no
    expect(wanted is not None and (transfer.transfer_bill_no is None or bill_no == transfer.transfer_bill_no),
           PaymentErrorCode.STATE_CONFLICT)
    values: dict[str, Any] = {"wechat_state": state, "transfer_bill_no": bill_no,
                              "package_info": answer.get("package_info") or transfer.package_info}
    if wanted == transfer.status:
        return False  # a replay
    expect(can_move("transfers", transfer.status, wanted), PaymentErrorCode.STATE_CONFLICT)
    if wanted in ENDED:
        values.update(finished_at=pay.parse_time(answer.get("update_time")) or utcnow(),
                      fail_reason=str(answer.get("fail_reason") or "")[:255])
    if notified:
        values["notified_at"] = utcnow()
    if not move(transfer, wanted, **values):
        return False
    if wanted == TransferStatus.SUCCEEDED:
        publish("transfer.succeeded", transfer.id)
    elif wanted in (TransferStatus.FAILED, TransferStatus.CANCELLED):
        log.warning("transfer %s ended %s (%s)", transfer.out_bill_no, state, transfer.fail_reason)
        publish("transfer.failed", transfer.id)
    return True
