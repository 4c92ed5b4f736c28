"""`flask media recount-usage`: count again which records show which library picture."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db

media_cli = AppGroup("media", help="The media library (图片空间).")


@media_cli.command("recount-usage")
def recount_usage() -> None:
    """Every product, category, news reply, the shop's logo and past orders tell the library
    again which pictures they show: for pictures chosen before the library kept count (or a count lost),
    so that a picture in use is not deleted. Safe to run again; each domain in one transaction."""
    from app.catalog.manage import recount_picture_usage as catalog_pictures
    from app.media.order_pictures import recount_order_pictures as order_pictures
    from app.officialaccount.replies import recount_picture_usage as reply_pictures
    from app.shop.services import recount_picture_usage as shop_pictures

    for name, recount in (("products and categories", catalog_pictures), ("replies", reply_pictures),
                          ("shop", shop_pictures), ("order history", order_pictures)):
        count = recount()
        db.session.commit()
        click.echo(f"{name}: {count} recounted")
