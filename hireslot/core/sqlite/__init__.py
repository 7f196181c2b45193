"""The embedded default's database backend: Django's SQLite backend whose write transactions
take turns in the order they asked (see ``base``)."""
