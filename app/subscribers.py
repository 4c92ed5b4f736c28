"""Imports every module that subscribes jobs to domain events, so they are registered."""

from app.orders import after_sale_subscribers  # noqa: F401
