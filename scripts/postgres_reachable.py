"""Exit 0 when the PostgreSQL server of the given URL accepts a connection, 1 otherwise."""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

import psycopg


def main(url: str) -> int:
    parts = urlsplit(url)
    try:
        with psycopg.connect(
            host=parts.hostname or "127.0.0.1",
            port=parts.port or 5432,
            user=parts.username or "postgres",
            password=parts.password,
            dbname=(parts.path or "/postgres").lstrip("/") or "postgres",
            connect_timeout=3,
        ):
            return 0
    except psycopg.Error as error:
        print(f"PostgreSQL check failed: {error}".strip(), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432/test"))
