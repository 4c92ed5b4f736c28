"""Configuration read from the environment.

Settings an operator changes live here and are listed in the README; settings a merchant
changes live in the database. Every default is the embedded demo: no services needed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.engine import make_url

BASE_DIR = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def normalise_database_url(url: str) -> str:
    """Force utf8mb4 on MySQL/MariaDB URLs so Chinese text and emoji survive."""
    parsed = make_url(url)
    if parsed.get_backend_name() in {"mysql", "mariadb"}:
        if parsed.drivername in {"mysql", "mariadb"}:
            parsed = parsed.set(drivername=f"{parsed.drivername}+pymysql")
        query = dict(parsed.query)
        query.setdefault("charset", "utf8mb4")
        parsed = parsed.set(query=query)
    return parsed.render_as_string(hide_password=False)


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once per instance folder."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


class Config:
    """Reads the environment when instantiated, so tests can set it per app."""

    def __init__(self) -> None:
        instance = Path(os.environ.get("FENXIAO_INSTANCE_PATH", BASE_DIR / "instance"))
        self.INSTANCE_PATH = str(instance)
        self.SECRET_KEY = _secret_key(instance)

        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'fenxiao.db'}"
        self.SQLALCHEMY_DATABASE_URI = normalise_database_url(database_url)
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)

        self.REDIS_URL = os.environ.get("REDIS_URL") or None
        # Without a real Redis, jobs run inline in the request that enqueued them.
        self.RQ_INLINE = _env_bool("RQ_INLINE", default=self.REDIS_URL is None)
        # With jobs inline there is no RQ cron: each serving process runs app/schedule.py itself.
        self.EMBEDDED_SCHEDULER = _env_bool("EMBEDDED_SCHEDULER", default=True)

        self.MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 3 * 1024 * 1024)  # a 2 MB photo plus its form
        self.API_TOKEN_MAX_AGE = _env_int("API_TOKEN_MAX_AGE", 7 * 24 * 3600)
        # Rate limits (app/core/rate_limits.py), in Flask-Limiter's words ("3 per second; 20 per
        # minute"): per shopper on coupon claims and exchanges and on launching and helping bargains, per caller's
        # address on all of them.
        self.RATE_LIMITS_ENABLED = _env_bool("RATE_LIMITS_ENABLED", default=True)
        self.RATE_LIMIT_COUPON_CLAIM = os.environ.get("RATE_LIMIT_COUPON_CLAIM", "5 per second; 60 per minute")
        self.RATE_LIMIT_BARGAIN_HELP = os.environ.get("RATE_LIMIT_BARGAIN_HELP", "5 per second; 60 per minute")
        self.RATE_LIMIT_FLASH_BUY = os.environ.get("RATE_LIMIT_FLASH_BUY", "5 per second; 60 per minute")
        self.RATE_LIMIT_PER_ADDRESS = os.environ.get("RATE_LIMIT_PER_ADDRESS", "600 per minute")
        # Reverse proxies in front of the app that append to X-Forwarded-For (nginx: 1); 0 trusts none.
        self.TRUSTED_PROXY_COUNT = _env_int("TRUSTED_PROXY_COUNT", 0)
        self.MEDIA_ROOT = os.environ.get("MEDIA_ROOT") or str(instance / "media")
        self.MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
        # Never served as is: files handed out only after a permission check (order exports).
        self.PRIVATE_MEDIA_ROOT = os.environ.get("PRIVATE_MEDIA_ROOT") or str(instance / "private-media")
        # The media library (图片空间): largest upload, largest picture (a decompression bomb is
        # refused before it is decoded), and the store: local files, or an S3-compatible bucket
        # (Tencent COS) whose public address is MEDIA_URL.
        self.MEDIA_MAX_BYTES = _env_int("MEDIA_MAX_BYTES", 10 * 1024 * 1024)
        self.MEDIA_MAX_PIXELS = _env_int("MEDIA_MAX_PIXELS", 40_000_000)
        self.MEDIA_BACKEND = os.environ.get("MEDIA_BACKEND", "local")
        self.MEDIA_S3_ENDPOINT = os.environ.get("MEDIA_S3_ENDPOINT", "")
        self.MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
        self.MEDIA_S3_REGION = os.environ.get("MEDIA_S3_REGION", "")
        self.MEDIA_S3_ACCESS_KEY = os.environ.get("MEDIA_S3_ACCESS_KEY", "")
        self.MEDIA_S3_SECRET_KEY = os.environ.get("MEDIA_S3_SECRET_KEY", "")
        # "virtual" (bucket.host, what COS expects) or "path" (host/bucket, MinIO and test servers).
        self.MEDIA_S3_ADDRESSING = os.environ.get("MEDIA_S3_ADDRESSING", "virtual")
        self.PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
        self.LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
        # Posters: where the template folders are, how long a remote avatar may take, and how
        # long the API waits for a render job before answering 202 with a URL to poll.
        self.POSTER_TEMPLATES_DIR = os.environ.get("POSTER_TEMPLATES_DIR") or str(BASE_DIR / "poster_templates")
        self.POSTER_FETCH_TIMEOUT = float(os.environ.get("POSTER_FETCH_TIMEOUT", "3"))
        self.POSTER_WAIT_SECONDS = float(os.environ.get("POSTER_WAIT_SECONDS", "2"))

        self.BABEL_DEFAULT_LOCALE = "zh_Hans_CN"
        self.BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")
        self.LANGUAGES = ("zh_Hans_CN", "en")

        env = os.environ.get
        self.WECHAT_OA_APPID = env("WECHAT_OA_APPID", "")
        self.WECHAT_OA_SECRET = env("WECHAT_OA_SECRET", "")
        self.WECHAT_OA_TOKEN = env("WECHAT_OA_TOKEN", "")
        self.WECHAT_OA_ENCODING_AES_KEY = env("WECHAT_OA_ENCODING_AES_KEY", "")
        self.WECHAT_MP_APPID = env("WECHAT_MP_APPID", "")
        self.WECHAT_MP_SECRET = env("WECHAT_MP_SECRET", "")
        self.WECHAT_PAY_MCHID = env("WECHAT_PAY_MCHID", "")
        self.WECHAT_PAY_CERT_SERIAL_NO = env("WECHAT_PAY_CERT_SERIAL_NO", "")
        self.WECHAT_PAY_PRIVATE_KEY_PATH = env("WECHAT_PAY_PRIVATE_KEY_PATH", "")
        self.WECHAT_PAY_APIV3_KEY = env("WECHAT_PAY_APIV3_KEY", "")
        self.WECHAT_PAY_PUBLIC_KEY_PATH = env("WECHAT_PAY_PUBLIC_KEY_PATH", "")
        self.WECHAT_PAY_PUBLIC_KEY_ID = env("WECHAT_PAY_PUBLIC_KEY_ID", "")
        # 商家转账 scene (1005 佣金报酬 fits commission withdrawals); it must be enabled for the merchant.
        self.WECHAT_PAY_TRANSFER_SCENE_ID = env("WECHAT_PAY_TRANSFER_SCENE_ID", "1005")
        # An unpaid payment this old with no notification is queried by the reconcile sweep.
        self.WECHAT_PAY_RECONCILE_MINUTES = _env_int("WECHAT_PAY_RECONCILE_MINUTES", 5)
        # Parcel tracking: "sandbox" computes a plausible trace locally (see app/logistics).
        self.LOGISTICS_PROVIDER = env("LOGISTICS_PROVIDER", "sandbox")
        # WeChat's hosts; in sandbox mode these point at our own /sandbox/... instead.
        self.WECHAT_API_BASE_URL = env("WECHAT_API_BASE_URL", "https://api.weixin.qq.com")
        self.WECHAT_OPEN_BASE_URL = env("WECHAT_OPEN_BASE_URL", "https://open.weixin.qq.com")
        self.WECHAT_PAY_BASE_URL = env("WECHAT_PAY_BASE_URL", "https://api.mch.weixin.qq.com")
        self.WECHAT_HTTP_TIMEOUT = float(env("WECHAT_HTTP_TIMEOUT", "5"))
        # Hosts (besides PUBLIC_BASE_URL's) whose pages may ask for a JS-SDK signature.
        self.WECHAT_JSSDK_DOMAINS = [host.strip().lower() for host in env("WECHAT_JSSDK_DOMAINS", "").split(",")
                                     if host.strip()]
        # Sandbox mode: no real credentials, or forced. The dev login only exists here.
        has_credentials = bool(self.WECHAT_MP_APPID and self.WECHAT_MP_SECRET)
        self.WECHAT_SANDBOX = _env_bool("WECHAT_SANDBOX", default=not has_credentials)

        # Console sessions: stored server-side in Redis (a cookie holds only the id).
        self.SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE",
                                               default=self.PUBLIC_BASE_URL.startswith("https://"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_NAME = "fenxiao_session"
        self.PERMANENT_SESSION_LIFETIME = _env_int("SESSION_LIFETIME", 8 * 3600)
        self.WTF_CSRF_CHECK_DEFAULT = False  # the console checks CSRF itself; the API uses bearer tokens
        self.WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session it belongs to

        self.TESTING = False


def engine_options(database_url: str) -> dict:
    if make_url(database_url).get_backend_name() == "sqlite":
        # Wait for a writer instead of failing with "database is locked".
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True, "pool_recycle": 1800}


def check_media_settings(config) -> None:
    """Refuse to start with a media store that cannot work, rather than fail on the first upload."""
    backend = config["MEDIA_BACKEND"]
    if backend not in ("local", "s3"):
        raise RuntimeError(f"MEDIA_BACKEND={backend!r}: use local or s3")
    if backend != "s3":
        return
    missing = [name for name in ("MEDIA_S3_ENDPOINT", "MEDIA_S3_BUCKET", "MEDIA_S3_REGION", "MEDIA_S3_ACCESS_KEY",
                                 "MEDIA_S3_SECRET_KEY") if not config.get(name)]
    if missing:
        raise RuntimeError(f"MEDIA_BACKEND=s3 needs {', '.join(missing)}")
    if not config["MEDIA_URL"].startswith(("https://", "http://")):
        raise RuntimeError("MEDIA_BACKEND=s3 needs MEDIA_URL set to the bucket's (or its CDN's) public "
                           f"address, e.g. https://<bucket>.cos.<region>.myqcloud.com/ (not {config['MEDIA_URL']!r})")
    if config["MEDIA_S3_ADDRESSING"] not in ("virtual", "path"):
        raise RuntimeError(f"MEDIA_S3_ADDRESSING={config['MEDIA_S3_ADDRESSING']!r}: use virtual or path")


def describe_backends(config) -> str:
    """One line naming the run mode and the backends, without any password."""
    db_url = make_url(config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)
    if config.get("REDIS_URL"):
        redis_desc = _hide_password(config["REDIS_URL"])
    else:
        redis_desc = "in-process fakeredis"
    mode = "production" if config.get("REDIS_URL") and not db_url.startswith("sqlite") else "embedded"
    jobs = "inline" if config.get("RQ_INLINE") else "rq-workers"
    wechat = "sandbox" if config.get("WECHAT_SANDBOX") else "live"
    media = config.get("MEDIA_BACKEND", "local")
    if media == "s3":
        media = f"s3:{config.get('MEDIA_S3_BUCKET')}@{config.get('MEDIA_S3_ENDPOINT')}"
    return f"mode={mode} database={db_url} redis={redis_desc} jobs={jobs} wechat={wechat} media={media}"


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        parts = parts._replace(netloc=netloc)
    return urlunsplit(parts)
