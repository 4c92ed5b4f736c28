"""The per-agent rollups recomputed from their sources: the commission lines (grouped by
beneficiary and the Beijing day each was created) and the binding events (new bindings by
referrer and day); weeks and months are sums of days. `rebuild` writes them (a generated shop,
or a repair: `flask distribution rebuild-rollups`), and `flask distribution verify` compares
the same statements with what the ledger kept — all in the database, one pass each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Date, Select, case, delete, func, insert, literal, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.core.china_time import day_start_utc
from app.distribution.agent_models import BindingEvent
from app.distribution.commission_models import CommissionLine
from app.distribution.rollup_models import FIGURES, AgentRollup, Span
from app.distribution.states import LineStatus
from app.extensions import db


class beijing_day(FunctionElement):
    """The Beijing calendar day of a naive-UTC timestamp column."""

    type = Date()
    inherit_cache = True


class week_start(FunctionElement):
    """The Monday on or before a day."""

    type = Date()
    inherit_cache = True


class month_start(FunctionElement):
    """The first of a day's month."""

    type = Date()
    inherit_cache = True


@compiles(beijing_day)
def _beijing_day(element, compiler, **kw):
    return f"DATE(DATE_ADD({compiler.process(element.clauses, **kw)}, INTERVAL 8 HOUR))"


@compiles(beijing_day, "sqlite")
def _beijing_day_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


@compiles(week_start)
def _week_start(element, compiler, **kw):
    day = compiler.process(element.clauses, **kw)
    return f"DATE_SUB({day}, INTERVAL WEEKDAY({day}) DAY)"


@compiles(week_start, "sqlite")
def _week_start_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '-6 days', 'weekday 1')"


@compiles(month_start)
def _month_start(element, compiler, **kw):
    day = compiler.process(element.clauses, **kw)
    return f"DATE_SUB({day}, INTERVAL DAYOFMONTH({day}) - 1 DAY)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


SPAN_START = {Span.WEEK: week_start, Span.MONTH: month_start}


@dataclass(frozen=True)
class Scope:
    """Whose rows, and which days (inclusive; None: no bound)."""

    agent_id: int | None = None
    since: date | None = None
    until: date | None = None


EVERYONE = Scope()


def _dated(column, scope: Scope) -> list:
    filters = []
    if scope.since is not None:
        filters.append(column >= day_start_utc(scope.since))
    if scope.until is not None:
        filters.append(column < day_start_utc(scope.until + timedelta(days=1)))
    return filters


def source_rows(scope: Scope = EVERYONE, *tagged) -> tuple[Select, Select]:
    """The lines' figures and the new bindings, each summed by user and Beijing day (two
    SELECTs, for a UNION ALL: SQLite takes no nested compound): (user_id, start_day, *tagged,
    the figures). Grouped in each branch so a union of millions of lines is never
    materialised; `tagged` are constant columns (verify marks which side a row is on)."""
    line = CommissionLine
    net = line.amount_fen - line.cancelled_fen - line.clawed_back_fen
    of_status = {status: case((line.status == status, net), else_=0)
                 for status in (LineStatus.PENDING, LineStatus.FROZEN, LineStatus.AVAILABLE)}
    line_values = {"accrued_fen": func.sum(line.amount_fen), "cancelled_fen": func.sum(line.cancelled_fen),
                   "clawed_back_fen": func.sum(line.clawed_back_fen),
                   "pending_fen": func.sum(of_status[LineStatus.PENDING]),
                   "frozen_fen": func.sum(of_status[LineStatus.FROZEN]),
                   "available_fen": func.sum(of_status[LineStatus.AVAILABLE]), "net_fen": func.sum(net),
                   "invites": literal(0)}
    line_day = beijing_day(line.created_at)
    lines = (select(line.beneficiary_user_id.label("user_id"), line_day.label("start_day"),
                    *tagged, *(line_values[figure].label(figure) for figure in FIGURES))
             .where(line.amount_fen > 0, *_dated(line.created_at, scope))
             .group_by(line.beneficiary_user_id, line_day))
    event = BindingEvent
    event_day = beijing_day(event.created_at)
    binds = (select(event.referrer_user_id.label("user_id"), event_day.label("start_day"), *tagged,
                    *((func.count() if figure == "invites" else literal(0)).label(figure) for figure in FIGURES))
             .where(event.action == "bind", event.referrer_user_id.is_not(None), *_dated(event.created_at, scope))
             .group_by(event.referrer_user_id, event_day))
    if scope.agent_id is not None:
        lines = lines.where(line.beneficiary_user_id == scope.agent_id)
        binds = binds.where(event.referrer_user_id == scope.agent_id)
    return lines, binds


def days_from_sources(scope: Scope = EVERYONE) -> Select:
    rows = union_all(*source_rows(scope)).subquery()
    return (select(rows.c.user_id, literal(Span.DAY.value).label("span"), rows.c.start_day,
                   *(func.sum(rows.c[figure]).label(figure) for figure in FIGURES))
            .group_by(rows.c.user_id, rows.c.start_day))


def spans_from_days(span: Span, agent_id: int | None = None) -> Select:
    start = SPAN_START[span](AgentRollup.start_day)
    return (select(AgentRollup.user_id, literal(span.value).label("span"), start.label("start_day"),
                   *(func.sum(getattr(AgentRollup, figure)).label(figure) for figure in FIGURES))
            .where(AgentRollup.span == Span.DAY,
                   *([AgentRollup.user_id == agent_id] if agent_id is not None else []))
            .group_by(AgentRollup.user_id, start))


def rebuild(agent_id: int | None = None) -> int:
    """Replace every rollup (or one agent's) with what the lines and binding events say; the
    number of rows written. Run it while nothing accrues for the agents it rebuilds (a
    generated shop, a repair), and commit after."""
    rows = AgentRollup.__table__
    only = [rows.c.user_id == agent_id] if agent_id is not None else []
    db.session.execute(delete(rows).where(*only))
    columns = ["user_id", "span", "start_day", *FIGURES]
    written = db.session.execute(insert(rows).from_select(columns, days_from_sources(Scope(agent_id)))).rowcount
    for span in (Span.WEEK, Span.MONTH):
        written += db.session.execute(insert(rows).from_select(columns, spans_from_days(span, agent_id))).rowcount
    return int(written or 0)
