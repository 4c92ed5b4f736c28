"""Couriers and parcel tracking: a provider interface (chosen by LOGISTICS_PROVIDER), a
sandbox provider that needs no network, and a short Redis cache in front of it."""
