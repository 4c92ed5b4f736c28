"""Stored files (product images, posters): a storage interface and the route serving it."""
