"""The notify-queue job that sends subscribe messages: takes an id, safe to run twice."""

from __future__ import annotations

from app.core.jobs import job
from app.extensions import db
from app.notifications.services import Delivery, deliver


class DeliveryDeferred(Exception):
    """WeChat was busy or unreachable; RQ's retry policy runs the job again."""


@job("notify")
def send_subscribe_message_job(message_id: int) -> None:
    if deliver(message_id) is Delivery.RETRY:
        db.session.commit()  # keep the attempt and WeChat's answer on record
        raise DeliveryDeferred(f"subscribe message {message_id} will be retried")
