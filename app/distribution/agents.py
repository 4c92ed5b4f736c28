"""Becoming an agent and the merchant's hand on agents.

How a shopper becomes one depends on the settings: automatically (on their first bind as a
referrer, or when asked), by applying and being approved, after buying one of the chosen
products, or once their paid spend reaches a threshold (both checked when an order is
paid). The merchant may also appoint, disable, re-enable and remove agents; those steps are
audited. The automatic paths never bring back an agent the merchant disabled or removed.
"""

from __future__ import annotations

import secrets
import string

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.audit import services as audit
from app.audit.services import Actor
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.models import utcnow
from app.distribution.agent_models import Agent, AgentApplication
from app.distribution.settings import current
from app.distribution.settings_models import AgentLevel
from app.distribution.states import AgentStatus, move_agent
from app.extensions import db
from app.orders.models import Order, OrderItem

CODE_ALPHABET = string.ascii_letters + string.digits
CODE_LENGTH = 6
PAID_STATUSES = ("paid", "shipped", "completed")


def agent_of(user_id: int) -> Agent | None:
    return db.session.scalar(select(Agent).where(Agent.user_id == user_id))


def is_active(user_id: int) -> bool:
    return db.session.scalar(select(Agent.status).where(Agent.user_id == user_id)) == AgentStatus.ACTIVE


def new_invite_code() -> str:
    """6 letters or digits (8 after repeated clashes): fits the 32-character wxacode scene
    `r=<code>&p=<product id>`."""
    for attempt in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH + (2 if attempt > 9 else 0)))
        if db.session.scalar(select(Agent.id).where(Agent.invite_code == code)) is None:
            return code
    raise Conflict(_("Please try again."), code="retry")


def _create(user_id: int, how: str, level_id: int | None = None) -> Agent:
    agent = Agent(user_id=user_id, status=AgentStatus.ACTIVE, level_id=level_id, invite_code=new_invite_code(),
                  became_at=utcnow(), how=how)
    db.session.add(agent)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same shopper made an agent twice at once: the retry finds the row
        raise Conflict(_("Please try again."), code="retry") from exc
    return agent


def become(user_id: int, how: str) -> Agent | None:
    """Make the shopper an agent by a system path (auto, product, spend, apply); None when the
    merchant has disabled or removed them (only the merchant brings them back)."""
    agent = agent_of(user_id)
    if agent is not None:
        return agent if agent.status == AgentStatus.ACTIVE else None
    return _create(user_id, how)


def become_automatically(user_id: int) -> Agent | None:
    """In mode auto, every shopper is an agent from the moment it matters."""
    if current().become_agent != "auto":
        return agent_of(user_id)
    return become(user_id, "auto")


def paid_spend_fen(user_id: int) -> int:
    """What the shopper has paid for goods, refunds deducted, freight included."""
    return int(db.session.scalar(select(func.coalesce(func.sum(Order.paid_fen - Order.refunded_fen), 0))
                                 .where(Order.user_id == user_id, Order.status.in_(PAID_STATUSES))) or 0)


def consider_order(order_id: int) -> Agent | None:
    """After a payment: the buyer becomes an agent if they bought a chosen product (mode
    product) or their spend reached the threshold (mode spend)."""
    order = db.session.get(Order, order_id)
    settings = current()
    if order is None or order.paid_at is None or agent_of(order.user_id) is not None:
        return None
    if settings.become_agent == "auto":
        return become(order.user_id, "auto")
    if settings.become_agent == "product" and settings.become_product_ids:
        bought = db.session.scalar(select(OrderItem.id).where(
            OrderItem.order_id == order.id, OrderItem.product_id.in_(settings.become_product_ids)).limit(1))
        return become(order.user_id, "product") if bought is not None else None
    if settings.become_agent == "spend" and paid_spend_fen(order.user_id) >= settings.become_spend_fen:
        return become(order.user_id, "spend")
    return None


# --- applications (mode apply) -------------------------------------------------------------

def apply(user_id: int, *, real_name: str = "", phone: str = "") -> AgentApplication | Agent:
    """A shopper asks to become an agent. In mode auto they simply are one."""
    settings = current()
    if settings.become_agent == "auto":
        agent = become(user_id, "auto")
        if agent is None:
            raise Conflict(_("Your agent account is disabled. Please contact the shop."), code="agent_disabled")
        return agent
    if settings.become_agent != "apply":
        raise Conflict(_("The shop does not take applications: agents qualify by their purchases."),
                       code="applications_closed")
    if agent_of(user_id) is not None:
        raise Conflict(_("You are already an agent, or the shop has disabled your agent account."),
                       code="already_agent")
    pending = db.session.scalar(select(AgentApplication).where(AgentApplication.user_id == user_id,
                                                               AgentApplication.status == "pending"))
    if pending is not None:
        return pending
    application = AgentApplication(user_id=user_id, real_name=real_name[:32], phone=phone[:20])
    db.session.add(application)
    db.session.flush()
    return application


def _pending_application(application_id: int) -> AgentApplication:
    application = db.session.scalar(select(AgentApplication).where(AgentApplication.id == application_id)
                                    .with_for_update())
    if application is None:
        raise NotFound(_("The requested resource does not exist."), code="application_not_found")
    if application.status != "pending":
        raise Conflict(_("This application has already been reviewed."), code="already_reviewed")
    return application


def approve(actor: Actor, application_id: int) -> Agent:
    application = _pending_application(application_id)
    application.status, application.staff_id, application.reviewed_at = "approved", actor.staff_id, utcnow()
    agent = agent_of(application.user_id) or _create(application.user_id, "apply")
    audit.record(actor, area="distribution", action="agent.approve", target_type="user",
                 target_id=application.user_id, summary=application.real_name, after={"status": agent.status})
    db.session.flush()
    return agent


def reject(actor: Actor, application_id: int, reason: str) -> AgentApplication:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Some fields are invalid."), fields={"reason": _("Please give a reason.")})
    application = _pending_application(application_id)
    application.status, application.reject_reason = "rejected", reason[:200]
    application.staff_id, application.reviewed_at = actor.staff_id, utcnow()
    audit.record(actor, area="distribution", action="agent.reject", target_type="user",
                 target_id=application.user_id, summary=reason[:255])
    db.session.flush()
    return application


# --- the merchant's hand -------------------------------------------------------------------

def _check_level(level_id: int | None) -> None:
    if level_id is not None and db.session.get(AgentLevel, level_id) is None:
        raise ValidationError(_("Some fields are invalid."), fields={"level_id": _("Choose a level from the list.")})


def appoint(actor: Actor, user_id: int, level_id: int | None = None) -> Agent:
    """Make a shopper an agent (again, if they were removed or disabled)."""
    if db.session.get(User, user_id) is None:
        raise NotFound(_("The requested resource does not exist."), code="member_not_found")
    _check_level(level_id)
    agent = agent_of(user_id)
    before = None if agent is None else {"status": agent.status, "level_id": agent.level_id}
    if agent is None:
        agent = _create(user_id, "appointed", level_id)
    else:
        if agent.status != AgentStatus.ACTIVE:
            move_agent(agent, AgentStatus.ACTIVE)
        agent.level_id = level_id if level_id is not None else agent.level_id
    db.session.flush()
    audit.record(actor, area="distribution", action="agent.appoint", target_type="user", target_id=user_id,
                 before=before, after={"status": agent.status, "level_id": agent.level_id})
    return agent


def _set_status(actor: Actor, user_id: int, wanted: str, action: str) -> Agent:
    agent = agent_of(user_id)
    if agent is None:
        raise NotFound(_("The requested resource does not exist."), code="agent_not_found")
    before = agent.status
    if before != wanted:
        if before == AgentStatus.REMOVED:
            raise Conflict(_("This agent has been removed; appoint them again instead."), code="agent_removed")
        move_agent(agent, wanted)
        audit.record(actor, area="distribution", action=action, target_type="user", target_id=user_id,
                     before={"status": before}, after={"status": agent.status})
    return agent


def disable(actor: Actor, user_id: int) -> Agent:
    return _set_status(actor, user_id, AgentStatus.DISABLED, "agent.disable")


def enable(actor: Actor, user_id: int) -> Agent:
    return _set_status(actor, user_id, AgentStatus.ACTIVE, "agent.enable")


def remove(actor: Actor, user_id: int) -> Agent:
    return _set_status(actor, user_id, AgentStatus.REMOVED, "agent.remove")


def set_level(actor: Actor, user_id: int, level_id: int | None) -> Agent:
    _check_level(level_id)
    agent = agent_of(user_id)
    if agent is None:
        raise NotFound(_("The requested resource does not exist."), code="agent_not_found")
    before = agent.level_id
    agent.level_id = level_id
    db.session.flush()
    audit.record(actor, area="distribution", action="agent.level", target_type="user", target_id=user_id,
                 before={"level_id": before}, after={"level_id": level_id})
    return agent
