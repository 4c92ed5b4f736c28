"""The media library page with pictures in an S3 bucket (moto's server): the thumbnails come
from the bucket's address and the browser shows them — the console's CSP lets that origin's
images through (a refusal would be logged as an error and fail the page fixture)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from app.audit.services import Actor
from app.extensions import db
from app.media import library
from tests.admin_helpers import PASSWORD, make_staff
from tests.s3_helpers import s3_settings


@pytest.fixture
def live_server(make_live_server, s3_endpoint, bucket):
    return make_live_server(**s3_settings(s3_endpoint, bucket[0]))


def _png(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), colour).save(out, "PNG")
    return out.getvalue()


def test_the_library_shows_thumbnails_served_by_the_bucket(page, live_app, s3_endpoint, bucket):
    make_staff()
    [picture] = library.upload(Actor(None), None, [("桶里的图.png", _png((240, 120, 0)))])
    db.session.commit()
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto("/admin/media")
    thumbnail = page.locator('.media-card[data-name="桶里的图"] img')
    assert picture.thumb_url.startswith(f"{s3_endpoint}/{bucket[0]}/library/")
    expect(thumbnail).to_have_attribute("src", picture.thumb_url)
    # drawn: the bucket's 200-pixel-wide thumbnail arrived and decoded
    page.wait_for_function("img => img.complete && img.naturalWidth === 200", arg=thumbnail.element_handle())
