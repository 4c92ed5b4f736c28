"""Shoppers' delivery addresses, one of them the default."""
