"""A gunicorn worker compiles every template before its first request (app/ops/warm_up.py)."""

from __future__ import annotations

import gc
import importlib.util
import pathlib

from app.ops.warm_up import warm_up


def _compiled(app) -> set[str]:
    return {name for _loader, name in app.jinja_env.cache}


def test_warm_up_compiles_every_template_before_the_first_request(app):
    assert "admin/order_list.html" not in _compiled(app)
    try:
        compiled = warm_up(app)
        assert compiled == len(app.jinja_env.list_templates())
        assert {"admin/order_list.html", "admin/base.html"} <= _compiled(app)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def test_the_gunicorn_hook_warms_the_served_app(app):
    path = pathlib.Path(__file__).parent.parent / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)

    class Worker:
        wsgi = app

    try:
        conf.post_worker_init(Worker())
        assert {"admin/product_list.html", "admin/member_list.html"} <= _compiled(app)
    finally:
        conf.worker_exit(None, Worker())
        gc.unfreeze()
