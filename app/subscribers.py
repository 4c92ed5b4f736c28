"""Imports every module that subscribes jobs to domain events, so they are registered."""

from app.distribution import jobs as distribution_jobs  # noqa: F401
