"""The page a poster's web-link code opens: whose invitation, which product, the mini-program
code for the same scene (which decodes to it), and the visit counted once per visitor and day."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.distribution import agents
from app.extensions import db
from app.posters.models import PosterScan
from tests import factories
from tests.poster_helpers import agent, decoded, open_stored, template_json, write_template


@pytest.fixture
def landing_app(make_live_server, tmp_path):
    """A live server: the page fetches its mini-program code from the sandbox over HTTP."""
    write_template(tmp_path, "inv", template_json(short_id="i9"))
    server = make_live_server(POSTER_TEMPLATES_DIR=str(tmp_path))
    with server.app.app_context():
        yield server.app


def _code_url(html: str) -> str:
    return re.search(r'<img class="code" src="([^"]+)"', html).group(1)


def test_the_link_opens_the_agents_invitation_with_a_mini_program_code_and_counts_once(landing_app):
    client = landing_app.test_client()
    inviter = agent("小红")
    code = agents.agent_of(inviter.id).invite_code
    product = factories.product(factories.category(), "明前龙井", price_fen=12800)
    db.session.commit()

    page = client.get(f"/h5/?scene=r%3D{code}%26p%3D{product.id}%26t%3Di9")
    again = client.get(f"/h5/?scene=r%3D{code}%26p%3D{product.id}%26t%3Di9")

    html = page.get_data(as_text=True)
    assert page.status_code == 200 and again.status_code == 200
    assert "小红" in html and "明前龙井" in html and "¥128.00" in html and "长按" in html
    assert decoded(open_stored(_code_url(html))) == [f"r={code}&p={product.id}&t=i9"]
    (scan,) = db.session.scalars(select(PosterScan)).all()
    assert (scan.template_key, scan.agent_user_id, scan.user_id, scan.source) == ("inv", inviter.id, None, "link")


def test_a_forged_or_broken_scene_still_shows_the_shop_and_counts_nothing(landing_app):
    client = landing_app.test_client()
    page = client.get("/h5/?scene=r%3D%3Cscript%3E%26p%3Dabc%26t%3D!!")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<script>" not in html
    assert decoded(open_stored(_code_url(html))) == ["from=h5"]
    assert db.session.scalars(select(PosterScan)).all() == []
    assert client.get("/h5/").status_code == 200
