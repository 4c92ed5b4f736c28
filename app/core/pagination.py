"""Pages of a list for the console and the API: keyset cursors, a few numbered pages, and
totals counted only up to a cap.

Why this shape, at 5M orders:
- A cursor (`next_cursor` / `prev_cursor`, handed back as `cursor`) seeks to the row after
  (or before) the edge of the page shown, one index range whatever the depth (see
  app.core.keyset). Every "next" and "previous" link the console and the mini-program
  follow is a cursor.
- `page=N` stays accepted for the first NUMBERED_PAGES pages only (OFFSET skips at most
  49 × 100 = 4,900 rows, read from the index in a few ms): links and clients that ask for
  page 2 or 3 keep working, and nobody can make the database skip a million rows. Deeper
  than that is refused (422): deep pages are reached by following cursors.
- `total` is counted up to COUNT_CAP rows (a LIMITed subquery reads at most COUNT_CAP + 1
  index entries); past that the answer says `total_capped` and the console shows
  "10,000+". Nobody pages through ten thousand rows; they filter.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from sqlalchemy import Select, func, literal_column, select

from app.core import cursors
from app.core.cursors import InvalidCursor
from app.core.keyset import Key, after, keys_of
from app.core.request_models import Query
from app.extensions import db

MAX_PAGE_SIZE = 100
NUMBERED_PAGES = 50
COUNT_CAP = 10_000
_MAX_PAGE_NUMBER = 10 ** 9

T = TypeVar("T")


class PageNumberQuery(Query):
    """Page numbers only, for lists that are small by nature (the storefront's catalogue)."""

    page: int = Field(1, ge=1, le=100_000, description="1-based page number")
    size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="items per page")


class PageQuery(PageNumberQuery):
    page: int = Field(1, ge=1, le=NUMBERED_PAGES,
                      description=f"1-based page number, for the first {NUMBERED_PAGES} pages; "
                                  "beyond, follow `next_cursor`")
    cursor: str | None = Field(None, max_length=cursors.MAX_LENGTH, pattern=cursors.PATTERN,
                               description="the `next_cursor` or `prev_cursor` of an earlier answer (opaque); "
                                           "when given, `page` is ignored. One that was not handed out by "
                                           "this list is refused with 400 invalid_cursor")


class NumberedPage(BaseModel, Generic[T]):
    items: list[T]
    page: int
    size: int
    total: int


class Page(BaseModel, Generic[T]):
    items: list[T]
    page: int = Field(description="1-based number of this page")
    size: int
    total: int = Field(description=f"how many items the list holds, counted up to {COUNT_CAP:,}")
    total_capped: bool = Field(description=f"true when the list holds more than {COUNT_CAP:,} items (`total`)")
    next_cursor: str | None = Field(description="pass as `cursor` for the next page; null on the last page")
    prev_cursor: str | None = Field(description="pass as `cursor` for the previous page; null on the first page")


def paginate(statement: Select, query: PageQuery, serialise: Callable[[Any], Any],
             count: Select | int | None = None) -> dict:
    """One page of `statement`, which must be ordered by keys ending in a unique one (e.g.
    `id desc`): the page `query.cursor` points at, else page `query.page` (OFFSET, bounded
    by PageQuery). Items are the statement's first column (an entity or a value), passed
    through `serialise`. `count`, when the caller has a cheaper source of the same number: a
    statement selecting as many rows as `statement` (counted up to the cap the same way), or
    the number itself (a kept counter)."""
    keys = keys_of(statement)
    name = cursors.fingerprint(cursors.shape_of(statement))  # the list's shape, not its parameters' values
    width = len(statement.column_descriptions)  # entities count once, as in a result row
    keyed = statement.add_columns(*(key.expression.label(f"page_key_{index}") for index, key in enumerate(keys)))
    cursor = getattr(query, "cursor", None)
    if cursor:
        rows, number, more_before, more_after = _seek(keyed, keys, *_read_cursor(cursor, name, keys), query.size)
    else:
        number = query.page
        rows = _rows(keyed.offset((number - 1) * query.size), query.size + 1)
        rows, more_before, more_after = rows[:query.size], number > 1, len(rows) > query.size
    if isinstance(count, int):
        total, capped = min(count, COUNT_CAP), count > COUNT_CAP
    else:
        total, capped = capped_count(statement if count is None else count)

    def cursor_at(row: Any, backwards: bool, page_number: int) -> str:
        values = row[width:]
        return cursors.encode({"f": name, "k": [cursors.dump_value(value) for value in values],
                               "b": backwards, "p": max(page_number, 1)})

    # An empty page (past the end, or every row after the cursor gone) has no edge to seek from.
    return {
        "items": [serialise(row[0]) for row in rows],
        "page": number,
        "size": query.size,
        "total": total,
        "total_capped": capped,
        "next_cursor": cursor_at(rows[-1], False, number + 1) if rows and more_after else None,
        "prev_cursor": cursor_at(rows[0], True, number - 1) if rows and more_before else None,
    }


def _seek(keyed: Select, keys: list[Key], values: list[Any], backwards: bool, number: int,
          size: int) -> tuple[list, int, bool, bool]:
    """(rows, page number, more before, more after) for the page after the cursor's row, or
    the page before it (read in reverse order, then turned round)."""
    if not backwards:
        rows = _rows(keyed.where(after(keys, values)), size + 1)
        return rows[:size], number, True, len(rows) > size
    reverse = [key.reversed() for key in keys]
    rows = _rows(keyed.where(after(reverse, values)).order_by(None).order_by(*(key.clause() for key in reverse)),
                 size + 1)
    if len(rows) > size:  # rows may have arrived before the first page since: still a page before
        return rows[:size][::-1], max(number, 2), True, True
    rows = _rows(keyed, size + 1)  # back at the start: the first page, full even if rows came and went
    return rows[:size], 1, False, len(rows) > size


def _rows(statement: Select, limit: int) -> list:
    return db.session.execute(statement.limit(limit)).all()


def _read_cursor(token: str, name: str, keys: list[Key]) -> tuple[list[Any], bool, int]:
    payload = cursors.decode(token)
    raw, backwards, number = payload.get("k"), payload.get("b"), payload.get("p")
    if (set(payload) != {"f", "k", "b", "p"} or payload["f"] != name or not isinstance(raw, list)
            or len(raw) != len(keys) or not isinstance(backwards, bool) or not _page_number(number)):
        raise InvalidCursor()
    values = [cursors.load_value(value, key.python_type, key.nullable) for value, key in zip(raw, keys, strict=True)]
    return values, backwards, number


def _page_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= _MAX_PAGE_NUMBER


def paginate_list(items: list, query: PageQuery) -> dict:
    """The same page shape for a short list already in memory; its cursors hold an offset."""
    size = query.size
    cursor = getattr(query, "cursor", None)
    if cursor:
        payload = cursors.decode(cursor)
        start, number = payload.get("i"), payload.get("p")
        if set(payload) != {"f", "i", "p"} or payload["f"] != "list" or not _page_number(number) \
                or not isinstance(start, int) or isinstance(start, bool) or not 0 <= start <= len(items):
            raise InvalidCursor()
        if start == 0:
            number = 1
    else:
        number = query.page
        start = (number - 1) * size
    total = len(items)

    def cursor_at(offset: int, page_number: int) -> str:
        return cursors.encode({"f": "list", "i": offset, "p": max(page_number, 1)})

    return {
        "items": items[start:start + size], "page": number, "size": size,
        "total": min(total, COUNT_CAP), "total_capped": total > COUNT_CAP,
        "next_cursor": cursor_at(start + size, number + 1) if start + size < total else None,
        "prev_cursor": cursor_at(max(start - size, 0), number - 1) if start > 0 else None,
    }


def capped_count(statement: Select, cap: int = COUNT_CAP) -> tuple[int, bool]:
    """(rows, more): how many rows `statement` selects, counted up to `cap`, and whether there
    are more. The subquery selects a constant, so it reads only what its WHERE needs (an
    index, for the lists' filters) and stops after cap + 1 rows."""
    inner = (statement.with_only_columns(literal_column("1"), maintain_column_froms=True)
             .order_by(None).limit(cap + 1).subquery())
    counted = db.session.scalar(select(func.count()).select_from(inner)) or 0
    return min(counted, cap), counted > cap


def count_rows(statement: Select, cap: int = COUNT_CAP) -> int:
    """How many rows `statement` selects, counted up to `cap`: a number above `cap` (it is
    then cap + 1) means "more than cap"."""
    counted, more = capped_count(statement, cap)
    return counted + 1 if more else counted
