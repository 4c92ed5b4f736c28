"""Imports every sandbox module so their routes register on the blueprint."""

from app.wechat.sandbox import index, mp_api, oa_api, tokens  # noqa: F401
