"""Shopper login and identity."""

from __future__ import annotations

from flask import abort, current_app, jsonify
from pydantic import BaseModel, Field

from app.accounts import services as accounts
from app.api import bp
from app.api.current_user import current_user, login_required
from app.api.schemas import UserOut, user_out
from app.core.request_models import Body, Text
from app.core.validation import documented, use_body
from app.extensions import db
from app.members.services import wallet_of


class DevLoginIn(Body):
    name: str = Field(min_length=1, max_length=32, pattern=accounts.DEV_NAME.pattern,
                      description="test user name, e.g. alice")
    nickname: Text | None = Field(None, max_length=64)


class MeOut(UserOut):
    points: int
    balance_fen: int = Field(description="the store balance, spendable at checkout")


class TokenOut(BaseModel):
    token: str
    expires_in: int
    user: UserOut


@bp.post("/auth/dev-login")
@documented(summary="Sandbox only: log in as a named test user without WeChat", response=TokenOut,
            tags=("auth",))
@use_body(DevLoginIn)
def dev_login(body: DevLoginIn):
    if not current_app.config["WECHAT_SANDBOX"]:
        abort(404)
    user = accounts.dev_login(body.name, body.nickname)
    db.session.commit()
    return jsonify(token=accounts.token_for(user),
                   expires_in=current_app.config["API_TOKEN_MAX_AGE"], user=user_out(user))


@bp.get("/me")
@documented(summary="The logged-in shopper, with their points and store balance", response=MeOut, auth=True,
            tags=("auth",))
@login_required
def me():
    user = current_user()
    user.touch()
    wallet = wallet_of(user.id)
    db.session.commit()
    return jsonify({**user_out(user), "points": wallet.points, "balance_fen": wallet.balance_fen})
