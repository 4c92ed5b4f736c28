"""The merchant's and the clock's side of the mini-program's end-to-end journey.

The journey drives the shopper and the agent through the mini-program's own API module; what
only the merchant (console) or time can do is done here, by calling the same domain services
the console and the cron jobs call, on the server's instance (same database and secret key):

    python merchant.py agent                 -> {"user_id", "invite_code", "token"} of a seeded agent
    python merchant.py ship ORDER_ID         -> the merchant ships every item in one parcel
    python merchant.py release DAYS          -> the commission release sweep, DAYS from now
    python merchant.py approve WITHDRAWAL_ID -> the merchant approves a withdrawal

Test tooling only: nothing here is reachable over HTTP.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta


def main(argv: list[str]) -> dict:
    from app import create_app

    app = create_app()
    with app.app_context():
        return COMMANDS[argv[0]](*argv[1:])


def seeded_agent() -> dict:
    from sqlalchemy import select

    from app.accounts.models import User
    from app.accounts.services import token_for
    from app.distribution.agent_models import Agent

    agent, user = app_db().session.execute(
        select(Agent, User).join(User, User.id == Agent.user_id)
        .where(Agent.status == "active", User.nickname == "分销·店长")).one()
    return {"user_id": user.id, "invite_code": agent.invite_code, "token": token_for(user)}


def ship(order_id: str) -> dict:
    from app.orders import fulfilment, oplog

    parcel = fulfilment.ship_all(int(order_id), "SF", f"SF{int(order_id):010d}", oplog.staff(None, "e2e"))
    app_db().session.commit()
    return {"parcel_id": parcel.id}


def release(days: str) -> dict:
    from app.core.models import utcnow
    from app.distribution import settlement

    later = utcnow() + timedelta(days=int(days))
    released = sum(settlement.release_line(line_id, now=later)
                   for line_id in settlement.due_line_ids(now=later))
    app_db().session.commit()
    return {"released": released}


def approve(withdrawal_id: str) -> dict:
    from app.audit.services import SYSTEM
    from app.distribution import withdrawals

    withdrawal = withdrawals.approve(SYSTEM, int(withdrawal_id))
    app_db().session.commit()
    return {"status": withdrawal.status}


def app_db():
    from app.extensions import db

    return db


COMMANDS = {"agent": seeded_agent, "ship": ship, "release": release, "approve": approve}

if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
