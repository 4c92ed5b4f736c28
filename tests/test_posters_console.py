"""The console's poster pages: the template list (with load errors), enable / disable / set
default, background upload, the live preview, and the report of scans per template and agent
— including a fan who follows through an agent's official-account poster code."""

from __future__ import annotations

import io
import itertools

import pytest
from PIL import Image
from sqlalchemy import select

from app.accounts.wechat_identity import upsert_wechat_user
from app.audit.models import AuditEntry
from app.audit.services import Actor
from app.distribution.agents import agent_of
from app.extensions import db
from app.media import library
from app.posters import attribution, template_settings
from app.posters.models import PosterScan
from tests import distribution_helpers, factories, oa_push
from tests.admin_helpers import csrf_token, log_in, make_staff, post
from tests.poster_helpers import agent, template_json, write_template

_clock = itertools.count(1_820_000_000)


@pytest.fixture
def console(make_app, tmp_path):
    write_template(tmp_path, "plain", template_json())
    write_template(tmp_path, "other", template_json(short_id="o1", name="另一张"))
    write_template(tmp_path, "warm", template_json(short_id="w1", name="关注码",
                                                   code={"type": "oa_qr", "x": 150, "y": 400, "size": 300}))
    write_template(tmp_path, "broken", template_json(short_id="b1", width=-5))
    app = make_app(POSTER_TEMPLATES_DIR=str(tmp_path))
    with app.app_context():
        client = app.test_client()
        make_staff()
        log_in(client)
        yield app, client


def test_the_template_list_shows_templates_and_the_broken_files_field(console):
    _app, client = console
    html = client.get("/admin/posters").get_data(as_text=True)
    assert "测试模板" in html and "另一张" in html
    assert "broken/template.json" in html and "<code>width</code>" in html
    assert "/admin/posters/plain/preview.png" in html


def test_the_live_preview_is_a_png_of_the_template(console):
    _app, client = console
    answer = client.get("/admin/posters/plain/preview.png")
    assert answer.status_code == 200 and answer.mimetype == "image/png"
    assert Image.open(io.BytesIO(answer.data)).size == (600, 900)
    assert client.get("/admin/posters/nope/preview.png").status_code == 404


def test_every_shipped_template_previews_with_every_variable_it_shows(app):
    from app.posters import preview, template_settings
    from app.posters.template_schema import VARIABLES
    shipped = template_settings.states()
    assert len(shipped) >= 5
    for state in shipped:
        assert set(preview.sample_inputs(state).values) >= set(VARIABLES), state.template.key
        assert preview.preview_image(state, real_code=False).size[0] > 0


def test_enable_disable_and_default_are_kept_and_audited(console):
    _app, client = console
    post(client, "/admin/posters/other/default", token_path="/admin/posters")
    assert template_settings.enabled("invite")[0].template.key == "other"
    post(client, "/admin/posters/plain/disable", token_path="/admin/posters")
    db.session.expire_all()
    keys = [s.template.key for s in template_settings.enabled("invite")]
    assert "plain" not in keys and keys[0] == "other"
    post(client, "/admin/posters/plain/default", token_path="/admin/posters")
    db.session.expire_all()
    states = {s.template.key: s for s in template_settings.states("invite")}
    assert states["plain"].is_default and states["plain"].enabled and not states["other"].is_default
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.target_type == "poster_template")).all()
    assert actions == ["poster_template.default", "poster_template.disable", "poster_template.default"]


def _upload(client, data: bytes, name: str = "bg.png"):
    return client.post("/admin/posters/plain/background", data={
        "csrf_token": csrf_token(client, "/admin/posters"), "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data", follow_redirects=True)


def test_a_background_upload_is_checked_then_used(console):
    _app, client = console
    refused = _upload(client, b"not an image", "x.png")
    assert "请上传 JPEG、PNG 或 WebP 图片" in refused.get_data(as_text=True)  # the console speaks Chinese first
    buffer = io.BytesIO()
    Image.new("RGB", (600, 900), (10, 120, 200)).save(buffer, format="PNG")
    accepted = _upload(client, buffer.getvalue())
    assert accepted.status_code == 200
    db.session.expire_all()
    (state,) = [s for s in template_settings.states() if s.template.key == "plain"]
    assert state.background_key.startswith("poster-backgrounds/")
    preview = Image.open(io.BytesIO(client.get("/admin/posters/plain/preview.png").data)).convert("RGB")
    assert preview.getpixel((5, 880)) == (10, 120, 200)


def test_a_background_chosen_from_the_media_library_is_checked_then_used(console):
    _app, client = console
    buffer = io.BytesIO()
    Image.new("RGB", (600, 900), (200, 60, 10)).save(buffer, format="PNG")
    [picture] = library.upload(Actor(None), None, [("海报底图.png", buffer.getvalue())])  # re-encoded as JPEG
    db.session.commit()
    # when the picker's URL is posted, the picture becomes the background
    answer = post(client, "/admin/posters/plain/background/library", {"url": picture.web_url},
                  token_path="/admin/posters")
    assert answer.status_code == 302
    db.session.expire_all()
    (state,) = [s for s in template_settings.states() if s.template.key == "plain"]
    assert state.background_key.startswith("poster-backgrounds/")
    preview = Image.open(io.BytesIO(client.get("/admin/posters/plain/preview.png").data)).convert("RGB")
    assert all(abs(got - want) <= 3 for got, want in zip(preview.getpixel((5, 880)), (200, 60, 10), strict=True))
    # and a URL that is no library picture changes nothing
    post(client, "/admin/posters/other/background/library", {"url": "/media/elsewhere.png"},
         token_path="/admin/posters")
    (other,) = [s for s in template_settings.states() if s.template.key == "other"]
    assert other.background_key == ""


def test_staff_without_distribution_cannot_reach_posters(console):
    app, _client = console
    make_staff("helper", role="service")
    other = app.test_client()
    log_in(other, "helper")
    assert other.get("/admin/posters").status_code == 403
    assert other.get("/admin/posters/report").status_code == 403


def test_the_report_counts_scans_fans_and_new_shoppers_per_template_and_agent(console):
    app, client = console
    amy = agent("艾米")
    code = agent_of(amy.id).invite_code
    # a fan follows through Amy's official-account poster code, another scans it while following
    oa_push.post(client, app.config, oa_push.event("o_new", "subscribe", f"qrscene_r={code}&t=w1",
                                                   create_time=next(_clock)))
    oa_push.post(client, app.config, oa_push.event("o_old", "subscribe", "", create_time=next(_clock)))
    oa_push.post(client, app.config, oa_push.event("o_old", "SCAN", f"r={code}&t=w1", create_time=next(_clock)))
    # a new shopper opens the mini-program from Amy's other poster; one already Bob's does too
    newcomer = factories.shopper("路人")
    regular = factories.shopper("老顾客")
    distribution_helpers.bind(regular, agent("鲍勃"))
    attribution.open_scene(newcomer.id, f"r={code}&t=o1")
    attribution.open_scene(regular.id, f"r={code}&t=o1")
    db.session.commit()

    scans = db.session.scalars(select(PosterScan).order_by(PosterScan.id)).all()
    assert [(s.template_key, s.source, s.new_fan) for s in scans] == [
        ("warm", "oa_qr", True), ("warm", "oa_qr", False), ("other", "wxacode", False), ("other", "wxacode", False)]
    rows = {row["template_key"]: row for row in attribution.by_template()}
    assert (rows["warm"]["scans"], rows["warm"]["new_fans"], rows["warm"]["new_shoppers"]) == (2, 1, 0)  # fans wait
    assert (rows["other"]["scans"], rows["other"]["new_shoppers"]) == (2, 1)  # Bob's shopper stays his

    # the first fan opens the mini-program: their waiting touch binds them, as of the scan
    upsert_wechat_user("oa", "o_new", "u_new")
    db.session.commit()
    upsert_wechat_user("mp", "m_new", "u_new")
    db.session.commit()
    rows = {row["template_key"]: row for row in attribution.by_template()}
    assert rows["warm"]["new_shoppers"] == 1
    (amy_row,) = attribution.by_agent()
    assert (amy_row["agent_user_id"], amy_row["scans"], amy_row["new_fans"], amy_row["new_shoppers"]) == \
        (amy.id, 4, 1, 2)

    html = client.get("/admin/posters/report?days=all").get_data(as_text=True)
    assert "关注码" in html and "艾米" in html and code in html


def test_the_sidebar_marks_only_the_page_being_shown(console):
    _app, client = console
    report = client.get("/admin/posters/report").get_data(as_text=True)
    templates = client.get("/admin/posters").get_data(as_text=True)
    assert 'active" href="/admin/posters/report"' in report and 'active" href="/admin/posters"' not in report
    assert 'active" href="/admin/posters"' in templates and 'active" href="/admin/posters/report"' not in templates
