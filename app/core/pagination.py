"""Bounded page/size pagination for list endpoints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select

from app.core.request_models import Query
from app.extensions import db

MAX_PAGE_SIZE = 100

T = TypeVar("T")


class PageQuery(Query):
    page: int = Field(1, ge=1, le=100_000, description="1-based page number")
    size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="items per page")


class Page(BaseModel, Generic[T]):
    items: list[T]
    page: int
    size: int
    total: int


def paginate(statement: Select, query: PageQuery, serialise: Callable[[Any], Any]) -> dict:
    """Run `statement` for one page; `total` counts the whole, unpaged result."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = db.session.scalars(statement.limit(query.size).offset((query.page - 1) * query.size))
    return {
        "items": [serialise(row) for row in rows],
        "page": query.page,
        "size": query.size,
        "total": total or 0,
    }


def paginate_list(items: list, query: PageQuery) -> dict:
    """The same page shape for a list already in memory."""
    start = (query.page - 1) * query.size
    return {"items": items[start:start + query.size], "page": query.page, "size": query.size, "total": len(items)}


def count_rows(statement: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0

