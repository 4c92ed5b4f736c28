"""Imports every sandbox module so their routes register on the blueprint."""

from app.wechat.sandbox import index, simulate_oa, tokens  # noqa: F401
