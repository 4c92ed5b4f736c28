"""wsgi:app with the serving worker's pid on every answer (X-Worker-Pid): lets the
multi-worker tests show that a request really crossed from one gunicorn worker to another."""

from __future__ import annotations

import os

from wsgi import app as flask_app


def app(environ, start_response):
    def tagged(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return flask_app(environ, tagged)


app.flask_app = flask_app  # what gunicorn.conf.py's hooks look for behind a wrapper
