"""Response shapes shared by API modules."""

from __future__ import annotations

from pydantic import BaseModel


class UserOut(BaseModel):
    id: int
    nickname: str
    avatar_url: str
    has_phone: bool


def user_out(user) -> dict:
    return UserOut(id=user.id, nickname=user.nickname, avatar_url=user.avatar_url,
                   has_phone=bool(user.phone)).model_dump()
