"""Distribution (分销): agents, referral binding, commissions and their ledger.

A domain above orders, catalog and accounts: it reads their rows and reacts to the order
events (`app.orders.events`) in jobs; nothing below imports it.
"""
