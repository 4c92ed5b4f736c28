"""Figures for the merchant: the dashboard and, later, reports."""
