"""The shop's own settings: identity, order timings, payment methods."""
