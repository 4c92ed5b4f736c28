"""Subscribe messages: templates the merchant configures, `notify()` for the domains, and the
delivery the notify job performs.

`notify()` only records the message and queues the job after the caller's commit, so a
rolled-back order never notifies anyone and the caller never waits for WeChat.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from enum import Enum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core.china_time import to_beijing
from app.core.errors import ValidationError
from app.core.models import utcnow
from app.core.money import fen_to_yuan
from app.extensions import db
from app.notifications import states
from app.notifications.models import SubscribeMessage, SubscribeTemplate
from app.wechat.errors import USER_REFUSED, WeChatError
from app.wechat.miniprogram import send_subscribe_message

log = logging.getLogger(__name__)

# Each kind of event and the values it offers to a template's fields.
VALUE_NAMES: dict[str, tuple[str, ...]] = {
    "order_shipped": ("order_id", "order_no", "goods", "express_company", "tracking_no", "shipped_at"),
    "commission_credited": ("order_no", "amount", "buyer", "level", "credited_at"),
    "withdrawal_result": ("withdrawal_id", "amount", "result", "reason", "decided_at"),
}
TEMPLATE_KEY = re.compile(r"^(thing|number|letter|symbol|character_string|time|date|amount|phone_number|"
                          r"car_number|name|phrase|short_thing)\d{1,3}$")
# Longest value WeChat takes per key type (characters); longer text is cut.
MAX_CHARS = {"thing": 20, "short_thing": 5, "phrase": 5, "name": 10, "character_string": 32, "number": 32,
             "letter": 32, "symbol": 5, "phone_number": 17, "car_number": 8}
NEEDS_VALUE = ("amount", "number", "phone_number", "car_number")  # no honest placeholder exists
TRANSIENT = (None, -1, 45009, 45011)  # unreachable, busy, rate limited: try again later
MAX_ATTEMPTS = 4  # the first try and RQ's three retries
_held: ContextVar[bool] = ContextVar("subscribe_messages_held", default=False)


class Delivery(Enum):
    DONE = "done"  # nothing more to do (sent, refused, failed for good, or handled before)
    RETRY = "retry"  # a passing WeChat problem: the job should run again


def configure_template(kind: str, template_id: str, *, page: str = "", fields: dict[str, str],
                       is_enabled: bool = True) -> SubscribeTemplate:
    """Create or change the template used for `kind` (the console calls this in issue 4)."""
    problems: dict[str, str] = {}
    if kind not in VALUE_NAMES:
        problems["kind"] = _("Not one of the allowed values.")
    if not template_id.strip() or len(template_id) > 128:
        problems["template_id"] = _("This field is required.")
    if len(page) > 255:
        problems["page"] = _("At most %(n)s characters.", n=255)
    if not fields:
        problems["fields"] = _("Map at least one template field.")
    for key, name in fields.items():
        if not TEMPLATE_KEY.match(key):
            problems[f"fields.{key}"] = _("Not a subscribe-message field name (like thing1 or amount2).")
        elif name not in VALUE_NAMES.get(kind, ()):
            problems[f"fields.{key}"] = _("Not one of the allowed values.")
    if problems:
        raise ValidationError(_("Some fields are invalid."), fields=problems)
    template = db.session.scalar(select(SubscribeTemplate).where(SubscribeTemplate.kind == kind))
    if template is None:
        template = SubscribeTemplate(kind=kind)
        db.session.add(template)
    template.template_id, template.page, template.fields = template_id.strip(), page, dict(fields)
    template.is_enabled = is_enabled
    db.session.flush()
    return template


@contextmanager
def held() -> Iterator[None]:
    """No subscribe message is recorded or sent inside: for writing history (the demo seed),
    whose events never happened to anyone and must not reach WeChat."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def notify(user_id: int, kind: str, values: dict[str, Any], *, dedupe_key: str | None = None
           ) -> SubscribeMessage | None:
    """Record a message for `user_id` and send it after the current transaction commits.

    None when there is nothing to send: no enabled template for `kind`, a user who never
    used the mini-program, or messages `held()`. With `dedupe_key`, a second call for the same event returns the
    first message instead of sending again. (Two transactions notifying one event at the same
    moment: the unique key makes the later one fail at flush; callers lock their own row
    first, e.g. the order, or commit with app.core.transactions.commit_with_retry.)
    """
    if kind not in VALUE_NAMES:
        raise ValueError(f"unknown subscribe-message kind {kind!r}")
    if _held.get():
        return None
    template = db.session.scalar(select(SubscribeTemplate).where(
        SubscribeTemplate.kind == kind, SubscribeTemplate.is_enabled.is_(True)))
    user = db.session.get(User, user_id)
    if template is None or user is None or not user.mp_openid:
        log.info("no %s message for user %s: no template or no mini-program openid", kind, user_id)
        return None
    if dedupe_key:
        existing = db.session.scalar(select(SubscribeMessage).where(SubscribeMessage.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    message = SubscribeMessage(user_id=user_id, kind=kind, template_id=template.template_id,
                               page=_page(template.page, values), data=render_data(template.fields, values),
                               status=states.PENDING, dedupe_key=dedupe_key)
    db.session.add(message)
    db.session.flush()
    from app.notifications.jobs import send_subscribe_message_job

    send_subscribe_message_job.delay(message.id)
    return message


def render_data(fields: dict[str, str], values: dict[str, Any]) -> dict[str, dict[str, str]]:
    """WeChat's `data`: each template key with its value, formatted for its key type."""
    return {key: {"value": _format(key, values.get(name))} for key, name in fields.items()}


def _format(key: str, value: Any) -> str:
    kind = key.rstrip("0123456789")
    if value is None or value == "":
        if kind in ("time", "date"):
            value = utcnow()  # notify() is called as the event happens
        elif kind in NEEDS_VALUE:
            raise ValueError(f"subscribe message field {key} needs a value")
        else:
            return "-"
    if kind == "amount" and isinstance(value, int):
        return f"{fen_to_yuan(value)}元"
    if isinstance(value, datetime):  # stored as naive UTC; shoppers read Beijing time
        local = to_beijing(value)
        return local.strftime("%Y-%m-%d" if kind == "date" else "%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    text = " ".join(str(value).split())  # no line breaks or control characters
    limit = MAX_CHARS.get(kind)
    if limit and len(text) > limit:
        text = text[: limit - 1] + "…" if kind in ("thing", "name") else text[:limit]
    return text


def _page(page: str, values: dict[str, Any]) -> str:
    return re.sub(r"\{(\w+)\}", lambda match: str(values.get(match[1], "")), page)


def deliver(message_id: int) -> Delivery:
    """Send one pending message. A message already sent, refused or failed is left alone."""
    message = db.session.scalar(select(SubscribeMessage).where(SubscribeMessage.id == message_id)
                                .with_for_update())
    if message is None or message.status != states.PENDING:
        return Delivery.DONE
    user = db.session.get(User, message.user_id)
    message.attempts += 1
    if user is None or not user.mp_openid:
        message.errmsg = "the user has no mini-program openid"
        states.move(message, states.FAILED)
        return Delivery.DONE
    try:
        send_subscribe_message(user.mp_openid, message.template_id, message.data, message.page or None)
    except WeChatError as exc:
        message.errcode, message.errmsg = exc.errcode, exc.errmsg[:255]
        if exc.errcode == USER_REFUSED:
            states.move(message, states.REFUSED)
        elif exc.errcode in TRANSIENT and message.attempts < MAX_ATTEMPTS:
            return Delivery.RETRY
        else:
            log.warning("subscribe message %s failed: errcode=%s", message.id, exc.errcode)
            states.move(message, states.FAILED)
        return Delivery.DONE
    message.errcode, message.errmsg = 0, "ok"
    message.sent_at = utcnow()
    states.move(message, states.SENT)
    return Delivery.DONE
