"""Imports every module that subscribes jobs to domain events, so they are registered."""

from app.orders import subscribers as orders  # noqa: F401
