"""Shoppers as members: levels, stored balance (储值余额) and points, each with a ledger."""
