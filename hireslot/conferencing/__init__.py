"""Video and phone links for interviews, and people's Zoom accounts (``models``).

The providers live in ``hireslot.conferencing.providers``; see its ``base`` for the contract.
"""
