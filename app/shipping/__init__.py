"""Shipping templates (运费模板), the mainland region list and the freight calculator."""
