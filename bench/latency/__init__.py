"""The pieces of bench/scale.py, the scale latency bench: what the shop holds (facts), the
answers timed and how each is checked (answers, checks), the logged-in clients that ask for
them (clients) and the timing and its table (timing).

The bench is a script beside the generator package bench/scale/ (`python -m bench.scale`
builds a shop, `python bench/scale.py` times it); its pieces live here because a module
named bench.scale cannot be imported beside the package of that name.
"""
