"""The posters API: 200 with the PNG's URL, 202 with a URL to poll while the media queue has
not drawn it, 403 for a shopper who is not an agent, 404 for an unknown or hidden product,
the template list, and the scene report that counts a scan and binds the shopper."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.audit.services import SYSTEM
from app.distribution import agents
from app.distribution.agent_models import ReferralBinding
from app.extensions import db, queues
from app.posters.models import PosterScan
from tests import factories
from tests.poster_helpers import decoded, open_stored, template_json, write_template

PRODUCT_ELEMENTS = [
    {"type": "product_image", "x": 0, "y": 0, "width": 600, "height": 400},
    {"type": "text", "text": "{product_title}", "x": 20, "y": 420, "width": 560, "size": 30, "max_lines": 2},
    {"type": "text", "text": "{price}", "x": 20, "y": 500, "width": 300, "size": 40, "color": "#E11D48"},
]


def _templates(root):
    write_template(root, "inv", template_json(short_id="i9"))
    write_template(root, "inv-two", template_json(short_id="i8", name="第二张", sort=5))
    write_template(root, "prod", template_json(kind="product", short_id="p9", elements=PRODUCT_ELEMENTS,
                                               code={"type": "url", "x": 300, "y": 600, "size": 280,
                                                     "link": "{base_url}/h5/?scene={scene}"}))


@pytest.fixture
def poster_app(make_app, tmp_path):
    _templates(tmp_path)
    app = make_app(POSTER_TEMPLATES_DIR=str(tmp_path), POSTER_WAIT_SECONDS=0.3)
    with app.app_context():
        yield app


def _login(client, name: str, *, as_agent: bool = False):
    answer = client.post("/api/v1/auth/dev-login", json={"name": name})
    user = db.session.get(User, answer.get_json()["user"]["id"])
    if as_agent:
        agents.appoint(SYSTEM, user.id)
        db.session.commit()
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}, user


def test_an_agent_gets_their_invite_poster(poster_app):
    client = poster_app.test_client()
    headers, user = _login(client, "amy", as_agent=True)

    answer = client.get("/api/v1/posters/invite", headers=headers)

    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["template"], body["width"], body["height"]) == ("inv", 600, 900)
    assert body["url"].startswith(poster_app.config["PUBLIC_BASE_URL"] + "/media/posters/inv/")
    code = agents.agent_of(user.id).invite_code
    base = poster_app.config["PUBLIC_BASE_URL"]
    assert decoded(open_stored(body["url"])) == [f"{base}/h5/?scene=r%3D{code}%26t%3Di9"]
    again = client.get("/api/v1/posters/invite?template=inv-two", headers=headers).get_json()
    assert again["template"] == "inv-two" and again["url"] != body["url"]


def test_a_shopper_who_is_not_an_agent_gets_403_not_agent(poster_app):
    client = poster_app.test_client()
    headers, _user = _login(client, "bob")
    answer = client.get("/api/v1/posters/invite", headers=headers)
    assert answer.status_code == 403 and answer.get_json()["error"]["code"] == "not_agent"


def test_a_product_poster_for_anyone_and_404_for_hidden_or_unknown_products(poster_app):
    client = poster_app.test_client()
    headers, _user = _login(client, "cat")
    category = factories.category()
    on_sale = factories.product(category, "有机红茶", price_fen=12900)
    hidden = factories.product(category, "下架商品", on_shelf=False)

    answer = client.get(f"/api/v1/posters/products/{on_sale.id}", headers=headers)
    assert answer.status_code == 200 and answer.get_json()["template"] == "prod"
    assert decoded(open_stored(answer.get_json()["url"]))[0].endswith(f"scene=p%3D{on_sale.id}%26t%3Dp9")
    for product_id in (hidden.id, 999_999):
        missing = client.get(f"/api/v1/posters/products/{product_id}", headers=headers)
        assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "product_not_found"


def test_an_unknown_or_wrong_kind_template_is_404_and_a_bad_key_422(poster_app):
    client = poster_app.test_client()
    headers, _user = _login(client, "dan", as_agent=True)
    assert client.get("/api/v1/posters/invite?template=prod", headers=headers).status_code == 404
    assert client.get("/api/v1/posters/invite?template=nope", headers=headers).status_code == 404
    assert client.get("/api/v1/posters/invite?template=../x", headers=headers).status_code == 422
    assert client.get("/api/v1/posters/invite").status_code == 401


def test_uncached_posters_answer_202_with_a_url_to_poll_until_the_media_worker_draws_them(make_app, tmp_path):
    _templates(tmp_path)
    app = make_app(POSTER_TEMPLATES_DIR=str(tmp_path), POSTER_WAIT_SECONDS=0.2, RQ_INLINE=False)
    with app.app_context():
        client = app.test_client()
        headers, _user = _login(client, "eve", as_agent=True)

        first = client.get("/api/v1/posters/invite?template=inv", headers=headers)
        second = client.get("/api/v1/posters/invite?template=inv", headers=headers)

        assert first.status_code == second.status_code == 202
        assert first.get_json() == {"status": "rendering",
                                    "poll": app.config["PUBLIC_BASE_URL"] + "/api/v1/posters/invite?template=inv"}
        media = queues.get("media")
        assert media.count == 1  # asked twice, drawn once
        media.jobs[0].perform()
        done = client.get("/api/v1/posters/invite?template=inv", headers=headers)
        assert done.status_code == 200 and done.get_json()["template"] == "inv"


def test_the_template_list_has_the_enabled_ones_of_a_kind_with_thumbnails(poster_app):
    client = poster_app.test_client()
    headers, _user = _login(client, "fay")
    items = client.get("/api/v1/posters/templates?kind=invite", headers=headers).get_json()["items"]
    assert [item["key"] for item in items] == ["inv", "inv-two"]
    thumbnail = client.get(items[0]["thumbnail_url"].removeprefix(poster_app.config["PUBLIC_BASE_URL"]))
    assert thumbnail.status_code == 302 and "/media/poster-thumbnails/inv-" in thumbnail.headers["Location"]
    assert client.get("/api/v1/posters/templates?kind=other", headers=headers).status_code == 422


def test_opening_the_mini_program_from_a_poster_counts_the_scan_and_binds(poster_app):
    client = poster_app.test_client()
    _agent_headers, agent_user = _login(client, "gus", as_agent=True)
    code = agents.agent_of(agent_user.id).invite_code
    headers, shopper = _login(client, "hal")

    answer = client.post("/api/v1/posters/scans", headers=headers, json={"scene": f"r={code}&t=i9"})
    repeat = client.post("/api/v1/posters/scans", headers=headers, json={"scene": f"r={code}&t=i9"})

    assert answer.get_json() == {"recorded": True, "template": "inv", "bind_result": "bound"}
    assert repeat.get_json() == {"recorded": False, "template": "inv", "bind_result": "unchanged"}
    (scan,) = db.session.scalars(select(PosterScan)).all()
    assert (scan.agent_user_id, scan.user_id, scan.source) == (agent_user.id, shopper.id, "wxacode")
    assert db.session.scalar(select(ReferralBinding.referrer_user_id)
                             .where(ReferralBinding.user_id == shopper.id)) == agent_user.id
    bad = client.post("/api/v1/posters/scans", headers=headers, json={"scene": "x" * 65})
    assert bad.status_code == 422
