"""A generated shop at scale, for the scale bench and for verifying the books at size.

`python -m bench.scale --database-url URL --size big|medium|small|tiny` builds the schema
with the project's migrations, then bulk-loads shoppers, agents and their referral trees, a
catalogue, and a year of orders with their payments, parcels, refunds and commission — the
lines, ledger entries and account balances exactly as accrual, settlement and refunds would
have written them, so `flask distribution verify` on the result is clean.
"""
