"""Payments through WeChat Pay v3: payments, refunds and merchant transfers."""
