"""Imports every module that subscribes jobs to domain events, so they are registered."""
