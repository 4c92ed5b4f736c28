"""Demo accounts: the shop owner (password generated, printed once) and a few shoppers."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts import services as shoppers
from app.accounts import staff as accounts
from app.accounts.models import User
from app.extensions import db

DEMO_SHOPPERS = (
    ("xiaohua", "张小花"),
    ("dazhuang", "李大壮"),
    ("wangfang", "王芳"),
    ("zhaolei", "赵磊"),
    ("chenjing", "陈静"),
)


def seed_accounts() -> list[str]:
    report: list[str] = []
    if accounts.find_staff("admin") is None:
        password = accounts.generate_password()
        accounts.create_staff("admin", password, role="owner", display_name="店主")
        report.append(f"console login: admin / {password}  (shown once; `flask staff set-password admin` resets it)")
    else:
        report.append("console login: admin (password was printed when it was created)")
    created = 0
    for name, nickname in DEMO_SHOPPERS:  # the sandbox's WeChat users of the same names
        openid, unionid = shoppers.dev_person(name)
        if db.session.scalar(select(User.id).where(User.mp_openid == openid)) is None:
            db.session.add(User(mp_openid=openid, unionid=unionid, nickname=nickname, is_test=True))
            created += 1
    db.session.flush()
    report.append(f"shoppers: {created} created, {len(DEMO_SHOPPERS) - created} already there")
    return report
