"""Video and phone links for interviews (a plain package, not a Django app: it has no models).

The providers live in ``hireslot.conferencing.providers``; see its ``base`` for the contract.
"""
