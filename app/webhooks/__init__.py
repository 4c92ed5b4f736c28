"""Inbound HTTP from WeChat: official-account message push and WeChat Pay notifications."""
