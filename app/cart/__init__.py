"""The shopper's cart: SKUs they mean to buy, checked against the catalogue on every read."""
