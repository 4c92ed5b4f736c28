"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.extensions import db


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_chinese_text_and_emoji_survive_a_round_trip(app):
    from app.accounts.models import User

    db.session.add(User(nickname="小花🌸"))
    db.session.commit()
    db.session.expire_all()
    assert db.session.query(User).one().nickname == "小花🌸"
