"""What the shop sells: categories, products (SPU) and their SKUs."""
