"""Reading and changing the growth rules (one row; the defaults until the merchant saves).

Reading never inserts: listeners read the rules inside an order's or a refund's transaction,
where creating the row could race another one doing the same."""

from __future__ import annotations

from flask_babel import gettext as _

from app.audit import services as audit
from app.audit.services import Actor
from app.core.china_time import to_beijing
from app.core.errors import ValidationError
from app.core.models import utcnow
from app.extensions import db
from app.members.growth_models import GrowthSettings

SETTINGS_ID = 1
MAX_PER_YUAN = 1000
MAX_PER_SIGN_IN = 10_000
EDITABLE = ("per_yuan", "per_sign_in", "yearly_downgrade")


def current() -> GrowthSettings:
    """The rules in force: the saved row, or an unsaved one with the defaults."""
    row = db.session.get(GrowthSettings, SETTINGS_ID)
    if row is None:
        row = GrowthSettings(id=SETTINGS_ID, per_yuan=1, per_sign_in=1, yearly_downgrade=False, review_year=0,
                             review_after_user_id=0, review_done=True)
    return row


def locked() -> GrowthSettings:
    """The row, created if need be and locked for this transaction (the yearly review's bookmark)."""
    row = db.session.get(GrowthSettings, SETTINGS_ID, with_for_update=True)
    if row is None:
        db.session.add(current())
        db.session.flush()
        row = db.session.get(GrowthSettings, SETTINGS_ID, with_for_update=True)
    return row


def save(actor: Actor, *, per_yuan: int, per_sign_in: int, yearly_downgrade: bool) -> GrowthSettings:
    """Change the rules. Turning the yearly downgrade on counts this year as reviewed, so the
    first review is the next Beijing year start (never a surprise downgrade mid-year)."""
    fields = {}
    if not 0 <= per_yuan <= MAX_PER_YUAN:
        fields["per_yuan"] = _("Between %(low)s and %(high)s.", low=0, high=MAX_PER_YUAN)
    if not 0 <= per_sign_in <= MAX_PER_SIGN_IN:
        fields["per_sign_in"] = _("Between %(low)s and %(high)s.", low=0, high=MAX_PER_SIGN_IN)
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    row = locked()
    before = {name: getattr(row, name) for name in EDITABLE}
    if yearly_downgrade and not row.yearly_downgrade:
        row.review_year, row.review_after_user_id, row.review_done = to_beijing(utcnow()).year, 0, True
    row.per_yuan, row.per_sign_in, row.yearly_downgrade = per_yuan, per_sign_in, yearly_downgrade
    db.session.flush()
    audit.record(actor, area="members", action="growth.settings", target_type="growth_settings",
                 target_id=SETTINGS_ID, summary=_("Growth rules"), before=before,
                 after={name: getattr(row, name) for name in EDITABLE})
    return row
