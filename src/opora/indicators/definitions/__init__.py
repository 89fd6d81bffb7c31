"""The indicators, one module per domain; each registers its functions with ``@indicator`` (see registry.py).

To add indicators of a new domain (aid, events, complaints …) add a module here: it may import the domain's
models and queries (the domain apps sit below ``indicators`` in the graph of apps).
"""
