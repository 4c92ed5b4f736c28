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
