"""Demo media library: a few folders, and the pictures of the first demo products and the top
categories' icons moved into it, so 图片空间 shows folders, pictures and "used by N"."""

from __future__ import annotations

from sqlalchemy import func, select

from app.audit.services import Actor
from app.catalog import manage
from app.catalog.models import Category, Product
from app.extensions import db
from app.media import library, usage
from app.media.models import MediaFile, MediaFolder
from app.media.storage import storage

FOLDERS = ("商品图片", "分类图标", "活动素材")
PRODUCTS = 4


def seed_media() -> list[str]:
    if db.session.scalar(select(MediaFile.id).limit(1)) is not None:
        return ["media library: already there"]
    system = Actor(None)
    folders = {name: library.save_folder(system, None, name) for name in FOLDERS}
    for product in db.session.scalars(select(Product).order_by(Product.id).limit(PRODUCTS)):
        pictures = [_import(system, folders["商品图片"], url, f"{product.title}-{index + 1}")
                    for index, url in enumerate(product.image_urls)]
        product.image_urls = [picture.web_url for picture in pictures]
        product.cover_url = product.share_image_url = product.image_urls[0]
        manage.record_pictures(product)
    for category in db.session.scalars(select(Category).where(Category.parent_id.is_(None), Category.icon_url != "")):
        category.icon_url = _import(system, folders["分类图标"], category.icon_url, category.name).web_url
        usage.record(usage.UsageOwner.CATEGORY, category.id, [category.icon_url], category.name)
    db.session.flush()
    count = db.session.scalar(select(func.count(MediaFile.id)))
    return [f"media library: {len(FOLDERS)} folders, {count} pictures"]


def _import(actor: Actor, folder: MediaFolder, url: str, name: str) -> MediaFile:
    store = storage()
    with store.open(url.removeprefix(store.url_prefix)) as handle:
        [picture] = library.upload(actor, folder.id, [(f"{name}.png", handle.read())])
    picture.name = name
    return picture
