"""Flask CLI commands: `flask seed demo`, `flask rq worker`, `flask staff ...`, `flask wechat ...`,
`flask distribution ...`, `flask members ...`, `flask reports ...`, `flask coupons ...`."""

from flask import Flask


def register(app: Flask) -> None:
    from app.cli.catalog import catalog_cli
    from app.cli.coupons import coupons_cli
    from app.cli.distribution import distribution_cli
    from app.cli.media import media_cli
    from app.cli.members import members_cli
    from app.cli.orders import orders_cli
    from app.cli.payments import payments_cli
    from app.cli.reports import reports_cli
    from app.cli.rq import rq_cli
    from app.cli.seed import seed_cli
    from app.cli.staff import staff_cli
    from app.cli.wechat import wechat_cli

    app.cli.add_command(seed_cli)
    app.cli.add_command(rq_cli)
    app.cli.add_command(staff_cli)
    app.cli.add_command(wechat_cli)
    app.cli.add_command(payments_cli)
    app.cli.add_command(catalog_cli)
    app.cli.add_command(media_cli)
    app.cli.add_command(orders_cli)
    app.cli.add_command(distribution_cli)
    app.cli.add_command(members_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(coupons_cli)
