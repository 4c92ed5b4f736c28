"""The yearly level review (optional: the growth rules' `yearly_downgrade`).

The rule: at the start of each Beijing calendar year, a shopper keeps only the growth they
earned in the year just ended (the net of that year's entries, at most what they held when
it ended, never below zero); the rest expires with a `yearly_expiry` growth entry. Their level
is then the highest growth-threshold level their growth still reaches — a downgrade, never an
upgrade (growth upgrades as it comes). A level the merchant gave by hand (one without a
threshold) stays. Growth earned in the new year before the review ran is kept.

The review walks the wallets in keyset batches, each batch one transaction that also moves
the bookmark in the growth settings row (locked), so a run cut short resumes where it
stopped, a batch replayed changes nothing (the expiry's ref is unique: year and shopper),
and once the year is done another run does nothing.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_, select

from app.core.china_time import day_start_utc, to_beijing
from app.extensions import db
from app.members import growth, growth_settings, level_moves
from app.members.growth_models import GrowthKind, LevelChangeCause
from app.members.models import GrowthEntry, Wallet

BATCH = 500


def _sums(user_ids: list[int], *conditions) -> dict[int, int]:
    return {user_id: int(total) for user_id, total in db.session.execute(
        select(GrowthEntry.user_id, func.sum(GrowthEntry.delta))
        .where(GrowthEntry.user_id.in_(user_ids), *conditions).group_by(GrowthEntry.user_id))}


def review_batch(now: datetime) -> int:
    """Review the next batch of wallets for `now`'s Beijing year; how many were reviewed
    (0 when the downgrade is off or the year is done)."""
    if not growth_settings.current().yearly_downgrade:
        return 0
    bookmark = growth_settings.locked()
    year = to_beijing(now).year
    if bookmark.review_year != year:
        bookmark.review_year, bookmark.review_after_user_id, bookmark.review_done = year, 0, False
    if bookmark.review_done:
        return 0
    wallets = list(db.session.scalars(
        select(Wallet).where(Wallet.user_id > bookmark.review_after_user_id,
                             or_(Wallet.growth != 0, Wallet.level_id.is_not(None)))
        .order_by(Wallet.user_id).limit(BATCH).with_for_update()))
    if wallets:
        year_start, last_year_start = day_start_utc(date(year, 1, 1)), day_start_utc(date(year - 1, 1, 1))
        user_ids = [wallet.user_id for wallet in wallets]
        since = _sums(user_ids, GrowthEntry.created_at >= year_start)
        last_year = _sums(user_ids, GrowthEntry.created_at >= last_year_start, GrowthEntry.created_at < year_start)
        for wallet in wallets:
            _review(wallet, year, wallet.growth - since.get(wallet.user_id, 0), last_year.get(wallet.user_id, 0))
        bookmark.review_after_user_id = user_ids[-1]
    bookmark.review_done = len(wallets) < BATCH
    db.session.flush()
    return len(wallets)


def _review(wallet: Wallet, year: int, held_at_year_start: int, earned_last_year: int) -> None:
    expires = held_at_year_start - min(max(earned_last_year, 0), held_at_year_start)
    if held_at_year_start > 0 and expires > 0:
        growth.change_growth(wallet.user_id, -expires, kind=GrowthKind.YEARLY_EXPIRY,
                             ref=f"{year}:{wallet.user_id}", reason=str(year))
    current = wallet.level
    if current is None or current.growth_threshold is None:
        return
    reached = level_moves.reachable_level(wallet.growth)
    if reached is None or reached.growth_threshold < current.growth_threshold:
        level_moves.move(wallet, reached, LevelChangeCause.YEARLY_REVIEW)


def review(now: datetime) -> int:
    """Every batch, each committed on its own (for the CLI and tests; the job chains itself)."""
    reviewed = 0
    while (count := review_batch(now)):
        db.session.commit()
        reviewed += count
    db.session.commit()
    return reviewed
