"""Identities: shoppers (WeChat users) and staff who log into the console."""
