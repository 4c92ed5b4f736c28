"""Keyset pages: walking a list by its cursors, forwards and back, returns every row exactly
once in the list's order, whatever the ties, NULLs and directions of its sort; totals are
counted up to 10,000; a cursor the list did not hand out is refused, never a 500."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from sqlalchemy import insert, select

from app.accounts.models import User
from app.core.cursors import InvalidCursor
from app.core.keyset import OrderingError
from app.core.pagination import COUNT_CAP, PageQuery, capped_count, count_rows, paginate, paginate_list
from app.distribution.agent_models import ReferralBinding
from app.extensions import db
from app.officialaccount.models import Fan
from tests.admin_helpers import log_in, make_staff

NOW = datetime(2026, 3, 1, 12, 0)


@pytest.fixture
def fans(app):
    """23 fans: five resubscribe counts (ties), every third one never unsubscribed (NULL),
    shared subscribe times."""
    for index in range(23):
        db.session.add(Fan(openid=f"o_{index:02d}", status="subscribed", resubscribe_count=index % 5,
                           first_subscribed_at=None if index % 4 == 0 else NOW - timedelta(days=index % 3),
                           subscribed_at=NOW - timedelta(days=index % 6),
                           unsubscribed_at=None if index % 3 == 0 else NOW - timedelta(hours=index % 4),
                           last_event_time=index % 2))
    db.session.commit()


def _ids(page: dict) -> list[int]:
    return [fan.id for fan in page["items"]]


def _walk(statement, size: int) -> tuple[list[list[int]], list[list[int]]]:
    """The pages met following next_cursor from page 1, then prev_cursor back from the last."""
    page = paginate(statement, PageQuery(size=size), lambda fan: fan)
    assert page["prev_cursor"] is None and page["page"] == 1
    forwards = [_ids(page)]
    while page["next_cursor"]:
        page = paginate(statement, PageQuery(size=size, cursor=page["next_cursor"]), lambda fan: fan)
        forwards.append(_ids(page))
        assert page["page"] == len(forwards)
    backwards = [_ids(page)]
    while page["prev_cursor"]:
        page = paginate(statement, PageQuery(size=size, cursor=page["prev_cursor"]), lambda fan: fan)
        backwards.append(_ids(page))
    assert page["page"] == 1
    return forwards, backwards[::-1]


@pytest.mark.parametrize("ordering", [
    pytest.param(lambda: (Fan.resubscribe_count.desc(), Fan.id.desc()), id="ties-desc"),
    pytest.param(lambda: (Fan.resubscribe_count.asc(), Fan.id.desc()), id="mixed-asc-desc"),
    pytest.param(lambda: (Fan.unsubscribed_at.desc(), Fan.id.asc()), id="nullable-desc-then-asc"),
    pytest.param(lambda: (Fan.first_subscribed_at.asc(), Fan.subscribed_at.desc(), Fan.id), id="nullable-asc-3-keys"),
    pytest.param(lambda: ((Fan.resubscribe_count + Fan.last_event_time).desc(), Fan.id.desc()), id="expression"),
    pytest.param(lambda: (Fan.openid.desc(),), id="unique-text"),
])
@pytest.mark.parametrize("size", [1, 4, 7, 23, 30])
def test_walking_by_cursors_meets_every_row_once_in_order_both_ways(fans, ordering, size):
    # given the fans in some order with ties and NULLs
    statement = select(Fan).order_by(*ordering())
    everyone = db.session.scalars(statement).all()
    expected = [fan.id for fan in everyone]
    # when the list is walked page by page by its cursors, forwards then back
    forwards, backwards = _walk(statement, size)
    # then the pages are the ordered list cut every `size` rows, the same both ways
    assert forwards == [expected[start:start + size] for start in range(0, len(expected), size)]
    assert backwards == forwards


def test_numbered_pages_and_cursors_meet_and_totals_count(fans):
    statement = select(Fan).where(Fan.resubscribe_count > 0).order_by(Fan.resubscribe_count.desc(), Fan.id.desc())
    expected = db.session.scalars(statement.with_only_columns(Fan.id)).all()
    # page numbers reach the same pages as the cursors
    first = paginate(statement, PageQuery(size=5), lambda fan: fan)
    second = paginate(statement, PageQuery(size=5, page=2), lambda fan: fan)
    followed = paginate(statement, PageQuery(size=5, cursor=first["next_cursor"]), lambda fan: fan)
    assert _ids(second) == _ids(followed) == expected[5:10]
    assert (second["page"], followed["page"]) == (2, 2)
    # and going back from a numbered page 2 lands on page 1
    back = paginate(statement, PageQuery(size=5, cursor=second["prev_cursor"]), lambda fan: fan)
    assert _ids(back) == expected[:5] and back["page"] == 1 and back["prev_cursor"] is None
    assert (first["total"], first["total_capped"]) == (len(expected), False)
    # a page past the end is empty, with nowhere to seek from
    beyond = paginate(statement, PageQuery(size=5, page=50), lambda fan: fan)
    assert (beyond["items"], beyond["next_cursor"], beyond["prev_cursor"]) == ([], None, None)


def test_going_back_to_the_start_fills_the_first_page_again(fans):
    statement = select(Fan).order_by(Fan.id.desc())
    first = paginate(statement, PageQuery(size=5), lambda fan: fan)
    second = paginate(statement, PageQuery(size=5, cursor=first["next_cursor"]), lambda fan: fan)
    # two of page 1's rows are deleted
    for fan in first["items"][:2]:
        db.session.delete(fan)
    db.session.commit()
    back = paginate(statement, PageQuery(size=5, cursor=second["prev_cursor"]), lambda fan: fan)
    # then "previous" shows a full page one: the three left and the two that followed them
    newest = db.session.scalars(statement.with_only_columns(Fan.id)).all()
    assert _ids(back) == newest[:5] and back["page"] == 1 and back["prev_cursor"] is None
    assert _ids(paginate(statement, PageQuery(size=5, cursor=back["next_cursor"]), lambda fan: fan)) == newest[5:10]


def test_rows_added_before_the_page_shown_are_reached_by_going_back(fans):
    statement = select(Fan).order_by(Fan.id.desc())
    first = paginate(statement, PageQuery(size=5), lambda fan: fan)
    second = paginate(statement, PageQuery(size=5, cursor=first["next_cursor"]), lambda fan: fan)
    for index in range(3):
        db.session.add(Fan(openid=f"o_new{index}", status="subscribed", last_event_time=0))
    db.session.commit()
    # "previous" shows the five rows just before, and a page before those (the new ones)
    back = paginate(statement, PageQuery(size=5, cursor=second["prev_cursor"]), lambda fan: fan)
    assert _ids(back) == _ids(first) and back["page"] == 2 and back["prev_cursor"]
    start = paginate(statement, PageQuery(size=5, cursor=back["prev_cursor"]), lambda fan: fan)
    newest = db.session.scalars(statement.with_only_columns(Fan.id)).all()
    assert _ids(start) == newest[:5] and start["page"] == 1 and start["prev_cursor"] is None


def _many_fans(count: int, first: int = 0) -> None:
    db.session.execute(insert(Fan), [{"openid": f"bulk{first + index:06d}", "status": "subscribed",
                                      "resubscribe_count": 0, "last_event_time": 0, "created_at": NOW,
                                      "updated_at": NOW} for index in range(count)])
    db.session.commit()


def test_totals_are_counted_up_to_ten_thousand(app):
    statement = select(Fan).order_by(Fan.id.desc())
    _many_fans(COUNT_CAP)
    page = paginate(statement, PageQuery(), lambda fan: fan)
    assert (page["total"], page["total_capped"]) == (10_000, False)
    assert capped_count(statement) == (10_000, False) and count_rows(statement) == 10_000
    _many_fans(1, first=COUNT_CAP)
    page = paginate(statement, PageQuery(), lambda fan: fan)
    assert (page["total"], page["total_capped"]) == (10_000, True)
    assert count_rows(statement) == 10_001
    # a smaller cap counts the same way
    assert capped_count(statement.where(Fan.openid < "bulk000004"), cap=3) == (3, True)
    assert capped_count(statement.where(Fan.openid < "bulk000003"), cap=3) == (3, False)


def test_an_ordering_that_does_not_end_in_a_unique_key_is_a_programming_error(fans):
    with pytest.raises(OrderingError):
        paginate(select(Fan).order_by(Fan.resubscribe_count.desc()), PageQuery(), lambda fan: fan)
    with pytest.raises(OrderingError):
        paginate(select(Fan), PageQuery(), lambda fan: fan)


def _forgeries(app, valid: str) -> list[str]:
    from itsdangerous import URLSafeSerializer

    from app.core.cursors import SALT

    other_key = URLSafeSerializer("someone else's key", salt=SALT)
    ours = URLSafeSerializer(app.secret_key, salt=SALT)
    payload = ours.loads(valid)
    return [
        "garbage", valid[:-3] + ("AAA" if not valid.endswith("AAA") else "BBB"), valid + "x",
        other_key.dumps(payload),  # seeks where we never pointed
        ours.dumps({**payload, "f": "0" * 12}),  # another list's cursor
        ours.dumps({**payload, "k": payload["k"][:1]}),  # too few keys
        ours.dumps({**payload, "k": ["not a number", *payload["k"][1:]]}),  # a key of the wrong type
        ours.dumps({**payload, "k": [None, *payload["k"][1:]]}),  # NULL where the column holds none
        ours.dumps({**payload, "k": [2 ** 70, *payload["k"][1:]]}),  # out of the column's range
        ours.dumps({**payload, "k": [{"t": "yesterday"}, *payload["k"][1:]]}),
        ours.dumps({**payload, "p": 0}), ours.dumps({**payload, "b": "yes"}), ours.dumps([1, 2]),
        ours.dumps({**payload, "extra": 1}),
    ]


def test_a_cursor_not_handed_out_by_the_list_is_refused(app, fans):
    statement = select(Fan).order_by(Fan.resubscribe_count.desc(), Fan.id.desc())
    valid = paginate(statement, PageQuery(size=3), lambda fan: fan)["next_cursor"]
    for forged in _forgeries(app, valid):
        with pytest.raises(InvalidCursor):
            paginate(statement, PageQuery(size=3, cursor=forged), lambda fan: fan)
    with pytest.raises(InvalidCursor):
        paginate_list(list(range(10)), PageQuery(size=3, cursor=valid))


def test_a_list_in_memory_pages_the_same_way(app):
    items = list(range(11))
    page, seen = paginate_list(items, PageQuery(size=4)), []
    while True:
        seen.append(page["items"])
        if not page["next_cursor"]:
            break
        page = paginate_list(items, PageQuery(size=4, cursor=page["next_cursor"]))
    assert seen == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]] and page["page"] == 3
    back = paginate_list(items, PageQuery(size=4, cursor=page["prev_cursor"]))
    assert back["items"] == [4, 5, 6, 7] and back["page"] == 2 and (page["total"], page["total_capped"]) == (11, False)


# -- the API and the console, end to end ------------------------------------------------------


def _agent_with_team(client, size: int) -> dict[str, str]:
    from app.audit.services import SYSTEM
    from app.distribution import agents

    answer = client.post("/api/v1/auth/dev-login", json={"name": "agent_pat"})
    agent_id = answer.get_json()["user"]["id"]
    agents.appoint(SYSTEM, agent_id)
    for index in range(size):
        user = User(nickname=f"member{index}")
        db.session.add(user)
        db.session.flush()
        # bound in bursts: many members share a bound_at (ties broken by user id)
        db.session.add(ReferralBinding(user_id=user.id, referrer_user_id=agent_id, source="link",
                                       bound_at=NOW - timedelta(minutes=index // 4)))
    db.session.commit()
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


def test_an_api_list_walked_by_next_cursor_returns_every_row_once(app, client):
    headers = _agent_with_team(client, 23)
    seen, answer = [], client.get("/api/v1/distribution/team?level=1&size=5", headers=headers).get_json()
    assert (answer["total"], answer["total_capped"], answer["prev_cursor"]) == (23, False, None)
    while True:
        seen += [member["user_id"] for member in answer["items"]]
        if answer["next_cursor"] is None:
            break
        answer = client.get("/api/v1/distribution/team", query_string={"level": 1, "size": 5,
                                                                      "cursor": answer["next_cursor"]},
                            headers=headers).get_json()
    expected = db.session.scalars(select(ReferralBinding.user_id)
                                  .order_by(ReferralBinding.bound_at.desc(), ReferralBinding.user_id.desc())).all()
    assert seen == expected and answer["page"] == 5


def test_the_api_refuses_a_forged_cursor_and_a_deep_page_number_with_its_error_shape(app, client):
    headers = _agent_with_team(client, 8)
    valid = client.get("/api/v1/distribution/team?size=3", headers=headers).get_json()["next_cursor"]
    for forged in _forgeries(app, valid):
        answer = client.get("/api/v1/distribution/team", query_string={"cursor": forged, "size": 3}, headers=headers)
        assert answer.status_code == 400, forged
        assert answer.get_json()["error"]["code"] == "invalid_cursor"
        assert answer.get_json()["error"]["message"]
    # a cursor of another list of the same user
    other = client.get("/api/v1/distribution/team", query_string={"cursor": valid, "level": 2}, headers=headers)
    assert other.status_code == 400
    for query in ({"cursor": "has spaces"}, {"cursor": "x" * 601}, {"page": 51}):
        answer = client.get("/api/v1/distribution/team", query_string=query, headers=headers)
        assert answer.status_code == 422 and answer.get_json()["error"]["code"] == "validation_failed"


_LINK = re.compile(r'<a [^>]*rel="(next|prev)"[^>]*href="([^"]+)"|<a [^>]*href="([^"]+)"[^>]*rel="(next|prev)"')


def _links(html: str) -> dict[str, str]:
    found = {}
    for rel, href, href2, rel2 in _LINK.findall(html):
        found[rel or rel2] = unescape(href or href2)
    return found


def _member_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'href="/admin/members/(\d+)"', html)]


def test_a_console_list_walked_by_its_rel_next_links_shows_every_row_once(app, client):
    make_staff("boss", role="owner")
    log_in(client, "boss")
    for index in range(27):
        db.session.add(User(nickname=f"shopper{index}", phone=f"1380000{index:04d}"))
    db.session.commit()
    first = client.get("/admin/members?q=shopper&size=10")
    html = first.get_data(as_text=True)
    assert "共 27 条" in html and "prev" not in _links(html)
    pages = [_member_ids(html)]
    while "next" in _links(html):
        link = _links(html)["next"]
        assert "q=shopper" in link and "size=10" in link and "page=" not in link  # the filters ride along
        html = client.get(link).get_data(as_text=True)
        pages.append(_member_ids(html))
    expected = db.session.scalars(select(User.id).where(User.nickname.startswith("shopper"))
                                  .order_by(User.id.desc())).all()
    assert [member for page in pages for member in dict.fromkeys(page)] == expected
    assert [len(dict.fromkeys(page)) for page in pages] == [10, 10, 7]
    # and back by rel=prev to the first page
    back = client.get(_links(html)["prev"]).get_data(as_text=True)
    assert list(dict.fromkeys(_member_ids(back))) == expected[10:20]


def test_a_console_list_with_a_garbled_cursor_answers_400_not_500(app, client):
    make_staff("boss", role="owner")
    log_in(client, "boss")
    answer = client.get("/admin/members?cursor=garbage")
    assert answer.status_code == 400
    assert "翻页链接已失效" in answer.get_data(as_text=True)


_FINGERPRINTS = """
from app import create_app
from app.core.cursors import fingerprint, shape_of
from app.members.services import search_members
from app.extensions import db
from app.orders.after_sales import AfterSaleFilter, search_after_sales
app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True, "SECRET_KEY": "x"})
with app.app_context():
    db.create_all()  # the after-sales keyword reads the matching numbers' ids first
    print(fingerprint(shape_of(search_members("x", "balance"))),
          fingerprint(shape_of(search_after_sales(AfterSaleFilter(status="refunded", keyword="S1")))))
"""


def test_a_cursor_made_by_one_worker_is_good_in_another(app, tmp_path):
    """Workers are separate processes, each with its own hash seed: the name a cursor gives
    its list must not depend on anything but the list's shape."""
    import os
    import subprocess
    import sys

    from app.core.cursors import fingerprint, shape_of
    from app.members.services import search_members
    from app.orders.after_sales import AfterSaleFilter, search_after_sales

    here = " ".join([fingerprint(shape_of(search_members("x", "balance"))),
                     fingerprint(shape_of(search_after_sales(AfterSaleFilter(status="refunded", keyword="S1"))))])
    env = {**os.environ, "PYTHONHASHSEED": "12345", "FENXIAO_INSTANCE_PATH": str(tmp_path)}
    there = subprocess.run([sys.executable, "-c", _FINGERPRINTS], capture_output=True, text=True, env=env,
                           cwd=os.path.dirname(os.path.dirname(__file__)), check=True, timeout=120)
    assert there.stdout.strip().splitlines()[-1] == here


def test_the_referral_tree_pages_by_its_links_through_members_bound_at_the_same_moment(app, client):
    _agent_with_team(client, 23)
    make_staff("boss", role="owner")
    log_in(client, "boss")
    agent_id = db.session.scalar(select(ReferralBinding.referrer_user_id).limit(1))
    html = client.get(f"/admin/distribution/tree/{agent_id}?size=5").get_data(as_text=True)
    assert "共 23 条" in html
    seen = []
    while True:
        seen += [int(found) for found in re.findall(r'href="/admin/distribution/tree/(\d+)"', html)
                 if int(found) != agent_id]
        if "next" not in _links(html):
            break
        assert f"/admin/distribution/tree/{agent_id}?" in _links(html)["next"]
        html = client.get(_links(html)["next"]).get_data(as_text=True)
    expected = db.session.scalars(select(ReferralBinding.user_id)
                                  .order_by(ReferralBinding.bound_at.desc(), ReferralBinding.user_id.desc())).all()
    assert list(dict.fromkeys(seen)) == expected and len(seen) == len(set(seen))
