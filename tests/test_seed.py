"""`flask seed demo` builds a believable shop and is safe to run again."""

from __future__ import annotations

import os

from sqlalchemy import func, select

from app.accounts import staff as accounts
from app.catalog.models import Category, Product, Sku
from app.extensions import db


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_seed_demo_builds_the_shop_once(app, runner):
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    password = first.output.split("console login: admin / ")[1].split()[0]
    assert accounts.password_matches(accounts.find_staff("admin").password_hash, password)

    products, skus, categories = _count(Product), _count(Sku), _count(Category)
    assert 25 <= products <= 40
    assert skus >= 2 * products
    assert db.session.scalar(select(func.count()).where(Category.parent_id.is_(None))) >= 3
    assert categories > db.session.scalar(select(func.count()).where(Category.parent_id.is_(None)))
    cover = db.session.scalars(select(Product.cover_url)).first()
    assert os.path.isfile(os.path.join(app.config["MEDIA_ROOT"], cover.removeprefix("/media/")))

    second = runner.invoke(args=["seed", "demo"])
    assert second.exit_code == 0
    assert password not in second.output
    assert (_count(Product), _count(Sku), _count(Category)) == (products, skus, categories)


def test_seeded_images_are_served(app, runner, client):
    runner.invoke(args=["seed", "demo", "--if-empty"])
    body = client.get("/api/v1/products?size=1").get_json()
    image = client.get(body["items"][0]["cover_url"])
    assert image.status_code == 200 and image.mimetype == "image/png"
