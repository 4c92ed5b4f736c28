"""Which poster brought whom: a scan row per opened code, read back per template and agent.

Two ways in: the mini-program reports the scene it was opened with (wxacode, or a link's
`scene` parameter) and we bind the shopper with that scan's time; an official-account QR scan
arrives as `referral.scanned` (the distribution domain binds the touch, at once or when the fan
first opens the mini-program). A scan gained a new shopper when the shopper's first binding
to that agent names the scan's touch, or (mini-program) carries the scan's time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, distinct, exists, func, or_, select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import User
from app.core.models import utcnow
from app.distribution import binding
from app.distribution.agent_models import Agent, BindingEvent
from app.extensions import db
from app.posters.codes import parse_scene
from app.posters.models import PosterScan
from app.posters.templates import catalogue

SOURCES = ("wxacode", "oa_qr", "link")


@dataclass(frozen=True)
class ScanOutcome:
    recorded: bool
    template_key: str | None
    bind_result: str  # bound | rebound | unchanged | refused | none


def template_key_for(short_id: str | None) -> str | None:
    if not short_id:
        return None
    for template in catalogue().templates.values():
        if template.spec.short_id == short_id:
            return template.key
    return None


def _agent_user_id(invite_code: str | None) -> int | None:
    if not invite_code:
        return None
    return db.session.scalar(select(Agent.user_id).where(Agent.invite_code == invite_code))


def record_scan(*, template_key: str, agent_user_id: int | None, user_id: int | None, product_id: int | None,
                source: str, new_fan: bool, dedup_key: str, scanned_at: datetime, touch_id: int | None = None) -> bool:
    """Insert the scan once; False when this scan (by its dedup key) was already counted."""
    row = PosterScan(template_key=template_key, agent_user_id=agent_user_id, user_id=user_id, product_id=product_id,
                     source=source, new_fan=new_fan, dedup_key=dedup_key[:160], scanned_at=scanned_at,
                     touch_id=touch_id)
    try:
        with db.session.begin_nested():
            db.session.add(row)
        return True
    except IntegrityError:
        return False


def open_scene(user_id: int, scene: str, source: str = "wxacode", *, now: datetime | None = None) -> ScanOutcome:
    """The mini-program was opened from a poster's code or link: count it (once per shopper,
    code and day) and bind the shopper to the agent, with the same time on both."""
    if source not in ("wxacode", "link"):
        raise ValueError(f"unknown scan source {source!r}")
    now = (now or utcnow()).replace(microsecond=0)
    parsed = parse_scene(scene)
    key = template_key_for(parsed.short_id)
    result = "none"
    if parsed.invite_code:
        result = binding.bind(user_id, parsed.invite_code, "wxacode" if source == "wxacode" else "link",
                              now=now).result
    if key is None:
        return ScanOutcome(False, None, result)
    recorded = record_scan(template_key=key, agent_user_id=_agent_user_id(parsed.invite_code), user_id=user_id,
                           product_id=parsed.product_id, source=source, new_fan=False,
                           dedup_key=f"{source}:{user_id}:{scene}:{now.date().isoformat()}", scanned_at=now)
    return ScanOutcome(recorded, key, result)


def record_touch(touch_id: int) -> bool:
    """An official-account QR scan (SceneTouch) of a poster code: counted once per touch."""
    from app.officialaccount.models import SceneTouch

    touch = db.session.get(SceneTouch, touch_id)
    if touch is None:
        return False
    parsed = parse_scene(touch.scene)
    key = template_key_for(parsed.short_id)
    if key is None:
        return False
    return record_scan(template_key=key, agent_user_id=_agent_user_id(parsed.invite_code), user_id=touch.user_id,
                       product_id=parsed.product_id, source="oa_qr", new_fan=touch.event == "subscribe",
                       dedup_key=f"oa_qr:{touch.id}", scanned_at=touch.created_at, touch_id=touch.id)


# -- the report ---------------------------------------------------------------------------------
def _gained_shopper():
    """1 for a scan that made the scanner's first binding to the scan's agent: the binding
    names the scan's touch (official account), or carries the scan's time (mini-program)."""
    caused_by_scan = or_(
        and_(PosterScan.touch_id.is_not(None), BindingEvent.touch_id == PosterScan.touch_id),
        and_(PosterScan.touch_id.is_(None), BindingEvent.touch_id.is_(None),
             BindingEvent.created_at == PosterScan.scanned_at))
    return case((exists().where(and_(
        BindingEvent.user_id == PosterScan.user_id, BindingEvent.referrer_user_id == PosterScan.agent_user_id,
        BindingEvent.action == "bind", caused_by_scan)), 1), else_=0)


def _measures():
    return (func.count(PosterScan.id).label("scans"), func.count(distinct(PosterScan.user_id)).label("scanners"),
            func.sum(case((PosterScan.new_fan.is_(True), 1), else_=0)).label("new_fans"),
            func.sum(_gained_shopper()).label("new_shoppers"))


def _window(statement, since: datetime | None, until: datetime | None):
    if since:
        statement = statement.where(PosterScan.scanned_at >= since)
    if until:
        statement = statement.where(PosterScan.scanned_at < until)
    return statement


def by_template(since: datetime | None = None, until: datetime | None = None) -> list[dict]:
    statement = _window(select(PosterScan.template_key, *_measures()).group_by(PosterScan.template_key), since, until)
    names = {key: template.spec.name for key, template in catalogue().templates.items()}
    rows = [{"template_key": row.template_key, "name": names.get(row.template_key, row.template_key),
             "scans": row.scans, "scanners": row.scanners, "new_fans": int(row.new_fans or 0),
             "new_shoppers": int(row.new_shoppers or 0)} for row in db.session.execute(statement)]
    return sorted(rows, key=lambda row: (-row["new_shoppers"], -row["scans"], row["template_key"]))


def by_agent(since: datetime | None = None, until: datetime | None = None, limit: int = 100) -> list[dict]:
    statement = _window(
        select(PosterScan.agent_user_id, User.nickname, Agent.invite_code, *_measures())
        .join(User, User.id == PosterScan.agent_user_id).outerjoin(Agent, Agent.user_id == PosterScan.agent_user_id)
        .where(PosterScan.agent_user_id.is_not(None))
        .group_by(PosterScan.agent_user_id, User.nickname, Agent.invite_code), since, until)
    rows = [{"agent_user_id": row.agent_user_id, "nickname": row.nickname, "invite_code": row.invite_code or "",
             "scans": row.scans, "scanners": row.scanners, "new_fans": int(row.new_fans or 0),
             "new_shoppers": int(row.new_shoppers or 0)} for row in db.session.execute(statement)]
    rows.sort(key=lambda row: (-row["new_shoppers"], -row["scans"], row["agent_user_id"]))
    return rows[:limit]
