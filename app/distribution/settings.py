"""Reading and changing the distribution settings (one row, created with defaults on first use)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.audit import services as audit
from app.audit.services import Actor
from app.core.errors import Conflict, ValidationError
from app.core.money import BASIS_POINTS
from app.distribution.settings_models import MAX_LEVELS, DistributionSettings
from app.distribution.withdrawal_models import WithdrawalMethod
from app.extensions import db

SETTINGS_ID = 1
BASES = ("paid", "profit")
BECOME_MODES = ("auto", "apply", "product", "spend")
ELIGIBILITIES = ("all", "new_only")
BIND_MODES = ("permanent", "expiring", "latest")
EDITABLE = ("enabled", "levels", "rate1_bp", "rate2_bp", "rate3_bp", "base", "self_purchase", "become_agent",
            "become_product_ids", "become_spend_fen", "bind_eligibility", "bind_mode", "bind_days", "freeze_days",
            "withdraw_methods", "withdraw_min_fen", "withdraw_max_fen", "withdraw_fee_bp", "withdraw_daily_limit",
            "withdraw_auto_below_fen", "fan_points", "fan_points_daily_cap")
WITHDRAW_METHODS = tuple(WithdrawalMethod)


def current() -> DistributionSettings:
    """The settings in force (a default row is created on first use)."""
    row = db.session.get(DistributionSettings, SETTINGS_ID)
    return row if row is not None else _create()


ACCRUAL_FIELDS = ("enabled", "levels", "rate1_bp", "rate2_bp", "rate3_bp", "base", "self_purchase")


ACCRUAL_COLUMNS = tuple(getattr(DistributionSettings, name) for name in ACCRUAL_FIELDS)
_FOR_ACCRUAL = select(*ACCRUAL_COLUMNS).where(
    DistributionSettings.id == SETTINGS_ID)  # built once: accrual reads it for every paid order


def for_accrual(connection: Any = None):
    """Only the settings accrual reads, as a row with those attributes and `rates()` (cheap:
    accrual runs for every paid order)."""
    return accrual_settings_from((connection or db.session).execute(_FOR_ACCRUAL).first())


def accrual_settings_from(values: Any) -> AccrualSettings:
    """AccrualSettings from a row of ACCRUAL_COLUMNS read with another query (all None when
    the settings row does not exist yet: then the defaults, creating it)."""
    source = values if values is not None and values[0] is not None else current()
    if source is values:
        return AccrualSettings(**dict(zip(ACCRUAL_FIELDS, values, strict=True)))
    return AccrualSettings(**{name: getattr(source, name) for name in ACCRUAL_FIELDS})


class AccrualSettings:
    __slots__ = ACCRUAL_FIELDS

    def __init__(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self, name, value)

    def rates(self) -> list[int]:
        return [self.rate1_bp, self.rate2_bp, self.rate3_bp]


def locked() -> DistributionSettings:
    """The settings row, locked for this transaction: binds hold it so that they run one at a time."""
    row = db.session.scalar(select(DistributionSettings).where(DistributionSettings.id == SETTINGS_ID)
                            .with_for_update())
    if row is None:
        _create()
        row = db.session.scalar(select(DistributionSettings).where(DistributionSettings.id == SETTINGS_ID)
                                .with_for_update())
    return row


def _create() -> DistributionSettings:
    row = DistributionSettings(id=SETTINGS_ID)
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as exc:  # created by a concurrent transaction: let the caller run again
        raise Conflict(_("Please try again."), code="retry") from exc
    return row


def check(values: dict[str, Any]) -> dict[str, str]:
    """Field errors for a full set of settings values (empty when they are acceptable)."""
    errors: dict[str, str] = {}
    levels = values["levels"]
    if not isinstance(levels, int) or levels < 0:
        errors["levels"] = _("Choose 0 to 3 levels.")
    elif levels > MAX_LEVELS:
        errors["levels"] = _("At most 3 levels: Chinese rules against pyramid selling (传销) forbid commission "
                             "beyond the third level.")
    rates = [values["rate1_bp"], values["rate2_bp"], values["rate3_bp"]]
    for index, rate in enumerate(rates, start=1):
        if not isinstance(rate, int) or not 0 <= rate <= BASIS_POINTS:
            errors[f"rate{index}_bp"] = _("Enter a rate from 0 to 100 percent.")
    if "rate1_bp" not in errors and all(isinstance(rate, int) for rate in rates) and sum(rates) > BASIS_POINTS:
        errors["rate1_bp"] = _("The rates of all levels together cannot exceed 100 percent.")
    for field, allowed in (("base", BASES), ("become_agent", BECOME_MODES), ("bind_eligibility", ELIGIBILITIES),
                           ("bind_mode", BIND_MODES)):
        if values[field] not in allowed:
            errors[field] = _("Choose one of the options.")
    for field, low, high in (("bind_days", 1, 3650), ("freeze_days", 0, 365)):
        if not isinstance(values[field], int) or not low <= values[field] <= high:
            errors[field] = _("Between %(low)s and %(high)s days.", low=low, high=high)
    if not isinstance(values["become_spend_fen"], int) or values["become_spend_fen"] < 0:
        errors["become_spend_fen"] = _("Must be at least %(n)s.", n=0)
    ids = values["become_product_ids"]
    if not isinstance(ids, list) or not all(isinstance(item, int) and item > 0 for item in ids):
        errors["become_product_ids"] = _("Choose products from the list.")
    elif values["become_agent"] == "product" and not ids:
        errors["become_product_ids"] = _("Choose at least one product.")
    for field in ("fan_points", "fan_points_daily_cap"):
        if not isinstance(values[field], int) or not 0 <= values[field] <= 100_000:
            errors[field] = _("Between %(low)s and %(high)s.", low=0, high=100_000)
    errors.update(_check_withdrawals(values))
    return errors


def _check_withdrawals(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    methods = values["withdraw_methods"]
    if not isinstance(methods, list) or not methods or not set(methods) <= set(WITHDRAW_METHODS):
        errors["withdraw_methods"] = _("Choose at least one withdrawal method.")
    low, high = values["withdraw_min_fen"], values["withdraw_max_fen"]
    if not isinstance(low, int) or low < 1:
        errors["withdraw_min_fen"] = _("Must be at least %(n)s.", n="¥0.01")
    elif not isinstance(high, int) or high < low:
        errors["withdraw_max_fen"] = _("Cannot be less than the minimum.")
    if not isinstance(values["withdraw_fee_bp"], int) or not 0 <= values["withdraw_fee_bp"] < BASIS_POINTS:
        errors["withdraw_fee_bp"] = _("Enter a rate from 0 to 100 percent.")
    if not isinstance(values["withdraw_daily_limit"], int) or values["withdraw_daily_limit"] < 1:
        errors["withdraw_daily_limit"] = _("Must be at least %(n)s.", n=1)
    if not isinstance(values["withdraw_auto_below_fen"], int) or values["withdraw_auto_below_fen"] < 0:
        errors["withdraw_auto_below_fen"] = _("Must be at least %(n)s.", n=0)
    return errors


def snapshot(row: DistributionSettings) -> dict[str, Any]:
    return {field: getattr(row, field) for field in EDITABLE}


def save(actor: Actor, **changes: Any) -> DistributionSettings:
    """Change some settings (validated as a whole) and record the change in the audit log."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(_("Some fields are invalid."), fields={name: _("Unknown field.") for name in unknown})
    row = locked()
    before = snapshot(row)
    values = {**before, **changes}
    errors = check(values)
    if errors:
        raise ValidationError(_("Some fields are invalid."), fields=errors)
    for field, value in changes.items():
        setattr(row, field, value)
    db.session.flush()
    old, new = audit.changed_fields(before, snapshot(row))
    audit.record(actor, area="distribution", action="settings.save", target_type="distribution_settings",
                 target_id=row.id, summary="distribution settings", before=old, after=new)
    return row
