"""Flash sale sessions: checked (no overlap among enabled ones, within the day), audited, and
their occurrences on a Beijing day as UTC times — the storefront's past / now / coming."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.audit.services import SYSTEM
from app.core.errors import Conflict, ValidationError
from app.extensions import db
from app.marketing import flash_sessions
from app.marketing.flash_schedule import Phase, day_occurrences, today_sessions
from tests import factories
from tests.flash_helpers import sale, session


def _values(**changes):
    return {"name": "10:00场", "start_minute": 600, "duration_minutes": 120, **changes}


def test_enabled_sessions_may_not_overlap_but_a_disabled_one_may(app):
    session("10:00场", "10:00", 120)
    with pytest.raises(ValidationError) as refused:
        flash_sessions.create_session(SYSTEM, _values(name="11:00场", start_minute=660))
    assert "10:00场" in refused.value.fields["start_minute"]
    flash_sessions.create_session(SYSTEM, _values(name="12:00场", start_minute=720))  # touching is fine
    flash_sessions.create_session(SYSTEM, _values(name="备用", start_minute=660, is_enabled=False))
    db.session.commit()
    assert [s.name for s in flash_sessions.session_list()] == ["10:00场", "备用", "12:00场"]


def test_a_session_ends_by_midnight_and_has_a_name_and_a_length(app):
    with pytest.raises(ValidationError) as refused:
        flash_sessions.create_session(SYSTEM, {"name": "", "start_minute": 1380, "duration_minutes": 120})
    assert set(refused.value.fields) == {"name", "duration_minutes"}
    with pytest.raises(ValidationError) as refused:
        flash_sessions.create_session(SYSTEM, _values(start_minute=1440, duration_minutes=0))
    assert set(refused.value.fields) == {"start_minute", "duration_minutes"}


def test_editing_a_session_checks_against_the_others_only_and_is_audited(app):
    ten = session("10:00场", "10:00", 120)
    session("14:00场", "14:00", 60)
    flash_sessions.update_session(SYSTEM, ten, _values(duration_minutes=180))  # its own old slot is no clash
    db.session.commit()
    with pytest.raises(ValidationError):
        flash_sessions.update_session(SYSTEM, ten, _values(duration_minutes=300))
    db.session.rollback()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "flash_session.update"))
    assert entry.before == {"ends": "12:00"} and entry.after == {"ends": "13:00"}


def test_a_session_an_activity_runs_in_cannot_be_deleted(app):
    ten, spare = session("10:00场", "10:00"), session("20:00场", "20:00")
    sku = factories.product(factories.category(), price_fen=5000, stock=10).skus[0]
    sale([(sku, 1990, 2)], [ten])
    with pytest.raises(Conflict):
        flash_sessions.delete_session(SYSTEM, ten)
    flash_sessions.delete_session(SYSTEM, spare)
    db.session.commit()
    assert [s.name for s in flash_sessions.session_list()] == ["10:00场"]


def test_occurrences_are_beijing_times_in_utc_across_midnight(app):
    early, late = session("00:00场", "00:00", 60), session("22:00场", "22:00", 120)
    day = date(2026, 12, 8)
    first, last = day_occurrences(day, [late, early])
    # 00:00–01:00 Beijing on the 8th is 16:00–17:00 UTC on the 7th
    assert (first.starts_at, first.ends_at) == (datetime(2026, 12, 7, 16), datetime(2026, 12, 7, 17))
    # 22:00–24:00 Beijing is 14:00–16:00 UTC the same day; it ends where the 9th begins
    assert (last.starts_at, last.ends_at) == (datetime(2026, 12, 8, 14), datetime(2026, 12, 8, 16))
    assert first.scope == f"session:{early.id}:2026-12-08"


def test_todays_sessions_are_past_now_or_coming_with_the_next_one(app):
    session("10:00场", "10:00", 120)
    session("14:00场", "14:00", 120)
    session("20:00场", "20:00", 120)
    session("停用场", "23:00", 30, enabled=False)
    # 15:00 Beijing on the 8th = 07:00 UTC
    today = today_sessions(datetime(2026, 12, 8, 7))
    assert [(occ.name, phase) for occ, phase in today.sessions] == [
        ("10:00场", Phase.PAST), ("14:00场", Phase.NOW), ("20:00场", Phase.COMING)]
    assert today.current.name == "14:00场" and today.next.name == "20:00场"
    # 23:30 Beijing: all over, the next is tomorrow's first (10:00 on the 9th = 02:00 UTC)
    late = today_sessions(datetime(2026, 12, 8, 15, 30))
    assert late.current is None
    assert (late.next.name, late.next.day, late.next.starts_at) == ("10:00场", date(2026, 12, 9),
                                                                     datetime(2026, 12, 9, 2))
    # 00:30 Beijing on the 9th is still the 8th in UTC: the Beijing day decides
    after_midnight = today_sessions(datetime(2026, 12, 8, 16, 30))
    assert {occ.day for occ, _phase in after_midnight.sessions} == {date(2026, 12, 9)}
    assert all(phase == Phase.COMING for _occ, phase in after_midnight.sessions)
