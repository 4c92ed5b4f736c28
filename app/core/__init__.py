"""Cross-domain primitives: money, errors, validation, pagination, jobs, tokens."""
