"""access_token shared by every process through Redis, refreshed by one at a time.

WeChat allows a limited number of token fetches a day, and each fetch of the legacy API
invalidates the others' tokens. So the token lives in Redis; a process that finds none takes
a Redis lock, looks again (another may have just fetched it), and only then calls
stable_token. A 40001/42001 answer refreshes once with force_refresh, unless another
process already replaced the rejected token.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

log = logging.getLogger(__name__)

TOKEN_REJECTED = (40001, 40014, 42001)
LOCK_TIMEOUT = 15  # seconds a refresher may hold the lock
SAFETY_MARGIN = 300  # refresh five minutes before WeChat's expiry


class SharedTokenClient(WeChatClient):
    """A wechatpy client whose token is cached in Redis and fetched via stable_token."""

    def __init__(self, appid: str, secret: str, *, redis_client: redis.Redis, api_base_url: str,
                 timeout: float = 5.0) -> None:
        super().__init__(appid, secret, session=RedisStorage(redis_client, prefix="fenxiao:wechat"),
                         timeout=timeout, auto_retry=False)
        self.redis = redis_client
        self.api_host = api_base_url.rstrip("/")
        self.API_BASE_URL = f"{self.api_host}/cgi-bin/"

    # -- the token ---------------------------------------------------------------------
    @property
    def access_token(self) -> str:
        token = self.session.get(self.access_token_key)
        if token:
            return token
        return self._refresh(rejected=None)

    def fetch_access_token(self) -> dict[str, Any]:
        token = self._refresh(rejected=None)
        return {"access_token": token}

    def _refresh(self, rejected: str | None) -> str:
        """Fetch under the lock; skip the fetch if someone else already did it."""
        with self.redis.lock(f"fenxiao:wechat:{self.appid}:token-lock", timeout=LOCK_TIMEOUT,
                             blocking_timeout=LOCK_TIMEOUT):
            cached = self.session.get(self.access_token_key)
            if cached and cached != rejected:
                return cached
            result = self._post_stable_token(force_refresh=rejected is not None)
            ttl = max(60, int(result.get("expires_in", 7200)) - SAFETY_MARGIN)
            self.session.set(self.access_token_key, result["access_token"], ttl)
            self.expires_at = int(time.time()) + ttl
            return result["access_token"]

    def _post_stable_token(self, *, force_refresh: bool) -> dict[str, Any]:
        log.info("fetching access_token for %s (force_refresh=%s)", self.appid, force_refresh)
        response = self._http.post(f"{self.api_host}/cgi-bin/stable_token", json={
            "grant_type": "client_credential", "appid": self.appid, "secret": self.secret,
            "force_refresh": force_refresh,
        }, timeout=self.timeout)
        response.raise_for_status()
        result = response.json()
        if result.get("errcode"):
            raise WeChatClientException(result["errcode"], result.get("errmsg"), client=self,
                                        request=response.request, response=response)
        return result

    # -- every API call ----------------------------------------------------------------
    def _request(self, method, url_or_endpoint, **kwargs):
        url_or_endpoint = self._to_our_host(url_or_endpoint)
        if "api_base_url" in kwargs:  # some wechatpy APIs (wxa) pass the real host as a base
            kwargs["api_base_url"] = self._to_our_host(kwargs["api_base_url"])
        params = dict(kwargs.pop("params", None) or {})
        explicit_token = "access_token" in params
        if not explicit_token:
            params["access_token"] = self.access_token
        try:
            return super()._request(method, url_or_endpoint, params=dict(params), **kwargs)
        except WeChatClientException as exc:
            if explicit_token or exc.errcode not in TOKEN_REJECTED:
                raise
            log.info("access_token rejected (%s); refreshing once", exc.errcode)
            params["access_token"] = self._refresh(rejected=params["access_token"])
            return super()._request(method, url_or_endpoint, params=dict(params), **kwargs)

    def _to_our_host(self, url: str) -> str:
        """wechatpy writes some endpoints as absolute api.weixin.qq.com URLs."""
        for real in ("https://api.weixin.qq.com", "http://api.weixin.qq.com"):
            if url.startswith(real):
                return self.api_host + url[len(real):]
        return url
