"""WeChat's refusals and outages, turned into errors the edge can answer with.

WeChat answers most failures with HTTP 200 and an `errcode`; wechatpy raises those as
WeChatClientException. Network trouble surfaces as requests exceptions. Callers wrap their
WeChat calls in `wechat_call()` so neither ever becomes a 500.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import requests
from flask_babel import gettext as _
from wechatpy.exceptions import WeChatClientException

from app.core.errors import DomainError

log = logging.getLogger(__name__)

CODE_INVALID = 40029  # invalid code
CODE_USED = 40163  # code been used
USER_REFUSED = 43101  # user refuse to accept the msg (no subscription quota)


class WeChatError(DomainError):
    """WeChat refused a call or could not be reached; `errcode` is WeChat's own (None if unreachable)."""

    status = 502
    code = "wechat_error"

    def __init__(self, errcode: int | None, errmsg: str = "") -> None:
        super().__init__(_("WeChat did not accept the request. Please try again later."))
        self.errcode = errcode
        self.errmsg = errmsg


@contextmanager
def wechat_call(what: str) -> Iterator[None]:
    """Run a WeChat call; its errcode or outage becomes a WeChatError (502)."""
    try:
        yield
    except WeChatClientException as exc:  # WeChatOAuthException included
        errcode = int(exc.errcode) if exc.errcode is not None else None
        log.warning("WeChat refused %s: errcode=%s errmsg=%s", what, errcode, exc.errmsg)
        raise WeChatError(errcode, str(exc.errmsg or "")) from exc
    except requests.RequestException as exc:
        log.warning("WeChat unreachable for %s: %s", what, exc.__class__.__name__)
        raise WeChatError(None, exc.__class__.__name__) from exc


def login_code_rejected(error: WeChatError) -> DomainError:
    """A wx.login / phone / OAuth code WeChat does not know, or that was already used: the
    client should get a fresh one. Any other refusal stays a 502."""
    if error.errcode in (CODE_INVALID, CODE_USED):
        return DomainError(_("The WeChat code is invalid or was already used. Please try again."),
                           code="wechat_code_invalid", status=400)
    return error
