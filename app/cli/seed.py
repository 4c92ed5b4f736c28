"""`flask seed demo`: a believable demo shop, safe to run again (it adds what is missing)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.extensions import db

seed_cli = AppGroup("seed", help="Demo data.")


@seed_cli.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the shop already has products.")
def demo(if_empty: bool) -> None:
    """Create the demo shop: staff owner, shoppers, categories, products with SKUs and images,
    and orders in every state."""
    from app.accounts.seed import seed_accounts
    from app.catalog.models import Product
    from app.catalog.seed import seed_catalog
    from app.distribution.seed import seed_distribution
    from app.marketing.bargain_seed import seed_bargains
    from app.marketing.coupon_seed import seed_coupons
    from app.marketing.flash_seed import seed_flash_sales
    from app.marketing.full_reduction_seed import seed_full_reductions
    from app.marketing.group_seed import seed_group_buy
    from app.marketing.points_seed import seed_points
    from app.media.seed import seed_media
    from app.members.seed import seed_member_growth
    from app.notifications.seed import seed_subscribe_templates
    from app.notifications.services import held
    from app.officialaccount.menus import seed_demo_menu
    from app.officialaccount.seed import seed_official_account
    from app.orders.seed import seed_orders
    from app.reports.rollups import rebuild as rebuild_rollups
    from app.shop.seed import seed_shop

    if if_empty and db.session.scalar(select(func.count()).select_from(Product)):
        click.echo("demo shop already seeded")
        return
    with held():  # the demo's history is written, not lived: nobody is sent a message about it
        report = seed_accounts()
        report += seed_shop()
        report += seed_catalog()
        report += seed_media()
        report += seed_demo_menu()
        report += seed_subscribe_templates()
        report += seed_official_account()
        report += seed_distribution()
        report += seed_full_reductions()
        report += seed_member_growth()
        db.session.commit()
        report += seed_orders()
        db.session.commit()
        report += seed_group_buy()
        db.session.commit()
        report += seed_points()
        report += seed_coupons()
        report += seed_bargains()
        report += seed_flash_sales()
        db.session.commit()
    # The history was written with its own dates, not lived day by day: count it in the
    # dashboard's daily rollups from the rows, as `flask reports rebuild` does.
    report.append(f"report rollups: {rebuild_rollups()} day(s)")
    for line in report:
        click.echo(line)
