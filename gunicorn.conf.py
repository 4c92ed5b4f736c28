"""gunicorn settings for `gunicorn -c gunicorn.conf.py wsgi:app` (production mode).

Scale out by raising WEB_CONCURRENCY or running more hosts on the same MySQL and Redis.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "0.0.0.0:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "app.ops.gunicorn_worker.JsonErrorWorker"  # gthread; refusals in our JSON error shape
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
accesslog = None  # the app logs each request itself, with its request id and no query string
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = False  # each worker opens its own database and Redis connections

# Request limits, checked before the app sees a byte (over them: 414 or 431 in our error shape).
# The longest line we serve is a storefront search or share link with a Chinese keyword and a
# mini-program scene percent-encoded (9 bytes per 汉字), or a WeChat push's query with its
# signature, timestamp, nonce, openid and msg_signature (~300 bytes): 8190, gunicorn's maximum,
# leaves room for all of them and still stops a megabyte of URL at the door.
limit_request_line = 8190
# Browsers and WeChat send 10-20 headers; a proxy and a CDN add a few X-Forwarded-* ones.
limit_request_fields = 50
# The largest header is the Cookie of a console session or a WeChat Pay signature (~400 bytes).
limit_request_field_size = 8190


def post_worker_init(worker):
    """Before the worker's first request: its templates compiled (app/ops/warm_up.py). Embedded
    mode (jobs inline, no RQ cron): each worker runs app/schedule.py's jobs; a claim per job in
    the database lets only one worker run each per interval. Production: nothing more."""
    from app.core.embedded_scheduler import served_app, start_for_worker
    from app.ops.warm_up import warm_up

    app = served_app(worker.wsgi)
    if app is not None:
        warm_up(app)
    start_for_worker(worker.wsgi)


def worker_exit(server, worker):
    from app.core.embedded_scheduler import stop_for_worker

    stop_for_worker(worker.wsgi)
