"""Imports every sandbox module so their routes register on the blueprint."""

from app.wechat.sandbox import index, pay, pay_refunds, pay_transfers, simulate_pay, tokens  # noqa: F401
