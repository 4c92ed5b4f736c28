"""gunicorn settings for `gunicorn -c gunicorn.conf.py wsgi:app` (production mode).

Scale out by raising WEB_CONCURRENCY or running more hosts on the same MySQL and Redis.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "0.0.0.0:5000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
accesslog = None  # the app logs each request itself, with its request id and no query string
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
preload_app = False  # each worker opens its own database and Redis connections


def post_worker_init(worker):
    """Embedded mode (jobs inline, no RQ cron): each worker runs app/schedule.py's jobs; a claim
    per job in the database lets only one worker run each per interval. Production: nothing."""
    from app.core.embedded_scheduler import start_if_embedded

    start_if_embedded(worker.wsgi)


def worker_exit(server, worker):
    from app.core.embedded_scheduler import stop

    stop(worker.wsgi)
