"""Balance and points changes, member levels (defined and assigned), enabling and disabling shoppers.

Every balance or points change locks the wallet row, writes a ledger row and (for staff
changes) an audit row in the same transaction; a (kind, ref) pair applies at most once.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.audit import services as audit
from app.audit.services import Actor
from app.catalog.skus import is_image_url
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.money import fen_to_yuan
from app.core.request_models import MAX_ID
from app.extensions import db
from app.media import usage as media_usage
from app.members import level_moves
from app.members.growth_models import LevelChangeCause
from app.members.models import BalanceEntry, MemberLevel, PointsEntry, Wallet

MAX_ADJUSTMENT_FEN = 10_000_000  # ¥100,000 at a time: a typo guard, not a business rule
MAX_POINTS_ADJUSTMENT = 10_000_000


def wallet_for_update(user_id: int) -> Wallet:
    """The user's wallet, locked for this transaction (created on first use)."""
    wallet = db.session.scalar(select(Wallet).where(Wallet.user_id == user_id).with_for_update())
    if wallet is None:
        if db.session.get(User, user_id) is None:
            raise NotFound(_("The requested resource does not exist."), code="member_not_found")
        wallet = Wallet(user_id=user_id, balance_fen=0, points=0, total_spent_fen=0, growth=0)
        db.session.add(wallet)
        try:
            db.session.flush()
        except IntegrityError as exc:  # another transaction created it at the same moment
            raise Conflict(_("Please try again."), code="retry") from exc
    return wallet


def level_of(user_id: int) -> MemberLevel | None:
    """The member level the shopper's wallet is on (None: a regular shopper)."""
    return db.session.scalar(select(MemberLevel).join(Wallet, Wallet.level_id == MemberLevel.id)
                             .where(Wallet.user_id == user_id))


def wallet_of(user_id: int) -> Wallet:
    return db.session.get(Wallet, user_id) or _empty_wallet(user_id)


def wallets_of(user_ids: list[int]) -> dict[int, Wallet]:
    """Wallets for a page of members in one query (an empty one for members without)."""
    found = {wallet.user_id: wallet for wallet in db.session.scalars(
        select(Wallet).where(Wallet.user_id.in_(user_ids)).options(selectinload(Wallet.level)))}
    return {user_id: found.get(user_id) or _empty_wallet(user_id) for user_id in user_ids}


def _empty_wallet(user_id: int) -> Wallet:
    return Wallet(user_id=user_id, balance_fen=0, points=0, total_spent_fen=0, growth=0)


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Some fields are invalid."), fields={"reason": _("Please give a reason.")})
    return reason[:255]


def change_balance(user_id: int, delta_fen: int, *, kind: str, ref: str, reason: str = "",
                   staff_id: int | None = None) -> BalanceEntry:
    """Apply one balance change with its ledger row; refuse to go below zero."""
    if (existing := db.session.scalar(select(BalanceEntry).where(BalanceEntry.kind == kind, BalanceEntry.ref == ref))):
        return existing  # already applied: a replay changes nothing
    wallet = wallet_for_update(user_id)
    if wallet.balance_fen + delta_fen < 0:
        raise Conflict(_("The balance is not enough: it cannot go below zero."), code="balance_not_enough",
                       fields={"amount": _("At most %(yuan)s can be deducted.", yuan=_yuan(wallet.balance_fen))})
    wallet.balance_fen += delta_fen
    entry = BalanceEntry(user_id=user_id, delta_fen=delta_fen, balance_after_fen=wallet.balance_fen, kind=kind,
                         ref=ref, reason=reason, staff_id=staff_id)
    db.session.add(entry)
    db.session.flush()
    return entry


def change_points(user_id: int, delta: int, *, kind: str, ref: str, reason: str = "",
                  staff_id: int | None = None) -> PointsEntry:
    if (existing := db.session.scalar(select(PointsEntry).where(PointsEntry.kind == kind, PointsEntry.ref == ref))):
        return existing
    wallet = wallet_for_update(user_id)
    if wallet.points + delta < 0:
        raise Conflict(_("Not enough points: they cannot go below zero."), code="points_not_enough",
                       fields={"amount": _("At most %(points)s points can be deducted.", points=wallet.points)})
    wallet.points += delta
    entry = PointsEntry(user_id=user_id, delta=delta, points_after=wallet.points, kind=kind, ref=ref,
                        reason=reason, staff_id=staff_id)
    db.session.add(entry)
    db.session.flush()
    return entry


def adjust_balance(actor: Actor, user_id: int, delta_fen: int, reason: str, request_key: str) -> BalanceEntry:
    """A staff adjustment; `request_key` (from the form) makes a double submit apply once."""
    reason = _check_reason(reason)
    if delta_fen == 0 or abs(delta_fen) > MAX_ADJUSTMENT_FEN:
        raise ValidationError(_("Some fields are invalid."),
                              fields={"amount": _("Enter a non-zero amount of at most ¥100,000.")})
    before = wallet_of(user_id).balance_fen
    entry = change_balance(user_id, delta_fen, kind="admin_adjust", ref=request_key, reason=reason,
                           staff_id=actor.staff_id)
    audit.record(actor, area="members", action="balance.adjust", target_type="user", target_id=user_id,
                 summary=reason, before={"balance_fen": before}, after={"balance_fen": entry.balance_after_fen})
    return entry


def adjust_points(actor: Actor, user_id: int, delta: int, reason: str, request_key: str) -> PointsEntry:
    reason = _check_reason(reason)
    if delta == 0 or abs(delta) > MAX_POINTS_ADJUSTMENT:
        raise ValidationError(_("Some fields are invalid."), fields={"amount": _("Enter a non-zero number.")})
    before = wallet_of(user_id).points
    entry = change_points(user_id, delta, kind="admin_adjust", ref=request_key, reason=reason,
                          staff_id=actor.staff_id)
    audit.record(actor, area="members", action="points.adjust", target_type="user", target_id=user_id,
                 summary=reason, before={"points": before}, after={"points": entry.points_after})
    return entry


def set_disabled(actor: Actor, user: User, disabled: bool) -> None:
    if user.is_disabled != disabled:
        audit.record(actor, area="members", action="member.disable" if disabled else "member.enable",
                     target_type="user", target_id=user.id, summary=user.nickname,
                     before={"is_disabled": user.is_disabled}, after={"is_disabled": disabled})
        user.is_disabled = disabled
        if disabled:
            user.token_version += 1  # tokens issued before stay dead after re-enabling
        db.session.flush()


def set_level(actor: Actor, user_id: int, level_id: int | None) -> Wallet:
    """The merchant puts a shopper on a level (or none, the regular price); the level's
    discount applies from the shopper's next checkout, which reads the wallet's level. The
    move is logged with the growth-made ones, so the shopper's level history is whole."""
    level = db.session.get(MemberLevel, level_id) if level_id is not None else None
    if level_id is not None and level is None:
        raise ValidationError(_("Some fields are invalid."), fields={"level_id": _("This level does not exist.")})
    wallet = wallet_for_update(user_id)
    before = _wallet_level(wallet)
    level_moves.move(wallet, level, LevelChangeCause.MERCHANT, staff_id=actor.staff_id)
    audit.record(actor, area="members", action="member.level", target_type="user", target_id=user_id,
                 summary=level.name if level else _("Regular"), before=before, after=_wallet_level(wallet))
    return wallet


def _wallet_level(wallet: Wallet) -> dict:
    return {"level_id": wallet.level_id, "level": wallet.level.name if wallet.level else None}


MEMBER_SORTS = {
    "newest": (User.id.desc(),),
    "oldest": (User.id.asc(),),
    "balance": (Wallet.balance_fen.desc(), Wallet.user_id.desc()),
    "points": (Wallet.points.desc(), Wallet.user_id.desc()),
}
_BY_WALLET = ("balance", "points")


def search_members(keyword: str | None = None, sort: str = "newest") -> Select:
    """Members for the console's list, each page one index range: newest or oldest by id, or
    by balance or points down the wallets' (balance_fen) / (points) indexes — there the list
    is the members who have a wallet (a member without one has no balance or points yet to
    rank). The keyword is a member ID, an openid or unionid (exact), or the start of a phone
    number or nickname (indexed ranges; never a scan for text in the middle)."""
    statement = select(User)
    if sort in _BY_WALLET:
        # From the wallets, to their members: an outer join on the members' primary key, which
        # every wallet has (a foreign key), so the page reads down the wallets' index and its
        # count reads the wallets alone (MariaDB leaves out a joined table nothing uses).
        statement = statement.select_from(Wallet).outerjoin(User, User.id == Wallet.user_id)
    statement = statement.order_by(*MEMBER_SORTS.get(sort, MEMBER_SORTS["newest"]))
    keyword = (keyword or "").strip()
    if keyword:
        found = [User.nickname.startswith(keyword, autoescape=True), User.phone.startswith(keyword, autoescape=True),
                 User.mp_openid == keyword, User.oa_openid == keyword, User.unionid == keyword]
        if keyword.isdigit() and int(keyword) <= MAX_ID:
            found.append(User.id == int(keyword))
        statement = statement.where(or_(*found))
    return statement


@dataclass(frozen=True)
class LevelFields:
    """What the console's level form sets: a growth threshold (None: given by hand only), the
    goods discount and points multiplier in basis points, free delivery, a monthly coupon
    template (granted by the coupons part) and the benefits' text."""

    name: str
    growth_threshold: int | None
    discount_bp: int = 10_000
    points_multiplier_bp: int = 10_000
    free_shipping: bool = False
    monthly_coupon_template_id: int | None = None
    benefits: str = ""
    badge_url: str = ""


MAX_GROWTH_THRESHOLD = 100_000_000
MAX_POINTS_MULTIPLIER_BP = 100_000  # 10×


def save_level(actor: Actor, level: MemberLevel | None, fields: LevelFields) -> MemberLevel:
    problems = {}
    if not 1 <= fields.discount_bp <= 10_000:
        problems["discount"] = _("Between 0.01 and 10 (10 means no discount).")
    if fields.growth_threshold is not None and not 0 <= fields.growth_threshold <= MAX_GROWTH_THRESHOLD:
        problems["growth_threshold"] = _("Between %(low)s and %(high)s.", low=0, high=MAX_GROWTH_THRESHOLD)
    if not 10_000 <= fields.points_multiplier_bp <= MAX_POINTS_MULTIPLIER_BP:
        problems["points_multiplier"] = _("Between %(low)s and %(high)s.", low=1, high=10)
    if fields.badge_url and (len(fields.badge_url) > 512 or not is_image_url(fields.badge_url)):
        problems["badge_url"] = _("Choose a picture from the media library.")
    if fields.monthly_coupon_template_id is not None and not 1 <= fields.monthly_coupon_template_id <= MAX_ID:
        problems["monthly_coupon_template_id"] = _("This coupon does not exist.")
    clash = db.session.scalar(select(MemberLevel).where(MemberLevel.name == fields.name))
    if clash is not None and clash is not level:
        problems["name"] = _("This name is taken.")
    if fields.growth_threshold is not None and "growth_threshold" not in problems:
        same = db.session.scalar(select(MemberLevel).where(MemberLevel.growth_threshold == fields.growth_threshold))
        if same is not None and same is not level:
            problems["growth_threshold"] = _("“%(level)s” already has this growth threshold.", level=same.name)
    if problems:
        raise ValidationError(_("Some fields are invalid."), fields=problems)
    before = _level_snapshot(level) if level else None
    if level is None:
        level = MemberLevel()
        db.session.add(level)
    for name in LEVEL_COLUMNS:
        setattr(level, name, getattr(fields, name))
    db.session.flush()
    media_usage.record(media_usage.UsageOwner.MEMBER_LEVEL, level.id, [level.badge_url], level.name)
    audit.record(actor, area="members", action="level.save", target_type="member_level", target_id=level.id,
                 summary=fields.name, before=before, after=_level_snapshot(level))
    return level


LEVEL_COLUMNS = ("name", "growth_threshold", "discount_bp", "points_multiplier_bp", "free_shipping",
                 "monthly_coupon_template_id", "benefits", "badge_url")


def _level_snapshot(level: MemberLevel) -> dict:
    return {name: getattr(level, name) for name in LEVEL_COLUMNS}


def _yuan(fen: int) -> str:
    return "¥" + fen_to_yuan(fen)
