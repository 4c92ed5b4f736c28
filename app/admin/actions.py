"""One console action: run a domain step, then commit and flash success, or roll back and
flash the refusal (its first field message, else its message); a refusal meaning "no such
row" stays a 404."""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash

from app.core.errors import DomainError
from app.extensions import db


def run_action(step: Callable[[], object], done: str) -> bool:
    """True if the step went through (committed), False if it was refused (rolled back)."""
    try:
        step()
    except DomainError as refusal:
        db.session.rollback()
        if refusal.status == 404:
            abort(404)
        flash(next(iter(refusal.fields.values()), refusal.message), "danger")
        return False
    db.session.commit()
    flash(done, "success")
    return True


def save_activity(record: object | None, values: dict, create: Callable, update: Callable,
                  form_errors: Callable[[dict[str, str]], dict[str, str]] = dict) -> dict[str, str]:
    """An activity form's save (满减, 秒杀, 砍价): `create(actor, values)` or
    `update(actor, record, values)`, then commit and flash "Saved."; a refusal is rolled back
    and returned as the form's errors (its fields named as the form names them, else its
    message on the name). No errors: saved."""
    from flask_babel import gettext as _

    from app.admin.security import actor

    try:
        if record is None:
            create(actor(), values)
        else:
            update(actor(), record, values)
    except DomainError as refusal:
        db.session.rollback()
        return form_errors(refusal.fields) or {"name": refusal.message}
    db.session.commit()
    flash(_("Saved."), "success")
    return {}
