"""Exports: large downloads (order lists as xlsx) built by a background job with progress."""
