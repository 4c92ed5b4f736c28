"""Orders: what a shopper bought, how it was paid, shipped, received and refunded."""
