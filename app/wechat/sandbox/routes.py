"""Imports every sandbox module so their routes register on the blueprint."""

from app.wechat.sandbox import (  # noqa: F401
    index,
    mp_api,
    oa_api,
    oa_materials,
    oa_qrcode,
    pay,
    pay_refunds,
    pay_transfers,
    simulate_oa,
    simulate_pay,
    tokens,
)
