"""Withdrawals of available commission.

Applying holds the amount at once (available → withdrawing) by a conditional UPDATE that
refuses to take available below zero, so fifty requests at the same moment can never
withdraw more than there is — and an account in debt after a clawback withdraws nothing
until later commission brings it back above zero. A client's idempotency key makes a retried
request return the same withdrawal. Review approves (or, below the configured amount, the
request approves itself) or rejects (the hold goes back). Paying: to the store balance at
once; to WeChat change by merchant transfer, which the agent confirms in the mini-program
and whose notification ends it (failure returns the hold); to a bank card or Alipay by hand,
then marked paid. Every staff step is audited; every money step is a ledger entry.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.audit import services as audit
from app.audit.services import Actor
from app.core.china_time import day_start_utc, to_beijing
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.models import utcnow
from app.core.money import fen_to_yuan, share_of
from app.distribution import agents, ledger
from app.distribution.commission_models import AgentAccount
from app.distribution.settings import current
from app.distribution.states import WithdrawalStatus, move_withdrawal
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from app.members.services import change_balance
from app.payments.models import Transfer
from app.payments.records import new_number
from app.payments.transfers import TransferPrompt, create_transfer

PURPOSE = "withdrawal"
REMARK = "佣金提现"


def _yuan(fen: int) -> str:
    return "¥" + fen_to_yuan(fen)


def _check(settings, user: User, method: str, amount_fen: int, account_name: str, account_no: str) -> None:
    fields: dict[str, str] = {}
    if method not in settings.withdraw_methods:
        fields["method"] = _("This withdrawal method is not available.")
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen < settings.withdraw_min_fen:
        fields["amount_fen"] = _("At least %(yuan)s.", yuan=_yuan(settings.withdraw_min_fen))
    elif amount_fen > settings.withdraw_max_fen:
        fields["amount_fen"] = _("At most %(yuan)s at a time.", yuan=_yuan(settings.withdraw_max_fen))
    if method in ("bank", "alipay") and not (account_name.strip() and account_no.strip()):
        fields["account_no"] = _("Enter the account holder's name and the account number.")
    if method == "wechat" and not user.mp_openid:
        fields["method"] = _("Log in through the mini-program to withdraw to WeChat.")
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)


def _today_count(user_id: int) -> int:
    start = day_start_utc(to_beijing(utcnow()).date())
    return db.session.scalar(select(func.count()).select_from(Withdrawal).where(
        Withdrawal.user_id == user_id, Withdrawal.created_at >= start)) or 0


def apply(user_id: int, *, amount_fen: int, method: str, idempotency_key: str, account_name: str = "",
          account_no: str = "", bank_name: str = "") -> Withdrawal:
    """An agent asks to withdraw; the amount is held at once. A repeated key returns the first."""
    key = (idempotency_key or "").strip()[:64]
    if not key:
        raise ValidationError(_("Some fields are invalid."), fields={"idempotency_key": _("Required.")})
    existing = db.session.scalar(select(Withdrawal).where(Withdrawal.user_id == user_id,
                                                          Withdrawal.idempotency_key == key))
    if existing is not None:
        return existing
    if not agents.is_active(user_id):
        raise Conflict(_("Only agents can withdraw commission."), code="not_an_agent")
    settings = current()
    user = db.session.get(User, user_id)
    _check(settings, user, method, amount_fen, account_name, account_no)
    account = db.session.scalar(select(AgentAccount).where(AgentAccount.user_id == user_id).with_for_update())
    if account is None or account.available_fen < amount_fen:
        raise Conflict(_("Not enough available commission."), code="not_enough",
                       fields={"amount_fen": _("At most %(yuan)s.",
                                               yuan=_yuan(max(0, account.available_fen if account else 0)))})
    if _today_count(user_id) >= settings.withdraw_daily_limit:
        raise Conflict(_("At most %(n)s withdrawals a day.", n=settings.withdraw_daily_limit), code="daily_limit")
    fee = 0 if method == "balance" else share_of(amount_fen, settings.withdraw_fee_bp)
    if amount_fen - fee <= 0:
        raise ValidationError(_("Some fields are invalid."), fields={"amount_fen": _("Too small after the fee.")})
    withdrawal = Withdrawal(withdrawal_no=new_number("W")[:32], user_id=user_id, idempotency_key=key, method=method,
                            amount_fen=amount_fen, fee_fen=fee, net_fen=amount_fen - fee,
                            status=WithdrawalStatus.REVIEWING, account_name=account_name.strip()[:32],
                            account_no=account_no.strip()[:64], bank_name=bank_name.strip()[:64])
    db.session.add(withdrawal)
    try:
        db.session.flush()
        ledger.post(user_id, "withdraw_hold", ref=withdrawal.id, fresh=True, guard_available=True,
                    available=-amount_fen, withdrawing=amount_fen)
    except IntegrityError as exc:  # the same key at the same moment: the retry returns the winner
        raise Conflict(_("Please try again."), code="retry") from exc
    except ledger.LedgerError as exc:  # another request took the money first
        raise Conflict(_("Not enough available commission."), code="not_enough") from exc
    if settings.withdraw_auto_below_fen and amount_fen < settings.withdraw_auto_below_fen:
        _pay(audit.SYSTEM, withdrawal)
    return withdrawal


def _locked(withdrawal_id: int) -> Withdrawal:
    withdrawal = db.session.scalar(select(Withdrawal).where(Withdrawal.id == withdrawal_id).with_for_update())
    if withdrawal is None:
        raise NotFound(_("The requested resource does not exist."), code="withdrawal_not_found")
    return withdrawal


def _expect(withdrawal: Withdrawal, *statuses: str) -> None:
    if withdrawal.status not in statuses:
        raise Conflict(_("This withdrawal has already been handled."), code="already_handled")


def _settle(withdrawal: Withdrawal) -> None:
    ledger.post(withdrawal.user_id, "withdraw_paid", ref=withdrawal.id, withdrawing=-withdrawal.amount_fen,
                withdrawn=withdrawal.amount_fen)


def _give_back(withdrawal: Withdrawal) -> None:
    ledger.post(withdrawal.user_id, "withdraw_return", ref=withdrawal.id, withdrawing=-withdrawal.amount_fen,
                available=withdrawal.amount_fen)


def _pay(actor: Actor, withdrawal: Withdrawal) -> None:
    now = utcnow()
    if withdrawal.method == "balance":
        change_balance(withdrawal.user_id, withdrawal.net_fen, kind="commission_withdrawal",
                       ref=withdrawal.withdrawal_no, reason=REMARK, staff_id=actor.staff_id)
        move_withdrawal(withdrawal, WithdrawalStatus.PAID, reviewed_at=now, paid_at=now, staff_id=actor.staff_id)
        _settle(withdrawal)
    elif withdrawal.method == "wechat":
        user = db.session.get(User, withdrawal.user_id)
        prompt = create_transfer(user_id=user.id, openid=user.mp_openid, amount_fen=withdrawal.net_fen, remark=REMARK,
                                 purpose=PURPOSE, subject_id=withdrawal.id)
        move_withdrawal(withdrawal, WithdrawalStatus.PAYING, reviewed_at=now, staff_id=actor.staff_id,
                        transfer_id=prompt.transfer.id)
    else:
        move_withdrawal(withdrawal, WithdrawalStatus.APPROVED, reviewed_at=now, staff_id=actor.staff_id)


def approve(actor: Actor, withdrawal_id: int) -> Withdrawal:
    withdrawal = _locked(withdrawal_id)
    _expect(withdrawal, WithdrawalStatus.REVIEWING)
    _pay(actor, withdrawal)
    audit.record(actor, area="finance", action="withdrawal.approve", target_type="withdrawal",
                 target_id=withdrawal.id, summary=f"{withdrawal.withdrawal_no} {_yuan(withdrawal.amount_fen)}",
                 before={"status": "reviewing"}, after={"status": withdrawal.status})
    return withdrawal


def reject(actor: Actor, withdrawal_id: int, reason: str) -> Withdrawal:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Some fields are invalid."), fields={"reason": _("Please give a reason.")})
    withdrawal = _locked(withdrawal_id)
    _expect(withdrawal, WithdrawalStatus.REVIEWING)
    move_withdrawal(withdrawal, WithdrawalStatus.REJECTED, reviewed_at=utcnow(), staff_id=actor.staff_id,
                    reject_reason=reason[:200])
    _give_back(withdrawal)
    audit.record(actor, area="finance", action="withdrawal.reject", target_type="withdrawal",
                 target_id=withdrawal.id, summary=reason[:255], before={"status": "reviewing"},
                 after={"status": withdrawal.status})
    return withdrawal


def mark_paid(actor: Actor, withdrawal_id: int) -> Withdrawal:
    """A bank or Alipay withdrawal the merchant has paid by hand."""
    withdrawal = _locked(withdrawal_id)
    _expect(withdrawal, WithdrawalStatus.APPROVED)
    move_withdrawal(withdrawal, WithdrawalStatus.PAID, paid_at=utcnow())
    _settle(withdrawal)
    audit.record(actor, area="finance", action="withdrawal.paid", target_type="withdrawal", target_id=withdrawal.id,
                 summary=withdrawal.withdrawal_no, before={"status": "approved"}, after={"status": "paid"})
    return withdrawal


def transfer_finished(transfer_id: int) -> bool:
    """After transfer.succeeded / transfer.failed: pay the withdrawal or give its hold back."""
    transfer = db.session.get(Transfer, transfer_id)
    if transfer is None or transfer.purpose != PURPOSE:
        return False
    withdrawal = _locked(transfer.subject_id)
    if withdrawal.status != WithdrawalStatus.PAYING or withdrawal.transfer_id != transfer.id:
        return False
    if transfer.status == "succeeded":
        move_withdrawal(withdrawal, WithdrawalStatus.PAID, paid_at=transfer.finished_at or utcnow())
        _settle(withdrawal)
        return True
    if transfer.status in ("failed", "cancelled"):
        move_withdrawal(withdrawal, WithdrawalStatus.FAILED, fail_reason=transfer.fail_reason or transfer.status)
        _give_back(withdrawal)
        return True
    return False


def of_user(user_id: int, withdrawal_id: int) -> Withdrawal:
    """One of the agent's own withdrawals (another agent's id is not found)."""
    withdrawal = db.session.get(Withdrawal, withdrawal_id)
    if withdrawal is None or withdrawal.user_id != user_id:
        raise NotFound(_("The requested resource does not exist."), code="withdrawal_not_found")
    return withdrawal


def transfer_prompt(user_id: int, withdrawal_id: int) -> TransferPrompt | None:
    """What wx.requestMerchantTransfer needs while WeChat waits for the agent to confirm."""
    withdrawal = of_user(user_id, withdrawal_id)
    if withdrawal.status != WithdrawalStatus.PAYING:
        return None
    user = db.session.get(User, user_id)
    return create_transfer(user_id=user_id, openid=user.mp_openid, amount_fen=withdrawal.net_fen, remark=REMARK,
                           purpose=PURPOSE, subject_id=withdrawal.id)
