"""Fenxiao: a WeChat-first social distribution mall."""

from __future__ import annotations

import logging
import os
from typing import Any

from flask import Flask

from app.config import Config, check_media_settings, describe_backends, engine_options

log = logging.getLogger("fenxiao")


def create_app(config: Any = None) -> Flask:
    """Build an app; `config` (an object or dict) overrides what the environment says."""
    config_obj = Config()
    app = Flask(__name__, instance_path=config_obj.INSTANCE_PATH, instance_relative_config=False)
    app.config.from_object(config_obj)
    overrides = config if isinstance(config, dict) else \
        {key: getattr(config, key) for key in dir(config) if key.isupper()} if config is not None else {}
    app.config.update(overrides)
    if "SQLALCHEMY_ENGINE_OPTIONS" not in overrides:  # follow the database actually chosen
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])
    check_media_settings(app.config)
    from app.core.json_answers import BeijingJSONProvider

    app.json = BeijingJSONProvider(app)
    from app.core.url_converters import install_ascii_ids

    install_ascii_ids(app)

    from app.core.request_log import configure_logging, install_request_log

    configure_logging(app)
    from app.wechat import sandbox

    sandbox.init_app(app)  # before extensions: it may fill in WeChat settings
    _init_extensions(app)
    install_request_log(app)
    _register_blueprints(app)
    _register_cli(app)
    from app.core.errors import register_error_handlers

    register_error_handlers(app)
    from app.api.answer_replay import install_answer_replay

    install_answer_replay(app)
    from app.media.immutable import ImmutableMedia

    if app.config.get("TRUSTED_PROXY_COUNT"):  # the client's address and scheme, as the proxies saw them
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    if app.config["MEDIA_BACKEND"] == "local":  # the bucket (or its CDN) answers these itself
        app.wsgi_app = ImmutableMedia(app.wsgi_app, app.config["MEDIA_ROOT"], app.config["MEDIA_URL"])
    log.info("Fenxiao starting: %s", describe_backends(app.config))
    from app.core import embedded_scheduler

    embedded_scheduler.install(app)
    if app.config.get("REDIS_URL") and not os.environ.get("SECRET_KEY") and not app.config["TESTING"]:
        log.warning("SECRET_KEY is not set: each host would sign tokens with its own key")
    return app


def _init_extensions(app: Flask) -> None:
    from pathlib import Path

    from app.core import after_commit
    from app.core.i18n import RequestTranslations, select_locale
    from app.extensions import babel, db, migrate, queues, redis_ext

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True)
    from app import models, subscribers  # noqa: F401  (models and event subscribers register)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    babel.init_app(app, locale_selector=select_locale)
    babel.domain_instance = RequestTranslations()  # the domain every gettext goes through (app/core/i18n.py)
    redis_ext.init_app(app)
    from app.core import rate_limits

    rate_limits.init_app(app)
    queues.init_app(app)
    _init_sessions(app)
    after_commit.install()


def _init_sessions(app: Flask) -> None:
    """Server-side sessions in Redis (logout really ends them) and CSRF for the console."""
    from flask_session import Session

    from app.admin.security import csrf
    from app.core.sessionless import SessionlessPaths

    app.config.update(SESSION_TYPE="redis", SESSION_REDIS=app.extensions["redis"],
                      SESSION_KEY_PREFIX="fenxiao:session:")
    Session(app)
    app.session_interface = SessionlessPaths(app.session_interface)
    csrf.init_app(app)


def _register_blueprints(app: Flask) -> None:
    from app.admin import bp as admin_bp
    from app.api import bp as api_bp
    from app.api.docs import assets as api_docs_assets
    from app.core.security_headers import install_security_headers
    from app.media.blueprint import bp as media_bp
    from app.ops.blueprint import bp as ops_bp
    from app.web.poster_landing import bp as poster_landing_bp
    from app.web.wechat_oauth import bp as wechat_oauth_bp
    from app.webhooks.oa import bp as wechat_oa_bp
    from app.webhooks.pay import bp as pay_notify_bp

    app.register_blueprint(ops_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(api_docs_assets)
    app.register_blueprint(media_bp)
    app.register_blueprint(admin_bp)
    install_security_headers(app)
    app.register_blueprint(wechat_oauth_bp)
    app.register_blueprint(poster_landing_bp)
    app.register_blueprint(pay_notify_bp)
    app.register_blueprint(wechat_oa_bp)


def _register_cli(app: Flask) -> None:
    from app.cli import register

    register(app)
